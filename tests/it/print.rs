//! Print-ready booklets: press PDFs with honest page boxes, imposed printer spreads, the
//! print preflight and the job sheet.

use std::sync::OnceLock;

use folio::check::Finding;
use folio::contract::Stamp;
use folio::pipeline::schedule;
use folio::pipeline::Made;
use folio::print::{press, saddle_stitch};
use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::visualize::{Color, ImageKind, Paint, ProcessColor};
use typst_layout::PagedDocument;

use crate::support::{doc, repo, Pdf, TestProject};

mod jobsheet;
mod pdfx;
mod preflight;
mod trimmed;

/// Points per millimetre.
const MM: f64 = 72.0 / 25.4;

/// The shipped project plus the test editions and layouts of `tests/fixtures/print/`.
fn project() -> TestProject {
    let p = TestProject::shipped();
    for layout in ["bad-print.typ", "numbered.typ"] {
        let text = std::fs::read(repo().join("tests/fixtures/print").join(layout)).unwrap();
        p.file(&format!("layouts/print-fixtures/{layout}"), &text);
    }
    p.add_editions(&crate::support::fixture("print/editions.yaml"));
    p
}

/// Makes `editions` of publication `id` as `folio build` does (sources before imposed).
fn make(p: &TestProject, id: &str, editions: &[&str]) -> Vec<Made> {
    let session = p.session();
    let publication = session.load(&crate::support::key(id)).unwrap();
    schedule::make_all(
        &session,
        &publication,
        editions,
        &Stamp::default(),
        &mut Default::default(),
    )
    .into_iter()
    .map(|r| r.unwrap_or_else(|e| panic!("{id}: {e}")))
    .collect()
}

/// The shipped publication's print editions (and the marked imposed variant), made once.
fn shipped() -> &'static Vec<Made> {
    static MADE: OnceLock<Vec<Made>> = OnceLock::new();
    MADE.get_or_init(|| {
        let p = project();
        make(
            &p,
            "all-treatment",
            &["booklet-imposed", "booklet-imposed-marks"],
        )
    })
}

fn edition<'a>(made: &'a [Made], name: &str) -> &'a Made {
    made.iter()
        .find(|m| m.edition == name)
        .unwrap_or_else(|| panic!("{name} not made"))
}

/// Asserts two rectangles (points) agree to 0.02 pt.
fn assert_rect(actual: Option<[f64; 4]>, want: [f64; 4], what: &str) {
    let actual = actual.unwrap_or_else(|| panic!("{what}: missing"));
    for (a, w) in actual.iter().zip(want) {
        assert!((a - w).abs() < 0.02, "{what}: {actual:?}, want {want:?}");
    }
}

/// A PDF image (a placed source page) on a laid-out page.
#[derive(Debug, Clone, Copy)]
struct PlacedPage {
    /// 1-based page of the imposed document.
    sheet_side: usize,
    /// 1-based page of the source PDF.
    source: usize,
    /// Where the image's left edge stands, from the spread's left trim, in points.
    x_pt: f64,
}

