//! Personal-data masking for quotes and exports: e-mail addresses, phone numbers, UK
//! postcodes, NHS numbers and URLs that identify a person.
//!
//! Consultation answers sometimes carry contact details ("you can reach me on 07700 900461").
//! Quotes shown in reports and exported tables must not repeat them, so every output path
//! runs text through a [`Masker`], which replaces each piece of personal data with a readable
//! placeholder such as `[phone]`.
//!
//! ```
//! use thematic_text::mask::{Masker, PiiKind};
//!
//! let masker = Masker::default(); // every kind of personal data
//! let text = "Call 07700 900461 or e-mail j.hartley@example.org (SW1A 1AA).";
//! assert_eq!(masker.mask(text), "Call [phone] or e-mail [email] ([postcode]).");
//!
//! let found = masker.find(text);
//! assert_eq!(found[0].kind, PiiKind::Phone);
//! assert_eq!(&text[found[0].range.clone()], "07700 900461");
//!
//! // Text without personal data comes back borrowed, without a copy.
//! assert!(matches!(masker.mask("In 2024 we waited 3 hours."), std::borrow::Cow::Borrowed(_)));
//!
//! // Configurable per kind; the parameters are serde-serialisable for pipeline configs.
//! let postcodes_kept = Masker::params().postcodes(false).build()?;
//! assert_eq!(postcodes_kept.mask("Leeds LS1 4AP, 07700 900461"), "Leeds LS1 4AP, [phone]");
//! # Ok::<(), thematic_text::mask::MaskError>(())
//! ```
//!
//! # What is recognised
//!
//! * **E-mail addresses**: `local@domain.tld` with sub-addressing and sub-domains
//!   (`jane.doe+nhs@trust.nhs.uk`) and Unicode letters; the top-level domain has at least two
//!   characters and starts with a letter, so `a@b`, `@handle` and `3@1.50` are left alone.
//! * **Phone numbers**, validated by digit count after the grouping is parsed: UK national
//!   numbers (a leading 0, 10 or 11 digits: `07700 900123`, `(020) 7946 0958`,
//!   `0161 496 0000`), and international numbers after `+` or `00` (`+44 (0)20 7946 0958`,
//!   `+1 202-555-0143`, `00 353 1 234 5678`), checked against the length of the national
//!   number for common country codes and E.164's 15 digits otherwise. Years, dates, times,
//!   money, percentages, versions and ordinary numbers never have the shape or length.
//! * **UK postcodes**: the full official pattern (outward and inward code, `GIR 0AA`),
//!   word-bounded, with or without the space, written all in capitals or all in lower case.
//!   An outward code alone (`M1`) is not personal. Lower-case inward codes that read as an
//!   ordinal or a unit (`the m25 4th`, `a1 2hr`) are not postcodes.
//! * **NHS numbers**: 10 digits, contiguous or grouped 3-3-4 with spaces or hyphens, whose
//!   modulus-11 check digit is valid. A number that is both a valid NHS number and a UK phone
//!   number (leading 0) is reported as a phone.
//! * **Personal URLs** (`http(s)://…`, `www.…`, and bare social-network addresses such as
//!   `linkedin.com/in/…`): social profiles (LinkedIn `/in/`, Facebook, Twitter/X, Instagram,
//!   TikTok `@`), paths with a `user`, `users`, `u`, `profile`, `profiles`, `people` or
//!   `person` segment followed by a name, `/~name`, `/@handle`, an `@` anywhere after the
//!   host (an e-mail address or handle), user information before the host, and query
//!   parameters that name a person (`email=`, `name=`, `user=`, `patient=`, `nhs=`, …).
//!   Other URLs are kept as they are, apart from any other personal data inside them.
//!   URLs end where the tokenizer ends them: at whitespace, `<`, `>` or `"`, without
//!   trailing punctuation.
//!
//! Matches never overlap. Where candidates of different kinds overlap (an e-mail address
//! inside a personal URL), they merge into one match with the kind of the longest, so no
//! part of either is left unmasked.
//!
//! # Cost
//!
//! The patterns are compiled once per process and shared by every [`Masker`], which is a
//! small `Send + Sync` value: clone it or share a reference across threads. Each search
//! runs only when the text holds what it needs (`@` for e-mail addresses; `/`, `@` or `www.`
//! for URLs; an ASCII digit for postcodes, phones and NHS numbers), postcodes and digit runs
//! share one pass, and text without personal data is returned borrowed with no allocation.
//! On one core this is several times faster than tokenising the same text (see
//! `examples/mask_bench.rs`).

use std::borrow::Cow;
use std::fmt;
use std::ops::{Range, RangeInclusive};
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A kind of personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PiiKind {
    /// An e-mail address.
    Email,
    /// A UK or international telephone number.
    Phone,
    /// A full UK postcode.
    Postcode,
    /// An NHS number with a valid check digit.
    NhsNumber,
    /// A URL whose path or query identifies a person.
    Url,
}

impl PiiKind {
    /// Every kind, in declaration order.
    pub const ALL: [PiiKind; 5] =
        [PiiKind::Email, PiiKind::Phone, PiiKind::Postcode, PiiKind::NhsNumber, PiiKind::Url];

