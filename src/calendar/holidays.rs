//! Japanese national holidays, computed from 国民の祝日に関する法律 (1948) and the one-off laws, as in force on each date.

use serde::{Deserialize, Serialize};
use time::macros::date;
use time::{Date, Month, Weekday};

use super::wire;

/// Name of a 振替休日, the day off owed for a holiday that fell on a Sunday.
pub const SUBSTITUTE_HOLIDAY: &str = "振替休日";
/// Name of a 国民の休日, a working day sandwiched between two holidays.
pub const CITIZENS_HOLIDAY: &str = "国民の休日";

/// The law came into force on 1948-07-20; nothing before it is a national holiday.
const LAW_IN_FORCE: Date = date!(1948 - 07 - 20);
/// 振替休日 exists from the 1973 amendment (昭和48年法律第10号), in force on this day.
const SUBSTITUTES_FROM: Date = date!(1973 - 04 - 12);
/// From 2007 (平成17年法律第43号) the substitute is the next non-holiday, not only the Monday.
const SUBSTITUTE_NEXT_FREE_DAY_FROM: Date = date!(2007 - 01 - 01);
/// 国民の休日 exists from the 1985 amendment (昭和60年法律第103号), in force on promulgation.
const CITIZENS_HOLIDAYS_FROM: Date = date!(1985 - 12 - 27);

/// Days made holidays by their own law; each counts as a 国民の祝日 for the rules below
/// (the 2019 law says so expressly, which is what makes 2019-04-30 and 2019-05-02 holidays).
const ONE_OFF_DAYS: [(Date, &str); 6] = [
    (date!(1959 - 04 - 10), "皇太子明仁親王の結婚の儀"),
    (date!(1989 - 02 - 24), "昭和天皇の大喪の礼"),
    (date!(1990 - 11 - 12), "即位礼正殿の儀"),
    (date!(1993 - 06 - 09), "皇太子徳仁親王の結婚の儀"),
    (date!(2019 - 05 - 01), "天皇の即位の日"),
    (date!(2019 - 10 - 22), "即位礼正殿の儀"),
];

/// A national holiday and its Japanese name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Holiday {
    /// The day.
    pub date: Date,
    /// Its name in Japanese, e.g. 成人の日, 振替休日, 国民の休日.
    pub name: &'static str,
}

/// The name of the national holiday on `date`, if it is one.
pub fn holiday_name(date: Date) -> Option<&'static str> {
    if let Some(name) = designated_holiday(date) {
        Some(name)
    } else if is_substitute_holiday(date) {
        Some(SUBSTITUTE_HOLIDAY)
    } else if is_citizens_holiday(date) {
        Some(CITIZENS_HOLIDAY)
    } else {
        None
    }
}

/// Every national holiday of `year`, in date order.
pub fn holidays_in_year(year: i32) -> Vec<Holiday> {
    let Ok(first) = Date::from_calendar_date(year, Month::January, 1) else {
        return Vec::new();
    };
    std::iter::successors(Some(first), |day| day.next_day())
        .take_while(|day| day.year() == year)
        .filter_map(|date| holiday_name(date).map(|name| Holiday { date, name }))
        .collect()
}

/// A manager's corrections to the computed holidays, for when law or decree changes faster than the code.
///
/// They apply to the final list, date by date: switching off a Sunday holiday leaves its
/// 振替休日 in place (switch that off too if it should go).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayOverrides {
    /// Computed holidays that are not to count.
    #[serde(default, with = "wire::dates")]
    pub switched_off: Vec<Date>,
    /// Extra holidays; one on a computed holiday renames it.
    #[serde(default)]
    pub added: Vec<AddedHoliday>,
}

/// A holiday a manager added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedHoliday {
    /// The day.
    #[serde(with = "wire::date")]
    pub date: Date,
    /// Its name as customers will see it.
    pub name: String,
}

