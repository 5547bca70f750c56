//! Mail and letter templates: the versions of each kind's text, kept by redacteuren.

use super::StoreResult;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::letter_template::{LetterKind, TemplateVersion};

#[async_trait]
pub trait LetterTemplateStore: Send + Sync {
    /// The newest version of each kind that has one, in the order of [`LetterKind::ALL`].
    async fn newest_letter_templates(&self) -> StoreResult<Vec<TemplateVersion>>;
    /// Every version of `kind`, the newest first.
    async fn letter_template_history(&self, kind: LetterKind) -> StoreResult<Vec<TemplateVersion>>;
    /// Add `version` with its audit entry. Its number must be one above the newest of its kind
    /// (1 for the first): when another save took that number meanwhile, nothing is written and
    /// the answer is `Conflict`.
    async fn save_letter_template(&self, version: &TemplateVersion, change: &Change) -> StoreResult<()>;
}
