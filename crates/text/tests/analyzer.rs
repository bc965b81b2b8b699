//! Behaviour of the public text-analysis API.

use proptest::prelude::*;
use thematic_text::{Analyzer, Language, StopWords, TextError, TokenKind, sentences, tokenize};

fn terms(text: &str) -> Vec<String> {
    Analyzer::default().terms(text)
}

fn unigrams(text: &str) -> Vec<String> {
    Analyzer::builder().ngram_range(1, 1).build().unwrap().terms(text)
}

#[test]
fn empty_and_whitespace_only_text_give_nothing() {
    for text in ["", " ", "\n\t  \r\n", "\u{00a0}\u{2003}", "...!?", "-- * --"] {
        assert!(tokenize(text).is_empty(), "{text:?}");
        assert!(terms(text).is_empty(), "{text:?}");
        assert!(sentences(text).is_empty(), "{text:?}");
    }
}

#[test]
fn case_folding_and_apostrophes() {
    assert_eq!(unigrams("SAFETY Safety safety"), ["safeti", "safeti", "safeti"]);
    // Possessives drop their 's, curly or straight; contractions stay whole (and are stop words).
    assert_eq!(unigrams("NHS's NHS’s trust's"), ["nhs", "nhs", "trust"]);
    assert_eq!(Analyzer::default().normalize("Don’t"), "don't");
    assert!(unigrams("don't won’t can't shouldn't").is_empty());
    // Without stop words the contraction survives as one term.
    let bare = Analyzer::builder().stop_words(StopWords::none()).stemmer(None);
    assert_eq!(bare.ngram_range(1, 1).build().unwrap().terms("Don't"), ["don't"]);
}

#[test]
fn urls_emails_numbers_and_emoji_are_not_terms() {
    let text = "See https://www.england.nhs.uk/digital/ or www.example.org, mail jo.bloggs@example.org \
                about 2,500 alerts at 10:30 😡👍🏽 now";
    let kinds: Vec<_> = tokenize(text).into_iter().map(|t| (t.text, t.kind)).collect();
    assert!(kinds.contains(&("https://www.england.nhs.uk/digital/", TokenKind::Url)));
    assert!(kinds.contains(&("www.example.org", TokenKind::Url)));
    assert!(kinds.contains(&("jo.bloggs@example.org", TokenKind::Email)));
    assert!(kinds.contains(&("2,500", TokenKind::Number)));
    assert!(
        kinds.contains(&("10", TokenKind::Number)) && kinds.contains(&("30", TokenKind::Number))
    );
    assert!(kinds.iter().any(|&(t, k)| k == TokenKind::Emoji && t.starts_with('😡')));
    assert_eq!(unigrams(text), ["see", "mail", "alert"]);
    let with_numbers = Analyzer::builder().keep_numbers(true).ngram_range(1, 1).build().unwrap();
    assert!(with_numbers.terms(text).contains(&"2,500".to_string()));
}

#[test]
fn token_offsets_point_into_the_text() {
    let text = "Étude naïve – ﬁnal café’s 東京 résumé";
    for t in tokenize(text) {
        assert_eq!(&text[t.start..t.end], t.text);
    }
    assert_eq!(unigrams("Étude NAÏVE"), ["étude", "naïv"]);
}

#[test]
fn non_latin_scripts_are_words() {
    let t = tokenize("Здравствуйте мир Γειά σου");
    assert_eq!(t.len(), 4);
    assert!(t.iter().all(|t| t.kind == TokenKind::Word));
}

#[test]
fn bigrams_never_span_stop_words_punctuation_or_lines() {
    assert_eq!(
        terms("clinical safety of patients"),
        ["clinic", "safeti", "clinic safeti", "patient"]
    );
    assert_eq!(
        terms("alert fatigue. Staff training"),
        ["alert", "fatigu", "alert fatigu", "staff", "train", "staff train"]
    );
    assert_eq!(terms("fatigue\nstaff"), ["fatigu", "staff"]);
    assert_eq!(terms("fatigue, staff"), ["fatigu", "staff"]);
    // Hyphens and a plural possessive's apostrophe join words.
    assert_eq!(terms("patients' records"), ["patient", "record", "patient record"]);
    assert_eq!(terms("e-prescribing tool"), ["prescrib", "tool", "prescrib tool"]);
}

