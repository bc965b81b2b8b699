//! `thematic_io::ingest`: every input (survey exports of any format, long or wide, and
//! transcripts) into one table of responses, with every input unit accounted for.
//!
//! The fixtures under `tests/fixtures/ingest/` are written by `make_fixtures.py` there; the
//! bundled transcripts are read from `data/transcripts/` at the workspace root.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use sha2::{Digest, Sha256};
use thematic_core::Response;
use thematic_io::dedupe::{DedupeItem, Verdict};
use thematic_io::transcript::{
    SpeakerGroups, TranscriptError, TranscriptFormat, TranscriptOptions,
};
use thematic_io::{
    ColumnMap, Dedupe, DropReason, Format, IngestOptions, IngestReport, IoError, ReadOptions,
    expand_inputs, ingest, read_transcript,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest").join(name)
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data").join(name)
}

fn run<P: AsRef<Path>>(paths: &[P], options: &IngestOptions) -> (Vec<Response>, IngestReport) {
    let (responses, report) = ingest(paths, options).unwrap_or_else(|e| panic!("{e}"));
    assert_accounted(&responses, &report);
    (responses, report)
}

fn ingest_err<P: AsRef<Path>>(paths: &[P], options: &IngestOptions) -> IoError {
    match ingest(paths, options) {
        Ok((_, report)) => panic!("expected an error, got {report:#?}"),
        Err(e) => e,
    }
}

/// The books balance: over all inputs and per input, `read = kept + dropped`; the responses
/// are those the inputs report; every dropped unit is listed once, naming its file, record
/// and reason, in input order.
fn assert_accounted(responses: &[Response], report: &IngestReport) {
    assert_eq!(report.read, report.kept + report.dropped_total(), "{report:#?}");
    assert_eq!(report.dropped_rows.len() as u64, report.dropped_total(), "{report:#?}");
    assert_eq!(report.read, report.inputs.iter().map(|i| i.read).sum::<u64>());
    assert_eq!(report.kept, report.inputs.iter().map(|i| i.kept).sum::<u64>());
    assert_eq!(responses.len() as u64, report.inputs.iter().map(|i| i.responses).sum::<u64>());
    let mut dropped: BTreeMap<DropReason, u64> = BTreeMap::new();
    for input in &report.inputs {
        assert_eq!(input.read, input.kept + input.dropped_total(), "{input:#?}");
        assert!(input.dropped.values().all(|&n| n > 0), "{input:#?}");
        for (reason, n) in &input.dropped {
            *dropped.entry(*reason).or_default() += n;
        }
        // Each dropped row names its file and reason: per file they give the input's counts.
        let mut listed: BTreeMap<DropReason, u64> = BTreeMap::new();
        for d in report.dropped_rows.iter().filter(|d| d.file == input.file) {
            *listed.entry(d.reason).or_default() += 1;
        }
        assert_eq!(listed, input.dropped, "{}", input.file);
        if input.unit != "turn" {
            // A table row or answer gives at most one response.
            assert_eq!(input.kept, input.responses, "{input:#?}");
        }
        let mine = responses
            .iter()
            .filter(|r| r.provenance.as_ref().is_some_and(|p| *p.file == *input.file))
            .count() as u64;
        assert_eq!(mine, input.responses, "{}", input.file);
    }
    assert_eq!(dropped, report.dropped);
    let files: Vec<&str> = report.inputs.iter().map(|i| i.file.as_str()).collect();
    let mut last = (0, 0);
    for d in &report.dropped_rows {
        let input = files.iter().position(|f| *f == d.file);
        let input = input.unwrap_or_else(|| panic!("dropped row of no input: {d:?}"));
        assert!(d.location.record >= 1, "{d:?}");
        assert!((input, d.location.record) >= last, "dropped rows out of input order: {d:?}");
        last = (input, d.location.record);
    }
    let ids: BTreeSet<&str> = responses.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), responses.len(), "ids are unique");
}

fn ids(responses: &[Response]) -> Vec<&str> {
    responses.iter().map(|r| r.id.as_str()).collect()
}

fn texts(responses: &[Response]) -> Vec<&str> {
    responses.iter().map(|r| r.text.as_str()).collect()
}

/// (record, reason, id, detail) of each dropped row.
fn drops(report: &IngestReport) -> Vec<(u64, DropReason, Option<&str>, &str)> {
    report
        .dropped_rows
        .iter()
        .map(|d| (d.location.record, d.reason, d.id.as_deref(), d.detail.as_str()))
        .collect()
}

fn counts(pairs: &[(DropReason, u64)]) -> BTreeMap<DropReason, u64> {
    pairs.iter().copied().collect()
}

