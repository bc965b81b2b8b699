//! Conversions between Python values and the Rust types: parameters, texts, CSR matrices.

use numpy::{Element, PyArray1, PyReadonlyArray1};
use pyo3::exceptions::{PyImportError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString, PyTuple};
use thematic::core::CsrMatrix;
use thematic::vectorize::DocFreq;

use crate::error::Error;

/// A count parameter: a non-negative integer.
pub(crate) fn count(name: &str, value: i64) -> Result<usize, Error> {
    usize::try_from(value)
        .map_err(|_| Error::param(format!("invalid {name} {value}: expected an integer >= 0")))
}

/// An optional count parameter (`threads`, `max_features`): `None` or an integer >= 0.
pub(crate) fn opt_count(name: &str, value: Option<i64>) -> Result<Option<usize>, Error> {
    value.map(|v| count(name, v)).transpose()
}

/// A seed: a non-negative integer below 2^64.
pub(crate) fn seed(value: &Bound<'_, PyAny>) -> PyResult<u64> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!(
            "seed must be an int, not {}",
            value.get_type().name()?
        )));
    }
    value.extract::<u64>().map_err(|_| {
        Error::param(format!("invalid seed {value}: expected an integer in [0, 2^64)")).into()
    })
}

/// A document-frequency limit: an int is a number of documents, a float a fraction of them.
pub(crate) fn doc_freq(name: &str, value: &Bound<'_, PyAny>) -> PyResult<DocFreq> {
    if value.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(format!("{name} must be an int or a float, not bool")));
    }
    if value.is_instance_of::<PyInt>() {
        let v: i64 = value.extract()?;
        return Ok(DocFreq::Count(count(name, v)?));
    }
    if value.is_instance_of::<PyFloat>() {
        return Ok(DocFreq::Fraction(value.extract()?));
    }
    Err(PyTypeError::new_err(format!(
        "{name} must be an int (documents) or a float (a fraction of them), not {}",
        value.get_type().name()?
    )))
}

/// The Python form of a document-frequency limit.
pub(crate) fn doc_freq_py(py: Python<'_>, d: DocFreq) -> PyResult<Bound<'_, PyAny>> {
    Ok(match d {
        DocFreq::Count(c) => c.into_pyobject(py)?.into_any(),
        DocFreq::Fraction(f) => f.into_pyobject(py)?.into_any(),
    })
}

/// The strings of a sequence of texts; `None` is an empty text (a missing answer).
pub(crate) fn texts(what: &str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a sequence of strings, not a single str"
        )));
    }
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        if item.is_none() {
            out.push(String::new());
        } else if item.is_instance_of::<PyString>() {
            out.push(item.extract::<String>()?);
        } else {
            return Err(PyTypeError::new_err(format!(
                "{what}[{i}] is {}, expected str or None",
                item.get_type().name()?
            )));
        }
    }
    Ok(out)
}

fn numpy(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    py.import("numpy")
}

/// `obj` as a contiguous 1-D numpy array of `dtype`, copied into a `Vec`.
fn vec_of<T: Element + Copy>(
    np: &Bound<'_, PyModule>,
    obj: &Bound<'_, PyAny>,
    dtype: &str,
    what: &str,
) -> PyResult<Vec<T>> {
    let arr = np.call_method1("ascontiguousarray", (obj, dtype))?;
    let arr: PyReadonlyArray1<'_, T> = arr.extract().map_err(|_| {
        PyTypeError::new_err(format!("the matrix's {what} must be a 1-D array of numbers"))
    })?;
    Ok(arr.as_slice()?.to_vec())
}

