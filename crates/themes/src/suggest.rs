//! Suggestion detection: which sentences of a response recommend something, how strongly,
//! by which pattern, and, where the sentence says so, who should act and what they should do.
//!
//! [`SuggestionDetector`] reads a sentence as words and punctuation and looks for *cues*
//! ([`Cue`]): generic English patterns of advice and request, in five families ([`Family`]):
//!
//! - imperatives: a base-form verb opening the sentence ("Provide training for all staff."),
//!   possibly after "please", "so", "also" or "at least", and negated ones ("Stop …",
//!   "Don't …", "Never …");
//! - modals: "X should / must / could / need(s) to / ought to Y", "there should be";
//! - requests: "I would like", "I wish", "we recommend", "my suggestion is to", "could you",
//!   "why not", "how about", "is it possible to";
//! - evaluations of a change: "it would be good / helpful if", "it would help", "adding X
//!   would", "a way to", "so that", "instead";
//! - counter-cues of non-suggestions: questions ("how do I …?"), past modals ("I should have",
//!   "had to"), first-person statements of fact ("I have …", "I was …"), problem reports
//!   ("it doesn't …", "should … but … not"), "currently", thanks, very short fragments.
//!
//! The cue lists are closed-class words plus a general list of English verbs in base form;
//! none names the topic of any consultation or forum. The score is a logistic combination of
//! the matched cues' weights ([`CueWeights`]), and the detection names the strongest positive
//! cue as its pattern, so every decision can be explained. The default weights were fitted
//! on generic cue indicators only (never on words); see [`CueWeights::fitted`].
//!
//! **Measured** (`examples/eval_suggestions.rs`): on the held-back 30% of the SemEval-2019
//! Task 9 forum sentences (2,498 sentences, 603 suggestions), precision 0.690, recall 0.851,
//! F1 0.762 at the default threshold; 5-fold cross-validation on the other 70% gives a mean
//! F1 of 0.761. The hand-written consultation sentences of `tests/suggest.rs` are 43 of 44
//! right. Known limits: verbless fragments ("More investment in mental health.") score low,
//! as short fragments in the training forum are rarely suggestions; "X has to Y" counts as a
//! reported burden more than as advice; the bias carries the forum's share of suggestions
//! (25%). Weights refitted on labelled sentences of another domain ([`CueWeights::fit`],
//! [`SuggestionDetectorParams::weights`]) lift these limits where they matter.
//!
//! ```
//! use thematic_themes::suggest::SuggestionDetector;
//!
//! let detector = SuggestionDetector::default();
//! let d = detector.detect("NHS England should publish a national incident dashboard.");
//! assert!(d.is_suggestion);
//! assert_eq!(d.pattern, Some("modal:should"));
//! assert_eq!(d.actor.as_deref(), Some("NHS England"));
//! assert_eq!(d.action.as_deref(), Some("publish a national incident dashboard"));
//!
//! let d = detector.detect("Please provide training for all staff.");
//! assert_eq!((d.pattern, d.actor, d.action.as_deref()),
//!            (Some("imperative"), None, Some("provide training for all staff")));
//!
//! assert!(!detector.detect("I had to wait three hours in A&E.").is_suggestion);
//! ```

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};
use thematic_core::ParamGuard;
use thiserror::Error;

/// Errors of suggestion detection: invalid parameters or weights, and bad input to
/// [`CueWeights::fit`]. One variant per rule.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum SuggestError {
    /// The decision threshold is not inside `(0, 1)`.
    #[error("invalid threshold {0}: expected a value strictly between 0 and 1")]
    Threshold(f32),
    /// Every family of positive cues is switched off, so nothing could be detected.
    #[error("no family of suggestion cues is enabled: enable at least one besides counter-cues")]
    NoFamily,
    /// Weights do not have one entry per cue.
    #[error("invalid weights: {found} cue weights, expected {expected} (one per cue)")]
    WeightCount {
        /// Number of cues, [`Cue::ALL`]`.len()`.
        expected: usize,
        /// Number of weights given.
        found: usize,
    },
    /// A weight or the bias is NaN or infinite.
    #[error("invalid weight {value} for {cue}: weights must be finite")]
    Weight {
        /// The cue's name, or "bias".
        cue: &'static str,
        /// The offending value.
        value: f32,
    },
    /// The L2 penalty of a fit is not a positive finite number.
    #[error("invalid l2 penalty {0}: expected a positive finite number")]
    L2(f64),
    /// Cue sets and labels of a fit differ in length.
    #[error("length mismatch: {cue_sets} cue sets, {labels} labels")]
    Shape {
        /// Number of cue sets.
        cue_sets: usize,
        /// Number of labels.
        labels: usize,
    },
    /// A fit needs both suggestions and non-suggestions.
    #[error("cannot fit weights: the labels hold only one class ({positives} of {n} positive)")]
    OneClass {
        /// Number of positive labels.
        positives: usize,
        /// Number of labels.
        n: usize,
    },
}

/// Result alias of this module.
pub type Result<T> = std::result::Result<T, SuggestError>;

/// A family of cues; families can be switched off as a whole
/// ([`SuggestionDetectorParams::family`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Family {
    /// Imperatives and "please": "Provide …", "Stop …", "Please add …", "Let's …".
    Imperative,
    /// Modal verbs of obligation and possibility: "should", "must", "need to", "could".
    Modal,
    /// Requests and wishes: "I would like", "could you", "we recommend", "why not".
    Request,
    /// Evaluations of a change: "it would be good if", "adding X would", "instead".
    Evaluative,
    /// Counter-cues that lower the score: questions, past modals, statements of fact,
    /// problem reports, thanks, very short fragments.
    Counter,
}

impl Family {
    /// Every family.
    pub const ALL: [Family; 5] =
        [Family::Imperative, Family::Modal, Family::Request, Family::Evaluative, Family::Counter];

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

macro_rules! cues {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $name:literal, $family:ident; )+) => {
        /// A cue: a generic pattern that makes a sentence more or less likely to be a
        /// suggestion. Its [`name`](Cue::name) is stable and is what
        /// [`Detection::pattern`] reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[non_exhaustive]
        pub enum Cue {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl Cue {
            /// Every cue, in declaration order: the order of weights in [`CueWeights`].
            pub const ALL: &'static [Cue] = &[$(Cue::$variant,)+];

            /// The cue's stable readable name, e.g. `"modal:should"`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Cue::$variant => $name,)+
                }
            }

            /// The family the cue belongs to.
            pub fn family(self) -> Family {
                match self {
                    $(Cue::$variant => Family::$family,)+
                }
            }
        }
    };
}

cues! {
    /// A base-form verb opens the sentence, after optional "please", "so", "also", "at least"
    /// …, followed by a word that is not an auxiliary or preposition:
    /// "Provide training for all staff." Negated imperatives are the same construction and
    /// the same cue, reported under their own pattern names: "Stop / Avoid / Quit …"
    /// ("negated-imperative:stop", ":avoid", ":quit") and "Don't / Do not / Never" + verb
    /// ("negated-imperative:don't", ":do-not", ":never").
    Imperative = "imperative", Imperative;
    /// A base-form verb opens the sentence but is followed by punctuation, a preposition or
    /// nothing ("Support for carers.", "Update:"): often a noun.
    ImperativeWeak = "imperative:weak", Imperative;
    /// An imperative after a sentence break inside the text ("It is slow. Fix it.").
    ImperativeInner = "imperative:inner", Imperative;
    /// An imperative after a comma, colon or bracket ("…, so add a reminder").
    ImperativeClause = "imperative:clause", Imperative;
    /// An imperative after an opening adverbial ("In the app, add a reminder.").
    ImperativeAfterIntro = "imperative:after-intro", Imperative;
    /// "Please" (or "pls", "plz") directly before a base-form verb: "Please provide …".
    PleaseVerb = "please+verb", Imperative;
    /// "Please" elsewhere.
    Please = "please", Imperative;
    /// "let / allow / enable / permit / help / give" + "us / me / them / people …" after the
    /// opening: "… and let us choose".
    LetUs = "let-us", Imperative;

    /// "X should / must / ought to Y", X not "I/we/it/this/that". The three are one cue,
    /// one weight: they advise alike, and "must" is too rare in training data to weigh on
    /// its own (its pattern is reported as "modal:must" / "modal:ought-to").
    Should = "modal:should", Modal;
    /// "it / this / that should / must …": often an expectation ("it should work"), weaker.
    ItShould = "modal:it-should", Modal;
    /// "I / we should / must …".
    WeShould = "modal:we-should", Modal;
    /// "X could Y".
    Could = "modal:could", Modal;
    /// "could you …" or "you could …".
    CouldYou = "request:could-you", Modal;
    /// "I / we could …".
    WeCould = "modal:we-could", Modal;
    /// "could not", "couldn't": usually a report of a failure.
    CouldNot = "modal:could-not", Modal;
    /// "X need(s) to Y".
    NeedTo = "modal:need-to", Modal;
    /// "I / we need to …".
    WeNeedTo = "modal:we-need-to", Modal;
    /// "need(s)" + a noun phrase: "we need a way to …", "trusts need more funding".
    NeedObject = "need-noun", Modal;
    /// "is / are / be needed".
    IsNeeded = "is-needed", Modal;
    /// "X has / have to Y", X not "I/we".
    HaveTo = "modal:have-to", Modal;
    /// "might / may" + help, want, like, consider, be, make.
    Might = "modal:might", Modal;
    /// "you can / could / may / might …".
    YouCan = "you-can", Modal;
    /// "… be able to …".
    BeAbleTo = "be-able-to", Modal;

    /// "Can / could / would / will you (we) …" opening the sentence, or "can / will you
    /// (we)" in a question.
    CanYou = "request:can-you", Request;
    /// "would / 'd like, love, appreciate, prefer, want".
    WouldLike = "would-like", Request;
    /// "I / we want …".
    WantFirst = "want-request", Request;
    /// "want(s)" after another subject: "users want …", "many want you to …".
    Want = "want", Request;
    /// "wish", "hope", "hopefully", "looking forward".
    Wish = "wish", Request;
    /// A suggesting question: "why not …", "why don't you …", and "how / what about …"
    /// (reported as "how-about"); one cue, as they ask the same.
    WhyNot = "why-not", Request;
    /// "if possible", "is it possible to", "would it be …".
    IfPossible = "if-possible", Request;
    /// A verb of advice: "suggest", "recommend", "propose", "request", "urge", "advise".
    SuggestVerb = "suggest-verb", Request;
    /// A noun of advice after "my / our / one / another / the …" or as an opening label
    /// ("Suggestion: …"): "suggestion", "proposal", "idea", "solution", "alternative" ….
    SuggestionNoun = "suggestion-noun", Request;
    /// "the suggestion is to / that …", "my suggestion is / would be …", "the solution would
    /// be to …".
    ProposalIsTo = "proposal-is-to", Request;

    /// "would / 'd be" + a positive evaluation: "it would be good / helpful / better if …";
    /// also "it is important / necessary / essential / vital / crucial / imperative that /
    /// to …" (reported as "important-that"): both judge a change desirable.
    WouldBeGood = "it-would-be-good-if", Evaluative;
    /// "will / may / might be" + a positive evaluation: "this will be very helpful".
    WillBeGood = "will-be-good", Evaluative;
    /// "would / will be" + another word + "to / if": "it would be X to …".
    WouldBeOther = "would-be-x-if", Evaluative;
    /// "it would", "it'd", "it will", "it'll".
    ItWould = "it-would", Evaluative;
    /// "would" + a verb of benefit: "it would help if …", "this would improve / allow /
    /// make / save / reduce …".
    WouldHelp = "it-would-help", Evaluative;
    /// "would" + another base-form verb: "this would mean …".
    WouldVerb = "would-verb", Evaluative;
    /// An opening gerund with a modal later: "Adding a reminder would help."
    GerundWould = "gerund-would", Evaluative;
    /// "if … could / were … would": a counterfactual wish.
    Counterfactual = "counterfactual", Evaluative;
    /// "better / best to / if".
    BetterTo = "better-to", Evaluative;
    /// A comparative of improvement: "better", "easier", "simpler", "faster", "clearer".
    Comparative = "comparative", Evaluative;
    /// A fragment opening with "more / better / less / fewer / new / additional …":
    /// "More funding for community care."
    MoreOf = "more-of", Evaluative;
    /// "make(s) sense".
    MakesSense = "makes-sense", Evaluative;
    /// "a / the way, ability, option, possibility, opportunity, means … to / of / for".
    WayTo = "way-to", Evaluative;
    /// "so that".
    SoThat = "so-that", Evaluative;
    /// "instead", "rather than".
    Instead = "instead", Evaluative;
    /// "maybe", "perhaps", "ideally".
    Hedge = "hedge", Evaluative;

    /// A past modal: "should / could / would / must have" + participle, "had to",
    /// "needed to".
    PastModal = "past-modal", Counter;
    /// "I / we have to …": usually a burden reported, not a proposal.
    IHaveTo = "i-have-to", Counter;
    /// A need, want or "could you" inside an "if / when / because …" clause: a condition,
    /// not a request ("if you need to …").
    ConditionalModal = "conditional-modal", Counter;
    /// A question: "?" with an opening wh-word or auxiliary ("Should I …?", "Is there …?").
    Question = "question", Counter;
    /// "how do / does / can / to …".
    HowQuestion = "how-question", Counter;
    /// "should" with "but" and a negation: a defect report ("it should work but doesn't").
    ShouldButNot = "should-but-not", Counter;
    /// A first-person statement of fact: "I / we have, had, am, was …", "I'm", "I've",
    /// "I tried", "we found" ….
    FirstPersonState = "first-person-state", Counter;
    /// A pronoun followed by a past-tense verb: "it crashed", "we tried".
    PastTense = "past-tense", Counter;
    /// A negated statement of a problem: "doesn't", "is not", "can't", "unable",
    /// "not possible / available / supported / working".
    Problem = "problem-statement", Counter;
    /// Any negation.
    Negation = "negation", Counter;
    /// "currently", "at the moment", "right now", "at present", "presently".
    CurrentState = "current-state", Counter;
    /// "then": a narrative of steps or events.
    Narrative = "narrative-then", Counter;
    /// The sentence ends with a colon: it introduces a list or an example.
    EndsWithColon = "ends-with-colon", Counter;
    /// Fewer than 5 words: "Agreed.", "No comment.", "Yellow exclamation?".
    Short = "short", Counter;
    /// "thank", "thanks", "thx".
    Thanks = "thanks", Counter;
    /// Opens with "hi", "hello", "hey", "dear".
    Greeting = "greeting", Counter;
}

