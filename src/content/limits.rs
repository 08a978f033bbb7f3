//! The limits a publication's source must keep, and the checks on its raw bytes.
//!
//! Content comes from people and from other tools (copy and paste, converters), so folio
//! must refuse anything it cannot read faithfully with a message, never abort or misread it.
//! The numbers here are documented in README "Writing a publication"; keep the two in step.

use std::io::Read;
use std::path::Path;

use crate::diag::{Location, Problem};

/// The largest Markdown file folio reads, in bytes: half as much again as the longest
/// patient booklets (about 100 KB of Markdown). Typesetting every edition costs memory in
/// proportion to the text, since a publication's editions are kept until all are made
/// (measured: about 2.5 MB for each kilobyte of lists or paragraphs; 1.2 GB for 500 KB,
/// 4.3 GB for 1.95 MB). At this limit, with the two limits below, one publication stays
/// under 1 GB (`tests/it/hostile.rs` measures it), so that `--jobs` of them fit a build
/// machine; a translation, whose bilingual editions hold its source's text too, may take
/// twice as much. Anything larger is a mistake (a pasted export, a binary file) or several
/// publications in one.
pub const MAX_FILE_BYTES: u64 = 150_000;

/// The most headings (of any level) one publication may have. Each heading costs more to
/// typeset than its text (bookmarks, the contents, each edition's section checks); a 100 KB
/// booklet has about 150.
pub const MAX_HEADINGS: usize = 250;

/// The most table cells one publication may have, all its tables together (header cells
/// included). A cell costs about 120 KB to lay out across the editions, ten times as much as
/// the same text in a paragraph; real booklets have a few tables of a few dozen rows.
pub const MAX_TABLE_CELLS: usize = 800;

/// How deeply lists, block quotes and callouts may be nested inside each other. Print
/// layouts run out of width long before this; deeper nesting is a conversion accident.
pub const MAX_BLOCK_DEPTH: usize = 8;

/// How deeply bold, emphasis and links may be nested inside each other.
pub const MAX_INLINE_DEPTH: usize = 16;

/// How deeply YAML flow collections (`[…]`, `{…}`) may nest in front matter. The parser's
/// time grows much faster than the text with depth (200 KB of `[[[…` took half a minute);
/// no layout reads anything deeper than a few levels.
pub const MAX_FLOW_DEPTH: usize = 16;

/// The widest table, in columns: a resource limit (a table of hundreds of columns would cost
/// layout time for nothing). Whether a narrower table can be read is decided per edition,
/// on the laid-out page (`table-too-wide`).
pub const MAX_TABLE_COLUMNS: usize = 32;

/// Front-matter text fields and their longest lengths, in characters.
pub const MAX_TITLE: usize = 200;
pub const MAX_SUBTITLE: usize = 300;
pub const MAX_PRODUCT_CODE: usize = 40;
pub const MAX_VERSION: usize = 20;
/// The longest single reference or reviewer entry, in characters.
pub const MAX_ENTRY: usize = 500;
/// The most references, and the most reviewers, one publication may list.
pub const MAX_ENTRIES: usize = 100;

/// Reads a Markdown file, refusing one over [`MAX_FILE_BYTES`] before reading all of it.
pub fn read(file: &Path) -> Result<Vec<u8>, Problem> {
    let cannot = |e: std::io::Error| {
        Problem::error(format!("cannot read the file: {e}")).at(Location::file(file))
    };
    let size = std::fs::metadata(file).map_err(cannot)?.len();
    check_size(size, file)?;
    // The file may grow between the two calls: read at most one byte past the limit.
    let mut bytes = Vec::with_capacity(size as usize);
    std::fs::File::open(file)
        .map_err(cannot)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    check_size(bytes.len() as u64, file)?;
    Ok(bytes)
}

/// Refuses a file of `size` bytes when it is over [`MAX_FILE_BYTES`].
pub fn check_size(size: u64, file: &Path) -> Result<(), Problem> {
    if size <= MAX_FILE_BYTES {
        return Ok(());
    }
    Err(Problem::error(format!(
        "the Markdown file is too large: {} ({size} bytes); the limit is {}",
        kilobytes(size),
        kilobytes(MAX_FILE_BYTES)
    ))
    .at(Location::file(file))
    .hint("split the publication into several (each a folder of its own under content/), or check that this is the right file"))
}

/// `200_001` → `201 KB`, `200_000` → `200 KB`, `2_200_000` → `2200 KB` (1 KB = 1000 bytes,
/// rounded up, so never below the limit).
fn kilobytes(bytes: u64) -> String {
    format!("{} KB", bytes.div_ceil(1000))
}

/// Decodes the file as UTF-8 and refuses control characters, naming the line and column.
///
/// Control characters are invisible in editors and mean nothing in print: a NUL or a stray
/// escape code is always an accident of copying, and would otherwise reach the PDF silently.
pub fn text<'a>(bytes: &'a [u8], file: &Path) -> Result<&'a str, Problem> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        // The part before the bad byte is valid UTF-8, so it can be counted in characters.
        let before = std::str::from_utf8(valid).unwrap_or_default();
        let (line, column) = line_column(before, before.len());
        Problem::error(format!(
            "the file is not UTF-8 text: byte 0x{:02X} cannot be read",
            bytes[e.valid_up_to()]
        ))
        .at(Location::at(file, line, column))
        .hint("save the file as UTF-8 (most editors offer this under \"Save as\" or \"Encoding\")")
    })?;
    // A byte-order mark is how some Windows editors start UTF-8 files: it says nothing
    // the text needs, so it is accepted and dropped.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Lines ended by carriage returns alone (old Mac OS files) would read as one line.
    if text.contains('\r') && !text.contains('\n') {
        return Err(Problem::error(
            "the file's lines end with carriage returns only (an old Mac OS format), so it reads as one line",
        )
        .at(Location::file(file))
        .hint("save the file with ordinary line endings (LF, or CR LF), as any current editor does"));
    }
    if let Some((offset, c)) = text.char_indices().find(|&(_, c)| is_forbidden_control(c)) {
        let (line, column) = line_column(text, offset);
        return Err(Problem::error(format!(
            "the file contains the control character U+{:04X}",
            c as u32
        ))
        .at(Location::at(file, line, column))
        .hint("delete it: it is invisible in most editors, often pasted in by accident, and means nothing in print"));
    }
    Ok(text)
}

/// C0 and C1 control characters (and DEL), except tab, line feed and carriage return.
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

#[cfg(test)]
mod tests;
