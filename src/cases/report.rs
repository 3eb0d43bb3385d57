//! The APPI regulator report: items pre-filled from the incident profile and live figures,
//! edits saved per item, and the date the breach became known.

use std::collections::HashMap;

use sqlx::SqlitePool;
use time::{Date, OffsetDateTime};

use super::dashboard::{self, Labels};
use crate::case::appi::{AppiReport, ITEM_MAX_CHARS, ItemText, ReportDeadlines, ReportItem, japanese_date};
use crate::case::programme::ProgrammeFigures;
use crate::case::{RefundState, ReissueState};
use crate::incident::IncidentProfile;

/// An item's text as saved: trimmed, at most [`ITEM_MAX_CHARS`] characters, no hidden characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemBody(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ItemError {
    #[error("an item may hold at most {ITEM_MAX_CHARS} characters")]
    TooLong,
    #[error(transparent)]
    Hidden(#[from] crate::text::HiddenCharacter),
}

impl ItemBody {
    pub fn parse(input: &str) -> Result<ItemBody, ItemError> {
        let trimmed = input.trim();
        if trimmed.chars().count() > ITEM_MAX_CHARS {
            return Err(ItemError::TooLong);
        }
        crate::text::check(trimmed, crate::text::Lines::Multi)?;
        Ok(ItemBody(trimmed.to_owned()))
    }
}

/// The date the breach became known and whether it came from unauthorised access.
pub async fn known(pool: &SqlitePool) -> Result<Option<(Date, bool)>, sqlx::Error> {
    let row: Option<(Option<Date>, bool)> =
        sqlx::query_as("SELECT known_on, unauthorised_access FROM incident WHERE id = 1")
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(known_on, unauthorised)| known_on.map(|day| (day, unauthorised))))
}

/// Sets the date the breach became known; does nothing before an incident exists (the caller
/// learns that from the `false`).
pub async fn set_known<'e, E>(executor: E, known_on: Date, unauthorised_access: bool) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    let done = sqlx::query("UPDATE incident SET known_on = ?, unauthorised_access = ? WHERE id = 1")
        .bind(known_on)
        .bind(unauthorised_access)
        .execute(executor)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn save_item(pool: &SqlitePool, item: ReportItem, body: &ItemBody, staff_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO appi_report_items (item, body, updated_at, updated_by) VALUES (?, ?, ?, ?) \
         ON CONFLICT (item) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, \
         updated_by = excluded.updated_by",
    )
    .bind(item.code())
    .bind(&body.0)
    .bind(OffsetDateTime::now_utc())
    .bind(staff_id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Forgets an item's edit, so it is pre-filled again from the live figures.
pub async fn reset_item(pool: &SqlitePool, item: ReportItem) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM appi_report_items WHERE item = ?")
        .bind(item.code())
        .execute(pool)
        .await?;
    Ok(())
}

/// The report as it stands: saved items as saved, the others pre-filled now.
pub async fn load(pool: &SqlitePool) -> Result<AppiReport, sqlx::Error> {
    let profile = IncidentProfile::load(pool).await?;
    let known = known(pool).await?;
    let figures = dashboard::figures(pool, Labels::Japanese).await?;
    let saved: HashMap<String, String> = sqlx::query_as("SELECT item, body FROM appi_report_items")
        .fetch_all(pool)
        .await?
        .into_iter()
        .collect();
    let items = ReportItem::ALL
        .into_iter()
        .map(|item| match saved.get(item.code()) {
            Some(body) => ItemText {
                item,
                body: body.clone(),
                edited: true,
            },
            None => ItemText {
                item,
                body: prefill(item, profile.as_ref(), known.map(|(day, _)| day), &figures),
                edited: false,
            },
        })
        .collect();
    let title = profile.as_ref().map_or_else(
        || "個人データの漏えい等の報告".to_owned(),
        |profile| format!("個人データの漏えい等の報告（{}）", profile.company_name),
    );
    Ok(AppiReport {
        title,
        deadlines: known.map(|(day, unauthorised)| ReportDeadlines::from_known(day, unauthorised)),
        items,
    })
}

