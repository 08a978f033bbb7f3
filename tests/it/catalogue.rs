//! The static catalogue `folio build` writes for hospitals: `dist/index.html`, each
//! publication's web edition, `catalogue.json` (against its JSON Schema), the Atom feed,
//! currency labels, escaping, atomic replacement, and the product code in every PDF.

mod browser;
mod scale;
mod web;

use std::path::Path;

use scraper::{ElementRef, Html, Selector};

use crate::support::{Output, Pdf, TestProject, TODAY};

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

fn texts(html: &Html, css: &str) -> Vec<String> {
    all(html, css).iter().map(text).collect()
}

/// `folio` with `FOLIO_TODAY` set to `today` instead of the tests' fixed day.
fn folio_on(p: &TestProject, today: &str, args: &[&str]) -> Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(p.root())
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .env("FOLIO_TODAY", today)
        .env_remove("FOLIO_ROOT")
        .output()
        .expect("folio runs");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
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

fn catalogue_json(p: &TestProject) -> serde_json::Value {
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
    assert_eq!(described.len(), 6, "{described:?}");
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
fn catalogue_json_follows_its_schema_and_tells_the_truth_about_every_file() {
    let p = two_publications();
    let json = catalogue_json(&p);
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::support::repo().join("docs/catalogue.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema is strict enough to catch a wrong file.
    let mut broken = json.clone();
    broken["publications"][0]["files"][0]["sha256"] = "not a checksum".into();
    assert!(!validator.is_valid(&broken));

    assert_eq!(json["schema-version"], 1);
    assert_eq!(json["as-of"], TODAY);
    let publications = json["publications"].as_array().unwrap();
    assert_eq!(publications.len(), 2);
    let blood = &publications[0];
    assert_eq!(
        (
            &blood["id"],
            &blood["product-code"],
            &blood["version"],
            &blood["status"]
        ),
        (
            &"aa-blood".into(),
            &"TEST-001".into(),
            &"2.1".into(),
            &"current".into()
        )
    );
    let yaml: serde_yaml::Value = serde_yaml::from_str(&read(&p, "folio.yaml")).unwrap();
    for file in blood["files"].as_array().unwrap() {
        let path = p.root().join("dist").join(file["path"].as_str().unwrap());
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(file["bytes"], bytes.len() as u64, "{}", path.display());
        assert_eq!(file["sha256"], folio::site::entry::sha256(&bytes));
        assert_eq!(file["pages"], Pdf::parse(&bytes).page_count() as u64);
        let edition = file["edition"].as_str().unwrap();
        let profile = yaml["editions"][edition]["pdf"]
            .as_str()
            .unwrap_or("screen");
        assert_eq!(file["profile"], profile, "{edition}");
    }
    let paper = |edition: &str| {
        blood["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["edition"] == edition)
            .unwrap()["paper"]
            .clone()
    };
    assert_eq!(paper("booklet"), "A5");
    assert_eq!(paper("large-print"), "A4");
    assert_eq!(paper("leaflet-dl"), "A4 landscape");
}

#[test]
fn the_feed_is_atom_with_one_entry_per_publication_version() {
    let p = two_publications();
    let parse = |p: &TestProject| {
        feed_rs::parser::parse(read(p, "dist/feed.xml").as_bytes()).expect("a valid feed")
    };
    let feed = parse(&p);
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(feed.entries.len(), 2);
    for entry in &feed.entries {
        assert_eq!(
            entry.updated.unwrap().format("%Y-%m-%d").to_string(),
            "2026-06-01",
            "updated: the day the version was reviewed"
        );
        let href = &entry.links[0].href;
        assert!(p.root().join("dist").join(href).is_file(), "{href} exists");
        assert!(entry
            .title
            .as_ref()
            .unwrap()
            .content
            .ends_with("(version 2.1)"));
    }
    let id_of = |feed: &feed_rs::model::Feed, title: &str| {
        feed.entries
            .iter()
            .find(|e| e.title.as_ref().unwrap().content.starts_with(title))
            .unwrap()
            .id
            .clone()
    };
    let (blood, bone) = (id_of(&feed, "Blood tests"), id_of(&feed, "Bone marrow"));

    // A new version is a new entry; the other publication's entry is the same as before.
    let text =
        read(&p, "content/aa-blood/aa-blood.md").replace("version: \"2.1\"", "version: \"2.2\"");
    p.publication("aa-blood", &text);
    p.folio(&["build", "aa-blood"]).succeeds();
    let feed = parse(&p);
    assert_ne!(id_of(&feed, "Blood tests"), blood);
    assert_eq!(id_of(&feed, "Bone marrow"), bone);
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
fn publications_due_for_review_or_built_overdue_are_labelled() {
    let p = TestProject::new();
    // The tests' today is 26 November 2026; the warning starts 90 days before a review.
    p.publication("due", &publication("Due soon", "T-1", "2027-01-15", BODY));
    p.publication("late", &publication("Overdue", "T-2", "2026-10-01", BODY));
    p.publication("fine", &publication("Fine", "T-3", "2029-06-01", BODY));
    p.folio(&["build"]).fails_with(&["review-overdue"]);
    p.folio(&["build", "--allow-overdue"]).succeeds();
    let index = page(&p, "dist/index.html");
    let flag = |title: &str| {
        all(&index, ".pubs > li")
            .into_iter()
            .find(|li| li.html().contains(&format!(">{title}</a>")))
            .and_then(|li| {
                li.select(&Selector::parse(".flag").unwrap())
                    .next()
                    .map(|f| text(&f))
            })
    };
    assert_eq!(
        flag("Due soon").as_deref(),
        Some("Review due by 15 January 2027")
    );
    assert_eq!(
        flag("Overdue").as_deref(),
        Some("Review overdue since 1 October 2026")
    );
    assert_eq!(flag("Fine"), None);
    let status: Vec<(String, String)> = catalogue_json(&p)["publications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().into(),
                e["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        status,
        [
            ("due".into(), "review-due".into()),
            ("fine".into(), "current".into()),
            ("late".into(), "overdue".into())
        ]
    );
    // Its web page says so too.
    assert!(read(&p, "dist/late/index.html").contains("Review overdue since 1 October 2026"));
}

#[test]
fn a_publication_past_its_review_is_never_listed_as_current() {
    let p = two_publications();
    let text = read(&p, "content/zz-bone/zz-bone.md")
        .replace("next-review: 2029-06-01", "next-review: 2027-06-01");
    p.publication("zz-bone", &text);
    p.folio(&["build"]).succeeds();
    // A year later only the other publication is built; the catalogue is judged that day.
    folio_on(&p, "2027-11-26", &["build", "aa-blood"]).succeeds();
    let index = page(&p, "dist/index.html");
    assert_eq!(texts(&index, ".pubs > li > h2"), ["Blood tests"]);
    let stale = texts(&index, ".stale li");
    assert_eq!(
        stale,
        ["Bone marrow tests (TEST-002, version 2.1): review was due on 1 June 2027."]
    );
    let json = catalogue_json(&p);
    assert_eq!(json["publications"][1]["status"], "not-current");
    let feed = feed_rs::parser::parse(read(&p, "dist/feed.xml").as_bytes()).unwrap();
    assert_eq!(
        feed.entries.len(),
        1,
        "the feed lists only current publications"
    );
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
