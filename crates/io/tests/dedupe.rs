//! Screening of non-answers, exact duplicates and campaigns: the public API of
//! `thematic_io::dedupe`.

use std::collections::BTreeSet;
use std::time::Instant;

use proptest::prelude::*;
use thematic_io::dedupe::{
    Campaign, Dedupe, DedupeError, DedupeItem, DedupeParams, Duplicates, NON_ANSWERS, Screen,
    Verdict,
};

fn default() -> Dedupe {
    Dedupe::params().build().unwrap()
}

fn anon(text: &str) -> DedupeItem<'_> {
    DedupeItem::new(None, None, text)
}

// ---------------------------------------------------------------------------------------------
// Screening

#[test]
fn screen_keeps_real_short_answers() {
    let d = default();
    for text in [
        "Good",
        "Excellent",
        "Rude",
        "ok",
        "OK!",
        "Excellent service",
        "Very good",
        "All good",
        "Yes",
        "10",
        "Everything",
        "Nothing, all good",
        "No, the plan ignores rural areas",
        "Nothing excellent service",
        "None of the staff listened",
        "Not applicable to my trust because we have no digital records yet",
        "Très bien",
        "Sehr gut",
        "とても良い",
        "非常好",
        "Nada que añadir", // Spanish non-answer: only the analyst's list knows it.
        "Good 👍",
    ] {
        assert_eq!(d.screen(text), None, "{text:?}");
    }
}

#[test]
fn screen_finds_non_answers_in_any_case_and_punctuation() {
    let d = default();
    for text in [
        "N/A",
        "n/a",
        "N/a.",
        "na",
        "NA",
        "N / A",
        "N.A.",
        "n\\a",
        "none",
        "None.",
        "NONE!!",
        "nil",
        "Nil",
        "nothing",
        "Nothing.",
        "  nothing  ",
        "Nothing at all",
        "Nothing really",
        "Nothing, thank you.",
        "no",
        "No.",
        "No comment",
        "no comments",
        "No Comments.",
        "nothing to add",
        "Nothing to add.",
        "Nothing to add at this time",
        "nothing else",
        "not applicable",
        "Not Applicable",
        "none at the moment",
        "None at the moment.",
        "No further comments",
        "Don't know",
        "don’t know",
        "Dont know",
        "Did not answer",
        "Not sure",
        "-",
        ".",
        "?",
        "...",
        "--",
        "—",
        "*",
        "\"\"",
        "( )",
        "xxx",
    ] {
        assert_eq!(d.screen(text), Some(Screen::NonAnswer), "{text:?}");
    }
}

#[test]
fn screen_finds_empty_texts() {
    let d = default();
    for text in ["", " ", "   ", "\t\n", "\r\n  \r\n", "\u{00A0}", "\u{200B}", "\u{FEFF} \u{2060}"]
    {
        assert_eq!(d.screen(text), Some(Screen::Empty), "{text:?}");
    }
}

#[test]
fn screen_finds_too_short_texts() {
    let d = default();
    for text in ["x", "X.", "7", "a", "😀", "👍", "👍👍👍", "🙂 !"] {
        assert_eq!(d.screen(text), Some(Screen::TooShort), "{text:?}");
    }
    // A single CJK character counts as one character.
    assert_eq!(d.screen("好"), Some(Screen::TooShort));
}

#[test]
fn screen_order_and_switches() {
    // Off: the built-in list and the punctuation rule no longer apply; the length rule does.
    let d = Dedupe::params().non_answers(false).build().unwrap();
    assert_eq!(d.screen("N/A"), None);
    assert_eq!(d.screen("nothing to add"), None);
    assert_eq!(d.screen("-"), Some(Screen::TooShort));
    assert_eq!(d.screen("  "), Some(Screen::Empty));

    // min_chars 0 keeps anything visible that is not a non-answer.
    let d = Dedupe::params().min_chars(0).build().unwrap();
    assert_eq!(d.screen("x"), None);
    assert_eq!(d.screen("😀"), None);
    assert_eq!(d.screen("-"), Some(Screen::NonAnswer));
    assert_eq!(d.screen(""), Some(Screen::Empty));

    // A higher minimum.
    let d = Dedupe::params().min_chars(5).build().unwrap();
    assert_eq!(d.screen("Good"), Some(Screen::TooShort));
    assert_eq!(d.screen("Great"), None);
    assert_eq!(d.screen("N/A"), Some(Screen::NonAnswer));
}

