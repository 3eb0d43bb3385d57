use time::macros::date;

use super::*;
use crate::calendar::test_support::seed_schedule;
use crate::customer::{CardBrand, CardLast4};

fn recipient(name: &str) -> Recipient {
    Recipient {
        name: CustomerName::parse(name).expect("name"),
        postal_code: PostalCode::parse("9708555").expect("postal code"),
        address: Address::parse("福島県いわき市常磐藤原町蕨平50 スパリゾートハイツ101号").expect("address"),
        reference_code: ReferenceCode::from_random([7; 16]),
        card: MaskedCard {
            brand: CardBrand::Visa,
            last4: CardLast4::parse("1234").expect("last 4"),
        },
        order_date: Some(date!(2017 - 03 - 15)),
    }
}

fn incident() -> IncidentProfile {
    IncidentProfile {
        company_name: "例示商事株式会社".into(),
        representative: "代表取締役 見本太郎".into(),
        shop_name: "例示ショップ".into(),
        shop_url: "https://shop.example/".into(),
        title: "お詫び".into(),
        affected_from: date!(2017 - 02 - 10),
        affected_until: date!(2017 - 05 - 25),
        leaked_items: "カード会員名".into(),
        announced_customers: 2,
        cause_summary: String::new(),
        measures_taken: String::new(),
        hotline_name: "お客様窓口".into(),
        hotline_number: "0120-000-000".into(),
        letter_sender: "例示商事株式会社\n代表取締役 見本太郎".into(),
        status_page_url: "https://desk.example/status".into(),
        mail_from: None,
        reply_to: None,
    }
}

fn letter_text(notes: &str) -> TemplateText {
    TemplateText {
        subject: "{{shop}}における個人情報流出に関するお詫び".into(),
        body: "謹啓\n{{full_name}}様には\n多大なご迷惑を。\n\n対象期間は{{affected_period}}です。".into(),
        html_body: None,
        notes: Some(notes.into()),
    }
}

fn email_text(html: &str) -> TemplateText {
    TemplateText {
        subject: "【お詫び】{{company}}より{{full_name}}様へ".into(),
        body: "{{full_name}} 様\n受付番号 {{reference_code}}\n電話 {{hotline_number}}".into(),
        html_body: Some(html.into()),
        notes: None,
    }
}

fn version(kind: TemplateKind, date_style: DateStyle, text: TemplateText) -> TemplateVersion {
    let draft = TemplateDraft::parse(kind, date_style, text).expect("valid template");
    TemplateVersion {
        id: 1,
        template_name: "test-template".into(),
        version: 3,
        kind,
        subject: draft.subject().to_owned(),
        body: draft.body().to_owned(),
        html_body: draft.html_body().map(str::to_owned),
        notes: draft.notes().map(str::to_owned),
        date_style,
    }
}

const NOTES: &str = "受付番号 {{reference_code}}\nお問い合わせ {{hotline_name}} {{hotline_number}}\n{{hotline_hours}}";

#[test]
fn a_letter_is_filled_in_with_the_customer_and_the_incident() {
    let schedule = seed_schedule();
    let recipient = recipient("山田 太郎");
    let incident = incident();
    let ctx = RenderContext {
        recipient: &recipient,
        incident: &incident,
        schedule: Some(&schedule),
        date: date!(2017 - 12 - 22),
    };
    let letter = render_letter(
        &version(TemplateKind::Letter, DateStyle::Wareki, letter_text(NOTES)),
        &ctx,
    )
    .expect("renders");

    assert_eq!(letter.date_line, "平成29年12月22日");
    assert_eq!(letter.recipient.postal_line, "〒970-8555");
    assert_eq!(
        letter.recipient.address_lines,
        ["福島県いわき市常磐藤原町蕨平50", "スパリゾートハイツ101号"]
    );
    assert_eq!(letter.recipient.name_line, "山田 太郎 様");
    assert_eq!(
        letter.sender_lines,
        ["例示商事株式会社", "代表取締役 見本太郎", "お客様窓口 0120-000-000"]
    );
    assert_eq!(letter.title, "例示ショップにおける個人情報流出に関するお詫び");
    assert_eq!(
        letter.body,
        [
            "謹啓山田 太郎様には多大なご迷惑を。",
            "対象期間は平成29年2月10日～平成29年5月25日です。"
        ]
    );
    assert_eq!(letter.closing, "謹白");
    let code = recipient.reference_code.to_string();
    assert_eq!(
        letter.notes,
        [
            format!("受付番号 {code}"),
            "お問い合わせ お客様窓口 0120-000-000".to_owned(),
            "受付時間 9:30～18:30（土日祝日除く）、平成30年1月2日（火）より 10:00～17:00".to_owned(),
        ]
    );
    assert_eq!(letter.footer, format!("{code}  test-template v3"));
}

