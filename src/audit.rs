//! The audit trail: who did what, to which customer or object, from where, and how it ended.
//!
//! The table is append-only (SQLite triggers refuse UPDATE and DELETE) and never holds personal data:
//! customers appear by id, searches by the kind of key typed, never the term itself.

use serde::{Deserialize, Serialize};

/// What happened. The code is what the table stores; adding an action forces a label for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuditAction {
    SignedIn,
    SignInRefused,
    SignedOut,
    SearchedCustomers,
    ViewedCustomer,
    ImportedCustomers,
    ManagedStaff,
    ChangedSettings,
    ChangedSchedule,
    EditedTemplate,
    SentTestEmail,
    ProducedLetters,
    ChangedCaseStatus,
    BulkUpdatedCases,
    Exported,
    ViewedAudit,
    LookedUpStatus,
    PurgedPersonalData,
    ChangedCampaign,
    RecordedUndelivered,
    LoggedCall,
    CheckedIdentity,
    ChangedContact,
    HandledCallback,
    HandledEscalation,
    ChangedDispositions,
    RequestedCallback,
    EditedStatusPage,
}

impl AuditAction {
    pub const ALL: [AuditAction; 28] = [
        AuditAction::SignedIn,
        AuditAction::SignInRefused,
        AuditAction::SignedOut,
        AuditAction::SearchedCustomers,
        AuditAction::ViewedCustomer,
        AuditAction::ImportedCustomers,
        AuditAction::ManagedStaff,
        AuditAction::ChangedSettings,
        AuditAction::ChangedSchedule,
        AuditAction::EditedTemplate,
        AuditAction::SentTestEmail,
        AuditAction::ProducedLetters,
        AuditAction::ChangedCaseStatus,
        AuditAction::BulkUpdatedCases,
        AuditAction::Exported,
        AuditAction::ViewedAudit,
        AuditAction::LookedUpStatus,
        AuditAction::PurgedPersonalData,
        AuditAction::ChangedCampaign,
        AuditAction::RecordedUndelivered,
        AuditAction::LoggedCall,
        AuditAction::CheckedIdentity,
        AuditAction::ChangedContact,
        AuditAction::HandledCallback,
        AuditAction::HandledEscalation,
        AuditAction::ChangedDispositions,
        AuditAction::RequestedCallback,
        AuditAction::EditedStatusPage,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AuditAction::SignedIn => "signed_in",
            AuditAction::SignInRefused => "sign_in_refused",
            AuditAction::SignedOut => "signed_out",
            AuditAction::SearchedCustomers => "searched_customers",
            AuditAction::ViewedCustomer => "viewed_customer",
            AuditAction::ImportedCustomers => "imported_customers",
            AuditAction::ManagedStaff => "managed_staff",
            AuditAction::ChangedSettings => "changed_settings",
            AuditAction::ChangedSchedule => "changed_schedule",
            AuditAction::EditedTemplate => "edited_template",
            AuditAction::SentTestEmail => "sent_test_email",
            AuditAction::ProducedLetters => "produced_letters",
            AuditAction::ChangedCaseStatus => "changed_case_status",
            AuditAction::BulkUpdatedCases => "bulk_updated_cases",
            AuditAction::Exported => "exported",
            AuditAction::ViewedAudit => "viewed_audit",
            AuditAction::LookedUpStatus => "looked_up_status",
            AuditAction::PurgedPersonalData => "purged_personal_data",
            AuditAction::ChangedCampaign => "changed_campaign",
            AuditAction::RecordedUndelivered => "recorded_undelivered",
            AuditAction::LoggedCall => "logged_call",
            AuditAction::CheckedIdentity => "checked_identity",
            AuditAction::ChangedContact => "changed_contact",
            AuditAction::HandledCallback => "handled_callback",
            AuditAction::HandledEscalation => "handled_escalation",
            AuditAction::ChangedDispositions => "changed_dispositions",
            AuditAction::RequestedCallback => "requested_callback",
            AuditAction::EditedStatusPage => "edited_status_page",
        }
    }

    pub fn from_code(code: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|action| action.code() == code)
    }

    /// (Japanese, English) for the audit page and its export.
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            AuditAction::SignedIn => ("サインイン", "Signed in"),
            AuditAction::SignInRefused => ("サインイン拒否", "Sign-in refused"),
            AuditAction::SignedOut => ("サインアウト", "Signed out"),
            AuditAction::SearchedCustomers => ("顧客検索", "Searched customers"),
            AuditAction::ViewedCustomer => ("顧客情報の閲覧", "Viewed a customer"),
            AuditAction::ImportedCustomers => ("顧客リストの取込", "Imported customers"),
            AuditAction::ManagedStaff => ("スタッフ管理", "Managed staff"),
            AuditAction::ChangedSettings => ("インシデント設定の変更", "Changed the incident profile"),
            AuditAction::ChangedSchedule => ("受付時間の変更", "Changed the hotline hours"),
            AuditAction::EditedTemplate => ("テンプレートの編集", "Edited a template"),
            AuditAction::SentTestEmail => ("テストメール送信", "Sent a test email"),
            AuditAction::ProducedLetters => ("お詫び状の出力", "Produced letters"),
            AuditAction::ChangedCaseStatus => ("再発行・返金状況の変更", "Changed a reissue or refund state"),
            AuditAction::BulkUpdatedCases => ("状況の一括更新", "Bulk status update"),
            AuditAction::Exported => ("データの書き出し", "Exported data"),
            AuditAction::ViewedAudit => ("監査ログの閲覧", "Viewed the audit trail"),
            AuditAction::LookedUpStatus => ("状況照会（公開ページ）", "Status lookup (public page)"),
            AuditAction::PurgedPersonalData => ("個人情報の消去（保存期間の終了）", "Purged personal data (retention)"),
            AuditAction::ChangedCampaign => ("キャンペーンの操作", "Changed a campaign"),
            AuditAction::RecordedUndelivered => ("不達・返戻の登録", "Recorded a bounce or returned letter"),
            AuditAction::LoggedCall => ("通話の記録", "Logged a call"),
            AuditAction::CheckedIdentity => ("本人確認", "Checked a caller's identity"),
            AuditAction::ChangedContact => ("住所・メールの訂正", "Corrected an address or email"),
            AuditAction::HandledCallback => ("コールバックの対応", "Handled a callback"),
            AuditAction::HandledEscalation => ("エスカレーションの対応", "Handled an escalation"),
            AuditAction::ChangedDispositions => ("問い合わせ分類の変更", "Changed the call categories"),
            AuditAction::RequestedCallback => ("折り返し依頼（公開ページ）", "Callback requested (public page)"),
            AuditAction::EditedStatusPage => ("状況確認ページの編集", "Edited the status page"),
        }
    }
}

