use thiserror::Error;

/// Errors of the clustering metrics.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum MetricsError {
    /// The two labelings of an external metric differ in length.
    #[error("the labelings differ in length: {n_true} reference labels but {n_pred} predicted")]
    LengthMismatch {
        /// Reference (true) labels given.
        n_true: usize,
        /// Predicted labels given.
        n_pred: usize,
    },
    /// No sample was given.
    #[error("no samples given: a clustering metric needs at least one")]
    Empty,
    /// The labels of an internal metric do not match the rows of the matrix one to one.
    #[error("{n_labels} labels given for a matrix of {n_rows} rows")]
    LabelCount {
        /// Rows of the matrix.
        n_rows: usize,
        /// Labels given.
        n_labels: usize,
    },
    /// An internal metric needs `2 <= n_clusters < n_samples` (scikit-learn's
    /// `check_number_of_labels`); for a sampled silhouette, the counts are those of the sample.
    #[error(
        "{n_clusters} clusters among {n_samples} samples: \
         internal metrics need at least 2 clusters and fewer clusters than samples"
    )]
    ClusterCount {
        /// Distinct labels found.
        n_clusters: usize,
        /// Samples they label.
        n_samples: usize,
    },
    /// The sample size asked for a silhouette is 0.
    #[error("invalid sample size 0: sample at least 2 rows, or pass none for all rows")]
    SampleSize,
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
}

/// Result alias of the metrics module.
pub type Result<T> = std::result::Result<T, MetricsError>;
