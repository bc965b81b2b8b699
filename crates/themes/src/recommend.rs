/*!
Grouping and ranking of recommendations.

The suggestion sentences of a consultation ("NHS England should fund clinical safety officers
in every trust", "Every trust needs a funded clinical safety officer", ...) are grouped into
**recommendations**, near-duplicates and paraphrases together, and each recommendation is
labelled and scored by who supports it. [`Recommendations::params`] configures it and
[`rank`](RecommendationsParams::rank) takes the sentences ([`SuggestionSentence`]) and the
number of respondents of each stakeholder group in the whole analysed corpus ([`GroupSizes`]).

# Grouping

1. Sentences whose texts are equal after normalisation (lower case, every run of
   non-alphanumeric characters read as one space) are always one phrasing, so a campaign that
   sends the same sentence a thousand times is one phrasing with a thousand sentences.
2. The distinct phrasings are vectorised with TF-IDF (sublinear tf, smooth idf, rows of unit
   norm; the analyzer is a parameter, by default [`suggestion_analyzer`]), fitted on the
   phrasings themselves so that a campaign does not lower the weight of its own words.
3. Phrasings are merged by **average-linkage agglomerative clustering** on cosine similarity:
   two groups merge while the mean cosine over all pairs of their phrasings is at least
   [`similarity`](RecommendationsValidParams::similarity). Average linkage keeps a group
   together only if its phrasings are similar *on average*, so one shared word does not chain
   two recommendations together as single linkage would, and a paraphrase is not split off
   because it is far from one other member as complete linkage would. No number of
   recommendations has to be chosen: it follows from the threshold. The clustering is exact
   (nearest-neighbour chain, `O(m²)` time and memory) when there are at most
   [`max_direct`](RecommendationsValidParams::max_direct) phrasings with a term.
4. Above `max_direct`, the phrasings are first split into blocks of at most `max_direct` by
   spherical k-means ([`thematic_cluster::KMeans`], `k = ⌈m / (max_direct / 2)⌉`, blocks
   still too large split again), average linkage runs inside each block, and the resulting
   groups become the leaves of another such pass (exact again once they are at most
   `max_direct`), up to 4 blocked passes. The merges stay average-linkage merges of the whole
   groups, so the threshold keeps its meaning; only pairs of groups that k-means puts in
   different blocks can miss a merge.
5. A phrasing without any term (only stop words) is a recommendation of its own.

The result depends only on the inputs, the parameters and the seed: never on the number of
threads.

# Labels

Each recommendation is labelled by its **most central phrasing**: the phrasing with the
highest score, its cosine to the group's centroid (the normalised sum of its phrasings'
vectors) multiplied by 0.85 if it has fewer than 5 or more than 30 words and by 0.9 if it is
not a complete sentence (starting with a capital letter or a digit and ending with `.`, `!`
or `?`), so that a fragment or a rambling sentence wins only when clearly more central; ties
go to the alphabetically first text. Phrasings are compared unweighted: a campaign's volume
does not move the centroid or the label. Up to [`max_phrasings`](RecommendationsValidParams::max_phrasings)
other phrasings follow in the same order, for transparency, each with its sentence and
respondent counts.

# Scores

A recommendation counts **once per respondent**, however many of their sentences it holds.
With `R_g` the respondents of group `g` supporting it and `N_g` the respondents of group `g`
in the whole corpus (from [`GroupSizes`]):

- `respondents`: distinct respondents supporting it; `sentences`: its sentences.
- per group: `R_g` and the **share** `R_g / N_g` (0 for a group with `N_g = 0`).
- **breadth**: the number of groups whose share is at least
  [`breadth_threshold`](RecommendationsValidParams::breadth_threshold) (default 0.05: 1 in 20
  of a group's respondents). A group with `N_g = 0` never counts.
- **balanced score**: the mean of the shares over the groups with `N_g > 0`, each group
  weighted equally: `(1 / G) Σ_g R_g / N_g`. A recommendation made by 4 of 8 patients scores
  higher than one made by 40 of 400 clinicians, though it has fewer respondents.
- themes: each theme its sentences fall in, with sentence and respondent counts.

Sentences without a group belong to the group [`NO_GROUP`], `"(no group)"`, which must then
appear in the group sizes like any other (see [`GroupSizes::from_responses`]); a group
actually named `"(no group)"` shares that bucket. A respondent
named under two groups counts in both, as [`GroupSizes::from_responses`] counts them.

# Ordering

[`RecommendationOrder::Balanced`] is the default: the balanced score, then respondents, then
breadth. It answers the consultation's question, "what do the stakeholders ask for?", without
letting the largest group decide alone; the respondent count remains in every row, and
[`RecommendationOrder::Respondents`] and [`RecommendationOrder::Breadth`] order by the other
scores. Remaining ties go to the alphabetically first label, so the ranking is total.

```
use thematic_themes::recommend::{GroupSizes, Recommendations, SuggestionSentence};

let s = |text: &str, who: &str, group: &str| {
    let mut s = SuggestionSentence::new(text, 0, who);
    s.group = Some(group.into());
    s
};
let sentences = [
    s("Fund a clinical safety officer in every trust.", "c1", "Clinicians"),
    s("Every trust needs a funded clinical safety officer.", "c2", "Clinicians"),
    s("Fund a clinical safety officer in every trust.", "c3", "Clinicians"),
    s("Let patients read their own records online.", "p1", "Patients"),
];
let sizes = GroupSizes::from_counts([("Clinicians", 30), ("Patients", 2)]);
let recs = Recommendations::params().rank(&sentences, &sizes)?;
assert_eq!(recs.len(), 2);
// Patients: 1 of 2 respondents (share 0.5), balanced score (0 + 0.5) / 2 = 0.25;
// clinicians: 3 of 30 (0.1), balanced score 0.05. Balanced order puts patients first.
assert_eq!(recs[0].text, "Let patients read their own records online.");
assert_eq!(recs[0].rank, 1);
assert!((recs[0].balanced_score - 0.25).abs() < 1e-12);
assert_eq!(recs[1].respondents, 3);
assert_eq!(recs[1].sentences, 3);
assert_eq!(recs[1].breadth, 1);
# Ok::<(), thematic_themes::recommend::RecommendError>(())
```
*/

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::str::FromStr;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use thematic_cluster::{KMeans, KMeansError};
use thematic_core::{CsrMatrix, ParamGuard, Response, with_threads};
use thematic_text::{Analyzer, StopWords};
use thematic_vectorize::{Tfidf, VectorizeError};
use thiserror::Error;

