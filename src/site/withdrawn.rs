//! The record of withdrawn publications: `OUT/.folio/withdrawn.json`, so that the feed keeps
//! saying a publication was withdrawn in every later build, not only in the build that took
//! its files down (that build removes its entry, the only other trace of it).
//!
//! The record lives in the output folder because it is a fact about what that folder
//! published (another `--out` has its own catalogue and its own withdrawals), and not in the
//! project's build cache, which may be deleted at any time without losing anything. It sits
//! in the hidden `.folio/` folder, which is never served and never read as a publication.
//! A publication listed in the catalogue again (its source restored) leaves the record.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::entry::CatalogueEntry;
use crate::diag::{display_path, Location, Problem};

/// The record, from the output folder.
pub const WITHDRAWN_FILE: &str = ".folio/withdrawn.json";
/// The version of its format.
const SCHEMA: u32 = 1;
/// The largest record read: a notice is a few hundred bytes.
const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// The record's contents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Record {
    schema: u32,
    publications: Vec<Notice>,
}

/// One withdrawn publication, as its last entry described it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Notice {
    pub id: String,
    pub folder: String,
    pub title: String,
    pub language: String,
    pub product_code: String,
    /// The last version published.
    pub version: String,
    /// When it was withdrawn: the build's stamp (`SOURCE_DATE_EPOCH`, else the build's day
    /// at midnight UTC), RFC 3339.
    pub withdrawn: String,
}

impl Notice {
    /// The notice of `entry`'s publication, withdrawn at `stamp`.
    pub fn new(entry: &CatalogueEntry, stamp: DateTime<Utc>) -> Notice {
        Notice {
            id: entry.id.clone(),
            folder: entry.folder.clone(),
            title: entry.title.clone(),
            language: entry.language.clone(),
            product_code: entry.product_code.clone(),
            version: entry.version.clone(),
            withdrawn: atom_time(stamp),
        }
    }

    /// When it was withdrawn, if the record says so legibly.
    pub fn when(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.withdrawn)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }
}

/// The build's stamp: `SOURCE_DATE_EPOCH` when set, else midnight UTC of `today`.
pub fn stamp(source_date_epoch: Option<i64>, today: NaiveDate) -> DateTime<Utc> {
    source_date_epoch
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .unwrap_or_else(|| today.and_time(chrono::NaiveTime::MIN).and_utc())
}

/// A time as Atom and the record write it: `2026-12-02T09:30:00Z`.
pub fn atom_time(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The record's path below `out`.
pub fn path(out: &Path) -> PathBuf {
    out.join(WITHDRAWN_FILE)
}

/// The notices recorded under `out` (none when there is no record). A record that is not a
/// file, too large, or not as folio writes it is a problem located in it: the caller then
/// leaves it as it is, for a person to look at, rather than replace what it remembers.
pub fn read(out: &Path) -> Result<Vec<Notice>, Problem> {
    let file = path(out);
    let wrong = |why: String| {
        Problem::error(format!("cannot read the record of withdrawn publications: {why}"))
            .at(Location::file(&file))
            .hint("restore it from a backup of the output folder, or delete it (the feed then stops listing earlier withdrawals)")
    };
    let meta = match std::fs::symlink_metadata(&file) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(wrong(e.to_string())),
    };
    // Never opened unless a file of a sane size: a FIFO would block, a link lead elsewhere.
    if !meta.is_file() || meta.len() > MAX_BYTES {
        return Err(wrong(
            "it is not a file of a sane size (a link, a FIFO?)".into(),
        ));
    }
    let bytes = std::fs::read(&file).map_err(|e| wrong(e.to_string()))?;
    let record: Record = serde_json::from_slice(&bytes).map_err(|e| wrong(e.to_string()))?;
    if record.schema != SCHEMA {
        return Err(wrong(format!(
            "it has format {} and this folio writes {SCHEMA}",
            record.schema
        )));
    }
    Ok(record.publications)
}

/// The record's bytes for `notices`: pretty JSON with a final newline.
pub fn bytes(notices: &[Notice]) -> Vec<u8> {
    let record = Record {
        schema: SCHEMA,
        publications: notices.to_vec(),
    };
    let mut bytes = serde_json::to_vec_pretty(&record).expect("the record always serializes");
    bytes.push(b'\n');
    bytes
}

/// Writes the record under `out` at once (through a temporary file and a rename, never
/// through a link below `out`).
pub fn write(out: &Path, notices: &[Notice]) -> Result<(), Problem> {
    let file = path(out);
    let mut batch = crate::export::atomic::Batch::within(out);
    batch
        .stage(&file, &bytes(notices))
        .map_err(|e| (file.clone(), e))
        .and_then(|()| batch.commit())
        .map_err(|(path, e)| {
            Problem::error(format!("cannot write {}: {e}", display_path(&path)))
                .at(Location::file(&path))
                .hint("check that the output folder is writable and has room; nothing was withdrawn and the last catalogue was kept")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stamp_is_source_date_epoch_else_the_day() {
        let day: NaiveDate = "2026-12-02".parse().unwrap();
        assert_eq!(atom_time(stamp(None, day)), "2026-12-02T00:00:00Z");
        assert_eq!(
            atom_time(stamp(Some(1_790_000_000), day)),
            "2026-09-21T14:13:20Z"
        );
    }
}
