//! Agreement of an analysis with human coding: how far the machine's themes agree with the
//! codes that analysts gave a sample of the same responses.
//!
//! [`agreement`] takes one theme per response and the human codes of each response (one or
//! several) and reports chance-corrected and per-theme scores after matching themes to codes
//! one to one so that as many responses as possible agree (the Kuhn–Munkres, or Hungarian,
//! algorithm, maximising the total overlap; any number of themes and codes).
//!
//! # Scores and multi-coded responses
//!
//! A coder may give a response several codes; the machine gives it one theme. Each score
//! treats that as follows (listed codes are de-duplicated, the first one being the
//! **primary** code):
//!
//! - **Matching**: the overlap of a theme and a code is the number of responses of the theme
//!   that carry the code among their codes. Matched pairs with no overlap are dropped, so their
//!   theme and code are reported as unmatched.
//! - **NMI, adjusted Rand, V-measure**: partition scores need one label per response, so they
//!   compare the themes with the **primary codes** of all responses (as
//!   [`normalized_mutual_info`](super::normalized_mutual_info) and friends, codes as the
//!   reference). [`Agreement::n_single_coded`] says how many responses this leaves
//!   unambiguous; when most are multi-coded, prefer the scores below.
//! - **Accuracy**: the share of responses whose theme is matched to **one of** their codes.
//! - **Cohen's kappa**: between the machine's labelling (each response labelled with its
//!   theme's matched code, or with its own unmatched theme, which no coder uses) and the
//!   coder's, where a multi-coded response takes the machine's code when it is among its
//!   codes and its primary code otherwise. Its observed agreement is the accuracy. This
//!   credits any matching code, so on multi-coded data kappa (and accuracy) lean optimistic:
//!   they measure agreement with *some* coder's reading, not with the coder's main one.
//! - **Precision, recall, F1** per matched theme, treating it as a classifier for its code:
//!   precision is the overlap over the theme's size, recall the overlap over the code's
//!   support (responses carrying the code in any position). A response with two codes can be
//!   found for one of them only, so recall leans pessimistic on multi-coded data; a perfect
//!   single-label machine cannot reach recall 1 there.
//! - **Macro F1** is the mean F1 over **all codes**, unmatched codes scoring 0, so a code that
//!   no theme captures lowers it; **micro** scores pool the matches: precision is the total
//!   overlap over the responses of matched themes, recall the total overlap over all
//!   (response, code) pairs.
//!
//! Themes left unmatched (more themes than codes, or a theme that shares no response with any
//! code still free) lower accuracy, kappa and recall; they are listed with their sizes so an
//! analyst can see whether they are noise or a reading the coders did not have.
//!
//! ```
//! use thematic_cluster::metrics::agreement::agreement;
//!
//! // Themes 7 and 3 are the coders' "cost" and "access", under other names.
//! let themes = [7, 7, 7, 3, 3, 3];
//! let codes = [
//!     vec!["cost"],
//!     vec!["cost"],
//!     vec!["access", "cost"], // double-coded: matched to "cost", counted as agreement
//!     vec!["access"],
//!     vec!["access"],
//!     vec!["cost"], // the machine disagrees here
//! ];
//! let a = agreement(&themes, &codes)?;
//! assert_eq!(a.matched_code(7), Some("cost"));
//! assert_eq!(a.matched_code(3), Some("access"));
//! assert!((a.accuracy - 5.0 / 6.0).abs() < 1e-12);
//! // Machine: cost ×3, access ×3; coder: cost ×3 (the double-coded one resolved to cost),
//! // access ×3. p_o = 5/6, p_e = 1/2, kappa = (5/6 − 1/2) / (1/2) = 2/3.
//! assert!((a.kappa.unwrap() - 2.0 / 3.0).abs() < 1e-12);
//! assert_eq!(a.n_single_coded, 5);
//! # Ok::<(), thematic_cluster::metrics::agreement::AgreementError>(())
//! ```

use std::collections::BTreeMap;

use pathfinding::prelude::{Matrix, kuhn_munkres};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::error::MetricsError;
use super::external::{VMeasure, contingency};

