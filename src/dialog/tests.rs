//! Tests of the dialog file checker, the engine and the validation, on the real KIPP 2025 file
//! and on small inline dialogs.

use chrono::NaiveDate;

use super::*;
use crate::domain::{AnswerValue, Lang};

const KIPP: &str = include_str!("../../dialogs/kipp2025.toml");

fn kipp() -> Dialog {
    Dialog::from_toml_str(KIPP).unwrap_or_else(|e| panic!("{e}"))
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 5, 20).unwrap()
}

fn q(id: &str) -> AnswerKey {
    AnswerKey::new(id)
}

fn line_of(src: &str, needle: &str) -> usize {
    src.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle}"))
        + 1
}

fn errors(src: &str) -> Vec<DialogError> {
    match Dialog::from_toml_str(src) {
        Ok(_) => panic!("expected errors"),
        Err(DialogErrors(errors)) => errors,
    }
}

fn has_error(errors: &[DialogError], line: usize, fragment: &str) -> bool {
    errors
        .iter()
        .any(|e| e.line == line && e.message.contains(fragment))
}

// --- the KIPP 2025 file ----------------------------------------------------------------------

#[test]
fn kipp2025_has_the_expected_shape() {
    let d = kipp();
    assert_eq!(d.campaign().max_innovations, 15);
    assert_eq!(d.campaign().min_age_years, Some(2));
    assert_eq!(
        d.campaign().default_deadline.unwrap().to_string(),
        "2025-06-03 23:59:00"
    );
    let ids: Vec<&str> = d.sections().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["deskripsi", "replikasi", "dampak", "bukti", "pimpinan"]
    );
    assert_eq!(d.question("kategori").unwrap().options().len(), 9);
    assert_eq!(d.question("tpb").unwrap().options().len(), 17);
    assert_eq!(d.group_of("nilai_sesudah").unwrap().id, "metrik");
    assert_eq!(d.section_of("narahubung").unwrap().id, "pimpinan");
    assert_eq!(d.version().len(), 64);
    let QuestionKind::Date(rules) = &d.question("tanggal_mulai").unwrap().kind else {
        panic!()
    };
    assert_eq!(rules.warn_if_younger_than_years, Some(2));
    assert!(rules.not_after_today);
    let QuestionKind::Text(rules) = &d.question("signifikansi").unwrap().kind else {
        panic!()
    };
    assert_eq!((rules.max_words, rules.multi_message), (Some(600), true));
    // Keberlanjutan's 500 words are split in three.
    let words: u32 = [
        "keberlanjutan_institusional",
        "keberlanjutan_manajerial",
        "keberlanjutan_sosial",
    ]
    .iter()
    .map(|id| match &d.question(id).unwrap().kind {
        QuestionKind::Text(r) => r.max_words.unwrap(),
        _ => 0,
    })
    .sum();
    assert_eq!(words, 500);
}

#[test]
fn version_is_the_sha256_of_the_text() {
    let a = kipp();
    let b = Dialog::from_toml_str(&format!("{KIPP}\n# changed\n")).unwrap();
    assert_ne!(a.version(), b.version());
    assert_eq!(a.version(), kipp().version());
}

#[test]
fn load_reads_a_file_and_reports_io_errors() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/dialogs/kipp2025.toml");
    assert!(Dialog::load(path).is_ok());
    assert!(matches!(
        Dialog::load("/nonexistent/x.toml"),
        Err(LoadError::Io { .. })
    ));
}

#[test]
fn broken_copy_reports_every_problem_with_its_line() {
    let src = KIPP
        .replacen("type = \"yes_no\"", "type = \"boolean\"", 1)
        .replacen(
            "max_chars = 150\nmin_chars = 5",
            "max_chars = 150\nmin_chars = 500\ncolour = \"red\"",
            1,
        )
        .replacen("id = \"satuan\"", "id = \"nama_metrik\"", 1)
        .replacen("max_words = 600", "max_words = 600\nmax_selected = 2", 1)
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
            "mime_types = [\"application/pdf\"]",
            "mime_types = [\"application/pdff\"]",
            1,
        );
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
    // Sorted by line.
    assert!(errs.windows(2).all(|w| w[0].line <= w[1].line));
}

#[test]
fn syntax_error_has_a_line() {
    let errs = errors("[campaign]\nid = \"x\"\nname = { id = \"a\", en = \n");
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line, 3);
    assert!(errs[0].message.starts_with("TOML syntax"));
}