impl HolidayOverrides {
    /// The name of the holiday on `date` after the corrections, if it is one.
    pub fn holiday_name(&self, date: Date) -> Option<&str> {
        if let Some(added) = self.added.iter().find(|added| added.date == date) {
            Some(&added.name)
        } else if self.switched_off.contains(&date) {
            None
        } else {
            holiday_name(date)
        }
    }
}

/// A 国民の祝日 or a one-off holiday: the days the law names, before substitutes and sandwiches.
fn designated_holiday(date: Date) -> Option<&'static str> {
    if date < LAW_IN_FORCE {
        return None;
    }
    if let Some((_, name)) = ONE_OFF_DAYS.iter().find(|(day, _)| *day == date) {
        return Some(name);
    }
    designated_days(date.year())
        .into_iter()
        .find(|(day, _)| *day == date)
        .map(|(_, name)| name)
}

/// The 国民の祝日 of `year` under the rules in force that year (one-off days aside).
fn designated_days(year: i32) -> Vec<(Date, &'static str)> {
    use Month::*;

    let mut days = Vec::with_capacity(20);
    let mut on = |date: Option<Date>, name: &'static str| {
        if let Some(date) = date {
            days.push((date, name));
        }
    };
    let fixed = |month: Month, day: u8| Date::from_calendar_date(year, month, day).ok();
    let monday = |month: Month, nth: u8| nth_monday(year, month, nth);

    on(fixed(January, 1), "元日");
    on(
        if year < 2000 {
            fixed(January, 15)
        } else {
            monday(January, 2)
        },
        "成人の日",
    );
    if year >= 1967 {
        on(fixed(February, 11), "建国記念の日");
    }
    if year >= 2020 {
        on(fixed(February, 23), "天皇誕生日");
    }
    on(vernal_equinox_day(year).and_then(|day| fixed(March, day)), "春分の日");
    match year {
        ..=1988 => on(fixed(April, 29), "天皇誕生日"),
        1989..=2006 => on(fixed(April, 29), "みどりの日"),
        _ => on(fixed(April, 29), "昭和の日"),
    }
    on(fixed(May, 3), "憲法記念日");
    if year >= 2007 {
        on(fixed(May, 4), "みどりの日");
    }
    on(fixed(May, 5), "こどもの日");
    // The 2020 and 2021 Olympic moves (平成30年法律第57号, 令和2年法律第68号).
    match year {
        1996..=2002 => on(fixed(July, 20), "海の日"),
        2020 => on(fixed(July, 23), "海の日"),
        2021 => on(fixed(July, 22), "海の日"),
        2003.. => on(monday(July, 3), "海の日"),
        _ => {}
    }
    match year {
        2020 => on(fixed(August, 10), "山の日"),
        2021 => on(fixed(August, 8), "山の日"),
        2016.. => on(fixed(August, 11), "山の日"),
        _ => {}
    }
    match year {
        1966..=2002 => on(fixed(September, 15), "敬老の日"),
        2003.. => on(monday(September, 3), "敬老の日"),
        _ => {}
    }
    on(
        autumnal_equinox_day(year).and_then(|day| fixed(September, day)),
        "秋分の日",
    );
    match year {
        1966..=1999 => on(fixed(October, 10), "体育の日"),
        2000..=2019 => on(monday(October, 2), "体育の日"),
        2020 => on(fixed(July, 24), "スポーツの日"),
        2021 => on(fixed(July, 23), "スポーツの日"),
        2022.. => on(monday(October, 2), "スポーツの日"),
        _ => {}
    }
    on(fixed(November, 3), "文化の日");
    on(fixed(November, 23), "勤労感謝の日");
    if (1989..=2018).contains(&year) {
        on(fixed(December, 23), "天皇誕生日");
    }
    days
}

