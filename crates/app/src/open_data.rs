//! Use case: the open service data of a year (issue 17). Every figure is read the way the
//! screens read it (compliance, the contacts and consultations lists, the case timings) and
//! shaped by `gastvrij_domain::open_data`, which suppresses small counts. Definitions in words:
//! `docs/open-data.md`.

use crate::norms::{CaseTypeFigures, Counts, GroupBy, code};
use crate::ports::{ConsultationCounts, ConsultationQuery, ContactCounts, PeerFigures, Publication};
use crate::principal::roles;
use crate::{App, AppError, Page, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::case::CaseType;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::kennisbank::Consultation;
use gastvrij_domain::norms::{NormCategory, classify};
use gastvrij_domain::open_data::{
    ComparisonRow, Indicator, OpenDataSet, OrganisationRef, Period, PeriodFigures, SMALL_COUNT, compare,
    organisation_code, parse_organisation_code,
};
use gastvrij_domain::pulse::{PulseTotals, Question};
use gastvrij_domain::team::Role;
use gastvrij_domain::{Invalid, InvalidKind};
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeMap;

/// This organisation beside its peers for one period.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// `2026` or `2026-Q1`.
    pub period: String,
    pub own: OpenDataSet,
    /// The kept files of the same year, by organisation code.
    pub peers: Vec<OpenDataSet>,
    /// One row per indicator; values in the order own, peers.
    pub rows: Vec<ComparisonRow>,
}

/// The years an export may cover.
pub const YEARS: std::ops::RangeInclusive<i16> = 2000..=2100;

impl App {
    /// The open-data set of `year` and its quarters (teamleider or beheerder).
    ///
    /// Streams: nothing of the year is held in memory at once. Contacts, consultations and case
    /// timings are counted per quarter (counted in the database, or one quarter of case timings
    /// at a time) and the year is the sum of its quarters; the norms, the survey, the pulse and
    /// the portal availability are sums the store returns per period.
    pub async fn open_data(&self, who: &Principal, year: i16) -> Result<OpenDataSet, AppError> {
        who.require(&[Role::Teamleider])?;
        if !YEARS.contains(&year) {
            let range = InvalidKind::OutOfRange { min: (*YEARS.start()).into(), max: Some((*YEARS.end()).into()) };
            return Err(Invalid::new("year", range).into());
        }
        let org = self.store.organisation().await?.unwrap_or_default();
        let inhabitants = u64::from(org.inhabitants);
        let organisation =
            OrganisationRef { code: self.open_data_code_of(&org.name).await?, name: org.name, inhabitants };
        let calendar = self.settings.calendars.get("termijnenwet")?;
        let start = |d| calendar.start_of_day(d).map_err(|e| AppError::Unexpected(e.into()));

        // The quarters' additive counts first; the year is their sum.
        let mut quarters = vec![];
        for period in Period::of_year(year).into_iter().skip(1) {
            let (from_day, to_day) = period.days();
            let (from, to) = (start(from_day)?, start(to_day)?);
            let contacts = self.store.contacts_started_between(from, to).await?;
            let consultations = self.store.consultations_asked_between(from, to).await?;
            let consultation_norm = self.consultation_norm_counts(from, to, SignedDuration::ZERO).await?;
            let cases = self.case_type_figures(from, to).await?;
            quarters.push(Additive { contacts, consultations, consultation_norm, cases });
        }
        let mut whole_year = Additive::default();
        for q in &quarters {
            whole_year.add(q);
        }

        let mut periods = vec![];
        for (period, additive) in Period::of_year(year).into_iter().zip(std::iter::once(&whole_year).chain(&quarters)) {
            let (from_day, to_day) = period.days();
            let (from, to) = (start(from_day)?, start(to_day)?);
            let mut indicators = contact_indicators(&additive.contacts, inhabitants);
            indicators.extend(consultation_indicators(additive.consultations, additive.consultation_norm));

            let (up, minutes) = self.portal_availability(from, to).await?;
            let report = self.compliance(who, from, to, GroupBy::NormCategory, SignedDuration::ZERO).await?;
            let norm = |category: NormCategory| {
                let name = code(category);
                let counts = report.groups.iter().find(|g| g.key == name).map(|g| g.counts).unwrap_or_default();
                Indicator::share(&format!("norm_{name}"), counts.within_norm, counts.within_norm + counts.late)
            };
            indicators.extend([
                norm(NormCategory::Bereikbaarheid),
                norm(NormCategory::Ontvangstbevestiging),
                norm(NormCategory::InhoudelijkeReactie),
                Indicator::availability("norm_beschikbaarheid_informatie", up, minutes),
            ]);
            let survey = self.store.survey_totals(from, to).await?;
            indicators.push(Indicator::share("norm_gastvrijheid", survey.solved, survey.answers));

            let of = |t: CaseType| additive.cases.get(t.code()).copied().unwrap_or_default();
            let in_time = |indicator: &str, t: CaseType| {
                let n = of(t).service_norm;
                Indicator::share(indicator, n.within_norm, n.within_norm + n.late)
            };
            let complaints = of(CaseType::Klacht);
            indicators.extend([
                Indicator::per_thousand("complaints_per_1000_inhabitants", complaints.received, inhabitants),
                Indicator::share(
                    "complaints_within_legal_term",
                    complaints.closed_within_legal_term,
                    complaints.closed_with_legal_term,
                ),
                in_time("permits_decided_in_time", CaseType::Vergunningaanvraag),
                in_time("meldingen_handled_in_time", CaseType::Melding),
                Indicator::average("satisfaction_average_grade", survey.grade_sum, survey.answers),
                Indicator::share("survey_response_rate", survey.answers, survey.offered),
            ]);
            indicators.extend(pulse_indicators(self.pulse_sum(from_day, to_day).await?));
            indicators.push(Indicator::availability("portal_availability", up, minutes));
            periods.push(PeriodFigures::new(period, indicators));
        }
        Ok(OpenDataSet::new(organisation, year, periods))
    }

