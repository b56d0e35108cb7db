//! The conversation as a pure step: where a person stands, what they sent or pressed, and the
//! answers so far go in; what to store, where they stand next and what to tell them come out.
//!
//! Nothing here reads or writes the database or speaks Telegram: the chat layer turns an
//! update into an [`Event`], calls [`step`], stores what the [`Outcome`] says (one transaction
//! with the update id), and renders it. Every path of the questionnaire — drafts in parts,
//! multi-choice ticks, "add another?", skip/back/pause, back-to-review after an edit, a file
//! question that fills up, a question dropped from a newer dialog file — is decided here and
//! unit-tested without either.

use chrono::NaiveDate;

use super::{
    AnswerKey, Conversation, Cursor, Dialog, Input, Progress, Question, QuestionKind, Rejection,
    Text, Warning,
};
use crate::domain::AnswerValue;

/// A button under a question, as the dialog sees it (the chat layer's payload maps onto it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Press {
    /// The option at this index of a single-choice question.
    Choose(u16),
    /// Tick the option at this index of a multi-choice question (ticked already: no change).
    /// The button says what it does rather than "toggle": a press that arrives twice (a double
    /// tap on a slow connection, a press on an older copy of the question) leaves the same
    /// ticks, where two toggles would undo each other.
    Tick(u16),
    /// Untick the option at this index (not ticked: no change).
    Untick(u16),
    /// Tick or untick: the buttons of questions sent before `Tick` and `Untick` existed.
    Toggle(u16),
    /// Close a multi-choice, a text in parts, or a file question.
    Done,
    Yes,
    No,
    Skip,
    Back,
    Pause,
    /// Throw away the parts of a long text sent so far.
    ClearDraft,
    /// The answer to "add another item?".
    AddAnother(bool),
}

/// What arrived from the person.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<'a> {
    /// A message (text, contact, file, sticker…). Files reach [`step`] with what Telegram says
    /// of them before the download.
    Message(Input<'a>),
    /// A button, with the question and group item it was drawn under (buttons of an earlier
    /// question are stale).
    Button {
        innovation_id: i64,
        /// The question's index in [`question_index`] order.
        question: u16,
        item: u16,
        press: Press,
    },
}

/// Why the pending question is shown again, or what went well; rendered by the texts.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Rejected(Rejection),
    /// One more part of a long text was kept; `words` counts all parts so far.
    DraftPartSaved {
        words: usize,
        max_words: Option<u32>,
    },
    DraftCleared,
    /// Done on a long text over its limit: the parts stay kept, so the person can clear them
    /// and send a shorter version. `max_words` is what this text may have: in a SINOVIK box of
    /// several parts, what the box's other parts left (`box_title` names the box).
    DraftTooLong {
        words: usize,
        max_words: u32,
        box_title: Option<Text>,
    },
    RequiredCannotSkip,
    FilesNeeded {
        have: u32,
        need: u32,
    },
    /// The pending question is gone from the dialog file: the person resumes elsewhere.
    QuestionChanged,
}

/// Where the person goes after an accepted answer.
#[derive(Debug, Clone, PartialEq)]
pub enum After {
    /// The next question (or the end); store this conversation.
    Continue(Conversation),
    /// They came from the review: the conversation ends and the review of the question's
    /// section is shown again.
    Review { section: Option<String> },
}

/// What one step decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Nothing is stored: the pending question is shown again, with why when there is a why.
    Repeat(Option<Notice>),
    /// Only where the person stands changes (a draft part, a tick, skip/back, add another):
    /// store `next` and show it.
    Moved {
        next: Conversation,
        notice: Option<Notice>,
        /// A multi-choice tick: redraw the question in place rather than send it again.
        in_place: bool,
    },
    /// An answer to store, with what comes next.
    Answered {
        key: AnswerKey,
        value: AnswerValue,
        warnings: Vec<Warning>,
        after: After,
        /// The progress with this answer recorded: what the caller keeps once it is stored
        /// (worked out here anyway to find the next question, so not copied twice).
        progress: Progress,
    },
    /// A file passed every check that can be made before downloading it: the caller
    /// downloads and stores it, then asks [`after_upload`] where the person goes.
    /// `warnings`: what the file will not fit (e.g. SINOVIK's PDF rule), said after it is kept.
    Upload {
        key: AnswerKey,
        max_bytes: u64,
        warnings: Vec<Warning>,
    },
    /// The conversation ends with "paused".
    Paused,
    /// The conversation ends and the review (of this section, or all of it) is shown.
    ToReview { section: Option<String> },
    /// A button that no longer belongs to the question being asked.
    Stale,
}

