//! Theme labels, phrases and quotes on small hand-made corpora.

use thematic_core::Response;
use thematic_text::Analyzer;
use thematic_themes::{Theme, ThemeLabeller, ThemeLabellerParams};
use thematic_vectorize::{DocFreq, Tfidf};

fn response(id: usize, respondent: &str, group: &str, text: &str) -> Response {
    let mut r = Response::new(id.to_string(), text);
    r.respondent = Some(respondent.into());
    r.group = Some(group.into());
    r.question = Some("Q1".into());
    r
}

fn label(
    params: ThemeLabellerParams,
    responses: &[Response],
    labels: &[Option<u32>],
) -> Vec<Theme> {
    let analyzer = Analyzer::default();
    let texts: Vec<&str> = responses.iter().map(|r| r.text.as_str()).collect();
    let (model, x) =
        Tfidf::params().min_df(DocFreq::Count(1)).fit_transform(&analyzer, &texts).unwrap();
    let refs: Vec<&Response> = responses.iter().collect();
    params.label(&x, labels, model.vocabulary(), &analyzer, &refs).unwrap()
}

/// Two themes: alert fatigue (rows 0-5) and staff training (rows 6-11); "system" is in both.
fn corpus() -> (Vec<Response>, Vec<Option<u32>>) {
    let texts = [
        "Alert fatigue means clinicians ignore the system warnings",
        "So many pop-ups cause alert fatigue on every ward round",
        "Alert fatigue is dangerous and the system keeps interrupting",
        "We suffer alert fatigue from constant alerts in the system",
        "Alert fatigue leads to missed warnings for patients",
        "Reduce alert fatigue by removing low value alerts",
        "Staff training on the new system was far too short",
        "We need proper staff training before any system goes live",
        "Staff training should be protected time for every nurse",
        "Staff training materials were out of date and confusing",
        "More staff training would make the rollout safer",
        "Staff training is the first thing cut when budgets are tight",
    ];
    let responses = texts
        .iter()
        .enumerate()
        .map(|(i, t)| response(i, &format!("p{i}"), if i % 2 == 0 { "A" } else { "B" }, t))
        .collect();
    let labels = (0..12).map(|i| Some(if i < 6 { 0 } else { 1 })).collect();
    (responses, labels)
}

#[test]
fn labels_lead_with_the_distinctive_phrase() {
    let (responses, labels) = corpus();
    let themes = label(ThemeLabeller::params(), &responses, &labels);
    assert!(themes[0].label.starts_with("alert fatigue"), "{}", themes[0].label);
    assert!(themes[1].label.starts_with("staff training"), "{}", themes[1].label);
    assert_eq!(themes[0].phrases[0].text, "alert fatigue");
    assert_eq!(themes[0].phrases[0].responses, 6);
    // "system" is used by both themes: it scores below the theme's own words.
    let system = themes[0].top_terms.iter().position(|t| t.term == "system");
    let fatigue = themes[0].top_terms.iter().position(|t| t.term == "fatigu").unwrap();
    assert!(system.is_none_or(|s| s > fatigue));
    assert_eq!(themes[0].top_terms[fatigue].share, 1.0);
    assert_eq!((themes[0].size, themes[0].respondents), (6, 6));
    assert_eq!(themes[0].nearest_theme, Some(1));
    assert!(themes[0].distinctiveness > 0.5 && themes[0].distinctiveness < 1.0);
}

