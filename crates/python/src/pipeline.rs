//! `thematic.analyse`, `thematic.ingest` and `thematic.read_csv`: the end-to-end pipeline
//! and its inputs.

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString};
use thematic::cluster::KMeans;
use thematic::core::{Interner, ParamGuard, Response};
use thematic::io::{
    ColumnMap, CsvOptions, Dedupe, Encoding, Format, IngestOptions, IoError, ReadOptions,
    SpeakerGroups, TranscriptError, TranscriptOptions, expand_inputs, ingest as rust_ingest,
    read_csv as rust_read_csv,
};
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
    one_per_text(what, out, n)
}

/// `values` if there is one per text (`n`), else a `ParamError` naming `what`.
fn one_per_text<T>(what: &str, values: Vec<T>, n: usize) -> PyResult<Option<Vec<T>>> {
    if values.len() != n {
        return Err(Error::param(format!(
            "invalid {what}: {} values for {n} texts; give one per text",
            values.len()
        ))
        .into());
    }
    Ok(Some(values))
}

/// A serialised value as Python objects, through `json.loads`: every field the Rust types
/// serialise reaches Python, and the two cannot drift apart.
fn json_to_py<'py>(
    py: Python<'py>,
    value: std::result::Result<serde_json::Value, serde_json::Error>,
) -> PyResult<Bound<'py, PyAny>> {
    let value = value.map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    py.import("json")?.call_method1("loads", (value.to_string(),))
}

fn analysis_to_py<'py>(py: Python<'py>, analysis: &Analysis) -> PyResult<Bound<'py, PyDict>> {
    let themes = json_to_py(py, serde_json::to_value(&analysis.themes))?;
    let f = &analysis.findings;
    // Every published cross-tab row, each with the split it belongs to, named as in the
    // CLI's crosstab table: "none", "question", "channel" or "attribute:NAME".
    let fixed = [("none", Some(&f.crosstab)), ("question", f.crosstab_by_question.as_ref())]
        .into_iter()
        .chain([("channel", f.crosstab_by_channel.as_ref())])
        .filter_map(|(kind, t)| t.map(|t| (kind.to_owned(), t)));
    let by_attribute = f.crosstab_by_attribute.iter().map(|(a, t)| (format!("attribute:{a}"), t));
    let mut crosstab = Vec::new();
    for (kind, table) in fixed.chain(by_attribute) {
        for row in table.to_rows() {
            let mut row =
                serde_json::to_value(row).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
            if let Some(fields) = row.as_object_mut() {
                fields.insert("split_by".to_owned(), kind.clone().into());
            }
            crosstab.push(row);
        }
    }
    let findings = serde_json::json!({
        "stance": f.stance,
        "suggestions": f.suggestions,
        "recommendations": f.recommendations,
        "crosstab": crosstab,
        "response_recommendations": f.response_recommendations,
    });
    let findings = json_to_py(py, Ok(findings))?;
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

/// One response's attributes: (name, value) pairs in the order given.
type Attributes = Vec<(Arc<str>, Arc<str>)>;

/// Optional per-text attributes: one dict (or sequence of (name, value) pairs, or None) per
/// text; values are converted with str(), None values skipped.
fn per_text_attributes(
    obj: Option<&Bound<'_, PyAny>>,
    n: usize,
) -> PyResult<Option<Vec<Attributes>>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else { return Ok(None) };
    // One dict for all texts is the likely mistake; iterating it would give its keys.
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyDict>() {
        return Err(PyTypeError::new_err(format!(
            "attributes must be a sequence with one dict per text, not a single {}",
            obj.get_type().name()?
        )));
    }
    let mut out = Vec::with_capacity(n);
    // Closed-question answers repeat: each distinct name and value is stored once.
    let mut strings = Interner::new();
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        let mut pairs = Vec::new();
        if !item.is_none() {
            let not_pairs = || {
                PyTypeError::new_err(format!(
                    "attributes[{i}] must be a dict (or (name, value) pairs) or None"
                ))
            };
            let items = if item.hasattr("items")? { item.call_method0("items")? } else { item };
            for pair in items.try_iter().map_err(|_| not_pairs())? {
                let (name, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
                    pair?.extract().map_err(|_| not_pairs())?;
                if !value.is_none() {
                    let name: String = name.str()?.extract()?;
                    let value: String = value.str()?.extract()?;
                    pairs.push((strings.intern(&name), strings.intern(&value)));
                }
            }
        }
        out.push(pairs);
    }
    one_per_text("attributes", out, n)
}

