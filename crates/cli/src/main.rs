//! The `thematic` command: batch thematic analysis of consultation exports.
//!
//! A thin layer over the `thematic` library: parse flags, read inputs, run the pipeline,
//! write outputs. Exit codes: 0 success, 2 error (bad input, bad parameters, I/O).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use thematic::io::{CsvOptions, read_csv};
use thematic::output::{Manifest, write_outputs};
use thematic::text::{AnalyzerBuilder, Language, StopWords};
use thematic::vectorize::DocFreq;
use thematic::{Pipeline, PipelineConfig};

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
}

#[derive(Debug, Args)]
struct AnalyseArgs {
    /// Input CSV or TSV export, one response per row.
    input: PathBuf,
    /// Directory for the outputs (created if needed).
    #[arg(long)]
    out: PathBuf,
    /// Column of the free text [default: text].
    #[arg(long, value_name = "C")]
    text_column: Option<String>,
    /// Column of the response id [default: id, when present; else the row number].
    #[arg(long, value_name = "C")]
    id_column: Option<String>,
    /// Column of the stakeholder group [default: group, when present].
    #[arg(long, value_name = "C")]
    group_column: Option<String>,
    /// Column of the respondent id [default: respondent_id or respondent, when present].
    #[arg(long, value_name = "C")]
    respondent_column: Option<String>,
    /// Column of the question [default: question, when present].
    #[arg(long, value_name = "C")]
    question_column: Option<String>,
    /// Number of themes.
    #[arg(long, short = 'k', default_value_t = 12)]
    themes: usize,
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
    /// k-means assignment: "hamerly" (bounds skip most similarities) or "lloyd" (plain);
    /// both give the same themes.
    #[arg(long, default_value = "hamerly")]
    algorithm: String,
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
    /// Top terms listed per theme.
    #[arg(long, default_value_t = 10)]
    top_terms: usize,
    /// Representative quotes per theme.
    #[arg(long, default_value_t = 3)]
    quotes: usize,
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

fn analyzer(args: &AnalyseArgs) -> anyhow::Result<AnalyzerBuilder> {
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

fn analyse(args: AnalyseArgs) -> anyhow::Result<()> {
    if args.threads == Some(0) {
        bail!("invalid --threads 0: give at least 1, or leave it out for the default");
    }
    let config = PipelineConfig {
        themes: args.themes,
        seed: args.seed,
        n_init: args.n_init,
        max_iter: args.max_iter,
        threads: args.threads,
        algorithm: args.algorithm.parse().context("invalid --algorithm")?,
        analyzer: analyzer(&args)?,
        min_df: args.min_df,
        max_df: args.max_df,
        max_features: args.max_features,
        top_terms: args.top_terms,
        quotes: args.quotes,
    };
    let options = CsvOptions {
        text_column: args.text_column.clone(),
        id_column: args.id_column.clone(),
        respondent_column: args.respondent_column.clone(),
        group_column: args.group_column.clone(),
        question_column: args.question_column.clone(),
        ..CsvOptions::default()
    };

    let t = Instant::now();
    let (responses, report) = read_csv(&args.input, &options)?;
    let ingest = t.elapsed().as_secs_f64();

    let analysis = Pipeline::new(config.clone())
        .run(&responses)
        .with_context(|| format!("cannot analyse {}", args.input.display()))?;
    let mut manifest = Manifest::new(&config, vec![report], &analysis, ingest);
    write_outputs(&args.out, &responses, &analysis, &mut manifest)?;

    let r = &manifest.responses;
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
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyse(args) => analyse(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("thematic: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