/// The group of sentences and responses without a stakeholder group (or with a blank one).
pub const NO_GROUP: &str = "(no group)";

/// Words that frame a suggestion rather than say what it is; [`suggestion_analyzer`] drops
/// them on top of the English stop words (which already hold "should", "must", "could").
/// Left in, they make every suggestion look like every other ("we need X" and "we need Y").
pub const SUGGESTION_WORDS: &[&str] = &[
    "need",
    "needs",
    "needed",
    "recommend",
    "recommends",
    "recommended",
    "recommendation",
    "suggest",
    "suggests",
    "suggestion",
    "propose",
    "proposes",
    "please",
    "ensure",
    "think",
    "believe",
    "want",
    "wish",
    "like",
    "make",
    "sure",
    "consider",
    "important",
    "essential",
    "better",
    "able",
];

/// Blocked passes of the clustering above `max_direct` phrasings (see the module docs).
const MAX_BLOCKED_PASSES: usize = 4;

/// The analyzer used by default to vectorise suggestion sentences: English stemming, the
/// English stop words plus [`SUGGESTION_WORDS`], and single words only.
///
/// Bigrams, which thematic's default analyzer adds for themes, are left out here: paraphrases
/// rarely keep their word order ("fund clinical safety officers", "a funded clinical safety
/// officer"), so bigrams mostly add terms that one phrasing has and its paraphrase lacks,
/// pulling every cosine down. They did not help on the corpora of `tests/recommend.rs`:
/// with bigrams, thresholds in [0.06, 0.14] recover the tuning corpus exactly and the middle
/// one scores purity 0.87 and adjusted Rand index 0.56 on the held-out corpus, against
/// [0.10, 0.20] and 0.90 / 0.55 with single words.
pub fn suggestion_analyzer() -> Analyzer {
    Analyzer::builder()
        .stop_words(StopWords::english().with(SUGGESTION_WORDS))
        .ngram_range(1, 1)
        .build()
        .expect("the default n-gram range and min_chars are valid")
}

/// One suggestion sentence, as found by the suggestion detector, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestionSentence {
    /// The sentence.
    pub text: String,
    /// The row of the response it came from (carried through, not interpreted).
    pub row: usize,
    /// Who wrote it: the key under which a respondent is counted once (e.g.
    /// [`Response::respondent_or_id`]).
    pub respondent: String,
    /// The respondent's stakeholder group; `None` (or blank) is [`NO_GROUP`].
    pub group: Option<String>,
    /// The theme of its response, if any.
    pub theme: Option<u32>,
    /// The detector's confidence, if any (carried through, not used for grouping).
    pub score: Option<f64>,
    /// Who should act, if the detector found it ("NHS England").
    pub actor: Option<String>,
    /// What should be done, if the detector found it (carried through).
    pub action: Option<String>,
}

impl SuggestionSentence {
    /// A sentence with its text, response row and respondent; no group, theme or detector
    /// fields.
    pub fn new(text: impl Into<String>, row: usize, respondent: impl Into<String>) -> Self {
        SuggestionSentence {
            text: text.into(),
            row,
            respondent: respondent.into(),
            group: None,
            theme: None,
            score: None,
            actor: None,
            action: None,
        }
    }
}

/// The name a group is counted under: the group, or [`NO_GROUP`] when missing or blank.
fn group_name(group: Option<&str>) -> &str {
    match group.map(str::trim) {
        Some(g) if !g.is_empty() => g,
        _ => NO_GROUP,
    }
}

/// The number of distinct respondents of each stakeholder group in the whole analysed corpus:
/// the denominators of the shares. Group names are compared trimmed; a missing or blank group
/// is [`NO_GROUP`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSizes {
    sizes: BTreeMap<String, usize>,
}

impl GroupSizes {
    /// No group.
    pub fn new() -> Self {
        GroupSizes::default()
    }

    /// Counts the distinct respondents ([`Response::respondent_or_id`]) of each group of
    /// `responses`; responses without a group count under [`NO_GROUP`]. A respondent whose
    /// responses carry two groups counts in both.
    pub fn from_responses<'a>(responses: impl IntoIterator<Item = &'a Response>) -> Self {
        let mut seen: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for r in responses {
            seen.entry(group_name(r.group.as_deref())).or_default().insert(r.respondent_or_id());
        }
        GroupSizes { sizes: seen.into_iter().map(|(g, r)| (g.to_owned(), r.len())).collect() }
    }

    /// Sizes given as (group, respondents) pairs; a blank group name is [`NO_GROUP`], and a
    /// repeated group keeps its last size.
    pub fn from_counts<I, S>(counts: I) -> Self
    where
        I: IntoIterator<Item = (S, usize)>,
        S: AsRef<str>,
    {
        let mut sizes = GroupSizes::new();
        for (g, n) in counts {
            sizes.insert(Some(g.as_ref()), n);
        }
        sizes
    }

    /// Sets the size of `group` (`None` or blank: [`NO_GROUP`]).
    pub fn insert(&mut self, group: Option<&str>, respondents: usize) -> &mut Self {
        self.sizes.insert(group_name(group).to_owned(), respondents);
        self
    }

    /// The size of `group` (`None` or blank: [`NO_GROUP`]), if known.
    pub fn get(&self, group: Option<&str>) -> Option<usize> {
        self.sizes.get(group_name(group)).copied()
    }

    /// The groups and their sizes, by group name.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, usize)> + '_ {
        self.sizes.iter().map(|(g, &n)| (g.as_str(), n))
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.sizes.len()
    }

    /// Whether no group is known.
    pub fn is_empty(&self) -> bool {
        self.sizes.is_empty()
    }
}

/// How recommendations are ordered; see the [module docs](self) for why
/// [`Balanced`](Self::Balanced) is the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecommendationOrder {
    /// Balanced score, then respondents, then breadth.
    #[default]
    Balanced,
    /// Respondents, then balanced score, then breadth.
    Respondents,
    /// Breadth, then balanced score, then respondents.
    Breadth,
}

impl FromStr for RecommendationOrder {
    type Err = RecommendParamsError;
    fn from_str(s: &str) -> std::result::Result<Self, RecommendParamsError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "balanced" => Ok(RecommendationOrder::Balanced),
            "respondents" => Ok(RecommendationOrder::Respondents),
            "breadth" => Ok(RecommendationOrder::Breadth),
            _ => Err(RecommendParamsError::Order(s.to_owned())),
        }
    }
}

