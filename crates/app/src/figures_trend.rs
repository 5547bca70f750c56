//! Use case: the weekly trends on the figures overview (`/werkplek/cijfers`): norm compliance
//! (category 3) beside customer satisfaction, and the employee pulse. Nothing here defines a
//! figure of its own: each comes from the function behind its own dashboard
//! (`App::compliance_for`, `App::satisfaction`, `App::pulse_report`); docs/figures-trend.md
//! says which.

use crate::norm_dashboard::DASHBOARD_ROLES;
use crate::norms::{GroupBy, code};
use crate::ports::NormFilter;
use crate::satisfaction::SatisfactionQuery;
use crate::{App, AppError, Principal};
use gastvrij_domain::customer::Segment;
use gastvrij_domain::norms::NormCategory;
use gastvrij_domain::pulse::{Cadence, Period, PulseFigures};
use gastvrij_domain::satisfaction::{Granularity, SatisfactionTotals};
use gastvrij_domain::{Invalid, InvalidKind};
use jiff::SignedDuration;
use jiff::civil::Date;

/// The longest period the overview shows: a year of weeks.
pub const MAX_DAYS: i32 = 371;

/// One ISO week of the overview.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendWeek {
    /// `2026-W10`.
    pub week: String,
    /// Its Monday.
    pub monday: Date,
    /// Category 3 (inhoudelijke reactie): cases received this week closed before their
    /// service-norm deadline, as a share of those decided; `None` when none was decided.
    pub within_norm_percent: Option<f64>,
    /// The case target valid on the week's first day in the period.
    pub norm_target: Option<u8>,
    /// The decided measurements (within norm + late) the share is computed from.
    pub decided: u64,
    /// The satisfaction answers given this week (day of answering).
    pub satisfaction: SatisfactionTotals,
}

/// The pulse of the whole organisation in one period of its schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct PulsePoint {
    pub period: Period,
    /// [`PulseFigures::TooFewAnswers`] below the minimum group of five.
    pub figures: PulseFigures,
}

/// The overview's trends over `[from, to)`.
#[derive(Debug, Clone, PartialEq)]
pub struct WeeklyTrends {
    pub from: Date,
    /// Exclusive.
    pub to: Date,
    pub segment: Option<Segment>,
    pub weeks: Vec<TrendWeek>,
    /// The pulse's schedule (its periods are weeks unless a beheerder chose otherwise).
    pub pulse_cadence: Cadence,
    pub pulse: Vec<PulsePoint>,
}

impl App {
    /// The weekly trends of the local days `[from, to)`: per ISO week the share of cases within
    /// the service norm beside the average customer grade (both narrowed to `segment` when
    /// given), and the organisation's pulse per period (never narrowed: it is about employees).
    /// For team leads and beheerders.
    pub async fn weekly_trends(
        &self,
        who: &Principal,
        from: Date,
        to: Date,
        segment: Option<Segment>,
    ) -> Result<WeeklyTrends, AppError> {
        who.require(DASHBOARD_ROLES)?;
        if to <= from {
            return Err(Invalid::new("tot", InvalidKind::OutOfOrder { after: "van" }).into());
        }
        if (to - from).get_days() > MAX_DAYS {
            return Err(Invalid::new("van", InvalidKind::OutOfRange { min: 1, max: Some(i64::from(MAX_DAYS)) }).into());
        }
        let calendar = self.settings.calendars.get("termijnenwet")?;
        let start = |d: Date| calendar.start_of_day(d).map_err(|e| AppError::Unexpected(e.into()));
        let filter = NormFilter { segment, ..Default::default() };
        let horizon = SignedDuration::from_hours(48);
        let norms = self.compliance_for(who, start(from)?, start(to)?, GroupBy::NormCategory, horizon, &filter).await?;
        let service = norms.groups.iter().find(|g| g.key == code(NormCategory::InhoudelijkeReactie));
        let query = SatisfactionQuery {
            from: Some(from),
            to: Some(to),
            granularity: Granularity::Week,
            segment,
            ..Default::default()
        };
        let satisfaction = self.satisfaction(who, &query).await?;
        let weeks = satisfaction
            .buckets
            .iter()
            .enumerate()
            .map(|(i, monday)| {
                let w = monday.iso_week_date();
                let week = format!("{}-W{:02}", w.year(), w.week());
                let figures = service.and_then(|g| g.weekly.iter().find(|f| f.week == week));
                TrendWeek {
                    within_norm_percent: figures.and_then(|f| f.percent_within),
                    norm_target: figures.map(|f| f.target_percent),
                    decided: figures.map_or(0, |f| f.counts.within_norm + f.counts.late),
                    satisfaction: satisfaction.overall.per_bucket.get(i).copied().unwrap_or_default(),
                    week,
                    monday: *monday,
                }
            })
            .collect();
        let pulse = self.pulse_report(who, Some(from), Some(to), None).await?;
        let organisation = pulse.groups.iter().find(|g| g.team.is_none());
        let points = pulse
            .periods
            .iter()
            .enumerate()
            .map(|(i, period)| PulsePoint {
                period: *period,
                figures: organisation.and_then(|g| g.figures.get(i).copied()).unwrap_or(PulseFigures::TooFewAnswers),
            })
            .collect();
        Ok(WeeklyTrends { from, to, segment, weeks, pulse_cadence: pulse.cadence, pulse: points })
    }
}
