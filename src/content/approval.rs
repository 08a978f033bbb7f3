//! Approvals on record: who approved which exact text of a publication, and when.
//!
//! `folio approve` appends one entry per approval to `content/<id>/<id>.approvals.yaml`
//! (`<id>.<lang>.approvals.yaml` for a translation): the publication's `version`, the date,
//! who approved it and the SHA-256 of the Markdown file's bytes. It keeps the approved file
//! itself as `content/<id>/approved/<version>.md` (`<version>.<lang>.md`), so that what
//! changed since can be shown without a version-control system. The record is plain YAML a
//! person can read; folio only ever appends to it.
//!
//! Reading the record checks what a hand edit could break: versions in rising order, dates
//! not going back, and every entry's hash matching its kept copy. Each such problem names the
//! file and the line of the entry.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use super::visibility::Node;
use super::Meta;
use crate::confine::{self, ConfineError, Root};
use crate::diag::{Location, Problem};

/// The folder of approved copies, inside a publication's folder.
pub const APPROVED_DIR: &str = "approved";

/// One approval, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// The publication's `version` when it was approved.
    pub version: String,
    pub date: NaiveDate,
    /// Who approved it: "Name, role", one or more.
    pub by: Vec<String>,
    /// SHA-256 of the Markdown file's bytes, 64 hex digits.
    pub sha256: String,
    /// The line of the entry (its `- version:` line) in the record.
    pub line: usize,
}

/// An entry as written in the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ApprovalLine {
    version: String,
    /// `YYYY-MM-DD` (read as text: chrono's serde support is not built in).
    date: String,
    by: Vec<String>,
    sha256: String,
}

/// The approvals of one publication (a source or a translation), oldest first.
#[derive(Debug, Clone, Default)]
pub struct Approvals {
    /// The record's file.
    pub file: PathBuf,
    /// The publication's folder.
    pub folder: PathBuf,
    /// The translation's language, for a translation.
    pub lang: Option<String>,
    pub entries: Vec<Approval>,
}

/// The record file of publication `id` (its translation `lang`) in `folder`.
pub fn record_path(folder: &Path, id: &str, lang: Option<&str>) -> PathBuf {
    match lang {
        Some(lang) => folder.join(format!("{id}.{lang}.approvals.yaml")),
        None => folder.join(format!("{id}.approvals.yaml")),
    }
}

/// Where the approved copy of `version` is kept.
pub fn copy_path(folder: &Path, version: &str, lang: Option<&str>) -> PathBuf {
    let dir = folder.join(APPROVED_DIR);
    match lang {
        Some(lang) => dir.join(format!("{version}.{lang}.md")),
        None => dir.join(format!("{version}.md")),
    }
}

/// The SHA-256 of `bytes`, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::digest::hex(&crate::digest::sha256(bytes))
}

/// Whether version `a` comes after version `b`: dotted parts compared as numbers where
/// both are numbers (`1.10` after `1.9`), as text otherwise.
pub fn version_after(a: &str, b: &str) -> bool {
    let parts = |v: &str| -> Vec<String> { v.split('.').map(str::to_string).collect() };
    let (a, b) = (parts(a), parts(b));
    for (x, y) in a.iter().zip(&b) {
        let order = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            _ => x.cmp(y),
        };
        if order.is_ne() {
            return order.is_gt();
        }
    }
    a.len() > b.len()
}

