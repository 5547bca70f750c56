//! Service norms in the workspace (issue 15). `/werkplek/normen`: a beheerder sees every version
//! of the norm set and saves a new one from a day (today or later); bad input comes back with
//! the field named and nothing stored. `/werkplek/cijfers/normen`: team leads and beheerders see
//! the five categories of the seed, per week against the target as an SVG chart beside its
//! table, with a CSV download and the KCC's "vandaag" panel (docs/norms.md). Roles are checked by
//! the use cases.

use super::{Choice, Frame, Page, choices, error_page, with_notice};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_app::norm_dashboard::{Measure, NormDashboard, Unit};
use gastvrij_app::ports::NormFilter;
use gastvrij_domain::Invalid;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::customer::Segment;
use gastvrij_domain::norm_versions::{CASE_TYPE_FIELDS, EARLIEST, NormForm};
use jiff::civil::Date;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/normen", get(edit_page).post(save))
        .route("/werkplek/cijfers/normen", get(dashboard_page))
        .route("/werkplek/cijfers/normen.csv", get(csv))
}

/// A figure in Dutch notation with one decimal.
fn number(v: f64) -> String {
    format!("{v:.1}").replace('.', ",")
}

/// A target or value with its unit: "80%" or "7,5".
fn with_unit(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Percent if v.fract() == 0.0 => format!("{v:.0}%"),
        Unit::Percent => format!("{}%", number(v)),
        Unit::Grade => number(v),
    }
}

/// The unit of a term in Dutch, for a label: "weken", "werkdagen".
fn unit(t: gastvrij_domain::calendar::Term) -> &'static str {
    use gastvrij_domain::calendar::Term as T;
    match t {
        T::CalendarDays(_) => "kalenderdagen",
        T::Weeks(_) => "weken",
        T::WorkingDays(_) => "werkdagen",
        T::BusinessHours(_) => "kantooruren",
        T::ClockHours(_) => "uren",
    }
}

fn day(d: Date) -> String {
    format!("{}-{}-{}", d.day(), d.month(), d.year())
}

// ---------------------------------------------------------------------------------------------
// The editor.

/// One input of the form, with its error.
struct Field {
    name: &'static str,
    label: String,
    hint: String,
    value: String,
    error: Option<String>,
}

/// `templates/staff/norms/edit.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/norms/edit.html")]
struct EditPage {
    frame: Frame,
    notice: Option<String>,
    error: Option<String>,
    date: Field,
    groups: Vec<(&'static str, Vec<Field>)>,
    versions: Vec<VersionRow>,
    case_types: Vec<CaseTypeRow>,
}

struct VersionRow {
    from: String,
    until: String,
    phone: String,
    cases: String,
    grade: String,
    current: bool,
}

struct CaseTypeRow {
    case_type: &'static str,
    acknowledgement: String,
    service_norm: String,
    legal: String,
}

#[derive(Deserialize, Default)]
struct NoticeQuery {
    #[serde(default)]
    melding: Option<String>,
}

#[derive(Deserialize, Default)]
struct EditForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    form: NormForm,
}

