//! Public-API tests of k-means on dense rows: cosine and Euclidean.

use approx::assert_abs_diff_eq;
use ndarray::{Array2, ArrayView2, array, s};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal};
use rand_xoshiro::Xoshiro256Plus;
use thematic_cluster::{
    KMeans, KMeansAlgorithm, KMeansError, KMeansInit, KMeansMetric, KMeansModel, KMeansParams,
    KMeansParamsError, dense_to_csr,
};

const EUCLIDEAN: KMeansMetric = KMeansMetric::Euclidean;
const COSINE: KMeansMetric = KMeansMetric::Cosine;

/// `n` Gaussian points around `k` centres drawn in `[-spread, spread]^d`, unit variance.
fn blobs(n: usize, d: usize, k: usize, spread: f32, seed: u64) -> Array2<f32> {
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let centres: Vec<Vec<f32>> =
        (0..k).map(|_| (0..d).map(|_| rng.gen_range(-spread..spread)).collect()).collect();
    let noise = Normal::new(0.0f32, 1.0).unwrap();
    Array2::from_shape_fn((n, d), |(i, j)| centres[i % k][j] + noise.sample(&mut rng))
}

/// Rows of `x` scaled to unit norm (zero rows stay zero).
fn normalised(mut x: Array2<f32>) -> Array2<f32> {
    for mut row in x.rows_mut() {
        let norm = row.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            row.mapv_inplace(|v| v / norm);
        }
    }
    x
}

fn params(k: usize, metric: KMeansMetric) -> KMeansParams {
    KMeans::params(k).metric(metric)
}

fn same_partition(a: &[u32], b: &[u32]) -> bool {
    use std::collections::HashMap;
    let (mut ab, mut ba) = (HashMap::new(), HashMap::new());
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| *ab.entry(x).or_insert(y) == y && *ba.entry(y).or_insert(x) == x)
}

fn models_identical(a: &KMeansModel, b: &KMeansModel) {
    assert_eq!(a.labels(), b.labels());
    assert_eq!(a.objective().to_bits(), b.objective().to_bits());
    let bits = |m: &KMeansModel| m.centroids().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(a), bits(b));
    let hist =
        |m: &KMeansModel| m.inertia_history().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(hist(a), hist(b));
    assert_eq!((a.n_iter(), a.converged(), a.metric()), (b.n_iter(), b.converged(), b.metric()));
}

/// The objective of `labels` against `centroids`, computed naively in `f64`.
fn objective_by_hand(
    x: ArrayView2<'_, f32>,
    centroids: &[f32],
    labels: &[u32],
    metric: KMeansMetric,
) -> f64 {
    let d = x.ncols();
    x.rows()
        .into_iter()
        .zip(labels)
        .map(|(row, &l)| {
            let c = &centroids[l as usize * d..(l as usize + 1) * d];
            match metric {
                KMeansMetric::Euclidean => {
                    row.iter().zip(c).map(|(&a, &b)| (f64::from(a) - f64::from(b)).powi(2)).sum()
                }
                _ => {
                    let norm = row.iter().map(|&a| f64::from(a).powi(2)).sum::<f64>().sqrt();
                    if norm == 0.0 {
                        return 1.0;
                    }
                    let dot: f64 =
                        row.iter().zip(c).map(|(&a, &b)| f64::from(a) * f64::from(b)).sum();
                    (1.0 - dot / norm).max(0.0)
                }
            }
        })
        .sum()
}

