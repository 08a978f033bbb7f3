//! The e-book: a reflowable, accessible EPUB 3 of a publication, from the same document
//! model as the web edition, with the print booklet's page numbers as its page list.
//!
//! The XHTML, the package document and the navigation document are templates in
//! `layouts/epub/` (minijinja, the site's engine and escaping rule); this module prepares
//! what they show and packs the container ([`container`]). The same publication, settings
//! and `timestamp` give the same bytes.

mod container;
mod fonts;
mod pages;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::DateTime;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use self::fonts::{families, font_items, fonts, Font};
pub use self::pages::{print_pages, PrintPages};
use super::words::Words;
use crate::confine::{Root, MAX_FILE_BYTES};
use crate::content::model::Block;
use crate::content::Publication;
use crate::contract::BrandData;
use crate::diag::{Location, Problem};
use crate::finding::Finding;
use crate::project::Project;
use crate::site::templates::Templates;
use crate::site::web::safe_url;

/// An e-book edition's settings in folio.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EpubSettings {
    /// The folder of the e-book's templates (default `layouts/epub`).
    #[serde(default = "default_templates")]
    pub templates: PathBuf,
}

fn default_templates() -> PathBuf {
    PathBuf::from("layouts/epub")
}

impl Default for EpubSettings {
    fn default() -> Self {
        EpubSettings {
            templates: default_templates(),
        }
    }
}

/// An e-book: the EPUB file's bytes, and what was found making it.
#[derive(Debug, Clone)]
pub struct Epub {
    pub bytes: Vec<u8>,
    pub findings: Vec<Finding>,
}

/// The media type of an EPUB file.
pub const MEDIA_TYPE: &str = "application/epub+zip";

/// The e-book edition called `edition` (with content `classes`) of `publication`.
///
/// `pages` are the print booklet's page numbers for the page list (none: no page list);
/// `timestamp` (seconds since 1970, e.g. `SOURCE_DATE_EPOCH`) dates the package and the
/// files in the container.
#[allow(clippy::too_many_arguments)]
pub fn epub(
    root: &Path,
    project: &Project,
    publication: &Publication,
    edition: &str,
    classes: &[String],
    settings: &EpubSettings,
    pages: Option<&PrintPages>,
    timestamp: i64,
    brand: Option<&BrandData>,
) -> Result<Epub, Problem> {
    let meta = &publication.meta;
    let words = Words::load(root, &meta.lang)?;
    let templates = Templates::load_folder(root, &settings.templates)?;
    let mut blocks = publication.blocks_for(edition, classes);
    let images = copy_images(root, &mut blocks)?;
    let mut body = serde_json::to_value(&blocks).expect("the model serialises");
    let (toc, page_list) = number_headings(&mut body, pages);
    let fonts = fonts(root, &meta.lang)?;
    let context = Context {
        lang: &meta.language,
        dir: if meta.right_to_left() { "rtl" } else { "ltr" },
        title: &meta.title,
        subtitle: meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()),
        identifier: identifier(publication),
        modified: DateTime::from_timestamp(timestamp, 0)
            .unwrap_or_default()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
        publisher: json!(project.publisher),
        product_code: &meta.product_code,
        version: &meta.version,
        date_reviewed: words.date(meta.date_reviewed),
        next_review: words.date(meta.next_review),
        date_reviewed_iso: meta.date_reviewed.to_string(),
        reviewers: &meta.reviewers,
        references: &meta.references,
        body,
        toc,
        page_list,
        print_pages: pages.map(|p| p.pages),
        images: image_items(&images),
        fonts: font_items(&fonts),
        has_images: !images.is_empty(),
        families: families(&fonts),
        cover: json!({
            "title": wrap_words(&meta.title, 22),
            "subtitle": meta.subtitle.as_deref().map(|s| wrap_words(s, 34)).unwrap_or_default(),
        }),
        brand: brand.map(|b| b.json.clone()),
        words: labels(&words),
    };
    let bytes = pack_book(&templates, &context, images, fonts, timestamp)?;
    Ok(Epub {
        bytes,
        findings: Vec::new(),
    })
}

