//! Versions of the norm set: each valid from a day, so that a figure is always judged by the
//! norm that was valid on its day (a change today does not rejudge last month).
//!
//! The norm set in code ([`NormSet::water_board_default`], or the one the settings give) is the
//! first version: valid from [`EARLIEST`] until the first stored version. A beheerder adds
//! versions in the workspace (`/werkplek/normen`, [`NormForm`]) or from a TOML file
//! (`gastvrij norms import`, [`parse_toml`]); [`to_toml`] writes them back (docs/norms.md).

use crate::calendar::Term;
use crate::case::CaseType;
use crate::channel::Channel;
use crate::norms::NormSet;
use crate::{Format, Invalid, InvalidKind};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The first day the calendar knows: the version in code is valid from here.
pub const EARLIEST: Date = jiff::civil::date(1583, 1, 1);

/// The norm set valid from `valid_from` until the next version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NormVersion {
    pub valid_from: Date,
    pub norms: NormSet,
}

/// All versions, oldest first; the first is valid from [`EARLIEST`].
#[derive(Debug, Clone, PartialEq)]
pub struct NormHistory {
    versions: Vec<NormVersion>,
}

impl NormHistory {
    /// The history of `stored` versions, with `initial` (the set in code) valid before the first.
    pub fn new(initial: NormSet, mut stored: Vec<NormVersion>) -> Self {
        stored.sort_by_key(|v| v.valid_from);
        stored.dedup_by_key(|v| v.valid_from);
        if stored.first().is_none_or(|v| v.valid_from > EARLIEST) {
            stored.insert(0, NormVersion { valid_from: EARLIEST, norms: initial });
        }
        NormHistory { versions: stored }
    }

    /// The norm set valid on `day`: the newest version that starts on or before it.
    pub fn valid_on(&self, day: Date) -> &NormSet {
        let i = self.versions.partition_point(|v| v.valid_from <= day);
        &self.versions[i.saturating_sub(1)].norms
    }

    /// The day the version valid on `day` started.
    pub fn version_start(&self, day: Date) -> Date {
        let i = self.versions.partition_point(|v| v.valid_from <= day);
        self.versions[i.saturating_sub(1)].valid_from
    }

    pub fn versions(&self) -> &[NormVersion] {
        &self.versions
    }

    /// Whether `version` is already in the history exactly (same day, same norms): importing it
    /// again changes nothing.
    pub fn contains(&self, version: &NormVersion) -> bool {
        self.versions.iter().any(|v| v == version)
    }
}

