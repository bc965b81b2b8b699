//! Parquet, JSON/JSONL and XLSX/XLS/ODS inputs through `read_table`.
//!
//! The fixtures under `tests/fixtures/formats/` are written by `make_fixtures.py` there; every
//! well-formed one holds the same consultation table, so each format must give exactly the
//! cells of [`TABLE`].

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use sha2::{Digest, Sha256};
use thematic_io::{Format, IoError, RawTable, ReadOptions, RowLocation, read_table};

const COLUMNS: [&str; 9] = [
    "id",
    "respondent_id",
    "group",
    "question",
    "text",
    "weight",
    "submitted",
    "submitted_at",
    "consent",
];

const TABLE: [[&str; 9]; 6] = [
    [
        "1",
        "1001",
        "Residents",
        "Q1",
        "I support the new cycle lanes.",
        "1",
        "2024-03-01",
        "2024-03-01T09:30:00",
        "true",
    ],
    [
        "2",
        "1002",
        "Business",
        "Q1",
        "Café — naïve £ pricing worries me.",
        "0.5",
        "2024-03-02",
        "2024-03-02T14:05:59",
        "false",
    ],
    ["3", "1003", "Residents", "Q1", "", "2.25", "2024-03-02", "2024-03-02T18:00:00", "true"],
    [
        "4",
        "1004",
        "Charity",
        "Q2",
        "More buses, please.\nAnd safer crossings.",
        "1",
        "2024-03-03",
        "2024-03-03T08:15:00",
        "true",
    ],
    ["5", "1005", "Business", "Q2", "0042", "0.1", "2024-03-04", "2024-03-04T23:59:00", "false"],
    [
        "6",
        "1006",
        "Residents",
        "Q2",
        "Keep the park open late.",
        "3",
        "2024-03-05",
        "2024-03-05T12:00:00",
        "true",
    ],
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats").join(name)
}

fn read(name: &str) -> RawTable {
    read_table(fixture(name), &ReadOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read_sheet(name: &str, sheet: &str) -> thematic_io::Result<RawTable> {
    let options = ReadOptions { sheet: Some(sheet.to_owned()), ..ReadOptions::default() };
    read_table(fixture(name), &options)
}

/// The rows' cells, failing on an unreadable row.
fn cells(table: &RawTable) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|(at, row)| match row {
            Ok(cells) => cells.clone(),
            Err(why) => panic!("{at}: unreadable: {why}"),
        })
        .collect()
}

fn locations(table: &RawTable) -> Vec<RowLocation> {
    table.rows.iter().map(|(at, _)| *at).collect()
}

fn sha256_hex(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Asserts that `name` holds exactly the shared table, with rows on `lines`.
fn assert_shared_table(name: &str, lines: [Option<u64>; 6]) -> RawTable {
    let table = read(name);
    assert_eq!(table.columns, COLUMNS, "{name}: columns");
    let expected: Vec<Vec<String>> =
        TABLE.iter().map(|row| row.iter().map(|c| (*c).to_owned()).collect()).collect();
    let got = cells(&table);
    for (i, (got, want)) in got.iter().zip(&expected).enumerate() {
        assert_eq!(got, want, "{name}: record {}", i + 1);
    }
    assert_eq!(got.len(), expected.len(), "{name}: row count");
    let want_at: Vec<RowLocation> =
        (1..=6u64).zip(lines).map(|(record, line)| RowLocation { record, line }).collect();
    assert_eq!(locations(&table), want_at, "{name}: locations");

    let path = fixture(name);
    assert_eq!(table.summary.sha256, sha256_hex(&path), "{name}: sha256");
    assert_eq!(table.summary.bytes, std::fs::metadata(&path).unwrap().len(), "{name}: bytes");
    table
}

#[test]
fn parquet_gives_the_shared_table() {
    let table = assert_shared_table("survey.parquet", [None; 6]);
    assert_eq!(table.summary.encoding, None);
    assert_eq!(table.summary.sheet, None);
}

#[test]
fn json_array_gives_the_shared_table() {
    let table = assert_shared_table("survey.json", [None; 6]);
    assert_eq!(table.summary.encoding.as_deref(), Some("UTF-8"));
}

#[test]
fn json_object_holding_the_records_gives_the_shared_table() {
    let table = assert_shared_table("survey_wrapped.json", [None; 6]);
    assert_eq!(table.summary.encoding.as_deref(), Some("UTF-8"));
}

#[test]
fn jsonl_gives_the_shared_table_with_line_numbers_past_a_blank_line() {
    // A blank line follows record 2.
    let lines = [Some(1), Some(2), Some(4), Some(5), Some(6), Some(7)];
    let table = assert_shared_table("survey.jsonl", lines);
    assert_eq!(table.summary.encoding.as_deref(), Some("UTF-8"));
}

#[test]
fn xlsx_gives_the_shared_table_with_sheet_rows() {
    let lines = [Some(2), Some(3), Some(4), Some(5), Some(6), Some(7)];
    let table = assert_shared_table("survey.xlsx", lines);
    assert_eq!(table.summary.sheet.as_deref(), Some("Responses"));
    assert_eq!(table.summary.encoding, None);
}

#[test]
fn xls_gives_the_shared_table() {
    let lines = [Some(2), Some(3), Some(4), Some(5), Some(6), Some(7)];
    let table = assert_shared_table("survey.xls", lines);
    assert_eq!(table.summary.sheet.as_deref(), Some("Responses"));
}

#[test]
fn ods_gives_the_shared_table() {
    let lines = [Some(2), Some(3), Some(4), Some(5), Some(6), Some(7)];
    let table = assert_shared_table("survey.ods", lines);
    assert_eq!(table.summary.sheet.as_deref(), Some("Responses"));
}

#[test]
fn explicit_format_overrides_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.dat");
    std::fs::copy(fixture("survey.jsonl"), &path).unwrap();
    let options = ReadOptions { format: Some(Format::Jsonl), ..ReadOptions::default() };
    let table = read_table(&path, &options).unwrap();
    assert_eq!(table.columns, COLUMNS);
    assert_eq!(table.rows.len(), 6);
}

