//! Parquet and JSON/JSONL readers (polars, eager).
//!
//! Both keep the table in polars' columnar (Arrow) form and turn a row into text only when
//! [`RowSource::next_row`] reaches it, so a file is never held as strings.
//!
//! - **Parquet** is read in chunks of whole row groups (at least [`CHUNK_ROWS`] rows, or one
//!   row group if it is larger), each chunk only when the rows before it were used up: a
//!   multi-GB file is never decoded whole. The file is hashed when the reader finishes, by
//!   streaming it once more through SHA-256 (Parquet is read through a memory map, so the
//!   bytes are not copied into memory to be hashed).
//! - **JSON** (a top-level array of records, or an object holding exactly one array of
//!   records, as survey tools export) and **JSON Lines** are parsed whole by polars, as
//!   JSON has no row groups; the bytes are hashed while they are read in.
//!
//! Nested records become dotted columns ("answers.q1"); lists become JSON text. Cells are
//! text as [`crate::source::read_table`] describes: integral floats without ".0", dates and
//! datetimes in ISO 8601, null as "".

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::num::NonZeroUsize;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use polars::prelude::{
    AnyValue, BooleanChunked, DataFrame, DataType, FileMetadataRef, JsonFormat, JsonReader,
    ParallelStrategy, ParquetReader, PolarsError, SerReader, Series, TimeUnit,
};

use crate::error::{IoError, Result};
use crate::hash::HashingReader;
use crate::source::{ReadOptions, RowLocation, RowRead, RowSource, SourceSummary, name_columns};

/// Rows per Parquet chunk: small enough that a chunk of wide text columns stays in the tens
/// of megabytes, large enough that the per-chunk cost of polars' reader is negligible.
pub(crate) const CHUNK_ROWS: usize = 65_536;

/// A Parquet or JSON file read in chunks of rows.
pub(crate) struct ColumnarSource {
    path: PathBuf,
    format: &'static str,
    columns: Vec<String>,
    /// Rows not yet decoded.
    pending: Pending,
    /// The decoded chunk rows are taken from.
    chunk: Option<Chunk>,
    /// Data rows handed out so far.
    record: u64,
    /// JSON Lines: where each record's line is.
    lines: Option<LineMap>,
    /// The hash and size, if known when the file was opened (JSON).
    hashed: Option<(String, u64)>,
    encoding: Option<String>,
}

/// Rows still to be decoded.
enum Pending {
    /// Nothing more: JSON is decoded in one chunk at open.
    Done,
    /// Parquet: the file and the row ranges (start, length) of the chunks still to read.
    Parquet { file: File, metadata: FileMetadataRef, ranges: VecDeque<(usize, usize)> },
}

/// Decoded rows: the leaf columns (structs flattened) and the next row to hand out.
struct Chunk {
    leaves: Vec<Leaf>,
    /// Record number (0-based) of the chunk's first row, for errors.
    first_record: u64,
    height: usize,
    next: usize,
}

/// One output column: a non-struct series and, for a field of a struct, which rows are null
/// because an enclosing struct is null (polars does not promise to propagate those nulls
/// into the fields).
struct Leaf {
    series: Series,
    hidden: Option<BooleanChunked>,
}

impl ColumnarSource {
    /// Opens a Parquet file and decodes its first chunk (so a corrupt file fails here).
    ///
    /// # Errors
    /// [`IoError::Io`] if the file cannot be opened; [`IoError::Format`] if it is not a
    /// readable Parquet file.
    pub(crate) fn parquet(path: &Path, _options: &ReadOptions) -> Result<Self> {
        Self::parquet_in_chunks(path, CHUNK_ROWS)
    }

