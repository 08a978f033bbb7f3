//! "Explain hard words at first use": finds the project's listed terms whose first use
//! in a publication has no explanation next to it.
//!
//! The rule. For each term, take its FIRST use in reading order: case-insensitive, whole
//! words, also as a plural (+s, +es, y→ies on the last word) and as part of a hyphenated
//! compound ("post-remission"). That use is explained when, in its own sentence or the
//! next sentence of the same passage, one of these holds for a use of the term:
//! 1. an opening bracket follows it within 3 words: "cytotoxic (anti-cancer) drugs";
//! 2. it stands in brackets right after an explanation: "anti-cancer drugs (cytotoxic drugs)";
//! 3. it follows "called" or "known as" within 2 words: "This is called intrathecal
//!    chemotherapy." A bare "This is called …" needs a sentence before it in the same
//!    passage (the one "this" points back to); "a blood cancer called leukaemia" does not;
//! 4. a sentence starts with it (after an optional a/an/the) and goes on with "is",
//!    "are", "means" or "mean": a definition.
//!
//! Otherwise the term is reported, once, at the passage of its first use. Terms never
//! used are not reported. Headings are passages like any other.
//!
//! Limits: it only sees that something looks like an explanation, not whether it is one
//! or whether it is right ("remission (see page 4)" passes). Matching is by spelling:
//! no stemming beyond simple plurals, no synonyms. An explanation given earlier than the
//! first use, or two sentences later, does not count.

use super::readability::sentences;

/// Where a term is first used without an explanation next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unexplained {
    /// The term as written in the word list.
    pub term: String,
    /// Index into `passages` of the passage with the first use.
    pub passage: usize,
}

/// Most words allowed between a term and an opening bracket that explains it (form 1).
const BRACKET_AFTER: usize = 3;
/// Most words allowed between an opening bracket and the term inside it (form 2).
const BRACKET_BEFORE: usize = 2;
/// Most words allowed between "called"/"known as" and the term (form 3).
const CALLED_WITHIN: usize = 2;
/// Words that may stand before "called" without explaining anything ("This is called").
const POINTERS: [&str; 14] = [
    "this",
    "these",
    "that",
    "it",
    "s",
    "is",
    "are",
    "was",
    "were",
    "also",
    "often",
    "sometimes",
    "usually",
    "then",
];

/// Finds the terms whose first use is unexplained, ordered by where they are first used.
///
/// `passages`: the publication's text blocks in reading order (each one paragraph, list item, heading...).
/// `terms`: the project's word list (e.g. "remission", "intrathecal", "cytotoxic").
pub fn unexplained(passages: &[&str], terms: &[String]) -> Vec<Unexplained> {
    let split: Vec<Vec<String>> = passages.iter().map(|p| sentences(p)).collect();
    let mut found = Vec::new();
    let mut seen: Vec<Vec<String>> = Vec::new();
    for term in terms {
        let words = term_words(term);
        // Skip empty entries and the same term listed twice (in any case).
        if words.is_empty() || seen.contains(&words) {
            continue;
        }
        seen.push(words.clone());
        'passages: for (p, sents) in split.iter().enumerate() {
            for (s, sentence) in sents.iter().enumerate() {
                let toks = tokens(sentence);
                if let Some(t) = (0..toks.len()).find(|&i| matches_at(&toks, i, &words)) {
                    if !explained(sents, s, &words) {
                        found.push((
                            (p, s, t),
                            Unexplained {
                                term: term.clone(),
                                passage: p,
                            },
                        ));
                    }
                    break 'passages;
                }
            }
        }
    }
    // Stable sort: terms first used at the same word keep the word list's order.
    found.sort_by_key(|(at, _)| *at);
    found.into_iter().map(|(_, u)| u).collect()
}

/// A word of a sentence: its byte range and its lowercased text.
struct Token {
    start: usize,
    end: usize,
    text: String,
}

