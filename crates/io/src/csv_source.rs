//! CSV/TSV reader: delimiter and quote detection, decoding, row-level accounting.
//!
//! The file is decoded to UTF-8 as a stream ([`crate::encoding`]), its delimiter and quote
//! are detected from the first 64 KiB of text unless given, and the `csv` crate splits it
//! into records. Each record becomes a row of exactly one cell per column, or an unreadable
//! row with a reason (a ragged record when not strict); faults that make the rest of the file
//! untrustworthy (invalid UTF-8, malformed UTF-16, a quote that never closes) are errors
//! naming the file, the record, its line, the column or the byte offset.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::encoding::{DecodedReader, Encoding, io_error, open_decoded};
use crate::error::{IoError, Result};
use crate::source::{
    Format, ReadOptions, RowLocation, RowRead, RowSource, SourceSummary, name_columns,
};

/// How much decoded text delimiter and quote detection look at.
const SAMPLE_BYTES: usize = 64 << 10;

/// Delimiters tried by detection, in order of preference when they fit equally well.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// A CSV or TSV file read row by row.
pub(crate) struct CsvSource {
    path: PathBuf,
    reader: csv::Reader<Tracked>,
    /// The record being read, reused for every row.
    record: csv::ByteRecord,
    columns: Vec<String>,
    encoding: Encoding,
    delimiter: u8,
    quote: u8,
    strict: bool,
    /// Data records read so far (the header not counted).
    records: u64,
    /// Offset in the decoded stream where the last record (or the header) starts.
    last_start: u64,
    /// The parser reported the end of the file (and the last record was checked).
    done: bool,
    /// Non-blank rows skipped above the header (a title), not counting a "sep=" line.
    skipped: u64,
}

/// Which rows above the header `read_header` passes over.
#[derive(Debug, Clone, Copy)]
enum Skip {
    /// This many records as detected (and then any blank ones).
    Records(usize),
    /// This many non-blank records, as asked, and blank ones around them.
    NonBlank(usize),
}

impl std::fmt::Debug for CsvSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvSource")
            .field("path", &self.path)
            .field("columns", &self.columns)
            .field("encoding", &self.encoding)
            .field("delimiter", &char::from(self.delimiter))
            .field("quote", &char::from(self.quote))
            .field("records", &self.records)
            .finish_non_exhaustive()
    }
}

impl CsvSource {
    /// Opens `path`, resolves its encoding, delimiter and quote, and reads its header.
    ///
    /// # Errors
    /// The file cannot be read; a delimiter or quote option is not a single ASCII character
    /// other than a line break, or they are the same; the file is empty (no header); the
    /// header is not valid in the encoding; see also [`RowSource::next_row`].
    pub(crate) fn open(path: &Path, format: Format, options: &ReadOptions) -> Result<Self> {
        check_char_option("delimiter", options.delimiter)?;
        check_char_option("quote", options.quote)?;
        if options.delimiter.is_some() && options.delimiter == options.quote {
            return Err(IoError::InvalidOption {
                option: "quote",
                message: "the quote must differ from the delimiter".to_owned(),
            });
        }
        let (decoded, encoding) = open_decoded(path, options.encoding)?;
        let mut tracked = Tracked::new(decoded);
        let complete = tracked.load_sample(SAMPLE_BYTES).map_err(|e| io_error(path, e))?;
        let sample = tracked.sample();
        // Excel's "sep=;" first line names the delimiter (and is not the header).
        let hint = sep_hint(sample);
        let given_delimiter = match (options.delimiter, hint, format) {
            (Some(d), _, _) => Some(d),
            (None, Some(d), _) => Some(d),
            (None, None, Format::Tsv) => Some(b'\t'),
            _ => None,
        };
        let mut quote = options.quote.unwrap_or(b'"');
        let mut delimiter =
            given_delimiter.unwrap_or_else(|| detect_delimiter(sample, complete, quote));
        if options.quote.is_none()
            && delimiter != b'\''
            && detect_single_quote(sample, complete, delimiter)
        {
            quote = b'\'';
            if given_delimiter.is_none() {
                delimiter = detect_delimiter(sample, complete, quote);
            }
        }
        if delimiter == quote {
            return Err(IoError::InvalidOption {
                option: "quote",
                message: format!(
                    "the quote must differ from the delimiter {:?}",
                    char::from(quote)
                ),
            });
        }
        let skip = match options.skip_rows {
            Some(n) => Skip::NonBlank(n),
            // A header of several rows asked for starts at the first row.
            None if options.header_rows.is_some() => Skip::Records(0),
            None => Skip::Records(detect_title_records(
                sample,
                usize::from(hint.is_some()),
                delimiter,
                quote,
            )),
        };
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .quote(quote)
            .flexible(true)
            .has_headers(false)
            .buffer_capacity(SAMPLE_BYTES)
            .from_reader(tracked);
        let mut source = CsvSource {
            path: path.to_owned(),
            reader,
            record: csv::ByteRecord::new(),
            columns: Vec::new(),
            encoding,
            delimiter,
            quote,
            strict: options.strict,
            records: 0,
            last_start: 0,
            done: false,
            skipped: 0,
        };
        if hint.is_some() && !source.read_record()? {
            return Err(IoError::Empty { path: source.path.clone() });
        }
        source.read_header(skip)?;
        Ok(source)
    }

