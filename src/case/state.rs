//! The two things tracked per customer: whether their card was reissued and whether their money came back.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Which of the two tracks an event or a state belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    Reissue,
    Refund,
}

impl CaseKind {
    pub fn code(self) -> &'static str {
        match self {
            CaseKind::Reissue => "reissue",
            CaseKind::Refund => "refund",
        }
    }

    pub fn from_code(code: &str) -> Option<CaseKind> {
        match code {
            "reissue" => Some(CaseKind::Reissue),
            "refund" => Some(CaseKind::Refund),
            _ => None,
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            CaseKind::Reissue => "カード再発行",
            CaseKind::Refund => "返金",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            CaseKind::Reissue => "Card reissue",
            CaseKind::Refund => "Refund",
        }
    }
}

/// Where a customer's replacement card stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReissueState {
    /// 未対応: every affected customer starts here.
    #[default]
    NotStarted,
    /// 依頼受付: the customer asked, or the company asked the card company.
    Requested,
    /// カード会社手配中
    Processing,
    /// 再発行済
    Reissued,
    /// 不要: the customer declined, or the card had been replaced already.
    NotNeeded,
    /// 不明: the card company could not match the card.
    Unknown,
}

/// Where a customer's claim for fraudulent charges or compensation stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundState {
    /// 対象外: nothing to refund.
    NotApplicable,
    /// 申告待ち: every affected customer starts here, since anyone may find a fraudulent charge later.
    #[default]
    AwaitingClaim,
    /// 調査中
    Investigating,
    /// 返金手続中, with the amount.
    RefundInProgress,
    /// 返金済, with the date and amount.
    Refunded,
    /// 不承認, with the reason.
    Rejected,
}

impl ReissueState {
    pub const ALL: [ReissueState; 6] = [
        ReissueState::NotStarted,
        ReissueState::Requested,
        ReissueState::Processing,
        ReissueState::Reissued,
        ReissueState::NotNeeded,
        ReissueState::Unknown,
    ];

    /// The stable name in the database, forms and bulk files.
    pub fn code(self) -> &'static str {
        match self {
            ReissueState::NotStarted => "not_started",
            ReissueState::Requested => "requested",
            ReissueState::Processing => "processing",
            ReissueState::Reissued => "reissued",
            ReissueState::NotNeeded => "not_needed",
            ReissueState::Unknown => "unknown",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            ReissueState::NotStarted => "未対応",
            ReissueState::Requested => "依頼受付",
            ReissueState::Processing => "カード会社手配中",
            ReissueState::Reissued => "再発行済",
            ReissueState::NotNeeded => "不要",
            ReissueState::Unknown => "不明",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ReissueState::NotStarted => "Not started",
            ReissueState::Requested => "Requested",
            ReissueState::Processing => "Card company processing",
            ReissueState::Reissued => "Reissued",
            ReissueState::NotNeeded => "Not needed",
            ReissueState::Unknown => "Unknown",
        }
    }

    /// What the customer reads on the public status page: plain words, no internal terms.
    pub fn explanation_ja(self) -> &'static str {
        match self {
            ReissueState::NotStarted => {
                "カードの再発行はまだ受け付けておりません。ご希望の場合はお問い合わせ窓口までご連絡ください。"
            }
            ReissueState::Requested => {
                "カード再発行のご依頼を受け付けました。カード会社へお手続きをお願いしております。"
            }
            ReissueState::Processing => {
                "カード会社で新しいカードを準備しております。お届けまでしばらくお待ちください。"
            }
            ReissueState::Reissued => "新しいカードが発行されました。以前のカードはご利用いただけません。",
            ReissueState::NotNeeded => "カードの再発行は不要と承っております。",
            ReissueState::Unknown => {
                "カード会社でお客様のカードを確認できませんでした。お手数ですがカード会社へ直接お問い合わせください。"
            }
        }
    }

    pub fn explanation_en(self) -> &'static str {
        match self {
            ReissueState::NotStarted => {
                "We have not received a request to replace your card. Call our hotline if you would like one."
            }
            ReissueState::Requested => "We have your request for a new card and have passed it to your card company.",
            ReissueState::Processing => "Your card company is preparing your new card. It will arrive by post.",
            ReissueState::Reissued => "Your new card has been issued. Your old card no longer works.",
            ReissueState::NotNeeded => "You told us you do not need a new card.",
            ReissueState::Unknown => {
                "Your card company could not find your card. Please contact your card company directly."
            }
        }
    }

    pub fn from_code(code: &str) -> Option<ReissueState> {
        Self::ALL.into_iter().find(|state| state.code() == code)
    }

    /// A state as a bulk file or a form writes it: the code, or the Japanese or English label.
    pub fn parse(input: &str) -> Option<ReissueState> {
        let input = input.trim();
        Self::ALL.into_iter().find(|state| {
            state.code().eq_ignore_ascii_case(input)
                || state.label_ja() == input
                || state.label_en().eq_ignore_ascii_case(input)
        })
    }
}

