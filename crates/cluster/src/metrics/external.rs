//! External metrics: how well a clustering agrees with reference labels.
//!
//! Every metric is a function of the contingency table alone, so the table is built once
//! ([`contingency`]) and the metrics are methods of [`Contingency`]; the free functions are
//! shorthands that build the table and call one method.

use std::hash::Hash;

use serde::{Deserialize, Serialize};

use super::error::{MetricsError, Result};

/// The contingency table of two labelings of the same samples: how many samples carry each
/// (reference class, predicted cluster) pair.
///
/// Rows are the distinct reference labels and columns the distinct predicted labels, each
/// numbered in order of first appearance (labels need only be `Hash + Eq`, so they cannot be
/// sorted as scikit-learn sorts them; no metric depends on the order). The table is stored
/// sparsely: a labeling of `n` singletons against another would need `n²` dense cells, but it
/// never has more than `n` non-zero ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contingency {
    n_samples: usize,
    class_sizes: Vec<usize>,
    cluster_sizes: Vec<usize>,
    /// Non-zero cells `(class, cluster, count)`, sorted by `(class, cluster)`.
    cells: Vec<(usize, usize, usize)>,
}

/// Homogeneity, completeness and their harmonic mean, the V-measure (`beta = 1`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VMeasure {
    /// `I(C; K) / H(C)`: 1 when every cluster holds members of a single class.
    pub homogeneity: f64,
    /// `I(C; K) / H(K)`: 1 when every class falls in a single cluster.
    pub completeness: f64,
    /// `2 h c / (h + c)`; equal to [`normalized_mutual_info`] up to rounding.
    pub v_measure: f64,
}

/// Builds the contingency table of `labels_true` (rows) against `labels_pred` (columns).
///
/// # Errors
/// [`MetricsError::LengthMismatch`] if the labelings differ in length, and
/// [`MetricsError::Empty`] if they are empty (scikit-learn accepts empty labelings and scores
/// them 1.0; a score of nothing is more likely a bug upstream, so it is refused here).
pub fn contingency<A, B>(labels_true: &[A], labels_pred: &[B]) -> Result<Contingency>
where
    A: Hash + Eq,
    B: Hash + Eq,
{
    if labels_true.len() != labels_pred.len() {
        return Err(MetricsError::LengthMismatch {
            n_true: labels_true.len(),
            n_pred: labels_pred.len(),
        });
    }
    if labels_true.is_empty() {
        return Err(MetricsError::Empty);
    }
    let (classes, class_sizes) = encode(labels_true);
    let (clusters, cluster_sizes) = encode(labels_pred);
    // Sorting the pairs and counting runs needs no hashing of pairs and gives the cells in a
    // fixed order, so sums over cells are reproducible.
    let mut pairs: Vec<(usize, usize)> = classes.into_iter().zip(clusters).collect();
    pairs.sort_unstable();
    let mut cells: Vec<(usize, usize, usize)> = Vec::new();
    for (i, j) in pairs {
        match cells.last_mut() {
            Some((ci, cj, count)) if (*ci, *cj) == (i, j) => *count += 1,
            _ => cells.push((i, j, 1)),
        }
    }
    Ok(Contingency { n_samples: labels_true.len(), class_sizes, cluster_sizes, cells })
}

/// Numbers the distinct labels in order of first appearance: the code of each sample and the
/// size of each label.
fn encode<T: Hash + Eq>(labels: &[T]) -> (Vec<usize>, Vec<usize>) {
    let mut ids = std::collections::HashMap::with_capacity(labels.len().min(1024));
    let mut sizes: Vec<usize> = Vec::new();
    let codes = labels
        .iter()
        .map(|label| {
            let next = ids.len();
            let id = *ids.entry(label).or_insert(next);
            if id == sizes.len() {
                sizes.push(0);
            }
            sizes[id] += 1;
            id
        })
        .collect();
    (codes, sizes)
}

