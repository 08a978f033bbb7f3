//! Markdown → document model: what each construct a publication may use becomes.

use crate::content::model::{Block, CalloutKind, Inline, Pos};
use crate::content::test_support::{at, blocks, hints, problem, says, text, Folder, BODY_LINE};

/// A place in the body, given as a line of the body (1-based) and a column.
fn body_pos(line: usize, column: usize) -> Pos {
    Pos {
        line: BODY_LINE + line - 1,
        column,
    }
}

/// The one paragraph of a list item, as its inlines.
fn item_text(item: &[Block]) -> Vec<Inline> {
    match item {
        [Block::Paragraph { content, .. }, ..] => content.clone(),
        other => panic!("expected a paragraph first in the item, got {other:#?}"),
    }
}

#[test]
fn a_level_two_heading_becomes_a_section_heading_with_a_slug_id() {
    assert_eq!(
        blocks("## Side effects of treatment\n"),
        vec![Block::Heading {
            level: 2,
            content: vec![text("Side effects of treatment")],
            id: "side-effects-of-treatment".into(),
            pos: body_pos(1, 1),
        }]
    );
}

#[test]
fn each_heading_keeps_its_level() {
    let levels: Vec<u8> = blocks("# Title\n\n## Two\n\n### Three\n\n#### Four\n")
        .iter()
        .map(|b| match b {
            Block::Heading { level, .. } => *level,
            other => panic!("not a heading: {other:?}"),
        })
        .collect();
    assert_eq!(levels, [1, 2, 3, 4]);
}

#[test]
fn a_heading_with_an_explicit_id_keeps_that_id() {
    match &blocks("## Side effects {#effects}\n")[0] {
        Block::Heading { id, content, .. } => {
            assert_eq!(id, "effects");
            assert_eq!(content, &[text("Side effects")]);
        }
        other => panic!("not a heading: {other:?}"),
    }
}

#[test]
fn a_heading_without_words_is_refused_at_its_line() {
    let p = problem("Intro.\n\n## \n\nText.\n");
    says(&p, "a heading has no text");
    assert_eq!(at(&p), (BODY_LINE + 2, 1));
}

#[test]
fn lines_of_one_paragraph_join_with_a_space_and_a_blank_line_starts_another() {
    assert_eq!(
        blocks("First line\nsecond line.\n\nNext paragraph.\n"),
        vec![
            Block::Paragraph {
                content: vec![text("First line second line.")],
                pos: body_pos(1, 1),
            },
            Block::Paragraph {
                content: vec![text("Next paragraph.")],
                pos: body_pos(4, 1),
            },
        ]
    );
}

#[test]
fn bold_emphasis_and_links_become_nested_inlines() {
    let expected = vec![
        text("Take "),
        Inline::Strong {
            content: vec![text("two")],
        },
        text(" "),
        Inline::Emph {
            content: vec![text("small")],
        },
        text(" "),
        Inline::Link {
            url: "https://example.org/tablets".into(),
            content: vec![
                text("tablets "),
                Inline::Strong {
                    content: vec![text("daily")],
                },
            ],
        },
        text("."),
    ];
    match &blocks("Take **two** *small* [tablets **daily**](https://example.org/tablets).\n")[0] {
        Block::Paragraph { content, .. } => assert_eq!(content, &expected),
        other => panic!("not a paragraph: {other:?}"),
    }
}

#[test]
fn a_hard_line_break_and_inline_code_are_kept() {
    match &blocks("Call  \n`0808 000 0000` now.\n")[0] {
        Block::Paragraph { content, .. } => assert_eq!(
            content,
            &[
                text("Call"),
                Inline::Break,
                Inline::Code {
                    text: "0808 000 0000".into()
                },
                text(" now."),
            ]
        ),
        other => panic!("not a paragraph: {other:?}"),
    }
}

#[test]
fn a_nested_bullet_list_becomes_a_list_inside_an_item() {
    let list = blocks("- chemotherapy:\n  - into a vein\n  - as tablets\n- steroids\n");
    let [Block::List {
        ordered: false,
        items,
        pos,
        ..
    }] = list.as_slice()
    else {
        panic!("expected one bullet list, got {list:#?}");
    };
    assert_eq!(*pos, body_pos(1, 1));
    assert_eq!(items.len(), 2);
    assert_eq!(item_text(&items[0]), [text("chemotherapy:")]);
    assert_eq!(item_text(&items[1]), [text("steroids")]);
    let Some(Block::List {
        items: inner,
        ordered: false,
        pos: inner_pos,
        ..
    }) = items[0].get(1)
    else {
        panic!("expected a nested list in the first item: {:#?}", items[0]);
    };
    assert_eq!(*inner_pos, body_pos(2, 3));
    let inner: Vec<_> = inner.iter().map(|i| item_text(i)).collect();
    assert_eq!(inner, [vec![text("into a vein")], vec![text("as tablets")]]);
}

#[test]
fn a_numbered_list_keeps_its_first_number() {
    match &blocks("3. Induction\n4. Consolidation\n")[0] {
        Block::List {
            ordered,
            start,
            items,
            ..
        } => {
            assert!(*ordered);
            assert_eq!(*start, 3);
            assert_eq!(item_text(&items[1]), [text("Consolidation")]);
        }
        other => panic!("not a list: {other:?}"),
    }
}

