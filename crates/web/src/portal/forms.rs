//! The three public forms (vraag, melding, klacht) and the confirmation after the commit.
//!
//! A submission is stored completely or the citizen sees the form again with every problem
//! named and their text kept. The confirmation page is shown only after the commit: the form
//! redirects to it with the private tracking link.

use super::{
    HONEYPOT, MAX_FORM_BYTES, ReceivedForm, csrf_field, csrf_ok, dutch_date, error_summary, failure, field_error,
    form_token, honeypot_field, organisation_name, public_page, rate_limited, read_form, time_zone, with_cookie,
};
use crate::AppState;
use crate::layers::ClientIp;
use crate::pages::escape;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use gastvrij_app::portal::{PortalError, PublicTopic};
use gastvrij_domain::portal::{FieldError, SubmissionForm, SubmissionKind};
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
        let e = FieldError::new(
            "omschrijving",
            "Het formulier was verlopen of uw browser weigert cookies. Uw tekst staat er nog: verstuur het formulier opnieuw.",
        );
        return show(&s, &headers, kind, &form, &[e], false, StatusCode::FORBIDDEN).await;
    }
    if !received.get(HONEYPOT).trim().is_empty() {
        let e = FieldError::new(
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
        let e = FieldError::new(
            "fotos",
            "Een foto is groter dan 10 MB. Kies een kleinere foto, of maak de foto kleiner. Kies daarna uw foto's opnieuw.",
        );
        return show(&s, &headers, kind, &form, &[e], false, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match s.app.submit(kind, &form, &received.photos).await {
        Ok(receipt) => Redirect::to(&format!("/ontvangen/{}", receipt.token)).into_response(),
        Err(PortalError::Invalid(mut errors)) => {
            if !received.photos.is_empty() {
                errors.push(FieldError::new("fotos", "Kies uw foto's opnieuw: een browser bewaart ze niet."));
            }
            show(&s, &headers, kind, &form, &errors, false, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(PortalError::App(e)) => failure(&s, &e).await,
    }
}

fn title(kind: SubmissionKind) -> &'static str {
    match kind {
        SubmissionKind::Vraag => "Stel een vraag",
        SubmissionKind::Melding => "Doe een melding",
        SubmissionKind::Klacht => "Dien een klacht in",
    }
}

fn radio(name: &str, value: &str, label: &str, checked: &str) -> String {
    format!(
        r#"<div class="keuze"><input type="radio" id="{name}-{value}" name="{name}" value="{value}"{c}><label for="{name}-{value}">{label}</label></div>"#,
        c = if checked == value { " checked" } else { "" }
    )
}

fn topic_select(topics: &[PublicTopic], selected: &str, err: &str, attrs: &str, required: bool) -> String {
    let mut options = String::from(r#"<option value="">Kies een onderwerp</option>"#);
    for t in topics {
        let id = t.topic.id.to_string();
        options.push_str(&format!(
            r#"<option value="{id}"{sel}>{label}</option>"#,
            sel = if id == selected { " selected" } else { "" },
            label = escape(&t.label)
        ));
    }
    let label = if required { "Waar gaat het over?" } else { "Waar gaat het over? (niet verplicht)" };
    format!(
        r#"<div class="veld"><label for="onderwerp">{label}</label>{err}<select id="onderwerp" name="onderwerp"{attrs}>{options}</select></div>"#
    )
}

#[allow(clippy::too_many_arguments)]
async fn show(
    s: &AppState,
    headers: &HeaderMap,
    kind: SubmissionKind,
    form: &SubmissionForm,
    errors: &[FieldError],
    search_first: bool,
    status: StatusCode,
) -> Response {
    let (token, set_cookie) = form_token(headers);
    let org = organisation_name(s).await;
    let topics = s.app.public_topics().await.unwrap_or_default();
    let e = |f: &str| field_error(errors, f);
    let v = |x: &str| escape(x);

    let suggestions = if search_first {
        let hits = s.app.search_public_answers(&form.omschrijving, 5).await.unwrap_or_default();
        super::answers::suggestion_list(&hits, &form.omschrijving, true)
    } else {
        String::new()
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
    let (desc_err, desc_attr) = e("omschrijving");
    let description_label = match kind {
        SubmissionKind::Vraag => "Wat is uw vraag?",
        SubmissionKind::Melding => "Wat ziet u? Wat is er aan de hand?",
        SubmissionKind::Klacht => "Waarover hebt u een klacht?",
    };
    let (topic_err, topic_attr) = e("onderwerp");
    let topic = topic_select(&topics, &form.onderwerp, &topic_err, &topic_attr, kind == SubmissionKind::Melding);

    let search_button = if kind == SubmissionKind::Vraag {
        r#"<p><button type="submit" name="zoek" value="1" class="tweede" formnovalidate>Zoek eerst een antwoord</button></p>"#
    } else {
        ""
    };

    let place = if kind == SubmissionKind::Melding {
        let (pc_err, pc_attr) = e("postcode");
        let (hn_err, hn_attr) = e("huisnummer");
        let (pl_err, pl_attr) = e("plek");
        let (pt_err, _) = e("punt");
        let (when_err, when_attr) = e("wanneer");
        format!(
            r#"<fieldset><legend>Waar is het?</legend>
<p class="hulp">Vul een adres in, of beschrijf de plek. Allebei mag ook.</p>
<div class="veld inline"><label for="postcode">Postcode</label>{pc_err}<input id="postcode" name="postcode" autocomplete="postal-code" size="8" maxlength="7" value="{pc}"{pc_attr}></div>
<div class="veld inline"><label for="huisnummer">Huisnummer</label>{hn_err}<input id="huisnummer" name="huisnummer" size="6" maxlength="10" value="{hn}"{hn_attr}></div>
<div class="veld"><label for="plek">Of beschrijf de plek</label>{pl_err}<input id="plek" name="plek" maxlength="200" value="{pl}" placeholder="Bijvoorbeeld: bij de brug over de Vliet, Molenweg"{pl_attr}></div>
{pt_err}<div class="locatie" id="punt" data-locatie><input type="hidden" name="lat" id="lat" value="{lat}"><input type="hidden" name="lon" id="lon" value="{lon}"></div>
</fieldset>
<div class="veld"><label for="wanneer">Wanneer zag u het? (niet verplicht)</label>{when_err}<input id="wanneer" name="wanneer" maxlength="200" value="{when}" placeholder="Bijvoorbeeld: vanochtend om 8 uur"{when_attr}></div>
<fieldset><legend>Is er nu gevaar, bijvoorbeeld een dijk die het begeeft?</legend>
{ja}{nee}
<p class="hulp">Is er gevaar? Bel dan ook direct <strong>{urgent}</strong>, dag en nacht.</p>
</fieldset>"#,
            pc = v(&form.postcode),
            hn = v(&form.huisnummer),
            pl = v(&form.plek),
            lat = v(&form.lat),
            lon = v(&form.lon),
            when = v(&form.wanneer),
            ja = radio("gevaar", "ja", "Ja, er is nu gevaar", &form.gevaar),
            nee = radio("gevaar", "nee", "Nee", if form.gevaar.is_empty() { "nee" } else { &form.gevaar }),
            urgent = v(&s.portal.urgent_phone),
        )
    } else {
        String::new()
    };

    let (photo_err, photo_attr) = e("fotos");
    let photos = format!(
        r#"<div class="veld"><label for="fotos">Foto's (niet verplicht, hoogstens 3)</label>
<p class="hulp" id="fotos-hulp">JPEG, PNG of HEIC, elk hoogstens 10 MB. We halen gegevens zoals het type camera uit de foto.</p>{photo_err}
<input type="file" id="fotos" name="fotos" accept="image/jpeg,image/png,image/heic,.heic" multiple{photo_attr}></div>
<div class="keuze"><input type="checkbox" id="fotolocatie" name="fotolocatie" value="ja"{fl}><label for="fotolocatie">U mag de plek waar de foto is gemaakt gebruiken</label></div>"#,
        fl = if form.fotolocatie == "ja" { " checked" } else { "" }
    );

    let (contact_err, _) = e("contact");
    let (name_err, name_attr) = e("naam");
    let (mail_err, mail_attr) = e("email");
    let (tel_err, tel_attr) = e("telefoon");
    let default_contact =
        if form.contact.is_empty() && kind != SubmissionKind::Klacht { "email" } else { &form.contact };
    let name_label = if kind == SubmissionKind::Klacht { "Uw naam" } else { "Uw naam (niet verplicht)" };
    let contact = format!(
        r#"<fieldset id="contact"><legend>Hoe wilt u van ons horen?</legend>{contact_err}
{m}{t}{g}
<div class="veld"><label for="naam">{name_label}</label>{name_err}<input id="naam" name="naam" autocomplete="name" maxlength="200" value="{naam}"{name_attr}></div>
<div class="veld"><label for="email">E-mailadres</label>{mail_err}<input id="email" name="email" type="email" autocomplete="email" maxlength="254" value="{email}"{mail_attr}></div>
<div class="veld"><label for="telefoon">Telefoonnummer</label>{tel_err}<input id="telefoon" name="telefoon" type="tel" autocomplete="tel" maxlength="20" value="{tel}"{tel_attr}></div>
</fieldset>"#,
        m = radio(
            "contact",
            "email",
            "Per e-mail: u krijgt een bevestiging en berichten over de voortgang",
            default_contact
        ),
        t = radio("contact", "telefoon", "Per telefoon", default_contact),
        g = if kind == SubmissionKind::Klacht {
            String::new()
        } else {
            radio("contact", "geen", "Ik hoef niets te horen", default_contact)
        },
        naam = v(&form.naam),
        email = v(&form.email),
        tel = v(&form.telefoon),
    );

    let path = kind.code();
    let body = format!(
        r#"<h1>{title}</h1>
{summary}
<p>{intro}</p>
<form method="post" action="/{path}" enctype="multipart/form-data" novalidate>
{csrf}{honeypot}
<div class="veld"><label for="omschrijving">{description_label}</label>{desc_err}
<textarea id="omschrijving" name="omschrijving" rows="6" maxlength="4000" data-suggesties="/antwoorden/suggesties"{desc_attr}>{desc}</textarea></div>
<div id="suggesties" aria-live="polite">{suggestions}</div>
{search_button}
{topic}
{place}
{photos}
{contact}
<p><button type="submit">Verstuur</button></p>
</form>"#,
        title = title(kind),
        summary = error_summary(errors),
        csrf = csrf_field(&token),
        honeypot = honeypot_field(),
        desc = v(&form.omschrijving),
    );
    with_cookie((status, Html(public_page(&org, title(kind), &body))).into_response(), set_cookie)
}

/// The confirmation (ontvangstbevestiging), shown after the commit.
async fn confirmation(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    let tracking = match s.app.track(&token).await {
        Ok(t) => t,
        Err(e) => return failure(&s, &e).await,
    };
    let org = organisation_name(&s).await;
    let tz = time_zone(&s).await;
    let sub = &tracking.record.submission;
    let case = &tracking.record.case;
    let noun = sub.kind.noun();
    let expected = tracking
        .expected
        .map(|d| format!("<p>U hoort uiterlijk op <strong>{}</strong> van ons.</p>", dutch_date(d, &tz)))
        .unwrap_or_default();
    let next = match sub.kind {
        SubmissionKind::Melding if sub.urgent => format!(
            "<p>U gaf aan dat er nu gevaar is. We komen zo snel mogelijk in actie, ook 's nachts en in het weekend. \
             Bel ook direct <strong>{}</strong>.</p>",
            escape(&s.portal.urgent_phone)
        ),
        SubmissionKind::Melding => "<p>Een medewerker bekijkt uw melding en zorgt dat er iets mee gebeurt.</p>".into(),
        SubmissionKind::Vraag => "<p>Een medewerker zoekt het antwoord op uw vraag.</p>".into(),
        SubmissionKind::Klacht => format!(
            "<p>We bevestigen uw klacht binnen 5 werkdagen{ack}. Daarna behandelt een medewerker die niet bij de \
             klacht betrokken was uw klacht. U krijgt binnen 6 weken antwoord. Hebben we meer tijd nodig, dan hoort u \
             dat op tijd.</p>",
            ack = case
                .timing
                .deadlines
                .and_then(|d| d.acknowledgement)
                .map(|a| format!(" (uiterlijk {})", dutch_date(a, &tz)))
                .unwrap_or_default()
        ),
    };
    let mail = match sub.mail_to() {
        Some(_) => "<p>We sturen u ook een e-mail met deze gegevens.</p>",
        None => "<p>Bewaar de link hieronder: daarmee ziet u hoe het ervoor staat.</p>",
    };
    let link = format!("/volgen/{token}");
    let body = format!(
        r#"<div class="melding" role="status"><h1>Bedankt, we hebben uw {noun} ontvangen</h1>
<p>Uw nummer is <strong>{reference}</strong>.</p></div>
<h2>Wat gebeurt er nu?</h2>
{next}
{expected}
{mail}
<p><a href="{link}">Bekijk hoe het met uw {noun} gaat</a></p>"#,
        reference = escape(&case.reference),
        link = escape(&link),
    );
    Html(public_page(&org, &format!("Uw {noun} is ontvangen"), &body)).into_response()
}
