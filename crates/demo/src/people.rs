//! Staff (teams, employees with roles, the sign-in accounts) and customers of every segment.
//!
//! Customer `n` is a pure function of the seed and `n`, so the history can pick customers by
//! number without keeping them in memory.

use crate::catalogue::{self, GOVERNMENTS, TOWNS};
use crate::rng::{Rng, stream};
use gastvrij_domain::customer::{ContactDetails, Customer, CustomerInput, CustomerKind, Segment};
use gastvrij_domain::ids::{CustomerId, EmployeeId, TeamId};
use gastvrij_domain::team::{Employee, EmployeeInput, Role, Team, TeamInput};
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeSet;

/// A sign-in account of the demo: a real member of staff with a fixed username and password.
#[derive(Debug, Clone)]
pub struct DemoUser {
    pub username: &'static str,
    pub password: &'static str,
    pub employee_id: EmployeeId,
    pub roles: Vec<Role>,
}

/// Teams and employees, with who can do what.
pub struct Staff {
    pub teams: Vec<Team>,
    pub employees: Vec<Employee>,
    /// KCC agents (role kcc): they register contacts.
    pub agents: Vec<EmployeeId>,
    /// Per team, who can own its cases (back office; for the KCC its agents).
    pub handlers: Vec<Vec<EmployeeId>>,
    pub users: Vec<DemoUser>,
}

/// (team, role of the member) in order; the first of a team is its lead.
fn positions() -> Vec<(usize, Vec<Role>)> {
    use catalogue::*;
    let mut p = vec![];
    let backoffice = [(CONTRACTEN, 4), (BETALINGEN, 5), (PRODUCT, 5), (VERGUNNINGEN, 4), (MELDINGEN, 5)];
    p.push((KCC, vec![Role::Teamleider]));
    p.push((KCC, vec![Role::Beheerder]));
    p.push((KCC, vec![Role::Kcc, Role::Redacteur]));
    p.push((KCC, vec![Role::Kcc, Role::Redacteur]));
    p.extend((0..11).map(|_| (KCC, vec![Role::Kcc])));
    for (team, n) in backoffice {
        p.push((team, vec![Role::Teamleider]));
        p.extend((0..n).map(|_| (team, vec![Role::Backoffice])));
    }
    p
}

/// The sign-in accounts: (username, password, team, roles that pick the employee).
const USERS: [(&str, &str, usize, &[Role]); 5] = [
    ("kcc", "demo-kcc-wachtwoord", catalogue::KCC, &[Role::Kcc]),
    ("backoffice", "demo-backoffice-wachtwoord", catalogue::MELDINGEN, &[Role::Backoffice]),
    ("teamleider", "demo-teamleider-wachtwoord", catalogue::MELDINGEN, &[Role::Teamleider]),
    ("redacteur", "demo-redacteur-wachtwoord", catalogue::KCC, &[Role::Kcc, Role::Redacteur]),
    ("beheerder", "demo-beheerder-wachtwoord", catalogue::KCC, &[Role::Beheerder]),
];