#[test]
fn the_reference_code_is_printed_with_its_hyphens() {
    let recipient = recipient("山田 太郎");
    let incident = incident();
    let ctx = RenderContext {
        recipient: &recipient,
        incident: &incident,
        schedule: None,
        date: date!(2017 - 12 - 22),
    };
    let email = render_email(
        &version(
            TemplateKind::Email,
            DateStyle::Wareki,
            email_text("<p>{{reference_code}} {{hotline_number}}</p>"),
        ),
        &ctx,
    )
    .expect("renders");
    let code = recipient.reference_code.to_string();
    assert_eq!(code.len(), 15);
    assert_eq!(code.matches('-').count(), 2);
    assert!(email.text.contains(&format!("受付番号 {code}")), "{}", email.text);
}

#[test]
fn the_western_style_writes_every_date_in_the_western_calendar() {
    let recipient = recipient("山田 太郎");
    let incident = incident();
    let ctx = RenderContext {
        recipient: &recipient,
        incident: &incident,
        schedule: None,
        date: date!(2017 - 12 - 22),
    };
    let notes = "{{reference_code}} {{hotline_number}} 注文日 {{order_date}} 日付 {{date}}";
    let letter = render_letter(
        &version(TemplateKind::Letter, DateStyle::Western, letter_text(notes)),
        &ctx,
    )
    .expect("renders");
    assert_eq!(letter.date_line, "2017年12月22日");
    assert_eq!(letter.body[1], "対象期間は2017年2月10日～2017年5月25日です。");
    assert!(
        letter.notes[0].ends_with("注文日 2017年3月15日 日付 2017年12月22日"),
        "{:?}",
        letter.notes
    );
}

#[test]
fn the_hours_text_follows_the_sending_date() {
    let schedule = seed_schedule();
    let cases = [
        // A month before the change: the current hours only.
        (date!(2017 - 11 - 20), "受付時間 9:30～18:30（土日祝日除く）"),
        // Within 30 days of the change it is announced.
        (
            date!(2017 - 12 - 22),
            "受付時間 9:30～18:30（土日祝日除く）、平成30年1月2日（火）より 10:00～17:00",
        ),
        // In the year-end closure: the hours on reopening, and from when.
        (
            date!(2017 - 12 - 30),
            "受付時間 10:00～17:00（土日祝日除く）（平成30年1月2日（火）より）",
        ),
        (date!(2018 - 01 - 05), "受付時間 10:00～17:00（土日祝日除く）"),
    ];
    for (date, expected) in cases {
        assert_eq!(hours_on(&schedule, date).as_deref(), Some(expected), "{date}");
    }
}

#[test]
fn hours_without_a_schedule_are_refused_rather_than_left_blank() {
    let recipient = recipient("山田 太郎");
    let incident = incident();
    let ctx = RenderContext {
        recipient: &recipient,
        incident: &incident,
        schedule: None,
        date: date!(2017 - 12 - 22),
    };
    let error = render_letter(
        &version(TemplateKind::Letter, DateStyle::Wareki, letter_text(NOTES)),
        &ctx,
    )
    .expect_err("no hours");
    assert_eq!(
        error,
        TemplateError::NoValue {
            placeholder: Placeholder::HotlineHours
        }
    );
}

#[test]
fn a_name_with_markup_is_escaped_in_the_html_part_only() {
    let recipient = recipient("<script>alert(1)</script> \"&'");
    let incident = incident();
    let ctx = RenderContext {
        recipient: &recipient,
        incident: &incident,
        schedule: None,
        date: date!(2017 - 12 - 22),
    };
    let html =
        "<p>{{full_name}} 様</p><p><a href=\"{{status_page_url}}\">{{reference_code}}</a> {{hotline_number}}</p>";
    let email =
        render_email(&version(TemplateKind::Email, DateStyle::Wareki, email_text(html)), &ctx).expect("renders");

    assert!(!email.html.contains("<script>"), "{}", email.html);
    assert!(
        email
            .html
            .contains("<p>&lt;script&gt;alert(1)&lt;/script&gt; &quot;&amp;&#39; 様</p>"),
        "{}",
        email.html
    );
    assert!(
        email
            .html
            .contains("<title>【お詫び】例示商事株式会社より&lt;script&gt;"),
        "{}",
        email.html
    );
    assert!(
        email.html.contains("<a href=\"https://desk.example/status\">"),
        "{}",
        email.html
    );
    // The plain-text part and the subject are not HTML: they carry the name as written.
    assert!(
        email.text.starts_with("<script>alert(1)</script> \"&' 様"),
        "{}",
        email.text
    );
    assert!(
        email.subject.ends_with("<script>alert(1)</script> \"&'様へ"),
        "{}",
        email.subject
    );
}