/// Number of cues.
const N_CUES: usize = Cue::ALL.len();
const _: () = assert!(N_CUES <= 128, "a CueSet holds at most 128 cues");

impl Cue {
    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Cue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of cues, as matched in one sentence.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CueSet(u128);

impl CueSet {
    /// The empty set.
    pub const fn new() -> Self {
        CueSet(0)
    }

    /// Whether `cue` is in the set.
    pub fn contains(self, cue: Cue) -> bool {
        self.0 & (1 << cue.index()) != 0
    }

    /// Adds `cue`.
    pub fn insert(&mut self, cue: Cue) {
        self.0 |= 1 << cue.index();
    }

    /// Removes `cue`.
    pub fn remove(&mut self, cue: Cue) {
        self.0 &= !(1 << cue.index());
    }

    /// Number of cues in the set.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The cues of the set, in declaration order.
    pub fn iter(self) -> impl Iterator<Item = Cue> {
        Cue::ALL.iter().copied().filter(move |&c| self.contains(c))
    }
}

impl fmt::Debug for CueSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter().map(Cue::name)).finish()
    }
}

impl FromIterator<Cue> for CueSet {
    fn from_iter<I: IntoIterator<Item = Cue>>(iter: I) -> Self {
        let mut s = CueSet::new();
        for c in iter {
            s.insert(c);
        }
        s
    }
}

/// Weights of the logistic score: `score = 1 / (1 + exp(−(bias + Σ weight(cue))))` over the
/// matched cues of enabled families.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CueWeights {
    bias: f32,
    weights: Vec<f32>,
}

impl Default for CueWeights {
    fn default() -> Self {
        CueWeights::fitted()
    }
}

impl CueWeights {
    /// The default weights.
    ///
    /// How they were obtained: L2-regularised logistic regression (`l2 = 1`, see
    /// [`CueWeights::fit`]) of the 0/1 cue indicators, never words, on the development part
    /// (70%) of the SemEval-2019 Task 9 forum training sentences (about 6,000 sentences from a
    /// software developers' feedback forum, 25% suggestions); the other 30% was held back to
    /// measure them. The split and the command are in `examples/eval_suggestions.rs`
    /// (`--fit` prints this table).
    pub fn fitted() -> Self {
        let mut weights = vec![0.0; N_CUES];
        for &(cue, w) in FITTED_WEIGHTS {
            weights[cue.index()] = w;
        }
        CueWeights { bias: FITTED_BIAS, weights }
    }

    /// Weights from a bias and (cue, weight) pairs; cues not listed weigh 0.
    pub fn new(bias: f32, weights: impl IntoIterator<Item = (Cue, f32)>) -> Self {
        let mut w = vec![0.0; N_CUES];
        for (cue, v) in weights {
            w[cue.index()] = v;
        }
        CueWeights { bias, weights: w }
    }

    /// The bias (intercept) of the score.
    pub fn bias(&self) -> f32 {
        self.bias
    }

    /// The weight of `cue` (0 if the weights are malformed; see [`SuggestError::WeightCount`]).
    pub fn weight(&self, cue: Cue) -> f32 {
        self.weights.get(cue.index()).copied().unwrap_or(0.0)
    }

    /// Every cue with its weight, in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = (Cue, f32)> + '_ {
        Cue::ALL.iter().map(|&c| (c, self.weight(c)))
    }

    fn check(&self) -> Result<()> {
        if self.weights.len() != N_CUES {
            return Err(SuggestError::WeightCount { expected: N_CUES, found: self.weights.len() });
        }
        if !self.bias.is_finite() {
            return Err(SuggestError::Weight { cue: "bias", value: self.bias });
        }
        for (c, w) in self.iter() {
            if !w.is_finite() {
                return Err(SuggestError::Weight { cue: c.name(), value: w });
            }
        }
        Ok(())
    }

    /// Fits weights to labelled sentences, by L2-regularised logistic regression over the
    /// cue indicators (the bias is not penalised). `cue_sets[i]` are the cues of sentence `i`
    /// ([`SuggestionDetector::cues`]) and `labels[i]` whether it is a suggestion.
    ///
    /// Newton's method on the `(cues + 1)`-dimensional problem: each step solves the
    /// Hessian system exactly, so the fit is deterministic and converges in a few
    /// iterations. Cues that never occur get weight 0 (only the penalty acts on them).
    ///
    /// # Errors
    /// [`SuggestError::L2`] unless `l2` is positive and finite, [`SuggestError::Shape`] if
    /// the lengths differ, [`SuggestError::OneClass`] unless both classes occur.
    pub fn fit(cue_sets: &[CueSet], labels: &[bool], l2: f64) -> Result<CueWeights> {
        if !(l2.is_finite() && l2 > 0.0) {
            return Err(SuggestError::L2(l2));
        }
        if cue_sets.len() != labels.len() {
            return Err(SuggestError::Shape { cue_sets: cue_sets.len(), labels: labels.len() });
        }
        let positives = labels.iter().filter(|&&l| l).count();
        if positives == 0 || positives == labels.len() {
            return Err(SuggestError::OneClass { positives, n: labels.len() });
        }
        // Parameter 0 is the bias, parameter 1 + c the weight of cue c.
        let m = N_CUES + 1;
        let rows: Vec<Vec<usize>> = cue_sets
            .iter()
            .map(|s| std::iter::once(0).chain(s.iter().map(|c| c.index() + 1)).collect())
            .collect();
        let mut w = vec![0.0f64; m];
        let mut grad = vec![0.0f64; m];
        let mut hess = vec![0.0f64; m * m];
        for _ in 0..100 {
            grad.iter_mut().for_each(|g| *g = 0.0);
            hess.iter_mut().for_each(|h| *h = 0.0);
            for (row, &y) in rows.iter().zip(labels) {
                let z: f64 = row.iter().map(|&a| w[a]).sum();
                let p = sigmoid(z);
                let e = p - if y { 1.0 } else { 0.0 };
                // A floor on the curvature keeps the system well conditioned when a cue
                // separates the classes perfectly.
                let s = (p * (1.0 - p)).max(1e-12);
                for &a in row {
                    grad[a] += e;
                    for &b in row {
                        hess[a * m + b] += s;
                    }
                }
            }
            for a in 1..m {
                grad[a] += l2 * w[a];
                hess[a * m + a] += l2;
            }
            let step = solve(&mut hess, &mut grad, m);
            let mut largest = 0.0f64;
            for (wa, d) in w.iter_mut().zip(&step) {
                *wa -= d;
                largest = largest.max(d.abs());
            }
            if largest < 1e-9 {
                break;
            }
        }
        Ok(CueWeights { bias: w[0] as f32, weights: w[1..].iter().map(|&v| v as f32).collect() })
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Solves `a · x = b` (`a` is `m × m`, row-major, symmetric positive definite here) by
/// Gaussian elimination with partial pivoting; `a` and `b` are overwritten.
fn solve(a: &mut [f64], b: &mut [f64], m: usize) -> Vec<f64> {
    for col in 0..m {
        let pivot = (col..m)
            .max_by(|&i, &j| a[i * m + col].abs().total_cmp(&a[j * m + col].abs()))
            .unwrap_or(col);
        if pivot != col {
            for k in 0..m {
                a.swap(col * m + k, pivot * m + k);
            }
            b.swap(col, pivot);
        }
        let p = a[col * m + col];
        if p == 0.0 {
            continue;
        }
        for r in col + 1..m {
            let f = a[r * m + col] / p;
            if f != 0.0 {
                for k in col..m {
                    a[r * m + k] -= f * a[col * m + k];
                }
                b[r] -= f * b[col];
            }
        }
    }
    let mut x = vec![0.0; m];
    for r in (0..m).rev() {
        let mut s = b[r];
        for k in r + 1..m {
            s -= a[r * m + k] * x[k];
        }
        let p = a[r * m + r];
        x[r] = if p == 0.0 { 0.0 } else { s / p };
    }
    x
}

/// Default decision threshold on the score.
const DEFAULT_THRESHOLD: f32 = 0.25;

/// Weights fitted by `cargo run --release -p thematic-themes --example eval_suggestions --
/// PATH --fit` (see [`CueWeights::fitted`]) and pasted here. The comments say how many
/// development sentences show the cue and how many of those are suggestions.
const FITTED_BIAS: f32 = -2.542;
const FITTED_WEIGHTS: &[(Cue, f32)] = &[
    (Cue::Imperative, 3.249),           // 606 sentences, 455 suggestions
    (Cue::ImperativeWeak, 1.266),       // 37 sentences, 10 suggestions
    (Cue::ImperativeInner, 0.147),      // 46 sentences, 15 suggestions
    (Cue::ImperativeClause, 0.536),     // 180 sentences, 61 suggestions
    (Cue::ImperativeAfterIntro, 0.283), // 16 sentences, 6 suggestions
    (Cue::PleaseVerb, 1.959),           // 251 sentences, 208 suggestions
    (Cue::Please, 0.649),               // 35 sentences, 17 suggestions
    (Cue::LetUs, 0.732),                // 61 sentences, 25 suggestions
    (Cue::Should, 3.462),               // 265 sentences, 198 suggestions
    (Cue::ItShould, 2.048),             // 72 sentences, 35 suggestions
    (Cue::WeShould, 1.449),             // 23 sentences, 8 suggestions
    (Cue::Could, 1.800),                // 148 sentences, 73 suggestions
    (Cue::CouldYou, 2.003),             // 23 sentences, 19 suggestions
    (Cue::WeCould, 1.667),              // 44 sentences, 31 suggestions
    (Cue::CouldNot, 0.083),             // 14 sentences, 1 suggestions
    (Cue::NeedTo, 2.185),               // 81 sentences, 37 suggestions
    (Cue::WeNeedTo, 1.224),             // 35 sentences, 10 suggestions
    (Cue::NeedObject, 2.443),           // 76 sentences, 45 suggestions
    (Cue::IsNeeded, 1.807),             // 13 sentences, 6 suggestions
    (Cue::HaveTo, -0.020),              // 75 sentences, 13 suggestions
    (Cue::Might, 0.574),                // 52 sentences, 16 suggestions
    (Cue::YouCan, 0.733),               // 110 sentences, 43 suggestions
    (Cue::BeAbleTo, 1.069),             // 127 sentences, 86 suggestions
    (Cue::CanYou, 2.284),               // 30 sentences, 21 suggestions
    (Cue::WouldLike, 3.256),            // 160 sentences, 122 suggestions
    (Cue::WantFirst, 1.782),            // 74 sentences, 31 suggestions
    (Cue::Want, 0.529),                 // 80 sentences, 25 suggestions
    (Cue::Wish, 1.740),                 // 52 sentences, 25 suggestions
    (Cue::WhyNot, 2.097),               // 22 sentences, 12 suggestions
    (Cue::IfPossible, 1.768),           // 20 sentences, 12 suggestions
    (Cue::SuggestVerb, 2.942),          // 37 sentences, 31 suggestions
    (Cue::SuggestionNoun, 0.766),       // 72 sentences, 32 suggestions
    (Cue::ProposalIsTo, 2.324),         // 31 sentences, 18 suggestions
    (Cue::WouldBeGood, 2.915),          // 238 sentences, 192 suggestions
    (Cue::WillBeGood, 1.801),           // 23 sentences, 15 suggestions
    (Cue::WouldBeOther, 0.710),         // 43 sentences, 14 suggestions
    (Cue::ItWould, 1.132),              // 241 sentences, 170 suggestions
    (Cue::WouldHelp, 0.375),            // 55 sentences, 18 suggestions
    (Cue::WouldVerb, 0.213),            // 65 sentences, 21 suggestions
    (Cue::GerundWould, 0.935),          // 30 sentences, 14 suggestions
    (Cue::Counterfactual, 0.374),       // 64 sentences, 52 suggestions
    (Cue::BetterTo, 0.530),             // 12 sentences, 8 suggestions
    (Cue::Comparative, 0.765),          // 115 sentences, 61 suggestions
    (Cue::MoreOf, 1.069),               // 20 sentences, 8 suggestions
    (Cue::MakesSense, 0.522),           // 24 sentences, 8 suggestions
    (Cue::WayTo, 0.964),                // 179 sentences, 98 suggestions
    (Cue::SoThat, 1.143),               // 64 sentences, 45 suggestions
    (Cue::Instead, 0.786),              // 97 sentences, 52 suggestions
    (Cue::Hedge, 0.657),                // 64 sentences, 31 suggestions
    (Cue::PastModal, -0.053),           // 28 sentences, 2 suggestions
    (Cue::IHaveTo, -1.328),             // 35 sentences, 0 suggestions
    (Cue::ConditionalModal, -0.083),    // 102 sentences, 30 suggestions
    (Cue::Question, 0.156),             // 127 sentences, 27 suggestions
    (Cue::HowQuestion, -1.433),         // 31 sentences, 1 suggestions
    (Cue::ShouldButNot, 0.295),         // 19 sentences, 13 suggestions
    (Cue::FirstPersonState, -0.550),    // 690 sentences, 74 suggestions
    (Cue::PastTense, -0.628),           // 313 sentences, 38 suggestions
    (Cue::Problem, -0.583),             // 729 sentences, 57 suggestions
    (Cue::Negation, -0.540),            // 1320 sentences, 169 suggestions
    (Cue::CurrentState, -0.811),        // 265 sentences, 21 suggestions
    (Cue::Narrative, -0.936),           // 187 sentences, 26 suggestions
    (Cue::EndsWithColon, -0.803),       // 85 sentences, 9 suggestions
    (Cue::Short, -1.362),               // 292 sentences, 31 suggestions
    (Cue::Thanks, -1.082),              // 37 sentences, 1 suggestions
    (Cue::Greeting, -0.625),            // 31 sentences, 7 suggestions
];

/// Entry point of suggestion detection.
#[derive(Debug, Clone)]
pub struct SuggestionDetector {
    threshold: f32,
    families: u8,
    weights: CueWeights,
}

impl Default for SuggestionDetector {
    /// The detector with default parameters (see [`SuggestionDetectorValidParams`]).
    fn default() -> Self {
        let p = SuggestionDetectorValidParams::default();
        SuggestionDetector { threshold: p.threshold, families: p.families, weights: p.weights }
    }
}

/// Validated parameters of [`SuggestionDetector`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestionDetectorValidParams {
    threshold: f32,
    families: u8,
    weights: CueWeights,
}

