//! The demo incident: the seed's real breach (常磐興産, ハワイアンズモール, 2017), loaded into an empty database.

use anyhow::{Context, bail};
use sqlx::SqlitePool;
use time::macros::date;

use crate::incident::IncidentProfile;

/// The seed report's facts as an incident profile.
pub fn incident_profile() -> IncidentProfile {
    IncidentProfile {
        company_name: "常磐興産株式会社".into(),
        representative: "代表取締役社長 井上直美".into(),
        shop_name: "公式ショッピングサイト「ハワイアンズモール」".into(),
        shop_url: "https://www.hawaiians-mall.com/".into(),
        title: "不正アクセスによる個人情報流出に関するお詫びとお知らせ".into(),
        affected_from: date!(2017 - 02 - 10),
        affected_until: date!(2017 - 05 - 25),
        leaked_items: "カード会員名、カード番号、住所、カード有効期限、セキュリティコード（パスワードは含まれておりません）".into(),
        announced_customers: 6_860,
        cause_summary: "運営委託先のシステムのロードバランサー（負荷分散装置）に使用していたOpenSSLの脆弱性を利用した、外部からの不正アクセスによるものでした。".into(),
        measures_taken: "クレジットカード決済を停止し、カード会社へ不正利用のモニタリングを依頼するとともに、個人情報保護委員会等の関係官庁およびいわき中央警察署へ報告いたしました。決済方式をリンク型に変更し、平成29年8月22日にPCI DSSのASVスキャンに合格、以後四半期ごとのスキャンと委託先の監査を実施しております。".into(),
        hotline_name: "お客様特別相談窓口".into(),
        hotline_number: "0120-034-294".into(),
        letter_sender: "常磐興産株式会社\n代表取締役社長 井上直美".into(),
        status_page_url: "/status".into(),
    }
}

/// Loads the demo incident; refuses a database that already holds an incident.
pub async fn load(pool: &SqlitePool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await.context("cannot start the demo load")?;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM incident")
        .fetch_one(&mut *tx)
        .await
        .context("cannot read the incident")?;
    if existing > 0 {
        bail!("the database already holds an incident; the demo loads only into an empty database");
    }
    incident_profile()
        .save(&mut *tx)
        .await
        .context("cannot save the demo incident")?;
    tx.commit().await.context("cannot commit the demo load")?;
    Ok(())
}

/// Whether the database holds no incident yet (so `serve --demo` should load the demo).
pub async fn database_is_empty(pool: &SqlitePool) -> anyhow::Result<bool> {
    let incidents: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM incident")
        .fetch_one(pool)
        .await
        .context("cannot read the incident")?;
    Ok(incidents == 0)
}
