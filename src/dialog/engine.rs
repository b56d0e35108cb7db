//! Walking a questionnaire: which question comes next, what is still missing, how far along a
//! proposal is. Pure functions of the [`Dialog`] and a [`Progress`] snapshot built by the caller
//! from the database: no I/O, no Telegram, no clock.
//!
//! The order is the file's order: sections, then their questions; a group's members are asked
//! item by item (metric 1: name, unit, …; metric 2: …), then [`Cursor::AddAnother`] asks whether
//! to add one more. Hidden sections and questions (their `show_if` does not hold) are skipped.
//!
//! When the cursor enters a new group item (its `item` equals `progress.items(group)`), the
//! caller records that the item was started, with [`Progress::start_item`] or
//! [`Dialog::record_answer`]. A cursor whose question no longer exists in the dialog file (the
//! file changed under a running conversation) is recovered: `next` and `previous` return
//! [`Dialog::first_missing`].

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::dialog::model::{Condition, Dialog, NarrativeBox, Question, QuestionKind, Section};
use crate::domain::{AnswerValue, Lang};

/// Which answer: a question id and, for group members, the 0-based item (0 outside groups).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AnswerKey {
    pub question: String,
    pub item: u16,
}

impl AnswerKey {
    /// A question outside groups.
    pub fn new(question: impl Into<String>) -> Self {
        Self {
            question: question.into(),
            item: 0,
        }
    }

    /// A group member in item `item` (0-based).
    pub fn item(question: impl Into<String>, item: u16) -> Self {
        Self {
            question: question.into(),
            item,
        }
    }
}

/// What is known of one innovation's answers, built by the caller from the database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    pub answers: HashMap<AnswerKey, AnswerValue>,
    /// Files stored per file question.
    pub file_counts: HashMap<AnswerKey, u32>,
    /// How many items each group has started.
    pub group_items: HashMap<String, u16>,
}

impl Progress {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn answer(&self, key: &AnswerKey) -> Option<&AnswerValue> {
        self.answers.get(key)
    }

    pub fn files(&self, key: &AnswerKey) -> u32 {
        self.file_counts.get(key).copied().unwrap_or(0)
    }

    /// Items started in a group.
    pub fn items(&self, group: &str) -> u16 {
        self.group_items.get(group).copied().unwrap_or(0)
    }

    pub fn set_answer(&mut self, key: AnswerKey, value: AnswerValue) {
        self.answers.insert(key, value);
    }

    pub fn clear_answer(&mut self, key: &AnswerKey) {
        self.answers.remove(key);
    }

    pub fn set_file_count(&mut self, key: AnswerKey, count: u32) {
        self.file_counts.insert(key, count);
    }

    /// Records that item `item` (0-based) of a group exists.
    pub fn start_item(&mut self, group: &str, item: u16) {
        let items = self.group_items.entry(group.to_owned()).or_insert(0);
        *items = (*items).max(item.saturating_add(1));
    }
}

/// Where the conversation is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cursor {
    Question(AnswerKey),
    /// "Add another metric?" after the members of the last item; `items` is how many exist.
    AddAnother {
        group: String,
        items: u16,
    },
    Done,
}

/// "Bagian 2/4 · Pertanyaan 3/7": 1-based, counting visible sections and visible questions of
/// the cursor's section (group members count once each, whatever the number of items).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub section_index: usize,
    pub section_count: usize,
    pub question_index: usize,
    pub question_count: usize,
}

/// Something a proposal still lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// For `Items`, the group's key (item 0).
    pub key: AnswerKey,
    pub section: String,
    pub question: String,
    pub what: MissingKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MissingKind {
    Answer,
    Files { have: u32, need: u32 },
    Items { have: u16, need: u16 },
}

