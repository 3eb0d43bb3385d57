//! How fast a campaign may send: a token bucket for messages per second, the sliding-hour cap,
//! the retry backoff, and the window of recent outcomes that trips the automatic pause.
//! Times are seconds as `f64` from any fixed origin, so the maths is testable without a clock.

use std::collections::VecDeque;

/// Messages per second, with bursts of at most one second's worth.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenBucket {
    rate: f64,
    tokens: f64,
    last: f64,
}

impl TokenBucket {
    /// A full bucket at `now`.
    pub fn new(per_second: u32, now: f64) -> Self {
        let rate = f64::from(per_second.max(1));
        TokenBucket {
            rate,
            tokens: rate,
            last: now,
        }
    }

    /// Takes up to `wanted` whole tokens and says how many it got.
    pub fn take(&mut self, wanted: u32, now: f64) -> u32 {
        let elapsed = (now - self.last).max(0.0);
        self.tokens = (self.tokens + elapsed * self.rate).min(self.rate.max(1.0));
        self.last = now;
        let granted = (self.tokens.floor() as u32).min(wanted);
        self.tokens -= f64::from(granted);
        granted
    }

    /// Seconds until the next whole token.
    pub fn wait(&self) -> f64 {
        ((1.0 - self.tokens) / self.rate).max(0.0)
    }
}

/// How many more messages the hourly cap allows now, given how many went out in the last hour
/// and how many are on their way.
pub fn hourly_allowance(cap: Option<u32>, sent_last_hour: u64, in_flight: u32) -> u32 {
    match cap {
        None => u32::MAX,
        Some(cap) => {
            let used = sent_last_hour.saturating_add(u64::from(in_flight));
            u32::try_from(u64::from(cap).saturating_sub(used)).unwrap_or(u32::MAX)
        }
    }
}

/// Seconds to wait before attempt `attempts + 1`, after `attempts` failed ones: the base, then
/// twice as long each time, never more than six hours.
pub fn backoff_seconds(retry_after_seconds: u32, attempts: u32) -> u64 {
    const LONGEST: u64 = 6 * 3600;
    let doublings = attempts.saturating_sub(1).min(20);
    u64::from(retry_after_seconds)
        .saturating_mul(1 << doublings)
        .min(LONGEST)
}

/// The most recent attempts' outcomes, to pause a campaign whose mail server refuses too much.
#[derive(Clone, Debug, Default)]
pub struct ErrorWindow {
    /// `true` for a failed attempt; the oldest first.
    outcomes: VecDeque<bool>,
}

/// Judged over this many attempts.
pub const ERROR_WINDOW: usize = 50;
/// No judgement on fewer attempts: one early failure is not a trend.
pub const ERROR_WINDOW_MINIMUM: usize = 20;

impl ErrorWindow {
    pub fn record(&mut self, failed: bool) {
        if self.outcomes.len() == ERROR_WINDOW {
            self.outcomes.pop_front();
        }
        self.outcomes.push_back(failed);
    }

    /// Forgets everything, e.g. when a manager resumes a paused campaign.
    pub fn clear(&mut self) {
        self.outcomes.clear();
    }

    /// `Some((failed, of))` when more than `percent` % of the recent attempts failed.
    pub fn exceeded(&self, percent: u32) -> Option<(usize, usize)> {
        let of = self.outcomes.len();
        let failed = self.outcomes.iter().filter(|failed| **failed).count();
        (of >= ERROR_WINDOW_MINIMUM && failed * 100 > of * percent as usize).then_some((failed, of))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_grants_one_seconds_worth_then_refills_at_the_rate() {
        let mut bucket = TokenBucket::new(10, 0.0);
        assert_eq!(bucket.take(100, 0.0), 10);
        assert_eq!(bucket.take(100, 0.0), 0);
        assert!((bucket.wait() - 0.1).abs() < 1e-9);
        assert_eq!(bucket.take(100, 0.5), 5);
        // A long idle time does not bank more than one second's worth.
        assert_eq!(bucket.take(100, 60.0), 10);
    }

    #[test]
    fn the_hourly_cap_counts_messages_in_flight() {
        assert_eq!(hourly_allowance(None, 1_000_000, 4), u32::MAX);
        assert_eq!(hourly_allowance(Some(100), 90, 4), 6);
        assert_eq!(hourly_allowance(Some(100), 120, 0), 0);
    }

    #[test]
    fn each_retry_waits_twice_as_long_up_to_six_hours() {
        assert_eq!(backoff_seconds(60, 1), 60);
        assert_eq!(backoff_seconds(60, 2), 120);
        assert_eq!(backoff_seconds(60, 4), 480);
        assert_eq!(backoff_seconds(60, 30), 6 * 3600);
    }

    #[test]
    fn the_window_pauses_only_past_the_threshold_and_after_enough_attempts() {
        let mut window = ErrorWindow::default();
        for _ in 0..10 {
            window.record(true);
        }
        assert_eq!(window.exceeded(20), None, "too few attempts to judge");
        window.clear();
        for _ in 0..40 {
            window.record(false);
        }
        for _ in 0..10 {
            window.record(true);
        }
        assert_eq!(window.exceeded(20), None, "10 of 50 is exactly 20 %");
        window.record(true);
        assert_eq!(window.exceeded(20), Some((11, 50)));
        window.clear();
        assert_eq!(window.exceeded(20), None);
    }
}
