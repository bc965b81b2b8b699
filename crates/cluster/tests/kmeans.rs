//! Public-API tests of spherical k-means.

use approx::assert_abs_diff_eq;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;
use thematic_cluster::{
    KMeans, KMeansAlgorithm, KMeansError, KMeansInit, KMeansModel, KMeansParams, KMeansParamsError,
};
use thematic_core::CsrMatrix;

/// A matrix from rows of (column, value) pairs in column order.
fn csr(n_cols: usize, rows: &[Vec<(u32, f32)>]) -> CsrMatrix {
    let mut indptr = vec![0];
    let (mut indices, mut data) = (Vec::new(), Vec::new());
    for row in rows {
        for &(j, v) in row {
            indices.push(j);
            data.push(v);
        }
        indptr.push(indices.len());
    }
    CsrMatrix::new(n_cols, indptr, indices, data).unwrap()
}

/// Two orthogonal groups of three unit rows over four columns.
fn two_groups() -> CsrMatrix {
    csr(
        4,
        &[
            vec![(0, 1.0)],
            vec![(0, 0.8), (1, 0.6)],
            vec![(0, 0.6), (1, 0.8)],
            vec![(2, 1.0)],
            vec![(2, 0.8), (3, 0.6)],
            vec![(2, 0.6), (3, 0.8)],
        ],
    )
}

/// `n` unit rows around `k` topics of 8 columns each, with a few noise columns: a
/// realistic, well-separated TF-IDF-like matrix.
fn blobs(n: usize, k: usize, seed: u64) -> CsrMatrix {
    let n_cols = 8 * k + 20;
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let rows: Vec<Vec<(u32, f32)>> = (0..n)
        .map(|_| {
            let topic = rng.gen_range(0..k);
            let mut cols: Vec<u32> = (0..5)
                .map(|_| {
                    if rng.gen_bool(0.8) {
                        (topic * 8 + rng.gen_range(0..8)) as u32
                    } else {
                        (8 * k + rng.gen_range(0..20)) as u32
                    }
                })
                .collect();
            cols.sort_unstable();
            cols.dedup();
            let vals: Vec<f32> = cols.iter().map(|_| rng.gen_range(0.1f32..1.0)).collect();
            let norm = vals.iter().map(|v| v * v).sum::<f32>().sqrt();
            cols.into_iter().zip(vals.into_iter().map(|v| v / norm)).collect()
        })
        .collect();
    csr(n_cols, &rows)
}

fn same_partition(a: &[u32], b: &[u32]) -> bool {
    a.len() == b.len()
        && (0..a.len()).all(|i| (0..a.len()).all(|j| (a[i] == a[j]) == (b[i] == b[j])))
}

#[test]
fn two_obvious_groups_are_found_exactly() {
    let x = two_groups();
    // Group sums are (2.4, 1.4) and its mirror; a group's objective is 3 − ‖sum‖.
    let norm = (2.4f64 * 2.4 + 1.4 * 1.4).sqrt();
    for seed in 0..20 {
        let model = KMeans::params(2).seed(seed).fit(&x).unwrap();
        assert!(same_partition(model.labels(), &[0, 0, 0, 1, 1, 1]), "seed {seed}");
        assert_abs_diff_eq!(model.objective(), 6.0 - 2.0 * norm, epsilon = 1e-6);
        assert!(model.converged());
        assert_eq!(model.cluster_sizes(), vec![3, 3]);
        let a = model.centroid(model.labels()[0] as usize);
        let expected = [2.4 / norm, 1.4 / norm, 0.0, 0.0];
        for (&got, want) in a.iter().zip(expected) {
            assert_abs_diff_eq!(f64::from(got), want, epsilon = 1e-6);
        }
        let b = model.centroid(model.labels()[3] as usize);
        assert_eq!(&b[..2], &[0.0, 0.0]);
        assert_eq!(model.centroids().len(), 8);
        assert_eq!((model.n_clusters(), model.n_features()), (2, 4));
        assert_eq!(model.inertia_history().len(), model.n_iter());
        assert_eq!(model.inertia_history().last(), Some(&model.objective()));
    }
}

