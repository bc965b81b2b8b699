//! k-means of dense rows (LSA output, embeddings handed in by a caller), cosine or
//! Euclidean, scored by blocks of matrix products.
//!
//! The assignment step multiplies a block of [`DENSE_CHUNK`] rows by the centroids' transpose
//! with ndarray's GEMM (matrixmultiply: packed, cache-blocked, SIMD), giving every `x · c` of
//! the block at once, then reads each row's best centroid off its products:
//!
//! - Euclidean: the smallest `‖c‖² − 2 x·c`, which is `‖x − c‖² − ‖x‖²` (scikit-learn's
//!   trick: the row's own norm does not change which centroid is nearest);
//! - cosine: the largest `x·c` against unit centroids, i.e. the smallest `1 − cos`, the row
//!   scaled by `1 / ‖x‖` only where a value must be a cosine.
//!
//! Blocks are fixed ranges of rows, each multiplied on one thread, and matrixmultiply
//! accumulates every product in the same order whatever the block's height or the row's
//! place in it, so each product, and so each label, is the same at any thread count; sums
//! are reduced in a fixed order too: **results are bit-identical at any number of threads**.
//!
//! Every row's part of the objective is computed exactly (in `f64`, from the row and its
//! centroid) after each assignment, so the objective does not carry the cancellation of the
//! Euclidean trick. The update keeps each cluster's sum of rows in `f64` and applies only
//! the rows that moved (summing from scratch after large moves), in a fixed order.
//!
//! With [`KMeansAlgorithm::Hamerly`] or [`KMeansAlgorithm::Yinyang`], rows keep lower bounds
//! on their distance to the other centroids (one per group of 16 clusters for Yinyang, one in
//! all for Hamerly) and skip the products when their distance to their own centroid is
//! provably below every bound, or below half the gap from their centroid to the nearest
//! other (Hamerly 2010; Ding et al. 2015). The margin covers the rounding of the `f32`
//! products, so a skipped row is one whose products would have chosen its centroid again:
//! pruning gives Lloyd's model to the bit (tested), only cheaper. It pays on well-separated
//! clusters (most rows skip from the second iteration); on heavily overlapping ones few rows
//! can skip, and the bound tests cost a few percent.

use ndarray::linalg::general_mat_mul;
use ndarray::{ArrayView2, ArrayViewMut2};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;
use thematic_core::{ParamGuard, with_threads};

use super::algorithm::{KMeansModel, Run, Work};
use super::dense_init::seed_dense;
use super::dense_minibatch::run_minibatch_dense;
use super::errors::{KMeansError, KMeansParamsError, Result};
use super::hyperparams::{KMeansAlgorithm, KMeansMetric, KMeansParams, KMeansValidParams};
use super::sums::unit;

/// Rows per block and parallel task. Smaller than the sparse path's chunk: a block is one
/// GEMM of `1024 × d` by `d × k`, long enough to amortise packing the centroids, and a
/// corpus of 20,000 rows still splits into 20 tasks to spread over the threads. Per-block
/// results are combined in block order, so the result does not depend on the threads.
pub(crate) const DENSE_CHUNK: usize = 1024;

/// Clusters per bound group of [`KMeansAlgorithm::Yinyang`], as the sparse path.
const GROUP: usize = 16;

/// The unit roundoff of `f32`.
const U32: f64 = f32::EPSILON as f64 / 2.0;

/// Relative slack for the `f64` arithmetic of distances and bounds, far above its rounding
/// (about `1e-16` per operation) and far below the `f32` products' error.
const F64_SLACK: f64 = 1e-9;

/// A row-major view of `rows × cols` values. Callers pass slices of whole rows.
pub(crate) fn view(data: &[f32], rows: usize, cols: usize) -> ArrayView2<'_, f32> {
    ArrayView2::from_shape((rows, cols), &data[..rows * cols]).expect("a slice of whole rows")
}

/// `out = rows · Rᵀ` (GEMM): the products of each row of `rows` with each row of `right`
/// (row-major, as many columns as `rows`), `right.len() / d` per row of `rows`.
pub(crate) fn products(rows: ArrayView2<'_, f32>, right: &[f32], out: &mut [f32]) {
    let (m, d) = rows.dim();
    let t = right.len().checked_div(d).unwrap_or(0);
    let right = view(right, t, d);
    general_mat_mul(1.0, &rows, &right.t(), 0.0, &mut view_mut(out, m, t));
}

/// A mutable row-major view of `rows × cols` values.
pub(crate) fn view_mut(data: &mut [f32], rows: usize, cols: usize) -> ArrayViewMut2<'_, f32> {
    ArrayViewMut2::from_shape((rows, cols), &mut data[..rows * cols])
        .expect("a slice of whole rows")
}

/// `Σ v²` in `f64`, in order: the same sum as the sparse path's row norms, so that a dense
/// row and its sparse copy have the same direction to the bit.
pub(crate) fn sq_sum(v: &[f32]) -> f64 {
    v.iter().map(|&a| f64::from(a) * f64::from(a)).sum()
}

/// `Σ (a − b)²` in `f64`, over 8 interleaved partial sums added in a fixed order (which lets
/// the compiler vectorise it).
fn sq_dist(a: &[f32], b: &[f32]) -> f64 {
    let mut acc = [0.0f64; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f64 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
        .sum();
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            let t = f64::from(x[l]) - f64::from(y[l]);
            acc[l] += t * t;
        }
    }
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])) + tail
}

/// `Σ a·b` in `f64`, as [`sq_dist`].
fn dot(a: &[f32], b: &[f32]) -> f64 {
    let mut acc = [0.0f64; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f64 =
        ca.remainder().iter().zip(cb.remainder()).map(|(&x, &y)| f64::from(x) * f64::from(y)).sum();
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            acc[l] += f64::from(x[l]) * f64::from(y[l]);
        }
    }
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])) + tail
}

