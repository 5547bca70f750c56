//! Open service data (issue 17): the indicator set a water board publishes for a year and its
//! quarters, the small-count suppression that keeps people unrecognisable, the CSV rendering,
//! and the check an imported peer file must pass. Pure: the figures come from the app.
//!
//! The definitions in words are in `docs/open-data.md`; the JSON Schema that a file is checked
//! against is `docs/open-data.schema.json`. Both follow [`SCHEMA_VERSION`].

use serde::{Deserialize, Serialize};
use std::fmt;

/// The version of the file format this installation writes (docs/open-data.md, "Versions").
/// 1.1 added the five per-statement pulse averages ([`ADDED_IN_1_1`]).
pub const SCHEMA_VERSION: &str = "1.1";

/// The versions this installation reads on import; a file of any other version is refused.
/// A newer minor version only adds indicators, so an older file is read as it is.
pub const READS: &[&str] = &["1.0", "1.1"];

/// The indicator codes that version 1.1 added; a 1.0 file that holds one is refused.
pub const ADDED_IN_1_1: &[&str] = &[
    "employee_pulse_workload",
    "employee_pulse_equipped",
    "employee_pulse_collaboration",
    "employee_pulse_trust_in_knowledge",
    "employee_pulse_enjoyment",
];

/// A count below this (and above zero) is suppressed, together with every ratio made from it.
pub const SMALL_COUNT: u64 = 5;

/// Every indicator code of [`SCHEMA_VERSION`], in the order of the export.
pub const CODES: &[&str] = &[
    "contacts_total",
    "contacts_telefoon",
    "contacts_email",
    "contacts_webformulier",
    "contacts_balie",
    "contacts_brief",
    "contacts_sociale_media",
    "contacts_app",
    "contacts_chat",
    "contacts_per_1000_inhabitants",
    "first_line_share",
    "consultations_answered_share",
    "consultations_to_article_share",
    "consultations_answered_within_norm",
    "norm_bereikbaarheid",
    "norm_ontvangstbevestiging",
    "norm_inhoudelijke_reactie",
    "norm_beschikbaarheid_informatie",
    "norm_gastvrijheid",
    "complaints_per_1000_inhabitants",
    "complaints_within_legal_term",
    "permits_decided_in_time",
    "meldingen_handled_in_time",
    "satisfaction_average_grade",
    "survey_response_rate",
    "employee_pulse_average",
    "employee_pulse_workload",
    "employee_pulse_equipped",
    "employee_pulse_collaboration",
    "employee_pulse_trust_in_knowledge",
    "employee_pulse_enjoyment",
    "portal_availability",
];

/// What a value measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A number of things (contacts).
    Count,
    /// `numerator / denominator × 100`.
    Percent,
    /// `numerator / denominator × 1,000`, the denominator being the inhabitants.
    #[serde(rename = "per_1000_inhabitants")]
    Per1000Inhabitants,
    /// An average grade from 1 to 10: `numerator / denominator` (sum of grades / answers).
    Grade,
}

impl Unit {
    pub fn code(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Percent => "percent",
            Unit::Per1000Inhabitants => "per_1000_inhabitants",
            Unit::Grade => "grade",
        }
    }
}

/// Whether a value is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Reported,
    /// Left out because a count in it is under [`SMALL_COUNT`]; `reason` says which.
    Suppressed,
    /// Not measured (nothing to measure in the period, or the product does not measure it yet).
    NotAvailable,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Reported => "reported",
            Status::Suppressed => "suppressed",
            Status::NotAvailable => "not_available",
        }
    }
}

/// One indicator for one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub unit: Unit,
    pub status: Status,
    /// Rounded to one decimal; `null` unless reported.
    pub value: Option<f64>,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    /// Why a value is suppressed or not available.
    pub reason: Option<String>,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn small(n: u64) -> bool {
    n > 0 && n < SMALL_COUNT
}

impl Indicator {
    fn with(code: &str, unit: Unit) -> Self {
        Indicator {
            code: code.to_string(),
            unit,
            status: Status::Reported,
            value: None,
            numerator: None,
            denominator: None,
            reason: None,
        }
    }

    /// Not measured, and why.
    pub fn not_available(code: &str, unit: Unit, reason: &str) -> Self {
        Indicator { status: Status::NotAvailable, reason: Some(reason.to_string()), ..Self::with(code, unit) }
    }

