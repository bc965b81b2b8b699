//! Seeding of dense k-means in the fit's metric: greedy k-means++ and k-means||.
//!
//! The same procedures as the sparse seeding (`init.rs`), drawing from the generator in the
//! same order, with distances from blocks of matrix products: `‖x‖² − 2 x·c + ‖c‖²`
//! (Euclidean) or `2 − 2 cos` (cosine, the squared distance between directions).

use rand::Rng;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;

use super::dense::{DENSE_CHUNK, Points, sq_sum};
use super::hyperparams::{KMeansInit, KMeansValidParams};
use super::init::sample_round;

/// Rounds of k-means|| sampling (Bahmani et al. 2012 find 5 enough).
const PARALLEL_ROUNDS: usize = 5;

/// The initial centroids (row-major `k × d`), as the parameters ask.
pub(crate) fn seed_dense(
    pts: &Points<'_>,
    p: &KMeansValidParams,
    k: usize,
    rng: &mut Xoshiro256Plus,
) -> Vec<f32> {
    let chosen = match p.init() {
        KMeansInit::KMeansPlusPlus => plus_plus(pts, k, rng),
        KMeansInit::KMeansParallel => kmeans_parallel(pts, k, rng),
    };
    centroids_of(pts, &chosen)
}

/// The centroids that the given rows alone give (see [`Points::centroid_of`]).
fn centroids_of(pts: &Points<'_>, rows: &[usize]) -> Vec<f32> {
    let d = pts.dim();
    let mut out = vec![0.0f32; rows.len() * d];
    for (c, &i) in rows.iter().enumerate() {
        pts.centroid_of(i, &mut out[c * d..(c + 1) * d]);
    }
    out
}

/// Candidate centroids with their squared norms.
struct Candidates {
    data: Vec<f32>,
    sq: Vec<f64>,
}

impl Candidates {
    fn new(pts: &Points<'_>, rows: &[usize]) -> Self {
        let data = centroids_of(pts, rows);
        let d = pts.dim();
        let sq = (0..rows.len()).map(|t| sq_sum(&data[t * d..(t + 1) * d])).collect();
        Candidates { data, sq }
    }

    fn len(&self) -> usize {
        self.sq.len()
    }

    /// Writes into `out` (`t` per row) the squared distances of the rows of block `blk` to
    /// the candidates.
    fn distances(&self, pts: &Points<'_>, blk: usize, out: &mut [f64]) {
        let t = self.len();
        let lo = blk * DENSE_CHUNK;
        let m = out.len() / t;
        let mut g = vec![0.0f32; m * t];
        pts.block_products(blk, &self.data, &mut g);
        for (o, (out, g)) in out.chunks_exact_mut(t).zip(g.chunks_exact(t)).enumerate() {
            for ((d, &p), &sq) in out.iter_mut().zip(g).zip(&self.sq) {
                *d = pts.distance(lo + o, p, sq);
            }
        }
    }
}

/// Lowers `closest` with each row's distance to the centroid of row `i`.
fn update_closest(pts: &Points<'_>, i: usize, closest: &mut [f64]) {
    let cand = Candidates::new(pts, &[i]);
    closest.par_chunks_mut(DENSE_CHUNK).enumerate().for_each(|(blk, near)| {
        let mut d = vec![0.0f64; near.len()];
        cand.distances(pts, blk, &mut d);
        for (n, d) in near.iter_mut().zip(d) {
            *n = n.min(d);
        }
    });
}

/// Greedy k-means++ over all the rows that take part (see [`greedy`]). Always `k` rows, some
/// repeated when the rows have fewer than `k` distinct points.
fn plus_plus(pts: &Points<'_>, k: usize, rng: &mut Xoshiro256Plus) -> Vec<usize> {
    // Unweighted seeding never gives up; the fallback only keeps this free of a panic.
    greedy(pts, None, k, rng).unwrap_or_else(|| vec![pts.valid[0]; k])
}

