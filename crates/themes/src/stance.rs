//! Stance: whether a response supports the proposal, opposes it, or asks for it to change, so
//! that a theme's report can show how its responses divide instead of mixing agreement and
//! disagreement silently.
//!
//! [`StanceDetector`] reads each sentence of a response for rule cues ([`StanceCue`]):
//!
//! - **support**: "I / we (strongly) agree", "I support", "we welcome", "is welcome",
//!   "supportive of", "in support of", "in favour / favor", "good / great / sensible idea"
//!   (or approach, proposal, step, move), "the right direction / approach", "makes sense",
//!   "endorse", "approve", "pleased / happy with", and a response opening with "Yes";
//! - **oppose**: "disagree", "oppose", "opposed", "opposition", "I / we object / reject",
//!   "objection(s)", "(am / are / strongly) against", "bad / terrible / poor idea" (or
//!   proposal, plan, decision, move), "unacceptable", "unworkable", "misguided", "flawed",
//!   "will not / won't / would not / cannot work", "concerned / concern(s) that, about, by,
//!   over, raised, regarding, with", "serious / significant / grave / major … concerns",
//!   "should not go ahead / proceed / happen / be introduced / be implemented", "should be
//!   scrapped / abandoned / withdrawn / dropped", an opening "Scrap / Abandon / Withdraw
//!   this …", and a response opening with "No";
//! - **propose change**: a sentence the [`SuggestionDetector`] finds to be a suggestion (unless
//!   it asks to stop the proposal, above), "instead", "rather than", "would prefer", "an
//!   alternative", "should be changed / amended / revised / reconsidered / reviewed /
//!   modified / extended / strengthened", "needs to change".
//!
//! **Negation.** A support or oppose cue with "not", "never", "no", "hardly", "nor" or an
//! "n't" contraction among the three words before it (in the same sentence) counts for the
//! other side: "I do not agree" and "we cannot support this" oppose, "I don't disagree",
//! "we are not against it" and "no objection" support. A negated concern ("I am not
//! concerned") counts for neither. Cues that carry their own negation ("won't work", "should
//! not go ahead") are not flipped, and "not only" negates nothing.
//!
//! **Agreeing with a criticism.** "I agree that this will not work" or "we agree with the
//! concerns raised" endorse an objection: a support cue followed by "that" or "with" is
//! dropped when an oppose cue follows it in the same sentence.
//!
//! **Decision** over the whole response, with `s` support and `o` oppose cues and `p` whether
//! any change is proposed:
//!
//! - `o > s`: [`Stance::Oppose`] (a response that opposes and offers an alternative still
//!   opposes);
//! - `s > o`: [`Stance::ProposeChange`] if `p` (support with changes: "I agree, but the
//!   deadline should move"), else [`Stance::Support`];
//! - `s = o` (none, or as many each way): [`Stance::ProposeChange`] if `p`, else
//!   [`Stance::Neutral`].
//!
//! ```
//! use thematic_themes::stance::{Stance, StanceDetector, StanceShares};
//!
//! let d = StanceDetector::default();
//! assert_eq!(d.stance("I strongly agree with the proposal."), Stance::Support);
//! assert_eq!(d.stance("I do not agree with this at all."), Stance::Oppose);
//! assert_eq!(d.stance("I agree, but trusts should get more time."), Stance::ProposeChange);
//! assert_eq!(d.stance("I am a nurse in Leeds."), Stance::Neutral);
//!
//! let shares = StanceShares::from_stances([Stance::Support, Stance::Oppose, Stance::Support]);
//! assert_eq!(shares.n, 3);
//! assert!((shares.support - 2.0 / 3.0).abs() < 1e-12);
//! ```

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::suggest::{SentenceDetection, SuggestionDetector, Tok, scan};

