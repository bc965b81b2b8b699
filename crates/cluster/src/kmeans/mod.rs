//! k-means: parameters, fitting (sparse rows by cosine; dense rows by cosine or Euclidean
//! distance) and the fitted model.

mod algorithm;
mod dense;
mod dense_init;
mod dense_minibatch;
mod errors;
mod hyperparams;
mod init;
mod kernel;
mod linfa_impl;
mod minibatch;
mod sums;

pub use algorithm::KMeansModel;
pub use errors::{KMeansError, KMeansParamsError, Result};
pub use hyperparams::{
    KMeans, KMeansAlgorithm, KMeansInit, KMeansMetric, KMeansParams, KMeansValidParams,
};
pub use linfa_impl::dense_to_csr;
