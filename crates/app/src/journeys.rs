//! Use cases of customer journeys (issue 15): redacteuren and beheerders define journeys and
//! their touchpoints; every staff member reads them and their journey map, which lays the
//! measured figures of a period over each touchpoint (`docs/journeys.md` defines each figure).
//! The page and the API both get the map from [`App::journey_map`].

use crate::norms::{Counts, GroupBy};
use crate::ports::{TouchpointQuery, wait_bucket_width};
use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::JourneyId;
use gastvrij_domain::journey::{
    Journey, JourneyInput, Measured, Move, Targets, TouchpointFigures, TouchpointInput, WAIT_TARGET_HOURS,
};
use gastvrij_domain::{Invalid, InvalidKind};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::Serialize;
use std::collections::BTreeMap;

/// The days a map spans when no period is given: the last 28, today included.
pub const DEFAULT_DAYS: i64 = 28;
/// The longest period of a map, in days (a year and a day).
pub const MAX_DAYS: i64 = 366;

/// One change to a journey, each saved in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JourneyEdit {
    /// Name, segment and process.
    Head(JourneyInput),
    /// A touchpoint at the end.
    Add(TouchpointInput),
    /// The touchpoint at a (zero-based) position.
    Replace(usize, TouchpointInput),
    Move(usize, Move),
    Remove(usize),
}

impl JourneyEdit {
    fn action(&self) -> &'static str {
        match self {
            JourneyEdit::Head(_) => "journey.updated",
            JourneyEdit::Add(_) => "journey.touchpoint_added",
            JourneyEdit::Replace(..) => "journey.touchpoint_changed",
            JourneyEdit::Move(..) => "journey.touchpoint_moved",
            JourneyEdit::Remove(_) => "journey.touchpoint_removed",
        }
    }
}

/// The journey map of one period `[from, to)`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct JourneyMap {
    pub journey: Journey,
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    /// The first day after the period.
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    pub targets: Targets,
    /// Per touchpoint, in the journey's order.
    pub figures: Vec<TouchpointFigures>,
}

impl App {
    /// Every journey, by name (any staff member).
    pub async fn journeys(&self, who: &Principal) -> Result<Vec<Journey>, AppError> {
        who.require(roles::STAFF)?;
        Ok(self.store.journeys().await?)
    }

    /// One journey and its version (to send back with a change).
    pub async fn journey(&self, who: &Principal, id: JourneyId) -> Result<(Journey, i64), AppError> {
        who.require(roles::STAFF)?;
        self.store.journey(id).await?.ok_or(AppError::NotFound("journey"))
    }

    /// Whether `who` may create and edit journeys (redacteur, beheerder).
    pub fn may_edit_journeys(&self, who: &Principal) -> Result<(), AppError> {
        who.require(roles::TOPIC_EDITORS)
    }

    /// A journey and its version, to edit (redacteur, beheerder).
    pub async fn journey_to_edit(&self, who: &Principal, id: JourneyId) -> Result<(Journey, i64), AppError> {
        who.require(roles::TOPIC_EDITORS)?;
        self.store.journey(id).await?.ok_or(AppError::NotFound("journey"))
    }

    /// A new journey with its touchpoints (redacteur, beheerder). Nothing is stored when one
    /// part is wrong.
    pub async fn create_journey(
        &self,
        who: &Principal,
        input: JourneyInput,
        touchpoints: Vec<TouchpointInput>,
    ) -> Result<Journey, AppError> {
        who.require(roles::TOPIC_EDITORS)?;
        let now = self.now();
        let mut journey = Journey::create(JourneyId::new(), input, now)?;
        for (i, t) in touchpoints.into_iter().enumerate() {
            journey.add(t, now).map_err(|e| e.in_item("touchpoints", i))?;
        }
        self.check_journey_topics(&journey).await?;
        let change = Change::new(who.actor, now, "journey.created", journey.id, "");
        self.store.insert_journey(&journey, &change).await?;
        Ok(journey)
    }