/// Whether a version can name a file (`approved/<version>.md`): letters, digits, dots,
/// hyphens and underscores, not starting with a dot.
pub fn version_is_file_safe(version: &str) -> bool {
    !version.is_empty()
        && !version.starts_with('.')
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

impl Approvals {
    /// Reads and checks the record of publication `id` (translation `lang`) in `folder`,
    /// under the confinement rule. An empty record when there is no file.
    pub fn read(
        root: &Path,
        folder: &Path,
        id: &str,
        lang: Option<&str>,
    ) -> Result<Approvals, Problem> {
        let file = record_path(folder, id, lang);
        let mut record = Approvals {
            file: file.clone(),
            folder: folder.to_path_buf(),
            lang: lang.map(str::to_string),
            entries: Vec::new(),
        };
        let confined = confined(root)?;
        let bytes = match confined.read(&file, confine::MAX_TEXT_BYTES) {
            Ok(bytes) => bytes,
            Err(ConfineError::NotFound { .. }) => return Ok(record),
            Err(e) => return Err(e.problem(root)),
        };
        let text = String::from_utf8(bytes).map_err(|_| {
            Problem::error("the approvals file is not UTF-8 text").at(Location::file(&file))
        })?;
        let entries: Option<Vec<ApprovalLine>> = serde_yaml::from_str(&text).map_err(|e| {
            let line = e.location().map_or(1, |l| l.line());
            Problem::error(format!("the approvals file cannot be read: {e}"))
                .at(Location::at(&file, line, 1))
                .hint("each entry has `version`, `date`, `by` and `sha256`, as `folio approve` writes them")
        })?;
        let lines = entry_lines(&text);
        for (k, entry) in entries.unwrap_or_default().into_iter().enumerate() {
            let line = lines.get(k).copied().unwrap_or(1);
            let date = NaiveDate::parse_from_str(entry.date.trim(), "%Y-%m-%d").map_err(|_| {
                Problem::error(format!("`{}` is not a date (YYYY-MM-DD)", entry.date))
                    .at(Location::at(&file, line, 1))
                    .hint("entries are written by `folio approve`; restore the file from your records")
            })?;
            record.entries.push(Approval {
                version: entry.version,
                date,
                by: entry.by,
                sha256: entry.sha256.to_ascii_lowercase(),
                line,
            });
        }
        record.check_order()?;
        for entry in &record.entries {
            record.check_copy(&confined, root, entry, &text)?;
        }
        Ok(record)
    }

    /// The last approval, if any.
    pub fn last(&self) -> Option<&Approval> {
        self.entries.last()
    }

    /// The approval of `version`, if there is one.
    pub fn of_version(&self, version: &str) -> Option<&Approval> {
        self.entries.iter().rev().find(|a| a.version == version)
    }

    /// The approved copy of `approval`.
    pub fn copy(&self, approval: &Approval) -> PathBuf {
        copy_path(&self.folder, &approval.version, self.lang.as_deref())
    }

    /// Versions rise from entry to entry and dates never go back: otherwise the file was
    /// edited by hand, and "the last approval" would mean nothing.
    fn check_order(&self) -> Result<(), Problem> {
        for pair in self.entries.windows(2) {
            let (before, after) = (&pair[0], &pair[1]);
            let at = Location::at(&self.file, after.line, 1);
            if !version_after(&after.version, &before.version) {
                return Err(Problem::error(format!(
                    "the approvals are out of order: version {} comes after version {} (line {})",
                    after.version, before.version, before.line
                ))
                .at(at)
                .hint("entries are appended by `folio approve`, oldest first; restore the file from your records"));
            }
            if after.date < before.date {
                return Err(Problem::error(format!(
                    "the approvals are out of order: {} is earlier than the date of the entry before it ({})",
                    after.date, before.date
                ))
                .at(at)
                .hint("entries are appended by `folio approve`, oldest first; restore the file from your records"));
            }
        }
        Ok(())
    }

    /// The kept copy of `entry` exists and has the recorded hash.
    fn check_copy(
        &self,
        confined: &Root,
        root: &Path,
        entry: &Approval,
        text: &str,
    ) -> Result<(), Problem> {
        let copy = self.copy(entry);
        let line = sha_line(text, entry.line);
        let at = Location::at(&self.file, line, 1);
        let bytes = confined.read(&copy, confine::MAX_TEXT_BYTES).map_err(|e| match e {
            ConfineError::NotFound { .. } => Problem::error(format!(
                "the approved copy of version {} is missing ({})",
                entry.version,
                confined.shown(&copy).display()
            ))
            .at(at.clone())
            .hint("restore the copy `folio approve` kept; without it, changes since cannot be shown"),
            other => other.problem(root),
        })?;
        let actual = sha256_hex(&bytes);
        if actual != entry.sha256 {
            return Err(Problem::error(format!(
                "the approved copy of version {} does not match its recorded hash: {} has SHA-256 {}",
                entry.version,
                confined.shown(&copy).display(),
                actual
            ))
            .at(at)
            .hint("the copy or the record was changed by hand; restore both from your records"));
        }
        Ok(())
    }
}

/// A publication's text against its approvals: what the checks and `folio review` need.
#[derive(Debug, Clone)]
pub struct ApprovalStatus {
    pub record: Approvals,
    /// The SHA-256 of the Markdown file as it is now.
    pub sha256: String,
    /// The body of the last approved copy, when the text differs from it.
    pub approved_body: Option<Vec<Node>>,
}

impl ApprovalStatus {
    /// Whether the text as it is now is the last approved text.
    pub fn approved(&self) -> bool {
        self.record.last().is_some_and(|a| a.sha256 == self.sha256)
    }
}

/// Reads the approvals of `publication` (its record, checked) and, when the text differs
/// from the last approved copy, parses that copy.
pub fn status(
    root: &Path,
    publication: &super::Publication,
    names: &std::collections::BTreeSet<String>,
) -> Result<ApprovalStatus, Problem> {
    let (id, lang) = keys(publication);
    let folder = publication
        .file
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let record = Approvals::read(root, &folder, id, lang)?;
    let bytes = confined(root)?
        .read(&publication.file, confine::MAX_TEXT_BYTES)
        .map_err(|e| e.problem(root))?;
    let sha256 = sha256_hex(&bytes);
    let approved_body = match record.last() {
        Some(last) if last.sha256 != sha256 => {
            Some(parse_copy(root, &folder, &record.copy(last), names)?.1)
        }
        _ => None,
    };
    Ok(ApprovalStatus {
        record,
        sha256,
        approved_body,
    })
}

/// The folder id and the translation's language of a publication.
pub fn keys(publication: &super::Publication) -> (&str, Option<&str>) {
    (
        publication.folder_id(),
        publication.translation.as_ref().map(|t| t.lang.as_str()),
    )
}

/// The entry as the text appended to the record.
pub fn entry_text(version: &str, date: NaiveDate, by: &[String], sha256: &str) -> String {
    let quote = |s: &str| serde_json::to_string(s).expect("a string serializes");
    let mut out = format!("- version: {}\n  date: {date}\n  by:\n", quote(version));
    for who in by {
        out.push_str(&format!("    - {}\n", quote(who)));
    }
    out.push_str(&format!("  sha256: {sha256}\n"));
    out
}

/// What a new record file starts with.
pub fn header(id: &str) -> String {
    format!(
        "# Approvals of {id}, oldest first. `folio approve` appends an entry for each approved\n\
         # text (its version, the date, who approved it and the SHA-256 of the file) and keeps\n\
         # the text itself in approved/. Do not edit: folio checks the order and the hashes.\n"
    )
}

/// Parses an approved copy (front matter and body) as folio parses the publication.
pub fn parse_copy(
    root: &Path,
    folder: &Path,
    copy: &Path,
    names: &std::collections::BTreeSet<String>,
) -> Result<(Meta, Vec<Node>), Problem> {
    let bytes = confined(root)?
        .read(copy, confine::MAX_TEXT_BYTES)
        .map_err(|e| e.problem(root))?;
    let rel = folder.strip_prefix(root).unwrap_or(folder);
    let rel = rel.to_string_lossy().replace('\\', "/");
    let source = super::Source {
        file: copy,
        folder: &rel,
        folder_on_disk: folder,
        names,
    };
    super::parse(&bytes, &source)
}

fn confined(root: &Path) -> Result<Root, Problem> {
    Root::new(root).map_err(|e| {
        Problem::error(format!("cannot open the project folder: {e}")).at(Location::file(root))
    })
}

/// The line of each top-level entry (`- version: …`), 1-based.
fn entry_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- "))
        .map(|(i, _)| i + 1)
        .collect()
}

