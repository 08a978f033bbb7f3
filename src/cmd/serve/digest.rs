//! Serve's one hashing scheme: SHA-256, written as lowercase hex (the `hex` crate), for
//! tokens, session ids, cache keys and the inputs an edition depends on.
//!
//! A folder is hashed without following links: a link counts as the text of its target, so
//! a link loop (`content/x/loop -> ..`) ends, and nothing outside the folder is read.

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

/// What a file below a hashed folder is, read without following links.
enum Found {
    File(PathBuf),
    Link(PathBuf, PathBuf),
}

/// SHA-256 over the files below `root`/`names` (each one's path, then its bytes or, for a
/// link, its target's text; in sorted order), plus folio's version: what a compiled edition
/// depends on besides its data. Links are never followed.
pub fn tree(root: &Path, names: &[&str]) -> [u8; 32] {
    fn walk(path: &Path, out: &mut Vec<Found>) {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return;
        };
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(path).unwrap_or_default();
            out.push(Found::Link(path.to_path_buf(), target));
        } else if meta.is_dir() {
            if let Ok(entries) = std::fs::read_dir(path) {
                for e in entries.flatten() {
                    walk(&e.path(), out);
                }
            }
        } else if meta.is_file() {
            out.push(Found::File(path.to_path_buf()));
        }
    }
    let mut found = Vec::new();
    for name in names {
        walk(&root.join(name), &mut found);
    }
    let path = |f: &Found| match f {
        Found::File(p) | Found::Link(p, _) => p.clone(),
    };
    found.sort_by_key(path);
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION"));
    for f in &found {
        let p = path(f);
        h.update(
            p.strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .as_bytes(),
        );
        match f {
            Found::File(p) => h.update(super::regular::read(p).unwrap_or_default()),
            Found::Link(_, target) => {
                h.update(b"\0link\0");
                h.update(target.to_string_lossy().as_bytes());
            }
        }
    }
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_other_lengths() {
        let digest = sha256("token");
        assert_eq!(unhex(&hex(&digest)), Some(digest));
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex(&"z".repeat(64)), None);
    }

    #[test]
    fn a_folder_with_a_link_loop_is_hashed_without_following_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/x")).unwrap();
        std::fs::write(root.join("content/x/x.md"), "# Title\n").unwrap();
        std::os::unix::fs::symlink("..", root.join("content/x/loop")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", root.join("content/x/passwd")).unwrap();
        let before = tree(root, &["content"]);
        assert_eq!(
            before,
            tree(root, &["content"]),
            "the same tree, the same hash"
        );
        // The link's target counts, not what it leads to.
        std::fs::remove_file(root.join("content/x/passwd")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", root.join("content/x/passwd")).unwrap();
        assert_ne!(before, tree(root, &["content"]));
        std::fs::write(root.join("content/x/x.md"), "# Other\n").unwrap();
        assert_ne!(before, tree(root, &["content"]));
    }
}
