//! The live preview page, end to end in headless Chromium: load it, save a change, see the
//! new page image; save a mistake, see the diagnostic in the page.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions, Tab};

use crate::support::{doc, TestProject};

const CHROMIUM: &str = "/usr/bin/chromium";
const WAIT: Duration = Duration::from_secs(60);

/// Debian's Chromium, installed by this test's own setup when it is missing (as root).
pub(crate) fn ensure_chromium() {
    if Path::new(CHROMIUM).exists() {
        return;
    }
    let script = crate::support::repo().join("tests/setup/install-chromium.sh");
    let status = Command::new("bash")
        .arg(&script)
        .status()
        .expect("runs the setup script");
    assert!(
        status.success() && Path::new(CHROMIUM).exists(),
        "could not install Chromium: run {} as root",
        script.display()
    );
}

/// `folio watch --serve` in the project, with its stderr lines on a channel.
struct Watcher {
    child: Child,
    lines: Receiver<String>,
}

impl Watcher {
    fn start(p: &TestProject, port: u16) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["watch", "--serve", "--port", &port.to_string()])
            .current_dir(p.root())
            .env("FOLIO_TODAY", crate::support::TODAY)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("folio watch starts");
        let (tx, lines) = channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watcher { child, lines }
    }

    /// Waits for a status line containing `text` (the watch prints one after each rebuild).
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + WAIT;
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            match self.lines.recv_timeout(Duration::from_millis(200)) {
                Ok(line) if line.contains(text) => return line,
                Ok(line) => seen.push(line),
                Err(_) => {}
            }
        }
        panic!("no line with {text:?}; saw:\n{}", seen.join("\n"));
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) fn browser(profile: &Path) -> Browser {
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(CHROMIUM.into()))
        .headless(true)
        .sandbox(false)
        .user_data_dir(Some(profile.to_path_buf()))
        .window_size(Some((1280, 900)))
        .args(args)
        .idle_browser_timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    Browser::new(options).expect("Chromium starts")
}

/// Polls the page until `probe` returns something.
pub fn until<T>(tab: &Tab, what: &str, mut probe: impl FnMut(&Tab) -> Option<T>) -> T {
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        if let Some(v) = probe(tab) {
            return v;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let html = tab.get_content().unwrap_or_default();
    panic!("the page never showed {what}:\n{html}");
}

fn attribute(tab: &Tab, selector: &str, name: &str) -> Option<String> {
    tab.find_element(selector)
        .ok()?
        .get_attribute_value(name)
        .ok()?
}

#[test]
fn the_preview_page_refreshes_after_a_save_and_shows_diagnostics() {
    ensure_chromium();
    let p = TestProject::new();
    p.publication("leaflet", &doc("## Tests\n\nYou have a blood test.\n"));
    let port = free_port();
    let watch = Watcher::start(&p, port);
    watch.wait_for("[watch] rebuilt");

    let profile = tempfile::tempdir().unwrap();
    let browser = browser(profile.path());
    let tab = browser.new_tab().unwrap();
    // No wait for "navigated": the page keeps its event stream open, so loading never ends.
    tab.navigate_to(&format!("http://127.0.0.1:{port}/"))
        .unwrap();
    let first = "img[alt='leaflet-a5, page 1']";
    let before = until(&tab, "the leaflet's first page", |t| {
        attribute(t, first, "src")
    });
    for edition in ["booklet", "large-print", "leaflet-dl"] {
        assert!(
            tab.find_element(&format!("img[alt='{edition}, page 1']"))
                .is_ok(),
            "{edition} shown side by side"
        );
    }

    // An editor saves a change: the page reloads by itself with the new image.
    p.publication(
        "leaflet",
        &doc("## Tests\n\nYou have a urine test and a blood test.\n"),
    );
    watch.wait_for("[watch] rebuilt");
    let after = until(&tab, "a new page image", |t| {
        attribute(t, first, "src").filter(|s| *s != before)
    });
    let png = http_get(port, &after);
    assert!(
        png.starts_with(b"\x89PNG"),
        "the image is served: {after} gave {:?}",
        String::from_utf8_lossy(&png[..png.len().min(200)])
    );

    // A mistake: the diagnostic appears in the page, the last good pages stay.
    p.publication("leaflet", &doc("## Tests {.poster}\n\nText.\n"));
    watch.wait_for("build failed");
    let text = until(&tab, "the diagnostic", |t| {
        t.find_element("#diagnostics").ok()?.get_inner_text().ok()
    });
    assert!(
        text.contains("no edition or class is called `poster`"),
        "{text}"
    );
    assert!(text.contains("leaflet.md:14:1"), "{text}");
    assert!(
        tab.find_element(first).is_ok(),
        "the last good pages are still shown"
    );

    // Keep a picture of the page for the README (written under target/, not into the repo).
    let shot = tab
        .capture_screenshot(
            headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png,
            None,
            None,
            true,
        )
        .unwrap();
    let _ = std::fs::write(crate::support::repo().join("target/preview-page.png"), shot);
}

/// A plain HTTP GET of `path` on the preview server (no client crate needed for one request).
fn http_get(port: u16, path: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    // HTTP/1.0: the answer comes whole, not in chunks.
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let body = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(0, |i| i + 4);
    response[body..].to_vec()
}

#[test]
fn the_preview_page_tells_the_watch_what_is_on_screen_and_passes_axe_with_its_toggle() {
    ensure_chromium();
    let p = TestProject::new();
    p.publication("leaflet", &doc("## Tests\n\nYou have a blood test.\n"));
    let port = free_port();
    let watch = Watcher::start(&p, port);
    watch.wait_for("[watch] rebuilt");

    let profile = tempfile::tempdir().unwrap();
    let browser = browser(profile.path());
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("http://127.0.0.1:{port}/"))
        .unwrap();
    until(&tab, "the booklet's pages", |t| {
        t.find_element("img[alt='booklet, page 2']")
            .ok()
            .map(|_| ())
    });
    let axe = crate::serve::axe_source();
    let violations = crate::serve::axe_violations(&tab, &axe);
    assert!(violations.is_empty(), "{violations:#?}");
    let toggle = tab.find_element("button#marks").unwrap();
    assert_eq!(
        toggle
            .get_attribute_value("aria-pressed")
            .unwrap()
            .as_deref(),
        Some("false")
    );
    assert!(toggle
        .get_inner_text()
        .unwrap()
        .contains("change marks since the approved version"));

    // The page says what is on screen by itself: the next save makes those pages first.
    std::thread::sleep(Duration::from_millis(1000));
    p.publication(
        "leaflet",
        &doc("## Tests\n\nYou have a urine test and a blood test.\n"),
    );
    let line = watch.wait_for("[watch] on screen: leaflet ");
    assert!(line.contains("updated"), "{line}");
    watch.wait_for("[watch] rebuilt");
}
