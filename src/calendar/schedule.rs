//! The hotline's opening hours over time: periods of weekly hours, national holidays, named closures and extra openings, in Tokyo time.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime, Time, Weekday};

use super::holidays::HolidayOverrides;
use super::{TOKYO, WEEKDAYS, wire};

/// How many closed days in a row a forward search crosses before concluding the line never opens again.
pub const SEARCH_DAYS: u32 = 400;

/// Opening hours within one day, from `opens` up to but not including `closes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeRange {
    /// When the line opens.
    #[serde(with = "wire::clock")]
    pub opens: Time,
    /// When it closes; 00:00 stands for midnight at the end of the day (written "24:00").
    #[serde(with = "wire::closing_clock")]
    pub closes: Time,
}

impl TimeRange {
    /// The range from `opens` to `closes` (00:00 closing meaning the end of the day).
    pub const fn new(opens: Time, closes: Time) -> Self {
        Self { opens, closes }
    }

    /// Time from midnight to opening.
    fn start(self) -> Duration {
        self.opens - Time::MIDNIGHT
    }

    /// Time from midnight to closing; a whole day when closing at midnight.
    fn end(self) -> Duration {
        if self.closes == Time::MIDNIGHT {
            Duration::DAY
        } else {
            self.closes - Time::MIDNIGHT
        }
    }

    /// The opening time as customers read it, e.g. 9:30.
    pub(crate) fn opens_text(self) -> String {
        clock_text(self.opens)
    }

    /// The closing time as customers read it, e.g. 18:30, or 24:00 for midnight.
    pub(crate) fn closes_text(self) -> String {
        if self.closes == Time::MIDNIGHT {
            "24:00".to_owned()
        } else {
            clock_text(self.closes)
        }
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.opens_text(), self.closes_text())
    }
}

/// A clock time as H:MM, with seconds only if there are any.
fn clock_text(time: Time) -> String {
    if time.second() == 0 && time.nanosecond() == 0 {
        format!("{}:{:02}", time.hour(), time.minute())
    } else {
        format!("{}:{:02}:{:02}", time.hour(), time.minute(), time.second())
    }
}

/// Opening hours for each day of the week; a day without ranges is closed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyHours {
    /// Mondays.
    #[serde(default)]
    pub monday: Vec<TimeRange>,
    /// Tuesdays.
    #[serde(default)]
    pub tuesday: Vec<TimeRange>,
    /// Wednesdays.
    #[serde(default)]
    pub wednesday: Vec<TimeRange>,
    /// Thursdays.
    #[serde(default)]
    pub thursday: Vec<TimeRange>,
    /// Fridays.
    #[serde(default)]
    pub friday: Vec<TimeRange>,
    /// Saturdays.
    #[serde(default)]
    pub saturday: Vec<TimeRange>,
    /// Sundays.
    #[serde(default)]
    pub sunday: Vec<TimeRange>,
}

impl WeeklyHours {
    /// The same ranges Monday to Friday, closed at weekends.
    pub fn monday_to_friday(ranges: &[TimeRange]) -> Self {
        Self {
            monday: ranges.to_vec(),
            tuesday: ranges.to_vec(),
            wednesday: ranges.to_vec(),
            thursday: ranges.to_vec(),
            friday: ranges.to_vec(),
            ..Self::default()
        }
    }

    /// The ranges on `weekday`, in order once the schedule has validated them.
    pub fn on(&self, weekday: Weekday) -> &[TimeRange] {
        match weekday {
            Weekday::Monday => &self.monday,
            Weekday::Tuesday => &self.tuesday,
            Weekday::Wednesday => &self.wednesday,
            Weekday::Thursday => &self.thursday,
            Weekday::Friday => &self.friday,
            Weekday::Saturday => &self.saturday,
            Weekday::Sunday => &self.sunday,
        }
    }

    fn on_mut(&mut self, weekday: Weekday) -> &mut [TimeRange] {
        match weekday {
            Weekday::Monday => &mut self.monday,
            Weekday::Tuesday => &mut self.tuesday,
            Weekday::Wednesday => &mut self.wednesday,
            Weekday::Thursday => &mut self.thursday,
            Weekday::Friday => &mut self.friday,
            Weekday::Saturday => &mut self.saturday,
            Weekday::Sunday => &mut self.sunday,
        }
    }
}

/// A stretch of dates under one set of weekly hours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// First day the hours apply.
    #[serde(with = "wire::date")]
    pub effective_from: Date,
    /// Last day they apply (inclusive); `None` for until further notice.
    #[serde(default, with = "wire::optional_date")]
    pub effective_until: Option<Date>,
    /// The hours for each day of the week.
    pub hours: WeeklyHours,
    /// Whether the line is closed on national holidays (as corrected by the holiday overrides).
    pub closed_on_national_holidays: bool,
}

impl Period {
    /// Whether the period applies on `date`.
    pub fn covers(&self, date: Date) -> bool {
        self.effective_from <= date && self.effective_until.is_none_or(|until| date <= until)
    }

    /// Whether two periods show customers the same hours and closed days.
    fn same_rules(&self, other: &Period) -> bool {
        self.hours == other.hours && self.closed_on_national_holidays == other.closed_on_national_holidays
    }
}

/// Named days the line is closed although a period would open it, e.g. 年末年始休業.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    /// What customers are told, e.g. 年末年始休業.
    pub name: String,
    /// First closed day.
    #[serde(with = "wire::date")]
    pub first_day: Date,
    /// Last closed day (inclusive).
    #[serde(with = "wire::date")]
    pub last_day: Date,
}

impl Closure {
    fn covers(&self, date: Date) -> bool {
        self.first_day <= date && date <= self.last_day
    }
}

/// A named day opened with its own hours whatever the periods say, e.g. a Saturday after a mailing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraOpening {
    /// What staff and customers are told, e.g. 発送後臨時受付.
    pub name: String,
    /// The day.
    #[serde(with = "wire::date")]
    pub date: Date,
    /// The hours that day.
    pub hours: Vec<TimeRange>,
}

/// The hours on one date, or why the line is closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DayHours {
    /// Open in these ranges, in order.
    Open(Vec<TimeRange>),
    /// Closed all day.
    Closed(ClosedReason),
}

/// Why the line is closed on a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClosedReason {
    /// The period has no hours on this day of the week (usually Saturday or Sunday).
    Weekday(Weekday),
    /// A national holiday, with its name, e.g. 成人の日.
    NationalHoliday(String),
    /// A named closure, e.g. 年末年始休業.
    Closure(String),
    /// No period covers the date.
    NoPeriod,
}

/// A coming change of hours: the period that starts and the one it follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UpcomingChange<'a> {
    /// The hours in force before the change (or last in force, across a gap), if any.
    pub previous: Option<&'a Period>,
    /// The period that starts, on its `effective_from`.
    pub next: &'a Period,
}

