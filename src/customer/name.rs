//! Customer names in kanji (カード会員名) and their katakana readings (フリガナ).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::width::{collapse_whitespace, fold_width};

/// Longer than any real name; a guard against a whole row pasted into one cell.
const MAX_CHARS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("the name is empty")]
    Empty,
    #[error("the name is longer than 100 characters")]
    TooLong,
    #[error("the name contains control characters")]
    ControlCharacter,
    #[error("the reading must be written in katakana or hiragana")]
    NotKana,
}

/// A customer's name as written, e.g. `山田 太郎`. Only width-folded (full-width
/// letters to half-width, half-width kana to full-width) and spaces tidied: never
/// NFKC, which would rewrite characters such as 髙 or ㈱ that a person chose.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CustomerName(String);

impl CustomerName {
    pub fn parse(input: &str) -> Result<Self, NameError> {
        tidy(input).map(Self)
    }

    /// The part before the first space, for 「山田 様」. A name written without a
    /// space (`山田太郎`) cannot be split safely, so it is returned whole.
    pub fn family_name(&self) -> &str {
        self.0.split_once(' ').map_or(self.0.as_str(), |(family, _)| family)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The reading of a name in full-width katakana, e.g. `ヤマダ タロウ`; hiragana
/// and half-width kana are converted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NameKana(String);

impl NameKana {
    pub fn parse(input: &str) -> Result<Self, NameError> {
        let katakana: String = fold_width(input).chars().map(hiragana_to_katakana).collect();
        let tidied = tidy(&katakana)?;
        if tidied.chars().all(|c| c == ' ' || is_katakana(c)) {
            Ok(Self(tidied))
        } else {
            Err(NameError::NotKana)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn tidy(input: &str) -> Result<String, NameError> {
    let tidied = collapse_whitespace(&fold_width(input));
    if tidied.is_empty() {
        Err(NameError::Empty)
    } else if tidied.chars().count() > MAX_CHARS {
        Err(NameError::TooLong)
    } else if tidied.chars().any(char::is_control) {
        Err(NameError::ControlCharacter)
    } else {
        Ok(tidied)
    }
}

fn hiragana_to_katakana(c: char) -> char {
    match c {
        // ぁ…ゖ and ゝゞ sit exactly 0x60 below ァ…ヶ and ヽヾ.
        '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309E}' => char::from_u32(u32::from(c) + 0x60).unwrap_or(c),
        _ => c,
    }
}

/// Katakana letters, the middle dot ・, the long vowel mark ー and the iteration marks ヽヾ.
fn is_katakana(c: char) -> bool {
    ('\u{30A1}'..='\u{30FE}').contains(&c)
}

macro_rules! string_conversions {
    ($type:ident) => {
        impl fmt::Display for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $type {
            type Error = NameError;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$type> for String {
            fn from(name: $type) -> Self {
                name.0
            }
        }
    };
}

string_conversions!(CustomerName);
string_conversions!(NameKana);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_keeps_its_kanji_and_gets_one_ascii_space() {
        let name = CustomerName::parse("　山田　　太郎 ").expect("valid");
        assert_eq!(name.as_str(), "山田 太郎");
    }

    #[test]
    fn a_name_is_width_folded_but_not_nfkc_normalised() {
        let name = CustomerName::parse("髙橋　ＪＯＨＮ　ｶﾞｸ").expect("valid");
        assert_eq!(name.as_str(), "髙橋 JOHN ガク");
    }

    #[test]
    fn the_family_name_is_the_part_before_the_first_space() {
        assert_eq!(CustomerName::parse("山田 太郎").expect("valid").family_name(), "山田");
        assert_eq!(
            CustomerName::parse("佐々木 花子 ミドル").expect("valid").family_name(),
            "佐々木"
        );
    }

    #[test]
    fn a_name_without_a_space_is_its_own_family_name() {
        assert_eq!(
            CustomerName::parse("山田太郎").expect("valid").family_name(),
            "山田太郎"
        );
    }

    #[test]
    fn empty_overlong_and_control_character_names_are_rejected() {
        assert_eq!(CustomerName::parse(" 　 "), Err(NameError::Empty));
        assert_eq!(CustomerName::parse(&"山".repeat(101)), Err(NameError::TooLong));
        assert_eq!(
            CustomerName::parse("山田\u{0007}太郎"),
            Err(NameError::ControlCharacter)
        );
    }

    #[test]
    fn a_reading_in_hiragana_becomes_katakana() {
        assert_eq!(
            NameKana::parse("やまだ　たろう").map(String::from),
            Ok("ヤマダ タロウ".to_owned())
        );
    }

    #[test]
    fn a_reading_in_half_width_kana_becomes_full_width() {
        assert_eq!(
            NameKana::parse("ﾔﾏﾀﾞ ﾀﾛｳ").map(String::from),
            Ok("ヤマダ タロウ".to_owned())
        );
        assert_eq!(
            NameKana::parse("ｻｲﾄｳ ｼﾞｭﾝｲﾁﾛｰ").map(String::from),
            Ok("サイトウ ジュンイチロー".to_owned())
        );
    }

    #[test]
    fn a_reading_in_kanji_or_latin_letters_is_rejected() {
        assert_eq!(NameKana::parse("山田 太郎"), Err(NameError::NotKana));
        assert_eq!(NameKana::parse("YAMADA TARO"), Err(NameError::NotKana));
    }
}
