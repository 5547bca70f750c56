//! Use cases: norm compliance for a period and any slice.

use crate::ports::{
    CaseScope, CaseTimingRow, NormDailyQuery, NormDailyRow, NormFilter, OpenCaseQuery, PhoneDailyRow, RollupSlice,
};
use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::calendar::{MAX_YEAR, MIN_YEAR};
use gastvrij_domain::case::CaseType;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::customer::Segment;
use gastvrij_domain::ids::{TeamId, TopicId};
use gastvrij_domain::norm_versions::NormHistory;
use gastvrij_domain::norms::{Compliance, NormCategory, NormSet, classify_case};
use gastvrij_domain::team::Role;
use gastvrij_domain::{Invalid, InvalidKind};
use jiff::{SignedDuration, Timestamp};

/// The most weeks a compliance report spans (about ten years).
pub const MAX_WEEKS: usize = 522;
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
    /// The first segment of the case's customer (`geen`: no customer or no segment).
    Segment,
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
    pub(crate) fn one(c: Compliance) -> Self {
        Self::many(c, 1)
    }

    /// `n` measurements in state `c`.
    fn many(c: Compliance, n: u64) -> Self {
        let mut counts = Counts { in_scope: n, ..Default::default() };
        match c {
            Compliance::WithinNorm => counts.within_norm = n,
            Compliance::Late => counts.late = n,
            Compliance::Open => counts.open = n,
            Compliance::AtRisk => counts.at_risk = n,
        }
        counts
    }

    fn decided(within: i64, late: i64) -> Self {
        let (within_norm, late) = (u64::try_from(within).unwrap_or(0), u64::try_from(late).unwrap_or(0));
        Counts { in_scope: within_norm + late, within_norm, late, open: 0, at_risk: 0 }
    }

    pub fn merge(&mut self, o: Counts) {
        self.in_scope += o.in_scope;
        self.within_norm += o.within_norm;
        self.late += o.late;
        self.open += o.open;
        self.at_risk += o.at_risk;
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
    /// The target of the norm valid on the week's first day in the period.
    pub target_percent: u8,
}

/// Figures for one slice.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplianceGroup {
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub counts: Counts,
    pub percent_within: Option<f64>,
    /// The target of the norm valid on the last day of the period.
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
    /// Judged by the phone norm's target (bereikbaarheid) rather than the cases'.
    phone: bool,
    weeks: BTreeMap<String, Counts>,
}

/// Where compliance figures come from: a plain scan of the cases, or the daily roll-ups plus a
/// live look at the open cases. Both give the same figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Scan,
    Rollup,
}

/// A roll-up row's slice: team, topic, channel, segment, case type and norm category.
type RollupKey = (TeamId, Option<TopicId>, Option<Channel>, Option<Segment>, CaseType, &'static str);

/// The measurements one case contributes: acknowledgement and service norm.
fn measurements(row: &CaseTimingRow, now: Timestamp, horizon: SignedDuration) -> Vec<(NormCategory, Compliance, bool)> {
    let mut out = Vec::with_capacity(2);
    if let Some(due) = row.acknowledgement_due {
        let state = classify_case(due, row.first_action_at, row.suspended_since, now, horizon);
        out.push((NormCategory::Ontvangstbevestiging, state, false));
    }
    if let Some(due) = row.service_norm_due {
        let legal_late = row.legal_due.is_some_and(|l| row.closed_at.or(row.suspended_since).unwrap_or(now) >= l);
        let state = classify_case(due, row.closed_at, row.suspended_since, now, horizon);
        out.push((NormCategory::InhoudelijkeReactie, state, legal_late));
    }
    out
}

/// The weeks (Monday to Sunday in the calendar's time zone) that `[from, to)` touches: when each
/// starts, and its ISO name as [`Tally::week_of`] gives it.
fn weeks_of(
    calendar: &gastvrij_domain::calendar::Calendar,
    from: Timestamp,
    to: Timestamp,
) -> Result<(Vec<Timestamp>, Vec<String>), AppError> {
    let unexpected = |e: jiff::Error| AppError::Unexpected(e.into());
    let first = calendar.date_of(from);
    let mut monday =
        first.checked_sub(jiff::Span::new().days(first.weekday().to_monday_zero_offset())).map_err(unexpected)?;
    let (mut starts, mut names) = (vec![], vec![]);
    loop {
        let start = calendar.start_of_day(monday).map_err(|e| AppError::Unexpected(e.into()))?;
        if start >= to && !starts.is_empty() {
            return Ok((starts, names));
        }
        starts.push(start);
        names.push(Tally::week_of_date(monday));
        // Past the last day jiff knows: every week of the period is listed.
        let Ok(next) = monday.checked_add(jiff::Span::new().days(7)) else { return Ok((starts, names)) };
        monday = next;
    }
}

struct Tally<'a> {
    group_by: GroupBy,
    groups: BTreeMap<String, Acc>,
    tz: &'a jiff::tz::TimeZone,
    /// Count per week too (the report's `weekly`).
    weeks: bool,
}

