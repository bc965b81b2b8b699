use std::path::Path;

use serde::{Deserialize, Serialize};
use thematic_core::Response;

use crate::dedupe::Dedupe;
use crate::encoding::Encoding;
use crate::error::Result;
use crate::ingest::{ColumnMap, IngestOptions, ingest};
use crate::source::{Format, ReadOptions};

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
    /// Field delimiter. Default tab for `.tsv` / `.tab` files, else detected.
    pub delimiter: Option<u8>,
    /// Text encoding. Default [`Encoding::Auto`].
    #[serde(default)]
    pub encoding: Encoding,
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

/// Reads a long-format table (one response per record) exactly as it is: every record
/// becomes one [`Response`], in file order, including records with an empty text — no
/// screening, no duplicate or campaign detection ([`ingest`] does those). Any format
/// [`Format::from_path`] knows as a table is read; other extensions are read as CSV.
///
/// # Errors
/// The file cannot be read; it is empty; a column asked for is missing, or the default text
/// column `text` is; the header repeats a used column name; a record is not valid in the
/// encoding or has another number of fields than the header; or the file is otherwise
/// malformed. Each error names the file and, where it applies, the record, line and column.
pub fn read_csv(
    path: impl AsRef<Path>,
    options: &CsvOptions,
) -> Result<(Vec<Response>, ReadReport)> {
    let path = path.as_ref();
    let format = match Format::from_path(path) {
        Ok(f) if !f.is_transcript() => f,
        _ => Format::Csv,
    };
    let keep_all =
        Dedupe::params().non_answers(false).min_chars(0).exact_duplicates(false).campaigns(false);
    let ingest_options = IngestOptions {
        read: ReadOptions {
            format: Some(format),
            encoding: options.encoding,
            delimiter: options.delimiter,
            strict: true,
            ..ReadOptions::default()
        },
        columns: ColumnMap {
            text: options.text_column.clone(),
            id: options.id_column.clone(),
            respondent: options.respondent_column.clone(),
            group: options.group_column.iter().cloned().collect(),
            question: options.question_column.clone(),
            channel: options.channel_column.clone(),
            default_channel: options.default_channel.clone(),
            attributes: Vec::new(),
        },
        screen: false,
        dedupe: keep_all,
        ..IngestOptions::default()
    };
    let (responses, mut report) = ingest(&[path], &ingest_options)?;
    let input = report.inputs.swap_remove(0);
    let report = ReadReport {
        file: input.file,
        sha256: input.sha256,
        bytes: input.bytes,
        records: input.rows,
        columns: input.columns,
        mapping: input.mapping,
    };
    Ok((responses, report))
}
