/*!
Workshop and interview transcripts: plain text, WebVTT and SRT.

[`read_transcript`] turns a transcript into [`Response`]s that sit beside survey answers in
one corpus. Reading goes through three levels, and the [`TranscriptReport`] accounts for
each:

1. **Units.** A line of a plain-text transcript, or the text of one speaker within a cue of a
   WebVTT or SRT file. Each unit has a speaker: from a `Name:` prefix, a `[Name]` prefix, a
   WebVTT voice tag `<v Name>`, or, when a unit names none, the previous unit's speaker
   (subtitle exports label a speaker once, at the change).
2. **Turns.** Consecutive units of the same speaker merge into one turn (Teams and Zoom cut
   one answer into many short cues). Each turn is either kept or dropped with a
   [`DropReason`]: empty, a facilitator's (when [`TranscriptOptions::exclude_facilitators`]),
   or a speaker without a group (when [`TranscriptOptions::drop_unmapped`]). So
   `turns_read == turns_kept + dropped.len()`, always.
3. **Passages.** A kept turn is split into passages of at most
   [`TranscriptOptions::max_passage_words`] words, at sentence boundaries, so that a long
   answer is clustered as several points rather than one blurred one. A sentence is cut only
   when it alone is longer than the bound. The words of a turn's passages, in order, are
   exactly the words of the turn: splitting loses nothing.

Each passage becomes one response: id `<file stem>:<n>`, respondent the speaker (by default
scoped to the session, see [`RespondentScope`]), group from the [`SpeakerGroups`] mapping,
question the session name, channel (`"workshop"`, `"interview"`, ...), and provenance the file
and the 1-based line where the passage starts.

Malformed input gives a [`TranscriptError`] naming the file, the line and (for timestamps)
the column. With [`TranscriptOptions::strict`] off, timing problems become
[`TranscriptWarning`]s instead and the text is kept. Nothing here panics on any input.

```no_run
use thematic_io::transcript::{read_transcript, SpeakerGroups, TranscriptOptions};
let options = TranscriptOptions {
    speakers: SpeakerGroups::from_path("data/speakers.csv")?,
    ..TranscriptOptions::default()
};
let (passages, report) = read_transcript("data/transcripts/workshop_frontline_clinicians.vtt", &options)?;
assert_eq!(report.turns_read, report.turns_kept + report.dropped.len() as u64);
println!("{} passages from {} turns", passages.len(), report.turns_read);
# Ok::<(), thematic_io::transcript::TranscriptError>(())
```
*/

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use thematic_core::{Provenance, Response};
use thiserror::Error;

use crate::hash::HashingReader;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Errors of reading a transcript or a speaker mapping file. Every variant but
/// [`InvalidOption`](TranscriptError::InvalidOption) names the file; parse errors name the
/// 1-based line and, where it helps, the 1-based column (in characters).
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum TranscriptError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file is not valid UTF-8.
    #[error(
        "{path}: line {line}, column {column}: invalid UTF-8 at byte offset {byte_offset}; \
         re-save the transcript as UTF-8"
    )]
    Encoding {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first invalid byte.
        line: u64,
        /// 1-based column (in characters) of the first invalid byte.
        column: u64,
        /// Byte offset of the first invalid byte in the file.
        byte_offset: u64,
    },
    /// The file has no text at all (nothing but white space and a byte-order mark).
    #[error("{path}: the file is empty")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// A plain-text transcript has text but not one line that names a speaker, so all of it
    /// would be taken as a header and lost to the analysis.
    #[error(
        "{path}: no line names a speaker (expected turns like \"Name: text\" or \
         \"[00:01:02] Name: text\"); the {lines} non-blank lines would all be lost"
    )]
    NoTurns {
        /// The file.
        path: PathBuf,
        /// Non-blank lines in the file.
        lines: u64,
    },
    /// A WebVTT file does not start with `WEBVTT`.
    #[error("{path}: line 1: a WebVTT file must start with \"WEBVTT\", found {found:?}")]
    MissingHeader {
        /// The file.
        path: PathBuf,
        /// The first line (at most 40 characters of it).
        found: String,
    },
    /// A cue timestamp is malformed or out of range, or a cue ends before it starts.
    #[error("{path}: line {line}, column {column}: bad timestamp {found:?}: {reason}")]
    Timestamp {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// 1-based column (in characters) where the timestamp starts.
        column: u64,
        /// The timestamp as written (at most 40 characters of it).
        found: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A cue block is malformed: no `-->` timing line, or a cue number with no timing.
    #[error("{path}: line {line}: {message}")]
    Cue {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A speaker mapping file is malformed.
    #[error("{path}: line {line}: {message}")]
    SpeakerFile {
        /// The mapping file.
        path: PathBuf,
        /// 1-based line (0 when the problem is not tied to a line).
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// An invalid option.
    #[error("invalid option {option}: {message}")]
    InvalidOption {
        /// The option.
        option: &'static str,
        /// Why.
        message: String,
    },
}

impl TranscriptError {
    /// The 1-based line the error is about, when it is about one.
    pub fn line(&self) -> Option<u64> {
        match self {
            TranscriptError::Encoding { line, .. }
            | TranscriptError::Timestamp { line, .. }
            | TranscriptError::Cue { line, .. } => Some(*line),
            TranscriptError::SpeakerFile { line, .. } if *line > 0 => Some(*line),
            TranscriptError::MissingHeader { .. } => Some(1),
            _ => None,
        }
    }
}

type Result<T> = std::result::Result<T, TranscriptError>;

// ---------------------------------------------------------------------------------------------
// Formats and options
// ---------------------------------------------------------------------------------------------

/// The format of a transcript file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum TranscriptFormat {
    /// Plain text with `Speaker: text` turns, optionally led by a timestamp
    /// (`[00:01:02] Speaker: text`, `00:01:02 Speaker: text`) or followed by one on a line of
    /// its own (`Speaker  0:03`, as Otter and the Teams Word export write it).
    Plain,
    /// WebVTT (`.vtt`), as Microsoft Teams (voice tags `<v Name>`) and Zoom (`Name: text`
    /// cues) export meeting transcripts.
    #[serde(rename = "webvtt", alias = "vtt")]
    WebVtt,
    /// SubRip (`.srt`): numbered cues with `hh:mm:ss,mmm --> hh:mm:ss,mmm` timings.
    Srt,
}

impl TranscriptFormat {
    /// The format an extension stands for: `.vtt` and `.webvtt`, `.srt`, and `.txt`,
    /// `.text` and `.md` for plain text (case-insensitive).
    pub fn from_extension(path: impl AsRef<Path>) -> Option<Self> {
        let ext = path.as_ref().extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "vtt" | "webvtt" => Some(TranscriptFormat::WebVtt),
            "srt" => Some(TranscriptFormat::Srt),
            "txt" | "text" | "md" => Some(TranscriptFormat::Plain),
            _ => None,
        }
    }

    /// The format the content shows unambiguously, if any: a `WEBVTT` first line, or a first
    /// non-blank line that is a cue number (or a timing) followed by an SRT timing line.
    pub fn sniff(text: &str) -> Option<Self> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if is_webvtt_signature(text.split(['\n', '\r']).next().unwrap_or("")) {
            return Some(TranscriptFormat::WebVtt);
        }
        let mut lines = text.split(['\n', '\r']).filter(|l| !l.trim().is_empty());
        let first = lines.next()?.trim();
        let srt_timing = |l: &str| {
            l.split_once("-->").is_some_and(|(a, _)| {
                parse_timestamp(a.trim(), TimestampStyle::Srt).is_ok() && a.contains(',')
            })
        };
        let numbered = !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit());
        if (numbered && lines.next().is_some_and(srt_timing)) || srt_timing(first) {
            return Some(TranscriptFormat::Srt);
        }
        None
    }

    /// The format of a file: what the content shows ([`sniff`](Self::sniff)), else what the
    /// extension says, else plain text.
    pub fn detect(path: impl AsRef<Path>, text: &str) -> Self {
        Self::sniff(text).or_else(|| Self::from_extension(path)).unwrap_or(TranscriptFormat::Plain)
    }

    /// The name used in reports and options: `plain`, `webvtt` or `srt`.
    pub fn name(self) -> &'static str {
        match self {
            TranscriptFormat::Plain => "plain",
            TranscriptFormat::WebVtt => "webvtt",
            TranscriptFormat::Srt => "srt",
        }
    }
}

impl fmt::Display for TranscriptFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Who a passage's `respondent` is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum RespondentScope {
    /// `<session>/<speaker>`: speakers of different sessions are different respondents. The
    /// default, because anonymised transcripts reuse labels ("Participant 1", "Speaker 2")
    /// in every session, and merging two strangers into one respondent would distort counts
    /// of how many people raised a theme. A person who spoke in two sessions is counted
    /// twice; use [`Global`](Self::Global) when speakers are named consistently.
    #[default]
    Session,
    /// The speaker's name alone, the same respondent in every session.
    Global,
}

/// The role of a speaker in a session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum SpeakerRole {
    /// A participant: what they say is consultation evidence.
    #[default]
    Participant,
    /// A facilitator, interviewer or moderator: their questions and prompts are not
    /// evidence, and are dropped by default.
    Facilitator,
}

impl SpeakerRole {
    /// Parses a role as written in a mapping file: `participant` (or empty), or
    /// `facilitator`, `co-facilitator`, `interviewer`, `moderator` (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "participant" => Some(SpeakerRole::Participant),
            "facilitator" | "co-facilitator" | "cofacilitator" | "interviewer" | "moderator" => {
                Some(SpeakerRole::Facilitator)
            }
            _ => None,
        }
    }
}

