use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use thematic_core::{CsrMatrix, ParamGuard, with_threads};
use thematic_text::Analyzer;

use crate::error::{Result, VectorizeError};
use crate::params::{TfidfParams, TfidfValidParams};
use crate::vocabulary::Vocabulary;

const NONE: u32 = u32::MAX;

/// A fitted TF-IDF model: the analyzer configuration, the vocabulary and the idf weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TfidfModel {
    analyzer: Analyzer,
    params: TfidfValidParams,
    vocabulary: Vocabulary,
    idf: Vec<f32>,
    n_docs: usize,
}

/// The term counts of one chunk of documents, against the chunk's own term ids.
struct ChunkCounts {
    /// Per document, the end of its entries in `entries`.
    doc_ends: Vec<usize>,
    /// (local term id, count) per document, documents concatenated.
    entries: Vec<(u32, u32)>,
    /// Local terms as local stem ids, padded with `NONE`.
    keys: Vec<[u32; 3]>,
    /// Per local term: documents holding it, and its occurrences.
    df: Vec<(u32, u64)>,
    /// Local stems.
    stems: Vec<String>,
    /// (local stem id, surface form, occurrences).
    surfaces: Vec<(u32, String, u64)>,
}

/// Number of documents analysed together: large enough that each chunk's cache of analysed
/// words pays off, small enough to spread over the threads. Results never depend on it.
fn chunk_len(n_docs: usize) -> usize {
    let threads = rayon::current_num_threads().max(1);
    n_docs.div_ceil(threads * 4).clamp(512, 16_384)
}

fn count_chunk<S: AsRef<str>>(
    analyzer: &Analyzer,
    texts: &[S],
    keep_surfaces: bool,
) -> ChunkCounts {
    let mut interner = analyzer.interner();
    let mut ids = Vec::new();
    let mut doc_ends = Vec::with_capacity(texts.len());
    let mut entries = Vec::new();
    for text in texts {
        ids.clear();
        interner.add_text(text.as_ref(), &mut ids);
        ids.sort_unstable();
        let mut i = 0;
        while i < ids.len() {
            let id = ids[i];
            let run = ids[i..].iter().take_while(|&&x| x == id).count();
            entries.push((id, run as u32));
            i += run;
        }
        doc_ends.push(entries.len());
    }
    let keys = (0..interner.n_terms() as u32)
        .map(|t| {
            let mut key = [NONE; 3];
            for (k, &s) in key.iter_mut().zip(interner.term_stem_ids(t)) {
                *k = s;
            }
            key
        })
        .collect();
    let stems: Vec<String> =
        (0..interner.n_stems() as u32).map(|s| interner.stem(s).to_owned()).collect();
    let surfaces = if keep_surfaces {
        let index: FxHashMap<&str, u32> =
            stems.iter().enumerate().map(|(i, s)| (s.as_str(), i as u32)).collect();
        interner
            .surface_forms()
            .map(|(stem, surface, n)| (index[stem], surface.to_owned(), n))
            .collect()
    } else {
        Vec::new()
    };
    let mut df = vec![(0u32, 0u64); interner.n_terms()];
    for &(t, tf) in &entries {
        let d = &mut df[t as usize];
        d.0 += 1;
        d.1 += u64::from(tf);
    }
    ChunkCounts { doc_ends, entries, keys, df, stems, surfaces }
}

/// Weighs one chunk's counts into CSR rows, given the map from its local term ids to model
/// ids (`NONE` for terms outside the vocabulary).
/// Term `key` (stem ids into `stems`) as a string: stems joined by spaces.
fn key_string(key: &[u32; 3], stems: &[String]) -> String {
    let mut out = String::new();
    for &s in key.iter().take_while(|&&s| s != NONE) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&stems[s as usize]);
    }
    out
}

