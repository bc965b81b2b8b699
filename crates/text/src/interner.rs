//! The fast path from texts to term ids.

use rustc_hash::FxHashMap;

use crate::analyzer::{Analyzer, WordClass};
use crate::tokenize::{Event, scan};

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
enum Cached {
    Term(u32),
    Stop,
    Drop,
}

#[derive(Debug)]
struct Surface {
    text: Box<str>,
    stem: u32,
    count: u64,
}

/// Turns texts into term ids local to this interner, analysing each distinct written word
/// once.
///
/// Texts of a corpus share few distinct words, so caching the analysis of every written form
/// (case folding, stop-word test, stemming) makes the per-token cost one hash lookup. The
/// cache doubles as the record of surface forms: for every stem, which normalised words
/// produced it and how often, so labels can say "training" rather than "train".
///
/// Term ids are dense (`0..n_terms()`) in order of first appearance; they mean nothing outside
/// this interner. Build one interner per chunk of texts, then map its terms to a shared
/// vocabulary by their strings ([`TermInterner::term`]).
///
/// ```
/// use thematic_text::Analyzer;
/// let analyzer = Analyzer::default();
/// let mut interner = analyzer.interner();
/// let mut ids = Vec::new();
/// interner.add_text("Safety alerts. Alert fatigue!", &mut ids);
/// let terms: Vec<String> = ids.iter().map(|&i| interner.term(i)).collect();
/// assert_eq!(terms, ["safeti", "alert", "safeti alert", "alert", "fatigu", "alert fatigu"]);
/// let forms: Vec<_> = interner.surface_forms().filter(|f| f.0 == "alert").collect();
/// assert_eq!(forms, [("alert", "alerts", 1), ("alert", "alert", 1)]);
/// ```
#[derive(Debug)]
pub struct TermInterner<'a> {
    analyzer: &'a Analyzer,
    words: FxHashMap<Box<str>, Cached>,
    surfaces: Vec<Surface>,
    surface_index: FxHashMap<Box<str>, u32>,
    stems: Vec<Box<str>>,
    stem_index: FxHashMap<Box<str>, u32>,
    terms: FxHashMap<[u32; 3], u32>,
    keys: Vec<[u32; 3]>,
    /// Unigram term id of each stem (`NONE` until seen), sparing a hash lookup per token.
    unigram: Vec<u32>,
}

impl<'a> TermInterner<'a> {
    pub(crate) fn new(analyzer: &'a Analyzer) -> Self {
        TermInterner {
            analyzer,
            words: FxHashMap::default(),
            surfaces: Vec::new(),
            surface_index: FxHashMap::default(),
            stems: Vec::new(),
            stem_index: FxHashMap::default(),
            terms: FxHashMap::default(),
            keys: Vec::new(),
            unigram: Vec::new(),
        }
    }

    /// Analyses `text` and appends the id of every term occurrence to `out`.
    pub fn add_text(&mut self, text: &str, out: &mut Vec<u32>) {
        let (uni, bi, tri) = self.analyzer.emit_ngrams();
        let TermInterner {
            analyzer,
            words,
            surfaces,
            surface_index,
            stems,
            stem_index,
            terms,
            keys,
            unigram,
        } = self;
        let mut intern = |key: [u32; 3]| {
            *terms.entry(key).or_insert_with(|| {
                keys.push(key);
                (keys.len() - 1) as u32
            })
        };
        let (mut p1, mut p2) = (NONE, NONE);
        scan(text, |event| {
            let Event::Token(token) = event else {
                (p1, p2) = (NONE, NONE);
                return;
            };
            let cached = match words.get(token.text) {
                Some(c) => *c,
                None => {
                    let c = match analyzer.classify(token.text, token.kind) {
                        WordClass::Term { surface, stem } => {
                            let sid =
                                *surface_index.entry(surface.clone().into()).or_insert_with(|| {
                                    let next = stems.len() as u32;
                                    let stem_id = *stem_index
                                        .entry(stem.clone().into())
                                        .or_insert_with(|| {
                                            stems.push(stem.into());
                                            next
                                        });
                                    surfaces.push(Surface {
                                        text: surface.into(),
                                        stem: stem_id,
                                        count: 0,
                                    });
                                    (surfaces.len() - 1) as u32
                                });
                            Cached::Term(sid)
                        }
                        WordClass::Stop => Cached::Stop,
                        WordClass::Drop => Cached::Drop,
                    };
                    words.insert(token.text.into(), c);
                    c
                }
            };
            let Cached::Term(sid) = cached else {
                (p1, p2) = (NONE, NONE);
                return;
            };
            let surface = &mut surfaces[sid as usize];
            surface.count += 1;
            let stem = surface.stem;
            if uni {
                let s = stem as usize;
                if s >= unigram.len() {
                    unigram.resize(s + 1, NONE);
                }
                if unigram[s] == NONE {
                    unigram[s] = intern([stem, NONE, NONE]);
                }
                out.push(unigram[s]);
            }
            if bi && p1 != NONE {
                out.push(intern([p1, stem, NONE]));
            }
            if tri && p2 != NONE {
                out.push(intern([p2, p1, stem]));
            }
            (p2, p1) = (p1, stem);
        });
    }

    /// Number of distinct terms seen.
    pub fn n_terms(&self) -> usize {
        self.keys.len()
    }

    /// Number of words (1, 2 or 3) of term `id`.
    pub fn term_len(&self, id: u32) -> usize {
        self.keys[id as usize].iter().filter(|&&s| s != NONE).count()
    }

    /// The stem ids of term `id` (see [`TermInterner::stem`]), one per word.
    pub fn term_stem_ids(&self, id: u32) -> &[u32] {
        let key = &self.keys[id as usize];
        &key[..self.term_len(id)]
    }

    /// Number of distinct stems seen.
    pub fn n_stems(&self) -> usize {
        self.stems.len()
    }

    /// Stem `id`.
    pub fn stem(&self, id: u32) -> &str {
        &self.stems[id as usize]
    }

    /// The stems of term `id`.
    pub fn term_stems(&self, id: u32) -> impl Iterator<Item = &str> + '_ {
        self.keys[id as usize].iter().filter(|&&s| s != NONE).map(|&s| &*self.stems[s as usize])
    }

    /// Term `id` as a string: its stems joined by single spaces.
    pub fn term(&self, id: u32) -> String {
        let mut s = String::new();
        self.write_term(id, &mut s);
        s
    }

    /// Appends term `id` to `out` (see [`TermInterner::term`]).
    pub fn write_term(&self, id: u32, out: &mut String) {
        for (i, stem) in self.term_stems(id).enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(stem);
        }
    }

    /// Every (stem, surface form, occurrences) seen, in order of first appearance.
    pub fn surface_forms(&self) -> impl Iterator<Item = (&str, &str, u64)> + '_ {
        self.surfaces.iter().map(|s| (&*self.stems[s.stem as usize], &*s.text, s.count))
    }
}
