//! Letter campaigns: the batch PDF and mailing list of the campaign's own deliveries (postal-code
//! order, as `letters.rs` makes them), and the manager's confirmation that the batch was mailed.

use sqlx::SqlitePool;
use time::{Date, OffsetDateTime};

use crate::letter::pdf::{first_pages, render_letters};
use crate::letters::{AudienceMember, Batch, LetterSetup, LettersError, MEMBER_COLUMNS, MailingListEntry, MemberRow};

use super::CampaignError;

/// The letters of a letter campaign's queued deliveries (none yet mailed), dated `date`.
async fn queued_members(pool: &SqlitePool, campaign_id: i64) -> Result<Vec<AudienceMember>, LettersError> {
    let rows: Vec<MemberRow> = sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM deliveries d JOIN customers c ON c.id = d.customer_id \
         WHERE d.campaign_id = ? AND d.channel = 'letter' AND d.state = 'queued' \
         ORDER BY c.postal_code, c.reference_code"
    ))
    .bind(campaign_id)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(AudienceMember::try_from).collect()
}

async fn setup(pool: &SqlitePool, campaign_id: i64, date: Date) -> Result<LetterSetup, CampaignError> {
    let campaign = super::load(pool, campaign_id).await?;
    if campaign.channel != crate::campaign::Channel::Letter {
        return Err(CampaignError::NotLetters(campaign_id));
    }
    let template = crate::templates::load_version(pool, campaign.template_version_id)
        .await?
        .ok_or(CampaignError::Stored("template version"))?;
    let incident = crate::incident::IncidentProfile::load(pool)
        .await?
        .ok_or(CampaignError::Stored("incident"))?;
    let schedule = crate::hotline::load(pool)
        .await
        .map_err(|_| CampaignError::Stored("hotline schedule"))?;
    Ok(LetterSetup {
        template,
        incident,
        schedule,
        date,
    })
}

/// Every letter still to mail, with the mailing list in the same order. With `draw` false only
/// the mailing list (page numbers included) is made.
pub async fn batch(pool: &SqlitePool, campaign_id: i64, date: Date, draw: bool) -> Result<Batch, LettersErrorOr> {
    let setup = setup(pool, campaign_id, date).await?;
    let members = queued_members(pool, campaign_id).await?;
    let mut letters = Vec::with_capacity(members.len());
    let mut entries = Vec::with_capacity(members.len());
    for member in members {
        letters.push(setup.letter(&member.recipient)?);
        let recipient = member.recipient;
        entries.push(MailingListEntry {
            order: u32::try_from(entries.len() + 1).unwrap_or(u32::MAX),
            page: 0,
            reference_code: recipient.reference_code,
            postal_code: recipient.postal_code,
            address: recipient.address,
            name: recipient.name,
        });
    }
    let title = format!("{} (campaign {campaign_id})", setup.template.subject);
    // Thousands of pages are seconds of CPU: off the async workers.
    let (pdf, pages, first) = tokio::task::spawn_blocking(move || {
        if draw {
            render_letters(letters, &title, |_| {}).map(|drawn| (drawn.pdf, drawn.pages, drawn.first_pages))
        } else {
            first_pages(letters).map(|first| (Vec::new(), first.last().copied().unwrap_or_default(), first))
        }
    })
    .await
    .map_err(|_| LettersError::Interrupted)?
    .map_err(LettersError::from)?;
    for (entry, page) in entries.iter_mut().zip(first) {
        entry.page = page;
    }
    Ok(Batch {
        pdf,
        pages,
        mailing_list: entries,
    })
}

/// Either kind of failure a batch can meet.
#[derive(Debug, thiserror::Error)]
pub enum LettersErrorOr {
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    #[error(transparent)]
    Letters(#[from] LettersError),
}

/// The manager confirms the printed batch was handed to the post: every queued letter is `sent`
/// and the campaign finished. Returns how many letters were marked.
pub async fn confirm_mailed(pool: &SqlitePool, campaign_id: i64) -> Result<u64, CampaignError> {
    let campaign = super::load(pool, campaign_id).await?;
    if campaign.channel != crate::campaign::Channel::Letter {
        return Err(CampaignError::NotLetters(campaign_id));
    }
    if campaign.state != crate::campaign::CampaignState::Running {
        return Err(crate::campaign::TransitionRefused {
            from: campaign.state.code(),
            action: "confirmed as mailed",
        }
        .into());
    }
    let now = OffsetDateTime::now_utc();
    let marked = sqlx::query(
        "UPDATE deliveries SET state = 'sent', attempts = attempts + 1, sent_at = ?, updated_at = ? \
         WHERE campaign_id = ? AND state = 'queued'",
    )
    .bind(now)
    .bind(now)
    .bind(campaign_id)
    .execute(pool)
    .await?
    .rows_affected();
    super::finish_if_done(pool, campaign_id).await?;
    Ok(marked)
}
