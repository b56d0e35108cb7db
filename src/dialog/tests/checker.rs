//! The checker on small dialogs.

use super::*;

pub(super) const HEAD: &str =
    "[campaign]\nid = \"c\"\nname = { id = \"C\", en = \"C\" }\nmin_age_years = 2\n\n";

pub(super) fn text(id: &str) -> String {
    format!("label = {{ id = \"{id}\", en = \"{id}\" }}\nprompt = {{ id = \"P\", en = \"P\" }}\n")
}

pub(super) fn section(id: &str, body: &str) -> String {
    format!("[[sections]]\nid = \"{id}\"\ntitle = {{ id = \"T\", en = \"T\" }}\n{body}")
}

pub(super) fn question(id: &str, type_name: &str, extra: &str) -> String {
    format!(
        "[[sections.questions]]\nid = \"{id}\"\ntype = \"{type_name}\"\n{}{extra}\n",
        text(id)
    )
}

pub(super) const CHOICE: &str = "options = [{ id = \"a\", label = { id = \"A\", en = \"A\" } }, { id = \"b\", label = { id = \"B\", en = \"B\" } }]\n";

#[test]
pub(super) fn checker_catches_condition_problems() {
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
pub(super) fn checker_catches_group_and_option_problems() {
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
pub(super) fn checker_catches_campaign_file_and_text_problems() {
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
pub(super) fn checker_requires_campaign_and_sections() {
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
pub(super) fn datetime_literal_deadline_is_accepted() {
    let src = format!(
        "[campaign]\nid = \"c\"\nname = {{ id = \"C\", en = \"C\" }}\ndefault_deadline = 2025-06-03T23:59:00\n\n{}",
        section("s", &question("a", "text", ""))
    );
    let d = Dialog::from_toml_str(&src).unwrap();
    assert_eq!(
        d.campaign().national_close.unwrap().to_string(),
        "2025-06-03 23:59:00"
    );
    assert_eq!(d.campaign().max_innovations, 15);
}

/// A dialog with a choice, two text questions, a group and a file, for the new constructs.
fn sinovik_base(campaign_extra: &str, boxes: &str, file_extra: &str) -> String {
    format!(
        "[campaign]\nid = \"c\"\nname = {{ id = \"C\", en = \"C\" }}\n{campaign_extra}\n{boxes}\n{}{}{}{}{}",
        section("s", &question("pilih", "single_choice", CHOICE)),
        question("satu", "text", ""),
        question("dua", "text", ""),
        question(
            "g",
            "group",
            "item_label = { id = \"m\", en = \"m\" }\n\n[[sections.questions.questions]]\nid = \"anggota\"\ntype = \"text\"\nlabel = { id = \"a\", en = \"a\" }\nprompt = { id = \"p\", en = \"p\" }\n"
        ),
        question("berkas", "file", file_extra),
    )
}

#[test]
pub(super) fn boxes_are_read_in_order() {
    let boxes = "[[boxes]]\nid = \"kedua\"\ntitle = { id = \"Kedua\", en = \"Second\" }\nquestions = [\"dua\"]\n\n[[boxes]]\nid = \"gabungan\"\ntitle = { id = \"Gabungan\", en = \"Joint\" }\nquestions = [\"satu\"]\nmax_words = 50\nmin_words = 5\nattachment = \"berkas\"\n";
    let d = Dialog::from_toml_str(&sinovik_base("", boxes, "")).unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = d.boxes().iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["kedua", "gabungan"]);
    let b = d.box_of("satu").unwrap();
    assert_eq!((b.max_words, b.min_words), (Some(50), Some(5)));
    assert_eq!(b.attachment.as_deref(), Some("berkas"));
    assert!(d.box_of("anggota").is_none());
    // A file without boxes has none.
    assert!(without_boxes().boxes().is_empty());
}

fn without_boxes() -> Dialog {
    Dialog::from_toml_str(&sinovik_base("", "", "")).unwrap()
}

#[test]
pub(super) fn checker_rejects_malformed_boxes_with_their_lines() {
    let boxes = concat!(
        "[[boxes]]\nid = \"a\"\ntitle = { id = \"A\", en = \"A\" }\n",
        "questions = [\"satu\", \"nope\", \"pilih\", \"anggota\", \"satu\"]\n",
        "min_words = 90\nmax_words = 10\nattachment = \"dua\"\ncolour = \"red\"\n\n",
        "[[boxes]]\nid = \"a\"\ntitle = { id = \"B\" }\nquestions = [\"satu\"]\nattachment = \"hilang\"\n\n",
        "[[boxes]]\nid = \"c\"\ntitle = { id = \"C\", en = \"C\" }\nattachment = \"berkas\"\n\n",
        "[[boxes]]\nid = \"d\"\ntitle = { id = \"D\", en = \"D\" }\nquestions = []\nattachment = \"berkas\"\n",
    );
    let src = sinovik_base("", boxes, "");
    let errs = errors(&src);
    let line = |needle: &str| line_of(&src, needle);
    let header = |needle: &str| src[..src.find(needle).unwrap()].lines().count() + 1;
    for (at, fragment) in [
        (line("\"nope\""), "box `a`: unknown question `nope`"),
        (
            line("\"nope\""),
            "`pilih` is a single_choice question, not a text question",
        ),
        (line("\"nope\""), "`anggota` is inside a group"),
        (line("\"nope\""), "`satu` is listed twice"),
        (
            line("min_words = 90"),
            "`min_words` (90) is greater than `max_words` (10)",
        ),
        (
            line("attachment = \"dua\""),
            "`dua` is a text question, not a file question",
        ),
        (line("colour"), "box `a`: unknown key `colour`"),
        (line("title = { id = \"B\" }"), "missing English text"),
        (line("attachment = \"hilang\""), "unknown question `hilang`"),
        (
            header("[[boxes]]\nid = \"c\""),
            "box `c`: missing `questions`",
        ),
        (line("questions = []"), "`questions` is an empty list"),
        (
            line("questions = []") + 1,
            "`berkas` is already used by box `c`",
        ),
    ] {
        assert!(
            has_error(&errs, at, fragment),
            "line {at}: {fragment}: {errs:#?}"
        );
    }
    // The second box `a`: a duplicate id, and `satu` already in the first one.
    let second = src.match_indices("[[boxes]]\nid = \"a\"").nth(1).unwrap().0;
    let second_line = src[..second].lines().count() + 1;
    assert!(
        has_error(&errs, second_line, "duplicate box id"),
        "{errs:#?}"
    );
    assert!(
        has_error(&errs, second_line + 3, "`satu` is already in box `a`"),
        "{errs:#?}"
    );
    let errs = errors(&format!("boxes = 3\n{}", sinovik_base("", "", "")));
    assert!(
        has_error(&errs, 1, "`boxes` must be [[boxes]] tables, not an integer"),
        "{errs:#?}"
    );
}

#[test]
pub(super) fn min_age_per_kelompok_is_checked() {
    let d = Dialog::from_toml_str(&sinovik_base("min_age_years = { a = 2, b = 1 }", "", ""))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        d.campaign().min_age_years,
        Some(MinAge::PerOption {
            question: "pilih".into(),
            years: vec![("a".into(), 2), ("b".into(), 1)],
        })
    );
    // An integer still applies to everyone.
    let d = Dialog::from_toml_str(&sinovik_base("min_age_years = 2", "", "")).unwrap();
    assert_eq!(d.campaign().min_age_years, Some(MinAge::Years(2)));
    for (extra, fragment) in [
        (
            "min_age_years = { a = 2, zz = 1 }",
            "no single_choice question outside groups has the options `a`, `zz`",
        ),
        (
            "min_age_years = { a = \"dua\" }",
            "`a` must be a whole number of years from 0 to 50, not a string",
        ),
        (
            "min_age_years = { a = 60 }",
            "`a` must be a whole number of years from 0 to 50, not 60",
        ),
        ("min_age_years = {}", "is an empty table"),
        (
            "min_age_years = \"2\"",
            "must be a whole number of years, or years per option",
        ),
        ("min_age_years = 51", "out of range (0 to 50)"),
    ] {
        let src = sinovik_base(extra, "", "");
        let errs = errors(&src);
        assert!(
            has_error(&errs, line_of(&src, "min_age_years"), fragment),
            "{extra}: {errs:#?}"
        );
    }
}

#[test]
pub(super) fn warn_rules_of_files_are_checked() {
    let ok = sinovik_base(
        "",
        "",
        "max_size_mb = 20\nwarn_mime_types = [\"application/pdf\"]\nwarn_max_size_mb = 2\n",
    );
    let d = Dialog::from_toml_str(&ok).unwrap_or_else(|e| panic!("{e}"));
    let QuestionKind::File(rules) = &d.question("berkas").unwrap().kind else {
        panic!()
    };
    assert_eq!(rules.warn_mime_types, ["application/pdf"]);
    assert_eq!(rules.warn_max_size_mb, Some(2.0));
    let src = sinovik_base(
        "",
        "",
        "max_size_mb = 5\nwarn_mime_types = [\"application/pdff\"]\nwarn_max_size_mb = 5\n",
    );
    let errs = errors(&src);
    assert!(
        has_error(
            &errs,
            line_of(&src, "application/pdff"),
            "unknown MIME type `application/pdff` in `warn_mime_types`"
        ),
        "{errs:#?}"
    );
    assert!(
        has_error(
            &errs,
            line_of(&src, "warn_max_size_mb = 5"),
            "must be more than 0 and below `max_size_mb` (5)"
        ),
        "{errs:#?}"
    );
    let src = format!(
        "{HEAD}{}",
        section("s", &question("t", "text", "warn_max_size_mb = 2\n"))
    );
    let errs = errors(&src);
    assert!(
        has_error(
            &errs,
            line_of(&src, "warn_max_size_mb"),
            "does not apply to a text question (only to: file)"
        ),
        "{errs:#?}"
    );
}
