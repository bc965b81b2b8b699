//! Behaviour of TF-IDF fitting and transformation.

use approx::assert_abs_diff_eq;
use proptest::prelude::*;
use thematic_text::{Analyzer, StopWords};
use thematic_vectorize::{DocFreq, Tfidf, TfidfModel, VectorizeError};

/// Unigrams, no stemming, no stop words: terms are the lower-cased words.
fn plain() -> Analyzer {
    Analyzer::builder()
        .stemmer(None)
        .stop_words(StopWords::none())
        .ngram_range(1, 1)
        .build()
        .unwrap()
}

#[test]
fn golden_tiny_corpus_checked_by_hand() {
    // n = 3 documents; df(alpha) = 1, df(beta) = 2, df(gamma) = 1.
    // Smooth idf: alpha = gamma = ln(4/2) + 1 = 1.693147, beta = ln(4/3) + 1 = 1.287682.
    // Row 0 = (1.693147, 1.287682) / 2.127175 = (0.795961, 0.605349).
    // Row 1 = (1.287682, 2 × 1.693147) / 3.622860 = (0.355432, 0.934702).
    // With sublinear tf, gamma's tf is 1 + ln 2: row 1 = (0.409742, 0.912202).
    let texts = ["alpha beta", "Beta GAMMA gamma", "   "];
    let (model, x) = Tfidf::params().fit_transform(&plain(), &texts).unwrap();
    assert_eq!(model.vocabulary().terms(), ["alpha", "beta", "gamma"]);
    assert_eq!(x.n_rows(), 3);
    assert_eq!(x.row(0).indices, &[0, 1]);
    assert_abs_diff_eq!(x.row(0).values[0], 0.795_960_5, epsilon = 1e-6);
    assert_abs_diff_eq!(x.row(0).values[1], 0.605_348_5, epsilon = 1e-6);
    assert_eq!(x.row(1).indices, &[1, 2]);
    assert_abs_diff_eq!(x.row(1).values[0], 0.355_432_5, epsilon = 1e-6);
    assert_abs_diff_eq!(x.row(1).values[1], 0.934_702, epsilon = 1e-6);
    assert!(x.row(2).is_empty());
    assert_abs_diff_eq!(model.idf()[1], 1.287_682, epsilon = 1e-6);

    let (_, xs) = Tfidf::params().sublinear_tf(true).fit_transform(&plain(), &texts).unwrap();
    assert_abs_diff_eq!(xs.row(1).values[0], 0.409_741_6, epsilon = 1e-6);
    assert_abs_diff_eq!(xs.row(1).values[1], 0.912_201_6, epsilon = 1e-6);

    // Without smoothing, idf = ln(n / df) + 1: beta = ln(3/2) + 1.
    let (m, _) = Tfidf::params().smooth_idf(false).fit_transform(&plain(), &texts).unwrap();
    assert_abs_diff_eq!(m.idf()[1], (1.5f32).ln() + 1.0, epsilon = 1e-6);
}

#[test]
fn document_frequency_limits_and_max_features() {
    let texts = ["a1 b1 c1", "a1 b1", "a1", "a1 d1 d1 d1"];
    let fit = |p: thematic_vectorize::TfidfParams| p.fit(&plain(), &texts).unwrap();
    let m = fit(Tfidf::params().min_df(DocFreq::Count(2)));
    assert_eq!(m.vocabulary().terms(), ["a1", "b1"]);
    let m = fit(Tfidf::params().max_df(DocFreq::Fraction(0.5)));
    assert_eq!(m.vocabulary().terms(), ["b1", "c1", "d1"]);
    // max_features keeps the most frequent in the corpus: a1 (4), d1 (3).
    let m = fit(Tfidf::params().max_features(Some(2)));
    assert_eq!(m.vocabulary().terms(), ["a1", "d1"]);
    assert_eq!(m.vocabulary().count(1), 3);
    assert_eq!(m.vocabulary().df(1), 1);
}

