//! What changed between two versions of a publication's text, as the blocks a layout shows
//! in a reviewer's PDF (`folio review`).
//!
//! Blocks are aligned first, then words: the two texts are cut into level-2 sections,
//! matched by heading id; within a section the blocks are aligned by content (a patience
//! diff of whole blocks); a block replaced by one of the same kind is then compared word by
//! word (Myers, on words and the spaces between them, each with its emphasis and link), and
//! lists, call-outs and quotes are compared item by item, block by block. So a one-word edit
//! marks one word, never a soup of characters.
//!
//! The result is data for the layouts (layouts/README.md, "Changes"): the new text's blocks,
//! with the removed ones back where they stood; a block that changed, was added, or was
//! removed carries `change: {kind, mark}`; inside it, inserted and deleted words are inlines
//! of type `ins` and `del` holding the words.

use serde::Serialize;
use serde_json::{json, Value};
use similar::{capture_diff_slices, Algorithm, DiffTag};

use super::model::{inline_text, Block, Inline};
use super::translation::split_sections;

/// How a top-level block changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Words inserted or deleted inside it (or items of a list).
    Changed,
    Added,
    Removed,
}

/// The changes of one section, for the first page of the review.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SectionChanges {
    /// The heading id (`_intro` before the first heading).
    pub id: String,
    /// The heading's text; none for the text before the first heading.
    pub title: Option<String>,
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
    /// The marks of its changed blocks, in order (`change.mark`).
    pub marks: Vec<usize>,
}

/// The changes between two texts.
#[derive(Debug, Clone, Default)]
pub struct Diff {
    /// The blocks to show: the new text with the removed blocks where they stood.
    pub blocks: Vec<Value>,
    /// Every section with a change, in the order shown.
    pub sections: Vec<SectionChanges>,
}

impl Diff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }

    /// How many blocks are marked.
    pub fn marks(&self) -> usize {
        self.sections.iter().map(|s| s.marks.len()).sum()
    }
}

/// The changes from `old` to `new` (the blocks one edition carries, in order).
pub fn diff(old: Vec<Block>, new: Vec<Block>) -> Diff {
    let old = split_sections(old);
    let new = split_sections(new);
    // A section that is gone is shown after the section it followed that is still there.
    let mut gone: Vec<(Option<String>, &str, &[Block])> = Vec::new();
    let mut anchor: Option<String> = None;
    for (id, blocks) in &old {
        if new.iter().any(|(n, _)| n == id) {
            anchor = Some(id.clone());
        } else {
            gone.push((anchor.clone(), id.as_str(), blocks.as_slice()));
        }
    }
    let mut differ = Differ::default();
    let emit_gone = |differ: &mut Differ, after: Option<&str>| {
        for (_, id, blocks) in gone.iter().filter(|(a, _, _)| a.as_deref() == after) {
            differ.section(id, blocks, &[]);
        }
    };
    emit_gone(&mut differ, None);
    for (id, blocks) in &new {
        let before = old
            .iter()
            .find(|(o, _)| o == id)
            .map_or(&[][..], |(_, b)| b.as_slice());
        differ.section(id, before, blocks);
        emit_gone(&mut differ, Some(id));
    }
    Diff {
        blocks: differ.blocks,
        sections: differ.sections,
    }
}

#[derive(Default)]
struct Differ {
    blocks: Vec<Value>,
    sections: Vec<SectionChanges>,
    marks: usize,
}