/// Entropy in nats of a labeling given its label sizes, as scikit-learn's `_entropy`:
/// `−Σ (s/n)(ln s − ln n)`, and exactly 0 for a single label.
fn entropy(sizes: &[usize], n_samples: usize) -> f64 {
    if sizes.len() == 1 {
        return 0.0;
    }
    let n = n_samples as f64;
    let log_n = n.ln();
    // `ln s − ln n` rather than `ln(s / n)`, as scikit-learn, which loses less precision.
    -sizes
        .iter()
        .map(|&s| {
            let s = s as f64;
            (s / n) * (s.ln() - log_n)
        })
        .sum::<f64>()
}

impl Contingency {
    /// Number of samples labelled.
    pub fn n_samples(&self) -> usize {
        self.n_samples
    }

    /// Number of distinct reference labels (rows).
    pub fn n_classes(&self) -> usize {
        self.class_sizes.len()
    }

    /// Number of distinct predicted labels (columns).
    pub fn n_clusters(&self) -> usize {
        self.cluster_sizes.len()
    }

    /// Samples per reference label (row sums), in order of first appearance.
    pub fn class_sizes(&self) -> &[usize] {
        &self.class_sizes
    }

    /// Samples per predicted label (column sums), in order of first appearance.
    pub fn cluster_sizes(&self) -> &[usize] {
        &self.cluster_sizes
    }

    /// The non-zero cells as `(class, cluster, count)`, sorted by `(class, cluster)`.
    pub fn cells(&self) -> &[(usize, usize, usize)] {
        &self.cells
    }

    /// The count of cell `(class, cluster)`, 0 if it is empty or out of range.
    pub fn get(&self, class: usize, cluster: usize) -> usize {
        self.cells
            .binary_search_by(|&(i, j, _)| (i, j).cmp(&(class, cluster)))
            .map_or(0, |p| self.cells[p].2)
    }

    /// Entropy in nats of the reference labeling, `H(C)`; 0 for a single class.
    pub fn entropy_true(&self) -> f64 {
        entropy(&self.class_sizes, self.n_samples)
    }

    /// Entropy in nats of the predicted labeling, `H(K)`; 0 for a single cluster.
    pub fn entropy_pred(&self) -> f64 {
        entropy(&self.cluster_sizes, self.n_samples)
    }

    /// Mutual information in nats, `I(C; K)`, as scikit-learn's `mutual_info_score`.
    ///
    /// It is exactly 0 when either labeling has a single label (`I ≤ min(H(C), H(K)) = 0`).
    /// As in scikit-learn, per-cell terms smaller than machine epsilon are dropped and the sum
    /// is clipped at 0, so rounding never yields a negative information.
    pub fn mutual_info(&self) -> f64 {
        if self.n_classes() == 1 || self.n_clusters() == 1 {
            return 0.0;
        }
        let n = self.n_samples as f64;
        let log_n = n.ln();
        let mi: f64 = self
            .cells
            .iter()
            .map(|&(i, j, count)| {
                let count = count as f64;
                let p = count / n;
                // The product of two sizes can exceed u64 for huge inputs; u128 cannot overflow.
                let outer = (self.class_sizes[i] as u128 * self.cluster_sizes[j] as u128) as f64;
                let log_outer = -outer.ln() + log_n + log_n;
                let term = p * (count.ln() - log_n) + p * log_outer;
                if term.abs() < f64::EPSILON { 0.0 } else { term }
            })
            .sum();
        mi.max(0.0)
    }

    /// Normalised mutual information with the arithmetic mean of the entropies,
    /// `I(C; K) / ((H(C) + H(K)) / 2)`: scikit-learn's `normalized_mutual_info_score` with its
    /// default `average_method="arithmetic"`.
    ///
    /// Degenerate cases, as scikit-learn: 1.0 when both labelings have a single label (the
    /// data is not split, a perfect match); 0.0 when the mutual information is 0, e.g. when
    /// only one of them has a single label. The result is clamped to at most 1: scikit-learn
    /// does not clamp and can return `1 + 2⁻⁵²` for identical labelings.
    pub fn normalized_mutual_info(&self) -> f64 {
        if self.n_classes() == 1 && self.n_clusters() == 1 {
            return 1.0;
        }
        let mi = self.mutual_info();
        if mi == 0.0 {
            return 0.0;
        }
        // mi > 0 implies both entropies are positive, so the normaliser is too.
        let normaliser = (self.entropy_true() + self.entropy_pred()) / 2.0;
        (mi / normaliser).min(1.0)
    }

