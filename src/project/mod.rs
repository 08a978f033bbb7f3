//! The project file `folio.yaml`: the publisher, the editions and the check settings.
//!
//! This module is a leaf: it imports nothing of folio but [`crate::diag`] and the file
//! confinement rule [`crate::confine`]. Editions are data
//! (a layout file plus settings); adding one is a layout and a few lines of folio.yaml, with
//! no change to folio's code. Feature modules read their settings from here.

pub mod brand;
pub mod checks;
pub mod dist;
pub mod edition;
pub mod icc;
pub mod key;
pub mod print;
pub mod web;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use crate::diag::{Location, Problem};

pub use edition::{Arrangement, Bilingual, Edition, PdfProfile};
pub use key::PublicationKey;

/// The name of the project file at the project root.
pub const PROJECT_FILE: &str = "folio.yaml";
/// Folder of publications, below the project root.
pub const CONTENT_DIR: &str = "content";
/// Folder of fonts, below the project root.
pub const FONTS_DIR: &str = "fonts";
/// Folder of layouts, below the project root.
pub const LAYOUTS_DIR: &str = "layouts";

/// `folio.yaml` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Project {
    pub publisher: Publisher,
    /// Editions by name, in the order they are built (alphabetical).
    pub editions: BTreeMap<String, Edition>,
    /// Settings for `folio check` (reading age, review warning, terms to explain).
    #[serde(default)]
    pub checks: checks::Settings,
    /// The web edition and the static catalogue (`web:`; every key optional).
    #[serde(default)]
    pub web: web::Web,
    /// Settings for every press edition (`print:`; the output intent). See docs/print.md.
    #[serde(default)]
    pub print: print::ProjectPrint,
    /// Whether text must be approved (`folio approve`) before it is built: `optional`
    /// (default: changes since the last approval are a warning) or `required` (an error).
    #[serde(default)]
    pub approval: ApprovalPolicy,
}

/// `approval:` in folio.yaml (README "Reviewing changes").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApprovalPolicy {
    /// Unapproved changes are a warning.
    #[default]
    Optional,
    /// Unapproved text is an error: `folio build` refuses it (`--allow-unapproved`: a draft).
    Required,
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

