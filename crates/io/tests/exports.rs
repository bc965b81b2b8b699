//! Survey-tool export layouts: headers of several rows (Qualtrics, SurveyMonkey), titles
//! above the header, Excel's `sep=` line.
//!
//! The fixtures under `tests/fixtures/exports/` are written by hand in each tool's layout.

use std::path::{Path, PathBuf};

use thematic_io::{
    ColumnMap, IngestOptions, IoError, RawTable, ReadOptions, RowLocation, ingest, read_table,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exports").join(name)
}

fn read(name: &str, options: &ReadOptions) -> RawTable {
    read_table(fixture(name), options).unwrap_or_else(|e| panic!("{e}"))
}

fn cells(table: &RawTable) -> Vec<Vec<String>> {
    table.rows.iter().map(|(_, cells)| cells.clone().unwrap_or_else(|e| panic!("{e}"))).collect()
}

fn locations(table: &RawTable) -> Vec<RowLocation> {
    table.rows.iter().map(|(at, _)| *at).collect()
}

fn at(record: u64, line: u64) -> RowLocation {
    RowLocation { record, line: Some(line) }
}

/// A temporary CSV file with `text`.
fn temp_csv(text: &str) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    std::fs::write(file.path(), text).unwrap();
    file
}

#[test]
fn qualtrics_export_reads_its_three_header_rows() {
    let table = read("qualtrics.csv", &ReadOptions::default());
    assert_eq!(
        table.columns,
        [
            "StartDate",
            "EndDate",
            "Status",
            "Progress",
            "Finished",
            "ResponseId",
            "Q1",
            "Q2",
            "Q3_TEXT",
            "Q4"
        ]
    );
    assert_eq!(table.questions[6], "Which of these best describes you?");
    assert_eq!(table.questions[8], "What should change? - Text");
    assert_eq!(table.summary.header_rows, 3);
    assert_eq!(table.summary.export.as_deref(), Some("Qualtrics"));
    // The question texts and import ids are not answers: the data starts at line 4, and the
    // first answer spans two lines.
    assert_eq!(locations(&table), [at(1, 4), at(2, 6), at(3, 7)]);
    let rows = cells(&table);
    assert_eq!(rows[0][5], "R_1a2B3c4D5e6F7g8");
    assert!(rows[0][8].ends_with("Send them by text message instead."), "{:?}", rows[0][8]);
    assert_eq!(rows[2][7], "");
}

#[test]
fn one_header_row_when_asked_reads_the_qualtrics_rows_as_data() {
    let options = ReadOptions { header_rows: Some(1), ..ReadOptions::default() };
    let table = read("qualtrics.csv", &options);
    assert_eq!(table.summary.header_rows, 1);
    assert_eq!(table.summary.export, None);
    assert_eq!(table.questions, table.columns);
    assert_eq!(table.rows.len(), 5);
    assert_eq!(cells(&table)[0][7], "What works well in the service today?");
    assert_eq!(locations(&table)[..2], [at(1, 2), at(2, 3)]);
}

#[test]
fn qualtrics_wide_answers_are_asked_by_their_question_text() {
    let options = IngestOptions {
        columns: ColumnMap {
            respondent: Some("ResponseId".to_owned()),
            // By question text: the column is Q1.
            group: vec!["Which of these best describes you?".to_owned()],
            attributes: vec!["Q4".to_owned()],
            ..ColumnMap::default()
        },
        // By code, and by a pattern over the question text.
        wide: Some(vec!["Q2".to_owned(), "What should change*".to_owned()]),
        ..IngestOptions::default()
    };
    let (responses, report) =
        ingest(&[fixture("qualtrics.csv")], &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((report.read, report.kept), (6, 4));
    assert_eq!(report.read, report.kept + report.dropped_total());
    let ids: Vec<&str> = responses.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["1:Q2", "1:Q3_TEXT", "2:Q2", "2:Q3_TEXT"]);
    let questions: Vec<&str> = responses.iter().filter_map(|r| r.question.as_deref()).collect();
    assert_eq!(
        questions,
        [
            "What works well in the service today?",
            "What should change? - Text",
            "What works well in the service today?",
            "What should change? - Text",
        ]
    );
    assert_eq!(responses[2].respondent.as_deref(), Some("R_2b3C4d5E6f7G8h9"));
    assert_eq!(responses[2].group.as_deref(), Some("Clinician"));
    assert_eq!(responses[0].attributes[0].0.as_ref(), "Q4");
    // The partial response's empty answers are accounted for at its own record and line.
    let dropped: Vec<(RowLocation, Option<&str>)> =
        report.dropped_rows.iter().map(|d| (d.location, d.column.as_deref())).collect();
    assert_eq!(dropped, [(at(3, 7), Some("Q2")), (at(3, 7), Some("Q3_TEXT"))]);
    let input = &report.inputs[0];
    assert_eq!(input.source.export.as_deref(), Some("Qualtrics"));
    assert_eq!(input.columns[7], "Q2");
}

