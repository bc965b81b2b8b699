//! Theme labels: distinctive terms and phrases, a unique short label, and diversified quotes.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use thematic_core::{CsrMatrix, CsrRow, ParamGuard, Response};
use thematic_text::Analyzer;
use thematic_vectorize::Vocabulary;

use crate::error::{Result, ThemesError};

/// A term of a theme with its class-based TF-IDF score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermWeight {
    /// The term as stored in the vocabulary (stems).
    pub term: String,
    /// Its readable form (most common surface forms).
    pub display: String,
    /// Class-based TF-IDF: `share × ln(1 + A / df)`, where `share` is the fraction of the
    /// theme's responses that use the term, `df` the number of clustered responses that use
    /// it and `A` the mean number of responses per theme. High for terms that many of the
    /// theme's responses use and few others do.
    pub weight: f64,
    /// Fraction of the theme's responses that use the term.
    pub share: f64,
}

/// A phrase (two or three adjacent content words) distinctive of a theme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phrase {
    /// The phrase in its most common written form within the theme ("waiting times").
    pub text: String,
    /// The stems, space-separated ("wait time").
    pub stems: String,
    /// Class-based TF-IDF of the phrase, as [`TermWeight::weight`], over the responses
    /// sampled for phrases.
    pub weight: f64,
    /// Responses of the theme (in the phrase sample) that use the phrase.
    pub responses: usize,
}

/// A representative response of a theme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// Index of the response in the slice given to [`ThemeLabellerParams::label`].
    pub row: usize,
    /// The response's id.
    pub id: String,
    /// Who gave it, when known.
    pub respondent: Option<String>,
    /// Their stakeholder group, when known.
    pub group: Option<String>,
    /// The question answered, when known.
    pub question: Option<String>,
    /// The response's text (masked by the caller where personal data must not leave).
    pub text: String,
    /// Cosine similarity of the response to the theme's centroid.
    pub similarity: f64,
}

/// A labelled theme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    /// Theme id: the cluster label.
    pub id: u32,
    /// A short readable label built from the best phrase and terms, unique among the themes.
    pub label: String,
    /// Number of responses in the theme.
    pub size: usize,
    /// Distinct respondents in the theme.
    pub respondents: usize,
    /// `1 − cos(centroid, nearest other centroid)` in TF-IDF space: 0 when another theme
    /// uses the same vocabulary in the same proportions, 1 when it shares none. 1 with a
    /// single theme.
    pub distinctiveness: f64,
    /// The theme whose centroid is nearest, if any.
    pub nearest_theme: Option<u32>,
    /// Top terms by class-based TF-IDF, best first.
    pub top_terms: Vec<TermWeight>,
    /// Top phrases by class-based TF-IDF, best first.
    pub phrases: Vec<Phrase>,
    /// Representative responses: most central first, no two near-identical.
    pub quotes: Vec<Quote>,
}

/// Entry point of theme labelling.
#[derive(Debug, Clone, Copy)]
pub struct ThemeLabeller;

impl ThemeLabeller {
    /// Parameters with their defaults (see each setter of [`ThemeLabellerParams`]).
    pub fn params() -> ThemeLabellerParams {
        ThemeLabellerParams {
            top_terms: 10,
            label_terms: 2,
            phrases: 5,
            phrase_min_responses: 2,
            phrase_sample: 5000,
            quotes: 5,
            quote_min_words: 5,
            quote_max_similarity: 0.8,
        }
    }
}

/// Parameters of theme labelling, validated on use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[must_use]
pub struct ThemeLabellerParams {
    top_terms: usize,
    label_terms: usize,
    phrases: usize,
    phrase_min_responses: usize,
    phrase_sample: usize,
    quotes: usize,
    quote_min_words: usize,
    quote_max_similarity: f64,
}

impl ParamGuard for ThemeLabellerParams {
    type Checked = ThemeLabellerParams;
    type Error = ThemesError;

