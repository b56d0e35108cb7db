//! One conversation step, decided without storage or Telegram.

use super::*;
use crate::dialog::step::{AcceptFile, Button, Notice, Outcome, Save, StepInput, after_file, step};

fn dialog() -> Dialog {
    let group = "min_items = 1\nmax_items = 2\nitem_label = { id = \"metrik\", en = \"metric\" }\n\n\
        [[sections.questions.questions]]\nid = \"m1\"\ntype = \"text\"\nlabel = { id = \"M1\", en = \"M1\" }\nprompt = { id = \"p\", en = \"p\" }\n";
    let src = format!(
        "{HEAD}{}{}{}{}{}{}{}{}{}",
        section("s1", &question("jenis", "single_choice", CHOICE)),
        question("opsional", "text", "required = false\n"),
        question("panjang", "text", "multi_message = true\nmax_words = 10\n"),
        question("pilih", "multi_choice", CHOICE),
        question("yn", "yes_no", ""),
        question("kontak", "contact", ""),
        section("s2", &question("g", "group", group)),
        section(
            "s3",
            &question("doc", "file", "min_count = 1\nmax_count = 2\n")
        ),
        question("akhir", "email", ""),
    );
    Dialog::from_toml_str(&src).unwrap_or_else(|e| panic!("{e}"))
}

fn at(key: AnswerKey) -> Conversation {
    Conversation::at(7, Cursor::Question(key))
}

fn run<'d>(d: &'d Dialog, c: &Conversation, p: &Progress, input: StepInput<'_>) -> Outcome<'d> {
    step(d, c, p, input, today())
}

