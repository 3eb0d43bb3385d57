//! Every user-visible string, in Japanese (the default) and English.
//!
//! One struct with a field per message: a missing translation or a mistyped key is a compile error.

use serde::{Deserialize, Serialize};

pub mod audit;
pub mod calls;
pub mod campaigns;
pub mod cases;
pub mod letters;
pub mod retention;
pub mod status;
pub mod templates;

/// The reader's language, chosen with the switch in the header and remembered in a cookie.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

/// Name of the cookie that remembers the language.
pub const LANG_COOKIE: &str = "bd_lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// Anything other than `en` is Japanese, the default.
    pub fn from_code(code: &str) -> Lang {
        if code.trim().eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Ja
        }
    }

    /// The language a `Cookie` header asks for.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LANG_COOKIE)
            .map(|(_, value)| Lang::from_code(value))
            .unwrap_or_default()
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }
}

pub struct Texts {
    pub product: &'static str,
    pub skip_to_content: &'static str,
    pub switch_language: &'static str,
    pub other_language_name: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_staff: &'static str,
    pub nav_account: &'static str,
    pub sign_out: &'static str,
    pub signed_in_as: &'static str,
    pub role_agent: &'static str,
    pub role_manager: &'static str,
    pub role_admin: &'static str,
    pub no_incident: &'static str,
    // Sign-in
    pub sign_in_title: &'static str,
    pub sign_in_lead: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub sign_in_failed: &'static str,
    pub signed_out: &'static str,
    pub session_expired: &'static str,
    // Home
    pub home_title: &'static str,
    pub incident_company: &'static str,
    pub incident_shop: &'static str,
    pub incident_period: &'static str,
    pub incident_leaked_items: &'static str,
    pub incident_announced_customers: &'static str,
    pub incident_cause: &'static str,
    pub incident_measures: &'static str,
    pub incident_hotline: &'static str,
    pub incident_status_page: &'static str,
    pub incident_mail_from: &'static str,
    pub incident_reply_to: &'static str,
    pub customers_suffix: &'static str,
    // Staff
    pub staff_title: &'static str,
    pub staff_lead: &'static str,
    pub staff_display_name: &'static str,
    pub staff_role: &'static str,
    pub staff_state: &'static str,
    pub staff_active: &'static str,
    pub staff_disabled: &'static str,
    pub staff_actions: &'static str,
    pub staff_create_title: &'static str,
    pub staff_create: &'static str,
    pub staff_initial_password_hint: &'static str,
    pub staff_created: &'static str,
    pub staff_password_once: &'static str,
    pub staff_disable: &'static str,
    pub staff_enable: &'static str,
    pub staff_reset_password: &'static str,
    pub staff_password_reset_done: &'static str,
    pub staff_cannot_disable_self: &'static str,
    // Account
    pub account_title: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub change_password: &'static str,
    pub password_changed: &'static str,
    pub current_password_wrong: &'static str,
    // Errors
    pub error_title: &'static str,
    pub error_not_found: &'static str,
    pub error_forbidden: &'static str,
    pub error_unauthenticated: &'static str,
    pub error_internal: &'static str,
    pub error_request: &'static str,
    pub error_email_malformed: &'static str,
    pub error_display_name_missing: &'static str,
    pub error_display_name_too_long: &'static str,
    /// Any free-text field holding a control or direction character (`breachdesk::text`).
    pub error_hidden_characters: &'static str,
    pub error_text_too_long: &'static str,
    pub error_search_too_long: &'static str,
    pub error_password_too_short: &'static str,
    pub error_password_too_long: &'static str,
    pub error_email_taken: &'static str,
    pub error_role_unknown: &'static str,
    pub back_home: &'static str,
    pub loading: &'static str,
    // Settings: incident profile and hotline schedule (issue 3)
    pub nav_settings: &'static str,
    pub settings_title: &'static str,
    pub settings_save: &'static str,
    pub incident_settings_title: &'static str,
    pub incident_representative: &'static str,
    pub incident_shop_url: &'static str,
    pub incident_title_label: &'static str,
    pub incident_affected_from: &'static str,
    pub incident_affected_until: &'static str,
    pub incident_hotline_name: &'static str,
    pub incident_hotline_number: &'static str,
    pub incident_letter_sender: &'static str,
    pub incident_saved: &'static str,
    pub incident_field_required: fn(&str) -> String,
    pub incident_field_date: fn(&str) -> String,
    pub incident_field_mail_address: fn(&str) -> String,
    pub incident_count_invalid: &'static str,
    pub incident_period_backwards: &'static str,
    pub schedule_title: &'static str,
    pub schedule_lead: &'static str,
    pub schedule_periods: &'static str,
    pub schedule_from: &'static str,
    pub schedule_until: &'static str,
    pub schedule_until_hint: &'static str,
    pub schedule_holidays_closed: &'static str,
    pub weekdays: [&'static str; 7],
    pub schedule_closures: &'static str,
    pub schedule_name: &'static str,
    pub schedule_first_day: &'static str,
    pub schedule_last_day: &'static str,
    pub schedule_openings: &'static str,
    pub schedule_date: &'static str,
    pub schedule_hours: &'static str,
    pub schedule_holidays: &'static str,
    pub schedule_holidays_off: &'static str,
    pub schedule_holidays_added: &'static str,
    pub schedule_holidays_hint: &'static str,
    pub schedule_new_row: &'static str,
    pub schedule_saved: &'static str,
    pub schedule_period_place: fn(usize) -> String,
    pub schedule_closure_place: fn(usize) -> String,
    pub schedule_opening_place: fn(usize) -> String,
    pub schedule_bad_date: fn(&str, &str, &str) -> String,
    pub schedule_bad_hours: fn(&str, &str, &str) -> String,
    pub schedule_error: fn(&breachdesk::calendar::schedule::ScheduleError) -> String,
    pub hotline_now_title: &'static str,
    pub hotline_open: &'static str,
    pub hotline_closed_because: fn(&str) -> String,
    pub hotline_closes_at: fn(&str) -> String,
    pub hotline_next_opening: &'static str,
    pub hotline_weekend: &'static str,
    pub hotline_no_period: &'static str,
    pub hotline_out_of_hours: &'static str,
    pub hotline_announcement: &'static str,
    // Customers and import (issue 4)
    pub nav_customers: &'static str,
    pub nav_import: &'static str,
    pub customers_title: &'static str,
    pub customers_search_label: &'static str,
    pub customers_search: &'static str,
    pub customers_search_hint: &'static str,
    pub customers_none: &'static str,
    pub customers_count: fn(u64, u32, u32) -> String,
    pub customers_reference_code: &'static str,
    pub customers_name: &'static str,
    pub customers_card: &'static str,
    pub customers_address: &'static str,
    pub customers_phone: &'static str,
    pub customers_pages: &'static str,
    pub customers_previous: &'static str,
    pub customers_next: &'static str,
    pub import_title: &'static str,
    pub import_lead: &'static str,
    pub import_upload_title: &'static str,
    pub import_file: &'static str,
    pub import_file_hint: &'static str,
    pub import_encoding: &'static str,
    pub import_encoding_auto: &'static str,
    pub import_dry_run: &'static str,
    pub import_preview_title: &'static str,
    pub import_columns: &'static str,
    pub import_new: &'static str,
    pub import_updated: &'static str,
    pub import_unchanged: &'static str,
    pub import_rejected: &'static str,
    pub import_problems: &'static str,
    pub import_row: &'static str,
    pub import_column: &'static str,
    pub import_reason: &'static str,
    pub import_allow_partial: &'static str,
    pub import_confirm: &'static str,
    pub import_done: fn(&str) -> String,
    pub import_expired: &'static str,
    pub import_history: &'static str,
    pub import_none_yet: &'static str,
    pub import_when: &'static str,
    pub import_who: &'static str,
    pub import_by_command_line: &'static str,
    pub import_report: &'static str,
    pub import_error_no_file: &'static str,
    pub import_error_too_large: &'static str,
    pub import_error_empty: &'static str,
    pub import_error_duplicate_column: &'static str,
    pub import_error_missing_columns: fn(&str) -> String,
    pub import_error_undecodable: fn(u64) -> String,
    pub import_error_rejected: &'static str,
    pub import_error_unreadable: &'static str,
}

pub const JA: Texts = Texts {
    product: "BreachDesk",
    skip_to_content: "本文へ移動",
    switch_language: "English",
    other_language_name: "English",
    nav_label: "メインメニュー",
    nav_home: "概要",
    nav_staff: "スタッフ",
    nav_account: "アカウント",
    sign_out: "ログアウト",
    signed_in_as: "ログイン中",
    role_agent: "オペレーター",
    role_manager: "マネージャー",
    role_admin: "管理者",
    no_incident: "事案が登録されていません",
    sign_in_title: "スタッフログイン",
    sign_in_lead: "対応窓口スタッフ専用です。お客様は受付番号で状況をご確認ください。",
    email: "メールアドレス",
    password: "パスワード",
    sign_in: "ログイン",
    sign_in_failed: "メールアドレスまたはパスワードが正しくありません。",
    signed_out: "ログアウトしました。",
    session_expired: "ログインしてください。",
    home_title: "事案の概要",
    incident_company: "会社名",
    incident_shop: "サイト",
    incident_period: "対象期間",
    incident_leaked_items: "流出した情報",
    incident_announced_customers: "公表件数",
    incident_cause: "原因",
    incident_measures: "対応と再発防止策",
    incident_hotline: "専用窓口",
    incident_status_page: "お客様向け状況確認ページ",
    incident_mail_from: "メールの差出人（From）",
    incident_reply_to: "メールの返信先（Reply-To）",
    customers_suffix: "件",
    staff_title: "スタッフ管理",
    staff_lead: "アカウントの作成・無効化・パスワード再設定を行います。",
    staff_display_name: "表示名",
    staff_role: "権限",
    staff_state: "状態",
    staff_active: "有効",
    staff_disabled: "無効",
    staff_actions: "操作",
    staff_create_title: "アカウントを作成",
    staff_create: "作成する",
    staff_initial_password_hint: "空欄なら安全なパスワードを自動生成します（12文字以上）。",
    staff_created: "アカウントを作成しました。",
    staff_password_once: "初期パスワード（この画面でのみ表示されます）",
    staff_disable: "無効にする",
    staff_enable: "有効にする",
    staff_reset_password: "パスワード再設定",
    staff_password_reset_done: "パスワードを再設定しました。",
    staff_cannot_disable_self: "自分のアカウントは無効にできません。",
    account_title: "アカウント",
    current_password: "現在のパスワード",
    new_password: "新しいパスワード（12文字以上）",
    change_password: "パスワードを変更",
    password_changed: "パスワードを変更しました。他の端末のログインは終了しました。",
    current_password_wrong: "現在のパスワードが正しくありません。",
    error_title: "エラー",
    error_not_found: "ページが見つかりません。",
    error_forbidden: "この操作を行う権限がありません。",
    error_unauthenticated: "ログインが必要です。",
    error_internal: "サーバーでエラーが発生しました。時間をおいて再度お試しください。",
    error_request: "通信に失敗しました。接続を確認して再度お試しください。",
    error_email_malformed: "メールアドレスの形式が正しくありません。",
    error_display_name_missing: "表示名を入力してください。",
    error_display_name_too_long: "表示名は60文字以内で入力してください。",
    error_hidden_characters: "制御文字や文字の向きを変える記号（U+202E など）が含まれています。取り除いてください。",
    error_text_too_long: "4,000文字以内で入力してください。",
    error_search_too_long: "検索語は200文字以内で入力してください。",
    error_password_too_short: "パスワードは12文字以上にしてください。",
    error_password_too_long: "パスワードが長すぎます。",
    error_email_taken: "このメールアドレスのアカウントは既にあります。",
    error_role_unknown: "権限を選択してください。",
    back_home: "概要へ戻る",
    loading: "読み込み中…",
    nav_settings: "設定",
    settings_title: "設定",
    settings_save: "保存する",
    incident_settings_title: "事案の情報",
    incident_representative: "代表者",
    incident_shop_url: "サイトのURL",
    incident_title_label: "お知らせの表題",
    incident_affected_from: "対象期間（開始）",
    incident_affected_until: "対象期間（終了）",
    incident_hotline_name: "窓口の名称",
    incident_hotline_number: "窓口の電話番号",
    incident_letter_sender: "書状の差出人",
    incident_saved: "事案の情報を保存しました。",
    incident_field_required: |label| format!("{label}を入力してください。"),
    incident_field_date: |label| format!("{label}は 2017-12-29 の形式で入力してください。"),
    incident_field_mail_address: |label| {
        format!("{label}は info@example.co.jp または 会社名 <info@example.co.jp> の形式で入力してください。")
    },
    incident_count_invalid: "公表件数は0以上の整数で入力してください。",
    incident_period_backwards: "対象期間の終了が開始より前になっています。",
    schedule_title: "窓口の受付時間",
    schedule_lead: "受付時間は「9:30-18:30」の形式で、複数あるときはカンマで区切って入力します。空欄の曜日は休みです。期間と期間の間の日は休みになります。保存するとすぐに反映されます。",
    schedule_periods: "期間",
    schedule_from: "開始日",
    schedule_until: "終了日",
    schedule_until_hint: "空欄は終了日なし",
    schedule_holidays_closed: "祝日は休み",
    weekdays: ["月曜", "火曜", "水曜", "木曜", "金曜", "土曜", "日曜"],
    schedule_closures: "臨時休業",
    schedule_name: "名称",
    schedule_first_day: "初日",
    schedule_last_day: "最終日",
    schedule_openings: "臨時受付",
    schedule_date: "日付",
    schedule_hours: "受付時間",
    schedule_holidays: "祝日の修正",
    schedule_holidays_off: "祝日として扱わない日",
    schedule_holidays_added: "追加する祝日",
    schedule_holidays_hint: "1行に1日。追加する祝日は「2018-01-09 創立記念日」のように日付と名称を書きます。",
    schedule_new_row: "新規",
    schedule_saved: "受付時間を保存しました。",
    schedule_period_place: |row| format!("期間{row}"),
    schedule_closure_place: |row| format!("臨時休業{row}"),
    schedule_opening_place: |row| format!("臨時受付{row}"),
    schedule_bad_date: |place, field, text| {
        format!("{place}の{field}「{text}」は日付として読めません（例：2017-12-29）。")
    },
    schedule_bad_hours: |place, field, text| {
        format!("{place}の{field}「{text}」は受付時間として読めません（例：9:30-18:30、複数はカンマ区切り）。")
    },
    schedule_error: schedule_error_ja,
    hotline_now_title: "窓口の状況",
    hotline_open: "受付中",
    hotline_closed_because: |reason| format!("受付時間外（{reason}）"),
    hotline_closes_at: |time| format!("{time}まで"),
    hotline_next_opening: "次の受付開始",
    hotline_weekend: "休業日",
    hotline_no_period: "受付期間外",
    hotline_out_of_hours: "本日の受付は終了または開始前",
    hotline_announcement: "受付時間の変更予定",
    // Customers and import (issue 4)
    nav_customers: "顧客",
    nav_import: "取り込み",
    customers_title: "対象のお客様",
    customers_search_label: "検索",
    customers_search: "検索",
    customers_search_hint: "受付番号・氏名（漢字・カナ、一部でも可）・電話番号・郵便番号・カード下4桁",
    customers_none: "該当するお客様はいません。",
    customers_count: |total, page, pages| format!("{total}件（{page} / {pages}ページ）"),
    customers_reference_code: "受付番号",
    customers_name: "氏名",
    customers_card: "カード",
    customers_address: "住所",
    customers_phone: "電話番号",
    customers_pages: "ページ",
    customers_previous: "← 前へ",
    customers_next: "次へ →",
    import_title: "対象顧客の取り込み",
    import_lead: "調査会社や決済代行会社から受け取った対象顧客の一覧を取り込みます。まず確認し、件数とエラーを見てから取り込みます。",
    import_upload_title: "CSVファイルを選ぶ",
    import_file: "ファイル",
    import_file_hint: "UTF-8またはShift_JISのCSV。カード番号・有効期限・セキュリティコードは読み込み時に破棄され、保存されません。",
    import_encoding: "文字コード",
    import_encoding_auto: "自動判定",
    import_dry_run: "確認する（まだ取り込みません）",
    import_preview_title: "確認結果",
    import_columns: "認識した列",
    import_new: "新規",
    import_updated: "更新",
    import_unchanged: "変更なし",
    import_rejected: "エラー",
    import_problems: "エラーのある行",
    import_row: "行",
    import_column: "列",
    import_reason: "理由",
    import_allow_partial: "エラーの行を除いて取り込む",
    import_confirm: "取り込む",
    import_done: |id| format!("取り込みました（取り込み番号 {id}）。"),
    import_expired: "確認結果の有効期限が切れました。もう一度ファイルを選んでください。",
    import_history: "これまでの取り込み",
    import_none_yet: "まだ取り込みはありません。",
    import_when: "日時",
    import_who: "実行者",
    import_by_command_line: "コマンド",
    import_report: "レポート",
    import_error_no_file: "ファイルを選んでください。",
    import_error_too_large: "ファイルが大きすぎます。大きなファイルはコマンド breachdesk import customers で取り込んでください。",
    import_error_empty: "ファイルが空です（見出し行がありません）。",
    import_error_duplicate_column: "同じ項目の列が2つあります。どちらか一方にしてください。",
    import_error_missing_columns: |columns| format!("必須の列がありません: {columns}"),
    import_error_undecodable: |line| {
        format!("{line}行目付近に読めない文字があります。文字コードを選び直してください。")
    },
    import_error_rejected: "エラーの行があります。エラーの行を除いて取り込む場合はチェックを入れてください。",
    import_error_unreadable: "ファイルを読み込めませんでした。",
};

pub const EN: Texts = Texts {
    product: "BreachDesk",
    skip_to_content: "Skip to content",
    switch_language: "日本語",
    other_language_name: "日本語",
    nav_label: "Main menu",
    nav_home: "Overview",
    nav_staff: "Staff",
    nav_account: "Account",
    sign_out: "Sign out",
    signed_in_as: "Signed in as",
    role_agent: "Agent",
    role_manager: "Manager",
    role_admin: "Admin",
    no_incident: "No incident has been set up",
    sign_in_title: "Staff sign-in",
    sign_in_lead: "For hotline staff only. Customers check their status with their reference code.",
    email: "Email address",
    password: "Password",
    sign_in: "Sign in",
    sign_in_failed: "The email address or password is not correct.",
    signed_out: "You have signed out.",
    session_expired: "Please sign in.",
    home_title: "Incident overview",
    incident_company: "Company",
    incident_shop: "Shop",
    incident_period: "Affected period",
    incident_leaked_items: "Leaked data",
    incident_announced_customers: "Announced customers",
    incident_cause: "Cause",
    incident_measures: "Response and prevention",
    incident_hotline: "Hotline",
    incident_status_page: "Customer status page",
    incident_mail_from: "Email sender (From)",
    incident_reply_to: "Email replies go to (Reply-To)",
    customers_suffix: "",
    staff_title: "Staff accounts",
    staff_lead: "Create, disable and reset staff accounts.",
    staff_display_name: "Display name",
    staff_role: "Role",
    staff_state: "State",
    staff_active: "Active",
    staff_disabled: "Disabled",
    staff_actions: "Actions",
    staff_create_title: "Create an account",
    staff_create: "Create",
    staff_initial_password_hint: "Leave empty to generate a strong password (at least 12 characters).",
    staff_created: "The account was created.",
    staff_password_once: "Initial password (shown only on this screen)",
    staff_disable: "Disable",
    staff_enable: "Enable",
    staff_reset_password: "Reset password",
    staff_password_reset_done: "The password was reset.",
    staff_cannot_disable_self: "You cannot disable your own account.",
    account_title: "Account",
    current_password: "Current password",
    new_password: "New password (at least 12 characters)",
    change_password: "Change password",
    password_changed: "Your password was changed. Sessions on other devices were ended.",
    current_password_wrong: "The current password is not correct.",
    error_title: "Error",
    error_not_found: "Page not found.",
    error_forbidden: "You are not allowed to do this.",
    error_unauthenticated: "Please sign in.",
    error_internal: "Something went wrong on the server. Please try again later.",
    error_request: "The request failed. Check the connection and try again.",
    error_email_malformed: "The email address is malformed.",
    error_display_name_missing: "Enter a display name.",
    error_display_name_too_long: "The display name must be at most 60 characters.",
    error_hidden_characters: "This contains a control character or a direction override (such as U+202E). Remove it.",
    error_text_too_long: "At most 4,000 characters.",
    error_search_too_long: "A search term may be at most 200 characters.",
    error_password_too_short: "The password must be at least 12 characters.",
    error_password_too_long: "The password is too long.",
    error_email_taken: "An account with this email address already exists.",
    error_role_unknown: "Choose a role.",
    back_home: "Back to the overview",
    loading: "Loading…",
    nav_settings: "Settings",
    settings_title: "Settings",
    settings_save: "Save",
    incident_settings_title: "Incident",
    incident_representative: "Representative",
    incident_shop_url: "Shop URL",
    incident_title_label: "Notice title",
    incident_affected_from: "Affected from",
    incident_affected_until: "Affected until",
    incident_hotline_name: "Hotline name",
    incident_hotline_number: "Hotline number",
    incident_letter_sender: "Letter sender",
    incident_saved: "The incident was saved.",
    incident_field_required: |label| format!("Enter the {}.", label.to_lowercase()),
    incident_field_date: |label| format!("{label}: enter a date like 2017-12-29."),
    incident_field_mail_address: |label| {
        format!("{label}: enter an address like info@example.co.jp or Company <info@example.co.jp>.")
    },
    incident_count_invalid: "Enter the announced customers as a whole number.",
    incident_period_backwards: "The affected period ends before it starts.",
    schedule_title: "Hotline hours",
    schedule_lead: "Enter hours as 9:30-18:30, several separated by commas. A day left blank is closed, and so are the days between periods. A saved change applies at once.",
    schedule_periods: "Periods",
    schedule_from: "From",
    schedule_until: "Until",
    schedule_until_hint: "blank: no end",
    schedule_holidays_closed: "Closed on national holidays",
    weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    schedule_closures: "Closures",
    schedule_name: "Name",
    schedule_first_day: "First day",
    schedule_last_day: "Last day",
    schedule_openings: "Extra openings",
    schedule_date: "Date",
    schedule_hours: "Hours",
    schedule_holidays: "Holiday corrections",
    schedule_holidays_off: "Holidays that do not count",
    schedule_holidays_added: "Added holidays",
    schedule_holidays_hint: "One day per line. Write added holidays as a date and a name, e.g. 2018-01-09 Founding day.",
    schedule_new_row: "New",
    schedule_saved: "The hotline hours were saved.",
    schedule_period_place: |row| format!("Period {row}"),
    schedule_closure_place: |row| format!("Closure {row}"),
    schedule_opening_place: |row| format!("Extra opening {row}"),
    schedule_bad_date: |place, field, text| format!("{place}, {field}: {text:?} is not a date like 2017-12-29."),
    schedule_bad_hours: |place, field, text| {
        format!("{place}, {field}: {text:?} is not hours like 9:30-18:30 (separate several with commas).")
    },
    schedule_error: schedule_error_en,
    hotline_now_title: "Hotline now",
    hotline_open: "Open",
    hotline_closed_because: |reason| format!("Closed ({reason})"),
    hotline_closes_at: |time| format!("until {time}"),
    hotline_next_opening: "Opens next",
    hotline_weekend: "Closed day",
    hotline_no_period: "Outside the hotline's periods",
    hotline_out_of_hours: "Outside today's hours",
    hotline_announcement: "Coming change of hours",
    // Customers and import (issue 4)
    nav_customers: "Customers",
    nav_import: "Import",
    customers_title: "Affected customers",
    customers_search_label: "Search",
    customers_search: "Search",
    customers_search_hint: "Reference code, name (kanji or kana, partial), phone, postal code or card last 4",
    customers_none: "No customer matches.",
    customers_count: |total, page, pages| format!("{total} customers (page {page} of {pages})"),
    customers_reference_code: "Reference code",
    customers_name: "Name",
    customers_card: "Card",
    customers_address: "Address",
    customers_phone: "Phone",
    customers_pages: "Pages",
    customers_previous: "← Previous",
    customers_next: "Next →",
    import_title: "Import affected customers",
    import_lead: "Import the list of affected customers from the investigators or the payment processor. Check it first, read the counts and problems, then import.",
    import_upload_title: "Choose a CSV file",
    import_file: "File",
    import_file_hint: "CSV in UTF-8 or Shift_JIS. Card numbers, expiry dates and security codes are dropped while reading and never stored.",
    import_encoding: "Encoding",
    import_encoding_auto: "Detect",
    import_dry_run: "Check (imports nothing yet)",
    import_preview_title: "Check result",
    import_columns: "Recognised columns",
    import_new: "New",
    import_updated: "Updated",
    import_unchanged: "Unchanged",
    import_rejected: "Rejected",
    import_problems: "Rejected rows",
    import_row: "Row",
    import_column: "Column",
    import_reason: "Reason",
    import_allow_partial: "Import the other rows, leaving out the rejected ones",
    import_confirm: "Import",
    import_done: |id| format!("Imported (import no. {id})."),
    import_expired: "This check has expired. Please choose the file again.",
    import_history: "Imports so far",
    import_none_yet: "Nothing has been imported yet.",
    import_when: "When (Tokyo time)",
    import_who: "By",
    import_by_command_line: "command line",
    import_report: "Report",
    import_error_no_file: "Choose a file.",
    import_error_too_large: "The file is too large. Import large files with the command breachdesk import customers.",
    import_error_empty: "The file is empty: it has no header row.",
    import_error_duplicate_column: "Two columns hold the same data; keep one.",
    import_error_missing_columns: |columns| format!("Required columns are missing: {columns}"),
    import_error_undecodable: |line| {
        format!("Near line {line} there are characters that cannot be read. Choose the other encoding.")
    },
    import_error_rejected: "Some rows were rejected. Tick the box to import the other rows without them.",
    import_error_unreadable: "The file could not be read.",
};

impl Texts {
    pub fn role(&self, role: breachdesk::role::Role) -> &'static str {
        use breachdesk::role::Role;
        match role {
            Role::Agent => self.role_agent,
            Role::Manager => self.role_manager,
            Role::Admin => self.role_admin,
        }
    }
}