    /// The placeholder written in place of this kind by [`Replacement::Placeholder`]:
    /// `[email]`, `[phone]`, `[postcode]`, `[NHS number]` or `[URL]`.
    pub fn placeholder(self) -> &'static str {
        match self {
            PiiKind::Email => "[email]",
            PiiKind::Phone => "[phone]",
            PiiKind::Postcode => "[postcode]",
            PiiKind::NhsNumber => "[NHS number]",
            PiiKind::Url => "[URL]",
        }
    }

    /// Which kind wins when two candidates of equal length cover the same text: the more
    /// specific structure first (lower is stronger).
    fn rank(self) -> u8 {
        match self {
            PiiKind::Url => 0,
            PiiKind::Email => 1,
            PiiKind::Phone => 2,
            PiiKind::NhsNumber => 3,
            PiiKind::Postcode => 4,
        }
    }
}

impl fmt::Display for PiiKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PiiKind::Email => "e-mail address",
            PiiKind::Phone => "phone number",
            PiiKind::Postcode => "postcode",
            PiiKind::NhsNumber => "NHS number",
            PiiKind::Url => "personal URL",
        })
    }
}

/// A piece of personal data found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PiiMatch {
    /// What it is.
    pub kind: PiiKind,
    /// Its byte range in the text; both ends lie on character boundaries.
    pub range: Range<usize>,
}

/// What replaces each piece of personal data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Replacement {
    /// The kind's readable placeholder ([`PiiKind::placeholder`]): `[email]`, `[phone]`, …
    /// The default.
    #[default]
    Placeholder,
    /// The same text for every kind, e.g. `[redacted]`, for outputs that must not reveal
    /// even what kind of detail was removed.
    Fixed(String),
}

/// Invalid masking parameters: one variant per rule.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MaskError {
    /// A [`Replacement::Fixed`] text that is empty or only whitespace: masked text would
    /// vanish without a trace and the words around it would run together.
    #[error("invalid replacement {0:?}: it must contain a visible character")]
    BlankReplacement(String),
    /// A [`Replacement::Fixed`] text with a control character (a line break, a tab, …),
    /// which would change the lines and sentences of a quote.
    #[error("invalid replacement {replacement:?}: it contains the control character {found:?}")]
    ControlInReplacement {
        /// The replacement asked for.
        replacement: String,
        /// The first control character in it.
        found: char,
    },
    /// A [`Replacement::Fixed`] text that would itself be masked, so masking twice would
    /// not give the same text.
    #[error("invalid replacement {replacement:?}: it would itself be masked (found: {kind})")]
    PersonalReplacement {
        /// The replacement asked for.
        replacement: String,
        /// The kind of personal data found in it.
        kind: PiiKind,
    },
}

/// Configuration of a [`Masker`]: which kinds to mask and how. Serialisable, so a pipeline
/// configuration can hold it; unknown fields are rejected and missing ones take defaults.
///
/// Defaults: every kind is masked ([`MaskerParams::default`]), with
/// [`Replacement::Placeholder`]. [`MaskerParams::none`] starts from nothing masked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[must_use]
pub struct MaskerParams {
    emails: bool,
    phones: bool,
    postcodes: bool,
    nhs_numbers: bool,
    personal_urls: bool,
    replacement: Replacement,
}

impl Default for MaskerParams {
    fn default() -> Self {
        MaskerParams {
            emails: true,
            phones: true,
            postcodes: true,
            nhs_numbers: true,
            personal_urls: true,
            replacement: Replacement::Placeholder,
        }
    }
}

impl MaskerParams {
    /// Parameters that mask nothing, to switch kinds on one by one.
    pub fn none() -> Self {
        MaskerParams {
            emails: false,
            phones: false,
            postcodes: false,
            nhs_numbers: false,
            personal_urls: false,
            replacement: Replacement::Placeholder,
        }
    }

    /// Whether to mask e-mail addresses. Default `true`.
    pub fn emails(mut self, on: bool) -> Self {
        self.emails = on;
        self
    }

    /// Whether to mask phone numbers. Default `true`.
    pub fn phones(mut self, on: bool) -> Self {
        self.phones = on;
        self
    }

    /// Whether to mask UK postcodes. Default `true`.
    pub fn postcodes(mut self, on: bool) -> Self {
        self.postcodes = on;
        self
    }

    /// Whether to mask NHS numbers. Default `true`.
    pub fn nhs_numbers(mut self, on: bool) -> Self {
        self.nhs_numbers = on;
        self
    }

    /// Whether to mask URLs that identify a person. Default `true`.
    pub fn personal_urls(mut self, on: bool) -> Self {
        self.personal_urls = on;
        self
    }

    /// Whether to mask `kind`: the setter of that kind, for callers that hold a [`PiiKind`].
    pub fn kind(self, kind: PiiKind, on: bool) -> Self {
        match kind {
            PiiKind::Email => self.emails(on),
            PiiKind::Phone => self.phones(on),
            PiiKind::Postcode => self.postcodes(on),
            PiiKind::NhsNumber => self.nhs_numbers(on),
            PiiKind::Url => self.personal_urls(on),
        }
    }

    /// What replaces personal data. Default [`Replacement::Placeholder`]. A fixed text must
    /// contain a visible character, no control characters, and no personal data.
    pub fn replacement(mut self, replacement: Replacement) -> Self {
        self.replacement = replacement;
        self
    }

    /// Whether `kind` is masked.
    pub fn masks(&self, kind: PiiKind) -> bool {
        match kind {
            PiiKind::Email => self.emails,
            PiiKind::Phone => self.phones,
            PiiKind::Postcode => self.postcodes,
            PiiKind::NhsNumber => self.nhs_numbers,
            PiiKind::Url => self.personal_urls,
        }
    }