impl Missing {
    /// "Dasar hukum (SK) belum diunggah", "Belum ada metrik dampak", "Satuan (metrik dampak 2)
    /// belum diisi".
    pub fn message(&self, dialog: &Dialog, lang: Lang) -> String {
        let Some(question) = dialog.question(&self.question) else {
            return self.question.clone();
        };
        let mut label = question.label.get(lang).to_owned();
        if let Some(group) = dialog.group_of(&self.question)
            && let QuestionKind::Group(rules) = &group.kind
        {
            label = format!(
                "{label} ({} {})",
                rules.item_label.get(lang),
                u32::from(self.key.item).saturating_add(1)
            );
        }
        match (&self.what, lang) {
            (MissingKind::Answer, Lang::Id) => format!("{label} belum diisi"),
            (MissingKind::Answer, Lang::En) => format!("{label}: not answered yet"),
            (MissingKind::Files { have: 0, .. }, Lang::Id) => format!("{label} belum diunggah"),
            (MissingKind::Files { have: 0, .. }, Lang::En) => format!("{label}: not uploaded yet"),
            (MissingKind::Files { have, need }, Lang::Id) => {
                format!("{label}: baru {have} dari {need} file diunggah")
            }
            (MissingKind::Files { have, need }, Lang::En) => {
                format!("{label}: {have} of {need} files uploaded")
            }
            (MissingKind::Items { have, need }, lang) => {
                let item = match &question.kind {
                    QuestionKind::Group(rules) => rules.item_label.get(lang).to_owned(),
                    _ => label,
                };
                match (have, lang) {
                    (0, Lang::Id) => format!("Belum ada {item}"),
                    (0, Lang::En) => format!("No {item} yet"),
                    (_, Lang::Id) => format!("Baru {have} {item}, minimal {need}"),
                    (_, Lang::En) => format!("Only {have} {item}, at least {need}"),
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Completion {
    pub required_done: u32,
    pub required_total: u32,
    /// 0–100, rounded down; 100 when nothing is required.
    pub percent: u8,
}

/// A visible section with its visible answers, for a review summary.
#[derive(Debug, Clone)]
pub struct ReviewSection<'a> {
    pub section: &'a Section,
    pub entries: Vec<ReviewEntry<'a>>,
}

#[derive(Debug, Clone)]
pub struct ReviewEntry<'a> {
    pub key: AnswerKey,
    pub question: &'a Question,
    /// The group, for members.
    pub group: Option<&'a Question>,
    pub answer: Option<&'a AnswerValue>,
    pub files: u32,
}

/// One narrative box's words over an innovation's visible answers (hidden questions do not
/// count), against its limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoxWords<'a> {
    pub narrative_box: &'a NarrativeBox,
    pub words: usize,
    /// Visible questions of the box with an answer, and without one.
    pub answered: usize,
    pub unanswered: usize,
    /// Files stored for the box's attachment question (0 without one).
    pub files: u32,
}

impl BoxWords<'_> {
    /// Words over `max_words`, if over.
    pub fn over_by(&self) -> Option<usize> {
        let max = self.narrative_box.max_words? as usize;
        self.words.checked_sub(max).filter(|over| *over > 0)
    }

    /// Words missing to reach `min_words`, if short.
    pub fn under_by(&self) -> Option<usize> {
        let min = self.narrative_box.min_words? as usize;
        min.checked_sub(self.words).filter(|under| *under > 0)
    }

    /// Every visible question answered, and the words within both limits.
    pub fn within_limits(&self) -> bool {
        self.unanswered == 0 && self.over_by().is_none() && self.under_by().is_none()
    }
}

/// One place in the walk, with the top-level question it belongs to.
struct Step<'a> {
    cursor: Cursor,
    visible: bool,
    /// Indexes of the section and of the top-level question, to compare places.
    top: (usize, usize),
    section: &'a Section,
    top_question: &'a Question,
    required_unmet: bool,
    unanswered: bool,
}

impl Dialog {
    // --- visibility ---------------------------------------------------------------------

    fn holds(&self, condition: Option<&Condition>, progress: &Progress) -> bool {
        let Some(condition) = condition else {
            return true;
        };
        // References always point to earlier top-level questions, so this terminates.
        self.is_visible(&condition.question, progress)
            && condition.holds(progress.answer(&AnswerKey::new(condition.question.as_str())))
    }

    pub fn is_section_visible(&self, section: &Section, progress: &Progress) -> bool {
        self.holds(section.show_if.as_ref(), progress)
    }