    fn check_ref(&self) -> Result<&Self> {
        if self.top_terms == 0 {
            return Err(ThemesError::TopTerms);
        }
        if self.label_terms == 0 || self.label_terms > self.top_terms {
            return Err(ThemesError::LabelTerms {
                label_terms: self.label_terms,
                top_terms: self.top_terms,
            });
        }
        if self.phrase_min_responses == 0 {
            return Err(ThemesError::PhraseMinResponses);
        }
        if self.phrase_sample == 0 {
            return Err(ThemesError::PhraseSample);
        }
        if !(self.quote_max_similarity > 0.0 && self.quote_max_similarity <= 1.0) {
            return Err(ThemesError::QuoteMaxSimilarity(self.quote_max_similarity));
        }
        Ok(self)
    }

    fn check(self) -> Result<Self> {
        self.check_ref()?;
        Ok(self)
    }
}

/// Per-theme statistics gathered in one pass over the theme's rows.
struct ThemeStats {
    rows: Vec<usize>,
    /// (term, responses using it, summed TF-IDF weight), by term.
    terms: Vec<(u32, u32, f64)>,
    /// Norm of the summed TF-IDF weights.
    norm: f64,
}

impl ThemeLabellerParams {
    /// Number of top terms per theme, at least 1. Default 10.
    pub fn top_terms(mut self, n: usize) -> Self {
        self.top_terms = n;
        self.label_terms = self.label_terms.min(n.max(1));
        self
    }

    /// At most this many phrases and terms make the label, `1..=top_terms`. Default 2
    /// ("waiting times / appointments").
    pub fn label_terms(mut self, n: usize) -> Self {
        self.label_terms = n;
        self
    }

    /// Number of phrases per theme (0 for none). Default 5.
    pub fn phrases(mut self, n: usize) -> Self {
        self.phrases = n;
        self
    }

    /// A phrase must occur in at least this many of a theme's sampled responses to be one of
    /// its phrases, at least 1. Default 2: a phrase one person wrote is not a theme's.
    pub fn phrase_min_responses(mut self, n: usize) -> Self {
        self.phrase_min_responses = n;
        self
    }

    /// Phrases are counted on at most this many responses per theme, evenly spread over the
    /// theme, at least 1. Default 5,000: enough for stable phrase shares, and it bounds the
    /// cost of re-reading texts on corpora of millions.
    pub fn phrase_sample(mut self, n: usize) -> Self {
        self.phrase_sample = n;
        self
    }

    /// Number of representative quotes per theme (0 for none, no upper limit). Default 5.
    pub fn quotes(mut self, n: usize) -> Self {
        self.quotes = n;
        self
    }

    /// Quotes of fewer words are used only when there are not enough longer ones: the most
    /// central responses are often fragments ("Staff training."), which illustrate nothing.
    /// Default 5; 0 or 1 turns the preference off.
    pub fn quote_min_words(mut self, n: usize) -> Self {
        self.quote_min_words = n;
        self
    }

    /// A response whose TF-IDF cosine to an already chosen quote exceeds this is a
    /// near-duplicate and is skipped, in `(0, 1]`. Default 0.8.
    pub fn quote_max_similarity(mut self, v: f64) -> Self {
        self.quote_max_similarity = v;
        self
    }

