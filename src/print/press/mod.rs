//! The press PDF after Typst: page boxes written honestly, made a PDF/X-4 file
//! ([`super::pdfx`]), and read back.
//!
//! Typst 0.15 writes a `TrimBox` when a page has bleed, but no `BleedBox`, so a reader takes
//! the whole MediaBox (crop-mark slug included) as bleed. [`finish`] adds `/BleedBox` = the
//! TrimBox grown by the edition's bleed on every side (within the MediaBox). An imposed
//! sheet with no bleed is its own trim: it gets `/TrimBox` = `/BleedBox` = MediaBox.
//!
//! The PDF is rewritten with lopdf, which writes objects in id order: the same input gives
//! the same bytes. What the preflight and the job sheet read from the PDF ([`Facts`]: page
//! boxes, fonts, colours) is read from that same parsed document, the one the bytes are a
//! serialisation of, so a press PDF is parsed once, not once per reader.

use std::collections::{BTreeMap, BTreeSet};

use lopdf::{Document, Object, ObjectId};

pub mod content;

use super::pdfx;
use crate::diag::Problem;
use crate::project::print::OutputIntent;

/// Points per millimetre.
pub const PT_PER_MM: f64 = 72.0 / 25.4;

/// A PDF rectangle `[x0, y0, x1, y1]` in points.
pub type Rect = [f64; 4];

/// The boxes of one page, as written in the PDF.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageBoxes {
    pub media: Rect,
    pub trim: Option<Rect>,
    pub bleed: Option<Rect>,
}

/// Parses PDF bytes, as a [`Problem`] when they do not parse.
pub fn parse(pdf: &[u8]) -> Result<Document, Problem> {
    Document::load_mem(pdf).map_err(|e| {
        Problem::error(format!("cannot read back the press PDF: {e}"))
            .hint("this is a bug in folio or Typst; please report it with the publication")
    })
}

/// What a press PDF says about itself, as the preflight and the job sheet read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    /// Every page's boxes, in page order.
    pub boxes: Vec<PageBoxes>,
    /// Base names of the fonts that are not embedded.
    pub fonts_not_embedded: BTreeSet<String>,
    /// The colours the PDF sets.
    pub colours: Colours,
    /// What the PDF says about its PDF/X-4 conformance.
    pub pdfx: pdfx::Conformance,
}

impl Facts {
    /// Reads the facts of a parsed PDF.
    pub fn of(doc: &Document) -> Facts {
        Facts {
            boxes: boxes(doc),
            fonts_not_embedded: fonts_not_embedded(doc),
            colours: colours(doc),
            pdfx: pdfx::Conformance::of(doc),
        }
    }

    /// Parses PDF bytes and reads their facts.
    pub fn read(pdf: &[u8]) -> Result<Facts, Problem> {
        parse(pdf).map(|doc| Facts::of(&doc))
    }
}

/// Adds an honest `/BleedBox` to every page of a press PDF (see the module docs), makes it a
/// PDF/X-4 file for `intent` ([`pdfx::make`]) and reads the [`Facts`] of the document
/// written. `bleed_mm` is the edition's bleed; `imposed` marks a sheet that is its own trim.
pub fn finish(
    pdf: &[u8],
    bleed_mm: f64,
    imposed: bool,
    intent: &OutputIntent,
) -> Result<(Vec<u8>, Facts), Problem> {
    let mut doc = parse(pdf)?;
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    for id in pages {
        let Some(media) = page_box(&doc, id, b"MediaBox") else {
            continue;
        };
        let trim = match page_box(&doc, id, b"TrimBox") {
            Some(trim) => trim,
            None if imposed => media,
            None => continue,
        };
        let grow = bleed_mm.max(0.0) * PT_PER_MM;
        let bleed = [
            (trim[0] - grow).max(media[0]),
            (trim[1] - grow).max(media[1]),
            (trim[2] + grow).min(media[2]),
            (trim[3] + grow).min(media[3]),
        ];
        let page = doc
            .get_dictionary_mut(id)
            .map_err(|e| Problem::error(format!("press PDF: a page is not a dictionary: {e}")))?;
        page.set("TrimBox", rect_object(trim));
        page.set("BleedBox", rect_object(bleed));
    }
    pdfx::make(&mut doc, intent)?;
    let mut out = Vec::with_capacity(pdf.len() + 1024);
    doc.save_to(&mut out)
        .map_err(|e| Problem::error(format!("cannot write the press PDF: {e}")))?;
    Ok((out, Facts::of(&doc)))
}

/// Every page's boxes, in page order.
pub fn boxes(doc: &Document) -> Vec<PageBoxes> {
    doc.get_pages()
        .into_values()
        .map(|id| PageBoxes {
            media: page_box(doc, id, b"MediaBox").unwrap_or_default(),
            trim: page_box(doc, id, b"TrimBox"),
            bleed: page_box(doc, id, b"BleedBox"),
        })
        .collect()
}

