//! Texts of the Letters page and of its downloads' refusals.

use breachdesk::audience::Audience;

use super::Lang;

pub struct LettersTexts {
    pub nav: &'static str,
    pub title: &'static str,
    pub lead: &'static str,
    pub one_letter_hint: &'static str,
    pub audience: &'static str,
    pub count: &'static str,
    pub downloads: &'static str,
    pub batch_pdf: &'static str,
    pub mailing_list: &'static str,
    pub empty: &'static str,
    pub slow_hint: &'static str,
    pub template_in_use: fn(&str, u32) -> String,
    pub customers: fn(u64) -> String,
    pub error_no_template: &'static str,
    pub error_no_incident: &'static str,
    pub error_template: &'static str,
    pub error_unknown_audience: &'static str,
    pub error_empty_audience: &'static str,
    pub error_no_customer: &'static str,
}

pub const JA: LettersTexts = LettersTexts {
    nav: "書状",
    title: "お詫び状の印刷",
    lead: "対象ごとに、お詫び状を郵便番号順にまとめたPDFと、同じ順番の宛名リスト（CSV、印刷会社向け）をダウンロードします。日付は本日です。",
    one_letter_hint: "お客様お一人分の書状は、顧客ページからダウンロードできます。",
    audience: "対象",
    count: "人数",
    downloads: "ダウンロード",
    batch_pdf: "書状PDF",
    mailing_list: "宛名リスト（CSV）",
    empty: "該当者なし",
    slow_hint: "数千通のPDFは作成に数秒かかります。",
    template_in_use: |name, version| format!("使用するテンプレート: {name}（第{version}版）"),
    customers: |count| format!("{count}名"),
    error_no_template: "書状のテンプレートがありません。テンプレート画面で作成してください。",
    error_no_incident: "事案の情報が登録されていません。",
    error_template: "テンプレートに差し込めない項目があります。テンプレート画面でプレビューを確認してください。",
    error_unknown_audience: "対象の指定が正しくありません。",
    error_empty_audience: "この対象に該当するお客様はいません。",
    error_no_customer: "該当するお客様が見つかりません。",
};

pub const EN: LettersTexts = LettersTexts {
    nav: "Letters",
    title: "Printing apology letters",
    lead: "For each audience, download one PDF with its apology letters in postal-code order, and the mailing list (CSV, for the print shop) in the same order. Letters are dated today.",
    one_letter_hint: "One customer's letter can be downloaded from the customer's page.",
    audience: "Audience",
    count: "Customers",
    downloads: "Downloads",
    batch_pdf: "Letters (PDF)",
    mailing_list: "Mailing list (CSV)",
    empty: "Nobody",
    slow_hint: "A PDF of thousands of letters takes a few seconds to make.",
    template_in_use: |name, version| format!("Template: {name} (version {version})"),
    customers: |count| count.to_string(),
    error_no_template: "There is no letter template yet: create one on the Templates page.",
    error_no_incident: "The incident has not been entered yet.",
    error_template: "The letter template cannot be filled in: check its preview on the Templates page.",
    error_unknown_audience: "Unknown audience.",
    error_empty_audience: "No customer belongs to this audience.",
    error_no_customer: "No such customer.",
};

impl Lang {
    pub fn letters_texts(self) -> &'static LettersTexts {
        match self {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }

    pub fn audience_label(self, audience: Audience) -> &'static str {
        match self {
            Lang::Ja => audience.label_ja(),
            Lang::En => audience.label_en(),
        }
    }
}
