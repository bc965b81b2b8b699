//! Tables written as CSV, Parquet and XLSX, with spreadsheet formula injection neutralised.
//!
//! A [`Table`] is a named header and rows of typed [`Cell`]s. It is written by
//! [`write_table_csv`], [`write_table_parquet`] and [`write_tables_xlsx`] (one sheet per table).
//!
//! # Formula injection
//!
//! Consultation exports carry respondents' free text. A respondent who writes
//! `=HYPERLINK("http://evil","x")` or `=cmd|' /C calc'!A0` gets that text evaluated as a formula
//! when an analyst opens the CSV in Excel or LibreOffice ("CSV injection", OWASP). Text cells
//! are therefore passed through [`neutralise`] by default ([`ExportOptions::neutralise_formulas`]),
//! which prefixes a `'` to any text a spreadsheet would read as a formula. Numbers
//! ([`Cell::Int`], [`Cell::Float`]) and booleans are never touched: a negative number is data,
//! not an injection. Parquet is not neutralised: it is read by data tools, never typed into a
//! spreadsheet cell, and a changed value would corrupt the data.
//!
//! ```no_run
//! use thematic_io::export::{Cell, ExportOptions, Table, write_table_csv, write_tables_xlsx};
//! let mut quotes = Table::new("quotes", ["id", "text", "score"]);
//! quotes.push_row([Cell::from("r1"), Cell::from("=1+1"), Cell::from(-0.5)])?;
//! write_table_csv("quotes.csv", &quotes, &ExportOptions::default())?; // r1,'=1+1,-0.5
//! write_tables_xlsx("report.xlsx", &[&quotes], &ExportOptions::default())?;
//! # Ok::<(), thematic_io::IoError>(())
//! ```

use std::borrow::Cow;
use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::ops::Range;
use std::path::Path;

use polars::prelude::{
    Column, DataFrame, IntoColumn, NamedFrom, ParquetCompression, ParquetWriter, PolarsError,
    Series,
};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};

use crate::error::{IoError, Result};

/// One cell of a [`Table`].
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    /// Text; neutralised against formula injection in CSV and XLSX (see [`neutralise`]).
    Text(String),
    /// A whole number; written as a number and never neutralised.
    Int(i64),
    /// A real number; written as a number and never neutralised. NaN and ±infinity are written
    /// as `NaN`, `inf` and `-inf` (text in XLSX, which has no such numbers).
    Float(f64),
    /// A boolean: `true`/`false` in CSV, a boolean cell in XLSX and Parquet.
    Bool(bool),
    /// No value: an empty CSV field, a blank XLSX cell, a Parquet null.
    #[default]
    Empty,
}

impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(v.to_owned())
    }
}

impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(v)
    }
}

impl From<&String> for Cell {
    fn from(v: &String) -> Self {
        Cell::Text(v.clone())
    }
}

impl From<Cow<'_, str>> for Cell {
    fn from(v: Cow<'_, str>) -> Self {
        Cell::Text(v.into_owned())
    }
}

impl From<i32> for Cell {
    fn from(v: i32) -> Self {
        Cell::Int(i64::from(v))
    }
}

impl From<u32> for Cell {
    fn from(v: u32) -> Self {
        Cell::Int(i64::from(v))
    }
}

impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}

/// A value above `i64::MAX` becomes [`Cell::Text`] of its decimal digits: exact, where a
/// saturated or rounded number would silently be another value.
impl From<u64> for Cell {
    fn from(v: u64) -> Self {
        i64::try_from(v).map_or_else(|_| Cell::Text(v.to_string()), Cell::Int)
    }
}

/// As for `u64`: a value above `i64::MAX` becomes [`Cell::Text`] of its digits.
impl From<usize> for Cell {
    fn from(v: usize) -> Self {
        i64::try_from(v).map_or_else(|_| Cell::Text(v.to_string()), Cell::Int)
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Float(v)
    }
}

impl From<bool> for Cell {
    fn from(v: bool) -> Self {
        Cell::Bool(v)
    }
}

