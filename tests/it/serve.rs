//! `folio serve`, the real server on 127.0.0.1 port 0: public and co-branded downloads and
//! who may have them, personalised leaflets with hostile text, confined paths, limits, the
//! full queue, graceful shutdown; and `folio token`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use crate::brands::{keep_picture, pdf_text, personal_at_its_limits, shipped_with_brands, EXAMPLE};
use crate::support::TestProject;

/// A running `folio serve`, its address, and its log lines.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `folio serve --bind 127.0.0.1:0 --tokens tokens` in `p`, plus `args`.
    pub fn start(p: &TestProject, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["serve", "--bind", "127.0.0.1:0", "--tokens", "tokens"])
            .args(args)
            .current_dir(p.root())
            .env("FOLIO_TODAY", crate::support::TODAY)
            .env("SOURCE_DATE_EPOCH", "1790000000")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("folio serve starts");
        let (tx, rx): (_, Receiver<String>) = channel();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().unwrap();
        let kept = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                kept.lock().unwrap().push(line.clone());
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
                if let Some(at) = line.find("listening on http://") {
                    // The address ends at its `/` (in a text or a JSON log line).
                    let addr = line[at + 20..].split('/').next().unwrap().parse().unwrap();
                    return Server { child, addr, log };
                }
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server did not start: {:?}", log.lock().unwrap());
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        request(self.addr, "GET", path, headers, b"")
    }

    pub fn post(&self, path: &str, headers: &[(&str, &str)], body: &str) -> Response {
        let mut all = vec![("content-type", "application/x-www-form-urlencoded")];
        all.extend_from_slice(headers);
        request(self.addr, "POST", path, &all, body.as_bytes())
    }

    /// Waits until `ok` holds for the log (a line the server writes after a request).
    pub fn wait_for_log(&self, what: &str, ok: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !ok(&self.log()) {
            assert!(
                Instant::now() < deadline,
                "never logged {what}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the process to end, with its exit status.
    pub fn wait(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request on a new connection, written by hand so that any path can be sent
/// exactly as given (clients tidy `..` away).
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse(&raw)
}

fn parse(raw: &[u8]) -> Response {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a whole response")
        + 4;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split..].to_vec();
    if headers
        .get("transfer-encoding")
        .is_some_and(|t| t == "chunked")
    {
        let mut out = Vec::new();
        let mut rest = &body[..];
        while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..end]).unwrap().trim(), 16)
                .unwrap();
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[end + 2..end + 2 + size]);
            rest = &rest[end + 4 + size..];
        }
        body = out;
    }
    Response {
        status,
        headers,
        body,
    }
}

/// A project with the shipped content, built, the example brand, a second brand, and a
/// token for each: (project, example's token, other's token).
pub fn served_project() -> (TestProject, String, String) {
    let p = shipped_with_brands();
    let other = std::fs::read_to_string(p.root().join("brands/riverside-example/brand.yaml"))
        .unwrap()
        .replace(
            "Riverside Example Hospitals (fictional)",
            "Hillside Example Clinic (fictional)",
        )
        .replace("logo: logo.png\n", "");
    p.file("brands/hillside-example/brand.yaml", other.as_bytes());
    p.folio(&["build", "--quiet"]).succeeds();
    let token = |brand: &str| {
        let out = p.folio(&["token", "new", brand, "--tokens", "tokens"]);
        out.succeeds();
        out.stdout.lines().last().unwrap().to_string()
    };
    let example = token(EXAMPLE);
    let other = token("hillside-example");
    (p, example, other)
}

const BRANDED: &str = "/all-treatment/leaflet-dl.pdf?brand=riverside-example";
const FORM: &str = "/all-treatment/leaflet-dl/personalise?brand=riverside-example";

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