/// Dense rows (row-major, `n × d`) with what every step needs about them.
pub(crate) struct Points<'a> {
    data: &'a [f32],
    n: usize,
    d: usize,
    pub(crate) metric: KMeansMetric,
    /// The factor that turns row `i` into the point clustered: `1 / ‖x_i‖` for cosine (0 for a
    /// zero row), 1 for Euclidean.
    pub(crate) scale: Vec<f64>,
    /// `‖x_i‖²` in `f64`: the Euclidean score's missing term.
    pub(crate) sq_norm: Vec<f64>,
    /// The rows that take part, ascending: all of them for Euclidean, the non-zero rows for
    /// cosine (a zero row has no direction; it is labelled 0 and counts 1 in the objective,
    /// as in the sparse path).
    pub(crate) valid: Vec<usize>,
}

impl<'a> Points<'a> {
    /// `data` holds `n × d` values, row-major. Runs on the current rayon pool.
    pub(crate) fn new(data: &'a [f32], n: usize, d: usize, metric: KMeansMetric) -> Self {
        let sq_norm: Vec<f64> = (0..n)
            .into_par_iter()
            .with_min_len(DENSE_CHUNK)
            .map(|i| sq_sum(&data[i * d..(i + 1) * d]))
            .collect();
        let scale: Vec<f64> = match metric {
            KMeansMetric::Euclidean => vec![1.0; n],
            KMeansMetric::Cosine => {
                sq_norm.iter().map(|&q| if q > 0.0 { 1.0 / q.sqrt() } else { 0.0 }).collect()
            }
        };
        let valid =
            (0..n).filter(|&i| metric == KMeansMetric::Euclidean || scale[i] > 0.0).collect();
        Points { data, n, d, metric, scale, sq_norm, valid }
    }

    pub(crate) fn n_rows(&self) -> usize {
        self.n
    }

    pub(crate) fn dim(&self) -> usize {
        self.d
    }

    pub(crate) fn row(&self, i: usize) -> &'a [f32] {
        &self.data[i * self.d..(i + 1) * self.d]
    }

    /// The values of block `blk`: rows `blk · DENSE_CHUNK ..`, at most [`DENSE_CHUNK`].
    fn block(&self, blk: usize) -> &'a [f32] {
        let lo = blk * DENSE_CHUNK;
        let hi = (lo + DENSE_CHUNK).min(self.n);
        &self.data[lo * self.d..hi * self.d]
    }

    /// `out = B · Rᵀ` for the rows `B` of block `blk` and the rows `R` of `right`
    /// (row-major, `right.len() / d` of them): every product of a row with a row of `right`,
    /// `right.len() / d` per row.
    ///
    /// The block is first copied into a buffer of the thread (kept for the thread's next
    /// block: one block's values). matrixmultiply packs its left
    /// operand eight rows at a time, one value each: from a cache-resident copy that costs
    /// little, from main memory it costs as much as the products (measured: 235 µs against
    /// 173 µs with the copy for a block of 1024 × 100 by 50 centroids, 133 µs against 73 µs
    /// by 5 seeding candidates).
    pub(crate) fn block_products(&self, blk: usize, right: &[f32], out: &mut [f32]) {
        thread_local! {
            static COPY: std::cell::RefCell<Vec<f32>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let values = self.block(blk);
        COPY.with_borrow_mut(|copy| {
            copy.clear();
            copy.extend_from_slice(values);
            products(view(copy, values.len() / self.d, self.d), right, out);
        });
    }

    pub(crate) fn is_valid(&self, i: usize) -> bool {
        self.metric == KMeansMetric::Euclidean || self.scale[i] > 0.0
    }

    /// The values of `rows`, copied one after the other (row-major).
    pub(crate) fn gather(&self, rows: impl IntoIterator<Item = usize>) -> Vec<f32> {
        let mut out = Vec::new();
        for i in rows {
            out.extend_from_slice(self.row(i));
        }
        out
    }

    /// Writes into `out` the centroid that row `i` alone gives: the row itself (Euclidean) or
    /// its direction (cosine), computed as the sparse path does, so that the same row seeds
    /// the same unit centroid either way.
    pub(crate) fn centroid_of(&self, i: usize, out: &mut [f32]) {
        match self.metric {
            KMeansMetric::Euclidean => out.copy_from_slice(self.row(i)),
            KMeansMetric::Cosine => {
                let w = self.scale[i];
                let scaled: Vec<f64> = self.row(i).iter().map(|&v| w * f64::from(v)).collect();
                let norm = scaled.iter().map(|s| s * s).sum::<f64>().sqrt();
                if norm > 0.0 && norm.is_finite() {
                    for (o, s) in out.iter_mut().zip(&scaled) {
                        *o = (s / norm) as f32;
                    }
                } else {
                    out.fill(0.0);
                }
            }
        }
    }

    /// The squared distance of row `i` to a centroid from their product `g = x·c` and the
    /// centroid's squared norm: `‖x‖² − 2g + ‖c‖²` (Euclidean) or `2 − 2 cos` (cosine, unit
    /// centroid), at least 0; 0 for a zero row under cosine, which weighs nothing in seeding.
    pub(crate) fn distance(&self, i: usize, g: f32, c_sq: f64) -> f64 {
        match self.metric {
            KMeansMetric::Euclidean => (self.sq_norm[i] - 2.0 * f64::from(g) + c_sq).max(0.0),
            KMeansMetric::Cosine if self.scale[i] == 0.0 => 0.0,
            KMeansMetric::Cosine => (2.0 - 2.0 * f64::from(g) * self.scale[i]).max(0.0),
        }
    }
}

