//! Export benchmark: 1,000 innovations with 10,000 evidence files, built in a temporary database
//! through the storage API, then exported as XLSX, JSON and the evidence ZIP.
//!
//! Run with `cargo bench --bench export` (BENCH_INNOVATIONS and BENCH_FILES_PER_INNOVATION
//! change the size). Prints each phase's time and the peak resident memory (VmHWM), which is
//! reset before each phase where the kernel allows it.

// Tests and benchmarks may panic: a failed expectation is how they report.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::arithmetic_side_effects
)]

use std::path::Path;
use std::time::Instant;

use chrono::{NaiveDate, TimeZone, Utc};
use kipp_bot::{
    dialog::{Conversation, Dialog, Progress},
    domain::{AnswerValue, Lang, Transition, UnitCode, UnitName},
    export::Format,
    exporting,
    storage::{ConversationWrite, ExportRequest, NewEvidence, Storage},
};
use sha2::{Digest, Sha256};

const NARRATIVES: [&str; 12] = [
    "ringkasan",
    "latar_belakang",
    "kebaruan",
    "implementasi",
    "signifikansi",
    "sudah_direplikasi",
    "potensi_replikasi",
    "sumber_daya",
    "keberlanjutan_institusional",
    "keberlanjutan_manajerial",
    "keberlanjutan_sosial",
    "kontribusi_tpb",
];

const FILE_QUESTIONS: [(&str, u32); 6] = [
    ("dasar_hukum", 3),
    ("sk_inovator", 1),
    ("pernyataan_identitas", 1),
    ("kesediaan_replikasi", 1),
    ("laporan_evaluasi", 1),
    ("foto", 3),
];

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Peak resident set size so far, from /proc/self/status (Linux).
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// Resets VmHWM to the current RSS (writing 5 to clear_refs; Linux 4.0+).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Cheap incompressible bytes (xorshift), so the archive really copies and compresses data.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

fn words(prefix: &str, n: usize) -> String {
    (0..n)
        .map(|i| format!("{prefix}{}", i % 97))
        .collect::<Vec<_>>()
        .join(" ")
}

async fn populate(
    storage: &Storage,
    dialog: &Dialog,
    evidence_dir: &Path,
    innovations: usize,
    files_per_innovation: usize,
) -> (u64, u64) {
    let now = Utc.with_ymd_and_hms(2026, 5, 5, 1, 0, 0).unwrap();
    storage
        .ensure_bureau_admin(1, now)
        .await
        .expect("a bureau user");
    let author = storage
        .user_by_telegram_id(1)
        .await
        .unwrap()
        .expect("the bureau user")
        .id;
    let mut units = Vec::new();
    for n in 0..20 {
        let code = UnitCode::parse(&format!("UNIT{n:02}")).unwrap();
        let name = UnitName::parse(&format!("Unit Kerja {n}")).unwrap();
        units.push(storage.add_unit(&code, &name, None, now).await.unwrap());
    }
    let conversation = ConversationWrite {
        user_id: author,
        state: None,
        update_id: None,
    };
    let mut file_count = 0;
    let mut file_bytes = 0;
    for n in 0..innovations {
        let unit = &units[n % units.len()];
        let created = storage
            .create_innovation(
                unit.id,
                author,
                dialog.version(),
                None,
                |id| Conversation::at(id, dialog.first_missing(&Progress::default())),
                now,
            )
            .await
            .unwrap();
        let kipp_bot::storage::Created::Innovation(id) = created else {
            panic!("no cap");
        };
        let mut answers: Vec<(&str, u16, AnswerValue)> = vec![
            (
                "judul",
                0,
                AnswerValue::Text {
                    text: format!("Inovasi Layanan Perpustakaan Nomor {n}"),
                },
            ),
            (
                "kelompok",
                0,
                AnswerValue::Choice {
                    option: "umum".into(),
                },
            ),
            (
                "tpb",
                0,
                AnswerValue::Choices {
                    options: vec!["tpb_04".into(), "tpb_10".into()],
                },
            ),
            (
                "tanggal_mulai",
                0,
                AnswerValue::Date {
                    date: NaiveDate::from_ymd_opt(2022, 3, 1).unwrap(),
                },
            ),
            (
                "penerima_manfaat",
                0,
                AnswerValue::Integer {
                    value: 1_000 + n as i64,
                },
            ),
            (
                "video_url",
                0,
                AnswerValue::Url {
                    url: "https://youtu.be/dQw4w9WgXcQ".into(),
                },
            ),
            ("siap_presentasi", 0, AnswerValue::YesNo { value: true }),
            (
                "telepon_pimpinan",
                0,
                AnswerValue::Phone {
                    phone: "+6281234567890".into(),
                },
            ),
            (
                "email_pimpinan",
                0,
                AnswerValue::Email {
                    email: "pimpinan@perpusnas.go.id".into(),
                },
            ),
        ];
        for question in NARRATIVES {
            answers.push((
                question,
                0,
                AnswerValue::Text {
                    text: words("kata", 150),
                },
            ));
        }
        for item in 0..2u16 {
            answers.push((
                "nama_metrik",
                item,
                AnswerValue::Text {
                    text: format!("Metrik {item}"),
                },
            ));
            answers.push(("nilai_sebelum", item, AnswerValue::Number { value: 72.0 }));
            answers.push(("nilai_sesudah", item, AnswerValue::Number { value: 2.5 }));
        }
        for (question, item, value) in &answers {
            storage
                .save_answer(id, question, *item, value, conversation, now)
                .await
                .unwrap();
        }
        let mut slots = FILE_QUESTIONS
            .iter()
            .flat_map(|(question, count)| std::iter::repeat_n(*question, *count as usize))
            .cycle();
        for f in 0..files_per_innovation {
            let question = slots.next().expect("cycles");
            let len = 4_096 + (n * 31 + f * 977) % 12_288;
            let bytes = noise((n * 1_000 + f) as u64, len);
            let sha = hex::encode(Sha256::digest(&bytes));
            let relative = format!("{}/{sha}.pdf", &sha[..2]);
            let path = evidence_dir.join(&relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &bytes).unwrap();
            storage
                .add_evidence(
                    NewEvidence {
                        innovation_id: id,
                        question_id: question,
                        item: 0,
                        kind: "document",
                        original_name: Some(&format!("Bukti {f} inovasi {n}.pdf")),
                        mime_type: Some("application/pdf"),
                        size_bytes: len as u64,
                        sha256: &sha,
                        stored_path: &relative,
                        telegram_file_unique_id: None,
                    },
                    author,
                    conversation,
                    now,
                )
                .await
                .unwrap();
            file_count += 1;
            file_bytes += len as u64;
        }
        let _ = storage
            .change_innovation_state(id, Transition::Submit, author, None, now)
            .await
            .unwrap();
    }
    (file_count, file_bytes)
}

