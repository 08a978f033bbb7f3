//! Images: a paragraph of its own, with alt text, at a path inside the publication folder.

use super::builder::Builder;
use super::model::{Block, Inline};
use crate::diag::Problem;

/// Written right after an image with empty brackets: the image only decorates (an artifact
/// in the PDFs, `alt=""` on the web page).
pub const DECORATIVE: &str = "{.decorative}";

impl Builder<'_, '_> {
    /// A paragraph, or an image when the paragraph holds only an image.
    pub(super) fn paragraph_or_image(
        &self,
        content: Vec<Inline>,
        offset: usize,
    ) -> Result<Block, Problem> {
        let pos = self.pos(offset);
        // An image reaches here as an inline of its paragraph, like the text around it.
        let meaningful: Vec<&Inline> = content
            .iter()
            .filter(|i| !matches!(i, Inline::Text { text } if text.trim().is_empty()))
            .collect();
        // `![](x.png){.decorative}`: an image that only decorates, written so on purpose.
        let decorative = matches!(
            meaningful.as_slice(),
            [Inline::Image { .. }, Inline::Text { text }] if text.trim() == DECORATIVE
        );
        let meaningful = if decorative {
            meaningful[..1].to_vec()
        } else {
            meaningful
        };
        match meaningful.as_slice() {
            [Inline::Image { src, title, alt }] => {
                let alt = super::model::inline_text(alt).trim().to_string();
                if decorative && !alt.is_empty() {
                    return Err(self.error(offset, "an image marked `{.decorative}` has alt text",
                        "a decorative image is skipped by screen readers: empty its brackets, \
                         ![](images/x.png){.decorative}, or remove `{.decorative}` to keep the description"));
                }
                if decorative && !title.is_empty() {
                    return Err(self.error(
                        offset,
                        "an image marked `{.decorative}` has a caption",
                        "a decorative image is not described, so it has no caption: remove the \
                         caption, or describe the image in the brackets and remove `{.decorative}`",
                    ));
                }
                if alt.is_empty() && !decorative {
                    return Err(self.error(
                        offset,
                        "an image has no alt text",
                        "describe what the image shows in the brackets, e.g. \
                         ![A nurse taking a blood sample](images/blood-test.png); an image that \
                         only decorates is written ![](images/x.png){.decorative}",
                    ));
                }
                let caption = (!title.is_empty()).then(|| {
                    vec![Inline::Text {
                        text: title.to_string(),
                    }]
                });
                Ok(Block::Image {
                    src: self.image_path(src, offset)?,
                    alt,
                    caption,
                    pos,
                })
            }
            _ if super::inline::contains_image(&content) => Err(self.error(
                offset,
                "an image stands inside a line of text",
                "put the image in a paragraph of its own: a blank line before and after",
            )),
            _ => Ok(Block::Paragraph { content, pos }),
        }
    }

    /// Resolves an image path (relative to the publication folder) to a project-rooted path.
    pub(super) fn image_path(&self, src: &str, offset: usize) -> Result<String, Problem> {
        if src.contains("://") || src.starts_with('/') || src.split(['/', '\\']).any(|s| s == "..")
        {
            return Err(self.error(offset, format!("image `{src}` is outside the publication folder"),
                "put the image in the publication's folder (e.g. images/) and give its path from there"));
        }
        let on_disk = self.ctx.folder_on_disk.join(src);
        if !on_disk.is_file() {
            return Err(self.error(
                offset,
                format!("image `{src}` not found"),
                format!("add the file at {} or correct the path", on_disk.display()),
            ));
        }
        // A symlink may lead anywhere: what it points to must be in the folder too.
        let inside = match (
            on_disk.canonicalize(),
            self.ctx.folder_on_disk.canonicalize(),
        ) {
            (Ok(real), Ok(folder)) => real.starts_with(folder),
            _ => false,
        };
        if !inside {
            return Err(self.error(
                offset,
                format!("image `{src}` is outside the publication folder (through a link)"),
                "copy the image into the publication's folder instead of linking to it",
            ));
        }
        Ok(format!(
            "/{}/{}",
            self.ctx.folder,
            src.trim_start_matches("./")
        ))
    }
}
