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

mod words;

use self::words::words;
use super::model::{inline_text, Block};
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::{Inline, Pos};

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
