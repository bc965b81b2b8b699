//! Public-API tests of suggestion detection: consultation-style sentences written for these
//! tests, actor and action extraction, text splitting, and the measured F1 on the held-back
//! part of the SemEval-2019 Task 9 forum sentences (read from `../shared`, never copied).

use std::path::PathBuf;

use proptest::prelude::*;
use thematic_themes::suggest::{
    Confusion, Cue, CueWeights, Family, SuggestError, SuggestionDetector,
};

/// Hand-written health-policy consultation sentences: (is a suggestion, sentence). Not
/// drawn from any data set; half suggest something, half report, describe or ask.
const CONSULTATION: &[(bool, &str)] = &[
    (true, "NHS England should publish a national incident dashboard."),
    (true, "Trusts need to fund clinical safety officers."),
    (true, "Suppliers must share hazard logs with trusts."),
    (true, "Please provide training for all staff."),
    (true, "Stop making clinicians fill in duplicate forms."),
    (true, "The government ought to set a clear deadline for interoperability."),
    (true, "We recommend that trusts appoint a chief clinical information officer."),
    (true, "It would be helpful if the guidance included worked examples."),
    (true, "Ensure that patients can see who has accessed their record."),
    (true, "There should be a single national standard for incident reporting."),
    (true, "I would like to see more funding for community pharmacies."),
    (true, "Consider extending the consultation period to twelve weeks."),
    (true, "Commissioners could pool budgets across neighbouring areas."),
    (true, "Do not introduce new reporting requirements without extra staff."),
    (true, "Why not let patients book GP appointments online?"),
    (true, "More investment in mental health services for young people."),
    (true, "My suggestion is to publish waiting times for every hospital."),
    (true, "Local authorities have a key role and should be consulted early."),
    (true, "Regulators must be given powers to fine suppliers that do not comply."),
    (true, "Make the complaints process simpler and faster."),
    (true, "I wish the app allowed carers to manage appointments."),
    (true, "Give pharmacists access to the full patient record."),
    (false, "I had to wait three hours in A&E last week."),
    (false, "The current system works well for most patients."),
    (false, "Our trust introduced electronic prescribing in 2019."),
    (false, "Staff often have to re-enter the same information twice."),
    (false, "Many nurses told us they feel overwhelmed by alerts."),
    (false, "How do I find out which hospital has the shortest wait?"),
    (false, "The consultation document was published in March."),
    (false, "I have been a carer for my mother for ten years."),
    (false, "Thank you for the opportunity to respond."),
    (false, "We are a small charity supporting people with dementia."),
    (false, "The new referral system should have been ready last year."),
    (false, "Patients were not told about the changes."),
    (false, "It should work, but it doesn't load on older computers."),
    (false, "The waiting list has grown by twenty percent since 2020."),
    (false, "Most of our members agreed with the proposal."),
    (false, "I was discharged without any follow-up appointment."),
    (false, "Currently there is no way to see test results online."),
    (false, "Community services are under enormous pressure."),
    (false, "Should I contact my GP or the hospital about my results?"),
    (false, "Funding was cut again this year."),
    (false, "The pilot in our area reduced missed appointments."),
    (false, "Our staff could not access the system during the outage."),
];

#[test]
fn generalises_to_consultation_sentences() {
    let d = SuggestionDetector::default();
    let mut c = Confusion::default();
    for &(label, s) in CONSULTATION {
        let got = d.detect(s);
        if got.is_suggestion != label {
            println!("miss: expected {label}, score {:.2}, {:?}: {s}", got.score, got.cues);
        }
        c.add(got.is_suggestion, label);
    }
    println!(
        "consultation sentences: accuracy {:.3}, precision {:.3}, recall {:.3}, F1 {:.3} (n = {})",
        c.accuracy(),
        c.precision(),
        c.recall(),
        c.f1(),
        c.n()
    );
    assert_eq!(c.n(), 44);
    assert!(c.accuracy() >= 0.9, "accuracy {:.3}", c.accuracy());
}

#[track_caller]
fn check(sentence: &str, pattern: &str, actor: Option<&str>, action: Option<&str>) {
    let d = SuggestionDetector::default().detect(sentence);
    assert!(d.is_suggestion, "not detected ({:.2}, {:?}): {sentence}", d.score, d.cues);
    assert_eq!(d.pattern, Some(pattern), "{sentence}");
    assert_eq!(d.actor.as_deref(), actor, "{sentence}");
    assert_eq!(d.action.as_deref(), action, "{sentence}");
}

