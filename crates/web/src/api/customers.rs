use super::PageParams;
use crate::AppState;
use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use gastvrij_app::ports::CustomerQuery;
use gastvrij_domain::customer::{Customer, CustomerInput};
use gastvrij_domain::ids::CustomerId;
use gastvrij_domain::values::Postcode;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/customers", get(list).post(create)).route("/customers/{id}", get(show).put(update))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerParams {
    /// Part of a name, or an exact e-mail, phone number, postcode or KvK number.
    pub q: Option<String>,
    pub postcode: Option<String>,
    pub house_number: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

/// Find customers. Audited: one `customer.read` entry (entity `customers`) with the count.
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", params(CustomerParams),
    responses((status = 200, body = [Customer]), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<CustomerParams>,
) -> ApiResult<Json<Vec<Customer>>> {
    let page = PageParams { limit: p.limit, offset: p.offset }.page()?;
    let postcode = match p.postcode.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(pc) => Some(Postcode::parse(pc).map_err(gastvrij_app::AppError::from)?.to_string()),
        None => None,
    };
    let query = CustomerQuery { text: p.q, postcode, house_number: p.house_number.map(|h| h.trim().to_string()), page };
    Ok(Json(s.app.read_customers(&who, &query).await?))
}

/// Register a customer (person, organisation or anonymous).
#[utoipa::path(post, path = "/api/v1/customers", tag = "customers", request_body = CustomerInput,
    responses((status = 201, body = Customer), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiJson(input): ApiJson<CustomerInput>,
) -> ApiResult<(StatusCode, Json<Customer>)> {
    Ok((StatusCode::CREATED, Json(s.app.create_customer(&who, input).await?)))
}

/// One customer. Audited: `customer.read` with who and which id.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = uuid::Uuid, Path, description = "Customer id")),
    responses((status = 200, body = Customer), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn show(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<CustomerId>,
) -> ApiResult<Json<Customer>> {
    Ok(Json(s.app.read_customer(&who, id).await?))
}

/// Change a customer.
#[utoipa::path(put, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = uuid::Uuid, Path, description = "Customer id")), request_body = CustomerInput,
    responses((status = 200, body = Customer), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn update(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<CustomerId>,
    ApiJson(input): ApiJson<CustomerInput>,
) -> ApiResult<Json<Customer>> {
    Ok(Json(s.app.update_customer(&who, id, input).await?))
}
