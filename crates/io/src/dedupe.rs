/*!
Screening of non-answers, and detection of exact duplicates and campaigns.

Before responses are clustered, some are set aside, each with a reason, so that the rows read
always equal the rows kept plus the rows dropped. This module holds the pure logic; the ingest
layer calls it and does the accounting.

- [`Dedupe::screen`] looks at one text: [`Screen::Empty`] (nothing but spacing),
  [`Screen::NonAnswer`] ("N/A", "nothing to add", "-", ...) or [`Screen::TooShort`] (fewer
  letters and digits than [`min_chars`](Dedupe::min_chars)); `None` keeps it.
- [`Dedupe::duplicates`] looks at all of them together: an **exact duplicate** is a second
  submission of the same text by the same respondent to the same question; a **campaign** is a
  standard letter sent by many people, possibly with a name or a sentence changed.

```
use thematic_io::dedupe::{Dedupe, DedupeItem, Screen, Verdict};

let dedupe = Dedupe::params().campaign_min_words(5).build()?;
assert_eq!(dedupe.screen("N/A"), Some(Screen::NonAnswer));
assert_eq!(dedupe.screen("Good"), None);

let letter = "Please keep the walk-in centre open, it is the only care we can reach.";
let items = [
    DedupeItem::new(Some("p1"), Some("q1"), letter),
    DedupeItem::new(Some("p1"), Some("q1"), letter), // submitted twice
    DedupeItem::new(Some("p2"), Some("q1"), letter),
    DedupeItem::new(Some("p3"), Some("q1"), letter),
];
let found = dedupe.duplicates(&items);
assert_eq!(found.verdicts[1], Verdict::ExactDuplicate { of: 0 });
assert_eq!(found.campaigns[0].members, [0, 2, 3]);
assert_eq!(found.verdicts[3], Verdict::CampaignMember { campaign: 0, representative: 0 });
# Ok::<(), thematic_io::dedupe::DedupeError>(())
```

# Normalisation

Texts are compared as their **words**: the maximal runs of letters and digits (Unicode
alphanumeric characters), lower-cased. Punctuation, emoji and spacing are ignored, and so is
every other character between words: "N / A", "n/a", "N.A." and "n\a" all read `n a`, and
"Don't" reads `don t`. Runs in scripts written without spaces (Chinese, Japanese, Thai, ...)
are split further at Unicode word boundaries by [`thematic_text::tokenize`] (UAX #29), so that
their words can be counted and shingled too. The non-answer lists are matched against the
words joined by single spaces.

# Non-answers

The built-in list ([`NON_ANSWERS`], English) holds what analysts normally code as "no
answer": "n/a", "none", "nil", "no comment", "not applicable", "nothing to add", "nothing else",
"none at the moment", "don't know", "did not answer" and their usual variants, plus any text
with no letter, digit or emoji at all ("-", ".", "?", "..."). It also holds a bare "no",
"nothing" and "nothing at all": to a question such as "what could we do better?", "Nothing"
means the respondent was satisfied, but it carries no theme for clustering, and the Friends and
Family Test data the list was checked against has hundreds of them (labelled as positive
experience without any theme). A text matches only as a whole: "Nothing, all good" and
"No, the plan ignores rural areas" are kept. One-word answers with content ("Good", "Rude",
"Excellent") are kept. Analysts add their own phrases, in any language, with
[`extra_non_answers`](DedupeParams::extra_non_answers). References to another answer ("as
above", "see above") are not in the list: whether they count is the analyst's call.

# Campaigns

Each text with at least [`campaign_min_words`](Dedupe::campaign_min_words) words becomes the
set of its [`shingle`](Dedupe::shingle)-word shingles (overlapping word sequences; one shingle
of all its words if it is shorter). Two texts are similar when the Jaccard index of their sets
(shared shingles over all shingles) is at least
[`campaign_similarity`](Dedupe::campaign_similarity).

Texts are grouped by **leader clustering in input order**: each text joins the most similar
earlier *representative* it is similar to (ties go to the earlier one), or else becomes a
representative itself. Every member is thus verified against its representative, the first
member of its group, so chaining cannot merge different texts: if A is like B and B like C
but A is not like C, C does not join A's group through B. This is the union-find grouping with
each member checked against the representative, done in one pass. Its price is that the first
letter of a campaign defines it: a member must be similar to that one, not just to some other
member.

Candidates come from **MinHash** signatures of the shingle sets with **LSH banding**, so the
work is linear in the number of texts, not quadratic: a text is compared only with the
representatives that share a band of its signature. The signature is computed by one
permutation hashing with optimal densification (each shingle hashed once; each value of the
signature agrees between two texts with probability their Jaccard index, as with independent
hash functions, which a unit test checks). The band shape is chosen from the threshold so that
a pair exactly at the threshold becomes a candidate with probability at least 99.5% (more
similar pairs almost surely; the shape is 8 bands of 3 values at the default 0.8). Candidates
are then verified with the **exact** Jaccard index of the shingle sets, so the signature
never causes a false match; its only error is a rare missed candidate near the threshold.
Hashes are fixed and seeded by [`seed`](Dedupe::seed) (never `std`'s random state), so the
result depends only on the texts, their order and the parameters.

A million answers of about 40 words take about 1.2 s on two cores, 2 s on one (release
build; the ignored test `a_million_answers` in `tests/dedupe.rs`). Reading the words and
computing the band keys need only the text and run in parallel, a block of texts at a time;
the grouping, which depends on input order, runs over each block in order and is most of the
rest, in the LSH tables, which take about 300 bytes per item. The worst case is a mass of near
misses, such as 200,000 letters each rewritten by 10–30% from one template: every text then
has many candidates (at most 8 representatives per band key, the 16 sharing most bands
verified), about 10 µs per text.

A group is a campaign when it has at least [`campaign_min_size`](Dedupe::campaign_min_size)
members from as many distinct respondents (items without a respondent count as distinct
people): one person pasting the same letter into three questions is not a campaign. Exact
duplicates are found first and neither join nor count. The representative is kept
([`Verdict::Keep`]); the other members are [`Verdict::CampaignMember`].
*/

use std::collections::hash_map::Entry;
use std::fmt;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use thematic_text::tokenize;
use thiserror::Error;

/// The built-in non-answers (English), as written; they are matched after
/// [normalisation](self#normalisation), so case and punctuation do not matter ("Don’t know."
/// matches "don't know"; "dont know" is listed apart).
/// Texts without any letter, digit or emoji are non-answers too.
pub const NON_ANSWERS: &[&str] = &[
    // Not applicable.
    "n/a",
    "na",
    "not applicable",
    // None, nothing.
    "none",
    "nil",
    "no",
    "nope",
    "nothing",
    "nothing at all",
    "nothing really",
    "none really",
    "nothing thanks",
    "nothing thank you",
    "none thanks",
    "none thank you",
    "no thanks",
    "no thank you",
    "none at the moment",
    "none at this time",
    "none at present",
    "nothing at the moment",
    "nothing at this time",
    "nothing at present",
    // Nothing to add.
    "nothing to add",
    "nothing else",
    "nothing else to add",
    "nothing more",
    "nothing more to add",
    "nothing further",
    "nothing further to add",
    "nothing to say",
    "nothing to report",
    "nothing to add at this time",
    // No comment.
    "no comment",
    "no comments",
    "no further comment",
    "no further comments",
    "no other comments",
    "no additional comments",
    "no comment at this time",
    "no comments at this time",
    "no comment to make",
    "no comments to make",
    // No answer, no opinion.
    "no answer",
    "no response",
    "did not answer",
    "not answered",
    "no opinion",
    "no view",
    "no views",
    "prefer not to say",
    "don't know",
    "dont know",
    "do not know",
    "not sure",
    "no idea",
    // Placeholders.
    "xx",
    "xxx",
];