/// `None` is [`Cell::Empty`].
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// A named table: a header and rows of [`Cell`]s, each row as long as the header.
///
/// The fields are public, so rows may be pushed directly; every writer checks the shape first
/// ([`Table::check`]) and returns an error rather than writing a ragged table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// The table's name: the XLSX sheet name (made valid for Excel) and the name in errors.
    pub name: String,
    /// Column names.
    pub header: Vec<String>,
    /// Rows, each with `header.len()` cells.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table with a name, a header and no rows.
    pub fn new<S: Into<String>>(
        name: impl Into<String>,
        header: impl IntoIterator<Item = S>,
    ) -> Self {
        Table {
            name: name.into(),
            header: header.into_iter().map(Into::into).collect(),
            rows: vec![],
        }
    }

    /// Appends a row.
    ///
    /// # Errors
    /// [`IoError::InvalidOption`] (option `table`) naming the table and the row (1-based,
    /// header not counted) when the row does not have one cell per header column; the row is
    /// not added.
    pub fn push_row<C: Into<Cell>>(&mut self, row: impl IntoIterator<Item = C>) -> Result<()> {
        let row: Vec<Cell> = row.into_iter().map(Into::into).collect();
        check_row_len(&self.name, self.rows.len() + 1, row.len(), self.header.len())?;
        self.rows.push(row);
        Ok(())
    }

    /// Checks that the table has at least one column and that every row has one cell per
    /// header column.
    ///
    /// # Errors
    /// [`IoError::InvalidOption`] (option `table`) naming the table and the first bad row.
    pub fn check(&self) -> Result<()> {
        check_shape(&self.name, &self.header, &self.rows)
    }
}

/// How tables are exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExportOptions {
    /// Prefix `'` to text cells a spreadsheet would read as a formula ([`neutralise`]), in CSV
    /// and XLSX. Default `true`; turn off only for files that no spreadsheet will open.
    pub neutralise_formulas: bool,
    /// Start CSV files with a UTF-8 byte order mark. Default `false`.
    ///
    /// Excel opens a CSV without a BOM (by double-click) in the machine's ANSI code page, so
    /// "café" shows as "cafÃ©"; with the BOM it reads UTF-8. The default is off because most
    /// data tools do not strip it and read it into the first column's name (R's `read.csv`,
    /// `cut`, older pandas). Turn it on for CSVs handed to analysts who use Excel, or give them
    /// the XLSX export, which has no such problem.
    pub csv_bom: bool,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions { neutralise_formulas: true, csv_bom: false }
    }
}

/// The characters that make a spreadsheet read a cell as a formula (or, for tab and carriage
/// return, that some importers strip before looking for one): OWASP's list and the full-width
/// forms (see [`neutralise`]).
const FORMULA_STARTS: [char; 10] =
    ['=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}'];

