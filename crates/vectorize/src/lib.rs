/*!
TF-IDF vectors for thematic.

[`Tfidf::params`] configures the vocabulary (`min_df`, `max_df`, `max_features`) and the
weighting (smooth idf, sublinear tf); fitting it on texts with a
[`thematic_text::Analyzer`] gives a [`TfidfModel`] (serde-serialisable; it can
[`transform`](TfidfModel::transform) new texts) and the CSR matrix of the fitted texts,
rows L2-normalised. Analysis runs in parallel with rayon; memory is proportional to the
number of non-zeros: no dense documents × vocabulary array exists at any point.

```
use thematic_text::Analyzer;
use thematic_vectorize::Tfidf;

let texts = ["Alert fatigue is a risk", "Too many alerts", "Train staff on alerts"];
let (model, x) = Tfidf::params().fit_transform(&Analyzer::default(), &texts)?;
assert_eq!(x.n_rows(), 3);
let alert = model.vocabulary().id("alert").unwrap();
assert_eq!(model.vocabulary().df(alert), 3);
assert_eq!(model.vocabulary().display(alert), "alerts");
// Every non-empty row has unit norm.
assert!(x.row_norms().iter().all(|n| (n - 1.0).abs() < 1e-6));
# Ok::<(), thematic_vectorize::VectorizeError>(())
```
*/
#![deny(missing_docs)]

mod error;
mod params;
mod svd;
mod tfidf;
mod vocabulary;

pub use error::{Result, TfidfParamsError, VectorizeError};
pub use params::{DocFreq, Tfidf, TfidfParams, TfidfValidParams};
pub use svd::{
    SvdError, SvdModel, SvdParams, SvdParamsError, SvdValidParams, TruncatedSvd, normalize_rows,
};
pub use tfidf::{TermCounts, TfidfModel};
pub use vocabulary::Vocabulary;
