//! The public status page's rules: what a lookup accepts, when the throttle says no, when a
//! requested callback is due, the FAQ managers edit, and how hard a reference code is to guess.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::calendar::schedule::Schedule;
use crate::customer::{CardLast4, PhoneNumber, ReferenceCode, ReferenceCodeError};
use crate::text::{Lines, check};

/// Failed lookups allowed per client address and per reference code within [`THROTTLE_WINDOW`].
pub const FAILURE_LIMIT: usize = 5;
/// How far back failures count.
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);
/// How long a successful lookup's result stays readable without typing the code again.
pub const SESSION_LENGTH: Duration = Duration::minutes(15);
/// Every mismatch is answered no sooner than this after the request arrived, so the answer's timing
/// does not tell a wrong last 4 digits (the code's row was read) from an unknown code (no row).
pub const MISMATCH_ANSWER_TIME: std::time::Duration = std::time::Duration::from_millis(250);

/// What the customer typed, both parts valid in form. Whether they match is the server's question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupInput {
    reference: ReferenceCode,
    last4: CardLast4,
}

/// Why the typed input cannot be a lookup; nothing here depends on stored data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LookupInputError {
    /// The code's own mistake (length, a character not in the alphabet, the check symbol).
    pub reference: Option<ReferenceCodeError>,
    /// Not exactly four digits.
    pub last4: bool,
}

impl LookupInput {
    /// The code in any width, with or without hyphens and spaces; the last 4 in half- or full-width digits.
    pub fn parse(reference: &str, last4: &str) -> Result<LookupInput, LookupInputError> {
        let reference = ReferenceCode::parse(reference);
        let last4 = CardLast4::parse(last4);
        match (reference, last4) {
            (Ok(reference), Ok(last4)) => Ok(LookupInput { reference, last4 }),
            (reference, last4) => Err(LookupInputError {
                reference: reference.err(),
                last4: last4.is_err(),
            }),
        }
    }

    pub fn reference(&self) -> &ReferenceCode {
        &self.reference
    }

    pub fn last4(&self) -> &CardLast4 {
        &self.last4
    }
}

/// When a throttle key may try again, given its failures (any order, any age) and the time now;
/// `None` while fewer than [`FAILURE_LIMIT`] fall within the window.
pub fn retry_at(failures: &[OffsetDateTime], now: OffsetDateTime) -> Option<OffsetDateTime> {
    let mut recent: Vec<OffsetDateTime> = failures
        .iter()
        .copied()
        .filter(|at| *at > now - THROTTLE_WINDOW && *at <= now)
        .collect();
    if recent.len() < FAILURE_LIMIT {
        return None;
    }
    recent.sort_unstable();
    // Tries open again once the oldest failure that keeps the count at the limit leaves the window.
    Some(recent[recent.len() - FAILURE_LIMIT] + THROTTLE_WINDOW)
}

/// Whole seconds to wait, at least one, for `Retry-After`.
pub fn retry_after_seconds(retry_at: OffsetDateTime, now: OffsetDateTime) -> u64 {
    let wait = (retry_at - now).whole_milliseconds().max(0);
    u64::try_from(wait.div_euclid(1000) + i128::from(wait.rem_euclid(1000) > 0))
        .unwrap_or(u64::MAX)
        .max(1)
}

/// The time of day a customer prefers to be called back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreferredTime {
    #[default]
    Any,
    Morning,
    Afternoon,
    Evening,
}

impl PreferredTime {
    pub const ALL: [PreferredTime; 4] = [
        PreferredTime::Any,
        PreferredTime::Morning,
        PreferredTime::Afternoon,
        PreferredTime::Evening,
    ];

    /// As the callbacks table stores it.
    pub fn code(self) -> &'static str {
        match self {
            PreferredTime::Any => "any",
            PreferredTime::Morning => "morning",
            PreferredTime::Afternoon => "afternoon",
            PreferredTime::Evening => "evening",
        }
    }

    pub fn from_code(code: &str) -> Option<PreferredTime> {
        Self::ALL.into_iter().find(|time| time.code() == code.trim())
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            PreferredTime::Any => "いつでも",
            PreferredTime::Morning => "午前（受付開始～12時）",
            PreferredTime::Afternoon => "午後（12時～17時）",
            PreferredTime::Evening => "夕方（17時～受付終了）",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            PreferredTime::Any => "Any time",
            PreferredTime::Morning => "Morning (opening to noon)",
            PreferredTime::Afternoon => "Afternoon (noon to 5 pm)",
            PreferredTime::Evening => "Evening (5 pm to closing)",
        }
    }
}