/// Makes a text cell safe to open in a spreadsheet: returns it with a leading `'` if a
/// spreadsheet could read it as a formula, unchanged (borrowed) otherwise.
///
/// A text is neutralised when
/// - it starts with `=`, `+`, `-`, `@`, tab or carriage return (OWASP's list), or a full-width
///   `＝ ＋ － ＠` (see below); or
/// - it starts with whitespace followed by one of those. Excel does not evaluate `" =1+1"`,
///   but LibreOffice's CSV import can trim leading spaces before it looks for a formula, and
///   the quote costs nothing;
///
/// except when the whole text is a plain decimal number such as `-5`, `+3`, `-0.25` or
/// `-1.5e-3` (ASCII digits, at most one point, an optional exponent, nothing around them): a
/// spreadsheet reads that as a number, which can do no harm, and a quote would turn a column
/// of numbers written as text (as [`crate::CsvTable`] holds them) into text. `-2+3`, `-inf`
/// and `" -5"` are not plain numbers and are neutralised.
///
/// The full-width forms are included because East Asian versions of Excel are reported to
/// convert them to `=`, `+`, `-`, `@` as they are entered; other look-alikes (U+2212 minus
/// sign, small-form variants) are not known to start formulas and are left alone.
///
/// The `'` is visible in the file. It is Excel's own marker for "this is text": typed into a
/// cell it is hidden and the rest is kept as text.
///
/// ```
/// use thematic_io::export::neutralise;
/// assert_eq!(neutralise("=1+1"), "'=1+1");
/// assert_eq!(neutralise("-0.5"), "-0.5");
/// assert_eq!(neutralise("a=b"), "a=b");
/// ```
pub fn neutralise(text: &str) -> Cow<'_, str> {
    let starts_formula = |c: char| FORMULA_STARTS.contains(&c);
    let first_significant = text.trim_start().chars().next();
    let risky = text.starts_with(starts_formula) || first_significant.is_some_and(starts_formula);
    if risky && !is_plain_number(text) {
        let mut out = String::with_capacity(text.len() + 1);
        out.push('\'');
        out.push_str(text);
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?` in ASCII, nothing else.
/// Hand-written because `f64::from_str` also accepts `inf` and `NaN`, which spreadsheets read
/// as names (`-inf` is the formula `=-inf`).
fn is_plain_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let mut mantissa = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Formats a float for CSV and Parquet text: the shortest text that reads back as the same
/// `f64`, positional for ordinary magnitudes and with an exponent for very large or small ones
/// (so `1e300` is not 301 digits). Every spreadsheet and data tool reads both forms.
fn format_float(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_owned()
    } else if v.is_infinite() {
        if v > 0.0 { "inf" } else { "-inf" }.to_owned()
    } else if v == 0.0 || (1e-5..1e16).contains(&v.abs()) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// A cell of a table written as CSV: a [`Cell`], or a `String` of a [`crate::CsvTable`].
pub(crate) trait CsvField {
    /// The field's text, neutralised if asked and if it is text.
    fn render(&self, neutralise_formulas: bool) -> Cow<'_, str>;
}

impl CsvField for String {
    fn render(&self, neutralise_formulas: bool) -> Cow<'_, str> {
        if neutralise_formulas { neutralise(self) } else { Cow::Borrowed(self) }
    }
}

impl CsvField for Cell {
    fn render(&self, neutralise_formulas: bool) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => s.render(neutralise_formulas),
            Cell::Int(v) => Cow::Owned(v.to_string()),
            Cell::Float(v) => Cow::Owned(format_float(*v)),
            Cell::Bool(v) => Cow::Borrowed(if *v { "true" } else { "false" }),
            Cell::Empty => Cow::Borrowed(""),
        }
    }
}

fn check_row_len(table: &str, row: usize, found: usize, expected: usize) -> Result<()> {
    if found == expected {
        return Ok(());
    }
    Err(IoError::InvalidOption {
        option: "table",
        message: format!(
            "table {table:?}, row {row} (header not counted) has {found} cells but the header \
             has {expected}"
        ),
    })
}

fn check_shape<C>(table: &str, header: &[String], rows: &[Vec<C>]) -> Result<()> {
    if header.is_empty() {
        return Err(IoError::InvalidOption {
            option: "table",
            message: format!("table {table:?} has no columns"),
        });
    }
    for (i, row) in rows.iter().enumerate() {
        check_row_len(table, i + 1, row.len(), header.len())?;
    }
    Ok(())
}

/// Creates `path`, lets `write` fill it, flushes, and removes the file if anything failed, so
/// that a failed export never leaves a truncated file that looks complete.
fn write_file(path: &Path, write: impl FnOnce(&mut BufWriter<File>) -> Result<()>) -> Result<()> {
    let file =
        File::create(path).map_err(|source| IoError::Io { path: path.to_owned(), source })?;
    let mut out = BufWriter::new(file);
    let result = write(&mut out)
        .and_then(|()| out.flush().map_err(|source| IoError::Io { path: path.to_owned(), source }));
    if result.is_err() {
        drop(out);
        // Best effort: the error being returned matters more than a failure to clean up.
        let _ = std::fs::remove_file(path);
    }
    result
}

/// Writes a header and rows as CSV; shared by [`write_table_csv`] and [`crate::write_csv`].
/// `table` names the table in errors.
pub(crate) fn write_csv_fields<F: CsvField>(
    path: &Path,
    table: &str,
    header: &[String],
    rows: &[Vec<F>],
    options: &ExportOptions,
) -> Result<()> {
    // Checked before the file is created, so a bad table leaves no file behind.
    check_shape(table, header, rows)?;
    let csv_err = |e: csv::Error, record: u64| match e.into_kind() {
        csv::ErrorKind::Io(source) => IoError::Io { path: path.to_owned(), source },
        // Not reached in practice: rows are checked first and nothing is serialised.
        other => IoError::Write {
            path: path.to_owned(),
            format: "CSV",
            message: format!("record {record} (0 is the header): {other:?}"),
        },
    };
    write_file(path, |out| {
        if options.csv_bom {
            out.write_all("\u{FEFF}".as_bytes())
                .map_err(|source| IoError::Io { path: path.to_owned(), source })?;
        }
        let mut w = csv::Writer::from_writer(out);
        let neutralise_formulas = options.neutralise_formulas;
        for h in header {
            w.write_field(h.render(neutralise_formulas).as_bytes()).map_err(|e| csv_err(e, 0))?;
        }
        w.write_record(None::<&[u8]>).map_err(|e| csv_err(e, 0))?;
        for (i, row) in rows.iter().enumerate() {
            let record = i as u64 + 1;
            for cell in row {
                w.write_field(cell.render(neutralise_formulas).as_bytes())
                    .map_err(|e| csv_err(e, record))?;
            }
            w.write_record(None::<&[u8]>).map_err(|e| csv_err(e, record))?;
        }
        w.flush().map_err(|source| IoError::Io { path: path.to_owned(), source })
    })
}

/// Writes a table as UTF-8 CSV.
///
/// Fields are quoted as RFC 4180 says (when they hold a comma, a quote, or a line break;
/// quotes doubled); lines end in `\n`, which Excel, LibreOffice and every data tool accept.
/// Text cells are neutralised ([`neutralise`]) unless `options.neutralise_formulas` is off,
/// header included; the file starts with a BOM if `options.csv_bom`. Cells are never
/// truncated (CSV has no cell limit). Numbers are written as in [`Cell`].
///
/// # Errors
/// - [`IoError::InvalidOption`] naming the table and row if a row has the wrong number of
///   cells, or if the table has no columns (nothing is written);
/// - [`IoError::Io`] naming the file if it cannot be written (a partly written file is
///   removed).
pub fn write_table_csv(
    path: impl AsRef<Path>,
    table: &Table,
    options: &ExportOptions,
) -> Result<()> {
    write_csv_fields(path.as_ref(), &table.name, &table.header, &table.rows, options)
}

/// The type of a Parquet column, from the cells it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    Int,
    Float,
    Bool,
    Text,
}

/// Int if every non-empty cell is an Int, Float if every one is a number, Bool if every one is
/// a Bool, Text otherwise, and Text for a column with no value (nothing says what it holds).
fn column_kind<'a>(cells: impl Iterator<Item = &'a Cell>) -> ColumnKind {
    let mut kind = None;
    for cell in cells {
        let this = match cell {
            Cell::Empty => continue,
            Cell::Int(_) => ColumnKind::Int,
            Cell::Float(_) => ColumnKind::Float,
            Cell::Bool(_) => ColumnKind::Bool,
            Cell::Text(_) => return ColumnKind::Text,
        };
        kind = Some(match (kind, this) {
            (None, k) => k,
            (Some(a), b) if a == b => a,
            (Some(ColumnKind::Int | ColumnKind::Float), ColumnKind::Int | ColumnKind::Float) => {
                ColumnKind::Float
            }
            _ => return ColumnKind::Text,
        });
    }
    kind.unwrap_or(ColumnKind::Text)
}

/// One Parquet column of `table`.
fn parquet_column(table: &Table, col: usize) -> Column {
    let name = table.header.get(col).map_or("", String::as_str);
    // Rows were checked to have one cell per column; a missing cell would read as null.
    let cells = || table.rows.iter().map(move |row| row.get(col).unwrap_or(&Cell::Empty));
    let series = match column_kind(cells()) {
        ColumnKind::Int => {
            let v: Vec<Option<i64>> =
                cells().map(|c| if let Cell::Int(v) = c { Some(*v) } else { None }).collect();
            Series::new(name.into(), v)
        }
        ColumnKind::Float => {
            // Ints above 2^53 lose their last digits here, as in any float column.
            let v: Vec<Option<f64>> = cells()
                .map(|c| match c {
                    Cell::Int(v) => Some(*v as f64),
                    Cell::Float(v) => Some(*v),
                    _ => None,
                })
                .collect();
            Series::new(name.into(), v)
        }
        ColumnKind::Bool => {
            let v: Vec<Option<bool>> =
                cells().map(|c| if let Cell::Bool(v) = c { Some(*v) } else { None }).collect();
            Series::new(name.into(), v)
        }
        ColumnKind::Text => {
            let v: Vec<Option<Cow<'_, str>>> = cells()
                .map(|c| match c {
                    Cell::Empty => None,
                    // Data, not spreadsheet input: never neutralised.
                    other => Some(other.render(false)),
                })
                .collect();
            Series::new(name.into(), v)
        }
    };
    series.into_column()
}

fn polars_err(path: &Path, e: PolarsError) -> IoError {
    match e {
        PolarsError::IO { error, .. } => IoError::Io {
            path: path.to_owned(),
            source: std::sync::Arc::try_unwrap(error)
                .unwrap_or_else(|e| std::io::Error::new(e.kind(), e.to_string())),
        },
        other => {
            IoError::Write { path: path.to_owned(), format: "Parquet", message: other.to_string() }
        }
    }
}

/// Writes a table as a zstd-compressed Parquet file.
///
/// Each column's type comes from its cells: Int64 if every non-empty cell is
/// [`Cell::Int`], Float64 if every one is a number (Int or Float; ints above 2^53 are rounded),
/// Boolean if every one is a [`Cell::Bool`], String otherwise (numbers and booleans formatted
/// as in CSV) and String for a column with no value. [`Cell::Empty`] is null.
///
/// Nothing is neutralised: Parquet is read by data tools, not typed into a spreadsheet, and a
/// `'` added to the data would be a corruption. Whoever turns it into a spreadsheet must
/// neutralise then.
///
/// # Errors
/// - [`IoError::InvalidOption`] for a ragged table, a table with no columns, or two columns of
///   the same name (Parquet needs distinct names);
/// - [`IoError::Io`] naming the file if it cannot be written, [`IoError::Write`] if the
///   encoder fails (a partly written file is removed).
pub fn write_table_parquet(path: impl AsRef<Path>, table: &Table) -> Result<()> {
    let path = path.as_ref();
    table.check()?;
    let mut seen = HashSet::new();
    if let Some(dup) = table.header.iter().find(|h| !seen.insert(h.as_str())) {
        return Err(IoError::InvalidOption {
            option: "table",
            message: format!(
                "table {:?} names column {dup:?} twice; Parquet needs distinct column names",
                table.name
            ),
        });
    }
    let columns: Vec<Column> = (0..table.header.len()).map(|c| parquet_column(table, c)).collect();
    let mut df = DataFrame::new(table.rows.len(), columns).map_err(|e| polars_err(path, e))?;
    write_file(path, |out| {
        ParquetWriter::new(out)
            .with_compression(ParquetCompression::Zstd(None))
            .finish(&mut df)
            .map(drop)
            .map_err(|e| polars_err(path, e))
    })
}

/// Excel's limits: characters (UTF-16 units) in a cell and in a sheet name, rows and columns
/// in a sheet.
const XLSX_MAX_CELL_CHARS: usize = 32_767;
const XLSX_MAX_SHEET_NAME: usize = 31;
const XLSX_MAX_ROWS: usize = 1_048_576;
const XLSX_MAX_COLS: usize = 16_384;
/// Data rows per sheet: Excel's rows less the header.
const XLSX_MAX_DATA_ROWS: usize = XLSX_MAX_ROWS - 1;
/// Integers beyond ±2^53 are not exact as an Excel number (a double).
const XLSX_MAX_EXACT_INT: i64 = 1 << 53;

/// The longest prefix of `s` of at most `max` UTF-16 units, cut at a character boundary.
fn utf16_prefix(s: &str, max: usize) -> &str {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > max {
            return s.get(..i).unwrap_or(s);
        }
    }
    s
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Cuts a text to Excel's 32,767 characters (UTF-16 units, as Excel counts), ending with a
/// visible `… [truncated N chars]` (N counting characters removed) so that nobody mistakes
/// the cell for the whole text.
fn fit_cell(text: &str) -> Cow<'_, str> {
    fit_cell_to(text, XLSX_MAX_CELL_CHARS)
}

