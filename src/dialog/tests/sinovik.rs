//! SINOVIK's form in the engine: boxes with one limit over several answers, a floor per box,
//! the minimum age per kelompok counted to the national close, and the file rule that warns.

use super::validation::file;
use super::*;

fn words(n: usize) -> String {
    vec!["kata"; n].join(" ")
}

fn validate(d: &Dialog, id: &str, input: Input<'_>, p: &Progress) -> Result<Accepted, Rejection> {
    d.validate(d.question(id).unwrap(), &input, p, today())
}

#[test]
pub(super) fn a_box_limit_counts_its_other_answers() {
    let d = kipp();
    let mut p = Progress::new();
    d.record_answer(&mut p, q("keberlanjutan_institusional"), txt(&words(300)));
    d.record_answer(&mut p, q("keberlanjutan_manajerial"), txt(&words(150)));
    let sosial = d.question("keberlanjutan_sosial").unwrap();
    assert_eq!(d.word_limit(sosial, &p), Some(50));
    let r = validate(&d, "keberlanjutan_sosial", Input::Text(&words(60)), &p).unwrap_err();
    assert_eq!(
        r,
        Rejection::BoxTooManyWords {
            title: d.box_of("keberlanjutan_sosial").unwrap().title.clone(),
            count: 510,
            max: 500,
            others: 450,
        }
    );
    assert_eq!(
        r.message(Lang::Id),
        "Kotak Strategi Keberlanjutan terlalu panjang: 510 kata bersama bagian lainnya (450 kata), maksimal 500 untuk seluruh kotak. Bagian ini paling banyak 50 kata; ringkas lalu kirim lagi."
    );
    assert!(
        r.message(Lang::En)
            .contains("This part can take at most 50 words")
    );
    assert!(validate(&d, "keberlanjutan_sosial", Input::Text(&words(50)), &p).is_ok());
    // Re-answering a part counts the new text, not the stored one.
    assert!(validate(&d, "keberlanjutan_manajerial", Input::Text(&words(200)), &p).is_ok());
    // One part alone may take any share of the 500, no longer 170.
    let empty = Progress::new();
    assert!(
        validate(
            &d,
            "keberlanjutan_institusional",
            Input::Text(&words(400)),
            &empty
        )
        .is_ok()
    );
    assert_eq!(
        d.word_limit(d.question("keberlanjutan_institusional").unwrap(), &empty),
        Some(500)
    );
    // A question's own limit still applies, whichever is less.
    assert_eq!(
        d.word_limit(d.question("sudah_direplikasi").unwrap(), &empty),
        Some(100)
    );
    assert_eq!(d.word_limit(d.question("judul").unwrap(), &empty), None);
}

#[test]
pub(super) fn a_box_below_its_floor_is_refused_with_an_example() {
    let d = kipp();
    let p = Progress::new();
    let r = validate(&d, "ringkasan", Input::Text("6"), &p).unwrap_err();
    assert_eq!(
        r,
        Rejection::BoxTooFewWords {
            title: d.box_of("ringkasan").unwrap().title.clone(),
            count: 1,
            min: 30,
            parts: 1,
        }
    );
    assert_eq!(
        r.message(Lang::Id),
        "Jawaban ini terlalu singkat untuk kotak Ringkasan: 1 kata, minimal 30. Tulis beberapa kalimat utuh seperti contoh di bawah, lalu kirim lagi."
    );
    // The example the message points to is in the question's help.
    assert!(
        d.question("ringkasan")
            .unwrap()
            .help
            .as_ref()
            .unwrap()
            .id
            .contains("Contoh:")
    );
    assert!(validate(&d, "ringkasan", Input::Text(&words(30)), &p).is_ok());

    // Keberlanjutan: each part has its own floor (15), the box its floor (60) once complete.
    let r = validate(
        &d,
        "keberlanjutan_institusional",
        Input::Text(&words(5)),
        &p,
    )
    .unwrap_err();
    assert!(
        matches!(r, Rejection::TooFewWords { count: 5, min: 15 }),
        "{r:?}"
    );
    assert!(r.message(Lang::Id).contains("seperti contoh di bawah"));
    let mut p = Progress::new();
    d.record_answer(&mut p, q("keberlanjutan_institusional"), txt(&words(15)));
    assert!(
        validate(&d, "keberlanjutan_sosial", Input::Text(&words(15)), &p).is_ok(),
        "the box is not complete yet"
    );
    d.record_answer(&mut p, q("keberlanjutan_sosial"), txt(&words(15)));
    let r = validate(&d, "keberlanjutan_manajerial", Input::Text(&words(20)), &p).unwrap_err();
    assert!(
        matches!(
            r,
            Rejection::BoxTooFewWords {
                count: 50,
                min: 60,
                parts: 3,
                ..
            }
        ),
        "{r:?}"
    );
    assert!(
        r.message(Lang::Id).starts_with(
            "Kotak Strategi Keberlanjutan baru 50 kata untuk 3 bagiannya, minimal 60."
        )
    );
    assert!(validate(&d, "keberlanjutan_manajerial", Input::Text(&words(30)), &p).is_ok());
}

