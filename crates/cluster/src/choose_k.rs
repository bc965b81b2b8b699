/*!
Choosing the number of clusters `k`: score a range of `k` and recommend one.

[`ChooseK::params`] takes the range `k_min..=k_max`; consuming setters set the grid of `k`
tried, the number of seeds per `k`, the seed, the silhouette sample and the k-means
parameters of every fit. [`fit`](ChooseKParams::fit) runs spherical k-means at every `k` of
the grid with several seeds and returns a [`KSelection`]: one [`KScore`] per `k` (objective,
cosine silhouette, Calinski–Harabasz, Davies–Bouldin, stability across seeds, smallest and
largest cluster share) and a recommended `k` with the rule that chose it.

# The recommendation rule

Among the `k` whose **stability** is at least `stability_ratio` (default 0.8) times the
highest stability of the grid, recommend the `k` of highest **silhouette**; ties go to the
smaller `k`.

- The k-means objective (Σ 1 − cos) is no guide on its own: it falls as `k` grows whatever
  the data, down to 0 at one cluster per row, and the "elbow" of that curve is rarely sharp
  on text. It is reported, not used.
- The silhouette compares each row's distance to its own cluster with its distance to the
  nearest other one, so it penalises both merging distinct groups (large own distance) and
  splitting a group (a near neighbour cluster): it peaks where clusters are both tight and
  apart, and is the usual internal criterion for choosing `k`.
- Stability guards against a `k` whose clusters are an accident of the initialisation: if
  different seeds cut the data differently (low adjusted Rand index between their
  labelings), the themes an analyst reads would change with the seed, however good the
  silhouette of one run. The threshold is relative to the best stability of the grid, so the
  rule always has a candidate, and it adapts to corpora where no `k` is very stable (free
  text rarely reaches the ARI of well-separated blobs).

Calinski–Harabasz and Davies–Bouldin are reported for the analyst but do not vote: both use
Euclidean geometry, and CH in particular tends to favour small `k` on sparse text.

# Determinism

Seed `i` of every `k` is `seed + i` (wrapping), so seed 0 is `seed` itself; the silhouette
sample is drawn with `seed` and is the same rows for every `k` of the grid (so differences
between `k` are not differences of sample). k-means and the metrics reduce in a fixed order,
so the whole selection is identical at any number of threads.

```
use thematic_cluster::ChooseK;
use thematic_core::CsrMatrix;

// Twelve unit rows in three groups, each group about its own pair of terms.
let (mut indptr, mut indices, mut data) = (vec![0], Vec::new(), Vec::new());
for i in 0..12u32 {
    let g = i % 3;
    let w = 0.5 + 0.1 * (i / 3) as f32;
    indices.extend([2 * g, 2 * g + 1]);
    let norm = (w * w + 1.0f32).sqrt();
    data.extend([w / norm, 1.0 / norm]);
    indptr.push(indices.len());
}
let x = CsrMatrix::new(6, indptr, indices, data)?;
let selection = ChooseK::params(2, 5).seeds(2).fit(&x)?;
assert_eq!(selection.rows.len(), 4); // k = 2, 3, 4, 5
assert_eq!(selection.recommended, 3);
assert!((selection.score(3).unwrap().stability - 1.0).abs() < 1e-12);
# Ok::<(), Box<dyn std::error::Error>>(())
```
*/

use serde::{Deserialize, Serialize};
use thematic_core::{CsrMatrix, ParamGuard, with_threads};
use thiserror::Error;

use crate::kmeans::{KMeans, KMeansError, KMeansModel, KMeansParams, KMeansParamsError};
use crate::metrics::{self, MetricsError};

/// Widest range (`k_max − k_min`) whose default grid is every `k`.
const DENSE_WIDTH: usize = 20;
/// Points of the default geometric grid of wider ranges (before rounding merges any).
const GEOMETRIC_POINTS: usize = 21;

/// Entry point of the choice of `k`: [`ChooseK::params`] gives the parameters, whose
/// [`fit`](ChooseKParams::fit) gives a [`KSelection`].
#[derive(Debug, Clone, Copy)]
pub struct ChooseK;

impl ChooseK {
    /// Parameters to choose `k` in `k_min..=k_max`, the others at their defaults (see
    /// [`ChooseKValidParams`]).
    pub fn params(k_min: usize, k_max: usize) -> ChooseKParams {
        ChooseKParams(ChooseKValidParams {
            k_min,
            k_max,
            step: None,
            seeds: 3,
            seed: 42,
            silhouette_sample: Some(2000),
            stability_ratio: 0.8,
            kmeans: KMeans::params(k_min.max(1)),
        })
    }
}

