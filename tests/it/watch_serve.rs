//! `folio watch --serve` as an editor uses it, over HTTP: the page tells the watch what is on
//! screen and gets that page first after a save; the change-marks toggle shows the booklet
//! as the reviewer's PDF lays it out, following every save. The pages served are compared,
//! pixel by pixel, with the pages laid out here from the same text.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use folio::cmd::review::{self, ReviewPlan};
use typst_layout::PagedDocument;

use crate::support::{doc, TestProject};

const WAIT: Duration = Duration::from_secs(120);
const BODY: &str =
    "## Tests\n\nYou have a blood test every week.\n\n## Support\n\nTalk to your nurse.\n";

/// `folio watch --serve --port 0` in the project: its address, and its stderr lines.
struct Served {
    child: Child,
    lines: Receiver<String>,
    port: u16,
}

impl Served {
    fn start(p: &TestProject) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["watch", "--serve", "--port", "0", "leaflet"])
            .current_dir(p.root())
            .env("FOLIO_TODAY", crate::support::TODAY)
            .env("SOURCE_DATE_EPOCH", "1790000000")
            .env_remove("FOLIO_ROOT")
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
        let mut served = Served {
            child,
            lines,
            port: 0,
        };
        let line = served.wait_for("preview page: http://127.0.0.1:");
        let port = line.rsplit(':').next().unwrap().trim_end_matches('/');
        served.port = port.parse().expect("a port number");
        served
    }

    /// Waits for a line of standard error containing `text`; returns it.
    fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |line| line.contains(text))
    }

    /// Waits for a line of standard error that `fits`; returns it.
    fn wait_until(&self, what: &str, fits: impl Fn(&str) -> bool) -> String {
        let text = what;
        let deadline = Instant::now() + WAIT;
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            match self.lines.recv_timeout(Duration::from_millis(200)) {
                Ok(line) if fits(&line) => return line,
                Ok(line) => seen.push(line),
                Err(_) => {}
            }
        }
        panic!("no line with {text:?}; saw:\n{}", seen.join("\n"));
    }

    /// A GET on the preview server: the body.
    fn get(&self, path: &str) -> Vec<u8> {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let body = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(0, |i| i + 4);
        response[body..].to_vec()
    }

    /// The image address the preview page shows under `alt`.
    fn image(&self, alt: &str) -> String {
        let html = String::from_utf8(self.get("/")).unwrap();
        let at = html
            .find(&format!("alt=\"{alt}\""))
            .unwrap_or_else(|| panic!("no image {alt:?} on the page:\n{html}"));
        let src = html[..at].rfind("src=\"").unwrap() + "src=\"".len();
        html[src..].split('"').next().unwrap().to_string()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Page `n` (1-based) of `doc` as the previews draw it, as plain RGBA pixels.
fn drawn(doc: &PagedDocument, n: usize) -> Vec<u8> {
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(folio::export::preview::PIXEL_PER_PT),
        render_bleed: true,
    };
    typst_render::render(&doc.pages()[n - 1], &options).take()
}

/// A served PNG's pixels.
fn pixels(png: &[u8]) -> Vec<u8> {
    image::load_from_memory(png)
        .expect("a PNG is served")
        .to_rgba8()
        .into_raw()
}

/// The 1-based number of the page of `doc` whose text contains `word`.
fn page_with(doc: &PagedDocument, word: &str) -> usize {
    folio::inspect::page_texts(doc)
        .iter()
        .position(|t| t.contains(word))
        .unwrap_or_else(|| panic!("no page says {word:?}"))
        + 1
}