fn saved(outcome: Outcome<'_>) -> Save<'_> {
    match outcome {
        Outcome::Save(save) => *save,
        other => panic!("expected Save, got {other:?}"),
    }
}

fn pdf() -> FileMeta {
    FileMeta {
        kind: FileKind::Document,
        mime: Some("application/pdf".into()),
        size: Some(1000),
        name: Some("a.pdf".into()),
    }
}

#[test]
fn choosing_an_option_saves_it_and_moves_on() {
    let d = dialog();
    let p = Progress::new();
    let c = at(q("jenis"));
    let save = saved(run(&d, &c, &p, StepInput::Button(Button::Choose(1))));
    assert_eq!(save.key, q("jenis"));
    assert_eq!(save.value, choice("b"));
    assert_eq!(save.question.id, "jenis");
    assert_eq!(save.progress.answer(&q("jenis")), Some(&choice("b")));
    assert_eq!(save.next, at(q("opsional")));
    assert!(!save.back_to_review);
    assert_eq!(
        run(&d, &c, &p, StepInput::Button(Button::Choose(9))),
        Outcome::Stale,
        "an option that is not there"
    );
    assert_eq!(
        run(&d, &c, &p, StepInput::Button(Button::Toggle(0))),
        Outcome::Stale,
        "a multi-choice button under a single-choice question"
    );
}

#[test]
fn typed_answers_are_validated() {
    let d = dialog();
    let p = Progress::new();
    let c = at(q("akhir"));
    assert!(matches!(
        run(&d, &c, &p, StepInput::Text("no address")),
        Outcome::Show(Some(Notice::Rejected(_)))
    ));
    let save = saved(run(&d, &c, &p, StepInput::Text("a@example.org")));
    assert_eq!(save.next.cursor, Cursor::Done);
    assert!(matches!(
        run(&d, &c, &p, StepInput::Other("sticker")),
        Outcome::Show(Some(Notice::Rejected(_)))
    ));
    assert!(
        matches!(
            run(&d, &c, &p, StepInput::File(pdf())),
            Outcome::Show(Some(Notice::Rejected(_)))
        ),
        "a file where an e-mail was asked"
    );
}

#[test]
fn a_contact_answers_a_contact_question() {
    let d = dialog();
    let p = Progress::new();
    let c = at(q("kontak"));
    let save = saved(run(
        &d,
        &c,
        &p,
        StepInput::Contact {
            phone: "+6281234567890",
            first_name: "Siti",
            last_name: None,
        },
    ));
    assert_eq!(save.key, q("kontak"));
    assert_eq!(save.next, at(AnswerKey::item("m1", 0)));
}

#[test]
fn skip_refuses_a_required_question_and_passes_an_optional_one() {
    let d = dialog();
    let p = Progress::new();
    assert_eq!(
        run(&d, &at(q("jenis")), &p, StepInput::Button(Button::Skip)),
        Outcome::Show(Some(Notice::RequiredCannotSkip))
    );
    assert_eq!(
        run(&d, &at(q("opsional")), &p, StepInput::Button(Button::Skip)),
        Outcome::Move(at(q("panjang")))
    );
    let mut back = at(q("opsional"));
    back.back_to_review = true;
    assert_eq!(
        run(&d, &back, &p, StepInput::Button(Button::Skip)),
        Outcome::Review { section: None },
        "skipping an edit returns to the review"
    );
}

#[test]
fn back_and_pause() {
    let d = dialog();
    let p = Progress::new();
    assert_eq!(
        run(&d, &at(q("opsional")), &p, StepInput::Button(Button::Back)),
        Outcome::Move(at(q("jenis")))
    );
    assert_eq!(
        run(&d, &at(q("jenis")), &p, StepInput::Button(Button::Pause)),
        Outcome::Pause
    );
}

#[test]
fn a_long_text_is_drafted_in_parts() {
    let d = dialog();
    let p = Progress::new();
    let c = at(q("panjang"));
    let Outcome::KeepDraft {
        conversation,
        words,
        max_words,
    } = run(&d, &c, &p, StepInput::Text("satu dua tiga"))
    else {
        panic!("expected a draft part");
    };
    assert_eq!(conversation.draft, vec!["satu dua tiga".to_owned()]);
    assert_eq!((words, max_words), (3, Some(10)));
    let Outcome::KeepDraft {
        conversation,
        words,
        ..
    } = run(&d, &conversation, &p, StepInput::Text("empat"))
    else {
        panic!("expected a draft part");
    };
    assert_eq!(words, 4);
    let save = saved(run(&d, &conversation, &p, StepInput::Button(Button::Done)));
    assert_eq!(save.value, txt("satu dua tiga\n\nempat"));
    assert_eq!(save.next, at(q("pilih")), "the draft is not carried on");
    let Outcome::DraftCleared(cleared) =
        run(&d, &conversation, &p, StepInput::Button(Button::ClearDraft))
    else {
        panic!("expected the draft cleared");
    };
    assert!(cleared.draft.is_empty());
    assert_eq!(cleared.cursor, conversation.cursor);
    assert!(
        matches!(
            run(&d, &cleared, &p, StepInput::Button(Button::Done)),
            Outcome::Show(Some(Notice::Rejected(_)))
        ),
        "Done on an empty draft"
    );
}

#[test]
fn multi_choice_ticks_then_done() {
    let d = dialog();
    let p = Progress::new();
    let c = at(q("pilih"));
    let Outcome::Ticks(ticked) = run(&d, &c, &p, StepInput::Button(Button::Toggle(1))) else {
        panic!("expected ticks");
    };
    assert_eq!(ticked.selected, vec!["b".to_owned()]);
    let Outcome::Ticks(both) = run(&d, &ticked, &p, StepInput::Button(Button::Toggle(0))) else {
        panic!("expected ticks");
    };
    assert_eq!(both.selected, vec!["b".to_owned(), "a".to_owned()]);
    let Outcome::Ticks(untick) = run(&d, &both, &p, StepInput::Button(Button::Toggle(1))) else {
        panic!("expected ticks");
    };
    assert_eq!(untick.selected, vec!["a".to_owned()]);
    assert_eq!(
        run(&d, &c, &p, StepInput::Button(Button::Toggle(2))),
        Outcome::Stale
    );
    assert!(matches!(
        run(&d, &c, &p, StepInput::Button(Button::Done)),
        Outcome::Show(Some(Notice::Rejected(_)))
    ));
    let save = saved(run(&d, &untick, &p, StepInput::Button(Button::Done)));
    assert_eq!(save.next, at(q("yn")));
}

#[test]
fn yes_no_buttons() {
    let d = dialog();
    let p = Progress::new();
    let c = at(q("yn"));
    let save = saved(run(&d, &c, &p, StepInput::Button(Button::No)));
    assert_eq!(save.value, AnswerValue::YesNo { value: false });
    assert_eq!(
        run(&d, &at(q("jenis")), &p, StepInput::Button(Button::Yes)),
        Outcome::Stale
    );
}

#[test]
fn an_edit_from_the_review_goes_back_to_it() {
    let d = dialog();
    let p = Progress::new();
    let mut c = at(q("jenis"));
    c.back_to_review = true;
    let save = saved(run(&d, &c, &p, StepInput::Button(Button::Choose(0))));
    assert!(save.back_to_review);
}

#[test]
fn files_are_accepted_checked_and_counted() {
    let d = dialog();
    let mut p = Progress::new();
    let c = at(q("doc"));
    let Outcome::AcceptFile(AcceptFile {
        question,
        rules,
        key,
    }) = run(&d, &c, &p, StepInput::File(pdf()))
    else {
        panic!("expected a file accepted");
    };
    assert_eq!((question.id.as_str(), key), ("doc", q("doc")));
    assert_eq!(rules.max_count, 2);
    assert_eq!(
        run(&d, &c, &p, StepInput::Button(Button::Done)),
        Outcome::Show(Some(Notice::FilesNeeded { have: 0, need: 1 }))
    );
    assert!(
        matches!(
            run(&d, &c, &p, StepInput::Text("here")),
            Outcome::Show(Some(Notice::Rejected(_)))
        ),
        "text where a file was asked"
    );
    let QuestionKind::File(rules) = &question.kind else {
        panic!("a file question");
    };
    d.record_file(&mut p, q("doc"));
    assert_eq!(
        after_file(&d, &c, rules, &q("doc"), &p),
        c,
        "room for one more"
    );
    assert_eq!(
        run(&d, &c, &p, StepInput::Button(Button::Done)),
        Outcome::Move(at(q("akhir")))
    );
    let mut edit = c.clone();
    edit.back_to_review = true;
    assert_eq!(
        run(&d, &edit, &p, StepInput::Button(Button::Done)),
        Outcome::Review {
            section: Some("s3".into())
        }
    );
    d.record_file(&mut p, q("doc"));
    assert_eq!(
        after_file(&d, &c, rules, &q("doc"), &p),
        at(q("akhir")),
        "a full question moves on"
    );
    assert_eq!(
        after_file(&d, &edit, rules, &q("doc"), &p),
        edit,
        "an edit stays for the review"
    );
    assert!(
        matches!(
            run(&d, &c, &p, StepInput::File(pdf())),
            Outcome::Show(Some(Notice::Rejected(Rejection::TooManyFiles { .. })))
        ),
        "the question is full"
    );
}

#[test]
fn add_another_by_button_or_word() {
    let d = dialog();
    let mut p = Progress::new();
    d.record_answer(&mut p, AnswerKey::item("m1", 0), txt("x"));
    let c = Conversation::at(
        7,
        Cursor::AddAnother {
            group: "g".into(),
            items: 1,
        },
    );
    assert_eq!(
        run(&d, &c, &p, StepInput::Button(Button::AddAnother(true))),
        Outcome::Move(at(AnswerKey::item("m1", 1)))
    );
    assert_eq!(
        run(&d, &c, &p, StepInput::Text(" Ya ")),
        Outcome::Move(at(AnswerKey::item("m1", 1)))
    );
    assert_eq!(
        run(&d, &c, &p, StepInput::Text("lanjut")),
        Outcome::Move(at(q("doc")))
    );
    assert_eq!(
        run(&d, &c, &p, StepInput::Button(Button::AddAnother(false))),
        Outcome::Move(at(q("doc")))
    );
    assert_eq!(
        run(&d, &c, &p, StepInput::Text("maybe")),
        Outcome::Show(None)
    );
    assert_eq!(run(&d, &c, &p, StepInput::File(pdf())), Outcome::Show(None));
    assert_eq!(
        run(&d, &c, &p, StepInput::Button(Button::Skip)),
        Outcome::Stale
    );
    assert_eq!(
        run(&d, &c, &p, StepInput::Button(Button::Pause)),
        Outcome::Pause
    );
    assert_eq!(
        run(&d, &c, &p, StepInput::Button(Button::Back)),
        Outcome::Move(at(AnswerKey::item("m1", 0)))
    );
}

#[test]
fn nothing_pending_and_questions_gone() {
    let d = dialog();
    let p = Progress::new();
    let done = Conversation::at(7, Cursor::Done);
    assert_eq!(
        run(&d, &done, &p, StepInput::Text("hi")),
        Outcome::Show(None)
    );
    assert_eq!(
        run(&d, &done, &p, StepInput::Button(Button::Done)),
        Outcome::Stale
    );
    let gone = at(q("dropped"));
    assert_eq!(
        run(&d, &gone, &p, StepInput::Text("hi")),
        Outcome::Recover(at(q("jenis"))),
        "to the first missing question"
    );
    assert_eq!(
        run(&d, &gone, &p, StepInput::Button(Button::Skip)),
        Outcome::Recover(at(q("jenis")))
    );
}
