//! What the writers share: the dialog's layout (computed once per export) and one
//! innovation's answers indexed by question, with visibility and evidence names.

use std::collections::{HashMap, HashSet};

use crate::dialog::{AnswerKey, Dialog, Progress, Question, QuestionKind};
use crate::domain::{AnswerValue, Lang};
use crate::export::model::{AnswerRecord, EvidenceRecord, InnovationRecord};
use crate::export::naming;

/// The dialog seen from the exports: top-level questions and groups in file order.
pub(crate) struct Layout<'d> {
    pub dialog: &'d Dialog,
    /// Every top-level question, in section and file order.
    pub top: Vec<&'d Question>,
    /// The group questions, in file order.
    pub groups: Vec<&'d Question>,
    /// Position of every question (group members included) in the walk.
    order: HashMap<&'d str, usize>,
    /// Questions some `show_if` looks at: the only answers visibility needs.
    condition_ids: HashSet<&'d str>,
}

impl<'d> Layout<'d> {
    pub(crate) fn new(dialog: &'d Dialog) -> Self {
        let mut top = Vec::new();
        let mut groups = Vec::new();
        let mut order = HashMap::new();
        let mut condition_ids = HashSet::new();
        for section in dialog.sections() {
            if let Some(c) = &section.show_if {
                condition_ids.insert(c.question.as_str());
            }
            for question in &section.questions {
                top.push(question);
                if question.is_group() {
                    groups.push(question);
                }
                for q in std::iter::once(question).chain(question.members()) {
                    order.insert(q.id.as_str(), order.len());
                    if let Some(c) = &q.show_if {
                        condition_ids.insert(c.question.as_str());
                    }
                }
            }
        }
        Self {
            dialog,
            top,
            groups,
            order,
            condition_ids,
        }
    }

    /// Where a question comes in the walk; unknown ids come last.
    pub(crate) fn order_of(&self, question_id: &str) -> usize {
        self.order.get(question_id).copied().unwrap_or(usize::MAX)
    }

    /// "Dasar hukum (SK)", "Satuan (metrik dampak 2)", or the raw id of a question the dialog
    /// no longer has.
    pub(crate) fn label(&self, question_id: &str, item: u16, lang: Lang) -> String {
        let Some(question) = self.dialog.question(question_id) else {
            return question_id.to_owned();
        };
        let label = question.label.get(lang);
        match self.dialog.group_of(question_id).map(|g| &g.kind) {
            Some(QuestionKind::Group(rules)) => {
                format!(
                    "{label} ({} {})",
                    rules.item_label.get(lang),
                    u32::from(item).saturating_add(1)
                )
            }
            _ => label.to_owned(),
        }
    }
}

/// One evidence file with its name inside the innovation's folder.
pub(crate) struct NamedEvidence<'a> {
    pub record: &'a EvidenceRecord,
    pub file_name: String,
}

/// One innovation, indexed for the writers.
pub(crate) struct View<'a> {
    pub rec: &'a InnovationRecord,
    answers: HashMap<(&'a str, u16), &'a AnswerRecord>,
    progress: Progress,
    /// In dialog order (question, item, upload time), numbered from 1.
    pub evidence: Vec<NamedEvidence<'a>>,
}

impl<'a> View<'a> {
    pub(crate) fn new(rec: &'a InnovationRecord, layout: &Layout<'_>, lang: Lang) -> Self {
        let mut answers: HashMap<(&str, u16), &AnswerRecord> = HashMap::new();
        for answer in &rec.answers {
            let key = (answer.question_id.as_str(), answer.item);
            match answers.get(&key) {
                Some(kept) if kept.answered_at > answer.answered_at => {}
                _ => {
                    answers.insert(key, answer);
                }
            }
        }
        let mut progress = Progress::new();
        for (&(id, item), answer) in &answers {
            if item == 0 && layout.condition_ids.contains(id) {
                progress.set_answer(AnswerKey::new(id), answer.value.clone());
            }
        }
        let mut sorted: Vec<&EvidenceRecord> = rec.evidence.iter().collect();
        sorted.sort_by(|a, b| {
            (layout.order_of(&a.question_id), &a.question_id, a.item)
                .cmp(&(layout.order_of(&b.question_id), &b.question_id, b.item))
                .then(a.uploaded_at.cmp(&b.uploaded_at))
                .then(a.id.cmp(&b.id))
        });
        let evidence = sorted
            .into_iter()
            .enumerate()
            .map(|(i, record)| NamedEvidence {
                file_name: naming::evidence_file_name(
                    i.saturating_add(1),
                    &layout.label(&record.question_id, record.item, lang),
                    record.original_name.as_deref(),
                    record.mime_type.as_deref(),
                    &record.kind,
                ),
                record,
            })
            .collect();
        Self {
            rec,
            answers,
            progress,
            evidence,
        }
    }

