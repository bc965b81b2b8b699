//! Headers of several rows, as survey tools export them.
//!
//! Most exports have one header row, but the two survey tools public bodies use most do not:
//!
//! - **Qualtrics** CSV and Excel exports have three: short names (`Q1`, `Q2_4_TEXT`), the
//!   question text, and a row of `{"ImportId":"QID1"}` cells.
//! - **SurveyMonkey** exports have two: the question text, written once above the columns it
//!   spans, and below it "Response", "Open-Ended Response" or one choice per column.
//!
//! Read with one header row, those rows would become responses (the question text of every
//! open question, analysed as if a respondent had written it) and SurveyMonkey's choice columns
//! would have no names. [`Headed`] wraps a table reader, detects both exports (or takes the
//! number of header rows it is given), names each column from all its header rows and gives
//! each a question label, then serves the data rows numbered from the first row below the
//! header.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use crate::error::{IoError, Result};
use crate::source::{RowLocation, RowRead, RowSource, SourceSummary, name_columns};

/// The most header rows a table may be given: more is a mistake (a data row count?).
pub const MAX_HEADER_ROWS: usize = 10;

/// A survey tool whose export layout is recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    Qualtrics,
    SurveyMonkey,
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Qualtrics => "Qualtrics",
            Tool::SurveyMonkey => "SurveyMonkey",
        }
    }
}

/// A table whose header may span several rows.
pub(crate) struct Headed {
    path: PathBuf,
    inner: Box<dyn RowSource>,
    columns: Vec<String>,
    questions: Vec<String>,
    /// Rows read ahead while detecting the header, served before the inner reader's.
    ahead: VecDeque<(Vec<String>, RowRead)>,
    /// Header rows below the first: subtracted from the inner reader's record numbers.
    extra: u64,
    tool: Option<Tool>,
}

impl std::fmt::Debug for Headed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Headed")
            .field("path", &self.path)
            .field("columns", &self.columns)
            .field("extra", &self.extra)
            .field("tool", &self.tool)
            .finish_non_exhaustive()
    }
}

impl Headed {
    /// Wraps `inner`, whose first row was read as its header. `rows`: the header's rows,
    /// `None` to detect them (one, unless the table is a Qualtrics or SurveyMonkey export);
    /// `detect`: whether this format can have several (CSV and workbooks; not Parquet or
    /// JSON, whose column names are in their schema).
    ///
    /// # Errors
    /// `rows` is 0 or above [`MAX_HEADER_ROWS`]; the table ends inside the header, or a
    /// header row cannot be read (a ragged CSV row); the inner reader's errors.
    pub(crate) fn new(
        path: &Path,
        inner: Box<dyn RowSource>,
        rows: Option<usize>,
        detect: bool,
    ) -> Result<Headed> {
        check_rows(rows)?;
        let first: Vec<String> = inner
            .columns()
            .iter()
            .map(|c| c.trim_start_matches('\u{feff}').trim().to_owned())
            .collect();
        let mut headed = Headed {
            path: path.to_owned(),
            inner,
            columns: Vec::new(),
            questions: Vec::new(),
            ahead: VecDeque::new(),
            extra: 0,
            tool: None,
        };
        let mut header = vec![first];
        match (rows, detect) {
            (_, false) | (Some(1), _) => {}
            (Some(n), true) => {
                for k in 2..=n {
                    header.push(headed.header_row(k, n)?);
                }
                // The count asked for may be a recognised export's: its columns are then named
                // as detected ones are (a Qualtrics column keeps its code).
                headed.tool = match header.as_slice() {
                    [_, _, ids] if is_import_id_row(ids) => Some(Tool::Qualtrics),
                    [names, below] if is_survey_monkey_header(names, below) => {
                        Some(Tool::SurveyMonkey)
                    }
                    _ => None,
                };
            }
            (None, true) => {
                // Two rows tell both exports apart from a table of answers.
                for _ in 0..2 {
                    let mut fields = Vec::new();
                    match headed.inner.next_row(&mut fields)? {
                        Some(read) => headed.ahead.push_back((fields, read)),
                        None => break,
                    }
                }
                let row = |k: usize| match headed.ahead.get(k) {
                    Some((fields, RowRead::Row(_))) => Some(fields.as_slice()),
                    _ => None,
                };
                // A header row that cannot be read (ragged) is no evidence of an export.
                let tool = if row(0).is_some() && row(1).is_some_and(is_import_id_row) {
                    Some(Tool::Qualtrics)
                } else if row(0).is_some_and(|below| is_survey_monkey_header(&header[0], below)) {
                    Some(Tool::SurveyMonkey)
                } else {
                    None
                };
                let take = match tool {
                    Some(Tool::Qualtrics) => 2,
                    Some(Tool::SurveyMonkey) => 1,
                    None => 0,
                };
                for _ in 0..take {
                    if let Some((fields, _)) = headed.ahead.pop_front() {
                        header.push(fields);
                    }
                }
                headed.tool = tool;
            }
        }
        headed.extra = header.len() as u64 - 1;
        let (columns, questions) = combine(&header, headed.tool);
        headed.columns = name_columns(columns);
        // A column without a question text of its own is asked by its name.
        headed.questions = questions
            .into_iter()
            .zip(&headed.columns)
            .map(|(q, name)| if q.is_empty() { name.clone() } else { q })
            .collect();
        Ok(headed)
    }