/// Runs of letters and digits; hyphens and apostrophes separate them, so a term matches
/// inside a compound ("anti-cancer") and before a possessive ("leukaemia's").
fn tokens(sentence: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = None;
    for (at, c) in sentence.char_indices().chain([(sentence.len(), ' ')]) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                out.push(Token {
                    start: s,
                    end: at,
                    text: sentence[s..at].to_lowercase(),
                });
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn term_words(term: &str) -> Vec<String> {
    tokens(term).into_iter().map(|t| t.text).collect()
}

/// Whether the term's words start at token `i`; the last may be a plural.
fn matches_at(toks: &[Token], i: usize, term: &[String]) -> bool {
    i + term.len() <= toks.len()
        && term.iter().enumerate().all(|(j, want)| {
            let got = toks[i + j].text.as_str();
            got == want || (j + 1 == term.len() && is_plural(got, want))
        })
}

fn is_plural(got: &str, word: &str) -> bool {
    matches!(got.strip_prefix(word), Some("s" | "es"))
        || word
            .strip_suffix('y')
            .is_some_and(|stem| got.strip_prefix(stem) == Some("ies"))
}

/// Whether a use of the term in sentence `first` or the one after it has an explanation.
fn explained(sents: &[String], first: usize, term: &[String]) -> bool {
    sents
        .iter()
        .enumerate()
        .skip(first)
        .take(2)
        .any(|(s, sentence)| {
            let toks = tokens(sentence);
            (0..toks.len())
                .filter(|&i| matches_at(&toks, i, term))
                .any(|i| {
                    let after = i + term.len();
                    bracket_follows(sentence, &toks, after)
                        || bracketed_after_explanation(sentence, &toks, i)
                        || called(&toks, i, s > 0)
                        || defines(&toks, i, after)
                })
        })
}

/// Form 1: "(" within BRACKET_AFTER words after the term (which ends before token `after`).
fn bracket_follows(sentence: &str, toks: &[Token], after: usize) -> bool {
    let from = toks[after - 1].end;
    let Some(open) = sentence[from..].find(['(', '[']).map(|b| from + b) else {
        return false;
    };
    let between = toks[after..].iter().take_while(|t| t.start < open).count();
    between <= BRACKET_AFTER
}

/// Form 2: the term (starting at token `i`) is inside brackets opened at most
/// BRACKET_BEFORE words before it, and some words come before the bracket.
fn bracketed_after_explanation(sentence: &str, toks: &[Token], i: usize) -> bool {
    let head = &sentence[..toks[i].start];
    let Some(open) = head.rfind(['(', '[']) else {
        return false;
    };
    let closed = head[open..].contains([')', ']']);
    let between = toks[..i].iter().filter(|t| t.start > open).count();
    let before = toks.iter().take_while(|t| t.end <= open).count();
    !closed && between <= BRACKET_BEFORE && before > 0
}

/// Form 3: "called"/"known as" at most CALLED_WITHIN words before the term at token `i`.
/// If only pointer words ("This is") precede it, the sentence must have one before it.
fn called(toks: &[Token], i: usize, has_previous: bool) -> bool {
    let word = |k: usize| toks[k].text.as_str();
    let lead = (i.saturating_sub(CALLED_WITHIN + 1)..i).find_map(|k| match word(k) {
        "called" => Some(k),
        "as" if k > 0 && word(k - 1) == "known" => Some(k - 1),
        _ => None,
    });
    lead.is_some_and(|k| has_previous || (0..k).any(|j| !POINTERS.contains(&word(j))))
}

/// Form 4: the sentence starts with the term (after a/an/the) followed by is/are/means.
fn defines(toks: &[Token], i: usize, after: usize) -> bool {
    let starts = i == 0 || (i == 1 && matches!(toks[0].text.as_str(), "a" | "an" | "the"));
    starts
        && toks
            .get(after)
            .is_some_and(|t| matches!(t.text.as_str(), "is" | "are" | "means" | "mean"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(passages: &[&str], terms: &[&str]) -> Vec<(String, usize)> {
        let terms: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
        unexplained(passages, &terms)
            .into_iter()
            .map(|u| (u.term, u.passage))
            .collect()
    }

    /// Whether `term` counts as explained in a one-passage text.
    fn ok(text: &str, term: &str) -> bool {
        check(&[text], &[term]).is_empty()
    }

    #[test]
    fn bracket_after_the_term_explains_it() {
        assert!(ok(
            "Your child will have cytotoxic (anti-cancer) drugs.",
            "cytotoxic"
        ));
        assert!(ok(
            "The aim is remission (no sign of leukaemia).",
            "remission"
        ));
        assert!(ok(
            "They get cytotoxic drugs each day (anti-cancer drugs).",
            "cytotoxic"
        ));
        // Too far from the term to be about it.
        assert!(!ok(
            "Cytotoxic drugs are given over several weeks (see page 4).",
            "cytotoxic"
        ));
        // Inside the brackets that explain another word is not explained.
        assert!(!ok(
            "The aim is remission (no sign of leukaemia).",
            "leukaemia"
        ));
    }

    #[test]
    fn term_in_brackets_after_an_explanation() {
        assert!(ok(
            "Your child will have anti-cancer drugs (cytotoxic drugs).",
            "cytotoxic"
        ));
        // A bracket with nothing before it explains nothing.
        assert_eq!(
            check(&["(Cytotoxic drugs.) They help."], &["cytotoxic"]),
            [("cytotoxic".into(), 0)]
        );
    }

    #[test]
    fn this_is_called() {
        let text = "The drugs go into the fluid around the spine. This is called intrathecal chemotherapy.";
        assert!(ok(text, "intrathecal"));
        // First use, then "known as" in the next sentence.
        let text = "Intrathecal drugs help. They go into the spinal fluid: this is known as intrathecal treatment.";
        assert!(ok(text, "intrathecal"));
        assert!(ok(
            "Your child has a blood cancer called leukaemia.",
            "leukaemia"
        ));
        // Two sentences later is too late.
        assert!(!ok(
            "Intrathecal drugs help. They work. This is called intrathecal treatment.",
            "intrathecal"
        ));
        // Nothing for "this" to point back to in the same passage.
        let passages = [
            "Drugs go into the spinal fluid.",
            "This is called intrathecal chemotherapy.",
        ];
        assert_eq!(
            check(&passages, &["Intrathecal"]),
            [("Intrathecal".into(), 1)]
        );
    }

    #[test]
    fn definition_sentence() {
        assert!(ok(
            "Remission is when tests find no leukaemia. It is good news.",
            "remission"
        ));
        assert!(ok(
            "We hope for a remission. A remission means no sign of it.",
            "remission"
        ));
        assert!(!ok(
            "We hope for a remission. Then a remission may last.",
            "remission"
        ));
    }

    #[test]
    fn unexplained_first_use_is_reported_once_in_reading_order() {
        let passages = [
            "Treatment",
            "Most children reach remission within a month. We test the bone marrow.",
            "Cytotoxic drugs kill cells. Remission (no sign of leukaemia) is the aim.",
            "Intrathecal drugs go into the spine.",
        ];
        let terms = ["intrathecal", "Remission", "cytotoxic", "remission"];
        assert_eq!(
            check(&passages, &terms),
            [
                ("Remission".into(), 1),
                ("cytotoxic".into(), 2),
                ("intrathecal".into(), 3)
            ]
        );
    }

    #[test]
    fn matches_plurals_compounds_and_whole_words_only() {
        assert_eq!(
            check(&["Two remissions so far."], &["remission"]),
            [("remission".into(), 0)]
        );
        assert_eq!(
            check(&["Start post-remission therapy."], &["remission"]),
            [("remission".into(), 0)]
        );
        assert_eq!(
            check(&["Side therapies help."], &["therapy"]),
            [("therapy".into(), 0)]
        );
        assert_eq!(
            check(&["Bone marrow tests."], &["bone marrow"]),
            [("bone marrow".into(), 0)]
        );
        // A word that merely contains the term is another word.
        assert!(ok("Nonremission is rare.", "remission"));
    }

    #[test]
    fn a_term_never_used_gives_nothing() {
        assert!(check(&["Wash your hands often."], &["intrathecal", "", "  "]).is_empty());
        assert!(check(&[], &["intrathecal"]).is_empty());
    }
}