#[test]
fn an_image_in_its_own_paragraph_keeps_its_alt_text_and_caption() {
    let folder = Folder::new().with("images/blood.png");
    let nodes = folder
        .body("![A nurse taking blood](images/blood.png \"Having a blood test\")\n")
        .unwrap();
    assert_eq!(
        nodes[0].block,
        Block::Image {
            src: "/content/leaflet/images/blood.png".into(),
            alt: "A nurse taking blood".into(),
            caption: Some(vec![text("Having a blood test")]),
            pos: body_pos(1, 1),
        }
    );
}

#[test]
fn an_image_without_a_title_has_no_caption() {
    let folder = Folder::new().with("images/blood.png");
    match &folder.body("![A nurse](./images/blood.png)\n").unwrap()[0].block {
        Block::Image { caption, src, .. } => {
            assert_eq!(caption, &None);
            assert_eq!(src, "/content/leaflet/images/blood.png");
        }
        other => panic!("not an image: {other:?}"),
    }
}

#[test]
fn an_image_without_alt_text_is_refused() {
    let folder = Folder::new().with("images/blood.png");
    let p = folder.body("Text.\n\n![](images/blood.png)\n").unwrap_err();
    says(&p, "no alt text");
    assert_eq!(at(&p), (BODY_LINE + 2, 1));
}

#[test]
fn a_missing_image_is_refused_with_its_path() {
    let p = problem("![A nurse](images/missing.png)\n");
    says(&p, "image `images/missing.png` not found");
    assert_eq!(at(&p), (BODY_LINE, 1));
}

#[test]
fn an_image_outside_the_publication_folder_is_refused() {
    for src in ["../other/x.png", "/etc/x.png", "https://example.org/x.png"] {
        let p = problem(&format!("![A nurse]({src})\n"));
        says(&p, "outside the publication folder");
    }
}

#[test]
fn an_image_inside_a_sentence_is_refused() {
    let folder = Folder::new().with("images/blood.png");
    let p = folder
        .body("See ![a nurse](images/blood.png) here.\n")
        .unwrap_err();
    says(&p, "inside a line of text");
}

#[test]
fn a_table_keeps_its_header_and_rows() {
    let expected = Block::Table {
        header: vec![vec![text("Phase")], vec![text("Length")]],
        rows: vec![
            vec![
                vec![text("Induction")],
                vec![Inline::Strong {
                    content: vec![text("1 month")],
                }],
            ],
            vec![vec![text("Maintenance")], vec![text("2 years")]],
        ],
        pos: body_pos(3, 1),
    };
    let got = blocks("Intro.\n\n| Phase | Length |\n|---|---|\n| Induction | **1 month** |\n| Maintenance | 2 years |\n");
    assert_eq!(got[1], expected);
}

#[test]
fn each_alert_kind_becomes_its_callout() {
    for (word, kind) in [
        ("NOTE", CalloutKind::Note),
        ("TIP", CalloutKind::Tip),
        ("IMPORTANT", CalloutKind::Important),
        ("WARNING", CalloutKind::Warning),
        ("CAUTION", CalloutKind::Caution),
    ] {
        let got = blocks(&format!("> [!{word}]\n> Call your team.\n"));
        assert_eq!(
            got,
            vec![Block::Callout {
                kind,
                blocks: vec![Block::Paragraph {
                    content: vec![text("Call your team.")],
                    pos: body_pos(2, 3),
                }],
                pos: body_pos(1, 1),
            }],
            "for [!{word}]"
        );
    }
}

#[test]
fn a_plain_block_quote_becomes_a_quote() {
    match &blocks("> It helped to talk.\n")[0] {
        Block::Quote { blocks, .. } => {
            assert!(
                matches!(&blocks[..], [Block::Paragraph { content, .. }] if content == &[text("It helped to talk.")])
            )
        }
        other => panic!("not a quote: {other:?}"),
    }
}

#[test]
fn a_thematic_break_becomes_a_rule() {
    assert_eq!(
        blocks("A.\n\n---\n\nB.\n")[1],
        Block::Rule {
            pos: body_pos(3, 1)
        }
    );
}

#[test]
fn html_comments_are_dropped_whole_and_inside_text() {
    let got =
        blocks("Before.\n\n<!-- a note for editors -->\n\nTake <!-- check the dose --> two.\n");
    let texts: Vec<String> = got.iter().map(Block::plain_text).collect();
    assert_eq!(texts, ["Before.", "Take  two."]);
}

#[test]
fn inline_html_is_shown_as_the_text_written() {
    match &blocks("Press <kbd>Enter</kbd> to go on.\n")[0] {
        Block::Paragraph { content, .. } => {
            assert_eq!(content, &[text("Press <kbd>Enter</kbd> to go on.")])
        }
        other => panic!("not a paragraph: {other:?}"),
    }
}

#[test]
fn a_raw_html_block_is_refused_at_its_line() {
    let p = problem("Text.\n\n<div class=\"box\">Hello</div>\n");
    says(&p, "raw HTML is not allowed");
    assert_eq!(at(&p), (BODY_LINE + 2, 1));
}

#[test]
fn fenced_and_indented_code_blocks_are_refused() {
    let p = problem("Text.\n\n```\nlet x = 1;\n```\n");
    says(&p, "code blocks are not supported");
    assert_eq!(at(&p), (BODY_LINE + 2, 1));
    let p = problem("Text.\n\n    indented by four\n");
    says(&p, "code blocks are not supported");
    hints(&p, "4 spaces");
    assert_eq!(at(&p).0, BODY_LINE + 2);
}