#[test]
fn the_public_edition_is_served_with_its_type_etag_and_security_headers() {
    let (p, _, _) = served_project();
    let server = Server::start(&p, &[]);
    let r = server.get("/all-treatment/leaflet-dl.pdf", &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "application/pdf");
    assert_eq!(
        r.body,
        p.pdf("all-treatment", "leaflet-dl"),
        "the built file, unchanged"
    );
    assert!(r
        .header("content-security-policy")
        .contains("default-src 'none'"));
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert_eq!(r.header("referrer-policy"), "no-referrer");
    let etag = r.header("etag").to_string();
    assert!(etag.starts_with('"'), "{etag}");
    let again = server.get("/all-treatment/leaflet-dl.pdf", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    // The static output under its own name too, with its content type.
    let sheet = server.get("/all-treatment/all-treatment-print-spec.json", &[]);
    assert_eq!(sheet.status, 200);
    assert_eq!(
        sheet.header("content-type"),
        "application/json; charset=utf-8"
    );
}

#[test]
fn a_branded_edition_needs_that_brands_token_and_a_repeat_is_not_compiled_again() {
    let (p, token, other) = served_project();
    let server = Server::start(&p, &[]);
    assert_eq!(server.get(BRANDED, &[]).status, 401);
    assert_eq!(
        server
            .get(BRANDED, &[("Authorization", "Bearer not-a-token")])
            .status,
        401
    );
    let forbidden = server.get(BRANDED, &[("Authorization", &bearer(&other))]);
    assert_eq!(forbidden.status, 403);
    assert!(
        forbidden.text().contains("another organisation"),
        "{}",
        forbidden.text()
    );
    let first = server.get(BRANDED, &[("Authorization", &bearer(&token))]);
    assert_eq!(first.status, 200);
    assert_eq!(first.header("x-folio-cache"), "miss");
    assert!(pdf_text(&first.body).contains("Riverside Example Hospitals (fictional)"));
    let repeat = server.get(BRANDED, &[("Authorization", &bearer(&token))]);
    assert_eq!(repeat.header("x-folio-cache"), "hit");
    assert_eq!(repeat.body, first.body);
    // An unknown brand, or an edition without the block, is not there at all.
    let unknown = "/all-treatment/leaflet-dl.pdf?brand=nobody";
    assert_eq!(
        server
            .get(unknown, &[("Authorization", &bearer(&token))])
            .status,
        404
    );
    let large = "/all-treatment/large-print.pdf?brand=riverside-example";
    assert_eq!(
        server
            .get(large, &[("Authorization", &bearer(&token))])
            .status,
        404
    );
    assert!(!server.log().contains(&token), "tokens are never logged");
}

#[test]
fn a_leaflet_personalised_with_every_field_at_its_limit_fits_its_two_pages() {
    let (p, token, _) = served_project();
    let server = Server::start(&p, &[]);
    let auth = bearer(&token);
    let personal = personal_at_its_limits();
    let fields = [
        ("contact-name", &personal.contact_name),
        ("role", &personal.role),
        ("phone", &personal.phone),
        ("hours", &personal.hours),
        ("note", &personal.note),
    ];
    let body = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", v.replace(' ', "+")))
        .collect::<Vec<_>>()
        .join("&");
    for edition in ["leaflet-a5", "leaflet-dl"] {
        let form = format!("/all-treatment/{edition}/personalise?brand={EXAMPLE}");
        let r = server.post(&form, &[("Authorization", &auth)], &body);
        assert_eq!(r.status, 200, "{edition}: {}", r.text());
        assert_eq!(r.header("content-type"), "application/pdf");
        assert_eq!(
            crate::support::Pdf::parse(&r.body).page_count(),
            2,
            "{edition}"
        );
        keep_picture(&r.body, 2, &format!("{edition}-personal-at-limits"));
        let text = pdf_text(&r.body);
        for (field, value) in fields {
            assert!(
                text.contains(value.as_str()),
                "{edition}: {field} missing from {text}"
            );
        }
        assert!(
            text.contains("Riverside Example Hospitals (fictional)"),
            "{text}"
        );
        assert!(text.contains("Find out more"), "{edition}: {text}");
    }
}

#[test]
fn a_personalised_leaflet_prints_hostile_text_verbatim_and_never_caches_or_logs_it() {
    let (p, token, _) = served_project();
    let server = Server::start(&p, &[]);
    let auth = bearer(&token);
    let body = "contact-name=Sam+%23read%28%22%2Fetc%2Fpasswd%22%29&role=Nurse+%5D+%24x%24&phone=%2B44+%280%291632+960+456&hours=9+to+5&note=Bring+%5D+and+%24+signs";
    let r = server.post(FORM, &[("Authorization", &auth)], body);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("cache-control"), "no-store");
    let text = pdf_text(&r.body);
    for part in [
        "Sam #read(\"/etc/passwd\")",
        "Nurse ] $x$",
        "+44 (0)1632 960 456",
        "Bring ] and $ signs",
    ] {
        assert!(text.contains(part), "{part} missing from {text}");
    }
    assert!(!text.contains("root:"), "no file was read");
    // Too long, or not a phone number: 422 with what is wrong, as JSON when asked.
    let long = format!("note={}", "a".repeat(101));
    let refused = server.post(
        FORM,
        &[("Authorization", &auth), ("Accept", "application/json")],
        &long,
    );
    assert_eq!(refused.status, 422);
    let json: serde_json::Value = serde_json::from_slice(&refused.body).unwrap();
    assert!(
        json["fields"]["note"]
            .as_str()
            .unwrap()
            .contains("at most 100"),
        "{json}"
    );
    let page = server.post(FORM, &[("Authorization", &auth)], "phone=call+me");
    assert_eq!(page.status, 422);
    assert!(
        page.text().contains("Phone can only have digits"),
        "{}",
        page.text()
    );
    let log = server.log();
    for secret in ["Sam", "passwd", "Bring", "1632"] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
    assert!(log.contains("POST personalise 200"), "{log}");
}

#[test]
fn a_hostile_brand_name_form_value_and_address_are_escaped_in_every_page() {
    const HOSTILE: &str = "<script>alert(\"x\")</script> & 'y'";
    const ESCAPED: &str = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;";
    let (p, token, _) = served_project();
    let brand = p.root().join("brands/riverside-example/brand.yaml");
    let yaml = std::fs::read_to_string(&brand).unwrap().replace(
        "name: Riverside Example Hospitals (fictional)",
        &format!("name: {HOSTILE}"),
    );
    std::fs::write(&brand, yaml).unwrap();
    // Without the catalogue page, the server shows its own index.
    std::fs::remove_file(p.root().join("dist/index.html")).unwrap();
    let server = Server::start(&p, &[]);
    let auth = bearer(&token);
    let hostile: String = form_urlencoded::byte_serialize(HOSTILE.as_bytes()).collect();
    let pages = [
        ("index", server.get("/", &[])),
        ("form", server.get(FORM, &[("Authorization", &auth)])),
        (
            "refused form",
            server.post(
                FORM,
                &[("Authorization", &auth)],
                &format!("contact-name={hostile}&phone={hostile}"),
            ),
        ),
        ("login", server.get(&format!("/login?next={hostile}"), &[])),
        (
            "failed login",
            server.post("/login", &[], &format!("next=/{hostile}&token=wrong")),
        ),
    ];
    for (name, page) in pages {
        let html = page.text();
        assert!(html.contains(ESCAPED), "{name}: {html}");
        assert!(!html.contains("<script"), "{name}: raw markup in\n{html}");
        assert!(!html.contains("\"x\""), "{name}: a raw quote in\n{html}");
    }
}