/// Errors of stance aggregation.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum StanceError {
    /// Responses (or stances) and theme labels differ in length.
    #[error("length mismatch: {items} responses, {labels} theme labels")]
    Shape {
        /// Number of responses or stances.
        items: usize,
        /// Number of labels.
        labels: usize,
    },
}

/// A response's stance towards the proposal it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stance {
    /// Agrees with the proposal as it stands.
    Support,
    /// Disagrees with it.
    Oppose,
    /// Asks for it to change: a suggestion or an alternative, with or without agreement.
    ProposeChange,
    /// No cue either way.
    Neutral,
}

impl Stance {
    /// Every stance.
    pub const ALL: [Stance; 4] =
        [Stance::Support, Stance::Oppose, Stance::ProposeChange, Stance::Neutral];

    /// A stable readable name: "support", "oppose", "propose-change", "neutral".
    pub fn name(self) -> &'static str {
        match self {
            Stance::Support => "support",
            Stance::Oppose => "oppose",
            Stance::ProposeChange => "propose-change",
            Stance::Neutral => "neutral",
        }
    }
}

/// One cue of stance found in a response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StanceCue {
    /// What the cue counts towards, after negation.
    pub stance: Stance,
    /// The rule that matched ("agree", "against", "concerned", "instead", or the
    /// suggestion's pattern such as "modal:should").
    pub pattern: &'static str,
    /// Whether a negation flipped it ("I do not agree": pattern "agree", stance oppose).
    pub negated: bool,
    /// Byte offset of the cue's start in the response.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
}

/// A response's stance with the cues that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StanceReading {
    /// The decision (see the [module docs](self)).
    pub stance: Stance,
    /// Every cue found, in text order.
    pub cues: Vec<StanceCue>,
}

/// Classifies responses by stance. Immutable, `Send + Sync`.
#[derive(Debug, Clone, Default)]
pub struct StanceDetector {
    suggestions: SuggestionDetector,
}

/// Counts of responses by stance; counts of disjoint sets of responses add up ([`merge`]).
///
/// [`merge`]: StanceCounts::merge
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StanceCounts {
    /// Responses that support.
    pub support: usize,
    /// Responses that oppose.
    pub oppose: usize,
    /// Responses that propose a change.
    pub propose_change: usize,
    /// Responses with no stance.
    pub neutral: usize,
}

/// Shares of responses by stance, each in `[0, 1]`, summing to 1 (all 0 when `n` is 0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct StanceShares {
    /// Share that supports.
    pub support: f64,
    /// Share that opposes.
    pub oppose: f64,
    /// Share that proposes a change.
    pub propose_change: f64,
    /// Share with no stance.
    pub neutral: f64,
    /// Number of responses.
    pub n: usize,
}

impl StanceCounts {
    /// Counts one response of stance `s`.
    pub fn add(&mut self, s: Stance) {
        match s {
            Stance::Support => self.support += 1,
            Stance::Oppose => self.oppose += 1,
            Stance::ProposeChange => self.propose_change += 1,
            Stance::Neutral => self.neutral += 1,
        }
    }

    /// Adds the counts of another, disjoint set of responses.
    pub fn merge(&mut self, other: &StanceCounts) {
        self.support += other.support;
        self.oppose += other.oppose;
        self.propose_change += other.propose_change;
        self.neutral += other.neutral;
    }

    /// Number of responses counted.
    pub fn n(&self) -> usize {
        self.support + self.oppose + self.propose_change + self.neutral
    }

    /// The counts as shares.
    pub fn shares(&self) -> StanceShares {
        let n = self.n();
        let share = |c: usize| if n == 0 { 0.0 } else { c as f64 / n as f64 };
        StanceShares {
            support: share(self.support),
            oppose: share(self.oppose),
            propose_change: share(self.propose_change),
            neutral: share(self.neutral),
            n,
        }
    }

