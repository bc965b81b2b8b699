//! The `thematic` command: batch thematic analysis of consultation exports.
//!
//! A thin layer over the `thematic` library: parse flags, read inputs, run the pipeline,
//! write outputs. Exit codes: 0 success, 2 error (bad input, bad parameters, I/O).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use thematic::core::Response;
use thematic::findings::FindingsConfig;
use thematic::io::dedupe::Dedupe;
use thematic::io::export::ExportOptions;
use thematic::io::ingest::{ColumnMap, IngestOptions, IngestReport, expand_inputs, ingest};
use thematic::io::transcript::{SpeakerGroups, TranscriptOptions};
use thematic::io::{CsvOptions, CsvTable, Format, ReadOptions, read_csv, write_csv};
use thematic::output::{Manifest, OutputOptions, k_selection_table, write_outputs};
use thematic::text::{AnalyzerBuilder, Language, MaskerParams, StopWords};
use thematic::themes::suggest::SuggestionDetector;
use thematic::validate::{split_codes, validate as validate_codes, validation_report};
use thematic::vectorize::DocFreq;
use thematic::{Pipeline, PipelineConfig, Themes};

#[derive(Debug, Parser)]
#[command(name = "thematic", version, about = "Thematic analysis of consultation responses")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Find themes in the free-text answers of a consultation export.
    #[command(alias = "analyze")]
    Analyse(AnalyseArgs),
    /// Score each number of themes in a range and recommend one (as `analyse --themes auto`).
    ChooseK(ChooseKArgs),
    /// Compare an analysis with a human-coded sample: NMI, adjusted Rand, Cohen's kappa and
    /// per-theme precision/recall/F1 after an optimal matching of themes to codes.
    Validate(ValidateArgs),
    /// Score each row's text as one suggestion or not; writes id,is_suggestion,score,pattern.
    DetectSuggestions(DetectArgs),
}

#[derive(Debug, Args)]
struct DetectArgs {
    /// Input CSV or TSV, one text per row.
    input: PathBuf,
    /// Column of the text [default: text].
    #[arg(long, value_name = "C")]
    text_column: Option<String>,
    /// Column of the id [default: id, when present; else the row number].
    #[arg(long, value_name = "C")]
    id_column: Option<String>,
    /// Score from which a text counts as a suggestion, in (0, 1) [default: the detector's].
    #[arg(long, value_name = "S")]
    threshold: Option<f32>,
    /// Output CSV: id,is_suggestion,score,pattern (plus actor,action with --explain).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Also write who should act and what, where the detector finds them.
    #[arg(long)]
    explain: bool,
}

#[derive(Debug, Args)]
struct ValidateArgs {
    /// Output directory of `thematic analyse` (its assignments.csv and themes.json).
    dir: PathBuf,
    /// CSV of human codes: a response id and its code(s) per row; several codes in one cell
    /// are split on --code-separator, several rows per id are merged.
    #[arg(long, value_name = "FILE")]
    codes: PathBuf,
    /// Column of the response id in the codes file [default: id].
    #[arg(long, value_name = "C", default_value = "id")]
    id_column: String,
    /// Column of the code(s) in the codes file [default: code].
    #[arg(long, value_name = "C", default_value = "code")]
    code_column: String,
    /// Separator of several codes in one cell; the first code is the primary one.
    #[arg(long, value_name = "S", default_value = "|")]
    code_separator: String,
    /// Print the scores as JSON instead of a report.
    #[arg(long)]
    json: bool,
}

