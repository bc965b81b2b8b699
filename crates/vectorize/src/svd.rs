//! Truncated SVD of TF-IDF matrices: latent semantic analysis (LSA). See [`TruncatedSvd`].

use linfa_linalg::qr::QRInto;
use linfa_linalg::svd::{SVDInto, SvdSort};
use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayView2, ArrayViewMut2, s};
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use thematic_core::{CsrMatrix, ParamGuard, with_threads};
use thiserror::Error;

/// Rows per parallel task of every kernel. Fixed, so that sums reduced over chunks add up in
/// the same order whatever the number of threads.
const CHUNK: usize = 4096;

/// A Cholesky pivot whose square falls below this fraction of its column's squared norm
/// (the column lies within about `1e-5` radians of the span of the previous ones) sends
/// the orthonormalisation to Householder QR.
const PIVOT_TOL: f64 = 1e-10;

/// One variant per rule of [`SvdParams`] validation.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SvdParamsError {
    /// `n_components` is 0.
    #[error("invalid n_components 0: ask for at least one component")]
    NComponents,
    /// `threads` is `Some(0)`.
    #[error("invalid threads 0: use none for the default")]
    Threads,
}

/// Errors of truncated SVD fitting and transformation.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum SvdError {
    /// A parameter failed validation.
    #[error(transparent)]
    InvalidParams(#[from] SvdParamsError),
    /// `n_components` is not below both dimensions of the matrix.
    #[error(
        "cannot fit {n_components} components to a {n_rows} × {n_cols} matrix: n_components \
         must be below both the number of rows and of columns"
    )]
    TooManyComponents {
        /// Components asked for.
        n_components: usize,
        /// Rows of the matrix.
        n_rows: usize,
        /// Columns of the matrix.
        n_cols: usize,
    },
    /// The matrix has more rows than the `u32` row indices of its transpose can hold.
    #[error("cannot fit a matrix of {0} rows: at most 2^32 - 1 are supported")]
    TooManyRows(usize),
    /// The matrix holds a NaN or infinite value.
    #[error("non-finite value {value} at row {row}, column {column}")]
    NonFinite {
        /// Row of the first non-finite value.
        row: usize,
        /// Its column.
        column: u32,
        /// The value.
        value: f32,
    },
    /// The matrix given to a fitted model has another number of columns than it was fitted on.
    #[error("the matrix has {found} columns but the model was fitted on {expected}")]
    FeatureMismatch {
        /// Columns of the fitted data (the model's features).
        expected: usize,
        /// Columns of the matrix given.
        found: usize,
    },
    /// The small dense SVD failed (linfa-linalg's message).
    #[error("dense SVD failed: {0}")]
    Linalg(String),
    /// A deserialised model breaks an invariant.
    #[error("invalid SVD model: {0}")]
    InvalidModel(String),
    /// A failure of the shared types (e.g. a thread pool).
    #[error(transparent)]
    Core(#[from] thematic_core::Error),
}