/// A CSR matrix from a `scipy.sparse` matrix or array (any format, any float dtype) or from
/// a tuple `(data, indices, indptr, shape)`.
pub(crate) fn csr_from_py(x: &Bound<'_, PyAny>) -> PyResult<CsrMatrix<f32>> {
    let py = x.py();
    let (data, indices, indptr, shape) = if let Ok(t) = x.cast::<PyTuple>() {
        if t.len() != 4 {
            return Err(PyTypeError::new_err(format!(
                "a CSR tuple has 4 items (data, indices, indptr, shape), not {}",
                t.len()
            )));
        }
        (t.get_item(0)?, t.get_item(1)?, t.get_item(2)?, t.get_item(3)?)
    } else if x.hasattr("tocsr")? {
        let mut m = if x.getattr("format")?.extract::<String>()? == "csr" {
            x.clone()
        } else {
            x.call_method0("tocsr")?
        };
        // Rust rows need strictly increasing column indices: sort and merge duplicates.
        if !m.getattr("has_canonical_format")?.extract::<bool>()? {
            m = m.call_method0("copy")?;
            m.call_method0("sum_duplicates")?;
        }
        (m.getattr("data")?, m.getattr("indices")?, m.getattr("indptr")?, m.getattr("shape")?)
    } else {
        return Err(PyTypeError::new_err(format!(
            "expected a scipy.sparse matrix or a tuple (data, indices, indptr, shape), not {}",
            x.get_type().name()?
        )));
    };
    let (n_rows, n_cols): (usize, usize) = shape
        .extract()
        .map_err(|_| PyTypeError::new_err("the matrix's shape must be a pair of integers"))?;
    let np = numpy(py)?;
    let data: Vec<f32> = vec_of(&np, &data, "float32", "data")?;
    let indices: Vec<i64> = vec_of(&np, &indices, "int64", "indices")?;
    let indptr: Vec<i64> = vec_of(&np, &indptr, "int64", "indptr")?;
    let indices = indices
        .into_iter()
        .map(|i| u32::try_from(i).map_err(|_| Error::data(format!("invalid column index {i}"))))
        .collect::<Result<Vec<u32>, Error>>()?;
    let indptr = indptr
        .into_iter()
        .map(|p| usize::try_from(p).map_err(|_| Error::data(format!("invalid indptr entry {p}"))))
        .collect::<Result<Vec<usize>, Error>>()?;
    if indptr.len() != n_rows + 1 {
        return Err(Error::data(format!(
            "invalid CSR matrix: indptr has {} entries but the shape has {n_rows} rows",
            indptr.len()
        ))
        .into());
    }
    Ok(CsrMatrix::new(n_cols, indptr, indices, data).map_err(Error::from)?)
}

fn index_array<'py>(py: Python<'py>, v: Vec<usize>, wide: bool) -> Bound<'py, PyAny> {
    if wide {
        PyArray1::from_vec(py, v.into_iter().map(|p| p as i64).collect()).into_any()
    } else {
        PyArray1::from_vec(py, v.into_iter().map(|p| p as i32).collect()).into_any()
    }
}

/// A matrix for Python: a `scipy.sparse.csr_matrix` when scipy can be imported, else the
/// tuple `(data, indices, indptr, shape)` of numpy arrays. Indices are `int32` unless the
/// matrix is too large for it, as scipy would choose.
pub(crate) fn csr_to_py(py: Python<'_>, m: CsrMatrix<f32>) -> PyResult<Bound<'_, PyAny>> {
    let n_rows = m.n_rows();
    let (n_cols, indptr, indices, data) = m.into_parts();
    let wide = indices.len() > i32::MAX as usize || n_cols > i32::MAX as usize;
    let data = PyArray1::from_vec(py, data).into_any();
    let indices = index_array(py, indices.into_iter().map(|i| i as usize).collect(), wide);
    let indptr = index_array(py, indptr, wide);
    let shape = (n_rows, n_cols).into_pyobject(py)?.into_any();
    match py.import("scipy.sparse") {
        Ok(sparse) => {
            let kwargs = PyDict::new(py);
            kwargs.set_item("shape", shape)?;
            kwargs.set_item("copy", false)?;
            sparse.getattr("csr_matrix")?.call(((data, indices, indptr),), Some(&kwargs))
        }
        Err(e) if e.is_instance_of::<PyImportError>(py) => {
            Ok(PyTuple::new(py, [data, indices, indptr, shape])?.into_any())
        }
        Err(e) => Err(e),
    }
}