    /// Labels the themes `0..=max(labels)`; rows labelled `None` belong to no theme.
    ///
    /// `x` holds the TF-IDF rows of `responses` (one row each, in order) and `vocabulary`
    /// its columns; `analyzer` is the one that made the terms, used again to find phrases.
    ///
    /// # Errors
    /// Invalid parameters, or `labels` / `responses` not as long as `x` has rows.
    pub fn label(
        &self,
        x: &CsrMatrix<f32>,
        labels: &[Option<u32>],
        vocabulary: &Vocabulary,
        analyzer: &Analyzer,
        responses: &[&Response],
    ) -> Result<Vec<Theme>> {
        self.check_ref()?;
        if labels.len() != x.n_rows() || responses.len() != x.n_rows() {
            return Err(ThemesError::Shape {
                what: format!(
                    "{} rows, {} labels, {} responses",
                    x.n_rows(),
                    labels.len(),
                    responses.len()
                ),
            });
        }
        if vocabulary.len() != x.n_cols() {
            return Err(ThemesError::Shape {
                what: format!("{} columns, {} vocabulary terms", x.n_cols(), vocabulary.len()),
            });
        }
        let k = labels.iter().flatten().max().map_or(0, |&m| m as usize + 1);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
        for (row, l) in labels.iter().enumerate() {
            if let Some(l) = l {
                members[*l as usize].push(row);
            }
        }
        let stats: Vec<ThemeStats> =
            members.into_par_iter().map(|rows| theme_stats(x, rows)).collect();

        // Document frequency of each term over the clustered rows, for the class-based idf.
        let mut df = vec![0u32; x.n_cols()];
        for s in &stats {
            for &(t, n, _) in &s.terms {
                df[t as usize] += n;
            }
        }
        let clustered: usize = stats.iter().map(|s| s.rows.len()).sum();
        let mean_size = clustered as f64 / k.max(1) as f64;
        let (distinctiveness, nearest) = distinctiveness(&stats, x.n_cols());

        let phrases = self.theme_phrases(&stats, analyzer, responses);

        let mut themes: Vec<Theme> = stats
            .par_iter()
            .zip(phrases)
            .enumerate()
            .map(|(id, (s, phrases))| {
                let top_terms = self.top_terms_of(s, &df, mean_size, vocabulary);
                let quotes = self.quotes_of(s, x, responses);
                let respondents: HashSet<&str> =
                    s.rows.iter().map(|&r| responses[r].respondent_or_id()).collect();
                Theme {
                    id: id as u32,
                    label: String::new(),
                    size: s.rows.len(),
                    respondents: respondents.len(),
                    distinctiveness: distinctiveness[id],
                    nearest_theme: nearest[id],
                    top_terms,
                    phrases,
                    quotes,
                }
            })
            .collect();
        self.assign_labels(&mut themes);
        Ok(themes)
    }

    /// The theme's top terms by class-based TF-IDF.
    fn top_terms_of(
        &self,
        s: &ThemeStats,
        df: &[u32],
        mean_size: f64,
        vocabulary: &Vocabulary,
    ) -> Vec<TermWeight> {
        let size = s.rows.len().max(1) as f64;
        let mut scored: Vec<(u32, f64, f64)> = s
            .terms
            .iter()
            .map(|&(t, n, _)| {
                let share = f64::from(n) / size;
                (t, share * (1.0 + mean_size / f64::from(df[t as usize])).ln(), share)
            })
            .collect();
        // Ties by term id keep labels deterministic.
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored
            .into_iter()
            .take(self.top_terms)
            .map(|(t, weight, share)| TermWeight {
                term: vocabulary.term(t).to_owned(),
                display: vocabulary.display(t),
                weight,
                share,
            })
            .collect()
    }