/// Where a faulty time range was found, for error messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HoursOwner {
    /// A period's hours on one weekday; `index` counts from 0 in the order given.
    Period {
        /// Position of the period as given, from 0.
        index: usize,
        /// The period's first day.
        from: Date,
        /// The weekday whose ranges are at fault.
        weekday: Weekday,
    },
    /// An extra opening's hours.
    Opening {
        /// The opening's name.
        name: String,
        /// The opening's day.
        date: Date,
    },
}

impl fmt::Display for HoursOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HoursOwner::Period { index, from, weekday } => {
                write!(f, "period {} (from {from}) on {weekday}s", index + 1)
            }
            HoursOwner::Opening { name, date } => write!(f, "the extra opening {name:?} on {date}"),
        }
    }
}

/// Why a schedule was refused; the message is meant for the manager who edited it.
///
/// Indexes count from 0 in the order given; messages number them from 1.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// A period ends before it starts.
    #[error("period {} ends on {until}, before it starts on {from}", .index + 1)]
    PeriodEndsBeforeStart {
        /// Position of the period.
        index: usize,
        /// Its first day.
        from: Date,
        /// Its last day.
        until: Date,
    },
    /// Two periods share days (a period without an end overlaps every later one).
    #[error(
        "period {} (from {first_from}) overlaps period {} (from {second_from}); end the earlier one before the later starts",
        .first + 1,
        .second + 1
    )]
    PeriodsOverlap {
        /// Position of the earlier period.
        first: usize,
        /// Its first day.
        first_from: Date,
        /// Position of the later period.
        second: usize,
        /// Its first day.
        second_from: Date,
    },
    /// A period never opens; a gap between periods is the way to close the line.
    #[error("period {} (from {from}) has no hours on any day; to close the line, leave a gap between periods instead", .index + 1)]
    PeriodWithoutHours {
        /// Position of the period.
        index: usize,
        /// Its first day.
        from: Date,
    },
    /// A range closes at or before it opens.
    #[error("{at}: closing at {} is not after opening at {}", .range.closes_text(), .range.opens_text())]
    ClosingNotAfterOpening {
        /// Where the range is.
        at: HoursOwner,
        /// The range.
        range: TimeRange,
    },
    /// Two ranges on one day share time.
    #[error("{at}: {first} and {second} overlap")]
    RangesOverlap {
        /// Where the ranges are.
        at: HoursOwner,
        /// The earlier range.
        first: TimeRange,
        /// The later range.
        second: TimeRange,
    },
    /// A range starts or ends between minutes, which the stored form cannot hold.
    #[error("{at}: {} is not a whole minute", clock_text(*.time))]
    NotWholeMinute {
        /// Where the range is.
        at: HoursOwner,
        /// The time at fault.
        time: Time,
    },
    /// A closure has a blank name, which customers would see.
    #[error("closure {} has no name", .index + 1)]
    UnnamedClosure {
        /// Position of the closure.
        index: usize,
    },
    /// A closure ends before it starts.
    #[error("closure {name:?} ends on {last_day}, before it starts on {first_day}")]
    ClosureEndsBeforeStart {
        /// The closure's name.
        name: String,
        /// Its first day.
        first_day: Date,
        /// Its last day.
        last_day: Date,
    },
    /// Two closures share days.
    #[error("closures {first:?} and {second:?} overlap")]
    ClosuresOverlap {
        /// The earlier closure's name.
        first: String,
        /// The later closure's name.
        second: String,
    },
    /// An extra opening has a blank name.
    #[error("the extra opening on {date} has no name")]
    UnnamedOpening {
        /// The opening's day.
        date: Date,
    },
    /// An extra opening has no hours.
    #[error("the extra opening {name:?} on {date} has no hours")]
    OpeningWithoutHours {
        /// The opening's name.
        name: String,
        /// The opening's day.
        date: Date,
    },
    /// Two extra openings on one day.
    #[error("there are two extra openings on {date}; put their hours into one")]
    OpeningsOnSameDay {
        /// The day.
        date: Date,
    },
    /// An extra opening inside a closure, which would leave customers two answers.
    #[error("the extra opening {opening:?} on {date} falls inside the closure {closure:?}")]
    OpeningDuringClosure {
        /// The opening's name.
        opening: String,
        /// The opening's day.
        date: Date,
        /// The closure's name.
        closure: String,
    },
    /// An added holiday has a blank name.
    #[error("the holiday added on {date} has no name")]
    UnnamedHoliday {
        /// The holiday's day.
        date: Date,
    },
    /// The same day is added as a holiday twice.
    #[error("{date} is added as a holiday twice")]
    HolidayAddedTwice {
        /// The day.
        date: Date,
    },
}

/// The hotline's validated schedule; build it with [`Schedule::new`] (JSON is validated the same way).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ScheduleParts")]
pub struct Schedule {
    periods: Vec<Period>,
    closures: Vec<Closure>,
    openings: Vec<ExtraOpening>,
    holidays: HolidayOverrides,
}

/// A schedule as stored, before validation.
#[derive(Deserialize)]
struct ScheduleParts {
    #[serde(default)]
    periods: Vec<Period>,
    #[serde(default)]
    closures: Vec<Closure>,
    #[serde(default)]
    openings: Vec<ExtraOpening>,
    #[serde(default)]
    holidays: HolidayOverrides,
}

impl TryFrom<ScheduleParts> for Schedule {
    type Error = ScheduleError;

    fn try_from(parts: ScheduleParts) -> Result<Self, Self::Error> {
        Schedule::new(parts.periods, parts.closures, parts.openings, parts.holidays)
    }
}

/// An open stretch as instants in Tokyo time, `start` included, `end` not.
#[derive(Clone, Copy, Debug)]
struct Interval {
    start: OffsetDateTime,
    end: OffsetDateTime,
}

/// `instant` in Tokyo time, or `None` if that falls outside the dates `time` can represent.
fn in_tokyo(instant: OffsetDateTime) -> Option<OffsetDateTime> {
    instant.checked_to_offset(TOKYO)
}

/// The last instant `time` can represent in Tokyo time, where searches stop at the calendar's end.
fn last_instant() -> OffsetDateTime {
    Date::MAX.with_time(Time::MAX).assume_offset(TOKYO)
}