#[test]
fn screen_matches_extra_non_answers_after_normalisation() {
    let d = Dedupe::params()
        .extra_non_answers(["Rien", "Nada que añadir", "as above", "see Q3"])
        .build()
        .unwrap();
    assert_eq!(d.extra_non_answers().len(), 4);
    for text in ["rien", "RIEN.", "Nada que AÑADIR", "As above.", "see q3", "SEE Q3!"] {
        assert_eq!(d.screen(text), Some(Screen::NonAnswer), "{text:?}");
    }
    for text in ["Rien à signaler sur la sécurité", "as above, and more staff"] {
        assert_eq!(d.screen(text), None, "{text:?}");
    }
    // The analyst's list applies with the built-in one off.
    let d = Dedupe::params().non_answers(false).extra_non_answers(["rien"]).build().unwrap();
    assert_eq!(d.screen("Rien!"), Some(Screen::NonAnswer));
    assert_eq!(d.screen("none"), None);
}

#[test]
fn every_built_in_non_answer_is_screened() {
    let d = default();
    for phrase in NON_ANSWERS {
        assert_eq!(d.screen(phrase), Some(Screen::NonAnswer), "{phrase:?}");
        assert_eq!(d.screen(&phrase.to_uppercase()), Some(Screen::NonAnswer), "{phrase:?}");
    }
}

#[test]
fn screen_reasons_display() {
    assert_eq!(Screen::Empty.to_string(), "empty");
    assert_eq!(Screen::NonAnswer.to_string(), "non-answer");
    assert_eq!(Screen::TooShort.to_string(), "too short");
    assert_eq!(Verdict::Keep.to_string(), "kept");
    assert_eq!(Verdict::ExactDuplicate { of: 0 }.to_string(), "exact duplicate");
    assert_eq!(
        Verdict::CampaignMember { campaign: 0, representative: 0 }.to_string(),
        "campaign member"
    );
}

// ---------------------------------------------------------------------------------------------
// Exact duplicates

#[test]
fn exact_duplicates_need_same_respondent_and_question() {
    let d = default();
    let items = [
        DedupeItem::new(Some("p1"), Some("q1"), "Good service."),
        DedupeItem::new(Some("p1"), Some("q1"), "good   SERVICE"), // same after normalisation
        DedupeItem::new(Some("p1"), Some("q2"), "Good service."),  // other question
        DedupeItem::new(Some("p2"), Some("q1"), "Good service."),  // other respondent
        DedupeItem::new(None, Some("q1"), "Good service."),        // anonymous
        DedupeItem::new(None, Some("q1"), "Good service."),        // another anonymous person
        DedupeItem::new(Some("p1"), Some("q1"), "Good service!"),  // third submission
        DedupeItem::new(Some("p1"), Some("q1"), "Good service, thanks."), // different text
        DedupeItem::new(Some("p3"), None, "Long wait."),
        DedupeItem::new(Some("p3"), None, "Long wait."), // no question on either: same question
        DedupeItem::new(Some("p3"), Some("q1"), "Long wait."), // a question vs none
    ];
    let found = d.duplicates(&items);
    use Verdict::{ExactDuplicate as Dup, Keep};
    assert_eq!(
        found.verdicts,
        [
            Keep,
            Dup { of: 0 },
            Keep,
            Keep,
            Keep,
            Keep,
            Dup { of: 0 },
            Keep,
            Keep,
            Dup { of: 8 },
            Keep
        ]
    );
    assert!(found.campaigns.is_empty());
    assert_eq!((found.kept(), found.exact_duplicates(), found.campaign_members()), (8, 3, 0));

    let off = Dedupe::params().exact_duplicates(false).build().unwrap().duplicates(&items);
    assert!(off.verdicts.iter().all(Verdict::is_keep));
}

#[test]
fn empty_input_gives_empty_result() {
    assert_eq!(default().duplicates(&[]), Duplicates::default());
}

// ---------------------------------------------------------------------------------------------
// Campaigns