/// How many signature bands LSH uses when the threshold allows several hashes per band.
const BANDS: usize = 8;
/// The most hashes per band; a pair identical up to hash collisions always collides.
const MAX_ROWS: usize = 8;
/// The most bands (reached only for thresholds below about 0.3).
const MAX_BANDS: usize = 64;
/// Probability that a pair exactly at the threshold is not a candidate.
const MISS: f64 = 0.005;
/// Representatives kept under one band key. A key shared by more dissimilar representatives
/// is boilerplate; later representatives are still found through their other bands.
const MAX_REPS_PER_KEY: u32 = 8;
/// Candidates verified per text, the most promising (most shared bands) first.
const MAX_VERIFY: usize = 16;
/// Shingle sets of representatives kept between verifications (the cache is emptied when
/// full: campaign representatives, verified again and again, come straight back).
const CACHE_CAP: usize = 4096;
/// "No entry" in the LSH chains.
const NONE: u32 = u32::MAX;

/// Errors of [`DedupeParams::build`]: one variant per rule, naming the parameter.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum DedupeError {
    /// `campaign_similarity` is not in `(0, 1]`.
    #[error("invalid campaign_similarity {0}: a Jaccard threshold must lie in (0, 1]")]
    CampaignSimilarity(f64),
    /// `campaign_min_words` is 0.
    #[error("invalid campaign_min_words 0: a campaign letter has at least 1 word")]
    CampaignMinWords,
    /// `campaign_min_size` is below 2.
    #[error("invalid campaign_min_size {0}: a campaign has at least 2 members")]
    CampaignMinSize(usize),
    /// `shingle` is 0.
    #[error("invalid shingle 0: a shingle has at least 1 word")]
    Shingle,
    /// An entry of `extra_non_answers` has no letter or digit, so it could never match
    /// (texts without letters or digits are screened without it).
    #[error("invalid extra_non_answers entry {0:?}: it has no letter or digit")]
    ExtraNonAnswer(String),
}

/// Why [`Dedupe::screen`] does not keep a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Screen {
    /// Nothing but whitespace and invisible characters (zero-width spaces, byte order marks).
    Empty,
    /// A non-answer: a phrase of the built-in or the analyst's list, or only punctuation.
    NonAnswer,
    /// Fewer letters and digits than [`Dedupe::min_chars`] (an emoji alone, "x").
    TooShort,
}

impl Screen {
    /// The reason as reports print it: `"empty"`, `"non-answer"` or `"too short"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Screen::Empty => "empty",
            Screen::NonAnswer => "non-answer",
            Screen::TooShort => "too short",
        }
    }
}

impl fmt::Display for Screen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One response for [`Dedupe::duplicates`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DedupeItem<'a> {
    /// Who wrote it, if known. Items without one are never exact duplicates of each other.
    pub respondent: Option<&'a str>,
    /// The question it answers, if known (items without one answer the same question).
    pub question: Option<&'a str>,
    /// The text.
    pub text: &'a str,
}

impl<'a> DedupeItem<'a> {
    /// An item from its respondent, question and text.
    pub fn new(respondent: Option<&'a str>, question: Option<&'a str>, text: &'a str) -> Self {
        DedupeItem { respondent, question, text }
    }
}

/// What [`Dedupe::duplicates`] decided for one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum Verdict {
    /// Kept: a distinct response, or the representative of a campaign.
    Keep,
    /// The same respondent sent the same text (after normalisation) to the same question
    /// earlier: item `of`, the first of them.
    ExactDuplicate {
        /// Index of the first such item (which is never itself an exact duplicate).
        of: usize,
    },
    /// A member of a campaign other than its representative.
    CampaignMember {
        /// Index of the campaign in [`Duplicates::campaigns`] (its [`Campaign::id`]).
        campaign: usize,
        /// Index of the campaign's representative item.
        representative: usize,
    },
}

impl Verdict {
    /// Whether the item is kept ([`Verdict::Keep`]).
    pub fn is_keep(&self) -> bool {
        matches!(self, Verdict::Keep)
    }

    /// The reason as reports print it: `"kept"`, `"exact duplicate"` or `"campaign member"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Keep => "kept",
            Verdict::ExactDuplicate { .. } => "exact duplicate",
            Verdict::CampaignMember { .. } => "campaign member",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A campaign: a standard letter sent by many people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    /// Its index in [`Duplicates::campaigns`]: campaigns are numbered from 0 in the order of
    /// their first members.
    pub id: usize,
    /// The first member in input order, which defines the campaign and is kept.
    pub representative: usize,
    /// All members, the representative included, in increasing order.
    pub members: Vec<usize>,
    /// The number of members (`members.len()`).
    pub size: usize,
    /// Distinct respondents among the members (each member without a respondent counts as
    /// one); at least [`Dedupe::campaign_min_size`].
    pub respondents: usize,
    /// The mean Jaccard index of the other members' shingle sets to the representative's,
    /// computed exactly (1 when every member is a copy).
    pub mean_similarity: f64,
}

/// The result of [`Dedupe::duplicates`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Duplicates {
    /// One verdict per item, in input order.
    pub verdicts: Vec<Verdict>,
    /// The campaigns, in the order of their first members.
    pub campaigns: Vec<Campaign>,
}

impl Duplicates {
    /// Items kept (distinct responses and campaign representatives).
    pub fn kept(&self) -> usize {
        self.verdicts.iter().filter(|v| v.is_keep()).count()
    }

    /// Items that are exact duplicates.
    pub fn exact_duplicates(&self) -> usize {
        self.verdicts.iter().filter(|v| matches!(v, Verdict::ExactDuplicate { .. })).count()
    }

    /// Items that are campaign members other than the representatives.
    pub fn campaign_members(&self) -> usize {
        self.verdicts.iter().filter(|v| matches!(v, Verdict::CampaignMember { .. })).count()
    }
}

/// Unchecked parameters of screening and duplicate detection: consuming setters, validated by
/// [`build`](DedupeParams::build). Each is described, with its default and range, at the getter
/// of the same name on [`Dedupe`].
///
/// Deserialises from a table with any of the fields (the others keep their defaults), e.g. in
/// TOML `campaign_similarity = 0.9` and `extra_non_answers = ["rien"]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[must_use]
pub struct DedupeParams {
    non_answers: bool,
    extra_non_answers: Vec<String>,
    min_chars: usize,
    exact_duplicates: bool,
    campaigns: bool,
    campaign_min_words: usize,
    campaign_similarity: f64,
    campaign_min_size: usize,
    shingle: usize,
    seed: u64,
}

impl Default for DedupeParams {
    fn default() -> Self {
        Dedupe::params()
    }
}

impl DedupeParams {
    /// See [`Dedupe::non_answers`].
    pub fn non_answers(mut self, v: bool) -> Self {
        self.non_answers = v;
        self
    }

