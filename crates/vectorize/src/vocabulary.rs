use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// The terms of a fitted model, with their statistics and readable forms.
///
/// Term ids are positions in lexicographic order of the term strings (stems joined by spaces),
/// so they depend only on the corpus, never on chunking or thread count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "VocabularyData", into = "VocabularyData")]
pub struct Vocabulary {
    data: VocabularyData,
    index: FxHashMap<String, u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct VocabularyData {
    terms: Vec<String>,
    df: Vec<u64>,
    counts: Vec<u64>,
    /// For each stem used by a term: its surface forms, most frequent first.
    surfaces: BTreeMap<String, Vec<(String, u64)>>,
}

impl From<VocabularyData> for Vocabulary {
    fn from(data: VocabularyData) -> Self {
        let index = data.terms.iter().enumerate().map(|(i, t)| (t.clone(), i as u32)).collect();
        Vocabulary { data, index }
    }
}

impl From<Vocabulary> for VocabularyData {
    fn from(v: Vocabulary) -> Self {
        v.data
    }
}

impl Vocabulary {
    /// Builds a vocabulary from sorted terms and their statistics. `surfaces` maps each stem
    /// of the terms to its (surface form, occurrences) pairs, in any order.
    pub(crate) fn new(
        terms: Vec<String>,
        df: Vec<u64>,
        counts: Vec<u64>,
        mut surfaces: BTreeMap<String, Vec<(String, u64)>>,
    ) -> Self {
        debug_assert!(terms.windows(2).all(|w| w[0] < w[1]));
        for forms in surfaces.values_mut() {
            forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        Vocabulary::from(VocabularyData { terms, df, counts, surfaces })
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.data.terms.len()
    }

    /// Whether there is no term.
    pub fn is_empty(&self) -> bool {
        self.data.terms.is_empty()
    }

    /// The terms, in id order.
    pub fn terms(&self) -> &[String] {
        &self.data.terms
    }

    /// Term `id` (stems joined by spaces).
    pub fn term(&self, id: u32) -> &str {
        &self.data.terms[id as usize]
    }

    /// The id of a term, if it is in the vocabulary.
    pub fn id(&self, term: &str) -> Option<u32> {
        self.index.get(term).copied()
    }

    /// Number of fitted documents holding term `id`.
    pub fn df(&self, id: u32) -> u64 {
        self.data.df[id as usize]
    }

    /// Occurrences of term `id` in the fitted documents.
    pub fn count(&self, id: u32) -> u64 {
        self.data.counts[id as usize]
    }

    /// Surface forms of a stem with their occurrences, most frequent first.
    pub fn surface_forms(&self, stem: &str) -> &[(String, u64)] {
        self.data.surfaces.get(stem).map_or(&[], Vec::as_slice)
    }

    /// The readable form of term `id`: each stem replaced by its most frequent surface form
    /// ("clinic safeti" → "clinical safety").
    pub fn display(&self, id: u32) -> String {
        self.term(id)
            .split(' ')
            .map(|stem| self.surface_forms(stem).first().map_or(stem, |(s, _)| s.as_str()))
            .collect::<Vec<_>>()
            .join(" ")
    }
}
