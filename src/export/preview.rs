//! Page previews: a PNG per page (typst-render) and a contact sheet per edition (image crate).
//!
//! Pages are compared by a hash of their laid-out frame, so a rebuild renders again only
//! the pages whose content changed.

use std::path::{Path, PathBuf};

use image::{imageops, Rgba, RgbaImage};
use typst::layout::{Frame, FrameItem};
use typst::utils::{hash128, Scalar};
use typst::visualize::ImageKind;
use typst_layout::{Page, PagedDocument};
use typst_render::RenderOptions;

/// Preview resolution: 1.5 px per point (108 dpi), sharp on screen and quick to render.
pub const PIXEL_PER_PT: f64 = 1.5;
/// Width of one thumbnail on the contact sheet, in pixels.
const THUMB_WIDTH: u32 = 180;
/// Thumbnails per row on the contact sheet.
const THUMBS_PER_ROW: u32 = 4;
/// Space between and around thumbnails, in pixels.
const GAP: u32 = 16;

/// What is remembered of an edition's previews between passes.
#[derive(Debug, Clone, Default)]
pub struct PreviewHashes {
    /// A hash per page.
    pub hashes: Vec<u128>,
    /// A thumbnail per page, for the contact sheet.
    pub thumbs: Vec<RgbaImage>,
    /// Pages were rendered by [`render_only`] since the contact sheet was last drawn.
    pub sheet_stale: bool,
}

/// What a preview pass made. Nothing is on disk yet: the caller writes `files` (with the
/// publication's other files, as one unit) and removes `stale`.
#[derive(Debug, Clone, Default)]
pub struct Previews {
    /// The PNGs rendered in this pass, to write: path and bytes.
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// Pages of an earlier, longer edition, to remove.
    pub stale: Vec<PathBuf>,
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
///
/// A page that places pages of another PDF (an imposed sheet) would change whenever any page
/// of that PDF changes, since the image is the whole file. `sources` gives the identity of
/// each placed page instead (the source edition's own page hashes), so that only the sheets
/// showing a changed page are rendered again.
pub fn page_hash(page: &Page, sources: &[u128]) -> u128 {
    let mut parts = Vec::new();
    frame_parts(&page.frame, sources, &mut parts);
    hash128(&(parts, &page.fill, &page.bleed))
}

fn frame_parts(frame: &Frame, sources: &[u128], parts: &mut Vec<u128>) {
    parts.push(hash128(&frame.size()));
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                parts.push(hash128(&(pos, group.transform, &group.clip)));
                frame_parts(&group.frame, sources, parts);
            }
            FrameItem::Image(image, size, _) => match image.kind() {
                ImageKind::Pdf(pdf) if !sources.is_empty() => parts.push(hash128(&(
                    pos,
                    pdf.page_index(),
                    sources.get(pdf.page_index()),
                    size,
                ))),
                _ => parts.push(hash128(&(pos, item))),
            },
            // Introspection tags and link areas draw nothing, and tags change with content
            // elsewhere in the document: leave them out.
            FrameItem::Tag(_) | FrameItem::Link(..) => {}
            _ => parts.push(hash128(&(pos, item))),
        }
    }
}

/// One edition's pages to preview, and the folder of their PNGs.
pub struct EditionPages<'a> {
    pub pages: PageSource<'a>,
    pub dir: PathBuf,
}

/// Where an edition's preview pages come from.
pub enum PageSource<'a> {
    /// Laid-out pages, rendered by typst-render; `sources`: for an imposed edition, the
    /// hashes of the pages it places (see [`page_hash`]).
    Typeset {
        doc: &'a PagedDocument,
        sources: Vec<u128>,
    },
    /// Pages folio draws itself (braille).
    Drawn(&'a Drawn),
}

/// Pages drawn by folio rather than typeset: what identifies each page (its picture
/// follows from it alone, so an unchanged key is an unchanged picture) and how to draw page
/// `i`. Only the pages whose key changed are drawn.
pub struct Drawn {
    pub keys: Vec<u128>,
    pub draw: Box<dyn Fn(usize) -> RgbaImage + Send + Sync>,
}

impl PageSource<'_> {
    fn count(&self) -> usize {
        match self {
            PageSource::Typeset { doc, .. } => doc.pages().len(),
            PageSource::Drawn(drawn) => drawn.keys.len(),
        }
    }

    fn hash(&self, i: usize) -> u128 {
        match self {
            PageSource::Typeset { doc, sources } => page_hash(&doc.pages()[i], sources),
            PageSource::Drawn(drawn) => drawn.keys[i],
        }
    }

    /// Page `i`'s thumbnail and PNG.
    fn image(&self, i: usize, options: &RenderOptions) -> std::io::Result<(RgbaImage, Vec<u8>)> {
        let image = match self {
            PageSource::Typeset { doc, .. } => raster(&doc.pages()[i], options),
            PageSource::Drawn(drawn) => (drawn.draw)(i),
        };
        Ok((thumbnail(&image), png(&image)?))
    }
}

