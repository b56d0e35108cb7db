//! The conversation step: every path the chat layer used to decide itself, without Telegram
//! or SQL.

use super::*;
use crate::dialog::step::{
    After, Event, Notice, Outcome, Press, after_upload, question_index, step,
};
use crate::dialog::{Conversation, FileKind, FileMeta, Input};

const INNOVATION: i64 = 7;

/// `small()` plus a long text in parts and a multi-choice question, in their own section.
fn dialog() -> Dialog {
    let group = "min_items = 1\nmax_items = 2\nitem_label = { id = \"metrik\", en = \"metric\" }\n\n\
        [[sections.questions.questions]]\nid = \"m1\"\ntype = \"text\"\nlabel = { id = \"M1\", en = \"M1\" }\nprompt = { id = \"p\", en = \"p\" }\n\n\
        [[sections.questions.questions]]\nid = \"m2\"\ntype = \"number\"\nrequired = false\nlabel = { id = \"M2\", en = \"M2\" }\nprompt = { id = \"p\", en = \"p\" }\n";
    let src = format!(
        "{HEAD}{}{}{}{}{}{}{}",
        section("s1", &question("jenis", "single_choice", CHOICE)),
        question("opsional", "text", "required = false\n"),
        question("siap", "yes_no", ""),
        section(
            "s2",
            &question("cerita", "text", "multi_message = true\nmax_words = 5\n")
        ),
        question("pilih", "multi_choice", CHOICE),
        section("s3", &question("g", "group", group)),
        question("doc", "file", "min_count = 1\nmax_count = 2\n"),
    );
    Dialog::from_toml_str(&src).unwrap_or_else(|e| panic!("{e}"))
}

fn at(key: AnswerKey) -> Conversation {
    Conversation::at(INNOVATION, Cursor::Question(key))
}

fn press(d: &Dialog, conversation: &Conversation, progress: &Progress, press: Press) -> Outcome {
    let (question, item) = match &conversation.cursor {
        Cursor::Question(key) => (key.question.clone(), key.item),
        Cursor::AddAnother { group, items } => (group.clone(), *items),
        Cursor::Done => panic!("no buttons at the end"),
    };
    let event = Event::Button {
        innovation_id: INNOVATION,
        question: question_index(d, &question).unwrap(),
        item,
        press,
    };
    step(d, conversation, progress, event, today())
}

fn message(
    d: &Dialog,
    conversation: &Conversation,
    progress: &Progress,
    input: Input<'_>,
) -> Outcome {
    step(d, conversation, progress, Event::Message(input), today())
}

fn moved_to(outcome: &Outcome) -> &Conversation {
    match outcome {
        Outcome::Moved { next, .. } => next,
        other => panic!("expected a move, got {other:?}"),
    }
}

#[test]
fn a_valid_answer_is_stored_with_the_next_question() {
    let d = dialog();
    let outcome = press(&d, &at(q("jenis")), &Progress::new(), Press::Choose(1));
    let mut answered = Progress::new();
    answered.set_answer(q("jenis"), choice("b"));
    assert_eq!(
        outcome,
        Outcome::Answered {
            key: q("jenis"),
            value: choice("b"),
            warnings: vec![],
            after: After::Continue(at(q("opsional"))),
            progress: answered,
        }
    );
    let typed = message(&d, &at(q("siap")), &Progress::new(), Input::Text("ya"));
    assert!(
        matches!(typed, Outcome::Answered { after: After::Continue(ref next), .. }
            if next.cursor == Cursor::Question(q("cerita"))),
        "{typed:?}"
    );
}

#[test]
fn an_invalid_answer_changes_nothing_and_says_why() {
    let d = dialog();
    let outcome = message(&d, &at(q("siap")), &Progress::new(), Input::Text("mungkin"));
    assert!(
        matches!(outcome, Outcome::Repeat(Some(Notice::Rejected(_)))),
        "{outcome:?}"
    );
    let sticker = message(
        &d,
        &at(q("jenis")),
        &Progress::new(),
        Input::Other("sticker"),
    );
    assert!(
        matches!(sticker, Outcome::Repeat(Some(Notice::Rejected(_)))),
        "{sticker:?}"
    );
    let out_of_range = press(&d, &at(q("jenis")), &Progress::new(), Press::Choose(9));
    assert_eq!(out_of_range, Outcome::Stale);
}