/// The centroids of an iteration (row-major `k × d`) with their norms.
pub(crate) struct Centers {
    pub(crate) data: Vec<f32>,
    k: usize,
    d: usize,
    /// `‖c_j‖²` in `f64`, from the `f32` values.
    sq: Vec<f64>,
    /// `‖c_j‖²` rounded to `f32`: the term the Euclidean score adds to `−2 x·c`.
    sq32: Vec<f32>,
    /// `max_j ‖c_j‖`.
    max_norm: f64,
    /// `max_j |1 − ‖c_j‖²|`: how far the cosine centroids are from unit length (rounding,
    /// or a zero centroid of a cluster that never had a member).
    max_dev: f64,
}

impl Centers {
    pub(crate) fn new(data: Vec<f32>, k: usize, d: usize) -> Self {
        let sq: Vec<f64> = (0..k).map(|j| sq_sum(&data[j * d..(j + 1) * d])).collect();
        let sq32 = sq.iter().map(|&q| q as f32).collect();
        let max_norm = sq.iter().fold(0.0f64, |m, &q| m.max(q.sqrt()));
        let max_dev = sq.iter().fold(0.0f64, |m, &q| m.max((1.0 - q).abs()));
        Centers { data, k, d, sq, sq32, max_norm, max_dev }
    }

    pub(crate) fn k(&self) -> usize {
        self.k
    }

    fn row(&self, j: usize) -> &[f32] {
        &self.data[j * self.d..(j + 1) * self.d]
    }

    /// The best centroid for a row's products `g` (ties: the lowest cluster).
    #[inline]
    pub(crate) fn nearest(&self, metric: KMeansMetric, g: &[f32]) -> usize {
        let mut best = 0;
        match metric {
            KMeansMetric::Euclidean => {
                let mut best_score = self.sq32[0] - 2.0 * g[0];
                for (j, (&q, &p)) in self.sq32.iter().zip(g).enumerate().skip(1) {
                    let score = q - 2.0 * p;
                    if score < best_score {
                        (best, best_score) = (j, score);
                    }
                }
            }
            KMeansMetric::Cosine => {
                let mut best_dot = g[0];
                for (j, &p) in g.iter().enumerate().skip(1) {
                    if p > best_dot {
                        (best, best_dot) = (j, p);
                    }
                }
            }
        }
        best
    }

    /// An estimate of `‖x_i − c_j‖²` from the product `g` (exactly as the score that
    /// [`nearest`](Self::nearest) compares: monotone in it), within [`err`](Self::err) of
    /// the true value. For cosine, `x_i` is the row's direction.
    #[inline]
    fn estimate(&self, pts: &Points<'_>, i: usize, j: usize, g: f32) -> f64 {
        match pts.metric {
            KMeansMetric::Euclidean => pts.sq_norm[i] + f64::from(self.sq32[j] - 2.0 * g),
            KMeansMetric::Cosine => 2.0 - 2.0 * pts.scale[i] * f64::from(g),
        }
    }

    /// A bound on `|estimate − ‖x_i − c_j‖²|` for every centroid, twice the worst case.
    ///
    /// An `f32` dot product of length `d` accumulated in order is within
    /// `γ_d ‖x‖ ‖c‖` of the exact one (`γ_d ≈ d u`, `u` the unit roundoff, Higham 2002 §3.1).
    /// Euclidean: the score `‖c‖² − 2 x·c` adds the rounding of `‖c‖²` and of the
    /// subtraction, so it is within `2u (‖c‖² + (d + 3) ‖x‖ ‖c‖)`. Cosine: `2 − 2 cos` is
    /// within `2 γ_d ‖c‖` of `1 + ‖c‖² − 2 cos` plus how far `‖c‖²` is from 1.
    fn err(&self, pts: &Points<'_>, i: usize) -> f64 {
        let d = pts.d as f64;
        let c = self.max_norm;
        match pts.metric {
            KMeansMetric::Euclidean => {
                let x = pts.sq_norm[i].sqrt();
                4.0 * U32 * (c * c + (d + 3.0) * x * c) + F64_SLACK * (pts.sq_norm[i] + c * c)
            }
            KMeansMetric::Cosine => {
                2.0 * (2.0 * (d + 2.0) * U32 * c + self.max_dev) + F64_SLACK * (2.0 + c * c)
            }
        }
    }

    /// Row `i`'s exact terms against centroid `j`, in `f64`: its part of the objective
    /// (`‖x − c‖²`, or `1 − cos` for cosine) and its squared distance to `c`.
    #[inline]
    pub(crate) fn own(&self, pts: &Points<'_>, i: usize, j: usize) -> (f64, f64) {
        let (x, c) = (pts.row(i), self.row(j));
        match pts.metric {
            KMeansMetric::Euclidean => {
                let d2 = sq_dist(x, c);
                (d2, d2)
            }
            KMeansMetric::Cosine => {
                let cos = dot(x, c) * pts.scale[i];
                ((1.0 - cos).max(0.0), (1.0 + self.sq[j] - 2.0 * cos).max(0.0))
            }
        }
    }
}

/// Lower bounds kept per row by the pruned assignment, in distance units:
/// `lower[i * groups + g]` is never above row `i`'s distance to any centroid of group `g`
/// (clusters `g·len .. (g+1)·len`) other than its own.
///
/// `half_gap[a]` is never above half the distance from centroid `a` to the nearest other
/// centroid: a row within it of `a` is nearer `a` than any other centroid (the triangle
/// inequality; Hamerly 2010), whatever its bounds, which settles most rows of
/// well-separated clusters from the first iterations.
pub(crate) struct Bounds {
    lower: Vec<f64>,
    groups: usize,
    group_len: usize,
    half_gap: Vec<f64>,
}

impl Bounds {
    fn new(n: usize, k: usize, algorithm: KMeansAlgorithm) -> Option<Self> {
        let group_len = match algorithm {
            KMeansAlgorithm::Lloyd => return None,
            KMeansAlgorithm::Hamerly => k,
            KMeansAlgorithm::Yinyang => GROUP.min(k),
        };
        let groups = k.div_ceil(group_len);
        // No bound yet: the first assignment scores every row.
        Some(Bounds { lower: vec![0.0; n * groups], groups, group_len, half_gap: vec![0.0; k] })
    }