/// The example in DIALOG_FORMAT.md (or the README it is pasted into) must load.
#[test]
fn documented_example_loads() {
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

// --- small dialogs for the checker -------------------------------------------------------

const HEAD: &str =
    "[campaign]\nid = \"c\"\nname = { id = \"C\", en = \"C\" }\nmin_age_years = 2\n\n";

fn text(id: &str) -> String {
    format!("label = {{ id = \"{id}\", en = \"{id}\" }}\nprompt = {{ id = \"P\", en = \"P\" }}\n")
}

fn section(id: &str, body: &str) -> String {
    format!("[[sections]]\nid = \"{id}\"\ntitle = {{ id = \"T\", en = \"T\" }}\n{body}")
}

fn question(id: &str, type_name: &str, extra: &str) -> String {
    format!(
        "[[sections.questions]]\nid = \"{id}\"\ntype = \"{type_name}\"\n{}{extra}\n",
        text(id)
    )
}

const CHOICE: &str = "options = [{ id = \"a\", label = { id = \"A\", en = \"A\" } }, { id = \"b\", label = { id = \"B\", en = \"B\" } }]\n";

#[test]
fn checker_catches_condition_problems() {
    let src = format!(
        "{HEAD}{}{}{}{}{}{}",
        section(
            "s1",
            &question(
                "early",
                "text",
                "show_if = { question = \"pilih\", equals = \"a\" }\n"
            )
        ),
        question("pilih", "single_choice", CHOICE),
        question(
            "nama",
            "text",
            "show_if = { question = \"nama\", equals = \"a\" }\n"
        ),
        question(
            "x",
            "text",
            "show_if = { question = \"nope\", equals = \"a\" }\n"
        ),
        question(
            "y",
            "text",
            "show_if = { question = \"early\", equals = \"a\" }\n"
        ),
        question(
            "z",
            "text",
            "show_if = { question = \"pilih\", equals = true }\n"
        ),
    );
    let errs = errors(&src);
    assert!(
        errs.iter().any(|e| e.message.contains("comes later")),
        "{errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.message.contains("unknown question `nope`")),
        "{errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.message.contains("is a text question")),
        "{errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.message.contains("compare it with an option id")),
        "{errs:#?}"
    );
    assert!(has_error(
        &errs,
        line_of(&src, "question = \"nope\""),
        "unknown question"
    ));
}

#[test]
fn checker_catches_group_and_option_problems() {
    let group = "min_items = 3\nmax_items = 2\nitem_label = { id = \"m\", en = \"m\" }\n\n[[sections.questions.questions]]\nid = \"inner\"\ntype = \"group\"\nlabel = { id = \"i\", en = \"i\" }\nprompt = { id = \"p\", en = \"p\" }\nitem_label = { id = \"m\", en = \"m\" }\n";
    let src = format!(
        "{HEAD}{}{}{}{}",
        section("s1", &question("g", "group", group)),
        question(
            "empty_group",
            "group",
            "item_label = { id = \"m\", en = \"m\" }\nrequired = true\n"
        ),
        question(
            "dup",
            "single_choice",
            "options = [{ id = \"a\", label = { id = \"A\", en = \"A\" } }, { id = \"a\", label = { id = \"A\", en = \"A\" } }]\n"
        ),
        question("none", "multi_choice", "options = []\nmin_selected = 3\n"),
    );
    let errs = errors(&src);
    assert!(
        errs.iter().any(|e| e
            .message
            .contains("`min_items` (3) is greater than `max_items` (2)")),
        "{errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.message.contains("cannot be inside another group")),
        "{errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.message.contains("needs member questions")),
        "{errs:#?}"
    );
    assert!(
        errs.iter().any(|e| e.message.contains("has no `required`")),
        "{errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.message.contains("duplicate option id `a`")),
        "{errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.message.contains("`options` is empty")),
        "{errs:#?}"
    );
}

#[test]
fn checker_catches_campaign_file_and_text_problems() {
    let src = format!(
        "[campaign]\nid = \"Bad Id\"\nname = \"KIPP\"\ndefault_deadline = \"3 Juni 2025\"\nmax_innovations = 0\n\n{}{}{}{}",
        section(
            "s1",
            &question(
                "f",
                "file",
                "kinds = [\"pdf\"]\nmime_types = [\"application/x-foo\"]\nmin_count = 4\nmax_count = 2\nmax_size_mb = 0\n"
            )
        ),
        question("d", "date", "warn_min_age = true\n"),
        "[[sections.questions]]\nid = \"t\"\ntype = \"text\"\nlabel = { id = \"x\" }\nprompt = { en = \"y\", fr = \"z\" }\nmax_words = \"lots\"\n",
        question("u", "url", "allowed_hosts = [\"not a host\"]\n"),
    );
    let errs = errors(&src);
    for fragment in [
        "id `Bad Id` must be",
        "`name` must be a table",
        "`default_deadline` \"3 Juni 2025\" is not a local date-time",
        "`max_innovations` must be between 1 and",
        "unknown file kind `pdf`",
        "unknown MIME type `application/x-foo`",
        "`min_count` (4) is greater than `max_count` (2)",
        "`max_size_mb` (0) must be more than 0",
        "needs `min_age_years`",
        "missing English text",
        "missing Indonesian text",
        "unknown key `fr`",
        "`max_words` must be a whole number",
        "is not a host name",
    ] {
        assert!(
            errs.iter().any(|e| e.message.contains(fragment)),
            "{fragment}: {errs:#?}"
        );
    }
    assert!(has_error(&errs, 2, "Bad Id"));
    assert!(has_error(&errs, line_of(&src, "\"lots\""), "max_words"));
}

#[test]
fn checker_requires_campaign_and_sections() {
    let errs = errors("title = 1\n");
    assert!(
        errs.iter()
            .any(|e| e.message.contains("missing the [campaign]"))
    );
    assert!(errs.iter().any(|e| e.message.contains("no [[sections]]")));
    assert!(
        errs.iter()
            .any(|e| e.message.contains("unknown key `title`"))
    );
    let errs = errors(&format!("{HEAD}{}", section("s", "")));
    assert!(
        errs.iter()
            .any(|e| e.message.contains("has no [[sections.questions]]"))
    );
}

#[test]
fn datetime_literal_deadline_is_accepted() {
    let src = format!(
        "[campaign]\nid = \"c\"\nname = {{ id = \"C\", en = \"C\" }}\ndefault_deadline = 2025-06-03T23:59:00\n\n{}",
        section("s", &question("a", "text", ""))
    );
    let d = Dialog::from_toml_str(&src).unwrap();
    assert_eq!(
        d.campaign().default_deadline.unwrap().to_string(),
        "2025-06-03 23:59:00"
    );
    assert_eq!(d.campaign().max_innovations, 15);
}

// --- the engine --------------------------------------------------------------------------

fn small() -> Dialog {
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

fn choice(id: &str) -> AnswerValue {
    AnswerValue::Choice { option: id.into() }
}

fn txt(s: &str) -> AnswerValue {
    AnswerValue::Text { text: s.into() }
}

#[test]
fn walk_follows_conditions_and_groups() {
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
fn walk_with_other_branch() {
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
fn back_button() {
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
fn vanished_question_recovers() {
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
fn hidden_cursor_moves_on() {
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
fn missing_and_completion() {
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
fn position_counts_visible_sections_and_questions() {
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
fn review_and_progress_from() {
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
fn kipp_replication_branch_and_first_missing() {
    let d = kipp();
    let mut p = Progress::new();
    assert_eq!(d.first_missing(&p), Cursor::Question(q("judul")));
    assert_eq!(
        d.position(&Cursor::Question(q("judul")), &p).section_count,
        4
    );
    assert!(!d.is_visible("inspirasi", &p));
    d.record_answer(&mut p, q("kelompok"), choice("replikasi"));
    assert!(d.is_visible("inspirasi", &p));
    assert_eq!(
        d.position(&Cursor::Question(q("judul")), &p).section_count,
        5
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
    assert_eq!(metrik.message(&d, Lang::Id), "Belum ada metrik dampak");
    assert!(
        !missing
            .iter()
            .any(|m| m.question == "foto" || m.question == "ikm")
    );
}

// --- validation ----------------------------------------------------------------------------

fn check(d: &Dialog, id: &str, input: Input<'_>) -> Result<Accepted, Rejection> {
    d.validate(d.question(id).unwrap(), &input, today())
}

fn value(d: &Dialog, id: &str, input: Input<'_>) -> AnswerValue {
    check(d, id, input).unwrap().value.unwrap()
}

#[test]
fn text_limits_count_words_and_unicode_characters() {
    let d = kipp();
    let long = vec!["kata"; 201].join(" ");
    let r = check(&d, "ringkasan", Input::Text(&long)).unwrap_err();
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
fn wrong_kinds_of_input_are_named() {
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
fn numbers_and_integers() {
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
fn choices_by_button_number_or_label() {
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
fn yes_no_words() {
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
fn start_date_rules() {
    let d = kipp();
    let accepted = check(&d, "tanggal_mulai", Input::Text("1 Maret 2024")).unwrap();
    assert_eq!(
        accepted.value,
        Some(AnswerValue::Date {
            date: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()
        })
    );
    assert_eq!(
        accepted.warnings,
        [Warning::YoungerThanMinimum {
            years: 2,
            months_running: 14
        }]
    );
    assert!(
        accepted.warnings[0]
            .message(Lang::Id)
            .contains("baru berjalan 14 bulan")
    );
    let old = check(&d, "tanggal_mulai", Input::Text("20/05/2023")).unwrap();
    assert!(
        old.warnings.is_empty(),
        "exactly two years old on 2025-05-20"
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
fn email_phone_url_contact() {
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

fn file(kind: FileKind, mime: Option<&str>, size: u64, name: Option<&str>) -> Input<'static> {
    Input::File(FileMeta {
        kind,
        mime: mime.map(str::to_owned),
        size: Some(size),
        name: name.map(str::to_owned),
    })
}

#[test]
fn files() {
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
fn display_uses_notation_units_and_labels() {
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
fn every_rejection_has_both_languages() {
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
                    match d.validate(question, &input, today()) {
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
