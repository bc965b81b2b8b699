//! Lloyd iterations of spherical k-means, and the fitted model.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use thematic_core::{CsrMatrix, CsrRow, ParamGuard, with_threads};

use super::errors::{KMeansError, KMeansParamsError, Result};
use super::hyperparams::{KMeansParams, KMeansValidParams};
use super::init::kmeans_plus_plus;

/// Rows per parallel task. Per-chunk sums are added in chunk order, so results do not
/// depend on how rayon spreads the chunks over threads.
pub(crate) const CHUNK: usize = 4096;

/// The matrix being fitted with what every step needs about its rows.
pub(crate) struct Rows<'a> {
    x: &'a CsrMatrix<f32>,
    /// `1 / ‖x_i‖` for each row, 0 for empty rows. Rows are used as directions
    /// `x_i / ‖x_i‖`, so callers need not normalise (TF-IDF rows already are).
    pub(crate) inv_norm: Vec<f64>,
    /// The non-empty rows, ascending.
    pub(crate) nonzero: Vec<usize>,
}

impl<'a> Rows<'a> {
    /// Prepares `x`; runs on the current rayon pool.
    fn new(x: &'a CsrMatrix<f32>) -> Self {
        let inv_norm: Vec<f64> = (0..x.n_rows())
            .into_par_iter()
            .with_min_len(CHUNK)
            .map(|i| inv_norm(x.row(i)))
            .collect();
        let nonzero = (0..x.n_rows()).filter(|&i| inv_norm[i] > 0.0).collect();
        Rows { x, inv_norm, nonzero }
    }

    pub(crate) fn n_rows(&self) -> usize {
        self.x.n_rows()
    }

    pub(crate) fn n_cols(&self) -> usize {
        self.x.n_cols()
    }

    pub(crate) fn row(&self, i: usize) -> CsrRow<'a, f32> {
        self.x.row(i)
    }
}

/// `1 / ‖row‖`, or 0 for a row without a non-zero value. The norm is accumulated in `f64`,
/// where squares of finite `f32` values cannot overflow.
fn inv_norm(row: CsrRow<'_, f32>) -> f64 {
    let squares: f64 = row.values.iter().map(|&v| f64::from(v) * f64::from(v)).sum();
    if squares > 0.0 { 1.0 / squares.sqrt() } else { 0.0 }
}

/// The dot product of a sparse row with a dense vector, over the row's non-zeros in column
/// order, accumulated in `f64` (products of two `f32` are exact in `f64`).
#[inline]
pub(crate) fn sparse_dot(row: CsrRow<'_, f32>, dense: &[f32]) -> f64 {
    row.indices
        .iter()
        .zip(row.values)
        .map(|(&j, &v)| f64::from(v) * f64::from(dense[j as usize]))
        .sum()
}

/// Writes into `out` the unit centroid of the dense sum `sum` and returns `true`, or leaves
/// `out` alone and returns `false` if the sum is zero.
fn write_unit_sum(sum: &[f64], out: &mut [f32]) -> bool {
    let norm = sum.iter().map(|s| s * s).sum::<f64>().sqrt();
    if !(norm > 0.0 && norm.is_finite()) {
        return false;
    }
    for (o, s) in out.iter_mut().zip(sum) {
        *o = (s / norm) as f32;
    }
    true
}

/// Writes into `out` (all of it) the direction of a non-empty row as a centroid. The
/// arithmetic is that of a cluster holding only this row (see `update`), so the two give
/// bit-identical centroids.
pub(crate) fn write_unit_row(row: CsrRow<'_, f32>, inv_norm: f64, out: &mut [f32]) {
    out.fill(0.0);
    let scaled: Vec<f64> = row.values.iter().map(|&v| inv_norm * f64::from(v)).collect();
    let norm = scaled.iter().map(|s| s * s).sum::<f64>().sqrt();
    if norm > 0.0 && norm.is_finite() {
        for (&j, s) in row.indices.iter().zip(&scaled) {
            out[j as usize] = (s / norm) as f32;
        }
    }
}