    /// See [`Dedupe::extra_non_answers`].
    pub fn extra_non_answers<I, S>(mut self, v: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.extra_non_answers = v.into_iter().map(Into::into).collect();
        self
    }

    /// See [`Dedupe::min_chars`].
    pub fn min_chars(mut self, v: usize) -> Self {
        self.min_chars = v;
        self
    }

    /// See [`Dedupe::exact_duplicates`].
    pub fn exact_duplicates(mut self, v: bool) -> Self {
        self.exact_duplicates = v;
        self
    }

    /// See [`Dedupe::campaigns`].
    pub fn campaigns(mut self, v: bool) -> Self {
        self.campaigns = v;
        self
    }

    /// See [`Dedupe::campaign_min_words`].
    pub fn campaign_min_words(mut self, v: usize) -> Self {
        self.campaign_min_words = v;
        self
    }

    /// See [`Dedupe::campaign_similarity`].
    pub fn campaign_similarity(mut self, v: f64) -> Self {
        self.campaign_similarity = v;
        self
    }

    /// See [`Dedupe::campaign_min_size`].
    pub fn campaign_min_size(mut self, v: usize) -> Self {
        self.campaign_min_size = v;
        self
    }

    /// See [`Dedupe::shingle`].
    pub fn shingle(mut self, v: usize) -> Self {
        self.shingle = v;
        self
    }

    /// See [`Dedupe::seed`].
    pub fn seed(mut self, v: u64) -> Self {
        self.seed = v;
        self
    }

    /// Validates the parameters.
    ///
    /// # Errors
    /// The [`DedupeError`] variant of the first parameter that breaks its rule.
    pub fn build(&self) -> Result<Dedupe, DedupeError> {
        let p = self;
        if !(p.campaign_similarity > 0.0 && p.campaign_similarity <= 1.0) {
            return Err(DedupeError::CampaignSimilarity(p.campaign_similarity));
        }
        if p.campaign_min_words == 0 {
            return Err(DedupeError::CampaignMinWords);
        }
        if p.campaign_min_size < 2 {
            return Err(DedupeError::CampaignMinSize(p.campaign_min_size));
        }
        if p.shingle == 0 {
            return Err(DedupeError::Shingle);
        }
        let mut phrases = FxHashSet::default();
        let mut normalised = String::new();
        for extra in &p.extra_non_answers {
            normalise(extra, &mut normalised);
            if normalised.is_empty() {
                return Err(DedupeError::ExtraNonAnswer(extra.clone()));
            }
            phrases.insert(normalised.clone());
        }
        if p.non_answers {
            for phrase in NON_ANSWERS {
                normalise(phrase, &mut normalised);
                phrases.insert(normalised.clone());
            }
        }
        // A text with more letters and digits than the longest phrase cannot match, and most
        // texts are longer: they skip building their normalised form.
        let max_phrase_chars =
            phrases.iter().map(|s| s.chars().filter(|c| *c != ' ').count()).max().unwrap_or(0);
        let (bands, rows) = lsh_shape(p.campaign_similarity);
        let mut state = p.seed ^ 0x6a09_e667_f3bc_c908;
        let minhash = [splitmix(&mut state), splitmix(&mut state) | 1, splitmix(&mut state)];
        Ok(Dedupe { params: p.clone(), phrases, max_phrase_chars, bands, rows, minhash })
    }
}

/// Screening of non-answers and detection of exact duplicates and campaigns, with validated
/// parameters (see the [module docs](self)). [`Dedupe::params`] is the entry point.
#[derive(Debug, Clone)]
pub struct Dedupe {
    params: DedupeParams,
    /// Normalised non-answer phrases: the built-in ones if enabled, and the analyst's.
    phrases: FxHashSet<String>,
    /// Letters and digits of the longest phrase.
    max_phrase_chars: usize,
    /// LSH bands and hashes per band.
    bands: usize,
    rows: usize,
    /// Seeded keys of the signature: the key xored into a shingle's hash, the multiplier,
    /// and the key of the densification's probe sequence.
    minhash: [u64; 3],
}

impl Dedupe {
    /// Parameters at their defaults (see the getters).
    pub fn params() -> DedupeParams {
        DedupeParams {
            non_answers: true,
            extra_non_answers: Vec::new(),
            min_chars: 2,
            exact_duplicates: true,
            campaigns: true,
            campaign_min_words: 10,
            campaign_similarity: 0.8,
            campaign_min_size: 3,
            shingle: 3,
            seed: 42,
        }
    }

    /// Whether the built-in English non-answers ([`NON_ANSWERS`]) and punctuation-only texts
    /// are screened as [`Screen::NonAnswer`]. Default `true`. When `false`, punctuation-only
    /// texts are still [`Screen::TooShort`] (unless `min_chars` is 0).
    pub fn non_answers(&self) -> bool {
        self.params.non_answers
    }

    /// The analyst's own non-answer phrases, in any language, matched as whole texts after the
    /// same normalisation; they apply whether or not [`non_answers`](Dedupe::non_answers) is
    /// on. Each must have a letter or digit. Default none.
    pub fn extra_non_answers(&self) -> &[String] {
        &self.params.extra_non_answers
    }

    /// A text with fewer letters and digits (Unicode alphanumeric characters) than this is
    /// [`Screen::TooShort`]: "ok" passes the default 2, "x" and an emoji alone do not. 0 turns
    /// the rule off. Note that one CJK character ("好") counts as one. Default 2.
    pub fn min_chars(&self) -> usize {
        self.params.min_chars
    }

    /// Whether exact duplicates are detected. Default `true`.
    pub fn exact_duplicates(&self) -> bool {
        self.params.exact_duplicates
    }

    /// Whether campaigns are detected. Default `true`.
    pub fn campaigns(&self) -> bool {
        self.params.campaigns
    }

    /// Texts with fewer words than this are never campaign members: short answers ("Very good
    /// service") are often identical by chance. At least 1. Default 10.
    pub fn campaign_min_words(&self) -> usize {
        self.params.campaign_min_words
    }

    /// Two texts are similar when the Jaccard index of their shingle sets is at least this, in
    /// `(0, 1]`; 1 groups only texts with the same shingles. Default 0.8: with 3-word shingles,
    /// a 60-word letter stays above it with a changed name or an added short sentence
    /// (around 0.9), while two different letters on the same topic share almost no shingles.
    pub fn campaign_similarity(&self) -> f64 {
        self.params.campaign_similarity
    }

    /// A campaign has at least this many members, from as many distinct respondents (each
    /// item without a respondent counts as one). At least 2. Default 3.
    pub fn campaign_min_size(&self) -> usize {
        self.params.campaign_min_size
    }

    /// Words per shingle. At least 1; 1 compares the sets of words, ignoring their order.
    /// Default 3.
    pub fn shingle(&self) -> usize {
        self.params.shingle
    }

    /// Seed of the MinHash functions. Only which candidates are found can depend on it, and
    /// only for pairs near the threshold. Default 42.
    pub fn seed(&self) -> u64 {
        self.params.seed
    }