    /// Reads the header after the rows `skip` passes over (and, past skipped rows, any
    /// blank ones: Excel writes a blank row as ",,,").
    fn read_header(&mut self, skip: Skip) -> Result<()> {
        let blank = |record: &csv::ByteRecord| record.iter().all(|f| f.trim_ascii().is_empty());
        let mut passed = 0usize;
        loop {
            if !self.read_record()? {
                // A header that opens a quote it never closes has swallowed the file;
                // otherwise there is no header at all.
                return Err(IoError::Empty { path: self.path.clone() });
            }
            let is_blank = blank(&self.record);
            let more = match skip {
                Skip::Records(n) => passed < n || (n > 0 && is_blank),
                Skip::NonBlank(n) => is_blank || (self.skipped as usize) < n,
            };
            if !more {
                break;
            }
            passed += 1;
            if !is_blank {
                self.skipped += 1;
            }
        }
        let (start, line) = self.record_start();
        self.last_start = start;
        let mut names = Vec::with_capacity(self.record.len());
        for (i, field) in self.record.iter().enumerate() {
            match std::str::from_utf8(field) {
                Ok(s) => names.push(s.to_owned()),
                Err(_) => return Err(self.encoding_error(0, line, format!("#{}", i + 1), start)),
            }
        }
        // Named by `Headed`, which sees the empty cells of headers of several rows.
        self.columns = names;
        self.reader.get_mut().keep_from(start);
        Ok(())
    }

    /// Reads the next record into `self.record`; false at the end of the file.
    fn read_record(&mut self) -> Result<bool> {
        self.reader.read_byte_record(&mut self.record).map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            let message = e.to_string();
            match e.into_kind() {
                csv::ErrorKind::Io(io) => io_error(&self.path, io),
                _ => IoError::Csv {
                    path: self.path.clone(),
                    record: self.records + 1,
                    line,
                    message,
                },
            }
        })
    }

    /// Where the record just read starts: its decoded byte offset and 1-based line.
    ///
    /// The parser's position is where it stopped reading the record before: after the `\r`
    /// of a CRLF and before any blank lines, which it skips as it starts the next record.
    /// Skipping them here too gives the line a reader sees in an editor (lines count line
    /// feeds, as the parser's do).
    fn record_start(&self) -> (u64, u64) {
        let pos = self.record.position().cloned().unwrap_or_else(csv::Position::new);
        let (mut skipped, mut lines) = (0u64, 0u64);
        for &b in self.reader.get_ref().since(pos.byte()) {
            match b {
                b'\n' => lines += 1,
                b'\r' => {}
                _ => break,
            }
            skipped += 1;
        }
        (pos.byte() + skipped, pos.line() + lines)
    }

    /// The error for a record (0: the header) starting at decoded offset `start` whose field
    /// `column` is not valid UTF-8.
    fn encoding_error(&self, record: u64, line: u64, column: String, start: u64) -> IoError {
        let tracked = self.reader.get_ref();
        // The record's raw text holds the bad bytes too (quotes and delimiters are ASCII), and
        // nothing invalid before them: it starts at a line start, a character boundary.
        let within = std::str::from_utf8(tracked.since(start)).err().map_or(0, |e| e.valid_up_to());
        IoError::Encoding {
            path: self.path.clone(),
            record,
            line,
            column,
            byte_offset: tracked.inner.raw_offset(start + within as u64),
        }
    }

    /// At the end of the file: whether the last record opened a quoted field that was never
    /// closed (the parser silently takes the rest of the file into such a field).
    fn check_unclosed_quote(&self) -> Result<()> {
        let mut state = QuoteState::new(self.delimiter, self.quote);
        state.feed(self.reader.get_ref().since(self.last_start));
        if state.is_open() {
            return Err(IoError::UnclosedQuote { path: self.path.clone(), record: self.records });
        }
        Ok(())
    }
}

