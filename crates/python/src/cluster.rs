//! `thematic.KMeans` and `thematic.KMeansModel`: spherical k-means.

use numpy::{PyArray1, PyArray2, PyArrayMethods};
use pyo3::prelude::*;
use pyo3::types::PyType;
use thematic::cluster::{KMeans, KMeansModel, KMeansParams, KMeansValidParams};
use thematic::core::{ParamGuard, with_threads};

use crate::convert::{count, csr_from_py, opt_count};
use crate::error::{Error, Result};

/// Spherical k-means parameters: clusters rows by direction (cosine similarity), the usual
/// measure for TF-IDF vectors, with greedy k-means++ initialisation. The same seed gives
/// the same labels at any number of threads.
///
/// Args:
///     n_clusters: the number of clusters k, at least 1 (and at most the rows when
///         fitting).
///     seed: seed of the initialisation, an integer in [0, 2^64).
///     n_init: runs from different initialisations, at least 1; the lowest objective
///         wins.
///     max_iter: iterations per run, at least 1.
///     tol: relative tolerance on the objective, finite and >= 0.
///     threads: threads to use; None for `THEMATIC_NUM_THREADS` or all cores.
///
/// Raises:
///     ParamError: a parameter breaks its rule (also a ValueError).
#[pyclass(module = "thematic", name = "KMeans", frozen)]
#[derive(Debug, Clone)]
pub(crate) struct PyKMeans {
    params: KMeansValidParams,
}

#[pymethods]
impl PyKMeans {
    #[new]
    #[pyo3(signature = (n_clusters, seed = None, n_init = 3, max_iter = 100, tol = 1e-4, threads = None, algorithm = "yinyang", init = "k-means++", batch_size = None),
           text_signature = "(n_clusters, seed=42, n_init=3, max_iter=100, tol=0.0001, threads=None, algorithm='yinyang', init='k-means++', batch_size=None)")]
    // Python keyword arguments, one per setter of the Rust parameters.
    #[allow(clippy::too_many_arguments)]
    fn new(
        n_clusters: i64,
        seed: Option<&Bound<'_, PyAny>>,
        n_init: i64,
        max_iter: i64,
        tol: f64,
        threads: Option<i64>,
        algorithm: &str,
        init: &str,
        batch_size: Option<i64>,
    ) -> PyResult<Self> {
        let seed = seed.map(crate::convert::seed).transpose()?.unwrap_or(42);
        let params = KMeans::params(count("n_clusters", n_clusters)?)
            .seed(seed)
            .n_init(count("n_init", n_init)?)
            .max_iter(count("max_iter", max_iter)?)
            .tol(tol)
            .threads(opt_count("threads", threads)?)
            .algorithm(algorithm.parse().map_err(Error::from)?)
            .init(init.parse().map_err(Error::from)?)
            .batch_size(opt_count("batch_size", batch_size)?);
        Ok(PyKMeans { params: params.check().map_err(Error::from)? })
    }

    /// Fits k-means to the rows of `x`: a `scipy.sparse` matrix or array (float32 or
    /// float64; other formats are converted to CSR) or a tuple
    /// `(data, indices, indptr, shape)`, as `Tfidf.fit_transform` returns.
    ///
    /// Raises:
    ///     DataError: fewer rows than clusters, no non-zero row, a NaN or infinite value,
    ///         or a malformed matrix.
    fn fit(&self, py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<PyKMeansModel> {
        let x = csr_from_py(x)?;
        let params = &self.params;
        let model = py.detach(|| params.fit(&x)).map_err(Error::from)?;
        Ok(PyKMeansModel { inner: model })
    }

    /// The number of clusters.
    #[getter]
    fn n_clusters(&self) -> usize {
        self.params.n_clusters()
    }

    /// The seed.
    #[getter]
    fn seed(&self) -> u64 {
        self.params.seed()
    }

    /// The number of runs.
    #[getter]
    fn n_init(&self) -> usize {
        self.params.n_init()
    }

    /// The iteration cap per run.
    #[getter]
    fn max_iter(&self) -> usize {
        self.params.max_iter()
    }

    /// The relative tolerance.
    #[getter]
    fn tol(&self) -> f64 {
        self.params.tol()
    }

    /// Threads, or None for the default.
    #[getter]
    fn threads(&self) -> Option<usize> {
        self.params.threads()
    }

    /// The assignment algorithm: "yinyang" (bounds per group of 16 clusters skip what
    /// cannot change a label), "hamerly" (one bound per row) or "lloyd" (all similarities).
    /// All three give the same model.
    #[getter]
    fn algorithm(&self) -> &'static str {
        algorithm_name(self.params.algorithm())
    }

    /// The parameters as JSON (what pickling stores).
    fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string(&self.params)?)
    }

    /// Parameters from the JSON of `to_json`, validated.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, json: &str) -> Result<Self> {
        let params: KMeansParams = serde_json::from_str(json)?;
        Ok(PyKMeans { params: params.check()? })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((slf.get_type().getattr("from_json")?, (slf.get().to_json()?,)))
    }

    fn __repr__(&self) -> String {
        let p = &self.params;
        format!(
            "KMeans(n_clusters={}, seed={}, n_init={}, max_iter={}, tol={:?}, threads={}, \
             algorithm='{}')",
            p.n_clusters(),
            p.seed(),
            p.n_init(),
            p.max_iter(),
            p.tol(),
            p.threads().map_or("None".to_owned(), |t| t.to_string()),
            algorithm_name(p.algorithm()),
        )
    }
}

