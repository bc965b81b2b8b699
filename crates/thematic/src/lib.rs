/*!
thematic: thematic analysis of consultation responses.

This crate is the facade over the workspace: it re-exports each stage's crate and offers
[`Pipeline`], which runs them end to end: analyse the texts, build TF-IDF vectors, cluster
them into themes with spherical k-means, and label each theme with its top terms and
representative responses.

```
use thematic::{Pipeline, PipelineConfig, core::Response};

let texts = [
    "Too many alerts: alert fatigue is real", "Alert fatigue makes staff ignore alerts",
    "Pop-up alerts cause fatigue", "Train staff on the new system",
    "More training for staff please", "Staff training on digital systems",
];
let responses: Vec<Response> =
    texts.iter().enumerate().map(|(i, t)| Response::new(i.to_string(), *t)).collect();
let analysis = Pipeline::new(PipelineConfig { themes: 2.into(), ..Default::default() })
    .run(&responses)?;
assert_eq!(analysis.themes.len(), 2);
assert_eq!(analysis.assignments[0], analysis.assignments[1]);
assert_ne!(analysis.assignments[0], analysis.assignments[3]);
# Ok::<(), thematic::Error>(())
```
*/
#![deny(missing_docs)]

pub use thematic_cluster as cluster;
pub use thematic_core as core;
pub use thematic_io as io;
pub use thematic_text as text;
pub use thematic_themes as themes;
pub use thematic_vectorize as vectorize;

mod error;
pub mod findings;
pub mod output;
mod pipeline;
pub mod validate;

pub use error::{Error, Result};
pub use pipeline::{Analysis, KChoice, Pipeline, PipelineConfig, Themes, Timings};
