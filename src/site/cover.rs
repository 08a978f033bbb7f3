//! The cover thumbnail: the first page of one edition, rendered small (typst-render).

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ImageEncoder, RgbImage};
use typst::utils::Scalar;
use typst_layout::Page;
use typst_render::RenderOptions;

use super::entry::Cover;
use super::SiteEdition;
use crate::project::{PdfProfile, Project};

/// The thumbnail's display width in CSS pixels; the PNG has twice as many, for sharp
/// screens.
pub const COVER_WIDTH: u32 = 72;
/// The thumbnail's file name in the publication's output folder.
pub const COVER_FILE: &str = "cover.png";

/// The edition the cover comes from: `web.cover`, else the first screen edition made,
/// else the first made.
pub fn edition<'a>(
    project: &Project,
    outputs: &'a [SiteEdition<'a>],
) -> Option<&'a SiteEdition<'a>> {
    let mut sorted: Vec<&SiteEdition> = outputs.iter().filter(|o| o.doc.is_some()).collect();
    sorted.sort_by_key(|o| o.edition);
    let wanted = project.web.cover.as_deref();
    sorted
        .iter()
        .find(|o| Some(o.edition) == wanted)
        .or_else(|| {
            sorted
                .iter()
                .find(|o| project.editions[o.edition].pdf == PdfProfile::Screen)
        })
        .or(sorted.first())
        .copied()
}

/// The first page of `output` as a PNG, with what the entry says about it.
pub fn render(output: &SiteEdition) -> Option<(Cover, Vec<u8>)> {
    let page = output.doc?.pages().first()?;
    let (png, width, height) = thumbnail(page)?;
    let cover = Cover {
        path: COVER_FILE.to_string(),
        width: COVER_WIDTH,
        height: (f64::from(COVER_WIDTH) * f64::from(height) / f64::from(width)).round() as u32,
        edition: output.edition.to_string(),
    };
    Some((cover, png))
}

/// PNG bytes of `page` at twice [`COVER_WIDTH`], and the image's size.
fn thumbnail(page: &Page) -> Option<(Vec<u8>, u32, u32)> {
    let width_pt = page.frame.size().x.to_pt();
    if !(width_pt.is_finite() && width_pt > 0.0) {
        return None;
    }
    let options = RenderOptions {
        pixel_per_pt: Scalar::new(f64::from(2 * COVER_WIDTH) / width_pt),
        render_bleed: false,
    };
    let pixmap = typst_render::render(page, &options);
    let (w, h) = (pixmap.width(), pixmap.height());
    // Pages are opaque: drop the alpha channel, a quarter of the file.
    let rgb: Vec<u8> = pixmap
        .take()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let image = RgbImage::from_raw(w, h, rgb)?;
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive)
        .write_image(image.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .ok()?;
    Some((out, w, h))
}