fn hex_sha256(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn file_of(path: &Path) -> String {
    path.display().to_string()
}

// --- 1. Accounting in every format ----------------------------------------------------------

const SURVEY_COLUMNS: [&str; 6] = ["id", "respondent_id", "group", "question", "text", "rating"];

/// One copy of the survey fixture, and what its reader reports about it.
struct SurveyFile {
    name: &'static str,
    format: Format,
    encoding: Option<&'static str>,
    delimiter: Option<char>,
    sheet: Option<&'static str>,
}

const fn survey_file(
    name: &'static str,
    format: Format,
    encoding: Option<&'static str>,
    delimiter: Option<char>,
    sheet: Option<&'static str>,
) -> SurveyFile {
    SurveyFile { name, format, encoding, delimiter, sheet }
}

/// The survey fixture in every tabular format.
const SURVEY_FILES: [SurveyFile; 11] = [
    survey_file("survey.csv", Format::Csv, Some("UTF-8"), Some(','), None),
    survey_file("survey.tsv", Format::Tsv, Some("UTF-8"), Some('\t'), None),
    survey_file("survey_semicolon.csv", Format::Csv, Some("UTF-8"), Some(';'), None),
    survey_file("survey_utf16.csv", Format::Csv, Some("UTF-16LE"), Some(','), None),
    survey_file("survey_cp1252.csv", Format::Csv, Some("windows-1252"), Some(','), None),
    survey_file("survey.parquet", Format::Parquet, None, None, None),
    survey_file("survey.json", Format::Json, Some("UTF-8"), None, None),
    survey_file("survey.jsonl", Format::Jsonl, Some("UTF-8"), None, None),
    survey_file("survey.xlsx", Format::Xlsx, None, None, Some("Responses")),
    survey_file("survey.xls", Format::Xls, None, None, Some("Responses")),
    survey_file("survey.ods", Format::Ods, None, None, Some("Responses")),
];

const LETTER_1: &str = "Café prices rose by €5 — it’s too much.";
const BUSES: &str = "More buses, please.\nAnd safer crossings.";

#[test]
fn every_format_gives_the_same_responses_and_drops() {
    let options = IngestOptions {
        columns: ColumnMap { attributes: vec!["rating".into()], ..ColumnMap::default() },
        ..IngestOptions::default()
    };
    for SurveyFile { name, format, encoding, delimiter, sheet } in SURVEY_FILES {
        let path = fixture(name);
        let (responses, report) = run(&[&path], &options);
        let input = &report.inputs[0];
        assert_eq!(report.inputs.len(), 1);
        assert_eq!(input.file, file_of(&path));
        assert_eq!(input.format, format, "{name}");
        assert_eq!(input.unit, "row", "{name}");
        assert_eq!(input.columns, SURVEY_COLUMNS, "{name}");
        assert_eq!(
            input.mapping,
            [
                ("text", "text"),
                ("id", "id"),
                ("respondent", "respondent_id"),
                ("group", "group"),
                ("question", "question"),
                ("attribute", "rating"),
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned())),
            "{name}"
        );
        assert_eq!((input.rows, input.read, input.kept, input.responses), (8, 8, 3, 3), "{name}");
        assert_eq!(
            input.dropped,
            counts(&[
                (DropReason::Empty, 2),
                (DropReason::NonAnswer, 1),
                (DropReason::TooShort, 1),
                (DropReason::ExactDuplicate, 1),
            ]),
            "{name}"
        );
        assert_eq!(input.source.encoding.as_deref(), encoding, "{name}");
        assert_eq!(input.source.delimiter, delimiter, "{name}");
        assert_eq!(input.source.sheet.as_deref(), sheet, "{name}");
        assert_eq!(input.sha256, hex_sha256(&path), "{name}");
        assert_eq!(input.bytes, std::fs::metadata(&path).unwrap().len(), "{name}");
        assert!(input.transcript.is_none());

        assert_eq!(ids(&responses), ["1", "5", "7"], "{name}");
        assert_eq!(texts(&responses), [LETTER_1, "Good", BUSES], "{name}");
        let first = &responses[0];
        assert_eq!(first.respondent.as_deref(), Some("R1"), "{name}");
        assert_eq!(first.group.as_deref(), Some("Residents"), "{name}");
        assert_eq!(first.question.as_deref(), Some("Q1"), "{name}");
        assert_eq!(first.channel.as_deref(), Some("survey"), "{name}");
        let attributes: Vec<Vec<(&str, &str)>> = responses
            .iter()
            .map(|r| r.attributes.iter().map(|(k, v)| (&**k, &**v)).collect())
            .collect();
        assert_eq!(attributes, [[("rating", "4")], [("rating", "5")], [("rating", "1")]], "{name}");
        let records: Vec<u64> =
            responses.iter().map(|r| r.provenance.as_ref().unwrap().record).collect();
        assert_eq!(records, [1, 5, 7], "{name}");
        assert!(
            responses.iter().all(|r| r.provenance.as_ref().unwrap().file.as_ref() == input.file)
        );

        assert_eq!(
            drops(&report),
            [
                (2, DropReason::Empty, Some("2"), ""),
                (3, DropReason::NonAnswer, Some("3"), "N/A"),
                (4, DropReason::TooShort, Some("4"), "x"),
                (6, DropReason::ExactDuplicate, Some("6"), "same as 1"),
                (8, DropReason::Empty, Some("8"), ""),
            ],
            "{name}"
        );
        assert!(report.dropped_rows.iter().all(|d| d.file == input.file && d.column.is_none()));
        assert!(report.campaigns.is_empty() && report.renamed_ids.is_empty());
    }
}

#[test]
fn text_formats_give_the_line_of_each_dropped_row() {
    // Header on line 1; record 7 spans lines 8-9, so record 8 is on line 10.
    let (_, report) = run(&[fixture("survey.csv")], &IngestOptions::default());
    let lines: Vec<Option<u64>> = report.dropped_rows.iter().map(|d| d.location.line).collect();
    assert_eq!(lines, [Some(3), Some(4), Some(5), Some(7), Some(10)]);
}

#[test]
fn every_format_together_accounts_for_every_row() {
    let paths: Vec<PathBuf> = SURVEY_FILES.iter().map(|f| fixture(f.name)).collect();
    let (responses, report) = run(&paths, &IngestOptions::default());
    assert_eq!((report.read, report.kept), (88, 3));
    // Every file repeats the first: the other ten copies of each kept row are exact
    // duplicates of it (same respondent, question and text).
    assert_eq!(
        report.dropped,
        counts(&[
            (DropReason::Empty, 22),
            (DropReason::NonAnswer, 11),
            (DropReason::TooShort, 11),
            (DropReason::ExactDuplicate, 11 + 30),
        ])
    );
    assert_eq!(ids(&responses), ["1", "5", "7"]);
    assert!(
        responses
            .iter()
            .all(|r| r.provenance.as_ref().unwrap().file.as_ref() == file_of(&paths[0]))
    );
}

