//! Public-API tests of the clustering metrics.
//!
//! Expected values marked "scikit-learn" were computed with scikit-learn 1.9.1 (numpy 2.4.6)
//! from the `.venv` of the repository, by the call quoted next to each; matrices were passed
//! dense in float64 (for the silhouette also as `scipy.sparse.csr_array`, same result).

use approx::assert_abs_diff_eq;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;
use thematic_cluster::metrics::{
    self, MetricsError, VMeasure, adjusted_rand_index, calinski_harabasz, contingency,
    davies_bouldin, homogeneity_completeness_v_measure, normalized_mutual_info, silhouette_cosine,
};
use thematic_core::{CsrMatrix, with_threads};

/// Agreement asked of values compared with scikit-learn's.
const TOL: f64 = 1e-12;

/// A CSR matrix from dense rows, storing the non-zero values only.
fn csr<const C: usize>(rows: &[[f32; C]]) -> CsrMatrix<f32> {
    let mut indptr = vec![0];
    let (mut indices, mut data) = (Vec::new(), Vec::new());
    for row in rows {
        for (j, &v) in row.iter().enumerate() {
            if v != 0.0 {
                indices.push(j as u32);
                data.push(v);
            }
        }
        indptr.push(indices.len());
    }
    CsrMatrix::new(C, indptr, indices, data).unwrap()
}

fn hcv<A: std::hash::Hash + Eq, B: std::hash::Hash + Eq>(a: &[A], b: &[B]) -> [f64; 3] {
    let v = homogeneity_completeness_v_measure(a, b).unwrap();
    [v.homogeneity, v.completeness, v.v_measure]
}

fn assert_all_close(found: [f64; 3], expected: [f64; 3]) {
    for (f, e) in found.into_iter().zip(expected) {
        assert_abs_diff_eq!(f, e, epsilon = TOL);
    }
}

// ---------------------------------------------------------------------------------------------
// External metrics
// ---------------------------------------------------------------------------------------------

#[test]
fn hand_checked_refinement() {
    // Reference [0, 0, 1, 1], prediction [0, 0, 1, 2]: the prediction splits class 1.
    // Table: class 0 → {cluster 0: 2}; class 1 → {cluster 1: 1, cluster 2: 1}.
    // Class sizes a = (2, 2), cluster sizes b = (2, 1, 1), n = 4.
    //
    // ARI over ordered pairs: Σ n_ij² = 4 + 1 + 1 = 6, Σ a² = 8, Σ b² = 6.
    //   tp = 6 − 4 = 2, fn = 8 − 6 = 2, fp = 6 − 6 = 0, tn = 16 − 0 − 2 − 6 = 8.
    //   ARI = 2 (2·8 − 2·0) / ((2 + 2)(2 + 8) + (2 + 0)(0 + 8)) = 32 / 56 = 4/7.
    // Entropies: H(C) = ln 2; H(K) = ½ ln 2 + 2 · ¼ ln 4 = 1.5 ln 2.
    //   The prediction refines the reference, so I = H(C) = ln 2.
    //   h = I / H(C) = 1, c = I / H(K) = 2/3, V = 2 · 1 · ⅔ / (1 + ⅔) = 0.8.
    //   NMI = ln 2 / ((ln 2 + 1.5 ln 2) / 2) = 1 / 1.25 = 0.8.
    let (t, p) = ([0, 0, 1, 1], [0, 0, 1, 2]);
    assert_abs_diff_eq!(adjusted_rand_index(&t, &p).unwrap(), 4.0 / 7.0, epsilon = TOL);
    assert_abs_diff_eq!(normalized_mutual_info(&t, &p).unwrap(), 0.8, epsilon = TOL);
    assert_all_close(hcv(&t, &p), [1.0, 2.0 / 3.0, 0.8]);

    let table = contingency(&t, &p).unwrap();
    assert_abs_diff_eq!(table.mutual_info(), 2f64.ln(), epsilon = TOL);
    assert_abs_diff_eq!(table.entropy_pred(), 1.5 * 2f64.ln(), epsilon = TOL);
}