impl RowSource for CsvSource {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn next_row(&mut self, fields: &mut Vec<String>) -> Result<Option<RowRead>> {
        if self.done {
            return Ok(None);
        }
        if !self.read_record()? {
            self.done = true;
            self.check_unclosed_quote()?;
            return Ok(None);
        }
        self.records += 1;
        let (start, line) = self.record_start();
        self.last_start = start;
        let at = RowLocation { record: self.records, line: Some(line) };
        let expected = self.columns.len();
        let found = self.record.len();
        // Fill the caller's strings in place: reusing their allocations matters at a million
        // rows. Every field is checked, not only the kept ones: bad bytes anywhere mean the
        // file is not in the encoding it was read in.
        fields.truncate(found.min(expected));
        for (i, raw) in self.record.iter().enumerate() {
            let Ok(text) = std::str::from_utf8(raw) else {
                let column = name_columns(self.columns.iter().cloned())
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("#{}", i + 1));
                return Err(self.encoding_error(self.records, line, column, start));
            };
            if i < expected {
                match fields.get_mut(i) {
                    Some(field) => {
                        field.clear();
                        field.push_str(text);
                    }
                    None => fields.push(text.to_owned()),
                }
            }
        }
        self.reader.get_mut().keep_from(start);
        // Excel pads rows with empty cells ("a,b,,") when cells beyond the table were once
        // used: they carry nothing, so such a row is read as the header's columns.
        let padded = found > expected && self.record.iter().skip(expected).all(<[u8]>::is_empty);
        if found == expected || padded {
            return Ok(Some(RowRead::Row(at)));
        }
        if self.strict {
            return Err(IoError::Ragged {
                path: self.path.clone(),
                record: self.records,
                line,
                found,
                expected,
            });
        }
        let fields_word = if found == 1 { "field" } else { "fields" };
        Ok(Some(RowRead::Unreadable(
            at,
            format!("has {found} {fields_word} but the header has {expected}"),
        )))
    }

    fn finish(self: Box<Self>) -> Result<SourceSummary> {
        let CsvSource { path, reader, encoding, delimiter, skipped, .. } = *self;
        let (sha256, bytes) = reader.into_inner().inner.finish().map_err(|e| io_error(&path, e))?;
        Ok(SourceSummary {
            sha256,
            bytes,
            encoding: Some(encoding.name().to_owned()),
            delimiter: Some(char::from(delimiter)),
            skipped_rows: skipped,
            ..SourceSummary::default()
        })
    }
}

