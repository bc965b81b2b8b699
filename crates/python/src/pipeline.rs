//! `thematic.analyse` and `thematic.read_csv`: the end-to-end pipeline and its input.

use std::path::PathBuf;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use thematic::cluster::KMeans;
use thematic::core::{ParamGuard, Response};
use thematic::io::{CsvOptions, read_csv as rust_read_csv};
use thematic::themes::ThemeLabeller;
use thematic::{Analysis, Pipeline, PipelineConfig, Themes};

use crate::convert::{count, doc_freq, opt_count};
use crate::error::{Error, Result};
use crate::text::PyAnalyzer;

/// Optional per-text strings (`ids`, `groups`): one per text, `None` allowed in `groups`;
/// non-str values are converted with `str()`.
fn per_text(
    what: &str,
    obj: Option<&Bound<'_, PyAny>>,
    n: usize,
) -> PyResult<Option<Vec<Option<String>>>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else { return Ok(None) };
    if obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!("{what} must be a sequence, not a single str")));
    }
    let mut out = Vec::with_capacity(n);
    for item in obj.try_iter()? {
        let item = item?;
        out.push(if item.is_none() { None } else { Some(item.str()?.extract::<String>()?) });
    }
    if out.len() != n {
        return Err(Error::param(format!(
            "invalid {what}: {} values for {n} texts; give one per text",
            out.len()
        ))
        .into());
    }
    Ok(Some(out))
}

fn analysis_to_py<'py>(
    py: Python<'py>,
    analysis: &Analysis,
    responses: &[Response],
) -> PyResult<Bound<'py, PyDict>> {
    let _ = responses;
    // Themes and findings go through JSON: every field the Rust types serialise reaches
    // Python, and the two cannot drift apart.
    let json = py.import("json")?;
    let loads = |v: serde_json::Value| -> PyResult<Bound<'py, PyAny>> {
        json.call_method1("loads", (v.to_string(),))
    };
    let to_value = |v: std::result::Result<serde_json::Value, serde_json::Error>| {
        v.map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))
    };
    let themes = loads(to_value(serde_json::to_value(&analysis.themes))?)?;
    let f = &analysis.findings;
    let crosstab: Vec<_> = [Some(&f.crosstab), f.crosstab_by_question.as_ref()]
        .into_iter()
        .chain([f.crosstab_by_channel.as_ref()])
        .flatten()
        .flat_map(|t| t.to_rows())
        .collect();
    let findings = serde_json::json!({
        "stance": f.stance,
        "suggestions": f.suggestions,
        "recommendations": f.recommendations,
        "crosstab": crosstab,
    });
    let findings = loads(findings)?;
    let timings = PyDict::new(py);
    let t = &analysis.timings;
    for (k, v) in [
        ("analyse", t.analyse),
        ("vectorise", t.vectorise),
        ("cluster", t.cluster),
        ("label", t.label),
        ("findings", t.findings),
    ] {
        timings.set_item(k, v)?;
    }
    let out = PyDict::new(py);
    out.set_item("assignments", &analysis.assignments)?;
    out.set_item("themes", themes)?;
    out.set_item("vocabulary_size", analysis.vocabulary_size)?;
    out.set_item("nnz", analysis.nnz)?;
    out.set_item("df_range", analysis.df_range)?;
    out.set_item("objective", analysis.objective)?;
    out.set_item("iterations", analysis.iterations)?;
    out.set_item("converged", analysis.converged)?;
    out.set_item("findings", findings)?;
    out.set_item("timings", timings)?;
    Ok(out)
}

