//! Use cases: the norm set's versions (edit, import, export) and the norm dashboard with its
//! "vandaag" panel (docs/norms.md defines every figure).

use crate::norms::{ComplianceReport, Counts, GroupBy, code};
use crate::ports::{KccToday, NormFilter};
use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::norm_versions::{NormForm, NormHistory, NormVersion};
use gastvrij_domain::norms::{NormCategory, NormSet};
use gastvrij_domain::team::Role;
use gastvrij_domain::{Invalid, InvalidKind};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use std::collections::BTreeMap;

/// Who sees the dashboard: team leads (and beheerders, who may do everything).
pub const DASHBOARD_ROLES: &[Role] = &[Role::Teamleider];

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportOutcome {
    /// Versions stored (new, or replacing another set on the same day).
    pub stored: usize,
    /// Versions that were already there exactly.
    pub unchanged: usize,
}

/// A figure's unit: a share in percent, or an average grade 1–10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Percent,
    Grade,
}

/// One week of a measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekPoint {
    /// ISO week, `2026-W10`.
    pub week: String,
    pub value: Option<f64>,
    /// The target valid on the week's first day in the period.
    pub target: f64,
    /// What the value is computed from (decided measurements, or answers).
    pub measured: u64,
}

/// One measure of a category, e.g. "telefoon binnen 25 seconden opgenomen".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    /// Stable key, e.g. `bereikbaarheid`, `gastvrijheid_cijfer`.
    pub key: String,
    pub label: String,
    pub unit: Unit,
    /// `None`: nothing measured in the period, or not measured at all (see `measured`).
    pub value: Option<f64>,
    /// The target valid on the last day of the period.
    pub target: f64,
    pub meets_target: Option<bool>,
    /// `false` when no source for this measure is connected ("nog niet gemeten").
    pub measured: bool,
    /// Counts for measures of cases and calls: within norm, late, open, at risk.
    pub counts: Option<Counts>,
    /// What the value is computed from (decided measurements, searches, answers).
    pub base: u64,
    pub weekly: Vec<WeekPoint>,
}

/// One of the five categories of the seed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryFigures {
    pub category: NormCategory,
    /// 1–5 as in the seed.
    pub number: u8,
    pub label: &'static str,
    pub measures: Vec<Measure>,
}

/// Acknowledgement and answer of the cases that came in on one channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelResponse {
    pub channel: Channel,
    pub acknowledgement: Counts,
    pub acknowledgement_percent: Option<f64>,
    pub answer: Counts,
    pub answer_percent: Option<f64>,
    pub target: f64,
}

/// The KCC's day so far.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TodayPanel {
    pub day: Date,
    pub calls_offered: u64,
    /// Share of today's calls in office hours answered within the phone norm's seconds.
    pub answered_in_time_percent: Option<f64>,
    pub answer_within_seconds: u32,
    pub calls_abandoned: u64,
    pub contacts: u64,
    pub open_consults: u64,
}

/// The norm dashboard (`/werkplek/cijfers/normen`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NormDashboard {
    pub from: Date,
    /// Exclusive.
    pub to: Date,
    pub categories: Vec<CategoryFigures>,
    pub channels: Vec<ChannelResponse>,
    pub today: TodayPanel,
    /// The version valid on the last day of the period started on this day.
    pub version_from: Date,
}

/// Share of two counts in percent.
fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

impl App {
    /// Every version of the norm set, oldest first (the first is the set in code); for a beheerder.
    pub async fn norm_versions(&self, who: &Principal) -> Result<NormHistory, AppError> {
        who.require(roles::ADMIN)?;
        self.norm_history().await
    }

    /// The day it is on the norms' calendar (`termijnenwet`).
    pub fn norm_today(&self) -> Result<Date, AppError> {
        Ok(self.settings.calendars.get("termijnenwet")?.date_of(self.now()))
    }

    /// Save the norm form as a new version from its day (today or later), with an audit entry.
    /// Bad input gives the field errors and stores nothing.
    pub async fn save_norm_form(
        &self,
        who: &Principal,
        form: &NormForm,
    ) -> Result<Result<NormVersion, Vec<Invalid>>, AppError> {
        who.require(roles::ADMIN)?;
        let today = self.norm_today()?;
        let history = self.norm_history().await?;
        let day = form.geldig_vanaf.trim().parse::<Date>().unwrap_or(today);
        let version = match form.apply(history.valid_on(day), today) {
            Ok(v) => v,
            Err(errors) => return Ok(Err(errors)),
        };
        let change = Change::new(
            who.actor,
            self.now(),
            "norms.version_saved",
            format!("norms:{}", version.valid_from),
            format!("normen geldig vanaf {}", version.valid_from),
        );
        self.store.save_norm_versions(std::slice::from_ref(&version), &change).await?;
        Ok(Ok(version))
    }