impl<'a> Tally<'a> {
    fn new(group_by: GroupBy, tz: &'a jiff::tz::TimeZone, weeks: bool) -> Self {
        Tally { group_by, groups: BTreeMap::new(), tz, weeks }
    }

    fn key(&self, row: &CaseTimingRow, category: NormCategory) -> String {
        match self.group_by {
            GroupBy::None => "totaal".to_string(),
            GroupBy::Team => row.team_id.to_string(),
            GroupBy::Topic => row.topic_id.map(|t| t.to_string()).unwrap_or_else(|| "geen".into()),
            GroupBy::Channel => row.channel.map(|c| c.code().to_string()).unwrap_or_else(|| "geen".into()),
            GroupBy::CaseType => row.case_type.code().to_string(),
            GroupBy::NormCategory => code(category).to_string(),
            GroupBy::Segment => row.segment.map_or("geen", |s| s.code()).to_string(),
        }
    }

    fn week_of_date(d: jiff::civil::Date) -> String {
        let w = d.iso_week_date();
        format!("{}-W{:02}", w.year(), w.week())
    }

    fn week_of(&self, t: Timestamp) -> String {
        Self::week_of_date(t.to_zoned_datetime(self.tz.clone()).date())
    }

    fn add(&mut self, key: String, phone: bool, week: String, counts: Counts, legal_late: u64) {
        let acc = self.groups.entry(key).or_insert_with(|| Acc { phone, ..Default::default() });
        acc.counts.merge(counts);
        if self.weeks {
            acc.weeks.entry(week).or_default().merge(counts);
        }
        acc.legal_late += legal_late;
    }

    fn add_case(&mut self, row: &CaseTimingRow, now: Timestamp, horizon: SignedDuration) {
        let week = self.week_of(row.created_at);
        for (category, c, legal_late) in measurements(row, now, horizon) {
            let key = self.key(row, category);
            self.add(key, false, week.clone(), Counts::one(c), u64::from(legal_late));
        }
    }
}

/// A report's tally, and one per part (each counted as the report's is).
struct Tallies<'a> {
    all: Tally<'a>,
    parts: BTreeMap<String, Tally<'a>>,
}

impl Tallies<'_> {
    /// Count in the report and, with a part, in that part's report.
    fn add(&mut self, part: Option<String>, key: String, phone: bool, week: String, counts: Counts, legal_late: u64) {
        if let Some(part) = part {
            let (group_by, tz, weeks) = (self.all.group_by, self.all.tz, self.all.weeks);
            let tally = self.parts.entry(part).or_insert_with(|| Tally::new(group_by, tz, weeks));
            tally.add(key.clone(), phone, week.clone(), counts, legal_late);
        }
        self.all.add(key, phone, week, counts, legal_late);
    }
}

/// A compliance report, and the same report of each part of it (see [`App::compliance_by_part`]).
#[derive(Debug, Clone)]
pub struct PartedCompliance {
    pub all: ComplianceReport,
    /// Per part key (a channel code, topic id, team id or segment code; `geen` without one); a
    /// part with nothing to count is absent.
    pub parts: BTreeMap<String, ComplianceReport>,
}

/// Whether `t` is the start of a local day (the roll-ups hold whole days).
fn starts_a_day(calendar: &gastvrij_domain::calendar::Calendar, t: Timestamp) -> bool {
    calendar.start_of_day(calendar.date_of(t)).is_ok_and(|s| s == t)
}

