//! The tracking page behind the private link: the status in plain words, the expected date,
//! messages both ways, adding information or a photo, and the survey after closure.

use super::{
    Attempt, Errors, FormError, MAX_FORM_BYTES, PublicForm, csrf_ok, dutch_date, dutch_moment, failure, form_token,
    organisation_name, rate_limited, read_form, time_zone, with_cookie,
};
use crate::AppState;
use crate::layers::ClientIp;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::portal::{PortalError, Tracking};
use gastvrij_domain::case::CaseStatus;
use gastvrij_domain::ids::PhotoId;
use gastvrij_domain::portal::{Photo, SurveyForm};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/volgen/{token}", get(page))
        .route("/volgen/{token}/aanvullen", post(add).layer(DefaultBodyLimit::max(MAX_FORM_BYTES)))
        .route("/volgen/{token}/tevredenheid", post(survey))
        .route("/volgen/{token}/foto/{photo}", get(photo))
}

#[derive(Deserialize)]
struct PageQuery {
    #[serde(default)]
    toegevoegd: Option<String>,
}

async fn page(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    let notice = q.toegevoegd.is_some().then_some("Dank u wel. We hebben uw aanvulling ontvangen.");
    render(&s, &headers, &token, Problems::Page(&[]), "", &SurveyForm::default(), StatusCode::OK, notice).await
}

/// The survey's grades.
const GRADES: [&str; 10] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];

/// A photo on the tracking page (`templates/public/tracking/photo.html`).
struct PhotoLink {
    id: String,
    /// Browsers rarely show HEIC: a link instead of an image.
    heic: bool,
}

impl PhotoLink {
    fn of(p: &Photo) -> Self {
        Self { id: p.id.to_string(), heic: p.content_type == "image/heic" }
    }
}

/// A message both ways, with the photos sent with it.
struct MessageView<'a> {
    from_citizen: bool,
    at: String,
    text: &'a str,
    photos: Vec<PhotoLink>,
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "public/tracking/page.html")]
struct TrackingPage<'a> {
    org: String,
    token: &'a str,
    csrf: String,
    noun: &'static str,
    reference: &'a str,
    notice: Option<&'a str>,
    errors: Errors<'a>,
    status: &'static str,
    expected: Option<String>,
    /// The timeline: when, and what happened.
    steps: Vec<(String, &'a str)>,
    description: &'a str,
    first_photos: Vec<PhotoLink>,
    messages: Vec<MessageView<'a>>,
    /// Whether the case is open, so information can be added.
    open: bool,
    /// The text typed in the add form, kept after an error.
    message_text: &'a str,
    survey_open: bool,
    survey_answered: bool,
    survey: &'a SurveyForm,
    /// The grades 1 to 10.
    grades: Vec<Choice>,
    efforts: Vec<Choice>,
}

/// One answer of a survey question, chosen or not.
pub(super) struct Choice {
    pub(super) value: &'static str,
    pub(super) label: &'static str,
    pub(super) checked: bool,
}

/// The grades 1–10, with the one chosen before checked.
pub(super) fn grade_choices(form: &SurveyForm) -> Vec<Choice> {
    choices(&GRADES.map(|g| (g, g)), &form.cijfer)
}

/// The efforts 1–5 in words, with the one chosen before checked.
pub(super) fn effort_choices(form: &SurveyForm) -> Vec<Choice> {
    choices(
        &[
            ("1", "Heel makkelijk"),
            ("2", "Makkelijk"),
            ("3", "Niet makkelijk, niet moeilijk"),
            ("4", "Moeilijk"),
            ("5", "Heel moeilijk"),
        ],
        &form.moeite,
    )
}

/// The answers to a survey question, with the one chosen before checked.
fn choices(answers: &[(&'static str, &'static str)], chosen: &str) -> Vec<Choice> {
    answers.iter().map(|&(value, label)| Choice { value, label, checked: value == chosen }).collect()
}

