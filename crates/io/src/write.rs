use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::error::{IoError, Result};

/// A table to write: a header and rows of cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvTable {
    /// Column names.
    pub header: Vec<String>,
    /// Rows, each as long as the header.
    pub rows: Vec<Vec<String>>,
}

/// Writes a table as UTF-8 CSV (RFC 4180 quoting).
///
/// # Errors
/// The file cannot be written.
pub fn write_csv(path: impl AsRef<Path>, table: &CsvTable) -> Result<()> {
    let path = path.as_ref();
    let io_err = |source| IoError::Io { path: path.to_owned(), source };
    let file = File::create(path).map_err(io_err)?;
    let mut w = csv::Writer::from_writer(BufWriter::new(file));
    let csv_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(source) => IoError::Io { path: path.to_owned(), source },
        other => IoError::Csv {
            path: path.to_owned(),
            record: 0,
            line: 0,
            message: format!("{other:?}"),
        },
    };
    w.write_record(&table.header).map_err(csv_err)?;
    for row in &table.rows {
        w.write_record(row).map_err(csv_err)?;
    }
    let mut inner = w.into_inner().map_err(|e| io_err(e.into_error()))?;
    inner.flush().map_err(io_err)
}