    /// Adjusted Rand index, as scikit-learn's `adjusted_rand_score`: the Rand index over pairs
    /// of samples, corrected for chance so that random labelings score about 0 and identical
    /// ones 1. It is at most 1 and can be negative (down to −0.5).
    ///
    /// Degenerate case, as scikit-learn: 1.0 when no pair is split by one labeling and joined
    /// by the other, which covers both labelings having a single cluster, both being all
    /// singletons, and a single sample.
    pub fn adjusted_rand_index(&self) -> f64 {
        // Pair counts from the table, as scikit-learn's `pair_confusion_matrix` (ordered pairs,
        // so each count is twice the number of unordered pairs; the ratio is unchanged).
        let n = self.n_samples as u128;
        let sum_sq = |xs: &mut dyn Iterator<Item = usize>| xs.map(|x| (x as u128).pow(2)).sum();
        let cells: u128 = sum_sq(&mut self.cells.iter().map(|c| c.2));
        let rows: u128 = sum_sq(&mut self.class_sizes.iter().copied());
        let cols: u128 = sum_sq(&mut self.cluster_sizes.iter().copied());
        // Every count below is non-negative: Σ n_ij² ≥ n and Σ a_i², Σ b_j² ≥ Σ n_ij².
        let tp = cells - n;
        let fp = cols - cells;
        let fn_ = rows - cells;
        let tn = n * n - fp - fn_ - cells;
        if fp == 0 && fn_ == 0 {
            return 1.0;
        }
        // scikit-learn works in exact (Python) integers, then divides the two rounded to
        // floating point; i128 reproduces that bit for bit while the products fit, i.e. up to
        // about 2³¹ samples, and f64 arithmetic takes over beyond.
        let exact = || -> Option<(i128, i128)> {
            let (tp, fp, fn_, tn) = (
                i128::try_from(tp).ok()?,
                i128::try_from(fp).ok()?,
                i128::try_from(fn_).ok()?,
                i128::try_from(tn).ok()?,
            );
            let num = tp.checked_mul(tn)?.checked_sub(fn_.checked_mul(fp)?)?;
            let den =
                (tp + fn_).checked_mul(fn_ + tn)?.checked_add((tp + fp).checked_mul(fp + tn)?)?;
            Some((num, den))
        };
        match exact() {
            Some((num, den)) => 2.0 * num as f64 / den as f64,
            None => {
                let (tp, fp, fn_, tn) = (tp as f64, fp as f64, fn_ as f64, tn as f64);
                2.0 * (tp * tn - fn_ * fp) / ((tp + fn_) * (fn_ + tn) + (tp + fp) * (fp + tn))
            }
        }
    }

    /// Homogeneity, completeness and V-measure with `beta = 1`, as scikit-learn's
    /// `homogeneity_completeness_v_measure`.
    ///
    /// Degenerate cases, as scikit-learn: homogeneity is 1.0 when the reference has a single
    /// class (`H(C) = 0`), completeness 1.0 when the prediction has a single cluster
    /// (`H(K) = 0`), and the V-measure 0.0 when both scores are 0. Homogeneity and
    /// completeness are clamped to at most 1, which scikit-learn can exceed by `2⁻⁵²`.
    pub fn homogeneity_completeness_v_measure(&self) -> VMeasure {
        let mi = self.mutual_info();
        let (h_true, h_pred) = (self.entropy_true(), self.entropy_pred());
        let homogeneity = if h_true != 0.0 { (mi / h_true).min(1.0) } else { 1.0 };
        let completeness = if h_pred != 0.0 { (mi / h_pred).min(1.0) } else { 1.0 };
        let v_measure = if homogeneity + completeness == 0.0 {
            0.0
        } else {
            2.0 * homogeneity * completeness / (homogeneity + completeness)
        };
        VMeasure { homogeneity, completeness, v_measure }
    }
}

