//! The Letters page's read: each audience with its size, and the letter template in use.
//!
//! The downloads themselves are plain GET routes in the server crate (`server/src/letter_routes.rs`),
//! so a link downloads the file without JavaScript.

use breachdesk::audience::Audience;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LettersOverview {
    /// The letter template the downloads use, as name and version; `None` before there is one.
    pub template: Option<(String, u32)>,
    /// Every audience with how many customers it holds, in [`Audience::ALL`] order.
    pub audiences: Vec<(Audience, u64)>,
}

/// Managers and admins: the audiences and the template, for choosing a batch to download.
#[server(prefix = "/api", endpoint = "letters/overview")]
pub async fn load_letters_overview() -> Result<LettersOverview, AppError> {
    use breachdesk::letters::DEFAULT_TEMPLATE;
    use breachdesk::role::Capability;
    use breachdesk::template::TemplateKind;

    use crate::context::{require, state, with_status};
    require(Capability::ProduceLetters)?;
    with_status(
        async {
            let pool = &state()?.pool;
            let template = breachdesk::templates::latest_by_name(pool, DEFAULT_TEMPLATE)
                .await?
                .filter(|version| version.kind == TemplateKind::Letter)
                .map(|version| (version.template_name, version.version));
            Ok(LettersOverview {
                template,
                audiences: breachdesk::letters::counts(pool).await?,
            })
        }
        .await,
    )
}
