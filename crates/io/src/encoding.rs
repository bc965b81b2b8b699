//! Text encodings of CSV/TSV exports and transcripts: UTF-8 (with or without BOM), UTF-16
//! (with a BOM, or detected from its zero bytes), and Windows-1252, detected or chosen.
//!
//! Survey tools and Excel write all of these: "CSV UTF-8" (with a BOM), "Unicode text"
//! (UTF-16LE with a BOM, tab-separated) and plain "CSV" (the Windows ANSI code page,
//! Windows-1252 in western locales). Files are decoded as a stream into UTF-8 so that a
//! 400 MB export is never held in memory whole; the raw bytes are hashed as they pass.
//!
//! Detection ([`Encoding::Auto`]): a byte-order mark decides; without one, the first MiB is
//! sniffed: zero bytes in every other position mean UTF-16, valid UTF-8 means UTF-8, and
//! anything else is Windows-1252 (which maps every byte, so it cannot fail).

use std::borrow::Cow;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{IoError, Result};
use crate::hash::HashingReader;

/// The text encoding of an input file.
///
/// Parsed from (and serialized as) the names `--encoding` takes, in any case: `auto`,
/// `utf-8`, `utf-16` (the byte-order mark decides the byte order), `utf-16le`, `utf-16be`,
/// and `windows-1252` (also `cp1252`, `latin1`, `iso-8859-1`: as in browsers, Latin-1 labels
/// read as Windows-1252, which agrees with ISO-8859-1 on every printable character).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum Encoding {
    /// Detect: a BOM decides; otherwise, looking at the first MiB, UTF-16 if zero bytes
    /// fill at least half of every other position (and hardly any of the others), UTF-8 if
    /// it is valid UTF-8, else Windows-1252.
    #[default]
    Auto,
    /// UTF-8, with or without a BOM.
    Utf8,
    /// UTF-16 whose byte-order mark gives the byte order; a file without one is an error.
    Utf16,
    /// UTF-16 little-endian (a matching BOM is skipped).
    Utf16Le,
    /// UTF-16 big-endian (a matching BOM is skipped).
    Utf16Be,
    /// Windows-1252 (what Excel on Windows writes as "CSV"); ISO-8859-1 files read the same.
    Windows1252,
}

impl Encoding {
    /// The encoding's name in reports and errors: "UTF-8", "UTF-16LE", "UTF-16BE",
    /// "windows-1252"; "UTF-16" and "auto" for the two that are resolved when a file is
    /// opened.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Auto => "auto",
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16 => "UTF-16",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "windows-1252",
        }
    }

    /// The name `--encoding` takes for it (lower case), which [`FromStr`] reads back.
    pub fn option_name(self) -> &'static str {
        match self {
            Encoding::Auto => "auto",
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Encoding {
    type Err = IoError;

    /// Parses an encoding name in any case, with or without the hyphen (`utf8`, `UTF-8`).
    fn from_str(s: &str) -> Result<Encoding> {
        let name = s.trim().to_ascii_lowercase().replace('_', "-");
        Ok(match name.as_str() {
            "auto" => Encoding::Auto,
            "utf-8" | "utf8" => Encoding::Utf8,
            "utf-16" | "utf16" => Encoding::Utf16,
            "utf-16le" | "utf16le" | "utf-16-le" => Encoding::Utf16Le,
            "utf-16be" | "utf16be" | "utf-16-be" => Encoding::Utf16Be,
            "windows-1252" | "windows1252" | "cp1252" | "latin1" | "latin-1" | "iso-8859-1"
            | "iso8859-1" => Encoding::Windows1252,
            _ => {
                return Err(IoError::InvalidOption {
                    option: "encoding",
                    message: format!(
                        "unknown encoding {s:?}; expected auto, utf-8, utf-16, utf-16le, \
                         utf-16be or windows-1252 (also cp1252, latin1)"
                    ),
                });
            }
        })
    }
}

impl TryFrom<String> for Encoding {
    type Error = IoError;

    fn try_from(s: String) -> Result<Encoding> {
        s.parse()
    }
}

impl From<Encoding> for &'static str {
    fn from(e: Encoding) -> &'static str {
        e.option_name()
    }
}

