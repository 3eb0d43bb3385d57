//! Dates as letters write them: Japanese era dates (和暦, 明治 to 令和) both ways, and Western forms in Japanese and English.

use std::fmt;

use time::macros::date;
use time::{Date, Month, Weekday};

use super::WEEKDAYS;

/// A Japanese era from 明治 on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Era {
    /// 明治, from 1868-01-25 (明治元年1月1日 of the old calendar).
    Meiji,
    /// 大正, from 1912-07-30.
    Taisho,
    /// 昭和, from 1926-12-25.
    Showa,
    /// 平成, from 1989-01-08.
    Heisei,
    /// 令和, from 2019-05-01.
    Reiwa,
}

/// Every era, oldest first.
const ERAS: [Era; 5] = [Era::Meiji, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa];

impl Era {
    /// The era's name, e.g. 平成.
    pub fn name(self) -> &'static str {
        match self {
            Era::Meiji => "明治",
            Era::Taisho => "大正",
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    /// The era's first day (its 元年 starts here).
    pub fn first_day(self) -> Date {
        match self {
            Era::Meiji => date!(1868 - 01 - 25),
            Era::Taisho => date!(1912 - 07 - 30),
            Era::Showa => date!(1926 - 12 - 25),
            Era::Heisei => date!(1989 - 01 - 08),
            Era::Reiwa => date!(2019 - 05 - 01),
        }
    }

    /// The era's last day, or `None` for the current era.
    pub fn last_day(self) -> Option<Date> {
        let next = ERAS.into_iter().find(|era| era.first_day() > self.first_day())?;
        next.first_day().previous_day()
    }

    /// The era `date` falls in, or `None` before 明治.
    pub fn of(date: Date) -> Option<Era> {
        ERAS.into_iter().rev().find(|era| era.first_day() <= date)
    }

    /// The era's year number of `date` (1 for 元年), assuming `date` lies in the era.
    fn year_of(self, date: Date) -> i32 {
        date.year() - self.first_day().year() + 1
    }
}

impl fmt::Display for Era {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The era and era year of `date` (1 for 元年), or `None` before 明治.
pub fn to_era(date: Date) -> Option<(Era, i32)> {
    let era = Era::of(date)?;
    Some((era, era.year_of(date)))
}

/// `date` as an era date, e.g. 平成29年12月22日 or 平成元年1月8日; `None` before 明治.
pub fn format_era_date(date: Date) -> Option<String> {
    let (era, year) = to_era(date)?;
    let year = if year == 1 { "元".to_owned() } else { year.to_string() };
    Some(format!("{era}{year}年{}月{}日", u8::from(date.month()), date.day()))
}

/// `date` as an era date with its weekday, e.g. 平成29年12月29日（金）; `None` before 明治.
pub fn format_era_date_with_weekday(date: Date) -> Option<String> {
    Some(format!("{}（{}）", format_era_date(date)?, weekday_ja(date.weekday())))
}

/// `date` in the Western calendar written in Japanese, e.g. 2017年12月22日.
pub fn format_western_ja(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), u8::from(date.month()), date.day())
}

/// `date` in English, e.g. 22 December 2017.
pub fn format_en(date: Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

/// `date` in English with its weekday, e.g. Tue 2 January 2018.
pub fn format_en_with_weekday(date: Date) -> String {
    format!("{} {}", weekday_en_short(date.weekday()), format_en(date))
}

/// `date` in short English with its weekday, e.g. Fri 29 Dec 2017.
pub fn format_en_short(date: Date) -> String {
    let month = date.month().to_string();
    format!(
        "{} {} {} {}",
        weekday_en_short(date.weekday()),
        date.day(),
        month.get(..3).unwrap_or(&month),
        date.year()
    )
}

/// The one-character Japanese weekday, e.g. 金.
pub(crate) fn weekday_ja(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "月",
        Weekday::Tuesday => "火",
        Weekday::Wednesday => "水",
        Weekday::Thursday => "木",
        Weekday::Friday => "金",
        Weekday::Saturday => "土",
        Weekday::Sunday => "日",
    }
}

/// The three-letter English weekday, e.g. Fri.
pub(crate) fn weekday_en_short(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "Mon",
        Weekday::Tuesday => "Tue",
        Weekday::Wednesday => "Wed",
        Weekday::Thursday => "Thu",
        Weekday::Friday => "Fri",
        Weekday::Saturday => "Sat",
        Weekday::Sunday => "Sun",
    }
}