#[test]
fn random_labelings_agree_with_scikit_learn() {
    // rng = np.random.default_rng(7); t = rng.integers(0, 4, 40); p = rng.integers(0, 5, 40)
    let t = [
        3, 2, 2, 3, 2, 3, 3, 0, 0, 1, 1, 3, 3, 0, 1, 3, 0, 3, 0, 1, 3, 1, 1, 1, 2, 1, 3, 1, 1, 2,
        2, 2, 2, 3, 3, 3, 2, 2, 1, 3,
    ];
    let p = [
        2, 1, 4, 0, 4, 3, 0, 0, 2, 0, 0, 2, 4, 2, 4, 4, 4, 3, 2, 2, 1, 2, 1, 1, 4, 0, 0, 0, 4, 3,
        4, 1, 3, 1, 2, 0, 3, 4, 3, 0,
    ];
    // normalized_mutual_info_score(t, p)
    assert_abs_diff_eq!(
        normalized_mutual_info(&t, &p).unwrap(),
        0.17509099576812887,
        epsilon = TOL
    );
    // adjusted_rand_score(t, p)
    assert_abs_diff_eq!(adjusted_rand_index(&t, &p).unwrap(), 0.0283183843854008, epsilon = TOL);
    // homogeneity_completeness_v_measure(t, p)
    assert_all_close(hcv(&t, &p), [0.19190288310348472, 0.1609874893986474, 0.17509099576812887]);
}

#[test]
fn close_labelings_agree_with_scikit_learn() {
    // Three classes of four; the prediction (labels 5, 7, 9) shifts one boundary per class.
    let t = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
    let p = [5, 5, 5, 7, 7, 7, 7, 9, 9, 9, 9, 9];
    // normalized_mutual_info_score(t, p)
    assert_abs_diff_eq!(normalized_mutual_info(&t, &p).unwrap(), 0.6457828916138152, epsilon = TOL);
    // adjusted_rand_score(t, p)
    assert_abs_diff_eq!(adjusted_rand_index(&t, &p).unwrap(), 0.5119453924914675, epsilon = TOL);
    // homogeneity_completeness_v_measure(t, p)
    assert_all_close(hcv(&t, &p), [0.6395943663675305, 0.6520923435779721, 0.6457828916138152]);
}

#[test]
fn labels_of_different_types_agree_with_scikit_learn() {
    let t = ["yes", "yes", "no", "no", "maybe", "maybe", "maybe"];
    let p = [1u8, 1, 1, 2, 2, 3, 3];
    // normalized_mutual_info_score(t, p), with t as a list of the same strings
    assert_abs_diff_eq!(normalized_mutual_info(&t, &p).unwrap(), 0.5636355530993447, epsilon = TOL);
    // adjusted_rand_score(t, p): exactly 0.2125 = 17/80
    assert_abs_diff_eq!(adjusted_rand_index(&t, &p).unwrap(), 0.2125, epsilon = TOL);
    // homogeneity_completeness_v_measure(t, p): both sides have the same size profile
    assert_all_close(hcv(&t, &p), [0.5636355530993447; 3]);
    // Owned strings work too.
    let owned: Vec<String> = t.iter().map(|s| s.to_string()).collect();
    assert_eq!(adjusted_rand_index(&owned, &p).unwrap(), adjusted_rand_index(&t, &p).unwrap());
}