    /// Computes `half_gap` for new centroids, from their products (GEMM, in parallel over
    /// blocks of centroids) less twice their rounding.
    fn refresh_gaps(&mut self, centers: &Centers) {
        let (k, d) = (centers.k, centers.d);
        let c = centers.max_norm;
        let slack = 8.0 * (d as f64 + 2.0) * U32 * c * c + F64_SLACK * c * c;
        let rows = DENSE_CHUNK.min(k);
        let gaps: Vec<f64> = centers
            .data
            .par_chunks(rows * d)
            .enumerate()
            .flat_map_iter(|(blk, block)| {
                let m = block.len() / d;
                let mut g = vec![0.0f32; m * k];
                products(view(block, m, d), &centers.data, &mut g);
                (0..m)
                    .map(|o| {
                        let a = blk * rows + o;
                        let nearest = g[o * k..(o + 1) * k].iter().enumerate().fold(
                            f64::INFINITY,
                            |m, (j, &p)| {
                                let d2 = centers.sq[a] + centers.sq[j] - 2.0 * f64::from(p);
                                if j == a {
                                    m
                                } else if d2.is_nan() {
                                    f64::NEG_INFINITY
                                } else {
                                    m.min(d2)
                                }
                            },
                        );
                        // A single cluster has no other: an infinite gap.
                        0.5 * (nearest - slack).max(0.0).sqrt()
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        self.half_gap = gaps;
    }

    /// Lowers the bounds after the centroids moved: a row's distance to a centroid drops by
    /// at most how far the centroid moved (the triangle inequality).
    fn widen(&mut self, drift: &[f64]) {
        let (groups, len) = (self.groups, self.group_len);
        let group_drift: Vec<f64> = (0..groups)
            .map(|g| {
                drift[g * len..((g + 1) * len).min(drift.len())]
                    .iter()
                    .fold(0.0f64, |m, &v| m.max(v))
            })
            .collect();
        if group_drift.iter().all(|&v| v == 0.0) {
            return;
        }
        self.lower.par_chunks_mut(DENSE_CHUNK * groups).for_each(|chunk| {
            for row in chunk.chunks_exact_mut(groups) {
                for (l, &v) in row.iter_mut().zip(&group_drift) {
                    *l = (*l - v).max(0.0);
                }
            }
        });
    }
}

/// What one assignment step found.
#[derive(Debug, Default)]
pub(crate) struct Step {
    /// The objective of the new labels against the centroids assigned to.
    pub(crate) objective: f64,
    /// The rows whose label changed, with their previous label (`u32::MAX` for none), in
    /// row order.
    pub(crate) moved: Vec<(usize, u32)>,
    pub(crate) work: Work,
}

/// The bounds of one block of rows.
struct BlockBounds<'a> {
    lower: &'a mut [f64],
    half_gap: &'a [f64],
    groups: usize,
    group_len: usize,
}

/// Assignment step: labels each row with its best centroid and records its part of the
/// objective in `cost`. With `bounds`, rows whose bounds prove their label are skipped.
pub(crate) fn assign(
    pts: &Points<'_>,
    centers: &Centers,
    labels: &mut [u32],
    cost: &mut [f64],
    bounds: Option<&mut Bounds>,
) -> Step {
    let parts: Vec<Step> = match bounds {
        Some(b) => {
            let (groups, group_len, half_gap) = (b.groups, b.group_len, &b.half_gap);
            labels
                .par_chunks_mut(DENSE_CHUNK)
                .zip(cost.par_chunks_mut(DENSE_CHUNK))
                .zip(b.lower.par_chunks_mut(DENSE_CHUNK * groups))
                .enumerate()
                .map(|(blk, ((l, c), lower))| {
                    let bounds = BlockBounds { lower, half_gap, groups, group_len };
                    assign_block(pts, centers, blk, l, c, Some(bounds))
                })
                .collect()
        }
        None => labels
            .par_chunks_mut(DENSE_CHUNK)
            .zip(cost.par_chunks_mut(DENSE_CHUNK))
            .enumerate()
            .map(|(blk, (l, c))| assign_block(pts, centers, blk, l, c, None))
            .collect(),
    };
    // Blocks are combined in order: the same sums at any thread count.
    let mut all = Step::default();
    for p in parts {
        all.objective += p.objective;
        all.moved.extend(p.moved);
        all.work.computed += p.work.computed;
        all.work.total += p.work.total;
    }
    all
}

/// The assignment of block `blk` of rows (see [`assign`]).
///
/// With bounds, a labelled row first computes its exact distance to its own centroid (which
/// the objective needs anyway); if every group's bound, or the distance that half the gap
/// around its centroid guarantees, beats it by more than twice the products' rounding, no
/// product could pick another centroid and the row keeps its label.
/// The other rows are gathered into one matrix and multiplied as Lloyd's would be.
fn assign_block(
    pts: &Points<'_>,
    centers: &Centers,
    blk: usize,
    labels: &mut [u32],
    cost: &mut [f64],
    mut bounds: Option<BlockBounds<'_>>,
) -> Step {
    let k = centers.k();
    let lo = blk * DENSE_CHUNK;
    let m = labels.len();
    let mut step = Step::default();
    let mut todo: Vec<usize> = Vec::with_capacity(m);
    for o in 0..m {
        let i = lo + o;
        if !pts.is_valid(i) {
            labels[o] = 0;
            cost[o] = 1.0;
            continue;
        }
        step.work.total += k as u64;
        if let Some(b) = bounds.as_ref()
            && labels[o] != u32::MAX
        {
            let (obj, d2) = centers.own(pts, i, labels[o] as usize);
            step.work.computed += 1;
            cost[o] = obj;
            let g = b.groups;
            let bound = b.lower[o * g..(o + 1) * g].iter().fold(f64::INFINITY, |a, &v| a.min(v));
            let nearest_other = bound.max(2.0 * b.half_gap[labels[o] as usize] - d2.sqrt());
            if nearest_other > 0.0 && nearest_other * nearest_other - d2 > 2.0 * centers.err(pts, i)
            {
                continue;
            }
        }
        todo.push(o);
    }
    if !todo.is_empty() {
        let mut g = vec![0.0f32; todo.len() * k];
        if todo.len() == m {
            pts.block_products(blk, &centers.data, &mut g);
        } else {
            let gathered = pts.gather(todo.iter().map(|&o| lo + o));
            products(view(&gathered, todo.len(), pts.dim()), &centers.data, &mut g);
        }
        for (&o, g) in todo.iter().zip(g.chunks_exact(k)) {
            let i = lo + o;
            let best = centers.nearest(pts.metric, g);
            let own_done = bounds.is_some() && labels[o] != u32::MAX;
            step.work.computed += (k - usize::from(own_done)) as u64;
            if let Some(b) = bounds.as_mut() {
                let err = centers.err(pts, i);
                let (groups, len) = (b.groups, b.group_len);
                for (grp, lower) in b.lower[o * groups..(o + 1) * groups].iter_mut().enumerate() {
                    let mut nearest = f64::INFINITY;
                    for (j, &p) in
                        g.iter().enumerate().take(((grp + 1) * len).min(k)).skip(grp * len)
                    {
                        if j != best {
                            let e = centers.estimate(pts, i, j, p);
                            // A NaN (overflowed products) proves nothing: no bound.
                            nearest = if e.is_nan() { f64::NEG_INFINITY } else { nearest.min(e) };
                        }
                    }
                    // No other centroid in the group: an infinite bound, as it should be.
                    *lower = (nearest - err).max(0.0).sqrt();
                }
            }
            if best as u32 != labels[o] {
                step.moved.push((i, labels[o]));
                labels[o] = best as u32;
                cost[o] = centers.own(pts, i, best).0;
            } else if !own_done {
                cost[o] = centers.own(pts, i, best).0;
            }
        }
    }
    // In row order within the block.
    step.objective = cost.iter().sum();
    step
}

/// The best centroid of every row (zero rows under cosine: 0), as the assignment picks it.
pub(crate) fn nearest_all(pts: &Points<'_>, centers: &Centers) -> Vec<u32> {
    let k = centers.k();
    let mut labels = vec![0u32; pts.n_rows()];
    labels.par_chunks_mut(DENSE_CHUNK).enumerate().for_each(|(blk, labels)| {
        let lo = blk * DENSE_CHUNK;
        let mut g = vec![0.0f32; labels.len() * k];
        pts.block_products(blk, &centers.data, &mut g);
        for (o, (l, g)) in labels.iter_mut().zip(g.chunks_exact(k)).enumerate() {
            *l = if pts.is_valid(lo + o) { centers.nearest(pts.metric, g) as u32 } else { 0 };
        }
    });
    labels
}

/// Each cluster's sum of its rows (of their directions, for cosine) in `f64`, and its size.
struct Sums {
    sums: Vec<f64>,
    counts: Vec<usize>,
    d: usize,
}

impl Sums {
    /// The sums of the clusters of `labels`, from scratch.
    ///
    /// Rows are sorted by cluster, ascending; each cluster's rows are summed in runs of
    /// [`DENSE_CHUNK`] in parallel, and the runs added in order: a fixed order at any
    /// thread count.
    fn build(pts: &Points<'_>, labels: &[u32], k: usize) -> Self {
        let d = pts.dim();
        let mut counts = vec![0usize; k];
        for &i in &pts.valid {
            counts[labels[i] as usize] += 1;
        }
        let mut start = vec![0usize; k + 1];
        for c in 0..k {
            start[c + 1] = start[c] + counts[c];
        }
        let mut order = vec![0usize; pts.valid.len()];
        let mut next = start.clone();
        for &i in &pts.valid {
            let c = labels[i] as usize;
            order[next[c]] = i;
            next[c] += 1;
        }
        let runs: Vec<(usize, usize, usize)> = (0..k)
            .flat_map(|c| {
                let end = start[c + 1];
                (start[c]..end)
                    .step_by(DENSE_CHUNK)
                    .map(move |a| (c, a, (a + DENSE_CHUNK).min(end)))
            })
            .collect();
        let partial: Vec<Vec<f64>> = runs
            .par_iter()
            .map(|&(_, a, b)| {
                let mut acc = vec![0.0f64; d];
                for &i in &order[a..b] {
                    add_row(&mut acc, pts.row(i), pts.scale[i]);
                }
                acc
            })
            .collect();
        let mut sums = vec![0.0f64; k * d];
        for (&(c, _, _), part) in runs.iter().zip(&partial) {
            for (s, &p) in sums[c * d..(c + 1) * d].iter_mut().zip(part) {
                *s += p;
            }
        }
        Sums { sums, counts, d }
    }

    /// Moves rows between clusters: `(row, from, to)`. Each cluster takes its changes in the
    /// order given, clusters in parallel: the same sums at any thread count. A cluster that
    /// loses its last row is cleared exactly, so no rounding left over from removals leaks
    /// into its next member.
    fn apply(&mut self, pts: &Points<'_>, moves: &[(usize, u32, u32)]) {
        let d = self.d;
        let mut changes: Vec<Vec<(usize, bool)>> = vec![Vec::new(); self.counts.len()];
        for &(i, from, to) in moves {
            changes[from as usize].push((i, false));
            changes[to as usize].push((i, true));
        }
        self.sums.par_chunks_mut(d.max(1)).zip(&changes).zip(&mut self.counts).for_each(
            |((sum, changes), count)| {
                for &(i, joins) in changes {
                    if joins {
                        add_row(sum, pts.row(i), pts.scale[i]);
                        *count += 1;
                    } else {
                        *count -= 1;
                        if *count == 0 {
                            sum.fill(0.0);
                        } else {
                            add_row(sum, pts.row(i), -pts.scale[i]);
                        }
                    }
                }
            },
        );
    }

    /// The centroids: each cluster's mean (Euclidean) or normalised sum of directions
    /// (cosine). A cluster without members keeps its centroid from `previous`.
    fn centroids(&self, metric: KMeansMetric, previous: &[f32]) -> Vec<f32> {
        let d = self.d;
        let mut out = previous.to_vec();
        for (c, &count) in self.counts.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let (sum, row) = (&self.sums[c * d..(c + 1) * d], &mut out[c * d..(c + 1) * d]);
            match metric {
                KMeansMetric::Euclidean => {
                    let n = count as f64;
                    for (o, &s) in row.iter_mut().zip(sum) {
                        *o = (s / n) as f32;
                    }
                }
                KMeansMetric::Cosine => {
                    let norm = sum.iter().map(|s| s * s).sum::<f64>().sqrt();
                    for (o, &s) in row.iter_mut().zip(sum) {
                        *o = unit(s, norm);
                    }
                }
            }
        }
        out
    }
}

/// `sum += w · row`, in `f64`.
#[inline]
fn add_row(sum: &mut [f64], row: &[f32], w: f64) {
    for (s, &v) in sum.iter_mut().zip(row) {
        *s += w * f64::from(v);
    }
}

/// Moves a row into each empty cluster (ascending): the row farthest from its centroid
/// (highest `cost`; ties: the lowest row) among rows whose cluster keeps another member.
/// Returns the moves `(row, from, to)`, which `counts` already shows. Every cluster gets a
/// row unless fewer rows take part than there are clusters (cosine, with zero rows).
fn reseed(
    pts: &Points<'_>,
    labels: &mut [u32],
    cost: &mut [f64],
    counts: &[usize],
) -> Vec<(usize, u32, u32)> {
    let empty: Vec<usize> = (0..counts.len()).filter(|&c| counts[c] == 0).collect();
    if empty.is_empty() {
        return Vec::new();
    }
    let mut counts = counts.to_vec();
    let mut donors = pts.valid.clone();
    donors.sort_unstable_by(|&a, &b| cost[b].total_cmp(&cost[a]).then(a.cmp(&b)));
    let mut donors = donors.into_iter();
    let mut moves = Vec::new();
    for c in empty {
        let Some(i) = donors.by_ref().find(|&i| counts[labels[i] as usize] >= 2) else {
            break;
        };
        counts[labels[i] as usize] -= 1;
        counts[c] += 1;
        moves.push((i, labels[i], c as u32));
        labels[i] = c as u32;
        // Its own centroid now: no farther than anything.
        cost[i] = 0.0;
    }
    moves
}

/// How far each centroid moved, `‖c_new − c_old‖`, in `f64`.
fn drift(old: &Centers, new: &Centers) -> Vec<f64> {
    (0..old.k).map(|j| sq_dist(old.row(j), new.row(j)).sqrt()).collect()
}

/// One run: seeding and a first assignment, then up to `max_iter` iterations of update and
/// assignment. The labels and objective belong to the final centroids.
fn run(pts: &Points<'_>, p: &KMeansValidParams, rng: &mut Xoshiro256Plus) -> Run {
    let (k, n, d) = (p.n_clusters(), pts.n_rows(), pts.dim());
    let mut centers = Centers::new(seed_dense(pts, p, k, rng), k, d);
    let mut labels = vec![u32::MAX; n];
    let mut cost = vec![0.0f64; n];
    let mut bounds = Bounds::new(n, k, p.algorithm());
    let first = assign(pts, &centers, &mut labels, &mut cost, bounds.as_mut());
    let mut work = first.work;
    let mut objective = first.objective;
    let mut sums = Sums::build(pts, &labels, k);
    let mut history = Vec::new();
    let (mut converged, mut n_iter) = (false, 0);
    for iter in 1..=p.max_iter() {
        let reseeded = reseed(pts, &mut labels, &mut cost, &sums.counts);
        sums.apply(pts, &reseeded);
        let next = Centers::new(sums.centroids(pts.metric, &centers.data), k, d);
        if let Some(b) = bounds.as_mut() {
            for &(i, _, _) in &reseeded {
                // A re-seeded row's old centroid is now one of the others: no bound.
                b.lower[i * b.groups..(i + 1) * b.groups].fill(0.0);
            }
            b.widen(&drift(&centers, &next));
            b.refresh_gaps(&next);
        }
        centers = next;
        let previous = objective;
        let step = assign(pts, &centers, &mut labels, &mut cost, bounds.as_mut());
        objective = step.objective;
        work.computed += step.work.computed;
        work.total += step.work.total;
        history.push(objective);
        n_iter = iter;
        // As the sparse path: `<=` so that a tolerance of 0 stops once the objective no
        // longer decreases, and a perfect fit stops at once.
        if step.moved.is_empty() || previous - objective <= p.tol() * previous {
            converged = true;
            break;
        }
        // Only the rows that moved change the sums, which late iterations make cheap. After
        // many moves, summing from scratch costs about the same and sheds the rounding that
        // additions and removals gather.
        if step.moved.len() * 4 > pts.valid.len() {
            sums = Sums::build(pts, &labels, k);
        } else {
            let moves: Vec<(usize, u32, u32)> =
                step.moved.iter().map(|&(i, from)| (i, from, labels[i])).collect();
            sums.apply(pts, &moves);
        }
    }
    Run { centroids: centers.data, labels, objective, n_iter, converged, history, work }
}

/// The first NaN or infinite value of `x`, as an error.
fn check_finite(x: ArrayView2<'_, f32>) -> Result<()> {
    let found = match x.as_slice() {
        Some(s) => s.iter().position(|v| !v.is_finite()).map(|p| (p / x.ncols(), p % x.ncols())),
        None => x.indexed_iter().find(|(_, v)| !v.is_finite()).map(|(at, _)| at),
    };
    match found {
        None => Ok(()),
        Some((row, column)) => Err(KMeansError::NonFinite {
            row,
            // A row of more than 2³² values does not fit in memory.
            column: u32::try_from(column).unwrap_or(u32::MAX),
            value: x[(row, column)],
        }),
    }
}

/// `x`'s values row-major: borrowed when they already are, else copied.
fn row_major<'a>(x: &'a ArrayView2<'_, f32>, owned: &'a mut Vec<f32>) -> &'a [f32] {
    match x.as_slice() {
        Some(s) => s,
        None => {
            *owned = x.iter().copied().collect();
            owned
        }
    }
}

