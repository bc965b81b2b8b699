use thiserror::Error;

/// Errors raised by the shared types.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Error {
    /// The row pointer array of a CSR matrix is malformed.
    #[error("invalid CSR matrix: {0}")]
    InvalidCsr(String),
    /// A local thread pool could not be built.
    #[error("cannot build a thread pool of {threads} threads: {reason}")]
    ThreadPool {
        /// The number of threads asked for.
        threads: usize,
        /// What rayon reported.
        reason: String,
    },
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, Error>;
