//! Structure checks on the document model: headings, sections, images, links, sentences.

use super::{Code, Finding};
use crate::content::model::{inline_text, walk, Block, Inline, Pos};
use crate::content::Publication;
use crate::diag::Location;

/// Every structure finding of a publication, in source order.
pub fn check(publication: &Publication) -> Vec<Finding> {
    let blocks = publication.all_blocks();
    let mut out = Vec::new();
    let id = publication.id.as_str();
    let at = |pos: Pos| Location::at(&publication.file, pos.line, pos.column);

    headings(&blocks, &mut |code, pos, message, hint| {
        out.push(Finding::new(code, id, message, hint).at(at(pos)));
    });

    if publication.meta.lang == "en" {
        for (heading, pos) in layout_headings_repeated(&blocks) {
            out.push(
                Finding::new(
                    Code::HeadingRepeatsLayout,
                    id,
                    format!("the layouts already add a heading `{heading}`: readers would see it twice"),
                    "give the section another heading, or leave it out: the layouts write that part themselves",
                )
                .at(at(pos)),
            );
        }
    }

    walk(&blocks, &mut |block| match block {
        Block::Image { src, alt, pos, .. } if looks_like_file_name(alt, src) => out.push(
            Finding::new(
                Code::ImageAltFilename,
                id,
                format!("the alt text of `{src}` is just a file name: `{alt}`"),
                "describe what the image shows for someone who cannot see it",
            )
            .at(at(*pos)),
        ),
        _ => {}
    });

    walk(&blocks, &mut |block| {
        for (url, pos) in links(block) {
            if !well_formed_link(&url) {
                out.push(
                    Finding::new(Code::LinkMalformed, id, format!("`{url}` is not a well-formed web address or email"),
                        "write a full address such as https://www.example.org/page or mailto:help@example.org")
                    .at(at(pos)),
                );
            }
        }
    });

    colon_without_list(&blocks, &mut |pos| {
        out.push(
            Finding::new(
                Code::ColonWithoutList,
                id,
                "this sentence ends with a colon, but no list follows it",
                "add the list it introduces, or end the sentence with a full stop",
            )
            .at(at(pos)),
        );
    });

    walk(&blocks, &mut |block| {
        if let Block::Paragraph { content, pos } | Block::Heading { content, pos, .. } = block {
            if let Some(word) = doubled_word(&inline_text(content)) {
                out.push(
                    Finding::new(
                        Code::DoubledWord,
                        id,
                        format!("the word `{word}` is written twice in a row"),
                        "delete one of them",
                    )
                    .at(at(*pos)),
                );
            }
        }
    });
    out
}

/// The headings the layouts add on their own (`strings.en` in `layouts/common/words.typ`),
/// listed in README.md ("Headings the layouts add").
pub const LAYOUT_HEADINGS: &[&str] = &[
    "Contents",
    "About this information",
    "Notes",
    "Find out more",
    "Your hospital team",
];