/// Entry point of truncated SVD (latent semantic analysis, LSA).
///
/// The randomized algorithm of Halko, Martinsson & Tropp (2011), "Finding structure with
/// randomness", as scikit-learn's `TruncatedSVD(algorithm="randomized")` runs it, on the
/// sparse [`CsrMatrix`] that [`Tfidf`](crate::Tfidf) produces. With `k = d + n_oversamples`
/// (capped at `min(n, V)`), for an `n × V` matrix `X`:
///
/// 1. `Ω`: a `V × k` Gaussian matrix drawn from `seed`;
/// 2. `n_iter` power iterations `Y = orth(X·Ω)`, `Ω = orth(Xᵀ·Y)`, which sharpen the
///    spectrum so that the top `d` directions dominate;
/// 3. `Q = orth(X·Ω)`, an orthonormal `n × k` basis of (nearly) the range of `X`;
/// 4. `Bᵀ = Xᵀ·Q` (`V × k`), factored `Bᵀ = Q₂·R`, and the small SVD `R = U_r·Σ·W_rᵀ`, so
///    that `X ≈ Q·B = (Q·W_r)·Σ·(Q₂·U_r)ᵀ`: the components are the first `d` columns of
///    `Q₂·U_r` and the embedding `U·Σ` is `Q·W_r·Σ`.
///
/// # Design
///
/// - **Sparse products.** `X·Ω` runs over the rows of `X` in fixed chunks of rows. `Xᵀ·Y`
///   would scatter into shared rows, so `Xᵀ` is built once as a CSR matrix (a counting sort,
///   `O(nnz)` time, as much memory as `X` itself) and runs with the same row kernel. Each
///   output row is one sequential sum in a fixed order (`f32` runs of 32 entries added into
///   `f64` totals): the result is bit-identical at any thread count, with no per-thread
///   `V × k` partial sums to hold.
/// - **Orthonormalisation.** `orth` is Cholesky QR: the Gram matrix `YᵀY` (`k × k`, `f64`,
///   summed over fixed chunks of rows in chunk order), its Cholesky factor `R`, and
///   `Y ← Y·R⁻¹`, all dense work through ndarray's matrix product, in parallel over chunks of
///   rows. Inside the power iterations one pass is enough (scikit-learn even uses LU there:
///   a well-conditioned basis is all that is needed); the final bases take two passes
///   (CholeskyQR2), orthonormal to working precision. When a pivot shows `Y` nearly
///   rank-deficient (its square below `1e-10` of the column's squared norm, e.g. a matrix of
///   rank below `k`), a Householder QR (linfa-linalg) takes over: slower, sequential and
///   on an `f64` copy of the block, but stable at any rank. Which path runs depends only on
///   the values, so results stay deterministic.
/// - **Precision.** The large `n × k` and `V × k` blocks are stored as `f32` (for `n = V =
///   10⁶` and `k = 110`, 440 MB each instead of 880 MB). Dense arithmetic on them runs in
///   `f64` (each chunk of rows widened), sparse products sum in `f64` past 32 terms; the
///   small `k × k` algebra is `f64`. Components and embeddings are `f32`, singular values
///   and variances `f64`.
/// - **Signs.** As scikit-learn's `svd_flip(u_based_decision=False)`: each component's entry
///   of largest absolute value (the first on ties) is positive.
///
/// Memory beyond `X`: `Xᵀ` (`8 × nnz + 8 × V` bytes) and the two blocks (`4 × k × (n + V)`
/// bytes) during the iterations; then the `n × k` block and the outputs (`4 × d × (n + V)`
/// bytes), `Xᵀ` and the `V × k` block being freed first.
///
/// # Example
///
/// ```
/// use thematic_core::CsrMatrix;
/// use thematic_vectorize::{TruncatedSvd, normalize_rows};
///
/// // Four documents over five terms.
/// let x = CsrMatrix::new(
///     5,
///     vec![0, 2, 4, 6, 8],
///     vec![0, 1, 0, 2, 3, 4, 2, 4],
///     vec![0.8f32, 0.6, 0.6, 0.8, 0.6, 0.8, 0.8, 0.6],
/// )?;
/// let (model, mut embedding) = TruncatedSvd::params(2).seed(7).fit_transform(&x)?;
/// assert_eq!(embedding.dim(), (4, 2));
/// assert_eq!(model.components().dim(), (2, 5));
/// assert!(model.singular_values()[0] >= model.singular_values()[1]);
/// assert!(model.explained_variance_ratio().iter().sum::<f64>() <= 1.0);
/// normalize_rows(&mut embedding); // as scikit-learn's LSA pipeline ends with Normalizer
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct TruncatedSvd;

impl TruncatedSvd {
    /// Parameters for `n_components` dimensions, the others at their defaults (see
    /// [`SvdValidParams`]). scikit-learn's LSA example uses 100.
    pub fn params(n_components: usize) -> SvdParams {
        SvdParams(SvdValidParams {
            n_components,
            n_oversamples: 10,
            n_iter: 5,
            seed: 42,
            threads: None,
        })
    }
}

/// Validated truncated SVD parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SvdValidParams {
    n_components: usize,
    n_oversamples: usize,
    n_iter: usize,
    seed: u64,
    threads: Option<usize>,
}

impl SvdValidParams {
    /// Dimensions `d` of the reduced space, at least 1 and below both dimensions of the
    /// matrix fitted. No default.
    pub fn n_components(&self) -> usize {
        self.n_components
    }

    /// Extra random directions sampled beyond `n_components`, which make the top ones more
    /// accurate. Default 10, as scikit-learn.
    pub fn n_oversamples(&self) -> usize {
        self.n_oversamples
    }

    /// Power iterations (each one product by `X` and one by `Xᵀ`); 0 is allowed. Default 5,
    /// as scikit-learn's `TruncatedSVD`.
    pub fn n_iter(&self) -> usize {
        self.n_iter
    }

    /// Seed of the Gaussian test matrix. Default 42.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Threads, `None` for the default (see [`thematic_core::with_threads`]); `Some(0)` is
    /// invalid. The result does not depend on it.
    pub fn threads(&self) -> Option<usize> {
        self.threads
    }
}

