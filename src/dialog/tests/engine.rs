//! The engine: walking, conditions, groups, completion.

use super::*;

pub(super) fn small() -> Dialog {
    let group = "min_items = 1\nmax_items = 2\nitem_label = { id = \"metrik\", en = \"metric\" }\n\n\
        [[sections.questions.questions]]\nid = \"m1\"\ntype = \"text\"\nlabel = { id = \"M1\", en = \"M1\" }\nprompt = { id = \"p\", en = \"p\" }\n\n\
        [[sections.questions.questions]]\nid = \"m2\"\ntype = \"number\"\nrequired = false\nlabel = { id = \"M2\", en = \"M2\" }\nprompt = { id = \"p\", en = \"p\" }\n";
    let src = format!(
        "{HEAD}{}{}{}{}{}{}{}",
        section("s1", &question("jenis", "single_choice", CHOICE)),
        question(
            "only_b",
            "text",
            "show_if = { question = \"jenis\", equals = \"b\" }\n"
        ),
        question("opsional", "text", "required = false\n"),
        section(
            "s2",
            &format!(
                "show_if = {{ question = \"jenis\", any_of = [\"a\"] }}\n{}",
                question("only_a", "yes_no", "")
            )
        ),
        section("s3", &question("g", "group", group)),
        question("doc", "file", "min_count = 2\nmax_count = 3\n"),
        question("akhir", "email", ""),
    );
    Dialog::from_toml_str(&src).unwrap_or_else(|e| panic!("{e}"))
}

pub(super) fn choice(id: &str) -> AnswerValue {
    AnswerValue::Choice { option: id.into() }
}

pub(super) fn txt(s: &str) -> AnswerValue {
    AnswerValue::Text { text: s.into() }
}

#[test]
pub(super) fn walk_follows_conditions_and_groups() {
    let d = small();
    let mut p = Progress::new();
    assert_eq!(d.first_missing(&p), Cursor::Question(q("jenis")));
    d.record_answer(&mut p, q("jenis"), choice("a"));
    let c = d.next(&Cursor::Question(q("jenis")), &p);
    assert_eq!(c, Cursor::Question(q("opsional")), "only_b is hidden");
    let c = d.next(&c, &p);
    assert_eq!(c, Cursor::Question(q("only_a")), "section s2 shown for a");
    let c = d.next(&c, &p);
    assert_eq!(
        c,
        Cursor::Question(AnswerKey::item("m1", 0)),
        "min_items = 1: straight into item 0"
    );
    d.record_answer(&mut p, AnswerKey::item("m1", 0), txt("x"));
    assert_eq!(p.items("g"), 1);
    let c = d.next(&c, &p);
    assert_eq!(c, Cursor::Question(AnswerKey::item("m2", 0)));
    let c = d.next(&c, &p);
    assert_eq!(
        c,
        Cursor::AddAnother {
            group: "g".into(),
            items: 1
        }
    );
    let yes = d.add_another("g", true, &p);
    assert_eq!(yes, Cursor::Question(AnswerKey::item("m1", 1)));
    assert_eq!(d.next(&yes, &p), Cursor::Question(AnswerKey::item("m2", 1)));
    d.record_answer(&mut p, AnswerKey::item("m1", 1), txt("y"));
    // max_items reached: no AddAnother after item 1.
    assert_eq!(
        d.next(&Cursor::Question(AnswerKey::item("m2", 1)), &p),
        Cursor::Question(q("doc"))
    );
    assert_eq!(d.add_another("g", false, &p), Cursor::Question(q("doc")));
    assert_eq!(
        d.next(&Cursor::Question(q("doc")), &p),
        Cursor::Question(q("akhir"))
    );
    assert_eq!(d.next(&Cursor::Question(q("akhir")), &p), Cursor::Done);
    assert_eq!(d.next(&Cursor::Done, &p), Cursor::Done);
}

#[test]
pub(super) fn walk_with_other_branch() {
    let d = small();
    let mut p = Progress::new();
    d.record_answer(&mut p, q("jenis"), choice("b"));
    assert_eq!(
        d.next(&Cursor::Question(q("jenis")), &p),
        Cursor::Question(q("only_b"))
    );
    assert_eq!(
        d.next(&Cursor::Question(q("opsional")), &p),
        Cursor::Question(AnswerKey::item("m1", 0))
    );
    assert!(!d.is_visible("only_a", &p));
    assert!(d.is_visible("only_b", &p));
    assert!(!d.is_visible("unknown", &p));
    assert_eq!(d.visible_sections(&p).len(), 2);
}