impl NormSet {
    /// The rules every norm set keeps: percentages 0–100, a grade 1–10, phone seconds 1–3600,
    /// each case type and channel once.
    pub fn validate(&self) -> Result<(), Vec<Invalid>> {
        let mut errors = vec![];
        let percent = |field: &'static str, v: f64, errors: &mut Vec<Invalid>| {
            if !(0.0..=100.0).contains(&v) {
                errors.push(Invalid::new(field, InvalidKind::OutOfRange { min: 0, max: Some(100) }));
            }
        };
        if self.case_target_percent > 100 {
            errors.push(Invalid::new("case_target_percent", InvalidKind::OutOfRange { min: 0, max: Some(100) }));
        }
        if self.consultation_target_percent > 100 {
            errors
                .push(Invalid::new("consultation_target_percent", InvalidKind::OutOfRange { min: 0, max: Some(100) }));
        }
        percent("availability_percent", self.availability_percent, &mut errors);
        percent("solved_percent", self.solved_percent, &mut errors);
        percent("search_helped_percent", self.search_helped_percent, &mut errors);
        if !(1.0..=10.0).contains(&self.satisfaction_grade) {
            errors.push(Invalid::new("satisfaction_grade", InvalidKind::OutOfRange { min: 1, max: Some(10) }));
        }
        for (i, c) in self.channels.iter().enumerate() {
            if c.target_percent > 100 {
                errors.push(
                    Invalid::new("target_percent", InvalidKind::OutOfRange { min: 0, max: Some(100) })
                        .in_item("channels", i),
                );
            }
            if c.answer_within_seconds.is_some_and(|s| !(1..=3600).contains(&s)) {
                errors.push(
                    Invalid::new("answer_within_seconds", InvalidKind::OutOfRange { min: 1, max: Some(3600) })
                        .in_item("channels", i),
                );
            }
            if self.channels[..i].iter().any(|o| o.channel == c.channel) {
                errors.push(Invalid::new("channel", InvalidKind::Duplicate).in_item("channels", i));
            }
        }
        for (i, t) in self.case_types.iter().enumerate() {
            if self.case_types[..i].iter().any(|o| o.case_type == t.case_type) {
                errors.push(Invalid::new("case_type", InvalidKind::Duplicate).in_item("case_types", i));
            }
            if t.service_norm.count() == 0 {
                errors.push(
                    Invalid::new("service_norm", InvalidKind::OutOfRange { min: 1, max: None })
                        .in_item("case_types", i),
                );
            } else if let Some(legal) = t.lead_time
                && at_most(t.service_norm, legal) != Some(true)
            {
                let why = match at_most(t.service_norm, legal) {
                    Some(_) => format!(
                        "the service norm ({}) is longer than the legal term ({legal}) of {}; make it {legal} or shorter",
                        t.service_norm,
                        t.case_type.code()
                    ),
                    None => format!(
                        "the service norm ({}) cannot be compared with the legal term ({legal}) of {}; give it in \
                         weeks or calendar days",
                        t.service_norm,
                        t.case_type.code()
                    ),
                };
                errors.push(Invalid::new("service_norm", why).in_item("case_types", i));
            }
            if t.acknowledgement.is_some_and(|a| a.count() == 0) {
                errors.push(
                    Invalid::new("acknowledgement", InvalidKind::OutOfRange { min: 1, max: None })
                        .in_item("case_types", i),
                );
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// The case-type terms of a version against `legal` (the set in code): the same case types in
    /// the same order, and per case type only the organisation's own terms (the service norm and
    /// the acknowledgement) changed. The legal term, the urgent term, suspension, extension, the
    /// calendar and the basis follow the law and stay as in code. The fault is on `case_types`,
    /// naming the case type and field.
    pub fn check_legal_terms(&self, legal: &NormSet) -> Result<(), Invalid> {
        let types = |n: &NormSet| n.case_types.iter().map(|c| c.case_type).collect::<Vec<_>>();
        if types(self) != types(legal) {
            return Err(Invalid::new("case_types", InvalidKind::NotApplicable));
        }
        for (i, (own, law)) in self.case_types.iter().zip(&legal.case_types).enumerate() {
            let fixed = [
                ("lead_time", own.lead_time == law.lead_time),
                ("urgent", own.urgent == law.urgent),
                ("suspension_allowed", own.suspension_allowed == law.suspension_allowed),
                ("extension_allowed", own.extension_allowed == law.extension_allowed),
                ("extension_term", own.extension_term == law.extension_term),
                ("calendar", own.calendar == law.calendar),
                ("basis", own.basis == law.basis),
            ];
            if let Some((field, _)) = fixed.into_iter().find(|(_, same)| !same) {
                let why = format!(
                    "case_types[{i}].{field} of {} follows the law and cannot change; keep it as exported \
                     (only service_norm and acknowledgement may change)",
                    own.case_type.code()
                );
                return Err(Invalid::new("case_types", why));
            }
        }
        Ok(())
    }

    /// The phone norm (the channel with a number of seconds), if any.
    pub fn phone(&self) -> Option<&crate::norms::ChannelNorm> {
        self.channels.iter().find(|n| n.answer_within_seconds.is_some())
    }
}

/// Whether the term `own` is at most `legal`; `None` when the two cannot be compared (weeks and
/// calendar days compare by their days; otherwise only terms of the same kind compare).
pub fn at_most(own: Term, legal: Term) -> Option<bool> {
    let days = |t: Term| match t {
        Term::CalendarDays(n) => Some(u64::from(n)),
        Term::Weeks(n) => Some(7 * u64::from(n)),
        _ => None,
    };
    match (days(own), days(legal)) {
        (Some(a), Some(b)) => Some(a <= b),
        _ if std::mem::discriminant(&own) == std::mem::discriminant(&legal) => Some(own.count() <= legal.count()),
        _ => None,
    }
}

/// The form fields of the own terms per case type: the service norm (in the unit of the term in
/// force) and the acknowledgement (empty: none promised).
pub const CASE_TYPE_FIELDS: [(CaseType, &str, &str); 6] = [
    (CaseType::Vraag, "servicenorm_vraag", "ontvangst_vraag"),
    (CaseType::Klacht, "servicenorm_klacht", "ontvangst_klacht"),
    (CaseType::Melding, "servicenorm_melding", "ontvangst_melding"),
    (CaseType::Verzoek, "servicenorm_verzoek", "ontvangst_verzoek"),
    (CaseType::Vergunningaanvraag, "servicenorm_vergunningaanvraag", "ontvangst_vergunningaanvraag"),
    (CaseType::Bezwaar, "servicenorm_bezwaar", "ontvangst_bezwaar"),
];

/// The norm form of the workspace (`/werkplek/normen`), as typed. Field names are the form's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NormForm {
    #[serde(default)]
    pub geldig_vanaf: String,
    #[serde(default)]
    pub telefoon_seconden: String,
    #[serde(default)]
    pub telefoon_doel: String,
    #[serde(default)]
    pub email_dagen: String,
    #[serde(default)]
    pub email_doel: String,
    #[serde(default)]
    pub webformulier_dagen: String,
    #[serde(default)]
    pub webformulier_doel: String,
    #[serde(default)]
    pub brief_dagen: String,
    #[serde(default)]
    pub brief_doel: String,
    #[serde(default)]
    pub ruggespraak_dagen: String,
    #[serde(default)]
    pub ruggespraak_doel: String,
    #[serde(default)]
    pub zaken_doel: String,
    #[serde(default)]
    pub beschikbaarheid_doel: String,
    #[serde(default)]
    pub geholpen_doel: String,
    #[serde(default)]
    pub cijfer_doel: String,
    #[serde(default)]
    pub opgelost_doel: String,
    /// The own terms per case type, by field name of [`CASE_TYPE_FIELDS`].
    #[serde(flatten)]
    pub zaaktypen: BTreeMap<String, String>,
}

/// The written channels of the form: channel, field of its working days, field of its target.
const WRITTEN: [(Channel, &str, &str); 3] = [
    (Channel::Email, "email_dagen", "email_doel"),
    (Channel::Webformulier, "webformulier_dagen", "webformulier_doel"),
    (Channel::Brief, "brief_dagen", "brief_doel"),
];

fn number(s: &str) -> Option<f64> {
    s.trim().replace(',', ".").parse::<f64>().ok().filter(|v| v.is_finite())
}

fn show(v: f64) -> String {
    if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v}").replace('.', ",") }
}