/// Unchecked truncated SVD parameters: consuming setters, validated by
/// [`ParamGuard::check`] or when fitting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[must_use]
pub struct SvdParams(SvdValidParams);

impl SvdParams {
    /// See [`SvdValidParams::n_components`].
    pub fn n_components(mut self, v: usize) -> Self {
        self.0.n_components = v;
        self
    }

    /// See [`SvdValidParams::n_oversamples`].
    pub fn n_oversamples(mut self, v: usize) -> Self {
        self.0.n_oversamples = v;
        self
    }

    /// See [`SvdValidParams::n_iter`].
    pub fn n_iter(mut self, v: usize) -> Self {
        self.0.n_iter = v;
        self
    }

    /// See [`SvdValidParams::seed`].
    pub fn seed(mut self, v: u64) -> Self {
        self.0.seed = v;
        self
    }

    /// See [`SvdValidParams::threads`].
    pub fn threads(mut self, v: Option<usize>) -> Self {
        self.0.threads = v;
        self
    }

    /// Validates the parameters, then fits as [`SvdValidParams::fit`].
    ///
    /// # Errors
    /// [`SvdError::InvalidParams`] if a parameter breaks its rule, else as
    /// [`SvdValidParams::fit`].
    pub fn fit(&self, x: &CsrMatrix<f32>) -> Result<SvdModel, SvdError> {
        self.check_ref()?.fit(x)
    }

    /// Validates the parameters, then fits as [`SvdValidParams::fit_transform`].
    ///
    /// # Errors
    /// [`SvdError::InvalidParams`] if a parameter breaks its rule, else as
    /// [`SvdValidParams::fit_transform`].
    pub fn fit_transform(&self, x: &CsrMatrix<f32>) -> Result<(SvdModel, Array2<f32>), SvdError> {
        self.check_ref()?.fit_transform(x)
    }
}

impl ParamGuard for SvdParams {
    type Checked = SvdValidParams;
    type Error = SvdParamsError;

    fn check_ref(&self) -> Result<&SvdValidParams, SvdParamsError> {
        let p = &self.0;
        if p.n_components == 0 {
            return Err(SvdParamsError::NComponents);
        }
        if p.threads == Some(0) {
            return Err(SvdParamsError::Threads);
        }
        Ok(p)
    }

    fn check(self) -> Result<SvdValidParams, SvdParamsError> {
        self.check_ref()?;
        Ok(self.0)
    }
}

impl SvdValidParams {
    /// Fits the truncated SVD of `x` (see [`TruncatedSvd`] for the algorithm).
    ///
    /// # Errors
    /// [`SvdError::TooManyComponents`] unless `n_components` is below both dimensions of
    /// `x`; [`SvdError::NonFinite`] if `x` holds a NaN or infinity;
    /// [`SvdError::TooManyRows`] beyond 2³² − 1 rows; [`SvdError::Core`] if the thread pool
    /// cannot be built.
    pub fn fit(&self, x: &CsrMatrix<f32>) -> Result<SvdModel, SvdError> {
        Ok(self.run(x, false)?.0)
    }

    /// Fits as [`fit`](Self::fit) and returns the model with the embedding of the rows of
    /// `x`, `U·Σ` (`n × d`), as scikit-learn's `fit_transform`. It equals
    /// [`SvdModel::transform`]`(x)` up to the accuracy of the approximation.
    ///
    /// # Errors
    /// As [`fit`](Self::fit).
    pub fn fit_transform(&self, x: &CsrMatrix<f32>) -> Result<(SvdModel, Array2<f32>), SvdError> {
        let (model, embedding) = self.run(x, true)?;
        // `run` builds the embedding when asked to.
        Ok((model, embedding.unwrap_or_default()))
    }

    fn run(
        &self,
        x: &CsrMatrix<f32>,
        embed: bool,
    ) -> Result<(SvdModel, Option<Array2<f32>>), SvdError> {
        let (n_rows, n_cols, d) = (x.n_rows(), x.n_cols(), self.n_components);
        if d >= n_rows.min(n_cols) {
            return Err(SvdError::TooManyComponents { n_components: d, n_rows, n_cols });
        }
        if u32::try_from(n_rows).is_err() {
            return Err(SvdError::TooManyRows(n_rows));
        }
        check_finite(x)?;
        with_threads(self.threads, || randomized_svd(x, self, embed))?
    }
}

/// A fitted truncated SVD: `d` orthonormal components over the `V` features, with their
/// singular values and explained variances.
///
/// Components are stored feature-major (`V × d`, row-major), the layout that
/// [`transform`](Self::transform) reads; [`components`](Self::components) shows them as a
/// `d × V` view, as scikit-learn's `components_`. Serialisable with serde.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawSvdModel")]
pub struct SvdModel {
    n_features: usize,
    n_components: usize,
    components_t: Vec<f32>,
    singular_values: Vec<f64>,
    explained_variance: Vec<f64>,
    explained_variance_ratio: Vec<f64>,
}

