//! Translations are never silently stale: `translation-outdated` when the source has a newer
//! version than the one the translation was made from (an error), or when a source section
//! changed since the translation was last confirmed (a warning, as po4a and Weblate mark
//! changed strings "fuzzy"); `translation-missing-section` when a source section has no
//! counterpart in the translation, or a translated section matches no source section.
//!
//! Sections are matched by heading id (see `content::translation`).

use super::{Code, Finding};
use crate::content::translation::{sections, Confirmation, Section, INTRO};
use crate::content::Publication;
use crate::diag::{Location, Severity};

/// The translation findings of `publication` (nothing for a source), given its confirmation
/// record (`None`: never confirmed).
pub fn check(publication: &Publication, record: Option<&Confirmation>) -> Vec<Finding> {
    let Some(t) = &publication.translation else {
        return Vec::new();
    };
    let id = publication.id.as_str();
    let file = &publication.file;
    let at = |s: &Section| Location::at(file, s.pos.line, s.pos.column);
    let confirm = format!("folio translation confirm {} {}", t.source_id, t.lang);
    let source_place = |s: &Section| {
        format!(
            "{}:{}",
            crate::diag::display_path(&t.source_file),
            s.pos.line
        )
    };
    let mut out = Vec::new();

    if t.version_behind() {
        out.push(
            Finding::new(
                Code::TranslationOutdated,
                id,
                format!(
                    "this translation was made from version {} of the source, which is now version {}",
                    t.of, t.source_version
                ),
                format!(
                    "`folio review {} --since {}` shows what changed in the source (when that version \
                     was approved); have the translation brought up to date, set `translation-of: \"{}\"`, \
                     then run `{confirm}`; `--allow-outdated-translations` builds it with a note on its first page",
                    t.source_id, t.of, t.source_version
                ),
            )
            .at(publication.meta.key_location(file, "translation-of")),
        );
    }

    let ours = sections(&publication.body);
    let has = |section_id: &str| ours.iter().any(|s| s.id == section_id);
    for (k, source) in t.source_sections.iter().enumerate() {
        if has(&source.id) {
            continue;
        }
        // Point at the translated section that should follow it, or the top of the file.
        let next = t.source_sections[k + 1..]
            .iter()
            .find_map(|s| ours.iter().find(|o| o.id == s.id));
        let place = next.map_or(Location::at(file, 1, 1), at);
        let what = if source.id == INTRO {
            "the text before its first heading".to_string()
        } else {
            format!("`{}` (#{})", source.title, source.id)
        };
        out.push(
            Finding::new(
                Code::TranslationMissingSection,
                id,
                format!(
                    "the source's section {what} ({}) is not in this translation",
                    source_place(source)
                ),
                if source.id == INTRO {
                    "translate it above the first heading".to_string()
                } else {
                    format!(
                        "translate it under a level-2 heading with the source's id, e.g. `## … {{#{}}}`",
                        source.id
                    )
                },
            )
            .at(place),
        );
    }

    let source_has = |section_id: &str| t.source_sections.iter().any(|s| s.id == section_id);
    for section in ours.iter().filter(|s| !source_has(&s.id)) {
        let removed = record.is_some_and(|r| r.sections.contains_key(&section.id));
        let finding = if removed {
            Finding::new(
                Code::TranslationOutdated,
                id,
                format!(
                    "the source no longer has the section this one translates (#{})",
                    section.id
                ),
                format!("remove it, as the source did, then run `{confirm}`"),
            )
        } else {
            Finding::new(
                Code::TranslationMissingSection,
                id,
                format!(
                    "the section `{}` matches no section of the source (its id is `{}`)",
                    section.title, section.id
                ),
                "give the heading the id of the source heading it translates, e.g. `{#before}`; \
                 `folio check` on the source lists their ids in its sections"
                    .to_string(),
            )
        };
        out.push(finding.at(at(section)));
    }

    match record {
        None => out.push(
            Finding::new(
                Code::TranslationOutdated,
                id,
                "no record of the source text this translation was checked against, so its \
                 changes cannot be followed",
                format!("once a translator has checked it against the source, run `{confirm}`"),
            )
            .severity(Severity::Warning)
            .at(Location::at(file, 1, 1)),
        ),
        Some(record) => {
            for source in &t.source_sections {
                let Some(ours) = ours.iter().find(|o| o.id == source.id) else {
                    continue;
                };
                let then = record.sections.get(&source.id);
                if then == Some(&source.hash) {
                    continue;
                }
                let what = if then.is_some() {
                    "changed since this translation was confirmed"
                } else {
                    "was added after this translation was confirmed"
                };
                out.push(
                    Finding::new(
                        Code::TranslationOutdated,
                        id,
                        format!(
                            "the source's section `{}` ({}) {what}",
                            source.title,
                            source_place(source)
                        ),
                        format!(
                            "check this section against the source and update it, then run `{confirm}`"
                        ),
                    )
                    .severity(Severity::Warning)
                    .at(at(ours)),
                );
            }
        }
    }
    out
}

/// With `--allow-outdated-translations`: the translation errors become warnings.
pub fn allow_outdated(findings: &mut [Finding]) {
    for f in findings.iter_mut().filter(|f| {
        matches!(
            f.code,
            Code::TranslationOutdated | Code::TranslationMissingSection
        )
    }) {
        if f.severity == Severity::Error {
            f.severity = Severity::Warning;
        }
    }
}