impl KMeansValidParams {
    /// Fits k-means to dense rows (`n × d`, e.g. LSA output or embeddings), in the
    /// [`metric`](Self::metric) of the parameters: cosine (spherical k-means, the same
    /// clustering as [`fit`](Self::fit) on the same rows stored sparse, up to rounding) or
    /// Euclidean (classic k-means, scikit-learn's `KMeans`). See [`KMeansModel`] for what is
    /// computed.
    ///
    /// Every parameter applies as for sparse rows: seeding by greedy k-means++ or k-means||
    /// in the metric, `n_init` runs in parallel (the lowest objective wins, ties the first),
    /// `tol` on the relative decrease of the objective, [`KMeansAlgorithm`] for the bounds
    /// that let rows skip their products, and mini-batches. The assignment multiplies blocks
    /// of rows by the centroids (GEMM); the result is bit-identical at any thread count.
    /// Rows need not be contiguous (they are copied if not).
    ///
    /// # Errors
    /// [`KMeansError::TooFewRows`] if `x` has fewer rows than `n_clusters`;
    /// [`KMeansError::NonFinite`] if it holds a NaN or infinity;
    /// [`KMeansError::AllRowsEmpty`] for cosine if every row is zero (or `x` has no column);
    /// [`KMeansError::NoColumns`] for Euclidean if `x` has no column;
    /// [`KMeansError::Core`] if the thread pool cannot be built.
    pub fn fit_dense(&self, x: ArrayView2<'_, f32>) -> Result<KMeansModel> {
        let (n_rows, n_cols) = x.dim();
        let n_clusters = self.n_clusters();
        if n_rows < n_clusters {
            return Err(KMeansError::TooFewRows { n_rows, n_clusters });
        }
        check_finite(x)?;
        let metric = self.metric();
        match metric {
            KMeansMetric::Euclidean if n_cols == 0 => {
                return Err(KMeansError::NoColumns { n_rows });
            }
            KMeansMetric::Cosine if x.iter().all(|&v| v == 0.0) => {
                return Err(KMeansError::AllRowsEmpty { n_rows });
            }
            _ => {}
        }
        let mut owned = Vec::new();
        let data = row_major(&x, &mut owned);
        let best = with_threads(self.threads(), || {
            let pts = Points::new(data, n_rows, n_cols, metric);
            let runs: Vec<Run> = (0..self.n_init())
                .into_par_iter()
                .map(|r| {
                    let mut rng = run_rng(self.seed(), r);
                    match self.batch_size() {
                        None => run(&pts, self, &mut rng),
                        Some(b) => run_minibatch_dense(&pts, self, b, &mut rng),
                    }
                })
                .collect();
            // The lowest objective; ties go to the first run.
            runs.into_iter().reduce(|best, r| if r.objective < best.objective { r } else { best })
        })?;
        // No run at all only if n_init were 0, which validation rules out.
        let best = best.ok_or(KMeansParamsError::NInit)?;
        Ok(KMeansModel::from_run(best, n_clusters, n_cols, metric))
    }
}

