//! The checked questionnaire. A [`Dialog`] exists only when its file had no problem at all:
//! [`Dialog::from_toml_str`] reports every problem of a file in one run, each with its line.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::Spanned;

mod check;

use crate::dialog::spec::{LineIndex, Node, TableRef, parse_document};
use crate::domain::{AnswerValue, Lang};
use check::Checker;
pub use check::KNOWN_MIME_TYPES;

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub id: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Id => &self.id,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    pub id: String,
    pub name: Text,
    /// How many innovations the agency may select for KIPP (at least 1). Units draft as many
    /// as they like; the cap applies to the bureau's selection.
    pub max_innovations: u32,
    /// Optional split of that cap by group: option ids of the [`GROUP_QUESTION`] with the
    /// most selected innovations each (`max_selected_per_group`). A group not named here is
    /// bound by the overall cap only.
    pub max_selected_per_group: Vec<(String, u32)>,
    /// SINOVIK's national close, in the bot's local time (naive); the old key
    /// `default_deadline` means the same. Selection ends here.
    pub national_close: Option<NaiveDateTime>,
    /// The units' deadline as written (`units_deadline`); see [`Campaign::units_deadline`].
    pub units_deadline: Option<NaiveDateTime>,
    /// Innovations younger than this get a warning on their start date (counted to the
    /// national close, or to today without one).
    pub min_age_years: Option<MinAge>,
}

/// The least age of an innovation, in years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MinAge {
    /// The same for every innovation: `min_age_years = 2`.
    Years(u32),
    /// Per option of a single_choice question: `min_age_years = { umum = 2, replikasi = 1 }`.
    /// An innovation whose choice is not listed or not made yet is held to the largest.
    PerOption {
        question: String,
        years: Vec<(String, u32)>,
    },
}

impl MinAge {
    /// The largest minimum, for an innovation whose choice is not known.
    pub fn largest(&self) -> u32 {
        match self {
            Self::Years(years) => *years,
            Self::PerOption { years, .. } => years.iter().map(|(_, y)| *y).max().unwrap_or(0),
        }
    }

    /// The minimum for the option chosen (`None`: not chosen yet), and the option it was
    /// looked up for when the minimum is its own.
    pub fn for_choice<'a>(&self, chosen: Option<&'a str>) -> (u32, Option<&'a str>) {
        match self {
            Self::Years(years) => (*years, None),
            Self::PerOption { years, .. } => chosen
                .and_then(|option| {
                    years
                        .iter()
                        .find(|(id, _)| id == option)
                        .map(|(_, y)| (*y, Some(option)))
                })
                .unwrap_or((self.largest(), None)),
        }
    }
}

/// One narrative box of SINOVIK's form: one or more text questions (guided prompts) that
/// SINOVIK takes as one text, with one word limit over all of them, and an optional file
/// question for the box's supporting PDF. `[[boxes]]` list them in SINOVIK's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NarrativeBox {
    pub id: String,
    pub title: Text,
    /// Top-level text questions, in the order their texts are joined.
    pub questions: Vec<String>,
    /// Over all the box's answers together.
    pub max_words: Option<u32>,
    /// Over all the box's answers together; checked on the answer that completes the box.
    pub min_words: Option<u32>,
    /// A top-level file question for the box's supporting document.
    pub attachment: Option<String>,
}

/// The question whose options are the groups (Umum, Replikasi) the selection cap may be split by.
pub const GROUP_QUESTION: &str = "kelompok";

/// How long before the national close the units' deadline falls when the file names none.
pub const UNITS_DEADLINE_LEAD_DAYS: i64 = 10;

impl Campaign {
    /// The units' deadline: as written, else [`UNITS_DEADLINE_LEAD_DAYS`] before the national
    /// close (so that the bureau has time to review), else none.
    pub fn units_deadline(&self) -> Option<NaiveDateTime> {
        self.units_deadline.or_else(|| {
            self.national_close?
                .checked_sub_signed(chrono::Duration::days(UNITS_DEADLINE_LEAD_DAYS))
        })
    }

    /// The most innovations of group `option` that may be selected, when the cap is split.
    pub fn group_cap(&self, option: &str) -> Option<u32> {
        self.max_selected_per_group
            .iter()
            .find(|(id, _)| id == option)
            .map(|(_, cap)| *cap)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub id: String,
    pub title: Text,
    /// Shown once when the section starts.
    pub intro: Option<Text>,
    pub show_if: Option<Condition>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: String,
    /// A short name that reads well in "X belum diisi".
    pub label: Text,
    pub prompt: Text,
    pub help: Option<Text>,
    /// For files: at least `min_count` files; for groups: see `GroupRules::min_items`.
    pub required: bool,
    pub show_if: Option<Condition>,
    pub kind: QuestionKind,
}

impl Question {
    /// The label of a choice option in `lang`, or the id itself when there is no such option.
    pub fn option_label<'a>(&'a self, option: &'a str, lang: Lang) -> &'a str {
        self.options()
            .iter()
            .find(|o| o.id == option)
            .map_or(option, |o| o.label.get(lang))
    }

