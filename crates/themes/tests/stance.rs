//! Public-API tests of stance cues, with hand-written consultation responses.

use thematic_themes::stance::{Stance, StanceCounts, StanceDetector, StanceError, StanceShares};

#[track_caller]
fn expect(text: &str, want: Stance) {
    let r = StanceDetector::default().read(text);
    assert_eq!(r.stance, want, "{text}\n{:#?}", r.cues);
}

#[test]
fn support() {
    expect("I agree with the proposal.", Stance::Support);
    expect("We strongly support option B.", Stance::Support);
    expect("The college welcomes the focus on patient safety.", Stance::Neutral);
    expect("We welcome the focus on patient safety.", Stance::Support);
    expect("Yes. This is a good idea and long overdue.", Stance::Support);
    expect("Our members are broadly in favour of the changes.", Stance::Support);
    expect("This is a step in the right direction.", Stance::Support);
    expect("Agreed.", Stance::Support);
    expect("Strongly agree.", Stance::Support);
}

#[test]
fn oppose() {
    expect("I disagree with the proposal.", Stance::Oppose);
    expect("Strongly disagree.", Stance::Oppose);
    expect("We oppose the closure of the walk-in centre.", Stance::Oppose);
    expect("I am strongly against this plan.", Stance::Oppose);
    expect("This will not work in rural areas.", Stance::Oppose);
    expect("We are concerned that waiting times will rise.", Stance::Oppose);
    expect("No. It is a bad idea.", Stance::Oppose);
    expect("The proposal should not go ahead.", Stance::Oppose);
    expect("It is unacceptable to cut community nursing further.", Stance::Oppose);
    // Opposing and proposing an alternative is still opposition.
    expect("I oppose this. Instead, fund more district nurses.", Stance::Oppose);
}

#[test]
fn negation_flips_support_and_opposition() {
    expect("I do not agree with this at all.", Stance::Oppose);
    expect("We cannot support the proposal as written.", Stance::Oppose);
    expect("I am not in favour.", Stance::Oppose);
    expect("It is not a good idea.", Stance::Oppose);
    expect("I don't disagree.", Stance::Support);
    expect("We have no objection to the merger.", Stance::Support);
    expect("We are not against the merger.", Stance::Support);
    // A negated concern is no stance; "not only" negates nothing.
    expect("I am not concerned about the timetable.", Stance::Neutral);
    expect("We support not only the aims but also the timetable.", Stance::Support);
}

#[test]
fn agreeing_with_an_objection_opposes() {
    expect("I agree that this will not work.", Stance::Oppose);
    expect("We agree with the concerns raised by the royal colleges.", Stance::Oppose);
}

#[test]
fn propose_change() {
    expect("I agree, but trusts should get more time to comply.", Stance::ProposeChange);
    expect("Please extend the deadline to 2027.", Stance::ProposeChange);
    expect("The threshold should be changed to 50 beds.", Stance::ProposeChange);
    expect("A national register would be better than local lists.", Stance::ProposeChange);
    expect("Use the existing NHS login rather than a new account.", Stance::ProposeChange);
}

#[test]
fn neutral() {
    expect("I am a practice nurse in Leeds.", Stance::Neutral);
    expect("Our trust has 4,000 staff across three sites.", Stance::Neutral);
    expect("", Stance::Neutral);
}

#[test]
fn cues_carry_spans_and_negation() {
    let text = "Overall I do not agree. We are concerned that costs will rise.";
    let r = StanceDetector::default().read(text);
    assert_eq!(r.stance, Stance::Oppose);
    let agree = &r.cues[0];
    assert_eq!((agree.pattern, agree.stance, agree.negated), ("agree", Stance::Oppose, true));
    assert_eq!(&text[agree.start..agree.end], "agree");
    let concern = &r.cues[1];
    assert_eq!(&text[concern.start..concern.end], "concerned");
    assert_eq!(concern.stance, Stance::Oppose);
}

#[test]
fn shares_per_theme() {
    let d = StanceDetector::default();
    let responses = [
        "I agree with the proposal.",
        "I disagree strongly.",
        "Please extend the deadline.",
        "I support this.",
        "I am a carer.",
    ];
    let labels = [Some(0), Some(0), Some(1), Some(1), None];
    let shares = d.shares_by_theme(&responses, &labels).unwrap();
    assert_eq!(shares.len(), 2);
    assert_eq!(shares[0].n, 2);
    assert_eq!((shares[0].support, shares[0].oppose), (0.5, 0.5));
    assert!(shares[0].is_mixed(0.3));
    assert_eq!((shares[1].support, shares[1].propose_change), (0.5, 0.5));
    assert!(!shares[1].is_mixed(0.3));
    let all = d.shares(&responses);
    assert_eq!(all.n, 5);
    let total: f64 = Stance::ALL.iter().map(|&s| all.share(s)).sum();
    assert!((total - 1.0).abs() < 1e-12);
    assert_eq!(all.neutral, 0.2);
    assert_eq!(
        d.shares_by_theme(&responses, &labels[..2]),
        Err(StanceError::Shape { items: 5, labels: 2 })
    );
}

#[test]
fn counts_merge_and_share() {
    let mut a: StanceCounts = [Stance::Support, Stance::Oppose].into_iter().collect();
    let b: StanceCounts = [Stance::Support, Stance::Neutral].into_iter().collect();
    a.merge(&b);
    assert_eq!(a, StanceCounts { support: 2, oppose: 1, propose_change: 0, neutral: 1 });
    assert_eq!(a.shares().support, 0.5);
    assert_eq!(StanceShares::from_stances([]), StanceShares::default());
    let by = StanceCounts::by_theme(&[Stance::Oppose, Stance::Support], &[Some(1), None]).unwrap();
    assert_eq!(by, [StanceCounts::default(), StanceCounts { oppose: 1, ..Default::default() }]);
}