/// The roll-up slicing of a grouping.
fn rollup_slice(group_by: GroupBy) -> RollupSlice {
    match group_by {
        GroupBy::None => RollupSlice::Total,
        GroupBy::Team => RollupSlice::Team,
        GroupBy::Topic => RollupSlice::Topic,
        GroupBy::Channel => RollupSlice::Channel,
        GroupBy::CaseType => RollupSlice::CaseType,
        GroupBy::NormCategory => RollupSlice::Category,
        GroupBy::Segment => RollupSlice::Segment,
    }
}

impl App {
    /// The norms valid today.
    pub async fn norms(&self, who: &Principal) -> Result<NormSet, AppError> {
        who.require(roles::STAFF)?;
        let calendar = self.settings.calendars.get("termijnenwet")?;
        Ok(self.norm_history().await?.valid_on(calendar.date_of(self.now())).clone())
    }

    /// Every version of the norm set: the stored ones, with the set of the settings (the seed's
    /// default) valid before the first.
    pub(crate) async fn norm_history(&self) -> Result<NormHistory, AppError> {
        Ok(NormHistory::new(self.settings.norms.clone(), self.store.norm_versions().await?))
    }

    /// [`App::compliance`] of the cases matching `filter` only (phone calls count only without a
    /// team or topic filter, and with no channel or the phone's). The norm dashboard and the
    /// compliance API both answer from here.
    pub async fn compliance_for(
        &self,
        who: &Principal,
        from: Timestamp,
        to: Timestamp,
        group_by: GroupBy,
        horizon: SignedDuration,
        filter: &NormFilter,
    ) -> Result<ComplianceReport, AppError> {
        who.require(&[Role::Teamleider, Role::Backoffice, Role::Kcc])?;
        let calendar = self.settings.calendars.get("termijnenwet")?;
        let whole_days = starts_a_day(calendar, from) && starts_a_day(calendar, to);
        let source = if whole_days { Source::Rollup } else { Source::Scan };
        self.compliance_figures(from, to, group_by, horizon, source, filter).await
    }

    /// Norm compliance of the cases received and phone calls made in `[from, to)`, sliced by
    /// `group_by`, with open cases due within `horizon` counted as at risk. Periods of whole
    /// days are answered from the daily roll-ups; others by a scan.
    pub async fn compliance(
        &self,
        who: &Principal,
        from: Timestamp,
        to: Timestamp,
        group_by: GroupBy,
        horizon: SignedDuration,
    ) -> Result<ComplianceReport, AppError> {
        self.compliance_for(who, from, to, group_by, horizon, &NormFilter::default()).await
    }

    /// [`App::compliance`] from a chosen source (benchmarks compare the two).
    pub async fn compliance_from(
        &self,
        who: &Principal,
        from: Timestamp,
        to: Timestamp,
        group_by: GroupBy,
        horizon: SignedDuration,
        source: Source,
    ) -> Result<ComplianceReport, AppError> {
        self.compliance_filtered_from(who, from, to, group_by, horizon, source, &NormFilter::default()).await
    }

    /// [`App::compliance_for`] from a chosen source (the conformance stories compare the two
    /// with every filter).
    #[allow(clippy::too_many_arguments)]
    pub async fn compliance_filtered_from(
        &self,
        who: &Principal,
        from: Timestamp,
        to: Timestamp,
        group_by: GroupBy,
        horizon: SignedDuration,
        source: Source,
        filter: &NormFilter,
    ) -> Result<ComplianceReport, AppError> {
        who.require(&[Role::Teamleider, Role::Backoffice, Role::Kcc])?;
        self.compliance_figures(from, to, group_by, horizon, source, filter).await
    }

    /// [`App::compliance_for`] of the whole days `[from, to)`, and beside it the same report of
    /// each part: per key of the `part` slicing (channel, topic, team or segment; none with
    /// [`GroupBy::None`]), the report of the cases with that key, as [`App::compliance_for`] with
    /// that key as filter gives it (calls count in the part of their
    /// channel when `part` is [`GroupBy::Channel`], and in no other part). The roll-ups are read
    /// once for all of them: one page that shows a report per channel or per topic pays for one
    /// read, not one per report. Without `weeks` the reports have no weekly figures (`weekly` is
    /// empty) and the roll-ups are summed over the period in the database, not per day.
    #[allow(clippy::too_many_arguments)]
    pub async fn compliance_by_part(
        &self,
        who: &Principal,
        from: Timestamp,
        to: Timestamp,
        group_by: GroupBy,
        part: GroupBy,
        horizon: SignedDuration,
        filter: &NormFilter,
        weeks: bool,
    ) -> Result<PartedCompliance, AppError> {
        who.require(&[Role::Teamleider, Role::Backoffice, Role::Kcc])?;
        self.compliance_parts(from, to, group_by, part, horizon, filter, weeks).await
    }

