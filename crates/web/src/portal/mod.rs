//! The public portal: pages for citizens, in plain Dutch (B1), that work without JavaScript.
//! `static/portaal.js` only adds live answer suggestions and "use my location".
//!
//! Forms are protected by a double-submit cookie (`gv_formulier`), a honeypot field instead of
//! a CAPTCHA, size limits, and a rate limit per address on everything that writes.

mod answers;
mod forms;
mod open_data;
mod planned_works;
mod start;
mod survey;
mod tracking;

use crate::AppState;
use crate::auth::{cookie, same_token};
pub use crate::wording::PublicForm;
use axum::Router;
use axum::extract::Multipart;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gastvrij_app::AppError;
use gastvrij_app::portal::UploadedPhoto;
use gastvrij_domain::Invalid;
use std::collections::HashMap;

/// The form-protection cookie.
pub const FORM_COOKIE: &str = "gv_formulier";
/// The honeypot field: hidden from people, filled in by bots.
pub const HONEYPOT: &str = "website";
/// The largest request a form may send: three photos of 10 MB and the text.
pub const MAX_FORM_BYTES: usize = 3 * gastvrij_domain::photo::MAX_PHOTO_BYTES + 256 * 1024;
/// The longest text field accepted from a form before the domain's own limits.
const MAX_FIELD_BYTES: usize = 64 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(start::router())
        .merge(forms::router())
        .merge(tracking::router())
        .merge(survey::router())
        .merge(answers::router())
        .merge(planned_works::router())
        .merge(open_data::router())
}

/// Phone numbers shown to citizens.
#[derive(Debug, Clone)]
pub struct PortalSettings {
    /// The general number (office hours).
    pub phone: String,
    /// The 24/7 number for danger (calamities, a dike giving way).
    pub urgent_phone: String,
}

impl Default for PortalSettings {
    fn default() -> Self {
        Self { phone: "088 000 0000".into(), urgent_phone: "088 000 0000".into() }
    }
}

pub async fn organisation_name(state: &AppState) -> String {
    state.app.store().organisation().await.ok().flatten().map(|o| o.name).unwrap_or_else(|| "Het waterschap".into())
}

/// A short public page with one message (`templates/public/message.html`).
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "public/message.html")]
struct MessagePage<'a> {
    org: &'a str,
    heading: &'a str,
    text: &'a str,
}

/// A short page with one message.
pub async fn message(state: &AppState, status: StatusCode, heading: &str, text: &str) -> Response {
    let org = organisation_name(state).await;
    (status, MessagePage { org: &org, heading, text }).into_response()
}

/// What a use case tried when it failed: it decides what a citizen may be told happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Showing something; nothing was to be stored.
    Show,
    /// Storing what the citizen sent in one transaction: when it failed, nothing was stored.
    Store,
}

/// The one answer of every public page whose use case failed: plain Dutch, never the technical
/// cause, never a promise of what did not happen. Unexpected errors are logged with their cause.
pub async fn failure(state: &AppState, e: &AppError, attempt: Attempt) -> Response {
    match e {
        AppError::NotFound("photo") => {
            message(
                state,
                StatusCode::NOT_FOUND,
                "Foto niet gevonden",
                "Deze foto kunnen we niet (meer) laten zien. Uw melding zelf is wel bij ons bekend.",
            )
            .await
        }
        AppError::NotFound(_) => {
            message(
                state,
                StatusCode::NOT_FOUND,
                "Niet gevonden",
                "Deze pagina bestaat niet (meer). Controleer de link in uw e-mail, of ga naar de startpagina.",
            )
            .await
        }
        AppError::Invalid(i) => {
            message(state, StatusCode::UNPROCESSABLE_ENTITY, "Dat ging niet goed", &invalid_in_dutch(i)).await
        }
        other => {
            tracing::error!(error = ?other, attempt = ?attempt, "public page failed");
            let stored = match attempt {
                Attempt::Store => " Er is niets van u opgeslagen.",
                Attempt::Show => "",
            };
            let text = format!(
                "Er ging bij ons iets mis.{stored} Probeer het over een paar minuten opnieuw, of bel ons op {}.",
                state.portal.phone
            );
            message(state, StatusCode::SERVICE_UNAVAILABLE, "Het lukt nu even niet", &text).await
        }
    }
}

/// A refused value in plain Dutch, from the one place that words validation errors
/// (`crate::wording`); never the English of the API.
pub fn invalid_in_dutch(i: &gastvrij_domain::Invalid) -> String {
    crate::wording::dutch(i)
}

/// One problem with a form as the page shows it: the field (its `id`, for the link from the
/// summary) and the sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    pub field: &'static str,
    pub message: String,
}

impl FormError {
    /// A problem the page itself finds (an expired form, a photo too large to read).
    pub fn new(field: &'static str, message: &str) -> Self {
        Self { field, message: message.to_string() }
    }

    /// The use case's verdict on the input, worded for the citizen on `form`.
    pub fn worded(errors: &[Invalid], form: PublicForm) -> Vec<FormError> {
        errors.iter().map(|i| FormError { field: i.field, message: crate::wording::citizen(i, form) }).collect()
    }
}

