use serde::{Deserialize, Serialize};

/// Where a response came from: the input file and its 1-based record number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Provenance {
    /// The input file, as given by the caller.
    pub file: String,
    /// 1-based record number in that file, not counting the header.
    pub record: u64,
}

/// One free-text answer of a consultation.
///
/// The unit of analysis: a survey answer to one question, or a passage of a workshop or
/// interview transcript. Everything but `id` and `text` is optional because exports differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// Identifier of the response, unique within a corpus.
    pub id: String,
    /// Who gave it; several responses may share a respondent.
    pub respondent: Option<String>,
    /// Stakeholder group of the respondent (e.g. "Clinicians").
    pub group: Option<String>,
    /// The question answered, or the session of a transcript.
    pub question: Option<String>,
    /// How it reached the consultation: "survey", "workshop", "interview", ...
    pub channel: Option<String>,
    /// The free text; may be empty.
    pub text: String,
    /// Where it was read from.
    pub provenance: Option<Provenance>,
    /// Closed-question answers and other columns kept for cross-tabs, as (column, value) in
    /// the input's column order, e.g. ("Organisation type", "NHS trust").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<(String, String)>,
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
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The respondent, falling back to the response id when none is known, so that counts
    /// of distinct respondents never merge unrelated anonymous answers.
    pub fn respondent_or_id(&self) -> &str {
        self.respondent.as_deref().unwrap_or(&self.id)
    }
}