/// One variant per rule of [`RecommendationsParams`] validation.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum RecommendParamsError {
    /// `similarity` is not in `(0, 1]`.
    #[error("invalid similarity {0}: the merge threshold must lie in (0, 1]")]
    Similarity(f64),
    /// `breadth_threshold` is not in `(0, 1]`.
    #[error("invalid breadth_threshold {0}: a share threshold must lie in (0, 1]")]
    BreadthThreshold(f64),
    /// `max_direct` is below 2.
    #[error("invalid max_direct {0}: cluster at least 2 phrasings directly")]
    MaxDirect(usize),
    /// `threads` is `Some(0)`.
    #[error("invalid threads 0: use none for the default")]
    Threads,
    /// An unknown ordering name.
    #[error("invalid order {0:?}: expected \"balanced\", \"respondents\" or \"breadth\"")]
    Order(String),
}

/// Errors of recommendation grouping and ranking.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum RecommendError {
    /// A parameter failed validation.
    #[error(transparent)]
    InvalidParams(#[from] RecommendParamsError),
    /// A sentence has no letter or digit, so it cannot be a recommendation.
    #[error("sentence {index} has no letter or digit: {text:?}")]
    EmptyText {
        /// Its position in the input.
        index: usize,
        /// Its text.
        text: String,
    },
    /// A sentence's group is missing from the group sizes.
    #[error("sentence {index} is in group {group:?}, which the group sizes do not list")]
    UnknownGroup {
        /// Position of the first such sentence in the input.
        index: usize,
        /// The group.
        group: String,
    },
    /// More respondents of a group wrote suggestions than the group sizes say it has.
    #[error(
        "group {group:?} has {respondents} respondents among the suggestions but a size of {size}"
    )]
    GroupTooSmall {
        /// The group.
        group: String,
        /// Its size in the group sizes.
        size: usize,
        /// Its distinct respondents among the sentences.
        respondents: usize,
    },
    /// Vectorisation failed.
    #[error(transparent)]
    Vectorize(#[from] VectorizeError),
    /// The k-means blocking failed.
    #[error(transparent)]
    Cluster(#[from] KMeansError),
    /// A failure of the shared types (e.g. a thread pool).
    #[error(transparent)]
    Core(#[from] thematic_core::Error),
}

/// Result alias of this module.
pub type Result<T> = std::result::Result<T, RecommendError>;

/// Entry point of recommendation grouping and ranking.
#[derive(Debug, Clone, Copy)]
pub struct Recommendations;

impl Recommendations {
    /// Parameters with their defaults (see [`RecommendationsValidParams`]).
    pub fn params() -> RecommendationsParams {
        RecommendationsParams(RecommendationsValidParams {
            similarity: 0.15,
            breadth_threshold: 0.05,
            order: RecommendationOrder::Balanced,
            max_phrasings: 3,
            max_direct: 2000,
            seed: 42,
            threads: None,
            analyzer: suggestion_analyzer(),
        })
    }
}

/// Validated parameters of recommendation grouping and ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ParamsRepr", into = "ParamsRepr")]
pub struct RecommendationsValidParams {
    similarity: f64,
    breadth_threshold: f64,
    order: RecommendationOrder,
    max_phrasings: usize,
    max_direct: usize,
    seed: u64,
    threads: Option<usize>,
    analyzer: Analyzer,
}

impl RecommendationsValidParams {
    /// Two groups of phrasings merge while the mean cosine similarity (TF-IDF) over all pairs
    /// of their phrasings is at least this, in `(0, 1]`. Lower merges more loosely worded
    /// paraphrases and risks joining distinct recommendations on the same topic; higher keeps
    /// only close rewordings together.
    ///
    /// Default 0.15, the middle of the range [0.10, 0.20] in which the default analyzer
    /// groups the 30 hand-made sentences of the tuning corpus in `tests/recommend.rs` into
    /// exactly their 6 recommendations (there, paraphrases of one recommendation have a mean
    /// pairwise cosine of 0.29 to 0.63, sentences of different ones 0.025, at most 0.27).
    /// On a held-out corpus written after
    /// tuning, with two recommendations about the same buses, it reaches purity 0.90 and an
    /// adjusted Rand index of 0.55: word overlap cannot tell "run buses more often" from "run
    /// buses later in the evening", nor match "cheaper fares" with "lower ticket prices".
    pub fn similarity(&self) -> f64 {
        self.similarity
    }

    /// A group counts towards breadth when its share is at least this, in `(0, 1]`.
    /// Default 0.05: one in twenty of the group's respondents.
    pub fn breadth_threshold(&self) -> f64 {
        self.breadth_threshold
    }

    /// The ordering. Default [`RecommendationOrder::Balanced`].
    pub fn order(&self) -> RecommendationOrder {
        self.order
    }

    /// Phrasings kept with each recommendation besides its label's (0 for none).
    /// Default 3.
    pub fn max_phrasings(&self) -> usize {
        self.max_phrasings
    }

    /// Up to this many distinct phrasings (with a term) are clustered exactly; above, k-means
    /// blocks of at most this many are clustered (see the module docs). Memory is about
    /// `4 × max_direct²` bytes per block being clustered (blocks run in parallel, one per
    /// thread). At least 2. Default 2000: 16 MB per block; 20,000 synthetic phrasings take
    /// 0.3 s (release build, 2 cores), where clustering all of them exactly takes 11 s and
    /// 1.6 GB.
    pub fn max_direct(&self) -> usize {
        self.max_direct
    }

    /// Seed of the k-means blocking (used only above `max_direct` phrasings). Default 42.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Threads, `None` for the default (see [`thematic_core::with_threads`]); `Some(0)` is
    /// invalid. The result does not depend on it. Default `None`.
    pub fn threads(&self) -> Option<usize> {
        self.threads
    }

    /// The analyzer that turns phrasings into terms. Default [`suggestion_analyzer`].
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }
}

/// Unchecked parameters of recommendation grouping and ranking: consuming setters, validated
/// by [`ParamGuard::check`] or when ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "ParamsRepr", into = "ParamsRepr")]
#[must_use]
pub struct RecommendationsParams(RecommendationsValidParams);

impl Default for RecommendationsParams {
    fn default() -> Self {
        Recommendations::params()
    }
}

impl RecommendationsParams {
    /// See [`RecommendationsValidParams::similarity`].
    pub fn similarity(mut self, v: f64) -> Self {
        self.0.similarity = v;
        self
    }

    /// See [`RecommendationsValidParams::breadth_threshold`].
    pub fn breadth_threshold(mut self, v: f64) -> Self {
        self.0.breadth_threshold = v;
        self
    }

    /// See [`RecommendationsValidParams::order`].
    pub fn order(mut self, v: RecommendationOrder) -> Self {
        self.0.order = v;
        self
    }

    /// See [`RecommendationsValidParams::max_phrasings`].
    pub fn max_phrasings(mut self, v: usize) -> Self {
        self.0.max_phrasings = v;
        self
    }

    /// See [`RecommendationsValidParams::max_direct`].
    pub fn max_direct(mut self, v: usize) -> Self {
        self.0.max_direct = v;
        self
    }

    /// See [`RecommendationsValidParams::seed`].
    pub fn seed(mut self, v: u64) -> Self {
        self.0.seed = v;
        self
    }

    /// See [`RecommendationsValidParams::threads`].
    pub fn threads(mut self, v: Option<usize>) -> Self {
        self.0.threads = v;
        self
    }

    /// See [`RecommendationsValidParams::analyzer`].
    pub fn analyzer(mut self, v: Analyzer) -> Self {
        self.0.analyzer = v;
        self
    }

    /// Validates the parameters, then [`RecommendationsValidParams::rank`].
    ///
    /// # Errors
    /// [`RecommendError::InvalidParams`] if a parameter breaks its rule, else as
    /// [`RecommendationsValidParams::rank`].
    pub fn rank(
        &self,
        sentences: &[SuggestionSentence],
        sizes: &GroupSizes,
    ) -> Result<Vec<Recommendation>> {
        self.check_ref()?.rank(sentences, sizes)
    }
}

impl ParamGuard for RecommendationsParams {
    type Checked = RecommendationsValidParams;
    type Error = RecommendParamsError;

    fn check_ref(&self) -> std::result::Result<&RecommendationsValidParams, RecommendParamsError> {
        let p = &self.0;
        if !(p.similarity > 0.0 && p.similarity <= 1.0) {
            return Err(RecommendParamsError::Similarity(p.similarity));
        }
        if !(p.breadth_threshold > 0.0 && p.breadth_threshold <= 1.0) {
            return Err(RecommendParamsError::BreadthThreshold(p.breadth_threshold));
        }
        if p.max_direct < 2 {
            return Err(RecommendParamsError::MaxDirect(p.max_direct));
        }
        if p.threads == Some(0) {
            return Err(RecommendParamsError::Threads);
        }
        Ok(p)
    }

    fn check(self) -> std::result::Result<RecommendationsValidParams, RecommendParamsError> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// The serialised form of both parameter types; deserialising the valid type validates.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamsRepr {
    similarity: f64,
    breadth_threshold: f64,
    #[serde(default)]
    order: RecommendationOrder,
    max_phrasings: usize,
    max_direct: usize,
    seed: u64,
    #[serde(default)]
    threads: Option<usize>,
    #[serde(default = "suggestion_analyzer")]
    analyzer: Analyzer,
}

impl From<ParamsRepr> for RecommendationsParams {
    fn from(r: ParamsRepr) -> Self {
        let ParamsRepr {
            similarity,
            breadth_threshold,
            order,
            max_phrasings,
            max_direct,
            seed,
            threads,
            analyzer,
        } = r;
        RecommendationsParams(RecommendationsValidParams {
            similarity,
            breadth_threshold,
            order,
            max_phrasings,
            max_direct,
            seed,
            threads,
            analyzer,
        })
    }
}

impl TryFrom<ParamsRepr> for RecommendationsValidParams {
    type Error = RecommendParamsError;
    fn try_from(r: ParamsRepr) -> std::result::Result<Self, RecommendParamsError> {
        RecommendationsParams::from(r).check()
    }
}

impl From<RecommendationsValidParams> for ParamsRepr {
    fn from(p: RecommendationsValidParams) -> Self {
        let RecommendationsValidParams {
            similarity,
            breadth_threshold,
            order,
            max_phrasings,
            max_direct,
            seed,
            threads,
            analyzer,
        } = p;
        ParamsRepr {
            similarity,
            breadth_threshold,
            order,
            max_phrasings,
            max_direct,
            seed,
            threads,
            analyzer,
        }
    }
}

impl From<RecommendationsParams> for ParamsRepr {
    fn from(p: RecommendationsParams) -> Self {
        p.0.into()
    }
}

/// Support of a recommendation in one stakeholder group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSupport {
    /// The group ([`NO_GROUP`] for sentences without one).
    pub group: String,
    /// Its respondents supporting the recommendation, `R_g`.
    pub respondents: usize,
    /// Its respondents in the whole corpus, `N_g`.
    pub group_size: usize,
    /// `R_g / N_g`, or 0 when `N_g = 0`.
    pub share: f64,
}

