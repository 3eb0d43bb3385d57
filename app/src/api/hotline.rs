//! The hotline schedule: its state now for every staff member, and the Settings form managers edit it with.

use breachdesk::calendar::status::HotlineStatus;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The schedule as the Settings form shows and posts it: every entry as typed, rows without entries ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    pub periods: Vec<PeriodForm>,
    #[serde(default)]
    pub closures: Vec<ClosureForm>,
    #[serde(default)]
    pub openings: Vec<OpeningForm>,
    /// Computed holidays that do not count, one date per line.
    #[serde(default)]
    pub holidays_off: String,
    /// Extra holidays, one `2018-01-09 創立記念日` per line.
    #[serde(default)]
    pub holidays_added: String,
}

/// One period: dates as YYYY-MM-DD, each day's hours as `9:30-18:30` (blank: closed that day).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodForm {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub monday: String,
    #[serde(default)]
    pub tuesday: String,
    #[serde(default)]
    pub wednesday: String,
    #[serde(default)]
    pub thursday: String,
    #[serde(default)]
    pub friday: String,
    #[serde(default)]
    pub saturday: String,
    #[serde(default)]
    pub sunday: String,
    /// A checkbox: present (whatever its value) when the line is closed on national holidays.
    #[serde(default)]
    pub holidays_closed: Option<String>,
}

/// The form fields of the days, Monday first, in the order of `Texts::weekdays`.
pub const DAY_FIELDS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

impl PeriodForm {
    /// The hours typed for the day at `index` (0 = Monday).
    pub fn day(&self, index: usize) -> &str {
        match index {
            0 => &self.monday,
            1 => &self.tuesday,
            2 => &self.wednesday,
            3 => &self.thursday,
            4 => &self.friday,
            5 => &self.saturday,
            _ => &self.sunday,
        }
    }