    /// Store the versions of a norm file (parsed by `norm_versions::parse_toml`) in one
    /// transaction. A version already there exactly is left alone, so importing the same file
    /// twice changes nothing.
    pub async fn import_norm_versions(
        &self,
        who: &Principal,
        versions: &[NormVersion],
    ) -> Result<ImportOutcome, AppError> {
        who.require(roles::ADMIN)?;
        for (i, v) in versions.iter().enumerate() {
            v.norms.validate().map_err(|mut errors| errors.remove(0))?;
            // The legal terms follow the law and stay as in code; a version changes the own
            // service norm and acknowledgement per case type, targets and thresholds.
            v.norms.check_legal_terms(&self.settings.norms).map_err(|e| e.in_item("version", i))?;
        }
        let history = self.norm_history().await?;
        let new: Vec<NormVersion> = versions.iter().filter(|v| !history.contains(v)).cloned().collect();
        let outcome = ImportOutcome { stored: new.len(), unchanged: versions.len() - new.len() };
        if !new.is_empty() {
            let days: Vec<String> = new.iter().map(|v| v.valid_from.to_string()).collect();
            let change = Change::new(
                who.actor,
                self.now(),
                "norms.imported",
                "norms",
                format!("normen geïmporteerd, geldig vanaf {}", days.join(", ")),
            );
            self.store.save_norm_versions(&new, &change).await?;
        }
        Ok(outcome)
    }

