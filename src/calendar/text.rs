//! What customers read about the hotline's hours, in Japanese and English, built from the schedule's actual rules.

use time::{Date, Weekday};

use super::WEEKDAYS;
use super::era::{
    format_en_with_weekday, format_era_date_with_weekday, format_western_ja, weekday_en_short, weekday_ja,
};
use super::schedule::{Period, Schedule, TimeRange, WeeklyHours};

/// How many days ahead customers are told of a change of hours.
pub const CHANGE_NOTICE_DAYS: u32 = 30;

/// 「受付時間 10:00～17:00（土日祝日除く）」 for the hours in force on `date`, or in a gap between periods the next period's; `None` if no period applies then or later.
pub fn hours_text_ja(schedule: &Schedule, date: Date) -> Option<String> {
    let period = period_to_describe(schedule, date)?;
    Some(format!(
        "受付時間 {}{}",
        hours_ja(&period.hours),
        closed_days_ja(period)
    ))
}

/// "Hours 10:00–17:00 (closed Saturdays, Sundays and national holidays)" for the hours in force on `date`, as [`hours_text_ja`].
pub fn hours_text_en(schedule: &Schedule, date: Date) -> Option<String> {
    let period = period_to_describe(schedule, date)?;
    Some(format!("Hours {}{}", hours_en(&period.hours), closed_days_en(period)))
}

/// 「平成30年1月2日（火）より 10:00～17:00」 when the hours change within [`CHANGE_NOTICE_DAYS`] days after `date`.
///
/// The closed days are added only if they change too.
pub fn change_announcement_ja(schedule: &Schedule, date: Date) -> Option<String> {
    let change = schedule.upcoming_change(date, CHANGE_NOTICE_DAYS)?;
    let next = change.next;
    let from = next.effective_from;
    let day = format_era_date_with_weekday(from)
        .unwrap_or_else(|| format!("{}（{}）", format_western_ja(from), weekday_ja(from.weekday())));
    let closed_days = if change.previous.is_some_and(|previous| same_closed_days(previous, next)) {
        String::new()
    } else {
        closed_days_ja(next)
    };
    Some(format!("{day}より {}{closed_days}", hours_ja(&next.hours)))
}

/// "From Tue 2 January 2018: 10:00–17:00" when the hours change within [`CHANGE_NOTICE_DAYS`] days after `date`, as [`change_announcement_ja`].
pub fn change_announcement_en(schedule: &Schedule, date: Date) -> Option<String> {
    let change = schedule.upcoming_change(date, CHANGE_NOTICE_DAYS)?;
    let next = change.next;
    let closed_days = if change.previous.is_some_and(|previous| same_closed_days(previous, next)) {
        String::new()
    } else {
        closed_days_en(next)
    };
    Some(format!(
        "From {}: {}{closed_days}",
        format_en_with_weekday(next.effective_from),
        hours_en(&next.hours)
    ))
}

/// The period in force on `date`, or across a gap the one that starts next.
fn period_to_describe(schedule: &Schedule, date: Date) -> Option<&Period> {
    schedule
        .period_on(date)
        .or_else(|| schedule.periods().iter().find(|period| period.effective_from > date))
}

/// The weekdays without hours.
fn closed_weekdays(hours: &WeeklyHours) -> Vec<Weekday> {
    WEEKDAYS
        .into_iter()
        .filter(|weekday| hours.on(*weekday).is_empty())
        .collect()
}

fn same_closed_days(a: &Period, b: &Period) -> bool {
    closed_weekdays(&a.hours) == closed_weekdays(&b.hours)
        && a.closed_on_national_holidays == b.closed_on_national_holidays
}

/// Open weekdays grouped by identical ranges, groups in the order of their first day.
fn day_groups(hours: &WeeklyHours) -> Vec<(Vec<Weekday>, &[TimeRange])> {
    let mut groups: Vec<(Vec<Weekday>, &[TimeRange])> = Vec::new();
    for weekday in WEEKDAYS {
        let ranges = hours.on(weekday);
        if ranges.is_empty() {
            continue;
        }
        match groups.iter_mut().find(|(_, group_ranges)| *group_ranges == ranges) {
            Some((days, _)) => days.push(weekday),
            None => groups.push((vec![weekday], ranges)),
        }
    }
    groups
}

/// Weekdays as a label: runs of three or more as first–last, others listed, e.g. 月～水・金.
fn days_label(days: &[Weekday], name: fn(Weekday) -> &'static str, through: &str, separator: &str) -> String {
    let mut runs: Vec<Vec<Weekday>> = Vec::new();
    for day in days {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|last| last.next() == *day) => {
                run.push(*day);
            }
            _ => runs.push(vec![*day]),
        }
    }
    runs.iter()
        .map(|run| match run.as_slice() {
            [first, .., last] if run.len() >= 3 => {
                format!("{}{through}{}", name(*first), name(*last))
            }
            days => days.iter().map(|day| name(*day)).collect::<Vec<_>>().join(separator),
        })
        .collect::<Vec<_>>()
        .join(separator)
}