impl NormForm {
    /// The form filled in with `norms`, to start from on day `from`.
    pub fn of(norms: &NormSet, from: Date) -> NormForm {
        let channel = |c: Channel| norms.channels.iter().find(|n| n.channel == c);
        let days = |c: Channel| {
            channel(c).and_then(|n| n.acknowledge_within).map(|t| t.count().to_string()).unwrap_or_default()
        };
        let target = |c: Channel| channel(c).map(|n| n.target_percent.to_string()).unwrap_or_default();
        let phone = norms.phone();
        NormForm {
            geldig_vanaf: from.to_string(),
            telefoon_seconden: phone.and_then(|p| p.answer_within_seconds).map(|s| s.to_string()).unwrap_or_default(),
            telefoon_doel: phone.map(|p| p.target_percent.to_string()).unwrap_or_default(),
            email_dagen: days(Channel::Email),
            email_doel: target(Channel::Email),
            webformulier_dagen: days(Channel::Webformulier),
            webformulier_doel: target(Channel::Webformulier),
            brief_dagen: days(Channel::Brief),
            brief_doel: target(Channel::Brief),
            ruggespraak_dagen: norms.consultation_answer_within.count().to_string(),
            ruggespraak_doel: norms.consultation_target_percent.to_string(),
            zaken_doel: norms.case_target_percent.to_string(),
            beschikbaarheid_doel: show(norms.availability_percent),
            geholpen_doel: show(norms.search_helped_percent),
            cijfer_doel: show(norms.satisfaction_grade),
            opgelost_doel: show(norms.solved_percent),
            zaaktypen: CASE_TYPE_FIELDS
                .iter()
                .filter_map(|(t, service, ack)| {
                    let n = norms.for_case_type(*t)?;
                    let ack_value = n.acknowledgement.map(|a| a.count().to_string()).unwrap_or_default();
                    Some([(service.to_string(), n.service_norm.count().to_string()), (ack.to_string(), ack_value)])
                })
                .flatten()
                .collect(),
        }
    }

