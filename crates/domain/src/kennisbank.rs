//! The kennisbank: knowledge articles (compatible with the VAC object type that KISS uses),
//! their editorial workflow and version history, and consultations of the back office
//! (ruggespraak) that turn second-line questions into first-line answers.

use crate::audit::Actor;
use crate::customer::Segment;
use crate::ids::{ArticleId, ConsultationId, ContactId, EmployeeId, QuestionId, TeamId, TopicId};
use crate::{Invalid, InvalidKind, StateRule, text};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Where an article is in its life. `concept` → `ter_beoordeling` → `intern` or `openbaar` →
/// `gearchiveerd` (VAC statuses plus the review step).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    /// A draft; only editors see it.
    Concept,
    /// Waiting for a second editor's review.
    TerBeoordeling,
    /// Published for staff (the KCC).
    Intern,
    /// Published for staff and on the website (public answer).
    Openbaar,
    /// No longer used.
    Gearchiveerd,
}

impl ArticleStatus {
    pub const ALL: [ArticleStatus; 5] = [
        ArticleStatus::Concept,
        ArticleStatus::TerBeoordeling,
        ArticleStatus::Intern,
        ArticleStatus::Openbaar,
        ArticleStatus::Gearchiveerd,
    ];
    pub fn code(self) -> &'static str {
        match self {
            ArticleStatus::Concept => "concept",
            ArticleStatus::TerBeoordeling => "ter_beoordeling",
            ArticleStatus::Intern => "intern",
            ArticleStatus::Openbaar => "openbaar",
            ArticleStatus::Gearchiveerd => "gearchiveerd",
        }
    }

    /// The status as staff read it.
    pub fn label(self) -> &'static str {
        match self {
            ArticleStatus::Concept => "Concept",
            ArticleStatus::TerBeoordeling => "Ter beoordeling",
            ArticleStatus::Intern => "Intern",
            ArticleStatus::Openbaar => "Openbaar",
            ArticleStatus::Gearchiveerd => "Gearchiveerd",
        }
    }

    /// Whether staff see it when answering questions.
    pub fn is_published(self) -> bool {
        matches!(self, ArticleStatus::Intern | ArticleStatus::Openbaar)
    }

    /// The editorial workflow.
    pub fn can_become(self, next: ArticleStatus) -> bool {
        use ArticleStatus::*;
        matches!(
            (self, next),
            (Concept, TerBeoordeling)
                | (TerBeoordeling, Concept)
                | (TerBeoordeling, Intern)
                | (TerBeoordeling, Openbaar)
                | (Intern, Openbaar)
                | (Openbaar, Intern)
                | (Intern, Gearchiveerd)
                | (Openbaar, Gearchiveerd)
                | (Concept, Gearchiveerd)
                | (Gearchiveerd, Concept)
                | (Intern, Concept)
                | (Openbaar, Concept)
        )
    }
}
crate::codes::impl_codes!(ArticleStatus, "status");

/// A knowledge article as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Article {
    pub id: ArticleId,
    /// The id in the source system (import), returned by search; defaults to the id.
    pub external_id: String,
    pub title: String,
    /// The question (vraag) as customers ask it.
    pub question: String,
    /// The answer for the KCC (antwoord).
    pub answer: String,
    /// The website text in plain language (B1).
    pub public_answer: Option<String>,
    pub status: ArticleStatus,
    /// Target audiences (doelgroep).
    pub audience: Vec<Segment>,
    /// Keywords (trefwoorden).
    pub keywords: Vec<String>,
    pub owning_teams: Vec<TeamId>,
    pub related: Vec<ArticleId>,
    pub topic_id: Option<TopicId>,
    /// Review the article before this date.
    #[schema(value_type = Option<String>, format = Date)]
    pub review_date: Option<Date>,
    /// Publish automatically at this moment (from ter_beoordeling).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub publish_at: Option<Timestamp>,
    /// Archive automatically at this moment.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub archive_at: Option<Timestamp>,
    /// How often it answered a contact.
    pub usage_count: i64,
    pub helped: i64,
    pub not_helped: i64,
    /// The consultation this article came from (second line → first line).
    pub from_consultation: Option<ConsultationId>,
    /// Increases with every saved change.
    pub version: i64,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

