//! The edge: problems rendered as compiler-style diagnostics (codespan-reporting), coloured
//! or not. Colour is chosen once per stream ([`Colors::resolve`]) and applied only here.

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

use super::{display_path, Problem, Severity};

/// Whether each output stream gets terminal colours, decided once from `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Colors {
    pub stdout: bool,
    pub stderr: bool,
}

impl Colors {
    /// `always`/`never` as asked; `auto`: a terminal, unless `NO_COLOR` is set (anstream's
    /// rules, which also honour `CLICOLOR` and `CLICOLOR_FORCE`).
    pub fn resolve(choice: clap::ColorChoice) -> Colors {
        let auto = |choice: anstream::ColorChoice| !matches!(choice, anstream::ColorChoice::Never);
        match choice {
            clap::ColorChoice::Always => Colors {
                stdout: true,
                stderr: true,
            },
            clap::ColorChoice::Never => Colors::default(),
            clap::ColorChoice::Auto => Colors {
                stdout: auto(anstream::AutoStream::choice(&std::io::stdout())),
                stderr: auto(anstream::AutoStream::choice(&std::io::stderr())),
            },
        }
    }
}

/// Renders problems as compiler-style diagnostics, showing the source line where there is one.
pub fn render(problems: &[Problem], color: bool) -> String {
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config {
        tab_width: 2,
        ..term::Config::default()
    };
    for problem in problems {
        let problem = &printable_problem(problem);
        let mut files = SimpleFiles::new();
        let mut diagnostic = match problem.severity {
            Severity::Error => Diagnostic::error(),
            Severity::Warning => Diagnostic::warning(),
            Severity::Note => Diagnostic::note(),
        }
        .with_message(&problem.message);
        if let Some(code) = &problem.code {
            diagnostic = diagnostic.with_code(code);
        }
        let mut shown = false;
        if let Some(loc) = &problem.location {
            // A file or folder name can hold escape sequences too.
            let name = printable(&display_path(&loc.file)).into_owned();
            if let Some(snippet) = problem
                .snippet
                .as_ref()
                .filter(|s| line_of(&s.text, s.range.start).len() <= MAX_QUOTED_LINE)
            {
                let id = files.add(name, snippet.text.to_string());
                diagnostic =
                    diagnostic.with_labels(vec![Label::primary(id, snippet.range.clone())]);
                shown = true;
            } else if let Some((line, text)) =
                // Only a located line is shown, so only then is the file read (a problem
                // about a FIFO or a refused link names the file without opening it).
                loc.line.and_then(|l| Some((l, source_text(&loc.file)?)))
            {
                if let Some(range) = line_range(&text, line, loc.column.unwrap_or(1)) {
                    let whole = line_of(&text, range.start);
                    if whole.len() <= MAX_QUOTED_LINE {
                        let id = files.add(name, text);
                        diagnostic = diagnostic.with_labels(vec![Label::primary(id, range)]);
                        shown = true;
                    } else {
                        // A giant line (a pasted export, a file of one line) is cut to a
                        // screenful around the column instead of being printed whole.
                        let column = loc.column.unwrap_or(1);
                        diagnostic = diagnostic.with_notes(vec![
                            printable(&format!("in {loc}")).into_owned(),
                            format!("near: {}", printable(&excerpt(whole, column))),
                        ]);
                        shown = true;
                    }
                }
            }
            if !shown {
                diagnostic =
                    diagnostic.with_notes(vec![printable(&format!("in {loc}")).into_owned()]);
            }
        }
        // `with_notes` appends.
        if let Some(place) = &problem.place {
            diagnostic = diagnostic.with_notes(vec![format!("in {place}")]);
        }
        if let Some(hint) = &problem.hint {
            let notes = hint.lines().map(|h| format!("hint: {h}")).collect();
            diagnostic = diagnostic.with_notes(notes);
        }
        // Rendering into an in-memory buffer cannot fail for files we just added.
        let _ = term::emit(&mut buffer, &config, &files, &diagnostic);
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// Text that reaches a terminal: control characters (escape sequences that could recolour,
/// move the cursor or retitle the terminal) are shown as `\u{..}` instead of being sent.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(bad) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if bad(c) {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// The problem with every text it prints made [`printable`].
fn printable_problem(problem: &Problem) -> Problem {
    let mut p = problem.clone();
    // A message quoting a giant value (a 1 MB "date") is cut, as snippets are.
    if p.message.len() > 4 * MAX_QUOTED_LINE {
        p.message = excerpt(&p.message, 0);
        p.message.push_str(" (message cut)");
    }
    p.message = printable(&p.message).into_owned();
    p.hint = p.hint.map(|h| printable(&h).into_owned());
    p.place = p.place.map(|h| printable(&h).into_owned());
    if let Some(snippet) = &mut p.snippet {
        if snippet
            .text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        {
            // A source with control characters is not quoted: its location still is.
            p.snippet = None;
        }
    }
    p
}

/// The largest source file a diagnostic quotes from.
const MAX_QUOTED_BYTES: u64 = 8 * 1024 * 1024;

/// The longest line a diagnostic quotes whole, in bytes; a longer one is cut around the
/// column to [`EXCERPT_CHARS`] characters either side.
const MAX_QUOTED_LINE: usize = 400;
const EXCERPT_CHARS: usize = 60;

/// The text of a source file to quote from: a regular file of at most [`MAX_QUOTED_BYTES`],
/// checked before it is opened, reached without following any link (a problem located
/// in a link that leads out of the project must not print what it leads to).
fn source_text(path: &std::path::Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_QUOTED_BYTES {
        return None;
    }
    let absolute = std::path::absolute(path).ok()?;
    if path.canonicalize().ok()? != absolute {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// The whole line of `text` that holds byte `at`, without its line break.
fn line_of(text: &str, at: usize) -> &str {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    text[start..end].trim_end_matches('\r')
}

/// Up to [`EXCERPT_CHARS`] characters either side of `column` (1-based, in characters).
fn excerpt(line: &str, column: usize) -> String {
    let chars: Vec<char> = line.chars().collect();
    let at = column.saturating_sub(1).min(chars.len());
    let from = at.saturating_sub(EXCERPT_CHARS);
    let to = (at + EXCERPT_CHARS).min(chars.len());
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.extend(&chars[from..to]);
    if to < chars.len() {
        out.push('…');
    }
    out
}

/// A headline (`error: …`) followed by the problems under it.
pub fn render_report(headline: Option<&str>, problems: &[Problem], color: bool) -> String {
    let mut out = String::new();
    if let Some(headline) = headline {
        out.push_str(&render_headline(headline, color));
    }
    out.push_str(&render(problems, color));
    out
}

/// `error: <text>` in the diagnostics' style.
pub fn render_headline(text: &str, color: bool) -> String {
    if color {
        format!("\u{1b}[1;31merror\u{1b}[0m\u{1b}[1m: {text}\u{1b}[0m\n")
    } else {
        format!("error: {text}\n")
    }
}

/// The byte range from a line and column to the end of that line's visible text.
pub fn line_range(text: &str, line: usize, column: usize) -> Option<std::ops::Range<usize>> {
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let content = l.trim_end_matches(['\n', '\r']);
            let col = content
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(0, |(b, _)| b);
            let end = content.len().max(col + 1).min(l.len());
            return Some(start + col..start + end.max(col));
        }
        start += l.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::line_range;

    #[test]
    fn escape_sequences_in_a_message_never_reach_the_terminal() {
        let mut problem = crate::diag::Problem::error("title \u{1b}[2J\u{1b}]0;owned\u{7} here")
            .hint("see \u{1b}[31mred");
        problem.place = Some("pub\u{9b}x".into());
        let shown = super::render(&[problem], false);
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
        assert!(shown.contains("title \\u{1b}[2J"), "{shown}");
    }

    #[test]
    fn a_line_range_runs_from_the_column_to_the_end_of_the_line() {
        let text = "first\nsecond line\nthird\n";
        assert_eq!(&text[line_range(text, 2, 1).unwrap()], "second line");
        assert_eq!(&text[line_range(text, 2, 8).unwrap()], "line");
    }

    #[test]
    fn a_line_range_counts_columns_in_characters_not_bytes() {
        let text = "£1 and é\n";
        assert_eq!(&text[line_range(text, 1, 4).unwrap()], "and é");
    }

    #[test]
    fn an_empty_line_underlines_its_line_break_and_a_line_past_the_end_is_none() {
        let text = "a\n\nb";
        assert_eq!(line_range(text, 2, 1), Some(2..3));
        assert_eq!(line_range(text, 9, 1), None);
    }
}
