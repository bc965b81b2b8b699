use std::path::PathBuf;

use thiserror::Error;

/// Errors of reading and writing files. Every variant names the file; record-level ones name
/// the record (1-based, header not counted), its line and the column where known.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum IoError {
    /// The file could not be opened, read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file has no header row.
    #[error("{path}: the file is empty (no header row)")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// A column asked for (or required by default) is not in the header.
    #[error("{path}: no column {column:?} (the {role} column); the header has: {available}")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column asked for.
        column: String,
        /// What it was for: "text", "id", ...
        role: &'static str,
        /// The header's columns, quoted and comma-separated.
        available: String,
    },
    /// Two columns of the header have the same name.
    #[error("{path}: the header names column {column:?} twice")]
    DuplicateColumn {
        /// The file.
        path: PathBuf,
        /// The repeated name.
        column: String,
    },
    /// A record is not valid UTF-8.
    #[error(
        "{path}: record {record} (line {line}), column {column:?}: invalid UTF-8 at byte offset \
         {byte_offset} of the file; re-save the export as UTF-8"
    )]
    Encoding {
        /// The file.
        path: PathBuf,
        /// 1-based record number (header not counted).
        record: u64,
        /// 1-based line where the record starts.
        line: u64,
        /// The column holding the bad bytes.
        column: String,
        /// Byte offset of the first invalid byte in the file.
        byte_offset: u64,
    },
    /// A record has another number of fields than the header.
    #[error(
        "{path}: record {record} (line {line}) has {found} fields but the header has {expected}; \
         check for an unescaped delimiter or an unclosed quote"
    )]
    Ragged {
        /// The file.
        path: PathBuf,
        /// 1-based record number (header not counted).
        record: u64,
        /// 1-based line where the record starts.
        line: u64,
        /// Fields found.
        found: usize,
        /// Fields in the header.
        expected: usize,
    },
    /// A quoted field is opened and never closed: the rest of the file would become one cell.
    #[error(
        "{path}: record {record} opens a quoted field that is never closed, so the rest of the \
         file would be read as one cell; look for a stray '\"' in or before that record"
    )]
    UnclosedQuote {
        /// The file.
        path: PathBuf,
        /// 1-based record number (header not counted) where the open field starts.
        record: u64,
    },
    /// The CSV parser failed (other than the cases above).
    #[error("{path}: record {record} (line {line}): {message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based record number (header not counted), 0 for the header.
        record: u64,
        /// 1-based line.
        line: u64,
        /// What the parser reported.
        message: String,
    },
    /// An invalid option.
    #[error("invalid option {option}: {message}")]
    InvalidOption {
        /// The option.
        option: &'static str,
        /// Why.
        message: String,
    },
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, IoError>;
