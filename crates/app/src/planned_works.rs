//! Use cases of the activity calendar (werkzaamheden): staff keep planned works; citizens find
//! them by postcode or place and subscribe by e-mail to news about works and calamities in their
//! postcode; the KCC sees the same calendar and links contacts to the work they were about.
//!
//! Subscriptions use double opt-in. The confirmation link carries a random token; the
//! unsubscribe link a token derived from the address and postcode with the installation's link
//! key (`link_keys`), so every mail can carry the same working link. Of both only the SHA-256 is
//! stored. Mails are queued in the outbox in the transaction of their cause.

use crate::letters;
use crate::link_keys::LinkPurpose;
use crate::portal::{PortalError, plausible_token, token_hash};
use crate::ports::{NewSubscription, PlannedWorkQuery, StoreError, SubscriberNews};
use crate::principal::roles;
use crate::{App, AppError, Page, Principal};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::ids::{ContactId, PlannedWorkId};
use gastvrij_domain::mail::{MailInput, MailKind, OutgoingMail};
use gastvrij_domain::planned_works::{
    self, PlannedWork, PlannedWorkInput, Subscription, SubscriptionForm, SubscriptionState, WorkSearch,
};
use gastvrij_domain::team::Role;
use gastvrij_domain::values::{Email, Postcode};
use gastvrij_domain::{Format, Invalid, text};
use jiff::civil::Date;

/// Who may add and change planned works and send news to subscribers (a beheerder may too).
pub const WORK_EDITORS: &[Role] = &[Role::Redacteur, Role::Teamleider];

/// The confirmation link's path; the token follows.
pub const CONFIRM_PATH: &str = "/werkzaamheden/aanmelding/";
/// The unsubscribe link's path; the token follows.
pub const UNSUBSCRIBE_PATH: &str = "/werkzaamheden/afmelden/";
/// Most works shown in one list.
const MAX_LIST: u32 = 200;

/// A work in the staff calendar with the number of contacts linked to it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct CalendarEntry {
    #[serde(flatten)]
    pub work: PlannedWork,
    /// Contacts recorded as being about this work.
    pub contacts: i64,
}

/// News for subscribers: a subject and a text, in Dutch.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
pub struct NewsInput {
    /// One line; for a planned work it defaults to "Werkzaamheden bij u in de buurt: <title>".
    #[serde(default)]
    pub subject: Option<String>,
    /// The message; for a planned work the work's facts follow it.
    #[serde(default)]
    pub text: Option<String>,
}

/// What a news round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct NewsReport {
    /// Mails queued, one per confirmed subscriber in the area.
    pub queued: usize,
}

/// What the citizen searched for, and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkSearchResult {
    pub search: WorkSearch,
    pub works: Vec<PlannedWork>,
}

/// A random token as it goes into a link: 48 hex digits.
fn new_token() -> Result<String, AppError> {
    crate::secrets::random_hex(24)
}

