/*!
Python bindings of thematic: the extension module `thematic._thematic`.

The pure-Python package `thematic` (`python/thematic/__init__.py`) re-exports everything
defined here. One Rust module per workspace crate: [`text`] wraps `thematic-text`,
[`vectorize`] `thematic-vectorize`, [`cluster`] `thematic-cluster`, [`pipeline`] the facade's
`Pipeline` and `thematic-io` (`ingest`, `read_csv`); [`error`] maps every Rust error to the Python exception tree in
one place, and [`convert`] holds the conversions (parameters, texts, CSR matrices).

Long computations (fitting, transforming, the pipeline, reading files) release the GIL.
Build with `maturin develop --release -m crates/python/Cargo.toml`; test with
`scripts/python-tests.sh`.
*/
#![deny(missing_docs)]

use pyo3::prelude::*;

mod cluster;
mod convert;
mod error;
mod pipeline;
mod text;
mod vectorize;

/// thematic: thematic analysis of consultation responses (compiled core).
#[pymodule]
fn _thematic(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<text::PyAnalyzer>()?;
    m.add_class::<vectorize::PyTfidf>()?;
    m.add_class::<vectorize::PyTfidfModel>()?;
    m.add_class::<cluster::PyKMeans>()?;
    m.add_class::<cluster::PyKMeansModel>()?;
    m.add_function(wrap_pyfunction!(pipeline::analyse, m)?)?;
    m.add_function(wrap_pyfunction!(pipeline::ingest, m)?)?;
    m.add_function(wrap_pyfunction!(pipeline::read_csv, m)?)?;
    let x = error::exceptions(py)?;
    m.add("ThematicError", x.base.bind(py))?;
    m.add("ParamError", x.param.bind(py))?;
    m.add("DataError", x.data.bind(py))?;
    m.add("IoError", x.io.bind(py))?;
    Ok(())
}
