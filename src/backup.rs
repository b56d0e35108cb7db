//! `kipp-bot backup` and `kipp-bot restore`: a whole campaign in one ZIP archive.
//!
//! The archive holds
//! - `database.sqlite`: a consistent snapshot of the database, taken with `VACUUM INTO` while
//!   the bot goes on serving;
//! - `evidence/ab/abcdef….pdf`: every evidence file that snapshot refers to, under its path
//!   relative to `EVIDENCE_DIR`. Uploads land on disk before their database row is committed
//!   and are never deleted, so every file the snapshot names is there to copy, whatever is
//!   uploaded meanwhile;
//! - `dialog.toml`: the questionnaire in use, for reference (a restore does not write it);
//! - `manifest.json`: every other entry's size and SHA-256, the dialog version, the date.
//!
//! A backup is written under a temporary name and renamed when complete, so a half-written
//! archive never looks like a backup. A restore checks every entry against the manifest before
//! it writes anything, writes beside the target, checks the database, and only then moves the
//! files into place.

use std::{
    collections::HashSet,
    fs::File,
    io::{self, BufReader, BufWriter, Read, Write},
    path::{Path, PathBuf},
};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zip::{CompressionMethod, ZipArchive, ZipWriter, result::ZipError, write::SimpleFileOptions};

use crate::{
    config::Settings,
    storage::{self, CampaignCounts, EvidenceReference, Storage, StorageError},
};

pub const MANIFEST: &str = "manifest.json";
pub const DATABASE: &str = "database.sqlite";
pub const DIALOG: &str = "dialog.toml";
pub const EVIDENCE_PREFIX: &str = "evidence/";
pub const FORMAT: &str = "kipp-bot-backup";
pub const FORMAT_VERSION: u32 = 1;

/// A manifest larger than this is not read (a campaign's would be a few hundred kilobytes).
const MANIFEST_LIMIT: u64 = 64 * 1024 * 1024;
/// Entries at least this large get ZIP64 headers (the plain format stops at 4 GiB).
const LARGE_FILE: u64 = 0xFFFF_0000;
const COPY_BUFFER: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "DATABASE_URL names no database file (an in-memory database cannot be backed up or restored)"
    )]
    NoDatabaseFile,
    #[error("there is no database at {0}: nothing to back up")]
    NoDatabase(String),
    #[error("--out {0} does not name a new archive file")]
    BadOutput(String),
    #[error(
        "{0} already exists: a backup is restored only into an empty data folder (no database file, EVIDENCE_DIR absent or empty); nothing was changed"
    )]
    DatabaseExists(String),
    #[error(
        "{0} is not empty: a backup is restored only into an empty data folder (no database file, EVIDENCE_DIR absent or empty); nothing was changed"
    )]
    EvidenceNotEmpty(String),
    #[error("EVIDENCE_DIR {0} cannot be restored into: name a folder")]
    BadEvidenceDir(String),
    #[error("{path} is not a kipp-bot backup ({reason}); nothing was changed")]
    NotABackup { path: String, reason: String },
    #[error(
        "the archive {path} is damaged or was altered ({entry}: {detail}); nothing was changed"
    )]
    Damaged {
        path: String,
        entry: String,
        detail: String,
    },
    #[error("the archive {path} holds an entry it must not ({name:?}); nothing was changed")]
    UnsafeName { path: String, name: String },
    #[error("the restored database fails SQLite's integrity check ({0}); nothing was kept")]
    Integrity(String),
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        source: io::Error,
    },
    #[error("cannot write the archive: {0}")]
    Zip(#[from] ZipError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("the work stopped half way: {0}")]
    Interrupted(String),
}

type Result<T, E = BackupError> = std::result::Result<T, E>;

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> BackupError + use<> {
    let path = path.display().to_string();
    move |source| BackupError::Io {
        action,
        path,
        source,
    }
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// When the database snapshot was taken, RFC 3339 in the bot's time zone.
    pub created_at: String,
    pub kipp_bot_version: String,
    /// SHA-256 of the dialog file in use (as in the exports' `dialog_version`), when readable.
    pub dialog_version: Option<String>,
    pub dialog_file: Option<String>,
    pub innovations: i64,
    pub answers: i64,
    /// Evidence files still counted in the database.
    pub evidence_files: i64,
    /// Every entry but the manifest itself.
    pub entries: Vec<ManifestEntry>,
    /// Evidence files the database names that could not be copied as they should, one
    /// sentence each. Empty in a healthy campaign.
    #[serde(default)]
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub name: String,
    pub size: u64,
    /// Lower-case hex.
    pub sha256: String,
}

