//! Notification campaigns (pure): states and their transitions, the settings a manager chooses,
//! and the delivery states the outbox rows move through. The sending itself is in `campaigns.rs`
//! and the `serve` process's worker.

pub mod bounce;
pub mod pace;
pub mod progress;

use serde::{Deserialize, Serialize};

/// Where a campaign stands: draft → running ⇄ paused → finished, or cancelled from any unfinished state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CampaignState {
    Draft,
    Running,
    Paused,
    Finished,
    Cancelled,
}

/// What a manager (or the worker) asks of a campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CampaignAction {
    Start,
    Pause,
    Resume,
    Cancel,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {from} campaign cannot be {action}")]
pub struct TransitionRefused {
    pub from: &'static str,
    pub action: &'static str,
}

impl CampaignState {
    pub const ALL: [CampaignState; 5] = [
        CampaignState::Draft,
        CampaignState::Running,
        CampaignState::Paused,
        CampaignState::Finished,
        CampaignState::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CampaignState::Draft => "draft",
            CampaignState::Running => "running",
            CampaignState::Paused => "paused",
            CampaignState::Finished => "finished",
            CampaignState::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.code() == code)
    }

    /// The state after `action`. Starting a running campaign again is allowed and changes nothing,
    /// so a double click or a repeated command is harmless; everything else out of order is refused.
    pub fn apply(self, action: CampaignAction) -> Result<CampaignState, TransitionRefused> {
        use CampaignAction as A;
        use CampaignState as S;
        match (self, action) {
            (S::Draft | S::Running, A::Start) => Ok(S::Running),
            (S::Running | S::Paused, A::Pause) => Ok(S::Paused),
            (S::Paused | S::Running, A::Resume) => Ok(S::Running),
            (S::Draft | S::Running | S::Paused, A::Cancel) => Ok(S::Cancelled),
            (from, action) => Err(TransitionRefused {
                from: from.code(),
                action: action.past_tense(),
            }),
        }
    }

    /// Whether nothing more will happen to it.
    pub fn is_over(self) -> bool {
        matches!(self, CampaignState::Finished | CampaignState::Cancelled)
    }
}

impl std::fmt::Display for CampaignState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl CampaignAction {
    pub fn code(self) -> &'static str {
        match self {
            CampaignAction::Start => "start",
            CampaignAction::Pause => "pause",
            CampaignAction::Resume => "resume",
            CampaignAction::Cancel => "cancel",
        }
    }

    fn past_tense(self) -> &'static str {
        match self {
            CampaignAction::Start => "started",
            CampaignAction::Pause => "paused",
            CampaignAction::Resume => "resumed",
            CampaignAction::Cancel => "cancelled",
        }
    }
}

/// How a campaign reaches its customers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Letter,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Letter => "letter",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "email" => Some(Channel::Email),
            "letter" => Some(Channel::Letter),
            _ => None,
        }
    }
}

impl std::fmt::Display for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown channel {0:?}: expected email or letter")]
pub struct UnknownChannel(pub String);

impl std::str::FromStr for Channel {
    type Err = UnknownChannel;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Channel::from_code(input).ok_or_else(|| UnknownChannel(input.trim().to_owned()))
    }
}

/// Where one delivery row stands. The codes are the `deliveries.state` column's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    Queued,
    Sending,
    Sent,
    FailedTemporary,
    FailedPermanent,
    Bounced,
    Returned,
    Cancelled,
}

impl DeliveryState {
    pub const ALL: [DeliveryState; 8] = [
        DeliveryState::Queued,
        DeliveryState::Sending,
        DeliveryState::Sent,
        DeliveryState::FailedTemporary,
        DeliveryState::FailedPermanent,
        DeliveryState::Bounced,
        DeliveryState::Returned,
        DeliveryState::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DeliveryState::Queued => "queued",
            DeliveryState::Sending => "sending",
            DeliveryState::Sent => "sent",
            DeliveryState::FailedTemporary => "failed_temporary",
            DeliveryState::FailedPermanent => "failed_permanent",
            DeliveryState::Bounced => "bounced",
            DeliveryState::Returned => "returned",
            DeliveryState::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.code() == code)
    }

    /// Still to be sent (or being sent): what keeps a campaign from finishing.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            DeliveryState::Queued | DeliveryState::Sending | DeliveryState::FailedTemporary
        )
    }
}

