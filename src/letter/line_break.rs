//! Japanese line breaking (禁則処理): where a line of 横書き text may end, measured by the caller's font.
//!
//! Any two Japanese characters may be split, except that closing punctuation, small kana and the
//! long-vowel mark never start a line and opening brackets never end one. A run of ASCII
//! (a phone number, a URL, a reference code) is kept whole unless it is wider than a line. When a
//! break would break a rule, the characters before it move to the next line (追い出し), so no line
//! is ever wider than asked.

/// Never the first character of a line: closing brackets and quotes, 。、 and other sentence
/// punctuation, the middle dot, small kana, the long-vowel mark and iteration marks (JIS X 4051).
const NOT_AT_LINE_START: &str = "。、，．,.・：；:;？！?!‼⁇⁈⁉…‥）〕］｝〉》」』】〙〗〟’”｠»)]}>ー‐゠–〜～ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻ゝゞヽヾ％%";

/// Never the last character of a line: opening brackets and quotes.
const NOT_AT_LINE_END: &str = "（〔［｛〈《「『【〘〖〝‘“｟«([{<￥＄$";

/// Whether `c` may start a line.
pub fn may_start_line(c: char) -> bool {
    !NOT_AT_LINE_START.contains(c)
}

/// Whether `c` may end a line.
pub fn may_end_line(c: char) -> bool {
    !NOT_AT_LINE_END.contains(c)
}

/// Splits `text` into lines no wider than `max_width`, where `width(c)` is the advance of `c`
/// in the same unit. A newline in `text` always starts a new line; spaces at a break are dropped.
pub fn break_lines(text: &str, max_width: f32, width: impl Fn(char) -> f32) -> Vec<String> {
    text.split('\n')
        .flat_map(|paragraph| break_paragraph(paragraph, max_width, &width))
        .collect()
}

fn break_paragraph(text: &str, max_width: f32, width: &impl Fn(char) -> f32) -> Vec<String> {
    let units = units(text, max_width, width);
    let mut lines = Vec::new();
    let mut start = 0;
    while start < units.len() {
        let mut end = start;
        let mut used = 0.0;
        while end < units.len() && (end == start || used + units[end].width <= max_width) {
            used += units[end].width;
            end += 1;
        }
        if end < units.len() {
            end = allowed_break(&units, start, end);
        }
        lines.push(
            units[start..end]
                .iter()
                .map(|unit| unit.text)
                .collect::<String>()
                .trim_end()
                .to_owned(),
        );
        start = end;
        // A space at the start of a continued line would show as a ragged indent.
        while start < units.len() && units[start].text == " " {
            start += 1;
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// The latest break at or before `end` (and after `start`) that keeps the rules; `end` itself
/// when none does (a line of nothing but closing punctuation cannot be helped).
fn allowed_break(units: &[Unit<'_>], start: usize, end: usize) -> usize {
    (start + 1..=end)
        .rev()
        .find(|&at| {
            let before = units[at - 1].text.chars().next_back().is_none_or(may_end_line);
            let after = units[at].text.chars().next().is_none_or(may_start_line);
            before && after
        })
        .unwrap_or(end)
}

/// The smallest pieces a line is made of.
struct Unit<'a> {
    text: &'a str,
    width: f32,
}

/// Each character is a unit, except that a run of printable ASCII stays together; a run wider
/// than a line falls back to single characters.
fn units<'a>(text: &'a str, max_width: f32, width: &impl Fn(char) -> f32) -> Vec<Unit<'a>> {
    let mut units = Vec::new();
    let mut rest = text;
    while let Some(first) = rest.chars().next() {
        let run = if first.is_ascii_graphic() {
            rest.find(|c: char| !c.is_ascii_graphic()).unwrap_or(rest.len())
        } else {
            first.len_utf8()
        };
        let (piece, tail) = rest.split_at(run);
        let piece_width: f32 = piece.chars().map(width).sum();
        if piece_width > max_width && piece.len() > 1 {
            units.extend(piece.char_indices().map(|(at, c)| Unit {
                text: &piece[at..at + c.len_utf8()],
                width: width(c),
            }));
        } else {
            units.push(Unit {
                text: piece,
                width: piece_width,
            });
        }
        rest = tail;
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character one unit wide, ASCII half: the shape of a Japanese font.
    fn width(c: char) -> f32 {
        if c.is_ascii() { 0.5 } else { 1.0 }
    }

    const SENTENCE: &str = "このたびは、弊社が運営する「ハワイアンズモール」において、お客様の個人情報が流出したことを深くお詫び申し上げます。";

    #[test]
    fn a_line_never_starts_with_a_full_stop() {
        // 10 characters fit; the 11th is 。, so the character before it moves down with it.
        let lines = break_lines("あいうえおかきくけこ。さしすせそ", 10.0, width);
        assert_eq!(lines, ["あいうえおかきくけ", "こ。さしすせそ"]);
    }

    #[test]
    fn no_line_starts_with_closing_punctuation_or_small_kana_at_any_width() {
        for max in 3..30 {
            for line in break_lines(SENTENCE, max as f32, width).iter().skip(1) {
                let first = line.chars().next().expect("no empty lines");
                assert!(may_start_line(first), "{line:?} at width {max}");
            }
        }
        let lines = break_lines("ニュースレターのメッセージ", 4.0, width);
        assert!(
            lines.iter().all(|line| !line.starts_with(['ー', 'ュ', 'ッ'])),
            "{lines:?}"
        );
    }

    #[test]
    fn no_line_ends_with_an_opening_bracket_at_any_width() {
        for max in 3..30 {
            for line in break_lines(SENTENCE, max as f32, width) {
                let last = line.chars().next_back().expect("no empty lines");
                assert!(may_end_line(last), "{line:?} at width {max}");
            }
        }
    }

    #[test]
    fn no_line_is_wider_than_asked_and_nothing_is_lost() {
        for max in 3..30 {
            let lines = break_lines(SENTENCE, max as f32, width);
            assert!(
                lines
                    .iter()
                    .all(|line| line.chars().map(width).sum::<f32>() <= max as f32)
            );
            assert_eq!(lines.concat(), SENTENCE);
        }
    }

    #[test]
    fn a_phone_number_or_reference_code_is_never_split() {
        let lines = break_lines(
            "お電話は0120-034-294まで、受付番号K7QX-3MHT-9PABFをお伝えください。",
            12.0,
            width,
        );
        assert!(lines.iter().any(|line| line.contains("0120-034-294")), "{lines:?}");
        assert!(lines.iter().any(|line| line.contains("K7QX-3MHT-9PABF")), "{lines:?}");
    }

    #[test]
    fn ascii_wider_than_a_line_is_split_by_character() {
        let url = "https://www.hawaiians-mall.com/status";
        let lines = break_lines(url, 8.0, width);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), url);
    }

    #[test]
    fn english_breaks_at_spaces_and_drops_them() {
        let lines = break_lines("we are deeply sorry", 5.0, width);
        assert_eq!(lines, ["we are", "deeply", "sorry"]);
    }

    #[test]
    fn a_newline_always_starts_a_new_line_and_an_empty_text_is_one_empty_line() {
        assert_eq!(break_lines("記\n以上", 10.0, width), ["記", "以上"]);
        assert_eq!(break_lines("", 10.0, width), [""]);
    }
}