#[test]
fn euclidean_tiny_case_by_hand() {
    // Group A: (0, 0), (2, 0): mean (1, 0), squared distances 1 + 1.
    // Group B: (10, 10), (10, 12), (10, 14): mean (10, 12), squared distances 4 + 0 + 4.
    let x = array![[0.0f32, 0.0], [10.0, 10.0], [2.0, 0.0], [10.0, 12.0], [10.0, 14.0]];
    for seed in 0..10 {
        for algorithm in
            [KMeansAlgorithm::Lloyd, KMeansAlgorithm::Hamerly, KMeansAlgorithm::Yinyang]
        {
            let model =
                params(2, EUCLIDEAN).seed(seed).algorithm(algorithm).fit_dense(x.view()).unwrap();
            assert_eq!(model.metric(), EUCLIDEAN);
            let l = model.labels();
            assert!(same_partition(l, &[0, 1, 0, 1, 1]), "seed {seed}: {l:?}");
            assert_eq!(model.objective(), 10.0);
            assert_eq!(model.centroid(l[0] as usize), &[1.0, 0.0]);
            assert_eq!(model.centroid(l[1] as usize), &[10.0, 12.0]);
            assert_eq!(model.cluster_sizes()[l[1] as usize], 3);
            assert!(model.converged());
            assert_eq!(model.inertia_history().last(), Some(&10.0));
            assert_eq!(model.predict_dense(x.view()).unwrap(), l);
            // New points go to the nearest mean, not the nearest direction: (3, 3) is at
            // angle 45° from both centroids' directions... and much nearer (1, 0).
            let new = array![[3.0f32, 3.0], [9.0, 20.0]];
            assert_eq!(model.predict_dense(new.view()).unwrap(), vec![l[0], l[1]]);
        }
    }
}

#[test]
fn cosine_tiny_case_matches_the_sparse_doc_example() {
    // The crate docs' example, dense: Σ (1 − cos) = 6 − 2‖(2.4, 1.4)‖.
    let x = array![
        [1.0f32, 0.0, 0.0, 0.0],
        [0.8, 0.6, 0.0, 0.0],
        [0.6, 0.8, 0.0, 0.0],
        [0.0, 0.0, 1.0, 0.0],
        [0.0, 0.0, 0.8, 0.6],
        [0.0, 0.0, 0.6, 0.8],
    ];
    let model = params(2, COSINE).seed(42).fit_dense(x.view()).unwrap();
    assert!(same_partition(model.labels(), &[0, 0, 0, 1, 1, 1]));
    let expected = 6.0 - 2.0 * (2.4f64 * 2.4 + 1.4 * 1.4).sqrt();
    assert_abs_diff_eq!(model.objective(), expected, epsilon = 1e-6);
    let norm: f64 = model.centroid(0).iter().map(|&v| f64::from(v).powi(2)).sum();
    assert_abs_diff_eq!(norm, 1.0, epsilon = 1e-6);
}

#[test]
fn cosine_dense_gives_the_labels_of_the_sparse_path() {
    // Directions around 6 centres, rows of very different lengths, a few zero rows.
    let mut x = blobs(3_000, 24, 6, 4.0, 11);
    for (i, mut row) in x.rows_mut().into_iter().enumerate() {
        let len = 0.2 + (i % 7) as f32;
        if i % 500 == 3 {
            row.fill(0.0);
        }
        row.mapv_inplace(|v| v * len);
    }
    for x in [normalised(x.clone()), x] {
        let sparse = dense_to_csr(x.view());
        for (k, seed) in [(6, 1), (9, 2)] {
            let p = params(k, COSINE).seed(seed);
            let a = p.fit(&sparse).unwrap();
            let b = p.fit_dense(x.view()).unwrap();
            assert_eq!(a.labels(), b.labels(), "k {k}");
            assert_abs_diff_eq!(a.objective(), b.objective(), epsilon = 1e-6 * a.objective());
            for (u, v) in a.centroids().iter().zip(b.centroids()) {
                assert_abs_diff_eq!(u, v, epsilon = 1e-5);
            }
            // Each zero row: label 0, cosine 0, 1 in the objective.
            assert!((0..x.nrows()).filter(|i| i % 500 == 3).all(|i| b.labels()[i] == 0));
            let by_hand = objective_by_hand(x.view(), b.centroids(), b.labels(), COSINE);
            assert_abs_diff_eq!(b.objective(), by_hand, epsilon = 1e-9 * by_hand);
        }
    }
}

