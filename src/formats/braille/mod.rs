//! The braille edition: a publication as a BRF file (North American ASCII braille, what
//! embossers and braille displays read) and the same pages in Unicode braille, for sighted
//! staff and previews.
//!
//! liblouis translates ([`louis`], a separate process); folio sets out the pages as a
//! braille transcriber would ([`document`] and [`pages`], rules in docs/braille.md).

pub mod cells;
mod document;
pub mod louis;
mod pages;
pub mod picture;

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use self::document::{Origin, Place, BULLET};
use self::louis::LouisFailure;
use self::pages::{Pager, Set};
use super::words::Words;
use crate::confine::{Root, MAX_TEXT_BYTES};
use crate::content::model::Pos;
use crate::content::Publication;
use crate::contract::BrandData;
use crate::diag::{Location, Problem};
use crate::finding::{Code, Finding};
use crate::project::Project;

/// A braille edition's settings in folio.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BrailleSettings {
    /// Cells on a line (default 40: A4 or 11 × 11.5 in braille paper).
    #[serde(default = "default_cells")]
    pub cells_per_line: usize,
    /// Lines on a page, the page number's line included (default 25).
    #[serde(default = "default_lines")]
    pub lines_per_page: usize,
    /// A liblouis table list to use instead of the language's own (e.g. `en-ueb-g1.ctb`
    /// for uncontracted braille).
    #[serde(default)]
    pub table: Option<String>,
}

fn default_cells() -> usize {
    40
}

fn default_lines() -> usize {
    25
}

impl Default for BrailleSettings {
    fn default() -> Self {
        BrailleSettings {
            cells_per_line: default_cells(),
            lines_per_page: default_lines(),
            table: None,
        }
    }
}

/// The media type of a BRF file (plain ASCII text; serve it with a download name ending
/// `.brf`, which embossers and braille displays recognise).
pub const MEDIA_TYPE: &str = "text/plain";

/// The smallest page folio sets braille on: a heading, guide dots and a page number need
/// room.
const MIN_CELLS: usize = 20;
const MIN_LINES: usize = 5;
/// The largest: no embosser takes more.
const MAX_CELLS: usize = 100;
const MAX_LINES: usize = 100;

/// liblouis tables by the language's ISO 639 code: UK English is Unified English Braille
/// grade 2 (the UK adopted UEB in 2011); Welsh contracted; Polish, Arabic and Urdu
/// uncontracted (the tables Debian's liblouis-data 3.24 has for them). Urdu's table has no
/// Latin letters or Western punctuation (which Urdu publications quote: names, web
/// addresses): UEB grade 1 stands behind it for those.
pub const TABLES: &[(&str, &str)] = &[
    ("en", "en-ueb-g2.ctb"),
    ("cy", "cy-cy-g2.ctb"),
    ("pl", "Pl-Pl-g1.utb"),
    ("ar", "ar-ar-g1.utb"),
    ("ur", "ur-pk-g1.utb,en-ueb-g1.ctb"),
];

/// The liblouis table folio uses for language `lang`, if it has one.
pub fn table_for(lang: &str) -> Option<&'static str> {
    TABLES.iter().find(|(l, _)| *l == lang).map(|(_, t)| *t)
}

/// A publication in braille.
#[derive(Debug, Clone)]
pub struct Braille {
    /// The BRF file: ASCII braille, lines ended by CR LF, a form feed between pages.
    pub brf: Vec<u8>,
    /// The same pages in Unicode braille (U+2800–U+283F), lines ended by LF, a form feed
    /// between pages.
    pub unicode: String,
    /// Braille pages.
    pub pages: usize,
    /// The liblouis table used.
    pub table: String,
    /// Characters the table has no braille for, located in the source.
    pub findings: Vec<Finding>,
}

/// Why there is no braille.
#[derive(Debug)]
pub enum BrailleError {
    /// liblouis is not installed: the build skips the edition and says how to install it
    /// (the problem is a warning with that hint).
    Missing(Problem),
    /// The publication cannot be set in braille (no table for its language, the tool
    /// failed): a located error.
    Failed(Problem),
}

impl BrailleError {
    /// The problem to show, whichever kind.
    pub fn problem(&self) -> &Problem {
        match self {
            BrailleError::Missing(p) | BrailleError::Failed(p) => p,
        }
    }
}

impl From<Problem> for BrailleError {
    fn from(p: Problem) -> Self {
        BrailleError::Failed(p)
    }
}

