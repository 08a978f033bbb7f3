//! Welsh bilingual editions: Welsh and English together, Welsh not treated less favourably
//! (the same sizes, Welsh first): side by side in parallel columns (A5 leaflet and
//! booklet), and tilt and turn (Welsh from the front cover, English from the back, upside
//! down, meeting in the middle). Made only for Welsh translations.

use folio::contract::Stamp;
use folio::inspect::{text_runs, TextRun};
use folio::pipeline::{schedule, Made};
use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::visualize::ImageKind;

use super::samples;
use crate::support::{Pdf, TestProject};

fn make(p: &TestProject, key: &str, editions: &[&str]) -> Vec<Made> {
    let session = p.session();
    let publication = session.load(&crate::support::key(key)).unwrap();
    let stamp = Stamp::default();
    schedule::make_all(
        &session,
        &publication,
        editions,
        &stamp,
        &mut Default::default(),
    )
    .into_iter()
    .map(|r| r.unwrap_or_else(|e| panic!("{key}: {e}")))
    .collect()
}

fn edition<'a>(made: &'a [Made], name: &str) -> &'a Made {
    made.iter().find(|m| m.edition == name).unwrap()
}

/// The first run that contains `piece`.
fn find<'a>(runs: &'a [TextRun], piece: &str) -> &'a TextRun {
    runs.iter()
        .find(|r| r.text.contains(piece))
        .unwrap_or_else(|| panic!("no run with {piece:?}"))
}

/// Welsh and English section headings of the sample (their first line), as pairs.
const SECTIONS: [(&str, &str); 4] = [
    ("Cyn i chi ddod", "Before you come"),
    ("Ar y diwrnod", "On the day"),
    ("Ar ôl eich", "After your"),
    ("Cael cymorth", "Getting support"),
];

#[test]
fn each_welsh_section_stands_beside_its_english_at_the_same_size() {
    let p = samples(true);
    let made = make(
        &p,
        "sample.cy",
        &["bilingual-booklet", "bilingual-leaflet-a5"],
    );
    for name in ["bilingual-booklet", "bilingual-leaflet-a5"] {
        let m = edition(&made, name);
        assert!(m.findings.is_empty(), "{name}: {:?}", m.findings);
        let runs = text_runs(m.doc().unwrap());
        // The section headings (not the contents list's entries).
        let headings: Vec<TextRun> = runs.iter().filter(|r| r.size_pt > 14.0).cloned().collect();
        for (cy, en) in SECTIONS {
            let (cy, en) = (find(&headings, cy), find(&headings, en));
            assert_eq!(
                cy.page, en.page,
                "{name}: {:?} and {:?} on one page",
                cy.text, en.text
            );
            assert!(
                (cy.y_pt - en.y_pt).abs() < 0.5,
                "{name}: level: {cy:?} {en:?}"
            );
            assert!(
                cy.x_pt + cy.width_pt < en.x_pt,
                "{name}: Welsh first, on the left"
            );
            assert_eq!(
                (cy.size_pt, cy.bold),
                (en.size_pt, en.bold),
                "{name}: same size"
            );
        }
        // Both titles, Welsh above English, at the same size.
        let (cy, en) = (find(&runs, "Eich ymweliad"), find(&runs, "Your visit"));
        assert!(cy.page == 1 && en.page == 1 && cy.y_pt < en.y_pt);
        assert_eq!(cy.size_pt, en.size_pt, "{name}: titles");
        // Fixed words in both languages, Welsh first.
        let all = folio::inspect::flat_text(m.doc().unwrap());
        let words: &[&str] = if name == "bilingual-booklet" {
            &[
                "Cynnwys / Contents",
                "Am yr wybodaeth hon",
                "About this information",
            ]
        } else {
            &[
                "Rhagor o wybodaeth / Find out more",
                "Trowch drosodd / Please turn over",
            ]
        };
        for w in words {
            assert!(all.contains(w), "{name}: {w:?} in {all}");
        }
    }
    assert_eq!(
        edition(&made, "bilingual-leaflet-a5")
            .doc()
            .unwrap()
            .pages()
            .len(),
        2
    );
    let booklet = edition(&made, "bilingual-booklet").doc().unwrap();
    assert_eq!(booklet.pages().len() % 4, 0);
}

#[test]
fn the_english_column_is_tagged_as_english_for_screen_readers() {
    let p = samples(true);
    p.folio(&["build", "sample.cy", "--edition", "bilingual-booklet"])
        .succeeds();
    let bytes = std::fs::read(
        p.root()
            .join("dist/sample/cy/sample-cy-bilingual-booklet.pdf"),
    )
    .unwrap();
    let pdf = Pdf::parse(&bytes);
    assert_eq!(
        pdf.lang().as_deref(),
        Some("cy-GB"),
        "the document is Welsh"
    );
    let english = pdf
        .doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| {
            d.get(b"Lang")
                .and_then(|l| l.as_str())
                .is_ok_and(|l| l == b"en-GB")
        })
        .count();
    assert!(english >= 4, "English parts carry /Lang en-GB: {english}");
}