    /// [`App::compliance_by_part`] for a caller that checked the role.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn compliance_parts(
        &self,
        from: Timestamp,
        to: Timestamp,
        group_by: GroupBy,
        part: GroupBy,
        horizon: SignedDuration,
        filter: &NormFilter,
        weeks: bool,
    ) -> Result<PartedCompliance, AppError> {
        let calendar = self.settings.calendars.get("termijnenwet")?;
        for (field, at) in [("from", from), ("to", to)] {
            if !starts_a_day(calendar, at) {
                return Err(Invalid::new(
                    field,
                    InvalidKind::Mismatch { with: "calendar", expected: Some("the start of a local day") },
                )
                .into());
            }
        }
        // A part is a slice of the cases a filter could also select; a norm category is not
        // (a case has two measurements), nor is a case type (no filter).
        if matches!(part, GroupBy::NormCategory | GroupBy::CaseType) {
            let allowed = ["channel", "topic", "team", "segment"].map(String::from).to_vec();
            let given = format!("{part:?}").to_lowercase();
            return Err(Invalid::new("part", InvalidKind::Unknown { given, allowed }).into());
        }
        let part = (part != GroupBy::None).then_some(part);
        self.compliance_read(from, to, group_by, part, horizon, Source::Rollup, filter, weeks).await
    }

    /// The figures of [`App::compliance_from`], for a caller that checked the role (the team
    /// board shows its team's figure from here).
    pub(crate) async fn compliance_figures(
        &self,
        from: Timestamp,
        to: Timestamp,
        group_by: GroupBy,
        horizon: SignedDuration,
        source: Source,
        filter: &NormFilter,
    ) -> Result<ComplianceReport, AppError> {
        Ok(self.compliance_read(from, to, group_by, None, horizon, source, filter, true).await?.all)
    }

    /// The report of `[from, to)` and, with `part` (roll-ups only), the report of each part;
    /// with `weeks`, per week too.
    #[allow(clippy::too_many_arguments)]
    async fn compliance_read(
        &self,
        from: Timestamp,
        to: Timestamp,
        group_by: GroupBy,
        part: Option<GroupBy>,
        horizon: SignedDuration,
        source: Source,
        filter: &NormFilter,
        weeks: bool,
    ) -> Result<PartedCompliance, AppError> {
        if to <= from {
            return Err(Invalid::new("to", InvalidKind::OutOfOrder { after: "from" }).into());
        }
        if horizon.is_negative() {
            return Err(Invalid::new("horizon_hours", InvalidKind::OutOfRange { min: 0, max: None }).into());
        }
        let calendar = self.settings.calendars.get("termijnenwet")?;
        // The report has a row per week: a period of centuries is a typing mistake, and the
        // calendar knows no days before 1583 or after 9999.
        let years = i64::from(MIN_YEAR)..=i64::from(MAX_YEAR);
        for (field, at) in [("from", from), ("to", to)] {
            if !years.contains(&i64::from(calendar.date_of(at).year())) {
                return Err(Invalid::new(
                    field,
                    InvalidKind::OutOfRange { min: *years.start(), max: Some(*years.end()) },
                )
                .into());
            }
        }
        if to.duration_since(from) > SignedDuration::from_hours(24 * 7 * MAX_WEEKS as i64) {
            return Err(Invalid::new("to", InvalidKind::TooMany { max: MAX_WEEKS }).into());
        }
        let now = self.now();
        let tz = calendar.time_zone().clone();
        let mut tally = Tallies { all: Tally::new(group_by, &tz, weeks), parts: BTreeMap::new() };
        // Each call is judged by the phone norm valid on its day; targets are those valid on the
        // last day of the period (of a week: on its first day in the period).
        let history = self.norm_history().await?;
        let last_day = calendar.date_of(to - SignedDuration::from_micros(1));
        let phone = history.valid_on(last_day).phone().cloned();
        // Calls have no team, topic or segment: a filter on any leaves them out, as does another
        // channel.
        let phone = phone.filter(|p| {
            filter.team.is_none()
                && filter.topic.is_none()
                && filter.segment.is_none()
                && filter.channel.is_none_or(|c| c == p.channel)
        });
        // The part of a call: its channel's, when the parts are channels.
        let phone_part = |channel: Channel| (part == Some(GroupBy::Channel)).then(|| channel.code().to_string());
        let matches = |row: &CaseTimingRow| {
            filter.team.is_none_or(|t| t == row.team_id)
                && filter.topic.is_none_or(|t| Some(t) == row.topic_id)
                && filter.channel.is_none_or(|c| Some(c) == row.channel)
                && filter.segment.is_none_or(|s| Some(s) == row.segment)
        };
        let phone_key = |group_by: GroupBy, channel: Channel| match group_by {
            GroupBy::Channel => Some(channel.code().to_string()),
            GroupBy::NormCategory => Some(code(NormCategory::Bereikbaarheid).to_string()),
            GroupBy::None => Some("totaal".to_string()),
            _ => None,
        };

        match source {
            Source::Scan => {
                for row in self.store.case_timings(from, to, CaseScope::All).await?.iter().filter(|r| matches(r)) {
                    tally.all.add_case(row, now, horizon);
                }
                if let Some(norm) = &phone
                    && let Some(key) = phone_key(group_by, norm.channel)
                {
                    for (at, waited) in self.store.phone_waits(from, to).await? {
                        if calendar.is_open(at).unwrap_or(false) {
                            let limit = phone_limit(&history, calendar.date_of(at));
                            let c = if waited <= limit { Compliance::WithinNorm } else { Compliance::Late };
                            let week = tally.all.week_of(at);
                            tally.all.add(key.clone(), true, week, Counts::one(c), 0);
                        }
                    }
                }
            }
            Source::Rollup => {
                self.refresh_rollups().await?;
                let (from_day, to_day) = (calendar.date_of(from).to_string(), calendar.date_of(to).to_string());
                let (slice, part_slice) = (rollup_slice(group_by), part.map(rollup_slice));
                let daily = NormDailyQuery {
                    from_day: from_day.clone(),
                    to_day: to_day.clone(),
                    slice,
                    part: part_slice,
                    by_day: weeks,
                    filter: *filter,
                };
                // Open cases depend on the time: counted live, in the database, per week (or as
                // one "week" that holds the period).
                let (week_starts, week_names) =
                    if weeks { weeks_of(calendar, from, to)? } else { (vec![from], vec![String::new()]) };
                let query = OpenCaseQuery {
                    from,
                    to,
                    slice,
                    part: part_slice,
                    week_starts,
                    now,
                    risk_until: now + horizon,
                    filter: *filter,
                };
                let phone_key =
                    phone.as_ref().and_then(|norm| phone_key(group_by, norm.channel).map(|k| (k, norm.channel)));
                let phone_days = async {
                    match phone_key {
                        Some(_) => self.store.phone_daily(&from_day, &to_day).await,
                        None => Ok(vec![]),
                    }
                };
                // Three reads of their own: side by side, each on a reader connection.
                let (daily, open, phone_days) =
                    tokio::try_join!(self.store.norm_daily(&daily), self.store.open_case_counts(&query), phone_days)?;
                for r in daily {
                    let week = r.day.parse().map(Tally::week_of_date).unwrap_or_default();
                    let counts = Counts::decided(r.within_norm, r.late);
                    let part = part.is_some().then_some(r.part);
                    tally.add(part, r.key, false, week, counts, u64::try_from(r.legal_late).unwrap_or(0));
                }
                for c in open {
                    let week = week_names.get(c.week).cloned().unwrap_or_default();
                    let measured = [
                        (NormCategory::Ontvangstbevestiging, c.acknowledgement, false),
                        (NormCategory::InhoudelijkeReactie, c.service_norm, c.legal_late),
                    ];
                    let n = u64::try_from(c.cases).unwrap_or(0);
                    for (category, state, legal_late) in measured {
                        let Some(state) = state else { continue };
                        let key = match group_by {
                            GroupBy::NormCategory => code(category).to_string(),
                            _ => c.key.clone(),
                        };
                        let legal_late = if legal_late { n } else { 0 };
                        let part = part.is_some().then(|| c.part.clone());
                        tally.add(part, key, false, week.clone(), Counts::many(state, n), legal_late);
                    }
                }
                if let Some((key, channel)) = phone_key {
                    for r in phone_days {
                        let week = r.day.parse().map(Tally::week_of_date).unwrap_or_default();
                        let counts = Counts::decided(r.within_norm, r.late);
                        tally.add(phone_part(channel), key.clone(), true, week, counts, 0);
                    }
                }
            }
        }

        let labels = self.labels(group_by).await?;
        let first_day = calendar.date_of(from);
        let target = |day: jiff::civil::Date, phone: bool| {
            let norms = history.valid_on(day);
            match norms.phone() {
                Some(p) if phone => p.target_percent,
                _ => norms.case_target_percent,
            }
        };
        let report = |tally: Tally| {
            let groups = tally
                .groups
                .into_iter()
                .map(|(key, acc)| {
                    let percent = acc.counts.percent_within();
                    let group_target = target(last_day, acc.phone);
                    ComplianceGroup {
                        label: labels.get(&key).cloned().unwrap_or_else(|| key.clone()),
                        key,
                        counts: acc.counts,
                        percent_within: percent,
                        target_percent: group_target,
                        meets_target: percent.map(|p| p >= f64::from(group_target)),
                        legal_late: acc.legal_late,
                        weekly: acc
                            .weeks
                            .into_iter()
                            .map(|(week, counts)| {
                                let day = week_monday(&week).map_or(first_day, |m| m.max(first_day));
                                WeekFigures {
                                    week,
                                    percent_within: counts.percent_within(),
                                    counts,
                                    target_percent: target(day, acc.phone),
                                }
                            })
                            .collect(),
                    }
                })
                .collect();
            ComplianceReport { from, to, group_by, horizon_hours: horizon.as_hours(), groups }
        };
        let Tallies { all, parts, .. } = tally;
        Ok(PartedCompliance {
            all: report(all),
            parts: parts.into_iter().map(|(key, tally)| (key, report(tally))).collect(),
        })
    }

    /// Bring the daily roll-ups up to date with every change marked since the last refresh.
    /// Returns the number of markers processed.
    pub async fn refresh_rollups(&self) -> Result<u64, AppError> {
        let calendar = self.settings.calendars.get("termijnenwet")?;
        let history = self.norm_history().await?;
        let mut processed = 0;
        loop {
            let markers = self.store.dirty_rollups(20_000).await?;
            if markers.is_empty() {
                return Ok(processed);
            }
            let days: std::collections::BTreeSet<jiff::civil::Date> =
                markers.iter().map(|m| calendar.date_of(m.day_at)).collect();
            let (mut norms, mut phones) = (vec![], vec![]);
            for day in &days {
                let start = calendar.start_of_day(*day).map_err(|e| AppError::Unexpected(e.into()))?;
                let next = day.tomorrow().map_err(|e| AppError::Unexpected(e.into()))?;
                let end = calendar.start_of_day(next).map_err(|e| AppError::Unexpected(e.into()))?;
                let mut rows: BTreeMap<RollupKey, (i64, i64, i64)> = BTreeMap::new();
                for row in self.store.case_timings(start, end, CaseScope::Closed).await? {
                    // Closed cases are decided: their figures no longer depend on the time.
                    for (category, c, legal_late) in
                        measurements(&row, row.closed_at.unwrap_or(start), SignedDuration::ZERO)
                    {
                        let e = rows
                            .entry((row.team_id, row.topic_id, row.channel, row.segment, row.case_type, code(category)))
                            .or_default();
                        match c {
                            Compliance::WithinNorm => e.0 += 1,
                            _ => e.1 += 1,
                        }
                        e.2 += i64::from(legal_late);
                    }
                }
                norms.extend(rows.into_iter().map(
                    |((team_id, topic_id, channel, segment, case_type, category), (w, l, ll))| NormDailyRow {
                        day: day.to_string(),
                        team_id,
                        topic_id,
                        channel,
                        segment,
                        case_type,
                        category: category.to_string(),
                        within_norm: w,
                        late: l,
                        legal_late: ll,
                    },
                ));
                let (mut within, mut late) = (0, 0);
                // The phone norm valid on this day.
                let limit = phone_limit(&history, *day);
                for (at, waited) in self.store.phone_waits(start, end).await? {
                    if calendar.is_open(at).unwrap_or(false) {
                        if waited <= limit {
                            within += 1;
                        } else {
                            late += 1;
                        }
                    }
                }
                if within + late > 0 {
                    phones.push(PhoneDailyRow { day: day.to_string(), within_norm: within, late });
                }
            }
            let day_names: Vec<String> = days.iter().map(ToString::to_string).collect();
            self.store.replace_rollup_days(&day_names, &norms, &phones, &markers).await?;
            processed += markers.len() as u64;
        }
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
            GroupBy::Segment => Segment::ALL
                .iter()
                .map(|s| (s.code().to_string(), s.code().to_string()))
                .chain([("geen".to_string(), "Onbekend".to_string())])
                .collect(),
            GroupBy::None => BTreeMap::from([("totaal".to_string(), "Totaal".to_string())]),
        })
    }
}