/// The centroid of highest dot product with `row` (ties: the lowest index) and that dot
/// product. An empty row has dot product 0 with every centroid, so it goes to cluster 0.
fn nearest(row: CsrRow<'_, f32>, centroids: &[f32], n_cols: usize) -> (u32, f64) {
    let mut best = 0u32;
    let mut best_dot = f64::NEG_INFINITY;
    for (c, centroid) in centroids.chunks_exact(n_cols).enumerate() {
        let dot = sparse_dot(row, centroid);
        if dot > best_dot {
            // Parameters and deserialisation keep k within u32 range.
            best = c as u32;
            best_dot = dot;
        }
    }
    (best, best_dot)
}

/// Assignment step: labels each row with its nearest centroid and records its cosine to
/// it. Returns the objective `Σ (1 − cos)` and the number of labels that changed.
fn assign(rows: &Rows<'_>, centroids: &[f32], labels: &mut [u32], cos: &mut [f64]) -> (f64, usize) {
    let n_cols = rows.n_cols();
    let parts: Vec<(f64, usize)> = labels
        .par_chunks_mut(CHUNK)
        .zip(cos.par_chunks_mut(CHUNK))
        .enumerate()
        .map(|(b, (labels, cos))| {
            let (mut objective, mut changed) = (0.0f64, 0usize);
            for (o, (label, cos)) in labels.iter_mut().zip(cos.iter_mut()).enumerate() {
                let i = b * CHUNK + o;
                let (best, dot) = nearest(rows.row(i), centroids, n_cols);
                if *label != best {
                    *label = best;
                    changed += 1;
                }
                *cos = dot * rows.inv_norm[i];
                // Rounding can make a cosine exceed 1 by an ulp; a distance is never negative.
                objective += (1.0 - *cos).max(0.0);
            }
            (objective, changed)
        })
        .collect();
    parts.iter().fold((0.0, 0), |(o, c), &(po, pc)| (o + po, c + pc))
}

/// Update step: each centroid becomes the normalised sum of its members' directions, summed
/// in `f64` in row order (one parallel task per cluster). Returns the clusters whose sum is
/// zero (no member, or only empty rows); their centroid is left as it was.
fn update(rows: &Rows<'_>, labels: &[u32], k: usize, centroids: &mut [f32]) -> Vec<usize> {
    let n_cols = rows.n_cols();
    // Members of each cluster in row order: a counting sort by label.
    let mut start = vec![0usize; k + 1];
    for &l in labels {
        start[l as usize + 1] += 1;
    }
    for c in 0..k {
        start[c + 1] += start[c];
    }
    let mut next = start.clone();
    let mut order = vec![0usize; labels.len()];
    for (i, &l) in labels.iter().enumerate() {
        order[next[l as usize]] = i;
        next[l as usize] += 1;
    }
    let filled: Vec<bool> = centroids
        .par_chunks_mut(n_cols)
        .enumerate()
        .map(|(c, out)| {
            let members = &order[start[c]..start[c + 1]];
            if members.is_empty() {
                return false;
            }
            let mut sum = vec![0.0f64; n_cols];
            for &i in members {
                let w = rows.inv_norm[i];
                if w == 0.0 {
                    continue;
                }
                let row = rows.row(i);
                for (&j, &v) in row.indices.iter().zip(row.values) {
                    sum[j as usize] += w * f64::from(v);
                }
            }
            write_unit_sum(&sum, out)
        })
        .collect();
    filled.iter().enumerate().filter(|&(_, &f)| !f).map(|(c, _)| c).collect()
}

/// Re-seeds the `empty` clusters (ascending) with the non-empty rows of lowest cosine to
/// their centroid in the last assignment (ties: the lowest row), one distinct row each, the
/// farthest row going to the first empty cluster. If there are fewer non-empty rows than
/// empty clusters, the last ones keep their centroid.
///
/// The donor rows are not taken out of their clusters here: the next assignment moves them,
/// as each is then at cosine 1 of its new centroid. The objective cannot rise, as an empty
/// cluster contributes nothing to it.
fn reseed(rows: &Rows<'_>, cos: &[f64], empty: &[usize], centroids: &mut [f32]) {
    let n_cols = rows.n_cols();
    let farthest_first = |a: &usize, b: &usize| cos[*a].total_cmp(&cos[*b]).then(a.cmp(b));
    let mut donors = rows.nonzero.clone();
    let take = empty.len().min(donors.len());
    if take < donors.len() {
        donors.select_nth_unstable_by(take, farthest_first);
        donors.truncate(take);
    }
    donors.sort_unstable_by(farthest_first);
    for (&c, &i) in empty.iter().zip(&donors) {
        write_unit_row(rows.row(i), rows.inv_norm[i], &mut centroids[c * n_cols..(c + 1) * n_cols]);
    }
}

