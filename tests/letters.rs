//! Letters over real HTTP against the demo incident: the text read back out of the PDF, the size
//! of a one-page letter, a batch and its mailing list in the same order, the audiences, and who
//! may download what.

use std::io::Write;
use std::process::Command;

use breachdesk::audience::Audience;
use breachdesk::letter::pdf::{first_pages, render_letter};
use breachdesk::letters::{self, DEFAULT_TEMPLATE, LetterSetup};
use breachdesk::role::Role;
use breachdesk_tests::{TestApp, spawn_app};
use reqwest::StatusCode;
use time::macros::date;

/// A customer as stored: id, name, address, reference code (compact).
struct Customer {
    id: i64,
    name: String,
    address: String,
    reference_code: String,
}

async fn first_customer(app: &TestApp) -> Customer {
    let (id, name, address, reference_code): (i64, String, String, String) =
        sqlx::query_as("SELECT id, name, address, reference_code FROM customers ORDER BY id LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .expect("a demo customer");
    Customer {
        id,
        name,
        address,
        reference_code,
    }
}

/// `K7QX3MHT9PABF` as printed: `K7QX-3MHT-9PABF`.
fn grouped(code: &str) -> String {
    format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..])
}

/// What poppler's `pdftotext` reads out of `pdf`, from page `first` to `last` (all when `None`).
fn pdf_text(pdf: &[u8], pages: Option<(u32, u32)>) -> String {
    let mut file = tempfile("pdf");
    file.1.write_all(pdf).expect("write the PDF");
    let mut command = Command::new("pdftotext");
    command.args(["-enc", "UTF-8"]);
    if let Some((first, last)) = pages {
        command.args(["-f", &first.to_string(), "-l", &last.to_string()]);
    }
    let output = command
        .arg(&file.0)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(
        output.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let _ = std::fs::remove_file(&file.0);
    String::from_utf8(output.stdout).expect("UTF-8 text")
}

/// The page count `pdfinfo` reads.
fn pdf_pages(pdf: &[u8]) -> u32 {
    let mut file = tempfile("pdf");
    file.1.write_all(pdf).expect("write the PDF");
    let output = Command::new("pdfinfo").arg(&file.0).output().expect("pdfinfo runs");
    let _ = std::fs::remove_file(&file.0);
    let info = String::from_utf8_lossy(&output.stdout);
    info.lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|pages| pages.trim().parse().ok())
        .expect("pdfinfo names the page count")
}