/// Validated parameters of the choice of `k`.
///
/// Only [`ParamGuard::check`] (or fitting [`ChooseKParams`]) makes one, so every value here
/// obeys the rule stated on its getter.
#[derive(Debug, Clone, PartialEq)]
pub struct ChooseKValidParams {
    k_min: usize,
    k_max: usize,
    step: Option<usize>,
    seeds: usize,
    seed: u64,
    silhouette_sample: Option<usize>,
    stability_ratio: f64,
    kmeans: KMeansParams,
}

impl ChooseKValidParams {
    /// Smallest `k` tried, at least 2 (the silhouette and the other internal metrics need two
    /// clusters). No default: [`ChooseK::params`] takes it.
    pub fn k_min(&self) -> usize {
        self.k_min
    }

    /// Largest `k` tried, at least `k_min`; fitting needs more non-empty rows than `k_max`.
    /// No default: [`ChooseK::params`] takes it.
    pub fn k_max(&self) -> usize {
        self.k_max
    }

    /// Spacing of the grid of `k`, at least 1 when given: `k_min, k_min + step, …`, plus
    /// `k_max` if the steps miss it.
    ///
    /// Default `None`: every `k` when `k_max − k_min ≤ 20`; otherwise 21 geometrically
    /// spaced values from `k_min` to `k_max` (rounded, duplicates merged), i.e. a constant
    /// ratio of about `(k_max / k_min)^(1/20)` between neighbours. A geometric grid spends
    /// the fits where they matter: going from 4 to 5 themes changes an analysis far more than
    /// going from 54 to 55. See [`grid`](Self::grid).
    pub fn step(&self) -> Option<usize> {
        self.step
    }

    /// k-means runs per `k`, each from its own seed, at least 1. The best objective of them
    /// gives the reported scores, and the agreement of their labelings the stability.
    /// Default 3.
    pub fn seeds(&self) -> usize {
        self.seeds
    }

    /// Base seed: seed `i` of every `k` is `seed + i` (wrapping), and the silhouette sample
    /// is drawn with `seed`. Default 42.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Rows sampled for the silhouette (the same rows for every `k`), more than `k_max` when
    /// given; `None` uses every row. Default `Some(2000)`.
    pub fn silhouette_sample(&self) -> Option<usize> {
        self.silhouette_sample
    }

    /// Fraction of the best stability of the grid that a `k` needs to be recommended, in
    /// `(0, 1]` (see the [module docs](self)). Default 0.8.
    pub fn stability_ratio(&self) -> f64 {
        self.stability_ratio
    }

    /// Template of every k-means fit: its `n_init`, `max_iter`, `tol`, `threads` and
    /// `algorithm` are used, its `n_clusters` and `seed` replaced by each `k` and seed. Its
    /// `threads` also bound the metrics. Default [`KMeans::params`]'s defaults.
    pub fn kmeans(&self) -> &KMeansParams {
        &self.kmeans
    }

    /// The values of `k` tried, ascending, from `k_min` to `k_max` inclusive (see
    /// [`step`](Self::step)).
    pub fn grid(&self) -> Vec<usize> {
        let (lo, hi) = (self.k_min, self.k_max);
        match self.step {
            Some(step) => {
                let mut ks: Vec<usize> = (lo..=hi).step_by(step).collect();
                if ks.last() != Some(&hi) {
                    ks.push(hi);
                }
                ks
            }
            None if hi - lo <= DENSE_WIDTH => (lo..=hi).collect(),
            None => {
                let ratio = hi as f64 / lo as f64;
                let last = (GEOMETRIC_POINTS - 1) as f64;
                let mut ks: Vec<usize> = (0..GEOMETRIC_POINTS)
                    .map(|i| {
                        let k = (lo as f64 * ratio.powf(i as f64 / last)).round() as usize;
                        k.clamp(lo, hi)
                    })
                    .collect();
                // Rounding can land the last point a hair off k_max; the ends are exact.
                ks[0] = lo;
                ks[GEOMETRIC_POINTS - 1] = hi;
                ks.dedup();
                ks
            }
        }
    }

