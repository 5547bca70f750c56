//! Learning from the questions (issue 16), `/werkplek/kennisbank/vragen` for redacteuren and
//! beheerders: the questions that found no answer grouped by wording, with one button to start a
//! concept article from a group; the top questions per topic and week; the share of public
//! answer searches that ended on "geholpen"; articles not used in six months. Every figure comes
//! from the same use cases as the API and is defined in docs/kennisbank-learning.md.

use super::{Choice, Frame, Page, choices, error_page};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_app::search_questions::{AnswerShare, PERIOD_DAYS, QuestionGroup, TopicWeek, UnusedArticle};
use gastvrij_domain::search_questions::SearchChannel;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/kennisbank/vragen", get(page))
        .route("/werkplek/kennisbank/vragen.csv", get(csv))
        .route("/werkplek/kennisbank/vragen/artikel", post(make_article))
}

#[derive(Deserialize, Default)]
struct Filter {
    #[serde(default)]
    dagen: Option<String>,
    #[serde(default)]
    kanaal: Option<String>,
}

impl Filter {
    /// The days and channel asked for; nonsense gives the use case's clear refusal.
    fn parse(&self) -> (Option<u32>, Option<SearchChannel>) {
        let days = self.dagen.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(|d| d.parse().unwrap_or(0));
        let channel = self.kanaal.as_deref().and_then(SearchChannel::parse);
        (days, channel)
    }
}

/// `templates/staff/kennisbank_questions/page.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/kennisbank_questions/page.html")]
struct QuestionsPage {
    frame: Frame,
    days: Vec<Choice>,
    channels: Vec<Choice>,
    period: String,
    csv_link: String,
    groups: Vec<QuestionGroup>,
    top: Vec<TopicWeek>,
    share: AnswerShare,
    unused: Vec<UnusedArticle>,
}

/// "15 maart 2026, 10.00 uur"-style: the date and hour a question was last asked (Amsterdam).
fn hour_text(at: jiff::Timestamp) -> String {
    let tz = jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap_or(jiff::tz::TimeZone::UTC);
    let dt = tz.to_datetime(at);
    format!("{} {}.00 uur", dt.date(), dt.hour())
}

fn date_text(at: jiff::Timestamp) -> String {
    let tz = jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap_or(jiff::tz::TimeZone::UTC);
    tz.to_datetime(at).date().to_string()
}

async fn page(State(s): State<AppState>, page: Page, Query(f): Query<Filter>) -> Response {
    let who = &page.0.principal;
    let (days, channel) = f.parse();
    let result = async {
        let period = s.app.learning_period(days)?;
        let groups = s.app.unanswered_questions(who, period, channel).await?;
        let top = s.app.top_questions(who, period).await?;
        let share = s.app.website_answer_share(who, period.from, period.to).await?;
        let unused = s.app.unused_articles(who).await?;
        Ok::<_, AppError>((period, groups, top, share, unused))
    }
    .await;
    let (period, groups, top, share, unused) = match result {
        Ok(r) => r,
        Err(e) => return error_page(&e),
    };
    let day_choices = PERIOD_DAYS.iter().map(|d| (d.to_string(), format!("de laatste {d} dagen")));
    let channel_code = channel.map(SearchChannel::code).unwrap_or_default();
    let channel_choices = [("", "werkplek en website"), ("werkplek", "alleen werkplek"), ("website", "alleen website")];
    QuestionsPage {
        frame: page.frame("Vragen aan de kennisbank"),
        days: choices(day_choices, &period.days.to_string()),
        channels: choices(channel_choices, channel_code),
        period: format!("{} tot {}", hour_text(period.from), hour_text(period.to)),
        csv_link: format!("/werkplek/kennisbank/vragen.csv?dagen={}&kanaal={channel_code}", period.days),
        groups,
        top,
        share,
        unused,
    }
    .into_response()
}

/// The unanswered groups as CSV (the masked wording only; no personal data is stored).
async fn csv(State(s): State<AppState>, page: Page, Query(f): Query<Filter>) -> Response {
    let who = &page.0.principal;
    let (days, channel) = f.parse();
    let groups = async {
        let period = s.app.learning_period(days)?;
        s.app.unanswered_questions(who, period, channel).await
    }
    .await;
    let groups = match groups {
        Ok(g) => g,
        Err(e) => return error_page(&e),
    };
    let mut w = csv::Writer::from_writer(vec![]);
    let header = ["group_key", "example", "searches", "without_hits", "top_hit_not_used", "last_asked"];
    let mut records = vec![header.map(String::from).to_vec()];
    for g in &groups {
        records.push(vec![
            g.key.clone(),
            g.example.clone(),
            g.searches.to_string(),
            g.without_hits.to_string(),
            g.top_hit_not_used.to_string(),
            g.last_asked.to_string(),
        ]);
    }
    for rec in records {
        if let Err(e) = w.write_record(&rec) {
            return error_page(&AppError::Unexpected(e.into()));
        }
    }
    let body = w.into_inner().unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"vragen-zonder-antwoord.csv\""),
        ],
        body,
    )
        .into_response()
}

#[derive(Deserialize)]
struct MakeArticleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    vraag: String,
}

/// "Maak artikel": a concept with the question filled in, then its page.
async fn make_article(State(s): State<AppState>, page: Page, Form(f): Form<MakeArticleForm>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.create_article_from_question(&page.0.principal, &f.vraag).await {
        Ok(a) => {
            let id: String = form_urlencoded::byte_serialize(a.external_id.as_bytes()).collect();
            Redirect::to(&format!("/werkplek/artikelen/{id}")).into_response()
        }
        Err(e) => error_page(&e),
    }
}

impl QuestionsPage {
    fn last_asked(&self, g: &QuestionGroup) -> String {
        hour_text(g.last_asked)
    }

    fn last_used(&self, a: &UnusedArticle) -> String {
        a.last_used_at.map(date_text).unwrap_or_else(|| "nooit (sinds het bijhouden)".into())
    }

    fn share_text(&self) -> String {
        match self.share.percent() {
            Some(p) => format!(
                "{p}% — {} van de {} zoekvragen op de website eindigden op \u{201c}Ja, dit beantwoordt mijn vraag\u{201d}.",
                self.share.helped, self.share.searches
            ),
            None => "Nog geen zoekvragen op de website in deze periode.".into(),
        }
    }
}
