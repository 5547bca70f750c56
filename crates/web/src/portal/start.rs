//! The public start page: the three choices in plain words, permits and the activity calendar,
//! the 24/7 number for danger, and a banner while an incident (calamity) is open.

use super::{organisation_name, public_page};
use crate::AppState;
use crate::pages::escape;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(start))
}

async fn start(State(state): State<AppState>) -> Html<String> {
    let org = organisation_name(&state).await;
    let banners: String = state
        .app
        .public_banners()
        .await
        .unwrap_or_default()
        .iter()
        .map(|b| format!(r#"<div class="banier" role="status"><p><strong>Let op:</strong> {}</p></div>"#, escape(b)))
        .collect();
    let urgent = escape(&state.portal.urgent_phone);
    let body = format!(
        r#"{banners}<h1>Waarmee kunnen we u helpen?</h1>
<ul class="keuzes">
<li><a href="/vraag"><strong>Ik heb een vraag</strong><span>Bijvoorbeeld over uw aanslag, kwijtschelding of het waterpeil.</span></a></li>
<li><a href="/melding"><strong>Ik wil iets melden</strong><span>Bijvoorbeeld wateroverlast, een kapotte stuw, dode vissen of stank.</span></a></li>
<li><a href="/klacht"><strong>Ik heb een klacht</strong><span>U bent niet tevreden over hoe wij u hebben geholpen.</span></a></li>
</ul>
<div class="dringend"><h2>Is er nu gevaar?</h2>
<p>Bijvoorbeeld een dijk die het begeeft of water dat huizen in stroomt? Bel ons direct, dag en nacht: <a href="tel:{tel}"><strong>{urgent}</strong></a>.</p></div>
<h2>Meer informatie</h2>
<ul>
<li><a href="/antwoorden?q=vergunning">Vergunningen: wanneer hebt u er een nodig?</a></li>
<li><a href="/werkzaamheden">Werkzaamheden bij u in de buurt</a></li>
<li><a href="/antwoorden">Zoek in onze antwoorden</a></li>
</ul>"#,
        tel = escape(&state.portal.urgent_phone.replace(' ', "")),
    );
    Html(public_page(&org, "Waarmee kunnen we u helpen?", &body))
}