/// Errors of [`agreement`].
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum AgreementError {
    /// Themes and code lists differ in length.
    #[error("length mismatch: {n_themes} themes but {n_codes} code lists")]
    LengthMismatch {
        /// Themes given.
        n_themes: usize,
        /// Code lists given.
        n_codes: usize,
    },
    /// No response was given.
    #[error("no responses given: agreement needs at least one coded response")]
    Empty,
    /// A response has no code.
    #[error("response {index} has no code: pass only responses that were coded")]
    NoCodes {
        /// Position of the response.
        index: usize,
    },
    /// A response has an empty or all-blank code.
    #[error("response {index} has a blank code")]
    BlankCode {
        /// Position of the response.
        index: usize,
    },
    /// A clustering metric failed (not expected once the inputs are checked).
    #[error(transparent)]
    Metrics(#[from] MetricsError),
}

/// A theme matched to a code, scored as a classifier for that code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeMatch {
    /// The theme.
    pub theme: u32,
    /// The code it is matched to.
    pub code: String,
    /// Responses of the theme carrying the code: the true positives.
    pub overlap: usize,
    /// Responses in the theme.
    pub theme_size: usize,
    /// Responses carrying the code, in any position.
    pub support: usize,
    /// `overlap / theme_size`.
    pub precision: f64,
    /// `overlap / support`.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Share of the predictions that are right.
    pub precision: f64,
    /// Share of the coder's labels that are found.
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
}

/// A theme matched to no code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmatchedTheme {
    /// The theme.
    pub theme: u32,
    /// Responses in the theme.
    pub size: usize,
}

/// A code matched to no theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmatchedCode {
    /// The code.
    pub code: String,
    /// Responses carrying the code.
    pub support: usize,
}

/// How far a clustering agrees with human codes; see the [module docs](self) for how each
/// score treats multi-coded responses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// Responses compared.
    pub n_responses: usize,
    /// Responses with exactly one (distinct) code.
    pub n_single_coded: usize,
    /// Distinct themes.
    pub n_themes: usize,
    /// Distinct codes.
    pub n_codes: usize,
    /// Normalised mutual information of the themes and the primary codes (arithmetic mean,
    /// as scikit-learn), in `[0, 1]`.
    pub nmi: f64,
    /// Adjusted Rand index of the themes and the primary codes, at most 1, about 0 by chance.
    pub ari: f64,
    /// Homogeneity (each theme holds one primary code), completeness (each primary code falls
    /// in one theme) and V-measure.
    pub v_measure: VMeasure,
    /// Cohen's kappa of the matched labelling, at most 1, 0 at chance level; `None` when
    /// chance agreement is already total (machine and coder both use one same label).
    pub kappa: Option<f64>,
    /// Share of responses whose theme is matched to one of their codes.
    pub accuracy: f64,
    /// The matched pairs, by theme.
    pub matches: Vec<ThemeMatch>,
    /// Mean F1 over all codes, unmatched codes counting 0.
    pub macro_f1: f64,
    /// Scores pooled over all matches.
    pub micro: Scores,
    /// Themes matched to no code, by theme.
    pub unmatched_themes: Vec<UnmatchedTheme>,
    /// Codes matched to no theme, by name.
    pub unmatched_codes: Vec<UnmatchedCode>,
}

impl Agreement {
    /// The code a theme is matched to, if any.
    pub fn matched_code(&self, theme: u32) -> Option<&str> {
        self.matches.iter().find(|m| m.theme == theme).map(|m| m.code.as_str())
    }
}

