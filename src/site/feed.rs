//! `feed.xml`: an Atom feed of the current publications, one entry per version, from the
//! `feed.xml` template. Ids are stable: the same version keeps its entry, a new version
//! gets a new one. An entry links every file of its version as an enclosure (PDFs, the
//! braille file, the e-book, with their media types and sizes) and says what changed in
//! that version when it was approved ([`super::changes`]). A withdrawn publication has an
//! entry of its own, "Withdrawn: <title>", kept in every later build
//! ([`super::withdrawn`]).

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::catalogue::Read;
use super::changes::VersionChanges;
use super::entry::{human_size, File};
use super::view::{describe, url_path, ReviewState};
use super::withdrawn::{atom_time, Notice};
use super::{site_context, templates, Site};
use crate::diag::{long_date, Problem};
use crate::project::Project;

impl Site {
    /// The Atom feed of the publications listed as current, newest version first, after the
    /// notices of withdrawn publications, newest first.
    pub(super) fn feed(
        &self,
        project: &Project,
        read: &[Read],
        withdrawn: &[Notice],
    ) -> Result<String, Problem> {
        let mut listed: Vec<&Read> = read
            .iter()
            .filter(|r| r.status != ReviewState::NotCurrent)
            .collect();
        // Newest first, as feed readers show them.
        listed.sort_by_key(|r| std::cmp::Reverse(r.reviewed));
        let publisher = &project.publisher.name;
        let entries: Vec<serde_json::Value> = listed
            .iter()
            .map(|r| {
                let e = &r.entry;
                json!({
                    "title": e.title,
                    "version": e.version,
                    "product_code": e.product_code,
                    "summary": e.summary,
                    "date_reviewed": long_date(r.reviewed),
                    "next_review": long_date(r.next),
                    "href": url_path(&format!("{}/{}", e.folder, e.web)),
                    "entry_id": uuid_urn(&[publisher, &e.id, &e.version]),
                    "updated": atom_date(r.reviewed),
                    "files": e.files.iter().map(|f| enclosure(&e.folder, f)).collect::<Vec<_>>(),
                    "changes": e
                        .changes
                        .iter()
                        .rev()
                        .find(|c| c.version == e.version)
                        .map(changes_text),
                })
            })
            .collect();
        let mut notices: Vec<(&Notice, DateTime<Utc>)> = withdrawn
            .iter()
            .map(|n| (n, n.when().unwrap_or(DateTime::UNIX_EPOCH)))
            .collect();
        notices.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
        let notices: Vec<serde_json::Value> = notices
            .iter()
            .map(|(n, when)| {
                json!({
                    "title": n.title,
                    "version": n.version,
                    "product_code": n.product_code,
                    "language": n.language,
                    "date": long_date(when.date_naive()),
                    "updated": atom_time(*when),
                    "entry_id": uuid_urn(&[publisher, &n.id, &n.version, "withdrawn"]),
                })
            })
            .collect();
        let updated = read
            .iter()
            .map(|r| midnight(r.reviewed))
            .chain(withdrawn.iter().filter_map(Notice::when))
            .max()
            .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), atom_time);
        let context = json!({
            "site": site_context(project),
            "feed_id": uuid_urn(&[publisher, "feed"]),
            "updated": updated,
            "publications": entries,
            "withdrawn": notices,
        });
        self.templates.render(templates::FEED, &context)
    }
}

/// A date as Atom writes it: midnight UTC.
fn atom_date(date: NaiveDate) -> String {
    atom_time(midnight(date))
}

fn midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// What changed in an approved version, in a sentence: "Since version 1.0: changed
/// “Clinical trials”; added “Fertility”." (escaped for XML when the template prints it).
fn changes_text(c: &VersionChanges) -> String {
    let Some(since) = &c.since else {
        return format!("Version {} is the first approved version.", c.version);
    };
    let parts: Vec<String> = [
        ("changed", &c.changed),
        ("added", &c.added),
        ("removed", &c.removed),
    ]
    .iter()
    .filter(|(_, list)| !list.is_empty())
    .map(|(kind, list)| {
        let titles: Vec<String> = list.iter().map(|t| format!("“{t}”")).collect();
        format!("{kind} {}", titles.join(", "))
    })
    .collect();
    match parts.is_empty() {
        true => format!("No section changed since version {since}."),
        false => format!("Since version {since}: {}.", parts.join("; ")),
    }
}

/// A file of a version as the feed links it: an enclosure with its media type, its size in
/// bytes and its description ("Braille (BRF, UEB grade 2), 23 braille pages, 14 KB").
fn enclosure(folder: &str, f: &File) -> serde_json::Value {
    let pages = if f.pages == 1 { "page" } else { "pages" };
    json!({
        "href": url_path(&format!("{folder}/{}", f.path)),
        "type": media_type(&f.path),
        "length": f.bytes,
        "title": describe(f, &human_size(f.bytes), pages),
    })
}

/// The media type of a published file, from its extension: a braille file (BRF) is plain
/// ASCII text, an e-book `application/epub+zip`.
pub fn media_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, x)| x);
    match extension.to_ascii_lowercase().as_str() {
        "pdf" => "application/pdf",
        "epub" => "application/epub+zip",
        "brf" | "txt" => "text/plain",
        "html" => "text/html",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

/// A stable `urn:uuid:` made from `parts` (a name-based UUID over SHA-256, RFC 9562
/// version 8), so that an entry keeps its id from build to build and a new version gets
/// a new one.
fn uuid_urn(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    let mut b: [u8; 16] = hash.finalize()[..16].try_into().expect("16 bytes");
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_format_has_its_media_type() {
        use super::media_type;
        assert_eq!(media_type("a/x-booklet.pdf"), "application/pdf");
        assert_eq!(media_type("x-ebook.epub"), "application/epub+zip");
        assert_eq!(media_type("x-braille.brf"), "text/plain");
        assert_eq!(media_type("x"), "application/octet-stream");
    }

    #[test]
    fn a_versions_changes_read_as_one_sentence() {
        let mut c = super::VersionChanges {
            version: "1.1".into(),
            approved: "2026-12-02".into(),
            since: Some("1.0".into()),
            changed: vec!["Tests".into(), "Side effects".into()],
            added: Vec::new(),
            removed: vec!["Old".into()],
        };
        assert_eq!(
            super::changes_text(&c),
            "Since version 1.0: changed “Tests”, “Side effects”; removed “Old”."
        );
        c.since = None;
        assert_eq!(
            super::changes_text(&c),
            "Version 1.1 is the first approved version."
        );
    }
}