    /// The organisation code the exports carry: the one the beheerder set, else derived from
    /// the organisation's name ([`organisation_code`]).
    pub async fn open_data_code(&self) -> Result<String, AppError> {
        let name = self.store.organisation().await?.unwrap_or_default().name;
        self.open_data_code_of(&name).await
    }

    async fn open_data_code_of(&self, name: &str) -> Result<String, AppError> {
        Ok(match self.store.open_data_code().await? {
            Some(code) => code,
            None => organisation_code(name),
        })
    }

    /// Set the organisation code of the exports (beheerder), checked as the schema's pattern.
    pub async fn set_open_data_code(&self, who: &Principal, given: &str) -> Result<String, AppError> {
        who.require(roles::ADMIN)?;
        let code = parse_organisation_code(given)?;
        let change =
            Change::new(who.actor, self.now(), "open_data.code_set", &code, format!("organisation code {code}"));
        self.store.save_open_data_code(&code, &change).await?;
        Ok(code)
    }

    /// Publish the open-data file of `year` at `/open-data/{year}.json|.csv` (beheerder): the
    /// figures as they are now are kept; publishing again replaces them with the figures then.
    pub async fn publish_open_data(&self, who: &Principal, year: i16) -> Result<OpenDataSet, AppError> {
        who.require(roles::ADMIN)?;
        let set = self.open_data(who, year).await?;
        let body = serde_json::to_string_pretty(&set).map_err(|e| AppError::Unexpected(e.into()))? + "\n";
        OpenDataSet::parse(&body).map_err(|e| AppError::Unexpected(anyhow::anyhow!("own export refused: {e}")))?;
        let change =
            Change::new(who.actor, self.now(), "open_data.published", year.to_string(), format!("open data of {year}"));
        self.store.publish_open_data(year, &body, &change).await?;
        Ok(set)
    }

    /// Withdraw the published file of `year` (beheerder); `false` when it was not published.
    pub async fn withdraw_open_data(&self, who: &Principal, year: i16) -> Result<bool, AppError> {
        who.require(roles::ADMIN)?;
        let change =
            Change::new(who.actor, self.now(), "open_data.withdrawn", year.to_string(), format!("open data of {year}"));
        Ok(self.store.withdraw_open_data(year, &change).await?)
    }

    /// The published years, newest first (public).
    pub async fn open_data_publications(&self) -> Result<Vec<Publication>, AppError> {
        Ok(self.store.open_data_publications().await?)
    }

