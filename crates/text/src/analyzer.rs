//! The configurable analyzer: tokens → normalised words → stop words → stems → n-grams.

use std::fmt;
use std::str::FromStr;

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};

use crate::error::{Result, TextError};
use crate::interner::TermInterner;
use crate::sentence::{Sentence, sentences};
use crate::stopwords::StopWords;
use crate::tokenize::{Event, Token, TokenKind, scan, tokenize};

/// Stemming language (the Snowball algorithms of rust-stemmers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Language {
    Arabic,
    Danish,
    Dutch,
    English,
    Finnish,
    French,
    German,
    Greek,
    Hungarian,
    Italian,
    Norwegian,
    Portuguese,
    Romanian,
    Russian,
    Spanish,
    Swedish,
    Tamil,
    Turkish,
}

impl Language {
    /// Lower-case names accepted by [`FromStr`].
    pub const NAMES: [&'static str; 18] = [
        "arabic",
        "danish",
        "dutch",
        "english",
        "finnish",
        "french",
        "german",
        "greek",
        "hungarian",
        "italian",
        "norwegian",
        "portuguese",
        "romanian",
        "russian",
        "spanish",
        "swedish",
        "tamil",
        "turkish",
    ];
    const ALL: [Language; 18] = [
        Language::Arabic,
        Language::Danish,
        Language::Dutch,
        Language::English,
        Language::Finnish,
        Language::French,
        Language::German,
        Language::Greek,
        Language::Hungarian,
        Language::Italian,
        Language::Norwegian,
        Language::Portuguese,
        Language::Romanian,
        Language::Russian,
        Language::Spanish,
        Language::Swedish,
        Language::Tamil,
        Language::Turkish,
    ];

    fn algorithm(self) -> Algorithm {
        match self {
            Language::Arabic => Algorithm::Arabic,
            Language::Danish => Algorithm::Danish,
            Language::Dutch => Algorithm::Dutch,
            Language::English => Algorithm::English,
            Language::Finnish => Algorithm::Finnish,
            Language::French => Algorithm::French,
            Language::German => Algorithm::German,
            Language::Greek => Algorithm::Greek,
            Language::Hungarian => Algorithm::Hungarian,
            Language::Italian => Algorithm::Italian,
            Language::Norwegian => Algorithm::Norwegian,
            Language::Portuguese => Algorithm::Portuguese,
            Language::Romanian => Algorithm::Romanian,
            Language::Russian => Algorithm::Russian,
            Language::Spanish => Algorithm::Spanish,
            Language::Swedish => Algorithm::Swedish,
            Language::Tamil => Algorithm::Tamil,
            Language::Turkish => Algorithm::Turkish,
        }
    }
}

impl FromStr for Language {
    type Err = TextError;
    fn from_str(s: &str) -> Result<Self> {
        let lower = s.trim().to_ascii_lowercase();
        Language::NAMES
            .iter()
            .position(|n| *n == lower)
            .map(|i| Language::ALL[i])
            .ok_or_else(|| TextError::UnknownLanguage(s.to_owned()))
    }
}

/// Configuration of an [`Analyzer`]; serialisable, so a fitted model records how its terms
/// were made.
///
/// Defaults: English stemming, the English stop words, unigrams and bigrams, terms of at
/// least 2 characters, numbers dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[must_use]
pub struct AnalyzerBuilder {
    stemmer: Option<Language>,
    stop_words: StopWords,
    ngram_min: usize,
    ngram_max: usize,
    min_chars: usize,
    keep_numbers: bool,
}

impl Default for AnalyzerBuilder {
    fn default() -> Self {
        AnalyzerBuilder {
            stemmer: Some(Language::English),
            stop_words: StopWords::english(),
            ngram_min: 1,
            ngram_max: 2,
            min_chars: 2,
            keep_numbers: false,
        }
    }
}

impl AnalyzerBuilder {
    /// The Snowball stemmer to apply, or `None` to keep words unstemmed. Default English.
    pub fn stemmer(mut self, language: Option<Language>) -> Self {
        self.stemmer = language;
        self
    }

