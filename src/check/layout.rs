//! Checks on laid-out editions: what the reader will actually see on each page.

use typst::foundations::{NativeElement, Selector};
use typst::introspection::Introspector;
use typst::model::HeadingElem;
use typst_layout::PagedDocument;

use std::path::Path;

use super::{Code, Finding};
use crate::diag::Location;
use crate::inspect::{
    fit_parts, fit_report, marks, missing_words, text_runs, wide_tables, FitPart, TextRun,
};
use crate::project::Edition;

/// Every layout finding for one edition of a publication (its Markdown file is `file`).
pub fn check(
    doc: &PagedDocument,
    publication: &str,
    file: &Path,
    name: &str,
    edition: &Edition,
) -> Vec<Finding> {
    let runs = text_runs(doc);
    let mut out = pages(doc, publication, file, name, edition);
    out.extend(text_rules(&runs, publication, name, edition));
    out.extend(stranded_headings(doc, &runs, publication, name));
    out.extend(words(doc, publication, name));
    out.extend(tables(doc, publication, file, name));
    out
}

/// Tables whose longest words do not fit across this edition's page: the layout would
/// squeeze the columns until words run into each other.
fn tables(doc: &PagedDocument, publication: &str, file: &Path, name: &str) -> Vec<Finding> {
    wide_tables(doc)
        .into_iter()
        .map(|t| {
            Finding::new(
                Code::TableTooWide,
                publication,
                format!(
                    "this table's {} columns need {:.0} mm for their longest words, but the \
                     {name} text column is {:.0} mm wide: its words would run into each other",
                    t.columns,
                    t.needed / 72.0 * 25.4,
                    t.available / 72.0 * 25.4
                ),
                "split it into narrower tables, turn it round (rows as columns), shorten the \
                 longest words, or leave it out of this edition with a class (`{.not-leaflet}`)",
            )
            .at(Location::at(file, t.line, 1))
            .on(name, t.page)
        })
        .collect()
}

/// Reader-facing words (headings such as "Contents", call-out labels, dates) that the
/// layouts have no translation for in the publication's language, so show in English.
fn words(doc: &PagedDocument, publication: &str, name: &str) -> Option<Finding> {
    let missing = missing_words(doc)?;
    if missing.keys.is_empty() {
        return None;
    }
    let message = if missing.table {
        format!(
            "the layouts have no `{}` words for: {}; readers see them in English",
            missing.lang,
            missing.keys.join(", ")
        )
    } else {
        format!(
            "the layouts have no words in `{}`: readers see every fixed word (Contents, Notes, \
             call-out labels, dates) in English",
            missing.lang
        )
    };
    Some(
        Finding::new(
            Code::WordMissing,
            publication,
            message,
            format!(
                "add a `{}` table with every key of `en` to `strings` in layouts/common/words.typ, \
                 written or checked by a qualified translator",
                missing.lang
            ),
        )
        .on(name, None),
    )
}

/// Where a body that does not fit runs out, and what each section takes.
#[derive(Debug, Clone, PartialEq)]
struct RunsOut {
    /// The line of the first block that no longer fits.
    line: usize,
    /// The section it is in (none: the opening, before the first heading).
    section: Option<String>,
    /// Each section (the opening as "opening text") and its share of the text space.
    shares: Vec<(String, f64)>,
}

/// Adds up the blocks' heights until they pass `available`: the block where that happens is
/// where the text runs out. `None` without parts or room to compare with.
fn runs_out(parts: &[FitPart], available: f64) -> Option<RunsOut> {
    if parts.is_empty() || available <= 0.0 {
        return None;
    }
    let mut shares: Vec<(String, f64)> = Vec::new();
    let mut section: Option<String> = None;
    let mut used = 0.0;
    let mut out: Option<(usize, Option<String>)> = None;
    for part in parts {
        if let Some(h) = &part.heading {
            section = Some(h.clone());
        }
        let title = section
            .clone()
            .unwrap_or_else(|| "opening text".to_string());
        match shares.last_mut() {
            Some((t, share)) if *t == title => *share += part.height / available,
            _ => shares.push((title, part.height / available)),
        }
        used += part.height;
        if used > available + 0.5 && out.is_none() && part.line > 0 {
            out = Some((part.line, section.clone()));
        }
    }
    // Measured block by block the body may seem to fit when the page breaks make it not:
    // then the text runs out in its last block.
    let (line, section) = out.or_else(|| {
        let last = parts.iter().rev().find(|p| p.line > 0)?;
        Some((last.line, section.clone()))
    })?;
    Some(RunsOut {
        line,
        section,
        shares,
    })
}

