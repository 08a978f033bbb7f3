//! Preflight: what a printer would reject in a press edition (`pdf: press`), found before
//! the files leave. Runs on the laid-out pages and on the finished PDF, every time a press
//! edition is made (`folio build`, `folio check`, `folio check --print`).
//!
//! Codes (documented in docs/print.md, "Print preflight"): `print-page-multiple`,
//! `image-low-resolution`, `image-rgb`, `missing-trimbox`, `text-too-small`,
//! `font-not-embedded`, `cover-not-bleeding`; and the PDF/X-4 rules of ISO 15930-7, one code
//! per requirement, read from the written file ([`pdfx`]): `pdfx-file-header`,
//! `pdfx-file-identifier`, `pdfx-encryption`, `pdfx-output-intent`, `pdfx-identification`,
//! `pdfx-trapped`, `pdfx-metadata`, `pdfx-page-boxes`, `pdfx-colour-space`,
//! `pdfx-annotations`, `pdfx-forms`, `pdfx-actions`.

use image::ExtendedColorType;
use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::visualize::{Color, Geometry, ImageKind, Paint, ProcessColorSpace, RasterImage};
use typst_layout::PagedDocument;

mod pdfx;

pub use self::pdfx::pdfx;
use super::press;
use super::sources::ImageSources;
use crate::diag::Severity;
use crate::finding::{Code, Finding};
use crate::inspect::text_runs;
use crate::project::{Edition, PdfProfile};

/// Every code the preflight reports: what `folio check --print` shows.
pub const CODES: &[Code] = &[
    Code::PrintPageMultiple,
    Code::ImageLowResolution,
    Code::ImageRgb,
    Code::MissingTrimbox,
    Code::TextTooSmall,
    Code::FontNotEmbedded,
    Code::CoverNotBleeding,
    Code::PdfxFileHeader,
    Code::PdfxFileIdentifier,
    Code::PdfxEncryption,
    Code::PdfxOutputIntent,
    Code::PdfxIdentification,
    Code::PdfxTrapped,
    Code::PdfxMetadata,
    Code::PdfxPageBoxes,
    Code::PdfxColourSpace,
    Code::PdfxAnnotations,
    Code::PdfxForms,
    Code::PdfxActions,
];

/// The closing line for one print file of `folio check --print`: whether its preflight
/// passed, and whether it is PDF/X-4, from its findings.
pub fn verdict(edition: &str, findings: &[Finding]) -> String {
    let mine: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.edition.as_deref() == Some(edition))
        .collect();
    let count = |s: Severity| mine.iter().filter(|f| f.severity == s).count();
    let pdfx = if mine
        .iter()
        .any(|f| f.code.name().starts_with("pdfx-") || f.code == Code::FontNotEmbedded)
    {
        "not PDF/X-4"
    } else {
        "PDF/X-4"
    };
    match (count(Severity::Error), count(Severity::Warning)) {
        (0, 0) => format!("{edition}: preflight passed, {pdfx}"),
        (0, w) => format!("{edition}: preflight passed with {w} warning(s), {pdfx}"),
        (e, w) => format!("{edition}: preflight FAILED, {e} error(s), {w} warning(s), {pdfx}"),
    }
}

/// Below this effective resolution (pixels per inch at the placed size) an image is a warning.
pub const GOOD_DPI: f64 = 300.0;
/// Below this it is an error: visibly blurred or jagged in print.
pub const LEAST_DPI: f64 = 150.0;
/// The smallest text a printer can hold sharp (and a reader can read), in points.
pub const MIN_TEXT_PT: f64 = 6.0;
/// The bleed asked for when an edition has none, in mm.
pub const DEFAULT_BLEED_MM: f64 = 3.0;
/// How far inside the trim a colour area may stop and still be read as "meant to bleed".
const NEAR_TRIM_MM: f64 = 2.0;