/// Runs the whole analysis: analyse the texts, build TF-IDF vectors (sublinear tf), cluster
/// them into themes with spherical k-means, and label each theme with its top terms and
/// most representative responses.
///
/// The columns of `ingest()` (or `read_csv()`) feed it directly:
///
///     r = thematic.ingest("survey.xlsx", group_column="Organisation type")
///     d = r["responses"]
///     result = thematic.analyse(d["text"], ids=d["id"], groups=d["group"],
///                               respondents=d["respondent"], questions=d["question"],
///                               channels=d["channel"], attributes=d["attributes"])
///
/// Args:
///     texts: the responses (a sequence of str; None is an empty text).
///     ids: an id per text (converted with str()); default "0", "1", ...
///     groups: a stakeholder group per text (None allowed), reported with each quote and
///         crossed with the themes.
///     respondents: who gave each text (None allowed: the text's id). Respondents, not
///         texts, are counted in the cross-tabs and recommendations, so that a respondent
///         answering several questions counts once.
///     questions: the question each text answers (None allowed); adds the cross-tab by
///         question.
///     channels: how each text reached the consultation, e.g. "survey" or "workshop" (None
///         allowed); adds the cross-tab by channel.
///     attributes: per text, a dict of closed-question answers (or None), e.g.
///         {"Organisation type": "NHS trust"}; adds a cross-tab per attribute.
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
///     breadth, balanced score and themes), "response_recommendations" (per text, the ranks
///     of the recommendations it supports) and "crosstab" (published rows of theme × group,
///     small cells suppressed; "split_by" says which table a row belongs to: "none",
///     "question", "channel" or "attribute:NAME", and "split" its slice)),
///     "vocabulary_size", "nnz", "df_range", "objective", "iterations", "converged" and
///     "timings" (wall seconds per stage).
///
/// Raises:
///     ParamError: a parameter breaks its rule (a per-text list of another length than
///         texts included).
///     DataError: no usable text, or fewer texts with usable terms than themes.
#[pyfunction]
#[pyo3(signature = (
    texts, ids = None, groups = None, respondents = None, questions = None, channels = None,
    attributes = None, themes = 12, seed = None, n_init = 3, max_iter = 100, threads = None,
    top_terms = 10, quotes = 5, analyzer = None, min_df = None, max_df = None,
    max_features = None, algorithm = "yinyang", init = "k-means++", reduce = None,
), text_signature = "(texts, ids=None, groups=None, respondents=None, questions=None, \
    channels=None, attributes=None, themes=12, seed=42, n_init=3, max_iter=100, \
    threads=None, top_terms=10, quotes=5, analyzer=None, min_df=None, max_df=None, \
    max_features=None, algorithm='yinyang', init='k-means++', reduce=None)")]
#[allow(clippy::too_many_arguments)]
pub(crate) fn analyse<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    ids: Option<&Bound<'py, PyAny>>,
    groups: Option<&Bound<'py, PyAny>>,
    respondents: Option<&Bound<'py, PyAny>>,
    questions: Option<&Bound<'py, PyAny>>,
    channels: Option<&Bound<'py, PyAny>>,
    attributes: Option<&Bound<'py, PyAny>>,
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
    let respondents = per_text("respondents", respondents, n)?;
    let questions = per_text("questions", questions, n)?;
    let channels = per_text("channels", channels, n)?;
    let attributes = per_text_attributes(attributes, n)?;
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

    // Each per-text list was checked to hold `n` values, so `take` moves them in order.
    let mut ids = ids.map(Vec::into_iter);
    let mut groups = groups.map(Vec::into_iter);
    let mut respondents = respondents.map(Vec::into_iter);
    let mut questions = questions.map(Vec::into_iter);
    let mut channels = channels.map(Vec::into_iter);
    let mut attributes = attributes.map(Vec::into_iter);
    fn next(column: &mut Option<std::vec::IntoIter<Option<String>>>) -> Option<String> {
        column.as_mut().and_then(Iterator::next).flatten()
    }
    // Groups, questions and the like repeat: each distinct value is stored once.
    let mut strings = Interner::new();
    let mut shared = |column: &mut Option<std::vec::IntoIter<Option<String>>>| {
        next(column).map(|v| strings.intern(&v))
    };
    let responses: Vec<Response> = texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let id = next(&mut ids).unwrap_or_else(|| i.to_string());
            let mut r = Response::new(id, text);
            r.group = shared(&mut groups);
            r.respondent = shared(&mut respondents);
            r.question = shared(&mut questions);
            r.channel = shared(&mut channels);
            r.attributes = attributes.as_mut().and_then(Iterator::next).unwrap_or_default();
            r
        })
        .collect();
    let pipeline = Pipeline::new(config);
    let analysis = py.detach(|| pipeline.run(&responses)).map_err(Error::from)?;
    analysis_to_py(py, &analysis)
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