/// Whether `date` is the day off owed for a designated holiday that fell on a Sunday.
fn is_substitute_holiday(date: Date) -> bool {
    if designated_holiday(date).is_some() {
        return false;
    }
    // Walk back over the run of designated holidays just before `date`, looking for a Sunday.
    let mut day = date;
    while let Some(previous) = day.previous_day() {
        if designated_holiday(previous).is_none() {
            return false;
        }
        if previous.weekday() == Weekday::Sunday {
            return if previous >= SUBSTITUTE_NEXT_FREE_DAY_FROM {
                true
            } else {
                // Before 2007 only the Monday right after the Sunday was given.
                previous >= SUBSTITUTES_FROM && previous.next_day() == Some(date)
            };
        }
        day = previous;
    }
    false
}

/// Whether `date` is a 国民の休日: an ordinary day with designated holidays on both sides.
fn is_citizens_holiday(date: Date) -> bool {
    // Before 2007 the law left out Sundays (and 振替休日, which `holiday_name` checks first).
    date >= CITIZENS_HOLIDAYS_FROM
        && designated_holiday(date).is_none()
        && (date >= SUBSTITUTE_NEXT_FREE_DAY_FROM || date.weekday() != Weekday::Sunday)
        && date.previous_day().and_then(designated_holiday).is_some()
        && date.next_day().and_then(designated_holiday).is_some()
}

/// The `nth` Monday of a month (Happy Monday days).
fn nth_monday(year: i32, month: Month, nth: u8) -> Option<Date> {
    let first = Date::from_calendar_date(year, month, 1).ok()?;
    let to_monday = (7 + 1 - first.weekday().number_from_monday()) % 7;
    Date::from_calendar_date(year, month, 1 + to_monday + 7 * (nth - 1)).ok()
}

/// Day of March of the vernal equinox (春分日), by the usual approximation.
fn vernal_equinox_day(year: i32) -> Option<u8> {
    equinox_day(year, [20_835_700, 20_843_100, 21_851_000])
}

/// Day of September of the autumnal equinox (秋分日), by the usual approximation.
fn autumnal_equinox_day(year: i32) -> Option<u8> {
    equinox_day(year, [23_258_800, 23_248_800, 24_248_800])
}