    /// [`ColumnarSource::parquet`] with another chunk size (tests use tiny ones).
    fn parquet_in_chunks(path: &Path, chunk_rows: usize) -> Result<Self> {
        const FORMAT: &str = "Parquet";
        let mut file = File::open(path).map_err(|e| io_error(path, e))?;
        let metadata = guarded(|| {
            let mut reader = ParquetReader::new(&mut file);
            reader.get_metadata().cloned()
        })
        .map_err(|m| format_error(path, FORMAT, String::new(), not_a(FORMAT, &m)))?;
        let ranges = chunk_ranges(metadata.row_groups.iter().map(|g| g.num_rows()), chunk_rows);

        let mut source = ColumnarSource {
            path: path.to_owned(),
            format: FORMAT,
            columns: Vec::new(),
            pending: Pending::Parquet { file, metadata, ranges },
            chunk: None,
            record: 0,
            lines: None,
            hashed: None,
            encoding: None,
        };
        // The column names come from the first chunk's schema; a file without rows is read
        // as an empty slice, which still has the columns.
        let (names, chunk) = match source.read_parquet_chunk()? {
            Some(first) => first,
            None => {
                let Pending::Parquet { file, metadata, .. } = &mut source.pending else {
                    return Ok(source);
                };
                let df = read_parquet_range(file, metadata, (0, 0))
                    .map_err(|m| format_error(path, FORMAT, String::new(), not_a(FORMAT, &m)))?;
                let (names, leaves) = flatten(&df)
                    .map_err(|e| format_error(path, FORMAT, String::new(), e.to_string()))?;
                (names, Chunk { leaves, first_record: 0, height: 0, next: 0 })
            }
        };
        source.columns = name_columns(names);
        source.chunk = Some(chunk);
        Ok(source)
    }

    /// Opens a JSON array of records (`lines == false`) or JSON Lines, decoding it whole.
    ///
    /// # Errors
    /// [`IoError::Io`] if the file cannot be read; [`IoError::Empty`] if it holds nothing
    /// but white space; [`IoError::Decode`] if it is not UTF-8; [`IoError::Format`] if it
    /// is not JSON records.
    pub(crate) fn json(path: &Path, lines: bool, _options: &ReadOptions) -> Result<Self> {
        let format = if lines { "JSONL" } else { "JSON" };
        let file = File::open(path).map_err(|e| io_error(path, e))?;
        let mut reader = HashingReader::new(file);
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(|e| io_error(path, e))?;
        let hashed = reader.finish().map_err(|e| io_error(path, e))?;

        // RFC 8259: JSON exchanged between systems is UTF-8. Checking here names the byte
        // (polars' parser would only say the input is invalid).
        if let Err(e) = std::str::from_utf8(&bytes) {
            let at = e.valid_up_to();
            let line = line_of_offset(&bytes, at);
            return Err(IoError::Decode {
                path: path.to_owned(),
                encoding: "UTF-8",
                byte_offset: at as u64,
                hint: format!(
                    " (line {line}); JSON must be UTF-8 (RFC 8259): re-save the export as UTF-8"
                ),
            });
        }
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&bytes);
        let Some(&first) = body.iter().find(|b| !b.is_ascii_whitespace()) else {
            return Err(IoError::Empty { path: path.to_owned() });
        };

        let df = if lines {
            read_json(body, JsonFormat::JsonLines).map_err(|m| {
                let (location, message) = match locate_bad_line(body) {
                    Some((line, why)) => (format!("line {line}: "), why),
                    None => (String::new(), m),
                };
                format_error(path, format, location, format!("not valid JSON Lines: {message}"))
            })?
        } else {
            let df = read_json(body, JsonFormat::Json)
                .map_err(|m| format_error(path, format, String::new(), json_message(body, &m)))?;
            if first == b'{' {
                records_of_object(df).map_err(|m| format_error(path, format, String::new(), m))?
            } else {
                df
            }
        };
        let (names, leaves) =
            flatten(&df).map_err(|e| format_error(path, format, String::new(), e.to_string()))?;
        let height = df.height();
        drop(df);
        let line_map = if lines {
            // Only trusted if polars saw the same records as the line scan.
            Some(LineMap::new(body)).filter(|m| m.records == height as u64)
        } else {
            None
        };
        Ok(ColumnarSource {
            path: path.to_owned(),
            format,
            columns: name_columns(names),
            pending: Pending::Done,
            chunk: Some(Chunk { leaves, first_record: 0, height, next: 0 }),
            record: 0,
            lines: line_map,
            hashed: Some(hashed),
            encoding: Some("UTF-8".to_owned()),
        })
    }

    /// Decodes the next Parquet chunk; `None` when every row group was read.
    fn read_parquet_chunk(&mut self) -> Result<Option<(Vec<String>, Chunk)>> {
        let Pending::Parquet { file, metadata, ranges } = &mut self.pending else {
            return Ok(None);
        };
        let Some(range) = ranges.pop_front() else {
            return Ok(None);
        };
        let location = format!("row {}: ", range.0 + 1);
        let df = read_parquet_range(file, metadata, range).map_err(|m| {
            format_error(&self.path, self.format, location.clone(), format!("cannot decode: {m}"))
        })?;
        let (names, leaves) = flatten(&df)
            .map_err(|e| format_error(&self.path, self.format, location.clone(), e.to_string()))?;
        let height = df.height();
        Ok(Some((names, Chunk { leaves, first_record: range.0 as u64, height, next: 0 })))
    }
}

