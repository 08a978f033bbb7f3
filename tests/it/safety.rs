//! Content is data, never code; the compiler reads nothing outside the project.

use folio::inspect::flat_text;
use folio::world::project_id;
use proptest::prelude::*;
use typst::World;

use crate::support::{doc, TestProject};

/// A valid PNG with enough pixels to print sharply at the sizes the layouts place images
/// (1,600 × 1,000 px: over 300 dpi at the booklet's full text width), so that preflight has
/// nothing to say about its resolution.
pub fn test_png() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(1600, 1000, image::Rgb([40, 120, 140]))
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// Typst-looking text, as an editor might paste it.
fn typst_like() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "#read(\"/etc/passwd\")",
        "$x^2$",
        "*",
        "_",
        "]",
        "[",
        "<label>",
        "@ref",
        "\\",
        "//",
        "/*",
        "#let x = 1",
        "#set text(red)",
        "{",
        "}",
        "=",
        "#",
        "`",
        "~",
        "%",
        "'",
        "\"",
    ]);
    prop::collection::vec(
        prop_oneof![atoms.prop_map(String::from), "[a-z]{1,8}"],
        1..8,
    )
    .prop_map(|parts| parts.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever an editor types shows verbatim on the page: it is never run as Typst code.
    #[test]
    fn content_text_appears_verbatim_and_is_never_evaluated(text in typst_like()) {
        // Markdown itself gives `*`, `_`, `\` and brackets meaning, so the text goes in as
        // inline code, which Markdown leaves alone: what reaches Typst is exactly `text`.
        let p = TestProject::new();
        let fence = if text.contains('`') { "`` " } else { "`" };
        let close = if text.contains('`') { " ``" } else { "`" };
        let heading = text.replace(['`', '\\', '*', '_', '[', ']', '<', '#', '{', '}'], "");
        p.publication("probe", &doc(&format!("Before {fence}{text}{close} after.\n\n## Heading {heading}\n\nEnd.\n")));
        let made = p.make("probe", "leaflet-a5").expect("builds");
        let seen = flat_text(made.doc().unwrap());
        let want: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assert!(seen.contains(&want), "{want:?} not shown verbatim in {seen:?}");
        prop_assert!(!seen.contains("root:"), "a file was read");
    }
}

#[test]
fn markdown_special_text_in_a_paragraph_is_shown_as_written() {
    let p = TestProject::new();
    p.publication(
        "probe",
        &doc("Call #read(\"/etc/passwd\") or $x$ at <label> and @ref // now.\n"),
    );
    let seen = flat_text(p.make("probe", "leaflet-a5").unwrap().doc().unwrap());
    assert!(
        seen.contains("Call #read(\"/etc/passwd\") or $x$ at <label> and @ref // now."),
        "{seen}"
    );
}

#[test]
fn the_world_refuses_files_outside_the_root() {
    let p = TestProject::new();
    p.publication("probe", &doc("Text.\n"));
    let session = p.session();
    let publication = session.load(&crate::support::key("probe")).unwrap();
    let world = session
        .world(&publication, "booklet", &Default::default())
        .unwrap();
    // A lexical escape is normalised away by the path type; a symlink is followed and refused.
    std::os::unix::fs::symlink("/etc/passwd", p.root().join("content/probe/passwd.png")).unwrap();
    assert!(
        world.file(project_id("/content/probe/passwd.png")).is_err(),
        "symlink out of the root"
    );
    assert!(
        world.file(project_id("/etc/passwd")).is_err(),
        "absolute path is inside the root"
    );
    assert!(
        world.file(project_id("/folio.yaml")).is_ok(),
        "project files are readable"
    );
    assert!(
        world.file(project_id("/.folio/nothing.json")).is_err(),
        "unknown generated file"
    );
}

#[test]
fn an_image_that_is_a_symlink_out_of_the_project_is_refused() {
    let p = TestProject::new();
    p.publication("probe", &doc("Text.\n\n![A picture](outside.png)\n"));
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.png"), test_png()).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("x.png"),
        p.root().join("content/probe/outside.png"),
    )
    .unwrap();
    let err = p
        .make("probe", "booklet")
        .err()
        .expect("refused")
        .to_string();
    assert!(err.contains("outside the publication folder"), "{err}");
}

#[test]
fn images_outside_the_publication_folder_are_refused_at_parse() {
    let p = TestProject::new();
    p.publication("probe", &doc("![The project file](../../folio.yaml)\n"));
    let out = p.folio(&["build"]);
    out.fails_with(&[
        "outside the publication folder",
        "content/probe/probe.md:14:",
    ]);
}

/// `text` cut to at most `max` characters (the form's and the brand file's length limits).
fn cut(text: &str, max: usize) -> String {
    text.chars()
        .take(max)
        .collect::<String>()
        .trim()
        .to_string()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    /// A brand file's text and a personalisation form's text are shown verbatim: they go
    /// through the real brand parser and the real form rules, and are never run as code.
    #[test]
    fn brand_and_form_text_appears_verbatim_and_is_never_evaluated(
        name in typst_like(), contact in typst_like(), contact_name in typst_like(), note in typst_like(),
    ) {
        use folio::cmd::serve::form::{CheckedForm, FIELDS};
        let max = |name: &str| FIELDS.iter().find(|f| f.name == name).unwrap().max;
        let p = TestProject::shipped();
        let (name, contact) = (cut(&name, 120), cut(&contact, 120));
        let yaml = serde_yaml::to_string(&serde_json::json!({
            "name": name, "contact": [contact], "approved-by": "An editor", "approved-on": "2026-01-01",
        })).unwrap();
        p.file("brands/probe/brand.yaml", yaml.as_bytes());
        let brand = folio::project::brand::load(p.root(), "probe").expect("the brand parses");
        let pairs = vec![
            ("contact-name".to_string(), cut(&contact_name, max("contact-name"))),
            ("note".to_string(), cut(&note, max("note"))),
            ("phone".to_string(), "+44 (0)1632 960 000".to_string()),
        ];
        let checked = CheckedForm::new(&pairs);
        prop_assert!(checked.ok(), "{:?}", checked.errors());
        let personal = checked.personal();
        let stamp = folio::contract::Stamp {
            brand: Some(std::sync::Arc::new(folio::contract::brand(&brand, None, Some(&personal)))),
            ..Default::default()
        };
        let session = p.session();
        let publication = session.load(&crate::support::key("all-treatment")).unwrap();
        let made = crate::support::make_with(&session, &publication, "booklet", &stamp).expect("builds");
        let seen = flat_text(made.doc().unwrap());
        // Spaces aside: a line may break where the text had none (after the `/` of a path).
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let shown = squash(&seen);
        for want in [&name, &contact, &personal.contact_name, &personal.note] {
            prop_assert!(shown.contains(&squash(want)), "{want:?} not shown verbatim in {seen:?}");
        }
        prop_assert!(!seen.contains("root:"), "a file was read");
    }
}
