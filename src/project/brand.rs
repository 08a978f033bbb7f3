//! Brands: a partner's details (a hospital, a trust), approved by the publisher like content,
//! in `brands/<id>/brand.yaml`. A brand's text is data: it reaches the layouts as JSON
//! (`brand` in data.json) and is never run as Typst code. The logo is a file beside
//! brand.yaml; its pixels are checked and re-encoded by `content::logo`.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::confine::{ConfineError, EntryKind, Root};
use crate::diag::{Location, Problem};

/// Folder of brands, below the project root.
pub const BRANDS_DIR: &str = "brands";
/// The brand file in each brand's folder.
pub const BRAND_FILE: &str = "brand.yaml";
/// The largest brand.yaml read (a brand is a few lines).
const MAX_FILE_BYTES: u64 = 64 * 1024;
/// Longest name, department, website or contact line, in characters.
pub const MAX_LINE_CHARS: usize = 120;
/// Most contact lines a brand may have (the block is one panel of a leaflet).
pub const MAX_CONTACT_LINES: usize = 6;

/// `brands/<id>/brand.yaml` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    name: String,
    #[serde(default)]
    department: Option<String>,
    contact: Vec<String>,
    #[serde(default)]
    website: Option<String>,
    #[serde(default)]
    logo: Option<String>,
    approved_by: String,
    approved_on: String,
}

/// An approved partner, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brand {
    /// The folder name under `brands/`.
    pub id: String,
    /// The organisation, e.g. "Example NHS Foundation Trust".
    pub name: String,
    /// The ward, clinic or department, when given.
    pub department: Option<String>,
    /// Contact lines (phone numbers, address), printed one per line.
    pub contact: Vec<String>,
    /// The website, when given (shown without its scheme).
    pub website: Option<String>,
    /// The logo file (PNG or JPEG) in the brand's folder, when given.
    pub logo: Option<PathBuf>,
    /// Who at the publisher approved this partner's details.
    pub approved_by: String,
    /// When they were approved.
    pub approved_on: NaiveDate,
    /// The brand file, for locating problems.
    pub file: PathBuf,
}

/// Every brand under `brands/`, by id (none when the folder does not exist). A brand
/// folder that is a link out of the project is refused, not skipped.
pub fn load_all(root: &Path) -> Result<BTreeMap<String, Brand>, Problem> {
    let mut brands = BTreeMap::new();
    let Ok(confined) = Root::new(root) else {
        return Ok(brands);
    };
    let Ok(entries) = confined.list(Path::new(BRANDS_DIR)) else {
        return Ok(brands);
    };
    for entry in entries {
        if !matches!(entry.kind, EntryKind::Dir | EntryKind::Outside) {
            continue;
        }
        let Some(id) = entry.name.to_str().filter(|n| !n.starts_with('.')) else {
            continue;
        };
        let brand = load(root, id)?;
        brands.insert(id.to_string(), brand);
    }
    Ok(brands)
}

/// Reads and checks `brands/<id>/brand.yaml`, under the confinement rule: a brand folder
/// or brand file that is a link out of the project is refused by name, never read.
pub fn load(root: &Path, id: &str) -> Result<Brand, Problem> {
    let folder = root.join(BRANDS_DIR).join(id);
    let file = folder.join(BRAND_FILE);
    if !super::valid_name(id) {
        return Err(Problem::error(format!("`{id}` is not a valid brand id"))
            .at(Location::file(&folder))
            .hint("name the folder with lowercase letters, digits and hyphens, e.g. north-trust"));
    }
    let confined = Root::new(root).map_err(|e| {
        Problem::error(format!("cannot open the project folder: {e}")).at(Location::file(root))
    })?;
    let rel = Path::new(BRANDS_DIR).join(id);
    confined.dir(&rel).map_err(|e| {
        e.problem(root).hint(match e {
            ConfineError::Outside { .. } => {
                "a brand is approved with the project: copy its folder into brands/ instead of linking to it"
            }
            _ => "each brand is a folder brands/<id>/ with a brand.yaml",
        })
    })?;
    let bytes = confined
        .read(&rel.join(BRAND_FILE), MAX_FILE_BYTES)
        .map_err(|e| match e {
            ConfineError::TooLarge { .. } => Problem::error(format!(
                "the brand file is larger than {MAX_FILE_BYTES} bytes"
            ))
            .at(Location::file(&file))
            .hint("a brand file holds a few lines of details"),
            _ => e.problem(root),
        })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Problem::error("the brand file is not UTF-8 text")
            .at(Location::file(&file))
            .hint("save it as UTF-8 text")
    })?;
    parse(&text, id, &folder, &file)
}