#[test]
fn the_bundled_transcripts_are_accounted_turn_by_turn() {
    let speakers = SpeakerGroups::from_path(data("speakers.csv")).unwrap();
    let transcript = TranscriptOptions { speakers, ..TranscriptOptions::default() };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(data("transcripts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| TranscriptFormat::from_extension(p).is_some())
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 5);
    let options = IngestOptions { transcript: transcript.clone(), ..IngestOptions::default() };
    let (responses, report) = run(&paths, &options);
    // The counts data/README.md gives: 103 turns, 43 of them by facilitators, 61 passages.
    assert_eq!((report.read, report.kept, responses.len()), (103, 60, 61));
    assert_eq!(report.dropped, counts(&[(DropReason::Facilitator, 43)]));
    for (path, input) in paths.iter().zip(&report.inputs) {
        let (alone, t) = read_transcript(path, &transcript).unwrap();
        assert_eq!(input.file, file_of(path));
        assert_eq!(input.unit, "turn");
        assert_eq!(input.source.encoding.as_deref(), Some("UTF-8"));
        assert_eq!(input.format, Format::from_path(path).unwrap());
        assert_eq!((input.rows, input.read), (t.turns_read, t.turns_read));
        assert_eq!((input.kept, input.responses), (t.turns_kept, alone.len() as u64));
        assert_eq!(input.sha256, hex_sha256(path));
        assert_eq!(input.transcript.as_ref(), Some(&t));
        let mine: Vec<&Response> = responses
            .iter()
            .filter(|r| r.provenance.as_ref().is_some_and(|p| *p.file == *input.file))
            .collect();
        assert_eq!(mine, alone.iter().collect::<Vec<_>>(), "ingest keeps the passages as read");
        // Each facilitator turn is listed at its line, with the speaker as detail.
        let listed: Vec<(u64, Option<u64>, &str)> = report
            .dropped_rows
            .iter()
            .filter(|d| d.file == input.file)
            .map(|d| (d.location.record, d.location.line, d.detail.as_str()))
            .collect();
        let expected: Vec<(u64, Option<u64>, &str)> = t
            .dropped
            .iter()
            .map(|d| (d.line, Some(d.line), d.speaker.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(listed, expected);
    }
    let channels: BTreeSet<&str> = responses.iter().filter_map(|r| r.channel.as_deref()).collect();
    assert_eq!(channels, BTreeSet::from(["interview", "workshop"]));
}

// --- 2. Screening ---------------------------------------------------------------------------

#[test]
fn screening_gives_each_reason_and_keeps_one_word_answers() {
    let (responses, report) = run(&[fixture("screening.csv")], &IngestOptions::default());
    assert_eq!(ids(&responses), ["1", "8", "9", "11"]);
    assert_eq!(
        texts(&responses),
        ["The waiting room is too cold in winter.", "Good", "Rude", "Nothing, all good"]
    );
    assert_eq!(
        drops(&report),
        [
            (2, DropReason::Empty, Some("2"), ""),
            (3, DropReason::Empty, Some("3"), ""),
            (4, DropReason::NonAnswer, Some("4"), "N/A"),
            (5, DropReason::NonAnswer, Some("5"), "No comment"),
            (6, DropReason::NonAnswer, Some("6"), "-"),
            (7, DropReason::TooShort, Some("7"), "x"),
            (10, DropReason::NonAnswer, Some("10"), "n.a."),
        ]
    );
    assert_eq!(
        report.dropped,
        counts(&[(DropReason::Empty, 2), (DropReason::NonAnswer, 4), (DropReason::TooShort, 1)])
    );
    assert_eq!((report.read, report.kept), (11, 4));
}

#[test]
fn screening_follows_the_dedupe_parameters_and_can_be_turned_off() {
    let strict = IngestOptions {
        dedupe: Dedupe::params().min_chars(5).extra_non_answers(["nothing all good"]),
        ..IngestOptions::default()
    };
    let (responses, report) = run(&[fixture("screening.csv")], &strict);
    assert_eq!(ids(&responses), ["1"]);
    assert_eq!(
        report.dropped,
        counts(&[(DropReason::Empty, 2), (DropReason::NonAnswer, 5), (DropReason::TooShort, 3)])
    );

    let all = IngestOptions { screen: false, ..IngestOptions::default() };
    let (responses, report) = run(&[fixture("screening.csv")], &all);
    assert_eq!(responses.len(), 11);
    assert_eq!(responses[1].text, "");
    assert!(report.dropped.is_empty() && report.dropped_rows.is_empty());

    let bad = IngestOptions {
        dedupe: Dedupe::params().campaign_similarity(1.5),
        ..IngestOptions::default()
    };
    let e = ingest_err(&[fixture("screening.csv")], &bad);
    assert!(matches!(e, IoError::InvalidOption { option: "dedupe", .. }), "{e:?}");
}

// --- 3. Exact duplicates and campaigns ------------------------------------------------------

fn letter(name: &str) -> String {
    format!(
        "Please keep the minor injuries unit at Northgate open. My family, like many others \
         here, relies on it because the hospital is forty minutes away by bus. Yours \
         sincerely, {name}"
    )
}

#[test]
fn duplicates_and_campaign_members_are_dropped_and_the_campaign_reported() {
    let (responses, report) = run(&[fixture("campaign.csv")], &IngestOptions::default());
    assert_eq!(ids(&responses), ["1", "2", "6"]);
    assert_eq!(
        drops(&report),
        [
            (3, DropReason::CampaignDuplicate, Some("3"), "campaign 1, kept as 1"),
            (4, DropReason::ExactDuplicate, Some("4"), "same as 1"),
            (5, DropReason::CampaignDuplicate, Some("5"), "campaign 1, kept as 1"),
            (7, DropReason::ExactDuplicate, Some("7"), "same as 6"),
            (8, DropReason::CampaignDuplicate, Some("8"), "campaign 1, kept as 1"),
        ]
    );
    assert_eq!(
        report.dropped,
        counts(&[(DropReason::ExactDuplicate, 2), (DropReason::CampaignDuplicate, 3)])
    );
    assert!(report.campaigns_once);
    assert_eq!(report.campaigns.len(), 1);
    let c = &report.campaigns[0];
    assert_eq!((c.id, c.size, c.representative.as_str()), (1, 4, "1"));
    assert_eq!(c.text, letter("Ann Smith"));
    assert_eq!(c.members, ["1", "3", "5", "8"]);
    assert_eq!(c.groups, [("Patients".to_owned(), 2), ("Residents".to_owned(), 2)]);
    // A changed name changes a few shingles: similar, not identical.
    assert!(c.mean_similarity >= 0.8 && c.mean_similarity < 1.0, "{}", c.mean_similarity);
}

#[test]
fn campaigns_once_false_keeps_every_member_and_still_reports_the_campaign() {
    let options = IngestOptions { campaigns_once: false, ..IngestOptions::default() };
    let (responses, report) = run(&[fixture("campaign.csv")], &options);
    assert_eq!(ids(&responses), ["1", "2", "3", "5", "6", "8"]);
    assert_eq!(report.dropped, counts(&[(DropReason::ExactDuplicate, 2)]));
    assert!(!report.campaigns_once);
    assert_eq!(report.campaigns.len(), 1);
    assert_eq!(report.campaigns[0].members, ["1", "3", "5", "8"]);
    assert_eq!(report.campaigns[0].size, 4);
}

#[test]
fn duplicates_are_found_across_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.jsonl");
    std::fs::write(
        &a,
        format!("respondent_id,text\nP1,\"{}\"\nP2,\"{}\"\n", letter("A"), letter("B")),
    )
    .unwrap();
    std::fs::write(
        &b,
        format!(
            "{{\"respondent_id\": \"P3\", \"text\": \"{}\"}}\n\
             {{\"respondent_id\": \"P1\", \"text\": \"{}\"}}\n",
            letter("C"),
            letter("A")
        ),
    )
    .unwrap();
    let (responses, report) = run(&[&a, &b], &IngestOptions::default());
    assert_eq!(ids(&responses), ["a:1"]);
    assert_eq!(report.campaigns.len(), 1);
    assert_eq!(report.campaigns[0].members, ["a:1", "a:2", "b:1"]);
    let reasons: Vec<(&str, DropReason, &str)> = report
        .dropped_rows
        .iter()
        .map(|d| (d.id.as_deref().unwrap(), d.reason, d.detail.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("a:2", DropReason::CampaignDuplicate, "campaign 1, kept as a:1"),
            ("b:1", DropReason::CampaignDuplicate, "campaign 1, kept as a:1"),
            ("b:2", DropReason::ExactDuplicate, "same as a:1"),
        ]
    );
}

#[test]

fn campaign_report_names_the_ids_the_responses_have() {
    // Both files number their rows from 1: b's "1" becomes "1~2" in the responses, and the
    // campaign it represents must say so.
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    std::fs::write(&a, "id,respondent_id,text\n1,A1,Parking on the high street is a mess.\n")
        .unwrap();
    let rows: String = ["P1", "P2", "P3"]
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{},{p},\"{}\"\n", i + 1, letter(p)))
        .collect();
    std::fs::write(&b, format!("id,respondent_id,text\n{rows}")).unwrap();
    let (responses, report) = run(&[&a, &b], &IngestOptions::default());
    assert_eq!(ids(&responses), ["1", "1~2"]);
    assert_eq!(responses[1].text, letter("P1"));
    let c = &report.campaigns[0];
    assert_eq!(c.representative, "1~2", "the campaign's kept response is 1~2, not a's 1");
    assert_eq!(c.members[0], "1~2");
    assert_eq!(report.dropped_rows[0].detail, "campaign 1, kept as 1~2");
}

// --- 4. Wide surveys ------------------------------------------------------------------------

const Q1: &str = "Q1 What works well?";
const Q2: &str = "Q2 What should change?";
const Q3: &str = "Q3 Anything else?";

