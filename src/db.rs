//! The SQLite database: one pool per process, WAL, foreign keys, a busy timeout, embedded migrations.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// Opens (creating when absent) the database at `url` and brings its schema up to date.
///
/// A failed migration stops here with the migration's name, so the server never runs on a half-migrated schema.
pub async fn open(url: &str) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("database URL {url:?} is not a SQLite URL"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // NORMAL is durable in WAL mode except for the last transactions on power loss, which the outbox tolerates.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    if let Some(parent) = options.get_filename().parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the database folder {}", parent.display()))?;
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        // sqlx pings every connection it lends out by default, a round trip to the connection's
        // thread per query; an SQLite connection is a file in this process and cannot go stale.
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open the database {url}"))?;
    sqlx::migrate!()
        .run(&pool)
        .await
        .context("database migration failed; the database was left as it was before the failed step")?;
    Ok(pool)
}

/// Writes a consistent copy of the live database to `target` while the server goes on serving.
///
/// `VACUUM INTO` reads one snapshot (WAL readers do not block writers), so the copy is a state the
/// database really was in, compacted. The file is created first with owner-only permissions: it holds
/// the same personal data as the database.
pub async fn backup(pool: &SqlitePool, target: &std::path::Path) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(target)
        .with_context(|| format!("cannot create {} (a backup never overwrites a file)", target.display()))?;
    let path = target
        .to_str()
        .with_context(|| format!("the backup path {} is not UTF-8", target.display()))?;
    if let Err(error) = sqlx::query("VACUUM INTO ?").bind(path).execute(pool).await {
        let _ = std::fs::remove_file(target);
        return Err(error).context("the backup failed; no backup file was left behind");
    }
    Ok(())
}

/// A fresh, migrated in-memory database for unit tests.
///
/// One connection: each connection to `sqlite::memory:` would be a database of its own.
#[cfg(test)]
pub async fn in_memory() -> SqlitePool {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .expect("in-memory database");
    sqlx::migrate!().run(&pool).await.expect("migrations");
    pool
}

/// Import 1, which every customer row refers to, for unit tests that insert customers by hand.
#[cfg(test)]
pub async fn record_test_import(pool: &SqlitePool) {
    sqlx::query(
        "INSERT INTO imports (id, created_at, file_name, encoding, new_count, updated_count, unchanged_count, \
         rejected_count, report) VALUES (1, '2017-07-01T00:00:00Z', 'x.csv', 'utf-8', 1, 0, 0, 0, '{}')",
    )
    .execute(pool)
    .await
    .expect("import 1");
}