    /// The stop words, compared before stemming. Default [`StopWords::english`].
    pub fn stop_words(mut self, stop_words: StopWords) -> Self {
        self.stop_words = stop_words;
        self
    }

    /// Terms are n-grams of `min..=max` words, `1 <= min <= max <= 3`. Default `1..=2`.
    /// N-grams never span a stop word, punctuation, a line break or a sentence boundary.
    pub fn ngram_range(mut self, min: usize, max: usize) -> Self {
        self.ngram_min = min;
        self.ngram_max = max;
        self
    }

    /// Words shorter than this many characters (after normalisation) are dropped, like
    /// scikit-learn's default token pattern. At least 1. Default 2.
    pub fn min_chars(mut self, min_chars: usize) -> Self {
        self.min_chars = min_chars;
        self
    }

    /// Whether numbers ("2024", "3.5") become terms. Default `false`.
    pub fn keep_numbers(mut self, keep: bool) -> Self {
        self.keep_numbers = keep;
        self
    }

    /// Validates the configuration and builds the analyzer.
    ///
    /// # Errors
    /// [`TextError::NgramRange`] or [`TextError::MinChars`].
    pub fn build(self) -> Result<Analyzer> {
        if !(1 <= self.ngram_min && self.ngram_min <= self.ngram_max && self.ngram_max <= 3) {
            return Err(TextError::NgramRange { min: self.ngram_min, max: self.ngram_max });
        }
        if self.min_chars == 0 {
            return Err(TextError::MinChars);
        }
        let stemmer = self.stemmer.map(Language::algorithm);
        Ok(Analyzer { config: self, stemmer })
    }
}

/// Turns text into terms: Unicode tokens, case folding, apostrophe handling, stop words,
/// Snowball stems and n-grams.
///
/// Word normalisation: lower-case; curly apostrophes made straight; a possessive `'s` or a
/// trailing apostrophe removed ("NHS's" → "nhs", "patients'" → "patients"); other inner
/// apostrophes kept ("don't"). URLs, e-mail addresses and emoji are never terms, numbers only
/// with [`AnalyzerBuilder::keep_numbers`].
///
/// ```
/// use thematic_text::Analyzer;
/// let a = Analyzer::default();
/// assert_eq!(a.terms("Training the NHS's staff"), ["train", "nhs", "staff", "nhs staff"]);
/// ```
#[derive(Clone, Serialize, Deserialize)]
#[serde(try_from = "AnalyzerBuilder", into = "AnalyzerBuilder")]
pub struct Analyzer {
    config: AnalyzerBuilder,
    stemmer: Option<Algorithm>,
}

impl fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Analyzer").field("config", &self.config).finish_non_exhaustive()
    }
}

impl PartialEq for Analyzer {
    fn eq(&self, other: &Self) -> bool {
        self.config == other.config
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        let config = AnalyzerBuilder::default();
        let stemmer = config.stemmer.map(Language::algorithm);
        Analyzer { config, stemmer }
    }
}

impl TryFrom<AnalyzerBuilder> for Analyzer {
    type Error = TextError;
    fn try_from(b: AnalyzerBuilder) -> Result<Self> {
        b.build()
    }
}

impl From<Analyzer> for AnalyzerBuilder {
    fn from(a: Analyzer) -> Self {
        a.config
    }
}

/// How the analyzer treats one word; cached per distinct written form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WordClass {
    /// A term with this normalised surface form and stem.
    Term { surface: String, stem: String },
    /// A stop word: no term, breaks n-grams.
    Stop,
    /// Too short, a number or otherwise not a term: no term, breaks n-grams.
    Drop,
}

/// A word kept by the analyzer: its normalised surface form and its stem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Lower-cased, apostrophe-normalised form ("training").
    pub surface: String,
    /// Stem ("train"); equal to `surface` without a stemmer.
    pub stem: String,
    /// Byte offset of the word in the text.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
}

impl Analyzer {
    /// A builder with the default configuration.
    pub fn builder() -> AnalyzerBuilder {
        AnalyzerBuilder::default()
    }

