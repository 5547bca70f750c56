//! The generator: reference data, customers, and two years of contacts and cases, in batches.
//!
//! Volume per day is planned up front (730 numbers); each day then draws its contacts from its
//! own random stream, so memory stays bounded at any scale and a batch never holds more than the
//! asked number of contacts.

use crate::DemoConfig;
use crate::catalogue::{self, Profile, STORM_NAME, Season, TOPICS, TopicSpec};
use crate::people::{CustomerKey, Customers, DemoUser, Staff};
use crate::rng::{Rng, stream};
use anyhow::Context;
use gastvrij_app::Settings;
use gastvrij_app::calendars::Calendars;
use gastvrij_app::ports::Batch;
use gastvrij_domain::calendar::Calendar;
use gastvrij_domain::case::{Case, CaseInput, CaseStatus, CaseType, format_reference};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{Contact, ContactInput, Outcome, QuestionInput};
use gastvrij_domain::customer::Segment;
use gastvrij_domain::ids::{CaseId, ContactId, CustomerId, EmployeeId, NoteId, QuestionId, TopicId};
use gastvrij_domain::norms::{CaseTypeNorm, NormSet};
use gastvrij_domain::topic::{Topic, TopicInput};
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::{SignedDuration, Span, Timestamp};
use std::collections::BTreeMap;

/// Days of history.
pub const DAYS: usize = 730;
/// Contacts at scale 1.
const CONTACTS_PER_SCALE: f64 = 100_000.0;
/// Customers at scale 1.
const CUSTOMERS_PER_SCALE: f64 = 20_000.0;
/// Calibrates the topics' handover chances so about one question in eight becomes a case.
const HANDOVER: f64 = 0.5;
/// The storm's extra volume on its three days, in average working days.
const STORM_EXTRA: [f64; 3] = [4.0, 3.2, 1.4];

/// The contacts generated for `scale`.
pub fn planned_contacts(scale: f64) -> u64 {
    (CONTACTS_PER_SCALE * scale).round().max(1.0) as u64
}

/// The customers generated for `scale` (at least the governments and a few more).
pub fn planned_customers(scale: f64) -> u64 {
    Customers::new(0, (CUSTOMERS_PER_SCALE * scale).round() as usize, Timestamp::UNIX_EPOCH).total as u64
}

pub(crate) fn ms(t: Timestamp) -> u64 {
    u64::try_from(t.as_millisecond()).unwrap_or(0)
}

