//! Lloyd iterations of spherical k-means, and the fitted model.

use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use thematic_core::{CsrMatrix, CsrRow, ParamGuard, with_threads};

use super::dense::run_rng;
use super::errors::{KMeansError, KMeansParamsError, Result};
use super::hyperparams::{
    KMeansAlgorithm, KMeansInit, KMeansMetric, KMeansParams, KMeansValidParams,
};
use super::init::{kmeans_parallel, kmeans_plus_plus};
use super::kernel::{LANES, TermMajor};
use super::minibatch::run_minibatch;
use super::sums::Sums;

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
    pub(crate) fn new(x: &'a CsrMatrix<f32>) -> Self {
        let inv_norm: Vec<f64> = (0..x.n_rows())
            .into_par_iter()
            .with_min_len(CHUNK)
            .map(|i| inv_norm(x.row(i)))
            .collect();
        let nonzero = (0..x.n_rows()).filter(|&i| inv_norm[i] > 0.0).collect();
        Rows { x, inv_norm, nonzero }
    }

    pub(crate) fn matrix(&self) -> &'a CsrMatrix<f32> {
        self.x
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

/// The direction of a row as a centroid: its values scaled to unit norm (all zero for an
/// empty row), aligned with its column indices.
pub(crate) fn unit_row_values(row: CsrRow<'_, f32>, inv_norm: f64) -> Vec<f32> {
    let scaled: Vec<f64> = row.values.iter().map(|&v| inv_norm * f64::from(v)).collect();
    let norm = scaled.iter().map(|s| s * s).sum::<f64>().sqrt();
    if norm > 0.0 && norm.is_finite() {
        scaled.iter().map(|s| (s / norm) as f32).collect()
    } else {
        vec![0.0; scaled.len()]
    }
}

/// Writes into `out` (all of it) the direction of a row as a dense centroid.
pub(crate) fn write_unit_row(row: CsrRow<'_, f32>, inv_norm: f64, out: &mut [f32]) {
    out.fill(0.0);
    for (&j, v) in row.indices.iter().zip(unit_row_values(row, inv_norm)) {
        out[j as usize] = v;
    }
}

/// Upper bounds kept per row by the pruned assignment, in cosine units, one per group of
/// `group_len` consecutive clusters (Yinyang k-means, Ding et al. 2015, adapted to cosine
/// as Schubert, Lang & Feher 2021 do): `upper[row * groups + g]` is never below the row's
/// similarity to any centroid of group `g` other than its own.
///
/// One group of all clusters is Hamerly's single bound. Groups of [`LANES`] clusters cost
/// one bound per 16 clusters and let a row skip the groups whose centroids barely moved,
/// even when a few centroids elsewhere moved a lot; a group that must be scored is one
/// contiguous 64-byte run of each term's table row.
///
/// `lower[row]` is never above the row's similarity to its own centroid. A row whose lower
/// bound beats every group bound keeps its label without computing anything, not even its
/// own similarity; that is what makes late iterations, where few rows move, nearly free.
struct Bounds {
    upper: Vec<f32>,
    lower: Vec<f32>,
    groups: usize,
    group_len: usize,
}

impl Bounds {
    fn new(n: usize, kernel_kp: usize, algorithm: KMeansAlgorithm) -> Option<Self> {
        let group_len = match algorithm {
            KMeansAlgorithm::Lloyd => return None,
            KMeansAlgorithm::Hamerly => kernel_kp,
            KMeansAlgorithm::Yinyang => LANES,
        };
        let groups = kernel_kp / group_len;
        // No bound yet: the first pruned assignment scores every group.
        Some(Bounds {
            upper: vec![f32::INFINITY; n * groups],
            lower: vec![f32::NEG_INFINITY; n],
            groups,
            group_len,
        })
    }
}

/// Slack added to the bounds at every centroid move, far above the rounding of an `f32`
/// similarity (about 1e-7 per non-zero), so that a bound never excludes a centroid that
/// the exact computation would choose: pruning gives Lloyd's labels to the bit.
const BOUND_SLACK: f32 = 1e-5;

/// Work counters of the assignment steps of a run.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Work {
    /// Row–centroid similarities computed.
    pub(crate) computed: u64,
    /// Row–centroid similarities a full Lloyd step would have computed.
    pub(crate) total: u64,
}

/// A row that changed cluster in an assignment.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Move {
    row: usize,
    /// The previous cluster, `u32::MAX` for none.
    from: u32,
    /// The row's cosine to the previous cluster's centroid, as the assignment saw it.
    cos_from: f64,
}

/// What one assignment step found.
struct Assigned {
    /// `Σ (1 − cos)` over the rows, when every row's similarity was computed (Lloyd, or a
    /// first assignment); see `gain` otherwise.
    objective: f64,
    /// `Σ (cos_new − cos_old)` over the rows that moved, both cosines to the centroids this
    /// assignment used: how much the moves lowered the objective of the previous labels.
    gain: f64,
    /// Rows whose label changed, in row order.
    moves: Vec<Move>,
    work: Work,
}

