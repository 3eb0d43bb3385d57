//! The desk's report figures: calls per day and per hour of day (in and out of hours), by category
//! and by outcome, and the average talk time, from one pass over the calls of a date range.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::Outcome;
use crate::calendar::TOKYO;

/// One call as the report reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallFact {
    pub received_at: OffsetDateTime,
    pub in_hours: bool,
    /// The top-level category's labels.
    pub category: (String, String),
    pub outcome: Outcome,
    pub talk_minutes: u16,
}

/// Calls in hours and out of hours for one bucket (a day, an hour of day).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    pub in_hours: u64,
    pub out_of_hours: u64,
}

impl Split {
    pub fn total(self) -> u64 {
        self.in_hours + self.out_of_hours
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CallReport {
    pub total: Split,
    /// Every day from the first to the last call, in order, days without calls included.
    pub per_day: Vec<(Date, Split)>,
    /// Hours 0–23, Tokyo time.
    pub per_hour: Vec<Split>,
    /// (Japanese, English, count), most calls first.
    pub per_category: Vec<(String, String, u64)>,
    pub per_outcome: Vec<(Outcome, u64)>,
    /// Tenths of a minute, `None` without calls.
    pub average_talk_tenths: Option<u64>,
}

pub fn aggregate(facts: &[CallFact]) -> CallReport {
    let mut report = CallReport {
        per_hour: vec![Split::default(); 24],
        per_outcome: Outcome::ALL.into_iter().map(|outcome| (outcome, 0)).collect(),
        ..CallReport::default()
    };
    let mut days: std::collections::BTreeMap<Date, Split> = std::collections::BTreeMap::new();
    let mut talk: u64 = 0;
    for fact in facts {
        let local = fact.received_at.to_offset(TOKYO);
        let count = |split: &mut Split| {
            if fact.in_hours {
                split.in_hours += 1;
            } else {
                split.out_of_hours += 1;
            }
        };
        count(&mut report.total);
        count(days.entry(local.date()).or_default());
        count(&mut report.per_hour[usize::from(local.hour())]);
        match report.per_category.iter_mut().find(|(ja, _, _)| *ja == fact.category.0) {
            Some(entry) => entry.2 += 1,
            None => report
                .per_category
                .push((fact.category.0.clone(), fact.category.1.clone(), 1)),
        }
        if let Some(entry) = report
            .per_outcome
            .iter_mut()
            .find(|(outcome, _)| *outcome == fact.outcome)
        {
            entry.1 += 1;
        }
        talk += u64::from(fact.talk_minutes);
    }
    report
        .per_category
        .sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    if let (Some(first), Some(last)) = (days.keys().next().copied(), days.keys().next_back().copied()) {
        report.per_day = std::iter::successors(Some(first), |day| day.next_day())
            .take_while(|day| *day <= last)
            .map(|day| (day, days.get(&day).copied().unwrap_or_default()))
            .collect();
    }
    let calls = report.total.total();
    report.average_talk_tenths = (calls > 0).then(|| (talk * 10 + calls / 2) / calls);
    report
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    fn fact(at: OffsetDateTime, in_hours: bool, category: &str, outcome: Outcome, minutes: u16) -> CallFact {
        CallFact {
            received_at: at,
            in_hours,
            category: (category.to_owned(), category.to_owned()),
            outcome,
            talk_minutes: minutes,
        }
    }

    #[test]
    fn calls_are_counted_per_tokyo_day_and_hour_split_by_opening_hours() {
        let report = aggregate(&[
            // 23:30 UTC on the 26th is 08:30 on the 27th in Tokyo.
            fact(datetime!(2017-12-26 23:30 UTC), false, "苦情", Outcome::Resolved, 3),
            fact(
                datetime!(2017-12-27 10:00 +9),
                true,
                "再発行の依頼",
                Outcome::CallbackNeeded,
                5,
            ),
            fact(
                datetime!(2017-12-29 10:15 +9),
                true,
                "再発行の依頼",
                Outcome::Escalated,
                4,
            ),
        ]);
        assert_eq!(
            report.total,
            Split {
                in_hours: 2,
                out_of_hours: 1
            }
        );
        assert_eq!(
            report.per_day,
            vec![
                (
                    date!(2017 - 12 - 27),
                    Split {
                        in_hours: 1,
                        out_of_hours: 1
                    }
                ),
                (date!(2017 - 12 - 28), Split::default()),
                (
                    date!(2017 - 12 - 29),
                    Split {
                        in_hours: 1,
                        out_of_hours: 0
                    }
                ),
            ]
        );
        assert_eq!(
            report.per_hour[8],
            Split {
                in_hours: 0,
                out_of_hours: 1
            }
        );
        assert_eq!(
            report.per_hour[10],
            Split {
                in_hours: 2,
                out_of_hours: 0
            }
        );
        assert_eq!(
            report.per_category[0],
            ("再発行の依頼".into(), "再発行の依頼".into(), 2)
        );
        assert_eq!(report.per_outcome[0], (Outcome::Resolved, 1));
        assert_eq!(report.average_talk_tenths, Some(40));
    }

    #[test]
    fn no_calls_make_an_empty_report() {
        let report = aggregate(&[]);
        assert_eq!(report.total.total(), 0);
        assert!(report.per_day.is_empty());
        assert_eq!(report.average_talk_tenths, None);
    }
}