/// A page's box `key`, looked up through the page tree (boxes are inheritable).
pub fn page_box(doc: &Document, page: ObjectId, key: &[u8]) -> Option<Rect> {
    let mut dict = doc.get_dictionary(page).ok()?;
    for _ in 0..32 {
        if let Ok(object) = dict.get(key) {
            let (_, object) = doc.dereference(object).ok()?;
            return rect(object);
        }
        let parent = dict.get(b"Parent").ok()?.as_reference().ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}

fn rect(object: &Object) -> Option<Rect> {
    let array = object.as_array().ok()?;
    let nums: Vec<f64> = array
        .iter()
        .filter_map(|o| o.as_float().ok().map(f64::from))
        .collect();
    let [a, b, c, d] = nums[..] else { return None };
    Some([a.min(c), b.min(d), a.max(c), b.max(d)])
}

fn rect_object(r: Rect) -> Object {
    // Hundredths of a point: exact enough for any cutter, and stable across platforms.
    let n = |v: f64| Object::Real(((v * 100.0).round() / 100.0) as f32);
    Object::Array(r.iter().map(|&v| n(v)).collect())
}

/// The base names of fonts that are not embedded (no FontFile, FontFile2 or FontFile3 in
/// their descriptor). Type 3 fonts are drawn by the PDF itself and count as embedded.
pub fn fonts_not_embedded(doc: &Document) -> BTreeSet<String> {
    let mut missing = BTreeSet::new();
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(Object::as_name).ok() != Some(b"Font".as_slice()) {
            continue;
        }
        let subtype = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        if subtype == b"Type3" || subtype == b"Type0" {
            // Type 0 fonts are checked through their descendant, which is a Font too.
            continue;
        }
        let name = dict
            .get(b"BaseFont")
            .and_then(Object::as_name)
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_else(|_| "(unnamed)".into());
        let embedded = dict
            .get(b"FontDescriptor")
            .ok()
            .and_then(|d| doc.dereference(d).ok())
            .and_then(|(_, d)| d.as_dict().ok())
            .is_some_and(|d| {
                [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"]
                    .iter()
                    .any(|k| d.has(k))
            });
        if !embedded {
            missing.insert(name);
        }
    }
    missing
}

/// The colours a PDF uses, as printers describe them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Colours {
    /// Process CMYK (`DeviceCMYK`).
    pub cmyk: bool,
    /// RGB (device or ICC-based with three components).
    pub rgb: bool,
    /// Grey only (`DeviceGray`).
    pub grey: bool,
    /// Named colorants of Separation colour spaces (`All` is registration).
    pub spots: BTreeSet<String>,
    /// RGB with no ICC profile (`DeviceRGB`): PDF/X-4 with a CMYK output intent forbids it.
    pub device_rgb: bool,
    /// What is not CMYK, described for the job sheet (e.g. "RGB image (ICC-based), 2").
    pub not_cmyk: BTreeSet<String>,
}

/// Which colours the PDF sets: colour operators in page and form content streams (placed
/// pages included), colour spaces of images, and Separation colour spaces.
pub fn colours(doc: &Document) -> Colours {
    let mut found = Colours::default();
    let mut images: BTreeMap<&'static str, usize> = BTreeMap::new();
    for object in doc.objects.values() {
        match object {
            Object::Stream(stream) => {
                let subtype = stream.dict.get(b"Subtype").and_then(Object::as_name).ok();
                match subtype {
                    Some(b"Form") => {
                        let bytes = stream
                            .decompressed_content()
                            .unwrap_or_else(|_| stream.content.clone());
                        scan_operators(&bytes, &mut found);
                    }
                    Some(b"Image") => {
                        if let Some(kind) = image_space(doc, &stream.dict, &mut found) {
                            *images.entry(kind).or_default() += 1;
                        }
                    }
                    _ => {}
                }
            }
            Object::Array(array) => separation(array, &mut found),
            Object::Dictionary(dict) => {
                for (_, value) in dict.iter() {
                    if let Object::Array(array) = value {
                        separation(array, &mut found);
                    }
                }
            }
            _ => {}
        }
    }
    let mut rgb_pages = Vec::new();
    for (number, id) in doc.get_pages() {
        if let Ok(content) = doc.get_page_content(id) {
            let before = found.rgb;
            found.rgb = false;
            scan_operators(&content, &mut found);
            if found.rgb {
                rgb_pages.push(number.to_string());
            }
            found.rgb |= before;
        }
    }
    for (kind, count) in images {
        found.not_cmyk.insert(format!("{kind} ({count})"));
    }
    if !rgb_pages.is_empty() {
        found.not_cmyk.insert(format!(
            "RGB vector colour on page(s) {}",
            rgb_pages.join(", ")
        ));
    }
    if found.grey {
        found
            .not_cmyk
            .insert("grey (DeviceGray: prints on the black plate)".into());
    }
    for spot in &found.spots {
        found.not_cmyk.insert(match spot.as_str() {
            "All" => "spot All (registration: crop marks, on every plate)".into(),
            other => format!("spot colour {other}"),
        });
    }
    found
}