/// Assignment step: labels each row with its nearest centroid and records its cosine to
/// it. With `bounds`, a row whose similarity to its own centroid is above its bound for
/// every other centroid keeps its label without computing the others.
fn assign(
    rows: &Rows<'_>,
    kernel: &TermMajor,
    labels: &mut [u32],
    cos: &mut [f64],
    bounds: Option<&mut Bounds>,
) -> Assigned {
    let parts: Vec<Assigned> = match bounds {
        Some(b) => {
            let (groups, group_len) = (b.groups, b.group_len);
            labels
                .par_chunks_mut(CHUNK)
                .zip(cos.par_chunks_mut(CHUNK))
                .zip(b.upper.par_chunks_mut(CHUNK * groups))
                .zip(b.lower.par_chunks_mut(CHUNK))
                .enumerate()
                .map(|(b, (((l, c), upper), lower))| {
                    let bounds = ChunkBounds { upper, lower, group_len };
                    assign_bounded(rows, kernel, b, l, c, bounds)
                })
                .collect()
        }
        None => labels
            .par_chunks_mut(CHUNK)
            .zip(cos.par_chunks_mut(CHUNK))
            .enumerate()
            .map(|(b, (l, c))| assign_chunk(rows, kernel, b, l, c))
            .collect(),
    };
    // Chunk results are combined in chunk order: the same sums at any thread count.
    let mut all = Assigned { objective: 0.0, gain: 0.0, moves: Vec::new(), work: Work::default() };
    for p in parts {
        all.objective += p.objective;
        all.gain += p.gain;
        all.moves.extend(p.moves);
        all.work.computed += p.work.computed;
        all.work.total += p.work.total;
    }
    all
}

/// Lloyd's assignment of one chunk of rows: every row against every centroid.
fn assign_chunk(
    rows: &Rows<'_>,
    kernel: &TermMajor,
    chunk: usize,
    labels: &mut [u32],
    cos: &mut [f64],
) -> Assigned {
    let k = kernel.k as u64;
    let mut acc = kernel.scratch();
    let mut out = Assigned { objective: 0.0, gain: 0.0, moves: Vec::new(), work: Work::default() };
    for o in 0..labels.len() {
        let i = chunk * CHUNK + o;
        let w = rows.inv_norm[i];
        out.work.total += k;
        if w == 0.0 {
            empty_row(&mut labels[o], &mut cos[o], &mut out);
            continue;
        }
        let row = rows.row(i);
        let current = labels[o];
        let (best, sim, _) = kernel.nearest(row, &mut acc);
        out.work.computed += k;
        if current != best {
            let cos_from =
                if current == u32::MAX { 0.0 } else { f64::from(acc[current as usize]) * w };
            out.moves.push(Move { row: i, from: current, cos_from });
            out.gain += f64::from(sim) * w - cos_from;
            labels[o] = best;
        }
        cos[o] = f64::from(sim) * w;
        // Rounding can make a cosine exceed 1 by an ulp; a distance is never negative.
        out.objective += (1.0 - cos[o]).max(0.0);
    }
    out
}

/// An empty row has similarity 0 with every centroid: cluster 0, cosine 0. It belongs to no
/// sum (see `Sums`), so it is never reported as a move.
fn empty_row(label: &mut u32, cos: &mut f64, out: &mut Assigned) {
    *label = 0;
    *cos = 0.0;
    out.objective += 1.0;
}

/// The bounds of one chunk of rows.
struct ChunkBounds<'a> {
    upper: &'a mut [f32],
    lower: &'a mut [f32],
    group_len: usize,
}