#[derive(Deserialize)]
struct RawSvdModel {
    n_features: usize,
    n_components: usize,
    components_t: Vec<f32>,
    singular_values: Vec<f64>,
    explained_variance: Vec<f64>,
    explained_variance_ratio: Vec<f64>,
}

impl TryFrom<RawSvdModel> for SvdModel {
    type Error = SvdError;

    fn try_from(r: RawSvdModel) -> Result<Self, SvdError> {
        let d = r.n_components;
        if r.n_features.checked_mul(d) != Some(r.components_t.len()) {
            return Err(SvdError::InvalidModel(format!(
                "{} component values for {} features × {d} components",
                r.components_t.len(),
                r.n_features
            )));
        }
        for (name, v) in [
            ("singular values", &r.singular_values),
            ("explained variances", &r.explained_variance),
            ("explained variance ratios", &r.explained_variance_ratio),
        ] {
            if v.len() != d {
                return Err(SvdError::InvalidModel(format!(
                    "{} {name} for {d} components",
                    v.len()
                )));
            }
        }
        Ok(SvdModel {
            n_features: r.n_features,
            n_components: d,
            components_t: r.components_t,
            singular_values: r.singular_values,
            explained_variance: r.explained_variance,
            explained_variance_ratio: r.explained_variance_ratio,
        })
    }
}

impl SvdModel {
    /// Dimensions `d` of the reduced space.
    pub fn n_components(&self) -> usize {
        self.n_components
    }

    /// Columns `V` of the matrix fitted.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The components, one per row (`d × V`), orthonormal: the right singular vectors, as
    /// scikit-learn's `components_`. A transposed view of the `V × d` storage; call
    /// `.to_owned()` for a row-major array.
    pub fn components(&self) -> ArrayView2<'_, f32> {
        ArrayView2::from_shape((self.n_features, self.n_components), &self.components_t)
            .expect("the storage holds n_features × n_components values")
            .reversed_axes()
    }

    /// The singular values, in decreasing order.
    pub fn singular_values(&self) -> &[f64] {
        &self.singular_values
    }

    /// The variance of each column of the fitted embedding `U·Σ` (population variance, over
    /// the `n` rows), as scikit-learn's `explained_variance_`.
    pub fn explained_variance(&self) -> &[f64] {
        &self.explained_variance
    }

    /// [`explained_variance`](Self::explained_variance) over the total variance of the
    /// fitted matrix (the sum of its column variances), as scikit-learn's
    /// `explained_variance_ratio_`; all 0 for a matrix of zero variance. Unlike PCA's, the
    /// ratios need not decrease, since the data is not centred; their sum is at most 1.
    pub fn explained_variance_ratio(&self) -> &[f64] {
        &self.explained_variance_ratio
    }

    /// Projects the rows of `x` onto the components: `X·Vᵀ` (`n × d`). Runs on the current
    /// rayon pool; each row is computed alone, so the result does not depend on it.
    ///
    /// # Errors
    /// [`SvdError::FeatureMismatch`] if `x` does not have [`n_features`](Self::n_features)
    /// columns; [`SvdError::NonFinite`] if it holds a NaN or infinity.
    pub fn transform(&self, x: &CsrMatrix<f32>) -> Result<Array2<f32>, SvdError> {
        if x.n_cols() != self.n_features {
            return Err(SvdError::FeatureMismatch { expected: self.n_features, found: x.n_cols() });
        }
        check_finite(x)?;
        let d = self.n_components;
        let mut out = vec![0f32; x.n_rows() * d];
        spmm(Sparse::of(x), &self.components_t, d, &mut out);
        Ok(Array2::from_shape_vec((x.n_rows(), d), out).expect("n_rows × d values"))
    }
}

/// Scales each row of `x` to unit L2 norm (computed in `f64`); rows of zeros stay zero. The
/// last step of scikit-learn's LSA pipeline (`Normalizer`), after which dot products are
/// cosine similarities.
pub fn normalize_rows(x: &mut Array2<f32>) {
    for mut row in x.rows_mut() {
        let norm = row.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>().sqrt();
        if norm > 0.0 {
            row.mapv_inplace(|v| (f64::from(v) / norm) as f32);
        }
    }
}

