//! `gastvrij user …`: sign-in accounts and API tokens.

use crate::db::{self, DbArgs};
use anyhow::{Context, anyhow, bail};
use clap::Subcommand;
use gastvrij_app::{AppError, Principal};
use gastvrij_domain::api_token::{ApiToken, TokenLifetime, TokenState};
use gastvrij_domain::ids::ApiTokenId;
use gastvrij_domain::team::{EmployeeInput, Role};
use gastvrij_store::OpenMode;
use gastvrij_web::wording::english_problem;
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
        /// Let the user's first sign-in through the organisation's identity provider (OIDC) bind
        /// this account (see `gastvrij user allow-oidc-link`).
        #[arg(long)]
        allow_oidc_link: bool,
    },
    /// Let the next sign-in through the organisation's identity provider (OIDC) bind this
    /// account: the first one whose username, or e-mail address verified by the provider, is the
    /// account's. From then on only that provider account signs in to it. Allowing it again
    /// removes the binding (for a person whose provider account was replaced).
    AllowOidcLink {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, env = "GASTVRIJ_USER_USERNAME")]
        username: String,
        /// Withdraw the permission instead (a binding made already stays).
        #[arg(long)]
        withdraw: bool,
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
        /// Days the token stays valid (1–366).
        #[arg(long, env = "GASTVRIJ_TOKEN_DAYS", default_value_t = TokenLifetime::DEFAULT_DAYS.into(), allow_negative_numbers = true)]
        days: i64,
    },
    /// List a user's API tokens, oldest first: id, label, created, expires, last used, state
    /// (active, expired or revoked). Never the tokens themselves.
    Tokens {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, env = "GASTVRIJ_USER_USERNAME")]
        username: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Revoke an API token by its id (from `gastvrij user tokens`); it is refused from then on.
    RevokeToken {
        /// The token's id.
        id: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// A listed token with its state, for `--json`.
#[derive(serde::Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    token: &'a ApiToken,
    state: TokenState,
}

/// A time as the listing shows it: UTC, to the second.
fn shown(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub async fn run(command: UserCommand) -> anyhow::Result<()> {
    let who = Principal::operator();
    match command {
        UserCommand::Add { db, username, name, role, email, team, password_stdin, password, allow_oidc_link } => {
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
            if allow_oidc_link {
                app.allow_external_link(&who, user.id, true).await?;
            }
            println!(
                "added user {} ({}){}",
                user.username.unwrap_or_default(),
                user.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(","),
                if allow_oidc_link { "; the first OIDC sign-in binds it" } else { "" }
            );
        }
        UserCommand::AllowOidcLink { db, username, withdraw } => {
            let app = db::app(db.open(OpenMode::MustExist).await?);
            let wanted = username.trim().to_lowercase();
            let user = app
                .employees(&who)
                .await?
                .into_iter()
                .find(|e| e.username.as_deref() == Some(wanted.as_str()))
                .ok_or_else(|| anyhow!("no user is called '{}'", username.trim()))?;
            let link = app.allow_external_link(&who, user.id, !withdraw).await?;
            match (link.link_allowed, link.bound_issuer) {
                (true, _) => println!(
                    "{wanted}: the next OIDC sign-in with this username or verified e-mail address binds the account"
                ),
                (false, Some(issuer)) => {
                    println!("{wanted}: no longer open for binding; bound to an account at {issuer}")
                }
                (false, None) => println!("{wanted}: no longer open for binding; not bound"),
            }
        }
        UserCommand::Token { db, username, label, days } => {
            let lifetime = TokenLifetime::days(days).map_err(|e| anyhow!("--days {}", english_problem(&e)))?;
            let app = db::app(db.open(OpenMode::MustExist).await?);
            let issued = app.create_api_token(&who, &username, &label, lifetime).await?;
            println!("{}", issued.secret);
            eprintln!(
                "API token {} for {} valid until {}; it is shown only now",
                issued.token.id,
                username.trim().to_lowercase(),
                shown(issued.token.expires_at)
            );
        }
        UserCommand::Tokens { db, username, json } => {
            let app = db::app(db.open(OpenMode::MustExist).await?);
            let tokens = app.api_tokens(&who, &username).await.map_err(|e| match e {
                AppError::NotFound(_) => anyhow!("no user is called '{}'", username.trim()),
                e => e.into(),
            })?;
            let now = app.now();
            if json {
                let listed: Vec<Listed> = tokens.iter().map(|t| Listed { token: t, state: t.state(now) }).collect();
                println!("{}", serde_json::to_string_pretty(&listed)?);
                return Ok(());
            }
            println!("id\tlabel\tcreated_at\texpires_at\tlast_used_at\tstate");
            for t in &tokens {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    t.id,
                    t.label.replace('\t', " "),
                    shown(t.created_at),
                    shown(t.expires_at),
                    t.last_used_at.map(shown).unwrap_or_else(|| "never".into()),
                    t.state(now).code()
                );
            }
        }
        UserCommand::RevokeToken { id, db } => {
            let parsed: ApiTokenId = id.parse().map_err(|_| {
                anyhow!("'{}' is not a token id; copy it from gastvrij user tokens --username NAME", id.trim())
            })?;
            let app = db::app(db.open(OpenMode::MustExist).await?);
            let before = app.now();
            let token = app.revoke_api_token(&who, parsed).await.map_err(|e| match e {
                AppError::NotFound(_) => {
                    anyhow!("no API token has the id {parsed}; list a user's tokens with gastvrij user tokens --username NAME")
                }
                e => e.into(),
            })?;
            match token.revoked_at {
                Some(at) if at < before => {
                    println!("API token {} ({}) was revoked already, at {}", token.id, token.label, shown(at))
                }
                _ => println!("revoked API token {} ({})", token.id, token.label),
            }
        }
    }
    Ok(())
}
