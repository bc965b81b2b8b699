//! Reading transcripts: every format, every turn accounted for, clear errors for bad files,
//! no panic on any input.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use proptest::prelude::*;
use thematic_core::Response;
use thematic_io::transcript::{
    DropReason, RespondentScope, SpeakerGroups, SpeakerRole, TranscriptError, TranscriptFormat,
    TranscriptOptions, TranscriptReport, read_transcript, read_transcript_bytes,
};
use thematic_io::{CsvOptions, read_csv};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/transcripts").join(name)
}

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data").join(name)
}

fn speakers() -> SpeakerGroups {
    SpeakerGroups::from_path(fixture("speakers.csv")).unwrap()
}

fn mapped() -> TranscriptOptions {
    TranscriptOptions { speakers: speakers(), ..TranscriptOptions::default() }
}

fn read(name: &str, options: &TranscriptOptions) -> (Vec<Response>, TranscriptReport) {
    read_transcript(fixture(name), options).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn texts(rows: &[Response]) -> Vec<&str> {
    rows.iter().map(|r| r.text.as_str()).collect()
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// The report's books balance, and the responses agree with it.
fn assert_accounted(rows: &[Response], report: &TranscriptReport) {
    assert_eq!(report.turns_read, report.turns_kept + report.dropped.len() as u64, "{report:#?}");
    assert_eq!(report.passages, rows.len() as u64);
    assert_eq!(report.words_kept, rows.iter().map(|r| words(&r.text) as u64).sum::<u64>());
    let by_speaker: u64 = report.speakers.iter().map(|s| s.turns).sum();
    assert_eq!(by_speaker, report.turns_read);
    let kept: u64 = report.speakers.iter().map(|s| s.turns_kept).sum();
    assert_eq!(kept, report.turns_kept);
    assert_eq!(report.speakers.iter().map(|s| s.passages).sum::<u64>(), report.passages);
    for r in rows {
        assert!(!r.text.trim().is_empty() && r.text == r.text.trim(), "{r:?}");
        assert!(r.provenance.as_ref().is_some_and(|p| p.record >= 1 && p.record <= report.lines));
    }
}

// --- Each format ----------------------------------------------------------------------------

#[test]
fn teams_vtt_merges_cues_per_speaker_and_drops_the_facilitator() {
    let (rows, report) = read("teams.vtt", &mapped());
    assert_accounted(&rows, &report);
    assert_eq!(report.format, TranscriptFormat::WebVtt);
    assert_eq!((report.cues, report.turns_read, report.turns_kept), (6, 5, 3));
    assert_eq!(
        texts(&rows),
        [
            "On a busy take in A&E I override thirty interaction warnings a shift.",
            "Trusts need to review their alert library every year.",
            "And the hazard log never mentions alert burden <sigh>.",
        ]
    );
    let dropped: Vec<_> = report.dropped.iter().map(|d| (d.line, d.reason)).collect();
    assert_eq!(dropped, [(5, DropReason::Facilitator), (21, DropReason::Facilitator)]);
    let first = &rows[0];
    assert_eq!(first.id, "teams:1");
    assert_eq!(first.respondent.as_deref(), Some("teams/Dr Amara Patel"));
    assert_eq!(first.group.as_deref(), Some("Clinicians"));
    assert_eq!(first.question.as_deref(), Some("teams"));
    // Neither "workshop" nor "interview" is in the file name.
    assert_eq!(first.channel.as_deref(), Some("transcript"));
    let provenance = first.provenance.as_ref().unwrap();
    assert_eq!(provenance.record, 9);
    assert!(provenance.file.ends_with("teams.vtt"));
    assert_eq!(rows[1].group.as_deref(), Some("Clinical safety officers"));
    assert!(report.unmapped_speakers.is_empty());
    let sam = report.speakers.iter().find(|s| s.speaker.as_deref() == Some("Sam Okafor")).unwrap();
    assert!(sam.facilitator && sam.turns == 2 && sam.turns_kept == 0 && sam.passages == 0);
    assert_eq!(report.sha256.len(), 64);
    assert_eq!(report.bytes, std::fs::metadata(fixture("teams.vtt")).unwrap().len());
}

#[test]
fn zoom_vtt_takes_speakers_from_name_prefixes() {
    let (rows, report) = read("zoom.vtt", &mapped());
    assert_accounted(&rows, &report);
    assert_eq!((report.cues, report.turns_read, report.dropped.len()), (5, 4, 2));
    assert_eq!(
        texts(&rows),
        [
            "I'm the clinical safety officer for a community trust, and most of my week goes \
             on DCB0160 paperwork.",
            "NHS England should publish a national hazard library. Suppliers must share their \
             safety cases.",
        ]
    );
    assert!(rows.iter().all(|r| r.group.as_deref() == Some("Clinical safety officers")));
    assert_eq!(rows[1].provenance.as_ref().unwrap().record, 21);
}

#[test]
fn vtt_blocks_settings_tags_and_entities() {
    let (rows, report) = read("features.vtt", &mapped());
    assert_accounted(&rows, &report);
    assert_eq!(report.header, ["Kind: captions", "Language: en-GB"]);
    assert_eq!(report.skipped_blocks, 4, "STYLE, REGION and two NOTE blocks");
    assert_eq!(report.cues, 4, "the last cue is empty but still a cue");
    assert_eq!(
        texts(&rows),
        [
            "I really can't use the app. My mother is 88 and",
            "She is not alone. Nobody rang her back."
        ]
    );
    // The cue without a voice continues the last voice.
    assert_eq!(rows[1].group.as_deref(), Some("Clinicians"));
    assert_eq!(rows[1].provenance.as_ref().unwrap().record, 19);
}

#[test]
fn srt_labels_continuations_dialogue_lines_and_missing_blank_lines() {
    let (rows, report) = read("interview.srt", &mapped());
    assert_accounted(&rows, &report);
    assert_eq!(report.format, TranscriptFormat::Srt);
    assert_eq!((report.cues, report.turns_read, report.turns_kept), (6, 4, 2));
    // "Interviewer" is a facilitator by its label alone.
    assert!(report.dropped.iter().all(|d| d.reason == DropReason::Facilitator));
    assert_eq!(
        texts(&rows),
        [
            "We supply e-prescribing systems to about forty trusts. The assurance burden is \
             enormous.",
            "Every trust asks different questions. NHS England should agree one assurance pack. \
             [laughter] Honestly.",
        ]
    );
    assert!(rows.iter().all(|r| r.group.as_deref() == Some("Suppliers and industry")));
    let lines: Vec<u64> = rows.iter().map(|r| r.provenance.as_ref().unwrap().record).collect();
    assert_eq!(lines, [8, 18]);
}

#[test]
fn crlf_reads_like_lf() {
    let (lf, _) = read("interview.srt", &mapped());
    let (crlf, report) = read("interview_crlf.srt", &mapped());
    assert_accounted(&crlf, &report);
    assert_eq!(texts(&lf), texts(&crlf));
    let line = |rows: &[Response]| {
        rows.iter().map(|r| r.provenance.clone().unwrap().record).collect::<Vec<_>>()
    };
    assert_eq!(line(&lf), line(&crlf));
    assert!(crlf.iter().all(|r| !r.text.contains('\r')));
}

#[test]
fn plain_text_header_timestamps_continuations_and_paragraphs() {
    let (rows, report) = read("plain.txt", &mapped());
    assert_accounted(&rows, &report);
    assert_eq!(report.format, TranscriptFormat::Plain);
    assert_eq!(
        report.header,
        ["Workshop 2: Patients and public", "Date: 14 May 2025", "Location: Civic Centre, Room 4"]
    );
    assert_eq!((report.turns_read, report.turns_kept), (5, 3));
    assert_eq!(
        texts(&rows),
        [
            "I can't get through on the phone, and the online form times out.\nIt happened \
             three times last month.",
            "Same for me. [inaudible] The app 10:30 is when the surgery opens, and it's full by \
             10:35.\nTrusts need to keep a phone route.",
            "I'd like to see who looks at my record.",
        ]
    );
    let lines: Vec<u64> = rows.iter().map(|r| r.provenance.as_ref().unwrap().record).collect();
    assert_eq!(lines, [6, 10, 14], "Mei Wong's text starts under her name");
    assert_eq!(report.dropped.iter().map(|d| d.line).collect::<Vec<_>>(), [5, 16]);
}

#[test]
fn bom_and_crlf_in_plain_text() {
    let (rows, report) = read("bom_crlf.txt", &mapped());
    assert_accounted(&rows, &report);
    assert_eq!(texts(&rows), ["Hello there.", "Hi. It's me."]);
    assert_eq!(rows[0].respondent.as_deref(), Some("bom_crlf/Jo Bell"));
    assert!(report.header.is_empty());
}

// --- Errors --------------------------------------------------------------------------------

fn error(name: &str) -> TranscriptError {
    match read_transcript(fixture(name), &mapped()) {
        Ok((_, report)) => panic!("{name} was read: {report:#?}"),
        Err(e) => {
            assert!(e.to_string().contains(name), "{e}");
            e
        }
    }
}

#[test]
fn bad_vtt_timestamps_name_line_and_column() {
    let e = error("bad_minutes.vtt");
    assert!(
        matches!(&e, TranscriptError::Timestamp { line: 6, column: 1, found, reason, .. }
            if found == "00:61:00.000" && reason.contains("minutes 61")),
        "{e:?}"
    );
    let e = error("short_timestamp.vtt");
    assert!(
        matches!(&e, TranscriptError::Timestamp { line: 3, column: 1, found, .. } if found == "1:2:3"),
        "{e:?}"
    );
    let e = error("end_before_start.vtt");
    assert!(matches!(&e, TranscriptError::Timestamp { line: 3, column: 18, .. }), "{e:?}");
    assert!(e.to_string().contains("ends before it starts"), "{e}");
}

#[test]
fn vtt_cue_without_arrow_is_an_error_naming_the_line() {
    let e = error("missing_arrow.vtt");
    assert!(matches!(e, TranscriptError::Cue { line: 6, .. }), "{e:?}");
    assert!(e.to_string().contains("-->"), "{e}");
}

#[test]
fn vtt_without_header_is_an_error() {
    let e = error("no_header.vtt");
    assert!(matches!(e, TranscriptError::MissingHeader { .. }), "{e:?}");
}

#[test]
fn bad_srt_and_plain_timestamps() {
    let e = error("bad_timestamp.srt");
    assert!(
        matches!(&e, TranscriptError::Timestamp { line: 2, column: 18, found, .. } if found == "00:00:4,000"),
        "{e:?}"
    );
    let e = error("missing_timing.srt");
    assert!(matches!(e, TranscriptError::Cue { line: 5, .. }), "{e:?}");
    assert!(e.to_string().contains("cue 2 has no timing line"), "{e}");
    let e = error("bad_timestamp.txt");
    assert!(
        matches!(&e, TranscriptError::Timestamp { line: 2, column: 2, found, .. } if found == "00:61:00"),
        "{e:?}"
    );
}

#[test]
fn lenient_mode_keeps_the_text_and_warns() {
    let lenient = TranscriptOptions { strict: false, ..mapped() };
    for (name, kept_words) in [
        ("bad_minutes.vtt", "Fine cue. Bad cue."),
        ("short_timestamp.vtt", "Hours, minutes and seconds need two digits each."),
        ("missing_arrow.vtt", "First. 1 00:00:01.000 00:00:04.000 No arrow here."),
        ("no_header.vtt", "The header line is missing."),
        ("bad_timestamp.srt", "The end time has one digit of seconds."),
        ("missing_timing.srt", "Fine. This cue has no timing line."),
        ("bad_timestamp.txt", "Fine.\nSixty-one minutes."),
    ] {
        let (rows, report) = read_transcript(fixture(name), &lenient).unwrap();
        assert_accounted(&rows, &report);
        assert_eq!(texts(&rows).join(" | "), kept_words, "{name}");
        assert_eq!(report.warnings.len(), 1, "{name}: {:?}", report.warnings);
        assert!(report.warnings[0].line >= 1 && report.warnings[0].message.contains(name));
    }
}

#[test]
fn empty_and_header_only_files() {
    assert!(matches!(error("empty.txt"), TranscriptError::Empty { .. }));
    assert!(matches!(error("blank.srt"), TranscriptError::Empty { .. }));
    // A WebVTT file with no cues has no speech: nothing is lost.
    let (rows, report) = read("header_only.vtt", &mapped());
    assert!(rows.is_empty());
    assert_eq!((report.turns_read, report.cues, report.skipped_blocks), (0, 0, 1));
    assert_eq!(report.header, ["Kind: captions"]);
    // Plain text with no speaker would all be header: an error, not a silent empty result.
    let e = error("header_only.txt");
    assert!(matches!(e, TranscriptError::NoTurns { lines: 2, .. }), "{e:?}");
}

#[test]
fn invalid_utf8_names_line_column_and_byte() {
    let e = error("invalid_utf8.txt");
    assert!(
        matches!(e, TranscriptError::Encoding { line: 2, column: 15, byte_offset: 28, .. }),
        "{e:?}"
    );
}

#[test]
fn the_report_names_the_encoding_read() {
    let (_, report) = read("teams.vtt", &mapped());
    assert_eq!(report.encoding, "UTF-8");
    // Not UTF-8, so detection falls back to Windows-1252, as Excel-era exports need.
    let auto = TranscriptOptions { encoding: thematic_io::Encoding::Auto, ..mapped() };
    let (rows, report) = read("invalid_utf8.txt", &auto);
    assert_eq!(report.encoding, "windows-1252");
    assert!(rows.iter().any(|r| r.text == "café au lait"), "{rows:?}");
}

#[test]
fn invalid_options() {
    for options in [
        TranscriptOptions { max_passage_words: 0, ..TranscriptOptions::default() },
        TranscriptOptions { session: Some(" ".into()), ..TranscriptOptions::default() },
        TranscriptOptions { channel: Some(String::new()), ..TranscriptOptions::default() },
    ] {
        let e = read_transcript(fixture("teams.vtt"), &options).unwrap_err();
        assert!(matches!(e, TranscriptError::InvalidOption { .. }), "{e:?}");
    }
    let e = read_transcript(fixture("no_such_file.vtt"), &TranscriptOptions::default());
    assert!(matches!(e, Err(TranscriptError::Io { .. })));
}

// --- Options -------------------------------------------------------------------------------

#[test]
fn facilitators_can_be_kept() {
    let keep = TranscriptOptions { exclude_facilitators: false, ..mapped() };
    let (rows, report) = read("teams.vtt", &keep);
    assert_accounted(&rows, &report);
    assert_eq!((report.turns_kept, report.dropped.len()), (5, 0));
    assert_eq!(rows[0].text, "Thanks for joining. Let's start with alerts.");
    assert_eq!(rows[0].group, None);
    // Without a mapping, a label saying "Facilitator" or "Interviewer" is enough.
    let (_, report) = read("plain.txt", &TranscriptOptions::default());
    assert_eq!(report.dropped.len(), 2);
    assert!(report.speakers[0].facilitator);
}

#[test]
fn unmapped_speakers_are_listed_or_dropped() {
    let (rows, report) = read("teams.vtt", &TranscriptOptions::default());
    assert_accounted(&rows, &report);
    assert_eq!(report.unmapped_speakers, ["Sam Okafor", "Dr Amara Patel", "Kit Lam"]);
    assert!(rows.iter().all(|r| r.group.is_none()));
    // Unmapped, Sam is not known as a facilitator: their turns are kept.
    assert_eq!(report.turns_kept, 5);
    let strict = TranscriptOptions { drop_unmapped: true, ..TranscriptOptions::default() };
    let (rows, report) = read("teams.vtt", &strict);
    assert_accounted(&rows, &report);
    assert!(rows.is_empty());
    assert!(report.dropped.iter().all(|d| d.reason == DropReason::Unmapped));
    let mapping = SpeakerGroups::new().speaker("Kit Lam", "Clinical safety officers");
    let partial = TranscriptOptions { speakers: mapping, ..strict };
    let (rows, report) = read("teams.vtt", &partial);
    assert_accounted(&rows, &report);
    assert_eq!(texts(&rows), ["Trusts need to review their alert library every year."]);
}

#[test]
fn session_channel_and_respondent_scope() {
    let options = TranscriptOptions {
        session: Some("Workshop A".into()),
        channel: Some("workshop".into()),
        respondent_scope: RespondentScope::Global,
        ..mapped()
    };
    let (rows, _) = read("teams.vtt", &options);
    assert!(rows.iter().all(|r| r.question.as_deref() == Some("Workshop A")));
    assert!(rows.iter().all(|r| r.channel.as_deref() == Some("workshop")));
    assert_eq!(rows[0].respondent.as_deref(), Some("Dr Amara Patel"));
    assert_eq!(rows[0].id, "teams:1", "ids come from the file stem");
    // The channel is inferred from the file name when not set.
    let bytes = std::fs::read(fixture("teams.vtt")).unwrap();
    let (rows, report) = read_transcript_bytes("x/interview_07.vtt", &bytes, &mapped()).unwrap();
    assert_eq!(report.channel, "interview");
    assert_eq!(rows[0].id, "interview_07:1");
    assert_eq!(rows[0].provenance.as_ref().unwrap().file.as_ref(), "x/interview_07.vtt");
    let (_, report) = read_transcript_bytes("Workshop-2.vtt", &bytes, &mapped()).unwrap();
    assert_eq!(report.channel, "workshop");
}

#[test]
fn format_detection_prefers_content_then_extension() {
    let vtt = std::fs::read(fixture("teams.vtt")).unwrap();
    let (_, report) = read_transcript_bytes("notes.txt", &vtt, &mapped()).unwrap();
    assert_eq!(report.format, TranscriptFormat::WebVtt);
    let srt = std::fs::read(fixture("interview.srt")).unwrap();
    let (rows, report) = read_transcript_bytes("export", &srt, &mapped()).unwrap();
    assert_eq!((report.format, rows.len()), (TranscriptFormat::Srt, 2));
    assert_eq!(TranscriptFormat::from_extension("a/B.VTT"), Some(TranscriptFormat::WebVtt));
    assert_eq!(TranscriptFormat::detect("a.log", "Jo: hi"), TranscriptFormat::Plain);
    // Forcing a format overrides detection.
    let forced = TranscriptOptions { format: Some(TranscriptFormat::Plain), ..mapped() };
    let (_, report) = read_transcript(fixture("interview.srt"), &forced).unwrap();
    assert_eq!(report.format, TranscriptFormat::Plain);
    assert_eq!(report.header, ["1", "00:00:01,000 --> 00:00:04,000"]);
}

// --- Passages -------------------------------------------------------------------------------

#[test]
fn passages_are_bounded_and_split_between_sentences() {
    let sentence = |i: usize| format!("Sentence number {i} has exactly seven words.");
    let turn: Vec<String> = (0..40).map(sentence).collect();
    let text = format!("Jo Bell: {}\n", turn.join(" "));
    for max in [7, 10, 20, 120] {
        let options = TranscriptOptions { max_passage_words: max, ..mapped() };
        let (rows, report) = read_transcript_bytes("long.txt", text.as_bytes(), &options).unwrap();
        assert_accounted(&rows, &report);
        assert_eq!(report.words_kept, 280);
        let per = max / 7;
        assert_eq!(rows.len(), 40_usize.div_ceil(per), "max {max}");
        for r in &rows {
            assert!(words(&r.text) <= max);
            // Never mid-sentence: every passage is whole sentences.
            assert!(r.text.starts_with("Sentence") && r.text.ends_with("words."), "{}", r.text);
        }
        let joined: Vec<&str> = rows.iter().flat_map(|r| r.text.split_whitespace()).collect();
        assert_eq!(joined, text["Jo Bell: ".len()..].split_whitespace().collect::<Vec<_>>());
        // All passages of one turn start on its line.
        assert!(rows.iter().all(|r| r.provenance.as_ref().unwrap().record == 1));
    }
    // A sentence longer than the bound is cut at words.
    let options = TranscriptOptions { max_passage_words: 3, ..mapped() };
    let (rows, _) =
        read_transcript_bytes("s.txt", b"Jo Bell: one two three four five six seven.", &options)
            .unwrap();
    // Evenly: 3 + 2 + 2, not 3 + 3 + 1.
    assert_eq!(texts(&rows), ["one two three", "four five", "six seven."]);
}

#[test]
fn provenance_follows_the_line_a_passage_starts_on() {
    let text = "Jo Bell: First sentence here.\nSecond line sentence.\nThird line sentence.\n";
    let options = TranscriptOptions { max_passage_words: 3, ..mapped() };
    let (rows, _) = read_transcript_bytes("p.txt", text.as_bytes(), &options).unwrap();
    let lines: Vec<u64> = rows.iter().map(|r| r.provenance.as_ref().unwrap().record).collect();
    assert_eq!(lines, [1, 2, 3]);
}

#[test]
fn a_one_megabyte_turn() {
    let mut text = String::from("Facilitator: Go ahead.\nJo Bell: ");
    let mut n: usize = 0;
    while text.len() < 1 << 20 {
        text.push_str("the alerts fire on every patient so nobody reads them. ");
        n += 10;
    }
    text.push_str("\nFacilitator: Thanks.");
    for (name, bytes) in [
        ("big.txt", text.clone()),
        (
            "big.vtt",
            // Three cues: the facilitator's, one megabyte of Jo Bell's, the facilitator's.
            format!(
                "WEBVTT\n\n00:00.000 --> 00:01.000\n{}\n",
                text.replace("\nJo Bell: ", "\n\n00:01.000 --> 59:59.999\n<v Jo Bell>").replace(
                    "\nFacilitator: Thanks",
                    "\n\n59:59.999 --> 01:00:00.000\nFacilitator: Thanks"
                )
            ),
        ),
    ] {
        let start = Instant::now();
        let (rows, report) = read_transcript_bytes(name, bytes.as_bytes(), &mapped()).unwrap();
        let elapsed = start.elapsed();
        assert_accounted(&rows, &report);
        assert_eq!(report.words_kept, n as u64, "{name}");
        assert_eq!(rows.len(), n.div_ceil(120), "{name}: sentences of 10 words, 12 a passage");
        assert!(rows.iter().all(|r| words(&r.text) <= 120));
        eprintln!("{name}: {} bytes, {} passages in {elapsed:?}", bytes.len(), rows.len());
    }
    // One sentence of a megabyte, with no punctuation at all.
    let blob = format!("Jo Bell: {}", "word ".repeat(1 << 18));
    let (rows, report) = read_transcript_bytes("blob.txt", blob.as_bytes(), &mapped()).unwrap();
    assert_accounted(&rows, &report);
    assert_eq!(rows.len(), (1usize << 18).div_ceil(120));
}

// --- Speaker mappings -----------------------------------------------------------------------

#[test]
fn csv_and_toml_mappings_agree() {
    let csv = SpeakerGroups::from_path(fixture("speakers.csv")).unwrap();
    let toml = SpeakerGroups::from_path(fixture("speakers.toml")).unwrap();
    assert_eq!(csv.len(), 8);
    for name in ["Sam Okafor", "Dr Amara Patel", "kit lam", "Jo Bell", "Priya Shah", "Lee Chen"] {
        let (a, b) = (csv.lookup(name, None).unwrap(), toml.lookup(name, None).unwrap());
        assert_eq!((&a.group, a.role), (&b.group, b.role), "{name}");
    }
    let sam = toml.lookup("SAM OKAFOR", None).unwrap();
    assert_eq!((sam.role, sam.group.as_deref()), (SpeakerRole::Facilitator, None));
    // "Dr. Amara Patel" in the TOML matches "Dr Amara Patel" in the transcripts.
    assert_eq!(toml.lookup("Dr Amara Patel", None).unwrap().group.as_deref(), Some("Clinicians"));
    // A session's own entry wins in that session only.
    assert_eq!(
        toml.lookup("Mei Wong", Some("plain")).unwrap().group.as_deref(),
        Some("Clinicians")
    );
    assert_eq!(
        toml.lookup("Mei Wong", Some("other")).unwrap().group.as_deref(),
        Some("Patients and public")
    );
    let options = TranscriptOptions { speakers: toml, ..TranscriptOptions::default() };
    let (rows, _) = read("plain.txt", &options);
    assert_eq!(rows[2].group.as_deref(), Some("Clinicians"));
    let (rows, _) = read("bom_crlf.txt", &options);
    assert_eq!(rows[0].group.as_deref(), Some("Patients and public"));
}

#[test]
fn bad_mappings_name_the_line() {
    let e = SpeakerGroups::from_path(fixture("speakers_conflict.csv")).unwrap_err();
    assert!(matches!(e, TranscriptError::SpeakerFile { line: 4, .. }), "{e:?}");
    assert!(e.to_string().contains("line 2"), "{e}");
    let e = SpeakerGroups::from_path(fixture("speakers_bad_role.csv")).unwrap_err();
    assert!(matches!(e, TranscriptError::SpeakerFile { line: 2, .. }), "{e:?}");
    assert!(e.to_string().contains("facilitatr"), "{e}");
    let e = SpeakerGroups::from_path(fixture("speakers_syntax.toml")).unwrap_err();
    assert!(matches!(e, TranscriptError::SpeakerFile { line: 3, .. }), "{e:?}");
    let e = SpeakerGroups::from_csv_str("m.csv", "name,group\nJo,Clinicians\n").unwrap_err();
    assert!(e.to_string().contains("no \"speaker\" column"), "{e}");
    let e = SpeakerGroups::from_toml_str("m.toml", "[speakers]\nJo = 3\n").unwrap_err();
    assert!(matches!(e, TranscriptError::SpeakerFile { line: 2, .. }), "{e:?}");
    let e = SpeakerGroups::from_toml_str("m.toml", "[speaker]\nJo = \"x\"\n").unwrap_err();
    assert!(matches!(e, TranscriptError::SpeakerFile { .. }), "{e:?}");
}

// --- The bundled transcripts ----------------------------------------------------------------

#[test]
fn bundled_transcripts_parse_and_every_speaker_has_a_survey_group() {
    let (survey, _) =
        read_csv(data("digital_clinical_safety_consultation.csv"), &CsvOptions::default()).unwrap();
    let groups: BTreeSet<String> =
        survey.iter().filter_map(|r| r.group.as_deref().map(String::from)).collect();
    assert_eq!(groups.len(), 6);
    let mapping = SpeakerGroups::from_path(data("speakers.csv")).unwrap();
    for e in mapping.entries() {
        match e.role {
            SpeakerRole::Facilitator => assert!(e.group.is_none(), "{e:?}"),
            _ => assert!(e.group.as_ref().is_some_and(|g| groups.contains(g)), "{e:?}"),
        }
    }
    let options = TranscriptOptions {
        speakers: mapping,
        drop_unmapped: true,
        ..TranscriptOptions::default()
    };
    let (mut passages, mut turns, mut facilitator_turns) = (0, 0, 0);
    let mut channels = Vec::new();
    let mut formats = std::collections::HashSet::new();
    let mut ids = BTreeSet::new();
    let dir = data("transcripts");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| TranscriptFormat::from_extension(p).is_some() && !p.ends_with("README.md"))
        .collect();
    files.sort();
    for path in &files {
        let (rows, report) = read_transcript(path, &options).unwrap_or_else(|e| panic!("{e}"));
        assert_accounted(&rows, &report);
        let name = path.file_name().unwrap().to_string_lossy();
        assert!(report.warnings.is_empty());
        assert!(report.unmapped_speakers.is_empty(), "{name}: {:?}", report.unmapped_speakers);
        // Only facilitators are dropped: every participant's word is kept.
        assert!(report.dropped.iter().all(|d| d.reason == DropReason::Facilitator), "{name}");
        assert!(!report.dropped.is_empty(), "{name} has a facilitator");
        let participants = report.speakers.iter().filter(|s| !s.facilitator).count();
        assert!(participants >= 1);
        let total: u64 = report.speakers.iter().map(|s| s.words).sum();
        assert!((600..=1500).contains(&total), "{name}: {total} words");
        for r in &rows {
            assert!(groups.contains(r.group.as_deref().unwrap()), "{r:?}");
            assert!(ids.insert(r.id.clone()), "duplicate id {}", r.id);
        }
        passages += report.passages;
        turns += report.turns_read;
        facilitator_turns += report.dropped.len();
        channels.push(report.channel.clone());
        formats.insert(report.format);
    }
    channels.sort();
    let count = |c: &str| channels.iter().filter(|x| *x == c).count();
    assert!(count("workshop") >= 2 && count("interview") >= 3, "{channels:?}");
    assert_eq!(count("workshop") + count("interview"), files.len());
    assert_eq!(formats.len(), 3, "plain, WebVTT and SRT");
    // The counts data/README.md gives.
    assert_eq!((passages, turns, facilitator_turns), (61, 103, 43));
}

// --- Fuzzing: no input panics, every result balances -----------------------------------------

/// Cases per property; `THEMATIC_FUZZ_CASES` raises it for a long run.
fn cases() -> u32 {
    std::env::var("THEMATIC_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000)
}

const FORMATS: [Option<TranscriptFormat>; 4] = [
    None,
    Some(TranscriptFormat::Plain),
    Some(TranscriptFormat::WebVtt),
    Some(TranscriptFormat::Srt),
];

/// Reads `bytes` every way (each format, strict and lenient, small passages); a result must
/// balance and an error must name the file.
fn read_every_way(bytes: &[u8]) {
    for format in FORMATS {
        for strict in [true, false] {
            let options = TranscriptOptions {
                format,
                strict,
                max_passage_words: 5,
                exclude_facilitators: strict,
                speakers: SpeakerGroups::new().speaker("Jo", "Clinicians").facilitator("Sam"),
                ..TranscriptOptions::default()
            };
            match read_transcript_bytes("fuzz.vtt", bytes, &options) {
                Ok((rows, report)) => {
                    assert_accounted(&rows, &report);
                    assert!(rows.iter().all(|r| (1..=5).contains(&words(&r.text))));
                }
                Err(e) => {
                    let line = e.line().unwrap_or(1);
                    assert!(line >= 1, "{e}");
                    assert!(e.to_string().contains("fuzz.vtt"), "{e}");
                }
            }
        }
    }
}

/// Pieces of transcript syntax, so random strings reach the parsers' deep paths.
const TOKENS: &[&str] = &[
    "WEBVTT",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    " ",
    "-->",
    " --> ",
    "00:00:01.000",
    "00:61:00.000",
    "1:2:3",
    "00:00:02,500",
    "00:01.000",
    "12",
    "1\n",
    "NOTE",
    "STYLE",
    "REGION",
    "<v Jo>",
    "<v.loud Sam>",
    "</v>",
    "<i>",
    "</i>",
    "<c.x>",
    "<00:00:01.000>",
    "<",
    ">",
    "&amp;",
    "&lt;",
    "&#x41;",
    "&#99999999;",
    "&",
    "Jo: ",
    "Sam: ",
    "Facilitator: ",
    "[00:01:02] ",
    "[Jo] ",
    "- Jo: ",
    ">> ",
    "Jo  0:03",
    "{\\an8}",
    "Alert fatigue is real.",
    "Trusts should act.",
    "é",
    "\u{feff}",
    "\u{2028}",
    ":",
    "[",
    "]",
    "(",
    ")",
    "Dr. A. Patel: ",
    "words words words",
];

/// Words of generated transcripts, some ending a sentence.
const VOCABULARY: &[&str] = &[
    "alerts",
    "fire",
    "on",
    "every",
    "patient.",
    "the",
    "hazard",
    "log",
    "is",
    "stale!",
    "who",
    "owns",
    "it?",
    "trusts",
    "should",
    "fund",
    "training.",
    "e.g.",
    "A&E",
    "3.5mg",
    "don't",
    "café",
    "—",
    "-",
    "(sic)",
    "...",
    "NHS",
    "England",
    "must",
    "act.",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..60).prop_map(|t| t.concat())
}

fn mutated_fixture() -> impl Strategy<Value = Vec<u8>> {
    let names =
        ["teams.vtt", "zoom.vtt", "features.vtt", "interview.srt", "plain.txt", "bom_crlf.txt"];
    let fixtures: Vec<Vec<u8>> = names.iter().map(|n| std::fs::read(fixture(n)).unwrap()).collect();
    (
        prop::sample::select(fixtures),
        prop::collection::vec((any::<u16>(), 0u8..4, any::<u8>()), 1..8),
    )
        .prop_map(|(mut bytes, edits)| {
            for (at, kind, byte) in edits {
                let at = at as usize % (bytes.len() + 1);
                match kind {
                    0 => bytes.insert(at, byte),
                    1 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    2 if at < bytes.len() => bytes[at] = byte,
                    _ => {
                        // Duplicate a slice: repeats cues, lines and tags.
                        let end = (at + byte as usize).min(bytes.len());
                        let piece = bytes[at..end].to_vec();
                        bytes.splice(at..at, piece);
                    }
                }
            }
            bytes
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn fuzz_arbitrary_strings(s in "\\PC{0,300}") {
        read_every_way(s.as_bytes());
    }

    #[test]
    fn fuzz_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        read_every_way(&bytes);
    }

    #[test]
    fn fuzz_token_soup(s in token_soup()) {
        read_every_way(s.as_bytes());
    }

    #[test]
    fn fuzz_mutated_fixtures(bytes in mutated_fixture()) {
        read_every_way(&bytes);
    }

    /// Generated well-formed plain transcripts: every participant word comes out, in order,
    /// and facilitator words are exactly the dropped ones.
    #[test]
    fn plain_transcripts_lose_no_word(
        turns in prop::collection::vec(
            (0usize..4, prop::collection::vec(prop::sample::select(VOCABULARY), 0..40)),
            1..30,
        ),
        max in 1usize..50,
    ) {
        let names = ["Sam", "Jo Bell", "Participant 2", "Dr Lee"];
        let mut text = String::from("Title of the session\n\n");
        let mut expected = Vec::new();
        let mut facilitator_words = 0;
        for (who, ws) in &turns {
            text.push_str(&format!("[00:00:01] {}: {}\n", names[*who], ws.join(" ")));
            if *who == 0 {
                facilitator_words += ws.len();
            } else {
                expected.extend(ws.iter().cloned());
            }
        }
        let options = TranscriptOptions {
            max_passage_words: max,
            speakers: SpeakerGroups::new().facilitator("Sam"),
            ..TranscriptOptions::default()
        };
        let (rows, report) = read_transcript_bytes("gen.txt", text.as_bytes(), &options).unwrap();
        assert_accounted(&rows, &report);
        let got: Vec<&str> = rows.iter().flat_map(|r| r.text.split_whitespace()).collect();
        prop_assert_eq!(got, expected);
        prop_assert!(rows.iter().all(|r| words(&r.text) <= max));
        let dropped: u64 = report.dropped.iter().filter(|d| d.reason == DropReason::Facilitator).map(|d| d.words).sum();
        prop_assert_eq!(dropped, facilitator_words as u64);
        prop_assert_eq!(report.header.len(), 1);
    }
}
