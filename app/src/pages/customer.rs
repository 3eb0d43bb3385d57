//! One customer for staff: masked details, the reissue and refund status panel with the changes the
//! role may make, and the history of every change.
//!
//! The status panel is its own component so the call desk (issue 7) can place it beside the call log.
//! Agents see the details, the panel and the timeline only after the caller's identity check on the
//! Calls page; managers and admins always.

use breachdesk::case::{CaseEvent, CaseKind, CaseState, RefundState};
use breachdesk::customers::CustomerSummary;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::calls::{load_caller, load_timeline};
use crate::api::case::{ChangeCase, CustomerCase, load_customer_case};
use crate::context::{lang, texts};
use crate::pages::{ErrorNotice, Timeline};

#[component]
pub fn CustomerPage() -> impl IntoView {
    let t = texts();
    let c = lang().case_texts();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let change = ServerAction::<ChangeCase>::new();
    // The case loads only once the viewer may see it, so an unverified agent gets a notice, not a refusal.
    let case = Resource::new(
        move || (id(), change.version().get()),
        |(id, _)| async move {
            match load_caller(id).await {
                Ok(caller) if !caller.verified => Ok(None),
                Ok(_) => Ok(Some((load_customer_case(id).await?, load_timeline(id).await?))),
                Err(error) => Err(error),
            }
        },
    );
    view! {
        <Title text=c.customer_title />
        <p><a href="/customers">{c.back_to_list}</a></p>
        <h1>{c.customer_title}</h1>
        <Transition fallback=move || view! { <p class="loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(Some((case, entries))) => EitherOf3::A(view! {
                        <CustomerDetails customer=case.customer.clone() may_produce_letters=case.may_produce_letters />
                        <CaseStatusPanel case=case.clone() change />
                        <CaseHistory events=case.events />
                        <Timeline entries />
                    }),
                    Ok(None) => EitherOf3::B(view! { <IdentityRequired id=id() /> }),
                    Err(error) => EitherOf3::C(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
    }
}

/// What an agent sees before the caller's identity is checked.
#[component]
fn IdentityRequired(id: i64) -> impl IntoView {
    let t = lang().calls_texts();
    let href = format!("/calls?customer={id}");
    view! {
        <p class="notice" data-testid="identity-required">{t.identity_required}</p>
        <p><a href=href data-testid="check-identity">{t.check_identity_link}</a></p>
    }
}

#[component]
fn CustomerDetails(customer: CustomerSummary, may_produce_letters: bool) -> impl IntoView {
    let t = texts();
    let c = lang().case_texts();
    let letter = may_produce_letters.then(|| {
        let href = format!("/letters/customer/{}", customer.id);
        view! { <p><a href=href data-testid="letter-link">{c.letter_pdf}</a></p> }
    });
    view! {
        <section class="card" data-testid="customer-details">
            <dl class="facts">
                <dt>{t.customers_reference_code}</dt>
                <dd><code class="reference-code" data-testid="customer-reference">{customer.reference_code}</code></dd>
                <dt>{t.customers_name}</dt>
                <dd>
                    {customer.name}
                    {customer.name_kana.map(|kana| view! { " " <span class="muted">{kana}</span> })}
                </dd>
                <dt>{t.customers_card}</dt>
                <dd class="card-mask">{customer.card.to_string()}</dd>
                <dt>{t.customers_address}</dt>
                <dd>"〒"{customer.postal_code}" "{customer.address}</dd>
                <dt>{t.customers_phone}</dt>
                <dd class="phone">{customer.phone}</dd>
                <dt>{t.email}</dt>
                <dd>{customer.email}</dd>
            </dl>
            {letter}
        </section>
    }
}

