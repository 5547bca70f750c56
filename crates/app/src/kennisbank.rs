//! Use cases: the kennisbank — articles and their workflow, usage and feedback, consultations
//! of the back office (ruggespraak) that become articles, import and export.

use crate::ports::{ArticleQuery, ConsultationQuery};
use crate::principal::roles;
use crate::{App, AppError, Page, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::customer::Segment;
use gastvrij_domain::ids::{ArticleId, ConsultationId, TopicId};
use gastvrij_domain::kennisbank::{
    Article, ArticleInput, ArticleStatus, ArticleVersion, Consultation, ConsultationInput, approved_as_is,
    check_reviewer, last_editor, line_diff,
};
use gastvrij_domain::team::Role;
use gastvrij_domain::topic::{Topic, TopicInput};
use gastvrij_domain::{Format, Invalid, StateRule};
use serde::{Deserialize, Serialize};

const EDITORS: &[Role] = &[Role::Redacteur];
const ANSWERERS: &[Role] = &[Role::Backoffice, Role::Teamleider, Role::Redacteur, Role::Kcc];

/// One line of a kennisbank import/export file (JSON Lines).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ArticleLine {
    /// The external id; kept and returned by search.
    pub id: String,
    pub title: String,
    pub question: String,
    pub answer: String,
    /// A topic path such as `Belastingen/Kwijtschelding`; unknown topics are created.
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_answer: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audience: Vec<Segment>,
    /// Default `intern` (published for staff).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ArticleStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub review_date: Option<jiff::civil::Date>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// `(line number, what is wrong)` for every skipped line.
    pub failed: Vec<(u64, String)>,
}

impl App {
    pub async fn create_article(&self, who: &Principal, input: ArticleInput) -> Result<Article, AppError> {
        who.require(EDITORS)?;
        let article = Article::create(input, self.now())?;
        self.check_article_refs(&article).await?;
        self.insert_article(who, article, "article.created").await
    }

    async fn insert_article(
        &self,
        who: &Principal,
        mut article: Article,
        action: &'static str,
    ) -> Result<Article, AppError> {
        if self.store.article_by_external_id(&article.external_id).await?.is_some() {
            return Err(AppError::Conflict(format!("an article with id '{}' exists already", article.external_id)));
        }
        article.version = 1;
        let version = ArticleVersion {
            article_id: article.id,
            version: 1,
            at: self.now(),
            author: who.actor,
            diff: line_diff("", &article.editable_text()),
        };
        let change = Change::new(who.actor, self.now(), action, article.id, "");
        self.store.insert_article(&article, &version, &change).await?;
        Ok(article)
    }

    pub async fn update_article(
        &self,
        who: &Principal,
        id: ArticleId,
        input: ArticleInput,
    ) -> Result<Article, AppError> {
        who.require(EDITORS)?;
        let now = self.now();
        self.change_article(who, id, "article.updated", |a| Ok(a.apply(input, now)?)).await
    }

    /// Move an article through the workflow: concept → ter_beoordeling → intern/openbaar → gearchiveerd.
    /// An approval (publishing after review, or going public) is refused to the employee who last
    /// edited the text (the four-eyes rule, `kennisbank::check_reviewer`); pages and the API both
    /// come through here.
    pub async fn change_article_status(
        &self,
        who: &Principal,
        id: ArticleId,
        status: ArticleStatus,
    ) -> Result<Article, AppError> {
        who.require(EDITORS)?;
        let now = self.now();
        let versions = self.store.article_versions(id).await?;
        let seen = versions.iter().map(|v| v.version).max();
        let editor = last_editor(&versions);
        self.change_article(who, id, "article.status_changed", |a| {
            if seen != Some(a.version) {
                // Edited between reading the versions and the article: judge the newest text.
                return Err(AppError::Conflict("the article changed while it was being reviewed".into()));
            }
            check_reviewer(a.status, status, editor, who.actor)?;
            Ok(a.change_status(status, now)?)
        })
        .await
    }

