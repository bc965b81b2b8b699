//! Compressed sparse row matrices.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A sparse matrix in compressed sparse row (CSR) form.
///
/// Row `i` holds the column indices `indices[indptr[i]..indptr[i + 1]]`, strictly increasing,
/// and their values at the same positions of `data`. Column indices are `u32` (a vocabulary
/// never reaches 4 billion terms) while row pointers are `usize`, so the number of non-zeros
/// is not limited to `u32`. Memory is `8 × (n_rows + 1) + 8 × nnz` bytes for `f32` values.
///
/// The invariants are checked on construction and on deserialisation, so every method may rely
/// on them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCsr<T>", bound(deserialize = "T: Deserialize<'de>"))]
pub struct CsrMatrix<T = f32> {
    n_cols: usize,
    indptr: Vec<usize>,
    indices: Vec<u32>,
    data: Vec<T>,
}

/// One row of a [`CsrMatrix`]: its column indices and values, of equal length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CsrRow<'a, T = f32> {
    /// Column indices, strictly increasing.
    pub indices: &'a [u32],
    /// Values at those columns.
    pub values: &'a [T],
}

impl<'a, T: Copy> CsrRow<'a, T> {
    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// Whether the row stores no entry.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// The (column, value) pairs of the row, in column order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, T)> + 'a {
        self.indices.iter().copied().zip(self.values.iter().copied())
    }
}

impl<'a, T> From<CsrRow<'a, T>> for (&'a [u32], &'a [T]) {
    fn from(r: CsrRow<'a, T>) -> Self {
        (r.indices, r.values)
    }
}

#[derive(Deserialize)]
struct RawCsr<T> {
    n_cols: usize,
    indptr: Vec<usize>,
    indices: Vec<u32>,
    data: Vec<T>,
}

impl<T> TryFrom<RawCsr<T>> for CsrMatrix<T> {
    type Error = Error;
    fn try_from(r: RawCsr<T>) -> Result<Self> {
        CsrMatrix::new(r.n_cols, r.indptr, r.indices, r.data)
    }
}

impl<T> CsrMatrix<T> {
    /// Builds a matrix from its parts, checking every invariant.
    ///
    /// # Errors
    /// [`Error::InvalidCsr`] if `indptr` is empty, does not start at 0, decreases, or does not
    /// end at `indices.len()`; if `indices` and `data` differ in length; or if a row's column
    /// indices are not strictly increasing or reach `n_cols`.
    pub fn new(n_cols: usize, indptr: Vec<usize>, indices: Vec<u32>, data: Vec<T>) -> Result<Self> {
        let bad = |msg: String| Err(Error::InvalidCsr(msg));
        if indptr.first() != Some(&0) {
            return bad("indptr must start with 0".into());
        }
        if indices.len() != data.len() {
            return bad(format!("{} column indices but {} values", indices.len(), data.len()));
        }
        if *indptr.last().unwrap_or(&0) != indices.len() {
            return bad(format!(
                "indptr ends at {} but there are {} entries",
                indptr.last().unwrap_or(&0),
                indices.len()
            ));
        }
        for (row, w) in indptr.windows(2).enumerate() {
            if w[0] > w[1] {
                return bad(format!("indptr decreases at row {row}"));
            }
            let cols = &indices[w[0]..w[1]];
            if let Some(&c) = cols.iter().find(|&&c| c as usize >= n_cols) {
                return bad(format!("row {row} has column {c}, but the matrix has {n_cols}"));
            }
            if cols.windows(2).any(|p| p[0] >= p[1]) {
                return bad(format!("row {row} has unsorted or repeated column indices"));
            }
        }
        Ok(CsrMatrix { n_cols, indptr, indices, data })
    }

    /// An empty matrix of `n_rows` rows with no stored entry.
    pub fn zeros(n_rows: usize, n_cols: usize) -> Self {
        CsrMatrix { n_cols, indptr: vec![0; n_rows + 1], indices: Vec::new(), data: Vec::new() }
    }

    /// Stacks row blocks that share `n_cols`, in the order given.
    ///
    /// # Errors
    /// [`Error::InvalidCsr`] if a block has another number of columns.
    pub fn vstack(n_cols: usize, blocks: Vec<CsrMatrix<T>>) -> Result<Self> {
        let n_rows: usize = blocks.iter().map(CsrMatrix::n_rows).sum();
        let nnz: usize = blocks.iter().map(CsrMatrix::nnz).sum();
        let mut indptr = Vec::with_capacity(n_rows + 1);
        let mut indices = Vec::with_capacity(nnz);
        let mut data = Vec::with_capacity(nnz);
        indptr.push(0);
        for (b, block) in blocks.into_iter().enumerate() {
            if block.n_cols != n_cols {
                return Err(Error::InvalidCsr(format!(
                    "block {b} has {} columns, expected {n_cols}",
                    block.n_cols
                )));
            }
            let base = indices.len();
            indptr.extend(block.indptr[1..].iter().map(|p| p + base));
            indices.extend(block.indices);
            data.extend(block.data);
        }
        Ok(CsrMatrix { n_cols, indptr, indices, data })
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.indptr.len() - 1
    }