    /// What was typed in a field of [`CASE_TYPE_FIELDS`].
    pub fn case_type_field(&self, name: &str) -> &str {
        self.zaaktypen.get(name).map_or("", String::as_str)
    }

    fn field(&self, name: &str) -> &str {
        match name {
            "email_dagen" => &self.email_dagen,
            "email_doel" => &self.email_doel,
            "webformulier_dagen" => &self.webformulier_dagen,
            "webformulier_doel" => &self.webformulier_doel,
            "brief_dagen" => &self.brief_dagen,
            _ => &self.brief_doel,
        }
    }

    /// The new version: `base` (the set valid on the chosen day) with the typed targets and
    /// thresholds. The day must be `today` or later: a change never rejudges the past.
    pub fn apply(&self, base: &NormSet, today: Date) -> Result<NormVersion, Vec<Invalid>> {
        let mut errors = vec![];
        let valid_from = match self.geldig_vanaf.trim().parse::<Date>() {
            Ok(d) if d < today => {
                errors.push(Invalid::new("geldig_vanaf", InvalidKind::OutOfOrder { after: "vandaag" }));
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(Invalid::malformed("geldig_vanaf", self.geldig_vanaf.trim(), Format::Date));
                None
            }
        };
        let mut whole = |field: &'static str, s: &str, min: i64, max: i64| -> Option<u32> {
            let v = s.trim().parse::<i64>().ok().filter(|v| (min..=max).contains(v));
            if v.is_none() {
                errors.push(Invalid::new(field, InvalidKind::OutOfRange { min, max: Some(max) }));
            }
            v.and_then(|v| u32::try_from(v).ok())
        };
        let mut norms = base.clone();
        let seconds = whole("telefoon_seconden", &self.telefoon_seconden, 1, 3600);
        let phone_target = whole("telefoon_doel", &self.telefoon_doel, 0, 100);
        let case_target = whole("zaken_doel", &self.zaken_doel, 0, 100);
        let consult_days = whole("ruggespraak_dagen", &self.ruggespraak_dagen, 1, 365);
        let consult_target = whole("ruggespraak_doel", &self.ruggespraak_doel, 0, 100);
        let mut written = vec![];
        for (channel, days, target) in WRITTEN {
            let d = whole(days, self.field(days), 0, 365);
            let t = whole(target, self.field(target), 0, 100);
            written.push((channel, d, t));
        }
        let mut decimal = |field: &'static str, s: &str, min: i64, max: i64| -> Option<f64> {
            let v = number(s).filter(|v| (min as f64..=max as f64).contains(v));
            if v.is_none() {
                errors.push(Invalid::new(field, InvalidKind::OutOfRange { min, max: Some(max) }));
            }
            v
        };
        let availability = decimal("beschikbaarheid_doel", &self.beschikbaarheid_doel, 0, 100);
        let helped = decimal("geholpen_doel", &self.geholpen_doel, 0, 100);
        let grade = decimal("cijfer_doel", &self.cijfer_doel, 1, 10);
        let solved = decimal("opgelost_doel", &self.opgelost_doel, 0, 100);
        // The own terms per case type, in the unit of the term in force; an empty acknowledgement
        // means none is promised.
        let mut own_terms = vec![];
        for (t, service_field, ack_field) in CASE_TYPE_FIELDS {
            let Some(n) = base.for_case_type(t) else { continue };
            let whole = |s: &str| s.trim().parse::<u32>().ok().filter(|v| (1..=999).contains(v));
            let service = whole(self.case_type_field(service_field));
            if service.is_none() {
                errors.push(Invalid::new(service_field, InvalidKind::OutOfRange { min: 1, max: Some(999) }));
            }
            let typed_ack = self.case_type_field(ack_field).trim();
            let ack = if typed_ack.is_empty() {
                Some(None)
            } else {
                let v = whole(typed_ack);
                if v.is_none() {
                    errors.push(Invalid::new(ack_field, InvalidKind::OutOfRange { min: 1, max: Some(999) }));
                }
                v.map(|v| Some(with_count(n.acknowledgement.unwrap_or(Term::WorkingDays(1)), v)))
            };
            if let (Some(service), Some(ack)) = (service, ack) {
                let service = with_count(n.service_norm, service);
                if let Some(legal) = n.lead_time
                    && at_most(service, legal) != Some(true)
                {
                    errors.push(Invalid::new(
                        service_field,
                        InvalidKind::Described(format!("longer than the legal term of {legal}")),
                    ));
                }
                own_terms.push((t, service, ack));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let pct = |v: Option<u32>| u8::try_from(v.unwrap_or(0)).unwrap_or(100);
        let channel = |norms: &mut NormSet, c: Channel| -> usize {
            if let Some(i) = norms.channels.iter().position(|n| n.channel == c) {
                return i;
            }
            norms.channels.push(crate::norms::ChannelNorm {
                channel: c,
                answer_within_seconds: None,
                acknowledge_within: None,
                target_percent: 0,
            });
            norms.channels.len() - 1
        };
        let phone = channel(&mut norms, Channel::Telefoon);
        norms.channels[phone].answer_within_seconds = seconds;
        norms.channels[phone].target_percent = pct(phone_target);
        for (c, days, target) in written {
            let i = channel(&mut norms, c);
            norms.channels[i].acknowledge_within = days.map(crate::calendar::Term::WorkingDays);
            norms.channels[i].target_percent = pct(target);
        }
        for (t, service, ack) in own_terms {
            if let Some(n) = norms.case_types.iter_mut().find(|n| n.case_type == t) {
                n.service_norm = service;
                n.acknowledgement = ack;
            }
        }
        norms.case_target_percent = pct(case_target);
        // The form counts working days; a term of another kind (from a norm file) is kept while
        // its number is left as it was.
        let days = consult_days.unwrap_or(1);
        if norms.consultation_answer_within.count() != days
            || matches!(norms.consultation_answer_within, Term::WorkingDays(_))
        {
            norms.consultation_answer_within = Term::WorkingDays(days);
        }
        norms.consultation_target_percent = pct(consult_target);
        norms.availability_percent = availability.unwrap_or_default();
        norms.search_helped_percent = helped.unwrap_or_default();
        norms.satisfaction_grade = grade.unwrap_or_default();
        norms.solved_percent = solved.unwrap_or_default();
        norms.validate()?;
        Ok(NormVersion { valid_from: valid_from.unwrap_or(today), norms })
    }
}