#[test]
fn rows_need_not_be_normalised() {
    let x = two_groups();
    let (n_cols, indptr, indices, mut data) = x.clone().into_parts();
    for (r, w) in indptr.windows(2).enumerate() {
        for v in &mut data[w[0]..w[1]] {
            *v *= 0.25 + r as f32 * 1.5;
        }
    }
    let scaled = CsrMatrix::new(n_cols, indptr, indices, data).unwrap();
    let a = KMeans::params(2).fit(&x).unwrap();
    let b = KMeans::params(2).fit(&scaled).unwrap();
    assert_eq!(a.labels(), b.labels());
    assert_abs_diff_eq!(a.objective(), b.objective(), epsilon = 1e-6);
}

#[test]
fn invalid_params_are_reported_before_fitting() {
    let x = two_groups();
    assert!(matches!(
        KMeans::params(0).fit(&x),
        Err(KMeansError::InvalidParams(KMeansParamsError::NClusters(0)))
    ));
    assert!(matches!(
        KMeans::params(2).tol(f64::NAN).fit(&x),
        Err(KMeansError::InvalidParams(KMeansParamsError::Tol(_)))
    ));
    // Validation comes before the shape checks.
    let empty = CsrMatrix::<f32>::zeros(0, 4);
    assert!(matches!(KMeans::params(2).n_init(0).fit(&empty), Err(KMeansError::InvalidParams(_))));
}

#[test]
fn more_clusters_than_rows_is_an_error() {
    let x = two_groups();
    let err = KMeans::params(7).fit(&x).unwrap_err();
    assert_eq!(err, KMeansError::TooFewRows { n_rows: 6, n_clusters: 7 });
    assert_eq!(
        err.to_string(),
        "cannot fit 7 clusters to 6 rows: n_clusters must not exceed the number of rows"
    );
    let empty = CsrMatrix::<f32>::zeros(0, 4);
    assert_eq!(
        KMeans::params(1).fit(&empty).unwrap_err(),
        KMeansError::TooFewRows { n_rows: 0, n_clusters: 1 }
    );
}

#[test]
fn all_empty_rows_is_an_error() {
    for x in [CsrMatrix::<f32>::zeros(5, 3), CsrMatrix::zeros(5, 0), csr(3, &[vec![(1, 0.0)]])] {
        let n_rows = x.n_rows();
        assert_eq!(KMeans::params(1).fit(&x).unwrap_err(), KMeansError::AllRowsEmpty { n_rows });
    }
}

#[test]
fn non_finite_values_are_an_error() {
    let x = csr(3, &[vec![(0, 1.0)], vec![(0, 0.5), (2, f32::NAN)], vec![(1, f32::INFINITY)]]);
    let err = KMeans::params(1).fit(&x).unwrap_err();
    assert!(matches!(err, KMeansError::NonFinite { row: 1, column: 2, value } if value.is_nan()));
    let model = KMeans::params(1).fit(&two_groups()).unwrap();
    let y = csr(4, &[vec![], vec![(3, f32::NEG_INFINITY)]]);
    assert!(matches!(model.predict(&y), Err(KMeansError::NonFinite { row: 1, column: 3, .. })));
}

#[test]
fn all_duplicate_rows_give_one_populated_cluster() {
    // Fewer distinct rows than clusters: documented to succeed, with the other clusters
    // empty and their centroids duplicating the only direction.
    let x = csr(3, &(0..6).map(|_| vec![(0, 0.6), (2, 0.8)]).collect::<Vec<_>>());
    for seed in 0..5 {
        let model = KMeans::params(3).seed(seed).n_init(2).fit(&x).unwrap();
        assert_eq!(model.n_clusters(), 3);
        let l = model.labels();
        assert!(l.iter().all(|&c| c == l[0]), "{l:?}");
        let mut sizes = model.cluster_sizes();
        sizes.sort_unstable();
        assert_eq!(sizes, vec![0, 0, 6]);
        assert_abs_diff_eq!(model.objective(), 0.0, epsilon = 1e-6);
        for c in 0..3 {
            let centroid = model.centroid(c);
            assert_abs_diff_eq!(centroid[0], 0.6, epsilon = 1e-6);
            assert_abs_diff_eq!(centroid[2], 0.8, epsilon = 1e-6);
        }
        assert!(model.converged());
    }
}