#[test]
pub(super) fn boxes_are_counted_for_the_exports() {
    let d = kipp();
    let mut p = Progress::new();
    d.record_answer(&mut p, q("ringkasan"), txt(&words(40)));
    d.record_answer(&mut p, q("sudah_direplikasi"), txt("Belum direplikasi."));
    d.record_answer(&mut p, q("potensi_replikasi"), txt(&words(20)));
    d.record_answer(&mut p, q("signifikansi"), txt(&words(601)));
    d.record_file(&mut p, q("lampiran_ringkasan"));
    let counts = d.box_counts(&p);
    assert_eq!(counts.len(), 8);
    let ringkasan = counts[0];
    assert_eq!(
        (ringkasan.words, ringkasan.answered, ringkasan.unanswered),
        (40, 1, 0)
    );
    assert_eq!(ringkasan.files, 1);
    assert!(ringkasan.within_limits());
    let adaptabilitas = counts[5];
    assert_eq!(adaptabilitas.narrative_box.id, "adaptabilitas");
    assert_eq!((adaptabilitas.words, adaptabilitas.answered), (22, 2));
    assert_eq!(adaptabilitas.under_by(), Some(18));
    assert!(!adaptabilitas.within_limits());
    assert_eq!(
        d.box_text(adaptabilitas.narrative_box, &p),
        format!("Belum direplikasi.\n\n{}", words(20))
    );
    let signifikansi = counts[4];
    assert_eq!(signifikansi.over_by(), Some(1));
    let keberlanjutan = counts[7];
    assert_eq!((keberlanjutan.words, keberlanjutan.unanswered), (0, 3));
    assert_eq!(keberlanjutan.under_by(), Some(60));
}

