//! The OpenAPI document, generated from the handlers' annotations.

use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Gastvrij API", description = "Customer contact for Dutch water boards: customers, contacts, cases and more."),
    paths(
        super::organisation::show, super::organisation::update,
        super::teams::list_teams, super::teams::create_team, super::teams::show_team, super::teams::update_team,
        super::teams::list_employees, super::teams::create_employee, super::teams::show_employee, super::teams::update_employee,
        super::teams::show_external_link, super::teams::allow_external_link, super::teams::board,
        super::topics::list, super::topics::create, super::topics::show, super::topics::update,
        super::customers::list, super::customers::create, super::customers::show, super::customers::update,
        super::contacts::list, super::contacts::create, super::contacts::show, super::contacts::add_question,
        super::contacts::update_question, super::contacts::confirm_forward, super::contacts::park, super::contacts::resume, super::contacts::close,
        super::cases::list, super::cases::create, super::cases::show, super::cases::by_reference,
        super::cases::change_status, super::cases::add_note, super::cases::assign, super::cases::add_attachment,
        super::cases::extend, super::cases::close,
        super::complaints::year_overview,
        super::audit::list,
        super::calendar::deadline, super::calendar::holidays,
        super::norms::show, super::norms::compliance,
        super::events::list,
        super::kennisbank::list, super::kennisbank::create, super::kennisbank::show, super::kennisbank::update,
        super::kennisbank::change_status, super::kennisbank::versions, super::kennisbank::record_use, super::kennisbank::feedback,
        super::kennisbank::list_consultations, super::kennisbank::ask, super::kennisbank::show_consultation,
        super::kennisbank::answer, super::kennisbank::to_article, super::kennisbank::stats, super::kennisbank::search,
        super::kennisbank::synonyms, super::kennisbank::save_synonyms,
        super::telephony::record, super::telephony::list,
        super::planned_works::list, super::planned_works::create, super::planned_works::show, super::planned_works::update, super::planned_works::notify, super::planned_works::link, super::planned_works::unlink,
        super::mail::list, super::mail::retry,
        super::taal::check,
        super::pulse::trend,
        super::journeys::list, super::journeys::map,
        super::search_questions::unanswered,
        super::satisfaction::figures,
        super::contact_figures::figures,
    ),
    components(schemas(crate::error::ErrorBody)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(document))
}

/// The document, with this installation's calendars as the allowed values of every `calendar`
/// query parameter (they are configured, so the annotations cannot list them).
async fn document(State(s): State<AppState>) -> Json<Value> {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document is plain JSON");
    let names: Vec<Value> = s.app.settings().calendars.names().into_iter().map(Value::from).collect();
    let operations = doc["paths"].as_object_mut().into_iter().flat_map(|paths| paths.values_mut());
    let parameters = operations.filter_map(|item| item.pointer_mut("/get/parameters")?.as_array_mut());
    for parameters in parameters {
        for p in parameters.iter_mut().filter(|p| p["name"] == "calendar") {
            p["schema"]["enum"] = Value::Array(names.clone());
        }
    }
    Json(doc)
}
