//! A campaign's progress: its deliveries counted per state, the sending rate and the time left.

use serde::{Deserialize, Serialize};

use super::DeliveryState;
use time::OffsetDateTime;

/// Deliveries per state. The field names are the `campaign status` JSON keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateCounts {
    pub queued: u64,
    pub sending: u64,
    pub sent: u64,
    pub failed_temporary: u64,
    pub failed_permanent: u64,
    pub bounced: u64,
    pub cancelled: u64,
    /// Letters the post office sent back (not in the command line's JSON: letters only).
    #[serde(skip)]
    pub returned: u64,
}

impl StateCounts {
    pub fn add(&mut self, state: DeliveryState, count: u64) {
        let slot = match state {
            DeliveryState::Queued => &mut self.queued,
            DeliveryState::Sending => &mut self.sending,
            DeliveryState::Sent => &mut self.sent,
            DeliveryState::FailedTemporary => &mut self.failed_temporary,
            DeliveryState::FailedPermanent => &mut self.failed_permanent,
            DeliveryState::Bounced => &mut self.bounced,
            DeliveryState::Returned => &mut self.returned,
            DeliveryState::Cancelled => &mut self.cancelled,
        };
        *slot += count;
    }

    pub fn total(&self) -> u64 {
        self.queued
            + self.sending
            + self.sent
            + self.failed_temporary
            + self.failed_permanent
            + self.bounced
            + self.returned
            + self.cancelled
    }

    /// Still to go: queued, in flight or waiting for a retry.
    pub fn pending(&self) -> u64 {
        self.queued + self.sending + self.failed_temporary
    }

    /// Whole percent done (everything that is no longer pending).
    pub fn percent_done(&self) -> u32 {
        let total = self.total();
        if total == 0 {
            return 100;
        }
        u32::try_from((total - self.pending()) * 100 / total).unwrap_or(100)
    }
}

/// Messages per second over the last `window_seconds`, from how many went out in that time.
pub fn rate(sent_in_window: u64, window_seconds: u32) -> f64 {
    if window_seconds == 0 {
        return 0.0;
    }
    sent_in_window as f64 / f64::from(window_seconds)
}

/// Seconds left at `rate` messages per second; `None` while nothing is moving.
pub fn eta_seconds(pending: u64, rate: f64) -> Option<u64> {
    if pending == 0 {
        return Some(0);
    }
    (rate > 0.0).then(|| (pending as f64 / rate).ceil() as u64)
}

/// "1時間02分" / "3分15秒" / "12秒" style durations are language-specific; this gives the parts.
pub fn hours_minutes_seconds(seconds: u64) -> (u64, u64, u64) {
    (seconds / 3600, seconds % 3600 / 60, seconds % 60)
}

/// One delivery as the progress page lists it (no personal data beyond the reference code).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryLine {
    pub id: i64,
    pub customer_id: i64,
    pub reference_code: String,
    pub state: DeliveryState,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub in_doubt: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A manager's decision on held in-doubt rows: send them again, or record them as sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InDoubtDecision {
    SendAgain,
    MarkSent,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_and_pending_is_what_is_not_settled() {
        let mut counts = StateCounts::default();
        counts.add(DeliveryState::Queued, 6);
        counts.add(DeliveryState::Sending, 2);
        counts.add(DeliveryState::Sent, 10);
        counts.add(DeliveryState::FailedTemporary, 2);
        assert_eq!(counts.total(), 20);
        assert_eq!(counts.pending(), 10);
        assert_eq!(counts.percent_done(), 50);
    }

    #[test]
    fn the_time_left_follows_the_rate_and_is_unknown_while_stalled() {
        assert_eq!(eta_seconds(6_000, rate(600, 60)), Some(600));
        assert_eq!(eta_seconds(10, 0.0), None);
        assert_eq!(eta_seconds(0, 0.0), Some(0));
        assert_eq!(hours_minutes_seconds(3_725), (1, 2, 5));
    }

    #[test]
    fn the_status_json_has_the_seven_state_keys() {
        let json = serde_json::to_value(StateCounts::default()).expect("json");
        let keys: Vec<&str> = json.as_object().expect("object").keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 7, "{keys:?}");
        assert!(keys.contains(&"failed_temporary"));
    }
}
