//! Greedy k-means++ seeding for spherical k-means.

use rand::Rng;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;

use super::algorithm::{CHUNK, Rows, sparse_dot, write_unit_row};

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
    let mut trials = vec![0.0f32; n_trials * n_cols];
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
            trials.fill(0.0);
            for (&i, out) in candidates.iter().zip(trials.chunks_exact_mut(n_cols)) {
                write_unit_row(rows.row(i), inv_norm[i], out);
            }
            let pots = potentials(rows, &closest, &trials, n_trials);
            // The lowest potential; ties go to the earliest trial.
            let mut best = 0;
            for (t, &p) in pots.iter().enumerate() {
                if p < pots[best] {
                    best = t;
                }
            }
            let out = &mut centroids[c * n_cols..(c + 1) * n_cols];
            out.copy_from_slice(&trials[best * n_cols..(best + 1) * n_cols]);
            update_closest(rows, out, &mut closest);
            candidates[best]
        } else {
            let i = rows
                .nonzero
                .iter()
                .copied()
                .find(|i| !chosen.contains(i))
                .unwrap_or(rows.nonzero[0]);
            write_unit_row(rows.row(i), inv_norm[i], &mut centroids[c * n_cols..(c + 1) * n_cols]);
            i
        };
        chosen.push(centroid);
    }
    centroids
}

/// For each of the `n_trials` candidate centroids (row-major in `trials`), the potential
/// the seeding would have with it added: `Σ_i min(closest_i, d(x_i, candidate))`.
fn potentials(rows: &Rows<'_>, closest: &[f64], trials: &[f32], n_trials: usize) -> Vec<f64> {
    let n_cols = rows.n_cols();
    let per_chunk: Vec<Vec<f64>> = closest
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(b, chunk)| {
            let mut pots = vec![0.0f64; n_trials];
            for (o, &near) in chunk.iter().enumerate() {
                let i = b * CHUNK + o;
                let w = rows.inv_norm[i];
                if w == 0.0 {
                    continue;
                }
                let row = rows.row(i);
                for (pot, trial) in pots.iter_mut().zip(trials.chunks_exact(n_cols)) {
                    *pot += near.min(distance(sparse_dot(row, trial), w));
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
