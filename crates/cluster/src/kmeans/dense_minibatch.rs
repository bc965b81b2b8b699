//! Mini-batch k-means of dense rows, for data too large to pass over many times.

use rand::Rng;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;

use super::algorithm::{Run, Work};
use super::dense::{Centers, DENSE_CHUNK, Points, assign, products, view};
use super::dense_init::seed_dense;
use super::hyperparams::{KMeansMetric, KMeansValidParams};
use super::minibatch::EarlyStop;
use super::sums::unit;

/// One mini-batch run (Sculley 2010), as the sparse path's: seeding on a sample, then steps
/// that each assign a random batch to the current centroids and add its rows to their
/// clusters' running sums, then one full assignment to the final centroids (so the labels and
/// objective belong to them, and `predict_dense` reproduces the labels).
///
/// Each cluster's running sum starts at its seed and never loses a row: a Euclidean centroid
/// is the mean of its seed and every row it was given (Sculley's per-centre learning rate
/// `1 / count`), a cosine one their normalised sum.
pub(crate) fn run_minibatch_dense(
    pts: &Points<'_>,
    p: &KMeansValidParams,
    batch: usize,
    rng: &mut Xoshiro256Plus,
) -> Run {
    let (k, d, n) = (p.n_clusters(), pts.dim(), pts.n_rows());
    let valid = &pts.valid;
    let batch = batch.min(valid.len()).max(1);

    // Seeding on a sample, as scikit-learn's `init_size` (3 batches, at least 3k rows).
    let init_size = (3 * batch).max(3 * k).min(valid.len());
    let mut sample: Vec<usize> =
        (0..init_size).map(|_| valid[rng.gen_range(0..valid.len())]).collect();
    sample.sort_unstable();
    sample.dedup();
    let sample_data = pts.gather(sample.iter().copied());
    let sub = Points::new(&sample_data, sample.len(), d, pts.metric);
    let seeds = seed_dense(&sub, p, k, rng);
    let mut sums: Vec<f64> = seeds.iter().map(|&v| f64::from(v)).collect();
    let mut counts = vec![1.0f64; k];
    let mut centers = Centers::new(seeds, k, d);

    let steps_per_epoch = valid.len().div_ceil(batch);
    let max_steps = p.max_iter().saturating_mul(steps_per_epoch);
    // Smoothing of the batch objective over about two epochs' worth of rows, as scikit-learn.
    let mut early = EarlyStop::new(batch, valid.len());
    let mut work = Work::default();
    let mut history = Vec::new();
    let (mut steps, mut converged) = (0, false);
    let mut picked = vec![0usize; batch];
    let mut touched = vec![false; k];
    while steps < max_steps {
        steps += 1;
        for i in picked.iter_mut() {
            *i = valid[rng.gen_range(0..valid.len())];
        }
        // Assignment in parallel (each row on its own), updates in batch order.
        let assigned: Vec<(usize, f64)> = picked
            .par_chunks(DENSE_CHUNK)
            .flat_map_iter(|rows| {
                let block = pts.gather(rows.iter().copied());
                let mut g = vec![0.0f32; rows.len() * k];
                products(view(&block, rows.len(), d), &centers.data, &mut g);
                rows.iter()
                    .zip(g.chunks_exact(k))
                    .map(|(&i, g)| {
                        let c = centers.nearest(pts.metric, g);
                        (c, centers.own(pts, i, c).0)
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut objective = 0.0;
        for (&i, &(c, cost)) in picked.iter().zip(&assigned) {
            let w = pts.scale[i];
            for (s, &v) in sums[c * d..(c + 1) * d].iter_mut().zip(pts.row(i)) {
                *s += w * f64::from(v);
            }
            counts[c] += 1.0;
            touched[c] = true;
            objective += cost;
        }
        let mut data = std::mem::take(&mut centers.data);
        for c in 0..k {
            if !touched[c] {
                continue;
            }
            let (sum, row) = (&sums[c * d..(c + 1) * d], &mut data[c * d..(c + 1) * d]);
            match pts.metric {
                KMeansMetric::Euclidean => {
                    for (o, &s) in row.iter_mut().zip(sum) {
                        *o = (s / counts[c]) as f32;
                    }
                }
                KMeansMetric::Cosine => {
                    let norm = sum.iter().map(|s| s * s).sum::<f64>().sqrt();
                    for (o, &s) in row.iter_mut().zip(sum) {
                        *o = unit(s, norm);
                    }
                }
            }
            touched[c] = false;
        }
        centers = Centers::new(data, k, d);
        work.computed += (batch * k) as u64;
        work.total += (batch * k) as u64;
        let mean = objective / batch as f64;
        let (ewa, stop) = early.step(mean);
        history.push(ewa * valid.len() as f64);
        if stop {
            converged = true;
            break;
        }
    }

    let mut labels = vec![u32::MAX; n];
    let mut cost = vec![0.0f64; n];
    let last = assign(pts, &centers, &mut labels, &mut cost, None);
    work.computed += last.work.computed;
    work.total += last.work.total;
    Run {
        centroids: centers.data,
        labels,
        objective: last.objective,
        n_iter: steps,
        converged,
        history,
        work,
    }
}
