//! Texts of the call desk: the Calls page, the callback queue, escalations, the desk report,
//! disposition codes and the customer timeline.

use breachdesk::call::{IdentityFact, Outcome, TimelineKind};

use super::Lang;

pub struct CallsTexts {
    pub nav_calls: &'static str,
    pub nav_callbacks: &'static str,
    pub nav_escalations: &'static str,
    pub title: &'static str,
    pub search_label: &'static str,
    pub search_hint: &'static str,
    pub search: &'static str,
    pub no_match: &'static str,
    pub results: &'static str,
    pub choose: &'static str,
    pub no_customer: &'static str,
    pub no_customer_hint: &'static str,
    pub caller: &'static str,
    pub identity_heading: &'static str,
    pub identity_hint: &'static str,
    pub verify: &'static str,
    pub verified: &'static str,
    pub not_verified: fn(usize) -> String,
    pub open_customer: &'static str,
    pub returned_mail: &'static str,
    pub call_heading: &'static str,
    pub received_at: &'static str,
    pub received_hint: &'static str,
    pub caller_phone: &'static str,
    pub line: &'static str,
    pub category: &'static str,
    pub notes: &'static str,
    pub notes_hint: &'static str,
    pub outcome: &'static str,
    pub talk_minutes: &'static str,
    pub callback_hours: &'static str,
    pub closes_callback: &'static str,
    pub log: &'static str,
    pub logged: fn(i64) -> String,
    pub in_hours: &'static str,
    pub out_of_hours: &'static str,
    pub masked: fn(usize) -> String,
    pub callback_due: &'static str,
    pub escalated: &'static str,
    pub contact_heading: &'static str,
    pub postal_code: &'static str,
    pub address: &'static str,
    pub email: &'static str,
    pub correct_address: &'static str,
    pub correct_email: &'static str,
    pub corrected: &'static str,
    pub resend_letter: &'static str,
    pub resend_email: &'static str,
    pub resend_requested: &'static str,
    pub case_heading: &'static str,
    pub callbacks_title: &'static str,
    pub callbacks_empty: &'static str,
    pub due: &'static str,
    pub overdue: &'static str,
    pub phone: &'static str,
    pub customer: &'static str,
    pub reason: &'static str,
    pub assigned: &'static str,
    pub unassigned: &'static str,
    pub assign: &'static str,
    pub call_back: &'static str,
    pub from_status_page: &'static str,
    pub escalations_title: &'static str,
    pub escalations_empty: &'static str,
    pub escalation_state: fn(&str) -> &'static str,
    pub raised_by: &'static str,
    pub acknowledged_by: &'static str,
    pub resolved_by: &'static str,
    pub acknowledge: &'static str,
    pub resolve: &'static str,
    pub resolution: &'static str,
    pub open_escalations: fn(u64) -> String,
    pub report_title: &'static str,
    pub report_from: &'static str,
    pub report_until: &'static str,
    pub show: &'static str,
    pub total_calls: &'static str,
    pub average_talk: &'static str,
    pub open_callbacks: &'static str,
    pub overdue_callbacks: &'static str,
    pub per_day: &'static str,
    pub per_hour: &'static str,
    pub per_category: &'static str,
    pub per_outcome: &'static str,
    pub chart_numbers: &'static str,
    pub calls_count: &'static str,
    pub export_utf8: &'static str,
    pub export_sjis: &'static str,
    pub dispositions_title: &'static str,
    pub dispositions_hint: &'static str,
    pub label_ja: &'static str,
    pub label_en: &'static str,
    pub parent: &'static str,
    pub top_level: &'static str,
    pub add: &'static str,
    pub retire: &'static str,
    pub restore: &'static str,
    pub retired: &'static str,
    pub saved: &'static str,
    pub timeline: &'static str,
    pub timeline_empty: &'static str,
    pub when: &'static str,
    pub who: &'static str,
    pub what: &'static str,
    pub system: &'static str,
    pub identity_required: &'static str,
    pub check_identity_link: &'static str,
    pub error_received_at: &'static str,
    pub error_phone: &'static str,
    pub error_line: &'static str,
    pub error_category: &'static str,
    pub error_notes_long: &'static str,
    pub error_hidden: &'static str,
    pub error_outcome: &'static str,
    pub error_talk: &'static str,
    pub error_callback_hours: &'static str,
    pub error_no_number: &'static str,
    pub error_no_open_hours: &'static str,
    pub error_callback_closed: &'static str,
    pub error_search_too_long: &'static str,
    pub error_postal_code: &'static str,
    pub error_address: &'static str,
    pub error_email: &'static str,
    pub error_label: &'static str,
    pub error_parent: &'static str,
    pub error_state: &'static str,
    pub error_date: &'static str,
    pub error_resolution: &'static str,
}