#[test]
fn paths_out_of_dist_are_not_found_however_they_are_spelt() {
    let (p, _, _) = served_project();
    std::os::unix::fs::symlink(
        "/etc/passwd",
        p.root().join("dist/all-treatment/passwd.pdf"),
    )
    .unwrap();
    std::os::unix::fs::symlink(p.root().join("brands"), p.root().join("dist/brands-link")).unwrap();
    let server = Server::start(&p, &[]);
    for path in [
        "/../folio.yaml",
        "/all-treatment/../../folio.yaml",
        "/all-treatment/%2e%2e/%2e%2e/folio.yaml",
        "/all-treatment/..%2f..%2ffolio.yaml",
        "/%2e%2e%5cfolio.yaml",
        "//etc/passwd",
        "/all-treatment/passwd.pdf",
        "/brands-link/riverside-example/brand.yaml",
        "/.folio/anything",
    ] {
        let r = server.get(path, &[]);
        assert_eq!(r.status, 404, "{path}: {}", r.text());
        assert!(!r.text().contains("root:"), "{path}");
    }
    let absolute = request(server.addr, "GET", "http://localhost/etc/passwd", &[], b"");
    assert_eq!(absolute.status, 404);
}

#[test]
fn oversize_bodies_and_headers_are_refused_with_small_answers() {
    let (p, token, _) = served_project();
    let server = Server::start(&p, &[]);
    let big = format!("note={}", "a".repeat(40_000));
    let r = server.post(FORM, &[("Authorization", &bearer(&token))], &big);
    assert_eq!(r.status, 413);
    assert!(r.text().contains("<h1>Too large</h1>"), "{}", r.text());
    let huge = "x".repeat(20_000);
    let r = server.get("/all-treatment/leaflet-dl.pdf", &[("X-Padding", &huge)]);
    assert_eq!(r.status, 431);
    let r = server.get("/nothing-here", &[("Accept", "application/json")]);
    assert_eq!(r.status, 404);
    let json: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(json["status"], 404);
}

#[test]
fn a_full_queue_answers_503_with_retry_after_and_the_rest_are_made() {
    let (p, token, _) = served_project();
    let server = Server::start(&p, &["--workers", "1", "--queue", "1"]);
    let n = 8;
    let barrier = Arc::new(Barrier::new(n));
    let addr = server.addr;
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (barrier, auth) = (barrier.clone(), bearer(&token));
            std::thread::spawn(move || {
                let body = format!("contact-name=Patient+{i}&phone=01632+960+{i:03}");
                let path = "/all-treatment/booklet/personalise?brand=riverside-example";
                barrier.wait();
                let headers = [
                    ("Authorization", auth.as_str()),
                    ("content-type", "application/x-www-form-urlencoded"),
                ];
                request(addr, "POST", path, &headers, body.as_bytes())
            })
        })
        .collect();
    let answers: Vec<Response> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "{statuses:?}"
    );
    assert!(statuses.contains(&200), "{statuses:?}");
    let busy = answers
        .iter()
        .find(|r| r.status == 503)
        .unwrap_or_else(|| panic!("{statuses:?}"));
    assert_eq!(busy.header("retry-after"), "5");
    assert!(busy.text().contains("try again"), "{}", busy.text());
}

