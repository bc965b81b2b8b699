use std::time::Instant;

use serde::{Deserialize, Serialize};
use thematic_cluster::{
    ChooseK, ChooseKError, ChooseKParams, ChooseKParamsError, KMeans, KMeansAlgorithm, KMeansInit,
    KMeansParams, KSelection, dense_to_csr,
};
use thematic_core::{CsrMatrix, ParamGuard, Response};
use thematic_text::{Analyzer, AnalyzerBuilder};
use thematic_themes::{Theme, ThemeLabeller};
use thematic_vectorize::{DocFreq, TermCounts, Tfidf, TfidfModel, TruncatedSvd, normalize_rows};

use crate::error::{Error, Result};
use crate::findings::{Findings, FindingsConfig, findings};

/// Responses needed before the pipeline's vocabulary limits (`min_df` 2, `max_df` 0.5) apply;
/// below it every term is kept, since limits tuned for a corpus would empty a handful of
/// answers.
const SMALL_CORPUS: usize = 20;

/// How many themes (the `k` of k-means) a [`Pipeline`] finds.
///
/// Serialised as a number for [`Themes::Fixed`] (`12`) and as `{"auto": {"min": 4, "max":
/// 30}}` for [`Themes::Auto`]; parsed from text ([`FromStr`](std::str::FromStr)) as a number
/// or `auto` (the default range 4 to 30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "ThemesRepr", into = "ThemesRepr")]
pub enum Themes {
    /// Exactly this many themes, at least 1.
    Fixed(usize),
    /// The number recommended among `min..=max` by [`ChooseK`]: every k of its grid is
    /// fitted with [`PipelineConfig::selection_seeds`] seeds and scored, and the recommended
    /// k is the most cohesive and separated (highest silhouette) among those whose themes do
    /// not depend on the seed (stability); see [`thematic_cluster::choose_k`]. Needs
    /// `2 <= min <= max` and more usable responses than `max`.
    Auto {
        /// Fewest themes considered, at least 2.
        min: usize,
        /// Most themes considered, at least `min`.
        max: usize,
    },
}

impl Themes {
    /// The range of [`Themes::Auto`] when none is given: 4 to 30 themes, what an analyst can
    /// read and what consultations of a few hundred to a few hundred thousand answers
    /// usually support.
    pub const AUTO: Themes = Themes::Auto { min: 4, max: 30 };

    /// Checks the rules stated on each variant that need no data.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `themes`, `min_themes` or `max_themes`.
    pub fn check(&self) -> Result<()> {
        match *self {
            Themes::Fixed(0) => Err(Error::InvalidParameter {
                parameter: "themes",
                message: "0: ask for at least 1 theme".into(),
            }),
            Themes::Auto { min, .. } if min < 2 => Err(Error::InvalidParameter {
                parameter: "min_themes",
                message: format!("{min}: choose among at least 2 themes"),
            }),
            Themes::Auto { min, max } if max < min => Err(Error::InvalidParameter {
                parameter: "max_themes",
                message: format!("{max}: it must be at least min_themes ({min})"),
            }),
            _ => Ok(()),
        }
    }
}

impl Default for Themes {
    fn default() -> Self {
        Themes::Fixed(12)
    }
}

impl From<usize> for Themes {
    fn from(k: usize) -> Self {
        Themes::Fixed(k)
    }
}

impl std::fmt::Display for Themes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Themes::Fixed(k) => write!(f, "{k}"),
            Themes::Auto { min, max } => write!(f, "auto ({min} to {max})"),
        }
    }
}

impl std::str::FromStr for Themes {
    type Err = Error;

    /// A number of themes, or `auto` for [`Themes::AUTO`].
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("auto") {
            return Ok(Themes::AUTO);
        }
        s.parse().map(Themes::Fixed).map_err(|_| Error::InvalidParameter {
            parameter: "themes",
            message: format!("{s:?}: expected a number of themes or \"auto\""),
        })
    }
}

/// The serialised form of [`Themes`]: a bare number stays what `themes` always was.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum ThemesRepr {
    Fixed(usize),
    Auto { auto: AutoRange },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AutoRange {
    min: usize,
    max: usize,
}

impl From<ThemesRepr> for Themes {
    fn from(r: ThemesRepr) -> Self {
        match r {
            ThemesRepr::Fixed(k) => Themes::Fixed(k),
            ThemesRepr::Auto { auto: AutoRange { min, max } } => Themes::Auto { min, max },
        }
    }
}

