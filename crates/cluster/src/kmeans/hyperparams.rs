use serde::{Deserialize, Serialize};
use thematic_core::ParamGuard;

use super::errors::KMeansParamsError;

/// Entry point of k-means: [`KMeans::params`] gives the parameters, whose
/// [`fit`](KMeansParams::fit) (sparse rows) or [`fit_dense`](KMeansParams::fit_dense) (dense
/// rows) gives a [`KMeansModel`](crate::KMeansModel).
///
/// ```
/// use thematic_cluster::KMeans;
/// use thematic_core::CsrMatrix;
///
/// // Four unit rows over three terms: two about term 0, two about term 2.
/// let x = CsrMatrix::new(
///     3,
///     vec![0, 1, 3, 4, 6],
///     vec![0, 0, 1, 2, 1, 2],
///     vec![1.0f32, 0.8, 0.6, 1.0, 0.6, 0.8],
/// )?;
/// let model = KMeans::params(2).seed(7).n_init(3).fit(&x)?;
/// let l = model.labels();
/// assert!(l[0] == l[1] && l[2] == l[3] && l[0] != l[2]);
/// // Rows are unit vectors and so are the centroids: their dot product is the cosine.
/// assert_eq!(model.centroid(l[0] as usize).len(), 3);
/// // Each group's sum is (1.8, 0.6) up to the order of terms: Σ (1 − cos) = 2 × (2 − √3.6).
/// assert!((model.objective() - 2.0 * (2.0 - 3.6f64.sqrt())).abs() < 1e-6);
/// assert!(model.converged());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct KMeans;

/// How the assignment step finds each row's nearest centroid. All give the same labels,
/// objective and centroids (tested); they differ only in how many similarities they compute.
///
/// Dense rows ([`KMeansValidParams::fit_dense`]) use the same choice with bounds on
/// distances: a row whose bounds prove its label skips its products with the centroids.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KMeansAlgorithm {
    /// Every row against every centroid at every iteration.
    Lloyd,
    /// Lloyd with Hamerly's single bound per row adapted to cosine similarity (Schubert,
    /// Lang & Feher, 2021, "Accelerating spherical k-means"): a row whose similarity to its
    /// own centroid provably exceeds its similarity to any other skips the other `k − 1`
    /// products.
    Hamerly,
    /// Lloyd with one bound per row and group of 16 clusters (Yinyang k-means, Ding et al.
    /// 2015, adapted to cosine): a row scores only the groups that may hold a better centroid,
    /// so a few centroids that moved far no longer force every row to score all `k`.
    #[default]
    Yinyang,
}

/// How rows are compared: the geometry k-means minimises distances in.
///
/// The serialised and parsed names are `"cosine"` and `"euclidean"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KMeansMetric {
    /// Cosine (spherical k-means): rows are compared by direction, each used as `x / ‖x‖`;
    /// centroids are unit vectors and the objective is `Σ (1 − cos)`. The measure for TF-IDF
    /// rows of responses of very different lengths, and for sentence embeddings. Works on
    /// sparse ([`fit`](KMeansValidParams::fit)) and dense
    /// ([`fit_dense`](KMeansValidParams::fit_dense)) rows.
    #[default]
    Cosine,
    /// Euclidean (classic k-means, as scikit-learn's `KMeans`): rows are points; centroids
    /// are the means of their rows and the objective is the sum of squared distances (the
    /// inertia). Dense rows only ([`fit_dense`](KMeansValidParams::fit_dense)), e.g. LSA
    /// output: on sparse TF-IDF rows, the lengths of the responses would dominate.
    Euclidean,
}

impl KMeansMetric {
    /// The metric's name: `"cosine"` or `"euclidean"`, as [`FromStr`](std::str::FromStr)
    /// parses it.
    pub fn as_str(self) -> &'static str {
        match self {
            KMeansMetric::Cosine => "cosine",
            KMeansMetric::Euclidean => "euclidean",
        }
    }
}