fn check_finite(x: &CsrMatrix<f32>) -> Result<(), SvdError> {
    let Some(p) = x.data().iter().position(|v| !v.is_finite()) else {
        return Ok(());
    };
    let row = x.indptr().partition_point(|&start| start <= p) - 1;
    Err(SvdError::NonFinite { row, column: x.indices()[p], value: x.data()[p] })
}

/// The parts of a CSR matrix, borrowed: `X` itself or its transpose.
#[derive(Clone, Copy)]
struct Sparse<'a> {
    indptr: &'a [usize],
    indices: &'a [u32],
    data: &'a [f32],
}

impl<'a> Sparse<'a> {
    fn of(x: &'a CsrMatrix<f32>) -> Self {
        Sparse { indptr: x.indptr(), indices: x.indices(), data: x.data() }
    }

    fn n_rows(&self) -> usize {
        self.indptr.len() - 1
    }
}

/// `Xᵀ` in CSR form, built by a counting sort over the entries of `X` in row order, so that
/// each of its rows lists the rows of `X` in increasing order.
struct Transposed {
    indptr: Vec<usize>,
    indices: Vec<u32>,
    data: Vec<f32>,
}

impl Transposed {
    fn of(x: &CsrMatrix<f32>) -> Self {
        let mut indptr = vec![0usize; x.n_cols() + 1];
        for &j in x.indices() {
            indptr[j as usize + 1] += 1;
        }
        for j in 0..x.n_cols() {
            indptr[j + 1] += indptr[j];
        }
        let mut next = indptr[..x.n_cols()].to_vec();
        let mut indices = vec![0u32; x.nnz()];
        let mut data = vec![0f32; x.nnz()];
        for (i, row) in x.rows().enumerate() {
            for (&j, &v) in row.indices.iter().zip(row.values) {
                let p = &mut next[j as usize];
                // Fits: fitting checks that the row count fits in u32.
                indices[*p] = i as u32;
                data[*p] = v;
                *p += 1;
            }
        }
        Transposed { indptr, indices, data }
    }

    fn sparse(&self) -> Sparse<'_> {
        Sparse { indptr: &self.indptr, indices: &self.indices, data: &self.data }
    }
}

/// `out = A·B` for sparse `A` (`r × m`) and row-major `B` (`m × k`), `out` row-major
/// (`r × k`). Each output row is one sequential sum over its row of `A`, in a fixed order:
/// `f32` products summed in `f32` over runs of [`RUN`] entries (four lanes per SSE register
/// instead of two), each run's sum then added into an `f64` total. That keeps the error of a
/// row's sum near `RUN` roundings however many entries it has (rows of `Xᵀ` can have
/// hundreds of thousands).
fn spmm(a: Sparse<'_>, b: &[f32], k: usize, out: &mut [f32]) {
    debug_assert_eq!(out.len(), a.n_rows() * k);
    out.par_chunks_mut(CHUNK * k).enumerate().for_each_init(
        || (vec![0f32; k], vec![0f64; k]),
        |(run, total), (c, block)| {
            for (r, o) in block.chunks_exact_mut(k).enumerate() {
                let i = c * CHUNK + r;
                let (start, end) = (a.indptr[i], a.indptr[i + 1]);
                let (indices, data) = (&a.indices[start..end], &a.data[start..end]);
                if indices.len() <= RUN {
                    // One run: its f32 sum is the result.
                    run.fill(0.0);
                    for (&j, &v) in indices.iter().zip(data) {
                        axpy(run, v, &b[j as usize * k..][..k]);
                    }
                    o.copy_from_slice(run);
                    continue;
                }
                total.fill(0.0);
                for (js, vs) in indices.chunks(RUN).zip(data.chunks(RUN)) {
                    run.fill(0.0);
                    for (&j, &v) in js.iter().zip(vs) {
                        axpy(run, v, &b[j as usize * k..][..k]);
                    }
                    for (t, &s) in total.iter_mut().zip(run.iter()) {
                        *t += f64::from(s);
                    }
                }
                for (o, &t) in o.iter_mut().zip(total.iter()) {
                    *o = t as f32;
                }
            }
        },
    );
}

/// Entries of a sparse row summed in `f32` before their sum joins the `f64` total.
const RUN: usize = 32;

#[inline]
fn axpy(acc: &mut [f32], v: f32, b: &[f32]) {
    for (s, &y) in acc.iter_mut().zip(b) {
        *s += v * y;
    }
}

/// A chunk of a row-major `f32` block as an `f64` array.
fn widen(block: &[f32], k: usize) -> Array2<f64> {
    Array2::from_shape_vec((block.len() / k, k), block.iter().map(|&v| f64::from(v)).collect())
        .expect("whole rows")
}

