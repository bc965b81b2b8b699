//! Every input of a consultation (survey exports in any format, long or wide, and workshop
//! or interview transcripts) into one table of responses, accounting for every input row.
//!
//! [`ingest`] reads each file with the reader of its format, maps its columns to the
//! response's roles (id, respondent, stakeholder group, question, channel, text and
//! attributes), reshapes a wide survey (one row per respondent, one column per open
//! question) to one response per answer, and then screens what it read: empty answers,
//! "N/A"-style non-answers, texts too short to carry a theme, exact duplicates and campaign
//! duplicates are not kept, each with its reason. The [`IngestReport`] says, for every
//! input, how many units (rows, answers of a wide row, or transcript turns) were read, kept
//! and dropped, and `read = kept + dropped` always holds.
//!
//! Campaigns (standard letters sent by many respondents) are kept once, by their first
//! member, so that they count once for theme prevalence; their size is kept in
//! [`IngestReport::campaigns`]. Set [`IngestOptions::campaigns_once`] to `false` to keep
//! every member.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use regex::Regex;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use thematic_core::{Interner, Provenance, Response};

use crate::dedupe::{Dedupe, DedupeItem, DedupeParams, Screen, Verdict};
use crate::error::{IoError, Result};
use crate::source::{self, Format, ReadOptions, RowLocation, RowRead, SourceSummary};
use crate::transcript::{TranscriptOptions, TranscriptReport, read_transcript};

/// Which columns of a table hold what. Names match exactly, else ignoring case and
/// surrounding spaces. A role without a name takes its default column when present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ColumnMap {
    /// The free text (long format). Default `text`; required unless the survey is wide.
    pub text: Option<String>,
    /// The response id. Default `id`; otherwise the 1-based record number.
    pub id: Option<String>,
    /// The respondent. Default `respondent_id` or `respondent`.
    pub respondent: Option<String>,
    /// The stakeholder group: one column, or several (e.g. "Capacity" and "Organisation
    /// type") whose non-empty values are joined with " / ". Default `group`.
    pub group: Vec<String>,
    /// The question (long format). Default `question`.
    pub question: Option<String>,
    /// The channel. Default `channel`; otherwise [`ColumnMap::default_channel`].
    pub channel: Option<String>,
    /// Channel of rows without a channel column. Default "survey" for tables.
    pub default_channel: Option<String>,
    /// Columns kept as [`Response::attributes`] (closed questions, for cross-tabs): names or
    /// wildcard patterns (`*`, `?`). None by default: a column is only carried along when the
    /// analyst asks, because exports also hold e-mail addresses and free-text names.
    pub attributes: Vec<String>,
}

/// How to ingest a set of inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IngestOptions {
    /// How to read each file (format, encoding, delimiter, sheet, strictness).
    pub read: ReadOptions,
    /// Column roles of tabular inputs.
    pub columns: ColumnMap,
    /// A wide survey: the open-question columns, by name or wildcard pattern (`Q*`,
    /// `*comments*`; a Qualtrics export's question texts match too). Each non-empty row
    /// gives one response per such column, with the column's question (its name, or a
    /// Qualtrics export's question text, see [`ReadOptions::header_rows`]); an empty list
    /// takes every column without another role. `None` reads one response per row (long
    /// format).
    pub wide: Option<Vec<String>>,
    /// How to read transcripts (speaker groups, facilitators, passages); their encoding is
    /// [`ReadOptions::encoding`], whatever this one says.
    pub transcript: TranscriptOptions,
    /// Screen out empty answers, non-answers and texts too short to carry a theme (as
    /// [`DedupeParams`] defines them). Default true; false keeps every readable unit.
    pub screen: bool,
    /// What is not kept: non-answers, short texts, duplicates, campaigns.
    pub dedupe: DedupeParams,
    /// Keep one response per campaign (the first), so that a standard letter counts once in
    /// theme prevalence; the others are accounted as campaign duplicates. Default true.
    pub campaigns_once: bool,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            read: ReadOptions::default(),
            columns: ColumnMap::default(),
            wide: None,
            transcript: TranscriptOptions::default(),
            screen: true,
            dedupe: Dedupe::params(),
            campaigns_once: true,
        }
    }
}

