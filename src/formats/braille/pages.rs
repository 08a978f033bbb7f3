//! Braille pages: translated parts set on lines of `cells` cells and pages of `lines`
//! lines, the first line of each page holding the braille page number at the right margin
//! (where UK braille puts it; BANA puts it on the last line).

use super::cells::{self, BLANK};
use super::document::{Place, Role};

/// A translated part, ready to set.
pub struct Set<'a> {
    pub braille: &'a str,
    pub place: Place,
    pub role: Role,
    pub new_page: bool,
    pub blank_before: bool,
    pub blank_after: bool,
}

/// A heading and the braille page it landed on (for the contents page).
pub struct Landed {
    pub level: u8,
    pub braille: String,
    pub page: usize,
}

/// Lines of braille on pages, each page at most `body` lines.
pub struct Pager {
    cells: usize,
    body: usize,
    /// The braille page number of the first page.
    first: usize,
    pages: Vec<Vec<String>>,
    current: Vec<String>,
    blank_pending: bool,
}

impl Pager {
    /// Pages of `cells` cells by `body` lines of text, numbered from `first`.
    pub fn new(cells: usize, body: usize, first: usize) -> Pager {
        Pager {
            cells,
            body,
            first,
            pages: Vec::new(),
            current: Vec::new(),
            blank_pending: false,
        }
    }

    /// The braille page number of the page being filled.
    pub fn page(&self) -> usize {
        self.first + self.pages.len()
    }

    /// Sets `parts`; the headings among them with the pages they are on.
    pub fn set(&mut self, parts: &[Set]) -> Vec<Landed> {
        let mut landed = Vec::new();
        for part in parts {
            if part.new_page && !self.current.is_empty() {
                self.new_page();
            }
            let lines = self.lines(part.braille, part.place);
            // A heading keeps its lines, the blank line under it and two lines of text on its
            // page; other text keeps two.
            let keep = match part.role {
                Role::Heading(_) => lines.len() + usize::from(part.blank_after) + 2,
                _ => lines.len().min(2),
            };
            if part.blank_before {
                self.blank();
            }
            if self.room() < keep + usize::from(self.blank_pending) && !self.current.is_empty() {
                self.new_page();
            }
            if let Role::Heading(level) = part.role {
                landed.push(Landed {
                    level,
                    braille: part.braille.to_string(),
                    page: self.page(),
                });
            }
            for line in lines {
                self.push(line);
            }
            if part.blank_after {
                self.blank();
            }
        }
        landed
    }

    /// Sets lines made elsewhere (a contents entry), on one page where they fit.
    pub fn set_lines(&mut self, lines: Vec<String>) {
        if self.room() < lines.len().min(self.body) && !self.current.is_empty() {
            self.new_page();
        }
        for line in lines {
            self.push(line);
        }
    }

    /// The pages made, each a list of lines.
    pub fn finish(mut self) -> Vec<Vec<String>> {
        if !self.current.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        self.pages
    }

    /// The lines of one part.
    fn lines(&self, braille: &str, place: Place) -> Vec<String> {
        match place {
            Place::Line(c) => vec![c.to_string().repeat(self.cells)],
            Place::Separator(c) => vec![centre(
                &c.to_string().repeat(12.min(self.cells)),
                self.cells,
            )],
            Place::Centred => {
                // Centred text leaves at least three cells free on each side where it can.
                let margin = if self.cells > 12 { 3 } else { 0 };
                wrap(braille, self.cells - 2 * margin, 0, 0)
                    .into_iter()
                    .map(|l| centre(&l, self.cells))
                    .collect()
            }
            Place::Cells { first, runover } => {
                let first = first.min(self.cells / 2);
                let runover = runover.min(self.cells / 2);
                wrap(braille, self.cells, first, runover)
            }
        }
    }

    fn room(&self) -> usize {
        self.body - self.current.len()
    }

    fn blank(&mut self) {
        if !self.current.is_empty() {
            self.blank_pending = true;
        }
    }

    fn push(&mut self, line: String) {
        if self.blank_pending {
            self.blank_pending = false;
            if self.room() > 1 {
                self.current.push(String::new());
            } else {
                self.new_page();
            }
        }
        if self.room() == 0 {
            self.new_page();
        }
        self.current.push(line);
    }

    fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.current));
        self.blank_pending = false;
    }
}

/// `lines` of one page as the page is embossed: `lines_per_page` lines, the first holding
/// `number` at the right margin and nothing else.
pub fn finish_page(
    lines: &[String],
    number: usize,
    cells: usize,
    lines_per_page: usize,
) -> Vec<String> {
    let number = cells::number(number);
    let pad = cells.saturating_sub(cells::width(&number));
    let mut out = vec![format!("{}{number}", BLANK.to_string().repeat(pad))];
    out.extend(lines.iter().map(|l| l.trim_end_matches(BLANK).to_string()));
    out.resize(lines_per_page, String::new());
    out
}

/// Contents lines: each heading's text, guide dots (dots 5) and its page at the right.
pub fn contents_lines(headings: &[Landed], cells: usize) -> Vec<(Vec<String>, u8)> {
    headings
        .iter()
        .map(|h| {
            let indent = 2 * usize::from(h.level.saturating_sub(2));
            let number = cells::number(h.page);
            // The entry's last line leaves room for a space, two guide dots, a space and the number.
            let reserve = cells::width(&number) + 4;
            let mut lines = wrap(
                &h.braille,
                cells.saturating_sub(reserve).max(indent + 4),
                indent,
                indent + 2,
            );
            let last = lines.last_mut().expect("wrap gives a line");
            let used = cells::width(last);
            let dots = cells
                .saturating_sub(used + cells::width(&number) + 2)
                .max(2);
            last.push(BLANK);
            last.push_str(&"\u{2810}".repeat(dots));
            last.push(BLANK);
            last.push_str(&number);
            (lines, h.level)
        })
        .collect()
}

/// Braille words (separated by blank cells) filled into lines of `cells` cells, the first
/// line indented by `first` cells and the others by `runover`. A word longer than a line
/// is divided with a hyphen (dots 36).
pub fn wrap(braille: &str, cells: usize, first: usize, runover: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = BLANK.to_string().repeat(first);
    let mut empty = true;
    for word in braille.split(BLANK).filter(|w| !w.is_empty()) {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let used = cells::width(&line);
            let need = word.len() + usize::from(!empty);
            if used + need <= cells {
                if !empty {
                    line.push(BLANK);
                }
                line.extend(word.iter());
                empty = false;
                break;
            }
            if !empty {
                lines.push(std::mem::take(&mut line));
                line = BLANK.to_string().repeat(runover);
                empty = true;
                continue;
            }
            // A word longer than the line: as much as fits, then a hyphen.
            let fits = cells.saturating_sub(used + 1).max(1);
            let rest = word.split_off(fits.min(word.len()));
            line.extend(word.iter());
            line.push('\u{2824}');
            lines.push(std::mem::take(&mut line));
            line = BLANK.to_string().repeat(runover);
            word = rest;
            if word.is_empty() {
                break;
            }
        }
    }
    if !empty || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A line centred in `cells` cells.
fn centre(line: &str, cells: usize) -> String {
    let w = cells::width(line);
    let pad = cells.saturating_sub(w) / 2;
    format!("{}{line}", BLANK.to_string().repeat(pad))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> String {
        s.replace(' ', "\u{2800}")
    }

    #[test]
    fn words_fill_lines_and_run_over_at_their_cell() {
        let lines = wrap(&b("⠁⠁⠁ ⠃⠃⠃ ⠉⠉⠉"), 8, 2, 0);
        assert_eq!(lines, vec![b("  ⠁⠁⠁"), b("⠃⠃⠃ ⠉⠉⠉")]);
    }

    #[test]
    fn a_word_longer_than_a_line_is_divided_with_a_hyphen() {
        let lines = wrap("⠁⠁⠁⠁⠁⠁⠁⠁⠁⠁", 6, 0, 0);
        assert!(lines.iter().all(|l| cells::width(l) <= 6), "{lines:?}");
        assert_eq!(lines[0], "⠁⠁⠁⠁⠁⠤");
    }
}
