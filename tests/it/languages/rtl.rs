//! Right to left (Arabic, Urdu): read from the laid-out pages, not just compiled. Lines
//! start at the right, words run from right to left, list markers and call-out bars stand
//! at the right, a booklet is bound on the right (page numbers mirrored), the DL leaflet's
//! panels are mirrored, and the imposed booklet opens from the other side.

use folio::contract::Stamp;
use folio::inspect::{marks, text_runs, TextRun};
use folio::pipeline::{schedule, Made};
use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::visualize::ImageKind;

use super::samples;
use crate::support::TestProject;

/// Points per millimetre.
const MM: f64 = 72.0 / 25.4;
/// The booklet's A5 page and margins (layouts/booklet: 13 % inside, 10.5 % outside).
const PAGE_W: f64 = 148.0 * MM;
const INSIDE: f64 = 148.0 * 0.13 * MM;
const OUTSIDE: f64 = 148.0 * 0.105 * MM;

/// Makes `editions` of publication `key` (sources before derived editions).
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

fn runs_of(made: &[Made], edition: &str) -> Vec<TextRun> {
    let m = made.iter().find(|m| m.edition == edition).unwrap();
    text_runs(m.doc().unwrap())
}

/// The run on `page` whose text contains `piece`.
fn run<'a>(runs: &'a [TextRun], page: usize, piece: &str) -> &'a TextRun {
    runs.iter()
        .find(|r| r.page == page && r.text.contains(piece))
        .unwrap_or_else(|| panic!("no run with {piece:?} on page {page}"))
}

fn right(r: &TextRun) -> f64 {
    r.x_pt + r.width_pt
}

fn near(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() < 1.0, "{what}: {a:.1} pt, want {b:.1} pt");
}

#[test]
fn lines_start_at_the_right_and_the_booklet_is_bound_on_the_right() {
    let p = samples(true);
    for lang in ["ar", "ur"] {
        let made = make(&p, &format!("sample.{lang}"), &["booklet"]);
        let runs = runs_of(&made, "booklet");
        // Page 3 is a left-hand page: the spine, and so the wide margin, is on its right.
        let heading = runs
            .iter()
            .filter(|r| r.page == 3 && r.size_pt > 18.0)
            .map(right)
            .fold(0.0, f64::max);
        near(
            heading,
            PAGE_W - INSIDE,
            &format!("{lang}: page 3 heading ends"),
        );
        let number = run(&runs, 3, "3");
        near(
            number.x_pt,
            OUTSIDE,
            &format!("{lang}: page 3's number starts"),
        );
        // Page 4 is a right-hand page: the spine is on its left.
        let heading = runs
            .iter()
            .filter(|r| r.page == 4 && r.size_pt > 18.0)
            .map(right)
            .fold(0.0, f64::max);
        near(
            heading,
            PAGE_W - OUTSIDE,
            &format!("{lang}: page 4 heading ends"),
        );
        let number = runs
            .iter()
            .rfind(|r| r.page == 4 && r.text.trim() == "4")
            .unwrap();
        near(
            right(number),
            PAGE_W - OUTSIDE,
            &format!("{lang}: page 4's number ends"),
        );
    }
    // The English source, for contrast: page 3 is a right-hand page, text starts at the left.
    let made = make(&p, "sample", &["booklet"]);
    let runs = runs_of(&made, "booklet");
    near(
        run(&runs, 3, "Before").x_pt,
        INSIDE,
        "English heading starts",
    );
}

#[test]
fn the_words_of_a_line_run_from_right_to_left() {
    let p = samples(true);
    let made = make(&p, "sample.ar", &["booklet"]);
    let runs = runs_of(&made, "booklet");
    // "تعال إلى الاستقبال الرئيسي قبل موعدك بـ **15 دقيقة**. ستقابلك ممرضة هناك."
    let first = run(&runs, 3, "تعال");
    let bold = run(&runs, 3, "دقيقة");
    let after = run(&runs, 3, "ستقابلك");
    assert!(bold.bold && !first.bold);
    assert_eq!(
        (first.y_pt, bold.y_pt),
        (after.y_pt, after.y_pt),
        "one line"
    );
    assert!(
        right(bold) <= first.x_pt + 0.5,
        "the bold words come after, to the left"
    );
    assert!(
        right(after) <= bold.x_pt + 0.5,
        "and the next sentence after them"
    );
    // The same sentence in English runs the other way.
    let made = make(&p, "sample", &["booklet"]);
    let runs = runs_of(&made, "booklet");
    assert!(right(run(&runs, 3, "Come to")) <= run(&runs, 3, "15 minutes").x_pt + 0.5);
}