/// What `backup` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub path: PathBuf,
    pub bytes: u64,
    pub evidence_files: usize,
    pub manifest: Manifest,
}

/// What `restore` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreSummary {
    pub counts: CampaignCounts,
    pub evidence_files: usize,
    pub evidence_bytes: u64,
    pub database: PathBuf,
    pub evidence_dir: PathBuf,
    pub created_at: String,
    /// The archive's dialog version, when it differs from the current `DIALOG_FILE`'s.
    pub dialog_differs: Option<String>,
}

/// What an archive entry is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind<'a> {
    Manifest,
    Database,
    Dialog,
    /// Relative to `EVIDENCE_DIR`.
    Evidence(&'a str),
}

/// The names a backup may hold: the three fixed ones, and `evidence/` + a safe relative path.
/// Anything else (`..`, absolute paths, backslashes, hidden names) is refused: no zip-slip.
fn entry_kind(name: &str) -> Option<EntryKind<'_>> {
    match name {
        MANIFEST => Some(EntryKind::Manifest),
        DATABASE => Some(EntryKind::Database),
        DIALOG => Some(EntryKind::Dialog),
        _ => name
            .strip_prefix(EVIDENCE_PREFIX)
            .filter(|relative| is_safe_relative_path(relative))
            .map(EntryKind::Evidence),
    }
}

/// `ab/abcdef….pdf`: one to four parts of letters, digits, `.`, `_` and `-`, none starting with
/// a dot (so no `.`, `..` or hidden files), separated by `/`.
pub fn is_safe_relative_path(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    (1..=4).contains(&parts.len())
        && parts.iter().all(|part| {
            (1..=128).contains(&part.len())
                && !part.starts_with('.')
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        })
}

fn database_file(settings: &Settings) -> Result<PathBuf> {
    storage::database_path(&settings.database_url)?.ok_or(BackupError::NoDatabaseFile)
}