    /// Reads header row `k` (2-based: the first is the inner reader's) of `n`.
    fn header_row(&mut self, k: usize, n: usize) -> Result<Vec<String>> {
        let mut fields = Vec::new();
        let problem = match self.inner.next_row(&mut fields)? {
            Some(RowRead::Row(_)) => {
                return Ok(fields.into_iter().map(|f| f.trim().to_owned()).collect());
            }
            Some(RowRead::Unreadable(at, why)) => (at.line, why),
            None => (None, format!("the table ends after {} rows", k - 1)),
        };
        Err(IoError::Header {
            path: self.path.clone(),
            line: problem.0,
            message: format!("header row {k} of {n}: {}", problem.1),
        })
    }

    /// The column names: every header row's text for the column, joined with " / ", with a
    /// BOM and surrounding spaces removed; an empty one is named by position ("column 3").
    pub(crate) fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Each column's question as a respondent saw it: Qualtrics' question text (its column
    /// names are codes like `Q3`), else the column name.
    pub(crate) fn questions(&self) -> &[String] {
        &self.questions
    }

    /// Reads the next data row; see [`RowSource::next_row`]. Records are numbered from the
    /// first row below the header.
    pub(crate) fn next_row(&mut self, fields: &mut Vec<String>) -> Result<Option<RowRead>> {
        let extra = self.extra;
        let read = match self.ahead.pop_front() {
            Some((ahead, read)) => {
                *fields = ahead;
                Some(read)
            }
            None => self.inner.next_row(fields).map_err(|e| renumber_error(e, extra))?,
        };
        let renumber =
            |at: RowLocation| RowLocation { record: at.record.saturating_sub(extra), ..at };
        Ok(read.map(|read| match read {
            RowRead::Row(at) => RowRead::Row(renumber(at)),
            RowRead::Unreadable(at, why) => RowRead::Unreadable(renumber(at), why),
        }))
    }

    /// Finishes the file; see [`RowSource::finish`]. The summary says how many rows the header
    /// took and which survey tool's export was recognised.
    pub(crate) fn finish(self) -> Result<SourceSummary> {
        let mut summary = self.inner.finish()?;
        summary.header_rows = self.extra + 1;
        summary.export = self.tool.map(|t| t.name().to_owned());
        Ok(summary)
    }
}

/// `e` with its record counted from the first row below a header of `extra` more rows than
/// the reader's one (the line is the file's, and stays).
fn renumber_error(e: IoError, extra: u64) -> IoError {
    if extra == 0 {
        return e;
    }
    match e {
        IoError::Encoding { path, record, line, column, byte_offset } => IoError::Encoding {
            path,
            record: record.saturating_sub(extra),
            line,
            column,
            byte_offset,
        },
        IoError::Ragged { path, record, line, found, expected } => {
            IoError::Ragged { path, record: record.saturating_sub(extra), line, found, expected }
        }
        IoError::Csv { path, record, line, message } => {
            IoError::Csv { path, record: record.saturating_sub(extra), line, message }
        }
        IoError::UnclosedQuote { path, record } => {
            IoError::UnclosedQuote { path, record: record.saturating_sub(extra) }
        }
        other => other,
    }
}

/// The most rows above a header taken for a title (a title, a subtitle, notes).
pub(crate) const MAX_TITLE_ROWS: usize = 5;

/// How many of the first rows of a table (`rows`: per row, whether each cell is non-empty)
/// are a title above its header, 0 if none.
///
/// A title is what a report exported from a spreadsheet puts above its table: one to
/// [`MAX_TITLE_ROWS`] rows whose only non-empty cell is the first, then a blank row, above
/// a header of at least two non-empty cells, none of them a number, followed by a row of at
/// least two. Every row must be as wide as the header, as a workbook's rows are: a CSV line
/// of one field above a wider table is a ragged row, not a title. The blank row is what
/// tells a title from a header with one named column ("Comment," above "Too slow,5"): a
/// one-column table never has one detected, nor a table whose first row has two cells.
///
/// `rows`: per row, `None` for a cell that is empty, else whether it is a number.
pub(crate) fn title_rows(rows: &[Vec<Option<bool>>]) -> usize {
    let filled = |row: &[Option<bool>]| row.iter().filter(|c| c.is_some()).count();
    let Some(header) = rows.iter().position(|r| filled(r) >= 2) else { return 0 };
    let width = rows[header].len();
    let titles = &rows[..header];
    let lines = titles.iter().filter(|r| filled(r) > 0).count();
    let is_title = (1..=MAX_TITLE_ROWS).contains(&lines)
        && titles.iter().all(|r| r.len() == width && (filled(r) == 0 || r[0].is_some()))
        && titles.last().is_some_and(|r| filled(r) == 0)
        && rows[header].iter().all(|c| *c != Some(true))
        && rows.get(header + 1).is_some_and(|r| r.len() == width && filled(r) >= 2);
    if is_title { header } else { 0 }
}

/// A cell as [`title_rows`] sees it: `None` if empty, else whether it reads as a number.
pub(crate) fn title_cell(text: &str) -> Option<bool> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.parse::<f64>().is_ok())
}

