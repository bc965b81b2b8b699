//! What an analysis reports beyond its themes: stance per theme, ranked recommendations,
//! stakeholder cross-tabs, and the masking of personal data in everything quoted.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use thematic_core::Response;
use thematic_text::MaskerParams;
use thematic_themes::crosstab::{CrossTab, CrossTabSplit};
use thematic_themes::recommend::{
    GroupSizes, Recommendation, RecommendationOrder, Recommendations, SuggestionSentence,
};
use thematic_themes::stance::{Stance, StanceCounts, StanceDetector, StanceShares};
use thematic_themes::suggest::SuggestionDetector;
use thematic_themes::{Theme, ThemesError};

use crate::error::{Error, Result};

/// Runs `f` on a pool of `threads` threads.
fn with_threads<R: Send>(threads: Option<usize>, f: impl FnOnce() -> R + Send) -> Result<R> {
    thematic_core::with_threads(threads, f)
        .map_err(|e| Error::InvalidParameter { parameter: "threads", message: e.to_string() })
}

/// How recommendations are mined and cross-tabs published; part of
/// [`PipelineConfig`](crate::PipelineConfig).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FindingsConfig {
    /// Personal data masked in quotes and recommendations (e-mails, phones, postcodes, NHS
    /// numbers, personal URLs); `None` turns masking off. Default: every kind masked.
    pub mask: Option<MaskerParams>,
    /// Score from which a sentence is a suggestion, in `(0, 1)`; `None` for the detector's
    /// default.
    pub suggestion_threshold: Option<f32>,
    /// Order of the recommendations. Default [`RecommendationOrder::Balanced`]: each
    /// stakeholder group weighs the same.
    pub recommendation_order: RecommendationOrder,
    /// A recommendation reaches a group when at least this share of the group's respondents
    /// support it (its breadth counts such groups). Default 0.05.
    pub breadth_threshold: f64,
    /// Cross-tab cells below this many respondents are published as `"<5"`; 0 publishes
    /// every count. Default 5.
    pub min_cell: usize,
}

impl Default for FindingsConfig {
    fn default() -> Self {
        FindingsConfig {
            mask: Some(MaskerParams::default()),
            suggestion_threshold: None,
            recommendation_order: RecommendationOrder::default(),
            breadth_threshold: 0.05,
            min_cell: 5,
        }
    }
}

/// The findings of an analysis, computed by [`findings`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Findings {
    /// Stance shares of each theme's responses, by theme id.
    pub stance: Vec<StanceShares>,
    /// Sentences detected as suggestions, over all responses.
    pub suggestions: usize,
    /// Recommendations, ranked (texts masked as configured).
    pub recommendations: Vec<Recommendation>,
    /// Theme × stakeholder group, distinct respondents, over all responses.
    pub crosstab: CrossTab,
    /// The same split by question, when responses carry a question.
    pub crosstab_by_question: Option<CrossTab>,
    /// The same split by channel, when responses carry a channel.
    pub crosstab_by_channel: Option<CrossTab>,
    /// The same split by each attribute (closed question) the responses carry, in order of
    /// first appearance.
    pub crosstab_by_attribute: Vec<(String, CrossTab)>,
    /// The ranks of the recommendations each response supports, by response position,
    /// increasing.
    pub response_recommendations: Vec<Vec<usize>>,
}

/// The text of a suggestion sentence as a recommendation: without a leading list marker
/// ("2) ", "b. ", "- ", "• "), or `None` for a sentence that introduces a list ("The strategy
/// should:") — its items are the recommendations — or that has no letter or digit.
fn recommendation_text(sentence: &str) -> Option<&str> {
    let mut text = sentence.trim();
    if text.ends_with(':') || !text.chars().any(char::is_alphanumeric) {
        return None;
    }
    // Bullets.
    if let Some(rest) = text.strip_prefix(['-', '*', '•', '·', '–', '—', '▪', '◦']) {
        text = rest.trim_start();
    }
    // Enumerators of one or two digits or one lower-case letter, closed by ")" or ".", with an
    // optional opening "(": "1)", "(2)", "3.", "a)". A capital letter is left alone: "I. "
    // may be a word.
    let inner = text.strip_prefix('(').unwrap_or(text);
    let marker_len = inner
        .char_indices()
        .take_while(|(i, c)| *i < 2 && (c.is_ascii_digit() || (*i == 0 && c.is_ascii_lowercase())))
        .count();
    if marker_len > 0 {
        let after = &inner[marker_len..];
        let letter = inner.as_bytes()[0].is_ascii_lowercase();
        if let Some(rest) = after.strip_prefix([')', '.'])
            && (rest.is_empty() || rest.starts_with(char::is_whitespace))
            && !(letter && marker_len > 1)
        {
            text = rest.trim_start();
        }
    }
    text.chars().any(char::is_alphanumeric).then_some(text)
}

