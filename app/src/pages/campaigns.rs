//! Campaigns: the list with each campaign's progress, the create form, the bounce-list upload and
//! the undelivered-mail form (`/campaigns`); one campaign's live progress (`/campaigns/:id`),
//! polled every second while the page is open, so it also works after a reload.

use std::time::Duration;

use breachdesk::audience::Audience;
use breachdesk::campaign::bounce::ReturnedReason;
use breachdesk::campaign::progress::{DeliveryLine, InDoubtDecision, StateCounts};
use breachdesk::campaign::{Campaign, CampaignAction, CampaignState, Channel, DeliveryState};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::campaigns::{
    CampaignProgress, CampaignsOverview, ChangeCampaign, ConfirmMailed, CreateCampaign, DecideInDoubt, MarkUndelivered,
    load_campaign_deliveries, load_campaign_progress, load_campaigns,
};
use crate::context::{lang, texts};
use crate::pages::{ErrorNotice, tokyo_time};

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let t = texts();
    let ct = lang().campaigns_texts();
    let create = ServerAction::<CreateCampaign>::new();
    let undelivered = ServerAction::<MarkUndelivered>::new();
    let overview = Resource::new(
        move || (create.version().get(), undelivered.version().get()),
        |_| load_campaigns(),
    );
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/campaigns/{id}"), Default::default());
        }
    });
    view! {
        <Title text=ct.title />
        <h1>{ct.title}</h1>
        <p class="lead">{ct.lead}</p>
        <Transition fallback=move || view! { <p class="loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => Either::Left(view! { <Overview overview create undelivered /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn Overview(
    overview: CampaignsOverview,
    create: ServerAction<CreateCampaign>,
    undelivered: ServerAction<MarkUndelivered>,
) -> impl IntoView {
    let lang = lang();
    let ct = lang.campaigns_texts();
    let rows = if overview.campaigns.is_empty() {
        Either::Left(view! { <p class="muted" data-testid="campaigns-none">{ct.none_yet}</p> })
    } else {
        let rows = overview
            .campaigns
            .into_iter()
            .map(|(campaign, counts)| view! { <CampaignRow campaign counts /> })
            .collect_view();
        Either::Right(view! {
            <div class="table-wrap">
                <table class="data" data-testid="campaigns">
                    <thead>
                        <tr>
                            <th scope="col">{ct.col_campaign}</th>
                            <th scope="col">{ct.col_template}</th>
                            <th scope="col">{ct.col_channel}</th>
                            <th scope="col">{ct.col_audience}</th>
                            <th scope="col">{ct.col_state}</th>
                            <th scope="col">{ct.col_progress}</th>
                            <th scope="col">{ct.col_created}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        })
    };
    let forms = if overview.may_run {
        Either::Left(view! {
            <CreateForm templates=overview.templates form_key=overview.form_key create />
            <UndeliveredForms undelivered />
        })
    } else {
        Either::Right(view! { <p class="hint">{ct.read_only}</p> })
    };
    view! {
        {rows}
        {forms}
    }
}

#[component]
fn CampaignRow(campaign: Campaign, counts: StateCounts) -> impl IntoView {
    let lang = lang();
    let ct = lang.campaigns_texts();
    let id = campaign.id;
    view! {
        <tr data-testid=format!("campaign-{id}")>
            <th scope="row"><a href=format!("/campaigns/{id}")>{(ct.campaign_name)(id)}</a></th>
            <td>{(ct.template_version)(&campaign.template_name, campaign.template_version)}</td>
            <td>{lang.channel_label(campaign.channel)}</td>
            <td>{lang.audience_label(campaign.audience)}</td>
            <td data-testid=format!("campaign-state-{id}")>{lang.campaign_state_label(campaign.state)}</td>
            <td>{(ct.sent_of)(counts.sent, counts.total())}</td>
            <td>{tokyo_time(&rfc3339(campaign.created_at))}</td>
        </tr>
    }
}

fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[component]
fn CreateForm(
    templates: Vec<crate::api::campaigns::CampaignTemplate>,
    form_key: String,
    create: ServerAction<CreateCampaign>,
) -> impl IntoView {
    let lang = lang();
    let ct = lang.campaigns_texts();
    let error = move || {
        create
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| view! { <ErrorNotice error /> })
    };
    let template_options = templates
        .into_iter()
        .map(|template| {
            let label = format!("{} ({})", template.name, lang.channel_label(template.channel));
            view! { <option value=template.name>{label}</option> }
        })
        .collect_view();
    let audience_options = Audience::ALL
        .into_iter()
        .map(|audience| view! { <option value=audience.as_str()>{lang.audience_label(audience)}</option> })
        .collect_view();
    let number = |name: &'static str, label: &'static str, hint: &'static str| {
        let id = format!("campaign-{name}");
        view! {
            <label for=id.clone()>{label}</label>
            <input id=id name=format!("form[settings][{name}]") inputmode="numeric" placeholder=hint />
        }
    };
    view! {
        <section class="card" aria-labelledby="campaign-create" data-testid="campaign-create">
            <h2 id="campaign-create">{ct.create_heading}</h2>
            {error}
            <ActionForm action=create attr:class="form-grid" attr:data-testid="campaign-form">
                <input type="hidden" name="form[form_key]" value=form_key />
                <label for="campaign-template">{ct.template}</label>
                <select id="campaign-template" name="form[template]">{template_options}</select>
                <label for="campaign-channel">{ct.channel}</label>
                <select id="campaign-channel" name="form[channel]">
                    <option value=Channel::Email.code()>{lang.channel_label(Channel::Email)}</option>
                    <option value=Channel::Letter.code()>{lang.channel_label(Channel::Letter)}</option>
                </select>
                <label for="campaign-audience">{ct.audience}</label>
                <select id="campaign-audience" name="form[audience]">{audience_options}</select>
                {number("concurrency", ct.concurrency, ct.blank_default)}
                {number("rate_per_second", ct.rate, ct.blank_no_limit)}
                {number("hourly_cap", ct.hourly_cap, ct.blank_no_limit)}
                {number("max_attempts", ct.max_attempts, ct.blank_default)}
                {number("retry_after_seconds", ct.retry_after, ct.blank_default)}
                {number("pause_above_percent", ct.pause_above, ct.blank_default)}
                <div></div>
                <label class="checkbox">
                    <input type="checkbox" name="form[settings][hotline_hours_only]" value="true" />
                    " "{ct.hotline_hours_only}
                </label>
                <div></div>
                <label class="checkbox">
                    <input type="checkbox" name="form[settings][hold_in_doubt]" value="true" />
                    " "{ct.hold_in_doubt}
                </label>
                <div></div>
                <div><button type="submit" data-testid="campaign-create-submit">{ct.create}</button></div>
            </ActionForm>
        </section>
    }
}