#[test]
fn a_missing_required_placeholder_is_refused_naming_field_and_placeholder() {
    let error = TemplateDraft::parse(
        TemplateKind::Letter,
        DateStyle::Wareki,
        letter_text("{{hotline_number}}"),
    )
    .expect_err("refused");
    assert_eq!(
        error,
        TemplateError::MissingPlaceholder {
            field: TemplateField::Notes,
            placeholder: Placeholder::ReferenceCode
        }
    );
    assert_eq!(error.to_string(), "the notes must contain {{reference_code}}");
    assert!(error.message_ja().contains("記の項目"), "{}", error.message_ja());
    assert!(
        error.message_ja().contains("{{reference_code}}"),
        "{}",
        error.message_ja()
    );

    let error = TemplateDraft::parse(
        TemplateKind::Email,
        DateStyle::Wareki,
        email_text("<p>{{reference_code}}</p>"),
    )
    .expect_err("refused");
    assert_eq!(
        error,
        TemplateError::MissingPlaceholder {
            field: TemplateField::Html,
            placeholder: Placeholder::HotlineNumber
        }
    );
}

#[test]
fn an_unknown_placeholder_in_the_body_is_refused() {
    let mut text = email_text("<p>{{reference_code}} {{hotline_number}}</p>");
    text.body.push_str("\n{{card_number}}");
    let error = TemplateDraft::parse(TemplateKind::Email, DateStyle::Wareki, text).expect_err("refused");
    assert_eq!(
        error,
        TemplateError::UnknownPlaceholder {
            field: TemplateField::Body,
            name: "card_number".into()
        }
    );
}

#[test]
fn parts_a_kind_does_not_have_are_refused_and_empty_ones_ignored() {
    let mut text = letter_text(NOTES);
    text.html_body = Some("<p>x</p>".into());
    let error = TemplateDraft::parse(TemplateKind::Letter, DateStyle::Wareki, text).expect_err("refused");
    assert!(matches!(
        error,
        TemplateError::NotUsed {
            field: TemplateField::Html,
            ..
        }
    ));

    let mut text = letter_text(NOTES);
    text.html_body = Some("  \r\n".into());
    let draft = TemplateDraft::parse(TemplateKind::Letter, DateStyle::Wareki, text).expect("blank HTML is no HTML");
    assert_eq!(draft.html_body(), None);
}

#[test]
fn a_subject_must_be_one_line() {
    let mut text = email_text("<p>{{reference_code}} {{hotline_number}}</p>");
    text.subject = "お詫び\nBcc: someone@example.com".into();
    let error = TemplateDraft::parse(TemplateKind::Email, DateStyle::Wareki, text).expect_err("refused");
    assert_eq!(
        error,
        TemplateError::MultiLine {
            field: TemplateField::Subject
        }
    );
}

#[test]
fn a_letter_opened_with_haikei_closes_with_keigu() {
    assert_eq!(closing_for("拝啓 平素より"), "敬具");
    assert_eq!(closing_for("謹啓 このたび"), "謹白");
}

#[test]
fn a_short_address_stays_on_one_line() {
    let address = Address::parse("東京都千代田区1-1 A棟").expect("address");
    assert_eq!(address_lines(&address), ["東京都千代田区1-1 A棟"]);
}

#[test]
fn a_right_to_left_override_in_a_template_is_refused_naming_the_field() {
    let text = TemplateText {
        subject: "お詫び".into(),
        body: "謹啓 {{full_name}}様 \u{202E}".into(),
        html_body: None,
        notes: Some("{{reference_code}} {{hotline_number}}".into()),
    };
    let refused = TemplateDraft::parse(TemplateKind::Letter, DateStyle::Wareki, text);
    assert_eq!(
        refused.unwrap_err(),
        TemplateError::HiddenCharacter {
            field: TemplateField::Body,
            code_point: 0x202E
        }
    );
}
