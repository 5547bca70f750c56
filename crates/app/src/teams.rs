//! Use cases: teams and employees.

use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::{EmployeeId, TeamId};
use gastvrij_domain::team::{Employee, EmployeeInput, Role, Team, TeamInput};
use gastvrij_domain::{Invalid, InvalidKind};

impl App {
    pub async fn create_team(&self, who: &Principal, input: TeamInput) -> Result<Team, AppError> {
        who.require(roles::ADMIN)?;
        let team = Team::create(input)?;
        let change = Change::new(who.actor, self.now(), "team.created", team.id, "");
        self.store.insert_team(&team, &change).await?;
        self.reference.clear();
        Ok(team)
    }

    pub async fn update_team(&self, who: &Principal, id: TeamId, input: TeamInput) -> Result<Team, AppError> {
        who.require(roles::TEAM_LEADS)?;
        let mut team = self.store.team(id).await?.ok_or(AppError::NotFound("team"))?;
        team.apply(input)?;
        let change = Change::new(who.actor, self.now(), "team.updated", team.id, "");
        self.store.update_team(&team, &change).await?;
        self.reference.clear();
        Ok(team)
    }

    pub async fn team(&self, who: &Principal, id: TeamId) -> Result<Team, AppError> {
        who.require(roles::STAFF)?;
        self.store.team(id).await?.ok_or(AppError::NotFound("team"))
    }

    pub async fn teams(&self, who: &Principal) -> Result<Vec<Team>, AppError> {
        who.require(roles::STAFF)?;
        Ok(self.store.teams().await?)
    }

    pub async fn create_employee(&self, who: &Principal, input: EmployeeInput) -> Result<Employee, AppError> {
        who.require(roles::ADMIN)?;
        let employee = Employee::create(input)?;
        self.check_employee_refs(&employee).await?;
        let change = Change::new(who.actor, self.now(), "employee.created", employee.id, "");
        self.store.insert_employee(&employee, &change).await?;
        Ok(employee)
    }

    /// Team leads keep the details of their own team's employees; only a beheerder changes roles
    /// or logins, or the details of a beheerder (an e-mail address is how an external sign-in
    /// may find an account, so a team lead changing a beheerder's could take it over).
    pub async fn update_employee(
        &self,
        who: &Principal,
        id: EmployeeId,
        input: EmployeeInput,
    ) -> Result<Employee, AppError> {
        who.require(roles::TEAM_LEADS)?;
        let mut employee = self.store.employee(id).await?.ok_or(AppError::NotFound("employee"))?;
        let before = employee.clone();
        employee.apply(input)?;
        if who.require(roles::ADMIN).is_err() {
            if employee.roles != before.roles || employee.username != before.username {
                return Err(AppError::Forbidden("beheerder (to change roles or usernames)".into()));
            }
            if before.roles.contains(&Role::Beheerder) {
                return Err(AppError::Forbidden("beheerder (to change a beheerder's details)".into()));
            }
            let own_team = match who.employee_id() {
                Some(me) => self.store.employee(me).await?.and_then(|e| e.team_id),
                None => None,
            };
            if own_team.is_none() || before.team_id != own_team || employee.team_id != own_team {
                return Err(AppError::Forbidden("beheerder (to change employees of another team)".into()));
            }
            // A verified e-mail address lets the next external sign-in bind an account a
            // beheerder allowed to be bound: changing it is the beheerder's call too.
            if employee.email != before.email && self.store.external_link(id).await?.is_some_and(|l| l.link_allowed) {
                return Err(AppError::Forbidden(
                    "beheerder (to change the e-mail address of an account waiting to be linked)".into(),
                ));
            }
        }
        self.check_employee_refs(&employee).await?;
        let change =
            Change::new(who.actor, self.now(), "employee.updated", employee.id, changed_fields(&before, &employee));
        self.store.update_employee(&employee, &change).await?;
        Ok(employee)
    }

    pub async fn employee(&self, who: &Principal, id: EmployeeId) -> Result<Employee, AppError> {
        who.require(roles::STAFF)?;
        self.store.employee(id).await?.ok_or(AppError::NotFound("employee"))
    }

    pub async fn employees(&self, who: &Principal) -> Result<Vec<Employee>, AppError> {
        who.require(roles::STAFF)?;
        Ok(self.store.employees().await?)
    }

    async fn check_employee_refs(&self, e: &Employee) -> Result<(), AppError> {
        if let Some(team) = e.team_id
            && self.store.team(team).await?.is_none()
        {
            return Err(Invalid::unknown_id("team_id", team).into());
        }
        if let Some(username) = &e.username
            && let Some(other) = self.store.employee_by_username(username).await?
            && other.id != e.id
        {
            return Err(Invalid::new("username", InvalidKind::Duplicate).into());
        }
        Ok(())
    }
}

fn changed_fields(a: &Employee, b: &Employee) -> String {
    let mut f = vec![];
    if a.name != b.name {
        f.push("name");
    }
    if a.email != b.email {
        f.push("email");
    }
    if a.phone != b.phone {
        f.push("phone");
    }
    if a.team_id != b.team_id {
        f.push("team_id");
    }
    if a.roles != b.roles {
        f.push("roles");
    }
    if a.username != b.username {
        f.push("username");
    }
    if a.active != b.active {
        f.push("active");
    }
    format!("changed: {}", f.join(", "))
}