/// Compares the theme of each response (`themes`) with its human codes (`codes`, one list per
/// response, the primary code first), after an optimal one-to-one matching of themes to codes.
///
/// Codes are compared as given (case and spacing matter; trim them first); a code repeated
/// within a response counts once. Themes are sorted by id and codes by name, so the result
/// does not depend on the order of the responses, except where two matchings tie for the
/// largest overlap (then the one found first for that order is kept).
///
/// # Errors
/// [`AgreementError::LengthMismatch`] if the slices differ in length,
/// [`AgreementError::Empty`] if they are empty, [`AgreementError::NoCodes`] for a response
/// with no code and [`AgreementError::BlankCode`] for an empty or blank code.
pub fn agreement<C, S>(themes: &[u32], codes: &[C]) -> Result<Agreement, AgreementError>
where
    C: AsRef<[S]>,
    S: AsRef<str>,
{
    if themes.len() != codes.len() {
        return Err(AgreementError::LengthMismatch {
            n_themes: themes.len(),
            n_codes: codes.len(),
        });
    }
    if themes.is_empty() {
        return Err(AgreementError::Empty);
    }
    // Distinct codes of each response, in the coder's order.
    let mut listed: Vec<Vec<&str>> = Vec::with_capacity(codes.len());
    for (index, response) in codes.iter().enumerate() {
        let mut distinct: Vec<&str> = Vec::new();
        for code in response.as_ref() {
            let code = code.as_ref();
            if code.trim().is_empty() {
                return Err(AgreementError::BlankCode { index });
            }
            if !distinct.contains(&code) {
                distinct.push(code);
            }
        }
        if distinct.is_empty() {
            return Err(AgreementError::NoCodes { index });
        }
        listed.push(distinct);
    }

    // Dense ids: codes by name, themes ascending.
    let code_index: BTreeMap<&str, usize> = {
        let mut names: BTreeMap<&str, usize> = listed.iter().flatten().map(|&c| (c, 0)).collect();
        for (i, id) in names.values_mut().enumerate() {
            *id = i;
        }
        names
    };
    let code_names: Vec<&str> = code_index.keys().copied().collect();
    let mut theme_ids = themes.to_vec();
    theme_ids.sort_unstable();
    theme_ids.dedup();
    let (n_themes, n_codes, n) = (theme_ids.len(), code_names.len(), themes.len());
    let theme_of: Vec<usize> =
        themes.iter().map(|t| theme_ids.partition_point(|id| id < t)).collect();
    let codes_of: Vec<Vec<usize>> =
        listed.iter().map(|cs| cs.iter().map(|c| code_index[c]).collect()).collect();

    // Overlaps, theme sizes and code supports.
    let mut overlap = vec![0usize; n_themes * n_codes];
    let mut theme_size = vec![0usize; n_themes];
    let mut support = vec![0usize; n_codes];
    for (&t, cs) in theme_of.iter().zip(&codes_of) {
        theme_size[t] += 1;
        for &c in cs {
            overlap[t * n_codes + c] += 1;
            support[c] += 1;
        }
    }
    let code_of_theme = optimal_matching(&overlap, n_themes, n_codes);

    // Partition scores against the primary codes.
    let primary: Vec<usize> = codes_of.iter().map(|cs| cs[0]).collect();
    let table = contingency(&primary, &theme_of)?;

    // Matches and their scores.
    let mut matches = Vec::new();
    let mut matched_code = vec![false; n_codes];
    let mut unmatched_themes = Vec::new();
    for (t, &id) in theme_ids.iter().enumerate() {
        match code_of_theme[t] {
            Some(c) => {
                matched_code[c] = true;
                let hits = overlap[t * n_codes + c];
                let s = scores(hits, theme_size[t], support[c]);
                matches.push(ThemeMatch {
                    theme: id,
                    code: code_names[c].to_owned(),
                    overlap: hits,
                    theme_size: theme_size[t],
                    support: support[c],
                    precision: s.precision,
                    recall: s.recall,
                    f1: s.f1,
                });
            }
            None => unmatched_themes.push(UnmatchedTheme { theme: id, size: theme_size[t] }),
        }
    }
    let unmatched_codes: Vec<UnmatchedCode> = (0..n_codes)
        .filter(|&c| !matched_code[c])
        .map(|c| UnmatchedCode { code: code_names[c].to_owned(), support: support[c] })
        .collect();
    let hits: usize = matches.iter().map(|m| m.overlap).sum();
    let predicted: usize = matches.iter().map(|m| m.theme_size).sum();
    let pairs: usize = support.iter().sum();
    let micro = scores(hits, predicted, pairs);
    let macro_f1 = matches.iter().map(|m| m.f1).sum::<f64>() / n_codes as f64;

    // Cohen's kappa. Labels 0..n_codes are codes; n_codes + t is unmatched theme t, which no
    // coder label equals.
    let mut machine = vec![0u64; n_codes + n_themes];
    let mut coder = vec![0u64; n_codes + n_themes];
    for (&t, cs) in theme_of.iter().zip(&codes_of) {
        let label = code_of_theme[t].unwrap_or(n_codes + t);
        machine[label] += 1;
        coder[if cs.contains(&label) { label } else { cs[0] }] += 1;
    }
    let kappa = cohen_kappa(hits as u64, &machine, &coder);

    Ok(Agreement {
        n_responses: n,
        n_single_coded: codes_of.iter().filter(|cs| cs.len() == 1).count(),
        n_themes,
        n_codes,
        nmi: table.normalized_mutual_info(),
        ari: table.adjusted_rand_index(),
        v_measure: table.homogeneity_completeness_v_measure(),
        kappa,
        accuracy: hits as f64 / n as f64,
        matches,
        macro_f1,
        micro,
        unmatched_themes,
        unmatched_codes,
    })
}