#[test]
fn clients_past_their_rate_limit_get_429() {
    let (p, _, _) = served_project();
    let server = Server::start(&p, &["--rate-limit", "2"]);
    let statuses: Vec<u16> = (0..10)
        .map(|_| server.get("/all-treatment/leaflet-a5.pdf", &[]).status)
        .collect();
    assert!(statuses[..4].iter().all(|s| *s == 200), "{statuses:?}");
    assert!(statuses.contains(&429), "{statuses:?}");
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_then_stops() {
    let (p, token, _) = served_project();
    let mut server = Server::start(&p, &[]);
    let addr = server.addr;
    let auth = bearer(&token);
    let in_flight = std::thread::spawn(move || {
        let headers = [
            ("Authorization", auth.as_str()),
            ("content-type", "application/x-www-form-urlencoded"),
        ];
        request(
            addr,
            "POST",
            "/all-treatment/booklet/personalise?brand=riverside-example",
            &headers,
            b"contact-name=Sam",
        )
    });
    // Until the compile has started: the request is accepted and being worked on.
    std::thread::sleep(Duration::from_millis(40));
    server.terminate();
    let answer = in_flight.join().unwrap();
    assert_eq!(answer.status, 200);
    assert!(answer.body.starts_with(b"%PDF"));
    assert!(server.wait().success());
    assert!(server.log().contains("[serve] stopped"), "{}", server.log());
    assert!(TcpStream::connect(addr).is_err(), "no longer listening");
}

#[test]
fn token_new_prints_the_token_once_and_stores_only_its_hash_and_revoke_takes_effect() {
    let (p, token, _) = served_project();
    let stored = std::fs::read_to_string(p.root().join("tokens")).unwrap();
    assert!(!stored.contains(&token), "the token itself is not stored");
    assert_eq!(token.len(), 64, "256 random bits");
    let server = Server::start(&p, &[]);
    assert_eq!(
        server
            .get(BRANDED, &[("Authorization", &bearer(&token))])
            .status,
        200
    );
    p.folio(&["token", "revoke", EXAMPLE, "--tokens", "tokens"])
        .succeeds();
    assert_eq!(
        server
            .get(BRANDED, &[("Authorization", &bearer(&token))])
            .status,
        401
    );
    p.folio(&["token", "new", "nobody", "--tokens", "tokens"])
        .fails_with(&["no brand called `nobody`"]);
}

/// axe-core's script: tests/axe.min.js when vendored, else fetched by the tests' setup.
pub(crate) fn axe_source() -> String {
    let repo = crate::support::repo();
    let vendored = repo.join("tests/axe.min.js");
    let fetched = repo.join("target/axe/axe.min.js");
    if !vendored.is_file() && !fetched.is_file() {
        let status = Command::new("bash")
            .arg(repo.join("tests/setup/install-axe.sh"))
            .arg(repo.join("target/axe"))
            .status()
            .unwrap();
        assert!(
            status.success(),
            "could not fetch axe-core (tests/setup/install-axe.sh)"
        );
    }
    std::fs::read_to_string(if vendored.is_file() {
        vendored
    } else {
        fetched
    })
    .unwrap()
}

/// WCAG 2.2 A and AA violations axe-core finds on the tab's page, as "rule: target" lines.
pub(crate) fn axe_violations(tab: &headless_chrome::Tab, axe: &str) -> Vec<String> {
    tab.evaluate(axe, false).expect("axe-core loads");
    let run = "axe.run(document, { runOnly: { type: 'tag', values: \
        ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] } })\
        .then(r => JSON.stringify(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))";
    let result = tab.evaluate(run, true).expect("axe-core runs");
    let json = result.value.expect("a JSON string");
    serde_json::from_str(json.as_str().unwrap()).unwrap()
}

fn set_width(tab: &headless_chrome::Tab, width: u32) {
    tab.set_bounds(headless_chrome::types::Bounds::Normal {
        left: Some(0),
        top: Some(0),
        width: Some(width as f64),
        height: Some(900.0),
    })
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
}

#[test]
fn in_a_browser_staff_sign_in_fill_the_form_and_get_the_leaflet_and_the_form_passes_axe() {
    crate::browser::ensure_chromium();
    let axe = axe_source();
    let (p, token, _) = served_project();
    let server = Server::start(&p, &[]);
    let profile = tempfile::tempdir().unwrap();
    let browser = crate::browser::browser(profile.path());
    let tab = browser.new_tab().unwrap();
    // The test fetches the PDF from the page with its own script: allow that one request.
    tab.call_method(headless_chrome::protocol::cdp::Page::SetBypassCSP { enabled: true })
        .unwrap();
    let form_url = format!("http://{}{FORM}", server.addr);
    tab.navigate_to(&form_url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    // Not signed in: the form sends the browser to the login form, which passes axe too.
    tab.wait_for_element("#token").unwrap();
    assert!(tab.get_url().contains("/login?next="), "{}", tab.get_url());
    for width in [1280, 320] {
        set_width(&tab, width);
        let violations = axe_violations(&tab, &axe);
        assert!(
            violations.is_empty(),
            "login page at {width} px: {violations:?}"
        );
    }
    tab.find_element("#token").unwrap().click().unwrap();
    tab.type_str(&token).unwrap();
    tab.find_element("button[type=submit]")
        .unwrap()
        .click()
        .unwrap();
    tab.wait_until_navigated().unwrap();
    let heading = crate::browser::until(&tab, "the form", |t| {
        t.find_element("h1")
            .ok()?
            .get_inner_text()
            .ok()
            .filter(|h| h.contains("patient"))
    });
    assert_eq!(heading, "Add a patient's contact");
    for width in [1280, 320] {
        set_width(&tab, width);
        let violations = axe_violations(&tab, &axe);
        assert!(violations.is_empty(), "form at {width} px: {violations:?}");
    }
    for (field, value) in [
        ("#contact-name", "Robin Example"),
        ("#role", "Clinical nurse specialist"),
        ("#phone", "01632 960 321"),
        ("#note", "Ring us if your temperature is 38C or above."),
    ] {
        tab.find_element(field).unwrap().click().unwrap();
        tab.type_str(value).unwrap();
    }
    // Submit the form as the browser would (its fields, its cookie), and read the answer.
    let fetch = "(async () => { const f = document.querySelector('form'); \
        const r = await fetch(f.action, { method: 'POST', body: new URLSearchParams(new FormData(f)) }); \
        const b = new Uint8Array(await r.arrayBuffer()); \
        return r.status + ' ' + r.headers.get('content-type') + ' ' + Array.from(b).join(','); })()";
    let answer = tab.evaluate(fetch, true).unwrap().value.unwrap();
    let answer = answer.as_str().unwrap();
    let mut parts = answer.splitn(3, ' ');
    assert_eq!(
        parts.next(),
        Some("200"),
        "{}",
        &answer[..answer.len().min(300)]
    );
    assert_eq!(parts.next(), Some("application/pdf"));
    let pdf: Vec<u8> = parts
        .next()
        .unwrap()
        .split(',')
        .map(|b| b.parse().unwrap())
        .collect();
    let text = pdf_text(&pdf);
    for part in [
        "Robin Example",
        "Clinical nurse specialist",
        "01632 960 321",
        "38C or above",
    ] {
        assert!(text.contains(part), "{part} missing from {text}");
    }
    // A mistake is shown in the form, next to its field, and the page still passes axe.
    tab.find_element("#phone").unwrap().click().unwrap();
    tab.type_str(" ext 5").unwrap();
    tab.find_element("button[type=submit]")
        .unwrap()
        .click()
        .unwrap();
    let error = crate::browser::until(&tab, "the error next to the phone field", |t| {
        t.find_element("#phone-error").ok()?.get_inner_text().ok()
    });
    assert!(error.contains("digits"), "{error}");
    let violations = axe_violations(&tab, &axe);
    assert!(violations.is_empty(), "form with errors: {violations:?}");
    let shot = tab
        .capture_screenshot(
            headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png,
            None,
            None,
            true,
        )
        .unwrap();
    let _ = std::fs::create_dir_all(crate::support::repo().join("target/pictures"));
    let _ = std::fs::write(
        crate::support::repo().join("target/pictures/personalise-form.png"),
        shot,
    );
}

/// A new token for `brand`: (token, its id).
fn new_token(p: &TestProject, brand: &str) -> (String, String) {
    let out = p.folio(&["token", "new", brand, "--tokens", "tokens"]);
    out.succeeds();
    let id = out.stdout.split("(id ").nth(1).unwrap();
    let id = id[..id.find(')').unwrap()].to_string();
    (out.stdout.lines().last().unwrap().to_string(), id)
}

/// Signs in at /login with `token`: the session cookie (`folio_session=…`) the browser gets.
fn sign_in(server: &Server, token: &str) -> String {
    let r = server.post("/login", &[], &format!("token={token}&next=/"));
    assert_eq!(r.status, 303, "{}", r.text());
    let set = r.header("set-cookie").to_string();
    set.split(';').next().unwrap().to_string()
}

/// Replaces the tokens file with `text` as `folio token` does (a new file renamed over it).
fn replace_tokens(p: &TestProject, text: &str) {
    let next = p.root().join("tokens.next");
    std::fs::write(&next, text).unwrap();
    std::fs::rename(&next, p.root().join("tokens")).unwrap();
}

#[test]
fn a_browser_session_ends_with_its_token_with_sign_out_and_with_the_browser() {
    let (p, token, _) = served_project();
    let (second, second_id) = new_token(&p, EXAMPLE);
    let server = Server::start(&p, &[]);
    let html = [("Accept", "text/html")];
    let json = [("Accept", "application/json")];
    // The cookie has neither Max-Age nor Expires: it ends when the browser closes.
    let r = server.post("/login", &[], &format!("token={token}&next=/"));
    let set = r.header("set-cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    assert!(
        !set.contains("Max-Age") && !set.contains("Expires"),
        "{set}"
    );
    let first = sign_in(&server, &token);
    let other = sign_in(&server, &second);
    for cookie in [&first, &other] {
        assert_eq!(server.get(BRANDED, &[("Cookie", cookie)]).status, 200);
    }
    // Revoking one token ends the sessions opened with it at once, and only those.
    p.folio(&[
        "token", "revoke", EXAMPLE, "--tokens", "tokens", "--id", &second_id,
    ])
    .succeeds();
    assert_eq!(server.get(BRANDED, &[("Cookie", &other)]).status, 401);
    let form = server.get(FORM, &[("Cookie", &other), html[0]]);
    assert_eq!(
        form.status, 303,
        "the form sends the browser to sign in again"
    );
    assert!(
        form.header("location").starts_with("/login?next="),
        "{:?}",
        form.headers
    );
    assert_eq!(server.get(FORM, &[("Cookie", &other), json[0]]).status, 401);
    assert_eq!(server.get(BRANDED, &[("Cookie", &first)]).status, 200);
    // Signing out ends the session on the server and removes the cookie.
    let out = server.post("/logout", &[("Cookie", &first)], "");
    assert_eq!(out.status, 303);
    assert!(
        out.header("set-cookie").contains("Max-Age=0"),
        "{:?}",
        out.headers
    );
    assert_eq!(server.get(BRANDED, &[("Cookie", &first)]).status, 401);
    // Revoking all of a brand's tokens, or emptying the file, ends every session of it.
    let again = sign_in(&server, &token);
    p.folio(&["token", "revoke", EXAMPLE, "--tokens", "tokens"])
        .succeeds();
    assert_eq!(server.get(BRANDED, &[("Cookie", &again)]).status, 401);
    let (third, _) = new_token(&p, EXAMPLE);
    let last = sign_in(&server, &third);
    assert_eq!(server.get(BRANDED, &[("Cookie", &last)]).status, 200);
    replace_tokens(&p, "");
    assert_eq!(server.get(BRANDED, &[("Cookie", &last)]).status, 401);
    assert_eq!(
        server
            .get(BRANDED, &[("Authorization", &bearer(&third))])
            .status,
        401
    );
}

#[test]
fn forms_from_another_site_are_refused_and_the_bearer_scheme_is_read_in_any_case() {
    let (p, token, _) = served_project();
    let server = Server::start(&p, &[]);
    let auth = bearer(&token);
    let body = "contact-name=Sam";
    for (name, value) in [
        ("Origin", "https://evil.example"),
        ("Sec-Fetch-Site", "cross-site"),
    ] {
        let r = server.post(FORM, &[("Authorization", &auth), (name, value)], body);
        assert_eq!(r.status, 403, "{name}: {value}");
        assert!(r.text().contains("another site"), "{}", r.text());
        let login = server.post("/login", &[(name, value)], &format!("token={token}"));
        assert_eq!(login.status, 403, "login, {name}: {value}");
        assert!(login.header("set-cookie").is_empty());
    }
    let addr = server.addr.to_string();
    let origin = format!("http://{addr}");
    let same = [
        ("Authorization", auth.as_str()),
        ("Origin", origin.as_str()),
        ("Sec-Fetch-Site", "same-origin"),
    ];
    assert_eq!(server.post(FORM, &same, body).status, 200);
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let header = format!("{scheme} {token}");
        let r = server.get(BRANDED, &[("Authorization", &header)]);
        assert_eq!(r.status, 200, "{scheme}");
    }
}

#[test]
fn a_cached_edition_replaced_by_a_link_is_not_served_and_build_brand_files_are_for_their_brand() {
    let (p, token, other) = served_project();
    p.folio(&["build", "--quiet", "--brand", EXAMPLE])
        .succeeds();
    let server = Server::start(&p, &[]);
    let auth = bearer(&token);
    let first = server.get(BRANDED, &[("Authorization", &auth)]);
    assert_eq!(first.header("x-folio-cache"), "miss");
    let cache = p.root().join("dist/.folio/cache");
    let cached: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    std::fs::remove_file(&cached[0]).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", &cached[0]).unwrap();
    let again = server.get(BRANDED, &[("Authorization", &auth)]);
    assert_eq!(again.status, 200);
    assert_eq!(
        again.header("x-folio-cache"),
        "miss",
        "the link is not a cached file"
    );
    assert!(again.body.starts_with(b"%PDF"));
    assert!(!again.text().contains("root:"));
    assert!(
        !std::fs::symlink_metadata(&cached[0])
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced by the PDF, not written through"
    );
    // The co-branded files of `build --brand` are that brand's, as `?brand=` is.
    let file = format!("/all-treatment/brands/{EXAMPLE}/all-treatment-leaflet-dl.pdf");
    assert!(p.root().join("dist").join(&file[1..]).is_file());
    let script = server.get(&file, &[("Accept", "application/json")]);
    assert_eq!(script.status, 401);
    let browser = server.get(&file, &[("Accept", "text/html")]);
    assert_eq!(browser.status, 303, "a browser is sent to sign in first");
    assert!(browser
        .header("location")
        .starts_with("/login?next=%2Fall-treatment%2Fbrands"));
    assert_eq!(
        server
            .get(&file, &[("Authorization", &bearer(&other))])
            .status,
        403
    );
    let mine = server.get(&file, &[("Authorization", &auth)]);
    assert_eq!(mine.status, 200);
    assert_eq!(mine.header("content-type"), "application/pdf");
    assert_eq!(mine.header("cache-control"), "private, no-cache");
    let cookie = sign_in(&server, &token);
    assert_eq!(server.get(&file, &[("Cookie", &cookie)]).status, 200);
}

#[test]
fn probes_answer_unlimited_and_unlogged_and_a_damaged_tokens_file_is_logged_and_not_ready() {
    let (p, token, _) = served_project();
    let server = Server::start(&p, &["--rate-limit", "1", "--log-format", "json"]);
    for _ in 0..20 {
        assert_eq!(server.get("/healthz", &[]).status, 200);
        assert_eq!(server.get("/readyz", &[]).status, 200);
    }
    let r = server.get(BRANDED, &[("Authorization", &bearer(&token))]);
    assert_eq!(r.status, 200, "probes do not use up the client's requests");
    // A damaged tokens file: logged as an error once, every token refused, not ready.
    let good = std::fs::read_to_string(p.root().join("tokens")).unwrap();
    replace_tokens(&p, "riverside-example abc not-a-hash\n");
    std::thread::sleep(Duration::from_millis(1100));
    let denied = server.get(BRANDED, &[("Authorization", &bearer(&token))]);
    assert_eq!(denied.status, 401);
    let not_ready = server.get("/readyz", &[]);
    assert_eq!(not_ready.status, 503);
    assert!(
        not_ready.text().contains("tokens file"),
        "{}",
        not_ready.text()
    );
    replace_tokens(&p, &good);
    assert_eq!(server.get("/readyz", &[]).status, 200);
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(
        server
            .get(BRANDED, &[("Authorization", &bearer(&token))])
            .status,
        200
    );
    server.wait_for_log("the last request", |log| {
        log.matches("edition-branded").count() >= 3
    });
    // Every line is JSON; a request's line has its time, id, route, status and duration
    // and nothing else; the probes have none.
    let log = server.log();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let requests: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l.get("request").is_some())
        .collect();
    assert_eq!(requests.len(), 3, "{log}");
    for line in &requests {
        let mut keys: Vec<&str> = line
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "duration-ms",
                "level",
                "method",
                "request",
                "route",
                "status",
                "time"
            ],
            "{line}"
        );
        assert_eq!(line["route"], "edition-branded");
    }
    let errors: Vec<&serde_json::Value> = lines.iter().filter(|l| l["level"] == "error").collect();
    assert_eq!(errors.len(), 1, "{log}");
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("every token and session is refused"));
    assert!(!log.contains("healthz") && !log.contains("readyz"), "{log}");
    assert!(!log.contains(&token));
}

