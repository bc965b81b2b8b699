//! The Python exception tree and the one place where Rust errors become Python ones.
//!
//! ```text
//! Exception
//! └── ThematicError
//!     ├── ParamError   (also ValueError): a parameter breaks its rule
//!     ├── DataError    (also ValueError): the input cannot be analysed as given
//!     └── IoError      (also OSError):    a file cannot be read or written
//! ```
//!
//! `ParamError` and `DataError` derive from two bases, which `create_exception!` cannot
//! express, so the classes are made once by calling Python's `type` at import time.

use pyo3::exceptions::{PyException, PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};
use thematic::cluster::{KMeansError, KMeansParamsError};
use thematic::io::IoError;
use thematic::text::TextError;
use thematic::themes::ThemesError;
use thematic::vectorize::{TfidfParamsError, VectorizeError};

/// The family of an error, which picks its Python class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An invalid parameter: `ParamError`.
    Param,
    /// Input the algorithms cannot handle: `DataError`.
    Data,
    /// A file error: `IoError`.
    Io,
    /// Anything else (e.g. a thread pool that cannot start): `ThematicError`.
    Other,
}

/// An error of the bindings: its family and its message.
#[derive(Debug)]
pub(crate) struct Error {
    kind: Kind,
    message: String,
}

/// Result alias of the bindings.
pub(crate) type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An invalid parameter; `message` should name it, e.g. "invalid seed -1: ...".
    pub(crate) fn param(message: impl Into<String>) -> Self {
        Error { kind: Kind::Param, message: message.into() }
    }

    /// Input that cannot be analysed.
    pub(crate) fn data(message: impl Into<String>) -> Self {
        Error { kind: Kind::Data, message: message.into() }
    }

    fn new(kind: Kind, message: impl ToString) -> Self {
        Error { kind, message: message.to_string() }
    }
}

fn core_kind(e: &thematic::core::Error) -> Kind {
    match e {
        thematic::core::Error::InvalidCsr(_) => Kind::Data,
        _ => Kind::Other,
    }
}

fn vectorize_kind(e: &VectorizeError) -> Kind {
    match e {
        // A df range empty for this corpus is fixed by changing min_df / max_df.
        VectorizeError::InvalidParams(_) | VectorizeError::DfRange { .. } => Kind::Param,
        VectorizeError::EmptyVocabulary { .. } => Kind::Data,
        VectorizeError::Core(c) => core_kind(c),
        _ => Kind::Other,
    }
}

fn cluster_kind(e: &KMeansError) -> Kind {
    match e {
        KMeansError::InvalidParams(_) => Kind::Param,
        KMeansError::Core(c) => core_kind(c),
        KMeansError::TooFewRows { .. }
        | KMeansError::AllRowsEmpty { .. }
        | KMeansError::NonFinite { .. }
        | KMeansError::FeatureMismatch { .. }
        | KMeansError::LabelCount { .. }
        | KMeansError::LabelOutOfRange { .. }
        | KMeansError::InvalidModel(_)
        | KMeansError::EuclideanNeedsDense
        | KMeansError::NoColumns { .. } => Kind::Data,
        _ => Kind::Other,
    }
}

fn themes_kind(e: &ThemesError) -> Kind {
    match e {
        ThemesError::TopTerms
        | ThemesError::LabelTerms { .. }
        | ThemesError::PhraseMinResponses
        | ThemesError::PhraseSample
        | ThemesError::QuoteMaxSimilarity(_) => Kind::Param,
        ThemesError::Shape { .. } => Kind::Data,
        _ => Kind::Other,
    }
}

fn pipeline_kind(e: &thematic::Error) -> Kind {
    match e {
        thematic::Error::Text(_) | thematic::Error::InvalidParameter { .. } => Kind::Param,
        thematic::Error::Vectorize(v) => vectorize_kind(v),
        thematic::Error::Cluster(c) => cluster_kind(c),
        thematic::Error::Themes(t) => themes_kind(t),
        thematic::Error::Io(_) => Kind::Io,
        thematic::Error::TooFewResponses { .. } => Kind::Data,
        _ => Kind::Other,
    }
}

