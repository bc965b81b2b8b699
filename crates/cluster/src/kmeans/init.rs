//! Greedy k-means++ seeding for spherical k-means.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;

use super::algorithm::{CHUNK, Rows, sparse_dot, unit_row_values, write_unit_row};

/// Squared Euclidean distance between the direction of a row and a unit vector, from their
/// dot product and the row's inverse norm: `|x̂ − c|² = 2 − 2 cos`. Rounding can push it
/// slightly below zero, so it is clamped. Empty rows (inverse norm 0) weigh nothing: their
/// distance to any centroid is the same, so they cannot change which candidate is best, and
/// they must never be drawn as a centroid.
fn distance(dot: f64, inv_norm: f64) -> f64 {
    if inv_norm == 0.0 { 0.0 } else { (2.0 - 2.0 * dot * inv_norm).max(0.0) }
}

/// Chooses `k` initial centroids (dense, row-major `k × n_cols`, unit norm) by greedy
/// k-means++, as scikit-learn's `_kmeans_plusplus`:
///
/// 1. the first centroid is a non-empty row drawn uniformly;
/// 2. each next one is the best of `2 + ⌊ln k⌋` candidates drawn with probability
///    proportional to their squared distance to the nearest centroid so far: the one that
///    leaves the lowest potential (sum of those distances over all rows).
///
/// Greedy trials make the seeding much less sensitive to an unlucky draw than plain
/// k-means++ (Arthur and Vassilvitskii 2007 suggest `O(log k)` trials).
///
/// When every row already coincides with a chosen centroid (the potential is zero: fewer
/// distinct directions than `k`), the next centroid is the first non-empty row not chosen
/// yet, or the first non-empty row if all are: the result always has `k` centroids, some of
/// them duplicates. `rows` must hold at least one non-empty row.
///
/// Potentials are summed per chunk of [`CHUNK`] rows and the chunks added in order, so the
/// choice does not depend on the number of threads.
pub(crate) fn kmeans_plus_plus(rows: &Rows<'_>, k: usize, rng: &mut Xoshiro256Plus) -> Vec<f32> {
    let n_cols = rows.n_cols();
    let inv_norm = &rows.inv_norm;
    let mut centroids = vec![0.0f32; k * n_cols];
    let n_trials = 2 + (k as f64).ln().floor() as usize;

    let first = rows.nonzero[rng.gen_range(0..rows.nonzero.len())];
    write_unit_row(rows.row(first), inv_norm[first], &mut centroids[..n_cols]);
    let mut chosen = vec![first];

    // Squared distance of each row to its nearest centroid so far (0 for empty rows).
    let mut closest = vec![f64::INFINITY; rows.n_rows()];
    update_closest(rows, &centroids[..n_cols], &mut closest);

    let mut cumulative = Vec::with_capacity(rows.n_rows());
    // The candidates, interleaved term-major: their weights for term j are contiguous, so
    // one pass over the rows scores every candidate with one cache line per non-zero.
    // Candidates are single rows, so the table is filled and cleared sparsely.
    let slots = n_trials.next_power_of_two();
    let mut trials = vec![0.0f32; n_cols * slots];
    // Each row's distance to each candidate of the current step, kept so that the chosen
    // candidate updates `closest` without a second pass over the rows.
    let mut dist = vec![0.0f64; rows.n_rows() * n_trials];
    // The terms of the current candidates, as a bit set small enough to stay in cache:
    // most non-zeros of most rows miss it and skip the table.
    let mut marked = vec![0u64; n_cols.div_ceil(64)];
    for c in 1..k {
        cumulative.clear();
        let mut total = 0.0f64;
        cumulative.extend(closest.iter().map(|&d| {
            total += d;
            total
        }));

        let centroid = if total > 0.0 {
            let candidates: Vec<usize> = (0..n_trials)
                .map(|_| {
                    let r = rng.r#gen::<f64>() * total;
                    // The first row whose cumulative weight exceeds r: rows of zero weight
                    // (empty rows, chosen centroids) are never drawn.
                    let i = cumulative.partition_point(|&s| s <= r);
                    if i < closest.len() {
                        i
                    } else {
                        // Only when rounding makes r reach the total: the last row of
                        // positive weight (there is one, as the total is positive).
                        closest.iter().rposition(|&d| d > 0.0).unwrap_or(rows.nonzero[0])
                    }
                })
                .collect();
            for (t, &i) in candidates.iter().enumerate() {
                let row = rows.row(i);
                for (&j, v) in row.indices.iter().zip(unit_row_values(row, inv_norm[i])) {
                    trials[j as usize * slots + t] = v;
                    marked[j as usize / 64] |= 1 << (j % 64);
                }
            }
            let table = Trials { weights: &trials, marked: &marked, slots };
            let pots = potentials(rows, &closest, &table, n_trials, &mut dist);
            for &i in &candidates {
                for &j in rows.row(i).indices {
                    trials[j as usize * slots..(j as usize + 1) * slots].fill(0.0);
                    marked[j as usize / 64] = 0;
                }
            }
            // The lowest potential; ties go to the earliest trial.
            let mut best = 0;
            for (t, &p) in pots.iter().enumerate() {
                if p < pots[best] {
                    best = t;
                }
            }
            let i = candidates[best];
            write_unit_row(rows.row(i), inv_norm[i], &mut centroids[c * n_cols..(c + 1) * n_cols]);
            closest.par_chunks_mut(CHUNK).zip(dist.par_chunks(CHUNK * n_trials)).for_each(
                |(near, d)| {
                    for (near, d) in near.iter_mut().zip(d.chunks_exact(n_trials)) {
                        *near = near.min(d[best]);
                    }
                },
            );
            i
        } else {
            let i = rows
                .nonzero
                .iter()
                .copied()
                .find(|i| !chosen.contains(i))
                .unwrap_or(rows.nonzero[0]);
            write_unit_row(rows.row(i), inv_norm[i], &mut centroids[c * n_cols..(c + 1) * n_cols]);
            update_closest(rows, &centroids[c * n_cols..(c + 1) * n_cols], &mut closest);
            i
        };
        chosen.push(centroid);
    }
    centroids
}

