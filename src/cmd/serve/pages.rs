//! The server's HTML: the token login form, the personalisation form, error pages and the
//! index of publications. Every value is escaped; no script; one stylesheet from the server
//! (so the Content-Security-Policy can forbid inline code).

use std::fmt::Write;

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

/// Text escaped for HTML content and attribute values (the catalogue's one escaper).
pub use crate::site::escape;

/// A whole page: `title` (plain text) and `main` (HTML).
pub fn page(title: &str, main: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t} – folio</title><link rel=\"stylesheet\" href=\"{STYLE_PATH}\"></head>\
         <body><a class=\"skip\" href=\"#main\">Skip to the content</a>\
         <main id=\"main\">\n{main}\n</main></body></html>\n",
        t = escape(title)
    )
}

/// An error page: a heading and one sentence.
pub fn error(title: &str, message: &str) -> String {
    page(
        title,
        &format!("<h1>{}</h1><p>{}</p>", escape(title), escape(message)),
    )
}

/// The token login form; `next` is where to go after it.
pub fn login(next: &str, failed: bool) -> String {
    let mut main = String::from("<h1>Sign in with your access token</h1>");
    if failed {
        main.push_str(
            "<div class=\"summary\" role=\"alert\"><p class=\"error\" id=\"token-error\">That token is not valid. Check it, or ask the publisher for a new one.</p></div>",
        );
    }
    let _ = write!(
        main,
        "<p>Your organisation's access token lets you download leaflets with its details and fill in a patient's contact.</p>\
         <form method=\"post\" action=\"/login\">\
         <input type=\"hidden\" name=\"next\" value=\"{}\">\
         <label for=\"token\">Access token<span class=\"hint\" id=\"token-hint\">The long code the publisher gave you</span></label>\
         <input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" required aria-describedby=\"token-hint{}\"{}>\
         <button type=\"submit\">Sign in</button></form>",
        escape(next),
        if failed { " token-error" } else { "" },
        if failed { " aria-invalid=\"true\"" } else { "" },
    );
    page("Sign in", &main)
}

/// The personalisation form for one edition, with the values typed so far and the problem
/// with each field, if any.
pub fn personalise(
    action: &str,
    brand: &str,
    title: &str,
    edition: &str,
    values: &[String],
    problems: &[Option<String>],
    refused: Option<&str>,
) -> String {
    let mut main = format!(
        "<h1>Add a patient's contact</h1><p>{} ({}) with the details of <strong>{}</strong>. \
         Fill in who the patient should contact; leave out what does not apply. \
         Nothing you type here is stored: it is only printed on the leaflet you download.</p>",
        escape(title),
        escape(edition),
        escape(brand)
    );
    let errors: Vec<(&Field, &String)> = FIELDS
        .iter()
        .zip(problems)
        .filter_map(|(f, p)| p.as_ref().map(|p| (f, p)))
        .collect();
    if !errors.is_empty() || refused.is_some() {
        main.push_str("<div class=\"summary\" role=\"alert\" aria-labelledby=\"summary-title\"><h2 id=\"summary-title\">There is a problem</h2><ul>");
        if let Some(refused) = refused {
            let _ = write!(main, "<li>{}</li>", escape(refused));
        }
        for (field, problem) in errors {
            let _ = write!(
                main,
                "<li><a href=\"#{}\">{}</a></li>",
                field.name,
                escape(problem)
            );
        }
        main.push_str("</ul></div>");
    }
    let _ = write!(
        main,
        "<form method=\"post\" action=\"{}\" novalidate>",
        escape(action)
    );
    for ((field, value), problem) in FIELDS.iter().zip(values).zip(problems) {
        let described = match problem {
            Some(_) => format!("{n}-hint {n}-error", n = field.name),
            None => format!("{}-hint", field.name),
        };
        let _ = write!(
            main,
            "<label for=\"{n}\">{l}<span class=\"hint\" id=\"{n}-hint\">{h}</span></label>",
            n = field.name,
            l = escape(field.label),
            h = escape(field.hint)
        );
        if let Some(problem) = problem {
            let _ = write!(
                main,
                "<span class=\"error\" id=\"{}-error\">{}</span>",
                field.name,
                escape(problem)
            );
        }
        let invalid = if problem.is_some() {
            " aria-invalid=\"true\""
        } else {
            ""
        };
        if field.multiline {
            let _ = write!(
                main,
                "<textarea id=\"{n}\" name=\"{n}\" maxlength=\"{m}\" autocomplete=\"off\" aria-describedby=\"{described}\"{invalid}>{v}</textarea>",
                n = field.name,
                m = field.max,
                v = escape(value)
            );
        } else {
            let _ = write!(
                main,
                "<input id=\"{n}\" name=\"{n}\" type=\"{t}\" maxlength=\"{m}\" autocomplete=\"off\" aria-describedby=\"{described}\"{invalid} value=\"{v}\">",
                n = field.name,
                t = if field.name == "phone" { "tel" } else { "text" },
                m = field.max,
                v = escape(value)
            );
        }
    }
    main.push_str("<button type=\"submit\">Download the leaflet (PDF)</button></form>");
    page("Add a patient's contact", &main)
}

/// A publication in the index: its id, its title, and its editions (name, brandable).
pub type Listed = (String, String, Vec<(String, bool)>);

/// The index: every publication and edition, and the partners' personalisation forms.
pub fn index(items: &[Listed], brands: &[(String, String)]) -> String {
    let mut main = String::from("<h1>Patient information leaflets</h1>");
    for (id, title, editions) in items {
        let _ = write!(main, "<h2>{}</h2><ul>", escape(title));
        for (edition, _) in editions {
            let _ = write!(
                main,
                "<li><a href=\"/{i}/{e}.pdf\">{e} (PDF)</a></li>",
                i = escape(id),
                e = escape(edition)
            );
        }
        main.push_str("</ul>");
        for (brand, name) in brands {
            for (edition, _) in editions.iter().filter(|(_, b)| *b) {
                let _ = write!(
                    main,
                    "<p><a href=\"/{i}/{e}/personalise?brand={b}\">{e} with the details of {n}: add a patient's contact</a></p>",
                    i = escape(id),
                    e = escape(edition),
                    b = escape(brand),
                    n = escape(name)
                );
            }
        }
    }
    page("Patient information leaflets", &main)
}
