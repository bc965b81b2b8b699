//! `thematic.Tfidf` and `thematic.TfidfModel`: TF-IDF vectors.

use numpy::PyArray1;
use pyo3::exceptions::PyIndexError;
use pyo3::prelude::*;
use pyo3::types::PyType;
use thematic::core::ParamGuard;
use thematic::text::Analyzer;
use thematic::vectorize::{Tfidf, TfidfModel, TfidfParams, TfidfValidParams};

use crate::convert::{csr_to_py, doc_freq, doc_freq_py, opt_count, texts};
use crate::error::{Error, Result};
use crate::text::PyAnalyzer;

/// TF-IDF parameters, as scikit-learn's `TfidfVectorizer`: weights `tf × idf` with
/// `idf = ln((1 + n) / (1 + df)) + 1` (smooth) or `ln(n / df) + 1`, rows L2-normalised.
///
/// Args:
///     min_df: terms in fewer documents are dropped; an int counts documents, a float is a
///         fraction of them in [0, 1].
///     max_df: terms in more documents are dropped; an int >= 1 or a fraction in (0, 1].
///     max_features: keep only this many terms, the most frequent; None keeps all.
///     sublinear_tf: whether tf is `1 + ln(count)` rather than the count.
///     smooth_idf: whether idf is smoothed as if one extra document held every term.
///     threads: threads to use; None for `THEMATIC_NUM_THREADS` or all cores. Results do
///         not depend on it.
///
/// Raises:
///     ParamError: a parameter breaks its rule (also a ValueError).
#[pyclass(module = "thematic", name = "Tfidf", frozen)]
#[derive(Debug, Clone)]
pub(crate) struct PyTfidf {
    params: TfidfValidParams,
}

fn analyzer_or_default(analyzer: Option<&Bound<'_, PyAnalyzer>>) -> Analyzer {
    analyzer.map_or_else(Analyzer::default, |a| a.get().inner.clone())
}

#[pymethods]
impl PyTfidf {
    #[new]
    #[pyo3(
        signature = (
            min_df = None,
            max_df = None,
            max_features = None,
            sublinear_tf = false,
            smooth_idf = true,
            threads = None,
        ),
        text_signature = "(min_df=1, max_df=1.0, max_features=None, sublinear_tf=False, \
                          smooth_idf=True, threads=None)"
    )]
    fn new(
        min_df: Option<&Bound<'_, PyAny>>,
        max_df: Option<&Bound<'_, PyAny>>,
        max_features: Option<i64>,
        sublinear_tf: bool,
        smooth_idf: bool,
        threads: Option<i64>,
    ) -> PyResult<Self> {
        let mut p = Tfidf::params()
            .max_features(opt_count("max_features", max_features)?)
            .sublinear_tf(sublinear_tf)
            .smooth_idf(smooth_idf)
            .threads(opt_count("threads", threads)?);
        if let Some(v) = min_df {
            p = p.min_df(doc_freq("min_df", v)?);
        }
        if let Some(v) = max_df {
            p = p.max_df(doc_freq("max_df", v)?);
        }
        Ok(PyTfidf { params: p.check().map_err(Error::from)? })
    }

    /// Fits the vocabulary and idf on `texts` (a sequence of str; None is an empty text)
    /// and returns `(model, matrix)`: the matrix of the texts, one L2-normalised row per
    /// text, as a `scipy.sparse.csr_matrix` (float32), or a tuple
    /// `(data, indices, indptr, shape)` of numpy arrays when scipy is not installed.
    ///
    /// Args:
    ///     texts: the documents.
    ///     analyzer: how texts become terms; None for `Analyzer()`.
    ///
    /// Raises:
    ///     ParamError: `max_df` is below `min_df` for this many documents.
    ///     DataError: no term survives the analyzer and the limits.
    #[pyo3(signature = (texts, analyzer = None))]
    fn fit_transform<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        analyzer: Option<&Bound<'py, PyAnalyzer>>,
    ) -> PyResult<(PyTfidfModel, Bound<'py, PyAny>)> {
        let texts = crate::convert::texts("texts", texts)?;
        let analyzer = analyzer_or_default(analyzer);
        let params = &self.params;
        let (model, x) =
            py.detach(|| params.fit_transform(&analyzer, &texts)).map_err(Error::from)?;
        Ok((PyTfidfModel { inner: model }, csr_to_py(py, x)?))
    }

    /// Fits the vocabulary and idf on `texts`; as `fit_transform` without the matrix.
    #[pyo3(signature = (texts, analyzer = None))]
    fn fit(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        analyzer: Option<&Bound<'_, PyAnalyzer>>,
    ) -> PyResult<PyTfidfModel> {
        Ok(self.fit_transform(py, texts, analyzer)?.0)
    }

    /// Smallest document frequency: an int (documents) or a float (fraction).
    #[getter]
    fn min_df<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        doc_freq_py(py, self.params.min_df())
    }

    /// Largest document frequency: an int (documents) or a float (fraction).
    #[getter]
    fn max_df<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        doc_freq_py(py, self.params.max_df())
    }

    /// Most terms kept, or None.
    #[getter]
    fn max_features(&self) -> Option<usize> {
        self.params.max_features()
    }

    /// Whether tf is `1 + ln(count)`.
    #[getter]
    fn sublinear_tf(&self) -> bool {
        self.params.sublinear_tf()
    }

    /// Whether idf is smoothed.
    #[getter]
    fn smooth_idf(&self) -> bool {
        self.params.smooth_idf()
    }

    /// Threads, or None for the default.
    #[getter]
    fn threads(&self) -> Option<usize> {
        self.params.threads()
    }

    /// The parameters as JSON (what pickling stores).
    fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string(&self.params)?)
    }

    /// Parameters from the JSON of `to_json`, validated.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, json: &str) -> Result<Self> {
        let params: TfidfParams = serde_json::from_str(json)?;
        Ok(PyTfidf { params: params.check()? })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((slf.get_type().getattr("from_json")?, (slf.get().to_json()?,)))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let p = &self.params;
        let opt = |v: Option<usize>| v.map_or("None".to_owned(), |v| v.to_string());
        let py_bool = |b: bool| if b { "True" } else { "False" };
        Ok(format!(
            "Tfidf(min_df={}, max_df={}, max_features={}, sublinear_tf={}, smooth_idf={}, \
             threads={})",
            self.min_df(py)?.repr()?,
            self.max_df(py)?.repr()?,
            opt(p.max_features()),
            py_bool(p.sublinear_tf()),
            py_bool(p.smooth_idf()),
            opt(p.threads()),
        ))
    }
}