/// The outcome of one run (one initialisation and its Lloyd iterations).
struct Run {
    centroids: Vec<f32>,
    labels: Vec<u32>,
    objective: f64,
    n_iter: usize,
    converged: bool,
    history: Vec<f64>,
}

/// One run: k-means++ seeding, an assignment, then up to `max_iter` iterations of update
/// and assignment. The labels and objective always belong to the final centroids.
fn run(rows: &Rows<'_>, p: &KMeansValidParams, rng: &mut Xoshiro256Plus) -> Run {
    let k = p.n_clusters();
    let mut centroids = kmeans_plus_plus(rows, k, rng);
    let mut labels = vec![u32::MAX; rows.n_rows()];
    let mut cos = vec![0.0f64; rows.n_rows()];
    let (mut objective, _) = assign(rows, &centroids, &mut labels, &mut cos);
    let mut history = Vec::new();
    let mut converged = false;
    let mut n_iter = 0;
    for iter in 1..=p.max_iter() {
        let empty = update(rows, &labels, k, &mut centroids);
        if !empty.is_empty() {
            reseed(rows, &cos, &empty, &mut centroids);
        }
        let previous = objective;
        let changed;
        (objective, changed) = assign(rows, &centroids, &mut labels, &mut cos);
        history.push(objective);
        n_iter = iter;
        // `<=` so that a tolerance of 0 stops once the objective no longer decreases, and a
        // perfect fit (objective 0) stops at once.
        if changed == 0 || previous - objective <= p.tol() * previous {
            converged = true;
            break;
        }
    }
    Run { centroids, labels, objective, n_iter, converged, history }
}

/// The first non-finite value of `x`, as an error.
fn check_finite(x: &CsrMatrix<f32>) -> Result<()> {
    match x.data().iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(p) => {
            let row = x.indptr().partition_point(|&s| s <= p) - 1;
            Err(KMeansError::NonFinite { row, column: x.indices()[p], value: x.data()[p] })
        }
    }
}

impl KMeansValidParams {
    /// Fits spherical k-means to the rows of `x` (see [`KMeansModel`] for what is computed).
    ///
    /// # Errors
    /// [`KMeansError::TooFewRows`] if `x` has fewer rows than `n_clusters`;
    /// [`KMeansError::NonFinite`] if it holds a NaN or infinity;
    /// [`KMeansError::AllRowsEmpty`] if no row has a non-zero value;
    /// [`KMeansError::Core`] if the thread pool cannot be built.
    pub fn fit(&self, x: &CsrMatrix<f32>) -> Result<KMeansModel> {
        let (n_rows, n_clusters) = (x.n_rows(), self.n_clusters());
        if n_rows < n_clusters {
            return Err(KMeansError::TooFewRows { n_rows, n_clusters });
        }
        check_finite(x)?;
        if x.data().iter().all(|&v| v == 0.0) {
            return Err(KMeansError::AllRowsEmpty { n_rows });
        }
        let best = with_threads(self.threads(), || {
            let rows = Rows::new(x);
            let base = Xoshiro256Plus::seed_from_u64(self.seed());
            let runs: Vec<Run> = (0..self.n_init())
                .into_par_iter()
                .map(|r| {
                    // Run r draws from a stream 2^128 draws past run r - 1's: independent,
                    // and run 0 is exactly the run of n_init = 1.
                    let mut rng = base.clone();
                    for _ in 0..r {
                        rng.jump();
                    }
                    run(&rows, self, &mut rng)
                })
                .collect();
            // The lowest objective; ties go to the first run.
            runs.into_iter().reduce(|best, r| if r.objective < best.objective { r } else { best })
        })?;
        // No run at all only if n_init were 0, which validation rules out.
        let best = best.ok_or(KMeansParamsError::NInit)?;
        Ok(KMeansModel {
            n_clusters,
            n_features: x.n_cols(),
            centroids: best.centroids,
            labels: best.labels,
            objective: best.objective,
            n_iter: best.n_iter,
            converged: best.converged,
            inertia_history: best.history,
        })
    }
}