/// One input of the form: field, label, hint.
type FieldLabel = (&'static str, &'static str, &'static str);

/// The labels of the form's fields, grouped by category.
const FIELDS: [(&str, &[FieldLabel]); 4] = [
    (
        "1 Bereikbaarheid (telefoon)",
        &[
            ("telefoon_seconden", "Opnemen binnen (seconden)", "Bijvoorbeeld 25."),
            ("telefoon_doel", "Doel: deel van de gesprekken op tijd (%)", "Bijvoorbeeld 80."),
        ],
    ),
    (
        "2 Reactietijd: ontvangst bevestigen per kanaal",
        &[
            ("email_dagen", "E-mail: bevestigen binnen (werkdagen)", ""),
            ("email_doel", "E-mail: doel (%)", ""),
            ("webformulier_dagen", "Webformulier: bevestigen binnen (werkdagen)", ""),
            ("webformulier_doel", "Webformulier: doel (%)", ""),
            ("brief_dagen", "Brief: bevestigen binnen (werkdagen)", ""),
            ("brief_doel", "Brief: doel (%)", ""),
            (
                "ruggespraak_dagen",
                "Ruggespraak: beantwoorden binnen (werkdagen)",
                "Een vraag van het KCC aan de backoffice. Bijvoorbeeld 1.",
            ),
            ("ruggespraak_doel", "Ruggespraak: doel (%)", ""),
        ],
    ),
    (
        "3 Behandeltermijn",
        &[(
            "zaken_doel",
            "Doel: deel van de zaken binnen de termijn (%)",
            "Geldt voor ontvangstbevestiging en afhandeling van zaken.",
        )],
    ),
    (
        "4 Beschikbaarheid informatie en 5 Gastvrijheid",
        &[
            ("geholpen_doel", "Doel: zoekvragen die eindigen op een antwoord dat hielp (%)", ""),
            ("beschikbaarheid_doel", "Doel: beschikbaarheid van de website (%)", "Bijvoorbeeld 99,5."),
            ("cijfer_doel", "Doel: gemiddeld klantcijfer (1 tot 10)", "Bijvoorbeeld 7,5."),
            ("opgelost_doel", "Doel: klanten van wie de vraag is opgelost (%)", ""),
        ],
    ),
];

fn value_of<'a>(f: &'a NormForm, name: &str) -> &'a str {
    if name.starts_with("servicenorm_") || name.starts_with("ontvangst_") {
        return f.case_type_field(name);
    }
    match name {
        "geldig_vanaf" => &f.geldig_vanaf,
        "telefoon_seconden" => &f.telefoon_seconden,
        "telefoon_doel" => &f.telefoon_doel,
        "email_dagen" => &f.email_dagen,
        "email_doel" => &f.email_doel,
        "webformulier_dagen" => &f.webformulier_dagen,
        "webformulier_doel" => &f.webformulier_doel,
        "brief_dagen" => &f.brief_dagen,
        "brief_doel" => &f.brief_doel,
        "ruggespraak_dagen" => &f.ruggespraak_dagen,
        "ruggespraak_doel" => &f.ruggespraak_doel,
        "zaken_doel" => &f.zaken_doel,
        "beschikbaarheid_doel" => &f.beschikbaarheid_doel,
        "geholpen_doel" => &f.geholpen_doel,
        "cijfer_doel" => &f.cijfer_doel,
        _ => &f.opgelost_doel,
    }
}

/// What is wrong with one field, in Dutch, naming it and how to fix it.
fn explain(label: &str, i: &Invalid) -> String {
    use gastvrij_domain::InvalidKind as K;
    let label = label.to_lowercase();
    match &i.kind {
        K::OutOfRange { min, max: Some(max) } => {
            format!("Vul bij \u{201c}{label}\u{201d} een getal van {min} tot en met {max} in.")
        }
        K::Described(_) if i.field.starts_with("servicenorm_") => format!(
            "De servicenorm bij \u{201c}{label}\u{201d} is langer dan de wettelijke termijn. Vul de wettelijke termijn of korter in."
        ),
        K::OutOfOrder { .. } => {
            "Kies vandaag of een latere dag. Een wijziging geldt niet voor dagen die al voorbij zijn.".into()
        }
        K::Malformed { .. } => format!("Vul bij \u{201c}{label}\u{201d} een datum in, zoals 2026-03-09."),
        _ => crate::wording::dutch_as(&format!("\u{201c}{label}\u{201d}"), i),
    }
}

async fn edit_page(State(s): State<AppState>, page: Page, Query(q): Query<NoticeQuery>) -> Response {
    render_edit(&s, &page, None, vec![], q.melding).await
}

