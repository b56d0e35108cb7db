//! `[campaign]`: the cap on the selection and its split by group, the two deadlines.

use super::*;
use crate::dialog::tests::checker::{question, section};

/// A one-question file whose `kelompok` has the options `umum` and `replikasi`, under `campaign`.
fn with_campaign(campaign: &str) -> String {
    let kelompok = "options = [{ id = \"umum\", label = { id = \"Umum\", en = \"General\" } }, { id = \"replikasi\", label = { id = \"Replikasi\", en = \"Replication\" } }]\n";
    format!(
        "[campaign]\nid = \"c\"\nname = {{ id = \"C\", en = \"C\" }}\n{campaign}\n{}",
        section("s", &question("kelompok", "single_choice", kelompok))
    )
}

#[test]
pub(super) fn both_deadlines_and_the_split_are_read() {
    let d = Dialog::from_toml_str(&with_campaign(
        "max_innovations = 15\nmax_selected_per_group = { umum = 10, replikasi = 5 }\nnational_close = \"2026-06-03T23:59:00\"\nunits_deadline = \"2026-05-20 16:00\"",
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let campaign = d.campaign();
    assert_eq!(
        campaign.national_close.unwrap().to_string(),
        "2026-06-03 23:59:00"
    );
    assert_eq!(
        campaign.units_deadline().unwrap().to_string(),
        "2026-05-20 16:00:00"
    );
    assert_eq!(campaign.group_cap("umum"), Some(10));
    assert_eq!(campaign.group_cap("replikasi"), Some(5));
    assert_eq!(campaign.group_cap("lain"), None);
}

#[test]
pub(super) fn the_units_deadline_defaults_to_ten_days_before_the_close() {
    // The old key still loads, as the national close.
    let d = Dialog::from_toml_str(&with_campaign("default_deadline = \"2025-06-03\""))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        d.campaign().national_close.unwrap().to_string(),
        "2025-06-03 23:59:00"
    );
    assert_eq!(d.campaign().units_deadline, None);
    assert_eq!(
        d.campaign().units_deadline().unwrap().to_string(),
        "2025-05-24 23:59:00"
    );
    assert!(d.campaign().max_selected_per_group.is_empty());
    // No dates at all: none.
    let d = Dialog::from_toml_str(&with_campaign("")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.campaign().units_deadline(), None);
}

#[test]
pub(super) fn bad_dates_and_splits_are_reported_with_their_lines() {
    let src = with_campaign(
        "max_innovations = 12\nnational_close = \"2026-06-03\"\ndefault_deadline = \"2026-06-03\"\nunits_deadline = \"2026-06-10\"\nmax_selected_per_group = { umum = 10, replikasi = 5, lain = 1, nol = 0 }",
    );
    let errs = errors(&src);
    assert!(
        has_error(
            &errs,
            line_of(&src, "default_deadline"),
            "old name of `national_close`"
        ),
        "{errs:#?}"
    );
    // With the close unreadable (two keys), the order of the dates cannot be checked; alone:
    let late = with_campaign("national_close = \"2026-06-03\"\nunits_deadline = \"2026-06-10\"");
    assert!(has_error(
        &errors(&late),
        line_of(&late, "units_deadline"),
        "must not be after the national close"
    ));
    let split = line_of(&src, "max_selected_per_group");
    assert!(
        has_error(&errs, split, "`lain`, which is not an option of `kelompok`"),
        "{errs:#?}"
    );
    assert!(has_error(
        &errs,
        split,
        "`max_selected_per_group.nol` must be a whole number from 1"
    ));
    assert!(has_error(
        &errs,
        split,
        "add up to 16, more than `max_innovations` = 12"
    ));
    // A table is needed, and a `kelompok` question to name the groups.
    let not_table = with_campaign("max_selected_per_group = 10");
    assert!(has_error(
        &errors(&not_table),
        line_of(&not_table, "max_selected_per_group"),
        "must be a table"
    ));
    let no_group_question = format!(
        "[campaign]\nid = \"c\"\nname = {{ id = \"C\", en = \"C\" }}\nmax_selected_per_group = {{ a = 1 }}\n\n{}",
        section("s", &question("pilih", "single_choice", checker::CHOICE))
    );
    assert!(has_error(
        &errors(&no_group_question),
        4,
        "needs a single_choice question `kelompok`"
    ));
}