    fn suppressed(code: &str, unit: Unit, reason: String) -> Self {
        Indicator { status: Status::Suppressed, reason: Some(reason), ..Self::with(code, unit) }
    }

    /// A number of things; suppressed when under [`SMALL_COUNT`] (zero is reported).
    pub fn count(code: &str, n: u64) -> Self {
        if small(n) {
            return Self::suppressed(code, Unit::Count, format!("count under {SMALL_COUNT}"));
        }
        Indicator { value: Some(n as f64), numerator: Some(n), ..Self::with(code, Unit::Count) }
    }

    /// `part` of `whole` in percent. Suppressed when `part`, `whole` or the rest (`whole - part`,
    /// which the two reveal) is under [`SMALL_COUNT`]; not available when `whole` is zero.
    pub fn share(code: &str, part: u64, whole: u64) -> Self {
        if whole == 0 {
            return Self::not_available(code, Unit::Percent, "nothing measured in this period");
        }
        let rest = whole.saturating_sub(part);
        for (n, name) in [(whole, "denominator"), (part, "numerator"), (rest, "denominator minus numerator")] {
            if small(n) {
                return Self::suppressed(code, Unit::Percent, format!("{name} under {SMALL_COUNT}"));
            }
        }
        Indicator {
            value: Some(round1(part as f64 * 100.0 / whole as f64)),
            numerator: Some(part),
            denominator: Some(whole),
            ..Self::with(code, Unit::Percent)
        }
    }

    /// `n` per 1,000 inhabitants; suppressed when `n` is under [`SMALL_COUNT`]; not available
    /// without a number of inhabitants.
    pub fn per_thousand(code: &str, n: u64, inhabitants: u64) -> Self {
        let unit = Unit::Per1000Inhabitants;
        if inhabitants == 0 {
            return Self::not_available(code, unit, "the number of inhabitants is not set");
        }
        if small(n) {
            return Self::suppressed(code, unit, format!("numerator under {SMALL_COUNT}"));
        }
        Indicator {
            value: Some(round1(n as f64 * 1000.0 / inhabitants as f64)),
            numerator: Some(n),
            denominator: Some(inhabitants),
            ..Self::with(code, unit)
        }
    }

    /// `up` of `minutes` in percent, for the portal's availability: minutes are no people, so
    /// nothing is suppressed; not available when no minute was measured.
    pub fn availability(code: &str, up: u64, minutes: u64) -> Self {
        if minutes == 0 {
            return Self::not_available(code, Unit::Percent, "nothing measured in this period");
        }
        Indicator {
            value: Some(round1(up as f64 * 100.0 / minutes as f64)),
            numerator: Some(up),
            denominator: Some(minutes),
            ..Self::with(code, Unit::Percent)
        }
    }

    /// An average grade: `sum` of `answers` grades; suppressed when fewer than [`SMALL_COUNT`]
    /// answered.
    pub fn average(code: &str, sum: u64, answers: u64) -> Self {
        if answers == 0 {
            return Self::not_available(code, Unit::Grade, "nothing measured in this period");
        }
        if small(answers) {
            return Self::suppressed(code, Unit::Grade, format!("fewer than {SMALL_COUNT} answers"));
        }
        Indicator {
            value: Some(round1(sum as f64 / answers as f64)),
            numerator: Some(sum),
            denominator: Some(answers),
            ..Self::with(code, Unit::Grade)
        }
    }
}

/// The organisation a file is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationRef {
    pub name: String,
    /// Stable identifier: lower-case letters, digits and hyphens (see [`organisation_code`]).
    pub code: String,
    pub inhabitants: u64,
}

/// The code of an organisation: its name folded (as [`crate::text::fold`]), every run of other
/// characters than letters and digits a hyphen. "Hoogheemraadschap van de Lage Waard" becomes
/// `hoogheemraadschap-van-de-lage-waard`.
pub fn organisation_code(name: &str) -> String {
    let folded = crate::text::fold(name);
    let mut code = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            code.push(c);
        } else if !code.is_empty() && !code.ends_with('-') {
            code.push('-');
        }
    }
    code.trim_end_matches('-').to_string()
}

