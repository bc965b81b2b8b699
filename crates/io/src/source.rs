//! Tabular inputs of every format as one stream of rows of text cells.
//!
//! Each reader (CSV/TSV, Parquet, JSON/JSONL, XLSX/XLS/ODS) yields a header and then rows,
//! one cell per column, already decoded to UTF-8; the survey mapping in [`mod@crate::ingest`]
//! never needs to know which format a row came from. Rows are read one at a time (or in
//! chunks by the columnar readers), so a file is never held twice in memory as strings.

use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::encoding::Encoding;
use crate::error::{IoError, Result};
use crate::header::Headed;
use crate::transcript::TranscriptFormat;

/// The format of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Delimited text: comma, semicolon, tab or pipe, detected unless given.
    Csv,
    /// Tab-separated text.
    Tsv,
    /// Apache Parquet.
    Parquet,
    /// A JSON array of records (or an object holding one).
    Json,
    /// One JSON record per line (JSON Lines, NDJSON).
    Jsonl,
    /// Excel 2007+ workbook (also `.xlsm`, `.xlsb`).
    Xlsx,
    /// Excel 97-2003 workbook.
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
    /// A workshop or interview transcript.
    Transcript(TranscriptFormat),
}

impl Format {
    /// The format of `path` by its extension (any case).
    ///
    /// # Errors
    /// [`IoError::UnknownFormat`] for an extension this crate does not read.
    pub fn from_path(path: &Path) -> Result<Format> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        Ok(match ext.as_str() {
            "csv" => Format::Csv,
            "tsv" | "tab" => Format::Tsv,
            "parquet" | "pq" => Format::Parquet,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::Jsonl,
            "xlsx" | "xlsm" | "xlsb" => Format::Xlsx,
            "xls" => Format::Xls,
            "ods" => Format::Ods,
            "txt" => Format::Transcript(TranscriptFormat::Plain),
            "vtt" | "webvtt" => Format::Transcript(TranscriptFormat::WebVtt),
            "srt" => Format::Transcript(TranscriptFormat::Srt),
            _ => {
                return Err(IoError::UnknownFormat { path: path.to_owned(), extension: ext });
            }
        })
    }

    /// The name used by `--format` and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Parquet => "parquet",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Transcript(TranscriptFormat::Plain) => "txt",
            Format::Transcript(TranscriptFormat::WebVtt) => "vtt",
            Format::Transcript(TranscriptFormat::Srt) => "srt",
        }
    }

    /// Whether the format is a transcript rather than a table.
    pub fn is_transcript(self) -> bool {
        matches!(self, Format::Transcript(_))
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = IoError;

    /// Parses a format name as `--format` takes it: an extension without its dot.
    fn from_str(s: &str) -> Result<Format> {
        let name = s.trim().trim_start_matches('.').to_ascii_lowercase();
        Format::from_path(Path::new(&format!("input.{name}"))).map_err(|_| IoError::InvalidOption {
            option: "format",
            message: format!(
                "unknown format {s:?}; expected csv, tsv, parquet, json, jsonl, xlsx, xls, \
                     ods, txt, vtt or srt"
            ),
        })
    }
}

/// How to read one tabular file: everything but the survey's column mapping.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadOptions {
    /// The format; `None` tells it from the extension.
    pub format: Option<Format>,
    /// The text encoding of CSV/TSV and transcripts (other formats define their own).
    pub encoding: Encoding,
    /// Field delimiter of CSV; `None` detects it from the first lines (tab for `.tsv`).
    pub delimiter: Option<u8>,
    /// Quote character of CSV; `None` detects `"` or `'`.
    pub quote: Option<u8>,
    /// Sheet of a workbook, by name or 1-based number; `None` takes the first sheet.
    pub sheet: Option<String>,
    /// Fail on a malformed row (a ragged CSV row, a cell that cannot be read) instead of
    /// accounting for it as unreadable and going on.
    pub strict: bool,
    /// Rows the header of a CSV/TSV or workbook spans (1 to 10); `None` detects them: three in
    /// a Qualtrics export (names, question texts, import ids), two in a SurveyMonkey export
    /// (questions, then choices), else one. With several rows each column is named by all
    /// of its header cells joined with " / ", a cell left empty continuing the one to its
    /// left (a question above its choices); a Qualtrics export's columns keep their short
    /// names and take their question text as the question of a wide survey. Parquet and
    /// JSON name their columns in their schema: this does not apply to them.
    pub header_rows: Option<usize>,
    /// Non-blank rows above the header of a CSV/TSV or workbook to skip (a title, notes);
    /// `None` detects a title, unless `header_rows` is given: one to five leading rows whose
    /// only non-empty cell is the first, then a blank row, above a header of several cells
    /// none of which is a number, in a workbook or a CSV saved from one (every row as wide as
    /// the header). Skipped rows are counted in [`SourceSummary::skipped_rows`]; blank rows
    /// carry nothing and are passed over uncounted, as blank rows below the header are.
    pub skip_rows: Option<usize>,
}

/// Where a row is in its file, for errors and the ingest report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RowLocation {
    /// 1-based data row, header not counted.
    pub record: u64,
    /// 1-based line (text formats) or sheet row (workbooks) where the row starts, if known.
    pub line: Option<u64>,
}

impl std::fmt::Display for RowLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "record {} (line {line})", self.record),
            None => write!(f, "record {}", self.record),
        }
    }
}

