//! The server's HTML: the token login form, the personalisation form, error pages and the
//! index of publications, from minijinja templates built into the binary
//! (`templates/*.html`, one base layout) with the catalogue's auto-escaping: every value is
//! escaped. No script; one stylesheet from the server (so the Content-Security-Policy can
//! forbid inline code).

use minijinja::Environment;
use serde::Serialize;

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
const TEMPLATES: [(&str, &str); 5] = [
    ("base.html", include_str!("templates/base.html")),
    ("error.html", include_str!("templates/error.html")),
    ("login.html", include_str!("templates/login.html")),
    (
        "personalise.html",
        include_str!("templates/personalise.html"),
    ),
    ("index.html", include_str!("templates/index.html")),
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
        self.render(
            "error.html",
            &serde_json::json!({ "title": title, "message": message }),
        )
    }

    /// The token login form; `next` is where to go after it.
    pub fn login(&self, next: &str, failed: bool) -> String {
        self.render(
            "login.html",
            &serde_json::json!({ "next": next, "failed": failed }),
        )
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
        };
        self.render("personalise.html", &view)
    }

    /// The index: every publication and edition, and the partners' personalisation forms
    /// (`brands` as id and name).
    pub fn index(&self, items: &[Listed], brands: &[(String, String)]) -> String {
        let publications: Vec<_> = items
            .iter()
            .map(|(id, title, editions)| {
                let editions: Vec<_> = editions
                    .iter()
                    .map(|(name, brandable)| serde_json::json!({ "name": name, "brandable": brandable }))
                    .collect();
                serde_json::json!({ "id": id, "title": title, "editions": editions })
            })
            .collect();
        let brands: Vec<_> = brands
            .iter()
            .map(|(id, name)| serde_json::json!({ "id": id, "name": name }))
            .collect();
        self.render(
            "index.html",
            &serde_json::json!({ "publications": publications, "brands": brands }),
        )
    }
}
