//! Contact figures (issue 15): for a period and optionally one team, the share of closed contacts
//! answered at once (first time right), the consultations (ruggespraak) asked, answered and made
//! into an article, the questions handed over per team, and the contacts per channel and per hour
//! of the week in the organisation's time zone. The page `/werkplek/cijfers/contacten`, its CSV
//! and `GET /api/v1/contact-figures` all read [`App::contact_figures`]; every figure is defined
//! in `docs/contact-figures.md`.

use crate::norms::Source;
use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::customer::Segment;
use gastvrij_domain::{Invalid, InvalidKind};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};

/// The default period: the last four weeks.
pub const DEFAULT_DAYS: i64 = 28;
/// The longest period.
pub const MAX_DAYS: i32 = 3 * 366;

/// Which contacts to count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactFiguresQuery {
    /// First day; default four weeks before `to`.
    pub from: Option<Date>,
    /// The day after the last; default tomorrow.
    pub to: Option<Date>,
    /// Only the contacts and consultations of this team: handled or asked by an employee of it,
    /// then (the team is kept on the contact and the consultation).
    pub team_id: Option<String>,
    /// Only the contacts whose customer's first segment (now) is
    /// this code; `""` for contacts without a known segment. Consultations are not narrowed.
    pub segment: Option<String>,
}

/// The contact figures of a period.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactFigures {
    pub from: Date,
    pub to: Date,
    /// Contacts started in the period.
    pub contacts: u64,
    /// Of those, closed.
    pub closed: u64,
    /// Of those closed, answered at once.
    pub first_time: u64,
    pub consults_asked: u64,
    pub consults_answered: u64,
    pub consults_to_article: u64,
    /// Questions handed over as a case, per team id (`""` when the case has no known team), by
    /// team id.
    pub handovers: Vec<(String, u64)>,
    /// Questions forwarded to another body.
    pub forwarded: u64,
    /// Contacts per channel, every channel in [`Channel::ALL`] order.
    pub per_channel: Vec<(Channel, u64)>,
    /// Contacts per weekday (Monday first) and local hour (0–23).
    pub week: [[u64; 24]; 7],
}

impl ContactFigures {
    /// First time right as a percentage of closed contacts; `None` without closed contacts.
    pub fn first_time_percent(&self) -> Option<f64> {
        (self.closed > 0).then(|| self.first_time as f64 * 100.0 / self.closed as f64)
    }
}

/// The weekday (0 is Monday) and local hour of the UTC hour `utc_hour` (hours since the epoch).
pub fn hour_of_week(utc_hour: i64, tz: &jiff::tz::TimeZone) -> Option<(usize, usize)> {
    let at = Timestamp::from_second(utc_hour.checked_mul(3600)?).ok()?.to_zoned_datetime(tz.clone());
    Some((usize::try_from(at.weekday().to_monday_zero_offset()).ok()?, usize::try_from(at.hour()).ok()?))
}

/// Hours of contact roll-ups recomputed in one transaction at most (a week).
const REFRESH_HOURS: i64 = 7 * 24;

impl App {
    /// The contact figures of a period (team leads and beheerders), from the hourly roll-ups
    /// brought up to date first.
    pub async fn contact_figures(&self, who: &Principal, q: &ContactFiguresQuery) -> Result<ContactFigures, AppError> {
        self.contact_figures_from(who, q, Source::Rollup).await
    }

