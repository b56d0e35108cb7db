use std::{process::ExitCode, sync::Arc};

use anyhow::Context;
use clap::{Parser, Subcommand};
use kipp_bot::{
    clock::{Clock, SystemClock},
    config::Settings,
    dialog::Dialog,
    domain::{InnovationState, Lang, Lifetime, Role, UnitCode, UnitName},
    export::Format,
    exporting::{self, Scope},
    people,
    startup::Application,
    storage::{CampaignDate, ExportRequest, Storage},
    telegram::TelegramClient,
};
use tracing_subscriber::EnvFilter;

/// kipp-bot: a Telegram bot that gathers KIPP innovation proposals from Perpusnas' work units.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the bot (long polling). The default when no command is given.
    Run,
    /// Manage work units.
    Unit {
        #[command(subcommand)]
        action: UnitAction,
    },
    /// Create an invitation and print its deep link.
    Invite {
        /// staff, coordinator or bureau
        #[arg(long)]
        role: String,
        /// Unit code (required for staff and coordinator)
        #[arg(long)]
        unit: Option<String>,
        /// How many people may register with this link
        #[arg(long, default_value_t = 1)]
        uses: u32,
        /// How long the link stays valid: 7d, 12h, 30m
        #[arg(long, default_value = "7d")]
        expires: String,
    },
    /// Revoke an invitation by its number (see /invitations in the bot).
    Revoke { id: i64 },
    /// Set the units' deadline (what staff are reminded of), one unit's own, or with --close
    /// SINOVIK's national close: a local time in BOT_TIMEZONE.
    Deadline {
        /// e.g. "2026-05-24 23:59" (a date alone means 23:59 that day)
        #[arg(long, required_unless_present = "clear")]
        at: Option<String>,
        /// Only this unit
        #[arg(long, conflicts_with = "close")]
        unit: Option<String>,
        /// SINOVIK's national close instead of the units' deadline
        #[arg(long)]
        close: bool,
        /// Undo: the unit follows the units' deadline again (with --unit), or the dialog
        /// file's date applies again
        #[arg(long, conflicts_with = "at")]
        clear: bool,
    },
    /// Export the innovations (read-only): a spreadsheet, CSV tables, JSON, or the evidence
    /// archive with the proposal drafts and the spreadsheet.
    Export {
        /// xlsx, csv, json or zip
        #[arg(long)]
        format: String,
        /// Only this unit (code)
        #[arg(long)]
        unit: Option<String>,
        /// Only innovations in this state: draft, submitted, returned, approved, selected
        #[arg(long)]
        status: Option<String>,
        /// Where to write the file
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Check a dialog file and report every problem with its line number.
    CheckDialog {
        /// The file to check (default: DIALOG_FILE)
        file: Option<std::path::PathBuf>,
    },
    /// Back up the campaign into one ZIP archive: a consistent copy of the database, the
    /// evidence files it refers to, and a manifest of SHA-256 hashes. Safe while the bot runs.
    Backup {
        /// Where to write the archive (written under a temporary name, then renamed)
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Restore a backup archive into an empty data folder (DATABASE_URL and EVIDENCE_DIR).
    Restore {
        /// The archive made by `kipp-bot backup`
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum UnitAction {
    /// Add a work unit.
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
    },
    /// List the work units.
    List,
}

fn main() -> ExitCode {
    cap_malloc_arenas();
    // One runtime thread: an update's work is a few hundred microseconds between waits for
    // SQLite and Telegram, and with one thread it never has to wake another runtime thread to
    // go on (a third fewer thread switches, a tenth less CPU per update; BENCHMARKS.md).
    // SQLite runs on its own connection threads, and CPU-heavy work (exports, charts, backups,
    // file writes) on blocking threads, so this thread is free to answer.
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(start()),
        Err(error) => {
            eprintln!("kipp-bot: cannot start the async runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Caps glibc's malloc at two arenas unless `MALLOC_ARENA_MAX` says otherwise. glibc gives a
/// thread that finds the arenas busy one of its own (up to eight per core), and memory freed in
/// one arena is not reused by the others; the bot's threads (the runtime's, SQLite's, file
/// writes) then hold freed memory apart. Measured at 1,000 staff (BENCHMARKS.md): peak RSS
/// 81.5 MB without the cap, 75.4 MB with it, the same CPU per update. Done before the runtime
/// starts its threads.
fn cap_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: `mallopt` sets one of the allocator's parameters; no other thread exists yet.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

async fn start() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("kipp-bot: {error}");
            return ExitCode::FAILURE;
        }
    };
    init_tracing();
    match run(cli, settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kipp-bot: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

async fn run(cli: Cli, settings: Settings) -> anyhow::Result<()> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match cli.command.unwrap_or(Command::Run) {
        Command::CheckDialog { file } => {
            let path = file.unwrap_or_else(|| settings.dialog_file.clone());
            let dialog = Dialog::load(&path)?;
            let questions: usize = dialog
                .sections()
                .iter()
                .map(|section| section.questions.len())
                .sum();
            println!(
                "{}: OK ({} sections, {questions} questions, version {})",
                path.display(),
                dialog.sections().len(),
                dialog.version().chars().take(12).collect::<String>()
            );
        }
        Command::Run => {
            let app = Application::build(&settings, clock).await?;
            app.run_until_stopped().await;
        }
        Command::Unit { action } => {
            let storage = Storage::connect(&settings.database_url).await?;
            match action {
                UnitAction::Add { code, name } => {
                    let code = UnitCode::parse(&code).map_err(anyhow::Error::msg)?;
                    let name = UnitName::parse(&name).map_err(anyhow::Error::msg)?;
                    let unit = storage.add_unit(&code, &name, None, clock.now()).await?;
                    println!("{}\t{}", unit.code, unit.name);
                }
                UnitAction::List => {
                    for unit in storage.units().await? {
                        println!("{}\t{}", unit.code, unit.name);
                    }
                }
            }
        }
        Command::Invite {
            role,
            unit,
            uses,
            expires,
        } => {
            let role = Role::parse(&role).context("--role must be staff, coordinator or bureau")?;
            let lifetime = Lifetime::parse(&expires).map_err(anyhow::Error::msg)?;
            anyhow::ensure!(uses >= 1, "--uses must be at least 1");
            let storage = Storage::connect(&settings.database_url).await?;
            let unit = match (role.needs_unit(), unit) {
                (false, _) => None,
                (true, None) => anyhow::bail!("--unit is required for {role} invitations"),
                (true, Some(raw)) => {
                    let code = UnitCode::parse(&raw).map_err(anyhow::Error::msg)?;
                    let unit = storage.unit_by_code(&code).await?;
                    Some(unit.with_context(|| {
                        format!("unit {code} does not exist; add it with `kipp-bot unit add`")
                    })?)
                }
            };
            let username = bot_username(&settings, &storage).await?;
            let created = people::create_invitation(
                &storage,
                &username,
                role,
                unit,
                uses,
                lifetime,
                None,
                clock.now(),
            )
            .await?;
            eprintln!(
                "Invitation #{} for {} ({} use(s), valid until {}):",
                created.id,
                created.role,
                created.max_uses,
                created.expires_at.with_timezone(&settings.timezone)
            );
            println!("{}", created.link);
        }
        Command::Export {
            format,
            unit,
            status,
            out,
        } => export(&settings, clock.now(), &format, unit, status, &out).await?,
        Command::Backup { out } => backup(&settings, clock.now(), &out).await?,
        Command::Restore { file } => restore(&settings, &file).await?,
        Command::Deadline {
            at,
            unit,
            close,
            clear,
        } => {
            let storage = Storage::connect(&settings.database_url).await?;
            let unit = match unit {
                None => None,
                Some(raw) => {
                    let code = UnitCode::parse(&raw).map_err(anyhow::Error::msg)?;
                    Some(storage.unit_by_code(&code).await?.with_context(|| {
                        format!("unit {code} does not exist; add it with `kipp-bot unit add`")
                    })?)
                }
            };
            let deadline = match (&at, clear) {
                (_, true) => None,
                (Some(raw), false) => Some(
                    kipp_bot::app::parse_local_deadline(raw, settings.timezone)
                        .with_context(|| format!("--at {raw:?}: use e.g. \"2026-06-03 23:59\""))?,
                ),
                (None, false) => anyhow::bail!("give --at, or --clear"),
            };
            let shown = |deadline: Option<chrono::DateTime<chrono::Utc>>, otherwise: &str| {
                deadline
                    .map(|at| at.with_timezone(&settings.timezone).to_string())
                    .unwrap_or_else(|| otherwise.to_owned())
            };
            match (unit, close) {
                (Some(unit), _) => {
                    storage
                        .set_unit_deadline(unit.id, deadline, None, clock.now())
                        .await?;
                    println!("{}\t{}", unit.code, shown(deadline, "units' deadline"));
                }
                (None, close) => {
                    let (date, name) = if close {
                        (CampaignDate::NationalClose, "national close")
                    } else {
                        (CampaignDate::UnitsDeadline, "units' deadline")
                    };
                    storage
                        .set_campaign_date(date, deadline, None, clock.now())
                        .await?;
                    println!("{name}\t{}", shown(deadline, "the dialog file's"));
                }
            }
        }
        Command::Revoke { id } => {
            let storage = Storage::connect(&settings.database_url).await?;
            if storage.revoke_invitation(None, id, clock.now()).await? {
                println!("invitation #{id} revoked");
            } else {
                anyhow::bail!("no open invitation #{id}");
            }
        }
    }
    Ok(())
}

/// `kipp-bot export`: the same files the bot sends, written to `out`.
async fn export(
    settings: &Settings,
    now: chrono::DateTime<chrono::Utc>,
    format: &str,
    unit: Option<String>,
    status: Option<String>,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    let format = Format::parse(format).context("--format must be xlsx, csv, json or zip")?;
    let state = status
        .map(|raw| {
            InnovationState::parse(&raw).with_context(|| {
                format!("--status {raw:?}: use draft, submitted, returned, approved or selected")
            })
        })
        .transpose()?;
    let dialog = Dialog::load(&settings.dialog_file)?;
    let storage = Storage::connect(&settings.database_url).await?;
    let unit = match unit {
        None => None,
        Some(raw) => {
            let code = UnitCode::parse(&raw).map_err(anyhow::Error::msg)?;
            let unit = storage
                .unit_by_code(&code)
                .await?
                .with_context(|| format!("unit {code} does not exist"))?;
            Some((unit.id, unit.code))
        }
    };
    let scope = Scope { unit, state };
    let set = storage
        .export_set(&ExportRequest {
            dialog: &dialog,
            timezone: settings.timezone,
            evidence_dir: &settings.evidence_dir,
            unit_id: scope.unit_id(),
            state: scope.state,
            innovation_id: None,
            lang: Lang::Id,
            now,
        })
        .await?;
    let count = set.innovations.len();
    let path = out.to_path_buf();
    tokio::task::spawn_blocking(move || {
        exporting::write_file(format, &set, &dialog, Lang::Id, &path)
    })
    .await??;
    let size = std::fs::metadata(out)?.len();
    storage
        .record_audit(
            now,
            None,
            "export",
            &scope.describe(),
            &format!(
                "format={} bytes={size} via=cli",
                exporting::format_name(format)
            ),
        )
        .await?;
    eprintln!("{count} innovation(s), {size} bytes");
    println!("{}", out.display());
    Ok(())
}

/// `kipp-bot backup`: the summary on standard error, the archive's path on standard output.
async fn backup(
    settings: &Settings,
    now: chrono::DateTime<chrono::Utc>,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    // One sentence, without the error's chain repeated.
    let done = kipp_bot::backup::backup(settings, now, out)
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let manifest = &done.manifest;
    for problem in &manifest.problems {
        eprintln!("warning: {problem}");
    }
    eprintln!(
        "{} innovation(s), {} answer(s), {} evidence file(s), {} bytes",
        manifest.innovations, manifest.answers, done.evidence_files, done.bytes
    );
    println!("{}", done.path.display());
    Ok(())
}

/// `kipp-bot restore`: a short summary of what was restored.
async fn restore(settings: &Settings, file: &std::path::Path) -> anyhow::Result<()> {
    let done = kipp_bot::backup::restore(settings, file)
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    println!(
        "Restored the backup made {}: {} innovation(s), {} answer(s), {} evidence file(s) ({} bytes).",
        done.created_at,
        done.counts.innovations,
        done.counts.answers,
        done.evidence_files,
        done.evidence_bytes
    );
    println!(
        "Database {} (integrity check: ok), evidence in {}.",
        done.database.display(),
        done.evidence_dir.display()
    );
    if let Some(version) = done.dialog_differs {
        eprintln!(
            "note: the backup was made with dialog version {}, not DIALOG_FILE's; the archive's dialog.toml holds that version",
            version.get(..12).unwrap_or(&version)
        );
    }
    Ok(())
}

/// The bot's @username for links: asked from Telegram, or remembered from the last start.
async fn bot_username(settings: &Settings, storage: &Storage) -> anyhow::Result<String> {
    if let Ok(token) = settings.token() {
        let client = TelegramClient::new(token.clone(), settings.api_url.clone())
            .with_retry_policy(kipp_bot::telegram::RetryPolicy {
                max_attempts: 2,
                max_retry_after: std::time::Duration::from_secs(5),
                wait_on_rate_limit: true,
            });
        match client.get_me().await {
            Ok(me) => {
                if let Some(username) = me.user.username {
                    storage.save_bot_username(&username).await?;
                    return Ok(username);
                }
            }
            Err(error) => tracing::warn!(%error, "could not ask Telegram for the bot's username"),
        }
    }
    storage.bot_username().await?.context(
        "the bot's @username is unknown: set TELOXIDE_TOKEN (and TELOXIDE_API_URL if used) or start the bot once",
    )
}
