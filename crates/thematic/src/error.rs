use thiserror::Error;

/// Errors of the pipeline: a stage's error, or a corpus it cannot analyse.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// Invalid analyzer configuration.
    #[error("text analysis: {0}")]
    Text(#[from] thematic_text::TextError),
    /// Vectorisation failed (e.g. an empty vocabulary).
    #[error("vectorisation: {0}")]
    Vectorize(#[from] thematic_vectorize::VectorizeError),
    /// The LSA embedding failed (e.g. more dimensions than the matrix has).
    #[error("dimensionality reduction: {0}")]
    Reduce(#[from] thematic_vectorize::SvdError),
    /// Clustering failed (e.g. invalid k-means parameters).
    #[error("clustering: {0}")]
    Cluster(#[from] thematic_cluster::KMeansError),
    /// Choosing the number of themes failed (e.g. invalid selection parameters).
    #[error("choosing the number of themes: {0}")]
    ChooseK(#[from] thematic_cluster::ChooseKError),
    /// Labelling failed.
    #[error("labelling: {0}")]
    Themes(#[from] thematic_themes::ThemesError),
    /// Reading or writing files failed.
    #[error(transparent)]
    Io(#[from] thematic_io::IoError),
    /// Fewer responses with usable text than themes asked for.
    #[error(
        "only {usable} of {responses} responses have usable text (terms kept by the \
         vocabulary), fewer than the {themes} themes asked for; ask for at most {usable} themes"
    )]
    TooFewResponses {
        /// Responses given.
        responses: usize,
        /// Responses with at least one vocabulary term.
        usable: usize,
        /// Themes asked for.
        themes: usize,
    },
    /// Invalid pipeline parameter.
    #[error("invalid {parameter}: {message}")]
    InvalidParameter {
        /// The parameter.
        parameter: &'static str,
        /// Why.
        message: String,
    },
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, Error>;
