//! Mini-batch spherical k-means, for corpora too large to pass over many times.

use rand::Rng;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;
use thematic_core::CsrRow;

use super::algorithm::{CHUNK, Rows, Run, Work, full_assignment, seed_centroids};
use super::hyperparams::KMeansValidParams;
use super::kernel::TermMajor;
use super::sums::unit;

/// Steps without improvement of the smoothed batch objective before a run stops, as
/// scikit-learn's `max_no_improvement`.
const PATIENCE: usize = 10;

/// The stopping rule of mini-batch k-means, as scikit-learn's: an exponentially weighted
/// average of the batch objective (weight `2 × batch / (n + 1)`), and a stop once it has not
/// improved for [`PATIENCE`] steps. Shared by the sparse and dense variants.
pub(crate) struct EarlyStop {
    alpha: f64,
    ewa: f64,
    best: f64,
    stale: usize,
}

impl EarlyStop {
    /// The rule for batches of `batch` rows out of `n`.
    pub(crate) fn new(batch: usize, n: usize) -> Self {
        let alpha = (2.0 * batch as f64 / (n as f64 + 1.0)).min(1.0);
        EarlyStop { alpha, ewa: f64::NAN, best: f64::INFINITY, stale: 0 }
    }

    /// Takes a batch's mean objective; returns the smoothed mean and whether to stop.
    pub(crate) fn step(&mut self, mean: f64) -> (f64, bool) {
        self.ewa = if self.ewa.is_nan() {
            mean
        } else {
            self.ewa * (1.0 - self.alpha) + mean * self.alpha
        };
        if self.ewa < self.best {
            (self.best, self.stale) = (self.ewa, 0);
        } else {
            self.stale += 1;
        }
        (self.ewa, self.stale >= PATIENCE)
    }
}

/// Running centroid sums: each cluster's sum of the row directions assigned to it so far,
/// never decreased (Sculley 2010: the per-centroid learning rate `1 / count` makes each
/// centroid the mean of every row it was given). The kernel scores against the sums in
/// `f32`, scaled by their inverse norms; only touched cells change per step.
struct Running {
    sums: Vec<f64>,
    sq: Vec<f64>,
    scale: Vec<f32>,
    kernel: TermMajor,
}

impl Running {
    fn new(centroids: &[f32], k: usize, n_cols: usize) -> Self {
        let kernel = TermMajor::from_rows(centroids, k, n_cols);
        let sums: Vec<f64> = kernel.table.iter().map(|&v| f64::from(v)).collect();
        let mut sq = vec![0.0f64; k];
        for col in sums.chunks_exact(kernel.kp) {
            for (q, &v) in sq.iter_mut().zip(col) {
                *q += v * v;
            }
        }
        let scale =
            sq.iter().map(|&q| if q > 0.0 { (1.0 / q.sqrt()) as f32 } else { 0.0 }).collect();
        Running { sums, sq, scale, kernel }
    }

    fn add(&mut self, row: CsrRow<'_, f32>, inv_norm: f64, c: usize) {
        let kp = self.kernel.kp;
        let mut sq = self.sq[c];
        for (&j, &v) in row.indices.iter().zip(row.values) {
            let cell = j as usize * kp + c;
            let old = self.sums[cell];
            let new = old + inv_norm * f64::from(v);
            sq += new * new - old * old;
            self.sums[cell] = new;
            self.kernel.table[cell] = new as f32;
        }
        self.sq[c] = sq;
        self.scale[c] = if sq > 0.0 { (1.0 / sq.sqrt()) as f32 } else { 0.0 };
    }

    /// The nearest centroid of a row and its cosine (ties: the lowest cluster).
    fn nearest(&self, row: CsrRow<'_, f32>, inv_norm: f64, acc: &mut [f32]) -> (usize, f64) {
        self.kernel.dots_range(row, 0, acc);
        let (mut best, mut best_sim) = (0, f32::NEG_INFINITY);
        for (c, (&d, &s)) in acc[..self.kernel.k].iter().zip(&self.scale).enumerate() {
            if d * s > best_sim {
                (best, best_sim) = (c, d * s);
            }
        }
        (best, f64::from(best_sim) * inv_norm)
    }

    /// The unit centroids, row-major.
    fn unit_centroids(&self, n_cols: usize) -> Vec<f32> {
        let (k, kp) = (self.kernel.k, self.kernel.kp);
        let mut out = vec![0.0f32; k * n_cols];
        for c in 0..k {
            let n = self.sq[c].max(0.0).sqrt();
            for j in 0..n_cols {
                out[c * n_cols + j] = unit(self.sums[j * kp + c], n);
            }
        }
        out
    }
}

/// One mini-batch run: k-means++ on a sample, then steps of a random batch each, then one
/// full assignment to the final centroids (so the labels and objective belong to them, and
/// `predict` reproduces the labels).
pub(crate) fn run_minibatch(
    rows: &Rows<'_>,
    p: &KMeansValidParams,
    batch: usize,
    rng: &mut Xoshiro256Plus,
) -> Run {
    let k = p.n_clusters();
    let n_cols = rows.n_cols();
    let nonzero = &rows.nonzero;
    let batch = batch.min(nonzero.len()).max(1);

    // Seeding on a sample, as scikit-learn's `init_size` (3 batches, at least 3k rows).
    let init_size = (3 * batch).max(3 * k).min(nonzero.len());
    let mut sample: Vec<usize> =
        (0..init_size).map(|_| nonzero[rng.gen_range(0..nonzero.len())]).collect();
    sample.sort_unstable();
    sample.dedup();
    let sub = rows.matrix().select_rows(&sample);
    let sub_rows = Rows::new(&sub);
    let mut running = Running::new(&seed_centroids(&sub_rows, p, k, rng), k, n_cols);

    let steps_per_epoch = nonzero.len().div_ceil(batch);
    let max_steps = p.max_iter().saturating_mul(steps_per_epoch);
    // Smoothing of the batch objective over about two epochs' worth of rows, as scikit-learn.
    let mut early = EarlyStop::new(batch, nonzero.len());
    let mut work = Work::default();
    let mut history = Vec::new();
    let (mut steps, mut converged) = (0, false);
    let mut picked = vec![0usize; batch];
    while steps < max_steps {
        steps += 1;
        for i in picked.iter_mut() {
            *i = nonzero[rng.gen_range(0..nonzero.len())];
        }
        // Assignment in parallel (each row on its own), updates in batch order.
        let assigned: Vec<(usize, f64)> = picked
            .par_chunks(CHUNK)
            .flat_map_iter(|chunk| {
                let mut acc = running.kernel.scratch();
                chunk
                    .iter()
                    .map(|&i| running.nearest(rows.row(i), rows.inv_norm[i], &mut acc))
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut objective = 0.0;
        for (&i, &(c, cos)) in picked.iter().zip(&assigned) {
            running.add(rows.row(i), rows.inv_norm[i], c);
            objective += (1.0 - cos).max(0.0);
        }
        work.computed += (batch * k) as u64;
        work.total += (batch * k) as u64;
        let mean = objective / batch as f64;
        let (ewa, stop) = early.step(mean);
        history.push(ewa * nonzero.len() as f64);
        if stop {
            converged = true;
            break;
        }
    }

    let centroids = running.unit_centroids(n_cols);
    let kernel = TermMajor::from_rows(&centroids, k, n_cols);
    let (labels, objective, w) = full_assignment(rows, &kernel);
    work.computed += w.computed;
    work.total += w.total;
    Run { centroids, labels, objective, n_iter: steps, converged, history, work }
}