impl Schedule {
    /// Validates and builds a schedule; periods, closures, openings and each day's ranges are kept in date and time order.
    pub fn new(
        mut periods: Vec<Period>,
        mut closures: Vec<Closure>,
        mut openings: Vec<ExtraOpening>,
        holidays: HolidayOverrides,
    ) -> Result<Self, ScheduleError> {
        for (index, period) in periods.iter_mut().enumerate() {
            let from = period.effective_from;
            if let Some(until) = period.effective_until
                && until < from
            {
                return Err(ScheduleError::PeriodEndsBeforeStart { index, from, until });
            }
            for weekday in WEEKDAYS {
                let owner = || HoursOwner::Period { index, from, weekday };
                check_ranges(period.hours.on_mut(weekday), owner)?;
            }
            if WEEKDAYS.iter().all(|weekday| period.hours.on(*weekday).is_empty()) {
                return Err(ScheduleError::PeriodWithoutHours { index, from });
            }
        }
        let mut order: Vec<usize> = (0..periods.len()).collect();
        order.sort_by_key(|index| periods[*index].effective_from);
        for pair in order.windows(2) {
            if let &[first, second] = pair
                && periods[first]
                    .effective_until
                    .is_none_or(|until| until >= periods[second].effective_from)
            {
                return Err(ScheduleError::PeriodsOverlap {
                    first,
                    first_from: periods[first].effective_from,
                    second,
                    second_from: periods[second].effective_from,
                });
            }
        }
        periods.sort_by_key(|period| period.effective_from);

        for (index, closure) in closures.iter().enumerate() {
            if closure.name.trim().is_empty() {
                return Err(ScheduleError::UnnamedClosure { index });
            }
            if closure.last_day < closure.first_day {
                return Err(ScheduleError::ClosureEndsBeforeStart {
                    name: closure.name.clone(),
                    first_day: closure.first_day,
                    last_day: closure.last_day,
                });
            }
        }
        closures.sort_by_key(|closure| closure.first_day);
        for pair in closures.windows(2) {
            if let [first, second] = pair
                && second.first_day <= first.last_day
            {
                return Err(ScheduleError::ClosuresOverlap {
                    first: first.name.clone(),
                    second: second.name.clone(),
                });
            }
        }

        for opening in &mut openings {
            let (name, date) = (opening.name.clone(), opening.date);
            if name.trim().is_empty() {
                return Err(ScheduleError::UnnamedOpening { date });
            }
            if opening.hours.is_empty() {
                return Err(ScheduleError::OpeningWithoutHours { name, date });
            }
            check_ranges(&mut opening.hours, || HoursOwner::Opening {
                name: name.clone(),
                date,
            })?;
            if let Some(closure) = closures.iter().find(|closure| closure.covers(date)) {
                return Err(ScheduleError::OpeningDuringClosure {
                    opening: name,
                    date,
                    closure: closure.name.clone(),
                });
            }
        }
        openings.sort_by_key(|opening| opening.date);
        for pair in openings.windows(2) {
            if let [first, second] = pair
                && first.date == second.date
            {
                return Err(ScheduleError::OpeningsOnSameDay { date: first.date });
            }
        }

        let mut added: Vec<Date> = Vec::with_capacity(holidays.added.len());
        for holiday in &holidays.added {
            if holiday.name.trim().is_empty() {
                return Err(ScheduleError::UnnamedHoliday { date: holiday.date });
            }
            if added.contains(&holiday.date) {
                return Err(ScheduleError::HolidayAddedTwice { date: holiday.date });
            }
            added.push(holiday.date);
        }

        Ok(Self {
            periods,
            closures,
            openings,
            holidays,
        })
    }

    /// The periods, in date order.
    pub fn periods(&self) -> &[Period] {
        &self.periods
    }

    /// The named closures, in date order.
    pub fn closures(&self) -> &[Closure] {
        &self.closures
    }

    /// The extra openings, in date order.
    pub fn openings(&self) -> &[ExtraOpening] {
        &self.openings
    }

    /// The managers' corrections to the national holidays.
    pub fn holiday_overrides(&self) -> &HolidayOverrides {
        &self.holidays
    }

    /// The period in force on `date`, if any.
    pub fn period_on(&self, date: Date) -> Option<&Period> {
        self.periods.iter().find(|period| period.covers(date))
    }

    /// The hours on `date` (a Tokyo date), or why the line is closed all day.
    pub fn day(&self, date: Date) -> DayHours {
        if let Some(opening) = self.openings.iter().find(|opening| opening.date == date) {
            return DayHours::Open(opening.hours.clone());
        }
        if let Some(closure) = self.closures.iter().find(|closure| closure.covers(date)) {
            return DayHours::Closed(ClosedReason::Closure(closure.name.clone()));
        }
        let Some(period) = self.period_on(date) else {
            return DayHours::Closed(ClosedReason::NoPeriod);
        };
        // A holiday is the more useful answer than the weekday when both apply (元日 on a Sunday).
        if period.closed_on_national_holidays
            && let Some(name) = self.holidays.holiday_name(date)
        {
            return DayHours::Closed(ClosedReason::NationalHoliday(name.to_owned()));
        }
        match period.hours.on(date.weekday()) {
            [] => DayHours::Closed(ClosedReason::Weekday(date.weekday())),
            ranges => DayHours::Open(ranges.to_vec()),
        }
    }

    /// Whether the line is open at `instant`.
    pub fn is_open(&self, instant: OffsetDateTime) -> bool {
        in_tokyo(instant).is_some_and(|now| {
            self.open_intervals(now.date())
                .iter()
                .any(|interval| interval.start <= now && now < interval.end)
        })
    }

    /// The first instant at or after `instant` when the line is open (`instant` itself if open), in Tokyo time.
    pub fn next_opening(&self, instant: OffsetDateTime) -> Option<OffsetDateTime> {
        let now = in_tokyo(instant)?;
        self.intervals_from(now.date())
            .find(|interval| interval.end > now)
            .map(|interval| interval.start.max(now))
    }

    /// When the line, open at `instant`, next closes (ranges that meet count as one), in Tokyo time; `None` if closed.
    ///
    /// A line open round the clock reports the first closing within [`SEARCH_DAYS`] days, or the end of that horizon.
    pub fn current_closing(&self, instant: OffsetDateTime) -> Option<OffsetDateTime> {
        let now = in_tokyo(instant)?;
        let horizon = now
            .checked_add(Duration::days(SEARCH_DAYS.into()))
            .unwrap_or_else(last_instant);
        let mut closing: Option<OffsetDateTime> = None;
        for interval in self.intervals_from(now.date()) {
            match closing {
                None if interval.end <= now => {}
                None if interval.start > now => return None,
                None => closing = Some(interval.end),
                Some(end) if interval.start == end && end < horizon => closing = Some(interval.end),
                Some(_) => break,
            }
        }
        closing
    }

    /// Open time between `from` and `to`; zero if `to` is not after `from`.
    pub fn business_time_between(&self, from: OffsetDateTime, to: OffsetDateTime) -> Duration {
        let (Some(from), Some(to)) = (in_tokyo(from), in_tokyo(to)) else {
            return Duration::ZERO;
        };
        if to <= from {
            return Duration::ZERO;
        }
        std::iter::successors(Some(from.date()), |day| day.next_day())
            .take_while(|day| *day <= to.date())
            .flat_map(|day| self.open_intervals(day))
            .map(|interval| (interval.end.min(to) - interval.start.max(from)).max(Duration::ZERO))
            .sum()
    }