/// Words of a live-search query worth matching: not the small words of a question.
fn search_words(text: &str) -> Vec<String> {
    const SMALL: [&str; 24] = [
        "wanneer", "waarom", "welke", "wat", "hoe", "hoelang", "lang", "mijn", "bij", "voor", "heeft", "wordt", "komt",
        "zijn", "deze", "naar", "over", "door", "gaat", "klaar", "er", "het", "een", "de",
    ];
    text.split(|c: char| !c.is_alphanumeric())
        .map(text::fold)
        .filter(|w| w.chars().count() >= 4 && !SMALL.contains(&w.as_str()))
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

impl App {
    /// Today in the organisation's time zone.
    pub async fn today(&self) -> Result<Date, AppError> {
        let tz_name = self.store.organisation().await?.unwrap_or_default().time_zone;
        let tz = jiff::tz::TimeZone::get(&tz_name).unwrap_or(jiff::tz::TimeZone::UTC);
        Ok(self.now().to_zoned_datetime(tz).date())
    }

    async fn organisation_name(&self) -> Result<String, AppError> {
        Ok(self.store.organisation().await?.map(|o| o.name).unwrap_or_else(|| "Het waterschap".into()))
    }

    /// The unsubscribe token of an address and postcode: the same in every mail (48 hex digits),
    /// derived with the link key (`link_keys`).
    async fn unsubscribe_token(&self, email: &Email, postcode: &Postcode) -> Result<String, AppError> {
        let message = format!("werkzaamheden-afmelden\n{}\n{}", email.as_str().to_lowercase(), postcode.as_str());
        self.link_token(LinkPurpose::Unsubscribe, message.as_bytes()).await
    }

    /// A stored work, or not found.
    async fn stored_work(&self, id: PlannedWorkId) -> Result<PlannedWork, AppError> {
        self.store.planned_work(id).await?.ok_or(AppError::NotFound("planned work"))
    }

    // ---- Staff -------------------------------------------------------------------------------

    /// The calendar: works not over yet (the soonest first), then, with `include_past`, ended ones.
    pub async fn planned_works(
        &self,
        who: &Principal,
        include_past: bool,
        page: Page,
    ) -> Result<Vec<PlannedWork>, AppError> {
        who.require(roles::STAFF)?;
        let query = PlannedWorkQuery { today: self.today().await?, include_past, page };
        Ok(self.store.planned_works(&query).await?)
    }

    /// The calendar with the number of contacts linked to each work.
    pub async fn planned_work_calendar(
        &self,
        who: &Principal,
        include_past: bool,
    ) -> Result<Vec<CalendarEntry>, AppError> {
        let works = self.planned_works(who, include_past, Page::first(MAX_LIST)).await?;
        let counts = self.store.planned_work_contact_counts().await?;
        Ok(works
            .into_iter()
            .map(|work| {
                let contacts = counts.iter().find(|(id, _)| *id == work.id).map(|(_, n)| *n).unwrap_or(0);
                CalendarEntry { work, contacts }
            })
            .collect())
    }

    pub async fn planned_work(&self, who: &Principal, id: PlannedWorkId) -> Result<PlannedWork, AppError> {
        who.require(roles::STAFF)?;
        self.stored_work(id).await
    }

    pub async fn create_planned_work(&self, who: &Principal, input: PlannedWorkInput) -> Result<PlannedWork, AppError> {
        who.require(WORK_EDITORS)?;
        let work = PlannedWork::create(input, self.now())?;
        let change = Change::new(who.actor, self.now(), "planned_work.created", work.id, "");
        self.store.insert_planned_work(&work, &change).await?;
        Ok(work)
    }

    pub async fn update_planned_work(
        &self,
        who: &Principal,
        id: PlannedWorkId,
        input: PlannedWorkInput,
    ) -> Result<PlannedWork, AppError> {
        who.require(WORK_EDITORS)?;
        let mut work = self.stored_work(id).await?;
        work.apply(input, self.now())?;
        let change = Change::new(who.actor, self.now(), "planned_work.updated", work.id, "");
        self.store.update_planned_work(&work, &change).await?;
        Ok(work)
    }

    /// Record that a contact was about a planned work (linking twice is a no-op).
    pub async fn link_contact_to_work(
        &self,
        who: &Principal,
        contact: ContactId,
        work: PlannedWorkId,
    ) -> Result<(), AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        self.store.contact(contact).await?.ok_or(AppError::NotFound("contact"))?;
        self.stored_work(work).await?;
        let change = Change::new(who.actor, self.now(), "contact.planned_work_linked", contact, work.to_string());
        self.store.link_contact_planned_work(contact, work, &change).await?;
        Ok(())
    }

    pub async fn unlink_contact_from_work(
        &self,
        who: &Principal,
        contact: ContactId,
        work: PlannedWorkId,
    ) -> Result<(), AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let change = Change::new(who.actor, self.now(), "contact.planned_work_unlinked", contact, work.to_string());
        self.store.unlink_contact_planned_work(contact, work, &change).await?;
        Ok(())
    }

    /// The works a contact is linked to.
    pub async fn contact_planned_works(
        &self,
        who: &Principal,
        contact: ContactId,
    ) -> Result<Vec<PlannedWork>, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let mut works = Vec::new();
        for id in self.store.contact_planned_works(contact).await? {
            if let Some(w) = self.store.planned_work(id).await? {
                works.push(w);
            }
        }
        works.sort_by(|a, b| (a.starts_on, &a.title).cmp(&(b.starts_on, &b.title)));
        Ok(works)
    }

    /// Works for the KCC's live search: those covering a postcode in the query first, then those
    /// whose title, description or area holds the typed words (the most matching words first).
    pub async fn planned_works_for_search(
        &self,
        who: &Principal,
        text: &str,
        limit: usize,
    ) -> Result<Vec<PlannedWork>, AppError> {
        who.require(roles::STAFF)?;
        let text: String = text.chars().take(500).collect();
        let today = self.today().await?;
        let mut found: Vec<PlannedWork> = Vec::new();
        let tokens: Vec<&str> = text.split_whitespace().collect();
        let mut digits: Vec<u16> = Vec::new();
        for (i, t) in tokens.iter().enumerate() {
            let t = t.trim_matches(|c: char| !c.is_alphanumeric());
            let pair = tokens.get(i + 1).map(|n| format!("{t}{}", n.trim_matches(|c: char| !c.is_alphanumeric())));
            let d =
                pair.as_deref().and_then(planned_works::postcode_digits).or_else(|| planned_works::postcode_digits(t));
            if let Some(d) = d.filter(|d| !digits.contains(d)) {
                digits.push(d);
            }
        }
        for d in digits.into_iter().take(3) {
            for w in self.store.planned_works_covering(Some(d), None, today).await? {
                if !found.iter().any(|f| f.id == w.id) {
                    found.push(w);
                }
            }
        }
        let words = search_words(&text);
        if !words.is_empty() {
            let all = self
                .store
                .planned_works(&PlannedWorkQuery { today, include_past: false, page: Page::first(Page::MAX_LIMIT) })
                .await?;
            let mut scored: Vec<(usize, PlannedWork)> = all
                .into_iter()
                .filter(|w| !found.iter().any(|f| f.id == w.id))
                .map(|w| (words.iter().filter(|word| w.matches_words(std::slice::from_ref(word))).count(), w))
                .filter(|(score, _)| *score > 0)
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.starts_on.cmp(&b.1.starts_on)));
            found.extend(scored.into_iter().map(|(_, w)| w));
        }
        found.truncate(limit.clamp(1, 20));
        Ok(found)
    }

    /// Send news about a planned work to the confirmed subscribers in its postcodes. Places in the
    /// area reach nobody: subscriptions are by postcode.
    pub async fn notify_work_subscribers(
        &self,
        who: &Principal,
        id: PlannedWorkId,
        news: NewsInput,
    ) -> Result<NewsReport, AppError> {
        who.require(WORK_EDITORS)?;
        let work = self.stored_work(id).await?;
        let subject = text::optional("subject", news.subject.as_deref(), 200)?
            .unwrap_or_else(|| letters::work_news_subject(&work));
        let intro = text::optional("text", news.text.as_deref(), planned_works::MAX_TEXT)?;
        let body = letters::WorkNews { intro: intro.as_deref(), work: &work }.text()?;
        self.notify_subscribers(who, &subject, &body, &work.postcode_ranges(), &id.to_string()).await
    }

    /// Send news about a calamity (or anything else) to the confirmed subscribers in an area typed
    /// like a work's: postcode ranges and postcodes count, place names reach nobody.
    pub async fn notify_area_subscribers(
        &self,
        who: &Principal,
        subject: &str,
        text: &str,
        area: &str,
    ) -> Result<NewsReport, AppError> {
        who.require(WORK_EDITORS)?;
        let ranges: Vec<(u16, u16)> = planned_works::parse_area(area)?
            .into_iter()
            .filter_map(|a| match a {
                planned_works::Area::Postcodes { from, to } => Some((from, to)),
                planned_works::Area::Place { .. } => None,
            })
            .collect();
        if ranges.is_empty() {
            return Err(Invalid::malformed("area", area, Format::Postcodes).into());
        }
        self.notify_subscribers(who, subject, text, &ranges, "subscriptions").await
    }

    /// Send news (a planned work, or a calamity) to the confirmed subscribers whose postcode lies
    /// in one of the ranges: one mail each, with the link to unsubscribe, queued in one
    /// transaction. `about` names what the news is about in the audit log.
    pub async fn notify_subscribers(
        &self,
        who: &Principal,
        subject: &str,
        text: &str,
        ranges: &[(u16, u16)],
        about: &str,
    ) -> Result<NewsReport, AppError> {
        who.require(WORK_EDITORS)?;
        let subject = text::required("subject", subject, 200)?;
        if subject.contains(['\n', '\r']) {
            return Err(Invalid::malformed("subject", &subject, Format::OneLine).into());
        }
        let text = text::required("text", text, 20_000)?;
        let subscribers = self.store.confirmed_subscribers(ranges).await?;
        if subscribers.is_empty() {
            return Ok(NewsReport { queued: 0 });
        }
        let (org, now) = (self.organisation_name().await?, self.now());
        let base = self.settings.public_url.trim_end_matches('/');
        let mut news = Vec::with_capacity(subscribers.len());
        for s in &subscribers {
            let link = format!("{base}{UNSUBSCRIBE_PATH}{}", self.unsubscribe_token(&s.email, &s.postcode).await?);
            let letter = letters::SubscriberNews {
                org: &org,
                subject: &subject,
                text: &text,
                postcode: s.postcode.as_str(),
                unsubscribe_link: &link,
            };
            let (subject, body) = letter.text()?;
            let input =
                MailInput { kind: MailKind::Bericht, to: s.email.as_str().to_string(), subject, body, reply_to: None };
            let mail = OutgoingMail::create(input, now)?;
            // The link is in the text in any case; the header needs an absolute http(s) public URL.
            let mail = mail.clone().with_list_unsubscribe(&link).unwrap_or(mail);
            news.push(SubscriberNews { subscription_id: s.id, mail });
        }
        let change = Change::new(who.actor, now, "subscribers.notified", about, format!("{} subscribers", news.len()));
        let queued = self.store.queue_subscriber_news(&news, &change).await?;
        if queued > 0 {
            self.wake_mail_worker();
        }
        Ok(NewsReport { queued: queued as usize })
    }

    // ---- Citizens ----------------------------------------------------------------------------

    /// The works citizens see: those not over yet, the soonest first.
    pub async fn public_planned_works(&self, page: Page) -> Result<Vec<PlannedWork>, AppError> {
        let query = PlannedWorkQuery { today: self.today().await?, include_past: false, page };
        Ok(self.store.planned_works(&query).await?)
    }

    /// One work for citizens (also one that ended: links in mails keep working).
    pub async fn public_planned_work(&self, id: PlannedWorkId) -> Result<PlannedWork, AppError> {
        self.stored_work(id).await
    }

    /// A citizen searches by postcode or place; `None` for an empty search, a Dutch error for a
    /// search that is neither.
    pub async fn search_planned_works(&self, typed: &str) -> Result<Option<WorkSearchResult>, PortalError> {
        let typed: String = typed.chars().take(200).collect();
        let Some(search) = planned_works::parse_search(&typed)? else { return Ok(None) };
        let today = self.today().await?;
        let works = match &search {
            WorkSearch::Postcode(d) => self.store.planned_works_covering(Some(*d), None, today).await?,
            WorkSearch::Place(p) => self.store.planned_works_covering(None, Some(p), today).await?,
        };
        Ok(Some(WorkSearchResult { search, works }))
    }

    /// A citizen subscribes: a pending subscription (or the existing one for the same address
    /// and postcode) and its confirmation mail, in one transaction. The answer is the same
    /// whether or not the address was subscribed already. The links start with the public URL.
    pub async fn subscribe_to_works(&self, form: &SubscriptionForm) -> Result<(), PortalError> {
        let (email, postcode) = planned_works::check_subscription(form).map_err(PortalError::Invalid)?;
        let now = self.now();
        let confirm = new_token()?;
        let unsubscribe = self.unsubscribe_token(&email, &postcode).await?;
        let org = self.organisation_name().await?;
        let base = self.settings.public_url.trim_end_matches('/');
        let (subject, body) = letters::SubscriptionConfirmation {
            org: &org,
            postcode: postcode.as_str(),
            confirm_link: &format!("{base}{CONFIRM_PATH}{confirm}"),
            unsubscribe_link: &format!("{base}{UNSUBSCRIBE_PATH}{unsubscribe}"),
        }
        .text()?;
        let input =
            MailInput { kind: MailKind::Aanmelding, to: email.as_str().to_string(), subject, body, reply_to: None };
        let mail = OutgoingMail::create(input, now).map_err(AppError::from)?;
        let new = NewSubscription {
            subscription: Subscription::pending(email, postcode, now),
            confirm_hash: token_hash(&confirm),
            unsubscribe_hash: token_hash(&unsubscribe),
            mail,
            quiet_since: now - jiff::SignedDuration::from_hours(planned_works::CONFIRMATION_QUIET_HOURS),
            max_recent_mails: planned_works::MAX_CONFIRMATIONS_PER_ADDRESS,
        };
        let change = Change::new(Actor::Public, now, "subscription.requested", new.subscription.id, "");
        match self.store.save_subscription(&new, &change).await {
            Ok(_) => self.wake_mail_worker(),
            // The same address and postcode at the same moment from another request: its row and
            // mail stand, and the citizen's answer is the same.
            Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
        Ok(())
    }

    /// The subscription behind a confirmation link, unchanged (for the page with the button:
    /// mail scanners follow links, so following one confirms nothing).
    pub async fn subscription_to_confirm(&self, token: &str) -> Result<Subscription, AppError> {
        if !plausible_token(token) {
            return Err(AppError::NotFound("subscription"));
        }
        self.store
            .subscription_by_confirm_hash(&token_hash(token))
            .await?
            .filter(|s| s.state() != SubscriptionState::Unsubscribed)
            .ok_or(AppError::NotFound("subscription"))
    }

    /// The citizen pressed the button behind the confirmation link (a second press changes nothing).
    pub async fn confirm_work_subscription(&self, token: &str) -> Result<Subscription, AppError> {
        let mut s = self.subscription_to_confirm(token).await?;
        if s.state() == SubscriptionState::Pending {
            let now = self.now();
            let change = Change::new(Actor::Public, now, "subscription.confirmed", s.id, "");
            self.store.confirm_subscription(s.id, now, &change).await?;
            s.confirmed_at = Some(now);
        }
        Ok(s)
    }

    /// The subscription behind an unsubscribe link (for the page with the button).
    pub async fn subscription_to_end(&self, token: &str) -> Result<Subscription, AppError> {
        if !plausible_token(token) {
            return Err(AppError::NotFound("subscription"));
        }
        self.store.subscription_by_unsubscribe_hash(&token_hash(token)).await?.ok_or(AppError::NotFound("subscription"))
    }

    /// The citizen unsubscribes (one click; a second click changes nothing).
    pub async fn unsubscribe_from_works(&self, token: &str) -> Result<Subscription, AppError> {
        let mut s = self.subscription_to_end(token).await?;
        if s.state() != SubscriptionState::Unsubscribed {
            let now = self.now();
            let change = Change::new(Actor::Public, now, "subscription.ended", s.id, "");
            self.store.end_subscription(s.id, now, &change).await?;
            s.unsubscribed_at = Some(now);
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_search_skips_the_small_words_of_a_question() {
        assert_eq!(search_words("Wanneer is de dijk bij 2611 klaar?"), vec!["dijk"]);
        assert_eq!(search_words("baggeren Vliet"), vec!["baggeren", "vliet"]);
    }

    #[test]
    fn mails_carry_both_links_and_say_why_they_come() {
        let confirmation = letters::SubscriptionConfirmation {
            org: "HHLW",
            postcode: "2611 AB",
            confirm_link: "https://x/bevestig",
            unsubscribe_link: "https://x/afmelden",
        };
        let (subject, body) = confirmation.text().unwrap();
        assert!(subject.contains("Bevestig"));
        assert!(body.contains("https://x/bevestig") && body.contains("https://x/afmelden") && body.contains("2611 AB"));
        let news = letters::SubscriberNews {
            org: "HHLW",
            subject: "Baggeren",
            text: "We baggeren de Vliet.",
            postcode: "2611 AB",
            unsubscribe_link: "https://x/afmelden",
        };
        let (_, news) = news.text().unwrap();
        assert!(news.contains("We baggeren de Vliet.") && news.contains("https://x/afmelden"));
    }
}