    /// The replacement style.
    pub fn replacement_style(&self) -> &Replacement {
        &self.replacement
    }

    /// Checks every rule without building.
    ///
    /// # Errors
    /// [`MaskError::BlankReplacement`], [`MaskError::ControlInReplacement`] or
    /// [`MaskError::PersonalReplacement`].
    pub fn check(&self) -> Result<(), MaskError> {
        let Replacement::Fixed(text) = &self.replacement else {
            return Ok(());
        };
        if text.trim().is_empty() {
            return Err(MaskError::BlankReplacement(text.clone()));
        }
        if let Some(found) = text.chars().find(|c| c.is_control()) {
            return Err(MaskError::ControlInReplacement { replacement: text.clone(), found });
        }
        // Every kind, not just the enabled ones: a replacement that looks like personal data
        // would mislead a reader whichever kinds happen to be switched on.
        if let Some(m) = Masker::default().find(text).first() {
            return Err(MaskError::PersonalReplacement { replacement: text.clone(), kind: m.kind });
        }
        Ok(())
    }

    /// Validates the parameters and builds the masker.
    ///
    /// # Errors
    /// As [`MaskerParams::check`].
    pub fn build(self) -> Result<Masker, MaskError> {
        self.check()?;
        Ok(Masker::from_valid(self))
    }
}

/// Finds and masks personal data in text; see the [module docs](self) for what is
/// recognised.
///
/// Build once and reuse: the patterns are compiled once per process, and a `Masker` is a
/// cheap `Send + Sync` value to share across threads. [`Masker::default`] masks every kind
/// with placeholders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "MaskerParams", into = "MaskerParams")]
pub struct Masker {
    config: MaskerParams,
}

impl Default for Masker {
    fn default() -> Self {
        Masker::from_valid(MaskerParams::default())
    }
}

impl TryFrom<MaskerParams> for Masker {
    type Error = MaskError;
    fn try_from(params: MaskerParams) -> Result<Self, MaskError> {
        params.build()
    }
}

impl From<Masker> for MaskerParams {
    fn from(masker: Masker) -> Self {
        masker.config
    }
}

impl Masker {
    /// Parameters with the defaults (every kind masked with placeholders), to adjust and
    /// [`build`](MaskerParams::build).
    pub fn params() -> MaskerParams {
        MaskerParams::default()
    }

    fn from_valid(config: MaskerParams) -> Self {
        // Compile the patterns this masker needs now, so the cost is paid at build time
        // rather than inside the first (possibly parallel) call.
        if config.emails {
            LazyLock::force(&EMAIL);
        }
        if config.personal_urls {
            LazyLock::force(&URL);
        }
        if let Some(re) = numeric_regex(&config) {
            LazyLock::force(re);
        }
        Masker { config }
    }

    /// The configuration.
    pub fn config(&self) -> &MaskerParams {
        &self.config
    }

    /// Whether `kind` is masked.
    pub fn masks(&self, kind: PiiKind) -> bool {
        self.config.masks(kind)
    }

    /// The personal data in `text`, in text order and never overlapping.
    ///
    /// Overlapping candidates of different kinds merge into one match that covers them all,
    /// with the kind of the longest (on a tie, the more specific: URL, e-mail, phone, NHS
    /// number, postcode).
    pub fn find(&self, text: &str) -> Vec<PiiMatch> {
        let mut found = Vec::new();
        let c = &self.config;
        let bytes = text.as_bytes();
        if c.emails && bytes.contains(&b'@') {
            find_emails(text, &mut found);
        }
        // A personal URL has a path after "://" or the domain ('/'), user information
        // ('@'), or starts "www." (a bare "www.host?name=…"). Testing for '?' instead would
        // send every question in prose to the URL automaton.
        if c.personal_urls
            && (bytes.contains(&b'/') || bytes.contains(&b'@') || text.contains("www."))
        {
            find_urls(text, &mut found);
        }
        // Every postcode, phone and NHS number has an ASCII digit; a plain byte scan rules
        // out most answers faster than the automaton would.
        if let Some(re) = numeric_regex(c)
            && bytes.iter().any(u8::is_ascii_digit)
        {
            if found.is_empty() {
                find_numeric(re, text, c, &mut found);
            } else {
                // Search around the e-mail addresses and URLs already found, as if they were
                // blank: a number glued to one ("07700 900123https://…") is still a word of
                // its own once the address is masked, and masking twice must change nothing.
                // Blanking keeps every byte offset.
                let mut blanked = text.as_bytes().to_vec();
                for m in &found {
                    blanked[m.range.clone()].fill(b' ');
                }
                // Whole characters were replaced by ASCII, so this cannot fail.
                if let Ok(blanked) = String::from_utf8(blanked) {
                    find_numeric(re, &blanked, c, &mut found);
                }
            }
        }
        resolve_overlaps(found)
    }

    /// `text` with its personal data replaced; borrowed when there is none.
    pub fn mask<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let found = self.find(text);
        if found.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for m in &found {
            out.push_str(&text[last..m.range.start]);
            out.push_str(match &self.config.replacement {
                Replacement::Placeholder => m.kind.placeholder(),
                Replacement::Fixed(s) => s,
            });
            last = m.range.end;
        }
        out.push_str(&text[last..]);
        Cow::Owned(out)
    }
}

