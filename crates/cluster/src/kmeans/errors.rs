use thiserror::Error;

/// One variant per rule of [`KMeansParams`](crate::KMeansParams) validation.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum KMeansParamsError {
    /// `n_clusters` is 0, or above 2³² (labels are `u32`).
    #[error("invalid n_clusters {0}: ask for at least one cluster and at most 2^32")]
    NClusters(usize),
    /// `n_init` is 0.
    #[error("invalid n_init 0: run at least one initialisation")]
    NInit,
    /// `max_iter` is 0.
    #[error("invalid max_iter 0: allow at least one iteration")]
    MaxIter,
    /// `tol` is negative, infinite or NaN.
    #[error("invalid tol {0}: the tolerance must be finite and non-negative")]
    Tol(f64),
    /// `threads` is `Some(0)`.
    #[error("invalid threads 0: use none for the default")]
    Threads,
    /// `batch_size` is `Some(0)`.
    #[error(
        "invalid batch_size 0: a mini-batch holds at least 1 row, or use none for full iterations"
    )]
    BatchSize,
    /// An unknown initialisation name.
    #[error("invalid init {0:?}: expected \"k-means++\" or \"k-means||\"")]
    Init(String),
    /// An unknown metric name.
    #[error("invalid metric {0:?}: expected \"cosine\" or \"euclidean\"")]
    Metric(String),
    /// An unknown algorithm name.
    #[error("invalid algorithm {0:?}: expected \"lloyd\", \"hamerly\" or \"yinyang\"")]
    Algorithm(String),
}

/// Errors of k-means fitting and prediction.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum KMeansError {
    /// A parameter failed validation.
    #[error(transparent)]
    InvalidParams(#[from] KMeansParamsError),
    /// The matrix has fewer rows than the clusters asked for.
    #[error(
        "cannot fit {n_clusters} clusters to {n_rows} rows: n_clusters must not exceed the number of rows"
    )]
    TooFewRows {
        /// Rows of the matrix.
        n_rows: usize,
        /// Clusters asked for.
        n_clusters: usize,
    },
    /// Every row of the matrix is empty (all zero), so no row has a direction to cluster by.
    #[error("all {n_rows} rows are empty: there is nothing to cluster")]
    AllRowsEmpty {
        /// Rows of the matrix.
        n_rows: usize,
    },
    /// Euclidean k-means was asked of sparse rows, which only cosine clusters: fit dense rows
    /// ([`fit_dense`](crate::KMeansValidParams::fit_dense)) or use the cosine metric.
    #[error(
        "the euclidean metric needs dense rows (fit_dense): sparse TF-IDF rows are clustered by cosine"
    )]
    EuclideanNeedsDense,
    /// Dense rows with no column: every point is the same, there is nothing to cluster.
    #[error("the {n_rows} rows have no column: there is nothing to cluster")]
    NoColumns {
        /// Rows of the matrix.
        n_rows: usize,
    },
    /// The matrix holds a NaN or infinite value.
    #[error("non-finite value {value} at row {row}, column {column}")]
    NonFinite {
        /// Row of the first non-finite value.
        row: usize,
        /// Its column.
        column: u32,
        /// The value.
        value: f32,
    },
    /// The matrix given to a fitted model has another number of columns than the model's
    /// centroids.
    #[error("the matrix has {found} columns but the model was fitted on {expected}")]
    FeatureMismatch {
        /// Columns of the fitted data (the model's features).
        expected: usize,
        /// Columns of the matrix given.
        found: usize,
    },
    /// The labels given do not match the rows of the matrix one to one.
    #[error("{n_labels} labels given for a matrix of {n_rows} rows")]
    LabelCount {
        /// Rows of the matrix.
        n_rows: usize,
        /// Labels given.
        n_labels: usize,
    },
    /// A label given is not a cluster of the model.
    #[error("label {label} of row {row} is not a cluster: the model has {n_clusters}")]
    LabelOutOfRange {
        /// The row.
        row: usize,
        /// Its label.
        label: u32,
        /// Clusters of the model.
        n_clusters: usize,
    },
    /// A deserialised model breaks an invariant (e.g. the centroid array does not have
    /// `n_clusters × n_features` values).
    #[error("invalid k-means model: {0}")]
    InvalidModel(String),
    /// A failure of the shared types (e.g. a thread pool).
    #[error(transparent)]
    Core(#[from] thematic_core::Error),
    /// An error raised through linfa's traits (kept as its message: linfa's error type has
    /// no equality, which this enum offers).
    #[error("linfa: {0}")]
    Linfa(String),
}

impl From<linfa::Error> for KMeansError {
    fn from(e: linfa::Error) -> Self {
        KMeansError::Linfa(e.to_string())
    }
}

/// Result alias of the k-means module.
pub type Result<T> = std::result::Result<T, KMeansError>;
