//! Use cases: learning from the questions (issue 16, docs/kennisbank-learning.md). Searches in
//! the KCC workspace and on the public answers page are kept without personal data — masked
//! before storage, the time rounded to the hour, kept a year — and marked when their results
//! were used. Editors see the questions that found no answer grouped by wording, the top
//! questions per topic and week, articles not used in six months; the website-information norm
//! reads the share of public searches that ended on "geholpen".

use crate::kennisbank::topic_path;
use crate::ports::{ArticleHit, StoredSearchQuestion};
use crate::{App, AppError, Principal};
use gastvrij_domain::ids::{ArticleId, ContactId};
use gastvrij_domain::kennisbank::{Article, ArticleInput};
use gastvrij_domain::search_questions::{
    SearchChannel, group_key, hour_of, mask, plain_terms, week_of, without_placeholders,
};
use gastvrij_domain::team::Role;
use gastvrij_domain::{Invalid, InvalidKind};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;

const EDITORS: &[Role] = &[Role::Redacteur];
/// Who reads the website-information norm (with the editors).
const NORM_READERS: &[Role] = &[Role::Redacteur, Role::Teamleider];

/// Searches shorter than this (characters, trimmed) are not kept: the first letters typed.
pub const MIN_KEPT_CHARS: usize = 3;
/// A search typed on by the same person within this time, whose text extends or shortens the
/// one before, replaces it: as you type, one question is one row.
pub const TYPING_WINDOW: SignedDuration = SignedDuration::from_secs(120);
/// The periods (days up to now) the figures can be asked for; the first is the default.
pub const PERIOD_DAYS: [u32; 4] = [30, 7, 90, 365];
/// The most groups of unanswered questions listed.
pub const MAX_GROUPS: u32 = 100;
/// Questions shown per topic and week.
pub const TOP_PER_TOPIC_WEEK: usize = 5;
/// The most unused articles listed.
pub const MAX_UNUSED: u32 = 200;

/// The last search per person while typing (in memory, per node): its id and masked text; and
/// the customer names of the contacts searched for, so typing on costs no extra reads.
#[derive(Default)]
pub(crate) struct Typing {
    last: Mutex<HashMap<String, (String, String, Timestamp)>>,
    names: Mutex<HashMap<ContactId, (Vec<String>, Timestamp)>>,
}

impl Typing {
    /// The id to save a search under: the previous one when this is the same question typed on.
    fn id_for(&self, who: &str, masked: &str, now: Timestamp) -> Result<String, AppError> {
        let mut last = self.last.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.len() > 10_000 {
            last.retain(|_, (_, _, at)| now.duration_since(*at) <= TYPING_WINDOW);
        }
        let lower = masked.to_lowercase();
        let id = match last.get(who) {
            Some((id, before, at))
                if now.duration_since(*at) <= TYPING_WINDOW
                    && (lower.starts_with(before.as_str()) || before.starts_with(lower.as_str())) =>
            {
                id.clone()
            }
            _ => crate::secrets::random_hex(16)?,
        };
        last.insert(who.to_string(), (id.clone(), lower, now));
        Ok(id)
    }
}

/// A period of the figures: the last `days` days up to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Period {
    pub days: u32,
    #[schema(value_type = String, format = DateTime)]
    pub from: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub to: Timestamp,
}

/// A group of similar questions that found no answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct QuestionGroup {
    /// The sorted analysed words that make the group (docs/kennisbank-learning.md).
    pub key: String,
    /// One wording of the group, masked.
    pub example: String,
    /// Searches in the group that found nothing or whose top hit was not used.
    pub searches: u64,
    /// Of those, the searches that found nothing.
    pub without_hits: u64,
    /// Of those, the searches that found something but whose top hit was not used.
    pub top_hit_not_used: u64,
    /// The hour of the last such search.
    #[schema(value_type = String, format = DateTime)]
    pub last_asked: Timestamp,
}

/// The most asked questions under one topic in one week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TopicWeek {
    /// ISO week, `2026-W10`.
    pub week: String,
    /// The topic path of the top hit; empty when nothing was found.
    pub topic: String,
    /// All searches under this topic in this week.
    pub searches: u64,
    /// The most asked groups, most first: `(example, searches)`.
    pub questions: Vec<(String, u64)>,
}

/// Searches that ended on a used answer, out of all: for the website-information norm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AnswerShare {
    /// Public answer searches after which an answer from the results got "geholpen".
    pub helped: u64,
    /// All public answer searches kept in the period.
    pub searches: u64,
}

impl AnswerShare {
    /// Whole percent, `None` without searches.
    pub fn percent(&self) -> Option<u64> {
        (self.searches > 0).then(|| (self.helped * 100 + self.searches / 2) / self.searches)
    }
}

/// A published article not used in six months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UnusedArticle {
    pub id: ArticleId,
    pub external_id: String,
    pub title: String,
    pub topic: String,
    /// `None`: not used since uses are recorded.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used_at: Option<Timestamp>,
}