/// The pruned assignment of one chunk of rows (see [`Bounds`]).
///
/// A row first scores its own centroid. Groups whose bound is below the best similarity
/// found so far cannot hold a better centroid and are skipped; the others are scored whole.
/// Comparisons are on the same `f32` dot products as Lloyd's, with the same tie rule (the
/// lowest cluster), so the labels are Lloyd's to the bit: the bounds only decide what need
/// not be computed.
fn assign_bounded(
    rows: &Rows<'_>,
    kernel: &TermMajor,
    chunk: usize,
    labels: &mut [u32],
    cos: &mut [f64],
    bounds: ChunkBounds<'_>,
) -> Assigned {
    let ChunkBounds { upper, lower, group_len } = bounds;
    let k = kernel.k;
    let groups = kernel.kp / group_len;
    let mut acc = vec![0.0f32; group_len];
    // Per group scored: its best and second-best dot products and the best's cluster.
    let mut tops: Vec<(f32, usize, f32)> = vec![(f32::NEG_INFINITY, 0, f32::NEG_INFINITY); groups];
    let mut scored = vec![false; groups];
    let mut out = Assigned { objective: 0.0, gain: 0.0, moves: Vec::new(), work: Work::default() };
    for o in 0..labels.len() {
        let i = chunk * CHUNK + o;
        let w = rows.inv_norm[i];
        out.work.total += k as u64;
        if w == 0.0 {
            empty_row(&mut labels[o], &mut cos[o], &mut out);
            continue;
        }
        let row = rows.row(i);
        let w32 = w as f32;
        let ub = &mut upper[o * groups..(o + 1) * groups];
        let current = labels[o];
        let (mut best, mut best_dot) = (current as usize, f32::NEG_INFINITY);
        if current != u32::MAX && ub.iter().all(|&u| u < lower[o]) {
            // Provably still the nearest: nothing to compute. `cos` keeps an older value
            // (see `refresh_cos` for when that matters).
            continue;
        }
        if current != u32::MAX {
            best_dot = kernel.similarity(row, best);
            out.work.computed += 1;
            lower[o] = best_dot * w32;
            if ub.iter().all(|&u| u < best_dot * w32) {
                cos[o] = f64::from(best_dot) * w;
                out.objective += (1.0 - cos[o]).max(0.0);
                continue;
            }
        }
        let own_dot = best_dot;
        for g in 0..groups {
            scored[g] = false;
            if current != u32::MAX && ub[g] < best_dot * w32 {
                continue;
            }
            let lo = g * group_len;
            kernel.dots_range(row, lo, &mut acc);
            let real = group_len.min(k.saturating_sub(lo));
            // Distinct similarities: the own centroid's was counted above.
            let own_here = current != u32::MAX && (lo..lo + real).contains(&(current as usize));
            out.work.computed += (real - usize::from(own_here)) as u64;
            scored[g] = true;
            let (mut m1, mut c1, mut m2) = (f32::NEG_INFINITY, lo, f32::NEG_INFINITY);
            for (l, &d) in acc[..real].iter().enumerate() {
                let c = lo + l;
                if d > m1 {
                    (m2, m1, c1) = (m1, d, c);
                } else if d > m2 {
                    m2 = d;
                }
                // Lloyd's rule: the highest product, ties to the lowest cluster.
                if d > best_dot || (d == best_dot && c < best) || best == u32::MAX as usize {
                    (best, best_dot) = (c, d);
                }
            }
            tops[g] = (m1, c1, m2);
        }
        for g in 0..groups {
            if scored[g] {
                let (m1, c1, m2) = tops[g];
                ub[g] = if c1 == best { m2 } else { m1 } * w32;
            }
        }
        if best as u32 != current {
            if current != u32::MAX {
                // The old centroid is now one of the others of its group.
                let g = current as usize / group_len;
                ub[g] = ub[g].max(own_dot * w32);
            }
            let cos_from = if current == u32::MAX { 0.0 } else { f64::from(own_dot) * w };
            out.moves.push(Move { row: i, from: current, cos_from });
            out.gain += f64::from(best_dot) * w - cos_from;
            labels[o] = best as u32;
        }
        lower[o] = best_dot * w32;
        cos[o] = f64::from(best_dot) * w;
        out.objective += (1.0 - cos[o]).max(0.0);
    }
    out
}

/// Moves the upper bounds after the centroids moved: a row's similarity to a centroid of
/// group `g` can have grown by at most the largest angle a centroid of `g` turned through
/// (the triangle inequality on angles; Schubert, Lang & Feher 2021, eq. 8).
///
/// `turn[c]` is a lower bound on the cosine between centroid `c` before and after.
fn widen_bounds(bounds: &mut Bounds, labels: &[u32], turn: &[f64]) {
    let (groups, group_len) = (bounds.groups, bounds.group_len);
    let group_turn: Vec<f64> = (0..groups)
        .map(|g| {
            turn[(g * group_len).min(turn.len())..((g + 1) * group_len).min(turn.len())]
                .iter()
                .copied()
                .fold(1.0, f64::min)
        })
        .collect();
    if turn.iter().all(|&t| t >= 1.0) {
        return;
    }
    let widen = |u: f32, p: f64| -> f32 {
        if p >= 1.0 {
            return u;
        }
        // cos(max(0, β − δ)) with cos β = u, cos δ = p; β ≤ δ leaves no bound at all.
        let u = f64::from(u).clamp(-1.0, 1.0);
        let grown =
            if u >= p { 1.0 } else { u * p + ((1.0 - u * u) * (1.0 - p * p)).max(0.0).sqrt() };
        grown as f32 + BOUND_SLACK
    };
    let shrink = |l: f32, p: f64| -> f32 {
        if p >= 1.0 {
            return l;
        }
        // cos(min(π, α + δ)) with cos α = l, cos δ = p; α + δ ≥ π when l ≤ −p.
        let l = f64::from(l).clamp(-1.0, 1.0);
        let shrunk =
            if l <= -p { -1.0 } else { l * p - ((1.0 - l * l) * (1.0 - p * p)).max(0.0).sqrt() };
        shrunk as f32 - BOUND_SLACK
    };
    bounds
        .upper
        .par_chunks_mut(CHUNK * groups)
        .zip(bounds.lower.par_chunks_mut(CHUNK))
        .zip(labels.par_chunks(CHUNK))
        .for_each(|((u, lo), l)| {
            for ((row, lo), &l) in u.chunks_exact_mut(groups).zip(lo).zip(l) {
                for (u, &p) in row.iter_mut().zip(&group_turn) {
                    *u = widen(*u, p);
                }
                if l != u32::MAX {
                    *lo = shrink(*lo, turn[l as usize]);
                }
            }
        });
}

/// Slack taken off every computed turn cosine, above the rounding of the similarities it
/// is made of, so that a turn is never underestimated.
const TURN_SLACK: f64 = 1e-5;

