//! Sentence splitting.

use unicode_segmentation::UnicodeSegmentation;

/// A sentence of a text, with its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence<'a> {
    /// The sentence, trimmed of surrounding whitespace and list bullets.
    pub text: &'a str,
    /// Byte offset of its start in the original text.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
}

/// Splits `text` into sentences.
///
/// Unicode sentence boundaries (UAX #29) apply within each line; line breaks also end a
/// sentence, because survey answers use them for lists far more often than inside sentences.
/// Leading bullets (`-`, `*`, `•`, `·`, `>`) are trimmed; pieces with no letter or digit are
/// dropped.
///
/// ```
/// use thematic_text::sentences;
/// let s: Vec<_> = sentences("Fix the alerts! Train staff, e.g. nurses.\n- Fund it").into_iter()
///     .map(|s| s.text).collect();
/// assert_eq!(s, ["Fix the alerts!", "Train staff, e.g. nurses.", "Fund it"]);
/// ```
pub fn sentences(text: &str) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive(['\n', '\r', '\u{2028}', '\u{2029}']) {
        for (off, piece) in line.split_sentence_bound_indices() {
            let lead = piece.len()
                - piece
                    .trim_start_matches(|c: char| {
                        c.is_whitespace() || matches!(c, '-' | '*' | '•' | '·' | '>' | '–')
                    })
                    .len();
            let trimmed = piece[lead..].trim_end();
            if trimmed.chars().any(char::is_alphanumeric) {
                let start = line_start + off + lead;
                out.push(Sentence { text: trimmed, start, end: start + trimmed.len() });
            }
        }
        line_start += line.len();
    }
    out
}