/// `backup --out FILE`: a consistent archive of the campaign, safe while the bot runs.
pub async fn backup(settings: &Settings, now: DateTime<Utc>, out: &Path) -> Result<BackupSummary> {
    let database = database_file(settings)?;
    if !database.is_file() {
        return Err(BackupError::NoDatabase(database.display().to_string()));
    }
    let name = out
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or_else(|| BackupError::BadOutput(out.display().to_string()))?;
    let folder = match out.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&folder).map_err(io_error("create the folder", &folder))?;
    if same_file(out, &database) {
        return Err(BackupError::BadOutput(out.display().to_string()));
    }
    let pid = std::process::id();
    let temp = TempFiles {
        archive: folder.join(format!(".{name}.{pid}.part")),
        snapshot: folder.join(format!(".{name}.{pid}.db.part")),
    };
    temp.remove_all();
    let (archive_part, snapshot) = (temp.archive.clone(), temp.snapshot.clone());

    let live = Storage::open_existing(&settings.database_url).await?;
    live.snapshot_into(&snapshot).await?;
    let copy = Storage::open_copy(&snapshot).await?;
    let references = copy.evidence_references().await?;
    let counts = copy.campaign_counts().await?;
    copy.close().await;

    let (dialog_file, dialog) = match std::fs::read(&settings.dialog_file) {
        Ok(bytes) => (
            settings
                .dialog_file
                .file_name()
                .map(|name| name.to_string_lossy().into_owned()),
            Some(bytes),
        ),
        Err(error) => {
            let path = settings.dialog_file.display();
            tracing::warn!(%error, %path, "the dialog file is not in the backup");
            (None, None)
        }
    };
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        created_at: now
            .with_timezone(&settings.timezone)
            .to_rfc3339_opts(SecondsFormat::Secs, false),
        kipp_bot_version: env!("CARGO_PKG_VERSION").to_owned(),
        dialog_version: dialog
            .as_deref()
            .map(|bytes| hex::encode(Sha256::digest(bytes))),
        dialog_file,
        innovations: counts.innovations,
        answers: counts.answers,
        evidence_files: counts.evidence_files,
        entries: Vec::new(),
        problems: Vec::new(),
    };
    let plan = ArchivePlan {
        snapshot: snapshot.clone(),
        evidence_dir: settings.evidence_dir.clone(),
        references,
        dialog,
        stamp: crate::export::zip_time(now.with_timezone(&settings.timezone).naive_local()),
        manifest,
    };
    let part = archive_part.clone();
    let (manifest, evidence_files) =
        tokio::task::spawn_blocking(move || write_archive(plan, &part))
            .await
            .map_err(|error| BackupError::Interrupted(error.to_string()))??;
    std::fs::rename(&archive_part, out).map_err(io_error("move the archive to", out))?;
    drop(temp);
    let bytes = std::fs::metadata(out).map_err(io_error("read", out))?.len();
    let details = format!(
        "bytes={bytes} evidence_files={evidence_files} problems={} via=cli",
        manifest.problems.len()
    );
    if let Err(error) = live
        .record_audit(now, None, "backup", &out.display().to_string(), &details)
        .await
    {
        tracing::warn!(%error, "the backup is complete but not in the audit log");
    }
    live.close().await;
    Ok(BackupSummary {
        path: out.to_path_buf(),
        bytes,
        evidence_files,
        manifest,
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// Files removed when dropped: a failed backup leaves nothing behind.
struct TempFiles {
    archive: PathBuf,
    snapshot: PathBuf,
}

impl TempFiles {
    fn remove_all(&self) {
        let _ = std::fs::remove_file(&self.archive);
        let _ = std::fs::remove_file(&self.snapshot);
    }
}

impl Drop for TempFiles {
    fn drop(&mut self) {
        self.remove_all();
    }
}

struct ArchivePlan {
    snapshot: PathBuf,
    evidence_dir: PathBuf,
    references: Vec<EvidenceReference>,
    dialog: Option<Vec<u8>>,
    stamp: zip::DateTime,
    manifest: Manifest,
}

/// Writes the archive (blocking): the database, the evidence files, the dialog, then the
/// manifest with every entry's hash. Returns the manifest and the evidence files copied.
fn write_archive(plan: ArchivePlan, path: &Path) -> Result<(Manifest, usize)> {
    let ArchivePlan {
        snapshot,
        evidence_dir,
        references,
        dialog,
        stamp,
        mut manifest,
    } = plan;
    let file = File::create(path).map_err(io_error("create", path))?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(stamp);
    // Evidence is mostly PDF, JPEG and MP4, already compressed: stored as it is.
    let stored = deflated.compression_method(CompressionMethod::Stored);
    let mut buffer = vec![0; COPY_BUFFER];

    let database = File::open(&snapshot).map_err(io_error("read", &snapshot))?;
    let large = database.metadata().is_ok_and(|m| m.len() >= LARGE_FILE);
    zip.start_file(DATABASE, deflated.large_file(large))?;
    let (size, sha256) = match copy_hashed(database, &mut zip, &mut buffer, u64::MAX) {
        Ok(done) => done,
        Err(Copy::Read(error)) => return Err(io_error("read", &snapshot)(error)),
        Err(Copy::Write(error)) => return Err(io_error("write", path)(error)),
    };
    manifest.entries.push(ManifestEntry {
        name: DATABASE.to_owned(),
        size,
        sha256,
    });

    let mut evidence_files: usize = 0;
    for reference in &references {
        if !is_safe_relative_path(&reference.stored_path) {
            manifest.problems.push(format!(
                "{:?}: not a path inside EVIDENCE_DIR, not copied",
                reference.stored_path
            ));
            continue;
        }
        let source = evidence_dir.join(&reference.stored_path);
        let file = match File::open(&source) {
            Ok(file) => file,
            Err(error) => {
                manifest.problems.push(format!(
                    "{}: cannot be read ({error}), not copied",
                    reference.stored_path
                ));
                continue;
            }
        };
        let name = format!("{EVIDENCE_PREFIX}{}", reference.stored_path);
        let large = file.metadata().is_ok_and(|m| m.len() >= LARGE_FILE);
        zip.start_file(name.as_str(), stored.large_file(large))?;
        match copy_hashed(file, &mut zip, &mut buffer, u64::MAX) {
            Ok((size, sha256)) => {
                if !sha256.eq_ignore_ascii_case(reference.sha256.trim()) {
                    manifest.problems.push(format!(
                        "{}: its bytes no longer match the SHA-256 in the database, copied as they are",
                        reference.stored_path
                    ));
                }
                manifest.entries.push(ManifestEntry { name, size, sha256 });
                evidence_files = evidence_files.saturating_add(1);
            }
            Err(Copy::Read(error)) => {
                zip.abort_file()?;
                manifest.problems.push(format!(
                    "{}: cannot be read ({error}), not copied",
                    reference.stored_path
                ));
            }
            Err(Copy::Write(error)) => return Err(io_error("write", path)(error)),
        }
    }

    if let Some(dialog) = dialog {
        zip.start_file(DIALOG, deflated)?;
        zip.write_all(&dialog).map_err(io_error("write", path))?;
        manifest.entries.push(ManifestEntry {
            name: DIALOG.to_owned(),
            size: dialog.len() as u64,
            sha256: hex::encode(Sha256::digest(&dialog)),
        });
    }

    for problem in &manifest.problems {
        tracing::warn!(%problem, "evidence file in the backup");
    }
    let json = serde_json::to_vec_pretty(&manifest)
        .map_err(|error| BackupError::Interrupted(error.to_string()))?;
    zip.start_file(MANIFEST, deflated)?;
    zip.write_all(&json).map_err(io_error("write", path))?;
    let file = zip
        .finish()?
        .into_inner()
        .map_err(|error| io_error("write", path)(error.into_error()))?;
    file.sync_all().map_err(io_error("write", path))?;
    Ok((manifest, evidence_files))
}

enum Copy {
    Read(io::Error),
    Write(io::Error),
}

/// Copies at most `limit` bytes (then stops and reports `limit + 1`), hashing on the way.
fn copy_hashed<R, W>(
    from: R,
    to: &mut W,
    buffer: &mut [u8],
    limit: u64,
) -> std::result::Result<(u64, String), Copy>
where
    R: Read,
    W: Write,
{
    let mut from = from.take(limit.saturating_add(1));
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    loop {
        let read = match from.read(buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(Copy::Read(error)),
        };
        let chunk = buffer.get(..read).unwrap_or_default();
        hasher.update(chunk);
        to.write_all(chunk).map_err(Copy::Write)?;
        size = size.saturating_add(read as u64);
    }
    Ok((size, hex::encode(hasher.finalize())))
}

/// `restore FILE`: the archive into an empty data folder.
pub async fn restore(settings: &Settings, archive: &Path) -> Result<RestoreSummary> {
    let database = database_file(settings)?;
    let database = std::path::absolute(&database).map_err(io_error("find", &database))?;
    let evidence_dir = std::path::absolute(&settings.evidence_dir)
        .map_err(io_error("find", &settings.evidence_dir))?;
    ensure_empty_target(&database, &evidence_dir)?;

    // Everything is checked before anything is written.
    let path = archive.to_path_buf();
    let manifest = tokio::task::spawn_blocking(move || verify_archive(&path))
        .await
        .map_err(|error| BackupError::Interrupted(error.to_string()))??;

    let mut staging = Staging::new(&database, &evidence_dir)?;
    let (path, manifest_copy) = (archive.to_path_buf(), manifest.clone());
    let targets = staging.targets();
    let (evidence_files, evidence_bytes) =
        tokio::task::spawn_blocking(move || extract(&path, &manifest_copy, &targets))
            .await
            .map_err(|error| BackupError::Interrupted(error.to_string()))??;

    let copy = Storage::open_copy(&staging.database).await?;
    let report = copy.integrity_check().await;
    let counts = copy.campaign_counts().await;
    copy.close().await;
    let report = report?;
    if report != "ok" {
        let first = report.lines().next().unwrap_or_default().to_owned();
        return Err(BackupError::Integrity(first));
    }
    let counts = counts?;
    // The target may have been filled while we worked (a bot started on it): check again.
    ensure_empty_target(&database, &evidence_dir)?;
    staging.commit(&database, &evidence_dir)?;

    let current_dialog = std::fs::read(&settings.dialog_file)
        .ok()
        .map(|bytes| hex::encode(Sha256::digest(bytes)));
    let dialog_differs = match (&manifest.dialog_version, current_dialog) {
        (Some(archived), Some(current)) if *archived != current => Some(archived.clone()),
        (Some(archived), None) => Some(archived.clone()),
        _ => None,
    };
    Ok(RestoreSummary {
        counts,
        evidence_files,
        evidence_bytes,
        database,
        evidence_dir,
        created_at: manifest.created_at,
        dialog_differs,
    })
}

/// The database file (and its `-wal`, `-shm`, `-journal`) must be absent, the evidence folder
/// absent or empty.
fn ensure_empty_target(database: &Path, evidence_dir: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = database.as_os_str().to_owned();
        name.push(suffix);
        let path = PathBuf::from(name);
        if path.symlink_metadata().is_ok() {
            return Err(BackupError::DatabaseExists(path.display().to_string()));
        }
    }
    match std::fs::read_dir(evidence_dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(BackupError::EvidenceNotEmpty(
                    evidence_dir.display().to_string(),
                ));
            }
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(_) => {
            return Err(BackupError::EvidenceNotEmpty(
                evidence_dir.display().to_string(),
            ));
        }
    }
    Ok(())
}