impl Default for SuggestionDetectorValidParams {
    fn default() -> Self {
        SuggestionDetectorValidParams {
            threshold: DEFAULT_THRESHOLD,
            families: Family::ALL.iter().fold(0, |m, f| m | f.bit()),
            weights: CueWeights::fitted(),
        }
    }
}

impl SuggestionDetectorValidParams {
    /// A sentence is a suggestion when its score is at least this, in `(0, 1)`. Default 0.25:
    /// the threshold of best mean F1 in 5-fold cross-validation on the development data
    /// (suggestions are a minority, so a threshold below 0.5 trades a little precision
    /// for more recall).
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Whether cues of `family` count. Default: every family.
    pub fn family(&self, family: Family) -> bool {
        self.families & family.bit() != 0
    }

    /// The weights of the score. Default [`CueWeights::fitted`].
    pub fn weights(&self) -> &CueWeights {
        &self.weights
    }
}

/// Unchecked parameters of [`SuggestionDetector`]: consuming setters, validated by
/// [`ParamGuard::check`] or [`SuggestionDetectorParams::build`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[must_use]
pub struct SuggestionDetectorParams(SuggestionDetectorValidParams);

impl Default for SuggestionDetectorParams {
    fn default() -> Self {
        SuggestionDetector::params()
    }
}

impl SuggestionDetectorParams {
    /// See [`SuggestionDetectorValidParams::threshold`].
    pub fn threshold(mut self, threshold: f32) -> Self {
        self.0.threshold = threshold;
        self
    }

    /// Switches the cues of `family` on or off. See [`SuggestionDetectorValidParams::family`].
    pub fn family(mut self, family: Family, on: bool) -> Self {
        if on {
            self.0.families |= family.bit();
        } else {
            self.0.families &= !family.bit();
        }
        self
    }

    /// See [`SuggestionDetectorValidParams::weights`]: e.g. weights refitted with
    /// [`CueWeights::fit`] on labelled sentences of another domain.
    pub fn weights(mut self, weights: CueWeights) -> Self {
        self.0.weights = weights;
        self
    }

    /// Validates the parameters and builds the detector.
    ///
    /// # Errors
    /// The first rule broken (see [`SuggestError`]).
    pub fn build(self) -> Result<SuggestionDetector> {
        let p = self.check()?;
        Ok(SuggestionDetector { threshold: p.threshold, families: p.families, weights: p.weights })
    }
}

impl ParamGuard for SuggestionDetectorParams {
    type Checked = SuggestionDetectorValidParams;
    type Error = SuggestError;

    fn check_ref(&self) -> Result<&SuggestionDetectorValidParams> {
        let p = &self.0;
        if !(p.threshold > 0.0 && p.threshold < 1.0) {
            return Err(SuggestError::Threshold(p.threshold));
        }
        if p.families & !Family::Counter.bit() == 0 {
            return Err(SuggestError::NoFamily);
        }
        p.weights.check()?;
        Ok(p)
    }

    fn check(self) -> Result<SuggestionDetectorValidParams> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// What the detector found in one sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detection {
    /// Whether the score reaches the threshold.
    pub is_suggestion: bool,
    /// The logistic score in `(0, 1)`: higher is more confidently a suggestion.
    pub score: f32,
    /// Name of the matched cue of largest positive weight outside the counter-cues (e.g.
    /// `"modal:should"`, `"imperative"`, `"negated-imperative:stop"`), reported even below
    /// the threshold; `None` when no such cue matched.
    pub pattern: Option<&'static str>,
    /// Every cue matched, counter-cues included (cues of disabled families too; they do not
    /// count in the score).
    pub cues: CueSet,
    /// Who should act, as written: the noun phrase before the modal ("NHS England",
    /// "Trusts", "the suppliers"). `None` for imperatives, pronouns ("we", "it", "you") and
    /// when no subject was found.
    pub actor: Option<String>,
    /// What should be done, as written, from the verb to the end of the clause ("publish a
    /// national incident dashboard", "stop making clinicians fill in duplicate forms").
    /// `None` when the pattern carries no recognisable action (e.g. "I wish …").
    pub action: Option<String>,
}

/// A sentence of a longer text with its detection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceDetection {
    /// Byte offset of the sentence's start in the text.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
    /// What was detected in it.
    pub detection: Detection,
}

impl SuggestionDetector {
    /// Parameters with their defaults (see [`SuggestionDetectorValidParams`]).
    pub fn params() -> SuggestionDetectorParams {
        SuggestionDetectorParams(SuggestionDetectorValidParams::default())
    }

    /// The decision threshold.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// The weights of the score.
    pub fn weights(&self) -> &CueWeights {
        &self.weights
    }

    /// Whether the cues of `family` count.
    pub fn family_enabled(&self, family: Family) -> bool {
        self.families & family.bit() != 0
    }

    /// Every cue matched in `sentence`, whatever the enabled families: the input of
    /// [`CueWeights::fit`].
    pub fn cues(&self, sentence: &str) -> CueSet {
        analyse(sentence).set
    }

    /// Detects whether `sentence` (one sentence; see [`detect_text`](Self::detect_text) for
    /// longer texts) is a suggestion, with its score, pattern, actor and action.
    pub fn detect(&self, sentence: &str) -> Detection {
        let a = analyse(sentence);
        let mut z = self.weights.bias;
        let mut best: Option<(Cue, f32)> = None;
        for cue in a.set.iter() {
            if !self.family_enabled(cue.family()) {
                continue;
            }
            let w = self.weights.weight(cue);
            z += w;
            // Counter-cues explain a low score, not a pattern of suggestion.
            if w > 0.0 && cue.family() != Family::Counter && best.is_none_or(|(_, bw)| w > bw) {
                best = Some((cue, w));
            }
        }
        let score = (1.0 / (1.0 + f64::from(-z).exp())) as f32;
        let (actor, action) = match best {
            Some((cue, _)) => extract(sentence, &a, cue),
            None => (None, None),
        };
        Detection {
            is_suggestion: score >= self.threshold,
            score,
            pattern: best.map(|(cue, _)| pattern_name(cue, &a)),
            cues: a.set,
            actor,
            action,
        }
    }

    /// Splits `text` into sentences ([`thematic_text::sentences`]) and detects each.
    pub fn detect_text(&self, text: &str) -> Vec<SentenceDetection> {
        thematic_text::sentences(text)
            .into_iter()
            .map(|s| SentenceDetection {
                start: s.start,
                end: s.end,
                detection: self.detect(s.text),
            })
            .collect()
    }
}

/// Counts of a binary evaluation, with precision, recall and F1 of the positive class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confusion {
    /// Predicted positive, truly positive.
    pub true_positives: usize,
    /// Predicted positive, truly negative.
    pub false_positives: usize,
    /// Predicted negative, truly positive.
    pub false_negatives: usize,
    /// Predicted negative, truly negative.
    pub true_negatives: usize,
}

