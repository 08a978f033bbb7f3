//! The web edition's body: the blocks an edition called `web` carries (edition marks
//! honoured), made ready for the page, and the images it shows.
//!
//! The model goes to the template as data; the template (`publication.html`) turns each
//! block into HTML with auto-escaping. Here only what HTML needs differently from the PDFs
//! is prepared: image paths beside the page, heading ids that are unique, and links that
//! can only go where a reader expects (web, email, phone, or a heading of the page).

use std::collections::BTreeMap;
use std::path::Path;

use super::view::url_path;
use crate::confine::{Root, MAX_FILE_BYTES};
use crate::content::model::{Block, Inline};
use crate::content::Publication;
use crate::diag::{Location, Problem};
use crate::project::web::WEB;
use crate::project::Project;

/// The web edition's blocks and what they need beside the page.
#[derive(Debug, Default)]
pub struct Body {
    pub blocks: Vec<Block>,
    /// Pixel size of each image, by its address in the page, where the format tells it.
    pub sizes: BTreeMap<String, (u32, u32)>,
    /// Images to copy beside the page: (path from the publication's folder, bytes).
    pub files: Vec<(String, Vec<u8>)>,
}

/// The web edition of `publication`.
pub fn body(root: &Path, project: &Project, publication: &Publication) -> Result<Body, Problem> {
    let mut blocks = publication.blocks_for(WEB, &project.web.classes);
    let folder = publication
        .file
        .parent()
        .and_then(|f| f.strip_prefix(root).ok())
        .map(|f| format!("/{}/", f.to_string_lossy().replace('\\', "/")))
        .unwrap_or_default();
    let mut ids = BTreeMap::<String, usize>::new();
    count_ids(&blocks, &mut ids);
    let mut body = Body::default();
    let mut failure = None;
    prepare(&mut blocks, &ids, &mut |src: &mut String| {
        let rel = src
            .strip_prefix(&folder)
            .map(str::to_string)
            .unwrap_or_else(|| format!("images/{}", src.rsplit('/').next().unwrap_or("")));
        if !body.files.iter().any(|(p, _)| *p == rel) {
            let path = root.join(src.trim_start_matches('/'));
            let read = Root::new(root)
                .map_err(|e| e.to_string())
                .and_then(|r| r.read(&path, MAX_FILE_BYTES).map_err(|e| e.to_string()));
            match read {
                Ok(bytes) => {
                    if let Some(size) = pixel_size(&bytes) {
                        body.sizes.insert(url_path(&rel), size);
                    }
                    body.files.push((rel.clone(), bytes));
                }
                Err(e) => {
                    failure.get_or_insert(
                        Problem::error(format!("cannot read an image of the web edition: {e}"))
                            .at(Location::file(&path))
                            .hint("check that the image is still in the publication's folder"),
                    );
                }
            }
        }
        *src = url_path(&rel);
    });
    if let Some(problem) = failure {
        return Err(problem);
    }
    body.blocks = blocks;
    Ok(body)
}

/// Whether a link may stay a link on the page: web, email and phone addresses, and links
/// to a heading of the page. Anything else is shown as its text.
pub fn safe_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    ["https://", "http://", "mailto:", "tel:", "#"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

fn pixel_size(bytes: &[u8]) -> Option<(u32, u32)> {
    image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
}

fn count_ids(blocks: &[Block], ids: &mut BTreeMap<String, usize>) {
    crate::content::model::walk(blocks, &mut |b| {
        if let Block::Heading { id, .. } = b {
            *ids.entry(id.clone()).or_default() += 1;
        }
    });
}

/// Rewrites image paths with `image`, drops heading ids that are not unique (or are the
/// page's own, `folio-…`), and empties link addresses that are not [`safe_url`]s.
fn prepare(
    blocks: &mut [Block],
    ids: &BTreeMap<String, usize>,
    image: &mut dyn FnMut(&mut String),
) {
    for block in blocks {
        match block {
            Block::Heading { content, id, .. } => {
                if ids.get(id.as_str()) != Some(&1) || id.starts_with("folio-") {
                    id.clear();
                }
                links(content);
            }
            Block::Paragraph { content, .. } => links(content),
            Block::List { items, .. } => {
                for item in items {
                    prepare(item, ids, image);
                }
            }
            Block::Callout { blocks, .. } | Block::Quote { blocks, .. } => {
                prepare(blocks, ids, image)
            }
            Block::Image { src, caption, .. } => {
                image(src);
                if let Some(c) = caption {
                    links(c);
                }
            }
            Block::Table { header, rows, .. } => {
                for cell in header.iter_mut().chain(rows.iter_mut().flatten()) {
                    links(cell);
                }
            }
            Block::Rule { .. } => {}
        }
    }
}

fn links(inlines: &mut [Inline]) {
    for inline in inlines {
        match inline {
            Inline::Link { url, content } => {
                if !safe_url(url) {
                    url.clear();
                }
                links(content);
            }
            Inline::Strong { content } | Inline::Emph { content } => links(content),
            Inline::Text { .. } | Inline::Code { .. } | Inline::Break | Inline::Image { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_mail_phone_and_page_links_stay_links() {
        for url in [
            "https://example.org",
            "mailto:a@b.org",
            "tel:0800",
            "#tests",
        ] {
            assert!(safe_url(url), "{url}");
        }
        for url in [
            "javascript:alert(1)",
            " JavaScript:x",
            "data:text/html,x",
            "file:///etc",
        ] {
            assert!(!safe_url(url), "{url}");
        }
    }
}