impl std::fmt::Display for KMeansMetric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for KMeansMetric {
    type Err = KMeansParamsError;
    fn from_str(s: &str) -> Result<Self, KMeansParamsError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cosine" => Ok(KMeansMetric::Cosine),
            "euclidean" => Ok(KMeansMetric::Euclidean),
            _ => Err(KMeansParamsError::Metric(s.to_owned())),
        }
    }
}

/// How the initial centroids are chosen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KMeansInit {
    /// Greedy k-means++ (Arthur & Vassilvitskii 2007, with `2 + ln k` trials per centroid as
    /// scikit-learn does): `k` sequential passes over the rows.
    #[default]
    KMeansPlusPlus,
    /// k-means|| (Bahmani et al. 2012): 5 rounds that each sample about `2k` rows, reduced
    /// to `k` by weighted greedy k-means++. Fewer passes than k-means++ for large corpora.
    KMeansParallel,
}

impl std::str::FromStr for KMeansInit {
    type Err = KMeansParamsError;
    fn from_str(s: &str) -> Result<Self, KMeansParamsError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "k-means++" | "kmeans++" => Ok(KMeansInit::KMeansPlusPlus),
            "k-means||" | "kmeans||" => Ok(KMeansInit::KMeansParallel),
            _ => Err(KMeansParamsError::Init(s.to_owned())),
        }
    }
}

impl std::str::FromStr for KMeansAlgorithm {
    type Err = KMeansParamsError;
    fn from_str(s: &str) -> Result<Self, KMeansParamsError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "lloyd" => Ok(KMeansAlgorithm::Lloyd),
            "hamerly" => Ok(KMeansAlgorithm::Hamerly),
            "yinyang" | "auto" => Ok(KMeansAlgorithm::Yinyang),
            _ => Err(KMeansParamsError::Algorithm(s.to_owned())),
        }
    }
}

impl KMeans {
    /// Parameters for `n_clusters` clusters, the others at their defaults (see
    /// [`KMeansValidParams`]).
    pub fn params(n_clusters: usize) -> KMeansParams {
        KMeansParams(KMeansValidParams {
            n_clusters,
            seed: 42,
            n_init: 1,
            max_iter: 100,
            tol: 1e-4,
            threads: None,
            algorithm: KMeansAlgorithm::Yinyang,
            batch_size: None,
            init: KMeansInit::KMeansPlusPlus,
            metric: KMeansMetric::Cosine,
        })
    }
}

/// Validated k-means parameters.
///
/// Only [`ParamGuard::check`] (or fitting [`KMeansParams`]) makes one, so every value here
/// obeys the rules stated on its getter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ParamsRepr", into = "ParamsRepr")]
pub struct KMeansValidParams {
    n_clusters: usize,
    seed: u64,
    n_init: usize,
    max_iter: usize,
    tol: f64,
    threads: Option<usize>,
    algorithm: KMeansAlgorithm,
    batch_size: Option<usize>,
    init: KMeansInit,
    metric: KMeansMetric,
}

impl KMeansValidParams {
    /// How rows are compared. Default [`KMeansMetric::Cosine`]; [`KMeansMetric::Euclidean`]
    /// needs dense rows ([`fit_dense`](Self::fit_dense)).
    pub fn metric(&self) -> KMeansMetric {
        self.metric
    }

    /// How the initial centroids are chosen. Default [`KMeansInit::KMeansPlusPlus`].
    pub fn init(&self) -> KMeansInit {
        self.init
    }

    /// Mini-batch k-means (Sculley 2010) with batches of this many rows, for corpora too
    /// large to pass over many times; `None` (the default) runs full iterations. Each step
    /// assigns a random batch and adds its rows to their centroids' running sums; `max_iter`
    /// then counts passes over the data (epochs), and a run stops early once the smoothed
    /// batch objective has not improved for 10 steps. The final labels come from one full
    /// assignment to the final centroids. At least 1 when set.
    pub fn batch_size(&self) -> Option<usize> {
        self.batch_size
    }

    /// The assignment algorithm. Default [`KMeansAlgorithm::Yinyang`].
    pub fn algorithm(&self) -> KMeansAlgorithm {
        self.algorithm
    }

