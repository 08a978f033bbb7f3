//! The print booklet's page numbers, read from its laid-out document, for the e-book's page
//! list: a reader in a clinic can go to "page 7" that the nurse mentions.
//!
//! Headings are what both editions share and Typst can place: each heading of the booklet
//! with the page number printed on its page (the page counter, not the sheet's position).

use typst::foundations::{NativeElement, Selector};
use typst::introspection::Introspector;
use typst::model::HeadingElem;
use typst_layout::PagedDocument;

/// The booklet's headings, in order, with the numbers of the pages they are on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintPages {
    /// (heading text, printed page number), in reading order.
    pub headings: Vec<(String, u64)>,
    /// The booklet's page count.
    pub pages: usize,
}

/// The print pages of a laid-out booklet.
pub fn print_pages(doc: &PagedDocument) -> PrintPages {
    let introspector = doc.introspector();
    let mut headings = Vec::new();
    for heading in introspector.query(&Selector::Elem(HeadingElem::ELEM, None)) {
        let Some(location) = heading.location() else {
            continue;
        };
        let Some(position) = introspector.position(location) else {
            continue;
        };
        let index = position.page.get() - 1;
        let number = doc
            .pages()
            .get(index)
            .map_or(index as u64 + 1, |p| p.number);
        let text = heading
            .to_packed::<HeadingElem>()
            .map(|h| h.body.plain_text().to_string())
            .unwrap_or_default();
        headings.push((normalise(&text), number));
    }
    PrintPages {
        headings,
        pages: doc.pages().len(),
    }
}

impl PrintPages {
    /// The printed page of the heading `text`, taking headings in order from `*next` (so
    /// that two headings with one text get their own pages).
    pub fn page_of(&self, text: &str, next: &mut usize) -> Option<u64> {
        let text = normalise(text);
        let found = self.headings[(*next).min(self.headings.len())..]
            .iter()
            .position(|(t, _)| *t == text)?;
        let at = *next + found;
        *next = at + 1;
        Some(self.headings[at].1)
    }
}

/// Text compared with spaces collapsed (the booklet's heading may break lines).
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
