//! The shipped fonts draw the scripts and symbols of medical text; a character that no font
//! draws is found before typesetting, at its place in the Markdown file.

use super::{embedded_fonts, extracted_text};
use crate::support::{doc, TestProject};

/// A publication with a character no shipped font has (Chinese), on a known line.
fn with_chinese() -> TestProject {
    let p = TestProject::new();
    // The front matter fixture is 13 lines; the body starts on line 14.
    let body = "\n## Greetings\n\nWe say hello.\nIn Chinese: 你好 and 中文.\n";
    p.publication("chinese", &doc(body));
    p
}

#[test]
fn a_character_no_font_draws_is_found_at_its_line_and_column_with_its_script() {
    let p = with_chinese();
    let out = p.folio(&["check", "--format", "json"]);
    assert_eq!(out.code, 1, "an error: {}", out.stderr);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    let missing: Vec<_> = findings
        .iter()
        .filter(|f| f["code"] == "glyph-missing")
        .collect();
    assert_eq!(
        missing.len(),
        1,
        "one finding for the one script: {findings:#?}"
    );
    let f = missing[0];
    assert_eq!(f["severity"], "error");
    let message = f["message"].as_str().unwrap();
    for part in ["`你`", "U+4F60", "Han", "好中文"] {
        assert!(message.contains(part), "{part:?} in {message}");
    }
    let location = &f["location"];
    assert!(location["file"]
        .as_str()
        .unwrap()
        .ends_with("content/chinese/chinese.md"));
    let text = std::fs::read_to_string(p.root().join("content/chinese/chinese.md")).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("In Chinese"))
        .unwrap()
        + 1;
    assert_eq!(location["line"], line);
    assert_eq!(location["column"], "In Chinese: ".chars().count() + 1);
    // Typst's unlocated message is not repeated once per character.
    assert!(
        !out.stderr.contains("could not be displayed"),
        "{}",
        out.stderr
    );
}

#[test]
fn build_refuses_it_with_that_finding_instead_of_typsts_unlocated_error() {
    let p = with_chinese();
    let out = p.folio(&["build"]);
    out.fails_with(&[
        "glyph-missing",
        "U+4F60",
        "chinese.md:18:13",
        "no edition was built",
    ]);
    assert!(
        !out.stderr.contains("could not be displayed"),
        "{}",
        out.stderr
    );
    assert!(!p.root().join("dist/chinese").exists(), "nothing written");
}

#[test]
fn greek_letters_symbols_and_welsh_accents_are_drawn_by_the_shipped_fonts() {
    let p = TestProject::new();
    let sentence = "A β-blocker slows the heart → rest ✓. Dose ≥ 5 µg. Welsh ŵ and ŷ.";
    p.publication("symbols", &doc(&format!("\n## Medicines\n\n{sentence}\n")));
    p.folio(&["build", "--edition", "booklet"]).succeeds();
    let pdf = p.root().join("dist/symbols/symbols-booklet.pdf");
    let fonts = embedded_fonts(&pdf);
    for family in [
        "AtkinsonHyperlegible-Regular",
        "NotoSans-Regular",
        "NotoSansSymbols-Regular",
        "NotoSansSymbols2-Regular",
    ] {
        assert!(
            fonts
                .iter()
                .any(|(name, embedded)| name == family && *embedded),
            "{family} embedded: {fonts:?}"
        );
    }
    assert!(
        extracted_text(&pdf).contains(sentence),
        "the sentence as written"
    );

    // Atkinson Hyperlegible stays the font of Latin text; Noto draws only what it lacks.
    let made = p.make("symbols", "booklet").unwrap();
    let runs = folio::inspect::text_runs(made.doc().unwrap());
    let font_of = |piece: &str| {
        let run = runs.iter().find(|r| r.text.contains(piece)).unwrap();
        run.family.clone()
    };
    assert_eq!(font_of("blocker"), "Atkinson Hyperlegible");
    assert_eq!(font_of("β"), "Noto Sans");
    assert_eq!(font_of("ŵ"), "Noto Sans");
    assert_eq!(font_of("→"), "Noto Sans Symbols");
    assert_eq!(font_of("✓"), "Noto Sans Symbols2");
    assert_eq!(font_of("≥"), "Atkinson Hyperlegible");
}

