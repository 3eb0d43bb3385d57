//! Card reissue and refund tracking per customer: the states, the rules between them, amounts in yen,
//! and the regulator report's items and deadlines. Pure: compiled everywhere, also to wasm.

pub mod appi;
pub mod bulk;
pub mod programme;
pub mod state;
pub mod transition;
pub mod yen;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

pub use state::{CaseKind, CaseState, RefundState, ReissueState};
pub use transition::{CaseAuthority, ChangeRequest, CheckedChange, Note, TransitionError};
pub use yen::{Yen, YenError};

/// A customer's current state on both tracks. A customer with no recorded change is
/// [`CaseSnapshot::default`]: 未対応 and 申告待ち.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSnapshot {
    pub reissue: ReissueState,
    pub refund: RefundState,
    /// The amount of the refund in progress or paid.
    pub refund_amount: Option<Yen>,
    pub refunded_on: Option<Date>,
}

impl CaseSnapshot {
    pub fn state(&self, kind: CaseKind) -> CaseState {
        match kind {
            CaseKind::Reissue => CaseState::Reissue(self.reissue),
            CaseKind::Refund => CaseState::Refund(self.refund),
        }
    }

    /// The snapshot after `change`: the refund amount and date follow the refund track.
    pub fn after(mut self, change: &CheckedChange) -> CaseSnapshot {
        match change.to {
            CaseState::Reissue(state) => self.reissue = state,
            CaseState::Refund(state) => {
                self.refund = state;
                self.refund_amount = match state {
                    RefundState::RefundInProgress | RefundState::Refunded => change.amount,
                    _ => None,
                };
                self.refunded_on = (state == RefundState::Refunded).then_some(change.effective_on);
            }
        }
        self
    }
}

/// One recorded change, as the customer page's history shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    pub id: i64,
    pub from: CaseState,
    pub to: CaseState,
    pub amount: Option<Yen>,
    pub effective_on: Date,
    pub note: String,
    pub correction: bool,
    /// `None`: a bulk file from the command line, or the demo loader.
    pub staff_name: Option<String>,
    pub bulk_update_id: Option<i64>,
    pub created_at: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_snapshot_keeps_the_refund_amount_and_date_only_while_the_refund_is_in_progress_or_paid() {
        let paid = CheckedChange {
            from: CaseState::Refund(RefundState::RefundInProgress),
            to: CaseState::Refund(RefundState::Refunded),
            amount: Yen::new(8_640).ok(),
            effective_on: date!(2017 - 10 - 02),
            note: Note::default(),
            correction: false,
        };
        let after = CaseSnapshot::default().after(&paid);
        assert_eq!(after.refund_amount, Yen::new(8_640).ok());
        assert_eq!(after.refunded_on, Some(date!(2017 - 10 - 02)));
        let undone = CheckedChange {
            from: paid.to,
            to: CaseState::Refund(RefundState::Investigating),
            amount: None,
            effective_on: date!(2017 - 10 - 03),
            note: Note::parse("二重計上").unwrap(),
            correction: true,
        };
        let after = after.after(&undone);
        assert_eq!((after.refund_amount, after.refunded_on), (None, None));
        assert_eq!(after.reissue, ReissueState::NotStarted);
    }
}
