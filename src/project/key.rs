//! A publication's key: its folder name (`all-treatment`) and, for a translation, the
//! language of its file (`all-treatment.cy`, from `content/all-treatment/all-treatment.cy.md`).
//!
//! Parsed once, where the command line and `content/` are read; everything after works on
//! the typed key and never splits `"id.lang"` strings again.

use std::fmt;

/// One publication or one translation of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PublicationKey {
    /// The publication's folder under `content/`.
    pub id: String,
    /// The translation's language as in its file name (`cy`, `pt-BR`); `None` for the source.
    pub lang: Option<String>,
}

impl PublicationKey {
    /// The source publication `id`.
    pub fn source(id: impl Into<String>) -> PublicationKey {
        PublicationKey {
            id: id.into(),
            lang: None,
        }
    }

    /// The translation of `id` into `lang`.
    pub fn translation(id: impl Into<String>, lang: impl Into<String>) -> PublicationKey {
        PublicationKey {
            id: id.into(),
            lang: Some(lang.into()),
        }
    }

    /// Reads a key as the command line and messages write it: `id`, or `id.lang` when the
    /// part after the last dot is a language tag (`all-treatment.cy`, `x.pt-BR`).
    pub fn parse(text: &str) -> PublicationKey {
        match text.rsplit_once('.') {
            Some((id, lang)) if !id.is_empty() && is_language_tag(lang) => {
                PublicationKey::translation(id, lang)
            }
            _ => PublicationKey::source(text),
        }
    }

    /// The stem of every file name of this publication: `all-treatment`, or
    /// `all-treatment-cy` for a translation, so that files saved side by side from
    /// different languages keep apart.
    pub fn file_stem(&self) -> String {
        match &self.lang {
            Some(lang) => format!("{}-{lang}", self.id),
            None => self.id.clone(),
        }
    }

    /// The output folder from the output root: `all-treatment`, or `all-treatment/cy`.
    pub fn folder(&self) -> String {
        match &self.lang {
            Some(lang) => format!("{}/{lang}", self.id),
            None => self.id.clone(),
        }
    }
}

impl fmt::Display for PublicationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.lang {
            Some(lang) => write!(f, "{}.{lang}", self.id),
            None => f.write_str(&self.id),
        }
    }
}

/// A BCP 47 language with an optional region, as translation files are named: two or three
/// letters, then optionally `-` or `_` and two letters (`cy`, `pt-BR`).
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split(['-', '_']);
    let lang_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphabetic()));
    let region_ok = match parts.next() {
        None => true,
        Some(r) => r.len() == 2 && r.chars().all(|c| c.is_ascii_alphabetic()),
    };
    lang_ok && region_ok && parts.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_with_a_language_is_a_translation() {
        let key = PublicationKey::parse("all-treatment.cy");
        assert_eq!(key, PublicationKey::translation("all-treatment", "cy"));
        assert_eq!(key.to_string(), "all-treatment.cy");
        assert_eq!(key.folder(), "all-treatment/cy");
        assert_eq!(key.file_stem(), "all-treatment-cy");
    }

    #[test]
    fn a_key_without_a_language_is_the_source() {
        for text in ["all-treatment", "v1.2", "x.notalanguage", ".cy"] {
            let key = PublicationKey::parse(text);
            assert_eq!(key.lang, None, "{text}");
            assert_eq!(key.to_string(), text);
        }
        assert_eq!(
            PublicationKey::parse("x.pt-BR").lang.as_deref(),
            Some("pt-BR")
        );
    }
}
