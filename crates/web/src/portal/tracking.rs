//! The tracking page behind the private link: the status in plain words, the expected date,
//! messages both ways, adding information or a photo, and the survey after closure.

use super::{
    MAX_FORM_BYTES, csrf_field, csrf_ok, dutch_date, dutch_moment, error_summary, failure, field_error, form_token,
    organisation_name, public_page, rate_limited, read_form, time_zone, with_cookie,
};
use crate::AppState;
use crate::layers::ClientIp;
use crate::pages::escape;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::portal::{PortalError, Tracking};
use gastvrij_domain::case::CaseStatus;
use gastvrij_domain::ids::PhotoId;
use gastvrij_domain::portal::{FieldError, SurveyForm};
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
    render(&s, &headers, &token, &[], "", &SurveyForm::default(), StatusCode::OK, notice).await
}

#[allow(clippy::too_many_arguments)]
async fn render(
    s: &AppState,
    headers: &HeaderMap,
    token: &str,
    errors: &[FieldError],
    message_text: &str,
    survey_form: &SurveyForm,
    status: StatusCode,
    notice: Option<&str>,
) -> Response {
    let tracking: Tracking = match s.app.track(token).await {
        Ok(t) => t,
        Err(e) => return failure(s, &e).await,
    };
    let (csrf, set_cookie) = form_token(headers);
    let org = organisation_name(s).await;
    let tz = time_zone(s).await;
    let record = &tracking.record;
    let sub = &record.submission;
    let noun = sub.kind.noun();
    let open = record.case.status.is_open();

    let steps: String = tracking
        .timeline
        .iter()
        .map(|step| {
            format!("<li><span class=\"wanneer\">{}</span> {}</li>", dutch_moment(step.at, &tz), escape(&step.text))
        })
        .collect();
    let expected = tracking
        .expected
        .map(|d| format!("<p>U hoort uiterlijk op <strong>{}</strong> van ons.</p>", dutch_date(d, &tz)))
        .unwrap_or_default();
    let messages: String = record
        .messages
        .iter()
        .map(|m| {
            let who = if m.from_citizen { "U schreef" } else { "Het waterschap schreef" };
            let photos: String =
                record.photos.iter().filter(|p| p.message_id == Some(m.id)).map(|p| photo_link(token, p)).collect();
            format!(
                "<li class=\"{class}\"><p class=\"wanneer\">{who} op {at}:</p><p>{text}</p>{photos}</li>",
                class = if m.from_citizen { "van-u" } else { "van-ons" },
                at = dutch_moment(m.at, &tz),
                text = escape(&m.text).replace('\n', "<br>"),
            )
        })
        .collect();
    let messages = if messages.is_empty() {
        "<p>Er zijn nog geen berichten.</p>".to_string()
    } else {
        format!("<ul class=\"berichten\">{messages}</ul>")
    };
    let first_photos: String =
        record.photos.iter().filter(|p| p.message_id.is_none()).map(|p| photo_link(token, p)).collect();

    let add_form = if open {
        let (msg_err, msg_attr) = field_error(errors, "bericht");
        let (photo_err, photo_attr) = field_error(errors, "fotos");
        format!(
            r#"<h2>Iets toevoegen</h2>
<form method="post" action="/volgen/{token}/aanvullen" enctype="multipart/form-data" novalidate>
{csrf}
<div class="veld"><label for="bericht">Wat wilt u nog vertellen?</label>{msg_err}<textarea id="bericht" name="bericht" rows="4" maxlength="4000"{msg_attr}>{text}</textarea></div>
<div class="veld"><label for="fotos">Foto's (niet verplicht, hoogstens 3)</label>{photo_err}<input type="file" id="fotos" name="fotos" accept="image/jpeg,image/png,image/heic,.heic" multiple{photo_attr}></div>
<div class="keuze"><input type="checkbox" id="fotolocatie" name="fotolocatie" value="ja"><label for="fotolocatie">U mag de plek waar de foto is gemaakt gebruiken</label></div>
<p><button type="submit">Toevoegen</button></p>
</form>"#,
            token = escape(token),
            csrf = csrf_field(&csrf),
            text = escape(message_text),
        )
    } else {
        String::new()
    };

    let survey = if tracking.survey_open {
        survey_form_html(token, &csrf, errors, survey_form, noun)
    } else if record.survey.is_some() {
        "<h2>Uw mening</h2><p>U hebt de vragenlijst ingevuld. Dank u wel!</p>".to_string()
    } else {
        String::new()
    };

    let notice =
        notice.map(|n| format!(r#"<div class="melding" role="status"><p>{}</p></div>"#, escape(n))).unwrap_or_default();
    let body = format!(
        r#"<h1>Uw {noun} {reference}</h1>
{notice}{summary}
<p><strong>Status:</strong> {status}</p>
{expected}
<h2>Wat er is gebeurd</h2>
<ol class="tijdlijn">{steps}</ol>
<h2>Wat u ons stuurde</h2>
<p>{description}</p>{first_photos}
<h2>Berichten</h2>
{messages}
{add_form}
{survey}"#,
        reference = escape(&record.case.reference),
        summary = error_summary(errors),
        status = match record.case.status {
            CaseStatus::Ontvangen => "ontvangen",
            CaseStatus::InBehandeling => "in behandeling",
            CaseStatus::Opgeschort => "we wachten even",
            CaseStatus::Afgehandeld => "afgehandeld",
        },
        description = escape(&sub.description).replace('\n', "<br>"),
    );
    with_cookie((status, Html(public_page(&org, &format!("Uw {noun}"), &body))).into_response(), set_cookie)
}

fn photo_link(token: &str, p: &gastvrij_domain::portal::Photo) -> String {
    let url = format!("/volgen/{}/foto/{}", escape(token), p.id);
    if p.content_type == "image/heic" {
        format!(r#"<p><a href="{url}">Foto (HEIC) bekijken</a></p>"#)
    } else {
        format!(r#"<p><a href="{url}"><img src="{url}" alt="Foto die u meestuurde" class="foto"></a></p>"#)
    }
}

fn survey_form_html(token: &str, csrf: &str, errors: &[FieldError], f: &SurveyForm, noun: &str) -> String {
    let (grade_err, _) = field_error(errors, "cijfer");
    let (solved_err, _) = field_error(errors, "opgelost");
    let (effort_err, _) = field_error(errors, "moeite");
    let grades: String = (1..=10)
        .map(|g| {
            let v = g.to_string();
            format!(
                r#"<span class="cijfer"><input type="radio" id="cijfer-{v}" name="cijfer" value="{v}"{c}><label for="cijfer-{v}">{v}</label></span>"#,
                c = if f.cijfer == v { " checked" } else { "" }
            )
        })
        .collect();
    let efforts = [
        (1, "Heel makkelijk"),
        (2, "Makkelijk"),
        (3, "Niet makkelijk, niet moeilijk"),
        (4, "Moeilijk"),
        (5, "Heel moeilijk"),
    ];
    let efforts: String = efforts
        .iter()
        .map(|(n, label)| {
            let v = n.to_string();
            format!(
                r#"<div class="keuze"><input type="radio" id="moeite-{v}" name="moeite" value="{v}"{c}><label for="moeite-{v}">{label}</label></div>"#,
                c = if f.moeite == v { " checked" } else { "" }
            )
        })
        .collect();
    let yes_no = |name: &str, value: &str, label: &str, current: &str| {
        format!(
            r#"<div class="keuze"><input type="radio" id="{name}-{value}" name="{name}" value="{value}"{c}><label for="{name}-{value}">{label}</label></div>"#,
            c = if current == value { " checked" } else { "" }
        )
    };
    format!(
        r#"<h2>Wat vond u ervan?</h2>
<p>We horen graag wat u van onze hulp vond. Het invullen duurt een minuut.</p>
<form method="post" action="/volgen/{token}/tevredenheid" novalidate>
<input type="hidden" name="csrf" value="{csrf}">
<fieldset id="cijfer"><legend>Welk cijfer geeft u ons? (1 is heel slecht, 10 is heel goed)</legend>{grade_err}{grades}</fieldset>
<fieldset id="opgelost"><legend>Is uw {noun} opgelost?</legend>{solved_err}{ja}{nee}</fieldset>
<fieldset id="moeite"><legend>Hoeveel moeite kostte het u?</legend>{effort_err}{efforts}</fieldset>
<div class="veld"><label for="toelichting">Wilt u nog iets zeggen? (niet verplicht)</label><textarea id="toelichting" name="toelichting" rows="3" maxlength="4000">{text}</textarea></div>
<div class="keuze"><input type="checkbox" id="heropenen" name="heropenen" value="ja"{reopen}><label for="heropenen">Ik ben niet tevreden: kijk er alstublieft opnieuw naar</label></div>
<p><button type="submit">Versturen</button></p>
</form>"#,
        token = escape(token),
        csrf = escape(csrf),
        ja = yes_no("opgelost", "ja", "Ja", &f.opgelost),
        nee = yes_no("opgelost", "nee", "Nee", &f.opgelost),
        text = escape(&f.toelichting),
        reopen = if f.heropenen == "ja" { " checked" } else { "" },
    )
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
            return render(&s, &headers, &token, &[e], "", &SurveyForm::default(), StatusCode::BAD_REQUEST, None).await;
        }
    };
    let text = received.get("bericht");
    if !csrf_ok(&headers, &received.get("csrf")) {
        let e = FieldError::new("bericht", "Het formulier was verlopen. Uw tekst staat er nog: verstuur het opnieuw.");
        return render(&s, &headers, &token, &[e], &text, &SurveyForm::default(), StatusCode::FORBIDDEN, None).await;
    }
    if let Some(limited) = rate_limited(&s, ip).await {
        return limited;
    }
    if !received.oversized.is_empty() {
        let e = FieldError::new("fotos", "Een foto is groter dan 10 MB. Kies een kleinere foto.");
        return render(
            &s,
            &headers,
            &token,
            &[e],
            &text,
            &SurveyForm::default(),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        )
        .await;
    }
    let keep_location = received.get("fotolocatie") == "ja";
    match s.app.add_information(&token, &text, &received.photos, keep_location).await {
        Ok(()) => Redirect::to(&format!("/volgen/{token}?toegevoegd=1")).into_response(),
        Err(PortalError::Invalid(errors)) => {
            render(&s, &headers, &token, &errors, &text, &SurveyForm::default(), StatusCode::UNPROCESSABLE_ENTITY, None)
                .await
        }
        Err(PortalError::App(e)) => failure(&s, &e).await,
    }
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
        let e = FieldError::new("cijfer", "Het formulier was verlopen. Uw antwoorden staan er nog: verstuur opnieuw.");
        return render(&s, &headers, &token, &[e], "", &post.form, StatusCode::FORBIDDEN, None).await;
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
            render(&s, &headers, &token, &[], "", &SurveyForm::default(), StatusCode::OK, Some(notice)).await
        }
        Err(PortalError::Invalid(errors)) => {
            render(&s, &headers, &token, &errors, "", &post.form, StatusCode::UNPROCESSABLE_ENTITY, None).await
        }
        Err(PortalError::App(e)) => failure(&s, &e).await,
    }
}

async fn photo(State(s): State<AppState>, Path((token, photo)): Path<(String, String)>) -> Response {
    let Ok(id) = photo.parse::<PhotoId>() else {
        return failure(&s, &gastvrij_app::AppError::NotFound("photo")).await;
    };
    match s.app.tracked_photo(&token, id).await {
        Ok((content_type, bytes)) => (
            [(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "private, max-age=3600".to_string())],
            bytes,
        )
            .into_response(),
        Err(e) => failure(&s, &e).await,
    }
}