/// The editable part of an article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ArticleInput {
    #[serde(default)]
    pub external_id: Option<String>,
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub title: String,
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub question: String,
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub answer: String,
    #[serde(default)]
    #[schema(max_length = 20000)]
    pub public_answer: Option<String>,
    #[serde(default)]
    pub audience: Vec<Segment>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub owning_teams: Vec<TeamId>,
    #[serde(default)]
    pub related: Vec<ArticleId>,
    #[serde(default)]
    pub topic_id: Option<TopicId>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub review_date: Option<Date>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub publish_at: Option<Timestamp>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub archive_at: Option<Timestamp>,
}

impl Article {
    /// A new draft (concept).
    pub fn create(input: ArticleInput, now: Timestamp) -> Result<Self, Invalid> {
        let id = ArticleId::new();
        let mut a = Article {
            id,
            external_id: id.to_string(),
            title: String::new(),
            question: String::new(),
            answer: String::new(),
            public_answer: None,
            status: ArticleStatus::Concept,
            audience: vec![],
            keywords: vec![],
            owning_teams: vec![],
            related: vec![],
            topic_id: None,
            review_date: None,
            publish_at: None,
            archive_at: None,
            usage_count: 0,
            helped: 0,
            not_helped: 0,
            from_consultation: None,
            version: 0,
            created_at: now,
            updated_at: now,
        };
        a.apply(input, now)?;
        Ok(a)
    }

    /// Replace the editable fields.
    pub fn apply(&mut self, input: ArticleInput, now: Timestamp) -> Result<(), Invalid> {
        if let Some(ext) = text::optional("id", input.external_id.as_deref(), 200)? {
            self.external_id = ext;
        }
        self.title = text::required("title", &input.title, text::limits::SHORT)?;
        self.question = text::required("question", &input.question, text::limits::LONG)?;
        self.answer = text::required("answer", &input.answer, text::limits::LONG)?;
        self.public_answer = text::optional("public_answer", input.public_answer.as_deref(), text::limits::LONG)?;
        let mut keywords = Vec::new();
        for k in input.keywords {
            let k = text::required("keywords", &k, 100)?;
            if !keywords.iter().any(|x: &String| x.eq_ignore_ascii_case(&k)) {
                keywords.push(k);
            }
        }
        if keywords.len() > 50 {
            return Err(Invalid::new("keywords", InvalidKind::TooMany { max: 50 }));
        }
        if input.related.contains(&self.id) {
            return Err(Invalid::new("related", InvalidKind::Cycle));
        }
        if let (Some(p), Some(a)) = (input.publish_at, input.archive_at)
            && a <= p
        {
            return Err(Invalid::new("archive_at", InvalidKind::OutOfOrder { after: "publish_at" }));
        }
        let mut audience = input.audience;
        audience.sort();
        audience.dedup();
        self.keywords = keywords;
        self.audience = audience;
        self.owning_teams = dedup(input.owning_teams);
        self.related = dedup(input.related);
        self.topic_id = input.topic_id;
        self.review_date = input.review_date;
        self.publish_at = input.publish_at;
        self.archive_at = input.archive_at;
        self.updated_at = now;
        Ok(())
    }

    /// Move through the editorial workflow.
    pub fn change_status(&mut self, next: ArticleStatus, now: Timestamp) -> Result<(), Invalid> {
        if !self.status.can_become(next) {
            return Err(Invalid::wrong_state(
                "status",
                StateRule::Transition { from: self.status.code(), to: next.code() },
            ));
        }
        if next == ArticleStatus::Openbaar && self.public_answer.is_none() {
            return Err(Invalid::empty("public_answer"));
        }
        self.status = next;
        self.updated_at = now;
        Ok(())
    }

    /// Apply scheduled publication and archiving due at `now`; returns whether anything changed.
    ///
    /// Scheduled publication only publishes what a second editor approved: an `intern` article
    /// with a public answer goes onto the website (`openbaar`) at `publish_at` when `approved`
    /// (its text was approved as it is now, [`approved_as_is`]). An article still in
    /// `ter_beoordeling` waits for its approval, whatever its date.
    pub fn apply_schedule(&mut self, now: Timestamp, approved: bool) -> bool {
        let before = self.status;
        if self.status == ArticleStatus::Intern
            && approved
            && self.public_answer.is_some()
            && self.publish_at.is_some_and(|p| p <= now)
        {
            self.status = ArticleStatus::Openbaar;
        }
        if self.status.is_published() && self.archive_at.is_some_and(|a| a <= now) {
            self.status = ArticleStatus::Gearchiveerd;
        }
        if self.status != before {
            self.updated_at = now;
        }
        self.status != before
    }