/// The book's images, each once, named `images/<file name>`; `blocks` are rewritten to
/// point at them.
fn copy_images(root: &Path, blocks: &mut [Block]) -> Result<Vec<(String, Vec<u8>)>, Problem> {
    let mut images: Vec<(String, Vec<u8>)> = Vec::new();
    let confined = Root::new(root).map_err(|e| {
        Problem::error(format!("cannot open the project folder: {e}")).at(Location::file(root))
    })?;
    let mut failure = None;
    rewrite_images(blocks, &mut |src: &mut String| {
        let name = format!(
            "images/{}",
            src.rsplit('/').next().unwrap_or("image").replace(' ', "-")
        );
        if !images.iter().any(|(n, _)| *n == name) {
            let path = root.join(src.trim_start_matches('/'));
            match confined.read(&path, MAX_FILE_BYTES) {
                Ok(bytes) => images.push((name.clone(), bytes)),
                Err(e) => {
                    failure.get_or_insert(e.problem(root));
                }
            }
        }
        *src = name;
    });
    match failure {
        Some(p) => Err(p),
        None => Ok(images),
    }
}

/// Gives every heading of the serialised `body` a unique id and, when it starts a print
/// page, that page's anchor. Returns the contents (a tree) and the page list.
fn number_headings(body: &mut Value, pages: Option<&PrintPages>) -> (Vec<Value>, Vec<Value>) {
    let mut toc = Vec::new();
    let mut page_list = Vec::new();
    let mut next = 0;
    let mut used = BTreeMap::new();
    prepare(body, &mut |heading: &mut serde_json::Map<String, Value>| {
        let text = heading.get("content").map(plain).unwrap_or_default();
        let own = heading.get("id").and_then(Value::as_str).unwrap_or("");
        let id = unique_id(own, &mut used);
        heading.insert("id".into(), Value::from(id.clone()));
        let level = heading.get("level").and_then(Value::as_u64).unwrap_or(2);
        if let Some(page) = pages.and_then(|p| p.page_of(&text, &mut next)) {
            // Only the first heading on a page carries its anchor.
            if !page_list.iter().any(|(n, _)| *n == page) {
                page_list.push((page, format!("page-{page}")));
                heading.insert("page".into(), Value::from(page));
            }
        }
        toc.push((level, text, id));
    });
    let page_list = page_list
        .iter()
        .map(|(n, id)| json!({"label": n.to_string(), "id": id}))
        .collect();
    (nest(&toc), page_list)
}

/// The book's `urn:uuid:` identifier, from a hash of the product code, language and
/// publication id, so the same publication keeps the same identifier.
fn identifier(publication: &Publication) -> String {
    let meta = &publication.meta;
    let hash = crate::digest::sha256(
        format!(
            "{}\n{}\n{}",
            meta.product_code, meta.language, publication.id
        )
        .as_bytes(),
    );
    let h = crate::digest::hex(&hash[..16]);
    format!(
        "urn:uuid:{}-{}-5{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// The package document's manifest entries for the images.
fn image_items(images: &[(String, Vec<u8>)]) -> Vec<Value> {
    images
        .iter()
        .enumerate()
        .map(|(i, (name, _))| json!({"id": format!("image-{}", i + 1), "href": name, "media-type": media_type(name)}))
        .collect()
}

/// The words the templates show, in the book's language.
fn labels(words: &Words) -> BTreeMap<&'static str, String> {
    [
        "note",
        "tip",
        "important",
        "warning",
        "caution",
        "contents",
        "about",
        "date-reviewed",
        "next-review",
        "reviewers",
        "references",
        "product-code",
        "version",
        "team",
        "team-write-in",
        "team-nurse",
        "team-phone",
        "team-ward",
        "team-contact",
        "team-role",
        "team-hours",
        "picture",
        "table",
    ]
    .into_iter()
    .map(|k| (k, words.get(k)))
    .collect()
}

/// The EPUB file: the rendered templates, then the images, then the fonts, packed in the
/// container.
fn pack_book(
    templates: &Templates,
    context: &Context<'_>,
    images: Vec<(String, Vec<u8>)>,
    fonts: Vec<Font>,
    timestamp: i64,
) -> Result<Vec<u8>, Problem> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for name in [
        "cover.xhtml",
        "nav.xhtml",
        "text.xhtml",
        "cover.svg",
        "style.css",
        "package.opf",
    ] {
        let text = templates.render(name, context)?;
        files.push((format!("EPUB/{name}"), text.into_bytes()));
    }
    for (name, bytes) in images {
        files.push((format!("EPUB/{name}"), bytes));
    }
    let fonts: Vec<(String, Vec<u8>)> = fonts
        .into_iter()
        .map(|f| (format!("EPUB/fonts/{}", f.name), f.bytes))
        .collect();
    container::pack(&files, &fonts, timestamp)
}

