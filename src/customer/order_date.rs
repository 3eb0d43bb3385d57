//! Order and payment dates as Japanese spreadsheets write them: 2017/03/05, 2017-03-05, 2017年3月5日, 平成29年3月5日.

use time::{Date, Month};

use super::width::fold_width;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("write the date as 2017/03/05, 2017-03-05 or 2017年3月5日")]
pub struct OrderDateError;

/// Parses a calendar date; a time of day after it (`2017/3/5 14:03:00`, as Excel
/// exports) is ignored. Two-digit years are refused: 17/03/05 is ambiguous.
pub fn parse_order_date(input: &str) -> Result<Date, OrderDateError> {
    let folded = fold_width(input);
    let date_part = folded.split_whitespace().next().ok_or(OrderDateError)?;
    let date_part = date_part.split('T').next().unwrap_or(date_part);

    let (era_start, rest) = strip_era(date_part);
    if era_start.is_none() && rest.len() == 8 && rest.bytes().all(|b| b.is_ascii_digit()) {
        // 20170305, as some systems export.
        let (year, month_day) = rest.split_at(4);
        let (month, day) = month_day.split_at(2);
        return build(number(year)?, number(month)?, number(day)?);
    }

    let parts: Vec<&str> = rest
        .split(['/', '-', '.', '年', '月', '日'])
        .filter(|part| !part.is_empty())
        .collect();
    let [year, month, day] = parts.as_slice() else {
        return Err(OrderDateError);
    };
    if !rest.ends_with(|c: char| c.is_ascii_digit() || c == '日') {
        return Err(OrderDateError);
    }
    let year = match era_start {
        // 元年 is the first year of an era.
        Some(start) => {
            start
                + if *year == "元" {
                    0
                } else {
                    number(year)?.checked_sub(1).ok_or(OrderDateError)?
                }
        }
        None if year.len() == 4 => number(year)?,
        None => return Err(OrderDateError),
    };
    build(year, number(month)?, number(day)?)
}

/// 平成/H and 令和/R, with the Gregorian year of each era's first year.
fn strip_era(input: &str) -> (Option<i32>, &str) {
    const ERAS: [(&str, i32); 4] = [("平成", 1989), ("令和", 2019), ("H", 1989), ("R", 2019)];
    for (prefix, start) in ERAS {
        if let Some(rest) = input.strip_prefix(prefix) {
            return (Some(start), rest);
        }
    }
    (None, input)
}

fn number(part: &str) -> Result<i32, OrderDateError> {
    if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(OrderDateError);
    }
    part.parse().map_err(|_| OrderDateError)
}

fn build(year: i32, month: i32, day: i32) -> Result<Date, OrderDateError> {
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(OrderDateError)?;
    let day = u8::try_from(day).map_err(|_| OrderDateError)?;
    Date::from_calendar_date(year, month, day).map_err(|_| OrderDateError)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn slashes_hyphens_and_kanji_dates_are_accepted() {
        for input in [
            "2017/03/05",
            "2017/3/5",
            "2017-03-05",
            "2017年3月5日",
            "２０１７年３月５日",
            "2017.3.5",
            "20170305",
        ] {
            assert_eq!(parse_order_date(input), Ok(date!(2017 - 03 - 05)), "{input}");
        }
    }

    #[test]
    fn a_time_of_day_after_the_date_is_ignored() {
        assert_eq!(parse_order_date("2017/3/5 14:03:00"), Ok(date!(2017 - 03 - 05)));
        assert_eq!(parse_order_date("2017-03-05T14:03:00+09:00"), Ok(date!(2017 - 03 - 05)));
    }

    #[test]
    fn japanese_era_dates_are_converted() {
        assert_eq!(parse_order_date("平成29年2月10日"), Ok(date!(2017 - 02 - 10)));
        assert_eq!(parse_order_date("H29.5.25"), Ok(date!(2017 - 05 - 25)));
        assert_eq!(parse_order_date("令和元年5月1日"), Ok(date!(2019 - 05 - 01)));
    }

    #[test]
    fn impossible_ambiguous_and_garbled_dates_are_rejected() {
        for input in [
            "2017/2/30",
            "2017/13/1",
            "17/03/05",
            "2017/03",
            "2017年3月",
            "2017/3/5/1",
            "三月五日",
            "2017/3/5x",
            "",
        ] {
            assert_eq!(parse_order_date(input), Err(OrderDateError), "{input}");
        }
    }
}