/// The organisation code a beheerder sets: trimmed; lower-case letters and digits, words joined
/// by single hyphens, at most 100 characters (the schema's pattern).
pub fn parse_organisation_code(given: &str) -> Result<String, crate::Invalid> {
    let code = given.trim();
    if code.is_empty() {
        return Err(crate::Invalid::empty("organisation_code"));
    }
    if !valid_code(code) || code.contains("--") {
        return Err(crate::Invalid::malformed("organisation_code", code, crate::Format::OrganisationCode));
    }
    Ok(code.to_string())
}

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 100
        && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !code.starts_with('-')
        && !code.ends_with('-')
}

/// A year (`quarter` none) or one of its quarters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    pub year: i16,
    pub quarter: Option<u8>,
}

impl Period {
    /// The year and its four quarters, in that order.
    pub fn of_year(year: i16) -> Vec<Period> {
        std::iter::once(None).chain((1..=4).map(Some)).map(|quarter| Period { year, quarter }).collect()
    }

    /// `[first day, first day after)` of the period.
    pub fn days(self) -> (jiff::civil::Date, jiff::civil::Date) {
        let date = |y: i16, m: i8| jiff::civil::Date::new(y, m, 1).expect("first of a month");
        match self.quarter {
            None => (date(self.year, 1), date(self.year + 1, 1)),
            Some(4) => (date(self.year, 10), date(self.year + 1, 1)),
            Some(q) => (date(self.year, (q as i8 - 1) * 3 + 1), date(self.year, q as i8 * 3 + 1)),
        }
    }

    /// `2026` or `2026-Q2`.
    pub fn label(self) -> String {
        match self.quarter {
            None => self.year.to_string(),
            Some(q) => format!("{}-Q{q}", self.year),
        }
    }
}

/// The indicators of one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodFigures {
    /// `2026` or `2026-Q1`…`2026-Q4`.
    pub period: String,
    /// First day (`YYYY-MM-DD`).
    pub from: String,
    /// Last day (`YYYY-MM-DD`), inclusive.
    pub to: String,
    pub indicators: Vec<Indicator>,
}

impl PeriodFigures {
    pub fn new(period: Period, indicators: Vec<Indicator>) -> Self {
        let (from, next) = period.days();
        let last = next.yesterday().expect("a day before the next period");
        PeriodFigures { period: period.label(), from: from.to_string(), to: last.to_string(), indicators }
    }
}

/// The open-data file of one organisation and year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenDataSet {
    pub schema_version: String,
    pub organisation: OrganisationRef,
    pub year: i16,
    /// The rule that suppressed values, in words.
    pub suppression: String,
    /// The year first, then its quarters.
    pub periods: Vec<PeriodFigures>,
}

/// The suppression rule in words, as a file states it.
pub fn suppression_rule() -> String {
    format!(
        "A count from 1 to {} is not published, nor any ratio made from it (including the rest of a share); \
         such an indicator has status suppressed and its reason names the count.",
        SMALL_COUNT - 1
    )
}

/// A file refused on import: the field (a JSON path such as `periods[1].indicators[3].value`,
/// or `line 4, column 7` for a file that is not JSON) and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub field: String,
    pub reason: String,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for Refused {}

fn refuse(field: impl Into<String>, reason: impl Into<String>) -> Refused {
    Refused { field: field.into(), reason: reason.into() }
}

impl OpenDataSet {
    pub fn new(organisation: OrganisationRef, year: i16, periods: Vec<PeriodFigures>) -> Self {
        OpenDataSet {
            schema_version: SCHEMA_VERSION.to_string(),
            organisation,
            year,
            suppression: suppression_rule(),
            periods,
        }
    }