// ---------------------------------------------------------------------------------------
// Patterns.
//
// Word boundaries are ASCII (`(?-u:\b)`): a Unicode `\b` makes the regex crate's lazy DFA
// give up on any non-ASCII text (curly quotes, '£', '–' are common in answers) and fall back
// to a much slower engine. Letters and digits outside ASCII next to a match are checked in
// code instead (`unicode_word_char_around`).
// ---------------------------------------------------------------------------------------

/// Local part (not starting with punctuation), '@', domain labels, and a top-level domain of
/// two or more characters that starts with a letter. Letters are Unicode, like the
/// tokenizer's e-mail rule.
const EMAIL_PATTERN: &str = r"[\p{Alphabetic}\p{M}\p{N}_][\p{Alphabetic}\p{M}\p{N}._%+'-]*@[\p{Alphabetic}\p{M}\p{N}-]+(?:\.[\p{Alphabetic}\p{M}\p{N}-]+)*\.\p{Alphabetic}[\p{Alphabetic}\p{M}\p{N}-]*[\p{Alphabetic}\p{M}\p{N}]";

/// A URL starting with a scheme or `www.`, or a bare address on a social network, up to
/// whitespace, `<`, `>` or `"` (trailing punctuation is trimmed in code, as the tokenizer
/// does) or a square bracket, so that a placeholder such as `[phone]` masked into a generic
/// URL ends it, and masking twice changes nothing.
const URL_PATTERN: &str = r#"(?:(?i-u:https?://|www\.)|(?-u:\b)(?i-u:(?:[a-z0-9-]{1,30}\.)?(?:(?:linkedin|facebook|fb|twitter|x|instagram|tiktok)\.com|threads\.net)/))[^\s<>"\[\]]*"#;

/// A full UK postcode (outward code, optional space, inward code), after the official
/// pattern: area letters exclude Q, V, X first and I, J, Z second; the third and fourth
/// positions of A9A and AA9A outward codes and the inward letters (never C, I, K, M, O, V)
/// are restricted as in the published validation pattern. Case is checked in code.
// See: https://en.wikipedia.org/wiki/Postcodes_in_the_United_Kingdom#Validation
const POSTCODE_PATTERN: &str = r"(?-u:\b)(?i-u:GIR(?:\x20|\x{a0})?0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])(?:\x20|\x{a0})?[0-9][ABD-HJLNP-UW-Z]{2})(?-u:\b)";

/// How digit groups in a run are joined: one space (also no-break and thin spaces), hyphen
/// or dot, or a parenthesised group such as ` (0)`.
macro_rules! join {
    () => {
        r"(?:[\x20\x{a0}\x{2009}\x{202f}.\-\x{2010}\x{2011}]|[\x20\x{a0}]?\([0-9]{1,5}\)[\x20\x{a0}]?)"
    };
}

/// A run of digit groups that may hold phone or NHS numbers: after a `+` or a parenthesised
/// group ("(020) …"), any digit groups; otherwise 8 or more digits in the first group, or
/// several groups. Which groups form a number is decided in code (`scan_run`), where digit
/// counts can be checked. Lone short numbers (years, counts, times, prices) do not match at
/// all, which keeps text full of them cheap to scan.
const RUN_PATTERN: &str = concat!(
    r"(?:",
    r"(?:\+[\x20\x{a0}]?(?:\([0-9]{1,5}\)[\x20\x{a0}]?)?|\([0-9]{1,5}\)[\x20\x{a0}]?)[0-9]+(?:",
    join!(),
    r"[0-9]+)*",
    r"|(?-u:\b{start-half})[0-9]{8,}(?:",
    join!(),
    r"[0-9]+)*",
    r"|(?-u:\b{start-half})[0-9]{1,7}(?:",
    join!(),
    r"[0-9]+)+",
    r")(?-u:\b{end-half})"
);

fn compile(pattern: &str) -> Regex {
    // The patterns are constants, compiled in a unit test; failing here is a bug in this
    // file, never a consequence of input.
    Regex::new(pattern).expect("built-in masking pattern compiles")
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| compile(EMAIL_PATTERN));
static URL: LazyLock<Regex> = LazyLock::new(|| compile(URL_PATTERN));
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| compile(POSTCODE_PATTERN));
static RUN: LazyLock<Regex> = LazyLock::new(|| compile(RUN_PATTERN));
/// Postcodes and digit runs in one pass: a postcode starts with a letter and a run does not,
/// so the match's first byte tells them apart.
static NUMERIC: LazyLock<Regex> =
    LazyLock::new(|| compile(&format!("{POSTCODE_PATTERN}|{RUN_PATTERN}")));

/// The regex for the digit-bearing kinds this configuration masks.
fn numeric_regex(c: &MaskerParams) -> Option<&'static LazyLock<Regex>> {
    match (c.postcodes, c.phones || c.nhs_numbers) {
        (true, true) => Some(&NUMERIC),
        (true, false) => Some(&POSTCODE),
        (false, true) => Some(&RUN),
        (false, false) => None,
    }
}

/// Whether the character just before `start` or just after `end` is a letter or digit:
/// such a match is part of a longer word (the patterns only see ASCII boundaries).
fn unicode_word_char_around(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text[..start].chars().next_back().is_some_and(word)
        || text[end..].chars().next().is_some_and(word)
}

// ---------------------------------------------------------------------------------------
// E-mail addresses and URLs.
// ---------------------------------------------------------------------------------------