    /// Number of columns.
    pub fn n_cols(&self) -> usize {
        self.n_cols
    }

    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// Row `i`.
    ///
    /// # Panics
    /// If `i >= self.n_rows()`.
    pub fn row(&self, i: usize) -> CsrRow<'_, T> {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        CsrRow { indices: &self.indices[a..b], values: &self.data[a..b] }
    }

    /// Number of stored entries of row `i`.
    pub fn row_nnz(&self, i: usize) -> usize {
        self.indptr[i + 1] - self.indptr[i]
    }

    /// The rows in order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = CsrRow<'_, T>> + '_ {
        (0..self.n_rows()).map(move |i| self.row(i))
    }

    /// Row pointers: `n_rows + 1` offsets into [`indices`](Self::indices).
    pub fn indptr(&self) -> &[usize] {
        &self.indptr
    }

    /// Column indices of all rows, concatenated.
    pub fn indices(&self) -> &[u32] {
        &self.indices
    }

    /// Values of all rows, concatenated.
    pub fn data(&self) -> &[T] {
        &self.data
    }

    /// The parts `(n_cols, indptr, indices, data)`, e.g. to hand to scipy without a copy of
    /// the structure.
    pub fn into_parts(self) -> (usize, Vec<usize>, Vec<u32>, Vec<T>) {
        (self.n_cols, self.indptr, self.indices, self.data)
    }

    /// Bytes held by the matrix's arrays.
    pub fn heap_bytes(&self) -> usize {
        self.indptr.len() * size_of::<usize>()
            + self.indices.len() * size_of::<u32>()
            + self.data.len() * size_of::<T>()
    }
}

impl<T: Copy> CsrMatrix<T> {
    /// A new matrix holding the given rows, in the given order (rows may repeat).
    ///
    /// # Panics
    /// If a row index is out of bounds.
    pub fn select_rows(&self, rows: &[usize]) -> Self {
        let nnz = rows.iter().map(|&r| self.row_nnz(r)).sum();
        let mut indptr = Vec::with_capacity(rows.len() + 1);
        let mut indices = Vec::with_capacity(nnz);
        let mut data = Vec::with_capacity(nnz);
        indptr.push(0);
        for &r in rows {
            let row = self.row(r);
            indices.extend_from_slice(row.indices);
            data.extend_from_slice(row.values);
            indptr.push(indices.len());
        }
        CsrMatrix { n_cols: self.n_cols, indptr, indices, data }
    }
}

impl CsrMatrix<f32> {
    /// The Euclidean norm of each row, accumulated in `f64`.
    pub fn row_norms(&self) -> Vec<f64> {
        self.rows()
            .map(|r| r.values.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>().sqrt())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> CsrMatrix {
        CsrMatrix::new(4, vec![0, 2, 2, 3], vec![0, 3, 1], vec![1.0, 2.0, 3.0]).unwrap()
    }

    #[test]
    fn accessors() {
        let m = sample();
        assert_eq!((m.n_rows(), m.n_cols(), m.nnz()), (3, 4, 3));
        assert_eq!(m.row(0).iter().collect::<Vec<_>>(), vec![(0, 1.0), (3, 2.0)]);
        assert!(m.row(1).is_empty());
        assert_eq!(m.row_nnz(2), 1);
        assert_eq!(m.row_norms()[0], 5f64.sqrt());
    }

    #[test]
    fn rejects_bad_structure() {
        let cases = [
            (vec![], vec![], vec![]),
            (vec![1, 1], vec![0], vec![1.0]),
            (vec![0, 2], vec![0], vec![1.0]),
            (vec![0, 1], vec![0], vec![]),
            (vec![0, 2, 1], vec![0, 1], vec![1.0, 1.0]),
            (vec![0, 1], vec![4], vec![1.0]),
            (vec![0, 2], vec![1, 1], vec![1.0, 1.0]),
            (vec![0, 2], vec![2, 1], vec![1.0, 1.0]),
        ];
        for (indptr, indices, data) in cases {
            let r = CsrMatrix::<f32>::new(4, indptr.clone(), indices, data);
            assert!(matches!(r, Err(Error::InvalidCsr(_))), "accepted indptr {indptr:?}");
        }
    }

    #[test]
    fn vstack_and_select() {
        let m = sample();
        let s = CsrMatrix::vstack(4, vec![m.clone(), m.select_rows(&[2, 0])]).unwrap();
        assert_eq!(s.n_rows(), 5);
        assert_eq!(s.row(3).indices, &[1]);
        assert_eq!(s.row(4).values, &[1.0, 2.0]);
        assert!(CsrMatrix::vstack(5, vec![m]).is_err());
    }

    #[test]
    fn serde_round_trip_validates() {
        let m = sample();
        let json = serde_json::to_string(&m).unwrap();
        let back: CsrMatrix = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m);
        let broken = json.replace("\"indices\":[0,3,1]", "\"indices\":[0,9,1]");
        assert!(serde_json::from_str::<CsrMatrix>(&broken).is_err());
    }
}