/// A fitted spherical k-means model: unit centroids and the label of each fitted row.
/// Made by `KMeans.fit`; picklable.
#[pyclass(module = "thematic", name = "KMeansModel", frozen)]
#[derive(Debug, Clone)]
pub(crate) struct PyKMeansModel {
    inner: KMeansModel,
}

#[pymethods]
impl PyKMeansModel {
    /// The cluster of each fitted row, a uint32 numpy array with values in
    /// `0..n_clusters`.
    #[getter]
    fn labels_<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u32>> {
        PyArray1::from_vec(py, self.inner.labels().to_vec())
    }

    /// The objective: the sum over fitted rows of 1 − cosine to their centroid, the lowest
    /// over the runs.
    #[getter]
    fn objective(&self) -> f64 {
        self.inner.objective()
    }

    /// Iterations of the winning run.
    #[getter]
    fn n_iter(&self) -> usize {
        self.inner.n_iter()
    }

    /// Whether the winning run converged before `max_iter`.
    #[getter]
    fn converged(&self) -> bool {
        self.inner.converged()
    }

    /// The objective after each iteration of the winning run.
    #[getter]
    fn inertia_history(&self) -> Vec<f64> {
        self.inner.inertia_history().to_vec()
    }

    /// The centroids, a float32 numpy array of shape `(n_clusters, n_features)` whose rows
    /// have unit norm.
    #[getter]
    fn centroids<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<f32>>> {
        PyArray1::from_vec(py, self.inner.centroids().to_vec())
            .reshape([self.inner.n_clusters(), self.inner.n_features()])
    }

    /// The number of fitted rows in each cluster.
    #[getter]
    fn cluster_sizes(&self) -> Vec<usize> {
        self.inner.cluster_sizes()
    }

    /// The number of clusters.
    #[getter]
    fn n_clusters(&self) -> usize {
        self.inner.n_clusters()
    }

    /// The number of features (columns of the fitted matrix).
    #[getter]
    fn n_features(&self) -> usize {
        self.inner.n_features()
    }

    /// The cluster of each row of `x` (same forms as `KMeans.fit`): the centroid of
    /// highest cosine (ties: the lowest cluster; empty rows: 0), as a uint32 numpy array.
    ///
    /// Raises:
    ///     DataError: `x` has another number of columns than the fitted matrix, or holds a
    ///         NaN or infinite value.
    fn predict<'py>(
        &self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray1<u32>>> {
        let x = csr_from_py(x)?;
        let model = &self.inner;
        let labels = py
            .detach(|| with_threads(None, || model.predict(&x)))
            .map_err(Error::from)?
            .map_err(Error::from)?;
        Ok(PyArray1::from_vec(py, labels))
    }

    /// The model as JSON (what pickling stores).
    fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string(&self.inner)?)
    }

    /// A model from the JSON of `to_json`, checked.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, json: &str) -> Result<Self> {
        Ok(PyKMeansModel { inner: serde_json::from_str(json)? })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((slf.get_type().getattr("from_json")?, (slf.get().to_json()?,)))
    }

    fn __repr__(&self) -> String {
        format!(
            "KMeansModel(n_clusters={}, n_features={}, objective={:.6}, n_iter={}, converged={})",
            self.inner.n_clusters(),
            self.inner.n_features(),
            self.inner.objective(),
            self.inner.n_iter(),
            if self.inner.converged() { "True" } else { "False" },
        )
    }
}

fn algorithm_name(a: thematic::cluster::KMeansAlgorithm) -> &'static str {
    match a {
        thematic::cluster::KMeansAlgorithm::Lloyd => "lloyd",
        thematic::cluster::KMeansAlgorithm::Hamerly => "hamerly",
        _ => "yinyang",
    }
}
