//! A new editor's journey (issue 25): writing "Eating well during chemotherapy" from scratch
//! with only the README, and what folio should have told them on the way.

use folio::cmd::build::BuildPlan;
use folio::cmd::select::Targets;
use folio::cmd::watch::Watch;

use crate::support::{fixture, repo, TestProject};

/// The test front matter with another title.
fn front(title: &str) -> String {
    fixture("front-matter.yaml").replace("A test leaflet about blood tests", title)
}

/// Lines of the test front matter: the body starts on the line after.
fn front_lines() -> usize {
    fixture("front-matter.yaml").lines().count()
}

fn findings(out: &crate::support::Output) -> Vec<serde_json::Value> {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON findings ({e}):\n{}\n{}", out.stdout, out.stderr))
}

fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md")).unwrap()
}

/// An RGB PNG of `w` × `h` pixels.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(w, h, image::Rgb([200, 120, 40]))
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// A real 8 × 8 CMYK JPEG (baseline, four components, an Adobe marker saying CMYK), as a
/// "convert it to CMYK" tool writes one: every block flat, so that one Huffman code of each
/// kind is enough.
pub fn cmyk_jpeg() -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    // APP14 "Adobe", version 100, no flags, transform 0 (CMYK as it is).
    j.extend([0xFF, 0xEE, 0x00, 0x0E]);
    j.extend(b"Adobe");
    j.extend([0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00]);
    // One quantisation table of ones.
    j.extend([0xFF, 0xDB, 0x00, 0x43, 0x00]);
    j.extend([1u8; 64]);
    // Frame: 8 bits, 8 × 8, four components sampled 1 × 1 with table 0.
    j.extend([0xFF, 0xC0, 0x00, 0x14, 0x08, 0x00, 0x08, 0x00, 0x08, 0x04]);
    for id in 1..=4u8 {
        j.extend([id, 0x11, 0x00]);
    }
    // A DC table and an AC table, each with one code of one bit: DC category 0, AC end.
    for class in [0x00u8, 0x10] {
        j.extend([0xFF, 0xC4, 0x00, 0x14, class, 0x01]);
        j.extend([0u8; 15]);
        j.push(0x00);
    }
    // Scan of the four components, then one bit "0" (no DC change) and one "0" (end of
    // block) per component: one zero byte.
    j.extend([0xFF, 0xDA, 0x00, 0x0E, 0x04]);
    for id in 1..=4u8 {
        j.extend([id, 0x00]);
    }
    j.extend([0x00, 0x3F, 0x00, 0x00]);
    j.extend([0xFF, 0xD9]);
    j
}

/// The body of the new publication, long enough that the leaflets cannot hold it.
fn eating_well_body() -> String {
    let mut body = String::from(
        "Chemotherapy can change how food tastes and how hungry you feel. This booklet explains \
         what helps.\n\n## Why eating well matters\n\n",
    );
    for i in 0..14 {
        body.push_str(&format!(
            "Eating well helps your body cope with treatment and recover between cycles, so \
             try small meals often ({i}).\n\n"
        ));
    }
    body.push_str("## When food tastes different\n\n");
    for i in 0..14 {
        body.push_str(&format!(
            "Food may taste of metal or of nothing. Try cold food, sharp flavours or plastic \
             cutlery, and rinse your mouth before meals ({i}).\n\n"
        ));
    }
    body
}

