use serde::{Deserialize, Serialize};
use thematic_core::ParamGuard;

use crate::error::TfidfParamsError;

/// A document-frequency limit: an absolute count of documents or a fraction of them, as
/// scikit-learn's integer and float `min_df` / `max_df`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum DocFreq {
    /// This many documents.
    Count(usize),
    /// This fraction of the documents.
    Fraction(f64),
}

impl DocFreq {
    /// The limit as a number of documents out of `n_docs`, rounded up for a lower bound
    /// (`lower = true`) and down for an upper bound.
    pub fn docs(self, n_docs: usize, lower: bool) -> usize {
        match self {
            DocFreq::Count(c) => c,
            DocFreq::Fraction(f) => {
                let x = f * n_docs as f64;
                (if lower { x.ceil() } else { x.floor() }) as usize
            }
        }
    }
}

/// Entry point of TF-IDF parameters.
#[derive(Debug, Clone, Copy)]
pub struct Tfidf;

impl Tfidf {
    /// Parameters with their defaults (see [`TfidfValidParams`]).
    pub fn params() -> TfidfParams {
        TfidfParams(TfidfValidParams::default())
    }
}

/// Validated TF-IDF parameters.
///
/// Terms are weighted `tf × idf` with `idf = ln((1 + n) / (1 + df)) + 1` (smooth, the default)
/// or `ln(n / df) + 1`, where `n` is the number of documents fitted and `df` a term's document
/// frequency; `tf` is the raw count or `1 + ln(count)` (sublinear). Rows are L2-normalised.
/// These match scikit-learn's `TfidfVectorizer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TfidfValidParams {
    min_df: DocFreq,
    max_df: DocFreq,
    max_features: Option<usize>,
    sublinear_tf: bool,
    smooth_idf: bool,
    threads: Option<usize>,
}

impl Default for TfidfValidParams {
    fn default() -> Self {
        TfidfValidParams {
            min_df: DocFreq::Count(1),
            max_df: DocFreq::Fraction(1.0),
            max_features: None,
            sublinear_tf: false,
            smooth_idf: true,
            threads: None,
        }
    }
}

impl TfidfValidParams {
    /// Terms in fewer documents are dropped. Default 1 document (keep all), as
    /// scikit-learn; thematic's pipeline uses 2, since a term seen once cannot tie two
    /// responses together.
    pub fn min_df(&self) -> DocFreq {
        self.min_df
    }

    /// Terms in more documents are dropped. Default all documents (keep all), as
    /// scikit-learn; thematic's pipeline uses half, since such terms are background (e.g.
    /// "NHS" in an NHS consultation), not themes.
    pub fn max_df(&self) -> DocFreq {
        self.max_df
    }

    /// Keep only this many terms, the most frequent in the corpus (ties by term).
    /// Default none: keep all.
    pub fn max_features(&self) -> Option<usize> {
        self.max_features
    }

    /// Whether tf is `1 + ln(count)`. Default `false`, as scikit-learn; thematic's pipeline
    /// uses `true`, so that repeating a word does not make it a response's theme.
    pub fn sublinear_tf(&self) -> bool {
        self.sublinear_tf
    }

    /// Whether idf is smoothed as if one extra document held every term. Default `true`.
    pub fn smooth_idf(&self) -> bool {
        self.smooth_idf
    }

    /// Threads for analysis, `None` for the default (see [`thematic_core::with_threads`]).
    pub fn threads(&self) -> Option<usize> {
        self.threads
    }
}

/// Unchecked TF-IDF parameters: consuming setters, validated by [`ParamGuard::check`] or when
/// fitting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[must_use]
pub struct TfidfParams(pub(crate) TfidfValidParams);

impl Default for TfidfParams {
    fn default() -> Self {
        Tfidf::params()
    }
}

impl TfidfParams {
    /// See [`TfidfValidParams::min_df`].
    pub fn min_df(mut self, v: DocFreq) -> Self {
        self.0.min_df = v;
        self
    }

    /// See [`TfidfValidParams::max_df`].
    pub fn max_df(mut self, v: DocFreq) -> Self {
        self.0.max_df = v;
        self
    }

    /// See [`TfidfValidParams::max_features`].
    pub fn max_features(mut self, v: Option<usize>) -> Self {
        self.0.max_features = v;
        self
    }

    /// See [`TfidfValidParams::sublinear_tf`].
    pub fn sublinear_tf(mut self, v: bool) -> Self {
        self.0.sublinear_tf = v;
        self
    }

    /// See [`TfidfValidParams::smooth_idf`].
    pub fn smooth_idf(mut self, v: bool) -> Self {
        self.0.smooth_idf = v;
        self
    }

    /// See [`TfidfValidParams::threads`].
    pub fn threads(mut self, v: Option<usize>) -> Self {
        self.0.threads = v;
        self
    }
}

impl ParamGuard for TfidfParams {
    type Checked = TfidfValidParams;
    type Error = TfidfParamsError;

    fn check_ref(&self) -> Result<&TfidfValidParams, TfidfParamsError> {
        let p = &self.0;
        if let DocFreq::Fraction(f) = p.min_df
            && !(0.0..=1.0).contains(&f)
        {
            return Err(TfidfParamsError::MinDf(f));
        }
        match p.max_df {
            DocFreq::Fraction(f) if !(f > 0.0 && f <= 1.0) => {
                return Err(TfidfParamsError::MaxDf(f));
            }
            DocFreq::Count(0) => return Err(TfidfParamsError::MaxDf(0.0)),
            _ => {}
        }
        if p.max_features == Some(0) {
            return Err(TfidfParamsError::MaxFeatures);
        }
        if p.threads == Some(0) {
            return Err(TfidfParamsError::Threads);
        }
        Ok(p)
    }

    fn check(self) -> Result<TfidfValidParams, TfidfParamsError> {
        self.check_ref()?;
        Ok(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_has_its_error() {
        let p = Tfidf::params;
        assert_eq!(p().min_df(DocFreq::Fraction(1.5)).check(), Err(TfidfParamsError::MinDf(1.5)));
        assert!(matches!(
            p().min_df(DocFreq::Fraction(f64::NAN)).check(),
            Err(TfidfParamsError::MinDf(_))
        ));
        assert_eq!(p().max_df(DocFreq::Fraction(0.0)).check(), Err(TfidfParamsError::MaxDf(0.0)));
        assert_eq!(p().max_df(DocFreq::Count(0)).check(), Err(TfidfParamsError::MaxDf(0.0)));
        assert_eq!(p().max_features(Some(0)).check(), Err(TfidfParamsError::MaxFeatures));
        assert_eq!(p().threads(Some(0)).check(), Err(TfidfParamsError::Threads));
        assert!(p().check().is_ok());
    }

    #[test]
    fn doc_freq_rounds_towards_the_safe_side() {
        assert_eq!(DocFreq::Fraction(0.5).docs(5, true), 3);
        assert_eq!(DocFreq::Fraction(0.5).docs(5, false), 2);
        assert_eq!(DocFreq::Count(7).docs(5, false), 7);
    }

    #[test]
    fn autotraits() {
        fn has<T: Send + Sync + Unpin>() {}
        has::<TfidfParams>();
        has::<TfidfValidParams>();
    }
}