// ---------------------------------------------------------------------------------------------
// Detection
// ---------------------------------------------------------------------------------------------

/// How much of a file [`Encoding::Auto`] looks at without a BOM. Enough for any header and
/// thousands of rows, small enough to hold in memory.
const SNIFF_BYTES: usize = 1 << 20;

/// Buffer size of the streaming decoder (input and output).
const CHUNK: usize = 64 << 10;

/// What the start of a file says: the encoding to read it with and the length of the BOM to
/// skip.
fn resolve(path: &Path, start: &[u8], whole: bool, chosen: Encoding) -> Result<(Encoding, usize)> {
    let bom = match start {
        [0xEF, 0xBB, 0xBF, ..] => Some((Encoding::Utf8, 3)),
        [0xFF, 0xFE, ..] => Some((Encoding::Utf16Le, 2)),
        [0xFE, 0xFF, ..] => Some((Encoding::Utf16Be, 2)),
        _ => None,
    };
    let utf16_bom = bom.filter(|(e, _)| matches!(e, Encoding::Utf16Le | Encoding::Utf16Be));
    match chosen {
        Encoding::Auto => Ok(bom.unwrap_or_else(|| (sniff(start, whole), 0))),
        Encoding::Utf8 => {
            Ok((Encoding::Utf8, if start.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 }))
        }
        Encoding::Utf16 => utf16_bom.ok_or_else(|| IoError::Decode {
            path: path.to_owned(),
            encoding: "UTF-16",
            byte_offset: 0,
            hint: "; the file has no byte-order mark, so its byte order is unknown: choose \
                   --encoding utf-16le or utf-16be"
                .to_owned(),
        }),
        Encoding::Utf16Le | Encoding::Utf16Be => match utf16_bom {
            Some((e, len)) if e == chosen => Ok((chosen, len)),
            // A BOM of the other byte order: reading on would garble every character.
            Some((e, _)) => Err(IoError::Decode {
                path: path.to_owned(),
                encoding: chosen.name(),
                byte_offset: 0,
                hint: format!(
                    "; the file starts with a {} byte-order mark: choose --encoding {} or auto",
                    e.name(),
                    e.option_name()
                ),
            }),
            None => Ok((chosen, 0)),
        },
        Encoding::Windows1252 => Ok((Encoding::Windows1252, 0)),
    }
}

/// Guesses the encoding of the start of a file that has no BOM; `whole` says whether it is
/// the whole file.
fn sniff(start: &[u8], whole: bool) -> Encoding {
    // UTF-16 first: UTF-16 of ASCII text is valid UTF-8 (full of NULs), but no real UTF-8 or
    // Windows-1252 text has a zero byte in every other position. Most of a CSV is ASCII
    // (delimiters, digits, line ends), so the zero high bytes dominate even in non-Latin
    // text; zeros in both positions would be binary, not UTF-16.
    let pairs = start.len() / 2;
    if pairs >= 2 {
        let (mut even, mut odd) = (0usize, 0usize);
        for pair in start.chunks_exact(2) {
            even += usize::from(pair[0] == 0);
            odd += usize::from(pair[1] == 0);
        }
        if odd * 2 >= pairs && even * 8 <= odd {
            return Encoding::Utf16Le;
        }
        if even * 2 >= pairs && odd * 8 <= even {
            return Encoding::Utf16Be;
        }
    }
    match std::str::from_utf8(start) {
        Ok(_) => Encoding::Utf8,
        // The sniff may end inside a character: that is still UTF-8. A whole file that ends
        // so is more likely Windows-1252 ending in an accented letter ("café").
        Err(e) if e.error_len().is_none() && !whole => Encoding::Utf8,
        Err(_) => Encoding::Windows1252,
    }
}