    pub(crate) fn answer(&self, question_id: &str, item: u16) -> Option<&'a AnswerRecord> {
        self.answers.get(&(question_id, item)).copied()
    }

    /// Every stored answer, one per question and item (the latest when several were stored).
    pub(crate) fn answers(&self) -> impl Iterator<Item = &'a AnswerRecord> + '_ {
        self.answers.values().copied()
    }

    pub(crate) fn value(&self, question_id: &str, item: u16) -> Option<&'a AnswerValue> {
        self.answer(question_id, item).map(|a| &a.value)
    }

    /// Whether the question is shown given this innovation's answers (its `show_if`, its
    /// group's and its section's).
    pub(crate) fn is_visible(&self, layout: &Layout<'_>, question_id: &str) -> bool {
        layout.dialog.is_visible(question_id, &self.progress)
    }

    /// The 0-based items a group has, from its members' answers and files.
    pub(crate) fn items(&self, group: &Question) -> Vec<u16> {
        let members: HashSet<&str> = group.members().iter().map(|m| m.id.as_str()).collect();
        let mut items: Vec<u16> = self
            .answers
            .keys()
            .filter(|(id, _)| members.contains(id))
            .map(|&(_, item)| item)
            .chain(
                self.evidence
                    .iter()
                    .filter(|e| members.contains(e.record.question_id.as_str()))
                    .map(|e| e.record.item),
            )
            .collect();
        items.sort_unstable();
        items.dedup();
        items
    }

    /// The files of one question (and item).
    pub(crate) fn files<'s>(
        &'s self,
        question_id: &'s str,
        item: u16,
    ) -> impl Iterator<Item = &'s NamedEvidence<'a>> + 's {
        self.evidence
            .iter()
            .filter(move |e| e.record.question_id == question_id && e.record.item == item)
    }

    /// Answers to questions the dialog no longer has, by id and item.
    pub(crate) fn orphans(&self, layout: &Layout<'_>) -> Vec<&'a AnswerRecord> {
        let mut orphans: Vec<&AnswerRecord> = self
            .answers
            .values()
            .filter(|a| layout.dialog.question(&a.question_id).is_none())
            .copied()
            .collect();
        orphans.sort_by(|a, b| (&a.question_id, a.item).cmp(&(&b.question_id, b.item)));
        orphans
    }

    /// `PUSDATIN/012-layar-kaca`
    pub(crate) fn folder(&self) -> String {
        format!(
            "{}/{}",
            naming::unit_folder(&self.rec.unit_code),
            naming::innovation_folder(self.rec.id, &self.rec.title)
        )
    }
}

/// A human rendering of an answer; for a question the dialog no longer has, the raw values
/// (option ids rather than labels).
pub(crate) fn display(value: &AnswerValue, question: Option<&Question>, lang: Lang) -> String {
    match question {
        Some(q) => value.display(lang, q),
        None => value.display(lang, &placeholder_question()),
    }
}

/// A question with no options and no unit: `display` then shows raw values.
fn placeholder_question() -> Question {
    let empty = crate::dialog::Text {
        id: String::new(),
        en: String::new(),
    };
    Question {
        id: String::new(),
        label: empty.clone(),
        prompt: empty,
        help: None,
        required: false,
        show_if: None,
        kind: QuestionKind::YesNo,
    }
}