/// One line of a speaker mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeakerEntry {
    /// The speaker as named in transcripts; matched ignoring case, punctuation and spacing.
    pub speaker: String,
    /// Their stakeholder group, named as in the survey's `group` column; `None` for
    /// facilitators or when unknown.
    pub group: Option<String>,
    /// Participant or facilitator.
    #[serde(default)]
    pub role: SpeakerRole,
    /// The session this line applies to, when a label means different people in different
    /// sessions ("Participant 1"); `None` for every session. A session-specific line wins.
    #[serde(default)]
    pub session: Option<String>,
}

/// A speaker → stakeholder group mapping, with facilitators marked.
///
/// Loaded from CSV (`speaker,group[,role][,session]`, header required, `#` comments,
/// further columns ignored) or TOML:
///
/// ```toml
/// facilitators = ["Sam Okafor"]            # role "facilitator", no group
///
/// [speakers]
/// "Dr Amara Patel" = "Clinicians"
/// "Kit Lam" = { group = "Clinical safety officers", role = "participant" }
///
/// [sessions."workshop_patients"]           # applies only to that session
/// "Participant 1" = "Patients and public"
/// ```
///
/// Names match ignoring case, punctuation and spacing (`Dr. A. Patel` = `dr a patel`). A
/// name listed twice must agree on its group and role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SpeakerGroups {
    entries: Vec<SpeakerEntry>,
}

impl SpeakerGroups {
    /// An empty mapping.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a participant in a group, for every session.
    #[must_use]
    pub fn speaker(self, name: impl Into<String>, group: impl Into<String>) -> Self {
        self.entry(SpeakerEntry {
            speaker: name.into(),
            group: Some(group.into()),
            role: SpeakerRole::Participant,
            session: None,
        })
    }

    /// Adds a facilitator, for every session.
    #[must_use]
    pub fn facilitator(self, name: impl Into<String>) -> Self {
        self.entry(SpeakerEntry {
            speaker: name.into(),
            group: None,
            role: SpeakerRole::Facilitator,
            session: None,
        })
    }

    /// Adds an entry as given. Lookups take the last matching entry, so a later entry
    /// overrides an earlier one; the file loaders reject such conflicts instead.
    #[must_use]
    pub fn entry(mut self, entry: SpeakerEntry) -> Self {
        self.entries.push(entry);
        self
    }

    /// The entries, in file order.
    pub fn entries(&self) -> &[SpeakerEntry] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry for a speaker in a session: the session's own entry if there is one, else
    /// the entry for every session.
    pub fn lookup(&self, speaker: &str, session: Option<&str>) -> Option<&SpeakerEntry> {
        let key = name_key(speaker);
        let session = session.map(name_key);
        let matches = |e: &&SpeakerEntry| name_key(&e.speaker) == key;
        let scoped = self
            .entries
            .iter()
            .rev()
            .filter(matches)
            .find(|e| e.session.as_deref().map(name_key).is_some_and(|s| Some(s) == session));
        scoped.or_else(|| self.entries.iter().rev().filter(matches).find(|e| e.session.is_none()))
    }

    /// Loads a mapping file: TOML for `.toml`, CSV otherwise (tab-separated for `.tsv`).
    ///
    /// # Errors
    /// The file cannot be read, is not UTF-8, lacks the `speaker` or `group` column, has an
    /// empty speaker, an unknown role, or a name listed twice with different groups or
    /// roles; TOML syntax errors. Each names the file and line.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)
            .map_err(|source| TranscriptError::Io { path: path.to_owned(), source })?;
        let text = decode(path, &bytes)?;
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("toml") => Self::from_toml_str(path, text),
            Some("tsv" | "tab") => Self::parse_csv(path, text, b'\t'),
            _ => Self::from_csv_str(path, text),
        }
    }

    /// Parses a CSV mapping; `path` names it in errors.
    ///
    /// # Errors
    /// As [`from_path`](Self::from_path).
    pub fn from_csv_str(path: impl AsRef<Path>, text: &str) -> Result<Self> {
        Self::parse_csv(path.as_ref(), text, b',')
    }

    fn parse_csv(path: &Path, text: &str, delimiter: u8) -> Result<Self> {
        let err = |line: u64, message: String| TranscriptError::SpeakerFile {
            path: path.to_owned(),
            line,
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .comment(Some(b'#'))
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| err(e.position().map_or(1, csv::Position::line), e.to_string()))?
            .clone();
        let column = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
        let speaker_col = column("speaker").ok_or_else(|| {
            err(
                1,
                format!(
                    "no \"speaker\" column; the header has: {}",
                    header.iter().collect::<Vec<_>>().join(", ")
                ),
            )
        })?;
        let group_col = column("group").ok_or_else(|| {
            err(
                1,
                format!(
                    "no \"group\" column; the header has: {}",
                    header.iter().collect::<Vec<_>>().join(", ")
                ),
            )
        })?;
        let role_col = column("role");
        let session_col = column("session");
        let mut builder = MappingBuilder::default();
        for record in reader.records() {
            let record = record
                .map_err(|e| err(e.position().map_or(0, csv::Position::line), e.to_string()))?;
            let line = record.position().map_or(0, csv::Position::line);
            let cell = |c: Option<usize>| {
                c.and_then(|c| record.get(c)).map(str::trim).filter(|s| !s.is_empty())
            };
            let Some(speaker) = cell(Some(speaker_col)) else {
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                return Err(err(line, "empty speaker name".into()));
            };
            let role = match cell(role_col) {
                None => None,
                Some(r) => Some(SpeakerRole::parse(r).ok_or_else(|| {
                    err(line, format!("unknown role {r:?}; use participant or facilitator"))
                })?),
            };
            builder
                .add(speaker, cell(Some(group_col)), role, cell(session_col), line)
                .map_err(|m| err(line, m))?;
        }
        Ok(builder.finish())
    }

    /// Parses a TOML mapping; `path` names it in errors.
    ///
    /// # Errors
    /// As [`from_path`](Self::from_path).
    pub fn from_toml_str(path: impl AsRef<Path>, text: &str) -> Result<Self> {
        let path = path.as_ref();
        let err = |line: u64, message: String| TranscriptError::SpeakerFile {
            path: path.to_owned(),
            line,
            message,
        };
        let file: TomlMapping = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(0, |s| line_col(text, s.start).0);
            err(line, e.message().trim().to_owned())
        })?;
        let mut builder = MappingBuilder::default();
        let mut add_all = |table: TomlScope, session: Option<&str>| -> Result<()> {
            for (name, offset) in &table.facilitators {
                let line = line_col(text, *offset).0;
                builder
                    .add(name, None, Some(SpeakerRole::Facilitator), session, line)
                    .map_err(|m| err(line, m))?;
            }
            for (name, value) in &table.speakers {
                let line = line_col(text, value.span().start).0;
                let (group, role) = match value.get_ref() {
                    toml::Value::String(g) => (Some(g.as_str()), None),
                    toml::Value::Table(t) => {
                        if let Some(k) = t.keys().find(|k| *k != "group" && *k != "role") {
                            return Err(err(
                                line,
                                format!("unknown key {k:?}; use group and role"),
                            ));
                        }
                        let text_of = |k: &str| match t.get(k) {
                            None => Ok(None),
                            Some(toml::Value::String(s)) => Ok(Some(s.as_str())),
                            Some(_) => Err(err(line, format!("{k} of {name:?} must be a string"))),
                        };
                        let role = match text_of("role")? {
                            None => None,
                            Some(r) => Some(SpeakerRole::parse(r).ok_or_else(|| {
                                err(
                                    line,
                                    format!("unknown role {r:?}; use participant or facilitator"),
                                )
                            })?),
                        };
                        (text_of("group")?, role)
                    }
                    _ => {
                        return Err(err(
                            line,
                            format!("{name:?} must map to a group name or {{ group, role }}"),
                        ));
                    }
                };
                let group = group.map(str::trim).filter(|g| !g.is_empty());
                builder.add(name, group, role, session, line).map_err(|m| err(line, m))?;
            }
            Ok(())
        };
        let top = TomlScope {
            facilitators: file
                .facilitators
                .into_iter()
                .map(|f| {
                    let start = f.span().start;
                    (f.into_inner(), start)
                })
                .collect(),
            speakers: file.speakers.into_iter().collect(),
        };
        add_all(top, None)?;
        for (session, table) in file.sessions {
            let mut scope = TomlScope { facilitators: Vec::new(), speakers: Vec::new() };
            for (name, value) in table {
                if name != "facilitators" {
                    scope.speakers.push((name, value));
                    continue;
                }
                let line = line_col(text, value.span().start).0;
                let toml::Value::Array(names) = value.get_ref() else {
                    return Err(err(line, "facilitators must be an array of names".into()));
                };
                for n in names {
                    let toml::Value::String(n) = n else {
                        return Err(err(line, "facilitators must be an array of names".into()));
                    };
                    scope.facilitators.push((n.clone(), value.span().start));
                }
            }
            add_all(scope, Some(&session))?;
        }
        Ok(builder.finish())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlMapping {
    #[serde(default)]
    facilitators: Vec<toml::Spanned<String>>,
    #[serde(default)]
    speakers: BTreeMap<String, toml::Spanned<toml::Value>>,
    /// Session name → its speakers, as in `[speakers]`; a `facilitators` array may list the
    /// session's facilitators.
    #[serde(default)]
    sessions: BTreeMap<String, BTreeMap<String, toml::Spanned<toml::Value>>>,
}

