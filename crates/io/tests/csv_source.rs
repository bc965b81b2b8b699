//! The CSV/TSV row source through `read_table`: encodings, delimiters, quotes, row
//! accounting, errors that name the file and the place, and no panic on any input.
//!
//! Fixtures are written by `tests/fixtures/csv/make_fixtures.py`; large inputs are generated
//! here into a temporary directory.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use thematic_io::{Encoding, Format, IoError, RawTable, ReadOptions, RowLocation, read_table};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csv").join(name)
}

fn with(encoding: Encoding) -> ReadOptions {
    ReadOptions { encoding, ..ReadOptions::default() }
}

fn read(name: &str, options: &ReadOptions) -> RawTable {
    read_table(fixture(name), options).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn error(name: &str, options: &ReadOptions) -> IoError {
    match read_table(fixture(name), options) {
        Ok(t) => panic!("{name} was read: {t:#?}"),
        Err(e) => {
            assert!(e.to_string().contains(name), "the error names the file: {e}");
            e
        }
    }
}

fn at(record: u64, line: u64) -> RowLocation {
    RowLocation { record, line: Some(line) }
}

/// The cells of every row, failing on an unreadable one.
fn cells(table: &RawTable) -> Vec<Vec<&str>> {
    table
        .rows
        .iter()
        .map(|(at, row)| match row {
            Ok(cells) => cells.iter().map(String::as_str).collect(),
            Err(why) => panic!("{at}: {why}"),
        })
        .collect()
}

fn locations(table: &RawTable) -> Vec<RowLocation> {
    table.rows.iter().map(|(at, _)| *at).collect()
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).unwrap().len()
}

// --- Encodings ------------------------------------------------------------------------------

const UNICODE_ROWS: [[&str; 3]; 2] =
    [["1", "café", "Clinicians"], ["2", "naïve — costs £5, twice", "Patients"]];

