//! XLSX, XLS and ODS readers (calamine).
//!
//! One sheet of a workbook is read as a table:
//!
//! - **Sheet**: `ReadOptions::sheet` by name (exact, then ignoring case), else by 1-based
//!   number; by default the first worksheet.
//! - **Header**: the first row with a non-blank cell, after a title if one is detected (rows
//!   of one non-blank cell in the first column above a wider header, see
//!   [`ReadOptions::skip_rows`]) or the rows `skip_rows` asks to skip. Columns span the
//!   sheet's used range. A header of several rows is read by [`crate::header`].
//! - **Rows**: every later row; rows with no non-blank cell are skipped (they are layout, not
//!   data). `RowLocation::line` is the sheet row as the spreadsheet shows it (1-based);
//!   `record` counts data rows.
//! - **Cells** as text: integral numbers without ".0", other numbers in the shortest text that
//!   reads back to them, dates `YYYY-MM-DD`, date-times `YYYY-MM-DDTHH:MM:SS`, times
//!   `HH:MM:SS`, durations in ISO 8601 (`PT36H30M`), booleans `true`/`false`. An error cell
//!   (`#N/A`, `#DIV/0!`) is empty, or with `strict` an error naming its row and column.
//!
//! calamine reads a whole sheet into a `Range` (its streaming cell reader exists only for
//! XLSX and borrows the workbook, which does not fit a row source that owns its data); a
//! sheet is bounded anyway (1,048,576 rows in XLSX, 65,536 in XLS). The file is read into
//! memory once, hashed on the way, and the workbook is dropped once the sheet is read.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{Data, Ods, Reader, SheetType, Sheets, Xls, Xlsb, Xlsx};

use crate::columnar::{guarded, push_float};
use crate::error::{IoError, Result};
use crate::hash::HashingReader;
use crate::source::{
    Format, ReadOptions, RowLocation, RowRead, RowSource, SourceSummary, name_columns,
};

/// One sheet of a workbook read row by row.
pub(crate) struct SheetSource {
    path: PathBuf,
    format: &'static str,
    columns: Vec<String>,
    cells: calamine::Range<Data>,
    /// 0-based sheet row of the range's first row.
    first_row: u64,
    /// Next range row (0-based, relative to the range) to read.
    next: usize,
    record: u64,
    strict: bool,
    summary: SourceSummary,
}

impl SheetSource {
    /// Opens `path` and the sheet of `options` (default: the first worksheet), and reads its
    /// header.
    ///
    /// # Errors
    /// [`IoError::Io`] if the file cannot be read; [`IoError::Format`] if it is not a
    /// readable workbook of `format`; [`IoError::NoSheet`] if the sheet asked for is not
    /// there; [`IoError::Empty`] if the sheet has no non-blank cell.
    pub(crate) fn open(path: &Path, format: Format, options: &ReadOptions) -> Result<Self> {
        let xlsb = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsb"));
        let format_name = match format {
            Format::Xlsx if xlsb => "XLSB",
            Format::Xls => "XLS",
            Format::Ods => "ODS",
            _ => "XLSX",
        };
        let fail = |location: String, message: String| IoError::Format {
            path: path.to_owned(),
            format: format_name,
            location,
            message,
        };

        let file = File::open(path).map_err(|e| io_error(path, e))?;
        let mut reader = HashingReader::new(file);
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(|e| io_error(path, e))?;
        let (sha256, size) = reader.finish().map_err(|e| io_error(path, e))?;

        let mut workbook = guarded(|| -> std::result::Result<_, String> {
            let data = Cursor::new(bytes);
            Ok(match (format, xlsb) {
                (Format::Xls, _) => Sheets::Xls(Xls::new(data).map_err(|e| e.to_string())?),
                (Format::Ods, _) => Sheets::Ods(Ods::new(data).map_err(|e| e.to_string())?),
                (_, true) => Sheets::Xlsb(Xlsb::new(data).map_err(|e| e.to_string())?),
                (_, false) => Sheets::Xlsx(Xlsx::new(data).map_err(|e| e.to_string())?),
            })
        })
        .map_err(|m| fail(String::new(), format!("not a readable {format_name} workbook: {m}")))?;

        let sheets = workbook.sheets_metadata().to_vec();
        let available =
            || sheets.iter().map(|s| format!("{:?}", s.name)).collect::<Vec<_>>().join(", ");
        let name = match &options.sheet {
            Some(wanted) => match pick_sheet(&sheets, wanted) {
                Some(name) => name,
                None => {
                    return Err(IoError::NoSheet {
                        path: path.to_owned(),
                        sheet: wanted.clone(),
                        available: available(),
                    });
                }
            },
            None => {
                match sheets.iter().find(|s| s.typ == SheetType::WorkSheet).or(sheets.first()) {
                    Some(sheet) => sheet.name.clone(),
                    None => return Err(IoError::Empty { path: path.to_owned() }),
                }
            }
        };
        let cells = guarded(|| workbook.worksheet_range(&name)).map_err(|m| {
            fail(format!("sheet {name:?}: "), format!("cannot read the sheet: {m}"))
        })?;
        drop(workbook);

        let first_row = cells.start().map_or(0, |(row, _)| u64::from(row));
        let (height, width) = cells.get_size();
        let nonblank = || (0..height).filter(|&r| !row_is_blank(&cells, r, width));
        // The header's row in the range, and the non-blank rows above it.
        let (header_at, skip) = match options.skip_rows {
            Some(n) => (nonblank().nth(n), n),
            None => {
                // As far as a title above the header can reach, blank rows included.
                let rows: Vec<Vec<Option<bool>>> = (0..height)
                    .take(crate::header::MAX_TITLE_ROWS * 2 + 3)
                    .map(|r| (0..width).map(|c| title_cell(cells.get((r, c)))).collect())
                    .collect();
                // A header of several rows asked for starts at the first row.
                let title = if options.header_rows.is_some() {
                    0
                } else {
                    crate::header::title_rows(&rows)
                };
                let first = nonblank().find(|&r| r >= title);
                (first, nonblank().take_while(|&r| r < title).count())
            }
        };
        let Some(header_at) = header_at else {
            return Err(IoError::Empty { path: path.to_owned() });
        };
        let header = (0..width).map(|c| {
            let mut text = String::new();
            if let Some(cell) = cells.get((header_at, c)) {
                push_cell(cell, &mut text);
            }
            text
        });
        // Named by `Headed`, which sees the empty cells of headers of several rows.
        let columns: Vec<String> = header.collect();
        Ok(SheetSource {
            path: path.to_owned(),
            format: format_name,
            columns,
            cells,
            first_row,
            next: header_at + 1,
            record: 0,
            strict: options.strict,
            summary: SourceSummary {
                sha256,
                bytes: size,
                sheet: Some(name),
                skipped_rows: skip as u64,
                ..SourceSummary::default()
            },
        })
    }
}

