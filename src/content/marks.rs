//! Edition marks in Markdown: heading classes (`## Title {.not-leaflet}`) that apply to
//! a section, and comment markers (`<!-- only: leaflet -->` … `<!-- end -->`) that apply to
//! a run of top-level blocks. Every name must be an edition or class of the project.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::builder::Builder;
use super::model::Block;
use super::visibility::{Node, Rule};
use crate::diag::Problem;

/// A section opened by a marked heading, closed by the next heading of the same or higher level.
struct Section {
    level: u8,
    rules: Vec<Rule>,
}

pub(super) enum Marker {
    Start(Rule),
    End,
}

impl Builder<'_, '_> {
    pub(super) fn top_level(&mut self) -> Result<Vec<Node>, Problem> {
        let mut nodes = Vec::new();
        let mut sections: Vec<Section> = Vec::new();
        let mut run: Option<(Rule, usize)> = None;
        while let Some((event, range)) = self.next() {
            if let Event::Start(Tag::HtmlBlock) = event {
                let html = self.html_block();
                match self.marker(&html, range.start)? {
                    Some(Marker::Start(rule)) => {
                        if run.is_some() {
                            return Err(self.error(
                                range.start,
                                "an edition mark starts inside another one",
                                "close the first run with `<!-- end -->` before starting another",
                            ));
                        }
                        run = Some((rule, range.start));
                    }
                    Some(Marker::End) => {
                        let closed = run.take();
                        if closed.is_none() {
                            return Err(self.error(range.start, "`<!-- end -->` without an opening mark",
                                "open the run with `<!-- only: NAME -->` or `<!-- not: NAME -->`, or remove this line"));
                        }
                    }
                    None => {}
                }
                continue;
            }
            let Some(block) = self.block(event, range.clone())? else {
                continue;
            };
            if let Block::Heading { level, .. } = &block {
                sections.retain(|s| s.level < *level);
                let rules = self.heading_rules(range.start)?;
                if !rules.is_empty() {
                    sections.push(Section {
                        level: *level,
                        rules,
                    });
                }
            }
            let mut rules: Vec<Rule> = sections.iter().flat_map(|s| s.rules.clone()).collect();
            if let Some((rule, _)) = &run {
                rules.push(rule.clone());
            }
            nodes.push(Node { block, rules });
        }
        if let Some((_, start)) = run {
            return Err(self.error(
                start,
                "this edition mark is never closed",
                "add `<!-- end -->` on its own line after the last block it covers",
            ));
        }
        Ok(nodes)
    }

    /// Reads the classes of the heading that starts at `offset` (already parsed) as rules.
    pub(super) fn heading_rules(&self, offset: usize) -> Result<Vec<Rule>, Problem> {
        let classes = self.events.iter().find_map(|(e, r)| match e {
            Event::Start(Tag::Heading { classes, .. }) if r.start == offset => {
                Some(classes.clone())
            }
            _ => None,
        });
        let mut only = Vec::new();
        let mut not = Vec::new();
        for class in classes.unwrap_or_default() {
            let (list, name) = match class.strip_prefix("not-") {
                Some(name) => (&mut not, name.to_string()),
                None => (&mut only, class.to_string()),
            };
            self.check_name(&name, offset)?;
            list.push(name);
        }
        if let Some(name) = only.iter().find(|n| not.contains(n)) {
            return Err(self.error(
                offset,
                format!("this heading is marked both `.{name}` and `.not-{name}`: no edition would carry its section"),
                format!("keep `.{name}` to put the section only in those editions, or `.not-{name}` to leave it out of them"),
            ));
        }
        let mut rules = Vec::new();
        if !only.is_empty() {
            rules.push(Rule::Only(only));
        }
        if !not.is_empty() {
            rules.push(Rule::Not(not));
        }
        Ok(rules)
    }

