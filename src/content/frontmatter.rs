//! Front matter: the YAML block at the top of a publication's Markdown file.
//!
//! Parsed with serde (unknown keys are errors), then validated into [`Meta`]. Every error
//! names the file and the line of the offending key.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use super::limits::{
    MAX_ENTRIES, MAX_ENTRY, MAX_FLOW_DEPTH, MAX_PRODUCT_CODE, MAX_SUBTITLE, MAX_TITLE, MAX_VERSION,
};
use crate::diag::{Location, Problem};

/// Front matter as written. Keys are kebab-case; see README "Writing a publication".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    title: String,
    #[serde(default)]
    subtitle: Option<String>,
    language: String,
    product_code: String,
    version: serde_yaml::Value,
    /// For a translation (`<id>.<lang>.md`): the version of the source it was made from.
    #[serde(default)]
    translation_of: Option<serde_yaml::Value>,
    date_reviewed: String,
    next_review: String,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    reviewers: Vec<String>,
    /// Which editions this publication is made in; default: every edition in folio.yaml.
    #[serde(default)]
    editions: Option<Vec<String>>,
    /// Passed to the layouts untouched.
    #[serde(default)]
    extra: BTreeMap<String, serde_yaml::Value>,
}

/// Validated front matter.
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub subtitle: Option<String>,
    /// The BCP 47 tag as written, e.g. `en-GB`.
    pub language: String,
    pub lang: String,
    pub region: Option<String>,
    pub product_code: String,
    pub version: String,
    /// `translation-of`: the source version a translation was made from (translations only).
    pub translation_of: Option<String>,
    pub date_reviewed: NaiveDate,
    pub next_review: NaiveDate,
    pub references: Vec<String>,
    pub reviewers: Vec<String>,
    pub editions: Option<Vec<String>>,
    pub extra: serde_json::Value,
    /// Line of each top-level key in the Markdown file, for messages about that key.
    pub key_lines: BTreeMap<String, usize>,
}

/// Languages written right to left (ISO 639-1/-3 codes), for `publication.dir`.
const RIGHT_TO_LEFT: [&str; 9] = ["ar", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"];

impl Meta {
    /// Whether the publication's language is written right to left (Arabic, Urdu, …).
    pub fn right_to_left(&self) -> bool {
        RIGHT_TO_LEFT.contains(&self.lang.as_str())
    }

    /// The location of a front-matter key in `file` (the file's first line if it is absent).
    pub fn key_location(&self, file: &Path, key: &str) -> Location {
        Location::at(file, self.key_lines.get(key).copied().unwrap_or(1), 1)
    }
}

/// Splits `text` into front matter and body. Returns the YAML, the body and the body's first line.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<(&'a str, &'a str, usize), Problem> {
    let missing = || {
        Problem::error("the file does not start with YAML front matter")
            .at(Location::at(file, 1, 1))
            .hint("start the file with a line `---`, the front matter (title, language, ...), then another `---`")
    };
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .ok_or_else(missing)?;
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok((yaml, body, i + 3));
        }
        offset += line.len();
    }
    Err(Problem::error("the front matter is not closed")
        .at(Location::at(file, 1, 1))
        .hint("end the front matter with a line that holds only `---`"))
}