/// The line of the `sha256:` key of the entry starting at `entry`.
fn sha_line(text: &str, entry: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(entry.saturating_sub(1))
        .take_while(|(i, l)| *i + 1 == entry || !l.starts_with("- "))
        .find(|(_, l)| {
            l.trim_start()
                .trim_start_matches("- ")
                .starts_with("sha256:")
        })
        .map_or(entry, |(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_their_numbered_parts() {
        assert!(version_after("1.10", "1.9"));
        assert!(version_after("2", "1.9"));
        assert!(version_after("1.0.1", "1.0"));
        assert!(!version_after("1.0", "1.0"));
        assert!(!version_after("1.2", "1.10"));
    }

    #[test]
    fn an_appended_entry_reads_back_with_its_lines() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let text = format!(
            "{}{}{}",
            header("x"),
            entry_text("1.0", date, &["Dr A, consultant".into()], "ab"),
            entry_text("1.1", date, &["B: editor".into()], "cd")
        );
        let entries: Vec<ApprovalLine> = serde_yaml::from_str(&text).unwrap();
        assert_eq!(entries[1].by, vec!["B: editor".to_string()]);
        assert_eq!(entry_lines(&text), vec![4, 9]);
        assert_eq!(sha_line(&text, 9), 13);
    }
}