pub const JA: CallsTexts = CallsTexts {
    nav_calls: "電話受付",
    nav_callbacks: "折り返し",
    nav_escalations: "エスカレーション",
    title: "電話受付",
    search_label: "お客様を探す",
    search_hint: "受付番号、電話番号、お名前（漢字・カナ、一部でも可）、郵便番号、カード下4桁",
    search: "検索",
    no_match: "該当するお客様はいません。対象者でない方の電話は、お客様を選ばずに記録できます。",
    results: "検索結果（マスク表示）",
    choose: "選ぶ",
    no_customer: "対象者以外の電話を記録",
    no_customer_hint: "報道機関、カード会社、対象者でない方などの電話は、お客様を選ばずに記録します。",
    caller: "お客様",
    identity_heading: "本人確認",
    identity_hint: "お客様が答えた内容を入力してください。2項目以上一致すると詳細を表示します。",
    verify: "確認する",
    verified: "本人確認済み",
    not_verified: |matched| format!("一致したのは{matched}項目です。2項目以上の一致が必要です。"),
    open_customer: "顧客ページを開く",
    returned_mail: "郵便物の返送またはメールの不達があります。住所・メールを確認してください。",
    call_heading: "通話の記録",
    received_at: "受付日時",
    received_hint: "空欄は現在時刻。後から記録する場合は日時を入力してください。",
    caller_phone: "発信者番号",
    line: "回線",
    category: "分類",
    notes: "メモ",
    notes_hint: "カード番号は書かないでください。13〜19桁の数字は下4桁を残して伏せられます。",
    outcome: "結果",
    talk_minutes: "通話時間（分）",
    callback_hours: "折り返し期限（営業時間）",
    closes_callback: "この通話で完了する折り返し",
    log: "記録する",
    logged: |id| format!("通話 #{id} を記録しました。"),
    in_hours: "受付時間内",
    out_of_hours: "受付時間外",
    masked: |count| format!("メモ内のカード番号らしき数字 {count}件 を伏せて保存しました。"),
    callback_due: "折り返し期限",
    escalated: "管理者にエスカレーションしました。",
    contact_heading: "住所・メールの訂正と再送",
    postal_code: "郵便番号",
    address: "住所",
    email: "メール",
    correct_address: "住所を訂正",
    correct_email: "メールを訂正",
    corrected: "訂正しました（履歴に残ります）。",
    resend_letter: "お詫び状の再送を依頼",
    resend_email: "メールの再送を依頼",
    resend_requested: "再送を依頼しました。",
    case_heading: "再発行・返金の依頼",
    callbacks_title: "折り返し",
    callbacks_empty: "未完了の折り返しはありません。",
    due: "期限",
    overdue: "期限超過",
    phone: "電話番号",
    customer: "お客様",
    reason: "用件",
    assigned: "担当",
    unassigned: "未割当",
    assign: "割り当てる",
    call_back: "折り返して記録",
    from_status_page: "状況照会ページから",
    escalations_title: "エスカレーション",
    escalations_empty: "エスカレーションはありません。",
    escalation_state: |state| match state {
        "open" => "未対応",
        "acknowledged" => "確認済み",
        _ => "解決済み",
    },
    raised_by: "受付者",
    acknowledged_by: "確認者",
    resolved_by: "解決者",
    acknowledge: "確認した",
    resolve: "解決として記録",
    resolution: "対応内容",
    open_escalations: |count| format!("未解決のエスカレーション: {count}件"),
    report_title: "電話受付の集計",
    report_from: "開始日",
    report_until: "終了日",
    show: "表示",
    total_calls: "通話数",
    average_talk: "平均通話時間（分）",
    open_callbacks: "未完了の折り返し",
    overdue_callbacks: "うち期限超過",
    per_day: "日別の通話数",
    per_hour: "時間帯別の通話数",
    per_category: "分類別の通話数",
    per_outcome: "結果別の通話数",
    chart_numbers: "数値を表で見る",
    calls_count: "件数",
    export_utf8: "通話記録CSV（UTF-8、Excel用BOM付き）",
    export_sjis: "通話記録CSV（Shift_JIS）",
    dispositions_title: "通話の分類",
    dispositions_hint: "電話受付で選ぶ分類と小分類です。使わなくなった分類は「使用停止」にします（記録済みの通話には残ります）。",
    label_ja: "名称（日本語）",
    label_en: "名称（英語）",
    parent: "上位の分類",
    top_level: "（分類として追加）",
    add: "追加",
    retire: "使用停止",
    restore: "再開",
    retired: "使用停止中",
    saved: "保存しました。",
    timeline: "対応履歴",
    timeline_empty: "履歴はまだありません。",
    when: "日時",
    who: "担当",
    what: "内容",
    system: "システム",
    identity_required: "本人確認が済むまで、お客様の詳細と対応履歴は表示されません。",
    check_identity_link: "電話受付で本人確認する",
    error_received_at: "受付日時は 2017-12-29T18:00 の形で入力してください。",
    error_phone: "電話番号が正しくありません。",
    error_line: "回線は20文字以内の番号で入力してください。",
    error_category: "分類を選んでください。",
    error_notes_long: "メモは2000文字以内で入力してください。",
    error_hidden: "見えない制御文字は使えません。",
    error_outcome: "結果を選んでください。",
    error_talk: "通話時間は0〜600の分で入力してください。",
    error_callback_hours: "折り返し期限は1〜40営業時間で入力してください。",
    error_no_number: "折り返し先の電話番号がありません。発信者番号を入力してください。",
    error_no_open_hours: "受付時間の予定がないため、折り返し期限を計算できません。",
    error_callback_closed: "この折り返しは既に完了しています。",
    error_search_too_long: "検索語が長すぎます。",
    error_postal_code: "郵便番号は7桁で入力してください。",
    error_address: "住所を入力してください。",
    error_email: "メールアドレスが正しくありません。",
    error_label: "名称は1〜60文字で入力してください。",
    error_parent: "小分類は分類の下にだけ追加できます。",
    error_state: "この操作はできません（既に対応済みです）。",
    error_date: "日付は 2017-12-29 の形で入力してください。",
    error_resolution: "対応内容を入力してください。",
};

