//! What templates see of a catalogue entry: the entry's facts in words ("1 September
//! 2026", "Booklet (A5), PDF, 101 KB, 16 pages"), with links from the page showing them.

use chrono::NaiveDate;
use serde::Serialize;

use super::entry::{human_size, CatalogueEntry};
use crate::diag::long_date;

/// Whether a publication may be handed out, judged on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewState {
    /// In date, and not due for review within `review-warning-days`.
    Current,
    /// In date, but due for review within `review-warning-days`.
    ReviewDue,
    /// Past its next review and built with `--allow-overdue`: listed, with a label.
    Overdue,
    /// Past its next review: never listed as current.
    NotCurrent,
}

impl ReviewState {
    /// The status of a publication whose next review is `next_review`, on `today`.
    pub fn judge(
        next_review: NaiveDate,
        overdue_allowed: bool,
        today: NaiveDate,
        warning_days: i64,
    ) -> ReviewState {
        if next_review < today {
            if overdue_allowed {
                ReviewState::Overdue
            } else {
                ReviewState::NotCurrent
            }
        } else if (next_review - today).num_days() <= warning_days {
            ReviewState::ReviewDue
        } else {
            ReviewState::Current
        }
    }

    /// The label shown beside the publication, if any.
    pub fn label(self, next_review: NaiveDate) -> Option<String> {
        match self {
            ReviewState::Current | ReviewState::NotCurrent => None,
            ReviewState::ReviewDue => Some(format!("Review due by {}", long_date(next_review))),
            ReviewState::Overdue => {
                Some(format!("Review overdue since {}", long_date(next_review)))
            }
        }
    }
}

/// A publication as the templates show it.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub summary: Option<String>,
    /// BCP 47 tag, for `lang` attributes.
    pub language: String,
    /// Its language subtag (`en`), for the language filter.
    pub lang: String,
    /// "English", "Welsh (Cymraeg)".
    pub language_name: String,
    pub product_code: String,
    pub version: String,
    pub date_reviewed: String,
    pub next_review: String,
    pub status: ReviewState,
    pub status_label: Option<String>,
    /// The web edition.
    pub href: String,
    pub cover: Option<CoverView>,
    /// Screen PDFs, for reading and handing out.
    pub downloads: Vec<Download>,
    /// Press PDFs.
    pub for_printers: Vec<Download>,
    /// Which of the catalogue's formats the publication has, as their one-letter keys,
    /// for the format filter (set by the catalogue).
    pub formats: String,
}

