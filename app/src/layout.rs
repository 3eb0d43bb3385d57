//! The staff layout: header with the incident's name, role-aware navigation, language switch, sign-out.

use breachdesk::role::Role;
use breachdesk::staff::StaffMember;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::use_location;

use crate::api::shell::load_shell_info;
use crate::context::texts;
use crate::i18n::Lang;
use crate::routes::staff_page_capability;

/// A navigation entry; whether a role sees it follows the page's capability.
struct NavItem {
    href: &'static str,
    /// By language rather than from the main `Texts`, so a feature's own text table can name its page.
    label: fn(Lang) -> &'static str,
}

const NAVIGATION: &[NavItem] = &[
    NavItem {
        href: "/",
        label: |lang| lang.texts().nav_home,
    },
    NavItem {
        href: "/customers",
        label: |lang| lang.texts().nav_customers,
    },
    NavItem {
        href: "/calls",
        label: |lang| lang.calls_texts().nav_calls,
    },
    NavItem {
        href: "/callbacks",
        label: |lang| lang.calls_texts().nav_callbacks,
    },
    NavItem {
        href: "/dashboard",
        label: |lang| lang.case_texts().nav_dashboard,
    },
    NavItem {
        href: "/escalations",
        label: |lang| lang.calls_texts().nav_escalations,
    },
    NavItem {
        href: "/import",
        label: |lang| lang.texts().nav_import,
    },
    NavItem {
        href: "/templates",
        label: |lang| lang.templates_texts().nav,
    },
    NavItem {
        href: "/letters",
        label: |lang| lang.letters_texts().nav,
    },
    NavItem {
        href: "/campaigns",
        label: |lang| lang.campaigns_texts().nav,
    },
    NavItem {
        href: "/case-updates",
        label: |lang| lang.case_texts().nav_case_updates,
    },
    NavItem {
        href: "/reports",
        label: |lang| lang.case_texts().nav_reports,
    },
    NavItem {
        href: "/status-lookups",
        label: |lang| lang.status_texts().nav,
    },
    NavItem {
        href: "/audit",
        label: |lang| lang.audit_texts().nav,
    },
    NavItem {
        href: "/staff",
        label: |lang| lang.texts().nav_staff,
    },
    NavItem {
        href: "/settings",
        label: |lang| lang.texts().nav_settings,
    },
    NavItem {
        href: "/account",
        label: |lang| lang.texts().nav_account,
    },
];

#[component]
pub fn StaffLayout() -> impl IntoView {
    let info = Resource::new_blocking(|| (), |_| load_shell_info());
    let t = texts();
    view! {
        <a class="skip-link" href="#main">{t.skip_to_content}</a>
        <Suspense fallback=move || view! { <p class="loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(info) => match info.staff {
                        Some(staff) => Either::Left(view! {
                            <Header staff incident_title=info.incident_title />
                            <main id="main" class="page">
                                <Outlet />
                            </main>
                        }),
                        None => Either::Right(view! { <SignInPrompt /> }),
                    },
                    Err(_) => Either::Right(view! { <SignInPrompt /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SignInPrompt() -> impl IntoView {
    let t = texts();
    view! {
        <main id="main" class="page narrow">
            <p>{t.session_expired}</p>
            <p><a href="/login">{t.sign_in}</a></p>
        </main>
    }
}

#[component]
fn Header(staff: StaffMember, incident_title: Option<String>) -> impl IntoView {
    let t = texts();
    let lang = crate::context::lang();
    let role: Role = staff.role;
    let items = NAVIGATION
        .iter()
        .filter(|item| staff_page_capability(item.href).is_some_and(|capability| role.may(capability)))
        .map(|item| view! { <li><A href=item.href exact=true>{(item.label)(lang)}</A></li> })
        .collect_view();
    view! {
        <header class="site-header">
            <div class="brand">
                <span class="product">{t.product}</span>
                <span class="incident" data-testid="incident-title">
                    {incident_title.unwrap_or_else(|| t.no_incident.to_owned())}
                </span>
            </div>
            <nav aria-label=t.nav_label class="main-nav" data-testid="main-nav">
                <ul>{items}</ul>
            </nav>
            <div class="who">
                <span class="visually-hidden">{t.signed_in_as}</span>
                <span data-testid="staff-name">{staff.display_name}</span>
                <span class="role-badge" data-testid="staff-role">{t.role(role)}</span>
                <LanguageSwitch />
                <form method="post" action="/auth/logout" class="inline">
                    <button type="submit" class="link-button" data-testid="sign-out">{t.sign_out}</button>
                </form>
            </div>
        </header>
    }
}

/// A plain form post, so switching works before (or without) the wasm bundle.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let t = texts();
    let other = match crate::context::lang() {
        Lang::Ja => Lang::En,
        Lang::En => Lang::Ja,
    };
    let location = use_location();
    let back = move || {
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    };
    view! {
        <form method="post" action="/lang" class="inline">
            <input type="hidden" name="lang" value=other.code() />
            <input type="hidden" name="back" value=back />
            <button type="submit" class="link-button" lang=other.code() data-testid="switch-language">
                {t.switch_language}
            </button>
        </form>
    }
}
