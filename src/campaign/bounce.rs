//! Undelivered mail: the bounce list a manager uploads (addresses or Message-IDs, one a line, as a
//! mail server's report or a spreadsheet column exports them) and the post office's reasons for a
//! returned letter.

use serde::{Deserialize, Serialize};

use crate::customer::Email;

/// One line of a bounce list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BounceEntry {
    Address(Email),
    /// Without angle brackets, as `deliveries.message_id` holds it.
    MessageId(String),
}

/// A bounce list read: what was understood, and the 1-based numbers of the lines that were not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BounceList {
    pub entries: Vec<BounceEntry>,
    pub unreadable_lines: Vec<usize>,
}

/// Reads the list. A line's first CSV field counts (a spreadsheet's column); `<…>` is a Message-ID,
/// anything else must be an email address. Blank lines and a header line without `@` are skipped.
pub fn parse_bounce_list(text: &str) -> BounceList {
    let mut list = BounceList::default();
    for (index, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let field = line.split([',', '\t', ';']).next().unwrap_or_default();
        let field = field.trim().trim_matches('"').trim();
        if field.is_empty() || (index == 0 && !field.contains('@')) {
            continue;
        }
        if let Some(id) = field.strip_prefix('<').and_then(|rest| rest.strip_suffix('>')) {
            if id.contains('@') && !id.contains(char::is_whitespace) {
                list.entries.push(BounceEntry::MessageId(id.to_owned()));
                continue;
            }
        } else if let Ok(email) = Email::parse(field) {
            list.entries.push(BounceEntry::Address(email));
            continue;
        }
        list.unreadable_lines.push(index + 1);
    }
    list
}

/// Why the post office sent a letter back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnedReason {
    /// 宛所不明: no such address.
    UnknownAddress,
    /// 転居先不明: moved, no forwarding address.
    MovedNoForwarding,
    /// 受取拒否: refused.
    Refused,
    /// 保管期間経過: not collected in time.
    Unclaimed,
}

impl ReturnedReason {
    pub const ALL: [ReturnedReason; 4] = [
        ReturnedReason::UnknownAddress,
        ReturnedReason::MovedNoForwarding,
        ReturnedReason::Refused,
        ReturnedReason::Unclaimed,
    ];

    /// The post office's own words, which is what `deliveries.returned_reason` stores.
    pub fn label_ja(self) -> &'static str {
        match self {
            ReturnedReason::UnknownAddress => "宛所不明",
            ReturnedReason::MovedNoForwarding => "転居先不明",
            ReturnedReason::Refused => "受取拒否",
            ReturnedReason::Unclaimed => "保管期間経過",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ReturnedReason::UnknownAddress => "Address unknown",
            ReturnedReason::MovedNoForwarding => "Moved, no forwarding address",
            ReturnedReason::Refused => "Refused by the addressee",
            ReturnedReason::Unclaimed => "Not collected in time",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ReturnedReason::UnknownAddress => "unknown_address",
            ReturnedReason::MovedNoForwarding => "moved_no_forwarding",
            ReturnedReason::Refused => "refused",
            ReturnedReason::Unclaimed => "unclaimed",
        }
    }

    /// From the form's code or the Japanese label.
    pub fn parse(input: &str) -> Option<Self> {
        let input = input.trim();
        Self::ALL
            .into_iter()
            .find(|reason| reason.code() == input || reason.label_ja() == input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounce_list_holds_addresses_and_message_ids_and_names_the_lines_it_cannot_read() {
        let text = "\u{feff}address,reason\n\
                    taro@example.com,550 no such user\n\
                    \n\
                    <3f2a9c@hawaiians-mall.com>\n\
                    \"hanako@example.jp\"\tmailbox full\n\
                    not an address\n";
        let list = parse_bounce_list(text);
        assert_eq!(
            list.entries,
            vec![
                BounceEntry::Address(Email::parse("taro@example.com").expect("valid")),
                BounceEntry::MessageId("3f2a9c@hawaiians-mall.com".into()),
                BounceEntry::Address(Email::parse("hanako@example.jp").expect("valid")),
            ]
        );
        assert_eq!(list.unreadable_lines, vec![6]);
    }

    #[test]
    fn a_returned_reason_parses_from_its_code_or_the_post_offices_words() {
        for reason in ReturnedReason::ALL {
            assert_eq!(ReturnedReason::parse(reason.code()), Some(reason));
            assert_eq!(ReturnedReason::parse(reason.label_ja()), Some(reason));
        }
        assert_eq!(ReturnedReason::parse("lost"), None);
    }
}
