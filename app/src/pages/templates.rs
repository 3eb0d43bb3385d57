//! Templates: the list, the editor of the newest version with a live preview for a chosen customer, the version history and the test send.

use std::time::Duration;

use breachdesk::letter::LetterContent;
use breachdesk::template::{DateStyle, Placeholder, RenderedEmail, TemplateKind, TemplateText, TemplateVersion};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::templates::{
    Preview, SaveTemplate, SendTestEmail, TemplateEdit, load_template_history, load_templates, preview_template,
};
use crate::context::{lang, texts};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::pages::{ErrorNotice, textarea_text};

/// How long typing must pause before the preview is asked for: one request per pause, not per key.
const PREVIEW_DELAY: Duration = Duration::from_millis(400);

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let t = texts();
    let tt = crate::i18n::templates::texts();
    let save = ServerAction::<SaveTemplate>::new();
    // Counts successful saves only: after a refusal the editor must keep what the manager typed.
    let saves = RwSignal::new(0_u32);
    Effect::new(move || {
        if let Some(Ok(_)) = save.value().get() {
            saves.update(|count| *count += 1);
        }
    });
    let templates = Resource::new_blocking(move || saves.get(), |_| load_templates());
    // The editor creates its preview and history resources inside this page's Suspend, and hydrating
    // those mismatched the server's HTML; the editor needs JavaScript for its live preview anyway, so
    // it is rendered in the browser only, once the page has hydrated.
    let hydrated = RwSignal::new(false);
    Effect::new(move || hydrated.set(true));
    let query = use_query_map();
    view! {
        <Title text=tt.title />
        <h1>{tt.title}</h1>
        <p class="lead">{tt.intro}</p>
        <Transition fallback=move || view! { <p class="loading">{t.loading}</p> }>
            {move || {
                // Read outside the async block so that choosing another template re-renders the editor.
                let wanted = query.read().get("name");
                Suspend::new(async move {
                match templates.await {
                    Ok(list) if list.is_empty() => EitherOf3::A(view! { <p>{tt.no_templates}</p> }),
                    Ok(list) => {
                        let chosen = wanted
                            .and_then(|name| list.iter().find(|version| version.template_name == name))
                            .or_else(|| list.first())
                            .cloned();
                        EitherOf3::B(view! {
                            <TemplateList list=list.clone() />
                            {chosen.map(|version| view! {
                                <Show when=move || hydrated.get()>
                                    <TemplateEditor version=version.clone() save saves />
                                </Show>
                            })}
                        })
                    }
                    Err(error) => EitherOf3::C(view! { <ErrorNotice error /> }),
                }
                })
            }}
        </Transition>
    }
}

fn kind_label(kind: TemplateKind) -> &'static str {
    let tt = crate::i18n::templates::texts();
    match kind {
        TemplateKind::Letter => tt.kind_letter,
        TemplateKind::Email => tt.kind_email,
    }
}

