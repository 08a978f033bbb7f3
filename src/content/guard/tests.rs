//! Nesting limits, table width and unsupported Markdown: refused at their place, never
//! a stack overflow, never printed as raw syntax or dropped.

use crate::content::limits::{
    MAX_BLOCK_DEPTH, MAX_HEADINGS, MAX_INLINE_DEPTH, MAX_TABLE_CELLS, MAX_TABLE_COLUMNS,
};
use crate::content::model::Block;
use crate::content::test_support::{at, blocks, body, hints, problem, says, Folder, BODY_LINE};

/// A bullet list `depth` levels deep, one level a line, each indented under the last.
fn nested_list(depth: usize) -> String {
    (0..depth)
        .map(|d| format!("{}- level {d}\n", "  ".repeat(d)))
        .collect()
}

/// Bold nested `depth` times: `**a **a x b** b**`.
fn nested_bold(depth: usize) -> String {
    format!("{}x{}\n", "**a ".repeat(depth), " b**".repeat(depth))
}

/// How deeply lists, quotes and callouts nest in `blocks`.
fn depth(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .map(|b| match b {
            Block::List { .. } | Block::Quote { .. } | Block::Callout { .. } => {
                let children: Vec<Block> = b.children().into_iter().cloned().collect();
                1 + depth(&children)
            }
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

#[test]
fn lists_nested_to_the_limit_parse_in_full() {
    assert_eq!(MAX_BLOCK_DEPTH, 8);
    assert_eq!(
        depth(&blocks(&nested_list(MAX_BLOCK_DEPTH))),
        MAX_BLOCK_DEPTH
    );
}

#[test]
fn a_list_one_level_past_the_limit_is_refused_at_the_line_that_crosses_it() {
    let p = problem(&nested_list(MAX_BLOCK_DEPTH + 1));
    says(&p, "nested more than 8 levels deep");
    hints(&p, "flatten");
    assert_eq!(at(&p), (BODY_LINE + 8, 17));
}

#[test]
fn a_list_4000_levels_deep_on_one_line_is_refused_without_overflowing_the_stack() {
    let p = problem(&format!("{}x\n", "- ".repeat(4000)));
    says(&p, "nested more than 8 levels deep");
    assert_eq!(at(&p), (BODY_LINE, 17));
}

#[test]
fn a_quote_4000_levels_deep_is_refused_without_overflowing_the_stack() {
    let p = problem(&format!("{}x\n", "> ".repeat(4000)));
    says(&p, "nested more than 8 levels deep");
    assert_eq!(at(&p), (BODY_LINE, 17));
}

#[test]
fn nesting_40000_levels_deep_is_refused_too() {
    for unit in ["- ", "> ", "1. "] {
        let p = problem(&format!("{}x\n", unit.repeat(40_000)));
        says(&p, "nested more than 8 levels deep");
    }
}

#[test]
fn callouts_quotes_and_lists_count_together_towards_the_limit() {
    let mut callouts: String = (0..5)
        .map(|d| format!("{}[!NOTE]\n", "> ".repeat(d + 1)))
        .collect();
    callouts.push_str(&format!("{}- - - x\n", "> ".repeat(5)));
    assert_eq!(depth(&blocks(&callouts)), 8);
    callouts.push_str(&format!("{}- - - - x\n", "> ".repeat(5)));
    let p = problem(&callouts);
    says(&p, "lists, quotes and callouts are nested");
    assert_eq!(at(&p), (BODY_LINE + 6, 17));
}

#[test]
fn bold_nested_to_the_inline_limit_parses_and_one_more_is_refused() {
    assert_eq!(MAX_INLINE_DEPTH, 16);
    assert!(body(&nested_bold(MAX_INLINE_DEPTH)).is_ok());
    let p = problem(&nested_bold(MAX_INLINE_DEPTH + 1));
    says(&p, "nested more than 16 levels deep");
    assert_eq!(at(&p), (BODY_LINE, 4 * MAX_INLINE_DEPTH + 1));
}

#[test]
fn emphasis_4000_levels_deep_is_refused_without_overflowing_the_stack() {
    says(&problem(&nested_bold(4000)), "bold, emphasis and links");
    let alternating = format!("{}x{}\n", "*a _a ".repeat(2000), " b_ b*".repeat(2000));
    says(&problem(&alternating), "bold, emphasis and links");
}

/// A table `columns` wide, starting on the body's third line.
fn table(columns: usize) -> String {
    let row = |cell: &str| format!("|{}\n", format!(" {cell} |").repeat(columns));
    format!("Intro.\n\n{}{}{}", row("Head"), row("---"), row("cell"))
}

#[test]
fn a_table_at_the_column_limit_is_kept_and_one_past_it_is_refused_at_its_line() {
    let n = MAX_TABLE_COLUMNS;
    assert!(matches!(&blocks(&table(n))[1], Block::Table { header, .. } if header.len() == n));
    let p = problem(&table(n + 1));
    says(&p, &format!("this table has {} columns", n + 1));
    hints(&p, "split it");
    assert_eq!(at(&p), (BODY_LINE + 2, 1));
}

/// `n` sections, each a level-2 heading and a line of text (two body lines and a blank).
fn sections(n: usize) -> String {
    (0..n)
        .map(|i| format!("## Part {i}\n\nText.\n\n"))
        .collect()
}

#[test]
fn a_publication_may_have_as_many_headings_as_the_limit_and_the_next_is_refused_at_its_line() {
    let kept = blocks(&sections(MAX_HEADINGS));
    let headings = kept
        .iter()
        .filter(|b| matches!(b, Block::Heading { .. }))
        .count();
    assert_eq!(headings, MAX_HEADINGS);
    let p = problem(&sections(MAX_HEADINGS + 1));
    says(&p, &format!("heading number {}", MAX_HEADINGS + 1));
    says(&p, &format!("at most {MAX_HEADINGS}"));
    hints(&p, "split it into publications");
    assert_eq!(at(&p), (BODY_LINE + 4 * MAX_HEADINGS, 1));
}

/// Tables of four columns holding `cells` cells in all (header cells included), each table
/// a header and nine rows (40 cells), the last one shorter; a paragraph between tables.
fn tables(cells: usize) -> String {
    let row = |cell: &str| format!("|{}\n", format!(" {cell} |").repeat(4));
    let mut out = String::new();
    let mut left = cells / 4;
    while left > 0 {
        let rows = left.min(10);
        out.push_str(&row("Head"));
        out.push_str(&row("---"));
        for _ in 1..rows {
            out.push_str(&row("cell"));
        }
        out.push_str("\nText.\n\n");
        left -= rows;
    }
    out
}

#[test]
fn tables_may_hold_as_many_cells_as_the_limit_and_the_table_past_it_is_refused_at_its_line() {
    assert_eq!(
        MAX_TABLE_CELLS % 40,
        0,
        "the tables below fill the limit exactly"
    );
    let kept = blocks(&tables(MAX_TABLE_CELLS));
    let cells: usize = kept
        .iter()
        .map(|b| match b {
            Block::Table { header, rows, .. } => {
                header.len() + rows.iter().map(Vec::len).sum::<usize>()
            }
            _ => 0,
        })
        .sum();
    assert_eq!(cells, MAX_TABLE_CELLS);
    // One row more: the last table (a header and one row) is the one that passes the limit.
    let p = problem(&tables(MAX_TABLE_CELLS + 8));
    says(&p, &format!("more than {MAX_TABLE_CELLS} cells in all"));
    hints(&p, "a few dozen rows");
    // Each full table takes 14 lines: 10 rows, the delimiter row, a blank, a paragraph, a blank.
    assert_eq!(at(&p), (BODY_LINE + 14 * (MAX_TABLE_CELLS / 40), 1));
}

#[test]
fn a_footnote_reference_and_its_definition_are_refused_at_the_reference() {
    let p = problem("Text[^1] here.\n\n[^1]: The note.\n");
    says(&p, "footnotes are not supported");
    hints(&p, "`references`");
    assert_eq!(at(&p), (BODY_LINE, 5));
}

#[test]
fn a_footnote_definition_alone_is_refused_at_its_line() {
    let p = problem("Text.\n\n[^note]: The note.\n");
    says(&p, "footnotes are not supported");
    assert_eq!(at(&p), (BODY_LINE + 2, 1));
}

#[test]
fn a_footnote_reference_without_its_note_is_refused_not_printed() {
    let p = problem("Intro.\n\nText [^1] here.\n");
    says(&p, "a footnote reference without its note");
    assert_eq!(at(&p), (BODY_LINE + 2, 6));
    // Escaped, the brackets are text on purpose.
    assert!(body("Text \\[^1] here.\n").is_ok());
}

#[test]
fn struck_through_text_is_refused_at_its_column() {
    let p = problem("Stop ~~now~~.\n");
    says(&p, "struck-through text is not supported");
    assert_eq!(at(&p), (BODY_LINE, 6));
}

#[test]
fn a_task_list_is_refused_rather_than_printing_its_brackets() {
    let p = problem("Bring:\n\n- [ ] your medicines\n- [x] a list of questions\n");
    says(&p, "task-list check boxes");
    hints(&p, "plain text");
    assert_eq!(at(&p), (BODY_LINE + 2, 3));
}

#[test]
fn a_definition_list_is_refused_at_its_term() {
    let p = problem("Intro.\n\nRemission\n: no leukaemia cells can be found\n");
    says(&p, "definition lists are not supported");
    hints(&p, "**Term**");
    assert_eq!(at(&p), (BODY_LINE + 2, 1));
}

#[test]
fn an_image_in_a_heading_or_a_table_cell_is_refused() {
    let folder = Folder::new().with("i.png");
    says(
        &folder.body("## See ![a nurse](i.png)\n").unwrap_err(),
        "inside a heading",
    );
    let p = folder
        .body("| A |\n|---|\n| ![a nurse](i.png) |\n")
        .unwrap_err();
    says(&p, "inside a table");
    assert_eq!(at(&p), (BODY_LINE + 2, 2));
    says(
        &folder
            .body("A **bold ![a nurse](i.png)** word.\n")
            .unwrap_err(),
        "inside a line of text",
    );
}