impl Differ {
    /// One section: its blocks compared, marked, and counted.
    fn section(&mut self, id: &str, old: &[Block], new: &[Block]) {
        let title = new.first().or(old.first()).and_then(|b| match b {
            Block::Heading {
                level: 2, content, ..
            } => Some(inline_text(content)),
            _ => None,
        });
        let mut changes = SectionChanges {
            id: id.to_string(),
            title,
            changed: 0,
            added: 0,
            removed: 0,
            marks: Vec::new(),
        };
        for (mut block, change) in compare(old, new) {
            if let Some(change) = change {
                self.marks += 1;
                block["change"] = json!({ "kind": change, "mark": self.marks });
                changes.marks.push(self.marks);
                match change {
                    Change::Changed => changes.changed += 1,
                    Change::Added => changes.added += 1,
                    Change::Removed => changes.removed += 1,
                }
            }
            self.blocks.push(block);
        }
        if !changes.marks.is_empty() {
            self.sections.push(changes);
        }
    }
}

/// Two runs of blocks compared: each block to show, with how it changed (none: the same).
fn compare(old: &[Block], new: &[Block]) -> Vec<(Value, Option<Change>)> {
    let old_keys: Vec<String> = old.iter().map(key).collect();
    let new_keys: Vec<String> = new.iter().map(key).collect();
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys) {
        let (tag, was, now) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => out.extend(new[now].iter().map(|b| (to_json(b), None))),
            DiffTag::Delete => out.extend(old[was].iter().map(removed)),
            DiffTag::Insert => out.extend(new[now].iter().map(added)),
            DiffTag::Replace => {
                let (was, now) = (&old[was], &new[now]);
                let pairs = was.len().max(now.len());
                for k in 0..pairs {
                    match (was.get(k), now.get(k)) {
                        (Some(a), Some(b)) => match changed(a, b) {
                            Some(v) => out.push((v, Some(Change::Changed))),
                            None => {
                                out.push(removed(a));
                                out.push(added(b));
                            }
                        },
                        (Some(a), None) => out.push(removed(a)),
                        (None, Some(b)) => out.push(added(b)),
                        (None, None) => {}
                    }
                }
            }
        }
    }
    out
}

/// Blocks compared inside a block (list items, call-out bodies): marks only in the words.
fn compare_inner(old: &[Block], new: &[Block]) -> Vec<Value> {
    compare(old, new).into_iter().map(|(v, _)| v).collect()
}

fn removed(block: &Block) -> (Value, Option<Change>) {
    let mut v = to_json(block);
    wrap_all(&mut v, "del");
    (v, Some(Change::Removed))
}

fn added(block: &Block) -> (Value, Option<Change>) {
    let mut v = to_json(block);
    wrap_all(&mut v, "ins");
    (v, Some(Change::Added))
}

/// `new` with the words inserted and deleted since `old`, when the two are the same kind
/// of block; `None` when they are not comparable (shown as removed and added).
fn changed(old: &Block, new: &Block) -> Option<Value> {
    let mut v = to_json(new);
    match (old, new) {
        (Block::Paragraph { content: a, .. }, Block::Paragraph { content: b, .. }) => {
            v["content"] = Value::Array(words(a, b));
        }
        (
            Block::Heading {
                level: la,
                content: a,
                ..
            },
            Block::Heading {
                level: lb,
                content: b,
                ..
            },
        ) if la == lb => v["content"] = Value::Array(words(a, b)),
        (
            Block::List {
                ordered: oa,
                items: a,
                ..
            },
            Block::List {
                ordered: ob,
                items: b,
                ..
            },
        ) if oa == ob => v["items"] = Value::Array(items(a, b)),
        (
            Block::Callout {
                kind: ka,
                blocks: a,
                ..
            },
            Block::Callout {
                kind: kb,
                blocks: b,
                ..
            },
        ) if ka == kb => v["blocks"] = Value::Array(compare_inner(a, b)),
        (Block::Quote { blocks: a, .. }, Block::Quote { blocks: b, .. }) => {
            v["blocks"] = Value::Array(compare_inner(a, b))
        }
        _ => return None,
    }
    Some(v)
}