impl RowSource for ColumnarSource {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn next_row(&mut self, fields: &mut Vec<String>) -> Result<Option<RowRead>> {
        fields.clear();
        loop {
            if let Some(chunk) = &mut self.chunk
                && chunk.next < chunk.height
            {
                let row = chunk.next;
                chunk.next += 1;
                for (leaf, column) in chunk.leaves.iter().zip(&self.columns) {
                    let mut cell = String::new();
                    let hidden = leaf.hidden.as_ref().and_then(|h| h.get(row)).unwrap_or(false);
                    if !hidden {
                        let value = leaf.series.get(row).map_err(|e| {
                            let record = chunk.first_record + row as u64 + 1;
                            format_error(
                                &self.path,
                                self.format,
                                format!("row {record}, column {column:?}: "),
                                e.to_string(),
                            )
                        })?;
                        push_cell(&value, &mut cell);
                    }
                    fields.push(cell);
                }
                self.record += 1;
                let line = match &self.lines {
                    Some(map) => map.line(self.record),
                    None => None,
                };
                return Ok(Some(RowRead::Row(RowLocation { record: self.record, line })));
            }
            // The chunk is used up: drop it before decoding the next, so only one is held.
            self.chunk = None;
            let Some((names, chunk)) = self.read_parquet_chunk()? else {
                return Ok(None);
            };
            if name_columns(names) != self.columns {
                return Err(format_error(
                    &self.path,
                    self.format,
                    format!("row {}: ", chunk.first_record + 1),
                    "a row group has other columns than the first".to_owned(),
                ));
            }
            self.chunk = Some(chunk);
        }
    }

    fn finish(self: Box<Self>) -> Result<SourceSummary> {
        let (sha256, bytes) = match (self.hashed, self.pending) {
            (Some(hashed), _) => hashed,
            (None, Pending::Parquet { mut file, .. }) => {
                file.seek(SeekFrom::Start(0)).map_err(|e| io_error(&self.path, e))?;
                HashingReader::new(file).finish().map_err(|e| io_error(&self.path, e))?
            }
            // A Parquet source whose file was let go (not reached: the file is kept in
            // `Pending::Parquet` until finish); hash it again from its path.
            (None, Pending::Done) => {
                let file = File::open(&self.path).map_err(|e| io_error(&self.path, e))?;
                HashingReader::new(file).finish().map_err(|e| io_error(&self.path, e))?
            }
        };
        Ok(SourceSummary { sha256, bytes, encoding: self.encoding, ..SourceSummary::default() })
    }
}

/// Groups row groups into chunk ranges (start row, row count) of at least `chunk_rows` rows,
/// never splitting a row group (decoding part of one costs as much as the whole of it).
fn chunk_ranges(
    groups: impl Iterator<Item = usize>,
    chunk_rows: usize,
) -> VecDeque<(usize, usize)> {
    let mut ranges = VecDeque::new();
    let (mut start, mut len) = (0usize, 0usize);
    for rows in groups {
        len = len.saturating_add(rows);
        if len >= chunk_rows.max(1) {
            ranges.push_back((start, len));
            start = start.saturating_add(len);
            len = 0;
        }
    }
    if len > 0 {
        ranges.push_back((start, len));
    }
    ranges
}