#[test]
fn degenerate_labelings_score_as_in_scikit_learn() {
    // (reference, prediction, NMI, ARI, [h, c, V]) from scikit-learn's three functions.
    #[allow(clippy::type_complexity)]
    let cases: [(&[u32], &[u32], f64, f64, [f64; 3]); 6] = [
        // Both a single cluster: the data is not split, a perfect match.
        (&[0, 0, 0], &[1, 1, 1], 1.0, 1.0, [1.0, 1.0, 1.0]),
        // One cluster against singletons: no information shared, no pair agreement beyond chance.
        (&[0, 0, 0], &[1, 2, 3], 0.0, 0.0, [1.0, 0.0, 0.0]),
        (&[0, 0, 0, 0], &[1, 1, 2, 2], 0.0, 0.0, [1.0, 0.0, 0.0]),
        // Singletons on both sides: identical partitions.
        (&[0, 1, 2], &[5, 6, 7], 1.0, 1.0, [1.0, 1.0, 1.0]),
        // Independent halves: I = 0; ARI = 2(0·4 − 4·4) / ((0+4)(4+4) + (0+4)(4+4)) = −0.5.
        (&[0, 0, 1, 1], &[0, 1, 0, 1], 0.0, -0.5, [0.0, 0.0, 0.0]),
        // A single sample.
        (&[3], &[4], 1.0, 1.0, [1.0, 1.0, 1.0]),
    ];
    for (t, p, nmi, ari, v) in cases {
        assert_eq!(normalized_mutual_info(t, p).unwrap(), nmi, "NMI of {t:?} vs {p:?}");
        assert_eq!(adjusted_rand_index(t, p).unwrap(), ari, "ARI of {t:?} vs {p:?}");
        assert_eq!(hcv(t, p), v, "h, c, V of {t:?} vs {p:?}");
    }
}

#[test]
fn identical_labelings_score_exactly_one() {
    // scikit-learn returns 1.0000000000000002 for NMI, h, c and V of this labeling with
    // itself; here the scores are clamped to 1.
    let a = [
        7, 4, 8, 8, 8, 0, 4, 5, 2, 3, 5, 7, 5, 1, 6, 7, 1, 4, 3, 8, 0, 4, 8, 3, 1, 7, 8, 8, 8, 3,
        6, 8, 5, 8, 5, 1, 4, 5, 2, 6, 3, 8, 1,
    ];
    assert_eq!(normalized_mutual_info(&a, &a).unwrap(), 1.0);
    assert_eq!(adjusted_rand_index(&a, &a).unwrap(), 1.0);
    assert_eq!(hcv(&a, &a), [1.0; 3]);
    // Identical up to renaming, across label types.
    let named: Vec<String> = a.iter().map(|l| format!("theme-{l}")).collect();
    assert_abs_diff_eq!(normalized_mutual_info(&a, &named).unwrap(), 1.0, epsilon = 1e-15);
    assert_eq!(adjusted_rand_index(&named, &a).unwrap(), 1.0);
}

#[test]
fn renaming_clusters_changes_no_external_metric() {
    let t = [0, 0, 1, 1, 1, 2, 2, 0, 1, 2, 2, 2];
    let p = [1, 0, 0, 1, 1, 2, 3, 3, 1, 2, 0, 2];
    // A bijection on each side, also changing the label type.
    let t_renamed: Vec<char> = t.iter().map(|&l| ['z', 'a', 'm'][l]).collect();
    let p_renamed: Vec<i64> = p.iter().map(|&l| [-7, 40, 3, 0][l]).collect();
    assert_eq!(
        normalized_mutual_info(&t, &p).unwrap(),
        normalized_mutual_info(&t_renamed, &p_renamed).unwrap()
    );
    assert_eq!(
        adjusted_rand_index(&t, &p).unwrap(),
        adjusted_rand_index(&t_renamed, &p_renamed).unwrap()
    );
    assert_eq!(hcv(&t, &p), hcv(&t_renamed, &p_renamed));
}