impl From<Themes> for ThemesRepr {
    fn from(t: Themes) -> Self {
        match t {
            Themes::Fixed(k) => ThemesRepr::Fixed(k),
            Themes::Auto { min, max } => ThemesRepr::Auto { auto: AutoRange { min, max } },
        }
    }
}

/// Configuration of a [`Pipeline`]; serialisable so an analysis records how it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PipelineConfig {
    /// Number of themes, or a range to choose it from. Default 12.
    pub themes: Themes,
    /// k-means seeds per k when the number of themes is chosen ([`Themes::Auto`] and
    /// [`Pipeline::choose_k`]), at least 1; their agreement measures stability. Default 3.
    pub selection_seeds: usize,
    /// Seed of every random choice. Default 42.
    pub seed: u64,
    /// k-means restarts; the best objective wins. Default 3.
    pub n_init: usize,
    /// Cap on k-means iterations per restart. Default 100.
    pub max_iter: usize,
    /// Threads (`None`: `THEMATIC_NUM_THREADS` or all cores). Results do not depend on it.
    pub threads: Option<usize>,
    /// k-means assignment algorithm; all give the same themes. Default Yinyang bounds.
    pub algorithm: KMeansAlgorithm,
    /// How k-means chooses its initial centroids. Default greedy k-means++.
    pub init: KMeansInit,
    /// Cluster an LSA embedding of this many dimensions instead of the TF-IDF rows: a
    /// randomized truncated SVD, rows L2-normalised, as scikit-learn's text-clustering
    /// example does (100 is the usual choice). Themes are still labelled from TF-IDF terms.
    /// Default none.
    pub reduce: Option<usize>,
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
    /// Representative quotes per theme. Default 5.
    pub quotes: usize,
    /// Masking, recommendations and cross-tabs.
    pub findings: FindingsConfig,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        PipelineConfig {
            themes: Themes::default(),
            selection_seeds: 3,
            seed: 42,
            n_init: 3,
            max_iter: 100,
            threads: None,
            algorithm: KMeansAlgorithm::default(),
            init: KMeansInit::default(),
            reduce: None,
            analyzer: AnalyzerBuilder::default(),
            min_df: None,
            max_df: None,
            max_features: None,
            top_terms: 10,
            quotes: 5,
            findings: FindingsConfig::default(),
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
    /// Choosing the number of themes (0 when it is fixed).
    #[serde(default)]
    pub choose_k: f64,
    /// The LSA embedding (0 without `reduce`).
    #[serde(default)]
    pub reduce: f64,
    /// k-means.
    pub cluster: f64,
    /// Theme labels and quotes.
    pub label: f64,
    /// Stance, suggestions, recommendations, cross-tabs and masking.
    #[serde(default)]
    pub findings: f64,
}

/// The result of a [`Pipeline`] run.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// The seed of the k-means fit: the configuration's seed, or with [`Themes::Auto`] the
    /// best seed of the recommended k (so `Themes::Fixed(themes.len())` with this seed
    /// reproduces the themes).
    pub kmeans_seed: u64,
    /// How the number of themes was chosen, with [`Themes::Auto`].
    pub k_selection: Option<KSelection>,
    /// Stance per theme, ranked recommendations and stakeholder cross-tabs.
    pub findings: Findings,
    /// Wall seconds per stage.
    pub timings: Timings,
}

/// The outcome of [`Pipeline::choose_k`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KChoice {
    /// The scores of each k and the recommended one.
    pub selection: KSelection,
    /// Responses given.
    pub responses: usize,
    /// Responses with usable text (at least one vocabulary term): the rows clustered.
    pub usable: usize,
    /// Terms in the vocabulary.
    pub vocabulary_size: usize,
    /// Wall seconds per stage (`cluster` and `label` are 0).
    pub timings: Timings,
}

/// The TF-IDF rows of the responses with usable text, shared by [`Pipeline::run`] and
/// [`Pipeline::choose_k`].
struct Vectors {
    analyzer: Analyzer,
    tfidf: TfidfModel,
    /// Non-zeros of the whole matrix.
    nnz: usize,
    /// Index in the input of each row of `xu`.
    usable: Vec<usize>,
    /// The non-empty rows.
    xu: CsrMatrix<f32>,
    /// What k-means clusters: `xu`, or its LSA embedding with `reduce`.
    xk: Option<CsrMatrix<f32>>,
    df_range: (usize, usize),
    analyse: f64,
    vectorise: f64,
    reduce: f64,
}

