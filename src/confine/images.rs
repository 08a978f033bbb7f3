//! Images are checked before Typst sees them.
//!
//! Typst decodes an image by allocating what its header claims: a 74-byte PNG that claims
//! 100,000 × 100,000 pixels makes it ask for 30 GB and the process aborts. A truncated or
//! mislabelled image fails deep inside a layout, reported at a layout line that does not
//! name the image. So folio checks every image itself, first:
//!
//! 1. the format is read from the content (not the name) and must be PNG or JPEG, matching
//!    the extension when the name has an image extension;
//! 2. the header's dimensions must be within [`MAX_SIDE`] a side and [`MAX_PIXELS`] in all;
//! 3. the whole image is decoded once, with at most [`MAX_DECODE_BYTES`] of memory, which
//!    catches truncated and corrupt files.
//!
//! Images that passed are remembered by a hash of their bytes, so that the world and the
//! content loader (and every rebuild in watch mode) decode each image only once.

use std::collections::HashSet;
use std::io::Cursor;
use std::sync::Mutex;

use image::{ImageFormat, ImageReader, Limits};

/// Widest or tallest image accepted, in pixels: 10,000, over 80 cm at 300 dpi.
pub const MAX_SIDE: u32 = 10_000;

/// Most pixels accepted in one image: 50 million (e.g. 8,660 × 5,770).
pub const MAX_PIXELS: u64 = 50_000_000;

/// Most memory one image may take to decode: 256 MiB, enough for [`MAX_PIXELS`] of 8-bit
/// RGBA (200 MB).
pub const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

/// File extensions of raster images: files named like this are checked even when their
/// content is not recognisably an image (a `.png` that is really text).
const RASTER_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff", "ico", "avif",
];

/// Why an image cannot be used. The messages say what is wrong, never what the file holds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("its content is not a PNG or JPEG image")]
    NotAnImage,
    #[error("it is a {found} image; folio takes PNG and JPEG images")]
    Unsupported { found: String },
    #[error("it is named `.{extension}` but is a {found} image")]
    Mismatch { extension: String, found: String },
    #[error("it is {width} × {height} pixels, more than folio accepts ({MAX_SIDE} a side, {} megapixels in all)", MAX_PIXELS / 1_000_000)]
    TooLarge { width: u32, height: u32 },
    #[error("it would take more than {} MiB of memory to decode", MAX_DECODE_BYTES / (1024 * 1024))]
    TooMuchMemory,
    #[error("it is a CMYK JPEG, which the screen editions (PDF/A) cannot carry")]
    Cmyk,
    #[error("it is damaged or cut short ({detail})")]
    Damaged { detail: String },
}

impl ImageError {
    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            Self::NotAnImage | Self::Unsupported { .. } | Self::Mismatch { .. } => {
                "save the image as PNG (drawings, charts) or JPEG (photographs) with the matching \
                 extension"
            }
            Self::TooLarge { .. } | Self::TooMuchMemory => {
                "scale the image down: 300 pixels per inch at its printed size is enough"
            }
            Self::Damaged { .. } => "export or download the image again; the file is incomplete",
            Self::Cmyk => {
                "save it as an RGB (sRGB) JPEG: folio puts RGB images in every edition, and the \
                 printer converts the print files' images with their press profile"
            }
        }
    }
}

/// What a checked image is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckedImage {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
}

/// Whether a file named `name` with these bytes must pass [`check`] before Typst may read
/// it: raster extensions, and any content Typst would decode as a raster image (it sniffs
/// PNG, JPEG, GIF and WebP). Weaker signatures (`BM`, `P1`) are left alone: they begin
/// ordinary text and data files that layouts read.
pub fn is_raster(name: &str, bytes: &[u8]) -> bool {
    extension(name).is_some_and(|x| RASTER_EXTENSIONS.contains(&x.as_str()))
        || matches!(
            image::guess_format(bytes),
            Ok(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::WebP)
        )
}

/// The lowercase extension of a file name.
pub fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.contains('/')).then(|| ext.to_ascii_lowercase())
}

/// Checks an image file's bytes; `name` is its file name (for the extension).
pub fn check(name: &str, bytes: &[u8]) -> Result<CheckedImage, ImageError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::Damaged {
            detail: e.to_string(),
        })?;
    let format = reader.format().ok_or(ImageError::NotAnImage)?;
    let found = format_name(format);
    if !matches!(format, ImageFormat::Png | ImageFormat::Jpeg) {
        return Err(ImageError::Unsupported { found });
    }
    if let Some(ext) = extension(name).filter(|x| RASTER_EXTENSIONS.contains(&x.as_str())) {
        if !format.extensions_str().contains(&ext.as_str()) {
            return Err(ImageError::Mismatch {
                extension: ext,
                found,
            });
        }
    }
    if format == ImageFormat::Jpeg && jpeg_components(bytes) == Some(4) {
        return Err(ImageError::Cmyk);
    }
    // The header alone: nothing is allocated for the pixels yet.
    let (width, height) = reader.into_dimensions().map_err(damaged)?;
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ImageError::TooLarge { width, height });
    }
    let checked = CheckedImage {
        format,
        width,
        height,
    };
    let key = typst::utils::hash128(bytes);
    if passed().lock().expect("image cache").contains(&key) {
        return Ok(checked);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    reader.decode().map_err(damaged)?;
    passed().lock().expect("image cache").insert(key);
    Ok(checked)
}

/// The number of colour components a JPEG's frame header gives (1 grey, 3 RGB, 4 CMYK or
/// YCCK), read from the markers; `None` when no frame header is found.
pub fn jpeg_components(bytes: &[u8]) -> Option<u8> {
    let mut i = 2; // after SOI
    while i + 3 < bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        match marker {
            // Fill bytes, and markers that stand alone.
            0xFF => i += 1,
            0x01 | 0xD0..=0xD7 => i += 2,
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                return bytes.get(i + 9).copied();
            }
            0xD9 | 0xDA => return None,
            _ => {
                let length = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
                i += 2 + length;
            }
        }
    }
    None
}

/// Hashes of the images that passed a full decode in this process.
fn passed() -> &'static Mutex<HashSet<u128>> {
    static PASSED: std::sync::OnceLock<Mutex<HashSet<u128>>> = std::sync::OnceLock::new();
    PASSED.get_or_init(Default::default)
}

fn damaged(e: image::ImageError) -> ImageError {
    match e {
        image::ImageError::Limits(_) => ImageError::TooMuchMemory,
        image::ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            ImageError::Damaged {
                detail: "the file ends early".into(),
            }
        }
        // Decoder messages describe the structure (chunks, markers), not the content; they
        // are cut short all the same, so that nothing long is ever echoed.
        other => ImageError::Damaged {
            detail: other.to_string().chars().take(120).collect(),
        },
    }
}

fn format_name(format: ImageFormat) -> String {
    format!("{format:?}").to_uppercase()
}
