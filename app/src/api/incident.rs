//! The incident profile as staff read it.

use breachdesk::incident::IncidentProfile;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::Texts;

/// Every staff role: agents need the facts in front of them when the phone rings.
#[server(prefix = "/api", endpoint = "incident")]
pub async fn load_incident_profile() -> Result<Option<IncidentProfile>, AppError> {
    use crate::context::{require, state, with_status};
    use breachdesk::role::Capability;
    require(Capability::ViewIncident)?;
    with_status(async { Ok(IncidentProfile::load(&state()?.pool).await?) }.await)
}

/// The incident profile as the Settings form posts it: every field as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IncidentForm {
    pub company_name: String,
    pub representative: String,
    pub shop_name: String,
    pub shop_url: String,
    pub title: String,
    pub affected_from: String,
    pub affected_until: String,
    pub leaked_items: String,
    pub announced_customers: String,
    pub cause_summary: String,
    pub measures_taken: String,
    pub hotline_name: String,
    pub hotline_number: String,
    pub letter_sender: String,
    pub status_page_url: String,
    /// Optional until emails are sent: `Name <address>` or a bare address.
    pub mail_from: String,
    pub reply_to: String,
}

/// How a field is entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Line,
    Text,
    Date,
    Count,
}

/// A field of the incident form.
pub struct IncidentField {
    /// The name in [`IncidentForm`] and in error messages' `field`.
    pub name: &'static str,
    pub label: fn(&Texts) -> &'static str,
    pub kind: FieldKind,
}

/// The form's fields in the order shown.
pub const INCIDENT_FIELDS: &[IncidentField] = &[
    IncidentField {
        name: "company_name",
        label: |t| t.incident_company,
        kind: FieldKind::Line,
    },
    IncidentField {
        name: "representative",
        label: |t| t.incident_representative,
        kind: FieldKind::Line,
    },
    IncidentField {
        name: "shop_name",
        label: |t| t.incident_shop,
        kind: FieldKind::Line,
    },
    IncidentField {
        name: "shop_url",
        label: |t| t.incident_shop_url,
        kind: FieldKind::Line,
    },
    IncidentField {
        name: "title",
        label: |t| t.incident_title_label,
        kind: FieldKind::Line,
    },
    IncidentField {
        name: "affected_from",
        label: |t| t.incident_affected_from,
        kind: FieldKind::Date,
    },
    IncidentField {
        name: "affected_until",
        label: |t| t.incident_affected_until,
        kind: FieldKind::Date,
    },
    IncidentField {
        name: "leaked_items",
        label: |t| t.incident_leaked_items,
        kind: FieldKind::Text,
    },
    IncidentField {
        name: "announced_customers",
        label: |t| t.incident_announced_customers,
        kind: FieldKind::Count,
    },
    IncidentField {
        name: "cause_summary",
        label: |t| t.incident_cause,
        kind: FieldKind::Text,
    },
    IncidentField {
        name: "measures_taken",
        label: |t| t.incident_measures,
        kind: FieldKind::Text,
    },
    IncidentField {
        name: "hotline_name",
        label: |t| t.incident_hotline_name,
        kind: FieldKind::Line,
    },
    IncidentField {
        name: "hotline_number",
        label: |t| t.incident_hotline_number,
        kind: FieldKind::Line,
    },
    IncidentField {
        name: "letter_sender",
        label: |t| t.incident_letter_sender,
        kind: FieldKind::Text,
    },
    IncidentField {
        name: "status_page_url",
        label: |t| t.incident_status_page,
        kind: FieldKind::Line,
    },
    IncidentField {
        name: "mail_from",
        label: |t| t.incident_mail_from,
        kind: FieldKind::Line,
    },
    IncidentField {
        name: "reply_to",
        label: |t| t.incident_reply_to,
        kind: FieldKind::Line,
    },
];

impl IncidentForm {
    /// The typed value of a field named in [`INCIDENT_FIELDS`].
    pub fn value(&self, field: &str) -> &str {
        match field {
            "company_name" => &self.company_name,
            "representative" => &self.representative,
            "shop_name" => &self.shop_name,
            "shop_url" => &self.shop_url,
            "title" => &self.title,
            "affected_from" => &self.affected_from,
            "affected_until" => &self.affected_until,
            "leaked_items" => &self.leaked_items,
            "announced_customers" => &self.announced_customers,
            "cause_summary" => &self.cause_summary,
            "measures_taken" => &self.measures_taken,
            "hotline_name" => &self.hotline_name,
            "hotline_number" => &self.hotline_number,
            "letter_sender" => &self.letter_sender,
            "status_page_url" => &self.status_page_url,
            "mail_from" => &self.mail_from,
            "reply_to" => &self.reply_to,
            _ => "",
        }
    }
}

impl From<IncidentProfile> for IncidentForm {
    fn from(profile: IncidentProfile) -> Self {
        IncidentForm {
            company_name: profile.company_name,
            representative: profile.representative,
            shop_name: profile.shop_name,
            shop_url: profile.shop_url,
            title: profile.title,
            affected_from: profile.affected_from.to_string(),
            affected_until: profile.affected_until.to_string(),
            leaked_items: profile.leaked_items,
            announced_customers: profile.announced_customers.to_string(),
            cause_summary: profile.cause_summary,
            measures_taken: profile.measures_taken,
            hotline_name: profile.hotline_name,
            hotline_number: profile.hotline_number,
            letter_sender: profile.letter_sender,
            status_page_url: profile.status_page_url,
            mail_from: profile.mail_from.map(|address| address.to_string()).unwrap_or_default(),
            reply_to: profile.reply_to.map(|address| address.to_string()).unwrap_or_default(),
        }
    }
}