/// The customer's reissue and refund state, what the customer is told, and the forms for the
/// changes the signed-in role may make. Reloads through `change`'s version.
#[component]
pub fn CaseStatusPanel(case: CustomerCase, change: ServerAction<ChangeCase>) -> impl IntoView {
    let c = lang().case_texts();
    let outcome = move || {
        change.value().get().map(|outcome| match outcome {
            Ok(_) => Either::Left(
                view! { <p class="notice success" role="status" data-testid="case-recorded">{c.recorded}</p> },
            ),
            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
        })
    };
    let id = case.customer.id;
    let snapshot = case.snapshot;
    view! {
        <section class="card case-panel" aria-labelledby="case-status" data-testid="case-panel">
            <h2 id="case-status">{c.status_heading}</h2>
            {outcome}
            <div class="case-tracks">
                <CaseTrack
                    customer_id=id
                    current=snapshot.state(CaseKind::Reissue)
                    next=case.reissue_next.clone()
                    may_correct=case.may_correct
                    amount=None
                    refunded_on=None
                    change
                />
                <CaseTrack
                    customer_id=id
                    current=snapshot.state(CaseKind::Refund)
                    next=case.refund_next.clone()
                    may_correct=case.may_correct
                    amount=snapshot.refund_amount.map(|amount| amount.to_string())
                    refunded_on=snapshot.refunded_on.map(|day| day.to_string())
                    change
                />
            </div>
        </section>
    }
}

fn explanation(state: CaseState) -> &'static str {
    let english = lang() == crate::i18n::Lang::En;
    match (state, english) {
        (CaseState::Reissue(state), false) => state.explanation_ja(),
        (CaseState::Reissue(state), true) => state.explanation_en(),
        (CaseState::Refund(state), false) => state.explanation_ja(),
        (CaseState::Refund(state), true) => state.explanation_en(),
    }
}

/// Every state of a track other than `current`: the choices of a correction.
fn other_states(current: CaseState) -> Vec<CaseState> {
    let all: Vec<CaseState> = match current {
        CaseState::Reissue(_) => breachdesk::case::ReissueState::ALL
            .into_iter()
            .map(CaseState::Reissue)
            .collect(),
        CaseState::Refund(_) => RefundState::ALL.into_iter().map(CaseState::Refund).collect(),
    };
    all.into_iter().filter(|state| *state != current).collect()
}

#[component]
fn CaseTrack(
    customer_id: i64,
    current: CaseState,
    next: Vec<CaseState>,
    may_correct: bool,
    amount: Option<String>,
    refunded_on: Option<String>,
    change: ServerAction<ChangeCase>,
) -> impl IntoView {
    let lang = lang();
    let c = lang.case_texts();
    let kind = current.kind();
    let kind_code = kind.code();
    let is_refund = kind == CaseKind::Refund;
    let options = move |states: Vec<CaseState>| {
        states
            .into_iter()
            .map(|state| view! { <option value=state.code()>{lang.state_label(state)}</option> })
            .collect_view()
    };
    let form_amount = amount.clone();
    let step_form = if next.is_empty() {
        Either::Left(view! { <p class="muted">{c.no_next_step}</p> })
    } else {
        let field = move |name: &str| format!("{kind_code}-{name}");
        Either::Right(view! {
            <ActionForm action=change attr:class="form-grid" attr:data-testid=format!("case-form-{kind_code}")>
                <input type="hidden" name="change[customer_id]" value=customer_id.to_string() />
                <input type="hidden" name="change[kind]" value=kind_code />
                <label for=field("to")>{c.change}</label>
                <select id=field("to") name="change[to]" data-testid=format!("case-to-{kind_code}")>{options(next)}</select>
                {is_refund.then(|| view! {
                    <label for=field("amount")>{c.amount}</label>
                    <input id=field("amount") name="change[amount]" inputmode="numeric" value=form_amount
                        data-testid=format!("case-amount-{kind_code}") />
                })}
                <label for=field("date")>{c.effective_on}</label>
                <input id=field("date") name="change[effective_on]" type="date" />
                <label for=field("note")>{c.note}</label>
                <input id=field("note") name="change[note]" maxlength="500" data-testid=format!("case-note-{kind_code}") />
                <div></div>
                <div><button type="submit" class="primary" data-testid=format!("case-submit-{kind_code}")>{c.record}</button></div>
            </ActionForm>
        })
    };
    let correction = may_correct.then(|| {
        let field = move |name: &str| format!("{kind_code}-correct-{name}");
        view! {
            <details class="correction">
                <summary>{c.correction}</summary>
                <p class="hint">{c.correction_hint}</p>
                <ActionForm action=change attr:class="form-grid" attr:data-testid=format!("case-correct-{kind_code}")>
                    <input type="hidden" name="change[customer_id]" value=customer_id.to_string() />
                    <input type="hidden" name="change[kind]" value=kind_code />
                    <input type="hidden" name="change[correction]" value="on" />
                    <label for=field("to")>{c.correction_to}</label>
                    <select id=field("to") name="change[to]">{options(other_states(current))}</select>
                    {is_refund.then(|| view! {
                        <label for=field("amount")>{c.amount}</label>
                        <input id=field("amount") name="change[amount]" inputmode="numeric" />
                    })}
                    <label for=field("date")>{c.effective_on}</label>
                    <input id=field("date") name="change[effective_on]" type="date" />
                    <label for=field("note")>{c.reason}</label>
                    <input id=field("note") name="change[note]" required maxlength="500" />
                    <div></div>
                    <div><button type="submit" class="secondary">{c.correct}</button></div>
                </ActionForm>
            </details>
        }
    });
    view! {
        <div class="case-track" data-testid=format!("case-track-{kind_code}")>
            <h3>{lang.kind_label(kind)}</h3>
            <p>
                {c.current}": "
                <strong class="case-state" data-state=current.code() data-testid=format!("case-state-{kind_code}")>
                    {lang.state_label(current)}
                </strong>
                {amount.clone().map(|amount| view! { " " <span data-testid="case-refund-amount">{amount}</span> })}
                {refunded_on.map(|day| view! { " (" {c.refunded_on} " " {day} ")" })}
            </p>
            <p class="hint">{c.customer_words}": "{explanation(current)}</p>
            {step_form}
            {correction}
        </div>
    }
}

