//! Disposition codes: the two-level list of categories and sub-categories agents file calls under.

use serde::{Deserialize, Serialize};

/// One code as pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispositionCode {
    pub id: i64,
    /// `None` for a category.
    pub parent_id: Option<i64>,
    pub label_ja: String,
    pub label_en: String,
    pub position: i64,
    /// Retired codes stay for the calls filed under them but are not offered any more.
    pub active: bool,
}

/// A category with its sub-categories, both in their order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispositionGroup {
    pub category: DispositionCode,
    pub children: Vec<DispositionCode>,
}

/// Groups a flat list into categories with their sub-categories, each sorted by position then id.
/// A sub-category whose parent is missing is left out.
pub fn group(mut codes: Vec<DispositionCode>) -> Vec<DispositionGroup> {
    codes.sort_by_key(|code| (code.position, code.id));
    let (categories, children): (Vec<_>, Vec<_>) = codes.into_iter().partition(|code| code.parent_id.is_none());
    categories
        .into_iter()
        .map(|category| DispositionGroup {
            children: children
                .iter()
                .filter(|child| child.parent_id == Some(category.id))
                .cloned()
                .collect(),
            category,
        })
        .collect()
}

/// A code's name in one language: 1 to 60 characters on one line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispositionLabel(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DispositionLabelError {
    #[error("a code needs a name")]
    Empty,
    #[error("a code's name has at most 60 characters")]
    TooLong,
    #[error("a code's name may not hold invisible characters or line breaks")]
    Hidden,
}

impl DispositionLabel {
    pub fn parse(input: &str) -> Result<DispositionLabel, DispositionLabelError> {
        let label = crate::customer::width::collapse_whitespace(input);
        if label.is_empty() {
            return Err(DispositionLabelError::Empty);
        }
        if label.chars().count() > 60 {
            return Err(DispositionLabelError::TooLong);
        }
        crate::text::check(&label, crate::text::Lines::Single).map_err(|_| DispositionLabelError::Hidden)?;
        Ok(DispositionLabel(label))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A code's (Japanese, English) names.
pub type Labels = (&'static str, &'static str);

/// The demo's codes, per category with its sub-categories: what callers of a card-data breach ask
/// about, after the letters went out.
pub const DEMO_CODES: &[(Labels, &[Labels])] = &[
    (
        ("再発行の依頼", "Card reissue"),
        &[
            ("再発行を希望", "Wants a new card"),
            ("再発行の状況確認", "Asks where the reissue stands"),
        ],
    ),
    (
        ("返金・不正利用", "Refund / fraudulent use"),
        &[
            ("不正利用の申告", "Reports fraudulent use"),
            ("返金の状況確認", "Asks where the refund stands"),
        ],
    ),
    (
        ("身に覚えのない請求", "Unrecognised charge"),
        &[
            ("カード会社への連絡方法", "How to contact the card company"),
            ("明細の確認方法", "How to check the statement"),
        ],
    ),
    (
        ("手紙・メールの確認", "Letter or email"),
        &[
            ("届いていない", "Not received"),
            ("本物かどうかの確認", "Is it genuine?"),
            ("住所・メールの変更", "Change of address or email"),
        ],
    ),
    (
        ("本人確認", "Identity"),
        &[
            ("本人確認できず", "Could not verify"),
            ("対象者かどうかの確認", "Am I affected?"),
        ],
    ),
    (
        ("苦情", "Complaint"),
        &[
            ("対応への苦情", "About the response"),
            ("補償の要求", "Demands compensation"),
        ],
    ),
    (
        ("報道・その他", "Press / other"),
        &[
            ("報道機関", "Press"),
            ("カード会社・関係機関", "Card company or authority"),
            ("その他", "Other"),
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn code(id: i64, parent_id: Option<i64>, position: i64) -> DispositionCode {
        DispositionCode {
            id,
            parent_id,
            label_ja: format!("コード{id}"),
            label_en: format!("Code {id}"),
            position,
            active: true,
        }
    }

    #[test]
    fn sub_categories_are_grouped_under_their_category_in_order() {
        let groups = group(vec![
            code(4, Some(1), 2),
            code(2, None, 1),
            code(1, None, 0),
            code(3, Some(1), 1),
            code(5, Some(99), 0),
        ]);
        let ids: Vec<(i64, Vec<i64>)> = groups
            .iter()
            .map(|group| (group.category.id, group.children.iter().map(|child| child.id).collect()))
            .collect();
        assert_eq!(ids, vec![(1, vec![3, 4]), (2, vec![])]);
    }

    #[test]
    fn a_label_is_one_line_of_one_to_sixty_characters() {
        assert_eq!(
            DispositionLabel::parse("  再発行の  依頼 ").map(|l| l.0),
            Ok("再発行の 依頼".to_owned())
        );
        assert_eq!(DispositionLabel::parse(" "), Err(DispositionLabelError::Empty));
        assert_eq!(
            DispositionLabel::parse(&"あ".repeat(61)),
            Err(DispositionLabelError::TooLong)
        );
        assert_eq!(
            DispositionLabel::parse("a\u{202E}b"),
            Err(DispositionLabelError::Hidden)
        );
    }

    #[test]
    fn the_demo_ships_the_categories_the_issue_names() {
        let names: Vec<&str> = DEMO_CODES.iter().map(|((ja, _), _)| *ja).collect();
        for expected in [
            "再発行の依頼",
            "返金・不正利用",
            "身に覚えのない請求",
            "手紙・メールの確認",
            "本人確認",
            "苦情",
            "報道・その他",
        ] {
            assert!(names.contains(&expected), "{expected}");
        }
    }
}
