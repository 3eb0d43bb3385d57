//! The call-centre desk's services: finding callers, logging calls, the callback queue,
//! escalations, identity checks, contact corrections, the customer timeline and the desk's reports.

pub mod desk;
pub mod dispositions;
pub mod escalations;
pub mod export;
pub mod identity;
pub mod search;
pub mod timeline;

use time::OffsetDateTime;

/// RFC 3339 UTC with exactly three decimals: every stored call-desk time has the same width, so
/// text order is time order (indexes and comparisons work on the text), and events logged within
/// the same second keep their order.
pub fn stamp(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
        ))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    #[test]
    fn a_stored_time_is_utc_to_the_millisecond_in_a_fixed_width() {
        assert_eq!(
            super::stamp(datetime!(2017-12-29 18:00:00.1234 +9)),
            "2017-12-29T09:00:00.123Z"
        );
        assert_eq!(super::stamp(datetime!(2017-12-29 18:00 +9)), "2017-12-29T09:00:00.000Z");
    }
}
