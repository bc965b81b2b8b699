//! Tokenisation: Unicode words (UAX #29) plus URLs, e-mail addresses, numbers and emoji.

use unicode_segmentation::UnicodeSegmentation;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A word: letters, possibly with digits, inner apostrophes or inner full stops
    /// ("don't", "DCB0129", "e.g").
    Word,
    /// A number: digits with optional `.` or `,` separators ("3.5", "1,000").
    Number,
    /// A web address ("https://…", "www.…").
    Url,
    /// An e-mail address.
    Email,
    /// An emoji or pictographic symbol.
    Emoji,
}

/// A token of a text: its kind and where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token as written in the text.
    pub text: &'a str,
    /// Byte offset of its start.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
    /// What it is.
    pub kind: TokenKind,
}

/// What the scanner reports: a token, or a break that n-grams must not span (punctuation,
/// a line break, a URL or an emoji).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event<'a> {
    Token(Token<'a>),
    Break,
}

/// Splits `text` into tokens and breaks, calling `f` for each in text order.
///
/// Whitespace-separated chunks that look like URLs or e-mail addresses become single tokens
/// (UAX #29 would cut them into meaningless pieces); everything else is segmented by Unicode
/// word boundaries. Whitespace without a line break, hyphens and lone apostrophes join words
/// ("e-prescribing", "patients' views"); any other punctuation breaks.
pub(crate) fn scan<'a>(text: &'a str, mut f: impl FnMut(Event<'a>)) {
    let bytes = text.as_bytes();
    let mut pos = 0;
    while pos < text.len() {
        // Whitespace run.
        let ws_start = pos;
        let mut newline = false;
        for (i, c) in text[pos..].char_indices() {
            if !c.is_whitespace() {
                pos = ws_start + i;
                break;
            }
            newline |= matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}');
            pos = ws_start + i + c.len_utf8();
        }
        if newline {
            f(Event::Break);
        }
        if pos >= text.len() {
            break;
        }
        // Non-whitespace chunk.
        let chunk_start = pos;
        let chunk_end = text[pos..]
            .char_indices()
            .find(|&(_, c)| c.is_whitespace())
            .map_or(text.len(), |(i, _)| pos + i);
        pos = chunk_end;
        if bytes[chunk_start].is_ascii_alphanumeric() || bytes[chunk_start] == b'<' {
            let chunk = &text[chunk_start..chunk_end];
            let lead = chunk.len() - chunk.trim_start_matches(['<', '(']).len();
            let core = chunk[lead..].trim_end_matches(|c: char| {
                matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')' | '>' | '"' | '\'')
            });
            if let Some(kind) = special_kind(core) {
                let start = chunk_start + lead;
                f(Event::Break);
                f(Event::Token(Token { text: core, start, end: start + core.len(), kind }));
                f(Event::Break);
                continue;
            }
        }
        let chunk = &text[chunk_start..chunk_end];
        for (off, seg) in chunk.split_word_bound_indices() {
            let start = chunk_start + off;
            let end = start + seg.len();
            match classify(seg) {
                Segment::Token(kind) => f(Event::Token(Token { text: seg, start, end, kind })),
                Segment::Joiner => {}
                Segment::Emoji => {
                    f(Event::Break);
                    f(Event::Token(Token { text: seg, start, end, kind: TokenKind::Emoji }));
                    f(Event::Break);
                }
                Segment::Break => f(Event::Break),
            }
        }
    }
}

enum Segment {
    Token(TokenKind),
    Joiner,
    Emoji,
    Break,
}

fn classify(seg: &str) -> Segment {
    let mut digits = false;
    let mut letters = false;
    let mut numeric_punct = true;
    let mut emoji = false;
    for c in seg.chars() {
        if c.is_numeric() {
            digits = true;
        } else if c.is_alphanumeric() {
            letters = true;
        } else {
            numeric_punct &= matches!(c, '.' | ',' | ':');
            emoji |= is_pictographic(c);
        }
    }
    if letters {
        Segment::Token(TokenKind::Word)
    } else if digits {
        Segment::Token(if numeric_punct { TokenKind::Number } else { TokenKind::Word })
    } else if emoji {
        Segment::Emoji
    } else if seg.chars().all(|c| matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\'' | '\u{2019}')) {
        Segment::Joiner
    } else {
        Segment::Break
    }
}

/// Pictographic code points: the emoji and symbol blocks, enough to tell an emoji from
/// punctuation (word segmentation already keeps ZWJ sequences together).
fn is_pictographic(c: char) -> bool {
    matches!(c as u32,
        0x2190..=0x21FF | 0x2300..=0x23FF | 0x2460..=0x24FF | 0x25A0..=0x27BF
        | 0x2900..=0x297F | 0x2B00..=0x2BFF | 0x3030 | 0x303D | 0x3297 | 0x3299
        | 0x1F000..=0x1FAFF)
}

/// Whether a whitespace-free chunk is a URL or an e-mail address.
fn special_kind(s: &str) -> Option<TokenKind> {
    let lower_starts =
        |p: &str| s.len() > p.len() && s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    if lower_starts("http://") || lower_starts("https://") || lower_starts("www.") {
        return Some(TokenKind::Url);
    }
    let (local, domain) = s.split_once('@')?;
    let valid_local = !local.is_empty()
        && local.chars().all(|c| c.is_alphanumeric() || "._%+-'".contains(c))
        && !local.starts_with('.');
    let valid_domain = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    (valid_local && valid_domain).then_some(TokenKind::Email)
}

/// The tokens of `text`, without punctuation and whitespace.
///
/// ```
/// use thematic_text::{tokenize, TokenKind};
/// let t = tokenize("Email me@example.org, see https://x.org/a. Don't wait 😀 3.5 days");
/// let kinds: Vec<_> = t.iter().map(|t| (t.text, t.kind)).collect();
/// assert_eq!(kinds, [
///     ("Email", TokenKind::Word), ("me@example.org", TokenKind::Email),
///     ("see", TokenKind::Word), ("https://x.org/a", TokenKind::Url),
///     ("Don't", TokenKind::Word), ("wait", TokenKind::Word), ("😀", TokenKind::Emoji),
///     ("3.5", TokenKind::Number), ("days", TokenKind::Word),
/// ]);
/// ```
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    scan(text, |e| {
        if let Event::Token(t) = e {
            out.push(t);
        }
    });
    out
}
