//! `folio approve PUBLICATION [LANG] --by "Name, role"`: record that the text as it is now
//! was approved (see [`crate::content::approval`] for the record and the kept copies).
//!
//! The same text approved again is a no-op; different text is refused unless its `version`
//! was raised since the last approval, so that each version names exactly one text.

use std::io::Write;
use std::path::PathBuf;

use crate::cli::ApproveArgs;
use crate::confine::{self, Root};
use crate::content::approval::{self, copy_path, entry_text, header, version_after};
use crate::diag::{Location, Problem};
use crate::pipeline::Session;

/// What `approve` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approved {
    /// A new entry was appended and the text kept.
    Recorded {
        record: PathBuf,
        copy: PathBuf,
        version: String,
    },
    /// The text is the one approved last: nothing was written.
    Already {
        version: String,
        date: chrono::NaiveDate,
    },
}

/// Approves `args.publication` (or its translation `args.language`).
pub fn approve(session: &Session, args: &ApproveArgs) -> Result<Approved, Problem> {
    let key = match &args.language {
        Some(lang) => format!("{}.{lang}", args.publication),
        None => args.publication.clone(),
    };
    let publication = session.load(&crate::project::PublicationKey::parse(&key))?;
    let by: Vec<String> = args.by.iter().map(|b| b.trim().to_string()).collect();
    if let Some(bad) = by.iter().find(|b| !b.contains(',') || b.starts_with(',')) {
        return Err(Problem::error(format!(
            "`--by \"{bad}\"` does not say who and in what role"
        ))
        .hint(
            "write it as \"Name, role\", e.g. --by \"Dr Anne Parker, Consultant Haematologist\"",
        ));
    }
    let status = approval::status(&session.root, &publication, &session.project.names())?;
    let version = publication.meta.version.clone();
    if let Some(last) = status.record.last() {
        if last.sha256 == status.sha256 {
            return Ok(Approved::Already {
                version: last.version.clone(),
                date: last.date,
            });
        }
        if !version_after(&version, &last.version) {
            return Err(Problem::error(format!(
                "the text differs from version {} approved on {}, but its `version` is {version}",
                last.version, last.date
            ))
            .at(publication.meta.key_location(&publication.file, "version"))
            .hint(format!(
                "raise `version` (it must come after {}) so that each version names one text, then approve again",
                last.version
            )));
        }
    }
    if !approval::version_is_file_safe(&version) {
        return Err(Problem::error(format!(
            "version `{version}` cannot name the approved copy's file"
        ))
        .at(publication.meta.key_location(&publication.file, "version"))
        .hint("use letters, digits, dots and hyphens, e.g. \"2.1\""));
    }
    let (_, lang) = approval::keys(&publication);
    let folder = status.record.folder.clone();
    let root = Root::new(&session.root).map_err(|e| {
        Problem::error(format!("cannot open the project folder: {e}"))
            .at(Location::file(&session.root))
    })?;
    let bytes = root
        .read(&publication.file, confine::MAX_TEXT_BYTES)
        .map_err(|e| e.problem(&session.root))?;
    // The copy first, then the entry: an entry never points at a copy that is not there.
    let copy = copy_path(&folder, &version, lang);
    let cannot = |path: &PathBuf, e: std::io::Error| {
        Problem::error(format!("cannot write {}: {e}", path.display()))
            .at(Location::file(path))
            .hint("check that the content folder is writable")
    };
    crate::export::atomic::write(&copy, &bytes).map_err(|e| cannot(&copy, e))?;
    let record = status.record.file.clone();
    let mut text = String::new();
    if status.record.entries.is_empty() && !record.exists() {
        text.push_str(&header(&publication.id));
    }
    text.push_str(&entry_text(&version, session.today, &by, &status.sha256));
    // Appended, never rewritten: earlier entries stay exactly as they were.
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&record)
        .and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.sync_all()
        })
        .map_err(|e| cannot(&record, e))?;
    Ok(Approved::Recorded {
        record,
        copy,
        version,
    })
}