    /// Past its review date on `today`.
    pub fn needs_review(&self, today: Date) -> bool {
        self.status != ArticleStatus::Gearchiveerd && self.review_date.is_some_and(|d| d < today)
    }

    /// The fields people edit, as text, for version diffs.
    pub fn editable_text(&self) -> String {
        format!(
            "titel: {}\nvraag: {}\nantwoord:\n{}\npubliek antwoord:\n{}\ntrefwoorden: {}\nstatus: {}\n",
            self.title,
            self.question,
            self.answer,
            self.public_answer.as_deref().unwrap_or(""),
            self.keywords.join(", "),
            self.status.code()
        )
    }
}

fn dedup<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// One saved version of an article: who, when, and what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ArticleVersion {
    pub article_id: ArticleId,
    pub version: i64,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    pub author: Actor,
    /// A line diff of the edited text against the previous version (`-` removed, `+` added).
    pub diff: String,
}

/// Whether moving from `from` to `next` approves the article: publishing it for the first time
/// after review (`ter_beoordeling` → `intern` or `openbaar`), or taking it onto the website
/// (`intern` → `openbaar`). Approvals fall under the four-eyes rule (`check_reviewer`).
pub fn is_approval(from: ArticleStatus, next: ArticleStatus) -> bool {
    use ArticleStatus::*;
    matches!((from, next), (TerBeoordeling, Intern) | (TerBeoordeling, Openbaar) | (Intern, Openbaar))
}

/// Whether a version changed the article's text (more than its status line).
fn edits_text(v: &ArticleVersion) -> bool {
    v.version == 1 || v.diff.lines().any(|l| !(l.starts_with("- status: ") || l.starts_with("+ status: ")))
}

/// Who last edited the article's text: the author of the newest version that changed more than
/// the status (the first version always counts). `None` for an article without versions.
pub fn last_editor(versions: &[ArticleVersion]) -> Option<Actor> {
    versions.iter().filter(|v| edits_text(v)).max_by_key(|v| v.version).map(|v| v.author)
}

/// The four-eyes rule: an employee who last edited the article's text does not approve it
/// (`is_approval`); another editor does. Operator and system actions (the command line, imports,
/// scheduled publication) are not employees' edits and are not checked here.
pub fn check_reviewer(
    from: ArticleStatus,
    next: ArticleStatus,
    last_editor: Option<Actor>,
    reviewer: Actor,
) -> Result<(), Invalid> {
    if is_approval(from, next) && matches!(reviewer, Actor::Employee(_)) && last_editor == Some(reviewer) {
        return Err(Invalid::wrong_state("status", StateRule::ReviewByAnother));
    }
    Ok(())
}

/// Whether the article's text as it is now was approved: the newest approval (a version whose
/// status line went from `ter_beoordeling` to `intern` or `openbaar`, or from `intern` to
/// `openbaar`) is newer than the newest version that edited the text. The approval itself kept
/// the four-eyes rule ([`check_reviewer`]); a text edited after it needs a new approval.
pub fn approved_as_is(versions: &[ArticleVersion]) -> bool {
    let status_step = |v: &ArticleVersion| {
        let line = |sign: &str| {
            v.diff.lines().find_map(|l| l.strip_prefix(sign)).and_then(|rest| rest.strip_prefix("status: "))
        };
        let code = |c: &str| ArticleStatus::ALL.into_iter().find(|s| s.code() == c);
        Some((code(line("- ")?)?, code(line("+ ")?)?))
    };
    let approval = versions
        .iter()
        .filter(|v| status_step(v).is_some_and(|(from, next)| is_approval(from, next)))
        .map(|v| v.version)
        .max();
    let edit = versions.iter().filter(|v| edits_text(v)).map(|v| v.version).max();
    match (approval, edit) {
        (Some(a), Some(e)) => a > e,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// A line diff of `old` and `new` (longest common subsequence), only the changed lines.
pub fn line_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // Bound the quadratic table: very long texts fall back to "all removed, all added".
    if a.len() * b.len() > 4_000_000 {
        let mut out = String::new();
        a.iter().for_each(|l| out.push_str(&format!("- {l}\n")));
        b.iter().for_each(|l| out.push_str(&format!("+ {l}\n")));
        return out;
    }
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str(&format!("- {}\n", a[i]));
            i += 1;
        } else {
            out.push_str(&format!("+ {}\n", b[j]));
            j += 1;
        }
    }
    out
}

