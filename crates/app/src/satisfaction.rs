//! Use cases of customer satisfaction (issue 15, the external monitor): the invitation job, the
//! citizen's answer, the figures per period and group from the daily roll-up, the comments, the
//! action points (verbeterpunten) and the sample rates. Every figure is defined in
//! `docs/satisfaction.md`.

use crate::link_keys::LinkPurpose;
use crate::portal::PortalError;
use crate::ports::{
    Improvement, InviteOutcome, NewInvitation, SatisfactionFilter, SatisfactionSum, SkipReason, SurveyCandidate,
    SurveyComment,
};
use crate::principal::roles;
use crate::secrets::{sha256_hex, token_hash};
use crate::{App, AppError, Principal};
use askama::Template;
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::ids::ImprovementId;
use gastvrij_domain::mail::{MailInput, MailKind, OutgoingMail};
use gastvrij_domain::portal::SurveyForm;
use gastvrij_domain::satisfaction::{
    self as rules, ANSWER_DAYS, Granularity, ImprovementForm, ImprovementStatus, NewImprovement, Rating,
    SatisfactionTotals, Split,
};
use gastvrij_domain::text::{email_key, fold};
use gastvrij_domain::{Invalid, InvalidKind, StateRule};
use jiff::civil::Date;
use jiff::{SignedDuration, ToSpan};

/// How far back the invitation job looks for closed contacts and cases.
pub const LOOKBACK_DAYS: i64 = 7;
/// How many candidates one run of the job decides at most.
pub const BATCH: u32 = 200;
/// How many comments a page shows at most.
pub const COMMENTS: u32 = 50;

/// The invitation mail.
#[derive(Template)]
#[template(path = "mail/survey_invitation.txt")]
struct InvitationMail<'a> {
    org: &'a str,
    link: &'a str,
    until: &'a str,
}

/// What one run of the invitation job did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InviteRun {
    pub invited: u64,
    /// Not sampled, no e-mail address, or invited within 30 days.
    pub skipped: u64,
    /// Decided by another node meanwhile.
    pub taken: u64,
}

/// What the answer page shows for a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationState {
    Open,
    Answered,
    Expired,
}

/// Which figures to show: a period, its buckets, a split and filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SatisfactionQuery {
    /// First day; default 12 buckets before `to`.
    pub from: Option<Date>,
    /// The day after the last; default tomorrow.
    pub to: Option<Date>,
    pub granularity: Granularity,
    pub split: Split,
    pub channel: Option<Channel>,
    pub topic_id: Option<String>,
    pub team_id: Option<String>,
    pub segment: Option<gastvrij_domain::customer::Segment>,
}

/// One line of a trend: the groups' key (`totaal`, a channel code, a team id, …) and its totals
/// per bucket, in the order of [`SatisfactionReport::buckets`].
#[derive(Debug, Clone, PartialEq)]
pub struct SatisfactionSeries {
    pub key: String,
    pub per_bucket: Vec<SatisfactionTotals>,
    pub total: SatisfactionTotals,
}

/// The satisfaction figures of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct SatisfactionReport {
    pub from: Date,
    pub to: Date,
    pub granularity: Granularity,
    pub split: Split,
    /// The first day of each bucket, oldest first.
    pub buckets: Vec<Date>,
    /// All answers in the period and filters, per bucket.
    pub overall: SatisfactionSeries,
    /// One series per key of the split, by key (empty for [`Split::Total`]).
    pub series: Vec<SatisfactionSeries>,
}

impl App {
    /// The sample rate of every channel: what a beheerder set, else the default.
    pub async fn survey_rates(&self, who: &Principal) -> Result<Vec<(Channel, u8)>, AppError> {
        who.require(roles::TEAM_LEADS)?;
        self.rates().await
    }

    async fn rates(&self) -> Result<Vec<(Channel, u8)>, AppError> {
        let set = self.store.survey_rates().await?;
        Ok(Channel::ALL
            .iter()
            .map(|c| (*c, set.iter().find(|(s, _)| s == c).map_or(rules::default_rate(*c), |(_, p)| *p)))
            .collect())
    }

    /// Set the sample rate of a channel (beheerder).
    pub async fn set_survey_rate(&self, who: &Principal, channel: Channel, percent: u8) -> Result<(), AppError> {
        who.require(roles::ADMIN)?;
        if percent > 100 {
            return Err(Invalid::new("percent", InvalidKind::OutOfRange { min: 0, max: Some(100) }).into());
        }
        let change = Change::new(who.actor, self.now(), "survey.rate_set", channel.code(), percent.to_string());
        Ok(self.store.set_survey_rate(channel, percent, &change).await?)
    }

