//! The Calls page: one search box (results while typing, and a plain GET form without JavaScript),
//! the identity check, the call form, and for a verified caller the contact corrections, resend
//! requests and the reissue and refund panel (where a reissue or refund request is recorded).
//! Keyboard only: native controls in reading order.
//!
//! Also the customer timeline, which the customer page shows.

use breachdesk::call::{CallerMatch, CallerView, IdentityFact, LoggedCall, Outcome, TimelineEntry, TimelineKind};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::calls::{
    CallFormData, CheckIdentity, CorrectContact, LogCall, RequestResend, load_call_form, load_caller, load_timeline,
    search_callers,
};
use crate::api::case::{ChangeCase, load_customer_case};
use crate::context::lang;
use crate::pages::{CaseStatusPanel, ErrorNotice, tokyo_time};

/// How long typing must pause before the results follow.
const SEARCH_DELAY: std::time::Duration = std::time::Duration::from_millis(250);

#[component]
pub fn CallsPage() -> impl IntoView {
    let t = lang().calls_texts();
    let query = use_query_map();
    let submitted = move || query.read().get("q").unwrap_or_default();
    let customer = move || query.read().get("customer").and_then(|id| id.parse::<i64>().ok());
    // What is typed, and the same once typing pauses: the results follow the second.
    let typed = RwSignal::new(submitted());
    let settled = RwSignal::new(submitted());
    Effect::new(move |_| {
        let current = typed.get();
        set_timeout(
            move || {
                if typed.get_untracked() == current {
                    settled.set(current);
                }
            },
            SEARCH_DELAY,
        );
    });
    let results = Resource::new(move || settled.get(), search_callers);
    // Type-erased pieces: the page's whole view type is too deep for the compiler otherwise.
    let search_form = view! {
        <form method="get" action="/calls" class="search-form" role="search">
            <label for="call-search">{t.search_label}</label>
            <input id="call-search" name="q" type="search" autocomplete="off" autofocus
                prop:value=move || typed.get() value=submitted
                on:input:target=move |ev| typed.set(ev.target().value())
                aria-describedby="call-search-hint" aria-controls="call-results" data-testid="call-search" />
            <button type="submit" class="primary">{t.search}</button>
            <span class="hint" id="call-search-hint">{t.search_hint}</span>
        </form>
    }
    .into_any();
    let found = view! {
        <div id="call-results" aria-live="polite">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(found) => view! { <CallerResults found searched=!settled.get_untracked().trim().is_empty() /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
    .into_any();
    let panel = move || match customer() {
        Some(id) => view! { <CallerPanel id /> }.into_any(),
        None => view! {
            <section class="card" aria-labelledby="call-form-heading">
                <h2 id="call-form-heading">{t.no_customer}</h2>
                <p class="hint">{t.no_customer_hint}</p>
                <CallForm customer_id=None />
            </section>
        }
        .into_any(),
    };
    view! {
        <Title text=t.title />
        <h1>{t.title}</h1>
        {search_form}
        {found}
        {panel}
    }
}

#[component]
fn CallerResults(found: Vec<CallerMatch>, searched: bool) -> impl IntoView {
    let t = lang().calls_texts();
    if found.is_empty() {
        return Either::Left(
            searched.then(|| view! { <p class="notice" data-testid="call-no-match">{t.no_match}</p> }),
        );
    }
    let rows = found
        .into_iter()
        .map(|caller| {
            let href = format!("/calls?customer={}", caller.id);
            view! {
                <tr data-testid="caller-row">
                    <td><a href=href data-testid="caller-choose">{caller.name.clone()}</a>
                        {caller.name_kana.map(|kana| view! { <br /><span class="muted">{kana}</span> })}</td>
                    <td><code>{caller.reference_code}</code></td>
                    <td class="card-mask">{caller.card.to_string()}</td>
                    <td>"〒"{caller.postal_code}</td>
                    <td class="phone">{caller.phone}</td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <div class="table-wrap">
            <table class="data compact" data-testid="caller-results">
                <caption>{t.results}</caption>
                <thead><tr>
                    <th scope="col">{t.caller}</th>
                    <th scope="col">{lang().texts().customers_reference_code}</th>
                    <th scope="col">{lang().texts().customers_card}</th>
                    <th scope="col">{t.postal_code}</th>
                    <th scope="col">{t.phone}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}

/// The chosen caller: masked, then the identity check, then (verified) the details and actions.
#[component]
fn CallerPanel(id: i64) -> impl IntoView {
    let t = lang().calls_texts();
    let check = ServerAction::<CheckIdentity>::new();
    let contact = ServerAction::<CorrectContact>::new();
    let caller = Resource::new(
        move || (check.version().get(), contact.version().get()),
        move |_| load_caller(id),
    );
    view! {
        <Transition fallback=move || view! { <p class="loading">{lang().texts().loading}</p> }>
            {move || Suspend::new(async move {
                match caller.await {
                    Ok(view) => Either::Left(view! { <CallerCard view check contact /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="call-form-heading">
            <h2 id="call-form-heading">{t.call_heading}</h2>
            <CallForm customer_id=Some(id) />
        </section>
    }
}

#[component]
fn CallerCard(
    view: CallerView,
    check: ServerAction<CheckIdentity>,
    contact: ServerAction<CorrectContact>,
) -> impl IntoView {
    let lang = lang();
    let t = lang.calls_texts();
    let caller = view.caller.clone();
    let id = caller.id;
    let failed = move || {
        check.value().get().map(|outcome| match outcome {
            Ok(result) if !result.passed() => {
                Some(view! { <p class="notice error" role="alert" data-testid="identity-failed">{(t.not_verified)(result.facts().len())}</p> }.into_any())
            }
            Ok(_) => None,
            Err(error) => Some(view! { <ErrorNotice error /> }.into_any()),
        })
    };
    let returned = view
        .returned_mail
        .then(|| view! { <p class="notice error" data-testid="returned-mail">{t.returned_mail}</p> });
    let body = if view.verified {
        let href = format!("/customers/{id}");
        Either::Left(view! {
            <p class="notice success" role="status" data-testid="identity-verified">{t.verified}
                {(!view.confirmed.is_empty()).then(|| {
                    let facts: Vec<&str> = view.confirmed.iter().map(|fact| lang.identity_fact_label(*fact)).collect();
                    format!("（{}）", facts.join("・"))
                })}
            </p>
            <p><a href=href data-testid="open-customer">{t.open_customer}</a></p>
            {returned}
            <CallerCase id />
            <ContactForms id contact />
            <CallerTimeline id />
        })
    } else {
        let field = move |fact: IdentityFact, name: &'static str, mode: &'static str| {
            let input_id = format!("identity-{name}");
            view! {
                <label for=input_id.clone()>{lang.identity_fact_label(fact)}</label>
                <input id=input_id name=format!("check[{name}]") inputmode=mode autocomplete="off"
                    data-testid=format!("identity-{name}") />
            }
        };
        Either::Right(view! {
            <h3>{t.identity_heading}</h3>
            <p class="hint">{t.identity_hint}</p>
            {failed}
            <ActionForm action=check attr:class="form-grid" attr:data-testid="identity-form">
                <input type="hidden" name="check[customer_id]" value=id.to_string() />
                {field(IdentityFact::ReferenceCode, "reference_code", "text")}
                {field(IdentityFact::PostalCode, "postal_code", "numeric")}
                {field(IdentityFact::Phone, "phone", "tel")}
                {field(IdentityFact::CardLast4, "card_last4", "numeric")}
                <div></div>
                <div><button type="submit" class="primary" data-testid="identity-submit">{t.verify}</button></div>
            </ActionForm>
        })
    };
    view! {
        <section class="card" aria-labelledby="caller-heading" data-testid="caller-card">
            <h2 id="caller-heading">{t.caller}": "{caller.name.clone()}</h2>
            <dl class="facts">
                <dt>{lang.texts().customers_reference_code}</dt><dd><code>{caller.reference_code.clone()}</code></dd>
                <dt>{lang.texts().customers_card}</dt><dd class="card-mask">{caller.card.to_string()}</dd>
                <dt>{t.postal_code}</dt><dd>"〒"{caller.postal_code.clone()}</dd>
                <dt>{t.phone}</dt><dd>{caller.phone.clone()}</dd>
            </dl>
            {body}
        </section>
    }
}

#[component]
fn ContactForms(id: i64, contact: ServerAction<CorrectContact>) -> impl IntoView {
    let t = lang().calls_texts();
    let resend = ServerAction::<RequestResend>::new();
    let contact_outcome = move || {
        contact.value().get().map(|outcome| match outcome {
            Ok(()) => Either::Left(
                view! { <p class="notice success" role="status" data-testid="contact-corrected">{t.corrected}</p> },
            ),
            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
        })
    };
    let resend_outcome = move || {
        resend.value().get().map(|outcome| match outcome {
            Ok(()) => Either::Left(view! { <p class="notice success" role="status" data-testid="resend-requested">{t.resend_requested}</p> }),
            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
        })
    };
    view! {
        <details class="correction">
            <summary>{t.contact_heading}</summary>
            {contact_outcome}
            <ActionForm action=contact attr:class="form-grid" attr:data-testid="address-form">
                <input type="hidden" name="contact[customer_id]" value=id.to_string() />
                <input type="hidden" name="contact[field]" value="address" />
                <label for="contact-postal">{t.postal_code}</label>
                <input id="contact-postal" name="contact[postal_code]" inputmode="numeric" required data-testid="contact-postal" />
                <label for="contact-address">{t.address}</label>
                <input id="contact-address" name="contact[address]" required data-testid="contact-address" />
                <div></div>
                <div><button type="submit" class="secondary" data-testid="contact-address-submit">{t.correct_address}</button></div>
            </ActionForm>
            <ActionForm action=contact attr:class="form-grid">
                <input type="hidden" name="contact[customer_id]" value=id.to_string() />
                <input type="hidden" name="contact[field]" value="email" />
                <label for="contact-email">{t.email}</label>
                <input id="contact-email" name="contact[email]" type="email" required />
                <div></div>
                <div><button type="submit" class="secondary">{t.correct_email}</button></div>
            </ActionForm>
            {resend_outcome}
            <ActionForm action=resend>
                <input type="hidden" name="customer_id" value=id.to_string() />
                <input type="hidden" name="channel" value="letter" />
                <button type="submit" class="secondary" data-testid="resend-letter">{t.resend_letter}</button>
            </ActionForm>
            <ActionForm action=resend>
                <input type="hidden" name="customer_id" value=id.to_string() />
                <input type="hidden" name="channel" value="email" />
                <button type="submit" class="secondary">{t.resend_email}</button>
            </ActionForm>
        </details>
    }
}

/// The reissue and refund panel of the customer page, so the agent records a request from the call.
#[component]
fn CallerCase(id: i64) -> impl IntoView {
    let change = ServerAction::<ChangeCase>::new();
    let case = Resource::new(move || change.version().get(), move |_| load_customer_case(id));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(case) => view! { <CaseStatusPanel case change /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CallerTimeline(id: i64) -> impl IntoView {
    let timeline = Resource::new(|| (), move |_| load_timeline(id));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match timeline.await {
                    Ok(entries) => Either::Left(view! { <Timeline entries /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
    }
}

/// The call form: with a customer or without. After logging it says whether the call was in
/// hours, whether notes were masked, and when the callback is due.
#[component]
fn CallForm(customer_id: Option<i64>) -> impl IntoView {
    let log = ServerAction::<LogCall>::new();
    let form = Resource::new(move || log.version().get(), move |_| load_call_form(customer_id));
    let outcome = move || {
        log.value().get().map(|outcome| match outcome {
            Ok(logged) => Either::Left(view! { <Logged logged /> }),
            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
        })
    };
    view! {
        {outcome}
        <Transition fallback=move || view! { <p class="loading">{lang().texts().loading}</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    // Drawn again after each logged call, so the next call starts from empty fields
                    // (the notes of the last one, masked or not, do not stay on screen).
                    Ok(data) => Either::Left(move || {
                        log.version().get();
                        view! { <CallFields data=data.clone() customer_id log /> }
                    }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn Logged(logged: LoggedCall) -> impl IntoView {
    let t = lang().calls_texts();
    let hours = if logged.in_hours { t.in_hours } else { t.out_of_hours };
    view! {
        <div class="notice success" role="status" data-testid="call-logged">
            <p>{(t.logged)(logged.call_id)}" "<span class="badge" data-testid="call-in-hours" data-in-hours=logged.in_hours.to_string()>{hours}</span></p>
            {(logged.masked > 0).then(|| view! { <p data-testid="call-masked">{(t.masked)(logged.masked)}</p> })}
            {logged.callback_due.map(|due| view! { <p>{t.callback_due}": "<strong data-testid="call-callback-due">{tokyo_time(&due)}</strong></p> })}
            {logged.escalation_id.map(|_| view! { <p data-testid="call-escalated">{t.escalated}</p> })}
        </div>
    }
}

#[component]
fn CallFields(data: CallFormData, customer_id: Option<i64>, log: ServerAction<LogCall>) -> impl IntoView {
    let lang = lang();
    let t = lang.calls_texts();
    let english = lang == crate::i18n::Lang::En;
    let label = move |ja: &str, en: &str| if english { en.to_owned() } else { ja.to_owned() };
    let codes = data
        .dispositions
        .into_iter()
        .map(|group| {
            let category = label(&group.category.label_ja, &group.category.label_en);
            if group.children.is_empty() {
                Either::Left(view! { <option value=group.category.id.to_string()>{category}</option> })
            } else {
                let children = group
                    .children
                    .into_iter()
                    .map(|child| {
                        let name = label(&child.label_ja, &child.label_en);
                        view! { <option value=child.id.to_string()>{name}</option> }
                    })
                    .collect_view();
                Either::Right(view! { <optgroup label=category>{children}</optgroup> })
            }
        })
        .collect_view();
    let outcomes = Outcome::ALL
        .into_iter()
        .map(|outcome| view! { <option value=outcome.code()>{lang.outcome_label(outcome)}</option> })
        .collect_view();
    let callbacks = (!data.callbacks.is_empty()).then(|| {
        let options = data
            .callbacks
            .into_iter()
            .map(|task| {
                let text = format!("#{} {} {}", task.id, tokyo_time(&task.due_at), task.phone);
                view! { <option value=task.id.to_string()>{text}</option> }
            })
            .collect_view();
        view! {
            <label for="call-closes">{t.closes_callback}</label>
            <select id="call-closes" name="call[callback_id]" data-testid="call-closes">
                <option value="">"—"</option>
                {options}
            </select>
        }
    });
    let links = (data.may_view_reports || data.may_manage_dispositions).then(|| {
        view! {
            <p class="muted">
                {data.may_view_reports.then(|| view! { <a href="/calls/report" data-testid="call-report-link">{t.report_title}</a> " " })}
                {data.may_manage_dispositions.then(|| view! { <a href="/dispositions">{t.dispositions_title}</a> })}
            </p>
        }
    });
    view! {
        {links}
        <ActionForm action=log attr:class="form-grid" attr:data-testid="call-form">
            <input type="hidden" name="call[customer_id]" value=customer_id.map(|id| id.to_string()).unwrap_or_default() />
            <label for="call-received">{t.received_at}</label>
            <div>
                <input id="call-received" name="call[received_at]" type="datetime-local" aria-describedby="call-received-hint"
                    data-testid="call-received" />
                <span class="hint" id="call-received-hint">{t.received_hint}</span>
            </div>
            <label for="call-phone">{t.caller_phone}</label>
            <input id="call-phone" name="call[caller_phone]" type="tel" autocomplete="off" data-testid="call-phone" />
            <label for="call-line">{t.line}</label>
            <input id="call-line" name="call[line]" value=data.line data-testid="call-line" />
            <label for="call-category">{t.category}</label>
            <select id="call-category" name="call[disposition]" required data-testid="call-category">{codes}</select>
            <label for="call-notes">{t.notes}</label>
            <div>
                <textarea id="call-notes" name="call[notes]" rows="4" maxlength="2000" aria-describedby="call-notes-hint"
                    data-testid="call-notes"></textarea>
                <span class="hint" id="call-notes-hint">{t.notes_hint}</span>
            </div>
            <label for="call-outcome">{t.outcome}</label>
            <select id="call-outcome" name="call[outcome]" data-testid="call-outcome">{outcomes}</select>
            <label for="call-talk">{t.talk_minutes}</label>
            <input id="call-talk" name="call[talk_minutes]" inputmode="numeric" value="0" data-testid="call-talk" />
            <label for="call-callback-hours">{t.callback_hours}</label>
            <input id="call-callback-hours" name="call[callback_hours]" inputmode="numeric" value="4" data-testid="call-callback-hours" />
            {callbacks}
            <div></div>
            <div><button type="submit" class="primary" data-testid="call-submit">{t.log}</button></div>
        </ActionForm>
    }
}

/// A customer's timeline, newest first, each entry with who and when (Tokyo time).
#[component]
pub fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    let lang = lang();
    let t = lang.calls_texts();
    if entries.is_empty() {
        return Either::Left(view! {
            <section class="card"><h2>{t.timeline}</h2><p class="muted" data-testid="timeline-empty">{t.timeline_empty}</p></section>
        });
    }
    let rows = entries
        .into_iter()
        .map(|entry| {
            let what = describe(&entry);
            view! {
                <tr data-kind=entry.kind.code()>
                    <td>{tokyo_time(&entry.at)}</td>
                    <td>{entry.who.unwrap_or_else(|| t.system.to_owned())}</td>
                    <td>{lang.timeline_label(entry.kind)}</td>
                    <td>{what}</td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <section class="card" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{t.timeline}</h2>
            <div class="table-wrap">
                <table class="data compact" data-testid="timeline">
                    <thead><tr>
                        <th scope="col">{t.when}</th>
                        <th scope="col">{t.who}</th>
                        <th scope="col"></th>
                        <th scope="col">{t.what}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    })
}

/// The entry's code in words, with its text.
fn describe(entry: &TimelineEntry) -> String {
    let lang = lang();
    let code = match entry.kind {
        TimelineKind::Call => {
            Outcome::from_code(&entry.code).map_or(entry.code.clone(), |o| lang.outcome_label(o).to_owned())
        }
        TimelineKind::IdentityCheck => {
            let facts: Vec<&str> = entry
                .text
                .split(',')
                .filter_map(IdentityFact::from_code)
                .map(|fact| lang.identity_fact_label(fact))
                .collect();
            let result = lang.timeline_code(&entry.code).unwrap_or_default();
            return format!("{result} ({})", facts.join(", "));
        }
        TimelineKind::Callback => {
            let state = lang.timeline_code(&entry.code).unwrap_or_default();
            return format!("{state} → {}", tokyo_time(&entry.text));
        }
        TimelineKind::CaseEvent => {
            let state = entry.code.split_once(':').and_then(|(kind, state)| {
                let kind = breachdesk::case::CaseKind::from_code(kind)?;
                breachdesk::case::CaseState::from_code(kind, state)
            });
            state.map_or(entry.code.clone(), |state| lang.state_label(state).to_owned())
        }
        _ => lang
            .timeline_code(&entry.code)
            .map_or_else(|| entry.code.clone(), str::to_owned),
    };
    if entry.text.is_empty() {
        code
    } else {
        format!("{code}: {}", entry.text)
    }
}