/// What the cases of one type received in a period came to, classified as compliance does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseTypeFigures {
    pub received: u64,
    /// The service-norm (inhoudelijke reactie) measurements.
    pub service_norm: Counts,
    /// Closed cases that had a legal term, and those of them closed before it.
    pub closed_with_legal_term: u64,
    pub closed_within_legal_term: u64,
}

impl CaseTypeFigures {
    /// Add the figures of another period (the year is the sum of its quarters).
    pub(crate) fn add(&mut self, o: CaseTypeFigures) {
        self.received += o.received;
        self.service_norm.merge(o.service_norm);
        self.closed_with_legal_term += o.closed_with_legal_term;
        self.closed_within_legal_term += o.closed_within_legal_term;
    }
}

impl App {
    /// Per case type code, the cases received in `[from, to)`: the scan of [`App::compliance`]
    /// (same rows, same classification), kept apart per case type and norm.
    pub(crate) async fn case_type_figures(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<BTreeMap<&'static str, CaseTypeFigures>, AppError> {
        let now = self.now();
        let mut out: BTreeMap<&'static str, CaseTypeFigures> = BTreeMap::new();
        for row in self.store.case_timings(from, to, CaseScope::All).await? {
            let f = out.entry(row.case_type.code()).or_default();
            f.received += 1;
            for (category, c, _) in measurements(&row, now, SignedDuration::ZERO) {
                if category == NormCategory::InhoudelijkeReactie {
                    f.service_norm.merge(Counts::one(c));
                }
            }
            if let (Some(closed), Some(legal)) = (row.closed_at, row.legal_due) {
                f.closed_with_legal_term += 1;
                f.closed_within_legal_term += u64::from(closed < legal);
            }
        }
        Ok(out)
    }
}

