use thiserror::Error;

/// Errors of text analysis: invalid analyzer parameters.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum TextError {
    /// The n-gram range is not `1 <= min <= max <= 3`.
    #[error("invalid n-gram range {min}..={max}: expected 1 <= min <= max <= 3")]
    NgramRange {
        /// Smallest n-gram length asked for.
        min: usize,
        /// Largest n-gram length asked for.
        max: usize,
    },
    /// `min_chars` is 0.
    #[error("invalid min_chars 0: a term needs at least one character")]
    MinChars,
    /// An unknown language name.
    #[error("unknown language {0:?}: expected one of {list}", list = crate::Language::NAMES.join(", "))]
    UnknownLanguage(String),
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, TextError>;
