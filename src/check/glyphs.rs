//! `glyph-missing`: characters that no font in `fonts/` can draw, found on the document
//! model before typesetting, at the place in the Markdown file where each first appears.
//!
//! Typst would stop such a publication at PDF export with an unlocated message, once per
//! character ("the text "β" could not be displayed with font …"). Here every text a reader
//! sees (title, subtitle, references, reviewers, headings, paragraphs, list items, table
//! cells, captions, link text and addresses) is read in reading order, and each character
//! is looked up in the coverage of every font in the font book, which is what Typst's own
//! fallback can reach. One finding per script: its first missing character, located, and
//! how many other characters of that script are missing too.

use std::collections::{BTreeMap, HashMap};

use typst::text::FontBook;
use unicode_script::{Script, UnicodeScript};

use super::{Code, Finding};
use crate::content::model::{walk, Block, Inline, Pos};
use crate::content::Publication;
use crate::diag::Location;

/// At most this many other missing characters are named in a finding's message.
const NAMED: usize = 8;

/// Which characters the fonts of a font book can draw (answers are remembered).
pub struct Coverage<'a> {
    book: &'a FontBook,
    known: HashMap<char, bool>,
}

impl<'a> Coverage<'a> {
    pub fn new(book: &'a FontBook) -> Self {
        Coverage {
            book,
            known: HashMap::new(),
        }
    }

    /// Whether some font draws `c`. Spaces and invisible format characters (joiners,
    /// direction marks, variation selectors) need no glyph of their own.
    pub fn draws(&mut self, c: char) -> bool {
        if c.is_whitespace() || typst::text::is_default_ignorable(c) {
            return true;
        }
        let book = self.book;
        *self.known.entry(c).or_insert_with(|| {
            (0..)
                .map_while(|i| book.info(i))
                .any(|info| info.coverage.contains(c as u32))
        })
    }
}

/// A piece of text the reader sees, and where to start looking for it in the file.
struct Passage {
    text: String,
    from: Pos,
}

/// The script of `c` as readers know it.
pub fn script_name(c: char) -> String {
    match c.script() {
        Script::Common => "symbols and punctuation (shared by all scripts)".into(),
        Script::Inherited => "combining marks".into(),
        Script::Unknown => "no script (unassigned or private use)".into(),
        s => s.full_name().replace('_', " "),
    }
}

/// `glyph-missing` findings for `publication` with the fonts of `book`.
pub fn check(publication: &Publication, book: &FontBook) -> Vec<Finding> {
    let mut coverage = Coverage::new(book);
    // Per script, in order of first appearance: the first missing character and where it
    // is, then the other missing characters.
    let mut found: Vec<(String, char, Pos, Vec<char>)> = Vec::new();
    let mut seen: BTreeMap<char, ()> = BTreeMap::new();
    let source = std::fs::read_to_string(&publication.file).unwrap_or_default();
    for passage in passages(publication) {
        for c in passage.text.chars() {
            if coverage.draws(c) || seen.insert(c, ()).is_some() {
                continue;
            }
            let script = script_name(c);
            match found.iter_mut().find(|(s, ..)| *s == script) {
                Some((.., others)) => others.push(c),
                None => {
                    let pos = locate(&source, passage.from, c).unwrap_or(passage.from);
                    found.push((script, c, pos, Vec::new()));
                }
            }
        }
    }
    found
        .into_iter()
        .map(|(script, c, pos, others)| {
            let mut message = format!(
                "`{c}` (U+{:04X}, {script}) cannot be drawn: no font in fonts/ has it",
                c as u32
            );
            if !others.is_empty() {
                let named: String = others.iter().take(NAMED).collect();
                let more = others.len().saturating_sub(NAMED);
                message.push_str(&format!(
                    "; nor {} other character(s) of that script: {named}{}",
                    others.len(),
                    if more > 0 { " …" } else { "" }
                ));
            }
            Finding::new(
                Code::GlyphMissing,
                &publication.id,
                message,
                "write it another way, or add an OFL font that draws it to fonts/ and to the \
                 font stack in layouts/common/tokens.typ",
            )
            .at(Location::at(&publication.file, pos.line, pos.column))
        })
        .collect()
}

/// Where `c` first stands in `source` at or after `from` (1-based line and column, in
/// characters, as the Markdown parser counts them).
fn locate(source: &str, from: Pos, c: char) -> Option<Pos> {
    for (i, line) in source.lines().enumerate().skip(from.line.saturating_sub(1)) {
        let skip = if i + 1 == from.line {
            from.column.saturating_sub(1)
        } else {
            0
        };
        if let Some(k) = line.chars().skip(skip).position(|x| x == c) {
            return Some(Pos {
                line: i + 1,
                column: skip + k + 1,
            });
        }
    }
    None
}

/// Every text the reader sees, in reading order: front matter, then the body.
fn passages(publication: &Publication) -> Vec<Passage> {
    let meta = &publication.meta;
    let key = |k: &str| Pos {
        line: meta.key_lines.get(k).copied().unwrap_or(1),
        column: 1,
    };
    let mut out = vec![Passage {
        text: meta.title.clone(),
        from: key("title"),
    }];
    if let Some(subtitle) = &meta.subtitle {
        out.push(Passage {
            text: subtitle.clone(),
            from: key("subtitle"),
        });
    }
    for (k, list) in [
        ("references", &meta.references),
        ("reviewers", &meta.reviewers),
    ] {
        out.push(Passage {
            text: list.join("\n"),
            from: key(k),
        });
    }
    let blocks = publication.all_blocks();
    walk(&blocks, &mut |block| {
        let mut text = String::new();
        match block {
            Block::Heading { content, .. } | Block::Paragraph { content, .. } => {
                push(content, &mut text)
            }
            // The alt text is never drawn; the caption is.
            Block::Image {
                caption: Some(caption),
                ..
            } => push(caption, &mut text),
            Block::Table { header, rows, .. } => {
                for cell in header.iter().chain(rows.iter().flatten()) {
                    push(cell, &mut text);
                    text.push('\n');
                }
            }
            _ => {}
        }
        if !text.is_empty() {
            out.push(Passage {
                text,
                from: block.pos(),
            });
        }
    });
    out
}

/// The drawn text of inlines: their text, and link addresses (print editions show them).
fn push(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Strong { content } | Inline::Emph { content } => push(content, out),
            Inline::Link { url, content } => {
                push(content, out);
                out.push(' ');
                out.push_str(url);
            }
            Inline::Image { alt, .. } => push(alt, out),
            Inline::Break => out.push(' '),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_a_character_from_a_block_start() {
        let source = "---\ntitle: x\n---\n\nSee β here.\nAnd 中文 there.\n";
        let from = Pos { line: 5, column: 1 };
        assert_eq!(locate(source, from, 'β'), Some(Pos { line: 5, column: 5 }));
        assert_eq!(locate(source, from, '文'), Some(Pos { line: 6, column: 6 }));
        // Not before where the block starts.
        let later = Pos { line: 6, column: 1 };
        assert_eq!(locate(source, later, 'β'), None);
    }

    #[test]
    fn names_scripts_as_readers_know_them() {
        assert_eq!(script_name('中'), "Han");
        assert_eq!(script_name('β'), "Greek");
        assert_eq!(script_name('ب'), "Arabic");
        assert!(script_name('✓').starts_with("symbols"));
    }
}