#[test]
fn survey_monkey_questions_name_their_choice_columns() {
    let table = read("surveymonkey.csv", &ReadOptions::default());
    assert_eq!(
        table.columns,
        [
            "Respondent ID",
            "Collector ID",
            "Start Date",
            "End Date",
            "Which of these best describes you?",
            "Which services have you used in the last year? / GP practice",
            "Which services have you used in the last year? / Hospital",
            "Which services have you used in the last year? / Other (please specify)",
            "What would most improve digital clinical safety?",
        ]
    );
    assert_eq!(table.questions, table.columns);
    assert_eq!(table.summary.header_rows, 2);
    assert_eq!(table.summary.export.as_deref(), Some("SurveyMonkey"));
    assert_eq!(locations(&table), [at(1, 3), at(2, 4), at(3, 5)]);
    assert_eq!(cells(&table)[1][7], "Community pharmacy");
}

#[test]
fn survey_monkey_export_ingests_wide_with_choice_attributes() {
    let options = IngestOptions {
        columns: ColumnMap {
            respondent: Some("Respondent ID".to_owned()),
            group: vec!["Which of these best describes you?".to_owned()],
            attributes: vec!["Which services*".to_owned()],
            ..ColumnMap::default()
        },
        wide: Some(vec!["What would most improve*".to_owned()]),
        ..IngestOptions::default()
    };
    let (responses, report) =
        ingest(&[fixture("surveymonkey.csv")], &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((report.read, report.kept, report.dropped_total()), (3, 2, 1));
    assert_eq!(responses[1].group.as_deref(), Some("Clinician"));
    assert_eq!(responses[1].respondent.as_deref(), Some("114023791178"));
    let attributes: Vec<(&str, &str)> =
        responses[1].attributes.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
    assert_eq!(
        attributes,
        [
            ("Which services have you used in the last year? / Hospital", "Hospital"),
            (
                "Which services have you used in the last year? / Other (please specify)",
                "Community pharmacy"
            ),
        ]
    );
}

#[test]
fn a_title_above_the_header_is_skipped_and_counted() {
    let table = read("titled.csv", &ReadOptions::default());
    assert_eq!(table.columns, ["id", "text", "group"]);
    assert_eq!(table.summary.skipped_rows, 1);
    assert_eq!(locations(&table), [at(1, 4), at(2, 5)]);
    assert_eq!(cells(&table)[1][2], "Clinician");

    let asked = read("titled.csv", &ReadOptions { skip_rows: Some(1), ..ReadOptions::default() });
    assert_eq!(asked.columns, table.columns);
    assert_eq!(cells(&asked), cells(&table));
    assert_eq!(asked.summary.skipped_rows, 1);

    // Asked to skip nothing, the title is the header, as the file says.
    let none = read("titled.csv", &ReadOptions { skip_rows: Some(0), ..ReadOptions::default() });
    assert_eq!(
        none.columns,
        ["Digital clinical safety consultation: export of 2026-03-04", "column 2", "column 3"]
    );
    assert_eq!(none.summary.skipped_rows, 0);
    assert_eq!(cells(&none)[1], ["id", "text", "group"]);
}

#[test]
fn skipping_more_rows_than_a_file_has_is_an_empty_file() {
    let options = ReadOptions { skip_rows: Some(50), ..ReadOptions::default() };
    for name in ["titled.csv", "qualtrics.csv"] {
        match read_table(fixture(name), &options) {
            Err(IoError::Empty { path }) => assert!(path.ends_with(name)),
            other => panic!("{name}: expected Empty, got {other:?}"),
        }
    }
}

#[test]
fn a_one_field_line_above_a_wider_table_is_not_a_title() {
    // Hand-written, not saved from a spreadsheet: the line is a one-column header whose rows
    // are ragged, and reading it so shows the analyst the problem.
    let file = temp_csv("note\nid,text\n1,hello\n");
    let table = read_table(file.path(), &ReadOptions::default()).unwrap();
    assert_eq!(table.columns, ["note"]);
    assert_eq!(table.summary.skipped_rows, 0);
    assert!(table.rows.iter().all(|(_, cells)| cells.is_err()));
    // Asked for, it is skipped.
    let options = ReadOptions { skip_rows: Some(1), ..ReadOptions::default() };
    let table = read_table(file.path(), &options).unwrap();
    assert_eq!(table.columns, ["id", "text"]);
    assert_eq!(cells(&table), [["1", "hello"]]);
}

#[test]
fn excel_sep_line_names_the_delimiter() {
    let table = read("sep_hint.csv", &ReadOptions::default());
    assert_eq!(table.summary.delimiter, Some(';'));
    assert_eq!(table.columns, ["id", "text", "group"]);
    assert_eq!(cells(&table)[0][1], "Publish incident learning openly, every quarter.");
    assert_eq!(locations(&table), [at(1, 3), at(2, 4)]);
    // The hint is not a skipped title row.
    assert_eq!(table.summary.skipped_rows, 0);
    // A delimiter given wins over the hint.
    let options = ReadOptions { delimiter: Some(b','), ..ReadOptions::default() };
    let table = read_table(fixture("sep_hint.csv"), &options).unwrap();
    assert_eq!(table.summary.delimiter, Some(','));
}

#[test]
fn header_rows_asked_for_join_every_row() {
    let file = temp_csv("id,Q1,,Q2\n,a,b,\n1,x,y,z\n");
    let options = ReadOptions { header_rows: Some(2), ..ReadOptions::default() };
    let table = read_table(file.path(), &options).unwrap();
    assert_eq!(table.columns, ["id", "Q1 / a", "Q1 / b", "Q2"]);
    assert_eq!(table.summary.header_rows, 2);
    assert_eq!(table.summary.export, None);
    assert_eq!(locations(&table), [at(1, 3)]);
    // Detected, the same file has one header row: nothing marks it as an export.
    let table = read_table(file.path(), &ReadOptions::default()).unwrap();
    assert_eq!(table.columns, ["id", "Q1", "column 3", "Q2"]);
    assert_eq!(table.rows.len(), 2);
}

#[test]
fn a_header_past_the_end_or_ragged_is_an_error_naming_the_row() {
    let file = temp_csv("id,text\n,answer\n");
    let options = ReadOptions { header_rows: Some(3), ..ReadOptions::default() };
    let err = read_table(file.path(), &options).unwrap_err();
    match &err {
        IoError::Header { path, line: None, message } => {
            assert_eq!(path, file.path());
            assert_eq!(message, "header row 3 of 3: the table ends after 2 rows");
        }
        other => panic!("expected Header, got {other:?}"),
    }

    let file = temp_csv("id,text\nonly one field\n1,hello\n");
    let options = ReadOptions { header_rows: Some(2), ..ReadOptions::default() };
    let err = read_table(file.path(), &options).unwrap_err();
    match &err {
        IoError::Header { line: Some(2), message, .. } => {
            assert!(message.starts_with("header row 2 of 2: has 1 field"), "{message}");
        }
        other => panic!("expected Header at line 2, got {other:?}"),
    }
    assert!(err.to_string().contains("line 2: header row 2 of 2"), "{err}");

    for bad in [0, 11] {
        let options = ReadOptions { header_rows: Some(bad), ..ReadOptions::default() };
        match read_table(file.path(), &options) {
            Err(IoError::InvalidOption { option: "header-rows", .. }) => {}
            other => panic!("{bad}: expected InvalidOption, got {other:?}"),
        }
    }
}

#[test]
fn parquet_and_json_have_no_header_rows_to_find() {
    // Their column names are in the schema: asking for header rows changes nothing.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    let options = ReadOptions { header_rows: Some(3), ..ReadOptions::default() };
    for name in ["survey.parquet", "survey.json"] {
        let asked = read_table(dir.join(name), &options).unwrap_or_else(|e| panic!("{e}"));
        let plain = read_table(dir.join(name), &ReadOptions::default()).unwrap();
        assert_eq!(asked.columns, plain.columns);
        assert_eq!(asked.rows, plain.rows);
        assert_eq!(asked.summary.header_rows, 1);
    }
}

#[test]
fn a_header_with_one_named_column_is_not_a_title() {
    // Saved from Excel with an unnamed second column: no blank row, and a number below.
    let file = temp_csv("Comment,\nToo slow,5\nGreat,4\n");
    let table = read_table(file.path(), &ReadOptions::default()).unwrap();
    assert_eq!(table.columns, ["Comment", "column 2"]);
    assert_eq!(table.summary.skipped_rows, 0);
    assert_eq!(cells(&table), [["Too slow", "5"], ["Great", "4"]]);
}

#[test]
fn header_rows_asked_for_start_at_the_first_row() {
    // A question written once above its choices is a header row, not a title, when the
    // header's rows are given.
    let file = temp_csv("Which services did you use?,,\n,,\nGP,Hospital,Pharmacy\nyes,no,yes\n");
    let options = ReadOptions { header_rows: Some(3), ..ReadOptions::default() };
    let table = read_table(file.path(), &options).unwrap();
    assert_eq!(
        table.columns,
        [
            "Which services did you use? / GP",
            "Which services did you use? / Hospital",
            "Which services did you use? / Pharmacy"
        ]
    );
    assert_eq!(table.summary.skipped_rows, 0);
    assert_eq!(cells(&table), [["yes", "no", "yes"]]);
}

#[test]
fn a_recognised_export_keeps_its_names_when_its_header_rows_are_given() {
    let detected = read("qualtrics.csv", &ReadOptions::default());
    let given =
        read("qualtrics.csv", &ReadOptions { header_rows: Some(3), ..ReadOptions::default() });
    assert_eq!(given.columns, detected.columns);
    assert_eq!(given.questions, detected.questions);
    assert_eq!(given.summary.export.as_deref(), Some("Qualtrics"));
    assert_eq!(given.rows, detected.rows);
    let given =
        read("surveymonkey.csv", &ReadOptions { header_rows: Some(2), ..ReadOptions::default() });
    assert_eq!(given.columns, read("surveymonkey.csv", &ReadOptions::default()).columns);
}

#[test]
fn errors_below_a_header_of_several_rows_count_records_from_the_data() {
    let header: String = std::fs::read_to_string(fixture("qualtrics.csv"))
        .unwrap()
        .lines()
        .take(3)
        .map(|l| format!("{l}\n"))
        .collect();
    let file = temp_csv(&format!("{header}2026-03-02,2026-03-02,IP Address,100\n"));
    let options = ReadOptions { strict: true, ..ReadOptions::default() };
    match read_table(file.path(), &options) {
        Err(IoError::Ragged { record, line, found, expected, .. }) => {
            assert_eq!((record, line, found, expected), (1, 4, 4, 10));
        }
        other => panic!("expected Ragged, got {other:?}"),
    }
    let file = temp_csv(&format!("{header}a,b,c,d,e,f,g,h,i,\"never closed\n"));
    match read_table(file.path(), &ReadOptions::default()) {
        Err(IoError::UnclosedQuote { record, .. }) => assert_eq!(record, 1),
        other => panic!("expected UnclosedQuote, got {other:?}"),
    }
}

#[test]
fn a_data_row_answering_response_is_not_a_survey_monkey_header() {
    let file = temp_csv("Respondent ID,Type,Comment\n17,Response,fine\n18,Other,good\n");
    let table = read_table(file.path(), &ReadOptions::default()).unwrap();
    assert_eq!(table.summary.header_rows, 1);
    assert_eq!(table.summary.export, None);
    assert_eq!(table.rows.len(), 2);
}

#[test]
fn one_answer_to_two_loop_items_with_one_question_text_is_not_a_duplicate() {
    // Qualtrics loop and merge: one question per item, the same text (its piping unresolved).
    let file = temp_csv(
        "ResponseId,1_Q3,2_Q3\nResponse ID,Why ${lm://Field/1}?,Why ${lm://Field/1}?\n\
         \"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":\"\"1_QID3\"\"}\",\
         \"{\"\"ImportId\"\":\"\"2_QID3\"\"}\"\nR_1,Too slow to log in,Too slow to log in\n",
    );
    let options = IngestOptions {
        columns: ColumnMap { respondent: Some("ResponseId".to_owned()), ..ColumnMap::default() },
        wide: Some(vec!["*_Q3".to_owned()]),
        ..IngestOptions::default()
    };
    let (responses, report) = ingest(&[file.path()], &options).unwrap();
    assert_eq!((report.read, report.kept), (2, 2), "{:?}", report.dropped_rows);
    assert_eq!(responses[1].question.as_deref(), Some("Why ${lm://Field/1}?"));
}
