//! The static catalogue `folio build` writes for hospitals: `dist/index.html`, each
//! publication's web edition, `catalogue.json` (against its JSON Schema), the Atom feed,
//! currency labels, escaping, atomic replacement, and the product code in every PDF.

mod brands;
mod browser;
mod currency;
mod data;
mod feed;
mod scale;
mod web;

use std::path::Path;

use scraper::{ElementRef, Html, Selector};

use crate::support::{Pdf, TestProject};

/// A publication's Markdown: front matter with `title` and `next_review`, then `body`.
pub fn publication(title: &str, code: &str, next_review: &str, body: &str) -> String {
    format!(
        "---\ntitle: '{}'\nsubtitle: What it is and how it is treated\nlanguage: en-GB\n\
         product-code: {code}\nversion: \"2.1\"\ndate-reviewed: 2026-06-01\n\
         next-review: {next_review}\nreferences:\n  - \"A reference. Journal of Tests. 2025.\"\n\
         reviewers:\n  - \"A Reviewer, Clinical Nurse Specialist\"\n---\n\n{body}",
        title.replace('\'', "''")
    )
}

/// A short body that fits every edition, leaflets too.
pub const BODY: &str = "You have a blood test to check your blood cells.\n\n## Tests\n\nA nurse takes a small sample from your arm.\n";

