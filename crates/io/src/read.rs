use std::fs::File;
use std::path::Path;

use serde::{Deserialize, Serialize};
use thematic_core::{Provenance, Response};

use crate::error::{IoError, Result};
use crate::hash::HashingReader;

/// How to read a CSV export. Column names match exactly, or else ignoring case and
/// surrounding spaces; names may contain spaces.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvOptions {
    /// The free-text column. Default `text`; required.
    pub text_column: Option<String>,
    /// The response id column. Default `id` when present; otherwise ids are the 1-based
    /// record numbers.
    pub id_column: Option<String>,
    /// The respondent column. Default `respondent_id` or `respondent` when present.
    pub respondent_column: Option<String>,
    /// The stakeholder group column. Default `group` when present.
    pub group_column: Option<String>,
    /// The question column. Default `question` when present.
    pub question_column: Option<String>,
    /// The channel column. Default `channel` when present.
    pub channel_column: Option<String>,
    /// Channel of responses without a channel column (e.g. "survey").
    pub default_channel: Option<String>,
    /// Field delimiter. Default tab for `.tsv` / `.tab` files, comma otherwise.
    pub delimiter: Option<u8>,
}

/// What reading one file found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadReport {
    /// The file, as given.
    pub file: String,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// Data records read (header not counted); each became one response.
    pub records: u64,
    /// The header's column names.
    pub columns: Vec<String>,
    /// The columns used, by role: ("text", "answer"), ("id", "Response ID"), ...
    pub mapping: Vec<(String, String)>,
}

fn find_column(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|h| h == name).or_else(|| {
        let want = name.trim().to_lowercase();
        header.iter().position(|h| h.trim().to_lowercase() == want)
    })
}

/// Resolves a column: the one asked for (an error if absent) or the first default present.
fn resolve(
    path: &Path,
    header: &[String],
    asked: Option<&str>,
    defaults: &[&str],
    role: &'static str,
    required: bool,
) -> Result<Option<usize>> {
    if let Some(name) = asked {
        return find_column(header, name)
            .map(Some)
            .ok_or_else(|| missing(path, header, name, role));
    }
    let found = defaults.iter().find_map(|d| find_column(header, d));
    if found.is_none() && required {
        return Err(missing(path, header, defaults[0], role));
    }
    Ok(found)
}

fn missing(path: &Path, header: &[String], name: &str, role: &'static str) -> IoError {
    IoError::MissingColumn {
        path: path.to_owned(),
        column: name.to_owned(),
        role,
        available: header.iter().map(|h| format!("{h:?}")).collect::<Vec<_>>().join(", "),
    }
}

fn csv_error(path: &Path, e: &csv::Error, record: u64) -> IoError {
    if let csv::ErrorKind::Io(io) = e.kind() {
        return IoError::Io {
            path: path.to_owned(),
            source: std::io::Error::new(io.kind(), io.to_string()),
        };
    }
    let line = e.position().map_or(0, csv::Position::line);
    IoError::Csv { path: path.to_owned(), record, line, message: e.to_string() }
}

