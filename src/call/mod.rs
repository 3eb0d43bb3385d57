//! The call-centre desk's rules (pure): note masking, the in-hours stamp and callback due times,
//! the identity check, outcomes, disposition codes, report figures and their charts.

pub mod chart;
pub mod disposition;
pub mod hours;
pub mod identity;
pub mod notes;
pub mod report;
pub mod wire;

use serde::{Deserialize, Serialize};

pub use disposition::{DispositionCode, DispositionLabel, DispositionLabelError};
pub use hours::{CallbackDelay, CallbackDelayError, callback_due, in_hours};
pub use identity::{IdentityCheck, IdentityFact};
pub use notes::{CallNotes, CallNotesError, mask_card_numbers};
pub use wire::{CallbackTask, CallerMatch, CallerView, Escalation, LoggedCall, TimelineEntry, TimelineKind};

/// How a call ended: what the agent chose, and what follows from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    Resolved,
    /// Creates a callback task due a number of business hours later.
    CallbackNeeded,
    /// Notifies the escalation contacts (managers) with the reason.
    Escalated,
    /// The caller could not confirm two facts: nothing about the case was discussed.
    IdentityNotVerified,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Resolved,
        Outcome::CallbackNeeded,
        Outcome::Escalated,
        Outcome::IdentityNotVerified,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Resolved => "resolved",
            Outcome::CallbackNeeded => "callback_needed",
            Outcome::Escalated => "escalated",
            Outcome::IdentityNotVerified => "identity_not_verified",
        }
    }

    pub fn from_code(code: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|outcome| outcome.code() == code)
    }

    /// (Japanese, English) for pages, charts and the export.
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            Outcome::Resolved => ("解決", "Resolved"),
            Outcome::CallbackNeeded => ("折り返しが必要", "Callback needed"),
            Outcome::Escalated => ("エスカレーション", "Escalated"),
            Outcome::IdentityNotVerified => ("本人確認できず", "Could not verify identity"),
        }
    }
}

/// Talk time in whole minutes, as agents read it off the phone: 0 to 600.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalkMinutes(u16);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("talk time is a whole number of minutes from 0 to 600")]
pub struct TalkMinutesError;

impl TalkMinutes {
    pub const MAX: u16 = 600;

    pub fn parse(input: &str) -> Result<TalkMinutes, TalkMinutesError> {
        let digits = crate::customer::width::fold_number(input.trim());
        match digits.parse::<u16>() {
            Ok(minutes) if minutes <= Self::MAX => Ok(TalkMinutes(minutes)),
            _ => Err(TalkMinutesError),
        }
    }

    pub fn get(self) -> u16 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outcome_round_trips_through_its_code() {
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::from_code(outcome.code()), Some(outcome));
        }
        assert_eq!(Outcome::from_code("maybe"), None);
    }

    #[test]
    fn talk_time_is_whole_minutes_up_to_ten_hours() {
        assert_eq!(TalkMinutes::parse("１２").map(TalkMinutes::get), Ok(12));
        assert_eq!(TalkMinutes::parse("0").map(TalkMinutes::get), Ok(0));
        assert!(TalkMinutes::parse("601").is_err());
        assert!(TalkMinutes::parse("-1").is_err());
        assert!(TalkMinutes::parse("2.5").is_err());
    }
}