/// Support of a recommendation in one theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeSupport {
    /// The theme id.
    pub theme: u32,
    /// The recommendation's sentences in the theme.
    pub sentences: usize,
    /// Their distinct respondents.
    pub respondents: usize,
}

/// One phrasing of a recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phrasing {
    /// The text, as first written.
    pub text: String,
    /// Its cosine similarity to the recommendation's centroid.
    pub similarity: f64,
    /// Sentences written this way (after normalisation).
    pub sentences: usize,
    /// Their distinct respondents.
    pub respondents: usize,
}

/// A recommendation: a group of suggestion sentences saying the same thing, with its scores.
/// See the [module docs](self) for every score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// 1-based rank in the chosen ordering.
    pub rank: usize,
    /// The label: the most central phrasing.
    pub text: String,
    /// The label's phrasing then up to `max_phrasings` others, most central first.
    pub phrasings: Vec<Phrasing>,
    /// Distinct phrasings (after normalisation) in the group.
    pub n_phrasings: usize,
    /// Mean cosine similarity over all pairs of distinct phrasings (1 for a single one).
    pub cohesion: f64,
    /// Distinct respondents supporting it.
    pub respondents: usize,
    /// Its sentences.
    pub sentences: usize,
    /// Support in every group of the group sizes, by group name.
    pub groups: Vec<GroupSupport>,
    /// Groups whose share reaches the breadth threshold.
    pub breadth: usize,
    /// Mean share over the groups with respondents, each group weighted equally.
    pub balanced_score: f64,
    /// Themes of its sentences: most respondents first, then most sentences, then theme id.
    pub themes: Vec<ThemeSupport>,
    /// The actor named by most of its respondents (ties: alphabetically first), if any.
    pub actor: Option<String>,
    /// Positions of its sentences in the input, increasing.
    pub members: Vec<usize>,
}