/// Records an image's colour space; returns how to describe it when it is not CMYK.
fn image_space(
    doc: &Document,
    image: &lopdf::Dictionary,
    found: &mut Colours,
) -> Option<&'static str> {
    let space = image
        .get(b"ColorSpace")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .map(|(_, o)| o)?;
    let (components, icc) = match space {
        Object::Name(name) => match name.as_slice() {
            b"DeviceRGB" => (3, false),
            b"DeviceCMYK" => (4, false),
            b"DeviceGray" => (1, false),
            _ => (0, false),
        },
        Object::Array(array)
            if array.first().and_then(|o| o.as_name().ok()) == Some(b"ICCBased") =>
        {
            let n = array
                .get(1)
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_stream().ok())
                .and_then(|s| s.dict.get(b"N").and_then(Object::as_i64).ok())
                .unwrap_or(0);
            (n, true)
        }
        _ => (0, false),
    };
    match (components, icc) {
        (1, _) => {
            found.grey = true;
            Some("grey image")
        }
        (3, true) => {
            found.rgb = true;
            Some("RGB image with an ICC profile (converted by the printer)")
        }
        (3, false) => {
            found.rgb = true;
            found.device_rgb = true;
            Some("RGB image with no profile (DeviceRGB)")
        }
        (4, _) => {
            found.cmyk = true;
            None
        }
        _ => None,
    }
}

fn separation(array: &[Object], found: &mut Colours) {
    if array.first().and_then(|o| o.as_name().ok()) == Some(b"Separation".as_slice()) {
        if let Some(name) = array.get(1).and_then(|o| o.as_name().ok()) {
            found
                .spots
                .insert(String::from_utf8_lossy(name).into_owned());
        }
    }
}

/// Looks for colour operators in a content stream, read token by token (so that text in a
/// string such as `(k) Tj`, a name such as `/rg` or an inline image's data is never read as
/// one): `k`/`K` (CMYK), `rg`/`RG` (RGB, device), `g`/`G` (grey), and the device colour
/// spaces named by `cs`/`CS`. A lexer rather than lopdf's content parser: the parser builds
/// every operation of every page and placed page, which cost a press build tens of
/// milliseconds for these few operators.
fn scan_operators(bytes: &[u8], found: &mut Colours) {
    for (operator, first_operand) in content::operators(bytes) {
        match operator {
            b"k" | b"K" => found.cmyk = true,
            b"rg" | b"RG" => {
                found.rgb = true;
                found.device_rgb = true;
            }
            b"g" | b"G" => found.grey = true,
            b"cs" | b"CS" => match first_operand {
                Some(b"/DeviceCMYK") => found.cmyk = true,
                Some(b"/DeviceRGB") => {
                    found.rgb = true;
                    found.device_rgb = true;
                }
                Some(b"/DeviceGray") => found.grey = true,
                _ => {}
            },
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operator_inside_a_string_is_not_a_colour() {
        let mut found = Colours::default();
        scan_operators(b"BT /F1 12 Tf (0 0 0 1 k and rg) Tj ET 0.5 g", &mut found);
        assert!(
            !found.cmyk,
            "`k` in a shown string is text, not a CMYK colour"
        );
        assert!(!found.rgb);
        assert!(found.grey, "the `g` after the text is a real operator");
    }

    #[test]
    fn names_comments_inline_images_and_nested_strings_hide_no_operators() {
        let mut found = Colours::default();
        let stream = b"/rg gs % 1 0 0 rg in a comment\n\
            (a (nested) string with \\) 0 0 1 rg) Tj <0102> Tj \
            /Span <</ActualText (rg) /K 1>> BDC EMC \
            BI /W 1 /H 1 /BPC 8 /CS /RGB ID \x00 rg \xff EI Q";
        scan_operators(stream, &mut found);
        assert!(
            !found.rgb,
            "no RGB operator stands outside a string, name or image"
        );
        let ops: Vec<&[u8]> = content::operators(stream)
            .into_iter()
            .map(|(op, _)| op)
            .collect();
        assert_eq!(
            ops,
            [
                b"gs".as_slice(),
                b"Tj",
                b"Tj",
                b"BDC",
                b"EMC",
                b"BI",
                b"ID",
                b"EI",
                b"Q"
            ]
        );
    }

    #[test]
    fn a_colour_space_operator_reads_its_own_operand() {
        let ops = content::operators(b"/DeviceGray cs /Pattern CS /P0 scn");
        assert_eq!(ops[0], (b"cs".as_slice(), Some(b"/DeviceGray".as_slice())));
        assert_eq!(ops[1], (b"CS".as_slice(), Some(b"/Pattern".as_slice())));
        let mut found = Colours::default();
        scan_operators(b"q /DeviceGray CS 0.5 SC Q", &mut found);
        assert!(found.grey && !found.cmyk && !found.rgb);
    }

    #[test]
    fn device_colour_operators_are_found() {
        let mut found = Colours::default();
        scan_operators(b"0 0 0 1 k /DeviceRGB CS 1 0 0 SC", &mut found);
        assert!(found.cmyk && found.rgb && found.device_rgb);
    }
}
