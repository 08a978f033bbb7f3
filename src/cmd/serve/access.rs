//! Who is asking, and may they: the bearer token or session cookie of a request, the
//! checks of a request for a partner's leaflet, and the same-origin rule for forms.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use cookie::Cookie;

use super::auth::Access;
use super::library::Library;
use super::respond::{error, sign_in_first};
use super::state::State;

/// Name of the session cookie.
pub const COOKIE: &str = "folio_session";

/// The bearer token of a request (the scheme's name in any case: `Bearer`, `bearer`).
pub fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// The session id in the request's cookies.
pub fn session(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == COOKIE)
        .map(|c| c.value().to_string())
}

/// The brand whose session this request carries, if a live one.
pub fn signed_in(state: &State, headers: &HeaderMap) -> Option<String> {
    session(headers).and_then(|s| state.auth.brand_of_session(&s))
}

/// The session cookie for `id`: for this site only, never read by scripts, sent only with
/// the site's own requests, and with neither `Max-Age` nor `Expires`, so that it ends when
/// the browser closes (a shared ward PC); the server ends it sooner (8 hours, sign-out, or
/// its token revoked).
pub fn session_cookie(id: &str, secure: bool) -> String {
    Cookie::build((COOKIE, id.to_string()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .secure(secure)
        .build()
        .to_string()
}

/// The cookie that removes the session cookie (signing out).
pub fn removal_cookie(secure: bool) -> String {
    let mut c = Cookie::build((COOKIE, ""))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .secure(secure)
        .build();
    c.make_removal();
    c.to_string()
}

/// Whether a form was sent from this server's own pages. Browsers say where a request comes
/// from: `Sec-Fetch-Site` (`same-origin`, or `none` when typed by the user) or else `Origin`
/// (its host must be the request's `Host`, or the `X-Forwarded-Host` a proxy sets). A client
/// that sends neither (a script with a bearer token) is not a browser a site could misuse.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = get("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = get("origin") else {
        return true;
    };
    let Some(host) = origin
        .split_once("://")
        .map(|(_, rest)| rest.trim_end_matches('/'))
    else {
        return false;
    };
    [get("host"), get("x-forwarded-host")]
        .into_iter()
        .flatten()
        .any(|h| h.eq_ignore_ascii_case(host))
}

/// Checks a request for `edition` of `publication` with `brand`'s details: they exist, the
/// edition carries the hospital block, and the caller may act for the brand. Err is the
/// answer to give; a browser that is not signed in is sent to sign in (`back` is where it
/// returns to), when `back` is given.
#[allow(clippy::too_many_arguments)]
pub fn authorise(
    state: &State,
    library: &Library,
    headers: &HeaderMap,
    publication: &str,
    edition: &str,
    brand: &str,
    json: bool,
    back: Option<&str>,
) -> Result<(), Response> {
    let missing = |title: &str, message: String| {
        Err(error(
            &state.pages,
            StatusCode::NOT_FOUND,
            title,
            &message,
            json,
        ))
    };
    if !library.publications.contains_key(publication) {
        return missing(
            "Not found",
            format!("There is no publication called {publication} here."),
        );
    }
    // Not every edition is made of every publication: braille only in a language with a
    // table and on a machine with liblouis, a bilingual edition only for its languages.
    let made = state
        .session
        .editions_for(&library.publications[publication].publication, &[])
        .iter()
        .any(|(name, _)| *name == edition);
    if !made {
        return missing(
            "Not found",
            format!("{publication} has no edition called {edition}."),
        );
    }
    if !state.brandable(edition) {
        let brandable: Vec<&str> = state
            .session
            .project
            .editions
            .iter()
            .filter(|(_, e)| e.brandable)
            .map(|(n, _)| n.as_str())
            .collect();
        return missing(
            "No hospital block",
            format!(
                "The {edition} edition has no \"Your hospital team\" block, so it is not made with an organisation's details. These editions are: {}.",
                brandable.join(", ")
            ),
        );
    }
    if !library.brands.contains_key(brand) {
        return missing(
            "Not found",
            "There is no such organisation for these leaflets.".into(),
        );
    }
    check_brand(state, headers, brand, json, back)
}

/// Whether the caller may act for `brand`; Err is the answer (401, 403, or a browser sent
/// to sign in first when `back` is given).
pub fn check_brand(
    state: &State,
    headers: &HeaderMap,
    brand: &str,
    json: bool,
    back: Option<&str>,
) -> Result<(), Response> {
    let token = bearer(headers);
    match state
        .auth
        .check(token.as_deref(), session(headers).as_deref(), brand)
    {
        Access::Granted => Ok(()),
        Access::OtherBrand => Err(error(
            &state.pages,
            StatusCode::FORBIDDEN,
            "Not your organisation",
            "Your access token is for another organisation's leaflets.",
            json,
        )),
        Access::Denied => {
            if let (Some(back), false, None) = (back, json, &token) {
                return Err(sign_in_first(back));
            }
            let mut response = error(
                &state.pages,
                StatusCode::UNAUTHORIZED,
                "Sign in needed",
                "These leaflets need your organisation's access token: send it as a bearer token, or sign in at /login.",
                json,
            );
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"folio\""),
            );
            Err(response)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn the_bearer_scheme_is_read_in_any_case_and_nothing_else_is_a_token() {
        for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
            let value: &'static str = Box::leak(format!("{scheme} abc").into_boxed_str());
            assert_eq!(
                bearer(&headers(&[("authorization", value)])).as_deref(),
                Some("abc")
            );
        }
        assert_eq!(bearer(&headers(&[("authorization", "Basic abc")])), None);
        assert_eq!(bearer(&headers(&[("authorization", "Bearerabc")])), None);
    }

    #[test]
    fn a_form_from_another_site_is_not_same_origin() {
        let host = ("host", "leaflets.example.org");
        assert!(same_origin(&headers(&[host])), "no browser headers");
        assert!(same_origin(&headers(&[
            host,
            ("sec-fetch-site", "same-origin")
        ])));
        assert!(!same_origin(&headers(&[
            host,
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(!same_origin(&headers(&[
            host,
            ("sec-fetch-site", "same-site")
        ])));
        assert!(same_origin(&headers(&[
            host,
            ("origin", "https://leaflets.example.org")
        ])));
        assert!(!same_origin(&headers(&[
            host,
            ("origin", "https://evil.example")
        ])));
        assert!(!same_origin(&headers(&[host, ("origin", "null")])));
        assert!(same_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-host", "leaflets.example.org"),
            ("origin", "https://leaflets.example.org")
        ])));
    }

    #[test]
    fn the_session_cookie_ends_with_the_browser_and_is_read_back() {
        let set = session_cookie("abc", true);
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict"),
            "{set}"
        );
        assert!(set.contains("Secure") && set.contains("Path=/"), "{set}");
        assert!(
            !set.contains("Max-Age") && !set.contains("Expires"),
            "{set}"
        );
        let removal = removal_cookie(false);
        assert!(removal.contains("Max-Age=0"), "{removal}");
        let h = headers(&[("cookie", "a=1; folio_session=abc; b=2")]);
        assert_eq!(session(&h).as_deref(), Some("abc"));
    }
}