impl Recommendation {
    /// The support in `group` (`None` or blank: [`NO_GROUP`]), if the group sizes list it.
    pub fn group(&self, group: Option<&str>) -> Option<&GroupSupport> {
        let name = group_name(group);
        self.groups.iter().find(|g| g.group == name)
    }
}

/// The dedupe key of a text: lower case, every run of non-alphanumeric characters one space.
fn normalise(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

/// A sparse vector: (column, value) pairs with increasing columns.
type SparseVec = Vec<(u32, f64)>;

fn dot(a: &[(u32, f64)], b: &[(u32, f64)]) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// The sum of sparse vectors, added in the order given (so the result is deterministic).
fn sum<'a>(vectors: impl IntoIterator<Item = &'a SparseVec>) -> SparseVec {
    let mut acc: HashMap<u32, f64> = HashMap::new();
    for v in vectors {
        for &(c, x) in v {
            *acc.entry(c).or_default() += x;
        }
    }
    let mut out: SparseVec = acc.into_iter().collect();
    out.sort_unstable_by_key(|&(c, _)| c);
    out
}

/// A leaf of an agglomeration pass: a group of phrasings, with the sum of their unit vectors
/// and their number, from which average linkage follows: the mean cosine over the pairs of
/// two groups `a`, `b` is `S_a · S_b / (n_a n_b)`.
#[derive(Debug, Clone)]
struct Leaf {
    sum: SparseVec,
    n: usize,
    phrasings: Vec<usize>,
}

/// The upper triangle of a symmetric matrix, without its diagonal.
struct Triangle {
    rows: Vec<Vec<f64>>,
}

impl Triangle {
    fn get(&self, i: usize, j: usize) -> f64 {
        let (a, b) = if i < j { (i, j) } else { (j, i) };
        self.rows[a][b - a - 1]
    }

    fn set(&mut self, i: usize, j: usize, v: f64) {
        let (a, b) = if i < j { (i, j) } else { (j, i) };
        self.rows[a][b - a - 1] = v;
    }
}

/// Average-linkage similarities of all pairs of leaves, through an inverted index so that
/// only pairs sharing a term cost anything. Each row is computed on its own in a fixed order,
/// so the values do not depend on the thread count.
fn leaf_similarities(leaves: &[Leaf]) -> Triangle {
    let m = leaves.len();
    let n_cols = leaves.iter().flat_map(|l| l.sum.last()).map(|&(c, _)| c as usize + 1).max();
    let mut postings: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n_cols.unwrap_or(0)];
    for (i, leaf) in leaves.iter().enumerate() {
        for &(c, x) in &leaf.sum {
            postings[c as usize].push((i, x));
        }
    }
    let rows = (0..m)
        .into_par_iter()
        .map(|a| {
            let mut acc = vec![0.0; m - a - 1];
            for &(c, x) in &leaves[a].sum {
                let p = &postings[c as usize];
                let start = p.partition_point(|&(b, _)| b <= a);
                for &(b, y) in &p[start..] {
                    acc[b - a - 1] += x * y;
                }
            }
            let na = leaves[a].n as f64;
            for (k, v) in acc.iter_mut().enumerate() {
                *v /= na * leaves[a + 1 + k].n as f64;
            }
            acc
        })
        .collect();
    Triangle { rows }
}

/// Average-linkage agglomeration of `leaves`, merging while the linkage is at least
/// `threshold`; returns the groups as leaf indices, each increasing, ordered by first leaf.
///
/// This is the nearest-neighbour chain algorithm (Murtagh 1983): average linkage is
/// reducible, so merging reciprocal nearest neighbours as the chain finds them builds the same
/// hierarchy as always merging the globally closest pair, in `O(m²)` time. Reducibility also
/// gives the early stop: a merge never raises a group's best linkage to others, so when the
/// chain's top is below the threshold with its nearest neighbour, every group of the chain
/// (whose links increase towards the top) is final.
fn average_linkage(leaves: &[Leaf], threshold: f64) -> Vec<Vec<usize>> {
    let m = leaves.len();
    let mut sim = leaf_similarities(leaves);
    let mut size: Vec<f64> = leaves.iter().map(|l| l.n as f64).collect();
    let mut active = vec![true; m];
    // Each group is named by its lowest leaf; parent links lead there.
    let mut parent: Vec<usize> = (0..m).collect();
    let mut chain: Vec<usize> = Vec::new();
    let mut first_active = 0;
    loop {
        if chain.is_empty() {
            while first_active < m && !active[first_active] {
                first_active += 1;
            }
            if first_active == m {
                break;
            }
            chain.push(first_active);
        }
        let top = chain[chain.len() - 1];
        let prev = (chain.len() >= 2).then(|| chain[chain.len() - 2]);
        // The nearest neighbour of the top: the chain's previous group wins ties (required
        // for the chain to terminate), then the lowest index.
        let mut best = prev.map(|p| (p, sim.get(top, p)));
        for j in (0..m).filter(|&j| active[j] && j != top) {
            let s = sim.get(top, j);
            if best.is_none_or(|(_, bs)| s > bs) {
                best = Some((j, s));
            }
        }
        match best {
            Some((j, s)) if s >= threshold => {
                if Some(j) == prev {
                    chain.truncate(chain.len() - 2);
                    let (keep, drop) = (top.min(j), top.max(j));
                    let (nk, nd) = (size[keep], size[drop]);
                    for k in (0..m).filter(|&k| active[k] && k != keep && k != drop) {
                        // Lance–Williams for average linkage: the mean over the union's pairs.
                        let v = (nk * sim.get(keep, k) + nd * sim.get(drop, k)) / (nk + nd);
                        sim.set(keep, k, v);
                    }
                    size[keep] = nk + nd;
                    active[drop] = false;
                    parent[drop] = keep;
                } else {
                    chain.push(j);
                }
            }
            _ => {
                for c in chain.drain(..) {
                    active[c] = false;
                }
            }
        }
    }
    let root = |mut i: usize| {
        while parent[i] != i {
            i = parent[i];
        }
        i
    };
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..m {
        groups.entry(root(i)).or_default().push(i);
    }
    groups.into_values().collect()
}

