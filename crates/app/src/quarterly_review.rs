//! Use case: the klantoverleg report of a back-office team for one quarter (issue 14): the
//! questions about the team's topics per channel, the consultations asked of the team and how
//! fast it answered them, the articles made from them, the werkzaamheden coming up, and the
//! team's norm compliance. Definitions in words: `docs/klantoverleg.md`.

use crate::norms::{ComplianceGroup, GroupBy};
use crate::ports::{ConsultationQuery, PlannedWorkQuery};
use crate::principal::roles;
use crate::{App, AppError, Page, Principal};
use gastvrij_domain::ids::TeamId;
use gastvrij_domain::kennisbank::ArticleStatus;
use gastvrij_domain::open_data::Period;
use gastvrij_domain::planned_works::PlannedWork;
use gastvrij_domain::quarterly_review::{ConsultationFigures, TopicQuestions, consultation_figures, team_questions};
use gastvrij_domain::team::Team;
use gastvrij_domain::{Invalid, InvalidKind};
use jiff::{SignedDuration, ToSpan as _};

/// An article made from one of the quarter's consultations.
#[derive(Debug, Clone)]
pub struct ArticleMade {
    pub title: String,
    pub status: ArticleStatus,
}

/// Everything on the klantoverleg report.
#[derive(Debug, Clone)]
pub struct QuarterlyReview {
    pub team: Team,
    pub period: Period,
    /// First and last day of the quarter.
    pub first_day: jiff::civil::Date,
    pub last_day: jiff::civil::Date,
    /// The day "coming up" counts from: the quarter's last day, or today while it runs.
    pub as_of: jiff::civil::Date,
    pub questions: Vec<TopicQuestions>,
    pub consultations: ConsultationFigures,
    pub articles: Vec<ArticleMade>,
    /// Works not over on `as_of` that start within three months of it, the soonest first.
    pub planned_works: Vec<PlannedWork>,
    /// The team's service-norm compliance of the cases and calls of the quarter.
    pub compliance: Option<ComplianceGroup>,
}

impl App {
    /// The klantoverleg report of `team` for `quarter` (1–4) of `year`, for staff who work with
    /// customers (KCC, back office, team leads) and beheerders.
    pub async fn quarterly_review(
        &self,
        who: &Principal,
        team: TeamId,
        year: i16,
        quarter: u8,
    ) -> Result<QuarterlyReview, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        if !crate::open_data::YEARS.contains(&year) {
            let (min, max) = (*crate::open_data::YEARS.start(), *crate::open_data::YEARS.end());
            return Err(Invalid::new("year", InvalidKind::OutOfRange { min: min.into(), max: Some(max.into()) }).into());
        }
        if !(1..=4).contains(&quarter) {
            return Err(Invalid::new("quarter", InvalidKind::OutOfRange { min: 1, max: Some(4) }).into());
        }
        let team = self.team(who, team).await?;
        let period = Period { year, quarter: Some(quarter) };
        let (first_day, next_day) = period.days();
        let calendar = self.settings.calendars.get("termijnenwet")?;
        let start = |d| calendar.start_of_day(d).map_err(|e| AppError::Unexpected(e.into()));
        let (from, to) = (start(first_day)?, start(next_day)?);
        let last_day = next_day.yesterday().map_err(|e| AppError::Unexpected(e.into()))?;
        let as_of = last_day.min(calendar.date_of(self.now()));

        let topics = self.store.topics().await?;
        let questions = team_questions(&topics, team.id, &self.store.question_counts(from, to).await?);

        let members: Vec<_> =
            self.store.employees().await?.into_iter().filter(|e| e.team_id == Some(team.id)).map(|e| e.id).collect();
        let asked = ConsultationQuery {
            to_team: Some(team.id),
            or_to_employees: members,
            asked_between: Some((from, to)),
            ..Default::default()
        };
        let consultations = self.every_consultation(asked).await?;
        let figures = consultation_figures(&consultations);
        let mut articles = vec![];
        for id in consultations.iter().filter_map(|c| c.article_id) {
            if let Some(a) = self.store.article(id).await? {
                articles.push(ArticleMade { title: a.title, status: a.status });
            }
        }

        let horizon = as_of.checked_add(3.months()).map_err(|e| AppError::Unexpected(e.into()))?;
        let query = PlannedWorkQuery { today: as_of, include_past: false, page: Page::first(Page::MAX_LIMIT) };
        let mut planned_works: Vec<PlannedWork> =
            self.store.planned_works(&query).await?.into_iter().filter(|w| w.starts_on < horizon).collect();
        planned_works.sort_by_key(|w| (w.starts_on, w.ends_on));

        let report = self.compliance(who, from, to, GroupBy::Team, SignedDuration::ZERO).await?;
        let compliance = report.groups.into_iter().find(|g| g.key == team.id.to_string());
        Ok(QuarterlyReview {
            team,
            period,
            first_day,
            last_day,
            as_of,
            questions,
            consultations: figures,
            articles,
            planned_works,
            compliance,
        })
    }
}
