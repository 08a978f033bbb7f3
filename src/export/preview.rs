//! Page previews: a PNG per page (typst-render) and a contact sheet per edition (image crate).
//!
//! Pages are compared by a hash of their laid-out frame, so a rebuild renders again only
//! the pages whose content changed.

use std::path::{Path, PathBuf};

use typst::layout::Abs;
use typst::utils::{hash128, Scalar};
use typst_layout::{Page, PagedDocument};
use typst_render::RenderOptions;

use super::atomic;

/// Preview resolution: 1.5 px per point (108 dpi), sharp on screen and quick to render.
pub const PIXEL_PER_PT: f64 = 1.5;
/// Width of one thumbnail on the contact sheet, in pixels.
const THUMB_WIDTH: u32 = 180;
/// Thumbnails per row on the contact sheet.
const THUMBS_PER_ROW: u32 = 4;
/// Space between and around thumbnails, in pixels.
const GAP: u32 = 16;

/// What a preview pass did.
#[derive(Debug, Clone, Default)]
pub struct Previews {
    /// A hash per page, to pass to the next pass.
    pub hashes: Vec<u128>,
    /// 1-based numbers of the pages rendered in this pass.
    pub rendered: Vec<usize>,
    /// The page PNGs, in page order.
    pub pages: Vec<PathBuf>,
    pub contact_sheet: PathBuf,
}

/// The PNG of page `n` (1-based) in `dir`.
pub fn page_path(dir: &Path, n: usize) -> PathBuf {
    dir.join(format!("page-{n:02}.png"))
}

/// A page's identity for "did it change": its frame, fill and bleed.
pub fn page_hash(page: &Page) -> u128 {
    hash128(&(&page.frame, &page.fill, &page.bleed))
}

/// Writes previews of `doc` into `dir`, rendering only pages whose hash differs from
/// `previous` (or whose PNG is missing), and refreshes the contact sheet when anything changed.
pub fn write(doc: &PagedDocument, dir: &Path, previous: &[u128]) -> std::io::Result<Previews> {
    std::fs::create_dir_all(dir)?;
    let options = RenderOptions {
        pixel_per_pt: Scalar::new(PIXEL_PER_PT),
        render_bleed: true,
    };
    let mut out = Previews {
        contact_sheet: dir.join("contact-sheet.png"),
        ..Previews::default()
    };
    for (i, page) in doc.pages().iter().enumerate() {
        let n = i + 1;
        let hash = page_hash(page);
        let path = page_path(dir, n);
        if previous.get(i) != Some(&hash) || !path.exists() {
            let png = typst_render::render(page, &options)
                .encode_png()
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            atomic::write(&path, &png)?;
            out.rendered.push(n);
        }
        out.hashes.push(hash);
        out.pages.push(path);
    }
    // Pages that no longer exist (the edition got shorter).
    let mut n = doc.pages().len() + 1;
    while page_path(dir, n).exists() {
        std::fs::remove_file(page_path(dir, n))?;
        n += 1;
    }
    if !out.rendered.is_empty() || previous.len() != out.hashes.len() || !out.contact_sheet.exists()
    {
        contact_sheet(
            &out.pages,
            &out.contact_sheet,
            doc.pages().first().map(|p| p.frame.size().x),
        )?;
    }
    Ok(out)
}

/// All pages as thumbnails on one PNG, left to right, top to bottom.
fn contact_sheet(pages: &[PathBuf], path: &Path, _page_width: Option<Abs>) -> std::io::Result<()> {
    use image::{imageops, Rgba, RgbaImage};
    let thumbs: Vec<RgbaImage> = pages
        .iter()
        .map(|p| {
            let img = image::open(p)
                .map_err(|e| std::io::Error::other(e.to_string()))?
                .to_rgba8();
            let height =
                (img.height() as f64 * THUMB_WIDTH as f64 / img.width() as f64).round() as u32;
            Ok(imageops::resize(
                &img,
                THUMB_WIDTH,
                height.max(1),
                imageops::FilterType::Triangle,
            ))
        })
        .collect::<std::io::Result<_>>()?;
    let cell_h = thumbs.iter().map(|t| t.height()).max().unwrap_or(1);
    let cell_w = thumbs
        .iter()
        .map(|t| t.width())
        .max()
        .unwrap_or(THUMB_WIDTH);
    let cols = THUMBS_PER_ROW.min(thumbs.len().max(1) as u32);
    let rows = (thumbs.len() as u32).div_ceil(cols).max(1);
    let mut sheet = RgbaImage::from_pixel(
        GAP + cols * (cell_w + GAP),
        GAP + rows * (cell_h + GAP),
        Rgba([226, 229, 233, 255]),
    );
    for (i, thumb) in thumbs.iter().enumerate() {
        let (col, row) = (i as u32 % cols, i as u32 / cols);
        let x = GAP + col * (cell_w + GAP);
        let y = GAP + row * (cell_h + GAP);
        // A white backing: transparent page areas show as paper, not as the grey sheet.
        imageops::overlay(
            &mut sheet,
            &RgbaImage::from_pixel(thumb.width(), thumb.height(), Rgba([255; 4])),
            x as i64,
            y as i64,
        );
        imageops::overlay(&mut sheet, thumb, x as i64, y as i64);
    }
    let mut png = std::io::Cursor::new(Vec::new());
    sheet
        .write_to(&mut png, image::ImageFormat::Png)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    atomic::write(path, &png.into_inner())
}
