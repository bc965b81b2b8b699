use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use thematic_core::{CsrMatrix, ParamGuard};
use thematic_vectorize::Vocabulary;

use crate::error::{Result, ThemesError};

/// A term of a theme with its weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermWeight {
    /// The term as stored in the vocabulary (stems).
    pub term: String,
    /// Its readable form (most common surface forms).
    pub display: String,
    /// Mean TF-IDF weight over the theme's responses.
    pub weight: f64,
}

/// A representative response of a theme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// Row of the response in the labelled matrix.
    pub row: usize,
    /// The response's text.
    pub text: String,
    /// Cosine similarity of the response to the theme's centroid.
    pub similarity: f64,
}

/// A labelled theme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    /// Theme id: the cluster label.
    pub id: u32,
    /// A short readable label: the best terms joined by " / ".
    pub label: String,
    /// Number of responses in the theme.
    pub size: usize,
    /// Top terms, best first.
    pub top_terms: Vec<TermWeight>,
    /// Representative responses, most central first.
    pub quotes: Vec<Quote>,
}

/// Entry point of theme labelling.
#[derive(Debug, Clone, Copy)]
pub struct ThemeLabeller;

impl ThemeLabeller {
    /// Parameters with their defaults: 10 top terms, 3 of them in the label, 3 quotes.
    pub fn params() -> ThemeLabellerParams {
        ThemeLabellerParams { top_terms: 10, label_terms: 3, quotes: 3 }
    }
}

/// Parameters of theme labelling (validated on use).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[must_use]
pub struct ThemeLabellerParams {
    top_terms: usize,
    label_terms: usize,
    quotes: usize,
}

impl ParamGuard for ThemeLabellerParams {
    type Checked = ThemeLabellerParams;
    type Error = ThemesError;

    fn check_ref(&self) -> Result<&Self> {
        if self.top_terms == 0 {
            return Err(ThemesError::TopTerms);
        }
        if self.label_terms == 0 || self.label_terms > self.top_terms {
            return Err(ThemesError::LabelTerms {
                label_terms: self.label_terms,
                top_terms: self.top_terms,
            });
        }
        Ok(self)
    }

    fn check(self) -> Result<Self> {
        self.check_ref()?;
        Ok(self)
    }
}

impl ThemeLabellerParams {
    /// Number of top terms per theme, at least 1. Default 10.
    pub fn top_terms(mut self, n: usize) -> Self {
        self.top_terms = n;
        self.label_terms = self.label_terms.min(n.max(1));
        self
    }

    /// Number of top terms joined into the label, `1..=top_terms`. Default 3.
    pub fn label_terms(mut self, n: usize) -> Self {
        self.label_terms = n;
        self
    }

    /// Number of representative quotes per theme (0 for none). Default 3.
    pub fn quotes(mut self, n: usize) -> Self {
        self.quotes = n;
        self
    }

    /// Labels the themes `0..=max(labels)`; rows labelled `None` belong to no theme.
    ///
    /// # Errors
    /// Invalid parameters, or `labels` / `texts` not as long as `x` has rows.
    pub fn label<S: AsRef<str>>(
        &self,
        x: &CsrMatrix<f32>,
        labels: &[Option<u32>],
        vocabulary: &Vocabulary,
        texts: &[S],
    ) -> Result<Vec<Theme>> {
        self.check_ref()?;
        if labels.len() != x.n_rows() || texts.len() != x.n_rows() {
            return Err(ThemesError::Shape {
                what: format!(
                    "{} rows, {} labels, {} texts",
                    x.n_rows(),
                    labels.len(),
                    texts.len()
                ),
            });
        }
        if vocabulary.len() != x.n_cols() {
            return Err(ThemesError::Shape {
                what: format!("{} columns, {} vocabulary terms", x.n_cols(), vocabulary.len()),
            });
        }
        let k = labels.iter().flatten().max().map_or(0, |&m| m as usize + 1);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
        for (row, l) in labels.iter().enumerate() {
            if let Some(l) = l {
                members[*l as usize].push(row);
            }
        }
        Ok(members
            .iter()
            .enumerate()
            .map(|(id, rows)| self.theme(id as u32, rows, x, vocabulary, texts))
            .collect())
    }

    fn theme<S: AsRef<str>>(
        &self,
        id: u32,
        rows: &[usize],
        x: &CsrMatrix<f32>,
        vocabulary: &Vocabulary,
        texts: &[S],
    ) -> Theme {
        // The theme's summed TF-IDF, sparse: only the terms its rows hold.
        let mut sums: std::collections::HashMap<u32, f64> = std::collections::HashMap::new();
        for &r in rows {
            for (c, v) in x.row(r).iter() {
                *sums.entry(c).or_default() += f64::from(v);
            }
        }
        let mut terms: Vec<(u32, f64)> = sums.into_iter().collect();
        // Ties by term id keep labels deterministic.
        terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let norm = terms.iter().map(|t| t.1 * t.1).sum::<f64>().sqrt();
        let centroid: std::collections::HashMap<u32, f64> =
            terms.iter().map(|&(c, s)| (c, s / norm)).collect();
        let n = rows.len().max(1) as f64;
        let top_terms: Vec<TermWeight> = terms
            .iter()
            .take(self.top_terms)
            .map(|&(c, s)| TermWeight {
                term: vocabulary.term(c).to_owned(),
                display: vocabulary.display(c),
                weight: s / n,
            })
            .collect();
        let label = top_terms
            .iter()
            .take(self.label_terms)
            .map(|t| t.display.as_str())
            .collect::<Vec<_>>()
            .join(" / ");

        let mut scored: Vec<(usize, f64)> = rows
            .iter()
            .map(|&r| {
                let sim = x
                    .row(r)
                    .iter()
                    .map(|(c, v)| f64::from(v) * centroid.get(&c).copied().unwrap_or(0.0))
                    .sum::<f64>();
                (r, sim)
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut seen = HashSet::new();
        let quotes = scored
            .into_iter()
            .filter(|&(r, _)| {
                let key: String = texts[r]
                    .as_ref()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase();
                seen.insert(key)
            })
            .take(self.quotes)
            .map(|(row, similarity)| Quote {
                row,
                text: texts[row].as_ref().to_owned(),
                similarity,
            })
            .collect();
        Theme { id, label, size: rows.len(), top_terms, quotes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_has_its_error() {
        assert_eq!(ThemeLabeller::params().top_terms(0).check(), Err(ThemesError::TopTerms));
        assert_eq!(
            ThemeLabeller::params().top_terms(3).label_terms(4).check(),
            Err(ThemesError::LabelTerms { label_terms: 4, top_terms: 3 })
        );
        assert_eq!(
            ThemeLabeller::params().label_terms(0).check(),
            Err(ThemesError::LabelTerms { label_terms: 0, top_terms: 10 })
        );
    }
}
