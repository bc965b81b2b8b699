//! Centroid sums kept up to date as rows move, so that an update costs what moved.

use thematic_core::CsrRow;

use super::kernel::TermMajor;

/// The sum of each cluster's row directions, term-major in `f64`, mirrored in `f32` in the
/// assignment kernel's table, with each cluster's squared norm and number of (non-empty)
/// members.
///
/// Spherical k-means' centroid is the normalised sum of its rows, so the kernel can score
/// against the sums directly with the inverse norms as scales. Moving a row then touches
/// only the row's non-zeros in two columns: after the first few iterations, when fewer than
/// 1% of rows move, an update costs almost nothing, where recomputing the centroids costs
/// a pass over the whole matrix and `k × n_cols` values (DESIGN.md, "The clustering core").
///
/// Every operation is serial and in row order, so the sums are the same at any thread count.
#[derive(Debug)]
pub(crate) struct Sums {
    sums: Vec<f64>,
    sq: Vec<f64>,
    count: Vec<usize>,
    pub(crate) kernel: TermMajor,
    n_cols: usize,
}

impl Sums {
    /// Empty sums for `k` clusters over `n_cols` terms.
    pub(crate) fn new(k: usize, n_cols: usize) -> Self {
        let kernel = TermMajor {
            table: vec![0.0; n_cols * k.next_multiple_of(super::kernel::LANES)],
            scale: vec![0.0; k],
            k,
            kp: k.next_multiple_of(super::kernel::LANES),
        };
        Sums {
            sums: vec![0.0; kernel.table.len()],
            sq: vec![0.0; k],
            count: vec![0; k],
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
            self.kernel.table[cell] = new as f32;
        }
        self.sq[c] = sq;
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
            self.kernel.table[j * kp + c] = 0.0;
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
        self.kernel
            .table
            .par_chunks_mut(1 << 16)
            .zip(self.sums.par_chunks(1 << 16))
            .for_each(|(t, s)| t.iter_mut().zip(s).for_each(|(t, &s)| *t = s as f32));
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

    /// Sets the kernel's scales to the inverse norms of the sums (0 for empty clusters).
    pub(crate) fn rescale(&mut self) {
        for c in 0..self.k() {
            let n = self.norm(c);
            self.kernel.scale[c] = if n > 0.0 { (1.0 / n) as f32 } else { 0.0 };
        }
    }

    /// The unit centroids, row-major `k × n_cols`; an empty cluster's row is zero.
    pub(crate) fn unit_centroids(&self) -> Vec<f32> {
        let (k, kp, n_cols) = (self.k(), self.kernel.kp, self.n_cols);
        let mut out = vec![0.0f32; k * n_cols];
        for c in 0..k {
            let n = self.norm(c);
            if n > 0.0 {
                for j in 0..n_cols {
                    out[c * n_cols + j] = (self.sums[j * kp + c] / n) as f32;
                }
            }
        }
        out
    }
}
