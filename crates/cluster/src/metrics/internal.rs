//! Internal metrics: cohesion and separation of a clustering of the rows of a sparse matrix,
//! without reference labels.
//!
//! All three follow scikit-learn: labels are renumbered in ascending order (its
//! `LabelEncoder`), and a clustering must have `2 <= n_clusters < n_samples` (its
//! `check_number_of_labels`). Work is spread over rayon in fixed chunks of rows whose partial
//! sums are added in chunk order, so results are bit-identical at any number of threads. The
//! functions run on the current rayon pool; wrap a call in
//! [`with_threads`](thematic_core::with_threads) to bound it.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;
use thematic_core::{CsrMatrix, CsrRow};

use super::error::{MetricsError, Result};

/// Rows per parallel task. Large enough that a task outweighs rayon's overhead, small enough
/// that a few thousand rows still spread over several threads.
const CHUNK: usize = 512;

/// Labels renumbered `0..k` in ascending order of value, with the size of each cluster.
struct Clusters {
    /// The cluster of each row.
    of: Vec<usize>,
    /// Rows per cluster.
    sizes: Vec<usize>,
}

impl Clusters {
    /// Renumbers `labels`, refusing fewer than 2 clusters or as many clusters as samples.
    fn new(labels: &[u32]) -> Result<Self> {
        let mut distinct = labels.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        let (k, n) = (distinct.len(), labels.len());
        if k < 2 || k >= n {
            return Err(MetricsError::ClusterCount { n_clusters: k, n_samples: n });
        }
        let mut sizes = vec![0; k];
        let of = labels
            .iter()
            .map(|label| {
                // Every label is in `distinct`, so the search always succeeds.
                let (Ok(c) | Err(c)) = distinct.binary_search(label);
                sizes[c] += 1;
                c
            })
            .collect();
        Ok(Clusters { of, sizes })
    }

    fn k(&self) -> usize {
        self.sizes.len()
    }
}

/// Checks what every internal metric needs of its input: one label per row, at least one row
/// and finite values.
fn check_input(x: &CsrMatrix<f32>, labels: &[u32]) -> Result<()> {
    if labels.len() != x.n_rows() {
        return Err(MetricsError::LabelCount { n_rows: x.n_rows(), n_labels: labels.len() });
    }
    if labels.is_empty() {
        return Err(MetricsError::Empty);
    }
    if let Some(p) = x.data().iter().position(|v| !v.is_finite()) {
        // The row holding entry p is the last one starting at or before it.
        let row = x.indptr().partition_point(|&start| start <= p) - 1;
        return Err(MetricsError::NonFinite { row, column: x.indices()[p], value: x.data()[p] });
    }
    Ok(())
}

/// The dot product of a sparse row with a dense vector, accumulated in `f64`.
#[inline]
fn sparse_dot(row: CsrRow<'_, f32>, dense: &[f64]) -> f64 {
    row.iter().map(|(j, v)| f64::from(v) * dense[j as usize]).sum()
}

/// The squared Euclidean norm of a row, accumulated in `f64`.
#[inline]
fn sq_norm(row: CsrRow<'_, f32>) -> f64 {
    row.values.iter().map(|&v| f64::from(v) * f64::from(v)).sum()
}

/// Sums `f(i)` over the rows of each cluster: rows are split into fixed chunks, each chunk
/// sums into its own vector, and the vectors are added in chunk order, so the result does not
/// depend on the number of threads.
fn per_cluster_sums(clusters: &Clusters, f: impl Fn(usize) -> f64 + Sync) -> Vec<f64> {
    let n = clusters.of.len();
    let k = clusters.k();
    let partial: Vec<Vec<f64>> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|chunk| {
            let mut sums = vec![0.0; k];
            for i in chunk * CHUNK..((chunk + 1) * CHUNK).min(n) {
                sums[clusters.of[i]] += f(i);
            }
            sums
        })
        .collect();
    let mut total = vec![0.0; k];
    for sums in partial {
        for (t, s) in total.iter_mut().zip(sums) {
            *t += s;
        }
    }
    total
}