/// Who acted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    Staff(i64),
    /// A visitor of the public status page.
    Public,
    /// Someone with a shell on the server, using the `breachdesk` command.
    CommandLine,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Ok,
    /// Not allowed, or a throttle said no.
    Refused,
    /// Allowed but it did not work (bad input, a server error).
    Failed,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
        }
    }

    pub fn from_code(code: &str) -> Option<Outcome> {
        [Outcome::Ok, Outcome::Refused, Outcome::Failed]
            .into_iter()
            .find(|outcome| outcome.code() == code)
    }
}

/// One event to record. `object` and `detail` are written by the code, never copied from user input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    pub actor: Actor,
    pub address: Option<std::net::IpAddr>,
    pub action: AuditAction,
    pub customer_id: Option<i64>,
    pub object: Option<String>,
    pub outcome: Outcome,
    pub detail: Option<String>,
}

impl AuditEvent {
    pub fn new(actor: Actor, action: AuditAction) -> AuditEvent {
        AuditEvent {
            actor,
            address: None,
            action,
            customer_id: None,
            object: None,
            outcome: Outcome::Ok,
            detail: None,
        }
    }

    pub fn from_address(mut self, address: Option<std::net::IpAddr>) -> AuditEvent {
        self.address = address;
        self
    }

    pub fn customer(mut self, customer_id: i64) -> AuditEvent {
        self.customer_id = Some(customer_id);
        self
    }

    pub fn object(mut self, object: impl Into<String>) -> AuditEvent {
        self.object = Some(object.into());
        self
    }

    pub fn outcome(mut self, outcome: Outcome) -> AuditEvent {
        self.outcome = outcome;
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> AuditEvent {
        self.detail = Some(detail.into());
        self
    }
}

/// One row of the trail as the audit page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// RFC 3339 UTC.
    pub at: String,
    pub actor: Actor,
    /// The staff member's display name and address, when a staff member acted.
    pub staff_name: Option<String>,
    pub address: Option<String>,
    pub action: AuditAction,
    pub customer_id: Option<i64>,
    pub object: Option<String>,
    pub outcome: Outcome,
    pub detail: Option<String>,
}