/// Renders previews of `doc` for `dir`, only pages whose hash differs from what `kept`
/// remembers (or whose PNG is missing), and the contact sheet when anything changed. See
/// [`render_editions`], which this is for one edition.
pub fn render(
    doc: &PagedDocument,
    dir: &Path,
    kept: &mut PreviewHashes,
    sources: &[u128],
    stop: &(dyn Fn() -> bool + Sync),
) -> std::io::Result<Previews> {
    let edition = EditionPages {
        pages: PageSource::Typeset {
            doc,
            sources: sources.to_vec(),
        },
        dir: dir.to_path_buf(),
    };
    let mut results = render_editions(&[edition], std::slice::from_mut(kept), stop);
    results.pop().expect("one result per edition")
}

/// Renders the changed pages of several editions (`kept[i]` remembers `editions[i]`), with
/// one worker per core taking pages from all of them, then the editions' contact sheets
/// side by side. Before each page and before the contact sheets it asks `stop` whether to
/// give up (`folio watch`: a newer save came): then the editions not finished fail with
/// [`std::io::ErrorKind::Interrupted`], and `kept` may hold some of the new hashes, so the
/// caller puts back what it had. One pool for all editions, rather than workers per
/// edition, keeps at most one page per core in flight when a newer save comes.
pub fn render_editions(
    editions: &[EditionPages],
    kept: &mut [PreviewHashes],
    stop: &(dyn Fn() -> bool + Sync),
) -> Vec<std::io::Result<Previews>> {
    let (jobs, recounted) = changed_pages(editions, kept);
    let rendered = render_pool(editions, &jobs, stop);
    let mut outs: Vec<std::io::Result<Previews>> = editions
        .iter()
        .map(|edition| {
            Ok(Previews {
                contact_sheet: edition.dir.join("contact-sheet.png"),
                ..Previews::default()
            })
        })
        .collect();
    for (e, result) in rendered {
        let Ok(out) = &mut outs[e] else { continue };
        match result {
            Ok((i, hash, thumb, bytes)) => {
                kept[e].hashes[i] = hash;
                kept[e].thumbs[i] = thumb;
                out.rendered.push(i + 1);
                out.files.push((page_path(&editions[e].dir, i + 1), bytes));
            }
            Err(error) => outs[e] = Err(error),
        }
    }
    // The contact sheets, side by side: each edition's is its own work.
    let stopped = stop();
    std::thread::scope(|scope| {
        let handles: Vec<_> = outs
            .into_iter()
            .zip(editions.iter().zip(kept.iter_mut()).zip(recounted))
            .map(|(out, ((edition, kept), recounted))| {
                scope.spawn(move || {
                    let mut out = out?;
                    if stopped {
                        return Err(std::io::ErrorKind::Interrupted.into());
                    }
                    out.files.sort_by(|a, b| a.0.cmp(&b.0));
                    out.rendered.sort_unstable();
                    let count = edition.pages.count();
                    finish(out, &edition.dir, count, recounted, kept)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a contact sheet thread panicked"))
            .collect()
    })
}

/// (edition, page index, hash) of every page to render again: its hash differs from what
/// `kept` remembers, or its PNG is missing; and whether each edition's page count changed.
/// `kept` is resized to the editions' page counts.
fn changed_pages(
    editions: &[EditionPages],
    kept: &mut [PreviewHashes],
) -> (Vec<(usize, usize, u128)>, Vec<bool>) {
    let mut jobs = Vec::new();
    let mut recounted = Vec::with_capacity(editions.len());
    for (e, (edition, kept)) in editions.iter().zip(kept.iter_mut()).enumerate() {
        let count = edition.pages.count();
        recounted.push(kept.hashes.len() != count);
        kept.hashes.resize(count, 0);
        kept.thumbs.resize(count, RgbaImage::new(1, 1));
        jobs.extend(
            (0..count)
                .map(|i| (e, i, edition.pages.hash(i)))
                .filter(|&(_, i, hash)| {
                    kept.hashes[i] != hash || !page_path(&edition.dir, i + 1).exists()
                }),
        );
    }
    (jobs, recounted)
}

/// A page rendered by the pool, with its edition: (page index, hash, thumbnail, PNG).
type Rendered = (usize, std::io::Result<(usize, u128, RgbaImage, Vec<u8>)>);

/// Renders `jobs` on one worker per core (after an edit that moves text, that is many
/// pages), each worker taking the next page; a page not started when `stop` says so is
/// [`std::io::ErrorKind::Interrupted`].
fn render_pool(
    editions: &[EditionPages],
    jobs: &[(usize, usize, u128)],
    stop: &(dyn Fn() -> bool + Sync),
) -> Vec<Rendered> {
    let options = RenderOptions {
        pixel_per_pt: Scalar::new(PIXEL_PER_PT),
        render_bleed: true,
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (options, next) = (&options, &next);
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&(e, i, hash)) = jobs.get(k) else {
                            break mine;
                        };
                        if stop() {
                            mine.push((e, Err(std::io::ErrorKind::Interrupted.into())));
                            continue;
                        }
                        let made = editions[e].pages.image(i, options);
                        mine.push((e, made.map(|(t, b)| (i, hash, t, b))));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a preview thread panicked"))
            .collect()
    })
}

/// A laid-out page as an image.
fn raster(page: &Page, options: &RenderOptions) -> RgbaImage {
    let pixmap = typst_render::render(page, options);
    // tiny-skia keeps premultiplied RGBA; pages are opaque: plain RGBA.
    RgbaImage::from_raw(pixmap.width(), pixmap.height(), pixmap.take())
        .expect("a pixmap's data matches its size")
}

/// A laid-out page's thumbnail and PNG.
fn render_page(page: &Page, options: &RenderOptions) -> std::io::Result<(RgbaImage, Vec<u8>)> {
    let image = raster(page, options);
    Ok((thumbnail(&image), png(&image)?))
}

/// The rest of a pass over `count` pages, once the changed ones are in `out`: every page's
/// path, the pages that no longer exist (the edition got shorter), and the contact sheet
/// when anything changed or it is missing.
fn finish(
    mut out: Previews,
    dir: &Path,
    count: usize,
    changed_count: bool,
    kept: &mut PreviewHashes,
) -> std::io::Result<Previews> {
    out.pages = (1..=count).map(|n| page_path(dir, n)).collect();
    let mut n = count + 1;
    while page_path(dir, n).exists() {
        out.stale.push(page_path(dir, n));
        n += 1;
    }
    if !out.rendered.is_empty() || changed_count || kept.sheet_stale || !out.contact_sheet.exists()
    {
        kept.sheet_stale = false;
        let sheet = png(&contact_sheet(&kept.thumbs))?;
        out.files.push((out.contact_sheet.clone(), sheet));
    }
    Ok(out)
}

/// Renders only the pages numbered `only` (1-based) of `doc` whose hash differs from what
/// `kept` remembers, for the page an editor is looking at: no contact sheet, no stale pages.
/// A page rendered here is remembered in `kept` when `kept` already knows the page, so the
/// full pass after it does not render it again but does draw the contact sheet again; a
/// page beyond what `kept` knows is left to that pass.
pub fn render_only(
    doc: &PagedDocument,
    dir: &Path,
    kept: &mut PreviewHashes,
    only: &[usize],
) -> std::io::Result<Previews> {
    let options = RenderOptions {
        pixel_per_pt: Scalar::new(PIXEL_PER_PT),
        render_bleed: true,
    };
    let mut out = Previews {
        contact_sheet: dir.join("contact-sheet.png"),
        ..Previews::default()
    };
    let count = doc.pages().len();
    let changed: Vec<(usize, u128)> = only
        .iter()
        .filter(|&&n| n >= 1 && n <= count)
        .map(|&n| (n, page_hash(&doc.pages()[n - 1], &[])))
        .filter(|&(n, hash)| kept.hashes.get(n - 1) != Some(&hash) || !page_path(dir, n).exists())
        .collect();
    // Two pages on screen and a reflow: both changed, each on a core of its own.
    type Rendered = std::io::Result<(usize, u128, RgbaImage, Vec<u8>)>;
    let rendered: Vec<Rendered> = std::thread::scope(|scope| {
        let handles: Vec<_> = changed
            .iter()
            .map(|&(n, hash)| {
                let options = &options;
                scope.spawn(move || {
                    render_page(&doc.pages()[n - 1], options).map(|(t, b)| (n, hash, t, b))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a preview thread panicked"))
            .collect()
    });
    for result in rendered {
        let (n, hash, thumb, bytes) = result?;
        if n <= kept.hashes.len() {
            kept.hashes[n - 1] = hash;
            kept.thumbs[n - 1] = thumb;
            kept.sheet_stale = true;
        }
        out.rendered.push(n);
        out.files.push((page_path(dir, n), bytes));
    }
    out.pages = (1..=count).map(|n| page_path(dir, n)).collect();
    Ok(out)
}

/// PNG bytes, compressed for speed: previews are rewritten on every save.
fn png(image: &RgbaImage) -> std::io::Result<Vec<u8>> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::ImageEncoder;
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgba8,
        )
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(out)
}

fn thumbnail(image: &RgbaImage) -> RgbaImage {
    let height = (image.height() as f64 * THUMB_WIDTH as f64 / image.width() as f64).round() as u32;
    imageops::thumbnail(image, THUMB_WIDTH, height.max(1))
}

/// All pages as thumbnails on one image, left to right, top to bottom.
fn contact_sheet(thumbs: &[RgbaImage]) -> RgbaImage {
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
        imageops::overlay(&mut sheet, thumb, x as i64, y as i64);
    }
    sheet
}
