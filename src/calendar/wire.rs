//! JSON shapes of dates ("2017-12-29") and clock times ("09:30", "24:00").
//!
//! Written by hand rather than taken from `time`'s serde support, whose output changes with
//! features other crates may switch on (a tuple in one build, a string in another), and
//! stored schedules must read back the same in the server and in the browser.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{Date, Time};

const ISO_DATE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

fn format_date(date: Date) -> Result<String, time::error::Format> {
    date.format(ISO_DATE)
}

pub(super) fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text, ISO_DATE).map_err(|_| format!("expected a date like 2017-12-29, got {text:?}"))
}

/// Parses "HH:MM"; `allow_24` admits "24:00", returned as 00:00 (midnight ending the day).
pub(super) fn parse_clock(text: &str, allow_24: bool) -> Result<Time, String> {
    let bad = || format!("expected a time like 09:30, got {text:?}");
    let (hour, minute) = text.split_once(':').ok_or_else(bad)?;
    let all_digits = |part: &str| (1..=2).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(hour) || minute.len() != 2 || !all_digits(minute) {
        return Err(bad());
    }
    let hour: u8 = hour.parse().map_err(|_| bad())?;
    let minute: u8 = minute.parse().map_err(|_| bad())?;
    if allow_24 && hour == 24 && minute == 0 {
        return Ok(Time::MIDNIGHT);
    }
    Time::from_hms(hour, minute, 0).map_err(|_| bad())
}

fn format_clock(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// A date as "YYYY-MM-DD".
pub mod date {
    use super::*;

    pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        let text = format_date(*date).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_date(&text).map_err(D::Error::custom)
    }
}

/// An optional date as "YYYY-MM-DD" or null.
pub mod optional_date {
    use super::*;

    pub fn serialize<S: Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => super::date::serialize(date, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| parse_date(&text).map_err(D::Error::custom))
            .transpose()
    }
}

/// A list of dates, each "YYYY-MM-DD".
pub mod dates {
    use super::*;

    pub fn serialize<S: Serializer>(dates: &[Date], serializer: S) -> Result<S::Ok, S::Error> {
        let texts = dates
            .iter()
            .map(|date| format_date(*date))
            .collect::<Result<Vec<_>, _>>()
            .map_err(serde::ser::Error::custom)?;
        serializer.collect_seq(texts)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Date>, D::Error> {
        Vec::<String>::deserialize(deserializer)?
            .iter()
            .map(|text| parse_date(text).map_err(D::Error::custom))
            .collect()
    }
}

/// An opening time as "HH:MM".
pub mod clock {
    use super::*;

    pub fn serialize<S: Serializer>(time: &Time, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_clock(*time))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Time, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_clock(&text, false).map_err(D::Error::custom)
    }
}

/// A closing time as "HH:MM", where midnight ending the day is "24:00".
pub mod closing_clock {
    use super::*;

    pub fn serialize<S: Serializer>(time: &Time, serializer: S) -> Result<S::Ok, S::Error> {
        if *time == Time::MIDNIGHT {
            serializer.serialize_str("24:00")
        } else {
            serializer.serialize_str(&format_clock(*time))
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Time, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_clock(&text, true).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, time};

    #[test]
    fn clock_times_parse_in_hours_and_minutes_only() {
        assert_eq!(parse_clock("09:30", false), Ok(time!(9:30)));
        assert_eq!(parse_clock("9:30", false), Ok(time!(9:30)));
        assert_eq!(parse_clock("24:00", true), Ok(Time::MIDNIGHT));
        for bad in ["24:00", "9", "09:3", "09:30:00", "-1:00", "+9:30", "25:00", "09:60", ""] {
            assert!(parse_clock(bad, false).is_err(), "{bad} should be refused");
        }
        assert!(parse_clock("24:01", true).is_err());
    }

    #[test]
    fn dates_parse_only_in_iso_form() {
        assert_eq!(parse_date("2017-12-29"), Ok(date!(2017 - 12 - 29)));
        for bad in ["2017-12-32", "2017/12/29", "29.12.2017", "2017-2-1"] {
            assert!(parse_date(bad).is_err(), "{bad} should be refused");
        }
    }
}