impl From<TextError> for Error {
    fn from(e: TextError) -> Self {
        // Name the Python keyword, not the Rust builder method.
        let message = match &e {
            TextError::NgramRange { min, max } => {
                format!("invalid ngram_range ({min}, {max}): expected 1 <= min <= max <= 3")
            }
            TextError::UnknownLanguage(_) => format!("invalid stemmer: {e}"),
            _ => e.to_string(),
        };
        Error::param(message)
    }
}

impl From<TfidfParamsError> for Error {
    fn from(e: TfidfParamsError) -> Self {
        Error::param(e.to_string())
    }
}

impl From<KMeansParamsError> for Error {
    fn from(e: KMeansParamsError) -> Self {
        Error::param(e.to_string())
    }
}

impl From<VectorizeError> for Error {
    fn from(e: VectorizeError) -> Self {
        Error::new(vectorize_kind(&e), e)
    }
}

impl From<KMeansError> for Error {
    fn from(e: KMeansError) -> Self {
        Error::new(cluster_kind(&e), e)
    }
}

impl From<ThemesError> for Error {
    fn from(e: ThemesError) -> Self {
        Error::new(themes_kind(&e), e)
    }
}

impl From<IoError> for Error {
    fn from(e: IoError) -> Self {
        Error::new(Kind::Io, e)
    }
}

impl From<thematic::core::Error> for Error {
    fn from(e: thematic::core::Error) -> Self {
        Error::new(core_kind(&e), e)
    }
}

impl From<thematic::Error> for Error {
    fn from(e: thematic::Error) -> Self {
        Error::new(pipeline_kind(&e), e)
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::data(format!("invalid saved state: {e}"))
    }
}

impl From<Error> for PyErr {
    fn from(e: Error) -> Self {
        Python::attach(|py| match exceptions(py) {
            Ok(x) => {
                let ty = match e.kind {
                    Kind::Param => &x.param,
                    Kind::Data => &x.data,
                    Kind::Io => &x.io,
                    Kind::Other => &x.base,
                };
                PyErr::from_type(ty.bind(py).clone(), e.message)
            }
            Err(err) => err,
        })
    }
}

/// The exception classes, made once per process.
pub(crate) struct Exceptions {
    pub(crate) base: Py<PyType>,
    pub(crate) param: Py<PyType>,
    pub(crate) data: Py<PyType>,
    pub(crate) io: Py<PyType>,
}

static EXCEPTIONS: PyOnceLock<Exceptions> = PyOnceLock::new();

const BASE_DOC: &str = "Base class of every error raised by thematic.";
const PARAM_DOC: &str = "A parameter breaks its rule; the message names the parameter and \
                         the value. Also a ValueError.";
const DATA_DOC: &str = "The input cannot be analysed as given (e.g. no usable text, fewer \
                        rows than clusters, a malformed matrix). Also a ValueError.";
const IO_DOC: &str = "A file cannot be read or written, or is malformed. Also an OSError.";

fn new_class<'py>(
    py: Python<'py>,
    name: &str,
    doc: &str,
    bases: &[Bound<'py, PyType>],
) -> PyResult<Py<PyType>> {
    let namespace = PyDict::new(py);
    namespace.set_item("__module__", "thematic")?;
    namespace.set_item("__doc__", doc)?;
    let bases = PyTuple::new(py, bases)?;
    let class = py.get_type::<PyType>().call1((name, bases, namespace))?;
    Ok(class.cast_into::<PyType>()?.unbind())
}

/// The exception classes, made on first use.
pub(crate) fn exceptions(py: Python<'_>) -> PyResult<&Exceptions> {
    EXCEPTIONS.get_or_try_init(py, || {
        let base = new_class(py, "ThematicError", BASE_DOC, &[py.get_type::<PyException>()])?;
        let base_bound = base.bind(py).clone();
        let with = |name: &str, doc: &str, other: Bound<'_, PyType>| {
            new_class(py, name, doc, &[base_bound.clone(), other])
        };
        let param = with("ParamError", PARAM_DOC, py.get_type::<PyValueError>())?;
        let data = with("DataError", DATA_DOC, py.get_type::<PyValueError>())?;
        let io = with("IoError", IO_DOC, py.get_type::<PyOSError>())?;
        Ok(Exceptions { base, param, data, io })
    })
}