fn reissue(figures: &ProgrammeFigures, state: ReissueState) -> u64 {
    figures.reissue.iter().find(|(s, _)| *s == state).map_or(0, |(_, n)| *n)
}

fn refund(figures: &ProgrammeFigures, state: RefundState) -> u64 {
    figures.refund.iter().find(|(s, _)| *s == state).map_or(0, |(_, n)| *n)
}

/// A first draft of an item from what the desk knows; staff edit it before filing.
fn prefill(
    item: ReportItem,
    profile: Option<&IncidentProfile>,
    known_on: Option<Date>,
    figures: &ProgrammeFigures,
) -> String {
    let Some(profile) = profile else {
        return String::new();
    };
    match item {
        ReportItem::Summary => {
            let known = known_on.map_or_else(String::new, |day| format!("{}に判明しました。", japanese_date(day)));
            format!(
                "{}が運営する{}（{}）において、{}から{}までの間にクレジットカード決済を行ったお客様の個人データが、\
                 外部からの不正アクセスにより漏えいしました。{}",
                profile.company_name,
                profile.shop_name,
                profile.shop_url,
                japanese_date(profile.affected_from),
                japanese_date(profile.affected_until),
                known
            )
        }
        ReportItem::LeakedItems => profile.leaked_items.clone(),
        ReportItem::PersonCount => format!(
            "{}名（公表した人数は{}名）",
            figures.affected, profile.announced_customers
        ),
        ReportItem::Cause => profile.cause_summary.clone(),
        ReportItem::SecondaryDamage => format!(
            "カードの不正利用のおそれがあります。不正利用の申告について、調査中{}件、返金手続中{}件、返金済{}件（計{}）、不承認{}件です。",
            refund(figures, RefundState::Investigating),
            refund(figures, RefundState::RefundInProgress),
            refund(figures, RefundState::Refunded),
            figures.refunded_total,
            refund(figures, RefundState::Rejected),
        ),
        ReportItem::ResponseToPersons => format!(
            "対象のお客様{}名のうち、メールで{}名、郵送で{}名に通知しました（未到達{}名、うちメール不達{}名、郵便返戻{}名）。\
             カードの再発行は、依頼受付{}名、カード会社手配中{}名、再発行済{}名です。\
             {}（{}）を設置し、お問い合わせに対応しています。",
            figures.affected,
            figures.notified_by_email,
            figures.notified_by_letter,
            figures.not_reached,
            figures.bounced_outstanding,
            figures.returned_outstanding,
            reissue(figures, ReissueState::Requested),
            reissue(figures, ReissueState::Processing),
            reissue(figures, ReissueState::Reissued),
            profile.hotline_name,
            profile.hotline_number,
        ),
        ReportItem::Publication => format!("「{}」を{}に掲載し、公表しました。", profile.title, profile.shop_url),
        ReportItem::Prevention => profile.measures_taken.clone(),
        ReportItem::Other => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_longer_than_the_limit_is_refused_and_spaces_around_it_are_dropped() {
        assert_eq!(
            ItemBody::parse(&"字".repeat(ITEM_MAX_CHARS + 1)),
            Err(ItemError::TooLong)
        );
        assert!(matches!(ItemBody::parse("本文\u{202E}"), Err(ItemError::Hidden(_))));
        assert_eq!(ItemBody::parse("  本文 \n").map(|body| body.0), Ok("本文".to_owned()));
    }

    #[test]
    fn the_person_count_and_responses_are_drafted_from_the_live_figures() {
        let profile = crate::demo::incident_profile();
        let figures = ProgrammeFigures {
            affected: 6_860,
            notified_by_email: 5_000,
            notified_by_letter: 1_800,
            not_reached: 60,
            reissue: vec![(ReissueState::Reissued, 1_200)],
            ..ProgrammeFigures::default()
        };
        let count = prefill(ReportItem::PersonCount, Some(&profile), None, &figures);
        assert_eq!(count, "6860名（公表した人数は6860名）");
        let response = prefill(ReportItem::ResponseToPersons, Some(&profile), None, &figures);
        assert!(response.contains("メールで5000名、郵送で1800名"));
        assert!(response.contains("再発行済1200名"));
        assert!(response.contains("0120-034-294"));
    }
}