    /// Counts per theme: `labels[i]` is the theme of `stances[i]` (`None`: no theme), and
    /// the result has one entry per theme `0..=max(labels)`.
    ///
    /// # Errors
    /// [`StanceError::Shape`] if the lengths differ.
    pub fn by_theme(
        stances: &[Stance],
        labels: &[Option<u32>],
    ) -> Result<Vec<StanceCounts>, StanceError> {
        if stances.len() != labels.len() {
            return Err(StanceError::Shape { items: stances.len(), labels: labels.len() });
        }
        let k = labels.iter().flatten().max().map_or(0, |&m| m as usize + 1);
        let mut out = vec![StanceCounts::default(); k];
        for (&s, l) in stances.iter().zip(labels) {
            if let Some(l) = l {
                out[*l as usize].add(s);
            }
        }
        Ok(out)
    }
}

impl FromIterator<Stance> for StanceCounts {
    fn from_iter<I: IntoIterator<Item = Stance>>(iter: I) -> Self {
        let mut c = StanceCounts::default();
        for s in iter {
            c.add(s);
        }
        c
    }
}

impl StanceShares {
    /// Shares of the given stances.
    pub fn from_stances(stances: impl IntoIterator<Item = Stance>) -> Self {
        stances.into_iter().collect::<StanceCounts>().shares()
    }

    /// The share of stance `s`.
    pub fn share(&self, s: Stance) -> f64 {
        match s {
            Stance::Support => self.support,
            Stance::Oppose => self.oppose,
            Stance::ProposeChange => self.propose_change,
            Stance::Neutral => self.neutral,
        }
    }

    /// Whether both support and opposition reach `min_share` of the responses: a theme that
    /// gathers both sides of an argument, which a report should say.
    pub fn is_mixed(&self, min_share: f64) -> bool {
        self.n > 0 && self.support >= min_share && self.oppose >= min_share
    }
}

impl StanceDetector {
    /// A detector whose proposals of change come from `suggestions`.
    pub fn new(suggestions: SuggestionDetector) -> Self {
        StanceDetector { suggestions }
    }

    /// The stance of `response`.
    pub fn stance(&self, response: &str) -> Stance {
        self.read(response).stance
    }

    /// The stance of `response` with the cues that decided it.
    pub fn read(&self, response: &str) -> StanceReading {
        self.read_detected(response, &self.suggestions.detect_text(response))
    }

    /// As [`read`](Self::read), given the suggestion detections of `response`'s sentences
    /// (from [`SuggestionDetector::detect_text`] with this reader's detector), so that a
    /// caller that also mines recommendations detects each sentence once.
    pub fn read_detected(&self, response: &str, sentences: &[SentenceDetection]) -> StanceReading {
        let mut cues = Vec::new();
        for (k, sentence) in sentences.iter().enumerate() {
            let before = cues.len();
            let text = &response[sentence.start..sentence.end];
            sentence_cues(text, sentence.start, k == 0, &mut cues);
            // Asking to stop the proposal ("this should not go ahead") is opposition, not a
            // proposed change, though the suggestion detector sees advice in it.
            let withdraws = cues[before..].iter().any(|c| WITHDRAW.contains(&c.pattern));
            let d = &sentence.detection;
            if !withdraws && d.is_suggestion {
                cues.push(StanceCue {
                    stance: Stance::ProposeChange,
                    pattern: d.pattern.unwrap_or("suggestion"),
                    negated: false,
                    start: sentence.start,
                    end: sentence.end,
                });
            }
        }
        cues.sort_by_key(|c| (c.start, c.end));
        let count = |s: Stance| cues.iter().filter(|c| c.stance == s).count();
        let (s, o) = (count(Stance::Support), count(Stance::Oppose));
        let p = count(Stance::ProposeChange) > 0;
        let stance = if o > s {
            Stance::Oppose
        } else if p {
            Stance::ProposeChange
        } else if s > o {
            Stance::Support
        } else {
            Stance::Neutral
        };
        StanceReading { stance, cues }
    }

