//! A publication's catalogue entry (`OUT/<publication>/entry.json`): everything the
//! catalogue says about it and its files, read from what was made (the PDF bytes, the
//! laid-out pages), never from what the configuration hoped for.
//!
//! The entry is written with the publication's PDFs in one atomic batch, so it always
//! describes the files beside it; the catalogue is then made from the entries alone.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::SiteEdition;
use crate::content::Publication;
use crate::project::Project;

/// The version of the entry format; an entry of another version is built again.
pub const ENTRY_SCHEMA: u32 = 1;
/// The entry's file name in the publication's output folder.
pub use crate::project::dist::ENTRY_FILE;

/// One publication in the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CatalogueEntry {
    /// [`ENTRY_SCHEMA`].
    pub schema: u32,
    /// The publication's key: its folder name, or `<id>.<lang>` for a translation.
    pub id: String,
    /// Its output folder from the output folder's root: `all-treatment`, or
    /// `all-treatment/cy` for a translation. Every path below is from there.
    pub folder: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// The subtitle, else the opening paragraph (see `Publication::summary`).
    pub summary: Option<String>,
    /// BCP 47, e.g. `en-GB`.
    pub language: String,
    pub product_code: String,
    pub version: String,
    /// `YYYY-MM-DD`.
    pub date_reviewed: String,
    /// `YYYY-MM-DD`.
    pub next_review: String,
    /// Built on purpose past its next review (`--allow-overdue`): listed with a label.
    pub overdue_allowed: bool,
    /// The web edition, from the publication's folder.
    pub web: String,
    pub cover: Option<Cover>,
    /// Every PDF, in edition order.
    pub files: Vec<File>,
    /// The images the web edition shows, copied beside it, from the publication's folder
    /// (`images/food.jpg`): what the next build removes when they are no longer shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<String>,
    /// Every approved version, oldest first, with the sections changed, added and removed
    /// since the one before (none for a publication never approved: see [`super::changes`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<super::changes::VersionChanges>,
}

/// The cover thumbnail: a PNG at twice its display size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Cover {
    /// From the publication's folder.
    pub path: String,
    /// Display size in CSS pixels.
    pub width: u32,
    pub height: u32,
    /// The edition whose first page it shows.
    pub edition: String,
}

/// One PDF of a publication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct File {
    pub edition: String,
    /// What readers call the edition ("Large print").
    pub label: String,
    /// From the publication's folder, e.g. `all-treatment-booklet.pdf`.
    pub path: String,
    pub bytes: u64,
    pub pages: usize,
    /// The page as printed: `A5`, `A4 landscape`, or `W × H mm`.
    pub paper: String,
    /// `screen` (tagged, for reading and downloading) or `press` (for printers).
    pub profile: String,
    /// Lowercase hex.
    pub sha256: String,
}

impl CatalogueEntry {
    /// The entry for `publication` and the editions made of it.
    pub fn new(
        project: &Project,
        publication: &Publication,
        outputs: &[SiteEdition],
        overdue_allowed: bool,
        cover: Option<Cover>,
    ) -> CatalogueEntry {
        let meta = &publication.meta;
        let key = publication.key();
        let mut outputs: Vec<&SiteEdition> = outputs.iter().collect();
        outputs.sort_by_key(|o| o.edition);
        let files = outputs
            .iter()
            .map(|o| File {
                edition: o.edition.to_string(),
                label: project.editions[o.edition].label(o.edition),
                path: crate::project::dist::edition_file_name(&key, o.edition, o.file.extension),
                bytes: o.file.bytes.len() as u64,
                pages: o.file.pages,
                paper: o.file.paper.clone(),
                profile: o.file.profile.clone(),
                sha256: sha256(&o.file.bytes),
            })
            .collect();
        CatalogueEntry {
            schema: ENTRY_SCHEMA,
            id: publication.id.clone(),
            folder: folder(publication),
            title: meta.title.clone(),
            subtitle: meta.subtitle.clone().filter(|s| !s.trim().is_empty()),
            summary: publication.summary(),
            language: meta.language.clone(),
            product_code: meta.product_code.clone(),
            version: meta.version.clone(),
            date_reviewed: meta.date_reviewed.format("%Y-%m-%d").to_string(),
            next_review: meta.next_review.format("%Y-%m-%d").to_string(),
            overdue_allowed,
            web: "index.html".to_string(),
            cover,
            files,
            images: Vec::new(),
            changes: Vec::new(),
        }
    }