/// `rows` as an option takes it: 1 to [`MAX_HEADER_ROWS`].
pub(crate) fn check_rows(rows: Option<usize>) -> Result<()> {
    match rows {
        Some(n) if n == 0 || n > MAX_HEADER_ROWS => Err(IoError::InvalidOption {
            option: "header-rows",
            message: format!("{n} header rows: a table's header has 1 to {MAX_HEADER_ROWS} rows"),
        }),
        _ => Ok(()),
    }
}

/// Qualtrics' third header row: every non-empty cell a JSON object starting with its
/// `ImportId` (`{"ImportId":"QID4_TEXT"}`, `{"ImportId":"startDate","timeZone":"Z"}`).
fn is_import_id_row(row: &[String]) -> bool {
    let mut cells = row.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).peekable();
    cells.peek().is_some()
        && cells.all(|c| {
            c.strip_prefix('{').is_some_and(|rest| rest.trim_start().starts_with("\"ImportId\""))
        })
}

/// SurveyMonkey's answer-kind cells in its second header row, which name no choice.
fn is_survey_monkey_kind(cell: &str) -> bool {
    ["response", "open-ended response"].iter().any(|k| cell.trim().eq_ignore_ascii_case(k))
}

/// SurveyMonkey's two header rows: a "Respondent ID" column with nothing below it, and
/// "Response" or "Open-Ended Response" below some question. A data row cannot look so: its
/// respondent id is not empty.
fn is_survey_monkey_header(names: &[String], below: &[String]) -> bool {
    fn cell(row: &[String], c: usize) -> &str {
        row.get(c).map_or("", |s| s.trim())
    }
    let id = names.iter().position(|h| h.trim().eq_ignore_ascii_case("respondent id"));
    id.is_some_and(|id| cell(below, id).is_empty())
        && (0..names.len())
            .any(|c| !cell(names, c).is_empty() && is_survey_monkey_kind(cell(below, c)))
}

