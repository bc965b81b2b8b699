/*!
Clustering evaluation metrics, defined as scikit-learn defines them.

**External** metrics compare a clustering with reference labels of any `Hash + Eq` type,
through their [`Contingency`] table: [`normalized_mutual_info`] (arithmetic-mean
normalisation, scikit-learn's default), [`adjusted_rand_index`] and
[`homogeneity_completeness_v_measure`]. All are 1.0 for identical labelings (up to renaming)
and none depends on which label names are used.

**Internal** metrics judge a clustering of the rows of a [`CsrMatrix<f32>`] by itself:
[`silhouette_cosine`] (cosine distance, the geometry of TF-IDF rows; optionally on a seeded
sample of rows), and [`calinski_harabasz`] and [`davies_bouldin`] (Euclidean geometry on the
rows as given).

Degenerate inputs score as in scikit-learn 1.9 (each function documents its cases), with
these deliberate differences:
- empty inputs are an error ([`MetricsError::Empty`]) where scikit-learn scores them 1.0;
- NMI, homogeneity and completeness are clamped to at most 1 (scikit-learn can return
  `1 + 2⁻⁵²`);
- small numerical details of the internal metrics, listed on each function.

```
use thematic_cluster::metrics::{self, VMeasure};
use thematic_core::CsrMatrix;

// External: reference [0, 0, 1, 1] against a prediction that splits the second class.
// Homogeneity is 1 (no cluster mixes classes), completeness ln 2 / (1.5 ln 2) = 2/3.
let reference = ["price", "price", "access", "access"];
let predicted = [0u32, 0, 1, 2];
let ari = metrics::adjusted_rand_index(&reference, &predicted)?;
assert!((ari - 4.0 / 7.0).abs() < 1e-12);
let VMeasure { homogeneity, completeness, v_measure } =
    metrics::homogeneity_completeness_v_measure(&reference, &predicted)?;
assert!((homogeneity - 1.0).abs() < 1e-12 && (completeness - 2.0 / 3.0).abs() < 1e-12);
assert!((v_measure - metrics::normalized_mutual_info(&reference, &predicted)?).abs() < 1e-12);

// Internal: four rows, two about term 0 and two about term 1, perfectly separated:
// within a cluster the cosine distance is 0, across clusters 1, so every silhouette is 1.
let x = CsrMatrix::new(2, vec![0, 1, 2, 3, 4], vec![0, 0, 1, 1], vec![1.0f32, 2.0, 1.0, 3.0])?;
let labels = [0, 0, 1, 1];
assert!((metrics::silhouette_cosine(&x, &labels, None, 0)? - 1.0).abs() < 1e-12);
assert!(metrics::davies_bouldin(&x, &labels)? > 0.0);
# Ok::<(), Box<dyn std::error::Error>>(())
```

[`CsrMatrix<f32>`]: thematic_core::CsrMatrix
*/

pub mod agreement;
mod error;
mod external;
mod internal;

pub use agreement::{
    Agreement, AgreementError, Scores, ThemeMatch, UnmatchedCode, UnmatchedTheme, agreement,
};
pub use error::{MetricsError, Result};
pub use external::{
    Contingency, VMeasure, adjusted_rand_index, contingency, homogeneity_completeness_v_measure,
    normalized_mutual_info,
};
pub use internal::{calinski_harabasz, davies_bouldin, silhouette_cosine};