fn find_emails(text: &str, out: &mut Vec<PiiMatch>) {
    out.extend(EMAIL.find_iter(text).map(|m| PiiMatch { kind: PiiKind::Email, range: m.range() }));
}

fn find_urls(text: &str, out: &mut Vec<PiiMatch>) {
    let mut at = 0;
    while let Some(m) = URL.find_at(text, at) {
        // Trailing punctuation belongs to the sentence, as in the tokenizer (which trims
        // `.,;:!?)>"'`); closing brackets and curly quotes are trimmed too.
        let url = m.as_str().trim_end_matches(|c: char| {
            matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '>' | '"' | '\'')
                || matches!(c, '\u{2019}' | '\u{201d}' | '\u{2026}')
        });
        if is_personal_url(url) {
            out.push(PiiMatch { kind: PiiKind::Url, range: m.start()..m.start() + url.len() });
            at = m.end();
        } else {
            // A generic URL may hold a personal one ("…/redirect?to=https://x.com/jane"):
            // search again from its next character. Each restart stops at the next URL
            // start, so the whole scan stays linear in practice.
            at = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
        }
    }
}

/// Path segments after which the next segment names a person.
const PERSON_SEGMENTS: [&str; 7] =
    ["user", "users", "u", "profile", "profiles", "people", "person"];

/// Query keys that carry personal data, lower-cased with `_` and `-` removed.
const PERSON_KEYS: [&str; 29] = [
    "email",
    "mail",
    "emailaddress",
    "name",
    "firstname",
    "forename",
    "lastname",
    "surname",
    "fullname",
    "user",
    "username",
    "userid",
    "login",
    "patient",
    "patientid",
    "patientname",
    "nhs",
    "nhsno",
    "nhsnumber",
    "dob",
    "dateofbirth",
    "phone",
    "tel",
    "telephone",
    "mobile",
    "postcode",
    "address",
    "contact",
    "member",
];

/// First path segments of social-network addresses that are site pages, not people.
const FACEBOOK_PAGES: [&str; 21] = [
    "about",
    "ads",
    "business",
    "dialog",
    "events",
    "gaming",
    "groups",
    "hashtag",
    "help",
    "legal",
    "login",
    "login.php",
    "marketplace",
    "pages",
    "plugins",
    "policies",
    "privacy",
    "settings",
    "share",
    "sharer",
    "watch",
];
const TWITTER_PAGES: [&str; 15] = [
    "compose",
    "explore",
    "hashtag",
    "home",
    "i",
    "intent",
    "login",
    "messages",
    "notifications",
    "privacy",
    "search",
    "settings",
    "share",
    "signup",
    "tos",
];
const INSTAGRAM_PAGES: [&str; 11] = [
    "about",
    "accounts",
    "developer",
    "direct",
    "explore",
    "legal",
    "p",
    "reel",
    "reels",
    "tv",
    "web",
];

/// Whether a URL (with or without scheme) identifies a person by its path or query.
fn is_personal_url(url: &str) -> bool {
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|s| {
            url.get(..s.len()).filter(|h| h.eq_ignore_ascii_case(s)).map(|_| &url[s.len()..])
        })
        .unwrap_or(url);
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    // User information ("jane@host", "jane:secret@host") names a person; an '@' after the
    // host is an e-mail address or a handle.
    if authority.contains('@') || tail.contains('@') || tail.contains("%40") {
        return true;
    }
    let host = authority.split(':').next().unwrap_or(authority).to_ascii_lowercase();
    let tail = tail.split('#').next().unwrap_or("");
    let (path, query) = tail.split_once('?').unwrap_or((tail, ""));
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let on = |domain: &str| {
        host == domain || host.strip_suffix(domain).is_some_and(|sub| sub.ends_with('.'))
    };
    let first = segments.first().map(|s| s.to_ascii_lowercase());
    let first_is_name = |pages: &[&str]| first.as_deref().is_some_and(|f| !pages.contains(&f));
    let social = if on("linkedin.com") {
        matches!(first.as_deref(), Some("in" | "pub")) && segments.len() >= 2
    } else if on("facebook.com") || on("fb.com") {
        first_is_name(&FACEBOOK_PAGES)
    } else if on("twitter.com") || on("x.com") {
        first_is_name(&TWITTER_PAGES)
    } else if on("instagram.com") {
        first_is_name(&INSTAGRAM_PAGES)
    } else {
        false
    };
    if social {
        return true;
    }
    let person_path = segments.iter().enumerate().any(|(i, s)| {
        (s.len() > 1 && s.starts_with('~'))
            || (PERSON_SEGMENTS.iter().any(|p| s.eq_ignore_ascii_case(p)) && i + 1 < segments.len())
    });
    if person_path {
        return true;
    }
    query.split(['&', ';']).any(|pair| {
        let Some((key, value)) = pair.split_once('=') else {
            return false;
        };
        let key: String =
            key.chars().filter(|c| !matches!(c, '_' | '-')).flat_map(char::to_lowercase).collect();
        !value.is_empty() && PERSON_KEYS.contains(&key.as_str())
    })
}

// ---------------------------------------------------------------------------------------
// Postcodes, phone numbers and NHS numbers.
// ---------------------------------------------------------------------------------------

