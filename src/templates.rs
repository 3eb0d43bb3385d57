//! Stored templates: each save adds a version (the table's triggers refuse updates and deletes), and the newest version is the one in use.

use sqlx::{Connection, SqliteConnection, SqlitePool};
use time::OffsetDateTime;

use crate::template::{DateStyle, TemplateDraft, TemplateKind, TemplateVersion, VersionInfo};

/// Why a version could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The template exists with the other kind: a letter cannot become an email.
    #[error("template {name:?} is a {existing} template, not a {given} one")]
    KindMismatch {
        name: String,
        existing: &'static str,
        given: &'static str,
    },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    id: i64,
    name: String,
    version: i64,
    kind: String,
    subject: String,
    body: String,
    html_body: Option<String>,
    notes: Option<String>,
    date_style: String,
}

impl TryFrom<VersionRow> for TemplateVersion {
    type Error = sqlx::Error;

    fn try_from(row: VersionRow) -> Result<Self, Self::Error> {
        let decode = |column: &str, value: &str| sqlx::Error::ColumnDecode {
            index: column.to_owned(),
            source: format!("unexpected value {value:?}").into(),
        };
        Ok(TemplateVersion {
            id: row.id,
            kind: TemplateKind::from_code(&row.kind).ok_or_else(|| decode("kind", &row.kind))?,
            date_style: DateStyle::from_code(&row.date_style).ok_or_else(|| decode("date_style", &row.date_style))?,
            version: u32::try_from(row.version).map_err(|_| decode("version", &row.version.to_string()))?,
            template_name: row.name,
            subject: row.subject,
            body: row.body,
            html_body: row.html_body,
            notes: row.notes,
        })
    }
}

const VERSION_COLUMNS: &str = "v.id, t.name, v.version, t.kind, v.subject, v.body, v.html_body, v.notes, v.date_style";

/// Every template in its newest version, by name.
pub async fn list_latest(pool: &SqlitePool) -> Result<Vec<TemplateVersion>, sqlx::Error> {
    let rows: Vec<VersionRow> = sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM templates t JOIN template_versions v ON v.template_id = t.id \
         WHERE v.version = (SELECT MAX(version) FROM template_versions WHERE template_id = t.id) \
         ORDER BY t.name"
    ))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(TemplateVersion::try_from).collect()
}

/// The version with id `id`, e.g. the one a delivery records.
pub async fn load_version(pool: &SqlitePool, id: i64) -> Result<Option<TemplateVersion>, sqlx::Error> {
    let row: Option<VersionRow> = sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM templates t JOIN template_versions v ON v.template_id = t.id WHERE v.id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.map(TemplateVersion::try_from).transpose()
}

/// The newest version of the template called `name`, or `None` if there is no such template.
pub async fn latest_by_name(pool: &SqlitePool, name: &str) -> Result<Option<TemplateVersion>, sqlx::Error> {
    let row: Option<VersionRow> = sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM templates t JOIN template_versions v ON v.template_id = t.id \
         WHERE t.name = ? ORDER BY v.version DESC LIMIT 1"
    ))
    .bind(name)
    .fetch_optional(pool)
    .await?;
    row.map(TemplateVersion::try_from).transpose()
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    id: i64,
    version: i64,
    created_at: OffsetDateTime,
    author: Option<String>,
}

/// Every version of the template called `name`, newest first, with who saved it and when.
pub async fn history(pool: &SqlitePool, name: &str) -> Result<Vec<VersionInfo>, sqlx::Error> {
    let rows: Vec<HistoryRow> = sqlx::query_as(
        "SELECT v.id, v.version, v.created_at, s.display_name AS author \
         FROM templates t JOIN template_versions v ON v.template_id = t.id \
         LEFT JOIN staff s ON s.id = v.created_by WHERE t.name = ? ORDER BY v.version DESC",
    )
    .bind(name)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| VersionInfo {
            id: row.id,
            version: u32::try_from(row.version).unwrap_or(u32::MAX),
            created_at: row.created_at,
            author: row.author,
        })
        .collect())
}

