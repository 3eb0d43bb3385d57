//! Width folding for Japanese input: what people type in full width or half-width kana, made comparable.

use unicode_normalization::UnicodeNormalization;

/// Full-width ASCII letters, digits and punctuation become half-width, the ideographic
/// space U+3000 becomes an ASCII space, and half-width katakana become full-width
/// (ｶﾞ → ガ). Nothing else changes: kanji, kana and symbols keep their code points,
/// which is why names use this and not NFKC (NFKC would also rewrite ㈱, ﾟ, ① and
/// compatibility kanji that a person may have chosen on purpose).
pub fn fold_width(input: &str) -> String {
    if input.is_ascii() {
        return input.to_owned();
    }
    let mut out = String::with_capacity(input.len());
    // Half-width kana are folded a run at a time so that a voiced mark (ﾞ, ﾟ)
    // composes with the kana before it.
    let mut kana_run = String::new();
    for c in input.chars() {
        if is_half_width_katakana(c) {
            kana_run.push(c);
            continue;
        }
        if !kana_run.is_empty() {
            out.extend(kana_run.nfkc());
            kana_run.clear();
        }
        out.push(fold_char(c));
    }
    out.extend(kana_run.nfkc());
    out
}

/// [`fold_width`] plus every hyphen-like character (－, ー, ‐, −, – …) turned into `-`.
/// Only for numbers (postal codes, phone and card numbers, reference codes): in words
/// ー is a long vowel and must stay.
pub fn fold_number(input: &str) -> String {
    fold_width(input)
        .chars()
        .map(|c| if is_hyphen_like(c) { '-' } else { c })
        .collect()
}

/// Hyphen-like characters that people type, or that input methods produce, between digits.
pub fn is_hyphen_like(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'
            ..='\u{2015}' // ‐ ‑ ‒ – — ―
            | '\u{2043}' // ⁃
            | '\u{2212}' // − minus sign
            | '\u{2500}' // ─ box drawing, from some Japanese input methods
            | '\u{30FC}' // ー long vowel mark
            | '\u{FE63}' // ﹣
            | '\u{FF0D}' // －
            | '\u{FF70}' // ｰ
    )
}

/// Trims and collapses every run of whitespace (including U+3000 and line breaks) into one ASCII space.
pub fn collapse_whitespace(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for word in input.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn is_half_width_katakana(c: char) -> bool {
    ('\u{FF61}'..='\u{FF9F}').contains(&c)
}

fn fold_char(c: char) -> char {
    match c {
        // The full-width ASCII block mirrors ASCII 0x21–0x7E at a fixed offset.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_letters_digits_and_spaces_become_half_width() {
        assert_eq!(fold_width("ＡＢＣ　ｘｙｚ　０１２＠"), "ABC xyz 012@");
    }

    #[test]
    fn half_width_katakana_become_full_width_with_voiced_marks_composed() {
        assert_eq!(fold_width("ﾔﾏﾀﾞ ﾊﾟﾝ"), "ヤマダ パン");
    }

    #[test]
    fn kanji_hiragana_and_symbols_are_left_alone() {
        assert_eq!(fold_width("髙橋 ㈱ ① ー"), "髙橋 ㈱ ① ー");
    }

    #[test]
    fn number_folding_turns_every_hyphen_like_character_into_a_hyphen() {
        assert_eq!(fold_number("０９０－１２３４ー５６７８‐9−0"), "090-1234-5678-9-0");
    }

    #[test]
    fn whitespace_runs_collapse_to_one_space_and_ends_are_trimmed() {
        assert_eq!(collapse_whitespace("　山田 \u{3000}\n 太郎　"), "山田 太郎");
    }
}