    /// The number of clusters `k`: at least 1, at most 2³² (labels are `u32`), and when
    /// fitting at most the number of rows.
    /// No default: [`KMeans::params`] takes it.
    pub fn n_clusters(&self) -> usize {
        self.n_clusters
    }

    /// Seed of the k-means++ initialisation; the same seed gives the same model at any
    /// thread count. Default 42.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Number of runs from different initialisations, at least 1; the run with the lowest
    /// objective wins (ties: the first run). Run `r` draws from the seed's generator
    /// jumped `r` times, so run 0 is the single run of `n_init = 1`, and a larger `n_init`
    /// never gives a worse objective for the same seed. Runs execute in parallel.
    ///
    /// Default 1, as scikit-learn's `n_init="auto"` with k-means++: each run costs a full
    /// fit, and greedy k-means++ already starts close to a good optimum. Raise it (3 to 10)
    /// when themes must be stable across seeds and the corpus is small enough to pay for it.
    pub fn n_init(&self) -> usize {
        self.n_init
    }

    /// Maximum number of Lloyd iterations (an update of the centroids then a reassignment
    /// of the rows) per run, at least 1. Default 100.
    pub fn max_iter(&self) -> usize {
        self.max_iter
    }

    /// Relative tolerance on the objective, finite and non-negative: a run stops when an
    /// iteration lowers the objective by at most `tol ×` its previous value (or moves no
    /// row). `0` stops only when the objective no longer decreases. Default `1e-4`.
    pub fn tol(&self) -> f64 {
        self.tol
    }

    /// Threads, `None` for the default (see [`thematic_core::with_threads`]); `Some(0)` is
    /// invalid. The result does not depend on it. Default `None`.
    pub fn threads(&self) -> Option<usize> {
        self.threads
    }
}

/// Unchecked k-means parameters: consuming setters, validated by
/// [`ParamGuard::check`] or when fitting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "ParamsRepr", into = "ParamsRepr")]
#[must_use]
pub struct KMeansParams(pub(crate) KMeansValidParams);

impl KMeansParams {
    /// See [`KMeansValidParams::n_clusters`].
    pub fn n_clusters(mut self, n_clusters: usize) -> Self {
        self.0.n_clusters = n_clusters;
        self
    }

    /// See [`KMeansValidParams::seed`].
    pub fn seed(mut self, seed: u64) -> Self {
        self.0.seed = seed;
        self
    }

    /// See [`KMeansValidParams::n_init`].
    pub fn n_init(mut self, n_init: usize) -> Self {
        self.0.n_init = n_init;
        self
    }

    /// See [`KMeansValidParams::max_iter`].
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.0.max_iter = max_iter;
        self
    }

    /// See [`KMeansValidParams::tol`].
    pub fn tol(mut self, tol: f64) -> Self {
        self.0.tol = tol;
        self
    }

    /// See [`KMeansValidParams::threads`].
    pub fn threads(mut self, threads: Option<usize>) -> Self {
        self.0.threads = threads;
        self
    }

    /// See [`KMeansValidParams::algorithm`].
    pub fn algorithm(mut self, algorithm: KMeansAlgorithm) -> Self {
        self.0.algorithm = algorithm;
        self
    }

    /// See [`KMeansValidParams::batch_size`].
    pub fn batch_size(mut self, batch_size: Option<usize>) -> Self {
        self.0.batch_size = batch_size;
        self
    }

    /// See [`KMeansValidParams::init`].
    pub fn init(mut self, init: KMeansInit) -> Self {
        self.0.init = init;
        self
    }

    /// See [`KMeansValidParams::metric`].
    pub fn metric(mut self, metric: KMeansMetric) -> Self {
        self.0.metric = metric;
        self
    }
}

impl ParamGuard for KMeansParams {
    type Checked = KMeansValidParams;
    type Error = KMeansParamsError;

