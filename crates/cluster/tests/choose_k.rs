//! Public-API tests of the choice of `k`.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;
use thematic_cluster::{
    ChooseK, ChooseKError, ChooseKParamsError, KMeans, KMeansAlgorithm, KMeansParamsError,
};
use thematic_core::{CsrMatrix, ParamGuard};

/// Rows per planted group, groups, terms per group and core terms per group.
const PER_GROUP: usize = 60;
const GROUPS: usize = 4;
const TERMS: usize = 12;
const CORE: usize = 3;

/// `GROUPS × PER_GROUP` unit rows, row `i` in group `i % GROUPS`. Each group owns a block of
/// `TERMS` columns: every row of the group has the block's first `CORE` terms with large
/// random weights, and 2 of its other terms with small ones. Rows of different groups are
/// orthogonal and rows of one group close (cosine about 0.9): well-separated groups.
/// `empty_every`, when set, inserts an empty row before every `empty_every`-th row.
fn planted(seed: u64, empty_every: Option<usize>) -> CsrMatrix<f32> {
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let (mut indptr, mut indices, mut data) = (vec![0usize], Vec::new(), Vec::new());
    for i in 0..GROUPS * PER_GROUP {
        if empty_every.is_some_and(|e| i % e == 0) {
            indptr.push(indices.len());
        }
        let g = i % GROUPS;
        let mut extra = rand::seq::index::sample(&mut rng, TERMS - CORE, 2).into_vec();
        extra.sort_unstable();
        let terms: Vec<usize> = (0..CORE).chain(extra.into_iter().map(|t| CORE + t)).collect();
        let weights: Vec<f32> = terms
            .iter()
            .map(|&t| if t < CORE { rng.gen_range(0.8..1.2) } else { rng.gen_range(0.2..0.6) })
            .collect();
        let norm = weights.iter().map(|w| w * w).sum::<f32>().sqrt();
        for (t, w) in terms.into_iter().zip(weights) {
            indices.push((g * TERMS + t) as u32);
            data.push(w / norm);
        }
        indptr.push(indices.len());
    }
    CsrMatrix::new(GROUPS * TERMS, indptr, indices, data).unwrap()
}

#[test]
fn k_min_below_2_is_rejected() {
    for k_min in [0, 1] {
        let r = ChooseK::params(k_min, 8).check();
        assert_eq!(r, Err(ChooseKParamsError::KMin(k_min)));
    }
    let msg = ChooseK::params(1, 8).check().unwrap_err().to_string();
    assert!(msg.starts_with("invalid k_min 1"), "{msg}");
}

#[test]
fn k_max_below_k_min_is_rejected() {
    let r = ChooseK::params(6, 5).check();
    assert_eq!(r, Err(ChooseKParamsError::KRange { k_min: 6, k_max: 5 }));
    let msg = r.unwrap_err().to_string();
    assert!(msg.contains("6..=5") && msg.contains("k_max must be at least k_min"), "{msg}");
}

#[test]
fn step_zero_is_rejected() {
    assert_eq!(ChooseK::params(2, 8).step(Some(0)).check(), Err(ChooseKParamsError::Step));
}

#[test]
fn seeds_zero_is_rejected() {
    assert_eq!(ChooseK::params(2, 8).seeds(0).check(), Err(ChooseKParamsError::Seeds));
}

#[test]
fn silhouette_sample_not_above_k_max_is_rejected() {
    for sample in [0, 1, 8] {
        let r = ChooseK::params(2, 8).silhouette_sample(Some(sample)).check();
        assert_eq!(r, Err(ChooseKParamsError::SilhouetteSample { sample, k_max: 8 }));
    }
    assert!(ChooseK::params(2, 8).silhouette_sample(Some(9)).check().is_ok());
    assert!(ChooseK::params(2, 8).silhouette_sample(None).check().is_ok());
}

#[test]
fn stability_ratio_outside_0_1_is_rejected() {
    for ratio in [0.0, -0.5, 1.5, f64::NAN, f64::INFINITY] {
        let r = ChooseK::params(2, 8).stability_ratio(ratio).check();
        assert!(matches!(r, Err(ChooseKParamsError::StabilityRatio(_))), "accepted {ratio}");
    }
    assert!(ChooseK::params(2, 8).stability_ratio(1.0).check().is_ok());
}

#[test]
fn an_invalid_kmeans_template_is_rejected() {
    let r = ChooseK::params(2, 8).kmeans(KMeans::params(3).n_init(0)).check();
    assert_eq!(r, Err(ChooseKParamsError::KMeans(KMeansParamsError::NInit)));
    let r = ChooseK::params(2, 8).kmeans(KMeans::params(3).threads(Some(0))).check();
    assert_eq!(r, Err(ChooseKParamsError::KMeans(KMeansParamsError::Threads)));
}

