//! The server's HTML: the token login form, the personalisation form, error pages and the
//! index of publications, from minijinja templates built into the binary
//! (`templates/*.html`, one base layout) with the catalogue's auto-escaping: every value is
//! escaped. No script; one stylesheet from the server (so the Content-Security-Policy can
//! forbid inline code).

use minijinja::Environment;
use serde::Serialize;
use serde_json::{json, Value};

use super::form::{Field, FIELDS};

/// The stylesheet, served at [`STYLE_PATH`].
pub const STYLE: &str = "\
html{font-family:system-ui,sans-serif;font-size:112.5%;line-height:1.5;color:#1c2326;background:#fff}\
body{margin:0}main{max-width:40rem;margin:0 auto;padding:1rem 1.25rem 3rem}\
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}\
h1{color:#0a5866;line-height:1.2}label{display:block;font-weight:700;margin-top:1.25rem}\
.hint{display:block;color:#4d5a5f;font-weight:400}\
input,textarea{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:2px solid #4d5a5f;border-radius:4px;margin-top:.25rem}\
textarea{min-height:6rem}input:focus,textarea:focus,button:focus,a:focus{outline:3px solid #a05a00;outline-offset:2px}\
button{font:inherit;font-weight:700;margin-top:1.5rem;padding:.6rem 1.4rem;background:#0a5866;color:#fff;border:0;border-radius:4px;cursor:pointer}\
.error{color:#a01f1f;font-weight:700;display:block}[aria-invalid=true]{border-color:#a01f1f}\
.summary{border:3px solid #a01f1f;padding:.5rem 1rem;margin:1rem 0}a{color:#0a5866}\
";
/// Where [`STYLE`] is served.
pub const STYLE_PATH: &str = "/_folio/style.css";

/// The templates, by name.
const TEMPLATES: [(&str, &str); 6] = [
    ("base.html", include_str!("templates/base.html")),
    ("error.html", include_str!("templates/error.html")),
    ("login.html", include_str!("templates/login.html")),
    (
        "personalise.html",
        include_str!("templates/personalise.html"),
    ),
    ("index.html", include_str!("templates/index.html")),
    ("partner.html", include_str!("templates/partner.html")),
];

/// The server's page templates, ready to render (made once when the server starts).
pub struct Pages {
    env: Environment<'static>,
}

impl Default for Pages {
    fn default() -> Self {
        let mut env = crate::site::templates::environment();
        env.add_global("stylesheet", STYLE_PATH);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .expect("the server's templates are valid (tested)");
        }
        Pages { env }
    }
}

/// The personalisation form's view: the publication and brand, and each field with the value
/// typed so far and its problem, if any.
#[derive(Serialize)]
struct Personalise<'a> {
    action: &'a str,
    brand: &'a str,
    title: &'a str,
    edition: &'a str,
    /// Why the whole form was refused, when it was (shown first in the summary).
    refused: Option<&'a str>,
    fields: Vec<Shown<'a>>,
    /// Signed in with a session (not a bearer token): the page offers to sign out.
    signed_in: bool,
}

/// A personalisation form a signed-in partner may open, as linked from a catalogue page.
#[derive(Serialize)]
pub struct FormLink {
    pub href: String,
    pub title: String,
    pub edition: String,
}

/// A field of the form as shown.
#[derive(Serialize)]
struct Shown<'a> {
    name: &'a str,
    label: &'a str,
    hint: &'a str,
    max: usize,
    multiline: bool,
    /// The input's `type`.
    r#type: &'a str,
    value: &'a str,
    problem: Option<&'a str>,
}

impl<'a> Shown<'a> {
    fn of(field: &'a Field, value: &'a str, problem: Option<&'a str>) -> Self {
        Shown {
            name: field.name,
            label: field.label,
            hint: field.hint,
            max: field.max,
            multiline: field.multiline,
            r#type: if field.name == "phone" { "tel" } else { "text" },
            value,
            problem,
        }
    }
}