impl Confusion {
    /// Counts (predicted, actual) pairs.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (bool, bool)>) -> Self {
        let mut c = Confusion::default();
        for pair in pairs {
            c.add(pair.0, pair.1);
        }
        c
    }

    /// Adds one (predicted, actual) pair.
    pub fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.true_positives += 1,
            (true, false) => self.false_positives += 1,
            (false, true) => self.false_negatives += 1,
            (false, false) => self.true_negatives += 1,
        }
    }

    /// Number of pairs counted.
    pub fn n(&self) -> usize {
        self.true_positives + self.false_positives + self.false_negatives + self.true_negatives
    }

    /// `tp / (tp + fp)`, 0 when nothing was predicted positive.
    pub fn precision(&self) -> f64 {
        ratio(self.true_positives, self.true_positives + self.false_positives)
    }

    /// `tp / (tp + fn)`, 0 when nothing is positive.
    pub fn recall(&self) -> f64 {
        ratio(self.true_positives, self.true_positives + self.false_negatives)
    }

    /// Harmonic mean of precision and recall, 0 when both are 0.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }

    /// Share of pairs predicted correctly, 0 when empty.
    pub fn accuracy(&self) -> f64 {
        ratio(self.true_positives + self.true_negatives, self.n())
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

// ---------------------------------------------------------------------------------------
// Word lists. All closed-class English words or general English verbs; each list is sorted
// (a unit test checks it) so membership is a binary search.

/// Base-form English verbs that can open an imperative. A general list written for this
/// module (common verbs of everyday, administrative and public-service English), not
/// derived from any labelled data. Verbs that mostly open sentences with a dropped subject
/// ("thank", "hope", "think", "love", "need", "want", …) are left out on purpose.
#[rustfmt::skip]
const VERBS: &[&str] = &[
    "abandon", "abolish", "absorb", "accelerate", "accept", "access", "accommodate", "accompany",
    "achieve", "acknowledge", "acquire", "act", "activate", "adapt", "add", "address", "adjust",
    "admit", "adopt", "advance", "advertise", "advise", "advocate", "afford", "aid", "aim", "alert",
    "align", "allocate", "allow", "alter", "amend", "analyse", "analyze", "announce", "answer",
    "anticipate", "apologise", "apologize", "appeal", "apply", "appoint", "approach", "approve",
    "archive", "argue", "arrange", "ask", "assemble", "assess", "assign", "assist", "assume",
    "assure", "attach", "attempt", "attend", "attract", "audit", "authorise", "authorize",
    "automate", "avoid", "award", "back", "bake", "balance", "ban", "base", "be", "beat", "become",
    "begin", "benchmark", "bend", "bind", "block", "boil", "book", "boost", "borrow", "bother",
    "brand", "break", "brief", "bring", "broadcast", "broaden", "browse", "brush", "budget",
    "build", "bundle", "burn", "bury", "buy", "bypass", "calculate", "call", "calm", "cancel",
    "cap", "capture", "care", "carry", "carve", "catch", "categorise", "categorize", "cater",
    "cause", "cease", "celebrate", "centralise", "centralize", "certify", "challenge", "change",
    "charge", "chase", "chat", "check", "cheer", "choose", "cite", "claim", "clarify", "classify",
    "clean", "clear", "climb", "clip", "close", "coach", "collaborate", "collect", "color",
    "colour", "combat", "combine", "come", "command", "comment", "commission", "commit",
    "communicate", "compare", "compensate", "compete", "compile", "complete", "comply", "compose",
    "compress", "concentrate", "condense", "conduct", "confirm", "connect", "conserve", "consider",
    "consolidate", "construct", "consult", "contact", "contain", "continue", "contribute",
    "control", "convert", "convince", "cook", "cooperate", "coordinate", "copy", "correct",
    "counsel", "count", "cover", "craft", "create", "credit", "crop", "cross", "cultivate", "cure",
    "customise", "customize", "cut", "deal", "debate", "decentralise", "decentralize", "decide",
    "declare", "decline", "decorate", "decrease", "dedicate", "deduct", "defend", "defer", "define",
    "delay", "delegate", "delete", "deliver", "demand", "demonstrate", "deny", "deploy", "deposit",
    "describe", "design", "destroy", "detach", "detect", "determine", "develop", "devise", "devote",
    "diagnose", "dig", "digitise", "digitize", "direct", "disable", "discard", "disclose",
    "discontinue", "discourage", "discover", "discuss", "dismiss", "dispatch", "display", "dispose",
    "dissolve", "distinguish", "distribute", "dive", "divert", "divide", "do", "document", "donate",
    "double", "download", "draft", "drag", "drain", "draw", "dress", "drill", "drink", "drive",
    "drop", "dry", "dump", "duplicate", "earn", "ease", "eat", "edit", "educate", "elect",
    "elevate", "eliminate", "email", "embed", "embrace", "emphasise", "emphasize", "employ",
    "empower", "enable", "enact", "enclose", "encourage", "encrypt", "end", "endorse", "enforce",
    "engage", "enhance", "enjoy", "enlarge", "enlist", "enquire", "enrich", "enrol", "enroll",
    "ensure", "enter", "entertain", "equip", "erase", "escalate", "establish", "estimate",
    "evacuate", "evaluate", "evolve", "examine", "exchange", "exclude", "excuse", "execute",
    "exempt", "exercise", "exhibit", "exit", "expand", "expedite", "explain", "exploit", "explore",
    "export", "expose", "express", "extend", "extract", "facilitate", "feed", "fence", "fetch",
    "fight", "file", "fill", "filter", "finalise", "finalize", "finance", "find", "finish", "fit",
    "fix", "flag", "flatten", "flip", "flush", "fly", "focus", "fold", "follow", "forbid", "force",
    "forecast", "forget", "forgive", "form", "formalise", "formalize", "forward", "foster", "frame",
    "free", "freeze", "fuel", "fund", "furnish", "gain", "gather", "generate", "get", "give",
    "glue", "go", "grab", "grade", "grant", "greet", "group", "grow", "guarantee", "guide", "halt",
    "hand", "handle", "hang", "harmonise", "harmonize", "harness", "head", "heal", "hear", "heat",
    "help", "hide", "highlight", "hire", "hold", "honor", "honour", "hook", "host", "hunt", "hurry",
    "identify", "ignore", "illuminate", "illustrate", "imagine", "imitate", "implement", "import",
    "impose", "improve", "incentivise", "incentivize", "include", "incorporate", "increase",
    "index", "indicate", "inform", "initiate", "inject", "innovate", "inquire", "insert", "insist",
    "inspect", "inspire", "install", "institute", "instruct", "insure", "integrate", "interact",
    "interpret", "interrupt", "interview", "introduce", "invent", "invest", "investigate", "invite",
    "involve", "isolate", "issue", "iterate", "join", "judge", "jump", "justify", "keep", "kick",
    "kill", "knock", "label", "launch", "lay", "lead", "lean", "learn", "leave", "lend", "lengthen",
    "let", "liaise", "licence", "license", "lift", "lighten", "limit", "link", "list", "listen",
    "load", "localise", "localize", "lock", "log", "look", "loosen", "lower", "mail", "maintain",
    "make", "manage", "mandate", "map", "mark", "match", "maximise", "maximize", "measure", "meet",
    "mention", "merge", "migrate", "mind", "minimise", "minimize", "mirror", "mitigate", "mix",
    "mobilise", "mobilize", "moderate", "modernise", "modernize", "modify", "monitor", "motivate",
    "mount", "move", "mute", "name", "narrow", "navigate", "negotiate", "nominate", "normalise",
    "normalize", "notify", "nurture", "obey", "observe", "obtain", "offer", "offset", "omit",
    "open", "operate", "opt", "optimise", "optimize", "order", "organise", "organize", "outline",
    "outsource", "overcome", "overhaul", "override", "oversee", "pace", "pack", "paint", "pair",
    "park", "participate", "pass", "patch", "pause", "pay", "peel", "perform", "permit", "persist",
    "persuade", "phase", "pick", "pilot", "pin", "place", "plan", "plant", "play", "plug", "point",
    "polish", "pool", "populate", "position", "post", "postpone", "pour", "practice", "practise",
    "praise", "predict", "prepare", "prescribe", "present", "preserve", "press", "prevent",
    "preview", "price", "print", "prioritise", "prioritize", "probe", "proceed", "process",
    "procure", "produce", "prohibit", "promote", "prompt", "proofread", "protect", "prove",
    "provide", "publish", "pull", "pump", "punish", "purchase", "purge", "pursue", "push", "put",
    "qualify", "quantify", "query", "question", "queue", "quit", "quote", "raise", "rank", "rate",
    "rationalise", "rationalize", "reach", "react", "read", "reallocate", "rearrange", "reassess",
    "reassure", "rebalance", "rebrand", "rebuild", "recall", "receive", "recheck", "recognise",
    "recognize", "recommend", "reconnect", "reconsider", "record", "recover", "recruit", "rectify",
    "recycle", "redefine", "redesign", "redirect", "redistribute", "redo", "reduce", "refer",
    "refine", "reflect", "reform", "refresh", "refund", "refuse", "register", "regulate",
    "reimburse", "reinforce", "reinstate", "reintroduce", "reject", "relaunch", "relax", "release",
    "relieve", "reload", "relocate", "remake", "remedy", "remember", "remind", "remove", "rename",
    "renew", "rent", "reopen", "reorder", "reorganise", "reorganize", "repair", "repeal",
    "rephrase", "replace", "reply", "report", "reposition", "represent", "reprioritise",
    "reprioritize", "request", "require", "reschedule", "rescue", "research", "reserve", "reset",
    "resize", "resolve", "respect", "respond", "restart", "restore", "restrict", "restructure",
    "resubmit", "resume", "retain", "retest", "rethink", "retire", "retrain", "retrieve", "return",
    "reuse", "reveal", "review", "revise", "revisit", "reward", "rework", "rewrite", "ring", "rise",
    "roll", "rotate", "route", "run", "safeguard", "sample", "save", "scale", "scan", "schedule",
    "scrap", "screen", "seal", "search", "secure", "see", "seek", "select", "sell", "send",
    "separate", "serve", "set", "settle", "shape", "share", "shift", "shorten", "show", "shrink",
    "shut", "sign", "simplify", "simulate", "sit", "skip", "slow", "smooth", "soften", "solve",
    "sort", "speak", "specify", "speed", "spell", "spend", "split", "sponsor", "spread",
    "stabilise", "stabilize", "staff", "stamp", "stand", "standardise", "standardize", "start",
    "state", "stay", "steer", "step", "stick", "stop", "store", "stream", "streamline",
    "strengthen", "stress", "stretch", "strip", "structure", "study", "submit", "subscribe",
    "subsidise", "subsidize", "substitute", "suggest", "summarise", "summarize", "supervise",
    "supplement", "supply", "support", "suspend", "sustain", "swap", "switch", "sync",
    "synchronise", "synchronize", "tackle", "tag", "tailor", "take", "talk", "target", "tax",
    "teach", "tell", "test", "tidy", "tie", "tighten", "toggle", "touch", "trace", "track", "trade",
    "train", "transfer", "transform", "translate", "treat", "trial", "trigger", "trim", "trust",
    "try", "tune", "turn", "unblock", "uncheck", "underline", "undo", "unify", "unlink", "unlock",
    "update", "upgrade", "upload", "urge", "use", "utilise", "utilize", "validate", "value", "vary",
    "verify", "vet", "view", "visit", "volunteer", "vote", "wait", "waive", "wake", "walk", "warn",
    "wash", "watch", "weigh", "welcome", "widen", "win", "wipe", "withdraw", "withhold", "work",
    "wrap", "write",
];

/// Words ending in "ed" that are not past forms.
const EED_WORDS: &[&str] = &[
    "bleed", "breed", "creed", "deed", "exceed", "feed", "greed", "heed", "need", "proceed",
    "reed", "seed", "speed", "steed", "succeed", "weed",
];

/// Words skipped before an opening imperative ("Please provide …", "So add …").
#[rustfmt::skip]
const LEAD: &[&str] = &[
    "additionally", "also", "alternatively", "and", "but", "either", "finally", "first", "firstly",
    "hello", "hence", "hey", "hi", "ideally", "instead", "just", "kindly", "lastly", "maybe", "now",
    "oh", "ok", "okay", "or", "perhaps", "please", "pls", "plz", "second", "secondly", "simply",
    "so", "then", "therefore", "third", "thus", "well", "yes",
];

/// Words that, right after a would-be imperative verb, show it is a noun or a subject
/// ("Change is …", "Use of …").
#[rustfmt::skip]
const AUX: &[&str] = &[
    "'s", "am", "are", "be", "been", "being", "can", "could", "did", "do", "does", "had", "has",
    "have", "is", "may", "might", "must", "of", "shall", "should", "was", "were", "will", "would",
];

/// Positive evaluations after "would be".
#[rustfmt::skip]
const GOOD: &[&str] = &[
    "amazing", "appreciated", "awesome", "beneficial", "best", "better", "brilliant", "convenient",
    "cool", "desirable", "easier", "essential", "excellent", "fabulous", "fantastic", "fine",
    "good", "great", "handy", "helpful", "ideal", "important", "interesting", "lovely", "neat",
    "necessary", "nice", "perfect", "preferable", "sensible", "simpler", "smart", "super", "superb",
    "sweet", "terrific", "useful", "valuable", "welcome", "wise", "wonderful", "worthwhile",
];

/// Intensifiers and adverbs skipped between a modal and what follows ("would really be").
#[rustfmt::skip]
const INTENSIFIERS: &[&str] = &[
    "a", "also", "certainly", "definitely", "even", "extremely", "greatly", "highly", "incredibly",
    "lot", "more", "most", "much", "personally", "probably", "quite", "really", "so", "still",
    "truly", "very",
];

#[rustfmt::skip]
const NEGATIONS: &[&str] = &[
    "aren't", "can't", "cannot", "couldn't", "didn't", "doesn't", "don't", "hadn't", "hasn't",
    "haven't", "isn't", "never", "no", "nobody", "not", "nothing", "shouldn't", "wasn't", "weren't",
    "won't", "wouldn't",
];

const WH: &[&str] = &["how", "what", "when", "where", "which", "who", "whom", "whose", "why"];

/// Auxiliaries that open a question.
#[rustfmt::skip]
const AUX_Q: &[&str] = &[
    "am", "are", "aren't", "can", "can't", "could", "did", "do", "does", "doesn't", "don't", "had",
    "has", "have", "is", "isn't", "may", "might", "should", "was", "were", "will", "won't", "would",
];

const PRONOUNS: &[&str] = &["he", "i", "it", "she", "they", "we", "you"];

#[rustfmt::skip]
const PARTICIPLES: &[&str] = &[
    "become", "been", "begun", "bought", "broken", "brought", "built", "caught", "chosen", "done",
    "drawn", "driven", "eaten", "fallen", "forgotten", "found", "frozen", "given", "gone", "got",
    "gotten", "had", "hidden", "kept", "known", "left", "made", "paid", "put", "ridden", "risen",
    "run", "said", "seen", "sent", "set", "shaken", "shown", "spoken", "stolen", "sworn", "taken",
    "taught", "thought", "thrown", "told", "woken", "worn", "written",
];

#[rustfmt::skip]
const PAST_FORMS: &[&str] = &[
    "became", "began", "bought", "broke", "brought", "came", "chose", "did", "drew", "drove",
    "fell", "forgot", "found", "gave", "got", "had", "hid", "knew", "made", "paid", "ran", "rose",
    "said", "saw", "showed", "spoke", "stole", "thought", "threw", "told", "took", "tried", "was",
    "went", "were", "woke", "wore", "wrote",
];

#[rustfmt::skip]
const ADVICE_NOUNS: &[&str] = &[
    "alternative", "idea", "ideas", "possibility", "proposal", "proposals", "recommendation",
    "recommendations", "request", "solution", "suggestion", "suggestions", "wish", "workaround",
];

#[rustfmt::skip]
const ADVICE_VERBS: &[&str] = &[
    "advise", "propose", "proposes", "recommend", "recommends", "request", "requests", "suggest",
    "suggests", "urge",
];

#[rustfmt::skip]
const DETERMINERS: &[&str] = &[
    "a", "an", "another", "any", "its", "more", "my", "our", "some", "that", "the", "their",
    "these", "this", "those", "your",
];

#[rustfmt::skip]
const PREPOSITIONS: &[&str] = &[
    "about", "at", "by", "for", "from", "in", "into", "of", "on", "with",
];

/// Words that open a subordinate clause.
#[rustfmt::skip]
const SUBORDINATORS: &[&str] = &[
    "although", "as", "because", "if", "once", "since", "though", "unless", "when", "whenever",
    "whether", "while",
];

/// Words that open an adverbial before a main clause ("In the app, add …").
#[rustfmt::skip]
const INTRO: &[&str] = &[
    "after", "as", "at", "because", "before", "during", "for", "from", "if", "in", "on", "once",
    "since", "to", "when", "where", "while", "with",
];

/// Openers of a fragment that asks for more of something.
#[rustfmt::skip]
const MORE: &[&str] = &[
    "additional", "better", "clearer", "easier", "extra", "faster", "fewer", "greater", "improved",
    "increased", "less", "more", "new", "proper", "simpler", "stronger",
];

/// Words an actor noun phrase does not extend back over.
#[rustfmt::skip]
const ACTOR_STOP: &[&str] = &[
    "addition", "additionally", "also", "although", "and", "are", "as", "because", "but", "course",
    "crucially", "example", "feel", "finally", "firstly", "furthermore", "hence", "how", "i", "if",
    "importantly", "instance", "is", "moreover", "now", "opinion", "overall", "personally",
    "please", "propose", "recommend", "secondly", "since", "so", "suggest", "that", "then",
    "therefore", "think", "though", "thus", "ultimately", "unless", "view", "was", "were", "what",
    "when", "whenever", "where", "whereas", "which", "while", "who", "why", "will", "would",
];

/// Subjects that name no one: no actor is reported for them.
#[rustfmt::skip]
const NON_ACTORS: &[&str] = &[
    "everybody", "everyone", "he", "i", "it", "one", "she", "somebody", "someone", "that", "there",
    "these", "they", "this", "those", "us", "we", "you",
];

/// Words that end the action's clause.
#[rustfmt::skip]
const CLAUSE_END: &[&str] = &[
    "although", "because", "but", "however", "otherwise", "though", "unless", "whereas",
];

/// Words that end the action's clause after a comma.
const CLAUSE_END_AFTER_COMMA: &[&str] = &["as", "since", "so", "which", "while", "who"];

fn has(list: &[&str], w: &str) -> bool {
    list.binary_search(&w).is_ok()
}

/// Whether `w` is a base-form verb of [`VERBS`], also behind a prefix ("re-write").
fn is_verb(w: &str) -> bool {
    if has(VERBS, w) {
        return true;
    }
    match w.split_once('-') {
        Some(("re" | "pre" | "co" | "de" | "un", rest)) => has(VERBS, rest),
        _ => false,
    }
}

/// Whether `w` looks like a regular "-ed" form: "need", "feed", "proceed" … end in "ed"
/// but are not.
fn ends_in_ed(w: &str) -> bool {
    w.len() > 3 && w.ends_with("ed") && !has(EED_WORDS, w)
}

fn is_participle(w: &str) -> bool {
    has(PARTICIPLES, w) || ends_in_ed(w)
}

fn is_past(w: &str) -> bool {
    has(PAST_FORMS, w) || ends_in_ed(w)
}

fn is_negation(w: &str) -> bool {
    has(NEGATIONS, w) || w.ends_with("n't")
}

fn is_first_person(w: &str) -> bool {
    matches!(w, "i" | "we")
}

// ---------------------------------------------------------------------------------------
// Tokens.

/// A word or a punctuation mark of a sentence (shared with [`crate::stance`]).
#[derive(Debug, Clone)]
pub(crate) struct Tok<'a> {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Lower-cased word with ’ as '; for punctuation, the character.
    pub(crate) norm: Cow<'a, str>,
    pub(crate) word: bool,
}

