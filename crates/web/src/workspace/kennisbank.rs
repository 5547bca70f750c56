//! The editors' workspace of the kennisbank (`/werkplek/kennisbank`, issue 16): a list with
//! filters and the drafts from ruggespraak waiting for work; per article an editor for the VAC
//! fields with the plain-language check of the public answer ("Controleer"), the workflow buttons
//! (concept → ter beoordeling → intern/openbaar → gearchiveerd, approved by another editor than
//! the last one who edited the text) and the versions with their differences; and the synonym
//! list. Plain forms, no JavaScript. Redacteuren and beheerders only (the use cases check the
//! role; docs/kennisbank-editors.md).

use super::{Choice, Frame, Page, Saved, choices, error_page, explain, status_of};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::kennisbank::topic_path;
use gastvrij_app::ports::{ArticleOrder, ArticleQuery};
use gastvrij_app::{AppError, Page as Paging};
use gastvrij_domain::audit::Actor;
use gastvrij_domain::ids::{ArticleId, TeamId, TopicId};
use gastvrij_domain::kennisbank::{Article, ArticleInput, ArticleStatus, is_approval, last_editor};
use gastvrij_domain::plain_language::PlainLanguageReport;
use gastvrij_domain::team::Role;
use gastvrij_domain::{Format, Invalid, InvalidKind};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/kennisbank", get(list))
        .route("/werkplek/kennisbank/nieuw", get(new_article).post(create))
        .route("/werkplek/kennisbank/synoniemen", get(synonyms).post(save_synonyms))
        .route("/werkplek/kennisbank/{id}", get(edit).post(save))
        .route("/werkplek/kennisbank/{id}/status", post(change_status))
        .route("/werkplek/kennisbank/{id}/versies", get(versions))
}

/// Articles per page of the list.
const PER_PAGE: u32 = 25;
/// The drafts from ruggespraak shown above the list.
const WAITING: u32 = 20;

// ---- The list -------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    onderwerp: String,
    /// `1`: only articles past their review date.
    #[serde(default)]
    herzien: String,
    /// `recent` (default), `meest_gebruikt` or `minst_geholpen`.
    #[serde(default)]
    volgorde: String,
    #[serde(default)]
    pagina: String,
}

/// The orders of the list: (value in the link, label, order).
const ORDERS: [(&str, &str, ArticleOrder); 3] = [
    ("recent", "Laatst gewijzigd eerst", ArticleOrder::Recent),
    ("meest_gebruikt", "Meest gebruikt eerst", ArticleOrder::MostUsed),
    ("minst_geholpen", "Minst geholpen eerst (alleen met 'niet geholpen')", ArticleOrder::LeastHelpful),
];

/// A row of the list or of "wacht op werk".
struct Row {
    id: ArticleId,
    title: String,
    status: &'static str,
    topic: String,
    review: String,
    review_due: bool,
    uses: i64,
    helped: i64,
    not_helped: i64,
    updated: String,
}

/// `templates/staff/kennisbank/list.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/kennisbank/list.html")]
struct ListPage {
    frame: Frame,
    error: Option<String>,
    waiting: Vec<Row>,
    rows: Vec<Row>,
    statuses: Vec<Choice>,
    topics: Vec<Choice>,
    orders: Vec<Choice>,
    review_due: bool,
    page_number: u32,
    previous: Option<String>,
    next: Option<String>,
}

/// The list's query as understood, or what is wrong with it.
struct Filters {
    status: Option<ArticleStatus>,
    topic: Option<TopicId>,
    review_due: bool,
    order: ArticleOrder,
    page: u32,
}

