//! PDF/X-4: the written press PDF read back with lopdf and rendered by Ghostscript, each rule
//! of ISO 15930-7 broken on purpose and named by the preflight, the printer's own profile.

use std::process::Command;

use lopdf::{dictionary, Document, Object, Stream};
use md5::{Digest, Md5};

use folio::print::{preflight, press};

use super::{edition, shipped};
use crate::support::{repo, TestProject};

/// The shipped press booklet's bytes.
fn press_pdf() -> &'static [u8] {
    &edition(shipped(), "booklet-print").file.bytes
}

/// The PDF/X findings of `pdf`'s written bytes, by code name.
fn pdfx_codes(doc: &mut Document) -> Vec<&'static str> {
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    let facts = press::Facts::read(&bytes).unwrap();
    let mut codes: Vec<&str> = preflight::pdfx(&facts, "all-treatment", "booklet-print")
        .iter()
        .map(|f| f.code.name())
        .collect();
    if !facts.fonts_not_embedded.is_empty() {
        codes.push("font-not-embedded");
    }
    codes
}

fn dict<'a>(doc: &'a Document, object: &'a Object) -> &'a lopdf::Dictionary {
    doc.dereference(object).unwrap().1.as_dict().unwrap()
}

#[test]
fn the_press_pdf_reads_back_as_pdf_x4_with_a_cmyk_output_profile() {
    let pdf = press_pdf();
    assert!(pdf.starts_with(b"%PDF-1.6\n"), "header {:?}", &pdf[..9]);
    let doc = Document::load_mem(pdf).unwrap();
    assert!(doc.trailer.get(b"ID").unwrap().as_array().unwrap().len() == 2);
    let catalog = doc.catalog().unwrap();
    let intents = doc
        .dereference(catalog.get(b"OutputIntents").unwrap())
        .unwrap()
        .1
        .as_array()
        .unwrap();
    assert_eq!(intents.len(), 1, "one output intent");
    let intent = dict(&doc, &intents[0]);
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFX");
    assert_eq!(
        intent
            .get(b"OutputConditionIdentifier")
            .unwrap()
            .as_str()
            .unwrap(),
        b"FOGRA39"
    );
    assert_eq!(
        intent.get(b"RegistryName").unwrap().as_str().unwrap(),
        b"http://www.color.org"
    );
    assert!(!intent.get(b"Info").unwrap().as_str().unwrap().is_empty());
    let profile = doc
        .dereference(intent.get(b"DestOutputProfile").unwrap())
        .unwrap()
        .1
        .as_stream()
        .unwrap()
        .decompressed_content()
        .unwrap();
    assert_eq!(&profile[12..16], b"prtr", "an output profile");
    assert_eq!(&profile[16..20], b"CMYK", "for CMYK");
    assert_eq!(&profile[36..40], b"acsp", "an ICC profile");
    assert_eq!(
        profile,
        std::fs::read(repo().join("profiles/folio-fogra39.icc")).unwrap(),
        "the committed profile, embedded whole"
    );
    let xmp = crate::support::Pdf::parse(pdf).xmp();
    assert!(
        xmp.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"),
        "{xmp}"
    );
    assert!(xmp.contains("<pdf:Trapped>False</pdf:Trapped>"), "{xmp}");
    let info = dict(&doc, doc.trailer.get(b"Info").unwrap());
    assert_eq!(info.get(b"Trapped").unwrap().as_name().unwrap(), b"False");
    let title = String::from_utf8_lossy(info.get(b"Title").unwrap().as_str().unwrap()).into_owned();
    assert!(xmp.contains(&title), "Info title {title:?} in the XMP");
}

