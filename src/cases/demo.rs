//! Demo case histories: a fixed, made-up spread of reissue and refund progress over late 2017,
//! so the demo's dashboard, charts and customer pages show a programme under way.

use anyhow::Context;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use time::{Date, Duration, OffsetDateTime, Time};

use crate::case::{CaseSnapshot, CaseState, RefundState, ReissueState};

/// Fixed, so every demo database tells the same story.
const SEED: u64 = 2017_0712;
/// 12 columns per event; 500 rows stay well under SQLite's bound-parameter limit.
const BATCH: usize = 500;

/// SplitMix64: tiny, deterministic and good enough to scatter made-up dates.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..100
    fn percent(&mut self) -> u64 {
        self.next() % 100
    }

    fn days(&mut self, from: i64, to: i64) -> Duration {
        let span = u64::try_from(to - from + 1).unwrap_or(1);
        Duration::days(from + i64::try_from(self.next() % span).unwrap_or(0))
    }
}

struct DemoEvent {
    customer_id: i64,
    from: CaseState,
    to: CaseState,
    amount: Option<i64>,
    day: Date,
    note: &'static str,
}

/// The demo never dates an event after the final report (2017-12-22).
const LAST_DAY: Date = time::macros::date!(2017 - 12 - 22);
/// The first notice went out on 2017-07-12; card companies started the same week.
const FIRST_DAY: Date = time::macros::date!(2017 - 07 - 12);

fn path(customer_id: i64, dice: &mut Dice, events: &mut Vec<DemoEvent>) {
    use ReissueState as R;
    let mut push = |from, to, amount, day: Date, note| {
        events.push(DemoEvent {
            customer_id,
            from,
            to,
            amount,
            day: day.min(LAST_DAY),
            note,
        })
    };
    let reissue = |state| CaseState::Reissue(state);
    let roll = dice.percent();
    let requested = FIRST_DAY + dice.days(0, 30);
    let processing = requested + dice.days(2, 10);
    let finished = processing + dice.days(5, 21);
    match roll {
        0..=54 => {
            push(reissue(R::NotStarted), reissue(R::Requested), None, requested, "");
            push(reissue(R::Requested), reissue(R::Processing), None, processing, "");
            push(reissue(R::Processing), reissue(R::Reissued), None, finished, "");
        }
        55..=64 => {
            push(
                reissue(R::NotStarted),
                reissue(R::Requested),
                None,
                requested + Duration::days(60),
                "",
            );
            push(
                reissue(R::Requested),
                reissue(R::Processing),
                None,
                processing + Duration::days(60),
                "",
            );
        }
        65..=72 => push(
            reissue(R::NotStarted),
            reissue(R::Requested),
            None,
            requested + Duration::days(90),
            "",
        ),
        73..=84 => push(
            reissue(R::NotStarted),
            reissue(R::NotNeeded),
            None,
            requested,
            "お客様ご自身でカードを切り替え済み",
        ),
        85..=86 => {
            push(reissue(R::NotStarted), reissue(R::Requested), None, requested, "");
            push(
                reissue(R::Requested),
                reissue(R::Unknown),
                None,
                processing,
                "カード会社で該当なし",
            );
        }
        _ => {}
    }

    use RefundState as F;
    let refund = |state| CaseState::Refund(state);
    let claimed = FIRST_DAY + dice.days(3, 110);
    let decided = claimed + dice.days(7, 25);
    let paid = decided + dice.days(10, 30);
    // 1,000–150,000 yen in steps of 10: fraudulent online purchases.
    let amount = i64::try_from(100 + dice.next() % 14_901).unwrap_or(100) * 10;
    match dice.percent() {
        0..=3 => push(
            refund(F::AwaitingClaim),
            refund(F::NotApplicable),
            None,
            claimed,
            "カード会社の調査で不正利用なし",
        ),
        4..=8 => {
            push(refund(F::AwaitingClaim), refund(F::Investigating), None, claimed, "");
            push(
                refund(F::Investigating),
                refund(F::RefundInProgress),
                Some(amount),
                decided,
                "",
            );
            push(refund(F::RefundInProgress), refund(F::Refunded), Some(amount), paid, "");
        }
        9..=10 => {
            push(refund(F::AwaitingClaim), refund(F::Investigating), None, claimed, "");
            push(
                refund(F::Investigating),
                refund(F::RefundInProgress),
                Some(amount),
                decided,
                "",
            );
        }
        11..=12 => push(refund(F::AwaitingClaim), refund(F::Investigating), None, claimed, ""),
        13..=14 => {
            push(refund(F::AwaitingClaim), refund(F::Investigating), None, claimed, "");
            push(
                refund(F::Investigating),
                refund(F::Rejected),
                None,
                decided,
                "ご本人のご利用と確認されたため",
            );
        }
        _ => {}
    }
}

/// Adds the demo histories to the demo customers (inside the demo load's transaction).
pub async fn seed(conn: &mut SqliteConnection) -> anyhow::Result<()> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM customers ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .context("cannot read the demo customers")?;
    let mut dice = Dice(SEED);
    let mut events = Vec::new();
    for id in &ids {
        path(*id, &mut dice, &mut events);
    }
    // Recorded at 10:00 Tokyo on the day it happened, as if entered that morning.
    let at = |day: Date| {
        day.with_time(Time::from_hms(1, 0, 0).unwrap_or(Time::MIDNIGHT))
            .assume_utc()
    };
    for chunk in events.chunks(BATCH) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO case_events (customer_id, kind, from_state, to_state, amount_yen, effective_on, note, \
             correction, staff_id, bulk_update_id, created_at) ",
        );
        insert.push_values(chunk, |mut row, event| {
            row.push_bind(event.customer_id)
                .push_bind(event.to.kind().code())
                .push_bind(event.from.code())
                .push_bind(event.to.code())
                .push_bind(event.amount)
                .push_bind(event.day)
                .push_bind(event.note)
                .push_bind(false)
                .push_bind(None::<i64>)
                .push_bind(None::<i64>)
                .push_bind(at(event.day));
        });
        insert
            .build()
            .execute(&mut *conn)
            .await
            .context("cannot add demo case events")?;
    }
    // The current state is the last event per track, as `cases::apply` would have kept it.
    let mut states: std::collections::BTreeMap<i64, CaseSnapshot> = std::collections::BTreeMap::new();
    for event in &events {
        let state = states.entry(event.customer_id).or_default();
        match event.to {
            CaseState::Reissue(to) => state.reissue = to,
            CaseState::Refund(to) => {
                state.refund = to;
                state.refund_amount = event.amount.and_then(|amount| crate::case::Yen::new(amount).ok());
                state.refunded_on = (to == RefundState::Refunded).then_some(event.day);
            }
        }
    }
    let now = OffsetDateTime::now_utc();
    let states: Vec<(i64, CaseSnapshot)> = states.into_iter().collect();
    for chunk in states.chunks(BATCH) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO customer_cases (customer_id, reissue_state, refund_state, refund_amount_yen, refunded_on, \
             updated_at) ",
        );
        insert.push_values(chunk, |mut row, (customer_id, state)| {
            row.push_bind(*customer_id)
                .push_bind(state.reissue.code())
                .push_bind(state.refund.code())
                .push_bind(state.refund_amount.map(crate::case::Yen::get))
                .push_bind(state.refunded_on)
                .push_bind(now);
        });
        insert
            .build()
            .execute(&mut *conn)
            .await
            .context("cannot add demo case states")?;
    }
    Ok(())
}