#[test]
fn two_distinct_directions_for_three_clusters() {
    let mut rows = vec![vec![(0, 1.0)]; 4];
    rows.extend(vec![vec![(1, 1.0)]; 3]);
    let x = csr(2, &rows);
    let model = KMeans::params(3).fit(&x).unwrap();
    assert!(same_partition(model.labels(), &[0, 0, 0, 0, 1, 1, 1]));
    let mut sizes = model.cluster_sizes();
    sizes.sort_unstable();
    assert_eq!(sizes, vec![0, 3, 4]);
    assert_abs_diff_eq!(model.objective(), 0.0, epsilon = 1e-6);
}

#[test]
fn as_many_clusters_as_rows() {
    let x = blobs(40, 3, 1);
    let model = KMeans::params(40).seed(3).fit(&x).unwrap();
    let mut labels = model.labels().to_vec();
    labels.sort_unstable();
    // blobs can repeat a row by chance; these 40 are distinct.
    assert_eq!(labels, (0..40).collect::<Vec<u32>>());
    assert_abs_diff_eq!(model.objective(), 0.0, epsilon = 1e-5);
}

#[test]
fn empty_rows_go_to_cluster_zero_with_cosine_zero() {
    let x = csr(3, &[vec![(1, 1.0)], vec![], vec![(0, 1.0)], vec![], vec![(0, 0.6), (2, 0.8)]]);
    let model = KMeans::params(2).fit(&x).unwrap();
    let l = model.labels();
    assert_eq!((l[1], l[3]), (0, 0));
    let sims = model.similarities_to_centroid(&x, l).unwrap();
    assert_eq!((sims[1], sims[3]), (0.0, 0.0));
    // Each empty row adds 1 to the objective.
    let expected: f64 = sims.iter().map(|&s| 1.0 - f64::from(s)).sum();
    assert_abs_diff_eq!(model.objective(), expected, epsilon = 1e-6);
    assert!(model.objective() >= 2.0);
}

fn models_identical(a: &KMeansModel, b: &KMeansModel) {
    assert_eq!(a.labels(), b.labels());
    assert_eq!(a.objective().to_bits(), b.objective().to_bits());
    let bits = |m: &KMeansModel| m.centroids().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(a), bits(b));
    let hist =
        |m: &KMeansModel| m.inertia_history().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(hist(a), hist(b));
    assert_eq!((a.n_iter(), a.converged()), (b.n_iter(), b.converged()));
}

#[test]
fn same_result_at_any_thread_count() {
    // More rows than one parallel chunk (4096), so chunked sums are exercised.
    let x = blobs(10_000, 8, 7);
    let fit = |threads| KMeans::params(8).seed(5).n_init(2).threads(Some(threads)).fit(&x).unwrap();
    let one = fit(1);
    assert!(one.n_iter() > 1);
    models_identical(&one, &fit(2));
    models_identical(&one, &fit(4));
    models_identical(&one, &fit(8));
}

#[test]
fn pruning_gives_exactly_the_model_of_plain_lloyd() {
    // Overlapping topics (k larger than the planted 8), so rows keep moving for a while and
    // bounds are really exercised; 12 clusters so the kernel's padded lanes are used too.
    for (seed, k) in [(1, 12), (2, 20), (3, 3)] {
        let x = blobs(6_000, 8, seed);
        let fit = |a| KMeans::params(k).seed(seed).max_iter(200).algorithm(a).fit(&x).unwrap();
        let lloyd = fit(KMeansAlgorithm::Lloyd);
        assert!(lloyd.n_iter() > 2, "too easy to exercise the bounds");
        assert_eq!(lloyd.skipped_fraction(), 0.0);
        for pruned in [KMeansAlgorithm::Hamerly, KMeansAlgorithm::Yinyang] {
            let model = fit(pruned);
            models_identical(&lloyd, &model);
            let (computed, total) = model.similarities_computed();
            assert_eq!(total, lloyd.similarities_computed().1);
            assert!((0.0..1.0).contains(&model.skipped_fraction()));
            assert!(
                computed < total * 9 / 10,
                "{pruned:?} skipped too little: {computed} of {total}"
            );
        }
    }
}