#[test]
fn the_page_on_screen_is_pushed_first_after_a_save_with_the_new_word() {
    let p = TestProject::new();
    p.publication("leaflet", &doc(BODY));
    let watch = Served::start(&p);
    watch.wait_for("[watch] rebuilt");

    // The page says the booklet's text page is on screen.
    let booklet = p.make("leaflet", "booklet").unwrap().typeset.unwrap().doc;
    let n = page_with(&booklet, "blood test every");
    assert_eq!(
        watch.get(&format!("/__folio/showing/leaflet/booklet/{n}")),
        b"noted"
    );
    let alt = format!("booklet, page {n}");
    let before = watch.get(&watch.image(&alt));
    let pdf_before = p.pdf("leaflet", "booklet");

    p.publication("leaflet", &doc(&BODY.replace("blood test", "urine test")));
    // That page first, alone, before the rebuild of every edition (a status line of its
    // own, before the next "rebuilt").
    let on_screen = "[watch] on screen: leaflet booklet page(s) ";
    watch.wait_until(on_screen, |line| {
        line.strip_prefix(on_screen)
            .and_then(|rest| rest.split(" updated").next())
            .is_some_and(|pages| pages.split(", ").any(|p| p == n.to_string()))
    });
    let served = watch.get(&watch.image(&alt));
    assert_ne!(served, before, "the page on screen was drawn again");
    let booklet = p.make("leaflet", "booklet").unwrap().typeset.unwrap().doc;
    assert_eq!(page_with(&booklet, "urine test every"), n);
    assert!(
        pixels(&served) == drawn(&booklet, n),
        "the page served is the new text's page {n}, pixel for pixel"
    );
    // Then the rest: every edition's PDF written again.
    watch.wait_for("[watch] rebuilt");
    assert_ne!(p.pdf("leaflet", "booklet"), pdf_before);
}

#[test]
fn with_change_marks_on_the_booklet_is_shown_as_the_review_lays_it_out_after_every_save() {
    let p = TestProject::new();
    p.publication("leaflet", &doc(BODY));
    p.folio(&["approve", "leaflet", "--by", "Dr Ada Lane, Consultant"])
        .succeeds();
    let watch = Served::start(&p);
    watch.wait_for("[watch] rebuilt");

    assert_eq!(watch.get("/__folio/marks/on"), b"on");
    watch.wait_for("change marks:");
    let html = String::from_utf8(watch.get("/")).unwrap();
    assert!(html.contains("aria-pressed=\"true\""), "{html}");
    assert!(html.contains("with change marks since version"), "{html}");

    p.publication("leaflet", &doc(&BODY.replace("blood test", "urine test")));
    watch.wait_for("change marks:");

    // The review as `folio review` lays it out now: the new word marked as inserted.
    let session = p.session();
    let plan = ReviewPlan {
        key: "leaflet".into(),
        since: None,
        edition: None,
        out: p.root().join("review-here"),
    };
    let made = review::make(&session, &plan).unwrap();
    let marked = made.doc.expect("the review is laid out");
    let n = page_with(&marked, "urine");
    assert!(
        folio::inspect::page_texts(&marked)[n - 1].contains("Inserted:"),
        "the change is announced on its page"
    );
    let alt = format!("{} with change marks, page {n}", made.edition);
    let served = watch.get(&watch.image(&alt));
    assert!(
        pixels(&served) == drawn(&marked, n),
        "the marked page {n} is served as the review lays it out"
    );
    // It is not any page of the plain booklet.
    let plain = p
        .make("leaflet", &made.edition)
        .unwrap()
        .typeset
        .unwrap()
        .doc;
    for i in 1..=plain.pages().len() {
        assert!(pixels(&served) != drawn(&plain, i), "plain page {i}");
    }
    // The reviewer's PDF is written where `folio review` writes it.
    let written = p
        .root()
        .join("dist/leaflet/review")
        .join(made.path.file_name().unwrap());
    assert!(written.is_file(), "{}", written.display());

    // Off again: the plain pages.
    assert_eq!(watch.get("/__folio/marks/off"), b"off");
    watch.wait_for("[watch] change marks off");
    let html = String::from_utf8(watch.get("/")).unwrap();
    assert!(html.contains("aria-pressed=\"false\""), "{html}");
    assert!(!html.contains("data-marked"), "{html}");
}
