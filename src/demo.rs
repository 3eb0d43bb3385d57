//! The demo incident: the seed's real breach (常磐興産, ハワイアンズモール, 2017), loaded into an empty database.

use anyhow::{Context, bail};
use sqlx::SqlitePool;
use time::macros::{date, time};

use crate::calendar::holidays::HolidayOverrides;
use crate::calendar::schedule::{Period, Schedule, ScheduleError, TimeRange, WeeklyHours};
use crate::incident::{IncidentProfile, MailAddress};
use crate::template::{DateStyle, TemplateDraft, TemplateError, TemplateKind, TemplateText};

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
        // Printed in letters, so absolute; the desk's public status page as the company would host it.
        status_page_url: "https://www.hawaiians-mall.com/status".into(),
        mail_from: MailAddress::parse("常磐興産株式会社 ハワイアンズモール <noreply@hawaiians-mall.com>").ok(),
        reply_to: MailAddress::parse("お客様特別相談窓口 <support@hawaiians-mall.com>").ok(),
    }
}

/// The demo's apology letter and email, written from the seed report; every fact that differs per
/// customer or per sending date is a placeholder.
pub fn templates() -> Result<Vec<(&'static str, TemplateDraft)>, TemplateError> {
    let letter = TemplateText {
        subject: include_str!("demo/templates/apology-letter.subject.txt").into(),
        body: include_str!("demo/templates/apology-letter.body.txt").into(),
        html_body: None,
        notes: Some(include_str!("demo/templates/apology-letter.notes.txt").into()),
    };
    let email = TemplateText {
        subject: include_str!("demo/templates/apology-email.subject.txt").into(),
        body: include_str!("demo/templates/apology-email.body.txt").into(),
        html_body: Some(include_str!("demo/templates/apology-email.html").into()),
        notes: None,
    };
    Ok(vec![
        (
            "apology-letter",
            TemplateDraft::parse(TemplateKind::Letter, DateStyle::Wareki, letter)?,
        ),
        (
            "apology-email",
            TemplateDraft::parse(TemplateKind::Email, DateStyle::Wareki, email)?,
        ),
    ])
}

/// The seed's hotline hours: 9:30–18:30 on weekdays from the first public notice (2017-07-12) to
/// 2017-12-29, then 10:00–17:00 from 2018-01-02; closed at weekends and on national holidays,
/// and over the year end by the gap between the two periods.
pub fn hotline_schedule() -> Result<Schedule, ScheduleError> {
    let periods = vec![
        Period {
            effective_from: date!(2017 - 07 - 12),
            effective_until: Some(date!(2017 - 12 - 29)),
            hours: WeeklyHours::monday_to_friday(&[TimeRange::new(time!(9:30), time!(18:30))]),
            closed_on_national_holidays: true,
        },
        Period {
            effective_from: date!(2018 - 01 - 02),
            effective_until: None,
            hours: WeeklyHours::monday_to_friday(&[TimeRange::new(time!(10:00), time!(17:00))]),
            closed_on_national_holidays: true,
        },
    ];
    Schedule::new(periods, Vec::new(), Vec::new(), HolidayOverrides::default())
}

/// How many affected customers the demo imports: the number the seed's company announced.
pub const DEMO_CUSTOMERS: usize = 6_860;
/// Fixed, so every demo database holds the same made-up customers.
pub const DEMO_CUSTOMER_SEED: u64 = 2017_0525;

/// Loads the demo incident; refuses a database that already holds an incident. `key` is the
/// deployment's secret, which keys the demo customers' card fingerprints.
pub async fn load(pool: &SqlitePool, key: &crate::secret::SecretKey) -> anyhow::Result<()> {
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
    let schedule = hotline_schedule().context("the demo hotline schedule is invalid")?;
    crate::hotline::save(&mut *tx, &schedule, None)
        .await
        .context("cannot save the demo hotline schedule")?;
    for (name, draft) in templates().context("a demo template is invalid")? {
        crate::templates::save_version(&mut tx, name, &draft, None)
            .await
            .with_context(|| format!("cannot save the demo template {name}"))?;
    }
    import_demo_customers(&mut tx, key).await?;
    crate::cases::demo::seed(&mut tx).await?;
    crate::calls::dispositions::seed_demo(&mut tx)
        .await
        .context("cannot save the demo disposition codes")?;
    // The seed: the payment processor flagged the leak on 2017-05-25, and it was unauthorised access.
    crate::cases::report::set_known(&mut *tx, date!(2017 - 05 - 25), true)
        .await
        .context("cannot save the demo's known date")?;
    tx.commit().await.context("cannot commit the demo load")?;
    Ok(())
}