#[test]
fn same_result_at_any_thread_count() {
    // Several blocks of 1024 rows, so block-ordered sums are exercised.
    let x = blobs(5_000, 16, 8, 3.0, 7);
    for metric in [EUCLIDEAN, COSINE] {
        for algorithm in [KMeansAlgorithm::Lloyd, KMeansAlgorithm::Yinyang] {
            for init in [KMeansInit::KMeansPlusPlus, KMeansInit::KMeansParallel] {
                let fit = |threads| {
                    params(10, metric)
                        .seed(5)
                        .n_init(2)
                        .algorithm(algorithm)
                        .init(init)
                        .threads(Some(threads))
                        .fit_dense(x.view())
                        .unwrap()
                };
                let one = fit(1);
                assert!(one.n_iter() > 1);
                models_identical(&one, &fit(2));
                models_identical(&one, &fit(8));
            }
        }
    }
}

#[test]
fn pruning_gives_exactly_the_model_of_plain_lloyd() {
    // Overlapping blobs and more clusters than planted, so rows keep moving for a while;
    // 40 clusters make 3 Yinyang groups, the last one partial.
    for (metric, k, seed) in
        [(EUCLIDEAN, 12, 1), (EUCLIDEAN, 40, 2), (COSINE, 12, 3), (COSINE, 3, 4)]
    {
        let x = blobs(4_000, 10, 8, 2.0, seed);
        let fit = |a| {
            params(k, metric)
                .seed(seed)
                .max_iter(300)
                .tol(0.0)
                .algorithm(a)
                .fit_dense(x.view())
                .unwrap()
        };
        let lloyd = fit(KMeansAlgorithm::Lloyd);
        assert!(lloyd.n_iter() > 5, "too easy to exercise the bounds");
        assert_eq!(lloyd.skipped_fraction(), 0.0);
        for pruned in [KMeansAlgorithm::Hamerly, KMeansAlgorithm::Yinyang] {
            let model = fit(pruned);
            models_identical(&lloyd, &model);
            let (computed, total) = model.similarities_computed();
            assert_eq!(total, lloyd.similarities_computed().1);
            assert!(
                computed < total / 2,
                "{metric} k={k} {pruned:?} skipped too little: {computed} of {total}"
            );
        }
    }
}

/// A straightforward Lloyd in `f64`: means (or normalised sums of directions), then each row
/// to the nearest centroid by exact distance, until no label changes.
fn reference_lloyd(
    x: ArrayView2<'_, f32>,
    mut labels: Vec<u32>,
    k: usize,
    metric: KMeansMetric,
) -> (Vec<u32>, Vec<f32>) {
    let (n, d) = x.dim();
    let rows: Vec<Vec<f64>> = x
        .rows()
        .into_iter()
        .map(|r| {
            let r: Vec<f64> = r.iter().map(|&v| f64::from(v)).collect();
            if metric == COSINE {
                let norm = r.iter().map(|v| v * v).sum::<f64>().sqrt();
                r.iter().map(|v| v / norm).collect()
            } else {
                r
            }
        })
        .collect();
    loop {
        let mut sums = vec![vec![0.0f64; d]; k];
        let mut counts = vec![0usize; k];
        for (row, &l) in rows.iter().zip(&labels) {
            counts[l as usize] += 1;
            for (s, v) in sums[l as usize].iter_mut().zip(row) {
                *s += v;
            }
        }
        let centroids: Vec<Vec<f64>> = sums
            .iter()
            .zip(&counts)
            .map(|(s, &c)| {
                assert!(c > 0, "the reference does not re-seed");
                let scale = match metric {
                    KMeansMetric::Euclidean => 1.0 / c as f64,
                    _ => 1.0 / s.iter().map(|v| v * v).sum::<f64>().sqrt(),
                };
                s.iter().map(|v| v * scale).collect()
            })
            .collect();
        let next: Vec<u32> = (0..n)
            .map(|i| {
                let dist = |c: &Vec<f64>| -> f64 {
                    match metric {
                        KMeansMetric::Euclidean => {
                            rows[i].iter().zip(c).map(|(a, b)| (a - b).powi(2)).sum()
                        }
                        _ => -rows[i].iter().zip(c).map(|(a, b)| a * b).sum::<f64>(),
                    }
                };
                (0..k).min_by(|&a, &b| dist(&centroids[a]).total_cmp(&dist(&centroids[b]))).unwrap()
                    as u32
            })
            .collect();
        if next == labels {
            return (labels, centroids.iter().flatten().map(|&v| v as f32).collect());
        }
        labels = next;
    }
}