/// Applies an assignment's moves to the sums, re-seeds emptied clusters and returns, for
/// each cluster, a lower bound on the cosine between its centroid before and after.
///
/// The turn is computed, not bounded from the number of moves: with `S` a cluster's old sum
/// and `Δ` what the moves added, `⟨S, S + Δ⟩ = ‖S‖² + ‖S‖ Σ ±cos(x, S)` over the rows that
/// joined (+) or left (−), and the assignment already computed each of those cosines. So
/// `cos(turn) = (‖S‖ + Σ ±cos) / ‖S + Δ‖`, exactly up to rounding.
fn update(
    rows: &Rows<'_>,
    sums: &mut Sums,
    moves: &[Move],
    labels: &mut [u32],
    cos: &mut [f64],
    bounds: Option<&mut Bounds>,
) -> Vec<f64> {
    let k = sums.k();
    let old_norm: Vec<f64> = (0..k).map(|c| sums.norm(c)).collect();
    let mut moved = vec![0usize; k];
    let mut gained = vec![0.0f64; k];
    let building = moves.len() == rows.nonzero.len() && moves.iter().all(|m| m.from == u32::MAX);
    if building {
        // The first update: every row joins a cluster. Build all sums at once, in parallel.
        sums.build(rows, labels);
        moved.iter_mut().for_each(|m| *m = 1);
    } else {
        for m in moves {
            let row = rows.row(m.row);
            let to = labels[m.row] as usize;
            if m.from != u32::MAX {
                sums.add(row, rows.inv_norm[m.row], m.from as usize, -1.0);
                moved[m.from as usize] += 1;
                gained[m.from as usize] -= m.cos_from;
            }
            sums.add(row, rows.inv_norm[m.row], to, 1.0);
            moved[to] += 1;
            gained[to] += cos[m.row];
        }
    }
    // (After the first assignment every cosine is current, and the kernel holds no
    // centroid yet.)
    if !building && (0..k).any(|c| sums.count(c) == 0) {
        refresh_cos(rows, &sums.kernel, labels, cos);
    }
    let reseeded = reseed(rows, sums, labels, cos, &mut moved, &mut gained);
    if let Some(b) = bounds {
        for &i in &reseeded {
            // A re-seeded row sits at its new centroid; its bounds are unknown.
            b.upper[i * b.groups..(i + 1) * b.groups].fill(f32::INFINITY);
            b.lower[i] = f32::NEG_INFINITY;
        }
    }
    if moved.iter().zip(0..k).any(|(&m, c)| m > 0 && m * 4 >= sums.count(c)) {
        // Norms kept incrementally gather rounding, which matters once much of a sum has
        // been taken away: recompute them all (one pass over the sums) after large moves.
        sums.refresh_norms();
    }
    sums.renormalise();
    (0..k)
        .map(|c| {
            let (old, new) = (old_norm[c], sums.norm(c));
            if moved[c] == 0 {
                1.0
            } else if old > 0.0 && new > 0.0 {
                ((old + gained[c]) / new - TURN_SLACK).clamp(-1.0, 1.0)
            } else {
                -1.0
            }
        })
        .collect()
}

/// Recomputes every row's cosine to its cluster's centroid in `kernel` (the centroids of the
/// last assignment). Pruned assignments skip rows whose cosine is not needed, leaving older
/// values; re-seeding ranks rows by cosine, so it needs them all current, and then they
/// are exactly what a full assignment would have left.
fn refresh_cos(rows: &Rows<'_>, kernel: &TermMajor, labels: &[u32], cos: &mut [f64]) {
    cos.par_chunks_mut(CHUNK).enumerate().for_each(|(b, chunk)| {
        for (o, c) in chunk.iter_mut().enumerate() {
            let i = b * CHUNK + o;
            let w = rows.inv_norm[i];
            *c = if w == 0.0 || labels[i] == u32::MAX {
                0.0
            } else {
                f64::from(kernel.similarity(rows.row(i), labels[i] as usize)) * w
            };
        }
    });
}

/// Re-seeds each empty cluster (ascending) with the row farthest from its centroid (lowest
/// cosine; ties: the lowest row) among rows whose cluster keeps at least one other member,
/// moving that row into it. Returns the rows moved. A cluster stays empty only when every
/// non-empty row is alone in its cluster, which needs fewer distinct rows than clusters.
fn reseed(
    rows: &Rows<'_>,
    sums: &mut Sums,
    labels: &mut [u32],
    cos: &mut [f64],
    moved: &mut [usize],
    gained: &mut [f64],
) -> Vec<usize> {
    let empty: Vec<usize> = (0..sums.k()).filter(|&c| sums.count(c) == 0).collect();
    if empty.is_empty() {
        return Vec::new();
    }
    let mut donors = rows.nonzero.clone();
    donors.sort_unstable_by(|&a, &b| cos[a].total_cmp(&cos[b]).then(a.cmp(&b)));
    let mut donors = donors.into_iter();
    let mut taken = Vec::new();
    for c in empty {
        let Some(i) = donors.by_ref().find(|&i| sums.count(labels[i] as usize) >= 2) else {
            break;
        };
        let from = labels[i] as usize;
        sums.add(rows.row(i), rows.inv_norm[i], from, -1.0);
        sums.add(rows.row(i), rows.inv_norm[i], c, 1.0);
        moved[from] += 1;
        moved[c] += 1;
        gained[from] -= cos[i];
        labels[i] = c as u32;
        cos[i] = 1.0;
        taken.push(i);
    }
    taken
}

