//! Spherical k-means: parameters, fitting and the fitted model.

mod algorithm;
mod errors;
mod hyperparams;
mod init;
mod kernel;
mod linfa_impl;
mod minibatch;
mod sums;

pub use algorithm::KMeansModel;
pub use errors::{KMeansError, KMeansParamsError, Result};
pub use hyperparams::{KMeans, KMeansAlgorithm, KMeansInit, KMeansParams, KMeansValidParams};
pub use linfa_impl::dense_to_csr;