/// A fitted TF-IDF model: the analyzer, the vocabulary and the idf weights. Made by
/// `Tfidf.fit` or `Tfidf.fit_transform`; picklable.
#[pyclass(module = "thematic", name = "TfidfModel", frozen)]
#[derive(Debug, Clone)]
pub(crate) struct PyTfidfModel {
    pub(crate) inner: TfidfModel,
}

#[pymethods]
impl PyTfidfModel {
    /// The TF-IDF rows of new texts over this model's vocabulary (unknown terms ignored;
    /// a text without known terms gives an empty row), in the same form as
    /// `Tfidf.fit_transform`'s matrix.
    fn transform<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let texts = texts_arg(texts)?;
        let model = &self.inner;
        let x = py.detach(|| model.transform(&texts)).map_err(Error::from)?;
        csr_to_py(py, x)
    }

    /// The terms (stems joined by spaces), in term-id (column) order.
    #[getter]
    fn vocabulary(&self) -> Vec<String> {
        self.inner.vocabulary().terms().to_vec()
    }

    /// The readable form of term `term_id`: each stem replaced by its most frequent
    /// surface form ("clinic safeti" → "clinical safety").
    ///
    /// Raises:
    ///     IndexError: `term_id` is not a column of the model.
    fn display(&self, term_id: i64) -> PyResult<String> {
        Ok(self.inner.vocabulary().display(self.check_id(term_id)?))
    }

    /// The column of `term` (as in `vocabulary`), or None if it is not in the vocabulary.
    fn term_id(&self, term: &str) -> Option<u32> {
        self.inner.vocabulary().id(term)
    }

    /// The number of fitted documents holding term `term_id`.
    ///
    /// Raises:
    ///     IndexError: `term_id` is not a column of the model.
    fn df(&self, term_id: i64) -> PyResult<u64> {
        Ok(self.inner.vocabulary().df(self.check_id(term_id)?))
    }

    /// The idf weight of each term, a float32 numpy array in term-id order.
    #[getter]
    fn idf<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f32>> {
        PyArray1::from_vec(py, self.inner.idf().to_vec())
    }

    /// The number of terms (columns).
    #[getter]
    fn n_features(&self) -> usize {
        self.inner.n_features()
    }

    /// The number of documents fitted.
    #[getter]
    fn n_docs(&self) -> usize {
        self.inner.n_docs()
    }

    /// The analyzer the model was fitted with.
    #[getter]
    fn analyzer(&self) -> PyAnalyzer {
        PyAnalyzer { inner: self.inner.analyzer().clone() }
    }

    /// The model as JSON (what pickling stores).
    fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string(&self.inner)?)
    }

    /// A model from the JSON of `to_json`.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, json: &str) -> Result<Self> {
        Ok(PyTfidfModel { inner: serde_json::from_str(json)? })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((slf.get_type().getattr("from_json")?, (slf.get().to_json()?,)))
    }

    fn __len__(&self) -> usize {
        self.inner.n_features()
    }

    fn __repr__(&self) -> String {
        format!(
            "TfidfModel(n_features={}, n_docs={})",
            self.inner.n_features(),
            self.inner.n_docs()
        )
    }
}

impl PyTfidfModel {
    fn check_id(&self, term_id: i64) -> PyResult<u32> {
        let n = self.inner.n_features();
        u32::try_from(term_id).ok().filter(|&i| (i as usize) < n).ok_or_else(|| {
            PyIndexError::new_err(format!("term id {term_id} out of range: the model has {n}"))
        })
    }
}

fn texts_arg(obj: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    texts("texts", obj)
}