/// The Gram matrix `YᵀY` (`k × k`) of a row-major `r × k` block, summed over fixed chunks
/// of rows in chunk order.
fn gram(y: &[f32], k: usize) -> Array2<f64> {
    let partials: Vec<Array2<f64>> = y
        .par_chunks(CHUNK * k)
        .map(|block| {
            let w = widen(block, k);
            let mut g = Array2::zeros((k, k));
            general_mat_mul(1.0, &w.t(), &w, 0.0, &mut g);
            g
        })
        .collect();
    let mut g = Array2::zeros((k, k));
    for p in partials {
        g += &p;
    }
    g
}

/// `Y ← Y·M` in place, for a row-major `r × k` block and `M` (`k × k`).
fn mul_in_place(y: &mut [f32], k: usize, m: &Array2<f64>) {
    y.par_chunks_mut(CHUNK * k).for_each(|block| {
        let w = widen(block, k);
        let mut out = Array2::zeros((w.nrows(), k));
        general_mat_mul(1.0, &w, m, 0.0, &mut out);
        for (o, &v) in block.iter_mut().zip(out.iter()) {
            *o = v as f32;
        }
    });
}

/// `Y·M` for a row-major `r × k` block and `M` (`k × d`): a row-major `r × d` vector.
fn mul(y: &[f32], k: usize, m: ArrayView2<'_, f64>) -> Vec<f32> {
    let d = m.ncols();
    let mut out = vec![0f32; y.len() / k * d];
    out.par_chunks_mut(CHUNK * d).zip(y.par_chunks(CHUNK * k)).for_each(|(o, block)| {
        let w = widen(block, k);
        let mut prod = Array2::zeros((w.nrows(), d));
        general_mat_mul(1.0, &w, &m, 0.0, &mut prod);
        for (o, &v) in o.iter_mut().zip(prod.iter()) {
            *o = v as f32;
        }
    });
    out
}

/// The upper Cholesky factor `R` of `G = RᵀR`, or `None` if a pivot is non-positive or
/// below [`PIVOT_TOL`] relative to its diagonal entry.
fn cholesky(g: &Array2<f64>) -> Option<Array2<f64>> {
    let k = g.nrows();
    let mut r = Array2::<f64>::zeros((k, k));
    for j in 0..k {
        for i in 0..j {
            let dot: f64 = (0..i).map(|l| r[[l, i]] * r[[l, j]]).sum();
            r[[i, j]] = (g[[i, j]] - dot) / r[[i, i]];
        }
        let pivot = g[[j, j]] - (0..j).map(|l| r[[l, j]] * r[[l, j]]).sum::<f64>();
        // Written so that NaN fails too.
        if !(g[[j, j]] > 0.0 && pivot > PIVOT_TOL * g[[j, j]]) {
            return None;
        }
        r[[j, j]] = pivot.sqrt();
    }
    Some(r)
}

/// The inverse of an upper-triangular matrix with a non-zero diagonal (back substitution,
/// column by column).
fn inverse_upper(r: &Array2<f64>) -> Array2<f64> {
    let k = r.nrows();
    let mut inv = Array2::<f64>::zeros((k, k));
    for j in 0..k {
        inv[[j, j]] = 1.0 / r[[j, j]];
        for i in (0..j).rev() {
            let s: f64 = (i + 1..=j).map(|l| r[[i, l]] * inv[[l, j]]).sum();
            inv[[i, j]] = -s / r[[i, i]];
        }
    }
    inv
}

/// Householder QR of a row-major `r × k` block (`r ≥ k`) in `f64`: replaces it with `Q` and
/// returns `R`.
fn householder(y: &mut [f32], k: usize) -> Array2<f64> {
    let (q, r) = widen(y, k)
        .qr_into()
        .expect("the block has at least as many rows as columns")
        .into_decomp();
    for (o, &v) in y.iter_mut().zip(q.iter()) {
        *o = v as f32;
    }
    r
}

/// Orthonormalises the columns of a row-major `r × k` block in place (`r ≥ k`) and returns
/// `R` (`k × k`, upper triangular) with `Y_before = Y_after·R`: `passes` rounds of Cholesky
/// QR, or Householder QR as soon as a Cholesky factorisation is unsafe.
fn orthonormalize(y: &mut [f32], k: usize, passes: usize) -> Array2<f64> {
    let mut r_total = Array2::<f64>::eye(k);
    for _ in 0..passes {
        let Some(r) = cholesky(&gram(y, k)) else {
            return householder(y, k).dot(&r_total);
        };
        mul_in_place(y, k, &inverse_upper(&r));
        r_total = r.dot(&r_total);
    }
    r_total
}

