//! The programme dashboard's figures: a handful of grouped queries, whatever the number of customers.

use std::collections::BTreeMap;

use sqlx::SqlitePool;
use time::Date;

use crate::case::programme::{ProgrammeFigures, Series, cumulate};
use crate::case::{RefundState, ReissueState, Yen};

/// The language of the series labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Labels {
    Japanese,
    English,
}

#[derive(sqlx::FromRow)]
struct ReachRow {
    affected: i64,
    by_email: i64,
    by_letter: i64,
    not_reached: i64,
    bounced: i64,
    returned: i64,
}

#[derive(sqlx::FromRow)]
struct CountRow {
    state: String,
    customers: i64,
}

#[derive(sqlx::FromRow)]
struct MoveRow {
    kind: String,
    from_state: String,
    to_state: String,
    day: Date,
    customers: i64,
}

#[derive(sqlx::FromRow)]
struct DayRow {
    series: String,
    day: Date,
    delta: i64,
}

fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

pub async fn figures(pool: &SqlitePool, labels: Labels) -> Result<ProgrammeFigures, sqlx::Error> {
    // One row per customer with what each channel achieved; a customer without deliveries is unreached.
    let reach: ReachRow = sqlx::query_as(
        "SELECT COUNT(*) AS affected, \
         COALESCE(SUM(email_sent), 0) AS by_email, COALESCE(SUM(letter_sent), 0) AS by_letter, \
         COALESCE(SUM(email_sent = 0 AND letter_sent = 0), 0) AS not_reached, \
         COALESCE(SUM(bounced = 1 AND email_sent = 0 AND letter_sent = 0), 0) AS bounced, \
         COALESCE(SUM(returned = 1 AND email_sent = 0 AND letter_sent = 0), 0) AS returned \
         FROM (SELECT c.id, \
             COALESCE(MAX(d.channel = 'email' AND d.state = 'sent'), 0) AS email_sent, \
             COALESCE(MAX(d.channel = 'letter' AND d.state = 'sent'), 0) AS letter_sent, \
             COALESCE(MAX(d.state = 'bounced'), 0) AS bounced, \
             COALESCE(MAX(d.state = 'returned'), 0) AS returned \
           FROM customers c LEFT JOIN deliveries d ON d.customer_id = c.id GROUP BY c.id)",
    )
    .fetch_one(pool)
    .await?;
    let reissue_rows: Vec<CountRow> = sqlx::query_as(
        "SELECT COALESCE(cc.reissue_state, 'not_started') AS state, COUNT(*) AS customers \
         FROM customers c LEFT JOIN customer_cases cc ON cc.customer_id = c.id GROUP BY 1",
    )
    .fetch_all(pool)
    .await?;
    let refund_rows: Vec<CountRow> = sqlx::query_as(
        "SELECT COALESCE(cc.refund_state, 'awaiting_claim') AS state, COUNT(*) AS customers \
         FROM customers c LEFT JOIN customer_cases cc ON cc.customer_id = c.id GROUP BY 1",
    )
    .fetch_all(pool)
    .await?;
    let (refunded_total, in_progress_total): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN refund_state = 'refunded' THEN refund_amount_yen END), 0), \
         COALESCE(SUM(CASE WHEN refund_state = 'refund_in_progress' THEN refund_amount_yen END), 0) \
         FROM customer_cases",
    )
    .fetch_one(pool)
    .await?;
    // Each event moves one customer out of one state and into another on its effective day.
    let moves: Vec<MoveRow> = sqlx::query_as(
        "SELECT kind, from_state, to_state, effective_on AS day, COUNT(*) AS customers FROM case_events \
         GROUP BY kind, from_state, to_state, effective_on",
    )
    .fetch_all(pool)
    .await?;
    let case_days: Vec<DayRow> = moves
        .into_iter()
        .flat_map(|row| {
            [
                DayRow {
                    series: format!("{}:{}", row.kind, row.to_state),
                    day: row.day,
                    delta: row.customers,
                },
                DayRow {
                    series: format!("{}:{}", row.kind, row.from_state),
                    day: row.day,
                    delta: -row.customers,
                },
            ]
        })
        .collect();
    // First day each customer was reached on each channel, in Tokyo.
    let reach_days: Vec<DayRow> = sqlx::query_as(
        "SELECT channel AS series, day, COUNT(*) AS delta FROM ( \
           SELECT customer_id, channel, date(MIN(sent_at), '+9 hours') AS day FROM deliveries \
           WHERE state = 'sent' AND sent_at IS NOT NULL GROUP BY customer_id, channel) \
         GROUP BY channel, day ORDER BY day",
    )
    .fetch_all(pool)
    .await?;

    let counted = |rows: &[CountRow], code: &str| {
        rows.iter()
            .find(|row| row.state == code)
            .map_or(0, |row| count(row.customers))
    };
    let english = labels == Labels::English;
    let reissue_label = |state: ReissueState| if english { state.label_en() } else { state.label_ja() };
    let refund_label = |state: RefundState| if english { state.label_en() } else { state.label_ja() };
    let (email_label, letter_label) = if english {
        ("Email", "Letter")
    } else {
        ("メール", "郵送")
    };
    Ok(ProgrammeFigures {
        affected: count(reach.affected),
        notified_by_email: count(reach.by_email),
        notified_by_letter: count(reach.by_letter),
        not_reached: count(reach.not_reached),
        bounced_outstanding: count(reach.bounced),
        returned_outstanding: count(reach.returned),
        reissue: ReissueState::ALL
            .into_iter()
            .map(|state| (state, counted(&reissue_rows, state.code())))
            .collect(),
        refund: RefundState::ALL
            .into_iter()
            .map(|state| (state, counted(&refund_rows, state.code())))
            .collect(),
        refunded_total: Yen::new(refunded_total).unwrap_or_default(),
        refund_in_progress_total: Yen::new(in_progress_total).unwrap_or_default(),
        notification_progress: vec![
            series(&reach_days, "email", email_label),
            series(&reach_days, "letter", letter_label),
        ],
        reissue_progress: [
            ReissueState::Requested,
            ReissueState::Processing,
            ReissueState::Reissued,
        ]
        .into_iter()
        .map(|state| series(&case_days, &format!("reissue:{}", state.code()), reissue_label(state)))
        .collect(),
        refund_progress: [
            RefundState::Investigating,
            RefundState::RefundInProgress,
            RefundState::Refunded,
        ]
        .into_iter()
        .map(|state| series(&case_days, &format!("refund:{}", state.code()), refund_label(state)))
        .collect(),
    })
}

/// The running total of one series from the per-day rows, in date order.
fn series(rows: &[DayRow], name: &str, label: &str) -> Series {
    let mut by_day: BTreeMap<Date, i64> = BTreeMap::new();
    for row in rows.iter().filter(|row| row.series == name) {
        *by_day.entry(row.day).or_default() += row.delta;
    }
    Series {
        label: label.to_owned(),
        points: cumulate(by_day),
    }
}
