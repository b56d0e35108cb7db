//! One staff member walks the whole KIPP 2025 questionnaire through the fake Telegram.

use std::collections::HashMap;

use kipp_bot::{
    bot::texts::{self, esc},
    dialog::Dialog,
    domain::{AnswerValue, Lang, Role},
    storage::Unit,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::{
    fake_telegram::{FakeTelegram, Sent, TgUser},
    helpers::{TestApp, repo_path},
    simulation::long_enough,
};

pub fn kipp2025() -> Dialog {
    Dialog::load(repo_path("dialogs/kipp2025.toml")).expect("kipp2025.toml loads")
}

/// A staff member in a conversation with the bot.
pub struct Staff {
    pub fake: FakeTelegram,
    pub user: TgUser,
    pub dialog: Dialog,
    /// The last message the bot sent to this person.
    pub last: Option<Sent>,
}

impl Staff {
    pub async fn register(app: &TestApp, id: i64, name: &str, unit: &Unit) -> Staff {
        let user = TgUser::new(id, name);
        app.register(&user, Role::Staff, Some(unit)).await;
        Staff {
            fake: app.fake.clone(),
            user,
            dialog: kipp2025(),
            last: None,
        }
    }

    pub async fn next(&mut self) -> Sent {
        let sent = self.fake.next_message(self.user.id).await;
        self.last = Some(sent.clone());
        sent
    }

    pub async fn say(&mut self, text: &str) -> Sent {
        self.fake.send_text(&self.user, text);
        self.next().await
    }

    pub async fn send(&mut self, message: serde_json::Value) -> Sent {
        self.fake.send_raw_message(&self.user, message);
        self.next().await
    }

    pub async fn document(&mut self, bytes: &[u8], name: &str, mime: &str) -> Sent {
        self.fake.send_document(&self.user, bytes, name, mime);
        self.next().await
    }

    pub async fn photo(&mut self, bytes: &[u8]) -> Sent {
        self.fake.send_photo(&self.user, bytes, None);
        self.next().await
    }

    /// Presses the button whose label contains `label` under the last message.
    pub async fn press(&mut self, label: &str) -> Sent {
        let last = self.last.clone().expect("a message to press under");
        let button = last
            .button(label)
            .unwrap_or_else(|| {
                panic!(
                    "no button {label:?} under: {}\n{:?}",
                    last.text, last.buttons
                )
            })
            .clone();
        self.fake.press(&self.user, &last, &button.data);
        self.next().await
    }

    pub fn prompt(&self, question: &str) -> String {
        let question = self
            .dialog
            .question(question)
            .unwrap_or_else(|| panic!("no question {question}"));
        esc(question.prompt.get(Lang::Id))
    }

    /// Asserts the last message asks `question`.
    pub fn expect(&self, question: &str) {
        let last = self.last.as_ref().expect("a message");
        assert!(
            last.text.contains(&self.prompt(question)),
            "expected question {question}, got: {}",
            last.text
        );
    }

    /// Answers a long-text question in one part and presses Done.
    pub async fn long_text(&mut self, question: &str, text: &str) -> Sent {
        self.expect(question);
        let part = self.say(text).await;
        assert!(part.text.contains("📝"), "{}", part.text);
        self.press("Selesai").await
    }

    /// Answers a long-text question with `n` words.
    pub async fn narrative(&mut self, question: &str, n: usize) -> Sent {
        self.long_text(question, &words(n)).await
    }

    /// Skips an optional question.
    pub async fn skip(&mut self, question: &str) -> Sent {
        self.expect(question);
        self.press("Lewati").await
    }

    /// SINOVIK's narrative part: every box answered just above its floor, every supporting
    /// PDF skipped.
    pub async fn narratives(&mut self) {
        let questions: Vec<(String, bool)> = self
            .dialog
            .section("narasi")
            .expect("the narasi section")
            .questions
            .iter()
            .map(|q| (q.id.clone(), q.is_file()))
            .collect();
        for (question, is_file) in questions {
            if is_file {
                self.skip(&question).await;
            } else {
                let text = long_enough(
                    &self.dialog,
                    &question,
                    &format!("Jawaban untuk {question}."),
                );
                self.long_text(&question, &text).await;
            }
        }
    }
}

/// `n` words.
pub fn words(n: usize) -> String {
    (1..=n)
        .map(|i| format!("kata{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn sticker() -> serde_json::Value {
    json!({ "sticker": { "file_id": "STK", "file_unique_id": "STKU", "type": "regular",
        "width": 512, "height": 512, "is_animated": false, "is_video": false } })
}

fn pdf(label: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {label}\n").into_bytes()
}

#[tokio::test]
async fn a_staff_member_walks_the_whole_kipp2025_dialog() {
    let mut app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let mut staff = Staff::register(&app, 1001, "Rina", &unit).await;

    // Part 1: description.
    let first = staff.say("/new").await;
    assert!(
        first
            .text
            .contains(texts::innovation_started(Lang::Id, 1).as_str())
    );
    assert!(
        first.text.contains("Bagian 1/6 · Pertanyaan 1/"),
        "{}",
        first.text
    );
    staff.expect("judul");
    let refused = staff.say("abc").await;
    assert!(refused.text.starts_with('❗'), "{}", refused.text);
    staff.expect("judul");
    let early = staff.say("/submit").await;
    assert!(
        early.text.contains(&esc("Belum bisa dikirim")),
        "{}",
        early.text
    );
    staff
        .say("SIPINJAM: Layanan Pinjam Buku Daring <Digital> & Cepat")
        .await;
    staff.expect("kelompok");
    let polite = staff.send(sticker()).await;
    assert!(polite.text.contains("stiker"), "{}", polite.text);
    staff.expect("kelompok");
    staff.press("Umum").await;
    staff.expect("kategori");
    let kategori = staff.last.clone().unwrap();
    assert!(kategori.button("7. Pemberantasan kemiskinan").is_some());
    staff.press("8.").await;
    staff.expect("tpb");
    let ticked = staff.press("4.").await;
    assert_eq!(ticked.method, "editmessagetext");
    assert!(ticked.button("☑️ 4.").is_some());
    staff.press("9.").await;
    staff.press("Selesai").await;
    staff.expect("tanggal_mulai");
    staff.say("kemarin").await;
    staff.expect("tanggal_mulai");
    let young = staff.say("1 Desember 2025").await;
    assert!(
        young.text.contains("⚠️")
            && young.text.contains("penutupan nasional")
            && young.text.contains("kelompok Umum"),
        "the young innovation is warned about, counted to the close: {}",
        young.text
    );
    staff.expect("aplikasi_spbe");
    staff.press("Ya").await;
    staff.expect("alamat_aplikasi");
    staff.say("https://ipusnas.id").await;
    staff.narrative("detail_spbe", 12).await;

    // Part 2: SINOVIK's narrative boxes.
    staff.expect("ringkasan");
    let ringkasan = staff.last.clone().unwrap();
    assert!(
        ringkasan.text.contains("Narasi SINOVIK"),
        "{}",
        ringkasan.text
    );
    assert!(
        ringkasan
            .text
            .contains(texts::box_hint(Lang::Id, "Ringkasan", 1, Some(200), Some(30), 0).as_str()),
        "{}",
        ringkasan.text
    );
    // "6" is no Ringkasan: refused, pointing at the example.
    staff.say("6").await;
    let refused = staff.press("Selesai").await;
    assert!(
        refused.text.starts_with('❗')
            && refused
                .text
                .contains("terlalu singkat untuk kotak Ringkasan")
            && refused.text.contains("Contoh:"),
        "{}",
        refused.text
    );
    staff.expect("ringkasan");
    staff.press("Ulangi teks").await;
    let part = staff.say("Bagian pertama ringkasan.").await;
    assert!(
        part.text
            .contains(texts::draft_part_saved(Lang::Id, 3, Some(200)).as_str()),
        "{}",
        part.text
    );

    // A restart in the middle of a long answer loses nothing.
    app.restart().await;
    let second = format!("Bagian kedua ringkasan: {}", words(30));
    let part = staff.say(&second).await;
    assert!(
        part.text
            .contains(texts::draft_part_saved(Lang::Id, 36, Some(200)).as_str()),
        "{}",
        part.text
    );
    staff.press("Selesai").await;
    staff.skip("lampiran_ringkasan").await;
    staff.narrative("latar_belakang", 45).await;
    // A supporting file SINOVIK would not take is kept, with what to do about it.
    staff.expect("lampiran_latar_belakang");
    let rule = texts::form_file_rule(Lang::Id, &["PDF".to_owned()], Some(2.0));
    assert!(
        staff.last.as_ref().unwrap().text.contains(rule.as_str()),
        "the rule is said up front"
    );
    let docx = b"PK\x03\x04 data kondisi awal".to_vec();
    let kept = staff
        .document(
            &docx,
            "Data awal.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        .await;
    assert!(
        kept.text
            .contains(texts::file_saved(Lang::Id, 1, 3).as_str())
            && kept.text.contains("⚠️")
            && kept.text.contains("SINOVIK hanya menerima file PDF"),
        "{}",
        kept.text
    );
    staff.press("Selesai").await;
    for (question, n) in [("kebaruan", 30), ("implementasi", 30), ("signifikansi", 60)] {
        staff.narrative(question, n).await;
        staff.skip(&format!("lampiran_{question}")).await;
    }
    // Adaptabilitas: two parts, one box.
    staff
        .long_text("sudah_direplikasi", "Belum direplikasi.")
        .await;
    staff.narrative("potensi_replikasi", 40).await;
    staff.skip("lampiran_adaptabilitas").await;
    staff.narrative("sumber_daya", 30).await;
    staff.skip("lampiran_sumber_daya").await;
    // Strategi Keberlanjutan: three prompts, one limit of 500 words over the three.
    staff.narrative("keberlanjutan_institusional", 300).await;
    staff.expect("keberlanjutan_manajerial");
    assert!(
        staff
            .last
            .as_ref()
            .unwrap()
            .text
            .contains("sudah terpakai 300 kata"),
        "{}",
        staff.last.as_ref().unwrap().text
    );
    staff.narrative("keberlanjutan_manajerial", 150).await;
    staff.expect("keberlanjutan_sosial");
    let part = staff.say(&words(60)).await;
    assert!(
        part.text
            .contains(texts::draft_part_saved(Lang::Id, 60, Some(50)).as_str()),
        "the box's room is shown: {}",
        part.text
    );
    // Over the box's limit: what was sent is kept, with how many words too many.
    let over = staff.press("Selesai").await;
    assert!(
        over.text.contains(
            texts::draft_too_long(Lang::Id, 60, 50, Some("Strategi Keberlanjutan")).as_str()
        ),
        "{}",
        over.text
    );
    let kept = staff.say(&words(1)).await;
    assert!(
        kept.text
            .contains(texts::draft_part_saved(Lang::Id, 61, Some(50)).as_str()),
        "the parts were kept: {}",
        kept.text
    );
    staff.press("Ulangi teks").await;
    staff.narrative("keberlanjutan_sosial", 50).await;
    staff.skip("lampiran_keberlanjutan").await;
    staff.narrative("kontribusi_tpb", 20).await;

    // The Replikasi part is hidden for an Umum innovation: next comes the impact part.
    staff.expect("nama_metrik");
    let metric = staff.last.clone().unwrap();
    assert!(metric.text.contains("Bagian 3/6"), "{}", metric.text);
    staff.say("Waktu layanan").await;
    staff.say("menit").await;
    staff.expect("nilai_sebelum");
    let refused = staff.say("empat puluh lima").await;
    assert!(refused.text.contains("misalnya"), "{}", refused.text);
    staff.say("45").await;
    staff.say("10,5").await;
    staff.say("Jan–Des 2024").await;
    staff.say("Laporan SIMPUS").await;
    staff.press("Ya, tambah").await;
    staff.expect("nama_metrik");
    staff.say("Jumlah pemustaka").await;
    staff.say("orang").await;
    staff.say("1.200").await;
    staff.say("3.400").await;
    staff.say("2024").await;
    staff.say("Buku tamu digital").await;
    staff.press("Tidak, lanjut").await;
    staff.expect("penerima_manfaat");
    staff.say("12.500").await;
    staff.expect("ikm");
    staff.press("Lewati").await;
    // Testimonials: at least two, each with name, role, quote and consent.
    for (name, role, quote, consent) in [
        (
            "Ibu Sari",
            "Pemustaka perpustakaan desa",
            "Sekarang anak saya bisa pinjam buku.",
            "Ya",
        ),
        (
            "Pak Budi",
            "Guru SD",
            "Murid kami jadi lebih sering membaca.",
            "Tidak",
        ),
    ] {
        staff.expect("nama_pemberi_testimoni");
        staff.say(name).await;
        staff.say(role).await;
        staff.expect("isi_testimoni");
        staff.say(quote).await;
        staff.expect("izin_testimoni");
        staff.press(consent).await;
    }
    staff.press("Tidak, lanjut").await;

    // Part 4: development and replication.
    staff.expect("tahun_tonggak");
    staff.say("2018").await;
    staff
        .say("Layanan dimulai di tiga perpustakaan desa.")
        .await;
    staff.expect("bukti_tonggak");
    let tonggak = pdf("laporan tonggak 2018");
    staff
        .document(&tonggak, "Laporan 2018.pdf", "application/pdf")
        .await;
    staff.press("Selesai").await;
    staff.press("Tidak, lanjut").await;
    staff.expect("pernah_ikut_kipp");
    staff.press("Ya").await;
    staff.say("2023").await;
    staff.say("Top 99 KIPP 2023").await;
    staff.narrative("perbaikan_sejak_kipp", 20).await;
    staff.expect("ada_replikasi");
    staff.press("Ya").await;
    staff.say("Dinas Perpustakaan Provinsi Jawa Barat").await;
    staff.expect("replikasi_sejak");
    staff.say("Maret 2024").await;
    staff.say("2").await;
    staff.expect("dokumen_replikasi");
    let pks = pdf("PKS Dinas Perpustakaan Jawa Barat");
    staff
        .document(&pks, "PKS Jabar.pdf", "application/pdf")
        .await;
    staff.press("Selesai").await;

    // Part 3: evidence.
    staff.expect("dasar_hukum");
    let sk = pdf("SK Kepala Perpustakaan Nasional");
    let saved = staff
        .document(&sk, "SK Kepala.pdf", "application/pdf")
        .await;
    assert!(
        saved
            .text
            .contains(texts::file_saved(Lang::Id, 1, 5).as_str()),
        "{}",
        saved.text
    );
    let refused = staff
        .document(b"plain text", "catatan.txt", "text/plain")
        .await;
    assert!(refused.text.starts_with('❗'), "{}", refused.text);
    let get_files_before = app.fake.calls("getFile").len();
    let huge = staff
        .send(
            json!({ "document": { "file_id": "HUGE", "file_unique_id": "HUGEU",
            "file_name": "besar.pdf", "mime_type": "application/pdf", "file_size": 60_000_000 } }),
        )
        .await;
    assert!(
        huge.text.contains("10 MB"),
        "the limit is named: {}",
        huge.text
    );
    assert_eq!(
        app.fake.calls("getFile").len(),
        get_files_before,
        "refused before downloading"
    );
    staff.press("Selesai").await;
    staff.expect("sk_inovator");
    let photo = b"\xFF\xD8\xFF\xE0 foto tim inovator".to_vec();
    staff.photo(&photo).await;
    staff.press("Selesai").await;
    staff.expect("pernyataan_implementasi");
    let implementasi = pdf("pernyataan implementasi");
    staff
        .document(&implementasi, "Implementasi.pdf", "application/pdf")
        .await;
    staff.press("Selesai").await;
    staff.expect("pernyataan_identitas");
    // An album: two photos with one media group id, two updates.
    let album = [
        b"\xFF\xD8 halaman 1".to_vec(),
        b"\xFF\xD8 halaman 2".to_vec(),
    ];
    app.fake.send_photo(&staff.user, &album[0], Some("album-1"));
    app.fake.send_photo(&staff.user, &album[1], Some("album-1"));
    staff.next().await;
    let full = staff.next().await;
    assert!(
        full.text
            .contains(texts::file_saved(Lang::Id, 2, 2).as_str()),
        "{}",
        full.text
    );
    staff.expect("kesediaan_replikasi");
    let kesediaan = pdf("kesediaan");
    staff
        .document(&kesediaan, "kesediaan.pdf", "application/pdf")
        .await;
    staff.press("Selesai").await;
    staff.expect("laporan_evaluasi");
    let laporan = pdf("laporan evaluasi 2024");
    staff
        .document(&laporan, "../../etc/passwd", "application/pdf")
        .await;
    staff.press("Selesai").await;
    staff.expect("foto");
    staff.press("Lewati").await;
    staff.expect("video_url");
    let refused = staff.say("https://example.com/video").await;
    assert!(refused.text.starts_with('❗'), "{}", refused.text);
    staff.say("Video: https://youtu.be/dQw4w9WgXcQ").await;
    staff.expect("data_pendukung");
    staff.press("Lewati").await;

    // Part 4: leadership.
    staff.expect("nama_pimpinan");
    staff.say("Dr. Ahmad Wijaya").await;
    staff.say("Kepala Pusat Data dan Informasi").await;
    staff.expect("telepon_pimpinan");
    staff.say("0812 3456 7890").await;
    staff.expect("email_pimpinan");
    staff.say("ahmad@").await;
    staff.expect("email_pimpinan");
    staff.say("ahmad.wijaya@perpusnas.go.id").await;
    staff.expect("siap_presentasi");
    staff.press("Tidak").await;
    // Not ready: who presents instead.
    staff.expect("nama_presenter");
    staff.say("Drs. Bambang Hartono, M.Si.").await;
    staff.expect("jabatan_presenter");
    staff.say("Kepala Bidang Layanan").await;
    staff.expect("jenis_inovator");
    staff.press("Tim").await;
    staff.say("Rina Marlina, S.IPI.").await;
    staff.say("Pustakawan Ahli Madya").await;
    staff.expect("telepon_inovator");
    staff.say("0813 1111 2222").await;
    staff.expect("narahubung");
    let hint = staff.next().await;
    assert!(hint.request_contact, "a share-contact keyboard is offered");
    staff
        .send(
            json!({ "contact": { "phone_number": "+62 813-1111-2222", "first_name": "Dewi",
            "last_name": "Lestari", "user_id": 42 } }),
        )
        .await;
    let done = staff.next().await;
    assert!(
        done.text.contains(texts::all_answered(Lang::Id).as_str()),
        "{}",
        done.text
    );

    // Everything is in the database.
    let answers: HashMap<(String, u16), AnswerValue> = app
        .storage
        .answers(1)
        .await
        .unwrap()
        .into_iter()
        .map(|row| ((row.question_id, row.item), row.value))
        .collect();
    let get = |q: &str, item: u16| answers.get(&(q.to_owned(), item)).cloned();
    assert_eq!(
        get("judul", 0),
        Some(AnswerValue::Text {
            text: "SIPINJAM: Layanan Pinjam Buku Daring <Digital> & Cepat".into()
        })
    );
    assert_eq!(
        get("kelompok", 0),
        Some(AnswerValue::Choice {
            option: "umum".into()
        })
    );
    assert_eq!(
        get("ringkasan", 0),
        Some(AnswerValue::Text {
            text: format!("Bagian pertama ringkasan.\n\n{second}")
        })
    );
    assert_eq!(
        get("nilai_sebelum", 0),
        Some(AnswerValue::Number { value: 45.0 })
    );
    assert_eq!(
        get("nilai_sesudah", 0),
        Some(AnswerValue::Number { value: 10.5 })
    );
    assert_eq!(
        get("nilai_sebelum", 1),
        Some(AnswerValue::Number { value: 1200.0 })
    );
    assert_eq!(
        get("penerima_manfaat", 0),
        Some(AnswerValue::Integer { value: 12500 })
    );
    assert_eq!(
        get("telepon_pimpinan", 0),
        Some(AnswerValue::Phone {
            phone: "+6281234567890".into()
        })
    );
    assert_eq!(
        get("siap_presentasi", 0),
        Some(AnswerValue::YesNo { value: false })
    );
    assert_eq!(
        get("nama_presenter", 0),
        Some(AnswerValue::Text {
            text: "Drs. Bambang Hartono, M.Si.".into()
        })
    );
    assert_eq!(
        get("izin_testimoni", 1),
        Some(AnswerValue::YesNo { value: false })
    );
    assert_eq!(
        get("keberlanjutan_sosial", 0),
        Some(AnswerValue::Text { text: words(50) })
    );
    assert_eq!(
        get("tahun_kipp_sebelumnya", 0),
        Some(AnswerValue::Integer { value: 2023 })
    );
    assert!(matches!(get("tpb", 0), Some(AnswerValue::Choices { options }) if options.len() == 2));
    assert!(
        matches!(get("narahubung", 0), Some(AnswerValue::Contact { name, .. }) if name.contains("Dewi"))
    );
    assert!(get("ikm", 0).is_none() && get("inspirasi", 0).is_none());
    let evidence = app.storage.evidence(1).await.unwrap();
    assert_eq!(evidence.len(), 10, "{evidence:?}");
    let evidence_dir = app.data_dir().join("evidence");
    for (bytes, question) in [
        (&sk, "dasar_hukum"),
        (&photo, "sk_inovator"),
        (&album[0], "pernyataan_identitas"),
        (&album[1], "pernyataan_identitas"),
        (&kesediaan, "kesediaan_replikasi"),
        (&laporan, "laporan_evaluasi"),
        (&docx, "lampiran_latar_belakang"),
        (&tonggak, "bukti_tonggak"),
        (&pks, "dokumen_replikasi"),
        (&implementasi, "pernyataan_implementasi"),
    ] {
        let sha = hex::encode(Sha256::digest(bytes));
        let file = evidence
            .iter()
            .find(|file| file.sha256 == sha)
            .unwrap_or_else(|| panic!("{question} file stored"));
        assert_eq!(file.question_id, question);
        let on_disk = std::fs::read(evidence_dir.join(&file.stored_path)).unwrap();
        assert_eq!(&on_disk, bytes, "byte for byte");
        assert!(!file.stored_path.contains(".."));
    }
    let names: Vec<_> = evidence
        .iter()
        .filter_map(|f| f.original_name.clone())
        .collect();
    assert!(names.contains(&"SK Kepala.pdf".to_owned()));

    // Review: change one answer, then come back to the summary.
    staff.say("/review").await;
    let mut section_one = None;
    loop {
        let message = staff.next().await;
        if message.button("Judul").is_some() {
            section_one = Some(message.clone());
        }
        if message.text == texts::missing_list(Lang::Id, &[]) {
            assert!(
                message.button("Kirim").is_some(),
                "complete: a submit button"
            );
            break;
        }
    }
    staff.last = section_one;
    staff.press("Judul").await;
    staff.expect("judul");
    staff.say("LAYAR KACA 2.0").await;
    let summary = staff.next().await;
    assert!(summary.text.contains("LAYAR KACA 2.0"), "{}", summary.text);
    let stored = app.storage.answers(1).await.unwrap();
    assert!(stored.iter().any(|row| row.question_id == "judul"
        && row.value
            == AnswerValue::Text {
                text: "LAYAR KACA 2.0".to_owned()
            }));

    // Submit, then the innovation is read-only.
    let submitted = staff.say("/submit").await;
    assert_eq!(submitted.text, texts::submitted(Lang::Id, 1));
    let later = staff.say("/review 1").await;
    assert!(later.text.contains("dikirim"), "{}", later.text);
    let audit = app.storage.recent_audit(200).await.unwrap();
    assert!(audit.iter().any(|entry| entry.action == "innovation.state"));
    assert!(
        audit
            .iter()
            .filter(|entry| entry.action == "answer.set")
            .count()
            > 30
    );
}

#[tokio::test]
async fn the_replikasi_part_is_shown_only_for_replication() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("UPT-ACEH", "UPT Aceh").await;
    let mut staff = Staff::register(&app, 1101, "Fajar", &unit).await;
    staff.say("/new").await;
    staff.say("Pojok Baca Replikasi").await;
    staff.press("Replikasi").await;
    let kategori = staff.last.clone().unwrap();
    // Seven parts now: Replikasi is visible.
    assert!(kategori.text.contains("Bagian 1/7"), "{}", kategori.text);
    staff.press("1.").await;
    staff.press("1.").await;
    staff.press("Selesai").await;
    staff.say("2020-01-15").await;
    staff.expect("aplikasi_spbe");
    staff.press("Tidak").await;
    staff.narratives().await;
    staff.expect("inspirasi");
    assert!(staff.last.as_ref().unwrap().text.contains("Bagian 3/7"));
    // Back goes to the previous question, and pausing keeps everything.
    staff.press("Kembali").await;
    staff.expect("kontribusi_tpb");
    let paused = staff.press("Jeda").await;
    assert_eq!(paused.text, texts::paused(Lang::Id));
    let nothing = staff.say("halo").await;
    assert_eq!(nothing.text, texts::nothing_pending(Lang::Id));
    let list = staff.say("/list").await;
    assert!(list.text.contains("Pojok Baca Replikasi"), "{}", list.text);
    staff.press("Lanjutkan").await;
    staff.expect("inspirasi");
}

#[tokio::test]
async fn buttons_and_answers_are_checked_against_unit_and_question() {
    let app = TestApp::spawn().await;
    let pusdatin = app.add_unit("PUSDATIN", "Pusat Data").await;
    let aceh = app.add_unit("UPT-ACEH", "UPT Aceh").await;
    let mut rina = Staff::register(&app, 1201, "Rina", &pusdatin).await;
    let mut other = Staff::register(&app, 1202, "Other", &aceh).await;
    rina.say("/new").await;
    rina.say("Inovasi Rahasia Pusdatin").await;
    let choices = rina.last.clone().unwrap();
    // Someone from another unit presses a forged button for Rina's innovation.
    let data = choices.button("Umum").unwrap().data.clone();
    app.fake.press(&other.user, &choices, &data);
    let refused = other.next().await;
    assert_eq!(refused.text, texts::stale_button(Lang::Id));
    app.fake.press(&other.user, &choices, "v:1");
    let refused = other.next().await;
    assert_eq!(refused.text, texts::innovation_not_found(Lang::Id));
    let review = other.say("/review 1").await;
    assert_eq!(review.text, texts::innovation_not_found(Lang::Id));
    assert!(!review.text.contains("Rahasia"));
    // An old button under an earlier question does not answer the current one.
    let kategori = rina.press("Umum").await;
    rina.expect("kategori");
    app.fake.press(&rina.user, &choices, &data);
    let stale = rina.next().await;
    assert_eq!(stale.text, texts::stale_button(Lang::Id));
    // A redelivered update changes nothing twice.
    let answers_before = app.storage.answers(1).await.unwrap().len();
    let eight = kategori.button("8.").unwrap().data.clone();
    app.fake.press(&rina.user, &kategori, &eight);
    rina.next().await;
    rina.expect("tpb");
    assert_eq!(
        app.storage.answers(1).await.unwrap().len(),
        answers_before + 1
    );
}

/// A stored answer or conversation this version cannot read (written by another version, or
/// edited by hand) locks nobody out: the conversation is forgotten, the answer counts as
/// missing and is asked again.
#[tokio::test]
async fn unreadable_stored_values_lock_nobody_out() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let mut staff = Staff::register(&app, 1001, "Rina", &unit).await;
    staff.say("/new").await;
    staff.expect("judul");
    staff.say("Pojok Data Terbuka").await;
    sqlx::query(
        "UPDATE answers SET value = '{\"type\":\"hologram\"}' WHERE question_id = 'judul';
         UPDATE conversations SET state = '{\"cursor\":';",
    )
    .execute(app.storage.pool())
    .await
    .unwrap();

    let reply = staff.say("halo").await;
    assert_eq!(reply.text, texts::nothing_pending(Lang::Id));
    staff.say("/list").await;
    staff.press(&texts::resume_button(Lang::Id, 1)).await;
    staff.expect("judul");
    staff.say("Pojok Data Baru").await;
    let answers = app.storage.answers(1).await.unwrap();
    assert!(
        answers.iter().any(|row| row.question_id == "judul"
            && row.value
                == AnswerValue::Text {
                    text: "Pojok Data Baru".to_owned()
                }),
        "{answers:?}"
    );
}

/// Messages a person sends faster than the bot answers (here: six parts of a long text, all
/// fetched in one batch while the bot was stopped) are taken one after the other, in the order
/// sent: the answer holds the parts in that order, and each part was acknowledged.
#[tokio::test]
async fn a_burst_of_messages_is_taken_in_the_order_sent() {
    let mut app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let mut staff = Staff::register(&app, 1002, "Dewi", &unit).await;
    staff.say("/new").await;
    staff.say("SIPINJAM: Layanan Pinjam Buku Daring").await;
    staff.press("Umum").await;
    staff.press("8.").await;
    staff.press("4.").await;
    staff.press("Selesai").await;
    staff.say("1 Desember 2024").await;
    staff.press("Ya").await;
    staff.say("https://ipusnas.id").await;
    staff.expect("detail_spbe");

    app.stop().await;
    let parts: Vec<String> = (1..=6)
        .map(|n| format!("Bagian {n}: {}", words(3)))
        .collect();
    for part in &parts {
        app.fake.send_text(&staff.user, part);
    }
    app.start().await;
    for _ in &parts {
        let acknowledged = staff.next().await;
        assert!(acknowledged.text.contains("📝"), "{}", acknowledged.text);
    }
    let done = staff.press("Selesai").await;
    assert!(!done.text.starts_with('❗'), "{}", done.text);

    let db_url = format!("sqlite://{}", app.data_dir().join("kipp.db").display());
    let db = sqlx::sqlite::SqlitePool::connect(&db_url)
        .await
        .expect("the test's own pool");
    let stored: String =
        sqlx::query_scalar("SELECT value FROM answers WHERE question_id = 'detail_spbe'")
            .fetch_one(&db)
            .await
            .expect("the answer is stored");
    let stored: AnswerValue = serde_json::from_str(&stored).expect("an answer value");
    let AnswerValue::Text { text } = stored else {
        panic!("not a text: {stored:?}");
    };
    let mut at = 0;
    for part in &parts {
        let found = text[at..]
            .find(part.as_str())
            .unwrap_or_else(|| panic!("{part:?} missing or out of order in {text:?}"));
        at += found + part.len();
    }
}