fn find_numeric(re: &Regex, text: &str, c: &MaskerParams, out: &mut Vec<PiiMatch>) {
    let mut groups = Vec::new();
    for m in re.find_iter(text) {
        let s = m.as_str();
        if s.as_bytes()[0].is_ascii_alphabetic() {
            if c.postcodes && is_postcode(text, m.start(), m.end()) {
                out.push(PiiMatch { kind: PiiKind::Postcode, range: m.range() });
            }
        } else if s.len() >= 8 {
            // Shorter runs hold fewer than 8 digits: no phone or NHS number (the common case
            // of years, counts and prices ends here).
            scan_run(text, m.range(), c, &mut groups, out);
        }
    }
}

/// Post-checks of a postcode candidate: a word on its own, and written in capitals or all
/// in lower case, where a lower-case inward code must not read as an ordinal or a unit.
fn is_postcode(text: &str, start: usize, end: usize) -> bool {
    if unicode_word_char_around(text, start, end) {
        return false;
    }
    let s = &text[start..end];
    let upper = s.bytes().filter(u8::is_ascii_uppercase).count();
    let lower = s.bytes().filter(u8::is_ascii_lowercase).count();
    if upper > 0 && lower > 0 {
        // "A1 2hr", "Sw1a 1AA": mixed case is prose far more often than an address.
        return false;
    }
    if lower > 0 {
        let b = s.as_bytes();
        let inward = &b[b.len() - 3..];
        let ordinal = matches!(
            (inward[0], &inward[1..]),
            (b'1', b"st") | (b'2', b"nd") | (b'3', b"rd") | (_, b"th")
        );
        let unit =
            matches!(&inward[1..], b"hr" | b"ft" | b"yd" | b"lb" | b"gb" | b"pt" | b"yr" | b"hz");
        if ordinal || unit {
            return false;
        }
    }
    true
}

/// How a digit group is joined to the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    /// Directly, only next to a parenthesised group: "(0)20".
    Glued,
    /// A space, no-break space or thin space.
    Space,
    /// A hyphen.
    Hyphen,
    /// A full stop.
    Dot,
}

/// A group of digits in a run: `start..end` in the text, including any parentheses.
#[derive(Debug, Clone)]
struct Group {
    start: usize,
    end: usize,
    digits: Range<usize>,
    paren: bool,
    sep: Sep,
}

impl Group {
    fn digits<'a>(&self, text: &'a str) -> &'a str {
        &text[self.digits.clone()]
    }
    fn len(&self) -> usize {
        self.digits.len()
    }
}

/// Splits a run matched by [`RUN_PATTERN`] into groups; returns whether it starts with `+`.
fn parse_run(text: &str, run: Range<usize>, groups: &mut Vec<Group>) -> bool {
    groups.clear();
    let s = &text[run.clone()];
    let mut plus = false;
    let mut sep = Sep::Glued;
    let mut chars = s.char_indices().peekable();
    let digits_from = |from: usize, chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>| {
        let mut end = from;
        while let Some(&(j, d)) = chars.peek() {
            if !d.is_ascii_digit() {
                break;
            }
            end = j + 1;
            chars.next();
        }
        end
    };
    while let Some((i, c)) = chars.next() {
        match c {
            '+' => plus = i == 0,
            '0'..='9' => {
                let end = digits_from(i + 1, &mut chars);
                let (start, end) = (run.start + i, run.start + end);
                groups.push(Group { start, end, digits: start..end, paren: false, sep });
                sep = Sep::Glued;
            }
            '(' => {
                let digits_end = digits_from(i + 1, &mut chars);
                // The pattern guarantees the closing parenthesis; stay safe if not.
                let close = chars.next_if(|&(_, c)| c == ')').map_or(digits_end, |(j, _)| j + 1);
                groups.push(Group {
                    start: run.start + i,
                    end: run.start + close,
                    digits: run.start + i + 1..run.start + digits_end,
                    paren: true,
                    sep,
                });
                sep = Sep::Glued;
            }
            '-' | '\u{2010}' | '\u{2011}' => sep = Sep::Hyphen,
            '.' => sep = Sep::Dot,
            // " (0) ": a hyphen or dot seen first stays the separator.
            _ if c.is_whitespace() && sep == Sep::Glued => sep = Sep::Space,
            _ => {}
        }
    }
    plus
}

/// Finds phone and NHS numbers among the digit groups of one run.
fn scan_run(
    text: &str,
    run: Range<usize>,
    c: &MaskerParams,
    groups: &mut Vec<Group>,
    out: &mut Vec<PiiMatch>,
) {
    // A run glued to a non-ASCII letter or digit is part of a word (the pattern only checks
    // ASCII); a leading '+' or '(' may follow anything.
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let leading_digit = text.as_bytes()[run.start].is_ascii_digit();
    if (leading_digit && text[..run.start].chars().next_back().is_some_and(word))
        || text[run.end..].chars().next().is_some_and(word)
    {
        return;
    }
    let plus = parse_run(text, run.clone(), groups);
    let mut i = 0;
    while i < groups.len() {
        let phone = if c.phones { phone_end(text, groups, i, plus) } else { None };
        let nhs = if c.nhs_numbers { nhs_end(text, groups, i, plus) } else { None };
        // The longer reading wins; a tie (a valid NHS number that is also a UK number with a
        // leading 0) is a phone.
        let found = match (phone, nhs) {
            (Some(p), Some(n)) if n > p => Some((n, PiiKind::NhsNumber)),
            (Some(p), _) => Some((p, PiiKind::Phone)),
            (None, Some(n)) => Some((n, PiiKind::NhsNumber)),
            (None, None) => None,
        };
        match found {
            Some((last, kind)) => {
                let international =
                    kind == PiiKind::Phone && !groups[i].digits(text).starts_with('0');
                let start =
                    if i == 0 && plus && international { run.start } else { groups[i].start };
                out.push(PiiMatch { kind, range: start..groups[last].end });
                i = last + 1;
            }
            None => i += 1,
        }
    }
}