/// Greedy k-means++ (Arthur & Vassilvitskii 2007, with scikit-learn's `2 + ⌊ln k⌋` trials):
/// the first centroid is a row drawn uniformly (or in proportion to `weights`), each next one
/// the best of `2 + ⌊ln k⌋` rows drawn in proportion to their (weighted) squared distance to
/// the nearest centroid so far: the one leaving the lowest potential. Returns the rows chosen.
///
/// When the potential is zero (every row on a chosen centroid), unweighted seeding takes the
/// first row not chosen yet, or the first row, so that it always returns `k` rows; weighted
/// seeding (of k-means|| candidates) returns `None` instead.
///
/// Potentials are summed per block of [`DENSE_CHUNK`] rows and the blocks added in order, so
/// the choice does not depend on the number of threads.
fn greedy(
    pts: &Points<'_>,
    weights: Option<&[f64]>,
    k: usize,
    rng: &mut Xoshiro256Plus,
) -> Option<Vec<usize>> {
    let n = pts.n_rows();
    let valid = &pts.valid;
    let weight = |i: usize| weights.map_or(1.0, |w| w[i]);
    let n_trials = 2 + (k as f64).ln().floor() as usize;
    let mut cumulative = Vec::with_capacity(n);
    let draw = |cumulative: &[f64], r: f64, mass: &dyn Fn(usize) -> f64| {
        // The first row whose cumulative mass exceeds r: rows of no mass are never drawn.
        let i = cumulative.partition_point(|&s| s <= r);
        if i < n {
            i
        } else {
            // Only when rounding makes r reach the total: the last row of positive mass.
            (0..n).rposition(|i| mass(i) > 0.0).unwrap_or(valid[0])
        }
    };

    let first = match weights {
        None => valid[rng.gen_range(0..valid.len())],
        Some(w) => {
            let mut total = 0.0;
            cumulative.extend(w.iter().map(|&w| {
                total += w;
                total
            }));
            if total <= 0.0 {
                return None;
            }
            draw(&cumulative, rng.r#gen::<f64>() * total, &|i| w[i])
        }
    };
    let mut chosen = vec![first];
    let mut closest = vec![f64::INFINITY; n];
    update_closest(pts, first, &mut closest);

    // Each row's distance to each candidate of the current step, kept so that the chosen
    // candidate updates `closest` without another pass over the rows.
    let mut dist = vec![0.0f64; n * n_trials];
    while chosen.len() < k {
        cumulative.clear();
        let mut total = 0.0f64;
        cumulative.extend((0..n).map(|i| {
            total += closest[i] * weight(i);
            total
        }));
        if total > 0.0 {
            let mass = |i: usize| closest[i] * weight(i);
            let rows: Vec<usize> = (0..n_trials)
                .map(|_| draw(&cumulative, rng.r#gen::<f64>() * total, &mass))
                .collect();
            let cand = Candidates::new(pts, &rows);
            let per_block: Vec<Vec<f64>> = closest
                .par_chunks(DENSE_CHUNK)
                .zip(dist.par_chunks_mut(DENSE_CHUNK * n_trials))
                .enumerate()
                .map(|(blk, (near, d))| {
                    cand.distances(pts, blk, d);
                    let mut pots = vec![0.0f64; n_trials];
                    for (o, (&near, d)) in near.iter().zip(d.chunks_exact(n_trials)).enumerate() {
                        let w = weight(blk * DENSE_CHUNK + o);
                        for (pot, &d) in pots.iter_mut().zip(d) {
                            *pot += near.min(d) * w;
                        }
                    }
                    pots
                })
                .collect();
            let mut pots = vec![0.0f64; n_trials];
            for block in &per_block {
                for (p, b) in pots.iter_mut().zip(block) {
                    *p += b;
                }
            }
            // The lowest potential; ties go to the earliest trial.
            let mut best = 0;
            for (t, &p) in pots.iter().enumerate() {
                if p < pots[best] {
                    best = t;
                }
            }
            closest
                .par_chunks_mut(DENSE_CHUNK)
                .zip(dist.par_chunks(DENSE_CHUNK * n_trials))
                .for_each(|(near, d)| {
                    for (near, d) in near.iter_mut().zip(d.chunks_exact(n_trials)) {
                        *near = near.min(d[best]);
                    }
                });
            chosen.push(rows[best]);
        } else {
            if weights.is_some() {
                return None;
            }
            let i = valid.iter().copied().find(|i| !chosen.contains(i)).unwrap_or(valid[0]);
            update_closest(pts, i, &mut closest);
            chosen.push(i);
        }
    }
    Some(chosen)
}

/// k-means|| (Bahmani, Moseley, Vattani, Kumar and Vassilvitskii 2012): a few rounds each
/// draw every row independently with probability proportional to its squared distance to the
/// candidates so far (about `2k` rows a round); the candidates, weighted by the rows nearest
/// to them, are reduced to `k` by weighted greedy k-means++. Five passes over the rows instead
/// of k-means++'s `k`. Draws use a generator per block of rows seeded from the round, so the
/// result does not depend on the number of threads. With fewer than `k` distinct candidates
/// (few distinct rows), it falls back to k-means++.
fn kmeans_parallel(pts: &Points<'_>, k: usize, rng: &mut Xoshiro256Plus) -> Vec<usize> {
    let n = pts.n_rows();
    let valid = &pts.valid;
    let oversampling = 2.0 * k as f64;
    let first = valid[rng.gen_range(0..valid.len())];
    let mut candidates = vec![first];
    // Distance of each row to its nearest candidate, and which candidate that is.
    let mut closest = vec![f64::INFINITY; n];
    let mut nearest = vec![0usize; n];
    let mut fresh = vec![first];
    for round in 0..=PARALLEL_ROUNDS {
        if !fresh.is_empty() {
            // Score the rows against the candidates drawn last round.
            let base = candidates.len() - fresh.len();
            let cand = Candidates::new(pts, &fresh);
            let t = cand.len();
            closest
                .par_chunks_mut(DENSE_CHUNK)
                .zip(nearest.par_chunks_mut(DENSE_CHUNK))
                .enumerate()
                .for_each(|(blk, (near, which))| {
                    let mut d = vec![0.0f64; near.len() * t];
                    cand.distances(pts, blk, &mut d);
                    for (o, (near, which)) in near.iter_mut().zip(which.iter_mut()).enumerate() {
                        if !pts.is_valid(blk * DENSE_CHUNK + o) {
                            *near = 0.0;
                            continue;
                        }
                        // Ties keep the earlier candidate.
                        for (c, &d) in d[o * t..(o + 1) * t].iter().enumerate() {
                            if d < *near {
                                (*near, *which) = (d, base + c);
                            }
                        }
                    }
                });
        }
        if round == PARALLEL_ROUNDS {
            break;
        }
        let round_seed: u64 = rng.r#gen();
        match sample_round(&closest, DENSE_CHUNK, oversampling, round_seed) {
            Some(sampled) => fresh = sampled,
            None => break,
        }
        candidates.extend(&fresh);
    }

    // Weight each candidate by the rows nearest to it, then reduce to k.
    if candidates.len() >= k {
        let mut weights = vec![0.0f64; candidates.len()];
        for &i in valid {
            weights[nearest[i]] += 1.0;
        }
        let data = pts.gather(candidates.iter().copied());
        let sub = Points::new(&data, candidates.len(), pts.dim(), pts.metric);
        if let Some(chosen) = greedy(&sub, Some(&weights), k, rng) {
            return chosen.into_iter().map(|t| candidates[t]).collect();
        }
    }
    plus_plus(pts, k, rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kmeans::hyperparams::KMeansMetric;
    use rand::SeedableRng;

    #[test]
    fn greedy_seeding_spreads_over_separated_groups() {
        // Three tight groups on a line; k = 3 must take one row of each.
        let data: Vec<f32> = [0.0f32, 0.1, 0.2, 10.0, 10.1, 10.2, 20.0, 20.1, 20.2].to_vec();
        let pts = Points::new(&data, 9, 1, KMeansMetric::Euclidean);
        for seed in 0..10 {
            for init in [plus_plus, kmeans_parallel] {
                let mut rng = Xoshiro256Plus::seed_from_u64(seed);
                let mut groups: Vec<usize> =
                    init(&pts, 3, &mut rng).iter().map(|&i| i / 3).collect();
                groups.sort_unstable();
                assert_eq!(groups, vec![0, 1, 2], "seed {seed}");
            }
        }
    }

    #[test]
    fn duplicates_give_k_rows_and_weighted_seeding_gives_up() {
        let data = vec![1.0f32; 8];
        let pts = Points::new(&data, 4, 2, KMeansMetric::Euclidean);
        let mut rng = Xoshiro256Plus::seed_from_u64(1);
        let rows = plus_plus(&pts, 3, &mut rng);
        assert_eq!(rows.len(), 3);
        let mut distinct = rows.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 3, "the first rows not chosen yet: {rows:?}");
        assert_eq!(greedy(&pts, Some(&[1.0; 4]), 2, &mut rng), None);
        assert_eq!(kmeans_parallel(&pts, 3, &mut rng).len(), 3);
    }

    #[test]
    fn cosine_seeding_never_draws_a_zero_row() {
        let data = vec![0.0f32, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 2.0, 3.0, 3.0];
        let pts = Points::new(&data, 5, 2, KMeansMetric::Cosine);
        for seed in 0..20 {
            let mut rng = Xoshiro256Plus::seed_from_u64(seed);
            for i in plus_plus(&pts, 3, &mut rng) {
                assert!(pts.is_valid(i), "seed {seed} drew zero row {i}");
            }
        }
    }
}
