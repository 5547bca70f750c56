//! Contacts in the workspace: start one, find or create the customer, record questions with
//! their outcome (answered, consulted, handed over, forwarded), park, resume and close.

use super::{AnswerForm, CsrfOnly, Page, dutch, error_box, error_page, layout, options, status_of};
use crate::AppState;
use crate::pages::escape;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_app::Page as Paging;
use gastvrij_app::ports::{CaseQuery, ConsultationQuery, ContactQuery, CustomerQuery};
use gastvrij_app::workspace::HandoverInput;
use gastvrij_domain::case::CaseType;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{Contact, ContactInput, ContactState, Line, Outcome, QuestionInput};
use gastvrij_domain::customer::{ContactDetails, CustomerInput, CustomerKind};
use gastvrij_domain::ids::{ContactId, CustomerId, QuestionId, TeamId, TopicId};
use gastvrij_domain::knowledge::ConsultationInput;
use gastvrij_domain::values::{Email, KvkNumber, PhoneNumber, Postcode};
use gastvrij_domain::{Format, Invalid};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek", get(start))
        .route("/werkplek/contacten", post(create))
        .route("/werkplek/contacten/{id}", get(show))
        .route("/werkplek/contacten/{id}/klant", post(link_customer))
        .route("/werkplek/contacten/{id}/nieuwe-klant", post(new_customer))
        .route("/werkplek/contacten/{id}/vragen", post(add_question))
        .route("/werkplek/contacten/{id}/vragen/{question}/beantwoord", post(answered_after_consult))
        .route("/werkplek/contacten/{id}/vragen/{question}/bevestigd", post(forward_confirmed))
        .route("/werkplek/contacten/{id}/{action}", post(change_state))
}

/// Bodies the water board forwards to, with the warm handover.
pub const OTHER_BODIES: [&str; 4] = ["gemeente", "provincie", "Rijkswaterstaat", "drinkwaterbedrijf"];

fn outcome_label(o: Option<Outcome>) -> &'static str {
    match o {
        Some(Outcome::Answered) => "Beantwoord (eerste lijn)",
        Some(Outcome::AnsweredAfterConsult) => "Beantwoord na ruggespraak (tweede lijn)",
        Some(Outcome::HandedOver) => "Overgedragen (derde lijn)",
        Some(Outcome::Forwarded) => "Doorgestuurd naar een andere organisatie",
        Some(Outcome::NotAnswered) => "Niet beantwoord",
        None => "Wacht op ruggespraak",
    }
}

fn state_label(s: ContactState) -> &'static str {
    match s {
        ContactState::Open => "open",
        ContactState::Parked => "geparkeerd",
        ContactState::Closed => "afgesloten",
    }
}

async fn start(State(s): State<AppState>, page: Page) -> Response {
    let who = &page.0.principal;
    let mine = ContactQuery { agent_id: who.employee_id(), page: Paging::first(20), ..Default::default() };
    let contacts = match s.app.contacts(who, &mine).await {
        Ok(c) => c,
        Err(e) => return error_page(&e),
    };
    let mut open = String::new();
    for c in contacts.iter().filter(|c| c.state != ContactState::Closed) {
        open.push_str(&format!(
            r#"<li><a href="/werkplek/contacten/{id}">{channel}, {at}</a> — {state}, {n} vraag/vragen</li>"#,
            id = c.id,
            channel = escape(c.channel.label()),
            at = escape(&s.app.local_time(c.started_at)),
            state = state_label(c.state),
            n = c.questions.len()
        ));
    }
    let open = if open.is_empty() {
        "<p>U heeft geen open of geparkeerde contacten.</p>".to_string()
    } else {
        format!("<ul>{open}</ul>")
    };
    let channels = options(Channel::ALL.iter().map(|c| (c.code(), c.label())), "telefoon");
    let body = format!(
        r#"<h1>Werkplek</h1>
<section aria-labelledby="nieuw">
<h2 id="nieuw">Nieuw contact</h2>
<form method="post" action="/werkplek/contacten" class="regel">
{csrf}
<p><label for="kanaal">Kanaal</label><br><select id="kanaal" name="channel" autofocus>{channels}</select></p>
<p><label for="wachttijd">Wachttijd in seconden (telefoon, als bekend)</label><br>
<input id="wachttijd" name="waiting_seconds" inputmode="numeric" pattern="[0-9]*" size="6"></p>
<p><button type="submit">Start contact</button></p>
</form>
</section>
<section aria-labelledby="lopend">
<h2 id="lopend">Mijn lopende contacten</h2>
{open}
</section>"#,
        csrf = page.csrf_field()
    );
    Html(layout(&page, "Werkplek", &body)).into_response()
}

