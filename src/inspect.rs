//! Reading a laid-out document: every run of text with its page, effective size and face,
//! and what a layout reports to folio (the Rust↔Typst contract: `<folio-fit>`,
//! `<folio-words>`).
//!
//! Tests and the layout checks use this to see what the reader sees, without a PDF parser.

use typst::foundations::{Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::text::FontStyle;
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

/// One run of shaped text as placed on a page.
#[derive(Debug, Clone)]
pub struct TextRun {
    /// 1-based page number.
    pub page: usize,
    pub text: String,
    /// Size after any scaling, in points.
    pub size_pt: f64,
    pub family: String,
    pub italic: bool,
    pub bold: bool,
    /// Position of the run's baseline start from the page's top left, in points.
    pub x_pt: f64,
    pub y_pt: f64,
    /// How wide the run is, in points (its glyphs' advances): it ends at `x_pt + width_pt`,
    /// whatever the text's direction.
    pub width_pt: f64,
}

/// Where a non-text mark (a shape such as a rule, or an image) stands on a page.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    pub page: usize,
    pub y_pt: f64,
    pub image: bool,
    /// The left edge, from the page's top left, in points (`y_pt` is where the mark is
    /// placed: its top for a rule, a box or an image).
    pub x_pt: f64,
    /// The extent of its outline (a shape's, stroke excluded; an image's), in points.
    pub width_pt: f64,
    pub height_pt: f64,
    /// Whether it is a stroked shape (a line or a border), not a fill or an image.
    pub stroked: bool,
}