impl KMeansParams {
    /// Validates the parameters, then fits as [`KMeansValidParams::fit`].
    ///
    /// # Errors
    /// [`KMeansError::InvalidParams`] if a parameter breaks its rule, else as
    /// [`KMeansValidParams::fit`].
    pub fn fit(&self, x: &CsrMatrix<f32>) -> Result<KMeansModel> {
        self.check_ref()?.fit(x)
    }
}

/// A fitted spherical k-means model: `k` unit centroids and the label of each fitted row.
///
/// Spherical k-means clusters rows by direction (cosine similarity), the usual measure for
/// TF-IDF vectors. Each row `x` is used as its direction `x / ‖x‖` (TF-IDF rows already
/// have unit norm). The fit alternates two steps until it converges:
///
/// - **assignment**: each row goes to the centroid of highest dot product (cosine), ties to
///   the lowest cluster;
/// - **update**: each centroid becomes the sum of its rows, normalised to unit length
///   (which maximises the sum of their cosines to it).
///
/// It minimises the **objective** `Σ_i (1 − cos(x_i, c_{label_i}))`, the sum of cosine
/// distances, which no iteration increases (up to rounding). Empty rows (no non-zero value)
/// are allowed: they are labelled 0, have cosine 0, add 1 each to the objective and move no
/// centroid; callers normally filter them out first.
///
/// A cluster left without members after an update is re-seeded with the row farthest from
/// its centroid. A cluster can still end empty (its centroid duplicating another's) when
/// the rows have fewer distinct directions than `n_clusters`, e.g. with duplicated rows;
/// [`cluster_sizes`](Self::cluster_sizes) shows it.
///
/// The labels belong to the final centroids: [`predict`](Self::predict) on the fitted
/// matrix returns [`labels`](Self::labels). Deserialisation checks the model's invariants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ModelRepr")]
pub struct KMeansModel {
    n_clusters: usize,
    n_features: usize,
    centroids: Vec<f32>,
    labels: Vec<u32>,
    objective: f64,
    n_iter: usize,
    converged: bool,
    inertia_history: Vec<f64>,
}

impl KMeansModel {
    /// The centroids, dense and row-major: `n_clusters × n_features` values, each row of
    /// unit norm.
    pub fn centroids(&self) -> &[f32] {
        &self.centroids
    }

    /// Centroid `c`, `n_features` values of unit norm.
    ///
    /// # Panics
    /// If `c >= self.n_clusters()`.
    pub fn centroid(&self, c: usize) -> &[f32] {
        assert!(c < self.n_clusters, "cluster {c} out of range: the model has {}", self.n_clusters);
        &self.centroids[c * self.n_features..(c + 1) * self.n_features]
    }

    /// The number of clusters `k`.
    pub fn n_clusters(&self) -> usize {
        self.n_clusters
    }

    /// The number of features (columns of the fitted matrix).
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The cluster of each fitted row, in `0..n_clusters`.
    pub fn labels(&self) -> &[u32] {
        &self.labels
    }

    /// The number of fitted rows in each cluster.
    pub fn cluster_sizes(&self) -> Vec<usize> {
        let mut sizes = vec![0; self.n_clusters];
        for &l in &self.labels {
            sizes[l as usize] += 1;
        }
        sizes
    }

    /// The objective of the fit: `Σ_i (1 − cos(x_i, c_{label_i}))` over the fitted rows,
    /// the lowest over the `n_init` runs.
    pub fn objective(&self) -> f64 {
        self.objective
    }

    /// The number of iterations (update then assignment) of the winning run.
    pub fn n_iter(&self) -> usize {
        self.n_iter
    }

    /// Whether the winning run stopped before `max_iter`: no row changed cluster, or the
    /// objective improved by at most `tol` relative to its previous value.
    pub fn converged(&self) -> bool {
        self.converged
    }

    /// The objective after each iteration of the winning run (`n_iter` values, the last
    /// being [`objective`](Self::objective)); non-increasing up to rounding.
    pub fn inertia_history(&self) -> &[f64] {
        &self.inertia_history
    }

