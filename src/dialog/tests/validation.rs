//! Validation of every question type.

use super::*;

pub(super) fn check(d: &Dialog, id: &str, input: Input<'_>) -> Result<Accepted, Rejection> {
    d.validate(d.question(id).unwrap(), &input, &Progress::new(), today())
}

pub(super) fn value(d: &Dialog, id: &str, input: Input<'_>) -> AnswerValue {
    check(d, id, input).unwrap().value.unwrap()
}

#[test]
pub(super) fn text_limits_count_words_and_unicode_characters() {
    let d = kipp();
    let long = vec!["kata"; 201].join(" ");
    let r = check(&d, "kontribusi_tpb", Input::Text(&long)).unwrap_err();
    assert_eq!(
        r,
        Rejection::TooManyWords {
            count: 201,
            max: 200
        }
    );
    assert_eq!(
        r.message(Lang::Id),
        "Teks terlalu panjang: 201 kata, maksimal 200. Ringkas lalu kirim lagi."
    );
    let ok = vec!["kata"; 200].join("\n\n");
    assert!(check(&d, "kontribusi_tpb", Input::Text(&ok)).is_ok());
    // Ringkasan's limit is its box's.
    let r = check(&d, "ringkasan", Input::Text(&long)).unwrap_err();
    assert_eq!(
        r.message(Lang::Id),
        "Kotak Ringkasan terlalu panjang: 201 kata, maksimal 200. Ringkas lalu kirim lagi."
    );
    assert!(check(&d, "ringkasan", Input::Text(&ok)).is_ok());
    let title = "é".repeat(150);
    assert!(
        check(&d, "judul", Input::Text(&title)).is_ok(),
        "150 characters, 300 bytes"
    );
    let r = check(&d, "judul", Input::Text(&"é".repeat(151))).unwrap_err();
    assert_eq!(
        r,
        Rejection::TooManyChars {
            count: 151,
            max: 150
        }
    );
    assert_eq!(
        check(&d, "judul", Input::Text("   ")).unwrap_err(),
        Rejection::Empty {
            expected: Expected::Text
        }
    );
    assert_eq!(
        value(&d, "judul", Input::Text("  LAYAR KACA  ")),
        txt("LAYAR KACA")
    );
}

#[test]
pub(super) fn wrong_kinds_of_input_are_named() {
    let d = kipp();
    let r = check(&d, "judul", Input::Other("sticker")).unwrap_err();
    assert_eq!(
        r.message(Lang::Id),
        "Pertanyaan ini meminta teks, bukan stiker. Ketik jawaban Anda sebagai pesan teks."
    );
    assert_eq!(
        r.message(Lang::En),
        "This question asks for text, not a sticker. Please type your answer as a text message."
    );
    let r = check(&d, "dasar_hukum", Input::Text("nanti")).unwrap_err();
    assert!(r.message(Lang::Id).contains("meminta file, bukan teks"));
    let r = check(&d, "penerima_manfaat", Input::Other("voice")).unwrap_err();
    assert!(r.message(Lang::Id).contains("bukan pesan suara"));
    assert_eq!(
        check(&d, "metrik", Input::Text("x")).unwrap_err(),
        Rejection::NotAnswerable
    );
}

