//! Times latent semantic analysis (TF-IDF, then a truncated SVD) on a CSV corpus.
//!
//! ```text
//! cargo run --release -p thematic-vectorize --example lsa -- CORPUS.csv [D] [THREADS] [SEED]
//! cargo run --release -p thematic-vectorize --example lsa -- MATRIX_DIR [D] [THREADS] [SEED]
//! ```
//!
//! Builds the TF-IDF matrix with thematic's pipeline parameters (min_df 2, max_df 0.5,
//! sublinear tf, the default analyzer), or reads a CSR matrix saved by another tool (a
//! directory with `shape.txt` holding "rows cols", and the little-endian arrays
//! `indptr.i64`, `indices.i32`, `data.f32`, e.g. scipy's), then times `TruncatedSvd::params(D).fit_transform`
//! (D defaults to 100, SEED to 42) and reports the peak resident memory of the process during the SVD
//! alone (Linux: the peak is reset through /proc/self/clear_refs before it starts).

use std::time::Instant;

use thematic_core::CsrMatrix;
use thematic_io::{CsvOptions, read_csv};
use thematic_text::Analyzer;
use thematic_vectorize::{DocFreq, Tfidf, TruncatedSvd, normalize_rows};

/// A `VmHWM` / `VmRSS` line of /proc/self/status, in MiB.
fn status_mib(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

type Error = Box<dyn std::error::Error>;

/// Reads a CSR matrix from the raw arrays of `dir` (see the module docs).
fn read_raw(dir: &std::path::Path) -> Result<CsrMatrix<f32>, Error> {
    let shape = std::fs::read_to_string(dir.join("shape.txt"))?;
    let n_cols: usize = shape.split_whitespace().nth(1).ok_or("shape.txt: rows cols")?.parse()?;
    let words = |name: &str| -> Result<Vec<[u8; 4]>, Error> {
        let bytes = std::fs::read(dir.join(name))?;
        Ok(bytes.chunks_exact(4).map(|c| [c[0], c[1], c[2], c[3]]).collect())
    };
    let indptr = std::fs::read(dir.join("indptr.i64"))?
        .chunks_exact(8)
        .map(|c| usize::try_from(i64::from_le_bytes(c.try_into().expect("8 bytes"))))
        .collect::<Result<Vec<usize>, _>>()?;
    let indices = words("indices.i32")?.into_iter().map(u32::from_le_bytes).collect();
    let data = words("data.f32")?.into_iter().map(f32::from_le_bytes).collect();
    Ok(CsrMatrix::new(n_cols, indptr, indices, data)?)
}

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: lsa CORPUS.csv|MATRIX_DIR [D] [THREADS] [SEED]")?;
    let d: usize = args.next().map_or(Ok(100), |a| a.parse())?;
    let threads: Option<usize> = args.next().map(|a| a.parse()).transpose()?;
    let seed: u64 = args.next().map_or(Ok(42), |a| a.parse())?;

    let start = Instant::now();
    let x = if std::path::Path::new(&path).is_dir() {
        read_raw(path.as_ref())?
    } else {
        let (responses, _) = read_csv(&path, &CsvOptions::default())?;
        let texts: Vec<String> = responses.into_iter().map(|r| r.text).collect();
        Tfidf::params()
            .min_df(DocFreq::Count(2))
            .max_df(DocFreq::Fraction(0.5))
            .sublinear_tf(true)
            .threads(threads)
            .fit_transform(&Analyzer::default(), &texts)?
            .1
    };
    println!(
        "matrix: {} × {}, {} non-zeros, built in {:.2} s",
        x.n_rows(),
        x.n_cols(),
        x.nnz(),
        start.elapsed().as_secs_f64()
    );

    let before = status_mib("VmRSS:").unwrap_or(f64::NAN);
    // Resets VmHWM to the current RSS (Linux ≥ 4.0), so that the peak below is the SVD's.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let start = Instant::now();
    let (model, mut embedding) =
        TruncatedSvd::params(d).threads(threads).seed(seed).fit_transform(&x)?;
    let seconds = start.elapsed().as_secs_f64();
    let peak = status_mib("VmHWM:").unwrap_or(f64::NAN);
    normalize_rows(&mut embedding);
    let s = model.singular_values();
    println!(
        "svd d={d}: {seconds:.2} s, RSS {before:.0} MiB before, peak {peak:.0} MiB (+{:.0}); \
         σ[0..3] = {:.4?}, σ[d-1] = {:.4}, explained variance ratio sum {:.4}",
        peak - before,
        &s[..3.min(s.len())],
        s[s.len() - 1],
        model.explained_variance_ratio().iter().sum::<f64>()
    );
    Ok(())
}