#[test]
fn list_markers_and_call_out_bars_stand_at_the_right() {
    let p = samples(true);
    let made = make(&p, "sample.ar", &["booklet"]);
    let runs = runs_of(&made, "booklet");
    let markers: Vec<&TextRun> = runs
        .iter()
        .filter(|r| r.page == 3 && r.text.trim() == "•")
        .collect();
    assert_eq!(markers.len(), 3, "three items");
    for marker in &markers {
        let item: Vec<&TextRun> = runs
            .iter()
            .filter(|r| r.page == 3 && r.y_pt == marker.y_pt && r.text.trim() != "•")
            .collect();
        assert!(!item.is_empty());
        for r in item {
            assert!(right(r) < marker.x_pt, "{:?} is left of its marker", r.text);
        }
    }
    // The note on page 3: its label at the right, inside its bar; the bar (0.3 em wide,
    // centred on the box's edge) at the right edge, where its lines start; none at the left.
    let label = run(&runs, 3, "ملاحظة");
    near(
        right(label),
        PAGE_W - INSIDE - 0.9 * 1.1 * 12.0,
        "the label ends inside the bar",
    );
    let doc = &made
        .iter()
        .find(|m| m.edition == "booklet")
        .unwrap()
        .doc()
        .unwrap();
    let bars: Vec<_> = marks(doc)
        .into_iter()
        .filter(|m| m.page == 3 && !m.image && m.height_pt > 20.0 && m.width_pt < 5.0)
        .filter(|m| m.y_pt < label.y_pt && label.y_pt < m.y_pt + m.height_pt)
        .collect();
    assert_eq!(bars.len(), 1, "one bar beside the note: {bars:?}");
    near(
        bars[0].x_pt + bars[0].width_pt / 2.0,
        PAGE_W - INSIDE,
        "the bar's middle",
    );
}

#[test]
fn the_dl_leaflet_opens_the_other_way() {
    let p = samples(true);
    let sheet_w = 297.0 * MM;
    for (key, rtl) in [("sample.ar", true), ("sample.ur", true), ("sample", false)] {
        let made = make(&p, key, &["leaflet-dl"]);
        let runs = runs_of(&made, "leaflet-dl");
        // The title, on the front cover: the left panel right to left, the right one otherwise.
        let title = runs
            .iter()
            .filter(|r| r.page == 1)
            .max_by(|a, b| a.size_pt.total_cmp(&b.size_pt))
            .unwrap();
        let front_left = right(title) < 100.0 * MM;
        let front_right = title.x_pt > 197.0 * MM;
        assert_eq!((front_left, front_right), (rtl, !rtl), "{key}: {title:?}");
        // Inside, the text starts in the right-hand column and ends in the left-hand one.
        let headings: Vec<&TextRun> = runs
            .iter()
            .filter(|r| r.page == 2 && r.size_pt > 14.0)
            .collect();
        let (first, last) = (headings.first().unwrap(), headings.last().unwrap());
        if rtl {
            assert!(
                first.x_pt > sheet_w * 2.0 / 3.0,
                "{key}: first section at the right"
            );
            assert!(
                right(last) < first.x_pt,
                "{key}: the text goes on to the left"
            );
            // The right-hand column's text ends at its panel's margin (10.875 mm).
            let column = runs
                .iter()
                .filter(|r| r.page == 2 && r.x_pt > sheet_w * 2.0 / 3.0)
                .map(right)
                .fold(0.0, f64::max);
            // (Within 2 pt: the inside is a placed block beside "Your hospital team",
            // and the widest line's last glyph may stop short of the column by a side
            // bearing.)
            let want = sheet_w - 10.875 * MM;
            assert!(
                (column - want).abs() < 2.0,
                "{key}: first column ends at {column:.1} pt, want {want:.1} pt"
            );
        } else {
            assert!(
                right(first) < sheet_w / 3.0,
                "{key}: first section at the left"
            );
            assert!(
                last.x_pt >= first.x_pt,
                "{key}: the text goes on to the right"
            );
        }
    }
}

/// On each imposed page (one sheet side), the source pages placed, from left to right.
fn sides(doc: &typst_layout::PagedDocument) -> Vec<Vec<usize>> {
    fn walk(frame: &Frame, ts: Transform, out: &mut Vec<(f64, usize)>) {
        for (pos, item) in frame.items() {
            let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
            match item {
                FrameItem::Group(g) => walk(&g.frame, here.pre_concat(g.transform), out),
                FrameItem::Image(image, _, _) => {
                    if let ImageKind::Pdf(pdf) = image.kind() {
                        out.push((
                            Point::zero().transform(here).x.to_pt(),
                            pdf.page_index() + 1,
                        ));
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
            placed.into_iter().map(|(_, k)| k).collect()
        })
        .collect()
}

#[test]
fn the_imposed_right_to_left_booklet_opens_from_the_other_side() {
    let p = samples(true);
    let made = make(&p, "sample.ar", &["booklet-imposed"]);
    let imposed = made
        .iter()
        .find(|m| m.edition == "booklet-imposed")
        .unwrap();
    let n = made
        .iter()
        .find(|m| m.edition == "booklet-print")
        .unwrap()
        .doc()
        .unwrap()
        .pages()
        .len();
    assert_eq!(n, 8);
    // Front cover on the left half of the first side, back cover on the right: mirrored.
    assert_eq!(
        sides(imposed.doc().unwrap()),
        [vec![1, 8], vec![7, 2], vec![3, 6], vec![5, 4]]
    );
    let made = make(&p, "sample", &["booklet-imposed"]);
    let imposed = made
        .iter()
        .find(|m| m.edition == "booklet-imposed")
        .unwrap();
    assert_eq!(
        sides(imposed.doc().unwrap()),
        [vec![8, 1], vec![2, 7], vec![6, 3], vec![4, 5]]
    );
    // The print room is told the same order.
    p.folio(&["build", "sample.ar", "--edition", "booklet-imposed"])
        .succeeds();
    let sheet =
        std::fs::read_to_string(p.root().join("dist/sample/ar/sample-ar-print-spec.txt")).unwrap();
    assert!(sheet.contains("1|8 7|2 3|6 5|4"), "{sheet}");
}
