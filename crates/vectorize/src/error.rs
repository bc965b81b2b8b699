use thiserror::Error;

/// One variant per rule of [`TfidfParams`](crate::TfidfParams) validation.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum TfidfParamsError {
    /// `min_df` is a fraction outside `[0, 1]` or not finite.
    #[error("invalid min_df {0}: a fraction must lie in [0, 1]")]
    MinDf(f64),
    /// `max_df` is a fraction outside `(0, 1]`, not finite, or the count 0.
    #[error("invalid max_df {0}: a fraction must lie in (0, 1], a count must be at least 1")]
    MaxDf(f64),
    /// `max_features` is `Some(0)`.
    #[error("invalid max_features 0: keep at least one term, or none to keep all")]
    MaxFeatures,
    /// `threads` is `Some(0)`.
    #[error("invalid threads 0: use none for the default")]
    Threads,
}

/// Errors of vectorisation.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum VectorizeError {
    /// A parameter failed validation.
    #[error(transparent)]
    InvalidParams(#[from] TfidfParamsError),
    /// `max_df` keeps fewer documents than `min_df` asks for, for this corpus size.
    #[error(
        "max_df ({max_docs} documents) is below min_df ({min_docs} documents) for {n_docs} documents"
    )]
    DfRange {
        /// Documents fitted.
        n_docs: usize,
        /// Smallest document frequency kept.
        min_docs: usize,
        /// Largest document frequency kept.
        max_docs: usize,
    },
    /// No term survives the analyzer and the document-frequency limits.
    #[error(
        "empty vocabulary: no term of {n_docs} documents passed the analyzer and the \
         min_df/max_df limits ({terms_seen} distinct terms seen); the texts may hold only \
         stop words, or min_df is too high"
    )]
    EmptyVocabulary {
        /// Documents fitted.
        n_docs: usize,
        /// Distinct terms before the limits.
        terms_seen: usize,
    },
    /// A failure of the shared types (e.g. a thread pool).
    #[error(transparent)]
    Core(#[from] thematic_core::Error),
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, VectorizeError>;