/// The cover thumbnail.
#[derive(Debug, Clone, Serialize)]
pub struct CoverView {
    pub src: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

/// One PDF, described like a GOV.UK attachment.
#[derive(Debug, Clone, Serialize)]
pub struct Download {
    pub edition: String,
    pub label: String,
    pub href: String,
    pub paper: String,
    pub size: String,
    pub pages: usize,
    /// "Booklet (A5), PDF, 101 KB, 16 pages".
    pub description: String,
}

/// A file as the catalogue lists it: a PDF with its paper, size and pages; a braille file
/// with its braille pages; an e-book (reflowable, no pages) with its size.
pub(super) fn describe(f: &super::entry::File, size: &str, pages: &str) -> String {
    match f.profile.as_str() {
        "braille" => format!(
            "{} ({}), {} braille {pages}, {size}",
            f.label, f.paper, f.pages
        ),
        "ebook" => format!("{} ({}), {size}", f.label, f.paper),
        _ => format!(
            "{} ({}), PDF, {size}, {} {pages}",
            f.label, f.paper, f.pages
        ),
    }
}

impl View {
    /// The view of `entry` from a page `prefix` away from the publication's folder
    /// (`"all-treatment/"` from the catalogue, `""` from the publication's own page).
    pub fn new(
        entry: &CatalogueEntry,
        dates: (NaiveDate, NaiveDate),
        status: ReviewState,
        prefix: &str,
    ) -> View {
        let (reviewed, next) = dates;
        let mut downloads = Vec::new();
        let mut for_printers = Vec::new();
        for f in &entry.files {
            let size = human_size(f.bytes);
            let pages = if f.pages == 1 { "page" } else { "pages" };
            let d = Download {
                edition: f.edition.clone(),
                label: f.label.clone(),
                href: url_path(&format!("{prefix}{}", f.path)),
                paper: f.paper.clone(),
                description: describe(f, &size, pages),
                size,
                pages: f.pages,
            };
            if f.profile == "press" {
                for_printers.push(d);
            } else {
                downloads.push(d);
            }
        }
        let lang = entry
            .language
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let cover_label = entry
            .cover
            .as_ref()
            .and_then(|c| entry.files.iter().find(|f| f.edition == c.edition))
            .map_or_else(|| "Cover".to_string(), |f| format!("{} cover", f.label));
        View {
            id: entry.id.clone(),
            title: entry.title.clone(),
            subtitle: entry.subtitle.clone(),
            summary: entry.summary.clone(),
            language: entry.language.clone(),
            language_name: language_name(&lang),
            lang,
            product_code: entry.product_code.clone(),
            version: entry.version.clone(),
            date_reviewed: long_date(reviewed),
            next_review: long_date(next),
            status,
            status_label: status.label(next),
            href: url_path(&format!("{prefix}{}", entry.web)),
            cover: entry.cover.as_ref().map(|c| CoverView {
                src: url_path(&format!("{prefix}{}", c.path)),
                width: c.width,
                height: c.height,
                alt: cover_label,
            }),
            downloads,
            for_printers,
            formats: String::new(),
        }
    }
}

/// A relative path as a URL path: every byte but letters, digits, `-._~` and `/`
/// percent-encoded, so that a folder name with a space, `#` or `?` still links to itself.
pub fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A language's name in English, with its own name after it when that differs:
/// `en` → "English", `cy` → "Welsh (Cymraeg)"; an unknown subtag stays as it is.
pub fn language_name(subtag: &str) -> String {
    let language = match subtag.len() {
        2 => isolang::Language::from_639_1(subtag),
        3 => isolang::Language::from_639_3(subtag),
        _ => None,
    };
    let Some(language) = language else {
        return subtag.to_string();
    };
    let english = language.to_name();
    match language.to_autonym() {
        Some(own) if own != english => format!("{english} ({own})"),
        _ => english.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn currency_follows_the_next_review_date() {
        let today = day("2026-11-26");
        let judge = |next: &str, allowed| ReviewState::judge(day(next), allowed, today, 90);
        assert_eq!(judge("2029-01-01", false), ReviewState::Current);
        assert_eq!(judge("2027-02-24", false), ReviewState::ReviewDue);
        assert_eq!(judge("2026-11-26", false), ReviewState::ReviewDue);
        assert_eq!(judge("2026-11-25", false), ReviewState::NotCurrent);
        assert_eq!(judge("2026-11-25", true), ReviewState::Overdue);
    }

    #[test]
    fn paths_become_urls_that_lead_to_them() {
        assert_eq!(
            url_path("all-treatment/index.html"),
            "all-treatment/index.html"
        );
        assert_eq!(
            url_path("my leaflet #2/x?.pdf"),
            "my%20leaflet%20%232/x%3F.pdf"
        );
        assert_eq!(url_path("café"), "caf%C3%A9");
    }

    #[test]
    fn braille_and_e_book_files_are_described_as_issue_20_words_them() {
        let file =
            |label: &str, paper: &str, profile: &str, pages, bytes| super::super::entry::File {
                edition: profile.into(),
                label: label.into(),
                path: String::new(),
                bytes,
                pages,
                paper: paper.into(),
                profile: profile.into(),
                sha256: String::new(),
            };
        let described = |f: &super::super::entry::File| {
            let pages = if f.pages == 1 { "page" } else { "pages" };
            describe(f, &super::super::entry::human_size(f.bytes), pages)
        };
        let braille = file("Braille", "BRF, UEB grade 2", "braille", 23, 14_200);
        assert_eq!(
            described(&braille),
            "Braille (BRF, UEB grade 2), 23 braille pages, 14 KB"
        );
        let book = file("E-book", "EPUB 3", "ebook", 0, 180_400);
        assert_eq!(described(&book), "E-book (EPUB 3), 180 KB");
        let one = file("Braille", "BRF, UEB grade 2", "braille", 1, 900);
        assert_eq!(
            described(&one),
            "Braille (BRF, UEB grade 2), 1 braille page, 900 bytes"
        );
    }

    #[test]
    fn languages_are_named_in_english_and_in_their_own_words() {
        assert_eq!(language_name("en"), "English");
        assert!(
            language_name("cy").starts_with("Welsh"),
            "{}",
            language_name("cy")
        );
        assert_eq!(language_name("zz"), "zz");
    }
}
