/*!
Shared types of thematic.

Every other crate of the workspace builds on these: [`Response`] (one free-text answer with
its respondent, stakeholder group, question and channel), [`CsrMatrix`] (the sparse
row-major matrix that TF-IDF produces and k-means consumes), [`ParamGuard`] (linfa-style
validated parameters) and [`with_threads`] (a local rayon pool, so the library never
changes the caller's global pool).

```
use thematic_core::CsrMatrix;

// Two rows over three columns: [1, 0, 2] and [0, 0, 0].
let m = CsrMatrix::new(3, vec![0, 2, 2], vec![0, 2], vec![1.0f32, 2.0])?;
assert_eq!(m.n_rows(), 2);
assert_eq!(m.row(0).indices, &[0, 2]);
assert_eq!(m.row(0).values, &[1.0, 2.0]);
assert!(m.row(1).is_empty());
# Ok::<(), thematic_core::Error>(())
```
*/
#![deny(missing_docs)]

mod corpus;
mod csr;
mod error;
mod params;
mod threads;

pub use corpus::{Interner, Provenance, Response};
pub use csr::{CsrMatrix, CsrRow};
pub use error::{Error, Result};
pub use params::ParamGuard;
pub use threads::{THREADS_ENV, effective_threads, with_threads};
