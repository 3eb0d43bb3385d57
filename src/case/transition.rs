//! Which status changes make sense, and who may make them.
//!
//! A change either follows the table (forward along a track, or to a closing state) or is a
//! correction: a manager setting any other state with a reason, for mistakes and
//! second thoughts. Closing states (再発行済, 不要, 返金済, 不承認) are only left by a correction.

use serde::{Deserialize, Serialize};
use time::Date;

use super::state::{CaseState, RefundState, ReissueState};
use super::yen::Yen;
use crate::role::{Capability, Role};

/// How far a staff member's role reaches over case status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseAuthority {
    /// Agents, from the call screen: record a reissue request, mark a refund claim received.
    RecordRequests,
    /// Managers and admins, bulk files and the command line: every transition and corrections.
    ManageAll,
}

impl CaseAuthority {
    /// `None` for a role that may not change case status at all.
    pub fn of(role: Role) -> Option<CaseAuthority> {
        if role.may(Capability::ManageCaseStatus) {
            Some(CaseAuthority::ManageAll)
        } else if role.may(Capability::RecordCaseRequest) {
            Some(CaseAuthority::RecordRequests)
        } else {
            None
        }
    }
}

/// A free-text note or reason: trimmed, at most [`Note::MAX_CHARS`] characters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note(String);

impl Note {
    pub const MAX_CHARS: usize = 500;

    pub fn parse(input: &str) -> Result<Note, TransitionError> {
        let trimmed = input.trim();
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(TransitionError::NoteTooLong);
        }
        crate::text::check(trimmed, crate::text::Lines::Multi).map_err(|_| TransitionError::NoteHidden)?;
        Ok(Note(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A status change someone asked for, before it is checked against the customer's current state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRequest {
    pub to: CaseState,
    /// 返金手続中 and 返金済 carry an amount; nothing else does.
    pub amount: Option<Yen>,
    /// The day it happened (a refund's payment date); defaults to the day it is recorded.
    pub effective_on: Date,
    /// The reason for 不承認 and for corrections; otherwise optional.
    pub note: Note,
    pub correction: bool,
}

/// Why a change was refused. Each is something the person can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum TransitionError {
    #[error("the customer is already in that state")]
    Unchanged,
    #[error("this change does not follow from the current state; a manager can correct it with a reason")]
    NotAllowed,
    #[error("the role may not make this change")]
    Forbidden,
    #[error("an amount in yen is required")]
    AmountRequired,
    #[error("only a refund in progress or a refund paid carries an amount")]
    AmountNotExpected,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("the note is too long")]
    NoteTooLong,
    #[error("the note contains an invisible control or direction character")]
    NoteHidden,
}

/// Whether `from → to` follows the table (no correction needed).
pub fn follows_the_table(from: CaseState, to: CaseState) -> bool {
    use RefundState as F;
    use ReissueState as R;
    match (from, to) {
        (CaseState::Reissue(from), CaseState::Reissue(to)) => match from {
            R::NotStarted => matches!(
                to,
                R::Requested | R::Processing | R::Reissued | R::NotNeeded | R::Unknown
            ),
            R::Requested => matches!(to, R::Processing | R::Reissued | R::NotNeeded | R::Unknown),
            R::Processing => matches!(to, R::Reissued | R::NotNeeded | R::Unknown),
            // The card company could not match the card: ask again, or the customer settles it.
            R::Unknown => matches!(to, R::Requested | R::Processing | R::Reissued | R::NotNeeded),
            R::Reissued | R::NotNeeded => false,
        },
        (CaseState::Refund(from), CaseState::Refund(to)) => match from {
            // A customer thought unaffected may still report a charge.
            F::NotApplicable => matches!(to, F::AwaitingClaim | F::Investigating),
            // Card companies refund some charges without a claim, so the steps may be skipped.
            F::AwaitingClaim => matches!(
                to,
                F::NotApplicable | F::Investigating | F::RefundInProgress | F::Refunded
            ),
            F::Investigating => matches!(to, F::NotApplicable | F::RefundInProgress | F::Refunded | F::Rejected),
            F::RefundInProgress => matches!(to, F::Refunded),
            F::Refunded | F::Rejected => false,
        },
        _ => false,
    }
}

/// What an agent may do: record a reissue request, mark a refund claim received.
fn is_a_request(to: CaseState) -> bool {
    matches!(
        to,
        CaseState::Reissue(ReissueState::Requested) | CaseState::Refund(RefundState::Investigating)
    )
}

/// The amount an event records: required for 返金手続中 and 返金済 (a refund paid may take the
/// amount already in progress), refused elsewhere.
fn amount_for(to: CaseState, given: Option<Yen>, in_progress: Option<Yen>) -> Result<Option<Yen>, TransitionError> {
    match to {
        CaseState::Refund(RefundState::RefundInProgress) => given.map(Some).ok_or(TransitionError::AmountRequired),
        CaseState::Refund(RefundState::Refunded) => {
            given.or(in_progress).map(Some).ok_or(TransitionError::AmountRequired)
        }
        _ if given.is_some() => Err(TransitionError::AmountNotExpected),
        _ => Ok(None),
    }
}

