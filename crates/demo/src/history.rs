//! The generator: reference data, customers and two years of contacts and cases, in batches.

use crate::DemoConfig;
use crate::catalogue::{self, Season, TOPICS, TopicSpec};
use crate::rng::Rng;
use anyhow::Context;
use gastvrij_app::ports::Batch;
use gastvrij_domain::calendar::Calendar;
use gastvrij_domain::case::{Case, CaseInput, CaseStatus, CaseType, format_reference};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{Contact, ContactInput, Outcome, Question, QuestionInput};
use gastvrij_domain::customer::{ContactDetails, Customer, CustomerInput, CustomerKind, Segment};
use gastvrij_domain::ids::{CaseId, ContactId, CustomerId, EmployeeId, NoteId, QuestionId, TeamId, TopicId};
use gastvrij_domain::norms::NormSet;
use gastvrij_domain::team::{Employee, EmployeeInput, Role, Team, TeamInput};
use gastvrij_domain::topic::{Topic, TopicInput};
use jiff::civil::{Date, Weekday};
use jiff::{SignedDuration, Timestamp};

/// Days of history.
const DAYS: i64 = 730;
/// Contacts at scale 1.
const CONTACTS_PER_SCALE: f64 = 100_000.0;
/// Customers at scale 1.
const CUSTOMERS_PER_SCALE: f64 = 20_000.0;

/// The contacts generated for `scale`.
pub fn planned_contacts(scale: f64) -> u64 {
    (CONTACTS_PER_SCALE * scale).round().max(1.0) as u64
}

/// Yields the demo in batches, deterministically from the seed and the last day.
pub struct Generator {
    rng: Rng,
    calendar: Calendar,
    norms: NormSet,
    first_day: Date,
    storm: Date,
    teams: Vec<Team>,
    employees: Vec<Employee>,
    topics: Vec<(Topic, &'static TopicSpec)>,
    kcc: Vec<EmployeeId>,
    members: Vec<Vec<EmployeeId>>,
    customers_total: usize,
    customers: Vec<(CustomerId, Segment)>,
    day_counts: Vec<u64>,
    day: usize,
    case_numbers: std::collections::BTreeMap<i16, i64>,
    end: Timestamp,
}

fn ms(t: Timestamp) -> u64 {
    u64::try_from(t.as_millisecond()).unwrap_or(0)
}

impl Generator {
    pub fn new(config: &DemoConfig) -> anyhow::Result<Self> {
        let mut rng = Rng::new(config.seed);
        let calendar = Calendar::termijnenwet();
        let first_day = config.until.checked_sub(jiff::Span::new().days(DAYS - 1)).context("--until is too early")?;
        // A storm in the first full autumn of the history: three days in November.
        let storm_year =
            if Date::new(first_day.year(), 11, 8)? >= first_day { first_day.year() } else { first_day.year() + 1 };
        let storm = Date::new(storm_year, 11, 8)?;
        let end = calendar.start_of_day(config.until.tomorrow()?)?;
        let mut g = Generator {
            rng: Rng::new(rng.next_u64()),
            calendar,
            norms: NormSet::water_board_default(),
            first_day,
            storm,
            teams: vec![],
            employees: vec![],
            topics: vec![],
            kcc: vec![],
            members: vec![],
            customers_total: (CUSTOMERS_PER_SCALE * config.scale).round().max(10.0) as usize,
            customers: vec![],
            day_counts: vec![],
            day: 0,
            case_numbers: Default::default(),
            end,
        };
        g.build_reference()?;
        g.plan_days(planned_contacts(config.scale));
        Ok(g)
    }

    fn id_time(&self) -> Timestamp {
        self.calendar.start_of_day(self.first_day).unwrap_or(Timestamp::UNIX_EPOCH)
            - SignedDuration::from_hours(24 * 30)
    }

