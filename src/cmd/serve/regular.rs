//! Reading a file the server may hand out: a regular file, opened without following a link
//! (`O_NOFOLLOW`) and without blocking on a FIFO (`O_NONBLOCK`). A cached PDF replaced by a
//! link to `/etc/passwd` is not read; nor is a preview page image that is a link.

use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// The bytes of `path` when it is a regular file and not a link; an error otherwise.
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Whether no folder from `base` (excluded) down to `path` (included) is a link: `path`
/// must lie below `base`.
pub fn no_link_below(base: &Path, path: &Path) -> bool {
    let Ok(rest) = path.strip_prefix(base) else {
        return false;
    };
    let mut at = base.to_path_buf();
    for part in rest.components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if !meta.file_type().is_symlink() => {}
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_a_fifo_and_a_folder_are_not_read_and_a_file_is() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.pdf");
        std::fs::write(&file, b"%PDF").unwrap();
        assert_eq!(read(&file).unwrap(), b"%PDF");
        let link = dir.path().join("b.pdf");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(read(&link).is_err(), "a link, even to a file inside");
        let fifo = dir.path().join("c.pdf");
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        assert!(read(&fifo).is_err(), "a FIFO, without blocking");
        assert!(read(dir.path()).is_err());
        std::fs::create_dir(dir.path().join("d")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("d"), dir.path().join("e")).unwrap();
        std::fs::write(dir.path().join("d/x.png"), b"png").unwrap();
        assert!(no_link_below(dir.path(), &dir.path().join("d/x.png")));
        assert!(!no_link_below(dir.path(), &dir.path().join("e/x.png")));
    }
}
