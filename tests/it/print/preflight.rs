//! The print preflight: each problem found in a fixture made to have it, nothing found in the
//! shipped publication.

use std::sync::OnceLock;

use folio::check::Finding;
use folio::diag::Severity;
use folio::print::{preflight, press};

use super::{codes, edition, make, project, shipped, MM};
use crate::support::doc;

#[test]
fn preflight_finds_nothing_in_the_shipped_publication() {
    for m in shipped() {
        assert_eq!(
            codes(&m.findings),
            Vec::<&str>::new(),
            "{}: {:?}",
            m.edition,
            m.findings
        );
    }
}

/// A PNG of `w` × `h` pixels, RGB or grey.
fn png(w: u32, h: u32, rgb: bool) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let image = if rgb {
        image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(w, h, image::Rgb([200, 40, 40])))
    } else {
        image::DynamicImage::ImageLuma8(image::GrayImage::from_pixel(w, h, image::Luma([90])))
    };
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The bad-print fixture: five pages, no bleed, a cover band to the trim, 4.5 pt text, and
/// three images placed 100 mm wide: 400 px RGB (102 dpi), 1000 px grey (254 dpi), 1600 px
/// grey (406 dpi).
fn bad_print() -> &'static Vec<Finding> {
    static FOUND: OnceLock<Vec<Finding>> = OnceLock::new();
    FOUND.get_or_init(|| {
        let p = project();
        p.file("content/bad/images/low.png", &png(400, 100, true));
        p.file("content/bad/images/mid.png", &png(1000, 250, false));
        p.file("content/bad/images/high.png", &png(1600, 400, false));
        p.publication("bad", &doc("## Pictures\n\n![Low](images/low.png)\n\n![Mid](images/mid.png)\n\n![High](images/high.png)\n"));
        make(&p, "bad", &["bad-print"]).remove(0).findings
    })
}

fn found(code: &str) -> Vec<&'static Finding> {
    bad_print()
        .iter()
        .filter(|f| f.code.name() == code)
        .collect()
}

#[test]
fn preflight_finds_a_page_count_that_cannot_be_saddle_stitched() {
    let f = found("print-page-multiple");
    assert_eq!(f.len(), 1, "{:?}", bad_print());
    assert!(f[0].message.contains("5 pages"), "{}", f[0].message);
}

#[test]
fn preflight_finds_images_below_300_and_150_dpi_at_their_placed_size() {
    let f = found("image-low-resolution");
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(
        f.iter()
            .any(|f| f.severity == Severity::Error && f.message.contains("102 dpi")),
        "{f:?}"
    );
    assert!(
        f.iter()
            .any(|f| f.severity == Severity::Warning && f.message.contains("254 dpi")),
        "{f:?}"
    );
    assert_eq!(
        preflight::effective_dpi((1600, 400), (100.0 * MM, 25.0 * MM)).round(),
        406.0
    );
}

#[test]
fn preflight_finds_rgb_images() {
    let f = found("image-rgb");
    assert_eq!(f.len(), 1, "only the RGB one of three images: {f:?}");
    // RGB is what editors should supply (the printer converts it): a note, not a warning.
    assert_eq!(f[0].severity, Severity::Note);
    assert!(
        f[0].message.contains("image `images/low.png`"),
        "{}",
        f[0].message
    );
    assert!(f[0].hint.contains("keep images RGB"), "{}", f[0].hint);
}

#[test]
fn image_findings_name_the_image_and_its_markdown_line_not_a_page() {
    let front = crate::support::fixture("front-matter.yaml").lines().count();
    for (code, image, line) in [
        ("image-rgb", "images/low.png", front + 3),
        ("image-low-resolution", "images/low.png", front + 3),
        ("image-low-resolution", "images/mid.png", front + 5),
    ] {
        let f = found(code)
            .into_iter()
            .find(|f| f.message.contains(&format!("image `{image}`")))
            .unwrap_or_else(|| panic!("{code} for {image}: {:?}", found(code)));
        let at = f.location.as_ref().expect("a Markdown location");
        assert!(at.file.ends_with("content/bad/bad.md"), "{at:?}");
        assert_eq!(at.line, Some(line), "{code} {image}");
        assert_eq!((f.edition.as_deref(), f.page), (Some("bad-print"), None));
        assert!(f.message.contains("in bad-print"), "{}", f.message);
    }
}

#[test]
fn preflight_finds_pages_without_trimbox() {
    assert_eq!(found("missing-trimbox").len(), 1, "{:?}", bad_print());
}

#[test]
fn preflight_finds_text_below_6pt() {
    let f = found("text-too-small");
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].message.contains("4.5 pt"), "{}", f[0].message);
}

#[test]
fn preflight_finds_a_cover_colour_that_stops_at_the_trim() {
    let f = found("cover-not-bleeding");
    assert_eq!((f.len(), f[0].page), (1, Some(1)), "{f:?}");
    // The real booklet layout without bleed: its bands stop at the trim, front and back.
    let made = make(&project(), "all-treatment", &["booklet-no-bleed"]);
    let pages: Vec<Option<usize>> = made[0]
        .findings
        .iter()
        .filter(|f| f.code.name() == "cover-not-bleeding")
        .map(|f| f.page)
        .collect();
    assert_eq!(pages, [Some(1), Some(made[0].doc().unwrap().pages().len())]);
}

#[test]
fn preflight_finds_fonts_that_are_not_embedded() {
    use lopdf::{dictionary, Object, Stream};
    // A one-page PDF that names Helvetica without embedding it.
    let mut pdf = lopdf::Document::with_version("1.7");
    let pages_id = pdf.new_object_id();
    let font = pdf.add_object(
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
    );
    let content = pdf.add_object(Stream::new(
        dictionary! {},
        b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET".to_vec(),
    ));
    let page = pdf.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "TrimBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    pdf.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = pdf.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    pdf.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    pdf.save_to(&mut bytes).unwrap();

    let parsed = press::parse(&bytes).unwrap();
    assert_eq!(
        press::fonts_not_embedded(&parsed)
            .into_iter()
            .collect::<Vec<_>>(),
        ["Helvetica"]
    );
    let source = edition(shipped(), "booklet-print");
    let edition = &project().session().project.editions["booklet-print"];
    let findings = preflight::check(
        source.doc().unwrap(),
        Some(&press::Facts::read(&bytes).unwrap()),
        "all-treatment",
        "booklet-print",
        edition,
        &Default::default(),
    );
    assert!(
        findings
            .iter()
            .any(|f| f.code.name() == "font-not-embedded" && f.message.contains("Helvetica")),
        "{findings:?}"
    );
    // Typst embeds every font: the shipped press PDFs have none missing.
    for m in shipped() {
        assert!(
            press::fonts_not_embedded(&press::parse(&m.file.bytes).unwrap()).is_empty(),
            "{}",
            m.edition
        );
    }
}
