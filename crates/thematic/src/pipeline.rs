use std::time::Instant;

use serde::{Deserialize, Serialize};
use thematic_cluster::{KMeans, KMeansAlgorithm};
use thematic_core::Response;
use thematic_text::AnalyzerBuilder;
use thematic_themes::{Theme, ThemeLabeller};
use thematic_vectorize::{DocFreq, TermCounts, Tfidf};

use crate::error::{Error, Result};

/// Responses needed before the pipeline's vocabulary limits (`min_df` 2, `max_df` 0.5) apply;
/// below it every term is kept, since limits tuned for a corpus would empty a handful of
/// answers.
const SMALL_CORPUS: usize = 20;

/// Configuration of a [`Pipeline`]; serialisable so an analysis records how it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PipelineConfig {
    /// Number of themes (k of k-means), at least 1. Default 12.
    pub themes: usize,
    /// Seed of every random choice. Default 42.
    pub seed: u64,
    /// k-means restarts; the best objective wins. Default 3.
    pub n_init: usize,
    /// Cap on k-means iterations per restart. Default 100.
    pub max_iter: usize,
    /// Threads (`None`: `THEMATIC_NUM_THREADS` or all cores). Results do not depend on it.
    pub threads: Option<usize>,
    /// k-means assignment algorithm; both give the same themes. Default Hamerly bounds.
    pub algorithm: KMeansAlgorithm,
    /// How texts become terms.
    pub analyzer: AnalyzerBuilder,
    /// Smallest document frequency of a term. Default 2 documents (1 below 20 responses).
    pub min_df: Option<DocFreq>,
    /// Largest document frequency of a term. Default half the responses (all below 20).
    pub max_df: Option<DocFreq>,
    /// Keep only the most frequent terms. Default all.
    pub max_features: Option<usize>,
    /// Top terms listed per theme. Default 10.
    pub top_terms: usize,
    /// Representative quotes per theme. Default 3.
    pub quotes: usize,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        PipelineConfig {
            themes: 12,
            seed: 42,
            n_init: 3,
            max_iter: 100,
            threads: None,
            algorithm: KMeansAlgorithm::default(),
            analyzer: AnalyzerBuilder::default(),
            min_df: None,
            max_df: None,
            max_features: None,
            top_terms: 10,
            quotes: 3,
        }
    }
}

/// Wall seconds spent in each stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    /// Tokenising, normalising, stemming and counting terms.
    pub analyse: f64,
    /// Building the vocabulary and the TF-IDF matrix.
    pub vectorise: f64,
    /// k-means.
    pub cluster: f64,
    /// Theme labels and quotes.
    pub label: f64,
}

/// The result of a [`Pipeline`] run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Theme of each input response, in input order; `None` when the response has no usable
    /// text (empty, only stop words, or only terms outside the vocabulary).
    pub assignments: Vec<Option<u32>>,
    /// The themes; a quote's `row` is the index of its response in the input.
    pub themes: Vec<Theme>,
    /// Terms in the vocabulary.
    pub vocabulary_size: usize,
    /// Non-zeros of the TF-IDF matrix.
    pub nnz: usize,
    /// Effective smallest and largest document frequency, in documents.
    pub df_range: (usize, usize),
    /// k-means objective: sum over clustered responses of 1 − cosine to their centroid.
    pub objective: f64,
    /// k-means iterations of the best restart.
    pub iterations: usize,
    /// Whether k-means converged before its iteration cap.
    pub converged: bool,
    /// Wall seconds per stage.
    pub timings: Timings,
}

/// The end-to-end analysis: analyse → TF-IDF → spherical k-means → labels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pipeline {
    config: PipelineConfig,
}

impl Pipeline {
    /// A pipeline with this configuration.
    pub fn new(config: PipelineConfig) -> Self {
        Pipeline { config }
    }

    /// The configuration.
    pub fn config(&self) -> &PipelineConfig {
        &self.config
    }

    /// Runs every stage on `responses`.
    ///
    /// # Errors
    /// An invalid parameter; no usable text; fewer usable responses than themes; or a stage's
    /// own error.
    pub fn run(&self, responses: &[Response]) -> Result<Analysis> {
        let c = &self.config;
        if c.themes == 0 {
            return Err(Error::InvalidParameter {
                parameter: "themes",
                message: "0: ask for at least 1 theme".into(),
            });
        }
        let analyzer = c.analyzer.clone().build()?;
        let texts: Vec<&str> = responses.iter().map(|r| r.text.as_str()).collect();

        let t = Instant::now();
        let counts = TermCounts::count(&analyzer, &texts, c.threads)?;
        let analyse = t.elapsed().as_secs_f64();

        let t = Instant::now();
        let non_blank = texts.iter().filter(|t| !t.trim().is_empty()).count();
        let small = non_blank < SMALL_CORPUS;
        let min_df = c.min_df.unwrap_or(DocFreq::Count(if small { 1 } else { 2 }));
        let max_df = c.max_df.unwrap_or(DocFreq::Fraction(if small { 1.0 } else { 0.5 }));
        let (tfidf, x) = Tfidf::params()
            .min_df(min_df)
            .max_df(max_df)
            .max_features(c.max_features)
            .sublinear_tf(true)
            .threads(c.threads)
            .fit_counts(counts)?;
        let vectorise = t.elapsed().as_secs_f64();

        let t = Instant::now();
        let usable: Vec<usize> = (0..x.n_rows()).filter(|&r| !x.row(r).is_empty()).collect();
        if usable.len() < c.themes {
            return Err(Error::TooFewResponses {
                responses: responses.len(),
                usable: usable.len(),
                themes: c.themes,
            });
        }
        let xu = x.select_rows(&usable);
        let model = KMeans::params(c.themes)
            .seed(c.seed)
            .n_init(c.n_init)
            .max_iter(c.max_iter)
            .threads(c.threads)
            .algorithm(c.algorithm)
            .fit(&xu)?;
        let mut assignments = vec![None; responses.len()];
        for (&row, &label) in usable.iter().zip(model.labels()) {
            assignments[row] = Some(label);
        }
        let cluster = t.elapsed().as_secs_f64();

        let t = Instant::now();
        let usable_texts: Vec<&str> = usable.iter().map(|&r| texts[r]).collect();
        let labels: Vec<Option<u32>> = model.labels().iter().map(|&l| Some(l)).collect();
        let mut themes = ThemeLabeller::params().top_terms(c.top_terms).quotes(c.quotes).label(
            &xu,
            &labels,
            tfidf.vocabulary(),
            &usable_texts,
        )?;
        for theme in &mut themes {
            for q in &mut theme.quotes {
                q.row = usable[q.row];
            }
        }
        let label = t.elapsed().as_secs_f64();

        Ok(Analysis {
            assignments,
            themes,
            vocabulary_size: tfidf.n_features(),
            nnz: x.nnz(),
            df_range: (min_df.docs(texts.len(), true), max_df.docs(texts.len(), false)),
            objective: model.objective(),
            iterations: model.n_iter(),
            converged: model.converged(),
            timings: Timings { analyse, vectorise, cluster, label },
        })
    }
}
