//! Disposition codes for managers: the categories and sub-categories agents file calls under.

use breachdesk::call::DispositionCode;
use breachdesk::call::disposition::group;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::calls::{AddDisposition, SetDispositionActive, load_dispositions};
use crate::context::lang;
use crate::pages::ErrorNotice;

#[component]
pub fn DispositionsPage() -> impl IntoView {
    let t = lang().calls_texts();
    let add = ServerAction::<AddDisposition>::new();
    let toggle = ServerAction::<SetDispositionActive>::new();
    let codes = Resource::new(
        move || (add.version().get(), toggle.version().get()),
        |_| load_dispositions(),
    );
    let outcome = move || {
        add.value().get().map(|outcome| match outcome {
            Ok(_) => Either::Left(
                view! { <p class="notice success" role="status" data-testid="disposition-saved">{t.saved}</p> },
            ),
            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
        })
    };
    view! {
        <Title text=t.dispositions_title />
        <h1>{t.dispositions_title}</h1>
        <p class="lead">{t.dispositions_hint}</p>
        {outcome}
        <Transition fallback=move || view! { <p class="loading">{lang().texts().loading}</p> }>
            {move || Suspend::new(async move {
                match codes.await {
                    Ok(codes) => Either::Left(view! { <Codes codes add toggle /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn Codes(
    codes: Vec<DispositionCode>,
    add: ServerAction<AddDisposition>,
    toggle: ServerAction<SetDispositionActive>,
) -> impl IntoView {
    let t = lang().calls_texts();
    let groups = group(codes);
    let parents = groups
        .iter()
        .map(|group| view! { <option value=group.category.id.to_string()>{group.category.label_ja.clone()}</option> })
        .collect_view();
    let row = move |code: DispositionCode, child: bool| {
        let indent = if child { "　└ " } else { "" };
        view! {
            <tr data-testid="disposition-row">
                <td>{indent}{code.label_ja.clone()}</td>
                <td>{code.label_en.clone()}</td>
                <td>{(!code.active).then(|| view! { <span class="badge">{t.retired}</span> })}</td>
                <td>
                    <ActionForm action=toggle>
                        <input type="hidden" name="id" value=code.id.to_string() />
                        <input type="hidden" name="active" value=(!code.active).to_string() />
                        <button type="submit" class="secondary">{if code.active { t.retire } else { t.restore }}</button>
                    </ActionForm>
                </td>
            </tr>
        }
    };
    let rows = groups
        .into_iter()
        .flat_map(|group| {
            std::iter::once((group.category, false)).chain(group.children.into_iter().map(|child| (child, true)))
        })
        .map(|(code, child)| row(code, child))
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data compact" data-testid="dispositions">
                <thead><tr><th scope="col">{t.label_ja}</th><th scope="col">{t.label_en}</th><th scope="col"></th><th scope="col"></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <section class="card">
            <h2>{t.add}</h2>
            <ActionForm action=add attr:class="form-grid" attr:data-testid="disposition-form">
                <label for="disposition-parent">{t.parent}</label>
                <select id="disposition-parent" name="code[parent_id]">
                    <option value="">{t.top_level}</option>
                    {parents}
                </select>
                <label for="disposition-ja">{t.label_ja}</label>
                <input id="disposition-ja" name="code[label_ja]" required maxlength="60" data-testid="disposition-ja" />
                <label for="disposition-en">{t.label_en}</label>
                <input id="disposition-en" name="code[label_en]" required maxlength="60" data-testid="disposition-en" />
                <div></div>
                <div><button type="submit" class="primary" data-testid="disposition-add">{t.add}</button></div>
            </ActionForm>
        </section>
    }
}