    /// Whether a text is kept (`None`) or why not. The checks run in this order: empty, then
    /// non-answer, then too short.
    pub fn screen(&self, text: &str) -> Option<Screen> {
        // With this many letters and digits a text passes every rule, and most texts reach it
        // within a few words: they are kept without reading further.
        let enough = (self.max_phrase_chars + 1).max(self.params.min_chars);
        let (mut visible, mut chars, mut emoji) = (false, 0usize, false);
        let bytes = text.as_bytes();
        let mut pos = 0;
        while let Some(&b) = bytes.get(pos) {
            if b < 0x80 {
                pos += 1;
                if b.is_ascii_alphanumeric() {
                    chars += 1;
                } else if b.is_ascii_whitespace() || b == 0x0b {
                    continue;
                }
            } else {
                let Some(c) = text.get(pos..).and_then(|rest| rest.chars().next()) else { break };
                pos += c.len_utf8();
                if c.is_alphanumeric() {
                    chars += 1;
                } else if c.is_whitespace() || is_invisible(c) {
                    continue;
                } else {
                    emoji |= is_pictographic(c);
                }
            }
            visible = true;
            if chars >= enough {
                return None;
            }
        }
        if !visible {
            return Some(Screen::Empty);
        }
        if chars == 0 && !emoji && self.params.non_answers {
            return Some(Screen::NonAnswer);
        }
        if chars > 0 && chars <= self.max_phrase_chars {
            let mut normalised = String::new();
            normalise(text, &mut normalised);
            if self.phrases.contains(&normalised) {
                return Some(Screen::NonAnswer);
            }
        }
        if chars < self.params.min_chars {
            return Some(Screen::TooShort);
        }
        None
    }