impl RefundState {
    pub const ALL: [RefundState; 6] = [
        RefundState::NotApplicable,
        RefundState::AwaitingClaim,
        RefundState::Investigating,
        RefundState::RefundInProgress,
        RefundState::Refunded,
        RefundState::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RefundState::NotApplicable => "not_applicable",
            RefundState::AwaitingClaim => "awaiting_claim",
            RefundState::Investigating => "investigating",
            RefundState::RefundInProgress => "refund_in_progress",
            RefundState::Refunded => "refunded",
            RefundState::Rejected => "rejected",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            RefundState::NotApplicable => "対象外",
            RefundState::AwaitingClaim => "申告待ち",
            RefundState::Investigating => "調査中",
            RefundState::RefundInProgress => "返金手続中",
            RefundState::Refunded => "返金済",
            RefundState::Rejected => "不承認",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            RefundState::NotApplicable => "Not applicable",
            RefundState::AwaitingClaim => "Awaiting claim",
            RefundState::Investigating => "Investigating",
            RefundState::RefundInProgress => "Refund in progress",
            RefundState::Refunded => "Refunded",
            RefundState::Rejected => "Rejected",
        }
    }

    pub fn explanation_ja(self) -> &'static str {
        match self {
            RefundState::NotApplicable => "返金の対象となるご請求は確認されておりません。",
            RefundState::AwaitingClaim => {
                "身に覚えのないご請求がございましたら、お問い合わせ窓口までお知らせください。"
            }
            RefundState::Investigating => "お申し出のご請求について、カード会社と調査しております。",
            RefundState::RefundInProgress => "返金のお手続きを進めております。",
            RefundState::Refunded => "返金のお手続きが完了しました。",
            RefundState::Rejected => {
                "調査の結果、返金の対象外となりました。詳しくはお問い合わせ窓口までお問い合わせください。"
            }
        }
    }

    pub fn explanation_en(self) -> &'static str {
        match self {
            RefundState::NotApplicable => "We have found no charge on your card that needs refunding.",
            RefundState::AwaitingClaim => "If you see a charge you do not recognise, please tell our hotline.",
            RefundState::Investigating => {
                "We are looking into the charges you reported, together with your card company."
            }
            RefundState::RefundInProgress => "Your refund is on its way.",
            RefundState::Refunded => "Your refund has been paid.",
            RefundState::Rejected => {
                "After checking, we could not refund this charge. Please call our hotline for details."
            }
        }
    }

    pub fn from_code(code: &str) -> Option<RefundState> {
        Self::ALL.into_iter().find(|state| state.code() == code)
    }

    pub fn parse(input: &str) -> Option<RefundState> {
        let input = input.trim();
        Self::ALL.into_iter().find(|state| {
            state.code().eq_ignore_ascii_case(input)
                || state.label_ja() == input
                || state.label_en().eq_ignore_ascii_case(input)
        })
    }
}

/// A state on either track: what an event moves from and to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    Reissue(ReissueState),
    Refund(RefundState),
}

impl CaseState {
    pub fn kind(self) -> CaseKind {
        match self {
            CaseState::Reissue(_) => CaseKind::Reissue,
            CaseState::Refund(_) => CaseKind::Refund,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            CaseState::Reissue(state) => state.code(),
            CaseState::Refund(state) => state.code(),
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            CaseState::Reissue(state) => state.label_ja(),
            CaseState::Refund(state) => state.label_ja(),
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            CaseState::Reissue(state) => state.label_en(),
            CaseState::Refund(state) => state.label_en(),
        }
    }

    pub fn from_code(kind: CaseKind, code: &str) -> Option<CaseState> {
        match kind {
            CaseKind::Reissue => ReissueState::from_code(code).map(CaseState::Reissue),
            CaseKind::Refund => RefundState::from_code(code).map(CaseState::Refund),
        }
    }

    /// A status written in a bulk file, where one column holds either track: reissue names
    /// and refund names never overlap, so the name says which track it is.
    pub fn parse_any(input: &str) -> Option<CaseState> {
        ReissueState::parse(input)
            .map(CaseState::Reissue)
            .or_else(|| RefundState::parse(input).map(CaseState::Refund))
    }
}

impl fmt::Display for CaseState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_round_trips_through_its_code() {
        for state in ReissueState::ALL {
            assert_eq!(ReissueState::from_code(state.code()), Some(state));
        }
        for state in RefundState::ALL {
            assert_eq!(RefundState::from_code(state.code()), Some(state));
        }
    }

    #[test]
    fn a_status_is_read_as_its_code_or_its_japanese_or_english_label() {
        assert_eq!(
            CaseState::parse_any("再発行済"),
            Some(CaseState::Reissue(ReissueState::Reissued))
        );
        assert_eq!(
            CaseState::parse_any("REISSUED"),
            Some(CaseState::Reissue(ReissueState::Reissued))
        );
        assert_eq!(
            CaseState::parse_any(" 返金済 "),
            Some(CaseState::Refund(RefundState::Refunded))
        );
        assert_eq!(
            CaseState::parse_any("refund in progress"),
            Some(CaseState::Refund(RefundState::RefundInProgress))
        );
        assert_eq!(CaseState::parse_any("done"), None);
    }

    #[test]
    fn no_label_or_code_belongs_to_both_tracks() {
        for reissue in ReissueState::ALL {
            for refund in RefundState::ALL {
                assert_ne!(reissue.code(), refund.code());
                assert_ne!(reissue.label_ja(), refund.label_ja());
                assert!(!reissue.label_en().eq_ignore_ascii_case(refund.label_en()));
            }
        }
    }

    #[test]
    fn every_customer_starts_not_started_and_awaiting_a_claim() {
        assert_eq!(ReissueState::default(), ReissueState::NotStarted);
        assert_eq!(RefundState::default(), RefundState::AwaitingClaim);
    }
}