/// Why text could not be read as an era date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EraDateError {
    /// Not of the form 平成29年12月22日.
    #[error("{text:?} is not an era date like 平成29年12月22日")]
    Malformed {
        /// The text as given.
        text: String,
    },
    /// The era name is not one of 明治, 大正, 昭和, 平成, 令和.
    #[error("{text:?} does not start with a known era (明治, 大正, 昭和, 平成 or 令和)")]
    UnknownEra {
        /// The text as given.
        text: String,
    },
    /// The month or day does not exist, e.g. 2月30日.
    #[error("{era}{year}年{month}月{day}日 is not a calendar date")]
    NoSuchDate {
        /// The era written.
        era: Era,
        /// The era year written.
        year: u32,
        /// The month written.
        month: u32,
        /// The day written.
        day: u32,
    },
    /// The date exists but not in that era, e.g. 平成31年5月1日 (already 令和).
    #[error("{era}{year}年{month}月{day}日 is outside the {era} era")]
    OutsideEra {
        /// The era written.
        era: Era,
        /// The era year written.
        year: u32,
        /// The month written.
        month: u32,
        /// The day written.
        day: u32,
    },
    /// The weekday in brackets is not the date's.
    #[error("{date} was a {actual}, not a {written}")]
    WrongWeekday {
        /// The date read.
        date: Date,
        /// The weekday written.
        written: Weekday,
        /// The date's real weekday.
        actual: Weekday,
    },
}

/// Reads an era date such as 平成29年12月22日, 平成元年1月8日, 「平成 29 年 12 月 29 日 (金)」 or
/// full-width ２９; a weekday in brackets, if present, must be the date's.
pub fn parse_era_date(text: &str) -> Result<Date, EraDateError> {
    let malformed = || EraDateError::Malformed { text: text.to_owned() };
    let normal = normalise(text);
    let (era, rest) = ERAS
        .into_iter()
        .find_map(|era| normal.strip_prefix(era.name()).map(|rest| (era, rest)))
        .ok_or_else(|| EraDateError::UnknownEra { text: text.to_owned() })?;

    let (year, rest) = match rest.strip_prefix("元年") {
        Some(rest) => (1, rest),
        None => number_then(rest, '年').ok_or_else(malformed)?,
    };
    let (month, rest) = number_then(rest, '月').ok_or_else(malformed)?;
    let (day, rest) = number_then(rest, '日').ok_or_else(malformed)?;
    let written_weekday = match rest {
        "" => None,
        bracketed => Some(weekday_in_brackets(bracketed).ok_or_else(malformed)?),
    };

    let no_such_date = EraDateError::NoSuchDate { era, year, month, day };
    let outside_era = EraDateError::OutsideEra { era, year, month, day };
    if year == 0 {
        return Err(outside_era);
    }
    let western_year = i32::try_from(year)
        .ok()
        .and_then(|year| era.first_day().year().checked_add(year - 1))
        .ok_or(outside_era.clone())?;
    let month = u8::try_from(month)
        .ok()
        .and_then(|month| Month::try_from(month).ok())
        .ok_or(no_such_date.clone())?;
    let day = u8::try_from(day).map_err(|_| no_such_date.clone())?;
    let date = Date::from_calendar_date(western_year, month, day).map_err(|_| no_such_date)?;
    if Era::of(date) != Some(era) {
        return Err(outside_era);
    }
    match written_weekday {
        Some(written) if written != date.weekday() => Err(EraDateError::WrongWeekday {
            date,
            written,
            actual: date.weekday(),
        }),
        _ => Ok(date),
    }
}

/// Drops spaces (ASCII and full-width) and turns full-width digits and brackets into ASCII.
fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_digit(u32::from(c) - u32::from('０'), 10).unwrap_or(c),
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .collect()
}

/// A run of ASCII digits followed by `unit`, and the text after it.
fn number_then(text: &str, unit: char) -> Option<(u32, &str)> {
    let (digits, rest) = text.split_once(unit)?;
    // Four digits are plenty for an era year, month or day and keep u32 from overflowing.
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((digits.parse().ok()?, rest))
}

