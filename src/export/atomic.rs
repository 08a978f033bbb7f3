//! Atomic writes: a file, or a whole set of files, is replaced whole or not at all.
//!
//! A [`Batch`] stages every output of a publication as temporary files beside their
//! targets, syncs them, and only then renames them into place. Before a target is
//! replaced, the old file gets a second name (a hard link), so that if any later rename
//! fails, every file already replaced is put back. A crash at any moment leaves each target
//! either old or new (a rename replaces atomically); what it leaves behind are only
//! `.folio-*` files, which the next build of that folder removes ([`clean`]).

use std::io::Write;
use std::path::{Path, PathBuf};

/// Prefix of folio's temporary and backup files in output folders.
const PREFIX: &str = ".folio-";

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// reader (or a crash) never sees a half-written file and a failure leaves the old one.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut batch = Batch::default();
    batch.stage(path, bytes)?;
    batch.commit().map_err(|(_, e)| e)
}

/// Outputs staged to replace their targets together.
#[derive(Default)]
pub struct Batch {
    staged: Vec<(PathBuf, tempfile::NamedTempFile)>,
    /// The output folder the targets are below, when known: no folder between it and a
    /// target may be a link (see [`refuse_links`]).
    root: Option<PathBuf>,
    /// Unit tests make the rename of this target (0-based) fail, as a full disk would.
    #[cfg(test)]
    fail_at: Option<usize>,
}

impl Batch {
    /// A batch of outputs below the output folder `root`: a target reached through a link
    /// below `root` (`dist/<id>` or `dist/<id>/brands` a link to elsewhere), or a target
    /// that is a link itself, is refused rather than written through. `root` itself may
    /// be a link: that is where the user chose to put the output.
    pub fn within(root: &Path) -> Batch {
        Batch {
            root: Some(root.to_path_buf()),
            ..Batch::default()
        }
    }

    /// Writes `bytes` to a temporary file beside `path`; nothing is replaced yet (and
    /// nothing synced: [`Batch::commit`] syncs every staged file at once).
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        if let Some(root) = &self.root {
            refuse_links(root, path)?;
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(PREFIX)
            .suffix(".tmp")
            .tempfile_in(dir)?;
        tmp.write_all(bytes)?;
        // Temporary files are private (0600); outputs are for sharing, like any file written
        // normally: keep the mode of the file being replaced, or make it readable by all.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        self.staged.push((path.to_path_buf(), tmp));
        Ok(())
    }

    /// The targets staged so far.
    pub fn targets(&self) -> impl Iterator<Item = &Path> {
        self.staged.iter().map(|(p, _)| p.as_path())
    }

    /// Renames every staged file into place. On the first failure, the files already
    /// replaced are restored (or removed, where there was none) and the error is returned
    /// with the target it concerns; the temporary files are removed either way.
    pub fn commit(self) -> Result<(), (PathBuf, std::io::Error)> {
        // Something other than a file in the way fails the batch before anything moves.
        for (target, _) in &self.staged {
            if let Some(root) = &self.root {
                // Checked again: a link may have appeared since the file was staged.
                refuse_links(root, target).map_err(|e| (target.clone(), e))?;
            }
            if let Some(m) = std::fs::symlink_metadata(target)
                .ok()
                .filter(|m| !m.is_file())
            {
                return Err((target.clone(), in_the_way(&m)));
            }
        }
        // Every file is on disk before any is renamed. The syncs run side by side: each
        // waits for the disk, and one after another they cost a build of a thousand
        // publications about a sixth of its time.
        let synced: Vec<std::io::Result<()>> = std::thread::scope(|scope| {
            let handles: Vec<_> = self
                .staged
                .iter()
                .map(|(_, tmp)| scope.spawn(|| tmp.as_file().sync_all()))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(std::io::Error::other("sync panicked")))
                })
                .collect()
        });
        for ((target, _), result) in self.staged.iter().zip(synced) {
            if let Err(e) = result {
                return Err((target.clone(), e));
            }
        }
        let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        #[cfg(test)]
        let fail_at = self.fail_at;
        for (i, (target, tmp)) in self.staged.into_iter().enumerate() {
            #[cfg(test)]
            if fail_at == Some(i) {
                rollback(done);
                return Err((target, std::io::Error::other("injected failure")));
            }
            let _ = i;
            let backup = match backup(&target) {
                Ok(b) => b,
                Err(e) => {
                    rollback(done);
                    return Err((target, e));
                }
            };
            match tmp.persist(&target) {
                Ok(_) => done.push((target, backup)),
                Err(e) => {
                    if let Some(b) = backup {
                        let _ = std::fs::remove_file(b);
                    }
                    rollback(done);
                    return Err((target, e.error));
                }
            }
        }
        for (_, backup) in done {
            if let Some(b) = backup {
                let _ = std::fs::remove_file(b);
            }
        }
        Ok(())
    }
}