#[component]
fn TemplateList(list: Vec<TemplateVersion>) -> impl IntoView {
    let tt = crate::i18n::templates::texts();
    let rows = list
        .into_iter()
        .map(|version| {
            let href = format!("/templates?name={}", version.template_name);
            view! {
                <tr data-testid=format!("template-row-{}", version.template_name)>
                    <td><code>{version.template_name.clone()}</code></td>
                    <td>{kind_label(version.kind)}</td>
                    <td class="number">{version.version}</td>
                    <td>{version.subject.clone()}</td>
                    <td><a href=href>{tt.edit}</a></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="template-list">
            <h2 id="template-list">{tt.list_title}</h2>
            <div class="table-wrap"><table class="data">
                <thead>
                    <tr>
                        <th scope="col">{tt.name}</th>
                        <th scope="col">{tt.kind}</th>
                        <th scope="col">{tt.version}</th>
                        <th scope="col">{tt.subject_column}</th>
                        <th scope="col"><span class="visually-hidden">{tt.edit}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
    }
}

/// The message for `field` from a refused save or preview, shown under it.
fn field_message(
    errors: Signal<Vec<AppError>>,
    field: &'static str,
) -> impl Fn() -> Option<AnyView> + Send + Sync + 'static {
    move || {
        errors
            .get()
            .iter()
            .find_map(|error| error.field_message(field))
            .map(|message| {
                view! { <span class="field-error" data-testid=format!("error-{field}")>{message}</span> }.into_any()
            })
    }
}

#[component]
fn TemplateEditor(version: TemplateVersion, save: ServerAction<SaveTemplate>, saves: RwSignal<u32>) -> impl IntoView {
    let tt = crate::i18n::templates::texts();
    let kind = version.kind;
    let name = version.template_name.clone();
    let extra_initial = match kind {
        TemplateKind::Letter => version.notes.clone(),
        TemplateKind::Email => version.html_body.clone(),
    }
    .unwrap_or_default();
    let subject = RwSignal::new(version.subject.clone());
    let body = RwSignal::new(version.body.clone());
    let extra = RwSignal::new(extra_initial.clone());
    let date_style = RwSignal::new(version.date_style);
    let reference_code = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let edit = {
        let name = name.clone();
        Memo::new(move |_| {
            let extra = Some(extra.get());
            TemplateEdit {
                name: name.clone(),
                date_style: date_style.get(),
                text: TemplateText {
                    subject: subject.get(),
                    body: body.get(),
                    html_body: if kind == TemplateKind::Email {
                        extra.clone()
                    } else {
                        None
                    },
                    notes: if kind == TemplateKind::Letter { extra } else { None },
                },
                reference_code: reference_code.get(),
                date: date.get(),
            }
        })
    };
    // The preview follows `edit` once typing pauses for PREVIEW_DELAY.
    let settled = RwSignal::new(edit.get_untracked());
    Effect::new(move |_| {
        let current = edit.get();
        set_timeout(
            move || {
                if edit.get_untracked() == current {
                    settled.set(current);
                }
            },
            PREVIEW_DELAY,
        );
    });
    let preview = Resource::new(move || settled.get(), preview_template);
    let test_send = ServerAction::<SendTestEmail>::new();

    let save_refused = Signal::derive(move || save.value().get().and_then(Result::err));
    let preview_refused = Signal::derive(move || preview.get().and_then(Result::err));
    let errors = Signal::derive(move || {
        save_refused
            .get()
            .into_iter()
            .chain(preview_refused.get())
            .collect::<Vec<_>>()
    });
    let save_result = move || {
        save.value().get().map(|outcome| match outcome {
            Ok(saved) => Either::Left(view! {
                <p class="notice success" role="status" data-testid="template-saved">{(tt.saved)(saved.version)}</p>
            }),
            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
        })
    };
    let test_result = move || {
        test_send.value().get().map(|outcome| match outcome {
            Ok(address) => Either::Left(view! {
                <p class="notice success" role="status" data-testid="test-sent">{(tt.test_sent)(&address)}</p>
            }),
            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
        })
    };
    let (subject_label, extra_label, extra_field, extra_input, extra_hint) = match kind {
        TemplateKind::Letter => (
            tt.subject_letter,
            tt.notes,
            "notes",
            "edit[text][notes]",
            Some(tt.notes_hint),
        ),
        TemplateKind::Email => (tt.subject_email, tt.html, "html", "edit[text][html_body]", None),
    };
    let style_option = move |style: DateStyle, label: &'static str| {
        view! { <option value=style.code() selected=move || date_style.get() == style>{label}</option> }
    };
    let history_name = name.clone();
    let editor_id = format!("editor-{name}");
    let heading = (tt.editing)(&name, version.version);
    view! {
        <section class="card template-editor" aria-labelledby="template-editor" data-testid=editor_id>
            <h2 id="template-editor">{heading}</h2>
            <div data-testid="save-result">{save_result}</div>
            <div class="editor-columns">
                <ActionForm action=save attr:class="template-form" attr:data-testid="template-form">
                    <input type="hidden" name="edit[name]" value=name />
                    <label for="template-subject">{subject_label}</label>
                    <input id="template-subject" name="edit[text][subject]" value=version.subject.clone()
                        on:input:target=move |ev| subject.set(ev.target().value()) data-testid="template-subject" />
                    {field_message(errors, "subject")}
                    <label for="template-body">{tt.body}</label>
                    <textarea id="template-body" name="edit[text][body]" rows="16" aria-describedby="template-body-hint"
                        on:input:target=move |ev| body.set(ev.target().value()) data-testid="template-body">
                        {textarea_text(&version.body)}
                    </textarea>
                    <span class="hint" id="template-body-hint">{tt.body_hint}</span>
                    {field_message(errors, "body")}
                    <label for="template-extra">{extra_label}</label>
                    <textarea id="template-extra" name=extra_input rows=if kind == TemplateKind::Letter { "5" } else { "12" }
                        on:input:target=move |ev| extra.set(ev.target().value()) data-testid="template-extra">
                        {textarea_text(&extra_initial)}
                    </textarea>
                    {extra_hint.map(|hint| view! { <span class="hint">{hint}</span> })}
                    {field_message(errors, extra_field)}
                    <label for="template-date-style">{tt.date_style}</label>
                    <select id="template-date-style" name="edit[date_style]" data-testid="template-date-style"
                        on:change:target=move |ev| {
                            if let Some(style) = DateStyle::from_code(&ev.target().value()) {
                                date_style.set(style);
                            }
                        }>
                        {style_option(DateStyle::Wareki, tt.wareki)}
                        {style_option(DateStyle::Western, tt.western)}
                    </select>
                    <fieldset class="preview-choice">
                        <legend>{tt.preview}</legend>
                        <label for="template-reference">{tt.preview_customer}</label>
                        <input id="template-reference" name="edit[reference_code]" placeholder=tt.preview_customer_hint
                            autocomplete="off" data-testid="preview-reference"
                            on:input:target=move |ev| reference_code.set(ev.target().value()) />
                        {field_message(errors, "reference_code")}
                        <label for="template-date">{tt.preview_date}</label>
                        <input id="template-date" name="edit[date]" type="date" data-testid="preview-date"
                            title=tt.preview_date_hint on:input:target=move |ev| date.set(ev.target().value()) />
                        {field_message(errors, "date")}
                    </fieldset>
                    <div class="actions">
                        <button type="submit" class="primary" data-testid="template-save">{tt.save}</button>
                        {(kind == TemplateKind::Email).then(|| view! {
                            <button type="button" data-testid="template-test-send"
                                on:click=move |_| { test_send.dispatch(SendTestEmail { edit: edit.get_untracked() }); }>
                                {tt.test_send}
                            </button>
                        })}
                    </div>
                    <div data-testid="test-send-result">{test_result}</div>
                </ActionForm>
                <div class="template-preview" aria-live="polite">
                    <h3>{tt.preview}</h3>
                    <Transition fallback=move || view! { <p class="loading">{texts().loading}</p> }>
                        {move || Suspend::new(async move {
                            match preview.await {
                                Ok(Preview::Letter(letter)) => EitherOf3::A(view! { <LetterPreview letter /> }),
                                Ok(Preview::Email(email)) => EitherOf3::B(view! { <EmailPreview email /> }),
                                Err(error) => EitherOf3::C(view! {
                                    <div data-testid="preview-error"><ErrorNotice error /></div>
                                }),
                            }
                        })}
                    </Transition>
                </div>
            </div>
            <PlaceholderList />
            <VersionHistory name=history_name saves />
        </section>
    }
}