fn not_a_backup(path: &Path, reason: impl Into<String>) -> BackupError {
    BackupError::NotABackup {
        path: path.display().to_string(),
        reason: reason.into(),
    }
}

fn damaged(path: &Path, entry: &str, detail: impl Into<String>) -> BackupError {
    BackupError::Damaged {
        path: path.display().to_string(),
        entry: entry.to_owned(),
        detail: detail.into(),
    }
}

/// Reads the manifest, checks every name, and reads every entry once, checking its size and
/// SHA-256 (and the ZIP's own CRC) against the manifest. Writes nothing.
pub fn verify_archive(path: &Path) -> Result<Manifest> {
    let file = File::open(path).map_err(io_error("open", path))?;
    let mut zip = ZipArchive::new(BufReader::new(file))
        .map_err(|error| not_a_backup(path, format!("not a readable ZIP archive: {error}")))?;

    let mut names = HashSet::new();
    for index in 0..zip.len() {
        let entry = zip
            .by_index_raw(index)
            .map_err(|error| damaged(path, &format!("entry {index}"), error.to_string()))?;
        let name = match entry.name() {
            Ok(name) => name.into_owned(),
            Err(_) => {
                return Err(BackupError::UnsafeName {
                    path: path.display().to_string(),
                    name: String::from_utf8_lossy(entry.name_raw()).into_owned(),
                });
            }
        };
        if entry_kind(&name).is_none() || entry.is_dir() || entry.is_symlink() {
            return Err(BackupError::UnsafeName {
                path: path.display().to_string(),
                name,
            });
        }
        if !names.insert(name.clone()) {
            return Err(damaged(path, &name, "the name appears twice"));
        }
    }
    if !names.contains(MANIFEST) {
        return Err(not_a_backup(path, "it has no manifest.json"));
    }

    let manifest: Manifest = {
        let entry = zip
            .by_name(MANIFEST)
            .map_err(|error| damaged(path, MANIFEST, error.to_string()))?;
        let mut json = Vec::new();
        entry
            .take(MANIFEST_LIMIT)
            .read_to_end(&mut json)
            .map_err(|error| damaged(path, MANIFEST, error.to_string()))?;
        serde_json::from_slice(&json)
            .map_err(|error| not_a_backup(path, format!("manifest.json cannot be read: {error}")))?
    };
    if manifest.format != FORMAT {
        return Err(not_a_backup(
            path,
            format!("its format is {:?}", manifest.format),
        ));
    }
    if manifest.format_version > FORMAT_VERSION {
        return Err(not_a_backup(
            path,
            format!(
                "format version {} is newer than this kipp-bot reads ({FORMAT_VERSION})",
                manifest.format_version
            ),
        ));
    }

    let mut listed = HashSet::new();
    for entry in &manifest.entries {
        let kind = entry_kind(&entry.name);
        if kind.is_none() || kind == Some(EntryKind::Manifest) {
            return Err(BackupError::UnsafeName {
                path: path.display().to_string(),
                name: entry.name.clone(),
            });
        }
        let hash_ok = entry.sha256.len() == 64
            && entry
                .sha256
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c));
        if !hash_ok {
            return Err(damaged(
                path,
                &entry.name,
                "its SHA-256 in the manifest is malformed",
            ));
        }
        if !listed.insert(entry.name.as_str()) {
            return Err(damaged(path, &entry.name, "the manifest lists it twice"));
        }
        if !names.contains(&entry.name) {
            return Err(damaged(
                path,
                &entry.name,
                "listed in the manifest, missing from the archive",
            ));
        }
    }
    if let Some(extra) = names
        .iter()
        .find(|name| name.as_str() != MANIFEST && !listed.contains(name.as_str()))
    {
        return Err(damaged(
            path,
            extra,
            "in the archive, missing from the manifest",
        ));
    }
    if !listed.contains(DATABASE) {
        return Err(not_a_backup(path, "it holds no database.sqlite"));
    }

    let mut buffer = vec![0; COPY_BUFFER];
    for entry in &manifest.entries {
        let reader = zip
            .by_name(&entry.name)
            .map_err(|error| damaged(path, &entry.name, error.to_string()))?;
        check_entry(path, entry, reader, (&mut io::sink(), path), &mut buffer)?;
    }
    Ok(manifest)
}