/// A publication in the index: its id, its title, and its editions (name, brandable).
pub type Listed = (String, String, Vec<(String, bool)>);

impl Pages {
    /// Template `name` with `context`; an error only when the template and its view disagree.
    fn try_render(&self, name: &str, context: &impl Serialize) -> Result<String, minijinja::Error> {
        self.env
            .get_template(name)?
            .render(minijinja::Value::from(minijinja::value::Serde(context)))
    }

    /// Renders a page. The templates are part of folio and each is rendered with its view
    /// in the tests below, so a failure here is a bug in folio, not in anyone's input.
    fn render(&self, name: &str, context: &impl Serialize) -> String {
        self.try_render(name, context)
            .unwrap_or_else(|e| panic!("the server's page {name} does not render: {e:#}"))
    }

    /// An error page: a heading and one sentence.
    pub fn error(&self, title: &str, message: &str) -> String {
        self.render("error.html", &json!({ "title": title, "message": message }))
    }

    /// The token login form; `next` is where to go after it.
    pub fn login(&self, next: &str, failed: bool) -> String {
        self.render("login.html", &json!({ "next": next, "failed": failed }))
    }

    /// The personalisation form for one edition, with the values typed so far and the
    /// problem with each field, if any.
    #[allow(clippy::too_many_arguments)]
    pub fn personalise(
        &self,
        action: &str,
        brand: &str,
        title: &str,
        edition: &str,
        values: &[String],
        problems: &[Option<String>],
        refused: Option<&str>,
        signed_in: bool,
    ) -> String {
        let fields = FIELDS
            .iter()
            .zip(values)
            .zip(problems)
            .map(|((f, v), p)| Shown::of(f, v, p.as_deref()))
            .collect();
        let view = Personalise {
            action,
            brand,
            title,
            edition,
            refused,
            fields,
            signed_in,
        };
        self.render("personalise.html", &view)
    }

    /// What the server adds to a catalogue page: sign-in (`brand` None, `login` the
    /// sign-in address), or the partner's name, its forms and sign-out.
    pub fn partner(&self, brand: Option<&str>, forms: &[FormLink], login: &str) -> String {
        self.render(
            "partner.html",
            &json!({ "brand": brand, "forms": forms, "login": login }),
        )
    }

    /// The index: every publication and edition, and the partners' personalisation forms
    /// (`brands` as id and name).
    pub fn index(&self, items: &[Listed], brands: &[(String, String)]) -> String {
        self.render("index.html", &index_view(items, brands))
    }
}