struct TomlScope {
    facilitators: Vec<(String, usize)>,
    speakers: Vec<(String, toml::Spanned<toml::Value>)>,
}

/// Collects mapping lines, merging repeats of a name (the TOML `facilitators` list and a
/// `[speakers]` line may both name a facilitator) and rejecting contradictions.
#[derive(Default)]
struct MappingBuilder {
    entries: Vec<(SpeakerEntry, Option<SpeakerRole>, u64)>,
    index: HashMap<(String, Option<String>), usize>,
}

impl MappingBuilder {
    fn add(
        &mut self,
        speaker: &str,
        group: Option<&str>,
        role: Option<SpeakerRole>,
        session: Option<&str>,
        line: u64,
    ) -> std::result::Result<(), String> {
        let key = (name_key(speaker), session.map(name_key));
        if key.0.is_empty() {
            return Err(format!("speaker name {speaker:?} has no letter or digit"));
        }
        if let Some(&i) = self.index.get(&key) {
            let (entry, old_role, first) = &mut self.entries[i];
            if let (Some(a), Some(b)) = (entry.group.as_deref(), group)
                && a != b
            {
                return Err(format!(
                    "{speaker:?} is in group {b:?} here but {a:?} on line {first}"
                ));
            }
            if let (Some(a), Some(b)) = (*old_role, role)
                && a != b
            {
                return Err(format!("{speaker:?} has two roles (see line {first})"));
            }
            if entry.group.is_none() {
                entry.group = group.map(str::to_owned);
            }
            *old_role = old_role.or(role);
            return Ok(());
        }
        self.index.insert(key, self.entries.len());
        let entry = SpeakerEntry {
            speaker: collapse_spaces(speaker),
            group: group.map(str::to_owned),
            role: SpeakerRole::Participant,
            session: session.map(str::to_owned),
        };
        self.entries.push((entry, role, line));
        Ok(())
    }

    fn finish(self) -> SpeakerGroups {
        let entries = self
            .entries
            .into_iter()
            .map(|(mut e, role, _)| {
                e.role = role.unwrap_or_default();
                e
            })
            .collect();
        SpeakerGroups { entries }
    }
}

/// How to read a transcript. Every field has a default; see each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TranscriptOptions {
    /// The format. Default: detected ([`TranscriptFormat::detect`]).
    pub format: Option<TranscriptFormat>,
    /// The session name, which becomes each passage's `question`. Default: the file stem.
    pub session: Option<String>,
    /// The channel of the passages. Default: `"workshop"` or `"interview"` when the file
    /// stem contains that word (`workshop_patients.txt`), else `"transcript"`.
    pub channel: Option<String>,
    /// Speaker → group mapping, with facilitators. Default: empty (no groups).
    pub speakers: SpeakerGroups,
    /// Drop facilitators' turns: those marked in [`speakers`](Self::speakers), and speakers
    /// labelled `Facilitator`, `Co-facilitator`, `Interviewer` or `Moderator` (any word of
    /// the label). Default `true`.
    pub exclude_facilitators: bool,
    /// Drop turns of speakers with no group in the mapping (and of unknown speakers),
    /// instead of keeping them with no group. Default `false`.
    pub drop_unmapped: bool,
    /// Maximum words in a passage, at least 1. Default 120, about a long survey answer.
    pub max_passage_words: usize,
    /// Who a passage's respondent is. Default [`RespondentScope::Session`].
    pub respondent_scope: RespondentScope,
    /// Whether a bad timestamp, a cue without `-->` or a WebVTT file without its header is an
    /// error (`true`, the default) or a [`TranscriptWarning`] in the report with the text
    /// kept (`false`): for analysts whose export tool writes slightly broken files.
    pub strict: bool,
    /// The text encoding. Default [`Encoding::Utf8`](crate::Encoding::Utf8), so that a file
    /// that is not UTF-8 is an error naming its first bad byte;
    /// [`Encoding::Auto`](crate::Encoding::Auto) detects UTF-16 (BOM) and Windows-1252
    /// exports as the table readers do.
    pub encoding: crate::encoding::Encoding,
}

impl Default for TranscriptOptions {
    fn default() -> Self {
        TranscriptOptions {
            format: None,
            session: None,
            channel: None,
            speakers: SpeakerGroups::default(),
            exclude_facilitators: true,
            drop_unmapped: false,
            max_passage_words: 120,
            respondent_scope: RespondentScope::Session,
            strict: true,
            encoding: crate::encoding::Encoding::Utf8,
        }
    }
}

impl TranscriptOptions {
    fn check(&self) -> Result<()> {
        if self.max_passage_words == 0 {
            return Err(TranscriptError::InvalidOption {
                option: "max_passage_words",
                message: "must be at least 1".into(),
            });
        }
        if self.session.as_deref().is_some_and(|s| s.trim().is_empty()) {
            return Err(TranscriptError::InvalidOption {
                option: "session",
                message: "must not be blank; leave it unset to use the file stem".into(),
            });
        }
        if self.channel.as_deref().is_some_and(|s| s.trim().is_empty()) {
            return Err(TranscriptError::InvalidOption {
                option: "channel",
                message: "must not be blank; leave it unset to infer it from the file name".into(),
            });
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

/// Why a turn was not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DropReason {
    /// The turn has no text (an empty cue or a label with nothing after it).
    Empty,
    /// A facilitator's turn, with [`TranscriptOptions::exclude_facilitators`].
    Facilitator,
    /// The speaker has no group (or is unknown), with [`TranscriptOptions::drop_unmapped`].
    Unmapped,
}

impl fmt::Display for DropReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DropReason::Empty => "empty",
            DropReason::Facilitator => "facilitator",
            DropReason::Unmapped => "speaker has no group",
        })
    }
}

/// A turn that was not kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DroppedTurn {
    /// 1-based line where the turn starts.
    pub line: u64,
    /// The speaker, if known.
    pub speaker: Option<String>,
    /// Why it was dropped.
    pub reason: DropReason,
    /// Words in the turn.
    pub words: u64,
}

/// What the file says about one speaker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeakerSummary {
    /// The speaker as named in the mapping, else as first written in the file; `None` for
    /// text whose speaker is not known.
    pub speaker: Option<String>,
    /// Their group from the mapping.
    pub group: Option<String>,
    /// Whether they are treated as a facilitator.
    pub facilitator: bool,
    /// Their turns.
    pub turns: u64,
    /// Their turns kept.
    pub turns_kept: u64,
    /// Passages made from their turns.
    pub passages: u64,
    /// Words in all their turns, kept or not.
    pub words: u64,
}

/// A problem tolerated because [`TranscriptOptions::strict`] is off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptWarning {
    /// 1-based line.
    pub line: u64,
    /// The error it would have been.
    pub message: String,
}

/// What reading one transcript found. Every turn is accounted for:
/// `turns_read == turns_kept + dropped.len()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptReport {
    /// The file, as given.
    pub file: String,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// The encoding the text was decoded from, e.g. "UTF-8" or "windows-1252".
    #[serde(default)]
    pub encoding: String,
    /// The format read.
    pub format: TranscriptFormat,
    /// The session name (the passages' `question`).
    pub session: String,
    /// The passages' channel.
    pub channel: String,
    /// Lines in the file.
    pub lines: u64,
    /// Cues read (WebVTT and SRT; 0 for plain text).
    pub cues: u64,
    /// Header lines, not counted as speech: for plain text the non-blank lines before the
    /// first speaker (title, date, attendees); for WebVTT the header block under `WEBVTT`.
    pub header: Vec<String>,
    /// WebVTT `NOTE`, `STYLE` and `REGION` blocks skipped.
    pub skipped_blocks: u64,
    /// Speaker turns: runs of consecutive text by the same speaker.
    pub turns_read: u64,
    /// Turns kept, each split into one or more passages.
    pub turns_kept: u64,
    /// Turns not kept, each with its reason.
    pub dropped: Vec<DroppedTurn>,
    /// Passages made (the responses returned).
    pub passages: u64,
    /// Words in the kept turns, all of which are in the passages.
    pub words_kept: u64,
    /// Every speaker, in order of first appearance.
    pub speakers: Vec<SpeakerSummary>,
    /// Speakers (not facilitators) with no group in the mapping.
    pub unmapped_speakers: Vec<String>,
    /// Problems tolerated with [`TranscriptOptions::strict`] off.
    pub warnings: Vec<TranscriptWarning>,
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/// Reads a transcript file into passages, one [`Response`] each, and a report.
///
/// # Errors
/// The file cannot be read; it is not UTF-8 ([`TranscriptError::Encoding`] names the line,
/// column and byte offset); it is empty; a plain-text file names no speaker; a WebVTT file
/// lacks its header, or a cue has a bad timestamp or no `-->` line (unless
/// [`TranscriptOptions::strict`] is off); an option is invalid.
pub fn read_transcript(
    path: impl AsRef<Path>,
    options: &TranscriptOptions,
) -> Result<(Vec<Response>, TranscriptReport)> {
    let path = path.as_ref();
    let io_err = |source| TranscriptError::Io { path: path.to_owned(), source };
    let mut reader = HashingReader::new(File::open(path).map_err(io_err)?);
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(io_err)?;
    let (sha256, size) = reader.finish().map_err(io_err)?;
    parse(path, &bytes, sha256, size, options)
}

