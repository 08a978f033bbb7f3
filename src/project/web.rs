//! The `web:` section of `folio.yaml`: the web edition and the static catalogue that
//! `folio build` writes beside the PDFs (see README "For hospitals").
//!
//! The web edition is called `web`: content may be marked `{.web}` / `{.not-web}` (or
//! `<!-- only: web -->`) like any edition, so `web` is a name no edition may take.

use std::path::PathBuf;

use serde::Deserialize;

/// The name of the web edition, always known to edition marks.
pub const WEB: &str = "web";

/// Settings of the web edition and the catalogue, with documented defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Web {
    /// Classes the web edition takes besides its name `web`, e.g. `[booklet]` to show
    /// booklet-only sections on the web page too. Default: none.
    pub classes: Vec<String>,
    /// The edition whose first page is the cover thumbnail. Default: the first edition
    /// (by name) with a screen PDF that was made, else the first made.
    pub cover: Option<String>,
    /// How to ask for another format (braille, audio, another language): one paragraph
    /// each, under "Other formats" on every web page. Default: a sentence naming the
    /// publisher's contact lines.
    pub other_formats: Vec<String>,
    /// The folder of the site templates, stylesheet and script, from the project root.
    /// Default `layouts/site`.
    pub templates: PathBuf,
    /// The language of the catalogue's own words (BCP 47). Default `en-GB`.
    pub language: String,
}

impl Default for Web {
    fn default() -> Self {
        Web {
            classes: Vec::new(),
            cover: None,
            other_formats: Vec::new(),
            templates: PathBuf::from("layouts/site"),
            language: "en-GB".to_string(),
        }
    }
}