    /// One run of the invitation job: decide for the contacts and cases closed in the last
    /// [`LOOKBACK_DAYS`] days. Safe on several nodes at once: each source is claimed in the
    /// database (its key is unique), and the 30-day rule is one conditional write per person.
    pub async fn invite_surveys(&self) -> Result<InviteRun, AppError> {
        let now = self.now();
        let rates = self.rates().await?;
        let candidates =
            self.store.survey_candidates(now - SignedDuration::from_hours(24 * LOOKBACK_DAYS), now, BATCH).await?;
        let mut run = InviteRun::default();
        for c in candidates {
            let rate = rates.iter().find(|(ch, _)| *ch == c.channel).map_or(0, |(_, p)| *p);
            let skip = if !rules::sampled(&c.source, rate) {
                Some(SkipReason::NotSampled)
            } else if c.email.is_none() {
                Some(SkipReason::NoAddress)
            } else {
                None
            };
            if let Some(reason) = skip {
                match self.store.skip_survey(&c.source, &c.groups, reason, now).await? {
                    true => run.skipped += 1,
                    false => run.taken += 1,
                }
                continue;
            }
            match self.invite_one(&c).await? {
                InviteOutcome::Invited => run.invited += 1,
                InviteOutcome::Recent => run.skipped += 1,
                InviteOutcome::Taken => run.taken += 1,
            }
        }
        if run.invited > 0 {
            self.wake_mail_worker();
        }
        Ok(run)
    }