    /// Read and check a file against `docs/open-data.schema.json` (embedded, checked by
    /// [`crate::json_schema`]), then the rules a schema cannot state (a reported value matches
    /// its numerator and denominator, periods belong to the year).
    pub fn parse(json: &str) -> Result<OpenDataSet, Refused> {
        let value: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| refuse(format!("line {}, column {}", e.line(), e.column()), "not JSON"))?;
        schema().validate(&value).map_err(|m| refuse(m.path, m.reason))?;
        let set: OpenDataSet = serde_path_to_error::deserialize(value).map_err(|e| {
            let field = e.path().to_string();
            refuse(if field == "." { "file".to_string() } else { field }, e.into_inner().to_string())
        })?;
        set.check()?;
        Ok(set)
    }

    fn check(&self) -> Result<(), Refused> {
        if !READS.contains(&self.schema_version.as_str()) {
            return Err(refuse(
                "schema_version",
                format!("is {:?}; this installation reads {}", self.schema_version, READS.join(" and ")),
            ));
        }
        let knows =
            |code: &str| CODES.contains(&code) && (self.schema_version != "1.0" || !ADDED_IN_1_1.contains(&code));
        if !valid_code(&self.organisation.code) {
            return Err(refuse("organisation.code", "must be lower-case letters, digits and hyphens"));
        }
        if self.organisation.name.trim().is_empty() || self.organisation.name.chars().count() > 200 {
            return Err(refuse("organisation.name", "must be 1 to 200 characters"));
        }
        if !(2000..=2100).contains(&self.year) {
            return Err(refuse("year", "must be from 2000 to 2100"));
        }
        let expected: Vec<String> = Period::of_year(self.year).into_iter().map(Period::label).collect();
        let given: Vec<&str> = self.periods.iter().map(|p| p.period.as_str()).collect();
        if given != expected {
            return Err(refuse("periods", format!("must be {} in that order", expected.join(", "))));
        }
        for (p, (figures, period)) in self.periods.iter().zip(Period::of_year(self.year)).enumerate() {
            let fresh = PeriodFigures::new(period, vec![]);
            if figures.from != fresh.from || figures.to != fresh.to {
                return Err(refuse(format!("periods[{p}].from"), format!("must be {} to {}", fresh.from, fresh.to)));
            }
            let mut seen = std::collections::BTreeSet::new();
            for (i, ind) in figures.indicators.iter().enumerate() {
                let at = |field: &str| format!("periods[{p}].indicators[{i}].{field}");
                if !knows(&ind.code) {
                    return Err(refuse(
                        at("code"),
                        format!("{:?} is not an indicator of version {}", ind.code, self.schema_version),
                    ));
                }
                if !seen.insert(ind.code.as_str()) {
                    return Err(refuse(at("code"), format!("{:?} appears twice", ind.code)));
                }
                check_indicator(ind).map_err(|(field, reason)| refuse(at(field), reason))?;
            }
        }
        Ok(())
    }

    /// One row per indicator and period (header first): organisation_code, year, period, code,
    /// unit, status, value, numerator, denominator, reason.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(vec![]);
        let header = [
            "organisation_code",
            "year",
            "period",
            "code",
            "unit",
            "status",
            "value",
            "numerator",
            "denominator",
            "reason",
        ];
        w.write_record(header).expect("write to memory");
        let opt = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
        for p in &self.periods {
            for i in &p.indicators {
                w.write_record([
                    self.organisation.code.clone(),
                    self.year.to_string(),
                    p.period.clone(),
                    i.code.clone(),
                    i.unit.code().to_string(),
                    i.status.code().to_string(),
                    i.value.map(|v| v.to_string()).unwrap_or_default(),
                    opt(i.numerator),
                    opt(i.denominator),
                    i.reason.clone().unwrap_or_default(),
                ])
                .expect("write to memory");
            }
        }
        String::from_utf8(w.into_inner().expect("flush to memory")).expect("CSV of UTF-8 text")
    }

    /// The indicator `code` of the period labelled `period`.
    pub fn indicator(&self, period: &str, code: &str) -> Option<&Indicator> {
        self.periods.iter().find(|p| p.period == period)?.indicators.iter().find(|i| i.code == code)
    }
}

/// The JSON Schema every file is checked against, as shipped in `docs/open-data.schema.json`.
pub const SCHEMA_JSON: &str = include_str!("../../../docs/open-data.schema.json");

fn schema() -> &'static crate::json_schema::Schema {
    static SCHEMA: std::sync::OnceLock<crate::json_schema::Schema> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        let value = serde_json::from_str(SCHEMA_JSON).expect("docs/open-data.schema.json is JSON");
        crate::json_schema::Schema::new(value).expect("docs/open-data.schema.json uses checked keywords only")
    })
}