fn filters(q: &ListQuery) -> Result<Filters, Invalid> {
    let status = match q.status.trim() {
        "" => None,
        s => Some(s.parse::<ArticleStatus>()?),
    };
    let topic = match q.onderwerp.trim() {
        "" => None,
        t => Some(t.parse::<TopicId>().map_err(|_| Invalid::unknown_id("topic_id", t))?),
    };
    let order = match q.volgorde.trim() {
        "" => ArticleOrder::Recent,
        o => ORDERS.iter().find(|(v, _, _)| *v == o).map(|(_, _, order)| *order).ok_or_else(|| {
            let allowed = ORDERS.iter().map(|(v, _, _)| v.to_string()).collect();
            Invalid::new("volgorde", InvalidKind::Unknown { given: o.to_string(), allowed })
        })?,
    };
    let page = match q.pagina.trim() {
        "" => 1,
        p => p
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or_else(|| Invalid::new("pagina", InvalidKind::OutOfRange { min: 1, max: Some(10_000) }))?,
    };
    Ok(Filters { status, topic, review_due: q.herzien == "1", order, page })
}

/// The list's link with these filters on page `page`.
fn list_link(f: &Filters, order_code: &str, page: u32) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    if let Some(s) = f.status {
        q.append_pair("status", s.code());
    }
    if let Some(t) = f.topic {
        q.append_pair("onderwerp", &t.to_string());
    }
    if f.review_due {
        q.append_pair("herzien", "1");
    }
    q.append_pair("volgorde", order_code);
    q.append_pair("pagina", &page.to_string());
    format!("/werkplek/kennisbank?{}", q.finish())
}

fn row(s: &AppState, topics: &[gastvrij_domain::topic::Topic], today: jiff::civil::Date, a: &Article) -> Row {
    Row {
        id: a.id,
        title: a.title.clone(),
        status: a.status.label(),
        topic: a.topic_id.map(|t| topic_path(topics, t)).unwrap_or_default(),
        review: a.review_date.map(|d| format!("{}-{}-{}", d.day(), d.month(), d.year())).unwrap_or_default(),
        review_due: a.needs_review(today),
        uses: a.usage_count,
        helped: a.helped,
        not_helped: a.not_helped,
        updated: s.app.local_time(a.updated_at),
    }
}

async fn list(State(s): State<AppState>, page: Page, Query(q): Query<ListQuery>) -> Response {
    let who = &page.0.principal;
    let waiting_query = ArticleQuery {
        status: Some(ArticleStatus::Concept),
        from_consultation: true,
        page: Paging::first(WAITING),
        ..Default::default()
    };
    // The role is checked here first: a refused role sees the refusal page, not an empty list.
    let waiting = match s.app.articles(who, &waiting_query).await {
        Ok(w) => w,
        Err(e) => return error_page(&e),
    };
    let topics = s.app.topics(who).await.unwrap_or_default();
    let today = s.app.local_date(s.app.now());
    let parsed = filters(&q);
    let (rows, more, error) = match &parsed {
        Ok(f) => {
            let query = ArticleQuery {
                status: f.status,
                topic_id: f.topic,
                order: f.order,
                page: Paging { limit: PER_PAGE + 1, offset: (f.page - 1) * PER_PAGE },
                ..Default::default()
            };
            match s.app.editor_articles(who, query, f.review_due).await {
                Ok(mut list) => {
                    let more = list.len() > PER_PAGE as usize;
                    list.truncate(PER_PAGE as usize);
                    (list, more, None)
                }
                Err(e) => return error_page(&e),
            }
        }
        Err(i) => (vec![], false, Some(AppError::Invalid(i.clone()))),
    };
    let order_code = ORDERS.iter().find(|(v, _, _)| *v == q.volgorde.trim()).map(|(v, _, _)| *v).unwrap_or("recent");
    let (previous, next, page_number) = match &parsed {
        Ok(f) => (
            (f.page > 1).then(|| list_link(f, order_code, f.page - 1)),
            more.then(|| list_link(f, order_code, f.page + 1)),
            f.page,
        ),
        Err(_) => (None, None, 1),
    };
    let mut topic_items: Vec<(String, String)> =
        topics.iter().map(|t| (t.id.to_string(), topic_path(&topics, t.id))).collect();
    topic_items.sort_by(|a, b| a.1.cmp(&b.1));
    let view = ListPage {
        frame: page.frame("Kennisbank"),
        error: error.as_ref().map(|e| explain(e, Saved::Nothing)),
        waiting: waiting.iter().map(|a| row(&s, &topics, today, a)).collect(),
        rows: rows.iter().map(|a| row(&s, &topics, today, a)).collect(),
        statuses: choices(
            std::iter::once(("", "Alle")).chain(ArticleStatus::ALL.iter().map(|s| (s.code(), s.label()))),
            q.status.trim(),
        ),
        topics: choices(std::iter::once((String::new(), "Alle".to_string())).chain(topic_items), q.onderwerp.trim()),
        orders: choices(ORDERS.iter().map(|(v, l, _)| (*v, *l)), order_code),
        review_due: q.herzien == "1",
        page_number,
        previous,
        next,
    };
    let status = error.as_ref().map(status_of).unwrap_or(StatusCode::OK);
    (status, view).into_response()
}