/// Saves `draft` as the next version of the template called `name`, creating the template on its
/// first version. `created_by` is `None` for the demo load and the command line.
/// Inside a caller's transaction (the demo load) this is a savepoint.
pub async fn save_version(
    conn: &mut SqliteConnection,
    name: &str,
    draft: &TemplateDraft,
    created_by: Option<i64>,
) -> Result<TemplateVersion, SaveError> {
    let now = OffsetDateTime::now_utc();
    let mut tx = conn.begin().await?;
    sqlx::query("INSERT INTO templates (name, kind, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(draft.kind().code())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let (template_id, kind, next): (i64, String, i64) = sqlx::query_as(
        "SELECT t.id, t.kind, COALESCE(MAX(v.version), 0) + 1 FROM templates t \
         LEFT JOIN template_versions v ON v.template_id = t.id WHERE t.name = ? GROUP BY t.id",
    )
    .bind(name)
    .fetch_one(&mut *tx)
    .await?;
    if kind != draft.kind().code() {
        return Err(SaveError::KindMismatch {
            name: name.to_owned(),
            existing: TemplateKind::from_code(&kind).map_or("unknown", TemplateKind::code),
            given: draft.kind().code(),
        });
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO template_versions (template_id, version, subject, body, html_body, notes, date_style, \
         created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(template_id)
    .bind(next)
    .bind(draft.subject())
    .bind(draft.body())
    .bind(draft.html_body())
    .bind(draft.notes())
    .bind(draft.date_style().code())
    .bind(now)
    .bind(created_by)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(TemplateVersion {
        id,
        template_name: name.to_owned(),
        version: u32::try_from(next).unwrap_or(u32::MAX),
        kind: draft.kind(),
        subject: draft.subject().to_owned(),
        body: draft.body().to_owned(),
        html_body: draft.html_body().map(str::to_owned),
        notes: draft.notes().map(str::to_owned),
        date_style: draft.date_style(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::TemplateText;

    fn letter(subject: &str) -> TemplateDraft {
        let text = TemplateText {
            subject: subject.into(),
            body: "謹啓 {{full_name}}様".into(),
            html_body: None,
            notes: Some("{{reference_code}} {{hotline_number}}".into()),
        };
        TemplateDraft::parse(TemplateKind::Letter, DateStyle::Wareki, text).expect("valid")
    }

    #[tokio::test]
    async fn each_save_adds_a_version_and_the_newest_is_in_use() {
        let pool = crate::db::in_memory().await;
        let first = save_version(
            &mut pool.acquire().await.expect("connection"),
            "apology-letter",
            &letter("一"),
            None,
        )
        .await
        .expect("saved");
        let second = save_version(
            &mut pool.acquire().await.expect("connection"),
            "apology-letter",
            &letter("二"),
            None,
        )
        .await
        .expect("saved");
        assert_eq!((first.version, second.version), (1, 2));

        let latest = latest_by_name(&pool, "apology-letter")
            .await
            .expect("loads")
            .expect("exists");
        assert_eq!(latest, second);
        assert_eq!(load_version(&pool, first.id).await.expect("loads"), Some(first));
        assert_eq!(list_latest(&pool).await.expect("lists"), vec![second]);
        let versions: Vec<u32> = history(&pool, "apology-letter")
            .await
            .expect("history")
            .iter()
            .map(|v| v.version)
            .collect();
        assert_eq!(versions, [2, 1]);
    }

    #[tokio::test]
    async fn a_saved_version_cannot_be_changed_in_place() {
        let pool = crate::db::in_memory().await;
        save_version(
            &mut pool.acquire().await.expect("connection"),
            "apology-letter",
            &letter("一"),
            None,
        )
        .await
        .expect("saved");
        let result = sqlx::query("UPDATE template_versions SET subject = 'x'")
            .execute(&pool)
            .await;
        assert!(result.is_err());
    }

    #[tokio::test]
    async fn an_email_cannot_be_saved_over_a_letter() {
        let pool = crate::db::in_memory().await;
        save_version(
            &mut pool.acquire().await.expect("connection"),
            "apology-letter",
            &letter("一"),
            None,
        )
        .await
        .expect("saved");
        let text = TemplateText {
            subject: "件名".into(),
            body: "{{reference_code}} {{hotline_number}}".into(),
            html_body: Some("<p>{{reference_code}} {{hotline_number}}</p>".into()),
            notes: None,
        };
        let email = TemplateDraft::parse(TemplateKind::Email, DateStyle::Wareki, text).expect("valid");
        let error = save_version(
            &mut pool.acquire().await.expect("connection"),
            "apology-letter",
            &email,
            None,
        )
        .await
        .expect_err("refused");
        assert!(matches!(error, SaveError::KindMismatch { .. }), "{error}");
    }
}