#[test]
pub(super) fn back_button() {
    let d = small();
    let mut p = Progress::new();
    d.record_answer(&mut p, q("jenis"), choice("a"));
    assert_eq!(
        d.previous(&Cursor::Question(q("jenis")), &p),
        Cursor::Question(q("jenis"))
    );
    assert_eq!(
        d.previous(&Cursor::Question(q("only_a")), &p),
        Cursor::Question(q("opsional"))
    );
    assert_eq!(
        d.previous(&Cursor::Question(q("opsional")), &p),
        Cursor::Question(q("jenis"))
    );
    assert_eq!(
        d.previous(&Cursor::Question(AnswerKey::item("m1", 0)), &p),
        Cursor::Question(q("only_a"))
    );
    assert_eq!(
        d.previous(&Cursor::Question(q("doc")), &p),
        Cursor::AddAnother {
            group: "g".into(),
            items: 1
        }
    );
    assert_eq!(d.previous(&Cursor::Done, &p), Cursor::Question(q("akhir")));
    assert_eq!(
        d.previous(
            &Cursor::AddAnother {
                group: "g".into(),
                items: 1
            },
            &p
        ),
        Cursor::Question(AnswerKey::item("m2", 0))
    );
}

#[test]
pub(super) fn vanished_question_recovers() {
    let d = small();
    let p = Progress::new();
    let gone = Cursor::Question(q("deleted_from_file"));
    assert_eq!(d.next(&gone, &p), Cursor::Question(q("jenis")));
    assert_eq!(d.previous(&gone, &p), Cursor::Question(q("jenis")));
    assert_eq!(
        d.add_another("nope", true, &p),
        Cursor::Question(q("jenis"))
    );
    let pos = d.position(&gone, &p);
    assert_eq!(pos.section_index, pos.section_count);
}

#[test]
pub(super) fn hidden_cursor_moves_on() {
    let d = small();
    let mut p = Progress::new();
    d.record_answer(&mut p, q("jenis"), choice("a"));
    // The person was on only_b, then changed jenis to a: only_b is hidden but next still works.
    assert_eq!(
        d.next(&Cursor::Question(q("only_b")), &p),
        Cursor::Question(q("opsional"))
    );
}

#[test]
pub(super) fn missing_and_completion() {
    let d = small();
    let mut p = Progress::new();
    d.record_answer(&mut p, q("jenis"), choice("a"));
    let missing = d.missing(&p);
    let kinds: Vec<(&str, &MissingKind)> = missing
        .iter()
        .map(|m| (m.question.as_str(), &m.what))
        .collect();
    assert_eq!(
        kinds,
        [
            ("only_a", &MissingKind::Answer),
            ("g", &MissingKind::Items { have: 0, need: 1 }),
            ("doc", &MissingKind::Files { have: 0, need: 2 }),
            ("akhir", &MissingKind::Answer),
        ]
    );
    assert_eq!(missing[1].message(&d, Lang::Id), "Belum ada metrik");
    assert_eq!(missing[1].message(&d, Lang::En), "No metric yet");
    assert_eq!(missing[2].message(&d, Lang::Id), "doc belum diunggah");
    assert_eq!(missing[0].message(&d, Lang::Id), "only_a belum diisi");
    let c = d.completion(&p);
    // jenis, only_a, m1#0, doc, akhir
    assert_eq!((c.required_done, c.required_total, c.percent), (1, 5, 20));

    d.record_file(&mut p, q("doc"));
    p.start_item("g", 0);
    let missing = d.missing(&p);
    assert!(
        missing
            .iter()
            .any(|m| m.what == MissingKind::Files { have: 1, need: 2 })
    );
    let m1 = missing.iter().find(|m| m.question == "m1").unwrap();
    assert_eq!(m1.key, AnswerKey::item("m1", 0));
    assert_eq!(m1.message(&d, Lang::Id), "M1 (metrik 1) belum diisi");
    assert_eq!(d.first_missing(&p), Cursor::Question(q("only_a")));

    d.record_answer(&mut p, q("only_a"), AnswerValue::YesNo { value: true });
    d.record_answer(&mut p, AnswerKey::item("m1", 0), txt("x"));
    d.record_file(&mut p, q("doc"));
    d.record_answer(
        &mut p,
        q("akhir"),
        AnswerValue::Email {
            email: "a@b.id".into(),
        },
    );
    assert!(d.missing(&p).is_empty());
    assert_eq!(d.first_missing(&p), Cursor::Done);
    assert_eq!(d.completion(&p).percent, 100);
    // Optional questions skipped come back through first_unanswered.
    assert_eq!(d.first_unanswered(&p), Cursor::Question(q("opsional")));
}

