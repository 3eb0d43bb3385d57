//! Settings: the incident profile (admins) and the hotline schedule (managers and admins), as plain forms that work without JavaScript.

use breachdesk::incident::IncidentProfile;
use breachdesk::role::{Capability, Role};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::hotline::{DAY_FIELDS, SaveSchedule, ScheduleForm, load_schedule};
use crate::api::incident::{
    FieldKind, INCIDENT_FIELDS, IncidentField, IncidentForm, SaveIncident, load_incident_profile,
};
use crate::api::shell::load_shell_info;
use crate::context::texts;
use crate::error::AppError;
use crate::pages::{ErrorNotice, textarea_text};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let t = texts();
    let save_incident = ServerAction::<SaveIncident>::new();
    let save_schedule = ServerAction::<SaveSchedule>::new();
    // Blocking, and created here rather than in the sections, so the server renders the forms into
    // the first HTML it sends: without JavaScript nothing would swap streamed parts in later.
    let shell = Resource::new_blocking(|| (), |_| load_shell_info());
    let schedule = Resource::new_blocking(|| (), |_| load_schedule());
    let profile = Resource::new_blocking(move || save_incident.version().get(), |_| load_incident_profile());
    view! {
        <Title text=t.settings_title />
        <h1>{t.settings_title}</h1>
        <Suspense fallback=move || view! { <p class="loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                // The sections follow the role; the server functions check it again on every call.
                let role: Option<Role> = shell.await.ok().and_then(|info| info.staff).map(|staff| staff.role);
                let may = move |capability| role.is_some_and(|role| role.may(capability));
                view! {
                    {may(Capability::ManageSchedule).then(|| view! { <ScheduleSettings stored=schedule save=save_schedule /> })}
                    {may(Capability::EditIncident).then(|| view! { <IncidentSettings profile save=save_incident /> })}
                    // Rare and final, so not in the main navigation: it closes the programme.
                    {may(Capability::PurgePersonalData).then(|| {
                        let rt = crate::context::lang().retention_texts();
                        view! {
                            <section class="card" aria-labelledby="retention-link-heading">
                                <h2 id="retention-link-heading">{rt.nav}</h2>
                                <p><a href="/retention" data-testid="retention-link">{rt.title}</a></p>
                            </section>
                        }
                    })}
                }
            })}
        </Suspense>
    }
}

/// The message for `field` from the last failed save, shown under it.
fn field_error(error: Signal<Option<AppError>>, field: String) -> impl Fn() -> Option<AnyView> + Send + Sync + 'static {
    move || {
        error
            .get()
            .and_then(|error| error.field_message(&field))
            .map(|message| view! { <span class="field-error">{message}</span> }.into_any())
    }
}

