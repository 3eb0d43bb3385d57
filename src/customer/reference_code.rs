//! 受付番号: the random reference code printed on letters, typed on the status page and read aloud on the phone.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::width::fold_number;

/// 31 symbols without the look-alikes 0/O and 1/I/L. 31 is prime, which is what
/// makes the weighted check below catch every single substitution and every swap.
const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const BASE: u128 = ALPHABET.len() as u128;
/// Twelve random symbols (31¹² ≈ 7.9 × 10¹⁷ codes) and one check symbol: a million guesses
/// against ten million customers still hit a code with a chance under 1 in 10,000 (README).
const LEN: usize = 13;
const PAYLOAD_LEN: usize = LEN - 1;

/// A customer's reference code, e.g. `K7QX-3MHT-9PABF`. Always valid: thirteen symbols from
/// the 31-symbol alphabet, the last one a check symbol.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReferenceCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceCodeError {
    #[error("a reference code has 13 characters, like K7QX-3MHT-9PABF")]
    Length,
    #[error("'{0}' is not used in reference codes")]
    Character(char),
    #[error("this reference code has a typing mistake")]
    Check,
}

impl ReferenceCodeError {
    pub fn message_ja(&self) -> String {
        match self {
            Self::Length => "受付番号は13文字です（例: K7QX-3MHT-9PABF）。".to_owned(),
            Self::Character(c) => format!("「{c}」は受付番号に使われていない文字です。"),
            Self::Check => "受付番号に入力間違いがあります。お手紙の番号をご確認ください。".to_owned(),
        }
    }
}

impl ReferenceCode {
    /// A new code from 16 random bytes the caller draws from a CSPRNG. Taking the bytes
    /// keeps this type pure; the randomness, not a counter or personal data, is what
    /// stops one customer from guessing another's code.
    pub fn from_random(bytes: [u8; 16]) -> Self {
        let mut n = u128::from_le_bytes(bytes);
        let mut values = [0u8; LEN];
        for value in values.iter_mut().take(PAYLOAD_LEN) {
            *value = (n % BASE) as u8;
            n /= BASE;
        }
        // The check symbol makes the weighted sum of all thirteen a multiple of 31.
        let partial = weighted_sum(&values);
        values[PAYLOAD_LEN] = ((BASE - partial % BASE) % BASE) as u8;
        Self(values.iter().map(|&v| char::from(ALPHABET[usize::from(v)])).collect())
    }

    /// Accepts what customers type: with or without hyphens and spaces, either case,
    /// full-width (ＫＱ７…) and any hyphen-like character (－, ー).
    pub fn parse(input: &str) -> Result<Self, ReferenceCodeError> {
        let mut values = Vec::with_capacity(LEN);
        for c in fold_number(input).chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let value = value_of(c.to_ascii_uppercase()).ok_or(ReferenceCodeError::Character(c))?;
            if values.len() == LEN {
                return Err(ReferenceCodeError::Length);
            }
            values.push(value);
        }
        if values.len() != LEN {
            return Err(ReferenceCodeError::Length);
        }
        if !weighted_sum(&values).is_multiple_of(BASE) {
            return Err(ReferenceCodeError::Check);
        }
        Ok(Self(
            values.iter().map(|&v| char::from(ALPHABET[usize::from(v)])).collect(),
        ))
    }

    /// The thirteen symbols without hyphens, for storage and lookups.
    pub fn compact(&self) -> &str {
        &self.0
    }
}

/// Position i (0-based) has weight 13 − i, so the weights 13…1 are distinct, non-zero
/// and below 31. A substitution changes the sum by w·d and a swap of positions i, j by
/// (wᵢ − wⱼ)·d, with 0 < |d| < 31: never a multiple of the prime 31.
fn weighted_sum(values: &[u8]) -> u128 {
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| (LEN - i) as u128 * u128::from(v))
        .sum()
}

fn value_of(c: char) -> Option<u8> {
    let byte = u8::try_from(c).ok()?;
    ALPHABET
        .iter()
        .position(|&a| a == byte)
        .and_then(|i| u8::try_from(i).ok())
}

impl fmt::Display for ReferenceCode {
    /// Grouped 4-4-5 for reading aloud and copying by hand.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (first, rest) = self.0.split_at(4);
        let (second, third) = rest.split_at(4);
        write!(f, "{first}-{second}-{third}")
    }
}

impl fmt::Debug for ReferenceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReferenceCode({self})")
    }
}