#[test]
fn the_gemm_path_follows_a_reference_lloyd_from_the_same_start() {
    for (metric, seed) in [(EUCLIDEAN, 1), (EUCLIDEAN, 2), (COSINE, 3)] {
        let x = blobs(2_000, 12, 6, 6.0, seed);
        let k = 6;
        // One iteration fixes a start: its labels; then both go on to convergence.
        let start = params(k, metric).seed(seed).max_iter(1).fit_dense(x.view()).unwrap();
        let full = params(k, metric).seed(seed).tol(0.0).max_iter(500).fit_dense(x.view()).unwrap();
        assert!(full.converged());
        let (labels, centroids) = reference_lloyd(x.view(), start.labels().to_vec(), k, metric);
        assert_eq!(full.labels(), &labels[..], "{metric}");
        for (a, b) in full.centroids().iter().zip(&centroids) {
            assert_abs_diff_eq!(a, b, epsilon = 1e-4 * (1.0 + b.abs()));
        }
        let by_hand = objective_by_hand(x.view(), full.centroids(), full.labels(), metric);
        assert_abs_diff_eq!(full.objective(), by_hand, epsilon = 1e-9 * by_hand);
    }
}

#[test]
fn each_iteration_is_a_reference_update_and_assignment() {
    let x = blobs(1_500, 8, 5, 1.5, 9);
    let fit =
        |iters| params(7, EUCLIDEAN).seed(3).tol(0.0).max_iter(iters).fit_dense(x.view()).unwrap();
    let mut before = fit(1);
    for iters in 2..6 {
        let after = fit(iters);
        if before.converged() {
            break;
        }
        // From the previous labels: means, then nearest means.
        let d = x.ncols();
        let mut sums = vec![0.0f64; 7 * d];
        let sizes = before.cluster_sizes();
        for (row, &l) in x.rows().into_iter().zip(before.labels()) {
            for (s, &v) in sums[l as usize * d..][..d].iter_mut().zip(row) {
                *s += f64::from(v);
            }
        }
        let means: Vec<f32> =
            sums.iter().enumerate().map(|(t, s)| (s / sizes[t / d] as f64) as f32).collect();
        // Sums are kept incrementally in f64: the same means up to the last f32 bit.
        for (a, b) in after.centroids().iter().zip(&means) {
            assert_abs_diff_eq!(a, b, epsilon = 1e-6 * (1.0 + b.abs()));
        }
        let nearest: Vec<u32> = x
            .rows()
            .into_iter()
            .map(|row| {
                let dist = |c: usize| -> f64 {
                    row.iter()
                        .zip(&means[c * d..(c + 1) * d])
                        .map(|(&a, &b)| (f64::from(a) - f64::from(b)).powi(2))
                        .sum()
                };
                (0..7).min_by(|&a, &b| dist(a).total_cmp(&dist(b))).unwrap() as u32
            })
            .collect();
        assert_eq!(after.labels(), &nearest[..], "iteration {iters}");
        before = after;
    }
}

