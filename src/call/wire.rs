//! What the call-desk pages receive: compiled everywhere, as the pages render them in the browser too.

use serde::{Deserialize, Serialize};

use super::{IdentityFact, Outcome};
use crate::customer::MaskedCard;

/// A search result before the caller's identity is checked: enough to tell callers apart, no more.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerMatch {
    pub id: i64,
    pub name: String,
    pub name_kana: Option<String>,
    /// `****-****-***BF`: the last two symbols only.
    pub reference_code: String,
    pub card: MaskedCard,
    /// `970-****`
    pub postal_code: String,
    /// `***-****-5678`
    pub phone: Option<String>,
}

/// One entry of a customer's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// RFC 3339 UTC.
    pub at: String,
    pub kind: TimelineKind,
    /// The staff member's name; `None` for the system, an import or the customer.
    pub who: Option<String>,
    /// A code the page turns into words (a state, an outcome, a field).
    pub code: String,
    /// Free text to show as is: call notes, a returned reason, a new address. Never card data.
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimelineKind {
    Imported,
    Letter,
    Email,
    Call,
    Callback,
    IdentityCheck,
    CaseEvent,
    ContactChange,
    ResendRequest,
    Escalation,
}

impl TimelineKind {
    pub fn code(self) -> &'static str {
        match self {
            TimelineKind::Imported => "imported",
            TimelineKind::Letter => "letter",
            TimelineKind::Email => "email",
            TimelineKind::Call => "call",
            TimelineKind::Callback => "callback",
            TimelineKind::IdentityCheck => "identity_check",
            TimelineKind::CaseEvent => "case_event",
            TimelineKind::ContactChange => "contact_change",
            TimelineKind::ResendRequest => "resend_request",
            TimelineKind::Escalation => "escalation",
        }
    }
}

/// What the Calls page knows about the caller it has open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerView {
    pub caller: CallerMatch,
    /// Whether the viewer may see the details: a manager, or an agent after a passed check.
    pub verified: bool,
    /// Confirmed facts of the viewer's latest check, if any.
    pub confirmed: Vec<IdentityFact>,
    /// A letter came back or an email bounced since the last contact correction.
    pub returned_mail: bool,
}

/// A callback task in the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackTask {
    pub id: i64,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    /// Grouped for reading.
    pub phone: String,
    pub source: String,
    pub preferred_time: Option<String>,
    pub reason: String,
    /// RFC 3339 UTC.
    pub due_at: String,
    pub overdue: bool,
    pub assigned_to: Option<i64>,
    pub assigned_name: Option<String>,
}

/// An escalated call as the escalation contacts see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct Escalation {
    pub id: i64,
    pub call_id: i64,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub reason: String,
    /// `open`, `acknowledged` or `resolved`.
    pub state: String,
    pub created_at: String,
    pub raised_by: String,
    pub acknowledged_by: Option<String>,
    pub resolved_by: Option<String>,
    pub resolution: String,
}

/// What logging a call did, for the agent's confirmation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedCall {
    pub call_id: i64,
    pub in_hours: bool,
    /// How many card-number-like runs were masked in the notes.
    pub masked: usize,
    /// RFC 3339 UTC, when a callback was created.
    pub callback_due: Option<String>,
    pub escalation_id: Option<i64>,
    pub outcome: Outcome,
}

/// `****-****-***BF`: a reference code with all but its last two symbols hidden.
pub fn mask_reference_code(compact: &str) -> String {
    let tail: String = compact
        .chars()
        .rev()
        .take(2)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("****-****-***{tail}")
}

/// `970-****`: the area of a postal code only.
pub fn mask_postal_code(digits: &str) -> String {
    format!("{}-****", digits.get(..3).unwrap_or_default())
}

/// `***-****-5678`: the last four digits of a phone number only.
pub fn mask_phone(digits: &str) -> String {
    format!(
        "***-****-{}",
        digits.get(digits.len().saturating_sub(4)..).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_results_show_only_the_ends_of_codes_and_numbers() {
        assert_eq!(mask_reference_code("K7QX3MHT9PABF"), "****-****-***BF");
        assert_eq!(mask_postal_code("9708026"), "970-****");
        assert_eq!(mask_phone("09012345678"), "***-****-5678");
    }
}