impl std::str::FromStr for ReferenceCode {
    type Err = ReferenceCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for ReferenceCode {
    type Error = ReferenceCodeError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ReferenceCode> for String {
    fn from(code: ReferenceCode) -> Self {
        code.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic stand-ins for random bytes, spread over the whole range.
    fn sample_codes() -> Vec<ReferenceCode> {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        (0..300)
            .map(|_| {
                let mut bytes = [0u8; 16];
                for chunk in bytes.chunks_mut(8) {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    chunk.copy_from_slice(&state.to_le_bytes());
                }
                ReferenceCode::from_random(bytes)
            })
            .collect()
    }

    #[test]
    fn the_alphabet_has_31_symbols_without_look_alikes() {
        assert_eq!(ALPHABET.len(), 31);
        for look_alike in [b'0', b'O', b'1', b'I', b'L'] {
            assert!(!ALPHABET.contains(&look_alike));
        }
    }

    #[test]
    fn a_generated_code_parses_back_to_itself() {
        for code in sample_codes() {
            assert_eq!(ReferenceCode::parse(code.compact()), Ok(code.clone()));
            assert_eq!(ReferenceCode::parse(&code.to_string()), Ok(code));
        }
    }

    #[test]
    fn different_random_bytes_give_different_codes() {
        let codes = sample_codes();
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), codes.len());
    }

    #[test]
    fn it_is_displayed_in_groups_of_four_four_and_five() {
        let code = ReferenceCode::from_random([7; 16]);
        let shown = code.to_string();
        assert_eq!(shown.len(), 15);
        assert_eq!(&shown[4..5], "-");
        assert_eq!(&shown[9..10], "-");
        assert_eq!(shown.replace('-', ""), code.compact());
    }

    #[test]
    fn every_single_substitution_is_rejected() {
        for code in sample_codes() {
            let original = code.compact().as_bytes().to_vec();
            for position in 0..LEN {
                for &symbol in ALPHABET.iter().filter(|&&s| s != original[position]) {
                    let mut typo = original.clone();
                    typo[position] = symbol;
                    let typo = String::from_utf8(typo).expect("the alphabet is ASCII");
                    assert_eq!(ReferenceCode::parse(&typo), Err(ReferenceCodeError::Check), "{typo}");
                }
            }
        }
    }

    #[test]
    fn every_adjacent_swap_is_rejected() {
        for code in sample_codes() {
            let original = code.compact().as_bytes().to_vec();
            for position in 0..LEN - 1 {
                if original[position] == original[position + 1] {
                    continue;
                }
                let mut swapped = original.clone();
                swapped.swap(position, position + 1);
                let swapped = String::from_utf8(swapped).expect("the alphabet is ASCII");
                assert_eq!(
                    ReferenceCode::parse(&swapped),
                    Err(ReferenceCodeError::Check),
                    "{swapped}"
                );
            }
        }
    }

    #[test]
    fn lower_case_spaces_and_missing_hyphens_are_accepted() {
        let code = ReferenceCode::from_random([42; 16]);
        let typed = code.compact().to_ascii_lowercase();
        let spaced = format!(" {} {} ", &typed[..5], &typed[5..]);
        assert_eq!(ReferenceCode::parse(&spaced), Ok(code));
    }

    #[test]
    fn full_width_characters_and_japanese_hyphens_are_accepted() {
        let code = ReferenceCode::from_random([9; 16]);
        let full_width: String = code
            .to_string()
            .chars()
            .enumerate()
            .map(|(i, c)| match c {
                '-' if i == 4 => '－',
                '-' => 'ー',
                c => char::from_u32(u32::from(c) + 0xFEE0).unwrap_or(c),
            })
            .collect();
        assert_eq!(ReferenceCode::parse(&full_width), Ok(code));
    }

    #[test]
    fn look_alike_characters_are_named_in_the_error() {
        assert_eq!(
            ReferenceCode::parse("K7QX-3MHT-0P"),
            Err(ReferenceCodeError::Character('0'))
        );
        assert_eq!(
            ReferenceCode::parse("k7qx-3mht-lp"),
            Err(ReferenceCodeError::Character('l'))
        );
    }

    #[test]
    fn too_short_and_too_long_codes_are_rejected() {
        assert_eq!(ReferenceCode::parse("K7QX-3MHT-9"), Err(ReferenceCodeError::Length));
        assert_eq!(
            ReferenceCode::parse("K7QX-3MHT-9PABFP"),
            Err(ReferenceCodeError::Length)
        );
        assert_eq!(ReferenceCode::parse(""), Err(ReferenceCodeError::Length));
    }

    #[test]
    fn it_serializes_as_the_compact_string_and_deserializes_through_parse() {
        use serde::de::IntoDeserializer;
        let code = ReferenceCode::from_random([3; 16]);
        // `#[serde(into = "String")]` serializes exactly this string.
        assert_eq!(String::from(code.clone()), code.compact());
        let grouped = code.to_string();
        let deserializer: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
            grouped.as_str().into_deserializer();
        assert_eq!(ReferenceCode::deserialize(deserializer), Ok(code));
    }

    proptest::proptest! {
        #[test]
        fn fuzz_any_text_either_parses_to_a_code_that_round_trips_or_is_refused(input in "\\PC{0,40}") {
            if let Ok(code) = ReferenceCode::parse(&input) {
                proptest::prop_assert_eq!(ReferenceCode::parse(&code.to_string()), Ok(code));
            }
        }
    }
}
