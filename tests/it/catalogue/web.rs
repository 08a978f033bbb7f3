//! A publication's web edition (`dist/<id>/index.html`): its full text as accessible HTML
//! from the same document model as the PDFs, with the `web` edition marks honoured.

use super::{all, page, publication, read, text};
use crate::support::TestProject;

const BODY: &str = r#"This leaflet is about blood tests.

<!-- only: web -->

You are reading this on the web.

<!-- end -->

## Having the test

A nurse takes blood from your arm. See [the NHS page](https://www.nhs.uk/conditions/blood-tests/) or call [our line](tel:08080000000).

- It takes a few minutes.
- You can eat before it:
  1. unless your doctor says not to
  2. or the test needs fasting

![A nurse taking a blood sample from an arm](images/blood.png "Most tests take a few minutes")

> [!IMPORTANT]
> Tell the nurse if you feel faint.

### Results

| Test | When |
|---|---|
| Full blood count | The same day |
| Liver tests | In two days |

## For the printed booklet only {.not-web}

Turn to the back page for notes.

## In the leaflet {.leaflet}

A short summary.
"#;

fn project() -> TestProject {
    let p = TestProject::new();
    p.publication(
        "blood",
        &publication("Blood tests", "TEST-001", "2029-06-01", BODY),
    );
    let mut png = Vec::new();
    // Grey and big enough for the print editions' preflight (150 dpi at 112 mm).
    image::GrayImage::from_pixel(1400, 1050, image::Luma([128]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    p.file("content/blood/images/blood.png", &png);
    p.folio(&["build"]).succeeds();
    p
}

#[test]
fn the_web_edition_is_the_full_text_as_accessible_html() {
    let p = project();
    let html = page(&p, "dist/blood/index.html");
    let texts = |css: &str| all(&html, css).iter().map(text).collect::<Vec<_>>();
    assert_eq!(all(&html, "html")[0].attr("lang"), Some("en-GB"));
    assert_eq!(texts("h1"), ["Blood tests"]);
    assert_eq!(
        texts(".body h2, .body h3"),
        ["Having the test", "Results"],
        "sections for the web only: not the `.not-web` one nor the leaflet's"
    );
    assert!(read(&p, "dist/blood/index.html").contains("You are reading this on the web."));
    assert_eq!(texts(".body ul > li")[0], "It takes a few minutes.");
    assert_eq!(
        texts(".body ul ol > li"),
        [
            "unless your doctor says not to",
            "or the test needs fasting"
        ]
    );
    assert_eq!(texts("table th[scope=col]"), ["Test", "When"]);
    assert_eq!(
        texts("table tbody tr:first-child td"),
        ["Full blood count", "The same day"]
    );
    assert_eq!(texts("aside.callout .label"), ["Important"]);
    assert!(texts("aside.callout")[0].ends_with("Tell the nurse if you feel faint."));
    let links: Vec<(String, String)> = all(&html, ".body a")
        .iter()
        .map(|a| (text(a), a.attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(
        links,
        [
            (
                "the NHS page".into(),
                "https://www.nhs.uk/conditions/blood-tests/".into()
            ),
            ("our line".into(), "tel:08080000000".into()),
        ]
    );

    // The image is beside the page, with its alt text, size and caption.
    let img = all(&html, "figure img")[0];
    assert_eq!(
        img.attr("alt"),
        Some("A nurse taking a blood sample from an arm")
    );
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("1400"), Some("1050"))
    );
    assert!(p
        .root()
        .join("dist/blood")
        .join(img.attr("src").unwrap())
        .is_file());
    assert_eq!(texts("figcaption"), ["Most tests take a few minutes"]);
}

#[test]
fn the_web_edition_gives_its_dates_references_files_and_other_formats() {
    let p = project();
    let html = page(&p, "dist/blood/index.html");
    let texts = |css: &str| all(&html, css).iter().map(text).collect::<Vec<_>>();
    assert_eq!(
        texts(".facts dd"),
        ["TEST-001", "2.1", "1 June 2026", "1 June 2029"]
    );
    assert_eq!(texts(".refs li"), ["A reference. Journal of Tests. 2025."]);
    // A link to every PDF, each one there.
    let entry: serde_json::Value =
        serde_json::from_str(&read(&p, "dist/blood/entry.json")).unwrap();
    let hrefs: Vec<String> = all(&html, "#folio-files ~ ul a")
        .iter()
        .map(|a| a.attr("href").unwrap().to_string())
        .collect();
    let mut files: Vec<String> = entry["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    let mut linked = hrefs.clone();
    linked.sort();
    files.sort();
    assert_eq!(linked, files);
    for href in &hrefs {
        assert!(p.root().join("dist/blood").join(href).is_file(), "{href}");
    }
    // How to ask for braille, audio or another language, from folio.yaml.
    let formats = read(&p, "dist/blood/index.html");
    let at = formats
        .find("Other formats")
        .expect("an Other formats section");
    assert!(formats[at..].contains("braille (BRF, for an embosser or a braille display)"));
    assert!(formats[at..].contains("audio, easy read or another language"));
    assert!(formats[at..].contains("give the product code TEST-001 and version 2.1"));
}

#[test]
fn translations_are_listed_in_their_language_with_pages_of_their_own() {
    let p = crate::languages::samples(true);
    p.folio(&["build", "--edition", "booklet"]).succeeds();
    let index = page(&p, "dist/index.html");
    let welsh = all(&index, ".pubs > li > h2")
        .into_iter()
        .find(|h| h.attr("lang") == Some("cy-GB"))
        .expect("the Welsh translation is listed, marked as Welsh");
    let link = welsh
        .select(&scraper::Selector::parse("a").unwrap())
        .next()
        .unwrap();
    assert_eq!(link.attr("href"), Some("sample/cy/index.html"));
    assert!(read(&p, "dist/index.html").contains("Welsh (Cymraeg)"));
    let cy = page(&p, "dist/sample/cy/index.html");
    assert_eq!(
        all(&cy, ".crumb a")[0].attr("href"),
        Some("../../index.html")
    );
    assert_eq!(
        all(&cy, "link[rel=stylesheet]")[0].attr("href"),
        Some("../../site.css")
    );
    for a in all(&cy, "#folio-files ~ ul a") {
        let href = a.attr("href").unwrap();
        assert!(
            p.root().join("dist/sample/cy").join(href).is_file(),
            "{href}"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&read(&p, "dist/catalogue.json")).unwrap();
    let paths: Vec<&str> = json["publications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["web"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 5, "{paths:?}");
    assert!(paths.contains(&"sample/cy/index.html"), "{paths:?}");
}