    /// The published file of `year` as published (public); `None` when the year is not published.
    pub async fn published_open_data(&self, year: i16) -> Result<Option<OpenDataSet>, AppError> {
        let Some(body) = self.store.published_open_data(year).await? else { return Ok(None) };
        let set = OpenDataSet::parse(&body)
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("published open data of {year}: {e}")))?;
        Ok(Some(set))
    }

    /// The portal's self-check, once a minute on every node: the portal's own first read (the
    /// organisation) works, then this minute is recorded. Two nodes in one minute record it
    /// once. Returns whether this call recorded the minute.
    pub async fn portal_heartbeat(&self, node: &str) -> Result<bool, AppError> {
        self.store.organisation().await?;
        let minute = self.now().as_second().div_euclid(60);
        Ok(self.store.record_portal_heartbeat(minute, node).await?)
    }

    /// The portal's availability in `[from, to)`: `(minutes with a heartbeat, minutes measured)`.
    /// Minutes measured are the whole minutes of the period that have passed, from the first
    /// heartbeat this installation ever recorded on (the minutes before it were not measured);
    /// the current minute is not over and not counted. `(0, 0)` when nothing was measured.
    pub async fn portal_availability(&self, from: Timestamp, to: Timestamp) -> Result<(u64, u64), AppError> {
        let minute = |t: Timestamp| t.as_second().div_euclid(60);
        let (mut first, end) = (minute(from), minute(to).min(minute(self.now())));
        let counted = self.store.portal_heartbeats(first, end).await?;
        let Some(first_ever) = counted.first_ever else { return Ok((0, 0)) };
        first = first.max(first_ever);
        if end <= first {
            return Ok((0, 0));
        }
        Ok((counted.beats, u64::try_from(end - first).unwrap_or(0)))
    }

    /// Keep another water board's checked figures of one year (beheerder): per organisation code
    /// and year, replacing what was kept for them. Returns whether anything changed; the same
    /// file twice changes nothing.
    pub async fn import_peer_figures(&self, who: &Principal, set: &OpenDataSet) -> Result<bool, AppError> {
        who.require(roles::ADMIN)?;
        let figures = PeerFigures {
            organisation_code: set.organisation.code.clone(),
            year: set.year,
            organisation_name: set.organisation.name.clone(),
            schema_version: set.schema_version.clone(),
            body: serde_json::to_string(set).map_err(|e| AppError::Unexpected(e.into()))?,
        };
        let summary = format!("open data of {} for {}", figures.organisation_code, figures.year);
        let change = Change::new(who.actor, self.now(), "peer_figures.imported", &figures.organisation_code, &summary);
        Ok(self.store.save_peer_figures(&figures, &change).await?)
    }

    /// Every kept peer file, by organisation code and year (teamleider or beheerder).
    pub async fn peer_figures(&self, who: &Principal) -> Result<Vec<OpenDataSet>, AppError> {
        who.require(&[Role::Teamleider])?;
        let kept = self.store.peer_figures().await?;
        kept.iter()
            .map(|f| {
                serde_json::from_str(&f.body).map_err(|e| {
                    AppError::Unexpected(anyhow::anyhow!("kept figures of {} {}: {e}", f.organisation_code, f.year))
                })
            })
            .collect()
    }

    /// This organisation's figures of `year` beside the kept peer files of that year, per
    /// indicator (teamleider or beheerder). `period` is the year or one of its quarters.
    pub async fn comparison(&self, who: &Principal, year: i16, period: Option<u8>) -> Result<Comparison, AppError> {
        let own = self.open_data(who, year).await?;
        let peers: Vec<OpenDataSet> = self.peer_figures(who).await?.into_iter().filter(|p| p.year == year).collect();
        let period = Period { year, quarter: period.filter(|q| (1..=4).contains(q)) }.label();
        let rows = compare(&own, &peers, &period);
        Ok(Comparison { period, own, peers, rows })
    }

    /// The consultations asked in `[from, to)`, each judged against the consultation term of the
    /// norm set valid on the day it was asked (docs/norms.md): answered before its deadline is
    /// within the norm; answered at or after it, or still open at or past it, is late; still open
    /// before it is open (at risk within `horizon` of it).
    pub(crate) async fn consultation_norm_counts(
        &self,
        from: Timestamp,
        to: Timestamp,
        horizon: SignedDuration,
    ) -> Result<Counts, AppError> {
        let calendar = self.settings.calendars.get("termijnenwet")?;
        let history = self.norm_history().await?;
        let now = self.now();
        let mut counts = Counts::default();
        for (asked, answered) in self.store.consultation_times(from, to).await? {
            let norms = history.valid_on(calendar.date_of(asked));
            let deadline = norms.consultation_deadline(calendar, asked).map_err(|e| AppError::Unexpected(e.into()))?;
            counts.merge(Counts::one(classify(deadline, answered, now, horizon)));
        }
        Ok(counts)
    }

    /// Every consultation `query` finds (its page is ignored), page by page as the consultations
    /// list reads them.
    pub(crate) async fn every_consultation(&self, query: ConsultationQuery) -> Result<Vec<Consultation>, AppError> {
        let mut all = vec![];
        loop {
            let page = Page { limit: Page::MAX_LIMIT, offset: u32::try_from(all.len()).unwrap_or(u32::MAX) };
            let batch = self.store.consultations(&ConsultationQuery { page, ..query.clone() }).await?;
            let done = batch.len() < Page::MAX_LIMIT as usize;
            all.extend(batch);
            if done {
                return Ok(all);
            }
        }
    }
}