/// Reads a transcript held in memory. `file` names it: in errors and provenance, for the
/// default session and channel and response ids (its stem), and for format detection (its
/// extension).
///
/// # Errors
/// As [`read_transcript`], but never [`TranscriptError::Io`].
pub fn read_transcript_bytes(
    file: &str,
    bytes: &[u8],
    options: &TranscriptOptions,
) -> Result<(Vec<Response>, TranscriptReport)> {
    let path = Path::new(file);
    let (sha256, size) = HashingReader::new(bytes)
        .finish()
        .map_err(|source| TranscriptError::Io { path: path.to_owned(), source })?;
    parse(path, bytes, sha256, size, options)
}

fn parse(
    path: &Path,
    bytes: &[u8],
    sha256: String,
    size: u64,
    options: &TranscriptOptions,
) -> Result<(Vec<Response>, TranscriptReport)> {
    options.check()?;
    let (text, encoding) = decode_in(path, bytes, options.encoding)?;
    let text: &str = &text;
    if text.trim().is_empty() {
        return Err(TranscriptError::Empty { path: path.to_owned() });
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "transcript".to_owned());
    let session = options.session.clone().unwrap_or_else(|| stem.clone());
    let channel = options.channel.clone().unwrap_or_else(|| infer_channel(&stem).to_owned());
    let format = options.format.unwrap_or_else(|| TranscriptFormat::detect(path, text));
    let lookup = Lookup::new(&options.speakers, &session);
    let lines = split_lines(text);
    let mut parser = Parser {
        path,
        strict: options.strict,
        lookup: &lookup,
        units: Vec::new(),
        last_speaker: None,
        header: Vec::new(),
        cues: 0,
        skipped_blocks: 0,
        warnings: Vec::new(),
    };
    match format {
        TranscriptFormat::Plain => parser.plain(&lines)?,
        TranscriptFormat::WebVtt => parser.webvtt(&lines)?,
        TranscriptFormat::Srt => parser.srt(&lines)?,
    }
    let report = ReportHeader {
        file: path.display().to_string(),
        sha256,
        bytes: size,
        encoding: encoding.name().to_owned(),
        format,
        session,
        channel,
        lines: lines.len() as u64,
        stem,
    };
    Ok(assemble(parser, report, &lookup, options))
}

/// Decodes a transcript in `encoding` (see [`crate::encoding::decode_bytes`]), without its
/// byte-order mark; returns the text and the encoding used. Invalid UTF-8 is [`TranscriptError::Encoding`], naming the line and
/// column; other decoding errors (malformed UTF-16, UTF-16 without a BOM) are
/// [`TranscriptError::Io`] of kind `InvalidData`, naming the byte offset.
fn decode_in<'a>(
    path: &Path,
    bytes: &'a [u8],
    encoding: crate::encoding::Encoding,
) -> Result<(Cow<'a, str>, crate::encoding::Encoding)> {
    match crate::encoding::decode_bytes(path, bytes, encoding) {
        Ok(decoded) => Ok(decoded),
        // The UTF-8 decoder below names the line and column as well as the byte.
        Err(crate::IoError::Decode { encoding: "UTF-8", .. }) => {
            decode(path, bytes).map(|text| (Cow::Borrowed(text), crate::encoding::Encoding::Utf8))
        }
        Err(crate::IoError::Decode { encoding, byte_offset, hint, .. }) => {
            Err(TranscriptError::Io {
                path: path.to_owned(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("not valid {encoding} at byte offset {byte_offset}{hint}"),
                ),
            })
        }
        Err(e) => Err(TranscriptError::Io {
            path: path.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()),
        }),
    }
}

/// Decodes UTF-8, skipping a byte-order mark, or names the first bad byte.
fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.strip_prefix('\u{feff}').unwrap_or(s)),
        Err(e) => {
            let offset = e.valid_up_to();
            let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
            let (line, column) = line_col(valid, valid.len());
            Err(TranscriptError::Encoding {
                path: path.to_owned(),
                line,
                column,
                byte_offset: offset as u64,
            })
        }
    }
}

fn infer_channel(stem: &str) -> &'static str {
    let key = name_key(stem);
    let has = |w: &str| key.split(' ').any(|k| k.starts_with(w));
    if has("workshop") {
        "workshop"
    } else if has("interview") {
        "interview"
    } else {
        "transcript"
    }
}

// ---------------------------------------------------------------------------------------------
// Lines, names and timestamps
// ---------------------------------------------------------------------------------------------

/// Splits on `\r\n`, `\n` or a lone `\r` (all three are WebVTT line terminators, and old
/// exports still use the last); a final terminator does not start another line.
fn split_lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push(&text[start..i]);
                i += 1;
                start = i;
            }
            b'\r' => {
                out.push(&text[start..i]);
                i += 1;
                if bytes.get(i) == Some(&b'\n') {
                    i += 1;
                }
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// 1-based line and column (in characters) of byte `offset` of `text`, with the line
/// terminators of [`split_lines`].
fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let head = &text[..offset.min(text.len())];
    let bytes = head.as_bytes();
    let mut line = 1;
    let mut line_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'\r' => {
                line += 1;
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                line_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    (line, head[line_start..].chars().count() as u64 + 1)
}

/// 1-based character column of byte `offset` within `line`.
fn column(line: &str, offset: usize) -> u64 {
    line.get(..offset).map_or(1, |h| h.chars().count() as u64 + 1)
}

fn is_webvtt_signature(line: &str) -> bool {
    line.strip_prefix("WEBVTT").is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
}

/// Lower-case words of a name joined by single spaces, ignoring punctuation: the key names
/// are matched by.
fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words that open a `Word:` line without naming a speaker: document metadata, and
/// annotations of non-speech.
const NOT_SPEAKERS: &[&str] = &[
    "action",
    "actions",
    "agenda",
    "answer key",
    "apologies",
    "applause",
    "attendees",
    "audio",
    "background noise",
    "break",
    "consent",
    "cough",
    "coughs",
    "crosstalk",
    "cross talk",
    "date",
    "duration",
    "e g",
    "end",
    "ended",
    "example",
    "file",
    "format",
    "held",
    "i e",
    "inaudible",
    "indistinct",
    "kind",
    "language",
    "laughs",
    "laughter",
    "laughing",
    "length",
    "link",
    "location",
    "meeting",
    "music",
    "n b",
    "nb",
    "noise",
    "note",
    "notes",
    "organisation",
    "organization",
    "overlapping",
    "overlapping speech",
    "participants",
    "pause",
    "place",
    "present",
    "project",
    "ps",
    "re",
    "recorded",
    "recording",
    "ref",
    "reference",
    "region",
    "silence",
    "start",
    "started",
    "style",
    "subject",
    "summary",
    "theme",
    "time",
    "title",
    "topic",
    "transcribed by",
    "transcriber",
    "transcript",
    "unclear",
    "url",
    "venue",
    "version",
    "video",
    "warning",
];

/// First words of headings (`Workshop 2: Patients and public`), never of a speaker.
const HEADING_WORDS: &[&str] =
    &["workshop", "interview", "session", "meeting", "transcript", "consultation", "part"];

const CONNECTORS: &[&str] =
    &["al", "bin", "da", "de", "del", "den", "der", "di", "du", "el", "la", "le", "van", "von"];

/// Whether `label` looks like a speaker's name or label: one to six words of at most 60
/// characters, each capitalised (or a number, a name particle or a parenthesis), made of
/// letters, digits and name punctuation, and not a metadata key such as `Date`.
fn looks_like_label(label: &str) -> bool {
    let label = label.trim();
    if label.is_empty() || label.len() > 120 || label.chars().count() > 60 {
        return false;
    }
    if !label.chars().any(char::is_alphabetic)
        || !label.chars().all(|c| c.is_alphanumeric() || " .'’-()&/_".contains(c))
    {
        return false;
    }
    let words: Vec<&str> = label.split_whitespace().collect();
    if words.len() > 6 {
        return false;
    }
    let word_ok = |w: &str| {
        if w.starts_with('(') {
            return true;
        }
        let first = w.trim_start_matches(['\'', '’', '-']).chars().next();
        first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            || CONNECTORS.contains(&w.to_lowercase().as_str())
    };
    if !words.iter().all(|w| word_ok(w)) || !words.first().is_some_and(|w| word_ok(w)) {
        return false;
    }
    let key = name_key(label);
    let first = key.split(' ').next().unwrap_or("");
    !NOT_SPEAKERS.contains(&key.as_str()) && !HEADING_WORDS.contains(&first)
}

/// Whether a speaker's key marks a facilitator by its label alone.
fn generic_facilitator(key: &str) -> bool {
    key.split(' ')
        .any(|w| matches!(w, "facilitator" | "cofacilitator" | "interviewer" | "moderator"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimestampStyle {
    /// `hh:mm:ss.ttt` or `mm:ss.ttt` (hours may have one digit, as some tools write).
    WebVtt,
    /// `hh:mm:ss,mmm` (a `.` is tolerated; one to three digits of milliseconds).
    Srt,
    /// `h:mm:ss`, `mm:ss` or `m:ss`, optionally with a fraction.
    Plain,
}

impl TimestampStyle {
    fn expected(self) -> &'static str {
        match self {
            TimestampStyle::WebVtt => "expected hh:mm:ss.ttt or mm:ss.ttt",
            TimestampStyle::Srt => "expected hh:mm:ss,mmm",
            TimestampStyle::Plain => "expected hh:mm:ss or mm:ss",
        }
    }
}

/// Parses a timestamp into milliseconds, or says what is wrong with it.
fn parse_timestamp(s: &str, style: TimestampStyle) -> std::result::Result<u64, String> {
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let bad = || Err(style.expected().to_owned());
    if s.is_empty() {
        return Err("missing".into());
    }
    let (clock, fraction) = match style {
        TimestampStyle::WebVtt => match s.split_once('.') {
            Some((c, f)) => (c, Some(f)),
            None if s.contains(',') => {
                return Err("WebVTT puts a '.' before the milliseconds, not ','".into());
            }
            None => return bad(),
        },
        TimestampStyle::Srt | TimestampStyle::Plain => match s.split_once([',', '.']) {
            Some((c, f)) => (c, Some(f)),
            None if style == TimestampStyle::Srt => return bad(),
            None => (s, None),
        },
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let (hours, minutes, seconds) = match parts.as_slice() {
        [h, m, s] => (Some(*h), *m, *s),
        [m, s] if style != TimestampStyle::Srt => (None, *m, *s),
        _ => return bad(),
    };
    let leading_ok = |p: &str, max: usize| digits(p) && p.len() <= max;
    let two = |p: &str| digits(p) && p.len() == 2;
    let minutes_ok = match (style, hours) {
        (TimestampStyle::Plain, None) => leading_ok(minutes, 2),
        _ => two(minutes),
    };
    if hours.is_some_and(|h| !leading_ok(h, 9)) || !minutes_ok || !two(seconds) {
        return bad();
    }
    let fraction_ms = match fraction {
        None => 0,
        Some(f) => {
            let ok = match style {
                TimestampStyle::WebVtt => digits(f) && f.len() == 3,
                _ => digits(f) && f.len() <= 3,
            };
            if !ok {
                return bad();
            }
            // "5" is half a second; pad to milliseconds.
            f.parse::<u64>().unwrap_or(0) * 10u64.pow(3 - f.len() as u32)
        }
    };
    let number = |p: &str| p.parse::<u64>().unwrap_or(0);
    let (h, m, sec) = (hours.map_or(0, number), number(minutes), number(seconds));
    if hours.is_some() && m > 59 {
        return Err(format!("minutes {m} out of range 00-59"));
    }
    if hours.is_none() && style == TimestampStyle::WebVtt && m > 59 {
        return Err(format!("minutes {m} out of range 00-59"));
    }
    if sec > 59 {
        return Err(format!("seconds {sec} out of range 00-59"));
    }
    Ok(((h * 60 + m) * 60 + sec) * 1000 + fraction_ms)
}

/// Whether `s` has the shape of a clock time (digits, colons and a fraction), so that a
/// malformed one can be reported rather than read as text.
fn timestamp_shaped(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_digit())
        && s.contains(':')
        && s.bytes().all(|b| b.is_ascii_digit() || matches!(b, b':' | b'.' | b','))
}

/// A `Name:` prefix: the name, the text after the colon, and a timestamp in brackets that
/// ended the name (`Name [00:01:02]:`) with its byte offset in the input.
struct Label<'t> {
    name: &'t str,
    rest: &'t str,
    timestamp: Option<(&'t str, usize)>,
}

/// Splits `Name: text` when what precedes the first colon outside brackets names a speaker
/// and the colon is followed by white space or the end of the line.
fn split_label<'t>(lookup: &Lookup, s: &'t str) -> Option<Label<'t>> {
    // A label is at most 60 characters: look no further, so that a megabyte-long line costs
    // nothing here.
    let mut depth = 0i32;
    let mut colon = None;
    for (i, c) in s.char_indices().take(100) {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            ':' if depth == 0 => {
                colon = Some(i);
                break;
            }
            _ => {}
        }
    }
    let colon = colon?;
    let rest = &s[colon + 1..];
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let mut name = s[..colon].trim_end();
    let mut timestamp = None;
    if let Some(open) = name.rfind(['[', '('])
        && name.ends_with([']', ')'])
    {
        let inner = &name[open + 1..name.len() - 1];
        if timestamp_shaped(inner) {
            timestamp = Some((inner, open + 1));
            name = name[..open].trim_end();
        }
    }
    lookup.is_speaker(name).then_some(Label { name, rest, timestamp })
}