#[derive(Deserialize)]
struct NewContact {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    waiting_seconds: String,
}

async fn create(State(s): State<AppState>, page: Page, Form(f): Form<NewContact>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let parsed = (|| -> Result<ContactInput, Invalid> {
        let channel: Channel = f.channel.parse()?;
        let waiting_seconds = match f.waiting_seconds.trim() {
            "" => None,
            w => Some(w.parse::<u32>().map_err(|_| Invalid::malformed("waiting_seconds", w, Format::WholeNumber))?),
        };
        Ok(ContactInput {
            channel,
            customer_id: None,
            agent_id: None,
            started_at: None,
            ended_at: None,
            waiting_seconds,
            questions: vec![],
        })
    })();
    let result = match parsed {
        Ok(input) => s.app.create_contact(&page.0.principal, input).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(c) => Redirect::to(&format!("/werkplek/contacten/{}", c.id)).into_response(),
        Err(e) => error_page(&e),
    }
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    /// Customer search text.
    #[serde(default)]
    klant: Option<String>,
    /// A message after a step, e.g. the reference of a new case.
    #[serde(default)]
    melding: Option<String>,
}

async fn show(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<ContactId>,
    Query(q): Query<ShowQuery>,
) -> Response {
    render(&s, &page, id, &q, None, None).await
}

/// The values of the question form, kept when it comes back with an error.
#[derive(Deserialize, Default, Clone)]
struct QuestionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    topic_id: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    case_type: String,
    #[serde(default)]
    forwarded_to: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    urgent: Option<String>,
}

async fn render(
    s: &AppState,
    page: &Page,
    id: ContactId,
    q: &ShowQuery,
    error: Option<&AppError>,
    form: Option<&QuestionForm>,
) -> Response {
    match render_body(s, page, id, q, error, form).await {
        Ok(body) => {
            let status = error.map(status_of).unwrap_or(axum::http::StatusCode::OK);
            (status, Html(layout(page, "Contact", &body))).into_response()
        }
        Err(e) => error_page(&e),
    }
}