#[test]
fn trigrams_when_asked() {
    let a = Analyzer::builder().ngram_range(2, 3).build().unwrap();
    assert_eq!(
        a.terms("national incident reporting system"),
        [
            "nation incid",
            "incid report",
            "nation incid report",
            "report system",
            "incid report system",
        ]
    );
}

#[test]
fn stemmer_language_is_configurable() {
    let fr = Analyzer::builder()
        .stemmer(Some("French".parse().unwrap()))
        .stop_words(StopWords::none())
        .ngram_range(1, 1)
        .build()
        .unwrap();
    assert_eq!(fr.terms("continuité"), ["continu"]);
    assert!(matches!("klingon".parse::<Language>(), Err(TextError::UnknownLanguage(_))));
}

#[test]
fn invalid_params_are_rejected() {
    for (lo, hi) in [(0, 1), (2, 1), (1, 4)] {
        let r = Analyzer::builder().ngram_range(lo, hi).build();
        assert_eq!(r.err(), Some(TextError::NgramRange { min: lo, max: hi }));
    }
    assert_eq!(Analyzer::builder().min_chars(0).build().err(), Some(TextError::MinChars));
}

#[test]
fn surface_forms_are_counted_per_stem() {
    let a = Analyzer::default();
    let mut interner = a.interner();
    let mut ids = Vec::new();
    interner.add_text("Training, trained, TRAINING and training.", &mut ids);
    let mut forms: Vec<_> = interner.surface_forms().filter(|f| f.0 == "train").collect();
    forms.sort();
    assert_eq!(forms, [("train", "trained", 1), ("train", "training", 3)]);
}

#[test]
fn sentences_split_on_punctuation_and_lines() {
    let text = "Alerts are too many. Staff ignore them!  Why?\n\n• Fund training\r\n- Fix it";
    let s: Vec<_> = sentences(text).into_iter().map(|s| s.text).collect();
    assert_eq!(
        s,
        ["Alerts are too many.", "Staff ignore them!", "Why?", "Fund training", "Fix it"]
    );
    for s in sentences(text) {
        assert_eq!(&text[s.start..s.end], s.text);
    }
}

#[test]
fn analyzer_serde_round_trip_keeps_the_configuration() {
    let a = Analyzer::builder().ngram_range(1, 3).stop_words(StopWords::none().with(["x"]));
    let a = a.build().unwrap();
    let back: Analyzer = serde_json_like(&a);
    assert_eq!(back, a);
    assert_eq!(back.terms("x safety plan"), a.terms("x safety plan"));
}

fn serde_json_like(a: &Analyzer) -> Analyzer {
    // The analyzer serialises as its builder: rebuild through TryFrom.
    let cfg: thematic_text::AnalyzerBuilder = a.clone().into();
    cfg.build().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn analysis_never_panics_and_offsets_are_valid(text in "\\PC{0,200}") {
        let a = Analyzer::builder().ngram_range(1, 3).build().unwrap();
        let _ = a.terms(&text);
        let _ = a.words(&text);
        for t in tokenize(&text) {
            prop_assert_eq!(&text[t.start..t.end], t.text);
        }
        for s in sentences(&text) {
            prop_assert_eq!(&text[s.start..s.end], s.text);
            prop_assert!(!s.text.is_empty());
        }
    }

    #[test]
    fn bigrams_are_made_of_adjacent_unigrams(text in "[a-zA-Z ,.\n']{0,120}") {
        let a = Analyzer::default();
        let terms = a.terms(&text);
        let unis: Vec<&String> = terms.iter().filter(|t| !t.contains(' ')).collect();
        for t in terms.iter().filter(|t| t.contains(' ')) {
            let (x, y) = t.split_once(' ').unwrap();
            prop_assert!(unis.windows(2).any(|w| w[0] == x && w[1] == y), "{} from {:?}", t, text);
        }
    }
}
