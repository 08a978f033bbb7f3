//! Braille and the e-book as editions of `folio build`: made, cached, listed in the
//! catalogue like the PDFs, and skipped with one clear message on a machine without liblouis.

use crate::support::TestProject;

/// The shipped project with the `folio` binary run with PATH holding only `dir`.
fn build_with_path(p: &TestProject, path: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build"])
        .current_dir(p.root())
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .env("FOLIO_TODAY", crate::support::TODAY)
        .env("PATH", path)
        .env_remove("FOLIO_ROOT")
        .output()
        .unwrap()
}

#[test]
fn build_writes_braille_and_an_e_book_and_the_catalogue_lists_them() {
    super::ensure_liblouis();
    let p = TestProject::shipped();
    let out = p.folio(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let dir = p.root().join("dist/all-treatment");
    let brf = std::fs::read(dir.join("all-treatment-braille.brf")).unwrap();
    let unicode = std::fs::read_to_string(dir.join("all-treatment-braille.txt")).unwrap();
    assert!(brf.contains(&b'\x0c'), "pages are separated by form feeds");
    assert!(unicode
        .chars()
        .any(|c| ('\u{2800}'..='\u{28ff}').contains(&c)));
    let epub = std::fs::read(dir.join("all-treatment-ebook.epub")).unwrap();
    assert!(epub.starts_with(b"PK"));
    assert_eq!(&epub[30..38], b"mimetype");

    let entry: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("entry.json")).unwrap()).unwrap();
    let files = entry["files"].as_array().unwrap();
    let file = |edition: &str| {
        files
            .iter()
            .find(|f| f["edition"] == edition)
            .unwrap()
            .clone()
    };
    let braille = file("braille");
    assert_eq!(braille["path"], "all-treatment-braille.brf");
    assert_eq!(braille["profile"], "braille");
    assert_eq!(braille["bytes"], brf.len());
    assert!(braille["pages"].as_u64().unwrap() > 5);
    assert_eq!(file("ebook")["path"], "all-treatment-ebook.epub");
    let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(page.contains("Braille (BRF, UEB grade 2),"), "{page}");
    assert!(page.contains("E-book (EPUB 3),"));
    assert!(page.contains("href=\"all-treatment-braille.brf\""));

    // Unchanged: not made again, and nothing lost.
    let again = p.folio(&["build"]);
    assert!(again.stderr.contains("unchanged"), "{}", again.stderr);
    assert_eq!(
        std::fs::read(dir.join("all-treatment-braille.brf")).unwrap(),
        brf
    );
}

#[test]
fn without_liblouis_the_build_succeeds_says_once_what_it_skipped_and_lists_no_braille() {
    let p = TestProject::shipped();
    // A PATH without lou_translate (folio itself is run by its full path).
    let empty = tempfile::tempdir().unwrap();
    let out = build_with_path(&p, empty.path().to_str().unwrap());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stderr.matches("the braille edition was skipped").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("apt-get install liblouis-bin"), "{stderr}");
    let dir = p.root().join("dist/all-treatment");
    assert!(!dir.join("all-treatment-braille.brf").exists());
    assert!(dir.join("all-treatment-ebook.epub").exists());
    let entry = std::fs::read_to_string(dir.join("entry.json")).unwrap();
    assert!(!entry.contains("braille"), "{entry}");
}