fn fit_cell_to(text: &str, max: usize) -> Cow<'_, str> {
    if utf16_len(text) <= max {
        return Cow::Borrowed(text);
    }
    let marker = |n: usize| format!("\u{2026} [truncated {n} chars]");
    let total = text.chars().count();
    // The marker's length depends on the count it reports, which depends on the room the
    // marker leaves. Try the fewest digits first: the first count that fits in them keeps
    // the most text.
    let mut digits = 1;
    loop {
        let room = max.saturating_sub(utf16_len(&marker(0)) - 1 + digits);
        let kept = utf16_prefix(text, room);
        let removed = total - kept.chars().count();
        if removed.to_string().len() <= digits || removed == total {
            return Cow::Owned(format!("{kept}{}", marker(removed)));
        }
        digits += 1;
    }
}

/// Sheet names valid for Excel and distinct case-insensitively, in the order asked.
#[derive(Debug)]
struct SheetNamer {
    used: HashSet<String>,
}

impl SheetNamer {
    fn new() -> Self {
        // Excel reserves "History" (for change tracking) and refuses a sheet so named.
        SheetNamer { used: HashSet::from(["history".to_owned()]) }
    }

    /// A valid, unused name as close to `wanted` as possible: characters Excel refuses
    /// (`[ ] : * ? / \` and control characters) become `_`, leading and trailing `'` are
    /// dropped, the name is cut to 31 characters, an empty name becomes `Sheet`, and a name
    /// already used gets ` (2)`, ` (3)`, … (its base cut to keep 31 characters).
    fn name(&mut self, wanted: &str) -> String {
        let cleaned: String = wanted
            .chars()
            .map(|c| if "[]:*?/\\".contains(c) || c.is_control() { '_' } else { c })
            .collect();
        let trim = |s: &str| s.trim_matches('\'').to_owned();
        let mut base = trim(utf16_prefix(&trim(&cleaned), XLSX_MAX_SHEET_NAME));
        if base.is_empty() {
            base = "Sheet".to_owned();
        }
        let mut candidate = base.clone();
        let mut n = 1;
        while self.used.contains(&candidate.to_lowercase()) {
            n += 1;
            let suffix = format!(" ({n})");
            let stem = utf16_prefix(&base, XLSX_MAX_SHEET_NAME.saturating_sub(suffix.len()));
            candidate = format!("{stem}{suffix}");
        }
        self.used.insert(candidate.to_lowercase());
        candidate
    }
}