#[component]
fn LetterPreview(letter: LetterContent) -> impl IntoView {
    let LetterContent {
        date_line,
        recipient,
        sender_lines,
        title,
        body,
        closing,
        notes,
        footer,
    } = letter;
    view! {
        <article class="letter-preview" data-testid="letter-preview">
            <p class="letter-date">{date_line}</p>
            <div class="letter-recipient">
                <p>{recipient.postal_line}</p>
                {recipient.address_lines.into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
                <p class="letter-name">{recipient.name_line}</p>
            </div>
            <div class="letter-sender">
                {sender_lines.into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
            </div>
            <h4 class="letter-title">{title}</h4>
            {body.into_iter().map(|paragraph| view! { <p class="letter-paragraph">{paragraph}</p> }).collect_view()}
            <p class="letter-closing">{closing}</p>
            <p class="letter-ki">"記"</p>
            <ul class="letter-notes">
                {notes.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
            <p class="letter-closing">"以上"</p>
            <p class="letter-footer">{footer}</p>
        </article>
    }
}

#[component]
fn EmailPreview(email: RenderedEmail) -> impl IntoView {
    let tt = crate::i18n::templates::texts();
    view! {
        <article class="email-preview" data-testid="email-preview">
            <p class="email-subject"><span class="hint">{tt.preview_subject}</span> " " <strong data-testid="email-subject">{email.subject}</strong></p>
            <h4>{tt.preview_html_part}</h4>
            // Sandboxed: the template's HTML runs no script and reaches nothing of this page.
            <iframe class="email-html" sandbox="" srcdoc=email.html title=tt.preview_html_part></iframe>
            <h4>{tt.preview_text_part}</h4>
            <pre class="email-text" data-testid="email-text">{email.text}</pre>
        </article>
    }
}

#[component]
fn PlaceholderList() -> impl IntoView {
    let tt = crate::i18n::templates::texts();
    let lang = lang();
    let items = Placeholder::ALL
        .into_iter()
        .map(|placeholder| {
            let description = match lang {
                Lang::Ja => placeholder.description_ja(),
                Lang::En => placeholder.description_en(),
            };
            view! { <dt><code>{placeholder.to_string()}</code></dt><dd>{description}</dd> }
        })
        .collect_view();
    view! {
        <details class="placeholders">
            <summary>{tt.placeholders}</summary>
            <p class="hint">{tt.placeholders_lead}</p>
            <dl>{items}</dl>
        </details>
    }
}

/// `2017-12-22 09:30` in Tokyo time.
fn tokyo_minute(at: time::OffsetDateTime) -> String {
    at.to_offset(breachdesk::calendar::TOKYO)
        .format(time::macros::format_description!(
            "[year]-[month]-[day] [hour]:[minute]"
        ))
        .unwrap_or_default()
}

#[component]
fn VersionHistory(name: String, saves: RwSignal<u32>) -> impl IntoView {
    let tt = crate::i18n::templates::texts();
    let history = Resource::new(
        move || (name.clone(), saves.get()),
        |(name, _)| load_template_history(name),
    );
    view! {
        <h3>{tt.history}</h3>
        <Transition fallback=move || view! { <p class="loading">{texts().loading}</p> }>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(versions) => Either::Left(view! {
                        <table class="data" data-testid="template-history">
                            <thead>
                                <tr>
                                    <th scope="col">{tt.version}</th>
                                    <th scope="col">{tt.history_at}</th>
                                    <th scope="col">{tt.history_by}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {versions.into_iter().map(|info| view! {
                                    <tr>
                                        <td class="number">{info.version}</td>
                                        <td>{tokyo_minute(info.created_at)}</td>
                                        <td>{info.author.unwrap_or_else(|| tt.history_by_system.to_owned())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
    }
}
