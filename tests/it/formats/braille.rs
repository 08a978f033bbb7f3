//! The braille edition: liblouis's translation set out on 40 × 25 pages.

use std::process::Command;

use folio::formats::braille::{braille, Braille, BrailleError, BrailleSettings};

use super::ensure_liblouis;
use crate::languages::samples;
use crate::support::{doc, TestProject};

/// The braille edition of publication `key` in `project`, with the default settings.
fn make(project: &TestProject, key: &str) -> Result<Braille, BrailleError> {
    ensure_liblouis();
    let session = project.session();
    let publication = session
        .load(&crate::support::key(key))
        .expect("publication loads");
    braille(
        &session.root,
        &session.project,
        &publication,
        "braille",
        &[],
        &BrailleSettings::default(),
        None,
    )
}

/// `text` translated by `lou_translate` with `table`, in liblouis's own ASCII braille.
pub fn lou_translate(table: &str, text: &str) -> String {
    run_lou_translate("--forward", table, &format!("{text}\n"))
}

/// `lou_translate DIRECTION TABLE` with `input` on its standard input: what it printed.
fn run_lou_translate(direction: &str, table: &str, input: &str) -> String {
    use std::io::Write;
    let mut child = Command::new("lou_translate")
        .args([direction, table])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// What `lou_translate --backward` with `table` reads in BRF text, line by line (liblouis's
/// ASCII braille is lower case where a BRF file is upper case; it reads one line at a time).
pub fn back_translate(table: &str, brf: &str) -> String {
    let lines: String = brf
        .split(['\r', '\n', '\u{c}'])
        .filter(|l| !l.trim().is_empty())
        // lou_translate reads `\` as an escape; in braille ASCII it is a cell (dots 1256).
        .map(|l| format!("{}\n", l.to_lowercase().replace('\\', "\\\\")))
        .collect();
    run_lou_translate("--backward", table, &lines)
}

/// Words of braille text with every run of spaces as one.
pub fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The pages of a BRF file.
fn pages(brf: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(brf).expect("a BRF file is ASCII");
    text.split('\u{c}')
        .map(|page| {
            page.strip_suffix("\r\n")
                .unwrap_or(page)
                .split("\r\n")
                .map(str::to_string)
                .collect()
        })
        .collect()
}

#[test]
fn the_first_braille_page_shows_the_title_as_lou_translate_writes_it_in_ueb_grade_2() {
    let b = make(&TestProject::shipped(), "all-treatment").expect("braille is made");
    assert_eq!(b.table, "en-ueb-g2.ctb");
    let first = &pages(&b.brf)[0];
    // Under the page number's line.
    let title: Vec<&str> = first[1..]
        .iter()
        .map(|l| l.trim())
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .collect();
    let expected = lou_translate(
        "en-ueb-g2.ctb",
        "Treatment for acute lymphoblastic leukaemia (ALL)",
    );
    assert_eq!(words(&title.join(" ")), words(&expected.to_uppercase()));
    // Centred: each title line has as many blank cells before it as after it, give or take one.
    for line in first.iter().filter(|l| title.contains(&l.trim())) {
        let before = line.len() - line.trim_start().len();
        let after = 40 - line.trim_end().len();
        assert!(before.abs_diff(after) <= 1, "not centred: {line:?}");
    }
}

#[test]
fn braille_pages_are_at_most_40_cells_by_25_lines_with_a_form_feed_between_and_numbered() {
    let b = make(&TestProject::shipped(), "all-treatment").expect("braille is made");
    let pages = pages(&b.brf);
    assert!(b.pages > 3, "{} pages", b.pages);
    assert_eq!(pages.len(), b.pages);
    assert_eq!(
        b.brf.iter().filter(|&&c| c == 0x0c).count(),
        b.pages - 1,
        "one form feed between pages"
    );
    for (i, page) in pages.iter().enumerate() {
        assert_eq!(page.len(), 25, "page {}", i + 1);
        for line in page {
            assert!(line.len() <= 40, "page {}: {line:?}", i + 1);
            assert!(line.bytes().all(|c| (0x20..0x60).contains(&c)), "{line:?}");
        }
        // The braille page number at the right of the first line, as UK braille has it: #
        // and the letters a–j, with nothing else on that line.
        let number: String = (i + 1)
            .to_string()
            .bytes()
            .map(|d| b"JABCDEFGHI"[(d - b'0') as usize] as char)
            .collect();
        assert_eq!(
            page[0].trim_start(),
            format!("#{number}"),
            "page {}: {:?}",
            i + 1,
            page[0]
        );
        assert_eq!(
            page[0].len(),
            40,
            "page {}: the number ends at the margin",
            i + 1
        );
    }
    // The Unicode copy shows the same dots: U+2800 to U+283F and the same lines.
    let unicode_pages: Vec<&str> = b.unicode.split('\u{c}').collect();
    assert_eq!(unicode_pages.len(), b.pages);
    assert!(b
        .unicode
        .chars()
        .all(|c| c == '\n' || c == '\u{c}' || ('\u{2800}'..='\u{283F}').contains(&c)));
}

#[test]
fn the_contents_page_lists_the_sections_with_their_braille_pages() {
    let b = make(&TestProject::shipped(), "all-treatment").expect("braille is made");
    let pages = pages(&b.brf);
    let contents = lou_translate("en-ueb-g2.ctb", "Contents").to_uppercase();
    let page = pages
        .iter()
        .position(|p| p.iter().any(|l| l.trim() == contents))
        .expect("a contents page");
    assert_eq!(page, 1, "the contents follow the title page");
    let heading = lou_translate("en-ueb-g2.ctb", "Your hospital team").to_uppercase();
    let entry = pages[page]
        .iter()
        .chain(&pages[page + 1])
        .find(|l| l.starts_with(&heading))
        .expect("the team section is listed");
    // Guide dots (dots 5: `"`) lead to the page number, the page the heading is on.
    let number = entry.rsplit(' ').next().unwrap();
    assert!(entry.contains("\"\""), "{entry}");
    let on = pages
        .iter()
        .position(|p| p[0].trim_start() == number)
        .expect("the listed page exists");
    assert!(
        pages[on].iter().any(|l| l.trim() == heading),
        "{number}: the heading is on it"
    );
}

#[test]
fn a_table_is_linearised_row_by_row_with_its_column_headings() {
    let p = TestProject::new();
    p.publication(
        "tab",
        &doc("## Doses\n\n| Drug | When |\n|---|---|\n| Vincristine | Weekly |\n| Steroids | Daily |\n"),
    );
    let b = make(&p, "tab").expect("braille is made");
    let text = words(&b.unicode.replace(['\u{2800}', '\n'], " "));
    for row in [
        "Drug: Vincristine; When: Weekly",
        "Drug: Steroids; When: Daily",
    ] {
        let expected = lou_translate("unicode.dis,en-ueb-g2.ctb", row);
        assert!(
            text.contains(&words(&expected.replace('\u{2800}', " "))),
            "{row}"
        );
    }
}

#[test]
fn a_language_without_a_braille_table_is_an_error_at_its_language_line() {
    let p = TestProject::new();
    let front =
        crate::support::fixture("front-matter.yaml").replace("language: en-GB", "language: so");
    p.publication("somali", &format!("{front}Qoraal.\n"));
    let Err(BrailleError::Failed(problem)) = make(&p, "somali") else {
        panic!("a language with no table is refused");
    };
    assert!(problem.message.contains("Somali"), "{}", problem.message);
    let location = problem.location.expect("located");
    assert!(location.file.ends_with("content/somali/somali.md"));
    let line = std::fs::read_to_string(p.root().join("content/somali/somali.md"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("language:"))
        .unwrap()
        + 1;
    assert_eq!(location.line, Some(line));
}

#[test]
fn a_character_the_table_cannot_translate_is_a_finding_at_its_line_and_column() {
    let p = TestProject::new();
    p.publication("emoji", &doc("## Food\n\nEat well \u{1F600} every day.\n"));
    let b = make(&p, "emoji").expect("braille is made");
    assert_eq!(b.findings.len(), 1, "{:?}", b.findings);
    let f = &b.findings[0];
    assert_eq!(f.code.name(), "braille-untranslatable");
    let text = std::fs::read_to_string(p.root().join("content/emoji/emoji.md")).unwrap();
    let line = text.lines().position(|l| l.contains('\u{1F600}')).unwrap() + 1;
    let location = f.location.clone().expect("located");
    assert_eq!((location.line, location.column), (Some(line), Some(10)));
}

#[test]
fn each_test_translation_gets_braille_with_its_languages_table() {
    let p = samples(false);
    for (key, table) in [
        ("sample.cy", "cy-cy-g2.ctb"),
        ("sample.pl", "Pl-Pl-g1.utb"),
        ("sample.ar", "ar-ar-g1.utb"),
        ("sample.ur", "ur-pk-g1.utb,en-ueb-g1.ctb"),
    ] {
        let b = make(&p, key).unwrap_or_else(|e| panic!("{key}: {:?}", e.problem()));
        assert_eq!(b.table, table);
        assert!(b.pages >= 3, "{key}: {} pages", b.pages);
        assert!(b.findings.is_empty(), "{key}: {:?}", b.findings);
    }
}

#[test]
fn a_table_liblouis_cannot_load_is_an_error_naming_it_at_folio_yaml() {
    ensure_liblouis();
    let p = TestProject::shipped();
    let session = p.session();
    let publication = session.load(&crate::support::key("all-treatment")).unwrap();
    let settings = BrailleSettings {
        table: Some("folio-no-such-table.ctb".into()),
        ..BrailleSettings::default()
    };
    let outcome = braille(
        &session.root,
        &session.project,
        &publication,
        "braille",
        &[],
        &settings,
        None,
    );
    let Err(BrailleError::Failed(problem)) = outcome else {
        panic!("a table that does not load is refused");
    };
    assert!(
        problem
            .message
            .contains("cannot load the braille table `folio-no-such-table.ctb`"),
        "{}",
        problem.message
    );
    assert!(problem.location.unwrap().file.ends_with("folio.yaml"));
}

#[test]
fn the_same_source_gives_the_same_braille_bytes() {
    let p = TestProject::shipped();
    let a = make(&p, "all-treatment").unwrap();
    let b = make(&p, "all-treatment").unwrap();
    assert_eq!(a.brf, b.brf);
    assert_eq!(a.unicode, b.unicode);
}

#[test]
fn a_co_branded_braille_file_gives_the_partners_contact_block_and_an_unbranded_one_lines_to_fill() {
    ensure_liblouis();
    let p = TestProject::shipped();
    let session = p.session();
    let publication = session.load(&crate::support::key("all-treatment")).unwrap();
    let brand = folio::contract::BrandData {
        json: serde_json::json!({
            "id": "north", "name": "North Hospital", "department": "Haematology",
            "contact": ["Ward 7"], "website": "", "logo": null, "personal": null,
        }),
        logo: None,
    };
    let make = |brand| {
        braille(
            &session.root,
            &session.project,
            &publication,
            "braille",
            &[],
            &BrailleSettings::default(),
            brand,
        )
        .unwrap()
    };
    let text = |b: &Braille| words(&String::from_utf8(b.brf.clone()).unwrap());
    let branded = text(&make(Some(&brand)));
    for line in ["North Hospital", "Haematology", "Ward 7"] {
        let expected = lou_translate("en-ueb-g2.ctb", line).to_uppercase();
        assert!(branded.contains(&expected), "{line}");
    }
    // Unbranded: each label, then a full line of dots 36 (`-`) to write on.
    let plain = String::from_utf8(make(None).brf).unwrap();
    let label = lou_translate("en-ueb-g2.ctb", "Phone:").to_uppercase();
    let lines: Vec<&str> = plain.split("\r\n").collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == label)
        .expect("the phone label");
    assert_eq!(lines[at + 1], "-".repeat(40));
}

/// `text` as a BRF file writes it: liblouis's cells of 0x60–0x7E are 0x20 lower in BRF.
fn brf_of(text: &str) -> String {
    lou_translate("en-ueb-g2.ctb", text)
        .chars()
        .map(|c| match c {
            '`'..='~' => char::from(c as u8 - 0x20),
            c => c,
        })
        .collect()
}

/// How many blank cells a line starts with.
fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[test]
fn headings_paragraphs_lists_pictures_and_call_outs_are_set_out_as_docs_braille_md_says() {
    let p = TestProject::new();
    p.file(
        "content/eat/plate.png",
        include_bytes!("../../../brands/riverside-example/logo.png"),
    );
    p.publication(
        "eat",
        &doc("## Eating well\n\n\
              Eat a little and often. Drink plenty of water every day, even when you do not \
              feel thirsty, because it helps your body to cope with treatment.\n\n\
              ### At home\n\n\
              - fruit\n- vegetables\n  - green ones\n\n\
              ![A plate of food](plate.png)\n\n\
              > [!NOTE]\n> Ask your dietitian.\n"),
    );
    let b = make(&p, "eat").expect("braille is made");
    let all = pages(&b.brf);
    let lines: Vec<&str> = all.iter().flatten().map(String::as_str).collect();
    let at = |text: &str| {
        let braille = brf_of(text);
        let first = words(&braille).split(' ').next().unwrap().to_string();
        // The last line that starts so: headings are listed on the contents page too.
        lines
            .iter()
            .rposition(|l| l.trim_start().starts_with(&first))
            .unwrap_or_else(|| panic!("{text}: {braille}"))
    };
    // A level-2 heading: centred, a blank line before and after it
    let h2 = at("Eating well");
    let line = lines[h2];
    assert!(
        indent(line).abs_diff(40 - line.trim_end().len()) <= 1,
        "{line:?}"
    );
    // (the body starts on a new page, so this one is the first line under the page number).
    assert_eq!(
        h2 % 25,
        1,
        "the body starts a page: {:?}",
        &lines[h2 - 2..h2 + 2]
    );
    assert!(lines[h2 + 1].trim().is_empty());
    // A paragraph: first line in cell 3, runover lines in cell 1.
    let para = at("Eat a little");
    assert_eq!(indent(lines[para]), 2, "{:?}", lines[para]);
    assert_eq!(indent(lines[para + 1]), 0, "{:?}", lines[para + 1]);
    // A level-3 heading: in cell 5, a blank line before.
    let h3 = at("At home");
    assert_eq!(indent(lines[h3]), 4, "{:?}", lines[h3]);
    assert!(lines[h3 - 1].trim().is_empty());
    // Lists: an item in cell 1, a nested item two cells further in, each after its bullet.
    let fruit = lines
        .iter()
        .position(|l| l.ends_with(&brf_of("fruit")))
        .unwrap();
    assert_eq!(indent(lines[fruit]), 0, "{:?}", lines[fruit]);
    let green = lines
        .iter()
        .position(|l| l.ends_with(&brf_of("green ones")))
        .unwrap();
    assert_eq!(indent(lines[green]), 2, "{:?}", lines[green]);
    // A picture: "Picture:" and its description.
    let picture = brf_of("Picture: A plate of food");
    assert!(
        words(&lines.join(" ")).contains(&words(&picture)),
        "{picture}"
    );
    // A call-out: between two full lines of dots 2356 (`7`), its label first.
    let note = at("Note: Ask your dietitian.");
    assert_eq!(lines[note - 1], "7".repeat(40));
    assert!(lines[note].trim_start().starts_with(&brf_of("Note:")));
    assert_eq!(lines[note + 1], "7".repeat(40));
}

#[test]
fn the_braille_carries_the_about_block_with_dates_product_code_and_reviewers() {
    let b = make(&TestProject::shipped(), "all-treatment").expect("braille is made");
    let brf = String::from_utf8(b.brf.clone()).unwrap();
    let text = words(&back_translate("en-ueb-g2.ctb", &brf)).to_lowercase();
    for wanted in [
        "about this information",
        "fol-all-001",
        "2026",
        "2029",
        "next review",
        "dr anne park",
    ] {
        assert!(
            text.contains(wanted),
            "{wanted:?} is not in the braille: {text}"
        );
    }
}

#[test]
fn a_level_4_heading_is_in_cell_7_and_a_thematic_break_is_twelve_cells_of_dots_25_centred() {
    let p = TestProject::new();
    p.publication(
        "rest",
        &doc("## Resting\n\n\
              Rest when you feel tired.\n\n\
              ### At night\n\n\
              #### Sleep\n\n\
              Go to bed at the same time each day.\n\n\
              ---\n\n\
              Ask your nurse if you cannot sleep.\n"),
    );
    let b = make(&p, "rest").expect("braille is made");
    let all = pages(&b.brf);
    let lines: Vec<&str> = all.iter().flatten().map(String::as_str).collect();
    // The last line that holds the heading's braille (headings are on the contents page too).
    let sleep = brf_of("Sleep");
    let h4 = lines
        .iter()
        .rposition(|l| l.trim() == sleep)
        .unwrap_or_else(|| panic!("{sleep}"));
    assert_eq!(indent(lines[h4]), 6, "{:?}", lines[h4]);
    // Dots 25 are `3` in braille ASCII: twelve of them, centred on the 40-cell line.
    let rule = lines
        .iter()
        .find(|l| l.trim() == "3".repeat(12))
        .expect("a thematic break");
    assert_eq!(indent(rule), 14, "{rule:?}");
}

#[test]
fn no_heading_is_left_at_the_foot_of_a_page_without_two_lines_under_it() {
    let p = TestProject::new();
    let mut md = String::new();
    for n in 1..=30 {
        md.push_str(&format!("## Part {n}\n\n"));
        for _ in 0..(n % 4 + 1) {
            md.push_str("Your nurse will tell you what to expect and when to call the ward. ");
        }
        md.push_str("\n\n");
    }
    p.publication("parts", &doc(&md));
    let b = make(&p, "parts").expect("braille is made");
    let all = pages(&b.brf);
    let headings: Vec<String> = (1..=30).map(|n| brf_of(&format!("Part {n}"))).collect();
    let mut seen = 0;
    // The body starts after the title page and the contents, where the headings are listed
    // with guide dots and page numbers (so there a line is never just the heading).
    for page in &all {
        for (i, line) in page.iter().enumerate() {
            if headings.iter().any(|h| line.trim() == h) {
                seen += 1;
                // Line 0 is the page number; the heading and two lines after it fit.
                assert!(i + 2 < page.len(), "a heading on line {i} of 25: {line:?}");
                assert!(
                    page[i + 1..=i + 2].iter().any(|l| !l.trim().is_empty()),
                    "nothing follows {line:?} on its page"
                );
            }
        }
    }
    assert_eq!(seen, 30, "every heading found once in the body");
}