    /// Whether a question (or group member) is shown, given the answers so far.
    /// Unknown ids are not visible.
    pub fn is_visible(&self, question_id: &str, progress: &Progress) -> bool {
        let Some(found) = self.find_question(question_id) else {
            return false;
        };
        let member_ok = found
            .member
            .is_none_or(|member| self.holds(member.show_if.as_ref(), progress));
        member_ok
            && self.holds(found.top.show_if.as_ref(), progress)
            && self.is_section_visible(found.section, progress)
    }

    pub fn visible_sections<'a>(&'a self, progress: &Progress) -> Vec<&'a Section> {
        self.sections()
            .iter()
            .filter(|s| self.is_section_visible(s, progress))
            .collect()
    }

    // --- the walk -------------------------------------------------------------------------

    /// Whether a required question still lacks its answer or files.
    fn required_unmet(question: &Question, key: &AnswerKey, progress: &Progress) -> bool {
        question.required
            && match question.kind {
                QuestionKind::File(_) => progress.files(key) < question.files_needed(),
                _ => progress.answer(key).is_none(),
            }
    }

    fn unanswered(question: &Question, key: &AnswerKey, progress: &Progress) -> bool {
        match question.kind {
            QuestionKind::File(_) => progress.files(key) == 0,
            _ => progress.answer(key).is_none(),
        }
    }

    /// Every place of the walk in order, hidden ones included. Groups get
    /// `max(started, min_items)` items (only `started` when `pad_to_min` is false), more when
    /// `focus` is in a later item.
    fn steps(
        &self,
        progress: &Progress,
        focus: Option<&Cursor>,
        pad_to_min: bool,
    ) -> Vec<Step<'_>> {
        let mut steps = Vec::new();
        for (s, section) in self.sections().iter().enumerate() {
            let section_visible = self.is_section_visible(section, progress);
            for (q, question) in section.questions.iter().enumerate() {
                let visible = section_visible && self.holds(question.show_if.as_ref(), progress);
                let QuestionKind::Group(rules) = &question.kind else {
                    let key = AnswerKey::new(question.id.as_str());
                    steps.push(Step {
                        required_unmet: Self::required_unmet(question, &key, progress),
                        unanswered: Self::unanswered(question, &key, progress),
                        cursor: Cursor::Question(key),
                        visible,
                        top: (s, q),
                        section,
                        top_question: question,
                    });
                    continue;
                };
                let started = progress.items(&question.id);
                let mut items = if pad_to_min {
                    started.max(rules.min_items)
                } else {
                    started
                };
                match focus {
                    Some(Cursor::Question(key))
                        if self
                            .group_of(&key.question)
                            .is_some_and(|g| g.id == question.id) =>
                    {
                        items = items.max(key.item.saturating_add(1));
                    }
                    Some(Cursor::AddAnother { group, items: n }) if *group == question.id => {
                        items = items.max(*n)
                    }
                    _ => {}
                }
                let mut any_member_visible = false;
                for item in 0..items {
                    for member in &rules.members {
                        let member_visible =
                            visible && self.holds(member.show_if.as_ref(), progress);
                        any_member_visible |= member_visible;
                        let key = AnswerKey::item(member.id.as_str(), item);
                        steps.push(Step {
                            required_unmet: Self::required_unmet(member, &key, progress),
                            unanswered: Self::unanswered(member, &key, progress),
                            cursor: Cursor::Question(key),
                            visible: member_visible,
                            top: (s, q),
                            section,
                            top_question: question,
                        });
                    }
                }
                if items < rules.max_items {
                    let members_visible = rules
                        .members
                        .iter()
                        .any(|m| self.holds(m.show_if.as_ref(), progress));
                    steps.push(Step {
                        cursor: Cursor::AddAnother {
                            group: question.id.clone(),
                            items,
                        },
                        visible: visible && (members_visible || any_member_visible),
                        top: (s, q),
                        section,
                        top_question: question,
                        required_unmet: false,
                        unanswered: false,
                    });
                }
            }
        }
        steps
    }

    fn find(steps: &[Step], cursor: &Cursor) -> Option<usize> {
        steps.iter().position(|step| match (&step.cursor, cursor) {
            (Cursor::AddAnother { group: a, .. }, Cursor::AddAnother { group: b, .. }) => a == b,
            (a, b) => a == b,
        })
    }

    fn next_visible(steps: &[Step], after: usize) -> Cursor {
        steps
            .iter()
            .skip(after.saturating_add(1))
            .find(|s| s.visible)
            .map_or(Cursor::Done, |s| s.cursor.clone())
    }

    /// The first visible question that a required answer or file is still missing from (group
    /// items up to `min_items` included); `Done` when nothing required is missing. A resumed
    /// innovation starts here.
    pub fn first_missing(&self, progress: &Progress) -> Cursor {
        self.steps(progress, None, true)
            .into_iter()
            .find(|s| s.visible && s.required_unmet)
            .map_or(Cursor::Done, |s| s.cursor)
    }

    /// The first visible question with no answer at all, required or not (optional questions
    /// that were skipped come back here).
    pub fn first_unanswered(&self, progress: &Progress) -> Cursor {
        self.steps(progress, None, true)
            .into_iter()
            .find(|s| s.visible && s.unanswered && matches!(s.cursor, Cursor::Question(_)))
            .map_or(Cursor::Done, |s| s.cursor)
    }

    /// The cursor after answering or skipping `cursor`. From `AddAnother` it means "no".
    pub fn next(&self, cursor: &Cursor, progress: &Progress) -> Cursor {
        if *cursor == Cursor::Done {
            return Cursor::Done;
        }
        let steps = self.steps(progress, Some(cursor), true);
        match Self::find(&steps, cursor) {
            Some(at) => Self::next_visible(&steps, at),
            None => self.first_missing(progress),
        }
    }

    /// The answer to "add another?": the first member of a new item, or what follows the group.
    pub fn add_another(&self, group: &str, yes: bool, progress: &Progress) -> Cursor {
        let Some(question) = self.question(group) else {
            return self.first_missing(progress);
        };
        let QuestionKind::Group(rules) = &question.kind else {
            return self.first_missing(progress);
        };
        let items = progress.items(group).max(rules.min_items);
        if yes
            && items < rules.max_items
            && let Some(member) = rules
                .members
                .iter()
                .find(|m| self.holds(m.show_if.as_ref(), progress))
        {
            return Cursor::Question(AnswerKey::item(member.id.as_str(), items));
        }
        let steps = self.steps(progress, None, true);
        let Some(loc) = self.locate(group) else {
            return Cursor::Done;
        };
        match steps
            .iter()
            .rposition(|s| s.top == (loc.section, loc.question))
        {
            Some(last) => Self::next_visible(&steps, last),
            None => self.first_missing(progress),
        }
    }

    /// The cursor before `cursor`, for a Back button. The first question stays where it is;
    /// from `Done`, the last visible step.
    pub fn previous(&self, cursor: &Cursor, progress: &Progress) -> Cursor {
        let steps = self.steps(progress, Some(cursor), true);
        let before = match cursor {
            Cursor::Done => steps.len(),
            _ => match Self::find(&steps, cursor) {
                Some(at) => at,
                None => return self.first_missing(progress),
            },
        };
        steps
            .iter()
            .take(before)
            .rev()
            .find(|s| s.visible)
            .map_or_else(|| cursor.clone(), |s| s.cursor.clone())
    }

    /// The visible questions of a section, group members in place of their group.
    fn visible_questions_of<'a>(
        &'a self,
        section: &'a Section,
        progress: &Progress,
    ) -> Vec<&'a Question> {
        let mut out = Vec::new();
        for question in &section.questions {
            if !self.holds(question.show_if.as_ref(), progress) {
                continue;
            }
            match &question.kind {
                QuestionKind::Group(rules) => out.extend(
                    rules
                        .members
                        .iter()
                        .filter(|m| self.holds(m.show_if.as_ref(), progress)),
                ),
                _ => out.push(question),
            }
        }
        out
    }

    /// Section and question numbers for the cursor. `Done` (and a cursor on an unknown
    /// question) reports the last question of the last visible section.
    pub fn position(&self, cursor: &Cursor, progress: &Progress) -> Position {
        let visible = self.visible_sections(progress);
        let section_count = visible.len();
        let (question_id, group_end) = match cursor {
            Cursor::Question(key) => (Some(key.question.as_str()), false),
            Cursor::AddAnother { group, .. } => (Some(group.as_str()), true),
            Cursor::Done => (None, false),
        };
        let found = question_id.and_then(|id| {
            let section = self.section_of(id)?;
            let index = visible.iter().position(|s| s.id == section.id)?;
            Some((index, section, id))
        });
        let Some((index, section, id)) = found else {
            let question_count = visible
                .last()
                .map_or(0, |s| self.visible_questions_of(s, progress).len());
            return Position {
                section_index: section_count,
                section_count,
                question_index: question_count,
                question_count,
            };
        };
        let questions = self.visible_questions_of(section, progress);
        let question_index = if group_end {
            let members = self.question(id).map(Question::members).unwrap_or_default();
            questions
                .iter()
                .rposition(|q| members.iter().any(|m| m.id == q.id))
        } else {
            questions.iter().position(|q| q.id == id)
        };
        Position {
            section_index: index.saturating_add(1),
            section_count,
            question_index: question_index.map_or(1, |i| i.saturating_add(1)),
            question_count: questions.len(),
        }
    }

    /// Everything required that a proposal still lacks, in questionnaire order: visible
    /// required answers, files short of their count, and groups short of `min_items` (one
    /// entry for the group; members of started items are listed one by one).
    pub fn missing(&self, progress: &Progress) -> Vec<Missing> {
        let mut missing = Vec::new();
        let mut reported_groups = Vec::new();
        for step in self.steps(progress, None, false) {
            let (s, q) = step.top;
            let (section, top) = (step.section, step.top_question);
            if let QuestionKind::Group(rules) = &top.kind
                && self.is_section_visible(section, progress)
                && self.holds(top.show_if.as_ref(), progress)
                && !reported_groups.contains(&(s, q))
            {
                reported_groups.push((s, q));
                let have = progress.items(&top.id);
                if have < rules.min_items {
                    missing.push(Missing {
                        key: AnswerKey::new(top.id.as_str()),
                        section: section.id.clone(),
                        question: top.id.clone(),
                        what: MissingKind::Items {
                            have,
                            need: rules.min_items,
                        },
                    });
                }
            }
            let Cursor::Question(key) = step.cursor else {
                continue;
            };
            if !step.visible || !step.required_unmet {
                continue;
            }
            let Some(question) = self.question(&key.question) else {
                continue;
            };
            let what = if question.is_file() {
                MissingKind::Files {
                    have: progress.files(&key),
                    need: question.files_needed(),
                }
            } else {
                MissingKind::Answer
            };
            missing.push(Missing {
                section: section.id.clone(),
                question: key.question.clone(),
                key,
                what,
            });
        }
        missing
    }

    /// How many visible required answers are in place (group items counted up to
    /// `max(started, min_items)`).
    pub fn completion(&self, progress: &Progress) -> Completion {
        let mut total = 0u32;
        let mut done = 0u32;
        for step in self.steps(progress, None, true) {
            let Cursor::Question(key) = &step.cursor else {
                continue;
            };
            let required = self.question(&key.question).is_some_and(|q| q.required);
            if step.visible && required {
                total = total.saturating_add(1);
                done = done.saturating_add(u32::from(!step.required_unmet));
            }
        }
        // Nothing required (total 0) counts as complete.
        let percent = u64::from(done)
            .saturating_mul(100)
            .checked_div(u64::from(total))
            .map_or(100, |percent| u8::try_from(percent).unwrap_or(100));
        Completion {
            required_done: done,
            required_total: total,
            percent,
        }
    }

    /// The visible sections with their visible questions and answers, for a summary before
    /// submitting. Group members appear once per started item.
    pub fn review<'a>(&'a self, progress: &'a Progress) -> Vec<ReviewSection<'a>> {
        let mut out: Vec<ReviewSection<'a>> = Vec::new();
        for step in self.steps(progress, None, false) {
            let Cursor::Question(key) = step.cursor else {
                continue;
            };
            if !step.visible {
                continue;
            }
            let section = step.section;
            let Some(question) = self.question(&key.question) else {
                continue;
            };
            let entry = ReviewEntry {
                group: self.group_of(&key.question),
                answer: progress.answer(&key),
                files: progress.files(&key),
                question,
                key,
            };
            match out.last_mut() {
                Some(last) if last.section.id == section.id => last.entries.push(entry),
                _ => out.push(ReviewSection {
                    section,
                    entries: vec![entry],
                }),
            }
        }
        out
    }

    // --- SINOVIK's boxes -----------------------------------------------------------------

    /// Every box in SINOVIK's order with its words for these answers.
    pub fn box_counts(&self, progress: &Progress) -> Vec<BoxWords<'_>> {
        self.boxes()
            .iter()
            .map(|b| self.box_words(b, progress))
            .collect()
    }

    /// One box's words for these answers.
    pub fn box_words<'a>(
        &'a self,
        narrative_box: &'a NarrativeBox,
        progress: &Progress,
    ) -> BoxWords<'a> {
        self.box_words_except(narrative_box, "", progress)
    }

    /// A box's words without the answer to `except` (the one being validated).
    pub(crate) fn box_words_except<'a>(
        &'a self,
        narrative_box: &'a NarrativeBox,
        except: &str,
        progress: &Progress,
    ) -> BoxWords<'a> {
        let mut counted = BoxWords {
            narrative_box,
            words: 0,
            answered: 0,
            unanswered: 0,
            files: narrative_box
                .attachment
                .as_deref()
                .map_or(0, |file| progress.files(&AnswerKey::new(file))),
        };
        for id in &narrative_box.questions {
            if id == except || !self.is_visible(id, progress) {
                continue;
            }
            match progress.answer(&AnswerKey::new(id.as_str())) {
                Some(AnswerValue::Text { text }) => {
                    counted.words = counted
                        .words
                        .saturating_add(text.split_whitespace().count());
                    counted.answered = counted.answered.saturating_add(1);
                }
                Some(_) => counted.answered = counted.answered.saturating_add(1),
                None => counted.unanswered = counted.unanswered.saturating_add(1),
            }
        }
        counted
    }

    /// A box's text as SINOVIK takes it: its visible answers in order, a blank line between.
    pub fn box_text(&self, narrative_box: &NarrativeBox, progress: &Progress) -> String {
        narrative_box
            .questions
            .iter()
            .filter(|id| self.is_visible(id, progress))
            .filter_map(|id| match progress.answer(&AnswerKey::new(id.as_str())) {
                Some(AnswerValue::Text { text }) => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// Stores an answer in a progress snapshot, starting the group item when needed
    /// (the in-memory twin of what the storage layer does).
    pub fn record_answer(&self, progress: &mut Progress, key: AnswerKey, value: AnswerValue) {
        self.start_item_of(progress, &key);
        progress.set_answer(key, value);
    }

    /// Counts one more file for a file question.
    pub fn record_file(&self, progress: &mut Progress, key: AnswerKey) {
        self.start_item_of(progress, &key);
        let count = progress.files(&key).saturating_add(1);
        progress.set_file_count(key, count);
    }

    fn start_item_of(&self, progress: &mut Progress, key: &AnswerKey) {
        if let Some(group) = self.group_of(&key.question) {
            progress.start_item(&group.id, key.item);
        }
    }

    /// Builds a progress snapshot from stored answers and file counts, deriving how many items
    /// each group has from the highest item index seen.
    pub fn progress_from(
        &self,
        answers: HashMap<AnswerKey, AnswerValue>,
        file_counts: HashMap<AnswerKey, u32>,
    ) -> Progress {
        let mut progress = Progress {
            answers,
            file_counts,
            group_items: HashMap::new(),
        };
        let keys: Vec<AnswerKey> = progress
            .answers
            .keys()
            .chain(progress.file_counts.keys())
            .cloned()
            .collect();
        for key in keys {
            self.start_item_of(&mut progress, &key);
        }
        progress
    }
}
