//! Property tests: whatever bytes a publication file holds, parsing never panics and never
//! overflows the stack; it gives the publication or one problem that says where.

use proptest::prelude::*;

use super::test_support::{Folder, FILE, FRONT};
use crate::diag::Problem;

/// Parses `bytes` as a whole file; on failure, checks that the problem has a place.
fn parses_or_points(folder: &Folder, bytes: &[u8]) -> Result<(), TestCaseError> {
    match folder.parse(bytes) {
        Ok(_) => Ok(()),
        Err(problem) => has_location(&problem),
    }
}

fn has_location(problem: &Problem) -> Result<(), TestCaseError> {
    let Some(loc) = problem.location.as_ref() else {
        return Err(TestCaseError::fail(format!("no location: {problem}")));
    };
    prop_assert_eq!(loc.file.to_str(), Some(FILE));
    // Only a file over the size limit is refused without a line; these inputs are smaller.
    prop_assert!(
        loc.line.is_some() && loc.column.is_some(),
        "no line: {problem}"
    );
    prop_assert!(problem.hint.is_some(), "no hint: {problem}");
    Ok(())
}

/// Pieces of Markdown syntax that nest, open or close things, mixed with words.
fn piece() -> impl Strategy<Value = String> {
    let syntax = prop::sample::select(vec![
        "- ",
        "* ",
        "1. ",
        "> ",
        "> [!NOTE]\n",
        "> [!WARNING]\n",
        "*",
        "**",
        "_",
        "__",
        "[",
        "]",
        "](x)",
        "![",
        "](i.png)",
        "|",
        "| --- |",
        "#",
        "## ",
        "<!--",
        "-->",
        "<!-- only: leaflet -->",
        "<!-- end -->",
        "{.x}",
        "{.leaflet}",
        "{.not-leaflet}",
        "\n",
        "\n\n",
        "  ",
        "    ",
        "`",
        "~~",
        "[^1]",
        "[ ] ",
        ": ",
        "---",
        "\\",
        "<b>",
        "\t",
        "\r\n",
        "é",
        "\u{0}",
        "\u{85}",
    ]);
    prop_oneof![
        3 => syntax.prop_map(String::from),
        1 => "[a-z]{1,8}",
    ]
}

/// A body of up to about 2 KB made of [`piece`]s.
fn markdownish() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..300).prop_map(|p| {
        let mut s = p.concat();
        let mut end = s.len().min(2048);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s
    })
}

/// Front matter lines, some valid, some not, in any order.
fn front_matterish() -> impl Strategy<Value = String> {
    let line = prop::sample::select(vec![
        "title: A title",
        "title:",
        "language: en-GB",
        "language: xx-yy-zz",
        "product-code: P-1",
        "version: \"1\"",
        "version: 1.10",
        "date-reviewed: 2026-06-01",
        "date-reviewed: 0000-01-01",
        "next-review: 2029-06-01",
        "next-review: nope",
        "references:",
        "  - \"a\"",
        "- loose",
        "editions: []",
        "editions: [leaflet]",
        "extra: {a: [1, {b: c}]}",
        "extra: &x [*x]",
        "colour: blue",
        "  deep:",
        "'",
        "\"",
        "[",
        "{",
        ": :",
        "---",
    ]);
    prop::collection::vec(line, 0..16).prop_map(|l| l.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Any bytes at all, as a whole file.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        parses_or_points(&Folder::new(), &bytes)?;
    }

    /// Any bytes after valid front matter, so that the body parser sees them.
    #[test]
    fn arbitrary_bytes_as_a_body_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let mut file = FRONT.as_bytes().to_vec();
        file.extend_from_slice(&bytes);
        parses_or_points(&Folder::new(), &file)?;
    }

    /// Random mixes of nesting and delimiter syntax after valid front matter.
    #[test]
    fn nested_markdown_syntax_never_panics(body in markdownish()) {
        let folder = Folder::new().with("i.png");
        parses_or_points(&folder, format!("{FRONT}{body}").as_bytes())?;
    }

    /// Random front matter, then random Markdown.
    #[test]
    fn random_front_matter_never_panics(yaml in front_matterish(), body in markdownish()) {
        parses_or_points(&Folder::new(), format!("---\n{yaml}\n---\n{body}").as_bytes())?;
    }

}

proptest! {
    // Fewer cases: each input is up to about 130 KB (under the file size limit).
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Syntax repeated thousands of times: deep nesting or long runs of delimiters.
    #[test]
    fn deep_repetition_never_overflows(unit in piece(), times in 1000usize..6_000) {
        let body = unit.repeat(times);
        parses_or_points(&Folder::new(), format!("{FRONT}{body}x\n").as_bytes())?;
    }
}