/// Reads a long-format CSV (or TSV) export: one response per record.
///
/// Every record becomes exactly one [`Response`], in file order, including records with an
/// empty text: dropping is the caller's documented decision, never the reader's.
///
/// # Errors
/// The file cannot be read; it is empty; a column asked for is missing, or the default text
/// column `text` is; the header repeats a used column name; a record is not valid UTF-8 or has
/// another number of fields than the header; or the CSV is otherwise malformed. Each error
/// names the file and, where it applies, the record, line and column.
pub fn read_csv(
    path: impl AsRef<Path>,
    options: &CsvOptions,
) -> Result<(Vec<Response>, ReadReport)> {
    let path = path.as_ref();
    let io_err = |source| IoError::Io { path: path.to_owned(), source };
    let file = File::open(path).map_err(io_err)?;
    let delimiter = options.delimiter.unwrap_or_else(|| {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("tsv" | "tab") => b'\t',
            _ => b',',
        }
    });
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(HashingReader::new(file));

    let mut record = csv::ByteRecord::new();
    let has_header = reader.read_byte_record(&mut record).map_err(|e| csv_error(path, &e, 0))?;
    if !has_header {
        return Err(IoError::Empty { path: path.to_owned() });
    }
    let header: Vec<String> = record
        .iter()
        .enumerate()
        .map(|(i, f)| {
            std::str::from_utf8(f).map(|s| s.trim_start_matches('\u{feff}').to_owned()).map_err(
                |e| IoError::Encoding {
                    path: path.to_owned(),
                    record: 0,
                    line: 1,
                    column: format!("#{}", i + 1),
                    byte_offset: e.valid_up_to() as u64,
                },
            )
        })
        .collect::<Result<_>>()?;

    let text = resolve(path, &header, options.text_column.as_deref(), &["text"], "text", true)?
        .expect("required column resolved");
    let id = resolve(path, &header, options.id_column.as_deref(), &["id"], "id", false)?;
    let respondent = resolve(
        path,
        &header,
        options.respondent_column.as_deref(),
        &["respondent_id", "respondent"],
        "respondent",
        false,
    )?;
    let group =
        resolve(path, &header, options.group_column.as_deref(), &["group"], "group", false)?;
    let question = resolve(
        path,
        &header,
        options.question_column.as_deref(),
        &["question"],
        "question",
        false,
    )?;
    let channel =
        resolve(path, &header, options.channel_column.as_deref(), &["channel"], "channel", false)?;
    let roles = [
        ("text", Some(text)),
        ("id", id),
        ("respondent", respondent),
        ("group", group),
        ("question", question),
        ("channel", channel),
    ];
    for (i, (_, a)) in roles.iter().enumerate() {
        for (_, b) in &roles[i + 1..] {
            if a.is_some() && a == b {
                return Err(IoError::DuplicateColumn {
                    path: path.to_owned(),
                    column: header[a.unwrap_or_default()].clone(),
                });
            }
        }
    }
    for (i, h) in header.iter().enumerate() {
        if roles.iter().any(|(_, c)| *c == Some(i)) && header[..i].contains(h) {
            return Err(IoError::DuplicateColumn { path: path.to_owned(), column: h.clone() });
        }
    }
    let mapping = roles
        .iter()
        .filter_map(|(role, c)| c.map(|c| (role.to_string(), header[c].clone())))
        .collect();

    let file_name = path.display().to_string();
    let mut responses = Vec::new();
    let mut n: u64 = 0;
    let mut last_start = 0;
    loop {
        let more = reader.read_byte_record(&mut record).map_err(|e| csv_error(path, &e, n + 1))?;
        if !more {
            break;
        }
        n += 1;
        let pos = record.position().cloned().unwrap_or_else(csv::Position::new);
        last_start = pos.byte();
        if record.len() != header.len() {
            return Err(IoError::Ragged {
                path: path.to_owned(),
                record: n,
                line: pos.line(),
                found: record.len(),
                expected: header.len(),
            });
        }
        // Check every field, not only the mapped ones: a file with bad bytes anywhere is
        // probably not UTF-8 at all, and saying so early beats garbled groups later.
        if let Some(c) = (0..record.len()).find(|&c| std::str::from_utf8(&record[c]).is_err()) {
            return Err(IoError::Encoding {
                path: path.to_owned(),
                record: n,
                line: pos.line(),
                column: header[c].clone(),
                byte_offset: crate::csv_source::first_invalid_byte(path, pos.byte()),
            });
        }
        let field = |c: usize| -> &str {
            // Checked above.
            std::str::from_utf8(&record[c]).unwrap_or_default()
        };
        let opt = |c: Option<usize>| -> Option<String> {
            match c {
                Some(c) => Some(field(c).trim()).filter(|s| !s.is_empty()).map(str::to_owned),
                None => None,
            }
        };
        let id = opt(id).unwrap_or_else(|| n.to_string());
        responses.push(Response {
            id,
            respondent: opt(respondent),
            group: opt(group),
            question: opt(question),
            channel: opt(channel).or_else(|| options.default_channel.clone()),
            text: field(text).to_owned(),
            provenance: Some(Provenance { file: file_name.clone(), record: n }),
            attributes: Vec::new(),
        });
    }
    let (sha256, bytes) = reader.into_inner().finish().map_err(io_err)?;
    if n > 0
        && crate::csv_source::ends_inside_quotes(path, last_start, delimiter).map_err(io_err)?
    {
        return Err(IoError::UnclosedQuote { path: path.to_owned(), record: n });
    }
    let report =
        ReadReport { file: file_name, sha256, bytes, records: n, columns: header, mapping };
    Ok((responses, report))
}
