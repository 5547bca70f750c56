//! `gastvrij benchmark export|import`: the open service data of a year (issue 17), and the files
//! of other water boards to compare with.
//!
//! Bad flags and refused files give one line on stderr naming the flag or field and the fix,
//! exit code 2, and nothing on stdout.

use crate::db::DbArgs;
use gastvrij_app::Principal;
use gastvrij_app::open_data::YEARS;
use gastvrij_domain::open_data::OpenDataSet;
use gastvrij_store::OpenMode;
use std::path::PathBuf;

#[derive(clap::Subcommand, Debug)]
pub enum BenchmarkCommand {
    /// Write the open-data set of a year and its quarters; prints the path of the file.
    Export {
        #[command(flatten)]
        db: DbArgs,
        /// The year, e.g. 2026.
        #[arg(long, value_name = "YEAR", allow_hyphen_values = true, num_args = 0..=1, default_missing_value = "")]
        year: Option<String>,
        /// `json` (one file, docs/open-data.schema.json) or `csv` (one row per indicator and period).
        #[arg(long, value_name = "json|csv", num_args = 0..=1, default_missing_value = "")]
        format: Option<String>,
        /// The folder to write to (it must exist); default the current folder.
        #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = "")]
        out: Option<String>,
    },
    /// Print the organisation code the exports carry; with --set, set it first (beheerder's
    /// choice; without one it is derived from the organisation's name).
    Code {
        #[command(flatten)]
        db: DbArgs,
        /// The new code: lower-case letters and digits, words joined by one hyphen.
        #[arg(long, value_name = "CODE", allow_hyphen_values = true)]
        set: Option<String>,
    },
    /// Read other water boards' JSON exports, kept per organisation and year.
    Import {
        #[command(flatten)]
        db: DbArgs,
        /// The files (JSON as `benchmark export` writes them).
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

/// Input the command cannot use: one line naming the flag, field or file, and the fix.
#[derive(Debug)]
pub struct Refusal(String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn refuse(message: impl Into<String>) -> Refusal {
    Refusal(message.into())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
}

fn year(given: Option<&str>) -> Result<i16, Refusal> {
    let given = given.map(str::trim).unwrap_or_default();
    let help = format!("give the year to export, e.g. --year 2026 ({} to {})", YEARS.start(), YEARS.end());
    if given.is_empty() {
        return Err(refuse(format!("--year is missing; {help}")));
    }
    match given.parse::<i16>() {
        Ok(y) if YEARS.contains(&y) => Ok(y),
        _ => Err(refuse(format!("--year '{given}' is not a year; {help}"))),
    }
}

fn format(given: Option<&str>) -> Result<Format, Refusal> {
    match given.map(str::trim) {
        None | Some("json") => Ok(Format::Json),
        Some("csv") => Ok(Format::Csv),
        Some(other) => Err(refuse(format!("--format '{other}' is not known; use --format json or --format csv"))),
    }
}

fn out_dir(given: Option<&str>) -> Result<PathBuf, Refusal> {
    let dir = PathBuf::from(match given.map(str::trim) {
        None => ".",
        Some("") => return Err(refuse("--out is empty; give an existing folder, e.g. --out .")),
        Some(d) => d,
    });
    if !dir.is_dir() {
        return Err(refuse(format!("--out '{}' is not an existing folder; create it first", dir.display())));
    }
    Ok(dir)
}

pub async fn run(command: BenchmarkCommand) -> anyhow::Result<()> {
    match command {
        BenchmarkCommand::Export { db, year: y, format: f, out } => {
            let (year, format, dir) = match (year(y.as_deref()), format(f.as_deref()), out_dir(out.as_deref())) {
                (Ok(y), Ok(f), Ok(d)) => (y, f, d),
                (Err(e), ..) | (_, Err(e), _) | (.., Err(e)) => return crate::print_or_exit_2(Err(e)),
            };
            let app = crate::db::app(db.open(OpenMode::MustExist).await?);
            let set = app.open_data(&Principal::operator(), year).await?;
            let (extension, body) = match format {
                Format::Json => ("json", serde_json::to_string_pretty(&set)? + "\n"),
                Format::Csv => ("csv", set.to_csv()),
            };
            let path = dir.join(format!("{}-{year}.{extension}", set.organisation.code));
            std::fs::write(&path, body).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
            crate::print_or_exit_2(Ok::<_, Refusal>(format!("{}\n", path.display())))
        }
        BenchmarkCommand::Code { db, set } => {
            let app = crate::db::app(db.open(OpenMode::MustExist).await?);
            let code = match set {
                None => app.open_data_code().await?,
                Some(given) => match app.set_open_data_code(&Principal::operator(), &given).await {
                    Ok(code) => code,
                    Err(gastvrij_app::AppError::Invalid(_)) => {
                        return crate::print_or_exit_2(Err(refuse(format!(
                            "--set '{}' is not an organisation code; use lower-case letters and digits with single \
                             hyphens, e.g. --set waterschap-de-lage-waard",
                            given.trim()
                        ))));
                    }
                    Err(e) => return Err(e.into()),
                },
            };
            crate::print_or_exit_2(Ok::<_, Refusal>(format!("{code}\n")))
        }
        BenchmarkCommand::Import { db, files } => {
            if files.is_empty() {
                return crate::print_or_exit_2(Err(refuse(
                    "no FILE given; name the JSON files to import, e.g. gastvrij benchmark import peer-2026.json",
                )));
            }
            // Every file is checked before anything is stored.
            let mut sets = vec![];
            for file in &files {
                let text = std::fs::read_to_string(file)
                    .map_err(|e| refuse(format!("{}: cannot be read: {e}", file.display())))
                    .and_then(|t| {
                        OpenDataSet::parse(&t)
                            .map(|set| (set, t))
                            .map_err(|r| refuse(format!("{}: refused, nothing stored: {r}", file.display())))
                    });
                match text {
                    Ok(set) => sets.push(set),
                    Err(e) => return crate::print_or_exit_2(Err(e)),
                }
            }
            let app = crate::db::app(db.open(OpenMode::MustExist).await?);
            let mut lines = String::new();
            for ((set, _), file) in sets.iter().zip(&files) {
                let changed = app.import_peer_figures(&Principal::operator(), set).await?;
                let what = if changed { "imported" } else { "unchanged" };
                lines.push_str(&format!("{what}: {} {} ({})\n", set.organisation.code, set.year, file.display()));
            }
            crate::print_or_exit_2(Ok::<_, Refusal>(lines))
        }
    }
}