#[test]
fn objective_never_increases_and_history_ends_at_it() {
    for metric in [EUCLIDEAN, COSINE] {
        let x = blobs(3_000, 6, 10, 1.0, 5);
        let model = params(15, metric).seed(2).tol(0.0).max_iter(200).fit_dense(x.view()).unwrap();
        let h = model.inertia_history();
        assert!(h.len() > 3 && h.len() == model.n_iter());
        assert_eq!(h.last(), Some(&model.objective()));
        for w in h.windows(2) {
            assert!(w[1] <= w[0] * (1.0 + 1e-9), "{metric}: {h:?}");
        }
    }
}

#[test]
fn invalid_input_gives_typed_errors() {
    let x = blobs(6, 3, 2, 1.0, 1);
    for metric in [EUCLIDEAN, COSINE] {
        assert_eq!(
            params(7, metric).fit_dense(x.view()).unwrap_err(),
            KMeansError::TooFewRows { n_rows: 6, n_clusters: 7 }
        );
        let mut bad = x.clone();
        bad[(4, 1)] = f32::NAN;
        match params(2, metric).fit_dense(bad.view()).unwrap_err() {
            KMeansError::NonFinite { row: 4, column: 1, value } => assert!(value.is_nan()),
            e => panic!("{e}"),
        }
        bad[(2, 2)] = f32::NEG_INFINITY;
        // A transposed (non-contiguous) view reports positions in its own layout.
        assert!(matches!(
            params(2, metric).fit_dense(bad.t()).unwrap_err(),
            KMeansError::NonFinite { row: 1, column: 4, value } if value.is_nan()
        ));
        assert_eq!(
            params(2, metric).fit_dense(bad.slice(s![..3, ..])).unwrap_err(),
            KMeansError::NonFinite { row: 2, column: 2, value: f32::NEG_INFINITY }
        );
        // Invalid parameters come first.
        assert!(matches!(
            params(0, metric).fit_dense(bad.view()),
            Err(KMeansError::InvalidParams(KMeansParamsError::NClusters(0)))
        ));
        // Prediction checks its input too.
        let model = params(2, metric).fit_dense(x.view()).unwrap();
        assert_eq!(
            model.predict_dense(Array2::zeros((2, 4)).view()).unwrap_err(),
            KMeansError::FeatureMismatch { expected: 3, found: 4 }
        );
        assert!(matches!(
            model.predict_dense(bad.view()),
            Err(KMeansError::NonFinite { row: 2, column: 2, .. })
        ));
    }
    // Cosine needs a direction; Euclidean needs a column.
    let zeros = Array2::<f32>::zeros((4, 3));
    assert_eq!(
        params(2, COSINE).fit_dense(zeros.view()).unwrap_err(),
        KMeansError::AllRowsEmpty { n_rows: 4 }
    );
    assert_eq!(params(2, EUCLIDEAN).fit_dense(zeros.view()).unwrap().objective(), 0.0);
    let no_columns = Array2::<f32>::zeros((4, 0));
    assert_eq!(
        params(2, EUCLIDEAN).fit_dense(no_columns.view()).unwrap_err(),
        KMeansError::NoColumns { n_rows: 4 }
    );
    // Sparse rows are clustered by cosine only.
    let err = params(2, EUCLIDEAN).fit(&dense_to_csr(x.view())).unwrap_err();
    assert_eq!(err, KMeansError::EuclideanNeedsDense);
    assert!(err.to_string().contains("fit_dense"), "{err}");
}

/// What a zero objective becomes through rounding: exactly 0 for Euclidean (a centroid of
/// equal rows is that row), `1 − cos` of a row with its `f32` unit centroid for cosine.
fn rounding(metric: KMeansMetric) -> f64 {
    if metric == EUCLIDEAN { 0.0 } else { 1e-6 }
}

