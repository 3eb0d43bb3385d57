//! Which character encoding an affected-customer CSV is in, chosen by the user or detected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The encoding choice on the Import page and the `--encoding` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvEncoding {
    /// Detect UTF-8 (with or without BOM) or Shift_JIS from the start of the file.
    #[default]
    Auto,
    Utf8,
    /// Shift_JIS as Windows writes it (Windows-31J / CP932, with NEC and IBM extensions).
    ShiftJis,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown encoding {0:?}: use auto, utf-8 or shift_jis")]
pub struct UnknownEncoding(String);

impl CsvEncoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Utf8 => "utf-8",
            Self::ShiftJis => "shift_jis",
        }
    }

    /// Decides between UTF-8 and Shift_JIS from the first bytes of a file. A UTF-8
    /// BOM, or bytes that are valid UTF-8, mean UTF-8: Shift_JIS text with kana or
    /// kanji is practically never valid UTF-8. `at_end` says whether `prefix` is the
    /// whole file; if not, a multi-byte character cut off at its end is not an error.
    pub fn detect(prefix: &[u8], at_end: bool) -> Self {
        if prefix.starts_with(b"\xEF\xBB\xBF") {
            return Self::Utf8;
        }
        match std::str::from_utf8(prefix) {
            Ok(_) => Self::Utf8,
            Err(error) if error.error_len().is_none() && !at_end => Self::Utf8,
            Err(_) => Self::ShiftJis,
        }
    }
}

impl fmt::Display for CsvEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CsvEncoding {
    type Err = UnknownEncoding;

    /// Accepts the names people use: utf-8, utf8, shift_jis, sjis, cp932, windows-31j.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key: String = s
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !matches!(c, '-' | '_'))
            .collect();
        match key.as_str() {
            "auto" => Ok(Self::Auto),
            "utf8" => Ok(Self::Utf8),
            "shiftjis" | "sjis" | "cp932" | "windows31j" | "mskanji" => Ok(Self::ShiftJis),
            _ => Err(UnknownEncoding(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_or_valid_utf8_is_detected_as_utf8() {
        assert_eq!(CsvEncoding::detect(b"\xEF\xBB\xBFname", true), CsvEncoding::Utf8);
        assert_eq!(
            CsvEncoding::detect("氏名,カード番号".as_bytes(), true),
            CsvEncoding::Utf8
        );
        assert_eq!(CsvEncoding::detect(b"name,pan", true), CsvEncoding::Utf8);
    }

    #[test]
    fn shift_jis_bytes_are_detected_as_shift_jis() {
        // 氏名 in Shift_JIS.
        assert_eq!(CsvEncoding::detect(b"\x8E\x81\x96\xBC", true), CsvEncoding::ShiftJis);
    }

    #[test]
    fn a_utf8_character_cut_by_the_end_of_the_prefix_is_still_utf8() {
        let text = "氏名".as_bytes();
        assert_eq!(CsvEncoding::detect(&text[..4], false), CsvEncoding::Utf8);
        assert_eq!(CsvEncoding::detect(&text[..4], true), CsvEncoding::ShiftJis);
    }

    #[test]
    fn common_encoding_names_are_understood() {
        for (name, encoding) in [
            ("UTF-8", CsvEncoding::Utf8),
            ("utf8", CsvEncoding::Utf8),
            ("Shift_JIS", CsvEncoding::ShiftJis),
            ("sjis", CsvEncoding::ShiftJis),
            ("CP932", CsvEncoding::ShiftJis),
            ("auto", CsvEncoding::Auto),
        ] {
            assert_eq!(name.parse::<CsvEncoding>(), Ok(encoding), "{name}");
        }
        assert!("latin1".parse::<CsvEncoding>().is_err());
    }
}
