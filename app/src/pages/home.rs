//! The incident overview every staff member starts from: the facts to hand when the phone rings.

use breachdesk::incident::IncidentProfile;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::incident::load_incident_profile;
use crate::context::texts;
use crate::pages::ErrorNotice;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = texts();
    let profile = Resource::new(|| (), |_| load_incident_profile());
    view! {
        <Title text=t.home_title />
        <h1>{t.home_title}</h1>
        <Suspense fallback=move || view! { <p class="loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(Some(profile)) => EitherOf3::A(view! { <IncidentFacts profile /> }),
                    Ok(None) => EitherOf3::B(view! { <p class="notice">{t.no_incident}</p> }),
                    Err(error) => EitherOf3::C(view! { <ErrorNotice error /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn IncidentFacts(profile: IncidentProfile) -> impl IntoView {
    let t = texts();
    let period = format!("{} – {}", profile.affected_from, profile.affected_until);
    let announced = format!("{}{}", group_thousands(profile.announced_customers), t.customers_suffix);
    let hotline_href = format!("tel:{}", profile.hotline_number.replace('-', ""));
    view! {
        <section class="card" aria-labelledby="incident-title">
            <h2 id="incident-title" data-testid="incident-heading">{profile.title}</h2>
            <dl class="facts">
                <dt>{t.incident_company}</dt><dd>{profile.company_name}</dd>
                <dt>{t.incident_shop}</dt><dd>{profile.shop_name}" "<span class="muted">{profile.shop_url}</span></dd>
                <dt>{t.incident_period}</dt><dd>{period}</dd>
                <dt>{t.incident_leaked_items}</dt><dd>{profile.leaked_items}</dd>
                <dt>{t.incident_announced_customers}</dt><dd>{announced}</dd>
                <dt>{t.incident_hotline}</dt>
                <dd>{profile.hotline_name}" "<a href=hotline_href>{profile.hotline_number}</a></dd>
                <dt>{t.incident_status_page}</dt><dd>{profile.status_page_url}</dd>
                <dt>{t.incident_cause}</dt><dd>{profile.cause_summary}</dd>
                <dt>{t.incident_measures}</dt><dd>{profile.measures_taken}</dd>
            </dl>
        </section>
    }
}

/// 6860 → "6,860": counts are read aloud on the phone, so they are grouped.
fn group_thousands(value: u32) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::group_thousands;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(6_860), "6,860");
        assert_eq!(group_thousands(1_000_000), "1,000,000");
    }
}
