//! The one rule for characters that text read from YAML (front matter, `folio.yaml`) may
//! not hold. YAML escapes (`"\e[31m"`, `"\u202E"`) let a file that is plain text on disk
//! carry control characters into titles, so strings are checked after parsing, where the
//! escapes have become the characters they stand for.

/// A control character other than tab, line feed and carriage return: invisible, means
/// nothing in print, and would make the feed invalid XML or reach a terminal.
pub fn forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// A bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069): it
/// reorders how the text around it is shown, so a title could read differently from what
/// it is (a reviewer sees one thing, a reader another).
pub fn bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The first character in `text` that neither rule allows.
pub fn refused_char(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| forbidden_control(c) || bidi_control(c))
}

/// What is wrong with `c`, for a message: "the control character U+001B".
pub fn describe(c: char) -> String {
    let what = if bidi_control(c) {
        "the bidirectional control character"
    } else {
        "the control character"
    };
    format!("{what} U+{:04X}", c as u32)
}

/// The first refused character in any string (key or value) of a parsed YAML document,
/// with the path of mapping keys that leads to it (list items add no key: the list's key
/// locates them).
pub fn refused_in_yaml(value: &serde_yaml::Value) -> Option<(Vec<String>, char)> {
    use serde_yaml::Value;
    match value {
        Value::String(s) => refused_char(s).map(|c| (Vec::new(), c)),
        Value::Sequence(items) => items.iter().find_map(refused_in_yaml),
        Value::Mapping(map) => map.iter().find_map(|(k, v)| {
            let key = match k {
                Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            };
            if let Some(c) = refused_char(&key) {
                return Some((vec![key], c));
            }
            refused_in_yaml(v).map(|(mut path, c)| {
                path.insert(0, key);
                (path, c)
            })
        }),
        Value::Tagged(tagged) => refused_in_yaml(&tagged.value),
        _ => None,
    }
}

/// The 1-based line of `text` that holds the key at `path` (each key searched for from the
/// line of the one before it), or of the deepest key found; 1 when none is.
pub fn key_line(text: &str, path: &[String]) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let mut at = 0;
    let mut found = None;
    for key in path {
        let hit = lines.iter().enumerate().skip(at).find(|(_, l)| {
            let l = l.trim_start().trim_start_matches("- ").trim_start();
            let l = l.trim_start_matches(['"', '\'']);
            l.strip_prefix(key.as_str())
                .is_some_and(|rest| rest.trim_start_matches(['"', '\'']).starts_with(':'))
        });
        match hit {
            Some((i, _)) => {
                found = Some(i);
                at = i + 1;
            }
            None => break,
        }
    }
    found.map_or(1, |i| i + 1)
}

/// How deeply `[` and `{` nest in YAML text, outside quoted strings and comments, and the
/// 1-based line where that depth is first reached: flow collections cost the parser far
/// more than their size, so their depth is bounded before the text is parsed.
pub fn flow_depth(yaml: &str) -> (usize, usize) {
    let (mut depth, mut deepest, mut line, mut deepest_line) = (0usize, 0usize, 1usize, 1usize);
    let mut chars = yaml.chars().peekable();
    let mut quote: Option<char> = None;
    let mut previous = '\n';
    while let Some(c) = chars.next() {
        match quote {
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' if depth > 0 || matches!(previous, ' ' | ':' | '\n' | '-') => {
                    quote = Some(c)
                }
                '#' if previous.is_whitespace() => {
                    for c in chars.by_ref() {
                        if c == '\n' {
                            line += 1;
                            break;
                        }
                    }
                }
                '[' | '{' => {
                    depth += 1;
                    if depth > deepest {
                        deepest = depth;
                        deepest_line = line;
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        if c == '\n' {
            line += 1;
        }
        previous = c;
    }
    (deepest, deepest_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_bidi_overrides_are_found_with_the_key_that_holds_them() {
        let value: serde_yaml::Value =
            serde_yaml::from_str("title: \"A \\e[31m\"\nrefs:\n  - \"x\\u202Ey\"\n").unwrap();
        assert_eq!(
            refused_in_yaml(&value),
            Some((vec!["title".to_string()], '\u{1b}'))
        );
        let value: serde_yaml::Value = serde_yaml::from_str("refs:\n  - \"x\\u202Ey\"\n").unwrap();
        assert_eq!(
            refused_in_yaml(&value),
            Some((vec!["refs".to_string()], '\u{202e}'))
        );
        assert_eq!(refused_char("Welsh: Triniaeth\tand more\n"), None);
    }

    #[test]
    fn a_key_is_found_on_its_line_below_its_parent() {
        let text = "name: x\npublisher:\n  name: \"A\\eB\"\n";
        let path = ["publisher".to_string(), "name".to_string()];
        assert_eq!(key_line(text, &path), 3);
    }

    #[test]
    fn flow_depth_counts_brackets_but_not_those_in_quotes_or_comments() {
        assert_eq!(flow_depth("extra: [[[1]]]"), (3, 1));
        assert_eq!(flow_depth("title: \"[[[[\" # [[[[[\nx: {a: [1]}"), (2, 2));
        assert_eq!(flow_depth("title: it's [fine]"), (1, 1));
    }
}
