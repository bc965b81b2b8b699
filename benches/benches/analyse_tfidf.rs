//! Throughput of analyse + TF-IDF, in bytes of text per second.
//!
//! The corpus is [`synthetic_texts`] (20,000 answers, built in process), or the `text` column
//! of the CSV named by `THEMATIC_BENCH_CORPUS` (column name overridable with
//! `THEMATIC_BENCH_TEXT_COLUMN`). Ids encode the corpus size and threads:
//! `analyse_tfidf/n=20000/threads=2`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use thematic_benches::{env_corpus, pipeline_params, synthetic_texts};
use thematic_core::{ParamGuard, effective_threads};
use thematic_text::Analyzer;
use thematic_vectorize::TermCounts;

const N: usize = 20_000;
const SEED: u64 = 42;

fn corpus() -> Vec<String> {
    env_corpus().unwrap_or_else(|| synthetic_texts(N, SEED))
}

fn analyse_tfidf(c: &mut Criterion) {
    let texts = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    let analyzer = Analyzer::default();
    let all = effective_threads(None);
    let mut threads = vec![all];
    if all > 1 {
        threads.push(1);
    }

    // Both stages, as `Tfidf::params().fit_transform` runs them.
    let mut group = c.benchmark_group("analyse_tfidf");
    group.throughput(Throughput::Bytes(bytes as u64));
    for &t in &threads {
        let params = pipeline_params().threads(Some(t)).check().expect("valid params");
        let id = BenchmarkId::from_parameter(format!("n={}/threads={t}", texts.len()));
        group.bench_with_input(id, &texts, |b, texts| {
            b.iter(|| {
                let (model, x) = params.fit_transform(&analyzer, black_box(texts)).expect("fits");
                assert!(x.nnz() > 0 && model.n_features() > 0);
                (model, x)
            });
        });
    }
    group.finish();

    // The analyse stage alone: tokenise, normalise, stem, count.
    let mut group = c.benchmark_group("analyse");
    group.throughput(Throughput::Bytes(bytes as u64));
    for &t in &threads {
        let id = BenchmarkId::from_parameter(format!("n={}/threads={t}", texts.len()));
        group.bench_with_input(id, &texts, |b, texts| {
            b.iter(|| {
                let counts =
                    TermCounts::count(&analyzer, black_box(texts), Some(t)).expect("counts");
                assert!(counts.n_entries() > 0);
                counts
            });
        });
    }
    group.finish();

    // The vectorise stage alone: merge counts, select the vocabulary, weigh rows. Counting
    // happens in the untimed setup, since fitting consumes the counts.
    let mut group = c.benchmark_group("vectorise");
    group.throughput(Throughput::Bytes(bytes as u64));
    for &t in &threads {
        let params = pipeline_params().threads(Some(t)).check().expect("valid params");
        let id = BenchmarkId::from_parameter(format!("n={}/threads={t}", texts.len()));
        group.bench_with_input(id, &texts, |b, texts| {
            b.iter_batched(
                || TermCounts::count(&analyzer, texts, Some(t)).expect("counts"),
                |counts| {
                    let (model, x) = params.fit_counts(counts).expect("fits");
                    assert!(x.nnz() > 0 && model.n_features() > 0);
                    (model, x)
                },
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // Ten samples of a few seconds each keep `cargo bench` under a minute in all.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = analyse_tfidf
}
criterion_main!(benches);