pub const EN: CallsTexts = CallsTexts {
    nav_calls: "Calls",
    nav_callbacks: "Callbacks",
    nav_escalations: "Escalations",
    title: "Calls",
    search_label: "Find the caller",
    search_hint: "Reference code, phone number, name (kanji or kana, any part), postal code, card last 4",
    search: "Search",
    no_match: "No customer matches. A call from someone not on the list can be logged without a customer.",
    results: "Matches (masked)",
    choose: "Choose",
    no_customer: "Log a call from someone not on the list",
    no_customer_hint: "The press, card companies, people who were not affected: log their calls without a customer.",
    caller: "Customer",
    identity_heading: "Identity check",
    identity_hint: "Type what the caller says. The details show once at least two match.",
    verify: "Check",
    verified: "Identity verified",
    not_verified: |matched| format!("{matched} matched; at least two must match."),
    open_customer: "Open the customer page",
    returned_mail: "A letter came back or an email bounced: check the address or email.",
    call_heading: "Log the call",
    received_at: "Received at",
    received_hint: "Blank means now. For a call logged afterwards, enter when it came in.",
    caller_phone: "Caller's number",
    line: "Line",
    category: "Category",
    notes: "Notes",
    notes_hint: "Never write card numbers: any 13–19 digits keep only their last 4.",
    outcome: "Outcome",
    talk_minutes: "Talk time (minutes)",
    callback_hours: "Callback due in (business hours)",
    closes_callback: "Callback this call returns",
    log: "Log the call",
    logged: |id| format!("Call #{id} logged."),
    in_hours: "In hours",
    out_of_hours: "Out of hours",
    masked: |count| format!("{count} card-number-like run(s) in the notes were masked before saving."),
    callback_due: "Callback due",
    escalated: "Escalated to the managers.",
    contact_heading: "Correct address or email, send again",
    postal_code: "Postal code",
    address: "Address",
    email: "Email",
    correct_address: "Correct the address",
    correct_email: "Correct the email",
    corrected: "Corrected (kept in the history).",
    resend_letter: "Ask for the letter again",
    resend_email: "Ask for the email again",
    resend_requested: "Resend requested.",
    case_heading: "Reissue and refund requests",
    callbacks_title: "Callbacks",
    callbacks_empty: "No open callbacks.",
    due: "Due",
    overdue: "Overdue",
    phone: "Phone",
    customer: "Customer",
    reason: "Reason",
    assigned: "Assigned to",
    unassigned: "Nobody",
    assign: "Assign",
    call_back: "Call back and log",
    from_status_page: "From the status page",
    escalations_title: "Escalations",
    escalations_empty: "No escalations.",
    escalation_state: |state| match state {
        "open" => "Open",
        "acknowledged" => "Acknowledged",
        _ => "Resolved",
    },
    raised_by: "Raised by",
    acknowledged_by: "Acknowledged by",
    resolved_by: "Resolved by",
    acknowledge: "Acknowledge",
    resolve: "Record as resolved",
    resolution: "Resolution",
    open_escalations: |count| format!("Unresolved escalations: {count}"),
    report_title: "Call desk report",
    report_from: "From",
    report_until: "Until",
    show: "Show",
    total_calls: "Calls",
    average_talk: "Average talk time (minutes)",
    open_callbacks: "Open callbacks",
    overdue_callbacks: "of which overdue",
    per_day: "Calls per day",
    per_hour: "Calls per hour of day",
    per_category: "Calls per category",
    per_outcome: "Calls per outcome",
    chart_numbers: "Numbers as a table",
    calls_count: "Calls",
    export_utf8: "Call log CSV (UTF-8 with BOM for Excel)",
    export_sjis: "Call log CSV (Shift_JIS)",
    dispositions_title: "Call categories",
    dispositions_hint: "The categories and sub-categories agents choose from. Retire a code no longer used (logged calls keep it).",
    label_ja: "Name (Japanese)",
    label_en: "Name (English)",
    parent: "Category",
    top_level: "(add as a category)",
    add: "Add",
    retire: "Retire",
    restore: "Restore",
    retired: "Retired",
    saved: "Saved.",
    timeline: "Timeline",
    timeline_empty: "Nothing yet.",
    when: "When",
    who: "Who",
    what: "What",
    system: "System",
    identity_required: "The customer's details and timeline show once their identity is checked.",
    check_identity_link: "Check identity on the Calls page",
    error_received_at: "Enter the time as 2017-12-29T18:00.",
    error_phone: "Not a phone number.",
    error_line: "The line is a number of at most 20 characters.",
    error_category: "Choose a category.",
    error_notes_long: "Notes have at most 2,000 characters.",
    error_hidden: "Invisible control characters are not allowed.",
    error_outcome: "Choose an outcome.",
    error_talk: "Talk time is 0 to 600 minutes.",
    error_callback_hours: "A callback is due 1 to 40 business hours later.",
    error_no_number: "There is no number to call back: enter the caller's number.",
    error_no_open_hours: "The hotline schedule has no open hours ahead, so no callback time can be set.",
    error_callback_closed: "This callback is already closed.",
    error_search_too_long: "The search term is too long.",
    error_postal_code: "A postal code has seven digits.",
    error_address: "Enter the address.",
    error_email: "Not an email address.",
    error_label: "A name has 1 to 60 characters.",
    error_parent: "A sub-category goes under a category.",
    error_state: "Not possible: it was already handled.",
    error_date: "Enter dates as 2017-12-29.",
    error_resolution: "Describe the resolution.",
};

