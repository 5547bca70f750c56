//! Use cases: norm compliance for a period and any slice.

use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::Invalid;
use gastvrij_domain::norms::{Compliance, NormCategory, NormSet, classify};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How to slice compliance figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    #[default]
    None,
    Team,
    Topic,
    Channel,
    CaseType,
    NormCategory,
}

/// Counts of measurements against a norm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Counts {
    /// Measurements with a deadline in the period.
    pub in_scope: u64,
    pub within_norm: u64,
    pub late: u64,
    /// Open, deadline not yet reached, outside the risk horizon.
    pub open: u64,
    /// Open, deadline within the risk horizon.
    pub at_risk: u64,
}

impl Counts {
    fn add(&mut self, c: Compliance) {
        self.in_scope += 1;
        match c {
            Compliance::WithinNorm => self.within_norm += 1,
            Compliance::Late => self.late += 1,
            Compliance::Open => self.open += 1,
            Compliance::AtRisk => self.at_risk += 1,
        }
    }

    /// Share within norm of the decided measurements (within + late), in percent.
    pub fn percent_within(&self) -> Option<f64> {
        let decided = self.within_norm + self.late;
        (decided > 0).then(|| (self.within_norm as f64) * 100.0 / decided as f64)
    }
}

/// Figures for one ISO week.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WeekFigures {
    /// ISO week, e.g. `2026-W10`.
    pub week: String,
    #[serde(flatten)]
    pub counts: Counts,
    pub percent_within: Option<f64>,
}

/// Figures for one slice.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplianceGroup {
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub counts: Counts,
    pub percent_within: Option<f64>,
    pub target_percent: u8,
    pub meets_target: Option<bool>,
    /// Open cases already past their legal deadline or closed after it.
    pub legal_late: u64,
    pub weekly: Vec<WeekFigures>,
}

/// Compliance for a period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplianceReport {
    #[schema(value_type = String, format = DateTime)]
    pub from: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub to: Timestamp,
    pub group_by: GroupBy,
    pub horizon_hours: i64,
    pub groups: Vec<ComplianceGroup>,
}

#[derive(Default)]
struct Acc {
    counts: Counts,
    legal_late: u64,
    target: u8,
    weeks: BTreeMap<String, Counts>,
}

impl App {
    /// The configured norms.
    pub fn norms(&self, who: &Principal) -> Result<&NormSet, AppError> {
        who.require(roles::STAFF)?;
        Ok(&self.settings.norms)
    }

    /// Norm compliance of the cases created and phone calls made in `[from, to)`, sliced by
    /// `group_by`, with cases due within `horizon` counted as at risk.
    pub async fn compliance(
        &self,
        who: &Principal,
        from: Timestamp,
        to: Timestamp,
        group_by: GroupBy,
        horizon: SignedDuration,
    ) -> Result<ComplianceReport, AppError> {
        who.require(&[
            gastvrij_domain::team::Role::Teamleider,
            gastvrij_domain::team::Role::Backoffice,
            gastvrij_domain::team::Role::Kcc,
        ])?;
        if to <= from {
            return Err(Invalid::new("to", "must be after from").into());
        }
        if horizon.is_negative() {
            return Err(Invalid::new("horizon_hours", "must be 0 or more").into());
        }
        let now = self.now();
        let calendar = self.settings.calendars.get("termijnenwet")?;
        let tz = calendar.time_zone().clone();
        let week_of = |t: Timestamp| {
            let d = t.to_zoned_datetime(tz.clone()).date().iso_week_date();
            format!("{}-W{:02}", d.year(), d.week())
        };
        let labels = self.labels(group_by).await?;
        let mut groups: BTreeMap<String, Acc> = BTreeMap::new();
        let mut record = |key: String, target: u8, c: Compliance, week: String, legal_late: bool| {
            let acc = groups.entry(key).or_insert_with(|| Acc { target, ..Default::default() });
            acc.counts.add(c);
            acc.weeks.entry(week).or_default().add(c);
            acc.legal_late += u64::from(legal_late);
        };

        let case_target = self.settings.norms.case_target_percent;
        for row in self.store.case_timings(from, to).await? {
            let slice = |category: NormCategory| match group_by {
                GroupBy::None => "totaal".to_string(),
                GroupBy::Team => row.team_id.to_string(),
                GroupBy::Topic => row.topic_id.map(|t| t.to_string()).unwrap_or_else(|| "geen".into()),
                GroupBy::Channel => row.channel.map(|c| c.code().to_string()).unwrap_or_else(|| "geen".into()),
                GroupBy::CaseType => row.case_type.code().to_string(),
                GroupBy::NormCategory => code(category).to_string(),
            };
            let week = week_of(row.created_at);
            if let Some(due) = row.acknowledgement_due {
                let c = classify(due, row.first_action_at, now, horizon);
                record(slice(NormCategory::Ontvangstbevestiging), case_target, c, week.clone(), false);
            }
            if let Some(due) = row.service_norm_due {
                let c = classify(due, row.closed_at, now, horizon);
                let legal_late = row.legal_due.is_some_and(|l| row.closed_at.unwrap_or(now) >= l);
                record(slice(NormCategory::InhoudelijkeReactie), case_target, c, week, legal_late);
            }
        }
        if matches!(group_by, GroupBy::None | GroupBy::Channel | GroupBy::NormCategory)
            && let Some(phone) = self.settings.norms.channels.iter().find(|n| n.answer_within_seconds.is_some())
        {
            let limit = phone.answer_within_seconds.unwrap_or(25);
            let key = match group_by {
                GroupBy::Channel => phone.channel.code(),
                GroupBy::NormCategory => code(NormCategory::Bereikbaarheid),
                _ => "totaal",
            };
            for (at, waited) in self.store.phone_waits(from, to).await? {
                if !calendar.is_open(at).unwrap_or(true) {
                    continue;
                }
                let c = if waited <= limit { Compliance::WithinNorm } else { Compliance::Late };
                record(key.to_string(), phone.target_percent, c, week_of(at), false);
            }
        }

        let groups = groups
            .into_iter()
            .map(|(key, acc)| {
                let percent = acc.counts.percent_within();
                ComplianceGroup {
                    label: labels.get(&key).cloned().unwrap_or_else(|| key.clone()),
                    key,
                    counts: acc.counts,
                    percent_within: percent,
                    target_percent: acc.target,
                    meets_target: percent.map(|p| p >= f64::from(acc.target)),
                    legal_late: acc.legal_late,
                    weekly: acc
                        .weeks
                        .into_iter()
                        .map(|(week, counts)| WeekFigures { week, percent_within: counts.percent_within(), counts })
                        .collect(),
                }
            })
            .collect();
        Ok(ComplianceReport { from, to, group_by, horizon_hours: horizon.as_hours(), groups })
    }