/// A delimiter argument: one ASCII character, or "\t" / "\\t" / "tab" for tab.
fn delimiter(d: Option<&str>) -> Result<Option<u8>> {
    match d {
        None => Ok(None),
        Some("\t" | "\\t" | "tab") => Ok(Some(b'\t')),
        Some(d) => match d.as_bytes() {
            [b] if b.is_ascii() => Ok(Some(*b)),
            _ => Err(Error::param(format!(
                "invalid delimiter {d:?}: expected one ASCII character, or \"\\t\" for tab"
            ))),
        },
    }
}

/// An error of `thematic-io` for Python: an invalid option is a `ParamError` naming the
/// keyword (`question_columns`, not the CLI's `question-columns`); the rest are `IoError`s.
fn io_error(e: IoError) -> Error {
    let (option, message) = match &e {
        IoError::InvalidOption { option, message }
        | IoError::Transcript(TranscriptError::InvalidOption { option, message }) => {
            (*option, message)
        }
        _ => return Error::from(e),
    };
    let option = match option {
        "max_passage_words" => "passage_words".to_owned(),
        other => other.replace('-', "_"),
    };
    Error::param(format!("invalid {option}: {message}"))
}

/// The columns of `responses` as a dict of lists, the form `read_csv` and `ingest` return.
fn columns_to_py<'py>(
    py: Python<'py>,
    responses: &[Response],
    with_attributes: bool,
) -> PyResult<Bound<'py, PyDict>> {
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
    if with_attributes {
        let attributes = PyList::empty(py);
        for r in responses {
            let d = PyDict::new(py);
            for (name, value) in &r.attributes {
                d.set_item(&**name, &**value)?;
            }
            attributes.append(d)?;
        }
        out.set_item("attributes", attributes)?;
    }
    Ok(out)
}

/// Reads a long-format survey export (CSV or TSV; any table format `ingest` reads works),
/// one response per record, every record kept (empty texts included), in file order: no
/// screening, no duplicate or campaign detection (`ingest` does those).
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
///     delimiter: one ASCII character ("\t" for tab); default tab for .tsv/.tab files,
///         else detected (comma, semicolon, tab or pipe).
///     encoding: "auto" (a BOM, else UTF-8 if valid, else Windows-1252), "utf-8",
///         "utf-16", "utf-16le", "utf-16be" or "windows-1252".
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
///     ParamError: an invalid delimiter or encoding.
#[pyfunction]
#[pyo3(signature = (
    path, text_column = None, id_column = None, respondent_column = None, group_column = None,
    question_column = None, channel_column = None, delimiter = None, encoding = "auto",
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
    delimiter: Option<&str>,
    encoding: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let options = CsvOptions {
        text_column,
        id_column,
        respondent_column,
        group_column,
        question_column,
        channel_column,
        default_channel: None,
        delimiter: self::delimiter(delimiter)?,
        encoding: encoding.parse::<Encoding>().map_err(io_error)?,
    };
    let (responses, _report) = py.detach(|| rust_read_csv(&path, &options)).map_err(io_error)?;
    columns_to_py(py, &responses, false)
}

/// `paths` of `ingest`: one path (str or os.PathLike) or a non-empty sequence of them.
fn paths_arg(obj: &Bound<'_, PyAny>) -> PyResult<Vec<PathBuf>> {
    if obj.is_instance_of::<PyString>() || obj.hasattr("__fspath__")? {
        return Ok(vec![obj.extract()?]);
    }
    let Ok(items) = obj.try_iter() else {
        return Err(PyTypeError::new_err(format!(
            "paths must be a str, an os.PathLike or a sequence of them, not {}",
            obj.get_type().name()?
        )));
    };
    let mut out = Vec::new();
    for (i, item) in items.enumerate() {
        let item = item?;
        let path = item.extract::<PathBuf>().map_err(|_| {
            let ty = item.get_type().name().map_or_else(|_| "?".to_owned(), |n| n.to_string());
            PyTypeError::new_err(format!("paths[{i}] is {ty}, expected a str or os.PathLike"))
        })?;
        out.push(path);
    }
    if out.is_empty() {
        return Err(
            Error::param("invalid paths: empty; give at least one file or directory").into()
        );
    }
    Ok(out)
}

