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
    while pos < bytes.len() {
        // Whitespace run. Bytes are tested directly; only non-ASCII bytes need decoding.
        let mut newline = false;
        while pos < bytes.len() {
            let (is_space, len, is_newline) = whitespace_at(text, pos);
            if !is_space {
                break;
            }
            newline |= is_newline;
            pos += len;
        }
        if newline {
            f(Event::Break);
        }
        if pos >= bytes.len() {
            break;
        }
        // Non-whitespace chunk.
        let chunk_start = pos;
        let mut ascii = true;
        while pos < bytes.len() {
            let (is_space, len, _) = whitespace_at(text, pos);
            if is_space {
                break;
            }
            ascii &= len == 1 && bytes[pos] < 0x80;
            pos += len;
        }
        let chunk = &text[chunk_start..pos];
        if (bytes[chunk_start].is_ascii_alphanumeric() || bytes[chunk_start] == b'<')
            && let Some((start, core, kind)) = special(chunk)
        {
            let start = chunk_start + start;
            f(Event::Break);
            f(Event::Token(Token { text: core, start, end: start + core.len(), kind }));
            f(Event::Break);
            continue;
        }
        let mut emit = |off: usize, seg: &'a str| {
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
        };
        if ascii {
            ascii_word_bounds(chunk, &mut emit);
        } else {
            for (off, seg) in chunk.split_word_bound_indices() {
                emit(off, seg);
            }
        }
    }
}

/// Whether the character at byte `pos` is whitespace, its length in bytes, and whether it
/// breaks a line.
#[inline]
fn whitespace_at(text: &str, pos: usize) -> (bool, usize, bool) {
    let b = text.as_bytes()[pos];
    if b < 0x80 {
        let space = matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
        return (space, 1, matches!(b, b'\n' | b'\r' | 0x0b | 0x0c));
    }
    let c = text[pos..].chars().next().unwrap_or(' ');
    (c.is_whitespace(), c.len_utf8(), matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}'))
}

/// Unicode word boundaries (UAX #29) of a whitespace-free ASCII chunk, computed on bytes.
///
/// Segmentation is most of the cost of analysis and most survey text is ASCII, so this
/// replays the rules that can apply to ASCII: letters, digits and `_` join (WB8–WB10,
/// WB13a/b); `.`, `'` and `:` join two letters (WB6/7); `.`, `,`, `;` and `'` join two digits
/// (WB11/12); every other byte is a segment of its own (WB999). A property test checks it
/// against `unicode-segmentation` on random ASCII.
fn ascii_word_bounds<'a>(chunk: &'a str, emit: &mut impl FnMut(usize, &'a str)) {
    let b = chunk.as_bytes();
    let n = b.len();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < n {
        if !word(b[i]) {
            emit(i, &chunk[i..i + 1]);
            i += 1;
            continue;
        }
        let start = i;
        loop {
            while i < n && word(b[i]) {
                i += 1;
            }
            if i + 1 < n {
                let (p, m, x) = (b[i - 1], b[i], b[i + 1]);
                let letters = p.is_ascii_alphabetic()
                    && x.is_ascii_alphabetic()
                    && matches!(m, b'.' | b'\'' | b':');
                let digits = p.is_ascii_digit()
                    && x.is_ascii_digit()
                    && matches!(m, b'.' | b',' | b';' | b'\'');
                if letters || digits {
                    i += 2;
                    continue;
                }
            }
            break;
        }
        emit(start, &chunk[start..i]);
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

/// A URL or e-mail address in a whitespace-free chunk, without wrapping punctuation: its
/// offset in the chunk, the text and the kind.
fn special(chunk: &str) -> Option<(usize, &str, TokenKind)> {
    let lead = chunk.len() - chunk.trim_start_matches(['<', '(']).len();
    let core = chunk[lead..].trim_end_matches(|c: char| {
        matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')' | '>' | '"' | '\'')
    });
    special_kind(core).map(|kind| (lead, core, kind))
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    use super::*;

    fn ascii_bounds(chunk: &str) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        ascii_word_bounds(chunk, &mut |i, s| out.push((i, s)));
        out
    }

    #[test]
    fn ascii_fast_path_examples() {
        assert_eq!(ascii_bounds("don't"), [(0, "don't")]);
        assert_eq!(ascii_bounds("e.g."), [(0, "e.g"), (3, ".")]);
        assert_eq!(ascii_bounds("1,000.5;"), [(0, "1,000.5"), (7, ";")]);
        assert_eq!(ascii_bounds("a1_b"), [(0, "a1_b")]);
        assert_eq!(ascii_bounds("10:30"), [(0, "10"), (2, ":"), (3, "30")]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn ascii_fast_path_matches_unicode_segmentation(
            chunk in "[a-zA-Z0-9_.,;:'\"!?()/@#&*+=<>|~`^$%\\\\-]{0,24}"
        ) {
            let expected: Vec<(usize, &str)> = chunk.split_word_bound_indices().collect();
            prop_assert_eq!(ascii_bounds(&chunk), expected);
        }

        #[test]
        fn ascii_fast_path_matches_with_control_bytes(chunk in "[a-c1-2.'\x00-\x08\x0e-\x1f\x7f]{0,16}") {
            let expected: Vec<(usize, &str)> = chunk.split_word_bound_indices().collect();
            prop_assert_eq!(ascii_bounds(&chunk), expected);
        }
    }
}