/// A consultation of the back office (ruggespraak) from a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Consultation {
    pub id: ConsultationId,
    pub contact_id: Option<ContactId>,
    pub question_id: Option<QuestionId>,
    pub asked_by: Option<EmployeeId>,
    /// The team asked; or
    pub to_team: Option<TeamId>,
    /// the person asked.
    pub to_employee: Option<EmployeeId>,
    pub question: String,
    pub answer: Option<String>,
    pub answered_by: Option<EmployeeId>,
    #[schema(value_type = String, format = DateTime)]
    pub asked_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub answered_at: Option<Timestamp>,
    /// The draft article made from this question and answer.
    pub article_id: Option<ArticleId>,
}

/// A consultation as asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ConsultationInput {
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    #[serde(default)]
    pub question_id: Option<QuestionId>,
    #[serde(default)]
    pub to_team: Option<TeamId>,
    #[serde(default)]
    pub to_employee: Option<EmployeeId>,
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub question: String,
}

impl Consultation {
    pub fn ask(input: ConsultationInput, by: Option<EmployeeId>, now: Timestamp) -> Result<Self, Invalid> {
        if input.to_team.is_none() && input.to_employee.is_none() {
            return Err(Invalid::empty("to_team"));
        }
        Ok(Consultation {
            id: ConsultationId::new(),
            contact_id: input.contact_id,
            question_id: input.question_id,
            asked_by: by,
            to_team: input.to_team,
            to_employee: input.to_employee,
            question: text::required("question", &input.question, text::limits::LONG)?,
            answer: None,
            answered_by: None,
            asked_at: now,
            answered_at: None,
            article_id: None,
        })
    }