/// The schedule's own English message, as a sentence.
fn schedule_error_en(error: &breachdesk::calendar::schedule::ScheduleError) -> String {
    let message = error.to_string();
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => message,
    }
}

/// The schedule's refusals in Japanese; periods and closures are numbered as the Settings page shows them.
fn schedule_error_ja(error: &breachdesk::calendar::schedule::ScheduleError) -> String {
    use breachdesk::calendar::schedule::{HoursOwner, ScheduleError};
    let weekday = |day: time::Weekday| JA.weekdays[usize::from(day.number_days_from_monday())];
    let owner = |at: &HoursOwner| match at {
        HoursOwner::Period {
            index,
            from,
            weekday: day,
        } => format!("期間{}（{from}から）の{}日", index + 1, weekday(*day)),
        HoursOwner::Opening { name, date } => format!("臨時受付「{name}」（{date}）"),
    };
    let range = |range: &breachdesk::calendar::schedule::TimeRange| range.to_string().replace('–', "～");
    match error {
        ScheduleError::PeriodEndsBeforeStart { index, from, until } => {
            format!("期間{}の終了日（{until}）が開始日（{from}）より前です。", index + 1)
        }
        ScheduleError::PeriodsOverlap {
            first,
            first_from,
            second,
            second_from,
        } => format!(
            "期間{}（{first_from}から）と期間{}（{second_from}から）が重なっています。前の期間の終了日を、後の期間の開始日より前にしてください。",
            first + 1,
            second + 1
        ),
        ScheduleError::PeriodWithoutHours { index, from } => format!(
            "期間{}（{from}から）はどの曜日にも受付時間がありません。受付を休むときは期間の間を空けてください。",
            index + 1
        ),
        ScheduleError::ClosingNotAfterOpening { at, range: hours } => {
            format!(
                "{}：終了時刻が開始時刻より後になっていません（{}）。",
                owner(at),
                range(hours)
            )
        }
        ScheduleError::RangesOverlap { at, first, second } => {
            format!("{}：{}と{}が重なっています。", owner(at), range(first), range(second))
        }
        ScheduleError::NotWholeMinute { at, .. } => format!("{}：時刻は分単位で入力してください。", owner(at)),
        ScheduleError::UnnamedClosure { index } => format!("臨時休業{}の名称を入力してください。", index + 1),
        ScheduleError::ClosureEndsBeforeStart {
            name,
            first_day,
            last_day,
        } => {
            format!("臨時休業「{name}」の最終日（{last_day}）が初日（{first_day}）より前です。")
        }
        ScheduleError::ClosuresOverlap { first, second } => {
            format!("臨時休業「{first}」と「{second}」が重なっています。")
        }
        ScheduleError::UnnamedOpening { date } => format!("{date}の臨時受付の名称を入力してください。"),
        ScheduleError::OpeningWithoutHours { name, date } => {
            format!("臨時受付「{name}」（{date}）の受付時間を入力してください。")
        }
        ScheduleError::OpeningsOnSameDay { date } => format!("{date}に臨時受付が2件あります。1件にまとめてください。"),
        ScheduleError::OpeningDuringClosure { opening, date, closure } => {
            format!("臨時受付「{opening}」（{date}）が臨時休業「{closure}」の期間中です。")
        }
        ScheduleError::UnnamedHoliday { date } => format!("{date}に追加する祝日の名称を入力してください。"),
        ScheduleError::HolidayAddedTwice { date } => format!("{date}が祝日として2回追加されています。"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_defaults_to_japanese_without_a_cookie() {
        assert_eq!(Lang::from_cookie_header(""), Lang::Ja);
        assert_eq!(Lang::from_cookie_header("other=1"), Lang::Ja);
    }

    #[test]
    fn the_language_cookie_selects_english() {
        assert_eq!(Lang::from_cookie_header("bd_session=x.y; bd_lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("bd_lang=fr"), Lang::Ja);
    }
}