fn placed_pages(doc: &PagedDocument) -> Vec<PlacedPage> {
    fn walk(frame: &Frame, ts: Transform, side: usize, out: &mut Vec<PlacedPage>) {
        for (pos, item) in frame.items() {
            let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
            match item {
                FrameItem::Group(g) => walk(&g.frame, here.pre_concat(g.transform), side, out),
                FrameItem::Image(image, _, _) => {
                    if let ImageKind::Pdf(pdf) = image.kind() {
                        out.push(PlacedPage {
                            sheet_side: side,
                            source: pdf.page_index() + 1,
                            x_pt: Point::zero().transform(here).x.to_pt(),
                        });
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for (i, page) in doc.pages().iter().enumerate() {
        walk(&page.frame, Transform::identity(), i + 1, &mut out);
    }
    out
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings
        .iter()
        .map(|f| f.code.name())
        .filter(|c| {
            folio::print::preflight::CODES
                .iter()
                .any(|k| k.name() == *c)
        })
        .collect()
}

// ----- Page boxes -----

#[test]
fn booklet_print_has_a5_trim_3mm_bleed_and_a_slug_for_crop_marks() {
    let pdf = Pdf::parse(&edition(shipped(), "booklet-print").file.bytes);
    assert!(pdf.page_count() >= 8 && pdf.page_count().is_multiple_of(4));
    // A5 trim, 3 mm bleed, 9 mm slug for the marks: 12 mm around the trim.
    let (w, h) = (148.0 * MM, 210.0 * MM);
    for page in 1..=pdf.page_count() as u32 {
        assert_rect(
            pdf.page_box(page, "MediaBox"),
            [0.0, 0.0, w + 24.0 * MM, h + 24.0 * MM],
            "MediaBox",
        );
        assert_rect(
            pdf.page_box(page, "TrimBox"),
            [12.0 * MM, 12.0 * MM, 12.0 * MM + w, 12.0 * MM + h],
            "TrimBox",
        );
        assert_rect(
            pdf.page_box(page, "BleedBox"),
            [9.0 * MM, 9.0 * MM, 15.0 * MM + w, 15.0 * MM + h],
            "BleedBox",
        );
    }
}

#[test]
fn booklet_imposed_is_a4_landscape_with_the_spread_as_trim() {
    let pdf = Pdf::parse(&edition(shipped(), "booklet-imposed").file.bytes);
    let print_pages = Pdf::parse(&edition(shipped(), "booklet-print").file.bytes).page_count();
    assert_eq!(
        pdf.page_count(),
        print_pages / 2,
        "one PDF page per sheet side"
    );
    // Two 148 mm pages make 296 mm: centred on the 297 mm sheet, 0.5 mm white each side.
    for page in 1..=pdf.page_count() as u32 {
        assert_rect(
            pdf.page_box(page, "MediaBox"),
            [0.0, 0.0, 297.0 * MM, 210.0 * MM],
            "MediaBox",
        );
        let trim = [0.5 * MM, 0.0, 296.5 * MM, 210.0 * MM];
        assert_rect(pdf.page_box(page, "TrimBox"), trim, "TrimBox");
        assert_rect(
            pdf.page_box(page, "BleedBox"),
            trim,
            "BleedBox (no bleed kept)",
        );
    }
}

#[test]
fn imposed_with_crop_marks_keeps_3mm_bleed_around_the_spread() {
    let pdf = Pdf::parse(&edition(shipped(), "booklet-imposed-marks").file.bytes);
    // Sheet margin 0.5 mm (x), then 3 mm bleed and a 9 mm slug.
    let (x, y) = (12.5 * MM, 12.0 * MM);
    assert_rect(
        pdf.page_box(1, "MediaBox"),
        [0.0, 0.0, 321.0 * MM, 234.0 * MM],
        "MediaBox",
    );
    assert_rect(
        pdf.page_box(1, "TrimBox"),
        [x, y, x + 296.0 * MM, y + 210.0 * MM],
        "TrimBox",
    );
    assert_rect(
        pdf.page_box(1, "BleedBox"),
        [x - 3.0 * MM, y - 3.0 * MM, x + 299.0 * MM, y + 213.0 * MM],
        "BleedBox",
    );
}

#[test]
fn press_pdfs_are_byte_identical_between_builds_and_untagged() {
    let again = make(&project(), "all-treatment", &["booklet-imposed"]);
    for name in ["booklet-print", "booklet-imposed"] {
        assert!(
            edition(shipped(), name).file.bytes == edition(&again, name).file.bytes,
            "{name} differs"
        );
        assert!(
            !Pdf::parse(&edition(&again, name).file.bytes).tagged(),
            "{name} is tagged"
        );
    }
}

#[test]
fn what_the_preflight_reads_of_a_press_pdf_is_what_its_bytes_say() {
    // The preflight and the job sheet read the document the BleedBox pass wrote, not its bytes
    // parsed again: the written bytes must say the same, box for box.
    for name in ["booklet-print", "booklet-imposed", "booklet-imposed-marks"] {
        let made = edition(shipped(), name);
        let read = press::Facts::read(&made.file.bytes).unwrap();
        let press = made.typeset.as_ref().and_then(|t| t.press.as_ref());
        assert_eq!(press, Some(&read), "{name}");
        assert!(
            read.boxes
                .iter()
                .all(|b| b.bleed.is_some() && b.trim.is_some()),
            "{name}"
        );
    }
}

// ----- Colours -----

#[test]
fn print_colours_are_cmyk_with_registration_marks_and_body_text_in_black_only() {
    let made = edition(shipped(), "booklet-print");
    let colours = press::colours(&press::parse(&made.file.bytes).unwrap());
    assert!(colours.cmyk && !colours.rgb, "{colours:?}");
    assert!(
        colours.spots.contains("All"),
        "crop marks in registration colour: {colours:?}"
    );

    // Every body-size, regular text run in a neutral colour is 100% K: no 90% grey, no
    // rich black, no RGB.
    fn walk(frame: &Frame, k_only: &mut usize) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(&g.frame, k_only),
                FrameItem::Text(t)
                    if (t.size.to_pt() - 12.0).abs() < 0.01
                        && t.font.font().info().variant.weight.to_number() < 600 =>
                {
                    let Paint::Solid(Color::Process(ProcessColor::Cmyk(c))) = &t.fill else {
                        panic!("body text not CMYK: {:?} {:?}", t.fill, t.text)
                    };
                    // Words, not the contents page's grey dot leaders.
                    let words = t.text.chars().any(char::is_alphanumeric);
                    if words && c.c == 0.0 && c.m == 0.0 && c.y == 0.0 {
                        assert_eq!(c.k, 1.0, "body text in {:.0}% K: {:?}", c.k * 100.0, t.text);
                        *k_only += 1;
                    }
                }
                _ => {}
            }
        }
    }
    let mut k_only = 0;
    for page in made.doc().unwrap().pages() {
        walk(&page.frame, &mut k_only);
    }
    assert!(k_only > 100, "only {k_only} body runs in 100% K");
}

#[test]
fn the_cover_colour_runs_into_the_bleed_on_both_covers() {
    let made = edition(shipped(), "booklet-print");
    let pages = made.doc().unwrap().pages();
    for page in [&pages[0], pages.last().unwrap()] {
        let mut widest = [0.0f64; 2];
        fn walk(frame: &Frame, ts: Transform, out: &mut [f64; 2]) {
            for (pos, item) in frame.items() {
                let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
                match item {
                    FrameItem::Group(g) => walk(&g.frame, here.pre_concat(g.transform), out),
                    FrameItem::Shape(s, _) if s.fill.is_some() => {
                        let b = s.bbox(false);
                        let x0 = Point::new(b.min.x, b.min.y).transform(here).x.to_pt();
                        let x1 = Point::new(b.max.x, b.max.y).transform(here).x.to_pt();
                        if x1 - x0 > out[1] - out[0] {
                            *out = [x0, x1];
                        }
                    }
                    _ => {}
                }
            }
        }
        walk(&page.frame, Transform::identity(), &mut widest);
        assert!(
            widest[0] <= -3.0 * MM + 0.01,
            "band starts at {}",
            widest[0] / MM
        );
        assert!(
            widest[1] >= 151.0 * MM - 0.01,
            "band ends at {}",
            widest[1] / MM
        );
    }
}

// ----- Imposition -----

#[test]
fn the_shipped_imposed_booklet_places_pages_in_saddle_stitch_order() {
    let made = edition(shipped(), "booklet-imposed");
    let n = Pdf::parse(&edition(shipped(), "booklet-print").file.bytes).page_count();
    let placed = placed_pages(made.doc().unwrap());
    assert_eq!(placed.len(), n, "every page placed once");
    // The plan handed to the layout is the plan for n pages at 0.1 mm.
    let data = made
        .typeset
        .as_ref()
        .unwrap()
        .world
        .loader()
        .generated()
        .find(|(p, _)| *p == "/.folio/data.json")
        .unwrap()
        .1;
    let data: serde_json::Value = serde_json::from_slice(data.as_slice()).unwrap();
    let plan = saddle_stitch::plan(n, 0.1).unwrap();
    assert_eq!(
        data["imposition"]["sheets"],
        serde_json::to_value(&plan.sheets).unwrap()
    );
    assert_eq!(data["imposition"]["page-count"], n);
}

/// For n = 4 … 24, a source of n numbered pages is imposed; on imposed page 2s+1 (front of
/// sheet s) n−2s stands left of the spine and 2s+1 right of it; on the back 2s+2 | n−2s−1.
/// Each page moves s × 0.25 mm towards the spine.
#[test]
fn imposed_page_order_and_creep_for_4_to_24_pages() {
    let p = project();
    for n in (4..=24).step_by(4) {
        let id = format!("pages-{n}");
        let body: String = (1..=n).map(|i| format!("Page {i}.\n\n")).collect();
        p.publication(&id, &doc(&body));
    }
    let trim_w = 148.0 * MM;
    let trim_left = 3.0 * MM; // the numbered source has 3 mm bleed and no slug
    for n in (4..=24).step_by(4) {
        let made = make(&p, &format!("pages-{n}"), &["numbered-imposed"]);
        let source = made.iter().find(|m| m.edition == "numbered").unwrap();
        assert_eq!(
            source.doc().unwrap().pages().len(),
            n,
            "the numbered source has {n} pages"
        );
        let imposed = made
            .iter()
            .find(|m| m.edition == "numbered-imposed")
            .unwrap();
        assert_eq!(
            imposed.doc().unwrap().pages().len(),
            n / 2,
            "{n} pages: sheet sides"
        );
        let placed = placed_pages(imposed.doc().unwrap());
        for s in 0..n / 4 {
            let creep = s as f64 * 0.25 * MM;
            for (side, (left, right)) in [
                (2 * s + 1, (n - 2 * s, 2 * s + 1)),
                (2 * s + 2, (2 * s + 2, n - 2 * s - 1)),
            ] {
                let on: Vec<&PlacedPage> = placed.iter().filter(|p| p.sheet_side == side).collect();
                assert_eq!(on.len(), 2, "{n} pages, side {side}: {on:?}");
                let l = on
                    .iter()
                    .find(|p| p.x_pt < trim_w / 2.0)
                    .expect("a page on the left");
                let r = on
                    .iter()
                    .find(|p| p.x_pt > trim_w / 2.0)
                    .expect("a page on the right");
                assert_eq!(
                    (l.source, r.source),
                    (left, right),
                    "{n} pages, side {side}"
                );
                // Left page: its trim starts at 0 plus creep; right page at trim_w minus creep.
                assert!(
                    (l.x_pt - (creep - trim_left)).abs() < 0.01,
                    "{n}/{side}: left at {}",
                    l.x_pt / MM
                );
                assert!(
                    (r.x_pt - (trim_w - creep - trim_left)).abs() < 0.01,
                    "{n}/{side}: right at {}",
                    r.x_pt / MM
                );
            }
        }
    }
}

#[test]
fn asking_only_for_the_imposed_edition_makes_its_source_first() {
    let names: Vec<&str> = shipped().iter().map(|m| m.edition.as_str()).collect();
    assert_eq!(
        names,
        ["booklet-print", "booklet-imposed", "booklet-imposed-marks"]
    );
}

#[test]
fn an_imposed_edition_must_impose_a_press_edition() {
    let p = TestProject::shipped();
    p.add_editions("  wrong:\n    layout: layouts/imposed/imposed.typ\n    pdf: press\n    impose: { from: booklet, sheet: a4 }\n");
    p.folio(&["build"])
        .fails_with(&["cannot impose `booklet`", "pdf: press"]);
    let p = TestProject::shipped();
    p.add_editions("  wrong:\n    layout: layouts/imposed/imposed.typ\n    pdf: press\n    impose: { from: booklet-print, sheet: a4, creep: 1 }\n");
    p.folio(&["build"]).fails_with(&["unknown field `creep`"]);
}

// ----- Commands and the job sheet -----

#[test]
fn build_writes_the_print_editions_and_a_job_sheet() {
    let p = TestProject::shipped();
    p.folio(&["build", "-e", "booklet-imposed"]).succeeds();
    let pages = Pdf::parse(&p.pdf("all-treatment", "booklet-print")).page_count();
    assert_eq!(
        Pdf::parse(&p.pdf("all-treatment", "booklet-imposed")).page_count(),
        pages / 2
    );
    let dir = p.root().join("dist/all-treatment");
    let spec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("all-treatment-print-spec.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(spec["product-code"], "FOL-ALL-001");
    assert_eq!(spec["date-reviewed"], "1 September 2026");
    let print = &spec["editions"][0];
    assert_eq!(print["edition"], "booklet-print");
    assert_eq!(print["trim-mm"], serde_json::json!([148.0, 210.0]));
    assert_eq!(print["bleed-mm"], 3.0);
    assert_eq!(print["finished-pages"], pages);
    assert_eq!(print["sheets-per-copy"], pages / 4);
    assert_eq!(print["binding"], "saddle-stitch");
    assert_eq!(print["fonts-embedded"], true);
    assert!(print["paper"].as_str().unwrap().contains("gsm"));
    let imposed = &spec["editions"][1];
    assert_eq!(
        imposed["imposition"]["page-order"],
        saddle_stitch::plan(pages, 0.1).unwrap().describe()
    );
    let text = std::fs::read_to_string(dir.join("all-treatment-print-spec.txt")).unwrap();
    assert!(text.lines().count() < 60, "one page:\n{text}");
    assert!(
        text.contains("flip on short edge") && text.contains("148 × 210 mm (A5 portrait)"),
        "{text}"
    );
}

#[test]
fn check_print_runs_the_preflight_on_print_editions_only() {
    let p = project();
    p.publication("bad", &doc("## A section\n\nSome text.\n"));
    let out = p.folio(&["check", "--print", "--format", "json", "bad"]);
    let findings: Vec<serde_json::Value> =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout));
    let editions: std::collections::BTreeSet<&str> = findings
        .iter()
        .filter_map(|f| f["edition"].as_str())
        .collect();
    assert!(
        editions.contains("bad-print") && !editions.contains("booklet"),
        "{editions:?}"
    );
    assert_ne!(out.code, 0, "errors fail the check");
}