/// Copies one entry to `to`, checking its size and SHA-256 against the manifest.
fn check_entry<R, W>(
    path: &Path,
    entry: &ManifestEntry,
    reader: R,
    (to, target): (&mut W, &Path),
    buffer: &mut [u8],
) -> Result<()>
where
    R: Read,
    W: Write,
{
    let (size, sha256) = match copy_hashed(reader, to, buffer, entry.size) {
        Ok(done) => done,
        Err(Copy::Read(error)) => return Err(damaged(path, &entry.name, error.to_string())),
        Err(Copy::Write(error)) => return Err(io_error("write", target)(error)),
    };
    if size != entry.size {
        return Err(damaged(
            path,
            &entry.name,
            format!("{size} bytes, the manifest says {}", entry.size),
        ));
    }
    if sha256 != entry.sha256 {
        return Err(damaged(
            path,
            &entry.name,
            "its SHA-256 differs from the manifest",
        ));
    }
    Ok(())
}

/// Where a restore writes before the files are moved into place, beside the targets.
#[derive(Debug, Clone)]
struct Targets {
    database: PathBuf,
    evidence: PathBuf,
}

/// The restore's temporary files and the folders it created; all removed unless committed.
struct Staging {
    database: PathBuf,
    evidence: PathBuf,
    created_folders: Vec<PathBuf>,
    committed: bool,
}