/// A "please call me back" request as the form posts it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallbackRequest {
    pub phone: PhoneNumber,
    pub preferred_time: PreferredTime,
}

/// Which field of a callback request is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallbackField {
    Phone,
    PreferredTime,
}

impl CallbackRequest {
    pub fn parse(phone: &str, preferred_time: &str) -> Result<CallbackRequest, Vec<CallbackField>> {
        let phone = PhoneNumber::parse(phone).map_err(|_| CallbackField::Phone);
        let preferred_time = PreferredTime::from_code(preferred_time).ok_or(CallbackField::PreferredTime);
        match (phone, preferred_time) {
            (Ok(phone), Ok(preferred_time)) => Ok(CallbackRequest { phone, preferred_time }),
            (phone, preferred_time) => Err([phone.err(), preferred_time.err()].into_iter().flatten().collect()),
        }
    }
}

/// When agents should have called back: by the close of the business day the request falls in,
/// or of the next one when less than an hour of the current day remains (or the line is closed).
/// A line with no opening ahead gets a day.
pub fn callback_due(schedule: &Schedule, now: OffsetDateTime) -> OffsetDateTime {
    let hour = Duration::hours(1);
    if let Some(closing) = schedule.current_closing(now)
        && closing - now >= hour
    {
        return closing;
    }
    let after = schedule.current_closing(now).unwrap_or(now).max(now);
    schedule
        .next_opening(after + Duration::seconds(1))
        .and_then(|opening| schedule.current_closing(opening))
        .unwrap_or(now + Duration::days(1))
}

/// One question and answer of the status page's FAQ.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqEntry {
    pub question_ja: String,
    pub answer_ja: String,
    #[serde(default)]
    pub question_en: String,
    #[serde(default)]
    pub answer_en: String,
}

/// The longest question, and the longest answer, in characters.
pub const FAQ_QUESTION_MAX: usize = 200;
pub const FAQ_ANSWER_MAX: usize = 2000;
/// More would bury the lookup form on a phone.
pub const FAQ_MAX_ENTRIES: usize = 20;

/// Why an FAQ entry was refused: which field, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaqProblem {
    /// The Japanese question or answer is empty (English may be, and then the Japanese is shown).
    Missing,
    TooLong,
    HiddenCharacters,
    /// An English question without an answer, or the reverse.
    HalfTranslated,
}

impl FaqEntry {
    /// A row with every field blank: the editor offers one for a new entry and ignores it when saved.
    pub fn is_blank(&self) -> bool {
        [&self.question_ja, &self.answer_ja, &self.question_en, &self.answer_en]
            .iter()
            .all(|text| text.trim().is_empty())
    }

    /// Trims every field and checks it; problems come as (field name, problem).
    pub fn parse(&self) -> Result<FaqEntry, Vec<(&'static str, FaqProblem)>> {
        let entry = FaqEntry {
            question_ja: self.question_ja.trim().to_owned(),
            answer_ja: self.answer_ja.trim().to_owned(),
            question_en: self.question_en.trim().to_owned(),
            answer_en: self.answer_en.trim().to_owned(),
        };
        let mut problems = Vec::new();
        let fields = [
            ("question_ja", &entry.question_ja, FAQ_QUESTION_MAX, Lines::Single, true),
            ("answer_ja", &entry.answer_ja, FAQ_ANSWER_MAX, Lines::Multi, true),
            (
                "question_en",
                &entry.question_en,
                FAQ_QUESTION_MAX,
                Lines::Single,
                false,
            ),
            ("answer_en", &entry.answer_en, FAQ_ANSWER_MAX, Lines::Multi, false),
        ];
        for (name, text, max, lines, required) in fields {
            if required && text.is_empty() {
                problems.push((name, FaqProblem::Missing));
            } else if text.chars().count() > max {
                problems.push((name, FaqProblem::TooLong));
            } else if check(text, lines).is_err() {
                problems.push((name, FaqProblem::HiddenCharacters));
            }
        }
        if entry.question_en.is_empty() != entry.answer_en.is_empty() {
            let field = if entry.question_en.is_empty() {
                "question_en"
            } else {
                "answer_en"
            };
            problems.push((field, FaqProblem::HalfTranslated));
        }
        if problems.is_empty() { Ok(entry) } else { Err(problems) }
    }
}