/// One step of the conversation. `progress` holds the innovation's answers as stored;
/// `today` is the bot's local date (for date answers).
pub fn step(
    dialog: &Dialog,
    conversation: &Conversation,
    progress: &Progress,
    event: Event<'_>,
    today: NaiveDate,
) -> Outcome {
    match event {
        Event::Message(input) => on_message(dialog, conversation, progress, input, today),
        Event::Button {
            innovation_id,
            question,
            item,
            press,
        } => {
            if !button_is_current(dialog, conversation, innovation_id, question, item) {
                return Outcome::Stale;
            }
            on_press(dialog, conversation, progress, press, today)
        }
    }
}

/// Where the person stands after a file was stored for `key`: a full question moves on by
/// itself (unless they came from the review); otherwise they may send more or press Done.
/// `progress` already counts the new file.
pub fn after_upload(
    dialog: &Dialog,
    conversation: &Conversation,
    progress: &Progress,
    key: &AnswerKey,
) -> Conversation {
    let full = match dialog
        .question(&key.question)
        .map(|question| &question.kind)
    {
        Some(QuestionKind::File(rules)) => progress.files(key) >= rules.max_count,
        _ => false,
    };
    if full && !conversation.back_to_review {
        Conversation::at(
            conversation.innovation_id,
            dialog.next(&conversation.cursor, progress),
        )
    } else {
        conversation.clone()
    }
}

/// Where the person resumes when their pending question no longer exists.
pub fn recovered(dialog: &Dialog, innovation_id: i64, progress: &Progress) -> Conversation {
    Conversation::at(innovation_id, dialog.first_missing(progress))
}

/// A question's index among all questions (group members right after their group), the
/// number buttons carry instead of the id to stay within Telegram's 64 bytes.
pub fn question_index(dialog: &Dialog, id: &str) -> Option<u16> {
    all_questions(dialog)
        .position(|question| question.id == id)
        .and_then(|index| u16::try_from(index).ok())
}

/// The question at an index of [`question_index`].
pub fn question_at(dialog: &Dialog, index: u16) -> Option<&Question> {
    all_questions(dialog).nth(usize::from(index))
}

fn all_questions(dialog: &Dialog) -> impl Iterator<Item = &Question> {
    dialog
        .sections()
        .iter()
        .flat_map(|section| section.questions.iter())
        .flat_map(|question| std::iter::once(question).chain(question.members().iter()))
}

/// Typed yes/no for "add another?": the words people write instead of pressing a button.
pub fn yes_no_word(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "ya" | "y" | "yes" | "iya" | "tambah" | "add" => Some(true),
        "tidak" | "t" | "no" | "n" | "tdk" | "lanjut" => Some(false),
        _ => None,
    }
}

/// Whether a button drawn under `question` (item `item`) of `innovation_id` belongs to the
/// question being asked now.
pub fn button_is_current(
    dialog: &Dialog,
    conversation: &Conversation,
    innovation_id: i64,
    question: u16,
    item: u16,
) -> bool {
    conversation.innovation_id == innovation_id
        && match &conversation.cursor {
            Cursor::Question(key) => {
                key.item == item && question_index(dialog, &key.question) == Some(question)
            }
            Cursor::AddAnother { group, items } => {
                *items == item && question_index(dialog, group) == Some(question)
            }
            Cursor::Done => false,
        }
}

/// Moves to `cursor`, dropping draft parts and ticks that belonged to the question left.
fn moved_to(conversation: &Conversation, cursor: Cursor) -> Outcome {
    Outcome::Moved {
        next: Conversation::at(conversation.innovation_id, cursor),
        notice: None,
        in_place: false,
    }
}

