/*!
Themes analysts can trust: labels, quotes, stakeholder cross-tabs, stance and ranked
recommendations.

- [`ThemeLabeller`] describes each theme: its top terms by class-based TF-IDF (terms
  distinctive of the theme against the others, shown in their most common written form:
  "training", not "train"), its top phrases, a short label unique among the themes, a
  distinctiveness score, and representative quotes that are central but not near-duplicates.
- [`crosstab`] counts distinct respondents per theme and stakeholder group, with lift,
  significance and small-cell suppression.
- [`suggest`] detects suggestions sentence by sentence; [`recommend`] groups them into
  recommendations and ranks them by respondents, groups and a group-balanced score.
- [`stance`] tells support, opposition and proposals for change apart.

```
use thematic_core::Response;
use thematic_text::Analyzer;
use thematic_vectorize::Tfidf;
use thematic_themes::ThemeLabeller;

let texts = [
    "alert fatigue in the ward",
    "too many alerts cause alert fatigue",
    "staff training on the new system",
    "more training for staff please",
];
let responses: Vec<Response> =
    texts.iter().enumerate().map(|(i, t)| Response::new(i.to_string(), *t)).collect();
let refs: Vec<&Response> = responses.iter().collect();
let analyzer = Analyzer::default();
let (model, x) = Tfidf::params().fit_transform(&analyzer, &texts)?;
let labels = [Some(0), Some(0), Some(1), Some(1)];
let themes =
    ThemeLabeller::params().label(&x, &labels, model.vocabulary(), &analyzer, &refs)?;
assert!(themes[0].label.starts_with("alert fatigue"));
assert_eq!(themes[1].top_terms[0].display, "staff");
assert_eq!(themes[1].size, 2);
assert_ne!(themes[0].label, themes[1].label);
# Ok::<(), Box<dyn std::error::Error>>(())
```
*/
#![deny(missing_docs)]

mod error;
mod label;

pub mod crosstab;
pub mod recommend;
pub mod stance;
pub mod suggest;

pub use error::{Result, ThemesError};
pub use label::{Phrase, Quote, TermWeight, Theme, ThemeLabeller, ThemeLabellerParams};
