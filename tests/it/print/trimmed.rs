//! The booklet is cut from booklet-print's pages (`trimmed-from: booklet-print`): the
//! booklet's text is laid out once, at print size, for both files. The screen booklet must
//! still look exactly as when it was laid out on its own, keep its tags and standards, and
//! be the same file however it is made.

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use folio::contract::Stamp;
use folio::pipeline::{schedule, Made, Worlds};

use crate::brands::{ensure_poppler, tagged_headings};
use crate::support::{doc, key, make_with, Pdf, TestProject};

/// The shipped project with `booklet` laid out on its own, as before it was trimmed.
fn laid_out_alone() -> TestProject {
    untrimmed(TestProject::shipped())
}

/// `p` with every `trimmed-from` taken out of its folio.yaml.
fn untrimmed(p: TestProject) -> TestProject {
    let yaml = std::fs::read_to_string(p.root().join("folio.yaml")).unwrap();
    assert!(yaml.contains("trimmed-from: booklet-print"));
    let yaml: String = yaml
        .lines()
        .filter(|l| !l.trim_start().starts_with("trimmed-from:"))
        .map(|l| format!("{l}\n"))
        .collect();
    p.file("folio.yaml", yaml.as_bytes());
    p
}

/// `names` of the shipped publication made in one run, as `folio build` makes them.
fn made_together(p: &TestProject, names: &[&str], stamp: &Stamp) -> Vec<Made> {
    let session = p.session();
    let publication = session.load(&key("all-treatment")).unwrap();
    schedule::make_all(&session, &publication, names, stamp, &mut Worlds::default())
        .into_iter()
        .map(|m| m.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

fn file<'m>(made: &'m [Made], edition: &str) -> &'m [u8] {
    &made
        .iter()
        .find(|m| m.edition == edition)
        .unwrap()
        .file
        .bytes
}

fn made_alone(p: &TestProject, edition: &str, stamp: &Stamp) -> Vec<u8> {
    let session = p.session();
    let publication = session.load(&key("all-treatment")).unwrap();
    make_with(&session, &publication, edition, stamp)
        .unwrap()
        .file
        .bytes
}

/// Every page of `pdf` at 150 dpi, as pdftoppm draws it (PPM bytes).
fn pages_at_150_dpi(pdf: &[u8], dir: &Path, name: &str) -> Vec<Vec<u8>> {
    ensure_poppler();
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-r", "150"])
        .arg(&file)
        .arg(dir.join(name))
        .status()
        .unwrap();
    assert!(status.success());
    let mut pages: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "ppm")
                && p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(&format!("{name}-"))
        })
        .collect();
    pages.sort();
    pages.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