/// Each imposed page's source pages from left to right, with whether each is upside down.
fn sides(doc: &typst_layout::PagedDocument) -> Vec<Vec<(usize, bool)>> {
    fn walk(frame: &Frame, ts: Transform, out: &mut Vec<(f64, usize, bool)>) {
        for (pos, item) in frame.items() {
            let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
            match item {
                FrameItem::Group(g) => walk(&g.frame, here.pre_concat(g.transform), out),
                FrameItem::Image(image, size, _) => {
                    if let ImageKind::Pdf(pdf) = image.kind() {
                        let a = Point::zero().transform(here);
                        let b = Point::new(size.x, size.y).transform(here);
                        let turned = b.y < a.y;
                        out.push((a.x.min(b.x).to_pt(), pdf.page_index() + 1, turned));
                    }
                }
                _ => {}
            }
        }
    }
    doc.pages()
        .iter()
        .map(|page| {
            let mut placed = Vec::new();
            walk(&page.frame, Transform::identity(), &mut placed);
            placed.sort_by(|a, b| a.0.total_cmp(&b.0));
            placed.into_iter().map(|(_, k, t)| (k, t)).collect()
        })
        .collect()
}

#[test]
fn tilt_and_turn_puts_welsh_and_english_back_to_back_meeting_in_the_middle() {
    let p = samples(true);
    let made = make(&p, "sample.cy", &["bilingual-booklet-tilt-imposed"]);
    let source = &edition(&made, "bilingual-booklet-tilt-print")
        .doc()
        .unwrap();
    let n = source.pages().len();
    assert_eq!(n % 4, 0, "{n} pages");
    let k = n / 2;
    // Two booklets one after the other, of equal length, each from its own cover, each
    // numbered from its cover, each cover pointing to the other language.
    let runs = text_runs(source);
    let page_of = |piece: &str| find(&runs, piece).page;
    assert_eq!(page_of("Eich ymweliad"), 1);
    assert_eq!(page_of("Your visit to the clinic"), k + 1);
    assert_eq!(page_of("Turn over for English"), 1);
    assert_eq!(page_of("Trowch drosodd am y Gymraeg"), k + 1);
    assert!(
        page_of("Cysylltwch") == k && page_of("Contact us") == n,
        "last pages"
    );
    let numbers: Vec<&TextRun> = runs
        .iter()
        .filter(|r| r.page == k + 3 && r.text.trim() == "3")
        .collect();
    assert_eq!(numbers.len(), 1, "English page 3 is numbered 3");

    // Imposed: the English half from the back cover, upside down.
    let imposed = sides(
        edition(&made, "bilingual-booklet-tilt-imposed")
            .doc()
            .unwrap(),
    );
    assert_eq!(imposed.len(), n / 2, "one page per sheet side");
    assert_eq!(
        imposed[0],
        [(k + 1, true), (1, false)],
        "outside: both covers"
    );
    assert_eq!(
        imposed.last().unwrap(),
        &[(k, false), (n, true)],
        "centre: both ends"
    );
    for side in &imposed {
        for &(page, turned) in side {
            assert_eq!(turned, page > k, "page {page}");
        }
    }
}

#[test]
fn bilingual_editions_are_made_for_welsh_translations_only() {
    let p = samples(true);
    p.folio(&["build"]).succeeds();
    let has = |rel: &str| p.root().join(rel).is_file();
    for bilingual in [
        "bilingual-booklet",
        "bilingual-leaflet-a5",
        "bilingual-booklet-tilt",
    ] {
        assert!(
            has(&format!("dist/sample/cy/sample-cy-{bilingual}.pdf")),
            "{bilingual}"
        );
        assert!(
            !has(&format!("dist/sample/sample-{bilingual}.pdf")),
            "not English"
        );
        for lang in ["pl", "ar", "ur"] {
            assert!(
                !has(&format!("dist/sample/{lang}/sample-{lang}-{bilingual}.pdf")),
                "{lang}"
            );
        }
    }
}

#[test]
fn the_shipped_publications_three_column_table_is_set_across_both_columns_in_welsh_and_english() {
    let p = TestProject::shipped();
    let source =
        std::fs::read_to_string(p.root().join("content/all-treatment/all-treatment.md")).unwrap();
    // A Welsh translation whose table is the shipped one (the text stays English: what is
    // tested is where the table goes, not the words).
    let welsh = source
        .replacen(
            "language: en-GB",
            "language: cy-GB\ntranslation-of: \"1.0\"",
            1,
        )
        .replacen("| Where and how long |", "| Ble a pha mor hir |", 1);
    p.file(
        "content/all-treatment/all-treatment.cy.md",
        welsh.as_bytes(),
    );
    let made = make(&p, "all-treatment.cy", &["bilingual-booklet"]);
    let m = edition(&made, "bilingual-booklet");
    assert!(m.findings.is_empty(), "{:?}", m.findings);
    let page_width = m.doc().unwrap().pages()[0].frame.width().to_pt();
    let runs = text_runs(m.doc().unwrap());
    // The table's last column header in each language, right of the middle of the page:
    // each table runs across both columns, not squeezed into its language's column.
    let cy = find(&runs, "Ble a");
    let en = find(&runs, "Where and");
    for h in [cy, en] {
        assert!(
            h.x_pt > page_width / 2.0,
            "{h:?} on a page {page_width} pt wide"
        );
    }
    // The Welsh table first, then the English one below it (or on a later page).
    assert!((cy.page, cy.y_pt) < (en.page, en.y_pt), "{cy:?} {en:?}");
}