    /// The cluster of each row of `x`: the centroid of highest cosine (ties: the lowest
    /// cluster; empty rows: 0). Runs on the current rayon pool; the result does not depend
    /// on it.
    ///
    /// # Errors
    /// [`KMeansError::FeatureMismatch`] if `x` does not have
    /// [`n_features`](Self::n_features) columns; [`KMeansError::NonFinite`] if it holds a
    /// NaN or infinity.
    pub fn predict(&self, x: &CsrMatrix<f32>) -> Result<Vec<u32>> {
        self.check_matrix(x)?;
        Ok((0..x.n_rows())
            .into_par_iter()
            .with_min_len(CHUNK)
            .map(|i| nearest(x.row(i), &self.centroids, self.n_features).0)
            .collect())
    }

    /// The cosine of each row of `x` to the centroid of its label (`labels[i]` for row `i`),
    /// e.g. to pick the most representative responses of a theme. Empty rows have cosine 0.
    /// Runs on the current rayon pool.
    ///
    /// # Errors
    /// [`KMeansError::FeatureMismatch`] and [`KMeansError::NonFinite`] as
    /// [`predict`](Self::predict); [`KMeansError::LabelCount`] if `labels` does not have one
    /// label per row; [`KMeansError::LabelOutOfRange`] if a label is not a cluster.
    pub fn similarities_to_centroid(&self, x: &CsrMatrix<f32>, labels: &[u32]) -> Result<Vec<f32>> {
        self.check_matrix(x)?;
        if labels.len() != x.n_rows() {
            return Err(KMeansError::LabelCount { n_rows: x.n_rows(), n_labels: labels.len() });
        }
        if let Some(row) = labels.iter().position(|&l| l as usize >= self.n_clusters) {
            return Err(KMeansError::LabelOutOfRange {
                row,
                label: labels[row],
                n_clusters: self.n_clusters,
            });
        }
        Ok(labels
            .par_iter()
            .enumerate()
            .with_min_len(CHUNK)
            .map(|(i, &l)| {
                let row = x.row(i);
                (sparse_dot(row, self.centroid(l as usize)) * inv_norm(row)) as f32
            })
            .collect())
    }

    fn check_matrix(&self, x: &CsrMatrix<f32>) -> Result<()> {
        if x.n_cols() != self.n_features {
            return Err(KMeansError::FeatureMismatch {
                expected: self.n_features,
                found: x.n_cols(),
            });
        }
        check_finite(x)
    }
}

/// The serialised form of [`KMeansModel`], checked before it becomes one.
#[derive(Deserialize)]
struct ModelRepr {
    n_clusters: usize,
    n_features: usize,
    centroids: Vec<f32>,
    labels: Vec<u32>,
    objective: f64,
    n_iter: usize,
    converged: bool,
    inertia_history: Vec<f64>,
}

impl TryFrom<ModelRepr> for KMeansModel {
    type Error = KMeansError;