/// The code matched to each theme by a maximum-overlap one-to-one matching of the
/// `n_themes × n_codes` overlap table (row-major), or `None` for a theme left unmatched or
/// matched with no overlap.
///
/// `kuhn_munkres` assigns every row and needs no more rows than columns, so the table is
/// transposed when themes outnumber codes. O(max(n_themes, n_codes)³), negligible for the
/// dozens of themes and codes of a coding frame.
fn optimal_matching(overlap: &[usize], n_themes: usize, n_codes: usize) -> Vec<Option<usize>> {
    // Counts fit i64: each is at most the number of responses.
    let weight = |t: usize, c: usize| overlap[t * n_codes + c] as i64;
    let mut code_of_theme = vec![None; n_themes];
    if n_themes <= n_codes {
        let mut m = Matrix::new(n_themes, n_codes, 0i64);
        for t in 0..n_themes {
            for c in 0..n_codes {
                m[(t, c)] = weight(t, c);
            }
        }
        let (_, assigned) = kuhn_munkres(&m);
        for (t, c) in assigned.into_iter().enumerate() {
            code_of_theme[t] = Some(c);
        }
    } else {
        let mut m = Matrix::new(n_codes, n_themes, 0i64);
        for c in 0..n_codes {
            for t in 0..n_themes {
                m[(c, t)] = weight(t, c);
            }
        }
        let (_, assigned) = kuhn_munkres(&m);
        for (c, t) in assigned.into_iter().enumerate() {
            code_of_theme[t] = Some(c);
        }
    }
    // A pair that shares no response is no match, only the algorithm filling its assignment.
    for (t, code) in code_of_theme.iter_mut().enumerate() {
        if code.is_some_and(|c| overlap[t * n_codes + c] == 0) {
            *code = None;
        }
    }
    code_of_theme
}

/// Precision `hits / predicted`, recall `hits / actual` and their F1, each 0 when undefined.
fn scores(hits: usize, predicted: usize, actual: usize) -> Scores {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (precision, recall) = (ratio(hits, predicted), ratio(hits, actual));
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Scores { precision, recall, f1 }
}

