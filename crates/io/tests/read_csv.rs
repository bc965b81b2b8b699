//! Reading CSV exports: every record accounted for, clear errors for bad files.

use std::path::PathBuf;

use thematic_io::{CsvOptions, Encoding, IoError, read_csv};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

#[test]
fn long_format_with_quotes_newlines_and_empty_text() {
    let (rows, report) = read_csv(fixture("long.csv"), &CsvOptions::default()).unwrap();
    assert_eq!(report.records, 3);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].id, "r1");
    assert_eq!(rows[0].respondent.as_deref(), Some("p1"));
    assert_eq!(rows[0].group.as_deref(), Some("Clinicians"));
    assert_eq!(rows[0].question.as_deref(), Some("Q1"));
    assert_eq!(rows[0].text, "Alert fatigue, everywhere");
    assert_eq!(rows[1].text, "Line one\nline two \"quoted\"");
    // An empty answer is still a response: the reader never drops a record.
    assert_eq!(rows[2].text, "");
    assert_eq!(rows[2].provenance.as_ref().unwrap().record, 3);
    assert_eq!(report.sha256.len(), 64);
    assert_eq!(report.bytes, std::fs::metadata(fixture("long.csv")).unwrap().len());
}

#[test]
fn sha256_is_of_the_whole_file() {
    let (_, report) = read_csv(fixture("header_only.csv"), &CsvOptions::default()).unwrap();
    // `sha256sum crates/io/tests/fixtures/header_only.csv`
    assert_eq!(report.sha256, "3d957d6d3b4b9e1a200394ef08cac6c65216f33c2b7e58cfb41570892ac4df9e");
    assert_eq!(report.records, 0);
}

#[test]
fn utf8_bom_is_skipped() {
    let (rows, report) = read_csv(fixture("bom.csv"), &CsvOptions::default()).unwrap();
    assert_eq!(report.columns, ["id", "text"]);
    assert_eq!(rows[0].text, "café with BOM");
}

#[test]
fn tsv_with_spaced_column_names_mapped_by_option() {
    let options = CsvOptions {
        text_column: Some("your answer".into()),
        id_column: Some("Response ID".into()),
        group_column: Some("Stakeholder group".into()),
        ..CsvOptions::default()
    };
    let (rows, report) = read_csv(fixture("spaces.tsv"), &options).unwrap();
    assert_eq!(rows[0].id, "7");
    assert_eq!(rows[0].group.as_deref(), Some("Suppliers and industry"));
    assert_eq!(rows[0].text, "Interoperability standards");
    assert!(report.mapping.contains(&("text".into(), "Your answer".into())));
}

#[test]
fn ids_default_to_record_numbers() {
    let (rows, _) = read_csv(fixture("bom.csv"), &CsvOptions::default()).unwrap();
    assert_eq!(rows[0].id, "1");
    let (rows, report) = read_csv(
        fixture("spaces.tsv"),
        &CsvOptions { text_column: Some("Your answer".into()), ..CsvOptions::default() },
    )
    .unwrap();
    assert_eq!(rows[0].id, "1");
    assert!(!report.mapping.iter().any(|(role, _)| role == "id"));
}

#[test]
fn missing_columns_are_named_with_the_header() {
    let e = read_csv(fixture("no_text_column.csv"), &CsvOptions::default()).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, IoError::MissingColumn { role: "text", .. }), "{msg}");
    assert!(msg.contains("no_text_column.csv") && msg.contains("\"comment\""), "{msg}");
    let options = CsvOptions { group_column: Some("Group".into()), ..CsvOptions::default() };
    let e = read_csv(fixture("bom.csv"), &options).unwrap_err();
    assert!(matches!(e, IoError::MissingColumn { role: "group", .. }));
}

#[test]
fn invalid_utf8_names_record_column_and_offset() {
    // Chosen as UTF-8, the file is an error naming where; detected, it would be read as
    // windows-1252.
    let utf8 = CsvOptions { encoding: Encoding::Utf8, ..CsvOptions::default() };
    let e = read_csv(fixture("invalid_utf8.csv"), &utf8).unwrap_err();
    match &e {
        IoError::Encoding { record, line, column, byte_offset, .. } => {
            assert_eq!((*record, *line, column.as_str()), (2, 3, "text"));
            // "id,text\n1,fine\n2,bad " is 21 bytes: the bad byte is at offset 21.
            assert_eq!(*byte_offset, 21);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(e.to_string().contains("invalid_utf8.csv"));
}

#[test]
fn ragged_rows_name_the_record_and_line() {
    let e = read_csv(fixture("ragged.csv"), &CsvOptions::default()).unwrap_err();
    assert!(
        matches!(e, IoError::Ragged { record: 2, line: 3, found: 3, expected: 2, .. }),
        "{e:?}"
    );
}

#[test]
fn unclosed_quote_is_an_error_not_a_silent_merge() {
    let e = read_csv(fixture("unclosed_quote.csv"), &CsvOptions::default()).unwrap_err();
    assert!(matches!(e, IoError::UnclosedQuote { record: 1, .. }), "{e:?}");
    assert!(e.to_string().contains("unclosed_quote.csv"));
    // A properly closed quote with escaped quotes and newlines inside is fine.
    assert!(read_csv(fixture("long.csv"), &CsvOptions::default()).is_ok());
}

#[test]
fn empty_file_and_header_only() {
    let e = read_csv(fixture("empty.csv"), &CsvOptions::default()).unwrap_err();
    assert!(matches!(e, IoError::Empty { .. }));
    let (rows, report) = read_csv(fixture("header_only.csv"), &CsvOptions::default()).unwrap();
    assert!(rows.is_empty());
    assert_eq!(report.records, 0);
}

#[test]
fn missing_file_is_an_io_error_naming_it() {
    let e = read_csv(fixture("nope.csv"), &CsvOptions::default()).unwrap_err();
    assert!(matches!(e, IoError::Io { .. }));
    assert!(e.to_string().contains("nope.csv"));
}

#[test]
fn a_one_megabyte_cell_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.csv");
    let big = "safety ".repeat(150_000);
    std::fs::write(&path, format!("id,text\n1,\"{big}\"\n2,small\n")).unwrap();
    let (rows, _) = read_csv(&path, &CsvOptions::default()).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].text.len(), big.len());
}