#[test]
fn a_short_new_publication_that_overflows_a_leaflet_says_where_and_how_to_leave_content_out() {
    let p = TestProject::new();
    let body = eating_well_body();
    p.publication(
        "eating-well",
        &format!("{}{body}", front("Eating well during chemotherapy")),
    );
    let out = p.folio(&["check", "--format", "json", "--edition", "leaflet-a5"]);
    let all = findings(&out);
    let overflow = all
        .iter()
        .find(|f| f["code"] == "text-overflows-pages")
        .unwrap_or_else(|| panic!("{all:#?}"));
    let message = overflow["message"].as_str().unwrap();
    // Where the text runs out: a line of the second section, named.
    let line = overflow["location"]["line"].as_u64().expect("a line") as usize;
    let second = front_lines()
        + 1
        + body
            .lines()
            .position(|l| l == "## When food tastes different")
            .unwrap();
    assert!(
        line > second && line <= front_lines() + body.lines().count(),
        "line {line}: {message}"
    );
    assert!(
        overflow["location"]["file"]
            .as_str()
            .unwrap()
            .ends_with("content/eating-well/eating-well.md"),
        "{overflow:#}"
    );
    assert!(
        message.contains(&format!(
            "the text runs out at line {line}, in `When food tastes different`"
        )),
        "{message}"
    );
    // Each section's share of the leaflet.
    for section in [
        "opening text",
        "Why eating well matters",
        "When food tastes different",
    ] {
        assert!(
            message.contains(&format!("`{section}` ")) && message.contains(" %"),
            "{section}: {message}"
        );
    }
    // Both ways to leave content out of leaflets.
    let hint = overflow["hint"].as_str().unwrap();
    assert!(hint.contains("## Heading {.not-leaflet}"), "{hint}");
    assert!(hint.contains("<!-- not: leaflet -->"), "{hint}");
}

#[test]
fn the_readme_says_where_the_source_is_explained_that_publications_are_also_two_leaflets_with_images(
) {
    let readme = readme();
    let writing = &readme[readme.find("## Writing a publication").unwrap()..];
    let writing = &writing[..writing.find("\n## ").unwrap()];
    assert!(writing.contains("Every publication is also made as two leaflets"));
    assert!(writing.contains("**two pages**"));
    assert!(writing.contains("image"));
    assert!(writing.contains("`<!-- not: leaflet -->`"));
    assert!(writing.contains("`## Heading {.not-leaflet}`"));
}

#[test]
fn a_cmyk_jpeg_is_refused_at_its_markdown_line_naming_the_image_not_as_an_unlocated_pdfa_error() {
    let p = TestProject::new();
    p.file("content/eating-well/images/plate.jpg", &cmyk_jpeg());
    p.publication(
        "eating-well",
        &format!(
            "{}## A good plate\n\n![A plate with vegetables, rice and fish](images/plate.jpg)\n",
            front("Eating well during chemotherapy")
        ),
    );
    let out = p.folio(&["build", "--edition", "booklet"]);
    let line = front_lines() + 3;
    out.fails_with(&[
        &format!("content/eating-well/eating-well.md:{line}:1"),
        "image `images/plate.jpg`",
        "CMYK JPEG",
        "RGB",
    ]);
    assert!(!out.stderr.contains("PDF/A-2a error"), "{}", out.stderr);
    assert!(
        !out.stderr.contains("missing a CMYK profile"),
        "{}",
        out.stderr
    );
    // The file is a JPEG any decoder reads, with four components.
    assert!(image::load_from_memory(&cmyk_jpeg()).is_ok());
    assert_eq!(
        folio::confine::images::jpeg_components(&cmyk_jpeg()),
        Some(4)
    );
}

#[test]
fn the_readme_says_what_pixel_size_an_image_needs_and_to_keep_images_rgb() {
    let readme = readme();
    assert!(readme.contains("**1,350 pixels across**"), "pixel size");
    assert!(readme.contains("300 dpi"));
    assert!(readme.contains("Keep them RGB"));
}

/// A watch of publication `id` in `p`, as `folio watch` sets it up.
fn watching(p: &TestProject, id: &str) -> Watch {
    let plan = BuildPlan {
        targets: Targets {
            publications: vec![crate::support::key(id)],
            editions: vec![],
        },
        out: p.root().join("dist"),
        emit_typst: None,
        allow_overdue: false,
        allow_outdated_translations: false,
        allow_unapproved: false,
        previews: true,
        quiet: true,
        cache: false,
        brands: Vec::new(),
    };
    Watch::new(p.session(), plan)
}