fn check_indicator(ind: &Indicator) -> Result<(), (&'static str, String)> {
    let reported = ind.status == Status::Reported;
    if reported != ind.value.is_some() {
        return Err(("value", "a value is given exactly when the status is reported".into()));
    }
    if !reported && (ind.numerator.is_some() || ind.denominator.is_some()) {
        return Err(("numerator", "a suppressed or unavailable indicator has no numerator or denominator".into()));
    }
    if !reported && ind.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(("reason", "a suppressed or unavailable indicator says why".into()));
    }
    let Some(value) = ind.value else { return Ok(()) };
    if !value.is_finite() || value < 0.0 {
        return Err(("value", "must be a number of at least 0".into()));
    }
    let Some(n) = ind.numerator else { return Err(("numerator", "a reported value has its numerator".into())) };
    let expected = match (ind.unit, ind.denominator) {
        (Unit::Count, None) => n as f64,
        (Unit::Count, Some(_)) => return Err(("denominator", "a count has no denominator".into())),
        (_, None) | (_, Some(0)) => return Err(("denominator", "a ratio has a denominator above 0".into())),
        (Unit::Percent, Some(d)) if n > d => return Err(("numerator", "a share cannot exceed its denominator".into())),
        (Unit::Percent, Some(d)) => n as f64 * 100.0 / d as f64,
        (Unit::Per1000Inhabitants, Some(d)) => n as f64 * 1000.0 / d as f64,
        (Unit::Grade, Some(d)) => n as f64 / d as f64,
    };
    if (round1(expected) - value).abs() > 0.05 + f64::EPSILON * value {
        return Err(("value", format!("is {value} but numerator and denominator give {}", round1(expected))));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> OpenDataSet {
        let org =
            OrganisationRef { name: "Waterschap Test".into(), code: "waterschap-test".into(), inhabitants: 200_000 };
        let periods = Period::of_year(2026)
            .into_iter()
            .map(|p| {
                PeriodFigures::new(
                    p,
                    vec![
                        Indicator::count("contacts_total", 120),
                        Indicator::share("norm_inhoudelijke_reactie", 90, 100),
                        Indicator::per_thousand("complaints_per_1000_inhabitants", 3, 200_000),
                        Indicator::not_available("portal_availability", Unit::Percent, "not measured yet"),
                    ],
                )
            })
            .collect();
        OpenDataSet::new(org, 2026, periods)
    }

    #[test]
    fn small_counts_are_suppressed_with_their_ratio_and_say_why() {
        let c = Indicator::count("contacts_chat", 4);
        assert_eq!((c.status, c.value, c.numerator), (Status::Suppressed, None, None));
        assert_eq!(c.reason.as_deref(), Some("count under 5"));
        assert_eq!(Indicator::count("contacts_chat", 5).value, Some(5.0));
        assert_eq!(Indicator::count("contacts_chat", 0).value, Some(0.0));

        let s = Indicator::share("norm_bereikbaarheid", 3, 40);
        assert_eq!((s.status, s.value, s.denominator), (Status::Suppressed, None, None));
        assert_eq!(s.reason.as_deref(), Some("numerator under 5"));
        // 38 of 40 reveals that 2 were late.
        let rest = Indicator::share("norm_bereikbaarheid", 38, 40);
        assert_eq!(rest.reason.as_deref(), Some("denominator minus numerator under 5"));
        assert_eq!(Indicator::share("x", 2, 4).reason.as_deref(), Some("denominator under 5"));
        let ok = Indicator::share("norm_bereikbaarheid", 35, 40);
        assert_eq!(
            (ok.status, ok.value, ok.numerator, ok.denominator),
            (Status::Reported, Some(87.5), Some(35), Some(40))
        );
        assert_eq!(Indicator::share("x", 0, 0).status, Status::NotAvailable);

        let g = Indicator::average("satisfaction_average_grade", 30, 4);
        assert_eq!((g.status, g.reason.as_deref()), (Status::Suppressed, Some("fewer than 5 answers")));
        assert_eq!(Indicator::average("satisfaction_average_grade", 38, 5).value, Some(7.6));

        assert_eq!(Indicator::per_thousand("x", 4, 1000).status, Status::Suppressed);
        assert_eq!(Indicator::per_thousand("x", 50, 200_000).value, Some(0.3));
        assert_eq!(Indicator::per_thousand("x", 50, 0).status, Status::NotAvailable);
    }

    #[test]
    fn periods_are_the_year_and_its_quarters() {
        let labels: Vec<String> = Period::of_year(2026).into_iter().map(Period::label).collect();
        assert_eq!(labels, ["2026", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]);
        let q4 = PeriodFigures::new(Period { year: 2026, quarter: Some(4) }, vec![]);
        assert_eq!((q4.from.as_str(), q4.to.as_str()), ("2026-10-01", "2026-12-31"));
        let q2 = PeriodFigures::new(Period { year: 2026, quarter: Some(2) }, vec![]);
        assert_eq!((q2.from.as_str(), q2.to.as_str()), ("2026-04-01", "2026-06-30"));
    }

    #[test]
    fn a_written_file_reads_back_the_same() {
        let set = sample();
        let json = serde_json::to_string_pretty(&set).unwrap();
        assert_eq!(OpenDataSet::parse(&json).unwrap(), set);
    }

    #[test]
    fn csv_has_one_row_per_indicator_and_period() {
        let csv = sample().to_csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + 5 * 4);
        assert_eq!(lines[0], "organisation_code,year,period,code,unit,status,value,numerator,denominator,reason");
        assert_eq!(lines[2], "waterschap-test,2026,2026,norm_inhoudelijke_reactie,percent,reported,90,90,100,");
        assert_eq!(
            lines[3],
            "waterschap-test,2026,2026,complaints_per_1000_inhabitants,per_1000_inhabitants,suppressed,,,,numerator under 5"
        );
    }

    #[test]
    fn a_version_1_0_file_is_read_but_not_with_an_indicator_added_in_1_1() {
        let mut v = serde_json::to_value(sample()).unwrap();
        assert_eq!(v["schema_version"], SCHEMA_VERSION);
        v["schema_version"] = "1.0".into();
        let read = OpenDataSet::parse(&v.to_string()).expect("a 1.0 file without the 1.1 codes is read");
        assert_eq!(read.schema_version, "1.0");

        let mut with_new = v.clone();
        let pulse = serde_json::to_value(Indicator::average("employee_pulse_workload", 40, 10)).unwrap();
        with_new["periods"][0]["indicators"].as_array_mut().unwrap().push(pulse.clone());
        let refused = OpenDataSet::parse(&with_new.to_string()).unwrap_err();
        assert_eq!(refused.field, format!("periods[0].indicators[{}].code", sample().periods[0].indicators.len()));
        assert!(refused.reason.contains("version 1.0"), "{}", refused.reason);

        // The same indicator in a 1.1 file is fine.
        with_new["schema_version"] = "1.1".into();
        OpenDataSet::parse(&with_new.to_string()).expect("a 1.1 file may hold the per-statement pulse");
    }

    #[test]
    fn files_that_do_not_match_are_refused_with_the_field() {
        let good = serde_json::to_value(sample()).unwrap();
        let refused = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut v = good.clone();
            edit(&mut v);
            OpenDataSet::parse(&v.to_string()).unwrap_err()
        };
        assert_eq!(refused(&|v| v["schema_version"] = "0.9".into()).field, "schema_version");
        assert_eq!(refused(&|v| v["schema_version"] = "2.0".into()).field, "schema_version");
        assert_eq!(refused(&|v| v["organisation"]["code"] = "Not A Code".into()).field, "organisation.code");
        assert_eq!(
            refused(&|v| v["periods"][1]["indicators"][0]["code"] = "made_up".into()).field,
            "periods[1].indicators[0].code"
        );
        assert_eq!(
            refused(&|v| v["periods"][2]["indicators"][1]["value"] = 12.0.into()).field,
            "periods[2].indicators[1].value"
        );
        assert_eq!(
            refused(&|v| v["periods"][0]["indicators"][2]["value"] = 1.0.into()).field,
            "periods[0].indicators[2].value"
        );
        assert_eq!(
            refused(&|v| v["periods"][0]["indicators"][0]["unit"] = "litre".into()).field,
            "periods[0].indicators[0].unit"
        );
        let missing = refused(&|v| {
            v.as_object_mut().unwrap().remove("year");
        });
        assert_eq!((missing.field.as_str(), missing.reason.as_str()), ("year", "is missing"));
        let extra = refused(&|v| v["periods"][0]["indicators"][0]["note"] = "hallo".into());
        assert_eq!(
            (extra.field.as_str(), extra.reason.as_str()),
            ("periods[0].indicators[0].note", "is not allowed here")
        );
        let date = refused(&|v| v["periods"][1]["from"] = "2026-13-01".into());
        assert_eq!(date.field, "periods[1].from");
        let grade = refused(&|v| v["year"] = 2026.5.into());
        assert_eq!(grade.reason, "must be integer (is a number with a fraction)");
        let without_reason = refused(&|v| v["periods"][0]["indicators"][3]["reason"] = serde_json::Value::Null);
        assert_eq!(
            (without_reason.field.as_str(), without_reason.reason.as_str()),
            ("periods[0].indicators[3].reason", "must be string (is null)"),
            "the schema's if/then/else: an indicator not reported says why"
        );
        assert_eq!(refused(&|v| v["periods"].as_array_mut().unwrap().truncate(3)).field, "periods");
        assert!(OpenDataSet::parse("{ nope").unwrap_err().field.starts_with("line 1"));
    }

    #[test]
    fn organisation_codes_are_folded_names() {
        assert_eq!(organisation_code("Hoogheemraadschap van de Lage Waard"), "hoogheemraadschap-van-de-lage-waard");
        assert_eq!(organisation_code("  Waterschap Ærø & Zee! "), "waterschap-aero-zee");
        assert!(valid_code(&organisation_code("Wetterskip Fryslân")));
        assert_eq!(parse_organisation_code(" ws-de-lage-waard ").unwrap(), "ws-de-lage-waard");
        for bad in ["", "WS", "ws--x", "-ws", "ws-", "ws x", &"a".repeat(101)] {
            assert!(parse_organisation_code(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_shipped_schema_knows_every_code_unit_and_status() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../../docs/open-data.schema.json")).unwrap();
        let text = schema.to_string();
        for code in CODES {
            assert!(text.contains(&format!("\"{code}\"")), "{code} missing from the schema");
        }
        for u in [Unit::Count, Unit::Percent, Unit::Per1000Inhabitants, Unit::Grade] {
            assert!(text.contains(&format!("\"{}\"", u.code())));
            assert_eq!(serde_json::to_value(u).unwrap(), u.code(), "serialised as its code");
        }
        for s in [Status::Reported, Status::Suppressed, Status::NotAvailable] {
            assert!(text.contains(&format!("\"{}\"", s.code())));
            assert_eq!(serde_json::to_value(s).unwrap(), s.code(), "serialised as its code");
        }
        let versions: Vec<String> = READS.iter().map(|v| format!("\"{v}\"")).collect();
        assert!(text.contains(&format!("\"enum\":[{}]", versions.join(","))), "the schema reads what we read");
        assert!(READS.contains(&SCHEMA_VERSION), "we read what we write");
    }
}

/// Whether a higher value of the indicator `code` is better: `Some(true)` for shares in time,
/// grades and response, `Some(false)` for complaints per inhabitant, `None` where more or less
/// is no judgement (numbers of contacts).
pub fn higher_is_better(code: &str) -> Option<bool> {
    match code {
        "complaints_per_1000_inhabitants" => Some(false),
        c if c.starts_with("contacts_") => None,
        _ => Some(true),
    }
}

/// One organisation's value in a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared {
    pub organisation: String,
    /// The value; `None` where suppressed or not available (`reason` says why).
    pub value: Option<f64>,
    pub reason: Option<String>,
}

/// One indicator of one period: this organisation beside its peers, the median and the best.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRow {
    pub code: String,
    pub unit: Unit,
    /// This organisation first, then the peers in the order given.
    pub values: Vec<Compared>,
    /// The median of the values given (own and peers), rounded to one decimal.
    pub median: Option<f64>,
    /// The best value and whose it is (ties: the first), where higher or lower is better.
    pub best: Option<(String, f64)>,
}