/// The standard formula day = int(C + 0.242194 (y − 1980) − int((y − 1980) / 4)), in millionths so
/// that no float rounding can move a day; `constants` holds C for 1900–1979, 1980–2099 and
/// 2100–2150 (with the leap correction counted from 1983 in the first span). Outside 1900–2150
/// the formula is not known to hold, so no day is given. The official day is fixed each February
/// by the National Astronomical Observatory; so far it has always matched this formula.
fn equinox_day(year: i32, constants: [i64; 3]) -> Option<u8> {
    let (constant, leap_base) = match year {
        1900..=1979 => (constants[0], 1983),
        1980..=2099 => (constants[1], 1980),
        2100..=2150 => (constants[2], 1980),
        _ => return None,
    };
    let since_1980 = i64::from(year) - 1980;
    // Truncating division, as the formula's int() is, also for years before 1983.
    let leap_days = (i64::from(year) - leap_base) / 4;
    let micro_days = constant + 242_194 * since_1980 - 1_000_000 * leap_days;
    u8::try_from(micro_days / 1_000_000).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_on(date: Date) -> Option<&'static str> {
        holiday_name(date)
    }

    #[test]
    fn holidays_on_sundays_give_the_next_free_day_as_substitute() {
        let cases = [
            // 2017-01-01 元日 was a Sunday.
            (date!(2017 - 01 - 01), Some("元日")),
            (date!(2017 - 01 - 02), Some(SUBSTITUTE_HOLIDAY)),
            // 2019-05-05 こどもの日 was a Sunday in the ten-day Golden Week of the accession.
            (date!(2019 - 05 - 05), Some("こどもの日")),
            (date!(2019 - 05 - 06), Some(SUBSTITUTE_HOLIDAY)),
            // 2008-05-04 Sunday みどりの日: the 6th, after こどもの日, is the next free day.
            (date!(2008 - 05 - 06), Some(SUBSTITUTE_HOLIDAY)),
            // 2021-08-08 山の日 (moved for the Olympics) was a Sunday.
            (date!(2021 - 08 - 09), Some(SUBSTITUTE_HOLIDAY)),
            // 2017-12-23 天皇誕生日 was a Saturday: no substitute.
            (date!(2017 - 12 - 25), None),
        ];
        for (date, expected) in cases {
            assert_eq!(name_on(date), expected, "{date}");
        }
    }

    #[test]
    fn before_2007_only_the_monday_after_a_sunday_holiday_was_a_substitute() {
        // 1973-04-29 天皇誕生日, a Sunday, gave the first 振替休日.
        assert_eq!(name_on(date!(1973 - 04 - 30)), Some(SUBSTITUTE_HOLIDAY));
        // 1973-02-11 建国記念の日 was a Sunday before the amendment: no substitute.
        assert_eq!(name_on(date!(1973 - 02 - 12)), None);
        // 1998-05-03 Sunday: the 4th is 振替休日 (not 国民の休日), the 6th an ordinary day.
        assert_eq!(name_on(date!(1998 - 05 - 04)), Some(SUBSTITUTE_HOLIDAY));
        assert_eq!(name_on(date!(1998 - 05 - 06)), None);
    }

    #[test]
    fn a_day_between_two_holidays_is_a_citizens_holiday() {
        for date in [
            date!(1988 - 05 - 04),
            date!(2009 - 09 - 22),
            date!(2015 - 09 - 22),
            date!(2019 - 04 - 30),
            date!(2019 - 05 - 02),
            date!(2026 - 09 - 22),
        ] {
            assert_eq!(name_on(date), Some(CITIZENS_HOLIDAY), "{date}");
        }
        // Before the 1985 amendment May 4th was an ordinary day.
        assert_eq!(name_on(date!(1984 - 05 - 04)), None);
    }

    #[test]
    fn the_emperors_birthday_follows_the_reign_and_is_missing_in_2019() {
        assert_eq!(name_on(date!(1988 - 04 - 29)), Some("天皇誕生日"));
        assert_eq!(name_on(date!(1989 - 04 - 29)), Some("みどりの日"));
        assert_eq!(name_on(date!(2018 - 12 - 23)), Some("天皇誕生日"));
        assert_eq!(name_on(date!(2019 - 12 - 23)), None);
        assert!(
            holidays_in_year(2019)
                .iter()
                .all(|holiday| holiday.name != "天皇誕生日")
        );
        assert_eq!(name_on(date!(2020 - 02 - 23)), Some("天皇誕生日"));
    }

    #[test]
    fn nothing_is_a_national_holiday_before_the_law_came_into_force() {
        assert!(holidays_in_year(1947).is_empty());
        let in_1948: Vec<_> = holidays_in_year(1948).iter().map(|holiday| holiday.name).collect();
        assert_eq!(in_1948, ["秋分の日", "文化の日", "勤労感謝の日"]);
    }

    #[test]
    fn equinox_days_follow_the_approximation_and_stop_where_it_is_unknown() {
        assert_eq!(vernal_equinox_day(2017), Some(20));
        assert_eq!(autumnal_equinox_day(2017), Some(23));
        assert_eq!(autumnal_equinox_day(1948), Some(23));
        assert_eq!(vernal_equinox_day(2099), Some(20));
        assert_eq!(autumnal_equinox_day(2100), Some(23));
        assert_eq!(vernal_equinox_day(2151), None);
        assert_eq!(vernal_equinox_day(1899), None);
    }

    #[test]
    fn managers_can_switch_a_holiday_off_rename_it_or_add_one() {
        let overrides = HolidayOverrides {
            switched_off: vec![date!(2018 - 01 - 08)],
            added: vec![
                AddedHoliday {
                    date: date!(2018 - 01 - 04),
                    name: "会社休日".into(),
                },
                AddedHoliday {
                    date: date!(2018 - 02 - 11),
                    name: "建国記念日".into(),
                },
            ],
        };
        assert_eq!(overrides.holiday_name(date!(2018 - 01 - 08)), None);
        assert_eq!(overrides.holiday_name(date!(2018 - 01 - 04)), Some("会社休日"));
        assert_eq!(overrides.holiday_name(date!(2018 - 02 - 11)), Some("建国記念日"));
        assert_eq!(overrides.holiday_name(date!(2018 - 01 - 01)), Some("元日"));
        assert_eq!(
            HolidayOverrides::default().holiday_name(date!(2018 - 01 - 08)),
            Some("成人の日")
        );
    }

    /// jpholiday's known departures from the law, checked against the statute and the
    /// `holidays` package (0.109), which agrees with the law on all of them.
    fn jpholiday_erratum(date: Date, name: &str) -> Option<&'static str> {
        match (date, name) {
            // It applies the 1985 国民の休日 rule to earlier years…
            (_, "国民の休日") if date < CITIZENS_HOLIDAYS_FROM => Some("no 国民の休日 before 1985-12-27"),
            // …and the 1973 振替休日 rule to a Sunday before the amendment came into force.
            (_, "建国記念の日 振替休日") if date == date!(1973 - 02 - 12) => {
                Some("no 振替休日 before 1973-04-12")
            }
            _ => None,
        }
    }

    /// The names jpholiday spells differently from the laws that made the days.
    fn jpholiday_name_in_law(name: &str) -> &str {
        match name {
            "皇太子・明仁親王の結婚の儀" => "皇太子明仁親王の結婚の儀",
            "皇太子・皇太子徳仁親王の結婚の儀" => "皇太子徳仁親王の結婚の儀",
            "即位の礼正殿の儀" => "即位礼正殿の儀",
            other => other,
        }
    }

    // tests/data/jp_holidays.csv is the unedited output of jpholiday 1.0.3 (PyPI), made with
    //   python -c "import datetime, jpholiday; print('date,name'); [print(f'{d},{n}') for d, n in jpholiday.between(datetime.date(1955,1,1), datetime.date(2030,12,31))]" > tests/data/jp_holidays.csv
    // It names a substitute day after its holiday ("元日 振替休日") where we say 振替休日; the
    // test checks that the named holiday is indeed the Sunday one the substitute is owed for.
    #[test]
    fn every_holiday_from_1955_to_2030_matches_the_jpholiday_golden_file() {
        let golden = include_str!("../../tests/data/jp_holidays.csv");
        let mut lines = golden.lines();
        assert_eq!(lines.next(), Some("date,name"));
        let mut expected = Vec::new();
        let mut errata = 0;
        for line in lines {
            let (day, name) = line.split_once(',').expect("date,name");
            let date = Date::parse(day, wire_date()).expect("an ISO date");
            if jpholiday_erratum(date, name).is_some() {
                errata += 1;
                continue;
            }
            let name = match name.strip_suffix(" 振替休日") {
                Some(owed_for) => {
                    assert_eq!(sunday_holiday_before(date), Some(owed_for), "{date} substitutes for");
                    SUBSTITUTE_HOLIDAY
                }
                None => jpholiday_name_in_law(name),
            };
            expected.push((date, name.to_owned()));
        }
        assert_eq!(errata, 27, "jpholiday's known errors changed; re-check them");

        let computed: Vec<_> = (1955..=2030)
            .flat_map(holidays_in_year)
            .map(|holiday| (holiday.date, holiday.name.to_owned()))
            .collect();
        let missing: Vec<_> = expected.iter().filter(|day| !computed.contains(day)).collect();
        let extra: Vec<_> = computed.iter().filter(|day| !expected.contains(day)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "missing {missing:?}\nextra {extra:?}"
        );
        assert_eq!(computed.len(), 1148 - 27);
    }

    /// The designated holiday on the Sunday a substitute on `date` is owed for.
    fn sunday_holiday_before(date: Date) -> Option<&'static str> {
        let mut day = date.previous_day()?;
        while day.weekday() != Weekday::Sunday {
            day = day.previous_day()?;
        }
        designated_holiday(day)
    }

    fn wire_date() -> &'static [time::format_description::BorrowedFormatItem<'static>] {
        time::macros::format_description!("[year]-[month]-[day]")
    }
}
