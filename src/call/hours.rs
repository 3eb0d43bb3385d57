//! The desk's business-hour rules: whether a call came in while the line was open, and when a
//! callback falls due, both under the schedule in force on the day.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::calendar::schedule::Schedule;

/// Whether `received_at` fell in open hours. A call out of hours (voicemail, a call taken late) is
/// counted separately in the reports.
pub fn in_hours(schedule: &Schedule, received_at: OffsetDateTime) -> bool {
    schedule.is_open(received_at)
}

/// How many business hours an agent has to call back: 1 to 40 (a working week), 4 by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackDelay(u8);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a callback is due 1 to 40 business hours later")]
pub struct CallbackDelayError;

impl Default for CallbackDelay {
    fn default() -> Self {
        CallbackDelay(4)
    }
}

impl CallbackDelay {
    /// Empty means the default.
    pub fn parse(input: &str) -> Result<CallbackDelay, CallbackDelayError> {
        let folded = crate::customer::width::fold_number(input.trim());
        if folded.is_empty() {
            return Ok(CallbackDelay::default());
        }
        match folded.parse::<u8>() {
            Ok(hours @ 1..=40) => Ok(CallbackDelay(hours)),
            _ => Err(CallbackDelayError),
        }
    }

    pub fn hours(self) -> u8 {
        self.0
    }
}

/// When a callback requested at `requested_at` falls due: `delay` of open time later, so a request
/// at Friday's closing waits for the next open day rather than falling due at the weekend. `None`
/// when the schedule has no open time for that long ahead (no period covers the coming year).
pub fn callback_due(schedule: &Schedule, requested_at: OffsetDateTime, delay: CallbackDelay) -> Option<OffsetDateTime> {
    schedule.add_business_time(requested_at, Duration::hours(i64::from(delay.hours())))
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::calendar::test_support::seed_schedule;

    /// Every boundary of the seed schedule, one minute either side: (instant, open).
    #[test]
    fn a_call_is_stamped_in_hours_exactly_between_opening_and_closing_at_every_boundary() {
        let schedule = seed_schedule();
        let cases = [
            // First period, a weekday: 9:30–18:30.
            (datetime!(2017-12-27 09:29 +9), false),
            (datetime!(2017-12-27 09:30 +9), true),
            (datetime!(2017-12-27 18:29 +9), true),
            (datetime!(2017-12-27 18:30 +9), false),
            // The last day of the first period.
            (datetime!(2017-12-29 09:30 +9), true),
            (datetime!(2017-12-29 18:29:59 +9), true),
            (datetime!(2017-12-29 18:30 +9), false),
            // The year-end gap between the periods, and 1 January (a holiday as well).
            (datetime!(2017-12-30 12:00 +9), false),
            (datetime!(2018-01-01 12:00 +9), false),
            // Second period from 2018-01-02: 10:00–17:00, so 9:30 and 17:30 are now closed.
            (datetime!(2018-01-02 09:30 +9), false),
            (datetime!(2018-01-02 09:59 +9), false),
            (datetime!(2018-01-02 10:00 +9), true),
            (datetime!(2018-01-02 16:59 +9), true),
            (datetime!(2018-01-02 17:00 +9), false),
            (datetime!(2018-01-02 18:00 +9), false),
            // Weekend and a national holiday inside a period (成人の日, 2018-01-08).
            (datetime!(2018-01-06 12:00 +9), false),
            (datetime!(2018-01-08 12:00 +9), false),
            (datetime!(2018-01-09 10:00 +9), true),
            // Before the first period.
            (datetime!(2017-07-11 12:00 +9), false),
            (datetime!(2017-07-12 09:30 +9), true),
        ];
        for (instant, open) in cases {
            assert_eq!(in_hours(&schedule, instant), open, "{instant}");
        }
    }

    #[test]
    fn the_stamp_reads_the_instant_in_tokyo_whatever_offset_it_was_written_in() {
        let schedule = seed_schedule();
        // 00:30 UTC is 9:30 in Tokyo.
        assert!(in_hours(&schedule, datetime!(2017-12-27 00:30 UTC)));
        assert!(!in_hours(&schedule, datetime!(2017-12-27 00:29 UTC)));
    }

    #[test]
    fn a_callback_asked_for_on_friday_29_december_at_18_00_falls_due_in_january() {
        let due = callback_due(
            &seed_schedule(),
            datetime!(2017-12-29 18:00 +9),
            CallbackDelay::default(),
        );
        // Half an hour left on the 29th, then 3.5 hours from 10:00 on 2 January.
        assert_eq!(due, Some(datetime!(2018-01-02 13:30 +9)));
    }

    #[test]
    fn a_callback_asked_for_out_of_hours_counts_from_the_next_opening() {
        let schedule = seed_schedule();
        let due = callback_due(&schedule, datetime!(2017-12-27 20:00 +9), CallbackDelay::default());
        assert_eq!(due, Some(datetime!(2017-12-28 13:30 +9)));
        let due = callback_due(
            &schedule,
            datetime!(2017-12-27 10:00 +9),
            CallbackDelay::parse("2").expect("2"),
        );
        assert_eq!(due, Some(datetime!(2017-12-27 12:00 +9)));
    }

    #[test]
    fn the_delay_is_one_to_forty_hours_and_blank_means_four() {
        assert_eq!(CallbackDelay::parse(""), Ok(CallbackDelay(4)));
        assert_eq!(CallbackDelay::parse("８"), Ok(CallbackDelay(8)));
        assert!(CallbackDelay::parse("0").is_err());
        assert!(CallbackDelay::parse("41").is_err());
    }
}