#[test]
fn the_press_pdf_has_no_annotations_embedded_fonts_and_nested_boxes() {
    let doc = Document::load_mem(press_pdf()).unwrap();
    for (n, id) in doc.get_pages() {
        let page = doc.get_dictionary(id).unwrap();
        assert!(!page.has(b"Annots"), "page {n} has annotations");
        let boxed = |key: &[u8]| -> [f32; 4] {
            let a = page.get(key).unwrap().as_array().unwrap();
            [0, 1, 2, 3].map(|i| a[i].as_float().unwrap())
        };
        let (media, bleed, trim) = (boxed(b"MediaBox"), boxed(b"BleedBox"), boxed(b"TrimBox"));
        let within = |a: [f32; 4], b: [f32; 4]| {
            a[0] >= b[0] - 0.01 && a[1] >= b[1] - 0.01 && a[2] <= b[2] + 0.01 && a[3] <= b[3] + 0.01
        };
        assert!(
            within(bleed, media) && within(trim, bleed),
            "page {n}: {media:?} {bleed:?} {trim:?}"
        );
    }
    let mut fonts = 0;
    for object in doc.objects.values() {
        let Ok(d) = object.as_dict() else { continue };
        if d.get(b"Type").and_then(Object::as_name).ok() == Some(b"FontDescriptor".as_slice()) {
            fonts += 1;
            assert!(
                d.has(b"FontFile") || d.has(b"FontFile2") || d.has(b"FontFile3"),
                "{:?} is not embedded",
                d.get(b"FontName")
            );
        }
    }
    assert!(fonts > 0);
    // The screen booklet, from the same source, keeps its links: the press file dropped them.
    let screen = TestProject::shipped()
        .make("all-treatment", "booklet")
        .unwrap();
    let screen = Document::load_mem(&screen.file.bytes).unwrap();
    assert!(
        screen
            .get_pages()
            .values()
            .any(|id| screen.get_dictionary(*id).unwrap().has(b"Annots")),
        "the shipped publication has links"
    );
}

#[test]
fn the_preflight_finds_nothing_against_pdf_x4_in_the_shipped_press_files() {
    for name in ["booklet-print", "booklet-imposed", "booklet-imposed-marks"] {
        let facts = edition(shipped(), name)
            .typeset
            .as_ref()
            .unwrap()
            .press
            .as_ref()
            .unwrap();
        let found = preflight::pdfx(facts, "all-treatment", name);
        assert!(found.is_empty(), "{name}: {found:?}");
    }
}

#[test]
fn a_link_left_in_the_trim_is_named_by_the_preflight() {
    let mut doc = Document::load_mem(press_pdf()).unwrap();
    let page = doc.get_pages()[&2];
    let link = doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Link",
        "Rect" => vec![100.into(), 100.into(), 200.into(), 120.into()],
    });
    doc.get_dictionary_mut(page)
        .unwrap()
        .set("Annots", vec![link.into()]);
    assert_eq!(pdfx_codes(&mut doc), ["pdfx-annotations"]);
}

#[test]
fn a_missing_output_intent_is_named_by_the_preflight() {
    let mut doc = Document::load_mem(press_pdf()).unwrap();
    doc.catalog_mut().unwrap().remove(b"OutputIntents");
    assert_eq!(pdfx_codes(&mut doc), ["pdfx-output-intent"]);
}

#[test]
fn a_font_not_embedded_is_named_by_the_preflight() {
    let mut doc = Document::load_mem(press_pdf()).unwrap();
    for object in doc.objects.values_mut() {
        if let Ok(d) = object.as_dict_mut() {
            for key in [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"] {
                d.remove(key);
            }
        }
    }
    assert_eq!(pdfx_codes(&mut doc), ["font-not-embedded"]);
}

/// Replaces `from` with `to` in the press PDF's XMP packet (written uncompressed).
fn edit_xmp(doc: &mut Document, from: &str, to: &str) {
    let id = doc
        .catalog()
        .unwrap()
        .get(b"Metadata")
        .unwrap()
        .as_reference()
        .unwrap();
    let stream = doc.get_object_mut(id).unwrap().as_stream_mut().unwrap();
    let xmp = String::from_utf8(stream.content.clone()).unwrap();
    assert!(xmp.contains(from), "{from} in {xmp}");
    stream.set_content(xmp.replace(from, to).into_bytes());
}