#[component]
fn CaseHistory(events: Vec<CaseEvent>) -> impl IntoView {
    let lang = lang();
    let c = lang.case_texts();
    if events.is_empty() {
        return Either::Left(view! {
            <section class="card"><h2>{c.history}</h2><p class="muted" data-testid="case-history-empty">{c.no_events}</p></section>
        });
    }
    let rows = events
        .into_iter()
        .map(|event| {
            let at = event
                .created_at
                .to_offset(breachdesk::calendar::TOKYO)
                .format(time::macros::format_description!(
                    "[year]-[month]-[day] [hour]:[minute]"
                ))
                .unwrap_or_default();
            let who = match (event.staff_name, event.bulk_update_id) {
                (Some(name), Some(id)) => format!("{name} / {}", (c.by_bulk)(id)),
                (Some(name), None) => name,
                (None, Some(id)) => (c.by_bulk)(id),
                (None, None) => c.by_system.to_owned(),
            };
            view! {
                <tr>
                    <td>{at}</td>
                    <td>{who}</td>
                    <td>{lang.kind_label(event.to.kind())}</td>
                    <td>
                        {lang.state_label(event.from)}" → "{lang.state_label(event.to)}
                        {event.correction.then(|| view! { " " <span class="badge">{c.correction_badge}</span> })}
                    </td>
                    <td>{event.effective_on.to_string()}</td>
                    <td class="amount">{event.amount.map(|amount| amount.to_string())}</td>
                    <td>{event.note}</td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <section class="card" aria-labelledby="case-history">
            <h2 id="case-history">{c.history}</h2>
            <div class="table-wrap">
                <table class="data" data-testid="case-history">
                    <thead>
                        <tr>
                            <th scope="col">{c.recorded_at}</th>
                            <th scope="col">{c.who}</th>
                            <th scope="col">{c.track}</th>
                            <th scope="col">{c.change}</th>
                            <th scope="col">{c.effective_on}</th>
                            <th scope="col">{c.amount}</th>
                            <th scope="col">{c.note}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    })
}