fn check_char_option(option: &'static str, value: Option<u8>) -> Result<()> {
    match value {
        Some(b) if !b.is_ascii() || b == b'\n' || b == b'\r' => Err(IoError::InvalidOption {
            option,
            message: format!(
                "must be a single ASCII character other than a line break, not byte {b:#04x}"
            ),
        }),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// The decoded stream, with its start held for detection and its tail for error reports
// ---------------------------------------------------------------------------------------------

/// The decoded stream as the CSV parser reads it. It serves the sample read for detection
/// first, and keeps the bytes since the current record's start (`keep_from`), so that the
/// byte offset of invalid UTF-8 and an unclosed quote in the last record can be found in
/// the text the parser saw, whatever the file's encoding, without re-reading the file.
struct Tracked {
    inner: DecodedReader,
    sample: Vec<u8>,
    sample_pos: usize,
    /// Decoded bytes from offset `tail_base` to what the parser has read.
    tail: Vec<u8>,
    tail_base: u64,
}

impl Tracked {
    fn new(inner: DecodedReader) -> Self {
        Tracked { inner, sample: Vec::new(), sample_pos: 0, tail: Vec::new(), tail_base: 0 }
    }

    /// Reads up to `limit` bytes of decoded text into the sample; true if that is the whole
    /// file.
    fn load_sample(&mut self, limit: usize) -> std::io::Result<bool> {
        self.sample.resize(limit, 0);
        let mut len = 0;
        while len < limit {
            match self.inner.read(&mut self.sample[len..]) {
                Ok(0) => {
                    self.sample.truncate(len);
                    return Ok(true);
                }
                Ok(n) => len += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(false)
    }

    fn sample(&self) -> &[u8] {
        &self.sample
    }

    /// Forgets the bytes before decoded offset `offset` (a record start), in batches so that
    /// moving what is kept costs no more than what is dropped.
    fn keep_from(&mut self, offset: u64) {
        let drop = usize::try_from(offset.saturating_sub(self.tail_base))
            .unwrap_or(usize::MAX)
            .min(self.tail.len());
        if drop >= SAMPLE_BYTES && drop * 2 >= self.tail.len() {
            self.tail.drain(..drop);
            self.tail_base += drop as u64;
        }
    }

    /// The kept bytes from decoded offset `offset` on.
    fn since(&self, offset: u64) -> &[u8] {
        usize::try_from(offset.saturating_sub(self.tail_base))
            .ok()
            .and_then(|i| self.tail.get(i..))
            .unwrap_or_default()
    }
}

impl Read for Tracked {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = if self.sample_pos < self.sample.len() {
            let n = buf.len().min(self.sample.len() - self.sample_pos);
            buf[..n].copy_from_slice(&self.sample[self.sample_pos..self.sample_pos + n]);
            self.sample_pos += n;
            n
        } else {
            if !self.sample.is_empty() {
                self.sample = Vec::new();
                self.sample_pos = 0;
            }
            self.inner.read(buf)?
        };
        self.tail.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

// ---------------------------------------------------------------------------------------------
// Quotes
// ---------------------------------------------------------------------------------------------

/// Whether text read from a record start is inside a quoted field, following the rules of
/// the `csv` parser: a quote opens a field only at its start, a doubled quote inside it is a
/// literal quote, and a quote followed by anything else closes it.
#[derive(Debug, Clone)]
struct QuoteState {
    delimiter: u8,
    quote: u8,
    at_field_start: bool,
    quoted: bool,
    /// A quote seen inside a quoted field: it closes the field or escapes the next quote.
    quote_pending: bool,
}

impl QuoteState {
    fn new(delimiter: u8, quote: u8) -> Self {
        QuoteState { delimiter, quote, at_field_start: true, quoted: false, quote_pending: false }
    }

    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.quoted {
                if self.quote_pending {
                    self.quote_pending = false;
                    if b == self.quote {
                        continue; // escaped quote
                    }
                    self.quoted = false; // the quote closed the field; fall through for b
                } else {
                    if b == self.quote {
                        self.quote_pending = true;
                    }
                    continue;
                }
            }
            if self.at_field_start && b == self.quote {
                self.quoted = true;
                self.at_field_start = false;
                continue;
            }
            self.at_field_start = b == self.delimiter || b == b'\n' || b == b'\r';
        }
    }

    /// Inside a quoted field that has not been closed.
    fn is_open(&self) -> bool {
        self.quoted && !self.quote_pending
    }
}

// ---------------------------------------------------------------------------------------------
// Detection
// ---------------------------------------------------------------------------------------------

/// The records of a sample as one candidate delimiter and quote split them.
#[derive(Debug, Default)]
struct Scan {
    /// Fields per record (blank lines skipped, as the parser does).
    counts: Vec<usize>,
    /// Quoted fields seen.
    quoted: usize,
    /// Every quoted field was closed by a quote followed by a delimiter, a line break or the
    /// end of the text.
    well_formed: bool,
}

impl Scan {
    /// The header's field count and the share of records that have it.
    fn consistency(&self) -> Option<(usize, f64)> {
        let header = *self.counts.first()?;
        let same = self.counts.iter().filter(|&&c| c == header).count();
        Some((header, same as f64 / self.counts.len() as f64))
    }
}

/// Splits `sample` into records; `complete` says whether it is the whole file (otherwise
/// its last, possibly cut, record is left out).
fn scan(sample: &[u8], delimiter: u8, quote: u8, complete: bool) -> Scan {
    let mut scan = Scan { well_formed: true, ..Scan::default() };
    let (mut fields, mut started) = (0usize, false);
    let (mut at_field_start, mut quoted, mut pending, mut closed) = (true, false, false, false);
    for &b in sample {
        if quoted {
            if pending {
                pending = false;
                if b == quote {
                    continue;
                }
                quoted = false;
                closed = true;
            } else {
                if b == quote {
                    pending = true;
                }
                continue;
            }
        }
        let ends_field = b == delimiter || b == b'\n' || b == b'\r';
        if closed && !ends_field {
            // Text after a closing quote: the parser keeps it, but a real quote is not used
            // like this.
            scan.well_formed = false;
        }
        closed = false;
        if b == delimiter {
            fields += 1;
            started = true;
            at_field_start = true;
        } else if b == b'\n' || b == b'\r' {
            if started {
                scan.counts.push(fields + 1);
            }
            (fields, started, at_field_start) = (0, false, true);
        } else {
            if at_field_start && b == quote {
                quoted = true;
                scan.quoted += 1;
            }
            at_field_start = false;
            started = true;
        }
    }
    if complete {
        if quoted && !pending {
            scan.well_formed = false;
        }
        if started {
            scan.counts.push(fields + 1);
        }
    }
    scan
}

/// The delimiter named by Excel's hint line, `sep=;`, if the text starts with one: a tab or
/// an ASCII punctuation character other than a quote (a line naming anything else is not a
/// hint, and is read as the header).
fn sep_hint(sample: &[u8]) -> Option<u8> {
    let rest = sample.strip_prefix(b"sep=")?;
    let d = match rest {
        [d, b'\n' | b'\r', ..] | [d] => *d,
        _ => return None,
    };
    (d == b'\t' || (d.is_ascii_punctuation() && d != b'"' && d != b'\'')).then_some(d)
}

/// How many records at the start of the sample (after `hint` hint lines) are a title above
/// the header, by [`crate::header::title_rows`]; 0 if none.
fn detect_title_records(sample: &[u8], hint: usize, delimiter: u8, quote: u8) -> usize {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quote(quote)
        .flexible(true)
        .has_headers(false)
        .from_reader(sample);
    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    // Titles are few: the rows past them and the two below the header are enough.
    while rows.len() < hint + crate::header::MAX_TITLE_ROWS * 2 + 2 {
        match reader.read_byte_record(&mut record) {
            Ok(true) => rows.push(
                record
                    .iter()
                    .map(|f| crate::header::title_cell(&String::from_utf8_lossy(f)))
                    .collect(),
            ),
            // A record cut by the end of the sample, or bytes the real parse will report.
            Ok(false) | Err(_) => break,
        }
    }
    rows.get(hint..).map_or(0, crate::header::title_rows)
}

/// The delimiter that splits the sample's records most consistently into more than one
/// field (the header's count); ties go to the earlier of `,` `;` tab `|`. A one-column file
/// gets `,`.
fn detect_delimiter(sample: &[u8], complete: bool, quote: u8) -> u8 {
    let mut best: Option<(f64, u8)> = None;
    for delimiter in DELIMITERS {
        let Some((header, share)) = scan(sample, delimiter, quote, complete).consistency() else {
            continue;
        };
        if header > 1 && best.is_none_or(|(s, _)| share > s) {
            best = Some((share, delimiter));
        }
    }
    best.map_or(b',', |(_, d)| d)
}

/// Whether `'` is clearly the quote: `"` never appears, at least two fields start with `'`,
/// every such field closes properly, and the records split at least as consistently as
/// without quotes. Apostrophes in text ("it's", "'90s") fail the second or third test.
fn detect_single_quote(sample: &[u8], complete: bool, delimiter: u8) -> bool {
    if sample.contains(&b'"') {
        return false;
    }
    let single = scan(sample, delimiter, b'\'', complete);
    if single.quoted < 2 || !single.well_formed {
        return false;
    }
    let plain = scan(sample, delimiter, b'"', complete);
    match (single.consistency(), plain.consistency()) {
        (Some((_, s)), Some((_, p))) => s >= p && s >= 0.9,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_sep_hint() {
        assert_eq!(sep_hint(b"sep=;\r\nid;text\r\n"), Some(b';'));
        assert_eq!(sep_hint(b"sep=\t\nid\ttext\n"), Some(b'\t'));
        assert_eq!(sep_hint(b"sep=|"), Some(b'|'));
        // Quotes, letters and longer values are no hint: the line is the header.
        for not in [&b"sep=\"\n"[..], b"sep='\n", b"sep=a\n", b"sep=;;\n", b"sep=\n", b"id,sep=;\n"]
        {
            assert_eq!(sep_hint(not), None, "{:?}", String::from_utf8_lossy(not));
        }
    }

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter(b"a,b\n1,2\n", true, b'"'), b',');
        assert_eq!(detect_delimiter(b"a;b\n1,5;2,5\n3;4\n", true, b'"'), b';');
        assert_eq!(detect_delimiter(b"a\tb\n\"x\ty\"\tz\n", true, b'"'), b'\t');
        assert_eq!(detect_delimiter(b"a|b|c\n1|2|3\n", true, b'"'), b'|');
        assert_eq!(detect_delimiter(b"text\nhello\n", true, b'"'), b',');
        assert_eq!(detect_delimiter(b"", true, b'"'), b',');
        // A quoted comma does not split; the semicolons do.
        assert_eq!(detect_delimiter(b"a;b\n\"1,2\";3\n\"4,5,6\";7\n", true, b'"'), b';');
        // Ties go to the comma.
        assert_eq!(detect_delimiter(b"a,b;c\n1,2;3\n", true, b'"'), b',');
        // A cut last record is left out.
        assert_eq!(detect_delimiter(b"a;b\n1;2\n3;4;5;6,7,8", false, b'"'), b';');
    }

    #[test]
    fn single_quote_detection_is_conservative() {
        assert!(detect_single_quote(b"a,b\n'x, y',1\n'z',2\n", true, b','));
        assert!(!detect_single_quote(b"a,b\n'x, y',1\n\"z\",2\n", true, b','));
        assert!(!detect_single_quote(b"a,b\nit's,1\n'90s music,2\n", true, b','));
        assert!(!detect_single_quote(b"a,b\n'tis',1\n'90s' music,2\n", true, b','));
    }

    #[test]
    fn quote_state_follows_the_parser() {
        let open = |s: &[u8]| {
            let mut q = QuoteState::new(b',', b'"');
            q.feed(s);
            q.is_open()
        };
        assert!(!open(b"a,\"b\"\"c\",d\n"));
        assert!(open(b"a,\"b\nc,d\n"));
        assert!(!open(b"a,b\"c,d\n")); // a quote inside a field is literal
        assert!(!open(b"\"a\""));
        assert!(open(b"\"a\"\""));
    }
}
