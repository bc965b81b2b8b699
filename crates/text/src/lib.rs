/*!
Text analysis for thematic: from free text to terms.

An [`Analyzer`] splits text into Unicode words ([UAX #29]) while keeping URLs, e-mail
addresses, numbers and emoji apart; lower-cases and normalises apostrophes; drops stop words;
stems with the Snowball algorithms of `rust-stemmers`; and forms n-grams that never span a
stop word, punctuation, a line break or a sentence. [`sentences`] splits text into sentences
for quote and recommendation extraction. [`TermInterner`] is the fast path for corpora: it
analyses each distinct written word once and records, for every stem, its surface forms.
[`Masker`] replaces personal data (e-mail addresses, phone numbers, UK postcodes, NHS
numbers, personal URLs) in quotes and exports with placeholders such as `[phone]`.

```
use thematic_text::{Analyzer, StopWords, Language};

let analyzer = Analyzer::builder()
    .stemmer(Some(Language::English))
    .stop_words(StopWords::english().with(["nhs"]))
    .ngram_range(1, 2)
    .build()?;
assert_eq!(
    analyzer.terms("The NHS should fund clinical safety training."),
    ["fund", "clinic", "fund clinic", "safeti", "clinic safeti", "train", "safeti train"],
);
# Ok::<(), thematic_text::TextError>(())
```

[UAX #29]: https://www.unicode.org/reports/tr29/
*/
#![deny(missing_docs)]

mod analyzer;
mod error;
mod interner;
pub mod mask;
mod sentence;
mod stopwords;
mod tokenize;

pub use analyzer::{Analyzer, AnalyzerBuilder, Language, Word};
pub use error::{Result, TextError};
pub use interner::TermInterner;
pub use mask::{MaskError, Masker, MaskerParams, PiiKind, PiiMatch, Replacement};
pub use sentence::{Sentence, sentences};
pub use stopwords::StopWords;
pub use tokenize::{Token, TokenKind, tokenize};