/// Every shape and image of every page, with its top edge.
pub fn marks(doc: &PagedDocument) -> Vec<Mark> {
    fn walk(frame: &Frame, ts: Transform, page: usize, out: &mut Vec<Mark>) {
        for (pos, item) in frame.items() {
            let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
            let origin = Point::zero().transform(here);
            let (x_pt, y_pt) = (origin.x.to_pt(), origin.y.to_pt());
            let scale = (here.sx.get().abs(), here.sy.get().abs());
            match item {
                FrameItem::Group(g) => walk(&g.frame, here.pre_concat(g.transform), page, out),
                FrameItem::Shape(shape, _) => {
                    let b = shape.geometry.bbox(None);
                    out.push(Mark {
                        page,
                        y_pt,
                        image: false,
                        x_pt: x_pt + b.min.x.to_pt() * scale.0,
                        width_pt: (b.max.x - b.min.x).to_pt() * scale.0,
                        height_pt: (b.max.y - b.min.y).to_pt() * scale.1,
                        stroked: shape.stroke.is_some(),
                    })
                }
                FrameItem::Image(_, size, _) => out.push(Mark {
                    page,
                    y_pt,
                    image: true,
                    x_pt,
                    width_pt: size.x.to_pt() * scale.0,
                    height_pt: size.y.to_pt() * scale.1,
                    stroked: false,
                }),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for (i, page) in doc.pages().iter().enumerate() {
        walk(&page.frame, Transform::identity(), i + 1, &mut out);
    }
    out
}

/// Every text run of every page, in page order.
pub fn text_runs(doc: &PagedDocument) -> Vec<TextRun> {
    let mut runs = Vec::new();
    for (i, page) in doc.pages().iter().enumerate() {
        collect(&page.frame, Transform::identity(), i + 1, &mut runs);
    }
    runs
}

fn collect(frame: &Frame, ts: Transform, page: usize, out: &mut Vec<TextRun>) {
    for (pos, item) in frame.items() {
        let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
        match item {
            FrameItem::Group(group) => {
                collect(&group.frame, here.pre_concat(group.transform), page, out)
            }
            FrameItem::Text(text) => {
                let info = text.font.font().info();
                // The larger axis scale is what a reader sees; a squashed run is still small.
                let scale = (here.sx.get().abs()).min(here.sy.get().abs());
                let origin = Point::zero().transform(here);
                out.push(TextRun {
                    page,
                    text: text.text.to_string(),
                    size_pt: text.size.to_pt() * scale,
                    family: info.family.clone(),
                    italic: info.variant.style != FontStyle::Normal,
                    bold: info.variant.weight.to_number() >= 600,
                    x_pt: origin.x.to_pt(),
                    y_pt: origin.y.to_pt(),
                    width_pt: text.width().to_pt() * here.sx.get().abs(),
                });
            }
            _ => {}
        }
    }
}

/// The visible text of each page, runs joined by spaces (for "does the reader see X").
pub fn page_texts(doc: &PagedDocument) -> Vec<String> {
    let mut pages = vec![String::new(); doc.pages().len()];
    for run in text_runs(doc) {
        let page = &mut pages[run.page - 1];
        page.push_str(&run.text);
        page.push(' ');
    }
    pages
}

/// All visible text with whitespace collapsed, for searching phrases across line breaks.
pub fn flat_text(doc: &PagedDocument) -> String {
    let all = page_texts(doc).join(" ");
    all.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a layout reports about how its text fits (`<folio-fit>` metadata), in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub available: f64,
    pub needed: f64,
}

/// The value of the first metadata element labelled `<name>` the layout placed, if any
/// (the reports of layouts/README.md: `folio-fit`, `folio-words`, `folio-palette`, …).
pub fn labelled_metadata(doc: &PagedDocument, name: &str) -> Option<Value> {
    let label = Label::new(PicoStr::intern(name))?;
    let found = doc.introspector().query(&Selector::Label(label));
    let elem = found.first()?.to_packed::<MetadataElem>()?;
    Some(elem.value.clone())
}

/// Reads the layout's `<folio-fit>` report, if it made one.
pub fn fit_report(doc: &PagedDocument) -> Option<Fit> {
    let Some(Value::Dict(dict)) = labelled_metadata(doc, "folio-fit") else {
        return None;
    };
    let dict = &dict;
    let number = |key: &str| number(dict, key);
    Some(Fit {
        available: number("available")?,
        needed: number("needed")?,
    })
}

/// One top-level block of a leaflet's body, as `<folio-fit-parts>` reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct FitPart {
    /// Its line in the Markdown file (0 when the layout did not know it).
    pub line: usize,
    /// The room it takes, spacing included, in points.
    pub height: f64,
    /// A level-2 heading's text: a new section starts here.
    pub heading: Option<String>,
}

/// Reads the layout's `<folio-fit-parts>` report (placed only when a body does not fit).
pub fn fit_parts(doc: &PagedDocument) -> Vec<FitPart> {
    let Some(Value::Array(parts)) = labelled_metadata(doc, "folio-fit-parts") else {
        return Vec::new();
    };
    parts
        .iter()
        .filter_map(|part| {
            let Value::Dict(dict) = part else { return None };
            Some(FitPart {
                line: number(dict, "line").unwrap_or(0.0) as usize,
                height: number(dict, "height")?,
                heading: match dict.get("heading").ok() {
                    Some(Value::Str(s)) => Some(s.to_string()),
                    _ => None,
                },
            })
        })
        .collect()
}

/// A number in a layout's report: an integer, a float or a length (in points).
fn number(dict: &typst::foundations::Dict, key: &str) -> Option<f64> {
    match dict.get(key).ok()? {
        Value::Float(f) => Some(*f),
        Value::Int(i) => Some(*i as f64),
        Value::Length(l) => Some(l.abs.to_pt()),
        _ => None,
    }
}

/// Reader-facing words a layout had to show in English because the publication's language
/// has no word for them (`<folio-words>`, placed by `words-report` in layouts/common).
#[derive(Debug, Clone, PartialEq)]
pub struct MissingWords {
    pub lang: String,
    /// Whether the language has a table of words at all.
    pub table: bool,
    pub keys: Vec<String>,
}

/// Reads the layout's `<folio-words>` report, if it made one.
pub fn missing_words(doc: &PagedDocument) -> Option<MissingWords> {
    let Some(Value::Dict(dict)) = labelled_metadata(doc, "folio-words") else {
        return None;
    };
    let dict = &dict;
    let lang = match dict.get("lang").ok()? {
        Value::Str(s) => s.to_string(),
        _ => return None,
    };
    let Value::Array(missing) = dict.get("missing").ok()? else {
        return None;
    };
    let keys = missing
        .iter()
        .filter_map(|v| match v {
            Value::Str(s) => Some(s.to_string()),
            _ => None,
        })
        .collect();
    let table = !matches!(dict.get("table"), Ok(Value::Bool(false)));
    Some(MissingWords { lang, table, keys })
}

/// A table whose longest words need more width than its page gives (`<folio-table>`,
/// placed by `render-blocks` in layouts/common/blocks.typ), in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WideTable {
    /// The table's line in the Markdown file.
    pub line: usize,
    pub columns: usize,
    pub needed: f64,
    pub available: f64,
    /// 1-based page it is on.
    pub page: Option<usize>,
}

/// Every table the layout reported as too wide, once each, in the order of their lines.
pub fn wide_tables(doc: &PagedDocument) -> Vec<WideTable> {
    let Some(label) = Label::new(PicoStr::intern("folio-table")) else {
        return Vec::new();
    };
    let introspector = doc.introspector();
    let mut out: Vec<WideTable> = introspector
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|found| {
            let elem = found.to_packed::<MetadataElem>()?;
            let Value::Dict(dict) = &elem.value else {
                return None;
            };
            let number = |key: &str| number(dict, key);
            let page = found
                .location()
                .and_then(|l| introspector.position(l))
                .map(|p| p.page.get());
            Some(WideTable {
                line: number("line")? as usize,
                columns: number("columns")? as usize,
                needed: number("needed")?,
                available: number("available")?,
                page,
            })
        })
        .collect();
    out.sort_by_key(|t| t.line);
    // A table laid out again (a layout callback runs per region) reports again.
    out.dedup_by_key(|t| t.line);
    out
}
