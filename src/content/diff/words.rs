//! Word by word: two runs of inlines cut into words, the spaces between them, code and line
//! breaks, each with the emphasis and link around it, compared with Myers' diff; what was
//! deleted and inserted comes back as inlines of type `del` and `ins`, the emphasis kept
//! inside them.

use serde_json::{json, Value};
use similar::{capture_diff_slices, Algorithm, DiffTag};

use crate::content::model::Inline;

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
pub(super) fn words(old: &[Inline], new: &[Inline]) -> Vec<Value> {
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
}