/// Section headings that are one of [`LAYOUT_HEADINGS`] (case, spacing and a final full stop
/// aside), with the layout's spelling.
fn layout_headings_repeated(blocks: &[Block]) -> Vec<(&'static str, Pos)> {
    let norm = |s: &str| {
        s.trim_end_matches(['.', ':'])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let mut out = Vec::new();
    for block in blocks {
        if let Block::Heading { content, pos, .. } = block {
            let written = norm(&inline_text(content));
            if let Some(h) = LAYOUT_HEADINGS.iter().find(|h| norm(h) == written) {
                out.push((*h, *pos));
            }
        }
    }
    out
}

type Reporter<'a> = dyn FnMut(Code, Pos, String, String) + 'a;

/// Heading levels: body headings start at 2 (the title is 1), never skip a level, and a
/// section is never empty.
fn headings(blocks: &[Block], report: &mut Reporter) {
    let mut previous = 1u8;
    for (i, block) in blocks.iter().enumerate() {
        let Block::Heading {
            level,
            content,
            pos,
            ..
        } = block
        else {
            continue;
        };
        let title = inline_text(content);
        if *level == 1 {
            report(
                Code::HeadingTitleLevel,
                *pos,
                format!("`{title}` is a level-1 heading"),
                "the title in the front matter is the only level-1 heading; start sections with ##"
                    .into(),
            );
        } else if *level > previous + 1 {
            report(
                Code::HeadingSkip,
                *pos,
                format!("`{title}` jumps from heading level {previous} to {level}"),
                format!(
                    "use {} for this heading, or add the missing level above it",
                    "#".repeat(previous as usize + 1)
                ),
            );
        }
        previous = *level;
        let next = blocks.get(i + 1);
        let empty = match next {
            None => true,
            Some(Block::Heading {
                level: next_level, ..
            }) => next_level <= level,
            Some(_) => false,
        };
        if empty {
            report(
                Code::EmptySection,
                *pos,
                format!("the section `{title}` has no text"),
                "write the section, or delete its heading".into(),
            );
        }
    }
}

/// Paragraphs that end with a colon and are not followed by a list (in the same container).
fn colon_without_list(blocks: &[Block], report: &mut dyn FnMut(Pos)) {
    for (i, block) in blocks.iter().enumerate() {
        if let Block::Paragraph { content, pos } = block {
            let ends_with_colon = inline_text(content).trim_end().ends_with(':');
            let list_follows = matches!(
                blocks.get(i + 1),
                Some(Block::List { .. }) | Some(Block::Table { .. })
            );
            if ends_with_colon && !list_follows {
                report(*pos);
            }
        }
        match block {
            Block::List { items, .. } => items
                .iter()
                .for_each(|item| colon_without_list(item, report)),
            Block::Callout { blocks, .. } | Block::Quote { blocks, .. } => {
                colon_without_list(blocks, report)
            }
            _ => {}
        }
    }
}

fn links(block: &Block) -> Vec<(String, Pos)> {
    fn collect(inlines: &[Inline], out: &mut Vec<String>) {
        for inline in inlines {
            match inline {
                Inline::Link { url, content } => {
                    out.push(url.clone());
                    collect(content, out);
                }
                Inline::Strong { content } | Inline::Emph { content } => collect(content, out),
                _ => {}
            }
        }
    }
    let mut urls = Vec::new();
    match block {
        Block::Paragraph { content, .. } | Block::Heading { content, .. } => {
            collect(content, &mut urls)
        }
        Block::Table { header, rows, .. } => header
            .iter()
            .chain(rows.iter().flatten())
            .for_each(|c| collect(c, &mut urls)),
        _ => {}
    }
    urls.into_iter().map(|u| (u, block.pos())).collect()
}

/// `https://host.tld/...`, `http://...`, `mailto:a@b.tld` or `tel:+44...`.
pub fn well_formed_link(url: &str) -> bool {
    if let Some(address) = url.strip_prefix("mailto:") {
        return well_formed_email(address);
    }
    if let Some(number) = url.strip_prefix("tel:") {
        return !number.is_empty()
            && number
                .chars()
                .all(|c| c.is_ascii_digit() || "+ -()".contains(c));
    }
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
        && !url.chars().any(char::is_whitespace)
}

fn well_formed_email(address: &str) -> bool {
    let Some((user, domain)) = address.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && !user.contains(char::is_whitespace)
        && well_formed_link(&format!("https://{domain}"))
}

fn looks_like_file_name(alt: &str, src: &str) -> bool {
    let alt = alt.trim().to_lowercase();
    let name = src.rsplit('/').next().unwrap_or(src).to_lowercase();
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    let image_ext = [".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"]
        .iter()
        .any(|x| alt.ends_with(x));
    image_ext
        || alt == name
        || alt == stem
        || (!alt.contains(' ') && (alt.contains('_') || alt.contains('-')) && alt.len() > 3)
}

/// The first word written twice in a row ("the the"), ignoring case. Words split by
/// punctuation ("that. That") are two sentences, not a slip.
pub fn doubled_word(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let tokens: Vec<&str> = lower.split_whitespace().collect();
    for pair in tokens.windows(2) {
        let a = pair[0].trim_start_matches(|c: char| !c.is_alphanumeric());
        let b = pair[1].trim_end_matches(|c: char| !c.is_alphanumeric());
        let word = a.chars().all(|c| c.is_alphanumeric() || c == '\'')
            && a.chars().any(char::is_alphabetic);
        if word && a == b {
            return Some(a.to_string());
        }
    }
    None
}