    /// The stance of each response, in order (in parallel).
    pub fn stances<S: AsRef<str> + Sync>(&self, responses: &[S]) -> Vec<Stance> {
        responses.par_iter().map(|r| self.stance(r.as_ref())).collect()
    }

    /// Stance shares of all `responses`.
    pub fn shares<S: AsRef<str> + Sync>(&self, responses: &[S]) -> StanceShares {
        StanceShares::from_stances(self.stances(responses))
    }

    /// Stance shares per theme: `labels[i]` is the theme of `responses[i]` (`None`: no
    /// theme); one entry per theme `0..=max(labels)`.
    ///
    /// # Errors
    /// [`StanceError::Shape`] if the lengths differ.
    pub fn shares_by_theme<S: AsRef<str> + Sync>(
        &self,
        responses: &[S],
        labels: &[Option<u32>],
    ) -> Result<Vec<StanceShares>, StanceError> {
        if responses.len() != labels.len() {
            return Err(StanceError::Shape { items: responses.len(), labels: labels.len() });
        }
        let counts = StanceCounts::by_theme(&self.stances(responses), labels)?;
        Ok(counts.iter().map(StanceCounts::shares).collect())
    }
}

/// Patterns that ask for the proposal to be stopped.
const WITHDRAW: &[&str] = &["should-not-proceed", "should-be-scrapped", "scrap-it"];

/// Adverbs and auxiliaries that may stand between "I / we" and a verb of stance ("I do not
/// fully agree", "we would strongly support").
#[rustfmt::skip]
const BETWEEN: &[&str] = &[
    "absolutely", "also", "am", "are", "broadly", "can", "can't", "cannot", "certainly",
    "completely", "could", "definitely", "do", "don't", "entirely", "fully", "generally", "largely",
    "mostly", "never", "not", "partly", "really", "still", "strongly", "totally", "very",
    "wholeheartedly", "would", "wouldn't",
];

fn is_negator(w: &str) -> bool {
    matches!(w, "not" | "never" | "no" | "hardly" | "nor" | "cannot") || w.ends_with("n't")
}

struct Words<'a> {
    toks: Vec<Tok<'a>>,
    words: Vec<usize>,
}

impl Words<'_> {
    fn n(&self) -> usize {
        self.words.len()
    }

    fn w(&self, i: usize) -> &str {
        self.words.get(i).map_or("", |&t| &self.toks[t].norm)
    }

    /// Whether punctuation stands between word `i − 1` and word `i`.
    fn punct_before(&self, i: usize) -> bool {
        i > 0 && self.words[i] != self.words[i - 1] + 1
    }

    /// Whether "I" or "we" is the subject of the verb at `j` ("I agree", "we do not fully
    /// support"), or the verb opens the sentence ("Agree.").
    fn first_person_subject(&self, j: usize) -> bool {
        let mut p = j;
        while p > 0 && j - p < 4 && !self.punct_before(p) && BETWEEN.contains(&self.w(p - 1)) {
            p -= 1;
        }
        p == 0
            || self.punct_before(p)
            || matches!(self.w(p - 1), "i" | "we" | "i'd" | "we'd" | "i'm" | "we're" | "also")
    }

    /// Whether a negator stands among the three words before `j`, in the same clause.
    fn negated(&self, j: usize) -> bool {
        let mut p = j;
        while p > 0 && j - p < 3 && !self.punct_before(p) {
            p -= 1;
            let w = self.w(p);
            if is_negator(w) && !(w == "not" && self.w(p + 1) == "only") {
                return true;
            }
        }
        false
    }
}

/// A matched rule: the stance it counts for, its name, how many words it spans, and whether
/// a preceding negation flips it.
struct Rule {
    stance: Stance,
    pattern: &'static str,
    len: usize,
    negatable: bool,
}

fn rule(stance: Stance, pattern: &'static str, len: usize, negatable: bool) -> Option<Rule> {
    Some(Rule { stance, pattern, len, negatable })
}