/// The ranges of data rows put on each sheet when a table of `rows` rows is split into sheets
/// of at most `per_sheet` rows: one range (maybe empty) when it fits.
fn sheet_row_ranges(rows: usize, per_sheet: usize) -> Vec<Range<usize>> {
    let per_sheet = per_sheet.max(1);
    // At least one sheet, so that a table without rows still shows its header.
    (0..rows.div_ceil(per_sheet).max(1))
        .map(|i| i * per_sheet..((i + 1) * per_sheet).min(rows))
        .collect()
}

fn xlsx_err(path: &Path, e: XlsxError) -> IoError {
    match e {
        XlsxError::IoError(source) => IoError::Io { path: path.to_owned(), source },
        other => {
            IoError::Write { path: path.to_owned(), format: "XLSX", message: other.to_string() }
        }
    }
}

/// Writes one sheet: the header and `table.rows[range]`.
fn write_sheet(
    workbook: &mut Workbook,
    name: String,
    table: &Table,
    range: Range<usize>,
    options: &ExportOptions,
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    let ws = workbook.add_worksheet();
    ws.set_name(name)?;
    ws.set_nan_value("NaN");
    ws.set_infinity_value("inf");
    ws.set_neg_infinity_value("-inf");
    let text = |s: &str| -> String {
        if options.neutralise_formulas {
            fit_cell(&neutralise(s)).into_owned()
        } else {
            fit_cell(s).into_owned()
        }
    };
    // Rows and columns were checked against Excel's limits, so these conversions cannot fail.
    let col_num = |c: usize| u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError);
    let row_num = |r: usize| u32::try_from(r).map_err(|_| XlsxError::RowColumnLimitError);
    for (c, h) in table.header.iter().enumerate() {
        ws.write_string_with_format(0, col_num(c)?, text(h), bold)?;
    }
    let rows = table.rows.get(range).unwrap_or_default();
    for (r, row) in rows.iter().enumerate() {
        let r = row_num(r + 1)?;
        for (c, cell) in row.iter().enumerate() {
            let c = col_num(c)?;
            match cell {
                Cell::Text(s) => {
                    ws.write_string(r, c, text(s))?;
                }
                Cell::Int(v) if (-XLSX_MAX_EXACT_INT..=XLSX_MAX_EXACT_INT).contains(v) => {
                    ws.write_number(r, c, *v as f64)?;
                }
                // Kept exact as text rather than rounded to a double; digits are not a formula.
                Cell::Int(v) => {
                    ws.write_string(r, c, v.to_string())?;
                }
                Cell::Float(v) => {
                    ws.write_number(r, c, *v)?;
                }
                Cell::Bool(v) => {
                    ws.write_boolean(r, c, *v)?;
                }
                Cell::Empty => {}
            }
        }
    }
    let last_col = col_num(table.header.len().saturating_sub(1))?;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row_num(rows.len())?, last_col)?;
    // Wide enough to read, narrow enough that a column of long answers does not fill the screen.
    ws.set_autofit_max_width(400);
    ws.autofit();
    Ok(())
}

