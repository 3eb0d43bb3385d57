//! The callback queue: open tasks by due time, overdue ones highlighted, assignable to an agent,
//! closed by logging the callback call on the Calls page.

use breachdesk::call::CallbackTask;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::calls::{AssignCallback, CallbackQueue, load_callbacks};
use crate::context::lang;
use crate::pages::{ErrorNotice, tokyo_time};

#[component]
pub fn CallbacksPage() -> impl IntoView {
    let t = lang().calls_texts();
    let assign = ServerAction::<AssignCallback>::new();
    let queue = Resource::new(move || assign.version().get(), |_| load_callbacks());
    let refused = move || {
        assign
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| view! { <ErrorNotice error /> })
    };
    view! {
        <Title text=t.callbacks_title />
        <h1>{t.callbacks_title}</h1>
        {refused}
        <Transition fallback=move || view! { <p class="loading">{lang().texts().loading}</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(queue) => Either::Left(view! { <Queue queue assign /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn Queue(queue: CallbackQueue, assign: ServerAction<AssignCallback>) -> impl IntoView {
    let t = lang().calls_texts();
    if queue.tasks.is_empty() {
        return Either::Left(view! { <p class="notice" data-testid="callbacks-empty">{t.callbacks_empty}</p> });
    }
    let staff = queue.staff;
    let rows = queue
        .tasks
        .into_iter()
        .map(|task| view! { <Task task staff=staff.clone() assign /> })
        .collect_view();
    Either::Right(view! {
        <div class="table-wrap">
            <table class="data" data-testid="callbacks">
                <thead><tr>
                    <th scope="col">{t.due}</th>
                    <th scope="col">{t.customer}</th>
                    <th scope="col">{t.phone}</th>
                    <th scope="col">{t.reason}</th>
                    <th scope="col">{t.assigned}</th>
                    <th scope="col"></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}

#[component]
fn Task(task: CallbackTask, staff: Vec<(i64, String)>, assign: ServerAction<AssignCallback>) -> impl IntoView {
    let t = lang().calls_texts();
    let options = staff
        .into_iter()
        .map(|(id, name)| {
            let selected = task.assigned_to == Some(id);
            view! { <option value=id.to_string() selected=selected>{name}</option> }
        })
        .collect_view();
    let call_back = match task.customer_id {
        Some(id) => format!("/calls?customer={id}"),
        None => "/calls".to_owned(),
    };
    let select_id = format!("assign-{}", task.id);
    let source =
        (task.source == "status_page").then(|| view! { <br /><span class="badge">{t.from_status_page}</span> });
    view! {
        <tr class:overdue=task.overdue data-testid="callback-row" data-overdue=task.overdue.to_string()>
            <td>
                <span data-testid="callback-due">{tokyo_time(&task.due_at)}</span>
                {task.overdue.then(|| view! { " " <strong class="badge overdue">{t.overdue}</strong> })}
            </td>
            <td>{task.customer_name.clone()}</td>
            <td class="phone">{task.phone.clone()}</td>
            <td>{task.reason.clone()}{source}{task.preferred_time.clone().map(|time| view! { " (" {time} ")" })}</td>
            <td>
                <ActionForm action=assign>
                    <input type="hidden" name="callback_id" value=task.id.to_string() />
                    <label class="visually-hidden" for=select_id.clone()>{t.assigned}</label>
                    <select id=select_id name="staff_id">
                        <option value="">{t.unassigned}</option>
                        {options}
                    </select>
                    " "
                    <button type="submit" class="secondary">{t.assign}</button>
                </ActionForm>
            </td>
            <td><a href=call_back data-testid="callback-call">{t.call_back}</a></td>
        </tr>
    }
}