/// The `encoding_rs` codec of a resolved encoding other than UTF-8.
fn codec(encoding: Encoding) -> &'static encoding_rs::Encoding {
    match encoding {
        Encoding::Utf16Le => encoding_rs::UTF_16LE,
        Encoding::Utf16Be => encoding_rs::UTF_16BE,
        _ => encoding_rs::WINDOWS_1252,
    }
}

/// Advice for a UTF-16 decoding error.
fn utf16_hint(encoding: Encoding, at_end: bool, had_bom: bool) -> String {
    let what = if at_end {
        "the file ends in the middle of a UTF-16 character"
    } else {
        "an unpaired UTF-16 surrogate"
    };
    if had_bom {
        format!("; {what}: the file is damaged")
    } else {
        format!(
            "; {what}: the file may not be {}; choose --encoding utf-8 or windows-1252",
            encoding.name()
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Streaming decoder
// ---------------------------------------------------------------------------------------------

/// A decoding failure carried through [`std::io::Error`] (as its payload) out of the CSV
/// parser, which only knows I/O errors; [`io_error`] turns it back into [`IoError::Decode`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodeFault {
    /// The encoding being decoded ("UTF-16LE", ...).
    pub(crate) encoding: &'static str,
    /// Offset of the first bad byte in the raw file.
    pub(crate) byte_offset: u64,
    /// Advice, starting with "; ".
    pub(crate) hint: String,
}

impl std::fmt::Display for DecodeFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not valid {} at byte offset {}{}", self.encoding, self.byte_offset, self.hint)
    }
}

impl std::error::Error for DecodeFault {}

/// The [`IoError`] of an I/O error met while reading `path` through a [`DecodedReader`]:
/// [`IoError::Decode`] when it carries a [`DecodeFault`], else [`IoError::Io`].
pub(crate) fn io_error(path: &Path, e: std::io::Error) -> IoError {
    let fault = e.get_ref().and_then(|inner| inner.downcast_ref::<DecodeFault>()).cloned();
    match fault {
        Some(f) => IoError::Decode {
            path: path.to_owned(),
            encoding: f.encoding,
            byte_offset: f.byte_offset,
            hint: f.hint,
        },
        None => IoError::Io { path: path.to_owned(), source: e },
    }
}

/// How the bytes after the BOM become UTF-8.
enum Mode {
    /// UTF-8 is passed through as is: it is validated per CSV record, which can name the
    /// record, line and column of a bad byte.
    Passthrough,
    /// Other encodings go through an `encoding_rs` decoder.
    Transcode {
        decoder: encoding_rs::Decoder,
        /// Decoded bytes not yet handed out: `out[out_start..out_end]`.
        out: Vec<u8>,
        out_start: usize,
        out_end: usize,
        /// The decoder was told the input ended (and flushed).
        flushed: bool,
    },
}

/// Reads a file in any [`Encoding`] as UTF-8 bytes (without BOM), hashing the raw bytes as
/// they pass. Memory stays bounded: fixed buffers, never the whole file (the first MiB when
/// the encoding is detected).
pub(crate) struct DecodedReader<R = File> {
    raw: HashingReader<R>,
    /// Raw bytes read but not yet decoded (or passed through): `input[start..end]`.
    input: Vec<u8>,
    start: usize,
    end: usize,
    /// Offset in the raw file of `input[0]`.
    input_offset: u64,
    /// The raw input is exhausted.
    eof: bool,
    encoding: Encoding,
    bom: usize,
    mode: Mode,
    /// The first decoding failure, kept so that every later read repeats it.
    fault: Option<DecodeFault>,
}

impl<R> std::fmt::Debug for DecodedReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecodedReader")
            .field("encoding", &self.encoding)
            .field("bom", &self.bom)
            .field("input_offset", &self.input_offset)
            .field("eof", &self.eof)
            .finish_non_exhaustive()
    }
}