#[test]
fn extracts_actor_and_action() {
    check(
        "NHS England should publish a national incident dashboard.",
        "modal:should",
        Some("NHS England"),
        Some("publish a national incident dashboard"),
    );
    check(
        "Trusts need to fund clinical safety officers.",
        "modal:need-to",
        Some("Trusts"),
        Some("fund clinical safety officers"),
    );
    check(
        "Suppliers must share hazard logs with trusts.",
        "modal:must",
        Some("Suppliers"),
        Some("share hazard logs with trusts"),
    );
    check(
        "I think the suppliers really should share their hazard logs, because trusts cannot.",
        "modal:should",
        Some("the suppliers"),
        Some("share their hazard logs"),
    );
    // A pronoun subject names no one: no actor, and never the words of the clause before it.
    check(
        "They need to tell patients when AI is used in their care.",
        "modal:need-to",
        None,
        Some("tell patients when AI is used in their care"),
    );
    check(
        "Family doctors should see discharge letters the same day.",
        "modal:should",
        Some("Family doctors"),
        Some("see discharge letters the same day"),
    );
    check(
        "Please provide training for all staff.",
        "imperative",
        None,
        Some("provide training for all staff"),
    );
    check(
        "Stop making clinicians fill in duplicate forms.",
        "negated-imperative:stop",
        None,
        Some("stop making clinicians fill in duplicate forms"),
    );
    check(
        "Do not introduce new reporting requirements without extra staff.",
        "negated-imperative:do-not",
        None,
        Some("do not introduce new reporting requirements without extra staff"),
    );
    check(
        "There should be a single national standard for incident reporting.",
        "modal:should",
        None,
        Some("a single national standard for incident reporting"),
    );
    check(
        "We recommend that trusts appoint a chief clinical information officer.",
        "suggest-verb",
        Some("trusts"),
        Some("appoint a chief clinical information officer"),
    );
    check(
        "It would be helpful if trusts published their waiting times.",
        "it-would-be-good-if",
        Some("trusts"),
        Some("published their waiting times"),
    );
    check(
        "I would like to see more funding for community pharmacies.",
        "would-like",
        None,
        Some("see more funding for community pharmacies"),
    );
    check(
        "We recommend a national register of suppliers.",
        "suggest-verb",
        None,
        Some("a national register of suppliers"),
    );
    check(
        "It would be great if NHS trusts published their waiting lists.",
        "it-would-be-good-if",
        Some("NHS trusts"),
        Some("published their waiting lists"),
    );
    check(
        "It is essential that patient data is protected.",
        "important-that",
        None,
        Some("patient data is protected"),
    );
    check(
        "How about a national helpline for carers?",
        "how-about",
        None,
        Some("a national helpline for carers"),
    );
    // A passive: what is acted on is not the actor.
    check(
        "Funding for hospices should be increased.",
        "modal:should",
        None,
        Some("funding for hospices should be increased"),
    );
}

#[test]
fn reports_why_a_sentence_is_not_a_suggestion() {
    let d = SuggestionDetector::default();
    let past = d.detect("We should have been told about the changes.");
    assert!(!past.is_suggestion);
    assert!(past.cues.contains(Cue::PastModal));
    let how = d.detect("How do I change my GP?");
    assert!(!how.is_suggestion);
    assert!(how.cues.contains(Cue::HowQuestion));
    let fact = d.detect("I have been a carer for ten years.");
    assert!(!fact.is_suggestion);
    assert!(fact.cues.contains(Cue::FirstPersonState));
    assert_eq!(d.detect("").pattern, None);
    assert!(!d.detect("").is_suggestion);
    assert!(!d.detect("?!").is_suggestion);
}

#[test]
fn detect_text_splits_sentences_with_offsets() {
    let d = SuggestionDetector::default();
    let text =
        "The app keeps crashing. Please fix the login page.\nAlso trusts should publish outages.";
    let got = d.detect_text(text);
    assert_eq!(got.len(), 3);
    assert_eq!(&text[got[0].start..got[0].end], "The app keeps crashing.");
    assert!(!got[0].detection.is_suggestion);
    assert_eq!(&text[got[1].start..got[1].end], "Please fix the login page.");
    assert!(got[1].detection.is_suggestion);
    assert_eq!(got[1].detection.action.as_deref(), Some("fix the login page"));
    assert!(got[2].detection.is_suggestion);
    assert_eq!(got[2].detection.actor.as_deref(), Some("trusts"));
}