async fn render_body(
    s: &AppState,
    page: &Page,
    id: ContactId,
    q: &ShowQuery,
    error: Option<&AppError>,
    form: Option<&QuestionForm>,
) -> Result<String, AppError> {
    let who = &page.0.principal;
    let app = &s.app;
    let contact = app.contact(who, id).await?;
    let teams = app.teams(who).await?;
    let topics = app.topics(who).await?;
    let csrf = page.csrf_field();
    let mut body = String::new();
    body.push_str(&format!(
        r#"<h1>Contact via {channel}</h1>
<p>Gestart {at}{wait} · status: <strong>{state}</strong></p>
{error}"#,
        channel = escape(&contact.channel.label().to_lowercase()),
        at = escape(&app.local_time(contact.started_at)),
        wait = contact.waiting_seconds.map(|w| format!(" · wachttijd {w} s")).unwrap_or_default(),
        state = state_label(contact.state),
        error = error_box(error.map(dutch).as_deref()),
    ));
    if let Some(m) = q.melding.as_deref() {
        body.push_str(&format!(r#"<div class="melding" role="status"><p>{}</p></div>"#, escape(m)));
    }

    // The customer.
    body.push_str(r#"<section aria-labelledby="klant"><h2 id="klant">Klant</h2>"#);
    match contact.customer_id {
        Some(customer_id) => {
            let customer = app.customer(who, customer_id).await?;
            let d = &customer.details;
            let mut facts = vec![];
            if let (Some(p), Some(h)) = (&d.postcode, &d.house_number) {
                facts.push(format!("{} {}", p.as_str(), h));
            }
            if let Some(e) = &d.email {
                facts.push(e.as_str().to_string());
            }
            if let Some(p) = &d.phone {
                facts.push(p.as_str().to_string());
            }
            if let Some(k) = &d.kvk_number {
                facts.push(format!("KvK {}", k.as_str()));
            }
            body.push_str(&format!(
                "<p><strong>{}</strong> ({})</p>",
                escape(customer.name.as_deref().unwrap_or("Anonieme klant")),
                escape(&facts.join(" · "))
            ));
            let earlier = app
                .contacts(
                    who,
                    &ContactQuery { customer_id: Some(customer_id), page: Paging::first(6), ..Default::default() },
                )
                .await?;
            let mut list = String::new();
            for c in earlier.iter().filter(|c| c.id != contact.id).take(5) {
                let first = c.questions.first().map(|q| q.text.as_str()).unwrap_or("(geen vraag)");
                list.push_str(&format!(
                    "<li>{} via {}: {}</li>",
                    escape(&app.local_time(c.started_at)),
                    escape(&c.channel.label().to_lowercase()),
                    escape(&first.chars().take(120).collect::<String>())
                ));
            }
            body.push_str(&format!(
                "<h3>Eerdere contacten</h3>{}",
                if list.is_empty() { "<p>Geen.</p>".into() } else { format!("<ul>{list}</ul>") }
            ));
            let cases = app
                .cases(
                    who,
                    &CaseQuery {
                        customer_id: Some(customer_id),
                        open_only: true,
                        page: Paging::first(10),
                        ..Default::default()
                    },
                )
                .await?;
            let mut list = String::new();
            for c in &cases {
                let due = c.timing.deadlines.as_ref().map(|d| app.due_phrase(d.service_norm)).unwrap_or_default();
                list.push_str(&format!(
                    "<li>{} — {} ({}, {})</li>",
                    escape(&c.reference),
                    escape(&c.subject),
                    escape(c.status.label()),
                    escape(&due)
                ));
            }
            body.push_str(&format!(
                "<h3>Open zaken</h3>{}",
                if list.is_empty() { "<p>Geen.</p>".into() } else { format!("<ul>{list}</ul>") }
            ));
            body.push_str(&format!(
                r#"<form method="post" action="/werkplek/contacten/{id}/klant">{csrf}<input type="hidden" name="customer_id" value=""><button type="submit">Andere klant kiezen</button></form>"#,
                id = contact.id
            ));
        }
        None => {
            let text = q.klant.as_deref().unwrap_or("");
            body.push_str(&format!(
                r#"<p>Nog geen klant gekozen. Het contact mag ook anoniem blijven.</p>
<form method="get" action="/werkplek/contacten/{id}" role="search">
<p><label for="klant-zoek">Zoek klant op naam, postcode + huisnummer, e-mail, telefoon of KvK-nummer</label><br>
<input id="klant-zoek" name="klant" value="{text}" size="40"> <button type="submit">Zoek klant</button></p>
</form>"#,
                id = contact.id,
                text = escape(text)
            ));
            if !text.trim().is_empty() {
                let mut query = CustomerQuery { page: Paging::first(10), ..Default::default() };
                // "2611 AB 12": postcode and house number.
                let words: Vec<&str> = text.split_whitespace().collect();
                let joined: String = words.iter().take(2).copied().collect();
                if words.len() >= 2
                    && let Ok(p) = Postcode::parse(&joined)
                {
                    query.postcode = Some(p.as_str().to_string());
                    query.house_number = words.get(2).map(|h| h.to_string());
                } else if let Ok(p) = Postcode::parse(words.first().copied().unwrap_or("")) {
                    query.postcode = Some(p.as_str().to_string());
                    query.house_number = words.get(1).map(|h| h.to_string());
                } else {
                    query.text = Some(text.trim().to_string());
                }
                let found = app.customers(who, &query).await?;
                if found.is_empty() {
                    body.push_str("<p>Geen klant gevonden. Maak hieronder een nieuwe klant.</p>");
                } else {
                    body.push_str("<ul class=\"resultaten\">");
                    for c in found {
                        let d = &c.details;
                        let address = match (&d.postcode, &d.house_number) {
                            (Some(p), Some(h)) => format!("{} {}", p.as_str(), h),
                            _ => String::new(),
                        };
                        body.push_str(&format!(
                            r#"<li><form method="post" action="/werkplek/contacten/{id}/klant">{csrf}<input type="hidden" name="customer_id" value="{cid}"><button type="submit">Kies {name}</button> {address}</form></li>"#,
                            id = contact.id,
                            cid = c.id,
                            name = escape(c.name.as_deref().unwrap_or("anonieme klant")),
                            address = escape(&address),
                        ));
                    }
                    body.push_str("</ul>");
                }
            }
            let kinds = options([("persoon", "Persoon"), ("organisatie", "Organisatie")], "persoon");
            body.push_str(&format!(
                r#"<details><summary>Nieuwe klant</summary>
<form method="post" action="/werkplek/contacten/{id}/nieuwe-klant" class="regel">{csrf}
<p><label for="soort">Soort</label><br><select id="soort" name="kind">{kinds}</select></p>
<p><label for="naam">Naam</label><br><input id="naam" name="name" autocomplete="off"></p>
<p><label for="postcode">Postcode</label><br><input id="postcode" name="postcode" size="8"></p>
<p><label for="huisnummer">Huisnummer</label><br><input id="huisnummer" name="house_number" size="6"></p>
<p><label for="email">E-mail</label><br><input id="email" name="email" type="email"></p>
<p><label for="telefoon">Telefoon</label><br><input id="telefoon" name="phone" type="tel"></p>
<p><label for="kvk">KvK-nummer</label><br><input id="kvk" name="kvk_number" size="8"></p>
<p><button type="submit">Klant opslaan en kiezen</button></p>
</form></details>"#,
                id = contact.id
            ));
        }
    }
    body.push_str("</section>");

    // The questions so far.
    body.push_str(r#"<section aria-labelledby="vragen"><h2 id="vragen">Vragen in dit contact</h2>"#);
    if contact.questions.is_empty() {
        body.push_str("<p>Nog geen vragen.</p>");
    } else {
        let consultations = app
            .consultations(
                who,
                &ConsultationQuery { asked_by: who.employee_id(), page: Paging::first(200), ..Default::default() },
            )
            .await?;
        body.push_str("<ol class=\"vragen\">");
        for question in &contact.questions {
            body.push_str(&format!(
                "<li><p><strong>{}</strong></p><p>Uitkomst: {}</p>",
                escape(&question.text),
                outcome_label(question.outcome)
            ));
            if let Some(a) = &question.answer {
                body.push_str(&format!("<p>Antwoord: {}</p>", escape(a)));
            }
            if let Some(other) = &question.forwarded_to {
                body.push_str(&format!("<p>Doorgestuurd naar: {}</p>", escape(other)));
                match question.forward_confirmed_at {
                    Some(at) => body.push_str(&format!(
                        "<p>Overname bevestigd op {}; de vraag is nu van {}.</p>",
                        escape(&app.local_time(at)),
                        escape(other)
                    )),
                    None => body.push_str(&format!(
                        r#"<p>Wacht op bevestiging van {other}; tot dan blijft het waterschap eigenaar.</p>
<form method="post" action="/werkplek/contacten/{id}/vragen/{qid}/bevestigd">{csrf}<button type="submit">{other} heeft de vraag overgenomen</button></form>"#,
                        other = escape(other),
                        id = contact.id,
                        qid = question.id,
                    )),
                }
            }
            if let Some(case_id) = question.case_id
                && let Ok(case) = app.case(who, case_id).await
            {
                let team = teams.iter().find(|t| t.id == case.team_id).map(|t| t.name.as_str()).unwrap_or("");
                let due = case.timing.deadlines.as_ref().map(|d| app.due_phrase(d.service_norm)).unwrap_or_default();
                body.push_str(&format!(
                    "<p>Zaak <strong>{}</strong> bij {} — reactie uiterlijk: {}</p>",
                    escape(&case.reference),
                    escape(team),
                    escape(&due)
                ));
            }
            for c in consultations.iter().filter(|c| c.question_id == Some(question.id)) {
                match (&c.answer, question.outcome) {
                    (None, _) => body.push_str(
                        "<p role=\"status\">Ruggespraak gevraagd; nog geen antwoord. Laad de pagina opnieuw om te kijken.</p>",
                    ),
                    (Some(answer), None) => body.push_str(&format!(
                        r#"<p>Antwoord uit de backoffice: <strong>{a}</strong></p>
<form method="post" action="/werkplek/contacten/{id}/vragen/{qid}/beantwoord">{csrf}<input type="hidden" name="answer" value="{a}"><button type="submit">Antwoord gegeven aan de klant</button></form>"#,
                        a = escape(answer),
                        id = contact.id,
                        qid = question.id,
                    )),
                    (Some(_), Some(_)) => {}
                }
                if c.answer.is_some() {
                    if c.article_id.is_some() {
                        body.push_str("<p>Er is een concept-artikel van gemaakt.</p>");
                    } else {
                        body.push_str(&format!(
                            r#"<form method="post" action="/werkplek/ruggespraak/{cid}/artikel">{csrf}<input type="hidden" name="terug" value="/werkplek/contacten/{id}"><button type="submit">Maak er een concept-artikel van</button></form>"#,
                            cid = c.id,
                            id = contact.id,
                        ));
                    }
                }
            }
            body.push_str("</li>");
        }
        body.push_str("</ol>");
    }
    body.push_str("</section>");

    // A new question with live search and its outcome.
    if contact.state == ContactState::Open {
        let f = form.cloned().unwrap_or_default();
        let topic_opts = options(
            std::iter::once(("", "(geen)")).chain(
                topics
                    .iter()
                    .map(|t| (t.id.to_string(), t.name.clone()))
                    .collect::<Vec<_>>()
                    .iter()
                    .map(|(a, b)| (a.as_str(), b.as_str()))
                    .collect::<Vec<_>>(),
            ),
            &f.topic_id,
        );
        let team_pairs: Vec<(String, String)> = teams.iter().map(|t| (t.id.to_string(), t.name.clone())).collect();
        let team_opts = options(
            std::iter::once(("", "(kies een team)")).chain(team_pairs.iter().map(|(a, b)| (a.as_str(), b.as_str()))),
            &f.team_id,
        );
        let type_opts = options(
            CaseType::ALL.iter().map(|c| (c.code(), c.label())),
            if f.case_type.is_empty() { "vraag" } else { &f.case_type },
        );
        let body_opts =
            options(std::iter::once(("", "(kies)")).chain(OTHER_BODIES.iter().map(|b| (*b, *b))), &f.forwarded_to);
        let outcome = if f.outcome.is_empty() { "answered" } else { f.outcome.as_str() };
        let radio = |value: &str, label: &str| {
            let checked = if value == outcome { " checked" } else { "" };
            format!(
                r#"<p><input type="radio" id="uitkomst-{value}" name="outcome" value="{value}"{checked}> <label for="uitkomst-{value}">{label}</label></p>"#
            )
        };
        body.push_str(&format!(
            r#"<section aria-labelledby="nieuwe-vraag"><h2 id="nieuwe-vraag">Nieuwe vraag</h2>
<form method="post" action="/werkplek/contacten/{id}/vragen" class="regel">{csrf}
<p><label for="vraag">Vraag van de klant (in eigen woorden)</label><br>
<textarea id="vraag" name="text" rows="3" cols="60" data-live-search="/werkplek/zoeken" aria-describedby="vraag-hulp" aria-controls="resultaten">{text}</textarea><br>
<span id="vraag-hulp" class="hulp">Terwijl u typt verschijnen antwoorden uit de kennisbank, collega's die er verstand van hebben en werkzaamheden.</span></p>
<div id="resultaten" aria-live="polite"><noscript><p><a href="/werkplek/zoeken">Zoek in de kennisbank</a> (opent een zoekpagina).</p></noscript></div>
<p><label for="onderwerp">Onderwerp</label><br><select id="onderwerp" name="topic_id">{topic_opts}</select></p>
<fieldset><legend>Uitkomst</legend>
{r1}{r2}{r3}{r4}{r5}
</fieldset>
<p><label for="antwoord">Antwoord of toelichting</label><br><textarea id="antwoord" name="answer" rows="3" cols="60">{answer}</textarea></p>
<fieldset><legend>Bij ruggespraak of overdracht</legend>
<p><label for="team">Team</label><br><select id="team" name="team_id">{team_opts}</select></p>
<p><label for="soort-zaak">Soort zaak (bij overdracht)</label><br><select id="soort-zaak" name="case_type">{type_opts}</select></p>
<p><label for="notitie">Overdrachtsnotitie</label><br><textarea id="notitie" name="note" rows="2" cols="60">{note}</textarea></p>
<p><input type="checkbox" id="spoed" name="urgent" value="ja"{urgent}> <label for="spoed">Er is nu gevaar (spoed, 24 uur per dag)</label></p>
</fieldset>
<p><label for="andere-organisatie">Doorsturen naar (andere organisatie)</label><br><select id="andere-organisatie" name="forwarded_to">{body_opts}</select></p>
<p><button type="submit">Vraag vastleggen</button></p>
</form></section>"#,
            id = contact.id,
            text = escape(&f.text),
            answer = escape(&f.answer),
            note = escape(&f.note),
            urgent = if f.urgent.is_some() { " checked" } else { "" },
            r1 = radio("answered", "Beantwoord (eerste lijn)"),
            r2 = radio("consult", "Ruggespraak vragen aan het team (tweede lijn)"),
            r3 = radio("handed_over", "Overdragen aan het team als zaak (derde lijn)"),
            r4 = radio("forwarded", "Doorsturen naar een andere organisatie"),
            r5 = radio("not_answered", "Niet beantwoord"),
        ));
    }

    body.push_str(&super::works::contact_section(s, page, contact.id).await);

    // Park, resume, close.
    let mut actions = String::new();
    let button = |action: &str, label: &str| {
        format!(
            r#"<form method="post" action="/werkplek/contacten/{id}/{action}" class="inline">{csrf}<button type="submit">{label}</button></form>"#,
            id = contact.id
        )
    };
    match contact.state {
        ContactState::Open => {
            actions.push_str(&button("parkeren", "Parkeren"));
            actions.push_str(&button("afsluiten", "Contact afsluiten"));
        }
        ContactState::Parked => actions.push_str(&button("hervatten", "Hervatten")),
        ContactState::Closed => {
            if let Some(end) = contact.ended_at {
                let secs = end.duration_since(contact.started_at).as_secs().max(0);
                actions.push_str(&format!("<p>Afgesloten; duur {} min {} s.</p>", secs / 60, secs % 60));
            }
        }
    }
    body.push_str(&format!(
        r#"<section aria-labelledby="afronden"><h2 id="afronden">Afronden</h2>{actions}</section>"#
    ));
    Ok(body)
}

#[derive(Deserialize)]
struct LinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    customer_id: String,
}

async fn link_customer(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<ContactId>,
    Form(f): Form<LinkForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let customer = match f.customer_id.trim() {
        "" => None,
        c => match c.parse::<CustomerId>() {
            Ok(c) => Some(c),
            Err(_) => return error_page(&Invalid::malformed("customer_id", c, Format::Uuid).into()),
        },
    };
    match s.app.link_contact_customer(&page.0.principal, id, customer).await {
        Ok(_) => Redirect::to(&format!("/werkplek/contacten/{id}")).into_response(),
        Err(e) => render(&s, &page, id, &ShowQuery::default(), Some(&e), None).await,
    }
}

#[derive(Deserialize)]
struct CustomerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    house_number: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    kvk_number: String,
}

fn optional<T>(v: &str, parse: impl Fn(&str) -> Result<T, Invalid>) -> Result<Option<T>, Invalid> {
    match v.trim() {
        "" => Ok(None),
        v => parse(v).map(Some),
    }
}

async fn new_customer(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<ContactId>,
    Form(f): Form<CustomerForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let input = (|| -> Result<CustomerInput, Invalid> {
        Ok(CustomerInput {
            kind: Some(if f.kind == "organisatie" { CustomerKind::Organisatie } else { CustomerKind::Persoon }),
            name: Some(f.name.clone()).filter(|n| !n.trim().is_empty()),
            segments: vec![],
            details: ContactDetails {
                email: optional(&f.email, Email::parse)?,
                phone: optional(&f.phone, PhoneNumber::parse)?,
                postcode: optional(&f.postcode, Postcode::parse)?,
                house_number: Some(f.house_number.trim().to_string()).filter(|h| !h.is_empty()),
                kvk_number: optional(&f.kvk_number, KvkNumber::parse)?,
                ..Default::default()
            },
        })
    })();
    let who = &page.0.principal;
    let result = match input {
        Ok(input) => match s.app.create_customer(who, input).await {
            Ok(c) => s.app.link_contact_customer(who, id, Some(c.id)).await,
            Err(e) => Err(e),
        },
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/werkplek/contacten/{id}")).into_response(),
        Err(e) => render(&s, &page, id, &ShowQuery::default(), Some(&e), None).await,
    }
}

fn opt_id<T: std::str::FromStr>(v: &str, field: &'static str, _what: &str) -> Result<Option<T>, Invalid> {
    match v.trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| Invalid::unknown_id(field, v)),
    }
}