/// The weekday in "(金)", "(金曜)" or "(金曜日)".
fn weekday_in_brackets(text: &str) -> Option<Weekday> {
    let inner = text.strip_prefix('(')?.strip_suffix(')')?;
    let name = inner
        .strip_suffix("曜日")
        .or_else(|| inner.strip_suffix('曜'))
        .unwrap_or(inner);
    WEEKDAYS.into_iter().find(|weekday| weekday_ja(*weekday) == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn era_boundaries_fall_on_the_exact_days() {
        let cases = [
            (date!(1868 - 01 - 25), "明治元年1月25日"),
            (date!(1912 - 07 - 29), "明治45年7月29日"),
            (date!(1912 - 07 - 30), "大正元年7月30日"),
            (date!(1926 - 12 - 24), "大正15年12月24日"),
            (date!(1926 - 12 - 25), "昭和元年12月25日"),
            (date!(1989 - 01 - 07), "昭和64年1月7日"),
            (date!(1989 - 01 - 08), "平成元年1月8日"),
            (date!(2017 - 12 - 22), "平成29年12月22日"),
            (date!(2019 - 04 - 30), "平成31年4月30日"),
            (date!(2019 - 05 - 01), "令和元年5月1日"),
            (date!(2025 - 01 - 01), "令和7年1月1日"),
        ];
        for (date, text) in cases {
            assert_eq!(format_era_date(date).as_deref(), Some(text), "{date}");
            assert_eq!(parse_era_date(text), Ok(date), "{text}");
        }
        assert_eq!(format_era_date(date!(1868 - 01 - 24)), None);
        assert_eq!(Era::Showa.last_day(), Some(date!(1989 - 01 - 07)));
        assert_eq!(Era::Reiwa.last_day(), None);
    }

    #[test]
    fn letters_show_the_weekday_in_full_width_brackets() {
        assert_eq!(
            format_era_date_with_weekday(date!(2017 - 12 - 29)).as_deref(),
            Some("平成29年12月29日（金）")
        );
        assert_eq!(
            format_era_date_with_weekday(date!(2018 - 01 - 02)).as_deref(),
            Some("平成30年1月2日（火）")
        );
    }

    #[test]
    fn western_dates_read_as_letters_write_them() {
        assert_eq!(format_western_ja(date!(2017 - 12 - 22)), "2017年12月22日");
        assert_eq!(format_en(date!(2017 - 12 - 22)), "22 December 2017");
        assert_eq!(format_en_with_weekday(date!(2018 - 01 - 02)), "Tue 2 January 2018");
        assert_eq!(format_en_short(date!(2017 - 12 - 29)), "Fri 29 Dec 2017");
    }

    #[test]
    fn era_dates_parse_with_spaces_full_width_digits_and_weekdays() {
        let dec_22 = date!(2017 - 12 - 22);
        for text in [
            "平成29年12月22日",
            "平成 29 年 12 月 22 日",
            "平成２９年１２月２２日",
            "平成　２９年　１２月　２２日",
            " 平成29年12月22日（金） ",
            "平成 29 年 12 月 22 日 (金)",
            "平成29年12月22日（金曜日）",
        ] {
            assert_eq!(parse_era_date(text), Ok(dec_22), "{text}");
        }
        assert_eq!(parse_era_date("平成元年1月8日"), Ok(date!(1989 - 01 - 08)));
        assert_eq!(parse_era_date("平成1年1月8日"), Ok(date!(1989 - 01 - 08)));
    }

    #[test]
    fn dates_outside_the_written_era_are_refused() {
        for text in [
            "平成31年5月1日",
            "昭和64年1月8日",
            "平成32年1月1日",
            "令和元年4月30日",
            "明治元年1月24日",
            "平成0年1月1日",
        ] {
            assert!(
                matches!(parse_era_date(text), Err(EraDateError::OutsideEra { .. })),
                "{text} should be outside its era"
            );
        }
    }

    #[test]
    fn malformed_era_dates_say_what_is_wrong() {
        assert!(matches!(
            parse_era_date("平成29年2月30日"),
            Err(EraDateError::NoSuchDate { .. })
        ));
        assert!(matches!(
            parse_era_date("平成29年13月1日"),
            Err(EraDateError::NoSuchDate { .. })
        ));
        assert!(matches!(
            parse_era_date("慶応4年1月1日"),
            Err(EraDateError::UnknownEra { .. })
        ));
        assert!(matches!(
            parse_era_date("2017年12月22日"),
            Err(EraDateError::UnknownEra { .. })
        ));
        for text in [
            "平成29年12月",
            "平成年12月22日",
            "平成29年12月22日金",
            "平成29年12月22日（祝）",
            "平成99999年1月1日",
        ] {
            assert!(
                matches!(parse_era_date(text), Err(EraDateError::Malformed { .. })),
                "{text}"
            );
        }
        assert_eq!(
            parse_era_date("平成29年12月22日（土）").map_err(|error| error.to_string()),
            Err("2017-12-22 was a Friday, not a Saturday".to_owned())
        );
        assert_eq!(
            parse_era_date("平成31年5月1日").map_err(|error| error.to_string()),
            Err("平成31年5月1日 is outside the 平成 era".to_owned())
        );
    }
}