/// Byte offset of `inner` in `outer` when it is a slice of it, else 0 (columns then count
/// from the line start, which is still the right line).
fn offset_in(outer: &str, inner: &str) -> usize {
    let (o, i) = (outer.as_ptr() as usize, inner.as_ptr() as usize);
    if i >= o && i + inner.len() <= o + outer.len() { i - o } else { 0 }
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

// ---------------------------------------------------------------------------------------------
// Parsing: lines to units
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Joiner {
    /// Soft-wrapped line or cue: joined with a space.
    Space,
    /// New paragraph: joined with a line break, which also ends a sentence.
    Paragraph,
}

/// A piece of text by one speaker: a line of plain text, or one voice's text in a cue line.
#[derive(Debug)]
struct Unit {
    speaker: Option<String>,
    text: String,
    line: u64,
    joiner: Joiner,
}

/// Speakers of the mapping resolved for one session, by name key.
struct Lookup {
    by_key: HashMap<String, SpeakerEntry>,
}

impl Lookup {
    fn new(groups: &SpeakerGroups, session: &str) -> Self {
        let session_key = name_key(session);
        let mut by_key = HashMap::new();
        // Entries for every session first, so that the session's own entries override them.
        for e in groups.entries.iter().filter(|e| e.session.is_none()) {
            by_key.insert(name_key(&e.speaker), e.clone());
        }
        for e in &groups.entries {
            if e.session.as_deref().map(name_key).is_some_and(|s| s == session_key) {
                by_key.insert(name_key(&e.speaker), e.clone());
            }
        }
        Lookup { by_key }
    }

    fn get(&self, key: &str) -> Option<&SpeakerEntry> {
        self.by_key.get(key)
    }

    /// Whether `label` names a speaker: a mapped name, whatever it looks like, or anything
    /// that looks like a name.
    fn is_speaker(&self, label: &str) -> bool {
        let label = label.trim();
        !label.is_empty()
            && label.len() <= 200
            && (self.by_key.contains_key(&name_key(label)) || looks_like_label(label))
    }
}

struct Parser<'a> {
    path: &'a Path,
    strict: bool,
    lookup: &'a Lookup,
    units: Vec<Unit>,
    last_speaker: Option<String>,
    header: Vec<String>,
    cues: u64,
    skipped_blocks: u64,
    warnings: Vec<TranscriptWarning>,
}