/// The pulse indicators: the average of every pulse score given in periods that start in the
/// period (five per answer), then the average per statement (one score per answer, in the order
/// of [`Question::ALL`]); each suppressed, by the number of answers, when fewer than
/// [`SMALL_COUNT`] answered.
fn pulse_indicators(t: PulseTotals) -> Vec<Indicator> {
    let scores = t.sums.iter().sum();
    let given = if t.answers < SMALL_COUNT { t.answers } else { t.answers * 5 };
    let mut all = vec![Indicator::average("employee_pulse_average", scores, given)];
    for (question, sum) in Question::ALL.into_iter().zip(t.sums) {
        all.push(Indicator::average(&format!("employee_pulse_{}", question.code()), sum, t.answers));
    }
    all
}

/// The additive counts of a quarter; the year's are the sum of its quarters'.
#[derive(Default)]
struct Additive {
    contacts: ContactCounts,
    consultations: ConsultationCounts,
    /// The consultations asked judged against their answer term.
    consultation_norm: Counts,
    cases: BTreeMap<&'static str, CaseTypeFigures>,
}

impl Additive {
    fn add(&mut self, o: &Additive) {
        for (channel, n) in &o.contacts.per_channel {
            match self.contacts.per_channel.iter_mut().find(|(c, _)| c == channel) {
                Some((_, sum)) => *sum += n,
                None => self.contacts.per_channel.push((channel.clone(), *n)),
            }
        }
        self.contacts.with_line += o.contacts.with_line;
        self.contacts.first_line += o.contacts.first_line;
        self.consultations.asked += o.consultations.asked;
        self.consultations.answered += o.consultations.answered;
        self.consultations.to_article += o.consultations.to_article;
        self.consultation_norm.merge(o.consultation_norm);
        for (case_type, figures) in &o.cases {
            self.cases.entry(*case_type).or_default().add(*figures);
        }
    }
}

/// Contacts in total, per channel and per 1,000 inhabitants; the first-line share of the
/// questions with a line.
fn contact_indicators(counts: &ContactCounts, inhabitants: u64) -> Vec<Indicator> {
    let of = |ch: Channel| counts.per_channel.iter().find(|(c, _)| c == ch.code()).map_or(0, |(_, n)| *n);
    let total = counts.per_channel.iter().map(|(_, n)| n).sum();
    let mut out = vec![Indicator::count("contacts_total", total)];
    out.extend(Channel::ALL.iter().map(|ch| Indicator::count(&format!("contacts_{}", ch.code()), of(*ch))));
    out.push(Indicator::per_thousand("contacts_per_1000_inhabitants", total, inhabitants));
    out.push(Indicator::share("first_line_share", counts.first_line, counts.with_line));
    out
}

/// Consultations asked: the share answered, the share of answered ones turned into an article,
/// and the share answered within the consultation term of those judged (answered, or open past
/// the deadline).
fn consultation_indicators(c: ConsultationCounts, norm: Counts) -> Vec<Indicator> {
    vec![
        Indicator::share("consultations_answered_share", c.answered, c.asked),
        Indicator::share("consultations_to_article_share", c.to_article, c.answered),
        Indicator::share("consultations_answered_within_norm", norm.within_norm, norm.within_norm + norm.late),
    ]
}