    /// Change a journey made at `version` (redacteur, beheerder); a journey changed meanwhile
    /// is a conflict, and nothing is written.
    pub async fn edit_journey(
        &self,
        who: &Principal,
        id: JourneyId,
        version: i64,
        edit: JourneyEdit,
    ) -> Result<Journey, AppError> {
        who.require(roles::TOPIC_EDITORS)?;
        let (mut journey, stored) = self.store.journey(id).await?.ok_or(AppError::NotFound("journey"))?;
        if stored != version {
            return Err(AppError::Conflict(
                "the journey was changed by someone else in the meantime; reload it and try again".into(),
            ));
        }
        let now = self.now();
        let action = edit.action();
        match edit {
            JourneyEdit::Head(input) => journey.apply(input, now)?,
            JourneyEdit::Add(t) => journey.add(t, now)?,
            JourneyEdit::Replace(i, t) => journey.replace(i, t, now)?,
            JourneyEdit::Move(i, m) => journey.move_touchpoint(i, m, now)?,
            JourneyEdit::Remove(i) => journey.remove(i, now).map(drop)?,
        }
        self.check_journey_topics(&journey).await?;
        let change = Change::new(who.actor, now, action, journey.id, "");
        self.store.update_journey(&journey, version, &change).await?;
        Ok(journey)
    }

    /// Every linked topic exists.
    async fn check_journey_topics(&self, journey: &Journey) -> Result<(), AppError> {
        let known = self.store.topics().await?;
        for (i, t) in journey.touchpoints.iter().enumerate() {
            if let Some(missing) = t.topics.iter().find(|id| !known.iter().any(|k| k.id == **id)) {
                return Err(Invalid::unknown_id("topics", missing).in_item("touchpoints", i).into());
            }
        }
        Ok(())
    }