impl Parser<'_> {
    /// An error in strict mode, a warning otherwise.
    fn problem(&mut self, error: TranscriptError) -> Result<()> {
        if self.strict {
            return Err(error);
        }
        let line = error.line().unwrap_or(0);
        self.warnings.push(TranscriptWarning { line, message: error.to_string() });
        Ok(())
    }

    fn timestamp_error(&self, line: u64, col: u64, found: &str, reason: String) -> TranscriptError {
        TranscriptError::Timestamp {
            path: self.path.to_owned(),
            line,
            column: col,
            found: clip(found),
            reason,
        }
    }

    fn cue_error(&self, line: u64, message: String) -> TranscriptError {
        TranscriptError::Cue { path: self.path.to_owned(), line, message }
    }

    fn push(&mut self, speaker: Option<String>, text: &str, line: u64, joiner: Joiner) {
        if speaker.is_some() {
            self.last_speaker.clone_from(&speaker);
        }
        self.units.push(Unit { speaker, text: text.trim().to_owned(), line, joiner });
    }

    /// Text with no speaker of its own: it continues the previous speaker's.
    fn push_continuation(&mut self, text: &str, line: u64, joiner: Joiner) {
        if !text.trim().is_empty() {
            let speaker = self.last_speaker.clone();
            self.push(speaker, text, line, joiner);
        }
    }

    /// Splits `Name: text` into the name and the text, reporting a malformed timestamp in
    /// the name (`Name [00:61:02]: text`). `line_text` is the line `s` lies in, for columns.
    fn speaker_prefix<'t>(
        &mut self,
        s: &'t str,
        no: u64,
        line_text: &str,
    ) -> Result<Option<(String, &'t str)>> {
        let Some(label) = split_label(self.lookup, s) else { return Ok(None) };
        if let Some((inner, offset)) = label.timestamp
            && let Err(reason) = parse_timestamp(inner, TimestampStyle::Plain)
        {
            let col = column(line_text, offset_in(line_text, s) + offset);
            let e = self.timestamp_error(no, col, inner, reason);
            self.problem(e)?;
        }
        Ok(Some((collapse_spaces(label.name), label.rest.trim())))
    }

    // --- Plain text -------------------------------------------------------------------------

    fn plain(&mut self, lines: &[&str]) -> Result<()> {
        let mut seen_speaker = false;
        let mut paragraph = false;
        for (i, raw) in lines.iter().enumerate() {
            let no = i as u64 + 1;
            let line = raw.trim();
            if line.is_empty() {
                paragraph = true;
                continue;
            }
            let joiner = if paragraph { Joiner::Paragraph } else { Joiner::Space };
            paragraph = false;
            let indent = raw.len() - raw.trim_start().len();
            let (after_ts, bracketed) = self.leading_timestamp(line, raw, indent, no)?;
            if let Some((speaker, text)) = self.speaker_prefix(after_ts, no, raw)? {
                seen_speaker = true;
                self.push(Some(speaker), text, no, Joiner::Paragraph);
                continue;
            }
            if let Some(speaker) = self.trailing_timestamp_label(after_ts) {
                seen_speaker = true;
                self.push(Some(speaker), "", no, Joiner::Paragraph);
                continue;
            }
            // A bare leading clock time only counts as a timestamp before a speaker ("10:30
            // is when the clinic opens" keeps its "10:30").
            let text = if bracketed { after_ts } else { line };
            if !seen_speaker {
                self.header.push(line.to_owned());
            } else {
                self.push_continuation(text, no, joiner);
            }
        }
        if !seen_speaker {
            return Err(TranscriptError::NoTurns {
                path: self.path.to_owned(),
                lines: self.header.len() as u64,
            });
        }
        Ok(())
    }

    /// Strips a leading `[00:01:02]`, `(00:01:02)` or bare `00:01:02 ` from a line; says
    /// whether it was bracketed. A bare one is stripped only if a speaker follows it.
    fn leading_timestamp<'t>(
        &mut self,
        line: &'t str,
        raw: &str,
        indent: usize,
        no: u64,
    ) -> Result<(&'t str, bool)> {
        let close = match line.as_bytes().first() {
            Some(b'[') => Some(']'),
            Some(b'(') => Some(')'),
            _ => None,
        };
        if let Some(close) = close
            && let Some(end) = line[1..].find(close)
        {
            let inner = &line[1..1 + end];
            if timestamp_shaped(inner) {
                if let Err(reason) = parse_timestamp(inner, TimestampStyle::Plain) {
                    let e = self.timestamp_error(no, column(raw, indent + 1), inner, reason);
                    self.problem(e)?;
                }
                return Ok((line[end + 2..].trim_start(), true));
            }
            return Ok((line, false));
        }
        let token_end = line.find(char::is_whitespace).unwrap_or(line.len());
        let token = &line[..token_end];
        if timestamp_shaped(token) {
            let rest = line[token_end..].trim_start();
            if split_label(self.lookup, rest).is_some() {
                if let Err(reason) = parse_timestamp(token, TimestampStyle::Plain) {
                    let e = self.timestamp_error(no, column(raw, indent), token, reason);
                    self.problem(e)?;
                }
                return Ok((rest, true));
            }
        }
        Ok((line, false))
    }

    /// `Name  0:03` alone on a line (Otter, and Teams' Word export): the speaker of the
    /// lines that follow.
    fn trailing_timestamp_label(&self, line: &str) -> Option<String> {
        let split = line.rfind(char::is_whitespace)?;
        let (label, ts) = (line[..split].trim_end(), line[split..].trim_start());
        let valid = timestamp_shaped(ts) && parse_timestamp(ts, TimestampStyle::Plain).is_ok();
        (valid && self.lookup.is_speaker(label)).then(|| collapse_spaces(label))
    }

    // --- WebVTT -----------------------------------------------------------------------------

    fn webvtt(&mut self, lines: &[&str]) -> Result<()> {
        let mut i = 0;
        if lines.first().is_some_and(|l| is_webvtt_signature(l)) {
            i = 1;
            // The header block: metadata lines up to the first blank line (or cue timing).
            while i < lines.len() && !lines[i].trim().is_empty() && !lines[i].contains("-->") {
                self.header.push(lines[i].trim().to_owned());
                i += 1;
            }
        } else {
            let found = clip(lines.first().copied().unwrap_or(""));
            self.problem(TranscriptError::MissingHeader { path: self.path.to_owned(), found })?;
        }
        while i < lines.len() {
            if lines[i].trim().is_empty() {
                i += 1;
                continue;
            }
            let start = i;
            while i < lines.len() && !lines[i].trim().is_empty() {
                i += 1;
            }
            self.webvtt_block(lines, start, i)?;
        }
        Ok(())
    }

    fn webvtt_block(&mut self, lines: &[&str], start: usize, end: usize) -> Result<()> {
        let first = lines[start];
        let keyword = |k: &str| {
            first.strip_prefix(k).is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
        };
        if keyword("NOTE") || keyword("STYLE") || keyword("REGION") {
            self.skipped_blocks += 1;
            return Ok(());
        }
        let timing = if first.contains("-->") {
            start
        } else if start + 1 < end && lines[start + 1].contains("-->") {
            start + 1
        } else {
            let message = format!(
                "cue has no timing line (\"00:00:01.000 --> 00:00:04.000\"): no \"-->\" in {:?}",
                clip(first)
            );
            let e = self.cue_error(start as u64 + 1, message);
            self.problem(e)?;
            // Lenient: keep the block's text as a cue without timing.
            self.cues += 1;
            return self.cue_payload(lines, start, end);
        };
        let mut t = timing;
        loop {
            self.cues += 1;
            self.timing(lines[t], t as u64 + 1, TimestampStyle::WebVtt)?;
            // A line with "-->" inside a cue starts the next cue (a missing blank line).
            let next = (t + 1..end).find(|&k| lines[k].contains("-->")).unwrap_or(end);
            self.cue_payload(lines, t + 1, next)?;
            if next == end {
                return Ok(());
            }
            t = next;
        }
    }

    /// Checks a timing line `start --> end [settings]`.
    fn timing(&mut self, line: &str, no: u64, style: TimestampStyle) -> Result<()> {
        let Some(arrow) = line.find("-->") else {
            let e = self.cue_error(
                no,
                format!("expected a timing line with \"-->\", found {:?}", clip(line)),
            );
            return self.problem(e);
        };
        let left = &line[..arrow];
        let right = &line[arrow + 3..];
        if right.contains("-->") {
            let e = self.cue_error(no, "two \"-->\" on one timing line".into());
            return self.problem(e);
        }
        let start_text = left.trim();
        let start_col = column(line, left.len() - left.trim_start().len());
        let right_trim = right.trim_start();
        let end_offset = arrow + 3 + (right.len() - right_trim.len());
        let end_text = right_trim.split_whitespace().next().unwrap_or("");
        let end_col = column(line, end_offset);
        let start_ms = parse_timestamp(start_text, style).map_err(|r| (start_col, start_text, r));
        let end_ms = parse_timestamp(end_text, style).map_err(|r| (end_col, end_text, r));
        match (start_ms, end_ms) {
            (Ok(a), Ok(b)) if b < a => {
                let reason = format!("the cue ends before it starts ({start_text})");
                let e = self.timestamp_error(no, end_col, end_text, reason);
                self.problem(e)
            }
            (Ok(_), Ok(_)) => Ok(()),
            (Err((col, found, reason)), _) | (_, Err((col, found, reason))) => {
                let reason = if reason == "missing" {
                    format!("missing timestamp, {}", style.expected())
                } else {
                    reason
                };
                let e = self.timestamp_error(no, col, found, reason);
                self.problem(e)
            }
        }
    }

    /// The text lines `start..end` of a cue: voices from `<v>` tags, else a `Name:` or
    /// `[Name]` prefix on the cue's first line or on a dialogue line (`- Name:`, `>> Name:`),
    /// else the previous speaker.
    fn cue_payload(&mut self, lines: &[&str], start: usize, end: usize) -> Result<()> {
        let mut voice: Option<String> = None;
        let mut cue_has_voice = false;
        for (k, raw) in lines[start..end].iter().enumerate() {
            let no = (start + k) as u64 + 1;
            for (p, (piece_voice, text)) in strip_markup(raw, &mut voice).into_iter().enumerate() {
                if let Some(v) = piece_voice {
                    cue_has_voice = true;
                    self.push(Some(v), &text, no, Joiner::Space);
                    continue;
                }
                if !cue_has_voice
                    && p == 0
                    && let Some((speaker, rest)) = self.cue_label(&text, k == 0, no)?
                {
                    self.push(Some(speaker), rest, no, Joiner::Space);
                    continue;
                }
                self.push_continuation(&text, no, Joiner::Space);
            }
        }
        Ok(())
    }

    fn cue_label<'t>(
        &mut self,
        text: &'t str,
        first_line: bool,
        no: u64,
    ) -> Result<Option<(String, &'t str)>> {
        let mut t = text.trim_start();
        let mut dialogue = false;
        for dash in [">>", "- ", "– ", "— "] {
            if let Some(r) = t.strip_prefix(dash) {
                t = r.trim_start();
                dialogue = true;
                break;
            }
        }
        if !first_line && !dialogue {
            return Ok(None);
        }
        if let Some(r) = t.strip_prefix('[')
            && let Some(close) = r.find(']')
        {
            let label = &r[..close];
            let rest = r[close + 1..].trim_start();
            let rest = rest.strip_prefix(':').unwrap_or(rest);
            let is_annotation = NOT_SPEAKERS.contains(&name_key(label).as_str());
            if !rest.trim().is_empty() && !is_annotation && self.lookup.is_speaker(label) {
                return Ok(Some((collapse_spaces(label), rest.trim())));
            }
            return Ok(None);
        }
        self.speaker_prefix(t, no, text)
    }

    // --- SRT --------------------------------------------------------------------------------

    fn srt(&mut self, lines: &[&str]) -> Result<()> {
        let mut i = 0;
        while i < lines.len() {
            if lines[i].trim().is_empty() {
                i += 1;
                continue;
            }
            let start = i;
            while i < lines.len() && !lines[i].trim().is_empty() {
                i += 1;
            }
            self.srt_block(lines, start, i)?;
        }
        Ok(())
    }

    fn srt_block(&mut self, lines: &[&str], start: usize, end: usize) -> Result<()> {
        let is_number = |l: &str| {
            let l = l.trim();
            !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit())
        };
        let mut k = start;
        loop {
            // Each cue: an optional number, a timing line, text up to the next cue.
            let timing = if lines[k].contains("-->") {
                k
            } else if is_number(lines[k]) && k + 1 < end && lines[k + 1].contains("-->") {
                k + 1
            } else {
                let message = if is_number(lines[k]) {
                    format!(
                        "cue {} has no timing line (\"00:00:01,000 --> 00:00:04,000\")",
                        lines[k].trim()
                    )
                } else {
                    format!(
                        "expected a cue number or a timing line (\"00:00:01,000 --> \
                         00:00:04,000\"), found {:?}",
                        clip(lines[k])
                    )
                };
                let e = self.cue_error(k as u64 + 1, message);
                self.problem(e)?;
                // Lenient: keep the text as a cue without timing, less its cue number.
                self.cues += 1;
                let text_start = if is_number(lines[k]) { k + 1 } else { k };
                return self.cue_payload(lines, text_start, end);
            };
            self.cues += 1;
            self.timing(lines[timing], timing as u64 + 1, TimestampStyle::Srt)?;
            // The next cue, when a blank line is missing: a timing line, or a number
            // followed by one.
            let next = (timing + 1..end)
                .find(|&j| {
                    lines[j].contains("-->")
                        || (is_number(lines[j]) && j + 1 < end && lines[j + 1].contains("-->"))
                })
                .unwrap_or(end);
            self.cue_payload(lines, timing + 1, next)?;
            if next == end {
                return Ok(());
            }
            k = next;
        }
    }
}

