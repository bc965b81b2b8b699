//! Writing an analysis to a directory: the files analysts open.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thematic_cluster::KSelection;
use thematic_core::Response;
use thematic_io::IoError;
use thematic_io::export::{
    Cell, ExportOptions, Table, write_table_csv, write_table_parquet, write_tables_xlsx,
};
use thematic_io::ingest::{DropReason, IngestReport, InputReport};
use thematic_text::mask::Masker;
use thematic_themes::crosstab::CrossTabRow;

use crate::error::{Error, Result};
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
    /// Each input file: path, format, SHA-256, bytes, encoding, column mapping, and units
    /// read, kept and dropped by reason.
    pub inputs: Vec<InputReport>,
    /// Ingest over all inputs: units read, kept and dropped by reason, and campaigns.
    pub ingest: IngestCounts,
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

/// What ingest kept, over all inputs (`read = kept + dropped`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestCounts {
    /// Units read (rows, answers of wide rows, transcript turns).
    pub read: u64,
    /// Units kept.
    pub kept: u64,
    /// Units not kept, by reason.
    pub dropped: BTreeMap<DropReason, u64>,
    /// Campaigns found.
    pub campaigns: usize,
    /// Responses in campaigns, their kept representatives included.
    pub campaign_responses: usize,
    /// Whether each campaign was kept once.
    pub campaigns_once: bool,
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
    /// The manifest of `analysis`, made with `config` from the inputs `report` describes;
    /// `ingest` is the wall seconds spent reading them.
    pub fn new(
        config: &PipelineConfig,
        report: &IngestReport,
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
            inputs: report
                .inputs
                .iter()
                .map(|i| InputReport { transcript: None, ..i.clone() })
                .collect(),
            ingest: IngestCounts {
                read: report.read,
                kept: report.kept,
                dropped: report.dropped.clone(),
                campaigns: report.campaigns.len(),
                campaign_responses: report.campaigns.iter().map(|c| c.size).sum(),
                campaigns_once: report.campaigns_once,
            },
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
    /// Responses the theme stands for when each campaign counts all its members.
    with_campaigns: usize,
    distinctiveness: f64,
    nearest_theme: Option<u32>,
    top_terms: &'a [thematic_themes::TermWeight],
    phrases: &'a [thematic_themes::Phrase],
    stance: Option<&'a thematic_themes::stance::StanceShares>,
    quotes: &'a [thematic_themes::Quote],
    /// The theme's rows of the published cross-tabs (suppression applied).
    crosstab: Vec<CrossTabRow>,
}

/// Every published row of the analysis's cross-tabs: overall, by question, by channel and
/// by each attribute ("attribute:NAME").
fn crosstab_rows(analysis: &Analysis) -> Vec<(String, CrossTabRow)> {
    let f = &analysis.findings;
    let fixed = [("none", Some(&f.crosstab)), ("question", f.crosstab_by_question.as_ref())]
        .into_iter()
        .chain([("channel", f.crosstab_by_channel.as_ref())])
        .filter_map(|(kind, t)| t.map(|t| (kind.to_owned(), t)));
    let attributes = f.crosstab_by_attribute.iter().map(|(a, t)| (format!("attribute:{a}"), t));
    fixed
        .chain(attributes)
        .flat_map(|(kind, t)| t.to_rows().into_iter().map(move |r| (kind.clone(), r)))
        .collect()
}

/// A share or statistic rounded to 4 decimals, empty when absent.
fn num(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, |v| Cell::Float((v * 1e4).round() / 1e4))
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn opt_text(s: Option<&str>) -> Cell {
    s.map_or(Cell::Empty, |s| Cell::Text(s.to_owned()))
}

/// Which files [`write_outputs`] writes besides the CSV tables and JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputOptions {
    /// Also write each table as `<table>.parquet`.
    pub parquet: bool,
    /// Also write every table into `thematic.xlsx`, one sheet per table.
    pub xlsx: bool,
    /// How cells are written (spreadsheet formula neutralisation, on by default).
    pub export: ExportOptions,
}

