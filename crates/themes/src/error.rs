use thiserror::Error;

/// Errors of theme labelling.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ThemesError {
    /// `top_terms` is 0.
    #[error("invalid top_terms 0: a theme needs at least one term")]
    TopTerms,
    /// `label_terms` is 0 or more than `top_terms`.
    #[error("invalid label_terms {label_terms}: expected 1..={top_terms} (top_terms)")]
    LabelTerms {
        /// Terms asked for in the label.
        label_terms: usize,
        /// Top terms computed.
        top_terms: usize,
    },
    /// `phrase_min_responses` is 0.
    #[error("invalid phrase_min_responses 0: a phrase must occur in at least one response")]
    PhraseMinResponses,
    /// `phrase_sample` is 0.
    #[error("invalid phrase_sample 0: phrases need at least one response per theme")]
    PhraseSample,
    /// `quote_max_similarity` outside `(0, 1]`.
    #[error("invalid quote_max_similarity {0}: expected a cosine in (0, 1]")]
    QuoteMaxSimilarity(f64),
    /// Cross-tab failed.
    #[error(transparent)]
    CrossTab(#[from] crate::crosstab::CrossTabError),
    /// Grouping or ranking recommendations failed.
    #[error(transparent)]
    Recommend(#[from] crate::recommend::RecommendError),
    /// The suggestion detector failed (invalid parameters).
    #[error(transparent)]
    Suggest(#[from] crate::suggest::SuggestError),
    /// Stance reading failed.
    #[error(transparent)]
    Stance(#[from] crate::stance::StanceError),
    /// Inputs of different lengths.
    #[error("length mismatch: {what}")]
    Shape {
        /// What differs.
        what: String,
    },
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, ThemesError>;
