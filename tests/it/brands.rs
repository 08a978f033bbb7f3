//! "Your hospital team": write-in lines when unbranded, a partner's details when branded,
//! where a patient looks for them in every leaflet and the booklet; tagged for screen
//! readers; and the DL leaflet read in the reader's order. `folio build --brand`.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use folio::content::logo;
use folio::contract::{self, Personal, Stamp};
use folio::inspect::{flat_text, text_runs};
use folio::pipeline::Made;
use folio::project::brand;

use crate::support::{copy_tree, repo, Pdf, TestProject};

/// The example brand shipped in the repository.
pub const EXAMPLE: &str = "riverside-example";

/// The shipped project and content, with the shipped brands.
pub fn shipped_with_brands() -> TestProject {
    let p = TestProject::shipped();
    copy_tree(&repo().join("brands"), &p.root().join("brands"));
    p
}

/// Makes `edition` of the shipped publication for `brand_id`, personalised when asked.
pub fn make_branded(
    p: &TestProject,
    edition: &str,
    brand_id: &str,
    personal: Option<&Personal>,
) -> Made {
    let session = p.session();
    let publication = session.load(&crate::support::key("all-treatment")).unwrap();
    let brand = brand::load(p.root(), brand_id).unwrap();
    let logo = logo::load(&brand).unwrap();
    let stamp = Stamp {
        brand: Some(Arc::new(contract::brand(&brand, logo.as_ref(), personal))),
        ..Stamp::default()
    };
    crate::support::make_with(&session, &publication, edition, &stamp).unwrap()
}

/// pdfinfo from poppler-utils, installed by the tests' own setup when missing (as root).
pub fn ensure_poppler() {
    if Command::new("pdfinfo").arg("-v").output().is_ok() {
        return;
    }
    let script = repo().join("tests/setup/install-poppler.sh");
    let status = Command::new("bash").arg(&script).status().unwrap();
    assert!(status.success(), "run {} as root", script.display());
}

/// The headings of a PDF's structure tree, in the order a screen reader reads them
/// (`pdfinfo -struct-text`), as "H2 Title".
pub fn tagged_headings(pdf: &[u8]) -> Vec<String> {
    ensure_poppler();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdfinfo")
        .arg("-struct-text")
        .arg(&file)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| l.len() > 3 && l.starts_with('H') && l.as_bytes()[1].is_ascii_digit())
        .map(|l| {
            let (tag, rest) = l.split_once(' ').unwrap_or((l, ""));
            let title = rest.split('"').nth(1).unwrap_or("");
            format!("{tag} {title}")
        })
        .collect()
}

/// The alternative text of every figure in a PDF's structure tree.
pub fn figure_alts(pdf: &[u8]) -> Vec<String> {
    let pdf = Pdf::parse(pdf);
    pdf.doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"S").ok().and_then(|s| s.as_name().ok()) == Some(b"Figure"))
        .filter_map(|d| d.get(b"Alt").ok()?.as_str().ok().map(decode_pdf_text))
        .collect()
}

fn decode_pdf_text(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = utf16
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// Renders page `page` of `pdf` to a PNG under target/ (to look at; not asserted).
pub fn keep_picture(pdf: &[u8], page: u32, name: &str) {
    ensure_poppler();
    let out = repo().join("target/pictures");
    std::fs::create_dir_all(&out).unwrap();
    let file = out.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).unwrap();
    let _ = Command::new("pdftoppm")
        .args(["-r", "60", "-png", "-singlefile", "-f", &page.to_string()])
        .args(["-l", &page.to_string()])
        .arg(&file)
        .arg(out.join(name))
        .status();
}

