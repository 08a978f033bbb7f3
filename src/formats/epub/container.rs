//! The EPUB container: a ZIP file whose first entry is `mimetype`, stored, then
//! `META-INF/container.xml`, then the publication's files in the order given, every entry
//! dated `timestamp` with fixed permissions, so that the same files give the same bytes.
//!
//! Files that are the same in every book (the fonts, a few hundred kilobytes each) are
//! compressed once per process and copied into each book as compressed
//! ([`ZipWriter::raw_copy_file_touch`], with the book's date): the entry is the same bytes
//! as if it had been compressed again, without the time that takes on every build.
//!
//! The `zip` crate writes it: it is the maintained ZIP writer of the Rust ecosystem and
//! lets each entry's method, time and permissions be set. (`epub-builder` was not used:
//! it writes its own XHTML and package document, with no place for the accessibility
//! metadata, page list and landmarks this e-book needs.)

use std::io::{Cursor, Write};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, Datelike, Timelike};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::diag::Problem;

const CONTAINER_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"#;

fn failed(e: &dyn std::fmt::Display) -> Problem {
    Problem::error(format!("cannot write the EPUB container: {e}"))
}

/// The container of `files` (path in the book, bytes), then `fixed` (files the same in
/// every book, compressed once per process), dated `timestamp`.
pub fn pack(
    files: &[(String, Vec<u8>)],
    fixed: &[(String, Vec<u8>)],
    timestamp: i64,
) -> Result<Vec<u8>, Problem> {
    let when = DateTime::from_timestamp(timestamp, 0).unwrap_or_default();
    // ZIP times start in 1980: an earlier timestamp is written as 1980-01-01.
    let time = zip::DateTime::from_date_and_time(
        when.year().clamp(1980, 2107) as u16,
        when.month() as u8,
        when.day() as u8,
        when.hour() as u8,
        when.minute() as u8,
        when.second() as u8,
    )
    .unwrap_or_default();
    let options = SimpleFileOptions::default()
        .last_modified_time(time)
        .unix_permissions(0o644);
    let stored = options.compression_method(CompressionMethod::Stored);
    let deflated = options.compression_method(CompressionMethod::Deflated);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("mimetype", stored).map_err(|e| failed(&e))?;
    zip.write_all(b"application/epub+zip")
        .map_err(|e| failed(&e))?;
    zip.start_file("META-INF/container.xml", deflated)
        .map_err(|e| failed(&e))?;
    zip.write_all(CONTAINER_XML.as_bytes())
        .map_err(|e| failed(&e))?;
    for (name, bytes) in files {
        zip.start_file(name.as_str(), deflated)
            .map_err(|e| failed(&e))?;
        zip.write_all(bytes).map_err(|e| failed(&e))?;
    }
    for (name, bytes) in fixed {
        let compressed = compressed(name, bytes)?;
        let mut archive = ZipArchive::new(Cursor::new(&compressed[..])).map_err(|e| failed(&e))?;
        let entry = archive.by_index_raw(0).map_err(|e| failed(&e))?;
        zip.raw_copy_file_touch(entry, time, Some(0o644))
            .map_err(|e| failed(&e))?;
    }
    let cursor = zip.finish().map_err(|e| failed(&e))?;
    Ok(cursor.into_inner())
}

/// A ZIP archive of the one entry `name` with `bytes`, deflated as [`pack`] deflates, made
/// once per process for each name and content.
fn compressed(name: &str, bytes: &[u8]) -> Result<Arc<[u8]>, Problem> {
    type Kept = Vec<(String, Vec<u8>, Arc<[u8]>)>;
    static KEPT: OnceLock<Mutex<Kept>> = OnceLock::new();
    let mut kept = KEPT
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some((_, _, zip)) = kept.iter().find(|(n, b, _)| n == name && b == bytes) {
        return Ok(zip.clone());
    }
    let options = SimpleFileOptions::default()
        .unix_permissions(0o644)
        .compression_method(CompressionMethod::Deflated);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file(name, options).map_err(|e| failed(&e))?;
    zip.write_all(bytes).map_err(|e| failed(&e))?;
    let zip: Arc<[u8]> = zip.finish().map_err(|e| failed(&e))?.into_inner().into();
    kept.push((name.to_string(), bytes.to_vec(), zip.clone()));
    Ok(zip)
}
