//! One customer's timeline, newest first: the import, letters and emails with their states, calls,
//! callbacks, identity checks, escalations, case changes, contact corrections and resend requests.
//! One query per kind (each on its customer index), merged here: a fixed number of queries per page.

use sqlx::SqlitePool;

use crate::call::{TimelineEntry, TimelineKind};

/// Most entries shown: a long-running customer's page stays fast.
pub const TIMELINE_LIMIT: usize = 200;

type Row = (String, Option<String>, String, String);

/// Each source as (kind, query): at, who, code, text; `?` is the customer id.
const SOURCES: [(TimelineKind, &str); 10] = [
    (
        TimelineKind::Imported,
        "SELECT i.created_at, s.display_name, 'imported', i.file_name FROM customers c \
         JOIN imports i ON i.id = c.import_id LEFT JOIN staff s ON s.id = i.staff_id WHERE c.id = ?1",
    ),
    (
        TimelineKind::Letter,
        "SELECT updated_at, NULL, state, COALESCE(returned_reason, '') FROM deliveries \
         WHERE customer_id = ?1 AND channel = 'letter' ORDER BY id DESC LIMIT 200",
    ),
    (
        TimelineKind::Email,
        "SELECT updated_at, NULL, state, '' FROM deliveries \
         WHERE customer_id = ?1 AND channel = 'email' ORDER BY id DESC LIMIT 200",
    ),
    (
        TimelineKind::Call,
        "SELECT k.received_at, s.display_name, k.outcome, k.notes FROM calls k JOIN staff s ON s.id = k.staff_id \
         WHERE k.customer_id = ?1 ORDER BY k.id DESC LIMIT 200",
    ),
    (
        TimelineKind::Callback,
        // Who asked for it: the agent of the call (none for a request from the status page).
        "SELECT b.created_at, s.display_name, b.state, b.due_at FROM callbacks b \
         LEFT JOIN calls k ON k.id = b.requested_by_call_id LEFT JOIN staff s ON s.id = k.staff_id \
         WHERE b.customer_id = ?1 ORDER BY b.id DESC LIMIT 200",
    ),
    (
        TimelineKind::IdentityCheck,
        "SELECT i.created_at, s.display_name, CASE i.passed WHEN 1 THEN 'passed' ELSE 'failed' END, i.confirmed \
         FROM identity_checks i JOIN staff s ON s.id = i.staff_id WHERE i.customer_id = ?1 ORDER BY i.id DESC LIMIT 200",
    ),
    (
        TimelineKind::Escalation,
        "SELECT e.created_at, s.display_name, e.state, e.reason FROM escalations e JOIN calls k ON k.id = e.call_id \
         JOIN staff s ON s.id = k.staff_id WHERE e.customer_id = ?1 ORDER BY e.id DESC LIMIT 200",
    ),
    (
        TimelineKind::CaseEvent,
        "SELECT e.created_at, s.display_name, e.kind || ':' || e.to_state, e.note FROM case_events e \
         LEFT JOIN staff s ON s.id = e.staff_id WHERE e.customer_id = ?1 ORDER BY e.id DESC LIMIT 200",
    ),
    (
        TimelineKind::ContactChange,
        "SELECT x.created_at, s.display_name, x.field, x.new_value FROM contact_changes x \
         JOIN staff s ON s.id = x.staff_id WHERE x.customer_id = ?1 ORDER BY x.id DESC LIMIT 200",
    ),
    (
        TimelineKind::ResendRequest,
        "SELECT r.created_at, s.display_name, r.channel, '' FROM resend_requests r \
         JOIN staff s ON s.id = r.staff_id WHERE r.customer_id = ?1 ORDER BY r.id DESC LIMIT 200",
    ),
];

pub async fn timeline(pool: &SqlitePool, customer_id: i64) -> Result<Vec<TimelineEntry>, sqlx::Error> {
    let mut entries = Vec::new();
    for (kind, query) in SOURCES {
        let rows: Vec<Row> = sqlx::query_as(query).bind(customer_id).fetch_all(pool).await?;
        entries.extend(rows.into_iter().map(|(at, who, code, text)| TimelineEntry {
            at: normalise(&at),
            kind,
            who,
            code,
            text,
        }));
    }
    // Times come from several writers (sqlx's own format, RFC 3339): compare them as instants.
    entries.sort_by_key(|entry| std::cmp::Reverse(instant(&entry.at)));
    entries.truncate(TIMELINE_LIMIT);
    Ok(entries)
}

fn instant(at: &str) -> i128 {
    time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
        .map(|at| at.unix_timestamp_nanos())
        .unwrap_or_default()
}

/// sqlx writes `2017-12-22 10:00:00.123 +00:00:00` for a bound `OffsetDateTime`; pages read RFC 3339.
fn normalise(at: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    if time::OffsetDateTime::parse(at, &Rfc3339).is_ok() {
        return at.to_owned();
    }
    let sqlx_format = time::macros::format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second][optional [.[subsecond]]] [offset_hour sign:mandatory]:[offset_minute]:[offset_second]"
    );
    time::OffsetDateTime::parse(at, sqlx_format)
        .ok()
        .and_then(|at| at.format(&Rfc3339).ok())
        .unwrap_or_else(|| at.to_owned())
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn times_in_sqlx_format_are_read_as_rfc_3339() {
        assert_eq!(normalise("2017-12-22 10:00:00.5 +00:00:00"), "2017-12-22T10:00:00.5Z");
        assert_eq!(normalise("2017-12-22T10:00:00Z"), "2017-12-22T10:00:00Z");
    }
}