/// The rule matching at word `j`, if any.
fn match_rule(s: &Words<'_>, j: usize, opens_response: bool) -> Option<Rule> {
    use Stance::{Oppose, ProposeChange as Change, Support};
    let (x, y, z) = (s.w(j), s.w(j + 1), s.w(j + 2));
    let prev = if j > 0 { s.w(j - 1) } else { "" };
    let opener = j == 0 && opens_response;
    match x {
        "yes" if opener => rule(Support, "yes", 1, false),
        "no" if opener && (s.n() == 1 || s.punct_before(1)) => rule(Oppose, "no", 1, false),
        "agree" | "agreed" | "agrees" if s.first_person_subject(j) => {
            rule(Support, "agree", 1, true)
        }
        "support" | "supports" | "endorse" | "endorses" | "approve" | "approves"
            if s.first_person_subject(j) =>
        {
            rule(Support, "support", 1, true)
        }
        "supportive" => rule(Support, "support", 1, true),
        "support" if prev == "in" && y == "of" => rule(Support, "support", 1, true),
        "welcome" | "welcomes" | "welcomed"
            if s.first_person_subject(j)
                || matches!(prev, "is" | "are" | "a" | "very" | "most" | "be" | "broadly") =>
        {
            rule(Support, "welcome", 1, true)
        }
        "in" if matches!(y, "favour" | "favor") => rule(Support, "in-favour", 2, true),
        "good" | "great" | "sensible" | "excellent" | "positive" | "welcome"
            if matches!(y, "idea" | "approach" | "proposal" | "step" | "move" | "thing") =>
        {
            rule(Support, "good-idea", 2, true)
        }
        "right" if matches!(y, "direction" | "approach") => {
            rule(Support, "right-direction", 2, true)
        }
        "makes" | "make" if y == "sense" => rule(Support, "makes-sense", 2, true),
        "pleased" | "happy" if matches!(y, "with" | "to" | "that") => {
            rule(Support, "pleased", 1, true)
        }
        "disagree" | "disagrees" | "disagreed" => rule(Oppose, "disagree", 1, true),
        "oppose" | "opposes" | "opposed" | "opposition" => rule(Oppose, "oppose", 1, true),
        "object" | "reject" | "rejects" if s.first_person_subject(j) => {
            rule(Oppose, "object", 1, true)
        }
        "objection" | "objections" => rule(Oppose, "object", 1, true),
        "against"
            if matches!(
                prev,
                "am" | "are"
                    | "is"
                    | "be"
                    | "i'm"
                    | "we're"
                    | "strongly"
                    | "firmly"
                    | "completely"
                    | "totally"
                    | "fundamentally"
                    | "very"
                    | "not"
            ) =>
        {
            rule(Oppose, "against", 1, true)
        }
        "bad" | "terrible" | "poor" | "awful" | "dreadful"
            if matches!(y, "idea" | "proposal" | "plan" | "decision" | "move") =>
        {
            rule(Oppose, "bad-idea", 2, true)
        }
        "unacceptable" | "unworkable" | "misguided" | "flawed" => {
            rule(Oppose, "unacceptable", 1, true)
        }
        "will" | "would" | "can" | "could" if matches!(y, "not" | "never") && z == "work" => {
            rule(Oppose, "will-not-work", 3, false)
        }
        "won't" | "wouldn't" | "cannot" | "can't" | "couldn't" if y == "work" => {
            rule(Oppose, "will-not-work", 2, false)
        }
        "concerned" | "concern" | "concerns"
            if matches!(y, "that" | "about" | "by" | "over" | "raised" | "regarding" | "with")
                || matches!(
                    prev,
                    "serious" | "significant" | "grave" | "major" | "real" | "deep"
                ) =>
        {
            // A negated concern ("not concerned") is no stance; see `sentence_cues`.
            rule(Oppose, "concerned", 1, true)
        }
        "should" | "must" if y == "not" => {
            let rest = (s.w(j + 2), s.w(j + 3));
            match rest {
                ("go", "ahead")
                | ("proceed", _)
                | ("happen", _)
                | ("be", "introduced")
                | ("be", "implemented") => rule(Oppose, "should-not-proceed", 2, false),
                _ => None,
            }
        }
        "should" | "must"
            if y == "be" && matches!(z, "scrapped" | "abandoned" | "withdrawn" | "dropped") =>
        {
            rule(Oppose, "should-be-scrapped", 3, false)
        }
        "scrap" | "abandon" | "withdraw"
            if j == 0 && matches!(y, "this" | "the" | "these" | "it" | "them") =>
        {
            rule(Oppose, "scrap-it", 1, false)
        }
        "instead" => rule(Change, "instead", 1, false),
        "rather" if y == "than" => rule(Change, "rather-than", 2, false),
        "prefer" if matches!(prev, "would" | "'d" | "i'd" | "we'd") => {
            rule(Change, "would-prefer", 1, false)
        }
        "alternative" | "alternatives" if matches!(prev, "an" | "the" | "one" | "another") => {
            rule(Change, "alternative", 1, false)
        }
        "be" if matches!(prev, "should" | "must")
            && matches!(
                y,
                "changed"
                    | "amended"
                    | "revised"
                    | "reconsidered"
                    | "reviewed"
                    | "modified"
                    | "extended"
                    | "strengthened"
            ) =>
        {
            rule(Change, "should-be-changed", 2, false)
        }
        "needs" | "need" if y == "to" && z == "change" => rule(Change, "needs-to-change", 3, false),
        _ => None,
    }
}