    async fn labels(&self, group_by: GroupBy) -> Result<BTreeMap<String, String>, AppError> {
        Ok(match group_by {
            GroupBy::Team => self.store.teams().await?.into_iter().map(|t| (t.id.to_string(), t.name)).collect(),
            GroupBy::Topic => self.store.topics().await?.into_iter().map(|t| (t.id.to_string(), t.name)).collect(),
            GroupBy::Channel => gastvrij_domain::channel::Channel::ALL
                .iter()
                .map(|c| (c.code().to_string(), c.label().to_string()))
                .collect(),
            GroupBy::CaseType => gastvrij_domain::case::CaseType::ALL
                .iter()
                .map(|c| (c.code().to_string(), c.label().to_string()))
                .collect(),
            GroupBy::NormCategory => [
                (NormCategory::Bereikbaarheid, "Bereikbaarheid"),
                (NormCategory::Ontvangstbevestiging, "Ontvangstbevestiging en behandeltermijn"),
                (NormCategory::InhoudelijkeReactie, "Inhoudelijke reactie"),
            ]
            .into_iter()
            .map(|(c, l)| (code(c).to_string(), l.to_string()))
            .collect(),
            GroupBy::None => BTreeMap::from([("totaal".to_string(), "Totaal".to_string())]),
        })
    }
}

fn code(c: NormCategory) -> &'static str {
    match c {
        NormCategory::Bereikbaarheid => "bereikbaarheid",
        NormCategory::Ontvangstbevestiging => "ontvangstbevestiging",
        NormCategory::InhoudelijkeReactie => "inhoudelijke_reactie",
        NormCategory::BeschikbaarheidInformatie => "beschikbaarheid_informatie",
        NormCategory::Gastvrijheid => "gastvrijheid",
    }
}

impl App {
    /// Raise `case.at_risk` for every open case whose service-norm deadline falls within
    /// `horizon` from now: one event for its team and one for its owner. Raising again for the
    /// same deadline is a no-op; a recomputed deadline raises anew. Returns the new events.
    pub async fn raise_risk_events(&self, horizon: SignedDuration) -> Result<u64, AppError> {
        let now = self.now();
        let calendar = self.settings.calendars.get("termijnenwet")?;
        let mut events = vec![];
        for case in self.store.open_cases_due(now, now + horizon).await? {
            let due = case.service_norm_due;
            let last_day = calendar.date_of(due - SignedDuration::from_secs(1));
            let left = calendar.working_days_between(calendar.date_of(now), last_day).unwrap_or(0);
            let summary = format!(
                "Zaak {} moet uiterlijk {} af: {}",
                case.reference,
                last_day,
                gastvrij_domain::calendar::describe_working_days(left)
            );
            let key = format!("case.at_risk:{}:{}", case.id, due.as_microsecond());
            let event = |team_id, employee_id, who: &str| gastvrij_domain::audit::Event {
                seq: 0,
                at: now,
                kind: "case.at_risk".into(),
                entity_id: case.id.to_string(),
                team_id,
                employee_id,
                summary: summary.clone(),
                dedupe_key: format!("{key}:{who}"),
            };
            events.push(event(Some(case.team_id), None, "team"));
            if let Some(owner) = case.owner_id {
                events.push(event(None, Some(owner), "owner"));
            }
        }
        Ok(self.store.raise_events(&events).await?)
    }

    /// Events for the caller: their own, and (with `team`) their team's.
    pub async fn events(
        &self,
        who: &Principal,
        query: &crate::ports::EventQuery,
    ) -> Result<Vec<gastvrij_domain::audit::Event>, AppError> {
        who.require(roles::STAFF)?;
        Ok(self.store.events(query).await?)
    }
}