fn main() {
    let innovations = env_usize("BENCH_INNOVATIONS", 1_000);
    let files_per_innovation = env_usize("BENCH_FILES_PER_INNOVATION", 10);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let evidence_dir = dir.path().join("evidence");
    let dialog = Dialog::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/dialogs/kipp2025.toml"
    ))
    .expect("kipp2025.toml loads");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let database_url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let storage = runtime.block_on(Storage::connect(&database_url)).unwrap();

    println!("export benchmark: {innovations} innovations × {files_per_innovation} evidence files");
    let start = Instant::now();
    let (files, bytes) = runtime.block_on(populate(
        &storage,
        &dialog,
        &evidence_dir,
        innovations,
        files_per_innovation,
    ));
    println!(
        "{:<28} {:>8.2} s   ({files} files, {:.1} MB of evidence)",
        "populate (storage API)",
        start.elapsed().as_secs_f64(),
        bytes as f64 / 1_048_576.0
    );

    reset_peak();
    let start = Instant::now();
    let set = runtime
        .block_on(storage.export_set(&ExportRequest {
            dialog: &dialog,
            timezone: chrono_tz::Asia::Jakarta,
            evidence_dir: &evidence_dir,
            unit_id: None,
            state: None,
            innovation_id: None,
            lang: Lang::Id,
            now: Utc::now(),
        }))
        .unwrap();
    println!(
        "{:<28} {:>8.2} s   peak RSS {:>7.1} MB",
        "build ExportSet (SQL)",
        start.elapsed().as_secs_f64(),
        peak_rss_mb()
    );
    assert_eq!(set.innovations.len(), innovations);

    for format in [Format::Xlsx, Format::Json, Format::Csv, Format::Zip] {
        reset_peak();
        let path = dir.path().join(exporting::file_name(
            format,
            &set,
            &exporting::Scope::default(),
        ));
        let start = Instant::now();
        exporting::write_file(format, &set, &dialog, Lang::Id, &path).unwrap();
        let elapsed = start.elapsed().as_secs_f64();
        let size = std::fs::metadata(&path).unwrap().len();
        println!(
            "{:<28} {:>8.2} s   peak RSS {:>7.1} MB   {:>9.2} MB file",
            format!("write {}", exporting::format_name(format)),
            elapsed,
            peak_rss_mb(),
            size as f64 / 1_048_576.0
        );
    }
    runtime.block_on(storage.close());
}
