//! Readability figures in any language: the Flesch reading ease and the reading age are
//! formulas for English (syllables counted by English spelling), so a publication in
//! another language gets its words, sentences and long sentences, and no reading ease or
//! reading age, rather than a wrong number.

use super::readability::{analyze, sentences, Stats, LONG_SENTENCE_WORDS};

/// The figures for `text` in language `lang` (ISO 639): all of them for English
/// ([`analyze`]); for any other language only what does not depend on English spelling
/// ([`counts`]).
pub fn analyze_in(lang: &str, text: &str) -> Stats {
    if lang == "en" {
        analyze(text)
    } else {
        counts(text)
    }
}

/// Words, sentences, words per sentence and the long sentences of `text` in any language
/// and script: words as Unicode segments them (UAX #29: Welsh, Polish, Arabic, Urdu,
/// Bengali, … words whole, with their marks and joiners); no syllables, reading ease,
/// grade or reading age, which are `NaN` (English formulas).
pub fn counts(text: &str) -> Stats {
    use unicode_segmentation::UnicodeSegmentation;
    let (mut words, mut counted, mut long_sentences) = (0, 0, Vec::new());
    for sentence in sentences(text) {
        let n = sentence.unicode_words().count();
        if n == 0 {
            continue;
        }
        counted += 1;
        words += n;
        if n > LONG_SENTENCE_WORDS {
            long_sentences.push(sentence);
        }
    }
    Stats {
        words,
        sentences: counted,
        syllables: 0,
        words_per_sentence: if counted == 0 {
            0.0
        } else {
            words as f64 / counted as f64
        },
        flesch: f64::NAN,
        grade: f64::NAN,
        reading_age: f64::NAN,
        long_sentences,
        long_words: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_languages_get_words_and_sentences_but_no_reading_age() {
        let welsh =
            "Dewch i’r brif dderbynfa 15 munud cyn eich apwyntiad. Bydd nyrs yn cwrdd â chi yno.";
        let s = analyze_in("cy", welsh);
        assert_eq!((s.words, s.sentences), (16, 2));
        assert!(s.flesch.is_nan() && s.reading_age.is_nan() && s.long_words.is_empty());
        // Urdu ends sentences with ۔ and Arabic asks with ؟; words keep their marks.
        let urdu = "آپ اسی دن گھر جا سکتے ہیں۔ ہم آپ کو ایک خط بھیجیں گے۔";
        assert_eq!((counts(urdu).words, counts(urdu).sentences), (14, 2));
        let arabic = "هل تشعر بتوعك؟ أخبر الممرضة.";
        assert_eq!((counts(arabic).words, counts(arabic).sentences), (5, 2));
        let bengali = "আপনি একই দিনে বাড়ি যেতে পারেন। আমরা আপনাকে একটি চিঠি পাঠাব।";
        assert_eq!((counts(bengali).words, counts(bengali).sentences), (11, 2));
        // English keeps its figures.
        assert_eq!(analyze_in("en", "The cat sat."), analyze("The cat sat."));
    }
}