#[test]
fn the_shipped_english_publication_embeds_only_atkinson_hyperlegible() {
    let p = TestProject::shipped();
    p.folio(&["build", "--edition", "booklet", "--edition", "large-print"])
        .succeeds();
    for edition in ["booklet", "large-print"] {
        let pdf = p
            .root()
            .join(format!("dist/all-treatment/all-treatment-{edition}.pdf"));
        for (name, embedded) in embedded_fonts(&pdf) {
            assert!(
                name.starts_with("AtkinsonHyperlegible-"),
                "{edition}: {name}"
            );
            assert!(embedded, "{edition}: {name} embedded");
        }
    }
}

#[test]
fn urdu_is_set_in_naskh_on_screen_and_in_nastaliq_where_a_print_edition_asks() {
    let p = super::samples(true);
    p.add_editions(
        "  booklet-nastaliq:\n    layout: layouts/booklet/booklet.typ\n    classes: [booklet]\n    \
         pdf: press\n    page-multiple: 4\n    print: { bleed-mm: 3 }\n    \
         options: { urdu: nastaliq }\n",
    );
    p.folio(&[
        "build",
        "sample.ur",
        "--edition",
        "booklet",
        "--edition",
        "booklet-nastaliq",
    ])
    .succeeds();
    let fonts = |edition: &str| -> Vec<String> {
        let pdf = p
            .root()
            .join(format!("dist/sample/ur/sample-ur-{edition}.pdf"));
        embedded_fonts(&pdf).into_iter().map(|(n, _)| n).collect()
    };
    let screen = fonts("booklet");
    assert!(
        screen.contains(&"NotoNaskhArabic-Regular".to_string()),
        "{screen:?}"
    );
    assert!(
        screen.contains(&"NotoNaskhArabic-Bold".to_string()),
        "{screen:?}"
    );
    assert!(!screen.iter().any(|n| n.contains("Nastaliq")), "{screen:?}");
    // Regular text in the regular face and headings in the bold one: the bold file's
    // weight class says regular, its style flags say bold, and folio believes the flags.
    let print = fonts("booklet-nastaliq");
    for face in ["NotoNastaliqUrdu-Regular", "NotoNastaliqUrdu-Bold"] {
        assert!(print.contains(&face.to_string()), "{face}: {print:?}");
    }
}

#[test]
fn bengali_gujarati_and_panjabi_are_drawn_in_their_own_fonts_and_read_back_as_written() {
    let p = TestProject::new();
    let sentences = [
        (
            "আপনি একই দিনে বাড়ি যেতে পারেন। আমরা আপনাকে একটি চিঠি পাঠাব।",
            "Noto Sans Bengali",
        ),
        ("તમે એ જ દિવસે ઘરે જઈ શકો છો.", "Noto Sans Gujarati"),
        ("ਤੁਸੀਂ ਉਸੇ ਦਿਨ ਘਰ ਜਾ ਸਕਦੇ ਹੋ।", "Noto Sans Gurmukhi"),
    ];
    let body: String = sentences.iter().map(|(s, _)| format!("{s}\n\n")).collect();
    let text = doc(&format!("\n## বাড়ি যাওয়া\n\n{body}")).replace("language: en-GB", "language: bn");
    p.publication("indic", &text);
    p.folio(&["build", "--edition", "booklet"]).succeeds();
    let pdf = p.root().join("dist/indic/indic-booklet.pdf");
    let fonts = embedded_fonts(&pdf);
    for face in [
        "NotoSansBengali-Regular",
        "NotoSansBengali-Bold",
        "NotoSansGujarati-Regular",
        "NotoSansGurmukhi-Regular",
    ] {
        assert!(
            fonts.iter().any(|(n, e)| n == face && *e),
            "{face}: {fonts:?}"
        );
    }
    let extracted = extracted_text(&pdf);
    let made = p.make("indic", "booklet").unwrap();
    let runs = folio::inspect::text_runs(made.doc().unwrap());
    for (sentence, family) in sentences {
        let first = sentence.split_whitespace().next().unwrap();
        let run = runs.iter().find(|r| r.text.contains(first)).unwrap();
        assert_eq!(run.family, family, "{first}");
        // Vowel signs drawn before their consonant are read back in their written order.
        assert!(extracted.contains(sentence), "{sentence:?} in {extracted}");
    }
}
