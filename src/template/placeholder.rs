//! The `{{name}}` placeholders a template may use, and the parser that splits a template text into literal text and placeholders.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{TemplateError, TemplateField};

/// Every value a template can ask for: the customer's, the incident's and the sending date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Placeholder {
    FullName,
    FamilyName,
    PostalCode,
    Address,
    ReferenceCode,
    CardBrand,
    CardLast4,
    OrderDate,
    Company,
    Representative,
    Shop,
    AffectedPeriod,
    HotlineName,
    HotlineNumber,
    HotlineHours,
    StatusPageUrl,
    Date,
}

impl Placeholder {
    /// All placeholders, in the order the editor lists them.
    pub const ALL: [Placeholder; 17] = [
        Placeholder::FullName,
        Placeholder::FamilyName,
        Placeholder::PostalCode,
        Placeholder::Address,
        Placeholder::ReferenceCode,
        Placeholder::CardBrand,
        Placeholder::CardLast4,
        Placeholder::OrderDate,
        Placeholder::Company,
        Placeholder::Representative,
        Placeholder::Shop,
        Placeholder::AffectedPeriod,
        Placeholder::HotlineName,
        Placeholder::HotlineNumber,
        Placeholder::HotlineHours,
        Placeholder::StatusPageUrl,
        Placeholder::Date,
    ];

    /// The name written between the braces.
    pub fn name(self) -> &'static str {
        match self {
            Placeholder::FullName => "full_name",
            Placeholder::FamilyName => "family_name",
            Placeholder::PostalCode => "postal_code",
            Placeholder::Address => "address",
            Placeholder::ReferenceCode => "reference_code",
            Placeholder::CardBrand => "card_brand",
            Placeholder::CardLast4 => "card_last4",
            Placeholder::OrderDate => "order_date",
            Placeholder::Company => "company",
            Placeholder::Representative => "representative",
            Placeholder::Shop => "shop",
            Placeholder::AffectedPeriod => "affected_period",
            Placeholder::HotlineName => "hotline_name",
            Placeholder::HotlineNumber => "hotline_number",
            Placeholder::HotlineHours => "hotline_hours",
            Placeholder::StatusPageUrl => "status_page_url",
            Placeholder::Date => "date",
        }
    }

    /// What the placeholder is replaced with, in Japanese, for the editor's list.
    pub fn description_ja(self) -> &'static str {
        match self {
            Placeholder::FullName => "お客様の氏名",
            Placeholder::FamilyName => "お客様の姓",
            Placeholder::PostalCode => "郵便番号（970-8555）",
            Placeholder::Address => "住所",
            Placeholder::ReferenceCode => "受付番号（K7QX-3MHT-9PABF）",
            Placeholder::CardBrand => "カードブランド",
            Placeholder::CardLast4 => "カード番号の下4桁",
            Placeholder::OrderDate => "ご注文日",
            Placeholder::Company => "会社名",
            Placeholder::Representative => "代表者",
            Placeholder::Shop => "ショップ名",
            Placeholder::AffectedPeriod => "対象期間",
            Placeholder::HotlineName => "相談窓口の名称",
            Placeholder::HotlineNumber => "相談窓口の電話番号",
            Placeholder::HotlineHours => "送付日時点の受付時間（予告された変更を含む）",
            Placeholder::StatusPageUrl => "状況確認ページのURL",
            Placeholder::Date => "送付日（和暦または西暦）",
        }
    }

    /// What the placeholder is replaced with, in English, for the editor's list.
    pub fn description_en(self) -> &'static str {
        match self {
            Placeholder::FullName => "Customer's full name",
            Placeholder::FamilyName => "Customer's family name",
            Placeholder::PostalCode => "Postal code (970-8555)",
            Placeholder::Address => "Address",
            Placeholder::ReferenceCode => "Reference code (K7QX-3MHT-9PABF)",
            Placeholder::CardBrand => "Card brand",
            Placeholder::CardLast4 => "Last 4 digits of the card",
            Placeholder::OrderDate => "Order date",
            Placeholder::Company => "Company",
            Placeholder::Representative => "Representative",
            Placeholder::Shop => "Shop",
            Placeholder::AffectedPeriod => "Affected period",
            Placeholder::HotlineName => "Hotline name",
            Placeholder::HotlineNumber => "Hotline number",
            Placeholder::HotlineHours => "Hotline hours on the sending date, with an announced change",
            Placeholder::StatusPageUrl => "Status page URL",
            Placeholder::Date => "Sending date (era or Western style)",
        }
    }

    fn from_name(name: &str) -> Option<Placeholder> {
        Placeholder::ALL
            .into_iter()
            .find(|placeholder| placeholder.name() == name)
    }
}

impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{{{}}}}}", self.name())
    }
}

/// A piece of a parsed template text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Segment<'a> {
    Text(&'a str),
    Value(Placeholder),
}

/// Splits `text` into literal text and placeholders. A lone `{` or `}` is literal; `{{` must be
/// closed by `}}` around a known name (spaces inside the braces are allowed).
pub(super) fn parse(field: TemplateField, text: &str) -> Result<Vec<Segment<'_>>, TemplateError> {
    let mut segments = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        if start > 0 {
            segments.push(Segment::Text(&rest[..start]));
        }
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| TemplateError::Unclosed {
            field,
            near: after.chars().take(20).collect(),
        })?;
        let name = after[..end].trim();
        let placeholder = Placeholder::from_name(name).ok_or_else(|| TemplateError::UnknownPlaceholder {
            field,
            name: name.to_owned(),
        })?;
        segments.push(Segment::Value(placeholder));
        rest = &after[end + 2..];
    }
    if !rest.is_empty() {
        segments.push(Segment::Text(rest));
    }
    Ok(segments)
}

/// Whether `segments` use `placeholder`.
pub(super) fn uses(segments: &[Segment<'_>], placeholder: Placeholder) -> bool {
    segments.contains(&Segment::Value(placeholder))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_placeholders_are_split_in_order() {
        let segments = parse(
            TemplateField::Body,
            "{{full_name}} 様、受付番号は{{ reference_code }}です。",
        )
        .expect("parses");
        assert_eq!(
            segments,
            vec![
                Segment::Value(Placeholder::FullName),
                Segment::Text(" 様、受付番号は"),
                Segment::Value(Placeholder::ReferenceCode),
                Segment::Text("です。"),
            ]
        );
    }

    #[test]
    fn single_braces_are_plain_text() {
        let segments = parse(TemplateField::Html, "a { b } c").expect("parses");
        assert_eq!(segments, vec![Segment::Text("a { b } c")]);
    }

    #[test]
    fn an_unknown_placeholder_is_refused_naming_field_and_name() {
        let error = parse(TemplateField::Subject, "{{customer_name}}様").expect_err("refused");
        assert_eq!(
            error,
            TemplateError::UnknownPlaceholder {
                field: TemplateField::Subject,
                name: "customer_name".into()
            }
        );
        assert!(error.to_string().contains("subject"), "{error}");
        assert!(error.to_string().contains("{{customer_name}}"), "{error}");
        assert!(error.message_ja().contains("件名"), "{}", error.message_ja());
    }

    #[test]
    fn unclosed_braces_are_refused() {
        let error = parse(TemplateField::Notes, "受付番号 {{reference_code").expect_err("refused");
        assert!(matches!(
            error,
            TemplateError::Unclosed {
                field: TemplateField::Notes,
                ..
            }
        ));
    }

    #[test]
    fn every_name_reads_back_as_its_placeholder() {
        for placeholder in Placeholder::ALL {
            assert_eq!(Placeholder::from_name(placeholder.name()), Some(placeholder));
        }
    }
}
