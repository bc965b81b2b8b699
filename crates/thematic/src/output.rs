//! Writing an analysis to a directory: the files analysts open.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thematic_cluster::KSelection;
use thematic_core::Response;
use thematic_io::{CsvTable, IoError, ReadReport, write_csv};

use crate::error::Result;
use crate::pipeline::{Analysis, PipelineConfig};

/// The record of how an analysis was made: enough to reproduce it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// thematic's version.
    pub version: String,
    /// The configuration, with every default filled in.
    pub parameters: PipelineConfig,
    /// The seed (also in `parameters`, repeated for readers who look for it).
    pub seed: u64,
    /// Each input file: path, SHA-256, bytes, records and column mapping.
    pub inputs: Vec<ReadReport>,
    /// Responses analysed, with and without a theme.
    pub responses: ResponseCounts,
    /// Effective vocabulary limits and sizes.
    pub vocabulary_size: usize,
    /// Effective document-frequency range, in documents.
    pub df_range: (usize, usize),
    /// Non-zeros of the TF-IDF matrix.
    pub nnz: usize,
    /// k-means themes, seed, objective, iterations and convergence.
    pub kmeans: KMeansSummary,
    /// How the number of themes was chosen (`themes` set to `auto`), else `null`: the scores
    /// of every k tried, the recommended k and the rule.
    pub k_selection: Option<KSelection>,
    /// Wall seconds per stage: `ingest`, `analyse`, `vectorise`, `choose_k` (when the number
    /// of themes is chosen), `cluster`, `label`, `write`.
    pub timings: std::collections::BTreeMap<String, f64>,
}

/// Response counts of an analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseCounts {
    /// Responses read.
    pub total: usize,
    /// Responses given a theme.
    pub assigned: usize,
    /// Responses with no usable text, hence no theme.
    pub unassigned: usize,
}

/// k-means outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KMeansSummary {
    /// Number of themes fitted.
    pub themes: usize,
    /// Seed of the fit: `--themes <themes> --seed <seed>` reproduces the themes.
    pub seed: u64,
    /// Sum over assigned responses of 1 − cosine similarity to their theme's centroid.
    pub objective: f64,
    /// Iterations of the best restart.
    pub iterations: usize,
    /// Whether it converged before the cap.
    pub converged: bool,
}

impl Manifest {
    /// The manifest of `analysis`, made with `config` from `inputs`; `ingest` is the wall
    /// seconds spent reading them.
    pub fn new(
        config: &PipelineConfig,
        inputs: Vec<ReadReport>,
        analysis: &Analysis,
        ingest: f64,
    ) -> Self {
        let assigned = analysis.assignments.iter().filter(|a| a.is_some()).count();
        let t = &analysis.timings;
        let choose_k = analysis.k_selection.as_ref().map(|_| ("choose_k", t.choose_k));
        let reduce = config.reduce.map(|_| ("reduce", t.reduce));
        let timings = [
            ("ingest", ingest),
            ("analyse", t.analyse),
            ("vectorise", t.vectorise),
            ("cluster", t.cluster),
            ("label", t.label),
        ]
        .into_iter()
        .chain(choose_k)
        .chain(reduce)
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        Manifest {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            parameters: config.clone(),
            seed: config.seed,
            inputs,
            responses: ResponseCounts {
                total: analysis.assignments.len(),
                assigned,
                unassigned: analysis.assignments.len() - assigned,
            },
            vocabulary_size: analysis.vocabulary_size,
            df_range: analysis.df_range,
            nnz: analysis.nnz,
            kmeans: KMeansSummary {
                themes: analysis.themes.len(),
                seed: analysis.kmeans_seed,
                objective: analysis.objective,
                iterations: analysis.iterations,
                converged: analysis.converged,
            },
            k_selection: analysis.k_selection.clone(),
            timings,
        }
    }
}