/// Every preflight finding for a made edition; nothing for screen editions. `press` is what
/// the finished PDF says about itself ([`press::finish`]); without it (a press PDF that could
/// not be read back), the PDF is reported as having no TrimBox.
pub fn check(
    doc: &PagedDocument,
    press: Option<&press::Facts>,
    publication: &str,
    name: &str,
    edition: &Edition,
    sources: &ImageSources,
) -> Vec<Finding> {
    if edition.pdf != PdfProfile::Press {
        return Vec::new();
    }
    let mut out = Vec::new();
    let imposed = edition.impose.is_some();
    let binding = edition
        .print
        .as_ref()
        .map(|p| p.binding)
        .unwrap_or_default();
    let pages = doc.pages().len();
    // The binding's need, read from the edition's one page-multiple rule.
    if let (Some(_), Some(multiple)) = (binding.pages_per_sheet(), edition.required_page_multiple())
    {
        if !pages.is_multiple_of(multiple) {
            out.push(
                Finding::new(Code::PrintPageMultiple, publication,
                    format!("{pages} pages cannot be bound by {}: the count must be a multiple of {multiple}", binding.describe()),
                    format!("add {} page(s) or remove {}; a layout pads with notes pages to the edition's `page-multiple: {multiple}`", multiple - pages % multiple, pages % multiple))
                .on(name, None),
            );
        }
    }
    let placed = placed(doc);
    out.extend(images(&placed, publication, name, sources));
    out.extend(small_text(doc, publication, name));
    if !imposed && pages > 0 {
        out.extend(cover_bleed(
            doc,
            &placed,
            edition.bleed_mm(),
            publication,
            name,
        ));
    }
    out.extend(pdf_checks(press, publication, name));
    out
}

/// Something drawn on a page, in page coordinates (points from the trim's top left).
enum Placed {
    /// A filled, non-white shape and its bounding box `[x0, y0, x1, y1]`.
    Fill { page: usize, bbox: [f64; 4] },
    /// A raster image at its placed width and height.
    Raster {
        page: usize,
        image: RasterImage,
        width_pt: f64,
        height_pt: f64,
    },
}

