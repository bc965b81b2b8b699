//! `kmeans-bench`: times thematic's k-means on the TF-IDF matrix of a CSV file's texts and
//! prints one JSON line per algorithm (see `benches/README.md`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use thematic_benches::pipeline_params;
use thematic_cluster::{KMeans, KMeansAlgorithm};
use thematic_io::{CsvOptions, read_csv};
use thematic_text::Analyzer;

/// Builds the TF-IDF matrix of a CSV's texts (thematic's pipeline defaults, empty rows
/// dropped; untimed), then times k-means fits on it.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// The CSV file, one response per record.
    corpus: PathBuf,
    /// The free-text column.
    #[arg(long, default_value = "text")]
    text_column: String,
    /// Number of clusters.
    #[arg(long, short = 'k', default_value_t = 50)]
    k: usize,
    /// Iteration cap.
    #[arg(long, default_value_t = 100)]
    max_iter: usize,
    /// Relative tolerance on the objective.
    #[arg(long, default_value_t = 1e-4)]
    tol: f64,
    /// Seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Algorithms to time, comma-separated: lloyd, hamerly, yinyang.
    #[arg(long, default_value = "yinyang,hamerly,lloyd")]
    algorithms: String,
    /// Mini-batch size (default: full iterations).
    #[arg(long)]
    batch_size: Option<usize>,
    /// Threads (default: THEMATIC_NUM_THREADS, else all logical CPUs).
    #[arg(long)]
    threads: Option<usize>,
}

fn run(args: Args) -> anyhow::Result<()> {
    let options = CsvOptions { text_column: Some(args.text_column.clone()), ..Default::default() };
    let (responses, _) = read_csv(&args.corpus, &options)?;
    let texts: Vec<&str> = responses.iter().map(|r| r.text.as_str()).collect();
    let (_, x) = pipeline_params().fit_transform(&Analyzer::default(), &texts)?;
    let keep: Vec<usize> = (0..x.n_rows()).filter(|&r| !x.row(r).is_empty()).collect();
    let x = x.select_rows(&keep);
    for name in args.algorithms.split(',') {
        let algorithm: KMeansAlgorithm = name.parse()?;
        let params = KMeans::params(args.k)
            .seed(args.seed)
            .max_iter(args.max_iter)
            .tol(args.tol)
            .threads(args.threads)
            .batch_size(args.batch_size)
            .algorithm(algorithm);
        let start = Instant::now();
        let model = params.fit(&x)?;
        let seconds = start.elapsed().as_secs_f64();
        let line = serde_json::json!({
            "corpus": args.corpus.display().to_string(),
            "algorithm": name,
            "n_rows": x.n_rows(),
            "n_features": x.n_cols(),
            "nnz": x.nnz(),
            "k": args.k,
            "batch_size": args.batch_size,
            "seconds": seconds,
            "n_iter": model.n_iter(),
            "seconds_per_iter": seconds / model.n_iter().max(1) as f64,
            "objective": model.objective(),
            "converged": model.converged(),
            "skipped_fraction": model.skipped_fraction(),
            "threads": thematic_core::effective_threads(args.threads),
        });
        println!("{line}");
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Args::parse()).context("kmeans-bench") {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