    fn build_reference(&mut self) -> anyhow::Result<()> {
        let t0 = ms(self.id_time());
        for (name, description) in catalogue::TEAMS {
            let mut team = Team::create(TeamInput { name: name.into(), description: Some(description.into()) })?;
            team.id = TeamId::from_parts(t0, self.rng.bytes10());
            self.teams.push(team);
            self.members.push(vec![]);
        }
        for (team_index, size) in [(0usize, 12usize), (1, 3), (2, 6), (3, 5), (4, 4), (5, 5)] {
            for n in 0..=size {
                let first = *self.rng.pick(catalogue::FIRST_NAMES);
                let last = *self.rng.pick(catalogue::LAST_NAMES);
                let roles = match (team_index, n) {
                    (_, 0) => vec![Role::Teamleider],
                    (0, 1 | 2) => vec![Role::Redacteur, Role::Kcc],
                    (0, _) => vec![Role::Kcc],
                    _ => vec![Role::Backoffice],
                };
                let mail =
                    format!("{}.{}@lagewaard.example", first.to_lowercase(), last.to_lowercase().replace(' ', ""));
                let mut e = Employee::create(EmployeeInput {
                    name: format!("{first} {last}"),
                    email: Some(mail.parse()?),
                    phone: Some(format!("0718{:06}", self.rng.below(1_000_000)).parse()?),
                    team_id: Some(self.teams[team_index].id),
                    roles: roles.clone(),
                    username: None,
                    active: true,
                })?;
                e.id = EmployeeId::from_parts(t0, self.rng.bytes10());
                if roles.contains(&Role::Kcc) {
                    self.kcc.push(e.id);
                }
                self.members[team_index].push(e.id);
                self.employees.push(e);
            }
        }
        for spec in TOPICS {
            let parent =
                self.topics.iter().find(|(t, _)| t.name == spec.parent && !spec.parent.is_empty()).map(|(t, _)| t.id);
            let mut topic = Topic::create(TopicInput {
                name: spec.name.into(),
                parent_id: parent,
                team_id: Some(self.teams[spec.team].id),
            })?;
            topic.id = TopicId::from_parts(t0, self.rng.bytes10());
            self.topics.push((topic, spec));
        }
        Ok(())
    }

    /// Teams, employees and topics.
    pub fn reference_data(&self) -> Batch {
        Batch {
            teams: self.teams.clone(),
            employees: self.employees.clone(),
            topics: self.topics.iter().map(|(t, _)| t.clone()).collect(),
            ..Default::default()
        }
    }

    fn season(&self, season: Season, day: Date) -> f64 {
        match season {
            Season::Flat => 1.0,
            Season::TaxLetters => {
                let letters = Date::new(day.year(), 2, 24).unwrap_or(day);
                match (day - letters).get_days() {
                    0..=20 => 4.0,
                    21..=41 => 2.0,
                    _ => 0.6,
                }
            }
            Season::Summer => match (day.month(), day.day()) {
                (6, 15..) | (7, _) | (8, _) => 3.0,
                (5, _) | (6, _) | (9, _) => 1.5,
                _ => 0.4,
            },
            Season::Autumn => match day.month() {
                10..=12 | 1 => 2.0,
                _ => 0.7,
            },
        }
    }

    fn is_storm(&self, day: Date) -> bool {
        (0..3).contains(&(day - self.storm).get_days())
    }

    fn topic_weights(&self, day: Date) -> Vec<f64> {
        let storm = self.is_storm(day);
        self.topics
            .iter()
            .map(|(_, s)| {
                let stormy =
                    storm && matches!(s.name, "Wateroverlast" | "Dijkschade" | "Kapotte stuw of gemaal" | "Drijfvuil");
                s.weight * self.season(s.season, day) * if stormy { 25.0 } else { 1.0 }
            })
            .collect()
    }