/// Strips WebVTT and SRT markup from one line of cue text, decoding character references.
/// Returns the text by voice: `<v Name>` (or `<v.class Name>`) opens a voice, which lasts to
/// `</v>` or the end of the cue (`voice` carries it across lines); every other tag (`<c>`,
/// `<i>`, `<b>`, `<u>`, `<lang>`, `<ruby>`, `<font>`, inline timestamps) and SRT's `{\an8}`
/// style codes are dropped. A `<` that opens no tag is text.
fn strip_markup(line: &str, voice: &mut Option<String>) -> Vec<(Option<String>, String)> {
    let mut out: Vec<(Option<String>, String)> = Vec::new();
    let mut buf = String::new();
    let flush =
        |buf: &mut String, voice: &Option<String>, out: &mut Vec<(Option<String>, String)>| {
            if !buf.is_empty() {
                let text = decode_entities(buf).into_owned();
                match out.last_mut() {
                    Some((v, t)) if v == voice => t.push_str(&text),
                    _ => out.push((voice.clone(), text)),
                }
                buf.clear();
            }
        };
    let mut rest = line;
    while let Some(open) = rest.find(['<', '{']) {
        buf.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        if rest[open..].starts_with('{') {
            // SRT style override, e.g. {\an8}.
            if after.starts_with('\\')
                && let Some(close) = after.find('}')
            {
                rest = &after[close + 1..];
            } else {
                buf.push('{');
                rest = after;
            }
            continue;
        }
        let Some(close) = after.find('>') else {
            buf.push('<');
            rest = after;
            continue;
        };
        let tag = &after[..close];
        let is_tag = match tag.chars().next() {
            Some('/') => tag[1..].chars().all(|c| c.is_ascii_alphanumeric() || c == '.'),
            Some(c) if c.is_ascii_alphabetic() => !tag.contains('<'),
            Some(c) if c.is_ascii_digit() => timestamp_shaped(tag),
            _ => false,
        };
        if !is_tag {
            buf.push('<');
            rest = after;
            continue;
        }
        let name_end = tag.find(|c: char| c == '.' || c.is_whitespace()).unwrap_or(tag.len());
        match &tag[..name_end] {
            "v" => {
                flush(&mut buf, voice, &mut out);
                let annotation =
                    tag[name_end..].trim_start_matches(|c: char| !c.is_whitespace()).trim();
                let name = decode_entities(annotation);
                *voice = (!name.trim().is_empty()).then(|| collapse_spaces(&name));
            }
            "/v" => {
                flush(&mut buf, voice, &mut out);
                *voice = None;
            }
            _ => {}
        }
        rest = &after[close + 1..];
    }
    buf.push_str(rest);
    flush(&mut buf, voice, &mut out);
    out
}