    /// The norm dashboard of `[from, to)` (local days) for the cases matching `filter`. The
    /// figures of categories 1–3 come from [`App::compliance_by_part`] (the report of
    /// [`App::compliance_for`], as the compliance API's, with its part per channel).
    pub async fn norm_dashboard(
        &self,
        who: &Principal,
        from: Date,
        to: Date,
        filter: &NormFilter,
    ) -> Result<NormDashboard, AppError> {
        who.require(DASHBOARD_ROLES)?;
        if to <= from {
            return Err(Invalid::new("tot", InvalidKind::OutOfOrder { after: "van" }).into());
        }
        let calendar = self.settings.calendars.get("termijnenwet")?;
        let start = |d: Date| calendar.start_of_day(d).map_err(|e| AppError::Unexpected(e.into()));
        let (from_at, to_at) = (start(from)?, start(to)?);
        let horizon = SignedDuration::from_hours(48);
        // One read of the roll-ups for the report and its parts per channel (the reactietijd per
        // channel below): the same figures as a report per channel filter.
        let by_channel = self
            .compliance_by_part(who, from_at, to_at, GroupBy::NormCategory, GroupBy::Channel, horizon, filter, true)
            .await?;
        let report = &by_channel.all;
        let history = self.norm_history().await?;
        let last_day = calendar.date_of(to_at - SignedDuration::from_micros(1));
        let norms = history.valid_on(last_day);

        let phone_label = match norms.phone().and_then(|p| p.answer_within_seconds) {
            Some(s) => format!("Telefoon binnen {s} seconden opgenomen"),
            None => "Telefoon op tijd opgenomen".into(),
        };
        let case_measure = |category: NormCategory, label: String| {
            let target = match category {
                NormCategory::Bereikbaarheid => norms.phone().map_or(0, |p| p.target_percent),
                _ => norms.case_target_percent,
            };
            measure_of(report, category, label, target)
        };
        let mut categories = vec![
            CategoryFigures {
                category: NormCategory::Bereikbaarheid,
                number: 1,
                label: "Bereikbaarheid",
                measures: vec![case_measure(NormCategory::Bereikbaarheid, phone_label)],
            },
            CategoryFigures {
                category: NormCategory::Ontvangstbevestiging,
                number: 2,
                label: "Reactietijd",
                measures: {
                    let mut m = vec![case_measure(
                        NormCategory::Ontvangstbevestiging,
                        "Ontvangst op tijd bevestigd (alle kanalen)".into(),
                    )];
                    // Consultations have no channel or topic: shown without a filter only.
                    if filter.is_empty() {
                        let c = self.consultation_norm_counts(from_at, to_at, horizon).await?;
                        m.push(consultation_measure(c, norms.consultation_target_percent));
                    }
                    m
                },
            },
            CategoryFigures {
                category: NormCategory::InhoudelijkeReactie,
                number: 3,
                label: "Behandeltermijn",
                measures: vec![case_measure(
                    NormCategory::InhoudelijkeReactie,
                    "Zaken binnen de servicenorm afgehandeld".into(),
                )],
            },
        ];

        // Category 4: sources another part of Gastvrij connects (None: "nog niet gemeten").
        let searches = self.search_helped_share(from_at, to_at).await?;
        let portal = self.portal_availability_share(from_at, to_at).await?;
        let outside = |key: &str, label: &str, part: Option<(u64, u64)>, target: f64| {
            let value = part.and_then(|(n, d)| share(n, d));
            Measure {
                key: key.into(),
                label: label.into(),
                unit: Unit::Percent,
                value,
                target,
                meets_target: value.map(|v| v >= target),
                measured: part.is_some(),
                counts: None,
                base: part.map_or(0, |(_, d)| d),
                weekly: vec![],
            }
        };
        categories.push(CategoryFigures {
            category: NormCategory::BeschikbaarheidInformatie,
            number: 4,
            label: "Beschikbaarheid informatie",
            measures: vec![
                outside(
                    "zoekvragen_geholpen",
                    "Zoekvragen die eindigen op een antwoord dat hielp",
                    searches,
                    norms.search_helped_percent,
                ),
                outside("portaal_beschikbaar", "Beschikbaarheid van de website", portal, norms.availability_percent),
            ],
        });

        // Category 5: the survey answers of the period, by week of answer.
        let tz = calendar.time_zone().clone();
        let mut weeks: BTreeMap<String, (Date, u64, u64, u64)> = BTreeMap::new();
        let (mut answers, mut grades, mut solved) = (0u64, 0u64, 0u64);
        for a in self.store.survey_grades(from_at, to_at, filter).await? {
            let day = a.answered_at.to_zoned_datetime(tz.clone()).date();
            let w = day.iso_week_date();
            let e = weeks.entry(format!("{}-W{:02}", w.year(), w.week())).or_insert((day, 0, 0, 0));
            e.0 = e.0.min(day);
            e.1 += 1;
            e.2 += u64::from(a.grade);
            e.3 += u64::from(a.solved);
            answers += 1;
            grades += u64::from(a.grade);
            solved += u64::from(a.solved);
        }
        let average = |sum: u64, n: u64| (n > 0).then(|| sum as f64 / n as f64);
        let weekly = |value: &dyn Fn(u64, u64, u64) -> Option<f64>, target: &dyn Fn(&NormSet) -> f64| {
            weeks
                .iter()
                .map(|(week, (day, n, g, s))| WeekPoint {
                    week: week.clone(),
                    value: value(*n, *g, *s),
                    target: target(history.valid_on(*day)),
                    measured: *n,
                })
                .collect::<Vec<_>>()
        };
        let grade = average(grades, answers);
        let solved_share = share(solved, answers);
        categories.push(CategoryFigures {
            category: NormCategory::Gastvrijheid,
            number: 5,
            label: "Gastvrijheid",
            measures: vec![
                Measure {
                    key: "gastvrijheid_cijfer".into(),
                    label: "Gemiddeld klantcijfer".into(),
                    unit: Unit::Grade,
                    value: grade,
                    target: norms.satisfaction_grade,
                    meets_target: grade.map(|g| g >= norms.satisfaction_grade),
                    measured: true,
                    counts: None,
                    base: answers,
                    weekly: weekly(&|n, g, _| average(g, n), &|n| n.satisfaction_grade),
                },
                Measure {
                    key: "gastvrijheid_opgelost".into(),
                    label: "Klanten van wie de vraag is opgelost".into(),
                    unit: Unit::Percent,
                    value: solved_share,
                    target: norms.solved_percent,
                    meets_target: solved_share.map(|v| v >= norms.solved_percent),
                    measured: true,
                    counts: None,
                    base: answers,
                    weekly: weekly(&|n, _, s| share(s, n), &|n| n.solved_percent),
                },
            ],
        });

        // Reactietijd per channel: acknowledgement and answer of the cases of each channel.
        let mut channels = vec![];
        for channel in [Channel::Telefoon, Channel::Email, Channel::Brief, Channel::Webformulier] {
            if filter.channel.is_some_and(|c| c != channel) {
                continue;
            }
            let groups = by_channel.parts.get(channel.code()).map_or(&[][..], |r| &r.groups[..]);
            let counts =
                |c: NormCategory| groups.iter().find(|g| g.key == code(c)).map(|g| g.counts).unwrap_or_default();
            let (ack, answer) = (counts(NormCategory::Ontvangstbevestiging), counts(NormCategory::InhoudelijkeReactie));
            channels.push(ChannelResponse {
                channel,
                acknowledgement_percent: ack.percent_within(),
                acknowledgement: ack,
                answer_percent: answer.percent_within(),
                answer,
                target: f64::from(norms.case_target_percent),
            });
        }

        let today = self.kcc_today_panel(&history).await?;
        Ok(NormDashboard { from, to, categories, channels, today, version_from: history.version_start(last_day) })
    }

