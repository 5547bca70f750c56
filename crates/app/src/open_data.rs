//! Use case: the open service data of a year (issue 17). Every figure is read the way the
//! screens read it (compliance, the contacts and consultations lists, the case timings) and
//! shaped by `gastvrij_domain::open_data`, which suppresses small counts. Definitions in words:
//! `docs/open-data.md`.

use crate::norms::{GroupBy, code};
use crate::ports::{ConsultationQuery, ContactQuery, PeerFigures};
use crate::principal::roles;
use crate::{App, AppError, Page, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::case::CaseType;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{Contact, Line};
use gastvrij_domain::kennisbank::Consultation;
use gastvrij_domain::norms::NormCategory;
use gastvrij_domain::open_data::{
    ComparisonRow, Indicator, OpenDataSet, OrganisationRef, Period, PeriodFigures, SMALL_COUNT, Unit, compare,
    organisation_code,
};
use gastvrij_domain::pulse::PulseTotals;
use gastvrij_domain::team::Role;
use gastvrij_domain::{Invalid, InvalidKind};
use jiff::{SignedDuration, Timestamp};

/// Why the figures the product does not measure are missing (stated in the file).
const NO_AVAILABILITY: &str = "Gastvrij does not measure the availability of the public portal yet";
const NO_CONSULTATION_NORM: &str = "Gastvrij has no norm for answering consultations";

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
    pub async fn open_data(&self, who: &Principal, year: i16) -> Result<OpenDataSet, AppError> {
        who.require(&[Role::Teamleider])?;
        if !YEARS.contains(&year) {
            let range = InvalidKind::OutOfRange { min: (*YEARS.start()).into(), max: Some((*YEARS.end()).into()) };
            return Err(Invalid::new("year", range).into());
        }
        let org = self.store.organisation().await?.unwrap_or_default();
        let inhabitants = u64::from(org.inhabitants);
        let organisation = OrganisationRef { code: organisation_code(&org.name), name: org.name, inhabitants };
        let calendar = self.settings.calendars.get("termijnenwet")?;
        let start = |d| calendar.start_of_day(d).map_err(|e| AppError::Unexpected(e.into()));
        let (year_from, year_to) = Period { year, quarter: None }.days();
        let (year_from, year_to) = (start(year_from)?, start(year_to)?);
        let contacts = self.contacts_between(year_from, year_to).await?;
        let consultations = self.every_consultation(ConsultationQuery::default()).await?;

        let mut periods = vec![];
        for period in Period::of_year(year) {
            let (from_day, to_day) = period.days();
            let (from, to) = (start(from_day)?, start(to_day)?);
            let within = |t: Timestamp| from <= t && t < to;
            let mut indicators = contact_indicators(contacts.iter().filter(|c| within(c.started_at)), inhabitants);
            indicators.extend(consultation_indicators(consultations.iter().filter(|c| within(c.asked_at))));

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
                Indicator::not_available("norm_beschikbaarheid_informatie", Unit::Percent, NO_AVAILABILITY),
            ]);
            let survey = self.store.survey_totals(from, to).await?;
            indicators.push(Indicator::share("norm_gastvrijheid", survey.solved, survey.answers));

            let cases = self.case_type_figures(from, to).await?;
            let of = |t: CaseType| cases.get(t.code()).copied().unwrap_or_default();
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
                pulse_average(self.pulse_sum(from_day, to_day).await?),
                Indicator::not_available("portal_availability", Unit::Percent, NO_AVAILABILITY),
            ]);
            periods.push(PeriodFigures::new(period, indicators));
        }
        Ok(OpenDataSet::new(organisation, year, periods))
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

    /// Every contact started in `[from, to)`, page by page as the contacts list reads them.
    async fn contacts_between(&self, from: Timestamp, to: Timestamp) -> Result<Vec<Contact>, AppError> {
        let mut all = vec![];
        loop {
            let page = Page { limit: Page::MAX_LIMIT, offset: u32::try_from(all.len()).unwrap_or(u32::MAX) };
            let query = ContactQuery { from: Some(from), to: Some(to), page, ..Default::default() };
            let batch = self.store.contacts(&query).await?;
            let done = batch.len() < Page::MAX_LIMIT as usize;
            all.extend(batch);
            if done {
                return Ok(all);
            }
        }
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

/// The average of every pulse score given in periods that start in the period (five per
/// answer); suppressed, by the number of answers, when fewer than [`SMALL_COUNT`] answered.
fn pulse_average(t: PulseTotals) -> Indicator {
    let scores = t.sums.iter().sum();
    let given = if t.answers < SMALL_COUNT { t.answers } else { t.answers * 5 };
    Indicator::average("employee_pulse_average", scores, given)
}

/// Contacts in total, per channel and per 1,000 inhabitants; the first-line share of the
/// questions with a line.
fn contact_indicators<'a>(contacts: impl Iterator<Item = &'a Contact>, inhabitants: u64) -> Vec<Indicator> {
    let mut per_channel = [0u64; Channel::ALL.len()];
    let (mut total, mut first_line, mut with_line) = (0, 0, 0);
    for c in contacts {
        total += 1;
        if let Some(i) = Channel::ALL.iter().position(|ch| *ch == c.channel) {
            per_channel[i] += 1;
        }
        for q in &c.questions {
            with_line += u64::from(q.line.is_some());
            first_line += u64::from(q.line == Some(Line::FirstLine));
        }
    }
    let mut out = vec![Indicator::count("contacts_total", total)];
    out.extend(
        Channel::ALL.iter().zip(per_channel).map(|(ch, n)| Indicator::count(&format!("contacts_{}", ch.code()), n)),
    );
    out.push(Indicator::per_thousand("contacts_per_1000_inhabitants", total, inhabitants));
    out.push(Indicator::share("first_line_share", first_line, with_line));
    out
}

/// Consultations asked: the share answered, the share of answered ones turned into an article.
fn consultation_indicators<'a>(consultations: impl Iterator<Item = &'a Consultation>) -> Vec<Indicator> {
    let (mut asked, mut answered, mut to_article) = (0, 0, 0);
    for c in consultations {
        asked += 1;
        if c.answered_at.is_some() {
            answered += 1;
            to_article += u64::from(c.article_id.is_some());
        }
    }
    vec![
        Indicator::share("consultations_answered_share", answered, asked),
        Indicator::share("consultations_to_article_share", to_article, answered),
        Indicator::not_available("consultations_answered_within_norm", Unit::Percent, NO_CONSULTATION_NORM),
    ]
}