    /// Scores every `k` of the [`grid`](Self::grid) on the rows of `x` and recommends one.
    ///
    /// Empty rows (no non-zero value) are left out: they have no direction to cluster by.
    /// Rows need not be normalised (k-means and the silhouette use directions), but
    /// Calinski–Harabasz and Davies–Bouldin use the rows as given, so unit rows (TF-IDF)
    /// make them comparable across corpora.
    ///
    /// Cost: `grid().len() × seeds` k-means fits (each of `n_init` runs), plus per `k` one
    /// silhouette on the sample, one Calinski–Harabasz and one Davies–Bouldin on every row,
    /// and `seeds × (seeds − 1) / 2` adjusted Rand indices.
    ///
    /// # Errors
    /// [`ChooseKError::TooFewRows`] unless `x` has more non-empty rows than `k_max`;
    /// [`ChooseKError::KMeans`] if a fit fails (e.g. a non-finite value);
    /// [`ChooseKError::Metrics`] if a metric cannot score a clustering (e.g. duplicated rows
    /// left k-means with a single non-empty cluster).
    pub fn fit(&self, x: &CsrMatrix<f32>) -> Result<KSelection> {
        let usable: Vec<usize> =
            (0..x.n_rows()).filter(|&i| x.row(i).values.iter().any(|&v| v != 0.0)).collect();
        if usable.len() <= self.k_max {
            return Err(ChooseKError::TooFewRows { rows: usable.len(), k_max: self.k_max });
        }
        let selected;
        let x = if usable.len() == x.n_rows() {
            x
        } else {
            selected = x.select_rows(&usable);
            &selected
        };
        let threads = self.kmeans.check_ref().map_err(ChooseKParamsError::KMeans)?.threads();
        // The metrics run on the current rayon pool; k-means builds its own of the same size.
        let rows = with_threads(threads, || {
            self.grid().into_iter().map(|k| self.score(x, k)).collect::<Result<Vec<_>>>()
        })
        .map_err(KMeansError::from)??;
        Ok(self.recommend(rows))
    }

    /// Fits `seeds` runs at `k` and scores them.
    fn score(&self, x: &CsrMatrix<f32>, k: usize) -> Result<KScore> {
        // Only what the scores need is kept of each model: centroids can be large.
        let runs: Vec<Run> = (0..self.seeds)
            .map(|i| {
                let seed = self.seed.wrapping_add(i as u64);
                let model = self.kmeans.clone().n_clusters(k).seed(seed).fit(x)?;
                Ok(Run::new(seed, model))
            })
            .collect::<Result<_>>()?;
        // The lowest objective; ties go to the first seed.
        let best = runs.iter().reduce(|b, r| if r.objective < b.objective { r } else { b });
        let best = best.ok_or(ChooseKParamsError::Seeds)?;
        let labels = &best.labels[..];
        let metric = |source| ChooseKError::Metrics { k, source };
        let silhouette = metrics::silhouette_cosine(x, labels, self.silhouette_sample, self.seed)
            .map_err(metric)?;
        let calinski_harabasz = metrics::calinski_harabasz(x, labels).map_err(metric)?;
        let davies_bouldin = metrics::davies_bouldin(x, labels).map_err(metric)?;

        // Mean ARI over the pairs of seeds, in a fixed order. With a single seed there is no
        // pair to disagree: stability is 1 by convention, and the rule reduces to the
        // silhouette alone.
        let mut sum = 0.0;
        let mut pairs = 0usize;
        for (i, a) in runs.iter().enumerate() {
            for b in &runs[i + 1..] {
                sum += metrics::adjusted_rand_index(&a.labels, &b.labels).map_err(metric)?;
                pairs += 1;
            }
        }
        let stability = if pairs == 0 { 1.0 } else { sum / pairs as f64 };

        let n = x.n_rows() as f64;
        let share = |s: Option<&usize>| s.map_or(0.0, |&s| s as f64 / n);
        let sizes = &best.sizes;
        Ok(KScore {
            k,
            objective: best.objective,
            silhouette,
            calinski_harabasz,
            davies_bouldin,
            stability,
            min_share: share(sizes.iter().min()),
            max_share: share(sizes.iter().max()),
            best_seed: best.seed,
            stable: false,
        })
    }