#[test]
fn mini_batch_is_close_to_full_iterations_and_deterministic() {
    let x = blobs(12_000, 8, 5);
    let full = KMeans::params(8).seed(3).fit(&x).unwrap();
    let fit = |threads| {
        KMeans::params(8).seed(3).batch_size(Some(500)).threads(Some(threads)).fit(&x).unwrap()
    };
    let mini = fit(1);
    // Mini-batch never removes a row from a running sum, so early mistakes stay in the
    // centroids: it lands within 10% of the full objective here.
    assert!(
        mini.objective() <= full.objective() * 1.10,
        "mini-batch {} vs full {}",
        mini.objective(),
        full.objective()
    );
    models_identical_but_history(&mini, &fit(2));
    models_identical_but_history(&mini, &fit(4));
    // The labels belong to the final centroids.
    assert_eq!(mini.predict(&x).unwrap(), mini.labels());
    // Steps count batches; one smoothed objective per step.
    assert!(mini.n_iter() >= 1);
    assert_eq!(mini.inertia_history().len(), mini.n_iter());
}

fn models_identical_but_history(a: &KMeansModel, b: &KMeansModel) {
    assert_eq!(a.labels(), b.labels());
    assert_eq!(a.objective().to_bits(), b.objective().to_bits());
    let bits = |m: &KMeansModel| m.centroids().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(a), bits(b));
    assert_eq!(a.n_iter(), b.n_iter());
}

#[test]
fn kmeans_parallel_init_is_deterministic_and_as_good_as_kmeans_plus_plus() {
    let x = blobs(10_000, 8, 9);
    let fit = |init, threads| {
        KMeans::params(8).seed(4).init(init).threads(Some(threads)).fit(&x).unwrap()
    };
    let parallel = fit(KMeansInit::KMeansParallel, 1);
    models_identical(&parallel, &fit(KMeansInit::KMeansParallel, 2));
    models_identical(&parallel, &fit(KMeansInit::KMeansParallel, 4));
    let plus_plus = fit(KMeansInit::KMeansPlusPlus, 2);
    assert!(
        parallel.objective() <= plus_plus.objective() * 1.02,
        "k-means|| {} vs k-means++ {}",
        parallel.objective(),
        plus_plus.objective()
    );
    // Few distinct rows: falls back rather than failing.
    let dup = csr(3, &vec![vec![(0, 1.0)]; 6]);
    let model = KMeans::params(3).init(KMeansInit::KMeansParallel).fit(&dup).unwrap();
    assert_eq!(model.objective(), 0.0);
    assert_eq!("k-means||".parse(), Ok(KMeansInit::KMeansParallel));
    assert_eq!("K-Means++".parse(), Ok(KMeansInit::KMeansPlusPlus));
    assert_eq!("random".parse::<KMeansInit>(), Err(KMeansParamsError::Init("random".into())));
}

#[test]
fn same_seed_same_result() {
    let x = blobs(300, 4, 2);
    let p = KMeans::params(5).seed(11).n_init(3);
    models_identical(&p.fit(&x).unwrap(), &p.fit(&x).unwrap());
}

#[test]
fn more_restarts_never_do_worse() {
    let x = blobs(300, 6, 3);
    for seed in 0..5 {
        let one = KMeans::params(6).seed(seed).fit(&x).unwrap();
        let five = KMeans::params(6).seed(seed).n_init(5).fit(&x).unwrap();
        assert!(five.objective() <= one.objective(), "seed {seed}");
    }
}

