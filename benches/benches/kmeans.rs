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
//!
//! The `kmeans_dense` group times [`fit_dense`](thematic_cluster::KMeansParams::fit_dense) on
//! dense rows (as LSA output or embeddings): Gaussian blobs, `n` rows of `d = 100` values
//! around 50 centres drawn uniformly in `[-1.5, 1.5]^d` with unit noise (overlapping enough
//! that the fits take a dozen iterations), built once, untimed. n = 20,000, and with
//! `THEMATIC_BENCH_LARGE=1` also n = 100,000; k = 50; both metrics; Lloyd and Yinyang. Ids
//! encode the parameters: `dense/euclidean/n=20000/d=100/k=50/algorithm=lloyd`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use thematic_benches::{env_corpus, pipeline_params, synthetic_texts};
use thematic_cluster::ndarray::Array2;
use thematic_cluster::{KMeans, KMeansAlgorithm, KMeansMetric};
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

const DENSE_D: usize = 100;
const DENSE_K: usize = 50;
const DENSE_CENTRES: usize = 50;
const DENSE_SPREAD: f64 = 1.5;
const METRICS: [(&str, KMeansMetric); 2] =
    [("euclidean", KMeansMetric::Euclidean), ("cosine", KMeansMetric::Cosine)];
const DENSE_ALGORITHMS: [(&str, KMeansAlgorithm); 2] =
    [("lloyd", KMeansAlgorithm::Lloyd), ("yinyang", KMeansAlgorithm::Yinyang)];

/// A deterministic stream of uniform `f64` in `[0, 1)` (splitmix64): the benches need no
/// random-number crate, and the same blobs come out on every machine.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A standard normal value (Box–Muller).
    fn normal(&mut self) -> f64 {
        let (u, v) = (1.0 - self.next(), self.next());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// `n × d` Gaussian blobs: each row a centre (uniform in `[-spread, spread]^d`, one of
/// `centres`, drawn per row) plus unit noise.
fn blobs(n: usize, d: usize, centres: usize, spread: f64, seed: u64) -> Array2<f32> {
    let mut rng = SplitMix(seed);
    let means: Vec<f64> = (0..centres * d).map(|_| spread * (2.0 * rng.next() - 1.0)).collect();
    let mut x = Array2::zeros((n, d));
    for mut row in x.rows_mut() {
        let c = ((rng.next() * centres as f64) as usize).min(centres - 1);
        for (j, v) in row.iter_mut().enumerate() {
            *v = (means[c * d + j] + rng.normal()) as f32;
        }
    }
    x
}

fn kmeans_dense(c: &mut Criterion) {
    let mut sizes = vec![20_000];
    if std::env::var("THEMATIC_BENCH_LARGE").is_ok_and(|v| v == "1") {
        sizes.push(100_000);
    }
    let inputs: Vec<(usize, Array2<f32>)> = sizes
        .into_iter()
        .map(|n| (n, blobs(n, DENSE_D, DENSE_CENTRES, DENSE_SPREAD, SEED)))
        .collect();
    let params = |metric: KMeansMetric, algorithm: KMeansAlgorithm| {
        KMeans::params(DENSE_K)
            .seed(SEED)
            .max_iter(MAX_ITER)
            .tol(TOL)
            .threads(None)
            .metric(metric)
            .algorithm(algorithm)
    };
    let id = |metric: &str, n: usize, algorithm: &str| {
        format!("dense/{metric}/n={n}/d={DENSE_D}/k={DENSE_K}/algorithm={algorithm}")
    };

    // One untimed fit per id: what the timed fits compute.
    for (n, x) in &inputs {
        for (metric_name, metric) in METRICS {
            for (name, algorithm) in DENSE_ALGORITHMS {
                let model = params(metric, algorithm).fit_dense(x.view()).expect("fits");
                eprintln!(
                    "kmeans_dense/{}: n_iter={} converged={} objective={:.3} skipped_fraction={:.4}",
                    id(metric_name, *n, name),
                    model.n_iter(),
                    model.converged(),
                    model.objective(),
                    model.skipped_fraction(),
                );
            }
        }
    }

    let mut group = c.benchmark_group("kmeans_dense");
    for (n, x) in &inputs {
        group.throughput(Throughput::Elements(x.len() as u64));
        for (metric_name, metric) in METRICS {
            for (name, algorithm) in DENSE_ALGORITHMS {
                let params = params(metric, algorithm);
                let id = BenchmarkId::from_parameter(id(metric_name, *n, name));
                group.bench_with_input(id, x, |b, x| {
                    b.iter(|| {
                        let model = params.fit_dense(black_box(x.view())).expect("fits");
                        assert!(model.objective().is_finite() && model.n_iter() >= 1);
                        assert_eq!(model.labels().len(), x.nrows());
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
    // (twelve sparse ids, four dense) takes about a minute.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = kmeans, kmeans_dense
}
criterion_main!(benches);
