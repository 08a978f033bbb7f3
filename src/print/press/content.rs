//! A lexer for PDF content streams (ISO 32000-1, 7.2 and 8.9.7): just enough to tell
//! operators from operands. Public so that the tests can hold it against lopdf's parser.

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Every operator of a content stream with its first operand's token (`None` when it has
/// none; an operand that is a string, array or dictionary is given as its first byte).
pub fn operators(bytes: &[u8]) -> Vec<(&[u8], Option<&[u8]>)> {
    let mut out = Vec::new();
    // The current operator's first operand, once one has been seen.
    let mut first: Option<Option<&[u8]>> = None;
    fn operand<'a>(first: &mut Option<Option<&'a [u8]>>, token: &'a [u8]) {
        first.get_or_insert(Some(token));
    }
    // Nesting of arrays and dictionaries: tokens inside them are not operators.
    let mut depth = 0usize;
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let c = bytes[i];
        if is_space(c) {
            i += 1;
            continue;
        }
        match c {
            b'%' => i = past_comment(bytes, i),
            b'(' => {
                operand(&mut first, &bytes[i..i + 1]);
                i = past_string(bytes, i);
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                operand(&mut first, &bytes[i..i + 1]);
                depth += 1;
                i += 2;
            }
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 2;
            }
            b'<' => {
                operand(&mut first, &bytes[i..i + 1]);
                while i < n && bytes[i] != b'>' {
                    i += 1;
                }
                i += 1;
            }
            b'[' | b'{' => {
                operand(&mut first, &bytes[i..i + 1]);
                depth += 1;
                i += 1;
            }
            b']' | b'}' | b')' | b'>' => {
                if matches!(c, b']' | b'}') {
                    depth = depth.saturating_sub(1);
                }
                i += 1;
            }
            _ => {
                let start = i;
                i += 1;
                while i < n && !is_space(bytes[i]) && !is_delimiter(bytes[i]) {
                    i += 1;
                }
                let token = &bytes[start..i];
                let is_operand = c == b'/'
                    || depth > 0
                    || matches!(c, b'0'..=b'9' | b'+' | b'-' | b'.')
                    || matches!(token, b"true" | b"false" | b"null");
                if is_operand {
                    operand(&mut first, token);
                    continue;
                }
                out.push((token, first.take().flatten()));
                if token == b"ID" {
                    i = past_inline_image(bytes, i);
                }
            }
        }
    }
    out
}

/// Where the comment starting at `i` ends: at the end of its line.
fn past_comment(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
        i += 1;
    }
    i
}

/// Just after the literal string starting at `i` (balanced parentheses, `\` escapes).
fn past_string(bytes: &[u8], mut i: usize) -> usize {
    let mut nesting = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => nesting += 1,
            b')' => {
                nesting -= 1;
                if nesting == 0 {
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i + 1
}

/// Where an inline image's data ends, from just after its `ID` at `i`: the data runs from
/// after one white-space byte to `EI` standing alone.
fn past_inline_image(bytes: &[u8], mut i: usize) -> usize {
    let n = bytes.len();
    i += 1;
    while i < n
        && !(bytes[i..].starts_with(b"EI")
            && is_space(bytes[i - 1])
            && bytes.get(i + 2).is_none_or(|&b| is_space(b)))
    {
        i += 1;
    }
    i
}
