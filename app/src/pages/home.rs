//! The incident overview every staff member starts from: the facts to hand when the phone rings.

use breachdesk::calendar::status::ClosedReasonCode;
use breachdesk::incident::IncidentProfile;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::hotline::{HotlineNow, load_hotline_now};
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
        <HotlineLine />
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

/// Whether the hotline is open now, and if not why and when it opens; agents answer callers from it.
#[component]
fn HotlineLine() -> impl IntoView {
    // Blocking: the line is in the first HTML, for browsers without JavaScript too.
    let now = Resource::new_blocking(|| (), |_| load_hotline_now());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match now.await {
                    Ok(now) => Either::Left(view! { <HotlineState now /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HotlineState(now: HotlineNow) -> impl IntoView {
    let t = texts();
    let status = now.status;
    let state = if status.open {
        format!(
            "{} {}",
            t.hotline_open,
            now.closes_at
                .map(|time| (t.hotline_closes_at)(&time))
                .unwrap_or_default()
        )
    } else {
        let reason = match (status.closed_reason, status.closed_reason_name) {
            (_, Some(name)) => name,
            (Some(ClosedReasonCode::Weekend), None) => t.hotline_weekend.to_owned(),
            (Some(_), None) => t.hotline_no_period.to_owned(),
            (None, None) => t.hotline_out_of_hours.to_owned(),
        };
        (t.hotline_closed_because)(&reason)
    };
    let next = now
        .next_opening
        .map(|next| view! { <span class="next">{t.hotline_next_opening}": "{next}</span> });
    let announcement = now.announcement.map(|text| {
        view! { <p class="announcement" data-testid="hotline-announcement">{t.hotline_announcement}": "{text}</p> }
    });
    view! {
        <section class="card hotline-now" class:open=status.open aria-labelledby="hotline-now" data-testid="hotline-now">
            <h2 id="hotline-now">{t.hotline_now_title}</h2>
            <p>
                <strong data-testid="hotline-state">{state}</strong>
                " "
                {next}
            </p>
            <p class="muted" data-testid="hotline-hours">{now.hours_text}</p>
            {announcement}
        </section>
    }
}

/// 6860 → "6,860": counts are read aloud on the phone, so they are grouped.
fn group_thousands(value: u32) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
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