    /// Applies the rule of the [module docs](self) to the scored grid.
    fn recommend(&self, mut rows: Vec<KScore>) -> KSelection {
        let best_stability = rows.iter().map(|r| r.stability).fold(f64::NEG_INFINITY, f64::max);
        // A ratio of a negative best would exclude the best itself; then only the best passes.
        let threshold = if best_stability > 0.0 {
            self.stability_ratio * best_stability
        } else {
            best_stability
        };
        let mut best: Option<&KScore> = None;
        for row in &mut rows {
            row.stable = row.stability >= threshold;
        }
        for row in rows.iter().filter(|r| r.stable) {
            // Ascending k and a strict comparison: ties go to the smaller k.
            if best.is_none_or(|b| row.silhouette > b.silhouette) {
                best = Some(row);
            }
        }
        // The best-stability row always passes, so `best` is set; the grid is never empty.
        let recommended = best.map_or(rows[0].k, |b| b.k);
        let rule = format!(
            "highest silhouette among k whose stability (mean adjusted Rand index between the \
             labelings of {} seeds) is at least {} x the best stability {:.3}, i.e. >= {:.3}; \
             ties to the smaller k",
            self.seeds, self.stability_ratio, best_stability, threshold
        );
        KSelection {
            rows,
            recommended,
            rule,
            stability_threshold: threshold,
            seeds: self.seeds,
            silhouette_sample: self.silhouette_sample,
        }
    }
}

/// What the scores of one `k` need of one seed's model.
struct Run {
    seed: u64,
    objective: f64,
    labels: Vec<u32>,
    sizes: Vec<usize>,
}

impl Run {
    fn new(seed: u64, model: KMeansModel) -> Self {
        Run {
            seed,
            objective: model.objective(),
            sizes: model.cluster_sizes(),
            labels: model.labels().to_vec(),
        }
    }
}

/// Unchecked parameters of the choice of `k`: consuming setters, validated by
/// [`ParamGuard::check`] or when fitting.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct ChooseKParams(ChooseKValidParams);

impl ChooseKParams {
    /// See [`ChooseKValidParams::k_min`].
    pub fn k_min(mut self, k_min: usize) -> Self {
        self.0.k_min = k_min;
        self
    }

    /// See [`ChooseKValidParams::k_max`].
    pub fn k_max(mut self, k_max: usize) -> Self {
        self.0.k_max = k_max;
        self
    }

    /// See [`ChooseKValidParams::step`]; `None` for the default grid.
    pub fn step(mut self, step: Option<usize>) -> Self {
        self.0.step = step;
        self
    }

    /// See [`ChooseKValidParams::seeds`].
    pub fn seeds(mut self, seeds: usize) -> Self {
        self.0.seeds = seeds;
        self
    }

    /// See [`ChooseKValidParams::seed`].
    pub fn seed(mut self, seed: u64) -> Self {
        self.0.seed = seed;
        self
    }

    /// See [`ChooseKValidParams::silhouette_sample`].
    pub fn silhouette_sample(mut self, sample: Option<usize>) -> Self {
        self.0.silhouette_sample = sample;
        self
    }

    /// See [`ChooseKValidParams::stability_ratio`].
    pub fn stability_ratio(mut self, ratio: f64) -> Self {
        self.0.stability_ratio = ratio;
        self
    }

    /// See [`ChooseKValidParams::kmeans`].
    pub fn kmeans(mut self, kmeans: KMeansParams) -> Self {
        self.0.kmeans = kmeans;
        self
    }

    /// Validates the parameters, then fits as [`ChooseKValidParams::fit`].
    ///
    /// # Errors
    /// [`ChooseKError::InvalidParams`] if a parameter breaks its rule, else as
    /// [`ChooseKValidParams::fit`].
    pub fn fit(&self, x: &CsrMatrix<f32>) -> Result<KSelection> {
        self.check_ref()?.fit(x)
    }
}

impl ParamGuard for ChooseKParams {
    type Checked = ChooseKValidParams;
    type Error = ChooseKParamsError;

    fn check_ref(&self) -> std::result::Result<&ChooseKValidParams, ChooseKParamsError> {
        let p = &self.0;
        if p.k_min < 2 {
            return Err(ChooseKParamsError::KMin(p.k_min));
        }
        if p.k_max < p.k_min {
            return Err(ChooseKParamsError::KRange { k_min: p.k_min, k_max: p.k_max });
        }
        if p.step == Some(0) {
            return Err(ChooseKParamsError::Step);
        }
        if p.seeds == 0 {
            return Err(ChooseKParamsError::Seeds);
        }
        if let Some(sample) = p.silhouette_sample.filter(|&s| s <= p.k_max) {
            return Err(ChooseKParamsError::SilhouetteSample { sample, k_max: p.k_max });
        }
        if !(p.stability_ratio > 0.0 && p.stability_ratio <= 1.0) {
            return Err(ChooseKParamsError::StabilityRatio(p.stability_ratio));
        }
        // The template's own rules, at the largest k (which also bounds k by u32 labels).
        p.kmeans.clone().n_clusters(p.k_max).check().map_err(ChooseKParamsError::KMeans)?;
        Ok(p)
    }