#[test]
pub(super) fn numbers_and_integers() {
    let d = kipp();
    assert_eq!(
        value(&d, "nilai_sebelum", Input::Text("45 menit")),
        AnswerValue::Number { value: 45.0 }
    );
    assert_eq!(
        value(&d, "nilai_sebelum", Input::Text("3,5")),
        AnswerValue::Number { value: 3.5 }
    );
    let accepted = check(&d, "nilai_sebelum", Input::Text("1.250")).unwrap();
    assert_eq!(accepted.value, Some(AnswerValue::Number { value: 1250.0 }));
    assert_eq!(
        accepted.warnings,
        [Warning::NumberReadAsThousands { value: 1250.0 }]
    );
    assert!(accepted.warnings[0].message(Lang::Id).contains("1250"));
    let r = check(&d, "nilai_sebelum", Input::Text("banyak")).unwrap_err();
    assert_eq!(r.message(Lang::Id), "Masukkan angka, misalnya 45.");
    assert_eq!(r.message(Lang::En), "Please enter a number, e.g. 45.");
    let r = check(&d, "ikm", Input::Text("120")).unwrap_err();
    assert_eq!(r.message(Lang::Id), "Nilai terlalu besar: maksimal 100.");
    assert!(check(&d, "ikm", Input::Text("87,5")).is_ok());
    assert_eq!(
        value(&d, "penerima_manfaat", Input::Text("12.500 orang")),
        AnswerValue::Integer { value: 12500 }
    );
    let r = check(&d, "penerima_manfaat", Input::Text("12,5")).unwrap_err();
    assert_eq!(r, Rejection::Integer(crate::domain::NumberError::NotWhole));
    let r = check(&d, "penerima_manfaat", Input::Text("-4")).unwrap_err();
    assert_eq!(r.message(Lang::Id), "Nilai terlalu kecil: minimal 0 orang.");
}

#[test]
pub(super) fn choices_by_button_number_or_label() {
    let d = kipp();
    assert_eq!(
        value(&d, "kelompok", Input::Choice("replikasi")),
        choice("replikasi")
    );
    assert_eq!(value(&d, "kelompok", Input::Text("2")), choice("replikasi"));
    assert_eq!(value(&d, "kelompok", Input::Text("umum")), choice("umum"));
    assert_eq!(
        value(&d, "kelompok", Input::Text("Replication")),
        choice("replikasi")
    );
    let r = check(&d, "kelompok", Input::Text("3")).unwrap_err();
    assert_eq!(
        r.message(Lang::Id),
        "Pilihan itu tidak ada. Ketuk salah satu tombol atau ketik nomornya (1–2)."
    );
    assert!(check(&d, "kelompok", Input::Choice("zzz")).is_err());
    assert_eq!(
        value(&d, "tpb", Input::Text("10, 4 ,4")),
        AnswerValue::Choices {
            options: vec!["tpb_04".into(), "tpb_10".into()]
        }
    );
    assert_eq!(
        value(&d, "tpb", Input::Text("1 3")),
        AnswerValue::Choices {
            options: vec!["tpb_01".into(), "tpb_03".into()]
        }
    );
    assert_eq!(
        value(&d, "tpb", Input::Choices(vec!["tpb_17".into()])),
        AnswerValue::Choices {
            options: vec!["tpb_17".into()]
        }
    );
    let r = check(&d, "tpb", Input::Choices(vec![])).unwrap_err();
    assert_eq!(r, Rejection::TooFewSelected { count: 0, min: 1 });
    let r = check(&d, "tpb", Input::Text("1,2,3,4,5,6")).unwrap_err();
    assert_eq!(r.message(Lang::Id), "Pilih paling banyak 5 (6 dipilih).");
    let tpb = d.question("tpb").unwrap();
    let v = AnswerValue::Choices {
        options: vec!["tpb_04".into(), "tpb_10".into()],
    };
    assert_eq!(
        v.display(Lang::En, tpb),
        "4. Quality Education, 10. Reduced Inequalities"
    );
}

#[test]
pub(super) fn yes_no_words() {
    let d = kipp();
    for (typed, want) in [
        ("ya", true),
        ("Y", true),
        ("yes", true),
        ("tidak", false),
        ("t", false),
        ("No", false),
        ("belum", false),
    ] {
        assert_eq!(
            value(&d, "siap_presentasi", Input::Text(typed)),
            AnswerValue::YesNo { value: want },
            "{typed}"
        );
    }
    assert_eq!(
        value(&d, "siap_presentasi", Input::YesNo(true)),
        AnswerValue::YesNo { value: true }
    );
    assert_eq!(
        check(&d, "siap_presentasi", Input::Text("mungkin")).unwrap_err(),
        Rejection::NotYesNo
    );
    let v = AnswerValue::YesNo { value: false };
    assert_eq!(
        v.display(Lang::Id, d.question("siap_presentasi").unwrap()),
        "Tidak"
    );
}

