//! Truncated SVD against exact and scikit-learn references, determinism and validation.

use approx::assert_abs_diff_eq;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;
use thematic_core::CsrMatrix;
use thematic_vectorize::{SvdError, SvdModel, SvdParamsError, TruncatedSvd, normalize_rows};

/// A dense row-major matrix as CSR, keeping its non-zero entries.
fn csr(dense: &Array2<f32>) -> CsrMatrix<f32> {
    let (mut indptr, mut indices, mut data) = (vec![0], Vec::new(), Vec::new());
    for row in dense.rows() {
        for (j, &v) in row.iter().enumerate() {
            if v != 0.0 {
                indices.push(j as u32);
                data.push(v);
            }
        }
        indptr.push(indices.len());
    }
    CsrMatrix::new(dense.ncols(), indptr, indices, data).unwrap()
}

/// The 30 × 20 reference matrix (365 non-zeros), built the same way in numpy:
///
/// ```python
/// x = np.zeros((30, 20), dtype=np.float32)
/// for i in range(30):
///     for j in range(20):
///         if (i * 7 + j * 5) % 3 != 0:
///             x[i, j] = ((i * 31 + j * 17) % 11) / 8
/// ```
fn reference() -> Array2<f32> {
    Array2::from_shape_fn((30, 20), |(i, j)| {
        if (i * 7 + j * 5) % 3 != 0 { ((i * 31 + j * 17) % 11) as f32 / 8.0 } else { 0.0 }
    })
}

/// `np.linalg.svd(x.astype(np.float64), compute_uv=False)[:5]` (numpy 2.4.6).
const EXACT_SINGULAR_VALUES: [f64; 5] =
    [10.2809090011, 5.4107913129, 5.0545352474, 3.8332924025, 3.4691488544];

/// `TruncatedSVD(5, algorithm="randomized", n_iter=5, random_state=0).fit(x.astype(np.float64))`
/// (scikit-learn 1.9.1): `explained_variance_ratio_`, `explained_variance_` and rows 0, 1
/// and 4 of `components_`.
const SK_EVR: [f64; 5] = [0.0063145705, 0.2557382806, 0.2226767048, 0.1283820718, 0.105149293];
const SK_EV: [f64; 5] = [0.0240914021, 0.9756948193, 0.8495580197, 0.48980435, 0.401166459];
const SK_COMPONENTS: [(usize, [f64; 20]); 3] = [
    (
        0,
        [
            0.2387943, 0.22697215, 0.21147233, 0.2284022, 0.21964129, 0.22695163, 0.22235322,
            0.23676668, 0.19617922, 0.24245471, 0.23009756, 0.21462074, 0.20956406, 0.22317888,
            0.23051041, 0.22860622, 0.21819242, 0.20207611, 0.24733172, 0.21049729,
        ],
    ),
    (
        1,
        [
            -0.29271865,
            0.31095204,
            -0.02189854,
            -0.26841731,
            0.24268765,
            -0.00588066,
            -0.2170836,
            0.24357942,
            0.03200737,
            -0.30126217,
            0.33726605,
            -0.04729647,
            -0.19507138,
            0.23097977,
            0.00071008,
            -0.237714,
            0.25528813,
            0.00502452,
            -0.28099646,
            0.28261488,
        ],
    ),
    (
        4,
        [
            0.2079611,
            -0.16884668,
            0.23176045,
            -0.1904344,
            0.05301371,
            0.08858093,
            -0.27844939,
            0.30808588,
            -0.29188442,
            0.19758817,
            -0.25828895,
            0.33187803,
            -0.28068789,
            0.2520916,
            -0.11681726,
            -0.10040464,
            0.25571633,
            -0.18768555,
            0.11908664,
            -0.27055762,
        ],
    ),
];

/// A random sparse matrix, rows L2-normalised, with a few dense-ish "common term" columns,
/// large enough to span several parallel chunks.
fn random_sparse(n_rows: usize, n_cols: usize, per_row: usize, seed: u64) -> CsrMatrix<f32> {
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let (mut indptr, mut indices, mut data) = (vec![0], Vec::new(), Vec::new());
    for _ in 0..n_rows {
        let mut cols: Vec<u32> = (0..per_row)
            .map(|t| {
                // Half the entries fall in the first 50 columns.
                if t % 2 == 0 { rng.gen_range(0..50) } else { rng.gen_range(0..n_cols as u32) }
            })
            .collect();
        cols.sort_unstable();
        cols.dedup();
        let vals: Vec<f32> = cols.iter().map(|_| rng.gen_range(0.1f32..1.0)).collect();
        let norm = vals.iter().map(|v| v * v).sum::<f32>().sqrt();
        indices.extend_from_slice(&cols);
        data.extend(vals.iter().map(|v| v / norm));
        indptr.push(indices.len());
    }
    CsrMatrix::new(n_cols, indptr, indices, data).unwrap()
}

