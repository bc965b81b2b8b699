//! Stop word lists.

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

/// The English list, one word per line (see the file's header for what it holds and why).
const ENGLISH: &str = include_str!("stopwords/english.txt");

/// A set of stop words, compared against lower-cased, apostrophe-normalised words before
/// stemming.
///
/// ```
/// use thematic_text::StopWords;
/// let stop = StopWords::english().with(["nhs", "Trust"]);
/// assert!(stop.contains("the") && stop.contains("nhs") && stop.contains("trust"));
/// assert!(!stop.contains("safety"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<String>", into = "Vec<String>")]
pub struct StopWords {
    words: FxHashSet<String>,
}

impl StopWords {
    /// No stop words.
    pub fn none() -> Self {
        StopWords::default()
    }

    /// thematic's English list: about 250 function words and contractions, listed in
    /// `crates/text/src/stopwords/english.txt`.
    pub fn english() -> Self {
        let words = ENGLISH
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect();
        StopWords { words }
    }

    /// Adds words (lower-cased; curly apostrophes made straight).
    #[must_use]
    pub fn with<I, S>(mut self, words: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for w in words {
            let w = w.as_ref().trim();
            if !w.is_empty() {
                self.words.insert(w.to_lowercase().replace(['\u{2019}', '\u{02bc}'], "'"));
            }
        }
        self
    }

    /// Whether `word` (already lower-cased) is a stop word.
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// Number of words in the set.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The words, sorted.
    pub fn to_sorted_vec(&self) -> Vec<String> {
        let mut v: Vec<String> = self.words.iter().cloned().collect();
        v.sort();
        v
    }
}

// Serialised as a sorted list, so that manifests and saved models are byte-stable.
impl From<StopWords> for Vec<String> {
    fn from(s: StopWords) -> Self {
        s.to_sorted_vec()
    }
}

impl From<Vec<String>> for StopWords {
    fn from(words: Vec<String>) -> Self {
        StopWords::none().with(words)
    }
}