#[test]
fn build_brand_writes_a_braille_file_and_an_e_book_that_carry_the_partners_contact_block() {
    use super::braille::{back_translate, words};
    use super::epub::{ace_violations, epubcheck, zip_entry};
    use crate::brands::{shipped_with_brands, EXAMPLE};
    super::ensure_liblouis();
    let p = shipped_with_brands();
    // An ampersand in the partner's details: escaped in the book, translated in braille.
    let yaml = p.root().join("brands").join(EXAMPLE).join("brand.yaml");
    let text = std::fs::read_to_string(&yaml)
        .unwrap()
        .replace("Haematology Day Unit", "Haematology & Oncology Day Unit");
    std::fs::write(&yaml, text).unwrap();
    let args = [
        "build",
        "--brand",
        EXAMPLE,
        "--edition",
        "braille",
        "--edition",
        "ebook",
    ];
    p.folio(&args).succeeds();
    let dir = p.root().join("dist/all-treatment/brands").join(EXAMPLE);

    // The e-book: "Your hospital team" gives the partner's details as text, and neither
    // EPUBCheck nor Ace by DAISY finds anything wrong with the book.
    let book = dir.join("all-treatment-ebook.epub");
    let text = zip_entry(&std::fs::read(&book).unwrap(), "EPUB/text.xhtml");
    let team = &text[text.find(r#"id="team""#).expect("the team section")..];
    for line in [
        "Riverside Example Hospitals (fictional)",
        "Haematology &amp; Oncology Day Unit, Ward 7",
        "Day unit: 01632 960 123 (8am to 6pm)",
        "Out of hours: 01632 960 999",
        "www.riverside-hospital.example",
    ] {
        assert!(team.contains(line), "{line}: {team}");
    }
    let (ok, report) = epubcheck(&book);
    assert!(ok, "{report}");
    let violations = ace_violations(&book);
    assert!(violations.is_empty(), "{}", violations.join("\n"));

    // Braille: liblouis reads the partner's phone numbers back from the BRF file, and the
    // Unicode copy goes with it; the public braille file has lines to write on instead.
    let brf = std::fs::read_to_string(dir.join("all-treatment-braille.brf")).unwrap();
    let back = words(&back_translate("en-ueb-g2.ctb", &brf));
    for phone in ["01632 960 123", "01632 960 999"] {
        assert!(back.contains(phone), "{phone}: {back}");
    }
    let unicode = std::fs::read_to_string(dir.join("all-treatment-braille.txt")).unwrap();
    assert_eq!(
        unicode.matches('\u{c}').count(),
        brf.matches('\u{c}').count()
    );
    let public = std::fs::read_to_string(
        p.root()
            .join("dist/all-treatment/all-treatment-braille.brf"),
    )
    .unwrap();
    assert!(!back_translate("en-ueb-g2.ctb", &public).contains("01632"));
}

#[test]
fn build_previews_draws_each_braille_page_and_keeps_the_picture_beside_the_print_page() {
    use super::braille::{lou_translate, words};
    super::ensure_liblouis();
    let p = TestProject::shipped();
    p.folio(&[
        "build",
        "--previews",
        "--edition",
        "booklet",
        "--edition",
        "braille",
    ])
    .succeeds();
    let dist = p.root().join("dist/all-treatment");
    let brf = std::fs::read_to_string(dist.join("all-treatment-braille.brf")).unwrap();
    let braille_pages: Vec<&str> = brf.split('\u{c}').collect();
    let previews = dist.join("preview/braille");
    // A picture per braille page, 40 cells by 25 lines, and the contact sheet.
    for n in 1..=braille_pages.len() {
        let page = image::open(previews.join(format!("page-{n:02}.png"))).unwrap();
        assert_eq!((page.width(), page.height()), (878, 907), "page {n}");
    }
    assert!(!previews
        .join(format!("page-{:02}.png", braille_pages.len() + 1))
        .exists());
    assert!(previews.join("contact-sheet.png").is_file());

    // The same section in print and in braille, side by side (README "Braille and
    // e-books" shows it as docs/braille.png): kept under target/pictures/ to look at.
    let heading = "How ALL is treated";
    let booklet = p.make("all-treatment", "booklet").unwrap();
    // The heading itself, not its contents entry: the largest text that says it.
    let print_page = folio::inspect::text_runs(booklet.doc().unwrap())
        .into_iter()
        .filter(|r| r.text.contains("How ALL is"))
        .max_by(|a, b| a.size_pt.total_cmp(&b.size_pt))
        .expect("the heading is printed")
        .page;
    // liblouis writes the cells of 0x60–0x7F (`{` for dots 246); BRF has them 0x20 lower.
    let in_braille: String = words(&lou_translate("en-ueb-g2.ctb", heading))
        .chars()
        .map(|c| match c {
            '`'..='~' => char::from(c as u8 - 0x20),
            c => c,
        })
        .collect();
    let braille_page = braille_pages
        .iter()
        .position(|page| page.split("\r\n").any(|l| words(l) == in_braille))
        .expect("the heading is in braille")
        + 1;
    let print = image::open(dist.join(format!("preview/booklet/page-{print_page:02}.png")))
        .unwrap()
        .to_rgba8();
    let braille = image::open(previews.join(format!("page-{braille_page:02}.png")))
        .unwrap()
        .to_rgba8();
    let gap = 24;
    let mut both = image::RgbaImage::from_pixel(
        3 * gap + print.width() + braille.width(),
        2 * gap + print.height().max(braille.height()),
        image::Rgba([226, 229, 233, 255]),
    );
    image::imageops::overlay(&mut both, &print, gap as i64, gap as i64);
    let x = 2 * gap + print.width();
    image::imageops::overlay(&mut both, &braille, x as i64, gap as i64);
    let out = crate::support::repo().join("target/pictures");
    std::fs::create_dir_all(&out).unwrap();
    both.save(out.join("braille.png")).unwrap();
}
