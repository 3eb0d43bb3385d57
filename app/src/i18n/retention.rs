//! Texts of the retention page: closing the programme and purging personal data.

use super::Lang;

pub struct RetentionTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub kept: &'static str,
    pub before: &'static str,
    pub dry_run: &'static str,
    pub would_purge: fn(u64) -> String,
    pub purge_heading: &'static str,
    pub expected: &'static str,
    pub expected_help: &'static str,
    pub purge: &'static str,
    pub purged: fn(u64) -> String,
    pub before_malformed: &'static str,
    pub before_future: &'static str,
    pub expected_malformed: &'static str,
    pub expected_changed: fn(u64) -> String,
    pub nav: &'static str,
}

pub const JA: RetentionTexts = RetentionTexts {
    title: "対応の終了と個人情報の消去",
    intro: "指定した日より前から動きのない顧客（状況の変更、送付、閲覧、状況照会がない顧客）の氏名、フリガナ、住所、郵便番号、メール、電話番号、顧客番号、カード下4桁と照合用の値、対応メモを消去します。受付番号は新しい番号に置き換わり、お手紙の番号では状況照会できなくなります。元に戻せません。",
    kept: "残るもの: 件数（再発行・返金の状況、送付の状況、カードブランド）と監査ログ。監査ログには個人情報が含まれません。",
    before: "この日より前（日本時間 0時）",
    dry_run: "試算する（何も変更しません）",
    would_purge: |count| format!("この日より前から動きのない顧客 {count}人 の個人情報が消去されます。"),
    purge_heading: "消去を実行する",
    expected: "試算の人数",
    expected_help: "確認のため、試算で表示された人数を入力してください。",
    purge: "個人情報を消去する",
    purged: |count| format!("{count}人 の個人情報を消去しました。監査ログに記録しました。"),
    before_malformed: "日付は 2018-03-31 の形式で入力してください。",
    before_future: "日付は明日までにしてください。まだ起きていない動きは消去の対象にできません。",
    expected_malformed: "試算で表示された人数を数字で入力してください。",
    expected_changed: |count| format!("試算のあとで対象が変わりました（現在 {count}人）。もう一度試算してください。"),
    nav: "個人情報の消去",
};

pub const EN: RetentionTexts = RetentionTexts {
    title: "Close the programme and purge personal data",
    intro: "Customers with no activity since before the chosen day (no status change, delivery, view or status lookup) have their name, kana reading, address, postal code, email, phone, customer number, card last 4 and fingerprint, and the notes on their case blanked. Their reference code is replaced, so the code on their letter no longer finds anything on the status page. This cannot be undone.",
    kept: "Kept: the counts (reissue and refund states, deliveries, card brands) and the audit trail, which holds no personal data.",
    before: "Before this day (00:00 Tokyo time)",
    dry_run: "Dry run (changes nothing)",
    would_purge: |count| format!("{count} customers with no activity since before that day would be purged."),
    purge_heading: "Purge",
    expected: "Customers in the dry run",
    expected_help: "To confirm, type the number of customers the dry run showed.",
    purge: "Purge personal data",
    purged: |count| format!("Purged the personal data of {count} customers. The audit trail records it."),
    before_malformed: "Write the date as 2018-03-31.",
    before_future: "The date may be tomorrow at the latest: activity that has not happened yet cannot be purged.",
    expected_malformed: "Type the number of customers the dry run showed, in digits.",
    expected_changed: |count| {
        format!("What would be purged changed after the dry run (now {count} customers). Run the dry run again.")
    },
    nav: "Purge personal data",
};

impl Lang {
    pub fn retention_texts(self) -> &'static RetentionTexts {
        match self {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }
}