/// The braille edition called `edition` (with content `classes`) of `publication`.
pub fn braille(
    root: &Path,
    project: &Project,
    publication: &Publication,
    edition: &str,
    classes: &[String],
    settings: &BrailleSettings,
    brand: Option<&BrandData>,
) -> Result<Braille, BrailleError> {
    let (cells, lines) = page_size(root, edition, settings)?;
    let table = table_of(publication, settings)?;
    let failed = |f: LouisFailure| failure(f, &table, root, publication);
    let words = Words::load(root, &publication.meta.lang)?;
    let blocks = publication.blocks_for(edition, classes);
    let document::Parts { parts, body } =
        document::parts(publication, project, &blocks, &words, brand);
    let (bad, bullet) = untranslatable(&parts, &table).map_err(failed)?;
    let findings = untranslatable_findings(root, publication, edition, &table, &parts, &bad);

    // Translate every part and the word "Contents" in one call.
    let mut texts: Vec<String> = parts
        .iter()
        .map(|p| {
            p.text
                .chars()
                .filter(|c| !bad.contains(c))
                .map(|c| if c == BULLET { bullet } else { c })
                .collect()
        })
        .collect();
    texts.push(words.get("contents"));
    let mut translated = louis::translate(&table, &texts).map_err(failed)?;
    for t in &mut translated {
        // Six dots only: a table writing dot 7 or 8 would not emboss as BRF.
        *t = t
            .chars()
            .filter_map(|c| cells::dots(c).map(|d| char::from_u32(0x2800 + d as u32).unwrap()))
            .collect();
    }
    let contents_word = translated.pop().unwrap_or_default();
    let sets: Vec<Set> = parts
        .iter()
        .zip(&translated)
        .map(|(p, b)| Set {
            braille: b,
            place: p.place,
            role: p.role,
            new_page: p.new_page,
            blank_before: p.blank_before,
            blank_after: p.blank_after,
        })
        .collect();
    let all = paginate(&sets, body, &contents_word, cells, lines);
    let (brf, unicode) = files(&all);
    Ok(Braille {
        brf,
        unicode,
        pages: all.len(),
        table,
        findings,
    })
}

/// The edition's page size in cells and lines, if braille paper can have it.
fn page_size(
    root: &Path,
    edition: &str,
    settings: &BrailleSettings,
) -> Result<(usize, usize), Problem> {
    let cells = settings.cells_per_line;
    let lines = settings.lines_per_page;
    if !(MIN_CELLS..=MAX_CELLS).contains(&cells) || !(MIN_LINES..=MAX_LINES).contains(&lines) {
        return Err(Problem::error(format!(
            "the braille edition `{edition}` has pages of {cells} cells by {lines} lines"
        ))
        .at(Location::file(root.join(crate::project::PROJECT_FILE)))
        .hint(format!(
            "set `cells-per-line` between {MIN_CELLS} and {MAX_CELLS} and `lines-per-page` between {MIN_LINES} and {MAX_LINES} (40 by 25 is usual)"
        )));
    }
    Ok((cells, lines))
}

/// The liblouis table list: the edition's own, else the one for the publication's language.
fn table_of(publication: &Publication, settings: &BrailleSettings) -> Result<String, Problem> {
    let meta = &publication.meta;
    if let Some(table) = &settings.table {
        return Ok(table.clone());
    }
    table_for(&meta.lang).map(str::to_string).ok_or_else(|| {
        Problem::error(format!(
            "there is no braille table for the publication's language, {} (`{}`)",
            language_name(&meta.lang),
            meta.language
        ))
        .at(meta.key_location(&publication.file, "language"))
        .hint(format!(
            "folio has braille tables for {}; leave this publication out of the braille edition (`editions:` in its front matter), or set the edition's `table:` to a liblouis table for the language",
            TABLES.iter().map(|(l, _)| language_name(l)).collect::<Vec<_>>().join(", ")
        ))
    })
}

/// Why a translation failed, as the build says it. Whether liblouis can load the table is
/// asked only when a translation fails (an extra process on every build otherwise), to say
/// which of the two went wrong.
fn failure(f: LouisFailure, table: &str, root: &Path, publication: &Publication) -> BrailleError {
    match f {
        LouisFailure::Missing => BrailleError::Missing(missing()),
        LouisFailure::Failed(_) if louis::table_loads(table).is_ok_and(|loads| !loads) => {
            BrailleError::Failed(
                Problem::error(format!("liblouis cannot load the braille table `{table}`"))
                    .at(Location::file(root.join(crate::project::PROJECT_FILE)))
                    .hint("name a table liblouis has (`ls /usr/share/liblouis/tables`), or install liblouis-data"),
            )
        }
        LouisFailure::Failed(why) => BrailleError::Failed(
            Problem::error(format!("braille translation failed: {why}"))
                .at(Location::file(&publication.file))
                .hint(format!("check that liblouis has the table `{table}` (`lou_translate --forward {table}`)")),
        ),
    }
}

/// The characters of `parts` the table has no six-dot braille for (found one by one, to be
/// reported and left out), and the list bullet to use: the table's bullet, or a hyphen where
/// it has none (Welsh).
fn untranslatable(
    parts: &[document::Part],
    table: &str,
) -> Result<(BTreeSet<char>, char), LouisFailure> {
    let mut chars = BTreeSet::from(['\u{2022}']);
    for part in parts {
        chars.extend(
            part.text
                .chars()
                .filter(|c| !c.is_whitespace() && *c != BULLET),
        );
    }
    let chars: Vec<char> = chars.into_iter().collect();
    let braille_of = louis::translate_chars(table, &chars)?;
    let mut bad: BTreeSet<char> = chars
        .iter()
        .zip(&braille_of)
        .filter(|(_, b)| b.chars().any(cells::eight_dot) || b.trim_matches(cells::BLANK).is_empty())
        .map(|(c, _)| *c)
        .collect();
    let bullet = if bad.contains(&'\u{2022}') {
        '-'
    } else {
        '\u{2022}'
    };
    if !parts.iter().any(|p| p.text.contains('\u{2022}')) {
        bad.remove(&'\u{2022}');
    }
    Ok((bad, bullet))
}