/// An hour with at least this many failed lookups can be a spike.
pub const SPIKE_MIN_FAILURES: u64 = 10;

/// Which hours' failures stand out: at least [`SPIKE_MIN_FAILURES`] and at least three times the
/// median hour of the period, so a steady trickle of typos is not flagged but a guessing run is.
pub fn failure_spikes(failures_per_hour: &[u64]) -> Vec<bool> {
    let mut sorted = failures_per_hour.to_vec();
    sorted.sort_unstable();
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or_default();
    failures_per_hour
        .iter()
        .map(|&failures| failures >= SPIKE_MIN_FAILURES && failures >= median.saturating_mul(3))
        .collect()
}

/// Lookups in one hour (Tokyo time).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupHour {
    /// `2018-01-09 10:00`, Tokyo time.
    pub hour: String,
    pub succeeded: u64,
    pub failed: u64,
    pub refused: u64,
    /// Failures well above the period's usual hour: someone may be guessing.
    pub spike: bool,
}

/// An address with failed or refused lookups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupAddress {
    pub address: String,
    pub failed: u64,
    pub refused: u64,
}

/// The managers' report: every hour of the last 48 hours, newest first, and the addresses
/// with the most failures over the same time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupReport {
    pub hours: Vec<LookupHour>,
    pub addresses: Vec<LookupAddress>,
}

/// Distinct valid reference codes: twelve random symbols from 31 (the thirteenth is a check symbol anyone can compute).
pub const REFERENCE_CODE_SPACE: f64 = 787_662_783_788_549_761.0;
/// Distinct last-4 values a guesser must pair with a code.
pub const LAST4_SPACE: f64 = 10_000.0;