/// Why an input unit was not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DropReason {
    /// No text, or only white space.
    Empty,
    /// An "N/A"-style non-answer ("n/a", "none", "no comment", "-").
    NonAnswer,
    /// Too few letters or digits to carry a theme.
    TooShort,
    /// The same respondent's same answer to the same question, read before.
    ExactDuplicate,
    /// A member of a campaign other than its first (see [`IngestOptions::campaigns_once`]).
    CampaignDuplicate,
    /// The reader could not read the row (a ragged CSV row, an unreadable cell).
    Unreadable,
    /// A transcript turn by a facilitator.
    Facilitator,
    /// A transcript turn by a speaker with no stakeholder group, when those are dropped.
    UnmappedSpeaker,
}

impl DropReason {
    /// The name used in reports: "empty", "non-answer", ...
    pub fn name(self) -> &'static str {
        match self {
            DropReason::Empty => "empty",
            DropReason::NonAnswer => "non-answer",
            DropReason::TooShort => "too short",
            DropReason::ExactDuplicate => "exact duplicate",
            DropReason::CampaignDuplicate => "campaign duplicate",
            DropReason::Unreadable => "unreadable",
            DropReason::Facilitator => "facilitator",
            DropReason::UnmappedSpeaker => "speaker has no group",
        }
    }
}

impl std::fmt::Display for DropReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One input unit that was not kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DroppedRow {
    /// The input file.
    pub file: String,
    /// Where in it (for transcripts: the turn's line as both record and line).
    pub location: RowLocation,
    /// The answer's column, for a wide survey.
    pub column: Option<String>,
    /// The response id it would have had, if it got that far.
    pub id: Option<String>,
    /// Why it was not kept.
    pub reason: DropReason,
    /// Details: the reader's message, or the kept response it duplicates.
    pub detail: String,
}

/// What was read from one input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputReport {
    /// The file, as given.
    pub file: String,
    /// Its format.
    pub format: Format,
    /// What the unit of accounting is: "row", "answer" (a cell of a wide survey) or "turn".
    pub unit: String,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Text encoding, delimiter and sheet, where they apply.
    pub source: SourceSummary,
    /// Header columns (tables).
    pub columns: Vec<String>,
    /// Columns used, by role: ("text", "Answer"), ("group", "Capacity"), ...
    pub mapping: Vec<(String, String)>,
    /// Data rows of a table (a wide row holds several answers); turns of a transcript.
    pub rows: u64,
    /// Units read: rows, answers or turns.
    pub read: u64,
    /// Units kept.
    pub kept: u64,
    /// Units not kept, by reason; `read == kept + sum(dropped)`.
    pub dropped: BTreeMap<DropReason, u64>,
    /// Responses made from the kept units (a transcript turn may give several passages).
    pub responses: u64,
    /// The transcript reader's report (speakers, passages, warnings).
    pub transcript: Option<TranscriptReport>,
}

impl InputReport {
    /// Units not kept, all reasons together.
    pub fn dropped_total(&self) -> u64 {
        self.dropped.values().sum()
    }
}

/// A campaign: near-identical texts sent by several respondents, kept once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignReport {
    /// 1-based campaign number, in order of first member.
    pub id: usize,
    /// Responses in it, the kept one included.
    pub size: usize,
    /// Id of the kept response (the first member).
    pub representative: String,
    /// The representative's text.
    pub text: String,
    /// Members by stakeholder group ("" for none), most first.
    pub groups: Vec<(String, usize)>,
    /// Mean estimated similarity (Jaccard of word shingles) of members to the representative.
    pub mean_similarity: f64,
    /// Ids of every member, the representative first.
    pub members: Vec<String>,
}

/// What [`ingest`] read, kept and dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestReport {
    /// One report per input, in the order given.
    pub inputs: Vec<InputReport>,
    /// Units read over all inputs.
    pub read: u64,
    /// Units kept.
    pub kept: u64,
    /// Units not kept, by reason.
    pub dropped: BTreeMap<DropReason, u64>,
    /// Every unit not kept, with its reason, in input order.
    pub dropped_rows: Vec<DroppedRow>,
    /// Campaigns found, in order of first member.
    pub campaigns: Vec<CampaignReport>,
    /// Whether campaign members other than the first were dropped.
    pub campaigns_once: bool,
    /// Responses whose id repeated an earlier one and was made unique (`id~2`, ...), as
    /// (file, original id, new id).
    pub renamed_ids: Vec<(String, String, String)>,
}