// ---- The editor -----------------------------------------------------------------------------

/// The editor's fields as typed (names of the form).
#[derive(Default, Clone)]
struct Fields {
    titel: String,
    vraag: String,
    antwoord: String,
    openbaar: String,
    trefwoorden: String,
    onderwerp: String,
    teams: Vec<String>,
    publiceren: String,
    archiveren: String,
    herzien: String,
    /// The version the form was opened on (empty for a new article).
    versie: String,
}

impl Fields {
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let value = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default();
        Fields {
            titel: value("titel"),
            vraag: value("vraag"),
            antwoord: value("antwoord"),
            openbaar: value("openbaar"),
            trefwoorden: value("trefwoorden"),
            onderwerp: value("onderwerp"),
            teams: pairs.iter().filter(|(k, _)| k == "teams").map(|(_, v)| v.clone()).collect(),
            publiceren: value("publiceren"),
            archiveren: value("archiveren"),
            herzien: value("herzien"),
            versie: value("versie"),
        }
    }

    fn from_article(s: &AppState, a: &Article) -> Self {
        let day = |t: Option<jiff::Timestamp>| t.map(|t| s.app.local_date(t).to_string()).unwrap_or_default();
        Fields {
            titel: a.title.clone(),
            vraag: a.question.clone(),
            antwoord: a.answer.clone(),
            openbaar: a.public_answer.clone().unwrap_or_default(),
            trefwoorden: a.keywords.join("\n"),
            onderwerp: a.topic_id.map(|t| t.to_string()).unwrap_or_default(),
            teams: a.owning_teams.iter().map(|t| t.to_string()).collect(),
            publiceren: day(a.publish_at),
            archiveren: day(a.archive_at),
            herzien: a.review_date.map(|d| d.to_string()).unwrap_or_default(),
            versie: a.version.to_string(),
        }
    }

    /// The input for the use case; every field that cannot be read is named. Audience and
    /// related articles are not on the page: they stay as stored.
    fn input(&self, s: &AppState, stored: Option<&Article>) -> Result<ArticleInput, Vec<Invalid>> {
        let mut wrong = vec![];
        let mut date = |field: &'static str, v: &str| -> Option<jiff::civil::Date> {
            let v = v.trim();
            if v.is_empty() {
                return None;
            }
            v.parse::<jiff::civil::Date>().map_err(|_| wrong.push(Invalid::malformed(field, v, Format::Date))).ok()
        };
        let publish = date("publish_at", &self.publiceren);
        let archive = date("archive_at", &self.archiveren);
        let review = date("review_date", &self.herzien);
        let topic = match self.onderwerp.trim() {
            "" => None,
            t => t.parse::<TopicId>().map_err(|_| wrong.push(Invalid::unknown_id("topic_id", t))).ok(),
        };
        let mut teams = vec![];
        for t in &self.teams {
            match t.parse::<TeamId>() {
                Ok(t) => teams.push(t),
                Err(_) => wrong.push(Invalid::unknown_id("owning_teams", t)),
            }
        }
        if !wrong.is_empty() {
            return Err(wrong);
        }
        let public = self.openbaar.trim();
        Ok(ArticleInput {
            external_id: None,
            title: self.titel.clone(),
            question: self.vraag.clone(),
            answer: self.antwoord.clone(),
            public_answer: (!public.is_empty()).then(|| self.openbaar.clone()),
            audience: stored.map(|a| a.audience.clone()).unwrap_or_default(),
            keywords: self.trefwoorden.lines().map(str::trim).filter(|k| !k.is_empty()).map(str::to_string).collect(),
            owning_teams: teams,
            related: stored.map(|a| a.related.clone()).unwrap_or_default(),
            topic_id: topic,
            review_date: review,
            publish_at: publish.map(|d| s.app.start_of_local_day(d)),
            archive_at: archive.map(|d| s.app.start_of_local_day(d)),
        })
    }
}

