//! The identity check: before a customer's case is discussed the caller confirms at least two of
//! the reference code, postal code, phone number and card last 4.

use serde::{Deserialize, Serialize};

/// A fact the caller can confirm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IdentityFact {
    ReferenceCode,
    PostalCode,
    Phone,
    CardLast4,
}

impl IdentityFact {
    pub const ALL: [IdentityFact; 4] = [
        IdentityFact::ReferenceCode,
        IdentityFact::PostalCode,
        IdentityFact::Phone,
        IdentityFact::CardLast4,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IdentityFact::ReferenceCode => "reference_code",
            IdentityFact::PostalCode => "postal_code",
            IdentityFact::Phone => "phone",
            IdentityFact::CardLast4 => "card_last4",
        }
    }

    pub fn from_code(code: &str) -> Option<IdentityFact> {
        IdentityFact::ALL.into_iter().find(|fact| fact.code() == code)
    }
}

/// Which facts the caller confirmed, each at most once, in a fixed order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityCheck(Vec<IdentityFact>);

impl IdentityCheck {
    /// How many facts must match.
    pub const REQUIRED: usize = 2;

    pub fn new(facts: impl IntoIterator<Item = IdentityFact>) -> IdentityCheck {
        let mut facts: Vec<IdentityFact> = facts.into_iter().collect();
        facts.sort();
        facts.dedup();
        IdentityCheck(facts)
    }

    /// From the codes a form sends; unknown codes are ignored (they confirm nothing).
    pub fn from_codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> IdentityCheck {
        IdentityCheck::new(codes.into_iter().filter_map(IdentityFact::from_code))
    }

    /// The customer's details may be shown and the case discussed.
    pub fn passed(&self) -> bool {
        self.0.len() >= Self::REQUIRED
    }

    pub fn facts(&self) -> &[IdentityFact] {
        &self.0
    }

    /// `postal_code,card_last4`: what the record keeps (the kinds, never the values).
    pub fn codes(&self) -> String {
        self.0.iter().map(|fact| fact.code()).collect::<Vec<_>>().join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_confirmed_facts_pass_and_one_does_not() {
        assert!(!IdentityCheck::new([]).passed());
        assert!(!IdentityCheck::new([IdentityFact::CardLast4]).passed());
        assert!(IdentityCheck::new([IdentityFact::CardLast4, IdentityFact::PostalCode]).passed());
        assert!(IdentityCheck::new(IdentityFact::ALL).passed());
    }

    #[test]
    fn the_same_fact_twice_counts_once() {
        let check = IdentityCheck::from_codes(["phone", "phone", "nonsense"]);
        assert!(!check.passed());
        assert_eq!(check.codes(), "phone");
    }

    #[test]
    fn the_record_lists_kinds_in_a_fixed_order() {
        assert_eq!(
            IdentityCheck::from_codes(["card_last4", "reference_code"]).codes(),
            "reference_code,card_last4"
        );
    }
}