/// Column names and question texts from the header's rows.
///
/// - Qualtrics: the names are the first row, the questions the second.
/// - Otherwise each column's name joins its non-empty cells, top to bottom, with " / ". A
///   cell left empty above a non-empty one continues the nearest non-empty cell to its left
///   (a question written once above its choices, or a merged cell); SurveyMonkey's
///   "Response" and "Open-Ended Response" are left out (they name no choice). The questions
///   are the names.
fn combine(rows: &[Vec<String>], tool: Option<Tool>) -> (Vec<String>, Vec<String>) {
    let width = rows.first().map_or(0, Vec::len);
    let cell = |r: usize, c: usize| rows.get(r).and_then(|row| row.get(c)).map_or("", |s| s.trim());
    if tool == Some(Tool::Qualtrics) {
        let names = (0..width).map(|c| cell(0, c).to_owned()).collect();
        let questions = (0..width).map(|c| cell(1, c).to_owned()).collect();
        return (names, questions);
    }
    let mut names = Vec::with_capacity(width);
    // Per header row but the last, the nearest non-empty cell to the left.
    let mut carried = vec![""; rows.len()];
    for c in 0..width {
        // A column with no header text ends every group: nothing carries past it.
        if (0..rows.len()).all(|r| cell(r, c).is_empty()) {
            carried.fill("");
            names.push(String::new());
            continue;
        }
        let mut parts: Vec<&str> = Vec::with_capacity(rows.len());
        for r in 0..rows.len() {
            let mut text = cell(r, c);
            let below = (r + 1..rows.len()).any(|b| !cell(b, c).is_empty());
            if text.is_empty() && below {
                text = carried[r];
            } else if !text.is_empty() {
                carried[r] = text;
            }
            // A cell that starts a column group ends the groups of the rows below it.
            if !cell(r, c).is_empty() {
                for lower in carried.iter_mut().skip(r + 1) {
                    *lower = "";
                }
            }
            let kind = tool == Some(Tool::SurveyMonkey) && r > 0 && is_survey_monkey_kind(text);
            if !text.is_empty() && !kind && parts.last() != Some(&text) {
                parts.push(text);
            }
        }
        names.push(parts.join(" / "));
    }
    let questions = names.clone();
    (names, questions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| (*c).to_owned()).collect()).collect()
    }

    #[test]
    fn survey_monkey_questions_span_their_choices() {
        let header = rows(&[
            &["Respondent ID", "What would you change?", "Who are you?", "", ""],
            &["", "Open-Ended Response", "Patient", "Clinician", "Other (please specify)"],
        ]);
        let (names, questions) = combine(&header, Some(Tool::SurveyMonkey));
        assert_eq!(
            names,
            [
                "Respondent ID",
                "What would you change?",
                "Who are you? / Patient",
                "Who are you? / Clinician",
                "Who are you? / Other (please specify)",
            ]
        );
        assert_eq!(questions, names);
    }

    #[test]
    fn a_generic_header_keeps_every_row_and_does_not_carry_past_a_gap() {
        let header = rows(&[&["id", "Q1", "", "", "", "Q2"], &["", "a", "b", "", "d", "c"]]);
        let (names, _) = combine(&header, None);
        // Column 4 has no header text: it is not part of Q1 (it gets a positional name) and
        // column 5's "d" does not belong to Q1 either.
        assert_eq!(names, ["id", "Q1 / a", "Q1 / b", "", "d", "Q2 / c"]);
        // "Response" is only left out of SurveyMonkey exports.
        let (names, _) = combine(&rows(&[&["Q"], &["Response"]]), None);
        assert_eq!(names, ["Q / Response"]);
    }

    #[test]
    fn qualtrics_names_are_codes_and_questions_are_text() {
        let header = rows(&[
            &["ResponseId", "Q1", "Q2_TEXT"],
            &["Response ID", "What works well?", "Other - Text"],
            &[r#"{"ImportId":"_recordId"}"#, r#"{"ImportId":"QID1"}"#, ""],
        ]);
        assert!(is_import_id_row(&header[2]));
        let (names, questions) = combine(&header, Some(Tool::Qualtrics));
        assert_eq!(names, ["ResponseId", "Q1", "Q2_TEXT"]);
        assert_eq!(questions, ["Response ID", "What works well?", "Other - Text"]);
    }

    #[test]
    fn import_id_rows_are_recognised_strictly() {
        let row = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        assert!(is_import_id_row(&row(&[r#"{ "ImportId": "startDate", "timeZone": "Z" }"#])));
        assert!(!is_import_id_row(&row(&["", " "])));
        assert!(!is_import_id_row(&row(&[r#"{"ImportId":"QID1"}"#, "an answer"])));
        assert!(!is_import_id_row(&row(&["ImportId"])));
    }

    #[test]
    fn titles_are_single_first_cells_above_a_blank_row_and_a_wide_header() {
        // t: text, n: a number, f: empty.
        let (t, n, f) = (Some(false), Some(true), None);
        // Title, blank row, header, data.
        assert_eq!(title_rows(&[vec![t, f, f], vec![f, f, f], vec![t, t, t], vec![n, t, f]]), 2);
        // Title and subtitle, blank row.
        assert_eq!(title_rows(&[vec![t, f], vec![t, f], vec![f, f], vec![t, t], vec![t, n]]), 3);
        // No blank row: a header with one named column ("Comment," above "Too slow,5").
        assert_eq!(title_rows(&[vec![t, f], vec![t, n], vec![t, n]]), 0);
        assert_eq!(title_rows(&[vec![t, f], vec![t, f], vec![t, t], vec![t, t]]), 0);
        // A "header" holding a number is data.
        assert_eq!(title_rows(&[vec![t, f], vec![f, f], vec![t, n], vec![t, n]]), 0);
        // No title: the header is first.
        assert_eq!(title_rows(&[vec![t, t], vec![t, t]]), 0);
        // A one-column table.
        assert_eq!(title_rows(&[vec![t], vec![f], vec![t], vec![t]]), 0);
        // A one-field CSV line above a wider table is ragged, not a title.
        assert_eq!(title_rows(&[vec![t], vec![f, f], vec![t, t], vec![t, t]]), 0);
        // The "title" is not in the first cell.
        assert_eq!(title_rows(&[vec![f, t, f], vec![f, f, f], vec![t, t, t], vec![t, t, t]]), 0);
        // Nothing below the header of two cells, or one cell only.
        assert_eq!(title_rows(&[vec![t, f], vec![f, f], vec![t, t]]), 0);
        assert_eq!(title_rows(&[vec![t, f], vec![f, f], vec![t, t], vec![t, f]]), 0);
        // Too many rows above to be a title.
        let mut rows = vec![vec![t, f]; MAX_TITLE_ROWS + 1];
        rows.extend([vec![f, f], vec![t, t], vec![t, t]]);
        assert_eq!(title_rows(&rows), 0);
        rows.remove(0);
        assert_eq!(title_rows(&rows), MAX_TITLE_ROWS + 1);
        assert_eq!(title_rows(&[]), 0);
        assert_eq!(title_cell(" 4.5 "), Some(true));
        assert_eq!(title_cell("Q1"), Some(false));
        assert_eq!(title_cell("  "), None);
    }

    #[test]
    fn survey_monkey_needs_an_empty_cell_below_the_respondent_id() {
        let row = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        let names = row(&["Respondent ID", "Type", "Comment"]);
        assert!(is_survey_monkey_header(&names, &row(&["", "Response", "Open-Ended Response"])));
        // A data row whose answer happens to be "Response".
        assert!(!is_survey_monkey_header(&names, &row(&["17", "Response", "fine"])));
        // "Response" under no question.
        let names = row(&["Respondent ID", "", "Comment"]);
        assert!(!is_survey_monkey_header(&names, &row(&["", "Response", "fine"])));
    }

    #[test]
    fn header_rows_are_bounded() {
        assert!(check_rows(None).is_ok());
        assert!(check_rows(Some(1)).is_ok());
        assert!(check_rows(Some(MAX_HEADER_ROWS)).is_ok());
        for bad in [0, MAX_HEADER_ROWS + 1] {
            match check_rows(Some(bad)) {
                Err(IoError::InvalidOption { option, .. }) => assert_eq!(option, "header-rows"),
                other => panic!("{bad}: expected InvalidOption, got {other:?}"),
            }
        }
    }
}