pub fn read(p: &TestProject, rel: &str) -> String {
    std::fs::read_to_string(p.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn page(p: &TestProject, rel: &str) -> Html {
    Html::parse_document(&read(p, rel))
}

pub fn all<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

/// The text a reader sees in `el`, with runs of white space as one space.
pub fn text(el: &ElementRef) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn texts(html: &Html, css: &str) -> Vec<String> {
    all(html, css).iter().map(text).collect()
}

/// Two publications, the one later in the alphabet written first.
pub fn two_publications() -> TestProject {
    let p = TestProject::new();
    p.publication(
        "zz-bone",
        &publication("Bone marrow tests", "TEST-002", "2029-06-01", BODY),
    );
    p.publication(
        "aa-blood",
        &publication("Blood tests", "TEST-001", "2029-06-01", BODY),
    );
    p.folio(&["build"]).succeeds();
    p
}

pub fn catalogue_json(p: &TestProject) -> serde_json::Value {
    serde_json::from_str(&read(p, "dist/catalogue.json")).unwrap()
}

#[test]
fn the_catalogue_lists_every_publication_by_title_with_its_files_described() {
    let p = two_publications();
    let index = page(&p, "dist/index.html");
    assert_eq!(
        texts(&index, ".pubs > li > h2"),
        ["Blood tests", "Bone marrow tests"]
    );
    let first = all(&index, ".pubs > li")[0];
    let one = |css: &str| first.select(&Selector::parse(css).unwrap()).next();
    assert_eq!(
        one("h2 a").unwrap().attr("href"),
        Some("aa-blood/index.html")
    );
    assert_eq!(
        text(&one(".s").unwrap()),
        "What it is and how it is treated"
    );
    assert_eq!(
        text(&one(".m").unwrap()),
        "TEST-001, version 2.1, English. Reviewed 1 June 2026, next review 1 June 2029."
    );

    // The cover: a real PNG, lazy, with its size and a text alternative.
    let img = one("img").expect("a cover thumbnail");
    let png = std::fs::read(p.root().join("dist").join(img.attr("src").unwrap())).unwrap();
    let (w, h) = image::load_from_memory(&png)
        .unwrap()
        .to_rgb8()
        .dimensions();
    let width: u32 = img.attr("width").unwrap().parse().unwrap();
    let height: u32 = img.attr("height").unwrap().parse().unwrap();
    assert_eq!(
        (w, h),
        (2 * width, 2 * height),
        "drawn at twice its size for sharp screens"
    );
    assert_eq!(img.attr("loading"), Some("lazy"));
    assert_eq!(img.attr("alt"), Some("Booklet cover"));

    // Each screen edition is a download described like a GOV.UK attachment, with true figures.
    let downloads: Vec<ElementRef> = first.select(&Selector::parse("ul.f a").unwrap()).collect();
    let described: Vec<String> = downloads.iter().map(text).collect();
    // The six PDFs, the braille file and the e-book.
    assert_eq!(described.len(), 8, "{described:?}");
    let booklet = downloads
        .iter()
        .find(|a| a.attr("href") == Some("aa-blood/aa-blood-booklet.pdf"))
        .expect("the booklet is offered");
    assert_eq!(
        text(booklet),
        description(&p, "aa-blood", "booklet", "Booklet (A5)")
    );
    let large = description(&p, "aa-blood", "large-print", "Large print (A4)");
    assert!(described.contains(&large), "{large} in {described:?}");
    // Print editions are grouped apart, after "For printers".
    let html = first.html();
    let printers = html.find("For printers:").expect("a group for printers");
    for (edition, screen) in [
        ("booklet", true),
        ("large-print", true),
        ("leaflet-a5", true),
        ("booklet-print", false),
        ("booklet-imposed", false),
    ] {
        let at = html.find(&format!("aa-blood-{edition}.pdf")).unwrap();
        assert_eq!(at < printers, screen, "{edition} is in the right group");
    }

    // The search is there for scripts to show, labelled, and its count is announced.
    let form = &all(&index, "form#folio-filters")[0];
    assert!(
        form.attr("hidden").is_some(),
        "without JavaScript the filters stay hidden"
    );
    assert_eq!(
        texts(&index, "label[for=folio-q]"),
        ["Search by title, product code or words"]
    );
    let count = &all(&index, "#folio-count")[0];
    assert_eq!(
        (count.attr("role"), count.attr("aria-live")),
        (Some("status"), Some("polite"))
    );
    assert_eq!(text(count), "2 publications");
    assert!(p.root().join("dist/site.css").is_file() && p.root().join("dist/site.js").is_file());
}

/// How the catalogue should describe a PDF, from the file itself: "Booklet (A5), PDF,
/// 101 KB, 16 pages".
fn description(p: &TestProject, id: &str, edition: &str, what: &str) -> String {
    let bytes = p.pdf(id, edition);
    let kb = (bytes.len() as f64 / 1000.0).round();
    format!(
        "{what}, PDF, {kb} KB, {} pages",
        Pdf::parse(&bytes).page_count()
    )
}

#[test]
fn a_hostile_title_is_shown_as_text_everywhere() {
    let hostile = "<script>alert(1)</script> & \"x\"";
    let p = TestProject::new();
    p.publication(
        "hostile",
        &publication(hostile, "TEST-666", "2029-06-01", BODY),
    );
    p.folio(&["build"]).succeeds();
    for rel in [
        "dist/index.html",
        "dist/hostile/index.html",
        "dist/feed.xml",
    ] {
        let raw = read(&p, rel);
        assert!(
            !raw.contains("<script>alert"),
            "{rel} has the title as markup"
        );
        assert!(
            raw.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"),
            "{rel}"
        );
    }
    assert_eq!(texts(&page(&p, "dist/index.html"), ".pubs h2"), [hostile]);
    assert_eq!(texts(&page(&p, "dist/hostile/index.html"), "h1"), [hostile]);
    let feed = feed_rs::parser::parse(read(&p, "dist/feed.xml").as_bytes()).unwrap();
    assert_eq!(
        feed.entries[0].title.as_ref().unwrap().content,
        format!("{hostile} (version 2.1)")
    );
    assert_eq!(catalogue_json(&p)["publications"][0]["title"], hostile);
    // The only scripts on the pages are the site's own.
    let scripts = all(&page(&p, "dist/index.html"), "script")
        .iter()
        .map(|s| s.attr("src").unwrap_or("inline").to_string())
        .collect::<Vec<_>>();
    assert_eq!(scripts, ["site.js"]);
}

#[test]
fn a_failed_publication_keeps_its_last_good_entry_and_files() {
    let p = two_publications();
    let files = [
        "entry.json",
        "index.html",
        "cover.png",
        "zz-bone-booklet.pdf",
    ];
    let before: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(p.root().join("dist/zz-bone").join(f)).unwrap())
        .collect();
    p.publication(
        "zz-bone",
        &publication(
            "Bone marrow tests, new",
            "TEST-002",
            "2029-06-01",
            "## Tests {.poster}\n\nText.\n",
        ),
    );
    p.folio(&["build"])
        .fails_with(&["no edition or class is called `poster`"]);
    for (f, old) in files.iter().zip(&before) {
        assert_eq!(
            &std::fs::read(p.root().join("dist/zz-bone").join(f)).unwrap(),
            old,
            "{f} kept"
        );
    }
    let index = page(&p, "dist/index.html");
    assert_eq!(
        texts(&index, ".pubs > li > h2"),
        ["Blood tests", "Bone marrow tests"],
        "still listed, as last built"
    );
}

#[test]
fn the_site_is_byte_identical_when_built_again() {
    let p = two_publications();
    let site = [
        "index.html",
        "catalogue.json",
        "feed.xml",
        "aa-blood/index.html",
        "aa-blood/entry.json",
        "aa-blood/cover.png",
    ];
    let first: Vec<Vec<u8>> = site
        .iter()
        .map(|f| std::fs::read(p.root().join("dist").join(f)).unwrap())
        .collect();
    p.folio(&["build"]).succeeds();
    for (f, bytes) in site.iter().zip(first) {
        assert_eq!(
            std::fs::read(p.root().join("dist").join(f)).unwrap(),
            bytes,
            "{f}"
        );
    }
}

#[test]
fn a_publication_with_nothing_to_summarise_gets_a_located_finding() {
    let p = TestProject::new();
    let text = publication(
        "No summary",
        "T-9",
        "2029-06-01",
        "## Tests\n\nA nurse takes a sample.\n",
    )
    .replace("subtitle: What it is and how it is treated\n", "");
    p.publication("bare", &text);
    let out = p.folio(&["check", "--format", "json"]);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    let found: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["code"] == "summary-missing")
        .collect();
    assert_eq!(found.len(), 1, "{}", out.stdout);
    assert_eq!(found[0]["severity"], "warning");
    let location = &found[0]["location"];
    assert!(
        location["file"]
            .as_str()
            .unwrap()
            .ends_with("content/bare/bare.md"),
        "{location}"
    );
    assert_eq!(location["line"], 2, "the title's line: {location}");
    // An opening paragraph is summary enough.
    p.publication(
        "bare",
        &text.replace("## Tests", "Who this is for.\n\n## Tests"),
    );
    let out = p.folio(&["check", "--format", "json"]);
    assert!(!out.stdout.contains("summary-missing"), "{}", out.stdout);
}

#[test]
fn every_pdf_carries_its_product_code_and_version_in_its_xmp_metadata() {
    let p = two_publications();
    for entry in std::fs::read_dir(p.root().join("dist/aa-blood")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "pdf") {
            let xmp = Pdf::parse(&std::fs::read(&path).unwrap()).xmp();
            assert!(
                xmp.contains("<pdf:Keywords>TEST-001, version 2.1</pdf:Keywords>"),
                "{}: {xmp}",
                path.display()
            );
            assert!(
                xmp.contains("Product code TEST-001, version 2.1"),
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn a_site_template_that_leads_out_of_the_project_is_refused() {
    let p = TestProject::new();
    p.publication(
        "aa-blood",
        &publication("Blood tests", "TEST-001", "2029-06-01", BODY),
    );
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.html"), "secret").unwrap();
    let template = p.root().join("layouts/site/publication.html");
    std::fs::remove_file(&template).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.html"), &template).unwrap();
    p.folio(&["build"])
        .fails_with(&["publication.html", "leads outside the project"]);
    assert!(!Path::new(&p.root().join("dist/aa-blood/index.html")).exists());
}
