//! A brand's logo, made safe and checked for print: decoded with limits (a small file that
//! claims to be huge is refused before its pixels are allocated), required to print at
//! 300 dpi or more at the size the layouts place it, and re-encoded as a plain PNG (no
//! metadata, no ancillary chunks) before any compiler sees it.

use std::io::Cursor;
use std::path::Path;

use image::{ImageFormat, ImageReader, Limits};

use crate::confine::{ConfineError, Root};
use crate::diag::{Location, Problem};
use crate::project::brand::Brand;

/// The box a logo is printed in, in mm (width, height): the "Your hospital team" block
/// places the logo at its largest size inside this box, keeping its proportions.
pub const LOGO_BOX_MM: (f64, f64) = (40.0, 16.0);
/// The print rule: pixels per inch at the printed size.
pub const MIN_DPI: f64 = 300.0;
/// The largest logo file read.
const MAX_FILE_BYTES: u64 = 5_000_000;
/// The largest logo, in pixels on each side (a 40 mm logo at 1,200 dpi is 1,890 px).
const MAX_SIDE: u32 = 4_000;
/// The most memory the decoder may allocate.
const MAX_ALLOC: u64 = 80 << 20;

/// A logo ready for the layouts: PNG bytes and its printed size.
#[derive(Debug, Clone, PartialEq)]
pub struct Logo {
    /// Re-encoded PNG.
    pub png: Vec<u8>,
    pub width_mm: f64,
    pub height_mm: f64,
}

/// Reads, checks and re-encodes the logo of `brand` (None when it has none).
pub fn load(brand: &Brand) -> Result<Option<Logo>, Problem> {
    let Some(path) = &brand.logo else {
        return Ok(None);
    };
    // Read under the confinement rule, confined to the folder the logo lies in (inside the
    // brand's folder, as brand.yaml's check made sure): a logo swapped for a link since,
    // or for a FIFO, is refused unread.
    let folder = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(Path::new).unwrap_or(path);
    let bytes = Root::new(folder)
        .map_err(|e| problem(path, format!("cannot read the logo: {e}"), "check the file"))?
        .read(name, MAX_FILE_BYTES)
        .map_err(|e| match e {
            ConfineError::TooLarge { .. } => problem(
                path,
                format!("the logo is larger than {MAX_FILE_BYTES} bytes"),
                "save a smaller file: a logo needs no more than about 1,000 × 400 pixels",
            ),
            other => problem(path, other.to_string(), other.hint()),
        })?;
    prepare(&bytes)
        .map(Some)
        .map_err(|(message, hint)| problem(path, message, &hint))
}

/// Decodes `bytes` with limits, checks the resolution at the printed size and re-encodes
/// the image as PNG. Errors are (message, hint).
pub fn prepare(bytes: &[u8]) -> Result<Logo, (String, String)> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| {
            (
                format!("cannot read the logo: {e}"),
                "save it as PNG or JPEG".into(),
            )
        })?;
    if !matches!(reader.format(), Some(ImageFormat::Png | ImageFormat::Jpeg)) {
        return Err((
            "the logo is not a PNG or JPEG image".into(),
            "save it as PNG or JPEG".into(),
        ));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| {
        (
            format!("the logo cannot be decoded safely: {e}"),
            format!("save it as a PNG or JPEG of at most {MAX_SIDE} × {MAX_SIDE} pixels"),
        )
    })?;
    let (w, h) = (image.width() as f64, image.height() as f64);
    let (width_mm, height_mm) = printed_size(w, h);
    let dpi = w / (width_mm / 25.4);
    if dpi + 1e-6 < MIN_DPI {
        let need_w = (width_mm / 25.4 * MIN_DPI).ceil();
        let need_h = (height_mm / 25.4 * MIN_DPI).ceil();
        return Err((
            format!(
                "the logo is {w} × {h} pixels: {dpi:.0} dpi at its printed size ({width_mm:.1} × {height_mm:.1} mm); print needs {MIN_DPI:.0} dpi"
            ),
            format!("use a logo of at least {need_w} × {need_h} pixels (ask the partner for a larger file)"),
        ));
    }
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Png).map_err(|e| {
        (
            format!("cannot re-encode the logo: {e}"),
            "save it again as PNG".into(),
        )
    })?;
    Ok(Logo {
        png: out.into_inner(),
        width_mm,
        height_mm,
    })
}

/// The printed size of a `w` × `h` pixel logo: as large as fits [`LOGO_BOX_MM`].
pub fn printed_size(w: f64, h: f64) -> (f64, f64) {
    let (box_w, box_h) = LOGO_BOX_MM;
    let scale = (box_w / w).min(box_h / h);
    let round = |mm: f64| (mm * 100.0).round() / 100.0;
    (round(w * scale), round(h * scale))
}

fn problem(path: &Path, message: String, hint: &str) -> Problem {
    Problem::error(message)
        .at(Location::file(path))
        .hint(hint.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image::RgbImage::from_pixel(w, h, image::Rgb([10, 80, 120]))
            .write_to(&mut out, ImageFormat::Png)
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn a_wide_logo_prints_at_the_box_width() {
        assert_eq!(printed_size(1000.0, 250.0), (40.0, 10.0));
        assert_eq!(printed_size(400.0, 400.0), (16.0, 16.0));
    }

    #[test]
    fn a_logo_below_300_dpi_at_its_printed_size_is_refused_with_the_pixels_needed() {
        let (message, hint) = prepare(&png(300, 75)).unwrap_err();
        assert!(message.contains("190 dpi"), "{message}");
        assert!(hint.contains("473 × 119"), "{hint}");
    }

    #[test]
    fn a_sharp_logo_is_re_encoded_as_png() {
        let logo = prepare(&png(600, 150)).unwrap();
        assert!(logo.png.starts_with(b"\x89PNG"));
        assert_eq!((logo.width_mm, logo.height_mm), (40.0, 10.0));
    }

    #[test]
    fn a_png_that_claims_to_be_huge_is_refused() {
        // A PNG header that claims 100,000 × 100,000 pixels.
        let mut bytes = png(2, 2);
        bytes[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let (message, _) = prepare(&bytes).unwrap_err();
        assert!(message.contains("cannot be decoded safely"), "{message}");
    }

    #[test]
    fn text_pretending_to_be_a_logo_is_refused() {
        assert!(prepare(b"#read(\"/etc/passwd\")").is_err());
    }
}
