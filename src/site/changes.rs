//! What changed in each approved version of a publication, for its web page and the feed:
//! the sections changed, added and removed since the version approved before it, read from
//! the approvals on record and the approved copies `folio approve` keeps
//! ([`crate::content::approval`]).
//!
//! Sections are the level-2 sections (and the text before the first heading) that
//! translations and the `unapproved-changes` finding compare, with the same content hashes:
//! a section "changed" when its hash differs, "added" or "removed" when its id is only in one
//! of the two texts. A version whose text differs only outside the sections (its front
//! matter) lists none.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::content::approval::{self, Approvals};
use crate::content::translation::{sections, Section, INTRO};
use crate::content::Publication;
use crate::diag::Problem;
use crate::project::Project;

/// The title given to the text before a publication's first heading.
pub const OPENING: &str = "Opening text";

/// One approved version and what changed in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct VersionChanges {
    pub version: String,
    /// The day it was approved, `YYYY-MM-DD`.
    pub approved: String,
    /// The approved version it is compared with; none for the first approved version.
    pub since: Option<String>,
    /// The titles of the sections whose text changed, in the new text's order.
    pub changed: Vec<String>,
    /// The titles of the sections that are new, in the new text's order.
    pub added: Vec<String>,
    /// The titles of the sections that are gone, in the old text's order.
    pub removed: Vec<String>,
}

/// Every approved version of `publication`, oldest first, each with what changed since the
/// one before. Empty when it was never approved. A record or copy that cannot be read (or
/// that a hand edit broke) is the record's located problem.
pub fn history(
    root: &Path,
    project: &Project,
    publication: &Publication,
) -> Result<Vec<VersionChanges>, Problem> {
    let (id, lang) = approval::keys(publication);
    let folder = publication.file.parent().unwrap_or(Path::new("."));
    let record = Approvals::read(root, folder, id, lang)?;
    let names = project.names();
    let mut out = Vec::new();
    let mut before: Option<(&str, Vec<Section>)> = None;
    for approved in &record.entries {
        let (_, body) = approval::parse_copy(root, folder, &record.copy(approved), &names)?;
        let now = sections(&body);
        let mut changes = VersionChanges {
            version: approved.version.clone(),
            approved: approved.date.format("%Y-%m-%d").to_string(),
            since: None,
            changed: Vec::new(),
            added: Vec::new(),
            removed: Vec::new(),
        };
        if let Some((version, then)) = &before {
            changes.since = Some((*version).to_string());
            (changes.changed, changes.added, changes.removed) = compare(then, &now);
        }
        out.push(changes);
        before = Some((&approved.version, now));
    }
    Ok(out)
}

/// The titles of the sections changed, added and removed from `then` to `now`.
fn compare(then: &[Section], now: &[Section]) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (mut changed, mut added) = (Vec::new(), Vec::new());
    for s in now {
        match then.iter().find(|t| t.id == s.id) {
            Some(t) if t.hash != s.hash => changed.push(title(s)),
            Some(_) => {}
            None => added.push(title(s)),
        }
    }
    let removed = then
        .iter()
        .filter(|t| !now.iter().any(|s| s.id == t.id))
        .map(title)
        .collect();
    (changed, added, removed)
}

fn title(section: &Section) -> String {
    match section.id.as_str() {
        INTRO => OPENING.to_string(),
        _ => section.title.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::Pos;

    fn section(id: &str, hash: &str) -> Section {
        Section {
            id: id.to_string(),
            title: format!("Title of {id}"),
            pos: Pos { line: 1, column: 1 },
            hash: hash.to_string(),
        }
    }

    #[test]
    fn sections_are_changed_added_or_removed_by_their_ids_and_hashes() {
        let then = [section(INTRO, "1"), section("a", "2"), section("gone", "3")];
        let now = [section(INTRO, "1"), section("a", "9"), section("new", "4")];
        let (changed, added, removed) = compare(&then, &now);
        assert_eq!(changed, ["Title of a"]);
        assert_eq!(added, ["Title of new"]);
        assert_eq!(removed, ["Title of gone"]);
        let (changed, _, _) = compare(&[section(INTRO, "1")], &[section(INTRO, "2")]);
        assert_eq!(changed, [OPENING]);
    }
}