#[test]
fn clients_that_trickle_their_headers_or_body_are_cut_off() {
    let (p, _, _) = served_project();
    let server = Server::start(&p, &["--read-timeout", "2"]);
    let addr = server.addr;
    // 100 connections sending a header line every 200 ms would take 40 s to send 200 lines.
    let trickling: Vec<_> = (0..100)
        .map(|_| {
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(addr).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_millis(10)))
                    .unwrap();
                let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n");
                for _ in 0..200 {
                    std::thread::sleep(Duration::from_millis(200));
                    if stream.write_all(b"X-Slow: 1\r\n").is_err() {
                        return true;
                    }
                    let mut byte = [0u8; 64];
                    match stream.read(&mut byte) {
                        Ok(_) => return true,
                        Err(e)
                            if e.kind() == std::io::ErrorKind::WouldBlock
                                || e.kind() == std::io::ErrorKind::TimedOut => {}
                        Err(_) => return true,
                    }
                }
                false
            })
        })
        .collect();
    // Meanwhile the server answers others.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(server.get("/healthz", &[]).status, 200);
    assert_eq!(server.get("/all-treatment/leaflet-dl.pdf", &[]).status, 200);
    let cut = trickling
        .into_iter()
        .map(|t| t.join().unwrap())
        .filter(|cut| *cut)
        .count();
    assert_eq!(
        cut, 100,
        "every trickling connection is closed by the server"
    );
    // A body that trickles is answered 408.
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    stream
        .write_all(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ntoken=")
        .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    assert!(
        String::from_utf8_lossy(&raw).starts_with("HTTP/1.1 408"),
        "{}",
        String::from_utf8_lossy(&raw)
    );
}