/// Column names: None (none), one str, or a sequence of str.
fn names(what: &str, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<String>>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else { return Ok(None) };
    if obj.is_instance_of::<PyString>() {
        return Ok(Some(vec![obj.extract()?]));
    }
    let not_names = || {
        let ty = obj.get_type().name().map_or_else(|_| "?".to_owned(), |n| n.to_string());
        PyTypeError::new_err(format!("{what} must be a str or a sequence of str, not {ty}"))
    };
    let items = obj.try_iter().map_err(|_| not_names())?;
    let mut out = Vec::new();
    for (i, item) in items.enumerate() {
        let item = item?;
        if !item.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(format!(
                "{what}[{i}] is {}, expected str",
                item.get_type().name()?
            )));
        }
        out.push(item.extract()?);
    }
    Ok(Some(out))
}

/// A sheet: a name, or a 1-based number.
fn sheet_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else { return Ok(None) };
    if obj.is_instance_of::<PyString>() {
        return Ok(Some(obj.extract()?));
    }
    if obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>() {
        return match obj.extract::<u64>() {
            Ok(n) if n >= 1 => Ok(Some(n.to_string())),
            _ => {
                Err(Error::param(format!("invalid sheet {obj}: sheets are numbered from 1")).into())
            }
        };
    }
    Err(PyTypeError::new_err(format!(
        "sheet must be a str (a name) or an int (1-based), not {}",
        obj.get_type().name()?
    )))
}