/// The chance that at least one of `tries` random guesses hits one of `customers` codes
/// (`with_last4`: a code and its card's last 4 digits together, which is what a lookup needs).
pub fn guess_probability(customers: f64, tries: f64, with_last4: bool) -> f64 {
    let space = if with_last4 {
        REFERENCE_CODE_SPACE * LAST4_SPACE
    } else {
        REFERENCE_CODE_SPACE
    };
    // 1 − (1 − p)ⁿ, computed without losing the tiny p to rounding.
    -(tries * (-customers / space).ln_1p()).exp_m1()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::calendar::test_support::seed_schedule;

    #[test]
    fn a_code_in_any_width_with_any_hyphens_and_full_width_digits_are_read() {
        let code = ReferenceCode::from_random([5; 16]);
        let typed = format!("{}", code).to_ascii_lowercase().replace('-', "ー");
        let input = LookupInput::parse(&typed, "１２３４").expect("valid input");
        assert_eq!(input.reference(), &code);
        assert_eq!(input.last4().as_str(), "1234");
    }

    #[test]
    fn both_fields_are_reported_when_both_are_wrong() {
        let error = LookupInput::parse("K7QX", "12a4").unwrap_err();
        assert_eq!(error.reference, Some(ReferenceCodeError::Length));
        assert!(error.last4);
    }

    #[test]
    fn the_sixth_failure_within_fifteen_minutes_is_refused_until_the_first_leaves_the_window() {
        let now = datetime!(2018-01-09 10:00 UTC);
        let four: Vec<_> = (1..=4).map(|minute| now - Duration::minutes(minute)).collect();
        assert_eq!(retry_at(&four, now), None);
        let mut five = four.clone();
        five.push(now - Duration::minutes(10));
        assert_eq!(retry_at(&five, now), Some(now + Duration::minutes(5)));
        assert_eq!(retry_after_seconds(now + Duration::minutes(5), now), 300);
    }

    #[test]
    fn failures_older_than_the_window_do_not_count() {
        let now = datetime!(2018-01-09 10:00 UTC);
        let old: Vec<_> = (0..10).map(|minute| now - Duration::minutes(15 + minute)).collect();
        assert_eq!(retry_at(&old, now), None);
    }

    #[test]
    fn a_wait_of_a_fraction_of_a_second_is_rounded_up() {
        let now = datetime!(2018-01-09 10:00 UTC);
        assert_eq!(retry_after_seconds(now + Duration::milliseconds(1500), now), 2);
        assert_eq!(retry_after_seconds(now - Duration::seconds(3), now), 1);
    }

    #[test]
    fn a_callback_request_reads_a_hyphenated_number_and_refuses_an_unknown_time() {
        let request = CallbackRequest::parse("090-1234-5678", "evening").expect("valid");
        assert_eq!(request.phone.digits(), "09012345678");
        assert_eq!(request.preferred_time, PreferredTime::Evening);
        assert_eq!(
            CallbackRequest::parse("12", "night"),
            Err(vec![CallbackField::Phone, CallbackField::PreferredTime])
        );
    }

    #[test]
    fn a_callback_asked_for_in_the_morning_is_due_at_that_days_closing() {
        // Tuesday 2018-01-09, the line open 10:00–17:00.
        let due = callback_due(&seed_schedule(), datetime!(2018-01-09 11:00 +9));
        assert_eq!(due, datetime!(2018-01-09 17:00 +9));
    }

    #[test]
    fn a_callback_asked_for_late_or_while_closed_is_due_at_the_next_business_days_closing() {
        let schedule = seed_schedule();
        assert_eq!(
            callback_due(&schedule, datetime!(2018-01-09 16:30 +9)),
            datetime!(2018-01-10 17:00 +9)
        );
        // Friday evening: Monday.
        assert_eq!(
            callback_due(&schedule, datetime!(2018-01-12 20:00 +9)),
            datetime!(2018-01-15 17:00 +9)
        );
    }

    #[test]
    fn an_faq_entry_needs_japanese_and_a_whole_english_translation_or_none() {
        let entry = FaqEntry {
            question_ja: " 再発行の費用は？ ".into(),
            answer_ja: "無料です。".into(),
            ..FaqEntry::default()
        };
        assert_eq!(entry.parse().expect("valid").question_ja, "再発行の費用は？");
        let half = FaqEntry {
            question_en: "Does it cost anything?".into(),
            ..entry.clone()
        };
        assert_eq!(half.parse(), Err(vec![("answer_en", FaqProblem::HalfTranslated)]));
        let hidden = FaqEntry {
            question_ja: "再発行\u{202e}".into(),
            ..entry
        };
        assert_eq!(hidden.parse(), Err(vec![("question_ja", FaqProblem::HiddenCharacters)]));
    }

    #[test]
    fn an_hour_far_above_the_usual_is_a_spike_but_a_steady_trickle_is_not() {
        assert_eq!(
            failure_spikes(&[2, 3, 40, 2, 0]),
            vec![false, false, true, false, false]
        );
        assert_eq!(failure_spikes(&[12, 11, 13, 12]), vec![false; 4]);
        assert_eq!(failure_spikes(&[]), Vec::<bool>::new());
    }

    #[test]
    fn the_guessing_arithmetic_matches_the_readme() {
        assert_eq!(REFERENCE_CODE_SPACE, 31f64.powi(12));
        // A code alone: 10⁶ tries against 6,860 codes ≈ 8.7 × 10⁻⁹; against 10⁷ ≈ 1.3 × 10⁻⁵.
        let alone_demo = guess_probability(6_860.0, 1e6, false);
        assert!((8.6e-9..8.8e-9).contains(&alone_demo), "{alone_demo}");
        let alone_large = guess_probability(1e7, 1e6, false);
        assert!((1.26e-5..1.28e-5).contains(&alone_large), "{alone_large}");
        assert!(
            alone_large < 1e-4,
            "the code alone is under 1 in 10,000 even for 10 million customers"
        );
        // A lookup also needs the card's last 4, which takes another factor of 10⁴ off.
        let pair_large = guess_probability(1e7, 1e6, true);
        assert!((1.26e-9..1.28e-9).contains(&pair_large), "{pair_large}");
    }
}