/// Page rules: a leaflet fits its sheet exactly; a booklet's pages are a multiple of 4.
fn pages(
    doc: &PagedDocument,
    publication: &str,
    file: &Path,
    name: &str,
    edition: &Edition,
) -> Vec<Finding> {
    let pages = doc.pages().len();
    let mut out = Vec::new();
    if let Some(want) = edition.pages {
        let fit = fit_report(doc);
        let over = fit.as_ref().map(|f| f.needed - f.available).unwrap_or(0.0);
        if pages > want || over > 0.5 {
            let by = if over > 0.5 {
                format!(
                    "about {:.0} mm of text too much (roughly {} lines)",
                    over / 72.0 * 25.4,
                    (over / 14.0).ceil()
                )
            } else {
                format!("{} page(s) too many", pages - want)
            };
            let class = edition.classes.first().map_or(name, String::as_str);
            let mut message =
                format!("{publication}: the {name} edition does not fit on {want} pages: {by}");
            let available = fit.as_ref().map_or(0.0, |f| f.available);
            let runs_out = runs_out(&fit_parts(doc), available);
            if let Some(r) = &runs_out {
                message.push_str(&format!("; the text runs out at line {}", r.line));
                if let Some(section) = &r.section {
                    message.push_str(&format!(", in `{section}`"));
                }
                message.push_str(&format!(
                    "; each section's share of the {name}'s text space: {}",
                    r.shares
                        .iter()
                        .map(|(s, share)| format!("`{s}` {:.0} %", share * 100.0))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            let finding = Finding::new(Code::TextOverflowsPages, publication, message,
                format!("shorten the sections the {name} edition carries, or leave content out of it: \
                         `## Heading {{.not-{class}}}` for a whole section, or `<!-- not: {class} -->` … \
                         `<!-- end -->` around a paragraph, a list or an image"))
                .on(name, None);
            out.push(match runs_out {
                Some(r) => finding.at(Location::at(file, r.line, 1)),
                None => finding,
            });
        } else if pages < want {
            out.push(
                Finding::new(
                    Code::TextOverflowsPages,
                    publication,
                    format!("{publication}: the {name} layout made {pages} page(s), not {want}"),
                    format!(
                        "the layout {} must always make {want} pages",
                        edition.layout_path().display()
                    ),
                )
                .on(name, None),
            );
        }
    }
    if let Some(multiple) = edition.required_page_multiple() {
        if !pages.is_multiple_of(multiple) {
            out.push(Finding::new(Code::PageMultiple, publication,
                format!("{publication}: the {name} edition has {pages} pages, not a multiple of {multiple}"),
                format!("the layout {} must pad with notes pages; a printer cannot bind it as it is", edition.layout_path().display()))
                .on(name, None));
        }
    }
    out
}

/// The edition's text rules (large print: `min-text-pt: 16`, `italic: false`): no glyph
/// under the minimum, nothing italic. One finding per page and problem.
fn text_rules(runs: &[TextRun], publication: &str, name: &str, edition: &Edition) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut last_small = 0;
    let mut last_italic = 0;
    for run in runs {
        let too_small = edition
            .min_text_pt
            .is_some_and(|min| run.size_pt < min - 0.01);
        if too_small && run.page != last_small {
            last_small = run.page;
            out.push(Finding::new(Code::TextBelowMinimum, publication,
                format!("text at {:.1} pt in {name}, below its min-text-pt of {:.0}: \"{}\"", run.size_pt, edition.min_text_pt.unwrap_or_default(), run.text.trim()),
                format!("{name} needs {:.0} pt at the very least (large print: 16 pt, 18 pt is the aim): fix the layout's text sizes", edition.min_text_pt.unwrap_or_default()))
                .on(name, Some(run.page)));
        }
        if !edition.italic && run.italic && run.page != last_italic {
            last_italic = run.page;
            out.push(
                Finding::new(
                    Code::ItalicNotAllowed,
                    publication,
                    format!(
                        "italic text in {name} (italic: false): \"{}\"",
                        run.text.trim()
                    ),
                    "show emphasis in bold: make the layout's emph rule bold, upright",
                )
                .on(name, Some(run.page)),
            );
        }
    }
    out
}

/// A heading with nothing of its section under it on its page (its text starts overleaf).
///
/// Page furniture is left out: bare page numbers, and any text that stands at the same
/// height on three or more pages (running footers). Limits: a layout's own decoration
/// drawn below a heading (a rule, a box) counts as content.
fn stranded_headings(
    doc: &PagedDocument,
    runs: &[TextRun],
    publication: &str,
    name: &str,
) -> Vec<Finding> {
    let furniture = furniture(runs);
    let marks = marks(doc);
    let introspector = doc.introspector();
    let mut out = Vec::new();
    for heading in introspector.query(&Selector::Elem(HeadingElem::ELEM, None)) {
        let Some(location) = heading.location() else {
            continue;
        };
        let Some(position) = introspector.position(location) else {
            continue;
        };
        let page = position.page.get();
        if page == doc.pages().len() {
            continue;
        }
        let title = heading
            .to_packed::<HeadingElem>()
            .map(|h| h.body.plain_text().to_string())
            .unwrap_or_default();
        // The heading's own lines start at its top and follow each other closely; anything
        // lower that is not part of it. (Scripts whose glyphs sit at several heights, such as
        // Arabic, come in runs of a letter or two, which other lines contain too: so the
        // heading ends at the first line that has a run of something else.)
        let top = position.point.y.to_pt();
        let mut below: Vec<&TextRun> = runs
            .iter()
            .filter(|r| r.page == page && r.y_pt > top)
            .collect();
        below.sort_by(|a, b| a.y_pt.total_cmp(&b.y_pt));
        let mut own_bottom = top;
        for r in below {
            let close = r.y_pt - own_bottom <= 2.0 * r.size_pt;
            if !(close && title.contains(r.text.trim())) {
                break;
            }
            own_bottom = own_bottom.max(r.y_pt);
        }
        let text_below = runs.iter().any(|r| {
            r.page == page && r.y_pt > own_bottom + 0.5 && !furniture.contains(&furniture_key(r))
        });
        let mark_below = marks
            .iter()
            .any(|m| m.page == page && m.y_pt > own_bottom + 0.5);
        if !text_below && !mark_below {
            out.push(Finding::new(Code::HeadingAtPageFoot, publication,
                format!("the heading \"{title}\" is the last line of page {page}"),
                "keep headings with their text (Typst headings are sticky unless a layout turns that off); \
                 shorten the text before it or start the section on a new page")
                .on(name, Some(page)));
        }
    }
    out
}

fn furniture_key(run: &TextRun) -> (String, i64) {
    let text = run.text.trim();
    // Page numbers differ from page to page: count them all as one.
    let text = if text.chars().all(|c| c.is_ascii_digit()) {
        "#"
    } else {
        text
    };
    (text.to_string(), run.y_pt.round() as i64)
}

fn furniture(runs: &[TextRun]) -> std::collections::HashSet<(String, i64)> {
    let mut pages: std::collections::HashMap<(String, i64), std::collections::HashSet<usize>> =
        Default::default();
    for run in runs {
        pages
            .entry(furniture_key(run))
            .or_default()
            .insert(run.page);
    }
    pages
        .into_iter()
        .filter(|(k, p)| p.len() >= 3 || k.0 == "#")
        .map(|(k, _)| k)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(line: usize, height: f64, heading: Option<&str>) -> FitPart {
        FitPart {
            line,
            height,
            heading: heading.map(str::to_string),
        }
    }

    #[test]
    fn the_text_runs_out_at_the_first_block_past_the_space_with_each_sections_share() {
        let parts = [
            part(14, 20.0, None),
            part(16, 10.0, Some("Eating")),
            part(18, 50.0, None),
            part(22, 10.0, Some("Drinking")),
            part(24, 40.0, None),
        ];
        let found = runs_out(&parts, 100.0).expect("runs out");
        assert_eq!(found.line, 24);
        assert_eq!(found.section.as_deref(), Some("Drinking"));
        let shares: Vec<(&str, i64)> = found
            .shares
            .iter()
            .map(|(s, f)| (s.as_str(), (f * 100.0).round() as i64))
            .collect();
        assert_eq!(
            shares,
            [("opening text", 20), ("Eating", 60), ("Drinking", 50)]
        );
    }

    #[test]
    fn nothing_is_said_without_parts() {
        assert_eq!(runs_out(&[], 100.0), None);
    }
}
