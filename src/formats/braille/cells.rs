//! Braille cells: Unicode braille (U+2800 block, what liblouis writes through `unicode.dis`)
//! to North American ASCII braille (what a `.brf` file holds), and braille page numbers.

/// The blank cell.
pub const BLANK: char = '\u{2800}';

/// North American ASCII braille: the character for each six-dot cell, by the cell's dots as
/// bits (dot 1 = bit 0 … dot 6 = bit 5), the one fixed table embossers and braille displays
/// share.
const ASCII: [u8; 64] = {
    // Each character of the Braille ASCII range (space to underscore) with its dots.
    #[rustfmt::skip]
    const PAIRS: [(u8, &str); 64] = [
        (b' ', ""), (b'A', "1"), (b'B', "12"), (b'C', "14"), (b'D', "145"), (b'E', "15"),
        (b'F', "124"), (b'G', "1245"), (b'H', "125"), (b'I', "24"), (b'J', "245"),
        (b'K', "13"), (b'L', "123"), (b'M', "134"), (b'N', "1345"), (b'O', "135"),
        (b'P', "1234"), (b'Q', "12345"), (b'R', "1235"), (b'S', "234"), (b'T', "2345"),
        (b'U', "136"), (b'V', "1236"), (b'W', "2456"), (b'X', "1346"), (b'Y', "13456"),
        (b'Z', "1356"), (b'!', "2346"), (b'"', "5"), (b'#', "3456"), (b'$', "1246"),
        (b'%', "146"), (b'&', "12346"), (b'\'', "3"), (b'(', "12356"), (b')', "23456"),
        (b'*', "16"), (b'+', "346"), (b',', "6"), (b'-', "36"), (b'.', "46"), (b'/', "34"),
        (b'0', "356"), (b'1', "2"), (b'2', "23"), (b'3', "25"), (b'4', "256"), (b'5', "26"),
        (b'6', "235"), (b'7', "2356"), (b'8', "236"), (b'9', "35"), (b':', "156"),
        (b';', "56"), (b'<', "126"), (b'=', "123456"), (b'>', "345"), (b'?', "1456"),
        (b'@', "4"), (b'[', "246"), (b'\\', "1256"), (b']', "12456"), (b'^', "45"),
        (b'_', "456"),
    ];
    let mut table = [0u8; 64];
    let mut i = 0;
    while i < PAIRS.len() {
        let (c, dots) = PAIRS[i];
        let dots = dots.as_bytes();
        let mut bits = 0usize;
        let mut j = 0;
        while j < dots.len() {
            bits |= 1 << (dots[j] - b'1');
            j += 1;
        }
        table[bits] = c;
        i += 1;
    }
    table
};

/// The six dots of a Unicode braille cell (dots 7 and 8 dropped), or `None` for a
/// character outside the braille block.
pub fn dots(c: char) -> Option<u8> {
    let code = c as u32;
    (0x2800..=0x28FF)
        .contains(&code)
        .then(|| (code - 0x2800) as u8 & 0x3F)
}

/// Whether `c` is a braille cell that uses dot 7 or 8: liblouis writes those only where a
/// table has no braille for a character (it spells the character's code instead).
pub fn eight_dot(c: char) -> bool {
    (0x2840..=0x28FF).contains(&(c as u32))
}

/// A line of Unicode braille as North American ASCII braille (upper case, as BRF files are).
pub fn to_ascii(line: &str) -> String {
    line.chars()
        .map(|c| dots(c).map_or(' ', |d| ASCII[d as usize] as char))
        .collect()
}

/// A number in braille: the number sign (dots 3456) and the digits as the letters a–j
/// (UEB and the other literary codes folio uses write page numbers so).
pub fn number(n: usize) -> String {
    #[rustfmt::skip]
    const DIGITS: [u8; 10] = [
        0b011010, 0b000001, 0b000011, 0b001001, 0b011001, 0b010001, 0b001011, 0b011011,
        0b010011, 0b001010,
    ];
    let mut out = String::from('\u{283C}');
    for d in n.to_string().bytes() {
        out.push(char::from_u32(0x2800 + DIGITS[(d - b'0') as usize] as u32).unwrap());
    }
    out
}

/// The number of cells of a braille line.
pub fn width(line: &str) -> usize {
    line.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_braille_has_one_character_for_each_of_the_64_cells() {
        let mut seen: Vec<u8> = ASCII.to_vec();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 64);
        assert_eq!(to_ascii("⠠⠓⠑⠇⠇⠕⠀⠸⠺"), ",HELLO _W");
    }

    #[test]
    fn page_numbers_are_the_number_sign_and_letters() {
        assert_eq!(to_ascii(&number(107)), "#AJG");
    }
}