const LETTER: &str = "I am writing to support the campaign for safer digital care in our \
    hospitals. Every trust should have a named clinical safety officer with protected time, \
    incidents involving software must be reported openly and quickly, and patients should be \
    told when a digital system contributed to harm. Staff need proper training before new \
    systems go live, and suppliers must fix known safety problems without extra charges.";

const OTHER_LETTER_SAME_TOPIC: &str = "Digital care in hospitals is not safe enough yet. I \
    think every trust needs a clinical safety officer, and software incidents should be \
    reported to patients openly. Training for staff on new systems is too short, and \
    suppliers charge trusts for fixing their own safety problems, which is wrong.";

fn letter_variants() -> Vec<String> {
    vec![
        format!("{LETTER} Yours sincerely, Jane Smith"),
        format!("{LETTER} Yours sincerely, Ahmed Khan"),
        LETTER.to_owned(),
        format!("{LETTER} My mother was harmed by a prescribing error."),
        format!("{LETTER} Yours sincerely, Jane Smith"),
    ]
}

/// The letter variants at positions 1, 3, 4, 6 and 8 among unrelated answers.
fn campaign_items(variants: &[String]) -> Vec<DedupeItem<'_>> {
    let filler = [
        "The waiting times for appointments are far too long and nobody explains why.",
        "I would like the app to show my test results sooner, with a clear explanation.",
        "Staff on the ward were kind but clearly overworked; please hire more nurses.",
        OTHER_LETTER_SAME_TOPIC,
    ];
    let resp = ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"];
    let mut texts: Vec<&str> = vec![""; 9];
    texts[0] = filler[0];
    texts[2] = filler[1];
    texts[5] = filler[2];
    texts[7] = filler[3];
    for (slot, v) in [1, 3, 4, 6, 8].into_iter().zip(variants) {
        texts[slot] = v;
    }
    texts.iter().zip(resp).map(|(t, r)| DedupeItem::new(Some(r), Some("q1"), t)).collect()
}

#[test]
fn five_variants_of_a_letter_are_one_campaign() {
    let variants = letter_variants();
    let items = campaign_items(&variants);
    let found = default().duplicates(&items);
    assert_eq!(found.campaigns.len(), 1, "{:#?}", found.campaigns);
    let c = &found.campaigns[0];
    assert_eq!(c.id, 0);
    assert_eq!(c.representative, 1);
    assert_eq!(c.members, [1, 3, 4, 6, 8]);
    assert_eq!(c.size, 5);
    assert_eq!(c.respondents, 5);
    assert!(c.mean_similarity >= 0.8 && c.mean_similarity < 1.0, "{}", c.mean_similarity);
    let member = Verdict::CampaignMember { campaign: 0, representative: 1 };
    assert_eq!(
        found.verdicts,
        [
            Verdict::Keep,
            Verdict::Keep,
            Verdict::Keep,
            member,
            member,
            Verdict::Keep,
            member,
            Verdict::Keep, // the other letter on the same topic
            member,
        ]
    );
    assert_eq!((found.kept(), found.campaign_members()), (5, 4));
}

#[test]
fn identical_copies_have_similarity_one() {
    let items: Vec<_> = ["a", "b", "c", "d"]
        .into_iter()
        .map(|r| DedupeItem::new(Some(r), Some("q1"), LETTER))
        .collect();
    let found = default().duplicates(&items);
    assert_eq!(found.campaigns.len(), 1);
    assert_eq!(found.campaigns[0].mean_similarity, 1.0);
    assert_eq!(found.campaigns[0].members, [0, 1, 2, 3]);
}

#[test]
fn two_copies_are_below_the_minimum_size() {
    let variants = letter_variants();
    let items: Vec<_> = variants[..2].iter().map(|t| anon(t)).collect();
    assert!(default().duplicates(&items).campaigns.is_empty());
    // With a minimum of 2 they are a campaign.
    let d = Dedupe::params().campaign_min_size(2).build().unwrap();
    let found = d.duplicates(&items);
    assert_eq!(found.campaigns.len(), 1);
    assert_eq!(found.campaigns[0].size, 2);
}

