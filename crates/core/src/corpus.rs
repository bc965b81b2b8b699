use std::sync::Arc;

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

/// Where a response came from: the input file and its 1-based record number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Provenance {
    /// The input file, as given by the caller; shared by every response of the file.
    pub file: Arc<str>,
    /// 1-based record number in that file, not counting the header.
    pub record: u64,
}

/// One free-text answer of a consultation.
///
/// The unit of analysis: a survey answer to one question, or a passage of a workshop or
/// interview transcript. Everything but `id` and `text` is optional because exports differ.
///
/// The fields that repeat from response to response (respondent, group, question, channel,
/// the input file, attribute names and values) are `Arc<str>`: a million-row export holds
/// a handful of groups and questions, and an [`Interner`] makes each one allocation instead
/// of one per response, a third of the memory of an ingested export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// Identifier of the response, unique within a corpus.
    pub id: String,
    /// Who gave it; several responses may share a respondent.
    pub respondent: Option<Arc<str>>,
    /// Stakeholder group of the respondent (e.g. "Clinicians").
    pub group: Option<Arc<str>>,
    /// The question answered, or the session of a transcript.
    pub question: Option<Arc<str>>,
    /// How it reached the consultation: "survey", "workshop", "interview", ...
    pub channel: Option<Arc<str>>,
    /// The free text; may be empty.
    pub text: String,
    /// Where it was read from.
    pub provenance: Option<Provenance>,
    /// Closed-question answers and other columns kept for cross-tabs, as (column, value) in
    /// the input's column order, e.g. ("Organisation type", "NHS trust").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<(Arc<str>, Arc<str>)>,
}

impl Response {
    /// A response with only an id and a text.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Response {
            id: id.into(),
            respondent: None,
            group: None,
            question: None,
            channel: None,
            text: text.into(),
            provenance: None,
            attributes: Vec::new(),
        }
    }

    /// The value of attribute `name`, if the response has it.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| &**k == name).map(|(_, v)| &**v)
    }

    /// The respondent, falling back to the response id when none is known, so that counts
    /// of distinct respondents never merge unrelated anonymous answers.
    pub fn respondent_or_id(&self) -> &str {
        self.respondent.as_deref().unwrap_or(&self.id)
    }
}

/// Shares equal strings: [`Interner::intern`] returns the same `Arc<str>` for equal text, so
/// that a column of repeated values (groups, questions, channels) costs one allocation per
/// distinct value.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    seen: FxHashSet<Arc<str>>,
}

impl Interner {
    /// An empty interner.
    pub fn new() -> Self {
        Self::default()
    }

    /// The shared copy of `s`, made on first sight.
    pub fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(shared) = self.seen.get(s) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(s);
        self.seen.insert(Arc::clone(&shared));
        shared
    }

    /// How many distinct strings it holds.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interned_strings_are_shared() {
        let mut interner = Interner::new();
        let a = interner.intern("Clinicians");
        let b = interner.intern(&String::from("Clinicians"));
        let c = interner.intern("Patients");
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!((&*a, &*c, interner.len()), ("Clinicians", "Patients", 2));
    }
}