/// The inputs and how to read them.
#[derive(Debug, Args)]
struct InputArgs {
    /// Input files, any mix of survey exports (.csv .tsv .xlsx .xls .ods .parquet .json
    /// .jsonl) and transcripts (.txt .vtt .srt), or directories of them.
    #[arg(required = true, num_args = 1..)]
    inputs: Vec<PathBuf>,
    /// Format of every input, instead of telling it by extension: csv, tsv, parquet, json,
    /// jsonl, xlsx, xls, ods, txt, vtt or srt.
    #[arg(long, value_name = "F")]
    format: Option<String>,
    /// Text encoding of CSV/TSV and transcripts: auto (a BOM, else UTF-8 if valid, else
    /// windows-1252), utf-8, utf-16le, utf-16be or windows-1252.
    #[arg(long, value_name = "E", default_value = "auto")]
    encoding: String,
    /// CSV field delimiter (one character; "\t" for tab) [default: detected].
    #[arg(long, value_name = "C")]
    delimiter: Option<String>,
    /// Sheet of a workbook, by name or 1-based number [default: the first].
    #[arg(long, value_name = "S")]
    sheet: Option<String>,
    /// Rows the header of a CSV/TSV or workbook spans, 1 to 10 [default: detected: 3 in a
    /// Qualtrics export, 2 in a SurveyMonkey export, else 1]. With several, a column is
    /// named by its header cells joined with " / ".
    #[arg(long, value_name = "N")]
    header_rows: Option<usize>,
    /// Non-blank rows above the header of a CSV/TSV or workbook to skip (a title, notes)
    /// [default: a title is detected: rows of one cell, the first, then a blank row, above a
    /// wider header; not with --header-rows].
    #[arg(long, value_name = "N")]
    skip_rows: Option<usize>,
    /// Stop at a malformed row (ragged CSV row, unreadable cell) instead of reporting it as
    /// dropped.
    #[arg(long)]
    strict: bool,
    /// Column of the free text [default: text]; long surveys only (with --wide, the answers
    /// are the open-question columns).
    #[arg(long, value_name = "C")]
    text_column: Option<String>,
    /// Column of the response id [default: id, when present; else the row number].
    #[arg(long, value_name = "C")]
    id_column: Option<String>,
    /// Column(s) of the stakeholder group; several (comma-separated or repeated) are joined
    /// with " / ", e.g. --group-column Capacity,"Organisation type" [default: group].
    #[arg(long, value_name = "C", value_delimiter = ',')]
    group_column: Vec<String>,
    /// Column of the respondent id [default: respondent_id or respondent, when present].
    #[arg(long, value_name = "C")]
    respondent_column: Option<String>,
    /// Column of the question [default: question, when present].
    #[arg(long, value_name = "C")]
    question_column: Option<String>,
    /// Column of the channel [default: channel, when present; else "survey"].
    #[arg(long, value_name = "C")]
    channel_column: Option<String>,
    /// Closed-question columns kept as attributes for cross-tabs (names or patterns with *
    /// and ?, comma-separated).
    #[arg(long, value_name = "C", value_delimiter = ',')]
    attribute_columns: Vec<String>,
    /// A wide survey: one row per respondent, one column per open question; each answer
    /// becomes a response whose question is its column. The open questions are
    /// --question-columns, else every column not used for another role.
    #[arg(long)]
    wide: bool,
    /// Open-question columns of a wide survey (names or patterns such as "Q*",
    /// comma-separated); implies --wide.
    #[arg(long, value_name = "C", value_delimiter = ',')]
    question_columns: Vec<String>,
    /// Speaker → stakeholder group mapping of transcripts (CSV `speaker,group[,role]` or
    /// TOML); role "facilitator" marks facilitators.
    #[arg(long, value_name = "FILE")]
    speaker_groups: Option<PathBuf>,
    /// Keep facilitators' turns in transcripts (excluded by default).
    #[arg(long)]
    keep_facilitators: bool,
    /// Most words in a transcript passage; longer turns are split at sentences.
    #[arg(long, value_name = "N", default_value_t = 120)]
    passage_words: usize,
    /// Keep "N/A"-style non-answers ("n/a", "none", "no comment", "-") as responses.
    #[arg(long)]
    keep_non_answers: bool,
    /// Fewest letters or digits an answer needs to be kept.
    #[arg(long, value_name = "N", default_value_t = 2)]
    min_chars: usize,
    /// Keep exact duplicates (the same respondent's same answer to the same question).
    #[arg(long)]
    keep_duplicates: bool,
    /// Count every member of a campaign (near-identical texts from many respondents) in
    /// theme prevalence, instead of each campaign once.
    #[arg(long)]
    count_campaign_members: bool,
    /// Do not look for campaigns at all.
    #[arg(long)]
    no_campaigns: bool,
    /// Similarity (Jaccard of word 3-shingles) from which texts belong to one campaign.
    #[arg(long, value_name = "S", default_value_t = 0.8)]
    campaign_similarity: f64,
    /// Fewest members of a campaign.
    #[arg(long, value_name = "N", default_value_t = 3)]
    campaign_min_size: usize,
}