    /// The journey map over the days `[from, to)` (any staff member); default the last
    /// [`DEFAULT_DAYS`] days up to and including today.
    pub async fn journey_map(
        &self,
        who: &Principal,
        id: JourneyId,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<JourneyMap, AppError> {
        who.require(roles::STAFF)?;
        let (journey, _) = self.store.journey(id).await?.ok_or(AppError::NotFound("journey"))?;
        let to = match to {
            Some(to) => to,
            None => self.today().await?.saturating_add(1.day()),
        };
        let from = from.unwrap_or_else(|| to.saturating_sub(DEFAULT_DAYS.days()));
        if from >= to {
            return Err(Invalid::new("to", InvalidKind::OutOfOrder { after: "from" }).into());
        }
        if (to - from).get_days() > MAX_DAYS as i32 || from.year() < 2000 {
            return Err(Invalid::new("from", InvalidKind::OutOfRange { min: 1, max: Some(MAX_DAYS) }).into());
        }
        let calendar = self.settings.calendars.get("termijnenwet")?;
        let unexpected = |e| AppError::Unexpected(anyhow::Error::from(e));
        let (start, end) =
            (calendar.start_of_day(from).map_err(unexpected)?, calendar.start_of_day(to).map_err(unexpected)?);

        // % within norm: the compliance figures (daily roll-ups plus the open cases) by channel,
        // each channel's part by topic, from one read per map over the whole period (a map has
        // no weekly figures), summed per touchpoint. The touchpoints' own roll-ups are read
        // beside it, on another reader connection.
        let all = crate::ports::NormFilter::default();
        let zero = SignedDuration::ZERO;
        let compliance = self.compliance_parts(start, end, GroupBy::Channel, GroupBy::Topic, zero, &all, false);
        let (from_day, to_day) = (from.to_string(), to.to_string());
        let touchpoints = async {
            self.refresh_journey_rollups().await?;
            let mut rolled = Vec::with_capacity(journey.touchpoints.len());
            for t in &journey.touchpoints {
                let q = TouchpointQuery {
                    from: start,
                    to: end,
                    topics: t.topics.clone(),
                    channels: t.channels.clone(),
                    statuses: t.statuses.clone(),
                };
                rolled.push(self.store.touchpoint_rollup(&q, &from_day, &to_day).await?);
            }
            Ok::<_, AppError>(rolled)
        };
        let (parted, rolled) = tokio::try_join!(compliance, touchpoints)?;
        let by_channel: BTreeMap<String, Counts> = parted.all.groups.into_iter().map(|g| (g.key, g.counts)).collect();
        let by_topic: BTreeMap<String, Counts> = parted
            .parts
            .into_iter()
            .map(|(topic, report)| {
                let mut sum = Counts::default();
                report.groups.iter().for_each(|g| sum.merge(g.counts));
                (topic, sum)
            })
            .collect();

        // The targets of the norm set valid on the period's last day (docs/norms.md).
        let history = self.norm_history().await?;
        let norms = history.valid_on(to.yesterday().unwrap_or(to));
        let targets = Targets {
            satisfaction_grade: norms.satisfaction_grade,
            percent_within: f64::from(norms.case_target_percent),
            wait_hours: WAIT_TARGET_HOURS,
        };
        let mut figures = Vec::with_capacity(journey.touchpoints.len());
        for (t, rolled) in journey.touchpoints.iter().zip(rolled) {
            let (waits, median_wait_hours) = bucket_median(&rolled.waits);
            let keys: Vec<String> = if !t.topics.is_empty() {
                t.topics.iter().map(ToString::to_string).collect()
            } else {
                t.channels.iter().map(|c| c.code().to_string()).collect()
            };
            let groups = if t.topics.is_empty() { &by_channel } else { &by_topic };
            let (within_norm, late) =
                keys.iter().filter_map(|k| groups.get(k)).fold((0, 0), |(w, l), c| (w + c.within_norm, l + c.late));
            let measured = Measured {
                contacts: rolled.contacts,
                cases: rolled.cases,
                survey_answers: rolled.answers,
                grade_sum: rolled.grade_sum,
                within_norm,
                late,
                waits,
                median_wait_hours,
            };
            figures.push(measured.judge(t, &targets));
        }
        Ok(JourneyMap { journey, from, to, targets, figures })
    }

    /// Bring the journey map's daily roll-ups up to date with every hour marked since the last
    /// refresh: the local days of the marked hours are recomputed from the raw tables, at most
    /// [`REFRESH_DAYS`] per transaction. Returns the hours processed.
    pub async fn refresh_journey_rollups(&self) -> Result<u64, AppError> {
        let calendar = self.settings.calendars.get("termijnenwet")?;
        let unexpected = |e: jiff::Error| AppError::Unexpected(anyhow::Error::from(e));
        let mut processed = 0;
        loop {
            let markers = self.store.dirty_journey_hours(5_000).await?;
            if markers.is_empty() {
                return Ok(processed);
            }
            // Hours in order give days in order: cut into runs of at most REFRESH_DAYS days.
            let mut days: Vec<(String, Timestamp, Timestamp)> = vec![];
            let mut done: Vec<(i64, i64)> = vec![];
            for (i, marker) in markers.iter().enumerate() {
                let day = calendar.date_of(Timestamp::from_second(marker.0.saturating_mul(3600)).map_err(unexpected)?);
                let name = day.to_string();
                if days.last().is_none_or(|(last, _, _)| *last != name) {
                    if days.len() == REFRESH_DAYS {
                        self.store.refresh_journey_days(&days, &done).await?;
                        (days, done) = (vec![], vec![]);
                    }
                    let start = calendar.start_of_day(day).map_err(|e| AppError::Unexpected(e.into()))?;
                    let next = calendar
                        .start_of_day(day.tomorrow().map_err(unexpected)?)
                        .map_err(|e| AppError::Unexpected(e.into()))?;
                    days.push((name, start, next));
                }
                done.push(*marker);
                if i + 1 == markers.len() {
                    self.store.refresh_journey_days(&days, &done).await?;
                }
            }
            processed += markers.len() as u64;
        }
    }
}

/// Days of journey roll-ups recomputed in one transaction at most.
const REFRESH_DAYS: usize = 7;

/// The number of picked-up cases and their median wait in hours from the wait buckets (lower
/// bound in seconds, cases, sum of their waits in seconds): each wait is taken as the mean wait
/// of its bucket, so the median is exact when the waits in its bucket are equal and never off by
/// more than the bucket's width (6 minutes below 10 hours, an hour below 10 days, a day beyond).
pub fn bucket_median(buckets: &[(i64, u64, i64)]) -> (u64, Option<f64>) {
    let n: u64 = buckets.iter().map(|(_, c, _)| c).sum();
    if n == 0 {
        return (0, None);
    }
    // The mean wait of the bucket holding the wait of rank `rank` (0-based, ascending), in hours.
    let at = |rank: u64| {
        let mut seen = 0;
        for (lower, count, seconds) in buckets {
            seen += count;
            if rank < seen {
                let mean = if *count > 0 { *seconds as f64 / *count as f64 } else { *lower as f64 };
                // Kept inside the bucket whatever the sum says.
                let mean = mean.clamp(*lower as f64, (*lower + wait_bucket_width(*lower)) as f64);
                return mean / 3600.0;
            }
        }
        0.0
    };
    let median = if n % 2 == 1 { at(n / 2) } else { (at(n / 2 - 1) + at(n / 2)) / 2.0 };
    (n, Some(median))
}