/// Normalised mutual information (arithmetic mean), see
/// [`Contingency::normalized_mutual_info`]. Symmetric in its arguments.
///
/// # Errors
/// As [`contingency`]: different lengths or empty labelings.
pub fn normalized_mutual_info<A, B>(labels_true: &[A], labels_pred: &[B]) -> Result<f64>
where
    A: Hash + Eq,
    B: Hash + Eq,
{
    Ok(contingency(labels_true, labels_pred)?.normalized_mutual_info())
}

/// Adjusted Rand index, see [`Contingency::adjusted_rand_index`]. Symmetric in its arguments.
///
/// # Errors
/// As [`contingency`]: different lengths or empty labelings.
pub fn adjusted_rand_index<A, B>(labels_true: &[A], labels_pred: &[B]) -> Result<f64>
where
    A: Hash + Eq,
    B: Hash + Eq,
{
    Ok(contingency(labels_true, labels_pred)?.adjusted_rand_index())
}

/// Homogeneity, completeness and V-measure, see
/// [`Contingency::homogeneity_completeness_v_measure`]. Swapping the arguments swaps
/// homogeneity and completeness.
///
/// # Errors
/// As [`contingency`]: different lengths or empty labelings.
pub fn homogeneity_completeness_v_measure<A, B>(
    labels_true: &[A],
    labels_pred: &[B],
) -> Result<VMeasure>
where
    A: Hash + Eq,
    B: Hash + Eq,
{
    Ok(contingency(labels_true, labels_pred)?.homogeneity_completeness_v_measure())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_of_a_small_case() {
        // Reference [a, a, b, b, b] against [x, y, y, y, z]:
        //        x  y  z
        //   a    1  1  0
        //   b    0  2  1
        let t = contingency(&["a", "a", "b", "b", "b"], &['x', 'y', 'y', 'y', 'z']).unwrap();
        assert_eq!((t.n_samples(), t.n_classes(), t.n_clusters()), (5, 2, 3));
        assert_eq!(t.class_sizes(), &[2, 3]);
        assert_eq!(t.cluster_sizes(), &[1, 3, 1]);
        assert_eq!(t.cells(), &[(0, 0, 1), (0, 1, 1), (1, 1, 2), (1, 2, 1)]);
        assert_eq!((t.get(0, 1), t.get(1, 0), t.get(1, 1), t.get(9, 9)), (1, 0, 2, 0));
    }

    #[test]
    fn entropy_of_known_distributions() {
        // Sizes (2, 2) of 4: −2 · ½ ln ½ = ln 2. Sizes (2, 1, 1): ½ ln 2 + 2 · ¼ ln 4 = 1.5 ln 2.
        assert!((entropy(&[2, 2], 4) - 2f64.ln()).abs() < 1e-15);
        assert!((entropy(&[2, 1, 1], 4) - 1.5 * 2f64.ln()).abs() < 1e-15);
        assert_eq!(entropy(&[7], 7), 0.0);
    }

    #[test]
    fn ari_huge_counts_fall_back_to_floating_point() {
        // 2³³ samples in two equal halves, predicted as one cluster: the i128 products
        // overflow, and the f64 path must still give scikit-learn's value for this shape, 0
        // (one labeling joins every pair, so agreement is exactly at chance).
        let half = 1usize << 32;
        let t = Contingency {
            n_samples: 2 * half,
            class_sizes: vec![half, half],
            cluster_sizes: vec![2 * half],
            cells: vec![(0, 0, half), (1, 0, half)],
        };
        assert_eq!(t.adjusted_rand_index(), 0.0);
    }
}