/// Cohen's kappa from the number of agreements and the label counts of both raters:
/// `(p_o − p_e) / (1 − p_e)` with `p_o = agree / n` and `p_e = Σ_k machine_k coder_k / n²`,
/// computed as `(agree · n − Σ) / (n² − Σ)` in integers so that identical labellings give
/// exactly 1. `None` when `p_e = 1` (0/0, as scikit-learn's NaN).
fn cohen_kappa(agree: u64, machine: &[u64], coder: &[u64]) -> Option<f64> {
    let n: u64 = machine.iter().sum();
    let (n, agree) = (i128::from(n), i128::from(agree));
    let chance: i128 =
        machine.iter().zip(coder).map(|(&a, &b)| i128::from(a) * i128::from(b)).sum();
    let denominator = n * n - chance;
    (denominator != 0).then(|| (agree * n - chance) as f64 / denominator as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    /// Single-coded responses from `(theme, code, count)` blocks.
    fn blocks(spec: &[(u32, &'static str, usize)]) -> (Vec<u32>, Vec<Vec<&'static str>>) {
        let mut themes = Vec::new();
        let mut codes = Vec::new();
        for &(t, c, count) in spec {
            for _ in 0..count {
                themes.push(t);
                codes.push(vec![c]);
            }
        }
        (themes, codes)
    }

    #[test]
    fn kappa_computed_by_hand() {
        // 50 responses, two themes against yes/no codes:
        //             yes  no
        //   theme 0    20   5    (25)
        //   theme 1    10  15    (25)
        //              30  20
        // The matching keeps 0 → yes, 1 → no (overlap 35 against 15). p_o = 35/50 = 0.7,
        // p_e = (25·30 + 25·20) / 50² = 0.5, kappa = (0.7 − 0.5) / (1 − 0.5) = 0.4.
        let (themes, codes) =
            blocks(&[(0, "yes", 20), (0, "no", 5), (1, "yes", 10), (1, "no", 15)]);
        let a = agreement(&themes, &codes).unwrap();
        assert!(close(a.kappa.unwrap(), 0.4));
        assert!(close(a.accuracy, 0.7));
        assert_eq!((a.matched_code(0), a.matched_code(1)), (Some("yes"), Some("no")));
        // Theme 0 as a "yes" classifier: precision 20/25, recall 20/30, F1 = 2·0.8·⅔ / (0.8 + ⅔)
        // = 8/11. Theme 1 as "no": 15/25 and 15/20, F1 = 2·0.6·0.75 / 1.35 = 2/3.
        let m0 = &a.matches[0];
        assert_eq!((m0.theme, m0.overlap, m0.theme_size, m0.support), (0, 20, 25, 30));
        assert!(close(m0.precision, 0.8) && close(m0.recall, 2.0 / 3.0));
        assert!(close(m0.f1, 8.0 / 11.0));
        assert!(close(a.matches[1].f1, 2.0 / 3.0));
        assert!(close(a.macro_f1, (8.0 / 11.0 + 2.0 / 3.0) / 2.0));
        // Single-coded, everything matched: micro precision = recall = accuracy.
        assert!(close(a.micro.precision, 0.7) && close(a.micro.recall, 0.7));
        assert!(close(a.micro.f1, 0.7));
        assert_eq!((a.n_responses, a.n_single_coded, a.n_themes, a.n_codes), (50, 50, 2, 2));
        // The partition scores are the shared metrics on the same labels.
        let primary: Vec<&str> = codes.iter().map(|c| c[0]).collect();
        assert_eq!(a.nmi, super::super::normalized_mutual_info(&primary, &themes).unwrap());
        assert_eq!(a.ari, super::super::adjusted_rand_index(&primary, &themes).unwrap());
    }

    #[test]
    fn perfect_agreement_under_other_names() {
        let themes = [7, 7, 3, 3, 3, 9];
        let codes = [["x"], ["x"], ["y"], ["y"], ["y"], ["z"]];
        let a = agreement(&themes, &codes).unwrap();
        assert_eq!(a.kappa, Some(1.0));
        assert_eq!((a.accuracy, a.nmi, a.ari, a.macro_f1), (1.0, 1.0, 1.0, 1.0));
        assert_eq!(a.micro, Scores { precision: 1.0, recall: 1.0, f1: 1.0 });
        assert!(a.matches.iter().all(|m| m.precision == 1.0 && m.recall == 1.0 && m.f1 == 1.0));
        let pairs: Vec<(u32, &str)> =
            a.matches.iter().map(|m| (m.theme, m.code.as_str())).collect();
        assert_eq!(pairs, [(3, "y"), (7, "x"), (9, "z")]);
        assert!(a.unmatched_themes.is_empty() && a.unmatched_codes.is_empty());
    }

    #[test]
    fn matching_is_optimal_not_greedy() {
        //             a  b
        //   theme 0   5  4
        //   theme 1   4  0
        // Greedy takes 0 → a (5) and leaves 1 → b (0): 5 agreements. The optimum is 0 → b,
        // 1 → a: 8.
        let (themes, codes) = blocks(&[(0, "a", 5), (0, "b", 4), (1, "a", 4)]);
        let a = agreement(&themes, &codes).unwrap();
        assert_eq!((a.matched_code(0), a.matched_code(1)), (Some("b"), Some("a")));
        assert!(close(a.accuracy, 8.0 / 13.0));
    }

    #[test]
    fn more_themes_than_codes() {
        // Theme 2 is a split of "a" that the coders did not make.
        let (themes, codes) = blocks(&[(0, "a", 6), (2, "a", 3), (1, "b", 5), (1, "a", 1)]);
        let a = agreement(&themes, &codes).unwrap();
        assert_eq!(
            (a.matched_code(0), a.matched_code(1), a.matched_code(2)),
            (Some("a"), Some("b"), None)
        );
        assert_eq!(a.unmatched_themes, [UnmatchedTheme { theme: 2, size: 3 }]);
        assert!(a.unmatched_codes.is_empty());
        assert!(close(a.accuracy, 11.0 / 15.0));
        // "a": precision 6/6, recall 6/10; the unmatched theme's 3 responses are lost recall.
        assert!(close(a.matches[0].recall, 0.6));
        // Machine: a ×6, b ×6, theme-2 ×3; coder: a ×10, b ×5 (theme 1's "a" stays "a").
        // p_o = 11/15, p_e = (6·10 + 6·5 + 3·0) / 225 = 0.4, kappa = (11/15 − 0.4) / 0.6 = 5/9.
        assert!(close(a.kappa.unwrap(), 5.0 / 9.0));
        // Micro precision over matched themes only: 11/12; recall 11/15.
        assert!(close(a.micro.precision, 11.0 / 12.0) && close(a.micro.recall, 11.0 / 15.0));
    }

    #[test]
    fn fewer_themes_than_codes() {
        let (themes, codes) = blocks(&[(0, "a", 4), (0, "c", 1), (1, "b", 4), (1, "c", 2)]);
        let a = agreement(&themes, &codes).unwrap();
        assert_eq!((a.matched_code(0), a.matched_code(1)), (Some("a"), Some("b")));
        assert_eq!(a.unmatched_codes, [UnmatchedCode { code: "c".into(), support: 3 }]);
        // Macro F1 counts the unmatched code as 0. "a": P 4/5, R 1, F1 8/9; "b": P 4/6, R 1,
        // F1 0.8.
        assert!(close(a.macro_f1, (8.0 / 9.0 + 0.8) / 3.0));
    }

    #[test]
    fn a_pair_without_overlap_is_no_match() {
        //             a  b
        //   theme 0   5  1
        //   theme 1   2  0
        // The optimum, 0 → a + 1 → b = 5 (against 0 → b + 1 → a = 3), pairs theme 1 with "b",
        // with which it shares nothing: both are reported unmatched.
        let (themes, codes) = blocks(&[(0, "a", 5), (0, "b", 1), (1, "a", 2)]);
        let a = agreement(&themes, &codes).unwrap();
        assert_eq!(a.matches.len(), 1);
        assert_eq!((a.matches[0].theme, a.matches[0].code.as_str()), (0, "a"));
        assert_eq!(a.unmatched_themes, [UnmatchedTheme { theme: 1, size: 2 }]);
        assert_eq!(a.unmatched_codes, [UnmatchedCode { code: "b".into(), support: 1 }]);
        assert!(close(a.accuracy, 5.0 / 8.0));
        // Machine: a ×6, theme-1 ×2; coder: a ×7, b ×1. p_o = 5/8, p_e = 6·7 / 64 = 42/64,
        // kappa = (5·8 − 42) / (64 − 42) = −1/11: worse than chance.
        assert!(close(a.kappa.unwrap(), -1.0 / 11.0));
        // Macro F1 over both codes, "b" scoring 0. "a": P 5/6, R 5/7, F1 10/13.
        assert!(close(a.macro_f1, 10.0 / 13.0 / 2.0));
    }

    #[test]
    fn multi_coded_responses() {
        // r0 [a], r1 [b, a], r2 [b], r3 [b], r4 [a, b]; themes 0, 0, 1, 1, 1.
        // Overlaps: theme 0: a 2, b 1; theme 1: a 1, b 3 → 0 → a, 1 → b (5 against 2).
        let themes = [0, 0, 1, 1, 1];
        let codes = [vec!["a"], vec!["b", "a"], vec!["b"], vec!["b"], vec!["a", "b", "a"]];
        let a = agreement(&themes, &codes).unwrap();
        assert_eq!((a.matched_code(0), a.matched_code(1)), (Some("a"), Some("b")));
        assert_eq!(a.n_single_coded, 3);
        // Every response's matched code is among its codes.
        assert_eq!(a.accuracy, 1.0);
        assert_eq!(a.kappa, Some(1.0));
        // Supports count every position: a in r0 r1 r4 (3), b in r1..r4 (4). Theme 0: P 1,
        // R 2/3, F1 0.8; theme 1: P 1, R 3/4, F1 6/7.
        assert_eq!((a.matches[0].support, a.matches[1].support), (3, 4));
        assert!(close(a.matches[0].f1, 0.8) && close(a.matches[1].f1, 6.0 / 7.0));
        assert!(close(a.macro_f1, (0.8 + 6.0 / 7.0) / 2.0));
        // Micro: 5 hits of 5 predictions and 7 (response, code) pairs: F1 = 2·(5/7) / (12/7).
        assert!(close(a.micro.precision, 1.0) && close(a.micro.recall, 5.0 / 7.0));
        assert!(close(a.micro.f1, 10.0 / 12.0));
        // NMI and ARI use the primary codes a, b, b, b, a: not a perfect partition match.
        assert!(a.nmi < 1.0 && a.ari < 1.0);
        let primary = ["a", "b", "b", "b", "a"];
        assert_eq!(a.nmi, super::super::normalized_mutual_info(&primary, &themes).unwrap());
    }

    #[test]
    fn kappa_when_only_one_label_is_used() {
        // Machine and coder both use a single label: p_e = 1, kappa undefined.
        let a = agreement(&[4, 4, 4], &[["x"], ["x"], ["x"]]).unwrap();
        assert_eq!(a.kappa, None);
        assert_eq!((a.accuracy, a.nmi, a.ari), (1.0, 1.0, 1.0));
        // Agreement below chance is negative: the coder splits what the machine joins.
        let (themes, codes) = blocks(&[(0, "a", 1), (1, "a", 1), (0, "b", 1), (1, "b", 1)]);
        let k = agreement(&themes, &codes).unwrap().kappa.unwrap();
        assert!(close(k, 0.0), "{k}");
    }

    #[test]
    fn order_of_responses_does_not_change_scores() {
        let (themes, codes) = blocks(&[(2, "b", 3), (0, "a", 4), (2, "a", 1), (1, "c", 2)]);
        let a = agreement(&themes, &codes).unwrap();
        let mut pairs: Vec<(u32, Vec<&str>)> = themes.into_iter().zip(codes).collect();
        pairs.reverse();
        let (themes, codes): (Vec<u32>, Vec<Vec<&str>>) = pairs.into_iter().unzip();
        let b = agreement(&themes, &codes).unwrap();
        assert_eq!(a.matches, b.matches);
        assert!(close(a.kappa.unwrap(), b.kappa.unwrap()) && close(a.nmi, b.nmi));
    }

    #[test]
    fn errors() {
        let codes = [vec!["a"], vec!["b"]];
        assert_eq!(
            agreement(&[0], &codes),
            Err(AgreementError::LengthMismatch { n_themes: 1, n_codes: 2 })
        );
        let none: [Vec<&str>; 0] = [];
        assert_eq!(agreement(&[], &none), Err(AgreementError::Empty));
        assert_eq!(
            agreement(&[0, 1], &[vec!["a"], vec![]]),
            Err(AgreementError::NoCodes { index: 1 })
        );
        assert_eq!(
            agreement(&[0, 1], &[vec!["a", " "], vec!["b"]]),
            Err(AgreementError::BlankCode { index: 0 })
        );
    }

    #[test]
    fn owned_strings_are_accepted() {
        let codes: Vec<Vec<String>> = vec![vec!["a".into()], vec!["b".into(), "a".into()]];
        let a = agreement(&[0, 1], &codes).unwrap();
        assert_eq!(a.n_codes, 2);
    }

    #[test]
    fn serialises_to_json() {
        let a = agreement(&[0, 1], &[["a"], ["b"]]).unwrap();
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["kappa"], 1.0);
        assert_eq!(json["matches"][0]["code"], "a");
        let back: Agreement = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn autotraits() {
        fn has<T: Send + Sync + Unpin>() {}
        has::<Agreement>();
        has::<AgreementError>();
    }
}