/// Merges the leaves of each group into one leaf.
fn merge_leaves(leaves: &[Leaf], groups: Vec<Vec<usize>>) -> Vec<Leaf> {
    groups
        .into_iter()
        .map(|g| {
            if let [only] = g[..] {
                return leaves[only].clone();
            }
            Leaf {
                sum: sum(g.iter().map(|&i| &leaves[i].sum)),
                n: g.iter().map(|&i| leaves[i].n).sum(),
                phrasings: g.iter().flat_map(|&i| leaves[i].phrasings.iter().copied()).collect(),
            }
        })
        .collect()
}

impl RecommendationsValidParams {
    /// Groups `sentences` into recommendations, scores them against `sizes` and orders them
    /// (see the [module docs](self)). No sentence gives no recommendation.
    ///
    /// # Errors
    /// [`RecommendError::EmptyText`] for a sentence without a letter or digit;
    /// [`RecommendError::UnknownGroup`] for a group missing from `sizes`;
    /// [`RecommendError::GroupTooSmall`] if a group has more respondents among the sentences
    /// than `sizes` gives it; vectorisation, k-means or thread-pool failures.
    pub fn rank(
        &self,
        sentences: &[SuggestionSentence],
        sizes: &GroupSizes,
    ) -> Result<Vec<Recommendation>> {
        check_inputs(sentences, sizes)?;
        if sentences.is_empty() {
            return Ok(Vec::new());
        }
        // Distinct phrasings, numbered by first occurrence.
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut phrasing_of = Vec::with_capacity(sentences.len());
        let mut texts: Vec<&str> = Vec::new();
        for s in sentences {
            let next = index.len();
            let p = *index.entry(normalise(&s.text)).or_insert(next);
            if p == texts.len() {
                texts.push(s.text.trim());
            }
            phrasing_of.push(p);
        }
        let rows = self.vectorise(&texts)?;
        let groups = self.group(&rows)?;

        let mut members: Vec<Vec<usize>> = vec![Vec::new(); texts.len()];
        for (i, &p) in phrasing_of.iter().enumerate() {
            members[p].push(i);
        }
        let mut recs: Vec<Recommendation> = groups
            .iter()
            .map(|g| self.recommendation(g, &rows, &texts, &members, sentences, sizes))
            .collect();
        let order = self.order;
        recs.sort_by(|a, b| compare(order, a, b));
        for (i, r) in recs.iter_mut().enumerate() {
            r.rank = i + 1;
        }
        Ok(recs)
    }

    /// The unit TF-IDF row of each phrasing, as a sparse vector (empty without a term).
    fn vectorise(&self, texts: &[&str]) -> Result<Vec<SparseVec>> {
        let fitted = Tfidf::params()
            .sublinear_tf(true)
            .threads(self.threads)
            .fit_transform(&self.analyzer, texts);
        let x = match fitted {
            Ok((_, x)) => x,
            // Only stop words everywhere: every phrasing stands alone.
            Err(VectorizeError::EmptyVocabulary { .. }) => CsrMatrix::zeros(texts.len(), 0),
            Err(e) => return Err(e.into()),
        };
        Ok(x.rows().map(|r| r.iter().map(|(c, v)| (c, f64::from(v))).collect()).collect())
    }

    /// Groups of phrasings (each increasing), see the module docs.
    fn group(&self, rows: &[SparseVec]) -> Result<Vec<Vec<usize>>> {
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut leaves: Vec<Leaf> = Vec::new();
        for (p, row) in rows.iter().enumerate() {
            if row.is_empty() {
                groups.push(vec![p]);
            } else {
                leaves.push(Leaf { sum: row.clone(), n: 1, phrasings: vec![p] });
            }
        }
        let t = self.similarity;
        let leaves = with_threads(self.threads, || -> Result<Vec<Leaf>> {
            let mut leaves = leaves;
            let mut pass = 0;
            while leaves.len() > self.max_direct && pass < MAX_BLOCKED_PASSES {
                let blocks = self.blocks(&leaves, self.seed.wrapping_add(pass as u64))?;
                let merged: Vec<Vec<usize>> = blocks
                    .par_iter()
                    .flat_map_iter(|block| {
                        let sub: Vec<Leaf> = block.iter().map(|&i| leaves[i].clone()).collect();
                        average_linkage(&sub, t)
                            .into_iter()
                            .map(|g| g.into_iter().map(|i| block[i]).collect::<Vec<_>>())
                            .collect::<Vec<_>>()
                    })
                    .collect();
                if merged.len() == leaves.len() {
                    return Ok(leaves);
                }
                leaves = merge_leaves(&leaves, merged);
                pass += 1;
            }
            if leaves.len() <= self.max_direct {
                let merged = average_linkage(&leaves, t);
                leaves = merge_leaves(&leaves, merged);
            }
            Ok(leaves)
        })??;
        groups.extend(leaves.into_iter().map(|l| {
            let mut p = l.phrasings;
            p.sort_unstable();
            p
        }));
        groups.sort_unstable_by_key(|g| g[0]);
        Ok(groups)
    }

    /// Splits `leaves` into blocks of at most `max_direct` by spherical k-means on their
    /// directions, `k = ⌈n / (max_direct / 2)⌉`; a block still too large is split again, and
    /// one k-means cannot split (identical directions) is cut into consecutive pieces.
    fn blocks(&self, leaves: &[Leaf], seed: u64) -> Result<Vec<Vec<usize>>> {
        let mut done = Vec::new();
        let mut todo = vec![(0..leaves.len()).collect::<Vec<_>>()];
        while let Some(block) = todo.pop() {
            if block.len() <= self.max_direct {
                done.push(block);
                continue;
            }
            let target = self.max_direct.div_ceil(2);
            let k = block.len().div_ceil(target);
            let x = directions(&block.iter().map(|&i| &leaves[i].sum).collect::<Vec<_>>())?;
            let model = KMeans::params(k).seed(seed).threads(self.threads).fit(&x)?;
            let mut parts: Vec<Vec<usize>> = vec![Vec::new(); k];
            for (&i, &l) in block.iter().zip(model.labels()) {
                parts[l as usize].push(i);
            }
            parts.retain(|p| !p.is_empty());
            if parts.len() == 1 {
                done.extend(block.chunks(self.max_direct).map(<[usize]>::to_vec));
            } else {
                todo.extend(parts);
            }
        }
        done.sort_unstable_by_key(|b| b[0]);
        Ok(done)
    }