    fn try_from(r: ModelRepr) -> Result<Self> {
        let bad = |msg: String| Err(KMeansError::InvalidModel(msg));
        if r.n_clusters == 0 || r.n_clusters - 1 > u32::MAX as usize {
            return bad(format!("n_clusters is {}", r.n_clusters));
        }
        if r.n_features == 0 {
            return bad("n_features is 0".into());
        }
        if r.n_clusters.checked_mul(r.n_features) != Some(r.centroids.len()) {
            return bad(format!(
                "{} centroid values for {} clusters of {} features",
                r.centroids.len(),
                r.n_clusters,
                r.n_features
            ));
        }
        if r.centroids.iter().any(|v| !v.is_finite()) {
            return bad("a centroid value is not finite".into());
        }
        if let Some(&l) = r.labels.iter().find(|&&l| l as usize >= r.n_clusters) {
            return bad(format!("label {l} but {} clusters", r.n_clusters));
        }
        Ok(KMeansModel {
            n_clusters: r.n_clusters,
            n_features: r.n_features,
            centroids: r.centroids,
            labels: r.labels,
            objective: r.objective,
            n_iter: r.n_iter,
            converged: r.converged,
            inertia_history: r.inertia_history,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(n_cols: usize, rows: &[&[(u32, f32)]]) -> CsrMatrix {
        let mut indptr = vec![0];
        let (mut indices, mut data) = (Vec::new(), Vec::new());
        for row in rows {
            indices.extend(row.iter().map(|e| e.0));
            data.extend(row.iter().map(|e| e.1));
            indptr.push(indices.len());
        }
        CsrMatrix::new(n_cols, indptr, indices, data).unwrap()
    }

    #[test]
    fn a_singleton_cluster_is_its_row_bit_for_bit() {
        let x = matrix(5, &[&[(0, 0.3), (2, 1.7), (4, 0.2)], &[(1, 2.0)]]);
        let rows = Rows::new(&x);
        let mut by_update = vec![0.0f32; 10];
        assert!(update(&rows, &[1, 0], 2, &mut by_update).is_empty());
        let mut by_row = vec![0.5f32; 5];
        write_unit_row(x.row(0), rows.inv_norm[0], &mut by_row);
        assert_eq!(&by_update[5..], &by_row[..]);
        let norm: f32 = by_row.iter().map(|v| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-6);
        assert_eq!(&by_update[..5], &[0.0, 1.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn ties_go_to_the_lowest_cluster() {
        let x = matrix(2, &[&[(0, 1.0)], &[]]);
        let centroids = [0.0, 1.0, 1.0, 0.0, 1.0, 0.0];
        assert_eq!(nearest(x.row(0), &centroids, 2), (1, 1.0));
        assert_eq!(nearest(x.row(1), &centroids, 2), (0, 0.0));
    }

    #[test]
    fn update_reports_clusters_without_a_direction() {
        // Cluster 1 has no member, cluster 2 only an empty row: both keep their centroid.
        let x = matrix(2, &[&[(0, 1.0)], &[]]);
        let rows = Rows::new(&x);
        let mut centroids = vec![9.0f32; 6];
        assert_eq!(update(&rows, &[0, 2], 3, &mut centroids), vec![1, 2]);
        assert_eq!(centroids, vec![1.0, 0.0, 9.0, 9.0, 9.0, 9.0]);
    }

    #[test]
    fn reseeding_takes_the_farthest_distinct_rows() {
        let x = matrix(3, &[&[(0, 1.0)], &[(1, 1.0)], &[], &[(2, 1.0)], &[(0, 1.0), (1, 1.0)]]);
        let rows = Rows::new(&x);
        // Row 2 is empty (never a donor); rows 1 and 3 tie as farthest, then row 4.
        let cos = [0.9, 0.1, 0.0, 0.1, 0.5];
        let mut centroids = vec![0.0f32; 9];
        reseed(&rows, &cos, &[0, 2], &mut centroids);
        assert_eq!(centroids, vec![0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
        // More empty clusters than non-empty rows: the last keep their centroid.
        let mut centroids = vec![7.0f32; 18];
        reseed(&rows, &cos, &[0, 1, 2, 3, 4, 5], &mut centroids);
        assert_eq!(&centroids[15..], &[7.0, 7.0, 7.0]);
        assert_eq!(&centroids[..3], &[0.0, 1.0, 0.0]);
        assert_eq!(&centroids[6..8], &[std::f32::consts::FRAC_1_SQRT_2; 2]);
        assert_eq!(&centroids[9..12], &[1.0, 0.0, 0.0]);
        assert_eq!(&centroids[12..15], &[7.0, 7.0, 7.0]);
    }

    #[test]
    fn assignment_counts_changes_and_sums_cosine_distances() {
        let x = matrix(2, &[&[(0, 2.0)], &[(0, 1.0), (1, 1.0)], &[]]);
        let rows = Rows::new(&x);
        let centroids = [1.0, 0.0, 0.0, 1.0];
        let mut labels = vec![u32::MAX, 1, 0];
        let mut cos = vec![0.0; 3];
        let (objective, changed) = assign(&rows, &centroids, &mut labels, &mut cos);
        assert_eq!(labels, vec![0, 0, 0]);
        assert_eq!(changed, 2);
        assert_eq!(cos[0], 1.0);
        assert!((cos[1] - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-12);
        assert!((objective - (0.0 + 1.0 - std::f64::consts::FRAC_1_SQRT_2 + 1.0)).abs() < 1e-12);
    }

    #[test]
    fn the_first_non_finite_value_is_reported() {
        let x = matrix(3, &[&[(0, 1.0)], &[], &[(1, 2.0), (2, f32::INFINITY)]]);
        assert_eq!(
            check_finite(&x),
            Err(KMeansError::NonFinite { row: 2, column: 2, value: f32::INFINITY })
        );
    }
}