#[test]
fn sheet_by_name_number_and_any_case() {
    let lookup = [vec!["Q1", "Cycle lanes"], vec!["Q2", "Public transport"]];
    for wanted in ["Lookup", "2", "lookup", " LOOKUP "] {
        let table = read_sheet("survey.xlsx", wanted).unwrap_or_else(|e| panic!("{wanted}: {e}"));
        assert_eq!(table.columns, ["code", "label"], "{wanted:?}");
        assert_eq!(cells(&table), lookup, "{wanted:?}");
        assert_eq!(table.summary.sheet.as_deref(), Some("Lookup"), "{wanted:?}");
    }
    for name in ["survey.xls", "survey.ods"] {
        let table = read_sheet(name, "lookup").unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(cells(&table), lookup, "{name}");
    }
    let first = read_sheet("survey.xlsx", "1").unwrap();
    assert_eq!(first.columns, COLUMNS);
}

#[test]
fn unknown_sheet_lists_the_sheets() {
    for wanted in ["Answers", "4", "0"] {
        let err = read_sheet("survey.xlsx", wanted).unwrap_err();
        match &err {
            IoError::NoSheet { path, sheet, available } => {
                assert!(path.ends_with("survey.xlsx"));
                assert_eq!(sheet, wanted);
                assert_eq!(available, r#""Responses", "Lookup", "Titled""#);
            }
            other => panic!("{wanted}: expected NoSheet, got {other:?}"),
        }
        assert!(err.to_string().contains("survey.xlsx"), "{err}");
    }
}

#[test]
fn title_row_above_the_header_is_detected_and_skipped() {
    // Row 1 is a title, row 2 blank, the header row 3; row 6 is blank and row 7 has #DIV/0!.
    let table = read_sheet("survey.xlsx", "Titled").unwrap();
    assert_eq!(table.columns, ["id", "text", "score"]);
    assert_eq!(table.summary.skipped_rows, 1);
    assert_eq!(
        cells(&table),
        [
            vec!["1", "First answer", "10"],
            vec!["2", "Second answer", "7.5"],
            vec!["3", "Third answer", ""],
        ]
    );
    let lines: Vec<Option<u64>> = locations(&table).iter().map(|at| at.line).collect();
    assert_eq!(lines, [Some(4), Some(5), Some(7)]);
    let records: Vec<u64> = locations(&table).iter().map(|at| at.record).collect();
    assert_eq!(records, [1, 2, 3]);

    // Asked to skip nothing, the title is the header.
    let options = ReadOptions {
        sheet: Some("Titled".to_owned()),
        skip_rows: Some(0),
        ..ReadOptions::default()
    };
    let table = read_table(fixture("survey.xlsx"), &options).unwrap();
    assert_eq!(table.columns, ["Transport consultation — export", "column 2", "column 3"]);
    assert_eq!(table.summary.skipped_rows, 0);
    assert_eq!(cells(&table)[0], ["id", "text", "score"]);
    assert_eq!(locations(&table)[0], RowLocation { record: 1, line: Some(3) });
}

#[test]
fn error_cell_fails_only_when_strict() {
    let options =
        ReadOptions { sheet: Some("Titled".to_owned()), strict: true, ..ReadOptions::default() };
    let err = read_table(fixture("survey.xlsx"), &options).unwrap_err();
    match &err {
        IoError::Format { format, location, message, .. } => {
            assert_eq!(*format, "XLSX");
            assert_eq!(location, "row 7, column \"score\": ");
            assert!(message.contains("#DIV/0!"), "{message}");
        }
        other => panic!("expected Format, got {other:?}"),
    }
    assert!(err.to_string().contains("survey.xlsx"), "{err}");
}

#[test]
fn wide_workbook_keeps_every_column() {
    let table = read("wide.xlsx");
    assert_eq!(table.columns, ["respondent_id", "Organisation type", "Q1", "Q2", "Q3"]);
    assert_eq!(
        cells(&table),
        [
            vec!["2001", "Resident", "More trees.", "Fewer cars.", ""],
            vec!["2002", "Business", "Parking matters.", "", "Deliveries need access."],
            vec!["2003", "Charity", "", "Café — naïve £ support.", "Accessible buses."],
        ]
    );
    assert_eq!(table.summary.sheet.as_deref(), Some("Sheet1"));
}

#[test]
fn nested_json_records_become_dotted_columns_and_lists_json() {
    let table = read("nested.json");
    assert_eq!(table.columns, ["id", "answers.q1", "answers.q2", "answers.detail.rating", "tags"]);
    assert_eq!(
        cells(&table),
        [
            vec!["1", "Yes, more lanes.", "", "4", r#"["cycling","safety"]"#],
            vec!["2", "Café — naïve £", "Buses", "2.5", "[]"],
            // "answers": null and "tags": null.
            vec!["3", "", "", "", ""],
        ]
    );
}

#[test]
fn nested_parquet_structs_lists_dictionaries_and_utc_times() {
    let table = read("nested.parquet");
    assert_eq!(
        table.columns,
        ["id", "answers.q1", "answers.detail.rating", "tags", "channel", "submitted_utc", "raw"]
    );
    assert_eq!(
        cells(&table),
        [
            vec![
                "1",
                "Yes, more lanes.",
                "4",
                r#"["cycling","safety"]"#,
                "online",
                "2024-03-01T09:30:00.25Z",
                "abc",
            ],
            vec!["2", "Café — naïve £", "2.5", "[]", "paper", "2024-03-02T00:00:00Z", ""],
            // A null struct: its fields are empty too.
            vec!["3", "", "", "", "online", "", "café"],
        ]
    );
}

#[test]
fn empty_json_array_has_no_columns_and_no_rows() {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in [
        ("a.json", "[]"),
        ("b.json", " [ ]\n"),
        ("c.json", "\u{feff}[]"),
        ("d.json", r#"{"survey": "x", "responses": []}"#),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        let table = read_table(&path, &ReadOptions::default()).unwrap();
        assert!(table.columns.is_empty(), "{name}");
        assert!(table.rows.is_empty(), "{name}");
    }
}

#[test]
fn json_with_a_bom_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.jsonl");
    std::fs::write(&path, "\u{feff}{\"text\": \"hello\"}\n{\"text\": \"world\"}\n").unwrap();
    let table = read_table(&path, &ReadOptions::default()).unwrap();
    assert_eq!(table.columns, ["text"]);
    assert_eq!(cells(&table), [vec!["hello"], vec!["world"]]);
    assert_eq!(locations(&table)[1], RowLocation { record: 2, line: Some(2) });
}

#[test]
fn json_keys_first_seen_late_and_mixed_types_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("late.json");
    // 150 records, the key "late" first appears in the last one (past polars' default
    // inference window of 100 records).
    let mut body = String::from("[");
    for i in 0..150 {
        if i > 0 {
            body.push(',');
        }
        if i == 149 {
            body.push_str(r#"{"id": 149, "late": "here"}"#);
        } else {
            body.push_str(&format!(r#"{{"id": {i}}}"#));
        }
    }
    body.push(']');
    std::fs::write(&path, body).unwrap();
    let table = read_table(&path, &ReadOptions::default()).unwrap();
    assert_eq!(table.columns, ["id", "late"]);
    assert_eq!(table.rows.len(), 150);
    assert_eq!(cells(&table)[149], ["149", "here"]);
    assert_eq!(cells(&table)[0], ["0", ""]);
}

#[test]
fn object_without_one_array_of_records_is_a_format_error() {
    let dir = tempfile::tempdir().unwrap();
    for (name, body, says) in [
        ("none.json", r#"{"survey": "x", "count": 3}"#, "no array of records"),
        ("two.json", r#"{"a": [{"x": 1}], "b": [{"y": 2}]}"#, "2 arrays of records"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        let err = read_table(&path, &ReadOptions::default()).unwrap_err();
        match &err {
            IoError::Format { format, message, .. } => {
                assert_eq!(*format, "JSON", "{name}");
                assert!(message.contains(says), "{name}: {message}");
            }
            other => panic!("{name}: expected Format, got {other:?}"),
        }
        assert!(err.to_string().contains(name), "{err}");
    }
}

#[test]
fn malformed_jsonl_line_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.jsonl");
    std::fs::write(&path, "{\"a\": 1}\n\n{\"a\": 2}\n{\"a\": oops}\n{\"a\": 4}\n").unwrap();
    let err = read_table(&path, &ReadOptions::default()).unwrap_err();
    match &err {
        IoError::Format { format, location, .. } => {
            assert_eq!(*format, "JSONL");
            assert_eq!(location, "line 4: ");
        }
        other => panic!("expected Format, got {other:?}"),
    }
}

/// Every malformed fixture: the error variant and the format it names.
#[test]
fn malformed_files_give_format_errors_naming_the_file() {
    for (name, format) in [
        ("truncated.parquet", "Parquet"),
        ("truncated.json", "JSON"),
        ("not_a_zip.xlsx", "XLSX"),
        ("truncated.xlsx", "XLSX"),
    ] {
        let err = read_table(fixture(name), &ReadOptions::default()).unwrap_err();
        match &err {
            IoError::Format { path, format: f, message, .. } => {
                assert!(path.ends_with(name), "{name}: {path:?}");
                assert_eq!(*f, format, "{name}");
                assert!(!message.is_empty(), "{name}");
            }
            other => panic!("{name}: expected Format, got {other:?}"),
        }
        assert!(err.to_string().contains(name), "{err}");
    }
}

#[test]
fn empty_json_is_empty() {
    let err = read_table(fixture("empty.json"), &ReadOptions::default()).unwrap_err();
    assert!(matches!(&err, IoError::Empty { path } if path.ends_with("empty.json")), "{err:?}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blank.jsonl");
    std::fs::write(&path, "\n  \n").unwrap();
    let err = read_table(&path, &ReadOptions::default()).unwrap_err();
    assert!(matches!(err, IoError::Empty { .. }), "{err:?}");
}

#[test]
fn invalid_utf8_json_names_the_byte() {
    let path = fixture("bad_utf8.jsonl");
    let bytes = std::fs::read(&path).unwrap();
    let bad = bytes.iter().position(|&b| b == 0xE9).unwrap() as u64;
    let err = read_table(&path, &ReadOptions::default()).unwrap_err();
    match &err {
        IoError::Decode { path, encoding, byte_offset, hint } => {
            assert!(path.ends_with("bad_utf8.jsonl"));
            assert_eq!(*encoding, "UTF-8");
            assert_eq!(*byte_offset, bad);
            assert!(hint.contains("line 2"), "{hint}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(err.to_string().contains("bad_utf8.jsonl"), "{err}");
}

#[test]
fn missing_file_is_an_io_error() {
    for name in ["absent.parquet", "absent.json", "absent.xlsx"] {
        let err = read_table(fixture(name), &ReadOptions::default()).unwrap_err();
        assert!(matches!(&err, IoError::Io { path, .. } if path.ends_with(name)), "{err:?}");
    }
}

fn fuzz_cases() -> u32 {
    std::env::var("THEMATIC_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64)
}

/// Bytes that are sometimes a plausible prefix of the format, so the parsers get past their
/// first check.
fn fuzz_bytes() -> impl Strategy<Value = Vec<u8>> {
    let seeds: Vec<Vec<u8>> = ["survey.parquet", "survey.json", "survey.jsonl", "survey.xlsx"]
        .iter()
        .map(|name| std::fs::read(fixture(name)).unwrap())
        .collect();
    let seeds = std::sync::Arc::new(seeds);
    let (cut_seeds, flip_seeds) = (seeds.clone(), seeds.clone());
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        (
            0..seeds.len(),
            any::<prop::sample::Index>(),
            proptest::collection::vec(any::<u8>(), 0..8)
        )
            .prop_map(move |(i, cut, noise)| {
                let seed = &cut_seeds[i];
                let mut bytes = seed[..cut.index(seed.len() + 1)].to_vec();
                bytes.extend(noise);
                bytes
            }),
        (0..seeds.len(), any::<prop::sample::Index>(), any::<u8>()).prop_map(
            move |(i, at, byte)| {
                let mut bytes = flip_seeds[i].clone();
                let n = bytes.len();
                bytes[at.index(n)] = byte;
                bytes
            }
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in fuzz_bytes()) {
        let dir = tempfile::tempdir().unwrap();
        for ext in ["json", "jsonl", "xlsx", "parquet", "ods", "xls"] {
            let path = dir.path().join(format!("input.{ext}"));
            std::fs::write(&path, &bytes).unwrap();
            // Errors are fine; a panic fails the test.
            if let Err(e) = read_table(&path, &ReadOptions::default()) {
                prop_assert!(e.to_string().contains("input."), "{}", e);
            }
        }
    }
}
