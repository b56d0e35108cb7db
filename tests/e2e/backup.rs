//! `kipp-bot backup` and `kipp-bot restore`, run as the real binary: a backup taken while staff
//! are answering holds everything acknowledged before it began, restores into an empty folder,
//! and the bot runs on the restored copy. A filled folder, a flipped byte and an unsafe entry
//! name are refused without writing anything.

use std::{
    collections::BTreeMap,
    io::{Cursor, Write},
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use kipp_bot::{
    backup::{DATABASE, EVIDENCE_PREFIX, MANIFEST, Manifest},
    bot::texts::esc,
    domain::{AnswerValue, Role},
    storage::Storage,
};
use sha2::{Digest, Sha256};

use crate::{
    fake_telegram::{FakeTelegram, TgUser},
    helpers::{TOKEN, TestApp, repo_path},
    questionnaire::kipp2025,
    simulation::{Patience, Walk, walk_dialog},
};

/// Where a bot keeps its data: the database file and the evidence folder.
#[derive(Debug, Clone)]
struct DataFolder {
    database: PathBuf,
    evidence: PathBuf,
}

impl DataFolder {
    fn inside(dir: &Path) -> Self {
        Self {
            database: dir.join("data/kipp.db"),
            evidence: dir.join("data/evidence"),
        }
    }

    fn of(app: &TestApp) -> Self {
        let settings = app.settings();
        Self {
            database: kipp_bot::storage::database_path(&settings.database_url)
                .unwrap()
                .expect("a database file"),
            evidence: settings.evidence_dir,
        }
    }

    fn url(&self) -> String {
        format!("sqlite://{}", self.database.display())
    }
}

fn kipp_bot(data: &DataFolder) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kipp-bot"));
    command
        .env_clear()
        .env("DATABASE_URL", data.url())
        .env("EVIDENCE_DIR", &data.evidence)
        .env("DIALOG_FILE", repo_path("dialogs/kipp2025.toml"))
        .env("RUST_LOG", "warn");
    command
}

/// Runs the binary off the async threads (the bot under test keeps serving meanwhile).
async fn run(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().expect("kipp-bot runs"))
        .await
        .unwrap()
}

fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "kipp-bot failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A refusal: a non-zero exit and one sentence on standard error.
fn refused(output: &Output) -> String {
    assert!(!output.status.success(), "kipp-bot did not refuse");
    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    assert_eq!(stderr.lines().count(), 1, "one sentence: {stderr}");
    assert!(stderr.starts_with("kipp-bot: "), "{stderr}");
    stderr
}

async fn backup(data: &DataFolder, out: &Path) -> Output {
    let mut command = kipp_bot(data);
    command.arg("backup").arg("--out").arg(out);
    run(command).await
}

async fn restore(data: &DataFolder, archive: &Path) -> Output {
    let mut command = kipp_bot(data);
    command.arg("restore").arg(archive);
    run(command).await
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn manifest_of(archive: &Path) -> Manifest {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(archive).unwrap()).unwrap();
    serde_json::from_reader(zip.by_name(MANIFEST).unwrap()).unwrap()
}

/// Every file under `dir` with its SHA-256, to see that a refusal changed nothing.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.insert(path.clone(), "folder".into());
                folders.push(path);
            } else {
                files.insert(path.clone(), sha256_hex(&std::fs::read(&path).unwrap()));
            }
        }
    }
    files
}

/// What the database holds: answers by (innovation, question, item), evidence by
/// (innovation, SHA-256).
#[derive(Debug, Default)]
struct Committed {
    answers: BTreeMap<(i64, String, u16), AnswerValue>,
    evidence: Vec<(i64, String)>,
}

async fn committed(storage: &Storage) -> Committed {
    let mut state = Committed::default();
    for innovation in storage.innovations(None).await.unwrap() {
        for answer in storage.answers(innovation.id).await.unwrap() {
            state.answers.insert(
                (innovation.id, answer.question_id, answer.item),
                answer.value,
            );
        }
        for file in storage.evidence(innovation.id).await.unwrap() {
            state.evidence.push((innovation.id, file.sha256));
        }
    }
    state
}

