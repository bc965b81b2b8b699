//! CSV output of tables of strings, formula injection neutralised (see [`crate::export`]).

use std::path::Path;

use crate::error::Result;
use crate::export::{ExportOptions, write_csv_fields};

/// A table to write: a header and rows of strings.
///
/// For typed cells (numbers as numbers), Parquet or XLSX, use [`crate::export::Table`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvTable {
    /// Column names.
    pub header: Vec<String>,
    /// Rows, each as long as the header.
    pub rows: Vec<Vec<String>>,
}

/// Writes a table as UTF-8 CSV (RFC 4180 quoting, no BOM), with every field, header included,
/// passed through [`crate::export::neutralise`]: the outputs hold respondents' text, which
/// must not run as a formula when an analyst opens the file. A field that is a plain number
/// (`-0.25`) is left as it is. Same as [`write_csv_with`] with [`ExportOptions::default`].
///
/// # Errors
/// - [`crate::IoError::InvalidOption`] if a row has another number of fields than the header
///   (naming the file and the row) or the header is empty; nothing is written;
/// - [`crate::IoError::Io`] if the file cannot be written (a partly written file is removed).
pub fn write_csv(path: impl AsRef<Path>, table: &CsvTable) -> Result<()> {
    write_csv_with(path, table, &ExportOptions::default())
}

/// Writes a table as UTF-8 CSV with the given options (neutralisation, BOM); see
/// [`crate::export::write_table_csv`], whose writer this shares.
///
/// # Errors
/// As [`write_csv`].
pub fn write_csv_with(
    path: impl AsRef<Path>,
    table: &CsvTable,
    options: &ExportOptions,
) -> Result<()> {
    let path = path.as_ref();
    // A CsvTable has no name; the file names it in errors.
    let name = path.display().to_string();
    write_csv_fields(path, &name, &table.header, &table.rows, options)
}
