//! Parsed Typst sources shared by every world of a session.
//!
//! Every edition of every publication reads the same layout files. Parsing them once per
//! session, instead of once per world, saves the parse and the hashing of the syntax tree,
//! and gives comemo the very same sources, so memoised evaluation is found again. A source
//! is kept with the hash of the bytes it was parsed from: when a layout changes on disk
//! (`folio watch`), the kept source is updated incrementally, like Typst's own file store.

use std::collections::HashMap;
use std::sync::Mutex;

use typst::diag::{FileError, FileResult};
use typst::foundations::Bytes;
use typst::syntax::{FileId, Source};

/// The shared sources, by file, each with the hash of its bytes.
#[derive(Default)]
pub struct SharedSources {
    sources: Mutex<HashMap<FileId, (u128, Source)>>,
}

impl SharedSources {
    /// The parsed source of `bytes`, the contents of file `id`.
    pub fn get(&self, id: FileId, bytes: &Bytes) -> FileResult<Source> {
        let hash = typst::utils::hash128(bytes);
        let stale = {
            let sources = self.sources.lock().expect("shared sources");
            match sources.get(&id) {
                Some((h, source)) if *h == hash => return Ok(source.clone()),
                Some((_, source)) => Some(source.clone()),
                None => None,
            }
        };
        let bytes = bytes.as_slice();
        let text = std::str::from_utf8(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes))
            .map_err(|_| FileError::InvalidUtf8)?;
        // Parsed outside the lock: other worlds go on meanwhile; the last parse wins.
        let source = match stale {
            Some(mut source) => {
                source.replace(text);
                source
            }
            None => Source::new(id, text.to_string()),
        };
        self.sources
            .lock()
            .expect("shared sources")
            .insert(id, (hash, source.clone()));
        Ok(source)
    }
}
