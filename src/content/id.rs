//! The one rule for publication ids (the folder names under `content/`), checked wherever
//! an id is read: the folder when a publication is loaded, the command line.
//!
//! An id names an output folder (`dist/<id>/`), its files (`<id>-<edition>.pdf`) and a
//! part of every web address of the publication, so it is kept to what is safe in all of
//! them: lowercase ASCII letters, digits and hyphens, starting with a letter or digit, at
//! most [`MAX_ID_CHARS`] characters. A dot is refused, so an id never looks like a
//! translation key (`zz.cy`) nor like a file of the site (`index.html`, `catalogue.json`,
//! `feed.xml`, `brand-<id>.html`, `site.css`).

/// The longest id: room for a descriptive name, far from file-name limits once the edition
/// name and `.pdf` are added.
pub const MAX_ID_CHARS: usize = 64;

/// Why `id` is not a publication id, or `Ok`.
pub fn check(id: &str) -> Result<(), String> {
    let length = id.chars().count();
    if id.is_empty() {
        return Err("it is empty".into());
    }
    if length > MAX_ID_CHARS {
        return Err(format!(
            "it is {length} characters long; the limit is {MAX_ID_CHARS}"
        ));
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        let shown = match c {
            '.' => "a dot (`.`)".to_string(),
            c if c.is_control() => format!("the control character U+{:04X}", c as u32),
            c => format!("`{c}`"),
        };
        return Err(format!(
            "it holds {shown}: ids are lowercase letters, digits and hyphens"
        ));
    }
    if id.starts_with('-') {
        return Err("it starts with a hyphen".into());
    }
    Ok(())
}

/// The hint that goes with every refused id.
pub const HINT: &str = "rename the folder under content/ with lowercase letters, digits and \
                        hyphens, e.g. `blood-tests` (a translation is a file \
                        `<id>.<language>.md` in its source's folder, not a folder)";

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn ids_are_lowercase_letters_digits_and_hyphens() {
        assert!(check("all-treatment").is_ok());
        assert!(check("leaflet-01").is_ok());
        for bad in [
            "",
            "-dash",
            "zz.cy",
            "index.html",
            "Caps",
            "a/b",
            "../x",
            "a\u{1b}[2J",
            "ünï",
        ] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
        assert!(check(&"a".repeat(64)).is_ok());
        assert!(check(&"a".repeat(65)).is_err());
    }
}
