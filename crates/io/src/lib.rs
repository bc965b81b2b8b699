/*!
Ingest and export of consultation responses for thematic.

[`read_csv`] reads a long-format survey export (one response per row) into
[`Response`](thematic_core::Response)s, mapping the id, respondent, group, question and
text columns by name, and accounts for every record: each becomes a response, and the
[`ReadReport`] records the file's SHA-256 and the number of records read. Malformed input
gives an [`IoError`] naming the file, the record (1-based, header not counted), its line and
the column.

```no_run
use thematic_io::{read_csv, CsvOptions};
let (responses, report) = read_csv("data/consultation.csv", &CsvOptions::default())?;
println!("{} responses from {} ({})", responses.len(), report.file, report.sha256);
# Ok::<(), thematic_io::IoError>(())
```
*/
#![deny(missing_docs)]

mod columnar;
mod csv_source;
pub mod dedupe;
pub mod encoding;
mod error;
pub mod export;
mod hash;
mod header;
pub mod ingest;
mod read;
mod sheet;
pub mod source;
pub mod transcript;
mod write;

pub use dedupe::{Dedupe, DedupeParams};
pub use encoding::Encoding;
pub use error::{IoError, Result};
pub use export::{
    Cell, ExportOptions, Table, write_table_csv, write_table_parquet, write_tables_xlsx,
};
pub use ingest::{
    CampaignReport, ColumnMap, DropReason, DroppedRow, IngestOptions, IngestReport, InputReport,
    expand_inputs, ingest,
};
pub use read::{CsvOptions, ReadReport, read_csv};
pub use source::{Format, RawTable, ReadOptions, RowLocation, SourceSummary, read_table};
pub use transcript::{
    DroppedTurn, RespondentScope, SpeakerEntry, SpeakerGroups, SpeakerRole, SpeakerSummary,
    TranscriptError, TranscriptFormat, TranscriptOptions, TranscriptReport, TranscriptWarning,
    read_transcript, read_transcript_bytes,
};
pub use write::{CsvTable, write_csv, write_csv_with};
