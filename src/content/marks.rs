//! Edition marks in Markdown: heading classes (`## Title {.not-leaflet}`) that apply to
//! a section, and comment markers (`<!-- only: leaflet -->` … `<!-- end -->`) that apply to
//! a run of top-level blocks. Every name must be an edition or class of the project.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::markdown::Builder;
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
                        if run.take().is_none() {
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
        let mut rules = Vec::new();
        if !only.is_empty() {
            rules.push(Rule::Only(only));
        }
        if !not.is_empty() {
            rules.push(Rule::Not(not));
        }
        Ok(rules)
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
        if inner == "end" {
            return Ok(Some(Marker::End));
        }
        let (kind, names) = match inner.split_once(':') {
            Some((k, n)) if k.trim() == "only" || k.trim() == "not" => (k.trim(), n),
            _ => return Ok(None), // an ordinary comment for editors
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