/// What a restart does with deliveries a crash left in `sending` (the SMTP server may have them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InDoubtPolicy {
    /// Queue them again: nobody is missed, and only these few may get a second copy.
    #[default]
    Resend,
    /// Keep them for a manager to send again or mark sent.
    Hold,
}

impl InDoubtPolicy {
    pub fn code(self) -> &'static str {
        match self {
            InDoubtPolicy::Resend => "resend",
            InDoubtPolicy::Hold => "hold",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "resend" => Some(InDoubtPolicy::Resend),
            "hold" => Some(InDoubtPolicy::Hold),
            _ => None,
        }
    }
}

/// How a campaign sends, as typed in the form or on the command line (numbers as text, blank for the default).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsInput {
    #[serde(default)]
    pub concurrency: String,
    /// Messages per second; blank: no limit.
    #[serde(default)]
    pub rate_per_second: String,
    /// Messages per hour; blank: no cap.
    #[serde(default)]
    pub hourly_cap: String,
    #[serde(default)]
    pub max_attempts: String,
    #[serde(default)]
    pub retry_after_seconds: String,
    #[serde(default)]
    pub pause_above_percent: String,
    #[serde(default)]
    pub hotline_hours_only: bool,
    #[serde(default)]
    pub hold_in_doubt: bool,
}

/// Checked sending settings. Outside the crate only [`CampaignSettings::parse`] makes one; the
/// campaign store rebuilds them from rows the database's CHECKs kept in the same ranges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignSettings {
    pub(crate) concurrency: u32,
    pub(crate) rate_per_second: Option<u32>,
    pub(crate) hourly_cap: Option<u32>,
    pub(crate) max_attempts: u32,
    pub(crate) retry_after_seconds: u32,
    pub(crate) pause_above_percent: u32,
    pub(crate) hotline_hours_only: bool,
    pub(crate) in_doubt: InDoubtPolicy,
}

/// A setting out of range, named by its form field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} must be a whole number from {min} to {max}")]
pub struct SettingError {
    pub field: &'static str,
    pub min: u32,
    pub max: u32,
}

impl Default for CampaignSettings {
    /// Four connections (the mail transport's pool), no rate limit or cap, five attempts a minute
    /// apart and doubling, a pause when a fifth of recent attempts fail, in-doubt rows sent again.
    fn default() -> Self {
        CampaignSettings {
            concurrency: 4,
            rate_per_second: None,
            hourly_cap: None,
            max_attempts: 5,
            retry_after_seconds: 60,
            pause_above_percent: 20,
            hotline_hours_only: false,
            in_doubt: InDoubtPolicy::Resend,
        }
    }
}

fn number(field: &'static str, text: &str, min: u32, max: u32) -> Result<Option<u32>, SettingError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<u32>()
        .ok()
        .filter(|value| (min..=max).contains(value))
        .map(Some)
        .ok_or(SettingError { field, min, max })
}

impl CampaignSettings {
    /// Every field checked; blank fields take the defaults.
    pub fn parse(input: &SettingsInput) -> Result<Self, SettingError> {
        let default = CampaignSettings::default();
        Ok(CampaignSettings {
            concurrency: number("concurrency", &input.concurrency, 1, 64)?.unwrap_or(default.concurrency),
            rate_per_second: number("rate_per_second", &input.rate_per_second, 1, 100_000)?,
            hourly_cap: number("hourly_cap", &input.hourly_cap, 1, 10_000_000)?,
            max_attempts: number("max_attempts", &input.max_attempts, 1, 20)?.unwrap_or(default.max_attempts),
            retry_after_seconds: number("retry_after_seconds", &input.retry_after_seconds, 1, 86_400)?
                .unwrap_or(default.retry_after_seconds),
            pause_above_percent: number("pause_above_percent", &input.pause_above_percent, 1, 100)?
                .unwrap_or(default.pause_above_percent),
            hotline_hours_only: input.hotline_hours_only,
            in_doubt: if input.hold_in_doubt {
                InDoubtPolicy::Hold
            } else {
                InDoubtPolicy::Resend
            },
        })
    }

