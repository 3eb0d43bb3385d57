//! Hotline calendar: Japanese national holidays, era dates, opening hours and their customer texts (pure: every instant is passed in).

pub mod entry;
pub mod era;
pub mod holidays;
pub mod schedule;
pub mod status;
pub mod text;
mod wire;

#[cfg(test)]
pub(crate) mod test_support;

use time::{UtcOffset, Weekday};

/// The hotline's time zone, Asia/Tokyo: UTC+9 all year, as Japan has no daylight saving.
pub const TOKYO: UtcOffset = time::macros::offset!(+9);

/// Today's date in Tokyo, by the system clock: the date letters carry and changes default to.
pub fn today_in_tokyo() -> time::Date {
    time::OffsetDateTime::now_utc().to_offset(TOKYO).date()
}

/// The IANA name of [`TOKYO`], for answers that state their time zone.
pub const TIMEZONE_NAME: &str = "Asia/Tokyo";

/// The days of the week, Monday first as Japanese calendars and timetables list them.
const WEEKDAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];