/// The last group of the longest phone number starting at group `i`, if any.
fn phone_end(text: &str, groups: &[Group], i: usize, plus: bool) -> Option<usize> {
    if i == 0 && plus {
        // "+07700 900123" is no international number, but the national one after the
        // stray '+' is still a phone.
        let national = || {
            groups[0].digits(text).starts_with('0').then(|| national_end(text, groups, 0)).flatten()
        };
        return international_end(text, groups, 0, 0).or_else(national);
    }
    let g = &groups[i];
    let first = g.digits(text);
    if let Some(rest) = first.strip_prefix("00") {
        if g.paren {
            return None;
        }
        // An international call prefix: "00 353 …" or "0044 …".
        if !rest.is_empty() {
            return international_end(text, groups, i, 2);
        }
        let next = groups.get(i + 1)?;
        return if !next.paren && matches!(next.sep, Sep::Space | Sep::Hyphen) {
            international_end(text, groups, i + 1, 0)
        } else {
            None
        };
    }
    if first.starts_with('0') { national_end(text, groups, i) } else { None }
}

/// A UK national number: a leading 0 then a digit in 1–3, 5 or 7–9, 10 or 11 digits in at
/// most 4 groups, the first (the area code, maybe in parentheses) of at least 3 digits and
/// the others of at least 2.
fn national_end(text: &str, groups: &[Group], i: usize) -> Option<usize> {
    let first = groups[i].digits(text).as_bytes();
    if first.len() < 3 || !matches!(first[1], b'1' | b'2' | b'3' | b'5' | b'7' | b'8' | b'9') {
        return None;
    }
    let mut count = 0;
    let mut best = None;
    for (j, g) in groups.iter().enumerate().skip(i).take(4) {
        if j > i && (g.paren || g.len() < 2 || g.sep == Sep::Glued) {
            break;
        }
        count += g.len();
        if count > 11 {
            break;
        }
        if count >= 10 {
            best = Some(j);
        }
    }
    best
}

/// An international number starting at group `i` (after skipping `skip` digits of it, an
/// "00" call prefix): at most 8 groups and 15 digits, the national part's length fitting
/// the country code. A parenthesised "(0)" (the trunk prefix) is not counted.
fn international_end(text: &str, groups: &[Group], i: usize, skip: usize) -> Option<usize> {
    let mut digits = [0u8; 16];
    let mut count = 0;
    let mut best = None;
    for (j, g) in groups.iter().enumerate().skip(i).take(8) {
        let d = &g.digits(text).as_bytes()[if j == i { skip } else { 0 }..];
        if g.paren && d == b"0" && j > i {
            continue;
        }
        if count + d.len() > 15 {
            break;
        }
        digits[count..count + d.len()].copy_from_slice(d);
        count += d.len();
        if valid_international(&digits[..count]) {
            best = Some(j);
        }
    }
    best
}

/// Whether digits after `+` or `00` form a plausible number: a country code (never starting
/// with 0), then a national number of the country's length, 8 to 15 digits in all. A
/// national number written with its trunk 0 ("+44 07700 …") is accepted too.
fn valid_international(d: &[u8]) -> bool {
    if d.len() < 8 || d.len() > 15 || d[0] == b'0' {
        return false;
    }
    let cc_len = country_code_len(d);
    let nsn = &d[cc_len..];
    let range = national_length(&d[..cc_len], cc_len);
    range.contains(&nsn.len()) || (nsn.first() == Some(&b'0') && range.contains(&(nsn.len() - 1)))
}

/// Length of the E.164 country code at the start of `d` (codes are prefix-free).
fn country_code_len(d: &[u8]) -> usize {
    const TWO_DIGIT: [&[u8; 2]; 44] = [
        b"20", b"27", b"30", b"31", b"32", b"33", b"34", b"36", b"39", b"40", b"41", b"43", b"44",
        b"45", b"46", b"47", b"48", b"49", b"51", b"52", b"53", b"54", b"55", b"56", b"57", b"58",
        b"60", b"61", b"62", b"63", b"64", b"65", b"66", b"81", b"82", b"84", b"86", b"90", b"91",
        b"92", b"93", b"94", b"95", b"98",
    ];
    match d {
        [b'1' | b'7', ..] => 1,
        [a, b, ..] if TWO_DIGIT.contains(&&[*a, *b]) => 2,
        _ => 3,
    }
}

/// Lengths of national (significant) numbers for common country codes; otherwise whatever
/// keeps the whole number within 8 to 15 digits.
fn national_length(cc: &[u8], cc_len: usize) -> RangeInclusive<usize> {
    match cc {
        b"1" | b"7" | b"91" => 10..=10,
        b"44" => 9..=10,
        b"31" | b"33" | b"34" | b"61" => 9..=9,
        b"32" => 8..=9,
        b"353" => 7..=9,
        _ => 8usize.saturating_sub(cc_len)..=15 - cc_len,
    }
}