    fn plan_days(&mut self, total: u64) {
        let mut weights = Vec::with_capacity(DAYS as usize);
        for i in 0..DAYS {
            let day = self.first_day.checked_add(jiff::Span::new().days(i)).unwrap_or(self.first_day);
            let weekday = match day.weekday() {
                Weekday::Monday => 1.35,
                Weekday::Tuesday => 1.15,
                Weekday::Wednesday | Weekday::Thursday => 1.0,
                Weekday::Friday => 0.8,
                Weekday::Saturday => 0.12,
                Weekday::Sunday => 0.07,
            };
            let holiday = if self.calendar.is_working_day(day).unwrap_or(true) || weekday < 0.5 { 1.0 } else { 0.15 };
            let seasonal: f64 = self.topic_weights(day).iter().sum();
            weights.push(weekday * holiday * seasonal * (0.9 + 0.2 * self.rng.unit()));
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
        self.day_counts = counts;
    }

    /// The next batch of at most `limit` customers; `None` when all are made.
    pub fn next_customers(&mut self, limit: usize) -> Option<Batch> {
        if self.customers.len() >= self.customers_total {
            return None;
        }
        let mut batch = Batch::default();
        let created = self.id_time();
        while batch.customers.len() < limit && self.customers.len() < self.customers_total {
            let n = self.customers.len();
            let c = self.customer(n, created);
            self.customers.push((c.id, c.segments.first().copied().unwrap_or(Segment::Inwoner)));
            batch.customers.push(c);
        }
        Some(batch)
    }

    fn customer(&mut self, n: usize, created: Timestamp) -> Customer {
        const SEGMENTS: [(Segment, f64); 8] = [
            (Segment::Inwoner, 45.0),
            (Segment::Belastingplichtige, 25.0),
            (Segment::Agrarier, 8.0),
            (Segment::Bedrijf, 8.0),
            (Segment::Gast, 5.0),
            (Segment::Collega, 2.0),
            (Segment::Leverancier, 4.0),
            (Segment::Overheid, 3.0),
        ];
        let weights: Vec<f64> = SEGMENTS.iter().map(|s| s.1).collect();
        let segment = SEGMENTS[self.rng.weighted(&weights)].0;
        let r = &mut self.rng;
        let city = *r.pick(catalogue::CITIES);
        let postcode = format!(
            "{}{}{}",
            2600 + r.below(200),
            (b'A' + r.below(26) as u8) as char,
            (b'A' + r.below(26) as u8) as char
        );
        let address = |r: &mut Rng| ContactDetails {
            postcode: postcode.parse().ok(),
            house_number: Some(format!("{}", 1 + r.below(180))),
            street: Some(r.pick(catalogue::STREETS).to_string()),
            city: Some(city.to_string()),
            ..Default::default()
        };
        let input = match segment {
            Segment::Inwoner | Segment::Belastingplichtige | Segment::Gast | Segment::Collega => {
                let (first, last) = (*r.pick(catalogue::FIRST_NAMES), *r.pick(catalogue::LAST_NAMES));
                let mut details = address(r);
                details.email =
                    format!("{}.{}{n}@example.nl", first.to_lowercase(), last.to_lowercase().replace(' ', ""))
                        .parse()
                        .ok();
                details.phone = format!("06{:08}", r.below(100_000_000)).parse().ok();
                let mut segments = vec![segment];
                if segment == Segment::Belastingplichtige {
                    segments.push(Segment::Inwoner);
                }
                CustomerInput {
                    kind: Some(CustomerKind::Persoon),
                    name: Some(format!("{first} {last}")),
                    segments,
                    details,
                }
            }
            _ => {
                let name = match segment {
                    Segment::Agrarier => format!("{} {}", r.pick(catalogue::FARMS), r.pick(catalogue::LAST_NAMES)),
                    Segment::Bedrijf => format!("{} {}", r.pick(catalogue::COMPANIES), r.pick(catalogue::LAST_NAMES)),
                    Segment::Leverancier => {
                        format!("{} {}", r.pick(catalogue::SUPPLIERS), r.pick(catalogue::LAST_NAMES))
                    }
                    _ => r.pick(catalogue::GOVERNMENTS).to_string(),
                };
                let mut details = address(r);
                details.email = format!("info{n}@example.com").parse().ok();
                details.kvk_number = format!("{:08}", 10_000_000 + r.below(89_999_999)).parse().ok();
                let mut segments = vec![segment];
                if segment != Segment::Overheid {
                    segments.push(Segment::Belastingplichtige);
                }
                CustomerInput { kind: Some(CustomerKind::Organisatie), name: Some(name), segments, details }
            }
        };
        let mut c = Customer::create(input, created).unwrap_or_else(|_| {
            Customer::create(CustomerInput::default(), created).expect("an anonymous customer is always valid")
        });
        c.id = CustomerId::from_parts(ms(created), self.rng.bytes10());
        c
    }

    /// The next batch of contacts (with their cases), at least `limit` unless the history ends;
    /// whole days at a time. `None` when the history is complete.
    pub fn next_history(&mut self, limit: usize) -> Option<Batch> {
        if self.day >= self.day_counts.len() {
            return None;
        }
        let mut batch = Batch::default();
        while self.day < self.day_counts.len() && batch.contacts.len() < limit {
            let day = self.first_day.checked_add(jiff::Span::new().days(self.day as i64)).ok()?;
            let n = self.day_counts[self.day];
            self.generate_day(day, n, &mut batch);
            self.day += 1;
        }
        Some(batch)
    }

    fn generate_day(&mut self, day: Date, n: u64, batch: &mut Batch) {
        let weights = self.topic_weights(day);
        let weekend = matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday);
        let busy = self.is_storm(day) || self.season(Season::TaxLetters, day) > 3.0;
        let Ok(midnight) = self.calendar.start_of_day(day) else { return };
        let mut contacts = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let topic = self.rng.weighted(&weights);
            let channel_weights: [f64; 8] = if weekend {
                [0.5, 20.0, 25.0, 0.0, 0.0, 8.0, 6.0, 2.0]
            } else {
                [55.0, 14.0, 12.0, 3.0, 5.0, 4.0, 3.0, 4.0]
            };
            let channel = Channel::ALL[self.rng.weighted(&channel_weights)];
            let second = match channel {
                Channel::Telefoon | Channel::Balie | Channel::Chat => {
                    let hour_weights = [0.6, 1.4, 1.5, 1.2, 0.6, 1.2, 1.3, 1.0, 0.7];
                    (8 + self.rng.weighted(&hour_weights) as i64) * 3600 + self.rng.range(0, 3599)
                }
                Channel::Brief => 9 * 3600 + self.rng.range(0, 6 * 3600),
                _ => 7 * 3600 + self.rng.range(0, 16 * 3600),
            };
            let start = midnight + SignedDuration::from_secs(second);
            contacts.push((start, topic, channel));
        }
        contacts.sort_by_key(|c| c.0);
        for (start, topic, channel) in contacts {
            self.contact(start, topic, channel, busy, batch);
        }
    }

