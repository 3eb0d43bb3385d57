//! The seed incident's hotline schedule, for tests only (demo data lives outside the domain).

use time::macros::{date, time};

use super::holidays::HolidayOverrides;
use super::schedule::{Period, Schedule, TimeRange, WeeklyHours};

/// 9:30–18:30 from 2017-07-12 to 2017-12-29, then 10:00–17:00 from 2018-01-02, weekdays except national holidays.
pub(crate) fn seed_schedule() -> Schedule {
    let periods = vec![
        Period {
            effective_from: date!(2017 - 07 - 12),
            effective_until: Some(date!(2017 - 12 - 29)),
            hours: WeeklyHours::monday_to_friday(&[TimeRange::new(time!(9:30), time!(18:30))]),
            closed_on_national_holidays: true,
        },
        Period {
            effective_from: date!(2018 - 01 - 02),
            effective_until: None,
            hours: WeeklyHours::monday_to_friday(&[TimeRange::new(time!(10:00), time!(17:00))]),
            closed_on_national_holidays: true,
        },
    ];
    Schedule::new(periods, Vec::new(), Vec::new(), HolidayOverrides::default()).expect("the seed schedule is valid")
}