/// Writes tables as an XLSX workbook, one sheet per table (in order).
///
/// - Sheets are named after [`Table::name`], made valid for Excel: `[ ] : * ? / \` and control
///   characters become `_`, leading/trailing `'` are dropped, names are cut to 31 characters,
///   an empty name becomes `Sheet`, and a name already taken (case-insensitively, or the
///   reserved `History`) gets ` (2)`, ` (3)`, ….
/// - The header row is bold and frozen, with an autofilter over the table; columns are
///   autofitted up to a maximum width.
/// - Ints and Floats are numbers (an Int beyond ±2^53, which a double cannot hold exactly, is
///   written as text of its digits; NaN and ±infinity as `NaN`, `inf`, `-inf` text), Bools
///   are booleans, Empty cells are blank.
/// - Text is written as a string, never as a formula. It is still neutralised like CSV
///   unless `options.neutralise_formulas` is off, because a user who re-enters the cell or
///   saves the sheet as CSV would otherwise bring the formula to life.
/// - A text longer than Excel's 32,767 characters is cut and ends with
///   `… [truncated N chars]`.
/// - A table of more than 1,048,575 rows (Excel's 1,048,576 less the header) continues on
///   further sheets named like duplicates (`name (2)`, …), each with the header, rather than
///   losing rows or failing.
///
/// `options.csv_bom` is ignored.
///
/// # Errors
/// - [`IoError::InvalidOption`] if `tables` is empty, a table is ragged or has no columns, or
///   has more than Excel's 16,384 columns (nothing is written);
/// - [`IoError::Io`] naming the file if it cannot be written, [`IoError::Write`] if the
///   encoder fails (a partly written file is removed).
pub fn write_tables_xlsx(
    path: impl AsRef<Path>,
    tables: &[&Table],
    options: &ExportOptions,
) -> Result<()> {
    let path = path.as_ref();
    if tables.is_empty() {
        return Err(IoError::InvalidOption {
            option: "tables",
            message: format!("no table to write to {}", path.display()),
        });
    }
    for table in tables {
        table.check()?;
        if table.header.len() > XLSX_MAX_COLS {
            return Err(IoError::InvalidOption {
                option: "table",
                message: format!(
                    "table {:?} has {} columns; an Excel sheet holds at most {XLSX_MAX_COLS}",
                    table.name,
                    table.header.len()
                ),
            });
        }
    }
    // The whole workbook is built in memory first, so encoder errors come before the file
    // is touched.
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let mut namer = SheetNamer::new();
    for table in tables {
        for range in sheet_row_ranges(table.rows.len(), XLSX_MAX_DATA_ROWS) {
            let name = namer.name(&table.name);
            write_sheet(&mut workbook, name, table, range, options, &bold)
                .map_err(|e| xlsx_err(path, e))?;
        }
    }
    write_file(path, |out| workbook.save_to_writer(out).map_err(|e| xlsx_err(path, e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers() {
        for s in ["0", "-5", "+3", "-0.25", ".5", "-5.", "1e5", "-1.5E-3", "007"] {
            assert!(is_plain_number(s), "{s}");
        }
        for s in ["", "-", "+", ".", "-.", "1e", "1e+", "-2+3", "-inf", "NaN", "1,5", "1 ", "--1"] {
            assert!(!is_plain_number(s), "{s}");
        }
    }

    #[test]
    fn neutralise_rules() {
        assert_eq!(neutralise(" =1"), "' =1");
        assert_eq!(neutralise("\n@x"), "'\n@x");
        assert_eq!(neutralise("\t"), "'\t");
        assert_eq!(neutralise("\u{FF1D}1+1"), "'\u{FF1D}1+1");
        assert_eq!(neutralise(" -5"), "' -5");
        assert_eq!(neutralise("\t5"), "'\t5");
        assert_eq!(neutralise("-inf"), "'-inf");
        assert_eq!(neutralise(""), "");
        assert_eq!(neutralise("'=1"), "'=1");
        assert!(matches!(neutralise("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn floats() {
        assert_eq!(format_float(-0.5), "-0.5");
        assert_eq!(format_float(3.0), "3");
        assert_eq!(format_float(1e300), "1e300");
        assert_eq!(format_float(1.5e-7), "1.5e-7");
        assert_eq!(format_float(f64::NEG_INFINITY), "-inf");
        assert_eq!(format_float(0.1 + 0.2).parse::<f64>().ok(), Some(0.1 + 0.2));
    }

    #[test]
    fn row_ranges_split_at_the_limit() {
        let bounds = |rows, per| -> Vec<(usize, usize)> {
            sheet_row_ranges(rows, per).into_iter().map(|r| (r.start, r.end)).collect()
        };
        assert_eq!(bounds(0, 10), [(0, 0)]);
        assert_eq!(bounds(10, 10), [(0, 10)]);
        assert_eq!(bounds(11, 10), [(0, 10), (10, 11)]);
        assert_eq!(bounds(25, 10), [(0, 10), (10, 20), (20, 25)]);
        let big = sheet_row_ranges(2 * XLSX_MAX_DATA_ROWS + 1, XLSX_MAX_DATA_ROWS);
        assert_eq!(big.len(), 3);
        assert!(big.iter().all(|r| r.len() <= XLSX_MAX_DATA_ROWS));
        assert_eq!(
            big.iter().map(ExactSizeIterator::len).sum::<usize>(),
            2 * XLSX_MAX_DATA_ROWS + 1
        );
        // With the header, the fullest sheet uses exactly Excel's last row.
        assert_eq!(big[0].len() + 1, XLSX_MAX_ROWS);
    }

    #[test]
    fn cell_fitting() {
        assert_eq!(fit_cell_to("short", 40), "short");
        let long = "é".repeat(100);
        let fitted = fit_cell_to(&long, 40);
        assert_eq!(utf16_len(&fitted), 40, "{fitted}");
        let kept = fitted.split('\u{2026}').next().unwrap_or_default().chars().count();
        assert!(fitted.ends_with(&format!("[truncated {} chars]", 100 - kept)), "{fitted}");
        // A surrogate pair is never split.
        let emoji = "\u{1F600}".repeat(30);
        let fitted = fit_cell_to(&emoji, 40);
        assert!(utf16_len(&fitted) <= 40);
        assert!(fitted.starts_with('\u{1F600}'));
    }

    #[test]
    fn sheet_names() {
        let mut n = SheetNamer::new();
        assert_eq!(n.name("a/b:c"), "a_b_c");
        assert_eq!(n.name("A_B_C"), "A_B_C (2)");
        assert_eq!(n.name("history"), "history (2)");
        assert_eq!(n.name("''"), "Sheet");
        assert_eq!(n.name(""), "Sheet (2)");
        let long = "x".repeat(40);
        assert_eq!(n.name(&long), "x".repeat(31));
        assert_eq!(n.name(&long), format!("{} (2)", "x".repeat(27)));
        assert_eq!(n.name("abc'").as_str(), "abc");
    }

    #[test]
    fn column_kinds() {
        use Cell::*;
        let kind = |cells: &[Cell]| column_kind(cells.iter());
        assert_eq!(kind(&[Int(1), Empty, Int(2)]), ColumnKind::Int);
        assert_eq!(kind(&[Int(1), Float(0.5)]), ColumnKind::Float);
        assert_eq!(kind(&[Bool(true), Empty]), ColumnKind::Bool);
        assert_eq!(kind(&[Bool(true), Int(1)]), ColumnKind::Text);
        assert_eq!(kind(&[Int(1), Text("a".into())]), ColumnKind::Text);
        assert_eq!(kind(&[Empty, Empty]), ColumnKind::Text);
        assert_eq!(kind(&[]), ColumnKind::Text);
    }
}
