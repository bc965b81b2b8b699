//! `thematic.Analyzer`: from free text to terms.

use pyo3::prelude::*;
use pyo3::types::PyType;
use thematic::text::{Analyzer, AnalyzerBuilder, Language, StopWords, TokenKind};

use crate::convert::count;
use crate::error::{Error, Result};

/// The `stop_words` argument: a list name or extra words.
#[derive(Debug, FromPyObject)]
pub(crate) enum StopWordsArg {
    /// `"english"`.
    Name(String),
    /// Words added to the English list.
    Words(Vec<String>),
}

fn stop_word_set(arg: Option<StopWordsArg>) -> Result<StopWords> {
    match arg {
        None => Ok(StopWords::none()),
        Some(StopWordsArg::Name(n)) if n.trim().eq_ignore_ascii_case("english") => {
            Ok(StopWords::english())
        }
        Some(StopWordsArg::Name(n)) => Err(Error::param(format!(
            "invalid stop_words {n:?}: expected \"english\", None or a list of words to add to \
             the English list"
        ))),
        Some(StopWordsArg::Words(words)) => Ok(StopWords::english().with(words)),
    }
}

fn kind_name(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Word => "word",
        TokenKind::Number => "number",
        TokenKind::Url => "url",
        TokenKind::Email => "email",
        TokenKind::Emoji => "emoji",
    }
}

/// Turns text into terms: Unicode words (UAX #29, keeping URLs, e-mail addresses, numbers
/// and emoji apart), lower-casing and apostrophe handling, stop words, Snowball stems and
/// n-grams that never span a stop word, punctuation, a line break or a sentence.
///
/// Args:
///     stemmer: Snowball language ("english", "french", ...), or None to keep words
///         unstemmed.
///     stop_words: "english" for thematic's English list, None for no stop words, or a
///         list of words to add to the English list (compared lower-cased, before
///         stemming).
///     ngram_range: terms are n-grams of min..=max words, 1 <= min <= max <= 3.
///     min_chars: words shorter than this (after normalisation) are dropped; at least 1.
///     keep_numbers: whether numbers ("2024", "3.5") become terms.
///
/// Raises:
///     ParamError: a parameter breaks its rule (also a ValueError).
///
/// Example:
///     >>> Analyzer().terms("Training the NHS's staff")
///     ['train', 'nhs', 'staff', 'nhs staff']
#[pyclass(module = "thematic", name = "Analyzer", frozen)]
#[derive(Debug, Clone)]
pub(crate) struct PyAnalyzer {
    pub(crate) inner: Analyzer,
}

impl PyAnalyzer {
    fn config(&self) -> serde_json::Value {
        serde_json::to_value(self.inner.config()).unwrap_or_default()
    }
}

#[pymethods]
impl PyAnalyzer {
    #[new]
    #[pyo3(
        signature = (
            stemmer = Some("english".to_owned()),
            stop_words = Some(StopWordsArg::Name("english".to_owned())),
            ngram_range = (1, 2),
            min_chars = 2,
            keep_numbers = false,
        ),
        text_signature = "(stemmer='english', stop_words='english', ngram_range=(1, 2), \
                          min_chars=2, keep_numbers=False)"
    )]
    fn new(
        stemmer: Option<String>,
        stop_words: Option<StopWordsArg>,
        ngram_range: (i64, i64),
        min_chars: i64,
        keep_numbers: bool,
    ) -> Result<Self> {
        let stemmer = stemmer.map(|s| s.parse::<Language>()).transpose()?;
        let ngram = |v: i64| {
            usize::try_from(v).map_err(|_| {
                Error::param(format!(
                    "invalid ngram_range {ngram_range:?}: expected 1 <= min <= max <= 3"
                ))
            })
        };
        let inner = Analyzer::builder()
            .stemmer(stemmer)
            .stop_words(stop_word_set(stop_words)?)
            .ngram_range(ngram(ngram_range.0)?, ngram(ngram_range.1)?)
            .min_chars(count("min_chars", min_chars)?)
            .keep_numbers(keep_numbers)
            .build()?;
        Ok(PyAnalyzer { inner })
    }

    /// The terms of `text` in order of appearance: each word's stem and, where the n-gram
    /// range allows, the n-grams ending at it (stems joined by a space).
    fn terms(&self, text: &str) -> Vec<String> {
        self.inner.terms(text)
    }

    /// The tokens of `text`, without punctuation and whitespace, as
    /// `(token, kind, start, end)`: `kind` is "word", "number", "url", "email" or "emoji",
    /// and `text[start:end] == token` (offsets count characters).
    fn tokens(&self, text: &str) -> Vec<(String, &'static str, usize, usize)> {
        // Rust offsets are bytes; tokens come in text order, so one forward walk converts them.
        let (mut byte, mut chars) = (0, 0);
        let mut to_chars = |b: usize| {
            chars += text[byte..b].chars().count();
            byte = b;
            chars
        };
        self.inner
            .tokens(text)
            .into_iter()
            .map(|t| {
                let start = to_chars(t.start);
                let end = to_chars(t.end);
                (t.text.to_owned(), kind_name(t.kind), start, end)
            })
            .collect()
    }

    /// The sentences of `text`: Unicode sentence boundaries within each line, line breaks
    /// also ending a sentence; leading list bullets trimmed.
    fn sentences(&self, text: &str) -> Vec<String> {
        self.inner.sentences(text).into_iter().map(|s| s.text.to_owned()).collect()
    }

    /// `word` lower-cased, with curly apostrophes made straight and a possessive `'s` or
    /// surrounding apostrophes removed.
    fn normalize(&self, word: &str) -> String {
        self.inner.normalize(word)
    }

    /// The stemming language, or None.
    #[getter]
    fn stemmer(&self) -> Option<String> {
        self.config().get("stemmer").and_then(|v| v.as_str().map(str::to_owned))
    }

    /// The stop words, sorted.
    #[getter]
    fn stop_words(&self) -> Vec<String> {
        self.inner.stop_words().to_sorted_vec()
    }

    /// The n-gram range `(min, max)`.
    #[getter]
    fn ngram_range(&self) -> (usize, usize) {
        self.inner.ngram_range()
    }

    /// The smallest number of characters of a term's words.
    #[getter]
    fn min_chars(&self) -> usize {
        self.config().get("min_chars").and_then(serde_json::Value::as_u64).unwrap_or(0) as usize
    }

    /// Whether numbers become terms.
    #[getter]
    fn keep_numbers(&self) -> bool {
        self.config().get("keep_numbers").and_then(serde_json::Value::as_bool).unwrap_or(false)
    }

    /// The configuration as JSON (what pickling stores).
    fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string(self.inner.config())?)
    }

    /// An analyzer from the JSON of `to_json`.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, json: &str) -> Result<Self> {
        let builder: AnalyzerBuilder = serde_json::from_str(json)?;
        Ok(PyAnalyzer { inner: builder.build()? })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((slf.get_type().getattr("from_json")?, (slf.get().to_json()?,)))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __repr__(&self) -> String {
        let stemmer = self.stemmer().map_or("None".to_owned(), |s| format!("'{s}'"));
        let (lo, hi) = self.inner.ngram_range();
        format!(
            "Analyzer(stemmer={stemmer}, stop_words=<{} words>, ngram_range=({lo}, {hi}), \
             min_chars={}, keep_numbers={})",
            self.inner.stop_words().len(),
            self.min_chars(),
            if self.keep_numbers() { "True" } else { "False" },
        )
    }
}
