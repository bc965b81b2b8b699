//! Spherical k-means: parameters, fitting and the fitted model.

mod algorithm;
mod errors;
mod hyperparams;
mod init;

pub use algorithm::KMeansModel;
pub use errors::{KMeansError, KMeansParamsError, Result};
pub use hyperparams::{KMeans, KMeansParams, KMeansValidParams};
