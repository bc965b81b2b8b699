//! `thematic.KMeans` and `thematic.KMeansModel`: k-means of sparse rows (cosine) and dense
//! rows (cosine or Euclidean).

use numpy::ndarray::ArrayView2;
use numpy::{PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray2};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyType;
use thematic::cluster::{KMeans, KMeansError, KMeansModel, KMeansParams, KMeansValidParams};
use thematic::core::{CsrMatrix, ParamGuard, with_threads};

use crate::convert::{count, csr_from_py, opt_count};
use crate::error::{Error, Result};

/// A k-means error as a Python one. The errors of dense input (sparse rows for the euclidean
/// metric, rows without columns) are the caller's data, so `DataError`s, which the shared
/// mapping in `error.rs` does not list yet.
fn cluster_error(e: KMeansError) -> Error {
    match e {
        KMeansError::EuclideanNeedsDense | KMeansError::NoColumns { .. } => {
            Error::data(e.to_string())
        }
        e => Error::from(e),
    }
}

/// The rows given to `fit` or `predict`: a sparse matrix, or a dense 2-D array.
enum Rows<'py> {
    Sparse(CsrMatrix<f32>),
    Dense(Dense<'py>),
}

/// A dense float32 C-contiguous array, and whether it is a copy only thematic holds.
struct Dense<'py> {
    array: PyReadonlyArray2<'py, f32>,
    private: bool,
}

impl<'py> Rows<'py> {
    /// A 2-D numpy array of floats (float32 is used as is, other float types are converted)
    /// is dense; anything else goes through the sparse conversions.
    fn from_py(x: &Bound<'py, PyAny>) -> PyResult<Self> {
        let np = x.py().import("numpy")?;
        if !x.is_instance(&np.getattr("ndarray")?)? {
            return Ok(Rows::Sparse(csr_from_py(x)?));
        }
        let ndim: usize = x.getattr("ndim")?.extract()?;
        if ndim != 2 {
            return Err(Error::data(format!(
                "a dense matrix must be a 2-D array (rows × columns), not {ndim}-D"
            ))
            .into());
        }
        let kind: String = x.getattr("dtype")?.getattr("kind")?.extract()?;
        if kind != "f" {
            return Err(PyTypeError::new_err(format!(
                "a dense matrix must hold floats (float32 or float64), not {}",
                x.getattr("dtype")?.str()?
            )));
        }
        let converted = np.call_method1("ascontiguousarray", (x, "float32"))?;
        let private = !converted.is(x);
        let array: PyReadonlyArray2<'py, f32> = converted.extract()?;
        Ok(Rows::Dense(Dense { array, private }))
    }
}

impl Dense<'_> {
    /// Runs `f` on the rows without the GIL. Python code may write to the caller's array
    /// while the GIL is released, so the rows are copied first unless they already are a
    /// private copy (a converted array).
    fn detach<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(ArrayView2<'_, f32>) -> T + Send,
    ) -> T {
        let view = self.array.as_array();
        if self.private {
            py.detach(|| f(view))
        } else {
            let owned = view.to_owned();
            py.detach(|| f(owned.view()))
        }
    }
}