/// Lower-case ASCII for e-mail addresses: "van 't Hof" → "vanthof", "Zoë" → "zoe".
pub fn mail_part(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'ë' | 'é' | 'è' | 'ê' => Some('e'),
            'ï' | 'í' => Some('i'),
            'ö' | 'ó' => Some('o'),
            'ü' | 'ú' => Some('u'),
            'ç' => Some('c'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

impl Staff {
    pub fn generate(seed: u64, created: Timestamp) -> anyhow::Result<Staff> {
        let mut rng = Rng::derive(seed, stream::REFERENCE, 0);
        let t0 = crate::history::ms(created);
        let mut teams = vec![];
        for (name, description) in catalogue::TEAMS {
            let mut team = Team::create(TeamInput { name: name.into(), description: Some(description.into()) })?;
            team.id = TeamId::from_parts(t0, rng.bytes10());
            teams.push(team);
        }
        let mut staff =
            Staff { handlers: vec![vec![]; teams.len()], teams, employees: vec![], agents: vec![], users: vec![] };
        let mut names = BTreeSet::new();
        for (i, (team, roles)) in positions().into_iter().enumerate() {
            let (first, last) = loop {
                let pair = (*rng.pick(catalogue::FIRST_NAMES), *rng.pick(catalogue::LAST_NAMES));
                if names.insert(pair) {
                    break pair;
                }
            };
            let user = USERS
                .iter()
                .find(|u| u.2 == team && u.3 == roles.as_slice() && !staff.users.iter().any(|d| d.username == u.0));
            let mut e = Employee::create(EmployeeInput {
                name: format!("{first} {last}"),
                email: Some(format!("{}.{}@{}", mail_part(first), mail_part(last), catalogue::STAFF_DOMAIN).parse()?),
                phone: Some(format!("088-540{:04}", 100 + i).parse()?),
                team_id: Some(staff.teams[team].id),
                roles: roles.clone(),
                username: user.map(|u| u.0.to_string()),
                active: true,
            })?;
            e.id = EmployeeId::from_parts(t0, rng.bytes10());
            if roles.contains(&Role::Kcc) {
                staff.agents.push(e.id);
            }
            if roles.contains(&Role::Backoffice) || (team == catalogue::KCC && roles.contains(&Role::Kcc)) {
                staff.handlers[team].push(e.id);
            }
            if let Some((username, password, _, _)) = user {
                staff.users.push(DemoUser { username, password, employee_id: e.id, roles: e.roles.clone() });
            }
            staff.employees.push(e);
        }
        staff.users.sort_by_key(|u| USERS.iter().position(|x| x.0 == u.username));
        Ok(staff)
    }
}

/// The customers: governments first (always), then people and organisations.
pub struct Customers {
    seed: u64,
    pub total: usize,
    /// The moment the history starts; customers were registered before it.
    pub start: Timestamp,
}

/// The few facts about customer `n` the history needs.
#[derive(Debug, Clone, Copy)]
pub struct CustomerKey {
    pub id: CustomerId,
    pub segment: Segment,
    pub anonymous: bool,
    pub created: Timestamp,
}

const SEGMENTS: [(Segment, f64); 7] = [
    (Segment::Inwoner, 46.0),
    (Segment::Belastingplichtige, 26.0),
    (Segment::Agrarier, 8.0),
    (Segment::Bedrijf, 9.0),
    (Segment::Gast, 5.0),
    (Segment::Collega, 1.5),
    (Segment::Leverancier, 3.0),
];

impl Customers {
    pub fn new(seed: u64, total: usize, start: Timestamp) -> Self {
        Customers { seed, total: total.max(GOVERNMENTS.len() + 10), start }
    }

    pub fn governments(&self) -> usize {
        GOVERNMENTS.len()
    }

    fn rng(&self, n: usize) -> Rng {
        Rng::derive(self.seed, stream::CUSTOMER, n as u64)
    }

    fn key_from(&self, rng: &mut Rng, n: usize) -> CustomerKey {
        let (segment, anonymous) = if n < GOVERNMENTS.len() {
            (Segment::Overheid, false)
        } else {
            let weights: [f64; 7] = SEGMENTS.map(|s| s.1);
            (SEGMENTS[rng.weighted(&weights)].0, rng.chance(0.03))
        };
        // Registered some time in the three years before the history starts.
        let created = self.start - SignedDuration::from_mins(rng.range(30 * 24 * 60, 3 * 365 * 24 * 60));
        let id = CustomerId::from_parts(crate::history::ms(created), rng.bytes10());
        CustomerKey { id, segment, anonymous, created }
    }

    /// The key of customer `n`, without generating the rest.
    pub fn key(&self, n: usize) -> CustomerKey {
        self.key_from(&mut self.rng(n), n)
    }

    /// Customer `n` in full.
    pub fn customer(&self, n: usize) -> anyhow::Result<Customer> {
        let mut r = self.rng(n);
        let key = self.key_from(&mut r, n);
        let input = if key.anonymous {
            CustomerInput { kind: Some(CustomerKind::Anoniem), segments: vec![key.segment], ..Default::default() }
        } else {
            match key.segment {
                Segment::Inwoner | Segment::Belastingplichtige | Segment::Gast | Segment::Collega => {
                    person(&mut r, n, key.segment)?
                }
                _ => organisation(&mut r, n, key.segment)?,
            }
        };
        let mut c = Customer::create(input, key.created)?;
        c.id = key.id;
        Ok(c)
    }
}

fn address(r: &mut Rng) -> ContactDetails {
    let weights: Vec<f64> = TOWNS.iter().map(|t| t.weight).collect();
    let town = &TOWNS[r.weighted(&weights)];
    let digits = town.postcodes.0 + r.below(usize::from(town.postcodes.1 - town.postcodes.0) + 1) as u16;
    let letters = loop {
        let pair = [*r.pick(catalogue::POSTCODE_LETTERS), *r.pick(catalogue::POSTCODE_LETTERS)];
        // SA, SD and SS are not used in Dutch postcodes.
        if !matches!(&pair, b"SA" | b"SD" | b"SS") {
            break pair;
        }
    };
    let mut number = format!("{}", 1 + r.below(180));
    if r.chance(0.06) {
        number.push(*r.pick(&['a', 'b', 'c']));
    }
    ContactDetails {
        postcode: format!("{digits}{}{}", letters[0] as char, letters[1] as char).parse().ok(),
        house_number: Some(number),
        street: Some(r.pick(town.streets).to_string()),
        city: Some(town.name.to_string()),
        ..Default::default()
    }
}

fn mobile(r: &mut Rng) -> Option<gastvrij_domain::values::PhoneNumber> {
    format!("06-{}{:07}", 1 + r.below(9), r.below(10_000_000)).parse().ok()
}

fn person(r: &mut Rng, n: usize, segment: Segment) -> anyhow::Result<CustomerInput> {
    let (first, last) = (*r.pick(catalogue::FIRST_NAMES), *r.pick(catalogue::LAST_NAMES));
    let lives_here = matches!(segment, Segment::Inwoner | Segment::Belastingplichtige) || r.chance(0.3);
    let mut details = if lives_here && segment != Segment::Collega { address(r) } else { ContactDetails::default() };
    if segment == Segment::Collega || r.chance(0.7) {
        let (f, l) = (mail_part(first), mail_part(last));
        let mail = match r.below(3) {
            0 => format!("{f}.{l}{n}@example.nl"),
            1 => format!("{}{l}{n}@example.com", &f[..1.min(f.len())]),
            _ => format!("{f}{l}.{n}@example.nl"),
        };
        details.email = Some(mail.parse()?);
    }
    if r.chance(0.75) {
        details.phone = mobile(r);
    }
    let mut segments = vec![segment];
    if segment == Segment::Belastingplichtige {
        segments.push(Segment::Inwoner);
    }
    Ok(CustomerInput { kind: Some(CustomerKind::Persoon), name: Some(format!("{first} {last}")), segments, details })
}

fn organisation(r: &mut Rng, n: usize, segment: Segment) -> anyhow::Result<CustomerInput> {
    let last = *r.pick(catalogue::LAST_NAMES);
    let surname = {
        // "van der Meer" → "Van der Meer" at the start of a company name.
        let mut c = last.chars();
        c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
    };
    let (name, mut segments) = match segment {
        Segment::Overheid => (GOVERNMENTS[n % GOVERNMENTS.len()].to_string(), vec![Segment::Overheid]),
        Segment::Agrarier => {
            let kind = *r.pick(catalogue::FARMS);
            let name = if r.chance(0.3) {
                format!("{kind} {}", r.pick(catalogue::FARM_NAMES))
            } else {
                format!("{kind} {surname}")
            };
            (name, vec![Segment::Agrarier, Segment::Belastingplichtige])
        }
        Segment::Leverancier => {
            (format!("{} {surname} B.V.", r.pick(catalogue::SUPPLIERS)), vec![Segment::Leverancier])
        }
        _ => {
            let name = if r.chance(0.3) {
                format!("{} {}", r.pick(catalogue::LEISURE), r.pick(catalogue::FARM_NAMES))
            } else {
                format!("{surname} {} B.V.", r.pick(catalogue::COMPANIES))
            };
            (name, vec![Segment::Bedrijf, Segment::Belastingplichtige])
        }
    };
    segments.sort();
    let mut details = address(r);
    details.email = Some(format!("info.{}{n}@example.com", mail_part(&name)).parse()?);
    details.phone = format!("0172-{:06}", r.below(1_000_000)).parse().ok();
    details.kvk_number = format!("{:08}", 10_000_000 + r.below(89_999_999)).parse().ok();
    Ok(CustomerInput { kind: Some(CustomerKind::Organisatie), name: Some(name), segments, details })
}