/// A `r × k` row-major block of standard normal values: fixed chunks of rows, chunk `c`
/// drawn from the seed's stream jumped `c` times (2¹²⁸ draws apart), so that it can be
/// filled in parallel and stays the same at any thread count.
fn gaussian(rows: usize, k: usize, seed: u64) -> Vec<f32> {
    let mut out = vec![0f32; rows * k];
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let streams: Vec<Xoshiro256Plus> = (0..rows.div_ceil(CHUNK))
        .map(|_| {
            let stream = rng.clone();
            rng.jump();
            stream
        })
        .collect();
    out.par_chunks_mut(CHUNK * k).zip(streams).for_each(|(block, mut rng)| {
        for v in block {
            *v = rng.sample(StandardNormal);
        }
    });
    out
}

/// The column sums of a row-major `r × k` block, in `f64`, reduced over chunks in order.
fn column_sums(y: &[f32], k: usize) -> Vec<f64> {
    let partials: Vec<Vec<f64>> = y
        .par_chunks(CHUNK * k)
        .map(|block| {
            let mut s = vec![0f64; k];
            for row in block.chunks_exact(k) {
                for (s, &v) in s.iter_mut().zip(row) {
                    *s += f64::from(v);
                }
            }
            s
        })
        .collect();
    let mut s = vec![0f64; k];
    for p in partials {
        for (s, v) in s.iter_mut().zip(p) {
            *s += v;
        }
    }
    s
}

/// The total variance of the columns of `X` (population variances, summed), from its
/// transpose: one row of `Xᵀ` per column of `X`.
fn total_variance(xt: &Transposed, n_rows: usize) -> f64 {
    let n = n_rows as f64;
    let per_column: Vec<f64> = xt
        .indptr
        .par_windows(2)
        .map(|w| {
            let vals = &xt.data[w[0]..w[1]];
            let sum: f64 = vals.iter().map(|&v| f64::from(v)).sum();
            let squares: f64 = vals.iter().map(|&v| f64::from(v) * f64::from(v)).sum();
            let mean = sum / n;
            (squares / n - mean * mean).max(0.0)
        })
        .collect();
    per_column.iter().sum()
}

