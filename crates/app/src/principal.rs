use crate::AppError;
use gastvrij_domain::audit::Actor;
use gastvrij_domain::ids::EmployeeId;
use gastvrij_domain::team::Role;

/// Who is calling a use case, with the roles that decide what they may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub actor: Actor,
    pub roles: Vec<Role>,
}

impl Principal {
    /// An operator at the command line: may do everything.
    pub fn operator() -> Self {
        Self { actor: Actor::Operator, roles: Role::ALL.to_vec() }
    }

    /// The system itself (workers, demo seeding).
    pub fn system() -> Self {
        Self { actor: Actor::System, roles: Role::ALL.to_vec() }
    }

    pub fn employee(id: EmployeeId, roles: Vec<Role>) -> Self {
        Self { actor: Actor::Employee(id), roles }
    }

    pub fn employee_id(&self) -> Option<EmployeeId> {
        self.actor.employee()
    }

    /// A team lead or a beheerder: who may act on a colleague's behalf (hand on their case,
    /// answer for their team, change who a klacht is about).
    pub fn leads_teams(&self) -> bool {
        self.roles.iter().any(|r| matches!(r, Role::Teamleider | Role::Beheerder))
    }

    /// Succeeds when the principal holds at least one of `allowed`; a beheerder may do anything.
    pub fn require(&self, allowed: &[Role]) -> Result<(), AppError> {
        if self.roles.contains(&Role::Beheerder) || self.roles.iter().any(|r| allowed.contains(r)) {
            Ok(())
        } else {
            let mut names: Vec<&str> = allowed.iter().map(|r| r.code()).collect();
            names.push(Role::Beheerder.code());
            Err(AppError::Forbidden(names.join(", ")))
        }
    }
}

/// Role sets used by several use cases.
pub mod roles {
    use gastvrij_domain::team::Role;

    /// Every staff role: reading reference data.
    pub const STAFF: &[Role] = &[Role::Kcc, Role::Backoffice, Role::Teamleider, Role::Redacteur, Role::Beheerder];
    /// Those who talk to customers and handle their records.
    pub const CUSTOMER_WORK: &[Role] = &[Role::Kcc, Role::Backoffice, Role::Teamleider];
    /// Those who run teams.
    pub const TEAM_LEADS: &[Role] = &[Role::Teamleider];
    /// Those who maintain the topic tree.
    pub const TOPIC_EDITORS: &[Role] = &[Role::Redacteur];
    /// Nobody but the beheerder (who passes every check).
    pub const ADMIN: &[Role] = &[];
}
