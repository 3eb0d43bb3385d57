//! Japanese phone numbers: 10 or 11 digits starting with 0, shown with hyphens where the grouping is known.

use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

use super::width::fold_number;

/// A domestic Japanese number. Two numbers are equal when their digits are; the
/// hyphenated form is for display only.
#[derive(Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber {
    digits: String,
    display: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneNumberError {
    #[error("a phone number may contain only digits, spaces, hyphens and brackets")]
    Characters,
    #[error("only Japanese phone numbers (+81 or starting with 0) are accepted")]
    Foreign,
    #[error("a Japanese phone number has 10 digits (11 for mobiles) starting with 0")]
    Length,
}

impl PhoneNumber {
    /// Accepts half- or full-width digits, any hyphen-like separator, spaces,
    /// brackets (`03(1234)5678`) and a leading +81 that stands for the 0.
    pub fn parse(input: &str) -> Result<Self, PhoneNumberError> {
        let folded = fold_number(input);
        let mut rest = folded.trim();
        let international = rest.starts_with('+');
        if international {
            rest = rest.strip_prefix("+81").ok_or(PhoneNumberError::Foreign)?;
        }
        let mut groups: Vec<String> = Vec::new();
        for part in rest.split(|c: char| c == '-' || c == '(' || c == ')' || c.is_whitespace()) {
            if part.is_empty() {
                continue;
            }
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(PhoneNumberError::Characters);
            }
            groups.push(part.to_owned());
        }
        if international {
            // "+81 (0)90…" writes the trunk 0 as its own group; "+81 90…" leaves it out.
            if groups.first().is_some_and(|g| g == "0") && groups.len() > 1 {
                groups.remove(0);
            }
            if let Some(first) = groups.first_mut().filter(|g| !g.starts_with('0')) {
                first.insert(0, '0');
            }
        }
        let digits: String = groups.concat();
        if !digits.starts_with('0') || digits.len() != expected_length(&digits) {
            return Err(PhoneNumberError::Length);
        }
        let display = known_grouping(&digits)
            .or_else(|| entered_grouping(&groups))
            .unwrap_or_else(|| digits.clone());
        Ok(Self { digits, display })
    }

    /// Digits only, for storage and search.
    pub fn digits(&self) -> &str {
        &self.digits
    }
}

/// Mobile, IP and M2M numbers (0X0 prefixes) and 0800 free dial have 11 digits;
/// every other domestic number, landlines included, has 10.
fn expected_length(digits: &str) -> usize {
    let eleven = ["020", "050", "060", "070", "080", "090", "0800"];
    if eleven.iter().any(|prefix| digits.starts_with(prefix)) {
        11
    } else {
        10
    }
}

/// Groupings that follow from the number alone. Landline area codes vary from 2 to
/// 5 digits (024 Fukushima but 0246 Iwaki), so beyond Tokyo and Osaka those keep the
/// grouping the person entered.
fn known_grouping(digits: &str) -> Option<String> {
    let sizes: &[usize] = match (digits.len(), digits) {
        (11, d) if ["090", "080", "070", "060", "050"].iter().any(|p| d.starts_with(p)) => &[3, 4, 4],
        (11, d) if d.starts_with("0800") => &[4, 3, 4],
        (10, d) if d.starts_with("0120") || d.starts_with("0570") => &[4, 3, 3],
        (10, d) if d.starts_with("03") || d.starts_with("06") => &[2, 4, 4],
        _ => return None,
    };
    let mut out = String::with_capacity(digits.len() + 2);
    let mut start = 0;
    for &size in sizes {
        if start > 0 {
            out.push('-');
        }
        out.push_str(&digits[start..start + size]);
        start += size;
    }
    Some(out)
}

/// The grouping as entered, if it looks like area code – exchange – subscriber.
fn entered_grouping(groups: &[String]) -> Option<String> {
    let plausible =
        groups.len() == 3 && groups[0].starts_with('0') && (2..=5).contains(&groups[0].len()) && groups[2].len() == 4;
    plausible.then(|| groups.join("-"))
}

impl PartialEq for PhoneNumber {
    fn eq(&self, other: &Self) -> bool {
        self.digits == other.digits
    }
}

impl Eq for PhoneNumber {}

impl Hash for PhoneNumber {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.digits.hash(state);
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber({})", self.display)
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = PhoneNumberError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(phone: PhoneNumber) -> Self {
        phone.display
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(input: &str) -> Result<String, PhoneNumberError> {
        PhoneNumber::parse(input).map(|phone| phone.to_string())
    }

    #[test]
    fn full_width_mobile_numbers_are_folded_and_grouped() {
        assert_eq!(shown("０９０－１２３４－５６７８"), Ok("090-1234-5678".to_owned()));
        assert_eq!(shown("09012345678"), Ok("090-1234-5678".to_owned()));
    }

    #[test]
    fn a_leading_plus_81_stands_for_the_trunk_zero() {
        assert_eq!(shown("+81 90 1234 5678"), Ok("090-1234-5678".to_owned()));
        assert_eq!(shown("+81 (0)3 1234 5678"), Ok("03-1234-5678".to_owned()));
        assert_eq!(shown("+81-246-43-0000"), Ok("0246-43-0000".to_owned()));
    }

    #[test]
    fn free_dial_numbers_are_grouped_four_three_three() {
        assert_eq!(shown("0120034294"), Ok("0120-034-294".to_owned()));
    }

    #[test]
    fn landlines_keep_the_grouping_entered_or_fall_back_to_digits() {
        assert_eq!(shown("0246(43)0000"), Ok("0246-43-0000".to_owned()));
        assert_eq!(shown("0246430000"), Ok("0246430000".to_owned()));
    }

    #[test]
    fn the_same_digits_grouped_differently_are_the_same_number() {
        assert_eq!(PhoneNumber::parse("0246-43-0000"), PhoneNumber::parse("0246430000"));
        assert_eq!(
            PhoneNumber::parse("0246-43-0000").map(|p| p.digits().to_owned()),
            Ok("0246430000".to_owned())
        );
    }

    #[test]
    fn wrong_lengths_letters_and_foreign_numbers_are_rejected() {
        assert_eq!(shown("090-1234-567"), Err(PhoneNumberError::Length));
        assert_eq!(shown("090-1234-56789"), Err(PhoneNumberError::Length));
        assert_eq!(shown("1234567890"), Err(PhoneNumberError::Length));
        assert_eq!(shown("0246-43-00000"), Err(PhoneNumberError::Length));
        assert_eq!(shown("090-1234-567a"), Err(PhoneNumberError::Characters));
        assert_eq!(shown("+1 212 555 0100"), Err(PhoneNumberError::Foreign));
    }
}