    /// The instant, in Tokyo time, by which `duration` of open time has passed after `instant`.
    ///
    /// It lands on a closing time rather than the next opening when the time runs out exactly then.
    /// `None` for a negative duration, or if the line stays closed for [`SEARCH_DAYS`] days before enough time has passed.
    pub fn add_business_time(&self, instant: OffsetDateTime, duration: Duration) -> Option<OffsetDateTime> {
        let now = in_tokyo(instant)?;
        if duration.is_negative() {
            return None;
        }
        if duration.is_zero() {
            return Some(now);
        }
        let mut left = duration;
        for interval in self.intervals_from(now.date()) {
            if interval.end <= now {
                continue;
            }
            let start = interval.start.max(now);
            let available = interval.end - start;
            if left <= available {
                return start.checked_add(left);
            }
            left -= available;
        }
        None
    }

    /// The next period, if it starts within `within_days` days after `date` and shows customers different hours.
    pub fn upcoming_change(&self, date: Date, within_days: u32) -> Option<UpcomingChange<'_>> {
        let next = self.periods.iter().find(|period| period.effective_from > date)?;
        let days_ahead = (next.effective_from - date).whole_days();
        if days_ahead > i64::from(within_days) {
            return None;
        }
        // Across a gap (the year-end closure), compare with the hours customers last had.
        let previous = self.periods.iter().rev().find(|period| period.effective_from <= date);
        match previous {
            Some(previous) if previous.same_rules(next) => None,
            _ => Some(UpcomingChange { previous, next }),
        }
    }

    /// The open stretches of a Tokyo date, in order.
    fn open_intervals(&self, date: Date) -> Vec<Interval> {
        let DayHours::Open(ranges) = self.day(date) else {
            return Vec::new();
        };
        let midnight = date.midnight().assume_offset(TOKYO);
        // On the calendar's last day a range may end past the last representable instant; stop it there.
        ranges
            .iter()
            .filter_map(|range| {
                Some(Interval {
                    start: midnight.checked_add(range.start())?,
                    end: midnight.checked_add(range.end()).unwrap_or_else(last_instant),
                })
            })
            .collect()
    }

    /// Open stretches from `first` on, day by day, until [`SEARCH_DAYS`] closed days in a row.
    fn intervals_from(&self, first: Date) -> impl Iterator<Item = Interval> + '_ {
        let mut closed_days = 0;
        std::iter::successors(Some(first), |day| day.next_day())
            .map(|day| self.open_intervals(day))
            .take_while(move |intervals| {
                closed_days = if intervals.is_empty() { closed_days + 1 } else { 0 };
                closed_days <= SEARCH_DAYS
            })
            .flatten()
    }
}