/// The candidates of one seeding step: their weights interleaved term-major (`slots` per
/// term) and the set of terms any of them holds.
struct Trials<'a> {
    weights: &'a [f32],
    marked: &'a [u64],
    slots: usize,
}

/// For each of the `n_trials` candidates, the potential the seeding would have with it
/// added: `Σ_i min(closest_i, d(x_i, candidate))`. Each row's distances to the candidates
/// are written to `dist` (`n_trials` per row).
fn potentials(
    rows: &Rows<'_>,
    closest: &[f64],
    trials: &Trials<'_>,
    n_trials: usize,
    dist: &mut [f64],
) -> Vec<f64> {
    let slots = trials.slots;
    let per_chunk: Vec<Vec<f64>> = closest
        .par_chunks(CHUNK)
        .zip(dist.par_chunks_mut(CHUNK * n_trials))
        .enumerate()
        .map(|(b, (chunk, dist))| {
            let mut pots = vec![0.0f64; n_trials];
            // f32 products in f32 lanes: one vector multiply-add per non-zero for all the
            // candidates. Seeding only ranks candidates, which f32 does as well as f64.
            let mut dots = vec![0.0f32; slots];
            for (o, (&near, d)) in chunk.iter().zip(dist.chunks_exact_mut(n_trials)).enumerate() {
                let i = b * CHUNK + o;
                let w = rows.inv_norm[i];
                if w == 0.0 {
                    d.fill(0.0);
                    continue;
                }
                let row = rows.row(i);
                dots.fill(0.0);
                for (&j, &v) in row.indices.iter().zip(row.values) {
                    if trials.marked[j as usize / 64] & (1 << (j % 64)) == 0 {
                        continue;
                    }
                    let col = &trials.weights[j as usize * slots..(j as usize + 1) * slots];
                    for (a, &t) in dots.iter_mut().zip(col) {
                        *a += v * t;
                    }
                }
                for ((pot, d), &dot) in pots.iter_mut().zip(d.iter_mut()).zip(&dots) {
                    *d = distance(f64::from(dot), w);
                    *pot += near.min(*d);
                }
            }
            pots
        })
        .collect();
    let mut pots = vec![0.0f64; n_trials];
    for chunk in &per_chunk {
        for (p, c) in pots.iter_mut().zip(chunk) {
            *p += c;
        }
    }
    pots
}

/// Lowers each row's distance to its nearest centroid with the new `centroid` (the first
/// call starts from infinities).
fn update_closest(rows: &Rows<'_>, centroid: &[f32], closest: &mut [f64]) {
    closest.par_chunks_mut(CHUNK).enumerate().for_each(|(b, chunk)| {
        for (o, near) in chunk.iter_mut().enumerate() {
            let i = b * CHUNK + o;
            let d = distance(sparse_dot(rows.row(i), centroid), rows.inv_norm[i]);
            *near = near.min(d);
        }
    });
}

/// Rounds of k-means|| sampling (Bahmani et al. 2012 find 5 enough).
const PARALLEL_ROUNDS: usize = 5;