/// Runs the whole analysis: analyse the texts, build TF-IDF vectors (sublinear tf), cluster
/// them into themes with spherical k-means, and label each theme with its top terms and
/// most representative responses.
///
/// Args:
///     texts: the responses (a sequence of str; None is an empty text).
///     ids: an id per text (converted with str()); default "0", "1", ...
///     groups: a stakeholder group per text (None allowed), reported with each quote.
///     themes: the number of themes, at least 1 and at most the texts with usable terms.
///     seed: seed of every random choice.
///     n_init: k-means runs; the lowest objective wins.
///     max_iter: k-means iteration cap per run.
///     threads: threads; None for `THEMATIC_NUM_THREADS` or all cores. Results do not
///         depend on it.
///     top_terms: top terms listed per theme, at least 1.
///     quotes: representative quotes per theme (0 for none).
///     analyzer: how texts become terms; None for `Analyzer()`.
///     min_df: smallest document frequency of a term (int: documents, float: fraction);
///         None for 2 documents (1 below 20 texts).
///     max_df: largest document frequency; None for half the texts (all below 20).
///     max_features: keep only the most frequent terms; None keeps all.
///     algorithm: k-means assignment, "yinyang", "hamerly" or "lloyd" (same themes).
///     init: k-means initialisation, "k-means++" or "k-means||".
///     reduce: cluster an LSA embedding of this many dimensions (e.g. 100) instead of the
///         TF-IDF rows; None clusters the TF-IDF rows.
///
/// Returns:
///     A dict: "assignments" (the theme of each text, None when it has no usable text),
///     "themes" (dicts with "id", "label", "size", "respondents", "distinctiveness",
///     "nearest_theme", "top_terms" (dicts with "term", "display", "weight", "share"),
///     "phrases" (dicts with "text", "stems", "weight", "responses") and "quotes" (dicts
///     with "row", "id", "respondent", "group", "question", "text", "similarity"; personal
///     data masked)), "findings" (a dict: "stance" (shares per theme), "suggestions" (the
///     number of suggestion sentences), "recommendations" (ranked, with per-group support,
///     breadth, balanced score and themes) and "crosstab" (published rows of theme × group,
///     small cells suppressed)), "vocabulary_size", "nnz", "df_range", "objective",
///     "iterations", "converged" and "timings" (wall seconds per stage).
///
/// Raises:
///     ParamError: a parameter breaks its rule.
///     DataError: no usable text, or fewer texts with usable terms than themes.
#[pyfunction]
#[pyo3(signature = (
    texts, ids = None, groups = None, themes = 12, seed = None, n_init = 3, max_iter = 100,
    threads = None, top_terms = 10, quotes = 3, analyzer = None, min_df = None, max_df = None,
    max_features = None, algorithm = "yinyang", init = "k-means++", reduce = None,
), text_signature = "(texts, ids=None, groups=None, themes=12, seed=42, n_init=3, \
    max_iter=100, threads=None, top_terms=10, quotes=3, analyzer=None, min_df=None, \
    max_df=None, max_features=None, algorithm='yinyang', init='k-means++', reduce=None)")]
#[allow(clippy::too_many_arguments)]
pub(crate) fn analyse<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    ids: Option<&Bound<'py, PyAny>>,
    groups: Option<&Bound<'py, PyAny>>,
    themes: i64,
    seed: Option<&Bound<'py, PyAny>>,
    n_init: i64,
    max_iter: i64,
    threads: Option<i64>,
    top_terms: i64,
    quotes: i64,
    analyzer: Option<&Bound<'py, PyAnalyzer>>,
    min_df: Option<&Bound<'py, PyAny>>,
    max_df: Option<&Bound<'py, PyAny>>,
    max_features: Option<i64>,
    algorithm: &str,
    init: &str,
    reduce: Option<i64>,
) -> PyResult<Bound<'py, PyDict>> {
    let texts = crate::convert::texts("texts", texts)?;
    let n = texts.len();
    let ids = per_text("ids", ids, n)?;
    let groups = per_text("groups", groups, n)?;
    let config = PipelineConfig {
        themes: count("themes", themes)?.into(),
        seed: seed.map(crate::convert::seed).transpose()?.unwrap_or(42),
        n_init: count("n_init", n_init)?,
        max_iter: count("max_iter", max_iter)?,
        threads: opt_count("threads", threads)?,
        analyzer: analyzer.map(|a| a.get().inner.config().clone()).unwrap_or_default(),
        min_df: min_df.map(|v| doc_freq("min_df", v)).transpose()?,
        max_df: max_df.map(|v| doc_freq("max_df", v)).transpose()?,
        max_features: opt_count("max_features", max_features)?,
        top_terms: count("top_terms", top_terms)?,
        quotes: count("quotes", quotes)?,
        algorithm: algorithm.parse().map_err(Error::from)?,
        init: init.parse().map_err(Error::from)?,
        reduce: opt_count("reduce", reduce)?,
        ..PipelineConfig::default()
    };
    check_early(&config)?;

    let responses: Vec<Response> = texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let id = ids.as_ref().and_then(|v| v[i].clone()).unwrap_or_else(|| i.to_string());
            let mut r = Response::new(id, text);
            r.group = groups.as_ref().and_then(|g| g[i].clone());
            r
        })
        .collect();
    let pipeline = Pipeline::new(config);
    let analysis = py.detach(|| pipeline.run(&responses)).map_err(Error::from)?;
    analysis_to_py(py, &analysis, &responses)
}