/// A change that passed every rule, ready to be recorded as an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedChange {
    pub from: CaseState,
    pub to: CaseState,
    pub amount: Option<Yen>,
    pub effective_on: Date,
    pub note: Note,
    pub correction: bool,
}

/// Checks `request` against the customer's current state on that track. `in_progress` is the
/// amount of a refund already in progress, which a 返金済 without its own amount takes.
pub fn check(
    from: CaseState,
    in_progress: Option<Yen>,
    request: ChangeRequest,
    authority: CaseAuthority,
) -> Result<CheckedChange, TransitionError> {
    if from == request.to {
        return Err(TransitionError::Unchanged);
    }
    if from.kind() != request.to.kind() {
        return Err(TransitionError::NotAllowed);
    }
    if request.correction {
        if authority != CaseAuthority::ManageAll {
            return Err(TransitionError::Forbidden);
        }
        if request.note.is_empty() {
            return Err(TransitionError::ReasonRequired);
        }
    } else {
        if !follows_the_table(from, request.to) {
            return Err(TransitionError::NotAllowed);
        }
        if authority == CaseAuthority::RecordRequests && !is_a_request(request.to) {
            return Err(TransitionError::Forbidden);
        }
    }
    if request.to == CaseState::Refund(RefundState::Rejected) && request.note.is_empty() {
        return Err(TransitionError::ReasonRequired);
    }
    let amount = amount_for(request.to, request.amount, in_progress)?;
    Ok(CheckedChange {
        from,
        to: request.to,
        amount,
        effective_on: request.effective_on,
        note: request.note,
        correction: request.correction,
    })
}

/// The states a role may move a track to from `from` without a correction: the forms the customer page offers.
pub fn next_states(from: CaseState, authority: CaseAuthority) -> Vec<CaseState> {
    let candidates: Vec<CaseState> = match from {
        CaseState::Reissue(_) => ReissueState::ALL.into_iter().map(CaseState::Reissue).collect(),
        CaseState::Refund(_) => RefundState::ALL.into_iter().map(CaseState::Refund).collect(),
    };
    let mut next: Vec<CaseState> = candidates
        .into_iter()
        .filter(|&to| follows_the_table(from, to))
        .filter(|&to| authority == CaseAuthority::ManageAll || is_a_request(to))
        .collect();
    // The step forward first, so a form's default choice is the usual one; side exits last.
    next.sort_by_key(|&to| is_a_side_exit(to));
    next
}