#[test]
fn clear_errors_for_impossible_vocabularies() {
    let e = Tfidf::params().fit(&Analyzer::default(), &["the and of", "", "it is"]).unwrap_err();
    assert_eq!(e, VectorizeError::EmptyVocabulary { n_docs: 3, terms_seen: 0 });
    assert!(e.to_string().contains("stop words"));
    let e = Tfidf::params()
        .min_df(DocFreq::Count(3))
        .max_df(DocFreq::Count(2))
        .fit(&plain(), &["x"])
        .unwrap_err();
    assert!(matches!(e, VectorizeError::DfRange { min_docs: 3, max_docs: 2, .. }));
    let none: [&str; 0] = [];
    assert!(matches!(
        Tfidf::params().fit(&plain(), &none),
        Err(VectorizeError::EmptyVocabulary { n_docs: 0, .. })
    ));
}

#[test]
fn surface_forms_make_readable_terms() {
    let texts = ["Clinical safety training", "clinical safety", "trained clinicians", "Training"];
    let m = Tfidf::params().fit(&Analyzer::default(), &texts).unwrap();
    let v = m.vocabulary();
    let id = v.id("clinic safeti").unwrap();
    assert_eq!(v.display(id), "clinical safety");
    assert_eq!(v.display(v.id("train").unwrap()), "training");
    assert_eq!(v.surface_forms("train"), [("training".to_string(), 2), ("trained".to_string(), 1)]);
}

fn corpus(n: usize) -> Vec<String> {
    let words = ["safety", "alert", "records", "training", "staff", "funding", "supplier", "app"];
    (0..n)
        .map(|i| {
            (0..(i % 7 + 1))
                .map(|j| words[(i * 7 + j * 3) % words.len()])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn results_do_not_depend_on_thread_count_or_chunking() {
    let texts = corpus(5000);
    let a = Analyzer::default();
    let (m1, x1) = Tfidf::params().threads(Some(1)).fit_transform(&a, &texts).unwrap();
    for t in [2, 3, 8] {
        let (m, x) = Tfidf::params().threads(Some(t)).fit_transform(&a, &texts).unwrap();
        assert_eq!(m.vocabulary(), m1.vocabulary());
        assert_eq!(x, x1, "threads = {t}");
    }
}

#[test]
fn transform_reproduces_the_fitted_rows_and_ignores_unknown_terms() {
    let texts = corpus(300);
    let (model, x) = Tfidf::params().fit_transform(&Analyzer::default(), &texts).unwrap();
    assert_eq!(model.transform(&texts).unwrap(), x);
    let y = model.transform(&["zebra unicorn", "safety zebra"]).unwrap();
    assert!(y.row(0).is_empty());
    assert_eq!(y.row(1).indices, &[model.vocabulary().id("safeti").unwrap()]);
    assert_abs_diff_eq!(y.row(1).values[0], 1.0, epsilon = 1e-6);
}

#[test]
fn model_serde_round_trip() {
    let texts = corpus(100);
    let model: TfidfModel = Tfidf::params().fit(&Analyzer::default(), &texts).unwrap();
    let json = serde_json::to_string(&model).unwrap();
    let back: TfidfModel = serde_json::from_str(&json).unwrap();
    assert_eq!(back, model);
    assert_eq!(back.transform(&texts).unwrap(), model.transform(&texts).unwrap());
    assert_eq!(back.vocabulary().id("safeti"), model.vocabulary().id("safeti"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_row_has_unit_norm_or_is_empty(texts in prop::collection::vec("\\PC{0,60}|[a-e ]{0,30}", 1..40)) {
        match Tfidf::params().fit_transform(&plain(), &texts) {
            Ok((model, x)) => {
                prop_assert_eq!(x.n_rows(), texts.len());
                prop_assert_eq!(x.n_cols(), model.n_features());
                for (i, norm) in x.row_norms().into_iter().enumerate() {
                    prop_assert!(x.row(i).is_empty() || (norm - 1.0).abs() < 1e-5, "row {} norm {}", i, norm);
                }
            }
            Err(VectorizeError::EmptyVocabulary { .. }) => {
                prop_assert!(texts.iter().all(|t| plain().terms(t).is_empty()));
            }
            Err(e) => prop_assert!(false, "unexpected error {}", e),
        }
    }
}