    /// Every file the entry names, from its folder: its web page, cover and PDFs.
    pub fn paths(&self) -> Vec<&str> {
        std::iter::once(&self.web)
            .chain(self.cover.as_ref().map(|c| &c.path))
            .chain(self.files.iter().map(|f| &f.path))
            .map(String::as_str)
            .collect()
    }

    /// Refuses an entry whose folder or files are not plain relative paths below the
    /// output folder (`/etc/passwd`, `../../x`, `C:\x`): an entry copied from elsewhere
    /// (a shard, a hand-edited folder) must not make the catalogue link out of the site.
    pub fn check_paths(&self) -> Result<(), String> {
        let plain = |p: &str| {
            !p.is_empty()
                && !p.contains(['\\', ':'])
                && !p.chars().any(char::is_control)
                && p.split('/')
                    .all(|part| !part.is_empty() && part != "." && part != "..")
        };
        if !plain(&self.folder) {
            return Err(format!(
                "its folder `{}` is not a folder of the output",
                self.folder
            ));
        }
        for path in self.paths() {
            if !plain(path) {
                return Err(format!(
                    "it names `{path}`, which is not a file of its folder"
                ));
            }
        }
        Ok(())
    }

    /// The entry as written: pretty JSON with a final newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("an entry always serializes");
        bytes.push(b'\n');
        bytes
    }
}

/// Whether the file at `path` is the one a catalogue records: a regular file (not a link,
/// never opened if it is anything else) of `bytes` bytes whose SHA-256 is `sha256`.
/// `Err` says what is wrong.
pub fn verify_file(path: &std::path::Path, bytes: u64, sha256: &str) -> Result<(), String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "it is missing".to_string(),
        _ => format!("it cannot be read: {e}"),
    })?;
    if meta.is_symlink() {
        return Err("it is a link, not a file".into());
    }
    if !meta.is_file() {
        return Err("it is not a file".into());
    }
    if meta.len() != bytes {
        return Err(format!(
            "it has {} bytes; the catalogue says {bytes}",
            meta.len()
        ));
    }
    let mut file = std::fs::File::open(path).map_err(|e| format!("it cannot be read: {e}"))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(|e| format!("it cannot be read: {e}"))?;
    let actual = crate::digest::hex(&hasher.finalize());
    if !actual.eq_ignore_ascii_case(sha256) {
        return Err(format!(
            "its SHA-256 is {actual}; the catalogue says {}",
            crate::diag::render::printable(sha256)
        ));
    }
    Ok(())
}

/// A publication's output folder from the output root: its folder name, and for a
/// translation the language below it (as `folio build` writes them).
pub fn folder(publication: &Publication) -> String {
    publication.key().folder()
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    crate::digest::hex(&crate::digest::sha256(bytes))
}

/// Sheet sizes by name, portrait, in mm.
const PAPERS: &[(&str, f64, f64)] = &[
    ("A3", 297.0, 420.0),
    ("A4", 210.0, 297.0),
    ("A5", 148.0, 210.0),
    ("A6", 105.0, 148.0),
    ("DL", 99.0, 210.0),
    ("Letter", 215.9, 279.4),
];

/// The name of a page `w` × `h` mm: `A5`, `A4 landscape`, else its size in mm.
pub fn paper(w: f64, h: f64) -> String {
    let near = |a: f64, b: f64| (a - b).abs() <= 1.5;
    for (name, pw, ph) in PAPERS {
        if near(w, *pw) && near(h, *ph) {
            return (*name).to_string();
        }
        if near(w, *ph) && near(h, *pw) {
            return format!("{name} landscape");
        }
    }
    format!("{} × {} mm", w.round(), h.round())
}

/// A file size as GOV.UK writes it: `950 bytes`, `101 KB`, `1.2 MB` (1 KB = 1000 bytes).
pub fn human_size(bytes: u64) -> String {
    const KB: f64 = 1000.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} bytes")
    } else if b < KB * KB {
        format!("{} KB", (b / KB).round().max(1.0))
    } else {
        format!("{:.1} MB", b / KB / KB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_named_by_their_sheet_size() {
        assert_eq!(paper(148.0, 210.0), "A5");
        assert_eq!(paper(297.0, 210.0), "A4 landscape");
        assert_eq!(paper(99.0, 210.0), "DL");
        assert_eq!(paper(100.0, 100.0), "100 × 100 mm");
    }

    #[test]
    fn sizes_read_like_govuk_attachments() {
        assert_eq!(human_size(950), "950 bytes");
        assert_eq!(human_size(101_147), "101 KB");
        assert_eq!(human_size(1_234_567), "1.2 MB");
    }

    #[test]
    fn the_checksum_is_sha256_in_hex() {
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
