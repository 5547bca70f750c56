//! `gastvrij user …`: sign-in accounts and API tokens.

use crate::db::{self, DbArgs};
use anyhow::{Context, bail};
use clap::Subcommand;
use gastvrij_app::Principal;
use gastvrij_domain::team::{EmployeeInput, Role};
use gastvrij_store::OpenMode;
use std::io::Read;

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add an employee who can sign in.
    Add {
        #[command(flatten)]
        db: DbArgs,
        /// Login name (letters a-z, digits, '.', '-', '_', '@').
        #[arg(long, env = "GASTVRIJ_USER_USERNAME")]
        username: String,
        /// Full name as colleagues know it.
        #[arg(long, env = "GASTVRIJ_USER_NAME")]
        name: String,
        /// Roles, comma-separated: kcc, backoffice, teamleider, redacteur, beheerder.
        #[arg(long, env = "GASTVRIJ_USER_ROLES", value_delimiter = ',', required = true)]
        role: Vec<Role>,
        /// E-mail address.
        #[arg(long, env = "GASTVRIJ_USER_EMAIL")]
        email: Option<String>,
        /// Team name, as listed by the API (/api/v1/teams).
        #[arg(long, env = "GASTVRIJ_USER_TEAM")]
        team: Option<String>,
        /// Read the password from standard input (recommended) instead of GASTVRIJ_USER_PASSWORD.
        #[arg(long)]
        password_stdin: bool,
        /// The password; prefer --password-stdin so it does not show in the process list.
        #[arg(long, env = "GASTVRIJ_USER_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Issue an API token for a user; it is shown once.
    Token {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, env = "GASTVRIJ_USER_USERNAME")]
        username: String,
        /// What the token is for, e.g. "telefonie".
        #[arg(long, env = "GASTVRIJ_TOKEN_LABEL", default_value = "api")]
        label: String,
    },
}

pub async fn run(command: UserCommand) -> anyhow::Result<()> {
    let who = Principal::operator();
    match command {
        UserCommand::Add { db, username, name, role, email, team, password_stdin, password } => {
            let password = match (password_stdin, password) {
                (true, _) => {
                    let mut s = String::new();
                    std::io::stdin().read_to_string(&mut s).context("reading the password from stdin")?;
                    s.trim_end_matches(['\n', '\r']).to_string()
                }
                (false, Some(p)) => p,
                (false, None) => {
                    bail!("no password given; pipe it in with --password-stdin or set GASTVRIJ_USER_PASSWORD")
                }
            };
            let email = email.map(|e| e.parse()).transpose().map_err(|e: gastvrij_domain::Invalid| {
                anyhow::anyhow!("--email {}", gastvrij_web::wording::english_problem(&e))
            })?;
            let app = db::app(db.open(OpenMode::MustExist).await?);
            let team_id = match team {
                None => None,
                Some(t) => Some(
                    app.teams(&who)
                        .await?
                        .into_iter()
                        .find(|x| x.name.eq_ignore_ascii_case(t.trim()))
                        .map(|x| x.id)
                        .with_context(|| {
                            format!("--team: no team is called '{t}'; list teams with GET /api/v1/teams")
                        })?,
                ),
            };
            let input = EmployeeInput {
                name,
                email,
                team_id,
                roles: role,
                username: Some(username),
                active: true,
                ..Default::default()
            };
            let user = app.add_user(&who, input, &password).await?;
            println!(
                "added user {} ({})",
                user.username.unwrap_or_default(),
                user.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
            );
        }
        UserCommand::Token { db, username, label } => {
            let app = db::app(db.open(OpenMode::MustExist).await?);
            println!("{}", app.create_api_token(&who, &username, &label).await?);
        }
    }
    Ok(())
}