impl Project {
    /// Reads and validates `folio.yaml` in `root`.
    pub fn load(root: &Path) -> Result<Project, Problem> {
        let file = root.join(PROJECT_FILE);
        if std::fs::symlink_metadata(&file).is_err() {
            return Err(Problem::error("there is no project file (folio.yaml) here")
                .at(Location::file(&file))
                .hint(
                    "run folio in the project folder (the one with folio.yaml), or pass --root",
                ));
        }
        // Read under the confinement rule: a link out of the project or a special file is
        // refused by name, never read or echoed.
        let bytes = crate::confine::read_project_file(root, Path::new(PROJECT_FILE))
            .map_err(|e| e.problem(root))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Problem::error("the project file is not UTF-8 text")
                .at(Location::file(&file))
                .hint("save folio.yaml as UTF-8")
        })?;
        // YAML escapes turn plain text into control characters: refused in every string,
        // located at its key, as in front matter and brand.yaml.
        if let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&text) {
            if let Some((path, c)) = crate::diag::text::refused_in_yaml(&value) {
                return Err(Problem::error(format!(
                    "project file: `{}` holds {}",
                    path.join("."),
                    crate::diag::text::describe(c)
                ))
                .at(Location::at(&file, crate::diag::text::key_line(&text, &path), 1))
                .hint("delete it (a YAML escape such as `\\e` in quotes makes one): it is invisible and means nothing in print"));
            }
        }
        let mut project: Project = serde_yaml::from_str(&text).map_err(|err| {
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
        project.print.resolve(root, &file, &text)?;
        Ok(project)
    }

    /// Where edition `name` is defined in `folio.yaml`, for messages about its settings.
    pub fn edition_location(root: &Path, name: &str) -> Location {
        let file = root.join(PROJECT_FILE);
        let text = crate::confine::read_project_file(root, Path::new(PROJECT_FILE))
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with(&format!("{name}:")))
            .map_or(1, |i| i + 1);
        Location::at(&file, line, 1)
    }

    fn validate(&self, root: &Path, file: &Path) -> Result<(), Problem> {
        let text = crate::confine::read_project_file(root, Path::new(PROJECT_FILE))
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
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
            if let Some(layout_file) = &edition.layout {
                let layout = root.join(layout_file);
                let inside = layout_file
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)))
                    && (!layout.exists()
                        || layout
                            .canonicalize()
                            .is_ok_and(|real| real.starts_with(root)));
                if !inside {
                    return Err(Problem::error(format!(
                        "edition `{name}`: layout `{}` is outside the project",
                        layout_file.display()
                    ))
                    .at(at)
                    .hint("layouts live in the project, e.g. layouts/booklet/booklet.typ; `..`, absolute paths and links out are refused"));
                }
                if !layout.is_file() {
                    return Err(Problem::error(format!(
                        "edition `{name}`: layout `{}` not found",
                        layout_file.display()
                    ))
                    .at(at)
                    .hint("give the layout's path from the project root, e.g. layouts/booklet/booklet.typ"));
                }
            }
            if let Some(class) = edition.classes.iter().find(|c| !valid_name(c)) {
                return Err(Problem::error(format!(
                    "edition `{name}`: `{class}` is not a valid class name"
                ))
                .at(at)
                .hint("use lowercase letters, digits and hyphens"));
            }
            if let Some(problem) = edition
                .invalid()
                .or_else(|| edition.invalid_trim(name, &self.editions))
            {
                return Err(problem.at(at));
            }
            if edition.page_multiple == Some(0) || edition.pages == Some(0) {
                return Err(Problem::error(format!(
                    "edition `{name}`: page counts must be at least 1"
                ))
                .at(at));
            }
        }
        print::validate(self).map_err(|(name, problem)| {
            problem.at(Location::at(file, line_of(&format!("{name}:")), 1))
        })?;
        self.validate_web()
            .map_err(|problem| problem.at(Location::at(file, line_of("web:"), 1)))
    }

    /// `web` is the web edition's name; its classes, cover and templates must make sense.
    fn validate_web(&self) -> Result<(), Problem> {
        let web = &self.web;
        if self.editions.contains_key(web::WEB) {
            return Err(Problem::error("`web` is the name of the web edition")
                .hint("give the PDF edition another name, e.g. `screen`"));
        }
        if let Some(class) = web.classes.iter().find(|c| !valid_name(c)) {
            return Err(
                Problem::error(format!("web: `{class}` is not a valid class name"))
                    .hint("use lowercase letters, digits and hyphens"),
            );
        }
        if let Some(cover) = web
            .cover
            .as_ref()
            .filter(|c| !self.editions.contains_key(*c))
        {
            return Err(
                Problem::error(format!("web: cover: no edition is called `{cover}`")).hint(
                    format!(
                        "name one of: {}",
                        self.editions.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                ),
            );
        }
        let inside = web
            .templates
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside {
            return Err(Problem::error(format!(
                "web: templates: `{}` is outside the project",
                web.templates.display()
            ))
            .hint("give a folder inside the project, e.g. layouts/site"));
        }
        Ok(())
    }

    /// Every edition name and class: what content marks may name.
    pub fn names(&self) -> BTreeSet<String> {
        self.editions
            .iter()
            .flat_map(|(name, e)| std::iter::once(name.clone()).chain(e.classes.iter().cloned()))
            .chain(std::iter::once(web::WEB.to_string()))
            .chain(self.web.classes.iter().cloned())
            .collect()
    }
}

/// Refuses an output folder that is the project, holds it, or lies inside one of its
/// source folders (`--out .`, `--out content`, `--out layouts/site`): a build replaces
/// files in its output folder, and must never replace the sources it is made from.
pub fn refuse_output_in_sources(root: &Path, out: &Path) -> Result<(), Problem> {
    let real = |p: &Path| -> std::path::PathBuf {
        let absolute = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        for ancestor in absolute.ancestors() {
            if let Ok(real) = ancestor.canonicalize() {
                return real.join(absolute.strip_prefix(ancestor).unwrap_or(Path::new("")));
            }
        }
        absolute
    };
    let (root_real, out_real) = (real(root), real(out));
    let sources = [CONTENT_DIR, LAYOUTS_DIR, FONTS_DIR, brand::BRANDS_DIR];
    let inside = sources
        .iter()
        .find(|s| out_real.starts_with(root_real.join(s)));
    if root_real.starts_with(&out_real) || inside.is_some() {
        let what = match inside {
            Some(s) => format!("it is inside the source folder `{s}/`"),
            None => "it is the project folder, or holds it".to_string(),
        };
        return Err(Problem::error(format!(
            "`{}` cannot be the output folder: {what}",
            crate::diag::display_path(out)
        ))
        .at(Location::file(out))
        .hint("write the output to a folder of its own, e.g. --out dist (the default)"));
    }
    Ok(())
}

pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with("not-")
}