#[test]
pub(super) fn position_counts_visible_sections_and_questions() {
    let d = small();
    let mut p = Progress::new();
    d.record_answer(&mut p, q("jenis"), choice("a"));
    let pos = d.position(&Cursor::Question(q("opsional")), &p);
    assert_eq!(
        pos,
        Position {
            section_index: 1,
            section_count: 3,
            question_index: 2,
            question_count: 2
        }
    );
    let pos = d.position(&Cursor::Question(AnswerKey::item("m2", 1)), &p);
    assert_eq!(
        pos,
        Position {
            section_index: 3,
            section_count: 3,
            question_index: 2,
            question_count: 4
        }
    );
    let pos = d.position(
        &Cursor::AddAnother {
            group: "g".into(),
            items: 1,
        },
        &p,
    );
    assert_eq!(pos.question_index, 2);
    let pos = d.position(&Cursor::Done, &p);
    assert_eq!((pos.section_index, pos.question_index), (3, 4));
    d.record_answer(&mut p, q("jenis"), choice("b"));
    let pos = d.position(&Cursor::Question(q("doc")), &p);
    assert_eq!((pos.section_index, pos.section_count), (2, 2));
}

#[test]
pub(super) fn review_and_progress_from() {
    let d = small();
    let mut answers = std::collections::HashMap::new();
    answers.insert(q("jenis"), choice("a"));
    answers.insert(AnswerKey::item("m1", 1), txt("second"));
    let mut files = std::collections::HashMap::new();
    files.insert(q("doc"), 2);
    let p = d.progress_from(answers, files);
    assert_eq!(p.items("g"), 2);
    let review = d.review(&p);
    let sections: Vec<&str> = review.iter().map(|s| s.section.id.as_str()).collect();
    assert_eq!(sections, ["s1", "s2", "s3"]);
    let s3 = &review[2];
    let keys: Vec<String> = s3
        .entries
        .iter()
        .map(|e| format!("{}#{}", e.key.question, e.key.item))
        .collect();
    assert_eq!(keys, ["m1#0", "m2#0", "m1#1", "m2#1", "doc#0", "akhir#0"]);
    assert_eq!(s3.entries[2].answer, Some(&txt("second")));
    assert_eq!(s3.entries[2].group.unwrap().id, "g");
    assert_eq!(s3.entries[4].files, 2);
    let jenis = d.question("jenis").unwrap();
    assert_eq!(
        review[0].entries[0]
            .answer
            .unwrap()
            .display(Lang::En, jenis),
        "A"
    );
}

#[test]
pub(super) fn kipp_replication_branch_and_first_missing() {
    let d = kipp();
    let mut p = Progress::new();
    assert_eq!(d.first_missing(&p), Cursor::Question(q("judul")));
    assert_eq!(
        d.position(&Cursor::Question(q("judul")), &p).section_count,
        6
    );
    assert!(!d.is_visible("inspirasi", &p));
    d.record_answer(&mut p, q("kelompok"), choice("replikasi"));
    assert!(d.is_visible("inspirasi", &p));
    assert_eq!(
        d.position(&Cursor::Question(q("judul")), &p).section_count,
        7
    );
    assert_eq!(
        d.next(&Cursor::Question(q("kontribusi_tpb")), &p),
        Cursor::Question(q("inspirasi"))
    );
    d.record_answer(&mut p, q("kelompok"), choice("umum"));
    assert_eq!(
        d.next(&Cursor::Question(q("kontribusi_tpb")), &p),
        Cursor::Question(AnswerKey::item("nama_metrik", 0))
    );
    let missing = d.missing(&p);
    let dasar = missing
        .iter()
        .find(|m| m.question == "dasar_hukum")
        .unwrap();
    assert_eq!(
        dasar.message(&d, Lang::Id),
        "Dasar hukum (SK) belum diunggah"
    );
    let metrik = missing.iter().find(|m| m.question == "metrik").unwrap();
    assert_eq!(metrik.message(&d, Lang::Id), "Belum ada indikator dampak");
    assert!(
        !missing
            .iter()
            .any(|m| m.question == "foto" || m.question == "ikm")
    );
}