fn wide_options(wide: Vec<String>, attributes: Vec<String>) -> IngestOptions {
    IngestOptions {
        wide: Some(wide),
        columns: ColumnMap {
            group: vec!["Capacity".into(), "Organisation type".into()],
            attributes,
            ..ColumnMap::default()
        },
        ..IngestOptions::default()
    }
}

/// (id, respondent, group, question, text, attributes) of each response.
type Row<'a> =
    (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>, &'a str, Vec<(&'a str, &'a str)>);

fn rows(responses: &[Response]) -> Vec<Row<'_>> {
    responses
        .iter()
        .map(|r| {
            (
                r.id.as_str(),
                r.respondent.as_deref(),
                r.group.as_deref(),
                r.question.as_deref(),
                r.text.as_str(),
                r.attributes.iter().map(|(k, v)| (&**k, &**v)).collect(),
            )
        })
        .collect()
}

const ORG: &str = "On behalf of an organisation";

fn assert_wide(responses: &[Response], report: &IngestReport, name: &str) {
    let id = |row: u32, q: &str| format!("{row}:{q}");
    let ids = [id(101, Q1), id(101, Q2), id(102, Q2), id(102, Q3), id(104, Q1), id(104, Q3)];
    let (trust, charity) = (format!("{ORG} / NHS trust"), format!("{ORG} / Charity"));
    let (one, trust, charity) = (Some("Individual"), Some(trust.as_str()), Some(charity.as_str()));
    let rating = |v| vec![("Overall rating", v)];
    let expected: Vec<Row<'_>> = vec![
        (&ids[0], Some("R01"), one, Some(Q1), "Staff were kind and quick.", rating("Good")),
        (&ids[1], Some("R01"), one, Some(Q2), "Longer opening hours.", rating("Good")),
        (&ids[2], Some("R02"), trust, Some(Q2), "Share records between hospitals.", rating("Poor")),
        (&ids[3], Some("R02"), trust, Some(Q3), "Fund more nurses.", rating("Poor")),
        // No respondent: the row is the respondent.
        (
            &ids[4],
            Some("104"),
            charity,
            Some(Q1),
            "Volunteers help patients get home.",
            rating("Very good"),
        ),
        (
            &ids[5],
            Some("104"),
            charity,
            Some(Q3),
            "Publish waiting times online.",
            rating("Very good"),
        ),
    ];
    assert_eq!(rows(responses), expected, "{name}");
    assert!(responses.iter().all(|r| r.channel.as_deref() == Some("survey")));
    let records: Vec<u64> =
        responses.iter().map(|r| r.provenance.as_ref().unwrap().record).collect();
    assert_eq!(records, [1, 1, 2, 2, 4, 4], "{name}");
    let input = &report.inputs[0];
    assert_eq!(input.unit, "answer", "{name}");
    // 4 rows × 3 open questions.
    assert_eq!((input.rows, input.read, input.kept, input.responses), (4, 12, 6, 6), "{name}");
    assert_eq!(
        input.dropped,
        counts(&[(DropReason::Empty, 4), (DropReason::NonAnswer, 1), (DropReason::TooShort, 1)]),
        "{name}"
    );
    let dropped: Vec<(u64, Option<&str>, DropReason, Option<String>)> = report
        .dropped_rows
        .iter()
        .map(|d| (d.location.record, d.column.as_deref(), d.reason, d.id.clone()))
        .collect();
    let id = |row: u32, q: &str| Some(format!("{row}:{q}"));
    assert_eq!(
        dropped,
        [
            (1, Some(Q3), DropReason::Empty, id(101, Q3)),
            (2, Some(Q1), DropReason::NonAnswer, id(102, Q1)),
            (3, Some(Q1), DropReason::Empty, id(103, Q1)),
            (3, Some(Q2), DropReason::Empty, id(103, Q2)),
            (3, Some(Q3), DropReason::Empty, id(103, Q3)),
            (4, Some(Q2), DropReason::TooShort, id(104, Q2)),
        ],
        "{name}"
    );
}

#[test]
fn wide_survey_gives_one_response_per_answer() {
    let options = wide_options(vec!["Q*".into()], vec!["Overall rating".into()]);
    for name in ["wide.csv", "wide.xlsx"] {
        let (responses, report) = run(&[fixture(name)], &options);
        assert_wide(&responses, &report, name);
        let mapping: Vec<(&str, &str)> =
            report.inputs[0].mapping.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(
            mapping,
            [
                ("open question", Q1),
                ("open question", Q2),
                ("open question", Q3),
                ("id", "id"),
                ("respondent", "respondent_id"),
                ("group", "Capacity"),
                ("group", "Organisation type"),
                ("attribute", "Overall rating"),
            ],
            "{name}"
        );
    }
}

#[test]
fn wide_survey_without_named_questions_takes_every_column_without_a_role() {
    let options = wide_options(vec![], vec!["Overall rating".into()]);
    let (responses, report) = run(&[fixture("wide.csv")], &options);
    assert_wide(&responses, &report, "wide.csv, every column");

    // Without the attribute, the rating column is one more open question.
    let options = wide_options(vec![], vec![]);
    let (responses, report) = run(&[fixture("wide.csv")], &options);
    assert_eq!((report.read, report.kept), (16, 9));
    let ratings: Vec<(&str, &str)> = responses
        .iter()
        .filter(|r| r.question.as_deref() == Some("Overall rating"))
        .map(|r| (r.id.as_str(), r.text.as_str()))
        .collect();
    assert_eq!(
        ratings,
        [
            ("101:Overall rating", "Good"),
            ("102:Overall rating", "Poor"),
            ("104:Overall rating", "Very good")
        ]
    );
    assert!(responses.iter().all(|r| r.attributes.is_empty()));
}

#[test]
fn wide_survey_patterns_must_match() {
    let path = fixture("wide.csv");
    let e = ingest_err(&[&path], &wide_options(vec!["Q*".into(), "Q9*".into()], vec![]));
    let IoError::MissingColumn { path: p, column, role, available } = e else { panic!("{e:?}") };
    assert_eq!((p, column.as_str(), role), (path.clone(), "Q9*", "open question"));
    assert!(available.starts_with("\"id\", \"respondent_id\", \"Capacity\""), "{available}");

    // A pattern matches a whole name ignoring case: "q?" is no prefix of "Q1 What ...".
    let e = ingest_err(&[&path], &wide_options(vec!["q?".into()], vec![]));
    assert!(matches!(&e, IoError::MissingColumn { column, .. } if column == "q?"), "{e:?}");
    let (responses, _) = run(&[&path], &wide_options(vec!["q? what*".into()], vec![]));
    let questions: BTreeSet<&str> =
        responses.iter().filter_map(|r| r.question.as_deref()).collect();
    assert_eq!(questions, BTreeSet::from([Q1, Q2]));

    let e = ingest_err(&[&path], &wide_options(vec!["Q*".into()], vec!["Satisfaction".into()]));
    let IoError::MissingColumn { column, role, .. } = e else { panic!("{e:?}") };
    assert_eq!((column.as_str(), role), ("Satisfaction", "attribute"));

    // A wide survey's questions are its columns: a question column contradicts that.
    let mut options = wide_options(vec!["Q*".into()], vec![]);
    options.columns.question = Some("Capacity".into());
    let e = ingest_err(&[&path], &options);
    assert!(matches!(e, IoError::InvalidOption { option: "question-column", .. }), "{e:?}");
    // ... and so does a text column, which would otherwise be silently ignored.
    let mut options = wide_options(vec!["Q*".into()], vec![]);
    options.columns.text = Some("Q1 What works well?".into());
    let e = ingest_err(&[&path], &options);
    let IoError::InvalidOption { option: "text-column", message } = e else { panic!("{e:?}") };
    assert!(message.contains("Q1 What works well?"), "{message}");
}