impl Staging {
    fn new(database: &Path, evidence_dir: &Path) -> Result<Self> {
        let hidden = |path: &Path| -> Option<PathBuf> {
            let name = path.file_name()?.to_str()?;
            Some(path.with_file_name(format!(".{name}.restoring")))
        };
        let staged_database = hidden(database).ok_or(BackupError::NoDatabaseFile)?;
        let staged_evidence = hidden(evidence_dir)
            .ok_or_else(|| BackupError::BadEvidenceDir(evidence_dir.display().to_string()))?;
        let mut staging = Self {
            database: staged_database,
            evidence: staged_evidence,
            created_folders: Vec::new(),
            committed: false,
        };
        // Left over from an interrupted restore: ours to remove.
        let _ = std::fs::remove_file(&staging.database);
        let _ = std::fs::remove_dir_all(&staging.evidence);
        for folder in [database.parent(), evidence_dir.parent()]
            .into_iter()
            .flatten()
        {
            staging.create_folder(folder)?;
        }
        let evidence = staging.evidence.clone();
        staging.create_folder(&evidence)?;
        Ok(staging)
    }

    /// Creates `folder` and its missing parents, remembering which, to remove them on failure.
    fn create_folder(&mut self, folder: &Path) -> Result<()> {
        let mut missing = Vec::new();
        let mut current = Some(folder);
        while let Some(path) = current.filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
            missing.push(path.to_path_buf());
            current = path.parent();
        }
        for path in missing.into_iter().rev() {
            std::fs::create_dir(&path).map_err(io_error("create the folder", &path))?;
            self.created_folders.push(path);
        }
        Ok(())
    }

    fn targets(&self) -> Targets {
        Targets {
            database: self.database.clone(),
            evidence: self.evidence.clone(),
        }
    }

    /// Moves the evidence folder, then the database, into place: a database at the target
    /// means the restore is complete.
    fn commit(&mut self, database: &Path, evidence_dir: &Path) -> Result<()> {
        if evidence_dir.exists() {
            // Empty (checked): rename needs it gone on some systems.
            std::fs::remove_dir(evidence_dir).map_err(io_error("replace", evidence_dir))?;
        }
        std::fs::rename(&self.evidence, evidence_dir)
            .map_err(io_error("move the evidence into", evidence_dir))?;
        if let Err(error) = std::fs::rename(&self.database, database) {
            let _ = std::fs::rename(evidence_dir, &self.evidence);
            return Err(io_error("move the database to", database)(error));
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        let _ = std::fs::remove_file(&self.database);
        let _ = std::fs::remove_dir_all(&self.evidence);
        for folder in self.created_folders.iter().rev() {
            let _ = std::fs::remove_dir(folder);
        }
    }
}

