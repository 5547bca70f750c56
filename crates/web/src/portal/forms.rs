//! The three public forms (vraag, melding, klacht) and the confirmation after the commit.
//!
//! A submission is stored completely or the citizen sees the form again with every problem
//! named and their text kept. The confirmation page is shown only after the commit: the form
//! redirects to it with the private tracking link.

use super::answers::Suggestions;
use super::{
    Attempt, Errors, FormError, HONEYPOT, MAX_FORM_BYTES, PublicForm, ReceivedForm, csrf_ok, dutch_date, failure,
    form_token, organisation_name, rate_limited, read_form, time_zone, with_cookie,
};
use crate::AppState;
use crate::layers::ClientIp;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use gastvrij_app::portal::{PortalError, PublicTopic};
use gastvrij_domain::portal::{SubmissionForm, SubmissionKind};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/vraag", get(vraag_form).post(vraag_submit))
        .route("/melding", get(melding_form).post(melding_submit))
        .route("/klacht", get(klacht_form).post(klacht_submit))
        .route("/ontvangen/{token}", get(confirmation))
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
}

#[derive(Deserialize, Default)]
struct Prefill {
    #[serde(default)]
    omschrijving: String,
    #[serde(default)]
    zoek: Option<String>,
}

async fn vraag_form(State(s): State<AppState>, headers: HeaderMap, Query(q): Query<Prefill>) -> Response {
    let form = SubmissionForm { omschrijving: q.omschrijving.chars().take(4000).collect(), ..Default::default() };
    show(&s, &headers, SubmissionKind::Vraag, &form, &[], q.zoek.is_some(), StatusCode::OK).await
}

async fn melding_form(State(s): State<AppState>, headers: HeaderMap, Query(q): Query<Prefill>) -> Response {
    let form = SubmissionForm { omschrijving: q.omschrijving.chars().take(4000).collect(), ..Default::default() };
    show(&s, &headers, SubmissionKind::Melding, &form, &[], false, StatusCode::OK).await
}

async fn klacht_form(State(s): State<AppState>, headers: HeaderMap, Query(q): Query<Prefill>) -> Response {
    let form = SubmissionForm { omschrijving: q.omschrijving.chars().take(4000).collect(), ..Default::default() };
    show(&s, &headers, SubmissionKind::Klacht, &form, &[], false, StatusCode::OK).await
}

async fn vraag_submit(s: State<AppState>, ip: ClientIp, h: HeaderMap, m: Multipart) -> Response {
    submit(s, ip, h, SubmissionKind::Vraag, m).await
}

async fn melding_submit(s: State<AppState>, ip: ClientIp, h: HeaderMap, m: Multipart) -> Response {
    submit(s, ip, h, SubmissionKind::Melding, m).await
}

async fn klacht_submit(s: State<AppState>, ip: ClientIp, h: HeaderMap, m: Multipart) -> Response {
    submit(s, ip, h, SubmissionKind::Klacht, m).await
}

fn to_form(r: &ReceivedForm) -> SubmissionForm {
    SubmissionForm {
        onderwerp: r.get("onderwerp"),
        omschrijving: r.get("omschrijving"),
        postcode: r.get("postcode"),
        huisnummer: r.get("huisnummer"),
        plek: r.get("plek"),
        lat: r.get("lat"),
        lon: r.get("lon"),
        wanneer: r.get("wanneer"),
        gevaar: r.get("gevaar"),
        contact: r.get("contact"),
        naam: r.get("naam"),
        email: r.get("email"),
        telefoon: r.get("telefoon"),
        fotolocatie: r.get("fotolocatie"),
    }
}