/// The outcome of one run (one initialisation and its iterations).
pub(crate) struct Run {
    pub(crate) centroids: Vec<f32>,
    pub(crate) labels: Vec<u32>,
    pub(crate) objective: f64,
    pub(crate) n_iter: usize,
    pub(crate) converged: bool,
    pub(crate) history: Vec<f64>,
    pub(crate) work: Work,
}

/// Lloyd's assignment of every row to the nearest centroid of `kernel`: the labels, the
/// objective and the work.
pub(crate) fn full_assignment(rows: &Rows<'_>, kernel: &TermMajor) -> (Vec<u32>, f64, Work) {
    let n = rows.n_rows();
    let (mut labels, mut cos) = (vec![u32::MAX; n], vec![0.0; n]);
    let step = assign(rows, kernel, &mut labels, &mut cos, None);
    (labels, step.objective, step.work)
}

/// One run: k-means++ seeding and a first assignment, then up to `max_iter` iterations of
/// update and assignment. The labels and objective belong to the final centroids.
fn run(rows: &Rows<'_>, p: &KMeansValidParams, rng: &mut Xoshiro256Plus) -> Run {
    let k = p.n_clusters();
    let n = rows.n_rows();
    let init = TermMajor::from_rows(&seed_centroids(rows, p, k, rng), k, rows.n_cols());
    let mut labels = vec![u32::MAX; n];
    let mut cos = vec![0.0f64; n];
    let mut bounds = Bounds::new(n, init.kp, p.algorithm());
    let first = assign(rows, &init, &mut labels, &mut cos, bounds.as_mut());
    drop(init);
    let mut work = first.work;
    let mut objective = first.objective;
    let mut sums = Sums::new(k, rows.n_cols());
    let mut moves = first.moves;
    let mut history = Vec::new();
    let mut converged = false;
    let mut n_iter = 0;
    for iter in 1..=p.max_iter() {
        let turn = update(rows, &mut sums, &moves, &mut labels, &mut cos, bounds.as_mut());
        if let Some(b) = bounds.as_mut() {
            widen_bounds(b, &labels, &turn);
        }
        // The objective of the current labels under the new centroids: each cluster's rows
        // have cosines to its unit centroid summing to the norm of their sum.
        let before_moves = n as f64 - (0..k).map(|c| sums.norm(c)).sum::<f64>();
        let previous = objective;
        let step = assign(rows, &sums.kernel, &mut labels, &mut cos, bounds.as_mut());
        // Pruned rows' similarities are not computed, so the objective comes from the sums
        // and what the moves gained, the same way for every algorithm.
        objective = (before_moves - step.gain).max(0.0);
        moves = step.moves;
        work.computed += step.work.computed;
        work.total += step.work.total;
        history.push(objective);
        n_iter = iter;
        // `<=` so that a tolerance of 0 stops once the objective no longer decreases, and a
        // perfect fit (objective 0) stops at once.
        if moves.is_empty() || previous - objective <= p.tol() * previous {
            converged = true;
            break;
        }
    }
    // The sums have not taken the last moves: they are the centroids the labels belong to.
    Run { centroids: sums.unit_centroids(), labels, objective, n_iter, converged, history, work }
}

/// The initial centroids, as the parameters ask.
pub(crate) fn seed_centroids(
    rows: &Rows<'_>,
    p: &KMeansValidParams,
    k: usize,
    rng: &mut Xoshiro256Plus,
) -> Vec<f32> {
    match p.init() {
        KMeansInit::KMeansPlusPlus => kmeans_plus_plus(rows, k, rng),
        KMeansInit::KMeansParallel => kmeans_parallel(rows, k, rng),
    }
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
    /// Dense rows go to [`fit_dense`](Self::fit_dense).
    ///
    /// # Errors
    /// [`KMeansError::EuclideanNeedsDense`] if the [`metric`](Self::metric) is
    /// [`KMeansMetric::Euclidean`];
    /// [`KMeansError::TooFewRows`] if `x` has fewer rows than `n_clusters`;
    /// [`KMeansError::NonFinite`] if it holds a NaN or infinity;
    /// [`KMeansError::AllRowsEmpty`] if no row has a non-zero value;
    /// [`KMeansError::Core`] if the thread pool cannot be built.
    pub fn fit(&self, x: &CsrMatrix<f32>) -> Result<KMeansModel> {
        if self.metric() == KMeansMetric::Euclidean {
            // The sparse kernel scores directions; Euclidean distances between TF-IDF rows
            // would mostly measure response length, and densifying them is rarely affordable.
            return Err(KMeansError::EuclideanNeedsDense);
        }
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
            let runs: Vec<Run> = (0..self.n_init())
                .into_par_iter()
                .map(|r| {
                    // Run r draws from a stream 2^128 draws past run r - 1's: independent,
                    // and run 0 is exactly the run of n_init = 1.
                    let mut rng = run_rng(self.seed(), r);
                    match self.batch_size() {
                        None => run(&rows, self, &mut rng),
                        Some(b) => run_minibatch(&rows, self, b, &mut rng),
                    }
                })
                .collect();
            // The lowest objective; ties go to the first run.
            runs.into_iter().reduce(|best, r| if r.objective < best.objective { r } else { best })
        })?;
        // No run at all only if n_init were 0, which validation rules out.
        let best = best.ok_or(KMeansParamsError::NInit)?;
        Ok(KMeansModel::from_run(best, n_clusters, x.n_cols(), KMeansMetric::Cosine))
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