/// Opens `path` for reading as UTF-8 through [`DecodedReader`], resolving `encoding` from the
/// start of the file. Returns the reader and the encoding used (never `Auto` or `Utf16`).
///
/// # Errors
/// [`IoError::Io`] if the file cannot be opened or read; [`IoError::Decode`] for `Utf16`
/// without a BOM, or a UTF-16 encoding contradicted by the file's BOM.
pub(crate) fn open_decoded(path: &Path, encoding: Encoding) -> Result<(DecodedReader, Encoding)> {
    let file = File::open(path).map_err(|source| IoError::Io { path: path.to_owned(), source })?;
    let reader = DecodedReader::new(path, file, encoding)?;
    let resolved = reader.encoding();
    Ok((reader, resolved))
}

impl<R: Read> DecodedReader<R> {
    /// Wraps `inner`, reading as much of it as detection needs. `path` names it in errors.
    ///
    /// # Errors
    /// As [`open_decoded`].
    pub(crate) fn new(path: &Path, inner: R, encoding: Encoding) -> Result<Self> {
        let mut reader = DecodedReader {
            raw: HashingReader::new(inner),
            input: vec![0; if encoding == Encoding::Auto { SNIFF_BYTES } else { CHUNK }],
            start: 0,
            end: 0,
            input_offset: 0,
            eof: false,
            encoding,
            bom: 0,
            mode: Mode::Passthrough,
            fault: None,
        };
        let io_err = |source| IoError::Io { path: path.to_owned(), source };
        reader.fill().map_err(io_err)?;
        let (resolved, bom) = resolve(path, &reader.input[..reader.end], reader.eof, encoding)?;
        reader.encoding = resolved;
        reader.bom = bom;
        reader.start = bom;
        if resolved != Encoding::Utf8 {
            reader.mode = Mode::Transcode {
                decoder: codec(resolved).new_decoder_without_bom_handling(),
                out: vec![0; CHUNK],
                out_start: 0,
                out_end: 0,
                flushed: false,
            };
        }
        Ok(reader)
    }

    /// The encoding being read (resolved: never `Auto` or `Utf16`).
    pub(crate) fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Offset in the raw file of a byte of the decoded stream, exact when the file is UTF-8
    /// (passed through, after a BOM); for other encodings the decoded stream is always valid
    /// UTF-8, so no error ever needs the mapping.
    pub(crate) fn raw_offset(&self, decoded: u64) -> u64 {
        decoded + self.bom as u64
    }

    /// Reads the rest of the raw file (so the hash covers all of it) and returns its hex
    /// SHA-256 and size in bytes.
    pub(crate) fn finish(self) -> std::io::Result<(String, u64)> {
        self.raw.finish()
    }