#[test]
fn a_different_letter_on_the_same_topic_is_not_merged() {
    let items: Vec<_> = [LETTER, OTHER_LETTER_SAME_TOPIC, LETTER, OTHER_LETTER_SAME_TOPIC, LETTER]
        .into_iter()
        .map(anon)
        .collect();
    let found = default().duplicates(&items);
    assert_eq!(found.campaigns.len(), 1);
    assert_eq!(found.campaigns[0].members, [0, 2, 4]);
    assert!(found.verdicts[1].is_keep() && found.verdicts[3].is_keep());
}

#[test]
fn exact_duplicates_do_not_count_towards_a_campaign() {
    let items = [
        DedupeItem::new(Some("p1"), Some("q1"), LETTER),
        DedupeItem::new(Some("p1"), Some("q1"), LETTER), // double submission
        DedupeItem::new(Some("p2"), Some("q1"), LETTER),
    ];
    let found = default().duplicates(&items);
    assert!(found.campaigns.is_empty());
    assert_eq!(found.verdicts[1], Verdict::ExactDuplicate { of: 0 });
    assert!(found.verdicts[2].is_keep());
}

#[test]
fn one_respondent_in_three_questions_is_not_a_campaign() {
    let items: Vec<_> = ["q1", "q2", "q3"]
        .into_iter()
        .map(|q| DedupeItem::new(Some("p1"), Some(q), LETTER))
        .collect();
    let found = default().duplicates(&items);
    assert!(found.campaigns.is_empty());
    // A fourth, fifth and sixth person make it one: 6 members, 4 respondents.
    let more: Vec<_> = items
        .iter()
        .copied()
        .chain(["p2", "p3", "p4"].map(|r| DedupeItem::new(Some(r), Some("q1"), LETTER)))
        .collect();
    let found = default().duplicates(&more);
    assert_eq!(found.campaigns.len(), 1);
    assert_eq!((found.campaigns[0].size, found.campaigns[0].respondents), (6, 4));
}

#[test]
fn short_identical_answers_are_not_campaigns() {
    let items: Vec<_> = (0..10).map(|_| anon("Very good service, thank you.")).collect();
    let found = default().duplicates(&items);
    assert!(found.campaigns.is_empty());
    assert!(found.verdicts.iter().all(Verdict::is_keep));
    // Unless the minimum number of words allows them.
    let d = Dedupe::params().campaign_min_words(3).build().unwrap();
    assert_eq!(d.duplicates(&items).campaigns[0].size, 10);
}

/// `n` distinct words starting at `from`: "w{from}" ...
fn words(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|k| format!("w{k}")).collect()
}

#[test]
fn chaining_does_not_merge_dissimilar_letters() {
    // Word sets (shingles of one word): A = w0..w49; B swaps w0..w4 for b0..b4 (Jaccard with
    // A 45/55 = 0.82); C also swaps w5..w9 for c0..c4 (0.82 with B, 40/60 = 0.67 with A).
    let a = words(0..50).join(" ");
    let mut b_words = words(5..50);
    b_words.extend((0..5).map(|k| format!("b{k}")));
    let b = b_words.join(" ");
    let mut c_words = words(10..50);
    c_words.extend((0..5).map(|k| format!("b{k}")));
    c_words.extend((0..5).map(|k| format!("c{k}")));
    let c = c_words.join(" ");
    let d = Dedupe::params().shingle(1).build().unwrap();
    // A, A, A, B, C, C, C from seven people.
    let texts = [&a, &a, &a, &b, &c, &c, &c];
    let items: Vec<_> = texts.iter().map(|t| anon(t)).collect();
    let found = d.duplicates(&items);
    let sets: Vec<_> = found.campaigns.iter().map(|c| c.members.clone()).collect();
    assert_eq!(sets, [vec![0, 1, 2, 3], vec![4, 5, 6]], "{:#?}", found.campaigns);
    assert!((found.campaigns[0].mean_similarity - (1.0 + 1.0 + 45.0 / 55.0) / 3.0).abs() < 1e-12);
    assert_eq!(found.verdicts[4], Verdict::Keep);

    // B, A, C: B is the representative; A and C both join it, since each is like B.
    let items: Vec<_> = [&b, &a, &c].iter().map(|t| anon(t)).collect();
    let found = d.duplicates(&items);
    assert_eq!(found.campaigns.len(), 1);
    assert_eq!(found.campaigns[0].members, [0, 1, 2]);
}