    /// Each theme's phrases: n-grams of 2 and 3 content words (never spanning a stop word,
    /// punctuation or a sentence, as the analyzer makes them), counted once per response on
    /// an even sample of the theme, scored by class-based TF-IDF across themes.
    fn theme_phrases(
        &self,
        stats: &[ThemeStats],
        analyzer: &Analyzer,
        responses: &[&Response],
    ) -> Vec<Vec<Phrase>> {
        if self.phrases == 0 {
            return vec![Vec::new(); stats.len()];
        }
        // Per theme: phrase stems -> (responses using it, written form -> count).
        type Counts = HashMap<String, (u32, HashMap<String, u32>)>;
        let counted: Vec<(usize, Counts)> = stats
            .par_iter()
            .map(|s| {
                let sample = even_sample(&s.rows, self.phrase_sample);
                let mut counts: Counts = HashMap::new();
                let mut seen = HashSet::new();
                for &r in &sample {
                    let text = responses[r].text.as_str();
                    let words = analyzer.words(text);
                    seen.clear();
                    for (stems, surface) in ngrams(text, &words) {
                        let entry = counts.entry(stems.clone()).or_default();
                        if seen.insert(stems) {
                            entry.0 += 1;
                        }
                        *entry.1.entry(surface).or_default() += 1;
                    }
                }
                (sample.len(), counts)
            })
            .collect();
        let mut total: HashMap<&str, u32> = HashMap::new();
        for (_, counts) in &counted {
            for (p, (n, _)) in counts {
                *total.entry(p.as_str()).or_default() += n;
            }
        }
        let sampled: usize = counted.iter().map(|c| c.0).sum();
        let mean = sampled as f64 / stats.len().max(1) as f64;
        counted
            .iter()
            .map(|(n_sample, counts)| {
                let mut phrases: Vec<Phrase> = counts
                    .iter()
                    .filter(|(_, (n, _))| *n as usize >= self.phrase_min_responses)
                    .map(|(stems, (n, surfaces))| {
                        let share = f64::from(*n) / (*n_sample).max(1) as f64;
                        let df = f64::from(total[stems.as_str()]);
                        // The most common written form; ties by the form itself.
                        let text = surfaces
                            .iter()
                            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                            .map(|(s, _)| s.clone())
                            .unwrap_or_else(|| stems.clone());
                        Phrase {
                            text,
                            stems: stems.clone(),
                            weight: share * (1.0 + mean / df).ln(),
                            responses: *n as usize,
                        }
                    })
                    .collect();
                phrases.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.stems.cmp(&b.stems)));
                drop_nested(&mut phrases, self.phrases);
                phrases
            })
            .collect()
    }

    /// The theme's quotes: its responses by cosine to the centroid, skipping exact repeats,
    /// near-duplicates of a chosen quote and a respondent already quoted, and preferring
    /// responses of at least `quote_min_words` words.
    fn quotes_of(&self, s: &ThemeStats, x: &CsrMatrix<f32>, responses: &[&Response]) -> Vec<Quote> {
        if self.quotes == 0 || s.rows.is_empty() {
            return Vec::new();
        }
        let centroid: HashMap<u32, f64> =
            s.terms.iter().map(|&(t, _, w)| (t, w / s.norm.max(f64::MIN_POSITIVE))).collect();
        let mut scored: Vec<(usize, f64)> = s
            .rows
            .iter()
            .map(|&r| {
                let row = x.row(r);
                let sim = row
                    .iter()
                    .map(|(c, v)| f64::from(v) * centroid.get(&c).copied().unwrap_or(0.0))
                    .sum::<f64>();
                (r, sim)
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));

        let mut chosen: Vec<(usize, f64)> = Vec::new();
        let mut texts = HashSet::new();
        let mut people = HashSet::new();
        // Pass 0 keeps to substantive responses of distinct respondents; pass 1 lets a
        // respondent be quoted twice, and pass 2 admits short responses, so that a small
        // theme still gets the quotes asked for.
        for pass in 0..3 {
            for &(r, sim) in &scored {
                if chosen.len() == self.quotes {
                    break;
                }
                let response = responses[r];
                if chosen.iter().any(|c| c.0 == r) {
                    continue;
                }
                let key = normalised(&response.text);
                if texts.contains(&key) {
                    continue;
                }
                if pass == 0 && people.contains(response.respondent_or_id()) {
                    continue;
                }
                if pass < 2 && response.text.split_whitespace().count() < self.quote_min_words {
                    continue;
                }
                if chosen
                    .iter()
                    .any(|&(c, _)| cosine(x.row(c), x.row(r)) > self.quote_max_similarity)
                {
                    continue;
                }
                texts.insert(key);
                people.insert(response.respondent_or_id());
                chosen.push((r, sim));
            }
        }
        chosen.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        chosen
            .into_iter()
            .map(|(row, similarity)| {
                let r = responses[row];
                Quote {
                    row,
                    id: r.id.clone(),
                    respondent: r.respondent.as_deref().map(String::from),
                    group: r.group.as_deref().map(String::from),
                    question: r.question.as_deref().map(String::from),
                    text: r.text.clone(),
                    similarity,
                }
            })
            .collect()
    }

    /// Builds each theme's label and makes the labels unique.
    ///
    /// A label opens with the best phrase when it is nearly as distinctive as the best term
    /// (at least 40% of its weight: phrases are rarer than their words, so their scores run
    /// lower), then adds the best terms the label does not yet contain (compared by stem),
    /// up to `label_terms` pieces; a term that contains a piece replaces it ("good" becomes
    /// "good service"). Themes that end with the same label take further terms, the less
    /// distinctive theme first, until the labels differ; as a last resort the theme id is
    /// appended.
    fn assign_labels(&self, themes: &mut [Theme]) {
        let mut pieces: Vec<Vec<Piece>> = themes.iter().map(|t| self.label_pieces(t)).collect();
        let mut next: Vec<usize> = vec![0; themes.len()];
        let text = |p: &[Piece]| {
            p.iter().map(|p| p.display.as_str()).collect::<Vec<_>>().join(" / ").to_lowercase()
        };
        loop {
            let mut by_label: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, p) in pieces.iter().enumerate() {
                by_label.entry(text(p)).or_default().push(i);
            }
            let mut clashes: Vec<Vec<usize>> =
                by_label.into_values().filter(|v| v.len() > 1).collect();
            if clashes.is_empty() {
                break;
            }
            clashes.sort();
            let mut progressed = false;
            for clash in clashes {
                // The most distinctive theme keeps the short label; the others grow.
                let mut order = clash.clone();
                order.sort_by(|&a, &b| {
                    themes[b].distinctiveness.total_cmp(&themes[a].distinctiveness).then(a.cmp(&b))
                });
                for &i in &order[1..] {
                    let candidates = candidates(&themes[i]);
                    while next[i] < candidates.len() {
                        let c = candidates[next[i]].clone();
                        next[i] += 1;
                        if !c.covered_by(&pieces[i]) {
                            pieces[i].push(c);
                            progressed = true;
                            break;
                        }
                    }
                }
            }
            if !progressed {
                // Themes with identical terms: only the id tells them apart.
                let mut by_label: HashMap<String, Vec<usize>> = HashMap::new();
                for (i, p) in pieces.iter().enumerate() {
                    by_label.entry(text(p)).or_default().push(i);
                }
                for clash in by_label.into_values().filter(|v| v.len() > 1) {
                    for i in clash {
                        let id = format!("theme {}", themes[i].id);
                        pieces[i].push(Piece { display: id, stems: Vec::new() });
                    }
                }
                break;
            }
        }
        for (t, p) in themes.iter_mut().zip(pieces) {
            t.label = p.iter().map(|p| p.display.as_str()).collect::<Vec<_>>().join(" / ");
        }
    }

    fn label_pieces(&self, t: &Theme) -> Vec<Piece> {
        let mut pieces: Vec<Piece> = Vec::new();
        let best_term = t.top_terms.first().map_or(0.0, |w| w.weight);
        if let Some(p) = t.phrases.first()
            && p.weight >= 0.4 * best_term
        {
            pieces.push(Piece::of_phrase(p));
        }
        for term in &t.top_terms {
            if pieces.len() >= self.label_terms {
                break;
            }
            let candidate = Piece::of_term(term);
            if candidate.covered_by(&pieces) {
                continue;
            }
            // "good service" replaces "good" rather than repeating it.
            if let Some(sub) = pieces.iter_mut().find(|p| p.covered_by_piece(&candidate)) {
                *sub = candidate;
            } else {
                pieces.push(candidate);
            }
        }
        if pieces.is_empty() {
            pieces.push(Piece { display: format!("theme {}", t.id), stems: Vec::new() });
        }
        pieces
    }
}

