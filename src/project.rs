//! The project file `folio.yaml`: the publisher and the editions.
//!
//! Editions are data: a layout file plus options. Adding an edition is a layout and a few
//! lines here, with no change to folio's code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Location, Problem};

/// The name of the project file at the project root.
pub const PROJECT_FILE: &str = "folio.yaml";

/// `folio.yaml` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Project {
    pub publisher: Publisher,
    /// Editions by name, in the order they are built (alphabetical).
    pub editions: BTreeMap<String, Edition>,
    /// Settings for `folio check` (reading age, review warning, terms to explain).
    #[serde(default)]
    pub checks: crate::check::Settings,
}

/// Who publishes: printed on covers, back pages and "find out more" panels.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Publisher {
    pub name: String,
    /// Contact lines (address, phone, email), printed one per line.
    #[serde(default)]
    pub contact: Vec<String>,
    #[serde(default)]
    pub website: String,
}

/// One output form of every publication.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Edition {
    /// Layout file, from the project root, e.g. `layouts/booklet/booklet.typ`. It exports
    /// one function named like the file (without `.typ`).
    pub layout: PathBuf,
    /// Classes content can be marked with (`{.leaflet}`), besides the edition's own name.
    #[serde(default)]
    pub classes: Vec<String>,
    /// What the PDF is for: `screen` (tagged, PDF/UA-1 + PDF/A-2a) or `press`.
    #[serde(default)]
    pub pdf: PdfProfile,
    /// The page count must be a multiple of this (booklets: 4). Default: any.
    #[serde(default)]
    pub page_multiple: Option<usize>,
    /// The edition must fit on exactly this many pages (leaflets: 2). Default: any.
    #[serde(default)]
    pub pages: Option<usize>,
    /// Passed to the layout untouched as `edition.options`.
    #[serde(default)]
    pub options: BTreeMap<String, serde_yaml::Value>,
    /// Print production details (binding, paper) for the preflight and the job sheet.
    #[serde(default)]
    pub print: Option<crate::print::config::PrintSettings>,
    /// Make this edition by imposing another edition's pages on sheets (README "Print").
    #[serde(default)]
    pub impose: Option<crate::print::config::Impose>,
}

/// The PDF standards an edition is exported with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PdfProfile {
    /// Tagged, PDF/UA-1 and PDF/A-2a: for reading on screen and downloading.
    #[default]
    Screen,
    /// Untagged, no standard (allows CMYK and placed PDF pages): for printers.
    Press,
}

impl Project {
    /// Reads and validates `folio.yaml` in `root`.
    pub fn load(root: &Path) -> Result<Project, Problem> {
        let file = root.join(PROJECT_FILE);
        let text = std::fs::read_to_string(&file).map_err(|e| {
            Problem::error(format!("cannot read the project file: {e}"))
                .at(Location::file(&file))
                .hint("run folio in the project folder (the one with folio.yaml), or pass --root")
        })?;
        let project: Project = serde_yaml::from_str(&text).map_err(|err| {
            let (line, column) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
            let message = err.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            Problem::error(format!("project file: {message}"))
                .at(Location::at(&file, line, column))
                .hint("see README \"The project file\" for the keys folio.yaml takes")
        })?;
        project.validate(root, &file)?;
        Ok(project)
    }

    fn validate(&self, root: &Path, file: &Path) -> Result<(), Problem> {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let line_of = |needle: &str| {
            text.lines()
                .position(|l| l.trim_start().starts_with(needle))
                .map_or(1, |i| i + 1)
        };
        if self.editions.is_empty() {
            return Err(Problem::error("the project defines no editions")
                .at(Location::at(file, line_of("editions:"), 1))
                .hint("add at least one edition with a layout"));
        }
        for (name, edition) in &self.editions {
            let at = Location::at(file, line_of(&format!("{name}:")), 1);
            if !valid_name(name) {
                return Err(
                    Problem::error(format!("`{name}` is not a valid edition name"))
                        .at(at)
                        .hint("use lowercase letters, digits and hyphens, e.g. leaflet-a5"),
                );
            }
            let layout = root.join(&edition.layout);
            if edition.layout.is_absolute() || !layout.is_file() {
                return Err(Problem::error(format!(
                    "edition `{name}`: layout `{}` not found",
                    edition.layout.display()
                ))
                .at(at)
                .hint("give the layout's path from the project root, e.g. layouts/booklet/booklet.typ"));
            }
            if let Some(class) = edition.classes.iter().find(|c| !valid_name(c)) {
                return Err(Problem::error(format!(
                    "edition `{name}`: `{class}` is not a valid class name"
                ))
                .at(at)
                .hint("use lowercase letters, digits and hyphens"));
            }
            if edition.page_multiple == Some(0) || edition.pages == Some(0) {
                return Err(Problem::error(format!(
                    "edition `{name}`: page counts must be at least 1"
                ))
                .at(at));
            }
        }
        crate::print::config::validate(self).map_err(|(name, problem)| {
            problem.at(Location::at(file, line_of(&format!("{name}:")), 1))
        })
    }

    /// Every edition name and class: what content marks may name.
    pub fn names(&self) -> BTreeSet<String> {
        self.editions
            .iter()
            .flat_map(|(name, e)| std::iter::once(name.clone()).chain(e.classes.iter().cloned()))
            .collect()
    }
}

impl Edition {
    /// The function the layout exports: its file name without `.typ`.
    pub fn function(&self) -> String {
        self.layout
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The edition's options as JSON for the layout.
    pub fn options_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.options).unwrap_or(serde_json::Value::Null)
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with("not-")
}