fn leftmost_x(made: &Made, page: usize, text: &str) -> f64 {
    text_runs(made.doc().unwrap())
        .into_iter()
        .filter(|r| r.page == page && r.text.contains(text))
        .map(|r| r.x_pt)
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn an_unbranded_dl_leaflet_has_write_in_lines_in_its_third_inside_panel() {
    let p = TestProject::shipped();
    let made = p.make("all-treatment", "leaflet-dl").unwrap();
    assert_eq!(made.doc().unwrap().pages().len(), 2);
    let text = flat_text(made.doc().unwrap());
    for label in [
        "Your hospital team",
        "Your specialist nurse:",
        "Phone:",
        "Ward or clinic:",
    ] {
        assert!(text.contains(label), "{label} missing from {text}");
    }
    // The third inside panel starts 200 mm from the left edge of the inside.
    let x_mm = leftmost_x(&made, 2, "hospital") / 72.0 * 25.4;
    assert!(x_mm > 200.0, "the block starts at {x_mm:.0} mm");
    let fit = folio::inspect::fit_report(made.doc().unwrap()).unwrap();
    assert!(fit.needed <= fit.available, "{fit:?}");
    keep_picture(&made.file.bytes, 2, "leaflet-dl-unbranded-inside");
}

#[test]
fn the_dl_leaflet_is_tagged_in_the_readers_order_not_the_print_order() {
    let p = TestProject::shipped();
    let made = p.make("all-treatment", "leaflet-dl").unwrap();
    let headings = tagged_headings(&made.file.bytes);
    let at = |h: &str| {
        headings
            .iter()
            .position(|x| x.contains(h))
            .unwrap_or_else(|| panic!("{h} not tagged: {headings:?}"))
    };
    assert!(headings[0].starts_with("H1 Treatment"), "{headings:?}");
    // Front cover, the three inside panels (text, then the team), then the flap and the back.
    assert!(at("Treatment at a glance") < at("Getting support"));
    assert!(at("Getting support") < at("Your hospital team"));
    assert!(at("Your hospital team") < at("About this information"));
    assert!(at("About this information") < at("Find out more"));
    // The print order is unchanged: page 1 the outside (cover on the right), page 2 the inside.
    assert!(leftmost_x(&made, 1, "Find out more") < leftmost_x(&made, 1, "Treatment"));
    assert!(flat_text_of_page(&made, 2).contains("Getting support"));
}

fn flat_text_of_page(made: &Made, page: usize) -> String {
    text_runs(made.doc().unwrap())
        .into_iter()
        .filter(|r| r.page == page)
        .map(|r| r.text)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_a5_leaflet_and_the_booklet_carry_the_block_on_the_back_and_the_inside_back_cover() {
    let p = TestProject::shipped();
    for (edition, from_end) in [("leaflet-a5", 0), ("booklet", 1)] {
        let made = p.make("all-treatment", edition).unwrap();
        let page = made.doc().unwrap().pages().len() - from_end;
        let text = flat_text_of_page(&made, page);
        assert!(text.contains("Your hospital team"), "{edition}: {text}");
        assert!(text.contains("Ward or clinic:"), "{edition}: {text}");
        let headings = tagged_headings(&made.file.bytes);
        assert!(
            headings.iter().any(|h| h == "H2 Your hospital team"),
            "{edition}: {headings:?}"
        );
        assert!(
            made.findings
                .iter()
                .all(|f| f.code.name() != "text-overflows-pages"),
            "{edition} does not fit"
        );
    }
}

#[test]
fn a_branded_dl_leaflet_shows_the_partners_logo_name_and_numbers_tagged() {
    let p = shipped_with_brands();
    let made = make_branded(&p, "leaflet-dl", EXAMPLE, None);
    let text = flat_text(made.doc().unwrap());
    for part in [
        "Riverside Example Hospitals (fictional)",
        "Haematology Day Unit, Ward 7",
        "Day unit: 01632 960 123 (8am to 6pm)",
        "riverside-hospital.example",
    ] {
        assert!(text.contains(part), "{part} missing from {text}");
    }
    assert!(
        !text.contains("Ward or clinic:"),
        "no write-in lines: {text}"
    );
    assert_eq!(
        figure_alts(&made.file.bytes),
        ["Logo of Riverside Example Hospitals (fictional)"]
    );
    assert!(folio::inspect::marks(made.doc().unwrap())
        .iter()
        .any(|m| m.image && m.page == 2));
    assert!(made
        .findings
        .iter()
        .all(|f| f.severity != folio::diag::Severity::Error));
    keep_picture(&made.file.bytes, 2, "leaflet-dl-branded-inside");
}

#[test]
fn a_personalised_leaflet_and_booklet_show_the_patients_contact() {
    let p = shipped_with_brands();
    let personal = Personal {
        contact_name: "Sam Example".into(),
        role: "Clinical nurse specialist".into(),
        phone: "01632 960 456".into(),
        hours: "Monday to Friday, 9am to 5pm".into(),
        note: "Ring before your next visit.".into(),
    };
    for edition in ["leaflet-dl", "booklet", "leaflet-a5"] {
        let made = make_branded(&p, edition, EXAMPLE, Some(&personal));
        keep_picture(
            &made.file.bytes,
            made.doc().unwrap().pages().len() as u32,
            &format!("{edition}-personal"),
        );
        let text = flat_text(made.doc().unwrap());
        for part in [
            "Your contact: Sam Example",
            "Role: Clinical nurse specialist",
            "Phone: 01632 960 456",
            "Ring before your next visit.",
        ] {
            assert!(text.contains(part), "{edition}: {part} missing from {text}");
        }
        assert!(
            made.findings
                .iter()
                .all(|f| f.severity != folio::diag::Severity::Error),
            "{edition}: {:?}",
            made.findings
        );
    }
}

#[test]
fn a_logo_too_small_for_print_is_refused_at_its_file() {
    let p = shipped_with_brands();
    let dir = p.root().join("brands").join(EXAMPLE);
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(200, 80, image::Rgb([0, 0, 0]))
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    std::fs::write(dir.join("logo.png"), png.into_inner()).unwrap();
    let brand = brand::load(p.root(), EXAMPLE).unwrap();
    let err = logo::load(&brand).unwrap_err();
    assert!(
        err.message.contains("print needs 300 dpi"),
        "{}",
        err.message
    );
    assert!(err
        .location
        .unwrap()
        .file
        .ends_with(Path::new("riverside-example/logo.png")));
}

#[test]
fn the_shipped_brand_is_valid_and_fictional() {
    let brands = brand::load_all(&repo()).unwrap();
    let example = &brands[EXAMPLE];
    assert!(example.name.contains("fictional"));
    let logo = logo::load(example).unwrap().unwrap();
    assert!(logo.png.starts_with(b"\x89PNG"));
}

#[test]
fn every_brandable_edition_of_the_shipped_content_fits_with_the_example_brand() {
    let p = shipped_with_brands();
    for edition in ["leaflet-dl", "leaflet-a5", "booklet"] {
        let made = make_branded(&p, edition, EXAMPLE, None);
        keep_picture(
            &made.file.bytes,
            made.doc().unwrap().pages().len() as u32,
            &format!("{edition}-branded"),
        );
        assert!(
            made.findings
                .iter()
                .all(|f| f.severity != folio::diag::Severity::Error),
            "{edition}: {:?}",
            made.findings
        );
    }
}

/// The text of a PDF as pdftotext reads it (a person copying from the page).
pub fn pdf_text(pdf: &[u8]) -> String {
    ensure_poppler();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn build_all_brands_writes_each_brandable_edition_under_the_brands_folder() {
    crate::formats::ensure_liblouis();
    let p = shipped_with_brands();
    p.folio(&["build", "--all-brands"]).succeeds();
    let dir = p.root().join("dist/all-treatment/brands").join(EXAMPLE);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "all-treatment-booklet.pdf",
            "all-treatment-braille.brf",
            "all-treatment-braille.txt",
            "all-treatment-ebook.epub",
            "all-treatment-leaflet-a5.pdf",
            "all-treatment-leaflet-dl.pdf"
        ]
    );
    let dl = std::fs::read(dir.join("all-treatment-leaflet-dl.pdf")).unwrap();
    assert_eq!(Pdf::parse(&dl).page_count(), 2);
    let text = pdf_text(&dl);
    assert!(
        text.contains("Riverside Example Hospitals (fictional)"),
        "{text}"
    );
    // The unbranded editions are the same bytes as a build without brands.
    let unbranded = p.pdf("all-treatment", "leaflet-dl");
    p.folio(&["build"]).succeeds();
    assert_eq!(unbranded, p.pdf("all-treatment", "leaflet-dl"));
    assert!(pdf_text(&unbranded).contains("Ward or clinic:"));
}

#[test]
fn co_branded_pdfs_stay_while_the_publication_is_unchanged_and_go_when_it_changes() {
    let p = shipped_with_brands();
    p.folio(&["build", "--brand", EXAMPLE, "--edition", "leaflet-dl"])
        .succeeds();
    let dir = p.root().join("dist/all-treatment/brands").join(EXAMPLE);
    let branded = std::fs::read(dir.join("all-treatment-leaflet-dl.pdf")).unwrap();
    // Built again without the brand: the unbranded PDF is the same, so the co-branded one
    // is still current and stays.
    p.folio(&["build", "--edition", "leaflet-dl"]).succeeds();
    assert_eq!(
        std::fs::read(dir.join("all-treatment-leaflet-dl.pdf")).unwrap(),
        branded
    );
    // The text changes: the co-branded PDF would show the older version, so it goes.
    let md = p.root().join("content/all-treatment/all-treatment.md");
    let text = std::fs::read_to_string(&md).unwrap();
    let changed = text.replacen("treatment", "treatments", 1);
    assert_ne!(changed, text);
    std::fs::write(&md, changed).unwrap();
    let out = p.folio(&["build", "--edition", "leaflet-dl"]);
    out.succeeds();
    assert!(!dir.exists(), "the older co-branded PDFs are removed");
    assert!(
        out.stderr
            .contains("co-branded PDFs for `riverside-example` were removed")
            && out.stderr.contains("--brand riverside-example"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_mistake_in_a_brand_file_stops_the_build_with_its_place() {
    let p = shipped_with_brands();
    p.file(
        "brands/broken/brand.yaml",
        b"name: Broken Example\ncontact: [\"01632 960 000\"]\napproved-by: Ed\napproved-on: 2026-01-01\nfax: 01632 960 001\n",
    );
    let out = p.folio(&["build", "--brand", "broken"]);
    out.fails_with(&["unknown field `fax`", "brands/broken/brand.yaml:5:1"]);
    assert_eq!(out.code, 2);
    assert!(!p.root().join("dist").exists(), "nothing was written");
    p.folio(&["build", "--brand", "nobody"])
        .fails_with(&["no brand called `nobody`", "broken, riverside-example"]);
}

#[test]
fn the_shipped_content_passes_check_strict_with_the_block_in_every_edition() {
    let p = shipped_with_brands();
    let out = p.folio(&["check", "--strict"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// Every field of the personalisation form at its length limit (`folio serve`'s form),
/// as words a person might type (a phone number of digits and spaces).
pub fn personal_at_its_limits() -> Personal {
    use folio::cmd::serve::form::FIELDS;
    let fill = |name: &str, word: &str| {
        let max = FIELDS.iter().find(|f| f.name == name).unwrap().max;
        let text: String = word.chars().cycle().take(max).collect();
        // No space at the end: the form trims it, and the value would be shorter.
        text.trim_end().to_string() + &"x".repeat(max - text.trim_end().chars().count())
    };
    Personal {
        contact_name: fill("contact-name", "Samantha "),
        role: fill("role", "Specialist "),
        phone: fill("phone", "01632 "),
        hours: fill("hours", "Mondays "),
        note: fill("note", "Bring this "),
    }
}
