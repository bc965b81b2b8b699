//! Table exports: CSV bytes, XLSX read back with calamine, Parquet read back with polars;
//! formula injection neutralised by default and not with the opt-out.

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use polars::prelude::{DataType, ParquetReader, SerReader};
use thematic_io::export::{
    Cell, ExportOptions, Table, neutralise, write_table_csv, write_table_parquet, write_tables_xlsx,
};
use thematic_io::{CsvTable, IoError, write_csv};

/// Hostile texts and what they become when neutralised.
const HOSTILE: [(&str, &str); 7] = [
    ("=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
];
/// Texts that must come out exactly as they went in.
const HARMLESS: [&str; 2] = ["café — £", "a=b"];

/// A table of `id`, `text`, `n` (Int), `x` (Float): the hostile texts, then the harmless ones,
/// with negative numbers in every row.
fn hostile_table() -> Table {
    let mut t = Table::new("responses", ["id", "text", "n", "x"]);
    let texts = HOSTILE.iter().map(|(raw, _)| *raw).chain(HARMLESS);
    for (i, text) in texts.enumerate() {
        let i = i64::try_from(i).unwrap();
        t.push_row([
            Cell::from(format!("r{i}")),
            text.into(),
            Cell::Int(-5 - i),
            Cell::Float(-0.5),
        ])
        .unwrap();
    }
    t
}

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// The expected CSV of [`hostile_table`], each text given as its CSV field.
fn expected_csv(fields: &[&str]) -> String {
    let mut out = String::from("id,text,n,x\n");
    for (i, field) in fields.iter().enumerate() {
        out.push_str(&format!("r{i},{field},{},-0.5\n", -5 - i as i64));
    }
    out
}

#[test]
fn csv_neutralises_text_but_not_numbers() {
    let dir = dir();
    let path = dir.path().join("out.csv");
    write_table_csv(&path, &hostile_table(), &ExportOptions::default()).unwrap();
    let expected = expected_csv(&[
        r#""'=HYPERLINK(""http://evil"",""x"")""#,
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\t=1",
        "\"'\r=1\"",
        "'=cmd|' /C calc'!A0",
        "café — £",
        "a=b",
    ]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
}

#[test]
fn csv_opt_out_writes_raw_text() {
    let dir = dir();
    let path = dir.path().join("raw.csv");
    let options = ExportOptions { neutralise_formulas: false, ..ExportOptions::default() };
    write_table_csv(&path, &hostile_table(), &options).unwrap();
    let expected = expected_csv(&[
        r#""=HYPERLINK(""http://evil"",""x"")""#,
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\"\r=1\"",
        "=cmd|' /C calc'!A0",
        "café — £",
        "a=b",
    ]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
}

#[test]
fn csv_bom_bools_empties_and_floats() {
    let dir = dir();
    let path = dir.path().join("bom.csv");
    let mut t = Table::new("t", ["a", "b", "c"]);
    t.push_row([Cell::Bool(true), Cell::Empty, Cell::Float(1e300)]).unwrap();
    t.push_row([Cell::from(None::<i64>), Cell::from(Some(3_u64)), Cell::Float(f64::NAN)]).unwrap();
    let options = ExportOptions { csv_bom: true, ..ExportOptions::default() };
    write_table_csv(&path, &t, &options).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"\xEF\xBB\xBFa,b,c\ntrue,,1e300\n,3,NaN\n");
}

#[test]
fn csv_table_write_csv_neutralises_but_keeps_numbers() {
    let dir = dir();
    let path = dir.path().join("themes.csv");
    let table = CsvTable {
        header: vec!["label".into(), "lift".into()],
        rows: vec![
            vec!["=1+1".into(), "-0.2500".into()],
            vec!["- bullet".into(), "1e-3".into()],
            vec!["fine".into(), String::new()],
        ],
    };
    write_csv(&path, &table).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "label,lift\n'=1+1,-0.2500\n'- bullet,1e-3\nfine,\n"
    );
}

#[test]
fn neutralise_is_borrowed_when_unchanged() {
    for (raw, safe) in HOSTILE {
        assert_eq!(neutralise(raw), safe);
    }
    for text in HARMLESS.into_iter().chain(["-5", "-0.5", ""]) {
        assert!(matches!(neutralise(text), std::borrow::Cow::Borrowed(t) if t == text), "{text}");
    }
    for text in ["\u{FF1D}1+1", "\u{FF0B}1", "\u{FF0D}1", "\u{FF20}SUM(A1)", "  =1+1", "-"] {
        assert_eq!(neutralise(text), format!("'{text}"));
    }
}

fn read_xlsx(path: &Path) -> (Vec<String>, Xlsx<std::io::BufReader<std::fs::File>>) {
    let wb: Xlsx<_> = open_workbook(path).unwrap();
    (wb.sheet_names(), wb)
}

fn rows(wb: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<Vec<Data>> {
    let range = wb.worksheet_range(sheet).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

#[test]
fn xlsx_sheets_numbers_and_neutralised_text() {
    let dir = dir();
    let path = dir.path().join("out.xlsx");
    let mut summary = Table::new("Summary: a/b [draft]?", ["theme", "share", "kept"]);
    summary.push_row([Cell::from("=1+1"), Cell::Float(0.25), Cell::Bool(true)]).unwrap();
    summary.push_row([Cell::Empty, Cell::Int(7), Cell::Bool(false)]).unwrap();
    summary.push_row([Cell::Float(f64::NAN), Cell::Int(i64::MIN), Cell::Float(1e300)]).unwrap();
    let responses = hostile_table();
    write_tables_xlsx(&path, &[&summary, &responses], &ExportOptions::default()).unwrap();

    let (names, mut wb) = read_xlsx(&path);
    assert_eq!(names, ["Summary_ a_b _draft__", "responses"]);

    let s = rows(&mut wb, "Summary_ a_b _draft__");
    let header = ["theme", "share", "kept"].map(|h| Data::String(h.to_owned()));
    assert_eq!(s[0], header);
    assert_eq!(s[1], [Data::String("'=1+1".into()), Data::Float(0.25), Data::Bool(true)]);
    assert_eq!(s[2], [Data::Empty, Data::Float(7.0), Data::Bool(false)]);
    // Excel has no NaN, and a double cannot hold i64::MIN's digits exactly: both are text.
    let min = Data::String(i64::MIN.to_string());
    assert_eq!(s[3], [Data::String("NaN".into()), min, Data::Float(1e300)]);

    let r = rows(&mut wb, "responses");
    assert_eq!(r.len(), 1 + HOSTILE.len() + HARMLESS.len());
    let expected = HOSTILE.iter().map(|(_, safe)| *safe).chain(HARMLESS);
    for (i, (row, text)) in r[1..].iter().zip(expected).enumerate() {
        assert_eq!(row[0], Data::String(format!("r{i}")));
        assert_eq!(row[1], Data::String(text.to_owned()), "row {i}");
        assert_eq!(row[2], Data::Float(-5.0 - i as f64), "row {i}");
        assert_eq!(row[3], Data::Float(-0.5), "row {i}");
    }
}

#[test]
fn xlsx_opt_out_writes_raw_text() {
    let dir = dir();
    let path = dir.path().join("raw.xlsx");
    let options = ExportOptions { neutralise_formulas: false, ..ExportOptions::default() };
    write_tables_xlsx(&path, &[&hostile_table()], &options).unwrap();
    let (_, mut wb) = read_xlsx(&path);
    let r = rows(&mut wb, "responses");
    let expected = HOSTILE.iter().map(|(raw, _)| *raw).chain(HARMLESS);
    for (row, text) in r[1..].iter().zip(expected) {
        assert_eq!(row[1], Data::String(text.to_owned()));
    }
}

#[test]
fn xlsx_sheet_names_are_sanitised_and_deduplicated() {
    let dir = dir();
    let path = dir.path().join("names.xlsx");
    let names = [
        "Themes",
        "themes",
        "THEMES",
        "a".repeat(40).as_str(),
        "a".repeat(35).as_str(),
        "'quoted'",
        "",
        "History",
        "x*y?z",
    ]
    .map(str::to_owned);
    let tables: Vec<Table> = names.iter().map(|n| Table::new(n.clone(), ["c"])).collect();
    let refs: Vec<&Table> = tables.iter().collect();
    write_tables_xlsx(&path, &refs, &ExportOptions::default()).unwrap();
    let (sheets, _) = read_xlsx(&path);
    let a31 = "a".repeat(31);
    let a27 = "a".repeat(27);
    assert_eq!(
        sheets,
        [
            "Themes",
            "themes (2)",
            "THEMES (3)",
            a31.as_str(),
            format!("{a27} (2)").as_str(),
            "quoted",
            "Sheet",
            "History (2)",
            "x_y_z"
        ]
    );
}

#[test]
fn xlsx_long_cell_is_truncated_with_a_marker() {
    let dir = dir();
    let path = dir.path().join("long.xlsx");
    let long = "word ".repeat(10_000); // 50,000 characters
    let mut t = Table::new("long", ["text"]);
    t.push_row([long.as_str()]).unwrap();
    t.push_row(["=".repeat(32_767)]).unwrap();
    write_tables_xlsx(&path, &[&t], &ExportOptions::default()).unwrap();
    let (_, mut wb) = read_xlsx(&path);
    let r = rows(&mut wb, "long");

    let Data::String(cell) = &r[1][0] else { panic!("not a string: {:?}", r[1][0]) };
    assert_eq!(cell.chars().count(), 32_767);
    let kept = cell.split('\u{2026}').next().unwrap();
    assert!(long.starts_with(kept));
    assert!(cell.ends_with(&format!("\u{2026} [truncated {} chars]", 50_000 - kept.len())));

    // Neutralising adds a character, which pushes an exactly-full cell over the limit.
    let Data::String(cell) = &r[2][0] else { panic!("not a string: {:?}", r[2][0]) };
    assert_eq!(cell.chars().count(), 32_767);
    assert!(cell.starts_with("'==="));
    assert!(cell.ends_with("=\u{2026} [truncated 23 chars]"), "{}", &cell[32_700..]);
}

#[test]
fn parquet_types_values_and_nulls() {
    let dir = dir();
    let path = dir.path().join("out.parquet");
    let mut t = Table::new("p", ["text", "int", "num", "flag", "mixed", "none"]);
    t.push_row([
        Cell::from("=1+1"),
        Cell::Int(-5),
        Cell::Int(2),
        Cell::Bool(true),
        Cell::Int(1),
        Cell::Empty,
    ])
    .unwrap();
    t.push_row([
        Cell::Empty,
        Cell::Empty,
        Cell::Float(-0.5),
        Cell::Empty,
        Cell::from("a"),
        Cell::Empty,
    ])
    .unwrap();
    t.push_row([
        Cell::from("café"),
        Cell::Int(i64::MAX),
        Cell::Empty,
        Cell::Bool(false),
        Cell::Float(0.5),
        Cell::Empty,
    ])
    .unwrap();
    write_table_parquet(&path, &t).unwrap();

    let df = ParquetReader::new(std::fs::File::open(&path).unwrap()).finish().unwrap();
    assert_eq!(df.height(), 3);
    let dtypes: Vec<DataType> = df.dtypes();
    assert_eq!(
        dtypes,
        [
            DataType::String,
            DataType::Int64,
            DataType::Float64,
            DataType::Boolean,
            DataType::String,
            DataType::String
        ]
    );
    let text: Vec<Option<&str>> = df.column("text").unwrap().str().unwrap().iter().collect();
    assert_eq!(text, [Some("=1+1"), None, Some("café")], "Parquet is never neutralised");
    let int: Vec<Option<i64>> = df.column("int").unwrap().i64().unwrap().iter().collect();
    assert_eq!(int, [Some(-5), None, Some(i64::MAX)]);
    let num: Vec<Option<f64>> = df.column("num").unwrap().f64().unwrap().iter().collect();
    assert_eq!(num, [Some(2.0), Some(-0.5), None]);
    let flag: Vec<Option<bool>> = df.column("flag").unwrap().bool().unwrap().iter().collect();
    assert_eq!(flag, [Some(true), None, Some(false)]);
    let mixed: Vec<Option<&str>> = df.column("mixed").unwrap().str().unwrap().iter().collect();
    assert_eq!(mixed, [Some("1"), Some("a"), Some("0.5")]);
    assert_eq!(df.column("none").unwrap().null_count(), 3);
}

#[test]
fn parquet_duplicate_column_is_an_error() {
    let dir = dir();
    let path = dir.path().join("dup.parquet");
    let t = Table::new("dups", ["a", "a"]);
    let err = write_table_parquet(&path, &t).unwrap_err();
    assert!(matches!(err, IoError::InvalidOption { .. }), "{err:?}");
    assert!(err.to_string().contains("\"a\""), "{err}");
    assert!(!path.exists());
}

#[test]
fn directory_as_output_is_an_io_error_naming_it() {
    let dir = dir();
    let t = hostile_table();
    let errors = [
        write_table_csv(dir.path(), &t, &ExportOptions::default()).unwrap_err(),
        write_table_parquet(dir.path(), &t).unwrap_err(),
        write_tables_xlsx(dir.path(), &[&t], &ExportOptions::default()).unwrap_err(),
        write_csv(dir.path(), &CsvTable { header: vec!["a".into()], rows: vec![] }).unwrap_err(),
    ];
    for err in errors {
        match &err {
            IoError::Io { path, .. } => assert_eq!(path, dir.path()),
            other => panic!("expected IoError::Io, got {other:?}"),
        }
        assert!(err.to_string().contains(&dir.path().display().to_string()), "{err}");
    }
    assert!(dir.path().is_dir());
}

#[test]
fn ragged_rows_are_errors_naming_table_and_row() {
    let mut t = Table::new("quotes", ["id", "text"]);
    t.push_row(["r1", "ok"]).unwrap();
    let err = t.push_row(["r2"]).unwrap_err();
    assert!(matches!(err, IoError::InvalidOption { option: "table", .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("\"quotes\"") && msg.contains("row 2") && msg.contains("1 cells"),
        "{msg}"
    );
    assert_eq!(t.rows.len(), 1, "the bad row is not added");

    // Rows pushed directly are caught by every writer, before any file is created.
    t.rows.push(vec![Cell::from("r2"), Cell::from("a"), Cell::from("extra")]);
    let dir = dir();
    let csv = dir.path().join("q.csv");
    let parquet = dir.path().join("q.parquet");
    let xlsx = dir.path().join("q.xlsx");
    let errors = [
        write_table_csv(&csv, &t, &ExportOptions::default()).unwrap_err(),
        write_table_parquet(&parquet, &t).unwrap_err(),
        write_tables_xlsx(&xlsx, &[&t], &ExportOptions::default()).unwrap_err(),
    ];
    for err in errors {
        let msg = err.to_string();
        assert!(
            msg.contains("\"quotes\"") && msg.contains("row 2") && msg.contains("3 cells"),
            "{msg}"
        );
    }
    for path in [csv, parquet, xlsx] {
        assert!(!path.exists(), "{}", path.display());
    }

    let bad = CsvTable { header: vec!["a".into(), "b".into()], rows: vec![vec!["x".into()]] };
    let path = dir.path().join("bad.csv");
    let msg = write_csv(&path, &bad).unwrap_err().to_string();
    assert!(msg.contains("bad.csv") && msg.contains("row 1"), "{msg}");
    assert!(!path.exists());
}

#[test]
fn empty_inputs_are_errors() {
    let dir = dir();
    let path = dir.path().join("e.xlsx");
    assert!(matches!(
        write_tables_xlsx(&path, &[], &ExportOptions::default()),
        Err(IoError::InvalidOption { option: "tables", .. })
    ));
    let no_columns = Table::new("t", Vec::<String>::new());
    assert!(matches!(
        write_table_csv(dir.path().join("e.csv"), &no_columns, &ExportOptions::default()),
        Err(IoError::InvalidOption { option: "table", .. })
    ));
}

#[test]
fn cell_conversions() {
    assert_eq!(Cell::from(u64::MAX), Cell::Text(u64::MAX.to_string()));
    assert_eq!(Cell::from(42_u64), Cell::Int(42));
    assert_eq!(Cell::from(7_usize), Cell::Int(7));
    assert_eq!(Cell::from(None::<f64>), Cell::Empty);
    assert_eq!(Cell::from(Some("x")), Cell::Text("x".into()));
    assert_eq!(Cell::from(-1_i32), Cell::Int(-1));
}

#[test]
fn export_options_serde_defaults() {
    let o: ExportOptions = toml::from_str("").unwrap();
    assert_eq!(o, ExportOptions::default());
    assert!(o.neutralise_formulas && !o.csv_bom);
    let o: ExportOptions = toml::from_str("csv_bom = true").unwrap();
    assert!(o.neutralise_formulas && o.csv_bom);
}