/// k-means parameters. Clusters sparse TF-IDF rows by direction (cosine similarity, the
/// usual measure for TF-IDF vectors: spherical k-means), and dense rows (LSA output,
/// embeddings) by cosine or Euclidean distance, with greedy k-means++ (or k-means||)
/// initialisation. The same seed gives the same labels at any number of threads.
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
///     algorithm: "yinyang", "hamerly" or "lloyd" (see the `algorithm` property).
///     init: "k-means++" or "k-means||".
///     batch_size: rows per mini-batch, or None for full iterations.
///     metric: "cosine" (spherical k-means; sparse or dense rows) or "euclidean" (classic
///         k-means, as scikit-learn's KMeans; dense rows only).
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
    #[pyo3(signature = (n_clusters, seed = None, n_init = 3, max_iter = 100, tol = 1e-4, threads = None, algorithm = "yinyang", init = "k-means++", batch_size = None, metric = "cosine"),
           text_signature = "(n_clusters, seed=42, n_init=3, max_iter=100, tol=0.0001, threads=None, algorithm='yinyang', init='k-means++', batch_size=None, metric='cosine')")]
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
        metric: &str,
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
            .batch_size(opt_count("batch_size", batch_size)?)
            .metric(metric.parse().map_err(Error::from)?);
        Ok(PyKMeans { params: params.check().map_err(Error::from)? })
    }

    /// Fits k-means to the rows of `x`: a `scipy.sparse` matrix or array (float32 or
    /// float64; other formats are converted to CSR) or a tuple
    /// `(data, indices, indptr, shape)`, as `Tfidf.fit_transform` returns; or a 2-D numpy
    /// array of floats (dense rows, e.g. LSA output or embeddings; computed in float32).
    ///
    /// Raises:
    ///     DataError: fewer rows than clusters, no non-zero row (cosine), a NaN or infinite
    ///         value, a malformed matrix, an array that is not 2-D, or sparse rows with the
    ///         euclidean metric.
    ///     TypeError: `x` is neither a matrix nor an array of floats.
    fn fit(&self, py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<PyKMeansModel> {
        let params = &self.params;
        let model = match Rows::from_py(x)? {
            Rows::Sparse(x) => py.detach(|| params.fit(&x)),
            Rows::Dense(x) => x.detach(py, |x| params.fit_dense(x)),
        }
        .map_err(cluster_error)?;
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

    /// How rows are compared: "cosine" or "euclidean".
    #[getter]
    fn metric(&self) -> &'static str {
        self.params.metric().as_str()
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
             algorithm='{}', metric='{}')",
            p.n_clusters(),
            p.seed(),
            p.n_init(),
            p.max_iter(),
            p.tol(),
            p.threads().map_or("None".to_owned(), |t| t.to_string()),
            algorithm_name(p.algorithm()),
            p.metric(),
        )
    }
}

/// A fitted k-means model: the centroids (unit vectors for cosine, means for Euclidean) and
/// the label of each fitted row. Made by `KMeans.fit`; picklable.
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

    /// The objective, the lowest over the runs: the sum over fitted rows of 1 − cosine to
    /// their centroid (cosine), or of squared distances to it (euclidean: scikit-learn's
    /// `inertia_`).
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

    /// The centroids, a float32 numpy array of shape `(n_clusters, n_features)`: rows of unit
    /// norm (cosine) or the clusters' means (euclidean).
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

    /// How the model compares rows: "cosine" or "euclidean".
    #[getter]
    fn metric(&self) -> &'static str {
        self.inner.metric().as_str()
    }

    /// The cluster of each row of `x` (same forms as `KMeans.fit`: sparse or dense), as a
    /// uint32 numpy array: the centroid of highest cosine (cosine; empty rows: 0) or the
    /// nearest centroid (euclidean); ties go to the lowest cluster. The fitted rows, given
    /// in the form they were fitted in, get `labels_` back.
    ///
    /// Raises:
    ///     DataError: `x` has another number of columns than the fitted matrix, holds a
    ///         NaN or infinite value, or is an array that is not 2-D.
    ///     TypeError: `x` is neither a matrix nor an array of floats.
    fn predict<'py>(
        &self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray1<u32>>> {
        let model = &self.inner;
        let labels = match Rows::from_py(x)? {
            Rows::Sparse(x) => py.detach(|| with_threads(None, || model.predict(&x))),
            Rows::Dense(x) => x.detach(py, |x| with_threads(None, || model.predict_dense(x))),
        }
        .map_err(Error::from)?
        .map_err(cluster_error)?;
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
            "KMeansModel(n_clusters={}, n_features={}, metric='{}', objective={:.6}, n_iter={}, \
             converged={})",
            self.inner.n_clusters(),
            self.inner.n_features(),
            self.inner.metric(),
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