/// How texts become vectors and vectors clusters: shared by `analyse` and `choose-k`, so the
/// k that `choose-k` recommends is the one `analyse --themes auto` uses.
#[derive(Debug, Args)]
struct ModelArgs {
    /// Seed of every random choice: the same seed gives the same themes.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// k-means restarts (best objective wins).
    #[arg(long, default_value_t = 3)]
    n_init: usize,
    /// Cap on k-means iterations.
    #[arg(long, default_value_t = 100)]
    max_iter: usize,
    /// Threads [default: THEMATIC_NUM_THREADS or all cores]; results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// k-means assignment: "yinyang" (bounds per group of 16 themes skip what cannot change
    /// a theme), "hamerly" (one bound per response) or "lloyd" (every similarity); all three
    /// give the same themes.
    #[arg(long, default_value = "yinyang")]
    algorithm: String,
    /// k-means initialisation: "k-means++" (greedy) or "k-means||" (fewer passes over very
    /// large corpora).
    #[arg(long, default_value = "k-means++")]
    init: String,
    /// Cluster an LSA embedding of D dimensions (randomized truncated SVD; 100 is usual)
    /// instead of the TF-IDF rows; themes are still labelled from their terms.
    #[arg(long, value_name = "D")]
    reduce: Option<usize>,
    /// Drop terms in fewer documents: a count ("2") or a fraction ("0.01") [default: 2].
    #[arg(long, value_parser = parse_doc_freq)]
    min_df: Option<DocFreq>,
    /// Drop terms in more documents: a count ("500") or a fraction ("0.5") [default: 0.5].
    #[arg(long, value_parser = parse_doc_freq)]
    max_df: Option<DocFreq>,
    /// Keep only the N most frequent terms.
    #[arg(long, value_name = "N")]
    max_features: Option<usize>,
    /// Stemming language ("none" to disable).
    #[arg(long, default_value = "english")]
    language: String,
    /// File of extra stop words, one per line ('#' starts a comment).
    #[arg(long, value_name = "FILE")]
    stop_words: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct AnalyseArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Directory for the outputs (created if needed).
    #[arg(long)]
    out: PathBuf,
    /// Number of themes, or "auto" to choose it between --min-themes and --max-themes (see
    /// `thematic choose-k`).
    #[arg(long, short = 'k', default_value = "12", value_parser = parse_themes)]
    themes: Themes,
    /// Fewest themes considered by --themes auto [default: 4].
    #[arg(long, value_name = "A")]
    min_themes: Option<usize>,
    /// Most themes considered by --themes auto [default: 30].
    #[arg(long, value_name = "B")]
    max_themes: Option<usize>,
    /// k-means seeds per number of themes tried by --themes auto; their agreement is the
    /// stability [default: 3].
    #[arg(long, value_name = "N")]
    seeds: Option<usize>,
    #[command(flatten)]
    model: ModelArgs,
    /// Top terms listed per theme.
    #[arg(long, default_value_t = 10)]
    top_terms: usize,
    /// Representative quotes per theme.
    #[arg(long, default_value_t = 5)]
    quotes: usize,
    /// Quote personal data as written: no masking of e-mails, phone numbers, postcodes, NHS
    /// numbers and personal URLs in quotes and recommendations (masking is on by default).
    #[arg(long)]
    no_mask: bool,
    /// Cross-tab cells below N respondents are published as "<N" (0: publish all).
    #[arg(long, value_name = "N", default_value_t = 5)]
    min_cell: usize,
    /// Order of recommendations: "balanced" (each stakeholder group weighs the same),
    /// "respondents" or "breadth".
    #[arg(long, value_name = "ORDER", default_value = "balanced")]
    recommendation_order: String,
    /// Score from which a sentence counts as a suggestion, in (0, 1) [default: the
    /// detector's].
    #[arg(long, value_name = "S")]
    suggestion_threshold: Option<f32>,
    /// Share of a group's respondents from which a recommendation counts as reaching it.
    #[arg(long, value_name = "S", default_value_t = 0.05)]
    breadth_threshold: f64,
    /// Also write every table as Parquet (`<table>.parquet`).
    #[arg(long)]
    parquet: bool,
    /// Also write every table into one workbook, `thematic.xlsx`, a sheet per table.
    #[arg(long)]
    xlsx: bool,
    /// Write text cells as they are, even those a spreadsheet would run as a formula (cells
    /// starting with =, +, -, @, tab or carriage return are prefixed with ' by default).
    #[arg(long)]
    allow_formulas: bool,
}