    fn recommendation(
        &self,
        group: &[usize],
        rows: &[SparseVec],
        texts: &[&str],
        members: &[Vec<usize>],
        sentences: &[SuggestionSentence],
        sizes: &GroupSizes,
    ) -> Recommendation {
        let centroid = sum(group.iter().map(|&p| &rows[p]));
        let norm = dot(&centroid, &centroid).sqrt();
        let n = group.len() as f64;
        // |Σ x|² = n + Σ_{i≠j} x_i·x_j for unit rows.
        let cohesion = if group.len() < 2 { 1.0 } else { (norm * norm - n) / (n * (n - 1.0)) };
        let mut scored: Vec<(usize, f64, f64)> = group
            .iter()
            .map(|&p| {
                let sim = if norm > 0.0 { dot(&rows[p], &centroid) / norm } else { 0.0 };
                (p, sim, sim * shape_factor(texts[p]))
            })
            .collect();
        scored.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| texts[a.0].cmp(texts[b.0])));
        let phrasing = |&(p, sim, _): &(usize, f64, f64)| Phrasing {
            text: texts[p].to_owned(),
            similarity: sim,
            sentences: members[p].len(),
            respondents: members[p]
                .iter()
                .map(|&i| sentences[i].respondent.as_str())
                .collect::<BTreeSet<_>>()
                .len(),
        };

        let mut idx: Vec<usize> = group.iter().flat_map(|&p| members[p].iter().copied()).collect();
        idx.sort_unstable();
        let mut everyone = BTreeSet::new();
        let mut by_group: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut by_theme: BTreeMap<u32, (usize, BTreeSet<&str>)> = BTreeMap::new();
        let mut by_actor: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for &i in &idx {
            let s = &sentences[i];
            let who = s.respondent.as_str();
            everyone.insert(who);
            by_group.entry(group_name(s.group.as_deref())).or_default().insert(who);
            if let Some(t) = s.theme {
                let e = by_theme.entry(t).or_default();
                e.0 += 1;
                e.1.insert(who);
            }
            if let Some(a) = s.actor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
                by_actor.entry(a).or_default().insert(who);
            }
        }
        let groups: Vec<GroupSupport> = sizes
            .iter()
            .map(|(g, size)| {
                let r = by_group.get(g).map_or(0, BTreeSet::len);
                let share = if size == 0 { 0.0 } else { r as f64 / size as f64 };
                GroupSupport { group: g.to_owned(), respondents: r, group_size: size, share }
            })
            .collect();
        let counted: Vec<f64> =
            groups.iter().filter(|g| g.group_size > 0).map(|g| g.share).collect();
        // Inputs were checked: a sentence's group has at least one respondent.
        let balanced_score = counted.iter().sum::<f64>() / counted.len().max(1) as f64;
        let breadth =
            groups.iter().filter(|g| g.group_size > 0 && g.share >= self.breadth_threshold).count();
        let mut themes: Vec<ThemeSupport> = by_theme
            .into_iter()
            .map(|(theme, (n, who))| ThemeSupport { theme, sentences: n, respondents: who.len() })
            .collect();
        themes.sort_by(|a, b| {
            b.respondents
                .cmp(&a.respondents)
                .then(b.sentences.cmp(&a.sentences))
                .then(a.theme.cmp(&b.theme))
        });
        let actor = by_actor
            .into_iter()
            .max_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| b.0.cmp(a.0)))
            .map(|(a, _)| a.to_owned());

        Recommendation {
            rank: 0,
            text: texts[scored[0].0].to_owned(),
            phrasings: scored.iter().take(1 + self.max_phrasings).map(phrasing).collect(),
            n_phrasings: group.len(),
            cohesion,
            respondents: everyone.len(),
            sentences: idx.len(),
            groups,
            breadth,
            balanced_score,
            themes,
            actor,
            members: idx,
        }
    }
}

/// The unit rows of the directions of `sums`, as a CSR matrix for k-means.
fn directions(sums: &[&SparseVec]) -> Result<CsrMatrix<f32>> {
    let n_cols = sums.iter().flat_map(|s| s.last()).map(|&(c, _)| c as usize + 1).max();
    let mut indptr = vec![0];
    let (mut indices, mut data) = (Vec::new(), Vec::new());
    for s in sums {
        let norm = dot(s, s).sqrt();
        for &(c, x) in s.iter() {
            indices.push(c);
            data.push((x / norm) as f32);
        }
        indptr.push(indices.len());
    }
    Ok(CsrMatrix::new(n_cols.unwrap_or(0), indptr, indices, data)?)
}

/// The label preference of a phrasing's shape: 0.85 if it has fewer than 5 or more than 30
/// words, times 0.9 if it does not start with a capital letter or digit and end with `.`,
/// `!` or `?` (closing quotes and brackets aside).
fn shape_factor(text: &str) -> f64 {
    let words = text.split_whitespace().count();
    let length = if (5..=30).contains(&words) { 1.0 } else { 0.85 };
    let quotes = |c: char| matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '(' | ')' | '[' | ']');
    let t = text.trim().trim_matches(quotes);
    let starts = t.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let ends = t.ends_with(['.', '!', '?']);
    length * if starts && ends { 1.0 } else { 0.9 }
}

/// Checks every sentence's text and group against `sizes`.
fn check_inputs(sentences: &[SuggestionSentence], sizes: &GroupSizes) -> Result<()> {
    let mut seen: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (index, s) in sentences.iter().enumerate() {
        if !s.text.chars().any(char::is_alphanumeric) {
            return Err(RecommendError::EmptyText { index, text: s.text.clone() });
        }
        let g = group_name(s.group.as_deref());
        if sizes.get(Some(g)).is_none() {
            return Err(RecommendError::UnknownGroup { index, group: g.to_owned() });
        }
        seen.entry(g).or_default().insert(&s.respondent);
    }
    for (g, who) in seen {
        let size = sizes.get(Some(g)).unwrap_or(0);
        if who.len() > size {
            return Err(RecommendError::GroupTooSmall {
                group: g.to_owned(),
                size,
                respondents: who.len(),
            });
        }
    }
    Ok(())
}