/// Decodes the character references WebVTT defines and the numeric ones; others stay as
/// written.
fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        // References are short: look for the ';' within a few bytes only, which keeps a text
        // full of '&' linear.
        let semi = after.bytes().take(12).position(|b| b == b';');
        let decoded = semi.and_then(|semi| {
            let name = &after[..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some(' '),
                "lrm" => Some('\u{200e}'),
                "rlm" => Some('\u{200f}'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let n = if let Some(hex) =
                        name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                    {
                        u32::from_str_radix(hex, 16).ok()
                    } else {
                        name.strip_prefix('#').and_then(|d| d.parse::<u32>().ok())
                    };
                    n.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

// ---------------------------------------------------------------------------------------------
// Units to turns to passages
// ---------------------------------------------------------------------------------------------

struct ReportHeader {
    file: String,
    sha256: String,
    bytes: u64,
    encoding: String,
    format: TranscriptFormat,
    session: String,
    channel: String,
    lines: u64,
    stem: String,
}

struct Turn {
    key: Option<String>,
    speaker: Option<String>,
    text: String,
    /// (byte offset in `text`, line) of each unit's start, ascending.
    anchors: Vec<(usize, u64)>,
    line: u64,
}

impl Turn {
    fn line_at(&self, offset: usize) -> u64 {
        let i = self.anchors.partition_point(|&(o, _)| o <= offset);
        if i == 0 { self.line } else { self.anchors[i - 1].1 }
    }
}

fn turns(units: Vec<Unit>) -> Vec<Turn> {
    let mut out: Vec<Turn> = Vec::new();
    for unit in units {
        let key = unit.speaker.as_deref().map(name_key);
        if out.last().is_none_or(|t| t.key != key) {
            out.push(Turn {
                key,
                speaker: unit.speaker,
                text: String::new(),
                anchors: Vec::new(),
                line: unit.line,
            });
        }
        let Some(turn) = out.last_mut() else { continue };
        if unit.text.is_empty() {
            continue;
        }
        if !turn.text.is_empty() {
            turn.text.push(if unit.joiner == Joiner::Paragraph { '\n' } else { ' ' });
        }
        turn.anchors.push((turn.text.len(), unit.line));
        turn.text.push_str(&unit.text);
    }
    out
}

fn assemble(
    parser: Parser<'_>,
    head: ReportHeader,
    lookup: &Lookup,
    options: &TranscriptOptions,
) -> (Vec<Response>, TranscriptReport) {
    let Parser { units, header, cues, skipped_blocks, warnings, .. } = parser;
    let mut responses = Vec::new();
    let mut dropped = Vec::new();
    let mut speakers: Vec<SpeakerSummary> = Vec::new();
    let mut speaker_index: HashMap<Option<String>, usize> = HashMap::new();
    let (mut turns_read, mut turns_kept, mut words_kept) = (0u64, 0u64, 0u64);
    // Shared by every passage of the transcript (see `Response`).
    let session: Arc<str> = Arc::from(head.session.as_str());
    let channel: Arc<str> = Arc::from(head.channel.as_str());
    let file: Arc<str> = Arc::from(head.file.as_str());
    for turn in turns(units) {
        turns_read += 1;
        let entry = turn.key.as_deref().and_then(|k| lookup.get(k));
        let name = entry.map(|e| e.speaker.clone()).or_else(|| turn.speaker.clone());
        let group = entry.and_then(|e| e.group.clone());
        let facilitator = entry.is_some_and(|e| e.role == SpeakerRole::Facilitator)
            || turn.key.as_deref().is_some_and(generic_facilitator);
        let words = turn.text.split_whitespace().count() as u64;
        let s = *speaker_index.entry(turn.key.clone()).or_insert_with(|| {
            speakers.push(SpeakerSummary {
                speaker: name.clone(),
                group: group.clone(),
                facilitator,
                turns: 0,
                turns_kept: 0,
                passages: 0,
                words: 0,
            });
            speakers.len() - 1
        });
        speakers[s].turns += 1;
        speakers[s].words += words;
        let reason = if words == 0 {
            Some(DropReason::Empty)
        } else if facilitator && options.exclude_facilitators {
            Some(DropReason::Facilitator)
        } else if group.is_none() && !facilitator && options.drop_unmapped {
            Some(DropReason::Unmapped)
        } else {
            None
        };
        if let Some(reason) = reason {
            dropped.push(DroppedTurn { line: turn.line, speaker: name, reason, words });
            continue;
        }
        turns_kept += 1;
        words_kept += words;
        speakers[s].turns_kept += 1;
        let respondent: Option<Arc<str>> = name.as_ref().map(|n| match options.respondent_scope {
            RespondentScope::Session => format!("{}/{n}", head.session).into(),
            RespondentScope::Global => n.as_str().into(),
        });
        let group: Option<Arc<str>> = group.as_deref().map(Arc::from);
        for range in passages(&turn.text, options.max_passage_words) {
            speakers[s].passages += 1;
            responses.push(Response {
                id: format!("{}:{}", head.stem, responses.len() + 1),
                respondent: respondent.clone(),
                group: group.clone(),
                question: Some(Arc::clone(&session)),
                channel: Some(Arc::clone(&channel)),
                text: turn.text[range.clone()].to_owned(),
                provenance: Some(Provenance {
                    file: Arc::clone(&file),
                    record: turn.line_at(range.start),
                }),
                attributes: Vec::new(),
            });
        }
    }
    let unmapped_speakers = speakers
        .iter()
        .filter(|s| s.group.is_none() && !s.facilitator)
        .filter_map(|s| s.speaker.clone())
        .collect();
    let report = TranscriptReport {
        file: head.file,
        sha256: head.sha256,
        bytes: head.bytes,
        encoding: head.encoding,
        format: head.format,
        session: head.session,
        channel: head.channel,
        lines: head.lines,
        cues,
        header,
        skipped_blocks,
        turns_read,
        turns_kept,
        dropped,
        passages: responses.len() as u64,
        words_kept,
        speakers,
        unmapped_speakers,
        warnings,
    };
    (responses, report)
}

const BULLETS: &[char] = &['-', '*', '•', '·', '>', '–'];

/// The start of the whitespace-delimited word holding byte `pos`, taking along a bullet
/// word just before it (`- Fix the alerts`), so that passages break between words.
fn word_start(text: &str, mut pos: usize) -> usize {
    while let Some(c) = text[..pos].chars().next_back() {
        if c.is_whitespace() {
            break;
        }
        pos -= c.len_utf8();
    }
    let head = text[..pos].trim_end();
    let token_start = head
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let token = &head[token_start..];
    if !token.is_empty() && token.chars().all(|c| BULLETS.contains(&c)) { token_start } else { pos }
}

/// Splits `text` into passages of at most `max_words` words.
///
/// Passages are whole sentences, as few as the bound allows, and as even as possible: among
/// the packings with the fewest passages, the one whose longest passage is shortest (found
/// by binary search on the bound, each step a greedy packing). A turn of 130 words with a
/// bound of 120 gives two passages of about 65 words, not one of 120 and a stray sentence. A
/// sentence longer than the bound is cut into even runs of words. The ranges are trimmed;
/// between them lies only white space, so no word is lost.
fn passages(text: &str, max_words: usize) -> Vec<Range<usize>> {
    let mut bounds = vec![0];
    for sentence in thematic_text::sentences(text) {
        let b = word_start(text, sentence.start);
        if bounds.last().is_some_and(|&last| b > last) {
            bounds.push(b);
        }
    }
    if bounds.last().is_some_and(|&last| last < text.len()) {
        bounds.push(text.len());
    }
    let mut out = Vec::new();
    // Consecutive sentences that each fit the bound, packed together.
    let mut run: Vec<(usize, usize, usize)> = Vec::new();
    for w in bounds.windows(2) {
        let (a, b) = (w[0], w[1]);
        let n = text[a..b].split_whitespace().count();
        if n <= max_words {
            run.push((a, b, n));
            continue;
        }
        pack_balanced(&run, max_words, &mut out);
        run.clear();
        let starts = word_starts(&text[a..b]);
        let pieces = n.div_ceil(max_words);
        let (base, extra) = (n / pieces, n % pieces);
        let mut first = 0;
        for p in 0..pieces {
            let next = first + base + usize::from(p < extra);
            let s = if p == 0 { a } else { a + starts[first] };
            let e = starts.get(next).map_or(b, |&o| a + o);
            out.push(s..e);
            first = next;
        }
    }
    pack_balanced(&run, max_words, &mut out);
    out.into_iter()
        .map(|r| {
            let piece = &text[r.clone()];
            let lead = piece.len() - piece.trim_start().len();
            r.start + lead..r.start + piece.trim_end().len()
        })
        .filter(|r| r.start < r.end)
        .collect()
}

/// Greedy packing of sentences `(start, end, words)` into passages of at most `bound` words.
fn pack(run: &[(usize, usize, usize)], bound: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut current: Option<(usize, usize, usize)> = None;
    for &(a, b, n) in run {
        current = match current {
            Some((s, _, words)) if words + n <= bound => Some((s, b, words + n)),
            Some((s, e, _)) => {
                out.push(s..e);
                Some((a, b, n))
            }
            None => Some((a, b, n)),
        };
    }
    out.extend(current.map(|(s, e, _)| s..e));
    out
}

/// Packs a run of sentences, each within `max_words`, into the fewest passages, as evenly as
/// possible. Greedy packing gives the fewest passages for a bound, and that number only
/// shrinks as the bound grows, so the smallest bound giving the fewest is a binary search.
fn pack_balanced(run: &[(usize, usize, usize)], max_words: usize, out: &mut Vec<Range<usize>>) {
    if run.is_empty() {
        return;
    }
    let fewest = pack(run, max_words).len();
    let total: usize = run.iter().map(|s| s.2).sum();
    let longest = run.iter().map(|s| s.2).max().unwrap_or(0);
    let (mut lo, mut hi) = (total.div_ceil(fewest).max(longest).min(max_words), max_words);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pack(run, mid).len() <= fewest {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    out.extend(pack(run, lo));
}

/// Byte offsets of the words' starts in `s`.
fn word_starts(s: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut prev_space = true;
    for (i, c) in s.char_indices() {
        let space = c.is_whitespace();
        if !space && prev_space {
            out.push(i);
        }
        prev_space = space;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn passages_keep_every_word_in_order_and_respect_the_bound() {
        let text = "One two three. Four five six seven.\n- Eight nine!\nTen eleven twelve \
                    thirteen fourteen fifteen sixteen.";
        for max in 1..12 {
            let ps = passages(text, max);
            let joined: Vec<&str> = ps.iter().flat_map(|r| words(&text[r.clone()])).collect();
            assert_eq!(joined, words(text), "max {max}");
            for r in &ps {
                let n = words(&text[r.clone()]).len();
                assert!((1..=max).contains(&n), "max {max}: {:?}", &text[r.clone()]);
            }
        }
        // Whole sentences when they fit: no sentence is cut at a bound of 8.
        let ps: Vec<&str> = passages(text, 8).into_iter().map(|r| &text[r]).collect();
        assert_eq!(ps[0], "One two three. Four five six seven.");
        assert_eq!(ps[1], "- Eight nine!");
        assert_eq!(ps[2], "Ten eleven twelve thirteen fourteen fifteen sixteen.");
    }

    #[test]
    fn passages_are_even() {
        let sentence = "One two three four five six seven eight nine ten. ";
        let text = sentence.repeat(13);
        let text = text.trim_end();
        let sizes: Vec<usize> =
            passages(text, 120).into_iter().map(|r| words(&text[r]).len()).collect();
        assert_eq!(sizes, [70, 60]);
        // One long sentence of 121 words: two halves, not 120 and 1.
        let long = "word ".repeat(121);
        let sizes: Vec<usize> =
            passages(long.trim_end(), 120).into_iter().map(|r| words(&long[r]).len()).collect();
        assert_eq!(sizes, [61, 60]);
    }

    #[test]
    fn timestamps() {
        use TimestampStyle::*;
        assert_eq!(parse_timestamp("00:01:02.500", WebVtt), Ok(62_500));
        assert_eq!(parse_timestamp("01:02.003", WebVtt), Ok(62_003));
        assert_eq!(parse_timestamp("1:00:00.000", WebVtt), Ok(3_600_000));
        assert!(parse_timestamp("00:61:00.000", WebVtt).unwrap_err().contains("minutes 61"));
        assert!(parse_timestamp("1:2:3", WebVtt).is_err());
        assert!(parse_timestamp("00:00:01,000", WebVtt).unwrap_err().contains("'.'"));
        assert!(parse_timestamp("00:00:01.00", WebVtt).is_err());
        assert_eq!(parse_timestamp("00:00:01,5", Srt), Ok(1_500));
        assert!(parse_timestamp("00:01", Srt).is_err());
        assert_eq!(parse_timestamp("0:03", Plain), Ok(3_000));
        assert!(parse_timestamp("00:00:60", Plain).unwrap_err().contains("seconds 60"));
        assert!(parse_timestamp("99999999999999999999:00:00.000", WebVtt).is_err());
    }

    #[test]
    fn labels() {
        for ok in [
            "Dr Amara Patel",
            "Participant 3",
            "SPEAKER_01",
            "Jan van der Berg",
            "Q",
            "Sam (facilitator)",
            "Siobhán O'Neill",
        ] {
            assert!(looks_like_label(ok), "{ok}");
        }
        for no in [
            "Date",
            "Three things",
            "so the thing is",
            "Workshop 2",
            "Note",
            "http",
            "10",
            "A very long label with far too many words in it",
        ] {
            assert!(!looks_like_label(no), "{no}");
        }
    }

    #[test]
    fn markup_and_entities() {
        let mut voice = None;
        let pieces = strip_markup(
            "<v.loud Sam Okafor>A&amp;E <i>is</i> <00:00:01.000>busy</v> &lt;3 <c.x>ok",
            &mut voice,
        );
        assert_eq!(
            pieces,
            [
                (Some("Sam Okafor".to_owned()), "A&E is busy".to_owned()),
                (None, " <3 ok".to_owned())
            ]
        );
        assert_eq!(decode_entities("a &nbsp;b &#233; &#x41; &bogus; &"), "a  b é A &bogus; &");
        let mut voice = None;
        assert_eq!(strip_markup("{\\an8}x < y", &mut voice), [(None, "x < y".to_owned())]);
    }

    #[test]
    fn lines_and_columns() {
        assert_eq!(split_lines("a\r\nb\rc\n\nd\n"), ["a", "b", "c", "", "d"]);
        assert_eq!(line_col("a\r\nb\rcé", 8), (3, 3));
    }
}