/// Admins only: the profile speaks for the company in every letter, email and page. Not yet in the audit trail (issue 10).
#[server(prefix = "/api", endpoint = "incident/save")]
pub async fn save_incident(profile: IncidentForm) -> Result<(), AppError> {
    use breachdesk::role::Capability;

    use breachdesk::audit::{AuditAction, record_logged};

    use crate::context::{require, staff_event, state, texts, with_status};
    let session = require(Capability::EditIncident)?;
    with_status(
        async {
            let profile = server::parse(profile, texts())?;
            let pool = state()?.pool;
            profile.save(&pool).await?;
            record_logged(&pool, &staff_event(&session, AuditAction::ChangedSettings)).await;
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod server {
    use breachdesk::calendar::entry::parse_date;
    use breachdesk::incident::{IncidentProfile, MailAddress};

    use super::IncidentForm;
    use crate::error::{AppError, FieldError};
    use crate::i18n::Texts;

    /// The longest text a field takes: the longest of them (the cause, the measures) fills less than a page.
    const MAX_CHARS: usize = 4_000;

    /// Every field is required: letters and pages print them all. Problems are collected so one post shows them all.
    pub fn parse(form: IncidentForm, t: &Texts) -> Result<IncidentProfile, AppError> {
        use breachdesk::text::{Lines, check};
        let mut problems = Vec::new();
        let mut required = |field: &str, value: String| {
            let value = value.trim().to_owned();
            let message = if value.is_empty() {
                Some((t.incident_field_required)(field_label(t, field)))
            } else if value.chars().count() > MAX_CHARS {
                Some(t.error_text_too_long.to_owned())
            } else if check(&value, Lines::Multi).is_err() {
                // Multi-line for every field: the letter's layout, not the parser, decides where lines break.
                Some(t.error_hidden_characters.to_owned())
            } else {
                None
            };
            if let Some(message) = message {
                problems.push(FieldError {
                    field: field.to_owned(),
                    message,
                });
            }
            value
        };
        let company_name = required("company_name", form.company_name);
        let representative = required("representative", form.representative);
        let shop_name = required("shop_name", form.shop_name);
        let shop_url = required("shop_url", form.shop_url);
        let title = required("title", form.title);
        let leaked_items = required("leaked_items", form.leaked_items);
        let cause_summary = required("cause_summary", form.cause_summary);
        let measures_taken = required("measures_taken", form.measures_taken);
        let hotline_name = required("hotline_name", form.hotline_name);
        let hotline_number = required("hotline_number", form.hotline_number);
        let letter_sender = required("letter_sender", form.letter_sender);
        let status_page_url = required("status_page_url", form.status_page_url);
        let mut address = |field: &str, text: &str| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            MailAddress::parse(text)
                .map_err(|_| {
                    problems.push(FieldError {
                        field: field.to_owned(),
                        message: (t.incident_field_mail_address)(field_label(t, field)),
                    })
                })
                .ok()
        };
        let mail_from = address("mail_from", &form.mail_from);
        let reply_to = address("reply_to", &form.reply_to);
        let mut date = |field: &str, text: &str| {
            parse_date(text)
                .map_err(|_| {
                    problems.push(FieldError {
                        field: field.to_owned(),
                        message: (t.incident_field_date)(field_label(t, field)),
                    })
                })
                .ok()
        };
        let affected_from = date("affected_from", &form.affected_from);
        let affected_until = date("affected_until", &form.affected_until);
        let announced_customers = form
            .announced_customers
            .trim()
            .replace([',', '，'], "")
            .parse::<u32>()
            .map_err(|_| {
                problems.push(FieldError {
                    field: "announced_customers".to_owned(),
                    message: t.incident_count_invalid.to_owned(),
                })
            })
            .ok();
        if let (Some(from), Some(until)) = (affected_from, affected_until)
            && until < from
        {
            problems.push(FieldError {
                field: "affected_until".to_owned(),
                message: t.incident_period_backwards.to_owned(),
            });
        }
        match (affected_from, affected_until, announced_customers) {
            (Some(affected_from), Some(affected_until), Some(announced_customers)) if problems.is_empty() => {
                Ok(IncidentProfile {
                    company_name,
                    representative,
                    shop_name,
                    shop_url,
                    title,
                    affected_from,
                    affected_until,
                    leaked_items,
                    announced_customers,
                    cause_summary,
                    measures_taken,
                    hotline_name,
                    hotline_number,
                    letter_sender,
                    status_page_url,
                    mail_from,
                    reply_to,
                })
            }
            _ => Err(AppError::Invalid(problems)),
        }
    }

    /// The label the form shows for a field, so the message names it.
    fn field_label(t: &Texts, field: &str) -> &'static str {
        super::INCIDENT_FIELDS
            .iter()
            .find(|candidate| candidate.name == field)
            .map_or("", |found| (found.label)(t))
    }
}
