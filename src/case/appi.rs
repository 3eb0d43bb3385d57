//! The regulator report under Japan's personal-information law (APPI): its nine items and its deadlines.
//!
//! 個人情報保護委員会 asks for a preliminary report (速報) "promptly", which its guidelines read
//! as within 3–5 days of learning of the breach, and a final report (確報) within 30 days, or
//! 60 days when the breach came from unauthorised access (不正の目的をもって行われたおそれがある事態).

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// One of the nine items the commission's form asks for, in its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportItem {
    Summary,
    LeakedItems,
    PersonCount,
    Cause,
    SecondaryDamage,
    ResponseToPersons,
    Publication,
    Prevention,
    Other,
}

impl ReportItem {
    pub const ALL: [ReportItem; 9] = [
        ReportItem::Summary,
        ReportItem::LeakedItems,
        ReportItem::PersonCount,
        ReportItem::Cause,
        ReportItem::SecondaryDamage,
        ReportItem::ResponseToPersons,
        ReportItem::Publication,
        ReportItem::Prevention,
        ReportItem::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReportItem::Summary => "summary",
            ReportItem::LeakedItems => "leaked_items",
            ReportItem::PersonCount => "person_count",
            ReportItem::Cause => "cause",
            ReportItem::SecondaryDamage => "secondary_damage",
            ReportItem::ResponseToPersons => "response_to_persons",
            ReportItem::Publication => "publication",
            ReportItem::Prevention => "prevention",
            ReportItem::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<ReportItem> {
        Self::ALL.into_iter().find(|item| item.code() == code)
    }

    /// The heading exactly as the commission's form words it.
    pub fn label_ja(self) -> &'static str {
        match self {
            ReportItem::Summary => "概要",
            ReportItem::LeakedItems => "漏えいした個人データの項目",
            ReportItem::PersonCount => "本人の数",
            ReportItem::Cause => "原因",
            ReportItem::SecondaryDamage => "二次被害又はそのおそれの有無及びその内容",
            ReportItem::ResponseToPersons => "本人への対応の実施状況",
            ReportItem::Publication => "公表の実施状況",
            ReportItem::Prevention => "再発防止のための措置",
            ReportItem::Other => "その他参考となる事項",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ReportItem::Summary => "Summary",
            ReportItem::LeakedItems => "Personal data leaked",
            ReportItem::PersonCount => "Number of persons",
            ReportItem::Cause => "Cause",
            ReportItem::SecondaryDamage => "Secondary damage or its risk",
            ReportItem::ResponseToPersons => "Response to the persons",
            ReportItem::Publication => "Public announcement",
            ReportItem::Prevention => "Measures against recurrence",
            ReportItem::Other => "Other relevant matters",
        }
    }
}

/// When the two reports are due, counted from the day the breach became known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDeadlines {
    pub known_on: Date,
    /// 速報: the guidelines' "promptly" is 3 to 5 days.
    pub preliminary_from: Date,
    pub preliminary_by: Date,
    /// 確報
    pub final_by: Date,
    pub unauthorised_access: bool,
}

impl ReportDeadlines {
    pub fn from_known(known_on: Date, unauthorised_access: bool) -> ReportDeadlines {
        let final_days = if unauthorised_access { 60 } else { 30 };
        ReportDeadlines {
            known_on,
            preliminary_from: known_on + Duration::days(3),
            preliminary_by: known_on + Duration::days(5),
            final_by: known_on + Duration::days(final_days),
            unauthorised_access,
        }
    }
}

/// The longest item text accepted: the commission's form fields are free text, but a page of
/// characters per item is already more than it wants.
pub const ITEM_MAX_CHARS: usize = 4_000;

/// One item as the Reports page shows and edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemText {
    pub item: ReportItem,
    pub body: String,
    /// Saved by someone; otherwise pre-filled from the incident profile and live figures.
    pub edited: bool,
}

/// The report as the page shows it: the deadlines (once the known date is set) and the nine items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppiReport {
    pub title: String,
    pub deadlines: Option<ReportDeadlines>,
    pub items: Vec<ItemText>,
}

impl AppiReport {
    /// Plain text for pasting into the commission's web form: numbered headings, each item below.
    pub fn as_text(&self) -> String {
        let mut text = format!("{}\n\n", self.title);
        for (number, item) in self.items.iter().enumerate() {
            text.push_str(&format!(
                "{}. {}\n{}\n\n",
                number + 1,
                item.item.label_ja(),
                item.body.trim()
            ));
        }
        text
    }

    /// The numbered headings and bodies, as the PDF prints them.
    pub fn sections(&self) -> Vec<(String, String)> {
        self.items
            .iter()
            .enumerate()
            .map(|(number, item)| {
                (
                    format!("{}. {}", number + 1, item.item.label_ja()),
                    item.body.trim().to_owned(),
                )
            })
            .collect()
    }
}

/// `2017年5月25日`: the date style of the commission's form.
pub fn japanese_date(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), u8::from(date.month()), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_breach_by_unauthorised_access_gives_sixty_days_for_the_final_report() {
        let deadlines = ReportDeadlines::from_known(date!(2017 - 05 - 25), true);
        assert_eq!(deadlines.preliminary_from, date!(2017 - 05 - 28));
        assert_eq!(deadlines.preliminary_by, date!(2017 - 05 - 30));
        assert_eq!(deadlines.final_by, date!(2017 - 07 - 24));
    }

    #[test]
    fn any_other_breach_gives_thirty_days_for_the_final_report() {
        let deadlines = ReportDeadlines::from_known(date!(2017 - 12 - 20), false);
        assert_eq!(deadlines.preliminary_by, date!(2017 - 12 - 25));
        assert_eq!(deadlines.final_by, date!(2018 - 01 - 19));
    }

    #[test]
    fn the_text_export_numbers_the_nine_headings_in_the_commissions_order() {
        let report = AppiReport {
            title: "報告".into(),
            deadlines: None,
            items: ReportItem::ALL
                .into_iter()
                .map(|item| ItemText {
                    item,
                    body: format!("{} の内容", item.code()),
                    edited: false,
                })
                .collect(),
        };
        let text = report.as_text();
        assert!(text.starts_with("報告\n\n1. 概要\nsummary の内容"));
        assert!(text.contains("9. その他参考となる事項\nother の内容"));
        assert_eq!(japanese_date(date!(2017 - 05 - 25)), "2017年5月25日");
    }

    #[test]
    fn there_are_nine_items_each_with_its_own_code() {
        for item in ReportItem::ALL {
            assert_eq!(ReportItem::from_code(item.code()), Some(item));
        }
    }
}