impl Vectors {
    /// The rows k-means clusters.
    fn clustered(&self) -> &CsrMatrix<f32> {
        self.xk.as_ref().unwrap_or(&self.xu)
    }
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
    /// With [`Themes::Auto`], the number of themes is first chosen with
    /// [`choose_k`](Self::choose_k)'s procedure on the same vectors, then the recommended k
    /// is fitted with the seed of its best run ([`Analysis::kmeans_seed`]), so the themes are
    /// exactly the clustering that was scored.
    ///
    /// # Errors
    /// An invalid parameter; no usable text; fewer usable responses than themes (with
    /// [`Themes::Auto`]: no more usable responses than `max`); or a stage's own error.
    pub fn run(&self, responses: &[Response]) -> Result<Analysis> {
        let c = &self.config;
        c.themes.check()?;
        if let Themes::Auto { min, max } = c.themes {
            // Fail on a bad parameter before the analysis, not after.
            self.choose_k_params(min, max).check_ref().map_err(ChooseKError::from)?;
        }
        let v = self.vectorise(responses)?;

        let t = Instant::now();
        let (themes, seed, k_selection) = match c.themes {
            Themes::Fixed(k) => {
                if v.usable.len() < k {
                    return Err(Error::TooFewResponses {
                        responses: responses.len(),
                        usable: v.usable.len(),
                        themes: k,
                    });
                }
                (k, c.seed, None)
            }
            Themes::Auto { min, max } => {
                let selection = self.select(&v, responses.len(), min, max)?;
                let best = selection.recommended_score();
                (best.k, best.best_seed, Some(selection))
            }
        };
        let choose_k = t.elapsed().as_secs_f64();

        let t = Instant::now();
        let xu = &v.xu;
        let model = self.kmeans_template().n_clusters(themes).seed(seed).fit(v.clustered())?;
        let mut assignments = vec![None; responses.len()];
        for (&row, &label) in v.usable.iter().zip(model.labels()) {
            assignments[row] = Some(label);
        }
        let cluster = t.elapsed().as_secs_f64();

        let t = Instant::now();
        let usable: Vec<&Response> = v.usable.iter().map(|&r| &responses[r]).collect();
        let labels: Vec<Option<u32>> = model.labels().iter().map(|&l| Some(l)).collect();
        let mut themes = ThemeLabeller::params().top_terms(c.top_terms).quotes(c.quotes).label(
            xu,
            &labels,
            v.tfidf.vocabulary(),
            &v.analyzer,
            &usable,
        )?;
        for theme in &mut themes {
            for q in &mut theme.quotes {
                q.row = v.usable[q.row];
            }
        }
        let label = t.elapsed().as_secs_f64();

        let t = Instant::now();
        let findings =
            findings(responses, &assignments, &mut themes, &c.findings, c.seed, c.threads)?;
        let findings_time = t.elapsed().as_secs_f64();

        Ok(Analysis {
            assignments,
            themes,
            vocabulary_size: v.tfidf.n_features(),
            nnz: v.nnz,
            df_range: v.df_range,
            objective: model.objective(),
            iterations: model.n_iter(),
            converged: model.converged(),
            kmeans_seed: seed,
            k_selection,
            findings,
            timings: Timings {
                analyse: v.analyse,
                vectorise: v.vectorise,
                reduce: v.reduce,
                choose_k,
                cluster,
                label,
                findings: findings_time,
            },
        })
    }

    /// Scores every number of themes from `min` to `max` on `responses` and recommends one,
    /// without clustering further or labelling: the first stages of [`run`](Self::run), then
    /// [`ChooseK`] with this configuration's seed, k-means settings and
    /// [`selection_seeds`](PipelineConfig::selection_seeds). `config.themes` is ignored.
    ///
    /// `run` with [`Themes::Auto`]` { min, max }` recommends the same k.
    ///
    /// # Errors
    /// `min < 2` or `max < min`; another invalid parameter; no usable text; no more usable
    /// responses than `max`; or a stage's own error.
    pub fn choose_k(&self, responses: &[Response], min: usize, max: usize) -> Result<KChoice> {
        Themes::Auto { min, max }.check()?;
        self.choose_k_params(min, max).check_ref().map_err(ChooseKError::from)?;
        let v = self.vectorise(responses)?;
        let t = Instant::now();
        let selection = self.select(&v, responses.len(), min, max)?;
        Ok(KChoice {
            selection,
            responses: responses.len(),
            usable: v.usable.len(),
            vocabulary_size: v.tfidf.n_features(),
            timings: Timings {
                analyse: v.analyse,
                vectorise: v.vectorise,
                reduce: v.reduce,
                choose_k: t.elapsed().as_secs_f64(),
                ..Timings::default()
            },
        })
    }

