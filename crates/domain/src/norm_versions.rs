//! Versions of the norm set: each valid from a day, so that a figure is always judged by the
//! norm that was valid on its day (a change today does not rejudge last month).
//!
//! The norm set in code ([`NormSet::water_board_default`], or the one the settings give) is the
//! first version: valid from [`EARLIEST`] until the first stored version. A beheerder adds
//! versions in the workspace (`/werkplek/normen`, [`NormForm`]) or from a TOML file
//! (`gastvrij norms import`, [`parse_toml`]); [`to_toml`] writes them back (docs/norms.md).

use crate::channel::Channel;
use crate::norms::NormSet;
use crate::{Format, Invalid, InvalidKind};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

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
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// The phone norm (the channel with a number of seconds), if any.
    pub fn phone(&self) -> Option<&crate::norms::ChannelNorm> {
        self.channels.iter().find(|n| n.answer_within_seconds.is_some())
    }
}

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
    pub zaken_doel: String,
    #[serde(default)]
    pub beschikbaarheid_doel: String,
    #[serde(default)]
    pub geholpen_doel: String,
    #[serde(default)]
    pub cijfer_doel: String,
    #[serde(default)]
    pub opgelost_doel: String,
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
            zaken_doel: norms.case_target_percent.to_string(),
            beschikbaarheid_doel: show(norms.availability_percent),
            geholpen_doel: show(norms.search_helped_percent),
            cijfer_doel: show(norms.satisfaction_grade),
            opgelost_doel: show(norms.solved_percent),
        }
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
        norms.case_target_percent = pct(case_target);
        norms.availability_percent = availability.unwrap_or_default();
        norms.search_helped_percent = helped.unwrap_or_default();
        norms.satisfaction_grade = grade.unwrap_or_default();
        norms.solved_percent = solved.unwrap_or_default();
        norms.validate()?;
        Ok(NormVersion { valid_from: valid_from.unwrap_or(today), norms })
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
        let v = form.apply(&base, today).unwrap();
        assert_eq!(v.norms.phone().unwrap().target_percent, 85);
        assert_eq!(v.norms.satisfaction_grade, 7.8);

        form.telefoon_doel = "185".into();
        form.geldig_vanaf = "2026-03-08".into();
        let fields: Vec<_> = form.apply(&base, today).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["geldig_vanaf", "telefoon_doel"]);
    }
}