fn walk(fake: &FakeTelegram, user: TgUser) -> tokio::task::JoinHandle<Walk> {
    let fake = fake.clone();
    let dialog = Arc::new(kipp2025());
    tokio::spawn(async move {
        let patience = Patience {
            reply: Duration::from_secs(20),
            give_up: Duration::from_secs(600),
            think: Duration::ZERO,
        };
        walk_dialog(&fake, &user, &dialog, &patience).await
    })
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

// Multi-threaded: the binary's runs block one thread while the bot under test keeps serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_staff_answer_restores_everything_acknowledged() {
    let mut app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let staff = app.add_people(2001, 4, Role::Staff, Some(&unit)).await;
    let live = DataFolder::of(&app);

    // Two people walk until a file is stored; then two more start, and the backup is taken
    // while all of them are answering and uploading.
    let mut walkers: Vec<_> = staff[..2]
        .iter()
        .map(|user| walk(&app.fake, user.clone()))
        .collect();
    let until = Instant::now() + Duration::from_secs(300);
    while committed(&app.storage).await.evidence.is_empty() {
        assert!(Instant::now() < until, "no file was uploaded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    walkers.extend(staff[2..].iter().map(|user| walk(&app.fake, user.clone())));
    // The bot acknowledges an answer only after committing it: everything committed now
    // includes everything acknowledged so far.
    let acknowledged = committed(&app.storage).await;
    let work = tempfile::tempdir().unwrap();
    let archive = work.path().join("backups/kipp.zip");
    let started = Instant::now();
    let output = backup(&live, &archive).await;
    let backup_time = started.elapsed();
    let stdout = succeeded(&output);
    assert_eq!(stdout.trim(), archive.display().to_string());
    let unfinished_after_backup = walkers.iter().filter(|w| !w.is_finished()).count();
    for walker in walkers {
        assert!(walker.await.unwrap().finished, "every walk ends");
    }
    let everything = committed(&app.storage).await;
    let leftovers: Vec<_> = std::fs::read_dir(archive.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["kipp.zip"], "no temporary file is left");

    let manifest = manifest_of(&archive);
    assert_eq!(manifest.format, "kipp-bot-backup");
    assert_eq!(
        manifest.dialog_version.as_deref(),
        Some(kipp2025().version())
    );
    assert!(manifest.problems.is_empty(), "{:?}", manifest.problems);

    // Restore into a fresh, empty folder.
    let target_dir = tempfile::tempdir().unwrap();
    let target = DataFolder::inside(target_dir.path());
    let summary = succeeded(&restore(&target, &archive).await);
    assert!(summary.contains("innovation(s)"), "{summary}");
    assert!(summary.contains("evidence file(s)"), "{summary}");
    let entry = |name: &str| {
        manifest
            .entries
            .iter()
            .find(|entry| entry.name == name)
            .unwrap_or_else(|| panic!("{name} in the manifest"))
    };
    let database = std::fs::read(&target.database).unwrap();
    assert_eq!(
        sha256_hex(&database),
        entry(DATABASE).sha256,
        "the database is restored byte for byte"
    );

    let restored = Storage::connect(&target.url()).await.unwrap();
    assert_eq!(restored.integrity_check().await.unwrap(), "ok");
    let state = committed(&restored).await;
    for (key, value) in &acknowledged.answers {
        assert_eq!(
            state.answers.get(key),
            Some(value),
            "acknowledged answer {key:?}"
        );
    }
    for file in &acknowledged.evidence {
        assert!(state.evidence.contains(file), "acknowledged file {file:?}");
    }
    // Every file the restored database names is there, matching the manifest and the database.
    let references = restored.evidence_references().await.unwrap();
    assert!(!references.is_empty());
    for reference in &references {
        let bytes = std::fs::read(target.evidence.join(&reference.stored_path))
            .unwrap_or_else(|_| panic!("{} restored", reference.stored_path));
        let sha = sha256_hex(&bytes);
        assert_eq!(sha, reference.sha256, "{}", reference.stored_path);
        assert_eq!(
            sha,
            entry(&format!("{EVIDENCE_PREFIX}{}", reference.stored_path)).sha256
        );
    }
    let evidence_entries = manifest
        .entries
        .iter()
        .filter(|entry| entry.name.starts_with(EVIDENCE_PREFIX))
        .count();
    assert_eq!(
        evidence_entries,
        references.len(),
        "exactly the files named"
    );
    restored.close().await;
    println!(
        "backup: answers acknowledged before={} in backup={} at the end={} files in backup={} \
         walkers still answering after the backup={unfinished_after_backup} archive_bytes={} \
         backup_seconds={:.2}",
        acknowledged.answers.len(),
        state.answers.len(),
        everything.answers.len(),
        evidence_entries,
        std::fs::metadata(&archive).unwrap().len(),
        backup_time.as_secs_f64()
    );

    // The bot runs on the restored copy and shows what was restored. It goes on where the
    // backup left off, on the same Telegram (the update ids go on), as after a move to a new
    // server; the old one is stopped first.
    app.stop().await;
    let fake = app.fake.clone();
    let log = std::fs::File::create(target_dir.path().join("bot.log")).unwrap();
    let _bot = Running(
        kipp_bot(&target)
            .env("TELOXIDE_TOKEN", TOKEN)
            .env("TELOXIDE_API_URL", &fake.url)
            .env("DIGEST_TIME", "23:59")
            .env("QUIET_HOURS", "off")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("the bot starts on the restored copy"),
    );
    let title = acknowledged
        .answers
        .iter()
        .find(|((_, question, _), _)| question == "judul")
        .map(|(_, value)| match value {
            AnswerValue::Text { text } => text.clone(),
            other => panic!("the title is a text, not {other:?}"),
        })
        .expect("a title was acknowledged before the backup");
    let reader = &staff[0];
    fake.send_text(reader, "/list");
    let until = Instant::now() + Duration::from_secs(120);
    loop {
        let left = until.saturating_duration_since(Instant::now());
        let sent = fake
            .try_next_message(reader.id, left)
            .await
            .unwrap_or_else(|| {
                let log = std::fs::read_to_string(target_dir.path().join("bot.log"));
                panic!("/list is not answered on the restored copy; the bot's log:\n{log:?}")
            });
        // Messages still queued in the restored outbox may come first.
        if sent.text.contains(&format!("<b>{}</b>", esc(&title))) {
            break;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_refuses_a_filled_folder_a_flipped_byte_and_an_unsafe_name() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("UPT-ACEH", "UPT Aceh").await;
    let staff = app.add_people(2101, 1, Role::Staff, Some(&unit)).await;
    assert!(walk(&app.fake, staff[0].clone()).await.unwrap().finished);
    let work = tempfile::tempdir().unwrap();
    let archive = work.path().join("kipp.zip");
    succeeded(&backup(&DataFolder::of(&app), &archive).await);

    // A folder with a database in it is refused, and left as it was.
    let filled_dir = tempfile::tempdir().unwrap();
    let filled = DataFolder::inside(filled_dir.path());
    succeeded(&restore(&filled, &archive).await);
    let before = tree(filled_dir.path());
    let error = refused(&restore(&filled, &archive).await);
    assert!(
        error.contains(&filled.database.display().to_string()) && error.contains("already exists"),
        "{error}"
    );
    assert_eq!(tree(filled_dir.path()), before, "nothing changed");
    // So is an evidence folder with something in it, even without a database.
    let stray_dir = tempfile::tempdir().unwrap();
    let stray = DataFolder::inside(stray_dir.path());
    std::fs::create_dir_all(&stray.evidence).unwrap();
    std::fs::write(stray.evidence.join("catatan.txt"), b"milik orang lain").unwrap();
    let before = tree(stray_dir.path());
    let error = refused(&restore(&stray, &archive).await);
    assert!(
        error.contains(&stray.evidence.display().to_string()) && error.contains("not empty"),
        "{error}"
    );
    assert_eq!(tree(stray_dir.path()), before, "nothing changed");

    // One flipped byte, in the database, in an evidence file or in the manifest, is refused
    // before anything is written.
    let bytes = std::fs::read(&archive).unwrap();
    let manifest = manifest_of(&archive);
    let evidence = manifest
        .entries
        .iter()
        .find(|entry| entry.name.starts_with(EVIDENCE_PREFIX))
        .expect("an evidence file in the backup");
    for name in [DATABASE, evidence.name.as_str(), MANIFEST] {
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let entry = zip.by_name(name).unwrap();
        let start = entry.data_start().expect("the entry's data offset");
        let offset = usize::try_from(start + entry.compressed_size() / 2).unwrap();
        drop(entry);
        let mut flipped = bytes.clone();
        flipped[offset] ^= 0x01;
        let damaged = work.path().join("damaged.zip");
        std::fs::write(&damaged, &flipped).unwrap();
        let empty_dir = tempfile::tempdir().unwrap();
        let error = refused(&restore(&DataFolder::inside(empty_dir.path()), &damaged).await);
        assert!(
            error.contains("damaged") && error.contains(&damaged.display().to_string()),
            "{name}: {error}"
        );
        assert!(tree(empty_dir.path()).is_empty(), "{name}: nothing written");
    }

    // An entry that would land outside the evidence folder (zip-slip) is refused, even with a
    // matching manifest.
    let evil = b"owned".to_vec();
    let slip = work.path().join("slip.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&slip).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    let mut crafted = manifest.clone();
    crafted.entries.push(kipp_bot::backup::ManifestEntry {
        name: "evidence/../../evil.txt".into(),
        size: evil.len() as u64,
        sha256: sha256_hex(&evil),
    });
    let mut original = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    for entry in &manifest.entries {
        zip.raw_copy_file(original.by_name(&entry.name).unwrap())
            .unwrap();
    }
    zip.start_file("evidence/../../evil.txt", options).unwrap();
    zip.write_all(&evil).unwrap();
    zip.start_file(MANIFEST, options).unwrap();
    zip.write_all(&serde_json::to_vec(&crafted).unwrap())
        .unwrap();
    zip.finish().unwrap();
    let empty_dir = tempfile::tempdir().unwrap();
    let error = refused(&restore(&DataFolder::inside(empty_dir.path()), &slip).await);
    assert!(error.contains("evil.txt"), "{error}");
    assert!(tree(empty_dir.path()).is_empty(), "nothing written");
    assert!(!empty_dir.path().join("evil.txt").exists());
}
