//! Call notes never hold card numbers: a run of 13–19 digits, with spaces or hyphens between
//! them, keeps only its last 4 before anything is saved.

use serde::{Deserialize, Serialize};

use crate::customer::width::{fold_number, is_hyphen_like};

/// Notes as saved: masked, trimmed, at most [`CallNotes::MAX_CHARS`] characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallNotes {
    text: String,
    /// How many card-number-like runs were masked, so the agent can be told.
    masked: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CallNotesError {
    #[error("notes have at most {} characters", CallNotes::MAX_CHARS)]
    TooLong,
    #[error("notes may not hold invisible control characters")]
    Hidden,
}

impl CallNotes {
    pub const MAX_CHARS: usize = 2_000;

    pub fn parse(input: &str) -> Result<CallNotes, CallNotesError> {
        let trimmed = input.trim();
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(CallNotesError::TooLong);
        }
        if crate::text::check(trimmed, crate::text::Lines::Multi).is_err() {
            return Err(CallNotesError::Hidden);
        }
        let (text, masked) = mask_card_numbers(trimmed);
        Ok(CallNotes { text, masked })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn masked(&self) -> usize {
        self.masked
    }
}

/// Replaces each run of 13–19 digits (full-width too; single spaces or hyphens may separate them)
/// with `****` and its last 4 digits. Returns the text and how many runs were masked.
///
/// Shorter runs stay (phone numbers have 10–11 digits, reference codes mix letters in); a longer
/// run is no card number and stays too, so an agent's order numbers are not mangled.
pub fn mask_card_numbers(text: &str) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut masked = 0;
    let mut index = 0;
    while index < chars.len() {
        if !is_digit(chars[index]) || (index > 0 && is_digit(chars[index - 1])) {
            out.push(chars[index]);
            index += 1;
            continue;
        }
        // A run: digits, each separator single and followed by a digit.
        let mut end = index;
        let mut digits = String::new();
        let mut cursor = index;
        while cursor < chars.len() {
            if is_digit(chars[cursor]) {
                digits.push_str(&fold_number(&chars[cursor].to_string()));
                cursor += 1;
                end = cursor;
            } else if is_separator(chars[cursor]) && chars.get(cursor + 1).is_some_and(|c| is_digit(*c)) {
                cursor += 1;
            } else {
                break;
            }
        }
        if (13..=19).contains(&digits.len()) {
            out.push_str("****");
            out.push_str(&digits[digits.len() - 4..]);
            masked += 1;
        } else {
            out.extend(&chars[index..end]);
        }
        index = end;
    }
    (out, masked)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_separator(c: char) -> bool {
    c == ' ' || c == '\u{3000}' || is_hyphen_like(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sixteen_digit_card_number_keeps_only_its_last_four() {
        assert_eq!(
            mask_card_numbers("カード 4111111111111111 の件"),
            ("カード ****1111 の件".to_owned(), 1)
        );
    }

    #[test]
    fn spaces_and_hyphens_inside_the_number_do_not_hide_it() {
        assert_eq!(mask_card_numbers("4111 1111 1111 1234").0, "****1234");
        assert_eq!(mask_card_numbers("4111-1111-1111-1234").0, "****1234");
        assert_eq!(mask_card_numbers("3782-822463-10005").0, "****0005");
    }

    #[test]
    fn full_width_digits_are_masked_too() {
        assert_eq!(mask_card_numbers("４１１１１１１１１１１１１２３４").0, "****1234");
    }

    #[test]
    fn every_length_from_thirteen_to_nineteen_is_masked_and_no_other() {
        for length in 1..=25 {
            let digits = "9".repeat(length - 1) + "8";
            let (text, masked) = mask_card_numbers(&digits);
            if (13..=19).contains(&length) {
                assert_eq!(text, "****9998", "{length}");
                assert_eq!(masked, 1);
            } else {
                assert_eq!(text, digits, "{length}");
                assert_eq!(masked, 0);
            }
        }
    }

    #[test]
    fn phone_numbers_dates_and_amounts_are_left_alone() {
        let text = "090-1234-5678 に 2017-12-29 折り返し、12,000円";
        assert_eq!(mask_card_numbers(text), (text.to_owned(), 0));
    }

    #[test]
    fn two_numbers_in_one_note_are_both_masked() {
        assert_eq!(
            mask_card_numbers("旧 4111111111111111、新 5555555555554444。"),
            ("旧 ****1111、新 ****4444。".to_owned(), 2)
        );
    }

    #[test]
    fn a_double_space_ends_a_run() {
        assert_eq!(mask_card_numbers("4111111  111111111").1, 0);
    }

    #[test]
    fn notes_are_masked_when_parsed_and_too_long_notes_are_refused() {
        let notes = CallNotes::parse("  4111111111111111  ").expect("notes");
        assert_eq!(notes.as_str(), "****1111");
        assert_eq!(notes.masked(), 1);
        assert_eq!(
            CallNotes::parse(&"あ".repeat(CallNotes::MAX_CHARS + 1)),
            Err(CallNotesError::TooLong)
        );
    }
}