fn placed(doc: &PagedDocument) -> Vec<Placed> {
    fn walk(frame: &Frame, ts: Transform, page: usize, out: &mut Vec<Placed>) {
        for (pos, item) in frame.items() {
            let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
            match item {
                FrameItem::Group(g) => walk(&g.frame, here.pre_concat(g.transform), page, out),
                FrameItem::Shape(shape, _) => {
                    let Some(fill) = &shape.fill else { continue };
                    if is_white(fill) || matches!(shape.geometry, Geometry::Line(_)) {
                        continue;
                    }
                    let r = shape.bbox(false);
                    let corners = [
                        Point::new(r.min.x, r.min.y),
                        Point::new(r.max.x, r.min.y),
                        Point::new(r.min.x, r.max.y),
                        Point::new(r.max.x, r.max.y),
                    ]
                    .map(|p| p.transform(here));
                    let xs = corners.map(|p| p.x.to_pt());
                    let ys = corners.map(|p| p.y.to_pt());
                    let min = |v: [f64; 4]| v.into_iter().fold(f64::INFINITY, f64::min);
                    let max = |v: [f64; 4]| v.into_iter().fold(f64::NEG_INFINITY, f64::max);
                    out.push(Placed::Fill {
                        page,
                        bbox: [min(xs), min(ys), max(xs), max(ys)],
                    });
                }
                FrameItem::Image(image, size, _) => {
                    if let ImageKind::Raster(raster) = image.kind() {
                        let sx = here.sx.get().hypot(here.ky.get());
                        let sy = here.sy.get().hypot(here.kx.get());
                        out.push(Placed::Raster {
                            page,
                            image: raster.clone(),
                            width_pt: size.x.to_pt() * sx,
                            height_pt: size.y.to_pt() * sy,
                        });
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for (i, page) in doc.pages().iter().enumerate() {
        walk(&page.frame, Transform::identity(), i + 1, &mut out);
    }
    out
}

fn is_white(paint: &Paint) -> bool {
    match paint {
        // CMYK is read directly: converting it to RGB goes through an ICC transform, which
        // costs tens of milliseconds per page of shapes.
        Paint::Solid(color @ Color::Process(process))
            if process.space() == ProcessColorSpace::Cmyk =>
        {
            color.to_vec4().iter().all(|&ink| ink <= 0.01)
        }
        Paint::Solid(color) => {
            let rgb = color.to_rgb();
            rgb.red >= 0.99 && rgb.green >= 0.99 && rgb.blue >= 0.99
        }
        _ => false,
    }
}

/// Effective resolution of a placed raster image: pixels per inch on the smaller axis.
pub fn effective_dpi(pixels: (u32, u32), placed_pt: (f64, f64)) -> f64 {
    let per_inch = |px: u32, pt: f64| {
        if pt > 0.0 {
            px as f64 / (pt / 72.0)
        } else {
            f64::INFINITY
        }
    };
    per_inch(pixels.0, placed_pt.0).min(per_inch(pixels.1, placed_pt.1))
}

/// The colour type the image file has (before Typst converts it), read with `image`.
fn original_colour(image: &RasterImage) -> Option<ExtendedColorType> {
    use image::ImageDecoder;
    let reader = image::ImageReader::new(std::io::Cursor::new(image.data().as_slice()))
        .with_guessed_format()
        .ok()?;
    Some(reader.into_decoder().ok()?.original_color_type())
}

fn images(
    placed: &[Placed],
    publication: &str,
    name: &str,
    sources: &ImageSources,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for item in placed {
        let Placed::Raster {
            page,
            image,
            width_pt,
            height_pt,
        } = item
        else {
            continue;
        };
        // An image of the Markdown is named as written and found at its line; another (a
        // partner's logo) at its page.
        let shown = sources.find(image.data().as_slice());
        let what = shown.map_or("an image".to_string(), |s| format!("image `{}`", s.written));
        let place = |f: Finding| match shown {
            Some(s) => f.at(s.at.clone()).on(name, None),
            None => f.on(name, Some(*page)),
        };
        let dynamic = image.dynamic();
        let dpi = effective_dpi((dynamic.width(), dynamic.height()), (*width_pt, *height_pt));
        let size = format!(
            "{} × {} px at {:.0} × {:.0} mm",
            dynamic.width(),
            dynamic.height(),
            width_pt / press::PT_PER_MM,
            height_pt / press::PT_PER_MM
        );
        if dpi < GOOD_DPI {
            let severity = if dpi < LEAST_DPI {
                Severity::Error
            } else {
                Severity::Warning
            };
            out.push(place(
                Finding::new(
                    Code::ImageLowResolution,
                    publication,
                    format!("{what} prints at {dpi:.0} dpi in {name} ({size}); print needs {GOOD_DPI:.0}"),
                    format!(
                        "supply the image with at least {:.0} × {:.0} px, or place it smaller",
                        (width_pt / 72.0 * GOOD_DPI).ceil(),
                        (height_pt / 72.0 * GOOD_DPI).ceil()
                    ),
                )
                .severity(severity),
            ));
        }
        let rgb = matches!(
            original_colour(image),
            Some(
                ExtendedColorType::Rgb8
                    | ExtendedColorType::Rgba8
                    | ExtendedColorType::Rgb16
                    | ExtendedColorType::Rgba16
                    | ExtendedColorType::Rgb32F
                    | ExtendedColorType::Rgba32F
                    | ExtendedColorType::Bgr8
                    | ExtendedColorType::Bgra8
                    | ExtendedColorType::Rgb1
                    | ExtendedColorType::Rgb2
                    | ExtendedColorType::Rgb4
                    | ExtendedColorType::Rgba1
                    | ExtendedColorType::Rgba2
                    | ExtendedColorType::Rgba4
            )
        );
        if rgb {
            out.push(place(Finding::new(Code::ImageRgb, publication,
                format!("{what} is RGB in {name} ({size}); the printer converts it to CMYK with their press profile"),
                "nothing to change: keep images RGB (folio refuses CMYK JPEGs, which the screen editions cannot carry); \
                 where colours matter, ask the printer for a proof")));
        }
    }
    out
}

fn small_text(doc: &PagedDocument, publication: &str, name: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut last_page = 0;
    for run in text_runs(doc) {
        if run.size_pt < MIN_TEXT_PT - 0.01 && run.page != last_page && !run.text.trim().is_empty()
        {
            last_page = run.page;
            out.push(Finding::new(Code::TextTooSmall, publication,
                format!("text at {:.1} pt: \"{}\"", run.size_pt, run.text.trim()),
                format!("print needs {MIN_TEXT_PT:.0} pt at the very least: fix the layout's text sizes"))
                .on(name, Some(run.page)));
        }
    }
    out
}

/// On the first and last page (the covers), a colour area that reaches (or nearly reaches)
/// a trim edge must run on to the bleed edge, or trimming leaves a white sliver.
fn cover_bleed(
    doc: &PagedDocument,
    placed: &[Placed],
    bleed_mm: f64,
    publication: &str,
    name: &str,
) -> Vec<Finding> {
    let need = if bleed_mm > 0.0 {
        bleed_mm
    } else {
        DEFAULT_BLEED_MM
    } * press::PT_PER_MM;
    let near = NEAR_TRIM_MM * press::PT_PER_MM;
    let tolerance = 0.05 * press::PT_PER_MM;
    let last = doc.pages().len();
    let mut out = Vec::new();
    for page in [1, last] {
        if out.iter().any(|f: &Finding| f.page == Some(page)) {
            continue;
        }
        let frame = &doc.pages()[page - 1].frame;
        let (w, h) = (frame.width().to_pt(), frame.height().to_pt());
        // For each edge: how far past the trim the area goes (negative: stops inside).
        let short = placed.iter().find_map(|item| {
            let Placed::Fill {
                page: p,
                bbox: [x0, y0, x1, y1],
            } = item
            else {
                return None;
            };
            if *p != page {
                return None;
            }
            let past = [
                ("left", -x0),
                ("top", -y0),
                ("right", x1 - w),
                ("bottom", y1 - h),
            ];
            past.into_iter()
                .find(|(_, d)| *d > -near && *d < need - tolerance)
        });
        if let Some((edge, past)) = short {
            let how = if past < -tolerance {
                format!("stops {:.1} mm inside the trim", -past / press::PT_PER_MM)
            } else if past <= tolerance {
                "stops at the trim".to_string()
            } else {
                format!("runs only {:.1} mm past the trim", past / press::PT_PER_MM)
            };
            out.push(Finding::new(Code::CoverNotBleeding, publication,
                format!("a colour area on the cover {how} at the {edge} edge; it needs {:.0} mm of bleed", need / press::PT_PER_MM),
                "give the edition `print: { bleed-mm: 3 }` and run cover colour areas into the bleed (the shipped layouts do)")
                .on(name, Some(page)));
        }
    }
    out
}

/// Checks on the PDF itself: page boxes and fonts.
fn pdf_checks(press: Option<&press::Facts>, publication: &str, name: &str) -> Vec<Finding> {
    let Some(facts) = press else {
        return vec![Finding::new(
            Code::MissingTrimbox,
            publication,
            "the press PDF could not be read back, so its page boxes are unknown",
            "this is a bug in folio or Typst; please report it with the publication",
        )
        .on(name, None)];
    };
    let mut out = Vec::new();
    let boxes = &facts.boxes;
    let missing: Vec<usize> = boxes
        .iter()
        .enumerate()
        .filter(|(_, b)| b.trim.is_none())
        .map(|(i, _)| i + 1)
        .collect();
    if let Some(first) = missing.first() {
        out.push(Finding::new(Code::MissingTrimbox, publication,
            format!("{} of {} page(s) have no TrimBox: the printer cannot tell where to cut", missing.len(), boxes.len()),
            "give the edition bleed (`print: { bleed-mm: 3 }`): Typst writes a TrimBox for pages with bleed")
            .on(name, Some(*first)));
    }
    let fonts = &facts.fonts_not_embedded;
    if !fonts.is_empty() {
        out.push(Finding::new(Code::FontNotEmbedded, publication,
            format!("font(s) not embedded: {}", fonts.iter().map(String::as_str).collect::<Vec<_>>().join(", ")),
            "a printer substitutes missing fonts; embed every font (Typst does for fonts in fonts/)")
            .on(name, None));
    }
    out.extend(pdfx(facts, publication, name));
    out
}