/// Writes the outputs of an analysis into `dir` (created if needed), and returns their
/// paths. The manifest's `write` timing is added here.
///
/// Tables, each as CSV (and Parquet and an XLSX sheet when asked for):
/// - `responses`: one row per kept response, in input order: id, respondent, group,
///   question, channel, theme and its label, the ranks of the recommendations it supports,
///   its campaign (when it stands for one), its text with personal data masked as configured,
///   and its attributes.
/// - `themes`: one row per theme: label, size, share, respondents, size counting every
///   campaign member, distinctiveness, top terms, phrases and stance shares.
/// - `quotes`: the representative quotes of every theme, most central first.
/// - `recommendations`: the ranked recommendations, with their respondents, per-group
///   counts and shares, breadth, balanced score, themes and actor.
/// - `crosstab`: theme × stakeholder group (distinct respondents, share, lift, adjusted
///   residual, Wilson interval), overall and split by question and channel, with small cells
///   suppressed.
/// - `campaigns`: each campaign's size, kept response, theme, groups and text.
/// - `dropped`: every input unit not kept, with its file, row, reason and detail.
/// - `inputs`: each input's format, encoding, units read, kept and dropped by reason, and
///   SHA-256.
///
/// Also `assignments.csv` (`id,theme`, what `thematic validate` reads), `themes.json` and
/// `recommendations.json` (with every weight and quote), `analysis.json` (the whole
/// analysis and ingest report) and `manifest.json` ([`Manifest`]).
///
/// Text cells that a spreadsheet would take for a formula are neutralised in CSV and XLSX
/// unless [`ExportOptions::neutralise_formulas`] is off.
///
/// # Errors
/// A file cannot be written.
pub fn write_outputs(
    dir: impl AsRef<Path>,
    responses: &[Response],
    analysis: &Analysis,
    ingest: &IngestReport,
    manifest: &mut Manifest,
    options: &OutputOptions,
) -> Result<Vec<PathBuf>> {
    let start = std::time::Instant::now();
    let dir = dir.as_ref();
    std::fs::create_dir_all(dir).map_err(|source| IoError::Io { path: dir.to_owned(), source })?;
    let masker =
        match &manifest.parameters.findings.mask {
            Some(p) => Some(p.clone().build().map_err(|e| Error::InvalidParameter {
                parameter: "mask",
                message: e.to_string(),
            })?),
            None => None,
        };
    let mask = |s: &str| -> String {
        masker.as_ref().map_or_else(|| s.to_owned(), |m: &Masker| m.mask(s).into_owned())
    };
    let campaign_themes = campaign_themes(analysis, ingest, responses);
    let extra = campaign_extra(analysis, ingest, &campaign_themes);
    let tables = tables(responses, analysis, ingest, &campaign_themes, &extra, &mask);

    let mut written = Vec::new();
    let assignments = dir.join("assignments.csv");
    let mut pairs = Table::new("assignments", ["id", "theme"]);
    for (r, a) in responses.iter().zip(&analysis.assignments) {
        pairs
            .push_row(vec![text(r.id.as_str()), a.map_or(Cell::Empty, |t| Cell::Int(t.into()))])?;
    }
    write_table_csv(&assignments, &pairs, &options.export)?;
    written.push(assignments);
    for table in &tables {
        let path = dir.join(format!("{}.csv", table.name));
        write_table_csv(&path, table, &options.export)?;
        written.push(path);
        if options.parquet {
            let path = dir.join(format!("{}.parquet", table.name));
            write_table_parquet(&path, table)?;
            written.push(path);
        }
    }
    if options.xlsx {
        let path = dir.join("thematic.xlsx");
        let refs: Vec<&Table> = tables.iter().collect();
        write_tables_xlsx(&path, &refs, &options.export)?;
        written.push(path);
    }

    let themes_json = dir.join("themes.json");
    write_json(&themes_json, &themes_out(analysis, &extra))?;
    let recommendations_json = dir.join("recommendations.json");
    write_json(&recommendations_json, &analysis.findings.recommendations)?;
    let analysis_json = dir.join("analysis.json");
    write_json(&analysis_json, &AnalysisOut { ingest, analysis })?;
    manifest.timings.insert("write".into(), start.elapsed().as_secs_f64());
    let manifest_path = dir.join("manifest.json");
    write_json(&manifest_path, manifest)?;
    written.extend([themes_json, recommendations_json, analysis_json, manifest_path]);
    Ok(written)
}

