//! One step of a conversation as a pure function: what a person sent (a message or a button)
//! against where they stand, decided without storage, Telegram or texts. The chat layer
//! performs the [`Outcome`] (one transaction), renders it and sends it.

use chrono::NaiveDate;

use super::{
    AnswerKey, Conversation, Cursor, Dialog, FileMeta, FileRules, Input, Progress, Question,
    QuestionKind, Rejection, Warning,
};
use crate::domain::AnswerValue;

/// What a person sent: a message, or a step button under the current question.
#[derive(Debug, Clone, PartialEq)]
pub enum StepInput<'a> {
    Text(&'a str),
    Contact {
        phone: &'a str,
        first_name: &'a str,
        last_name: Option<&'a str>,
    },
    /// A file's metadata (the upload itself is the caller's I/O).
    File(FileMeta),
    /// Any other message (a sticker, a location, ...), named.
    Other(&'static str),
    Button(Button),
}

/// The step buttons under a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    /// Pick option `n` of a single-choice question.
    Choose(u16),
    /// Tick or untick option `n` of a multi-choice question.
    Toggle(u16),
    /// Done: the ticks, the draft parts, or the files so far.
    Done,
    Yes,
    No,
    Skip,
    Back,
    Pause,
    ClearDraft,
    AddAnother(bool),
}

/// A short note shown above the question asked again.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// The input was refused: why, with an example.
    Rejected(Rejection),
    /// Done on a file question with too few files.
    FilesNeeded { have: u32, need: u32 },
    /// Skip on a required question.
    RequiredCannotSkip,
}

/// An accepted answer to store, with where the person goes next.
#[derive(Debug, Clone, PartialEq)]
pub struct Save<'d> {
    pub question: &'d Question,
    pub key: AnswerKey,
    pub value: AnswerValue,
    pub warnings: Vec<Warning>,
    /// The progress with this answer recorded.
    pub progress: Progress,
    /// The next position (unused when `back_to_review`).
    pub next: Conversation,
    /// Show the review again instead of the next question; the conversation ends.
    pub back_to_review: bool,
}

/// A file to accept for a question (its kind, type, size and count already checked): the caller
/// downloads and stores it, then asks [`after_file`] where the person goes.
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptFile<'d> {
    pub question: &'d Question,
    pub rules: &'d FileRules,
    pub key: AnswerKey,
}

/// What to do after one step.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<'d> {
    /// Nothing changes: show the current question again, with a notice if any.
    Show(Option<Notice>),
    /// The button does not fit the current question (an old message, an option gone).
    Stale,
    /// The current question is no longer in the dialog: move here (the first missing one).
    Recover(Conversation),
    /// A part of a long text kept: store this conversation (the draft includes the part).
    KeepDraft {
        conversation: Conversation,
        words: usize,
        max_words: Option<u32>,
    },
    /// The draft emptied: store this conversation.
    DraftCleared(Conversation),
    /// A multi-choice tick changed: store this conversation and redraw the question.
    Ticks(Conversation),
    /// Store this answer.
    Save(Box<Save<'d>>),
    /// Download and store a file.
    AcceptFile(AcceptFile<'d>),
    /// Move without answering (skip, back, add another or not): store and show this position.
    Move(Conversation),
    /// End the conversation and show the review, opened at this section if any.
    Review { section: Option<String> },
    /// End the conversation for now.
    Pause,
}

/// A typed yes or no to "add another?".
pub fn yes_no_word(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "ya" | "y" | "yes" | "iya" | "tambah" | "add" => Some(true),
        "tidak" | "t" | "no" | "n" | "tdk" | "lanjut" => Some(false),
        _ => None,
    }
}

/// Where a person goes after a file was stored for their current question (`progress` counts
/// it): a full question moves on by itself, otherwise they stay to send more or press Done.
pub fn after_file(
    dialog: &Dialog,
    conversation: &Conversation,
    rules: &FileRules,
    key: &AnswerKey,
    progress: &Progress,
) -> Conversation {
    if progress.files(key) >= rules.max_count && !conversation.back_to_review {
        Conversation::at(
            conversation.innovation_id,
            dialog.next(&conversation.cursor, progress),
        )
    } else {
        conversation.clone()
    }
}