/// A part of a label: a term or phrase, with its stems for comparisons.
#[derive(Debug, Clone)]
struct Piece {
    display: String,
    stems: Vec<String>,
}

impl Piece {
    fn of_term(t: &TermWeight) -> Piece {
        Piece { display: t.display.clone(), stems: t.term.split(' ').map(str::to_owned).collect() }
    }

    fn of_phrase(p: &Phrase) -> Piece {
        Piece { display: p.text.clone(), stems: p.stems.split(' ').map(str::to_owned).collect() }
    }

    /// Whether every stem of `self` is already in one of `pieces`.
    fn covered_by(&self, pieces: &[Piece]) -> bool {
        self.stems.iter().all(|s| pieces.iter().any(|p| p.stems.contains(s)))
    }

    /// Whether every stem of `self` is in `other`.
    fn covered_by_piece(&self, other: &Piece) -> bool {
        self.stems.iter().all(|s| other.stems.contains(s))
    }
}

/// The terms then phrases of a theme, as label pieces.
fn candidates(t: &Theme) -> Vec<Piece> {
    t.top_terms.iter().map(Piece::of_term).chain(t.phrases.iter().map(Piece::of_phrase)).collect()
}

/// Drops phrases contained in a better-scored one ("safety officer" under "clinical safety
/// officer") or containing one with at least the same score, keeping `n`.
fn drop_nested(phrases: &mut Vec<Phrase>, n: usize) {
    let mut kept: Vec<Phrase> = Vec::with_capacity(n);
    for p in phrases.drain(..) {
        if kept.len() == n {
            break;
        }
        let padded = format!(" {} ", p.stems);
        if kept.iter().any(|k| {
            let kp = format!(" {} ", k.stems);
            kp.contains(&padded) || padded.contains(&kp)
        }) {
            continue;
        }
        kept.push(p);
    }
    *phrases = kept;
}

