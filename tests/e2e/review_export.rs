//! The bureau's end of the pipeline: review (send back with comments, fix, resubmit, approve),
//! selection under the cap, and the exports opened as a person would open them.

use std::{
    collections::HashMap,
    io::{Cursor, Read},
    process::Command,
};

use calamine::{Reader, Xlsx, open_workbook_from_rs};
use chrono::{Duration, Utc};
use kipp_bot::{
    bot::texts::{self, esc},
    clock::Clock,
    dialog::{Conversation, Progress},
    domain::{AnswerValue, InnovationState, Lang, Role, Transition},
    storage::{CampaignDate, ConversationWrite, Selection, Storage, Unit},
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{
    fake_telegram::{Sent, TgUser},
    helpers::{TestApp, repo_path},
    questionnaire::{Staff, kipp2025},
};

const TITLE: &str = "LAYAR KACA Layanan Perpustakaan Keliling";

/// Files a walked innovation holds: (question, file name, bytes).
pub(crate) type Files = Vec<(&'static str, &'static str, Vec<u8>)>;

fn pdf(label: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {label}\n{}\n", "x".repeat(label.len() * 7)).into_bytes()
}

/// Walks the whole KIPP 2025 dialog with short answers; returns the uploaded files.
pub(crate) async fn complete_innovation(staff: &mut Staff, title: &str) -> Files {
    staff.say("/new").await;
    staff.expect("judul");
    staff.say(title).await;
    staff.press("Umum").await;
    staff.press("8.").await;
    staff.press("4.").await;
    staff.press("Selesai").await;
    staff.say("2022-03-01").await;
    staff.expect("aplikasi_spbe");
    staff.press("Tidak").await;
    staff.narratives().await;
    staff.expect("nama_metrik");
    for answer in [
        "Waktu layanan",
        "menit",
        "45",
        "10,5",
        "Jan-Des 2024",
        "Laporan SIMPUS",
    ] {
        staff.say(answer).await;
    }
    staff.press("Ya, tambah").await;
    for answer in [
        "Jumlah pemustaka",
        "orang",
        "1.200",
        "3.400",
        "2024",
        "Buku tamu",
    ] {
        staff.say(answer).await;
    }
    staff.press("Tidak, lanjut").await;
    staff.say("12.500").await;
    staff.press("Lewati").await;
    for (name, role, quote) in [
        (
            "Ibu Sari",
            "Pemustaka",
            "Sekarang anak saya bisa pinjam buku.",
        ),
        ("Pak Budi", "Guru", "Murid kami lebih sering membaca."),
    ] {
        staff.expect("nama_pemberi_testimoni");
        staff.say(name).await;
        staff.say(role).await;
        staff.say(quote).await;
        staff.press("Ya").await;
    }
    staff.press("Tidak, lanjut").await;
    staff.expect("tahun_tonggak");
    staff.say("2022").await;
    staff
        .say("Layanan dimulai di tiga perpustakaan desa.")
        .await;
    let tonggak = pdf("laporan tonggak 2022");
    staff.expect("bukti_tonggak");
    staff
        .document(&tonggak, "Laporan 2022.pdf", "application/pdf")
        .await;
    staff.press("Selesai").await;
    staff.press("Tidak, lanjut").await;
    staff.expect("pernah_ikut_kipp");
    staff.press("Tidak").await;
    staff.expect("ada_replikasi");
    staff.press("Tidak").await;
    let files: Files = vec![
        ("dasar_hukum", "SK Kepala.pdf", pdf("SK Kepala Perpusnas")),
        ("sk_inovator", "SK Tim.pdf", pdf("SK tim inovator")),
        (
            "pernyataan_implementasi",
            "Implementasi.pdf",
            pdf("pernyataan implementasi"),
        ),
        ("pernyataan_identitas", "Identitas.pdf", pdf("identitas")),
        ("kesediaan_replikasi", "Kesediaan.pdf", pdf("kesediaan")),
        (
            "laporan_evaluasi",
            "Laporan 2024.pdf",
            pdf("laporan evaluasi 2024"),
        ),
    ];
    for (question, name, bytes) in &files {
        staff.expect(question);
        staff.document(bytes, name, "application/pdf").await;
        staff.press("Selesai").await;
    }
    staff.expect("foto");
    staff.press("Lewati").await;
    staff.say("https://youtu.be/dQw4w9WgXcQ").await;
    staff.expect("data_pendukung");
    let data = pdf("data pendukung pengunjung");
    staff
        .document(&data, "Data pengunjung.pdf", "application/pdf")
        .await;
    staff.press("Selesai").await;
    staff.say("Dr. Ahmad Wijaya").await;
    staff.say("Kepala Pusat Data dan Informasi").await;
    staff.say("0812 3456 7890").await;
    staff.say("ahmad.wijaya@perpusnas.go.id").await;
    staff.press("Ya").await;
    staff.expect("jenis_inovator");
    staff.press("Perorangan").await;
    staff.say("Rina Marlina, S.IPI.").await;
    staff.say("Pustakawan Ahli Madya").await;
    staff.say("0813 1111 2222").await;
    staff.expect("narahubung");
    staff.next().await;
    staff
        .send(
            serde_json::json!({ "contact": { "phone_number": "+62 813-1111-2222",
            "first_name": "Dewi", "last_name": "Lestari", "user_id": 42 } }),
        )
        .await;
    let done = staff.next().await;
    assert!(
        done.text.contains(texts::all_answered(Lang::Id).as_str()),
        "{}",
        done.text
    );
    let mut files = files;
    files.push(("data_pendukung", "Data pengunjung.pdf", data));
    files.push(("bukti_tonggak", "Laporan 2022.pdf", tonggak));
    files
}

/// Reads the bot's messages to `user` until one has a button containing `label`.
async fn until_button(app: &TestApp, user: &TgUser, label: &str) -> Sent {
    for _ in 0..40 {
        let sent = app.fake.next_message(user.id).await;
        if sent.button(label).is_some() {
            return sent;
        }
    }
    panic!("no message with a {label:?} button");
}

/// Reads whatever the bot still has to say to `user`.
async fn drain(app: &TestApp, user: &TgUser) {
    while app
        .fake
        .try_next_message(user.id, std::time::Duration::from_millis(500))
        .await
        .is_some()
    {}
}

async fn press(app: &TestApp, user: &TgUser, on: &Sent, label: &str) -> Sent {
    let data = on
        .button(label)
        .unwrap_or_else(|| panic!("no {label:?} under {}", on.text))
        .data
        .clone();
    app.fake.press(user, on, &data);
    app.fake.next_message(user.id).await
}

/// `/export FORMAT` (typed or pressed): the "preparing" note, then the document.
async fn document_after(app: &TestApp, user: &TgUser) -> (String, Vec<u8>) {
    let working = app.fake.next_message(user.id).await;
    assert_eq!(working.text, texts::export_working(Lang::Id));
    let sent = app.fake.next_message(user.id).await;
    sent.document
        .unwrap_or_else(|| panic!("a document, got: {}", sent.text))
}

fn unzip(bytes: &[u8]) -> HashMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a ZIP archive");
    let mut entries = HashMap::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        entries.insert(entry.name().expect("a UTF-8 name").into_owned(), content);
    }
    entries
}

