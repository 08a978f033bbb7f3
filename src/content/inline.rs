//! Inline Markdown (text, bold, emphasis, links, code, breaks, images) → model inlines.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::builder::Builder;
use super::model::Inline;
use crate::diag::Problem;

impl Builder<'_, '_> {
    /// Inline content up to `end`, with adjacent text merged.
    pub(super) fn inlines(&mut self, end: TagEnd) -> Result<Vec<Inline>, Problem> {
        let mut out = Vec::new();
        loop {
            match self.events.get(self.i) {
                None => break,
                Some((Event::End(e), _)) if *e == end => {
                    self.i += 1;
                    break;
                }
                _ => out.extend(self.inline_one()?),
            }
        }
        Ok(merge_text(out))
    }

    pub(super) fn inline_one(&mut self) -> Result<Option<Inline>, Problem> {
        let Some((event, range)) = self.next() else {
            return Ok(None);
        };
        if let Some((message, hint)) = super::guard::unsupported(&event) {
            return Err(self.error(range.start, message, hint));
        }
        Ok(Some(match event {
            Event::Text(t) => Inline::Text {
                text: t.to_string(),
            },
            Event::Code(t) => Inline::Code {
                text: t.to_string(),
            },
            Event::SoftBreak => Inline::Text { text: " ".into() },
            Event::HardBreak => Inline::Break,
            Event::Start(Tag::Strong) => Inline::Strong {
                content: self.inlines(TagEnd::Strong)?,
            },
            Event::Start(Tag::Emphasis) => Inline::Emph {
                content: self.inlines(TagEnd::Emphasis)?,
            },
            Event::Start(Tag::Link { dest_url, .. }) => {
                let content = self.inlines(TagEnd::Link)?;
                Inline::Link {
                    url: dest_url.to_string(),
                    content,
                }
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let alt = self.inlines(TagEnd::Image)?;
                Inline::Image {
                    src: dest_url.to_string(),
                    title: title.to_string(),
                    alt,
                }
            }
            Event::InlineHtml(html) => {
                if html.trim_start().starts_with("<!--") {
                    // A mark inside a line would be dropped as a comment: the editor meant it.
                    if html.trim_end().ends_with("-->")
                        && self.marker(&html, range.start)?.is_some()
                    {
                        return Err(self.error(range.start,
                            "an edition mark stands inside a line of text",
                            "put `<!-- only: … -->`, `<!-- not: … -->` and `<!-- end -->` on lines of their own, with blank lines around them"));
                    }
                    return Ok(None);
                }
                // Text like `<label>` inside a sentence is shown as written, never interpreted.
                Inline::Text {
                    text: html.to_string(),
                }
            }
            Event::Html(t) => Inline::Text {
                text: t.to_string(),
            },
            // Every tag inline text may hold is handled above: any other is refused, not dropped.
            Event::Start(tag) => {
                return Err(self.error(
                    range.start,
                    format!("unsupported Markdown inside text: {tag:?}"),
                    "use bold, emphasis and links inside text",
                ))
            }
            _ => return Ok(None),
        }))
    }
}

/// Whether an image stands anywhere in `inlines`, also inside bold, emphasis or a link.
pub(super) fn contains_image(inlines: &[Inline]) -> bool {
    inlines.iter().any(|i| match i {
        Inline::Image { .. } => true,
        Inline::Link { content, .. } | Inline::Strong { content } | Inline::Emph { content } => {
            contains_image(content)
        }
        _ => false,
    })
}

fn merge_text(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        if let (Some(Inline::Text { text: prev }), Inline::Text { text }) =
            (out.last_mut(), &inline)
        {
            prev.push_str(text);
            continue;
        }
        out.push(inline);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::super::builder::{Builder, Context};
    use super::super::model::{Block, Inline};
    use super::contains_image;
    use crate::content::test_support::{blocks, says, text, Folder};

    /// A link whose address begins with the text that once marked an image inside a line.
    /// A file cannot hold it (NUL is refused before parsing), so it is made by hand.
    fn link_like_the_old_marker() -> Inline {
        Inline::Link {
            url: "\u{0}image:images/nurse.png".into(),
            content: vec![text("A nurse")],
        }
    }

    #[test]
    fn an_image_in_a_paragraph_and_a_link_whose_address_begins_with_the_old_marker_are_told_apart()
    {
        let folder = Folder::new().with("images/nurse.png");
        let alone = folder.body("![A nurse](images/nurse.png)\n").unwrap();
        assert!(matches!(&alone[0].block, Block::Image { alt, .. } if alt == "A nurse"));
        let in_line = folder.body("See ![A nurse](images/nurse.png) here.\n");
        says(
            &in_line.unwrap_err(),
            "an image stands inside a line of text",
        );

        let link = link_like_the_old_marker();
        assert!(!contains_image(std::slice::from_ref(&link)));
        let names = BTreeSet::new();
        let ctx = Context {
            file: Path::new("content/x/x.md"),
            first_line: 1,
            folder: "content/x",
            folder_on_disk: folder.dir.path(),
            names: &names,
        };
        let builder = Builder {
            events: Vec::new(),
            i: 0,
            ctx: &ctx,
            body: "",
            lines: vec![0],
            depth: 0,
        };
        match builder.paragraph_or_image(vec![link.clone()], 0).unwrap() {
            Block::Paragraph { content, .. } => assert_eq!(content, vec![link]),
            other => panic!("a link became {other:?}"),
        }
    }

    #[test]
    fn a_link_to_an_address_named_image_stays_a_link() {
        match &blocks("[the picture](image:nurse.png)\n")[0] {
            Block::Paragraph { content, .. } => {
                assert!(matches!(&content[0], Inline::Link { url, .. } if url == "image:nurse.png"))
            }
            other => panic!("not a paragraph: {other:?}"),
        }
    }
}
