//! The activity calendar for citizens (werkzaamheden): the works that run now or start later,
//! search by postcode or place, and e-mail subscriptions with double opt-in and a one-click
//! unsubscribe (also RFC 8058 `List-Unsubscribe=One-Click` from a mail program).
//!
//! Everything works without JavaScript. The subscribe form has the portal's protection
//! (double-submit cookie, honeypot, rate limit per address); its answer is the same whether or
//! not the address was subscribed already.

use super::{
    HONEYPOT, csrf_field, csrf_ok, error_summary, failure, form_token, honeypot_field, message, organisation_name,
    public_page, rate_limited, with_cookie,
};
use crate::AppState;
use crate::layers::ClientIp;
use crate::pages::escape;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use gastvrij_app::Page;
use gastvrij_app::portal::PortalError;
use gastvrij_domain::ids::PlannedWorkId;
use gastvrij_domain::planned_work::{PlannedWork, SubscriptionForm, SubscriptionState, WorkSearch};
use gastvrij_domain::portal::FieldError;
use serde::Deserialize;

/// Works per page of the list.
const PER_PAGE: u32 = 20;
/// Characters of "what" and "why" shown in a list; the work's own page shows all.
const SHORT_TEXT: usize = 400;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkzaamheden", get(list))
        .route("/werkzaamheden/werk/{id}", get(work_page))
        .route("/werkzaamheden/aanmelden", get(subscribe_form).post(subscribe))
        .route("/werkzaamheden/aanmelden/verstuurd", get(check_your_mail))
        .route("/werkzaamheden/aanmelding/{token}", get(confirm))
        .route("/werkzaamheden/afmelden/{token}", get(unsubscribe_page).post(unsubscribe))
        .layer(DefaultBodyLimit::max(16 * 1024))
}

/// A short text for a list: at most `SHORT_TEXT` characters, cut at a word.
fn shortened(text: &str) -> (String, bool) {
    if text.chars().count() <= SHORT_TEXT {
        return (text.to_string(), false);
    }
    let cut: String = text.chars().take(SHORT_TEXT).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    (format!("{}…", cut.trim_end()), true)
}

fn paragraphs(text: &str) -> String {
    escape(text).replace("\n\n", "</p><p>").replace('\n', "<br>")
}