fn on_message(
    dialog: &Dialog,
    conversation: &Conversation,
    progress: &Progress,
    input: Input<'_>,
    today: NaiveDate,
) -> Outcome {
    let key = match &conversation.cursor {
        Cursor::Question(key) => key,
        Cursor::AddAnother { group, .. } => {
            return match input {
                Input::Text(text) => match yes_no_word(text) {
                    Some(yes) => moved_to(conversation, dialog.add_another(group, yes, progress)),
                    None => Outcome::Repeat(None),
                },
                _ => Outcome::Repeat(None),
            };
        }
        Cursor::Done => return Outcome::Repeat(None),
    };
    let Some(question) = dialog.question(&key.question) else {
        return question_gone(dialog, conversation, progress);
    };
    match (&question.kind, input) {
        (QuestionKind::Text(rules), Input::Text(text)) if rules.multi_message => {
            let mut next = conversation.clone();
            next.draft.push(text.to_owned());
            let words = next
                .draft
                .iter()
                .map(|part| part.split_whitespace().count())
                .fold(0_usize, usize::saturating_add);
            Outcome::Moved {
                next,
                notice: Some(Notice::DraftPartSaved {
                    words,
                    // A part of a SINOVIK box may have what the box's other parts left.
                    max_words: dialog.word_limit(question, progress),
                }),
                in_place: false,
            }
        }
        (QuestionKind::File(rules), Input::File(meta)) => {
            // Kind, MIME type, size and count are checked before anything is downloaded.
            let checked = dialog
                .check_file_slot(question, progress.files(key))
                .and_then(|()| dialog.validate(question, &Input::File(meta), progress, today));
            match checked {
                Ok(accepted) => Outcome::Upload {
                    key: key.clone(),
                    max_bytes: megabytes(rules.max_size_mb),
                    warnings: accepted.warnings,
                },
                Err(rejection) => Outcome::Repeat(Some(Notice::Rejected(rejection))),
            }
        }
        (_, input) => answer(dialog, conversation, progress, question, key, &input, today),
    }
}

fn on_press(
    dialog: &Dialog,
    conversation: &Conversation,
    progress: &Progress,
    press: Press,
    today: NaiveDate,
) -> Outcome {
    let key = match &conversation.cursor {
        Cursor::Question(key) => key,
        Cursor::AddAnother { group, .. } => {
            return match press {
                Press::AddAnother(yes) => {
                    moved_to(conversation, dialog.add_another(group, yes, progress))
                }
                Press::Back | Press::Pause => navigate(dialog, conversation, progress, press),
                _ => Outcome::Stale,
            };
        }
        Cursor::Done => return Outcome::Stale,
    };
    let Some(question) = dialog.question(&key.question) else {
        return question_gone(dialog, conversation, progress);
    };
    // Buttons that answer the question all go through `answer`.
    let joined_draft;
    let input = match (press, &question.kind) {
        (Press::Choose(index), QuestionKind::SingleChoice(rules)) => {
            match rules.options.get(usize::from(index)) {
                Some(option) => Some(Input::Choice(&option.id)),
                None => return Outcome::Stale,
            }
        }
        (Press::Yes | Press::No, QuestionKind::YesNo) => Some(Input::YesNo(press == Press::Yes)),
        (Press::Done, QuestionKind::MultiChoice(_)) => {
            Some(Input::Choices(conversation.selected.clone()))
        }
        (Press::Done, QuestionKind::Text(_)) => {
            joined_draft = conversation.draft.join("\n\n");
            Some(Input::Text(&joined_draft))
        }
        _ => None,
    };
    if let Some(input) = input {
        return answer(dialog, conversation, progress, question, key, &input, today);
    }
    match (press, &question.kind) {
        (
            Press::Tick(index) | Press::Untick(index) | Press::Toggle(index),
            QuestionKind::MultiChoice(rules),
        ) => {
            let Some(option) = rules.options.get(usize::from(index)) else {
                return Outcome::Stale;
            };
            let mut next = conversation.clone();
            let at = next.selected.iter().position(|id| *id == option.id);
            let tick = match press {
                Press::Tick(_) => true,
                Press::Untick(_) => false,
                _ => at.is_none(),
            };
            match (tick, at) {
                (true, None) => next.selected.push(option.id.clone()),
                (false, Some(at)) => {
                    next.selected.remove(at);
                }
                // Already so: the keyboard is redrawn as it stands.
                _ => {}
            }
            Outcome::Moved {
                next,
                notice: None,
                in_place: true,
            }
        }
        (Press::ClearDraft, QuestionKind::Text(_)) => {
            let mut next = conversation.clone();
            next.draft.clear();
            Outcome::Moved {
                next,
                notice: Some(Notice::DraftCleared),
                in_place: false,
            }
        }
        (Press::Done, QuestionKind::File(_)) => {
            let have = progress.files(key);
            let need = question.files_needed();
            if have < need {
                return Outcome::Repeat(Some(Notice::FilesNeeded { have, need }));
            }
            if conversation.back_to_review {
                return Outcome::ToReview {
                    section: section_of(dialog, &question.id),
                };
            }
            navigate(dialog, conversation, progress, Press::Skip)
        }
        (Press::Skip, _) if question.required => Outcome::Repeat(Some(Notice::RequiredCannotSkip)),
        (Press::Skip | Press::Back | Press::Pause, _) => {
            navigate(dialog, conversation, progress, press)
        }
        _ => Outcome::Stale,
    }
}