/// Decides one step of `conversation` against the innovation's `progress`.
pub fn step<'d>(
    dialog: &'d Dialog,
    conversation: &Conversation,
    progress: &Progress,
    input: StepInput<'_>,
    today: NaiveDate,
) -> Outcome<'d> {
    let key = match &conversation.cursor {
        Cursor::Question(key) => key,
        Cursor::AddAnother { group, .. } => {
            return match input {
                StepInput::Button(Button::AddAnother(yes)) => {
                    add_another(dialog, conversation, group, yes, progress)
                }
                StepInput::Button(button @ (Button::Back | Button::Pause)) => {
                    navigate(dialog, conversation, progress, button)
                }
                StepInput::Button(_) => Outcome::Stale,
                StepInput::Text(text) => match yes_no_word(text) {
                    Some(yes) => add_another(dialog, conversation, group, yes, progress),
                    None => Outcome::Show(None),
                },
                _ => Outcome::Show(None),
            };
        }
        Cursor::Done => {
            return match input {
                StepInput::Button(_) => Outcome::Stale,
                _ => Outcome::Show(None),
            };
        }
    };
    let Some(question) = dialog.question(&key.question) else {
        return Outcome::Recover(Conversation::at(
            conversation.innovation_id,
            dialog.first_missing(progress),
        ));
    };
    match input {
        StepInput::Button(button) => {
            on_button(dialog, conversation, progress, question, key, button, today)
        }
        StepInput::Text(text) => match &question.kind {
            QuestionKind::Text(rules) if rules.multi_message => {
                let mut conversation = conversation.clone();
                conversation.draft.push(text.to_owned());
                let words = conversation
                    .draft
                    .iter()
                    .map(|part| part.split_whitespace().count())
                    .fold(0usize, usize::saturating_add);
                Outcome::KeepDraft {
                    conversation,
                    words,
                    max_words: rules.max_words,
                }
            }
            _ => answer(
                dialog,
                conversation,
                progress,
                question,
                key,
                &Input::Text(text),
                today,
            ),
        },
        StepInput::File(meta) => match &question.kind {
            QuestionKind::File(rules) => {
                // Kind, MIME type, size and count are checked before anything is downloaded.
                let checked = dialog
                    .check_file_slot(question, progress.files(key))
                    .and_then(|()| dialog.validate(question, &Input::File(meta), today));
                match checked {
                    Err(rejection) => Outcome::Show(Some(Notice::Rejected(rejection))),
                    Ok(_) => Outcome::AcceptFile(AcceptFile {
                        question,
                        rules,
                        key: key.clone(),
                    }),
                }
            }
            _ => answer(
                dialog,
                conversation,
                progress,
                question,
                key,
                &Input::File(meta),
                today,
            ),
        },
        StepInput::Contact {
            phone,
            first_name,
            last_name,
        } => answer(
            dialog,
            conversation,
            progress,
            question,
            key,
            &Input::Contact {
                phone,
                first_name,
                last_name,
            },
            today,
        ),
        StepInput::Other(kind) => answer(
            dialog,
            conversation,
            progress,
            question,
            key,
            &Input::Other(kind),
            today,
        ),
    }
}