    /// k-means as configured, for any k and seed.
    fn kmeans_template(&self) -> KMeansParams {
        let c = &self.config;
        KMeans::params(1)
            .seed(c.seed)
            .n_init(c.n_init)
            .max_iter(c.max_iter)
            .threads(c.threads)
            .algorithm(c.algorithm)
            .init(c.init)
    }

    /// The choice of k among `min..=max` as configured. The selection uses the same k-means
    /// template as the final fit, so the recommended k's best run is the fit of `run`.
    /// The silhouette is sampled as [`ChooseK`]'s default (2,000 rows) unless `max` is too
    /// large for that sample, when every row is used.
    fn choose_k_params(&self, min: usize, max: usize) -> ChooseKParams {
        let params = ChooseK::params(min, max)
            .seed(self.config.seed)
            .seeds(self.config.selection_seeds)
            .kmeans(self.kmeans_template());
        match params.check_ref() {
            Err(ChooseKParamsError::SilhouetteSample { .. }) => params.silhouette_sample(None),
            _ => params,
        }
    }

    /// Chooses k among `min..=max` on the usable rows of `v`.
    fn select(&self, v: &Vectors, responses: usize, min: usize, max: usize) -> Result<KSelection> {
        let usable = v.usable.len();
        if usable <= max {
            return Err(Error::InvalidParameter {
                parameter: "max_themes",
                message: format!(
                    "{max}: only {usable} of {responses} responses have usable text (terms kept \
                     by the vocabulary), and choosing among up to {max} themes needs more; \
                     ask for at most {} themes",
                    usable.saturating_sub(1)
                ),
            });
        }
        Ok(self.choose_k_params(min, max).fit(v.clustered())?)
    }