    pub fn concurrency(&self) -> u32 {
        self.concurrency
    }
    pub fn rate_per_second(&self) -> Option<u32> {
        self.rate_per_second
    }
    pub fn hourly_cap(&self) -> Option<u32> {
        self.hourly_cap
    }
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }
    pub fn retry_after_seconds(&self) -> u32 {
        self.retry_after_seconds
    }
    pub fn pause_above_percent(&self) -> u32 {
        self.pause_above_percent
    }
    pub fn hotline_hours_only(&self) -> bool {
        self.hotline_hours_only
    }
    pub fn in_doubt(&self) -> InDoubtPolicy {
        self.in_doubt
    }
}

/// A campaign as the pages and the command line show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: i64,
    pub template_name: String,
    pub template_version: u32,
    pub template_version_id: i64,
    pub channel: Channel,
    pub audience: crate::audience::Audience,
    pub state: CampaignState,
    pub settings: CampaignSettings,
    /// Why the worker paused it; `None` when a person paused it or it is not paused.
    pub pause_reason: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub started_at: Option<time::OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub finished_at: Option<time::OffsetDateTime>,
}

/// An SMTP reply as `deliveries.last_error` may keep it: servers often quote the recipient's
/// address, which is personal data, so every word holding an `@` is replaced; at most 300 characters.
pub fn smtp_reason(message: &str) -> String {
    let redacted: Vec<&str> = message
        .split_whitespace()
        .map(|word| if word.contains('@') { "<address>" } else { word })
        .collect();
    redacted.join(" ").chars().take(300).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_campaign_runs_pauses_resumes_and_finishes_only_in_order() {
        use CampaignAction as A;
        use CampaignState as S;
        assert_eq!(S::Draft.apply(A::Start), Ok(S::Running));
        assert_eq!(S::Running.apply(A::Pause), Ok(S::Paused));
        assert_eq!(S::Paused.apply(A::Resume), Ok(S::Running));
        assert_eq!(S::Paused.apply(A::Cancel), Ok(S::Cancelled));
        assert!(S::Draft.apply(A::Pause).is_err());
        assert!(S::Finished.apply(A::Resume).is_err());
        let refused = S::Cancelled.apply(A::Start).expect_err("over");
        assert_eq!(refused.to_string(), "a cancelled campaign cannot be started");
    }

    #[test]
    fn starting_a_running_campaign_again_changes_nothing() {
        assert_eq!(
            CampaignState::Running.apply(CampaignAction::Start),
            Ok(CampaignState::Running)
        );
    }

    #[test]
    fn every_state_round_trips_through_its_code() {
        for state in CampaignState::ALL {
            assert_eq!(CampaignState::from_code(state.code()), Some(state));
        }
        for state in DeliveryState::ALL {
            assert_eq!(DeliveryState::from_code(state.code()), Some(state));
        }
        assert_eq!(" Letter ".parse(), Ok(Channel::Letter));
        assert!("fax".parse::<Channel>().is_err());
    }

    #[test]
    fn an_smtp_reason_never_keeps_the_recipients_address() {
        let reason = smtp_reason("permanent error (550): 5.1.1 <taro@example.com>: Recipient address rejected");
        assert_eq!(
            reason,
            "permanent error (550): 5.1.1 <address> Recipient address rejected"
        );
    }

    #[test]
    fn blank_settings_take_the_defaults() {
        let settings = CampaignSettings::parse(&SettingsInput::default()).expect("valid");
        assert_eq!(settings, CampaignSettings::default());
        assert_eq!(settings.in_doubt(), InDoubtPolicy::Resend);
    }

    #[test]
    fn a_setting_out_of_range_is_refused_by_its_field_name() {
        let input = SettingsInput {
            concurrency: "0".into(),
            ..SettingsInput::default()
        };
        assert_eq!(
            CampaignSettings::parse(&input).expect_err("refused").field,
            "concurrency"
        );
        let input = SettingsInput {
            rate_per_second: "fast".into(),
            ..SettingsInput::default()
        };
        assert_eq!(
            CampaignSettings::parse(&input).expect_err("refused").field,
            "rate_per_second"
        );
        let input = SettingsInput {
            rate_per_second: " 50 ".into(),
            hold_in_doubt: true,
            ..SettingsInput::default()
        };
        let settings = CampaignSettings::parse(&input).expect("valid");
        assert_eq!(settings.rate_per_second(), Some(50));
        assert_eq!(settings.in_doubt(), InDoubtPolicy::Hold);
    }
}