fn info_id(doc: &Document) -> lopdf::ObjectId {
    doc.trailer.get(b"Info").unwrap().as_reference().unwrap()
}

#[test]
fn every_pdf_x_rule_broken_on_its_own_is_named_by_its_own_code() {
    type Break = fn(&mut Document);
    let cases: [(&str, &str, Break); 11] = [
        ("a PDF 1.7 header", "pdfx-file-header", |doc| {
            doc.version = "1.7".into()
        }),
        ("no file identifier", "pdfx-file-identifier", |doc| {
            doc.trailer.remove(b"ID");
        }),
        (
            "an output profile for a monitor",
            "pdfx-output-intent",
            |doc| {
                let catalog = doc.catalog().unwrap();
                let intents = doc
                    .dereference(catalog.get(b"OutputIntents").unwrap())
                    .unwrap()
                    .1;
                let intent = doc.dereference(&intents.as_array().unwrap()[0]).unwrap().1;
                let profile = intent
                    .as_dict()
                    .unwrap()
                    .get(b"DestOutputProfile")
                    .unwrap()
                    .as_reference()
                    .unwrap();
                let mut bytes = std::fs::read(repo().join("profiles/folio-fogra39.icc")).unwrap();
                bytes[12..20].copy_from_slice(b"mntrRGB ");
                *doc.get_object_mut(profile).unwrap() =
                    Object::Stream(Stream::new(dictionary! { "N" => 3 }, bytes));
            },
        ),
        (
            "a PDF/X-3 version in the XMP",
            "pdfx-identification",
            |doc| edit_xmp(doc, ">PDF/X-4</pdfxid", ">PDF/X-3:2003</pdfxid"),
        ),
        (
            "trapping unknown (in Info and XMP alike)",
            "pdfx-trapped",
            |doc| {
                let info = info_id(doc);
                let info = doc.get_dictionary_mut(info).unwrap();
                info.set("Trapped", Object::Name(b"Unknown".to_vec()));
                edit_xmp(doc, ">False</pdf:Trapped>", ">Unknown</pdf:Trapped>");
            },
        ),
        (
            "another title in Info than in the XMP",
            "pdfx-metadata",
            |doc| {
                let info = info_id(doc);
                let info = doc.get_dictionary_mut(info).unwrap();
                info.set("Title", Object::string_literal("Another title"));
            },
        ),
        ("a page with no BleedBox", "pdfx-page-boxes", |doc| {
            let page = doc.get_pages()[&3];
            doc.get_dictionary_mut(page).unwrap().remove(b"BleedBox");
        }),
        ("an RGB image with no profile", "pdfx-colour-space", |doc| {
            doc.add_object(Stream::new(
                dictionary! {
                    "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
                    "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8,
                },
                vec![255, 0, 0],
            ));
        }),
        ("a link in the trim", "pdfx-annotations", |doc| {
            let page = doc.get_pages()[&2];
            let link = doc.add_object(dictionary! {
                "Type" => "Annot", "Subtype" => "Link",
                "Rect" => vec![100.into(), 100.into(), 200.into(), 120.into()],
            });
            doc.get_dictionary_mut(page)
                .unwrap()
                .set("Annots", vec![link.into()]);
        }),
        ("a form", "pdfx-forms", |doc| {
            let form = doc.add_object(dictionary! { "Fields" => Vec::<Object>::new() });
            doc.catalog_mut().unwrap().set("AcroForm", form);
        }),
        ("JavaScript run on opening", "pdfx-actions", |doc| {
            let action = doc.add_object(dictionary! {
                "S" => "JavaScript", "JS" => Object::string_literal("app.alert(1)"),
            });
            doc.catalog_mut().unwrap().set("OpenAction", action);
        }),
    ];
    for (what, code, break_rule) in cases {
        let mut doc = Document::load_mem(press_pdf()).unwrap();
        break_rule(&mut doc);
        assert_eq!(pdfx_codes(&mut doc), [code], "{what}");
    }
}