#[component]
fn UndeliveredForms(undelivered: ServerAction<MarkUndelivered>) -> impl IntoView {
    let lang = lang();
    let ct = lang.campaigns_texts();
    let query = use_query_map();
    let upload_outcome = move || {
        let query = query.read();
        if let Some(marked) = query.get("bounced") {
            let unreadable = query.get("unreadable").unwrap_or_default();
            let text = (ct.bounced_result)(&marked, &unreadable);
            Some(Either::Left(
                view! { <p class="notice success" role="status" data-testid="bounce-result">{text}</p> },
            ))
        } else {
            query
                .get("error")
                .map(|_| Either::Right(view! { <p class="notice error" role="alert">{ct.upload_error}</p> }))
        }
    };
    let outcome = move || {
        undelivered.value().get().map(|outcome| match outcome {
            Ok(()) => Either::Left(
                view! { <p class="notice success" role="status" data-testid="undelivered-recorded">{ct.marked}</p> },
            ),
            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
        })
    };
    let reasons = ReturnedReason::ALL
        .into_iter()
        .map(|reason| view! { <option value=reason.code()>{lang.returned_reason_label(reason)}</option> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="campaign-undelivered" data-testid="campaign-undelivered">
            <h2 id="campaign-undelivered">{ct.undelivered_heading}</h2>
            <p class="hint">{ct.bounce_hint}</p>
            {upload_outcome}
            <form method="post" action="/campaigns/bounces" enctype="multipart/form-data" class="stack"
                data-testid="bounce-form">
                <label for="bounce-file">{ct.bounce_list}</label>
                <input id="bounce-file" type="file" name="file" accept=".csv,.txt,text/plain,text/csv" required />
                <div><button type="submit" class="secondary">{ct.upload}</button></div>
            </form>
            {outcome}
            <ActionForm action=undelivered attr:class="form-grid" attr:data-testid="undelivered-form">
                <label for="undelivered-code">{ct.reference_code}</label>
                <input id="undelivered-code" name="form[reference_code]" required autocomplete="off" />
                <label for="undelivered-what">{ct.what}</label>
                <select id="undelivered-what" name="form[what]">
                    <option value="bounced">{ct.what_bounced}</option>
                    {reasons}
                </select>
                <div></div>
                <div><button type="submit" class="secondary">{ct.mark}</button></div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn CampaignPage() -> impl IntoView {
    let t = texts();
    let ct = lang().campaigns_texts();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let change = ServerAction::<ChangeCampaign>::new();
    let decide = ServerAction::<DecideInDoubt>::new();
    let mailed = ServerAction::<ConfirmMailed>::new();
    let (tick, set_tick) = signal(0_u64);
    // Runs in the browser only (after hydration, so after a reload too): one refresh a second.
    Effect::new(move || {
        if let Ok(handle) = set_interval_with_handle(move || set_tick.update(|n| *n += 1), Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });
    let progress = Resource::new(
        move || {
            (
                id(),
                tick.get(),
                change.version().get(),
                decide.version().get(),
                mailed.version().get(),
            )
        },
        |(id, ..)| load_campaign_progress(id),
    );
    let outcome = move || {
        let failed = change
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| decide.value().get().and_then(Result::err))
            .or_else(|| mailed.value().get().and_then(Result::err));
        failed.map(|error| view! { <ErrorNotice error /> })
    };
    view! {
        <Title text=ct.title />
        <p><a href="/campaigns">{ct.back}</a></p>
        <h1 data-testid="campaign-title">{move || (ct.campaign_name)(id())}</h1>
        <p class="hint">{ct.live}</p>
        {outcome}
        <Transition fallback=move || view! { <p class="loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match progress.await {
                    Ok(progress) => Either::Left(view! { <Progress progress change decide mailed /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
        <Deliveries id=Signal::derive(id) tick=tick.into() />
    }
}

#[component]
fn Progress(
    progress: CampaignProgress,
    change: ServerAction<ChangeCampaign>,
    decide: ServerAction<DecideInDoubt>,
    mailed: ServerAction<ConfirmMailed>,
) -> impl IntoView {
    let lang = lang();
    let ct = lang.campaigns_texts();
    let campaign = progress.campaign;
    let id = campaign.id;
    let counts = progress.counts;
    let state = campaign.state;
    let count_rows = DeliveryState::ALL
        .into_iter()
        .map(|delivery_state| {
            let count = count_of(&counts, delivery_state);
            view! {
                <tr data-testid=format!("count-{}", delivery_state.code())>
                    <th scope="row">{lang.delivery_state_label(delivery_state)}</th>
                    <td class="number">{count}</td>
                </tr>
            }
        })
        .collect_view();
    let button = move |action: CampaignAction, label: &'static str, class: &'static str| {
        view! {
            <ActionForm action=change attr:class="inline">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="action" value=action.code() />
                <button type="submit" class=class data-testid=format!("campaign-{}", action.code())>{label}</button>
            </ActionForm>
        }
    };
    let buttons = progress.may_run.then(|| {
        view! {
            <div class="actions">
                {(state == CampaignState::Draft).then(|| button(CampaignAction::Start, ct.start, ""))}
                {(state == CampaignState::Running).then(|| button(CampaignAction::Pause, ct.pause, "secondary"))}
                {(state == CampaignState::Paused).then(|| button(CampaignAction::Resume, ct.resume, ""))}
                {(!state.is_over()).then(|| button(CampaignAction::Cancel, ct.cancel, "danger"))}
            </div>
        }
    });
    let pause_reason = campaign
        .pause_reason
        .clone()
        .filter(|_| state == CampaignState::Paused)
        .map(|reason| {
            view! { <p class="notice error" role="alert" data-testid="pause-reason">{ct.paused_because}" "{reason}</p> }
        });
    let letters =
        (campaign.channel == Channel::Letter && progress.may_produce_letters && counts.queued > 0).then(|| {
            let confirm = (progress.may_run && state == CampaignState::Running).then(|| {
                view! {
                    <ActionForm action=mailed attr:class="inline">
                        <input type="hidden" name="id" value=id />
                        <button type="submit" data-testid="campaign-mailed">{ct.confirm_mailed}</button>
                    </ActionForm>
                }
            });
            view! {
                <section class="card" aria-labelledby="campaign-letters" data-testid="campaign-letters">
                    <h2 id="campaign-letters">{ct.letters_heading}</h2>
                    <p class="hint">{ct.letters_hint}</p>
                    <p>
                        <a href=format!("/letters/campaigns/{id}/batch.pdf") download rel="external"
                            data-testid="campaign-letters-pdf">{ct.letters_pdf}</a>
                        " · "
                        <a href=format!("/letters/campaigns/{id}/mailing-list.csv") download rel="external"
                            data-testid="campaign-mailing-list">{ct.mailing_list}</a>
                    </p>
                    {confirm}
                </section>
            }
        });
    let held = (!progress.held_in_doubt.is_empty()).then(|| {
        let decision = move |decision: InDoubtDecision, label: &'static str| {
            let code = match decision {
                InDoubtDecision::SendAgain => "send_again",
                InDoubtDecision::MarkSent => "mark_sent",
            };
            view! {
                <ActionForm action=decide attr:class="inline">
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="decision" value=code />
                    <button type="submit" class="secondary" data-testid=format!("in-doubt-{code}")>{label}</button>
                </ActionForm>
            }
        };
        let may_run = progress.may_run;
        view! {
            <section class="card" aria-labelledby="campaign-in-doubt" data-testid="campaign-in-doubt">
                <h2 id="campaign-in-doubt">{ct.in_doubt_heading}</h2>
                <p class="hint">{ct.in_doubt_hint}</p>
                <DeliveryTable lines=progress.held_in_doubt.clone() />
                {may_run.then(|| view! {
                    <div class="actions">
                        {decision(InDoubtDecision::SendAgain, ct.send_again)}
                        {decision(InDoubtDecision::MarkSent, ct.mark_sent)}
                    </div>
                })}
            </section>
        }
    });
    let errors = if progress.last_errors.is_empty() {
        Either::Left(view! { <p class="muted">{ct.no_errors}</p> })
    } else {
        Either::Right(view! { <DeliveryTable lines=progress.last_errors /> })
    };
    view! {
        <section class="card" aria-labelledby="campaign-progress" data-testid="campaign-progress">
            <h2 id="campaign-progress">{ct.counts_heading}</h2>
            <p>
                <strong data-testid="campaign-state">{lang.campaign_state_label(state)}</strong>
                " · "{lang.channel_label(campaign.channel)}
                " · "{lang.audience_label(campaign.audience)}
                " · "{(ct.template_version)(&campaign.template_name, campaign.template_version)}
            </p>
            {pause_reason}
            <p data-testid="campaign-percent">{(ct.percent_done)(counts.percent_done())}</p>
            <progress max="100" value=counts.percent_done()></progress>
            // Letters go out when a person mails them: no rate or time left to show.
            {(campaign.channel == Channel::Email).then(|| view! {
                <p data-testid="campaign-rate">{(ct.rate_now)(progress.rate)}</p>
                <p data-testid="campaign-eta">{(ct.eta)(progress.eta_seconds)}</p>
            })}
            <table class="data compact counts" data-testid="campaign-counts">
                <tbody>{count_rows}</tbody>
            </table>
            {buttons}
        </section>
        {letters}
        {held}
        <section class="card" aria-labelledby="campaign-errors" data-testid="campaign-errors">
            <h2 id="campaign-errors">{ct.errors_heading}</h2>
            {errors}
        </section>
    }
}

fn count_of(counts: &StateCounts, state: DeliveryState) -> u64 {
    match state {
        DeliveryState::Queued => counts.queued,
        DeliveryState::Sending => counts.sending,
        DeliveryState::Sent => counts.sent,
        DeliveryState::FailedTemporary => counts.failed_temporary,
        DeliveryState::FailedPermanent => counts.failed_permanent,
        DeliveryState::Bounced => counts.bounced,
        DeliveryState::Returned => counts.returned,
        DeliveryState::Cancelled => counts.cancelled,
    }
}

#[component]
fn DeliveryTable(lines: Vec<DeliveryLine>) -> impl IntoView {
    let lang = lang();
    let ct = lang.campaigns_texts();
    let rows = lines
        .into_iter()
        .map(|line| {
            view! {
                <tr data-testid="delivery">
                    <td><a href=format!("/customers/{}", line.customer_id)><code>{line.reference_code}</code></a></td>
                    <td data-testid="delivery-state">{lang.delivery_state_label(line.state)}</td>
                    <td class="number">{line.attempts}</td>
                    <td>{line.last_error}</td>
                    <td>{tokyo_time(&rfc3339(line.updated_at))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">{ct.col_reference}</th>
                        <th scope="col">{ct.col_state}</th>
                        <th scope="col">{ct.col_attempts}</th>
                        <th scope="col">{ct.col_error}</th>
                        <th scope="col">{ct.col_updated}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Every delivery of the campaign, 100 a page in send order, refreshed with the progress.
#[component]
fn Deliveries(id: Signal<i64>, tick: Signal<u64>) -> impl IntoView {
    let t = texts();
    let ct = lang().campaigns_texts();
    let (after, set_after) = signal(0_i64);
    let page = Resource::new(
        move || (id.get(), after.get(), tick.get()),
        |(id, after, _)| load_campaign_deliveries(id, after),
    );
    view! {
        <section class="card" aria-labelledby="campaign-deliveries" data-testid="campaign-deliveries">
            <h2 id="campaign-deliveries">{ct.deliveries_heading}</h2>
            <Transition fallback=move || view! { <p class="loading">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(lines) => {
                            let next = (lines.len() == 100).then(|| lines.last().map(|line| line.id)).flatten();
                            Either::Left(view! {
                                <DeliveryTable lines />
                                {next.map(|last| view! {
                                    <button type="button" class="secondary" data-testid="deliveries-more"
                                        on:click=move |_| set_after.set(last)>{ct.more}</button>
                                })}
                            })
                        }
                        Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                    }
                })}
            </Transition>
        </section>
    }
}