#[test]
pub(super) fn start_date_rules() {
    let d = kipp();
    let accepted = check(&d, "tanggal_mulai", Input::Text("1 Maret 2024")).unwrap();
    assert_eq!(
        accepted.value,
        Some(AnswerValue::Date {
            date: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()
        })
    );
    // Counted to the national close (3 June 2025); no kelompok yet: the larger minimum.
    assert_eq!(
        accepted.warnings,
        [Warning::YoungerThanMinimum {
            years: 2,
            months_running: 15,
            counted_to: NaiveDate::from_ymd_opt(2025, 6, 3),
            group: None,
        }]
    );
    assert_eq!(
        accepted.warnings[0].message(Lang::Id),
        "Catatan: pada penutupan nasional (3 Juni 2025) inovasi ini baru berjalan 15 bulan, sedangkan KIPP biasanya mensyaratkan minimal 2 tahun. Jawaban tetap disimpan."
    );
    let old = check(&d, "tanggal_mulai", Input::Text("03/06/2023")).unwrap();
    assert!(
        old.warnings.is_empty(),
        "exactly two years old at the close, 2025-06-03"
    );
    let young = check(&d, "tanggal_mulai", Input::Text("04/06/2023")).unwrap();
    assert_eq!(
        young.warnings.len(),
        1,
        "a day short of two years at the close"
    );
    let r = check(&d, "tanggal_mulai", Input::Text("1 Juni 2025")).unwrap_err();
    assert_eq!(
        r.message(Lang::Id),
        "Tanggal tidak boleh melewati hari ini (20 Mei 2025)."
    );
    let r = check(&d, "tanggal_mulai", Input::Text("kemarin")).unwrap_err();
    assert!(r.message(Lang::En).contains("1 March 2024"));
}

#[test]
pub(super) fn email_phone_url_contact() {
    let d = kipp();
    assert_eq!(
        value(&d, "email_pimpinan", Input::Text("Kepala@Perpusnas.go.id")),
        AnswerValue::Email {
            email: "Kepala@perpusnas.go.id".into()
        }
    );
    assert!(
        check(&d, "email_pimpinan", Input::Text("kepala"))
            .unwrap_err()
            .message(Lang::Id)
            .contains("nama@perpusnas.go.id")
    );
    assert_eq!(
        value(&d, "telepon_pimpinan", Input::Text("(021) 1234567")),
        AnswerValue::Phone {
            phone: "+62211234567".into()
        }
    );
    assert_eq!(
        value(
            &d,
            "telepon_pimpinan",
            Input::Contact {
                phone: "6281234567890",
                first_name: "A",
                last_name: None
            }
        ),
        AnswerValue::Phone {
            phone: "+6281234567890".into()
        }
    );
    assert!(check(&d, "telepon_pimpinan", Input::Text("12")).is_err());
    assert_eq!(
        value(
            &d,
            "video_url",
            Input::Text("Ini videonya: https://youtu.be/abc123")
        ),
        AnswerValue::Url {
            url: "https://youtu.be/abc123".into()
        }
    );
    let r = check(&d, "video_url", Input::Text("https://vimeo.com/1")).unwrap_err();
    assert!(
        r.message(Lang::Id)
            .starts_with("Tautan dari vimeo.com tidak diterima; gunakan youtube.com, youtu.be,"),
        "{}",
        r.message(Lang::Id)
    );
    assert_eq!(
        value(
            &d,
            "narahubung",
            Input::Text("Budi Santoso, S.Kom., 0812-3456-7890")
        ),
        AnswerValue::Contact {
            name: "Budi Santoso, S.Kom.".into(),
            phone: Some("+6281234567890".into())
        }
    );
    assert_eq!(
        value(&d, "narahubung", Input::Text("0812 3456 7890 Budi")),
        AnswerValue::Contact {
            name: "Budi".into(),
            phone: Some("+6281234567890".into())
        }
    );
    assert_eq!(
        value(
            &d,
            "narahubung",
            Input::Contact {
                phone: "+62 812 3456 7890",
                first_name: "Budi",
                last_name: Some("Santoso")
            }
        ),
        AnswerValue::Contact {
            name: "Budi Santoso".into(),
            phone: Some("+6281234567890".into())
        }
    );
    assert_eq!(
        check(&d, "narahubung", Input::Text("Budi")).unwrap_err(),
        Rejection::ContactIncomplete
    );
    let v = AnswerValue::Contact {
        name: "Budi".into(),
        phone: Some("+62812".into()),
    };
    assert_eq!(
        v.display(Lang::Id, d.question("narahubung").unwrap()),
        "Budi (+62812)"
    );
}