    /// Exact duplicates and campaigns among `items` (see the [module docs](self)): one verdict
    /// per item and the campaigns. Items are not screened here: pass the ones
    /// [`screen`](Dedupe::screen) keeps.
    ///
    /// Exact duplicates are found by a 64-bit hash of respondent, question and normalised
    /// words, and confirmed by comparing them in full; in the (about 3 × 10⁻⁸ per million
    /// items) event that two different items share a hash, the later one is kept.
    pub fn duplicates(&self, items: &[DedupeItem<'_>]) -> Duplicates {
        let mut verdicts = vec![Verdict::Keep; items.len()];
        // Keyed by one hash of respondent, question and words, checked in full on a hit.
        let mut first: FxHashMap<u64, usize> = FxHashMap::default();
        if self.params.exact_duplicates {
            first.reserve(items.len());
        }
        let mut finder = self.params.campaigns.then(|| Finder::new(self, items.len()));
        // Hashing the words and the band keys of each text is most of the work and needs
        // nothing but the text: it is done in parallel, a block at a time (so that the keys
        // held stay small), and the grouping, which depends on input order, runs over the
        // prepared block in order. The result is the same whatever the thread count.
        let mut prepared: Vec<Prepared> = Vec::new();
        let mut keys: Vec<u32> = Vec::new();
        for (b, block) in items.chunks(PREPARE_BLOCK).enumerate() {
            self.prepare(block, &mut prepared, &mut keys);
            for (j, ready) in prepared.iter().enumerate() {
                let i = b * PREPARE_BLOCK + j;
                let band = keys.get(j * self.bands..(j + 1) * self.bands).unwrap_or(&[]);
                self.place((i, ready, band), items, &mut first, &mut verdicts, finder.as_mut());
            }
        }
        let campaigns = match finder {
            Some(finder) => finder.campaigns(items, self.params.campaign_min_size),
            None => Vec::new(),
        };
        for c in &campaigns {
            for &m in &c.members {
                if m != c.representative
                    && let Some(v) = verdicts.get_mut(m)
                {
                    *v = Verdict::CampaignMember {
                        campaign: c.id,
                        representative: c.representative,
                    };
                }
            }
        }
        Duplicates { verdicts, campaigns }
    }

    /// The exact-duplicate key and campaign band keys of every text of `block`, in parallel:
    /// `prepared[j]` for `block[j]`, whose band keys are `keys[j * bands..][..bands]` (unset
    /// if the text is too short for a campaign).
    fn prepare(&self, block: &[DedupeItem<'_>], prepared: &mut Vec<Prepared>, keys: &mut Vec<u32>) {
        let bands = self.bands;
        prepared.clear();
        prepared.resize(block.len(), Prepared::default());
        keys.clear();
        keys.resize(block.len() * bands, 0);
        let buffers = || (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        block
            .par_iter()
            .zip(prepared.par_iter_mut())
            .zip(keys.par_chunks_mut(bands))
            .for_each_init(
                buffers,
                |(words, scratch, shingled, sig, band), ((item, ready), out)| {
                    word_hashes(item.text, words, scratch);
                    if self.params.exact_duplicates
                        && let Some(respondent) = item.respondent
                    {
                        let question =
                            item.question.map_or(0x51_7cc1_b727_220a, |q| hash_bytes(q.as_bytes()));
                        ready.exact = Some(
                            mum(
                                hash_bytes(respondent.as_bytes()) ^ question,
                                0x2d35_8dcc_aa6c_78a5,
                            ) ^ text_hash(words),
                        );
                    }
                    if self.params.campaigns && words.len() >= self.params.campaign_min_words {
                        ready.campaign = true;
                        shingles(words, self.params.shingle, shingled);
                        self.band_keys(shingled, sig, band);
                        out.copy_from_slice(band);
                    }
                },
            );
    }

    /// Gives item `i` its verdict from what [`prepare`](Dedupe::prepare) found (`ready`, and
    /// its band `keys`): an exact duplicate of an earlier item, or a text for the campaign
    /// finder.
    fn place(
        &self,
        (i, ready, keys): (usize, &Prepared, &[u32]),
        items: &[DedupeItem<'_>],
        first: &mut FxHashMap<u64, usize>,
        verdicts: &mut [Verdict],
        finder: Option<&mut Finder<'_>>,
    ) {
        let Some(item) = items.get(i) else { return };
        if let Some(key) = ready.exact {
            match first.entry(key) {
                Entry::Occupied(e) => {
                    let of = *e.get();
                    if items.get(of).is_some_and(|earlier| {
                        earlier.respondent == item.respondent
                            && earlier.question == item.question
                            && same_words(earlier.text, item.text)
                    }) {
                        verdicts[i] = Verdict::ExactDuplicate { of };
                        return;
                    }
                }
                Entry::Vacant(e) => {
                    e.insert(i);
                }
            }
        }
        if let Some(finder) = finder
            && ready.campaign
        {
            finder.add(i, keys, items);
        }
    }
}

/// Texts whose words are hashed in parallel at a time: enough to keep two cores busy, few
/// enough that their band keys stay small (at most 64 KiB × bands × 4 bytes).
const PREPARE_BLOCK: usize = 1 << 16;

/// What [`Dedupe::prepare`] found about one text.
#[derive(Debug, Clone, Copy, Default)]
struct Prepared {
    /// The exact-duplicate key (respondent, question and words), if it has a respondent and
    /// exact duplicates are looked for.
    exact: Option<u64>,
    /// Whether it is long enough for a campaign (its band keys are set).
    campaign: bool,
}

impl Dedupe {
    /// The MinHash signature of a shingle set: `bands × rows` values (at most 64), each equal
    /// for two sets with probability their Jaccard index.
    ///
    /// One permutation hashing with optimal densification (Li, Owen & Zhang 2012; Shrivastava
    /// 2017): each shingle is hashed once with the seeded hash and falls into one of the `k`
    /// bins by the top bits of its hash, each bin keeping its smallest hash; an empty bin then
    /// takes the value of the first non-empty bin in a probe sequence that depends only on the
    /// bin and the seed, so that two sets probe alike. That costs `O(|S| + k)` per text where
    /// `k` independent hash functions would cost `O(|S| · k)`, and keeps the probability of
    /// agreement in each bin equal to the Jaccard index. A bin's value is a hash that falls
    /// in the bin it came from, so values from different bins never agree by accident.
    fn signature(&self, shingles: &[u64], sig: &mut Vec<u64>) {
        let k = self.bands * self.rows;
        sig.clear();
        sig.resize(k, u64::MAX);
        let [key, mul, probe] = self.minhash;
        // Bit j: bin j holds a shingle of its own (k ≤ 64, see `lsh_shape`).
        let mut filled = 0u64;
        for &s in shingles {
            let h = mum(s ^ key, mul);
            let bin = fast_range(h, k);
            if let Some(m) = sig.get_mut(bin) {
                *m = (*m).min(h);
                filled |= 1 << bin;
            }
        }
        if filled == 0 {
            return;
        }
        for j in 0..k {
            if filled & (1 << j) != 0 {
                continue;
            }
            let mut donor = None;
            for attempt in 1..=(16 * k as u64) {
                let d = fast_range(mum(((j as u64) << 32 | attempt) ^ probe, mul), k);
                if filled & (1 << d) != 0 {
                    donor = Some(d);
                    break;
                }
            }
            // Past the probes (probability below 10⁻⁷ with one filled bin in 64), the next
            // filled bin to the right, as rotation densification does.
            let d = donor.unwrap_or_else(|| {
                (1..k).map(|o| (j + o) % k).find(|&d| filled & (1 << d) != 0).unwrap_or(j)
            });
            if let Some(&v) = sig.get(d) {
                sig[j] = v;
            }
        }
    }

    /// The LSH band keys of a shingle set, one per band, into `keys` (`sig` is a buffer).
    ///
    /// Keys are 32 bits, to halve the memory of the LSH tables: two different bands agree by
    /// accident with probability 2⁻³², which only adds a candidate, rejected when verified.
    fn band_keys(&self, shingles: &[u64], sig: &mut Vec<u64>, keys: &mut Vec<u32>) {
        self.signature(shingles, sig);
        keys.clear();
        for (b, band) in sig.chunks_exact(self.rows).enumerate() {
            let mut h = (b as u64).wrapping_add(0x243f_6a88_85a3_08d3);
            for &m in band {
                h = mum(h ^ m, 0x9e37_79b9_7f4a_7c15);
            }
            keys.push((h >> 32) as u32);
        }
    }
}

/// `h`'s top 32 bits scaled to `0..k` (Lemire's multiply-shift range reduction).
#[inline]
fn fast_range(h: u64, k: usize) -> usize {
    (((h >> 32) * k as u64) >> 32) as usize
}

/// The LSH shape for a Jaccard threshold `t`: bands and hashes (rows) per band.
///
/// A pair with Jaccard index `s` agrees on one hash with probability `s`, on a band of `r`
/// hashes with probability `s^r`, and becomes a candidate if any of `b` bands agrees:
/// `1 − (1 − s^r)^b`. With 8 bands, the largest `r` that keeps this at least `1 − MISS` at
/// `s = t` is taken (more hashes per band mean fewer dissimilar candidates); below about
/// `t = 0.3` not even `r = 1` does, so more bands of one hash are used instead, at most 64
/// (below `t ≈ 0.08` recall at the threshold falls under 99.5%).
fn lsh_shape(t: f64) -> (usize, usize) {
    if t >= 1.0 {
        // Identical shingle sets have identical signatures.
        return (1, MAX_ROWS);
    }
    let per_band = 1.0 - MISS.powf(1.0 / BANDS as f64);
    let rows = (per_band.ln() / t.ln()).floor();
    if rows >= 1.0 {
        // `rows` is finite and at least 1 here; the cast saturates anyway.
        return (BANDS, (rows as usize).min(MAX_ROWS));
    }
    let bands = (MISS.ln() / (1.0 - t).ln()).ceil();
    let bands =
        if bands.is_finite() { (bands as usize).clamp(BANDS, MAX_BANDS) } else { MAX_BANDS };
    (bands, 1)
}

/// Leader clustering of campaign candidates, fed in input order.
struct Finder<'d> {
    dedupe: &'d Dedupe,
    /// Per band, band key → head of its chain in `chain`. Most keys belong to one text, so
    /// the length is not stored (a third of the maps' memory): `add` counts it while it
    /// walks the chain.
    maps: Vec<FxHashMap<u32, u32>>,
    /// Per band, the length of the current text's chain, as `add` walked it.
    lengths: Vec<u32>,
    /// Chains of representatives: (item, next entry or NONE).
    chain: Vec<(u32, u32)>,
    /// Members other than representatives: (item, representative, Jaccard index).
    joined: Vec<(u32, u32, f64)>,
    /// Shingle sets of recently verified representatives.
    cache: FxHashMap<u32, Vec<u64>>,
    // Buffers reused from text to text.
    words: Vec<u64>,
    scratch: Vec<u8>,
    shingles: Vec<u64>,
    keys: Vec<u32>,
    reps: Vec<u32>,
    candidates: Vec<(u32, u32)>,
}

impl<'d> Finder<'d> {
    fn new(dedupe: &'d Dedupe, n: usize) -> Self {
        let map = FxHashMap::with_capacity_and_hasher(n, Default::default());
        Finder {
            dedupe,
            maps: vec![map; dedupe.bands],
            lengths: vec![0; dedupe.bands],
            chain: Vec::new(),
            joined: Vec::new(),
            cache: FxHashMap::default(),
            words: Vec::new(),
            scratch: Vec::new(),
            shingles: Vec::new(),
            keys: Vec::new(),
            reps: Vec::new(),
            candidates: Vec::new(),
        }
    }

    /// Adds item `i` with its band keys: it joins the most similar earlier representative,
    /// or becomes one.
    fn add(&mut self, i: usize, keys: &[u32], items: &[DedupeItem<'_>]) {
        // Chains store u32 indices; an item past 4 294 967 294 is not compared (never reached
        // by a consultation, and memory would run out first).
        let Ok(item) = u32::try_from(i) else { return };
        if item == NONE {
            return;
        }
        let d = self.dedupe;
        self.keys.clear();
        self.keys.extend_from_slice(keys);

        // Representatives sharing a band, with the number of bands shared.
        self.reps.clear();
        for ((map, key), length) in self.maps.iter().zip(&self.keys).zip(&mut self.lengths) {
            *length = 0;
            let Some(&(mut at)) = map.get(key) else { continue };
            while let Some(&(rep, next)) = self.chain.get(at as usize) {
                self.reps.push(rep);
                *length += 1;
                at = next;
            }
        }
        self.reps.sort_unstable();
        self.candidates.clear();
        for run in self.reps.chunk_by(|a, b| a == b) {
            if let Some(&rep) = run.first() {
                self.candidates.push((rep, run.len() as u32));
            }
        }
        // The most shared bands first: they are the most similar in expectation.
        self.candidates.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        if !self.candidates.is_empty() {
            // Only texts with candidates need their shingle set: hashed again here, which
            // costs less than keeping every text's.
            let text = items.get(i).map_or("", |it| it.text);
            word_hashes(text, &mut self.words, &mut self.scratch);
            shingle_set(&self.words, d.params.shingle, &mut self.shingles);
        }
        let mut best: Option<(u32, f64)> = None;
        for &(rep, _) in self.candidates.iter().take(MAX_VERIFY) {
            if !self.cache.contains_key(&rep) {
                if self.cache.len() >= CACHE_CAP {
                    self.cache.clear();
                }
                let text = items.get(rep as usize).map_or("", |it| it.text);
                let (mut w, mut scratch, mut set) = (Vec::new(), Vec::new(), Vec::new());
                word_hashes(text, &mut w, &mut scratch);
                shingle_set(&w, d.params.shingle, &mut set);
                self.cache.insert(rep, set);
            }
            let Some(set) = self.cache.get(&rep) else { continue };
            let Some(j) = jaccard_at_least(&self.shingles, set, d.params.campaign_similarity)
            else {
                continue;
            };
            if best.is_none_or(|(b, bj)| j > bj || (j == bj && rep < b)) {
                best = Some((rep, j));
            }
        }
        if let Some((rep, j)) = best {
            self.joined.push((item, rep, j));
            return;
        }
        for ((map, &key), &length) in self.maps.iter_mut().zip(&self.keys).zip(&self.lengths) {
            // The chain arena is indexed by u32; past that, new keys are not recorded.
            let Ok(at) = u32::try_from(self.chain.len()) else { return };
            match map.entry(key) {
                Entry::Occupied(mut e) => {
                    if length < MAX_REPS_PER_KEY {
                        self.chain.push((item, *e.get()));
                        e.insert(at);
                    }
                }
                Entry::Vacant(e) => {
                    self.chain.push((item, NONE));
                    e.insert(at);
                }
            }
        }
    }

    /// The groups large enough to be campaigns, in the order of their representatives.
    fn campaigns(mut self, items: &[DedupeItem<'_>], min_size: usize) -> Vec<Campaign> {
        self.joined.sort_unstable_by_key(|&(m, rep, _)| (rep, m));
        let mut out = Vec::new();
        let mut people = FxHashSet::default();
        for group in self.joined.chunk_by(|a, b| a.1 == b.1) {
            let Some(&(_, rep, _)) = group.first() else { continue };
            let rep = rep as usize;
            let size = group.len() + 1;
            if size < min_size {
                continue;
            }
            let mut members = Vec::with_capacity(size);
            members.push(rep);
            members.extend(group.iter().map(|&(m, _, _)| m as usize));
            people.clear();
            let mut anonymous = 0;
            for &m in &members {
                match items.get(m).and_then(|it| it.respondent) {
                    Some(r) => {
                        people.insert(r);
                    }
                    None => anonymous += 1,
                }
            }
            let respondents = people.len() + anonymous;
            if respondents < min_size {
                continue;
            }
            let sims = group.iter().map(|g| g.2);
            let (lo, hi) =
                sims.clone().fold((1.0f64, 0.0f64), |(lo, hi), j| (lo.min(j), hi.max(j)));
            // Rounding must not take the mean out of its members' range (below the threshold).
            let mean_similarity = (sims.sum::<f64>() / group.len() as f64).clamp(lo, hi);
            out.push(Campaign {
                id: out.len(),
                representative: rep,
                members,
                size,
                respondents,
                mean_similarity,
            });
        }
        out
    }
}

/// The Jaccard index of two sorted sets without repeats if it is at least `t`.
///
/// `J ≥ t` exactly when the elements in only one set number at most `n (1 − t) / (1 + t)`
/// of the `n = |a| + |b|`: the merge stops as soon as more have been passed (one element of
/// slack keeps rounding from deciding), so dissimilar candidates cost a fraction of a merge.
fn jaccard_at_least(a: &[u64], b: &[u64], t: f64) -> Option<f64> {
    let n = a.len() + b.len();
    let allowed = n as f64 * (1.0 - t) / (1.0 + t) + 1.0;
    if a.len().abs_diff(b.len()) as f64 > allowed {
        return None;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
        if (i + j - 2 * shared) as f64 > allowed {
            return None;
        }
    }
    let union = n - shared;
    let jaccard = if union == 0 { 1.0 } else { shared as f64 / union as f64 };
    (jaccard >= t).then_some(jaccard)
}

/// The hashes of the `w`-word shingles of a text's words, in text order and with repeats (the
/// signature does not need a set; [`shingle_set`] makes one); a text shorter than `w` words
/// has one shingle of all of them.
fn shingles(words: &[u64], w: usize, out: &mut Vec<u64>) {
    out.clear();
    let w = w.min(words.len()).max(1);
    for window in words.windows(w) {
        // Word hashes are already mixed: rotating each by its position (23 is odd, so the
        // first 64 positions all differ) keeps the order, and one multiply mixes the result.
        let h = window.iter().fold(w as u64, |h, &x| h.rotate_left(23) ^ x);
        out.push(mum(h ^ 0xa076_1d64_78bd_642f, 0xe703_7ed1_a0b4_28db));
    }
}

/// The shingle hashes as a sorted set without repeats, for [`jaccard`].
fn shingle_set(words: &[u64], w: usize, out: &mut Vec<u64>) {
    shingles(words, w, out);
    out.sort_unstable();
    out.dedup();
}

/// Calls `f` with each [normalised](self#normalisation) word of `text`: its maximal runs of
/// letters and digits, lower-cased, with runs in scripts written without spaces split further
/// at Unicode word boundaries. `scratch` is a buffer.
///
/// ASCII is read byte by byte; [`tokenize`] runs only on runs that need it.
fn for_each_word(text: &str, scratch: &mut Vec<u8>, mut f: impl FnMut(&[u8])) {
    let bytes = text.as_bytes();
    let (mut pos, mut start, mut segment) = (0, 0, false);
    scratch.clear();
    let mut end_run = |start: usize, end: usize, segment: bool, scratch: &mut Vec<u8>| {
        if segment {
            segment_run(text.get(start..end).unwrap_or(""), scratch, &mut f);
        } else {
            f(scratch);
        }
        scratch.clear();
    };
    while let Some(&b) = bytes.get(pos) {
        if b < 0x80 {
            if b.is_ascii_alphanumeric() {
                if scratch.is_empty() {
                    start = pos;
                }
                scratch.push(b.to_ascii_lowercase());
            } else if !scratch.is_empty() {
                end_run(start, pos, segment, scratch);
                segment = false;
            }
            pos += 1;
            continue;
        }
        let Some(c) = text.get(pos..).and_then(|rest| rest.chars().next()) else { break };
        if c.is_alphanumeric() {
            if scratch.is_empty() {
                start = pos;
            }
            segment |= needs_segmentation(c);
            let mut buf = [0u8; 4];
            for l in c.to_lowercase() {
                scratch.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
            }
        } else if !scratch.is_empty() {
            end_run(start, pos, segment, scratch);
            segment = false;
        }
        pos += c.len_utf8();
    }
    if !scratch.is_empty() {
        end_run(start, bytes.len(), segment, scratch);
    }
}

/// The words of a run of letters and digits that holds characters of a script written
/// without spaces, split at Unicode word boundaries ([`tokenize`]: one word per ideograph,
/// kana and Thai character, Hangul and Latin runs whole).
fn segment_run(run: &str, scratch: &mut Vec<u8>, f: &mut impl FnMut(&[u8])) {
    let mut buf = [0u8; 4];
    for token in tokenize(run) {
        scratch.clear();
        for c in token.text.chars().filter(|c| c.is_alphanumeric()) {
            for l in c.to_lowercase() {
                scratch.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
            }
        }
        if !scratch.is_empty() {
            f(scratch);
        }
    }
}

/// Whether a letter belongs to a script written without spaces between words, where word
/// boundaries need UAX #29: Thai, Lao, Myanmar, Khmer, Tai Le, New Tai Lue, and everything
/// from the CJK radicals (U+2E80) up (kana, ideographs, Hangul, fullwidth forms).
fn needs_segmentation(c: char) -> bool {
    matches!(c as u32, 0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF | 0x1950..=0x19DF)
        || c >= '\u{2E80}'
}

/// The normalised words of `text` joined by single spaces, into `out`.
fn normalise(text: &str, out: &mut String) {
    out.clear();
    let mut scratch = Vec::new();
    for_each_word(text, &mut scratch, |w| {
        if !out.is_empty() {
            out.push(' ');
        }
        // The bytes come from whole characters of a `str`.
        out.push_str(std::str::from_utf8(w).unwrap_or(""));
    });
}

/// Whether two texts have the same normalised words.
fn same_words(a: &str, b: &str) -> bool {
    let (mut x, mut y) = (String::new(), String::new());
    normalise(a, &mut x);
    normalise(b, &mut y);
    x == y
}

/// The hashes of the normalised words of `text`, into `out`.
///
/// Most texts are ASCII, where the words are the runs of ASCII letters and digits: they are
/// hashed in place, `| 0x20` lower-casing a letter and leaving a digit as it is, to the same
/// hashes as [`for_each_word`] gives (tested).
fn word_hashes(text: &str, out: &mut Vec<u64>, scratch: &mut Vec<u8>) {
    out.clear();
    if !text.is_ascii() {
        for_each_word(text, scratch, |w| out.push(hash_bytes(w)));
        return;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while bytes.get(i).is_some_and(|b| !b.is_ascii_alphanumeric()) {
            i += 1;
        }
        let start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            i += 1;
        }
        if let Some(word) = bytes.get(start..i)
            && !word.is_empty()
        {
            out.push(hash_masked(word, 0x20));
        }
    }
}

/// A hash of a sequence of word hashes (the normalised text).
fn text_hash(words: &[u64]) -> u64 {
    let mut h = (words.len() as u64) ^ 0x8ebc_6af0_9c88_c6e3;
    for &w in words {
        h = mum(h ^ w, 0x5899_65cc_7537_4cc3);
    }
    mum(h, 0x1d8e_4e27_c47d_124f)
}

/// The 64×64→128-bit multiply folded to 64 bits, the mixing step of wyhash: fast, and the
/// same on every platform.
#[inline]
fn mum(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// A seeded-by-constants hash of bytes, read as little-endian words (platform-independent).
fn hash_bytes(bytes: &[u8]) -> u64 {
    hash_masked(bytes, 0)
}

/// [`hash_bytes`] of `bytes` with every byte or-ed with `mask`.
///
/// After wyhash: words of up to 16 bytes, nearly all of them, are read as two overlapping
/// little-endian loads (no loop); longer ones 8 bytes at a time, then their last 8 bytes.
/// Together with the length, the loads determine the bytes.
#[inline]
fn hash_masked(bytes: &[u8], mask: u8) -> u64 {
    const P0: u64 = 0xa076_1d64_78bd_642f;
    const P1: u64 = 0xe703_7ed1_a0b4_28db;
    // The same byte in every position, so the byte order does not matter.
    let wide = u64::from_ne_bytes([mask; 8]);
    let n = bytes.len();
    let (mut h, a, b) = (P0 ^ n as u64, 0u64, 0u64);
    let (a, b) = if n >= 8 {
        let mut at = 0;
        while at + 8 < n {
            h = mum(h ^ (load(bytes, at, 8) | wide), P1);
            at += 8;
        }
        // For n ≤ 16 only these two loads: the first and the last 8 bytes.
        (load(bytes, 0, 8) | wide, load(bytes, n - 8, 8) | wide)
    } else if n >= 4 {
        (load(bytes, 0, 4) | (wide >> 32), load(bytes, n - 4, 4) | (wide >> 32))
    } else if n > 0 {
        let at = |i: usize| u64::from(bytes.get(i).map_or(0, |&c| c | mask));
        (at(0) << 16 | at(n / 2) << 8 | at(n - 1), b)
    } else {
        (a, b)
    };
    mum(mum(a ^ P1, b ^ h) ^ P0, P1 ^ n as u64)
}

/// `len` (4 or 8) bytes of `bytes` from `at`, little-endian; 0 past the end (never reached).
#[inline]
fn load(bytes: &[u8], at: usize, len: usize) -> u64 {
    match bytes.get(at..at + len) {
        Some(s) if len == 8 => s.try_into().map_or(0, u64::from_le_bytes),
        Some(s) => s.try_into().map_or(0, |a| u64::from(u32::from_le_bytes(a))),
        None => 0,
    }
}

/// The next value of the SplitMix64 sequence (the MinHash keys and multipliers).
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Characters that print nothing and are not whitespace to [`char::is_whitespace`].
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}')
}

/// Pictographic code points (emoji and symbol blocks), as the tokenizer reads them.
fn is_pictographic(c: char) -> bool {
    matches!(c as u32,
        0x2190..=0x21FF | 0x2300..=0x23FF | 0x2460..=0x24FF | 0x25A0..=0x27BF
        | 0x2900..=0x297F | 0x2B00..=0x2BFF | 0x3030 | 0x303D | 0x3297 | 0x3299
        | 0x1F000..=0x1FAFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jaccard_at(t: f64, s: f64) -> f64 {
        let (b, r) = lsh_shape(t);
        1.0 - (1.0 - s.powi(r as i32)).powi(b as i32)
    }

    #[test]
    fn lsh_shape_keeps_recall_at_the_threshold() {
        assert_eq!(lsh_shape(0.8), (8, 3));
        assert_eq!(lsh_shape(1.0), (1, MAX_ROWS));
        for t in [0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99] {
            assert!(jaccard_at(t, t) >= 1.0 - MISS - 1e-12, "t = {t}: {}", jaccard_at(t, t));
            let (b, r) = lsh_shape(t);
            assert!((1..=MAX_BANDS).contains(&b) && (1..=MAX_ROWS).contains(&r));
        }
        // Tiny thresholds use the most bands without overflowing.
        assert_eq!(lsh_shape(1e-300), (MAX_BANDS, 1));
    }

    /// Over `trials` random pairs of shingle sets sharing `shared` shingles and with `own`
    /// shingles each of their own: the mean fraction of agreeing signature values, and the
    /// fraction of pairs that share a band (candidates).
    fn agreement(d: &Dedupe, shared: usize, own: usize, trials: usize) -> (f64, f64) {
        let mut rng = 7u64;
        let (mut sig_a, mut sig_b, mut keys_a, mut keys_b) = (vec![], vec![], vec![], vec![]);
        let (mut agree, mut candidates) = (0.0, 0usize);
        for _ in 0..trials {
            let common: Vec<u64> = (0..shared).map(|_| splitmix(&mut rng)).collect();
            let mut a = common.clone();
            a.extend((0..own).map(|_| splitmix(&mut rng)));
            let mut b = common;
            b.extend((0..own).map(|_| splitmix(&mut rng)));
            a.sort_unstable();
            b.sort_unstable();
            d.band_keys(&a, &mut sig_a, &mut keys_a);
            d.band_keys(&b, &mut sig_b, &mut keys_b);
            let same = sig_a.iter().zip(&sig_b).filter(|(x, y)| x == y).count();
            agree += same as f64 / sig_a.len() as f64;
            candidates += usize::from(keys_a.iter().zip(&keys_b).any(|(x, y)| x == y));
        }
        (agree / trials as f64, candidates as f64 / trials as f64)
    }

    #[test]
    fn signatures_agree_as_often_as_the_jaccard_index() {
        let d = Dedupe::params().seed(3).build().unwrap();
        // Pairs exactly at the default threshold, 0.8, from 4 to 400 shingles per set.
        for (shared, own) in [(4, 0), (8, 1), (16, 2), (40, 5), (160, 20), (400, 50)] {
            let j = shared as f64 / (shared + 2 * own) as f64;
            let (agree, candidates) = agreement(&d, shared, own, 4000);
            assert!((agree - j).abs() < 0.02, "{shared}/{own}: agree {agree}, jaccard {j}");
            assert!(candidates >= 0.985, "{shared}/{own}: candidates {candidates}");
        }
        // Dissimilar pairs are rarely candidates.
        let (agree, candidates) = agreement(&d, 10, 20, 4000);
        assert!((agree - 0.2).abs() < 0.02, "agree {agree}");
        assert!(candidates < 0.1, "candidates {candidates}");
        // Other thresholds keep their recall too.
        for t in [0.5, 0.9] {
            let d = Dedupe::params().campaign_similarity(t).build().unwrap();
            let shared = 90;
            let own = ((shared as f64 / t - shared as f64) / 2.0).round() as usize;
            let (_, candidates) = agreement(&d, shared, own, 4000);
            assert!(candidates >= 0.985, "t = {t}: candidates {candidates}");
        }
    }

    #[test]
    fn jaccard_of_sorted_sets() {
        assert_eq!(jaccard_at_least(&[1, 2, 3], &[2, 3, 4], 0.5), Some(0.5));
        assert_eq!(jaccard_at_least(&[1, 2, 3], &[2, 3, 4], 0.51), None);
        assert_eq!(jaccard_at_least(&[], &[], 1.0), Some(1.0));
        assert_eq!(jaccard_at_least(&[1], &[], 0.1), None);
        // The early exit never changes the answer: against a full merge, over random sets.
        let mut rng = 5u64;
        for _ in 0..3000 {
            let mut set = |n: u64| {
                let mut v: Vec<u64> = (0..n).map(|_| splitmix(&mut rng) % 40).collect();
                v.sort_unstable();
                v.dedup();
                v
            };
            let (a, b) = (set(25), set(25));
            let shared = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
            let union = a.len() + b.len() - shared;
            let full = if union == 0 { 1.0 } else { shared as f64 / union as f64 };
            for t in [0.05, 0.2, 0.3, 0.5, 0.8, 1.0] {
                assert_eq!(jaccard_at_least(&a, &b, t), (full >= t).then_some(full), "{t}");
            }
        }
    }

    #[test]
    fn normalisation_reads_words() {
        let mut s = String::new();
        for (text, want) in [
            ("N / A", "n a"),
            ("n/a", "n a"),
            ("N.A.", "n a"),
            ("na", "na"),
            ("Don’t know!", "don t know"),
            ("e-mail me@nhs.uk", "e mail me nhs uk"),
            ("非常好 ok", "非 常 好 ok"),
            ("ÉCOLE straße İ", "école straße i\u{307}"),
            ("  Nothing   to ADD. ", "nothing to add"),
            ("Très BIEN 😀", "très bien"),
            ("", ""),
        ] {
            normalise(text, &mut s);
            assert_eq!(s, want, "{text:?}");
        }
    }

    /// `hash_bytes(b"campaign")`, computed once: a change means results changed.
    const HASH_OF_CAMPAIGN: u64 = 4587637799325562312;

    #[test]
    fn hashes_are_fixed() {
        // Platform-independent: these values must not change between machines or runs.
        assert_eq!(hash_bytes(b""), hash_bytes(b""));
        assert_ne!(hash_bytes(b"ab"), hash_bytes(b"ba"));
        assert_ne!(hash_bytes(b"a"), hash_bytes(b"a\0"));
        // Every prefix of a long string hashes differently (each length takes its own loads),
        // and so does every one-byte change of it.
        let long: Vec<u8> = (0u8..40).map(|i| b'a' + i % 26).collect();
        let mut seen = std::collections::HashSet::new();
        for n in 0..=long.len() {
            assert!(seen.insert(hash_bytes(&long[..n])), "prefix {n}");
            for at in 0..n {
                let mut changed = long[..n].to_vec();
                changed[at] ^= 1;
                assert!(seen.insert(hash_bytes(&changed)), "prefix {n}, byte {at}");
            }
            // The mask lower-cases ASCII letters.
            let upper = long[..n].to_ascii_uppercase();
            assert_eq!(hash_masked(&upper, 0x20), hash_bytes(&long[..n]));
        }
        let mut s = 1;
        assert_eq!(splitmix(&mut s), 0x910a_2dec_8902_5cc1);
        assert_eq!(hash_bytes(b"campaign"), HASH_OF_CAMPAIGN);
    }

    #[test]
    fn shingles_of_short_texts() {
        let mut out = Vec::new();
        shingle_set(&[1, 2], 3, &mut out);
        assert_eq!(out.len(), 1);
        shingle_set(&[1, 2, 3, 1, 2, 3], 3, &mut out);
        assert_eq!(out.len(), 3);
        shingles(&[1, 2, 3, 1, 2, 3], 3, &mut out);
        assert_eq!(out.len(), 4);
        shingle_set(&[], 3, &mut out);
        assert!(out.is_empty());
        // Order matters, repeats of a word too.
        shingle_set(&[1, 2, 3], 3, &mut out);
        let a = out.clone();
        shingle_set(&[3, 2, 1], 3, &mut out);
        assert_ne!(a, out);
        shingle_set(&[5, 5], 1, &mut out);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn ascii_fast_path_hashes_like_the_general_path() {
        let mut rng = 11u64;
        let alphabet = b"aZ09 .,'-_/\t\nQx@";
        let (mut fast, mut scratch) = (Vec::new(), Vec::new());
        for _ in 0..2000 {
            let len = (splitmix(&mut rng) % 40) as usize;
            let text: String = (0..len)
                .map(|_| {
                    char::from(alphabet[(splitmix(&mut rng) % alphabet.len() as u64) as usize])
                })
                .collect();
            word_hashes(&text, &mut fast, &mut scratch);
            let mut slow = Vec::new();
            for_each_word(&text, &mut scratch, |w| slow.push(hash_bytes(w)));
            assert_eq!(fast, slow, "{text:?}");
        }
        let mut a = Vec::new();
        word_hashes("Don't STOP 2day", &mut a, &mut scratch);
        word_hashes("don’t stop 2DAY", &mut fast, &mut scratch);
        assert_eq!(a, fast);
        assert_eq!(a.len(), 4);
    }
}