/// Parses and validates front matter that starts on line 2 of `file`.
pub fn parse(yaml: &str, file: &Path) -> Result<Meta, Problem> {
    refuse_hostile_yaml(yaml, file)?;
    let raw: Raw = serde_yaml::from_str(yaml).map_err(|err| {
        let (line, column) = err
            .location()
            .map_or((1, 1), |l| (l.line() + 1, l.column()));
        Problem::error(format!(
            "front matter: {}",
            clean_yaml_message(&err.to_string())
        ))
        .at(Location::at(file, line, column))
        .hint(yaml_hint(&err.to_string()))
    })?;
    let key_lines = key_lines(yaml);
    let loc = |key: &str| Location::at(file, key_lines.get(key).copied().unwrap_or(1), 1);

    let date = |key: &str, value: &str| -> Result<NaiveDate, Problem> {
        let date = NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
            Problem::error(format!("`{key}` is not a date: `{value}`"))
                .at(loc(key))
                .hint("write dates as YYYY-MM-DD, e.g. 2026-09-01")
        })?;
        // A typo such as 0026 or 20026 is a valid date, but no publication's.
        if !(earliest_date()..=latest_date()).contains(&date) {
            return Err(Problem::error(format!(
                "`{key}` is {date}: outside the years folio accepts ({} to {})",
                earliest_date(),
                latest_date()
            ))
            .at(loc(key))
            .hint("check the year for a typo"));
        }
        Ok(date)
    };
    let date_reviewed = date("date-reviewed", &raw.date_reviewed)?;
    let next_review = date("next-review", &raw.next_review)?;

    let (lang, region) = split_language(&raw.language).ok_or_else(|| {
        Problem::error(format!(
            "`language` is not a BCP 47 language tag: `{}`",
            raw.language
        ))
        .at(loc("language"))
        .hint("write a language and region, e.g. en-GB or cy-GB")
    })?;

    let version = text_version("version", &raw.version, &loc)?;
    let translation_of = raw
        .translation_of
        .as_ref()
        .map(|v| text_version("translation-of", v, &loc))
        .transpose()?;

    for (key, value) in [("title", &raw.title), ("product-code", &raw.product_code)] {
        if value.trim().is_empty() {
            return Err(Problem::error(format!("`{key}` is empty"))
                .at(loc(key))
                .hint(format!("give the publication a {key}")));
        }
    }

    check_lengths(&raw, &loc)?;
    if raw.editions.as_ref().is_some_and(Vec::is_empty) {
        return Err(
            Problem::error("`editions` is empty: this publication would build nothing")
                .at(loc("editions"))
                .hint(
                    "name at least one edition or class, or delete the key to build every edition",
                ),
        );
    }

    let extra = serde_json::to_value(&raw.extra).map_err(|e| {
        Problem::error(format!("`extra` cannot be passed to the layouts: {e}"))
            .at(loc("extra"))
            .hint("use only strings, numbers, booleans, lists and maps in `extra`")
    })?;

    Ok(Meta {
        title: raw.title.trim().to_string(),
        subtitle: raw
            .subtitle
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        language: raw.language,
        lang,
        region,
        product_code: raw.product_code.trim().to_string(),
        version,
        translation_of,
        date_reviewed,
        next_review,
        references: raw.references,
        reviewers: raw.reviewers,
        editions: raw.editions,
        extra,
        key_lines,
    })
}

/// Refuses front matter that nests flow collections deeper than [`MAX_FLOW_DEPTH`] (before
/// parsing it: parsing is what costs), and any string, in any key, holding a control or
/// bidirectional control character (YAML escapes such as `"\e"` or `"\u202E"` make them
/// from plain text).
fn refuse_hostile_yaml(yaml: &str, file: &Path) -> Result<(), Problem> {
    let (depth, line) = crate::diag::text::flow_depth(yaml);
    if depth > MAX_FLOW_DEPTH {
        return Err(Problem::error(format!(
            "front matter: lists and maps in brackets nest {depth} deep; the limit is {MAX_FLOW_DEPTH}"
        ))
        .at(Location::at(file, line + 1, 1))
        .hint("flatten the value: no layout reads anything nested this deeply"));
    }
    // Not YAML at all: the typed parse that follows says where.
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(yaml) else {
        return Ok(());
    };
    if let Some((path, c)) = crate::diag::text::refused_in_yaml(&value) {
        let key = if path.is_empty() {
            "the front matter".to_string()
        } else {
            format!("`{}`", path.join("."))
        };
        return Err(Problem::error(format!(
            "{key} holds {}",
            crate::diag::text::describe(c)
        ))
        .at(Location::at(file, crate::diag::text::key_line(yaml, &path) + 1, 1))
        .hint("delete it (a YAML escape such as `\\e` or `\\u202E` in quotes makes one): it is invisible, means nothing in print, and can make text read differently from what it is"));
    }
    Ok(())
}

/// A version as written (`version`, `translation-of`): quoted text, never a YAML number.
fn text_version(
    key: &str,
    value: &serde_yaml::Value,
    loc: &dyn Fn(&str) -> Location,
) -> Result<String, Problem> {
    match value {
        serde_yaml::Value::String(s) => Ok(s.clone()),
        // YAML reads `1.10` as the number 1.1: the version printed would not be the one written.
        serde_yaml::Value::Number(n) => Err(Problem::error(format!(
            "`{key}` is read as the number {n}, which may not be what you wrote"
        ))
        .at(loc(key))
        .hint(format!(
            "quote the version so it is kept as written, e.g. {key}: \"1.10\""
        ))),
        _ => Err(
            Problem::error(format!("`{key}` must be text, e.g. \"1.0\""))
                .at(loc(key))
                .hint(format!("quote the version: {key}: \"1.0\"")),
        ),
    }
}

