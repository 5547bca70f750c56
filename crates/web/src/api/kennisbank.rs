//! The kennisbank API: articles and their workflow, consultations (ruggespraak), synonyms.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use gastvrij_app::ports::{ArticleHit, ArticleQuery, ConsultationQuery};
use gastvrij_domain::ids::{ArticleId, ConsultationId, TeamId, TopicId};
use gastvrij_domain::kennisbank::{
    Article, ArticleInput, ArticleStatus, ArticleVersion, Consultation, ConsultationInput,
};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/kennisbank/articles", get(list).post(create))
        .route("/kennisbank/articles/{id}", get(show).put(update))
        .route("/kennisbank/articles/{id}/status", post(change_status))
        .route("/kennisbank/articles/{id}/versions", get(versions))
        .route("/kennisbank/articles/{id}/use", post(record_use))
        .route("/kennisbank/articles/{id}/feedback", post(feedback))
        .route("/kennisbank/consultations", get(list_consultations).post(ask))
        .route("/kennisbank/consultations/{id}", get(show_consultation))
        .route("/kennisbank/consultations/{id}/answer", post(answer))
        .route("/kennisbank/consultations/{id}/article", post(to_article))
        .route("/kennisbank/stats", get(stats))
        .route("/kennisbank/search", get(search))
        .route("/kennisbank/synonyms", get(synonyms).put(save_synonyms))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleParams {
    pub status: Option<ArticleStatus>,
    pub topic_id: Option<TopicId>,
    /// Only articles past their review date.
    #[serde(default)]
    pub review_due: bool,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

/// Articles for editors, most recently changed first (`review_due=true`: past their review date).
#[utoipa::path(get, path = "/api/v1/kennisbank/articles", tag = "kennisbank", params(ArticleParams), responses((status = 200, body = [Article])), security(("bearer" = [])))]
pub async fn list(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<ArticleParams>,
) -> ApiResult<Json<Vec<Article>>> {
    let page = super::PageParams { limit: p.limit, offset: p.offset }.page()?;
    if p.review_due {
        return Ok(Json(s.app.articles_due_for_review(&who, page).await?));
    }
    Ok(Json(
        s.app
            .articles(&who, &ArticleQuery { status: p.status, topic_id: p.topic_id, page, ..Default::default() })
            .await?,
    ))
}

/// Write a new article (a concept).
#[utoipa::path(post, path = "/api/v1/kennisbank/articles", tag = "kennisbank", request_body = ArticleInput,
    responses((status = 201, body = Article), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiJson(input): ApiJson<ArticleInput>,
) -> ApiResult<(StatusCode, Json<Article>)> {
    Ok((StatusCode::CREATED, Json(s.app.create_article(&who, input).await?)))
}

/// One article.
#[utoipa::path(get, path = "/api/v1/kennisbank/articles/{id}", tag = "kennisbank", params(("id" = uuid::Uuid, Path, description = "Article id")),
    responses((status = 200, body = Article), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn show(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<ArticleId>,
) -> ApiResult<Json<Article>> {
    Ok(Json(s.app.article(&who, id).await?))
}

/// Change an article; a version with its diff is kept.
#[utoipa::path(put, path = "/api/v1/kennisbank/articles/{id}", tag = "kennisbank", params(("id" = uuid::Uuid, Path, description = "Article id")), request_body = ArticleInput,
    responses((status = 200, body = Article), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn update(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<ArticleId>,
    ApiJson(input): ApiJson<ArticleInput>,
) -> ApiResult<Json<Article>> {
    Ok(Json(s.app.update_article(&who, id, input).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct StatusInput {
    pub status: ArticleStatus,
}

/// Move an article through the workflow (concept → ter_beoordeling → intern/openbaar → gearchiveerd).
/// Four eyes: the employee who last edited the text does not approve it (to intern or openbaar;
/// 422); another editor does (docs/kennisbank-editors.md).
#[utoipa::path(post, path = "/api/v1/kennisbank/articles/{id}/status", tag = "kennisbank", params(("id" = uuid::Uuid, Path, description = "Article id")), request_body = StatusInput,
    responses((status = 200, body = Article), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn change_status(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<ArticleId>,
    ApiJson(input): ApiJson<StatusInput>,
) -> ApiResult<Json<Article>> {
    Ok(Json(s.app.change_article_status(&who, id, input.status).await?))
}

/// The version history: who changed what, when.
#[utoipa::path(get, path = "/api/v1/kennisbank/articles/{id}/versions", tag = "kennisbank", params(("id" = uuid::Uuid, Path, description = "Article id")),
    responses((status = 200, body = [ArticleVersion])), security(("bearer" = [])))]
pub async fn versions(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<ArticleId>,
) -> ApiResult<Json<Vec<ArticleVersion>>> {
    Ok(Json(s.app.article_versions(&who, id).await?))
}

/// The article answered a contact.
#[utoipa::path(post, path = "/api/v1/kennisbank/articles/{id}/use", tag = "kennisbank", params(("id" = uuid::Uuid, Path, description = "Article id")),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn record_use(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<ArticleId>,
) -> ApiResult<StatusCode> {
    s.app.record_article_use(&who, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct FeedbackInput {
    pub helped: bool,
}

/// "Helped / did not help".
#[utoipa::path(post, path = "/api/v1/kennisbank/articles/{id}/feedback", tag = "kennisbank", params(("id" = uuid::Uuid, Path, description = "Article id")), request_body = FeedbackInput,
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn feedback(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<ArticleId>,
    ApiJson(input): ApiJson<FeedbackInput>,
) -> ApiResult<StatusCode> {
    s.app.record_article_feedback(&who, id, input.helped).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsultationParams {
    pub to_team: Option<TeamId>,
    /// Only those addressed to me.
    #[serde(default)]
    pub mine: bool,
    /// Only those I asked.
    #[serde(default)]
    pub asked_by_me: bool,
    /// Only those still waiting for an answer.
    #[serde(default)]
    pub open: bool,
    pub limit: Option<u32>,
}

/// Consultations, newest first: a team's inbox (`to_team`, `open=true`), mine, or those I asked.
#[utoipa::path(get, path = "/api/v1/kennisbank/consultations", tag = "kennisbank", params(ConsultationParams), responses((status = 200, body = [Consultation])), security(("bearer" = [])))]
pub async fn list_consultations(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<ConsultationParams>,
) -> ApiResult<Json<Vec<Consultation>>> {
    let me = who.employee_id();
    let query = ConsultationQuery {
        question_ids: vec![],
        to_team: p.to_team,
        to_employee: if p.mine { me } else { None },
        asked_by: if p.asked_by_me { me } else { None },
        open_only: p.open,
        page: super::PageParams { limit: p.limit, offset: None }.page()?,
        ..Default::default()
    };
    Ok(Json(s.app.consultations(&who, &query).await?))
}

/// Ask the back office (a team or a person) a question from a contact.
#[utoipa::path(post, path = "/api/v1/kennisbank/consultations", tag = "kennisbank", request_body = ConsultationInput,
    responses((status = 201, body = Consultation), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn ask(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiJson(input): ApiJson<ConsultationInput>,
) -> ApiResult<(StatusCode, Json<Consultation>)> {
    Ok((StatusCode::CREATED, Json(s.app.ask_consultation(&who, input).await?)))
}

/// One consultation (the agent polls it for the answer).
#[utoipa::path(get, path = "/api/v1/kennisbank/consultations/{id}", tag = "kennisbank", params(("id" = uuid::Uuid, Path, description = "Consultation id")),
    responses((status = 200, body = Consultation), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn show_consultation(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<ConsultationId>,
) -> ApiResult<Json<Consultation>> {
    Ok(Json(s.app.consultation(&who, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AnswerInput {
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub answer: String,
}

/// Answer a consultation (back office).
#[utoipa::path(post, path = "/api/v1/kennisbank/consultations/{id}/answer", tag = "kennisbank", params(("id" = uuid::Uuid, Path, description = "Consultation id")), request_body = AnswerInput,
    responses((status = 200, body = Consultation), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn answer(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<ConsultationId>,
    ApiJson(input): ApiJson<AnswerInput>,
) -> ApiResult<Json<Consultation>> {
    Ok(Json(s.app.answer_consultation(&who, id, &input.answer).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ToArticleInput {
    /// The article's title; default: the question.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub title: Option<String>,
}

/// Turn the question and its answer into a draft article for the owning team.
#[utoipa::path(post, path = "/api/v1/kennisbank/consultations/{id}/article", tag = "kennisbank", params(("id" = uuid::Uuid, Path, description = "Consultation id")), request_body = ToArticleInput,
    responses((status = 201, body = Article), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn to_article(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<ConsultationId>,
    ApiJson(input): ApiJson<ToArticleInput>,
) -> ApiResult<(StatusCode, Json<Article>)> {
    Ok((StatusCode::CREATED, Json(s.app.consultation_to_article(&who, id, input.title.as_deref()).await?)))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Stats {
    /// Answered consultations (second-line questions).
    pub answered_consultations: i64,
    /// Of those, how many became an article (so next time they are first-line).
    pub became_articles: i64,
}

/// Key figures of the kennisbank.
#[utoipa::path(get, path = "/api/v1/kennisbank/stats", tag = "kennisbank", responses((status = 200, body = Stats)), security(("bearer" = [])))]
pub async fn stats(State(s): State<AppState>, Staff(who): Staff) -> ApiResult<Json<Stats>> {
    let (answered_consultations, became_articles) = s.app.consultation_counts(&who).await?;
    Ok(Json(Stats { answered_consultations, became_articles }))
}

/// The synonym list kept by editors (`a, b => c` or `a, b, c` per rule).
#[utoipa::path(get, path = "/api/v1/kennisbank/synonyms", tag = "kennisbank", responses((status = 200, body = [String])), security(("bearer" = [])))]
pub async fn synonyms(State(s): State<AppState>, Staff(who): Staff) -> ApiResult<Json<Vec<String>>> {
    Ok(Json(s.app.synonyms(&who).await?))
}

/// Replace the synonym list (redacteur).
#[utoipa::path(put, path = "/api/v1/kennisbank/synonyms", tag = "kennisbank", request_body = [String],
    responses((status = 200, body = [String]), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn save_synonyms(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiJson(rules): ApiJson<Vec<String>>,
) -> ApiResult<Json<Vec<String>>> {
    Ok(Json(s.app.save_synonyms(&who, rules).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// What the caller asks, in their own words.
    #[serde(default)]
    pub q: String,
    /// At most this many hits (1–100, default 10).
    pub limit: Option<usize>,
    /// Search as you type: the last word may be incomplete.
    #[serde(default)]
    pub prefix: bool,
    /// Only under this topic path, e.g. `Belastingen`.
    pub topic: Option<String>,
    /// Only with this status (among those you may see).
    pub status: Option<ArticleStatus>,
    /// Only for this audience (segment).
    pub audience: Option<gastvrij_domain::customer::Segment>,
}

/// Search the kennisbank: ranked hits with the article's external id, title, score and a
/// highlighted snippet. An empty query finds nothing.
#[utoipa::path(get, path = "/api/v1/kennisbank/search", tag = "kennisbank", params(SearchParams),
    responses((status = 200, body = [ArticleHit]), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn search(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> ApiResult<Json<Vec<ArticleHit>>> {
    let filters = gastvrij_app::search::SearchFilters { topic: p.topic, status: p.status, audience: p.audience };
    Ok(Json(s.app.search_articles(&who, &p.q, p.limit.unwrap_or(10), p.prefix, &filters).await?))
}