    async fn change_article(
        &self,
        who: &Principal,
        id: ArticleId,
        action: &'static str,
        apply: impl FnOnce(&mut Article) -> Result<(), AppError>,
    ) -> Result<Article, AppError> {
        let article = self.store.article(id).await?.ok_or(AppError::NotFound("article"))?;
        self.change_article_as_read(who, article, action, apply).await
    }

    /// [`App::change_article`] on `article` as the caller read it: when it was saved since (by
    /// another node, or another editor), nothing is written and the answer is a conflict.
    async fn change_article_as_read(
        &self,
        who: &Principal,
        mut article: Article,
        action: &'static str,
        apply: impl FnOnce(&mut Article) -> Result<(), AppError>,
    ) -> Result<Article, AppError> {
        let before = article.editable_text();
        let expected = article.version;
        apply(&mut article)?;
        self.check_article_refs(&article).await?;
        if let Some(other) = self.store.article_by_external_id(&article.external_id).await?
            && other.id != article.id
        {
            return Err(AppError::Conflict(format!("an article with id '{}' exists already", article.external_id)));
        }
        article.version = expected + 1;
        let version = ArticleVersion {
            article_id: article.id,
            version: article.version,
            at: self.now(),
            author: who.actor,
            diff: line_diff(&before, &article.editable_text()),
        };
        let change = Change::new(who.actor, self.now(), action, article.id, "");
        self.store.update_article(&article, expected, &version, &change).await?;
        Ok(article)
    }

    /// One article. Staff who are not editors only see published ones.
    pub async fn article(&self, who: &Principal, id: ArticleId) -> Result<Article, AppError> {
        who.require(roles::STAFF)?;
        let a = self.store.article(id).await?.ok_or(AppError::NotFound("article"))?;
        if !a.status.is_published() && who.require(EDITORS).is_err() {
            return Err(AppError::NotFound("article"));
        }
        Ok(a)
    }

    pub async fn articles(&self, who: &Principal, query: &ArticleQuery) -> Result<Vec<Article>, AppError> {
        who.require(EDITORS)?;
        Ok(self.store.articles(query).await?)
    }

    /// Articles past their review date, for editors.
    pub async fn articles_due_for_review(&self, who: &Principal, page: Page) -> Result<Vec<Article>, AppError> {
        self.editor_articles(who, ArticleQuery { page, ..Default::default() }, true).await
    }

    /// The editors' list: `query`, and with `review_due` only articles past their review date
    /// today (in the organisation's calendar).
    pub async fn editor_articles(
        &self,
        who: &Principal,
        mut query: ArticleQuery,
        review_due: bool,
    ) -> Result<Vec<Article>, AppError> {
        if review_due {
            query.review_before = Some(self.settings.calendars.get("termijnenwet")?.date_of(self.now()));
        }
        self.articles(who, &query).await
    }

    pub async fn article_versions(&self, who: &Principal, id: ArticleId) -> Result<Vec<ArticleVersion>, AppError> {
        who.require(EDITORS)?;
        Ok(self.store.article_versions(id).await?)
    }

