//! Findings about the writing: reading age per section, long sentences and words, and terms
//! used before they are explained.

use super::languages::analyze_in;
use super::readability::Stats;
use super::words::unexplained;
use super::{Code, Finding};
use crate::content::model::{inline_text, walk, Block, Pos};
use crate::content::Publication;
use crate::diag::Location;
use crate::project::checks::Settings;

/// A level-2 section (or the introduction before the first one) and its text figures.
#[derive(Debug, Clone)]
pub struct SectionFigures {
    pub title: String,
    pub pos: Pos,
    pub stats: Stats,
}

/// The publication split at level-2 headings, with figures per section.
pub fn sections(publication: &Publication) -> Vec<SectionFigures> {
    let mut out: Vec<(String, Pos, String)> = vec![(
        "Introduction".into(),
        Pos { line: 1, column: 1 },
        String::new(),
    )];
    for block in publication.all_blocks() {
        match &block {
            Block::Heading {
                level: 2,
                content,
                pos,
                ..
            } => out.push((inline_text(content), *pos, String::new())),
            Block::Heading { .. } | Block::Image { .. } | Block::Rule { .. } => {}
            _ => {
                let text = &mut out.last_mut().expect("there is always a section").2;
                reading_text(&block, text);
                text.push('\n');
            }
        }
    }
    out.into_iter()
        .filter(|(_, _, text)| !text.trim().is_empty())
        .map(|(title, pos, text)| SectionFigures {
            title,
            pos,
            stats: analyze_in(&publication.meta.lang, &text),
        })
        .collect()
}

/// The text of a block as a reader meets it, one line per unit read on its own: a list's
/// items and a table's cells each end a line (so a sentence ends there), never running on
/// into the next.
fn reading_text(block: &Block, out: &mut String) {
    match block {
        Block::Table { header, rows, .. } => {
            for cell in header.iter().chain(rows.iter().flatten()) {
                out.push_str(&inline_text(cell));
                out.push('\n');
            }
        }
        Block::List { .. } | Block::Callout { .. } | Block::Quote { .. } => {
            for child in block.children() {
                reading_text(child, out);
                out.push('\n');
            }
        }
        _ => out.push_str(&block.plain_text()),
    }
}

/// The figures for the whole publication (every edition's text).
pub fn whole(publication: &Publication) -> Stats {
    let text: Vec<String> = publication
        .all_blocks()
        .iter()
        .filter(|b| !matches!(b, Block::Heading { .. } | Block::Image { .. }))
        .map(|b| {
            let mut text = String::new();
            reading_text(b, &mut text);
            text
        })
        .collect();
    analyze_in(&publication.meta.lang, &text.join("\n"))
}

/// Readability and term findings. In a language other than English only long sentences
/// are reported: reading age, long words (by syllables) and explained terms are English.
pub fn check(publication: &Publication, settings: &Settings) -> Vec<Finding> {
    let id = publication.id.as_str();
    let at = |pos: Pos| Location::at(&publication.file, pos.line, pos.column);
    let mut out = Vec::new();
    let source = std::fs::read_to_string(&publication.file).unwrap_or_default();
    let title_words: Vec<String> = publication
        .meta
        .title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    for section in sections(publication) {
        let s = &section.stats;
        if s.words >= 30 && s.reading_age > settings.warn_reading_age {
            out.push(
                Finding::new(Code::ReadingAgeHigh, id,
                    format!("`{}` reads at about age {:.0} (Flesch {:.0}); the target is {:.0} or under",
                        section.title, s.reading_age, s.flesch, settings.target_reading_age),
                    "use shorter sentences and everyday words; `folio check --readability` shows the figures")
                .at(at(section.pos)),
            );
        }
        for sentence in &s.long_sentences {
            out.push(
                Finding::new(
                    Code::LongSentence,
                    id,
                    format!(
                        "a sentence of {} words in `{}`: \"{}\"",
                        sentence.split_whitespace().count(),
                        section.title,
                        shorten(sentence)
                    ),
                    "split it: aim for 15 to 20 words, never over 25",
                )
                .at(at(section.pos)),
            );
        }
        for word in &s.long_words {
            // The publication's own subject ("chemotherapy" in a publication about it) is
            // the word readers came for: it is not flagged.
            if title_words.iter().any(|t| same_word(t, word)) {
                continue;
            }
            let pos = locate_word(&source, section.pos, word).unwrap_or(section.pos);
            out.push(
                Finding::new(
                    Code::LongWord,
                    id,
                    format!("`{word}` in `{}` has more than 4 syllables", section.title),
                    "use a shorter word if there is one, or explain it",
                )
                .at(at(pos)),
            );
        }
    }

    // The word list is English, and so is the way its explanations are recognised.
    if publication.meta.lang != "en" {
        return out;
    }
    let mut passages: Vec<(String, Pos)> = Vec::new();
    let blocks = publication.all_blocks();
    walk(&blocks, &mut |block| match block {
        Block::Heading { content, pos, .. } | Block::Paragraph { content, pos } => {
            passages.push((inline_text(content), *pos))
        }
        Block::Table { pos, .. } => passages.push((block.plain_text(), *pos)),
        _ => {}
    });
    let texts: Vec<&str> = passages.iter().map(|(t, _)| t.as_str()).collect();
    for miss in unexplained(&texts, &settings.explain_terms) {
        out.push(
            Finding::new(
                Code::TermUnexplained,
                id,
                format!(
                    "`{}` is used here for the first time without an explanation",
                    miss.term
                ),
                format!(
                    "explain it where it is first used: \"{} (…)\" or \"This is called {}.\"",
                    miss.term, miss.term
                ),
            )
            .at(at(passages[miss.passage].1)),
        );
    }
    out
}

/// Whether `word` is the title's word `title` or its plural.
fn same_word(title: &str, word: &str) -> bool {
    word == title || word.strip_suffix('s') == Some(title) || title.strip_suffix('s') == Some(word)
}

/// Where `word` (lowercase) first stands as a whole word in `source`, from the start of its
/// section `from` on (1-based line and column, in characters).
fn locate_word(source: &str, from: Pos, word: &str) -> Option<Pos> {
    let wanted: Vec<char> = word.chars().collect();
    for (i, line) in source.lines().enumerate().skip(from.line.saturating_sub(1)) {
        let chars: Vec<char> = line.chars().flat_map(char::to_lowercase).collect();
        // Lowercasing keeps one character per character for the letters words are made of;
        // a line where it does not is searched as it is.
        let chars = if chars.len() == line.chars().count() {
            chars
        } else {
            line.chars().collect()
        };
        let joins = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
        for start in 0..chars.len() {
            if chars[start..].starts_with(&wanted)
                && !joins(start.checked_sub(1).and_then(|b| chars.get(b)))
                && !joins(chars.get(start + wanted.len()))
            {
                return Some(Pos {
                    line: i + 1,
                    column: start + 1,
                });
            }
        }
    }
    None
}

fn shorten(sentence: &str) -> String {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    if words.len() <= 12 {
        words.join(" ")
    } else {
        format!("{} …", words[..12].join(" "))
    }
}