/// A fitted k-means model: `k` centroids and the label of each fitted row.
///
/// **Cosine** ([`KMeansMetric::Cosine`], the default). Spherical k-means clusters rows by
/// direction (cosine similarity), the usual measure for TF-IDF vectors. Each row `x` is used
/// as its direction `x / ‖x‖` (TF-IDF rows already have unit norm). The fit alternates two
/// steps until it converges:
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
/// its centroid among rows whose cluster keeps another member. With fewer distinct
/// non-empty rows than `n_clusters` (duplicated rows), a cluster can still end with no
/// member: [`cluster_sizes`](Self::cluster_sizes) shows it, and its centroid is the last one
/// it had (or zero if it never had a member).
///
/// For sparse rows, centroids are kept as running sums that only the rows that moved update,
/// and the assignment skips centroids that bounds rule out ([`KMeansAlgorithm::Hamerly`]);
/// neither changes the result, only its cost. Dense rows are scored by blocks of matrix
/// products, with the same kind of bounds skipping rows (see
/// [`KMeansValidParams::fit_dense`]).
///
/// **Euclidean** ([`KMeansMetric::Euclidean`], dense rows only, see
/// [`KMeansValidParams::fit_dense`]). Classic k-means: each row goes to the centroid at the
/// smallest Euclidean distance and each centroid becomes the mean of its rows, kept as is
/// (not normalised). The objective is the sum of squared distances, scikit-learn's inertia.
/// Emptied clusters are re-seeded as above (the farthest row by squared distance). Cosine fits
/// of dense rows follow the cosine rules above, zero rows included.
///
/// The labels belong to the final centroids: [`predict`](Self::predict) (sparse rows) or
/// [`predict_dense`](Self::predict_dense) (dense rows) on the fitted rows returns
/// [`labels`](Self::labels). Deserialisation checks the model's invariants; a model saved
/// before the metric was recorded is cosine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ModelRepr")]
pub struct KMeansModel {
    metric: KMeansMetric,
    n_clusters: usize,
    n_features: usize,
    centroids: Vec<f32>,
    labels: Vec<u32>,
    objective: f64,
    n_iter: usize,
    converged: bool,
    inertia_history: Vec<f64>,
    similarities: (u64, u64),
}

impl KMeansModel {
    /// The model of a run.
    pub(crate) fn from_run(
        run: Run,
        n_clusters: usize,
        n_features: usize,
        metric: KMeansMetric,
    ) -> Self {
        KMeansModel {
            metric,
            n_clusters,
            n_features,
            centroids: run.centroids,
            labels: run.labels,
            objective: run.objective,
            n_iter: run.n_iter,
            converged: run.converged,
            inertia_history: run.history,
            similarities: (run.work.computed, run.work.total),
        }
    }

    /// How the model compares rows: the metric it was fitted with.
    pub fn metric(&self) -> KMeansMetric {
        self.metric
    }

    /// Row–centroid similarities the winning run computed, and how many plain Lloyd
    /// iterations would have computed (`n_rows × k` per assignment). Their ratio shows what
    /// the bounds of [`KMeansAlgorithm::Hamerly`] saved.
    pub fn similarities_computed(&self) -> (u64, u64) {
        self.similarities
    }

    /// The fraction of row–centroid similarities that pruning skipped, in `[0, 1)`.
    pub fn skipped_fraction(&self) -> f64 {
        let (computed, total) = self.similarities;
        if total == 0 { 0.0 } else { 1.0 - computed as f64 / total as f64 }
    }

    /// The centroids, dense and row-major: `n_clusters × n_features` values. Cosine: each
    /// row of unit norm (or zero for a cluster that never had a member). Euclidean: each row
    /// the mean of its cluster's rows.
    pub fn centroids(&self) -> &[f32] {
        &self.centroids
    }

    /// Centroid `c`, `n_features` values (see [`centroids`](Self::centroids)).
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

    /// The objective of the fit, the lowest over the `n_init` runs: for cosine
    /// `Σ_i (1 − cos(x_i, c_{label_i}))` over the fitted rows, for Euclidean
    /// `Σ_i ‖x_i − c_{label_i}‖²` (the inertia).
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
    /// being [`objective`](Self::objective)); non-increasing up to rounding. For mini-batch
    /// runs, one value per step: the smoothed batch objective scaled to all rows, an
    /// estimate that is noisy and need not end at the final objective.
    pub fn inertia_history(&self) -> &[f64] {
        &self.inertia_history
    }

