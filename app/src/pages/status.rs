//! The public status page: the company's notice, the hotline, the FAQ, and a customer's own card
//! reissue and refund status. No staff navigation; plain form posts, so it works without JavaScript.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use breachdesk::status_page::PreferredTime;

use crate::api::status::{HotlineView, StatusMessage, StatusPageView, StatusResult, load_status_page};
use crate::context::{lang, texts};
use crate::i18n::Lang;
use crate::layout::LanguageSwitch;

#[component]
pub fn StatusPage() -> impl IntoView {
    let view = Resource::new_blocking(|| (), |_| load_status_page());
    let t = lang().status_texts();
    view! {
        <Title text=t.title />
        <a class="skip-link" href="#main">{texts().skip_to_content}</a>
        <Suspense fallback=move || view! { <p class="loading">{texts().loading}</p> }>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(page) => Either::Left(view! { <PublicStatus page /> }),
                    Err(_) => Either::Right(view! {
                        <main id="main" class="public-page">
                            <p class="notice error" role="alert">{t.error}</p>
                        </main>
                    }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PublicStatus(page: StatusPageView) -> impl IntoView {
    let t = lang().status_texts();
    let StatusPageView {
        company_name,
        notice_title,
        hotline,
        faq,
        result,
        message,
    } = page;
    let company = company_name.clone();
    let faq = (!faq.is_empty()).then(|| {
        let items = faq
            .into_iter()
            .map(|item| {
                view! {
                    <details class="faq-item">
                        <summary>{item.question}</summary>
                        <p class="pre-line">{item.answer}</p>
                    </details>
                }
            })
            .collect_view();
        view! {
            <section class="card" aria-labelledby="faq-heading" data-testid="status-faq">
                <h2 id="faq-heading">{t.faq_heading}</h2>
                {items}
            </section>
        }
    });
    let body = match result {
        Some(result) => Either::Left(view! { <StatusResultView result message /> }),
        None => Either::Right(view! { <LookupForm message /> }),
    };
    view! {
        <header class="public-header">
            <span class="company" data-testid="status-company">{company}</span>
            <LanguageSwitch />
        </header>
        <main id="main" class="public-page">
            <h1>{t.title}</h1>
            {body}
            {hotline.map(|hotline| view! { <HotlineCard hotline /> })}
            <section class="card" aria-labelledby="notice-heading" data-testid="status-notice">
                <h2 id="notice-heading">{t.notice_heading}</h2>
                <p class="notice-title"><strong>{notice_title}</strong></p>
                <p>{(t.notice_lead)(&company_name)}</p>
                <h3>{t.what_to_do_heading}</h3>
                <ul>{t.what_to_do.iter().map(|line| view! { <li>{*line}</li> }).collect_view()}</ul>
                <div class="phishing" role="note">
                    <h3>{t.phishing_heading}</h3>
                    <p>{t.phishing}</p>
                </div>
            </section>
            {faq}
        </main>
    }
}

#[component]
fn HotlineCard(hotline: HotlineView) -> impl IntoView {
    let t = lang().status_texts();
    let state = if hotline.open {
        view! { <p class="hotline-state open" data-testid="status-hotline-state">{t.hotline_open}</p> }.into_any()
    } else {
        let next = hotline.next_opening.map(|at| (t.hotline_next_opening)(&at));
        let (open_paren, close_paren) = match lang() {
            Lang::Ja => ("（", "）"),
            Lang::En => (" (", ")"),
        };
        view! {
            <p class="hotline-state closed" data-testid="status-hotline-state">
                {t.hotline_closed}{next.map(|next| format!("{open_paren}{next}{close_paren}"))}
            </p>
        }
        .into_any()
    };
    let href = format!("tel:{}", hotline.tel);
    view! {
        <section class="card hotline-card" aria-labelledby="hotline-heading" data-testid="status-hotline">
            <h2 id="hotline-heading">{t.hotline_heading}</h2>
            <p>{hotline.name}</p>
            <p class="hotline-number">
                <a href=href data-testid="status-hotline-number">
                    <span class="visually-hidden">{t.hotline_call}" "</span>
                    {hotline.number}
                </a>
            </p>
            {hotline.hours_text.map(|hours| view! { <p>{hours}</p> })}
            {state}
            {hotline.announcement.map(|text| view! {
                <p class="announcement" data-testid="status-announcement">{t.hotline_announcement}": "{text}</p>
            })}
        </section>
    }
}

fn message_text(message: &StatusMessage) -> String {
    let t = lang().status_texts();
    match message {
        StatusMessage::Mismatch => t.mismatch.to_owned(),
        StatusMessage::Throttled(until) => (t.throttled)(until),
        StatusMessage::InvalidInput { reference, last4 } => {
            [reference.clone(), last4.then(|| t.invalid_last4.to_owned())]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        }
        StatusMessage::SessionExpired => t.session_expired.to_owned(),
        StatusMessage::Unavailable => t.error.to_owned(),
        StatusMessage::CallbackCreated(due) => (t.callback_created)(due),
        StatusMessage::CallbackAlreadyOpen => t.callback_already_open.to_owned(),
        StatusMessage::CallbackInvalid { phone, time } => [
            phone.then_some(t.callback_bad_phone),
            time.then_some(t.callback_bad_time),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" "),
    }
}

/// Errors are alerts; confirmations are polite status messages.
fn message_view(message: Option<StatusMessage>) -> impl IntoView {
    message.map(|message| {
        let is_error = !matches!(
            message,
            StatusMessage::CallbackCreated(_) | StatusMessage::CallbackAlreadyOpen
        );
        let text = message_text(&message);
        if is_error {
            Either::Left(view! { <p class="notice error" role="alert" data-testid="status-message">{text}</p> })
        } else {
            Either::Right(view! { <p class="notice" role="status" data-testid="status-message">{text}</p> })
        }
    })
}

#[component]
fn LookupForm(message: Option<StatusMessage>) -> impl IntoView {
    let t = lang().status_texts();
    let (reference_invalid, last4_invalid) = match &message {
        Some(StatusMessage::InvalidInput { reference, last4 }) => (reference.is_some(), *last4),
        _ => (false, false),
    };
    view! {
        <section class="card lookup" aria-labelledby="lookup-heading">
            <h2 id="lookup-heading">{t.lookup_heading}</h2>
            <p>{t.lookup_lead}</p>
            {message_view(message)}
            <form method="post" action="/status" class="stack" data-testid="status-lookup-form">
                <label for="reference">{t.reference_label}</label>
                <input
                    id="reference"
                    name="reference"
                    type="text"
                    inputmode="text"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    maxlength="40"
                    required
                    aria-describedby="reference-hint"
                    aria-invalid=reference_invalid.then_some("true")
                />
                <p id="reference-hint" class="hint">{t.reference_hint}</p>
                <label for="card_last4">{t.last4_label}</label>
                <input
                    id="card_last4"
                    name="card_last4"
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    pattern="[0-9０-９]{4}"
                    maxlength="4"
                    required
                    aria-describedby="last4-hint"
                    aria-invalid=last4_invalid.then_some("true")
                />
                <p id="last4-hint" class="hint">{t.last4_hint}</p>
                <button type="submit" class="primary">{t.lookup_button}</button>
            </form>
        </section>
    }
}

#[component]
fn StatusResultView(result: StatusResult, message: Option<StatusMessage>) -> impl IntoView {
    let t = lang().status_texts();
    let sent = |date: Option<String>| date.unwrap_or_else(|| t.not_sent.to_owned());
    let times = PreferredTime::ALL
        .into_iter()
        .map(|time| view! { <option value=time.code()>{lang().preferred_time_label(time)}</option> })
        .collect_view();
    view! {
        <section class="card result" aria-labelledby="result-heading" data-testid="status-result">
            <h2 id="result-heading">{t.result_heading}</h2>
            <p class="customer" data-testid="status-customer">{(t.honorific)(&result.family_name)}</p>
            <p class="card-line" data-testid="status-card">{result.card}</p>
            <div class="case-track" data-testid="status-reissue" data-state=result.reissue_code>
                <h3>{t.reissue_heading}</h3>
                <p class="state-label">{result.reissue_label}</p>
                <p><span class="next-label">{t.next_label}": "</span>{result.reissue_next}</p>
            </div>
            <div class="case-track" data-testid="status-refund" data-state=result.refund_code>
                <h3>{t.refund_heading}</h3>
                <p class="state-label">{result.refund_label}</p>
                <p><span class="next-label">{t.next_label}": "</span>{result.refund_next}</p>
            </div>
            <dl class="sent">
                <dt>{t.letter_sent}</dt>
                <dd data-testid="status-letter-sent">{sent(result.letter_sent)}</dd>
                <dt>{t.email_sent}</dt>
                <dd data-testid="status-email-sent">{sent(result.email_sent)}</dd>
            </dl>
            <p class="hint">{t.result_expires}</p>
            <form method="post" action="/status/done" class="inline">
                <button type="submit" class="secondary" data-testid="status-done">{t.done_button}</button>
            </form>
        </section>
        <section class="card callback" aria-labelledby="callback-heading" data-testid="status-callback">
            <h2 id="callback-heading">{t.callback_heading}</h2>
            <p>{t.callback_lead}</p>
            {message_view(message)}
            <form method="post" action="/status/callback" class="stack">
                <label for="phone">{t.callback_phone}</label>
                <input
                    id="phone"
                    name="phone"
                    type="tel"
                    inputmode="tel"
                    autocomplete="tel"
                    maxlength="20"
                    required
                    aria-describedby="phone-hint"
                />
                <p id="phone-hint" class="hint">{t.callback_phone_hint}</p>
                <label for="preferred_time">{t.callback_time}</label>
                <select id="preferred_time" name="preferred_time">{times}</select>
                <button type="submit" class="primary">{t.callback_button}</button>
            </form>
        </section>
    }
}