/// Generates the demo customers, with order dates in the incident's affected period, and imports
/// them through the same service as an uploaded file. The file (about 1.5 MB) is generated in
/// memory: no CSV holding even made-up card numbers is written to disk.
async fn import_demo_customers(
    conn: &mut sqlx::SqliteConnection,
    key: &crate::secret::SecretKey,
) -> anyhow::Result<()> {
    use crate::customer::{CsvEncoding, CustomerCsvReader, demo_csv};
    use crate::import::{ImportOptions, ImportSource, import_rows};

    let profile = incident_profile();
    let customers = demo_csv::generate(
        DEMO_CUSTOMERS,
        DEMO_CUSTOMER_SEED,
        profile.affected_from..=profile.affected_until,
    );
    let mut file = Vec::new();
    demo_csv::write_csv(&mut file, customers).context("cannot generate the demo customers")?;
    let reader = CustomerCsvReader::new(std::io::Cursor::new(file), CsvEncoding::Utf8, key.bytes())
        .context("the generated demo file has no valid header")?;
    let source = ImportSource::of(&reader, "demo.csv", None);
    let options = ImportOptions {
        apply: true,
        allow_partial: false,
    };
    let outcome = import_rows(conn, reader, source, options, |_| {})
        .await
        .context("cannot import the demo customers")?;
    if outcome.import_id.is_none() {
        bail!(
            "{} generated demo customers were rejected",
            outcome.report.counts.rejected
        );
    }
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

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::customer::{Address, CardBrand, CardLast4, CustomerName, MaskedCard, PostalCode, ReferenceCode};
    use crate::template::{Recipient, RenderContext, TemplateVersion, render_email, render_letter};

    fn version(name: &str, draft: &TemplateDraft) -> TemplateVersion {
        TemplateVersion {
            id: 1,
            template_name: name.to_owned(),
            version: 1,
            kind: draft.kind(),
            subject: draft.subject().to_owned(),
            body: draft.body().to_owned(),
            html_body: draft.html_body().map(str::to_owned),
            notes: draft.notes().map(str::to_owned),
            date_style: draft.date_style(),
        }
    }

    #[test]
    fn the_demo_templates_make_a_formal_apology_with_the_customers_details() {
        let recipient = Recipient {
            name: CustomerName::parse("山田 花子").expect("name"),
            postal_code: PostalCode::parse("9708555").expect("postal code"),
            address: Address::parse("福島県いわき市常磐藤原町蕨平50").expect("address"),
            reference_code: ReferenceCode::from_random([3; 16]),
            card: MaskedCard {
                brand: CardBrand::Jcb,
                last4: CardLast4::parse("4321").expect("last 4"),
            },
            order_date: Some(date!(2017 - 04 - 01)),
        };
        let incident = incident_profile();
        let schedule = hotline_schedule().expect("schedule");
        let ctx = RenderContext {
            recipient: &recipient,
            incident: &incident,
            schedule: Some(&schedule),
            date: date!(2017 - 12 - 22),
        };
        let templates = templates().expect("the demo templates parse");
        let code = recipient.reference_code.to_string();

        let letter = render_letter(&version("apology-letter", &templates[0].1), &ctx).expect("letter");
        assert!(letter.body[0].starts_with("謹啓　このたび"), "{:?}", letter.body);
        assert_eq!(letter.closing, "謹白");
        assert_eq!(letter.date_line, "平成29年12月22日");
        let body = letter.body.join("\n");
        assert!(body.contains("平成29年2月10日～平成29年5月25日"), "{body}");
        assert!(body.contains("JCBのカード番号の下4桁が4321"), "{body}");
        assert!(body.contains("一切ございません"), "{body}");
        assert_eq!(
            letter.notes,
            [
                format!("受付番号　{code}"),
                "お問い合わせ先　お客様特別相談窓口　0120-034-294（通話料無料）".to_owned(),
                "受付時間 9:30～18:30（土日祝日除く）、平成30年1月2日（火）より 10:00～17:00".to_owned(),
                "状況確認ページ　https://www.hawaiians-mall.com/status".to_owned(),
            ]
        );

        let email = render_email(&version("apology-email", &templates[1].1), &ctx).expect("email");
        assert_eq!(
            email.subject,
            format!("【常磐興産株式会社】クレジットカード情報流出に関するお詫びとお願い（受付番号 {code}）")
        );
        for part in [&email.text, &email.html] {
            assert!(part.contains("山田 花子 様"), "{part}");
            assert!(part.contains(&code), "{part}");
            assert!(part.contains("謹白"), "{part}");
            assert!(part.contains("以上"), "{part}");
        }
        assert!(!email.html.contains("{{"), "{}", email.html);
    }
}