#[test]
fn wide_survey_errors_on_ambiguous_or_missing_questions() {
    let dir = tempfile::tempdir().unwrap();
    let twice = dir.path().join("twice.csv");
    std::fs::write(&twice, "id,Q1,Q1\n1,First answer.,Second answer.\n").unwrap();
    let options = IngestOptions { wide: Some(vec!["Q*".into()]), ..IngestOptions::default() };
    let e = ingest_err(&[&twice], &options);
    let IoError::DuplicateColumn { path, column } = e else { panic!("{e:?}") };
    assert_eq!((path, column.as_str()), (twice, "Q1"));

    let none_left = dir.path().join("roles.csv");
    std::fs::write(&none_left, "id,respondent_id\n1,R1\n").unwrap();
    let options = IngestOptions { wide: Some(vec![]), ..IngestOptions::default() };
    let e = ingest_err(&[&none_left], &options);
    assert!(matches!(e, IoError::InvalidOption { option: "question-columns", .. }), "{e:?}");
}

// --- 5. Several inputs ----------------------------------------------------------------------

fn several() -> [PathBuf; 4] {
    ["consultation.csv", "workshop_parents.txt", "online.jsonl", "paper.csv"]
        .map(|n| fixture("several").join(n))
}

#[test]
fn several_inputs_make_one_table_with_unique_ids() {
    let paths = several();
    let (responses, report) = run(&paths, &IngestOptions::default());
    assert_eq!(
        ids(&responses),
        ["1", "2", "workshop_parents:1", "workshop_parents:2", "1~2", "2~2", "paper:1", "paper:3"]
    );
    let online = file_of(&paths[2]);
    assert_eq!(
        report.renamed_ids,
        [
            (online.clone(), "1".to_owned(), "1~2".to_owned()),
            (online, "2".to_owned(), "2~2".to_owned())
        ]
    );
    // Provenance: the file as given and the record (a transcript's: the passage's line).
    let provenance: Vec<(&str, u64)> = responses
        .iter()
        .map(|r| {
            let p = r.provenance.as_ref().unwrap();
            (&*p.file, p.record)
        })
        .collect();
    let f: Vec<String> = paths.iter().map(|p| file_of(p)).collect();
    assert_eq!(
        provenance,
        [
            (f[0].as_str(), 1),
            (f[0].as_str(), 2),
            (f[1].as_str(), 2),
            (f[1].as_str(), 3),
            (f[2].as_str(), 1),
            (f[2].as_str(), 2),
            (f[3].as_str(), 1),
            (f[3].as_str(), 3),
        ]
    );
    let channels: Vec<Option<&str>> = responses.iter().map(|r| r.channel.as_deref()).collect();
    let (s, w, o) = (Some("survey"), Some("workshop"), Some("online"));
    assert_eq!(channels, [s, s, w, w, o, o, s, s]);
    let respondents: Vec<Option<&str>> =
        responses.iter().map(|r| r.respondent.as_deref()).collect();
    assert_eq!(
        respondents,
        [
            Some("C1"),
            Some("C2"),
            Some("workshop_parents/Jo Bell"),
            Some("workshop_parents/Rob Evans"),
            Some("J1"),
            Some("J2"),
            Some("K1"),
            Some("K3")
        ]
    );
    // A transcript passage is never a duplicate of a survey answer, even with the same words.
    assert_eq!(responses[2].text, responses[0].text);
    assert_eq!(responses[2].question.as_deref(), Some("workshop_parents"));

    let summary: Vec<(Format, &str, u64, u64, u64)> = report
        .inputs
        .iter()
        .map(|i| (i.format, i.unit.as_str(), i.read, i.kept, i.responses))
        .collect();
    assert_eq!(
        summary,
        [
            (Format::Csv, "row", 3, 2, 2),
            (Format::Transcript(TranscriptFormat::Plain), "turn", 3, 2, 2),
            (Format::Jsonl, "row", 2, 2, 2),
            (Format::Csv, "row", 3, 2, 2),
        ]
    );
    assert_eq!(report.dropped, counts(&[(DropReason::NonAnswer, 2), (DropReason::Facilitator, 1)]));
    let dropped: Vec<(&str, u64, DropReason, Option<&str>, &str)> = report
        .dropped_rows
        .iter()
        .map(|d| (d.file.as_str(), d.location.record, d.reason, d.id.as_deref(), d.detail.as_str()))
        .collect();
    assert_eq!(
        dropped,
        [
            (f[0].as_str(), 3, DropReason::NonAnswer, Some("3"), "-"),
            (f[1].as_str(), 1, DropReason::Facilitator, None, "Facilitator"),
            (f[3].as_str(), 2, DropReason::NonAnswer, Some("paper:2"), "N/A"),
        ]
    );
}

#[test]
fn a_single_input_without_ids_numbers_its_records() {
    let (responses, report) = run(&[fixture("several/paper.csv")], &IngestOptions::default());
    assert_eq!(ids(&responses), ["1", "3"]);
    assert_eq!(report.dropped_rows[0].id.as_deref(), Some("2"));
    assert!(report.renamed_ids.is_empty());
}

#[test]
fn options_name_channels_and_apply_to_every_input() {
    let options = IngestOptions {
        columns: ColumnMap { default_channel: Some("post".into()), ..ColumnMap::default() },
        transcript: TranscriptOptions { channel: Some("focus group".into()), ..Default::default() },
        ..IngestOptions::default()
    };
    let (responses, _) = run(&several(), &options);
    let channels: Vec<Option<&str>> = responses.iter().map(|r| r.channel.as_deref()).collect();
    let (p, g, o) = (Some("post"), Some("focus group"), Some("online"));
    assert_eq!(channels, [p, p, g, g, o, o, p, p], "a channel column wins over the default");
}

#[test]