    /// The cluster of each row of `x`: the centroid of highest cosine (ties: the lowest
    /// cluster; empty rows: 0). Runs on the current rayon pool; the result does not depend
    /// on it.
    ///
    /// A Euclidean model gives each row the centroid at the smallest Euclidean distance
    /// (empty rows are the origin), scored in `f64` from the sparse values: the same
    /// labels as [`predict_dense`](Self::predict_dense) on the same rows except, rarely, for
    /// a row almost equally close to two centroids.
    ///
    /// # Errors
    /// [`KMeansError::FeatureMismatch`] if `x` does not have
    /// [`n_features`](Self::n_features) columns; [`KMeansError::NonFinite`] if it holds a
    /// NaN or infinity.
    pub fn predict(&self, x: &CsrMatrix<f32>) -> Result<Vec<u32>> {
        self.check_matrix(x)?;
        if self.metric == KMeansMetric::Euclidean {
            return Ok(self.predict_sparse_euclidean(x));
        }
        // The same kernel as fitting, so that predicting the fitted rows gives their labels
        // to the bit, ties included.
        let table = TermMajor::from_rows(&self.centroids, self.n_clusters, self.n_features);
        Ok((0..x.n_rows())
            .into_par_iter()
            .with_min_len(CHUNK)
            .map_init(
                || table.scratch(),
                |acc, i| {
                    let row = x.row(i);
                    if row.values.iter().all(|&v| v == 0.0) { 0 } else { table.nearest(row, acc).0 }
                },
            )
            .collect())
    }