/// A list's items compared: items aligned by content, changed ones compared block by block.
fn items(old: &[Vec<Block>], new: &[Vec<Block>]) -> Vec<Value> {
    let item_key = |item: &Vec<Block>| item.iter().map(key).collect::<Vec<_>>().join("\n");
    let old_keys: Vec<String> = old.iter().map(item_key).collect();
    let new_keys: Vec<String> = new.iter().map(item_key).collect();
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys) {
        let (tag, was, now) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => out.extend(new[now].iter().map(|i| whole(i, ""))),
            DiffTag::Delete => out.extend(old[was].iter().map(|i| whole(i, "del"))),
            DiffTag::Insert => out.extend(new[now].iter().map(|i| whole(i, "ins"))),
            DiffTag::Replace => {
                let (was, now) = (&old[was], &new[now]);
                for k in 0..was.len().max(now.len()) {
                    match (was.get(k), now.get(k)) {
                        (Some(a), Some(b)) => out.push(Value::Array(compare_inner(a, b))),
                        (Some(a), None) => out.push(whole(a, "del")),
                        (None, Some(b)) => out.push(whole(b, "ins")),
                        (None, None) => {}
                    }
                }
            }
        }
    }
    out
}

/// A list item as data, its words wrapped in `kind` (`ins`, `del`, or `""`: as it is).
fn whole(item: &[Block], kind: &str) -> Value {
    let mut blocks: Vec<Value> = item.iter().map(to_json).collect();
    for b in &mut blocks {
        wrap_all(b, kind);
    }
    Value::Array(blocks)
}

/// A block as data, as the layouts get it.
fn to_json(block: &Block) -> Value {
    serde_json::to_value(block).expect("the model serializes")
}

/// What a block says, for aligning: its data without source positions.
fn key(block: &Block) -> String {
    let mut v = to_json(block);
    strip_lines(&mut v);
    v.to_string()
}

fn strip_lines(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.remove("line");
            map.values_mut().for_each(strip_lines);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_lines),
        _ => {}
    }
}

/// Wraps every run of words of a block (as data) in an inline of type `kind` (`ins` or
/// `del`); `""` leaves it as it is.
fn wrap_all(v: &mut Value, kind: &str) {
    if kind.is_empty() {
        return;
    }
    let wrap = |inlines: &mut Value| {
        if inlines.as_array().is_some_and(|a| !a.is_empty()) {
            *inlines = json!([{ "type": kind, "content": inlines.take() }]);
        }
    };
    match v["type"].as_str().unwrap_or_default() {
        "heading" | "paragraph" => wrap(&mut v["content"]),
        "image" => wrap(&mut v["caption"]),
        "list" => {
            for item in v["items"].as_array_mut().into_iter().flatten() {
                for b in item.as_array_mut().into_iter().flatten() {
                    wrap_all(b, kind);
                }
            }
        }
        "callout" | "quote" => {
            for b in v["blocks"].as_array_mut().into_iter().flatten() {
                wrap_all(b, kind);
            }
        }
        "table" => {
            for cell in v["header"].as_array_mut().into_iter().flatten() {
                wrap(cell);
            }
            for row in v["rows"].as_array_mut().into_iter().flatten() {
                for cell in row.as_array_mut().into_iter().flatten() {
                    wrap(cell);
                }
            }
        }
        _ => {}
    }
}