#[test]
fn duplicate_points_work() {
    for metric in [EUCLIDEAN, COSINE] {
        // All rows the same point.
        let same = Array2::from_elem((6, 3), 1.5f32);
        let model = params(3, metric).fit_dense(same.view()).unwrap();
        assert!(model.objective() <= rounding(metric), "{}", model.objective());
        assert!(model.labels().iter().all(|&l| l < 3));
        assert_eq!(model.predict_dense(same.view()).unwrap(), model.labels());
        // Two distinct points, each many times, for three clusters.
        let two = Array2::from_shape_fn(
            (10, 2),
            |(i, j)| if (i % 2 == 0) == (j == 0) { 1.0 } else { 0.0 },
        );
        let model = params(3, metric).seed(4).fit_dense(two.view()).unwrap();
        assert!(model.objective() <= rounding(metric), "{}", model.objective());
        let l = model.labels();
        assert!((0..10).all(|i| l[i] == l[i % 2]) && l[0] != l[1], "{l:?}");
        // k equal to the number of distinct rows, each its own cluster.
        let model =
            params(2, metric).init(KMeansInit::KMeansParallel).fit_dense(two.view()).unwrap();
        assert!(model.objective() <= rounding(metric), "{}", model.objective());
    }
}

#[test]
fn as_many_clusters_as_rows() {
    let x = blobs(9, 4, 3, 5.0, 3);
    for metric in [EUCLIDEAN, COSINE] {
        let model = params(9, metric).fit_dense(x.view()).unwrap();
        let mut l = model.labels().to_vec();
        l.sort_unstable();
        assert_eq!(l, (0..9).collect::<Vec<u32>>());
        assert!(model.objective() <= rounding(metric), "{}", model.objective());
    }
}

#[test]
fn layout_does_not_matter() {
    let x = blobs(700, 5, 4, 4.0, 8);
    let fortran = x.t().as_standard_layout().to_owned().reversed_axes();
    assert!(fortran.as_slice().is_none());
    let wide = ndarray::concatenate![ndarray::Axis(1), x.view(), x.view()];
    let strided = wide.slice(s![.., ..5]);
    for metric in [EUCLIDEAN, COSINE] {
        let p = params(4, metric).seed(1);
        let a = p.fit_dense(x.view()).unwrap();
        models_identical(&a, &p.fit_dense(fortran.view()).unwrap());
        models_identical(&a, &p.fit_dense(strided).unwrap());
        assert_eq!(a.predict_dense(fortran.view()).unwrap(), a.labels());
    }
}

#[test]
fn restarts_and_seeds() {
    let x = blobs(600, 4, 6, 3.0, 3);
    for metric in [EUCLIDEAN, COSINE] {
        for seed in 0..4 {
            let one = params(6, metric).seed(seed).fit_dense(x.view()).unwrap();
            let five = params(6, metric).seed(seed).n_init(5).fit_dense(x.view()).unwrap();
            assert!(five.objective() <= one.objective(), "{metric} seed {seed}");
            models_identical(&one, &params(6, metric).seed(seed).fit_dense(x.view()).unwrap());
        }
    }
}

#[test]
fn iteration_limit_and_tolerance() {
    let x = blobs(2_000, 4, 8, 1.5, 4);
    for metric in [EUCLIDEAN, COSINE] {
        let one = params(8, metric).max_iter(1).fit_dense(x.view()).unwrap();
        assert_eq!((one.n_iter(), one.inertia_history().len()), (1, 1));
        let exact = params(8, metric).tol(0.0).max_iter(1000).fit_dense(x.view()).unwrap();
        let loose = params(8, metric).tol(0.05).fit_dense(x.view()).unwrap();
        assert!(exact.converged() && loose.converged());
        assert!(loose.n_iter() < exact.n_iter(), "{metric}");
        assert!(exact.objective() <= loose.objective());
    }
}