#[test]
fn campaigns_are_numbered_in_order_of_first_member() {
    let x = format!("{OTHER_LETTER_SAME_TOPIC} Thank you.");
    let texts = [OTHER_LETTER_SAME_TOPIC, LETTER, &x, LETTER, OTHER_LETTER_SAME_TOPIC, LETTER];
    let items: Vec<_> = texts.into_iter().map(anon).collect();
    let found = default().duplicates(&items);
    let got: Vec<_> = found.campaigns.iter().map(|c| (c.id, c.representative, c.size)).collect();
    assert_eq!(got, [(0, 0, 3), (1, 1, 3)]);
    assert_eq!(found.verdicts[5], Verdict::CampaignMember { campaign: 1, representative: 1 });
    assert_eq!(found.verdicts[2], Verdict::CampaignMember { campaign: 0, representative: 0 });
}

#[test]
fn campaigns_off() {
    let variants = letter_variants();
    let items = campaign_items(&variants);
    let found = Dedupe::params().campaigns(false).build().unwrap().duplicates(&items);
    assert!(found.campaigns.is_empty());
    assert!(found.verdicts.iter().all(Verdict::is_keep));
}

#[test]
fn similarity_one_groups_only_identical_shingle_sets() {
    let variants = letter_variants();
    let items = campaign_items(&variants);
    let d = Dedupe::params().campaign_similarity(1.0).campaign_min_size(2).build().unwrap();
    let found = d.duplicates(&items);
    // Only the two "Jane Smith" letters (items 1 and 8) are identical.
    assert_eq!(found.campaigns.len(), 1);
    assert_eq!(found.campaigns[0].members, [1, 8]);
}

#[test]
fn results_are_deterministic_and_clear_cases_do_not_depend_on_the_seed() {
    let variants = letter_variants();
    let items = campaign_items(&variants);
    let d = default();
    assert_eq!(d.duplicates(&items), d.duplicates(&items));
    let reference = d.duplicates(&items);
    for seed in [0, 1, 7, u64::MAX] {
        let other = Dedupe::params().seed(seed).build().unwrap().duplicates(&items);
        assert_eq!(other, reference, "seed {seed}");
    }
}

#[test]
fn results_do_not_depend_on_the_thread_count_or_blocks() {
    // Texts are hashed in parallel blocks of 65,536: a campaign and exact duplicates that
    // straddle blocks must be found as in one pass, whatever the threads.
    let variants = letter_variants();
    let texts: Vec<String> = (0..70_000)
        .map(|i| match i {
            10 | 40_000 | 65_535 | 65_536 | 69_999 => variants[i % 5].clone(),
            _ => format!("answer number {i} about waiting times and staff {}", i % 97),
        })
        .collect();
    let people: Vec<String> = (0..70_000).map(|i| format!("p{}", i % 60_000)).collect();
    let items: Vec<DedupeItem<'_>> =
        texts.iter().zip(&people).map(|(t, p)| DedupeItem::new(Some(p), Some("q1"), t)).collect();
    let d = default();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| d.duplicates(&items))
    };
    let one = run(1);
    assert_eq!(run(3), one);
    assert_eq!(one.campaigns.len(), 1, "{:?}", one.campaigns);
    assert_eq!(one.campaigns[0].members, [10, 40_000, 65_535, 65_536, 69_999]);
    // p0..p9999 answer twice, 60,000 apart: different texts, so no exact duplicates...
    assert_eq!(one.exact_duplicates(), 0);
    // ...unless the text is the same too.
    let mut again = items.clone();
    again.push(DedupeItem::new(Some(&people[65_537]), Some("q1"), &texts[65_537]));
    let found = d.duplicates(&again);
    assert_eq!(found.verdicts[70_000], Verdict::ExactDuplicate { of: 65_537 });
}

// ---------------------------------------------------------------------------------------------
// Parameters