/// Computes stance, recommendations and cross-tabs of `responses` given their themes, and
/// masks the personal data of every text the themes and recommendations quote.
///
/// # Errors
/// An invalid parameter of `config`, or an error of a stage.
pub fn findings(
    responses: &[Response],
    assignments: &[Option<u32>],
    themes: &mut [Theme],
    config: &FindingsConfig,
    seed: u64,
    threads: Option<usize>,
) -> Result<Findings> {
    let mut detector = SuggestionDetector::params();
    if let Some(t) = config.suggestion_threshold {
        detector = detector.threshold(t);
    }
    let detector = detector.build().map_err(ThemesError::from)?;
    let masker =
        match &config.mask {
            Some(p) => Some(p.clone().build().map_err(|e| Error::InvalidParameter {
                parameter: "mask",
                message: e.to_string(),
            })?),
            None => None,
        };

    // One pass over the responses: each sentence is detected once, and the detections serve
    // both the response's stance and its suggestion sentences.
    let stance_reader = StanceDetector::new(detector.clone());
    let per_response: Vec<(Stance, Vec<SuggestionSentence>)> = with_threads(threads, || {
        responses
            .par_iter()
            .enumerate()
            .map(|(row, r)| {
                let detections = detector.detect_text(&r.text);
                let stance = stance_reader.read_detected(&r.text, &detections).stance;
                let sentences = detections
                    .into_iter()
                    .filter(|d| d.detection.is_suggestion)
                    .filter_map(|d| {
                        let text = recommendation_text(&r.text[d.start..d.end])?;
                        Some(SuggestionSentence {
                            text: text.to_owned(),
                            row,
                            respondent: r.respondent_or_id().to_owned(),
                            group: r.group.as_deref().map(String::from),
                            theme: assignments[row],
                            score: Some(f64::from(d.detection.score)),
                            actor: d.detection.actor,
                            action: d.detection.action,
                        })
                    })
                    .collect();
                (stance, sentences)
            })
            .collect()
    })?;
    let (stances, sentences): (Vec<Stance>, Vec<Vec<SuggestionSentence>>) =
        per_response.into_iter().unzip();
    let sentences: Vec<SuggestionSentence> = sentences.into_iter().flatten().collect();
    let mut counts = StanceCounts::by_theme(&stances, assignments).map_err(ThemesError::from)?;
    counts.resize(themes.len(), StanceCounts::default());
    let stance = counts.iter().map(StanceCounts::shares).collect();

    // Shares are of the respondents who answered something: a blank answer is no one's view.
    let sizes = GroupSizes::from_responses(responses.iter().filter(|r| !r.text.trim().is_empty()));
    let mut recommendations = Recommendations::params()
        .seed(seed)
        .threads(threads)
        .order(config.recommendation_order)
        .breadth_threshold(config.breadth_threshold)
        .rank(&sentences, &sizes)
        .map_err(ThemesError::from)?;

    let mut response_recommendations = vec![Vec::new(); responses.len()];
    for r in &recommendations {
        for &m in &r.members {
            let ranks: &mut Vec<usize> = &mut response_recommendations[sentences[m].row];
            if ranks.last() != Some(&r.rank) {
                ranks.push(r.rank);
            }
        }
    }
    for ranks in &mut response_recommendations {
        ranks.sort_unstable();
        ranks.dedup();
    }

    let crosstab = |split: CrossTabSplit| {
        CrossTab::params()
            .min_cell(config.min_cell)
            .split(split)
            .compute(responses, assignments)
            .map_err(|e| Error::from(ThemesError::from(e)))
    };
    let has = |f: fn(&Response) -> bool| responses.iter().any(f);
    let findings_crosstab = crosstab(CrossTabSplit::None)?;
    let by_question =
        if has(|r| r.question.is_some()) { Some(crosstab(CrossTabSplit::Question)?) } else { None };
    let by_channel =
        if has(|r| r.channel.is_some()) { Some(crosstab(CrossTabSplit::Channel)?) } else { None };
    let mut attributes: Vec<&str> = Vec::new();
    for r in responses {
        for (name, _) in &r.attributes {
            if !attributes.contains(&&**name) {
                attributes.push(name);
            }
        }
    }
    let by_attribute = attributes
        .into_iter()
        .map(|a| Ok((a.to_owned(), crosstab(CrossTabSplit::Attribute(a.to_owned()))?)))
        .collect::<Result<Vec<_>>>()?;

    if let Some(m) = &masker {
        let mask = |s: &mut String| {
            if let std::borrow::Cow::Owned(masked) = m.mask(s) {
                *s = masked;
            }
        };
        for theme in themes.iter_mut() {
            for q in &mut theme.quotes {
                mask(&mut q.text);
            }
        }
        for r in &mut recommendations {
            mask(&mut r.text);
            for p in &mut r.phrasings {
                mask(&mut p.text);
            }
            if let Some(a) = &mut r.actor {
                mask(a);
            }
        }
    }
    Ok(Findings {
        stance,
        suggestions: sentences.len(),
        recommendations,
        crosstab: findings_crosstab,
        crosstab_by_question: by_question,
        crosstab_by_channel: by_channel,
        crosstab_by_attribute: by_attribute,
        response_recommendations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_markers_are_not_part_of_a_recommendation() {
        for (input, want) in [
            (
                "2) Please set out where liability sits.",
                Some("Please set out where liability sits."),
            ),
            ("(3) Fund safety officers.", Some("Fund safety officers.")),
            ("12. Publish the register.", Some("Publish the register.")),
            ("b) Train staff.", Some("Train staff.")),
            ("- Train staff.", Some("Train staff.")),
            ("• Train staff", Some("Train staff")),
            ("I. would like training", Some("I. would like training")),
            ("2024 should be the year.", Some("2024 should be the year.")),
            ("3.5 million people need access.", Some("3.5 million people need access.")),
            ("In summary, the strategy should:", None),
            ("1) ", None),
            (" ... ", None),
        ] {
            assert_eq!(recommendation_text(input), want, "{input:?}");
        }
    }
}
