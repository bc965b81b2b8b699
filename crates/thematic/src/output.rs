//! Writing an analysis to a directory: the files analysts open.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thematic_cluster::KSelection;
use thematic_core::Response;
use thematic_io::{CsvTable, IoError, ReadReport, write_csv};
use thematic_themes::crosstab::CrossTabRow;

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
    /// Suggestion sentences found and the recommendations they form.
    pub recommendations: RecommendationCounts,
    /// Wall seconds per stage: `ingest`, `analyse`, `vectorise`, `choose_k` (when the number
    /// of themes is chosen), `reduce` (with LSA), `cluster`, `label`, `findings` (stance,
    /// recommendations, cross-tabs, masking), `write`.
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

/// Recommendation mining outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendationCounts {
    /// Sentences detected as suggestions.
    pub suggestion_sentences: usize,
    /// Recommendations they were grouped into.
    pub recommendations: usize,
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
            ("findings", t.findings),
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
            recommendations: RecommendationCounts {
                suggestion_sentences: analysis.findings.suggestions,
                recommendations: analysis.findings.recommendations.len(),
            },
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
    respondents: usize,
    distinctiveness: f64,
    nearest_theme: Option<u32>,
    top_terms: &'a [thematic_themes::TermWeight],
    phrases: &'a [thematic_themes::Phrase],
    stance: Option<&'a thematic_themes::stance::StanceShares>,
    quotes: &'a [thematic_themes::Quote],
    /// The theme's rows of the published cross-tabs (suppression applied).
    crosstab: Vec<&'a CrossTabRow>,
}

/// Every published row of the analysis's cross-tabs: overall, by question, by channel.
fn crosstab_rows(analysis: &Analysis) -> Vec<(&'static str, CrossTabRow)> {
    let f = &analysis.findings;
    [("none", Some(&f.crosstab)), ("question", f.crosstab_by_question.as_ref())]
        .into_iter()
        .chain([("channel", f.crosstab_by_channel.as_ref())])
        .filter_map(|(kind, t)| t.map(|t| (kind, t)))
        .flat_map(|(kind, t)| t.to_rows().into_iter().map(move |r| (kind, r)))
        .collect()
}

fn opt(v: Option<f64>) -> String {
    v.map_or(String::new(), |v| format!("{v:.4}"))
}