/// The problems with a form as a page shows them: a summary at the top, a message per field.
#[derive(Debug, Clone, Copy)]
pub struct Errors<'a>(pub &'a [FormError]);

impl Errors<'_> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn all(&self) -> &[FormError] {
        self.0
    }

    /// The first problem with one field.
    pub fn get(&self, field: &str) -> Option<&FormError> {
        self.0.iter().find(|e| e.field == field)
    }

    /// The summary's heading: "Er is nog iets niet goed" or "Er zijn nog 3 dingen niet goed".
    pub fn heading(&self) -> String {
        match self.0.len() {
            1 => "Er is nog iets niet goed".to_string(),
            n => format!("Er zijn nog {n} dingen niet goed"),
        }
    }
}

/// The form token from the cookie, or a new one (with the cookie to set).
pub fn form_token(headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    if let Some(t) = cookie(headers, FORM_COOKIE).filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return (t.to_string(), None);
    }
    // Without randomness no form token can be made; an empty one never matches.
    let token = gastvrij_app::secrets::random_hex(16).unwrap_or_default();
    let value =
        HeaderValue::from_str(&format!("{FORM_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200"));
    (token, value.ok())
}

/// Attach the form cookie to a response when it is new.
pub fn with_cookie(mut res: Response, set: Option<HeaderValue>) -> Response {
    if let Some(v) = set {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// Whether the form's token matches the cookie.
pub fn csrf_ok(headers: &HeaderMap, sent: &str) -> bool {
    cookie(headers, FORM_COOKIE).is_some_and(|c| !c.is_empty() && same_token(c, sent))
}

/// A form as received: text fields and photos.
#[derive(Debug, Default)]
pub struct ReceivedForm {
    pub fields: HashMap<String, String>,
    pub photos: Vec<UploadedPhoto>,
    /// A photo was larger than allowed (the rest of it was not read).
    pub oversized: Vec<String>,
}

impl ReceivedForm {
    pub fn get(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }
}

/// Read a multipart form, keeping at most 10 MB (+1 byte, to detect excess) of each photo.
pub async fn read_form(mut multipart: Multipart) -> Result<ReceivedForm, FormError> {
    let broken = || {
        FormError::new("fotos", "Het formulier kwam niet goed aan. Probeer het opnieuw, eventueel met kleinere foto's.")
    };
    let mut form = ReceivedForm::default();
    while let Some(mut field) = multipart.next_field().await.map_err(|_| broken())? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "fotos" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let mut bytes = Vec::new();
            let mut too_big = false;
            while let Some(chunk) = field.chunk().await.map_err(|_| broken())? {
                if bytes.len() + chunk.len() > gastvrij_domain::photo::MAX_PHOTO_BYTES {
                    too_big = true;
                    continue;
                }
                bytes.extend_from_slice(&chunk);
            }
            if too_big {
                form.oversized.push(file_name);
            } else if !bytes.is_empty() {
                form.photos.push(UploadedPhoto { file_name, bytes });
            }
        } else {
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| broken())? {
                if bytes.len() + chunk.len() > MAX_FIELD_BYTES {
                    return Err(FormError::new(
                        "omschrijving",
                        "Uw tekst is veel te lang. Maak het korter, tot 4000 tekens.",
                    ));
                }
                bytes.extend_from_slice(&chunk);
            }
            let text = String::from_utf8(bytes).map_err(|_| broken())?;
            form.fields.insert(name, text);
        }
    }
    Ok(form)
}

/// A date for citizens: "dinsdag 3 december 2026".
pub fn dutch_date(at: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
    gastvrij_domain::portal::dutch_date(at, tz)
}

/// A moment for citizens: "3 december 2026 om 14.05 uur".
pub fn dutch_moment(at: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
    let z = at.to_zoned_datetime(tz.clone());
    format!("{} om {}.{:02} uur", dutch_date(at, tz), z.hour(), z.minute())
}

pub async fn time_zone(state: &AppState) -> jiff::tz::TimeZone {
    let name = state.app.store().organisation().await.ok().flatten().map(|o| o.time_zone);
    name.and_then(|n| jiff::tz::TimeZone::get(&n).ok())
        .unwrap_or_else(|| jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap_or(jiff::tz::TimeZone::UTC))
}

/// Whether this address may submit again now; else a Dutch page saying when to retry.
pub async fn rate_limited(state: &AppState, ip: Option<std::net::IpAddr>) -> Option<Response> {
    if state.submit_limiter.allow(ip).await {
        return None;
    }
    let text = format!(
        "Er zijn vanaf uw internetverbinding veel formulieren verstuurd. Wacht tien minuten en probeer het dan \
         opnieuw. Is het dringend? Bel {}.",
        state.portal.phone
    );
    let mut res = message(state, StatusCode::TOO_MANY_REQUESTS, "Even wachten", &text).await;
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("600"));
    Some(res)
}
