//! Texts of the audit-trail page.

use super::Lang;

pub struct AuditTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub filters: &'static str,
    pub staff: &'static str,
    pub anyone: &'static str,
    pub customer_id: &'static str,
    pub action: &'static str,
    pub any_action: &'static str,
    pub from: &'static str,
    pub until: &'static str,
    pub apply: &'static str,
    pub export: &'static str,
    pub at: &'static str,
    pub who: &'static str,
    pub address: &'static str,
    pub customer: &'static str,
    pub object: &'static str,
    pub outcome: &'static str,
    pub detail: &'static str,
    pub public: &'static str,
    pub command_line: &'static str,
    pub outcome_ok: &'static str,
    pub outcome_refused: &'static str,
    pub outcome_failed: &'static str,
    pub none: &'static str,
    pub count: fn(u64, u32, u32) -> String,
    pub previous: &'static str,
    pub next: &'static str,
    pub nav: &'static str,
    pub invalid_filter: &'static str,
}

pub const JA: AuditTexts = AuditTexts {
    title: "監査ログ",
    intro: "誰が、いつ、どこから、何を行ったかの記録です。追記のみで、変更も削除もできません。顧客の個人情報は記録されず、顧客は番号で示されます。",
    filters: "絞り込み",
    staff: "スタッフ",
    anyone: "すべて",
    customer_id: "顧客番号（内部ID）",
    action: "操作",
    any_action: "すべての操作",
    from: "開始日",
    until: "終了日",
    apply: "絞り込む",
    export: "CSVで書き出す",
    at: "日時（日本時間）",
    who: "実行者",
    address: "接続元",
    customer: "顧客",
    object: "対象",
    outcome: "結果",
    detail: "詳細",
    public: "一般（公開ページ）",
    command_line: "コマンドライン",
    outcome_ok: "成功",
    outcome_refused: "拒否",
    outcome_failed: "失敗",
    none: "条件に合う記録はありません。",
    count: |total, page, pages| format!("{total}件（{page}/{pages}ページ）"),
    previous: "前のページ",
    next: "次のページ",
    nav: "監査ログ",
    invalid_filter: "この絞り込み条件は読み取れません（日付は 2017-12-29 の形式、番号は数字で入力してください）。",
};

pub const EN: AuditTexts = AuditTexts {
    title: "Audit trail",
    intro: "Who did what, when and from where. Entries are only ever added: nothing can change or delete them. No customer's personal data is recorded; customers appear by number.",
    filters: "Filters",
    staff: "Staff member",
    anyone: "Anyone",
    customer_id: "Customer number (internal id)",
    action: "Action",
    any_action: "Any action",
    from: "From",
    until: "Until",
    apply: "Filter",
    export: "Export as CSV",
    at: "When (Tokyo)",
    who: "Who",
    address: "From address",
    customer: "Customer",
    object: "Object",
    outcome: "Outcome",
    detail: "Detail",
    public: "Public (status page)",
    command_line: "Command line",
    outcome_ok: "Done",
    outcome_refused: "Refused",
    outcome_failed: "Failed",
    none: "No entries match.",
    count: |total, page, pages| format!("{total} entries (page {page} of {pages})"),
    previous: "Previous page",
    next: "Next page",
    nav: "Audit trail",
    invalid_filter: "This filter cannot be read (dates as 2017-12-29, numbers as digits).",
};

impl AuditTexts {
    pub fn field_label(&self, field: breachdesk::audit::AuditQueryField) -> &'static str {
        use breachdesk::audit::AuditQueryField;
        match field {
            AuditQueryField::Staff => self.staff,
            AuditQueryField::Customer => self.customer_id,
            AuditQueryField::Action => self.action,
            AuditQueryField::From => self.from,
            AuditQueryField::Until => self.until,
        }
    }
}

impl Lang {
    pub fn audit_texts(self) -> &'static AuditTexts {
        match self {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }
}