fn weigh_chunk(counts: &ChunkCounts, map: &[u32], idf: &[f32], sublinear: bool) -> CsrMatrix<f32> {
    let mut indptr = Vec::with_capacity(counts.doc_ends.len() + 1);
    let mut indices = Vec::new();
    let mut data = Vec::new();
    indptr.push(0);
    let mut row: Vec<(u32, f32)> = Vec::new();
    let mut start = 0;
    for &end in &counts.doc_ends {
        row.clear();
        for &(local, tf) in &counts.entries[start..end] {
            let id = map[local as usize];
            if id != NONE {
                let tf = if sublinear { 1.0 + (tf as f32).ln() } else { tf as f32 };
                row.push((id, tf * idf[id as usize]));
            }
        }
        start = end;
        row.sort_unstable_by_key(|e| e.0);
        let norm = row.iter().map(|e| f64::from(e.1) * f64::from(e.1)).sum::<f64>().sqrt();
        for &(id, w) in &row {
            indices.push(id);
            data.push((f64::from(w) / norm) as f32);
        }
        indptr.push(indices.len());
    }
    // Each row's ids are distinct and sorted, and below idf.len(): the invariants hold.
    CsrMatrix::new(idf.len(), indptr, indices, data).expect("rows built sorted and in range")
}

fn chunks<S: AsRef<str> + Sync>(texts: &[S]) -> Vec<&[S]> {
    texts.chunks(chunk_len(texts.len()).max(1)).collect()
}

fn count_in_pool<S: AsRef<str> + Sync>(analyzer: &Analyzer, texts: &[S]) -> TermCounts {
    let chunks = chunks(texts).into_par_iter().map(|c| count_chunk(analyzer, c, true)).collect();
    TermCounts { analyzer: analyzer.clone(), chunks, n_docs: texts.len() }
}

/// The analysed texts of a corpus: each text's terms with their counts, and every stem's
/// surface forms; the input of [`TfidfValidParams::fit_counts`].
///
/// Memory is proportional to the number of distinct (text, term) pairs.
pub struct TermCounts {
    analyzer: Analyzer,
    chunks: Vec<ChunkCounts>,
    n_docs: usize,
}

impl std::fmt::Debug for TermCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TermCounts")
            .field("n_docs", &self.n_docs)
            .field("n_entries", &self.n_entries())
            .finish_non_exhaustive()
    }
}

impl TermCounts {
    /// Analyses `texts` in parallel on `threads` threads (`None`: the default).
    ///
    /// # Errors
    /// Only if a thread pool cannot be built.
    pub fn count<S: AsRef<str> + Sync>(
        analyzer: &Analyzer,
        texts: &[S],
        threads: Option<usize>,
    ) -> Result<Self> {
        Ok(with_threads(threads, || count_in_pool(analyzer, texts))?)
    }

    /// Number of texts.
    pub fn n_docs(&self) -> usize {
        self.n_docs
    }

    /// Number of (text, term) pairs.
    pub fn n_entries(&self) -> usize {
        self.chunks.iter().map(|c| c.entries.len()).sum()
    }
}

impl TfidfParams {
    /// Fits the vocabulary and idf on `texts` and returns the model with the texts' matrix.
    ///
    /// # Errors
    /// Invalid parameters, a `max_df` below `min_df` for this corpus, or an empty vocabulary.
    pub fn fit_transform<S: AsRef<str> + Sync>(
        &self,
        analyzer: &Analyzer,
        texts: &[S],
    ) -> Result<(TfidfModel, CsrMatrix<f32>)> {
        self.check_ref()?.fit_transform(analyzer, texts)
    }

    /// Fits the vocabulary and idf on `texts`.
    ///
    /// # Errors
    /// As [`fit_transform`](Self::fit_transform).
    pub fn fit<S: AsRef<str> + Sync>(
        &self,
        analyzer: &Analyzer,
        texts: &[S],
    ) -> Result<TfidfModel> {
        Ok(self.fit_transform(analyzer, texts)?.0)
    }

    /// Validates the parameters, then [`TfidfValidParams::fit_counts`].
    ///
    /// # Errors
    /// Invalid parameters, or as [`TfidfValidParams::fit_counts`].
    pub fn fit_counts(&self, counts: TermCounts) -> Result<(TfidfModel, CsrMatrix<f32>)> {
        self.check_ref()?.fit_counts(counts)
    }
}