    /// The cosine of each row of `x` to the centroid of its label (`labels[i]` for row `i`),
    /// e.g. to pick the most representative responses of a theme. Empty rows (and, for a
    /// Euclidean model, zero centroids) have cosine 0. Runs on the current rayon pool.
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
        // Cosine centroids are unit vectors; Euclidean ones (means) are scaled here.
        let inv_centroid_norm: Vec<f64> = (0..self.n_clusters)
            .map(|c| match self.metric {
                KMeansMetric::Cosine => 1.0,
                KMeansMetric::Euclidean => {
                    let sq: f64 = self.centroid(c).iter().map(|&v| f64::from(v).powi(2)).sum();
                    if sq > 0.0 { 1.0 / sq.sqrt() } else { 0.0 }
                }
            })
            .collect();
        Ok(labels
            .par_iter()
            .enumerate()
            .with_min_len(CHUNK)
            .map(|(i, &l)| {
                let row = x.row(i);
                let c = l as usize;
                (sparse_dot(row, self.centroid(c)) * inv_norm(row) * inv_centroid_norm[c]) as f32
            })
            .collect())
    }

    /// The nearest centroid of each row in Euclidean distance, from `‖c‖² − 2 x·c` in `f64`
    /// (ties: the lowest cluster).
    fn predict_sparse_euclidean(&self, x: &CsrMatrix<f32>) -> Vec<u32> {
        let sq: Vec<f64> = (0..self.n_clusters)
            .map(|c| self.centroid(c).iter().map(|&v| f64::from(v).powi(2)).sum())
            .collect();
        (0..x.n_rows())
            .into_par_iter()
            .with_min_len(CHUNK)
            .map(|i| {
                let row = x.row(i);
                let (mut best, mut best_score) = (0, f64::INFINITY);
                for (c, &sq) in sq.iter().enumerate() {
                    let score = sq - 2.0 * sparse_dot(row, self.centroid(c));
                    if score < best_score {
                        (best, best_score) = (c as u32, score);
                    }
                }
                best
            })
            .collect()
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
    // Absent from models saved before the metric existed: those were cosine.
    #[serde(default)]
    metric: KMeansMetric,
    n_clusters: usize,
    n_features: usize,
    centroids: Vec<f32>,
    labels: Vec<u32>,
    objective: f64,
    n_iter: usize,
    converged: bool,
    inertia_history: Vec<f64>,
    #[serde(default)]
    similarities: (u64, u64),
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
            metric: r.metric,
            n_clusters: r.n_clusters,
            n_features: r.n_features,
            centroids: r.centroids,
            labels: r.labels,
            objective: r.objective,
            n_iter: r.n_iter,
            converged: r.converged,
            inertia_history: r.inertia_history,
            similarities: r.similarities,
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
        let mut sums = Sums::new(2, 5);
        sums.add(x.row(0), rows.inv_norm[0], 1, 1.0);
        sums.add(x.row(1), rows.inv_norm[1], 0, 1.0);
        sums.refresh_norms();
        let by_sums = sums.unit_centroids();
        let mut by_row = vec![0.5f32; 5];
        write_unit_row(x.row(0), rows.inv_norm[0], &mut by_row);
        assert_eq!(&by_sums[5..], &by_row[..]);
        let norm: f32 = by_row.iter().map(|v| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-6);
        assert_eq!(&by_sums[..5], &[0.0, 1.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn ties_go_to_the_lowest_cluster() {
        let x = matrix(2, &[&[(0, 1.0)], &[]]);
        let centroids = [0.0, 1.0, 1.0, 0.0, 1.0, 0.0];
        let table = TermMajor::from_rows(&centroids, 3, 2);
        let mut acc = table.scratch();
        assert_eq!(table.nearest(x.row(0), &mut acc), (1, 1.0, 1.0));
        assert_eq!(table.nearest(x.row(1), &mut acc), (0, 0.0, 0.0));
        assert_eq!(table.similarity(x.row(0), 2), 1.0);
    }

    #[test]
    fn removing_the_last_member_clears_a_cluster_exactly() {
        let x = matrix(3, &[&[(0, 0.1), (1, 0.7)], &[(1, 0.3), (2, 0.9)]]);
        let rows = Rows::new(&x);
        let mut sums = Sums::new(2, 3);
        sums.add(x.row(0), rows.inv_norm[0], 0, 1.0);
        sums.add(x.row(1), rows.inv_norm[1], 0, 1.0);
        sums.add(x.row(1), rows.inv_norm[1], 0, -1.0);
        assert_eq!(sums.count(0), 1);
        sums.add(x.row(0), rows.inv_norm[0], 0, -1.0);
        assert_eq!((sums.count(0), sums.norm(0)), (0, 0.0));
        assert!(sums.unit_centroids().iter().all(|&v| v == 0.0));
        sums.renormalise();
        assert!(sums.kernel.table.iter().all(|&v| v == 0.0));
    }

    #[test]
    fn update_computes_each_centroid_turn_from_the_moves() {
        let x = matrix(
            3,
            &[&[(0, 1.0)], &[(0, 1.0), (1, 1.0)], &[(1, 1.0)], &[(1, 0.5), (2, 1.0)], &[(2, 1.0)]],
        );
        let rows = Rows::new(&x);
        let mut sums = Sums::new(3, 3);
        let mut labels = vec![0, 0, 1, 1, 2];
        let mut cos = vec![0.0; 5];
        let all: Vec<Move> =
            (0..5).map(|row| Move { row, from: u32::MAX, cos_from: 0.0 }).collect();
        update(&rows, &mut sums, &all, &mut labels, &mut cos, None);
        assert_eq!(labels, vec![0, 0, 1, 1, 2], "no cluster was empty");
        let old = sums.unit_centroids();
        let cosine = |i: usize, c: &[f32]| {
            crate::kmeans::algorithm::sparse_dot(x.row(i), c) * rows.inv_norm[i]
        };
        for i in 0..5 {
            cos[i] = cosine(i, &old[labels[i] as usize * 3..][..3]);
        }
        // Row 1 moves from cluster 0 to cluster 1, as an assignment would report it.
        let cos_from = cos[1];
        labels[1] = 1;
        cos[1] = cosine(1, &old[3..6]);
        let turn = update(
            &rows,
            &mut sums,
            &[Move { row: 1, from: 0, cos_from }],
            &mut labels,
            &mut cos,
            None,
        );
        let new = sums.unit_centroids();
        for c in 0..3 {
            let truth: f64 =
                (0..3).map(|j| f64::from(old[c * 3 + j]) * f64::from(new[c * 3 + j])).sum();
            assert!(turn[c] <= truth + 1e-12, "cluster {c}: {} above {truth}", turn[c]);
            assert!(
                turn[c] >= truth - 2.0 * TURN_SLACK,
                "cluster {c}: {} far below {truth}",
                turn[c]
            );
        }
        assert_eq!(turn[2], 1.0);
        assert!(turn[0] < 0.99 && turn[1] < 0.99);
    }

    #[test]
    fn update_reseeds_an_emptied_cluster_with_the_farthest_row() {
        let x = matrix(2, &[&[(0, 1.0)], &[(0, 1.0), (1, 0.2)], &[(1, 1.0)]]);
        let rows = Rows::new(&x);
        let mut sums = Sums::new(3, 2);
        let mut labels = vec![0, 0, 1];
        let mut cos = vec![1.0, 0.9, 1.0];
        let all: Vec<Move> =
            (0..3).map(|row| Move { row, from: u32::MAX, cos_from: 0.0 }).collect();
        let turn = update(&rows, &mut sums, &all, &mut labels, &mut cos, None);
        // Cluster 2 was empty: row 1, the farthest of a cluster with two members, moves in.
        assert_eq!(labels, vec![0, 2, 1]);
        assert_eq!(cos[1], 1.0);
        assert_eq!((sums.count(0), sums.count(1), sums.count(2)), (1, 1, 1));
        assert_eq!(turn, vec![-1.0; 3], "no centroid existed before");
    }

    #[test]
    fn assignment_reports_moves_and_sums_cosine_distances() {
        let x = matrix(2, &[&[(0, 2.0)], &[(0, 1.0), (1, 1.0)], &[]]);
        let rows = Rows::new(&x);
        let centroids = [1.0, 0.0, 0.0, 1.0];
        let mut labels = vec![u32::MAX, 1, 0];
        let mut cos = vec![0.0; 3];
        let table = TermMajor::from_rows(&centroids, 2, 2);
        let step = assign(&rows, &table, &mut labels, &mut cos, None);
        assert_eq!(labels, vec![0, 0, 0]);
        let moves: Vec<(usize, u32)> = step.moves.iter().map(|m| (m.row, m.from)).collect();
        assert_eq!(moves, vec![(0, u32::MAX), (1, 1)]);
        // Row 1 left cluster 1, at cosine 1/√2 to it.
        assert!((step.moves[1].cos_from - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-7);
        // The empty row needs no product: 2 rows × 2 centroids computed, of 3 × 2.
        assert_eq!((step.work.computed, step.work.total), (4, 6));
        assert_eq!(cos[0], 1.0);
        assert!((cos[1] - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-7);
        assert!((step.objective - (2.0 - std::f64::consts::FRAC_1_SQRT_2)).abs() < 1e-7);
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