impl ComparisonRow {
    /// The peer to learn from: the best, when it is not this organisation, and by how much it
    /// is better (always positive).
    pub fn learn_from(&self) -> Option<(&str, f64)> {
        let (name, best) = self.best.as_ref()?;
        let own = self.values.first()?;
        let ours = own.value?;
        let gap = round1((best - ours).abs());
        (name != &own.organisation && gap > 0.0).then_some((name.as_str(), gap))
    }
}

/// Compare the period `period` of `own` with the same period of each peer, indicator by
/// indicator in the order of [`CODES`]. Peers of another year have nothing in that period.
pub fn compare(own: &OpenDataSet, peers: &[OpenDataSet], period: &str) -> Vec<ComparisonRow> {
    let all: Vec<&OpenDataSet> = std::iter::once(own).chain(peers).collect();
    CODES
        .iter()
        .map(|code| {
            let mut unit = Unit::Count;
            let values: Vec<Compared> = all
                .iter()
                .map(|set| {
                    let found = set.indicator(period, code);
                    if let Some(i) = found {
                        unit = i.unit;
                    }
                    Compared {
                        organisation: set.organisation.name.clone(),
                        value: found.and_then(|i| i.value),
                        reason: match found {
                            Some(i) => i.reason.clone(),
                            None => Some("not in the file".into()),
                        },
                    }
                })
                .collect();
            let mut given: Vec<f64> = values.iter().filter_map(|v| v.value).collect();
            given.sort_by(f64::total_cmp);
            let median = match given.len() {
                0 => None,
                n if n % 2 == 1 => Some(given[n / 2]),
                n => Some(round1((given[n / 2 - 1] + given[n / 2]) / 2.0)),
            };
            let best = higher_is_better(code).and_then(|higher| {
                let better = |a: f64, b: f64| if higher { a > b } else { a < b };
                values.iter().filter_map(|v| v.value.map(|x| (v.organisation.clone(), x))).fold(None, |acc, (n, x)| {
                    match acc {
                        Some((_, b)) if !better(x, b) => acc,
                        _ => Some((n, x)),
                    }
                })
            });
            ComparisonRow { code: code.to_string(), unit, values, median, best }
        })
        .collect()
}

