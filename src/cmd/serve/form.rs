//! The personalisation form's fields and their rules: a length limit each, printable
//! characters only, a phone number of digits, spaces, `+`, `(` and `)`. What passes reaches
//! the layouts as JSON text (never as Typst code); nothing is stored or logged.

use crate::contract::Personal;

/// One field of the form.
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    /// Most characters.
    pub max: usize,
    pub multiline: bool,
}

/// The fields, in the form's order. The limits are what the smallest block holds: the
/// A5 leaflet's, where the patient's contact has half the width of the page beside the
/// partner's details (the shipped leaflet and example partner fit with every field at its
/// limit; tests/it/serve.rs checks it). Details that still do not fit a fuller leaflet, or
/// beside a partner with fewer lines, are refused with 422.
pub const FIELDS: [Field; 5] = [
    Field {
        name: "contact-name",
        label: "Name",
        hint: "Who the patient should contact, e.g. Sam Taylor",
        max: 40,
        multiline: false,
    },
    Field {
        name: "role",
        label: "Role",
        hint: "e.g. Clinical nurse specialist",
        max: 40,
        multiline: false,
    },
    Field {
        name: "phone",
        label: "Phone",
        hint: "Digits, spaces, + and brackets only, e.g. 01632 960 123",
        max: 20,
        multiline: false,
    },
    Field {
        name: "hours",
        label: "Hours",
        hint: "When to ring, e.g. Monday to Friday, 9am to 5pm",
        max: 40,
        multiline: false,
    },
    Field {
        name: "note",
        label: "Note",
        hint: "A short note for the patient (at most 100 characters)",
        max: 100,
        multiline: true,
    },
];

/// The submitted values (in [`FIELDS`] order) and the problem with each, if any.
pub struct CheckedForm {
    pub values: Vec<String>,
    pub problems: Vec<Option<String>>,
}

impl CheckedForm {
    /// Checks form-encoded pairs. Unknown fields are ignored; a field given twice keeps the last.
    pub fn new(pairs: &[(String, String)]) -> CheckedForm {
        let values: Vec<String> = FIELDS
            .iter()
            .map(|f| {
                pairs
                    .iter()
                    .rev()
                    .find(|(k, _)| k == f.name)
                    .map(|(_, v)| v.trim().to_string())
                    .unwrap_or_default()
            })
            .collect();
        let problems = FIELDS
            .iter()
            .zip(&values)
            .map(|(f, v)| problem(f, v))
            .collect();
        CheckedForm { values, problems }
    }

    /// Refuses, beside its field, a value with a character that no font can draw (`draws`
    /// says which can): an emoji or a CJK name is a reason to show, not a failed compile.
    pub fn refuse_undrawable(&mut self, mut draws: impl FnMut(char) -> bool) {
        for ((field, value), problem) in FIELDS.iter().zip(&self.values).zip(&mut self.problems) {
            if problem.is_some() {
                continue;
            }
            let missing: Vec<char> = value.chars().filter(|c| !draws(*c)).collect();
            if let Some(first) = missing.first() {
                let more = missing.iter().filter(|c| *c != first).count();
                *problem = Some(format!(
                    "{} has {} that the leaflet's fonts cannot print ({first}{}); write it in letters they have, such as the Latin alphabet",
                    field.label,
                    if more == 0 { "a character" } else { "characters" },
                    if more == 0 { String::new() } else { format!(" and {more} more") },
                ));
            }
        }
    }

    /// Whether every field passed and at least one was filled in.
    pub fn ok(&self) -> bool {
        self.problems.iter().all(Option::is_none) && self.values.iter().any(|v| !v.is_empty())
    }

    /// The problems as `(field, message)` pairs, for a JSON answer.
    pub fn errors(&self) -> Vec<(&'static str, String)> {
        FIELDS
            .iter()
            .zip(&self.problems)
            .filter_map(|(f, p)| p.clone().map(|p| (f.name, p)))
            .collect()
    }

    /// The values as the layouts get them.
    pub fn personal(&self) -> Personal {
        let v = &self.values;
        Personal {
            contact_name: v[0].clone(),
            role: v[1].clone(),
            phone: v[2].clone(),
            hours: v[3].clone(),
            note: v[4].clone(),
        }
    }
}

fn problem(field: &Field, value: &str) -> Option<String> {
    let count = value.chars().count();
    if count > field.max {
        return Some(format!(
            "{} is {count} characters long; it can be at most {}",
            field.label, field.max
        ));
    }
    if value.chars().any(|c| c.is_control() || is_invisible(c)) {
        return Some(format!(
            "{} has a character that cannot be printed (such as a line break or a tab); use plain text on one line",
            field.label
        ));
    }
    if field.name == "phone"
        && !value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')'))
    {
        return Some("Phone can only have digits, spaces, + and brackets".into());
    }
    None
}

/// Format characters that print as nothing (zero-width spaces and joiners, direction marks).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pairs: &[(&str, &str)]) -> CheckedForm {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        CheckedForm::new(&pairs)
    }

    #[test]
    fn typst_looking_text_is_accepted_as_text() {
        let c = check(&[
            ("note", "#read(\"/etc/passwd\") ] $x$"),
            ("phone", "+44 (0)1632 960 123"),
        ]);
        assert!(c.ok(), "{:?}", c.errors());
        assert_eq!(c.personal().note, "#read(\"/etc/passwd\") ] $x$");
    }

    #[test]
    fn long_text_letters_in_a_phone_number_and_control_characters_are_refused() {
        let c = check(&[
            ("note", &"a".repeat(101)),
            ("phone", "call 999"),
            ("role", "a\u{7}b"),
        ]);
        let fields: Vec<&str> = c.errors().iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["role", "phone", "note"]);
        assert!(!c.ok());
    }

    #[test]
    fn a_character_no_font_draws_is_refused_beside_its_field() {
        let mut c = check(&[("contact-name", "Sam 😀"), ("role", "Nurse")]);
        c.refuse_undrawable(|ch| ch.is_ascii());
        let errors = c.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, "contact-name");
        assert!(errors[0].1.contains("cannot print (😀)"), "{}", errors[0].1);
        assert!(!c.ok());
    }

    #[test]
    fn an_empty_form_is_not_ok() {
        assert!(!check(&[]).ok());
    }
}
