//! Agreement of an analysis with a human-coded sample.
//!
//! Analysts code a sample of responses by hand (one or several codes each) and ask how far
//! the machine agrees with their coders. [`validate`] joins the analysis's theme per response
//! with the codes by response id and scores the agreement with
//! [`metrics::agreement()`](fn@thematic_cluster::metrics::agreement): NMI, adjusted Rand,
//! Cohen's kappa and per-theme precision/recall/F1 after an optimal one-to-one matching of
//! themes to codes.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use thematic_cluster::metrics::{Agreement, agreement};

use crate::error::{Error, Result};

/// The outcome of [`validate`]: the agreement and how the two sides were joined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    /// Distinct response ids in the codes.
    pub coded: usize,
    /// Coded ids whose codes are all blank: left out.
    pub blank: usize,
    /// Coded ids found in the analysis with a theme: the responses compared.
    pub compared: usize,
    /// Coded ids found in the analysis without a theme (no usable text).
    pub unthemed: usize,
    /// Coded ids absent from the analysis, with up to 10 of them as examples.
    pub missing: usize,
    /// Examples of missing ids.
    pub missing_examples: Vec<String>,
    /// The scores.
    pub agreement: Agreement,
}

/// Splits a cell of codes on `separator`, trimming each and dropping empty ones, in order.
pub fn split_codes(cell: &str, separator: &str) -> Vec<String> {
    let parts: Vec<&str> =
        if separator.is_empty() { vec![cell] } else { cell.split(separator).collect() };
    parts.into_iter().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect()
}

/// Joins `assignments` (response id → theme, `None` for responses without one) with `codes`
/// (response id → its codes, primary first; several entries for one id are merged in order,
/// repeated codes once) and scores their agreement.
///
/// # Errors
/// A response id repeated in `assignments`; no coded response with a theme; or an error of
/// [`metrics::agreement()`](fn@thematic_cluster::metrics::agreement) (e.g. a coded response
/// with no code).
pub fn validate(
    assignments: &[(String, Option<u32>)],
    codes: &[(String, Vec<String>)],
) -> Result<Validation> {
    let mut theme_of: HashMap<&str, Option<u32>> = HashMap::with_capacity(assignments.len());
    for (id, theme) in assignments {
        if theme_of.insert(id.as_str(), *theme).is_some() {
            return Err(Error::InvalidParameter {
                parameter: "assignments",
                message: format!("response id {id:?} appears more than once"),
            });
        }
    }
    // Merge the codes of each id, keeping the first-seen order of ids and of codes.
    let mut order: Vec<&str> = Vec::new();
    let mut merged: HashMap<&str, Vec<String>> = HashMap::new();
    for (id, cs) in codes {
        let entry = merged.entry(id.as_str()).or_insert_with(|| {
            order.push(id.as_str());
            Vec::new()
        });
        for c in cs {
            if !entry.contains(c) {
                entry.push(c.clone());
            }
        }
    }
    let (mut themes, mut coded) = (Vec::new(), Vec::new());
    let (mut unthemed, mut blank, mut missing) = (0, 0, Vec::new());
    for id in &order {
        if merged[id].is_empty() {
            blank += 1;
            continue;
        }
        match theme_of.get(id) {
            Some(Some(t)) => {
                themes.push(*t);
                coded.push(merged[id].clone());
            }
            Some(None) => unthemed += 1,
            None => missing.push((*id).to_owned()),
        }
    }
    if themes.is_empty() {
        return Err(Error::InvalidParameter {
            parameter: "codes",
            message: format!(
                "none of the {} coded response ids has a theme in the analysis ({} missing, {} \
                 without a theme); check that both files use the same id column",
                order.len(),
                missing.len(),
                unthemed
            ),
        });
    }
    let agreement = agreement(&themes, &coded)
        .map_err(|e| Error::InvalidParameter { parameter: "codes", message: e.to_string() })?;
    Ok(Validation {
        coded: order.len(),
        blank,
        compared: themes.len(),
        unthemed,
        missing: missing.len(),
        missing_examples: missing.into_iter().take(10).collect(),
        agreement,
    })
}