#[test]
fn kmeans_parallel_and_mini_batch() {
    let x = blobs(8_000, 8, 8, 5.0, 9);
    for metric in [EUCLIDEAN, COSINE] {
        // Either seeding lands in a worse local optimum for some seeds: compare the sums
        // over a few seeds.
        let total = |init| -> f64 {
            (0..6)
                .map(|seed| {
                    let p = params(8, metric).seed(seed).init(init);
                    p.fit_dense(x.view()).unwrap().objective()
                })
                .sum()
        };
        let (plus_plus, parallel) =
            (total(KMeansInit::KMeansPlusPlus), total(KMeansInit::KMeansParallel));
        assert!(
            parallel <= plus_plus * 1.05,
            "{metric}: k-means|| {parallel} vs k-means++ {plus_plus}"
        );
        let full = params(8, metric).seed(4).n_init(3).fit_dense(x.view()).unwrap();
        let mini = |threads| {
            params(8, metric)
                .seed(4)
                .batch_size(Some(500))
                .threads(Some(threads))
                .fit_dense(x.view())
                .unwrap()
        };
        let m = mini(1);
        assert!(
            m.objective() <= full.objective() * 1.10,
            "{metric}: mini-batch {} vs full {}",
            m.objective(),
            full.objective()
        );
        models_identical(&m, &mini(2));
        assert_eq!(m.predict_dense(x.view()).unwrap(), m.labels());
        assert_eq!(m.inertia_history().len(), m.n_iter());
        let by_hand = objective_by_hand(x.view(), m.centroids(), m.labels(), metric);
        assert_abs_diff_eq!(m.objective(), by_hand, epsilon = 1e-9 * by_hand);
    }
}

#[test]
fn sparse_prediction_and_similarities_of_a_euclidean_model() {
    let x = blobs(1_000, 6, 5, 5.0, 2);
    let model = params(5, EUCLIDEAN).fit_dense(x.view()).unwrap();
    let sparse = dense_to_csr(x.view());
    assert_eq!(model.predict(&sparse).unwrap(), model.labels());
    // Cosines to raw (mean) centroids.
    let sims = model.similarities_to_centroid(&sparse, model.labels()).unwrap();
    for (i, row) in x.rows().into_iter().enumerate().take(50) {
        let c = model.centroid(model.labels()[i] as usize);
        let dot: f32 = row.iter().zip(c).map(|(a, b)| a * b).sum();
        let norms = row.iter().map(|a| a * a).sum::<f32>().sqrt()
            * c.iter().map(|a| a * a).sum::<f32>().sqrt();
        assert_abs_diff_eq!(sims[i], dot / norms, epsilon = 1e-5);
    }
}

/// serde_json (without its `float_roundtrip` feature) may read an `f64` back one unit in the
/// last place off; everything else comes back exactly.
fn same_up_to_json(a: &KMeansModel, b: &KMeansModel) {
    assert_eq!((a.metric(), a.labels(), a.centroids()), (b.metric(), b.labels(), b.centroids()));
    assert_abs_diff_eq!(a.objective(), b.objective(), epsilon = 1e-12 * b.objective());
    assert_eq!((a.n_iter(), a.converged()), (b.n_iter(), b.converged()));
}

#[test]
fn model_serde_round_trip_keeps_the_metric() {
    let x = blobs(40, 3, 2, 5.0, 1);
    for metric in [EUCLIDEAN, COSINE] {
        let model = params(2, metric).fit_dense(x.view()).unwrap();
        let json = serde_json::to_string(&model).unwrap();
        assert!(json.contains(&format!("\"metric\":\"{metric}\"")), "{json}");
        let back: KMeansModel = serde_json::from_str(&json).unwrap();
        same_up_to_json(&back, &model);
        assert_eq!(back.predict_dense(x.view()).unwrap(), model.labels());
    }
    // A model saved before the metric existed is cosine.
    let model = KMeans::params(2).fit_dense(x.view()).unwrap();
    let mut v: serde_json::Value = serde_json::to_value(&model).unwrap();
    v.as_object_mut().unwrap().remove("metric");
    let old: KMeansModel = serde_json::from_value(v.clone()).unwrap();
    same_up_to_json(&old, &model);
    v["metric"] = "manhattan".into();
    assert!(serde_json::from_value::<KMeansModel>(v).is_err());
    // Parameters too.
    let p = params(3, EUCLIDEAN).seed(2);
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<KMeansParams>(&json).unwrap(), p);
    let old = json.replace(",\"metric\":\"euclidean\"", "");
    assert_ne!(old, json);
    assert_eq!(serde_json::from_str::<KMeansParams>(&old).unwrap(), p.clone().metric(COSINE));
}