/// Splits a sentence into words and the punctuation that matters for clauses.
///
/// A word is a run of letters, digits and `_`, joined by an apostrophe before a letter
/// ("don't", "it'd") or a hyphen between word characters ("re-write"). Unlike UAX #29, a
/// full stop between letters splits ("slow.Please"): forum and survey text often omits the
/// space after a sentence, and the second sentence's opening matters here.
pub(crate) fn scan(s: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_alphanumeric() || c == '_' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if d.is_alphanumeric() || d == '_' {
                    end = j + d.len_utf8();
                    it.next();
                    continue;
                }
                let after = s[j + d.len_utf8()..].chars().next();
                let joins = match d {
                    '\'' | '\u{2019}' => after.is_some_and(char::is_alphabetic),
                    '-' | '\u{2010}' | '\u{2011}' => {
                        after.is_some_and(|a| a.is_alphanumeric() || a == '_')
                    }
                    _ => false,
                };
                if !joins {
                    break;
                }
                it.next();
                end = j + d.len_utf8();
            }
            let raw = &s[i..end];
            let norm = if raw.bytes().all(|b| !b.is_ascii_uppercase() && b.is_ascii()) {
                Cow::Borrowed(raw)
            } else {
                Cow::Owned(raw.to_lowercase().replace('\u{2019}', "'"))
            };
            out.push(Tok { start: i, end, norm, word: true });
        } else if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '(' | ')' | '\u{2026}') {
            let norm = Cow::Borrowed(if c == '\u{2026}' { "." } else { &s[i..i + 1] });
            out.push(Tok { start: i, end: i + c.len_utf8(), norm, word: false });
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Cue matching.

/// The cues of a sentence, where each first matched (as a word index), and its tokens.
struct Analysis<'a> {
    set: CueSet,
    anchor: [u32; N_CUES],
    toks: Vec<Tok<'a>>,
    /// Token index of each word.
    words: Vec<usize>,
    /// Pattern names more specific than their cue's ("modal:must" for [`Cue::Should`]).
    names: Vec<(Cue, &'static str)>,
    /// The negator words of an opening negated imperative, which are not a negation of
    /// the statement ("Do not …").
    negator: std::ops::Range<usize>,
}

impl Analysis<'_> {
    fn add(&mut self, cue: Cue, at: usize) {
        if !self.set.contains(cue) {
            self.set.insert(cue);
            self.anchor[cue.index()] = at as u32;
        }
    }

    /// Adds `cue` with a pattern name more specific than its own.
    fn add_named(&mut self, cue: Cue, at: usize, name: &'static str) {
        if !self.set.contains(cue) {
            self.names.push((cue, name));
        }
        self.add(cue, at);
    }

    fn anchor(&self, cue: Cue) -> usize {
        self.anchor[cue.index()] as usize
    }

    fn n(&self) -> usize {
        self.words.len()
    }

    /// Word `i`, or "" past the end.
    fn w(&self, i: usize) -> &str {
        self.words.get(i).map_or("", |&t| &self.toks[t].norm)
    }

    /// The token right after word `i`, punctuation included: "" at the end.
    fn next_tok(&self, i: usize) -> &str {
        self.words.get(i).and_then(|&t| self.toks.get(t + 1)).map_or("", |t| &t.norm)
    }

    /// Whether punctuation stands between word `i − 1` and word `i`.
    fn punct_before(&self, i: usize) -> bool {
        i > 0 && self.words[i] != self.words[i - 1] + 1
    }

    /// The first word index at or after `i` that is not an intensifier.
    fn skip_intensifiers(&self, mut i: usize) -> usize {
        while i < self.n() && has(INTENSIFIERS, self.w(i)) {
            i += 1;
        }
        i
    }
}

fn analyse(sentence: &str) -> Analysis<'_> {
    let toks = scan(sentence);
    let words: Vec<usize> = (0..toks.len()).filter(|&i| toks[i].word).collect();
    let mut a = Analysis {
        set: CueSet::new(),
        anchor: [0; N_CUES],
        toks,
        words,
        names: Vec::new(),
        negator: 0..0,
    };
    let n = a.n();
    if n == 0 {
        return a;
    }
    let question = a.toks.iter().any(|t| t.norm == "?");

    // The opening: skip discourse words, "at least", and a label such as "Suggestion:".
    let mut i = 0;
    loop {
        while i < n && has(LEAD, a.w(i)) {
            i += 1;
        }
        if a.w(i) == "at" && a.w(i + 1) == "least" {
            i += 2;
        } else if (a.w(i), a.w(i + 1), a.w(i + 2), a.w(i + 3)) == ("at", "the", "very", "least") {
            i += 4;
        } else if a.w(i) == "atleast" {
            i += 1;
        } else if i < n && has(ADVICE_NOUNS, a.w(i)) && a.next_tok(i) == ":" {
            a.add(Cue::SuggestionNoun, i);
            i += 1;
        } else {
            break;
        }
    }
    let first = a.w(i).to_owned();
    let next = a.w(i + 1).to_owned();
    opening_cues(&mut a, i, &first, &next, question);
    inner_imperatives(&mut a);
    if let Some(p) = (0..n).find(|&j| matches!(a.w(j), "please" | "pls" | "plz")) {
        let cue = if is_verb(a.w(p + 1)) { Cue::PleaseVerb } else { Cue::Please };
        a.add(cue, p);
    }

    // Which words stand in a subordinate clause ("if …", "when …" up to punctuation).
    let mut open = false;
    let sub: Vec<bool> = (0..n)
        .map(|j| {
            if a.punct_before(j) {
                let t = a.words[j] - 1;
                if matches!(&*a.toks[t].norm, "," | ";" | ":" | "(" | ")" | "." | "!" | "?") {
                    open = false;
                }
            }
            if has(SUBORDINATORS, a.w(j)) {
                open = true;
            }
            open
        })
        .collect();
    let mut found = Vec::new();
    for (j, &sub) in sub.iter().enumerate() {
        found.clear();
        word_cues(&a, j, i, question, &mut found);
        for &(cue, at, name) in &found {
            // Needs, wants and requests inside "if / when …" are conditions, not requests.
            let conditional = matches!(
                cue,
                Cue::NeedTo
                    | Cue::WeNeedTo
                    | Cue::NeedObject
                    | Cue::Want
                    | Cue::WantFirst
                    | Cue::CouldYou
                    | Cue::WouldVerb
            );
            let cue = if sub && conditional { Cue::ConditionalModal } else { cue };
            match name {
                Some(name) => a.add_named(cue, at, name),
                None => a.add(cue, at),
            }
        }
    }
    sentence_cues(&mut a, i, &first, question);
    a
}