/// States that leave the usual path: not needed, not matched, not applicable, rejected.
fn is_a_side_exit(state: CaseState) -> bool {
    matches!(
        state,
        CaseState::Reissue(ReissueState::NotNeeded | ReissueState::Unknown)
            | CaseState::Refund(RefundState::NotApplicable | RefundState::Rejected)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn request(to: CaseState) -> ChangeRequest {
        ChangeRequest {
            to,
            amount: None,
            effective_on: date!(2017 - 08 - 01),
            note: Note::default(),
            correction: false,
        }
    }

    fn yen(amount: i64) -> Option<Yen> {
        Yen::new(amount).ok()
    }

    const NOT_STARTED: CaseState = CaseState::Reissue(ReissueState::NotStarted);
    const REQUESTED: CaseState = CaseState::Reissue(ReissueState::Requested);
    const REISSUED: CaseState = CaseState::Reissue(ReissueState::Reissued);
    const AWAITING: CaseState = CaseState::Refund(RefundState::AwaitingClaim);
    const INVESTIGATING: CaseState = CaseState::Refund(RefundState::Investigating);
    const IN_PROGRESS: CaseState = CaseState::Refund(RefundState::RefundInProgress);
    const REFUNDED: CaseState = CaseState::Refund(RefundState::Refunded);
    const REJECTED: CaseState = CaseState::Refund(RefundState::Rejected);

    #[test]
    fn a_reissue_goes_forward_from_not_started_to_reissued() {
        let manager = CaseAuthority::ManageAll;
        assert!(check(NOT_STARTED, None, request(REQUESTED), manager).is_ok());
        assert!(
            check(
                REQUESTED,
                None,
                request(CaseState::Reissue(ReissueState::Processing)),
                manager
            )
            .is_ok()
        );
        assert!(
            check(
                CaseState::Reissue(ReissueState::Processing),
                None,
                request(REISSUED),
                manager
            )
            .is_ok()
        );
    }

    #[test]
    fn a_reissued_card_does_not_go_back_to_not_started_without_a_correction_with_a_reason() {
        let manager = CaseAuthority::ManageAll;
        assert_eq!(
            check(REISSUED, None, request(NOT_STARTED), manager),
            Err(TransitionError::NotAllowed)
        );
        let mut correction = request(NOT_STARTED);
        correction.correction = true;
        assert_eq!(
            check(REISSUED, None, correction.clone(), manager),
            Err(TransitionError::ReasonRequired)
        );
        correction.note = Note::parse("別のお客様の行と取り違えたため").unwrap();
        let checked = check(REISSUED, None, correction, manager).unwrap();
        assert!(checked.correction);
        assert_eq!(checked.to, NOT_STARTED);
    }

    #[test]
    fn an_agent_records_requests_and_claims_but_nothing_else_and_no_corrections() {
        let agent = CaseAuthority::RecordRequests;
        assert!(check(NOT_STARTED, None, request(REQUESTED), agent).is_ok());
        assert!(check(AWAITING, None, request(INVESTIGATING), agent).is_ok());
        assert_eq!(
            check(REQUESTED, None, request(REISSUED), agent),
            Err(TransitionError::Forbidden)
        );
        let mut correction = request(NOT_STARTED);
        correction.correction = true;
        correction.note = Note::parse("reason").unwrap();
        assert_eq!(
            check(REQUESTED, None, correction, agent),
            Err(TransitionError::Forbidden)
        );
        assert_eq!(next_states(NOT_STARTED, agent), vec![REQUESTED]);
        assert_eq!(next_states(AWAITING, agent), vec![INVESTIGATING]);
    }

    #[test]
    fn a_refund_in_progress_needs_an_amount_and_a_refund_paid_may_take_it_over() {
        let manager = CaseAuthority::ManageAll;
        assert_eq!(
            check(INVESTIGATING, None, request(IN_PROGRESS), manager),
            Err(TransitionError::AmountRequired)
        );
        let mut with_amount = request(IN_PROGRESS);
        with_amount.amount = yen(12_000);
        assert_eq!(
            check(INVESTIGATING, None, with_amount, manager).unwrap().amount,
            yen(12_000)
        );
        assert_eq!(
            check(IN_PROGRESS, yen(12_000), request(REFUNDED), manager)
                .unwrap()
                .amount,
            yen(12_000)
        );
        assert_eq!(
            check(INVESTIGATING, None, request(REFUNDED), manager),
            Err(TransitionError::AmountRequired)
        );
    }

    #[test]
    fn an_amount_on_a_state_without_one_is_refused_rather_than_dropped() {
        let mut reissue = request(REQUESTED);
        reissue.amount = yen(500);
        assert_eq!(
            check(NOT_STARTED, None, reissue, CaseAuthority::ManageAll),
            Err(TransitionError::AmountNotExpected)
        );
    }

    #[test]
    fn a_rejection_needs_a_reason() {
        let manager = CaseAuthority::ManageAll;
        assert_eq!(
            check(INVESTIGATING, None, request(REJECTED), manager),
            Err(TransitionError::ReasonRequired)
        );
        let mut rejection = request(REJECTED);
        rejection.note = Note::parse("本件とは無関係のご利用でした").unwrap();
        assert!(check(INVESTIGATING, None, rejection, manager).is_ok());
    }

    #[test]
    fn a_change_to_the_same_state_or_the_other_track_is_refused() {
        let manager = CaseAuthority::ManageAll;
        assert_eq!(
            check(AWAITING, None, request(AWAITING), manager),
            Err(TransitionError::Unchanged)
        );
        assert_eq!(
            check(AWAITING, None, request(REQUESTED), manager),
            Err(TransitionError::NotAllowed)
        );
    }

    #[test]
    fn closing_states_offer_no_ordinary_next_step() {
        for closed in [
            REISSUED,
            CaseState::Reissue(ReissueState::NotNeeded),
            REFUNDED,
            REJECTED,
        ] {
            assert!(next_states(closed, CaseAuthority::ManageAll).is_empty(), "{closed}");
        }
    }

    #[test]
    fn the_step_forward_is_offered_before_the_side_exits() {
        let next = next_states(AWAITING, CaseAuthority::ManageAll);
        assert_eq!(next.first(), Some(&INVESTIGATING));
        assert_eq!(next.last(), Some(&CaseState::Refund(RefundState::NotApplicable)));
    }

    #[test]
    fn roles_map_to_their_reach() {
        assert_eq!(CaseAuthority::of(Role::Agent), Some(CaseAuthority::RecordRequests));
        assert_eq!(CaseAuthority::of(Role::Manager), Some(CaseAuthority::ManageAll));
        assert_eq!(CaseAuthority::of(Role::Admin), Some(CaseAuthority::ManageAll));
    }

    #[test]
    fn a_note_with_a_control_or_direction_character_is_refused_but_line_breaks_are_kept() {
        assert_eq!(Note::parse("折り返し\u{202E}希望"), Err(TransitionError::NoteHidden));
        assert_eq!(Note::parse("a\u{0000}b"), Err(TransitionError::NoteHidden));
        assert_eq!(Note::parse("一行目\n二行目").unwrap().as_str(), "一行目\n二行目");
    }

    #[test]
    fn a_note_longer_than_the_limit_is_refused() {
        assert_eq!(Note::parse(&"あ".repeat(501)), Err(TransitionError::NoteTooLong));
        assert_eq!(Note::parse("  理由  ").unwrap().as_str(), "理由");
    }
}