#[test]
fn the_trimmed_booklet_looks_the_same_as_the_booklet_laid_out_alone_page_by_page_at_150_dpi() {
    let trimmed_project = TestProject::shipped();
    let alone_project = laid_out_alone();
    // Plain, and overdue: the overdue banner is a band run into the bleed with text on it.
    let overdue = Stamp {
        overdue_since: Some(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
        ..Stamp::default()
    };
    for (case, stamp) in [("plain", Stamp::default()), ("overdue", overdue)] {
        let together = made_together(&trimmed_project, &["booklet", "booklet-print"], &stamp);
        let booklet = together.iter().find(|m| m.edition == "booklet").unwrap();
        let cut_from = booklet.typeset.as_ref().unwrap().trimmed_from.as_deref();
        assert_eq!(
            cut_from,
            Some("booklet-print"),
            "{case}: the booklet was not trimmed"
        );
        let trimmed = file(&together, "booklet");
        let alone = made_alone(&alone_project, "booklet", &stamp);

        let dir = tempfile::tempdir().unwrap();
        let trimmed_pages = pages_at_150_dpi(trimmed, dir.path(), "trimmed");
        let alone_pages = pages_at_150_dpi(&alone, dir.path(), "alone");
        assert_eq!(trimmed_pages.len(), 16, "{case}");
        assert_eq!(trimmed_pages.len(), alone_pages.len(), "{case}");
        for (n, (t, a)) in trimmed_pages.iter().zip(&alone_pages).enumerate() {
            assert!(t == a, "{case}: page {} differs at 150 dpi", n + 1);
        }

        // The same tags (a screen reader's headings), the same standards, A5 pages with no
        // bleed box.
        assert_eq!(tagged_headings(trimmed), tagged_headings(&alone), "{case}");
        let pdf = Pdf::parse(trimmed);
        assert!(pdf.tagged(), "{case}");
        let xmp = pdf.xmp();
        assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{case}");
        assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{case}");
        let (w, h) = pdf.page_mm(1);
        assert!(
            (w - 148.0).abs() < 0.1 && (h - 210.0).abs() < 0.1,
            "{case}: {w} x {h}"
        );
        assert_eq!(pdf.page_box(1, "BleedBox"), None, "{case}");
        // No registration colour (printer's marks) and no CMYK left in the screen file.
        let text = String::from_utf8_lossy(trimmed);
        assert!(!text.contains("/Separation"), "{case}: marks left in");
        assert!(
            !text.contains("/DeviceCMYK"),
            "{case}: press colours left in"
        );
    }
}

#[test]
fn the_booklet_is_the_same_file_made_alone_or_with_booklet_print_and_the_press_file_is_unchanged() {
    let p = TestProject::shipped();
    let stamp = Stamp::default();
    let together = made_together(&p, &["booklet", "booklet-print"], &stamp);
    assert_eq!(
        file(&together, "booklet"),
        made_alone(&p, "booklet", &stamp).as_slice(),
        "the booklet's bytes depend on what else was made"
    );
    // booklet-print is laid out as it always was.
    let before = made_alone(&laid_out_alone(), "booklet-print", &stamp);
    assert_eq!(file(&together, "booklet-print"), before.as_slice());
}

#[test]
fn text_marked_for_booklet_print_only_gives_the_booklet_a_layout_of_its_own() {
    let p = TestProject::new();
    p.publication(
        "marked",
        &doc("## About\n\nEvery edition has this.\n\n<!-- only: booklet-print -->\n\nOnly the printer's file has this.\n\n<!-- end -->\n"),
    );
    let session = p.session();
    let publication = session.load(&key("marked")).unwrap();
    let made: Vec<Made> = schedule::make_all(
        &session,
        &publication,
        &["booklet", "booklet-print"],
        &Stamp::default(),
        &mut Worlds::default(),
    )
    .into_iter()
    .map(|m| m.unwrap())
    .collect();
    let text = |edition: &str| {
        folio::inspect::flat_text(
            made.iter()
                .find(|m| m.edition == edition)
                .unwrap()
                .doc()
                .unwrap(),
        )
    };
    assert!(text("booklet-print").contains("Only the printer's file has this."));
    assert!(!text("booklet").contains("Only the printer's file has this."));
    assert!(text("booklet").contains("Every edition has this."));
    let booklet = made.iter().find(|m| m.edition == "booklet").unwrap();
    assert_eq!(booklet.typeset.as_ref().unwrap().trimmed_from, None);
}

#[test]
fn a_trimmed_edition_must_name_a_press_edition_of_its_own_layout_and_have_no_bleed() {
    for (yaml, message) in [
        (
            "  wrong:\n    layout: layouts/booklet/booklet.typ\n    trimmed-from: nothing\n",
            "`trimmed-from` names `nothing`, which is not an edition",
        ),
        (
            "  wrong:\n    layout: layouts/large-print/large-print.typ\n    trimmed-from: booklet-print\n",
            "their layouts differ",
        ),
        (
            "  wrong:\n    layout: layouts/booklet/booklet.typ\n    trimmed-from: booklet\n",
            "cannot be trimmed from `booklet`",
        ),
        (
            "  wrong:\n    layout: layouts/booklet/booklet.typ\n    trimmed-from: booklet-print\n    print: { binding: saddle-stitch, bleed-mm: 3 }\n",
            "but has a bleed",
        ),
    ] {
        let p = TestProject::shipped();
        p.add_editions(yaml);
        p.folio(&["build"]).fails_with(&[message, "folio.yaml:"]);
    }
}

#[test]
fn the_welsh_tilt_and_turn_booklet_is_cut_from_its_print_file_with_the_same_pixels() {
    let key = crate::support::key("sample.cy");
    let stamp = Stamp::default();
    let names = ["bilingual-booklet-tilt", "bilingual-booklet-tilt-print"];
    let p = crate::languages::samples(true);
    let session = p.session();
    let publication = session.load(&key).unwrap();
    let together: Vec<Made> = schedule::make_all(
        &session,
        &publication,
        &names,
        &stamp,
        &mut Worlds::default(),
    )
    .into_iter()
    .map(|m| m.unwrap())
    .collect();
    let tilt = together.iter().find(|m| m.edition == names[0]).unwrap();
    let cut_from = tilt.typeset.as_ref().unwrap().trimmed_from.as_deref();
    assert_eq!(cut_from, Some(names[1]), "the tilt booklet was not trimmed");
    let trimmed = &tilt.file.bytes;

    let alone_project = untrimmed(crate::languages::samples(true));
    let session = alone_project.session();
    let publication = session.load(&key).unwrap();
    let alone = make_with(&session, &publication, names[0], &stamp).unwrap();
    assert_eq!(alone.typeset.as_ref().unwrap().trimmed_from, None);
    let alone = alone.file.bytes;
    let dir = tempfile::tempdir().unwrap();
    let trimmed_pages = pages_at_150_dpi(trimmed, dir.path(), "trimmed");
    let alone_pages = pages_at_150_dpi(&alone, dir.path(), "alone");
    assert_eq!(trimmed_pages.len(), alone_pages.len());
    for (n, (t, a)) in trimmed_pages.iter().zip(&alone_pages).enumerate() {
        assert!(t == a, "page {} differs at 150 dpi", n + 1);
    }
}