/// The form's id of a field the domain names; `None` for a field that is not on the form.
fn form_id(field: &str) -> Option<&'static str> {
    Some(match field {
        "title" => "titel",
        "question" => "vraag",
        "answer" => "antwoord",
        "public_answer" => "openbaar",
        "keywords" => "trefwoorden",
        "topic_id" => "onderwerp",
        "owning_teams" => "teams",
        "publish_at" => "publiceren",
        "archive_at" => "archiveren",
        "review_date" => "herzien",
        _ => return None,
    })
}

/// The message per field of the editor (`None`: fine).
#[derive(Default)]
struct FieldErrors {
    titel: Option<String>,
    vraag: Option<String>,
    antwoord: Option<String>,
    openbaar: Option<String>,
    trefwoorden: Option<String>,
    onderwerp: Option<String>,
    teams: Option<String>,
    publiceren: Option<String>,
    archiveren: Option<String>,
    herzien: Option<String>,
}

impl FieldErrors {
    fn slot(&mut self, id: &str) -> Option<&mut Option<String>> {
        Some(match id {
            "titel" => &mut self.titel,
            "vraag" => &mut self.vraag,
            "antwoord" => &mut self.antwoord,
            "openbaar" => &mut self.openbaar,
            "trefwoorden" => &mut self.trefwoorden,
            "onderwerp" => &mut self.onderwerp,
            "teams" => &mut self.teams,
            "publiceren" => &mut self.publiceren,
            "archiveren" => &mut self.archiveren,
            "herzien" => &mut self.herzien,
            _ => return None,
        })
    }
}

/// One line of the error summary: the message and the field it links to (`None`: the form).
struct Problem {
    target: Option<&'static str>,
    message: String,
}

/// A workflow button.
struct Transition {
    status: &'static str,
    label: &'static str,
    approval: bool,
}

fn transition_label(from: ArticleStatus, to: ArticleStatus) -> &'static str {
    use ArticleStatus::*;
    match (from, to) {
        (_, TerBeoordeling) => "Stuur ter beoordeling",
        (_, Concept) => "Terug naar concept",
        (TerBeoordeling, Intern) => "Keur goed: intern (alleen voor medewerkers)",
        (TerBeoordeling, Openbaar) => "Keur goed: openbaar (ook op de website)",
        (_, Openbaar) => "Zet op de website (openbaar)",
        (_, Intern) => "Haal van de website (intern)",
        (_, Gearchiveerd) => "Archiveer",
    }
}

/// `templates/staff/kennisbank/edit.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/kennisbank/edit.html")]
struct EditPage {
    frame: Frame,
    /// Where the form posts.
    action: String,
    /// `None` for a new article.
    id: Option<ArticleId>,
    status: &'static str,
    version: i64,
    last_editor: Option<String>,
    /// The viewer edited the text last: approvals go to another editor.
    edited_by_me: bool,
    from_consultation: bool,
    uses: i64,
    helped: i64,
    not_helped: i64,
    notice: Option<String>,
    problems: Vec<Problem>,
    errors: FieldErrors,
    status_error: Option<String>,
    fields: Fields,
    topics: Vec<Choice>,
    teams: Vec<(String, String, bool)>,
    transitions: Vec<Transition>,
    report: Option<PlainLanguageReport>,
}

/// What the editor shows besides the stored article.
#[derive(Default)]
struct Shown {
    /// `None`: the stored article's fields.
    fields: Option<Fields>,
    /// Fields the page could not read, or the use case's refusal.
    invalid: Vec<Invalid>,
    error: Option<AppError>,
    status_error: Option<AppError>,
    notice: Option<String>,
    /// Show the plain-language check of the public answer.
    check: bool,
}

