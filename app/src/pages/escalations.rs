//! Escalated calls for the escalation contacts (managers): acknowledge, then resolve with a note.
//! The dashboard shows how many are unresolved.

use breachdesk::call::Escalation;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::calls::{AdvanceEscalation, count_escalations, load_escalations};
use crate::context::lang;
use crate::pages::{ErrorNotice, tokyo_time};

#[component]
pub fn EscalationsPage() -> impl IntoView {
    let t = lang().calls_texts();
    let advance = ServerAction::<AdvanceEscalation>::new();
    let list = Resource::new(move || advance.version().get(), |_| load_escalations());
    let refused = move || {
        advance
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| view! { <ErrorNotice error /> })
    };
    view! {
        <Title text=t.escalations_title />
        <h1>{t.escalations_title}</h1>
        {refused}
        <Transition fallback=move || view! { <p class="loading">{lang().texts().loading}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) if list.is_empty() => EitherOf3::A(view! { <p class="notice" data-testid="escalations-empty">{t.escalations_empty}</p> }),
                    Ok(list) => EitherOf3::B(list.into_iter().map(|escalation| view! { <EscalationCard escalation advance /> }).collect_view()),
                    Err(error) => EitherOf3::C(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn EscalationCard(escalation: Escalation, advance: ServerAction<AdvanceEscalation>) -> impl IntoView {
    let t = lang().calls_texts();
    let id = escalation.id;
    let open = escalation.state == "open";
    let resolved = escalation.state == "resolved";
    let customer = escalation.customer_id.map(|customer| {
        let href = format!("/customers/{customer}");
        view! { <a href=href>{escalation.customer_name.clone().unwrap_or_default()}</a> }
    });
    let note_id = format!("resolution-{id}");
    view! {
        <section class="card" data-testid="escalation" data-state=escalation.state.clone()>
            <h2>"#"{id}" "<span class="badge" data-testid="escalation-state">{(t.escalation_state)(&escalation.state)}</span></h2>
            <dl class="facts">
                <dt>{t.when}</dt><dd>{tokyo_time(&escalation.created_at)}</dd>
                <dt>{t.raised_by}</dt><dd>{escalation.raised_by.clone()}</dd>
                {customer.map(|customer| view! { <dt>{t.customer}</dt><dd>{customer}</dd> })}
                <dt>{t.reason}</dt><dd data-testid="escalation-reason">{escalation.reason.clone()}</dd>
                {escalation.acknowledged_by.clone().map(|name| view! { <dt>{t.acknowledged_by}</dt><dd>{name}</dd> })}
                {escalation.resolved_by.clone().map(|name| view! { <dt>{t.resolved_by}</dt><dd>{name}": "{escalation.resolution.clone()}</dd> })}
            </dl>
            {open.then(|| view! {
                <ActionForm action=advance>
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="step" value="acknowledge" />
                    <button type="submit" class="secondary" data-testid="escalation-acknowledge">{t.acknowledge}</button>
                </ActionForm>
            })}
            {(!resolved).then(|| view! {
                <ActionForm action=advance attr:class="form-grid">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="step" value="resolve" />
                    <label for=note_id.clone()>{t.resolution}</label>
                    <textarea id=note_id name="resolution" rows="2" required maxlength="2000" data-testid="escalation-resolution"></textarea>
                    <div></div>
                    <div><button type="submit" class="primary" data-testid="escalation-resolve">{t.resolve}</button></div>
                </ActionForm>
            })}
        </section>
    }
}

/// The dashboard's notice of unresolved escalations, linking to the list.
#[component]
pub fn OpenEscalationsNotice() -> impl IntoView {
    let t = lang().calls_texts();
    let count = Resource::new(|| (), |_| count_escalations());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                count.await.ok().filter(|count| *count > 0).map(|count| view! {
                    <p class="notice error" role="status" data-testid="open-escalations">
                        <a href="/escalations">{(t.open_escalations)(count)}</a>
                    </p>
                })
            })}
        </Transition>
    }
}
