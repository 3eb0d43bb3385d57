//! Staff accounts for admins: list, create (initial password shown once), disable, reset a password.

use breachdesk::role::Role;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::staff::{CreateStaff, ResetStaffPassword, SetStaffDisabled, StaffList, list_staff};
use crate::context::texts;
use crate::pages::ErrorNotice;

#[component]
pub fn StaffPage() -> impl IntoView {
    let t = texts();
    let create = ServerAction::<CreateStaff>::new();
    let disable = ServerAction::<SetStaffDisabled>::new();
    let reset = ServerAction::<ResetStaffPassword>::new();
    let staff = Resource::new(
        move || (create.version().get(), disable.version().get(), reset.version().get()),
        |_| list_staff(),
    );

    view! {
        <Title text=t.staff_title />
        <h1>{t.staff_title}</h1>
        <p class="lead">{t.staff_lead}</p>
        <ActionResult disable reset />
        <Transition fallback=move || view! { <p class="loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match staff.await {
                    Ok(list) => Either::Left(view! { <StaffTable list disable reset /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
        <CreateStaffForm create />
    }
}

/// The outcome of the last disable or reset, including a reset password (shown once).
#[component]
fn ActionResult(disable: ServerAction<SetStaffDisabled>, reset: ServerAction<ResetStaffPassword>) -> impl IntoView {
    let t = texts();
    let disable_error = move || {
        disable
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| view! { <ErrorNotice error /> })
    };
    let reset_outcome = move || {
        reset.value().get().map(|outcome| match outcome {
            Ok(password) => Either::Left(view! {
                <div class="notice success" role="status">
                    <p>{t.staff_password_reset_done}</p>
                    <p>{t.staff_password_once}": "<code data-testid="reset-password">{password}</code></p>
                </div>
            }),
            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
        })
    };
    view! { {disable_error} {reset_outcome} }
}

#[component]
fn StaffTable(
    list: StaffList,
    disable: ServerAction<SetStaffDisabled>,
    reset: ServerAction<ResetStaffPassword>,
) -> impl IntoView {
    let t = texts();
    let own_id = list.own_id;
    let rows = list
        .members
        .into_iter()
        .map(|member| {
            let id = member.id.to_string();
            let reset_id = id.clone();
            let email = member.email.clone();
            let toggle_label = if member.disabled {
                t.staff_enable
            } else {
                t.staff_disable
            };
            let disable_value = (!member.disabled).to_string();
            view! {
                <tr class:disabled=member.disabled data-email=email>
                    <td>{member.display_name}</td>
                    <td>{member.email}</td>
                    <td>{t.role(member.role)}</td>
                    <td>{if member.disabled { t.staff_disabled } else { t.staff_active }}</td>
                    <td class="actions">
                        {(member.id != own_id).then(|| view! {
                            <ActionForm action=disable attr:class="inline">
                                <input type="hidden" name="id" value=id />
                                <input type="hidden" name="disabled" value=disable_value />
                                <button type="submit" class="secondary">{toggle_label}</button>
                            </ActionForm>
                        })}
                        <ActionForm action=reset attr:class="inline">
                            <input type="hidden" name="id" value=reset_id />
                            <button type="submit" class="secondary">{t.staff_reset_password}</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data" data-testid="staff-table">
                <thead>
                    <tr>
                        <th scope="col">{t.staff_display_name}</th>
                        <th scope="col">{t.email}</th>
                        <th scope="col">{t.staff_role}</th>
                        <th scope="col">{t.staff_state}</th>
                        <th scope="col">{t.staff_actions}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn CreateStaffForm(create: ServerAction<CreateStaff>) -> impl IntoView {
    let t = texts();
    let outcome = create.value();
    let field_error = move |field: &'static str| {
        move || {
            outcome
                .get()
                .and_then(Result::err)
                .and_then(|error| error.field_message(field))
                .map(|message| {
                    view! { <span class="field-error" id=format!("{field}-error")>{message}</span> }
                })
        }
    };
    let result = move || {
        outcome.get().map(|outcome| match outcome {
            Ok(created) => Either::Left(view! {
                <div class="notice success" role="status" data-testid="staff-created">
                    <p>{t.staff_created}" "{created.member.email}</p>
                    {created.generated_password.map(|password| view! {
                        <p>{t.staff_password_once}": "<code data-testid="initial-password">{password}</code></p>
                    })}
                </div>
            }),
            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
        })
    };
    let roles = Role::ALL
        .into_iter()
        .map(|role| view! { <option value=role.as_str()>{t.role(role)}</option> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="create-staff">
            <h2 id="create-staff">{t.staff_create_title}</h2>
            {result}
            <ActionForm action=create attr:class="form-grid">
                <label for="new-email">{t.email}</label>
                <div>
                    <input id="new-email" name="new[email]" type="email" required autocomplete="off" />
                    {field_error("email")}
                </div>
                <label for="new-name">{t.staff_display_name}</label>
                <div>
                    <input id="new-name" name="new[display_name]" required />
                    {field_error("display_name")}
                </div>
                <label for="new-role">{t.staff_role}</label>
                <div>
                    <select id="new-role" name="new[role]">{roles}</select>
                    {field_error("role")}
                </div>
                <label for="new-password">{t.password}</label>
                <div>
                    <input id="new-password" name="new[password]" type="text" autocomplete="new-password" aria-describedby="new-password-hint" />
                    <span class="hint" id="new-password-hint">{t.staff_initial_password_hint}</span>
                    {field_error("password")}
                </div>
                <div></div>
                <div><button type="submit" class="primary">{t.staff_create}</button></div>
            </ActionForm>
        </section>
    }
}