/// The hours as 10:00～17:00, or per group of days as 月～金 9:30～18:30／土 10:00～12:00.
fn hours_ja(hours: &WeeklyHours) -> String {
    let ranges = |ranges: &[TimeRange]| {
        ranges
            .iter()
            .map(|range| format!("{}～{}", range.opens_text(), range.closes_text()))
            .collect::<Vec<_>>()
            .join("、")
    };
    match day_groups(hours).as_slice() {
        [(_, only)] => ranges(only),
        groups => groups
            .iter()
            .map(|(days, group)| format!("{} {}", days_label(days, weekday_ja, "～", "・"), ranges(group)))
            .collect::<Vec<_>>()
            .join("／"),
    }
}

/// The hours as 10:00–17:00, or per group of days as Mon–Fri 9:30–18:30; Sat 10:00–12:00.
fn hours_en(hours: &WeeklyHours) -> String {
    let ranges = |ranges: &[TimeRange]| ranges.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    match day_groups(hours).as_slice() {
        [(_, only)] => ranges(only),
        groups => groups
            .iter()
            .map(|(days, group)| format!("{} {}", days_label(days, weekday_en_short, "–", ", "), ranges(group)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// （土日祝日除く） and the like; empty when the line is open every day.
fn closed_days_ja(period: &Period) -> String {
    let mut days: String = closed_weekdays(&period.hours).into_iter().map(weekday_ja).collect();
    if period.closed_on_national_holidays {
        days.push_str("祝日");
    }
    if days.is_empty() {
        days
    } else {
        format!("（{days}除く）")
    }
}

/// " (closed Saturdays, Sundays and national holidays)" and the like; empty when the line is open every day.
fn closed_days_en(period: &Period) -> String {
    let mut days: Vec<String> = closed_weekdays(&period.hours)
        .into_iter()
        .map(|weekday| format!("{weekday}s"))
        .collect();
    if period.closed_on_national_holidays {
        days.push("national holidays".to_owned());
    }
    match days.as_slice() {
        [] => String::new(),
        [only] => format!(" (closed {only})"),
        [first @ .., last] => format!(" (closed {} and {last})", first.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, time};

    use super::*;
    use crate::calendar::holidays::HolidayOverrides;
    use crate::calendar::test_support::seed_schedule;

    fn range(opens: time::Time, closes: time::Time) -> TimeRange {
        TimeRange::new(opens, closes)
    }

    fn one_period(hours: WeeklyHours, closed_on_national_holidays: bool) -> Schedule {
        let period = Period {
            effective_from: date!(2018 - 01 - 02),
            effective_until: None,
            hours,
            closed_on_national_holidays,
        };
        Schedule::new(vec![period], Vec::new(), Vec::new(), HolidayOverrides::default()).expect("valid")
    }

    #[test]
    fn the_seed_hours_read_as_the_final_report_wrote_them() {
        let schedule = seed_schedule();
        let cases = [
            (
                date!(2017 - 12 - 22),
                "受付時間 9:30～18:30（土日祝日除く）",
                "Hours 9:30–18:30 (closed Saturdays, Sundays and national holidays)",
            ),
            // In the year-end gap customers are told the hours they will find on reopening.
            (
                date!(2017 - 12 - 30),
                "受付時間 10:00～17:00（土日祝日除く）",
                "Hours 10:00–17:00 (closed Saturdays, Sundays and national holidays)",
            ),
            (
                date!(2018 - 01 - 02),
                "受付時間 10:00～17:00（土日祝日除く）",
                "Hours 10:00–17:00 (closed Saturdays, Sundays and national holidays)",
            ),
        ];
        for (date, ja, en) in cases {
            assert_eq!(hours_text_ja(&schedule, date).as_deref(), Some(ja), "{date}");
            assert_eq!(hours_text_en(&schedule, date).as_deref(), Some(en), "{date}");
        }
    }

    #[test]
    fn no_hours_text_is_given_once_every_period_has_ended() {
        let schedule = Schedule::new(
            vec![Period {
                effective_from: date!(2017 - 07 - 12),
                effective_until: Some(date!(2017 - 12 - 29)),
                hours: WeeklyHours::monday_to_friday(&[range(time!(9:30), time!(18:30))]),
                closed_on_national_holidays: true,
            }],
            Vec::new(),
            Vec::new(),
            HolidayOverrides::default(),
        )
        .expect("valid");
        assert_eq!(hours_text_ja(&schedule, date!(2018 - 01 - 02)), None);
        assert_eq!(hours_text_en(&schedule, date!(2018 - 01 - 02)), None);
    }

    #[test]
    fn the_change_on_january_2nd_is_announced_in_the_30_days_before() {
        let schedule = seed_schedule();
        let ja = "平成30年1月2日（火）より 10:00～17:00";
        let en = "From Tue 2 January 2018: 10:00–17:00";
        for date in [
            date!(2017 - 12 - 03),
            date!(2017 - 12 - 22),
            date!(2017 - 12 - 30),
            date!(2018 - 01 - 01),
        ] {
            assert_eq!(change_announcement_ja(&schedule, date).as_deref(), Some(ja), "{date}");
            assert_eq!(change_announcement_en(&schedule, date).as_deref(), Some(en), "{date}");
        }
        for date in [date!(2017 - 12 - 02), date!(2018 - 01 - 02), date!(2018 - 06 - 01)] {
            assert_eq!(change_announcement_ja(&schedule, date), None, "{date}");
            assert_eq!(change_announcement_en(&schedule, date), None, "{date}");
        }
    }

    #[test]
    fn a_saturday_opening_drops_saturday_from_the_closed_days() {
        let mut hours = WeeklyHours::monday_to_friday(&[range(time!(10:00), time!(17:00))]);
        hours.saturday = vec![range(time!(10:00), time!(17:00))];
        let schedule = one_period(hours, true);
        assert_eq!(
            hours_text_ja(&schedule, date!(2018 - 01 - 02)).as_deref(),
            Some("受付時間 10:00～17:00（日祝日除く）")
        );
        assert_eq!(
            hours_text_en(&schedule, date!(2018 - 01 - 02)).as_deref(),
            Some("Hours 10:00–17:00 (closed Sundays and national holidays)")
        );
    }

    #[test]
    fn hours_that_differ_by_weekday_are_listed_by_day() {
        let mut hours =
            WeeklyHours::monday_to_friday(&[range(time!(9:00), time!(12:00)), range(time!(13:00), time!(18:00))]);
        hours.wednesday = vec![range(time!(9:00), time!(12:00))];
        hours.saturday = vec![range(time!(10:00), time!(0:00))];
        let schedule = one_period(hours, false);
        assert_eq!(
            hours_text_ja(&schedule, date!(2018 - 01 - 02)).as_deref(),
            Some("受付時間 月・火・木・金 9:00～12:00、13:00～18:00／水 9:00～12:00／土 10:00～24:00（日除く）")
        );
        assert_eq!(
            hours_text_en(&schedule, date!(2018 - 01 - 02)).as_deref(),
            Some("Hours Mon, Tue, Thu, Fri 9:00–12:00, 13:00–18:00; Wed 9:00–12:00; Sat 10:00–24:00 (closed Sundays)")
        );
    }

    #[test]
    fn runs_of_three_days_or_more_are_written_as_a_span() {
        let days = [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Friday,
            Weekday::Saturday,
        ];
        assert_eq!(days_label(&days, weekday_ja, "～", "・"), "月～水・金・土");
        assert_eq!(days_label(&WEEKDAYS, weekday_en_short, "–", ", "), "Mon–Sun");
    }

    #[test]
    fn a_line_open_every_day_mentions_no_closed_days() {
        let every_day = [range(time!(0:00), time!(0:00))];
        let hours = WeeklyHours {
            saturday: every_day.to_vec(),
            sunday: every_day.to_vec(),
            ..WeeklyHours::monday_to_friday(&every_day)
        };
        let schedule = one_period(hours, false);
        assert_eq!(
            hours_text_ja(&schedule, date!(2018 - 01 - 02)).as_deref(),
            Some("受付時間 0:00～24:00")
        );
        assert_eq!(
            hours_text_en(&schedule, date!(2018 - 01 - 02)).as_deref(),
            Some("Hours 0:00–24:00")
        );
    }

    #[test]
    fn an_announcement_mentions_closed_days_when_they_change_too() {
        let weekdays = WeeklyHours::monday_to_friday(&[range(time!(10:00), time!(17:00))]);
        let with_saturday = WeeklyHours {
            saturday: vec![range(time!(10:00), time!(17:00))],
            ..weekdays.clone()
        };
        let periods = vec![
            Period {
                effective_from: date!(2018 - 01 - 02),
                effective_until: Some(date!(2018 - 01 - 31)),
                hours: weekdays,
                closed_on_national_holidays: true,
            },
            Period {
                effective_from: date!(2018 - 02 - 01),
                effective_until: None,
                hours: with_saturday,
                closed_on_national_holidays: true,
            },
        ];
        let schedule = Schedule::new(periods, Vec::new(), Vec::new(), HolidayOverrides::default()).expect("valid");
        assert_eq!(
            change_announcement_ja(&schedule, date!(2018 - 01 - 15)).as_deref(),
            Some("平成30年2月1日（木）より 10:00～17:00（日祝日除く）")
        );
        assert_eq!(
            change_announcement_en(&schedule, date!(2018 - 01 - 15)).as_deref(),
            Some("From Thu 1 February 2018: 10:00–17:00 (closed Sundays and national holidays)")
        );
    }
}