#[test]
fn invalid_parameters_name_the_parameter() {
    let cases: Vec<(DedupeParams, &str)> = vec![
        (Dedupe::params().campaign_similarity(0.0), "campaign_similarity"),
        (Dedupe::params().campaign_similarity(1.5), "campaign_similarity"),
        (Dedupe::params().campaign_similarity(f64::NAN), "campaign_similarity"),
        (Dedupe::params().campaign_similarity(-0.2), "campaign_similarity"),
        (Dedupe::params().campaign_min_words(0), "campaign_min_words"),
        (Dedupe::params().campaign_min_size(1), "campaign_min_size"),
        (Dedupe::params().campaign_min_size(0), "campaign_min_size"),
        (Dedupe::params().shingle(0), "shingle"),
        (Dedupe::params().extra_non_answers(["ok", "--"]), "extra_non_answers"),
    ];
    for (params, name) in cases {
        let err = params.build().unwrap_err();
        assert!(err.to_string().contains(name), "{err} should name {name}");
    }
    assert!(matches!(
        Dedupe::params().campaign_similarity(2.0).build(),
        Err(DedupeError::CampaignSimilarity(v)) if v == 2.0
    ));
    assert!(matches!(
        Dedupe::params().campaign_min_size(1).build(),
        Err(DedupeError::CampaignMinSize(1))
    ));
    assert!(matches!(Dedupe::params().shingle(0).build(), Err(DedupeError::Shingle)));
    assert!(matches!(
        Dedupe::params().campaign_min_words(0).build(),
        Err(DedupeError::CampaignMinWords)
    ));
    assert!(matches!(
        Dedupe::params().extra_non_answers(["?!"]).build(),
        Err(DedupeError::ExtraNonAnswer(s)) if s == "?!"
    ));
}

#[test]
fn defaults_and_edges_are_valid() {
    let d = default();
    assert!(d.non_answers() && d.exact_duplicates() && d.campaigns());
    assert_eq!(d.min_chars(), 2);
    assert_eq!(d.campaign_min_words(), 10);
    assert_eq!(d.campaign_similarity(), 0.8);
    assert_eq!(d.campaign_min_size(), 3);
    assert_eq!(d.shingle(), 3);
    assert_eq!(d.seed(), 42);
    assert!(d.extra_non_answers().is_empty());
    for t in [1.0, 1e-9, 0.5] {
        assert!(Dedupe::params().campaign_similarity(t).build().is_ok(), "{t}");
    }
    assert!(Dedupe::params().campaign_min_size(2).shingle(1).campaign_min_words(1).build().is_ok());
    assert_eq!(DedupeParams::default(), Dedupe::params());
}

#[test]
fn params_deserialise_from_toml_with_defaults() {
    let p: DedupeParams =
        toml::from_str("campaign_similarity = 0.9\nextra_non_answers = [\"rien\"]\n").unwrap();
    let d = p.build().unwrap();
    assert_eq!(d.campaign_similarity(), 0.9);
    assert_eq!(d.campaign_min_size(), 3);
    assert_eq!(d.screen("Rien."), Some(Screen::NonAnswer));
    assert!(toml::from_str::<DedupeParams>("campaign_similarity = 0.9\nsimilarity = 1\n").is_err());
}

#[test]
fn types_are_send_and_sync() {
    fn check<T: Send + Sync + Unpin>() {}
    check::<Dedupe>();
    check::<DedupeParams>();
    check::<Duplicates>();
    check::<Campaign>();
    check::<DedupeError>();
}

// ---------------------------------------------------------------------------------------------
// Properties