/// Writes the database and the evidence files to their staging places, checking each against
/// the manifest again on the way (the archive might have changed since it was verified).
fn extract(path: &Path, manifest: &Manifest, targets: &Targets) -> Result<(usize, u64)> {
    let file = File::open(path).map_err(io_error("open", path))?;
    let mut zip = ZipArchive::new(BufReader::new(file))
        .map_err(|error| not_a_backup(path, format!("not a readable ZIP archive: {error}")))?;
    let mut buffer = vec![0; COPY_BUFFER];
    let (mut files, mut bytes) = (0usize, 0u64);
    for entry in &manifest.entries {
        let target = match entry_kind(&entry.name) {
            Some(EntryKind::Database) => targets.database.clone(),
            Some(EntryKind::Evidence(relative)) => targets.evidence.join(relative),
            Some(EntryKind::Dialog | EntryKind::Manifest) => continue,
            None => {
                return Err(BackupError::UnsafeName {
                    path: path.display().to_string(),
                    name: entry.name.clone(),
                });
            }
        };
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder).map_err(io_error("create the folder", folder))?;
        }
        let reader = zip
            .by_name(&entry.name)
            .map_err(|error| damaged(path, &entry.name, error.to_string()))?;
        let mut out = File::create_new(&target).map_err(io_error("create", &target))?;
        check_entry(path, entry, reader, (&mut out, &target), &mut buffer)?;
        out.sync_all().map_err(io_error("write", &target))?;
        if target != targets.database {
            files = files.saturating_add(1);
            bytes = bytes.saturating_add(entry.size);
        }
    }
    Ok((files, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_backup_s_own_names_are_accepted() {
        assert_eq!(entry_kind("manifest.json"), Some(EntryKind::Manifest));
        assert_eq!(entry_kind("database.sqlite"), Some(EntryKind::Database));
        assert_eq!(
            entry_kind("evidence/ab/abcdef.pdf"),
            Some(EntryKind::Evidence("ab/abcdef.pdf"))
        );
        for bad in [
            "evidence/../x",
            "evidence/ab/../../x",
            "/etc/passwd",
            "evidence//x",
            "evidence/",
            "evidence/ab\\..\\x",
            "evidence/.hidden",
            "evidence/./x",
            "../database.sqlite",
            "notes.txt",
            "evidence/a/b/c/d/e",
            "evidence/C:x",
        ] {
            assert_eq!(entry_kind(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_copy_stops_one_byte_past_its_limit() {
        let mut buffer = vec![0; 4];
        let mut out = Vec::new();
        let Ok((size, _)) = copy_hashed(&b"0123456789"[..], &mut out, &mut buffer, 5) else {
            panic!("copies");
        };
        assert_eq!(size, 6);
        assert_eq!(out, b"012345");
    }
}
