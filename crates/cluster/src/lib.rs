/*!
Clustering of responses for thematic: spherical k-means over sparse TF-IDF rows, and k-means
of dense rows (LSA output, embeddings) by cosine or Euclidean distance.

[`KMeans::params`] sets the number of clusters and, through consuming setters, the seed,
the number of restarts, the iteration limit, the tolerance and the threads; these are
validated (linfa's [`ParamGuard`](thematic_core::ParamGuard)) before
[`fit`](KMeansParams::fit) runs on a [`CsrMatrix<f32>`](thematic_core::CsrMatrix) and returns
an immutable, serde-serialisable [`KMeansModel`]: unit centroids, a label per row, the
objective and the iteration history. The model can [`predict`](KMeansModel::predict) new
rows and score rows against their theme's centroid.

Similarity is cosine by default ([`KMeansMetric::Cosine`]): rows are compared by direction,
which is what matters for TF-IDF vectors of responses of very different lengths.
Initialisation is greedy k-means++; the assignment step runs in parallel over fixed chunks
of rows and the update step over clusters, with every sum reduced in a fixed order, so **the
same seed gives bit-identical results at any number of threads**.

Dense rows (an [`ndarray`] view, e.g. LSA output or embeddings handed in by a caller) fit
with [`fit_dense`](KMeansParams::fit_dense), by cosine or, with [`KMeansMetric::Euclidean`],
as classic k-means (centroids are means, the objective is scikit-learn's inertia); the
assignment multiplies blocks of rows by the centroids (GEMM), with the same determinism.
linfa's `Fit` and `PredictInplace` run on dense records through it.

```
use thematic_cluster::{KMeans, KMeansMetric, ndarray::array};

let x = array![[0.0f32, 0.0], [10.0, 10.0], [2.0, 0.0], [10.0, 12.0], [10.0, 14.0]];
let model = KMeans::params(2).metric(KMeansMetric::Euclidean).fit_dense(x.view())?;
let l = model.labels();
assert!(l[0] == l[2] && l[1] == l[3] && l[3] == l[4] && l[0] != l[1]);
// Means (1, 0) and (10, 12); squared distances 1 + 1 and 4 + 0 + 4.
assert_eq!(model.centroid(l[0] as usize), &[1.0, 0.0]);
assert_eq!(model.objective(), 10.0);
assert_eq!(model.predict_dense(array![[3.0f32, 3.0]].view())?, vec![l[0]]);
# Ok::<(), Box<dyn std::error::Error>>(())
```

The [`metrics`] module scores clusterings as scikit-learn does: against reference labels
(NMI, adjusted Rand index, homogeneity/completeness/V-measure) and on the rows alone
(cosine silhouette, Calinski–Harabasz, Davies–Bouldin). [`choose_k`] uses them to score a
range of `k` ([`ChooseK::params`]) and recommend one.

```
use thematic_cluster::KMeans;
use thematic_core::CsrMatrix;

// Six responses over four terms: three about terms 0-1, three about terms 2-3.
let x = CsrMatrix::new(
    4,
    vec![0, 1, 3, 5, 6, 8, 10],
    vec![0, 0, 1, 0, 1, 2, 2, 3, 2, 3],
    vec![1.0f32, 0.8, 0.6, 0.6, 0.8, 1.0, 0.8, 0.6, 0.6, 0.8],
)?;
let model = KMeans::params(2).seed(42).fit(&x)?;

let labels = model.labels();
assert_eq!(labels[0], labels[1]);
assert_eq!(labels[1], labels[2]);
assert_eq!(labels[3], labels[5]);
assert_ne!(labels[0], labels[3]);
// Each group's centroid is its normalised sum, e.g. (2.4, 1.4) / ‖(2.4, 1.4)‖, and
// the objective, Σ (1 − cos), is 6 − 2‖(2.4, 1.4)‖.
let expected = 6.0 - 2.0 * (2.4f64 * 2.4 + 1.4 * 1.4).sqrt();
assert!((model.objective() - expected).abs() < 1e-6);
// New rows go to the nearest centroid.
let new = CsrMatrix::new(4, vec![0, 1], vec![3], vec![1.0f32])?;
assert_eq!(model.predict(&new)?, vec![labels[3]]);
# Ok::<(), Box<dyn std::error::Error>>(())
```
*/
#![deny(missing_docs)]
#![doc(test(attr(deny(warnings))))]

pub mod choose_k;
mod kmeans;
pub mod metrics;

pub use kmeans::{
    KMeans, KMeansAlgorithm, KMeansError, KMeansInit, KMeansMetric, KMeansModel, KMeansParams,
    KMeansParamsError, KMeansValidParams, Result, dense_to_csr,
};

/// The `ndarray` of [`KMeansParams::fit_dense`] and [`KMeansModel::predict_dense`], so that
/// callers name the same version.
pub use ndarray;

pub use choose_k::{
    ChooseK, ChooseKError, ChooseKParams, ChooseKParamsError, ChooseKValidParams, KScore,
    KSelection,
};