fn xlsx_cells(bytes: Vec<u8>) -> Vec<String> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an XLSX file");
    let mut cells = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).expect("a sheet");
        for row in range.rows() {
            cells.extend(row.iter().map(ToString::to_string));
        }
    }
    cells
}

fn text_answers(answers: &[(String, i64, Value)]) -> Vec<String> {
    answers
        .iter()
        .filter_map(|(_, _, value)| value["text"].as_str().map(str::to_owned))
        .collect()
}

async fn stored_answers(storage: &Storage, id: i64) -> Vec<(String, i64, Value)> {
    storage
        .answers(id)
        .await
        .unwrap()
        .into_iter()
        .map(|row| {
            (
                row.question_id,
                i64::from(row.item),
                // As the JSON export writes it.
                serde_json::to_value(&row.value).unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_export_holds_every_answer_metric_and_file() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let mut staff = Staff::register(&app, 2001, "Rina", &unit).await;
    let files = complete_innovation(&mut staff, TITLE).await;
    let submitted = staff.say("/submit 1").await;
    assert_eq!(submitted.text, texts::submitted(Lang::Id, 1));
    let bureau = app.bureau().await;
    let answers = stored_answers(&app.storage, 1).await;
    let evidence = app.storage.evidence(1).await.unwrap();
    assert_eq!(evidence.len(), files.len());
    let dialog = kipp2025();

    // JSON: every stored answer, as stored; metrics; every file's checksum.
    app.fake.send_text(&bureau, "/export json");
    let (name, json) = document_after(&app, &bureau).await;
    assert!(name.ends_with(".json"), "{name}");
    let json: Value = serde_json::from_slice(&json).unwrap();
    let innovation = &json["innovations"][0];
    assert_eq!(json["innovations"].as_array().unwrap().len(), 1);
    assert_eq!(innovation["title"], TITLE);
    assert_eq!(innovation["state"], "submitted");
    assert_eq!(innovation["percent_complete"], 100);
    for (question, item, value) in &answers {
        let exported = if dialog.group_of(question).is_some() {
            &innovation["answers"][question][*item as usize]
        } else {
            &innovation["answers"][question]
        };
        assert_eq!(exported, value, "{question}[{item}]");
    }
    // Every group's items: two metrics first, then the testimonials and the milestone.
    let metrics = innovation["metrics"].as_array().unwrap();
    assert_eq!(metrics.len(), 5);
    assert_eq!(metrics[1]["group"], "metrik");
    assert_eq!(metrics[4]["group"], "tonggak");
    assert_eq!(metrics[0]["values"]["nilai_sebelum"]["value"], 45.0);
    assert_eq!(metrics[0]["values"]["nilai_sesudah"]["value"], 10.5);
    assert_eq!(metrics[1]["values"]["nilai_sesudah"]["value"], 3400.0);
    let exported_files = innovation["evidence"].as_array().unwrap();
    for (question, name, bytes) in &files {
        let sha = hex::encode(Sha256::digest(bytes));
        let file = exported_files
            .iter()
            .find(|file| file["sha256"] == sha.as_str())
            .unwrap_or_else(|| panic!("{question} in the JSON"));
        assert_eq!(file["question_id"], *question);
        assert_eq!(file["original_name"], *name);
        assert_eq!(file["size_bytes"], bytes.len());
    }
    assert_eq!(innovation["history"][0]["to"], "submitted");

    // XLSX through the buttons.
    let menu = app.say(&bureau, "/export").await;
    assert!(
        menu.text
            .contains(texts::export_choose(Lang::Id, "semua unit").as_str())
    );
    let data = menu.button("XLSX").unwrap().data.clone();
    app.fake.press(&bureau, &menu, &data);
    let (name, xlsx) = document_after(&app, &bureau).await;
    assert!(name.ends_with(".xlsx"), "{name}");
    let cells = xlsx_cells(xlsx.clone());
    for text in text_answers(&answers) {
        assert!(cells.iter().any(|cell| cell == &text), "{text} in the XLSX");
    }
    assert!(
        cells
            .iter()
            .any(|cell| cell.contains("Rina: ") && cell.contains("2026-05-05")),
        "the state history in the XLSX"
    );
    for number in ["45", "10.5", "1200", "3400", "12500"] {
        assert!(
            cells.iter().any(|cell| cell == number),
            "{number} in the XLSX"
        );
    }
    for (_, name, bytes) in &files {
        let sha = hex::encode(Sha256::digest(bytes));
        assert!(cells.contains(&sha), "{name}'s checksum in the XLSX");
        assert!(cells.iter().any(|cell| cell == name), "{name} in the XLSX");
    }

    // CSV tables in a ZIP.
    app.fake
        .press(&bureau, &menu, &menu.button("CSV").unwrap().data);
    let (name, csv_zip) = document_after(&app, &bureau).await;
    assert!(name.ends_with("-csv.zip"), "{name}");
    let tables = unzip(&csv_zip);
    assert_eq!(tables.len(), 3, "{:?}", tables.keys());
    let csv: String = tables
        .values()
        .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    for text in text_answers(&answers) {
        assert!(csv.contains(&text), "{text} in the CSV");
    }
    for (_, _, bytes) in &files {
        assert!(csv.contains(&hex::encode(Sha256::digest(bytes))));
    }

    // The evidence archive: every file byte for byte, the spreadsheet, the proposal drafts.
    app.fake
        .press(&bureau, &menu, &menu.button("Arsip bukti").unwrap().data);
    let (name, archive) = document_after(&app, &bureau).await;
    assert!(name.ends_with("-bukti.zip"), "{name}");
    let entries = unzip(&archive);
    for (question, _, bytes) in &files {
        assert!(
            entries.values().any(|content| content == bytes),
            "{question}'s file byte for byte in the archive"
        );
    }
    let root_xlsx: Vec<_> = entries
        .keys()
        .filter(|name| !name.contains('/') && name.ends_with(".xlsx"))
        .collect();
    assert_eq!(root_xlsx.len(), 1, "{:?}", entries.keys());
    assert!(entries.keys().any(|name| name.ends_with("proposal.docx")));
    assert!(entries.keys().any(|name| name.ends_with("proposal.md")));

    // The proposal draft: DOCX and Markdown.
    app.fake.send_text(&bureau, "/proposal 1");
    let docx = app.fake.next_message(bureau.id).await;
    let (docx_name, docx) = docx.document.expect("the DOCX");
    assert_eq!(docx_name, "proposal-1.docx");
    let markdown = app.fake.next_message(bureau.id).await;
    let (md_name, markdown) = markdown.document.expect("the Markdown");
    assert_eq!(md_name, "proposal-1.md");
    let document_xml = String::from_utf8(unzip(&docx)["word/document.xml"].clone()).unwrap();
    let markdown = String::from_utf8(markdown).unwrap();
    for text in text_answers(&answers) {
        assert!(markdown.contains(&text), "{text} in the Markdown");
    }
    for expected in [TITLE, "Jawaban untuk signifikansi.", "Waktu layanan"] {
        assert!(document_xml.contains(expected), "{expected} in the DOCX");
    }

    // Each export is in the audit log: who, which format, which scope.
    let audit = app.storage.recent_audit(500).await.unwrap();
    let exports: Vec<_> = audit.iter().filter(|e| e.action == "export").collect();
    assert_eq!(exports.len(), 5, "{exports:?}");
    let bureau_id = app
        .storage
        .user_by_telegram_id(bureau.id)
        .await
        .unwrap()
        .unwrap()
        .id;
    assert!(exports.iter().all(|e| e.actor_user_id == Some(bureau_id)));
    for format in ["json", "xlsx", "csv", "zip", "proposal"] {
        assert!(
            exports.iter().any(|e| e
                .details
                .as_deref()
                .is_some_and(|d| d.contains(&format!("format={format}")))),
            "{format} audited"
        );
    }
    assert!(exports.iter().any(|e| e.target.as_deref() == Some("all")));
    // Nothing is left behind on the server once a file is sent.
    let leftovers = std::fs::read_dir(app.data_dir().join("exports"))
        .map(|dir| dir.count())
        .unwrap_or(0);
    assert_eq!(leftovers, 0);
}

/// An innovation with only a title, made straight through the storage.
async fn quick_innovation(app: &TestApp, unit: &Unit, author: &TgUser, title: &str) -> i64 {
    let user = app
        .storage
        .user_by_telegram_id(author.id)
        .await
        .unwrap()
        .expect("registered");
    let now = app.clock.now();
    let id = app
        .storage
        .create_innovation(
            unit.id,
            user.id,
            kipp2025().version(),
            None,
            |id| Conversation::at(id, kipp2025().first_missing(&Progress::default())),
            now,
        )
        .await
        .unwrap();
    let kipp_bot::storage::Created::Innovation(id) = id else {
        panic!("created");
    };
    let value = AnswerValue::Text {
        text: title.to_owned(),
    };
    app.storage
        .save_answer(
            id,
            "judul",
            0,
            &value,
            ConversationWrite {
                user_id: user.id,
                state: None,
                update_id: None,
            },
            now,
        )
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn a_coordinator_exports_only_their_unit_and_staff_are_refused() {
    let app = TestApp::spawn().await;
    let pusdatin = app.add_unit("PUSDATIN", "Pusat Data").await;
    let aceh = app.add_unit("UPT-ACEH", "UPT Aceh").await;
    let rina = TgUser::new(2101, "Rina");
    app.register(&rina, Role::Staff, Some(&pusdatin)).await;
    let fajar = TgUser::new(2102, "Fajar");
    app.register(&fajar, Role::Staff, Some(&aceh)).await;
    let coordinator = TgUser::new(2103, "Pak Dedi");
    app.register(&coordinator, Role::Coordinator, Some(&pusdatin))
        .await;
    quick_innovation(&app, &pusdatin, &rina, "Pojok Data Terbuka").await;
    let secret = quick_innovation(&app, &aceh, &fajar, "Rahasia Aceh").await;

    app.fake.send_text(&coordinator, "/export json");
    let (name, json) = document_after(&app, &coordinator).await;
    assert!(name.contains("PUSDATIN"), "{name}");
    let json: Value = serde_json::from_slice(&json).unwrap();
    let units: Vec<&str> = json["innovations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["unit"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(units, ["PUSDATIN"]);

    let menu = app.say(&coordinator, "/export").await;
    assert!(menu.text.contains("Pusat Data"), "{}", menu.text);
    app.fake
        .press(&coordinator, &menu, &menu.button("XLSX").unwrap().data);
    let (_, xlsx) = document_after(&app, &coordinator).await;
    let cells = xlsx_cells(xlsx);
    assert!(cells.iter().any(|c| c == "Pojok Data Terbuka"));
    assert!(!cells.iter().any(|c| c.contains("Rahasia")));
    app.fake
        .press(&coordinator, &menu, &menu.button("Arsip").unwrap().data);
    let (_, archive) = document_after(&app, &coordinator).await;
    assert!(
        unzip(&archive)
            .keys()
            .all(|name| !name.contains("UPT-ACEH"))
    );
    let audit = app.storage.recent_audit(100).await.unwrap();
    assert!(
        audit
            .iter()
            .filter(|e| e.action == "export")
            .all(|e| e.target.as_deref() == Some("unit=PUSDATIN"))
    );

    let refused = app.say(&coordinator, &format!("/proposal {secret}")).await;
    assert_eq!(refused.text, texts::innovation_not_found(Lang::Id));

    // Staff: a polite refusal, for the command and for a forged button alike.
    let refused = app.say(&rina, "/export").await;
    assert_eq!(refused.text, texts::not_allowed(Lang::Id, "export"));
    app.fake.press(&rina, &menu, "ex:json");
    let refused = app.fake.next_message(rina.id).await;
    assert_eq!(refused.text, texts::button_not_allowed(Lang::Id));
    // A stranger reaches nothing.
    let stranger = TgUser::new(2199, "Orang Asing");
    let refused = app.say(&stranger, "/export json").await;
    assert_eq!(refused.text, texts::stranger(Lang::Id));
    assert!(
        app.fake
            .all_sent()
            .iter()
            .filter(|sent| sent.chat_id != coordinator.id && sent.chat_id != BUREAU)
            .all(|sent| sent.document.is_none())
    );
}

const BUREAU: i64 = crate::helpers::BUREAU_ID;

#[tokio::test]
async fn sent_back_fixed_resubmitted_approved_and_selected() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let coordinator = TgUser::new(2203, "Pak Dedi");
    app.register(&coordinator, Role::Coordinator, Some(&unit))
        .await;
    let mut staff = Staff::register(&app, 2201, "Rina", &unit).await;
    complete_innovation(&mut staff, TITLE).await;
    staff.say("/submit 1").await;
    let notice = app.fake.next_message(coordinator.id).await;
    assert!(notice.text.contains("#1"), "{}", notice.text);
    let now = app.clock.now();
    app.storage
        .set_campaign_date(
            CampaignDate::NationalClose,
            Some(now + Duration::days(30)),
            None,
            now,
        )
        .await
        .unwrap();

    // The coordinator sends it back with a comment on Signifikansi.
    app.fake.send_text(&coordinator, "/review 1");
    let panel = until_button(&app, &coordinator, "Kembalikan").await;
    assert!(panel.button("Setujui").is_some());
    let compose = press(&app, &coordinator, &panel, "Kembalikan").await;
    let nothing = press(&app, &coordinator, &compose, "Batal").await;
    assert_eq!(nothing.text, texts::send_back_cancelled(Lang::Id));
    let compose = press(&app, &coordinator, &panel, "Kembalikan").await;
    assert!(compose.button("Kirim ke unit").is_none(), "no comment yet");
    let ask = press(&app, &coordinator, &compose, "💬 Signifikansi").await;
    assert_eq!(ask.text, texts::write_comment_for(Lang::Id, "Signifikansi"));
    // A restart between picking the question and typing the comment loses nothing.
    let mut app = app;
    app.restart().await;
    let saved = app
        .say(&coordinator, "Signifikansi: tambahkan data sebelum/sesudah")
        .await;
    assert_eq!(saved.text, texts::comment_saved(Lang::Id, "Signifikansi"));
    let compose = app.fake.next_message(coordinator.id).await;
    assert!(compose.text.contains("tambahkan data sebelum/sesudah"));
    let sent = press(&app, &coordinator, &compose, "Kirim ke unit (1").await;
    assert_eq!(sent.text, texts::sent_back_ok(Lang::Id, 1, 1));
    let innovation = app.storage.innovation(1).await.unwrap().unwrap();
    assert_eq!(innovation.state, InnovationState::Returned);

    // The staff member is told at once, with a button that opens the question.
    let returned = staff.next().await;
    assert!(
        returned
            .text
            .contains(&esc("Signifikansi: tambahkan data sebelum/sesudah")),
        "{}",
        returned.text
    );
    assert!(returned.text.contains("Pak Dedi"));
    let question = staff.press("✏️ Signifikansi").await;
    staff.expect("signifikansi");
    assert!(
        question.text.contains(
            texts::reviewer_comment(
                Lang::Id,
                "Pak Dedi",
                "Signifikansi: tambahkan data sebelum/sesudah"
            )
            .as_str()
        ),
        "{}",
        question.text
    );
    // /review shows it beside the question too.
    staff.say("/review 1").await;
    let mut beside = false;
    loop {
        let message = staff.next().await;
        beside |= message.text.contains("Catatan peninjau");
        if message.text.starts_with('✅') || message.text.starts_with("Yang belum") {
            break;
        }
    }
    assert!(beside, "the comment shows in /review");
    assert_eq!(app.storage.open_review_comments(1).await.unwrap().len(), 1);

    // Answering the question again resolves the comment.
    staff.last = Some(question);
    let fixed = format!(
        "Waktu layanan turun dari 3 hari (2023) menjadi 2 jam (2024). {}",
        crate::questionnaire::words(50)
    );
    staff.long_text("signifikansi", &fixed).await;
    assert!(
        app.storage
            .open_review_comments(1)
            .await
            .unwrap()
            .is_empty()
    );
    drain(&app, &staff.user).await;
    let resubmitted = staff.say("/submit 1").await;
    assert_eq!(resubmitted.text, texts::submitted(Lang::Id, 1));
    app.fake.next_message(coordinator.id).await;
    let told = app.fake.next_message(coordinator.id).await;
    assert_eq!(
        told.text,
        texts::resubmitted_notice(Lang::Id, 1, TITLE, "Rina")
    );

    // Staff cannot review, even with a forged button; the coordinator cannot select.
    app.fake.press(&staff.user, &told, "ap:1");
    let refused = staff.next().await;
    assert_eq!(refused.text, texts::button_not_allowed(Lang::Id));
    let refused = app.say(&coordinator, "/select 1").await;
    assert_eq!(refused.text, texts::not_allowed(Lang::Id, "select"));

    // The bureau approves and selects.
    let bureau = app.bureau().await;
    app.fake.send_text(&bureau, "/review 1");
    let panel = until_button(&app, &bureau, "Setujui").await;
    assert!(panel.text.contains("Pak Dedi"), "history: {}", panel.text);
    let approved = press(&app, &bureau, &panel, "Setujui").await;
    assert_eq!(approved.text, texts::approved_ok(Lang::Id, 1));
    let staff_told = staff.next().await;
    assert!(staff_told.text.contains("disetujui"), "{}", staff_told.text);
    let stale = press(&app, &bureau, &panel, "Setujui").await;
    assert_eq!(
        stale.text,
        texts::not_reviewable(Lang::Id, InnovationState::Approved)
    );
    let selected = app.say(&bureau, "/select 1").await;
    assert_eq!(selected.text, texts::selected_ok(Lang::Id, 1, 1, 15));

    // Every change is kept with who and when, and shows in /list.
    let events = app.storage.innovation_events(1).await.unwrap();
    let path: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (e.to.as_str(), e.actor_name.as_str()))
        .collect();
    assert_eq!(
        path,
        [
            ("submitted", "Rina"),
            ("returned", "Pak Dedi"),
            ("submitted", "Rina"),
            ("approved", "Bu Rina"),
            ("selected", "Bu Rina"),
        ]
    );
    assert!(
        events[1]
            .comment
            .as_deref()
            .is_some_and(|c| c.contains("tambahkan data"))
    );
    let list = app.say(&bureau, "/list").await;
    assert!(
        list.text
            .contains(texts::state_name(Lang::Id, InnovationState::Selected)),
        "{}",
        list.text
    );
    assert!(list.text.contains("oleh Bu Rina"), "{}", list.text);

    // A selected innovation is not reopened behind the bureau's back: the coordinator is told
    // who can, and nothing changes; the bureau takes the selection back first.
    let refused = app.say(&coordinator, "/reopen 1").await;
    assert_eq!(refused.text, texts::reopen_selected(Lang::Id, 1, false));
    let refused = app.say(&bureau, "/reopen 1").await;
    assert_eq!(refused.text, texts::reopen_selected(Lang::Id, 1, true));
    let still = app.storage.innovation(1).await.unwrap().unwrap();
    assert_eq!(still.state, InnovationState::Selected);
    app.say(&bureau, "/unselect 1").await;
    let reopened = app.say(&coordinator, "/reopen 1").await;
    assert_eq!(reopened.text, texts::reopened(Lang::Id, 1));
}

#[tokio::test]
async fn a_sixteenth_selection_is_refused_with_the_cap_named() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data").await;
    let rina = TgUser::new(2301, "Rina");
    app.register(&rina, Role::Staff, Some(&unit)).await;
    let bureau = app.bureau().await;
    let bureau_id = app
        .storage
        .user_by_telegram_id(bureau.id)
        .await
        .unwrap()
        .unwrap()
        .id;
    let now = app.clock.now();
    // The dialog file's national close (2025) has passed: selection is closed.
    let id = quick_innovation(&app, &unit, &rina, "Inovasi 1").await;
    for transition in [Transition::Submit, Transition::Approve] {
        app.storage
            .change_innovation_state(id, transition, bureau_id, None, now)
            .await
            .unwrap();
    }
    let closed = app.say(&bureau, &format!("/select {id}")).await;
    assert!(closed.text.contains("2025"), "{}", closed.text);
    app.storage
        .set_campaign_date(
            CampaignDate::NationalClose,
            Some(now + Duration::days(7)),
            None,
            now,
        )
        .await
        .unwrap();

    let mut ids = vec![id];
    for n in 2..=16 {
        let id = quick_innovation(&app, &unit, &rina, &format!("Inovasi {n}")).await;
        for transition in [Transition::Submit, Transition::Approve] {
            app.storage
                .change_innovation_state(id, transition, bureau_id, None, now)
                .await
                .unwrap();
        }
        ids.push(id);
    }
    for id in &ids[..15] {
        assert_eq!(
            app.storage
                .select_innovation(*id, bureau_id, 15, now)
                .await
                .unwrap(),
            Selection::Selected
        );
    }
    let refused = app.say(&bureau, &format!("/select {}", ids[15])).await;
    assert_eq!(refused.text, texts::select_cap_reached(Lang::Id, 15));
    assert!(refused.text.contains("15"));
    assert_eq!(app.storage.selected_count().await.unwrap(), 15);

    // Taking one back makes room, until the deadline.
    let taken_back = app.say(&bureau, &format!("/unselect {}", ids[0])).await;
    assert_eq!(taken_back.text, texts::unselected_ok(Lang::Id, ids[0]));
    let selected = app.say(&bureau, &format!("/select {}", ids[15])).await;
    assert_eq!(selected.text, texts::selected_ok(Lang::Id, ids[15], 15, 15));
    app.clock.advance(Duration::days(8));
    let closed = app.say(&bureau, &format!("/unselect {}", ids[15])).await;
    assert!(closed.text.starts_with("Batas waktu"), "{}", closed.text);
    assert_eq!(app.storage.selected_count().await.unwrap(), 15);
}

#[tokio::test]
async fn concurrent_selections_never_pass_the_cap() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data").await;
    let rina = TgUser::new(2401, "Rina");
    app.register(&rina, Role::Staff, Some(&unit)).await;
    let bureau = app.bureau().await;
    let bureau_id = app
        .storage
        .user_by_telegram_id(bureau.id)
        .await
        .unwrap()
        .unwrap()
        .id;
    let now = Utc::now();
    let mut ids = Vec::new();
    for n in 0..20 {
        let id = quick_innovation(&app, &unit, &rina, &format!("Inovasi {n}")).await;
        for transition in [Transition::Submit, Transition::Approve] {
            app.storage
                .change_innovation_state(id, transition, bureau_id, None, now)
                .await
                .unwrap();
        }
        ids.push(id);
    }
    let tasks: Vec<_> = ids
        .iter()
        .map(|id| {
            let storage = app.storage.clone();
            let id = *id;
            tokio::spawn(async move { storage.select_innovation(id, bureau_id, 15, now).await })
        })
        .collect();
    let mut selected = 0;
    for task in tasks {
        if task.await.unwrap().unwrap() == Selection::Selected {
            selected += 1;
        }
    }
    assert_eq!(selected, 15);
    assert_eq!(app.storage.selected_count().await.unwrap(), 15);
}

#[tokio::test]
async fn the_command_line_exports_without_a_token() {
    let app = TestApp::spawn().await;
    let pusdatin = app.add_unit("PUSDATIN", "Pusat Data").await;
    let aceh = app.add_unit("UPT-ACEH", "UPT Aceh").await;
    let rina = TgUser::new(2501, "Rina");
    app.register(&rina, Role::Staff, Some(&pusdatin)).await;
    let fajar = TgUser::new(2502, "Fajar");
    app.register(&fajar, Role::Staff, Some(&aceh)).await;
    quick_innovation(&app, &pusdatin, &rina, "Pojok Data Terbuka").await;
    quick_innovation(&app, &aceh, &fajar, "Perpustakaan Aceh").await;
    let settings = app.settings();
    let out = app.data_dir().join("out");
    let export = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_kipp-bot"))
            .env_clear()
            .current_dir(app.data_dir())
            .env("DATABASE_URL", &settings.database_url)
            .env("EVIDENCE_DIR", &settings.evidence_dir)
            .env("DIALOG_FILE", repo_path("dialogs/kipp2025.toml"))
            .arg("export")
            .args(args)
            .output()
            .expect("kipp-bot runs")
    };
    let json_path = out.join("pusdatin.json");
    let output = export(&[
        "--format",
        "json",
        "--unit",
        "PUSDATIN",
        "--status",
        "draft",
        "--out",
        json_path.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    let titles: Vec<&str> = json["innovations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Pojok Data Terbuka"]);

    let xlsx_path = out.join("semua.xlsx");
    let output = export(&["--format", "xlsx", "--out", xlsx_path.to_str().unwrap()]);
    assert!(output.status.success());
    let cells = xlsx_cells(std::fs::read(&xlsx_path).unwrap());
    assert!(cells.iter().any(|c| c == "Perpustakaan Aceh"));
    assert!(cells.iter().any(|c| c == "Pojok Data Terbuka"));

    let output = export(&["--format", "pdf", "--out", "x.pdf"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--format"));
    let audit = app.storage.recent_audit(50).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "export"
                && e.target.as_deref() == Some("unit=PUSDATIN state=draft"))
    );
}

#[tokio::test]
async fn the_bureau_digest_and_the_spreadsheet_name_what_blocks_sinovik() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data").await;
    let rina = TgUser::new(2401, "Rina");
    app.register(&rina, Role::Staff, Some(&unit)).await;
    let bureau = app.bureau().await;
    quick_innovation(&app, &unit, &rina, "Masih Draf").await;
    let approved = quick_innovation(&app, &unit, &rina, "Pojok Data Terbuka").await;
    let author = app
        .storage
        .user_by_telegram_id(rina.id)
        .await
        .unwrap()
        .unwrap()
        .id;
    let now = app.clock.now();
    for transition in [Transition::Submit, Transition::Approve] {
        assert!(
            app.storage
                .change_innovation_state(approved, transition, author, None, now)
                .await
                .unwrap()
        );
    }

    // The digest: one line for the approved innovation, naming its first blockers.
    let dialog = kipp2025();
    let mut progress = Progress::default();
    progress.set_answer(
        kipp_bot::dialog::AnswerKey::new("judul"),
        AnswerValue::Text {
            text: "Pojok Data Terbuka".into(),
        },
    );
    let today = now.date_naive();
    let blockers: Vec<String> = dialog
        .readiness(&progress, today)
        .blockers
        .iter()
        .map(|b| b.message(&dialog, Lang::Id))
        .collect();
    assert_eq!(
        blockers.first().map(String::as_str),
        Some("Ringkasan belum diisi")
    );
    app.fake.send_text(&bureau, "/digest");
    let chart = app.fake.next_message(bureau.id).await;
    assert_eq!(chart.method, "sendphoto");
    let digest = app.fake.next_message(bureau.id).await;
    assert!(
        digest.text.contains(
            texts::digest_sinovik(
                Lang::Id,
                0,
                1,
                &[texts::digest_sinovik_line(
                    Lang::Id,
                    approved,
                    "Pojok Data Terbuka",
                    &blockers,
                    3
                )],
                0
            )
            .as_str()
        ),
        "{}",
        digest.text
    );
    assert!(
        digest.text.contains("Ringkasan belum diisi"),
        "{}",
        digest.text
    );
    assert!(!digest.text.contains("Masih Draf"), "drafts are not named");

    // The spreadsheet: "Siap SINOVIK" no, with the same blockers beside it.
    app.fake.send_text(&bureau, "/export xlsx");
    let (_, xlsx) = document_after(&app, &bureau).await;
    let cells = xlsx_cells(xlsx);
    assert!(cells.iter().any(|c| c == "Siap SINOVIK"));
    assert!(cells.iter().any(|c| c == "Kendala SINOVIK"));
    assert!(cells.contains(&blockers.join("; ")), "{cells:?}");
}