/// The generator of run `r`: the seed's, jumped `r` times (2^128 draws each), as the sparse
/// path, so run 0 is exactly the run of `n_init = 1`.
pub(crate) fn run_rng(seed: u64, r: usize) -> Xoshiro256Plus {
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    for _ in 0..r {
        rng.jump();
    }
    rng
}

impl KMeansParams {
    /// Validates the parameters, then fits as [`KMeansValidParams::fit_dense`].
    ///
    /// # Errors
    /// [`KMeansError::InvalidParams`] if a parameter breaks its rule, else as
    /// [`KMeansValidParams::fit_dense`].
    pub fn fit_dense(&self, x: ArrayView2<'_, f32>) -> Result<KMeansModel> {
        self.check_ref()?.fit_dense(x)
    }
}

impl KMeansModel {
    /// The cluster of each dense row of `x` (`n × n_features`), as the fit assigns rows:
    /// cosine, the centroid of highest cosine (zero rows: 0); Euclidean, the nearest
    /// centroid. Ties go to the lowest cluster. The fitted rows get their
    /// [`labels`](Self::labels) back, to the bit. Runs on the current rayon pool; the result
    /// does not depend on it.
    ///
    /// # Errors
    /// [`KMeansError::FeatureMismatch`] if `x` does not have
    /// [`n_features`](Self::n_features) columns; [`KMeansError::NonFinite`] if it holds a
    /// NaN or infinity.
    pub fn predict_dense(&self, x: ArrayView2<'_, f32>) -> Result<Vec<u32>> {
        let (n_rows, n_cols) = x.dim();
        if n_cols != self.n_features() {
            return Err(KMeansError::FeatureMismatch {
                expected: self.n_features(),
                found: n_cols,
            });
        }
        check_finite(x)?;
        let mut owned = Vec::new();
        let data = row_major(&x, &mut owned);
        let pts = Points::new(data, n_rows, n_cols, self.metric());
        let centers = Centers::new(self.centroids().to_vec(), self.n_clusters(), n_cols);
        Ok(nearest_all(&pts, &centers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleaved_sums_match_plain_sums() {
        let a: Vec<f32> = (0..21).map(|i| i as f32 * 0.5 - 3.0).collect();
        let b: Vec<f32> = (0..21).map(|i| 1.0 - i as f32 * 0.25).collect();
        let plain_sq: f64 =
            a.iter().zip(&b).map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2)).sum();
        let plain_dot: f64 = a.iter().zip(&b).map(|(&x, &y)| f64::from(x) * f64::from(y)).sum();
        assert_eq!(sq_dist(&a, &b), plain_sq);
        assert_eq!(dot(&a, &b), plain_dot);
        assert_eq!(sq_dist(&a[..3], &b[..3]), 4.0f64.powi(2) + 3.25f64.powi(2) + 2.5f64.powi(2));
    }

    #[test]
    fn ties_go_to_the_lowest_cluster_in_both_metrics() {
        // Two equal centroids and a farther one.
        let centers = Centers::new(vec![1.0, 0.0, 1.0, 0.0, 0.0, 1.0], 3, 2);
        assert_eq!(centers.nearest(KMeansMetric::Euclidean, &[0.5, 0.5, 0.0]), 0);
        assert_eq!(centers.nearest(KMeansMetric::Cosine, &[0.5, 0.5, 0.0]), 0);
        assert_eq!(centers.nearest(KMeansMetric::Cosine, &[0.1, 0.2, 0.3]), 2);
        // Euclidean compares ‖c‖² − 2 x·c: a long centroid loses to a nearer short one.
        let centers = Centers::new(vec![4.0, 0.0, 1.0, 0.0], 2, 2);
        assert_eq!(centers.nearest(KMeansMetric::Euclidean, &[4.0, 1.0]), 1);
        assert_eq!(centers.nearest(KMeansMetric::Cosine, &[4.0, 1.0]), 0);
    }

    #[test]
    fn estimates_are_within_their_error_of_exact_distances() {
        let data: Vec<f32> = (0..40).map(|i| ((i * 37) % 17) as f32 * 0.3 - 2.0).collect();
        let cents: Vec<f32> = (0..15).map(|i| ((i * 11) % 7) as f32 * 0.4 - 1.0).collect();
        for metric in [KMeansMetric::Euclidean, KMeansMetric::Cosine] {
            let pts = Points::new(&data, 8, 5, metric);
            let mut c = vec![0.0f32; 15];
            for j in 0..3 {
                pts.centroid_of(j + 2, &mut c[j * 5..(j + 1) * 5]);
            }
            if metric == KMeansMetric::Euclidean {
                c.copy_from_slice(&cents);
            }
            let centers = Centers::new(c, 3, 5);
            let mut g = vec![0.0f32; 8 * 3];
            pts.block_products(0, &centers.data, &mut g);
            for i in pts.valid.iter().copied() {
                for j in 0..3 {
                    let (_, exact) = centers.own(&pts, i, j);
                    let est = centers.estimate(&pts, i, j, g[i * 3 + j]);
                    assert!((est - exact).abs() <= centers.err(&pts, i), "{metric} {i} {j}");
                }
            }
        }
    }

    #[test]
    fn update_averages_or_normalises_and_keeps_empty_centroids() {
        let data = [1.0f32, 0.0, 3.0, 0.0, 0.0, 2.0];
        let previous = Centers::new(vec![9.0, 9.0, 7.0, 7.0, 5.0, 5.0], 3, 2);
        let e = Points::new(&data, 3, 2, KMeansMetric::Euclidean);
        let mut sums = Sums::build(&e, &[0, 0, 2], 3);
        let means = sums.centroids(KMeansMetric::Euclidean, &previous.data);
        assert_eq!(means, vec![2.0, 0.0, 7.0, 7.0, 0.0, 2.0]);
        // Moving row 1 to cluster 1 and back leaves the sums as they were; emptying a cluster
        // clears its sum exactly.
        sums.apply(&e, &[(1, 0, 1)]);
        assert_eq!(sums.counts, vec![1, 1, 1]);
        assert_eq!(
            sums.centroids(KMeansMetric::Euclidean, &previous.data)[..4],
            [1.0, 0.0, 3.0, 0.0]
        );
        sums.apply(&e, &[(1, 1, 0)]);
        assert_eq!(sums.centroids(KMeansMetric::Euclidean, &previous.data), means);
        sums.apply(&e, &[(2, 2, 0)]);
        assert_eq!((sums.counts[2], &sums.sums[4..]), (0, &[0.0, 0.0][..]));
        let c = Points::new(&data, 3, 2, KMeansMetric::Cosine);
        let unit = Sums::build(&c, &[1, 1, 1], 3).centroids(KMeansMetric::Cosine, &previous.data);
        let s = (2.0f64 * 2.0 + 1.0).sqrt();
        assert_eq!(&unit[..2], &[9.0, 9.0]);
        assert_eq!(&unit[2..4], &[(2.0 / s) as f32, (1.0 / s) as f32]);
    }

    #[test]
    fn reseeding_takes_the_farthest_row_of_a_shared_cluster() {
        let data = [0.0f32, 1.0, 2.0, 10.0];
        let pts = Points::new(&data, 4, 1, KMeansMetric::Euclidean);
        let mut labels = vec![0, 0, 1, 0];
        let mut cost = vec![0.5, 0.1, 9.0, 3.0];
        // Row 2 is farthest but alone in cluster 1; row 3 is the next.
        assert_eq!(reseed(&pts, &mut labels, &mut cost, &[3, 1, 0]), vec![(3, 0, 2)]);
        assert_eq!(labels, vec![0, 0, 1, 2]);
    }
}