async fn add_question(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<ContactId>,
    Form(f): Form<QuestionForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match record_question(&s, &page, id, &f).await {
        Ok(message) => {
            let to = match message {
                Some(m) => format!("/werkplek/contacten/{id}?melding={}", urlencode(&m)),
                None => format!("/werkplek/contacten/{id}"),
            };
            Redirect::to(&to).into_response()
        }
        Err(e) => render(&s, &page, id, &ShowQuery::default(), Some(&e), Some(&f)).await,
    }
}

/// Record the question with its outcome; returns a message for the agent (e.g. the reference
/// to give the customer).
async fn record_question(
    s: &AppState,
    page: &Page,
    id: ContactId,
    f: &QuestionForm,
) -> Result<Option<String>, AppError> {
    let who = &page.0.principal;
    let app = &s.app;
    let topic_id: Option<TopicId> = opt_id(&f.topic_id, "topic_id", "a topic")?;
    let team_id: Option<TeamId> = opt_id(&f.team_id, "team_id", "a team")?;
    let answer = Some(f.answer.trim().to_string()).filter(|a| !a.is_empty());
    let mut input = QuestionInput {
        topic_id,
        text: f.text.clone(),
        answer: answer.clone(),
        outcome: None,
        line: None,
        forwarded_to: None,
    };
    match f.outcome.as_str() {
        "answered" => {
            input.outcome = Some(Outcome::Answered);
            input.line = Some(Line::FirstLine);
        }
        "not_answered" => input.outcome = Some(Outcome::NotAnswered),
        "forwarded" => {
            input.outcome = Some(Outcome::Forwarded);
            input.line = Some(Line::ThirdLine);
            input.forwarded_to = Some(f.forwarded_to.clone()).filter(|b| !b.is_empty());
            if input.forwarded_to.is_none() {
                return Err(Invalid::empty("forwarded_to").into());
            }
        }
        "consult" | "handed_over" => {
            if team_id.is_none() {
                return Err(Invalid::empty("team_id").into());
            }
        }
        _ => return Err(Invalid::empty("outcome").into()),
    }
    let case_type: Option<CaseType> = if f.outcome == "handed_over" { Some(f.case_type.parse()?) } else { None };
    let contact: Contact = app.add_question(who, id, input).await?;
    let question: QuestionId = contact.questions.last().map(|q| q.id).ok_or(AppError::NotFound("question"))?;
    match (f.outcome.as_str(), team_id) {
        ("consult", Some(team)) => {
            let ask = answer
                .clone()
                .map(|a| format!("{}\n\nToelichting: {a}", f.text.trim()))
                .unwrap_or_else(|| f.text.trim().to_string());
            app.ask_consultation(
                who,
                ConsultationInput {
                    contact_id: Some(id),
                    question_id: Some(question),
                    to_team: Some(team),
                    to_employee: None,
                    question: ask,
                },
            )
            .await?;
            Ok(Some("Ruggespraak gevraagd. Het antwoord verschijnt op dit scherm.".into()))
        }
        ("handed_over", Some(team)) => {
            let note = Some(f.note.clone()).filter(|n| !n.trim().is_empty()).or(answer);
            let (_, case) = app
                .hand_over_question(
                    who,
                    id,
                    question,
                    HandoverInput {
                        team_id: team,
                        case_type: case_type.unwrap_or(CaseType::Vraag),
                        note,
                        urgent: f.urgent.is_some(),
                    },
                )
                .await?;
            let due = case.timing.deadlines.as_ref().map(|d| app.local_time(d.service_norm)).unwrap_or_default();
            Ok(Some(format!(
                "Overgedragen als zaak {}. Geef de klant dit kenmerk; reactie uiterlijk {due}.",
                case.reference
            )))
        }
        _ => Ok(None),
    }
}

