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