#[test]
fn watch_shows_warnings_and_notes_in_the_terminal_and_per_edition_on_the_preview_page() {
    let p = TestProject::new();
    p.publication(
        "eating-well",
        &format!(
            "{}## Eating\n\nTry to eat the the small meals. Ask about immunosuppression.\n",
            front("Eating well during chemotherapy")
        ),
    );
    let mut watch = watching(&p, "eating-well");
    let rebuilt = watch.build_all();
    assert!(rebuilt.errors.is_empty(), "{:?}", rebuilt.errors);
    // The terminal: the warning as `build` prints it, the notes counted.
    let printed = folio::diag::render::render(&rebuilt.warnings, false);
    assert!(printed.contains("warning[doubled-word]"), "{printed}");
    assert!(rebuilt.notes >= 1, "the long word is a note");
    assert!(
        rebuilt.status().contains("1 warning(s) above"),
        "{}",
        rebuilt.status()
    );
    // The preview page: the warning and the note, headed by the title, leaflets first.
    let html = folio::cmd::watch::page::page(&watch, &rebuilt);
    assert!(html.contains("warning[doubled-word]"), "{html}");
    assert!(html.contains("note[long-word]"), "{html}");
    assert!(
        html.contains("<h1>Eating well during chemotherapy</h1>"),
        "{html}"
    );
    let at = |name: &str| {
        html.find(&format!("{name} <span class=\"count\">"))
            .unwrap_or_else(|| panic!("{name}: {html}"))
    };
    assert!(at("leaflet-a5") < at("booklet"), "leaflets first");
    assert!(at("leaflet-dl") < at("large-print"), "leaflets first");
}

#[test]
fn a_table_is_read_cell_by_cell_and_a_list_item_by_item_not_as_one_sentence() {
    let p = TestProject::new();
    let mut table =
        String::from("| Phase | What it aims to do | Where and how long |\n|---|---|---|\n");
    for phase in ["Induction", "Consolidation", "Maintenance"] {
        table.push_str(&format!(
            "| {phase} | To clear the leukaemia from the blood and the bone marrow | In hospital, for about four or five weeks |\n"
        ));
    }
    let mut list = String::new();
    for food in [
        "soup",
        "yoghurt",
        "porridge",
        "scrambled eggs",
        "rice pudding",
    ] {
        list.push_str(&format!(
            "- {food} with a little extra butter or cream stirred in\n"
        ));
    }
    p.publication(
        "eating-well",
        &format!(
            "{}## Phases of treatment\n\n{table}\n## Soft foods\n\nFoods that are easy to eat.\n\n{list}",
            front("Eating well during chemotherapy")
        ),
    );
    let out = p.folio(&["check", "--format", "json"]);
    let all = findings(&out);
    let long: Vec<_> = all
        .iter()
        .filter(|f| f["code"] == "long-sentence")
        .collect();
    assert!(long.is_empty(), "{long:#?}");
}

#[test]
fn long_word_points_at_the_word_and_spares_the_words_of_the_title() {
    let p = TestProject::new();
    p.publication(
        "eating-well",
        &format!(
            "{}Chemotherapy can change your appetite.\n\n## Eating\n\nDuring chemotherapy, some \
             people get immunosuppression.\n",
            front("Eating well during chemotherapy")
        ),
    );
    let out = p.folio(&["check", "--format", "json"]);
    let all = findings(&out);
    let long: Vec<_> = all.iter().filter(|f| f["code"] == "long-word").collect();
    assert_eq!(
        long.len(),
        1,
        "only the word that is not the subject: {long:#?}"
    );
    assert!(long[0]["message"]
        .as_str()
        .unwrap()
        .contains("`immunosuppression`"));
    let line = front_lines() + 5;
    let column = "During chemotherapy, some people get ".chars().count() + 1;
    assert_eq!(long[0]["location"]["line"], line, "{:#}", long[0]);
    assert_eq!(long[0]["location"]["column"], column, "{:#}", long[0]);
}

#[test]
fn a_decorative_image_is_written_with_the_decorative_class_and_builds_as_an_artifact() {
    let p = TestProject::new();
    p.file("content/eating-well/images/wave.png", &png(1400, 200));
    let body =
        "## Eating\n\nSmall meals help.\n\n![](images/wave.png){.decorative}\n\nSo do snacks.\n";
    p.publication(
        "eating-well",
        &format!("{}{body}", front("Eating well during chemotherapy")),
    );
    // The booklet is PDF/UA-1: an image with no alt text builds only as an artifact.
    p.folio(&["build", "--edition", "booklet"]).succeeds();
    let web = std::fs::read_to_string(p.root().join("dist/eating-well/index.html")).unwrap();
    assert!(web.contains("src=\"images/wave.png\" alt=\"\""), "{web}");

    // Empty brackets alone are still refused, with the way to say it decorates.
    let forgot = body.replace("{.decorative}", "");
    p.publication(
        "eating-well",
        &format!("{}{forgot}", front("Eating well during chemotherapy")),
    );
    let out = p.folio(&["check", "eating-well"]);
    out.fails_with(&[
        &format!("content/eating-well/eating-well.md:{}:1", front_lines() + 5),
        "an image has no alt text",
        "![](images/x.png){.decorative}",
    ]);
    // And a description with the class is a contradiction.
    let both = body.replace("![]", "![A blue wave]");
    p.publication(
        "eating-well",
        &format!("{}{both}", front("Eating well during chemotherapy")),
    );
    p.folio(&["check", "eating-well"])
        .fails_with(&["marked `{.decorative}` has alt text"]);
}

