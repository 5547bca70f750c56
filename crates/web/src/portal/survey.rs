//! The survey invitation behind the link in the mail (`/enquete/{token}`, issue 15): grade,
//! solved, effort and a comment, once per link, within 14 days; plain HTML, no JavaScript.

use super::tracking::{Choice, effort_choices, grade_choices};
use super::{
    Attempt, Errors, FormError, PublicForm, csrf_ok, failure, form_token, organisation_name, rate_limited, with_cookie,
};
use crate::AppState;
use crate::layers::ClientIp;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_app::portal::PortalError;
use gastvrij_app::satisfaction::InvitationState;
use gastvrij_domain::portal::{SubmissionKind, SurveyForm};
use gastvrij_domain::satisfaction::ANSWER_DAYS;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/enquete/{token}", get(page).post(answer))
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "public/survey/answer.html")]
struct AnswerPage<'a> {
    org: String,
    token: &'a str,
    csrf: String,
    noun: &'static str,
    notice: Option<&'a str>,
    errors: Errors<'a>,
    open: bool,
    answered: bool,
    days: i64,
    survey: &'a SurveyForm,
    grades: Vec<Choice>,
    efforts: Vec<Choice>,
}

async fn render(
    s: &AppState,
    headers: &HeaderMap,
    token: &str,
    errors: &[FormError],
    form: &SurveyForm,
    status: StatusCode,
    notice: Option<&str>,
) -> Response {
    let state = match s.app.survey_invitation_state(token).await {
        Ok(Some(state)) => state,
        Ok(None) => return failure(s, &AppError::NotFound("invitation"), Attempt::Show).await,
        Err(e) => return failure(s, &e, Attempt::Show).await,
    };
    let (csrf, set_cookie) = form_token(headers);
    let page = AnswerPage {
        org: organisation_name(s).await,
        token,
        csrf,
        noun: SubmissionKind::Vraag.noun(),
        notice,
        errors: Errors(errors),
        open: state == InvitationState::Open,
        answered: state == InvitationState::Answered,
        days: ANSWER_DAYS,
        survey: form,
        grades: grade_choices(form),
        efforts: effort_choices(form),
    };
    with_cookie((status, page).into_response(), set_cookie)
}

async fn page(State(s): State<AppState>, headers: HeaderMap, Path(token): Path<String>) -> Response {
    render(&s, &headers, &token, &[], &SurveyForm::default(), StatusCode::OK, None).await
}

#[derive(Deserialize)]
struct AnswerPost {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    form: SurveyForm,
}

async fn answer(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(post): Form<AnswerPost>,
) -> Response {
    if !csrf_ok(&headers, &post.csrf) {
        let e = FormError::new("cijfer", "Het formulier was verlopen. Uw antwoorden staan er nog: verstuur opnieuw.");
        return render(&s, &headers, &token, &[e], &post.form, StatusCode::FORBIDDEN, None).await;
    }
    if let Some(limited) = rate_limited(&s, ip).await {
        return limited;
    }
    match s.app.answer_survey_invitation(&token, &post.form).await {
        Ok(_) => {
            let notice = "Dank u wel voor uw mening. Daar worden we beter van.";
            render(&s, &headers, &token, &[], &SurveyForm::default(), StatusCode::OK, Some(notice)).await
        }
        Err(PortalError::Invalid(errors)) => {
            let worded = FormError::worded(&errors, PublicForm::Tracking(SubmissionKind::Vraag));
            render(&s, &headers, &token, &worded, &post.form, StatusCode::UNPROCESSABLE_ENTITY, None).await
        }
        Err(PortalError::App(e)) => failure(&s, &e, Attempt::Store).await,
    }
}