#[test]
fn a_hospital_sees_sign_in_and_its_forms_on_the_catalogue_and_clear_answers() {
    let (p, token, _) = served_project();
    let server = Server::start(&p, &[]);
    let auth = bearer(&token);
    // The catalogue through the server: its own script may run; a link to sign in.
    let home = server.get("/", &[]);
    assert_eq!(home.status, 200);
    // (The templates write `/` in attributes as `&#x2f;`, which browsers read as `/`.)
    let decoded = |r: &Response| r.text().replace("&#x2f;", "/");
    assert!(
        home.text().contains("<script src=\"site.js\">"),
        "the catalogue page"
    );
    assert!(
        home.header("content-security-policy")
            .contains("script-src 'self'"),
        "{:?}",
        home.headers
    );
    assert!(
        decoded(&home).contains("href=\"/login?next=%2F\""),
        "{}",
        home.text()
    );
    let script = server.get("/site.js", &[]);
    assert_eq!(script.status, 200);
    // Signed in: the forms of each brandable edition, on the catalogue and the
    // publication's page, and a way to sign out; the public page is unchanged on disk.
    let cookie = sign_in(&server, &token);
    for page in ["/", "/all-treatment/"] {
        let r = server.get(page, &[("Cookie", &cookie)]);
        let html = decoded(&r);
        for edition in ["booklet", "leaflet-a5", "leaflet-dl"] {
            let form = format!("href=\"/all-treatment/{edition}/personalise?brand={EXAMPLE}\"");
            assert!(html.contains(&form), "{page}: {form} missing");
        }
        assert!(!html.contains("/large-print/personalise"), "{page}");
        assert!(html.contains("action=\"/logout\""), "{page}");
        assert!(
            html.contains("Riverside Example Hospitals (fictional)"),
            "{page}"
        );
        assert_eq!(r.header("cache-control"), "no-store", "{page}");
    }
    let on_disk = std::fs::read_to_string(p.root().join("dist/index.html")).unwrap();
    assert!(
        !on_disk.contains("/login"),
        "the static catalogue has no sign-in"
    );
    // A personalised leaflet is saved under its own name.
    let made = server.post(FORM, &[("Authorization", &auth)], "contact-name=Sam+Taylor");
    assert_eq!(made.status, 200);
    let name = made.header("content-disposition");
    assert!(
        name.contains("all-treatment-leaflet-dl-riverside-example-personalised.pdf"),
        "{name}"
    );
    assert!(!name.contains("Sam"), "{name}");
    // An emoji or a CJK name: 422, with the reason beside the field.
    for name in ["Sam+%F0%9F%98%80", "%E5%B1%B1%E7%94%B0"] {
        let r = server.post(
            FORM,
            &[("Authorization", &auth)],
            &format!("contact-name={name}"),
        );
        assert_eq!(r.status, 422, "{name}: {}", r.text());
        let page = r.text();
        let error = page
            .split("id=\"contact-name-error\">")
            .nth(1)
            .unwrap_or_else(|| panic!("{page}"));
        assert!(error.starts_with("Name has "), "{error}");
        assert!(error.contains("cannot print"), "{error}");
    }
    // An edition without the hospital block says so.
    let large = server.get(
        "/all-treatment/large-print.pdf?brand=riverside-example",
        &[("Authorization", &auth), ("Accept", "application/json")],
    );
    assert_eq!(large.status, 404);
    let json: serde_json::Value = serde_json::from_slice(&large.body).unwrap();
    let message = json["message"].as_str().unwrap();
    assert!(
        message.contains("has no \"Your hospital team\" block"),
        "{message}"
    );
    assert!(
        message.contains("booklet, braille, ebook, leaflet-a5, leaflet-dl"),
        "{message}"
    );
    // Help lists only what does something there, and tells --workers from --jobs.
    let serve = p.folio(&["serve", "--help"]);
    assert!(!serve.stdout.contains("-j, --jobs"), "{}", serve.stdout);
    assert!(serve.stdout.contains("--workers <N>"));
    assert!(
        serve.stdout.contains("takes the place of --jobs"),
        "{}",
        serve.stdout
    );
    for help in [
        p.folio(&["token", "--help"]),
        p.folio(&["token", "new", "--help"]),
    ] {
        assert!(!help.stdout.contains("--jobs"), "{}", help.stdout);
        assert!(
            !help.stdout.contains("--source-date-epoch"),
            "{}",
            help.stdout
        );
    }
    assert!(p.folio(&["build", "--help"]).stdout.contains("-j, --jobs"));
}