/// The n-grams of 2 and 3 words of `text` as the analyzer forms them, with their written
/// forms: words adjacent in the text with nothing between them but spaces or hyphens.
fn ngrams(text: &str, words: &[thematic_text::Word]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for i in 0..words.len() {
        let mut stems = words[i].stem.clone();
        let mut surface = words[i].surface.clone();
        for j in i + 1..(i + 3).min(words.len()) {
            // A stop word, a dropped token or punctuation between two words breaks the phrase.
            let gap = &text[words[j - 1].end..words[j].start];
            if !gap.chars().all(|c| c == ' ' || c == '-') {
                break;
            }
            stems.push(' ');
            stems.push_str(&words[j].stem);
            surface.push(' ');
            surface.push_str(&words[j].surface);
            out.push((stems.clone(), surface.clone()));
        }
    }
    out
}

/// Up to `n` of `rows`, evenly spread (all of them when there are at most `n`).
fn even_sample(rows: &[usize], n: usize) -> Vec<usize> {
    if rows.len() <= n {
        return rows.to_vec();
    }
    (0..n).map(|i| rows[i * rows.len() / n]).collect()
}

/// Lower-cased text with runs of white space made single: exact repeats up to case/spacing.
fn normalised(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Cosine of two sparse rows (their indices are sorted).
fn cosine(a: CsrRow<'_, f32>, b: CsrRow<'_, f32>) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0f64);
    while i < a.indices.len() && j < b.indices.len() {
        match a.indices[i].cmp(&b.indices[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += f64::from(a.values[i]) * f64::from(b.values[j]);
                i += 1;
                j += 1;
            }
        }
    }
    let na = a.values.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>().sqrt();
    let nb = b.values.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>().sqrt();
    if na == 0.0 || nb == 0.0 { 0.0 } else { dot / (na * nb) }
}

/// The terms of a theme's rows: responses using each and summed weights.
fn theme_stats(x: &CsrMatrix<f32>, rows: Vec<usize>) -> ThemeStats {
    let mut entries: Vec<(u32, f32)> = Vec::with_capacity(rows.iter().map(|&r| x.row_nnz(r)).sum());
    for &r in &rows {
        entries.extend(x.row(r).iter());
    }
    entries.sort_unstable_by_key(|e| e.0);
    let mut terms: Vec<(u32, u32, f64)> = Vec::new();
    for (t, v) in entries {
        match terms.last_mut() {
            Some(last) if last.0 == t => {
                last.1 += 1;
                last.2 += f64::from(v);
            }
            _ => terms.push((t, 1, f64::from(v))),
        }
    }
    let norm = terms.iter().map(|t| t.2 * t.2).sum::<f64>().sqrt();
    ThemeStats { rows, terms, norm }
}