fn a_file_given_twice_lists_its_drops_in_input_order() {
    let path = fixture("survey.csv");
    let (_, report) = ingest(&[&path, &path], &IngestOptions::default()).unwrap();
    // Input 0 drops records 2, 3, 4, 6, 8; input 1 the same and its three kept rows as
    // exact duplicates of input 0's.
    let records: Vec<u64> = report.dropped_rows.iter().map(|d| d.location.record).collect();
    assert_eq!(records, [2, 3, 4, 6, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
}

#[test]
fn repeated_ids_are_renamed_around_the_ids_already_taken() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ids.csv");
    std::fs::write(
        &path,
        "id,channel,text\n1,email,First answer.\n1~2,,Second answer.\n1,,Third answer.\n\
         ,,Fourth answer.\n4,,Fifth answer.\n",
    )
    .unwrap();
    let (responses, report) = run(&[&path], &IngestOptions::default());
    // "1~2" is taken by the file itself, so the second "1" becomes "1~3"; a missing id is the
    // record number, which may collide too.
    assert_eq!(ids(&responses), ["1", "1~2", "1~3", "4", "4~2"]);
    let file = file_of(&path);
    assert_eq!(
        report.renamed_ids,
        [
            (file.clone(), "1".to_owned(), "1~3".to_owned()),
            (file, "4".to_owned(), "4~2".to_owned())
        ]
    );
    // An empty channel cell takes the default channel.
    let channels: Vec<Option<&str>> = responses.iter().map(|r| r.channel.as_deref()).collect();
    assert_eq!(
        channels,
        [Some("email"), Some("survey"), Some("survey"), Some("survey"), Some("survey")]
    );
}

#[test]
fn a_header_without_rows_is_accounted_and_an_empty_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let header = dir.path().join("header.csv");
    std::fs::write(&header, "id,text\n").unwrap();
    let (responses, report) = run(&[&header], &IngestOptions::default());
    assert!(responses.is_empty());
    assert_eq!((report.inputs[0].rows, report.read, report.kept), (0, 0, 0));

    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let e = ingest_err(&[&header, &empty], &IngestOptions::default());
    let IoError::Empty { path } = e else { panic!("{e:?}") };
    assert_eq!(path, empty);
}

#[test]

fn a_wide_rows_drops_are_listed_in_column_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wide.csv");
    std::fs::write(
        &path,
        "respondent_id,Q1,Q2\nR1,Same answer here.,Other answer here.\nR1,Same answer here.,\n",
    )
    .unwrap();
    let options = IngestOptions { wide: Some(vec!["Q*".into()]), ..IngestOptions::default() };
    let (_, report) = run(&[&path], &options);
    let dropped: Vec<(u64, Option<&str>, DropReason)> = report
        .dropped_rows
        .iter()
        .map(|d| (d.location.record, d.column.as_deref(), d.reason))
        .collect();
    assert_eq!(
        dropped,
        [(2, Some("Q1"), DropReason::ExactDuplicate), (2, Some("Q2"), DropReason::Empty)]
    );
}

// --- 6. Column mapping and format errors ----------------------------------------------------

#[test]
fn a_missing_text_column_names_the_file_and_the_columns() {
    let path = fixture("no_text.csv");
    let e = ingest_err(&[&path], &IngestOptions::default());
    assert_eq!(
        e.to_string(),
        format!(
            "{}: no column \"text\" (the text column); the header has: \"id\", \"answer\"",
            path.display()
        )
    );
    let IoError::MissingColumn { path: p, column, role, available } = e else { panic!() };
    assert_eq!(
        (p, column.as_str(), role, available.as_str()),
        (path.clone(), "text", "text", "\"id\", \"answer\"")
    );

    // Named, it is found ignoring case and surrounding spaces.
    let options = IngestOptions {
        columns: ColumnMap { text: Some(" ANSWER ".into()), ..ColumnMap::default() },
        ..IngestOptions::default()
    };
    let (responses, report) = run(&[&path], &options);
    assert_eq!(texts(&responses), ["Too many potholes."]);
    assert_eq!(report.inputs[0].mapping[0], ("text".to_owned(), "answer".to_owned()));

    let options = IngestOptions {
        columns: ColumnMap { respondent: Some("Respondent ID".into()), ..ColumnMap::default() },
        ..IngestOptions::default()
    };
    let e = ingest_err(&[fixture("survey.csv")], &options);
    let IoError::MissingColumn { column, role, .. } = e else { panic!("{e:?}") };
    assert_eq!((column.as_str(), role), ("Respondent ID", "respondent"));
}

#[test]
fn a_column_cannot_have_two_roles() {
    let path = fixture("survey.csv");
    let options = IngestOptions {
        columns: ColumnMap { id: Some("text".into()), ..ColumnMap::default() },
        ..IngestOptions::default()
    };
    let e = ingest_err(&[&path], &options);
    let IoError::InvalidOption { option, message } = e else { panic!("{e:?}") };
    assert_eq!(option, "columns");
    assert_eq!(
        message,
        format!("{}: column \"text\" cannot be both the text and the id column", path.display())
    );

    // The respondent column by default, and the group column by name.
    let options = IngestOptions {
        columns: ColumnMap { group: vec!["respondent_id".into()], ..ColumnMap::default() },
        ..IngestOptions::default()
    };
    let e = ingest_err(&[&path], &options);
    let IoError::InvalidOption { option: "columns", message } = e else { panic!("{e:?}") };
    let why = "column \"respondent_id\" cannot be both the respondent and the group column";
    assert_eq!(message, format!("{}: {why}", path.display()));

    // An attribute may repeat a role's column (the group is a fine cross-tab variable).
    let options = IngestOptions {
        columns: ColumnMap { attributes: vec!["group".into()], ..ColumnMap::default() },
        ..IngestOptions::default()
    };
    let (responses, _) = run(&[&path], &options);
    assert_eq!(responses[0].attribute("group"), Some("Residents"));
}

#[test]

fn a_duplicated_header_name_in_use_is_an_error() {
    let path = fixture("duplicate_header.csv");
    let e = ingest_err(&[&path], &IngestOptions::default());
    let IoError::DuplicateColumn { path: p, column } = e else { panic!("{e:?}") };
    assert_eq!((p, column.as_str()), (path, "text"));

    // Likewise an open question named exactly (a pattern matching both copies is caught).
    let dir = tempfile::tempdir().unwrap();
    let twice = dir.path().join("twice.csv");
    std::fs::write(&twice, "id,Q1,Q1\n1,First answer.,Second answer.\n").unwrap();
    let options = IngestOptions { wide: Some(vec!["Q1".into()]), ..IngestOptions::default() };
    let e = ingest_err(&[&twice], &options);
    assert!(matches!(e, IoError::DuplicateColumn { .. }), "{e:?}");
}

#[test]
fn a_duplicated_header_name_not_in_use_is_fine() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.csv");
    std::fs::write(&path, "id,text,note,note\n1,Fine answer.,a,b\n").unwrap();
    let (responses, _) = run(&[&path], &IngestOptions::default());
    assert_eq!(texts(&responses), ["Fine answer."]);
}

#[test]
fn formats_are_told_from_the_extension_unless_given() {
    let path = fixture("responses.dat");
    let e = ingest_err(&[&path], &IngestOptions::default());
    let IoError::UnknownFormat { path: p, extension } = e else { panic!("{e:?}") };
    assert_eq!((p, extension.as_str()), (path.clone(), "dat"));

    let csv = IngestOptions {
        read: ReadOptions { format: Some(Format::Csv), ..ReadOptions::default() },
        ..IngestOptions::default()
    };
    let (responses, report) = run(&[&path], &csv);
    assert_eq!(texts(&responses), ["Unknown extension."]);
    assert_eq!(report.inputs[0].format, Format::Csv);

    // A CSV saved as .txt is a transcript by its extension (one without any speaker, which
    // the transcript reader refuses rather than lose every line), a table with --format csv.
    let txt = fixture("survey_csv.txt");
    let e = ingest_err(&[&txt], &IngestOptions::default());
    let IoError::Transcript(TranscriptError::NoTurns { path, lines }) = e else { panic!("{e:?}") };
    assert_eq!((path, lines), (txt.clone(), 3));
    let (responses, report) = run(&[&txt], &csv);
    assert_eq!(report.inputs[0].format, Format::Csv);
    assert_eq!(report.inputs[0].unit, "row");
    assert_eq!(ids(&responses), ["1", "2"]);
    assert_eq!(texts(&responses), ["Saved from Excel as text.", "Still a table."]);
}