impl App {
    /// Keep a search without personal data and return its id, to carry to "gebruikt" or
    /// "geholpen". `who`: the employee searching (KCC), `None` on the website. `known_names`:
    /// names of customers known to the contact being handled, masked too. A search that cannot
    /// be kept is logged and searching goes on: `None`.
    pub async fn record_search(
        &self,
        who: Option<&Principal>,
        channel: SearchChannel,
        text: &str,
        hits: &[ArticleHit],
        known_names: &[&str],
    ) -> Option<String> {
        if text.trim().chars().count() < MIN_KEPT_CHARS {
            return None;
        }
        let masked = mask(text, known_names);
        let plain = without_placeholders(&masked);
        let terms = match &self.search {
            Some(index) => index.key_terms(&plain),
            None => plain_terms(&plain),
        };
        let now = self.now();
        let id = match who {
            Some(p) => self.typing.id_for(&p.actor.to_code(), &masked, now),
            None => crate::secrets::random_hex(16),
        };
        let id = match id {
            Ok(id) => id,
            Err(e) => {
                tracing::warn!(error = %e, "no id for a search question; it is not kept");
                return None;
            }
        };
        let q = StoredSearchQuestion {
            id,
            channel,
            asked_hour: hour_of(now),
            asked_week: week_of(now),
            text: masked,
            group_key: group_key(terms),
            hits: hits.len() as u64,
            top_hit: hits.first().map(|h| h.id.clone()),
        };
        match self.store.save_search_question(&q).await {
            Ok(()) => Some(q.id),
            Err(e) => {
                tracing::warn!(error = %e, "a search question could not be kept");
                None
            }
        }
    }

    /// The names to mask in searches made while handling `contact`: its customer's name. Read
    /// once per contact and kept in memory for [`TYPING_WINDOW`] (per node). Nothing when the
    /// caller does not handle contacts, or the contact or its customer is unknown.
    pub async fn names_known_to_contact(&self, who: &Principal, contact: ContactId) -> Vec<String> {
        if who.require(crate::principal::roles::CUSTOMER_WORK).is_err() {
            return vec![];
        }
        let now = self.now();
        {
            let names = self.typing.names.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some((known, at)) = names.get(&contact)
                && now.duration_since(*at) <= TYPING_WINDOW
            {
                return known.clone();
            }
        }
        let customer = match self.store.contact(contact).await {
            Ok(Some((c, _))) => c.customer_id,
            _ => None,
        };
        let known: Vec<String> = match customer {
            Some(id) => self.store.customer(id).await.ok().flatten().and_then(|c| c.name).into_iter().collect(),
            None => vec![],
        };
        let mut names = self.typing.names.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if names.len() > 10_000 {
            names.retain(|_, (_, at)| now.duration_since(*at) <= TYPING_WINDOW);
        }
        names.insert(contact, (known.clone(), now));
        known
    }

    /// The results of search `search_id` were used: `article` is the one used. Unknown ids
    /// (older than a year, or made up) change nothing; failures are logged, never shown.
    pub async fn record_search_use(&self, search_id: Option<&str>, article: ArticleId) {
        let Some(id) = search_id.map(str::trim).filter(|s| !s.is_empty() && s.len() <= 64) else { return };
        if let Err(e) = self.store.mark_search_question_used(id, article).await {
            tracing::warn!(error = %e, "a search question could not be marked used");
        }
    }

    /// The period of the last `days` days up to the end of this hour; `days` must be one of [`PERIOD_DAYS`].
    pub fn learning_period(&self, days: Option<u32>) -> Result<Period, AppError> {
        let days = days.unwrap_or(PERIOD_DAYS[0]);
        if !PERIOD_DAYS.contains(&days) {
            let allowed = PERIOD_DAYS.iter().map(u32::to_string).collect();
            return Err(Invalid::new("dagen", InvalidKind::Unknown { given: days.to_string(), allowed }).into());
        }
        // Up to the end of this hour: questions are kept with the hour they were asked in.
        let to = hour_of(self.now()) + SignedDuration::from_hours(1);
        Ok(Period { days, from: to - SignedDuration::from_hours(24 * i64::from(days)), to })
    }

    /// "Deze vragen vinden geen antwoord": searches in `period` (on `channel`, or both) that
    /// found nothing or whose top hit was not used, grouped by similar wording, most first.
    pub async fn unanswered_questions(
        &self,
        who: &Principal,
        period: Period,
        channel: Option<SearchChannel>,
    ) -> Result<Vec<QuestionGroup>, AppError> {
        who.require(EDITORS)?;
        let rows = self.store.unanswered_question_groups(period.from, period.to, channel, MAX_GROUPS).await?;
        Ok(rows
            .into_iter()
            .map(|r| QuestionGroup {
                key: r.group_key,
                example: r.example,
                searches: r.searches,
                without_hits: r.without_hits,
                top_hit_not_used: r.searches - r.without_hits,
                last_asked: r.last_hour,
            })
            .collect())
    }