#[test]
fn unicode_files_read_the_same_in_every_encoding() {
    for (name, encoding) in [
        ("utf8.csv", "UTF-8"),
        ("utf8_bom.csv", "UTF-8"),
        ("utf16le_bom.csv", "UTF-16LE"),
        ("utf16be_bom.csv", "UTF-16BE"),
    ] {
        let t = read(name, &ReadOptions::default());
        assert_eq!(t.columns, ["id", "text", "group"], "{name}: the BOM is not in the header");
        assert_eq!(cells(&t), UNICODE_ROWS, "{name}");
        assert_eq!(locations(&t), [at(1, 2), at(2, 3)], "{name}");
        assert_eq!(t.summary.encoding.as_deref(), Some(encoding), "{name}");
        assert_eq!(t.summary.delimiter, Some(','), "{name}");
        assert_eq!(t.summary.sheet, None);
        // The hash and size are of the raw file, BOM and all.
        assert_eq!(t.summary.bytes, file_size(&fixture(name)), "{name}");
        assert_eq!(t.summary.sha256.len(), 64);
        assert!(t.summary.sha256.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    let hashes: std::collections::BTreeSet<_> = ["utf8.csv", "utf8_bom.csv", "utf16le_bom.csv"]
        .iter()
        .map(|n| read(n, &ReadOptions::default()).summary.sha256)
        .collect();
    assert_eq!(hashes.len(), 3, "different bytes, different hashes");
}

#[test]
fn chosen_encodings_agree_with_detection() {
    assert_eq!(cells(&read("utf8.csv", &with(Encoding::Utf8))), UNICODE_ROWS);
    assert_eq!(cells(&read("utf8_bom.csv", &with(Encoding::Utf8))), UNICODE_ROWS);
    for (name, exact) in
        [("utf16le_bom.csv", Encoding::Utf16Le), ("utf16be_bom.csv", Encoding::Utf16Be)]
    {
        assert_eq!(cells(&read(name, &with(Encoding::Utf16))), UNICODE_ROWS, "{name}");
        let t = read(name, &with(exact));
        assert_eq!(cells(&t), UNICODE_ROWS, "{name}");
        assert_eq!(t.summary.encoding.as_deref(), Some(exact.name()));
    }
    // The other byte order contradicts the BOM: an error, not mojibake.
    let e = error("utf16le_bom.csv", &with(Encoding::Utf16Be));
    assert!(matches!(e, IoError::Decode { encoding: "UTF-16BE", byte_offset: 0, .. }), "{e}");
    assert!(e.to_string().contains("UTF-16LE byte-order mark"), "{e}");
    // UTF-16 with the byte order left to a BOM that is not there.
    let e = error("utf8.csv", &with(Encoding::Utf16));
    assert!(matches!(e, IoError::Decode { encoding: "UTF-16", .. }), "{e}");
    assert!(e.to_string().contains("--encoding utf-16le"), "{e}");
}

#[test]
fn windows_1252_is_detected_and_decoded() {
    for options in [ReadOptions::default(), with(Encoding::Windows1252)] {
        let t = read("windows1252.csv", &options);
        assert_eq!(cells(&t), [["1", "€5 for a café"], ["2", "it’s fine"]]);
        assert_eq!(t.summary.encoding.as_deref(), Some("windows-1252"));
    }
    // Latin-1 names read as Windows-1252, as browsers do.
    let latin1 = with("latin1".parse().unwrap());
    assert_eq!(cells(&read("windows1252.csv", &latin1))[0][1], "€5 for a café");
}

#[test]
fn invalid_utf8_is_an_error_when_utf8_is_chosen_and_windows_1252_when_detected() {
    let e = error("invalid_utf8.csv", &with(Encoding::Utf8));
    match &e {
        IoError::Encoding { record, line, column, byte_offset, .. } => {
            assert_eq!((*record, *line, column.as_str(), *byte_offset), (2, 3, "text", 18));
        }
        other => panic!("{other:?}"),
    }
    let message = e.to_string();
    for part in ["record 2", "line 3", "\"text\"", "byte offset 18"] {
        assert!(message.contains(part), "{message}");
    }
    let t = read("invalid_utf8.csv", &ReadOptions::default());
    assert_eq!(cells(&t), [["1", "ok"], ["2", "café"]]);
    assert_eq!(t.summary.encoding.as_deref(), Some("windows-1252"));
}

#[test]
fn invalid_utf8_after_the_sniffed_start_names_the_record_and_raw_byte() {
    // The first MiB is valid UTF-8 (so detection says UTF-8); a bad byte comes later. The
    // BOM counts in the byte offset: it is the raw file's.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("late.csv");
    let mut bytes = b"\xEF\xBB\xBFid,text\n".to_vec();
    let rows = 60_000;
    for i in 1..rows {
        bytes.extend(format!("{i},caf\u{e9} r\u{e9}sum\u{e9} number {i}\n").as_bytes());
    }
    assert!(bytes.len() > 1 << 20);
    bytes.extend(format!("{rows},\"two\nlines\",").as_bytes());
    let bad = bytes.len() as u64 + 4;
    bytes.extend(b"\"abc\xff\"\n");
    std::fs::write(&path, &bytes).unwrap();
    for options in [ReadOptions::default(), with(Encoding::Utf8)] {
        let e = read_table(&path, &options).unwrap_err();
        match e {
            IoError::Encoding { record, line, column, byte_offset, .. } => {
                assert_eq!((record, line, column.as_str()), (rows, rows + 1, "#3"));
                assert_eq!(byte_offset, bad);
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn malformed_utf16_names_the_raw_byte_offset() {
    for options in [ReadOptions::default(), with(Encoding::Utf16Le), with(Encoding::Utf16)] {
        let e = error("utf16_bad_surrogate.csv", &options);
        assert!(
            matches!(e, IoError::Decode { encoding: "UTF-16LE", byte_offset: 24, .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("byte offset 24"), "{e}");
        assert!(e.to_string().contains("surrogate"), "{e}");
    }
}

#[test]
fn utf16_without_bom_is_detected_from_its_zero_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let text = "id\ttext\r\n1\tcafé — ok\r\n2\tnaïve\r\n";
    for (name, bytes, encoding) in [
        ("le.tsv", text.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<_>>(), "UTF-16LE"),
        ("be.tsv", text.encode_utf16().flat_map(u16::to_be_bytes).collect(), "UTF-16BE"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let t = read_table(&path, &ReadOptions::default()).unwrap();
        assert_eq!(cells(&t), [["1", "café — ok"], ["2", "naïve"]], "{name}");
        assert_eq!(t.summary.encoding.as_deref(), Some(encoding));
        assert_eq!(t.summary.delimiter, Some('\t'));
    }
}

// --- Delimiters and quotes ------------------------------------------------------------------

#[test]
fn delimiters_are_detected() {
    let t = read("semicolon.csv", &ReadOptions::default());
    assert_eq!(t.summary.delimiter, Some(';'));
    assert_eq!(t.columns, ["id", "score", "text"]);
    assert_eq!(
        cells(&t),
        [
            vec!["1", "3,5", "Gut; sehr gut"],
            vec!["2", "4,0", "Il a dit, bonjour"],
            vec!["3", "", ""],
        ]
    );
    let t = read("pipe.csv", &ReadOptions::default());
    assert_eq!(t.summary.delimiter, Some('|'));
    assert_eq!(cells(&t), [["1", "a, b; c"], ["2", "x|y"]]);
    // A .tsv file is tab-separated without detection, commas in the text or not.
    let t = read("tab.tsv", &ReadOptions::default());
    assert_eq!(t.summary.delimiter, Some('\t'));
    assert_eq!(cells(&t), [["1", "hello, world"], ["2", "quoted\ttab"]]);
    // ... and detected as such under another name.
    let csv = ReadOptions { format: Some(Format::Csv), ..ReadOptions::default() };
    assert_eq!(read("tab.tsv", &csv).summary.delimiter, Some('\t'));
}

#[test]
fn a_given_delimiter_wins() {
    let comma = ReadOptions { delimiter: Some(b','), ..ReadOptions::default() };
    let t = read("semicolon.csv", &comma);
    assert_eq!(t.summary.delimiter, Some(','));
    assert_eq!(t.columns, ["id;score;text"]);
    // "1;3,5;..." splits at its comma: two fields for a one-column header.
    assert_eq!(t.rows[0].1, Err("has 2 fields but the header has 1".to_owned()));
}

#[test]
fn single_quotes_only_when_clearly_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let quoted = dir.path().join("single.csv");
    std::fs::write(&quoted, "id,text\n1,'a, b'\n2,'it''s'\n3,plain\n").unwrap();
    let t = read_table(&quoted, &ReadOptions::default()).unwrap();
    assert_eq!(cells(&t), [["1", "a, b"], ["2", "it's"], ["3", "plain"]]);
    // Apostrophes in text are text.
    let apostrophes = dir.path().join("apostrophes.csv");
    std::fs::write(&apostrophes, "id,text\n1,'90s music\n2,it's 'fine'\n").unwrap();
    let t = read_table(&apostrophes, &ReadOptions::default()).unwrap();
    assert_eq!(cells(&t), [["1", "'90s music"], ["2", "it's 'fine'"]]);
    // A given quote wins.
    let double = ReadOptions { quote: Some(b'"'), ..ReadOptions::default() };
    let t = read_table(&quoted, &double).unwrap();
    assert_eq!(t.rows[0].1, Err("has 3 fields but the header has 2".to_owned()));
}

#[test]
fn bad_delimiter_or_quote_options() {
    for options in [
        ReadOptions { delimiter: Some(b'"'), quote: Some(b'"'), ..ReadOptions::default() },
        ReadOptions { delimiter: Some(b'"'), ..ReadOptions::default() },
        ReadOptions { delimiter: Some(0xA7), ..ReadOptions::default() },
        ReadOptions { quote: Some(b'\n'), ..ReadOptions::default() },
    ] {
        let e = read_table(fixture("utf8.csv"), &options).unwrap_err();
        assert!(matches!(e, IoError::InvalidOption { .. }), "{options:?}: {e}");
    }
}

#[test]
fn quoted_newlines_and_line_numbers() {
    let t = read("quoted_newlines.csv", &ReadOptions::default());
    assert_eq!(
        cells(&t),
        [["1", "Line one\r\nline two \"quoted\""], ["2", "after"], ["3", "a\nb\nc"], ["4", "end"],]
    );
    // The blank line 5 is skipped; records keep counting data rows, lines count the file.
    assert_eq!(locations(&t), [at(1, 2), at(2, 4), at(3, 6), at(4, 9)]);
}

// --- Malformed files ------------------------------------------------------------------------

#[test]
fn an_unclosed_quote_is_an_error_not_a_swallowed_file() {
    let e = error("unclosed_quote.csv", &ReadOptions::default());
    assert!(matches!(e, IoError::UnclosedQuote { record: 2, .. }), "{e:?}");
    assert!(e.to_string().contains("record 2"), "{e}");
    // Also when the text was transcoded: the check runs on the decoded text.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("unclosed_quote.csv")).unwrap();
    let path = dir.path().join("unclosed16.csv");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&path, bytes).unwrap();
    let e = read_table(&path, &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, IoError::UnclosedQuote { record: 2, .. }), "{e:?}");
    // A header that never closes its quote swallows the file: record 0 is the header.
    let path = dir.path().join("header.csv");
    std::fs::write(&path, "id,\"text\n1,a\n2,b\n").unwrap();
    let e = read_table(&path, &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, IoError::UnclosedQuote { record: 0, .. }), "{e:?}");
    // A closed quote as the very last byte is fine.
    let path = dir.path().join("closed.csv");
    std::fs::write(&path, "id,text\n1,\"a\"\"b\"").unwrap();
    assert_eq!(cells(&read_table(&path, &ReadOptions::default()).unwrap()), [["1", "a\"b"]]);
}

#[test]
fn an_unclosed_quote_at_the_end_of_a_large_file() {
    // The last record starts megabytes into the file: the kept tail must reach back to it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big_unclosed.csv");
    let mut text = String::from("id,text\n");
    for i in 1..100_000 {
        text.push_str(&format!("{i},some text for row {i}\n"));
    }
    text.push_str("100000,\"oops\n");
    text.push_str(&"x,y\n".repeat(30_000));
    std::fs::write(&path, &text).unwrap();
    let e = read_table(&path, &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, IoError::UnclosedQuote { record: 100_000, .. }), "{e:?}");
}

#[test]
fn ragged_rows_are_accounted_for_or_fail_when_strict() {
    let t = read("ragged.csv", &ReadOptions::default());
    assert_eq!(t.rows.len(), 4);
    assert_eq!(t.rows[0], (at(1, 2), Ok(vec!["1".to_owned(), "a".to_owned()])));
    assert_eq!(t.rows[1], (at(2, 3), Err("has 3 fields but the header has 2".to_owned())));
    assert_eq!(t.rows[2], (at(3, 4), Err("has 1 field but the header has 2".to_owned())));
    assert_eq!(t.rows[3], (at(4, 5), Ok(vec!["4".to_owned(), "d".to_owned()])));
    let strict = ReadOptions { strict: true, ..ReadOptions::default() };
    let e = error("ragged.csv", &strict);
    assert!(
        matches!(e, IoError::Ragged { record: 2, line: 3, found: 3, expected: 2, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("record 2 (line 3)"), "{e}");
}

#[test]
fn trailing_empty_fields_are_padding() {
    for strict in [false, true] {
        let options = ReadOptions { strict, ..ReadOptions::default() };
        let r = read_table(fixture("trailing_commas.csv"), &options);
        if strict {
            // Padding passes; the row with a value past the header does not.
            let e = r.unwrap_err();
            assert!(matches!(e, IoError::Ragged { record: 3, found: 4, expected: 2, .. }), "{e}");
            continue;
        }
        let t = r.unwrap();
        assert_eq!(t.rows[0].1, Ok(vec!["1".to_owned(), "a".to_owned()]));
        assert_eq!(t.rows[1].1, Ok(vec!["2".to_owned(), "b".to_owned()]));
        assert_eq!(t.rows[2], (at(3, 4), Err("has 4 fields but the header has 2".to_owned())));
    }
}

#[test]
fn empty_and_header_only_files() {
    let e = error("empty.csv", &ReadOptions::default());
    assert!(matches!(e, IoError::Empty { .. }), "{e:?}");
    for encoding in [Encoding::Utf8, Encoding::Windows1252, Encoding::Utf16Le] {
        assert!(matches!(error("empty.csv", &with(encoding)), IoError::Empty { .. }));
    }
    let t = read("header_only.csv", &ReadOptions::default());
    assert_eq!(t.columns, ["id", "text"]);
    assert!(t.rows.is_empty());
    assert_eq!(t.summary.bytes, 8);
    // `printf 'id,text\n' | sha256sum`
    assert_eq!(
        t.summary.sha256,
        "3d957d6d3b4b9e1a200394ef08cac6c65216f33c2b7e58cfb41570892ac4df9e"
    );
    // A BOM alone is no header either.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom_only.csv");
    std::fs::write(&path, b"\xEF\xBB\xBF\n\n").unwrap();
    assert!(matches!(read_table(&path, &ReadOptions::default()), Err(IoError::Empty { .. })));
}

#[test]
fn blank_header_cells_are_named_by_position() {
    let t = read("blank_header_cell.csv", &ReadOptions::default());
    assert_eq!(t.columns, ["id", "column 2", "text", "column 4"]);
    assert_eq!(cells(&t), [["1", "x", "y", "z"]]);
}

#[test]
fn a_one_megabyte_cell() {
    let dir = tempfile::tempdir().unwrap();
    let cell: String = (0..1_000_000)
        .map(|i| match i % 97 {
            0 => '\n',
            13 => ',',
            41 => '"',
            60 => 'é',
            _ => char::from(b'a' + (i % 26) as u8),
        })
        .collect();
    let escaped = cell.replace('"', "\"\"");
    let text = format!("id,text,after\n1,\"{escaped}\",x\n2,short,y\n");
    let utf8 = dir.path().join("big_cell.csv");
    std::fs::write(&utf8, &text).unwrap();
    let utf16 = dir.path().join("big_cell16.csv");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&utf16, bytes).unwrap();
    for path in [utf8, utf16] {
        let t = read_table(&path, &ReadOptions::default()).unwrap();
        let rows = cells(&t);
        assert_eq!(rows.len(), 2);
        assert!(rows[0][1] == cell, "the cell comes back whole");
        assert_eq!((rows[0][2], rows[1][1]), ("x", "short"));
        assert_eq!(locations(&t)[1].record, 2);
    }
}

#[test]
fn many_rows_stream_with_exact_locations() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.csv");
    let mut text = String::from("id;text\n");
    for i in 1..=50_000 {
        text.push_str(&format!("{i};\"row {i}\nsecond line\"\n"));
    }
    std::fs::write(&path, &text).unwrap();
    let t = read_table(&path, &ReadOptions::default()).unwrap();
    assert_eq!(t.rows.len(), 50_000);
    assert_eq!(t.summary.delimiter, Some(';'));
    for (i, (at, row)) in t.rows.iter().enumerate() {
        let n = i as u64 + 1;
        assert_eq!(*at, RowLocation { record: n, line: Some(2 * n) });
        assert_eq!(row.as_ref().unwrap()[1], format!("row {n}\nsecond line"));
    }
}

// --- Never a panic --------------------------------------------------------------------------

fn fuzz_cases() -> u32 {
    std::env::var("THEMATIC_FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(256)
}

const ENCODINGS: [Encoding; 6] = [
    Encoding::Auto,
    Encoding::Utf8,
    Encoding::Utf16,
    Encoding::Utf16Le,
    Encoding::Utf16Be,
    Encoding::Windows1252,
];

/// Reads `bytes` as a CSV in every encoding, with and without strictness and a delimiter:
/// never a panic; a table always accounts for its rows in order with the header's width.
fn check_any_input(dir: &Path, bytes: &[u8], delimiter: Option<u8>) {
    let path = dir.join("fuzz.csv");
    std::fs::write(&path, bytes).unwrap();
    // Detected header and title rows, and some asked for (headers of several rows must fit
    // the file, skipped rows must leave a header: the rest is an error naming the file).
    let layouts = [(false, None, None), (true, None, None), (false, Some(2), Some(1))];
    for encoding in ENCODINGS {
        for (strict, header_rows, skip_rows) in layouts {
            let options = ReadOptions {
                encoding,
                strict,
                delimiter,
                header_rows,
                skip_rows,
                ..ReadOptions::default()
            };
            match read_table(&path, &options) {
                Ok(t) => {
                    assert!(!t.columns.is_empty());
                    assert!(t.columns.iter().all(|c| !c.is_empty() && c.trim() == c));
                    let mut last_line = 0;
                    for (i, (at, row)) in t.rows.iter().enumerate() {
                        assert_eq!(at.record, i as u64 + 1);
                        let line = at.line.unwrap();
                        // Lines count line feeds: records ended by a bare CR share one.
                        assert!(line >= last_line.max(1), "{at}");
                        last_line = line;
                        match row {
                            Ok(cells) => assert_eq!(cells.len(), t.columns.len(), "{at}"),
                            Err(why) => {
                                assert!(!strict, "strict never gives an unreadable row");
                                assert!(
                                    why.contains("fields but the header has")
                                        || why.contains("field but the header has")
                                );
                            }
                        }
                    }
                    assert_eq!(t.summary.bytes, bytes.len() as u64);
                    assert!(t.summary.encoding.is_some() && t.summary.delimiter.is_some());
                }
                Err(e) => assert!(e.to_string().contains("fuzz.csv"), "{e}"),
            }
        }
    }
}

fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(",".to_owned()),
        Just(";".to_owned()),
        Just("\t".to_owned()),
        Just("|".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\u{feff}".to_owned()),
        "[a-z ]{0,6}",
        "[é£—€\u{0}\u{1f600}]{1,2}",
        // What the detection of exports and titles looks for.
        Just("sep=".to_owned()),
        Just("{\"ImportId\":\"QID1\"}".to_owned()),
        Just("Respondent ID".to_owned()),
        Just("Open-Ended Response".to_owned()),
    ];
    (proptest::collection::vec(piece, 0..60), 0..4u8).prop_map(|(pieces, transform)| {
        let text = pieces.concat();
        match transform {
            0 => text.into_bytes(),
            1 => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            2 => [
                &[0xFE, 0xFF][..],
                &text.encode_utf16().flat_map(u16::to_be_bytes).collect::<Vec<_>>(),
            ]
            .concat(),
            _ => text.chars().map(|c| if (c as u32) < 256 { c as u8 } else { b'?' }).collect(),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(fuzz_cases()))]

    #[test]
    fn fuzz_arbitrary_bytes_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
        delimiter in proptest::option::of(prop_oneof![Just(b','), Just(b';'), Just(b'\t')]),
    ) {
        let dir = tempfile::tempdir().unwrap();
        check_any_input(dir.path(), &bytes, delimiter);
    }

    #[test]
    fn fuzz_csvish_text_never_panics(bytes in csvish()) {
        let dir = tempfile::tempdir().unwrap();
        check_any_input(dir.path(), &bytes, None);
    }
}

// --- Transcripts share the decoding ---------------------------------------------------------

#[test]
fn transcripts_decode_in_the_chosen_encoding() {
    use thematic_io::transcript::{TranscriptError, TranscriptOptions, read_transcript_bytes};
    let text = "Jo Bell: the café was fine — mostly.\nRob Evans: £5 for tea!\n";
    let auto = TranscriptOptions { encoding: Encoding::Auto, ..TranscriptOptions::default() };
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let cp1252 = b"Jo Bell: the caf\xe9 was fine \x97 mostly.\nRob Evans: \xa35 for tea!\n";
    for (name, bytes) in [("u8.txt", text.as_bytes()), ("u16.txt", &utf16), ("w.txt", cp1252)] {
        let (rows, report) = read_transcript_bytes(name, bytes, &auto).unwrap();
        let texts: Vec<_> = rows.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, ["the café was fine — mostly.", "£5 for tea!"], "{name}");
        assert_eq!(report.bytes, bytes.len() as u64);
    }
    // The default stays UTF-8: a Windows-1252 transcript names its first bad byte.
    let e = read_transcript_bytes("w.txt", cp1252, &TranscriptOptions::default()).unwrap_err();
    assert!(
        matches!(e, TranscriptError::Encoding { line: 1, column: 17, byte_offset: 16, .. }),
        "{e:?}"
    );
    // Malformed UTF-16 names the raw byte offset.
    let mut bad = vec![0xFF, 0xFE];
    bad.extend("Jo: a".encode_utf16().flat_map(u16::to_le_bytes));
    bad.extend([0x00, 0xDC]);
    let e = read_transcript_bytes("bad.txt", &bad, &auto).unwrap_err();
    let message = e.to_string();
    assert!(message.starts_with("bad.txt: not valid UTF-16LE at byte offset 12"), "{message}");
}