#[derive(Debug, Args)]
struct ChooseKArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Fewest themes considered.
    #[arg(long, value_name = "A", default_value_t = 4)]
    min_themes: usize,
    /// Most themes considered.
    #[arg(long, value_name = "B", default_value_t = 30)]
    max_themes: usize,
    /// k-means seeds per number of themes; their agreement is the stability.
    #[arg(long, value_name = "N", default_value_t = 3)]
    seeds: usize,
    #[command(flatten)]
    model: ModelArgs,
    /// Print the scores and the recommendation as JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// A document frequency: an integer is a count of documents, a number with a decimal point
/// a fraction, as in scikit-learn.
fn parse_doc_freq(s: &str) -> Result<DocFreq, String> {
    if s.contains(['.', 'e', 'E']) {
        s.parse::<f64>().map(DocFreq::Fraction).map_err(|e| format!("{s:?}: {e}"))
    } else {
        s.parse::<usize>().map(DocFreq::Count).map_err(|e| format!("{s:?}: {e}"))
    }
}

fn parse_themes(s: &str) -> Result<Themes, String> {
    s.parse().map_err(|e: thematic::Error| e.to_string())
}

fn analyzer(args: &ModelArgs) -> anyhow::Result<AnalyzerBuilder> {
    let stemmer = match args.language.trim().to_ascii_lowercase().as_str() {
        "none" => None,
        name => Some(name.parse::<Language>().context("invalid --language")?),
    };
    let mut stop = StopWords::english();
    if let Some(path) = &args.stop_words {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read --stop-words {}", path.display()))?;
        stop = stop.with(text.lines().map(str::trim).filter(|l| !l.starts_with('#')));
    }
    Ok(AnalyzerBuilder::default().stemmer(stemmer).stop_words(stop))
}

/// The configuration shared by both subcommands; the caller sets the themes and labelling.
fn config(args: &ModelArgs) -> anyhow::Result<PipelineConfig> {
    if args.threads == Some(0) {
        bail!("invalid --threads 0: give at least 1, or leave it out for the default");
    }
    Ok(PipelineConfig {
        seed: args.seed,
        n_init: args.n_init,
        max_iter: args.max_iter,
        threads: args.threads,
        algorithm: args.algorithm.parse().context("invalid --algorithm")?,
        init: args.init.parse().context("invalid --init")?,
        reduce: args.reduce,
        analyzer: analyzer(args)?,
        min_df: args.min_df,
        max_df: args.max_df,
        max_features: args.max_features,
        ..PipelineConfig::default()
    })
}

/// How `args` asks the inputs to be read.
fn ingest_options(args: &InputArgs) -> anyhow::Result<IngestOptions> {
    let delimiter = match args.delimiter.as_deref() {
        None => None,
        Some("\\t" | "tab" | "\t") => Some(b'\t'),
        Some(d) if d.len() == 1 => Some(d.as_bytes()[0]),
        Some(d) => bail!("invalid --delimiter {d:?}: give one ASCII character, or \\t for tab"),
    };
    let read = ReadOptions {
        format: args.format.as_deref().map(str::parse::<Format>).transpose()?,
        encoding: args.encoding.parse()?,
        delimiter,
        quote: None,
        sheet: args.sheet.clone(),
        strict: args.strict,
        header_rows: args.header_rows,
        skip_rows: args.skip_rows,
    };
    let mut transcript = TranscriptOptions {
        exclude_facilitators: !args.keep_facilitators,
        max_passage_words: args.passage_words,
        strict: args.strict,
        encoding: read.encoding,
        ..TranscriptOptions::default()
    };
    if let Some(path) = &args.speaker_groups {
        transcript.speakers = SpeakerGroups::from_path(path)?;
    }
    let dedupe = Dedupe::params()
        .non_answers(!args.keep_non_answers)
        .min_chars(args.min_chars)
        .exact_duplicates(!args.keep_duplicates)
        .campaigns(!args.no_campaigns)
        .campaign_similarity(args.campaign_similarity)
        .campaign_min_size(args.campaign_min_size);
    Ok(IngestOptions {
        read,
        columns: ColumnMap {
            text: args.text_column.clone(),
            id: args.id_column.clone(),
            respondent: args.respondent_column.clone(),
            group: args.group_column.clone(),
            question: args.question_column.clone(),
            channel: args.channel_column.clone(),
            default_channel: None,
            attributes: args.attribute_columns.clone(),
        },
        wide: (args.wide || !args.question_columns.is_empty())
            .then(|| args.question_columns.clone()),
        transcript,
        screen: true,
        dedupe,
        campaigns_once: !args.count_campaign_members,
    })
}