impl RowSource for SheetSource {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn next_row(&mut self, fields: &mut Vec<String>) -> Result<Option<RowRead>> {
        fields.clear();
        let (height, width) = self.cells.get_size();
        while self.next < height {
            let row = self.next;
            self.next += 1;
            if row_is_blank(&self.cells, row, width) {
                continue;
            }
            self.record += 1;
            let line = self.first_row + row as u64 + 1;
            for c in 0..self.columns.len() {
                let mut text = String::new();
                match self.cells.get((row, c)) {
                    Some(Data::Error(e)) if self.strict => {
                        let column = name_columns(self.columns.iter().cloned()).swap_remove(c);
                        return Err(IoError::Format {
                            path: self.path.clone(),
                            format: self.format,
                            location: format!("row {line}, column {column:?}: "),
                            message: format!("the cell holds the error value {e}"),
                        });
                    }
                    Some(cell) => push_cell(cell, &mut text),
                    None => {}
                }
                fields.push(text);
            }
            return Ok(Some(RowRead::Row(RowLocation { record: self.record, line: Some(line) })));
        }
        Ok(None)
    }

    fn finish(self: Box<Self>) -> Result<SourceSummary> {
        Ok(self.summary)
    }
}

/// The sheet `wanted` names: a sheet of that exact name, else of that name ignoring case and
/// surrounding spaces, else the sheet of that 1-based number.
fn pick_sheet(sheets: &[calamine::Sheet], wanted: &str) -> Option<String> {
    let trimmed = wanted.trim();
    let exact = sheets.iter().find(|s| s.name == wanted);
    let folded = || {
        let lower = trimmed.to_lowercase();
        sheets.iter().find(|s| s.name.trim().to_lowercase() == lower)
    };
    let numbered = || {
        let n: usize = trimmed.parse().ok()?;
        sheets.get(n.checked_sub(1)?)
    };
    exact.or_else(folded).or_else(numbered).map(|s| s.name.clone())
}

/// Whether range row `row` has no cell with text (empty cells and blank strings).
fn row_is_blank(cells: &calamine::Range<Data>, row: usize, width: usize) -> bool {
    (0..width).all(|c| cell_is_blank(cells.get((row, c))))
}

/// Whether a cell holds nothing but white space.
fn cell_is_blank(cell: Option<&Data>) -> bool {
    match cell {
        None | Some(Data::Empty) => true,
        Some(Data::String(s)) => s.trim().is_empty(),
        Some(_) => false,
    }
}

/// A cell as title detection sees it ([`crate::header::title_rows`]): `None` if blank, else
/// whether it is a number.
fn title_cell(cell: Option<&Data>) -> Option<bool> {
    match cell {
        _ if cell_is_blank(cell) => None,
        Some(Data::String(s)) => crate::header::title_cell(s),
        Some(Data::Int(_) | Data::Float(_)) => Some(true),
        _ => Some(false),
    }
}

