//! The fixed words of the braille edition and the e-book ("Contents", "Picture", call-out
//! labels, month names), read from the layouts' own table `layouts/common/words.typ`, so
//! that a Welsh braille file says what the Welsh booklet says and a word is added once.
//!
//! The file is a Typst dictionary of one table per language; only its simple shape is read
//! here (`  xx: (` opens a language, `    key: "text",` is a word, `months: (` a list of
//! twelve quoted names). A word the language lacks is the English one, as in the layouts.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::confine::read_project_file;
use crate::diag::{Location, Problem};

/// The words file, below the project root.
pub const WORDS_FILE: &str = "layouts/common/words.typ";

/// The words of one language, with English behind them.
#[derive(Debug, Clone, Default)]
pub struct Words {
    own: BTreeMap<String, String>,
    english: BTreeMap<String, String>,
    months: Vec<String>,
}

impl Words {
    /// The words for language `lang` (ISO 639 code) of the project at `root`.
    pub fn load(root: &Path, lang: &str) -> Result<Words, Problem> {
        let bytes = read_project_file(root, Path::new(WORDS_FILE)).map_err(|e| e.problem(root))?;
        let text = String::from_utf8_lossy(&bytes);
        let tables = parse(&text);
        let english = tables.get("en").cloned().unwrap_or_default();
        if english.is_empty() {
            return Err(
                Problem::error("the layouts' words table has no English words")
                    .at(Location::file(root.join(WORDS_FILE)))
                    .hint("restore layouts/common/words.typ from folio's shipped layouts"),
            );
        }
        let own = tables.get(lang).cloned().unwrap_or_default();
        let months = month_names(own.get("months").or_else(|| english.get("months")));
        Ok(Words {
            own,
            english,
            months,
        })
    }

    /// The word for `key`, in the language or else in English (the key itself if neither).
    pub fn get(&self, key: &str) -> String {
        self.own
            .get(key)
            .or_else(|| self.english.get(key))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// A date as the layouts write it in the language (`date` with `{day} {month} {year}`).
    pub fn date(&self, date: NaiveDate) -> String {
        let month = self
            .months
            .get(date.month0() as usize)
            .cloned()
            .unwrap_or_else(|| date.month().to_string());
        self.get("date")
            .replace("{day}", &date.day().to_string())
            .replace("{month}", &month)
            .replace("{year}", &date.year().to_string())
    }
}

/// Every language table: key → text; `months` holds the names joined by `\n`.
fn parse(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut tables: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut lang: Option<String> = None;
    let mut months: Option<Vec<String>> = None;
    for line in text.lines() {
        if let Some(list) = months.as_mut() {
            if line.trim_start().starts_with(')') {
                if let Some(l) = &lang {
                    tables
                        .entry(l.clone())
                        .or_default()
                        .insert("months".into(), list.join("\n"));
                }
                months = None;
            } else {
                list.extend(quoted(line));
            }
            continue;
        }
        if let Some(name) = line
            .strip_prefix("  ")
            .filter(|l| !l.starts_with(' '))
            .and_then(|l| l.strip_suffix(": ("))
        {
            lang = Some(name.to_string());
            continue;
        }
        let Some(l) = &lang else { continue };
        let Some(entry) = line.strip_prefix("    ").filter(|l| !l.starts_with(' ')) else {
            continue;
        };
        let Some((key, value)) = entry.split_once(": ") else {
            continue;
        };
        if value.trim() == "(" {
            months = Some(Vec::new());
        } else if let Some(word) = quoted(value).into_iter().next() {
            tables
                .entry(l.clone())
                .or_default()
                .insert(key.into(), word);
        }
    }
    tables
}

/// The double-quoted strings of a line, with `\"` and `\\` read.
fn quoted(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut s = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => s.extend(chars.next()),
                '"' => break,
                c => s.push(c),
            }
        }
        out.push(s);
    }
    out
}

fn month_names(joined: Option<&String>) -> Vec<String> {
    joined
        .map(|j| j.split('\n').map(str::to_string).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_words_file_gives_welsh_words_and_english_behind_them() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let words = Words::load(root, "cy").unwrap();
        assert_eq!(words.get("contents"), "Cynnwys");
        assert_eq!(words.get("picture"), "Llun");
        let date = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        assert_eq!(words.date(date), "1 Medi 2026");
        let english = Words::load(root, "xx").unwrap();
        assert_eq!(english.get("team"), "Your hospital team");
        assert_eq!(english.date(date), "1 September 2026");
    }
}
