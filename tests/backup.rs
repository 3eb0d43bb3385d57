//! `breachdesk backup`: a consistent copy taken while the server is busy writing, restored and compared.

use breachdesk::audit::{Actor, AuditAction, AuditEvent, record};
use breachdesk_tests::spawn_app;

async fn count(pool: &sqlx::SqlitePool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(pool)
        .await
        .expect("count rows")
}

#[tokio::test]
async fn a_backup_taken_under_load_restores_to_a_consistent_database() {
    let app = spawn_app().await;
    let customers = count(&app.pool, "customers").await;
    let before = count(&app.pool, "audit_log").await;

    // A writer keeps appending while the backup runs: the copy must be one moment of the database.
    let writer_pool = app.pool.clone();
    let writer = tokio::spawn(async move {
        for _ in 0..400 {
            let event = AuditEvent::new(Actor::CommandLine, AuditAction::Exported).detail("load");
            record(&writer_pool, &event).await.expect("write during the backup");
        }
    });
    tokio::task::yield_now().await;
    let target = app.data_dir.join("backup.db");
    breachdesk::db::backup(&app.pool, &target).await.expect("back up");
    writer.await.expect("the writer finishes");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "only the owner may read a backup");
    }
    let again = breachdesk::db::backup(&app.pool, &target).await;
    assert!(again.is_err(), "an existing file is never overwritten");

    // Restoring is starting on the copy: the same opening path the server uses, migrations included.
    let restored = breachdesk::db::open(&format!("sqlite://{}", target.display()))
        .await
        .expect("open the restored copy");
    assert_eq!(count(&restored, "customers").await, customers);
    let copied = count(&restored, "audit_log").await;
    let after = count(&app.pool, "audit_log").await;
    assert!(before <= copied && copied <= after, "{before} <= {copied} <= {after}");
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&restored)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
}