#[test]
fn fitting_invalid_params_fails_before_any_work() {
    let x = planted(1, None);
    let r = ChooseK::params(1, 8).fit(&x);
    assert_eq!(r, Err(ChooseKError::InvalidParams(ChooseKParamsError::KMin(1))));
}

#[test]
fn too_few_rows_names_k_max_and_rows() {
    let x = planted(1, None).select_rows(&(0..10).collect::<Vec<_>>());
    let r = ChooseK::params(2, 10).fit(&x);
    assert_eq!(r, Err(ChooseKError::TooFewRows { rows: 10, k_max: 10 }));
    let msg = r.unwrap_err().to_string();
    assert!(msg.contains("only 10 non-empty rows") && msg.contains("k_max = 10"), "{msg}");
    assert!(ChooseK::params(2, 9).silhouette_sample(None).fit(&x).is_ok());
}

#[test]
fn four_planted_groups_recommend_4() {
    let x = planted(7, None);
    let s = ChooseK::params(2, 8).fit(&x).unwrap();
    assert_eq!(s.rows.iter().map(|r| r.k).collect::<Vec<_>>(), (2..=8).collect::<Vec<_>>());
    assert_eq!(s.recommended, 4, "{s:#?}");
    let four = s.recommended_score();
    // Every seed finds the planted groups: equal shares and perfect agreement.
    assert!((four.stability - 1.0).abs() < 1e-12, "{four:?}");
    assert!(four.stable);
    assert_eq!((four.min_share, four.max_share), (0.25, 0.25));
    // The silhouette peaks at 4, strictly.
    for r in s.rows.iter().filter(|r| r.k != 4) {
        assert!(r.silhouette < four.silhouette, "k = {}: {r:?}", r.k);
    }
    // The other metrics agree at the planted k: CH highest, DB lowest.
    assert!(s.rows.iter().all(|r| r.calinski_harabasz <= four.calinski_harabasz));
    assert!(s.rows.iter().all(|r| r.davies_bouldin >= four.davies_bouldin));
    assert!(s.rule.contains("silhouette") && s.rule.contains("stability"), "{}", s.rule);
    assert_eq!(s.seeds, 3);
}

#[test]
fn the_best_seed_reproduces_the_scored_clustering() {
    let x = planted(7, None);
    let template = KMeans::params(2).n_init(2).algorithm(KMeansAlgorithm::Lloyd);
    let s = ChooseK::params(3, 6).seed(100).kmeans(template.clone()).fit(&x).unwrap();
    for r in &s.rows {
        assert!((100..103).contains(&r.best_seed), "{r:?}");
        let model = template.clone().n_clusters(r.k).seed(r.best_seed).fit(&x).unwrap();
        assert_eq!(model.objective(), r.objective, "k = {}", r.k);
    }
}

#[test]
fn the_same_seed_gives_the_same_selection_at_any_thread_count() {
    let x = planted(3, None);
    let run = |threads| {
        ChooseK::params(2, 8)
            .seed(11)
            .silhouette_sample(Some(100))
            .kmeans(KMeans::params(2).threads(threads))
            .fit(&x)
            .unwrap()
    };
    let first = run(Some(1));
    assert_eq!(first, run(Some(1)));
    assert_eq!(first, run(Some(2)));
    assert_eq!(first, run(None));
    // A different seed draws another silhouette sample, so the scores move.
    let other = ChooseK::params(2, 8).seed(12).silhouette_sample(Some(100)).fit(&x).unwrap();
    assert_ne!(first.rows, other.rows);
}

#[test]
fn a_single_seed_is_stable_by_convention() {
    let x = planted(5, None);
    let s = ChooseK::params(2, 6).seeds(1).fit(&x).unwrap();
    assert!(s.rows.iter().all(|r| r.stability == 1.0 && r.stable && r.best_seed == 42));
    assert_eq!(s.recommended, 4);
}

#[test]
fn splitting_a_planted_group_is_less_stable_than_the_planted_k() {
    let x = planted(9, None);
    let s = ChooseK::params(4, 8).seeds(5).fit(&x).unwrap();
    let stab = |k| s.score(k).unwrap().stability;
    assert!((stab(4) - 1.0).abs() < 1e-12);
    assert!((5..=8).any(|k| stab(k) < 0.99), "{s:#?}");
}

#[test]
fn empty_rows_are_left_out() {
    let with_empty = ChooseK::params(2, 6).fit(&planted(4, Some(7))).unwrap();
    let without = ChooseK::params(2, 6).fit(&planted(4, None)).unwrap();
    assert_eq!(with_empty, without);
}

#[test]
fn the_selection_round_trips_through_json() {
    let s = ChooseK::params(3, 5).fit(&planted(2, None)).unwrap();
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(serde_json::from_str::<thematic_cluster::KSelection>(&json).unwrap(), s);
}