    fn pick_customer(&mut self, spec: &TopicSpec) -> Option<CustomerId> {
        if self.customers.is_empty() || self.rng.chance(0.18) {
            return None;
        }
        for _ in 0..6 {
            let (id, segment) = self.customers[self.rng.below(self.customers.len())];
            if spec.segments.is_empty() || spec.segments.contains(&segment) {
                return Some(id);
            }
        }
        Some(self.customers[self.rng.below(self.customers.len())].0)
    }

    fn contact(&mut self, start: Timestamp, topic: usize, channel: Channel, busy: bool, batch: &mut Batch) {
        let (topic_id, spec) = (self.topics[topic].0.id, self.topics[topic].1);
        let waiting = (channel == Channel::Telefoon)
            .then(|| (self.rng.exponential(if busy { 38.0 } else { 11.0 }) as u32).min(1800));
        let duration = match channel {
            Channel::Telefoon | Channel::Balie => self.rng.range(120, 480),
            _ => self.rng.range(60, 600),
        };
        let ended = start + SignedDuration::from_secs(duration + i64::from(waiting.unwrap_or(0)));
        let customer_id = self.pick_customer(spec);
        let agent = *self.rng.pick(&self.kcc);
        let questions = 1 + self.rng.weighted(&[75.0, 20.0, 5.0]);
        let mut inputs = vec![];
        let mut handed_over = vec![];
        for q in 0..questions {
            let (qtopic, qspec) = if q == 0 {
                (topic_id, spec)
            } else {
                let candidates: Vec<usize> =
                    (0..self.topics.len()).filter(|i| self.topics[*i].1.weight > 0.0).collect();
                let i = *self.rng.pick(&candidates);
                (self.topics[i].0.id, self.topics[i].1)
            };
            let outcome = match qspec.case_type {
                CaseType::Melding | CaseType::Klacht if self.rng.chance(0.5) => Outcome::HandedOver,
                _ => [
                    Outcome::Answered,
                    Outcome::AnsweredAfterConsult,
                    Outcome::HandedOver,
                    Outcome::Forwarded,
                    Outcome::NotAnswered,
                ][self.rng.weighted(&[72.0, 12.0, 10.0, 3.0, 3.0])],
            };
            let text =
                qspec.questions.get(self.rng.below(qspec.questions.len().max(1))).copied().unwrap_or("Algemene vraag");
            let answered = matches!(outcome, Outcome::Answered | Outcome::AnsweredAfterConsult);
            inputs.push(QuestionInput {
                topic_id: Some(qtopic),
                text: text.to_string(),
                answer: answered.then(|| qspec.answer.to_string()),
                outcome: Some(outcome),
                line: None,
                forwarded_to: (outcome == Outcome::Forwarded)
                    .then(|| self.rng.pick(catalogue::OTHER_BODIES).to_string()),
            });
            if outcome == Outcome::HandedOver {
                handed_over.push((q, qtopic, qspec));
            }
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
        let Ok(mut contact) = Contact::create(input, ended) else { return };
        contact.id = ContactId::from_parts(ms(start), self.rng.bytes10());
        for q in contact.questions.iter_mut() {
            q.id = QuestionId::from_parts(ms(start), self.rng.bytes10());
        }
        for (q, qtopic, qspec) in handed_over {
            if let Some(case) = self.case(&contact, q, qtopic, qspec, ended) {
                contact.questions[q].case_id = Some(case.id);
                batch.cases.push(case);
            }
        }
        batch.contacts.push(contact);
    }

    fn case(
        &mut self,
        contact: &Contact,
        q: usize,
        topic: TopicId,
        spec: &TopicSpec,
        received: Timestamp,
    ) -> Option<Case> {
        let question: &Question = &contact.questions[q];
        let members = &self.members[spec.team];
        let owner = members.get(1 + self.rng.below(members.len().saturating_sub(1).max(1))).copied();
        let urgent = spec.case_type == CaseType::Melding && spec.name == "Dijkschade" && self.rng.chance(0.5);
        let input = CaseInput {
            case_type: spec.case_type,
            team_id: self.teams[spec.team].id,
            topic_id: Some(topic),
            owner_id: owner,
            customer_id: contact.customer_id,
            contact_id: Some(contact.id),
            subject: question.text.chars().take(120).collect(),
            intent: Some("Een antwoord of oplossing van het waterschap".into()),
            urgent,
        };
        let mut case = Case::create(input, contact.agent_id, received).ok()?;
        case.id = CaseId::from_parts(ms(received), self.rng.bytes10());
        let year = self.calendar.date_of(received).year();
        let number = self.case_numbers.entry(year).or_insert(0);
        *number += 1;
        case.reference = format_reference(&format!("WS-{year}"), *number);
        let norm = self.norms.for_case_type(spec.case_type)?.clone();
        let _ = case.recompute_deadlines(&norm, &self.calendar, None, "aangemaakt", received);
        let norm_days = match spec.case_type {
            CaseType::Vraag => 7.0,
            CaseType::Melding => 4.0,
            CaseType::Klacht | CaseType::Bezwaar => 42.0,
            CaseType::Verzoek => 28.0,
            CaseType::Vergunningaanvraag => 56.0,
        };
        let hours = |d: f64| SignedDuration::from_secs((d * 86_400.0) as i64);
        let mut t = received + hours(self.rng.exponential(0.6));
        let mut events = vec![(t, CaseStatus::InBehandeling, None)];
        if self.rng.chance(0.1) {
            t += hours(0.5 + self.rng.unit() * 3.0);
            events.push((t, CaseStatus::Opgeschort, Some("wacht op klant")));
            t += hours(1.0 + self.rng.unit() * 5.0);
            events.push((t, CaseStatus::InBehandeling, None));
        }
        let close = received + hours(norm_days * (0.25 + self.rng.unit() * 1.05));
        events.push((close.max(t + SignedDuration::from_mins(30)), CaseStatus::Afgehandeld, None));
        for (at, status, reason) in events {
            if at >= self.end {
                break;
            }
            let before = case.timing.events.len();
            case.change_status(status, owner, reason, at).ok()?;
            if case.timing.events.len() != before {
                let why = if status == CaseStatus::Opgeschort { "opgeschort: wacht op klant" } else { "hervat" };
                let _ = case.recompute_deadlines(&norm, &self.calendar, owner, why, at);
            }
            if status == CaseStatus::Afgehandeld && self.rng.chance(0.3) {
                let note = case.add_note("Klant gebeld en het antwoord toegelicht.", owner, at).ok()?;
                if let Some(last) = case.notes.last_mut() {
                    last.id = NoteId::from_parts(ms(note.at), self.rng.bytes10());
                }
            }
        }
        Some(case)
    }
}