fn max_abs_diff(a: &Array2<f32>, b: &Array2<f32>) -> f32 {
    assert_eq!(a.dim(), b.dim());
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
}

#[test]
fn singular_values_match_the_exact_svd() {
    let x = csr(&reference());
    let model = TruncatedSvd::params(5).fit(&x).unwrap();
    assert_eq!(model.n_components(), 5);
    assert_eq!(model.n_features(), 20);
    for (s, e) in model.singular_values().iter().zip(EXACT_SINGULAR_VALUES) {
        assert_abs_diff_eq!(*s, e, epsilon = 1e-5 * e);
    }
}

#[test]
fn components_are_orthonormal_and_signed_as_scikit_learn() {
    let x = csr(&reference());
    let model = TruncatedSvd::params(5).seed(3).fit(&x).unwrap();
    let c = model.components();
    assert_eq!(c.dim(), (5, 20));
    let gram = c.dot(&c.t());
    for ((i, j), &v) in gram.indexed_iter() {
        assert_abs_diff_eq!(v, if i == j { 1.0 } else { 0.0 }, epsilon = 1e-5);
    }
    for (row, expected) in SK_COMPONENTS {
        for (got, want) in c.row(row).iter().zip(expected) {
            assert_abs_diff_eq!(f64::from(*got), want, epsilon = 1e-5);
        }
    }
}

#[test]
fn explained_variance_matches_scikit_learn() {
    let x = csr(&reference());
    let model = TruncatedSvd::params(5).fit(&x).unwrap();
    for (got, want) in model.explained_variance().iter().zip(SK_EV) {
        assert_abs_diff_eq!(*got, want, epsilon = 1e-5);
    }
    for (got, want) in model.explained_variance_ratio().iter().zip(SK_EVR) {
        assert_abs_diff_eq!(*got, want, epsilon = 1e-6);
    }
    let total: f64 = model.explained_variance_ratio().iter().sum();
    assert!(total > 0.0 && total <= 1.0, "{total}");
}