pub(super) fn file(
    kind: FileKind,
    mime: Option<&str>,
    size: u64,
    name: Option<&str>,
) -> Input<'static> {
    Input::File(FileMeta {
        kind,
        mime: mime.map(str::to_owned),
        size: Some(size),
        name: name.map(str::to_owned),
    })
}

#[test]
pub(super) fn files() {
    let d = kipp();
    let pdf = file(
        FileKind::Document,
        Some("application/pdf"),
        1_000_000,
        Some("sk.pdf"),
    );
    let accepted = check(&d, "dasar_hukum", pdf.clone()).unwrap();
    assert_eq!(
        accepted,
        Accepted {
            value: None,
            warnings: vec![]
        }
    );
    assert!(
        check(
            &d,
            "dasar_hukum",
            file(FileKind::Photo, None, 500_000, None)
        )
        .is_ok()
    );
    let big = file(
        FileKind::Document,
        Some("application/pdf"),
        25 * 1_048_576,
        None,
    );
    let r = check(&d, "dasar_hukum", big).unwrap_err();
    assert_eq!(
        r.message(Lang::Id),
        "File terlalu besar (25,0 MB); maksimal 10 MB. Kompres atau pecah filenya lalu kirim lagi."
    );
    assert!(
        r.message(Lang::En)
            .starts_with("The file is too large (25.0 MB); at most 10 MB.")
    );
    let r = check(
        &d,
        "data_pendukung",
        file(FileKind::Document, Some("application/msword"), 10, None),
    )
    .unwrap_err();
    assert_eq!(
        r.message(Lang::Id),
        "Jenis file ini (Word) tidak diterima; kirim file PDF."
    );
    let r = check(
        &d,
        "data_pendukung",
        file(FileKind::Document, None, 10, Some("data.docx")),
    )
    .unwrap_err();
    assert!(matches!(r, Rejection::FileTypeNotAllowed { .. }));
    let r = check(
        &d,
        "laporan_evaluasi",
        file(FileKind::Photo, None, 10, None),
    )
    .unwrap_err();
    assert_eq!(
        r.message(Lang::Id),
        "Pertanyaan ini meminta dokumen, bukan foto. Kirim sebagai file (📎 → File)."
    );
    assert!(
        check(
            &d,
            "foto",
            file(FileKind::Document, Some("image/png"), 10, None)
        )
        .is_ok()
    );
    let q = d.question("dasar_hukum").unwrap();
    assert!(d.check_file_slot(q, 4).is_ok());
    assert_eq!(
        d.check_file_slot(q, 5).unwrap_err(),
        Rejection::TooManyFiles { max: 5 }
    );
    assert_eq!(
        d.check_file_slot(d.question("judul").unwrap(), 0)
            .unwrap_err(),
        Rejection::NotAnswerable
    );
}