/// Adds the cues of one sentence (at byte `offset` of the response) to `out`.
fn sentence_cues(text: &str, offset: usize, opens_response: bool, out: &mut Vec<StanceCue>) {
    let toks = scan(text);
    let words = (0..toks.len()).filter(|&i| toks[i].word).collect();
    let s = Words { toks, words };
    // (word index of the cue, whether it is followed by "that" / "with")
    let mut agree_on: Vec<(usize, bool)> = Vec::new();
    let mut j = 0;
    while j < s.n() {
        let Some(r) = match_rule(&s, j, opens_response) else {
            j += 1;
            continue;
        };
        let negated = r.negatable && s.negated(j);
        let stance = match (r.stance, negated) {
            (st, false) => Some(st),
            // "not concerned" says nothing either way.
            (Stance::Oppose, true) if r.pattern == "concerned" => None,
            (Stance::Support, true) => Some(Stance::Oppose),
            (Stance::Oppose, true) => Some(Stance::Support),
            (st, true) => Some(st),
        };
        let end_word = (j + r.len).min(s.n()) - 1;
        if let Some(stance) = stance {
            if stance == Stance::Support && !negated {
                agree_on.push((out.len(), matches!(s.w(end_word + 1), "that" | "with")));
            }
            out.push(StanceCue {
                stance,
                pattern: r.pattern,
                negated,
                start: offset + s.toks[s.words[j]].start,
                end: offset + s.toks[s.words[end_word]].end,
            });
        }
        j += r.len;
    }
    // "I agree that this will not work": the agreement endorses the objection after it.
    let mut drop = Vec::new();
    for (idx, governs) in agree_on {
        if governs && out[idx + 1..].iter().any(|c| c.stance == Stance::Oppose) {
            drop.push(idx);
        }
    }
    for idx in drop.into_iter().rev() {
        out.remove(idx);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn between_is_sorted() {
        for pair in BETWEEN.windows(2) {
            assert!(pair[0] < pair[1], "{pair:?}");
        }
    }

    #[test]
    fn autotraits() {
        fn has<T: Send + Sync + Unpin>() {}
        has::<StanceDetector>();
        has::<StanceReading>();
        has::<StanceShares>();
        has::<StanceCounts>();
    }
}
