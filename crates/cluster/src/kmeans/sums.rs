//! Centroid sums kept up to date as rows move, so that an update costs what moved.

use thematic_core::CsrRow;

use super::kernel::TermMajor;

/// The sum of each cluster's row directions, term-major in `f64`, mirrored in `f32` in the
/// assignment kernel's table, with each cluster's squared norm and number of (non-empty)
/// members.
///
/// Spherical k-means' centroid is the normalised sum of its rows. Moving a row touches only
/// the row's non-zeros in two sums, instead of a pass over the whole matrix to recompute
/// every centroid (DESIGN.md, "The clustering core"); only the kernel columns of clusters
/// that changed are then renormalised. The kernel holds the same `f32` unit centroids as
/// the model, so [`predict`](crate::KMeansModel::predict) reproduces the fitted labels to
/// the bit, ties included.
///
/// Every operation is serial and in row order, so the sums are the same at any thread count.
#[derive(Debug)]
pub(crate) struct Sums {
    sums: Vec<f64>,
    sq: Vec<f64>,
    count: Vec<usize>,
    /// Clusters changed since the kernel was last renormalised.
    dirty: Vec<bool>,
    pub(crate) kernel: TermMajor,
    n_cols: usize,
}

impl Sums {
    /// Empty sums for `k` clusters over `n_cols` terms.
    pub(crate) fn new(k: usize, n_cols: usize) -> Self {
        let kp = k.next_multiple_of(super::kernel::LANES);
        let kernel = TermMajor { table: vec![0.0; n_cols * kp], k, kp };
        Sums {
            sums: vec![0.0; kernel.table.len()],
            sq: vec![0.0; k],
            count: vec![0; k],
            dirty: vec![false; k],
            kernel,
            n_cols,
        }
    }

    /// Number of clusters.
    pub(crate) fn k(&self) -> usize {
        self.kernel.k
    }

    /// Members of cluster `c`.
    pub(crate) fn count(&self, c: usize) -> usize {
        self.count[c]
    }

    /// Euclidean norm of cluster `c`'s sum.
    pub(crate) fn norm(&self, c: usize) -> f64 {
        self.sq[c].max(0.0).sqrt()
    }

    /// Adds (`sign = 1`) or removes (`sign = -1`) the direction of a row, `inv_norm × row`,
    /// to cluster `c`.
    pub(crate) fn add(&mut self, row: CsrRow<'_, f32>, inv_norm: f64, c: usize, sign: f64) {
        let kp = self.kernel.kp;
        let w = sign * inv_norm;
        let mut sq = self.sq[c];
        for (&j, &v) in row.indices.iter().zip(row.values) {
            let cell = j as usize * kp + c;
            let old = self.sums[cell];
            let new = old + w * f64::from(v);
            sq += new * new - old * old;
            self.sums[cell] = new;
        }
        self.sq[c] = sq;
        self.dirty[c] = true;
        if sign > 0.0 {
            self.count[c] += 1;
        } else {
            self.count[c] -= 1;
            if self.count[c] == 0 {
                self.clear(c);
            }
        }
    }

    /// Zeroes cluster `c` exactly: removing its last row leaves rounding residue that would
    /// otherwise pass for a direction.
    fn clear(&mut self, c: usize) {
        let kp = self.kernel.kp;
        for j in 0..self.n_cols {
            self.sums[j * kp + c] = 0.0;
        }
        self.sq[c] = 0.0;
    }

    /// Builds the sums of all clusters at once from every row's label (`u32::MAX` for
    /// none), in parallel over blocks of terms: each cell still receives its rows in row
    /// order, so the result is the same as adding the rows one by one, at any thread count.
    pub(crate) fn build(&mut self, rows: &super::algorithm::Rows<'_>, labels: &[u32]) {
        use rayon::prelude::*;
        let kp = self.kernel.kp;
        let blocks = (2 * rayon::current_num_threads()).max(1);
        let per_block = self.n_cols.div_ceil(blocks).max(1);
        self.sums.par_chunks_mut(per_block * kp).enumerate().for_each(|(b, block)| {
            let (j0, j1) = (b * per_block, ((b + 1) * per_block).min(self.n_cols));
            for &i in &rows.nonzero {
                let l = labels[i];
                if l == u32::MAX {
                    continue;
                }
                let row = rows.row(i);
                let w = rows.inv_norm[i];
                let from = row.indices.partition_point(|&j| (j as usize) < j0);
                for (&j, &v) in row.indices[from..].iter().zip(&row.values[from..]) {
                    if j as usize >= j1 {
                        break;
                    }
                    block[(j as usize - j0) * kp + l as usize] += w * f64::from(v);
                }
            }
        });
        for &i in &rows.nonzero {
            if labels[i] != u32::MAX {
                self.count[labels[i] as usize] += 1;
            }
        }
        self.dirty.iter_mut().for_each(|d| *d = true);
        self.refresh_norms();
    }

    /// Recomputes every cluster's squared norm from its sum in one pass over the table,
    /// clearing the rounding that incremental updates accumulate.
    pub(crate) fn refresh_norms(&mut self) {
        use rayon::prelude::*;
        let kp = self.kernel.kp;
        let parts: Vec<Vec<f64>> = self
            .sums
            .par_chunks(4096 * kp)
            .map(|block| {
                let mut sq = vec![0.0f64; kp];
                for col in block.chunks_exact(kp) {
                    for (q, &v) in sq.iter_mut().zip(col) {
                        *q += v * v;
                    }
                }
                sq
            })
            .collect();
        // Blocks are added in order: the same norms at any thread count.
        self.sq.iter_mut().for_each(|q| *q = 0.0);
        for part in parts {
            for (q, p) in self.sq.iter_mut().zip(part) {
                *q += p;
            }
        }
    }

    /// Renormalises the kernel's columns of the clusters changed since the last call, in
    /// parallel over blocks of terms (a pass over those columns of the table).
    pub(crate) fn renormalise(&mut self) {
        use rayon::prelude::*;
        let dirty: Vec<(usize, f64)> =
            (0..self.k()).filter(|&c| self.dirty[c]).map(|c| (c, self.norm(c))).collect();
        if dirty.is_empty() {
            return;
        }
        let kp = self.kernel.kp;
        const TERMS: usize = 2048;
        self.kernel
            .table
            .par_chunks_mut(TERMS * kp)
            .zip(self.sums.par_chunks(TERMS * kp))
            .for_each(|(t, s)| {
                for (t, s) in t.chunks_exact_mut(kp).zip(s.chunks_exact(kp)) {
                    for &(c, n) in &dirty {
                        t[c] = unit(s[c], n);
                    }
                }
            });
        self.dirty.iter_mut().for_each(|d| *d = false);
    }

    /// The unit centroids, row-major `k × n_cols`; an empty cluster's row is zero.
    pub(crate) fn unit_centroids(&self) -> Vec<f32> {
        let (k, kp, n_cols) = (self.k(), self.kernel.kp, self.n_cols);
        let mut out = vec![0.0f32; k * n_cols];
        for c in 0..k {
            let n = self.norm(c);
            for j in 0..n_cols {
                out[c * n_cols + j] = unit(self.sums[j * kp + c], n);
            }
        }
        out
    }
}

/// A centroid weight: a sum's value over the sum's norm, 0 for an empty sum. The one
/// formula for the kernel and the model, so that both hold the same bits.
#[inline]
pub(crate) fn unit(value: f64, norm: f64) -> f32 {
    if norm > 0.0 { (value / norm) as f32 } else { 0.0 }
}