    fn check_ref(&self) -> Result<&KMeansValidParams, KMeansParamsError> {
        let p = &self.0;
        // Labels are u32, so cluster indices must fit one.
        if p.n_clusters == 0 || p.n_clusters - 1 > u32::MAX as usize {
            return Err(KMeansParamsError::NClusters(p.n_clusters));
        }
        if p.n_init == 0 {
            return Err(KMeansParamsError::NInit);
        }
        if p.max_iter == 0 {
            return Err(KMeansParamsError::MaxIter);
        }
        if !(p.tol.is_finite() && p.tol >= 0.0) {
            return Err(KMeansParamsError::Tol(p.tol));
        }
        if p.threads == Some(0) {
            return Err(KMeansParamsError::Threads);
        }
        if p.batch_size == Some(0) {
            return Err(KMeansParamsError::BatchSize);
        }
        Ok(p)
    }

    fn check(self) -> Result<KMeansValidParams, KMeansParamsError> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// The serialised form of both parameter types. Deserialising [`KMeansValidParams`]
/// validates, so a checked value cannot be forged from a file.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamsRepr {
    n_clusters: usize,
    seed: u64,
    n_init: usize,
    max_iter: usize,
    tol: f64,
    #[serde(default)]
    threads: Option<usize>,
    #[serde(default)]
    algorithm: KMeansAlgorithm,
    #[serde(default)]
    batch_size: Option<usize>,
    #[serde(default)]
    init: KMeansInit,
    // Absent from parameters saved before the metric existed: those were cosine.
    #[serde(default)]
    metric: KMeansMetric,
}

impl From<ParamsRepr> for KMeansParams {
    fn from(r: ParamsRepr) -> Self {
        let ParamsRepr {
            n_clusters,
            seed,
            n_init,
            max_iter,
            tol,
            threads,
            algorithm,
            batch_size,
            init,
            metric,
        } = r;
        KMeansParams(KMeansValidParams {
            n_clusters,
            seed,
            n_init,
            max_iter,
            tol,
            threads,
            algorithm,
            batch_size,
            init,
            metric,
        })
    }
}

impl TryFrom<ParamsRepr> for KMeansValidParams {
    type Error = KMeansParamsError;
    fn try_from(r: ParamsRepr) -> Result<Self, KMeansParamsError> {
        KMeansParams::from(r).check()
    }
}

impl From<KMeansValidParams> for ParamsRepr {
    fn from(p: KMeansValidParams) -> Self {
        let KMeansValidParams {
            n_clusters,
            seed,
            n_init,
            max_iter,
            tol,
            threads,
            algorithm,
            batch_size,
            init,
            metric,
        } = p;
        ParamsRepr {
            n_clusters,
            seed,
            n_init,
            max_iter,
            tol,
            threads,
            algorithm,
            batch_size,
            init,
            metric,
        }
    }
}

impl From<KMeansParams> for ParamsRepr {
    fn from(p: KMeansParams) -> Self {
        p.0.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let p = KMeans::params(5).check().unwrap();
        assert_eq!(p.n_clusters(), 5);
        assert_eq!(p.seed(), 42);
        assert_eq!(p.n_init(), 1);
        assert_eq!(p.max_iter(), 100);
        assert_eq!(p.tol(), 1e-4);
        assert_eq!(p.threads(), None);
        assert_eq!(p.metric(), KMeansMetric::Cosine);
    }

