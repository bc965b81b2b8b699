//! Throughput of personal-data masking on a CSV column of answers.
//!
//! ```sh
//! cargo run --release -p thematic-text --example mask_bench -- [FILE.csv] [COLUMN] [REPEAT]
//! ```
//!
//! Defaults: the bundled consultation, column `text`, and enough repeats for about 50 MB.
//! Prints MB/s for `Masker::find` and `Masker::mask` (single thread), and how many answers
//! held personal data, with the tokenizer's throughput on the same text for scale.

use std::borrow::Cow;
use std::error::Error;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use thematic_text::{Masker, tokenize};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/digital_clinical_safety_consultation.csv")
    });
    let column = args.next().unwrap_or_else(|| "text".to_owned());
    let mut reader = csv::Reader::from_path(&path)?;
    let col = reader
        .headers()?
        .iter()
        .position(|h| h == column)
        .ok_or_else(|| format!("no column {column:?} in {}", path.display()))?;
    let mut texts = Vec::new();
    for record in reader.records() {
        texts.push(record?[col].to_owned());
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let repeat = match args.next() {
        Some(r) => r.parse()?,
        None => (50_000_000 / bytes.max(1)).max(1),
    };
    let masker = Masker::default();

    let start = Instant::now();
    let mut matches = 0;
    for _ in 0..repeat {
        for t in &texts {
            matches += black_box(masker.find(black_box(t))).len();
        }
    }
    let find_secs = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let mut owned = 0;
    for _ in 0..repeat {
        for t in &texts {
            if let Cow::Owned(s) = black_box(masker.mask(black_box(t))) {
                owned += 1;
                black_box(s);
            }
        }
    }
    let mask_secs = start.elapsed().as_secs_f64();

    // For scale: the tokenizer, the first step of every analysis, over the same text.
    let start = Instant::now();
    let mut tokens = 0;
    for _ in 0..repeat {
        for t in &texts {
            tokens += black_box(tokenize(black_box(t))).len();
        }
    }
    let tokenize_secs = start.elapsed().as_secs_f64();
    black_box(tokens);

    let mb = (bytes * repeat) as f64 / 1e6;
    println!(
        "{}: {} answers, {:.1} MB x {repeat}; {} matches in {} answers per pass",
        path.display(),
        texts.len(),
        bytes as f64 / 1e6,
        matches / repeat,
        owned / repeat
    );
    println!("find: {:.0} MB/s ({:.2} s)", mb / find_secs, find_secs);
    println!("mask: {:.0} MB/s ({:.2} s)", mb / mask_secs, mask_secs);
    println!("tokenize (for scale): {:.0} MB/s ({:.2} s)", mb / tokenize_secs, tokenize_secs);
    Ok(())
}