    fn check(self) -> std::result::Result<ChooseKValidParams, ChooseKParamsError> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// The scores of one `k`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KScore {
    /// The number of clusters.
    pub k: usize,
    /// k-means objective Σ (1 − cos) of the best seed: it always falls as `k` grows.
    pub objective: f64,
    /// Mean cosine silhouette of the best seed's labels, on the sample; in `[−1, 1]`, higher
    /// is better.
    pub silhouette: f64,
    /// Calinski–Harabasz index of the best seed's labels; higher is better.
    pub calinski_harabasz: f64,
    /// Davies–Bouldin index of the best seed's labels; lower is better.
    pub davies_bouldin: f64,
    /// Mean adjusted Rand index between the labelings of every pair of seeds: 1 when every
    /// seed finds the same clusters, about 0 when they agree no more than chance; 1 by
    /// convention with a single seed.
    pub stability: f64,
    /// Share of the rows in the best seed's smallest cluster.
    pub min_share: f64,
    /// Share of the rows in the best seed's largest cluster.
    pub max_share: f64,
    /// The seed of the lowest objective (ties: the first seed): k-means with this `k` and
    /// seed, and the same template, reproduces the scored clustering.
    pub best_seed: u64,
    /// Whether the stability reaches the rule's threshold, i.e. `k` could be recommended.
    pub stable: bool,
}

/// The outcome of [`ChooseKParams::fit`]: the scores of each `k` and the recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KSelection {
    /// One row per `k` of the grid, ascending.
    pub rows: Vec<KScore>,
    /// The recommended `k`.
    pub recommended: usize,
    /// The rule that recommended it, with its numbers.
    pub rule: String,
    /// The stability a `k` needed to be recommended.
    pub stability_threshold: f64,
    /// Seeds per `k`.
    pub seeds: usize,
    /// Rows sampled for the silhouette (`None`: all).
    pub silhouette_sample: Option<usize>,
}

impl KSelection {
    /// The scores of `k`, if it was on the grid.
    pub fn score(&self, k: usize) -> Option<&KScore> {
        self.rows.iter().find(|r| r.k == k)
    }

    /// The scores of the recommended `k`.
    pub fn recommended_score(&self) -> &KScore {
        // `recommended` is always one of the rows' k.
        self.score(self.recommended).unwrap_or(&self.rows[0])
    }
}

/// One variant per rule of [`ChooseKParams`] validation.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ChooseKParamsError {
    /// `k_min` is below 2.
    #[error("invalid k_min {0}: try at least 2 clusters (the metrics compare clusters)")]
    KMin(usize),
    /// `k_max` is below `k_min`.
    #[error("invalid k range {k_min}..={k_max}: k_max must be at least k_min")]
    KRange {
        /// The smallest `k` asked for.
        k_min: usize,
        /// The largest `k` asked for.
        k_max: usize,
    },
    /// `step` is `Some(0)`.
    #[error("invalid step 0: use at least 1, or none for the default grid")]
    Step,
    /// `seeds` is 0.
    #[error("invalid seeds 0: run at least one seed per k")]
    Seeds,
    /// The silhouette sample cannot hold `k_max` clusters.
    #[error(
        "invalid silhouette_sample {sample}: sample more rows than k_max = {k_max}, \
         or none for all rows"
    )]
    SilhouetteSample {
        /// The sample size asked for.
        sample: usize,
        /// The largest `k`.
        k_max: usize,
    },
    /// `stability_ratio` is not in `(0, 1]`.
    #[error("invalid stability_ratio {0}: it must be in (0, 1]")]
    StabilityRatio(f64),
    /// The k-means template breaks one of its own rules.
    #[error("invalid k-means parameters: {0}")]
    KMeans(#[source] KMeansParamsError),
}

/// Errors of the choice of `k`.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ChooseKError {
    /// A parameter failed validation.
    #[error(transparent)]
    InvalidParams(#[from] ChooseKParamsError),
    /// The matrix has no more non-empty rows than `k_max`.
    #[error(
        "only {rows} non-empty rows to choose among up to k_max = {k_max} clusters: \
         lower k_max below {rows}"
    )]
    TooFewRows {
        /// Non-empty rows of the matrix.
        rows: usize,
        /// The largest `k` asked for.
        k_max: usize,
    },
    /// A k-means fit failed.
    #[error(transparent)]
    KMeans(#[from] KMeansError),
    /// A metric could not score the clustering of `k`.
    #[error("scoring k = {k}: {source}")]
    Metrics {
        /// The `k` being scored.
        k: usize,
        /// The metric's error.
        source: MetricsError,
    },
}