/// The name of who made a version.
fn actor_name(employees: &[gastvrij_domain::team::Employee], actor: Actor) -> String {
    match actor {
        Actor::Employee(id) => {
            employees.iter().find(|e| e.id == id).map(|e| e.name.clone()).unwrap_or_else(|| "een oud-medewerker".into())
        }
        Actor::Operator => "beheer".into(),
        Actor::System => "Gastvrij (automatisch)".into(),
        Actor::Public => "publiek".into(),
    }
}

async fn render_editor(s: &AppState, page: &Page, stored: Option<&Article>, shown: Shown) -> Response {
    let who = &page.0.principal;
    // The role first: a refused role sees the refusal page (the versions are for editors).
    let versions = match stored {
        Some(a) => match s.app.article_versions(who, a.id).await {
            Ok(v) => v,
            Err(e) => return error_page(&e),
        },
        None => {
            if let Err(e) = who.require(&[Role::Redacteur]) {
                return error_page(&e);
            }
            vec![]
        }
    };
    let employees = s.app.employees(who).await.unwrap_or_default();
    let topics = s.app.topics(who).await.unwrap_or_default();
    let teams = s.app.teams(who).await.unwrap_or_default();
    let fields = shown.fields.clone().unwrap_or_else(|| stored.map(|a| Fields::from_article(s, a)).unwrap_or_default());
    let mut errors = FieldErrors::default();
    let mut problems = vec![];
    let mut invalid = shown.invalid;
    let mut general = None;
    match &shown.error {
        Some(AppError::Invalid(i)) => invalid.push(i.clone()),
        Some(e) => general = Some(explain(e, Saved::Nothing)),
        None => {}
    }
    for i in &invalid {
        let message = crate::wording::dutch(i);
        let target = form_id(i.field);
        if let Some(slot) = target.and_then(|t| errors.slot(t)) {
            *slot = Some(message.clone());
        }
        problems.push(Problem { target, message });
    }
    if let Some(g) = general {
        problems.push(Problem { target: None, message: g });
    }
    let editor = last_editor(&versions);
    let edited_by_me = matches!(who.actor, Actor::Employee(_)) && editor == Some(who.actor);
    let report = if shown.check && !fields.openbaar.trim().is_empty() {
        s.app.check_plain_language(who, &fields.openbaar).ok()
    } else {
        None
    };
    let mut topic_items: Vec<(String, String)> =
        topics.iter().map(|t| (t.id.to_string(), topic_path(&topics, t.id))).collect();
    topic_items.sort_by(|a, b| a.1.cmp(&b.1));
    let status = shown.error.as_ref().or(shown.status_error.as_ref()).map(status_of).unwrap_or(if invalid.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    });
    let view = EditPage {
        frame: page.frame(match stored {
            Some(a) => format!("Artikel: {}", a.title),
            None => "Nieuw artikel".into(),
        }),
        action: match stored {
            Some(a) => format!("/werkplek/kennisbank/{}", a.id),
            None => "/werkplek/kennisbank/nieuw".into(),
        },
        id: stored.map(|a| a.id),
        status: stored.map(|a| a.status.label()).unwrap_or("Nieuw (wordt concept)"),
        version: stored.map(|a| a.version).unwrap_or(0),
        last_editor: editor.map(|a| actor_name(&employees, a)),
        edited_by_me,
        from_consultation: stored.is_some_and(|a| a.from_consultation.is_some()),
        uses: stored.map(|a| a.usage_count).unwrap_or(0),
        helped: stored.map(|a| a.helped).unwrap_or(0),
        not_helped: stored.map(|a| a.not_helped).unwrap_or(0),
        notice: shown.notice,
        problems,
        errors,
        status_error: shown.status_error.as_ref().map(|e| explain(e, Saved::Nothing)),
        topics: choices(std::iter::once((String::new(), "Geen".to_string())).chain(topic_items), &fields.onderwerp),
        teams: teams
            .iter()
            .map(|t| (t.id.to_string(), t.name.clone(), fields.teams.contains(&t.id.to_string())))
            .collect(),
        transitions: stored
            .map(|a| {
                ArticleStatus::ALL
                    .iter()
                    .filter(|n| a.status.can_become(**n))
                    .map(|n| Transition {
                        status: n.code(),
                        label: transition_label(a.status, *n),
                        approval: is_approval(a.status, *n),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        report,
        fields,
    };
    (status, view).into_response()
}

/// The article a link names; a link that names none answers 404.
async fn stored(s: &AppState, page: &Page, id: &str) -> Result<Article, Response> {
    let Ok(id) = id.parse::<ArticleId>() else { return Err(error_page(&AppError::NotFound("article"))) };
    s.app.article(&page.0.principal, id).await.map_err(|e| error_page(&e))
}

#[derive(Deserialize, Default)]
struct EditQuery {
    #[serde(default)]
    opgeslagen: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

async fn new_article(State(s): State<AppState>, page: Page) -> Response {
    render_editor(&s, &page, None, Shown::default()).await
}

async fn edit(State(s): State<AppState>, page: Page, Path(id): Path<String>, Query(q): Query<EditQuery>) -> Response {
    let article = match stored(&s, &page, &id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let notice = match (&q.opgeslagen, &q.status) {
        (Some(_), _) => Some(format!("Opgeslagen als versie {}.", article.version)),
        (_, Some(_)) => Some(format!("De status is nu: {}.", article.status.label())),
        _ => None,
    };
    // After a save the check of the saved public answer is shown.
    let check = q.opgeslagen.is_some();
    render_editor(&s, &page, Some(&article), Shown { notice, check, ..Default::default() }).await
}

/// `controleer` (check the public answer, nothing saved) or `opslaan`.
fn action_of(pairs: &[(String, String)]) -> &str {
    pairs.iter().find(|(k, _)| k == "actie").map(|(_, v)| v.as_str()).unwrap_or("opslaan")
}

fn csrf_of(pairs: &[(String, String)]) -> &str {
    pairs.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or("")
}

async fn create(State(s): State<AppState>, page: Page, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(csrf_of(&pairs)) {
        return r;
    }
    let fields = Fields::from_pairs(&pairs);
    if action_of(&pairs) == "controleer" {
        return render_editor(&s, &page, None, Shown { fields: Some(fields), check: true, ..Default::default() }).await;
    }
    let input = match fields.input(&s, None) {
        Ok(i) => i,
        Err(invalid) => {
            return render_editor(&s, &page, None, Shown { fields: Some(fields), invalid, ..Default::default() }).await;
        }
    };
    match s.app.create_article(&page.0.principal, input).await {
        Ok(a) => Redirect::to(&format!("/werkplek/kennisbank/{}?opgeslagen=1", a.id)).into_response(),
        Err(e) => {
            render_editor(&s, &page, None, Shown { fields: Some(fields), error: Some(e), ..Default::default() }).await
        }
    }
}

async fn save(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(csrf_of(&pairs)) {
        return r;
    }
    let article = match stored(&s, &page, &id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let fields = Fields::from_pairs(&pairs);
    if action_of(&pairs) == "controleer" {
        let shown = Shown { fields: Some(fields), check: true, ..Default::default() };
        return render_editor(&s, &page, Some(&article), shown).await;
    }
    if fields.versie.trim() != article.version.to_string() {
        // Someone saved a newer version since this form was opened: keep what was typed.
        let e = AppError::Conflict(format!("article {} is at version {}", article.id, article.version));
        return render_editor(
            &s,
            &page,
            Some(&article),
            Shown { fields: Some(fields), error: Some(e), ..Default::default() },
        )
        .await;
    }
    let input = match fields.input(&s, Some(&article)) {
        Ok(i) => i,
        Err(invalid) => {
            let shown = Shown { fields: Some(fields), invalid, ..Default::default() };
            return render_editor(&s, &page, Some(&article), shown).await;
        }
    };
    match s.app.update_article(&page.0.principal, article.id, input).await {
        Ok(a) => Redirect::to(&format!("/werkplek/kennisbank/{}?opgeslagen=1", a.id)).into_response(),
        Err(e) => {
            render_editor(
                &s,
                &page,
                Some(&article),
                Shown { fields: Some(fields), error: Some(e), ..Default::default() },
            )
            .await
        }
    }
}

#[derive(Deserialize)]
struct StatusForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
}

async fn change_status(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Form(f): Form<StatusForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let article = match stored(&s, &page, &id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let result = match f.status.parse::<ArticleStatus>() {
        Ok(next) => s.app.change_article_status(&page.0.principal, article.id, next).await,
        Err(i) => Err(i.into()),
    };
    match result {
        Ok(a) => Redirect::to(&format!("/werkplek/kennisbank/{}?status={}", a.id, a.status.code())).into_response(),
        Err(e) => render_editor(&s, &page, Some(&article), Shown { status_error: Some(e), ..Default::default() }).await,
    }
}

// ---- Versions -------------------------------------------------------------------------------

/// One line of a difference: `-` removed, `+` added.
struct DiffLine {
    added: bool,
    text: String,
}

struct VersionRow {
    version: i64,
    by: String,
    at: String,
    lines: Vec<DiffLine>,
}

/// `templates/staff/kennisbank/versions.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/kennisbank/versions.html")]
struct VersionsPage {
    frame: Frame,
    id: ArticleId,
    versions: Vec<VersionRow>,
}

async fn versions(State(s): State<AppState>, page: Page, Path(id): Path<String>) -> Response {
    let article = match stored(&s, &page, &id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let who = &page.0.principal;
    let list = match s.app.article_versions(who, article.id).await {
        Ok(v) => v,
        Err(e) => return error_page(&e),
    };
    let employees = s.app.employees(who).await.unwrap_or_default();
    let versions = list
        .iter()
        .rev()
        .map(|v| VersionRow {
            version: v.version,
            by: actor_name(&employees, v.author),
            at: s.app.local_time(v.at),
            lines: v
                .diff
                .lines()
                .filter_map(|l| {
                    l.strip_prefix("+ ")
                        .map(|t| DiffLine { added: true, text: t.to_string() })
                        .or_else(|| l.strip_prefix("- ").map(|t| DiffLine { added: false, text: t.to_string() }))
                })
                .collect(),
        })
        .collect();
    VersionsPage { frame: page.frame(format!("Versies: {}", article.title)), id: article.id, versions }.into_response()
}

// ---- Synonyms -------------------------------------------------------------------------------

/// `templates/staff/kennisbank/synonyms.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/kennisbank/synonyms.html")]
struct SynonymsPage {
    frame: Frame,
    notice: Option<String>,
    error: Option<String>,
    rules: String,
}

#[derive(Deserialize, Default)]
struct SynonymsQuery {
    #[serde(default)]
    opgeslagen: Option<String>,
}

async fn synonyms(State(s): State<AppState>, page: Page, Query(q): Query<SynonymsQuery>) -> Response {
    let who = &page.0.principal;
    // Reading is open to staff (search uses the list); this page is for editors.
    if let Err(e) = who.require(&[Role::Redacteur]) {
        return error_page(&e);
    }
    match s.app.synonyms(who).await {
        Ok(rules) => SynonymsPage {
            frame: page.frame("Synoniemen"),
            notice: q.opgeslagen.map(|_| format!("Opgeslagen: {} regels.", rules.len())),
            error: None,
            rules: rules.join("\n"),
        }
        .into_response(),
        Err(e) => error_page(&e),
    }
}

#[derive(Deserialize)]
struct SynonymsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    regels: String,
}

async fn save_synonyms(State(s): State<AppState>, page: Page, Form(f): Form<SynonymsForm>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let rules: Vec<String> = f.regels.lines().map(str::to_string).collect();
    match s.app.save_synonyms(&page.0.principal, rules).await {
        Ok(_) => Redirect::to("/werkplek/kennisbank/synoniemen?opgeslagen=1").into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let view = SynonymsPage {
                frame: page.frame("Synoniemen"),
                notice: None,
                error: Some(explain(&e, Saved::Nothing)),
                rules: f.regels,
            };
            (status_of(&e), view).into_response()
        }
        Err(e) => error_page(&e),
    }
}
