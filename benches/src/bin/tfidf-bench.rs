//! `tfidf-bench`: times thematic's analyse and vectorise stages on the texts of a CSV file
//! and prints one JSON line (see `benches/README.md`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Parser;
use serde::Serialize;
use thematic_benches::{TfidfRun, time_tfidf};
use thematic_io::{CsvOptions, read_csv};
use thematic_text::Analyzer;

/// Times analyse + TF-IDF (thematic's pipeline defaults) on the texts of a CSV file; CSV
/// reading is not timed. Prints one JSON line.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// The CSV file, one response per record.
    corpus: PathBuf,
    /// The free-text column.
    #[arg(long, default_value = "text")]
    text_column: String,
    /// Threads (default: THEMATIC_NUM_THREADS, else all logical CPUs).
    #[arg(long)]
    threads: Option<usize>,
    /// Runs this many times and reports the fastest run.
    #[arg(long, default_value_t = 1)]
    repeat: usize,
}

#[derive(Debug, Serialize)]
struct Line {
    corpus: String,
    repeats: usize,
    #[serde(flatten)]
    run: TfidfRun,
}

fn run(args: Args) -> anyhow::Result<()> {
    if args.repeat == 0 {
        bail!("--repeat must be at least 1");
    }
    if args.threads == Some(0) {
        bail!("--threads must be at least 1");
    }
    let options =
        CsvOptions { text_column: Some(args.text_column.clone()), ..CsvOptions::default() };
    let (responses, _) = read_csv(&args.corpus, &options)
        .with_context(|| format!("cannot read {}", args.corpus.display()))?;
    let texts: Vec<String> = responses.into_iter().map(|r| r.text).collect();
    let analyzer = Analyzer::default();
    let mut best: Option<TfidfRun> = None;
    for _ in 0..args.repeat {
        let run = time_tfidf(&analyzer, &texts, args.threads).context("analyse + tf-idf failed")?;
        if best.as_ref().is_none_or(|b| run.total_s < b.total_s) {
            best = Some(run);
        }
    }
    let run = best.context("no run")?;
    let line = Line { corpus: args.corpus.display().to_string(), repeats: args.repeat, run };
    println!("{}", serde_json::to_string(&line)?);
    Ok(())
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tfidf-bench: {e:#}");
            ExitCode::from(2)
        }
    }
}