#[test]
fn a_long_text_is_kept_in_parts_and_closed_with_done() {
    let d = dialog();
    let start = at(q("cerita"));
    let first = message(&d, &start, &Progress::new(), Input::Text("satu dua"));
    assert_eq!(
        first,
        Outcome::Moved {
            next: Conversation {
                draft: vec!["satu dua".into()],
                ..start.clone()
            },
            notice: Some(Notice::DraftPartSaved {
                words: 2,
                max_words: Some(5)
            }),
            in_place: false,
        }
    );
    let with_one = moved_to(&first).clone();
    let second = message(&d, &with_one, &Progress::new(), Input::Text("tiga"));
    let with_two = moved_to(&second).clone();
    assert_eq!(with_two.draft, vec!["satu dua", "tiga"]);
    match press(&d, &with_two, &Progress::new(), Press::Done) {
        Outcome::Answered { key, value, .. } => {
            assert_eq!(key, q("cerita"));
            assert_eq!(value, txt("satu dua\n\ntiga"));
        }
        other => panic!("{other:?}"),
    }
    let cleared = press(&d, &with_two, &Progress::new(), Press::ClearDraft);
    assert_eq!(moved_to(&cleared).draft, Vec::<String>::new());
    assert!(matches!(
        cleared,
        Outcome::Moved {
            notice: Some(Notice::DraftCleared),
            ..
        }
    ));
}

#[test]
fn a_long_text_over_its_limit_is_kept_and_says_by_how_much() {
    let d = dialog();
    let long = Conversation {
        draft: vec!["a b c".into(), "d e f".into()],
        ..at(q("cerita"))
    };
    let outcome = press(&d, &long, &Progress::new(), Press::Done);
    assert_eq!(
        outcome,
        Outcome::Repeat(Some(Notice::DraftTooLong {
            words: 6,
            max_words: 5,
            box_title: None,
        })),
        "the parts stay kept (nothing is stored), with how far over they are"
    );
}

#[test]
fn multi_choice_ticks_are_redrawn_in_place_and_done_answers() {
    let d = dialog();
    let start = at(q("pilih"));
    let ticked = press(&d, &start, &Progress::new(), Press::Tick(1));
    assert!(matches!(ticked, Outcome::Moved { in_place: true, .. }));
    let one = moved_to(&ticked).clone();
    assert_eq!(one.selected, vec!["b"]);
    // A press that arrives twice changes nothing the second time.
    let again = press(&d, &one, &Progress::new(), Press::Tick(1));
    assert_eq!(moved_to(&again).selected, vec!["b"]);
    let unticked = press(&d, &one, &Progress::new(), Press::Untick(1));
    assert!(moved_to(&unticked).selected.is_empty());
    let unticked_again = press(&d, &start, &Progress::new(), Press::Untick(1));
    assert!(moved_to(&unticked_again).selected.is_empty());
    // The buttons of questions sent before ticks said what they do still toggle.
    assert_eq!(
        moved_to(&press(&d, &start, &Progress::new(), Press::Toggle(1))).selected,
        vec!["b"]
    );
    assert!(
        moved_to(&press(&d, &one, &Progress::new(), Press::Toggle(1)))
            .selected
            .is_empty()
    );
    let done = press(&d, &one, &Progress::new(), Press::Done);
    assert!(
        matches!(done, Outcome::Answered { ref key, .. } if *key == q("pilih")),
        "{done:?}"
    );
}

#[test]
fn a_required_question_cannot_be_skipped_an_optional_one_can() {
    let d = dialog();
    assert_eq!(
        press(&d, &at(q("jenis")), &Progress::new(), Press::Skip),
        Outcome::Repeat(Some(Notice::RequiredCannotSkip))
    );
    let skipped = press(&d, &at(q("opsional")), &Progress::new(), Press::Skip);
    assert_eq!(moved_to(&skipped).cursor, Cursor::Question(q("siap")));
    let back = press(&d, &at(q("siap")), &Progress::new(), Press::Back);
    assert_eq!(moved_to(&back).cursor, Cursor::Question(q("opsional")));
    assert_eq!(
        press(&d, &at(q("siap")), &Progress::new(), Press::Pause),
        Outcome::Paused
    );
}

#[test]
fn after_an_edit_from_the_review_the_review_comes_back() {
    let d = dialog();
    let editing = Conversation {
        back_to_review: true,
        ..at(q("siap"))
    };
    match press(&d, &editing, &Progress::new(), Press::Yes) {
        Outcome::Answered { after, .. } => assert_eq!(
            after,
            After::Review {
                section: Some("s1".into())
            }
        ),
        other => panic!("{other:?}"),
    }
    let optional = Conversation {
        back_to_review: true,
        ..at(q("opsional"))
    };
    assert_eq!(
        press(&d, &optional, &Progress::new(), Press::Skip),
        Outcome::ToReview { section: None }
    );
}