#[cfg(test)]
mod comparison_tests {
    use super::*;

    fn board(name: &str, year: i16, figures: &[(&str, u64, u64)]) -> OpenDataSet {
        let org = OrganisationRef { name: name.into(), code: organisation_code(name), inhabitants: 100_000 };
        let periods = Period::of_year(year)
            .into_iter()
            .map(|p| {
                let indicators = figures
                    .iter()
                    .map(|(code, n, d)| match *code {
                        "complaints_per_1000_inhabitants" => Indicator::per_thousand(code, *n, *d),
                        _ => Indicator::share(code, *n, *d),
                    })
                    .collect();
                PeriodFigures::new(p, indicators)
            })
            .collect();
        OpenDataSet::new(org, year, periods)
    }

    #[test]
    fn each_indicator_beside_the_peers_with_median_best_and_whom_to_learn_from() {
        let own = board(
            "Wij",
            2026,
            &[("norm_inhoudelijke_reactie", 80, 100), ("complaints_per_1000_inhabitants", 50, 100_000)],
        );
        let peers = [
            board(
                "Aa",
                2026,
                &[("norm_inhoudelijke_reactie", 90, 100), ("complaints_per_1000_inhabitants", 20, 100_000)],
            ),
            board(
                "Bb",
                2026,
                &[("norm_inhoudelijke_reactie", 3, 10), ("complaints_per_1000_inhabitants", 80, 100_000)],
            ),
            board("Cc", 2026, &[("norm_inhoudelijke_reactie", 70, 100)]),
            board("Dd", 2025, &[("norm_inhoudelijke_reactie", 99, 100)]),
        ];
        let rows = compare(&own, &peers, "2026");
        assert_eq!(rows.len(), CODES.len());
        let row = rows.iter().find(|r| r.code == "norm_inhoudelijke_reactie").unwrap();
        let values: Vec<Option<f64>> = row.values.iter().map(|v| v.value).collect();
        assert_eq!(values, [Some(80.0), Some(90.0), None, Some(70.0), None], "suppressed and other years give none");
        assert_eq!(row.values[2].reason.as_deref(), Some("numerator under 5"));
        assert_eq!(row.values[4].reason.as_deref(), Some("not in the file"));
        assert_eq!(row.median, Some(80.0));
        assert_eq!(row.best, Some(("Aa".to_string(), 90.0)));
        assert_eq!(row.learn_from(), Some(("Aa", 10.0)));

        let complaints = rows.iter().find(|r| r.code == "complaints_per_1000_inhabitants").unwrap();
        assert_eq!(complaints.best, Some(("Aa".to_string(), 0.2)), "fewer complaints is better");
        assert_eq!(complaints.median, Some(0.5), "the middle of 0.2, 0.5 and 0.8");
        let contacts = rows.iter().find(|r| r.code == "contacts_total").unwrap();
        assert_eq!((contacts.best.clone(), contacts.learn_from()), (None, None), "more contacts is no judgement");

        let alone = compare(&peers[0], &[], "2026");
        let best_self = alone.iter().find(|r| r.code == "norm_inhoudelijke_reactie").unwrap();
        assert_eq!(best_self.learn_from(), None, "nobody to learn from when we are the best");
        let even = compare(&own, &peers[..1], "2026");
        assert_eq!(even.iter().find(|r| r.code == "norm_inhoudelijke_reactie").unwrap().median, Some(85.0));
    }
}