/// One work as citizens see it; `full` shows every word, else long texts are cut.
fn work_html(w: &PlannedWork, today: jiff::civil::Date, heading: &str, full: bool) -> String {
    let (what, cut_what) = if full { (w.what.clone(), false) } else { shortened(&w.what) };
    let (why, cut_why) = if full { (w.why.clone(), false) } else { shortened(&w.why) };
    let more = if cut_what || cut_why {
        format!(r#"<p><a href="/werkzaamheden/werk/{}">Lees alles over {}</a></p>"#, w.id, escape(&w.title))
    } else {
        String::new()
    };
    let title = if full {
        format!("<{heading} id=\"werk-{id}\">{}</{heading}>", escape(&w.title), id = w.id)
    } else {
        format!(
            "<{heading} id=\"werk-{id}\"><a href=\"/werkzaamheden/werk/{id}\">{}</a></{heading}>",
            escape(&w.title),
            id = w.id
        )
    };
    format!(
        r#"<article class="werk" aria-labelledby="werk-{id}">
{title}
<p><strong>{phase}</strong>: {period}.</p>
<dl>
<dt>Waar?</dt><dd>{area}</dd>
<dt>Wat gaan we doen?</dt><dd><p>{what}</p></dd>
<dt>Waarom?</dt><dd><p>{why}</p></dd>
<dt>Vragen?</dt><dd>{contact}</dd>
</dl>
{more}
</article>"#,
        id = w.id,
        phase = w.phase(today).label(),
        period = escape(&w.period_in_words()),
        area = escape(&w.area),
        what = paragraphs(&what),
        why = paragraphs(&why),
        contact = escape(&w.contact),
    )
}

/// Attributes of an input with a help text and maybe an error.
fn described(errors: &[FieldError], field: &str, help: bool) -> (String, String) {
    let error = errors.iter().find(|e| e.field == field);
    let mut ids = vec![];
    if help {
        ids.push(format!("{field}-hulp"));
    }
    if error.is_some() {
        ids.push(format!("{field}-fout"));
    }
    let mut attrs = String::new();
    if error.is_some() {
        attrs.push_str(r#" aria-invalid="true""#);
    }
    if !ids.is_empty() {
        attrs.push_str(&format!(r#" aria-describedby="{}""#, ids.join(" ")));
    }
    let message = error
        .map(|e| format!(r#"<p class="veldfout" id="{field}-fout">{}</p>"#, escape(&e.message)))
        .unwrap_or_default();
    (message, attrs)
}

/// `?postcode=` on the list's link, encoded.
fn with_postcode(path: &str, postcode: &str) -> String {
    let value: String = postcode
        .trim()
        .bytes()
        .take(100)
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            other => format!("%{other:02X}"),
        })
        .collect();
    if value.is_empty() { path.to_string() } else { format!("{path}?postcode={value}") }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    pagina: Option<u32>,
}

async fn list(State(s): State<AppState>, Query(q): Query<ListQuery>) -> Response {
    let org = organisation_name(&s).await;
    let today = match s.app.today().await {
        Ok(t) => t,
        Err(e) => return failure(&s, &e).await,
    };
    let typed: String = q.postcode.chars().take(100).collect();
    let (errors, results) = match s.app.search_planned_works(&typed).await {
        Ok(found) => (vec![], found),
        Err(PortalError::Invalid(errors)) => (errors, None),
        Err(PortalError::App(e)) => return failure(&s, &e).await,
    };
    let (err, attrs) = described(&errors, "postcode", true);
    let mut body = format!(
        r#"<h1>Werkzaamheden</h1>
{summary}
<p>Hier ziet u welk werk wij doen of gaan doen, bijvoorbeeld aan dijken, sloten en gemalen. Zoek op uw postcode of woonplaats.</p>
<form method="get" action="/werkzaamheden" role="search" novalidate>
<div class="veld"><label for="postcode">Uw postcode of woonplaats</label>
<p class="hulp" id="postcode-hulp">Bijvoorbeeld 2611 AB of Delft.</p>{err}
<input id="postcode" name="postcode" autocomplete="postal-code" maxlength="100" value="{value}"{attrs}></div>
<p><button type="submit">Zoeken</button></p>
</form>
"#,
        summary = error_summary(&errors),
        value = escape(&typed),
    );
    let subscribe_link = escape(&with_postcode("/werkzaamheden/aanmelden", &typed));
    match &results {
        Some(found) => {
            let place = match &found.search {
                WorkSearch::Postcode(d) => format!("postcode {d}"),
                WorkSearch::Place(p) => p.clone(),
            };
            body.push_str(&format!(r#"<h2 id="resultaat" tabindex="-1">Werkzaamheden bij {}</h2>"#, escape(&place)));
            if found.works.is_empty() {
                body.push_str(&format!(
                    "<p>Wij hebben nu geen werkzaamheden gepland bij {}. Wilt u een e-mail als dat verandert? \
                     <a href=\"{subscribe_link}\">Meld u aan voor berichten</a>.</p>",
                    escape(&place)
                ));
            } else {
                let n = found.works.len();
                body.push_str(&format!(
                    "<p>Wij vonden {}.</p>",
                    if n == 1 { "1 werk".to_string() } else { format!("{n} werkzaamheden") }
                ));
                for w in found.works.iter().take(PER_PAGE as usize) {
                    body.push_str(&work_html(w, today, "h3", false));
                }
            }
            body.push_str(r#"<p><a href="/werkzaamheden">Bekijk alle werkzaamheden</a></p>"#);
        }
        None if errors.is_empty() => {
            let page = q.pagina.unwrap_or(1).clamp(1, 1000);
            let works =
                match s.app.public_planned_works(Page { limit: PER_PAGE + 1, offset: (page - 1) * PER_PAGE }).await {
                    Ok(w) => w,
                    Err(e) => return failure(&s, &e).await,
                };
            body.push_str("<h2>Alle werkzaamheden</h2>");
            if works.is_empty() {
                body.push_str("<p>Er zijn nu geen werkzaamheden gepland.</p>");
            }
            for w in works.iter().take(PER_PAGE as usize) {
                body.push_str(&work_html(w, today, "h3", false));
            }
            let mut nav = vec![];
            if page > 1 {
                nav.push(format!(r#"<a href="/werkzaamheden?pagina={}">Vorige pagina</a>"#, page - 1));
            }
            if works.len() > PER_PAGE as usize {
                nav.push(format!(r#"<a href="/werkzaamheden?pagina={}">Volgende pagina</a>"#, page + 1));
            }
            if !nav.is_empty() {
                body.push_str(&format!(r#"<nav aria-label="Pagina's"><p>{}</p></nav>"#, nav.join(" · ")));
            }
        }
        None => {}
    }
    body.push_str(&format!(
        r#"<h2>Blijf op de hoogte</h2>
<p>Wilt u een e-mail als wij bij u in de buurt gaan werken, of als er een calamiteit is, zoals wateroverlast? <a href="{subscribe_link}">Meld u aan voor berichten</a>.</p>"#
    ));
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    (status, Html(public_page(&org, "Werkzaamheden", &body))).into_response()
}

async fn work_page(State(s): State<AppState>, Path(id): Path<String>) -> Response {
    let work = match id.parse::<PlannedWorkId>() {
        Ok(id) => s.app.public_planned_work(id).await,
        Err(_) => Err(gastvrij_app::AppError::NotFound("planned work")),
    };
    let (work, today) = match (work, s.app.today().await) {
        (Ok(w), Ok(t)) => (w, t),
        (Err(e), _) | (_, Err(e)) => return failure(&s, &e).await,
    };
    let org = organisation_name(&s).await;
    let body = format!(
        r#"{work}
<p><a href="/werkzaamheden">Bekijk alle werkzaamheden</a></p>"#,
        work = work_html(&work, today, "h1", true)
    );
    Html(public_page(&org, &work.title, &body)).into_response()
}

#[derive(Deserialize, Default)]
struct Prefill {
    #[serde(default)]
    postcode: String,
}

async fn subscribe_form(State(s): State<AppState>, headers: HeaderMap, Query(q): Query<Prefill>) -> Response {
    // A place name from the search is no postcode: leave the field empty then.
    let postcode = if gastvrij_domain::planned_work::postcode_digits(&q.postcode).is_some() {
        q.postcode.chars().take(10).collect()
    } else {
        String::new()
    };
    let form = SubscriptionForm { email: String::new(), postcode };
    show_form(&s, &headers, &form, &[], StatusCode::OK).await
}

async fn show_form(
    s: &AppState,
    headers: &HeaderMap,
    form: &SubscriptionForm,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let (token, set_cookie) = form_token(headers);
    let org = organisation_name(s).await;
    let (mail_err, mail_attrs) = described(errors, "email", false);
    let (pc_err, pc_attrs) = described(errors, "postcode", true);
    let body = format!(
        r#"<h1>Berichten over werkzaamheden</h1>
{summary}
<p>Wij sturen u een e-mail als wij bij u in de buurt gaan werken, of als er een calamiteit is, zoals wateroverlast. U kunt zich altijd weer afmelden.</p>
<form method="post" action="/werkzaamheden/aanmelden" novalidate>
{csrf}{honeypot}
<div class="veld"><label for="email">Uw e-mailadres</label>{mail_err}
<input id="email" name="email" type="email" autocomplete="email" maxlength="254" value="{email}"{mail_attrs}></div>
<div class="veld"><label for="postcode">Uw postcode</label>
<p class="hulp" id="postcode-hulp">Vier cijfers en twee letters, bijvoorbeeld 2611 AB.</p>{pc_err}
<input id="postcode" name="postcode" autocomplete="postal-code" maxlength="10" size="8" value="{postcode}"{pc_attrs}></div>
<p>Na het aanmelden krijgt u een e-mail. Klik op de link in die e-mail. Pas dan is uw aanmelding klaar.</p>
<p><button type="submit">Aanmelden</button></p>
</form>
<p>Wij gebruiken uw e-mailadres alleen voor deze berichten.</p>
<p><a href="/werkzaamheden">Terug naar de werkzaamheden</a></p>"#,
        summary = error_summary(errors),
        csrf = csrf_field(&token),
        honeypot = honeypot_field(),
        email = escape(&form.email),
        postcode = escape(&form.postcode),
    );
    with_cookie((status, Html(public_page(&org, "Berichten over werkzaamheden", &body))).into_response(), set_cookie)
}

#[derive(Deserialize, Default)]
struct SubscribeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    postcode: String,
    #[serde(default, rename = "website")]
    honeypot: String,
}

async fn subscribe(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    form: Result<Form<SubscribeForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        let e = FieldError::new(
            "email",
            "Het formulier kwam niet goed aan. Vul het opnieuw in en verstuur het nog een keer.",
        );
        return show_form(&s, &headers, &SubscriptionForm::default(), &[e], StatusCode::BAD_REQUEST).await;
    };
    let typed = SubscriptionForm {
        email: f.email.chars().take(300).collect(),
        postcode: f.postcode.chars().take(20).collect(),
    };
    if !csrf_ok(&headers, &f.csrf) {
        let e = FieldError::new(
            "email",
            "Het formulier was verlopen of uw browser weigert cookies. Uw gegevens staan er nog: verstuur het formulier opnieuw.",
        );
        return show_form(&s, &headers, &typed, &[e], StatusCode::FORBIDDEN).await;
    }
    if !f.honeypot.trim().is_empty() {
        let e = FieldError::new(
            HONEYPOT,
            "Het veld 'Vul dit veld niet in' is ingevuld. Maak het leeg en verstuur het formulier opnieuw.",
        );
        return show_form(&s, &headers, &typed, &[e], StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if let Some(limited) = rate_limited(&s, ip).await {
        return limited;
    }
    match s.app.subscribe_to_works(&typed).await {
        Ok(()) => Redirect::to("/werkzaamheden/aanmelden/verstuurd").into_response(),
        Err(PortalError::Invalid(errors)) => {
            show_form(&s, &headers, &typed, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(PortalError::App(e)) => failure(&s, &e).await,
    }
}

async fn check_your_mail(State(s): State<AppState>) -> Response {
    let org = organisation_name(&s).await;
    let body = r#"<div class="melding" role="status"><h1>Kijk in uw e-mail</h1>
<p>We hebben u een e-mail gestuurd. Klik op de link in die e-mail om uw aanmelding te bevestigen. Pas daarna krijgt u berichten van ons.</p></div>
<p>Ziet u na een paar minuten geen e-mail? Kijk dan ook bij uw ongewenste e-mail (spam). Of controleer het e-mailadres en meld u opnieuw aan.</p>
<p><a href="/werkzaamheden">Terug naar de werkzaamheden</a></p>"#;
    Html(public_page(&org, "Kijk in uw e-mail", body)).into_response()
}

async fn confirm(State(s): State<AppState>, Path(token): Path<String>) -> Response {
    match s.app.confirm_work_subscription(&token).await {
        Ok(sub) => {
            let org = organisation_name(&s).await;
            let body = format!(
                r#"<div class="melding" role="status"><h1>Uw aanmelding is bevestigd</h1>
<p>U krijgt vanaf nu een e-mail als wij werken bij postcode {postcode}, of als er daar een calamiteit is.</p></div>
<p>Wilt u geen berichten meer? In elke e-mail van ons staat een link om u af te melden.</p>
<p><a href="{list}">Bekijk de werkzaamheden bij {postcode}</a></p>"#,
                postcode = escape(sub.postcode.as_str()),
                list = escape(&with_postcode("/werkzaamheden", sub.postcode.as_str())),
            );
            Html(public_page(&org, "Uw aanmelding is bevestigd", &body)).into_response()
        }
        Err(gastvrij_app::AppError::NotFound(_)) => {
            message(
                &s,
                StatusCode::NOT_FOUND,
                "Deze link werkt niet (meer)",
                "Misschien hebt u zich daarna opnieuw aangemeld of afgemeld: dan werkt alleen de link in de nieuwste \
                 e-mail. Meld u anders opnieuw aan via de pagina Werkzaamheden.",
            )
            .await
        }
        Err(e) => failure(&s, &e).await,
    }
}

async fn link_gone(s: &AppState) -> Response {
    message(
        s,
        StatusCode::NOT_FOUND,
        "Deze link werkt niet (meer)",
        "Gebruik de link om af te melden in de nieuwste e-mail van ons. Elke nieuwe e-mail heeft een nieuwe link.",
    )
    .await
}

async fn unsubscribe_page(State(s): State<AppState>, headers: HeaderMap, Path(token): Path<String>) -> Response {
    let sub = match s.app.subscription_to_end(&token).await {
        Ok(sub) => sub,
        Err(gastvrij_app::AppError::NotFound(_)) => return link_gone(&s).await,
        Err(e) => return failure(&s, &e).await,
    };
    if sub.state() == SubscriptionState::Unsubscribed {
        return done_page(&s, &sub.postcode).await;
    }
    let (csrf, set_cookie) = form_token(&headers);
    let org = organisation_name(&s).await;
    let body = format!(
        r#"<h1>Afmelden</h1>
<p>Wilt u geen berichten meer krijgen over werkzaamheden en calamiteiten bij postcode {postcode}?</p>
<form method="post" action="/werkzaamheden/afmelden/{token}">
{csrf}
<p><button type="submit">Ja, meld mij af</button></p>
</form>
<p><a href="/werkzaamheden">Nee, terug naar de werkzaamheden</a></p>"#,
        postcode = escape(sub.postcode.as_str()),
        token = escape(&token),
        csrf = csrf_field(&csrf),
    );
    with_cookie(Html(public_page(&org, "Afmelden", &body)).into_response(), set_cookie)
}

async fn done_page(s: &AppState, postcode: &gastvrij_domain::values::Postcode) -> Response {
    let org = organisation_name(s).await;
    let body = format!(
        r#"<div class="melding" role="status"><h1>U bent afgemeld</h1>
<p>U krijgt geen berichten meer over werkzaamheden en calamiteiten bij postcode {}.</p></div>
<p>Toch weer berichten? <a href="/werkzaamheden/aanmelden">Meld u opnieuw aan</a>.</p>"#,
        escape(postcode.as_str())
    );
    Html(public_page(&org, "U bent afgemeld", &body)).into_response()
}

/// The fields of a form body, URL-encoded (a browser's button) or multipart (some mail programs).
fn form_fields(headers: &HeaderMap, body: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        // Each part: headers with name="…", an empty line, the value.
        return text
            .split("Content-Disposition:")
            .skip(1)
            .filter_map(|part| {
                let name = part.split("name=\"").nth(1)?.split('"').next()?.to_string();
                let value = part.split_once("\r\n\r\n").or_else(|| part.split_once("\n\n"))?.1;
                let value = value.split("\r\n--").next().unwrap_or(value).trim().to_string();
                Some((name, value))
            })
            .collect();
    }
    let decode = |s: &str| -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() && bytes[i + 1].is_ascii_hexdigit() && bytes[i + 2].is_ascii_hexdigit() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                    out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

async fn unsubscribe(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    body: Bytes,
) -> Response {
    let fields = form_fields(&headers, &body);
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("");
    // RFC 8058: a mail program posts List-Unsubscribe=One-Click; the token is the secret.
    let one_click = field("List-Unsubscribe") == "One-Click";
    if !one_click && !csrf_ok(&headers, field("csrf")) {
        return message(
            &s,
            StatusCode::FORBIDDEN,
            "Dat ging niet goed",
            "De pagina was verlopen of uw browser weigert cookies. Klik nog een keer op de link in de e-mail en \
             daarna op de knop.",
        )
        .await;
    }
    match s.app.unsubscribe_from_works(&token).await {
        Ok(sub) => done_page(&s, &sub.postcode).await,
        Err(gastvrij_app::AppError::NotFound(_)) => link_gone(&s).await,
        Err(e) => failure(&s, &e).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_are_read_url_encoded_and_multipart() {
        let none = HeaderMap::new();
        let fields = form_fields(&none, b"List-Unsubscribe=One-Click&csrf=ab%2Fc+d");
        assert_eq!(fields, vec![("List-Unsubscribe".into(), "One-Click".into()), ("csrf".into(), "ab/c d".into())]);
        assert_eq!(form_fields(&none, b"a=%zz&b=%4"), vec![("a".into(), "%zz".into()), ("b".into(), "%4".into())]);
        let mut multi = HeaderMap::new();
        multi.insert(header::CONTENT_TYPE, "multipart/form-data; boundary=x".parse().unwrap());
        let body = b"--x\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--x--\r\n";
        assert_eq!(form_fields(&multi, body), vec![("List-Unsubscribe".into(), "One-Click".into())]);
    }

    #[test]
    fn long_texts_are_cut_at_a_word_in_lists() {
        let (short, cut) = shortened("kort");
        assert_eq!((short.as_str(), cut), ("kort", false));
        let long = "woord ".repeat(100);
        let (short, cut) = shortened(&long);
        assert!(cut && short.ends_with("woord…") && short.chars().count() <= SHORT_TEXT + 1);
    }
}
