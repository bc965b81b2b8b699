//! Measures the suggestion detector on labelled sentences.
//!
//! ```text
//! cargo run --release -p thematic-themes --example eval_suggestions -- PATH [--fit] [--l2 X] [--dev-only]
//! ```
//!
//! `PATH` is a CSV with columns `text` and `label` (1 = suggestion), such as
//! `../shared/data/semeval2019-task9-suggestions/suggestions.csv` (SemEval-2019 Task 9,
//! subtask A training sentences, CC BY-NC-SA 4.0: read in place, never copied).
//!
//! Protocol. Each sentence goes to the held-back part when the FNV-1a 64-bit hash of its text
//! is 0, 1 or 2 modulo 10 (30%; equal texts land on the same side, so duplicates cannot leak
//! across), and to the development part otherwise. Development only: 5-fold
//! cross-validation (fold = position in the development part modulo 5) refits the cue
//! weights on four folds with [`CueWeights::fit`] and scores the fifth, for every threshold
//! of a grid; the default threshold is the best mean F1 there. The default weights
//! ([`CueWeights::fitted`]) are the fit on the whole development part (`--fit` prints them).
//! The held-back part is only scored, with the default detector: those are the figures to
//! report (`--dev-only` skips them, for development). `tests/suggest.rs` repeats the
//! held-back measurement.

use std::error::Error;
use std::process::ExitCode;

use thematic_themes::suggest::{Confusion, CueSet, CueWeights, SuggestionDetector};

/// Whether a sentence belongs to the held-back 30% (see the module docs).
fn held_back(text: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in text.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h % 10 < 3
}

fn read(path: &str) -> Result<Vec<(String, bool)>, Box<dyn Error>> {
    let mut r = csv::Reader::from_path(path)?;
    let headers = r.headers()?.clone();
    let col = |name: &str| {
        headers.iter().position(|h| h == name).ok_or_else(|| format!("{path}: no column {name:?}"))
    };
    let (text, label) = (col("text")?, col("label")?);
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec?;
        let t = rec.get(text).unwrap_or_default().to_owned();
        let l = match rec.get(label).unwrap_or_default().trim() {
            "1" => true,
            "0" => false,
            other => return Err(format!("{path}: label {other:?} is not 0 or 1").into()),
        };
        rows.push((t, l));
    }
    Ok(rows)
}

fn report(name: &str, c: &Confusion) {
    println!(
        "{name}: precision {:.3}  recall {:.3}  F1 {:.3}  accuracy {:.3}  (n = {}, suggestions = {})",
        c.precision(),
        c.recall(),
        c.f1(),
        c.accuracy(),
        c.n(),
        c.true_positives + c.false_negatives
    );
}

fn score(w: &CueWeights, s: CueSet) -> f64 {
    let z = f64::from(w.bias()) + s.iter().map(|c| f64::from(w.weight(c))).sum::<f64>();
    1.0 / (1.0 + (-z).exp())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut fit = false;
    let mut dev_only = false;
    let mut l2 = 1.0;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--fit" => fit = true,
            "--dev-only" => dev_only = true,
            "--l2" => l2 = args.next().ok_or("--l2 needs a value")?.parse()?,
            _ if path.is_none() => path = Some(a),
            _ => return Err(format!("unexpected argument {a:?}").into()),
        }
    }
    let path = path.ok_or("usage: eval_suggestions PATH [--fit] [--l2 X] [--dev-only]")?;
    let rows = read(&path)?;
    let detector = SuggestionDetector::default();
    let (dev, held): (Vec<_>, Vec<_>) = rows.iter().partition(|(t, _)| !held_back(t));
    println!(
        "{path}: {} sentences, {} development, {} held back",
        rows.len(),
        dev.len(),
        held.len()
    );

    // Cross-validation on the development part, refitting the weights per fold.
    let sets: Vec<CueSet> = dev.iter().map(|(t, _)| detector.cues(t)).collect();
    let labels: Vec<bool> = dev.iter().map(|&&(_, l)| l).collect();
    let grid = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5];
    let mut per_threshold = vec![Vec::new(); grid.len()];
    let folds = 5;
    println!("\n5-fold cross-validation on the development part (weights refitted, l2 = {l2}):");
    for fold in 0..folds {
        let train: Vec<usize> = (0..dev.len()).filter(|i| i % folds != fold).collect();
        let test: Vec<usize> = (0..dev.len()).filter(|i| i % folds == fold).collect();
        let w = CueWeights::fit(
            &train.iter().map(|&i| sets[i]).collect::<Vec<_>>(),
            &train.iter().map(|&i| labels[i]).collect::<Vec<_>>(),
            l2,
        )?;
        for (k, &th) in grid.iter().enumerate() {
            let c =
                Confusion::from_pairs(test.iter().map(|&i| (score(&w, sets[i]) >= th, labels[i])));
            if (th - f64::from(detector.threshold())).abs() < 1e-6 {
                report(&format!("  fold {fold} (threshold {th})"), &c);
            }
            per_threshold[k].push(c);
        }
    }
    println!("  mean over folds by threshold:");
    for (th, cs) in grid.iter().zip(&per_threshold) {
        let mean = |f: fn(&Confusion) -> f64| cs.iter().map(f).sum::<f64>() / cs.len() as f64;
        println!(
            "    threshold {th:.2}: precision {:.3}  recall {:.3}  F1 {:.3}",
            mean(Confusion::precision),
            mean(Confusion::recall),
            mean(Confusion::f1)
        );
    }

    if fit {
        let w = CueWeights::fit(&sets, &labels, l2)?;
        println!("\nWeights fitted on the whole development part (l2 = {l2}):");
        println!("const FITTED_BIAS: f32 = {:.3};", w.bias());
        println!("const FITTED_WEIGHTS: &[(Cue, f32)] = &[");
        for (c, v) in w.iter() {
            let n = sets.iter().filter(|s| s.contains(c)).count();
            let pos = sets.iter().zip(&labels).filter(|(s, l)| s.contains(c) && **l).count();
            println!("    (Cue::{c:?}, {v:.3}), // {n} sentences, {pos} suggestions");
        }
        println!("];");
    }

    if dev_only {
        return Ok(());
    }
    // The held-back part, default detector.
    let mut c = Confusion::default();
    for (t, l) in &held {
        c.add(detector.detect(t).is_suggestion, *l);
    }
    println!("\nHeld-back part, default detector (threshold {}):", detector.threshold());
    report("  held back", &c);
    println!("  confusion matrix (rows: actual, columns: predicted)");
    println!("                      suggestion  not");
    println!("    suggestion     {:>10}  {:>5}", c.true_positives, c.false_negatives);
    println!("    not            {:>10}  {:>5}", c.false_positives, c.true_negatives);
    Ok(())
}