#[test]
fn a_publication_built_and_a_brand_changed_after_the_start_are_served_without_a_restart() {
    let (p, token, _) = served_project();
    let server = Server::start(&p, &[]);
    let auth = bearer(&token);
    let new = "/zebrafinch-guide/leaflet-dl.pdf?brand=riverside-example";
    assert_eq!(server.get(new, &[("Authorization", &auth)]).status, 404);
    let source = std::fs::read_to_string(p.root().join("content/all-treatment/all-treatment.md"))
        .unwrap()
        .replace(
            "title: Treatment for acute lymphoblastic leukaemia (ALL)",
            "title: Zebrafinch guide to treatment",
        )
        .replace("FOL-ALL-001", "FOL-ZEB-001");
    p.file(
        "content/zebrafinch-guide/zebrafinch-guide.md",
        source.as_bytes(),
    );
    p.folio(&["build", "--quiet", "zebrafinch-guide"])
        .succeeds();
    server.wait_for_log("the new publication", |log| {
        log.contains("zebrafinch-guide: loaded")
    });
    let r = server.get(new, &[("Authorization", &auth)]);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(pdf_text(&r.body).contains("Zebrafinch guide"));
    // A changed brand: its new details from the next request on, never the cached old copy.
    let yaml = p.root().join("brands/riverside-example/brand.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap().replace(
        "Riverside Example Hospitals (fictional)",
        "Riverside Renamed Trust (fictional)",
    );
    std::fs::write(&yaml, text).unwrap();
    server.wait_for_log("the changed brand", |log| log.contains("brands/ changed"));
    let r = server.get(BRANDED, &[("Authorization", &auth)]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-folio-cache"), "miss");
    assert!(pdf_text(&r.body).contains("Riverside Renamed Trust"));
}

#[test]
fn a_co_branded_braille_file_and_e_book_are_made_on_demand_served_with_their_types_and_cached() {
    use crate::formats::braille::{back_translate, words};
    use crate::formats::epub::{epubcheck, zip_entry};
    crate::formats::ensure_liblouis();
    let (p, token, other) = served_project();
    let server = Server::start(&p, &["--compile-timeout", "600"]);
    let auth = bearer(&token);
    // The public braille file is the built one, as ASCII text saved under its name.
    let public = server.get("/all-treatment/braille.brf", &[]);
    assert_eq!(public.status, 200);
    assert_eq!(
        public.header("content-type"),
        "text/plain; charset=us-ascii"
    );
    let built = p
        .root()
        .join("dist/all-treatment/all-treatment-braille.brf");
    assert_eq!(public.body, std::fs::read(built).unwrap());

    // Co-branded braille: that brand's only, made once, then from the cache.
    let braille = "/all-treatment/braille.brf?brand=riverside-example";
    assert_eq!(server.get(braille, &[]).status, 401);
    assert_eq!(
        server
            .get(braille, &[("Authorization", &bearer(&other))])
            .status,
        403
    );
    let first = server.get(braille, &[("Authorization", &auth)]);
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.header("content-type"), "text/plain; charset=us-ascii");
    assert_eq!(
        first.header("content-disposition"),
        "attachment; filename=\"all-treatment-braille-riverside-example.brf\""
    );
    assert_eq!(first.header("x-folio-cache"), "miss");
    let back = words(&back_translate("en-ueb-g2.ctb", &first.text()));
    assert!(back.contains("01632 960 123"), "{back}");
    let repeat = server.get(braille, &[("Authorization", &auth)]);
    assert_eq!(repeat.header("x-folio-cache"), "hit");
    assert_eq!(repeat.body, first.body);

    // The co-branded e-book: its team section gives the phone number, and EPUBCheck passes it.
    let book = server.get(
        "/all-treatment/ebook.epub?brand=riverside-example",
        &[("Authorization", &auth)],
    );
    assert_eq!(book.status, 200, "{}", book.text());
    assert_eq!(book.header("content-type"), "application/epub+zip");
    assert_eq!(
        book.header("content-disposition"),
        "attachment; filename=\"all-treatment-ebook-riverside-example.epub\""
    );
    let text = zip_entry(&book.body, "EPUB/text.xhtml");
    let team = &text[text.find(r#"id="team""#).expect("the team section")..];
    assert!(team.contains("Day unit: 01632 960 123"), "{team}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("branded.epub");
    std::fs::write(&file, &book.body).unwrap();
    let (ok, report) = epubcheck(&file);
    assert!(ok, "{report}");

    // A download is known by its kind's extension: braille is not a PDF.
    let wrong = "/all-treatment/braille.pdf?brand=riverside-example";
    assert_eq!(server.get(wrong, &[("Authorization", &auth)]).status, 404);
}