/// The seconds within which a call on `day` must be answered (25 without a phone norm).
fn phone_limit(history: &NormHistory, day: jiff::civil::Date) -> u32 {
    history.valid_on(day).phone().and_then(|p| p.answer_within_seconds).unwrap_or(25)
}

/// The Monday of an ISO week named as [`Tally::week_of_date`] names it (`2026-W10`).
fn week_monday(week: &str) -> Option<jiff::civil::Date> {
    let (year, w) = week.split_once("-W")?;
    jiff::civil::ISOWeekDate::new(year.parse().ok()?, w.parse().ok()?, jiff::civil::Weekday::Monday)
        .ok()
        .map(|d| d.date())
}

pub(crate) fn code(c: NormCategory) -> &'static str {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_local_mondays_across_daylight_saving_time() {
        let calendar = gastvrij_domain::calendar::Calendar::termijnenwet();
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        // Wednesday 25 March to Wednesday 8 April 2026 (Amsterdam); summer time from 29 March.
        let (starts, names) = weeks_of(&calendar, at("2026-03-24T23:00:00Z"), at("2026-04-07T22:00:00Z")).unwrap();
        assert_eq!(starts, vec![at("2026-03-22T23:00:00Z"), at("2026-03-29T22:00:00Z"), at("2026-04-05T22:00:00Z")]);
        assert_eq!(names, vec!["2026-W13", "2026-W14", "2026-W15"]);
        let tally = Tally::new(GroupBy::None, calendar.time_zone(), true);
        for (i, start) in starts.iter().enumerate() {
            assert_eq!(tally.week_of(*start), names[i]);
            if i > 0 {
                assert_eq!(tally.week_of(*start - SignedDuration::from_micros(1)), names[i - 1]);
            }
        }
    }
}