/// `term` with another number, of the same kind.
fn with_count(term: Term, n: u32) -> Term {
    match term {
        Term::CalendarDays(_) => Term::CalendarDays(n),
        Term::Weeks(_) => Term::Weeks(n),
        Term::WorkingDays(_) => Term::WorkingDays(n),
        Term::BusinessHours(_) => Term::BusinessHours(n),
        Term::ClockHours(_) => Term::ClockHours(n),
    }
}

/// The TOML file of `gastvrij norms import` and `export`: a list of versions.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct NormFile {
    #[serde(default)]
    version: Vec<FileVersion>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileVersion {
    /// `YYYY-MM-DD`, written as a string.
    valid_from: String,
    norms: NormSet,
}

/// Why a norm file was refused: where (line, when known; the version and field) and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{where_}: {message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct NormFileError {
    pub line: Option<usize>,
    /// `version[1].norms.channels[0].target_percent`, or empty when the whole file is wrong.
    pub where_: String,
    pub message: String,
}

/// Write `versions` as a norm file.
pub fn to_toml(versions: &[NormVersion]) -> String {
    let file = NormFile {
        version: versions
            .iter()
            .map(|v| FileVersion { valid_from: v.valid_from.to_string(), norms: v.norms.clone() })
            .collect(),
    };
    let body = toml::to_string(&file).unwrap_or_default();
    format!(
        "# Gastvrij norm set: each version is valid from its valid_from until the next one.\n\
         # Import with `gastvrij norms import FILE`; see docs/norms.md.\n\n{body}"
    )
}