    #[test]
    fn metric_names_parse_and_print() {
        assert_eq!("cosine".parse(), Ok(KMeansMetric::Cosine));
        assert_eq!(" Euclidean ".parse(), Ok(KMeansMetric::Euclidean));
        assert_eq!(
            "manhattan".parse::<KMeansMetric>(),
            Err(KMeansParamsError::Metric("manhattan".into()))
        );
        for m in [KMeansMetric::Cosine, KMeansMetric::Euclidean] {
            assert_eq!(m.to_string().parse(), Ok(m));
            assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{m}\""));
        }
        let p = KMeans::params(2).metric(KMeansMetric::Euclidean).check().unwrap();
        assert_eq!(p.metric(), KMeansMetric::Euclidean);
    }

    #[test]
    fn params_saved_without_a_metric_are_cosine() {
        let json = r#"{"n_clusters":3,"seed":1,"n_init":1,"max_iter":10,"tol":0.0}"#;
        let p: KMeansValidParams = serde_json::from_str(json).unwrap();
        assert_eq!(p.metric(), KMeansMetric::Cosine);
        let e = KMeans::params(3).metric(KMeansMetric::Euclidean).check().unwrap();
        let back: KMeansValidParams =
            serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn setters() {
        let p = KMeans::params(5)
            .n_clusters(3)
            .seed(1)
            .n_init(4)
            .max_iter(7)
            .tol(0.0)
            .threads(Some(2))
            .check()
            .unwrap();
        assert_eq!(
            (p.n_clusters(), p.seed(), p.n_init(), p.max_iter(), p.tol(), p.threads()),
            (3, 1, 4, 7, 0.0, Some(2))
        );
    }

    #[test]
    fn n_clusters_zero_is_rejected() {
        assert!(matches!(KMeans::params(0).check(), Err(KMeansParamsError::NClusters(0))));
    }

    #[test]
    fn n_init_zero_is_rejected() {
        assert!(matches!(KMeans::params(2).n_init(0).check(), Err(KMeansParamsError::NInit)));
    }

    #[test]
    fn max_iter_zero_is_rejected() {
        assert!(matches!(KMeans::params(2).max_iter(0).check(), Err(KMeansParamsError::MaxIter)));
    }

    #[test]
    fn tol_negative_or_not_finite_is_rejected() {
        for tol in [-1e-9, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let r = KMeans::params(2).tol(tol).check();
            assert!(matches!(r, Err(KMeansParamsError::Tol(_))), "accepted tol {tol}");
        }
        assert_eq!(KMeans::params(2).tol(-0.5).check(), Err(KMeansParamsError::Tol(-0.5)));
    }

    #[test]
    fn algorithm_names_parse() {
        assert_eq!("Lloyd".parse(), Ok(KMeansAlgorithm::Lloyd));
        assert_eq!("hamerly".parse(), Ok(KMeansAlgorithm::Hamerly));
        assert_eq!("yinyang".parse(), Ok(KMeansAlgorithm::Yinyang));
        assert_eq!(
            "elkan".parse::<KMeansAlgorithm>(),
            Err(KMeansParamsError::Algorithm("elkan".into()))
        );
        let p = KMeans::params(2).algorithm(KMeansAlgorithm::Lloyd).check().unwrap();
        assert_eq!(p.algorithm(), KMeansAlgorithm::Lloyd);
    }

    #[test]
    fn batch_size_zero_is_rejected() {
        let r = KMeans::params(2).batch_size(Some(0)).check();
        assert!(matches!(r, Err(KMeansParamsError::BatchSize)));
        assert!(KMeans::params(2).batch_size(Some(1)).check().is_ok());
    }

    #[test]
    fn threads_zero_is_rejected() {
        assert!(matches!(
            KMeans::params(2).threads(Some(0)).check(),
            Err(KMeansParamsError::Threads)
        ));
    }

    #[test]
    fn check_ref_borrows_the_same_values() {
        let p = KMeans::params(3).seed(9);
        assert_eq!(p.check_ref().unwrap(), &p.clone().check().unwrap());
    }

    #[test]
    fn messages_name_the_parameter_and_value() {
        let msg = KMeans::params(2).tol(-2.0).check().unwrap_err().to_string();
        assert_eq!(msg, "invalid tol -2: the tolerance must be finite and non-negative");
        let msg = KMeans::params(0).check().unwrap_err().to_string();
        assert!(msg.starts_with("invalid n_clusters 0"), "{msg}");
    }

    #[test]
    fn autotraits() {
        fn has_autotraits<T: Send + Sync + Sized + Unpin>() {}
        has_autotraits::<KMeans>();
        has_autotraits::<KMeansParams>();
        has_autotraits::<KMeansValidParams>();
        has_autotraits::<KMeansParamsError>();
    }
}