/// Cues of the sentence's opening word (after skipped lead words) at word `i`.
fn opening_cues(a: &mut Analysis<'_>, i: usize, first: &str, next: &str, question: bool) {
    // "Don't / Never / Do not" + a verb. Without the verb test, subject-less statements
    // ("Don't know why …", "Never had this problem") would count.
    let negator = match first {
        "don't" | "never" => Some((1, first)),
        "do" if next == "not" => Some((2, "do-not")),
        _ => None,
    };
    if first == "let's" && next != "say" {
        a.add(Cue::Imperative, i);
    } else if let Some((len, word)) = negator
        && is_verb(a.w(i + len))
        && !has(AUX, a.w(i + len + 1))
    {
        a.negator = i..i + len;
        let name = match word {
            "never" => "negated-imperative:never",
            "don't" => "negated-imperative:don't",
            _ => "negated-imperative:do-not",
        };
        a.add_named(Cue::Imperative, i, name);
    } else if (is_verb(first) || (first == "have" && has(DETERMINERS, next)))
        && !has(AUX, next)
        && !has(AUX, a.w(skip_adverbs(a, i + 1)))
        && !(has(AUX_Q, first) && (question || has(PRONOUNS, next)))
    {
        let after = a.next_tok(i);
        let weak = after.is_empty()
            || !after.starts_with(|c: char| c.is_alphanumeric())
            || has(PREPOSITIONS, after);
        let cue = if weak { Cue::ImperativeWeak } else { Cue::Imperative };
        // "Stop …" is an imperative like any other; its name says it asks to stop.
        match first {
            "stop" | "cease" => a.add_named(cue, i, "negated-imperative:stop"),
            "quit" => a.add_named(cue, i, "negated-imperative:quit"),
            "avoid" => a.add_named(cue, i, "negated-imperative:avoid"),
            _ => a.add(cue, i),
        }
    }
    if matches!(first, "can" | "could" | "would" | "will")
        && matches!(next, "you" | "we" | "i" | "u")
    {
        a.add(Cue::CanYou, i);
    }
    if has(INTRO, first)
        && let Some(comma) = a.toks.iter().position(|t| t.norm == ",")
    {
        let mut t = comma + 1;
        while t < a.toks.len() && a.toks[t].word && has(LEAD, &a.toks[t].norm) {
            t += 1;
        }
        if t < a.toks.len() && a.toks[t].word && is_verb(&a.toks[t].norm) {
            let after = a.toks.get(t + 1).map_or("", |x| &x.norm);
            if !has(AUX, after) {
                let j = a.words.iter().position(|&x| x == t).unwrap_or(i);
                a.add(Cue::ImperativeAfterIntro, j);
            }
        }
    }
}

/// The first word at or after `i` that is not an adverb of frequency or manner: "Staff
/// often have to …" shows "Staff" is a subject, not an imperative.
fn skip_adverbs(a: &Analysis<'_>, mut i: usize) -> usize {
    while i < a.n() {
        let w = a.w(i);
        let adverb = (w.len() > 4 && w.ends_with("ly"))
            || matches!(
                w,
                "often"
                    | "always"
                    | "never"
                    | "also"
                    | "still"
                    | "just"
                    | "already"
                    | "sometimes"
                    | "now"
                    | "then"
            );
        if !adverb {
            break;
        }
        i += 1;
    }
    i
}

/// Imperatives after punctuation inside the sentence.
fn inner_imperatives(a: &mut Analysis<'_>) {
    let nt = a.toks.len();
    for k in 1..nt.saturating_sub(1) {
        if a.toks[k].word {
            continue;
        }
        let sentence_break = matches!(&*a.toks[k].norm, "." | "!" | "?" | ";");
        let clause_break = matches!(&*a.toks[k].norm, "," | ":" | "(");
        if !sentence_break && !clause_break {
            continue;
        }
        let mut t = k + 1;
        while t < nt && a.toks[t].word && has(LEAD, &a.toks[t].norm) {
            t += 1;
        }
        if t >= nt || !a.toks[t].word || !is_verb(&a.toks[t].norm) {
            continue;
        }
        let after = a.toks.get(t + 1);
        let after_word = after.is_some_and(|x| x.word);
        let after = after.map_or("", |x| &x.norm);
        let j = a.words.iter().position(|&x| x == t).unwrap_or(0);
        if sentence_break {
            if after_word && !has(AUX, after) && !has(PREPOSITIONS, after) {
                a.add(Cue::ImperativeInner, j);
            }
        } else if after_word && !has(AUX, after) {
            a.add(Cue::ImperativeClause, j);
        }
    }
}