async fn submit(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    kind: SubmissionKind,
    multipart: Multipart,
) -> Response {
    let received = match read_form(multipart).await {
        Ok(r) => r,
        Err(e) => {
            return show(&s, &headers, kind, &SubmissionForm::default(), &[e], false, StatusCode::BAD_REQUEST).await;
        }
    };
    let form = to_form(&received);
    if !csrf_ok(&headers, &received.get("csrf")) {
        let e = FormError::new(
            "omschrijving",
            "Het formulier was verlopen of uw browser weigert cookies. Uw tekst staat er nog: verstuur het formulier opnieuw.",
        );
        return show(&s, &headers, kind, &form, &[e], false, StatusCode::FORBIDDEN).await;
    }
    if !received.get(HONEYPOT).trim().is_empty() {
        let e = FormError::new(
            HONEYPOT,
            "Het veld 'Vul dit veld niet in' is ingevuld. Maak het leeg en verstuur het formulier opnieuw.",
        );
        return show(&s, &headers, kind, &form, &[e], false, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if received.get("zoek").trim() == "1" {
        return show(&s, &headers, kind, &form, &[], true, StatusCode::OK).await;
    }
    if let Some(limited) = rate_limited(&s, ip).await {
        return limited;
    }
    if !received.oversized.is_empty() {
        let e = FormError::new(
            "fotos",
            "Een foto is groter dan 10 MB. Kies een kleinere foto, of maak de foto kleiner. Kies daarna uw foto's opnieuw.",
        );
        return show(&s, &headers, kind, &form, &[e], false, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match s.app.submit(kind, &form, &received.photos).await {
        Ok(receipt) => Redirect::to(&format!("/ontvangen/{}", receipt.token)).into_response(),
        Err(PortalError::Invalid(errors)) => {
            let mut errors = FormError::worded(&errors, PublicForm::Submission(kind));
            if !received.photos.is_empty() {
                errors.push(FormError::new("fotos", "Kies uw foto's opnieuw: een browser bewaart ze niet."));
            }
            show(&s, &headers, kind, &form, &errors, false, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(PortalError::App(e)) => failure(&s, &e, Attempt::Store).await,
    }
}

fn title(kind: SubmissionKind) -> &'static str {
    match kind {
        SubmissionKind::Vraag => "Stel een vraag",
        SubmissionKind::Melding => "Doe een melding",
        SubmissionKind::Klacht => "Dien een klacht in",
    }
}

/// The vraag, melding or klacht form (`templates/public/forms/form.html`).
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "public/forms/form.html")]
struct FormPage<'a> {
    org: String,
    title: &'static str,
    intro: &'static str,
    description_label: &'static str,
    path: &'static str,
    is_vraag: bool,
    is_melding: bool,
    is_klacht: bool,
    errors: Errors<'a>,
    form: &'a SubmissionForm,
    /// The contact choice to show as chosen.
    contact: &'a str,
    topics: Vec<PublicTopic>,
    suggestions: Option<Suggestions>,
    token: String,
    urgent_phone: &'a str,
}

#[allow(clippy::too_many_arguments)]
async fn show(
    s: &AppState,
    headers: &HeaderMap,
    kind: SubmissionKind,
    form: &SubmissionForm,
    errors: &[FormError],
    search_first: bool,
    status: StatusCode,
) -> Response {
    let (token, set_cookie) = form_token(headers);
    let topics = s.app.public_topics().await.unwrap_or_else(|e| {
        tracing::error!(error = ?e, "topics could not be read for the form");
        Vec::new()
    });
    let suggestions = if search_first {
        let hits = s.app.search_public_answers(&form.omschrijving, 5).await.unwrap_or_default();
        Some(Suggestions { hits, question: form.omschrijving.clone(), go_on: true, search_id: None })
    } else {
        None
    };
    let intro = match kind {
        SubmissionKind::Vraag => {
            "Typ uw vraag. Misschien staat het antwoord al op onze website: dan ziet u het meteen."
        }
        SubmissionKind::Melding => {
            "Ziet u iets wat niet goed is aan het water, een dijk of een weg? Vertel het ons. Dat kost een paar minuten."
        }
        SubmissionKind::Klacht => {
            "Bent u niet tevreden over hoe wij u hebben behandeld? Vertel het ons. We nemen binnen 5 werkdagen contact \
             met u op en sturen binnen 6 weken een antwoord. Soms hebben we 4 weken extra nodig; dat laten we u dan weten."
        }
    };
    let description_label = match kind {
        SubmissionKind::Vraag => "Wat is uw vraag?",
        SubmissionKind::Melding => "Wat ziet u? Wat is er aan de hand?",
        SubmissionKind::Klacht => "Waarover hebt u een klacht?",
    };
    let contact = if form.contact.is_empty() && kind != SubmissionKind::Klacht { "email" } else { &form.contact };
    let page = FormPage {
        org: organisation_name(s).await,
        title: title(kind),
        intro,
        description_label,
        path: kind.code(),
        is_vraag: kind == SubmissionKind::Vraag,
        is_melding: kind == SubmissionKind::Melding,
        is_klacht: kind == SubmissionKind::Klacht,
        errors: Errors(errors),
        form,
        contact,
        topics,
        suggestions,
        token,
        urgent_phone: &s.portal.urgent_phone,
    };
    with_cookie((status, page).into_response(), set_cookie)
}

/// What happens next, as the confirmation says it.
enum Next {
    /// A melding with danger now.
    Danger,
    Melding,
    Vraag,
    /// A klacht, with the date of the acknowledgement when there is one.
    Klacht(Option<String>),
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "public/forms/received.html")]
struct ReceivedPage<'a> {
    org: String,
    noun: &'static str,
    reference: &'a str,
    next: Next,
    expected: Option<String>,
    mailed: bool,
    token: &'a str,
    urgent_phone: &'a str,
}

/// The confirmation (ontvangstbevestiging), shown after the commit.
async fn confirmation(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    let tracking = match s.app.track(&token).await {
        Ok(t) => t,
        Err(e) => return failure(&s, &e, Attempt::Show).await,
    };
    let tz = time_zone(&s).await;
    let sub = &tracking.record.submission;
    let case = &tracking.record.case;
    let next = match sub.kind {
        SubmissionKind::Melding if sub.urgent => Next::Danger,
        SubmissionKind::Melding => Next::Melding,
        SubmissionKind::Vraag => Next::Vraag,
        SubmissionKind::Klacht => {
            Next::Klacht(case.timing.deadlines.and_then(|d| d.acknowledgement).map(|a| dutch_date(a, &tz)))
        }
    };
    ReceivedPage {
        org: organisation_name(&s).await,
        noun: sub.kind.noun(),
        reference: &case.reference,
        next,
        expected: tracking.expected.map(|d| dutch_date(d, &tz)),
        mailed: sub.mail_to().is_some(),
        token: &token,
        urgent_phone: &s.portal.urgent_phone,
    }
    .into_response()
}
