//! The hotline's state at one instant, as `GET /api/hotline` and `breachdesk hours` answer it.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::schedule::{ClosedReason, DayHours, Schedule, TimeRange};
use super::text::{hours_text_en, hours_text_ja};
use super::{TIMEZONE_NAME, TOKYO};

/// Why the line is closed all day, as a stable code for programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosedReasonCode {
    /// A day of the week without hours in the period in force (in practice Saturday or Sunday).
    Weekend,
    /// A national holiday; the name says which.
    NationalHoliday,
    /// A named closure such as the year-end break; the name says which.
    Closure,
    /// No period covers the day.
    NoPeriod,
}

/// The hotline at one instant; field names and shapes are the public API's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HotlineStatus {
    /// Whether a call at the instant is answered.
    pub open: bool,
    /// The free-dial number from the incident profile; `None` before an incident is set up.
    pub hotline_number: Option<String>,
    /// Always Asia/Tokyo: every date and time below is Tokyo time.
    pub timezone: String,
    /// The instant's date in Tokyo, YYYY-MM-DD.
    pub today: String,
    /// That date's opening hours, empty when closed all day.
    pub hours: Vec<TimeRange>,
    /// Why the line is closed all day; `None` on a day with hours, even outside them.
    pub closed_reason: Option<ClosedReasonCode>,
    /// The holiday's or closure's name, e.g. 成人の日.
    pub closed_reason_name: Option<String>,
    /// The instant itself while open, else the next opening (RFC 3339, +09:00); `None` if the line never opens again.
    pub next_opening: Option<String>,
    /// 「受付時間 10:00～17:00（土日祝日除く）」 for the hours in force that date.
    pub hours_text_ja: Option<String>,
    /// The same in English.
    pub hours_text_en: Option<String>,
}

/// Why an instant was refused; the message is one line for a command line or an HTTP 400.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InstantError {
    /// Not RFC 3339.
    #[error("{0:?} is not an RFC 3339 instant such as 2017-12-29T18:30:00+09:00")]
    Malformed(String),
    /// Valid, but its Tokyo date lies beyond the calendar's last representable day.
    #[error("{0:?} lies outside the dates the calendar can represent")]
    OutOfRange(String),
}

/// Parses an RFC 3339 instant (any offset) into Tokyo time.
pub fn parse_instant(text: &str) -> Result<OffsetDateTime, InstantError> {
    let instant = OffsetDateTime::parse(text.trim(), &Rfc3339).map_err(|_| InstantError::Malformed(text.to_owned()))?;
    instant
        .checked_to_offset(TOKYO)
        .ok_or_else(|| InstantError::OutOfRange(text.to_owned()))
}

impl HotlineStatus {
    /// The state of the line at `instant` under `schedule`.
    pub fn at(
        schedule: &Schedule,
        hotline_number: Option<String>,
        instant: OffsetDateTime,
    ) -> Result<Self, InstantError> {
        let out_of_range = || InstantError::OutOfRange(instant.to_string());
        let now = instant.checked_to_offset(TOKYO).ok_or_else(out_of_range)?;
        let date = now.date();
        let (hours, closed_reason, closed_reason_name) = match schedule.day(date) {
            DayHours::Open(ranges) => (ranges, None, None),
            DayHours::Closed(reason) => {
                let (code, name) = match reason {
                    ClosedReason::Weekday(_) => (ClosedReasonCode::Weekend, None),
                    ClosedReason::NationalHoliday(name) => (ClosedReasonCode::NationalHoliday, Some(name)),
                    ClosedReason::Closure(name) => (ClosedReasonCode::Closure, Some(name)),
                    ClosedReason::NoPeriod => (ClosedReasonCode::NoPeriod, None),
                };
                (Vec::new(), Some(code), name)
            }
        };
        let next_opening = schedule
            .next_opening(now)
            .map(|opening| opening.format(&Rfc3339))
            .transpose()
            .map_err(|_| out_of_range())?;
        Ok(Self {
            open: schedule.is_open(now),
            hotline_number,
            timezone: TIMEZONE_NAME.to_owned(),
            today: date.to_string(),
            hours,
            closed_reason,
            closed_reason_name,
            next_opening,
            hours_text_ja: hours_text_ja(schedule, date),
            hours_text_en: hours_text_en(schedule, date),
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::calendar::test_support::seed_schedule;

    fn status(instant: OffsetDateTime) -> HotlineStatus {
        HotlineStatus::at(&seed_schedule(), Some("0120-034-294".into()), instant)
            .expect("an instant inside the calendar")
    }

    #[test]
    fn a_call_at_1830_on_the_29th_is_told_to_call_again_on_january_2nd() {
        let answer = status(datetime!(2017-12-29 18:30 +9));
        assert!(!answer.open);
        assert_eq!(answer.today, "2017-12-29");
        assert_eq!(answer.closed_reason, None);
        assert_eq!(answer.next_opening.as_deref(), Some("2018-01-02T10:00:00+09:00"));
        assert_eq!(
            answer.hours_text_ja.as_deref(),
            Some("受付時間 9:30～18:30（土日祝日除く）")
        );
    }

    #[test]
    fn the_answer_is_the_public_api_json() {
        let answer = serde_json::to_value(status(datetime!(2018-01-08 03:00 UTC))).unwrap();
        assert_eq!(
            answer,
            serde_json::json!({
                "open": false,
                "hotline_number": "0120-034-294",
                "timezone": "Asia/Tokyo",
                "today": "2018-01-08",
                "hours": [],
                "closed_reason": "national_holiday",
                "closed_reason_name": "成人の日",
                "next_opening": "2018-01-09T10:00:00+09:00",
                "hours_text_ja": "受付時間 10:00～17:00（土日祝日除く）",
                "hours_text_en": "Hours 10:00–17:00 (closed Saturdays, Sundays and national holidays)",
            })
        );
        let open = serde_json::to_value(status(datetime!(2018-01-09 10:00 +9))).unwrap();
        assert_eq!(open["open"], true);
        assert_eq!(
            open["hours"],
            serde_json::json!([{ "opens": "10:00", "closes": "17:00" }])
        );
        assert_eq!(open["next_opening"], "2018-01-09T10:00:00+09:00");
    }

    #[test]
    fn instants_in_any_offset_are_read_in_tokyo_time() {
        let instant = parse_instant("2017-12-29T09:29:59Z").unwrap();
        assert_eq!(instant, datetime!(2017-12-29 18:29:59 +9));
        assert!(status(instant).open);
        let saturday = status(parse_instant("2017-12-16T12:00:00+09:00").unwrap());
        assert_eq!(saturday.closed_reason, Some(ClosedReasonCode::Weekend));
        assert_eq!(saturday.closed_reason_name, None);
    }

    #[test]
    fn malformed_instants_are_refused_with_an_example() {
        for bad in ["", "2017-12-29", "2017-12-29 18:30", "2017-12-29T18:30+09:00", "now"] {
            let error = parse_instant(bad).unwrap_err();
            assert!(matches!(error, InstantError::Malformed(_)), "{bad}");
            assert!(error.to_string().contains("2017-12-29T18:30:00+09:00"));
        }
        assert!(matches!(
            parse_instant("9999-12-31T23:00:00-05:00"),
            Err(InstantError::OutOfRange(_))
        ));
    }
}