/// What the templates get (layouts/epub/README.md documents it); snake_case names, which
/// a template can write as plain variables.
#[derive(Serialize)]
struct Context<'a> {
    lang: &'a str,
    dir: &'a str,
    title: &'a str,
    subtitle: Option<&'a str>,
    identifier: String,
    modified: String,
    publisher: Value,
    product_code: &'a str,
    version: &'a str,
    date_reviewed: String,
    next_review: String,
    date_reviewed_iso: String,
    reviewers: &'a [String],
    references: &'a [String],
    body: Value,
    toc: Vec<Value>,
    page_list: Vec<Value>,
    print_pages: Option<usize>,
    images: Vec<Value>,
    fonts: Vec<Value>,
    has_images: bool,
    /// The embedded font families, the script's own first.
    families: Vec<String>,
    /// The cover's title and subtitle as lines.
    cover: Value,
    brand: Option<Value>,
    words: BTreeMap<&'a str, String>,
}

/// Rewrites every image block's path with `f`.
fn rewrite_images(blocks: &mut [Block], f: &mut dyn FnMut(&mut String)) {
    for block in blocks {
        match block {
            Block::Image { src, .. } => f(src),
            Block::List { items, .. } => {
                for item in items {
                    rewrite_images(item, f);
                }
            }
            Block::Callout { blocks, .. } | Block::Quote { blocks, .. } => {
                rewrite_images(blocks, f)
            }
            _ => {}
        }
    }
}

/// Visits every heading of the serialised body, in reading order, and empties link
/// addresses that are not [`safe_url`]s.
fn prepare(value: &mut Value, heading: &mut dyn FnMut(&mut serde_json::Map<String, Value>)) {
    match value {
        Value::Array(items) => {
            for item in items {
                prepare(item, heading);
            }
        }
        Value::Object(map) => {
            let kind = map
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if kind == "link" {
                let unsafe_url = map
                    .get("url")
                    .and_then(Value::as_str)
                    .is_some_and(|u| !safe_url(u));
                if unsafe_url {
                    map.insert("url".into(), Value::from(""));
                }
            }
            if kind == "heading" {
                heading(map);
            }
            for (_, v) in map.iter_mut() {
                prepare(v, heading);
            }
        }
        _ => {}
    }
}

/// The plain text of serialised inlines.
fn plain(value: &Value) -> String {
    let mut out = String::new();
    fn push(v: &Value, out: &mut String) {
        match v {
            Value::Array(items) => items.iter().for_each(|i| push(i, out)),
            Value::Object(map) => {
                if let Some(t) = map.get("text").and_then(Value::as_str) {
                    out.push_str(t);
                }
                if map.get("type").and_then(Value::as_str) == Some("break") {
                    out.push(' ');
                }
                if let Some(c) = map.get("content") {
                    push(c, out);
                }
            }
            _ => {}
        }
    }
    push(value, &mut out);
    out
}

/// A heading's id: its own when it is a valid, unused XML name, else `section-N`.
fn unique_id(own: &str, used: &mut BTreeMap<String, usize>) -> String {
    let valid = own.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && own
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        && !own.starts_with("page-")
        && !own.starts_with("section-");
    let n = used.len() + 1;
    let id = if valid && !used.contains_key(own) {
        own.to_string()
    } else {
        format!("section-{n}")
    };
    used.insert(id.clone(), n);
    id
}

/// Headings (level, text, id) as a tree: level-2 entries with their level-3 children.
fn nest(headings: &[(u64, String, String)]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for (level, text, id) in headings {
        let entry = json!({"text": text, "id": id, "children": []});
        match out.last_mut() {
            Some(parent) if *level > 2 => parent["children"]
                .as_array_mut()
                .expect("children is a list")
                .push(entry),
            _ => out.push(entry),
        }
    }
    out
}

/// `text` in lines of at most about `per` characters, broken between words.
fn wrap_words(text: &str, per: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= per => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

fn media_type(name: &str) -> &'static str {
    match name
        .rsplit('.')
        .next()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("webp") => "image/webp",
        _ => "application/octet-stream",
    }
}