/// The earliest date folio accepts in front matter.
fn earliest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default()
}

/// The latest date folio accepts in front matter.
fn latest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2200, 12, 31).unwrap_or_default()
}

/// Refuses text fields and lists longer than the limits in [`super::limits`].
fn check_lengths(raw: &Raw, loc: &dyn Fn(&str) -> Location) -> Result<(), Problem> {
    let too_long = |key: &str, what: String, length: usize, limit: usize| {
        Problem::error(format!(
            "{what} is {length} characters long; the limit is {limit}"
        ))
        .at(loc(key))
        .hint(format!("shorten `{key}`: say more in the text, not here"))
    };
    let fields = [
        ("title", Some(&raw.title), MAX_TITLE),
        ("subtitle", raw.subtitle.as_ref(), MAX_SUBTITLE),
        ("product-code", Some(&raw.product_code), MAX_PRODUCT_CODE),
    ];
    let text = |v: &serde_yaml::Value| match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        _ => None,
    };
    let version = text(&raw.version);
    let translation_of = raw.translation_of.as_ref().and_then(text);
    for (key, value, limit) in fields
        .into_iter()
        .map(|(k, v, l)| (k, v.cloned(), l))
        .chain([
            ("version", version, MAX_VERSION),
            ("translation-of", translation_of, MAX_VERSION),
        ])
    {
        let length = value.map_or(0, |v| v.trim().chars().count());
        if length > limit {
            return Err(too_long(key, format!("`{key}`"), length, limit));
        }
    }
    for (key, list) in [
        ("references", &raw.references),
        ("reviewers", &raw.reviewers),
    ] {
        if list.len() > MAX_ENTRIES {
            return Err(Problem::error(format!(
                "`{key}` has {} entries; the limit is {MAX_ENTRIES}",
                list.len()
            ))
            .at(loc(key))
            .hint(format!(
                "keep the {key} a reader needs; the full list belongs elsewhere"
            )));
        }
        for (i, entry) in list.iter().enumerate() {
            let length = entry.trim().chars().count();
            if length > MAX_ENTRY {
                let what = format!("entry {} of `{key}`", i + 1);
                return Err(too_long(key, what, length, MAX_ENTRY));
            }
        }
    }
    Ok(())
}

/// `en-GB` → (`en`, `GB`). Accepts a bare 2–3 letter language too.
pub fn split_language(tag: &str) -> Option<(String, Option<String>)> {
    let mut parts = tag.trim().split(['-', '_']);
    let lang = parts.next()?;
    let valid_lang = (2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_alphabetic());
    if !valid_lang {
        return None;
    }
    let region = match parts.next() {
        None => None,
        Some(r) if r.len() == 2 && r.chars().all(|c| c.is_ascii_alphabetic()) => {
            Some(r.to_ascii_uppercase())
        }
        Some(_) => return None,
    };
    if parts.next().is_some() {
        return None;
    }
    Some((lang.to_ascii_lowercase(), region))
}

/// Lines (in the Markdown file) of the top-level keys; the YAML starts on line 2.
fn key_lines(yaml: &str) -> BTreeMap<String, usize> {
    yaml.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with([' ', '\t', '-', '#']))
        .filter_map(|(i, l)| Some((l.split_once(':')?.0.trim().to_string(), i + 2)))
        .collect()
}

/// serde_yaml puts "at line X column Y" in its message; we show the location separately.
fn clean_yaml_message(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn yaml_hint(message: &str) -> String {
    if message.contains("unknown field") {
        "check the spelling; the keys are title, subtitle, language, product-code, version, \
         translation-of, date-reviewed, next-review, references, reviewers, editions and extra"
            .into()
    } else if message.contains("missing field") {
        "add the missing key to the front matter".into()
    } else {
        "fix the YAML syntax: `key: value` pairs, lists with `- item`, and quotes around text with `:` in it".into()
    }
}

#[cfg(test)]
mod tests;