/// The scores of a [`KSelection`] as a plain-text table, one line per k with the recommended
/// one marked `*` and k that fail the stability threshold marked `-`, followed by the
/// recommendation and its rule.
pub fn k_selection_table(selection: &KSelection) -> String {
    use std::fmt::Write as _;
    let mut out = String::from(
        "     k   objective  silhouette  calinski_h  davies_b  stability  min_share  max_share\n",
    );
    for r in &selection.rows {
        let mark = if r.k == selection.recommended {
            '*'
        } else if r.stable {
            ' '
        } else {
            '-'
        };
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{mark}{:>5}  {:>10.3}  {:>10.4}  {:>10.2}  {:>8.3}  {:>9.3}  {:>9.3}  {:>9.3}",
            r.k,
            r.objective,
            r.silhouette,
            r.calinski_harabasz,
            r.davies_bouldin,
            r.stability,
            r.min_share,
            r.max_share,
        );
    }
    let _ = writeln!(out, "recommended k = {}", selection.recommended);
    let _ = writeln!(out, "rule: {}", selection.rule);
    let edge = [selection.rows.first(), selection.rows.last()].map(|r| r.map(|r| r.k));
    if selection.rows.len() > 1 && edge.contains(&Some(selection.recommended)) {
        let _ = writeln!(
            out,
            "note: k = {} is at the edge of the range: the scores may favour k beyond it",
            selection.recommended
        );
    }
    let _ = writeln!(
        out,
        "(* recommended; - stability below {:.3}; silhouette on {} rows)",
        selection.stability_threshold,
        selection.silhouette_sample.map_or("all".to_owned(), |s| format!("at most {s} sampled")),
    );
    out
}

#[derive(Serialize)]
struct ThemeOut<'a> {
    id: u32,
    label: &'a str,
    size: usize,
    share: f64,
    top_terms: &'a [thematic_themes::TermWeight],
    quotes: Vec<QuoteOut<'a>>,
}

#[derive(Serialize)]
struct QuoteOut<'a> {
    id: &'a str,
    respondent: Option<&'a str>,
    group: Option<&'a str>,
    question: Option<&'a str>,
    text: &'a str,
    similarity: f64,
}

/// Writes `assignments.csv`, `themes.csv`, `themes.json` and `manifest.json` into `dir`
/// (created if needed), and returns their paths. The manifest's `write` timing is added here.
///
/// # Errors
/// A file cannot be written.
pub fn write_outputs(
    dir: impl AsRef<Path>,
    responses: &[Response],
    analysis: &Analysis,
    manifest: &mut Manifest,
) -> Result<Vec<PathBuf>> {
    let start = std::time::Instant::now();
    let dir = dir.as_ref();
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| IoError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;

    let assignments = CsvTable {
        header: vec!["id".into(), "theme".into()],
        rows: responses
            .iter()
            .zip(&analysis.assignments)
            .map(|(r, a)| vec![r.id.clone(), a.map(|t| t.to_string()).unwrap_or_default()])
            .collect(),
    };
    let assignments_path = dir.join("assignments.csv");
    write_csv(&assignments_path, &assignments)?;

    let assigned = analysis.assignments.iter().flatten().count().max(1) as f64;
    let themes_out: Vec<ThemeOut<'_>> = analysis
        .themes
        .iter()
        .map(|t| ThemeOut {
            id: t.id,
            label: &t.label,
            size: t.size,
            share: t.size as f64 / assigned,
            top_terms: &t.top_terms,
            quotes: t
                .quotes
                .iter()
                .map(|q| {
                    let r = &responses[q.row];
                    QuoteOut {
                        id: &r.id,
                        respondent: r.respondent.as_deref(),
                        group: r.group.as_deref(),
                        question: r.question.as_deref(),
                        text: &r.text,
                        similarity: q.similarity,
                    }
                })
                .collect(),
        })
        .collect();
    let themes_csv = CsvTable {
        header: ["theme", "label", "size", "share", "top_terms"].map(String::from).to_vec(),
        rows: themes_out
            .iter()
            .map(|t| {
                vec![
                    t.id.to_string(),
                    t.label.to_owned(),
                    t.size.to_string(),
                    format!("{:.4}", t.share),
                    t.top_terms.iter().map(|w| w.display.as_str()).collect::<Vec<_>>().join("; "),
                ]
            })
            .collect(),
    };
    let themes_csv_path = dir.join("themes.csv");
    write_csv(&themes_csv_path, &themes_csv)?;
    let themes_json_path = dir.join("themes.json");
    write_json(&themes_json_path, &themes_out)?;

    manifest.timings.insert("write".into(), start.elapsed().as_secs_f64());
    let manifest_path = dir.join("manifest.json");
    write_json(&manifest_path, manifest)?;
    Ok(vec![assignments_path, themes_csv_path, themes_json_path, manifest_path])
}

fn write_json<T: Serialize + ?Sized>(path: &Path, value: &T) -> Result<()> {
    let mut json = serde_json::to_string_pretty(value)
        .map_err(|e| IoError::Io { path: path.to_owned(), source: std::io::Error::other(e) })?;
    json.push('\n');
    std::fs::write(path, json).map_err(|source| IoError::Io { path: path.to_owned(), source })?;
    Ok(())
}