/// Mean silhouette coefficient of the rows of `x` under cosine distance `1 − cos`, as
/// scikit-learn's `silhouette_score(x, labels, metric="cosine")`.
///
/// For a row `i` of cluster `C`, `a` is its mean distance to the other rows of `C` and `b` its
/// smallest mean distance to the rows of another cluster; its silhouette is
/// `(b − a) / max(a, b)`, in `[−1, 1]`. As in scikit-learn, a row of a singleton cluster scores
/// 0, and so does a row with `a = b = 0` (scikit-learn's `nan_to_num` of 0/0).
///
/// Rows need not be normalised (cosine ignores length). An empty row has cosine 0, i.e.
/// distance 1, to every other row, and distance 0 to itself, as in scikit-learn (whose
/// cosine distance treats a zero vector as orthogonal to everything and zeroes the diagonal).
///
/// **Sampling.** With `sample = Some(s)` and `s < n_rows`, `s` distinct rows are drawn without
/// replacement with `Xoshiro256Plus::seed_from_u64(seed)`, and the silhouette is computed on
/// those rows only (distances to, and clusters among, the sample), exactly as scikit-learn's
/// `silhouette_score(sample_size=s)` does; the same seed gives the same sample. The cluster
/// count rule then applies to the sample. With `None`, or `s >= n_rows`, every row is used and
/// `seed` is ignored.
///
/// **Cost.** Mean similarity of a row to a cluster is `dot(row, Σ_cluster rows) / size` for
/// unit rows, so with the sums of each cluster's normalised rows held densely the exact
/// silhouette costs `O(nnz × k)` time and `8 × n_cols × k` bytes rather than the `O(n²)`
/// pairwise distances. For its own cluster the row's self-similarity (1, or 0 for an empty
/// row) is taken out of the sum, and the mean is over `size − 1` rows.
///
/// # Differences from scikit-learn
/// - scikit-learn clips each pairwise distance to `[0, 2]` to absorb rounding; working with
///   sums, this clips `a` and `b` instead, which differs only by rounding.
/// - With more than about 11,600 rows (when the distances no longer fit one chunk of its
///   default 1 GiB `working_memory`), scikit-learn stops zeroing the cosine self-distance, so an
///   empty row counts distance 1 to itself and scores `−1/size` instead of 0 (checked with a
///   small `working_memory`); here its self-distance is always 0, at any size.
/// - Sampled values cannot match scikit-learn's (another random generator).
///
/// # Errors
/// [`MetricsError::LabelCount`] if `labels` does not have one label per row,
/// [`MetricsError::Empty`] for a matrix without rows, [`MetricsError::NonFinite`] for a NaN or
/// infinite value, [`MetricsError::SampleSize`] for `sample = Some(0)`, and
/// [`MetricsError::ClusterCount`] unless `2 <= n_clusters < n_samples` (of the sample, if
/// sampling).
pub fn silhouette_cosine(
    x: &CsrMatrix<f32>,
    labels: &[u32],
    sample: Option<usize>,
    seed: u64,
) -> Result<f64> {
    check_input(x, labels)?;
    match sample {
        Some(0) => Err(MetricsError::SampleSize),
        Some(s) if s < x.n_rows() => {
            let rows = sample_rows(x.n_rows(), s, seed);
            let labels: Vec<u32> = rows.iter().map(|&i| labels[i]).collect();
            silhouette_exact(&x.select_rows(&rows), &labels)
        }
        _ => silhouette_exact(x, labels),
    }
}

/// `s` distinct row indices of `0..n` drawn with the seeded generator, sorted so the sample's
/// rows keep their order in the matrix (the result is then a set, whatever rand's internal
/// order).
fn sample_rows(n: usize, s: usize, seed: u64) -> Vec<usize> {
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let mut rows = rand::seq::index::sample(&mut rng, n, s).into_vec();
    rows.sort_unstable();
    rows
}

