//! The KIPP 2025 file and the checker on it.

use super::*;

#[test]
pub(super) fn kipp2025_has_the_expected_shape() {
    let d = kipp();
    assert_eq!(d.campaign().max_innovations, 15);
    assert_eq!(
        d.campaign().min_age_years,
        Some(MinAge::PerOption {
            question: "kelompok".into(),
            years: vec![("umum".into(), 2), ("replikasi".into(), 1)],
        })
    );
    assert_eq!(
        d.campaign().national_close.unwrap().to_string(),
        "2025-06-03 23:59:00"
    );
    let ids: Vec<&str> = d.sections().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "deskripsi",
            "narasi",
            "replikasi",
            "dampak",
            "pengembangan",
            "bukti",
            "pimpinan"
        ]
    );
    assert_eq!(d.question("kategori").unwrap().options().len(), 9);
    assert_eq!(
        d.question("kategori")
            .unwrap()
            .option_label("pengentasan_kemiskinan", Lang::Id),
        "Pemberantasan kemiskinan"
    );
    assert_eq!(d.question("tpb").unwrap().options().len(), 17);
    assert_eq!(d.group_of("nilai_sesudah").unwrap().id, "metrik");
    assert_eq!(d.section_of("narahubung").unwrap().id, "pimpinan");
    assert_eq!(d.version().len(), 64);
    let QuestionKind::Date(rules) = &d.question("tanggal_mulai").unwrap().kind else {
        panic!()
    };
    assert_eq!(rules.min_age, Some(AgeRule::Campaign));
    assert!(rules.not_after_today);
    // SINOVIK's eight boxes in the form's order; Keberlanjutan is one box of 500 words.
    let boxes: Vec<&str> = d.boxes().iter().map(|b| b.title.id.as_str()).collect();
    assert_eq!(
        boxes,
        [
            "Ringkasan",
            "Latar Belakang dan Tujuan",
            "Kebaruan",
            "Implementasi",
            "Signifikansi",
            "Adaptabilitas",
            "Sumber Daya",
            "Strategi Keberlanjutan"
        ]
    );
    let keberlanjutan = d.box_of("keberlanjutan_sosial").unwrap();
    assert_eq!(keberlanjutan.questions.len(), 3);
    assert_eq!(keberlanjutan.max_words, Some(500));
    assert_eq!(
        keberlanjutan.attachment.as_deref(),
        Some("lampiran_keberlanjutan")
    );
    assert_eq!(d.box_of("ringkasan").unwrap().min_words, Some(30));
    assert_eq!(
        d.box_of("potensi_replikasi").unwrap().questions,
        ["sudah_direplikasi", "potensi_replikasi"]
    );
    assert_eq!(
        d.box_with_attachment("lampiran_signifikansi").unwrap().id,
        "signifikansi"
    );
    // Kolaborasi is merged into keberlanjutan_sosial; one testimonial text became a group.
    assert!(d.question("kolaborasi").is_none());
    assert!(d.question("testimoni").is_none());
    let QuestionKind::Group(testimonials) = &d.question("testimoni_penerima").unwrap().kind else {
        panic!()
    };
    assert_eq!(testimonials.min_items, 2);
    // Every narrative has a floor: a Ringkasan of "6" is no answer.
    for b in d.boxes() {
        assert!(b.min_words.is_some() && b.max_words.is_some(), "{}", b.id);
    }
    // No user text says "metrik" or "meniru", nor uses local-government examples.
    for section in d.sections() {
        for question in section
            .questions
            .iter()
            .flat_map(|q| std::iter::once(q).chain(q.members()))
        {
            let texts = [
                Some(&question.label),
                Some(&question.prompt),
                question.help.as_ref(),
            ];
            for text in texts.into_iter().flatten() {
                for word in [
                    "metrik",
                    "meniru",
                    "Perbup",
                    "APBD",
                    "PKK",
                    "Karang Taruna",
                    "LAYAR KACA",
                ] {
                    assert!(!text.id.contains(word), "{}: {word}", question.id);
                }
            }
        }
    }
}

#[test]
pub(super) fn version_is_the_sha256_of_the_text() {
    let a = kipp();
    let b = Dialog::from_toml_str(&format!("{KIPP}\n# changed\n")).unwrap();
    assert_ne!(a.version(), b.version());
    assert_eq!(a.version(), kipp().version());
}

#[test]
pub(super) fn load_reads_a_file_and_reports_io_errors() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/dialogs/kipp2025.toml");
    assert!(Dialog::load(path).is_ok());
    assert!(matches!(
        Dialog::load("/nonexistent/x.toml"),
        Err(LoadError::Io { .. })
    ));
}

