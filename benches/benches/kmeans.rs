//! Spherical k-means fit time on TF-IDF matrices, in non-zeros of the matrix per second.
//!
//! Each matrix is built once, untimed: thematic's pipeline TF-IDF
//! ([`pipeline_params`]) of [`synthetic_texts`]`(n, 42)`, rows with no non-zero dropped. The
//! corpora are n = 20,000 and, with `THEMATIC_BENCH_LARGE=1`, also n = 100,000; or instead the
//! `text` column of the CSV named by `THEMATIC_BENCH_CORPUS` (column name overridable with
//! `THEMATIC_BENCH_TEXT_COLUMN`). Each is fitted with k ∈ {20, 50} and the three assignment
//! algorithms (lloyd, hamerly, yinyang), on all threads. Ids encode the parameters, n being
//! the number of texts: `kmeans_fit/n=20000/k=50/algorithm=hamerly`.
//!
//! Before timing, one fit per id prints its iterations, objective and the fraction of
//! row–centroid similarities that the bounds skipped, so the output documents pruning.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use thematic_benches::{env_corpus, pipeline_params, synthetic_texts};
use thematic_cluster::{KMeans, KMeansAlgorithm};
use thematic_core::{CsrMatrix, effective_threads};
use thematic_text::Analyzer;

const SEED: u64 = 42;
const KS: [usize; 2] = [20, 50];
const ALGORITHMS: [(&str, KMeansAlgorithm); 3] = [
    ("lloyd", KMeansAlgorithm::Lloyd),
    ("hamerly", KMeansAlgorithm::Hamerly),
    ("yinyang", KMeansAlgorithm::Yinyang),
];
const MAX_ITER: usize = 100;
const TOL: f64 = 1e-4;

/// The texts to cluster, each set with its id label `n`: the CSV of `THEMATIC_BENCH_CORPUS`,
/// else the synthetic corpora.
fn corpora() -> Vec<(usize, Vec<String>)> {
    if let Some(texts) = env_corpus() {
        return vec![(texts.len(), texts)];
    }
    let mut sizes = vec![20_000];
    if std::env::var("THEMATIC_BENCH_LARGE").is_ok_and(|v| v == "1") {
        sizes.push(100_000);
    }
    sizes.into_iter().map(|n| (n, synthetic_texts(n, SEED))).collect()
}

/// The pipeline's TF-IDF matrix of `texts`, rows with no non-zero dropped.
fn tfidf(texts: &[String]) -> CsrMatrix<f32> {
    let (_, x) = pipeline_params().fit_transform(&Analyzer::default(), texts).expect("fits");
    let keep: Vec<usize> = (0..x.n_rows()).filter(|&r| !x.row(r).is_empty()).collect();
    x.select_rows(&keep)
}

fn kmeans(c: &mut Criterion) {
    let matrices: Vec<(usize, CsrMatrix<f32>)> =
        corpora().into_iter().map(|(n, texts)| (n, tfidf(&texts))).collect();
    let params = |k: usize, algorithm: KMeansAlgorithm| {
        KMeans::params(k).seed(SEED).max_iter(MAX_ITER).tol(TOL).threads(None).algorithm(algorithm)
    };

    // One untimed fit per id: what the timed fits compute, and what pruning saves.
    eprintln!(
        "kmeans: threads={}, max_iter={MAX_ITER}, tol={TOL}, seed={SEED}",
        effective_threads(None)
    );
    for (n, x) in &matrices {
        eprintln!("kmeans: n={n}: {} rows, {} features, nnz={}", x.n_rows(), x.n_cols(), x.nnz());
        for k in KS {
            for (name, algorithm) in ALGORITHMS {
                let model = params(k, algorithm).fit(x).expect("fits");
                let (computed, total) = model.similarities_computed();
                eprintln!(
                    "kmeans_fit/n={n}/k={k}/algorithm={name}: n_iter={} converged={} \
                     objective={:.3} similarities={computed}/{total} skipped_fraction={:.4}",
                    model.n_iter(),
                    model.converged(),
                    model.objective(),
                    model.skipped_fraction(),
                );
            }
        }
    }

    let mut group = c.benchmark_group("kmeans_fit");
    for (n, x) in &matrices {
        group.throughput(Throughput::Elements(x.nnz() as u64));
        for k in KS {
            for (name, algorithm) in ALGORITHMS {
                let params = params(k, algorithm);
                let id = BenchmarkId::from_parameter(format!("n={n}/k={k}/algorithm={name}"));
                group.bench_with_input(id, x, |b, x| {
                    b.iter(|| {
                        let model = params.fit(black_box(x)).expect("fits");
                        assert!(model.objective().is_finite() && model.n_iter() >= 1);
                        model
                    });
                });
            }
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // Ten samples each: a fit of n = 20,000 takes 0.05 to 0.3 s, so the default run
    // (twelve ids) takes well under a minute.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = kmeans
}
criterion_main!(benches);