    pub fn answer(&mut self, answer: &str, by: Option<EmployeeId>, now: Timestamp) -> Result<(), Invalid> {
        if self.answer.is_some() {
            return Err(Invalid::wrong_state("answer", StateRule::AlreadyAnswered));
        }
        self.answer = Some(text::required("answer", answer, text::limits::LONG)?);
        self.answered_by = by;
        self.answered_at = Some(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ArticleInput {
        ArticleInput {
            title: "Kwijtschelding aanvragen".into(),
            question: "Hoe vraag ik kwijtschelding aan?".into(),
            answer: "Via het formulier.".into(),
            keywords: vec!["kwijtschelding".into(), "Kwijtschelding".into(), "betalen".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_new_article_is_a_concept_with_deduplicated_keywords() {
        let a = Article::create(input(), Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!(a.status, ArticleStatus::Concept);
        assert_eq!(a.keywords, vec!["kwijtschelding", "betalen"]);
        assert_eq!(a.external_id, a.id.to_string());
    }

    #[test]
    fn the_workflow_goes_through_review_and_public_needs_a_public_answer() {
        let mut a = Article::create(input(), Timestamp::UNIX_EPOCH).unwrap();
        assert!(a.change_status(ArticleStatus::Intern, Timestamp::UNIX_EPOCH).is_err(), "no publishing without review");
        a.change_status(ArticleStatus::TerBeoordeling, Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!(a.change_status(ArticleStatus::Openbaar, Timestamp::UNIX_EPOCH).unwrap_err().field, "public_answer");
        a.change_status(ArticleStatus::Intern, Timestamp::UNIX_EPOCH).unwrap();
        assert!(a.status.is_published());
    }

    #[test]
    fn scheduled_publication_and_archiving() {
        let mut a = Article::create(
            ArticleInput {
                publish_at: Some(Timestamp::from_second(100).unwrap()),
                archive_at: Some(Timestamp::from_second(200).unwrap()),
                ..input()
            },
            Timestamp::UNIX_EPOCH,
        )
        .unwrap();
        a.change_status(ArticleStatus::TerBeoordeling, Timestamp::UNIX_EPOCH).unwrap();
        let at = |s| Timestamp::from_second(s).unwrap();
        assert!(!a.apply_schedule(at(150), true), "in review: waits for the second editor");
        a.public_answer = Some("Via het formulier op de website.".into());
        a.change_status(ArticleStatus::Intern, Timestamp::UNIX_EPOCH).unwrap();
        assert!(!a.apply_schedule(at(50), true), "not yet");
        assert!(!a.apply_schedule(at(150), false), "text changed since the approval");
        assert!(a.apply_schedule(at(150), true));
        assert_eq!(a.status, ArticleStatus::Openbaar);
        assert!(a.apply_schedule(at(250), true));
        assert_eq!(a.status, ArticleStatus::Gearchiveerd);
    }

    #[test]
    fn an_approval_covers_the_text_until_it_is_edited_again() {
        let v = |version, diff: &str| ArticleVersion {
            article_id: ArticleId::new(),
            version,
            at: Timestamp::UNIX_EPOCH,
            author: Actor::Operator,
            diff: diff.into(),
        };
        let written = v(1, "+ titel: A\n+ status: concept\n");
        let review = v(2, "- status: concept\n+ status: ter_beoordeling\n");
        let approved = v(3, "- status: ter_beoordeling\n+ status: intern\n");
        assert!(!approved_as_is(&[written.clone(), review.clone()]), "not approved yet");
        assert!(approved_as_is(&[written.clone(), review.clone(), approved.clone()]));
        let edited = v(4, "- titel: A\n+ titel: B\n");
        assert!(!approved_as_is(&[written, review, approved, edited]), "edited after the approval");
    }

    #[test]
    fn diffs_show_only_changed_lines() {
        let d = line_diff("a\nb\nc\n", "a\nB\nc\nd\n");
        assert_eq!(d, "- b\n+ B\n+ d\n");
        assert_eq!(line_diff("same\n", "same\n"), "");
    }

    #[test]
    fn a_consultation_needs_someone_to_ask_and_is_answered_once() {
        let q = ConsultationInput {
            contact_id: None,
            question_id: None,
            to_team: None,
            to_employee: None,
            question: "Mag dat?".into(),
        };
        assert_eq!(Consultation::ask(q.clone(), None, Timestamp::UNIX_EPOCH).unwrap_err().field, "to_team");
        let mut c =
            Consultation::ask(ConsultationInput { to_team: Some(TeamId::new()), ..q }, None, Timestamp::UNIX_EPOCH)
                .unwrap();
        c.answer("Ja.", None, Timestamp::UNIX_EPOCH).unwrap();
        assert!(c.answer("Nee.", None, Timestamp::UNIX_EPOCH).is_err());
    }

    fn version(n: i64, author: Actor, diff: &str) -> ArticleVersion {
        ArticleVersion {
            article_id: ArticleId::new(),
            version: n,
            at: Timestamp::UNIX_EPOCH,
            author,
            diff: diff.into(),
        }
    }

    #[test]
    fn the_last_editor_of_the_text_does_not_approve_it() {
        let (anna, bert) = (Actor::Employee(EmployeeId::new()), Actor::Employee(EmployeeId::new()));
        let versions = vec![
            version(1, anna, "+ titel: A\n"),
            version(2, bert, "- antwoord\n+ antwoord beter\n"),
            version(3, anna, "- status: concept\n+ status: ter_beoordeling\n"),
        ];
        assert_eq!(last_editor(&versions), Some(bert), "a status change is not an edit of the text");
        use ArticleStatus::*;
        let refused = check_reviewer(TerBeoordeling, Openbaar, last_editor(&versions), bert).unwrap_err();
        assert_eq!(refused.kind, InvalidKind::WrongState(StateRule::ReviewByAnother));
        assert!(check_reviewer(TerBeoordeling, Intern, Some(bert), bert).is_err());
        assert!(check_reviewer(Intern, Openbaar, Some(bert), bert).is_err(), "going public is an approval");
        check_reviewer(TerBeoordeling, Intern, Some(bert), anna).unwrap();
        check_reviewer(Concept, TerBeoordeling, Some(bert), bert).unwrap();
        check_reviewer(Openbaar, Gearchiveerd, Some(bert), bert).unwrap();
        check_reviewer(TerBeoordeling, Intern, Some(Actor::Operator), Actor::Operator).unwrap();
        assert_eq!(last_editor(&[]), None);
    }
}