#[test]
fn iteration_limit_and_tolerance() {
    let x = blobs(500, 5, 4);
    let one = KMeans::params(5).max_iter(1).fit(&x).unwrap();
    assert_eq!((one.n_iter(), one.inertia_history().len()), (1, 1));
    let exact = KMeans::params(5).tol(0.0).fit(&x).unwrap();
    let loose = KMeans::params(5).tol(0.5).fit(&x).unwrap();
    assert!(exact.converged() && loose.converged());
    assert!(loose.n_iter() <= exact.n_iter());
    assert!(exact.objective() <= loose.objective());
}

#[test]
fn predict_matches_fitted_labels() {
    let x = blobs(500, 5, 5);
    let model = KMeans::params(5).fit(&x).unwrap();
    assert_eq!(model.predict(&x).unwrap(), model.labels());
    let other = CsrMatrix::<f32>::zeros(2, x.n_cols() + 1);
    assert_eq!(
        model.predict(&other).unwrap_err(),
        KMeansError::FeatureMismatch { expected: x.n_cols(), found: x.n_cols() + 1 }
    );
}

#[test]
fn similarities_to_centroid() {
    let x = two_groups();
    let model = KMeans::params(2).fit(&x).unwrap();
    let sims = model.similarities_to_centroid(&x, model.labels()).unwrap();
    let norm = (2.4f32 * 2.4 + 1.4 * 1.4).sqrt();
    let expected = [2.4 / norm, (0.8 * 2.4 + 0.6 * 1.4) / norm, (0.6 * 2.4 + 0.8 * 1.4) / norm];
    for (i, e) in expected.into_iter().enumerate() {
        assert_abs_diff_eq!(sims[i], e, epsilon = 1e-6);
        assert_abs_diff_eq!(sims[i + 3], e, epsilon = 1e-6);
    }
    // Against the other group's centroid, the groups are orthogonal.
    let swapped: Vec<u32> = model.labels().iter().map(|&l| 1 - l).collect();
    let sims = model.similarities_to_centroid(&x, &swapped).unwrap();
    assert!(sims.iter().all(|&s| s == 0.0));
    assert_eq!(
        model.similarities_to_centroid(&x, &[0, 1]).unwrap_err(),
        KMeansError::LabelCount { n_rows: 6, n_labels: 2 }
    );
    assert_eq!(
        model.similarities_to_centroid(&x, &[0, 1, 0, 2, 0, 0]).unwrap_err(),
        KMeansError::LabelOutOfRange { row: 3, label: 2, n_clusters: 2 }
    );
}

#[test]
fn model_serde_round_trip_validates() {
    let model = KMeans::params(2).fit(&two_groups()).unwrap();
    let json = serde_json::to_string(&model).unwrap();
    let back: KMeansModel = serde_json::from_str(&json).unwrap();
    assert_eq!(back, model);
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["labels"][0] = 2.into();
    assert!(serde_json::from_value::<KMeansModel>(v.clone()).is_err());
    v["labels"][0] = 0.into();
    v["n_features"] = 3.into();
    assert!(serde_json::from_value::<KMeansModel>(v).is_err());
}

#[test]
fn params_serde_round_trip_validates() {
    let p = KMeans::params(4).seed(3).n_init(2);
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<KMeansParams>(&json).unwrap(), p);
    let bad = json.replace("\"n_init\":2", "\"n_init\":0");
    // Unchecked parameters deserialise as they are and fail when checked or fitted...
    let unchecked: KMeansParams = serde_json::from_str(&bad).unwrap();
    assert!(matches!(unchecked.fit(&two_groups()), Err(KMeansError::InvalidParams(_))));
    // ...while checked ones cannot be deserialised invalid.
    assert!(serde_json::from_str::<thematic_cluster::KMeansValidParams>(&bad).is_err());
}

#[test]
fn autotraits() {
    fn has_autotraits<T: Send + Sync + Sized + Unpin>() {}
    has_autotraits::<KMeansModel>();
    has_autotraits::<KMeansParams>();
    has_autotraits::<thematic_cluster::KMeansValidParams>();
    has_autotraits::<KMeansError>();
}