/// Reads the inputs: the responses kept, the ingest report and the wall seconds spent.
fn read(args: &InputArgs) -> anyhow::Result<(Vec<Response>, IngestReport, f64)> {
    let options = ingest_options(args)?;
    let t = Instant::now();
    let paths = expand_inputs(&args.inputs)?;
    if paths.is_empty() {
        bail!("no input of a known format in {}", display_paths(&args.inputs));
    }
    let (responses, report) = ingest(&paths, &options)?;
    let seconds = t.elapsed().as_secs_f64();
    for input in &report.inputs {
        let dropped: Vec<String> =
            input.dropped.iter().map(|(reason, n)| format!("{n} {reason}")).collect();
        eprintln!(
            "{}: {} {}s read, {} kept{}",
            input.file,
            input.read,
            input.unit,
            input.kept,
            if dropped.is_empty() {
                String::new()
            } else {
                format!(", dropped {}", dropped.join(", "))
            }
        );
    }
    if !report.campaigns.is_empty() {
        let members: usize = report.campaigns.iter().map(|c| c.size).sum();
        eprintln!(
            "{} campaigns of {} responses{}",
            report.campaigns.len(),
            members,
            if report.campaigns_once { ", each counted once" } else { "" }
        );
    }
    Ok((responses, report, seconds))
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

fn analyse(args: AnalyseArgs) -> anyhow::Result<()> {
    let themes = match args.themes {
        // `auto` parses to the default range.
        Themes::Auto { min, max } => Themes::Auto {
            min: args.min_themes.unwrap_or(min),
            max: args.max_themes.unwrap_or(max),
        },
        fixed => {
            if args.min_themes.is_some() || args.max_themes.is_some() || args.seeds.is_some() {
                bail!("--min-themes, --max-themes and --seeds apply only with --themes auto");
            }
            fixed
        }
    };
    themes.check()?;
    let config = PipelineConfig {
        themes,
        selection_seeds: args.seeds.unwrap_or(3),
        top_terms: args.top_terms,
        quotes: args.quotes,
        findings: FindingsConfig {
            mask: if args.no_mask { None } else { Some(MaskerParams::default()) },
            suggestion_threshold: args.suggestion_threshold,
            recommendation_order: args
                .recommendation_order
                .parse()
                .context("invalid --recommendation-order")?,
            breadth_threshold: args.breadth_threshold,
            min_cell: args.min_cell,
        },
        ..config(&args.model)?
    };
    let (responses, report, ingest) = read(&args.input)?;

    let analysis = Pipeline::new(config.clone())
        .run(&responses)
        .with_context(|| format!("cannot analyse {}", display_paths(&args.input.inputs)))?;
    let mut manifest = Manifest::new(&config, &report, &analysis, ingest);
    let outputs = OutputOptions {
        parquet: args.parquet,
        xlsx: args.xlsx,
        export: ExportOptions {
            neutralise_formulas: !args.allow_formulas,
            ..ExportOptions::default()
        },
    };
    write_outputs(&args.out, &responses, &analysis, &report, &mut manifest, &outputs)?;

    let r = &manifest.responses;
    if let Some(selection) = &analysis.k_selection {
        eprint!("{}", k_selection_table(selection));
    }
    eprintln!(
        "{} responses: {} in {} themes, {} without usable text; outputs in {}",
        r.total,
        r.assigned,
        analysis.themes.len(),
        r.unassigned,
        args.out.display()
    );
    for theme in &analysis.themes {
        eprintln!("  theme {:>3} ({:>6} responses): {}", theme.id, theme.size, theme.label);
    }
    let recommendations = &analysis.findings.recommendations;
    eprintln!(
        "{} suggestion sentences in {} recommendations; the top {}:",
        analysis.findings.suggestions,
        recommendations.len(),
        recommendations.len().min(10)
    );
    for r in recommendations.iter().take(10) {
        eprintln!(
            "  {:>3}. ({} respondents, {} groups) {}",
            r.rank, r.respondents, r.breadth, r.text
        );
    }
    Ok(())
}

fn choose_k(args: ChooseKArgs) -> anyhow::Result<()> {
    let (min, max) = (args.min_themes, args.max_themes);
    Themes::Auto { min, max }.check()?;
    let config = PipelineConfig { selection_seeds: args.seeds, ..config(&args.model)? };
    let (responses, _, _) = read(&args.input)?;
    let choice = Pipeline::new(config)
        .choose_k(&responses, min, max)
        .with_context(|| format!("cannot choose k for {}", display_paths(&args.input.inputs)))?;
    let text = if args.json {
        serde_json::to_string_pretty(&choice)? + "\n"
    } else {
        format!(
            "{} responses, {} with usable text, {} terms; k-means with {} seeds per k\n{}",
            choice.responses,
            choice.usable,
            choice.vocabulary_size,
            choice.selection.seeds,
            k_selection_table(&choice.selection)
        )
    };
    print_stdout(&text)
}

fn validate(args: ValidateArgs) -> anyhow::Result<()> {
    let assignments_path = args.dir.join("assignments.csv");
    let options = CsvOptions {
        id_column: Some("id".into()),
        text_column: Some("theme".into()),
        ..CsvOptions::default()
    };
    let (rows, _) = read_csv(&assignments_path, &options).with_context(|| {
        format!("{} is not the output of `thematic analyse`", args.dir.display())
    })?;
    let mut assignments = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let theme = match r.text.trim() {
            "" => None,
            t => Some(t.parse::<u32>().with_context(|| {
                format!(
                    "{}: record {}, column \"theme\": {t:?} is not a theme id",
                    assignments_path.display(),
                    i + 1
                )
            })?),
        };
        assignments.push((r.id, theme));
    }
    let options = CsvOptions {
        id_column: Some(args.id_column.clone()),
        text_column: Some(args.code_column.clone()),
        ..CsvOptions::default()
    };
    let (rows, _) = read_csv(&args.codes, &options)?;
    let codes: Vec<(String, Vec<String>)> = rows
        .into_iter()
        .map(|r| {
            let codes = split_codes(&r.text, &args.code_separator);
            (r.id, codes)
        })
        .collect();
    let validation = validate_codes(&assignments, &codes).with_context(|| {
        format!("cannot compare {} with {}", args.dir.display(), args.codes.display())
    })?;
    let text = if args.json {
        serde_json::to_string_pretty(&validation)? + "\n"
    } else {
        let themes_path = args.dir.join("themes.json");
        let labels = std::fs::read_to_string(&themes_path)
            .ok()
            .and_then(|json| serde_json::from_str::<Vec<ThemeLabel>>(&json).ok())
            .map(|v| v.into_iter().map(|t| (t.id, t.label)).collect())
            .unwrap_or_default();
        validation_report(&validation, &labels)
    };
    print_stdout(&text)
}

