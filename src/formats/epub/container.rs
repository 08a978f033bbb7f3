//! The EPUB container: a ZIP file whose first entry is `mimetype`, stored, then
//! `META-INF/container.xml`, then the publication's files in the order given, every entry
//! dated `timestamp` with fixed permissions, so that the same files give the same bytes.
//!
//! The `zip` crate writes it: it is the maintained ZIP writer of the Rust ecosystem and
//! lets each entry's method, time and permissions be set. (`epub-builder` was not used:
//! it writes its own XHTML and package document, with no place for the accessibility
//! metadata, page list and landmarks this e-book needs.)

use std::io::{Cursor, Write};

use chrono::{DateTime, Datelike, Timelike};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::diag::Problem;

const CONTAINER_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"#;

/// The container of `files` (path in the book, bytes), dated `timestamp`.
pub fn pack(files: &[(String, Vec<u8>)], timestamp: i64) -> Result<Vec<u8>, Problem> {
    let failed =
        |e: &dyn std::fmt::Display| Problem::error(format!("cannot write the EPUB container: {e}"));
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
    let cursor = zip.finish().map_err(|e| failed(&e))?;
    Ok(cursor.into_inner())
}