/// Cues anchored on word `j`; `start` is the opening word, `sub` whether `j` stands in a
/// subordinate clause.
fn word_cues(
    a: &Analysis<'_>,
    j: usize,
    start: usize,
    question: bool,
    found: &mut Vec<(Cue, usize, Option<&'static str>)>,
) {
    let x = a.w(j);
    let prev = if j > 0 { a.w(j - 1) } else { "" };
    let k = a.skip_intensifiers(j + 1);
    let nx = a.w(k);
    let nx2 = a.w(k + 1);
    let mut add = |cue: Cue, name: Option<&'static str>| found.push((cue, j, name));
    match x {
        "should" | "shouldn't" | "ought" | "must" | "mustn't" => {
            let (nx, nx2) = if x == "ought" {
                if nx != "to" {
                    return;
                }
                (a.w(k + 1), a.w(k + 2))
            } else {
                (nx, nx2)
            };
            if matches!(nx, "have" | "'ve") && is_participle(nx2) {
                add(Cue::PastModal, None);
            } else if question && (j == 0 || (is_first_person(prev) && j <= 2)) {
                add(Cue::Question, None);
            } else if is_first_person(prev) {
                add(Cue::WeShould, None);
            } else if matches!(prev, "it" | "this" | "that") {
                add(Cue::ItShould, None);
            } else {
                match x {
                    "must" | "mustn't" => add(Cue::Should, Some("modal:must")),
                    "ought" => add(Cue::Should, Some("modal:ought-to")),
                    _ => add(Cue::Should, None),
                }
            }
        }
        "could" | "couldn't" => {
            if nx == "have" && is_participle(nx2) {
                add(Cue::PastModal, None);
            } else if x == "couldn't" || is_negation(nx) {
                add(Cue::CouldNot, None);
            } else if nx == "you" || prev == "you" {
                add(Cue::CouldYou, None);
            } else if is_first_person(prev) {
                add(Cue::WeCould, None);
            } else {
                add(Cue::Could, None);
            }
        }
        "can" | "will" if question && matches!(nx, "you" | "we") => add(Cue::CanYou, None),
        _ if x == "would"
            || x == "'d"
            || x.strip_suffix("'d").is_some_and(|p| {
                matches!(p, "i" | "it" | "that" | "we" | "you" | "they" | "this")
            }) =>
        {
            if matches!(x, "it'd" | "that'd") {
                add(Cue::ItWould, None);
            }
            if nx == "be" {
                let b = a.skip_intensifiers(k + 1);
                let after = a.w(b);
                if after == "to" {
                    add(Cue::ProposalIsTo, None);
                } else if has(GOOD, after) || (matches!(after, "a" | "an") && has(GOOD, a.w(b + 1)))
                {
                    add(Cue::WouldBeGood, None);
                }
            } else if matches!(nx, "like" | "love" | "appreciate" | "prefer" | "want") {
                add(Cue::WouldLike, None);
            } else if nx == "have" && is_participle(nx2) {
                add(Cue::PastModal, None);
            } else if nx == "it" && nx2 == "be" {
                add(Cue::IfPossible, None);
            } else if matches!(
                nx,
                "help"
                    | "benefit"
                    | "improve"
                    | "ease"
                    | "simplify"
                    | "save"
                    | "solve"
                    | "enable"
                    | "allow"
                    | "make"
                    | "reduce"
                    | "encourage"
                    | "prevent"
                    | "support"
            ) {
                add(Cue::WouldHelp, None);
            } else if is_verb(nx) {
                add(Cue::WouldVerb, None);
            }
        }
        "will" | "'ll" | "it'll" | "that'll" | "this'll" | "might" | "may" => {
            if nx == "be" {
                let b = a.skip_intensifiers(k + 1);
                if has(GOOD, a.w(b)) {
                    add(Cue::WillBeGood, None);
                }
            }
            if matches!(x, "might" | "may")
                && matches!(nx, "help" | "want" | "like" | "consider" | "be" | "make")
            {
                add(Cue::Might, None);
            }
        }
        "need" | "needs" => {
            if nx == "to" {
                add(if is_first_person(prev) { Cue::WeNeedTo } else { Cue::NeedTo }, None);
            } else if !nx.is_empty()
                && (has(DETERMINERS, nx)
                    || !(has(AUX, nx) || is_negation(nx) || has(PRONOUNS, nx) || nx == "for"))
            {
                add(Cue::NeedObject, None);
            }
        }
        "needed" if matches!(prev, "is" | "are" | "be" | "been") => {
            add(Cue::IsNeeded, None);
        }
        "needed" | "had" if nx == "to" => add(Cue::PastModal, None),
        "have" | "has" if nx == "to" && prev != "would" => {
            add(if is_first_person(prev) { Cue::IHaveTo } else { Cue::HaveTo }, None);
        }
        "wish" | "hope" | "hopefully" => add(Cue::Wish, None),
        "looking" if nx == "forward" => add(Cue::Wish, None),
        "possible"
            if prev == "if"
                || (j >= 2 && a.w(j - 2) == "if")
                || (j >= 3 && a.w(j - 3) == "if")
                || (prev == "it" && j >= 2 && matches!(a.w(j - 2), "is" | "be" | "isn't")) =>
        {
            add(Cue::IfPossible, None);
        }
        "why"
            if nx == "not"
                || (matches!(nx, "don't" | "doesn't" | "can't" | "won't")
                    && matches!(nx2, "you" | "we" | "they" | "it")) =>
        {
            add(Cue::WhyNot, None);
        }
        "how" | "what" if nx == "about" => add(Cue::WhyNot, Some("how-about")),
        "want" | "wants" => {
            add(if is_first_person(prev) { Cue::WantFirst } else { Cue::Want }, None);
        }
        "able" if prev == "be" => add(Cue::BeAbleTo, None),
        "better" | "best" if matches!(nx, "to" | "if") => add(Cue::BetterTo, None),
        "instead" => add(Cue::Instead, None),
        "rather" if nx == "than" => add(Cue::Instead, None),
        "important" | "necessary" | "essential" | "vital" | "crucial" | "imperative"
            if matches!(nx, "to" | "that") =>
        {
            add(Cue::WouldBeGood, Some("important-that"));
        }
        "make" | "makes" if nx == "sense" => add(Cue::MakesSense, None),
        "let" | "allow" | "enable" | "permit" | "help" | "give"
            if j > start && matches!(nx, "us" | "me" | "them" | "everyone" | "people") =>
        {
            add(Cue::LetUs, None);
        }
        _ => {}
    }
    if has(ADVICE_VERBS, x) && performative(a, j) {
        add(Cue::SuggestVerb, None);
    } else if has(ADVICE_NOUNS, x) {
        let next = a.w(j + 1);
        let next2 = a.w(j + 2);
        let possessed = matches!(prev, "my" | "our" | "one" | "another" | "main" | "only");
        if (next == "is" && matches!(next2, "to" | "that"))
            || (possessed && (next == "is" || (next == "would" && next2 == "be")))
        {
            add(Cue::ProposalIsTo, None);
        } else if matches!(
            prev,
            "my" | "our" | "one" | "another" | "the" | "a" | "an" | "only" | "main"
        ) {
            add(Cue::SuggestionNoun, None);
        }
    }
}

/// Whether the advice verb at word `j` is the speaker's own ("I suggest", "we would
/// strongly recommend"), not a report ("the guidance suggests", "as requested").
fn performative(a: &Analysis<'_>, j: usize) -> bool {
    let mut p = j;
    while p > 0 {
        let w = a.w(p - 1);
        if has(INTENSIFIERS, w) || (w.len() > 4 && w.ends_with("ly")) {
            p -= 1;
        } else {
            break;
        }
    }
    p > 0
        && matches!(
            a.w(p - 1),
            "i" | "we" | "i'd" | "we'd" | "would" | "'d" | "should" | "could" | "might" | "to"
        )
}

/// Cues of the whole sentence.
fn sentence_cues(a: &mut Analysis<'_>, start: usize, first: &str, question: bool) {
    let n = a.n();
    if question && (has(WH, first) || has(AUX_Q, first)) {
        a.add(Cue::Question, start);
    }
    let mut has_if = None;
    let mut has_would = false;
    let mut negated = false;
    let mut but = false;
    let mut found: Vec<(Cue, usize)> = Vec::new();
    for j in 0..n {
        let (x, y, z) = (a.w(j), a.w(j + 1), a.w(j + 2));
        let mut add = |cue: Cue, at: usize| found.push((cue, at));
        match (x, y) {
            ("it", "would" | "will") => add(Cue::ItWould, j),
            ("it'd" | "it'll", _) => add(Cue::ItWould, j),
            ("so", "that") => add(Cue::SoThat, j),
            ("how", "do" | "does" | "did" | "can" | "could" | "to" | "would" | "should") => {
                add(Cue::HowQuestion, j)
            }
            ("you", "can" | "could" | "may" | "might") => add(Cue::YouCan, j),
            ("i" | "we", "have" | "had" | "am" | "was" | "were" | "get" | "use" | "see") => {
                add(Cue::FirstPersonState, j)
            }
            ("i" | "we", "tried" | "found" | "know" | "think" | "noticed") => {
                add(Cue::FirstPersonState, j)
            }
            ("i'm" | "i've" | "we're" | "we've", _) => add(Cue::FirstPersonState, j),
            ("currently" | "presently", _) => add(Cue::CurrentState, j),
            ("at", "present") | ("right", "now") => add(Cue::CurrentState, j),
            ("at", "the") if z == "moment" => add(Cue::CurrentState, j),
            ("better" | "easier" | "simpler" | "faster" | "clearer", _) => add(Cue::Comparative, j),
            ("maybe" | "perhaps" | "ideally", _) => add(Cue::Hedge, j),
            ("thank" | "thanks" | "thx", _) => add(Cue::Thanks, j),
            ("then", _) => add(Cue::Narrative, j),
            _ => {}
        }
        if has(DETERMINERS, x)
            && matches!(x, "a" | "an" | "the" | "some" | "any")
            && matches!(
                y,
                "way"
                    | "ability"
                    | "option"
                    | "possibility"
                    | "opportunity"
                    | "means"
                    | "facility"
                    | "mechanism"
                    | "chance"
            )
            && matches!(z, "to" | "of" | "for")
        {
            add(Cue::WayTo, j);
        }
        let problem =
            matches!(
                x,
                "doesn't"
                    | "didn't"
                    | "isn't"
                    | "aren't"
                    | "wasn't"
                    | "weren't"
                    | "can't"
                    | "cannot"
                    | "couldn't"
                    | "won't"
                    | "unable"
            ) || (matches!(x, "does" | "did" | "is" | "are" | "was" | "can" | "could" | "will")
                && y == "not")
                || (x == "not"
                    && matches!(
                        y,
                        "possible" | "available" | "supported" | "working" | "allowed" | "able"
                    ));
        if problem {
            add(Cue::Problem, j);
        }
        if has(PRONOUNS, x) && is_past(y) {
            add(Cue::PastTense, j);
        }
        // The negator of an opening "Do not …" and the "not" of "why not" deny nothing.
        if is_negation(x)
            && !a.negator.contains(&j)
            && !(x == "not" && j > 0 && a.w(j - 1) == "why")
        {
            negated = true;
            add(Cue::Negation, j);
        }
        if x == "if" && has_if.is_none() {
            has_if = Some(j);
        }
        if x == "would" || x.ends_with("'d") {
            has_would = true;
        }
        if x == "but" {
            but = true;
        }
        if matches!(x, "would" | "will")
            && y == "be"
            && !a.set.contains(Cue::WouldBeGood)
            && !a.set.contains(Cue::WillBeGood)
            && (matches!(a.w(j + 3), "to" | "if") || matches!(a.w(j + 4), "to" | "if"))
        {
            add(Cue::WouldBeOther, j);
        }
    }
    for (cue, at) in found {
        a.add(cue, at);
    }
    if matches!(a.w(0), "hi" | "hello" | "hey" | "dear") {
        a.add(Cue::Greeting, 0);
    }
    if a.toks.last().is_some_and(|t| t.norm == ":") {
        a.add(Cue::EndsWithColon, n - 1);
    }
    if n < 5 {
        a.add(Cue::Short, 0);
    }
    if has(MORE, first) {
        a.add(Cue::MoreOf, start);
    }
    if let Some(stem) = first.strip_suffix("ing")
        && stem.len() >= 2
        && (is_verb(stem)
            || is_verb(&format!("{stem}e"))
            || stem.len() > 2
                && stem.as_bytes()[stem.len() - 1] == stem.as_bytes()[stem.len() - 2]
                && is_verb(&stem[..stem.len() - 1]))
        && (0..n).any(|j| matches!(a.w(j), "would" | "will" | "could") || a.w(j).ends_with("'d"))
    {
        a.add(Cue::GerundWould, start);
    }
    if let Some(p) = has_if
        && has_would
        && (p..n).any(|j| matches!(a.w(j), "could" | "were"))
    {
        a.add(Cue::Counterfactual, p);
    }
    if but && negated && (a.set.contains(Cue::Should) || a.set.contains(Cue::WeShould)) {
        a.add(Cue::ShouldButNot, 0);
    }
}

fn pattern_name(cue: Cue, a: &Analysis<'_>) -> &'static str {
    a.names.iter().find(|(c, _)| *c == cue).map_or(cue.name(), |&(_, name)| name)
}

// ---------------------------------------------------------------------------------------
// Actor and action.

/// The actor and action of `sentence` for its strongest cue.
fn extract(sentence: &str, a: &Analysis<'_>, cue: Cue) -> (Option<String>, Option<String>) {
    let at = a.anchor(cue);
    match cue {
        Cue::Should
        | Cue::ItShould
        | Cue::WeShould
        | Cue::Could
        | Cue::WeCould
        | Cue::NeedTo
        | Cue::WeNeedTo
        | Cue::HaveTo
        | Cue::Might => modal_clause(sentence, a, at),
        Cue::NeedObject => (actor_before(sentence, a, at), action_from(sentence, a, at)),
        Cue::Imperative
        | Cue::ImperativeWeak
        | Cue::ImperativeInner
        | Cue::ImperativeClause
        | Cue::ImperativeAfterIntro
        | Cue::MoreOf => (None, action_from(sentence, a, at)),
        Cue::PleaseVerb => (None, action_from(sentence, a, at + 1)),
        Cue::CanYou | Cue::CouldYou => {
            // The verb after "you" / "we" (and an optional "please").
            let mut v = at + 1;
            while v < a.n() && matches!(a.w(v), "you" | "we" | "i" | "u" | "please" | "also") {
                v += 1;
            }
            if a.w(v) == "could" {
                v += 1;
            }
            (None, action_from(sentence, a, v))
        }
        Cue::WouldLike | Cue::WantFirst | Cue::Want => {
            let mut v = at + 1;
            while v < a.n() && v <= at + 2 && a.w(v) != "to" {
                v += 1;
            }
            let v = if a.w(v) == "to" { v + 1 } else { at + 2 };
            (None, action_from(sentence, a, v))
        }
        Cue::WhyNot => {
            let v = match a.w(at + 1) {
                "not" | "about" => at + 2,
                _ => at + 3,
            };
            (None, action_from(sentence, a, v))
        }
        Cue::WouldBeGood
        | Cue::WillBeGood
        | Cue::WouldBeOther
        | Cue::ItWould
        | Cue::WouldHelp
        | Cue::ProposalIsTo
        | Cue::BetterTo => complement(sentence, a, at),
        Cue::SuggestVerb => advice(sentence, a, at),
        _ => (None, None),
    }
}

/// "X should Y": X before the modal, Y after it ("to" skipped for "need to", "have to",
/// "ought to"). A passive action ("funding should be increased") has no actor: its subject
/// is what is acted on, so the whole clause is the action.
fn modal_clause(sentence: &str, a: &Analysis<'_>, at: usize) -> (Option<String>, Option<String>) {
    let mut v = at + 1;
    if a.w(v) == "to" {
        v += 1;
    }
    if a.w(at) == "ought" && a.w(v) == "to" {
        v += 1;
    }
    // "there should be X": the action is X.
    if at > 0 && a.w(at - 1) == "there" && a.w(v) == "be" {
        return (None, action_from(sentence, a, v + 1));
    }
    let passive = a.w(v) == "be" && is_participle(a.w(a.skip_intensifiers(v + 1)));
    let actor = actor_start(a, at);
    if passive {
        return (None, actor.and_then(|s| action_from(sentence, a, s)));
    }
    let actor = actor.and_then(|s| phrase(sentence, a, s, at));
    (actor, action_from(sentence, a, v))
}

/// The complement of an evaluation or a proposal: after "to" ("it would be good to X"), or
/// the clause after "if" / "that" ("… if trusts published X"), or a gerund ("it would help
/// adding X"); for a noun of advice, what follows "is" / "would be" ("my suggestion would be
/// a phased roll-out").
fn complement(sentence: &str, a: &Analysis<'_>, at: usize) -> (Option<String>, Option<String>) {
    let limit = (at + 6).min(a.n());
    for p in at + 1..limit {
        if a.punct_before(p) && !matches!(a.w(p), "that" | "if" | "to") {
            break;
        }
        match a.w(p) {
            "to" => return (None, action_from(sentence, a, p + 1)),
            "if" | "that" => return clause_after(sentence, a, p + 1),
            w if p == at + 1 && w.ends_with("ing") && w.len() > 4 => {
                return (None, action_from(sentence, a, p));
            }
            _ => {}
        }
    }
    if has(ADVICE_NOUNS, a.w(at))
        && let Some(p) = (at + 1..limit).find(|&p| matches!(a.w(p), "is" | "be"))
    {
        return (None, action_from(sentence, a, p + 1));
    }
    (None, None)
}

/// What the speaker advises: "we recommend that trusts fund X" (a clause: actor "trusts",
/// action "fund X"), "I propose to X", "I suggest adding X", "we recommend a national
/// register" (an object: the action).
fn advice(sentence: &str, a: &Analysis<'_>, at: usize) -> (Option<String>, Option<String>) {
    match a.w(at + 1) {
        "that" => clause_after(sentence, a, at + 2),
        "to" => (None, action_from(sentence, a, at + 2)),
        _ => (None, action_from(sentence, a, at + 1)),
    }
}

/// A clause "NP verb …" starting at word `p`: the NP is the actor, the rest from the verb
/// (past a modal) the action. The verb is the first modal, auxiliary or past form; failing
/// that the first base-form verb, then the first "-s" form ("if NHS trusts published",
/// "that NHS trusts publish", "if the trust shares"). A word right after a determiner is
/// part of the noun phrase ("the register").
fn clause_after(sentence: &str, a: &Analysis<'_>, p: usize) -> (Option<String>, Option<String>) {
    let mut end = p;
    while end < (p + 8).min(a.n()) && !(end > p && a.punct_before(end)) {
        end += 1;
    }
    let candidates = |test: &dyn Fn(&str) -> bool| {
        (p..end).find(|&v| {
            (v == p || !has(DETERMINERS, a.w(v - 1))) && (v > p || is_modal(a.w(v))) && test(a.w(v))
        })
    };
    let finite = |w: &str| {
        is_modal(w)
            || is_past(w)
            || matches!(w, "is" | "are" | "was" | "were" | "has" | "have" | "had" | "does" | "do")
    };
    let base = |w: &str| is_verb(w);
    let third = |w: &str| {
        w.strip_suffix("ies").is_some_and(|st| is_verb(&format!("{st}y")))
            || w.strip_suffix("es").is_some_and(is_verb)
            || w.strip_suffix('s').is_some_and(is_verb)
    };
    let Some(v) = candidates(&finite).or_else(|| candidates(&base)).or_else(|| candidates(&third))
    else {
        return (None, action_from(sentence, a, p));
    };
    let modal = is_modal(a.w(v));
    let mut s = if modal { v + 1 } else { v };
    if modal && a.w(s) == "to" {
        s += 1;
    }
    // A passive ("that patient data is protected"): the subject is acted on, not the actor.
    let be = if matches!(a.w(s), "be" | "is" | "are" | "was" | "were") { s } else { v };
    if matches!(a.w(be), "be" | "is" | "are" | "was" | "were")
        && is_participle(a.w(a.skip_intensifiers(be + 1)))
    {
        return (None, action_from(sentence, a, p));
    }
    let actor = if v > p { phrase(sentence, a, p, v) } else { None };
    (actor, action_from(sentence, a, s))
}

/// An "-ly" adverb; nouns that end so are excepted.
fn is_adverb(w: &str) -> bool {
    w.len() > 4
        && w.ends_with("ly")
        && !matches!(w, "anomaly" | "assembly" | "family" | "monopoly" | "supply" | "italy")
}

fn is_modal(w: &str) -> bool {
    matches!(
        w,
        "should" | "could" | "would" | "can" | "will" | "must" | "might" | "may" | "need" | "needs"
    )
}

/// The first word of the noun phrase before word `at`, if any.
fn actor_start(a: &Analysis<'_>, at: usize) -> Option<usize> {
    // Adverbs between subject and modal: "NHS England really should".
    let mut end = at;
    while end > 0 && has(INTENSIFIERS, a.w(end - 1)) && a.w(end - 1) != "a" {
        end -= 1;
    }
    // A pronoun right before the modal is the subject on its own ("... the information they
    // need to ..."): the words before it belong to another clause.
    if end > 0 && has(NON_ACTORS, a.w(end - 1)) {
        return Some(end - 1);
    }
    let mut s = end;
    while s > 0 && !a.punct_before(s) && !has(ACTOR_STOP, a.w(s - 1)) && end - s < 8 {
        // An adverb ("Patients frequently lack ...") or a pronoun marks a clause, not a
        // noun phrase: no actor rather than a wrong one.
        if is_adverb(a.w(s - 1)) || has(NON_ACTORS, a.w(s - 1)) {
            return None;
        }
        s -= 1;
    }
    if s == end || (s > 0 && !a.punct_before(s) && !has(ACTOR_STOP, a.w(s - 1))) {
        // Nothing before, or a run too long to be one noun phrase.
        return None;
    }
    Some(s)
}

/// The words `s..e` as written, unless they name no one (a pronoun).
fn phrase(sentence: &str, a: &Analysis<'_>, s: usize, e: usize) -> Option<String> {
    let mut end = e;
    while end > s && has(INTENSIFIERS, a.w(end - 1)) && a.w(end - 1) != "a" {
        end -= 1;
    }
    if end <= s || (end - s == 1 && has(NON_ACTORS, a.w(s))) {
        return None;
    }
    let from = a.toks[a.words[s]].start;
    let to = a.toks[a.words[end - 1]].end;
    Some(sentence[from..to].to_owned())
}

/// The action "as written" from word `s` to the end of its clause.
fn action_from(sentence: &str, a: &Analysis<'_>, s: usize) -> Option<String> {
    let n = a.n();
    if s >= n {
        return None;
    }
    let mut e = s + 1;
    while e < n {
        let w = a.w(e);
        if has(CLAUSE_END, w) {
            break;
        }
        if a.punct_before(e) {
            let stop = a.toks[a.words[s]..a.words[e]]
                .iter()
                .filter(|t| !t.word)
                .any(|t| matches!(&*t.norm, "." | ";" | "!" | "?" | ":" | "(" | ")"));
            let comma_clause = has(CLAUSE_END_AFTER_COMMA, w);
            // A sentence break, or ", which / as / since …": the clause ends.
            let tok_before = &a.toks[a.words[e] - 1].norm;
            let after_break = matches!(&**tok_before, "." | ";" | "!" | "?" | ":" | "(" | ")");
            if after_break || (comma_clause && &**tok_before == ",") || stop {
                break;
            }
        }
        e += 1;
    }
    let from = a.toks[a.words[s]].start;
    let to = a.toks[a.words[e - 1]].end;
    let text = sentence[from..to].trim();
    if text.is_empty() {
        return None;
    }
    // An imperative opening the sentence is written with a capital: "Provide" → "provide",
    // but "NHS" stays.
    let mut chars = text.chars();
    let head = chars.next()?;
    let rest = chars.as_str();
    let first_word_rest: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
    if head.is_uppercase() && !first_word_rest.chars().any(char::is_uppercase) {
        Some(head.to_lowercase().chain(rest.chars()).collect())
    } else {
        Some(text.to_owned())
    }
}

fn actor_before(sentence: &str, a: &Analysis<'_>, at: usize) -> Option<String> {
    actor_start(a, at).and_then(|s| phrase(sentence, a, s, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sorted_and_unique() {
        for (name, list) in [
            ("VERBS", VERBS),
            ("LEAD", LEAD),
            ("AUX", AUX),
            ("GOOD", GOOD),
            ("INTENSIFIERS", INTENSIFIERS),
            ("NEGATIONS", NEGATIONS),
            ("WH", WH),
            ("AUX_Q", AUX_Q),
            ("PRONOUNS", PRONOUNS),
            ("PARTICIPLES", PARTICIPLES),
            ("PAST_FORMS", PAST_FORMS),
            ("ADVICE_NOUNS", ADVICE_NOUNS),
            ("ADVICE_VERBS", ADVICE_VERBS),
            ("DETERMINERS", DETERMINERS),
            ("PREPOSITIONS", PREPOSITIONS),
            ("SUBORDINATORS", SUBORDINATORS),
            ("INTRO", INTRO),
            ("MORE", MORE),
            ("ACTOR_STOP", ACTOR_STOP),
            ("NON_ACTORS", NON_ACTORS),
            ("CLAUSE_END", CLAUSE_END),
            ("CLAUSE_END_AFTER_COMMA", CLAUSE_END_AFTER_COMMA),
        ] {
            for pair in list.windows(2) {
                assert!(pair[0] < pair[1], "{name}: {:?} before {:?}", pair[0], pair[1]);
            }
        }
    }

    #[test]
    fn each_rule_has_its_error() {
        let p = SuggestionDetector::params;
        assert_eq!(p().threshold(0.0).check(), Err(SuggestError::Threshold(0.0)));
        assert_eq!(p().threshold(1.0).check(), Err(SuggestError::Threshold(1.0)));
        assert!(matches!(p().threshold(f32::NAN).check(), Err(SuggestError::Threshold(_))));
        let none = Family::ALL.iter().fold(p(), |p, &f| p.family(f, false));
        assert_eq!(none.clone().check(), Err(SuggestError::NoFamily));
        assert_eq!(none.family(Family::Counter, true).check(), Err(SuggestError::NoFamily));
        let bad = CueWeights { bias: 0.0, weights: vec![1.0; 3] };
        assert_eq!(
            p().weights(bad).check(),
            Err(SuggestError::WeightCount { expected: N_CUES, found: 3 })
        );
        assert!(matches!(
            p().weights(CueWeights::new(f32::NAN, [])).check(),
            Err(SuggestError::Weight { cue: "bias", .. })
        ));
        assert!(matches!(
            p().weights(CueWeights::new(0.0, [(Cue::Should, f32::INFINITY)])).check(),
            Err(SuggestError::Weight { cue: "modal:should", .. })
        ));
        assert!(p().check().is_ok());
        assert!(p().family(Family::Counter, false).build().is_ok());
    }

    #[test]
    fn fit_rules() {
        let s = [CueSet::new(), [Cue::Should].into_iter().collect()];
        assert_eq!(CueWeights::fit(&s, &[false, true], 0.0), Err(SuggestError::L2(0.0)));
        assert!(matches!(CueWeights::fit(&s, &[false, true], f64::NAN), Err(SuggestError::L2(_))));
        assert_eq!(
            CueWeights::fit(&s, &[true], 1.0),
            Err(SuggestError::Shape { cue_sets: 2, labels: 1 })
        );
        assert_eq!(
            CueWeights::fit(&s, &[true, true], 1.0),
            Err(SuggestError::OneClass { positives: 2, n: 2 })
        );
    }

    #[test]
    fn fit_recovers_the_direction_of_cues() {
        // "should" sentences are mostly suggestions, "past-modal" ones mostly not.
        let should: CueSet = [Cue::Should].into_iter().collect();
        let past: CueSet = [Cue::PastModal].into_iter().collect();
        let mut sets = Vec::new();
        let mut labels = Vec::new();
        for i in 0..100 {
            sets.push(should);
            labels.push(i % 10 != 0);
            sets.push(past);
            labels.push(i % 10 == 0);
            sets.push(CueSet::new());
            labels.push(i % 4 == 0);
        }
        let w = CueWeights::fit(&sets, &labels, 1.0).unwrap();
        assert!(w.weight(Cue::Should) > 2.0, "{:?}", w.weight(Cue::Should));
        assert!(w.weight(Cue::PastModal) < -0.5, "{:?}", w.weight(Cue::PastModal));
        assert_eq!(w.weight(Cue::Imperative), 0.0);
        // Without penalty the fitted bias is the log-odds of the cue-less sentences (1/4):
        // a small penalty on the cues does not move it much.
        assert!((f64::from(w.bias()) - (1.0f64 / 3.0).ln()).abs() < 0.1, "{}", w.bias());
        // Deterministic.
        assert_eq!(w, CueWeights::fit(&sets, &labels, 1.0).unwrap());
    }

    #[test]
    fn solve_solves() {
        let mut a = vec![4.0, 1.0, 1.0, 3.0];
        let mut b = vec![1.0, 2.0];
        let x = solve(&mut a, &mut b, 2);
        assert!((4.0 * x[0] + x[1] - 1.0).abs() < 1e-12);
        assert!((x[0] + 3.0 * x[1] - 2.0).abs() < 1e-12);
    }

    #[test]
    fn scan_joins_contractions_and_hyphens_but_splits_run_on_sentences() {
        let t: Vec<_> =
            scan("Don’t re-write it.Please fix e-mail!").into_iter().map(|t| t.norm).collect();
        assert_eq!(t, ["don't", "re-write", "it", ".", "please", "fix", "e-mail", "!"]);
    }

    #[test]
    fn cue_set_roundtrip() {
        let s: CueSet = [Cue::Should, Cue::Greeting].into_iter().collect();
        assert!(
            s.contains(Cue::Should) && s.contains(Cue::Greeting) && !s.contains(Cue::WouldLike)
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s.iter().collect::<Vec<_>>(), [Cue::Should, Cue::Greeting]);
        assert_eq!(format!("{s:?}"), r#"{"modal:should", "greeting"}"#);
        let mut t = s;
        t.remove(Cue::Should);
        assert_eq!(t.iter().collect::<Vec<_>>(), [Cue::Greeting]);
    }

    #[test]
    fn cue_names_are_unique() {
        let mut names: Vec<_> = Cue::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), N_CUES);
    }

    #[test]
    fn autotraits() {
        fn has<T: Send + Sync + Unpin>() {}
        has::<SuggestionDetector>();
        has::<SuggestionDetectorParams>();
        has::<SuggestionDetectorValidParams>();
        has::<Detection>();
        has::<CueWeights>();
    }
}