/// Reads rows `range` (start, length) of a Parquet file.
fn read_parquet_range(
    file: &mut File,
    metadata: &FileMetadataRef,
    range: (usize, usize),
) -> std::result::Result<DataFrame, String> {
    guarded(|| {
        // Parallel over row groups: that strategy skips the row groups outside the slice,
        // while the per-column one visits every row group before it (with an empty
        // filter), which would make reading chunk k cost O(k).
        let mut reader = ParquetReader::new(&mut *file)
            .with_slice(Some(range))
            .read_parallel(ParallelStrategy::RowGroups);
        reader.set_metadata(metadata.clone());
        reader.finish()
    })
}

/// Parses JSON or JSON Lines with polars, inferring the schema from every record (the
/// default, the first 100, fails on a key that first appears later).
fn read_json(body: &[u8], format: JsonFormat) -> std::result::Result<DataFrame, String> {
    guarded(|| {
        JsonReader::new(Cursor::new(body))
            .with_json_format(format)
            .infer_schema_len(None::<NonZeroUsize>)
            .finish()
    })
}

/// The records of a top-level JSON object holding exactly one array of records, e.g.
/// `{"survey": "...", "responses": [{...}, ...]}`; polars reads the object as one row.
fn records_of_object(df: DataFrame) -> std::result::Result<DataFrame, String> {
    let arrays: Vec<&Series> = df
        .columns()
        .iter()
        .map(|c| c.as_materialized_series())
        .filter(|s| matches!(s.dtype(), DataType::List(inner) if matches!(**inner, DataType::Struct(_))))
        .collect();
    let keys = || {
        df.get_column_names()
            .iter()
            .map(|n| format!("{:?}", n.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // An empty array has no element to infer a record type from: polars types it
    // `list[null]`. If that is the only array, the export has no records.
    let empty_arrays = df
        .columns()
        .iter()
        .filter(|c| matches!(c.dtype(), DataType::List(inner) if **inner == DataType::Null))
        .count();
    match arrays.as_slice() {
        [] if empty_arrays == 1 => Ok(DataFrame::empty()),
        [records] => {
            let inner = records.list().map_err(|e| e.to_string())?.get_inner();
            let fields = inner.struct_().map_err(|e| e.to_string())?;
            Ok(fields.clone().unnest())
        }
        [] => Err(format!(
            "expected an array of records, or an object holding one; the object has no array \
             of records (keys: {})",
            keys()
        )),
        several => Err(format!(
            "the object holds {} arrays of records ({}); expected exactly one",
            several.len(),
            several
                .iter()
                .map(|s| format!("{:?}", s.name().as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The message for a JSON parse failure, with the line and column when polars' parser gave
/// a character offset.
fn json_message(body: &[u8], message: &str) -> String {
    let offset = message
        .split("character ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|digits| digits.parse::<usize>().ok())
        .filter(|&at| at <= body.len());
    match offset {
        Some(at) => format!("not valid JSON near line {}: {message}", line_of_offset(body, at)),
        None => format!("not valid JSON records: {message}"),
    }
}

/// Finds the first JSON Lines line that polars cannot read, by bisecting over prefixes of
/// the file (log₂ of the line count parses, on the error path only): its 1-based line and
/// what polars said about that line alone (or about the prefix, if the line alone parses).
fn locate_bad_line(body: &[u8]) -> Option<(u64, String)> {
    // (end offset, 1-based line) of every line polars counts as a record.
    let mut ends = Vec::new();
    let mut start = 0;
    for (i, line) in body.split(|&b| b == b'\n').enumerate() {
        let end = start + line.len();
        if is_json_line(line) {
            ends.push((end, i as u64 + 1));
        }
        start = end + 1;
    }
    // Invariant: the first `lo` records parse; the first `hi` do not.
    let (mut lo, mut hi) = (0usize, ends.len());
    if hi == 0 {
        return None;
    }
    let prefix_fails = |n: usize| {
        let end = ends.get(n - 1).map_or(body.len(), |e| e.0);
        body.get(..end).is_none_or(|p| read_json(p, JsonFormat::JsonLines).is_err())
    };
    if !prefix_fails(hi) {
        return None;
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if prefix_fails(mid) { hi = mid } else { lo = mid }
    }
    let (end, line) = *ends.get(hi - 1)?;
    let line_start = body.get(..end)?.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let why = match read_json(body.get(line_start..end)?, JsonFormat::JsonLines) {
        Err(m) => m,
        Ok(_) => match read_json(body.get(..end)?, JsonFormat::JsonLines) {
            Err(m) => m,
            Ok(_) => return None,
        },
    };
    Some((line, why))
}

/// Whether polars' JSON Lines reader takes `line` as a record (it skips lines of only
/// spaces, tabs and carriage returns).
fn is_json_line(line: &[u8]) -> bool {
    line.iter().any(|b| !matches!(b, b' ' | b'\t' | b'\r'))
}

/// The 1-based line holding byte `offset`.
fn line_of_offset(bytes: &[u8], offset: usize) -> u64 {
    let before = bytes.get(..offset).unwrap_or(bytes);
    before.iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// Lines of JSON Lines records, stored as the records where the line number jumps (after
/// blank lines), so a file without blank lines costs nothing.
struct LineMap {
    /// (1-based record, its 1-based line) at each jump, ascending.
    jumps: Vec<(u64, u64)>,
    records: u64,
}

impl LineMap {
    fn new(body: &[u8]) -> LineMap {
        let mut jumps = Vec::new();
        let mut records = 0u64;
        for (i, line) in body.split(|&b| b == b'\n').enumerate() {
            if is_json_line(line) {
                records += 1;
                let line_no = i as u64 + 1;
                let predicted = match jumps.last() {
                    Some(&(record, line)) => line + (records - record),
                    None => records,
                };
                if line_no != predicted {
                    jumps.push((records, line_no));
                }
            }
        }
        LineMap { jumps, records }
    }

    /// The line of 1-based `record`.
    fn line(&self, record: u64) -> Option<u64> {
        if record == 0 || record > self.records {
            return None;
        }
        let after = self.jumps.partition_point(|&(r, _)| r <= record);
        Some(match after.checked_sub(1).and_then(|i| self.jumps.get(i)) {
            Some(&(r, line)) => line + (record - r),
            None => record,
        })
    }
}

/// The leaf columns of `df` and their names: struct columns are flattened into their fields
/// ("answers.q1"), recursively.
fn flatten(df: &DataFrame) -> std::result::Result<(Vec<String>, Vec<Leaf>), PolarsError> {
    let mut names = Vec::with_capacity(df.width());
    let mut leaves = Vec::with_capacity(df.width());
    for column in df.columns() {
        let series = column.as_materialized_series().clone();
        flatten_into(series.name().to_string(), series, None, &mut names, &mut leaves)?;
    }
    Ok((names, leaves))
}

fn flatten_into(
    name: String,
    series: Series,
    hidden: Option<BooleanChunked>,
    names: &mut Vec<String>,
    leaves: &mut Vec<Leaf>,
) -> std::result::Result<(), PolarsError> {
    match series.dtype() {
        DataType::Struct(fields) if !fields.is_empty() => {
            let hidden = if series.null_count() > 0 {
                let nulls = series.is_null();
                Some(match hidden {
                    Some(outer) => &outer | &nulls,
                    None => nulls,
                })
            } else {
                hidden
            };
            for field in series.struct_()?.fields_as_series() {
                let field_name = format!("{name}.{}", field.name());
                flatten_into(field_name, field, hidden.clone(), names, leaves)?;
            }
        }
        _ => {
            names.push(name);
            // One chunk, so that `Series::get` is a direct index.
            let series = series.rechunk();
            let hidden = hidden.map(|h| h.rechunk().into_owned());
            leaves.push(Leaf { series, hidden });
        }
    }
    Ok(())
}

/// Appends the text of a cell: strings as they are, integers as written, floats without a
/// trailing ".0", booleans `true`/`false`, dates and datetimes in ISO 8601, lists and structs
/// as JSON, null as nothing.
pub(crate) fn push_cell(value: &AnyValue<'_>, out: &mut String) {
    match value {
        AnyValue::Null => {}
        AnyValue::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        AnyValue::String(s) => out.push_str(s),
        AnyValue::StringOwned(s) => out.push_str(s),
        AnyValue::UInt8(v) => push_display(out, v),
        AnyValue::UInt16(v) => push_display(out, v),
        AnyValue::UInt32(v) => push_display(out, v),
        AnyValue::UInt64(v) => push_display(out, v),
        AnyValue::Int8(v) => push_display(out, v),
        AnyValue::Int16(v) => push_display(out, v),
        AnyValue::Int32(v) => push_display(out, v),
        AnyValue::Int64(v) => push_display(out, v),
        AnyValue::Float32(v) => push_f32(out, *v),
        AnyValue::Float64(v) => push_float(out, *v),
        AnyValue::Date(days) => push_date(out, i64::from(*days)),
        AnyValue::Datetime(v, unit, tz) => push_datetime(out, *v, *unit, tz.is_some()),
        AnyValue::DatetimeOwned(v, unit, tz) => push_datetime(out, *v, *unit, tz.is_some()),
        AnyValue::Binary(b) => out.push_str(&String::from_utf8_lossy(b)),
        AnyValue::BinaryOwned(b) => out.push_str(&String::from_utf8_lossy(b)),
        AnyValue::List(_) | AnyValue::Struct(..) | AnyValue::StructOwned(_) => {
            push_json(value, out);
        }
        // Categoricals, times, durations, decimals, 128-bit integers: polars' own text,
        // without the quotes it puts around strings.
        other => match other.get_str() {
            Some(s) => out.push_str(s),
            None => push_display(out, other),
        },
    }
}

fn push_display(out: &mut String, value: impl std::fmt::Display) {
    // Writing to a String cannot fail.
    let _ = write!(out, "{value}");
}

/// Appends a float as the shortest text that reads back to it; an integral value has no
/// ".0" (survey tools export integer ids as floats: 1234.0 → "1234"), and -0 is "0".
pub(crate) fn push_float(out: &mut String, v: f64) {
    if v == 0.0 { out.push('0') } else { push_display(out, v) }
}

fn push_f32(out: &mut String, v: f32) {
    if v == 0.0 { out.push('0') } else { push_display(out, v) }
}

/// Appends `YYYY-MM-DD` for a count of days since 1970-01-01.
fn push_date(out: &mut String, days: i64) {
    let (y, m, d) = civil_from_days(days);
    let _ = write!(out, "{y:04}-{m:02}-{d:02}");
}

/// Appends `YYYY-MM-DDTHH:MM:SS` (with a fraction if any, and `Z` when the column has a time
/// zone: polars stores such values as UTC instants, shown here as UTC).
fn push_datetime(out: &mut String, value: i64, unit: TimeUnit, utc: bool) {
    let (per_second, digits): (i64, usize) = match unit {
        TimeUnit::Milliseconds => (1_000, 3),
        TimeUnit::Microseconds => (1_000_000, 6),
        TimeUnit::Nanoseconds => (1_000_000_000, 9),
    };
    let seconds = value.div_euclid(per_second);
    let fraction = value.rem_euclid(per_second);
    push_date(out, seconds.div_euclid(86_400));
    let of_day = seconds.rem_euclid(86_400);
    let _ = write!(out, "T{:02}:{:02}:{:02}", of_day / 3600, of_day % 3600 / 60, of_day % 60);
    if fraction != 0 {
        let text = format!("{fraction:0digits$}");
        out.push('.');
        out.push_str(text.trim_end_matches('0'));
    }
    if utc {
        out.push('Z');
    }
}

/// The proleptic Gregorian (year, month, day) of a count of days since 1970-01-01
/// (H. Hinnant's `civil_from_days`, <https://howardhinnant.github.io/date_algorithms.html>).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let year = yoe + era.saturating_mul(400) + i64::from(month <= 2);
    (year, month as u32, day as u32)
}

/// Appends `value` as JSON (for lists and structs that are not flattened into columns).
fn push_json(value: &AnyValue<'_>, out: &mut String) {
    match value {
        AnyValue::Null => out.push_str("null"),
        AnyValue::Boolean(_)
        | AnyValue::UInt8(_)
        | AnyValue::UInt16(_)
        | AnyValue::UInt32(_)
        | AnyValue::UInt64(_)
        | AnyValue::Int8(_)
        | AnyValue::Int16(_)
        | AnyValue::Int32(_)
        | AnyValue::Int64(_) => push_cell(value, out),
        AnyValue::Float32(v) if v.is_finite() => push_f32(out, *v),
        AnyValue::Float64(v) if v.is_finite() => push_float(out, *v),
        AnyValue::Float32(_) | AnyValue::Float64(_) => out.push_str("null"),
        AnyValue::List(series) => {
            out.push('[');
            for i in 0..series.len() {
                if i > 0 {
                    out.push(',');
                }
                match series.get(i) {
                    Ok(item) => push_json(&item, out),
                    Err(_) => out.push_str("null"),
                }
            }
            out.push(']');
        }
        AnyValue::Struct(_, _, fields) => {
            let values: Vec<AnyValue<'_>> = value._iter_struct_av().collect();
            push_json_object(fields.iter().map(|f| f.name().as_str()).zip(values.iter()), out);
        }
        AnyValue::StructOwned(payload) => {
            let (values, fields) = &**payload;
            push_json_object(fields.iter().map(|f| f.name().as_str()).zip(values.iter()), out);
        }
        other => {
            let mut text = String::new();
            push_cell(other, &mut text);
            push_json_string(&text, out);
        }
    }
}

fn push_json_object<'a, 'v: 'a>(
    entries: impl Iterator<Item = (&'a str, &'a AnyValue<'v>)>,
    out: &mut String,
) {
    out.push('{');
    for (i, (name, value)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(name, out);
        out.push(':');
        push_json(value, out);
    }
    out.push('}');
}

fn push_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Runs a parser call, turning its error, or a panic inside it, into a message: the parsers
/// read untrusted bytes, and a malformed file must give an error naming it, not a crash.
pub(crate) fn guarded<T, E: std::fmt::Display>(
    f: impl FnOnce() -> std::result::Result<T, E>,
) -> std::result::Result<T, String> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(value)) => Ok(value),
        // polars appends advice about its schema inference window, which does not apply:
        // the schema is inferred from every record.
        Ok(Err(e)) => {
            let message = e.to_string();
            let advice = message.find("\n\nTry increasing `infer_schema_length`");
            Err(match advice {
                Some(at) => message.get(..at).unwrap_or(&message).to_owned(),
                None => message,
            })
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown fault".to_owned());
            Err(format!("the parser failed: {what}"))
        }
    }
}

fn not_a(format: &str, message: &str) -> String {
    format!("not a readable {format} file: {message}")
}

fn format_error(path: &Path, format: &'static str, location: String, message: String) -> IoError {
    IoError::Format { path: path.to_owned(), format, location, message }
}

fn io_error(path: &Path, source: std::io::Error) -> IoError {
    IoError::Io { path: path.to_owned(), source }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats").join(name)
    }

    fn rows(mut source: ColumnarSource) -> Vec<(RowLocation, Vec<String>)> {
        let mut out = Vec::new();
        let mut fields = Vec::new();
        while let Some(read) = source.next_row(&mut fields).unwrap() {
            match read {
                RowRead::Row(at) => out.push((at, fields.clone())),
                RowRead::Unreadable(at, why) => panic!("{at}: {why}"),
            }
        }
        out
    }

    #[test]
    fn chunks_of_one_row_group_give_the_same_rows_as_one_chunk() {
        // survey.parquet has three row groups of two rows.
        let path = fixture("survey.parquet");
        let whole = rows(ColumnarSource::parquet_in_chunks(&path, CHUNK_ROWS).unwrap());
        let small = ColumnarSource::parquet_in_chunks(&path, 1).unwrap();
        assert_eq!(
            match &small.pending {
                Pending::Parquet { ranges, .. } => ranges.iter().copied().collect::<Vec<_>>(),
                Pending::Done => Vec::new(),
            },
            vec![(2, 2), (4, 2)],
            "the first range is decoded at open"
        );
        let small = rows(small);
        assert_eq!(whole.len(), 6);
        assert_eq!(whole, small);
        assert_eq!(small[5].0, RowLocation { record: 6, line: None });
    }

    #[test]
    fn chunk_ranges_group_row_groups() {
        let ranges = |groups: &[usize], n| chunk_ranges(groups.iter().copied(), n);
        assert_eq!(ranges(&[2, 2, 2], 3), VecDeque::from([(0, 4), (4, 2)]));
        assert_eq!(ranges(&[10], 3), VecDeque::from([(0, 10)]));
        assert_eq!(ranges(&[], 3), VecDeque::new());
        assert_eq!(ranges(&[0, 0], 0), VecDeque::new());
    }

    #[test]
    fn dates_and_datetimes_in_iso_8601() {
        let text = |f: &dyn Fn(&mut String)| {
            let mut s = String::new();
            f(&mut s);
            s
        };
        assert_eq!(text(&|s| push_date(s, 0)), "1970-01-01");
        assert_eq!(text(&|s| push_date(s, 19_783)), "2024-03-01");
        assert_eq!(text(&|s| push_date(s, -1)), "1969-12-31");
        assert_eq!(text(&|s| push_date(s, 11_016)), "2000-02-29");
        assert_eq!(
            text(&|s| push_datetime(s, 1_709_285_400_000_000, TimeUnit::Microseconds, false)),
            "2024-03-01T09:30:00"
        );
        assert_eq!(
            text(&|s| push_datetime(s, 1_709_285_400_250, TimeUnit::Milliseconds, true)),
            "2024-03-01T09:30:00.25Z"
        );
        assert_eq!(
            text(&|s| push_datetime(s, -1, TimeUnit::Nanoseconds, false)),
            "1969-12-31T23:59:59.999999999"
        );
        // Extremes do not overflow.
        let _ = text(&|s| push_datetime(s, i64::MIN, TimeUnit::Milliseconds, false));
        let _ = text(&|s| push_date(s, i64::MAX));
    }

    #[test]
    fn floats_are_shortest_without_trailing_zero() {
        let text = |v: f64| {
            let mut s = String::new();
            push_float(&mut s, v);
            s
        };
        assert_eq!(text(1234.0), "1234");
        assert_eq!(text(0.1), "0.1");
        assert_eq!(text(-0.0), "0");
        assert_eq!(text(2.25), "2.25");
        assert_eq!(text(1e21), "1000000000000000000000");
    }

    #[test]
    fn line_map_skips_blank_lines() {
        let map = LineMap::new(b"{}\n\n  \n{}\r\n{}\n\n{}");
        assert_eq!(map.records, 4);
        assert_eq!(
            (1..=5).map(|r| map.line(r)).collect::<Vec<_>>(),
            vec![Some(1), Some(4), Some(5), Some(7), None]
        );
        assert!(LineMap::new(b"{}\n{}\n").jumps.is_empty());
    }

    #[test]
    fn bad_json_line_is_located() {
        let body = b"{\"a\": 1}\n\n{\"a\": 2}\n{\"a\": \n{\"a\": 4}\n";
        let (line, _) = locate_bad_line(body).unwrap();
        assert_eq!(line, 4);
        assert!(locate_bad_line(b"{\"a\": 1}\n").is_none());
    }
}