/// Result alias of the choice of `k`.
pub type Result<T> = std::result::Result<T, ChooseKError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let p = ChooseK::params(4, 30).check().unwrap();
        assert_eq!((p.k_min(), p.k_max(), p.step(), p.seeds(), p.seed()), (4, 30, None, 3, 42));
        assert_eq!(p.silhouette_sample(), Some(2000));
        assert_eq!(p.stability_ratio(), 0.8);
        assert_eq!(p.kmeans(), &KMeans::params(4));
    }

    #[test]
    fn narrow_ranges_try_every_k() {
        let p = ChooseK::params(2, 22).check().unwrap();
        assert_eq!(p.grid(), (2..=22).collect::<Vec<_>>());
        assert_eq!(ChooseK::params(5, 5).check().unwrap().grid(), vec![5]);
    }

    #[test]
    fn wide_ranges_use_a_geometric_grid() {
        let grid = ChooseK::params(10, 60).check().unwrap().grid();
        assert_eq!((grid[0], *grid.last().unwrap()), (10, 60));
        assert!(grid.len() <= GEOMETRIC_POINTS && grid.len() >= 15, "{grid:?}");
        assert!(grid.windows(2).all(|w| w[0] < w[1]), "{grid:?}");
        // Roughly constant ratio: gaps grow with k.
        assert!(grid[1] - grid[0] <= grid[grid.len() - 1] - grid[grid.len() - 2], "{grid:?}");
        let grid = ChooseK::params(4, 30).check().unwrap().grid();
        assert_eq!(grid, vec![4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 18, 20, 22, 25, 27, 30]);
    }

    #[test]
    fn a_step_keeps_k_max() {
        let p = ChooseK::params(4, 30).step(Some(5)).check().unwrap();
        assert_eq!(p.grid(), vec![4, 9, 14, 19, 24, 29, 30]);
        let p = ChooseK::params(4, 24).step(Some(5)).check().unwrap();
        assert_eq!(p.grid(), vec![4, 9, 14, 19, 24]);
    }

    fn row(k: usize, silhouette: f64, stability: f64) -> KScore {
        KScore {
            k,
            objective: 0.0,
            silhouette,
            calinski_harabasz: 0.0,
            davies_bouldin: 0.0,
            stability,
            min_share: 0.0,
            max_share: 0.0,
            best_seed: 0,
            stable: false,
        }
    }

    #[test]
    fn unstable_k_are_not_recommended_and_ties_go_to_the_smaller_k() {
        let p = ChooseK::params(2, 5).check().unwrap();
        // k = 2 has the best silhouette but is unstable (0.5 < 0.8 × 1.0); 3 and 4 tie.
        let rows = vec![row(2, 0.5, 0.5), row(3, 0.4, 1.0), row(4, 0.4, 0.9), row(5, 0.3, 0.8)];
        let s = p.recommend(rows);
        assert_eq!(s.recommended, 3);
        assert_eq!(s.stability_threshold, 0.8);
        assert_eq!(s.rows.iter().map(|r| r.stable).collect::<Vec<_>>(), [false, true, true, true]);
        assert!(s.rule.contains("0.8 x the best stability 1.000"), "{}", s.rule);
        // A looser ratio lets k = 2 in.
        let p = ChooseK::params(2, 5).stability_ratio(0.5).check().unwrap();
        assert_eq!(p.recommend(s.rows).recommended, 2);
    }

    #[test]
    fn a_negative_best_stability_still_admits_the_most_stable_k() {
        let p = ChooseK::params(2, 4).check().unwrap();
        let s = p.recommend(vec![row(2, 0.1, -0.2), row(3, 0.3, -0.05), row(4, 0.2, -0.1)]);
        assert_eq!(s.recommended, 3);
        assert_eq!(s.stability_threshold, -0.05);
    }

    #[test]
    fn autotraits() {
        fn has_autotraits<T: Send + Sync + Sized + Unpin>() {}
        has_autotraits::<ChooseK>();
        has_autotraits::<ChooseKParams>();
        has_autotraits::<ChooseKValidParams>();
        has_autotraits::<ChooseKParamsError>();
        has_autotraits::<ChooseKError>();
        has_autotraits::<KSelection>();
    }
}