    /// Analyses the texts and builds the TF-IDF rows of those with usable text.
    fn vectorise(&self, responses: &[Response]) -> Result<Vectors> {
        let c = &self.config;
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
        let usable: Vec<usize> = (0..x.n_rows()).filter(|&r| !x.row(r).is_empty()).collect();
        let xu = x.select_rows(&usable);
        let vectorise = t.elapsed().as_secs_f64();

        let t = Instant::now();
        let xk = match c.reduce {
            None => None,
            Some(d) => {
                let (_, mut embedding) =
                    TruncatedSvd::params(d).seed(c.seed).threads(c.threads).fit_transform(&xu)?;
                normalize_rows(&mut embedding);
                Some(dense_to_csr(embedding.view()))
            }
        };
        let reduce = t.elapsed().as_secs_f64();

        Ok(Vectors {
            analyzer,
            tfidf,
            nnz: x.nnz(),
            usable,
            xu,
            df_range: (min_df.docs(texts.len(), true), max_df.docs(texts.len(), false)),
            xk,
            analyse,
            vectorise,
            reduce,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 60 responses about three topics, 20 each, in turn: each response uses 4 of its topic's
    /// 8 words, a different 4 for each response of a topic.
    fn responses() -> Vec<Response> {
        let topics = [
            ["alert", "fatigue", "popup", "warning", "alarm", "noise", "ignored", "override"],
            [
                "staff",
                "training",
                "course",
                "literacy",
                "skills",
                "teaching",
                "module",
                "induction",
            ],
            ["record", "error", "migration", "duplicate", "allergy", "wrong", "missing", "entry"],
        ];
        let subsets: Vec<[usize; 4]> = (0..8)
            .flat_map(|a| (a + 1..8).map(move |b| (a, b)))
            .flat_map(|(a, b)| (b + 1..8).flat_map(move |c| (c + 1..8).map(move |d| [a, b, c, d])))
            .collect();
        (0..60)
            .map(|i| {
                // (i / 3) * 3 runs over 0, 3, …, 57: 20 distinct subsets of the 70.
                let words = subsets[(i / 3) * 3 % subsets.len()].map(|w| topics[i % 3][w]);
                Response::new(i.to_string(), words.join(" "))
            })
            .collect()
    }

    #[test]
    fn themes_serialise_as_a_number_or_an_auto_range() {
        let json = |t: Themes| serde_json::to_string(&t).unwrap();
        assert_eq!(json(Themes::Fixed(12)), "12");
        assert_eq!(json(Themes::Auto { min: 4, max: 30 }), r#"{"auto":{"min":4,"max":30}}"#);
        for t in [Themes::Fixed(7), Themes::Auto { min: 2, max: 9 }] {
            assert_eq!(serde_json::from_str::<Themes>(&json(t)).unwrap(), t);
        }
        assert!(serde_json::from_str::<Themes>(r#"{"auto":{"min":4}}"#).is_err());
        // A configuration written before `themes` could be a range still reads.
        let c: PipelineConfig = serde_json::from_str(r#"{"themes": 5}"#).unwrap();
        assert_eq!((c.themes, c.selection_seeds), (Themes::Fixed(5), 3));
    }

    #[test]
    fn themes_parse_from_a_number_or_auto() {
        assert_eq!("12".parse::<Themes>().unwrap(), Themes::Fixed(12));
        assert_eq!(" Auto ".parse::<Themes>().unwrap(), Themes::AUTO);
        let msg = "many".parse::<Themes>().unwrap_err().to_string();
        assert!(msg.contains("\"many\"") && msg.contains("auto"), "{msg}");
    }

    #[test]
    fn each_themes_rule_names_its_parameter() {
        let msg = |t: Themes| t.check().unwrap_err().to_string();
        assert_eq!(msg(Themes::Fixed(0)), "invalid themes: 0: ask for at least 1 theme");
        assert!(msg(Themes::Auto { min: 1, max: 5 }).starts_with("invalid min_themes: 1"));
        assert!(msg(Themes::Auto { min: 6, max: 5 }).starts_with("invalid max_themes: 5"));
        assert!(Themes::Auto { min: 5, max: 5 }.check().is_ok());
        assert!(Themes::Fixed(1).check().is_ok());
    }

    #[test]
    fn auto_themes_fit_the_recommended_k_with_its_best_seed() {
        let config =
            PipelineConfig { themes: Themes::Auto { min: 2, max: 6 }, ..PipelineConfig::default() };
        let pipeline = Pipeline::new(config.clone());
        let analysis = pipeline.run(&responses()).unwrap();
        let selection = analysis.k_selection.clone().unwrap();
        assert_eq!(selection.recommended, 3, "{selection:#?}");
        assert_eq!(analysis.themes.len(), 3);
        assert_eq!(analysis.kmeans_seed, selection.recommended_score().best_seed);
        assert_eq!(analysis.objective, selection.recommended_score().objective);
        // Each topic is one theme.
        let a = &analysis.assignments;
        assert!((0..60).all(|i| a[i] == a[i % 3]) && a[0] != a[1] && a[1] != a[2] && a[0] != a[2]);

        // choose_k makes the same selection without labelling.
        let choice = pipeline.choose_k(&responses(), 2, 6).unwrap();
        assert_eq!(choice.selection, selection);
        assert_eq!((choice.responses, choice.usable), (60, 60));

        // The fixed k with the recorded seed reproduces the analysis.
        let fixed = Pipeline::new(PipelineConfig {
            themes: Themes::Fixed(3),
            seed: analysis.kmeans_seed,
            ..config
        })
        .run(&responses())
        .unwrap();
        assert_eq!(fixed.assignments, analysis.assignments);
        assert!(fixed.k_selection.is_none());
    }

    #[test]
    fn a_range_beyond_the_usable_responses_is_refused() {
        let r = Pipeline::default().choose_k(&responses()[..10], 2, 10);
        let msg = r.unwrap_err().to_string();
        assert!(msg.contains("invalid max_themes: 10") && msg.contains("only 10 of 10"), "{msg}");
        let config =
            PipelineConfig { themes: Themes::Auto { min: 2, max: 10 }, ..Default::default() };
        assert!(Pipeline::new(config).run(&responses()[..10]).is_err());
        // Bad selection parameters fail before any analysis.
        let config = PipelineConfig {
            themes: Themes::Auto { min: 2, max: 4 },
            selection_seeds: 0,
            ..Default::default()
        };
        let msg = Pipeline::new(config).run(&[]).unwrap_err().to_string();
        assert!(msg.contains("seeds 0"), "{msg}");
    }
}