#[test]
pub(super) fn the_minimum_age_depends_on_the_kelompok_and_the_close() {
    let d = kipp();
    let mut p = Progress::new();
    d.record_answer(&mut p, q("kelompok"), choice("replikasi"));
    // Fifteen months at the close (3 June 2025): enough for Replikasi (1 year).
    let accepted = validate(&d, "tanggal_mulai", Input::Text("1 Maret 2024"), &p).unwrap();
    assert!(accepted.warnings.is_empty(), "{:?}", accepted.warnings);
    let young = validate(&d, "tanggal_mulai", Input::Text("1 Agustus 2024"), &p).unwrap();
    assert_eq!(
        young.warnings,
        [Warning::YoungerThanMinimum {
            years: 1,
            months_running: 10,
            counted_to: NaiveDate::from_ymd_opt(2025, 6, 3),
            group: Some(Text {
                id: "Replikasi".into(),
                en: "Replication".into()
            }),
        }]
    );
    assert_eq!(
        young.warnings[0].message(Lang::Id),
        "Catatan: pada penutupan nasional (3 Juni 2025) inovasi ini baru berjalan 10 bulan, sedangkan KIPP mensyaratkan minimal 1 tahun untuk kelompok Replikasi. Jawaban tetap disimpan."
    );
    d.record_answer(&mut p, q("kelompok"), choice("umum"));
    let umum = validate(&d, "tanggal_mulai", Input::Text("1 Maret 2024"), &p).unwrap();
    assert!(
        umum.warnings[0]
            .message(Lang::En)
            .contains("at least 2 years for the General group"),
        "{:?}",
        umum.warnings
    );
    // The exports ask the same of a stored answer, with the kelompok it has now.
    let mut stored = p.clone();
    d.record_answer(
        &mut stored,
        q("tanggal_mulai"),
        AnswerValue::Date {
            date: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
        },
    );
    assert!(matches!(
        d.age_shortfall(&stored, today()),
        Some(Warning::YoungerThanMinimum { years: 2, .. })
    ));
    d.record_answer(&mut stored, q("kelompok"), choice("replikasi"));
    assert_eq!(d.age_shortfall(&stored, today()), None);
    assert_eq!(d.age_shortfall(&Progress::new(), today()), None);
    // Counted to the close, not to today (20 May 2025): two years on 3 June 2025 is enough.
    let at_close = validate(&d, "tanggal_mulai", Input::Text("2 Juni 2023"), &p).unwrap();
    assert!(at_close.warnings.is_empty());
    // A file without a close counts to today, as before.
    let src = KIPP.replacen("national_close = \"2025-06-03T23:59:00\"\n", "", 1);
    let no_close = Dialog::from_toml_str(&src).unwrap();
    let today_count = validate(&no_close, "tanggal_mulai", Input::Text("2 Juni 2023"), &p).unwrap();
    assert_eq!(
        today_count.warnings[0].message(Lang::Id),
        "Catatan: inovasi ini baru berjalan 23 bulan, sedangkan KIPP mensyaratkan minimal 2 tahun untuk kelompok Umum. Jawaban tetap disimpan."
    );
}

#[test]
pub(super) fn files_sinovik_would_not_take_are_kept_with_a_warning() {
    let d = kipp();
    let p = Progress::new();
    let small_pdf = file(
        FileKind::Document,
        Some("application/pdf"),
        900_000,
        Some("a.pdf"),
    );
    assert!(
        validate(&d, "lampiran_ringkasan", small_pdf, &p)
            .unwrap()
            .warnings
            .is_empty()
    );
    let word = file(
        FileKind::Document,
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        3 * 1_048_576,
        Some("ringkasan.docx"),
    );
    let accepted = validate(&d, "lampiran_ringkasan", word, &p).unwrap();
    assert_eq!(
        accepted.warnings,
        [
            Warning::FileTypeForForm {
                wanted: vec!["application/pdf".into()]
            },
            Warning::FileSizeForForm {
                size: 3 * 1_048_576,
                max_mb: 2.0
            }
        ]
    );
    assert_eq!(
        accepted.warnings[0].message(Lang::Id),
        "Catatan: SINOVIK hanya menerima file PDF. File ini tetap disimpan, tetapi sebelum diunggah ke SINOVIK ubah dulu menjadi PDF (misalnya Cetak → Simpan sebagai PDF), atau kirim versi PDF-nya di sini."
    );
    assert!(accepted.warnings[1].message(Lang::Id).starts_with(
        "Catatan: file ini 3,0 MB, sedangkan SINOVIK menerima paling besar 2 MB per kotak."
    ));
    assert!(
        accepted.warnings[1]
            .message(Lang::En)
            .contains("compress the PDF")
    );
    // A photo is not a PDF either; a file over the question's own limit is still refused.
    let photo = validate(
        &d,
        "lampiran_ringkasan",
        file(FileKind::Photo, None, 10, None),
        &p,
    )
    .unwrap();
    assert!(matches!(
        photo.warnings[..],
        [Warning::FileTypeForForm { .. }]
    ));
    let huge = file(
        FileKind::Document,
        Some("application/pdf"),
        30 * 1_048_576,
        None,
    );
    assert!(matches!(
        validate(&d, "lampiran_ringkasan", huge, &p),
        Err(Rejection::FileTooLarge { .. })
    ));
    // Questions without the rule warn about nothing.
    let docx = file(
        FileKind::Document,
        Some("application/msword"),
        5 * 1_048_576,
        None,
    );
    assert!(
        validate(&d, "dasar_hukum", docx, &p)
            .unwrap()
            .warnings
            .is_empty()
    );
}
