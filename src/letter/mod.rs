//! A postal letter's content, laid out on paper by the PDF renderer.
//!
//! The template renderer fills this in (every placeholder already replaced); the PDF side only places
//! and wraps text, so what a letter says and how it looks on A4 are decided in separate places.

use serde::{Deserialize, Serialize};

pub mod layout;
pub mod line_break;
#[cfg(feature = "server")]
pub mod pdf;

/// Everything printed on one customer's letter, in reading order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterContent {
    /// Top right: 平成29年12月22日 or 2017年12月22日.
    pub date_line: String,
    /// Placed to show through the window of a 長形3号 envelope.
    pub recipient: LetterRecipient,
    /// Right-aligned below the recipient: company, representative, hotline.
    pub sender_lines: Vec<String>,
    /// Centred above the body.
    pub title: String,
    /// Paragraphs, from 謹啓 on; each is wrapped with Japanese line-breaking rules.
    pub body: Vec<String>,
    /// Right-aligned after the body: 謹白.
    pub closing: String,
    /// The lines of the 記 … 以上 block (reference code, hotline and hours, status page).
    pub notes: Vec<String>,
    /// Small print at the foot of every page for the mail room: the reference code and template version.
    pub footer: String,
}

/// The address block, each line already written as it is printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterRecipient {
    /// 〒970-8555
    pub postal_line: String,
    /// One or two lines.
    pub address_lines: Vec<String>,
    /// 山田 太郎 様
    pub name_line: String,
}