fn channel_index(c: Channel) -> usize {
    Channel::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

/// Hour-of-day weights (0–23) per kind of channel.
const OFFICE_HOURS: [f64; 24] =
    [0., 0., 0., 0., 0., 0., 0., 0., 0.6, 1.5, 1.6, 1.3, 0.7, 1.2, 1.4, 1.1, 0.6, 0., 0., 0., 0., 0., 0., 0.];
const DESK_HOURS: [f64; 24] =
    [0., 0., 0., 0., 0., 0., 0., 0., 0., 1.0, 1.3, 1.1, 0.6, 1.0, 1.2, 0.8, 0.4, 0., 0., 0., 0., 0., 0., 0.];
const POST_HOURS: [f64; 24] =
    [0., 0., 0., 0., 0., 0., 0., 0., 0., 1.0, 1.0, 0.8, 0., 0., 0., 0., 0., 0., 0., 0., 0., 0., 0., 0.];
const ONLINE_HOURS: [f64; 24] = [
    0.15, 0.08, 0.05, 0.05, 0.05, 0.1, 0.3, 0.6, 1.0, 1.3, 1.3, 1.2, 1.0, 1.1, 1.1, 1.0, 0.9, 0.8, 0.9, 1.1, 1.2, 1.0,
    0.7, 0.35,
];
/// The calamity line: day and night, busiest in daytime and early evening.
const CALAMITY_HOURS: [f64; 24] = [
    0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.6, 0.9, 1.2, 1.3, 1.3, 1.2, 1.1, 1.1, 1.1, 1.1, 1.2, 1.3, 1.3, 1.2, 1.0, 0.8, 0.6,
    0.4,
];

/// Yields the demo in batches, deterministically from the seed and the last day.
pub struct Generator {
    seed: u64,
    calendar: Calendar,
    norms: NormSet,
    calendars: Calendars,
    prefix: String,
    first_day: Date,
    /// The first moment after the history (start of the day after `until`).
    end: Timestamp,
    storm: usize,
    heat_waves: Vec<(usize, usize)>,
    staff: Staff,
    topics: Vec<Topic>,
    /// Responsible team (index) per topic, inherited from the parent when not set.
    topic_team: Vec<usize>,
    /// Leaf topics per parent, for follow-up questions.
    siblings: Vec<Vec<usize>>,
    /// Topic weights without season, for follow-up questions on another subject.
    base_weights: Vec<f64>,
    customers: Customers,
    customers_done: usize,
    day_counts: Vec<u64>,
    day_noise: Vec<f64>,
    /// Average contacts per working day.
    workday_average: f64,
    /// Sum of topic weights on an average working day (scales the storm).
    workday_weight: f64,
    next_day: usize,
    current: Option<DayState>,
    case_numbers: BTreeMap<i16, i64>,
}

struct DayState {
    index: usize,
    rng: Rng,
    entries: Vec<Entry>,
    pos: usize,
    /// Busy-ness relative to an average working day.
    load: f64,
}

struct Entry {
    start: Timestamp,
    topic: usize,
    channel: Channel,
    /// Part of the storm's extra volume.
    storm: bool,
}

impl Generator {
    /// A generator with the default settings (reference prefix `WS`, the water-board norms).
    pub fn new(config: &DemoConfig) -> anyhow::Result<Self> {
        Self::with_settings(config, &Settings::default())
    }

    /// A generator using an installation's reference prefix, norms and calendars.
    pub fn with_settings(config: &DemoConfig, settings: &Settings) -> anyhow::Result<Self> {
        anyhow::ensure!(config.scale.is_finite() && config.scale > 0.0, "the scale must be a number above 0");
        let calendar = Calendar::termijnenwet();
        let first_day =
            config.until.checked_sub(Span::new().days(DAYS as i64 - 1)).context("the last day is too early")?;
        let end = calendar.start_of_day(config.until.tomorrow()?)?;
        let start = calendar.start_of_day(first_day)?;
        let staff = Staff::generate(config.seed, start - SignedDuration::from_hours(24 * 30))?;
        let mut plan = Rng::derive(config.seed, stream::PLAN, 0);
        let mut g = Generator {
            seed: config.seed,
            calendar,
            norms: settings.norms.clone(),
            calendars: settings.calendars.clone(),
            prefix: settings.reference_prefix.clone(),
            first_day,
            end,
            storm: 0,
            heat_waves: vec![],
            topics: vec![],
            topic_team: vec![],
            siblings: vec![],
            base_weights: TOPICS.iter().map(|s| s.weight).collect(),
            customers: Customers::new(config.seed, (CUSTOMERS_PER_SCALE * config.scale).round() as usize, start),
            customers_done: 0,
            staff,
            day_counts: vec![],
            day_noise: (0..DAYS).map(|_| plan.between(0.88, 1.12)).collect(),
            workday_average: 1.0,
            workday_weight: 1.0,
            next_day: 0,
            current: None,
            case_numbers: BTreeMap::new(),
        };
        g.build_topics(&mut plan)?;
        g.place_weather(&mut plan)?;
        g.plan_days(planned_contacts(config.scale))?;
        Ok(g)
    }

    fn build_topics(&mut self, rng: &mut Rng) -> anyhow::Result<()> {
        let t0 = ms(self.customers.start - SignedDuration::from_hours(24 * 30));
        for spec in TOPICS {
            let parent = (!spec.parent.is_empty())
                .then(|| TOPICS.iter().position(|s| s.name == spec.parent))
                .flatten()
                .filter(|p| *p < self.topics.len());
            let team = spec.team.or(parent.map(|p| self.topic_team[p])).unwrap_or(catalogue::KCC);
            let mut topic = Topic::create(TopicInput {
                name: spec.name.into(),
                parent_id: parent.map(|p| self.topics[p].id),
                team_id: spec.team.map(|t| self.staff.teams[t].id),
            })?;
            topic.id = TopicId::from_parts(t0, rng.bytes10());
            self.topics.push(topic);
            self.topic_team.push(team);
        }
        self.siblings = TOPICS
            .iter()
            .map(|s| (0..TOPICS.len()).filter(|j| TOPICS[*j].weight > 0.0 && TOPICS[*j].parent == s.parent).collect())
            .collect();
        Ok(())
    }

    /// One named storm in an autumn or winter at least three weeks before the end, and one heat
    /// wave each summer.
    fn place_weather(&mut self, rng: &mut Rng) -> anyhow::Result<()> {
        let mut stormy = vec![];
        let mut summers: BTreeMap<i16, Vec<usize>> = BTreeMap::new();
        for i in 0..DAYS {
            let d = self.date(i)?;
            let (m, day) = (d.month(), d.day());
            if ((m == 10 && day >= 15) || m == 11 || m == 12 || m == 1 || (m == 2 && day <= 10)) && i + 3 + 21 <= DAYS {
                stormy.push(i);
            }
            if (m == 7 || (m == 8 && day <= 20)) && i + 10 <= DAYS {
                summers.entry(d.year()).or_default().push(i);
            }
        }
        self.storm = if stormy.is_empty() { DAYS / 2 } else { *rng.pick(&stormy) };
        for days in summers.values() {
            if days.len() > 20 {
                let start = *rng.pick(days);
                self.heat_waves.push((start, start + 7 + rng.below(5)));
            }
        }
        Ok(())
    }

    fn date(&self, i: usize) -> anyhow::Result<Date> {
        Ok(self.first_day.checked_add(Span::new().days(i as i64))?)
    }

    /// The first day of the storm and its name.
    pub fn storm(&self) -> (Date, &'static str) {
        (self.date(self.storm).unwrap_or(self.first_day), STORM_NAME)
    }

    /// The sign-in accounts.
    pub fn users(&self) -> &[DemoUser] {
        &self.staff.users
    }

    /// Teams, employees (the sign-in accounts among them) and topics.
    pub fn reference_data(&self) -> Batch {
        Batch {
            teams: self.staff.teams.clone(),
            employees: self.staff.employees.clone(),
            topics: self.topics.clone(),
            ..Default::default()
        }
    }

    fn season(season: Season, day: Date) -> f64 {
        let since_letters = Date::new(day.year(), 2, 24).map(|l| (day - l).get_days()).unwrap_or(-1);
        let tax = match since_letters {
            0..=20 => 3.5,
            21..=41 => 1.8,
            _ => 0.6,
        };
        match season {
            Season::Flat => 1.0,
            Season::TaxLetters => tax,
            Season::Payments => match since_letters {
                70..=90 => 1.6,
                _ => tax,
            },
            Season::Spring => match day.month() {
                3..=5 => 2.0,
                _ => 0.7,
            },
            Season::Summer => match (day.month(), day.day()) {
                (6, 15..) | (7, _) | (8, _) => 3.0,
                (5, _) | (6, _) | (9, _) => 1.5,
                _ => 0.4,
            },
            Season::Autumn => match day.month() {
                10..=12 | 1 => 2.0,
                2 | 9 => 1.0,
                _ => 0.6,
            },
        }
    }

    fn weekday_factor(&self, day: Date) -> anyhow::Result<f64> {
        let f = match day.weekday() {
            Weekday::Monday => 1.35,
            Weekday::Tuesday => 1.15,
            Weekday::Wednesday | Weekday::Thursday => 1.0,
            Weekday::Friday => 0.8,
            Weekday::Saturday => 0.12,
            Weekday::Sunday => 0.07,
        };
        let holiday = f > 0.5 && !self.calendar.is_working_day(day)?;
        let christmas = (day.month() == 12 && day.day() >= 24) || (day.month() == 1 && day.day() == 1);
        Ok(if holiday {
            0.08
        } else if christmas {
            f * 0.6
        } else {
            f
        })
    }

    fn is_working(&self, day: Date) -> bool {
        self.calendar.is_working_day(day).unwrap_or(false)
    }

    /// Topic weights of day `i`, without (`storm` false) or with the storm's extra volume.
    fn topic_weights(&self, i: usize, with_storm: bool) -> anyhow::Result<(Vec<f64>, Vec<f64>)> {
        let day = self.date(i)?;
        let base = self.weekday_factor(day)? * self.day_noise[i];
        let heat = self.heat_waves.iter().any(|(a, b)| (*a..*b).contains(&i));
        let storm_day = i.checked_sub(self.storm).filter(|k| *k < STORM_EXTRA.len());
        let mut normal = Vec::with_capacity(TOPICS.len());
        let mut extra = Vec::with_capacity(TOPICS.len());
        for spec in TOPICS {
            let hot = if heat && spec.season == Season::Summer { 2.5 } else { 1.0 };
            normal.push(spec.weight * Self::season(spec.season, day) * hot * base);
            let e = match storm_day {
                Some(k) if with_storm => spec.storm * STORM_EXTRA[k] * self.workday_weight,
                _ => 0.0,
            };
            extra.push(e);
        }
        Ok((normal, extra))
    }

    fn plan_days(&mut self, total: u64) -> anyhow::Result<()> {
        let mut normal = Vec::with_capacity(DAYS);
        let mut working = Vec::with_capacity(DAYS);
        for i in 0..DAYS {
            normal.push(self.topic_weights(i, false)?.0.iter().sum::<f64>());
            working.push(self.is_working(self.date(i)?));
        }
        let workdays = working.iter().filter(|w| **w).count().max(1) as f64;
        self.workday_weight = normal.iter().zip(&working).filter(|(_, w)| **w).map(|(n, _)| n).sum::<f64>() / workdays;
        let mut weights = Vec::with_capacity(DAYS);
        for (i, n) in normal.iter().enumerate() {
            weights.push(n + self.topic_weights(i, true)?.1.iter().sum::<f64>());
        }
        // Largest remainder: the day counts add up to exactly `total`.
        let sum: f64 = weights.iter().sum();
        let exact: Vec<f64> = weights.iter().map(|w| w / sum * total as f64).collect();
        let mut counts: Vec<u64> = exact.iter().map(|x| x.floor() as u64).collect();
        let mut order: Vec<usize> = (0..counts.len()).collect();
        order
            .sort_by(|a, b| (exact[*b] - exact[*b].floor()).total_cmp(&(exact[*a] - exact[*a].floor())).then(a.cmp(b)));
        let missing = total.saturating_sub(counts.iter().sum());
        for i in order.into_iter().take(missing as usize) {
            counts[i] += 1;
        }
        let workday_total: u64 = counts.iter().zip(&working).filter(|(_, w)| **w).map(|(c, _)| c).sum();
        self.workday_average = (workday_total as f64 / workdays).max(1.0);
        self.day_counts = counts;
        Ok(())
    }

    /// The next batch of at most `limit` customers; `None` when all are made.
    pub fn next_customers(&mut self, limit: usize) -> anyhow::Result<Option<Batch>> {
        if self.customers_done >= self.customers.total {
            return Ok(None);
        }
        let mut batch = Batch::default();
        let until = (self.customers_done + limit.max(1)).min(self.customers.total);
        for n in self.customers_done..until {
            batch.customers.push(self.customers.customer(n)?);
        }
        self.customers_done = until;
        Ok(Some(batch))
    }

    /// The next batch of at most `limit` contacts, with the cases they started; `None` when the
    /// history is complete.
    pub fn next_history(&mut self, limit: usize) -> anyhow::Result<Option<Batch>> {
        let limit = limit.max(1);
        let mut batch = Batch::default();
        while batch.contacts.len() < limit {
            let mut day = match self.current.take() {
                Some(d) if d.pos < d.entries.len() => d,
                _ if self.next_day >= DAYS => break,
                _ => {
                    self.next_day += 1;
                    self.plan_day(self.next_day - 1)?
                }
            };
            while day.pos < day.entries.len() && batch.contacts.len() < limit {
                self.contact(&mut day, &mut batch)?;
                day.pos += 1;
            }
            self.current = Some(day);
        }
        if batch.contacts.is_empty() {
            return Ok(None);
        }
        // References in order of creation per year.
        batch.cases.sort_by_key(|c| (c.created_at, c.id));
        for case in &mut batch.cases {
            let year = self.calendar.date_of(case.created_at).year();
            let number = self.case_numbers.entry(year).or_insert(0);
            *number += 1;
            case.reference = format_reference(&format!("{}-{year}", self.prefix), *number);
        }
        Ok(Some(batch))
    }

    fn at(&self, day: Date, second: i64) -> anyhow::Result<Timestamp> {
        let second = second.clamp(0, 86_399);
        let time = Time::new((second / 3600) as i8, ((second / 60) % 60) as i8, (second % 60) as i8, 0)?;
        Ok(self.calendar.time_zone().to_ambiguous_timestamp(DateTime::from_parts(day, time)).compatible()?)
    }

    fn plan_day(&self, index: usize) -> anyhow::Result<DayState> {
        let mut rng = Rng::derive(self.seed, stream::DAY, index as u64);
        let date = self.date(index)?;
        let n = self.day_counts[index] as usize;
        let (normal, extra) = self.topic_weights(index, true)?;
        let weights: Vec<f64> = normal.iter().zip(&extra).map(|(a, b)| a + b).collect();
        let closed = !self.is_working(date);
        let progress = index as f64 / DAYS as f64;
        // Channel shift: a little less phone, more web, app and chat over the two years.
        let trend = [
            1.05 - 0.1 * progress,
            1.0,
            0.85 + 0.3 * progress,
            1.0,
            1.0,
            1.0,
            0.8 + 0.4 * progress,
            0.9 + 0.2 * progress,
        ];
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            let topic = rng.weighted(&weights);
            let spec = &TOPICS[topic];
            let storm = extra[topic] > 0.0 && rng.chance(extra[topic] / weights[topic]);
            let channel = if storm {
                Channel::ALL[rng.weighted(&[60.0, 4.0, 8.0, 0.0, 0.0, 12.0, 14.0, 2.0])]
            } else {
                let mut w = spec.profile.channel_weights();
                for (x, t) in w.iter_mut().zip(trend) {
                    *x *= t;
                }
                if closed {
                    // Outside working days only the calamity line answers the phone.
                    w[0] *= if spec.profile == Profile::Report { 0.3 } else { 0.02 };
                    w[3] = 0.0;
                    w[4] = 0.0;
                    w[7] = 0.0;
                }
                Channel::ALL[rng.weighted(&w)]
            };
            let hours: &[f64; 24] = match channel {
                Channel::Telefoon if storm || closed => &CALAMITY_HOURS,
                Channel::Telefoon | Channel::Chat => &OFFICE_HOURS,
                Channel::Balie => &DESK_HOURS,
                Channel::Brief => &POST_HOURS,
                _ => &ONLINE_HOURS,
            };
            let second = rng.weighted(hours) as i64 * 3600 + rng.range(0, 3599);
            entries.push(Entry { start: self.at(date, second)?, topic, channel, storm });
        }
        entries.sort_by_key(|e| e.start);
        let load = if closed { 0.6 } else { (n as f64 / self.workday_average).max(0.5) };
        Ok(DayState { index, rng, entries, pos: 0, load })
    }

    fn pick_customer(&self, rng: &mut Rng, spec: &TopicSpec) -> CustomerId {
        let c = &self.customers;
        if spec.segments.contains(&Segment::Overheid) && rng.chance(0.05) {
            return c.key(rng.below(c.governments())).id;
        }
        let mut key: Option<CustomerKey> = None;
        for _ in 0..6 {
            // Some customers call often, most rarely.
            let n = c.governments() + ((c.total - c.governments()) as f64 * rng.unit().powf(1.6)) as usize;
            let k = c.key(n.min(c.total - 1));
            if spec.segments.is_empty() || spec.segments.contains(&k.segment) {
                return k.id;
            }
            key = Some(k);
        }
        key.map(|k| k.id).unwrap_or_else(|| c.key(c.governments()).id)
    }

    fn contact(&self, day: &mut DayState, batch: &mut Batch) -> anyhow::Result<()> {
        let entry = &day.entries[day.pos];
        let rng = &mut day.rng;
        let (start, topic, channel, storm) = (entry.start, entry.topic, entry.channel, entry.storm);
        let spec = &TOPICS[topic];
        let progress = day.index as f64 / DAYS as f64;
        let waiting = (channel == Channel::Telefoon).then(|| {
            let hour = self.calendar.to_zoned(start).hour() as usize;
            let busy_hour = if OFFICE_HOURS[hour] >= 1.3 { 1.25 } else { 0.85 };
            let mean = (12.0 - 4.0 * progress) * day.load.powf(1.3) * busy_hour * if storm { 2.0 } else { 1.0 };
            (rng.exponential(mean) as u32).min(1800)
        });
        let duration = match channel {
            Channel::Telefoon => 120 + rng.range(0, 180) + rng.range(0, 180),
            Channel::Balie => rng.range(180, 900),
            Channel::Chat => rng.range(240, 900),
            _ => rng.range(60, 600),
        };
        let ended = start + SignedDuration::from_secs(duration + i64::from(waiting.unwrap_or(0)));
        let anonymous = [0.12, 0.03, 0.08, 0.20, 0.0, 0.60, 0.25, 0.35][channel_index(channel)];
        let customer_id = (!rng.chance(anonymous)).then(|| self.pick_customer(rng, spec));
        let agent = *rng.pick(&self.staff.agents);
        let count = 1 + rng.weighted(&[76.0, 19.0, 5.0]);
        let mut inputs = Vec::with_capacity(count);
        let mut topics = Vec::with_capacity(count);
        for q in 0..count {
            let t = if q == 0 {
                topic
            } else if rng.chance(0.6) && !self.siblings[topic].is_empty() {
                *rng.pick(&self.siblings[topic])
            } else {
                rng.weighted(&self.base_weights)
            };
            let spec = &TOPICS[t];
            let storm_question = storm && q == 0;
            let outcome = self.outcome(rng, spec, channel, progress, storm_question);
            let text = if storm_question {
                rng.pick(catalogue::STORM_QUESTIONS)
            } else {
                spec.questions.get(rng.below(spec.questions.len())).unwrap_or(&"Algemene vraag")
            };
            let forwarded_to = (outcome == Outcome::Forwarded).then(|| {
                let bodies = if spec.bodies.is_empty() { catalogue::OTHER_BODIES } else { spec.bodies };
                rng.pick(bodies).to_string()
            });
            let answer = match outcome {
                Outcome::Answered => Some(spec.answer.to_string()),
                Outcome::AnsweredAfterConsult => Some(format!(
                    "{} (na ruggespraak met team {})",
                    spec.answer, self.staff.teams[self.topic_team[t]].name
                )),
                Outcome::Forwarded => forwarded_to.as_deref().map(|b| {
                    let article = match b {
                        "Rijkswaterstaat" => "",
                        "drinkwaterbedrijf" => "het ",
                        _ => "de ",
                    };
                    format!("Doorverwezen naar {article}{b}; nummer en website gegeven.")
                }),
                Outcome::HandedOver | Outcome::NotAnswered => None,
            };
            inputs.push(QuestionInput {
                topic_id: Some(self.topics[t].id),
                text: text.to_string(),
                answer,
                outcome: Some(outcome),
                line: None,
                forwarded_to,
            });
            topics.push((t, storm_question));
        }
        let input = ContactInput {
            channel,
            customer_id,
            agent_id: Some(agent),
            started_at: Some(start),
            ended_at: Some(ended),
            waiting_seconds: waiting,
            questions: inputs,
        };
        let mut contact = Contact::create(input, ended)?;
        contact.id = ContactId::from_parts(ms(start), rng.bytes10());
        for q in contact.questions.iter_mut() {
            q.id = QuestionId::from_parts(ms(start), rng.bytes10());
        }
        for (q, (t, storm_question)) in topics.into_iter().enumerate() {
            if contact.questions[q].outcome == Some(Outcome::HandedOver) {
                let case = self.case(rng, &contact, q, t, storm_question, day.load, progress)?;
                contact.questions[q].case_id = Some(case.id);
                batch.cases.push(case);
            }
        }
        batch.contacts.push(contact);
        Ok(())
    }

    fn outcome(&self, rng: &mut Rng, spec: &TopicSpec, channel: Channel, progress: f64, storm: bool) -> Outcome {
        let form = matches!(channel, Channel::Webformulier | Channel::App);
        if (form && spec.case_type == CaseType::Melding)
            || (channel == Channel::Webformulier
                && matches!(spec.case_type, CaseType::Bezwaar | CaseType::Vergunningaanvraag))
        {
            // A report or application through a form becomes a case at once.
            return Outcome::HandedOver;
        }
        let handover = if storm { 0.7 } else { HANDOVER * spec.handover };
        // Second line shrinks as answers go into the kennisbank; fewer unanswered over time.
        let consult = 0.03 + spec.consult * (1.3 - 0.6 * progress);
        let not_answered = 0.04 - 0.02 * progress;
        let first = (1.0 - handover - consult - spec.forward - not_answered).max(0.0);
        [
            Outcome::Answered,
            Outcome::AnsweredAfterConsult,
            Outcome::HandedOver,
            Outcome::Forwarded,
            Outcome::NotAnswered,
        ][rng.weighted(&[first, consult, handover, spec.forward, not_answered])]
    }

    /// The next moment the back office works: `t` itself during office hours, else the next
    /// working morning.
    fn office_time(&self, rng: &mut Rng, t: Timestamp) -> anyhow::Result<Timestamp> {
        let local = self.calendar.to_zoned(t);
        let date = local.date();
        let minute = i64::from(local.hour()) * 60 + i64::from(local.minute());
        let working = self.is_working(date);
        if working && (8 * 60 + 30..16 * 60 + 45).contains(&minute) {
            return Ok(t);
        }
        let from = if working && minute < 8 * 60 + 30 { date } else { date.tomorrow()? };
        let day = self.calendar.working_day_on_or_after(from)?;
        self.at(day, 8 * 3600 + 1800 + rng.range(0, 4 * 3600))
    }

    /// A moment in office time between `lo` and `hi` seconds after `t`.
    fn after(&self, rng: &mut Rng, t: Timestamp, lo: i64, hi: i64) -> anyhow::Result<Timestamp> {
        let delay = SignedDuration::from_secs(rng.range(lo, hi));
        self.office_time(rng, t + delay)
    }

    fn norm(&self, case_type: CaseType) -> Option<(&CaseTypeNorm, &Calendar)> {
        let norm = self.norms.for_case_type(case_type)?;
        let calendar = self.calendars.get(&norm.calendar).unwrap_or(&self.calendar);
        Some((norm, calendar))
    }

    #[allow(clippy::too_many_arguments)]
    fn case(
        &self,
        rng: &mut Rng,
        contact: &Contact,
        q: usize,
        topic: usize,
        storm: bool,
        load: f64,
        progress: f64,
    ) -> anyhow::Result<Case> {
        let spec = &TOPICS[topic];
        let team = self.topic_team[topic];
        let received = contact.ended_at.unwrap_or(contact.started_at);
        let urgent = spec.case_type == CaseType::Melding
            && ((spec.name == "Dijkschade" && rng.chance(0.5)) || (storm && rng.chance(0.3)));
        let input = CaseInput {
            case_type: spec.case_type,
            team_id: self.staff.teams[team].id,
            topic_id: Some(self.topics[topic].id),
            owner_id: None,
            customer_id: contact.customer_id,
            contact_id: Some(contact.id),
            subject: contact.questions[q].text.chars().take(200).collect(),
            intent: Some(rng.pick(catalogue::intents(spec.case_type)).to_string()),
            urgent,
        };
        let mut case = Case::create(input, contact.agent_id, received)?;
        case.id = CaseId::from_parts(ms(received), rng.bytes10());
        let norm = self.norm(spec.case_type);
        if let Some((norm, calendar)) = norm {
            case.recompute_deadlines(norm, calendar, contact.agent_id, "aangemaakt", received)?;
        }
        let handlers = &self.staff.handlers[team];
        let owner: EmployeeId = *rng.pick(handlers);
        let slow = (1.0 + 0.2 * (load - 1.0)).clamp(1.0, 2.0);
        let end = self.end;

        // Picked up: urgent within the hour, day and night; else in office hours.
        let pickup = if urgent {
            received + SignedDuration::from_mins(rng.range(10, 45))
        } else {
            {
                let delay = SignedDuration::from_secs((rng.exponential(3.0 * 3600.0) * slow) as i64);
                self.office_time(rng, received + delay)?
            }
        };
        if pickup >= end {
            return Ok(case); // still in the team's queue, without an owner
        }
        case.owner_id = Some(owner);
        case.change_status(CaseStatus::InBehandeling, Some(owner), None, pickup)?;
        let mut t = pickup;
        let acknowledged = norm.is_some_and(|(n, _)| n.acknowledgement.is_some());
        if acknowledged && !urgent && rng.chance(0.3) {
            t += SignedDuration::from_mins(rng.range(5, 60));
            if t >= end {
                return Ok(case);
            }
            self.note(rng, &mut case, "Ontvangstbevestiging verstuurd met de behandeltermijn.", owner, t)?;
        }
        let (suspend, extend) = match spec.case_type {
            CaseType::Vergunningaanvraag => (0.30, 0.12),
            CaseType::Bezwaar => (0.15, 0.25),
            CaseType::Verzoek => (0.25, 0.0),
            CaseType::Klacht => (0.08, 0.05),
            CaseType::Melding => (0.04, 0.0),
            CaseType::Vraag => (0.06, 0.0),
        };
        if let Some((norm, calendar)) = norm.filter(|(n, _)| n.suspension_allowed && !urgent)
            && rng.chance(suspend)
        {
            let at = self.after(rng, t, 3_600, 4 * 86_400)?;
            if at >= end {
                return Ok(case);
            }
            let text = catalogue::suspension_note(spec.case_type);
            self.note(rng, &mut case, text, owner, at)?;
            case.change_status(CaseStatus::Opgeschort, Some(owner), Some("wacht op klant"), at)?;
            case.recompute_deadlines(norm, calendar, Some(owner), "opgeschort: wacht op klant", at)?;
            let back = self.after(rng, at, 2 * 86_400, 18 * 86_400)?;
            if back >= end {
                return Ok(case);
            }
            case.change_status(CaseStatus::InBehandeling, Some(owner), None, back)?;
            case.recompute_deadlines(norm, calendar, Some(owner), "hervat", back)?;
            t = back;
        }
        if let Some((norm, calendar)) = norm.filter(|(n, _)| n.extension_allowed)
            && rng.chance(extend)
        {
            let at = self.after(rng, t, 5 * 86_400, 25 * 86_400)?;
            if at >= end {
                return Ok(case);
            }
            let reason = rng_pick(rng, catalogue::EXTENSION_REASONS);
            case.extend(reason, at)?;
            case.recompute_deadlines(norm, calendar, Some(owner), &format!("verlengd: {reason}"), at)?;
            self.note(rng, &mut case, &format!("Termijn verlengd: {reason}; klant geïnformeerd."), owner, at)?;
            t = at;
        }
        // Closed: most within the service norm, some late (more at busy times, fewer later on).
        let due = case.timing.deadlines.map(|d| d.service_norm).unwrap_or(received + SignedDuration::from_hours(120));
        let span = due.duration_since(received).as_secs_f64().max(3_600.0);
        let late = (0.16 - 0.08 * progress) * slow;
        let share = if rng.chance(late) { rng.between(1.02, 1.6) } else { rng.between(0.15, 0.97) };
        let mut close = received + SignedDuration::from_secs_f64(span * share);
        if !urgent {
            close = self.office_time(rng, close)?;
        }
        close = close.max(t + SignedDuration::from_mins(rng.range(20, 120)));
        if close >= end {
            return Ok(case);
        }
        if rng.chance(0.45) {
            let text = rng_pick(rng, catalogue::closing_notes(spec.case_type));
            self.note(rng, &mut case, text, owner, close)?;
        }
        case.change_status(CaseStatus::Afgehandeld, Some(owner), None, close)?;
        Ok(case)
    }

    fn note(&self, rng: &mut Rng, case: &mut Case, text: &str, by: EmployeeId, at: Timestamp) -> anyhow::Result<()> {
        case.add_note(text, Some(by), at)?;
        if let Some(note) = case.notes.last_mut() {
            note.id = NoteId::from_parts(ms(at), rng.bytes10());
        }
        Ok(())
    }
}

fn rng_pick(rng: &mut Rng, items: &'static [&'static str]) -> &'static str {
    items.get(rng.below(items.len())).copied().unwrap_or("")
}