    async fn invite_one(&self, c: &SurveyCandidate) -> Result<InviteOutcome, AppError> {
        let now = self.now();
        let email = c.email.as_deref().unwrap_or_default();
        let token = self.new_link_token(LinkPurpose::Survey, c.source.as_bytes()).await?;
        let link = format!("{}/enquete/{token}", self.settings.public_url.trim_end_matches('/'));
        let expires_at = now + SignedDuration::from_hours(24 * ANSWER_DAYS);
        let (org, tz) = self.board().await;
        let until = gastvrij_domain::portal::dutch_date(expires_at, &tz);
        let body = InvitationMail { org: &org, link: &link, until: &until }
            .render()
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("a mail template failed: {e}")))?;
        let input = MailInput {
            kind: MailKind::Bericht,
            to: email.to_string(),
            subject: format!("Wat vond u van uw contact met {org}?"),
            body,
            reply_to: None,
        };
        let mail = match OutgoingMail::create(input, now) {
            Ok(m) => m,
            // An address the mail cannot go to counts as none.
            Err(_) => {
                self.store.skip_survey(&c.source, &c.groups, SkipReason::NoAddress, now).await?;
                return Ok(InviteOutcome::Recent);
            }
        };
        let mut persons = vec![format!("email:{}", sha256_hex(email_key(email).as_bytes()))];
        if let Some(customer) = &c.customer_id {
            persons.push(format!("customer:{customer}"));
        }
        persons.sort();
        let invitation = NewInvitation {
            source: c.source.clone(),
            token_hash: token_hash(&token),
            groups: c.groups.clone(),
            persons,
            at: now,
            expires_at,
        };
        Ok(self.store.invite_survey(&invitation, &mail, rules::cooldown_cutoff(now)).await?)
    }

    /// Whether the link `token` can be answered now; `None` for an unknown link.
    pub async fn survey_invitation_state(&self, token: &str) -> Result<Option<InvitationState>, AppError> {
        let Some(inv) = self.store.survey_invitation(&token_hash(token)).await? else {
            return Ok(None);
        };
        Ok(Some(if inv.answered_at.is_some() {
            InvitationState::Answered
        } else if self.now() >= inv.expires_at {
            InvitationState::Expired
        } else {
            InvitationState::Open
        }))
    }

    /// The citizen answers an invitation: once, before it expires. The answer is added to the
    /// day's roll-up in the same transaction.
    pub async fn answer_survey_invitation(&self, token: &str, form: &SurveyForm) -> Result<Rating, PortalError> {
        let state = self.survey_invitation_state(token).await?.ok_or(AppError::NotFound("invitation"))?;
        match state {
            InvitationState::Answered => return Err(Invalid::wrong_state("cijfer", StateRule::SurveyAnswered).into()),
            InvitationState::Expired => {
                return Err(Invalid::wrong_state("cijfer", StateRule::SurveyClosed { days: ANSWER_DAYS }).into());
            }
            InvitationState::Open => {}
        }
        let rating = Rating::from_form(form).map_err(PortalError::Invalid)?;
        let now = self.now();
        let day = self.today().await?;
        let folded = rating.comment.as_deref().map(fold);
        let hash = token_hash(token);
        let change = Change::new(Actor::Public, now, "survey.answered", &hash[..16], rating.grade.to_string());
        if self.store.answer_survey_invitation(&hash, &rating, folded.as_deref(), day, &change).await? {
            Ok(rating)
        } else {
            Err(Invalid::wrong_state("cijfer", StateRule::SurveyAnswered).into())
        }
    }

    /// The satisfaction figures of `q` (team leads and beheerders), from the daily roll-up.
    pub async fn satisfaction(&self, who: &Principal, q: &SatisfactionQuery) -> Result<SatisfactionReport, AppError> {
        who.require(roles::TEAM_LEADS)?;
        let filter = self.filter(q).await?;
        let buckets = q.granularity.buckets(filter.from, filter.to);
        let slot = |day: Date| buckets.iter().rposition(|b| *b <= day);
        let mut overall = SatisfactionSeries {
            key: "totaal".into(),
            per_bucket: vec![SatisfactionTotals::default(); buckets.len()],
            total: SatisfactionTotals::default(),
        };
        let mut series: Vec<SatisfactionSeries> = vec![];
        let rows: Vec<SatisfactionSum> = self.store.satisfaction_daily(&filter, q.split).await?;
        for row in rows {
            let Some(i) = slot(row.day) else { continue };
            overall.per_bucket[i].add(&row.totals);
            overall.total.add(&row.totals);
            if q.split == Split::Total {
                continue;
            }
            let s = match series.iter().position(|s| s.key == row.key) {
                Some(p) => &mut series[p],
                None => {
                    series.push(SatisfactionSeries {
                        key: row.key.clone(),
                        per_bucket: vec![SatisfactionTotals::default(); buckets.len()],
                        total: SatisfactionTotals::default(),
                    });
                    series.last_mut().expect("just pushed")
                }
            };
            s.per_bucket[i].add(&row.totals);
            s.total.add(&row.totals);
        }
        series.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(SatisfactionReport {
            from: filter.from,
            to: filter.to,
            granularity: q.granularity,
            split: q.split,
            buckets,
            overall,
            series,
        })
    }

    /// The period and filters of `q` as the store reads them; the default period is the last 12
    /// buckets up to today.
    async fn filter(&self, q: &SatisfactionQuery) -> Result<SatisfactionFilter, AppError> {
        let to = match q.to {
            Some(to) => to,
            None => self.today().await?.saturating_add(1.day()),
        };
        let from = match q.from {
            Some(from) => from,
            None => {
                let mut start = q.granularity.start_of(to.saturating_sub(1.day()));
                for _ in 1..12 {
                    start = q.granularity.start_of(start.saturating_sub(1.day()));
                }
                start
            }
        };
        if from >= to {
            return Err(Invalid::new("tot", InvalidKind::OutOfOrder { after: "van" }).into());
        }
        if (to - from).get_days() > 3 * 366 {
            return Err(Invalid::new("van", InvalidKind::OutOfRange { min: 1, max: Some(3 * 366) }).into());
        }
        Ok(SatisfactionFilter {
            from,
            to,
            channel: q.channel.map(|c| c.code().to_string()),
            topic_id: q.topic_id.clone(),
            team_id: q.team_id.clone(),
            segment: q.segment.map(|s| s.code().to_string()),
        })
    }

    /// The newest answers with a comment in the period and filters of `q`, holding `search`
    /// (folded: case and accents do not matter) when given.
    pub async fn satisfaction_comments(
        &self,
        who: &Principal,
        q: &SatisfactionQuery,
        search: Option<&str>,
    ) -> Result<Vec<SurveyComment>, AppError> {
        who.require(roles::TEAM_LEADS)?;
        let filter = self.filter(q).await?;
        let search = search.map(fold).filter(|s| !s.trim().is_empty());
        Ok(self.store.survey_comments(&filter, search.as_deref().map(str::trim), COMMENTS).await?)
    }

    /// Every action point (team leads and beheerders).
    pub async fn improvements(&self, who: &Principal) -> Result<Vec<Improvement>, AppError> {
        who.require(roles::TEAM_LEADS)?;
        Ok(self.store.improvements().await?)
    }

    /// Make an action point (team leads and beheerders). From a comment: only a low grade with a
    /// comment can be turned into one.
    pub async fn create_improvement(&self, who: &Principal, form: &ImprovementForm) -> Result<Improvement, AppError> {
        who.require(roles::TEAM_LEADS)?;
        let today = self.today().await?;
        let point = NewImprovement::parse(form, today).map_err(|mut e| AppError::Invalid(e.remove(0)))?;
        if !self.store.active_employee(point.owner).await? {
            return Err(
                Invalid::new("owner", InvalidKind::Unknown { given: form.owner.clone(), allowed: vec![] }).into()
            );
        }
        if point.source_kind == rules::SourceKind::Opmerking {
            let low = self.store.survey_comment(&point.source_ref).await?.is_some_and(|c| c.grade <= rules::LOW_GRADE);
            if !low {
                return Err(Invalid::new(
                    "source_ref",
                    InvalidKind::Described("not a comment with a low grade".into()),
                )
                .into());
            }
        }
        let now = self.now();
        let stored = Improvement {
            id: ImprovementId::new(),
            point,
            status: ImprovementStatus::Open,
            created_at: now,
            updated_at: now,
        };
        let change = Change::new(who.actor, now, "improvement.created", stored.id, stored.point.source_kind.code());
        self.store.insert_improvement(&stored, &change).await?;
        Ok(stored)
    }

    /// Move an action point to `status` (team leads and beheerders).
    pub async fn set_improvement_status(
        &self,
        who: &Principal,
        id: ImprovementId,
        status: ImprovementStatus,
    ) -> Result<(), AppError> {
        who.require(roles::TEAM_LEADS)?;
        let now = self.now();
        let change = Change::new(who.actor, now, "improvement.status", id, status.code());
        Ok(self.store.set_improvement_status(id, status, now, &change).await?)
    }
}