/// Emphasis and links around a word.
#[derive(Debug, Clone, PartialEq)]
enum Wrap {
    Strong,
    Emph,
    Link(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Code(String),
    Break,
}

/// A word, a run of spaces, a piece of code or a line break, with what it is inside.
#[derive(Debug, Clone, PartialEq)]
struct Token {
    piece: Piece,
    wraps: Vec<Wrap>,
}

fn tokens(inlines: &[Inline], wraps: &mut Vec<Wrap>, out: &mut Vec<Token>) {
    fn nested(wrap: Wrap, content: &[Inline], wraps: &mut Vec<Wrap>, out: &mut Vec<Token>) {
        wraps.push(wrap);
        tokens(content, wraps, out);
        wraps.pop();
    }
    for inline in inlines {
        match inline {
            Inline::Text { text } => {
                let mut word = String::new();
                let mut space = None;
                for c in text.chars() {
                    if space.is_some_and(|s| s != c.is_whitespace()) {
                        out.push(Token {
                            piece: Piece::Text(std::mem::take(&mut word)),
                            wraps: wraps.clone(),
                        });
                    }
                    space = Some(c.is_whitespace());
                    word.push(c);
                }
                if !word.is_empty() {
                    out.push(Token {
                        piece: Piece::Text(word),
                        wraps: wraps.clone(),
                    });
                }
            }
            Inline::Code { text } => out.push(Token {
                piece: Piece::Code(text.clone()),
                wraps: wraps.clone(),
            }),
            Inline::Break => out.push(Token {
                piece: Piece::Break,
                wraps: wraps.clone(),
            }),
            Inline::Strong { content } => nested(Wrap::Strong, content, wraps, out),
            Inline::Emph { content } => nested(Wrap::Emph, content, wraps, out),
            Inline::Link { url, content } => nested(Wrap::Link(url.clone()), content, wraps, out),
            // Never in a built block (an image in text is refused): its words, if ever.
            Inline::Image { alt, .. } => tokens(alt, wraps, out),
        }
    }
}

fn is_space(token: &Token) -> bool {
    matches!(&token.piece, Piece::Text(t) if t.chars().all(char::is_whitespace))
}

/// `new`'s inlines with the words deleted since `old` (`del`) and inserted (`ins`).
fn words(old: &[Inline], new: &[Inline]) -> Vec<Value> {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    tokens(old, &mut Vec::new(), &mut a);
    tokens(new, &mut Vec::new(), &mut b);
    let key = |t: &Token| format!("{:?}", t);
    let ka: Vec<String> = a.iter().map(key).collect();
    let kb: Vec<String> = b.iter().map(key).collect();
    let ops: Vec<_> = capture_diff_slices(Algorithm::Myers, &ka, &kb)
        .into_iter()
        .map(|op| op.as_tag_tuple())
        .collect();
    // Runs of changes, with the spaces alone between two changes counted into the run, so
    // that "a b" → "c d" reads as one deletion and one insertion.
    let mut out = Vec::new();
    let (mut dels, mut inss): (Vec<&Token>, Vec<&Token>) = (Vec::new(), Vec::new());
    let flush = |out: &mut Vec<Value>, dels: &mut Vec<&Token>, inss: &mut Vec<&Token>| {
        if !dels.is_empty() {
            out.push(json!({ "type": "del", "content": build(dels, 0) }));
        }
        if !inss.is_empty() {
            out.push(json!({ "type": "ins", "content": build(inss, 0) }));
        }
        dels.clear();
        inss.clear();
    };
    for (k, (tag, was, now)) in ops.iter().enumerate() {
        let between = k > 0 && k + 1 < ops.len();
        match tag {
            DiffTag::Equal if between && b[now.clone()].iter().all(is_space) => {
                dels.extend(&a[was.clone()]);
                inss.extend(&b[now.clone()]);
            }
            DiffTag::Equal => {
                flush(&mut out, &mut dels, &mut inss);
                let same: Vec<&Token> = b[now.clone()].iter().collect();
                out.extend(build(&same, 0));
            }
            _ => {
                dels.extend(&a[was.clone()]);
                inss.extend(&b[now.clone()]);
            }
        }
    }
    flush(&mut out, &mut dels, &mut inss);
    merge_text(out)
}

/// Tokens back to inlines: neighbours inside the same emphasis or link share it again.
fn build(tokens: &[&Token], depth: usize) -> Vec<Value> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i];
        if let Some(wrap) = token.wraps.get(depth) {
            let mut j = i;
            while j < tokens.len() && tokens[j].wraps.get(depth) == Some(wrap) {
                j += 1;
            }
            let content = build(&tokens[i..j], depth + 1);
            out.push(match wrap {
                Wrap::Strong => json!({ "type": "strong", "content": content }),
                Wrap::Emph => json!({ "type": "emph", "content": content }),
                Wrap::Link(url) => json!({ "type": "link", "url": url, "content": content }),
            });
            i = j;
            continue;
        }
        out.push(match &token.piece {
            Piece::Text(t) => json!({ "type": "text", "text": t }),
            Piece::Code(t) => json!({ "type": "code", "text": t }),
            Piece::Break => json!({ "type": "break" }),
        });
        i += 1;
    }
    merge_text(out)
}

