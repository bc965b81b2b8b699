//! `ingest-bench`: times `thematic_io::ingest` (read, map, screen, dedupe, campaigns) on
//! input files and prints one JSON line with rows per second and the process's peak memory.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use serde::Serialize;
use thematic_io::{IngestOptions, ingest};

/// Ingests the inputs with the default options (as `thematic analyse` does) and prints one
/// JSON line: units read, kept, dropped, campaigns, seconds, rows per second and peak RSS.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Input files (any format `thematic analyse` reads).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
}

#[derive(Debug, Serialize)]
struct Line {
    inputs: Vec<String>,
    bytes: u64,
    read: u64,
    kept: u64,
    dropped: u64,
    campaigns: usize,
    seconds: f64,
    rows_per_second: f64,
    mb_per_second: f64,
    /// Peak resident set size of the process (`VmHWM`), MiB; Linux only.
    peak_rss_mib: Option<f64>,
}

/// `VmHWM` of /proc/self/status: the process's peak resident memory, in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn run(args: Args) -> anyhow::Result<()> {
    let start = Instant::now();
    let (responses, report) =
        ingest(&args.inputs, &IngestOptions::default()).context("ingest failed")?;
    let seconds = start.elapsed().as_secs_f64();
    let bytes: u64 = report.inputs.iter().map(|i| i.bytes).sum();
    let line = Line {
        inputs: args.inputs.iter().map(|p| p.display().to_string()).collect(),
        bytes,
        read: report.read,
        kept: report.kept,
        dropped: report.dropped_total(),
        campaigns: report.campaigns.len(),
        seconds,
        rows_per_second: report.read as f64 / seconds,
        mb_per_second: bytes as f64 / 1e6 / seconds,
        peak_rss_mib: peak_rss_mib(),
    };
    drop(responses);
    println!("{}", serde_json::to_string(&line)?);
    Ok(())
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ingest-bench: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