#[test]
fn an_encrypted_press_pdf_is_named_by_the_preflight() {
    // Read from the document rather than bytes: lopdf would try to decrypt the bytes it reads.
    let mut doc = Document::load_mem(press_pdf()).unwrap();
    let encrypt = doc.add_object(dictionary! { "Filter" => "Standard", "V" => 2, "R" => 3 });
    doc.trailer.set("Encrypt", encrypt);
    let facts = press::Facts::of(&doc);
    let codes: Vec<&str> = preflight::pdfx(&facts, "all-treatment", "booklet-print")
        .iter()
        .map(|f| f.code.name())
        .collect();
    assert_eq!(codes, ["pdfx-encryption"]);
}

#[test]
fn the_job_sheet_says_pdf_x4_and_names_the_profile_by_its_md5() {
    let p = TestProject::shipped();
    p.folio(&["build", "-e", "booklet-imposed"]).succeeds();
    let text = std::fs::read_to_string(
        p.root()
            .join("dist/all-treatment/all-treatment-print-spec.txt"),
    )
    .unwrap();
    let md5: String =
        Md5::digest(std::fs::read(repo().join("profiles/folio-fogra39.icc")).unwrap())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
    assert!(text.contains("PDF/X-4\n"), "{text}");
    assert!(text.contains("FOGRA39 (profile \"folio FOGRA39"), "{text}");
    assert!(text.contains(&format!("MD5 {md5})")), "{text}");
    assert!(!text.contains("NOT PDF/X-4"), "{text}");
}

// ----- Ghostscript -----

/// Runs Ghostscript, installing it first when it is missing (tests/setup/install-ghostscript.sh).
fn gs(args: &[&str]) -> std::process::Output {
    if Command::new("gs").arg("--version").output().is_err() {
        let script = repo().join("tests/setup/install-ghostscript.sh");
        let status = Command::new("bash").arg(&script).status().unwrap();
        assert!(status.success(), "run {} as root", script.display());
    }
    Command::new("gs").args(args).output().unwrap()
}

#[test]
fn ghostscript_renders_every_page_of_the_press_pdf_without_an_error_or_warning() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("print.pdf");
    std::fs::write(&file, press_pdf()).unwrap();
    let out = gs(&[
        "-q",
        "-dNOPAUSE",
        "-dBATCH",
        "-sDEVICE=nullpage",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.trim().is_empty(), "Ghostscript said:\n{said}");
}