fn tempfile(extension: &str) -> (std::path::PathBuf, std::fs::File) {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let path = std::env::temp_dir().join(format!(
        "breachdesk-letters-{}-{}.{extension}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let file = std::fs::File::create(&path).expect("create a temporary file");
    (path, file)
}

#[tokio::test]
async fn a_customers_letter_gives_back_the_name_address_reference_code_and_hotline_exactly() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let customer = first_customer(&app).await;

    let response = manager.get(&format!("/letters/customer/{}", customer.id)).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let disposition = response.headers()["content-disposition"].to_str().expect("ASCII");
    assert!(
        disposition.contains(&format!("letter-{}.pdf", customer.reference_code)),
        "{disposition}"
    );
    let pdf = response.bytes().await.expect("the PDF");
    let text = pdf_text(&pdf, None);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    assert!(lines.contains(&format!("{} 様", customer.name).as_str()), "{text}");
    assert!(text.contains(&grouped(&customer.reference_code)), "{text}");
    assert!(text.contains("0120-034-294"), "{text}");
    // Printed on one line, or on two split at the last space (street, then building).
    let on_one_line = lines.contains(&customer.address.as_str());
    let on_two_lines = customer
        .address
        .rsplit_once(' ')
        .is_some_and(|(street, building)| lines.contains(&street) && lines.contains(&building));
    assert!(on_one_line || on_two_lines, "{} not in {text}", customer.address);
}

#[tokio::test]
async fn a_one_page_demo_letter_stays_under_60_kb() {
    let app = spawn_app().await;
    let customer = first_customer(&app).await;
    let setup = LetterSetup::load(&app.pool, DEFAULT_TEMPLATE, date!(2017 - 12 - 22))
        .await
        .expect("the demo letter template");
    let member = letters::member(&app.pool, customer.id)
        .await
        .expect("read")
        .expect("the customer");
    let mut letter = setup.letter(&member.recipient).expect("filled in");
    // Shortened until it fits one page: a second copy after it then starts on page 2.
    while first_pages([letter.clone(), letter.clone()]).expect("laid out")[1] > 2 {
        letter.body.pop();
    }

    let pdf = render_letter(&letter).expect("drawn");

    assert_eq!(pdf_pages(&pdf), 1);
    assert!(pdf.len() < 60_000, "a one-page letter is {} bytes", pdf.len());
}

#[tokio::test]
async fn a_batch_pdf_and_its_mailing_list_agree_in_order_and_count() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let expected: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE email IS NULL OR email = ''")
        .fetch_one(&app.pool)
        .await
        .expect("count");

    let pdf = manager.get("/letters/batch.pdf?audience=without-email").await;
    let csv = manager.get("/letters/mailing-list.csv?audience=without-email").await;

    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(csv.status(), StatusCode::OK);
    let disposition = pdf.headers()["content-disposition"].to_str().expect("ASCII").to_owned();
    assert!(disposition.contains("letters-without-email-"), "{disposition}");
    assert_eq!(csv.headers()["cache-control"], "no-store");
    let pdf = pdf.bytes().await.expect("the PDF");
    let csv = csv.bytes().await.expect("the CSV");
    assert!(csv.starts_with("\u{feff}".as_bytes()), "a byte-order mark for Excel");
    let mut reader = csv::Reader::from_reader(&csv[3..]);
    let header = reader.headers().expect("header").clone();
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        ["順番", "ページ", "受付番号", "郵便番号", "住所", "氏名"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(
        rows.len() as i64,
        expected,
        "one row per customer without an email address"
    );

    let mut previous = (String::new(), String::new(), 0u32);
    for (index, row) in rows.iter().enumerate() {
        assert_eq!(row[0], (index + 1).to_string(), "numbered in order");
        let page: u32 = row[1].parse().expect("a page number");
        let key = (row[3].to_owned(), row[2].to_owned(), page);
        assert!(
            key.0 > previous.0 || (key.0 == previous.0 && key.1 > previous.1),
            "postal-code order at row {}",
            index + 1
        );
        assert!(page > previous.2, "each letter starts on a later page");
        previous = key;
    }
    assert_eq!(&rows[0][1], "1");
    let total_pages = pdf_pages(&pdf);
    assert!(previous.2 <= total_pages);
    for row in [&rows[0], &rows[rows.len() / 2], &rows[rows.len() - 1]] {
        let page: u32 = row[1].parse().expect("page");
        let text = pdf_text(&pdf, Some((page, page)));
        assert!(text.contains(&row[2]), "{} on page {page}", &row[2]);
        assert!(text.contains(&format!("{} 様", &row[5])), "{} on page {page}", &row[5]);
        assert!(text.contains(&format!("〒{}", &row[3])), "{} on page {page}", &row[3]);
    }
    assert!(
        pdf.len() < rows.len() * 30_000,
        "{} bytes for {} letters",
        pdf.len(),
        rows.len()
    );
}

/// Records a delivery as the senders would.
async fn delivery(app: &TestApp, customer: i64, channel: &str, state: &str) {
    sqlx::query(
        "INSERT INTO deliveries (customer_id, channel, template_version_id, state, created_at, updated_at) \
         VALUES (?, ?, (SELECT MIN(id) FROM template_versions), ?, '2017-12-22T00:00:00Z', '2017-12-22T00:00:00Z')",
    )
    .bind(customer)
    .bind(channel)
    .bind(state)
    .execute(&app.pool)
    .await
    .expect("record a delivery");
}

fn count(counts: &[(Audience, u64)], audience: Audience) -> u64 {
    counts
        .iter()
        .find(|(a, _)| *a == audience)
        .map(|(_, n)| *n)
        .expect("counted")
}

#[tokio::test]
async fn audiences_follow_emails_and_the_latest_delivery_on_each_channel() {
    let app = spawn_app().await;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM customers ORDER BY id LIMIT 4")
        .fetch_all(&app.pool)
        .await
        .expect("ids");
    let [sent, bounced, bounced_then_sent, returned] = ids[..] else {
        panic!("four demo customers")
    };
    delivery(&app, sent, "email", "sent").await;
    delivery(&app, bounced, "email", "bounced").await;
    delivery(&app, bounced_then_sent, "email", "bounced").await;
    delivery(&app, bounced_then_sent, "email", "sent").await;
    delivery(&app, returned, "letter", "returned").await;

    let counts = letters::counts(&app.pool).await.expect("counts");

    let all = count(&counts, Audience::All);
    assert_eq!(all, 6_860);
    assert_eq!(
        count(&counts, Audience::WithEmail) + count(&counts, Audience::WithoutEmail),
        all
    );
    assert_eq!(count(&counts, Audience::NotNotified), all - 2);
    assert_eq!(count(&counts, Audience::Bounced), 1);
    assert_eq!(count(&counts, Audience::Returned), 1);
    let returned_members: Vec<i64> = {
        use futures_util::TryStreamExt;
        letters::members(&app.pool, Audience::Returned)
            .map_ok(|member| member.customer_id)
            .try_collect()
            .await
            .expect("members")
    };
    assert_eq!(returned_members, [returned]);
}

#[tokio::test]
async fn a_customer_who_asked_for_a_resend_is_in_that_audience_until_one_is_sent_after_the_request() {
    let app = spawn_app().await;
    let customer: i64 = sqlx::query_scalar("SELECT MIN(id) FROM customers")
        .fetch_one(&app.pool)
        .await
        .expect("a demo customer");
    let staff: i64 = sqlx::query_scalar("SELECT MIN(id) FROM staff")
        .fetch_one(&app.pool)
        .await
        .expect("the first admin");
    // A letter sent before the request does not answer it.
    sqlx::query(
        "INSERT INTO deliveries (customer_id, channel, template_version_id, state, created_at, updated_at, sent_at) \
         VALUES (?, 'letter', (SELECT MIN(id) FROM template_versions), 'sent', '2017-12-22T00:00:00Z', \
                 '2017-12-22T00:00:00Z', '2017-12-22 09:00:00.000000+00:00')",
    )
    .bind(customer)
    .execute(&app.pool)
    .await
    .expect("an earlier letter");
    sqlx::query(
        "INSERT INTO resend_requests (customer_id, staff_id, channel, created_at) \
         VALUES (?, ?, 'letter', '2018-01-05T02:00:00.000Z')",
    )
    .bind(customer)
    .bind(staff)
    .execute(&app.pool)
    .await
    .expect("a re-send request");
    let counts = letters::counts(&app.pool).await.expect("counts");
    assert_eq!(count(&counts, Audience::ResendRequested), 1);

    sqlx::query(
        "INSERT INTO deliveries (customer_id, channel, template_version_id, state, created_at, updated_at, sent_at) \
         VALUES (?, 'letter', (SELECT MIN(id) FROM template_versions), 'sent', '2018-01-09T00:00:00Z', \
                 '2018-01-09T00:00:00Z', '2018-01-09 09:00:00.000000+00:00')",
    )
    .bind(customer)
    .execute(&app.pool)
    .await
    .expect("the letter sent again");
    let counts = letters::counts(&app.pool).await.expect("counts");
    assert_eq!(count(&counts, Audience::ResendRequested), 0);
}

#[tokio::test]
async fn the_downloads_answer_each_role_as_the_capability_table_says() {
    let app = spawn_app().await;
    let customer = first_customer(&app).await;
    delivery(&app, customer.id, "letter", "returned").await;
    let paths = [
        format!("/letters/customer/{}", customer.id),
        "/letters/batch.pdf?audience=returned".to_owned(),
        "/letters/mailing-list.csv?audience=returned".to_owned(),
    ];

    let anonymous = app.visitor();
    for path in &paths {
        assert_eq!(
            anonymous.get(path).await.status(),
            StatusCode::UNAUTHORIZED,
            "{path} without a session"
        );
    }
    let agent = app.signed_in(Role::Agent).await;
    for path in &paths {
        assert_eq!(
            agent.get(path).await.status(),
            StatusCode::FORBIDDEN,
            "an agent downloading {path}"
        );
    }
    for role in [Role::Manager, Role::Admin] {
        let visitor = app.signed_in(role).await;
        for path in &paths {
            assert_eq!(
                visitor.get(path).await.status(),
                StatusCode::OK,
                "{role} downloading {path}"
            );
        }
        let unknown = visitor.get("/letters/batch.pdf?audience=everyone").await;
        assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
        let nobody = visitor.get("/letters/customer/999999").await;
        assert_eq!(nobody.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn the_letters_page_lists_every_audience_with_its_size_and_download_links() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;

    let response = manager.get("/letters").await;

    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.expect("the page");
    assert!(page.contains("apology-letter"), "names the template in use");
    assert!(page.contains("6860名"), "counts everyone");
    for audience in Audience::ALL {
        assert!(
            page.contains(&format!("data-testid=\"audience-{audience}\"")),
            "{audience}"
        );
    }
    assert!(page.contains("href=\"/letters/batch.pdf?audience=all\""));
    assert!(page.contains("href=\"/letters/mailing-list.csv?audience=all\""));
    // Nobody's letter has come back yet: no links for an empty audience.
    assert!(!page.contains("href=\"/letters/batch.pdf?audience=returned\""));
}