impl IngestReport {
    /// Units not kept, all reasons together.
    pub fn dropped_total(&self) -> u64 {
        self.dropped.values().sum()
    }
}

/// A table's column names, and their questions (a Qualtrics export's question texts; else
/// the names again). Dereferences to the names.
struct Header<'a> {
    names: &'a [String],
    questions: &'a [String],
}

impl std::ops::Deref for Header<'_> {
    type Target = [String];

    fn deref(&self) -> &[String] {
        self.names
    }
}

/// A column of the header: the exact name, else the first ignoring case and surrounding
/// spaces; else a column whose question text is `name` in the same ways.
fn find_column(header: &Header<'_>, name: &str) -> Option<usize> {
    let find = |among: &[String]| {
        among.iter().position(|h| h == name).or_else(|| {
            let want = name.trim().to_lowercase();
            among.iter().position(|h| h.trim().to_lowercase() == want)
        })
    };
    find(header.names).or_else(|| find(header.questions))
}

fn missing(path: &Path, header: &[String], name: &str, role: &'static str) -> IoError {
    IoError::MissingColumn {
        path: path.to_owned(),
        column: name.to_owned(),
        role,
        available: header.iter().map(|h| format!("{h:?}")).collect::<Vec<_>>().join(", "),
    }
}

/// A column asked for (an error if absent) or the first default present.
fn resolve(
    path: &Path,
    header: &Header<'_>,
    asked: Option<&str>,
    defaults: &[&str],
    role: &'static str,
) -> Result<Option<usize>> {
    match asked {
        Some(name) => {
            find_column(header, name).map(Some).ok_or_else(|| missing(path, header, name, role))
        }
        None => Ok(defaults.iter().find_map(|d| find_column(header, d))),
    }
}

/// A column name or a wildcard pattern (`*` any run, `?` one character), matched against
/// the whole name ignoring case.
fn pattern(option: &'static str, p: &str) -> Result<Regex> {
    let mut re = String::from("(?i)^");
    for c in p.trim().chars() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            c => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    re.push('$');
    Regex::new(&re)
        .map_err(|e| IoError::InvalidOption { option, message: format!("pattern {p:?}: {e}") })
}

/// The columns matching any of `patterns`, in header order; an error naming a pattern that
/// matches none.
fn select_columns(
    path: &Path,
    header: &Header<'_>,
    patterns: &[String],
    role: &'static str,
    option: &'static str,
) -> Result<Vec<usize>> {
    let mut chosen = vec![false; header.len()];
    for p in patterns {
        let exact = if p.contains(['*', '?']) { None } else { find_column(header, p) };
        let mut any = false;
        if let Some(c) = exact {
            chosen[c] = true;
            any = true;
        } else {
            let re = pattern(option, p)?;
            for (c, (h, q)) in header.iter().zip(header.questions).enumerate() {
                if re.is_match(h.trim()) || re.is_match(q.trim()) {
                    chosen[c] = true;
                    any = true;
                }
            }
        }
        if !any {
            return Err(missing(path, header, p, role));
        }
    }
    Ok((0..header.len()).filter(|&c| chosen[c]).collect())
}

/// The resolved columns of one table.
struct Layout {
    /// Text columns: one (long) or the open questions (wide).
    text: Vec<usize>,
    wide: bool,
    id: Option<usize>,
    respondent: Option<usize>,
    group: Vec<usize>,
    question: Option<usize>,
    channel: Option<usize>,
    attributes: Vec<usize>,
    mapping: Vec<(String, String)>,
}