impl TfidfValidParams {
    /// See [`TfidfParams::fit_transform`].
    ///
    /// # Errors
    /// As [`TfidfParams::fit_transform`].
    pub fn fit_transform<S: AsRef<str> + Sync>(
        &self,
        analyzer: &Analyzer,
        texts: &[S],
    ) -> Result<(TfidfModel, CsrMatrix<f32>)> {
        with_threads(self.threads(), || self.fit_in_pool(analyzer, texts))?
    }

    fn fit_in_pool<S: AsRef<str> + Sync>(
        &self,
        analyzer: &Analyzer,
        texts: &[S],
    ) -> Result<(TfidfModel, CsrMatrix<f32>)> {
        self.fit_counts_in_pool(count_in_pool(analyzer, texts))
    }

    /// Fits the vocabulary and idf on counts made by [`TermCounts::count`], returning the
    /// model and the matrix of the counted texts. Together with counting, this is
    /// [`fit_transform`](Self::fit_transform) split in its two stages, so callers can time
    /// or reuse them.
    ///
    /// # Errors
    /// A `max_df` below `min_df` for this corpus, or an empty vocabulary.
    pub fn fit_counts(&self, counts: TermCounts) -> Result<(TfidfModel, CsrMatrix<f32>)> {
        with_threads(self.threads(), || self.fit_counts_in_pool(counts))?
    }

    fn fit_counts_in_pool(&self, counts: TermCounts) -> Result<(TfidfModel, CsrMatrix<f32>)> {
        let TermCounts { analyzer, chunks: chunk_counts, n_docs } = counts;
        let analyzer = &analyzer;
        let min_docs = self.min_df().docs(n_docs, true);
        let max_docs = self.max_df().docs(n_docs, false);
        if n_docs == 0 {
            return Err(VectorizeError::EmptyVocabulary { n_docs, terms_seen: 0 });
        }
        if max_docs < min_docs {
            return Err(VectorizeError::DfRange { n_docs, min_docs, max_docs });
        }

        // Merge the chunks' terms into provisional ids, in chunk order, keyed by stem ids so
        // that no string is built for a term the limits will drop. Final ids come from sorting
        // the kept terms, so neither chunking nor thread count shows in the result.
        let mut stem_ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut stems: Vec<String> = Vec::new();
        let mut merged: FxHashMap<[u32; 3], u32> = FxHashMap::default();
        let mut keys: Vec<[u32; 3]> = Vec::new();
        let mut df: Vec<u64> = Vec::new();
        let mut counts: Vec<u64> = Vec::new();
        let mut surfaces: Vec<FxHashMap<String, u64>> = Vec::new();
        let mut local_maps: Vec<Vec<u32>> = Vec::with_capacity(chunk_counts.len());
        for chunk in &chunk_counts {
            let stem_map: Vec<u32> = chunk
                .stems
                .iter()
                .map(|stem| match stem_ids.get(stem.as_str()) {
                    Some(&id) => id,
                    None => {
                        let id = stems.len() as u32;
                        stem_ids.insert(stem.clone(), id);
                        stems.push(stem.clone());
                        surfaces.push(FxHashMap::default());
                        id
                    }
                })
                .collect();
            let map: Vec<u32> = chunk
                .keys
                .iter()
                .map(|local| {
                    let key = local.map(|s| if s == NONE { NONE } else { stem_map[s as usize] });
                    *merged.entry(key).or_insert_with(|| {
                        keys.push(key);
                        df.push(0);
                        counts.push(0);
                        (keys.len() - 1) as u32
                    })
                })
                .collect();
            for (&id, &(d, n)) in map.iter().zip(&chunk.df) {
                df[id as usize] += u64::from(d);
                counts[id as usize] += n;
            }
            for (stem, surface, n) in &chunk.surfaces {
                let forms = &mut surfaces[stem_map[*stem as usize] as usize];
                match forms.get_mut(surface.as_str()) {
                    Some(c) => *c += n,
                    None => {
                        forms.insert(surface.clone(), *n);
                    }
                }
            }
            local_maps.push(map);
        }
        let terms_seen = keys.len();
        drop(merged);

        // Select the vocabulary.
        let mut kept: Vec<(String, u32)> = (0..keys.len())
            .filter(|&id| (min_docs..=max_docs).contains(&(df[id] as usize)))
            .map(|id| (key_string(&keys[id], &stems), id as u32))
            .collect();
        if let Some(max) = self.max_features()
            && kept.len() > max
        {
            kept.sort_unstable_by(|a, b| {
                counts[b.1 as usize].cmp(&counts[a.1 as usize]).then_with(|| a.0.cmp(&b.0))
            });
            kept.truncate(max);
        }
        if kept.is_empty() {
            return Err(VectorizeError::EmptyVocabulary { n_docs, terms_seen });
        }
        kept.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut final_id = vec![NONE; df.len()];
        for (i, (_, provisional)) in kept.iter().enumerate() {
            final_id[*provisional as usize] = i as u32;
        }
        let kept_df: Vec<u64> = kept.iter().map(|(_, p)| df[*p as usize]).collect();
        let kept_counts: Vec<u64> = kept.iter().map(|(_, p)| counts[*p as usize]).collect();
        let mut used_surfaces = std::collections::BTreeMap::new();
        for (_, p) in &kept {
            for &s in keys[*p as usize].iter().take_while(|&&s| s != NONE) {
                used_surfaces.entry(stems[s as usize].clone()).or_insert_with(|| {
                    surfaces[s as usize].iter().map(|(f, &n)| (f.clone(), n)).collect()
                });
            }
        }
        let idf = idf_weights(&kept_df, n_docs, self.smooth_idf());
        let vocabulary = Vocabulary::new(
            kept.into_iter().map(|(t, _)| t).collect(),
            kept_df,
            kept_counts,
            used_surfaces,
        );

        let blocks: Vec<CsrMatrix<f32>> = chunk_counts
            .par_iter()
            .zip(local_maps.par_iter())
            .map(|(chunk, map)| {
                let map: Vec<u32> = map.iter().map(|&p| final_id[p as usize]).collect();
                weigh_chunk(chunk, &map, &idf, self.sublinear_tf())
            })
            .collect();
        let matrix = CsrMatrix::vstack(idf.len(), blocks)?;
        let model = TfidfModel {
            analyzer: analyzer.clone(),
            params: self.clone(),
            vocabulary,
            idf,
            n_docs,
        };
        Ok((model, matrix))
    }
}