/// Validates what the pipeline would only check after analysing and vectorising the texts,
/// so that a bad parameter fails at once.
fn check_early(c: &PipelineConfig) -> Result<()> {
    let themes = match c.themes {
        Themes::Fixed(k) => k,
        Themes::Auto { max, .. } => max,
    };
    if themes == 0 {
        return Err(Error::param("invalid themes 0: ask for at least 1 theme"));
    }
    KMeans::params(themes).n_init(c.n_init).max_iter(c.max_iter).threads(c.threads).check_ref()?;
    ThemeLabeller::params().top_terms(c.top_terms).quotes(c.quotes).check_ref()?;
    let mut tfidf = thematic::vectorize::Tfidf::params().max_features(c.max_features);
    if let Some(v) = c.min_df {
        tfidf = tfidf.min_df(v);
    }
    if let Some(v) = c.max_df {
        tfidf = tfidf.max_df(v);
    }
    tfidf.check_ref()?;
    Ok(())
}

/// Reads a long-format CSV (or TSV) export, one response per record, every record kept
/// (empty texts included), in file order.
///
/// Column names match exactly, or else ignoring case and surrounding spaces.
///
/// Args:
///     path: the file (str or os.PathLike).
///     text_column: the free-text column; default "text".
///     id_column: the id column; default "id" when present, else record numbers.
///     respondent_column: default "respondent_id" or "respondent" when present.
///     group_column: default "group" when present.
///     question_column: default "question" when present.
///     channel_column: default "channel" when present.
///     delimiter: one ASCII character; default tab for .tsv/.tab files, else comma.
///
/// Returns:
///     A dict of columns, each a list with one value per response: "id", "respondent",
///     "group", "question", "channel" (str or None) and "text" (str); e.g.
///     `analyse(d["text"], ids=d["id"], groups=d["group"])`.
///
/// Raises:
///     IoError: the file cannot be read, a column is missing, or a record is malformed
///         (the message names the file, the record, its line and the column). Also an
///         OSError.
#[pyfunction]
#[pyo3(signature = (
    path, text_column = None, id_column = None, respondent_column = None, group_column = None,
    question_column = None, channel_column = None, delimiter = None,
))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_csv<'py>(
    py: Python<'py>,
    path: PathBuf,
    text_column: Option<String>,
    id_column: Option<String>,
    respondent_column: Option<String>,
    group_column: Option<String>,
    question_column: Option<String>,
    channel_column: Option<String>,
    delimiter: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let delimiter = delimiter
        .map(|d| match d.as_bytes() {
            [b] if b.is_ascii() => Ok(*b),
            _ => {
                Err(Error::param(format!("invalid delimiter {d:?}: expected one ASCII character")))
            }
        })
        .transpose()?;
    let options = CsvOptions {
        text_column,
        id_column,
        respondent_column,
        group_column,
        question_column,
        channel_column,
        default_channel: None,
        delimiter,
    };
    let (responses, _report) = py.detach(|| rust_read_csv(&path, &options)).map_err(Error::from)?;
    let out = PyDict::new(py);
    let column = |f: fn(&Response) -> Option<&str>| -> Vec<Option<&str>> {
        responses.iter().map(f).collect()
    };
    out.set_item("id", column(|r| Some(&r.id)))?;
    out.set_item("respondent", column(|r| r.respondent.as_deref()))?;
    out.set_item("group", column(|r| r.group.as_deref()))?;
    out.set_item("question", column(|r| r.question.as_deref()))?;
    out.set_item("channel", column(|r| r.channel.as_deref()))?;
    out.set_item("text", column(|r| Some(&r.text)))?;
    Ok(out)
}