fn on_button<'d>(
    dialog: &'d Dialog,
    conversation: &Conversation,
    progress: &Progress,
    question: &'d Question,
    key: &AnswerKey,
    button: Button,
    today: NaiveDate,
) -> Outcome<'d> {
    // Buttons that answer the question all go through `answer`.
    let joined_draft = conversation.draft.join("\n\n");
    let input = match (button, &question.kind) {
        (Button::Choose(index), QuestionKind::SingleChoice(rules)) => {
            match rules.options.get(usize::from(index)) {
                Some(option) => Some(Input::Choice(&option.id)),
                None => return Outcome::Stale,
            }
        }
        (Button::Yes | Button::No, QuestionKind::YesNo) => {
            Some(Input::YesNo(button == Button::Yes))
        }
        (Button::Done, QuestionKind::MultiChoice(_)) => {
            Some(Input::Choices(conversation.selected.clone()))
        }
        (Button::Done, QuestionKind::Text(_)) => Some(Input::Text(&joined_draft)),
        _ => None,
    };
    if let Some(input) = input {
        return answer(dialog, conversation, progress, question, key, &input, today);
    }
    match (button, &question.kind) {
        (Button::Toggle(index), QuestionKind::MultiChoice(rules)) => {
            let Some(option) = rules.options.get(usize::from(index)) else {
                return Outcome::Stale;
            };
            let mut conversation = conversation.clone();
            if let Some(at) = conversation.selected.iter().position(|id| *id == option.id) {
                conversation.selected.remove(at);
            } else {
                conversation.selected.push(option.id.clone());
            }
            Outcome::Ticks(conversation)
        }
        (Button::ClearDraft, QuestionKind::Text(_)) => {
            let mut conversation = conversation.clone();
            conversation.draft.clear();
            Outcome::DraftCleared(conversation)
        }
        (Button::Done, QuestionKind::File(_)) => {
            let have = progress.files(key);
            let need = question.files_needed();
            if have < need {
                return Outcome::Show(Some(Notice::FilesNeeded { have, need }));
            }
            if conversation.back_to_review {
                return Outcome::Review {
                    section: dialog.section_of(&question.id).map(|s| s.id.clone()),
                };
            }
            navigate(dialog, conversation, progress, Button::Skip)
        }
        (Button::Skip, _) if question.required => Outcome::Show(Some(Notice::RequiredCannotSkip)),
        (Button::Skip | Button::Back | Button::Pause, _) => {
            navigate(dialog, conversation, progress, button)
        }
        _ => Outcome::Stale,
    }
}

/// Validates one answer: an invalid one changes nothing (the question again, with why).
fn answer<'d>(
    dialog: &'d Dialog,
    conversation: &Conversation,
    progress: &Progress,
    question: &'d Question,
    key: &AnswerKey,
    input: &Input<'_>,
    today: NaiveDate,
) -> Outcome<'d> {
    let accepted = match dialog.validate(question, input, today) {
        Ok(accepted) => accepted,
        Err(rejection) => return Outcome::Show(Some(Notice::Rejected(rejection))),
    };
    let Some(value) = accepted.value else {
        // A file answer arrives as `AcceptFile`; a file where text was asked was rejected.
        return Outcome::Show(None);
    };
    let mut progress = progress.clone();
    dialog.record_answer(&mut progress, key.clone(), value.clone());
    let next = Conversation::at(
        conversation.innovation_id,
        dialog.next(&conversation.cursor, &progress),
    );
    Outcome::Save(Box::new(Save {
        question,
        key: key.clone(),
        value,
        warnings: accepted.warnings,
        progress,
        next,
        back_to_review: conversation.back_to_review,
    }))
}

fn add_another<'d>(
    dialog: &Dialog,
    conversation: &Conversation,
    group: &str,
    yes: bool,
    progress: &Progress,
) -> Outcome<'d> {
    Outcome::Move(Conversation::at(
        conversation.innovation_id,
        dialog.add_another(group, yes, progress),
    ))
}

/// Skip (next without answering), Back and Pause.
fn navigate<'d>(
    dialog: &Dialog,
    conversation: &Conversation,
    progress: &Progress,
    button: Button,
) -> Outcome<'d> {
    if button == Button::Pause {
        return Outcome::Pause;
    }
    if button == Button::Skip && conversation.back_to_review {
        return Outcome::Review { section: None };
    }
    let cursor = match button {
        Button::Back => dialog.previous(&conversation.cursor, progress),
        _ => dialog.next(&conversation.cursor, progress),
    };
    Outcome::Move(Conversation::at(conversation.innovation_id, cursor))
}
