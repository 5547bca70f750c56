//! `gastvrij norms import FILE` and `gastvrij norms export [--out FILE]`: the norm set's
//! versions as TOML (docs/norms.md). Export then import changes nothing; a bad file is named
//! by line or field and nothing of it is stored.

use crate::db::{self, DbArgs};
use anyhow::Context;
use clap::Subcommand;
use gastvrij_app::{AppError, Principal};
use gastvrij_domain::InvalidKind;
use gastvrij_domain::norm_versions::{parse_toml, to_toml};
use gastvrij_store::OpenMode;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum NormsCommand {
    /// Store the versions of a TOML norm file (each [[version]] valid from its valid_from). A
    /// version already stored exactly is left alone; one on a stored day replaces it.
    Import {
        /// The TOML file, as `gastvrij norms export` writes it.
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Write every version of the norm set as TOML, to stdout or to a file.
    Export {
        /// Write to this file instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(command: NormsCommand) -> anyhow::Result<()> {
    match command {
        NormsCommand::Import { file, db } => import(&file, &db).await,
        NormsCommand::Export { out, db } => export(out.as_ref(), &db).await,
    }
}

async fn import(file: &PathBuf, args: &DbArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read {}; give the path of a .toml norm file", file.display()))?;
    let versions = parse_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let app = db::app(args.open(OpenMode::MustExist).await?);
    let outcome = app.import_norm_versions(&Principal::operator(), &versions).await.map_err(|e| match e {
        AppError::Invalid(i) if i.field == "case_types" => anyhow::anyhow!(
            "{}: {}: {}",
            file.display(),
            i.path().replace(".case_types", ".norms.case_types"),
            match &i.kind {
                InvalidKind::Described(why) => why.clone(),
                _ => "the case types are fixed in Gastvrij; keep the list of case_types as \
                      `gastvrij norms export` writes it"
                    .to_string(),
            }
        ),
        e => anyhow::anyhow!("{}: {e}", file.display()),
    })?;
    eprintln!("imported {} versions; {} unchanged", outcome.stored, outcome.unchanged);
    Ok(())
}

async fn export(out: Option<&PathBuf>, args: &DbArgs) -> anyhow::Result<()> {
    let app = db::app(args.open(OpenMode::MustExist).await?);
    let history = app.norm_versions(&Principal::operator()).await?;
    let text = to_toml(history.versions());
    match out {
        Some(path) => std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(())
}