    /// The "vandaag" panel: today from local midnight until now.
    async fn kcc_today_panel(&self, history: &NormHistory) -> Result<TodayPanel, AppError> {
        let calendar = self.settings.calendars.get("termijnenwet")?;
        let now = self.now();
        let day = calendar.date_of(now);
        let start = calendar.start_of_day(day).map_err(|e| AppError::Unexpected(e.into()))?;
        let KccToday { calls_offered, calls_abandoned, contacts, open_consults } =
            self.store.kcc_today(start, now).await?;
        let limit = history.valid_on(day).phone().and_then(|p| p.answer_within_seconds).unwrap_or(25);
        let (mut within, mut all) = (0, 0);
        for (at, waited) in self.store.phone_waits(start, now).await? {
            if calendar.is_open(at).unwrap_or(false) {
                all += 1;
                within += u64::from(waited <= limit);
            }
        }
        Ok(TodayPanel {
            day,
            calls_offered,
            answered_in_time_percent: share(within, all),
            answer_within_seconds: limit,
            calls_abandoned,
            contacts,
            open_consults,
        })
    }

    /// Category 4, part 1: `(searches that ended on an answer marked "geholpen", searches)` of
    /// the public answer search in `[from, to)` (the search log, docs/kennisbank-learning.md);
    /// `None` when nobody searched.
    pub async fn search_helped_share(&self, from: Timestamp, to: Timestamp) -> Result<Option<(u64, u64)>, AppError> {
        let channel = gastvrij_domain::search_questions::SearchChannel::Website;
        let (helped, searches) = self.store.search_use_counts(channel, from, to).await?;
        Ok((searches > 0).then_some((helped, searches)))
    }

    /// Category 4, part 2: `(minutes the public portal answered, minutes measured)` in
    /// `[from, to)`, as the server measures it (docs/open-data.md); `None` before the first
    /// measurement.
    async fn portal_availability_share(&self, from: Timestamp, to: Timestamp) -> Result<Option<(u64, u64)>, AppError> {
        let (up, measured) = self.portal_availability(from, to).await?;
        Ok((measured > 0).then_some((up, measured)))
    }
}

/// Category 2, ruggespraak: the consultations asked in the period answered within the term valid
/// on the day each was asked ([`App::consultation_norm_counts`]), as a share of those decided.
fn consultation_measure(counts: Counts, target: u8) -> Measure {
    let value = counts.percent_within();
    let target = f64::from(target);
    Measure {
        key: "ruggespraak_op_tijd".into(),
        label: "Ruggespraak op tijd beantwoord".into(),
        unit: Unit::Percent,
        value,
        target,
        meets_target: value.map(|v| v >= target),
        measured: true,
        counts: Some(counts),
        base: counts.within_norm + counts.late,
        weekly: vec![],
    }
}

/// A measure of categories 1–3 from the compliance report sliced by norm category.
/// `target` is the norm's, for a period without measurements.
fn measure_of(report: &ComplianceReport, category: NormCategory, label: String, target: u8) -> Measure {
    let group = report.groups.iter().find(|g| g.key == code(category));
    let counts = group.map(|g| g.counts).unwrap_or_default();
    let value = counts.percent_within();
    let target = f64::from(group.map_or(target, |g| g.target_percent));
    Measure {
        key: code(category).into(),
        label,
        unit: Unit::Percent,
        value,
        target,
        meets_target: group.and_then(|g| g.meets_target),
        measured: true,
        counts: Some(counts),
        base: counts.within_norm + counts.late,
        weekly: group
            .map(|g| {
                g.weekly
                    .iter()
                    .map(|w| WeekPoint {
                        week: w.week.clone(),
                        value: w.percent_within,
                        target: f64::from(w.target_percent),
                        measured: w.counts.within_norm + w.counts.late,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}