async fn render_edit(
    s: &AppState,
    page: &Page,
    typed: Option<&NormForm>,
    errors: Vec<Invalid>,
    notice: Option<String>,
) -> Response {
    let who = &page.0.principal;
    let history = match s.app.norm_versions(who).await {
        Ok(h) => h,
        Err(e) => return error_page(&e),
    };
    let today = match s.app.norm_today() {
        Ok(t) => t,
        Err(e) => return error_page(&e),
    };
    let start = today.tomorrow().unwrap_or(today);
    let form = typed.cloned().unwrap_or_else(|| NormForm::of(history.valid_on(start), start));
    let field = |name: &'static str, label: String, hint: String| Field {
        name,
        value: value_of(&form, name).to_string(),
        error: errors.iter().find(|e| e.field == name).map(|e| explain(&label, e)),
        label,
        hint,
    };
    let date = field(
        "geldig_vanaf",
        "Geldig vanaf".into(),
        "Vandaag of later, bijvoorbeeld de eerste dag van volgende maand.".into(),
    );
    let mut groups: Vec<(&'static str, Vec<Field>)> = FIELDS
        .iter()
        .map(|(heading, fields)| {
            (*heading, fields.iter().map(|(n, l, h)| field(n, (*l).to_string(), (*h).to_string())).collect())
        })
        .collect();
    // The own terms per case type, in the unit of the version valid on the chosen day.
    let base = history.valid_on(form.geldig_vanaf.trim().parse::<Date>().unwrap_or(start));
    let mut own_terms = vec![];
    for (t, service, ack) in CASE_TYPE_FIELDS {
        let Some(n) = base.for_case_type(t) else { continue };
        let hint = match n.lead_time {
            Some(legal) => format!("Wettelijke termijn: {legal}. De servicenorm mag niet langer zijn."),
            None => "Geen wettelijke termijn.".into(),
        };
        own_terms.push(field(service, format!("{}: servicenorm ({})", t.label(), unit(n.service_norm)), hint));
        let ack_unit = unit(n.acknowledgement.unwrap_or(gastvrij_domain::calendar::Term::WorkingDays(1)));
        own_terms.push(field(
            ack,
            format!("{}: ontvangst bevestigen binnen ({ack_unit})", t.label()),
            "Leeg: geen ontvangstbevestiging beloofd.".into(),
        ));
    }
    groups.insert(3, ("3 Behandeltermijn: eigen termijnen per soort zaak", own_terms));
    let versions = history.versions();
    let current_start = history.version_start(today);
    let rows = versions
        .iter()
        .enumerate()
        .rev()
        .map(|(i, v)| {
            let phone = v.norms.phone();
            VersionRow {
                from: if v.valid_from == EARLIEST { "het begin (standaard)".into() } else { day(v.valid_from) },
                until: versions
                    .get(i + 1)
                    .and_then(|n| n.valid_from.yesterday().ok())
                    .map(day)
                    .unwrap_or_else(|| "nu".into()),
                phone: phone
                    .map(|p| format!("{}% binnen {} s", p.target_percent, p.answer_within_seconds.unwrap_or(25)))
                    .unwrap_or_default(),
                cases: format!("{}%", v.norms.case_target_percent),
                grade: number(v.norms.satisfaction_grade),
                current: v.valid_from == current_start,
            }
        })
        .collect();
    let norms = history.valid_on(today);
    let term = |t: Option<gastvrij_domain::calendar::Term>| t.map(|t| t.to_string()).unwrap_or_else(|| "—".into());
    let case_types = norms
        .case_types
        .iter()
        .map(|c| CaseTypeRow {
            case_type: c.case_type.label(),
            acknowledgement: term(c.acknowledgement),
            service_norm: term(Some(c.service_norm)),
            legal: term(c.lead_time),
        })
        .collect();
    let error = (!errors.is_empty()).then(|| {
        format!(
            "De normen zijn niet opgeslagen. Verbeter {} hieronder en sla opnieuw op.",
            if errors.len() == 1 { "het veld".to_string() } else { format!("de {} velden", errors.len()) }
        )
    });
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let view = EditPage { frame: page.frame("Normen"), notice, error, date, groups, versions: rows, case_types };
    (status, view).into_response()
}

