//! The assignment kernel: sparse rows against all centroids at once.

use thematic_core::CsrRow;

/// Width of the SIMD lanes the term-major table is padded to.
pub(crate) const LANES: usize = 16;

/// Centroids laid out term-major for the assignment kernel: for each term `j`, the `k`
/// centroid weights `table[j * kp .. j * kp + k]` are contiguous, padded with zeros to `kp`,
/// a multiple of [`LANES`]. The table holds unit centroids: the similarity of a unit row to
/// centroid `c` is its dot product with column `c`.
///
/// A sparse row then scores against every centroid with one contiguous, vectorisable
/// multiply-add per non-zero, instead of `k` scattered loads from a centroid-major table
/// (which is what scikit-learn's sparse kernel does).
#[derive(Debug, Clone)]
pub(crate) struct TermMajor {
    pub(crate) table: Vec<f32>,
    pub(crate) k: usize,
    pub(crate) kp: usize,
}

impl TermMajor {
    /// The table of unit centroids given row-major (`k × n_cols`).
    pub(crate) fn from_rows(centroids: &[f32], k: usize, n_cols: usize) -> Self {
        use rayon::prelude::*;
        let kp = k.next_multiple_of(LANES);
        let mut table = vec![0.0f32; n_cols * kp];
        // Term-outer order writes the table sequentially and reads the k centroid rows as k
        // sequential streams; the transpose is parallel over blocks of terms.
        const TERMS: usize = 1024;
        table.par_chunks_mut(TERMS * kp).enumerate().for_each(|(b, block)| {
            for (dj, out) in block.chunks_exact_mut(kp).enumerate() {
                let j = b * TERMS + dj;
                for (c, o) in out[..k].iter_mut().enumerate() {
                    *o = centroids[c * n_cols + j];
                }
            }
        });
        TermMajor { table, k, kp }
    }

    /// Dot products of `row` with every centroid, into `acc[..k]` (`acc` has `kp` slots).
    ///
    /// Each product is accumulated in `f32` over the row's non-zeros in column order: the
    /// same operations in the same order as [`TermMajor::similarity`], so the two agree to
    /// the bit.
    #[inline]
    fn dots(&self, row: CsrRow<'_, f32>, acc: &mut [f32]) {
        acc.fill(0.0);
        let kp = self.kp;
        for (&j, &v) in row.indices.iter().zip(row.values) {
            let col = &self.table[j as usize * kp..j as usize * kp + kp];
            for (a, c) in acc.chunks_exact_mut(LANES).zip(col.chunks_exact(LANES)) {
                for l in 0..LANES {
                    a[l] += v * c[l];
                }
            }
        }
    }

    /// Dot products of `row` with the centroids `lo..lo + acc.len()` into `acc`; `lo` and
    /// `acc.len()` are multiples of [`LANES`]. The same operations in the same order as
    /// [`TermMajor::nearest`], so the products agree with it to the bit.
    #[inline]
    pub(crate) fn dots_range(&self, row: CsrRow<'_, f32>, lo: usize, acc: &mut [f32]) {
        acc.fill(0.0);
        let (kp, len) = (self.kp, acc.len());
        for (&j, &v) in row.indices.iter().zip(row.values) {
            let start = j as usize * kp + lo;
            let col = &self.table[start..start + len];
            for (a, c) in acc.chunks_exact_mut(LANES).zip(col.chunks_exact(LANES)) {
                for l in 0..LANES {
                    a[l] += v * c[l];
                }
            }
        }
    }

    /// Dot product of `row` with centroid `c`.
    #[inline]
    pub(crate) fn similarity(&self, row: CsrRow<'_, f32>, c: usize) -> f32 {
        let mut s = 0.0f32;
        for (&j, &v) in row.indices.iter().zip(row.values) {
            s += v * self.table[j as usize * self.kp + c];
        }
        s
    }

    /// The centroid of highest similarity with `row` (ties: the lowest index), that
    /// similarity and the second highest (`-inf` when `k == 1`). `acc` is scratch of `kp`
    /// slots.
    #[inline]
    pub(crate) fn nearest(&self, row: CsrRow<'_, f32>, acc: &mut [f32]) -> (u32, f32, f32) {
        self.dots(row, acc);
        let (mut best, mut first, mut second) = (0u32, f32::NEG_INFINITY, f32::NEG_INFINITY);
        for (c, &d) in acc[..self.k].iter().enumerate() {
            if d > first {
                second = first;
                first = d;
                // k fits u32: validated with the parameters.
                best = c as u32;
            } else if d > second {
                second = d;
            }
        }
        (best, first, second)
    }

    /// Scratch for [`TermMajor::nearest`].
    pub(crate) fn scratch(&self) -> Vec<f32> {
        vec![0.0; self.kp]
    }
}