/// Reads every input of a consultation into one table of responses, and accounts for every
/// input unit (a row, an answer of a wide row, or a transcript turn) read.
///
/// Survey exports in any format (CSV/TSV with the encoding and delimiter detected,
/// Parquet, JSON, JSON Lines, XLSX/XLS/ODS) and workshop or interview transcripts (.txt,
/// .vtt, .srt) can be mixed. Columns are mapped to roles by name (exactly, else ignoring
/// case and surrounding spaces); a role without a name takes its default column when
/// present. What is read is screened: empty answers, "N/A"-style non-answers, texts too
/// short to carry a theme, exact duplicates (the same respondent's same answer to the
/// same question) and campaign letters beyond their first copy are not kept, each
/// accounted for with its reason in the report. The files are read with the GIL released.
///
///     r = thematic.ingest(["survey.xlsx", "transcripts/"],
///                         speaker_groups="speakers.csv", attribute_columns=["Region"])
///     d = r["responses"]
///     result = thematic.analyse(d["text"], ids=d["id"], groups=d["group"],
///                               respondents=d["respondent"], questions=d["question"],
///                               channels=d["channel"], attributes=d["attributes"])
///
/// Args:
///     paths: a file or directory (str or os.PathLike), or a list of them. A directory
///         stands for the files in it whose format is known by extension (sorted by
///         name, not recursive).
///     format: the format of every input instead of telling it by extension: "csv",
///         "tsv", "parquet", "json", "jsonl", "xlsx", "xls", "ods", "txt", "vtt" or "srt".
///     encoding: text encoding of CSV/TSV and transcripts: "auto" (a BOM, else UTF-8 if
///         valid, else Windows-1252), "utf-8", "utf-16", "utf-16le", "utf-16be" or
///         "windows-1252".
///     delimiter: CSV field delimiter, one ASCII character ("\t" for tab); default
///         detected (tab for .tsv).
///     sheet: the sheet of a workbook, by name or 1-based number; default the first.
///     header_rows: rows the header of a CSV/TSV or workbook spans, 1 to 10; default
///         detected: 3 in a Qualtrics export (names, question texts, import ids; the
///         question text becomes a wide answer's question), 2 in a SurveyMonkey export
///         (questions above their choices), else 1. With several, a column is named by its
///         header cells joined with " / ".
///     skip_rows: non-blank rows above the header of a CSV/TSV or workbook to skip (a
///         title, notes); default a title is detected (rows of one cell, the first, then
///         a blank row, above a wider header; not when `header_rows` is given).
///     strict: raise at a malformed row (a ragged CSV row, an unreadable cell) or a
///         malformed transcript cue, instead of accounting for it as dropped.
///     text_column: the free-text column of a long survey; default "text". With a wide
///         survey it is an error: the answers are the open-question columns.
///     id_column: the response id; default "id" when present, else the record number
///         (with the file's stem in front when several inputs are read).
///     respondent_column: default "respondent_id" or "respondent" when present.
///     group_column: the stakeholder group: one column, or a list of columns whose
///         non-empty values are joined with " / "; default "group" when present.
///     question_column: the question (long format); default "question" when present.
///     channel_column: the channel; default "channel" when present, else "survey" for
///         tables.
///     attribute_columns: closed-question columns kept as each response's attributes
///         (names or patterns with * and ?), for cross-tabs; default none.
///     wide: a wide survey (one row per respondent, one column per open question); each
///         answer becomes a response whose question is its column. The open questions
///         are `question_columns`, else every column without another role.
///     question_columns: the open-question columns of a wide survey (names or patterns
///         such as "Q*"); implies `wide`.
///     speaker_groups: a speaker → stakeholder group mapping for transcripts (CSV with
///         columns speaker, group and optionally role, where role "facilitator" marks
///         facilitators; or TOML).
///     keep_facilitators: keep facilitators' turns (dropped by default).
///     passage_words: most words in a transcript passage, at least 1; longer turns are
///         split at sentences.
///     keep_non_answers: keep "N/A"-style non-answers ("n/a", "none", "no comment", "-").
///     min_chars: fewest letters or digits an answer needs to be kept.
///     keep_duplicates: keep exact duplicates.
///     count_campaign_members: keep every member of a campaign (near-identical texts from
///         several respondents) instead of its first only, so that it counts once per
///         member in theme prevalence.
///     campaigns: look for campaigns at all.
///     campaign_similarity: similarity (Jaccard of word 3-shingles) from which texts
///         belong to one campaign, in (0, 1].
///     campaign_min_size: fewest members of a campaign, at least 2.
///
/// Returns:
///     A dict with "responses" and "report". "responses" is a dict of columns, each a list
///     with one value per kept response, in input order: "id" (unique across inputs),
///     "respondent", "group", "question", "channel" (str or None), "text" (str) and
///     "attributes" (a dict of column → value per response). "report" accounts for every
///     input unit: "read", "kept", "dropped" (counts by reason: "empty", "non-answer",
///     "too-short", "exact-duplicate", "campaign-duplicate", "unreadable", "facilitator",
///     "unmapped-speaker"), with read == kept + sum(dropped); "inputs" (per file: "file",
///     "format" (a name as `format` takes it), "unit" ("row", "answer" or "turn"),
///     "sha256", "bytes", "source" (encoding, delimiter, sheet, export,
///     header_rows, skipped_rows),
///     "columns", "mapping" (role, column), "rows", "read", "kept", "dropped",
///     "responses" and "transcript" (the transcript reader's report, or None));
///     "dropped_rows" (every unit not kept: "file", "location" ("record", "line"),
///     "column", "id", "reason", "detail"); "campaigns" ("id", "size", "representative",
///     "text", "groups", "mean_similarity", "members"); "campaigns_once"; and
///     "renamed_ids" ((file, id, new id) of repeated ids made unique).
///
/// Raises:
///     IoError: a path that does not exist; a directory without a file of a known format;
///         a file that cannot be read, is empty, lacks a column asked for (or the default
///         "text" column), or is malformed (bad encoding, an unclosed quote, a corrupt
///         workbook; any malformed row with `strict`); an invalid speaker mapping. The
///         message names the file and, where it applies, the row, line, column or byte
///         offset. Also an OSError.
///     ParamError: an invalid option (unknown format or encoding, a bad delimiter or
///         pattern, a value out of its range).
#[pyfunction]
#[pyo3(signature = (
    paths, *, format = None, encoding = "auto", delimiter = None, sheet = None,
    header_rows = None, skip_rows = None, strict = false, text_column = None, id_column = None, respondent_column = None,
    group_column = None, question_column = None, channel_column = None,
    attribute_columns = None, wide = false, question_columns = None, speaker_groups = None,
    keep_facilitators = false, passage_words = 120, keep_non_answers = false, min_chars = 2,
    keep_duplicates = false, count_campaign_members = false, campaigns = true,
    campaign_similarity = 0.8, campaign_min_size = 3,
))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn ingest<'py>(
    py: Python<'py>,
    paths: &Bound<'py, PyAny>,
    format: Option<&str>,
    encoding: &str,
    delimiter: Option<&str>,
    sheet: Option<&Bound<'py, PyAny>>,
    header_rows: Option<i64>,
    skip_rows: Option<i64>,
    strict: bool,
    text_column: Option<String>,
    id_column: Option<String>,
    respondent_column: Option<String>,
    group_column: Option<&Bound<'py, PyAny>>,
    question_column: Option<String>,
    channel_column: Option<String>,
    attribute_columns: Option<&Bound<'py, PyAny>>,
    wide: bool,
    question_columns: Option<&Bound<'py, PyAny>>,
    speaker_groups: Option<PathBuf>,
    keep_facilitators: bool,
    passage_words: i64,
    keep_non_answers: bool,
    min_chars: i64,
    keep_duplicates: bool,
    count_campaign_members: bool,
    campaigns: bool,
    campaign_similarity: f64,
    campaign_min_size: i64,
) -> PyResult<Bound<'py, PyDict>> {
    let paths = paths_arg(paths)?;
    let read = ReadOptions {
        format: format.map(str::parse::<Format>).transpose().map_err(io_error)?,
        encoding: encoding.parse::<Encoding>().map_err(io_error)?,
        delimiter: self::delimiter(delimiter)?,
        quote: None,
        sheet: sheet_arg(sheet)?,
        strict,
        header_rows: opt_count("header_rows", header_rows)?,
        skip_rows: opt_count("skip_rows", skip_rows)?,
    };
    let passage_words = count("passage_words", passage_words)?;
    if passage_words == 0 {
        return Err(Error::param("invalid passage_words 0: a passage has at least 1 word").into());
    }
    let transcript = TranscriptOptions {
        exclude_facilitators: !keep_facilitators,
        max_passage_words: passage_words,
        strict,
        encoding: read.encoding,
        ..TranscriptOptions::default()
    };
    let dedupe = Dedupe::params()
        .non_answers(!keep_non_answers)
        .min_chars(count("min_chars", min_chars)?)
        .exact_duplicates(!keep_duplicates)
        .campaigns(campaigns)
        .campaign_similarity(campaign_similarity)
        .campaign_min_size(count("campaign_min_size", campaign_min_size)?);
    // Checked here so that a bad value fails before any file is read; the messages name
    // the keywords (campaign_similarity, campaign_min_size).
    dedupe.build().map_err(|e| Error::param(e.to_string()))?;
    let question_columns = names("question_columns", question_columns)?.unwrap_or_default();
    let mut options = IngestOptions {
        read,
        columns: ColumnMap {
            text: text_column,
            id: id_column,
            respondent: respondent_column,
            group: names("group_column", group_column)?.unwrap_or_default(),
            question: question_column,
            channel: channel_column,
            default_channel: None,
            attributes: names("attribute_columns", attribute_columns)?.unwrap_or_default(),
        },
        wide: (wide || !question_columns.is_empty()).then_some(question_columns),
        transcript,
        screen: true,
        dedupe,
        campaigns_once: !count_campaign_members,
    };
    let (responses, report) = py
        .detach(|| {
            if let Some(path) = &speaker_groups {
                options.transcript.speakers = SpeakerGroups::from_path(path)?;
            }
            let files = expand_inputs(&paths)?;
            if files.is_empty() {
                let dirs: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                return Err(IoError::Io {
                    path: dirs.join(", ").into(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "no file of a known format (.csv .tsv .parquet .json .jsonl .xlsx .xls \
                         .ods .txt .vtt .srt)",
                    ),
                });
            }
            rust_ingest(&files, &options)
        })
        .map_err(io_error)?;
    let out = PyDict::new(py);
    out.set_item("responses", columns_to_py(py, &responses, true)?)?;
    let mut report_json =
        serde_json::to_value(&report).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    // serde writes a transcript's format as {"transcript": "webvtt"}; Python gets the name
    // `format=` takes ("vtt"), one string for every input, as the CLI's reports show it.
    if let Some(inputs) = report_json.get_mut("inputs").and_then(|v| v.as_array_mut()) {
        for (input, value) in report.inputs.iter().zip(inputs) {
            if let Some(fields) = value.as_object_mut() {
                fields.insert("format".to_owned(), input.format.name().into());
            }
        }
    }
    out.set_item("report", json_to_py(py, Ok(report_json))?)?;
    Ok(out)
}