/// The last group of an NHS number starting at group `i`: 10 contiguous digits, or 3-3-4
/// joined by the same space or hyphen, with a valid check digit.
fn nhs_end(text: &str, groups: &[Group], i: usize, plus: bool) -> Option<usize> {
    let g = &groups[i];
    if (i == 0 && plus) || g.paren {
        return None;
    }
    if g.len() == 10 {
        return nhs_check_digit_valid(g.digits(text).as_bytes()).then_some(i);
    }
    let (g2, g3) = (groups.get(i + 1)?, groups.get(i + 2)?);
    let shape = g.len() == 3
        && g2.len() == 3
        && g3.len() == 4
        && !g2.paren
        && !g3.paren
        && g2.sep == g3.sep
        && matches!(g2.sep, Sep::Space | Sep::Hyphen);
    if !shape {
        return None;
    }
    let mut digits = [0u8; 10];
    digits[..3].copy_from_slice(g.digits(text).as_bytes());
    digits[3..6].copy_from_slice(g2.digits(text).as_bytes());
    digits[6..].copy_from_slice(g3.digits(text).as_bytes());
    nhs_check_digit_valid(&digits).then_some(i + 2)
}

/// The NHS number modulus-11 check: weights 10 down to 2 on the first nine digits,
/// check = 11 − (sum mod 11), where 11 means 0 and 10 means the number is invalid.
fn nhs_check_digit_valid(d: &[u8]) -> bool {
    if d.len() != 10 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(&b, w)| u32::from(b - b'0') * w).sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    u32::from(d[9] - b'0') == check
}

// ---------------------------------------------------------------------------------------
// Overlaps.
// ---------------------------------------------------------------------------------------

/// Sorts candidates and merges overlapping ones: the merged match covers them all and takes
/// the kind of the longest (on a tie, the lowest [`PiiKind::rank`]).
fn resolve_overlaps(mut found: Vec<PiiMatch>) -> Vec<PiiMatch> {
    if found.len() < 2 {
        return found;
    }
    found.sort_by(|a, b| a.range.start.cmp(&b.range.start).then(b.range.end.cmp(&a.range.end)));
    let mut out: Vec<PiiMatch> = Vec::with_capacity(found.len());
    // Length and rank of the candidate that gave the last merged match its kind.
    let mut best = (0, 0);
    for m in found {
        let key = (m.range.len(), m.kind.rank());
        match out.last_mut() {
            Some(last) if m.range.start < last.range.end => {
                last.range.end = last.range.end.max(m.range.end);
                if key.0 > best.0 || (key.0 == best.0 && key.1 < best.1) {
                    last.kind = m.kind;
                    best = key;
                }
            }
            _ => {
                best = key;
                out.push(m);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_compile() {
        for p in [EMAIL_PATTERN, URL_PATTERN, POSTCODE_PATTERN, RUN_PATTERN] {
            Regex::new(p).unwrap();
        }
        LazyLock::force(&NUMERIC);
    }

    #[test]
    fn nhs_check_digit() {
        // 943 476 5919: 9·10+4·9+3·8+4·7+7·6+6·5+5·4+9·3+1·2 = 299; 299 mod 11 = 2; 11−2 = 9.
        assert!(nhs_check_digit_valid(b"9434765919"));
        assert!(!nhs_check_digit_valid(b"9434765918"));
        // 123 456 7890: sum 210; 210 mod 11 = 1; 11−1 = 10, so no valid check digit exists.
        assert!(!nhs_check_digit_valid(b"1234567890"));
        assert!(!nhs_check_digit_valid(b"123456789"));
        assert!(!nhs_check_digit_valid(b"12345678a0"));
    }

    #[test]
    fn country_codes() {
        assert_eq!(country_code_len(b"12025550143"), 1);
        assert_eq!(country_code_len(b"447700900123"), 2);
        assert_eq!(country_code_len(b"35312345678"), 3);
        assert!(valid_international(b"447700900123"));
        assert!(valid_international(b"4407700900123"));
        assert!(valid_international(b"44800123456"));
        assert!(!valid_international(b"4477009001"));
        assert!(valid_international(b"12025550143"));
        assert!(!valid_international(b"120255501432"));
        assert!(!valid_international(b"2024"));
    }

    #[test]
    fn run_groups() {
        let text = "x +44 (0)20 7946-0958 y";
        let mut groups = Vec::new();
        let m = RUN.find(text).unwrap();
        assert_eq!(m.as_str(), "+44 (0)20 7946-0958");
        assert!(parse_run(text, m.range(), &mut groups));
        let shape: Vec<_> = groups.iter().map(|g| (g.digits(text), g.paren, g.sep)).collect();
        assert_eq!(
            shape,
            [
                ("44", false, Sep::Glued),
                ("0", true, Sep::Space),
                ("20", false, Sep::Glued),
                ("7946", false, Sep::Space),
                ("0958", false, Sep::Hyphen),
            ]
        );
    }

    #[test]
    fn overlaps_merge_to_the_longest() {
        let m = |kind, range| PiiMatch { kind, range };
        let merged = resolve_overlaps(vec![
            m(PiiKind::Email, 10..20),
            m(PiiKind::Url, 0..30),
            m(PiiKind::Phone, 40..50),
            m(PiiKind::Postcode, 45..60),
        ]);
        assert_eq!(merged, [m(PiiKind::Url, 0..30), m(PiiKind::Postcode, 40..60)]);
    }

    #[test]
    fn autotraits() {
        fn has<T: Send + Sync + Unpin + Clone>() {}
        has::<Masker>();
        has::<MaskerParams>();
        has::<PiiMatch>();
        has::<MaskError>();
    }
}