/// Small random sparse matrices with non-negative values, some rows possibly empty.
fn small_matrix() -> impl Strategy<Value = CsrMatrix> {
    (1usize..8, 1usize..30).prop_flat_map(|(n_cols, n_rows)| {
        proptest::collection::vec(
            proptest::collection::vec(proptest::option::weighted(0.4, 0.01f32..1.0), n_cols),
            n_rows,
        )
        .prop_map(move |rows| {
            let rows: Vec<Vec<(u32, f32)>> = rows
                .into_iter()
                .map(|r| {
                    r.into_iter().enumerate().filter_map(|(j, v)| Some((j as u32, v?))).collect()
                })
                .collect();
            csr(n_cols, &rows)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn objective_never_increases(
        x in small_matrix(),
        k in 1usize..5,
        seed in any::<u64>(),
        tol in prop_oneof![Just(0.0), Just(1e-4)],
    ) {
        let k = k.min(x.n_rows());
        let result = KMeans::params(k).seed(seed).tol(tol).threads(Some(1)).fit(&x);
        if x.data().is_empty() {
            let all_empty = matches!(result, Err(KMeansError::AllRowsEmpty { .. }));
            prop_assert!(all_empty);
            return Ok(());
        }
        let model = result.unwrap();
        let history = model.inertia_history();
        prop_assert_eq!(history.len(), model.n_iter());
        prop_assert_eq!(history.last().copied(), Some(model.objective()));
        // Up to the rounding of f32 centroids.
        let slack = 1e-6 * x.n_rows() as f64;
        for w in history.windows(2) {
            prop_assert!(w[1] <= w[0] + slack, "history {:?}", history);
        }
        prop_assert!(model.labels().iter().all(|&l| (l as usize) < k));
        prop_assert_eq!(model.predict(&x).unwrap(), model.labels());
        let sims = model.similarities_to_centroid(&x, model.labels()).unwrap();
        let objective: f64 = sims.iter().map(|&s| (1.0 - f64::from(s)).max(0.0)).sum();
        prop_assert!((objective - model.objective()).abs() <= slack);
        let sizes = model.cluster_sizes();
        for (c, &size) in sizes.iter().enumerate() {
            let norm: f64 = model.centroid(c).iter().map(|&v| f64::from(v).powi(2)).sum();
            // A centroid is a unit vector, or zero for a cluster that could never be filled
            // (fewer distinct non-empty rows than clusters).
            let unit = (norm.sqrt() - 1.0).abs() < 1e-6;
            prop_assert!(unit || (size == 0 && norm == 0.0), "cluster {} norm {}", c, norm);
        }
    }
}

#[test]
fn linfa_traits_fit_and_predict_dense_rows() {
    use linfa::DatasetBase;
    use linfa::traits::{Fit, Predict};
    use ndarray::array;

    // Two directions in 3 dimensions, as an LSA embedding would give them.
    let records = array![[1.0f32, 0.1, 0.0], [0.9, 0.0, 0.1], [0.0, 0.2, 1.0], [0.1, 0.0, 0.9],];
    let dataset = DatasetBase::from(records.clone());
    let model = Fit::fit(&KMeans::params(2).seed(1), &dataset).unwrap();
    assert!(same_partition(model.labels(), &[0, 0, 1, 1]));
    // The dense path, which clusters as fitting the non-zeros sparse does.
    models_identical(&model, &KMeans::params(2).seed(1).fit_dense(records.view()).unwrap());
    let sparse = KMeans::params(2).seed(1).fit(&thematic_cluster::dense_to_csr(records.view()));
    assert_eq!(sparse.unwrap().labels(), model.labels());
    let predicted: ndarray::Array1<usize> = Predict::predict(&model, &records);
    let labels: Vec<usize> = model.labels().iter().map(|&l| l as usize).collect();
    assert_eq!(predicted.to_vec(), labels);
    // Invalid parameters are reported through the trait too.
    let err = Fit::fit(&KMeans::params(0), &dataset).unwrap_err();
    assert!(matches!(err, KMeansError::InvalidParams(KMeansParamsError::NClusters(0))));
}
