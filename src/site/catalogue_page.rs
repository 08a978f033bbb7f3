//! `index.html`, the catalogue page, from the template of that name: the current
//! publications with the formats and languages to filter them by, the partners' pages, and
//! the publications past their review. It describes every file while it stays small
//! enough, else lists each publication's formats and links to its page for the files.

use chrono::NaiveDate;
use serde_json::json;

use super::brands::BrandLink;
use super::view::View;
use super::{site_context, templates, Site};
use crate::diag::{long_date, Problem};
use crate::project::Project;

/// Above this size, the catalogue page lists each publication's formats and links to its
/// page for the files, instead of describing every file: it must stay under 500 KB.
pub const COMPACT_ABOVE: usize = 450_000;

impl Site {
    /// The catalogue page: describing every file when that page is no larger than
    /// [`COMPACT_ABOVE`], else compact.
    pub(super) fn catalogue_page(
        &self,
        project: &Project,
        today: NaiveDate,
        lists: (&[&View], &[&View]),
        formats: &[(String, String, char)],
        brands: &[BrandLink],
    ) -> Result<String, Problem> {
        // Describe every file while the page stays small enough; the estimate saves
        // rendering a page that is far too large only to throw it away.
        let mut index = String::new();
        if full_size(lists.0) <= COMPACT_ABOVE {
            index = self.index(project, today, lists, formats, brands, false)?;
        }
        if index.is_empty() || index.len() > COMPACT_ABOVE {
            index = self.index(project, today, lists, formats, brands, true)?;
        }
        Ok(index)
    }

    /// The page rendered from the template, describing every file or `compact`.
    fn index(
        &self,
        project: &Project,
        today: NaiveDate,
        (listed, stale): (&[&View], &[&View]),
        formats: &[(String, String, char)],
        brands: &[BrandLink],
        compact: bool,
    ) -> Result<String, Problem> {
        let mut languages: Vec<(String, String)> = listed
            .iter()
            .map(|v| (v.language_name.clone(), v.lang.clone()))
            .collect();
        languages.sort();
        languages.dedup();
        let context = json!({
            "site": site_context(project),
            "root": "",
            "as_of": long_date(today),
            "publications": listed,
            "not_current": stale,
            "count": listed.len(),
            "compact": compact,
            "brands": brands,
            "formats": formats.iter().map(|(name, label, key)| json!({"name": name, "label": label, "key": key.to_string()})).collect::<Vec<_>>(),
            "languages": languages.iter().map(|(name, code)| json!({"name": name, "code": code})).collect::<Vec<_>>(),
        });
        self.templates.render(templates::INDEX, &context)
    }
}

/// Roughly how many bytes the catalogue page takes when it describes every file: a
/// publication's title, summary, facts and cover take about 400 bytes besides their text,
/// a file's link about 20 besides its address and description.
fn full_size(listed: &[&View]) -> usize {
    listed
        .iter()
        .map(|v| {
            let text = v.title.len() + v.summary.as_ref().map_or(0, String::len);
            let files: usize = v
                .downloads
                .iter()
                .chain(&v.for_printers)
                .map(|d| 20 + d.href.len() + d.description.len())
                .sum();
            400 + text + files
        })
        .sum()
}

/// Letters that stand for formats in the page (`data-f`), one per format.
const KEYS: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// The formats (edition name, label, one-letter key) of every publication, sorted by
/// name; each view gets the keys of its own in `formats` (formats past the 62nd share the
/// last key).
pub(super) fn number_formats(views: &mut [View]) -> Vec<(String, String, char)> {
    let mut formats: Vec<(String, String)> = views
        .iter()
        .flat_map(|v| v.downloads.iter().chain(&v.for_printers))
        .map(|d| (d.edition.clone(), d.label.clone()))
        .collect();
    formats.sort();
    formats.dedup_by(|a, b| a.0 == b.0);
    let key = |i: usize| KEYS.chars().nth(i.min(KEYS.len() - 1)).unwrap_or('9');
    for v in views.iter_mut() {
        v.formats = v
            .downloads
            .iter()
            .chain(&v.for_printers)
            .filter_map(|d| formats.iter().position(|(name, _)| *name == d.edition))
            .map(key)
            .collect();
    }
    formats
        .into_iter()
        .enumerate()
        .map(|(i, (name, label))| (name, label, key(i)))
        .collect()
}