    /// The options of a choice question (empty for other types).
    pub fn options(&self) -> &[ChoiceOption] {
        match &self.kind {
            QuestionKind::SingleChoice(rules) | QuestionKind::MultiChoice(rules) => &rules.options,
            _ => &[],
        }
    }

    /// The members of a group (empty for other types).
    pub fn members(&self) -> &[Question] {
        match &self.kind {
            QuestionKind::Group(rules) => &rules.members,
            _ => &[],
        }
    }

    pub fn is_group(&self) -> bool {
        matches!(self.kind, QuestionKind::Group(_))
    }

    pub fn is_file(&self) -> bool {
        matches!(self.kind, QuestionKind::File(_))
    }

    /// How many files make this question complete (0 for questions that are not files).
    pub fn files_needed(&self) -> u32 {
        match &self.kind {
            QuestionKind::File(rules) if self.required => rules.min_count.max(1),
            _ => 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum QuestionKind {
    Text(TextRules),
    Number(NumberRules),
    Integer(IntegerRules),
    SingleChoice(ChoiceRules),
    MultiChoice(ChoiceRules),
    YesNo,
    Date(DateRules),
    Email,
    Phone,
    Url(UrlRules),
    Contact,
    File(FileRules),
    Group(GroupRules),
}

impl QuestionKind {
    /// The `type` name used in dialog files.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Text(_) => "text",
            Self::Number(_) => "number",
            Self::Integer(_) => "integer",
            Self::SingleChoice(_) => "single_choice",
            Self::MultiChoice(_) => "multi_choice",
            Self::YesNo => "yes_no",
            Self::Date(_) => "date",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Url(_) => "url",
            Self::Contact => "contact",
            Self::File(_) => "file",
            Self::Group(_) => "group",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextRules {
    pub min_words: Option<u32>,
    pub max_words: Option<u32>,
    pub min_chars: Option<u32>,
    pub max_chars: Option<u32>,
    /// The answer may come in several messages, closed by a button.
    pub multi_message: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct NumberRules {
    pub unit: Option<Text>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntegerRules {
    pub unit: Option<Text>,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceOption {
    pub id: String,
    pub label: Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceRules {
    pub options: Vec<ChoiceOption>,
    /// Always 1 for single_choice.
    pub min_selected: u32,
    /// Always 1 for single_choice.
    pub max_selected: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateRules {
    pub not_after_today: bool,
    /// A start date younger than this gets a warning (the answer is kept).
    pub min_age: Option<AgeRule>,
}

/// Which minimum age a date question warns about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeRule {
    /// `warn_if_younger_than_years = 2`
    Years(u32),
    /// `warn_min_age = true`: the campaign's `min_age_years` (per kelompok when it says so).
    Campaign,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UrlRules {
    /// Host suffixes; empty means any host.
    pub allowed_hosts: Vec<String>,
}

/// How a file reaches the bot in Telegram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Document,
    Photo,
    Video,
    Audio,
}

impl FileKind {
    pub const ALL: [FileKind; 4] = [Self::Document, Self::Photo, Self::Video, Self::Audio];

    pub fn name(self) -> &'static str {
        match self {
            Self::Document => "document",
            Self::Photo => "photo",
            Self::Video => "video",
            Self::Audio => "audio",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FileRules {
    pub kinds: Vec<FileKind>,
    /// Allowed MIME types for documents, videos and audio (`type/*` allowed); empty means any.
    pub mime_types: Vec<String>,
    pub max_size_mb: f64,
    /// A file of another type is accepted with a warning (SINOVIK takes PDF only); empty: none.
    pub warn_mime_types: Vec<String>,
    /// A larger file is accepted with a warning (SINOVIK takes 2 MB per box).
    pub warn_max_size_mb: Option<f64>,
    pub min_count: u32,
    pub max_count: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupRules {
    pub min_items: u16,
    pub max_items: u16,
    /// What one item is called ("metrik", "metric").
    pub item_label: Text,
    pub members: Vec<Question>,
}

/// `show_if`: shown only when an earlier top-level single_choice or yes_no question has
/// the given answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub question: String,
    pub test: ConditionTest,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConditionTest {
    /// `equals = "option_id"`
    Equals(String),
    /// `any_of = ["a", "b"]`
    AnyOf(Vec<String>),
    /// `equals = true` / `equals = false` (yes_no questions)
    Is(bool),
}

impl Condition {
    /// Whether the answer to the referenced question satisfies the condition
    /// (no answer never does).
    pub fn holds(&self, answer: Option<&AnswerValue>) -> bool {
        match (&self.test, answer) {
            (ConditionTest::Equals(id), Some(AnswerValue::Choice { option })) => option == id,
            (ConditionTest::AnyOf(ids), Some(AnswerValue::Choice { option })) => {
                ids.contains(option)
            }
            (ConditionTest::Is(want), Some(AnswerValue::YesNo { value })) => value == want,
            _ => false,
        }
    }
}

/// Where a question sits: section index, question index, member index inside a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Loc {
    pub section: usize,
    pub question: usize,
    pub member: Option<usize>,
}

/// A question found by id (see [`Dialog::find_question`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found<'a> {
    pub section: &'a Section,
    pub top: &'a Question,
    pub member: Option<&'a Question>,
}

/// A checked questionnaire.
#[derive(Debug, Clone)]
pub struct Dialog {
    campaign: Campaign,
    sections: Vec<Section>,
    boxes: Vec<NarrativeBox>,
    version: String,
    index: HashMap<String, Loc>,
}

/// One problem in a dialog file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialogError {
    /// 1-based line in the file.
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for DialogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Every problem found in a dialog file, in line order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DialogErrors(pub Vec<DialogError>);

impl std::fmt::Display for DialogErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read dialog file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("dialog file {path} has {} problem(s):\n{errors}", errors.0.len())]
    Invalid { path: PathBuf, errors: DialogErrors },
}

impl Dialog {
    /// Checks a dialog file's text; on failure, every problem is reported.
    pub fn from_toml_str(src: &str) -> Result<Self, DialogErrors> {
        let lines = LineIndex::new(src);
        let doc = parse_document(src).map_err(|e| {
            let line = e.span().map_or(1, |span| lines.line_of(&span));
            DialogErrors(vec![DialogError {
                line,
                message: format!("TOML syntax: {}", e.message().trim()),
            }])
        })?;
        let mut checker = Checker::new(lines);
        let built = checker.document(&doc);
        checker.check_conditions();
        checker.check_group_split();
        let mut errors = checker.errors;
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Err(DialogErrors(errors));
        }
        let (campaign, sections, boxes) = built.ok_or_else(|| {
            DialogErrors(vec![DialogError {
                line: 1,
                message: "the file could not be read".into(),
            }])
        })?;
        let index = build_index(&sections);
        Ok(Self {
            campaign,
            sections,
            boxes,
            version: hex::encode(Sha256::digest(src.as_bytes())),
            index,
        })
    }

    pub fn load(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let src = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::from_toml_str(&src).map_err(|errors| LoadError::Invalid {
            path: path.to_owned(),
            errors,
        })
    }

    /// Hex SHA-256 of the file text: which version of the questionnaire an innovation used.
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn campaign(&self) -> &Campaign {
        &self.campaign
    }

    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// SINOVIK's narrative boxes, in the form's order (empty when the file lists none).
    pub fn boxes(&self) -> &[NarrativeBox] {
        &self.boxes
    }

    /// The box a text question belongs to.
    pub fn box_of(&self, question_id: &str) -> Option<&NarrativeBox> {
        self.boxes
            .iter()
            .find(|b| b.questions.iter().any(|q| q == question_id))
    }

    /// The box whose supporting document a file question takes.
    pub fn box_with_attachment(&self, question_id: &str) -> Option<&NarrativeBox> {
        self.boxes
            .iter()
            .find(|b| b.attachment.as_deref() == Some(question_id))
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// Any question by id, group members included.
    pub fn question(&self, id: &str) -> Option<&Question> {
        let found = self.find_question(id)?;
        Some(found.member.unwrap_or(found.top))
    }

    /// The group a member question belongs to.
    pub fn group_of(&self, member_id: &str) -> Option<&Question> {
        let found = self.find_question(member_id)?;
        found.member.map(|_| found.top)
    }

    /// The section a question (or group member) belongs to.
    pub fn section_of(&self, question_id: &str) -> Option<&Section> {
        self.find_question(question_id).map(|found| found.section)
    }

    pub(crate) fn locate(&self, id: &str) -> Option<Loc> {
        self.index.get(id).copied()
    }

    /// Where a question id sits: its section, its top-level question, and the member itself
    /// for a group member. `None` for unknown ids (the index only holds valid places).
    pub(crate) fn find_question(&self, id: &str) -> Option<Found<'_>> {
        let loc = self.locate(id)?;
        let section = self.sections.get(loc.section)?;
        let top = section.questions.get(loc.question)?;
        let member = match loc.member {
            Some(m) => Some(top.members().get(m)?),
            None => None,
        };
        Some(Found {
            section,
            top,
            member,
        })
    }
}

fn build_index(sections: &[Section]) -> HashMap<String, Loc> {
    let mut index = HashMap::new();
    for (s, section) in sections.iter().enumerate() {
        for (q, question) in section.questions.iter().enumerate() {
            index.insert(
                question.id.clone(),
                Loc {
                    section: s,
                    question: q,
                    member: None,
                },
            );
            for (m, member) in question.members().iter().enumerate() {
                let loc = Loc {
                    section: s,
                    question: q,
                    member: Some(m),
                };
                index.insert(member.id.clone(), loc);
            }
        }
    }
    index
}