    /// A row left empty: the form always offers one for a new period.
    pub fn is_blank(&self) -> bool {
        [self.from.as_str(), self.until.as_str()]
            .into_iter()
            .chain((0..7).map(|index| self.day(index)))
            .all(|text| text.trim().is_empty())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub first_day: String,
    #[serde(default)]
    pub last_day: String,
}

impl ClosureForm {
    pub fn is_blank(&self) -> bool {
        [&self.name, &self.first_day, &self.last_day]
            .iter()
            .all(|text| text.trim().is_empty())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub hours: String,
}

impl OpeningForm {
    pub fn is_blank(&self) -> bool {
        [&self.name, &self.date, &self.hours]
            .iter()
            .all(|text| text.trim().is_empty())
    }
}

/// The hotline now, for the line on the home page; texts in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HotlineNow {
    pub status: HotlineStatus,
    /// While open: when the line closes, HH:MM.
    pub closes_at: Option<String>,
    /// While closed: the next opening as YYYY-MM-DD HH:MM (staff pages show ISO dates).
    pub next_opening: Option<String>,
    /// 「受付時間 10:00～17:00（土日祝日除く）」 or its English.
    pub hours_text: Option<String>,
    /// A change of hours within 30 days, e.g. 「平成30年1月2日（火）より 10:00～17:00」.
    pub announcement: Option<String>,
}

/// Every staff role: agents tell callers whether and when the line is open.
#[server(prefix = "/api", endpoint = "hotline/now")]
pub async fn load_hotline_now() -> Result<HotlineNow, AppError> {
    use breachdesk::role::Capability;

    use crate::context::{require, state, with_status};
    require(Capability::ViewIncident)?;
    with_status(async { server::hotline_now(&state()?.pool, time::OffsetDateTime::now_utc()).await }.await)
}

/// Managers and admins: the stored schedule as the form shows it.
#[server(prefix = "/api", endpoint = "hotline/schedule")]
pub async fn load_schedule() -> Result<ScheduleForm, AppError> {
    use breachdesk::role::Capability;

    use crate::context::{require, state, with_status};
    require(Capability::ManageSchedule)?;
    with_status(
        async {
            let schedule = breachdesk::hotline::load(&state()?.pool)
                .await
                .map_err(server::store_error)?;
            Ok(server::to_form(&schedule))
        }
        .await,
    )
}

/// Managers and admins: validates the whole form and replaces the schedule; it applies to the next request.
///
/// Answers the schedule as stored (sorted, hours normalised); the save is in the audit trail.
#[server(prefix = "/api", endpoint = "hotline/schedule/save")]
pub async fn save_schedule(form: ScheduleForm) -> Result<ScheduleForm, AppError> {
    use breachdesk::role::Capability;

    use breachdesk::audit::{AuditAction, record_logged};

    use crate::context::{require, staff_event, state, texts, with_status};
    let session = require(Capability::ManageSchedule)?;
    with_status(
        async {
            let schedule = server::parse(&form, texts())?;
            let pool = state()?.pool;
            breachdesk::hotline::save(&pool, &schedule, Some(session.staff.id)).await?;
            record_logged(&pool, &staff_event(&session, AuditAction::ChangedSchedule)).await;
            Ok(server::to_form(&schedule))
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod server {
    use breachdesk::calendar::TOKYO;
    use breachdesk::calendar::entry::{format_ranges, parse_date, parse_ranges};
    use breachdesk::calendar::holidays::{AddedHoliday, HolidayOverrides};
    use breachdesk::calendar::schedule::{
        Closure, ExtraOpening, HoursOwner, Period, Schedule, ScheduleError, WeeklyHours,
    };
    use breachdesk::calendar::status::HotlineStatus;
    use breachdesk::calendar::text::{change_announcement_en, change_announcement_ja, hours_text_en, hours_text_ja};
    use breachdesk::hotline::HotlineStoreError;
    use breachdesk::incident::IncidentProfile;
    use sqlx::SqlitePool;
    use time::macros::format_description;
    use time::{Date, OffsetDateTime};

    use super::{ClosureForm, DAY_FIELDS, HotlineNow, OpeningForm, PeriodForm, ScheduleForm};
    use crate::context::lang;
    use crate::error::{AppError, FieldError};
    use crate::i18n::{Lang, Texts};

    pub fn store_error(error: HotlineStoreError) -> AppError {
        match error {
            HotlineStoreError::Database(error) => error.into(),
            HotlineStoreError::Invalid(error) => {
                tracing::error!(%error, "the stored hotline schedule is invalid");
                AppError::Internal
            }
        }
    }

    pub async fn hotline_now(pool: &SqlitePool, instant: OffsetDateTime) -> Result<HotlineNow, AppError> {
        let schedule = breachdesk::hotline::load(pool).await.map_err(store_error)?;
        let number = IncidentProfile::load(pool).await?.map(|profile| profile.hotline_number);
        let status = HotlineStatus::at(&schedule, number, instant).map_err(|error| {
            tracing::error!(%error, "the clock is outside the calendar");
            AppError::Internal
        })?;
        // HotlineStatus::at has just read the instant in Tokyo time, so this cannot fail.
        let now = instant.checked_to_offset(TOKYO).ok_or(AppError::Internal)?;
        let clock = format_description!("[hour]:[minute]");
        let day_and_clock = format_description!("[year]-[month]-[day] [hour]:[minute]");
        let closes_at = schedule
            .current_closing(now)
            .and_then(|closing| closing.format(clock).ok());
        let next_opening = if status.open {
            None
        } else {
            schedule
                .next_opening(now)
                .and_then(|opening| opening.format(day_and_clock).ok())
        };
        let (hours_text, announcement) = match lang() {
            Lang::Ja => (
                hours_text_ja(&schedule, now.date()),
                change_announcement_ja(&schedule, now.date()),
            ),
            Lang::En => (
                hours_text_en(&schedule, now.date()),
                change_announcement_en(&schedule, now.date()),
            ),
        };
        Ok(HotlineNow {
            status,
            closes_at,
            next_opening,
            hours_text,
            announcement,
        })
    }

    /// The schedule as the form shows it, with one blank row each for a new period, closure and opening.
    pub fn to_form(schedule: &Schedule) -> ScheduleForm {
        let days = |hours: &WeeklyHours, index: usize| format_ranges(hours.on(weekday(index)));
        let mut periods: Vec<PeriodForm> = schedule
            .periods()
            .iter()
            .map(|period| PeriodForm {
                from: period.effective_from.to_string(),
                until: period
                    .effective_until
                    .map(|until| until.to_string())
                    .unwrap_or_default(),
                monday: days(&period.hours, 0),
                tuesday: days(&period.hours, 1),
                wednesday: days(&period.hours, 2),
                thursday: days(&period.hours, 3),
                friday: days(&period.hours, 4),
                saturday: days(&period.hours, 5),
                sunday: days(&period.hours, 6),
                holidays_closed: period.closed_on_national_holidays.then(|| "on".to_owned()),
            })
            .collect();
        // A new period closes on holidays unless the manager says otherwise, as most hotlines do.
        periods.push(PeriodForm {
            holidays_closed: Some("on".to_owned()),
            ..PeriodForm::default()
        });
        let mut closures: Vec<ClosureForm> = schedule
            .closures()
            .iter()
            .map(|closure| ClosureForm {
                name: closure.name.clone(),
                first_day: closure.first_day.to_string(),
                last_day: closure.last_day.to_string(),
            })
            .collect();
        closures.push(ClosureForm::default());
        let mut openings: Vec<OpeningForm> = schedule
            .openings()
            .iter()
            .map(|opening| OpeningForm {
                name: opening.name.clone(),
                date: opening.date.to_string(),
                hours: format_ranges(&opening.hours),
            })
            .collect();
        openings.push(OpeningForm::default());
        let overrides = schedule.holiday_overrides();
        ScheduleForm {
            periods,
            closures,
            openings,
            holidays_off: overrides
                .switched_off
                .iter()
                .map(Date::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
            holidays_added: overrides
                .added
                .iter()
                .map(|holiday| format!("{} {}", holiday.date, holiday.name))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    fn weekday(index: usize) -> time::Weekday {
        time::Weekday::Monday.nth_next(u8::try_from(index).unwrap_or_default())
    }

    /// The longest closure or opening name.
    const NAME_MAX_CHARS: usize = 100;

    /// Reads every entry, then validates the whole schedule; messages name the row and field as the page numbers them.
    pub fn parse(form: &ScheduleForm, t: &Texts) -> Result<Schedule, AppError> {
        use breachdesk::text::{Lines, check};
        let mut problems = Vec::new();
        let mut problem = |field: String, message: String| problems.push(FieldError { field, message });

        // Blank rows are left out; the rows kept remember their place on the page for the messages.
        let mut periods = Vec::new();
        let mut period_rows = Vec::new();
        for (row, entry) in form.periods.iter().enumerate().filter(|(_, entry)| !entry.is_blank()) {
            let place = (t.schedule_period_place)(row + 1);
            let from = parse_date(&entry.from)
                .map_err(|error| {
                    problem(
                        format!("periods.{row}.from"),
                        (t.schedule_bad_date)(&place, t.schedule_from, &error.0),
                    )
                })
                .ok();
            let until = if entry.until.trim().is_empty() {
                Some(None)
            } else {
                parse_date(&entry.until)
                    .map(Some)
                    .map_err(|error| {
                        problem(
                            format!("periods.{row}.until"),
                            (t.schedule_bad_date)(&place, t.schedule_until, &error.0),
                        )
                    })
                    .ok()
            };
            let mut hours = WeeklyHours::default();
            let mut hours_read = true;
            for (index, field) in DAY_FIELDS.iter().enumerate() {
                match parse_ranges(entry.day(index)) {
                    Ok(ranges) => set_day(&mut hours, index, ranges),
                    Err(error) => {
                        hours_read = false;
                        problem(
                            format!("periods.{row}.{field}"),
                            (t.schedule_bad_hours)(&place, t.weekdays[index], &error.0),
                        );
                    }
                }
            }
            if let (Some(from), Some(until), true) = (from, until, hours_read) {
                periods.push(Period {
                    effective_from: from,
                    effective_until: until,
                    hours,
                    closed_on_national_holidays: entry.holidays_closed.is_some(),
                });
                period_rows.push(row);
            }
        }

        // Closure and opening names reach the public hotline answer: the shared free-text rule and a
        // length a heading can hold.
        let mut name_problem = |field: String, name: &str| {
            let message = if name.chars().count() > NAME_MAX_CHARS {
                Some(t.error_text_too_long)
            } else {
                check(name, Lines::Single).err().map(|_| t.error_hidden_characters)
            };
            if let Some(message) = message {
                problems.push(FieldError {
                    field,
                    message: message.to_owned(),
                });
            }
        };
        for (row, entry) in form.closures.iter().enumerate() {
            name_problem(format!("closures.{row}.name"), entry.name.trim());
        }
        for (row, entry) in form.openings.iter().enumerate() {
            name_problem(format!("openings.{row}.name"), entry.name.trim());
        }
        let mut problem = |field: String, message: String| problems.push(FieldError { field, message });

        let mut closures = Vec::new();
        let mut closure_rows = Vec::new();
        for (row, entry) in form.closures.iter().enumerate().filter(|(_, entry)| !entry.is_blank()) {
            let place = (t.schedule_closure_place)(row + 1);
            let first = parse_date(&entry.first_day)
                .map_err(|error| {
                    problem(
                        format!("closures.{row}.first_day"),
                        (t.schedule_bad_date)(&place, t.schedule_first_day, &error.0),
                    )
                })
                .ok();
            let last = parse_date(&entry.last_day)
                .map_err(|error| {
                    problem(
                        format!("closures.{row}.last_day"),
                        (t.schedule_bad_date)(&place, t.schedule_last_day, &error.0),
                    )
                })
                .ok();
            if let (Some(first_day), Some(last_day)) = (first, last) {
                closures.push(Closure {
                    name: entry.name.trim().to_owned(),
                    first_day,
                    last_day,
                });
                closure_rows.push(row);
            }
        }

        let mut openings = Vec::new();
        for (row, entry) in form.openings.iter().enumerate().filter(|(_, entry)| !entry.is_blank()) {
            let place = (t.schedule_opening_place)(row + 1);
            let date = parse_date(&entry.date)
                .map_err(|error| {
                    problem(
                        format!("openings.{row}.date"),
                        (t.schedule_bad_date)(&place, t.schedule_date, &error.0),
                    )
                })
                .ok();
            let hours = parse_ranges(&entry.hours)
                .map_err(|error| {
                    problem(
                        format!("openings.{row}.hours"),
                        (t.schedule_bad_hours)(&place, t.schedule_hours, &error.0),
                    )
                })
                .ok();
            if let (Some(date), Some(hours)) = (date, hours) {
                openings.push(ExtraOpening {
                    name: entry.name.trim().to_owned(),
                    date,
                    hours,
                });
            }
        }

        let mut holidays = HolidayOverrides::default();
        for line in form.holidays_off.lines().map(str::trim).filter(|line| !line.is_empty()) {
            match parse_date(line) {
                Ok(date) => holidays.switched_off.push(date),
                Err(error) => problem(
                    "holidays_off".to_owned(),
                    (t.schedule_bad_date)(t.schedule_holidays_off, t.schedule_date, &error.0),
                ),
            }
        }
        for line in form
            .holidays_added
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
        {
            let (date, name) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            match parse_date(date) {
                Ok(date) => holidays.added.push(AddedHoliday {
                    date,
                    name: name.trim().to_owned(),
                }),
                Err(error) => problem(
                    "holidays_added".to_owned(),
                    (t.schedule_bad_date)(t.schedule_holidays_added, t.schedule_date, &error.0),
                ),
            }
        }

        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        Schedule::new(periods, closures, openings, holidays).map_err(|error| {
            let error = renumber(error, &period_rows, &closure_rows);
            AppError::Invalid(vec![FieldError {
                field: error_field(&error),
                message: (t.schedule_error)(&error),
            }])
        })
    }

    fn set_day(hours: &mut WeeklyHours, index: usize, ranges: Vec<breachdesk::calendar::schedule::TimeRange>) {
        let day = match index {
            0 => &mut hours.monday,
            1 => &mut hours.tuesday,
            2 => &mut hours.wednesday,
            3 => &mut hours.thursday,
            4 => &mut hours.friday,
            5 => &mut hours.saturday,
            _ => &mut hours.sunday,
        };
        *day = ranges;
    }

    /// The error with positions among the rows kept turned into rows of the page, so its message matches what the manager sees.
    fn renumber(error: ScheduleError, period_rows: &[usize], closure_rows: &[usize]) -> ScheduleError {
        let period = |index: usize| period_rows.get(index).copied().unwrap_or(index);
        let owner = |at: HoursOwner| match at {
            HoursOwner::Period { index, from, weekday } => HoursOwner::Period {
                index: period(index),
                from,
                weekday,
            },
            opening => opening,
        };
        match error {
            ScheduleError::PeriodEndsBeforeStart { index, from, until } => ScheduleError::PeriodEndsBeforeStart {
                index: period(index),
                from,
                until,
            },
            ScheduleError::PeriodsOverlap {
                first,
                first_from,
                second,
                second_from,
            } => ScheduleError::PeriodsOverlap {
                first: period(first),
                first_from,
                second: period(second),
                second_from,
            },
            ScheduleError::PeriodWithoutHours { index, from } => ScheduleError::PeriodWithoutHours {
                index: period(index),
                from,
            },
            ScheduleError::ClosingNotAfterOpening { at, range } => {
                ScheduleError::ClosingNotAfterOpening { at: owner(at), range }
            }
            ScheduleError::RangesOverlap { at, first, second } => ScheduleError::RangesOverlap {
                at: owner(at),
                first,
                second,
            },
            ScheduleError::NotWholeMinute { at, time } => ScheduleError::NotWholeMinute { at: owner(at), time },
            ScheduleError::UnnamedClosure { index } => ScheduleError::UnnamedClosure {
                index: closure_rows.get(index).copied().unwrap_or(index),
            },
            other => other,
        }
    }

    /// The form field a message belongs beside; errors about a whole list go to the list.
    fn error_field(error: &ScheduleError) -> String {
        let owner_field = |at: &HoursOwner| match at {
            HoursOwner::Period { index, weekday, .. } => {
                format!(
                    "periods.{index}.{}",
                    DAY_FIELDS[usize::from(weekday.number_days_from_monday())]
                )
            }
            HoursOwner::Opening { .. } => "openings".to_owned(),
        };
        match error {
            ScheduleError::PeriodEndsBeforeStart { index, .. } => format!("periods.{index}.until"),
            ScheduleError::PeriodsOverlap { second, .. } => format!("periods.{second}.from"),
            ScheduleError::PeriodWithoutHours { index, .. } => format!("periods.{index}.monday"),
            ScheduleError::ClosingNotAfterOpening { at, .. }
            | ScheduleError::RangesOverlap { at, .. }
            | ScheduleError::NotWholeMinute { at, .. } => owner_field(at),
            ScheduleError::UnnamedClosure { index } => format!("closures.{index}.name"),
            ScheduleError::ClosureEndsBeforeStart { .. } | ScheduleError::ClosuresOverlap { .. } => {
                "closures".to_owned()
            }
            ScheduleError::UnnamedOpening { .. }
            | ScheduleError::OpeningWithoutHours { .. }
            | ScheduleError::OpeningsOnSameDay { .. }
            | ScheduleError::OpeningDuringClosure { .. } => "openings".to_owned(),
            ScheduleError::UnnamedHoliday { .. } | ScheduleError::HolidayAddedTwice { .. } => {
                "holidays_added".to_owned()
            }
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::server::{parse, to_form};
    use super::*;
    use crate::error::FieldError;
    use crate::i18n::{EN, JA};

    fn period(from: &str, until: &str, hours: &str) -> PeriodForm {
        PeriodForm {
            from: from.into(),
            until: until.into(),
            monday: hours.into(),
            holidays_closed: Some("on".into()),
            ..PeriodForm::default()
        }
    }

    #[test]
    fn a_stored_schedule_reads_back_from_its_form() {
        let schedule = breachdesk::demo::hotline_schedule().expect("the demo schedule is valid");
        let form = to_form(&schedule);
        assert_eq!(form.periods.len(), 3, "two periods and a blank row");
        assert_eq!(form.periods[0].friday, "9:30-18:30");
        assert_eq!(form.periods[1].until, "");
        assert_eq!(parse(&form, &JA), Ok(schedule));
    }

    #[test]
    fn messages_number_the_rows_as_the_page_shows_them_despite_blank_rows() {
        let form = ScheduleForm {
            periods: vec![
                period("2017-07-12", "", "9:30-18:30"),
                PeriodForm::default(),
                period("2018-01-02", "", "10:00-17:00"),
            ],
            ..ScheduleForm::default()
        };
        let Err(AppError::Invalid(problems)) = parse(&form, &JA) else {
            panic!("overlapping periods pass")
        };
        assert_eq!(
            problems,
            vec![FieldError {
                field: "periods.2.from".into(),
                message: "期間1（2017-07-12から）と期間3（2018-01-02から）が重なっています。前の期間の終了日を、後の期間の開始日より前にしてください。".into(),
            }]
        );
        let Err(AppError::Invalid(problems)) = parse(&form, &EN) else {
            panic!("overlapping periods pass")
        };
        assert_eq!(
            problems[0].message,
            "Period 1 (from 2017-07-12) overlaps period 3 (from 2018-01-02); end the earlier one before the later starts."
        );
    }

    #[test]
    fn entries_that_cannot_be_read_are_all_reported_by_field() {
        let form = ScheduleForm {
            periods: vec![period("2017-13-01", "", "9:30-18:30x")],
            holidays_added: "2018-01-09 創立記念日\nsoon 臨時".into(),
            ..ScheduleForm::default()
        };
        let Err(AppError::Invalid(problems)) = parse(&form, &JA) else {
            panic!("unreadable entries pass")
        };
        let fields: Vec<&str> = problems.iter().map(|problem| problem.field.as_str()).collect();
        assert_eq!(fields, ["periods.0.from", "periods.0.monday", "holidays_added"]);
        assert_eq!(
            problems[1].message,
            "期間1の月曜「9:30-18:30x」は受付時間として読めません（例：9:30-18:30、複数はカンマ区切り）。"
        );
    }
}
