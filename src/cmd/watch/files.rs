//! Which saved files matter to `folio watch`, and the file watcher that reports them.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use super::Wake;
use crate::diag::Problem;
use crate::pipeline::Session;
use crate::project::{CONTENT_DIR, FONTS_DIR, LAYOUTS_DIR, PROJECT_FILE};

/// What a saved file affects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SavedChange {
    /// folio.yaml or a font: reload the project, rebuild everything.
    Project,
    /// A layout: every publication is typeset again (unchanged parts are reused).
    Layouts,
    /// A file in one publication's folder: only that publication.
    Publication(String),
    /// Anything else (output, editor backups outside the watched folders).
    Ignored,
}

/// Sorts a changed path into what it affects.
pub fn classify(root: &Path, path: &Path) -> SavedChange {
    let Ok(rel) = path.strip_prefix(root) else {
        return SavedChange::Ignored;
    };
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next().unwrap_or_default();
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Editors write swap and backup files next to the real ones.
    if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
        return SavedChange::Ignored;
    }
    match first.as_str() {
        PROJECT_FILE => SavedChange::Project,
        FONTS_DIR => SavedChange::Project,
        LAYOUTS_DIR => SavedChange::Layouts,
        CONTENT_DIR => match parts.next() {
            Some(id) if !id.starts_with('.') => SavedChange::Publication(id),
            _ => SavedChange::Project,
        },
        _ => SavedChange::Ignored,
    }
}

/// Watches the project's folders: every event wakes the loop through `tx`, and a save that
/// is not ignored also raises the session's interrupt, so that the rest of the last save
/// stops at its next checkpoint (see [`crate::pipeline::Interrupt`]).
pub fn watch(session: &Session, tx: Sender<Wake>) -> Result<notify::RecommendedWatcher, Problem> {
    use notify::{RecursiveMode, Watcher};
    let root = session.root.clone();
    let interrupt = session.interrupt.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(e) = &event {
            let saved = !matches!(e.kind, notify::EventKind::Access(_))
                && e.paths
                    .iter()
                    .any(|p| classify(&root, p) != SavedChange::Ignored);
            if saved {
                interrupt.raise();
            }
        }
        let _ = tx.send(Wake::Files(event));
    })
    .map_err(|e| Problem::error(format!("cannot watch files: {e}")))?;
    let root = &session.root;
    for (path, mode) in [
        (root.join(CONTENT_DIR), RecursiveMode::Recursive),
        (root.join(LAYOUTS_DIR), RecursiveMode::Recursive),
        (root.join(FONTS_DIR), RecursiveMode::Recursive),
        (root.join(PROJECT_FILE), RecursiveMode::NonRecursive),
    ] {
        watcher
            .watch(&path, mode)
            .map_err(|e| Problem::error(format!("cannot watch {}: {e}", path.display())))?;
    }
    Ok(watcher)
}

/// The paths an event names, unless it only says a file was read.
pub fn event_paths(event: notify::Result<notify::Event>) -> Vec<PathBuf> {
    match event {
        Ok(e) if !matches!(e.kind, notify::EventKind::Access(_)) => e.paths,
        _ => Vec::new(),
    }
}