#[test]
fn families_and_threshold_change_the_decision() {
    let s = "Provide training for all staff.";
    let all = SuggestionDetector::default().detect(s);
    assert!(all.is_suggestion);
    let no_imp = SuggestionDetector::params().family(Family::Imperative, false).build().unwrap();
    let d = no_imp.detect(s);
    assert!(!d.is_suggestion);
    assert!(d.score < all.score);
    assert_eq!(d.pattern, None);
    // The cues are still reported, for transparency.
    assert!(d.cues.contains(Cue::Imperative));
    let strict = SuggestionDetector::params().threshold(0.999).build().unwrap();
    assert!(!strict.detect(s).is_suggestion);
    assert_eq!(
        SuggestionDetector::params().threshold(1.5).build().unwrap_err(),
        SuggestError::Threshold(1.5)
    );
}

#[test]
fn refitted_weights_are_used() {
    let w = CueWeights::new(-5.0, [(Cue::Wish, 10.0)]);
    let d = SuggestionDetector::params().weights(w).build().unwrap();
    assert!(d.detect("I wish it were open on Sundays.").is_suggestion);
    assert!(!d.detect("Provide training for all staff.").is_suggestion);
}

/// The held-back part of the protocol of `examples/eval_suggestions.rs`: FNV-1a 64 of the
/// text modulo 10 below 3.
fn held_back(text: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in text.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h % 10 < 3
}

#[test]
fn f1_on_held_back_forum_sentences() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/semeval2019-task9-suggestions/suggestions.csv");
    if !path.exists() {
        if std::env::var_os("THEMATIC_REQUIRE_SHARED").is_some() {
            panic!("THEMATIC_REQUIRE_SHARED is set but {} is missing", path.display());
        }
        println!("skipped: {} not found (set THEMATIC_REQUIRE_SHARED to fail)", path.display());
        return;
    }
    let mut r = csv::Reader::from_path(&path).expect("readable CSV");
    let headers = r.headers().expect("a header row").clone();
    let text = headers.iter().position(|h| h == "text").expect("a text column");
    let label = headers.iter().position(|h| h == "label").expect("a label column");
    let d = SuggestionDetector::default();
    let mut c = Confusion::default();
    for rec in r.records() {
        let rec = rec.expect("a well-formed row");
        let t = rec.get(text).unwrap_or_default();
        if held_back(t) {
            c.add(d.detect(t).is_suggestion, rec.get(label) == Some("1"));
        }
    }
    println!(
        "held back: precision {:.3} recall {:.3} F1 {:.3} accuracy {:.3} (n = {})",
        c.precision(),
        c.recall(),
        c.f1(),
        c.accuracy(),
        c.n()
    );
    assert!(c.n() > 2000, "{} held-back sentences", c.n());
    assert!(c.f1() >= 0.75, "F1 {:.3} below 0.75", c.f1());
}

/// Words that trigger the rules, mixed with punctuation and non-ASCII.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    "Trusts", "NHS", "England", "should", "must", "ought", "need", "needs", "to", "fund", "Please",
    "provide", "Stop", "don't", "Do", "not", "never", "I", "we", "would", "it'd", "like", "be",
    "good", "helpful", "if", "that", "recommend", "suggest", "there", "the", "staff", "really",
    "have", "had", "been", "why", "how", "about", "could", "you", "can", "and", "but", "because",
    ",", ".", "?", "!", ";", ":", "(", ")", "é", "😀", "re-enter", "Don’t", "É",
];

proptest! {
    #[test]
    fn rule_words_in_any_order_give_text_from_the_sentence(
        words in prop::collection::vec(prop::sample::select(PIECES), 0..30)
    ) {
        let text = words.join(" ");
        let d = SuggestionDetector::default();
        for s in d.detect_text(&text) {
            let sentence = text[s.start..s.end].to_lowercase();
            let det = &s.detection;
            for part in [&det.actor, &det.action].into_iter().flatten() {
                prop_assert!(!part.is_empty());
                prop_assert!(sentence.contains(&part.to_lowercase()), "{:?} not in {:?}", part, sentence);
            }
        }
    }

    #[test]
    fn any_text_gives_spans_inside_it_and_text_from_it(
        text in "[A-Za-z’' ,.;:!?()\\-\n\u{e9}\u{1F600}]{0,120}"
    ) {
        let d = SuggestionDetector::default();
        for s in d.detect_text(&text) {
            prop_assert!(s.start <= s.end && s.end <= text.len());
            prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            let det = &s.detection;
            prop_assert!(det.score > 0.0 && det.score < 1.0);
            prop_assert_eq!(det.is_suggestion, det.score >= d.threshold());
            let sentence = text[s.start..s.end].to_lowercase();
            for part in [&det.actor, &det.action].into_iter().flatten() {
                prop_assert!(sentence.contains(&part.to_lowercase()), "{:?} not in {:?}", part, sentence);
            }
        }
    }
}
