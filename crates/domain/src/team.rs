//! Teams and employees, with the roles that decide what they may do.

use crate::ids::{EmployeeId, TeamId};
use crate::values::{Email, PhoneNumber};
use crate::{Format, Invalid, text};
use serde::{Deserialize, Serialize};

/// A team: the KCC, or a back-office team per process step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// The editable part of a team.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TeamInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub description: Option<String>,
}

impl Team {
    pub fn create(input: TeamInput) -> Result<Self, Invalid> {
        let mut t = Team { id: TeamId::new(), name: String::new(), description: None };
        t.apply(input)?;
        Ok(t)
    }

    pub fn apply(&mut self, input: TeamInput) -> Result<(), Invalid> {
        self.name = text::required("name", &input.name, text::limits::NAME)?;
        self.description = text::optional("description", input.description.as_deref(), text::limits::SHORT)?;
        Ok(())
    }
}

/// What an employee may do. An employee can hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Contact-centre agent: registers contacts, answers, hands over.
    Kcc,
    /// Back-office staff: handles cases of their team.
    Backoffice,
    /// Team lead: manages the team, its queue and the expertise directory.
    Teamleider,
    /// Knowledge editor: writes and publishes articles.
    Redacteur,
    /// Functional administrator: settings, users, everything.
    Beheerder,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Kcc, Role::Backoffice, Role::Teamleider, Role::Redacteur, Role::Beheerder];
    pub fn code(self) -> &'static str {
        match self {
            Role::Kcc => "kcc",
            Role::Backoffice => "backoffice",
            Role::Teamleider => "teamleider",
            Role::Redacteur => "redacteur",
            Role::Beheerder => "beheerder",
        }
    }
}
crate::codes::impl_codes!(Role, "roles");

/// An employee (medewerker), optionally with a login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Employee {
    pub id: EmployeeId,
    pub name: String,
    pub email: Option<Email>,
    pub phone: Option<PhoneNumber>,
    pub team_id: Option<TeamId>,
    pub roles: Vec<Role>,
    /// Login name; `None` for employees who do not sign in (e.g. listed experts).
    pub username: Option<String>,
    pub active: bool,
}

/// The editable part of an employee.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EmployeeInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[serde(default)]
    pub email: Option<Email>,
    #[serde(default)]
    pub phone: Option<PhoneNumber>,
    #[serde(default)]
    pub team_id: Option<TeamId>,
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Login name: 2 to 64 of a-z, 0-9, `.`, `-`, `_` and `@` (stored lower-cased).
    #[serde(default)]
    #[schema(pattern = "^[A-Za-z0-9._@-]{2,64}$")]
    pub username: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl Employee {
    pub fn create(input: EmployeeInput) -> Result<Self, Invalid> {
        let mut e = Employee {
            id: EmployeeId::new(),
            name: String::new(),
            email: None,
            phone: None,
            team_id: None,
            roles: vec![],
            username: None,
            active: true,
        };
        e.apply(input)?;
        Ok(e)
    }

    pub fn apply(&mut self, input: EmployeeInput) -> Result<(), Invalid> {
        self.name = text::required("name", &input.name, text::limits::NAME)?;
        self.username = match input.username.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(u) => Some(parse_username(u)?),
        };
        let mut roles = input.roles;
        roles.sort();
        roles.dedup();
        self.roles = roles;
        self.email = input.email;
        self.phone = input.phone;
        self.team_id = input.team_id;
        self.active = input.active;
        Ok(())
    }

    pub fn has_any_role(&self, roles: &[Role]) -> bool {
        self.roles.iter().any(|r| roles.contains(r))
    }
}

/// A login name: 2–64 characters of lower-case letters, digits, `.`, `-`, `_` or `@`.
pub fn parse_username(u: &str) -> Result<String, Invalid> {
    let u = u.trim().to_lowercase();
    let ok = (2..=64).contains(&u.len())
        && u.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_' | '@'));
    if ok { Ok(u) } else { Err(Invalid::malformed("username", &u, Format::Username)) }
}