/// Checks one day's ranges and puts them in order.
fn check_ranges(ranges: &mut [TimeRange], owner: impl Fn() -> HoursOwner) -> Result<(), ScheduleError> {
    for range in ranges.iter() {
        for time in [range.opens, range.closes] {
            if time.second() != 0 || time.nanosecond() != 0 {
                return Err(ScheduleError::NotWholeMinute { at: owner(), time });
            }
        }
        if range.end() <= range.start() {
            return Err(ScheduleError::ClosingNotAfterOpening {
                at: owner(),
                range: *range,
            });
        }
    }
    ranges.sort_by_key(|range| range.start());
    for pair in ranges.windows(2) {
        if let [first, second] = pair
            && second.start() < first.end()
        {
            return Err(ScheduleError::RangesOverlap {
                at: owner(),
                first: *first,
                second: *second,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime, time};

    use super::*;
    use crate::calendar::holidays::AddedHoliday;
    use crate::calendar::test_support::seed_schedule;

    fn range(opens: Time, closes: Time) -> TimeRange {
        TimeRange::new(opens, closes)
    }

    fn weekdays(opens: Time, closes: Time) -> WeeklyHours {
        WeeklyHours::monday_to_friday(&[range(opens, closes)])
    }

    fn period(from: Date, until: Option<Date>, hours: WeeklyHours) -> Period {
        Period {
            effective_from: from,
            effective_until: until,
            hours,
            closed_on_national_holidays: true,
        }
    }

    fn only_periods(periods: Vec<Period>) -> Result<Schedule, ScheduleError> {
        Schedule::new(periods, Vec::new(), Vec::new(), HolidayOverrides::default())
    }

    /// The seed schedule plus a year-end closure, a Saturday opening after the mailing and a company holiday.
    fn busy_schedule() -> Schedule {
        let seed = seed_schedule();
        Schedule::new(
            seed.periods().to_vec(),
            vec![Closure {
                name: "年末年始休業".into(),
                first_day: date!(2017 - 12 - 28),
                last_day: date!(2018 - 01 - 03),
            }],
            vec![ExtraOpening {
                name: "発送後臨時受付".into(),
                date: date!(2018 - 01 - 06),
                hours: vec![range(time!(13:00), time!(17:00)), range(time!(9:00), time!(12:00))],
            }],
            HolidayOverrides {
                switched_off: vec![date!(2018 - 01 - 08)],
                added: vec![AddedHoliday {
                    date: date!(2018 - 01 - 09),
                    name: "創立記念日".into(),
                }],
            },
        )
        .expect("valid")
    }

    #[test]
    fn calls_around_the_seed_opening_and_closing_times() {
        let schedule = seed_schedule();
        let cases = [
            (datetime!(2017-12-22 9:29:59 +9), false),
            (datetime!(2017-12-22 9:30 +9), true),
            (datetime!(2017-12-22 18:29:59 +9), true),
            (datetime!(2017-12-22 18:30 +9), false),
            // The same instants given in UTC.
            (datetime!(2017-12-22 0:29:59 UTC), false),
            (datetime!(2017-12-22 0:30 UTC), true),
            (datetime!(2017-12-22 9:29:59.999 UTC), true),
            (datetime!(2017-12-22 9:30 UTC), false),
            // From January 2nd the hours are 10:00–17:00.
            (datetime!(2018-01-02 9:59:59 +9), false),
            (datetime!(2018-01-02 10:00 +9), true),
            (datetime!(2018-01-02 16:59:59 +9), true),
            (datetime!(2018-01-02 17:00 +9), false),
            // Before the first notice there was no hotline.
            (datetime!(2017-07-11 12:00 +9), false),
            (datetime!(2017-07-12 9:30 +9), true),
        ];
        for (instant, open) in cases {
            assert_eq!(schedule.is_open(instant), open, "{instant}");
        }
    }

    #[test]
    fn a_call_at_1830_on_the_29th_is_out_of_hours() {
        let schedule = seed_schedule();
        assert!(!schedule.is_open(datetime!(2017-12-29 18:30 +9)));
        assert_eq!(
            schedule.current_closing(datetime!(2017-12-29 18:29:59 +9)),
            Some(datetime!(2017-12-29 18:30 +9))
        );
        assert_eq!(schedule.current_closing(datetime!(2017-12-29 18:30 +9)), None);
    }

    #[test]
    fn nothing_opens_between_the_29th_and_january_2nd_at_10() {
        let schedule = seed_schedule();
        let reopening = datetime!(2018-01-02 10:00 +9);
        assert_eq!(schedule.next_opening(datetime!(2017-12-29 18:30 +9)), Some(reopening));
        // Asked in UTC, answered in Tokyo time.
        let answer = schedule.next_opening(datetime!(2017-12-29 9:30 UTC));
        assert_eq!(answer, Some(reopening));
        assert_eq!(answer.map(|instant| instant.offset()), Some(crate::calendar::TOKYO));
        let mut minute = datetime!(2017-12-29 18:30 +9);
        while minute < reopening {
            assert!(!schedule.is_open(minute), "{minute}");
            minute += Duration::MINUTE;
        }
        assert_eq!(
            schedule.business_time_between(datetime!(2017-12-29 18:30 +9), reopening),
            Duration::ZERO
        );
    }

    #[test]
    fn next_opening_while_open_is_now() {
        let schedule = seed_schedule();
        let now = datetime!(2017-12-22 12:00 +9);
        assert_eq!(schedule.next_opening(now), Some(now));
        assert_eq!(
            schedule.next_opening(datetime!(2017-12-22 7:00 +9)),
            Some(datetime!(2017-12-22 9:30 +9))
        );
        // Friday evening: Monday morning.
        assert_eq!(
            schedule.next_opening(datetime!(2017-12-15 18:30 +9)),
            Some(datetime!(2017-12-18 9:30 +9))
        );
    }

    #[test]
    fn each_date_says_why_the_line_is_closed() {
        let schedule = seed_schedule();
        let closed = |reason| DayHours::Closed(reason);
        let cases = [
            (
                date!(2017 - 12 - 22),
                DayHours::Open(vec![range(time!(9:30), time!(18:30))]),
            ),
            (
                date!(2017 - 12 - 23),
                closed(ClosedReason::NationalHoliday("天皇誕生日".into())),
            ),
            (date!(2017 - 12 - 24), closed(ClosedReason::Weekday(Weekday::Sunday))),
            (date!(2017 - 12 - 30), closed(ClosedReason::NoPeriod)),
            (date!(2018 - 01 - 01), closed(ClosedReason::NoPeriod)),
            (
                date!(2018 - 01 - 02),
                DayHours::Open(vec![range(time!(10:00), time!(17:00))]),
            ),
            (date!(2018 - 01 - 06), closed(ClosedReason::Weekday(Weekday::Saturday))),
            (
                date!(2018 - 01 - 08),
                closed(ClosedReason::NationalHoliday("成人の日".into())),
            ),
            (date!(2017 - 07 - 11), closed(ClosedReason::NoPeriod)),
            (
                date!(2017 - 07 - 17),
                closed(ClosedReason::NationalHoliday("海の日".into())),
            ),
        ];
        for (date, expected) in cases {
            assert_eq!(schedule.day(date), expected, "{date}");
        }
    }

    #[test]
    fn holidays_on_sundays_close_the_substitute_day_too() {
        // A schedule across years with many Sunday holidays.
        let schedule = only_periods(vec![period(
            date!(2015 - 01 - 01),
            None,
            weekdays(time!(10:00), time!(17:00)),
        )])
        .expect("valid");
        let cases = [
            (date!(2017 - 01 - 01), "元日"),
            (date!(2017 - 01 - 02), "振替休日"),
            (date!(2019 - 05 - 05), "こどもの日"),
            (date!(2019 - 05 - 06), "振替休日"),
            (date!(2019 - 04 - 30), "国民の休日"),
            (date!(2015 - 09 - 22), "国民の休日"),
            (date!(2020 - 02 - 24), "振替休日"),
        ];
        for (date, name) in cases {
            assert_eq!(
                schedule.day(date),
                DayHours::Closed(ClosedReason::NationalHoliday(name.into())),
                "{date}"
            );
        }
        assert!(!schedule.is_open(datetime!(2017-01-02 12:00 +9)));
        assert_eq!(
            schedule.next_opening(datetime!(2016-12-30 17:00 +9)),
            Some(datetime!(2017-01-03 10:00 +9))
        );
        assert_eq!(
            schedule.next_opening(datetime!(2019-04-26 17:00 +9)),
            Some(datetime!(2019-05-07 10:00 +9))
        );
    }

    #[test]
    fn closures_openings_and_holiday_overrides_change_the_day() {
        let schedule = busy_schedule();
        let cases = [
            (
                date!(2017 - 12 - 27),
                DayHours::Open(vec![range(time!(9:30), time!(18:30))]),
            ),
            (
                date!(2017 - 12 - 28),
                DayHours::Closed(ClosedReason::Closure("年末年始休業".into())),
            ),
            (
                date!(2018 - 01 - 03),
                DayHours::Closed(ClosedReason::Closure("年末年始休業".into())),
            ),
            (
                date!(2018 - 01 - 04),
                DayHours::Open(vec![range(time!(10:00), time!(17:00))]),
            ),
            (
                date!(2018 - 01 - 06),
                DayHours::Open(vec![
                    range(time!(9:00), time!(12:00)),
                    range(time!(13:00), time!(17:00)),
                ]),
            ),
            // 成人の日 switched off, a company holiday added the next day.
            (
                date!(2018 - 01 - 08),
                DayHours::Open(vec![range(time!(10:00), time!(17:00))]),
            ),
            (
                date!(2018 - 01 - 09),
                DayHours::Closed(ClosedReason::NationalHoliday("創立記念日".into())),
            ),
        ];
        for (date, expected) in cases {
            assert_eq!(schedule.day(date), expected, "{date}");
        }
        assert_eq!(
            schedule.next_opening(datetime!(2017-12-27 18:30 +9)),
            Some(datetime!(2018-01-04 10:00 +9))
        );
        assert_eq!(
            schedule.current_closing(datetime!(2018-01-06 11:00 +9)),
            Some(datetime!(2018-01-06 12:00 +9))
        );
        assert!(!schedule.is_open(datetime!(2018-01-06 12:30 +9)));
        assert_eq!(
            schedule.next_opening(datetime!(2018-01-06 12:00 +9)),
            Some(datetime!(2018-01-06 13:00 +9))
        );
    }

    #[test]
    fn a_holiday_is_an_ordinary_day_where_the_period_opens_on_holidays() {
        let hours = weekdays(time!(10:00), time!(17:00));
        let schedule = only_periods(vec![Period {
            closed_on_national_holidays: false,
            ..period(date!(2018 - 01 - 02), None, hours)
        }])
        .expect("valid");
        assert!(schedule.is_open(datetime!(2018-01-08 10:00 +9)));
    }

    #[test]
    fn business_time_counts_only_open_hours() {
        let schedule = seed_schedule();
        let hours = |h: i64| Duration::hours(h);
        let cases = [
            // Within one day.
            (datetime!(2017-12-22 9:00 +9), datetime!(2017-12-22 10:30 +9), hours(1)),
            // Friday afternoon to Monday morning, across the weekend.
            (datetime!(2017-12-15 17:30 +9), datetime!(2017-12-18 10:30 +9), hours(2)),
            // Across 天皇誕生日 (Saturday) and Christmas: Fri 22nd 17:30 → Mon 25th 10:30.
            (datetime!(2017-12-22 17:30 +9), datetime!(2017-12-25 10:30 +9), hours(2)),
            // Across the schedule change: 1h on the 29th, then 10:00–11:00 on January 2nd.
            (datetime!(2017-12-29 17:30 +9), datetime!(2018-01-02 11:00 +9), hours(2)),
            // A whole week of the new hours with 成人の日 in it: four days of 7 hours.
            (datetime!(2018-01-08 0:00 +9), datetime!(2018-01-15 0:00 +9), hours(28)),
            // Backwards is nothing.
            (
                datetime!(2017-12-22 12:00 +9),
                datetime!(2017-12-22 11:00 +9),
                Duration::ZERO,
            ),
        ];
        for (from, to, expected) in cases {
            assert_eq!(schedule.business_time_between(from, to), expected, "{from} → {to}");
        }
    }

    #[test]
    fn adding_business_time_skips_closed_days_and_the_year_end() {
        let schedule = seed_schedule();
        let cases = [
            // 1h left on the 29th, 2018-01-01 is 元日 and the gap, so the second hour is on the 2nd.
            (
                datetime!(2017-12-29 17:30 +9),
                Duration::hours(2),
                datetime!(2018-01-02 11:00 +9),
            ),
            // Ends exactly at closing: lands on closing, not on the next opening.
            (
                datetime!(2017-12-29 17:30 +9),
                Duration::hours(1),
                datetime!(2017-12-29 18:30 +9),
            ),
            // From a closed time the clock starts at the next opening.
            (
                datetime!(2017-12-22 20:00 +9),
                Duration::minutes(30),
                datetime!(2017-12-25 10:00 +9),
            ),
            // 16h from Friday 9:30: 9h Fri, 7h Mon (the 25th) → Mon 16:30.
            (
                datetime!(2017-12-22 9:30 +9),
                Duration::hours(16),
                datetime!(2017-12-25 16:30 +9),
            ),
            // Over 成人の日 2018-01-08: Fri 5th 16:00 + 2h → Tue 9th 11:00.
            (
                datetime!(2018-01-05 16:00 +9),
                Duration::hours(2),
                datetime!(2018-01-09 11:00 +9),
            ),
        ];
        for (from, duration, expected) in cases {
            assert_eq!(
                schedule.add_business_time(from, duration),
                Some(expected),
                "{from} + {duration}"
            );
        }
        let closed = datetime!(2017-12-30 12:00 +9);
        assert_eq!(schedule.add_business_time(closed, Duration::ZERO), Some(closed));
        assert_eq!(schedule.add_business_time(closed, Duration::minutes(-1)), None);
    }

    #[test]
    fn a_schedule_that_ends_never_opens_again() {
        let schedule = only_periods(vec![period(
            date!(2017 - 07 - 12),
            Some(date!(2017 - 12 - 29)),
            weekdays(time!(9:30), time!(18:30)),
        )])
        .expect("valid");
        assert_eq!(schedule.next_opening(datetime!(2017-12-29 18:30 +9)), None);
        assert_eq!(
            schedule.add_business_time(datetime!(2017-12-29 18:00 +9), Duration::HOUR),
            None
        );
        assert!(!Schedule::default().is_open(datetime!(2017-12-22 12:00 +9)));
        assert_eq!(Schedule::default().next_opening(datetime!(2017-12-22 12:00 +9)), None);
    }

    #[test]
    fn ranges_that_meet_count_as_one_opening_even_across_midnight() {
        let hours = WeeklyHours {
            friday: vec![range(time!(9:00), time!(12:00)), range(time!(12:00), time!(0:00))],
            saturday: vec![range(time!(0:00), time!(6:00))],
            ..WeeklyHours::default()
        };
        let schedule = only_periods(vec![period(date!(2018 - 01 - 02), None, hours)]).expect("valid");
        assert!(schedule.is_open(datetime!(2018-01-05 23:59:59 +9)));
        assert!(schedule.is_open(datetime!(2018-01-06 0:00 +9)));
        assert_eq!(
            schedule.current_closing(datetime!(2018-01-05 10:00 +9)),
            Some(datetime!(2018-01-06 6:00 +9))
        );
        assert_eq!(
            schedule.business_time_between(datetime!(2018-01-05 0:00 +9), datetime!(2018-01-07 0:00 +9)),
            Duration::hours(21)
        );
    }

    #[test]
    fn instants_at_the_edge_of_the_calendar_do_not_panic() {
        let schedule = only_periods(vec![period(
            date!(2018 - 01 - 01),
            None,
            WeeklyHours {
                sunday: vec![range(time!(0:00), time!(0:00))],
                ..weekdays(time!(0:00), time!(0:00))
            },
        )])
        .expect("valid");
        let last = datetime!(9999-12-31 23:59:59 -12);
        assert!(!schedule.is_open(last));
        assert_eq!(schedule.next_opening(last), None);
        assert_eq!(schedule.current_closing(last), None);
        assert_eq!(schedule.add_business_time(last, Duration::HOUR), None);
        let late = datetime!(9999-12-31 12:00 +9);
        assert!(schedule.is_open(late));
        assert_eq!(schedule.current_closing(late), Some(last_instant()));
        assert_eq!(schedule.add_business_time(late, Duration::DAY), None);
        assert_eq!(schedule.business_time_between(late, last), Duration::ZERO);
    }

    #[test]
    fn the_change_of_hours_is_announced_within_30_days_only() {
        let schedule = seed_schedule();
        let second = &schedule.periods()[1];
        let first = &schedule.periods()[0];
        let announced = Some(UpcomingChange {
            previous: Some(first),
            next: second,
        });
        assert_eq!(schedule.upcoming_change(date!(2017 - 12 - 03), 30), announced);
        assert_eq!(schedule.upcoming_change(date!(2018 - 01 - 01), 30), announced);
        assert_eq!(schedule.upcoming_change(date!(2017 - 12 - 02), 30), None);
        assert_eq!(schedule.upcoming_change(date!(2018 - 01 - 02), 30), None);
        // Before the hotline existed, its start is a change.
        assert_eq!(
            schedule.upcoming_change(date!(2017 - 07 - 01), 30),
            Some(UpcomingChange {
                previous: None,
                next: first
            })
        );
        // A new period with the same hours is nothing to announce.
        let same = only_periods(vec![
            period(
                date!(2018 - 01 - 02),
                Some(date!(2018 - 03 - 31)),
                weekdays(time!(10:00), time!(17:00)),
            ),
            period(date!(2018 - 04 - 01), None, weekdays(time!(10:00), time!(17:00))),
        ])
        .expect("valid");
        assert_eq!(same.upcoming_change(date!(2018 - 03 - 20), 30), None);
    }

    #[test]
    fn invalid_schedules_are_refused_with_a_message_for_the_manager() {
        let nine_to_five = || weekdays(time!(9:00), time!(17:00));
        let message = |result: Result<Schedule, ScheduleError>| result.err().map(|error| error.to_string());
        let cases = [
            (
                only_periods(vec![
                    period(date!(2018 - 01 - 02), None, nine_to_five()),
                    period(date!(2017 - 07 - 12), Some(date!(2018 - 01 - 02)), nine_to_five()),
                ]),
                "period 2 (from 2017-07-12) overlaps period 1 (from 2018-01-02); end the earlier one before the later starts",
            ),
            (
                only_periods(vec![
                    period(date!(2018 - 01 - 02), None, nine_to_five()),
                    period(date!(2019 - 01 - 01), None, nine_to_five()),
                ]),
                "period 1 (from 2018-01-02) overlaps period 2 (from 2019-01-01); end the earlier one before the later starts",
            ),
            (
                only_periods(vec![period(
                    date!(2018 - 01 - 02),
                    Some(date!(2018 - 01 - 01)),
                    nine_to_five(),
                )]),
                "period 1 ends on 2018-01-01, before it starts on 2018-01-02",
            ),
            (
                only_periods(vec![period(
                    date!(2018 - 01 - 02),
                    None,
                    WeeklyHours {
                        tuesday: vec![range(time!(17:00), time!(10:00))],
                        ..WeeklyHours::default()
                    },
                )]),
                "period 1 (from 2018-01-02) on Tuesdays: closing at 10:00 is not after opening at 17:00",
            ),
            (
                only_periods(vec![period(
                    date!(2018 - 01 - 02),
                    None,
                    WeeklyHours {
                        monday: vec![range(time!(13:00), time!(17:00)), range(time!(9:00), time!(13:30))],
                        ..WeeklyHours::default()
                    },
                )]),
                "period 1 (from 2018-01-02) on Mondays: 9:00–13:30 and 13:00–17:00 overlap",
            ),
            (
                only_periods(vec![period(
                    date!(2018 - 01 - 02),
                    None,
                    weekdays(time!(9:00:30), time!(17:00)),
                )]),
                "period 1 (from 2018-01-02) on Mondays: 9:00:30 is not a whole minute",
            ),
            (
                only_periods(vec![period(date!(2018 - 01 - 02), None, WeeklyHours::default())]),
                "period 1 (from 2018-01-02) has no hours on any day; to close the line, leave a gap between periods instead",
            ),
            (
                Schedule::new(
                    vec![],
                    vec![
                        Closure {
                            name: "年末年始休業".into(),
                            first_day: date!(2017 - 12 - 29),
                            last_day: date!(2018 - 01 - 03),
                        },
                        Closure {
                            name: "仕事始め準備".into(),
                            first_day: date!(2018 - 01 - 03),
                            last_day: date!(2018 - 01 - 04),
                        },
                    ],
                    vec![],
                    HolidayOverrides::default(),
                ),
                "closures \"年末年始休業\" and \"仕事始め準備\" overlap",
            ),
            (
                Schedule::new(
                    vec![],
                    vec![Closure {
                        name: " ".into(),
                        first_day: date!(2017 - 12 - 29),
                        last_day: date!(2018 - 01 - 03),
                    }],
                    vec![],
                    HolidayOverrides::default(),
                ),
                "closure 1 has no name",
            ),
            (
                Schedule::new(
                    vec![],
                    vec![Closure {
                        name: "年末年始休業".into(),
                        first_day: date!(2018 - 01 - 03),
                        last_day: date!(2017 - 12 - 29),
                    }],
                    vec![],
                    HolidayOverrides::default(),
                ),
                "closure \"年末年始休業\" ends on 2017-12-29, before it starts on 2018-01-03",
            ),
            (
                Schedule::new(
                    vec![],
                    vec![Closure {
                        name: "年末年始休業".into(),
                        first_day: date!(2017 - 12 - 29),
                        last_day: date!(2018 - 01 - 03),
                    }],
                    vec![ExtraOpening {
                        name: "臨時受付".into(),
                        date: date!(2017 - 12 - 30),
                        hours: vec![range(time!(10:00), time!(12:00))],
                    }],
                    HolidayOverrides::default(),
                ),
                "the extra opening \"臨時受付\" on 2017-12-30 falls inside the closure \"年末年始休業\"",
            ),
            (
                Schedule::new(
                    vec![],
                    vec![],
                    vec![ExtraOpening {
                        name: "臨時受付".into(),
                        date: date!(2018 - 01 - 06),
                        hours: vec![],
                    }],
                    HolidayOverrides::default(),
                ),
                "the extra opening \"臨時受付\" on 2018-01-06 has no hours",
            ),
            (
                Schedule::new(
                    vec![],
                    vec![],
                    vec![ExtraOpening {
                        name: "臨時受付".into(),
                        date: date!(2018 - 01 - 06),
                        hours: vec![range(time!(12:00), time!(12:00))],
                    }],
                    HolidayOverrides::default(),
                ),
                "the extra opening \"臨時受付\" on 2018-01-06: closing at 12:00 is not after opening at 12:00",
            ),
            (
                Schedule::new(
                    vec![],
                    vec![],
                    vec![
                        ExtraOpening {
                            name: "午前".into(),
                            date: date!(2018 - 01 - 06),
                            hours: vec![range(time!(9:00), time!(12:00))],
                        },
                        ExtraOpening {
                            name: "午後".into(),
                            date: date!(2018 - 01 - 06),
                            hours: vec![range(time!(13:00), time!(17:00))],
                        },
                    ],
                    HolidayOverrides::default(),
                ),
                "there are two extra openings on 2018-01-06; put their hours into one",
            ),
            (
                Schedule::new(
                    vec![],
                    vec![],
                    vec![],
                    HolidayOverrides {
                        switched_off: vec![],
                        added: vec![
                            AddedHoliday {
                                date: date!(2018 - 01 - 09),
                                name: "創立記念日".into(),
                            },
                            AddedHoliday {
                                date: date!(2018 - 01 - 09),
                                name: "創立記念日".into(),
                            },
                        ],
                    },
                ),
                "2018-01-09 is added as a holiday twice",
            ),
            (
                Schedule::new(
                    vec![],
                    vec![],
                    vec![],
                    HolidayOverrides {
                        switched_off: vec![],
                        added: vec![AddedHoliday {
                            date: date!(2018 - 01 - 09),
                            name: String::new(),
                        }],
                    },
                ),
                "the holiday added on 2018-01-09 has no name",
            ),
        ];
        for (result, expected) in cases {
            assert_eq!(message(result).as_deref(), Some(expected));
        }
        // Ranges that only meet are fine, and are kept in order.
        let meeting = only_periods(vec![period(
            date!(2018 - 01 - 02),
            None,
            WeeklyHours {
                monday: vec![range(time!(13:00), time!(17:00)), range(time!(9:00), time!(13:00))],
                ..WeeklyHours::default()
            },
        )])
        .expect("valid");
        assert_eq!(
            meeting.periods()[0].hours.monday,
            [range(time!(9:00), time!(13:00)), range(time!(13:00), time!(17:00))]
        );
    }

    // Property-style checks, minute by minute, over the weeks around the seed's year end and
    // a schedule with closures, a split-hours opening and holiday overrides.
    fn every_minute(from: OffsetDateTime, to: OffsetDateTime) -> impl Iterator<Item = OffsetDateTime> {
        std::iter::successors(Some(from), |minute| Some(*minute + Duration::MINUTE))
            .take_while(move |minute| *minute < to)
    }

    fn checked_schedules() -> [(Schedule, OffsetDateTime, OffsetDateTime); 2] {
        [
            (
                seed_schedule(),
                datetime!(2017-12-18 0:00 +9),
                datetime!(2018-01-16 0:00 +9),
            ),
            (
                busy_schedule(),
                datetime!(2017-12-25 0:00 +9),
                datetime!(2018-01-15 0:00 +9),
            ),
        ]
    }

    #[test]
    fn is_open_agrees_with_the_days_hours_at_every_minute() {
        for (schedule, from, to) in checked_schedules() {
            for minute in every_minute(from, to) {
                let time_of_day = minute.time();
                let expected = match schedule.day(minute.date()) {
                    DayHours::Open(ranges) => ranges.iter().any(|range| {
                        range.opens <= time_of_day && (range.closes == Time::MIDNIGHT || time_of_day < range.closes)
                    }),
                    DayHours::Closed(_) => false,
                };
                assert_eq!(schedule.is_open(minute), expected, "{minute}");
            }
        }
    }

    #[test]
    fn the_next_opening_is_open_and_nothing_before_it_is() {
        for (schedule, from, to) in checked_schedules() {
            // Walking backwards, the next opening of a closed minute is the one of the minute after it.
            let mut later_opening: Option<OffsetDateTime> = None;
            let minutes: Vec<_> = every_minute(from, to).collect();
            for minute in minutes.into_iter().rev() {
                let next = schedule.next_opening(minute).expect("the schedule opens again");
                assert!(next >= minute && schedule.is_open(next), "{minute} → {next}");
                if schedule.is_open(minute) {
                    assert_eq!(next, minute);
                } else if let Some(later) = later_opening {
                    assert_eq!(next, later, "{minute}: something opens in between");
                }
                later_opening = Some(next);
            }
        }
    }

    #[test]
    fn the_current_closing_is_closed_and_everything_before_it_open() {
        for (schedule, from, to) in checked_schedules() {
            for minute in every_minute(from, to).step_by(13) {
                match schedule.current_closing(minute) {
                    None => assert!(!schedule.is_open(minute), "{minute}"),
                    Some(closing) => {
                        assert!(!schedule.is_open(closing) && closing > minute, "{minute} → {closing}");
                        assert!(
                            every_minute(minute, closing).all(|open| schedule.is_open(open)),
                            "{minute} → {closing}"
                        );
                        let open_time = closing - minute;
                        assert_eq!(schedule.business_time_between(minute, closing), open_time, "{minute}");
                    }
                }
            }
        }
    }

    #[test]
    fn adding_the_business_time_between_two_instants_lands_no_later_than_the_second() {
        for (schedule, from, to) in checked_schedules() {
            let instants: Vec<_> = every_minute(from, to).step_by(173).collect();
            for (index, a) in instants.iter().enumerate() {
                for b in instants.iter().skip(index).step_by(5) {
                    let between = schedule.business_time_between(*a, *b);
                    let Some(landed) = schedule.add_business_time(*a, between) else {
                        panic!("{a} + {between} found no time");
                    };
                    assert!(landed <= *b, "{a} + {between} = {landed}, after {b}");
                    assert_eq!(schedule.business_time_between(*a, landed), between, "{a} → {landed}");
                    // Business time is additive over any split point.
                    let middle = *a + (*b - *a) / 2;
                    assert_eq!(
                        schedule.business_time_between(*a, middle) + schedule.business_time_between(middle, *b),
                        between
                    );
                }
            }
        }
    }

    #[test]
    fn business_time_between_equals_the_open_minutes_counted_one_by_one() {
        for (schedule, from, to) in checked_schedules() {
            let open_minutes = every_minute(from, to)
                .filter(|minute| schedule.is_open(*minute))
                .count();
            let open_minutes = i64::try_from(open_minutes).expect("fits");
            assert_eq!(
                schedule.business_time_between(from, to),
                Duration::minutes(open_minutes)
            );
        }
    }

    #[test]
    fn a_schedule_reads_back_from_json_as_it_was_written() {
        for schedule in [seed_schedule(), busy_schedule(), Schedule::default()] {
            let json = serde_json::to_string(&schedule).expect("a schedule serialises");
            let back: Schedule = serde_json::from_str(&json).expect("its JSON reads back");
            assert_eq!(back, schedule, "{json}");
        }
        let json = serde_json::to_value(seed_schedule()).expect("a schedule serialises");
        assert_eq!(json["periods"][0]["effective_from"], "2017-07-12");
        assert_eq!(json["periods"][1]["effective_until"], serde_json::Value::Null);
        assert_eq!(
            json["periods"][0]["hours"]["monday"],
            serde_json::json!([{ "opens": "09:30", "closes": "18:30" }])
        );
    }

    #[test]
    fn json_that_breaks_the_rules_is_refused_like_a_form() {
        let overlapping = r#"{"periods": [
            {"effective_from": "2017-07-12", "effective_until": null, "closed_on_national_holidays": true,
             "hours": {"monday": [{"opens": "09:30", "closes": "18:30"}]}},
            {"effective_from": "2018-01-02", "effective_until": null, "closed_on_national_holidays": true,
             "hours": {"monday": [{"opens": "10:00", "closes": "17:00"}]}}
        ]}"#;
        let error = serde_json::from_str::<Schedule>(overlapping).unwrap_err();
        assert!(error.to_string().contains("overlaps period 2"), "{error}");
        let backwards = r#"{"periods": [{"effective_from": "2017-07-12", "closed_on_national_holidays": true,
            "hours": {"friday": [{"opens": "18:30", "closes": "09:30"}]}}]}"#;
        let error = serde_json::from_str::<Schedule>(backwards).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("closing at 9:30 is not after opening at 18:30"),
            "{error}"
        );
    }
}