/// The index page's view.
fn index_view(items: &[Listed], brands: &[(String, String)]) -> Value {
    let publications: Vec<Value> = items
        .iter()
        .map(|(id, title, editions)| {
            let editions: Vec<Value> = editions
                .iter()
                .map(|(name, brandable)| json!({ "name": name, "brandable": brandable }))
                .collect();
            json!({ "id": id, "title": title, "editions": editions })
        })
        .collect();
    let brands: Vec<Value> = brands
        .iter()
        .map(|(id, name)| json!({ "id": id, "name": name }))
        .collect();
    json!({ "publications": publications, "brands": brands })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::templates::misspelt;

    /// Text that would be markup, an attribute's end and an entity if it were not escaped.
    const HOSTILE: &str = "<script>alert(\"x\")</script> & 'y'";
    const ESCAPED: &str = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;";

    fn listed() -> (Vec<Listed>, Vec<(String, String)>) {
        let h = || HOSTILE.to_string();
        (vec![(h(), h(), vec![(h(), true)])], vec![(h(), h())])
    }

    #[test]
    fn every_page_escapes_a_hostile_value_everywhere_it_appears() {
        let pages = Pages::default();
        let values = vec![HOSTILE.to_string(); FIELDS.len()];
        let problems = vec![Some(HOSTILE.to_string()); FIELDS.len()];
        let (items, brands) = listed();
        // (page, how many times the value is shown: as text and in attributes)
        let shown = [
            (pages.error(HOSTILE, HOSTILE), 3),
            (pages.login(HOSTILE, true), 1),
            (
                pages.personalise(
                    HOSTILE,
                    HOSTILE,
                    HOSTILE,
                    HOSTILE,
                    &values,
                    &problems,
                    Some(HOSTILE),
                    true,
                ),
                // action, brand, title, edition, refused; per field its value, its
                // problem and the problem in the summary
                5 + 3 * FIELDS.len(),
            ),
            // the title; the PDF link's id and edition twice; the form link's id, edition
            // twice, brand id and brand name
            (pages.index(&items, &brands), 9),
            // the brand; each form link's title and edition
            (
                pages.partner(
                    Some(HOSTILE),
                    &[FormLink {
                        href: "/x".into(),
                        title: HOSTILE.into(),
                        edition: HOSTILE.into(),
                    }],
                    "/login",
                ),
                3,
            ),
        ];
        for (html, times) in shown {
            assert!(!html.contains("<script"), "raw markup:\n{html}");
            assert!(!html.contains("\"x\""), "a raw quote:\n{html}");
            assert_eq!(html.matches(ESCAPED).count(), times, "{html}");
        }
    }

    #[test]
    fn the_personalisation_form_marks_only_fields_with_a_problem_and_sums_them_up() {
        let pages = Pages::default();
        let values = vec![String::new(); FIELDS.len()];
        let mut problems = vec![None; FIELDS.len()];
        problems[2] = Some("Phone can only have digits".to_string());
        let html = pages.personalise(
            "/a",
            "B",
            "T",
            "leaflet-dl",
            &values,
            &problems,
            None,
            false,
        );
        assert_eq!(html.matches("aria-invalid=\"true\"").count(), 1, "{html}");
        assert!(html.contains("aria-describedby=\"phone-hint phone-error\""));
        assert!(html.contains("<li><a href=\"#phone\">Phone can only have digits</a></li>"));
        assert!(html.contains("role=\"alert\""));
        let clean = pages.personalise(
            "/a",
            "B",
            "T",
            "leaflet-dl",
            &values,
            &vec![None; FIELDS.len()],
            None,
            false,
        );
        assert!(!clean.contains("role=\"alert\"") && !clean.contains("aria-invalid"));
    }

    #[test]
    fn a_misspelt_name_in_a_page_template_is_an_error_not_an_empty_string() {
        let pages = Pages::default();
        let values = vec!["v".to_string(); FIELDS.len()];
        let form = Personalise {
            action: "/a",
            brand: "B",
            title: "T",
            edition: "E",
            refused: None,
            signed_in: false,
            fields: FIELDS
                .iter()
                .zip(&values)
                .map(|(f, v)| Shown::of(f, v, None))
                .collect(),
        };
        let (items, brands) = listed();
        let views = [
            (
                "error.html",
                json!({ "title": "T", "message": "M" }),
                &["title", "message"][..],
            ),
            (
                "login.html",
                json!({ "next": "/", "failed": false }),
                &["next"],
            ),
            (
                "personalise.html",
                serde_json::to_value(&form).unwrap(),
                &[
                    "action", "brand", "title", "edition", "fields", "name", "label", "hint",
                    "max", "type", "value",
                ],
            ),
            (
                "index.html",
                index_view(&items, &brands),
                &["publications", "brands", "id", "title", "editions", "name"],
            ),
        ];
        for (template, view, keys) in views {
            assert!(pages.try_render(template, &view).is_ok(), "{template}");
            for key in keys {
                let error = pages
                    .try_render(template, &misspelt(&view, key))
                    .expect_err(&format!("{template} rendered without `{key}`"));
                assert_eq!(
                    error.kind(),
                    minijinja::ErrorKind::UndefinedError,
                    "{error}"
                );
            }
        }
    }
}
