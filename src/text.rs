//! The one rule for free text that staff type and other people read: no control characters and no
//! Unicode bidirectional formatting characters.
//!
//! A NUL or a bell garbles a page, a CSV export or a printed letter; U+202E (right-to-left override)
//! and its relatives make text display in a different order than it is stored ("Trojan Source"), so
//! a note or a name could read as something else to the next person. Line breaks and tabs are
//! allowed where a field is multi-line. Domain types call [`check`] in their `parse`, so a value
//! that holds such a character is never constructed.

/// Whether line breaks (and tabs) belong in the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    Single,
    Multi,
}

/// The first refused character, for the message and the logs (as a code point, never the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the text contains an invisible control or direction character (U+{:04X})", *.0 as u32)]
pub struct HiddenCharacter(pub char);

/// Refuses control characters (except `\n`, `\r` and `\t` in multi-line text) and bidirectional
/// formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
pub fn check(text: &str, lines: Lines) -> Result<(), HiddenCharacter> {
    match text.chars().find(|&c| is_hidden(c, lines)) {
        Some(c) => Err(HiddenCharacter(c)),
        None => Ok(()),
    }
}

fn is_hidden(c: char, lines: Lines) -> bool {
    let line_break = matches!(c, '\n' | '\r' | '\t');
    (c.is_control() && !(line_break && lines == Lines::Multi))
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_japanese_and_english_text_passes() {
        assert_eq!(check("山田 太郎（ヤマダ）様 — O'Brien <b>", Lines::Single), Ok(()));
        assert_eq!(check("一行目\n二行目\tタブ", Lines::Multi), Ok(()));
    }

    #[test]
    fn control_characters_are_refused_and_line_breaks_only_in_multi_line_text() {
        assert_eq!(check("a\u{0000}b", Lines::Multi), Err(HiddenCharacter('\u{0000}')));
        assert_eq!(check("ring\u{0007}", Lines::Multi), Err(HiddenCharacter('\u{0007}')));
        assert_eq!(check("\u{009B}31m", Lines::Multi), Err(HiddenCharacter('\u{009B}')));
        assert_eq!(check("一行目\n二行目", Lines::Single), Err(HiddenCharacter('\n')));
    }

    #[test]
    fn direction_overrides_and_isolates_are_refused() {
        for c in ['\u{202E}', '\u{202A}', '\u{2066}', '\u{2069}', '\u{200F}', '\u{061C}'] {
            assert_eq!(
                check(&format!("invoice{c}fdp.exe"), Lines::Single),
                Err(HiddenCharacter(c))
            );
        }
    }

    #[test]
    fn the_message_names_the_code_point_not_the_text() {
        assert_eq!(
            HiddenCharacter('\u{202E}').to_string(),
            "the text contains an invisible control or direction character (U+202E)"
        );
    }
}