/// The silhouette of every row of `x` (inputs already checked), averaged.
fn silhouette_exact(x: &CsrMatrix<f32>, labels: &[u32]) -> Result<f64> {
    let clusters = Clusters::new(labels)?;
    let (n, k) = (x.n_rows(), clusters.k());
    let inv_norm: Vec<f64> = x
        .rows()
        .map(|row| {
            let sq = sq_norm(row);
            if sq > 0.0 { 1.0 / sq.sqrt() } else { 0.0 }
        })
        .collect();
    // Column-major sums of the unit rows of each cluster: column j's k sums are contiguous,
    // so a row's similarities to every cluster are one pass over its non-zeros, each an
    // axpy over k contiguous values. Built sequentially, in row order: O(nnz), and its
    // rounding does not depend on threads.
    let mut sums = vec![0.0f64; x.n_cols() * k];
    for (i, row) in x.rows().enumerate() {
        let c = clusters.of[i];
        for (j, v) in row.iter() {
            sums[j as usize * k + c] += f64::from(v) * inv_norm[i];
        }
    }
    let partial: Vec<f64> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|chunk| {
            let mut sims = vec![0.0f64; k];
            (chunk * CHUNK..((chunk + 1) * CHUNK).min(n))
                .map(|i| {
                    row_silhouette(
                        x.row(i),
                        inv_norm[i],
                        clusters.of[i],
                        &clusters,
                        &sums,
                        &mut sims,
                    )
                })
                .sum::<f64>()
        })
        .collect();
    Ok(partial.iter().sum::<f64>() / n as f64)
}

/// The silhouette of one row of cluster `own`, given the column-major cluster sums; `sims` is
/// scratch space of `k` values.
fn row_silhouette(
    row: CsrRow<'_, f32>,
    inv_norm: f64,
    own: usize,
    clusters: &Clusters,
    sums: &[f64],
    sims: &mut [f64],
) -> f64 {
    let k = clusters.k();
    let own_size = clusters.sizes[own];
    if own_size == 1 {
        return 0.0;
    }
    sims.fill(0.0);
    let mut self_sim = 0.0;
    for (j, v) in row.iter() {
        let w = f64::from(v) * inv_norm;
        self_sim += w * w;
        let column = &sums[j as usize * k..(j as usize + 1) * k];
        for (s, &t) in sims.iter_mut().zip(column) {
            *s += w * t;
        }
    }
    // Mean distance to the rest of its cluster: its own similarity (1 for a row with a
    // direction, 0 for an empty one) is part of the cluster sum and must come out.
    let a = 1.0 - (sims[own] - self_sim) / (own_size - 1) as f64;
    let b = sims
        .iter()
        .zip(&clusters.sizes)
        .enumerate()
        .filter(|&(c, _)| c != own)
        .map(|(_, (&s, &size))| 1.0 - s / size as f64)
        .fold(f64::INFINITY, f64::min);
    // Cosine distances lie in [0, 2], so their means do; this absorbs rounding, as
    // scikit-learn's clip of each distance does.
    let (a, b) = (a.clamp(0.0, 2.0), b.clamp(0.0, 2.0));
    let denominator = a.max(b);
    if denominator > 0.0 { (b - a) / denominator } else { 0.0 }
}

/// Dense centroids, `k × n_cols` row-major in `f64`, the mean of each cluster's rows.
fn centroids(x: &CsrMatrix<f32>, clusters: &Clusters) -> Vec<f64> {
    let n_cols = x.n_cols();
    let mut centroids = vec![0.0f64; clusters.k() * n_cols];
    for (i, row) in x.rows().enumerate() {
        let centroid = &mut centroids[clusters.of[i] * n_cols..][..n_cols];
        for (j, v) in row.iter() {
            centroid[j as usize] += f64::from(v);
        }
    }
    for (centroid, &size) in centroids.chunks_exact_mut(n_cols.max(1)).zip(&clusters.sizes) {
        for c in centroid {
            *c /= size as f64;
        }
    }
    centroids
}

/// Squared Euclidean distance of row `i` to its cluster's centroid, through
/// `‖x‖² − 2 x·c + ‖c‖²` so that the sparse row costs O(nnz) against a dense centroid;
/// clipped at 0 against rounding, as scikit-learn's `euclidean_distances` does.
fn sq_dist_to_centroid(
    x: &CsrMatrix<f32>,
    i: usize,
    centroid: &[f64],
    centroid_sq_norm: f64,
) -> f64 {
    let row = x.row(i);
    (sq_norm(row) - 2.0 * sparse_dot(row, centroid) + centroid_sq_norm).max(0.0)
}