/// Checks every invariant of a result against its input.
fn check_consistent(
    d: &Dedupe,
    items: &[DedupeItem<'_>],
    found: &Duplicates,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(found.verdicts.len(), items.len());
    prop_assert_eq!(
        found.kept() + found.exact_duplicates() + found.campaign_members(),
        items.len()
    );
    let mut in_campaign = BTreeSet::new();
    for (k, c) in found.campaigns.iter().enumerate() {
        prop_assert_eq!(c.id, k);
        prop_assert!(c.members.windows(2).all(|w| w[0] < w[1]), "members not increasing");
        prop_assert_eq!(c.members.first().copied(), Some(c.representative));
        prop_assert_eq!(c.size, c.members.len());
        prop_assert!(c.size >= d.campaign_min_size());
        prop_assert!(c.respondents >= d.campaign_min_size() && c.respondents <= c.size);
        prop_assert!(
            c.mean_similarity >= d.campaign_similarity() && c.mean_similarity <= 1.0,
            "mean similarity {}",
            c.mean_similarity
        );
        prop_assert_eq!(found.verdicts[c.representative], Verdict::Keep);
        if k > 0 {
            prop_assert!(found.campaigns[k - 1].representative < c.representative);
        }
        for &m in &c.members {
            prop_assert!(in_campaign.insert(m), "item {} in two campaigns", m);
            if m != c.representative {
                prop_assert_eq!(
                    found.verdicts[m],
                    Verdict::CampaignMember { campaign: k, representative: c.representative }
                );
            }
        }
    }
    for (i, v) in found.verdicts.iter().enumerate() {
        match *v {
            Verdict::Keep => {}
            Verdict::ExactDuplicate { of } => {
                prop_assert!(of < i);
                let first_is_duplicate =
                    matches!(found.verdicts[of], Verdict::ExactDuplicate { .. });
                prop_assert!(!first_is_duplicate, "item {} duplicates a duplicate", i);
                prop_assert!(!in_campaign.contains(&i));
                prop_assert!(items[i].respondent.is_some());
                prop_assert_eq!(items[i].respondent, items[of].respondent);
                prop_assert_eq!(items[i].question, items[of].question);
            }
            Verdict::CampaignMember { campaign, representative } => {
                let c = &found.campaigns[campaign];
                prop_assert_eq!(c.representative, representative);
                prop_assert!(c.members.binary_search(&i).is_ok());
            }
        }
    }
    Ok(())
}

const VOCAB: &[&str] = &[
    "staff", "care", "safety", "digital", "system", "patients", "the", "and", "to", "of", "we",
    "should", "training", "records", "wait", "time", "nurse", "doctor", "app", "data",
];

/// Texts drawn as: a copy of one of three templates with up to three word changes, random
/// words with punctuation and case noise, a short answer that repeats, or any characters.
fn arb_text() -> impl Strategy<Value = String> {
    let template = (0usize..3, prop::collection::vec((0usize..24, 0usize..20), 0..4)).prop_map(
        |(t, edits)| {
            let mut w: Vec<&str> =
                (0..24).map(|k| VOCAB[(k * (t + 3) + t) % VOCAB.len()]).collect();
            for (at, word) in edits {
                w[at] = VOCAB[word];
            }
            w.join(" ")
        },
    );
    let random = prop::collection::vec(0usize..VOCAB.len(), 0..30).prop_map(|ws| {
        ws.iter().enumerate().fold(String::new(), |mut s, (k, &w)| {
            if k > 0 {
                s.push_str(if k % 7 == 0 { ". " } else { " " });
            }
            s.push_str(if k % 5 == 0 { "NHS" } else { VOCAB[w] });
            s
        })
    });
    // Short answers that repeat, so that the same respondent sends some twice.
    let short = prop::sample::select(vec!["Good service.", "good SERVICE", "Long wait", "N/A"])
        .prop_map(String::from);
    prop_oneof![3 => template, 2 => random, 2 => short, 1 => "\\PC{0,20}"]
}

fn arb_items() -> impl Strategy<Value = Vec<(Option<u8>, Option<u8>, String)>> {
    prop::collection::vec(
        (prop::option::weighted(0.85, 0u8..4), prop::option::weighted(0.7, 0u8..2), arb_text()),
        0..40,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn verdicts_and_campaigns_are_consistent(
        raw in arb_items(),
        min_size in 2usize..4,
        similarity in prop::sample::select(vec![0.5, 0.8, 1.0]),
        shingle in 1usize..4,
        seed in any::<u64>(),
    ) {
        let names = ["p0", "p1", "p2", "p3", "p4"];
        let questions = ["q0", "q1"];
        let items: Vec<_> = raw
            .iter()
            .map(|(r, q, t)| DedupeItem::new(
                r.map(|r| names[r as usize]),
                q.map(|q| questions[q as usize]),
                t,
            ))
            .collect();
        let d = Dedupe::params()
            .campaign_min_size(min_size)
            .campaign_similarity(similarity)
            .campaign_min_words(5)
            .shingle(shingle)
            .seed(seed)
            .build()
            .unwrap();
        let found = d.duplicates(&items);
        check_consistent(&d, &items, &found)?;
        prop_assert_eq!(&d.duplicates(&items), &found);
    }

    #[test]
    fn screen_never_panics_and_visible_text_is_not_empty(text in "\\PC{0,40}|[ \\t\\n.,!?\\-]{0,8}") {
        let d = default();
        let s = d.screen(&text);
        if text.chars().any(char::is_alphanumeric) {
            prop_assert_ne!(s, Some(Screen::Empty));
        }
        if text.trim().is_empty() {
            prop_assert_eq!(s, Some(Screen::Empty));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scale

/// A small deterministic generator (xorshift64*), so the test needs no extra crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A gen_corpus-like corpus: 3,000 made-up words with Zipf-like frequencies, answers of about
/// 40 words in sentences, 3% copies of three campaign letters, 2% non-answers, 3 questions.
fn synthetic_corpus(n: usize) -> (Vec<String>, Vec<String>) {
    const SYLLABLES: &[&str] = &[
        "ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "de", "va", "shi", "mo", "ga", "lu", "fe",
        "zo", "bi", "ra", "te", "no",
    ];
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let vocab: Vec<String> = (0..3000)
        .map(|k| {
            let len = 1 + k % 3;
            (0..len).map(|j| SYLLABLES[(k / 7 + j * 13 + k) % SYLLABLES.len()]).collect::<String>()
                + &(k % 10).to_string()
        })
        .collect();
    let letters = [
        "I support the campaign for safer digital care. Every hospital should have a named \
         clinical safety officer and incidents must be reported openly.",
        "As a member of the patient voice network I ask that patients are involved in every \
         digital safety decision.",
        "Stop cutting funding for IT training. Staff need time to learn new systems safely.",
    ];
    let empty = ["", "N/A", "n/a", "No comment", "None", "-", "Nothing to add."];
    let mut texts = Vec::with_capacity(n);
    let mut respondents = Vec::with_capacity(n);
    for i in 0..n {
        respondents.push(format!("p{}", i / 3));
        let u = rng.below(100);
        if u < 2 {
            texts.push(empty[rng.below(empty.len())].to_owned());
        } else if u < 5 {
            texts.push(letters[rng.below(3)].to_owned());
        } else {
            let len = 10 + rng.below(60);
            let mut s = String::with_capacity(len * 6);
            for k in 0..len {
                // Zipf-like: the square of a uniform number favours the first words.
                let r = rng.below(1 << 16) as f64 / 65536.0;
                let w = &vocab[((r * r) * vocab.len() as f64) as usize];
                if k > 0 {
                    s.push_str(if k % 12 == 0 { ". " } else { " " });
                }
                s.push_str(w);
            }
            s.push('.');
            texts.push(s);
        }
    }
    (texts, respondents)
}

/// Timing at a million answers. Run alone, in release:
/// `cargo test --release -p thematic-io --test dedupe -- --ignored --nocapture`.
#[test]
#[ignore = "timing run at 1M answers; release build"]
fn a_million_answers() {
    let n = 1_000_000;
    let (texts, respondents) = synthetic_corpus(n);
    let questions = ["q1", "q2", "q3"];
    let d = default();

    let start = Instant::now();
    let screened: Vec<_> = texts.iter().map(|t| d.screen(t)).collect();
    let screen_time = start.elapsed();
    let items: Vec<_> = texts
        .iter()
        .zip(&respondents)
        .enumerate()
        .filter(|(i, _)| screened[*i].is_none())
        .map(|(i, (t, r))| DedupeItem::new(Some(r), Some(questions[i % 3]), t))
        .collect();
    let start = Instant::now();
    let found = d.duplicates(&items);
    let dup_time = start.elapsed();
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    println!(
        "{n} answers ({:.1} words each): screen {:.2?} ({} dropped), duplicates {:.2?} on {} \
         ({} exact, {} campaign members in {} campaigns: sizes {:?})",
        words as f64 / n as f64,
        screen_time,
        n - items.len(),
        dup_time,
        items.len(),
        found.exact_duplicates(),
        found.campaign_members(),
        found.campaigns.len(),
        found.campaigns.iter().map(|c| c.size).collect::<Vec<_>>(),
    );
    // The three letters, each sent by about 1% of answers.
    assert_eq!(found.campaigns.len(), 3);
    for c in &found.campaigns {
        assert!(c.size > n / 200, "{}", c.size);
        assert_eq!(c.mean_similarity, 1.0);
    }
}
