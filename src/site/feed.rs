//! `feed.xml`: an Atom feed of the current publications, one entry per version, from the
//! `feed.xml` template. Ids are stable: the same version keeps its entry, a new version
//! gets a new one.

use chrono::NaiveDate;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::catalogue::Read;
use super::view::{url_path, Status};
use super::{site_context, templates, Site};
use crate::diag::{long_date, Problem};
use crate::project::Project;

impl Site {
    /// The Atom feed of the publications listed as current, newest version first.
    pub(super) fn feed(&self, project: &Project, read: &[Read]) -> Result<String, Problem> {
        let mut listed: Vec<&Read> = read
            .iter()
            .filter(|r| r.status != Status::NotCurrent)
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
                })
            })
            .collect();
        let updated = read
            .iter()
            .map(|r| r.reviewed)
            .max()
            .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), atom_date);
        let context = json!({
            "site": site_context(project),
            "feed_id": uuid_urn(&[publisher, "feed"]),
            "updated": updated,
            "publications": entries,
        });
        self.templates.render(templates::FEED, &context)
    }
}

/// A date as Atom writes it: midnight UTC.
fn atom_date(date: NaiveDate) -> String {
    format!("{}T00:00:00Z", date.format("%Y-%m-%d"))
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