#[test]
fn no_two_themes_share_a_label() {
    // Four themes, two of them about the same words: labels must still differ.
    let texts = [
        "waiting times for appointments are too long",
        "long waiting times for appointments again",
        "waiting times for appointments and phone queues",
        "waiting times for appointments at the clinic",
        "parking at the hospital is expensive",
        "hospital parking costs too much",
        "the food on the ward was cold",
        "cold food and no choice on the ward",
    ];
    let responses: Vec<Response> =
        texts.iter().enumerate().map(|(i, t)| response(i, &format!("p{i}"), "A", t)).collect();
    let labels = [0, 0, 1, 1, 2, 2, 3, 3].map(Some);
    for label_terms in [1, 2, 3] {
        let themes = label(ThemeLabeller::params().label_terms(label_terms), &responses, &labels);
        let mut seen = std::collections::HashSet::new();
        for t in &themes {
            assert!(seen.insert(t.label.to_lowercase()), "duplicate label {:?}", t.label);
        }
    }
    // Themes with identical texts can only be told apart by id.
    let same: Vec<Response> =
        (0..4).map(|i| response(i, "p", "A", "exactly the same words")).collect();
    let themes = label(ThemeLabeller::params(), &same, &[0, 0, 1, 1].map(Some));
    assert_ne!(themes[0].label, themes[1].label);
    assert!(themes[1].label.contains("theme 1"), "{}", themes[1].label);
}

#[test]
fn quotes_are_central_diverse_and_carry_their_respondent() {
    let mut responses = Vec::new();
    let campaign = "Alert fatigue is putting patients at risk every single day";
    for i in 0..5 {
        // A campaign: five people sending the same words.
        responses.push(response(i, &format!("c{i}"), "Public", campaign));
    }
    responses.push(response(
        5,
        "r5",
        "Clinicians",
        "Alert fatigue is putting patients at risk every day",
    ));
    responses.push(response(
        6,
        "r6",
        "Clinicians",
        "Too many alerts: alert fatigue hides real warnings",
    ));
    responses.push(response(
        7,
        "r6",
        "Clinicians",
        "Alert fatigue again, the alerts never stop coming",
    ));
    responses.push(response(8, "r8", "Managers", "Alert fatigue"));
    responses.push(response(9, "r9", "Managers", "We should tune alert thresholds to cut fatigue"));
    let labels = vec![Some(0); responses.len()];
    let themes = label(ThemeLabeller::params().quotes(4), &responses, &labels);
    let quotes = &themes[0].quotes;
    assert_eq!(quotes.len(), 4);
    let texts: Vec<&str> = quotes.iter().map(|q| q.text.as_str()).collect();
    // The campaign text appears once at most, and the near-copy of it is not quoted next to it.
    assert!(texts.iter().filter(|t| **t == campaign).count() <= 1);
    assert!(
        !(texts.contains(&campaign)
            && texts.contains(&"Alert fatigue is putting patients at risk every day"))
    );
    // The two-word fragment is not used while longer responses remain.
    assert!(!texts.contains(&"Alert fatigue"));
    // Respondent r6 is quoted twice only because no other substantive response is left:
    // with three quotes, once.
    assert_eq!(quotes.iter().filter(|q| q.respondent.as_deref() == Some("r6")).count(), 2);
    let three = label(ThemeLabeller::params().quotes(3), &responses, &labels);
    assert_eq!(three[0].quotes.iter().filter(|q| q.respondent.as_deref() == Some("r6")).count(), 1);
    // Ordered by similarity, with metadata.
    assert!(quotes.windows(2).all(|w| w[0].similarity >= w[1].similarity));
    for q in quotes {
        assert_eq!(responses[q.row].id, q.id);
        assert_eq!(q.group.as_deref(), responses[q.row].group.as_deref());
        assert_eq!(q.question.as_deref(), Some("Q1"));
    }
    // Asked for more quotes than there are: every distinct text but the near-copy.
    let themes = label(ThemeLabeller::params().quotes(100), &responses, &labels);
    assert_eq!(themes[0].quotes.len(), 5);
}

#[test]
fn unlabelled_rows_and_empty_themes() {
    let (responses, _) = corpus();
    let mut labels: Vec<Option<u32>> = vec![None; 12];
    labels[0] = Some(2);
    labels[1] = Some(2);
    let themes = label(ThemeLabeller::params(), &responses, &labels);
    assert_eq!(themes.len(), 3);
    assert_eq!(themes[0].size, 0);
    assert!(themes[0].quotes.is_empty() && themes[0].top_terms.is_empty());
    assert_eq!(themes[2].size, 2);
    // Every label is unique, the empty themes' too.
    assert_ne!(themes[0].label, themes[1].label);
}
