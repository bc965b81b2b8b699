/*!
End-to-end benchmarks of thematic, shared by the criterion benches and the `tfidf-bench`
binary.

[`synthetic_texts`] builds a deterministic corpus in memory (no files, the same texts for the
same arguments on every machine), [`pipeline_params`] are the TF-IDF parameters thematic's
pipeline uses, and [`time_tfidf`] runs the two stages, analyse ([`TermCounts::count`]) and
vectorise ([`TfidfValidParams::fit_counts`]), timing each.

```
use thematic_benches::{synthetic_texts, time_tfidf};
use thematic_text::Analyzer;

let texts = synthetic_texts(500, 7);
assert_eq!(texts, synthetic_texts(500, 7));
let run = time_tfidf(&Analyzer::default(), &texts, Some(1))?;
assert_eq!(run.n_docs, 500);
assert!(run.vocabulary > 0 && run.nnz > 0);
# Ok::<(), thematic_vectorize::VectorizeError>(())
```
*/
#![deny(missing_docs)]

use std::time::Instant;

use serde::Serialize;
use thematic_core::{ParamGuard, effective_threads};
use thematic_text::Analyzer;
use thematic_vectorize::{DocFreq, TermCounts, Tfidf, TfidfParams, TfidfValidParams};

/// Function words, about two in five of the generated words: they exercise the stop-word
/// test and break bigrams, as in real answers.
const STOP: &[&str] = &[
    "the", "and", "to", "of", "a", "in", "that", "is", "for", "it", "be", "are", "on", "with",
    "as", "this", "not", "we", "they", "have", "but", "or", "by", "at", "from", "there", "can",
    "should", "would", "more", "all", "their", "our", "if", "when", "which", "so", "also", "about",
    "been", "very", "some", "what", "no", "into", "than", "i", "my", "has", "will",
];

/// Content words of a consultation on digital clinical safety, most common first, with
/// inflected forms so that stemming has work to do.
const CONTENT: &str = "\
    patients staff safety digital systems care clinical training data risk risks nhs time \
    records system services support patient information access technology clinicians hospital \
    need needs trust trusts software alerts alert fatigue errors error incidents incident \
    reporting reported report suppliers supplier funding funded investment workforce nurses \
    doctors pharmacists medication medicines prescribing prescriptions electronic health \
    record interoperability integrated integration sharing shared share consent privacy \
    security cyber attacks outages downtime backup paper processes process workflow workflows \
    design designed usability usable interface screens logins passwords login devices device \
    apps app online remote monitoring monitored artificial intelligence algorithms algorithm \
    bias biased evidence evaluation evaluated testing tested assurance standards standard \
    regulation regulator regulators accountability accountable leadership leaders managers \
    management governance officers officer hazard hazards logs culture learning learned \
    lessons feedback listening involvement involved involve engagement public communities \
    carers families elderly vulnerable inequalities exclusion excluded literacy skills skilled \
    competence confidence confident capacity pressure pressures workload burnout shortages \
    vacancies recruitment retention procurement contracts contract costs expensive budgets \
    savings efficiency efficient delays delayed waiting appointments appointment referrals \
    referral discharge letters results tests scans imaging laboratory pathology primary \
    secondary community practices practice surgeries pharmacy ambulance emergency wards ward \
    beds theatres clinics clinic outpatient inpatient mental maternity children dementia \
    disabilities accessible accessibility languages translation communication communicating \
    communicate transparency transparent openly honest trusting trusted harm harms harmful \
    deaths avoidable mistakes misdiagnosis duplicate duplicated missing lost wrong incorrect \
    inaccurate accuracy accurate timely quickly slow slower faster reliable reliability \
    unreliable resilience resilient contingency planning planned plans strategy strategic \
    national local regional guidance guidelines policies policy legislation legal liability \
    responsibility responsible ownership clarity clear unclear confusing complex complexity \
    simple simpler simplify improve improved improvement improvements improving invest \
    investing train trained educate education educating recommend recommendations ensure \
    ensuring";

/// SplitMix64: a tiny, seedable, well-mixed generator; enough for test data, and keeps the
/// corpus identical across platforms and crate versions.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`; the modulo bias is irrelevant here).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The texts of the CSV named by the environment variable `THEMATIC_BENCH_CORPUS` (its
/// `text` column, or `THEMATIC_BENCH_TEXT_COLUMN`), if it is set: how the criterion benches
/// run on a real export instead of their synthetic corpus.
///
/// # Panics
/// If the variable names a file that cannot be read as a CSV with that column: a bench has
/// no error path, and a silent fallback would time the wrong corpus.
pub fn env_corpus() -> Option<Vec<String>> {
    let path = std::env::var_os("THEMATIC_BENCH_CORPUS")?;
    let options = thematic_io::CsvOptions {
        text_column: std::env::var("THEMATIC_BENCH_TEXT_COLUMN").ok(),
        ..thematic_io::CsvOptions::default()
    };
    match thematic_io::read_csv(&path, &options) {
        Ok((responses, _)) => Some(responses.into_iter().map(|r| r.text).collect()),
        Err(e) => panic!("THEMATIC_BENCH_CORPUS: {e}"),
    }
}