/// Skip (next without answering), Back and Pause.
fn navigate(
    dialog: &Dialog,
    conversation: &Conversation,
    progress: &Progress,
    press: Press,
) -> Outcome {
    match press {
        Press::Pause => Outcome::Paused,
        Press::Skip if conversation.back_to_review => Outcome::ToReview { section: None },
        Press::Back => moved_to(
            conversation,
            dialog.previous(&conversation.cursor, progress),
        ),
        _ => moved_to(conversation, dialog.next(&conversation.cursor, progress)),
    }
}

/// Validates one answer. An invalid answer changes nothing: the person sees why, with an
/// example, and the same question again.
fn answer(
    dialog: &Dialog,
    conversation: &Conversation,
    progress: &Progress,
    question: &Question,
    key: &AnswerKey,
    input: &Input<'_>,
    today: NaiveDate,
) -> Outcome {
    let accepted = match dialog.validate(question, input, progress, today) {
        Ok(accepted) => accepted,
        Err(Rejection::TooManyWords { count, max }) if !conversation.draft.is_empty() => {
            return Outcome::Repeat(Some(Notice::DraftTooLong {
                words: count,
                max_words: max,
                box_title: None,
            }));
        }
        Err(Rejection::BoxTooManyWords {
            title,
            count,
            max,
            others,
        }) if !conversation.draft.is_empty() => {
            let room = usize::try_from(max)
                .unwrap_or(usize::MAX)
                .saturating_sub(others);
            return Outcome::Repeat(Some(Notice::DraftTooLong {
                words: count.saturating_sub(others),
                max_words: u32::try_from(room).unwrap_or(u32::MAX),
                box_title: Some(title),
            }));
        }
        Err(rejection) => return Outcome::Repeat(Some(Notice::Rejected(rejection))),
    };
    let Some(value) = accepted.value else {
        // A file answer arrives as an upload; a file where text was asked was rejected.
        return Outcome::Repeat(None);
    };
    let mut answered = progress.clone();
    dialog.record_answer(&mut answered, key.clone(), value.clone());
    let after = if conversation.back_to_review {
        After::Review {
            section: section_of(dialog, &question.id),
        }
    } else {
        After::Continue(Conversation::at(
            conversation.innovation_id,
            dialog.next(&conversation.cursor, &answered),
        ))
    };
    Outcome::Answered {
        key: key.clone(),
        value,
        warnings: accepted.warnings,
        after,
        progress: answered,
    }
}

fn question_gone(dialog: &Dialog, conversation: &Conversation, progress: &Progress) -> Outcome {
    Outcome::Moved {
        next: recovered(dialog, conversation.innovation_id, progress),
        notice: Some(Notice::QuestionChanged),
        in_place: false,
    }
}

fn section_of(dialog: &Dialog, question_id: &str) -> Option<String> {
    dialog
        .section_of(question_id)
        .map(|section| section.id.clone())
}

/// Megabytes (as the dialog file writes them) in bytes, rounded down.
fn megabytes(mb: f64) -> u64 {
    // A float-to-integer `as` saturates; limits are small and positive (checked on load).
    (mb * 1024.0 * 1024.0) as u64
}