    /// The most asked questions per topic (of the top hit) and week in `period`, newest week
    /// first, then by topic path.
    pub async fn top_questions(&self, who: &Principal, period: Period) -> Result<Vec<TopicWeek>, AppError> {
        who.require(EDITORS)?;
        let rows = self.store.questions_per_topic_week(period.from, period.to).await?;
        let topics = self.store.topics().await?;
        let mut out: Vec<TopicWeek> = vec![];
        for r in rows {
            let topic = r.topic_id.map(|t| topic_path(&topics, t)).unwrap_or_default();
            let same = out.last().is_some_and(|l| l.week == r.week && l.topic == topic);
            if !same {
                out.push(TopicWeek { week: r.week.clone(), topic, searches: 0, questions: vec![] });
            }
            let last = out.last_mut().expect("pushed above when missing");
            last.searches += r.searches;
            if last.questions.len() < TOP_PER_TOPIC_WEEK {
                last.questions.push((r.example, r.searches));
            }
        }
        out.sort_by(|a, b| b.week.cmp(&a.week).then_with(|| a.topic.cmp(&b.topic)));
        Ok(out)
    }

    /// The share of public answer searches in `[from, to)` after which an answer from the
    /// results got "geholpen" (prevented questions): the website-information norm.
    pub async fn website_answer_share(
        &self,
        who: &Principal,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<AnswerShare, AppError> {
        who.require(NORM_READERS)?;
        let (helped, searches) = self.store.search_use_counts(SearchChannel::Website, from, to).await?;
        Ok(AnswerShare { helped, searches })
    }

    /// Published articles (intern, openbaar) older than six months that were not used in a
    /// contact nor helped on the website in the last six months.
    pub async fn unused_articles(&self, who: &Principal) -> Result<Vec<UnusedArticle>, AppError> {
        who.require(EDITORS)?;
        let before = six_months_before(self.now());
        let rows = self.store.articles_unused_since(before, MAX_UNUSED).await?;
        let topics = self.store.topics().await?;
        Ok(rows
            .into_iter()
            .map(|r| UnusedArticle {
                id: r.id,
                external_id: r.external_id,
                title: r.title,
                topic: r.topic_id.map(|t| topic_path(&topics, t)).unwrap_or_default(),
                last_used_at: r.last_used_at,
            })
            .collect())
    }

    /// "Maak artikel": a new concept with the question of a group filled in, for an editor to
    /// write the answer of.
    pub async fn create_article_from_question(&self, who: &Principal, question: &str) -> Result<Article, AppError> {
        who.require(EDITORS)?;
        // Masked again: the text comes from a form, and must not bring personal data in.
        let question = mask(question, &[]);
        if question.is_empty() {
            return Err(Invalid::new("vraag", InvalidKind::Empty).into());
        }
        let mut title: String = question.chars().take(120).collect();
        if let Some(first) = title.get(..1) {
            title = first.to_uppercase() + &title[1..];
        }
        let input = ArticleInput { title, question, answer: CONCEPT_ANSWER.into(), ..Default::default() };
        self.create_article(who, input).await
    }
}

/// The answer a concept made from a question starts with.
pub const CONCEPT_ANSWER: &str = "Nog te schrijven: het antwoord op deze vraag.";

/// Six calendar months before `now` (UTC).
fn six_months_before(now: Timestamp) -> Timestamp {
    let utc = jiff::tz::TimeZone::UTC;
    utc.to_datetime(now)
        .checked_sub(jiff::Span::new().months(6))
        .ok()
        .and_then(|d| utc.to_timestamp(d).ok())
        .unwrap_or(now - SignedDuration::from_hours(24 * 183))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_on_keeps_one_id_and_a_new_question_gets_another() {
        let typing = Typing::default();
        let t0: Timestamp = "2026-03-02T10:00:00Z".parse().unwrap();
        let a = typing.id_for("anna", "kwijt", t0).unwrap();
        let b = typing.id_for("anna", "kwijtschelding aanvragen", t0 + SignedDuration::from_secs(5)).unwrap();
        assert_eq!(a, b, "typed on");
        let c = typing.id_for("anna", "riool verstopt", t0 + SignedDuration::from_secs(10)).unwrap();
        assert_ne!(b, c, "another question");
        let d = typing.id_for("bram", "riool verstopt", t0 + SignedDuration::from_secs(10)).unwrap();
        assert_ne!(c, d, "another person");
        let e = typing.id_for("anna", "riool verstopt meer", t0 + SignedDuration::from_secs(600)).unwrap();
        assert_ne!(c, e, "too long after");
    }

    #[test]
    fn the_share_rounds_to_whole_percent() {
        assert_eq!(AnswerShare { helped: 1, searches: 3 }.percent(), Some(33));
        assert_eq!(AnswerShare { helped: 2, searches: 3 }.percent(), Some(67));
        assert_eq!(AnswerShare { helped: 0, searches: 0 }.percent(), None);
    }
}