#[test]
fn no_inputs_is_an_error() {
    let none: [&Path; 0] = [];
    let e = ingest_err(&none, &IngestOptions::default());
    assert!(matches!(e, IoError::InvalidOption { option: "inputs", .. }), "{e:?}");
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let path = fixture("no_such_file.csv");
    let e = ingest_err(&[&path], &IngestOptions::default());
    let IoError::Io { path: p, source } = e else { panic!("{e:?}") };
    assert_eq!(p, path);
    assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
}

// --- 7. Unreadable rows ---------------------------------------------------------------------

#[test]
fn ragged_rows_are_unreadable_unless_strict() {
    let path = fixture("ragged.csv");
    let (responses, report) = run(&[&path], &IngestOptions::default());
    assert_eq!(ids(&responses), ["1", "4"]);
    assert_eq!(texts(&responses), ["First answer here.", "Fourth answer here."]);
    // The id is never read from an unreadable row.
    assert_eq!(
        drops(&report),
        [
            (2, DropReason::Unreadable, None, "has 3 fields but the header has 2"),
            (3, DropReason::Unreadable, None, "has 1 field but the header has 2"),
        ]
    );
    let lines: Vec<Option<u64>> = report.dropped_rows.iter().map(|d| d.location.line).collect();
    assert_eq!(lines, [Some(3), Some(4)]);
    assert_eq!((report.read, report.kept), (4, 2));

    let strict = IngestOptions {
        read: ReadOptions { strict: true, ..ReadOptions::default() },
        ..IngestOptions::default()
    };
    let e = ingest_err(&[&path], &strict);
    let IoError::Ragged { path: p, record, line, found, expected } = e else { panic!("{e:?}") };
    assert_eq!((p, record, line, found, expected), (path, 2, 3, 3, 2));
}

#[test]
fn a_ragged_wide_row_loses_every_answer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wide.csv");
    std::fs::write(&path, "id,Q1,Q2\n1,Buses are late.,Trams are full.\n2,oops\n").unwrap();
    let options = IngestOptions { wide: Some(vec!["Q*".into()]), ..IngestOptions::default() };
    let (responses, report) = run(&[&path], &options);
    assert_eq!(ids(&responses), ["1:Q1", "1:Q2"]);
    assert_eq!((report.inputs[0].rows, report.read, report.kept), (2, 4, 2));
    let dropped: Vec<(u64, Option<&str>, DropReason)> = report
        .dropped_rows
        .iter()
        .map(|d| (d.location.record, d.column.as_deref(), d.reason))
        .collect();
    assert_eq!(
        dropped,
        [(2, Some("Q1"), DropReason::Unreadable), (2, Some("Q2"), DropReason::Unreadable)]
    );
}

// --- 8. expand_inputs -----------------------------------------------------------------------

#[test]
fn expand_inputs_lists_a_directory_sorted_and_skips_unknown_files() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["b.csv", "a.JSONL", "c.vtt", "notes.md", "README", "d.parquet"] {
        std::fs::write(dir.path().join(name), "x").unwrap();
    }
    // A directory named like a table is not a file: skipped, and not entered.
    std::fs::create_dir(dir.path().join("sub.csv")).unwrap();
    std::fs::write(dir.path().join("sub.csv").join("inner.csv"), "x").unwrap();
    let explicit = dir.path().join("notes.md");
    let got = expand_inputs(&[dir.path().to_owned(), explicit.clone()]).unwrap();
    let expected: Vec<PathBuf> = ["a.JSONL", "b.csv", "c.vtt", "d.parquet"]
        .iter()
        .map(|n| dir.path().join(n))
        .chain([explicit])
        .collect();
    assert_eq!(got, expected, "files given by name are kept as given");

    let empty = tempfile::tempdir().unwrap();
    assert_eq!(expand_inputs(&[empty.path().to_owned()]).unwrap(), Vec::<PathBuf>::new());
}

#[test]
fn expand_inputs_names_a_missing_path() {
    let missing = PathBuf::from("/nonexistent/thematic/responses.csv");
    let e = expand_inputs(&[fixture("survey.csv"), missing.clone()]).unwrap_err();
    assert!(e.to_string().contains("/nonexistent/thematic/responses.csv"), "{e}");
    let IoError::Io { path, source } = e else { panic!("{e:?}") };
    assert_eq!(path, missing);
    assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
}

#[test]
fn expand_inputs_of_the_fixture_directory_feeds_ingest() {
    let inputs = expand_inputs(&[fixture("several")]).unwrap();
    let names: Vec<String> =
        inputs.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["consultation.csv", "online.jsonl", "paper.csv", "workshop_parents.txt"]);
    let (responses, report) = run(&inputs, &IngestOptions::default());
    assert_eq!(report.inputs.len(), 4);
    assert_eq!(responses.len(), 8);
}

// --- 9. Fuzzing: random small tables -----------------------------------------------------------

/// Cases per property; `THEMATIC_FUZZ_CASES` raises it for a long run.
fn fuzz_cases() -> u32 {
    std::env::var("THEMATIC_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64)
}

/// A standard letter with a changeable name: long enough to be a campaign member.
fn fuzz_letter(name: &str) -> String {
    format!("We object to closing the library on Saturdays because families use it then. {name}")
}

fn text_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just(String::new()),
        1 => Just("   ".to_owned()),
        1 => Just("n/a".to_owned()),
        1 => Just("N/A".to_owned()),
        1 => Just("No comment".to_owned()),
        1 => Just("-".to_owned()),
        1 => Just("x".to_owned()),
        1 => Just("Good".to_owned()),
        // Weighted up so that campaigns and exact duplicates are common.
        4 => prop::sample::select(vec!["Ann", "Bob", "Cat", "Dan"]).prop_map(fuzz_letter),
        3 => Just("The bus is always late in the morning.".to_owned()),
        1 => ("[a-zA-Z]", 1..300usize).prop_map(|(c, n)| c.repeat(n)),
        1 => "[a-z]{1,4}( [a-z]{1,6}){0,12}",
        // Printable ASCII: quotes, delimiters and spaces included.
        1 => "[ -~]{0,40}",
        1 => "\\PC{0,30}",
        1 => "[a-z ,\"\r\n]{0,20}",
    ]
}

#[derive(Debug, Clone)]
struct FuzzRow {
    id: String,
    respondent: String,
    question: String,
    text: String,
    /// Fields written instead of the four, to make the row ragged: fewer, or more with a
    /// non-empty extra one.
    ragged: Option<Vec<String>>,
}