/// Each theme's `1 − cos` to the nearest other centroid, and that theme. The Gram matrix of
/// the centroids is accumulated term by term over the themes that use each term, so the cost
/// is the sum over terms of (themes using it)², not k² × vocabulary.
fn distinctiveness(stats: &[ThemeStats], n_cols: usize) -> (Vec<f64>, Vec<Option<u32>>) {
    let k = stats.len();
    let mut by_term: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n_cols];
    for (c, s) in stats.iter().enumerate() {
        if s.norm > 0.0 {
            for &(t, _, w) in &s.terms {
                by_term[t as usize].push((c as u32, w / s.norm));
            }
        }
    }
    let mut gram = vec![0.0f64; k * k];
    for list in &by_term {
        for (i, &(a, wa)) in list.iter().enumerate() {
            for &(b, wb) in &list[i + 1..] {
                gram[a as usize * k + b as usize] += wa * wb;
            }
        }
    }
    (0..k)
        .map(|a| {
            let mut best: Option<(u32, f64)> = None;
            for b in 0..k {
                if a == b {
                    continue;
                }
                let g = if a < b { gram[a * k + b] } else { gram[b * k + a] };
                if best.is_none_or(|(_, s)| g > s) {
                    best = Some((b as u32, g));
                }
            }
            match best {
                Some((b, g)) => ((1.0 - g).clamp(0.0, 1.0), Some(b)),
                None => (1.0, None),
            }
        })
        .unzip()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_has_its_error() {
        let p = ThemeLabeller::params;
        assert!(matches!(p().top_terms(0).check(), Err(ThemesError::TopTerms)));
        assert!(matches!(
            p().top_terms(3).label_terms(4).check(),
            Err(ThemesError::LabelTerms { label_terms: 4, top_terms: 3 })
        ));
        assert!(matches!(
            p().label_terms(0).check(),
            Err(ThemesError::LabelTerms { label_terms: 0, top_terms: 10 })
        ));
        assert!(matches!(
            p().phrase_min_responses(0).check(),
            Err(ThemesError::PhraseMinResponses)
        ));
        assert!(matches!(p().phrase_sample(0).check(), Err(ThemesError::PhraseSample)));
        for bad in [0.0, -0.1, 1.5, f64::NAN] {
            assert!(matches!(
                p().quote_max_similarity(bad).check(),
                Err(ThemesError::QuoteMaxSimilarity(_))
            ));
        }
        assert!(p().check().is_ok());
    }

    #[test]
    fn even_sample_spreads_over_the_rows() {
        let rows: Vec<usize> = (0..10).collect();
        assert_eq!(even_sample(&rows, 20), rows);
        assert_eq!(even_sample(&rows, 5), vec![0, 2, 4, 6, 8]);
    }

    #[test]
    fn nested_phrases_keep_the_best() {
        let p = |stems: &str, w: f64| Phrase {
            text: stems.to_owned(),
            stems: stems.to_owned(),
            weight: w,
            responses: 2,
        };
        let mut v = vec![
            p("clinic safeti offic", 0.9),
            p("safeti offic", 0.8),
            p("alert fatigu", 0.7),
            p("safeti", 0.6),
        ];
        drop_nested(&mut v, 5);
        let kept: Vec<&str> = v.iter().map(|p| p.stems.as_str()).collect();
        assert_eq!(kept, ["clinic safeti offic", "alert fatigu"]);
    }

    #[test]
    fn ngrams_follow_adjacent_words_only() {
        let a = Analyzer::default();
        let text = "Clinical safety officers, and alert fatigue.";
        let words = a.words(text);
        let grams: Vec<String> = ngrams(text, &words).into_iter().map(|g| g.1).collect();
        assert_eq!(
            grams,
            ["clinical safety", "clinical safety officers", "safety officers", "alert fatigue"]
        );
    }
}