impl Layout {
    fn new(path: &Path, header: &Header<'_>, options: &IngestOptions) -> Result<Layout> {
        let cols = &options.columns;
        let wide = options.wide.is_some();
        let id = resolve(path, header, cols.id.as_deref(), &["id"], "id")?;
        let respondent = resolve(
            path,
            header,
            cols.respondent.as_deref(),
            &["respondent_id", "respondent"],
            "respondent",
        )?;
        let group = if cols.group.is_empty() {
            resolve(path, header, None, &["group"], "group")?.into_iter().collect()
        } else {
            cols.group
                .iter()
                .map(|g| find_column(header, g).ok_or_else(|| missing(path, header, g, "group")))
                .collect::<Result<Vec<_>>>()?
        };
        // A wide survey's answers are its open-question columns; one text column would
        // contradict them, and ignoring it would read other columns than the analyst named.
        if let (true, Some(t)) = (wide, &cols.text) {
            return Err(IoError::InvalidOption {
                option: "text-column",
                message: format!(
                    "{}: a wide survey takes its answers from the open-question columns; \
                     name {t:?} among them instead of as the text column",
                    path.display()
                ),
            });
        }
        // A wide survey's question is the column; a question column would contradict it.
        let question = if wide {
            if let Some(q) = &cols.question {
                return Err(IoError::InvalidOption {
                    option: "question-column",
                    message: format!(
                        "{}: a wide survey takes its questions from the column names; \
                         {q:?} cannot also be the question column",
                        path.display()
                    ),
                });
            }
            None
        } else {
            resolve(path, header, cols.question.as_deref(), &["question"], "question")?
        };
        let channel = resolve(path, header, cols.channel.as_deref(), &["channel"], "channel")?;
        let attributes = if cols.attributes.is_empty() {
            Vec::new()
        } else {
            select_columns(path, header, &cols.attributes, "attribute", "attribute-columns")?
        };
        let text = match &options.wide {
            // Without named open questions, a wide survey's answers are every column that
            // has no other role.
            Some(patterns) if patterns.is_empty() => {
                let taken: Vec<usize> = [id, respondent, question, channel]
                    .into_iter()
                    .flatten()
                    .chain(group.iter().copied())
                    .chain(attributes.iter().copied())
                    .collect();
                let text: Vec<usize> = (0..header.len()).filter(|c| !taken.contains(c)).collect();
                if text.is_empty() {
                    return Err(IoError::InvalidOption {
                        option: "question-columns",
                        message: format!(
                            "{}: every column has another role; name the open questions",
                            path.display()
                        ),
                    });
                }
                text
            }
            Some(patterns) => {
                select_columns(path, header, patterns, "open question", "question-columns")?
            }
            None => {
                let name = cols.text.as_deref().unwrap_or("text");
                vec![find_column(header, name).ok_or_else(|| missing(path, header, name, "text"))?]
            }
        };

        let mut mapping = Vec::new();
        let mut used: Vec<(usize, &'static str)> = Vec::new();
        let roles: [(&'static str, Vec<usize>); 6] = [
            (if wide { "open question" } else { "text" }, text.clone()),
            ("id", id.into_iter().collect()),
            ("respondent", respondent.into_iter().collect()),
            ("group", group.clone()),
            ("question", question.into_iter().collect()),
            ("channel", channel.into_iter().collect()),
        ];
        for (role, columns) in &roles {
            for &c in columns {
                if let Some((_, other)) = used.iter().find(|(u, _)| *u == c) {
                    return Err(IoError::InvalidOption {
                        option: "columns",
                        message: format!(
                            "{}: column {:?} cannot be both the {other} and the {role} column",
                            path.display(),
                            header[c]
                        ),
                    });
                }
                used.push((c, role));
                mapping.push((role.to_string(), header[c].clone()));
            }
        }
        // An attribute may repeat a role's column (a group column is also a fine cross-tab
        // variable), but not a text one: answers are not attributes.
        let attributes: Vec<usize> = attributes.into_iter().filter(|c| !text.contains(c)).collect();
        mapping.extend(attributes.iter().map(|&c| ("attribute".to_owned(), header[c].clone())));
        // Two header cells of the same name make a mapping ambiguous.
        for (c, _) in &used {
            if header.iter().filter(|h| *h == &header[*c]).count() > 1 {
                return Err(IoError::DuplicateColumn {
                    path: path.to_owned(),
                    column: header[*c].clone(),
                });
            }
        }
        Ok(Layout { text, wide, id, respondent, group, question, channel, attributes, mapping })
    }
}

/// Where a dropped unit sorts: input, record, then its column among a wide row's answers.
type DropKey = (usize, u64, usize);

/// Where a response being read came from, beside it until duplicates are known. Kept apart
/// from the responses so that the kept ones stay in their vector (no second copy of a
/// million responses at the end).
struct Pending {
    input: usize,
    key: DropKey,
    location: RowLocation,
    /// The open question's column of a wide row.
    column: Option<Arc<str>>,
    /// Tabular: subject to duplicate and campaign detection.
    tabular: bool,
}

/// What is read, in input order: the responses and, index for index, where each came from.
#[derive(Default)]
struct Read {
    responses: Vec<Response>,
    pending: Vec<Pending>,
    /// Shares the values that repeat from row to row (groups, questions, channels,
    /// respondents, attributes, file names).
    strings: Interner,
}

impl Read {
    fn push(&mut self, response: Response, pending: Pending) {
        self.responses.push(response);
        self.pending.push(pending);
    }

    /// The trimmed value, shared, or `None` if blank.
    fn nonempty(&mut self, s: &str) -> Option<Arc<str>> {
        let s = s.trim();
        (!s.is_empty()).then(|| self.strings.intern(s))
    }
}

/// Reads every input into one table of responses and accounts for every input unit.
///
/// Responses keep input order. Ids come from the id column (else the record number, with
/// the file's stem in front when several inputs are read) and are made unique across
/// inputs; each renaming is reported.
///
/// # Errors
/// An invalid option; a file that cannot be read, is empty, lacks a column asked for (or the
/// default `text` column), or is malformed beyond a row (bad encoding, an unclosed quote, a
/// corrupt workbook); with [`ReadOptions::strict`], any malformed row. Errors name the file
/// and, where it applies, the row, line, column or byte offset.
pub fn ingest<P: AsRef<Path>>(
    paths: &[P],
    options: &IngestOptions,
) -> Result<(Vec<Response>, IngestReport)> {
    let dedupe = options
        .dedupe
        .clone()
        .build()
        .map_err(|e| IoError::InvalidOption { option: "dedupe", message: e.to_string() })?;
    if paths.is_empty() {
        return Err(IoError::InvalidOption { option: "inputs", message: "no input file".into() });
    }
    let several = paths.len() > 1;
    let mut read = Read::default();
    let mut inputs: Vec<InputReport> = Vec::new();
    let mut dropped_rows: Vec<(DropKey, DroppedRow)> = Vec::new();

    for (input, path) in paths.iter().enumerate() {
        let path = path.as_ref();
        let format = match options.read.format {
            Some(f) => f,
            None => Format::from_path(path)?,
        };
        let report = if format.is_transcript() {
            read_transcript_input(path, format, input, options, &mut read, &mut dropped_rows)?
        } else {
            read_table_input(
                path,
                format,
                input,
                several,
                options,
                &dedupe,
                &mut read,
                &mut dropped_rows,
            )?
        };
        inputs.push(report);
    }

    // Ids are made unique first, so that every report and detail names the id a response
    // ends up with.
    let Read { mut responses, pending, strings } = read;
    drop(strings);
    let renamed_ids = unique_ids(&mut responses);

    // Duplicates and campaigns, over the tabular responses of every input together (a
    // campaign letter arrives through every channel of a survey).
    let tabular: Vec<usize> = (0..pending.len()).filter(|&i| pending[i].tabular).collect();
    let items: Vec<DedupeItem<'_>> = tabular
        .iter()
        .map(|&i| {
            let r = &responses[i];
            DedupeItem {
                respondent: r.respondent.as_deref(),
                // A wide answer's question is its column: question texts can repeat across
                // columns (a Qualtrics loop asks one question per item), and the same answer
                // to two of them is not a duplicate.
                question: pending[i].column.as_deref().or(r.question.as_deref()),
                text: &r.text,
            }
        })
        .collect();
    let duplicates = dedupe.duplicates(&items);
    drop(items);

    let mut keep = vec![true; pending.len()];
    let mut reasons: Vec<Option<(DropReason, String)>> = vec![None; pending.len()];
    for (j, verdict) in duplicates.verdicts.iter().enumerate() {
        let i = tabular[j];
        match *verdict {
            Verdict::Keep => {}
            Verdict::ExactDuplicate { of } => {
                let first = &responses[tabular[of]].id;
                reasons[i] = Some((DropReason::ExactDuplicate, format!("same as {first}")));
                keep[i] = false;
            }
            Verdict::CampaignMember { campaign, representative } => {
                let first = &responses[tabular[representative]].id;
                let detail = format!("campaign {}, kept as {first}", campaign + 1);
                if options.campaigns_once {
                    keep[i] = false;
                }
                reasons[i] = Some((DropReason::CampaignDuplicate, detail));
            }
        }
    }
    let campaigns = duplicates
        .campaigns
        .iter()
        .map(|c| {
            let members: Vec<&Response> =
                c.members.iter().map(|&m| &responses[tabular[m]]).collect();
            let mut groups: FxHashMap<&str, usize> = FxHashMap::default();
            for r in &members {
                *groups.entry(r.group.as_deref().unwrap_or("")).or_default() += 1;
            }
            let mut groups: Vec<(String, usize)> =
                groups.into_iter().map(|(g, n)| (g.to_owned(), n)).collect();
            groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let representative = &responses[tabular[c.representative]];
            CampaignReport {
                id: c.id + 1,
                size: c.size,
                representative: representative.id.clone(),
                text: representative.text.clone(),
                groups,
                mean_similarity: c.mean_similarity,
                members: members.iter().map(|r| r.id.clone()).collect(),
            }
        })
        .collect();

    // In place: the kept responses stay where they are read.
    let mut i = 0;
    responses.retain_mut(|r| {
        let (p, reason) = (&pending[i], reasons[i].take());
        let kept = keep[i];
        i += 1;
        let Some((reason, detail)) = reason.filter(|_| !kept) else { return true };
        let file = r.provenance.as_ref().map(|v| v.file.to_string()).unwrap_or_default();
        let row = DroppedRow {
            file,
            location: p.location,
            column: p.column.as_deref().map(String::from),
            id: Some(std::mem::take(&mut r.id)),
            reason,
            detail,
        };
        dropped_rows.push((p.key, row));
        let report = &mut inputs[p.input];
        report.kept -= 1;
        report.responses -= 1;
        *report.dropped.entry(reason).or_default() += 1;
        false
    });
    drop(pending);
    // Input order, then position in the input: the order a reader would list them.
    dropped_rows.sort_by_key(|(key, _)| *key);
    let dropped_rows: Vec<DroppedRow> = dropped_rows.into_iter().map(|(_, d)| d).collect();

    let mut dropped = BTreeMap::new();
    for report in &inputs {
        for (reason, n) in &report.dropped {
            *dropped.entry(*reason).or_default() += n;
        }
    }
    let report = IngestReport {
        read: inputs.iter().map(|r| r.read).sum(),
        kept: inputs.iter().map(|r| r.kept).sum(),
        inputs,
        dropped,
        dropped_rows,
        campaigns,
        campaigns_once: options.campaigns_once,
        renamed_ids,
    };
    debug_assert_eq!(report.read, report.kept + report.dropped_total());
    Ok((responses, report))
}

/// Makes ids unique: a repeated id gets `~2`, `~3`, ... in input order. Returns the
/// renamings as (file, old, new).
fn unique_ids(responses: &mut [Response]) -> Vec<(String, String, String)> {
    // The usual case has no repeat: one pass over borrowed ids finds out, without copying.
    let repeats: Vec<usize> = {
        let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
        seen.reserve(responses.len());
        (0..responses.len()).filter(|&i| !seen.insert(responses[i].id.as_str())).collect()
    };
    if repeats.is_empty() {
        return Vec::new();
    }
    let mut taken: rustc_hash::FxHashSet<String> = responses.iter().map(|r| r.id.clone()).collect();
    let mut renamed = Vec::with_capacity(repeats.len());
    for i in repeats {
        let r = &mut responses[i];
        let new = (2..)
            .map(|n| format!("{}~{n}", r.id))
            .find(|candidate| !taken.contains(candidate))
            .unwrap_or_default();
        taken.insert(new.clone());
        let file = r.provenance.as_ref().map(|p| p.file.to_string()).unwrap_or_default();
        renamed.push((file, std::mem::replace(&mut r.id, new.clone()), new));
    }
    renamed
}

#[allow(clippy::too_many_arguments)]
fn read_table_input(
    path: &Path,
    format: Format,
    input: usize,
    several: bool,
    options: &IngestOptions,
    dedupe: &Dedupe,
    read: &mut Read,
    dropped_rows: &mut Vec<(DropKey, DroppedRow)>,
) -> Result<InputReport> {
    let mut reader = source::open(path, format, &options.read)?;
    let header = reader.columns().to_vec();
    let questions = reader.questions().to_vec();
    let layout = Layout::new(path, &Header { names: &header, questions: &questions }, options)?;
    let file = path.display().to_string();
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let default_channel =
        read.strings.intern(options.columns.default_channel.as_deref().unwrap_or("survey"));
    let shared_file = read.strings.intern(&file);
    // Column names and questions as shared values: attribute names, a wide row's questions.
    let names: Vec<Arc<str>> = header.iter().map(|h| read.strings.intern(h)).collect();
    let asked: Vec<Arc<str>> = questions.iter().map(|q| read.strings.intern(q)).collect();

    let mut report = InputReport {
        file: file.clone(),
        format,
        unit: if layout.wide { "answer" } else { "row" }.to_owned(),
        sha256: String::new(),
        bytes: 0,
        source: SourceSummary::default(),
        columns: header.clone(),
        mapping: layout.mapping.clone(),
        rows: 0,
        read: 0,
        kept: 0,
        dropped: BTreeMap::new(),
        responses: 0,
        transcript: None,
    };
    let mut discard = |report: &mut InputReport,
                       (location, k): (RowLocation, usize),
                       column: Option<String>,
                       id: Option<String>,
                       reason: DropReason,
                       detail: String| {
        *report.dropped.entry(reason).or_default() += 1;
        let row = DroppedRow { file: file.clone(), location, column, id, reason, detail };
        dropped_rows.push(((input, location.record, k), row));
    };

    let mut fields: Vec<String> = Vec::with_capacity(header.len());
    while let Some(row) = reader.next_row(&mut fields)? {
        report.rows += 1;
        let location = match row {
            RowRead::Row(at) => at,
            RowRead::Unreadable(at, why) => {
                // A wide row holds one unit per open question: all of them are lost.
                for (k, &c) in layout.text.iter().enumerate() {
                    report.read += 1;
                    let column = layout.wide.then(|| header[c].clone());
                    let why = why.clone();
                    discard(&mut report, (at, k), column, None, DropReason::Unreadable, why);
                }
                continue;
            }
        };
        let field = |c: usize| fields.get(c).map_or("", String::as_str);
        let mut opt = |c: Option<usize>| c.and_then(|c| read.nonempty(field(c)));
        // Ids are unique: trimmed, not interned.
        let row_id = layout.id.map(|c| field(c).trim()).filter(|id| !id.is_empty());
        let row_id = row_id.map_or_else(
            || {
                if several {
                    format!("{stem}:{}", location.record)
                } else {
                    location.record.to_string()
                }
            },
            str::to_owned,
        );
        let respondent = opt(layout.respondent);
        let channel = opt(layout.channel).unwrap_or_else(|| Arc::clone(&default_channel));
        let question = opt(layout.question);
        let group = match layout.group.as_slice() {
            [] => None,
            &[c] => read.nonempty(field(c)),
            columns => {
                let parts: Vec<&str> =
                    columns.iter().map(|&c| field(c).trim()).filter(|s| !s.is_empty()).collect();
                (!parts.is_empty()).then(|| read.strings.intern(&parts.join(" / ")))
            }
        };
        let attributes: Vec<(Arc<str>, Arc<str>)> = layout
            .attributes
            .iter()
            .filter_map(|&c| read.nonempty(field(c)).map(|v| (Arc::clone(&names[c]), v)))
            .collect();
        // A wide row is one respondent: its answers share the row's identity.
        let respondent = respondent.or_else(|| layout.wide.then(|| read.strings.intern(&row_id)));
        for (k, &c) in layout.text.iter().enumerate() {
            report.read += 1;
            let text = field(c);
            let (id, question, column) = if layout.wide {
                // The id and the column keep the column's name (a Qualtrics code is short
                // and stable); the question is what respondents were asked.
                let name = &names[c];
                (format!("{row_id}:{name}"), Some(Arc::clone(&asked[c])), Some(Arc::clone(name)))
            } else {
                (row_id.clone(), question.clone(), None)
            };
            if let Some(screen) = dedupe.screen(text).filter(|_| options.screen) {
                let reason = match screen {
                    Screen::Empty => DropReason::Empty,
                    Screen::NonAnswer => DropReason::NonAnswer,
                    Screen::TooShort => DropReason::TooShort,
                };
                let detail = if text.trim().is_empty() {
                    String::new()
                } else {
                    text.trim().chars().take(80).collect()
                };
                let column = column.as_deref().map(String::from);
                discard(&mut report, (location, k), column, Some(id), reason, detail);
                continue;
            }
            report.kept += 1;
            report.responses += 1;
            let response = Response {
                id,
                respondent: respondent.clone(),
                group: group.clone(),
                question,
                channel: Some(Arc::clone(&channel)),
                text: text.to_owned(),
                provenance: Some(Provenance {
                    file: Arc::clone(&shared_file),
                    record: location.record,
                }),
                attributes: attributes.clone(),
            };
            let key = (input, location.record, k);
            read.push(response, Pending { input, key, location, column, tabular: true });
        }
    }
    let summary = reader.finish()?;
    report.sha256 = summary.sha256.clone();
    report.bytes = summary.bytes;
    report.source = summary;
    Ok(report)
}

fn read_transcript_input(
    path: &Path,
    format: Format,
    input: usize,
    options: &IngestOptions,
    read: &mut Read,
    dropped_rows: &mut Vec<(DropKey, DroppedRow)>,
) -> Result<InputReport> {
    let mut transcript = options.transcript.clone();
    transcript.encoding = options.read.encoding;
    if let Format::Transcript(f) = format {
        transcript.format.get_or_insert(f);
    }
    let (responses, t) = read_transcript(path, &transcript)?;
    let file = path.display().to_string();
    let mut dropped = BTreeMap::new();
    for d in &t.dropped {
        let reason = match d.reason {
            crate::transcript::DropReason::Empty => DropReason::Empty,
            crate::transcript::DropReason::Facilitator => DropReason::Facilitator,
            crate::transcript::DropReason::Unmapped => DropReason::UnmappedSpeaker,
        };
        *dropped.entry(reason).or_default() += 1;
        let row = DroppedRow {
            file: file.clone(),
            location: RowLocation { record: d.line, line: Some(d.line) },
            column: None,
            id: None,
            reason,
            detail: d.speaker.clone().unwrap_or_default(),
        };
        dropped_rows.push(((input, d.line, 0), row));
    }
    let report = InputReport {
        file: file.clone(),
        format,
        unit: "turn".to_owned(),
        sha256: t.sha256.clone(),
        bytes: t.bytes,
        source: SourceSummary {
            sha256: t.sha256.clone(),
            bytes: t.bytes,
            encoding: Some(t.encoding.clone()),
            ..SourceSummary::default()
        },
        columns: Vec::new(),
        mapping: Vec::new(),
        rows: t.turns_read,
        read: t.turns_read,
        kept: t.turns_kept,
        dropped,
        responses: responses.len() as u64,
        transcript: Some(t),
    };
    for response in responses {
        let record = response.provenance.as_ref().map_or(0, |p| p.record);
        let location = RowLocation { record, line: Some(record) };
        let key = (input, record, 0);
        read.push(response, Pending { input, key, location, column: None, tabular: false });
    }
    Ok(report)
}

/// The inputs named on a command line: files as given, directories expanded to the files
/// in them whose format is known by extension (sorted by name, not recursive).
///
/// # Errors
/// A path that does not exist or a directory that cannot be listed.
pub fn expand_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let io_err = |source| IoError::Io { path: path.clone(), source };
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(io_err)?
                .map(|e| e.map(|e| e.path()).map_err(io_err))
                .collect::<Result<_>>()?;
            files.retain(|f| f.is_file() && Format::from_path(f).is_ok());
            files.sort();
            out.extend(files);
        } else if path.exists() {
            out.push(path.clone());
        } else {
            return Err(IoError::Io {
                path: path.clone(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            });
        }
    }
    Ok(out)
}