/// Calinski–Harabasz index (variance ratio criterion) with Euclidean geometry on the rows as
/// given, as scikit-learn's `calinski_harabasz_score`: between-cluster dispersion over
/// within-cluster dispersion, each divided by its degrees of freedom,
/// `[Σ_k n_k ‖c_k − c‖² / (k − 1)] / [Σ_i ‖x_i − c_{k(i)}‖² / (n − k)]`. Higher is better.
///
/// Degenerate case, as scikit-learn: 1.0 when the within-cluster dispersion is 0 (every
/// cluster's rows coincide).
///
/// Costs `O(nnz + k × n_cols)` time and `8 × k × n_cols` bytes for the dense centroids.
///
/// # Errors
/// [`MetricsError::LabelCount`], [`MetricsError::Empty`], [`MetricsError::NonFinite`] as for
/// [`silhouette_cosine`], and [`MetricsError::ClusterCount`] unless `2 <= n_clusters < n_rows`.
pub fn calinski_harabasz(x: &CsrMatrix<f32>, labels: &[u32]) -> Result<f64> {
    check_input(x, labels)?;
    let clusters = Clusters::new(labels)?;
    let (n, k, n_cols) = (x.n_rows(), clusters.k(), x.n_cols());
    let centroids = centroids(x, &clusters);
    let mut mean = vec![0.0f64; n_cols];
    for row in x.rows() {
        for (j, v) in row.iter() {
            mean[j as usize] += f64::from(v);
        }
    }
    mean.iter_mut().for_each(|m| *m /= n as f64);

    let mut extra = 0.0;
    let mut centroid_sq_norms = Vec::with_capacity(k);
    for (c, &size) in clusters.sizes.iter().enumerate() {
        let centroid = &centroids[c * n_cols..][..n_cols];
        let spread: f64 = centroid.iter().zip(&mean).map(|(a, b)| (a - b) * (a - b)).sum();
        extra += size as f64 * spread;
        centroid_sq_norms.push(centroid.iter().map(|v| v * v).sum::<f64>());
    }
    let intra: f64 = per_cluster_sums(&clusters, |i| {
        let c = clusters.of[i];
        sq_dist_to_centroid(x, i, &centroids[c * n_cols..][..n_cols], centroid_sq_norms[c])
    })
    .iter()
    .sum();
    Ok(if intra == 0.0 { 1.0 } else { extra * (n - k) as f64 / (intra * (k - 1) as f64) })
}

