//! What managers type into the schedule form: a day's hours as `9:30-18:30, 13:00-17:00`, dates as `2017-12-29`.

use time::Date;

use super::schedule::TimeRange;
use super::wire;

/// A form entry that is not a date or not a list of time ranges; the text is kept for the message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} cannot be read")]
pub struct EntryError(pub String);

/// A date as YYYY-MM-DD.
pub fn parse_date(text: &str) -> Result<Date, EntryError> {
    wire::parse_date(text.trim()).map_err(|_| EntryError(text.trim().to_owned()))
}

/// A day's ranges: `9:30-18:30`, several separated by commas; blank means closed that day.
///
/// Full-width and wave-dash forms (`９:３０～１８:３０`、) are accepted too, as Japanese keyboards produce them.
pub fn parse_ranges(text: &str) -> Result<Vec<TimeRange>, EntryError> {
    let normalised: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c),
            '：' => ':',
            '～' | '〜' | '~' | '–' | '－' | 'ー' => '-',
            '、' | '，' => ',',
            other => other,
        })
        .collect();
    if normalised.is_empty() {
        return Ok(Vec::new());
    }
    let bad = || EntryError(text.trim().to_owned());
    normalised
        .split(',')
        .map(|part| {
            let (opens, closes) = part.split_once('-').ok_or_else(bad)?;
            let opens = wire::parse_clock(opens.trim(), false).map_err(|_| bad())?;
            let closes = wire::parse_clock(closes.trim(), true).map_err(|_| bad())?;
            Ok(TimeRange::new(opens, closes))
        })
        .collect()
}

/// The ranges as [`parse_ranges`] reads them back, e.g. `9:30-18:30, 13:00-24:00`.
pub fn format_ranges(ranges: &[TimeRange]) -> String {
    ranges
        .iter()
        .map(|range| format!("{}-{}", range.opens_text(), range.closes_text()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use time::Time;
    use time::macros::time;

    use super::*;

    #[test]
    fn typed_hours_read_back_as_written() {
        let ranges = parse_ranges(" 9:30-12:00, 13:00-24:00 ").unwrap();
        assert_eq!(
            ranges,
            vec![
                TimeRange::new(time!(9:30), time!(12:00)),
                TimeRange::new(time!(13:00), Time::MIDNIGHT),
            ]
        );
        assert_eq!(format_ranges(&ranges), "9:30-12:00, 13:00-24:00");
        assert_eq!(parse_ranges(&format_ranges(&ranges)).unwrap(), ranges);
        assert_eq!(parse_ranges("").unwrap(), Vec::new());
    }

    #[test]
    fn japanese_keyboard_hours_are_understood() {
        assert_eq!(
            parse_ranges("１０：００～１７：００").unwrap(),
            vec![TimeRange::new(time!(10:00), time!(17:00))]
        );
        assert_eq!(parse_ranges("9:30〜12:00、13:00〜18:30").unwrap().len(), 2);
    }

    #[test]
    fn hours_that_are_not_ranges_are_refused_with_the_text() {
        for bad in ["9:30", "9:30-25:00", "nine-five", "9:30-18:30,", "24:00-24:00"] {
            assert_eq!(parse_ranges(bad), Err(EntryError(bad.to_owned())), "{bad}");
        }
        assert!(parse_date("2017-12-29").is_ok());
        assert_eq!(parse_date("12/29"), Err(EntryError("12/29".into())));
    }
}