fn row_strategy() -> impl Strategy<Value = FuzzRow> {
    let pool = |v: Vec<&'static str>| prop::sample::select(v).prop_map(str::to_owned);
    let ragged = prop_oneof![
        18 => Just(None),
        1 => prop::collection::vec("[a-z]{0,3}", 1..4).prop_map(Some),
        1 => prop::collection::vec("[a-z]{1,3}", 5..7).prop_map(Some),
    ];
    (
        pool(vec!["1", "2", "3", "", "7"]),
        pool(vec!["r1", "r2", "r3", "r4", "", " r1 "]),
        pool(vec!["Q1", "Q2", ""]),
        text_strategy(),
        ragged,
    )
        .prop_map(|(id, respondent, question, text, ragged)| FuzzRow {
            id,
            respondent,
            question,
            text,
            ragged,
        })
}

fn write_csv(path: &Path, with_id: bool, rows: &[FuzzRow]) {
    let mut w = csv::WriterBuilder::new().flexible(true).from_path(path).unwrap();
    let header: &[&str] = if with_id {
        &["id", "respondent_id", "question", "text"]
    } else {
        &["respondent_id", "question", "text"]
    };
    w.write_record(header).unwrap();
    for r in rows {
        match &r.ragged {
            Some(fields) => {
                // Never exactly the header's width: one field fewer at least, or one more.
                let mut fields = fields.clone();
                if fields.len() == header.len() {
                    fields.push("extra".into());
                }
                if fields.len() > header.len()
                    && let Some(last) = fields.last_mut()
                {
                    last.push('z');
                }
                w.write_record(&fields).unwrap();
            }
            None if with_id => {
                w.write_record([&r.id, &r.respondent, &r.question, &r.text]).unwrap()
            }
            None => w.write_record([&r.respondent, &r.question, &r.text]).unwrap(),
        }
    }
    w.flush().unwrap();
}

fn nonempty(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

/// The id (before renaming), respondent and question ingest should give a readable row.
type Expected = (String, Option<String>, Option<String>);

/// Ingests a random table written to a temporary CSV file and checks every invariant, and
/// the kept records against a model built from the public dedupe API.
fn check_random_table(
    rows: &[FuzzRow],
    with_id: bool,
    wide: bool,
    campaigns_once: bool,
) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fuzz.csv");
    write_csv(&path, with_id, rows);
    let options = IngestOptions {
        read: ReadOptions { delimiter: Some(b','), quote: Some(b'"'), ..ReadOptions::default() },
        // Wide, the text column is the one open question.
        wide: wide.then(|| vec!["text".to_owned()]),
        campaigns_once,
        ..IngestOptions::default()
    };
    let (responses, report) = match ingest(&[&path], &options) {
        Ok(ok) => ok,
        Err(e) => {
            let bytes = std::fs::read(&path).unwrap();
            let file = String::from_utf8_lossy(&bytes);
            return Err(TestCaseError::fail(format!("{e}\n{file:?}")));
        }
    };
    assert_accounted(&responses, &report);
    prop_assert_eq!(report.read, rows.len() as u64);
    prop_assert_eq!(&report.inputs[0].unit, if wide { "answer" } else { "row" });
    let ragged = rows.iter().filter(|r| r.ragged.is_some()).count() as u64;
    let unreadable = report.dropped.get(&DropReason::Unreadable).copied().unwrap_or(0);
    prop_assert_eq!(unreadable, ragged);

    // What ingest should make of each readable row: its id, respondent and question.
    let row_id = |r: &FuzzRow, record: u64| match nonempty(&r.id).filter(|_| with_id) {
        Some(id) => id.to_owned(),
        None => record.to_string(),
    };
    let model = |r: &FuzzRow, record: u64| -> Expected {
        let respondent = nonempty(&r.respondent).map(str::to_owned);
        if wide {
            let id = row_id(r, record);
            (format!("{id}:text"), respondent.or(Some(id)), Some("text".to_owned()))
        } else {
            (row_id(r, record), respondent, nonempty(&r.question).map(str::to_owned))
        }
    };

    // Every kept text passes screening, and is the text written, in input order.
    let dedupe = Dedupe::params().build().unwrap();
    let renamed: BTreeMap<&str, &str> =
        report.renamed_ids.iter().map(|(_, old, new)| (new.as_str(), old.as_str())).collect();
    let mut last = 0;
    for r in &responses {
        prop_assert_eq!(dedupe.screen(&r.text), None, "{:?}", r.text);
        let record = r.provenance.as_ref().unwrap().record;
        prop_assert!(record > last, "out of order: {} after {}", record, last);
        last = record;
        let Some(row) = (record as usize).checked_sub(1).and_then(|i| rows.get(i)) else {
            return Err(TestCaseError::fail(format!("no record {record}")));
        };
        prop_assert_eq!(&r.text, &row.text);
        let (id, respondent, question) = model(row, record);
        let original = renamed.get(r.id.as_str()).copied().unwrap_or(&r.id);
        prop_assert_eq!(original, id.as_str());
        prop_assert_eq!(r.respondent.as_deref(), respondent.as_deref());
        prop_assert_eq!(r.question.as_deref(), question.as_deref());
    }
    // Every record is either kept or dropped, once.
    let mut seen: Vec<u64> =
        responses.iter().map(|r| r.provenance.as_ref().unwrap().record).collect();
    seen.extend(report.dropped_rows.iter().map(|d| d.location.record));
    seen.sort_unstable();
    prop_assert_eq!(seen, (1..=rows.len() as u64).collect::<Vec<_>>());

    // The kept records are those the dedupe API keeps among the screened rows.
    let screened: Vec<(u64, Expected, &str)> = rows
        .iter()
        .zip(1u64..)
        .filter(|(r, _)| r.ragged.is_none() && dedupe.screen(&r.text).is_none())
        .map(|(r, n)| (n, model(r, n), r.text.as_str()))
        .collect();
    let items: Vec<DedupeItem<'_>> = screened
        .iter()
        .map(|(_, (_, respondent, question), text)| {
            DedupeItem::new(respondent.as_deref(), question.as_deref(), text)
        })
        .collect();
    let found = dedupe.duplicates(&items);
    let expected: Vec<u64> = screened
        .iter()
        .zip(&found.verdicts)
        .filter(|(_, v)| match v {
            Verdict::Keep => true,
            Verdict::ExactDuplicate { .. } => false,
            Verdict::CampaignMember { .. } => !campaigns_once,
        })
        .map(|((n, _, _), _)| *n)
        .collect();
    let kept: Vec<u64> = responses.iter().map(|r| r.provenance.as_ref().unwrap().record).collect();
    prop_assert_eq!(kept, expected);
    prop_assert_eq!(report.campaigns.len(), found.campaigns.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(fuzz_cases()))]

    #[test]
    fn fuzz_random_tables_balance_and_keep_only_screened_text(
        rows in prop::collection::vec(row_strategy(), 0..14),
        with_id in any::<bool>(),
        wide in any::<bool>(),
        campaigns_once in any::<bool>(),
    ) {
        check_random_table(&rows, with_id, wide, campaigns_once)?;
    }
}