/// The candidates drawn in one k-means|| round, inverted: for each of their terms, which
/// candidates hold it and with what unit weight.
struct Inverted {
    marked: Vec<u64>,
    postings: rustc_hash::FxHashMap<u32, Vec<(u32, f32)>>,
}

impl Inverted {
    fn new(rows: &Rows<'_>, candidates: &[usize]) -> Self {
        let mut marked = vec![0u64; rows.n_cols().div_ceil(64)];
        let mut postings: rustc_hash::FxHashMap<u32, Vec<(u32, f32)>> = Default::default();
        for (t, &i) in candidates.iter().enumerate() {
            let row = rows.row(i);
            for (&j, v) in row.indices.iter().zip(unit_row_values(row, rows.inv_norm[i])) {
                marked[j as usize / 64] |= 1 << (j % 64);
                postings.entry(j).or_default().push((t as u32, v));
            }
        }
        Inverted { marked, postings }
    }
}

/// Chooses `k` initial centroids by k-means|| (Bahmani, Moseley, Vattani, Kumar and
/// Vassilvitskii 2012): a few rounds each draw every row independently with probability
/// proportional to its squared distance to the candidates so far (about `2k` rows a round),
/// then the candidates, weighted by the rows nearest to them, are reduced to `k` by greedy
/// k-means++ (as [`kmeans_plus_plus`] does on rows).
///
/// It replaces k-means++'s `k` sequential passes over the rows with 5: the choice for very
/// large corpora. Each round scores its candidates through an inverted index of their terms,
/// so a row costs one bit test per non-zero and work only for the terms it shares with a
/// candidate. Draws use a generator per chunk of [`CHUNK`] rows seeded from the round, so
/// the result does not depend on the number of threads. If fewer than `k` distinct
/// candidates come out (few distinct rows), it falls back to [`kmeans_plus_plus`].
/// One sampling round of k-means|| (Bahmani et al. 2012): each row with squared distance
/// `d` to its closest candidate is drawn with probability `oversampling × d / Σ d`, from one
/// generator per `chunk` rows seeded by `round_seed` and the chunk's index, so the draw does
/// not depend on the thread count. `None` when every row already sits on a candidate.
/// Shared by the sparse and dense seedings.
pub(crate) fn sample_round(
    closest: &[f64],
    chunk: usize,
    oversampling: f64,
    round_seed: u64,
) -> Option<Vec<usize>> {
    // Chunk sums added in a fixed order: the same potential at any thread count.
    let potential: f64 =
        closest.par_chunks(chunk).map(|c| c.iter().sum::<f64>()).collect::<Vec<_>>().iter().sum();
    if potential <= 0.0 {
        return None;
    }
    Some(
        closest
            .par_chunks(chunk)
            .enumerate()
            .map(|(b, rows)| {
                let mut draw = Xoshiro256Plus::seed_from_u64(
                    round_seed ^ (b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
                );
                rows.iter()
                    .enumerate()
                    .filter(|&(_, &d)| {
                        d > 0.0 && draw.r#gen::<f64>() < oversampling * d / potential
                    })
                    .map(|(o, _)| b * chunk + o)
                    .collect::<Vec<_>>()
            })
            .flatten()
            .collect(),
    )
}

pub(crate) fn kmeans_parallel(rows: &Rows<'_>, k: usize, rng: &mut Xoshiro256Plus) -> Vec<f32> {
    let n = rows.n_rows();
    let oversampling = 2.0 * k as f64;
    let first = rows.nonzero[rng.gen_range(0..rows.nonzero.len())];
    let mut candidates = vec![first];
    // Distance of each row to its nearest candidate, and which candidate that is.
    let mut closest = vec![f64::INFINITY; n];
    let mut nearest = vec![0u32; n];
    let mut fresh = vec![first];
    for round in 0..=PARALLEL_ROUNDS {
        // Score the rows against the candidates drawn last round.
        let index = Inverted::new(rows, &fresh);
        let base = candidates.len() - fresh.len();
        closest.par_chunks_mut(CHUNK).zip(nearest.par_chunks_mut(CHUNK)).enumerate().for_each(
            |(b, (near, which))| {
                let mut dots = vec![0.0f32; fresh.len()];
                let mut touched: Vec<u32> = Vec::new();
                for (o, (near, which)) in near.iter_mut().zip(which.iter_mut()).enumerate() {
                    let i = b * CHUNK + o;
                    let w = rows.inv_norm[i];
                    if w == 0.0 {
                        *near = 0.0;
                        continue;
                    }
                    let row = rows.row(i);
                    for (&j, &v) in row.indices.iter().zip(row.values) {
                        if index.marked[j as usize / 64] & (1 << (j % 64)) == 0 {
                            continue;
                        }
                        for &(t, weight) in &index.postings[&j] {
                            if dots[t as usize] == 0.0 {
                                touched.push(t);
                            }
                            dots[t as usize] += v * weight;
                        }
                    }
                    // A candidate sharing no term is at dot product 0; the first such one
                    // stands for them all (ties keep the earlier candidate).
                    let untouched = (0..fresh.len() as u32).find(|t| dots[*t as usize] == 0.0);
                    let mut consider = |t: u32, dot: f32| {
                        let d = distance(f64::from(dot), w);
                        if d < *near {
                            *near = d;
                            *which = base as u32 + t;
                        }
                    };
                    if let Some(t) = untouched {
                        consider(t, 0.0);
                    }
                    touched.sort_unstable();
                    for &t in &touched {
                        consider(t, dots[t as usize]);
                        dots[t as usize] = 0.0;
                    }
                    touched.clear();
                }
            },
        );
        if round == PARALLEL_ROUNDS {
            break;
        }
        let round_seed: u64 = rng.r#gen();
        match sample_round(&closest, CHUNK, oversampling, round_seed) {
            Some(sampled) => fresh = sampled,
            None => break,
        }
        candidates.extend(&fresh);
    }

    // Weight each candidate by the rows nearest to it, then reduce to k.
    let mut weights = vec![0.0f64; candidates.len()];
    for &i in &rows.nonzero {
        weights[nearest[i] as usize] += 1.0;
    }
    let sub = rows.matrix().select_rows(&candidates);
    let cand_rows = Rows::new(&sub);
    match weighted_plus_plus(&cand_rows, &weights, k, rng) {
        Some(chosen) => {
            let n_cols = rows.n_cols();
            let mut centroids = vec![0.0f32; k * n_cols];
            for (c, &t) in chosen.iter().enumerate() {
                let i = candidates[t];
                write_unit_row(
                    rows.row(i),
                    rows.inv_norm[i],
                    &mut centroids[c * n_cols..(c + 1) * n_cols],
                );
            }
            centroids
        }
        None => kmeans_plus_plus(rows, k, rng),
    }
}

/// Greedy k-means++ over few weighted points (the k-means|| candidates): indices of the `k`
/// chosen, or `None` if the points have fewer than `k` distinct directions.
fn weighted_plus_plus(
    points: &Rows<'_>,
    weights: &[f64],
    k: usize,
    rng: &mut Xoshiro256Plus,
) -> Option<Vec<usize>> {
    let m = points.n_rows();
    if m < k {
        return None;
    }
    // Pairwise distances between unit candidates, through a dense scatter of each in turn.
    let n_cols = points.n_cols();
    let unit: Vec<Vec<f32>> = (0..m)
        .map(|t| {
            let mut dense = vec![0.0f32; n_cols];
            write_unit_row(points.row(t), points.inv_norm[t], &mut dense);
            dense
        })
        .collect();
    let dist =
        |a: usize, b: usize| distance(sparse_dot(points.row(a), &unit[b]), points.inv_norm[a]);
    let n_trials = 2 + (k as f64).ln().floor() as usize;
    let total_weight: f64 = weights.iter().sum();
    let mut first = 0;
    let mut r = rng.r#gen::<f64>() * total_weight;
    for (t, &w) in weights.iter().enumerate() {
        if r < w {
            first = t;
            break;
        }
        r -= w;
    }
    let mut chosen = vec![first];
    let mut closest: Vec<f64> = (0..m).map(|t| dist(t, first)).collect();
    while chosen.len() < k {
        let potential: f64 = closest.iter().zip(weights).map(|(d, w)| d * w).sum();
        if potential <= 0.0 {
            return None;
        }
        let mut best: Option<(f64, usize, Vec<f64>)> = None;
        for _ in 0..n_trials {
            let mut r = rng.r#gen::<f64>() * potential;
            let mut pick = m - 1;
            for t in 0..m {
                let p = closest[t] * weights[t];
                if r < p {
                    pick = t;
                    break;
                }
                r -= p;
            }
            let next: Vec<f64> = (0..m).map(|t| closest[t].min(dist(t, pick))).collect();
            let pot: f64 = next.iter().zip(weights).map(|(d, w)| d * w).sum();
            if best.as_ref().is_none_or(|b| pot < b.0) {
                best = Some((pot, pick, next));
            }
        }
        let (_, pick, next) = best?;
        chosen.push(pick);
        closest = next;
    }
    Some(chosen)
}