/// One page of the trail, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// The audit page's filters, each optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub staff_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub action: Option<AuditAction>,
    /// Tokyo dates, inclusive.
    pub from: Option<time::Date>,
    pub until: Option<time::Date>,
}

/// The filters as the audit page's GET form sends them: text, parsed by [`AuditQuery::filter`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub staff: String,
    #[serde(default)]
    pub customer: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub page: u32,
}

/// A filter field that does not parse; the page names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditQueryField {
    Staff,
    Customer,
    Action,
    From,
    Until,
}

impl AuditQueryField {
    pub fn name(self) -> &'static str {
        match self {
            AuditQueryField::Staff => "staff",
            AuditQueryField::Customer => "customer",
            AuditQueryField::Action => "action",
            AuditQueryField::From => "from",
            AuditQueryField::Until => "until",
        }
    }
}

impl AuditQuery {
    /// Blank fields filter nothing; every malformed one is reported, not ignored, so a typo never
    /// silently widens what a reviewer believes they are looking at.
    pub fn filter(&self) -> Result<AuditFilter, Vec<AuditQueryField>> {
        fn optional<T>(
            text: &str,
            field: AuditQueryField,
            parse: impl FnOnce(&str) -> Option<T>,
            problems: &mut Vec<AuditQueryField>,
        ) -> Option<T> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let parsed = parse(text);
            if parsed.is_none() {
                problems.push(field);
            }
            parsed
        }
        let date = |text: &str| crate::calendar::entry::parse_date(text).ok();
        let mut problems = Vec::new();
        let filter = AuditFilter {
            staff_id: optional(&self.staff, AuditQueryField::Staff, |t| t.parse().ok(), &mut problems),
            customer_id: optional(
                &self.customer,
                AuditQueryField::Customer,
                |t| t.parse().ok(),
                &mut problems,
            ),
            action: optional(
                &self.action,
                AuditQueryField::Action,
                AuditAction::from_code,
                &mut problems,
            ),
            from: optional(&self.from, AuditQueryField::From, date, &mut problems),
            until: optional(&self.until, AuditQueryField::Until, date, &mut problems),
        };
        if problems.is_empty() { Ok(filter) } else { Err(problems) }
    }
}

#[cfg(feature = "server")]
pub use store::{AUDIT_PAGE_SIZE, export_csv, list, record, record_all, record_logged};
#[cfg(feature = "server")]
pub use writer::{AuditWriter, TrailNotWritten};

#[cfg(feature = "server")]
mod writer;

#[cfg(feature = "server")]
mod store {
    use super::{Actor, AuditAction, AuditEvent, AuditFilter, AuditPage, AuditRow, Outcome};
    use crate::calendar::TOKYO;
    use sqlx::{QueryBuilder, Sqlite, SqlitePool};
    use time::format_description::well_known::Rfc3339;
    use time::{OffsetDateTime, PrimitiveDateTime, Time};

    pub const AUDIT_PAGE_SIZE: u32 = 100;

    /// Appends one event. Part of the caller's transaction when given one, so the event and the change
    /// it describes are stored together or not at all.
    pub async fn record<'e, E>(executor: E, event: &AuditEvent) -> Result<(), sqlx::Error>
    where
        E: sqlx::Executor<'e, Database = Sqlite>,
    {
        record_all(executor, std::slice::from_ref(event)).await
    }