    /// The contact figures from the roll-ups or, for the benchmark and its check, from a plain
    /// GROUP BY over the raw tables (which has no segment filter: a segment is refused there).
    pub async fn contact_figures_from(
        &self,
        who: &Principal,
        q: &ContactFiguresQuery,
        source: Source,
    ) -> Result<ContactFigures, AppError> {
        who.require(roles::TEAM_LEADS)?;
        let (_, tz) = self.board().await;
        let to = match q.to {
            Some(to) => to,
            None => self.now().to_zoned_datetime(tz.clone()).date().saturating_add(1.day()),
        };
        let from = q.from.unwrap_or_else(|| to.saturating_sub(DEFAULT_DAYS.days()));
        if from >= to {
            return Err(Invalid::new("to", InvalidKind::OutOfOrder { after: "from" }).into());
        }
        if let Some(segment) = q.segment.as_deref().filter(|s| !s.is_empty())
            && !Segment::ALL.iter().any(|k| k.code() == segment)
        {
            let allowed = Segment::ALL.iter().map(|k| k.code().to_string()).collect();
            return Err(Invalid::new("segment", InvalidKind::Unknown { given: segment.to_string(), allowed }).into());
        }
        if (to - from).get_days() > MAX_DAYS {
            return Err(Invalid::new("from", InvalidKind::OutOfRange { min: 1, max: Some(i64::from(MAX_DAYS)) }).into());
        }
        let start = |d: Date| {
            d.to_zoned_datetime(tz.clone())
                .map(|z| z.timestamp())
                .map_err(|e| AppError::Unexpected(anyhow::anyhow!("a day outside the time zone: {e}")))
        };
        let (start, end) = (start(from)?, start(to)?);
        let counts = match source {
            Source::Rollup => {
                self.refresh_contact_rollups().await?;
                self.store.contact_figure_rollup(start, end, q.team_id.as_deref(), q.segment.as_deref()).await?
            }
            Source::Scan if q.segment.is_some() => {
                return Err(AppError::Unexpected(anyhow::anyhow!("the plain GROUP BY has no segment filter")));
            }
            Source::Scan => self.store.contact_figure_counts(start, end, q.team_id.as_deref()).await?,
        };
        let mut per_channel: Vec<(Channel, u64)> = Channel::ALL.iter().map(|c| (*c, 0)).collect();
        let mut week = [[0u64; 24]; 7];
        let (mut contacts, mut closed, mut first_time) = (0, 0, 0);
        for row in &counts.hours {
            contacts += row.contacts;
            closed += row.closed;
            first_time += row.first_time;
            if let Some((day, hour)) = hour_of_week(row.utc_hour, &tz) {
                week[day][hour] += row.contacts;
            }
        }
        for (channel, n) in &counts.channels {
            if let Some(slot) = per_channel.iter_mut().find(|(c, _)| c.code() == channel) {
                slot.1 += n;
            }
        }
        let mut handovers: Vec<(String, u64)> = counts.handovers.into_iter().filter(|(_, n)| *n > 0).collect();
        handovers.sort();
        Ok(ContactFigures {
            from,
            to,
            contacts,
            closed,
            first_time,
            consults_asked: counts.consults_asked,
            consults_answered: counts.consults_answered,
            consults_to_article: counts.consults_to_article,
            handovers,
            forwarded: counts.forwarded,
            per_channel,
            week,
        })
    }
}

impl App {
    /// Bring the hourly contact roll-ups up to date with every hour marked since the last
    /// refresh: each run of marked hours (at most [`REFRESH_HOURS`], gaps under a day) is
    /// recomputed from the raw tables in one transaction. Returns the hours processed.
    pub async fn refresh_contact_rollups(&self) -> Result<u64, AppError> {
        let mut processed = 0;
        loop {
            let markers = self.store.dirty_contact_hours(5_000).await?;
            if markers.is_empty() {
                return Ok(processed);
            }
            let mut start = 0;
            for i in 1..=markers.len() {
                let split = i == markers.len()
                    || markers[i].0 - markers[i - 1].0 > 24
                    || markers[i].0 - markers[start].0 >= REFRESH_HOURS;
                if split {
                    let run = &markers[start..i];
                    self.store.refresh_contact_hours(run[0].0, run[run.len() - 1].0 + 1, run).await?;
                    start = i;
                }
            }
            processed += markers.len() as u64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_hour_lands_on_its_local_weekday_and_hour() {
        let tz = jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap();
        // 2026-03-02 (a Monday) 08:00 UTC is 09:00 in Amsterdam (winter time).
        let t: Timestamp = "2026-03-02T08:00:00Z".parse().unwrap();
        assert_eq!(hour_of_week(t.as_second() / 3600, &tz), Some((0, 9)));
        // 2026-07-05 (a Sunday) 22:00 UTC is Monday 00:00 in Amsterdam (summer time).
        let t: Timestamp = "2026-07-05T22:00:00Z".parse().unwrap();
        assert_eq!(hour_of_week(t.as_second() / 3600, &tz), Some((0, 0)));
    }
}