/// `n` synthetic consultation answers, the same for the same `(n, seed)`.
///
/// Each answer has one to four sentences of 4 to 18 words; about two words in five are stop
/// words and the rest are drawn from a list of some 300 content words with a Zipf law, so a
/// few terms are very common and most are rare, as in real answers. About one answer in 30 is
/// empty. 20,000 answers are about 3.5 MB of text.
pub fn synthetic_texts(n: usize, seed: u64) -> Vec<String> {
    let mut rng = SplitMix64(seed);
    // Cumulative Zipf weights 1/rank over the content words.
    let content_words: Vec<&str> = CONTENT.split_whitespace().collect();
    let cumulative: Vec<f64> = content_words
        .iter()
        .enumerate()
        .scan(0.0, |acc, (rank, _)| {
            *acc += 1.0 / (rank + 1) as f64;
            Some(*acc)
        })
        .collect();
    let total = cumulative.last().copied().unwrap_or(1.0);
    let content = |rng: &mut SplitMix64| {
        let u = rng.unit() * total;
        content_words[cumulative.partition_point(|&c| c <= u).min(content_words.len() - 1)]
    };
    (0..n)
        .map(|_| {
            let mut text = String::new();
            if rng.below(30) == 0 {
                return text;
            }
            for s in 0..1 + rng.below(4) {
                if s > 0 {
                    text.push(' ');
                }
                let words = 4 + rng.below(15);
                for w in 0..words {
                    let word = if rng.below(5) < 2 {
                        STOP[rng.below(STOP.len())]
                    } else {
                        content(&mut rng)
                    };
                    if w == 0 {
                        let mut chars = word.chars();
                        if let Some(first) = chars.next() {
                            text.extend(first.to_uppercase());
                            text.push_str(chars.as_str());
                        }
                    } else {
                        text.push(if rng.below(12) == 0 { ',' } else { ' ' });
                        if text.ends_with(',') {
                            text.push(' ');
                        }
                        text.push_str(word);
                    }
                }
                text.push(if rng.below(8) == 0 { '!' } else { '.' });
            }
            text
        })
        .collect()
}

/// The TF-IDF parameters of thematic's pipeline: terms in at least 2 documents and at most
/// half of them, sublinear tf.
pub fn pipeline_params() -> TfidfParams {
    Tfidf::params().min_df(DocFreq::Count(2)).max_df(DocFreq::Fraction(0.5)).sublinear_tf(true)
}

/// Sizes and wall times of one analyse + vectorise run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TfidfRun {
    /// Number of texts.
    pub n_docs: usize,
    /// Their total size in bytes (UTF-8).
    pub text_bytes: usize,
    /// Number of terms kept in the vocabulary.
    pub vocabulary: usize,
    /// Non-zeros of the TF-IDF matrix.
    pub nnz: usize,
    /// Seconds to analyse: tokenise, normalise, stem and count terms.
    pub analyse_s: f64,
    /// Seconds to vectorise: merge counts, select the vocabulary, weigh and normalise rows.
    pub vectorise_s: f64,
    /// Seconds for both stages.
    pub total_s: f64,
    /// Text throughput of both stages, in MB (10^6 bytes) per second.
    pub mb_per_s: f64,
    /// Threads used.
    pub threads: usize,
}

/// Analyses and vectorises `texts` with [`pipeline_params`] on `threads` threads (`None`:
/// the default, see [`effective_threads`]), timing each stage.
///
/// # Errors
/// As [`TfidfValidParams::fit_counts`]: an empty vocabulary, for instance.
pub fn time_tfidf<S: AsRef<str> + Sync>(
    analyzer: &Analyzer,
    texts: &[S],
    threads: Option<usize>,
) -> thematic_vectorize::Result<TfidfRun> {
    let params: TfidfValidParams = pipeline_params().threads(threads).check()?;
    let text_bytes = texts.iter().map(|t| t.as_ref().len()).sum();
    let start = Instant::now();
    let counts = TermCounts::count(analyzer, texts, threads)?;
    let counted = Instant::now();
    let (model, matrix) = params.fit_counts(counts)?;
    let end = Instant::now();
    let total_s = (end - start).as_secs_f64();
    Ok(TfidfRun {
        n_docs: texts.len(),
        text_bytes,
        vocabulary: model.n_features(),
        nnz: matrix.nnz(),
        analyse_s: (counted - start).as_secs_f64(),
        vectorise_s: (end - counted).as_secs_f64(),
        total_s,
        mb_per_s: text_bytes as f64 / 1e6 / total_s,
        threads: effective_threads(threads),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_is_deterministic_and_seeded() {
        assert_eq!(synthetic_texts(200, 1), synthetic_texts(200, 1));
        assert_ne!(synthetic_texts(200, 1), synthetic_texts(200, 2));
        assert_eq!(synthetic_texts(200, 1).len(), 200);
    }

    #[test]
    fn result_does_not_depend_on_threads() {
        let texts = synthetic_texts(2_000, 3);
        let a = time_tfidf(&Analyzer::default(), &texts, Some(1)).expect("fits");
        let b = time_tfidf(&Analyzer::default(), &texts, Some(2)).expect("fits");
        assert_eq!((a.vocabulary, a.nnz), (b.vocabulary, b.nnz));
        assert!(a.vocabulary > 100 && a.nnz > texts.len());
    }
}