#[test]
fn a_section_headed_like_a_heading_the_layouts_add_is_a_finding_and_the_readme_lists_them() {
    let p = TestProject::new();
    p.publication(
        "eating-well",
        &format!(
            "{}## Eating\n\nSmall meals help.\n\n## Find out more\n\nAsk your dietitian.\n",
            front("Eating well during chemotherapy")
        ),
    );
    let out = p.folio(&["check", "--format", "json"]);
    let all = findings(&out);
    let found = all
        .iter()
        .find(|f| f["code"] == "heading-repeats-layout")
        .unwrap_or_else(|| panic!("{all:#?}"));
    assert_eq!(found["severity"], "warning");
    assert_eq!(found["location"]["line"], front_lines() + 5);
    assert!(found["message"]
        .as_str()
        .unwrap()
        .contains("`Find out more`"));

    let readme = readme();
    let listed = &readme[readme.find("**Headings the layouts add.**").unwrap()..];
    let listed = listed[..listed.find("\n\n").unwrap()].replace('\n', " ");
    for heading in folio::check::structure::LAYOUT_HEADINGS {
        assert!(
            listed.contains(&format!("\"{heading}\"")),
            "{heading}: {listed}"
        );
    }
}

#[test]
fn progress_says_failed_or_unchanged_and_never_built_for_a_publication_that_was_not() {
    let p = TestProject::new();
    p.file("content/eating-well/images/plate.png", &png(1400, 900));
    let with_image = format!(
        "{}## Eating\n\nSmall meals help.\n\n![A plate of food](images/plate.png)\n",
        front("Eating well during chemotherapy")
    );
    p.publication("eating-well", &with_image);
    let first = p.folio(&["build", "--edition", "booklet"]);
    first.succeeds();
    assert!(
        first.stderr.contains("built eating-well (1/1)"),
        "{}",
        first.stderr
    );
    let image = p.root().join("dist/eating-well/images/plate.png");
    assert!(image.is_file(), "the web edition's image");

    let again = p.folio(&["build", "--edition", "booklet"]);
    again.succeeds();
    assert!(
        again.stderr.contains("unchanged eating-well (1/1)"),
        "{}",
        again.stderr
    );
    assert!(
        !again.stderr.contains("built eating-well"),
        "{}",
        again.stderr
    );

    // The image taken out: it is no longer published.
    p.publication(
        "eating-well",
        &with_image.replace("![A plate of food](images/plate.png)\n", ""),
    );
    p.folio(&["build", "--edition", "booklet"]).succeeds();
    assert!(!image.exists(), "an image no longer shown stays in dist/");

    // A publication that fails is not "built", before or after its errors.
    p.publication(
        "eating-well",
        &with_image
            .replace("Small meals", "Small the the meals")
            .replace("## Eating", "# Eating"),
    );
    let failed = p.folio(&["build", "--edition", "booklet"]);
    failed.fails_with(&["failed eating-well (1/1)", "heading-title-level"]);
    assert!(
        !failed.stderr.contains("built eating-well"),
        "{}",
        failed.stderr
    );
}

#[test]
fn the_readme_says_once_how_to_get_a_folio_command_then_uses_it() {
    let readme = readme();
    assert_eq!(
        readme.matches("cargo install --path .").count(),
        2,
        "the command and its reminder"
    );
    let mut in_shell = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_shell = line == "```sh";
            continue;
        }
        if in_shell {
            assert!(
                !line.starts_with("cargo run") && !line.starts_with("target/release/folio"),
                "an example that is not `folio …`: {line}"
            );
        }
    }
}