async fn save(State(s): State<AppState>, page: Page, Form(f): Form<EditForm>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.save_norm_form(&page.0.principal, &f.form).await {
        Ok(Ok(v)) => Redirect::to(&with_notice(
            "/werkplek/normen",
            &format!("De normen zijn opgeslagen. Ze gelden vanaf {}.", day(v.valid_from)),
        ))
        .into_response(),
        Ok(Err(errors)) => render_edit(&s, &page, Some(&f.form), errors, None).await,
        Err(e) => error_page(&e),
    }
}

// ---------------------------------------------------------------------------------------------
// The dashboard.

#[derive(Deserialize, Default, Clone)]
struct FilterQuery {
    #[serde(default)]
    van: String,
    #[serde(default)]
    tot: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    onderwerp: String,
    #[serde(default)]
    kanaal: String,
    #[serde(default)]
    segment: String,
}

/// The period and filter asked for; the default period is the eight weeks up to today.
struct Asked {
    from: Date,
    to: Date,
    filter: NormFilter,
    /// The field at fault, with the Dutch message.
    error: Option<String>,
}

fn asked(q: &FilterQuery, today: Date) -> Asked {
    let monday = today - jiff::Span::new().days(today.weekday().to_monday_zero_offset());
    let default_from = monday - jiff::Span::new().weeks(7);
    let default_to = today.tomorrow().unwrap_or(today);
    let mut error = None;
    let mut date = |s: &str, default: Date, label: &str| {
        let s = s.trim();
        if s.is_empty() {
            return default;
        }
        s.parse::<Date>().unwrap_or_else(|_| {
            error = Some(format!("Vul bij \u{201c}{label}\u{201d} een datum in, zoals 2026-03-09."));
            default
        })
    };
    let from = date(&q.van, default_from, "van");
    // The form's "tot en met" day is inclusive; the period ends the day after.
    let to = date(&q.tot, today, "tot en met").tomorrow().unwrap_or(default_to);
    let (from, to) = if to <= from {
        error =
            Some("De dag bij \u{201c}tot en met\u{201d} ligt voor de dag bij \u{201c}van\u{201d}; draai ze om.".into());
        (default_from, default_to)
    } else {
        (from, to)
    };
    let filter = NormFilter {
        team: q.team.trim().parse().ok(),
        topic: q.onderwerp.trim().parse().ok(),
        channel: q.kanaal.trim().parse().ok(),
        segment: q.segment.trim().parse().ok(),
    };
    Asked { from, to, filter, error }
}

/// `templates/staff/norms/dashboard.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/norms/dashboard.html")]
struct DashboardPage {
    frame: Frame,
    error: Option<String>,
    van: String,
    tot: String,
    teams: Vec<Choice>,
    topics: Vec<Choice>,
    channels: Vec<Choice>,
    segments: Vec<Choice>,
    csv_link: String,
    period: String,
    version_from: String,
    categories: Vec<CategoryView>,
    channel_rows: Vec<ChannelRow>,
    today: TodayView,
}

struct CategoryView {
    id: String,
    heading: String,
    measures: Vec<MeasureView>,
}

struct MeasureView {
    label: String,
    value: String,
    target: String,
    verdict: &'static str,
    /// Late, at risk, open; only for cases and calls.
    counts: Option<(u64, u64, u64)>,
    base: u64,
    chart: Option<String>,
    weeks: Vec<(String, String, String, u64)>,
    measured: bool,
}

struct ChannelRow {
    channel: &'static str,
    acknowledgement: String,
    answer: String,
    late: u64,
    at_risk: u64,
}

struct TodayView {
    day: String,
    calls_offered: u64,
    answered: String,
    seconds: u32,
    abandoned: u64,
    contacts: u64,
    open_consults: u64,
}

