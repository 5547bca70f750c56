//! Use cases: the mail and letter templates redacteuren keep (`/werkplek/sjablonen`). Each save
//! is a new version; the newest is used for the next mail of its kind, and "terug naar
//! standaardtekst" saves a version that says the built-in text is used again. The mails find
//! the newest text through the reference cache, which a save clears.

use crate::{App, AppError, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::letter_template::{LetterKind, LetterTemplate, TemplateVersion, Values};
use gastvrij_domain::team::Role;

/// Who keeps the templates (and the beheerder, who passes every check).
pub const TEMPLATE_EDITORS: &[Role] = &[Role::Redacteur];

/// A kind with its newest version; `None` when it was never changed.
#[derive(Debug, Clone)]
pub struct TemplateState {
    pub kind: LetterKind,
    pub newest: Option<TemplateVersion>,
}

impl TemplateState {
    /// The custom text in use, if any (`None`: the standard text).
    pub fn custom(&self) -> Option<&LetterTemplate> {
        self.newest.as_ref().and_then(|v| v.text.as_ref())
    }
}

/// A template's subject and body filled in with the example values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub subject: String,
    pub body: String,
}

impl App {
    /// Every kind with its newest version, in the order of [`LetterKind::ALL`].
    pub async fn letter_templates(&self, who: &Principal) -> Result<Vec<TemplateState>, AppError> {
        who.require(TEMPLATE_EDITORS)?;
        let newest = self.store.newest_letter_templates().await?;
        Ok(LetterKind::ALL
            .into_iter()
            .map(|kind| TemplateState { kind, newest: newest.iter().find(|v| v.kind == kind).cloned() })
            .collect())
    }

    /// Every version of `kind`, the newest first.
    pub async fn letter_template_history(
        &self,
        who: &Principal,
        kind: LetterKind,
    ) -> Result<Vec<TemplateVersion>, AppError> {
        who.require(TEMPLATE_EDITORS)?;
        Ok(self.store.letter_template_history(kind).await?)
    }

    /// Check a text as it would be saved and fill it in with the example values; nothing is
    /// stored.
    pub fn preview_letter_template(
        &self,
        who: &Principal,
        kind: LetterKind,
        subject: &str,
        body: &str,
    ) -> Result<Preview, AppError> {
        who.require(TEMPLATE_EDITORS)?;
        let template = LetterTemplate::parse(kind, subject, body)?;
        let (subject, body) = template
            .render(&Values::example())
            .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("an example value is missing")))?;
        Ok(Preview { subject, body })
    }

    /// Save `subject` and `body` as the next version of `kind`: used from the next mail on.
    /// A text with an unknown or missing placeholder is refused and nothing is written.
    pub async fn save_letter_template(
        &self,
        who: &Principal,
        kind: LetterKind,
        subject: &str,
        body: &str,
    ) -> Result<TemplateVersion, AppError> {
        who.require(TEMPLATE_EDITORS)?;
        let text = LetterTemplate::parse(kind, subject, body)?;
        self.save_version(who, kind, Some(text), "letter_template.saved").await
    }

    /// Back to the standard text: a version without text. `None` (and nothing written) when the
    /// standard text is in use already.
    pub async fn reset_letter_template(
        &self,
        who: &Principal,
        kind: LetterKind,
    ) -> Result<Option<TemplateVersion>, AppError> {
        who.require(TEMPLATE_EDITORS)?;
        let history = self.store.letter_template_history(kind).await?;
        if history.first().is_none_or(|v| v.text.is_none()) {
            return Ok(None);
        }
        self.save_version(who, kind, None, "letter_template.reset").await.map(Some)
    }

    async fn save_version(
        &self,
        who: &Principal,
        kind: LetterKind,
        text: Option<LetterTemplate>,
        action: &'static str,
    ) -> Result<TemplateVersion, AppError> {
        let newest = self.store.letter_template_history(kind).await?.first().map_or(0, |v| v.version);
        let version =
            TemplateVersion { kind, version: newest + 1, text, saved_by: who.employee_id(), saved_at: self.now() };
        let summary = format!("{} versie {}", kind.code(), version.version);
        let change = Change::new(who.actor, self.now(), action, kind.code(), summary);
        self.store.save_letter_template(&version, &change).await?;
        self.reference.clear();
        Ok(version)
    }

    /// The custom text of `kind` in use for the next mail, if any.
    pub(crate) async fn letter_template(&self, kind: LetterKind) -> Result<Option<LetterTemplate>, AppError> {
        let reference = self.reference.get(self.store.as_ref()).await?;
        Ok(reference.letter(kind).cloned())
    }
}