fn randomized_svd(
    x: &CsrMatrix<f32>,
    p: &SvdValidParams,
    embed: bool,
) -> Result<(SvdModel, Option<Array2<f32>>), SvdError> {
    let (n_rows, n_cols, d) = (x.n_rows(), x.n_cols(), p.n_components);
    let k = d.saturating_add(p.n_oversamples).min(n_rows.min(n_cols));
    let xt = Transposed::of(x);
    let (xs, xts) = (Sparse::of(x), xt.sparse());

    // Randomized subspace iteration (Halko et al., algorithm 4.4), as scikit-learn's
    // `randomized_range_finder`.
    let mut cols = gaussian(n_cols, k, p.seed);
    let mut rows = vec![0f32; n_rows * k];
    for _ in 0..p.n_iter {
        spmm(xs, &cols, k, &mut rows);
        orthonormalize(&mut rows, k, 1);
        spmm(xts, &rows, k, &mut cols);
        orthonormalize(&mut cols, k, 1);
    }
    spmm(xs, &cols, k, &mut rows);
    orthonormalize(&mut rows, k, 2);

    // B = QᵀX, held as Bᵀ = XᵀQ = Q₂·R; R = U_r·Σ·W_rᵀ, so B = W_r·Σ·(Q₂·U_r)ᵀ.
    spmm(xts, &rows, k, &mut cols);
    let total = total_variance(&xt, n_rows);
    drop(xt);
    let r = orthonormalize(&mut cols, k, 2);
    let (u_r, sigma, w_rt) = match r.svd_into(true, true).map(SvdSort::sort_svd_desc) {
        Ok((Some(u), s, Some(vt))) => (u, s, vt),
        Ok(_) => unreachable!("both singular vector sets were asked for"),
        Err(e) => return Err(SvdError::Linalg(e.to_string())),
    };
    let mut components_t = mul(&cols, k, u_r.slice(s![.., ..d]));
    drop(cols);
    let mut w = w_rt.t().slice(s![.., ..d]).to_owned();

    // svd_flip(u_based_decision=False): the largest |entry| of each component is positive.
    {
        let mut comps = ArrayViewMut2::from_shape((n_cols, d), &mut components_t[..])
            .expect("n_cols × d values");
        for j in 0..d {
            let mut column = comps.column_mut(j);
            let (mut best, mut at) = (0f32, 0usize);
            for (i, &v) in column.iter().enumerate() {
                if v.abs() > best {
                    (best, at) = (v.abs(), i);
                }
            }
            if column[at] < 0.0 {
                column.mapv_inplace(|v| -v);
                w.column_mut(j).mapv_inplace(|v| -v);
            }
        }
    }

    // Variances of the columns of U·Σ = Q·W·Σ: the squares sum to σ² (Q, W orthonormal)
    // and the means come from the column sums of Q.
    let n = n_rows as f64;
    let q_sums = ndarray::Array1::from(column_sums(&rows, k));
    let singular_values: Vec<f64> = sigma.iter().take(d).copied().collect();
    let explained_variance: Vec<f64> = (0..d)
        .map(|j| {
            let s = singular_values[j];
            let mean = s * q_sums.dot(&w.column(j)) / n;
            (s * s / n - mean * mean).max(0.0)
        })
        .collect();
    let explained_variance_ratio =
        explained_variance.iter().map(|&v| if total > 0.0 { v / total } else { 0.0 }).collect();

    let embedding = embed.then(|| {
        for (j, mut c) in w.columns_mut().into_iter().enumerate() {
            c *= singular_values[j];
        }
        Array2::from_shape_vec((n_rows, d), mul(&rows, k, w.view())).expect("n_rows × d values")
    });
    let model = SvdModel {
        n_features: n_cols,
        n_components: d,
        components_t,
        singular_values,
        explained_variance,
        explained_variance_ratio,
    };
    Ok((model, embedding))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(rows: usize, k: usize, seed: u64) -> Vec<f32> {
        gaussian(rows, k, seed)
    }

    fn max_off_identity(y: &[f32], k: usize) -> f64 {
        let g = gram(y, k);
        let mut worst = 0f64;
        for ((i, j), &v) in g.indexed_iter() {
            let target = if i == j { 1.0 } else { 0.0 };
            worst = worst.max((v - target).abs());
        }
        worst
    }

    #[test]
    fn cholesky_qr2_orthonormalises_and_factors() {
        let (rows, k) = (5000, 12);
        let y0 = block(rows, k, 3);
        let mut y = y0.clone();
        let r = orthonormalize(&mut y, k, 2);
        assert!(max_off_identity(&y, k) < 1e-5);
        // Y0 = Q·R.
        let back = mul(&y, k, r.view());
        let err = y0.iter().zip(&back).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
        assert!(err < 1e-4, "{err}");
    }

    #[test]
    fn rank_deficient_blocks_fall_back_to_householder() {
        let (rows, k) = (300, 6);
        let mut y = block(rows, k, 5);
        // Columns 3..6 copy columns 0..3: rank 3.
        for row in y.chunks_exact_mut(k) {
            for c in 0..3 {
                row[c + 3] = row[c];
            }
        }
        let y0 = y.clone();
        assert!(cholesky(&gram(&y, k)).is_none());
        let r = orthonormalize(&mut y, k, 2);
        assert!(max_off_identity(&y, k) < 1e-5);
        let back = mul(&y, k, r.view());
        let err = y0.iter().zip(&back).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
        assert!(err < 1e-4, "{err}");
    }

    #[test]
    fn triangular_inverse() {
        let r = ndarray::array![[2.0, 1.0, -1.0], [0.0, 3.0, 0.5], [0.0, 0.0, 4.0]];
        let prod = r.dot(&inverse_upper(&r));
        for ((i, j), &v) in prod.indexed_iter() {
            assert!((v - if i == j { 1.0 } else { 0.0 }).abs() < 1e-14);
        }
    }

    #[test]
    fn gaussian_is_standard_and_seeded() {
        let g = gaussian(10_000, 3, 1);
        assert_eq!(g, gaussian(10_000, 3, 1));
        assert_ne!(g, gaussian(10_000, 3, 2));
        let n = g.len() as f64;
        let mean = g.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
        let var = g.iter().map(|&v| (f64::from(v) - mean).powi(2)).sum::<f64>() / n;
        assert!(mean.abs() < 0.02 && (var - 1.0).abs() < 0.03, "{mean} {var}");
    }

    #[test]
    fn each_rule_has_its_error() {
        let p = TruncatedSvd::params;
        assert_eq!(p(0).check(), Err(SvdParamsError::NComponents));
        assert_eq!(p(2).threads(Some(0)).check(), Err(SvdParamsError::Threads));
        assert!(p(2).n_iter(0).n_oversamples(0).check().is_ok());
    }

    #[test]
    fn autotraits() {
        fn has<T: Send + Sync + Unpin>() {}
        has::<SvdParams>();
        has::<SvdValidParams>();
        has::<SvdModel>();
        has::<SvdError>();
    }
}
