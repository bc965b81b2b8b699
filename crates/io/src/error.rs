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
    /// A header of several rows cannot be read: the table ends inside it, or one of its rows
    /// is malformed.
    #[error("{path}: {}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Header {
        /// The file.
        path: PathBuf,
        /// 1-based line (text formats) or sheet row of the faulty header row, if known.
        line: Option<u64>,
        /// What is wrong, naming the header row.
        message: String,
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
    /// The file is not valid in the encoding chosen or detected.
    #[error("{path}: not valid {encoding} at byte offset {byte_offset}{hint}")]
    Decode {
        /// The file.
        path: PathBuf,
        /// The encoding ("UTF-8", "UTF-16LE", ...).
        encoding: &'static str,
        /// Byte offset of the first invalid byte in the file.
        byte_offset: u64,
        /// Advice, starting with "; " (e.g. "; try --encoding windows-1252"), or empty.
        hint: String,
    },
    /// The input's format cannot be told from its name.
    #[error(
        "{path}: cannot tell the format from the extension {extension:?}; choose one with \
         --format (csv, tsv, parquet, json, jsonl, xlsx, xls, ods, txt, vtt, srt)"
    )]
    UnknownFormat {
        /// The file.
        path: PathBuf,
        /// Its extension, empty if none.
        extension: String,
    },
    /// A workbook has no sheet of the name (or 1-based number) asked for.
    #[error("{path}: no sheet {sheet:?}; the workbook has: {available}")]
    NoSheet {
        /// The file.
        path: PathBuf,
        /// The sheet asked for.
        sheet: String,
        /// The workbook's sheets, quoted and comma-separated.
        available: String,
    },
    /// A Parquet, JSON or spreadsheet file could not be parsed.
    #[error("{path}: {location}{message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// The format ("Parquet", "JSON", "XLSX", ...).
        format: &'static str,
        /// Where, if known, ending with ": " (e.g. "row 12, column \"text\": "), or empty.
        location: String,
        /// What the parser reported.
        message: String,
    },
    /// A table could not be written (Parquet or XLSX encoder errors; I/O errors are [`Io`]).
    ///
    /// [`Io`]: IoError::Io
    #[error("{path}: cannot write {format}: {message}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The format written.
        format: &'static str,
        /// What the encoder reported.
        message: String,
    },
    /// A transcript could not be read.
    #[error(transparent)]
    Transcript(#[from] crate::transcript::TranscriptError),
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
