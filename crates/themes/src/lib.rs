/*!
Theme labels and representative quotes for thematic.

Given TF-IDF rows, a theme per row and the vocabulary, [`ThemeLabeller`] describes each
theme: its size, its top terms (by mean TF-IDF weight of the theme's rows, shown in their most
common surface form: "training", not "train"), a short label made of the best terms, and the
responses closest to the theme's centroid as representative quotes (exact repeats skipped).

```
use thematic_text::Analyzer;
use thematic_vectorize::Tfidf;
use thematic_themes::ThemeLabeller;

let texts = ["alert fatigue", "too many alerts", "staff training", "training for staff"];
let (model, x) = Tfidf::params().fit_transform(&Analyzer::default(), &texts)?;
let themes = ThemeLabeller::params()
    .top_terms(2)
    .label(&x, &[Some(0), Some(0), Some(1), Some(1)], model.vocabulary(), &texts)?;
assert_eq!(themes[1].top_terms[0].display, "staff");
assert_eq!(themes[1].size, 2);
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
pub use label::{Quote, TermWeight, Theme, ThemeLabeller, ThemeLabellerParams};
