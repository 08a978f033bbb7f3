//! folio's one hashing scheme: SHA-256, written as lowercase hex, and one way of hashing a
//! folder. The build cache (`cmd/build/cache.rs`), `folio serve`'s cache of branded editions
//! and its tokens, and the approval records all use it.
//!
//! A folder is hashed without following links: a link counts as the text of its target, so
//! a loop (`content/x/loop -> ..`) ends, nothing outside the folder is read, and pointing a
//! link elsewhere changes the hash. A FIFO, socket or device counts as what it is and is
//! never opened, so nothing blocks on it. This module is a leaf: it imports nothing of folio.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// SHA-256 of `bytes`.
pub fn sha256(bytes: impl AsRef<[u8]>) -> [u8; 32] {
    Sha256::digest(bytes.as_ref()).into()
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// The 32 bytes a 64-digit hex text stands for.
pub fn unhex(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

/// What one entry below a hashed folder is, read without following links.
enum Found {
    File,
    Dir,
    /// A link, with the text of its target.
    Link(PathBuf),
    /// A FIFO, socket or device: hashed as such, never opened.
    Special,
}

/// SHA-256 over everything below `root`/`names`, in the order of the paths: each entry's
/// path relative to `root`, its kind, and its content (a file's bytes, a link's target text).
/// A name that does not exist counts as missing, so creating it changes the hash. Links are
/// never followed; an entry that cannot be read (permissions) is an error, so that a hash
/// never stands for contents that were not seen.
pub fn tree(root: &Path, names: &[&str]) -> std::io::Result<[u8; 32]> {
    let mut found = Vec::new();
    for name in names {
        let path = root.join(name);
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                found.push((path, None));
            }
            _ => walk(&path, &mut found)?,
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let mut h = Sha256::new();
    for (path, kind) in &found {
        let rel = path.strip_prefix(root).unwrap_or(path);
        part(&mut h, rel.to_string_lossy().as_bytes());
        match kind {
            None => part(&mut h, b"missing"),
            Some(Found::Dir) => part(&mut h, b"folder"),
            Some(Found::Special) => part(&mut h, b"special"),
            Some(Found::Link(target)) => {
                part(&mut h, b"link");
                part(&mut h, target.to_string_lossy().as_bytes());
            }
            Some(Found::File) => {
                part(&mut h, b"file");
                part(&mut h, &sha256(read_file(path)?));
            }
        }
    }
    Ok(h.finalize().into())
}

/// Adds `bytes` with its length in front, so that no two sequences of parts hash alike.
fn part(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

fn walk(path: &Path, out: &mut Vec<(PathBuf, Option<Found>)>) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(path)?;
    let kind = meta.file_type();
    if kind.is_symlink() {
        out.push((
            path.to_path_buf(),
            Some(Found::Link(std::fs::read_link(path)?)),
        ));
    } else if kind.is_dir() {
        out.push((path.to_path_buf(), Some(Found::Dir)));
        for entry in std::fs::read_dir(path)? {
            walk(&entry?.path(), out)?;
        }
    } else if kind.is_file() {
        out.push((path.to_path_buf(), Some(Found::File)));
    } else {
        out.push((path.to_path_buf(), Some(Found::Special)));
    }
    Ok(())
}

/// The bytes of the regular file at `path`, opened without following a link and without
/// blocking on a FIFO (it may have been swapped for one since it was listed).
fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let mut file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other(format!(
            "{} is no longer a regular file",
            path.display()
        )));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/x/images")).unwrap();
        std::fs::write(dir.path().join("content/x/x.md"), "# Title\n").unwrap();
        std::fs::write(dir.path().join("content/x/images/a.png"), b"png").unwrap();
        dir
    }

    #[test]
    fn hex_round_trips_and_refuses_other_lengths() {
        let digest = sha256("token");
        assert_eq!(hex(&digest).len(), 64);
        assert_eq!(unhex(&hex(&digest)), Some(digest));
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex(&"z".repeat(64)), None);
    }

    #[test]
    fn a_folder_with_a_link_loop_is_hashed_once_with_the_link_as_its_target_text() {
        let dir = project();
        let root = dir.path();
        std::os::unix::fs::symlink("..", root.join("content/x/loop")).unwrap();
        std::os::unix::fs::symlink(".", root.join("content/x/images/self")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", root.join("content/x/passwd")).unwrap();
        let before = tree(root, &["content"]).expect("a loop ends");
        assert_eq!(
            before,
            tree(root, &["content"]).unwrap(),
            "same tree, same hash"
        );
        // The link's target text counts, not what it leads to.
        std::fs::remove_file(root.join("content/x/passwd")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", root.join("content/x/passwd")).unwrap();
        assert_ne!(before, tree(root, &["content"]).unwrap());
    }

    #[test]
    fn a_change_of_bytes_of_a_name_or_of_a_kind_changes_the_hash() {
        let dir = project();
        let root = dir.path();
        let hash = || tree(root, &["content/x", "fonts"]).unwrap();
        let first = hash();
        std::fs::write(root.join("content/x/x.md"), "# Other\n").unwrap();
        let edited = hash();
        assert_ne!(first, edited);
        std::fs::rename(
            root.join("content/x/images/a.png"),
            root.join("content/x/images/b.png"),
        )
        .unwrap();
        let renamed = hash();
        assert_ne!(edited, renamed);
        std::fs::create_dir(root.join("content/x/empty")).unwrap();
        let with_folder = hash();
        assert_ne!(renamed, with_folder, "an empty folder counts");
        std::fs::create_dir(root.join("fonts")).unwrap();
        assert_ne!(with_folder, hash(), "a missing name counts as missing");
    }

    #[test]
    fn a_fifo_in_a_hashed_folder_is_hashed_without_being_opened() {
        let dir = project();
        let fifo = dir.path().join("content/x/pipe");
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        // Opening the FIFO for reading would block this test for ever.
        assert!(tree(dir.path(), &["content"]).is_ok());
    }

    #[test]
    fn the_hash_does_not_depend_on_where_the_project_lies() {
        let (a, b) = (project(), project());
        assert_eq!(
            tree(a.path(), &["content"]).unwrap(),
            tree(b.path(), &["content"]).unwrap()
        );
    }
}