/// Appends the text of a cell (see the module documentation).
fn push_cell(cell: &Data, out: &mut String) {
    match cell {
        Data::Empty | Data::Error(_) => {}
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => out.push_str(s),
        Data::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Data::Float(f) => push_float(out, *f),
        Data::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Data::DateTime(dt) if dt.is_duration() => push_duration(out, dt.as_f64()),
        Data::DateTime(dt) => {
            let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
            let serial = dt.as_f64();
            // A serial below 1 has no date part: a time of day (Excel shows 1900-01-00).
            let time_only = (0.0..1.0).contains(&serial);
            if !time_only {
                let _ = write!(out, "{y:04}-{mo:02}-{d:02}");
            }
            if time_only || (h, mi, s, ms) != (0, 0, 0, 0) {
                if !time_only {
                    out.push('T');
                }
                let _ = write!(out, "{h:02}:{mi:02}:{s:02}");
                if ms != 0 {
                    let _ = write!(out, ".{}", format!("{ms:03}").trim_end_matches('0'));
                }
            }
        }
    }
}

/// Appends a duration given in days as ISO 8601 (`PT36H30M`, `PT0S`), to the millisecond.
fn push_duration(out: &mut String, days: f64) {
    let total_ms = (days * 86_400_000.0).round();
    // Beyond ±2^53 ms (285,000 years) the value is not a plausible duration; keep the number.
    if !total_ms.is_finite() || total_ms.abs() > 9_007_199_254_740_992.0 {
        push_float(out, days);
        return;
    }
    let total_ms = total_ms as i64;
    if total_ms < 0 {
        out.push('-');
    }
    let ms = total_ms.unsigned_abs();
    let (h, m, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    out.push_str("PT");
    if h > 0 {
        let _ = write!(out, "{h}H");
    }
    if m > 0 {
        let _ = write!(out, "{m}M");
    }
    if s > 0 || milli > 0 || (h == 0 && m == 0) {
        let _ = write!(out, "{s}");
        if milli > 0 {
            let _ = write!(out, ".{}", format!("{milli:03}").trim_end_matches('0'));
        }
        out.push('S');
    }
}

fn io_error(path: &Path, source: std::io::Error) -> IoError {
    IoError::Io { path: path.to_owned(), source }
}

#[cfg(test)]
mod tests {
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    use super::*;

    fn text(cell: Data) -> String {
        let mut s = String::new();
        push_cell(&cell, &mut s);
        s
    }

    fn excel(serial: f64, typ: ExcelDateTimeType) -> Data {
        Data::DateTime(ExcelDateTime::new(serial, typ, false))
    }

    #[test]
    fn cells_as_text() {
        use ExcelDateTimeType::{DateTime, TimeDelta};
        assert_eq!(text(Data::Float(1234.0)), "1234");
        assert_eq!(text(Data::Float(0.1)), "0.1");
        assert_eq!(text(Data::Int(-7)), "-7");
        assert_eq!(text(Data::Bool(true)), "true");
        assert_eq!(text(Data::Error(calamine::CellErrorType::NA)), "");
        assert_eq!(text(excel(45352.0, DateTime)), "2024-03-01");
        assert_eq!(text(excel(45352.395833333336, DateTime)), "2024-03-01T09:30:00");
        assert_eq!(text(excel(0.5, DateTime)), "12:00:00");
        assert_eq!(text(excel(1.520833333333333, TimeDelta)), "PT36H30M");
        assert_eq!(text(excel(0.0, TimeDelta)), "PT0S");
        assert_eq!(text(excel(-0.25, TimeDelta)), "-PT6H");
        assert_eq!(text(excel(f64::NAN, TimeDelta)), "NaN");
        // Out of Excel's range: no panic.
        let _ = text(excel(1e300, DateTime));
        let _ = text(excel(-1e300, DateTime));
    }

    #[test]
    fn sheets_by_name_case_or_number() {
        let sheet = |name: &str| calamine::Sheet {
            name: name.to_owned(),
            typ: SheetType::WorkSheet,
            visible: calamine::SheetVisible::Visible,
        };
        let sheets = [sheet("Responses"), sheet("2"), sheet("responses")];
        let pick = |w: &str| pick_sheet(&sheets, w);
        assert_eq!(pick("responses").as_deref(), Some("responses"));
        assert_eq!(pick("RESPONSES ").as_deref(), Some("Responses"));
        assert_eq!(pick("2").as_deref(), Some("2"));
        assert_eq!(pick("3").as_deref(), Some("responses"));
        assert_eq!(pick("0"), None);
        assert_eq!(pick("4"), None);
        assert_eq!(pick("Lookup"), None);
    }
}
