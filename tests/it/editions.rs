//! Every edition of the shipped publication, checked as laid out and as PDF.

use std::sync::OnceLock;

use folio::inspect::{flat_text, text_runs};
use folio::pipeline::Made;

use crate::support::{Pdf, TestProject};

/// The shipped content built once for this module: (edition, made).
fn shipped() -> &'static Vec<(String, Made)> {
    static BUILT: OnceLock<Vec<(String, Made)>> = OnceLock::new();
    BUILT.get_or_init(|| {
        let project = TestProject::shipped();
        ["booklet", "large-print", "leaflet-dl", "leaflet-a5"]
            .into_iter()
            .map(|e| {
                let made = project
                    .make("all-treatment", e)
                    .unwrap_or_else(|err| panic!("{e}: {err}"));
                (e.to_string(), made)
            })
            .collect()
    })
}

fn edition(name: &str) -> &'static Made {
    &shipped().iter().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn every_edition_has_its_paper_size() {
    let a5 = (148.0, 210.0);
    let a4 = (210.0, 297.0);
    let a4_landscape = (297.0, 210.0);
    for (name, size) in [
        ("booklet", a5),
        ("large-print", a4),
        ("leaflet-dl", a4_landscape),
        ("leaflet-a5", a5),
    ] {
        let pdf = Pdf::parse(&edition(name).file.bytes);
        for page in 1..=pdf.page_count() as u32 {
            assert_eq!(pdf.page_mm(page), size, "{name} page {page}");
        }
    }
}

#[test]
fn the_booklet_page_count_is_a_multiple_of_four() {
    let pages = Pdf::parse(&edition("booklet").file.bytes).page_count();
    assert!(
        pages >= 8 && pages.is_multiple_of(4),
        "booklet has {pages} pages"
    );
}

#[test]
fn leaflets_are_exactly_two_pages() {
    for name in ["leaflet-dl", "leaflet-a5"] {
        assert_eq!(
            Pdf::parse(&edition(name).file.bytes).page_count(),
            2,
            "{name}"
        );
    }
}

#[test]
fn large_print_text_is_never_below_18pt_nor_italic() {
    let runs = text_runs(edition("large-print").doc().unwrap());
    assert!(runs.len() > 100, "large print shows text");
    let smallest = runs
        .iter()
        .min_by(|a, b| a.size_pt.total_cmp(&b.size_pt))
        .unwrap();
    assert!(
        smallest.size_pt >= 17.99,
        "smallest text is {:.1} pt: {smallest:?}",
        smallest.size_pt
    );
    let italic: Vec<_> = runs.iter().filter(|r| r.italic).collect();
    assert!(
        italic.is_empty(),
        "italic text in large print: {:?}",
        italic.first()
    );
    // Page numbers are text too: the last page's number is on it, at 18 pt or more.
    let pages = edition("large-print").doc().unwrap().pages().len();
    let number = runs
        .iter()
        .find(|r| r.page == pages - 1 && r.text.trim() == (pages - 1).to_string());
    assert!(
        number.is_some_and(|r| r.size_pt >= 17.99),
        "page number on page {} missing or small",
        pages - 1
    );
}

#[test]
fn every_edition_uses_only_the_sans_serif_project_font() {
    for (name, made) in shipped() {
        for run in text_runs(made.doc().unwrap()) {
            assert_eq!(
                run.family, "Atkinson Hyperlegible",
                "{name}: {:?}",
                run.text
            );
        }
    }
}

#[test]
fn the_booklet_body_is_at_least_12pt() {
    let runs = text_runs(edition("booklet").doc().unwrap());
    let body = runs
        .iter()
        .filter(|r| r.text.contains("cytotoxic drugs"))
        .collect::<Vec<_>>();
    assert!(!body.is_empty(), "body sentence found");
    assert!(body.iter().all(|r| r.size_pt >= 12.0), "{body:?}");
}

#[test]
fn marked_sections_appear_only_in_their_editions() {
    let leaflet_only = "Treatment at a glance";
    let not_leaflet = "Teenagers and young adults";
    for (name, made) in shipped() {
        let text = flat_text(made.doc().unwrap());
        let is_leaflet = name.starts_with("leaflet");
        assert_eq!(
            text.contains(leaflet_only),
            is_leaflet,
            "{name}: {leaflet_only}"
        );
        assert_eq!(
            text.contains(not_leaflet),
            !is_leaflet,
            "{name}: {not_leaflet}"
        );
        // The marked run in the introduction follows the same rules.
        assert_eq!(
            text.contains("This leaflet is a short summary"),
            is_leaflet,
            "{name}: run"
        );
    }
}

#[test]
fn every_edition_prints_the_review_dates_and_product_code() {
    for (name, made) in shipped() {
        let text = flat_text(made.doc().unwrap());
        for needle in ["1 September 2026", "1 September 2029", "FOL-ALL-001"] {
            assert!(text.contains(needle), "{name} lacks {needle}");
        }
    }
}

#[test]
fn pdfs_are_tagged_with_title_language_author_and_standards() {
    for (name, made) in shipped() {
        let pdf = Pdf::parse(&made.file.bytes);
        assert!(pdf.tagged(), "{name} is tagged");
        assert_eq!(pdf.lang().as_deref(), Some("en-GB"), "{name}");
        let xmp = pdf.xmp();
        assert!(
            xmp.contains("Treatment for acute lymphoblastic leukaemia (ALL)"),
            "{name} title"
        );
        assert!(xmp.contains("Folio Cancer Information"), "{name} author");
        assert!(
            xmp.contains("<pdfaid:part>2</pdfaid:part>"),
            "{name} PDF/A-2"
        );
        assert!(
            xmp.contains("<pdfuaid:part>1</pdfuaid:part>"),
            "{name} PDF/UA-1"
        );
    }
}
