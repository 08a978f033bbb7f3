//! The catalogue, a web edition and a partner's page in headless Chromium, opened from
//! `file://` as a hospital might: axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation at
//! 1280 and at 320 px wide, nothing scrolls sideways at 320 px, and the keyboard works (a skip link,
//! a visible focus, a labelled search whose results are announced).

use std::path::{Path, PathBuf};
use std::process::Command;

use headless_chrome::protocol::cdp::Emulation::SetDeviceMetricsOverride;
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::Tab;

use super::{publication, BODY};
use crate::browser::{browser, ensure_chromium};
use crate::support::{copy_tree, repo, TestProject};

/// axe-core's script, installed by `tests/setup/install-axe.sh` (npm package `axe-core`,
/// MPL-2.0) when it is missing.
fn axe() -> String {
    let dir = repo().join("target/axe-core");
    let file = dir.join("axe.min.js");
    if !file.exists() {
        let script = repo().join("tests/setup/install-axe.sh");
        let status = Command::new("bash")
            .arg(&script)
            .arg(&dir)
            .status()
            .expect("runs the setup script");
        assert!(
            status.success(),
            "could not install axe-core: run {}",
            script.display()
        );
    }
    std::fs::read_to_string(file).unwrap()
}

fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    let result = tab
        .evaluate(js, true)
        .unwrap_or_else(|e| panic!("{js}: {e}"));
    result.value.unwrap_or(serde_json::Value::Null)
}

fn width(tab: &Tab, px: u32) {
    tab.call_method(SetDeviceMetricsOverride {
        width: px,
        height: 900,
        device_scale_factor: 1.0,
        mobile: false,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .unwrap();
}

/// axe's violations of the WCAG 2.0, 2.1 and 2.2 A and AA rules on the open page.
fn violations(tab: &Tab, axe: &str) -> Vec<String> {
    eval(tab, axe);
    let found = eval(
        tab,
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})\
         .then(r => JSON.stringify([r.passes.length, r.violations.map(v => v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))]))",
    );
    let (passes, violations): (usize, Vec<String>) =
        serde_json::from_str(found.as_str().unwrap()).unwrap();
    assert!(passes > 10, "axe ran its rules ({passes} passed)");
    violations
}

fn open(tab: &Tab, file: &Path) {
    tab.navigate_to(&format!("file://{}", file.display()))
        .unwrap();
    tab.wait_until_navigated().unwrap();
}

#[test]
fn the_catalogue_and_a_web_edition_are_accessible_at_1280_and_320_px() {
    ensure_chromium();
    let axe = axe();
    let p = TestProject::shipped();
    p.publication(
        "blood",
        &publication("Blood tests", "TEST-001", "2027-01-15", BODY),
    );
    copy_tree(&repo().join("brands"), &p.root().join("brands"));
    // Two approved versions: the web edition lists what changed in each.
    super::feed::two_approved_versions(&p);
    p.folio(&["build", "--brand", "riverside-example"])
        .succeeds();
    let dist = p.root().join("dist");
    let profile = tempfile::tempdir().unwrap();
    let browser = browser(profile.path());
    let tab = browser.new_tab().unwrap();
    for page in [
        dist.join("index.html"),
        dist.join("all-treatment/index.html"),
        dist.join("brand-riverside-example.html"),
    ] {
        for px in [1280, 320] {
            width(&tab, px);
            open(&tab, &page);
            let found = violations(&tab, &axe);
            assert!(
                found.is_empty(),
                "{} at {px} px:\n{}",
                page.display(),
                found.join("\n")
            );
            let sideways = eval(
                &tab,
                "document.documentElement.scrollWidth - document.documentElement.clientWidth",
            );
            assert_eq!(
                sideways,
                0,
                "{} scrolls sideways at {px} px",
                page.display()
            );
        }
    }
    width(&tab, 1280);
    open(&tab, &dist.join("index.html"));
    let shot = tab
        .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
        .unwrap();
    let _ = std::fs::write(repo().join("target/catalogue.png"), shot);
}

#[test]
fn the_catalogue_works_from_the_keyboard_and_announces_search_results() {
    ensure_chromium();
    let p = TestProject::new();
    p.publication(
        "aa-blood",
        &publication("Blood tests", "TEST-001", "2029-06-01", BODY),
    );
    let leaflet_only = publication("Bone marrow tests", "TEST-002", "2029-06-01", BODY).replacen(
        "---\n\n",
        "editions: [leaflet]\n---\n\n",
        1,
    );
    p.publication("zz-bone", &leaflet_only);
    p.folio(&["build"]).succeeds();
    let profile = tempfile::tempdir().unwrap();
    let browser = browser(profile.path());
    let tab = browser.new_tab().unwrap();
    let index: PathBuf = p.root().join("dist/index.html");
    open(&tab, &index);

    // The first Tab reaches the skip link, which then shows, with a visible focus.
    tab.press_key("Tab").unwrap();
    let focused = eval(&tab, "JSON.stringify([document.activeElement.textContent, document.activeElement.getBoundingClientRect().top >= 0, getComputedStyle(document.activeElement).outlineStyle, getComputedStyle(document.activeElement).outlineWidth])");
    let focused: Vec<serde_json::Value> = serde_json::from_str(focused.as_str().unwrap()).unwrap();
    assert_eq!(focused[0], "Skip to main content");
    assert_eq!(focused[1], true, "the skip link comes into view");
    assert_eq!(focused[2], "solid");
    assert_eq!(focused[3], "3px");
    tab.press_key("Enter").unwrap();
    assert_eq!(eval(&tab, "document.activeElement.id"), "folio-main");

    // The search box shows with scripts, is labelled, and filtering is announced.
    assert_eq!(
        eval(&tab, "document.getElementById('folio-filters').hidden"),
        false
    );
    assert_eq!(
        eval(
            &tab,
            "document.getElementById('folio-q').labels[0].textContent"
        ),
        "Search by title, product code or words"
    );
    tab.find_element("#folio-q").unwrap().click().unwrap();
    tab.type_str("TEST-002").unwrap();
    let shown = (0..50)
        .map(|_| {
            std::thread::sleep(std::time::Duration::from_millis(100));
            eval(&tab, "document.getElementById('folio-count').textContent")
        })
        .find(|t| t != "2 publications")
        .expect("the count changes");
    assert_eq!(shown, "1 of 2 publications shown");
    assert_eq!(
        eval(
            &tab,
            "document.getElementById('folio-count').getAttribute('aria-live')"
        ),
        "polite"
    );
    let visible = eval(&tab, "JSON.stringify([...document.querySelectorAll('#folio-list > li')].filter(li => !li.hidden).map(li => li.querySelector('h2').textContent))");
    assert_eq!(visible, "[\"Bone marrow tests\"]");
    // A word of the summary finds both; the format filter keeps those made in it.
    eval(&tab, "const q = document.getElementById('folio-q'); q.value = 'treated'; q.dispatchEvent(new Event('input'))");
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert_eq!(
        eval(&tab, "document.getElementById('folio-count').textContent"),
        "2 publications"
    );
    eval(&tab, "const f = document.getElementById('folio-format'); f.value = [...f.options].find(o => o.text === 'Large print').value; f.dispatchEvent(new Event('change'))");
    assert_eq!(
        eval(&tab, "document.getElementById('folio-count').textContent"),
        "1 of 2 publications shown"
    );
    let visible = eval(&tab, "JSON.stringify([...document.querySelectorAll('#folio-list > li')].filter(li => !li.hidden).map(li => li.querySelector('h2').textContent))");
    assert_eq!(visible, "[\"Blood tests\"]");
}
