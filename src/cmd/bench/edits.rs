//! What the watch benchmarks share: the plan of a watch over one publication, and the two
//! one-word edits they time.

use std::path::Path;

use crate::cmd::build::BuildPlan;
use crate::cmd::select::Targets;

/// A watch's plan: every edition of `publication`, with previews, into `out`.
pub(super) fn watch_plan(publication: &str, out: &Path) -> BuildPlan {
    BuildPlan {
        targets: Targets {
            publications: vec![crate::project::PublicationKey::source(publication)],
            editions: Vec::new(),
        },
        out: out.to_path_buf(),
        emit_typst: None,
        allow_overdue: true,
        allow_unapproved: true,
        allow_outdated_translations: false,
        previews: true,
        quiet: true,
        cache: false,
        brands: Vec::new(),
    }
}

/// The two one-word edits of a text, mid-document: a word changed in place (its first
/// letter's case toggled: the text does not move) and a word inserted before it (the rest of
/// the section reflows).
pub(super) struct Edits {
    pub(super) original: String,
    pub(super) toggled: String,
    pub(super) inserted: String,
}

impl Edits {
    pub(super) fn of(original: &str) -> Edits {
        let (before, after) = original.split_at(original.len() / 2);
        let start = after.find(' ').map_or(0, |s| s + 1);
        let rest = &after[start..];
        let mut chars = rest.chars();
        let first = chars.next().unwrap_or(' ');
        let flipped: String = if first.is_uppercase() {
            first.to_lowercase().collect()
        } else {
            first.to_uppercase().collect()
        };
        Edits {
            original: original.to_string(),
            toggled: format!("{before}{}{flipped}{}", &after[..start], chars.as_str()),
            inserted: format!("{before}{}really {rest}", &after[..start]),
        }
    }

    /// The text of edit `i` of `count`: the first half toggles a word, the second inserts
    /// one; every other edit puts the original back, so each is one word from it.
    pub(super) fn text(&self, i: usize, count: usize) -> &str {
        match (i >= count / 2, i % 2) {
            (false, 0) => &self.toggled,
            (true, 0) => &self.inserted,
            _ => &self.original,
        }
    }
}
