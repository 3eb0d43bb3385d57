//! Every user-visible string, in Japanese (the default) and English.
//!
//! One struct with a field per message: a missing translation or a mistyped key is a compile error.

use serde::{Deserialize, Serialize};

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
        if code.trim().eq_ignore_ascii_case("en") { Lang::En } else { Lang::Ja }
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
    pub error_password_too_short: &'static str,
    pub error_password_too_long: &'static str,
    pub error_email_taken: &'static str,
    pub error_role_unknown: &'static str,
    pub back_home: &'static str,
    pub loading: &'static str,
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
    error_password_too_short: "パスワードは12文字以上にしてください。",
    error_password_too_long: "パスワードが長すぎます。",
    error_email_taken: "このメールアドレスのアカウントは既にあります。",
    error_role_unknown: "権限を選択してください。",
    back_home: "概要へ戻る",
    loading: "読み込み中…",
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
    error_password_too_short: "The password must be at least 12 characters.",
    error_password_too_long: "The password is too long.",
    error_email_taken: "An account with this email address already exists.",
    error_role_unknown: "Choose a role.",
    back_home: "Back to the overview",
    loading: "Loading…",
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