/// A second name for the file at `target`, if there is one to keep.
fn backup(target: &Path) -> std::io::Result<Option<PathBuf>> {
    match std::fs::symlink_metadata(target) {
        Ok(m) if m.is_file() => {
            let dir = target.parent().unwrap_or(Path::new("."));
            let name = target.file_name().map(|n| n.to_string_lossy().into_owned());
            let backup = dir.join(format!("{PREFIX}{}.bak", name.unwrap_or_default()));
            let _ = std::fs::remove_file(&backup);
            std::fs::hard_link(target, &backup)?;
            Ok(Some(backup))
        }
        Ok(m) => Err(in_the_way(&m)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn in_the_way(meta: &std::fs::Metadata) -> std::io::Error {
    let what = if meta.is_symlink() {
        "a link is in the way (folio does not write through links)"
    } else if meta.is_dir() {
        "a folder is in the way"
    } else {
        "something that is not a file (a FIFO, socket or device) is in the way"
    };
    std::io::Error::new(std::io::ErrorKind::AlreadyExists, what)
}

/// Refuses `target` when it, or a folder between `root` and it, is a link: the output
/// folder's files are folio's, and writing through a link would put them (or replace
/// files) wherever the link leads. Targets outside `root` are not checked here.
pub fn refuse_links(root: &Path, target: &Path) -> std::io::Result<()> {
    let Ok(rel) = target.strip_prefix(root) else {
        return Ok(());
    };
    let mut at = root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.is_symlink() => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    format!(
                        "`{}` is a link; folio does not write through links in the output folder",
                        crate::diag::display_path(&at)
                    ),
                ))
            }
            Ok(_) => {}
            // Nothing there yet: nothing below it either.
            Err(_) => break,
        }
    }
    Ok(())
}

/// Puts back what `done` replaced: the old file where there was one, none where there was not.
fn rollback(done: Vec<(PathBuf, Option<PathBuf>)>) {
    for (target, backup) in done.into_iter().rev() {
        match backup {
            Some(b) => {
                let _ = std::fs::rename(b, &target);
            }
            None => {
                let _ = std::fs::remove_file(&target);
            }
        }
    }
}

/// Removes temporary and backup files that an interrupted build left in `dir`.
pub fn clean(dir: &Path) {
    // A link is not followed: what it leads to is not folio's to clean.
    if std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_symlink()) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = name.starts_with(PREFIX) && (name.ends_with(".tmp") || name.ends_with(".bak"));
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    fn read(dir: &tempfile::TempDir, name: &str) -> Option<String> {
        std::fs::read_to_string(dir.path().join(name)).ok()
    }

    fn leftovers(dir: &tempfile::TempDir) -> Vec<String> {
        std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(PREFIX))
            .collect()
    }

    #[test]
    fn a_batch_replaces_every_file_when_all_renames_succeed() {
        let dir = folder_with(&[("a.pdf", "old a")]);
        let mut batch = Batch::default();
        batch.stage(&dir.path().join("a.pdf"), b"new a").unwrap();
        batch.stage(&dir.path().join("b.pdf"), b"new b").unwrap();
        batch.commit().unwrap();
        assert_eq!(read(&dir, "a.pdf").as_deref(), Some("new a"));
        assert_eq!(read(&dir, "b.pdf").as_deref(), Some("new b"));
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
    }

    #[test]
    fn a_failed_rename_puts_back_the_files_already_replaced() {
        let dir = folder_with(&[("a.pdf", "old a"), ("c.pdf", "old c")]);
        let mut batch = Batch::default();
        for name in ["a.pdf", "b.pdf", "c.pdf"] {
            batch.stage(&dir.path().join(name), b"new").unwrap();
        }
        batch.fail_at = Some(2);
        let (target, _) = batch.commit().unwrap_err();
        assert!(target.ends_with("c.pdf"));
        assert_eq!(read(&dir, "a.pdf").as_deref(), Some("old a"));
        assert_eq!(
            read(&dir, "b.pdf"),
            None,
            "a file that was not there is removed again"
        );
        assert_eq!(read(&dir, "c.pdf").as_deref(), Some("old c"));
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
    }

    #[test]
    fn a_folder_in_the_way_fails_the_batch_before_anything_moves() {
        let dir = folder_with(&[("a.pdf", "old a")]);
        std::fs::create_dir_all(dir.path().join("b.pdf/x")).unwrap();
        let mut batch = Batch::default();
        batch.stage(&dir.path().join("a.pdf"), b"new a").unwrap();
        batch.stage(&dir.path().join("b.pdf"), b"new b").unwrap();
        let (target, _) = batch.commit().unwrap_err();
        assert!(target.ends_with("b.pdf"));
        assert_eq!(read(&dir, "a.pdf").as_deref(), Some("old a"));
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
    }

    #[test]
    fn a_batch_within_an_output_folder_never_writes_through_a_link_below_it() {
        let out = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        // `dist/<id>/brands` a link to elsewhere: refused when staged, named as a link.
        std::fs::create_dir_all(out.path().join("id")).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), out.path().join("id/brands")).unwrap();
        let mut batch = Batch::within(out.path());
        let e = batch
            .stage(&out.path().join("id/brands/b/x.pdf"), b"pdf")
            .unwrap_err();
        assert!(e.to_string().contains("id/brands` is a link"), "{e}");
        // A target that is itself a link (to a file) is refused as a link too.
        std::fs::write(elsewhere.path().join("victim.pdf"), b"theirs").unwrap();
        std::os::unix::fs::symlink(
            elsewhere.path().join("victim.pdf"),
            out.path().join("id/a.pdf"),
        )
        .unwrap();
        let e = batch
            .stage(&out.path().join("id/a.pdf"), b"ours")
            .unwrap_err();
        assert!(e.to_string().contains("is a link"), "{e}");
        let mut plain = Batch::default();
        plain.stage(&out.path().join("id/a.pdf"), b"ours").unwrap();
        let (_, e) = plain.commit().unwrap_err();
        assert!(e.to_string().contains("a link is in the way"), "{e}");
        assert_eq!(
            std::fs::read(elsewhere.path().join("victim.pdf")).unwrap(),
            b"theirs"
        );
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 1);
    }

    #[test]
    fn clean_removes_what_an_interrupted_build_left() {
        let dir = folder_with(&[
            (".folio-abc.tmp", "half"),
            (".folio-a.pdf.bak", "old"),
            ("a.pdf", "kept"),
            (".other", "kept"),
        ]);
        clean(dir.path());
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".other", "a.pdf"]);
    }
}