#[test]
fn linfa_fit_and_predict_use_the_dense_path_in_the_params_metric() {
    use linfa::DatasetBase;
    use linfa::traits::{Fit, Predict};

    let records = blobs(300, 4, 3, 6.0, 6);
    let dataset = DatasetBase::from(records.clone());
    for metric in [EUCLIDEAN, COSINE] {
        let p = params(3, metric).seed(1);
        let model = Fit::fit(&p, &dataset).unwrap();
        assert_eq!(model.metric(), metric);
        models_identical(&model, &p.fit_dense(records.view()).unwrap());
        let predicted: ndarray::Array1<usize> = Predict::predict(&model, &records);
        let labels: Vec<usize> = model.labels().iter().map(|&l| l as usize).collect();
        assert_eq!(predicted.to_vec(), labels);
        let shifted = records.mapv(|v| v + 0.01);
        let predicted: ndarray::Array1<usize> = Predict::predict(&model, &shifted);
        let direct = model.predict_dense(shifted.view()).unwrap();
        assert!(predicted.iter().zip(&direct).all(|(&a, &b)| a == b as usize));
    }
    let err = Fit::fit(&KMeans::params(0), &dataset).unwrap_err();
    assert!(matches!(err, KMeansError::InvalidParams(KMeansParamsError::NClusters(0))));
}

/// Small random dense matrices, some rows zero, some repeated.
fn small_dense() -> impl Strategy<Value = Array2<f32>> {
    (1usize..6, 1usize..30).prop_flat_map(|(d, n)| {
        proptest::collection::vec(
            prop_oneof![3 => -4.0f32..4.0, 1 => Just(0.0f32), 1 => Just(1.0f32)],
            n * d,
        )
        .prop_map(move |v| Array2::from_shape_vec((n, d), v).unwrap())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn dense_invariants(
        x in small_dense(),
        k in 1usize..6,
        seed in any::<u64>(),
        euclidean in any::<bool>(),
        algorithm in prop_oneof![
            Just(KMeansAlgorithm::Lloyd), Just(KMeansAlgorithm::Hamerly), Just(KMeansAlgorithm::Yinyang)
        ],
    ) {
        let metric = if euclidean { EUCLIDEAN } else { COSINE };
        let k = k.min(x.nrows());
        let p = params(k, metric).seed(seed).tol(0.0).threads(Some(1)).algorithm(algorithm);
        let result = p.fit_dense(x.view());
        if metric == COSINE && x.iter().all(|&v| v == 0.0) {
            let all_empty = matches!(result, Err(KMeansError::AllRowsEmpty { .. }));
            prop_assert!(all_empty);
            return Ok(());
        }
        let model = result.unwrap();
        let history = model.inertia_history();
        prop_assert_eq!(history.len(), model.n_iter());
        prop_assert_eq!(history.last().copied(), Some(model.objective()));
        let slack = 1e-5 * (1.0 + history[0]);
        for w in history.windows(2) {
            prop_assert!(w[1] <= w[0] + slack, "history {:?}", history);
        }
        prop_assert!(model.labels().iter().all(|&l| (l as usize) < k));
        prop_assert_eq!(model.predict_dense(x.view()).unwrap(), model.labels());
        let by_hand = objective_by_hand(x.view(), model.centroids(), model.labels(), metric);
        prop_assert!((by_hand - model.objective()).abs() <= 1e-9 * (1.0 + by_hand));
        let lloyd = p.clone().algorithm(KMeansAlgorithm::Lloyd).fit_dense(x.view()).unwrap();
        prop_assert_eq!(lloyd.labels(), model.labels());
        prop_assert_eq!(lloyd.objective().to_bits(), model.objective().to_bits());
    }
}