    /// Refuses heading attributes that would be ignored: anything but classes and an id, and
    /// classes on a heading inside a list or callout (only top-level headings open sections).
    pub(super) fn heading_attributes(
        &self,
        classes: &[CowStr],
        attrs: &[(CowStr, Option<CowStr>)],
        offset: usize,
    ) -> Result<(), Problem> {
        if let Some((key, value)) = attrs.first() {
            return Err(match value {
                None => self.error(
                    offset,
                    format!("`{key}` in a heading's braces is not an edition class"),
                    format!("write classes with a dot: `{{.{key}}}`"),
                ),
                Some(_) => self.error(
                    offset,
                    format!("heading attributes such as `{key}=…` are not supported"),
                    "use only classes such as `{.leaflet}` and an id such as `{#side-effects}`",
                ),
            });
        }
        if !classes.is_empty() && self.depth > 0 {
            return Err(self.error(
                offset,
                "edition classes work only on headings at the top level, not inside a list or callout",
                "move the heading out, or put `<!-- only: … -->` and `<!-- end -->` lines around the whole list or callout",
            ));
        }
        Ok(())
    }

    pub(super) fn check_name(&self, name: &str, offset: usize) -> Result<(), Problem> {
        if self.ctx.names.contains(name) {
            return Ok(());
        }
        let known: Vec<&str> = self.ctx.names.iter().map(String::as_str).collect();
        Err(self.error(
            offset,
            format!("no edition or class is called `{name}`"),
            format!("use one of: {}", known.join(", ")),
        ))
    }

    pub(super) fn html_block(&mut self) -> String {
        let mut html = String::new();
        while let Some((event, _)) = self.next() {
            match event {
                Event::Html(t) | Event::Text(t) => html.push_str(&t),
                Event::End(TagEnd::HtmlBlock) => break,
                _ => {}
            }
        }
        html
    }

    /// Reads an HTML block: an edition marker, a plain comment (ignored), or an error.
    pub(super) fn marker(&self, html: &str, offset: usize) -> Result<Option<Marker>, Problem> {
        let text = html.trim();
        let Some(inner) = text
            .strip_prefix("<!--")
            .and_then(|t| t.strip_suffix("-->"))
        else {
            return Err(self.error(
                offset,
                "raw HTML is not allowed in a publication",
                "write it in Markdown; HTML would not reach the PDF editions",
            ));
        };
        let inner = inner.trim();
        // Case is forgiven: `<!-- Only: leaflet -->` read as a plain comment would put the
        // run into every edition without a word.
        if inner.eq_ignore_ascii_case("end") {
            return Ok(Some(Marker::End));
        }
        let (kind, names) = match inner.split_once(':') {
            Some((k, n)) if is_mark_word(k.trim()) => (k.trim().to_ascii_lowercase(), n),
            _ => {
                self.refuse_mark_without_colon(inner, offset)?;
                return Ok(None); // an ordinary comment for editors
            }
        };
        let names: Vec<String> = names
            .split(',')
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        if names.is_empty() {
            return Err(self.error(
                offset,
                format!("`{kind}:` names no edition"),
                "write e.g. `<!-- only: leaflet -->`",
            ));
        }
        if let Some(name) = names.iter().find(|n| names.contains(&format!("not-{n}"))) {
            return Err(self.error(
                offset,
                format!("this mark names both `{name}` and `not-{name}`"),
                format!("write `<!-- only: {name} -->` or `<!-- not: {name} -->`, not both"),
            ));
        }
        for name in &names {
            self.check_name(name, offset)?;
        }
        Ok(Some(Marker::Start(if kind == "only" {
            Rule::Only(names)
        } else {
            Rule::Not(names)
        })))
    }
}

/// `only` or `not`, in any case.
fn is_mark_word(word: &str) -> bool {
    word.eq_ignore_ascii_case("only") || word.eq_ignore_ascii_case("not")
}

impl Builder<'_, '_> {
    /// `<!-- only leaflet -->` (no colon) would be read as a plain comment: refuse it when
    /// every word after `only` or `not` is an edition or class.
    fn refuse_mark_without_colon(&self, inner: &str, offset: usize) -> Result<(), Problem> {
        let mut words = inner.split([' ', ',']).filter(|w| !w.is_empty());
        let (Some(kind), rest) = (words.next(), words.collect::<Vec<_>>()) else {
            return Ok(());
        };
        if is_mark_word(kind)
            && !rest.is_empty()
            && rest.iter().all(|w| self.ctx.names.contains(*w))
        {
            return Err(self.error(
                offset,
                "this edition mark has no colon, so it would be read as a plain comment",
                format!(
                    "write `<!-- {}: {} -->`",
                    kind.to_ascii_lowercase(),
                    rest.join(", ")
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