fn verdict(m: &Measure) -> &'static str {
    match (m.measured, m.meets_target) {
        (false, _) => "nog niet gemeten",
        (true, None) => "geen metingen in deze periode",
        (true, Some(true)) => "gehaald",
        (true, Some(false)) => "niet gehaald",
    }
}

fn measure_view(m: &Measure) -> MeasureView {
    let value = match (m.measured, m.value) {
        (false, _) => "nog niet gemeten".to_string(),
        (true, None) => "—".to_string(),
        (true, Some(v)) => with_unit(v, m.unit),
    };
    let (min, max) = match m.unit {
        Unit::Percent => (0.0, 100.0),
        Unit::Grade => (0.0, 10.0),
    };
    let chart = (!m.weekly.is_empty()).then(|| {
        let values: Vec<Option<f64>> = m.weekly.iter().map(|w| w.value).collect();
        let targets: Vec<f64> = m.weekly.iter().map(|w| w.target).collect();
        crate::charts::columns_with_targets(&values, &targets, min, max)
    });
    MeasureView {
        label: m.label.clone(),
        value,
        target: with_unit(m.target, m.unit),
        verdict: verdict(m),
        counts: m.counts.map(|c| (c.late, c.at_risk, c.open)),
        base: m.base,
        chart,
        weeks: m
            .weekly
            .iter()
            .map(|w| {
                (
                    w.week.clone(),
                    w.value.map(|v| with_unit(v, m.unit)).unwrap_or_else(|| "—".into()),
                    with_unit(w.target, m.unit),
                    w.measured,
                )
            })
            .collect(),
        measured: m.measured,
    }
}

fn percent(v: Option<f64>) -> String {
    v.map(|v| with_unit(v, Unit::Percent)).unwrap_or_else(|| "—".into())
}

async fn load(s: &AppState, page: &Page, q: &FilterQuery) -> Result<(Asked, NormDashboard), AppError> {
    let today = s.app.norm_today()?;
    let asked = asked(q, today);
    let d = s.app.norm_dashboard(&page.0.principal, asked.from, asked.to, &asked.filter).await?;
    Ok((asked, d))
}