#[component]
fn IncidentSettings(
    profile: Resource<Result<Option<IncidentProfile>, AppError>>,
    save: ServerAction<SaveIncident>,
) -> impl IntoView {
    let t = texts();
    let outcome = save.value();
    let result = move || {
        outcome.get().map(|outcome| match outcome {
            Ok(()) => Either::Left(
                view! { <p class="notice success" role="status" data-testid="incident-saved">{t.incident_saved}</p> },
            ),
            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
        })
    };
    view! {
        <section class="card" aria-labelledby="incident-settings">
            <h2 id="incident-settings">{t.incident_settings_title}</h2>
            {result}
            <Transition fallback=move || view! { <p class="loading">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(profile) => Either::Left(view! {
                            <IncidentFormView form=profile.map(IncidentForm::from).unwrap_or_default() save />
                        }),
                        Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn IncidentFormView(form: IncidentForm, save: ServerAction<SaveIncident>) -> impl IntoView {
    let t = texts();
    let refused = Signal::derive(move || save.value().get().and_then(Result::err));
    let fields = INCIDENT_FIELDS
        .iter()
        .map(|IncidentField { name, label, kind }| {
            let id = format!("incident-{name}");
            let input_name = format!("profile[{name}]");
            let value = form.value(name).to_owned();
            let input = match kind {
                FieldKind::Text => EitherOf3::A(
                    view! { <textarea id=id.clone() name=input_name rows="3">{textarea_text(&value)}</textarea> },
                ),
                FieldKind::Date => {
                    EitherOf3::B(view! { <input id=id.clone() name=input_name type="date" value=value /> })
                }
                FieldKind::Line | FieldKind::Count => {
                    let mode = if *kind == FieldKind::Count { "numeric" } else { "text" };
                    EitherOf3::C(view! { <input id=id.clone() name=input_name inputmode=mode value=value /> })
                }
            };
            view! {
                <label for=id>{label(t)}</label>
                <div>{input}{field_error(refused, (*name).to_owned())}</div>
            }
        })
        .collect_view();
    view! {
        <ActionForm action=save attr:class="form-grid" attr:data-testid="incident-form">
            {fields}
            <div></div>
            <div><button type="submit" class="primary">{t.settings_save}</button></div>
        </ActionForm>
    }
}

#[component]
fn ScheduleSettings(
    stored: Resource<Result<ScheduleForm, AppError>>,
    save: ServerAction<SaveSchedule>,
) -> impl IntoView {
    let t = texts();
    // Only a successful save replaces the form: after a refusal the manager's entries stay to be corrected.
    let saved = RwSignal::new(None::<ScheduleForm>);
    Effect::new(move || {
        if let Some(Ok(form)) = save.value().get() {
            saved.set(Some(form));
        }
    });
    let outcome = save.value();
    let result = move || {
        outcome.get().map(|outcome| match outcome {
            Ok(_) => Either::Left(
                view! { <p class="notice success" role="status" data-testid="schedule-saved">{t.schedule_saved}</p> },
            ),
            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
        })
    };
    view! {
        <section class="card" aria-labelledby="schedule-settings">
            <h2 id="schedule-settings">{t.schedule_title}</h2>
            <p class="lead">{t.schedule_lead}</p>
            <div data-testid="schedule-result">{result}</div>
            <Transition fallback=move || view! { <p class="loading">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    let loaded = stored.await;
                    move || match (saved.get(), loaded.clone()) {
                        (Some(form), _) | (None, Ok(form)) => Either::Left(view! { <ScheduleFormView form save /> }),
                        (None, Err(error)) => Either::Right(view! { <ErrorNotice error /> }),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ScheduleFormView(form: ScheduleForm, save: ServerAction<SaveSchedule>) -> impl IntoView {
    let t = texts();
    let refused = Signal::derive(move || save.value().get().and_then(Result::err));
    let error = move |field: String| field_error(refused, field);
    let row_label = move |row: usize, blank: bool, place: fn(usize) -> String| {
        if blank {
            t.schedule_new_row.to_owned()
        } else {
            place(row + 1)
        }
    };
    let day_headers = t
        .weekdays
        .iter()
        .map(|day| view! { <th scope="col">{*day}</th> })
        .collect_view();
    let periods = form
        .periods
        .iter()
        .enumerate()
        .map(|(row, period)| {
            let name = move |field: &str| format!("form[periods][{row}][{field}]");
            let days = DAY_FIELDS
                .iter()
                .enumerate()
                .map(|(index, field)| {
                    view! {
                        <td>
                            <input name=name(field) value=period.day(index).to_owned() size="11"
                                aria-label=format!("{} {}", (t.schedule_period_place)(row + 1), t.weekdays[index])
                                data-testid=format!("period-{row}-{field}") />
                            {error(format!("periods.{row}.{field}"))}
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr data-testid=format!("period-{row}")>
                    <th scope="row">{row_label(row, period.is_blank(), t.schedule_period_place)}</th>
                    <td>
                        <input name=name("from") type="date" value=period.from.clone() aria-label=t.schedule_from />
                        {error(format!("periods.{row}.from"))}
                    </td>
                    <td>
                        <input name=name("until") type="date" value=period.until.clone() aria-label=t.schedule_until />
                        {error(format!("periods.{row}.until"))}
                    </td>
                    {days}
                    <td>
                        <input name=name("holidays_closed") type="checkbox" checked=period.holidays_closed.is_some()
                            aria-label=t.schedule_holidays_closed />
                    </td>
                </tr>
            }
        })
        .collect_view();
    let closures = form
        .closures
        .iter()
        .enumerate()
        .map(|(row, closure)| {
            let name = move |field: &str| format!("form[closures][{row}][{field}]");
            view! {
                <tr>
                    <th scope="row">{row_label(row, closure.is_blank(), t.schedule_closure_place)}</th>
                    <td>
                        <input name=name("name") value=closure.name.clone() aria-label=t.schedule_name />
                        {error(format!("closures.{row}.name"))}
                    </td>
                    <td>
                        <input name=name("first_day") type="date" value=closure.first_day.clone() aria-label=t.schedule_first_day />
                        {error(format!("closures.{row}.first_day"))}
                    </td>
                    <td>
                        <input name=name("last_day") type="date" value=closure.last_day.clone() aria-label=t.schedule_last_day />
                        {error(format!("closures.{row}.last_day"))}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let openings = form
        .openings
        .iter()
        .enumerate()
        .map(|(row, opening)| {
            let name = move |field: &str| format!("form[openings][{row}][{field}]");
            view! {
                <tr>
                    <th scope="row">{row_label(row, opening.is_blank(), t.schedule_opening_place)}</th>
                    <td><input name=name("name") value=opening.name.clone() aria-label=t.schedule_name /></td>
                    <td>
                        <input name=name("date") type="date" value=opening.date.clone() aria-label=t.schedule_date />
                        {error(format!("openings.{row}.date"))}
                    </td>
                    <td>
                        <input name=name("hours") value=opening.hours.clone() aria-label=t.schedule_hours />
                        {error(format!("openings.{row}.hours"))}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <ActionForm action=save attr:data-testid="schedule-form">
            <h3>{t.schedule_periods}</h3>
            <div class="table-wrap">
                <table class="data schedule">
                    <thead>
                        <tr>
                            <th scope="col"></th>
                            <th scope="col">{t.schedule_from}</th>
                            <th scope="col">{t.schedule_until}<span class="hint">{t.schedule_until_hint}</span></th>
                            {day_headers}
                            <th scope="col">{t.schedule_holidays_closed}</th>
                        </tr>
                    </thead>
                    <tbody>{periods}</tbody>
                </table>
            </div>
            <h3>{t.schedule_closures}</h3>
            {error("closures".to_owned())}
            <div class="table-wrap">
                <table class="data schedule">
                    <thead>
                        <tr>
                            <th scope="col"></th>
                            <th scope="col">{t.schedule_name}</th>
                            <th scope="col">{t.schedule_first_day}</th>
                            <th scope="col">{t.schedule_last_day}</th>
                        </tr>
                    </thead>
                    <tbody>{closures}</tbody>
                </table>
            </div>
            <h3>{t.schedule_openings}</h3>
            {error("openings".to_owned())}
            <div class="table-wrap">
                <table class="data schedule">
                    <thead>
                        <tr>
                            <th scope="col"></th>
                            <th scope="col">{t.schedule_name}</th>
                            <th scope="col">{t.schedule_date}</th>
                            <th scope="col">{t.schedule_hours}</th>
                        </tr>
                    </thead>
                    <tbody>{openings}</tbody>
                </table>
            </div>
            <h3>{t.schedule_holidays}</h3>
            <p class="hint">{t.schedule_holidays_hint}</p>
            <div class="form-grid">
                <label for="holidays-off">{t.schedule_holidays_off}</label>
                <div>
                    <textarea id="holidays-off" name="form[holidays_off]" rows="3">{textarea_text(&form.holidays_off)}</textarea>
                    {error("holidays_off".to_owned())}
                </div>
                <label for="holidays-added">{t.schedule_holidays_added}</label>
                <div>
                    <textarea id="holidays-added" name="form[holidays_added]" rows="3">{textarea_text(&form.holidays_added)}</textarea>
                    {error("holidays_added".to_owned())}
                </div>
                <div></div>
                <div><button type="submit" class="primary" data-testid="schedule-save">{t.settings_save}</button></div>
            </div>
        </ActionForm>
    }
}