/// Writes the outputs of an analysis into `dir` (created if needed), and returns their
/// paths. The manifest's `write` timing is added here.
///
/// - `assignments.csv`: `id,theme`, one row per input response in input order (theme empty
///   when the response has no usable text).
/// - `themes.csv`: one row per theme: label, size, share, respondents, distinctiveness,
///   top terms, phrases and stance shares.
/// - `themes.json`: the same with every term and phrase weight, the quotes (with respondent,
///   group and question) and the theme's cross-tab rows.
/// - `quotes.csv`: the representative quotes of every theme, most central first.
/// - `recommendations.csv` / `recommendations.json`: the ranked recommendations, with their
///   respondents, per-group counts and shares, breadth, balanced score and themes.
/// - `crosstab.csv`: theme × stakeholder group (distinct respondents, share, lift, adjusted
///   residual, Wilson interval), overall and split by question and channel, with small cells
///   suppressed.
/// - `manifest.json`: how the analysis was made ([`Manifest`]).
///
/// Quotes and recommendations are masked as the analysis was configured.
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
    let mut written = Vec::new();
    let mut csv = |name: &str, header: &[&str], rows: Vec<Vec<String>>| -> Result<()> {
        let path = dir.join(name);
        let table = CsvTable { header: header.iter().map(|h| (*h).to_owned()).collect(), rows };
        write_csv(&path, &table)?;
        written.push(path);
        Ok(())
    };

    csv(
        "assignments.csv",
        &["id", "theme"],
        responses
            .iter()
            .zip(&analysis.assignments)
            .map(|(r, a)| vec![r.id.clone(), a.map(|t| t.to_string()).unwrap_or_default()])
            .collect(),
    )?;

    let f = &analysis.findings;
    let rows = crosstab_rows(analysis);
    let assigned = analysis.assignments.iter().flatten().count().max(1) as f64;
    let themes_out: Vec<ThemeOut<'_>> = analysis
        .themes
        .iter()
        .map(|t| ThemeOut {
            id: t.id,
            label: &t.label,
            size: t.size,
            share: t.size as f64 / assigned,
            respondents: t.respondents,
            distinctiveness: t.distinctiveness,
            nearest_theme: t.nearest_theme,
            top_terms: &t.top_terms,
            phrases: &t.phrases,
            stance: f.stance.get(t.id as usize),
            quotes: &t.quotes,
            crosstab: rows.iter().filter(|(_, r)| r.theme == t.id).map(|(_, r)| r).collect(),
        })
        .collect();
    let join = |it: &mut dyn Iterator<Item = &str>| it.collect::<Vec<_>>().join("; ");
    csv(
        "themes.csv",
        &[
            "theme",
            "label",
            "size",
            "share",
            "respondents",
            "distinctiveness",
            "top_terms",
            "phrases",
            "support",
            "oppose",
            "propose_change",
            "neutral",
        ],
        themes_out
            .iter()
            .map(|t| {
                let stance = |g: fn(&thematic_themes::stance::StanceShares) -> f64| {
                    t.stance.map_or(String::new(), |s| format!("{:.4}", g(s)))
                };
                vec![
                    t.id.to_string(),
                    t.label.to_owned(),
                    t.size.to_string(),
                    format!("{:.4}", t.share),
                    t.respondents.to_string(),
                    format!("{:.4}", t.distinctiveness),
                    join(&mut t.top_terms.iter().map(|w| w.display.as_str())),
                    join(&mut t.phrases.iter().map(|p| p.text.as_str())),
                    stance(|s| s.support),
                    stance(|s| s.oppose),
                    stance(|s| s.propose_change),
                    stance(|s| s.neutral),
                ]
            })
            .collect(),
    )?;
    csv(
        "quotes.csv",
        &["theme", "rank", "id", "respondent", "group", "question", "similarity", "text"],
        analysis
            .themes
            .iter()
            .flat_map(|t| {
                t.quotes.iter().enumerate().map(move |(i, q)| {
                    vec![
                        t.id.to_string(),
                        (i + 1).to_string(),
                        q.id.clone(),
                        q.respondent.clone().unwrap_or_default(),
                        q.group.clone().unwrap_or_default(),
                        q.question.clone().unwrap_or_default(),
                        format!("{:.4}", q.similarity),
                        q.text.clone(),
                    ]
                })
            })
            .collect(),
    )?;

    // One pair of columns per stakeholder group, in the order the ranking lists them.
    let groups: Vec<&str> = f
        .recommendations
        .first()
        .map(|r| r.groups.iter().map(|g| g.group.as_str()).collect())
        .unwrap_or_default();
    let mut header: Vec<String> =
        ["rank", "text", "respondents", "sentences"].map(String::from).to_vec();
    for g in &groups {
        header.push(format!("{g}: respondents"));
        header.push(format!("{g}: share"));
    }
    header.extend(["breadth", "balanced_score", "themes", "actor"].map(String::from));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    csv(
        "recommendations.csv",
        &header,
        f.recommendations
            .iter()
            .map(|r| {
                let mut row = vec![r.rank.to_string(), r.text.clone(), r.respondents.to_string()];
                row.push(r.sentences.to_string());
                for g in &groups {
                    let s = r.groups.iter().find(|s| s.group == *g);
                    row.push(s.map_or(0, |s| s.respondents).to_string());
                    row.push(format!("{:.4}", s.map_or(0.0, |s| s.share)));
                }
                row.push(r.breadth.to_string());
                row.push(format!("{:.4}", r.balanced_score));
                row.push(
                    r.themes.iter().map(|t| t.theme.to_string()).collect::<Vec<_>>().join(";"),
                );
                row.push(r.actor.clone().unwrap_or_default());
                row
            })
            .collect(),
    )?;
    csv(
        "crosstab.csv",
        &[
            "split_by",
            "split",
            "theme",
            "label",
            "group",
            "respondents",
            "group_respondents",
            "share",
            "overall_share",
            "lift",
            "residual",
            "ci_low",
            "ci_high",
        ],
        rows.iter()
            .map(|(kind, r)| {
                let label = analysis.themes.get(r.theme as usize).map_or("", |t| t.label.as_str());
                vec![
                    (*kind).to_owned(),
                    r.split.clone(),
                    r.theme.to_string(),
                    label.to_owned(),
                    r.group.clone(),
                    r.respondents.clone(),
                    r.group_respondents.clone(),
                    opt(r.share),
                    opt(r.overall_share),
                    opt(r.lift),
                    opt(r.residual),
                    opt(r.ci_low),
                    opt(r.ci_high),
                ]
            })
            .collect(),
    )?;

    let themes_json_path = dir.join("themes.json");
    write_json(&themes_json_path, &themes_out)?;
    let recommendations_json_path = dir.join("recommendations.json");
    write_json(&recommendations_json_path, &f.recommendations)?;
    manifest.timings.insert("write".into(), start.elapsed().as_secs_f64());
    let manifest_path = dir.join("manifest.json");
    write_json(&manifest_path, manifest)?;
    written.extend([themes_json_path, recommendations_json_path, manifest_path]);
    Ok(written)
}

fn write_json<T: Serialize + ?Sized>(path: &Path, value: &T) -> Result<()> {
    let mut json = serde_json::to_string_pretty(value)
        .map_err(|e| IoError::Io { path: path.to_owned(), source: std::io::Error::other(e) })?;
    json.push('\n');
    std::fs::write(path, json).map_err(|source| IoError::Io { path: path.to_owned(), source })?;
    Ok(())
}
