//! Translations are never silently stale: `translation-outdated` when the source has a newer
//! version than the one the translation was made from (an error), or when a source section
//! changed since the translation was last confirmed (a warning, as po4a and Weblate mark
//! changed strings "fuzzy"); `translation-missing-section` when a source section has no
//! counterpart in the translation, or a translated section matches no source section.
//!
//! Sections are matched by heading id (see `content::translation`).

use super::{Code, Finding};
use crate::content::translation::{sections, Confirmation, Section, Translation, INTRO};
use crate::content::Publication;
use crate::diag::{Location, Severity};

/// The translation findings of `publication` (nothing for a source), given its confirmation
/// record (`None`: never confirmed).
pub fn check(publication: &Publication, record: Option<&Confirmation>) -> Vec<Finding> {
    let Some(t) = &publication.translation else {
        return Vec::new();
    };
    let checking = Checking {
        publication,
        translation: t,
        ours: sections(&publication.body),
        confirm: format!("folio translation confirm {} {}", t.source_id, t.lang),
    };
    let mut out = Vec::new();
    out.extend(checking.outdated_version());
    out.extend(checking.missing_sections());
    out.extend(checking.unmatched_sections(record));
    out.extend(checking.unconfirmed_changes(record));
    out
}

/// A translation being checked against its source.
struct Checking<'a> {
    publication: &'a Publication,
    translation: &'a Translation,
    /// The translation's own sections.
    ours: Vec<Section>,
    /// The command that records the translation as checked against the source.
    confirm: String,
}

impl Checking<'_> {
    /// The translation's id, as findings name it.
    fn id(&self) -> &str {
        self.publication.id.as_str()
    }

    /// Where a section of the translation starts.
    fn at(&self, s: &Section) -> Location {
        Location::at(&self.publication.file, s.pos.line, s.pos.column)
    }

    /// Where a section of the source starts, as `file:line` for a message.
    fn source_place(&self, s: &Section) -> String {
        format!(
            "{}:{}",
            crate::diag::display_path(&self.translation.source_file),
            s.pos.line
        )
    }

    /// An error when the source has a newer version than the one translated.
    fn outdated_version(&self) -> Option<Finding> {
        let t = self.translation;
        if !t.version_behind() {
            return None;
        }
        let confirm = &self.confirm;
        Some(
            Finding::new(
                Code::TranslationOutdated,
                self.id(),
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
            .at(self.publication.meta.key_location(&self.publication.file, "translation-of")),
        )
    }

    /// An error for each source section the translation does not have.
    fn missing_sections(&self) -> Vec<Finding> {
        let file = &self.publication.file;
        let sources = &self.translation.source_sections;
        let mut out = Vec::new();
        for (k, source) in sources.iter().enumerate() {
            if self.ours.iter().any(|s| s.id == source.id) {
                continue;
            }
            // Point at the translated section that should follow it, or the top of the file.
            let next = sources[k + 1..]
                .iter()
                .find_map(|s| self.ours.iter().find(|o| o.id == s.id));
            let place = next.map_or(Location::at(file, 1, 1), |s| self.at(s));
            let what = if source.id == INTRO {
                "the text before its first heading".to_string()
            } else {
                format!("`{}` (#{})", source.title, source.id)
            };
            out.push(
                Finding::new(
                    Code::TranslationMissingSection,
                    self.id(),
                    format!(
                        "the source's section {what} ({}) is not in this translation",
                        self.source_place(source)
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
        out
    }

    /// A finding for each translated section that matches no source section: outdated when
    /// the confirmed source had it (the source removed it), else an unmatched id.
    fn unmatched_sections(&self, record: Option<&Confirmation>) -> Vec<Finding> {
        let source_has = |section_id: &str| {
            self.translation
                .source_sections
                .iter()
                .any(|s| s.id == section_id)
        };
        let mut out = Vec::new();
        for section in self.ours.iter().filter(|s| !source_has(&s.id)) {
            let removed = record.is_some_and(|r| r.sections.contains_key(&section.id));
            let finding = if removed {
                Finding::new(
                    Code::TranslationOutdated,
                    self.id(),
                    format!(
                        "the source no longer has the section this one translates (#{})",
                        section.id
                    ),
                    format!("remove it, as the source did, then run `{}`", self.confirm),
                )
            } else {
                Finding::new(
                    Code::TranslationMissingSection,
                    self.id(),
                    format!(
                        "the section `{}` matches no section of the source (its id is `{}`)",
                        section.title, section.id
                    ),
                    "give the heading the id of the source heading it translates, e.g. `{#before}`; \
                     `folio check` on the source lists their ids in its sections"
                        .to_string(),
                )
            };
            out.push(finding.at(self.at(section)));
        }
        out
    }

    /// Warnings for changes the translation has not been confirmed against: one when there
    /// is no record at all, else one for each translated section whose source section
    /// changed, or was added, since the record.
    fn unconfirmed_changes(&self, record: Option<&Confirmation>) -> Vec<Finding> {
        let confirm = &self.confirm;
        let Some(record) = record else {
            return vec![Finding::new(
                Code::TranslationOutdated,
                self.id(),
                "no record of the source text this translation was checked against, so its \
                 changes cannot be followed",
                format!("once a translator has checked it against the source, run `{confirm}`"),
            )
            .severity(Severity::Warning)
            .at(Location::at(&self.publication.file, 1, 1))];
        };
        let mut out = Vec::new();
        for source in &self.translation.source_sections {
            let Some(ours) = self.ours.iter().find(|o| o.id == source.id) else {
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
                    self.id(),
                    format!(
                        "the source's section `{}` ({}) {what}",
                        source.title,
                        self.source_place(source)
                    ),
                    format!(
                        "check this section against the source and update it, then run `{confirm}`"
                    ),
                )
                .severity(Severity::Warning)
                .at(self.at(ours)),
            );
        }
        out
    }
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