    /// Reads raw bytes until `input` is full or the file ends; `input` must be drained.
    fn fill(&mut self) -> std::io::Result<()> {
        // After the sniff, refill in chunks: the big sniff buffer is only needed once.
        if self.end > 0 && self.input.len() > CHUNK {
            self.input.truncate(CHUNK);
            self.input.shrink_to_fit();
        }
        self.input_offset += self.end as u64;
        self.start = 0;
        self.end = 0;
        while self.end < self.input.len() {
            match self.raw.read(&mut self.input[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => self.end += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Decodes more input into the output buffer of `Transcode`; false at the end.
    fn transcode_more(&mut self) -> std::io::Result<bool> {
        loop {
            if self.start == self.end && !self.eof {
                self.fill()?;
            }
            let Mode::Transcode { decoder, out, out_start, out_end, flushed } = &mut self.mode
            else {
                return Ok(false);
            };
            if *flushed {
                return Ok(false);
            }
            let last = self.eof;
            let src = &self.input[self.start..self.end];
            let (result, read, written) =
                decoder.decode_to_utf8_without_replacement(src, out, last);
            self.start += read;
            *out_start = 0;
            *out_end = written;
            match result {
                encoding_rs::DecoderResult::InputEmpty => {
                    if last {
                        *flushed = true;
                    }
                }
                encoding_rs::DecoderResult::OutputFull => {}
                encoding_rs::DecoderResult::Malformed(bad, extra) => {
                    let consumed = self.input_offset + self.start as u64;
                    let byte_offset = consumed.saturating_sub(u64::from(bad) + u64::from(extra));
                    let at_end = last && self.start == self.end && extra == 0;
                    let hint = utf16_hint(self.encoding, at_end, self.bom > 0);
                    let fault = DecodeFault { encoding: self.encoding.name(), byte_offset, hint };
                    self.fault = Some(fault.clone());
                    return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, fault));
                }
            }
            if written > 0 {
                return Ok(true);
            }
            if last && *flushed {
                return Ok(false);
            }
        }
    }
}

impl<R: Read> Read for DecodedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(fault) = &self.fault {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, fault.clone()));
        }
        if buf.is_empty() {
            return Ok(0);
        }
        if matches!(self.mode, Mode::Passthrough) {
            if self.start < self.end {
                let n = buf.len().min(self.end - self.start);
                buf[..n].copy_from_slice(&self.input[self.start..self.start + n]);
                self.start += n;
                return Ok(n);
            }
            if self.eof {
                return Ok(0);
            }
            if !self.input.is_empty() {
                self.input = Vec::new(); // the sniff buffer is no longer needed
                (self.start, self.end) = (0, 0);
            }
            // Past the sniffed start, read straight into the caller's buffer: no copy.
            let n = self.raw.read(buf)?;
            if n == 0 {
                self.eof = true;
            }
            return Ok(n);
        }
        loop {
            if let Mode::Transcode { out, out_start, out_end, .. } = &mut self.mode
                && *out_start < *out_end
            {
                let n = buf.len().min(*out_end - *out_start);
                buf[..n].copy_from_slice(&out[*out_start..*out_start + n]);
                *out_start += n;
                return Ok(n);
            }
            if !self.transcode_more()? {
                return Ok(0);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Whole-buffer decoding
// ---------------------------------------------------------------------------------------------

/// Decodes a whole file held in memory (a transcript) to text, without its BOM, with the
/// same detection and errors as [`open_decoded`]. Returns the text and the encoding used.
///
/// # Errors
/// [`IoError::Decode`] naming the raw byte offset of the first bad byte: invalid UTF-8 (with
/// `Utf8` chosen or detected), malformed UTF-16, or `Utf16` without a BOM.
pub(crate) fn decode_bytes<'a>(
    path: &Path,
    bytes: &'a [u8],
    encoding: Encoding,
) -> Result<(Cow<'a, str>, Encoding)> {
    let sniffed = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let (resolved, bom) = resolve(path, sniffed, sniffed.len() == bytes.len(), encoding)?;
    let body = bytes.get(bom..).unwrap_or_default();
    if resolved == Encoding::Utf8 {
        return match std::str::from_utf8(body) {
            Ok(s) => Ok((Cow::Borrowed(s), resolved)),
            Err(e) => Err(IoError::Decode {
                path: path.to_owned(),
                encoding: "UTF-8",
                byte_offset: (bom + e.valid_up_to()) as u64,
                hint: utf8_hint(encoding),
            }),
        };
    }
    let mut decoder = codec(resolved).new_decoder_without_bom_handling();
    let capacity = decoder.max_utf8_buffer_length(body.len()).unwrap_or(body.len());
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(body, &mut text, true);
    match result {
        encoding_rs::DecoderResult::Malformed(bad, extra) => {
            let consumed = (bom + read) as u64;
            Err(IoError::Decode {
                path: path.to_owned(),
                encoding: resolved.name(),
                byte_offset: consumed.saturating_sub(u64::from(bad) + u64::from(extra)),
                hint: utf16_hint(resolved, read == body.len() && extra == 0, bom > 0),
            })
        }
        // The capacity was enough for the worst case, so the input was all decoded.
        encoding_rs::DecoderResult::InputEmpty | encoding_rs::DecoderResult::OutputFull => {
            Ok((Cow::Owned(text), resolved))
        }
    }
}

/// Advice for invalid UTF-8: re-save, or, when UTF-8 was only detected, name the other
/// encoding a Windows export is likely in.
pub(crate) fn utf8_hint(chosen: Encoding) -> String {
    if chosen == Encoding::Utf8 {
        "; re-save the file as UTF-8, or choose --encoding windows-1252 if it is a Windows \
         export"
            .to_owned()
    } else {
        "; the start of the file looked like UTF-8: re-save the file as UTF-8 or choose \
         --encoding windows-1252"
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_stream(bytes: &[u8], encoding: Encoding) -> std::io::Result<(String, Encoding)> {
        let mut r = DecodedReader::new(Path::new("t.csv"), bytes, encoding)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let mut out = Vec::new();
        // Small reads exercise the buffer boundaries.
        let mut buf = [0u8; 7];
        loop {
            let n = r.read(&mut buf)?;
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        let enc = r.encoding();
        Ok((String::from_utf8(out).map_err(std::io::Error::other)?, enc))
    }

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn utf16be(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    #[test]
    fn names_parse_in_any_case() {
        for (s, e) in [
            ("AUTO", Encoding::Auto),
            ("utf8", Encoding::Utf8),
            ("UTF-8", Encoding::Utf8),
            ("utf-16", Encoding::Utf16),
            ("UTF-16LE", Encoding::Utf16Le),
            ("utf16be", Encoding::Utf16Be),
            ("cp1252", Encoding::Windows1252),
            ("Latin1", Encoding::Windows1252),
            ("ISO-8859-1", Encoding::Windows1252),
            ("windows-1252", Encoding::Windows1252),
        ] {
            assert_eq!(s.parse::<Encoding>().unwrap(), e, "{s}");
            assert_eq!(e.option_name().parse::<Encoding>().unwrap(), e);
        }
        let e = "ebcdic".parse::<Encoding>().unwrap_err();
        assert!(matches!(e, IoError::InvalidOption { option: "encoding", .. }), "{e}");
        assert!(e.to_string().contains("\"ebcdic\""), "{e}");
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"a,b\n1,2\n", true), Encoding::Utf8);
        assert_eq!(sniff("caf\u{e9}".as_bytes(), true), Encoding::Utf8);
        // A character cut at the end of the sniff is still UTF-8 ...
        assert_eq!(sniff(&"caf\u{e9}".as_bytes()[..4], false), Encoding::Utf8);
        // ... but a whole file ending in a lone accented byte is Windows-1252.
        assert_eq!(sniff(b"caf\xe9", true), Encoding::Windows1252);
        assert_eq!(sniff(b"caf\xe9 au lait", false), Encoding::Windows1252);
        assert_eq!(sniff(&utf16le("id,text\n1,caf\u{e9}\n"), true), Encoding::Utf16Le);
        assert_eq!(sniff(&utf16be("id,text\n1,caf\u{e9}\n"), true), Encoding::Utf16Be);
        assert_eq!(sniff(&[0; 16], true), Encoding::Utf8);
        assert_eq!(sniff(b"", true), Encoding::Utf8);
    }

    #[test]
    fn streams_every_encoding() {
        let text = "id,text\n1,caf\u{e9} \u{2014} \u{a3}5 \u{1f600}\n";
        let mut bom16 = vec![0xFF, 0xFE];
        bom16.extend(utf16le(text));
        assert_eq!(
            decode_stream(&bom16, Encoding::Auto).unwrap(),
            (text.into(), Encoding::Utf16Le)
        );
        assert_eq!(decode_stream(&bom16, Encoding::Utf16).unwrap().0, text);
        assert_eq!(decode_stream(&bom16, Encoding::Utf16Le).unwrap().0, text);
        let mut be = vec![0xFE, 0xFF];
        be.extend(utf16be(text));
        assert_eq!(decode_stream(&be, Encoding::Auto).unwrap(), (text.into(), Encoding::Utf16Be));
        assert_eq!(decode_stream(&utf16be(text), Encoding::Auto).unwrap().0, text);
        let mut bom8 = b"\xEF\xBB\xBF".to_vec();
        bom8.extend(text.as_bytes());
        assert_eq!(decode_stream(&bom8, Encoding::Auto).unwrap(), (text.into(), Encoding::Utf8));
        assert_eq!(
            decode_stream(b"\x80 \x92 \xe9", Encoding::Auto).unwrap(),
            ("\u{20ac} \u{2019} \u{e9}".into(), Encoding::Windows1252)
        );
    }

    #[test]
    fn large_inputs_cross_buffer_boundaries() {
        // Surrogate pairs and multi-byte output straddle the 64 KiB chunks.
        let text: String = (0..40_000).map(|i| format!("{i},caf\u{e9}\u{1f600}\n")).collect();
        let raw = utf16le(&text);
        for enc in [Encoding::Auto, Encoding::Utf16Le] {
            assert_eq!(decode_stream(&raw, enc).unwrap().0, text);
        }
        let (decoded, _) = decode_bytes(Path::new("t"), &raw, Encoding::Utf16Le).unwrap();
        assert_eq!(decoded, text);
    }

    #[test]
    fn malformed_utf16_names_the_raw_offset() {
        let mut raw = vec![0xFF, 0xFE];
        raw.extend(utf16le("ab"));
        raw.extend([0x00, 0xD8]); // a lead surrogate ...
        raw.extend(utf16le("c")); // ... followed by no trail
        let e = decode_stream(&raw, Encoding::Auto).unwrap_err();
        let fault = e.get_ref().and_then(|i| i.downcast_ref::<DecodeFault>()).unwrap();
        assert_eq!((fault.encoding, fault.byte_offset), ("UTF-16LE", 6));
        let e = decode_bytes(Path::new("t"), &raw, Encoding::Auto).unwrap_err();
        assert!(matches!(e, IoError::Decode { byte_offset: 6, encoding: "UTF-16LE", .. }), "{e}");

        let mut odd = vec![0xFF, 0xFE];
        odd.extend(utf16le("abc"));
        odd.push(b'd');
        let e = decode_stream(&odd, Encoding::Auto).unwrap_err();
        let fault = e.get_ref().and_then(|i| i.downcast_ref::<DecodeFault>()).unwrap();
        assert_eq!(fault.byte_offset, 8);
        assert!(fault.hint.contains("ends in the middle"), "{}", fault.hint);
        let e = io_error(Path::new("t.csv"), e);
        assert!(e.to_string().starts_with("t.csv: not valid UTF-16LE at byte offset 8"), "{e}");
    }

    #[test]
    fn contradictions_and_missing_bom() {
        let e = decode_stream(b"a,b", Encoding::Utf16).unwrap_err();
        assert!(e.to_string().contains("no byte-order mark"), "{e}");
        let e = decode_bytes(Path::new("t"), b"\xFE\xFF\x00a", Encoding::Utf16Le).unwrap_err();
        assert!(e.to_string().contains("UTF-16BE byte-order mark"), "{e}");
        let (s, enc) = decode_bytes(Path::new("t"), b"\xFE\xFF\x00a", Encoding::Utf16).unwrap();
        assert_eq!((s.as_ref(), enc), ("a", Encoding::Utf16Be));
    }

    #[test]
    fn invalid_utf8_in_memory() {
        let e =
            decode_bytes(Path::new("t.txt"), b"\xEF\xBB\xBFok\n\xff", Encoding::Utf8).unwrap_err();
        assert!(matches!(e, IoError::Decode { byte_offset: 6, encoding: "UTF-8", .. }), "{e}");
        let (s, enc) = decode_bytes(Path::new("t"), b"caf\xe9", Encoding::Auto).unwrap();
        assert_eq!((s.as_ref(), enc), ("caf\u{e9}", Encoding::Windows1252));
    }

    #[test]
    fn serde_uses_the_option_names() {
        #[derive(Serialize, Deserialize)]
        struct T {
            e: Encoding,
        }
        let t: T = toml::from_str("e = \"CP1252\"").unwrap();
        assert_eq!(t.e, Encoding::Windows1252);
        assert_eq!(<&str>::from(Encoding::Utf16Le), "utf-16le");
        assert!(toml::from_str::<T>("e = \"klingon\"").is_err());
    }
}