    /// The article answered a contact: count it.
    pub async fn record_article_use(&self, who: &Principal, id: ArticleId) -> Result<(), AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let change = Change::new(who.actor, self.now(), "article.used", id, "");
        Ok(self.store.count_article_use(id, None, &change).await?)
    }

    /// "Helped / did not help".
    pub async fn record_article_feedback(&self, who: &Principal, id: ArticleId, helped: bool) -> Result<(), AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let change =
            Change::new(who.actor, self.now(), "article.feedback", id, if helped { "helped" } else { "did not help" });
        Ok(self.store.count_article_use(id, Some(helped), &change).await?)
    }

    /// Ask the back office (a team or a person) while the customer waits.
    pub async fn ask_consultation(&self, who: &Principal, input: ConsultationInput) -> Result<Consultation, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let c = Consultation::ask(input, who.employee_id(), self.now())?;
        if let Some(t) = c.to_team
            && self.store.team(t).await?.is_none()
        {
            return Err(Invalid::unknown_id("to_team", t).into());
        }
        if let Some(e) = c.to_employee
            && self.store.employee(e).await?.is_none()
        {
            return Err(Invalid::unknown_id("to_employee", e).into());
        }
        if let Some(contact) = c.contact_id
            && self.store.contact(contact).await?.is_none()
        {
            return Err(Invalid::unknown_id("contact_id", contact).into());
        }
        let change = Change::new(who.actor, self.now(), "consultation.asked", c.id, "");
        self.store.insert_consultation(&c, &change).await?;
        Ok(c)
    }

    pub async fn answer_consultation(
        &self,
        who: &Principal,
        id: ConsultationId,
        answer: &str,
    ) -> Result<Consultation, AppError> {
        who.require(ANSWERERS)?;
        let mut c = self.store.consultation(id).await?.ok_or(AppError::NotFound("consultation"))?;
        c.answer(answer, who.employee_id(), self.now())?;
        let change = Change::new(who.actor, self.now(), "consultation.answered", c.id, "");
        self.store.update_consultation(&c, &change).await?;
        Ok(c)
    }

    pub async fn consultation(&self, who: &Principal, id: ConsultationId) -> Result<Consultation, AppError> {
        who.require(roles::STAFF)?;
        self.store.consultation(id).await?.ok_or(AppError::NotFound("consultation"))
    }

    pub async fn consultations(
        &self,
        who: &Principal,
        query: &ConsultationQuery,
    ) -> Result<Vec<Consultation>, AppError> {
        who.require(roles::STAFF)?;
        Ok(self.store.consultations(query).await?)
    }

    /// Turn an answered consultation into a draft article for the owning team, so next time the
    /// KCC answers it at once.
    pub async fn consultation_to_article(
        &self,
        who: &Principal,
        id: ConsultationId,
        title: Option<&str>,
    ) -> Result<Article, AppError> {
        who.require(&[Role::Kcc, Role::Redacteur, Role::Teamleider])?;
        let mut c = self.store.consultation(id).await?.ok_or(AppError::NotFound("consultation"))?;
        let Some(answer) = c.answer.clone() else {
            return Err(Invalid::wrong_state("answer", StateRule::NotAnswered).into());
        };
        if let Some(existing) = c.article_id {
            return Err(AppError::Conflict(format!("this consultation became article {existing} already")));
        }
        let title = title.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).unwrap_or_else(|| {
            let q: String = c.question.chars().take(120).collect();
            q.trim().to_string()
        });
        let mut owning_teams = vec![];
        if let Some(t) = c.to_team {
            owning_teams.push(t);
        } else if let Some(e) = c.to_employee
            && let Some(team) = self.store.employee(e).await?.and_then(|e| e.team_id)
        {
            owning_teams.push(team);
        }
        let input = ArticleInput { title, question: c.question.clone(), answer, owning_teams, ..Default::default() };
        let mut article = Article::create(input, self.now())?;
        article.from_consultation = Some(c.id);
        let article = self.insert_article(who, article, "article.created_from_consultation").await?;
        c.article_id = Some(article.id);
        let change = Change::new(who.actor, self.now(), "consultation.became_article", c.id, "");
        self.store.update_consultation(&c, &change).await?;
        Ok(article)
    }

    /// `(answered consultations, those that became articles)`: the second-to-first-line figure.
    pub async fn consultation_counts(&self, who: &Principal) -> Result<(i64, i64), AppError> {
        who.require(roles::STAFF)?;
        Ok(self.store.consultation_counts().await?)
    }

    pub async fn synonyms(&self, who: &Principal) -> Result<Vec<String>, AppError> {
        who.require(roles::STAFF)?;
        Ok(self.store.synonyms().await?)
    }

    /// Replace the synonym list (redacteur). Each rule is `a, b => c` or `a, b, c`.
    pub async fn save_synonyms(&self, who: &Principal, rules: Vec<String>) -> Result<Vec<String>, AppError> {
        who.require(EDITORS)?;
        let mut clean = vec![];
        for (i, rule) in rules.iter().enumerate() {
            let rule = rule.trim();
            if rule.is_empty() || rule.starts_with('#') {
                continue;
            }
            let terms =
                rule.split("=>").flat_map(|side| side.split(',')).map(str::trim).filter(|t| !t.is_empty()).count();
            if terms < 2 || rule.matches("=>").count() > 1 || rule.len() > 500 {
                return Err(Invalid::malformed("rules", rule, Format::SynonymRule).in_item("rules", i).into());
            }
            clean.push(rule.to_string());
        }
        let change = Change::new(who.actor, self.now(), "synonyms.saved", "synonyms", format!("{} rules", clean.len()));
        self.store.save_synonyms(&clean, &change).await?;
        Ok(clean)
    }

    /// Import one line; returns whether it created, updated or left an article unchanged.
    pub async fn import_article_line(&self, who: &Principal, line: ArticleLine) -> Result<ImportOutcome, AppError> {
        who.require(EDITORS)?;
        let topic_id = match line.topic.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(path) => Some(self.topic_by_path(who, path).await?),
            None => None,
        };
        let status = line.status.unwrap_or(ArticleStatus::Intern);
        if status == ArticleStatus::Openbaar && line.public_answer.is_none() {
            return Err(Invalid::empty("public_answer").into());
        }
        let external_id = gastvrij_domain::text::required("id", &line.id, 200)?;
        let existing = self.store.article_by_external_id(&external_id).await?;
        let input = ArticleInput {
            external_id: Some(external_id),
            title: line.title,
            question: line.question,
            answer: line.answer,
            public_answer: line.public_answer,
            audience: line.audience,
            keywords: line.keywords,
            topic_id,
            review_date: line.review_date,
            owning_teams: existing.as_ref().map(|a| a.owning_teams.clone()).unwrap_or_default(),
            related: existing.as_ref().map(|a| a.related.clone()).unwrap_or_default(),
            ..Default::default()
        };
        match existing {
            None => {
                let mut article = Article::create(input, self.now())?;
                article.status = status;
                self.insert_article(who, article, "article.imported").await?;
                Ok(ImportOutcome::Created)
            }
            Some(current) => {
                let mut candidate = current.clone();
                candidate.apply(input, self.now())?;
                candidate.status = status;
                if candidate.editable_text() == current.editable_text()
                    && candidate.topic_id == current.topic_id
                    && candidate.audience == current.audience
                    && candidate.review_date == current.review_date
                {
                    return Ok(ImportOutcome::Unchanged);
                }
                self.change_article(who, current.id, "article.imported", |a| {
                    *a = Article { version: a.version, ..candidate };
                    Ok(())
                })
                .await?;
                Ok(ImportOutcome::Updated)
            }
        }
    }

    /// All articles in export form, in pages.
    pub async fn export_articles(&self, who: &Principal, page: Page) -> Result<Vec<ArticleLine>, AppError> {
        who.require(EDITORS)?;
        let topics = self.store.topics().await?;
        let articles = self.store.articles(&ArticleQuery { page, ..Default::default() }).await?;
        Ok(articles
            .into_iter()
            .map(|a| ArticleLine {
                id: a.external_id,
                title: a.title,
                question: a.question,
                answer: a.answer,
                topic: a.topic_id.map(|t| topic_path(&topics, t)),
                keywords: a.keywords,
                public_answer: a.public_answer,
                audience: a.audience,
                status: Some(a.status),
                review_date: a.review_date,
            })
            .collect())
    }

    /// The topic at `path` (`A/B/C`), creating missing levels.
    async fn topic_by_path(&self, who: &Principal, path: &str) -> Result<TopicId, AppError> {
        let mut parent: Option<TopicId> = None;
        let mut topics = self.store.topics().await?;
        for name in path.split('/').map(str::trim).filter(|n| !n.is_empty()) {
            let found =
                topics.iter().find(|t| t.parent_id == parent && t.name.eq_ignore_ascii_case(name)).map(|t| t.id);
            parent = Some(match found {
                Some(id) => id,
                None => {
                    let topic = Topic::create(TopicInput { name: name.to_string(), parent_id: parent, team_id: None })?;
                    let change = Change::new(who.actor, self.now(), "topic.created", topic.id, "by import");
                    self.store.insert_topic(&topic, &change).await?;
                    self.reference.clear();
                    topics.push(topic.clone());
                    topic.id
                }
            });
        }
        parent.ok_or_else(|| Invalid::empty("topic").into())
    }

    async fn check_article_refs(&self, a: &Article) -> Result<(), AppError> {
        if let Some(t) = a.topic_id
            && self.store.topic(t).await?.is_none()
        {
            return Err(Invalid::unknown_id("topic_id", t).into());
        }
        for team in &a.owning_teams {
            if self.store.team(*team).await?.is_none() {
                return Err(Invalid::unknown_id("owning_teams", team).into());
            }
        }
        for r in &a.related {
            if self.store.article(*r).await?.is_none() {
                return Err(Invalid::unknown_id("related", r).into());
            }
        }
        Ok(())
    }
}