fn idf_weights(df: &[u64], n_docs: usize, smooth: bool) -> Vec<f32> {
    let s = if smooth { 1.0 } else { 0.0 };
    df.iter().map(|&d| (((n_docs as f64 + s) / (d as f64 + s)).ln() + 1.0) as f32).collect()
}

impl TfidfModel {
    /// The TF-IDF rows of new texts, over this model's vocabulary (unknown terms ignored).
    ///
    /// # Errors
    /// Only if a thread pool cannot be built.
    pub fn transform<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<CsrMatrix<f32>> {
        with_threads(self.params.threads(), || {
            let blocks: Vec<CsrMatrix<f32>> = chunks(texts)
                .into_par_iter()
                .map(|c| {
                    let counts = count_chunk(&self.analyzer, c, false);
                    let map: Vec<u32> = counts
                        .keys
                        .iter()
                        .map(|k| self.vocabulary.id(&key_string(k, &counts.stems)).unwrap_or(NONE))
                        .collect();
                    weigh_chunk(&counts, &map, &self.idf, self.params.sublinear_tf())
                })
                .collect();
            CsrMatrix::vstack(self.idf.len(), blocks).map_err(VectorizeError::from)
        })?
    }

    /// The analyzer the model was fitted with.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The parameters it was fitted with.
    pub fn params(&self) -> &TfidfValidParams {
        &self.params
    }

    /// The vocabulary.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// idf weight per term id.
    pub fn idf(&self) -> &[f32] {
        &self.idf
    }

    /// Number of features (terms).
    pub fn n_features(&self) -> usize {
        self.idf.len()
    }

    /// Number of documents fitted.
    pub fn n_docs(&self) -> usize {
        self.n_docs
    }
}