/// What one call of [`RowSource::next_row`] read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RowRead {
    /// A row: the fields were filled, one per column.
    Row(RowLocation),
    /// A row that exists but cannot be read (a ragged row when not strict); the fields are
    /// unspecified. The reason names what is wrong, e.g. "has 3 fields but the header has 5".
    Unreadable(RowLocation, String),
}

/// What a reader learnt about its file, once every row was read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceSummary {
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// The encoding used (text formats), e.g. "UTF-8", "UTF-16LE", "windows-1252".
    pub encoding: Option<String>,
    /// The delimiter used (CSV).
    pub delimiter: Option<char>,
    /// The sheet read (workbooks).
    pub sheet: Option<String>,
    /// Rows the header took (tables; 0 for a transcript): more than one in the exports of
    /// some survey tools, see [`ReadOptions::header_rows`].
    #[serde(default)]
    pub header_rows: u64,
    /// The survey tool whose export layout was recognised ("Qualtrics", "SurveyMonkey").
    #[serde(default)]
    pub export: Option<String>,
    /// Rows above the header skipped as a title or notes (workbooks and CSV).
    #[serde(default)]
    pub skipped_rows: u64,
}

/// A tabular file read row by row.
pub(crate) trait RowSource {
    /// The header's column names, with a BOM and surrounding spaces removed. Empty names
    /// are named by position: "column 3".
    fn columns(&self) -> &[String];

    /// Reads the next data row into `fields` (cleared first; one entry per column, empty for
    /// a missing or null cell). `Ok(None)` at the end of the data.
    ///
    /// # Errors
    /// A fault that makes the rest of the file unreadable or untrustworthy (bad encoding,
    /// an unclosed quote, a corrupt file), or any row-level fault when strict.
    fn next_row(&mut self, fields: &mut Vec<String>) -> Result<Option<RowRead>>;

    /// Finishes the file (hashing any bytes not yet read) and says what was found.
    ///
    /// # Errors
    /// The file cannot be read to its end.
    fn finish(self: Box<Self>) -> Result<SourceSummary>;
}

/// Opens a tabular file (not a transcript) in `format` as a row source.
///
/// # Errors
/// The file cannot be opened or its header read; see each reader.
pub(crate) fn open(path: &Path, format: Format, options: &ReadOptions) -> Result<Headed> {
    crate::header::check_rows(options.header_rows)?;
    let inner: Box<dyn RowSource> = match format {
        Format::Csv | Format::Tsv => {
            Box::new(crate::csv_source::CsvSource::open(path, format, options)?)
        }
        Format::Parquet => Box::new(crate::columnar::ColumnarSource::parquet(path, options)?),
        Format::Json => Box::new(crate::columnar::ColumnarSource::json(path, false, options)?),
        Format::Jsonl => Box::new(crate::columnar::ColumnarSource::json(path, true, options)?),
        Format::Xlsx | Format::Xls | Format::Ods => {
            Box::new(crate::sheet::SheetSource::open(path, format, options)?)
        }
        Format::Transcript(_) => {
            return Err(IoError::InvalidOption {
                option: "format",
                message: format!("{}: a transcript is not a table", path.display()),
            });
        }
    };
    // Parquet and JSON name their columns in their schema: no header rows to find.
    let rows_in_data =
        matches!(format, Format::Csv | Format::Tsv | Format::Xlsx | Format::Xls | Format::Ods);
    Headed::new(path, inner, options.header_rows, rows_in_data)
}

/// Names of empty header cells: "column N" (1-based), so that every column can be named.
pub(crate) fn name_columns(header: impl IntoIterator<Item = String>) -> Vec<String> {
    header
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let h = h.trim_start_matches('\u{feff}').trim();
            if h.is_empty() { format!("column {}", i + 1) } else { h.to_owned() }
        })
        .collect()
}

/// A whole tabular file in memory: for small files (codes, lookups) and tests; the survey
/// reader streams instead.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawTable {
    /// The header's column names (see [`read_table`]).
    pub columns: Vec<String>,
    /// Each column's question: a Qualtrics export's question text, else the column name (see
    /// [`ReadOptions::header_rows`]).
    pub questions: Vec<String>,
    /// The data rows in file order: where each is, and its cells (one per column) or why it
    /// could not be read.
    pub rows: Vec<(RowLocation, std::result::Result<Vec<String>, String>)>,
    /// What the reader learnt about the file.
    pub summary: SourceSummary,
}

/// Reads a whole tabular file (CSV/TSV, Parquet, JSON/JSONL, XLSX/XLS/ODS) into memory.
///
/// Column names have a BOM and surrounding spaces removed; an empty name becomes
/// "column N". Cells are text: numbers as written (an integral spreadsheet number without
/// ".0"), dates in ISO 8601, booleans as `true`/`false`, empty or null cells as "".
///
/// # Errors
/// See [`ReadOptions`]: an unknown format, an unreadable or malformed file; with
/// `strict`, any malformed row.
pub fn read_table(path: impl AsRef<Path>, options: &ReadOptions) -> Result<RawTable> {
    let path = path.as_ref();
    let format = match options.format {
        Some(f) => f,
        None => Format::from_path(path)?,
    };
    let mut source = open(path, format, options)?;
    let columns = source.columns().to_vec();
    let questions = source.questions().to_vec();
    let mut rows = Vec::new();
    let mut fields = Vec::new();
    while let Some(read) = source.next_row(&mut fields)? {
        rows.push(match read {
            RowRead::Row(at) => (at, Ok(std::mem::take(&mut fields))),
            RowRead::Unreadable(at, why) => (at, Err(why)),
        });
    }
    let summary = source.finish()?;
    Ok(RawTable { columns, questions, rows, summary })
}