/// What importing one line did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    Created,
    Updated,
    Unchanged,
}

/// The path `A/B/C` of a topic in the tree.
pub fn topic_path(topics: &[Topic], id: TopicId) -> String {
    let mut names = vec![];
    let mut cursor = Some(id);
    while let Some(c) = cursor {
        let Some(t) = topics.iter().find(|t| t.id == c) else { break };
        names.push(t.name.clone());
        cursor = t.parent_id;
        if names.len() > topics.len() {
            break;
        }
    }
    names.reverse();
    names.join("/")
}

impl App {
    /// Publish and archive articles whose scheduled moment has come; returns how many changed.
    /// Publication keeps the four-eyes rule: only an approved `intern` article whose text was not
    /// edited since its approval goes onto the website (`Article::apply_schedule`,
    /// `approved_as_is`); an article in `ter_beoordeling` waits for its second editor.
    pub async fn apply_article_schedules(&self) -> Result<u64, AppError> {
        let system = Principal::system();
        let now = self.now();
        let mut changed = 0;
        for status in [ArticleStatus::Intern, ArticleStatus::Openbaar] {
            let mut offset = 0;
            loop {
                let page = Page { limit: Page::MAX_LIMIT, offset };
                let batch =
                    self.store.articles(&ArticleQuery { status: Some(status), page, ..Default::default() }).await?;
                let full = batch.len() == Page::MAX_LIMIT as usize;
                for article in batch {
                    let publication_due = article.status == ArticleStatus::Intern
                        && article.public_answer.is_some()
                        && article.publish_at.is_some_and(|p| p <= now);
                    let approved = publication_due && approved_as_is(&self.store.article_versions(article.id).await?);
                    if !article.clone().apply_schedule(now, approved) {
                        continue;
                    }
                    let applied = self.change_article_as_read(&system, article, "article.scheduled", |a| {
                        a.apply_schedule(now, approved);
                        Ok(())
                    });
                    match applied.await {
                        Ok(_) => changed += 1,
                        // Another node applied this schedule first (the article's version moved
                        // on since this page was read), or an editor saved it meanwhile: nothing
                        // is written, and the next run looks at it again.
                        Err(AppError::Conflict(_)) => {}
                        Err(e) => return Err(e),
                    }
                }
                if !full {
                    break;
                }
                offset += Page::MAX_LIMIT;
            }
        }
        Ok(changed)
    }
}