#[test]
fn explained_variance_ratio_sums_to_at_most_one() {
    let x = random_sparse(2000, 300, 12, 9);
    let model = TruncatedSvd::params(40).fit(&x).unwrap();
    let total: f64 = model.explained_variance_ratio().iter().sum();
    assert!(total > 0.0 && total <= 1.0, "{total}");
    assert!(model.explained_variance_ratio().iter().all(|&r| r >= 0.0));
    assert!(model.singular_values().windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn a_low_rank_matrix_is_recovered_exactly() {
    // Rank 3: a 40 × 3 times a 3 × 25 matrix of small integers (many zeros).
    let a = Array2::from_shape_fn((40, 3), |(i, r)| ((i * (r + 2) + r) % 5) as f32);
    let b = Array2::from_shape_fn((3, 25), |(r, j)| ((j * (r + 1) + 3 * r) % 4) as f32);
    let dense = a.dot(&b);
    let x = csr(&dense);
    let (model, embedding) = TruncatedSvd::params(3).fit_transform(&x).unwrap();
    let rebuilt = embedding.dot(&model.components());
    let scale = dense.iter().fold(0f32, |m, v| m.max(v.abs()));
    assert!(max_abs_diff(&rebuilt, &dense) < 1e-5 * scale, "{}", max_abs_diff(&rebuilt, &dense));
    // The whole variance is explained.
    let total: f64 = model.explained_variance_ratio().iter().sum();
    assert_abs_diff_eq!(total, 1.0, epsilon = 1e-5);
}

#[test]
fn transform_reproduces_the_fitted_embedding() {
    let x = csr(&reference());
    let (model, embedding) = TruncatedSvd::params(5).fit_transform(&x).unwrap();
    let again = model.transform(&x).unwrap();
    assert_eq!(embedding.dim(), (30, 5));
    assert!(max_abs_diff(&embedding, &again) < 1e-5, "{}", max_abs_diff(&embedding, &again));
    // fit and fit_transform give the same model.
    assert_eq!(TruncatedSvd::params(5).fit(&x).unwrap(), model);
}

#[test]
fn same_seed_gives_identical_output_at_any_thread_count() {
    // More rows and columns than one parallel chunk (4096), so chunks are reduced.
    let x = random_sparse(9000, 5000, 10, 1);
    let fit = |threads| TruncatedSvd::params(8).threads(Some(threads)).fit_transform(&x).unwrap();
    let (m1, e1) = fit(1);
    let (m2, e2) = fit(2);
    assert_eq!(m1, m2);
    assert_eq!(e1, e2);
    let (m3, _) = TruncatedSvd::params(8).seed(43).fit_transform(&x).unwrap();
    assert_ne!(m1.components(), m3.components());
}

#[test]
fn power_iterations_and_oversampling_are_optional() {
    let x = csr(&reference());
    // Without power iterations nor oversampling the subspace is a random one: its singular
    // values are below the exact ones (interlacing), but only roughly close.
    let model = TruncatedSvd::params(2).n_iter(0).n_oversamples(0).fit(&x).unwrap();
    for (s, e) in model.singular_values().iter().zip(EXACT_SINGULAR_VALUES) {
        assert!(*s > 0.5 * e && *s <= e + 1e-6, "{s} {e}");
    }
    // Oversampling alone gets the dominant one within 2%.
    let model = TruncatedSvd::params(2).n_iter(0).fit(&x).unwrap();
    assert_abs_diff_eq!(model.singular_values()[0], EXACT_SINGULAR_VALUES[0], epsilon = 0.2);
    // Oversampling past min(n, V) is capped.
    let model = TruncatedSvd::params(5).n_oversamples(1000).fit(&x).unwrap();
    for (s, e) in model.singular_values().iter().zip(EXACT_SINGULAR_VALUES) {
        assert_abs_diff_eq!(*s, e, epsilon = 1e-5 * e);
    }
}

#[test]
fn a_zero_matrix_has_zero_singular_values() {
    let x = CsrMatrix::zeros(6, 4);
    let (model, embedding) = TruncatedSvd::params(2).fit_transform(&x).unwrap();
    assert!(model.singular_values().iter().all(|&s| s == 0.0));
    assert!(model.explained_variance_ratio().iter().all(|&r| r == 0.0));
    assert!(embedding.iter().all(|&v| v == 0.0));
}

#[test]
fn normalize_rows_gives_unit_rows_and_keeps_zero_rows() {
    let mut e = ndarray::array![[3.0f32, 4.0], [0.0, 0.0], [-1.0, 0.0]];
    normalize_rows(&mut e);
    assert_eq!(e, ndarray::array![[0.6f32, 0.8], [0.0, 0.0], [-1.0, 0.0]]);
}

#[test]
fn each_validation_rule_has_its_error() {
    let x = csr(&reference());
    assert_eq!(
        TruncatedSvd::params(0).fit(&x),
        Err(SvdError::InvalidParams(SvdParamsError::NComponents))
    );
    assert_eq!(
        TruncatedSvd::params(2).threads(Some(0)).fit(&x),
        Err(SvdError::InvalidParams(SvdParamsError::Threads))
    );
    // 30 × 20: d must be below 20.
    assert_eq!(
        TruncatedSvd::params(20).fit(&x),
        Err(SvdError::TooManyComponents { n_components: 20, n_rows: 30, n_cols: 20 })
    );
    assert!(TruncatedSvd::params(19).fit(&x).is_ok());
    let wide = csr(&reference().t().to_owned());
    assert!(matches!(
        TruncatedSvd::params(20).fit_transform(&wide),
        Err(SvdError::TooManyComponents { n_rows: 20, n_cols: 30, .. })
    ));
    let bad = CsrMatrix::new(3, vec![0, 1, 3], vec![2, 0, 1], vec![1.0f32, 2.0, f32::NAN]).unwrap();
    assert!(matches!(
        TruncatedSvd::params(1).fit(&bad),
        Err(SvdError::NonFinite { row: 1, column: 1, .. })
    ));
    let model = TruncatedSvd::params(2).fit(&x).unwrap();
    assert_eq!(
        model.transform(&CsrMatrix::zeros(2, 21)),
        Err(SvdError::FeatureMismatch { expected: 20, found: 21 })
    );
}

#[test]
fn models_round_trip_through_serde_and_are_checked() {
    let x = csr(&reference());
    let model = TruncatedSvd::params(3).fit(&x).unwrap();
    let json = serde_json::to_string(&model).unwrap();
    let back: SvdModel = serde_json::from_str(&json).unwrap();
    // serde_json parses floats to within an ulp (no `float_roundtrip`): compare f64s closely.
    assert_eq!(back.components(), model.components());
    for (a, b) in back.singular_values().iter().zip(model.singular_values()) {
        assert_abs_diff_eq!(a, b, epsilon = 1e-12);
    }
    assert_eq!(back.transform(&x).unwrap(), model.transform(&x).unwrap());
    let broken = json.replace("\"n_components\":3", "\"n_components\":4");
    let err = serde_json::from_str::<SvdModel>(&broken).unwrap_err();
    assert!(err.to_string().contains("invalid SVD model"), "{err}");
}