#[test]
pub(super) fn display_uses_notation_units_and_labels() {
    let d = kipp();
    let v = AnswerValue::Integer { value: 12500 };
    assert_eq!(
        v.display(Lang::Id, d.question("penerima_manfaat").unwrap()),
        "12.500 orang"
    );
    assert_eq!(
        v.display(Lang::En, d.question("penerima_manfaat").unwrap()),
        "12,500 people"
    );
    let v = AnswerValue::Number { value: 87.5 };
    assert_eq!(v.display(Lang::Id, d.question("ikm").unwrap()), "87,5");
    let v = AnswerValue::Date {
        date: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
    };
    assert_eq!(
        v.display(Lang::Id, d.question("tanggal_mulai").unwrap()),
        "1 Maret 2024"
    );
    let v = choice("transformasi_digital");
    assert_eq!(
        v.display(Lang::Id, d.question("kategori").unwrap()),
        "Transformasi digital pelayanan publik"
    );
    assert_eq!(
        choice("gone").display(Lang::Id, d.question("kategori").unwrap()),
        "gone"
    );
}

#[test]
pub(super) fn every_rejection_has_both_languages() {
    use crate::domain::{DateError, EmailError, NumberError, PhoneError, UrlError};
    let all = [
        Rejection::Empty {
            expected: Expected::Date,
        },
        Rejection::TooFewWords { count: 1, min: 5 },
        Rejection::TooFewChars { count: 1, min: 5 },
        Rejection::Number(NumberError::BadGrouping),
        Rejection::Number(NumberError::TooManyDigits),
        Rejection::Date(DateError::TwoDigitYear),
        Rejection::Date(DateError::YearOutOfRange),
        Rejection::Date(DateError::InvalidDate),
        Rejection::Email(EmailError::MissingAt),
        Rejection::Phone(PhoneError::MissingPrefix),
        Rejection::Phone(PhoneError::NotIndonesian),
        Rejection::Phone(PhoneError::TooShort),
        Rejection::Phone(PhoneError::TooLong),
        Rejection::Phone(PhoneError::InvalidCharacters),
        Rejection::Url {
            error: UrlError::NotHttp,
            allowed_hosts: vec![],
        },
        Rejection::Url {
            error: UrlError::Invalid,
            allowed_hosts: vec![],
        },
        Rejection::WrongInput {
            expected: Expected::Contact,
            received: Received::Other("location"),
        },
        Rejection::WrongInput {
            expected: Expected::Choices,
            received: Received::Other("weird"),
        },
        Rejection::FileKindNotAllowed {
            kind: FileKind::Audio,
            allowed: vec![FileKind::Document, FileKind::Video],
        },
        Rejection::TooManyFiles { max: 3 },
        Rejection::NotAnswerable,
    ];
    for r in all {
        let (id, en) = (r.message(Lang::Id), r.message(Lang::En));
        assert!(!id.is_empty() && !en.is_empty() && id != en, "{r:?}");
        assert!(id.ends_with('.') && en.ends_with('.'), "{id} / {en}");
    }
}

mod props {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(crate::test_support::proptest_config(64))]

        /// Whatever is typed, no question of the real questionnaire panics, and every accepted
        /// value renders in both languages.
        #[test]
        fn validate_never_panics_on_any_question(s in "\\PC{0,80}") {
            let d = kipp();
            let ids: Vec<String> = d
                .sections()
                .iter()
                .flat_map(|s| s.questions.iter())
                .flat_map(|q| std::iter::once(q).chain(q.members()))
                .map(|q| q.id.clone())
                .collect();
            for id in ids {
                let question = d.question(&id).unwrap();
                for input in [Input::Text(&s), Input::Choice(&s), Input::Choices(vec![s.clone()])] {
                    match d.validate(question, &input, &Progress::new(), today()) {
                        Ok(Accepted { value: Some(value), .. }) => {
                            let _ = value.display(Lang::Id, question);
                            let json = serde_json::to_string(&value).unwrap();
                            prop_assert_eq!(serde_json::from_str::<AnswerValue>(&json).unwrap(), value);
                        }
                        Ok(_) => {}
                        Err(rejection) => prop_assert!(!rejection.message(Lang::En).is_empty()),
                    }
                }
            }
        }
    }
}