async fn answered_after_consult(
    State(s): State<AppState>,
    page: Page,
    Path((id, question)): Path<(ContactId, QuestionId)>,
    Form(f): Form<AnswerForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let who = &page.0.principal;
    let result = async {
        let contact = s.app.contact(who, id).await?;
        let q = contact.questions.iter().find(|q| q.id == question).ok_or(AppError::NotFound("question"))?;
        let input = QuestionInput {
            topic_id: q.topic_id,
            text: q.text.clone(),
            answer: Some(f.answer.clone()),
            outcome: Some(Outcome::AnsweredAfterConsult),
            line: Some(Line::SecondLine),
            forwarded_to: None,
        };
        s.app.update_question(who, id, question, input).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/werkplek/contacten/{id}")).into_response(),
        Err(e) => render(&s, &page, id, &ShowQuery::default(), Some(&e), None).await,
    }
}

async fn forward_confirmed(
    State(s): State<AppState>,
    page: Page,
    Path((id, question)): Path<(ContactId, QuestionId)>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.confirm_forward(&page.0.principal, id, question).await {
        Ok(_) => Redirect::to(&format!("/werkplek/contacten/{id}")).into_response(),
        Err(e) => render(&s, &page, id, &ShowQuery::default(), Some(&e), None).await,
    }
}

async fn change_state(
    State(s): State<AppState>,
    page: Page,
    Path((id, action)): Path<(ContactId, String)>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    let who = &page.0.principal;
    let result = match action.as_str() {
        "parkeren" => s.app.park_contact(who, id).await,
        "hervatten" => s.app.resume_contact(who, id).await,
        "afsluiten" => s.app.close_contact(who, id).await,
        _ => {
            return super::message_page(
                axum::http::StatusCode::NOT_FOUND,
                "Onbekende actie",
                "Deze actie bestaat niet.",
            );
        }
    };
    match result {
        Ok(_) if action == "afsluiten" => Redirect::to("/werkplek").into_response(),
        Ok(_) => Redirect::to(&format!("/werkplek/contacten/{id}")).into_response(),
        Err(e) => render(&s, &page, id, &ShowQuery::default(), Some(&e), None).await,
    }
}

/// Percent-encode a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