fn detect_suggestions(args: DetectArgs) -> anyhow::Result<()> {
    let mut params = SuggestionDetector::params();
    if let Some(t) = args.threshold {
        params = params.threshold(t);
    }
    let detector = params.build().context("invalid --threshold")?;
    let options = CsvOptions {
        text_column: args.text_column.clone(),
        id_column: args.id_column.clone(),
        ..CsvOptions::default()
    };
    let (rows, _) = read_csv(&args.input, &options)?;
    let mut header = vec!["id", "is_suggestion", "score", "pattern"];
    if args.explain {
        header.extend(["actor", "action"]);
    }
    // Each row is one unit, as the evaluation asks: no sentence splitting.
    let table = CsvTable {
        header: header.into_iter().map(String::from).collect(),
        rows: rows
            .iter()
            .map(|r| {
                let d = detector.detect(&r.text);
                let mut row = vec![
                    r.id.clone(),
                    if d.is_suggestion { "1" } else { "0" }.to_owned(),
                    format!("{:.4}", d.score),
                    d.pattern.unwrap_or_default().to_owned(),
                ];
                if args.explain {
                    row.push(d.actor.unwrap_or_default());
                    row.push(d.action.unwrap_or_default());
                }
                row
            })
            .collect(),
    };
    write_csv(&args.out, &table)?;
    let found = table.rows.iter().filter(|r| r[1] == "1").count();
    eprintln!(
        "{} of {} rows are suggestions (threshold {}); written to {}",
        found,
        table.rows.len(),
        detector.threshold(),
        args.out.display()
    );
    Ok(())
}

/// The part of a theme in themes.json that the validation report shows.
#[derive(serde::Deserialize)]
struct ThemeLabel {
    id: u32,
    label: String,
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
fn print_stdout(text: &str) -> anyhow::Result<()> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyse(args) => analyse(args),
        Command::ChooseK(args) => choose_k(args),
        Command::Validate(args) => validate(args),
        Command::DetectSuggestions(args) => detect_suggestions(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("thematic: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