/// Davies–Bouldin index with Euclidean geometry on the rows as given, as scikit-learn's
/// `davies_bouldin_score`: the mean over clusters of `max_{j ≠ i} (s_i + s_j) / d(c_i, c_j)`,
/// where `s_i` is the mean distance of cluster `i`'s rows to its centroid `c_i`. Lower is
/// better; the minimum is 0.
///
/// Degenerate cases, as scikit-learn: 0.0 when every `s_i` is within `1e-8` of 0 or every
/// centroid distance is (numpy's `allclose` to 0); a pair of coincident centroids is skipped
/// (its distance is taken as infinite).
///
/// Costs `O(nnz + k² × n_cols)` time (centroid distances are computed densely, in parallel
/// over clusters) and `8 × k × n_cols` bytes.
///
/// # Differences from scikit-learn
/// Centroid distances are `√Σ (a − b)²` rather than scikit-learn's `‖a‖² − 2a·b + ‖b‖²`, which
/// is more accurate; the two agree except when centroids (nearly) coincide, where
/// scikit-learn's cancellation can leave a tiny non-zero distance and so a huge ratio.
///
/// # Errors
/// As [`calinski_harabasz`].
pub fn davies_bouldin(x: &CsrMatrix<f32>, labels: &[u32]) -> Result<f64> {
    check_input(x, labels)?;
    let clusters = Clusters::new(labels)?;
    let (k, n_cols) = (clusters.k(), x.n_cols());
    let centroids = centroids(x, &clusters);
    let centroid = |c: usize| &centroids[c * n_cols..][..n_cols];
    let centroid_sq_norms: Vec<f64> =
        (0..k).map(|c| centroid(c).iter().map(|v| v * v).sum()).collect();
    let spread: Vec<f64> = per_cluster_sums(&clusters, |i| {
        let c = clusters.of[i];
        sq_dist_to_centroid(x, i, centroid(c), centroid_sq_norms[c]).sqrt()
    })
    .iter()
    .zip(&clusters.sizes)
    .map(|(sum, &size)| sum / size as f64)
    .collect();
    // Upper triangle only, by rows of the k × k matrix: each entry is computed once, by one
    // task, so the result does not depend on threads.
    let upper: Vec<Vec<f64>> = (0..k)
        .into_par_iter()
        .map(|i| {
            (i + 1..k)
                .map(|j| {
                    centroid(i)
                        .iter()
                        .zip(centroid(j))
                        .map(|(a, b)| (a - b) * (a - b))
                        .sum::<f64>()
                        .sqrt()
                })
                .collect()
        })
        .collect();
    let distance = |i: usize, j: usize| match i.cmp(&j) {
        std::cmp::Ordering::Less => upper[i][j - i - 1],
        std::cmp::Ordering::Greater => upper[j][i - j - 1],
        std::cmp::Ordering::Equal => 0.0,
    };
    // numpy's `allclose(v, 0)`: |v| <= atol = 1e-8 (its relative tolerance vanishes at 0).
    // The diagonal of the centroid distances is 0, so only the off-diagonal entries decide.
    const ATOL: f64 = 1e-8;
    if spread.iter().all(|s| s.abs() <= ATOL) || upper.iter().flatten().all(|d| d.abs() <= ATOL) {
        return Ok(0.0);
    }
    let total: f64 = (0..k)
        .map(|i| {
            (0..k)
                .filter(|&j| j != i)
                .map(|j| {
                    let d = distance(i, j);
                    // scikit-learn sets zero distances to infinity, making the ratio 0.
                    if d == 0.0 { 0.0 } else { (spread[i] + spread[j]) / d }
                })
                .fold(0.0, f64::max)
        })
        .sum();
    Ok(total / k as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(n_cols: usize, rows: &[&[(u32, f32)]]) -> CsrMatrix<f32> {
        let mut indptr = vec![0];
        let (mut indices, mut data) = (Vec::new(), Vec::new());
        for row in rows {
            for &(j, v) in *row {
                indices.push(j);
                data.push(v);
            }
            indptr.push(indices.len());
        }
        CsrMatrix::new(n_cols, indptr, indices, data).unwrap()
    }

    #[test]
    fn clusters_are_renumbered_in_ascending_order() {
        let c = Clusters::new(&[9, 3, 9, 100, 3]).unwrap();
        assert_eq!(c.of, vec![1, 0, 1, 2, 0]);
        assert_eq!(c.sizes, vec![2, 2, 1]);
        assert!(matches!(
            Clusters::new(&[4, 4, 4]),
            Err(MetricsError::ClusterCount { n_clusters: 1, n_samples: 3 })
        ));
        assert!(matches!(
            Clusters::new(&[1, 2, 3]),
            Err(MetricsError::ClusterCount { n_clusters: 3, n_samples: 3 })
        ));
    }

    #[test]
    fn non_finite_value_is_located() {
        let x = matrix(3, &[&[(0, 1.0)], &[], &[(1, 2.0), (2, f32::NAN)]]);
        match check_input(&x, &[0, 0, 1]) {
            Err(MetricsError::NonFinite { row: 2, column: 2, value }) => assert!(value.is_nan()),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn sampled_silhouette_is_the_exact_silhouette_of_the_sample() {
        // Eight rows in two directions plus noise; any 5-row sample is scored on its own.
        let x = matrix(
            3,
            &[
                &[(0, 1.0)],
                &[(0, 0.9), (1, 0.1)],
                &[(0, 0.8), (2, 0.3)],
                &[(1, 1.0)],
                &[(1, 0.7), (2, 0.7)],
                &[(2, 1.0)],
                &[],
                &[(0, 0.2), (2, 0.9)],
            ],
        );
        let labels = [0, 0, 0, 1, 1, 2, 2, 2];
        for seed in 0..20 {
            let rows = sample_rows(8, 5, seed);
            assert_eq!(rows.len(), 5);
            assert!(rows.windows(2).all(|w| w[0] < w[1]));
            let sub_labels: Vec<u32> = rows.iter().map(|&i| labels[i]).collect();
            let expected = silhouette_exact(&x.select_rows(&rows), &sub_labels);
            assert_eq!(silhouette_cosine(&x, &labels, Some(5), seed), expected, "seed {seed}");
        }
        // Different seeds draw different samples.
        assert_ne!(sample_rows(1000, 10, 1), sample_rows(1000, 10, 2));
    }
}