async fn dashboard_page(State(s): State<AppState>, page: Page, Query(q): Query<FilterQuery>) -> Response {
    let (asked, d) = match load(&s, &page, &q).await {
        Ok(x) => x,
        Err(e) => return error_page(&e),
    };
    let who = &page.0.principal;
    let (teams, topics) = match (s.app.teams(who).await, s.app.topics(who).await) {
        (Ok(t), Ok(o)) => (t, o),
        (Err(e), _) | (_, Err(e)) => return error_page(&e),
    };
    let id_or_empty = |v: Option<String>| v.unwrap_or_default();
    let mut team_choices = vec![("".to_string(), "Alle teams".to_string())];
    team_choices.extend(teams.iter().map(|t| (t.id.to_string(), t.name.clone())));
    let mut topic_choices = vec![("".to_string(), "Alle onderwerpen".to_string())];
    topic_choices.extend(topics.iter().map(|t| (t.id.to_string(), t.name.clone())));
    let mut channel_choices = vec![("".to_string(), "Alle kanalen".to_string())];
    channel_choices.extend(Channel::ALL.iter().map(|c| (c.code().to_string(), c.label().to_string())));
    let mut segment_choices = vec![("".to_string(), "Alle segmenten".to_string())];
    segment_choices.extend(Segment::ALL.iter().map(|s| (s.code().to_string(), s.code().to_string())));
    let last = d.to.yesterday().unwrap_or(d.to);
    let query = serde_urlencoded_pairs(&[
        ("van", d.from.to_string()),
        ("tot", last.to_string()),
        ("team", id_or_empty(asked.filter.team.map(|t| t.to_string()))),
        ("onderwerp", id_or_empty(asked.filter.topic.map(|t| t.to_string()))),
        ("kanaal", id_or_empty(asked.filter.channel.map(|c| c.code().to_string()))),
        ("segment", id_or_empty(asked.filter.segment.map(|s| s.code().to_string()))),
    ]);
    let view = DashboardPage {
        frame: page.frame("Servicenormen"),
        error: asked.error.clone(),
        van: d.from.to_string(),
        tot: last.to_string(),
        teams: choices(team_choices, &id_or_empty(asked.filter.team.map(|t| t.to_string()))),
        topics: choices(topic_choices, &id_or_empty(asked.filter.topic.map(|t| t.to_string()))),
        channels: choices(channel_choices, asked.filter.channel.map(|c| c.code()).unwrap_or("")),
        segments: choices(segment_choices, asked.filter.segment.map(|s| s.code()).unwrap_or("")),
        csv_link: format!("/werkplek/cijfers/normen.csv?{query}"),
        period: format!("{} tot en met {}", day(d.from), day(last)),
        version_from: if d.version_from == EARLIEST { "de standaard".into() } else { day(d.version_from) },
        categories: d
            .categories
            .iter()
            .map(|c| CategoryView {
                id: format!("categorie-{}", c.number),
                heading: format!("{} {}", c.number, c.label),
                measures: c.measures.iter().map(measure_view).collect(),
            })
            .collect(),
        channel_rows: d
            .channels
            .iter()
            .map(|c| ChannelRow {
                channel: c.channel.label(),
                acknowledgement: percent(c.acknowledgement_percent),
                answer: percent(c.answer_percent),
                late: c.acknowledgement.late + c.answer.late,
                at_risk: c.acknowledgement.at_risk + c.answer.at_risk,
            })
            .collect(),
        today: TodayView {
            day: day(d.today.day),
            calls_offered: d.today.calls_offered,
            answered: percent(d.today.answered_in_time_percent),
            seconds: d.today.answer_within_seconds,
            abandoned: d.today.calls_abandoned,
            contacts: d.today.contacts,
            open_consults: d.today.open_consults,
        },
    };
    let status = if asked.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (status, view).into_response()
}

fn serde_urlencoded_pairs(pairs: &[(&str, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// The dashboard's figures as CSV: one row per measure and week, then the totals (week
/// `totaal`). No personal data: only counts and shares.
async fn csv(State(s): State<AppState>, page: Page, Query(q): Query<FilterQuery>) -> Response {
    let (_, d) = match load(&s, &page, &q).await {
        Ok(x) => x,
        Err(e) => return error_page(&e),
    };
    let mut w = csv::Writer::from_writer(vec![]);
    let mut records: Vec<Vec<String>> = vec![
        ["category", "measure", "week", "value", "target", "measured", "late", "at_risk", "open"]
            .iter()
            .map(|h| h.to_string())
            .collect(),
    ];
    let opt = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_default();
    for c in &d.categories {
        for m in &c.measures {
            for wk in &m.weekly {
                records.push(vec![
                    c.number.to_string(),
                    m.key.clone(),
                    wk.week.clone(),
                    opt(wk.value),
                    format!("{:.2}", wk.target),
                    wk.measured.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
            let counts = |f: fn(&gastvrij_app::norms::Counts) -> u64| m.counts.as_ref().map(f).map(|n| n.to_string());
            records.push(vec![
                c.number.to_string(),
                m.key.clone(),
                "totaal".into(),
                if m.measured { opt(m.value) } else { "nog niet gemeten".into() },
                format!("{:.2}", m.target),
                m.base.to_string(),
                counts(|c| c.late).unwrap_or_default(),
                counts(|c| c.at_risk).unwrap_or_default(),
                counts(|c| c.open).unwrap_or_default(),
            ]);
        }
    }
    for rec in records {
        if let Err(e) = w.write_record(&rec) {
            return error_page(&AppError::Unexpected(e.into()));
        }
    }
    let body = w.into_inner().unwrap_or_default();
    let name = "attachment; filename=\"normen.csv\"".to_string();
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)], body)
        .into_response()
}