/// `analysis.json`: everything known about the run but the responses' texts.
#[derive(Serialize)]
struct AnalysisOut<'a> {
    ingest: &'a IngestReport,
    analysis: &'a Analysis,
}

/// The theme of each campaign's kept response, by campaign.
fn campaign_themes(
    analysis: &Analysis,
    ingest: &IngestReport,
    responses: &[Response],
) -> Vec<Option<u32>> {
    if ingest.campaigns.is_empty() {
        return Vec::new();
    }
    let kept: std::collections::HashMap<&str, usize> =
        ingest.campaigns.iter().enumerate().map(|(c, r)| (r.representative.as_str(), c)).collect();
    let mut themes = vec![None; ingest.campaigns.len()];
    for (i, r) in responses.iter().enumerate() {
        if let Some(&c) = kept.get(r.id.as_str()) {
            themes[c] = analysis.assignments.get(i).copied().flatten();
        }
    }
    themes
}

/// Campaign members beyond the kept one, by theme: what a theme would gain if every member
/// counted.
fn campaign_extra(
    analysis: &Analysis,
    ingest: &IngestReport,
    campaign_themes: &[Option<u32>],
) -> Vec<usize> {
    let mut extra = vec![0; analysis.themes.len()];
    if ingest.campaigns_once {
        for (c, theme) in ingest.campaigns.iter().zip(campaign_themes) {
            if let Some(t) = theme.and_then(|t| extra.get_mut(t as usize)) {
                *t += c.size.saturating_sub(1);
            }
        }
    }
    extra
}

fn themes_out<'a>(analysis: &'a Analysis, extra: &[usize]) -> Vec<ThemeOut<'a>> {
    let f = &analysis.findings;
    let rows = crosstab_rows(analysis);
    let assigned = analysis.assignments.iter().flatten().count().max(1) as f64;
    analysis
        .themes
        .iter()
        .map(|t| ThemeOut {
            id: t.id,
            label: &t.label,
            size: t.size,
            share: t.size as f64 / assigned,
            respondents: t.respondents,
            with_campaigns: t.size + extra.get(t.id as usize).copied().unwrap_or(0),
            distinctiveness: t.distinctiveness,
            nearest_theme: t.nearest_theme,
            top_terms: &t.top_terms,
            phrases: &t.phrases,
            stance: f.stance.get(t.id as usize),
            quotes: &t.quotes,
            crosstab: rows
                .iter()
                .filter(|(_, r)| r.theme == t.id)
                .map(|(_, r)| r.clone())
                .collect(),
        })
        .collect()
}