/// Neighbouring text inlines as one.
fn merge_text(inlines: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for v in inlines {
        if let (Some(last), Some(text)) = (out.last_mut(), v.get("text")) {
            if last["type"] == "text" && v["type"] == "text" {
                let joined = format!(
                    "{}{}",
                    last["text"].as_str().unwrap_or_default(),
                    text.as_str().unwrap_or_default()
                );
                last["text"] = Value::String(joined);
                continue;
            }
        }
        out.push(v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::Pos;

    fn para(text: &str) -> Block {
        Block::Paragraph {
            content: vec![Inline::Text { text: text.into() }],
            pos: Pos::default(),
        }
    }

    fn heading(id: &str) -> Block {
        Block::Heading {
            level: 2,
            content: vec![Inline::Text { text: id.into() }],
            id: id.into(),
            pos: Pos::default(),
        }
    }

    #[test]
    fn a_changed_word_is_one_deletion_and_one_insertion() {
        let out = words(
            &[Inline::Text {
                text: "Ask your nurse today.".into(),
            }],
            &[Inline::Text {
                text: "Ask your doctor today.".into(),
            }],
        );
        assert_eq!(
            Value::Array(out),
            json!([
                { "type": "text", "text": "Ask your " },
                { "type": "del", "content": [{ "type": "text", "text": "nurse" }] },
                { "type": "ins", "content": [{ "type": "text", "text": "doctor" }] },
                { "type": "text", "text": " today." },
            ])
        );
    }

    #[test]
    fn emphasis_around_a_changed_word_is_kept() {
        let strong = |t: &str| Inline::Strong {
            content: vec![Inline::Text { text: t.into() }],
        };
        let out = words(&[strong("big dose")], &[strong("small dose")]);
        assert_eq!(out[0]["type"], "del");
        assert_eq!(out[0]["content"][0]["type"], "strong");
        assert_eq!(out[2]["type"], "strong");
        assert_eq!(out[2]["content"][0]["text"], " dose");
    }

    #[test]
    fn blocks_are_aligned_by_section_and_content_before_words() {
        let old = vec![
            heading("a"),
            para("One."),
            para("Two."),
            heading("b"),
            para("Gone."),
        ];
        let new = vec![heading("a"), para("One."), para("Two, now."), para("New.")];
        let d = diff(old, new);
        let kinds: Vec<Value> = d
            .blocks
            .iter()
            .map(|b| b["change"]["kind"].clone())
            .collect();
        assert_eq!(
            kinds,
            vec![
                Value::Null,
                Value::Null,
                json!("changed"),
                json!("added"),
                json!("removed"),
                json!("removed")
            ]
        );
        assert_eq!(d.sections.len(), 2);
        assert_eq!(d.sections[0].title.as_deref(), Some("a"));
        assert_eq!((d.sections[0].changed, d.sections[0].added), (1, 1));
        assert_eq!(d.sections[1].removed, 2);
        assert_eq!(d.marks(), 4);
    }

    #[test]
    fn the_same_text_has_no_changes() {
        let text = vec![heading("a"), para("One.")];
        let d = diff(text.clone(), text);
        assert!(d.is_empty());
        assert!(d.blocks.iter().all(|b| b.get("change").is_none()));
    }
}