/// A finding for each character left out, at its first place in the publication's source.
fn untranslatable_findings(
    root: &Path,
    publication: &Publication,
    edition: &str,
    table: &str,
    parts: &[document::Part],
    bad: &BTreeSet<char>,
) -> Vec<Finding> {
    let source = Root::new(root)
        .ok()
        .and_then(|r| r.read(&publication.file, MAX_TEXT_BYTES).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    bad.iter()
        .map(|c| {
            // The publication's own text first: a fixed word of the layouts is not its fault.
            let origin = parts
                .iter()
                .filter(|p| p.text.contains(*c))
                .min_by_key(|p| matches!(p.origin, Origin::Other))
                .map(|p| &p.origin);
            let location = locate(&source, *c, origin, publication);
            Finding::new(
                Code::BrailleUntranslatable,
                &publication.id,
                format!(
                    "the braille table `{table}` has no braille for “{c}” (U+{:04X}); the braille edition leaves it out",
                    *c as u32
                ),
                "write it in words, or use a character the language's braille has",
            )
            .at(location)
            .on(edition, None)
        })
        .collect()
}

/// The pages, each finished with its number: the title pages (`sets[..body]`), the contents
/// and the body. The contents come before the body, whose page numbers they list: the body
/// is set after as many contents pages as the last try needed, until the count holds.
fn paginate(
    sets: &[Set],
    body: usize,
    contents_word: &str,
    cells: usize,
    lines: usize,
) -> Vec<Vec<String>> {
    let body_lines = lines - 1;
    let mut title = Pager::new(cells, body_lines, 1);
    title.set(&sets[..body]);
    let title_pages = title.finish();
    let mut contents_count = 1;
    let (contents_pages, body_pages) = loop {
        let mut pager = Pager::new(cells, body_lines, title_pages.len() + contents_count + 1);
        let landed = pager.set(&sets[body..]);
        let body_pages = pager.finish();
        let mut contents = Pager::new(cells, body_lines, title_pages.len() + 1);
        contents.set(&[Set {
            braille: contents_word,
            place: Place::Centred,
            role: document::Role::Text,
            new_page: false,
            blank_before: false,
            blank_after: true,
        }]);
        for (entry, _) in pages::contents_lines(&landed, cells) {
            contents.set_lines(entry);
        }
        let contents_pages = contents.finish();
        if contents_pages.len() == contents_count || contents_count > body_pages.len() {
            break (contents_pages, body_pages);
        }
        contents_count = contents_pages.len();
    };
    title_pages
        .into_iter()
        .chain(contents_pages)
        .chain(body_pages)
        .enumerate()
        .map(|(i, page)| pages::finish_page(&page, i + 1, cells, lines))
        .collect()
}

/// The BRF bytes (ASCII braille, CR LF lines) and the Unicode text of the pages, a form feed
/// between pages in both.
fn files(pages: &[Vec<String>]) -> (Vec<u8>, String) {
    let mut brf = String::new();
    let mut unicode = String::new();
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            brf.push('\u{c}');
            unicode.push('\u{c}');
        }
        for line in page {
            brf.push_str(cells::to_ascii(line).trim_end());
            brf.push_str("\r\n");
            unicode.push_str(line);
            unicode.push('\n');
        }
    }
    (brf.into_bytes(), unicode)
}

/// The problem a build shows once when liblouis is missing.
pub fn missing() -> Problem {
    Problem::error(format!(
        "the braille edition was skipped: liblouis's `{}` is not installed",
        louis::PROGRAM
    ))
    .hint("install liblouis (Debian and Ubuntu: `apt-get install liblouis-bin`) and build again")
}

/// Where `c` first stands in the source, at or after where its part comes from.
fn locate(source: &str, c: char, origin: Option<&Origin>, publication: &Publication) -> Location {
    let from_line = match origin {
        Some(Origin::Body(Pos { line, .. })) => *line,
        Some(Origin::Key(key)) => publication.meta.key_lines.get(*key).copied().unwrap_or(1),
        _ => return Location::file(&publication.file),
    };
    let found = source
        .lines()
        .enumerate()
        .skip(from_line.saturating_sub(1))
        .chain(source.lines().enumerate())
        .find_map(|(i, line)| {
            line.chars()
                .position(|x| x == c)
                .map(|col| (i + 1, col + 1))
        });
    match found {
        Some((line, column)) => Location::at(&publication.file, line, column),
        None => Location::file(&publication.file),
    }
}

/// A language's English name, for messages (its code when unknown).
fn language_name(lang: &str) -> String {
    isolang::Language::from_639_1(lang)
        .or_else(|| isolang::Language::from_639_3(lang))
        .map(|l| l.to_name().to_string())
        .unwrap_or_else(|| lang.to_string())
}