/// The ordering of recommendations: the chosen scores, then the label, then the sentences.
fn compare(order: RecommendationOrder, a: &Recommendation, b: &Recommendation) -> Ordering {
    let balanced = || b.balanced_score.total_cmp(&a.balanced_score);
    let respondents = || b.respondents.cmp(&a.respondents);
    let breadth = || b.breadth.cmp(&a.breadth);
    let first = match order {
        RecommendationOrder::Balanced => balanced().then_with(respondents).then_with(breadth),
        RecommendationOrder::Respondents => respondents().then_with(balanced).then_with(breadth),
        RecommendationOrder::Breadth => breadth().then_with(balanced).then_with(respondents),
    };
    first.then_with(|| a.text.cmp(&b.text)).then_with(|| a.members.cmp(&b.members))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(v: &[(u32, f64)]) -> Leaf {
        let norm = v.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
        Leaf { sum: v.iter().map(|&(c, x)| (c, x / norm)).collect(), n: 1, phrasings: vec![] }
    }

    #[test]
    fn each_rule_has_its_error() {
        let p = Recommendations::params;
        for v in [0.0, -0.1, 1.5, f64::NAN] {
            assert!(matches!(p().similarity(v).check(), Err(RecommendParamsError::Similarity(_))));
        }
        assert!(p().similarity(1.0).check().is_ok());
        for v in [0.0, 1.01, f64::INFINITY, f64::NAN] {
            assert!(matches!(
                p().breadth_threshold(v).check(),
                Err(RecommendParamsError::BreadthThreshold(_))
            ));
        }
        assert!(p().breadth_threshold(1.0).check().is_ok());
        assert_eq!(p().max_direct(1).check(), Err(RecommendParamsError::MaxDirect(1)));
        assert!(p().max_direct(2).check().is_ok());
        assert_eq!(p().threads(Some(0)).check(), Err(RecommendParamsError::Threads));
        assert_eq!(
            "loudest".parse::<RecommendationOrder>(),
            Err(RecommendParamsError::Order("loudest".into()))
        );
        assert_eq!(" Breadth ".parse(), Ok(RecommendationOrder::Breadth));
        // Ranking with bad parameters fails before looking at the input.
        let r = p().similarity(2.0).rank(&[], &GroupSizes::new());
        assert_eq!(r, Err(RecommendError::InvalidParams(RecommendParamsError::Similarity(2.0))));
    }

    #[test]
    fn defaults() {
        let p = Recommendations::params().check().unwrap();
        assert_eq!(p.similarity(), 0.15);
        assert_eq!(p.breadth_threshold(), 0.05);
        assert_eq!(p.order(), RecommendationOrder::Balanced);
        assert_eq!(p.max_phrasings(), 3);
        assert_eq!(p.max_direct(), 2000);
        assert_eq!(p.seed(), 42);
        assert_eq!(p.threads(), None);
        assert!(p.analyzer().stop_words().contains("need"));
    }

    #[test]
    fn normalise_ignores_case_spacing_and_punctuation() {
        assert_eq!(normalise("  Fund CSOs -- now!! "), "fund csos now");
        assert_eq!(normalise("Fund   csos, now"), "fund csos now");
        assert_eq!(normalise("?!"), "");
    }

    #[test]
    fn average_linkage_is_the_mean_over_pairs() {
        // a = (1, 0), b = (0.8, 0.6), c = (0, 1): cos(a, b) = 0.8, cos(b, c) = 0.6,
        // cos(a, c) = 0. At 0.5, a and b merge (0.8); {a, b} to c is (0 + 0.6) / 2 = 0.3 < 0.5.
        let leaves = [leaf(&[(0, 1.0)]), leaf(&[(0, 0.8), (1, 0.6)]), leaf(&[(1, 1.0)])];
        assert_eq!(average_linkage(&leaves, 0.5), vec![vec![0, 1], vec![2]]);
        // At 0.3 the mean reaches the threshold exactly and all three merge.
        assert_eq!(average_linkage(&leaves, 0.3), vec![vec![0, 1, 2]]);
        // At 0.9 nothing merges.
        assert_eq!(average_linkage(&leaves, 0.9), vec![vec![0], vec![1], vec![2]]);
    }

    #[test]
    fn average_linkage_does_not_chain() {
        // A path a - b - c - d where neighbours have cosine 0.6 and the rest 0: single
        // linkage at 0.5 would join all four; average linkage joins pairs only.
        let s = 0.6f64;
        let r = (1.0 - s * s).sqrt();
        let a = leaf(&[(0, 1.0)]);
        let b = leaf(&[(0, s), (1, r)]);
        // c: cos(b, c) = 0.6 and cos(a, c) = 0 needs c in the (1, 2) plane at cos(1) = s / r.
        let c1 = s / r;
        let c = leaf(&[(1, c1), (2, (1.0 - c1 * c1).sqrt())]);
        let d = leaf(&[(3, 1.0)]);
        let groups = average_linkage(&[a, b, c, d], 0.5);
        assert!(groups.iter().all(|g| g.len() <= 2), "{groups:?}");
    }

    #[test]
    fn shape_prefers_complete_mid_length_sentences() {
        assert_eq!(shape_factor("Fund a safety officer in every trust."), 1.0);
        assert_eq!(shape_factor("fund a safety officer in every trust"), 0.9);
        assert_eq!(shape_factor("Fund officers."), 0.85);
        assert_eq!(shape_factor("\"Fund a safety officer in every trust.\""), 1.0);
    }

    #[test]
    fn group_sizes_count_distinct_respondents() {
        let mut a = Response::new("1", "x");
        a.respondent = Some("r1".into());
        a.group = Some("Clinicians".into());
        let mut b = a.clone();
        b.id = "2".into();
        let mut c = Response::new("3", "y");
        c.group = Some("  ".into());
        let sizes = GroupSizes::from_responses(&[a, b, c]);
        assert_eq!(sizes.get(Some("Clinicians")), Some(1));
        assert_eq!(sizes.get(None), Some(1));
        assert_eq!(sizes.iter().collect::<Vec<_>>(), [(NO_GROUP, 1), ("Clinicians", 1)]);
    }

    #[test]
    fn autotraits() {
        fn has<T: Send + Sync + Unpin>() {}
        has::<RecommendationsParams>();
        has::<RecommendationsValidParams>();
        has::<Recommendation>();
        has::<RecommendError>();
        has::<GroupSizes>();
    }
}