/// Read a norm file: every version parsed and checked, or the first fault.
pub fn parse_toml(text: &str) -> Result<Vec<NormVersion>, NormFileError> {
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let file: NormFile = toml::from_str(text).map_err(|e| NormFileError {
        line: e.span().map(|s| line_of(s.start)),
        where_: String::new(),
        message: e.message().trim().replace('\n', " "),
    })?;
    if file.version.is_empty() {
        return Err(NormFileError {
            line: None,
            where_: "version".into(),
            message: "the file has no [[version]]; export one with `gastvrij norms export`".into(),
        });
    }
    let mut out: Vec<NormVersion> = vec![];
    for (i, v) in file.version.into_iter().enumerate() {
        let fault = |field: String, message: String| NormFileError {
            line: None,
            where_: format!("version[{i}]{field}"),
            message,
        };
        let valid_from = v.valid_from.trim().parse::<Date>().map_err(|_| {
            fault(".valid_from".into(), format!("`{}` is not a date; write it as \"YYYY-MM-DD\"", v.valid_from))
        })?;
        if out.iter().any(|o| o.valid_from == valid_from) {
            return Err(fault(".valid_from".into(), format!("{valid_from} is given twice; one version per day")));
        }
        if valid_from < EARLIEST {
            return Err(fault(".valid_from".into(), format!("{valid_from} is before {EARLIEST}")));
        }
        v.norms.validate().map_err(|errors| {
            let e = &errors[0];
            fault(format!(".norms.{}", e.path()), e.kind.to_string())
        })?;
        out.push(NormVersion { valid_from, norms: v.norms });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn with_phone_target(target: u8) -> NormSet {
        let mut n = NormSet::water_board_default();
        n.channels.iter_mut().find(|c| c.channel == Channel::Telefoon).unwrap().target_percent = target;
        n
    }

    #[test]
    fn each_day_is_judged_by_the_version_valid_on_it() {
        let history = NormHistory::new(
            NormSet::water_board_default(),
            vec![
                NormVersion { valid_from: date(2026, 6, 1), norms: with_phone_target(70) },
                NormVersion { valid_from: date(2026, 3, 1), norms: with_phone_target(85) },
            ],
        );
        let target = |d| history.valid_on(d).phone().unwrap().target_percent;
        assert_eq!(target(date(2026, 2, 28)), 80, "before the first stored version: the set in code");
        assert_eq!(target(date(2026, 3, 1)), 85, "from its first day");
        assert_eq!(target(date(2026, 5, 31)), 85);
        assert_eq!(target(date(2026, 6, 1)), 70);
        assert_eq!(target(date(9999, 12, 31)), 70);
        assert_eq!(target(EARLIEST), 80);
        assert_eq!(history.versions().len(), 3);
        assert_eq!(history.version_start(date(2026, 4, 1)), date(2026, 3, 1));
    }

    #[test]
    fn the_file_round_trips_and_names_the_fault() {
        let versions = vec![
            NormVersion { valid_from: EARLIEST, norms: NormSet::water_board_default() },
            NormVersion { valid_from: date(2026, 3, 1), norms: with_phone_target(85) },
        ];
        let text = to_toml(&versions);
        assert_eq!(parse_toml(&text).unwrap(), versions);

        let bad = text.replacen("target_percent = 85", "target_percent = 185", 1);
        let e = parse_toml(&bad).unwrap_err();
        assert!(e.to_string().contains("target_percent"), "{e}");

        let typo = text.replacen("case_target_percent", "case_target_procent", 1);
        let e = parse_toml(&typo).unwrap_err();
        assert!(e.line.is_some(), "{e}");
        assert!(e.to_string().contains("case_target_procent"), "{e}");

        let date = text.replacen("valid_from = \"2026-03-01\"", "valid_from = \"1 maart\"", 1);
        assert!(parse_toml(&date).unwrap_err().to_string().contains("version[1].valid_from"));
    }

    #[test]
    fn the_form_makes_a_version_from_today_on_and_refuses_bad_input() {
        let today = date(2026, 3, 9);
        let base = NormSet::water_board_default();
        let mut form = NormForm::of(&base, today);
        assert_eq!(form.apply(&base, today).unwrap(), NormVersion { valid_from: today, norms: base.clone() });

        form.telefoon_doel = "85".into();
        form.cijfer_doel = "7,8".into();
        form.ruggespraak_dagen = "2".into();
        form.ruggespraak_doel = "75".into();
        let v = form.apply(&base, today).unwrap();
        assert_eq!(v.norms.phone().unwrap().target_percent, 85);
        assert_eq!(v.norms.satisfaction_grade, 7.8);
        assert_eq!(v.norms.consultation_answer_within, Term::WorkingDays(2));
        assert_eq!(v.norms.consultation_target_percent, 75);

        let hours = NormSet { consultation_answer_within: Term::BusinessHours(4), ..base.clone() };
        let kept = NormForm::of(&hours, today).apply(&hours, today).unwrap();
        assert_eq!(kept.norms.consultation_answer_within, Term::BusinessHours(4), "left as it was");

        form.telefoon_doel = "185".into();
        form.geldig_vanaf = "2026-03-08".into();
        form.ruggespraak_dagen = "0".into();
        let fields: Vec<_> = form.apply(&base, today).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["geldig_vanaf", "telefoon_doel", "ruggespraak_dagen"]);
    }

    #[test]
    fn a_version_may_shorten_the_own_service_norm_but_not_beyond_the_legal_term_nor_change_the_law() {
        let code = NormSet::water_board_default();
        let klacht = code.case_types.iter().position(|c| c.case_type == CaseType::Klacht).unwrap();
        let mut own = code.clone();
        own.case_types[klacht].service_norm = Term::Weeks(4);
        own.case_types[klacht].acknowledgement = Some(Term::WorkingDays(2));
        assert_eq!(own.validate(), Ok(()));
        assert_eq!(own.check_legal_terms(&code), Ok(()), "the own terms may change");

        own.case_types[klacht].service_norm = Term::Weeks(7);
        let e = own.validate().unwrap_err().remove(0);
        assert_eq!(e.path(), format!("case_types[{klacht}].service_norm"));
        assert!(e.to_string().contains("longer than the legal term (6 weken) of klacht"), "{e}");
        own.case_types[klacht].service_norm = Term::CalendarDays(43);
        assert!(own.validate().is_err(), "43 days is longer than 6 weeks");
        own.case_types[klacht].service_norm = Term::WorkingDays(20);
        assert!(own.validate().unwrap_err()[0].to_string().contains("cannot be compared"));

        let mut law = code.clone();
        law.case_types[klacht].lead_time = Some(Term::Weeks(8));
        let e = law.check_legal_terms(&code).unwrap_err();
        assert_eq!(e.field, "case_types");
        assert!(e.to_string().contains(&format!("case_types[{klacht}].lead_time of klacht follows the law")), "{e}");
        let mut fewer = code.clone();
        fewer.case_types.pop();
        assert_eq!(fewer.check_legal_terms(&code).unwrap_err().field, "case_types");
    }

    #[test]
    fn the_form_sets_the_own_terms_per_case_type_in_the_unit_in_force() {
        let today = date(2026, 3, 9);
        let base = NormSet::water_board_default();
        let mut form = NormForm::of(&base, today);
        assert_eq!(form.case_type_field("servicenorm_klacht"), "6");
        assert_eq!(form.case_type_field("ontvangst_melding"), "", "no acknowledgement promised");
        form.zaaktypen.insert("servicenorm_klacht".into(), "4".into());
        form.zaaktypen.insert("ontvangst_vraag".into(), "".into());
        form.zaaktypen.insert("servicenorm_vraag".into(), "3".into());
        let v = form.apply(&base, today).unwrap();
        let of = |t| v.norms.for_case_type(t).unwrap().clone();
        assert_eq!(
            (of(CaseType::Klacht).service_norm, of(CaseType::Klacht).lead_time),
            (Term::Weeks(4), Some(Term::Weeks(6)))
        );
        assert_eq!(
            (of(CaseType::Vraag).service_norm, of(CaseType::Vraag).acknowledgement),
            (Term::WorkingDays(3), None)
        );
        assert_eq!(v.norms.check_legal_terms(&base), Ok(()));

        form.zaaktypen.insert("servicenorm_klacht".into(), "7".into());
        form.zaaktypen.insert("ontvangst_bezwaar".into(), "nul".into());
        let errors = form.apply(&base, today).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["servicenorm_klacht", "ontvangst_bezwaar"]);
        assert!(errors[0].to_string().contains("longer than the legal term of 6 weken"), "{}", errors[0]);
    }
}