impl Lang {
    pub fn calls_texts(self) -> &'static CallsTexts {
        match self {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }

    pub fn outcome_label(self, outcome: Outcome) -> &'static str {
        let (ja, en) = outcome.labels();
        if self == Lang::En { en } else { ja }
    }

    pub fn identity_fact_label(self, fact: IdentityFact) -> &'static str {
        match (fact, self) {
            (IdentityFact::ReferenceCode, Lang::Ja) => "受付番号",
            (IdentityFact::ReferenceCode, Lang::En) => "Reference code",
            (IdentityFact::PostalCode, Lang::Ja) => "郵便番号",
            (IdentityFact::PostalCode, Lang::En) => "Postal code",
            (IdentityFact::Phone, Lang::Ja) => "電話番号",
            (IdentityFact::Phone, Lang::En) => "Phone number",
            (IdentityFact::CardLast4, Lang::Ja) => "カード下4桁",
            (IdentityFact::CardLast4, Lang::En) => "Card last 4",
        }
    }

    /// A timeline entry's code in words, where it is one of the fixed codes (states, fields, channels).
    pub fn timeline_code(self, code: &str) -> Option<&'static str> {
        let ja = self != Lang::En;
        Some(match code {
            "passed" => {
                if ja {
                    "一致（本人確認済み）"
                } else {
                    "passed"
                }
            }
            "failed" => {
                if ja {
                    "不一致"
                } else {
                    "failed"
                }
            }
            "imported" => {
                if ja {
                    "顧客リストから取込"
                } else {
                    "imported from the customer list"
                }
            }
            "queued" => {
                if ja {
                    "送付待ち"
                } else {
                    "queued"
                }
            }
            "sending" => {
                if ja {
                    "送信中"
                } else {
                    "sending"
                }
            }
            "sent" => {
                if ja {
                    "送付済み"
                } else {
                    "sent"
                }
            }
            "failed_temporary" => {
                if ja {
                    "一時的な送信失敗"
                } else {
                    "temporary failure"
                }
            }
            "failed_permanent" => {
                if ja {
                    "送信失敗"
                } else {
                    "failed"
                }
            }
            "bounced" => {
                if ja {
                    "不達"
                } else {
                    "bounced"
                }
            }
            "returned" => {
                if ja {
                    "返送"
                } else {
                    "returned"
                }
            }
            "cancelled" => {
                if ja {
                    "取消"
                } else {
                    "cancelled"
                }
            }
            "open" => {
                if ja {
                    "未対応"
                } else {
                    "open"
                }
            }
            "done" => {
                if ja {
                    "完了"
                } else {
                    "done"
                }
            }
            "acknowledged" => {
                if ja {
                    "確認済み"
                } else {
                    "acknowledged"
                }
            }
            "resolved" => {
                if ja {
                    "解決済み"
                } else {
                    "resolved"
                }
            }
            "address" => {
                if ja {
                    "住所"
                } else {
                    "address"
                }
            }
            "email" => {
                if ja {
                    "メール"
                } else {
                    "email"
                }
            }
            "letter" => {
                if ja {
                    "お詫び状"
                } else {
                    "letter"
                }
            }
            _ => return None,
        })
    }

    pub fn timeline_label(self, kind: TimelineKind) -> &'static str {
        let ja = self != Lang::En;
        match kind {
            TimelineKind::Imported => {
                if ja {
                    "取込"
                } else {
                    "Imported"
                }
            }
            TimelineKind::Letter => {
                if ja {
                    "お詫び状"
                } else {
                    "Letter"
                }
            }
            TimelineKind::Email => {
                if ja {
                    "メール"
                } else {
                    "Email"
                }
            }
            TimelineKind::Call => {
                if ja {
                    "通話"
                } else {
                    "Call"
                }
            }
            TimelineKind::Callback => {
                if ja {
                    "折り返し"
                } else {
                    "Callback"
                }
            }
            TimelineKind::IdentityCheck => {
                if ja {
                    "本人確認"
                } else {
                    "Identity check"
                }
            }
            TimelineKind::CaseEvent => {
                if ja {
                    "再発行・返金"
                } else {
                    "Reissue / refund"
                }
            }
            TimelineKind::ContactChange => {
                if ja {
                    "住所・メール訂正"
                } else {
                    "Contact corrected"
                }
            }
            TimelineKind::ResendRequest => {
                if ja {
                    "再送依頼"
                } else {
                    "Resend requested"
                }
            }
            TimelineKind::Escalation => {
                if ja {
                    "エスカレーション"
                } else {
                    "Escalation"
                }
            }
        }
    }
}
