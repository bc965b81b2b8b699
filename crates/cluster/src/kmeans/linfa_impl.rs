//! The linfa estimator traits, for dense inputs (LSA embeddings, sentence embeddings).
//!
//! linfa's datasets hold dense `ndarray` records: these impls fit them with
//! [`KMeansValidParams::fit_dense`] in the parameters' [`metric`](KMeansValidParams::metric)
//! and predict with [`KMeansModel::predict_dense`].

use linfa::dataset::DatasetBase;
use linfa::traits::{Fit, PredictInplace};
use ndarray::{Array1, ArrayBase, ArrayView2, Data, Ix2};
use thematic_core::CsrMatrix;

use super::algorithm::KMeansModel;
use super::errors::KMeansError;
use super::hyperparams::{KMeansParams, KMeansValidParams};
use thematic_core::ParamGuard;

/// The non-zeros of dense rows, as a CSR matrix (e.g. to hand dense rows to code that takes
/// sparse ones). Dense rows fit directly with [`KMeansValidParams::fit_dense`].
pub fn dense_to_csr(x: ArrayView2<'_, f32>) -> CsrMatrix<f32> {
    let (n, d) = x.dim();
    let mut indptr = Vec::with_capacity(n + 1);
    let mut indices = Vec::new();
    let mut data = Vec::new();
    indptr.push(0);
    for row in x.rows() {
        for (j, &v) in row.iter().enumerate() {
            if v != 0.0 {
                // d fits u32: a dense row of 4 billion values does not fit in memory.
                indices.push(j as u32);
                data.push(v);
            }
        }
        indptr.push(indices.len());
    }
    // Columns are visited in order and each once: the invariants hold by construction.
    CsrMatrix::new(d, indptr, indices, data).expect("dense rows give a valid CSR matrix")
}

impl<D: Data<Elem = f32>, T> Fit<ArrayBase<D, Ix2>, T, KMeansError> for KMeansValidParams {
    type Object = KMeansModel;

    /// Fits k-means to the dataset's records (rows) in the parameters' metric, ignoring its
    /// targets: [`KMeansValidParams::fit_dense`].
    fn fit(&self, dataset: &DatasetBase<ArrayBase<D, Ix2>, T>) -> Result<KMeansModel, KMeansError> {
        self.fit_dense(dataset.records.view())
    }
}

impl<D: Data<Elem = f32>, T> Fit<ArrayBase<D, Ix2>, T, KMeansError> for KMeansParams {
    type Object = KMeansModel;

    /// Validates the parameters, then fits as [`KMeansValidParams`] does.
    fn fit(&self, dataset: &DatasetBase<ArrayBase<D, Ix2>, T>) -> Result<KMeansModel, KMeansError> {
        Fit::fit(self.check_ref()?, dataset)
    }
}

impl<D: Data<Elem = f32>> PredictInplace<ArrayBase<D, Ix2>, Array1<usize>> for KMeansModel {
    /// Writes the nearest centroid of each row into `y` ([`KMeansModel::predict_dense`]).
    ///
    /// # Panics
    /// If `y` does not have one entry per row, or the rows do not have
    /// [`n_features`](KMeansModel::n_features) columns or hold a NaN or infinity (linfa's
    /// trait has no error path; use [`KMeansModel::predict_dense`] for a `Result`).
    fn predict_inplace(&self, x: &ArrayBase<D, Ix2>, y: &mut Array1<usize>) {
        assert_eq!(y.len(), x.nrows(), "one target per row");
        let labels = match self.predict_dense(x.view()) {
            Ok(labels) => labels,
            Err(e) => panic!("predict_inplace: {e}"),
        };
        for (t, l) in y.iter_mut().zip(labels) {
            *t = l as usize;
        }
    }

    fn default_target(&self, x: &ArrayBase<D, Ix2>) -> Array1<usize> {
        Array1::zeros(x.nrows())
    }
}