/// The ink of page 1 per channel (C, M, Y, K, percent), as Ghostscript's `ink_cov` reads it.
fn cover_ink(pdf: &[u8]) -> [f64; 4] {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = gs(&[
        "-q",
        "-o",
        "-",
        "-sDEVICE=ink_cov",
        "-dFirstPage=1",
        "-dLastPage=1",
        file.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    let values: Vec<f64> = text
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .take(4)
        .collect();
    values
        .try_into()
        .unwrap_or_else(|_| panic!("ink_cov said {text}"))
}

#[test]
fn ghostscript_reads_the_press_cover_as_its_own_cmyk_not_rgb_converted() {
    let print = cover_ink(press_pdf());
    assert!(
        print.iter().all(|&ink| ink > 1.0),
        "four inks on the cover: {print:?}"
    );
    // The screen booklet's cover is RGB: Ghostscript converts it on the fly, to other inks.
    let screen = TestProject::shipped()
        .make("all-treatment", "booklet")
        .unwrap();
    let converted = cover_ink(&screen.file.bytes);
    let apart = print
        .iter()
        .zip(converted)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(
        apart > 2.0,
        "the press cover's inks {print:?} are the RGB cover's converted {converted:?}"
    );
}

// ----- The printer's own profile -----

/// The FOGRA39 profile with its class and colour space replaced.
fn profile_as(class: &[u8; 4], space: &[u8; 4]) -> Vec<u8> {
    let mut bytes = std::fs::read(repo().join("profiles/folio-fogra39.icc")).unwrap();
    bytes[12..16].copy_from_slice(class);
    bytes[16..20].copy_from_slice(space);
    bytes
}

/// The shipped project with `print: { output-intent: … }` naming `profile`.
fn with_intent(profile: &[u8], condition: &str) -> TestProject {
    let p = TestProject::shipped();
    p.file("profiles/printer.icc", profile);
    let yaml = std::fs::read_to_string(p.root().join("folio.yaml")).unwrap();
    let yaml = format!(
        "{yaml}\nprint:\n  output-intent:\n    profile: profiles/printer.icc\n    condition: {condition}\n    info: \"The printer's coated stock\"\n"
    );
    p.file("folio.yaml", yaml.as_bytes());
    p
}

#[test]
fn a_display_profile_given_as_the_output_intent_is_a_located_error() {
    let p = with_intent(&profile_as(b"mntr", b"RGB "), "FOGRA39");
    let out = p.folio(&["build", "-e", "booklet-print"]);
    out.fails_with(&[
        "class `mntr` for `RGB`, not an output profile for CMYK",
        "folio.yaml:",
    ]);
    let text = std::fs::read_to_string(p.root().join("folio.yaml")).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("profile: profiles/printer.icc"))
        .unwrap()
        + 1;
    assert!(
        out.stderr.contains(&format!("folio.yaml:{line}")),
        "{}",
        out.stderr
    );
}

#[test]
fn a_file_that_is_not_a_profile_or_leads_outside_is_refused() {
    let p = with_intent(b"just some text, not ICC", "FOGRA39");
    p.folio(&["build", "-e", "booklet-print"])
        .fails_with(&["is not an ICC profile"]);
    let p = with_intent(&profile_as(b"prtr", b"CMYK"), "FOGRA39");
    std::fs::remove_file(p.root().join("profiles/printer.icc")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", p.root().join("profiles/printer.icc")).unwrap();
    p.folio(&["build", "-e", "booklet-print"])
        .fails_with(&["leads outside the project folder"]);
}

#[test]
fn the_printers_own_profile_and_condition_are_embedded() {
    let profile = profile_as(b"prtr", b"CMYK");
    let p = with_intent(&profile, "FOGRA51");
    let made = p.make("all-treatment", "booklet-print").unwrap();
    let intent = made
        .typeset
        .as_ref()
        .unwrap()
        .press
        .as_ref()
        .unwrap()
        .pdfx
        .intent()
        .unwrap()
        .clone();
    assert_eq!(intent.condition.as_deref(), Some("FOGRA51"));
    assert_eq!(intent.info.as_deref(), Some("The printer's coated stock"));
    assert_eq!(intent.registry.as_deref(), Some("http://www.color.org"));
    let md5: String = Md5::digest(&profile)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(intent.profile_md5, Some(md5));
}

/// The press pass finds colour operators with a small lexer of its own (lopdf's content
/// parser cost a press build tens of milliseconds): on every content stream of the shipped
/// press PDF, pages and placed forms alike, it reads the very operators lopdf reads.
#[test]
fn the_colour_lexer_reads_the_same_operators_as_lopdf_in_the_press_pdf() {
    let doc = Document::load_mem(press_pdf()).unwrap();
    let mut streams = 0;
    for object in doc.objects.values() {
        let Ok(stream) = object.as_stream() else {
            continue;
        };
        let is_form =
            stream.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form".as_slice());
        let is_page_content = doc.page_iter().any(|page| {
            doc.get_page_contents(page)
                .iter()
                .any(|id| doc.get_object(*id).ok().map(|o| std::ptr::eq(o, object)) == Some(true))
        });
        if !is_form && !is_page_content {
            continue;
        }
        let bytes = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        let theirs: Vec<String> = lopdf::content::Content::decode(&bytes)
            .unwrap()
            .operations
            .into_iter()
            .map(|op| op.operator)
            .collect();
        let ours: Vec<String> = press::content::operators(&bytes)
            .into_iter()
            .map(|(op, _)| String::from_utf8_lossy(op).into_owned())
            .collect();
        assert_eq!(ours, theirs);
        streams += 1;
    }
    assert!(streams > 10, "only {streams} content streams");
}