#[test]
pub(super) fn broken_copy_reports_every_problem_with_its_line() {
    let src = KIPP
        .replacen("type = \"yes_no\"", "type = \"boolean\"", 1)
        .replacen(
            "max_chars = 150\nmin_chars = 5",
            "max_chars = 150\nmin_chars = 500\ncolour = \"red\"",
            1,
        )
        .replacen("id = \"satuan\"", "id = \"nama_metrik\"", 1)
        .replacen("max_words = 80", "max_words = 80\nmax_selected = 2", 1)
        .replacen(
            "\nshow_if = { question = \"kelompok\", equals = \"replikasi\" }",
            "\nshow_if = { question = \"kelompok\", equals = \"replika\" }",
            1,
        )
        .replacen(
            "name = { id = \"KIPP 2025\", en = \"KIPP 2025\" }",
            "name = { id = \"KIPP 2025\" }",
            1,
        )
        .replacen("max_innovations = 15", "max_innovations = 0", 1)
        .replacen(
            "\nmime_types = [\"application/pdf\"]",
            "\nmime_types = [\"application/pdff\"]",
            1,
        )
        .replacen(
            "questions = [\"sudah_direplikasi\", \"potensi_replikasi\"]",
            "questions = [\"sudah_direplikasi\", \"potensi_replikasi\", \"tanggal_mulai\"]",
            1,
        )
        .replacen(
            "\nmin_age_years = { umum = 2, replikasi = 1 }",
            "\nmin_age_years = { umum = 2, replika = 1 }",
            1,
        )
        .replacen("warn_max_size_mb = 2", "warn_max_size_mb = 30", 1);
    let errs = errors(&src);
    assert!(errs.len() >= 8, "{errs:#?}");
    assert!(
        has_error(
            &errs,
            line_of(&src, "type = \"boolean\""),
            "unknown type `boolean`"
        ),
        "{errs:#?}"
    );
    assert!(
        has_error(
            &errs,
            line_of(&src, "min_chars = 500"),
            "greater than `max_chars`"
        ),
        "{errs:#?}"
    );
    assert!(
        has_error(&errs, line_of(&src, "colour"), "unknown key `colour`"),
        "{errs:#?}"
    );
    let second_nama = src.match_indices("id = \"nama_metrik\"").nth(1).unwrap().0;
    let dup_line = src[..second_nama].lines().count(); // the header line just above
    assert!(
        errs.iter()
            .any(|e| e.message.contains("duplicate question id") && e.line == dup_line),
        "{errs:#?}"
    );
    assert!(
        has_error(
            &errs,
            line_of(&src, "max_selected = 2"),
            "does not apply to a text question"
        ),
        "{errs:#?}"
    );
    assert!(
        has_error(
            &errs,
            line_of(&src, "equals = \"replika\""),
            "has no option `replika`"
        ),
        "{errs:#?}"
    );
    assert!(
        has_error(
            &errs,
            line_of(&src, "name = { id = \"KIPP 2025\" }"),
            "missing English text"
        ),
        "{errs:#?}"
    );
    assert!(
        has_error(&errs, line_of(&src, "max_innovations = 0"), "between 1 and"),
        "{errs:#?}"
    );
    assert!(
        has_error(
            &errs,
            line_of(&src, "application/pdff"),
            "unknown MIME type"
        ),
        "{errs:#?}"
    );
    assert!(
        has_error(
            &errs,
            line_of(&src, "\"tanggal_mulai\"]"),
            "box `adaptabilitas`: `tanggal_mulai` is a date question, not a text question"
        ),
        "{errs:#?}"
    );
    assert!(
        has_error(
            &errs,
            src[..src.find("\nmin_age_years").unwrap()].lines().count() + 1,
            "no single_choice question outside groups has the options `umum`, `replika`"
        ),
        "{errs:#?}"
    );
    assert!(
        has_error(
            &errs,
            line_of(&src, "warn_max_size_mb = 30"),
            "below `max_size_mb` (20)"
        ),
        "{errs:#?}"
    );
    // Sorted by line.
    assert!(errs.windows(2).all(|w| w[0].line <= w[1].line));
}

#[test]
pub(super) fn syntax_error_has_a_line() {
    let errs = errors("[campaign]\nid = \"x\"\nname = { id = \"a\", en = \n");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line, 3);
    assert!(errs[0].message.starts_with("TOML syntax"));
}

/// The example in DIALOG_FORMAT.md (or the README it is pasted into) must load.
#[test]
pub(super) fn documented_example_loads() {
    let root = env!("CARGO_MANIFEST_DIR");
    let doc = ["DIALOG_FORMAT.md", "README.md"]
        .iter()
        .filter_map(|name| std::fs::read_to_string(format!("{root}/{name}")).ok())
        .find(|text| text.contains("### A short complete example"))
        .expect("DIALOG_FORMAT.md or a README holding it");
    let example = &doc[doc.find("### A short complete example").unwrap()..];
    let start = example.find("```toml\n").unwrap() + "```toml\n".len();
    let end = start + example[start..].find("```").unwrap();
    let d = Dialog::from_toml_str(&example[start..end]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.sections().len(), 2);
}