    /// The configuration.
    pub fn config(&self) -> &AnalyzerBuilder {
        &self.config
    }

    /// The n-gram range `(min, max)`.
    pub fn ngram_range(&self) -> (usize, usize) {
        (self.config.ngram_min, self.config.ngram_max)
    }

    /// The stop words.
    pub fn stop_words(&self) -> &StopWords {
        &self.config.stop_words
    }

    /// The tokens of `text` (see [`tokenize`]).
    pub fn tokens<'a>(&self, text: &'a str) -> Vec<Token<'a>> {
        tokenize(text)
    }

    /// The sentences of `text` (see [`sentences`]).
    pub fn sentences<'a>(&self, text: &'a str) -> Vec<Sentence<'a>> {
        sentences(text)
    }

    /// Lower-cases a word, makes curly apostrophes straight and removes a possessive `'s`
    /// and leading or trailing apostrophes.
    ///
    /// ```
    /// use thematic_text::Analyzer;
    /// let a = Analyzer::default();
    /// assert_eq!(a.normalize("NHS\u{2019}s"), "nhs");
    /// assert_eq!(a.normalize("Don't"), "don't");
    /// assert_eq!(a.normalize("patients'"), "patients");
    /// ```
    pub fn normalize(&self, word: &str) -> String {
        let mut s = String::with_capacity(word.len());
        if word.is_ascii() {
            s.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            for c in word.chars() {
                match c {
                    '\u{2019}' | '\u{02bc}' | '\u{2018}' => s.push('\''),
                    c => s.extend(c.to_lowercase()),
                }
            }
        }
        if s.len() > 2 && s.ends_with("'s") {
            s.truncate(s.len() - 2);
        }
        let trimmed = s.trim_matches('\'');
        if trimmed.len() != s.len() {
            s = trimmed.to_owned();
        }
        s
    }

    /// Classifies one token (cached by the interner per distinct written form).
    pub(crate) fn classify(&self, token: &str, kind: TokenKind) -> WordClass {
        match kind {
            TokenKind::Word => {}
            TokenKind::Number if self.config.keep_numbers => {
                return WordClass::Term { surface: token.to_owned(), stem: token.to_owned() };
            }
            _ => return WordClass::Drop,
        }
        let surface = self.normalize(token);
        if surface.chars().count() < self.config.min_chars {
            return WordClass::Drop;
        }
        if self.config.stop_words.contains(&surface) {
            return WordClass::Stop;
        }
        let stem = match &self.stemmer {
            Some(alg) => Stemmer::create(*alg).stem(&surface).into_owned(),
            None => surface.clone(),
        };
        WordClass::Term { surface, stem }
    }

    /// The words of `text` that become terms, with their surface forms and stems.
    ///
    /// ```
    /// use thematic_text::Analyzer;
    /// let w = Analyzer::default().words("Organisations' training");
    /// assert_eq!((w[0].surface.as_str(), w[0].stem.as_str()), ("organisations", "organis"));
    /// assert_eq!((w[1].surface.as_str(), w[1].stem.as_str()), ("training", "train"));
    /// ```
    pub fn words(&self, text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        scan(text, |e| {
            if let Event::Token(t) = e
                && let WordClass::Term { surface, stem } = self.classify(t.text, t.kind)
            {
                out.push(Word { surface, stem, start: t.start, end: t.end });
            }
        });
        out
    }

    /// The terms of `text` in order of appearance: each word's stem and, where the n-gram
    /// range allows, the n-grams ending at it (stems joined by a space).
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut interner = self.interner();
        let mut ids = Vec::new();
        interner.add_text(text, &mut ids);
        ids.into_iter().map(|id| interner.term(id)).collect()
    }

    /// A fresh interner: the fast path that turns many texts into term ids, caching the
    /// analysis of every distinct written word.
    pub fn interner(&self) -> TermInterner<'_> {
        TermInterner::new(self)
    }

    pub(crate) fn emit_ngrams(&self) -> (bool, bool, bool) {
        let (lo, hi) = self.ngram_range();
        (lo <= 1, lo <= 2 && hi >= 2, hi >= 3)
    }
}