/// Parses and checks a brand file's text (`folder` holds the logo).
pub fn parse(text: &str, id: &str, folder: &Path, file: &Path) -> Result<Brand, Problem> {
    let raw: Raw = serde_yaml::from_str(text).map_err(|err| {
        let (line, column) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
        let message = err.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        Problem::error(format!("brand file: {message}"))
            .at(Location::at(file, line, column))
            .hint("a brand file takes name, department, contact, website, logo, approved-by and approved-on (README \"For hospitals\")")
    })?;
    let at = |key: &str| {
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with(&format!("{key}:")))
            .map_or(1, |i| i + 1);
        Location::at(file, line, 1)
    };
    let fail = |key: &str, message: String, hint: &str| {
        Problem::error(message).at(at(key)).hint(hint.to_string())
    };
    let line = |key: &str, value: &str| -> Result<String, Problem> {
        let value = value.trim();
        if value.is_empty() {
            return Err(fail(
                key,
                format!("`{key}` is empty"),
                "write it, or leave the key out where it is optional",
            ));
        }
        if value.chars().count() > MAX_LINE_CHARS {
            return Err(fail(
                key,
                format!("`{key}` is longer than {MAX_LINE_CHARS} characters"),
                "shorten it: it is printed on one line of a leaflet panel",
            ));
        }
        if value.chars().any(char::is_control) || value.chars().any(crate::diag::text::bidi_control)
        {
            return Err(fail(
                key,
                format!("`{key}` holds a control character"),
                "write plain text on one line",
            ));
        }
        Ok(value.to_string())
    };
    let name = line("name", &raw.name)?;
    let department = raw
        .department
        .as_deref()
        .map(|d| line("department", d))
        .transpose()?;
    if raw.contact.is_empty() || raw.contact.len() > MAX_CONTACT_LINES {
        return Err(fail(
            "contact",
            format!(
                "`contact` has {} line(s); give 1 to {MAX_CONTACT_LINES}",
                raw.contact.len()
            ),
            "list the phone numbers and address a patient needs, one per line",
        ));
    }
    let contact = raw
        .contact
        .iter()
        .map(|c| line("contact", c))
        .collect::<Result<Vec<_>, _>>()?;
    let website = raw
        .website
        .as_deref()
        .map(|w| line("website", w))
        .transpose()?;
    if let Some(site) = &website {
        if site.contains(char::is_whitespace) || !site.contains('.') {
            return Err(fail(
                "website",
                format!("`{site}` is not a web address"),
                "write it as www.example.nhs.uk or https://www.example.nhs.uk",
            ));
        }
    }
    let logo = match raw.logo.as_deref() {
        None => None,
        Some(name) => Some(
            logo_path(name, folder)
                .map_err(|(message, hint)| Problem::error(message).at(at("logo")).hint(hint))?,
        ),
    };
    let approved_by = line("approved-by", &raw.approved_by)?;
    let approved_on =
        NaiveDate::parse_from_str(raw.approved_on.trim(), "%Y-%m-%d").map_err(|_| {
            Problem::error(format!("approved-on `{}` is not a date", raw.approved_on))
                .at(at("approved-on"))
                .hint("write the date the publisher approved these details as YYYY-MM-DD")
        })?;
    Ok(Brand {
        id: id.to_string(),
        name,
        department,
        contact,
        website,
        logo,
        approved_by,
        approved_on,
        file: file.to_path_buf(),
    })
}

/// The logo's path: a PNG or JPEG file in the brand's own folder (no `..`, no absolute
/// path, no link out of the folder).
fn logo_path(name: &str, folder: &Path) -> Result<PathBuf, (String, String)> {
    let rel = Path::new(name);
    let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
    let kind = rel
        .extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase);
    if !plain {
        return Err((
            format!("logo `{name}` is outside the brand's folder"),
            "put the logo file beside brand.yaml and give its file name".into(),
        ));
    }
    if !matches!(kind.as_deref(), Some("png" | "jpg" | "jpeg")) {
        return Err((
            format!("logo `{name}` is not a PNG or JPEG file"),
            "save the logo as PNG (or JPEG), at 300 dpi or more at its printed size".into(),
        ));
    }
    let path = folder.join(rel);
    let inside = match (path.canonicalize(), folder.canonicalize()) {
        (Ok(real), Ok(folder)) => real.starts_with(folder) && real.is_file(),
        _ => {
            return Err((
                format!("logo `{name}` not found"),
                format!("add the file at {}", path.display()),
            ))
        }
    };
    if !inside {
        return Err((
            format!("logo `{name}` is outside the brand's folder (through a link)"),
            "copy the logo into the brand's folder instead of linking to it".into(),
        ));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Brand, Problem> {
        let dir = tempfile::tempdir().unwrap();
        parse(text, "north", dir.path(), &dir.path().join(BRAND_FILE))
    }

    const GOOD: &str = "name: North Example Hospital\ncontact:\n  - \"Ward 5: 01234 567890\"\napproved-by: Jo Editor\napproved-on: 2026-01-05\n";

    #[test]
    fn a_minimal_brand_parses() {
        let brand = parse_text(GOOD).unwrap();
        assert_eq!(brand.name, "North Example Hospital");
        assert_eq!(brand.contact, ["Ward 5: 01234 567890"]);
        assert_eq!(brand.department, None);
    }

    #[test]
    fn an_unknown_key_is_an_error_at_its_line() {
        let err = parse_text(&format!("{GOOD}colour: red\n")).unwrap_err();
        assert!(
            err.message.contains("unknown field `colour`"),
            "{}",
            err.message
        );
        assert_eq!(err.location.unwrap().line, Some(6));
    }

    #[test]
    fn a_bad_date_is_an_error_at_its_line() {
        let err = parse_text(&GOOD.replace("2026-01-05", "5 Jan")).unwrap_err();
        assert!(err.message.contains("not a date"), "{}", err.message);
        assert_eq!(err.location.unwrap().line, Some(5));
    }

    #[test]
    fn a_logo_outside_the_folder_is_refused() {
        let err = parse_text(&format!("{GOOD}logo: ../x.png\n")).unwrap_err();
        assert!(
            err.message.contains("outside the brand's folder"),
            "{}",
            err.message
        );
    }

    #[test]
    fn too_many_contact_lines_are_refused() {
        let lines: String = (0..7).map(|i| format!("  - line {i}\n")).collect();
        let text = GOOD.replace("  - \"Ward 5: 01234 567890\"\n", &lines);
        let err = parse_text(&text).unwrap_err();
        assert!(err.message.contains("7 line(s)"), "{}", err.message);
    }
}