#[test]
fn a_group_asks_to_add_another_by_button_or_word() {
    let d = dialog();
    let asking = Conversation::at(
        INNOVATION,
        Cursor::AddAnother {
            group: "g".into(),
            items: 1,
        },
    );
    let mut p = Progress::new();
    d.record_answer(&mut p, AnswerKey::item("m1", 0), txt("x"));
    let yes = press(&d, &asking, &p, Press::AddAnother(true));
    assert_eq!(
        moved_to(&yes).cursor,
        Cursor::Question(AnswerKey::item("m1", 1))
    );
    let typed_no = message(&d, &asking, &p, Input::Text("tidak"));
    assert_eq!(moved_to(&typed_no).cursor, Cursor::Question(q("doc")));
    assert_eq!(
        message(&d, &asking, &p, Input::Text("barangkali")),
        Outcome::Repeat(None)
    );
    assert_eq!(press(&d, &asking, &p, Press::Yes), Outcome::Stale);
}

fn pdf(size: u64) -> FileMeta {
    FileMeta {
        kind: FileKind::Document,
        mime: Some("application/pdf".into()),
        size: Some(size),
        name: Some("sk.pdf".into()),
    }
}

#[test]
fn a_file_is_checked_before_download_and_a_full_question_moves_on() {
    let d = dialog();
    let asking = at(q("doc"));
    match message(&d, &asking, &Progress::new(), Input::File(pdf(1000))) {
        Outcome::Upload {
            key,
            max_bytes,
            warnings,
        } => {
            assert!(warnings.is_empty(), "{warnings:?}");
            assert_eq!(key, q("doc"));
            assert!(max_bytes > 1000);
        }
        other => panic!("{other:?}"),
    }
    let huge = message(&d, &asking, &Progress::new(), Input::File(pdf(u64::MAX)));
    assert!(
        matches!(huge, Outcome::Repeat(Some(Notice::Rejected(_)))),
        "{huge:?}"
    );
    assert_eq!(
        press(&d, &asking, &Progress::new(), Press::Done),
        Outcome::Repeat(Some(Notice::FilesNeeded { have: 0, need: 1 }))
    );
    let mut p = Progress::new();
    d.record_file(&mut p, q("doc"));
    assert_eq!(
        after_upload(&d, &asking, &p, &q("doc")),
        asking,
        "room for one more"
    );
    d.record_file(&mut p, q("doc"));
    assert_eq!(
        after_upload(&d, &asking, &p, &q("doc")).cursor,
        Cursor::Done,
        "full: on to the end"
    );
    let full = message(&d, &asking, &p, Input::File(pdf(10)));
    assert!(
        matches!(full, Outcome::Repeat(Some(Notice::Rejected(_)))),
        "{full:?}"
    );
    let done = press(&d, &asking, &p, Press::Done);
    assert_eq!(moved_to(&done).cursor, Cursor::Done);
}

#[test]
fn a_button_under_another_question_is_stale() {
    let d = dialog();
    let asking = at(q("siap"));
    let old = Event::Button {
        innovation_id: INNOVATION,
        question: question_index(&d, "jenis").unwrap(),
        item: 0,
        press: Press::Choose(0),
    };
    assert_eq!(
        step(&d, &asking, &Progress::new(), old, today()),
        Outcome::Stale
    );
    let other_innovation = Event::Button {
        innovation_id: INNOVATION + 1,
        question: question_index(&d, "siap").unwrap(),
        item: 0,
        press: Press::Yes,
    };
    assert_eq!(
        step(&d, &asking, &Progress::new(), other_innovation, today()),
        Outcome::Stale
    );
}

#[test]
fn a_question_gone_from_the_file_resumes_at_the_first_missing_one() {
    let d = dialog();
    let gone = at(q("dihapus"));
    let outcome = message(&d, &gone, &Progress::new(), Input::Text("apa saja"));
    assert_eq!(
        outcome,
        Outcome::Moved {
            next: at(q("jenis")),
            notice: Some(Notice::QuestionChanged),
            in_place: false,
        }
    );
}

#[test]
fn at_the_end_a_message_shows_where_the_person_is() {
    let d = dialog();
    let done = Conversation::at(INNOVATION, Cursor::Done);
    assert_eq!(
        message(&d, &done, &Progress::new(), Input::Text("halo")),
        Outcome::Repeat(None)
    );
}