/// What is wrong with what the citizen sent: found by the page itself, or refused by the use
/// case (worded once the page knows the kind of submission).
enum Problems<'a> {
    Page(&'a [FormError]),
    Refused(&'a [gastvrij_domain::Invalid]),
}

#[allow(clippy::too_many_arguments)]
async fn render(
    s: &AppState,
    headers: &HeaderMap,
    token: &str,
    problems: Problems<'_>,
    message_text: &str,
    survey_form: &SurveyForm,
    status: StatusCode,
    notice: Option<&str>,
) -> Response {
    let tracking: Tracking = match s.app.track(token).await {
        Ok(t) => t,
        Err(e) => return failure(s, &e, Attempt::Show).await,
    };
    let (csrf, set_cookie) = form_token(headers);
    let tz = time_zone(s).await;
    let record = &tracking.record;
    let errors = match problems {
        Problems::Page(errors) => errors.to_vec(),
        Problems::Refused(refused) => FormError::worded(refused, PublicForm::Tracking(record.submission.kind)),
    };
    let page = TrackingPage {
        org: organisation_name(s).await,
        token,
        csrf,
        noun: record.submission.kind.noun(),
        reference: &record.case.reference,
        notice,
        errors: Errors(&errors),
        status: match record.case.status {
            CaseStatus::Ontvangen => "ontvangen",
            CaseStatus::InBehandeling => "in behandeling",
            CaseStatus::Opgeschort => "we wachten even",
            CaseStatus::Afgehandeld => "afgehandeld",
        },
        expected: tracking.expected.map(|d| dutch_date(d, &tz)),
        steps: tracking.timeline.iter().map(|step| (dutch_moment(step.at, &tz), step.text.as_str())).collect(),
        description: &record.submission.description,
        first_photos: record.photos.iter().filter(|p| p.message_id.is_none()).map(PhotoLink::of).collect(),
        messages: record
            .messages
            .iter()
            .map(|m| MessageView {
                from_citizen: m.from_citizen,
                at: dutch_moment(m.at, &tz),
                text: &m.text,
                photos: record.photos.iter().filter(|p| p.message_id == Some(m.id)).map(PhotoLink::of).collect(),
            })
            .collect(),
        open: record.case.status.is_open(),
        message_text,
        survey_open: tracking.survey_open,
        survey_answered: record.survey.is_some(),
        survey: survey_form,
        grades: grade_choices(survey_form),
        efforts: effort_choices(survey_form),
    };
    with_cookie((status, page).into_response(), set_cookie)
}

async fn add(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(token): Path<String>,
    multipart: Multipart,
) -> Response {
    let received = match read_form(multipart).await {
        Ok(r) => r,
        Err(e) => {
            return add_page_again(&s, &headers, &token, Problems::Page(&[e]), "", StatusCode::BAD_REQUEST).await;
        }
    };
    let text = received.get("bericht");
    if !csrf_ok(&headers, &received.get("csrf")) {
        let e = FormError::new("bericht", "Het formulier was verlopen. Uw tekst staat er nog: verstuur het opnieuw.");
        return add_page_again(&s, &headers, &token, Problems::Page(&[e]), &text, StatusCode::FORBIDDEN).await;
    }
    if let Some(limited) = rate_limited(&s, ip).await {
        return limited;
    }
    if !received.oversized.is_empty() {
        let e = FormError::new("fotos", "Een foto is groter dan 10 MB. Kies een kleinere foto.");
        return add_page_again(&s, &headers, &token, Problems::Page(&[e]), &text, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    }
    let keep_location = received.get("fotolocatie") == "ja";
    match s.app.add_information(&token, &text, &received.photos, keep_location).await {
        Ok(()) => Redirect::to(&format!("/volgen/{token}?toegevoegd=1")).into_response(),
        Err(PortalError::Invalid(errors)) => {
            add_page_again(&s, &headers, &token, Problems::Refused(&errors), &text, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Err(PortalError::App(e)) => failure(&s, &e, Attempt::Store).await,
    }
}

/// The tracking page again after a problem with the add form, with the typed text kept.
async fn add_page_again(
    s: &AppState,
    headers: &HeaderMap,
    token: &str,
    problems: Problems<'_>,
    text: &str,
    status: StatusCode,
) -> Response {
    render(s, headers, token, problems, text, &SurveyForm::default(), status, None).await
}

#[derive(Deserialize)]
struct SurveyPost {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    form: SurveyForm,
}

async fn survey(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(post): Form<SurveyPost>,
) -> Response {
    if !csrf_ok(&headers, &post.csrf) {
        let e = FormError::new("cijfer", "Het formulier was verlopen. Uw antwoorden staan er nog: verstuur opnieuw.");
        return render(&s, &headers, &token, Problems::Page(&[e]), "", &post.form, StatusCode::FORBIDDEN, None).await;
    }
    if let Some(limited) = rate_limited(&s, ip).await {
        return limited;
    }
    match s.app.answer_survey(&token, &post.form).await {
        Ok(answer) => {
            let notice = if answer.reopen_requested {
                "Dank u wel. We kijken er opnieuw naar en nemen contact met u op."
            } else {
                "Dank u wel voor uw mening."
            };
            render(&s, &headers, &token, Problems::Page(&[]), "", &SurveyForm::default(), StatusCode::OK, Some(notice))
                .await
        }
        Err(PortalError::Invalid(errors)) => {
            render(
                &s,
                &headers,
                &token,
                Problems::Refused(&errors),
                "",
                &post.form,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            )
            .await
        }
        Err(PortalError::App(e)) => failure(&s, &e, Attempt::Store).await,
    }
}

async fn photo(State(s): State<AppState>, Path((token, photo)): Path<(String, String)>) -> Response {
    let Ok(id) = photo.parse::<PhotoId>() else {
        return failure(&s, &gastvrij_app::AppError::NotFound("photo"), Attempt::Show).await;
    };
    match s.app.tracked_photo(&token, id).await {
        Ok((content_type, bytes)) => (
            [(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "private, max-age=3600".to_string())],
            bytes,
        )
            .into_response(),
        Err(e) => failure(&s, &e, Attempt::Show).await,
    }
}