#[test]
fn nmi_and_ari_are_symmetric_and_v_measure_swaps() {
    let t = [0, 0, 1, 1, 1, 2, 2, 0, 1, 2, 2, 2, 3];
    let p = ["b", "a", "a", "b", "b", "c", "d", "d", "b", "c", "a", "c", "c"];
    assert_abs_diff_eq!(
        normalized_mutual_info(&t, &p).unwrap(),
        normalized_mutual_info(&p, &t).unwrap(),
        epsilon = 1e-15
    );
    // The pair counts are integers, so ARI is exactly symmetric.
    assert_eq!(adjusted_rand_index(&t, &p).unwrap(), adjusted_rand_index(&p, &t).unwrap());
    let forward = homogeneity_completeness_v_measure(&t, &p).unwrap();
    let backward = homogeneity_completeness_v_measure(&p, &t).unwrap();
    assert_abs_diff_eq!(forward.homogeneity, backward.completeness, epsilon = 1e-15);
    assert_abs_diff_eq!(forward.completeness, backward.homogeneity, epsilon = 1e-15);
    assert_abs_diff_eq!(forward.v_measure, backward.v_measure, epsilon = 1e-15);
}

#[test]
fn external_metrics_refuse_bad_lengths() {
    let err = normalized_mutual_info(&[0, 1, 1], &[0, 1]).unwrap_err();
    assert_eq!(err, MetricsError::LengthMismatch { n_true: 3, n_pred: 2 });
    assert!(matches!(
        adjusted_rand_index(&[0], &[0, 1]),
        Err(MetricsError::LengthMismatch { n_true: 1, n_pred: 2 })
    ));
    let empty: [u32; 0] = [];
    assert_eq!(homogeneity_completeness_v_measure(&empty, &empty), Err(MetricsError::Empty));
    assert_eq!(contingency(&empty, &empty).unwrap_err(), MetricsError::Empty);
    // Messages name the bad values.
    assert!(err.to_string().contains("3 reference labels but 2"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn external_scores_stay_in_range(
        pairs in prop::collection::vec((0u8..6, 0u8..9), 1..80)
    ) {
        let (t, p): (Vec<u8>, Vec<u8>) = pairs.into_iter().unzip();
        let nmi = normalized_mutual_info(&t, &p).unwrap();
        let ari = adjusted_rand_index(&t, &p).unwrap();
        let VMeasure { homogeneity, completeness, v_measure } =
            homogeneity_completeness_v_measure(&t, &p).unwrap();
        for score in [nmi, homogeneity, completeness, v_measure] {
            prop_assert!((0.0..=1.0).contains(&score), "score {score} out of [0, 1]");
        }
        prop_assert!(ari.is_finite() && ari <= 1.0, "ARI {ari}");
        // With beta = 1 the V-measure is NMI with the arithmetic mean, and their degenerate
        // cases coincide (both 1 for two single labels, both 0 when I = 0).
        prop_assert!((nmi - v_measure).abs() < 1e-12, "NMI {nmi} vs V {v_measure}");
    }
}

// ---------------------------------------------------------------------------------------------
// Internal metrics
// ---------------------------------------------------------------------------------------------

/// Ten rows over five terms; row 3 is empty and cluster 3 (row 9) is a singleton.
const X1: [[f32; 5]; 10] = [
    [1.0, 0.5, 0.0, 0.0, 0.0],
    [0.75, 0.5, 0.25, 0.0, 0.0],
    [1.0, 0.0, 0.0, 0.0, 0.25],
    [0.0, 0.0, 0.0, 0.0, 0.0],
    [0.0, 0.25, 1.0, 0.5, 0.0],
    [0.0, 0.0, 0.75, 1.0, 0.0],
    [0.25, 0.0, 0.5, 0.5, 0.0],
    [0.0, 0.0, 0.0, 0.5, 1.0],
    [0.0, 0.0, 0.25, 0.0, 1.0],
    [0.5, 0.5, 0.5, 0.5, 0.5],
];
const L1: [u32; 10] = [0, 0, 0, 0, 1, 1, 1, 2, 2, 3];

/// g = np.random.default_rng(11); X2 = g.integers(0, 9, (24, 6)) / 8.0;
/// X2[g.random((24, 6)) < 0.5] = 0; X2[5] = 0; l2 = g.integers(0, 4, 24) * 3 + 2
const X2: [[f32; 6]; 24] = [
    [0.0, 0.0, 0.0, 0.5, 0.0, 0.625],
    [0.0, 0.0, 0.0, 0.125, 0.375, 0.0],
    [0.0, 0.0, 0.5, 0.0, 0.0, 0.0],
    [0.0, 0.625, 0.875, 0.375, 0.125, 0.5],
    [0.375, 0.625, 0.0, 0.25, 0.0, 0.0],
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [1.0, 0.0, 0.0, 0.0, 0.0, 1.0],
    [0.125, 0.0, 0.0, 0.0, 0.875, 0.0],
    [0.0, 0.0, 1.0, 0.625, 0.0, 0.25],
    [0.0, 0.0, 0.0, 0.0, 1.0, 0.0],
    [0.0, 0.5, 0.75, 0.25, 0.0, 0.0],
    [1.0, 1.0, 0.0, 0.0, 0.0, 0.125],
    [0.875, 0.75, 0.0, 0.0, 0.625, 0.0],
    [0.0, 0.0, 0.0, 0.0, 0.125, 0.125],
    [0.0, 0.375, 0.0, 0.5, 0.0, 1.0],
    [0.0, 0.75, 0.75, 0.375, 0.0, 0.0],
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.5],
    [0.875, 0.75, 0.875, 0.0, 0.0, 0.0],
    [0.0, 0.875, 0.0, 0.0, 0.0, 0.25],
    [1.0, 0.25, 0.25, 0.0, 0.75, 0.0],
    [0.5, 0.0, 0.0, 0.875, 0.0, 0.5],
    [0.0, 0.125, 0.0, 0.0, 1.0, 0.0],
    [0.0, 0.0, 0.0, 0.625, 0.0, 1.0],
    [0.0, 0.0, 0.375, 0.875, 0.0, 0.0],
];
const L2: [u32; 24] =
    [11, 2, 11, 5, 2, 11, 5, 2, 8, 11, 2, 8, 11, 2, 11, 5, 2, 2, 11, 8, 11, 8, 2, 5];

#[test]
fn hand_checked_silhouette() {
    // Rows (1, 0) and (3, 4) in cluster 0, (0, 1) alone in cluster 1.
    // cos((1,0), (3,4)) = 3/5, cos((1,0), (0,1)) = 0, cos((3,4), (0,1)) = 4/5.
    //   (1, 0): a = 1 − 0.6 = 0.4, b = 1 − 0 = 1,   s = (1 − 0.4) / 1 = 0.6.
    //   (3, 4): a = 0.4,           b = 1 − 0.8 = 0.2, s = (0.2 − 0.4) / 0.4 = −0.5.
    //   (0, 1): a singleton, s = 0.
    // Mean (0.6 − 0.5 + 0) / 3 = 1/30; the rows need not be normalised.
    // scikit-learn: silhouette_score([[1,0],[3,4],[0,1]], [0,0,1], metric="cosine")
    //   = 0.03333333333333329
    let x = csr(&[[1.0, 0.0], [3.0, 4.0], [0.0, 1.0]]);
    let s = silhouette_cosine(&x, &[0, 0, 1], None, 0).unwrap();
    assert_abs_diff_eq!(s, 1.0 / 30.0, epsilon = TOL);
    assert_abs_diff_eq!(s, 0.03333333333333329, epsilon = TOL);
}

#[test]
fn hand_checked_calinski_harabasz_and_davies_bouldin() {
    // One column: {0, 2} and {10, 12} (the 0 is an empty row). Centroids 1 and 11, mean 6.
    //   CH: between = 2·(1−6)² + 2·(11−6)² = 100, within = 1 + 1 + 1 + 1 = 4,
    //       CH = 100 · (n − k) / (4 · (k − 1)) = 100 · 2 / 4 = 50.
    //   DB: mean distances to centroids s = (1, 1), centroid distance 10,
    //       each cluster's worst ratio (1 + 1) / 10 = 0.2, DB = 0.2.
    // scikit-learn: calinski_harabasz_score([[0],[2],[10],[12]], [0,0,1,1]) = 50.0,
    //   davies_bouldin_score(same) = 0.2
    let x = csr(&[[0.0], [2.0], [10.0], [12.0]]);
    assert_abs_diff_eq!(calinski_harabasz(&x, &[0, 0, 1, 1]).unwrap(), 50.0, epsilon = TOL);
    assert_abs_diff_eq!(davies_bouldin(&x, &[0, 0, 1, 1]).unwrap(), 0.2, epsilon = TOL);
}

#[test]
fn designed_matrix_agrees_with_scikit_learn() {
    let x = csr(&X1);
    // silhouette_score(X1, L1, metric="cosine")
    let s = silhouette_cosine(&x, &L1, None, 0).unwrap();
    assert_abs_diff_eq!(s, 0.3043170588797697, epsilon = TOL);
    // calinski_harabasz_score(X1, L1)
    assert_abs_diff_eq!(calinski_harabasz(&x, &L1).unwrap(), 5.684848484848485, epsilon = TOL);
    // davies_bouldin_score(X1, L1)
    assert_abs_diff_eq!(davies_bouldin(&x, &L1).unwrap(), 0.6595566924719609, epsilon = TOL);
}

#[test]
fn random_matrix_agrees_with_scikit_learn() {
    let x = csr(&X2);
    // silhouette_score(X2, L2, metric="cosine")
    let s = silhouette_cosine(&x, &L2, None, 0).unwrap();
    assert_abs_diff_eq!(s, -0.18998499198853355, epsilon = TOL);
    // calinski_harabasz_score(X2, L2)
    assert_abs_diff_eq!(calinski_harabasz(&x, &L2).unwrap(), 0.7241674742622789, epsilon = TOL);
    // davies_bouldin_score(X2, L2)
    assert_abs_diff_eq!(davies_bouldin(&x, &L2).unwrap(), 5.518086982879787, epsilon = TOL);
}

#[test]
fn renaming_clusters_changes_no_internal_metric() {
    let x = csr(&X2);
    // 2 → 40, 5 → 1, 8 → 7, 11 → 0: a bijection that also reorders the clusters.
    let renamed: Vec<u32> = L2
        .iter()
        .map(|&l| match l {
            2 => 40,
            5 => 1,
            8 => 7,
            _ => 0,
        })
        .collect();
    let pairs = [
        (silhouette_cosine(&x, &L2, None, 0), silhouette_cosine(&x, &renamed, None, 0)),
        (calinski_harabasz(&x, &L2), calinski_harabasz(&x, &renamed)),
        (davies_bouldin(&x, &L2), davies_bouldin(&x, &renamed)),
    ];
    for (before, after) in pairs {
        assert_abs_diff_eq!(before.unwrap(), after.unwrap(), epsilon = 1e-13);
    }
}

#[test]
fn coinciding_rows_hit_the_degenerate_cases() {
    // Every cluster's rows coincide: within-dispersion 0, so CH = 1.0 and DB = 0.0
    // (scikit-learn: calinski_harabasz_score([[1,0],[1,0],[0,1],[0,1]], [0,0,1,1]) = 1.0,
    // davies_bouldin_score(same) = 0.0); every silhouette is (1 − 0) / 1 = 1.
    let x = csr(&[[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]);
    let labels = [0, 0, 1, 1];
    assert_eq!(calinski_harabasz(&x, &labels).unwrap(), 1.0);
    assert_eq!(davies_bouldin(&x, &labels).unwrap(), 0.0);
    assert_eq!(silhouette_cosine(&x, &labels, None, 0).unwrap(), 1.0);
    // Coinciding centroids (both (½, ½)): between-dispersion 0, so CH = 0.0, and DB = 0.0
    // as every centroid distance is 0 (scikit-learn, labels [0,0,1,1] on
    // [[1,0],[0,1],[1,0],[0,1]]: both 0.0).
    let x = csr(&[[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]);
    assert_eq!(calinski_harabasz(&x, &labels).unwrap(), 0.0);
    assert_eq!(davies_bouldin(&x, &labels).unwrap(), 0.0);
}

#[test]
fn empty_rows_and_singletons_score_zero_silhouette() {
    // An empty row has cosine 0, i.e. distance 1, to every other row.
    //   Rows 0-1, (1, 0) and (2, 0), share cluster 0 with the empty row 2:
    //     a = (0 + 1) / 2 = ½, b = 1 (every other row is orthogonal), s = (1 − ½) / 1 = ½.
    //   Row 2 (empty, cluster 0): a = (1 + 1) / 2 = 1, b = 1, s = 0.
    //   Row 3 (empty, alone in cluster 1): a singleton, s = 0.
    //   Rows 4-5, (0, 1) and (0, 3), in cluster 2: a = 0, b = 1, s = 1.
    // Mean (½ + ½ + 0 + 0 + 1 + 1) / 6 = ½. scikit-learn: silhouette_score(
    //   [[1,0],[2,0],[0,0],[0,0],[0,1],[0,3]], [0,0,0,1,2,2], metric="cosine") = 0.5
    let x = csr(&[[1.0, 0.0], [2.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 1.0], [0.0, 3.0]]);
    let s = silhouette_cosine(&x, &[0, 0, 0, 1, 2, 2], None, 0).unwrap();
    assert_abs_diff_eq!(s, 0.5, epsilon = TOL);
}

/// A random sparse matrix of L2-normalised non-negative rows (some empty), like TF-IDF, with
/// labels mostly following the dominant term group.
fn tfidf_like(n: usize, n_cols: usize, k: u32, seed: u64) -> (CsrMatrix<f32>, Vec<u32>) {
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let mut indptr = vec![0];
    let (mut indices, mut data, mut labels) = (Vec::new(), Vec::new(), Vec::new());
    let group = n_cols / k as usize;
    for _ in 0..n {
        let label = rng.gen_range(0..k);
        let nnz = if rng.gen_bool(0.05) { 0 } else { rng.gen_range(1..8) };
        let mut cols: Vec<u32> = (0..nnz)
            .map(|_| {
                if rng.gen_bool(0.7) {
                    (label as usize * group + rng.gen_range(0..group)) as u32
                } else {
                    rng.gen_range(0..n_cols as u32)
                }
            })
            .collect();
        cols.sort_unstable();
        cols.dedup();
        let values: Vec<f32> = cols.iter().map(|_| rng.gen_range(0.1f32..1.0)).collect();
        let norm = values.iter().map(|v| v * v).sum::<f32>().sqrt();
        indices.extend(&cols);
        data.extend(values.iter().map(|v| v / norm));
        indptr.push(indices.len());
        labels.push(if rng.gen_bool(0.9) { label } else { rng.gen_range(0..k) });
    }
    (CsrMatrix::new(n_cols, indptr, indices, data).unwrap(), labels)
}

#[test]
fn sampling_all_rows_is_the_exact_silhouette() {
    let (x, labels) = tfidf_like(300, 60, 4, 1);
    let exact = silhouette_cosine(&x, &labels, None, 0).unwrap();
    assert!(exact > 0.0, "grouped rows should score positive, got {exact}");
    for sample in [300, 301, 10_000] {
        assert_eq!(silhouette_cosine(&x, &labels, Some(sample), 99).unwrap(), exact);
    }
}

#[test]
fn sampled_silhouette_is_seeded() {
    let (x, labels) = tfidf_like(300, 60, 4, 2);
    let exact = silhouette_cosine(&x, &labels, None, 0).unwrap();
    let a = silhouette_cosine(&x, &labels, Some(120), 7).unwrap();
    assert_eq!(a, silhouette_cosine(&x, &labels, Some(120), 7).unwrap());
    assert_ne!(a, silhouette_cosine(&x, &labels, Some(120), 8).unwrap());
    assert!((-1.0..=1.0).contains(&a));
    // A sample of 40% estimates the whole loosely.
    assert!((a - exact).abs() < 0.15, "sampled {a} vs exact {exact}");
}

#[test]
fn results_do_not_depend_on_thread_count() {
    // 3000 rows span several parallel chunks.
    let (x, labels) = tfidf_like(3000, 200, 8, 3);
    let run = |threads| {
        with_threads(Some(threads), || {
            [
                silhouette_cosine(&x, &labels, None, 0).unwrap(),
                silhouette_cosine(&x, &labels, Some(1000), 5).unwrap(),
                calinski_harabasz(&x, &labels).unwrap(),
                davies_bouldin(&x, &labels).unwrap(),
            ]
        })
        .unwrap()
    };
    let one = run(1);
    assert_eq!(one.map(f64::to_bits), run(4).map(f64::to_bits));
    assert_eq!(one.map(f64::to_bits), run(7).map(f64::to_bits));
}

#[test]
fn internal_metrics_refuse_bad_input() {
    let x = csr(&X1);
    type Metric = fn(&CsrMatrix<f32>, &[u32]) -> metrics::Result<f64>;
    let all: [(&str, Metric); 3] = [
        ("silhouette", |x, l| silhouette_cosine(x, l, None, 0)),
        ("calinski_harabasz", calinski_harabasz),
        ("davies_bouldin", davies_bouldin),
    ];
    for (name, metric) in all {
        assert_eq!(
            metric(&x, &L1[..9]),
            Err(MetricsError::LabelCount { n_rows: 10, n_labels: 9 }),
            "{name}"
        );
        assert_eq!(metric(&CsrMatrix::zeros(0, 5), &[]), Err(MetricsError::Empty), "{name}");
        // One cluster, and as many clusters as rows: scikit-learn's 2 <= k <= n − 1.
        assert_eq!(
            metric(&x, &[4; 10]),
            Err(MetricsError::ClusterCount { n_clusters: 1, n_samples: 10 }),
            "{name}"
        );
        let all_apart: Vec<u32> = (0..10).collect();
        assert_eq!(
            metric(&x, &all_apart),
            Err(MetricsError::ClusterCount { n_clusters: 10, n_samples: 10 }),
            "{name}"
        );
        let bad = CsrMatrix::new(2, vec![0, 1, 2, 3], vec![0, 1, 1], vec![1.0, f32::INFINITY, 2.0])
            .unwrap();
        assert_eq!(
            metric(&bad, &[0, 1, 1]),
            Err(MetricsError::NonFinite { row: 1, column: 1, value: f32::INFINITY }),
            "{name}"
        );
    }
    assert_eq!(silhouette_cosine(&x, &L1, Some(0), 0), Err(MetricsError::SampleSize));
    // A sample of one row holds one cluster.
    assert_eq!(
        silhouette_cosine(&x, &L1, Some(1), 0),
        Err(MetricsError::ClusterCount { n_clusters: 1, n_samples: 1 })
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn silhouette_stays_in_range(seed in any::<u64>(), n in 5usize..60, k in 2u32..5) {
        let (x, mut labels) = tfidf_like(n, 20, k, seed);
        // Make sure at least two clusters are present and fewer clusters than rows.
        labels[0] = 0;
        labels[1] = 1;
        let s = silhouette_cosine(&x, &labels, None, 0).unwrap();
        prop_assert!((-1.0..=1.0).contains(&s), "silhouette {s}");
        let db = davies_bouldin(&x, &labels).unwrap();
        let ch = calinski_harabasz(&x, &labels).unwrap();
        prop_assert!(db >= 0.0 && db.is_finite() && ch >= 0.0 && ch.is_finite());
    }
}