/// The validation as a plain-text report: the join, the overall scores, and one line per
/// matched theme (with its label from `labels`, theme id → label) then the unmatched ones.
pub fn validation_report(v: &Validation, labels: &BTreeMap<u32, String>) -> String {
    use std::fmt::Write as _;
    let a = &v.agreement;
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "{} coded responses: {} compared, {} without a theme, {} not in the analysis, {} with \
         blank codes",
        v.coded, v.compared, v.unthemed, v.missing, v.blank
    );
    if !v.missing_examples.is_empty() {
        let _ = writeln!(out, "  missing ids, e.g.: {}", v.missing_examples.join(", "));
    }
    let _ = writeln!(
        out,
        "{} themes, {} codes; {} responses with a single code",
        a.n_themes, a.n_codes, a.n_single_coded
    );
    let kappa = a.kappa.map_or("undefined".to_owned(), |k| format!("{k:.4}"));
    let _ = writeln!(
        out,
        "NMI {:.4}  adjusted Rand {:.4}  Cohen's kappa {kappa}  accuracy {:.4}",
        a.nmi, a.ari, a.accuracy
    );
    let _ = writeln!(
        out,
        "macro F1 {:.4}  micro precision {:.4} recall {:.4} F1 {:.4}",
        a.macro_f1, a.micro.precision, a.micro.recall, a.micro.f1
    );
    let _ = writeln!(
        out,
        "\ntheme   size  overlap  precision  recall     F1  support  matched code  <-  theme label"
    );
    for m in &a.matches {
        let label = labels.get(&m.theme).map_or("", String::as_str);
        let _ = writeln!(
            out,
            "{:>5}  {:>5}  {:>7}  {:>9.3}  {:>6.3}  {:>5.3}  {:>7}  {}  <-  {label}",
            m.theme, m.theme_size, m.overlap, m.precision, m.recall, m.f1, m.support, m.code
        );
    }
    for t in &a.unmatched_themes {
        let label = labels.get(&t.theme).map_or("", String::as_str);
        let _ = writeln!(out, "{:>5}  {:>5}  no code matched  <-  {label}", t.theme, t.size);
    }
    for c in &a.unmatched_codes {
        let _ = writeln!(
            out,
            "    -      -        -          -       -      -  {:>7}  {}",
            c.support, c.code
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[(&str, Option<u32>)]) -> Vec<(String, Option<u32>)> {
        v.iter().map(|(i, t)| ((*i).to_owned(), *t)).collect()
    }

    fn codes(v: &[(&str, &str)]) -> Vec<(String, Vec<String>)> {
        v.iter().map(|(i, c)| ((*i).to_owned(), split_codes(c, "|"))).collect()
    }

    #[test]
    fn joins_by_id_and_counts_what_is_left_out() {
        let a = ids(&[("a", Some(0)), ("b", Some(0)), ("c", Some(1)), ("d", Some(1)), ("e", None)]);
        let c = codes(&[
            ("d", "Parking"),
            ("a", "Staff"),
            ("b", "Staff | Parking"),
            ("c", "Parking"),
            ("e", "Staff"),
            ("zz", "Staff"),
            ("f", " "),
        ]);
        let v = validate(&a, &c).unwrap();
        assert_eq!((v.coded, v.compared, v.unthemed, v.missing, v.blank), (7, 4, 1, 1, 1));
        assert_eq!(v.missing_examples, ["zz"]);
        // Theme 0 is Staff, theme 1 Parking: every compared response agrees.
        assert_eq!(v.agreement.matched_code(0), Some("Staff"));
        assert_eq!(v.agreement.matched_code(1), Some("Parking"));
        assert_eq!(v.agreement.accuracy, 1.0);
        let report = validation_report(&v, &BTreeMap::from([(0, "staff".to_owned())]));
        assert!(report.contains("7 coded responses: 4 compared, 1 without a theme"), "{report}");
    }

    #[test]
    fn codes_of_one_id_on_several_rows_merge() {
        let a = ids(&[("a", Some(0)), ("b", Some(1))]);
        let c = codes(&[("a", "X"), ("a", "Y|X"), ("b", "Y")]);
        let v = validate(&a, &c).unwrap();
        assert_eq!(v.coded, 2);
        assert_eq!(v.agreement.n_single_coded, 1);
    }

    #[test]
    fn nothing_in_common_is_an_error_naming_the_join() {
        let a = ids(&[("a", Some(0))]);
        let err = validate(&a, &codes(&[("x", "Staff")])).unwrap_err().to_string();
        assert!(err.contains("none of the 1 coded response ids"), "{err}");
        let dup = ids(&[("a", Some(0)), ("a", Some(1))]);
        let err = validate(&dup, &codes(&[("a", "Staff")])).unwrap_err().to_string();
        assert!(err.contains("\"a\" appears more than once"), "{err}");
    }

    #[test]
    fn split_codes_trims_and_drops_empty() {
        assert_eq!(split_codes(" a | b ||c", "|"), ["a", "b", "c"]);
        assert_eq!(split_codes("a|b", ""), ["a|b"]);
        assert!(split_codes("  ", "|").is_empty());
    }
}