    /// Appends events in one statement.
    pub async fn record_all<'e, E>(executor: E, events: &[AuditEvent]) -> Result<(), sqlx::Error>
    where
        E: sqlx::Executor<'e, Database = Sqlite>,
    {
        let at = OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default();
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO audit_log (at, actor, staff_id, address, action, customer_id, object, outcome, detail) ",
        );
        insert.push_values(events, |mut row, event| {
            let (actor, staff_id) = match event.actor {
                Actor::Staff(id) => ("staff", Some(id)),
                Actor::Public => ("public", None),
                Actor::CommandLine => ("cli", None),
            };
            row.push_bind(at.clone())
                .push_bind(actor)
                .push_bind(staff_id)
                .push_bind(event.address.map(|address| address.to_string()))
                .push_bind(event.action.code())
                .push_bind(event.customer_id)
                .push_bind(event.object.clone())
                .push_bind(event.outcome.code())
                .push_bind(event.detail.clone());
        });
        insert.build().execute(executor).await?;
        Ok(())
    }

    /// Records an event that accompanies a read (a search, a page view): a failure to write the trail is
    /// logged as an error rather than failing the request, as the reader's work must go on.
    pub async fn record_logged(pool: &SqlitePool, event: &AuditEvent) {
        if let Err(error) = record(pool, event).await {
            tracing::error!(%error, action = event.action.code(), "cannot write the audit trail");
        }
    }

    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        at: String,
        actor: String,
        staff_id: Option<i64>,
        staff_name: Option<String>,
        address: Option<String>,
        action: String,
        customer_id: Option<i64>,
        object: Option<String>,
        outcome: String,
        detail: Option<String>,
    }

    const COLUMNS: &str = "audit_log.id, audit_log.at, audit_log.actor, audit_log.staff_id, \
         staff.display_name || ' <' || staff.email || '>' AS staff_name, audit_log.address, audit_log.action, \
         audit_log.customer_id, audit_log.object, audit_log.outcome, audit_log.detail \
         FROM audit_log LEFT JOIN staff ON staff.id = audit_log.staff_id";

    /// One page of the trail, newest first.
    pub async fn list(pool: &SqlitePool, filter: &AuditFilter, page: u32) -> Result<AuditPage, sqlx::Error> {
        let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM audit_log");
        push_filter(&mut count, filter);
        let total: i64 = count.build_query_scalar().fetch_one(pool).await?;
        let total = u64::try_from(total).unwrap_or(0);
        let pages = u32::try_from(total.div_ceil(u64::from(AUDIT_PAGE_SIZE)))
            .unwrap_or(u32::MAX)
            .max(1);
        let page = page.clamp(1, pages);
        let mut query = QueryBuilder::<Sqlite>::new(format!("SELECT {COLUMNS}"));
        push_filter(&mut query, filter);
        query
            .push(" ORDER BY audit_log.id DESC LIMIT ")
            .push_bind(i64::from(AUDIT_PAGE_SIZE))
            .push(" OFFSET ")
            .push_bind(i64::from(page - 1) * i64::from(AUDIT_PAGE_SIZE));
        let rows: Vec<Row> = query.build_query_as().fetch_all(pool).await?;
        Ok(AuditPage {
            rows: rows.into_iter().filter_map(audit_row).collect(),
            total,
            page,
            pages,
        })
    }

    /// Every row the filter selects, oldest first, as CSV (UTF-8 with BOM so Excel reads it).
    pub async fn export_csv(pool: &SqlitePool, filter: &AuditFilter) -> Result<Vec<u8>, sqlx::Error> {
        let mut query = QueryBuilder::<Sqlite>::new(format!("SELECT {COLUMNS}"));
        push_filter(&mut query, filter);
        query.push(" ORDER BY audit_log.id");
        let rows: Vec<Row> = query.build_query_as().fetch_all(pool).await?;
        let mut out = String::from("\u{feff}id,at,actor,staff,address,action,customer_id,object,outcome,detail\r\n");
        for row in rows.into_iter().filter_map(audit_row) {
            let actor = match row.actor {
                Actor::Staff(id) => format!("staff:{id}"),
                Actor::Public => "public".to_owned(),
                Actor::CommandLine => "cli".to_owned(),
            };
            let fields = [
                row.id.to_string(),
                row.at,
                actor,
                row.staff_name.unwrap_or_default(),
                row.address.unwrap_or_default(),
                row.action.code().to_owned(),
                row.customer_id.map(|id| id.to_string()).unwrap_or_default(),
                row.object.unwrap_or_default(),
                row.outcome.code().to_owned(),
                row.detail.unwrap_or_default(),
            ];
            let line: Vec<String> = fields.iter().map(|field| csv_field(field)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
        Ok(out.into_bytes())
    }

    /// Quotes a field, and defuses a leading `=`, `+`, `-` or `@` so a spreadsheet never runs it as a formula.
    fn csv_field(value: &str) -> String {
        let value = if value.starts_with(['=', '+', '-', '@']) {
            format!("'{value}")
        } else {
            value.to_owned()
        };
        format!("\"{}\"", value.replace('"', "\"\""))
    }

    fn push_filter(query: &mut QueryBuilder<'_, Sqlite>, filter: &AuditFilter) {
        let mut separator = " WHERE ";
        let mut next = |query: &mut QueryBuilder<'_, Sqlite>| {
            query.push(separator);
            separator = " AND ";
        };
        if let Some(staff_id) = filter.staff_id {
            next(query);
            query.push("audit_log.staff_id = ").push_bind(staff_id);
        }
        if let Some(customer_id) = filter.customer_id {
            next(query);
            query.push("audit_log.customer_id = ").push_bind(customer_id);
        }
        if let Some(action) = filter.action {
            next(query);
            query.push("audit_log.action = ").push_bind(action.code());
        }
        if let Some(from) = filter.from {
            next(query);
            query.push("audit_log.at >= ").push_bind(utc_text(from, Time::MIDNIGHT));
        }
        if let Some(until) = filter.until.and_then(|until| until.next_day()) {
            next(query);
            query.push("audit_log.at < ").push_bind(utc_text(until, Time::MIDNIGHT));
        }
    }

    /// Tokyo midnight of a date as the stored RFC 3339 UTC text, so text comparison orders correctly.
    fn utc_text(date: time::Date, at: Time) -> String {
        PrimitiveDateTime::new(date, at)
            .assume_offset(TOKYO)
            .to_offset(time::UtcOffset::UTC)
            .format(&Rfc3339)
            .unwrap_or_default()
    }

    fn audit_row(row: Row) -> Option<AuditRow> {
        let actor = match (row.actor.as_str(), row.staff_id) {
            ("staff", Some(id)) => Actor::Staff(id),
            ("public", _) => Actor::Public,
            ("cli", _) => Actor::CommandLine,
            _ => return None,
        };
        Some(AuditRow {
            id: row.id,
            at: row.at,
            actor,
            staff_name: row.staff_name,
            address: row.address,
            action: AuditAction::from_code(&row.action)?,
            customer_id: row.customer_id,
            object: row.object,
            outcome: Outcome::from_code(&row.outcome)?,
            detail: row.detail,
        })
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[tokio::test]
        async fn a_recorded_event_can_be_neither_changed_nor_deleted() {
            let pool = crate::db::in_memory().await;
            record(
                &pool,
                &AuditEvent::new(Actor::CommandLine, AuditAction::ImportedCustomers),
            )
            .await
            .unwrap();
            let update = sqlx::query("UPDATE audit_log SET outcome = 'failed'")
                .execute(&pool)
                .await;
            assert!(update.unwrap_err().to_string().contains("append-only"));
            let delete = sqlx::query("DELETE FROM audit_log").execute(&pool).await;
            assert!(delete.unwrap_err().to_string().contains("append-only"));
            let page = list(&pool, &AuditFilter::default(), 1).await.unwrap();
            assert_eq!(page.total, 1);
            assert_eq!(page.rows[0].outcome, Outcome::Ok);
        }

        #[tokio::test]
        async fn the_filter_by_action_and_date_selects_only_matching_rows() {
            let pool = crate::db::in_memory().await;
            record(
                &pool,
                &AuditEvent::new(Actor::Public, AuditAction::LookedUpStatus).outcome(Outcome::Refused),
            )
            .await
            .unwrap();
            record(
                &pool,
                &AuditEvent::new(Actor::CommandLine, AuditAction::ImportedCustomers),
            )
            .await
            .unwrap();
            let today = OffsetDateTime::now_utc().to_offset(TOKYO).date();
            let lookups = AuditFilter {
                action: Some(AuditAction::LookedUpStatus),
                from: Some(today),
                until: Some(today),
                ..AuditFilter::default()
            };
            let page = list(&pool, &lookups, 1).await.unwrap();
            assert_eq!(page.total, 1);
            assert_eq!(page.rows[0].actor, Actor::Public);
            let yesterday = AuditFilter {
                until: today.previous_day(),
                ..AuditFilter::default()
            };
            assert_eq!(list(&pool, &yesterday, 1).await.unwrap().total, 0);
        }

        #[test]
        fn a_csv_field_that_looks_like_a_formula_is_defused() {
            assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
            assert_eq!(csv_field("import:12"), "\"import:12\"");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_query_filters_nothing_and_a_malformed_one_names_each_bad_field() {
        assert_eq!(AuditQuery::default().filter(), Ok(AuditFilter::default()));
        let query = AuditQuery {
            staff: "x".into(),
            customer: "12".into(),
            action: "deleted_everything".into(),
            from: "2017-12-29".into(),
            until: "29 December".into(),
            page: 1,
        };
        assert_eq!(
            query.filter(),
            Err(vec![
                AuditQueryField::Staff,
                AuditQueryField::Action,
                AuditQueryField::Until
            ])
        );
    }

    #[test]
    fn every_action_round_trips_through_its_code_and_has_two_labels() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(action.code()), Some(action));
            let (ja, en) = action.labels();
            assert!(!ja.is_empty() && !en.is_empty());
        }
    }
}