/// The tables of an analysis, in the order analysts read them.
fn tables(
    responses: &[Response],
    analysis: &Analysis,
    ingest: &IngestReport,
    campaign_themes: &[Option<u32>],
    extra: &[usize],
    mask: &dyn Fn(&str) -> String,
) -> Vec<Table> {
    let f = &analysis.findings;
    let label = |t: Option<u32>| {
        t.and_then(|t| analysis.themes.get(t as usize)).map_or(Cell::Empty, |t| text(&*t.label))
    };
    let theme_cell = |t: Option<u32>| t.map_or(Cell::Empty, |t| Cell::Int(t.into()));
    let join = |it: &mut dyn Iterator<Item = &str>| it.collect::<Vec<_>>().join("; ");
    let mut out = Vec::new();

    // Responses, with one column per attribute in order of first appearance.
    let mut attributes: Vec<&str> = Vec::new();
    for r in responses {
        for (k, _) in &r.attributes {
            if !attributes.contains(&&**k) {
                attributes.push(k);
            }
        }
    }
    let campaign_of: std::collections::HashMap<&str, &thematic_io::CampaignReport> =
        ingest.campaigns.iter().map(|c| (c.representative.as_str(), c)).collect();
    let mut header: Vec<String> = [
        "id",
        "respondent",
        "group",
        "question",
        "channel",
        "theme",
        "theme_label",
        "recommendations",
        "campaign",
        "campaign_size",
        "text",
    ]
    .map(String::from)
    .to_vec();
    header.extend(attributes.iter().map(|a| (*a).to_owned()));
    let mut table = Table::new("responses", header);
    for (i, r) in responses.iter().enumerate() {
        let theme = analysis.assignments.get(i).copied().flatten();
        let campaign = campaign_of.get(r.id.as_str());
        let ranks = f.response_recommendations.get(i).map_or(String::new(), |ranks| {
            ranks.iter().map(usize::to_string).collect::<Vec<_>>().join(";")
        });
        let mut row = vec![
            text(&*r.id),
            opt_text(r.respondent.as_deref()),
            opt_text(r.group.as_deref()),
            opt_text(r.question.as_deref()),
            opt_text(r.channel.as_deref()),
            theme_cell(theme),
            label(theme),
            if ranks.is_empty() { Cell::Empty } else { text(ranks) },
            campaign.map_or(Cell::Empty, |c| Cell::Int(c.id as i64)),
            campaign.map_or(Cell::Empty, |c| Cell::Int(c.size as i64)),
            text(mask(&r.text)),
        ];
        row.extend(attributes.iter().map(|a| opt_text(r.attribute(a))));
        table.rows.push(row);
    }
    out.push(table);

    let assigned = analysis.assignments.iter().flatten().count().max(1) as f64;
    let mut table = Table::new(
        "themes",
        [
            "theme",
            "label",
            "size",
            "share",
            "respondents",
            "with_campaigns",
            "distinctiveness",
            "top_terms",
            "phrases",
            "support",
            "oppose",
            "propose_change",
            "neutral",
        ],
    );
    for t in &analysis.themes {
        let stance = f.stance.get(t.id as usize);
        let s = |g: fn(&thematic_themes::stance::StanceShares) -> f64| num(stance.map(g));
        table.rows.push(vec![
            Cell::Int(t.id.into()),
            text(&*t.label),
            Cell::Int(t.size as i64),
            num(Some(t.size as f64 / assigned)),
            Cell::Int(t.respondents as i64),
            Cell::Int((t.size + extra.get(t.id as usize).copied().unwrap_or(0)) as i64),
            num(Some(t.distinctiveness)),
            text(join(&mut t.top_terms.iter().map(|w| w.display.as_str()))),
            text(join(&mut t.phrases.iter().map(|p| p.text.as_str()))),
            s(|s| s.support),
            s(|s| s.oppose),
            s(|s| s.propose_change),
            s(|s| s.neutral),
        ]);
    }
    out.push(table);

    let mut table = Table::new(
        "quotes",
        ["theme", "rank", "id", "respondent", "group", "question", "similarity", "text"],
    );
    for t in &analysis.themes {
        for (i, q) in t.quotes.iter().enumerate() {
            table.rows.push(vec![
                Cell::Int(t.id.into()),
                Cell::Int(i as i64 + 1),
                text(&*q.id),
                opt_text(q.respondent.as_deref()),
                opt_text(q.group.as_deref()),
                opt_text(q.question.as_deref()),
                num(Some(q.similarity)),
                text(&*q.text),
            ]);
        }
    }
    out.push(table);

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
    let mut table = Table::new("recommendations", header);
    for r in &f.recommendations {
        let mut row = vec![
            Cell::Int(r.rank as i64),
            text(&*r.text),
            Cell::Int(r.respondents as i64),
            Cell::Int(r.sentences as i64),
        ];
        for g in &groups {
            let s = r.groups.iter().find(|s| s.group == *g);
            row.push(Cell::Int(s.map_or(0, |s| s.respondents) as i64));
            row.push(num(Some(s.map_or(0.0, |s| s.share))));
        }
        row.push(Cell::Int(r.breadth as i64));
        row.push(num(Some(r.balanced_score)));
        row.push(text(r.themes.iter().map(|t| t.theme.to_string()).collect::<Vec<_>>().join(";")));
        row.push(opt_text(r.actor.as_deref()));
        table.rows.push(row);
    }
    out.push(table);

    let mut table = Table::new(
        "crosstab",
        [
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
    );
    for (kind, r) in crosstab_rows(analysis) {
        // Counts are published as text: a suppressed cell reads "<5" or "[c]".
        table.rows.push(vec![
            text(kind),
            text(r.split),
            Cell::Int(r.theme.into()),
            label(Some(r.theme)),
            text(r.group),
            text(r.respondents),
            text(r.group_respondents),
            num(r.share),
            num(r.overall_share),
            num(r.lift),
            num(r.residual),
            num(r.ci_low),
            num(r.ci_high),
        ]);
    }
    out.push(table);

    let mut table = Table::new(
        "campaigns",
        [
            "campaign",
            "size",
            "kept_as",
            "theme",
            "theme_label",
            "groups",
            "mean_similarity",
            "text",
        ],
    );
    for (c, &theme) in ingest.campaigns.iter().zip(campaign_themes) {
        let groups = c
            .groups
            .iter()
            .map(|(g, n)| format!("{}: {n}", if g.is_empty() { "(no group)" } else { g }))
            .collect::<Vec<_>>()
            .join("; ");
        table.rows.push(vec![
            Cell::Int(c.id as i64),
            Cell::Int(c.size as i64),
            text(&*c.representative),
            theme_cell(theme),
            label(theme),
            text(groups),
            num(Some(c.mean_similarity)),
            text(mask(&c.text)),
        ]);
    }
    out.push(table);

    let mut table =
        Table::new("dropped", ["file", "record", "line", "column", "id", "reason", "detail"]);
    for d in &ingest.dropped_rows {
        table.rows.push(vec![
            text(&*d.file),
            Cell::Int(d.location.record as i64),
            d.location.line.map_or(Cell::Empty, |l| Cell::Int(l as i64)),
            opt_text(d.column.as_deref()),
            opt_text(d.id.as_deref()),
            text(d.reason.name()),
            text(mask(&d.detail)),
        ]);
    }
    out.push(table);

    let reasons: Vec<DropReason> = {
        let mut all: Vec<DropReason> =
            ingest.inputs.iter().flat_map(|i| i.dropped.keys().copied()).collect();
        all.sort();
        all.dedup();
        all
    };
    let mut header: Vec<String> =
        ["file", "format", "unit", "rows", "read", "kept", "dropped"].map(String::from).to_vec();
    header.extend(reasons.iter().map(|r| format!("dropped: {r}")));
    header.extend(
        [
            "responses",
            "encoding",
            "delimiter",
            "sheet",
            "export",
            "header rows",
            "skipped rows",
            "bytes",
            "sha256",
        ]
        .map(String::from),
    );
    let mut table = Table::new("inputs", header);
    for i in &ingest.inputs {
        let mut row = vec![
            text(&*i.file),
            text(i.format.name()),
            text(&*i.unit),
            Cell::Int(i.rows as i64),
            Cell::Int(i.read as i64),
            Cell::Int(i.kept as i64),
            Cell::Int(i.dropped_total() as i64),
        ];
        row.extend(
            reasons.iter().map(|r| Cell::Int(i.dropped.get(r).copied().unwrap_or(0) as i64)),
        );
        row.extend([
            Cell::Int(i.responses as i64),
            opt_text(i.source.encoding.as_deref()),
            i.source.delimiter.map_or(Cell::Empty, |d| text(d.to_string())),
            opt_text(i.source.sheet.as_deref()),
            opt_text(i.source.export.as_deref()),
            // A transcript has no header (0 rows) and so no rows above one.
            match i.source.header_rows {
                0 => Cell::Empty,
                n => Cell::Int(n as i64),
            },
            match i.source.header_rows {
                0 => Cell::Empty,
                _ => Cell::Int(i.source.skipped_rows as i64),
            },
            Cell::Int(i.bytes as i64),
            text(&*i.sha256),
        ]);
        table.rows.push(row);
    }
    out.push(table);
    out
}

fn write_json<T: Serialize + ?Sized>(path: &Path, value: &T) -> Result<()> {
    let file = std::fs::File::create(path)
        .map_err(|source| IoError::Io { path: path.to_owned(), source })?;
    let mut w = std::io::BufWriter::new(file);
    serde_json::to_writer_pretty(&mut w, value)
        .map_err(|e| IoError::Io { path: path.to_owned(), source: std::io::Error::other(e) })?;
    use std::io::Write as _;
    w.write_all(b"\n")
        .and_then(|()| w.flush())
        .map_err(|source| IoError::Io { path: path.to_owned(), source })?;
    Ok(())
}
