//! The checked questionnaire. A [`Dialog`] exists only when its file had no problem at all:
//! [`Dialog::from_toml_str`] reports every problem of a file in one run, each with its line.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::dialog::spec::{LineIndex, Node, TableRef, parse_document};
use crate::domain::{AnswerValue, Lang};

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
    /// How many innovations the whole agency may send (at least 1).
    pub max_innovations: u32,
    /// The bot's local time (naive).
    pub default_deadline: Option<NaiveDateTime>,
    /// Innovations younger than this get a warning on their start date.
    pub min_age_years: Option<u32>,
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
    /// Resolved at load time (`warn_min_age = true` becomes `campaign.min_age_years`).
    pub warn_if_younger_than_years: Option<u32>,
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
        let mut errors = checker.errors;
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Err(DialogErrors(errors));
        }
        let (campaign, sections) = built.ok_or_else(|| {
            DialogErrors(vec![DialogError {
                line: 1,
                message: "the file could not be read".into(),
            }])
        })?;
        let index = build_index(&sections);
        Ok(Self {
            campaign,
            sections,
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

// ---------------------------------------------------------------------------------------------
// The checker: reads the spanned tree, collecting every problem
// ---------------------------------------------------------------------------------------------

const TYPES: [&str; 13] = [
    "text",
    "number",
    "integer",
    "single_choice",
    "multi_choice",
    "yes_no",
    "date",
    "email",
    "phone",
    "url",
    "contact",
    "file",
    "group",
];
const COMMON_KEYS: [&str; 7] = [
    "id", "type", "label", "prompt", "help", "required", "show_if",
];

fn type_keys(type_name: &str) -> &'static [&'static str] {
    match type_name {
        "text" => &[
            "min_words",
            "max_words",
            "min_chars",
            "max_chars",
            "multi_message",
        ],
        "number" | "integer" => &["unit", "min", "max"],
        "single_choice" => &["options"],
        "multi_choice" => &["options", "min_selected", "max_selected"],
        "date" => &[
            "not_after_today",
            "warn_if_younger_than_years",
            "warn_min_age",
        ],
        "url" => &["allowed_hosts"],
        "file" => &[
            "kinds",
            "mime_types",
            "max_size_mb",
            "min_count",
            "max_count",
        ],
        "group" => &["min_items", "max_items", "item_label", "questions"],
        _ => &[],
    }
}

/// MIME types a file question may list (besides `image/*`, `video/*`, `audio/*`, `text/*`).
pub const KNOWN_MIME_TYPES: [&str; 22] = [
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/zip",
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/heic",
    "video/mp4",
    "video/quicktime",
    "video/webm",
    "video/x-matroska",
    "audio/mpeg",
    "text/plain",
    "text/csv",
];

const MIME_WILDCARDS: [&str; 4] = ["image/*", "video/*", "audio/*", "text/*"];

const DEFAULT_MAX_INNOVATIONS: u32 = 15;
const DEFAULT_MAX_SIZE_MB: f64 = 20.0;
const LIMIT_CAP: i64 = 100_000;

/// What the checker remembers of each question for the condition checks.
struct Seen {
    line: usize,
    /// Position in file order among top-level questions; `None` for group members.
    order: Option<usize>,
    type_name: Option<String>,
    options: Vec<String>,
}

struct PendingCondition {
    line: usize,
    owner: String,
    /// Conditions may only refer to questions with a smaller order.
    before: usize,
    question: String,
    test: ConditionTest,
}

struct Checker {
    lines: LineIndex,
    errors: Vec<DialogError>,
    questions: HashMap<String, Seen>,
    sections_seen: HashMap<String, usize>,
    top_level_count: usize,
    pending: Vec<PendingCondition>,
    min_age_years: Option<u32>,
}

fn is_valid_id(id: &str) -> bool {
    id.len() <= 40
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Checker {
    fn new(lines: LineIndex) -> Self {
        Self {
            lines,
            errors: Vec::new(),
            questions: HashMap::new(),
            sections_seen: HashMap::new(),
            top_level_count: 0,
            pending: Vec::new(),
            min_age_years: None,
        }
    }

    fn line(&self, span: &Range<usize>) -> usize {
        self.lines.line_of(span)
    }

    fn err(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let line = self.line(span);
        self.err_line(line, message);
    }

    fn err_line(&mut self, line: usize, message: impl Into<String>) {
        self.errors.push(DialogError {
            line,
            message: message.into(),
        });
    }

    // --- small readers --------------------------------------------------------------------

    fn table<'a>(&mut self, node: &'a Spanned<Node>, what: &str) -> Option<TableRef<'a>> {
        let table = TableRef::of(node);
        if table.is_none() {
            let got = node.get_ref().type_name();
            self.err(&node.span(), format!("{what} must be a table, not {got}"));
        }
        table
    }

    fn unknown_keys(&mut self, t: &TableRef<'_>, allowed: &[&str], what: &str) {
        for (key, value) in t.keys() {
            if !allowed.contains(&key) {
                self.err(&value.span(), format!("{what}: unknown key `{key}`"));
            }
        }
    }

    fn string(
        &mut self,
        t: &TableRef<'_>,
        key: &str,
        what: &str,
        required: bool,
    ) -> Option<String> {
        let Some(node) = t.get(key) else {
            if required {
                self.err(&t.span, format!("{what}: missing `{key}`"));
            }
            return None;
        };
        match node.get_ref() {
            Node::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Node::String(_) => {
                self.err(&node.span(), format!("{what}: `{key}` is empty"));
                None
            }
            other => {
                let got = other.type_name();
                self.err(
                    &node.span(),
                    format!("{what}: `{key}` must be a string, not {got}"),
                );
                None
            }
        }
    }

    fn id(&mut self, t: &TableRef<'_>, what: &str) -> Option<String> {
        let id = self.string(t, "id", what, true)?;
        if !is_valid_id(&id) {
            let span = t.get("id").map(|n| n.span()).unwrap_or(t.span.clone());
            self.err(
                &span,
                format!("{what}: id `{id}` must be lower-case ASCII letters, digits and _, starting with a letter (at most 40 characters)"),
            );
        }
        Some(id)
    }

    fn boolean(&mut self, t: &TableRef<'_>, key: &str, what: &str) -> Option<bool> {
        let node = t.get(key)?;
        match node.get_ref() {
            Node::Boolean(b) => Some(*b),
            other => {
                let got = other.type_name();
                self.err(
                    &node.span(),
                    format!("{what}: `{key}` must be true or false, not {got}"),
                );
                None
            }
        }
    }

    fn integer(
        &mut self,
        t: &TableRef<'_>,
        key: &str,
        what: &str,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        let node = t.get(key)?;
        match node.get_ref() {
            Node::Integer(v) if (min..=max).contains(v) => Some(*v),
            Node::Integer(v) => {
                self.err(
                    &node.span(),
                    format!("{what}: `{key}` = {v} is out of range ({min} to {max})"),
                );
                None
            }
            other => {
                let got = other.type_name();
                self.err(
                    &node.span(),
                    format!("{what}: `{key}` must be a whole number, not {got}"),
                );
                None
            }
        }
    }

    fn count(&mut self, t: &TableRef<'_>, key: &str, what: &str) -> Option<u32> {
        self.integer(t, key, what, 0, LIMIT_CAP).map(|v| v as u32)
    }

    fn float(&mut self, t: &TableRef<'_>, key: &str, what: &str) -> Option<f64> {
        let node = t.get(key)?;
        match node.get_ref() {
            Node::Integer(v) => Some(*v as f64),
            Node::Float(v) if v.is_finite() => Some(*v),
            other => {
                let got = other.type_name();
                self.err(
                    &node.span(),
                    format!("{what}: `{key}` must be a number, not {got}"),
                );
                None
            }
        }
    }

    fn string_list(
        &mut self,
        t: &TableRef<'_>,
        key: &str,
        what: &str,
    ) -> Option<Vec<(String, Range<usize>)>> {
        let node = t.get(key)?;
        let Node::Array(items) = node.get_ref() else {
            let got = node.get_ref().type_name();
            self.err(
                &node.span(),
                format!("{what}: `{key}` must be a list of strings, not {got}"),
            );
            return None;
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref() {
                Node::String(s) => out.push((s.trim().to_owned(), item.span())),
                other => {
                    let got = other.type_name();
                    self.err(
                        &item.span(),
                        format!("{what}: `{key}` must list strings, not {got}"),
                    );
                }
            }
        }
        if out.is_empty() && items.is_empty() {
            self.err(&node.span(), format!("{what}: `{key}` is an empty list"));
        }
        Some(out)
    }

    /// `{ id = "…", en = "…" }`, both non-empty. `plain_ok` also accepts one string for both.
    fn text(
        &mut self,
        t: &TableRef<'_>,
        key: &str,
        what: &str,
        required: bool,
        plain_ok: bool,
    ) -> Option<Text> {
        let Some(node) = t.get(key) else {
            if required {
                self.err(
                    &t.span,
                    format!("{what}: missing `{key}` (a table {{ id = \"…\", en = \"…\" }})"),
                );
            }
            return None;
        };
        match node.get_ref() {
            Node::String(s) if plain_ok && !s.trim().is_empty() => {
                return Some(Text {
                    id: s.trim().to_owned(),
                    en: s.trim().to_owned(),
                });
            }
            Node::Table(_) => {}
            other => {
                let got = other.type_name();
                self.err(
                    &node.span(),
                    format!(
                        "{what}: `{key}` must be a table {{ id = \"…\", en = \"…\" }}, not {got}"
                    ),
                );
                return None;
            }
        }
        let table = TableRef::of(node)?;
        let inner = format!("{what}: `{key}`");
        self.unknown_keys(&table, &["id", "en"], &inner);
        let id = self.lang_text(&table, "id", "Indonesian", &inner);
        let en = self.lang_text(&table, "en", "English", &inner);
        Some(Text { id: id?, en: en? })
    }

    fn lang_text(
        &mut self,
        t: &TableRef<'_>,
        key: &str,
        language: &str,
        what: &str,
    ) -> Option<String> {
        match t.get(key) {
            None => {
                self.err(
                    &t.span,
                    format!("{what}: missing {language} text (`{key} = \"…\"`)"),
                );
                None
            }
            Some(_) => self.string(t, key, what, true),
        }
    }

    fn min_max<T>(
        &mut self,
        t: &TableRef<'_>,
        lo: (&str, Option<T>),
        hi: (&str, Option<T>),
        what: &str,
    ) where
        T: PartialOrd + std::fmt::Display,
    {
        if let (Some(min), Some(max)) = (&lo.1, &hi.1)
            && min > max
        {
            let span = t.get(lo.0).map(|n| n.span()).unwrap_or(t.span.clone());
            self.err(
                &span,
                format!(
                    "{what}: `{}` ({min}) is greater than `{}` ({max})",
                    lo.0, hi.0
                ),
            );
        }
    }

    // --- the document ------------------------------------------------------------------

    fn document(&mut self, doc: &Spanned<Node>) -> Option<(Campaign, Vec<Section>)> {
        let root = TableRef::of(doc)?;
        self.unknown_keys(&root, &["campaign", "sections"], "top level");
        let campaign = match root.get("campaign") {
            Some(node) => self.campaign(node),
            None => {
                self.err_line(1, "missing the [campaign] table");
                None
            }
        };
        let mut sections = Vec::new();
        match root.get("sections").map(|n| (n, n.get_ref())) {
            Some((_, Node::Array(items))) => {
                for (i, item) in items.iter().enumerate() {
                    if let Some(section) = self.section(item, i.saturating_add(1)) {
                        sections.push(section);
                    }
                }
            }
            Some((node, other)) => {
                let got = other.type_name();
                self.err(
                    &node.span(),
                    format!("`sections` must be [[sections]] tables, not {got}"),
                );
            }
            None => self.err_line(1, "the file has no [[sections]]"),
        }
        Some((campaign?, sections))
    }

    fn campaign(&mut self, node: &Spanned<Node>) -> Option<Campaign> {
        let what = "[campaign]";
        let t = self.table(node, what)?;
        self.unknown_keys(
            &t,
            &[
                "id",
                "name",
                "max_innovations",
                "default_deadline",
                "min_age_years",
            ],
            what,
        );
        let id = self.id(&t, what);
        let name = self.text(&t, "name", what, true, false);
        let max_innovations = match t.get("max_innovations") {
            Some(node) => match node.get_ref() {
                Node::Integer(v) if *v >= 1 && *v <= LIMIT_CAP => Some(*v as u32),
                Node::Integer(v) => {
                    self.err(
                        &node.span(),
                        format!("{what}: `max_innovations` must be between 1 and {LIMIT_CAP} (found {v})"),
                    );
                    None
                }
                other => {
                    let got = other.type_name();
                    self.err(
                        &node.span(),
                        format!("{what}: `max_innovations` must be a whole number, not {got}"),
                    );
                    None
                }
            },
            None => Some(DEFAULT_MAX_INNOVATIONS),
        };
        let default_deadline = t.get("default_deadline").and_then(|node| {
            let text = match node.get_ref() {
                Node::String(s) | Node::Datetime(s) => s.clone(),
                other => other.type_name().to_owned(),
            };
            let parsed = parse_deadline(&text);
            if parsed.is_none() {
                self.err(
                    &node.span(),
                    format!("{what}: `default_deadline` \"{text}\" is not a local date-time like \"2025-06-03T23:59:00\""),
                );
            }
            parsed
        });
        let min_age_years = self
            .integer(&t, "min_age_years", what, 0, 50)
            .map(|v| v as u32);
        self.min_age_years = min_age_years;
        Some(Campaign {
            id: id?,
            name: name?,
            max_innovations: max_innovations?,
            default_deadline,
            min_age_years,
        })
    }

    fn section(&mut self, node: &Spanned<Node>, number: usize) -> Option<Section> {
        let t = self.table(node, &format!("section {number}"))?;
        let mut what = format!("section {number}");
        self.unknown_keys(&t, &["id", "title", "intro", "show_if", "questions"], &what);
        let id = self.id(&t, &what);
        if let Some(id) = &id {
            what = format!("section `{id}`");
            let line = self.line(&t.span);
            if let Some(first) = self.sections_seen.insert(id.clone(), line) {
                self.err(
                    &t.span,
                    format!("{what}: duplicate section id (first used on line {first})"),
                );
            }
        }
        let title = self.text(&t, "title", &what, true, false);
        let intro = self.text(&t, "intro", &what, false, false);
        let before = self.top_level_count;
        let show_if = t
            .get("show_if")
            .and_then(|n| self.condition(n, &what, before));
        let mut questions = Vec::new();
        match t.get("questions").map(|n| (n, n.get_ref())) {
            Some((_, Node::Array(items))) if !items.is_empty() => {
                for item in items {
                    if let Some(q) = self.question(item, false) {
                        questions.push(q);
                    }
                }
            }
            Some((node, Node::Array(_))) => {
                self.err(&node.span(), format!("{what} has no questions"))
            }
            Some((node, other)) => {
                let got = other.type_name();
                self.err(
                    &node.span(),
                    format!("{what}: `questions` must be [[sections.questions]] tables, not {got}"),
                );
            }
            None => self.err(&t.span, format!("{what} has no [[sections.questions]]")),
        }
        Some(Section {
            id: id?,
            title: title?,
            intro,
            show_if,
            questions,
        })
    }

    fn question(&mut self, node: &Spanned<Node>, in_group: bool) -> Option<Question> {
        let t = self.table(node, "question")?;
        let id = self.id(&t, "question");
        let what = match &id {
            Some(id) => format!("question `{id}`"),
            None => "question".to_owned(),
        };
        let type_name = self.string(&t, "type", &what, true);
        let known_type = type_name.as_deref().filter(|name| TYPES.contains(name));
        if let (Some(name), None) = (&type_name, known_type) {
            let span = t.get("type").map(|n| n.span()).unwrap_or(t.span.clone());
            self.err(
                &span,
                format!(
                    "{what}: unknown type `{name}` (use one of: {})",
                    TYPES.join(", ")
                ),
            );
        }
        self.question_keys(&t, known_type, &what);

        let order = if in_group {
            None
        } else {
            let order = self.top_level_count;
            self.top_level_count = order.saturating_add(1);
            Some(order)
        };
        let before = order.unwrap_or(self.top_level_count);
        if let Some(id) = &id {
            let line = self.line(&t.span);
            let options = self.option_ids(&t);
            let seen = Seen {
                line,
                order,
                type_name: known_type.map(str::to_owned),
                options,
            };
            if let Some(first) = self.questions.insert(id.clone(), seen) {
                self.err(
                    &t.span,
                    format!(
                        "{what}: duplicate question id (first used on line {})",
                        first.line
                    ),
                );
            }
        }

        let label = self.text(&t, "label", &what, true, false);
        let prompt = self.text(&t, "prompt", &what, true, false);
        let help = self.text(&t, "help", &what, false, false);
        let required = self.boolean(&t, "required", &what).unwrap_or(true);
        let show_if = t
            .get("show_if")
            .and_then(|n| self.condition(n, &what, before));
        let kind = match known_type {
            Some("group") if in_group => {
                let span = t.get("type").map(|n| n.span()).unwrap_or(t.span.clone());
                self.err(
                    &span,
                    format!("{what}: a group cannot be inside another group"),
                );
                None
            }
            Some(name) => self.kind(&t, name, &what, required),
            None => None,
        };
        Some(Question {
            id: id?,
            label: label?,
            prompt: prompt?,
            help,
            required,
            show_if,
            kind: kind?,
        })
    }

    fn question_keys(&mut self, t: &TableRef<'_>, type_name: Option<&str>, what: &str) {
        for (key, value) in t.keys() {
            if COMMON_KEYS.contains(&key) {
                if key == "required" && type_name == Some("group") {
                    self.err(
                        &value.span(),
                        format!("{what}: a group has no `required`; use `min_items`"),
                    );
                }
                continue;
            }
            let Some(type_name) = type_name else { continue };
            if type_keys(type_name).contains(&key) {
                continue;
            }
            let owners: Vec<&str> = TYPES
                .iter()
                .copied()
                .filter(|t| type_keys(t).contains(&key))
                .collect();
            if owners.is_empty() {
                self.err(&value.span(), format!("{what}: unknown key `{key}`"));
            } else {
                self.err(
                    &value.span(),
                    format!(
                        "{what}: `{key}` does not apply to a {type_name} question (only to: {})",
                        owners.join(", ")
                    ),
                );
            }
        }
    }

    fn option_ids(&self, t: &TableRef<'_>) -> Vec<String> {
        let Some(Node::Array(items)) = t.get("options").map(|n| n.get_ref()) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| TableRef::of(item)?.get("id"))
            .filter_map(|n| match n.get_ref() {
                Node::String(s) => Some(s.trim().to_owned()),
                _ => None,
            })
            .collect()
    }

    fn kind(
        &mut self,
        t: &TableRef<'_>,
        type_name: &str,
        what: &str,
        required: bool,
    ) -> Option<QuestionKind> {
        let kind = match type_name {
            "text" => {
                let rules = TextRules {
                    min_words: self.count(t, "min_words", what),
                    max_words: self.count(t, "max_words", what),
                    min_chars: self.count(t, "min_chars", what),
                    max_chars: self.count(t, "max_chars", what),
                    multi_message: self.boolean(t, "multi_message", what).unwrap_or(false),
                };
                self.min_max(
                    t,
                    ("min_words", rules.min_words),
                    ("max_words", rules.max_words),
                    what,
                );
                self.min_max(
                    t,
                    ("min_chars", rules.min_chars),
                    ("max_chars", rules.max_chars),
                    what,
                );
                QuestionKind::Text(rules)
            }
            "number" => {
                let rules = NumberRules {
                    unit: self.text(t, "unit", what, false, true),
                    min: self.float(t, "min", what),
                    max: self.float(t, "max", what),
                };
                self.min_max(t, ("min", rules.min), ("max", rules.max), what);
                QuestionKind::Number(rules)
            }
            "integer" => {
                let rules = IntegerRules {
                    unit: self.text(t, "unit", what, false, true),
                    min: self.integer(t, "min", what, i64::MIN, i64::MAX),
                    max: self.integer(t, "max", what, i64::MIN, i64::MAX),
                };
                self.min_max(t, ("min", rules.min), ("max", rules.max), what);
                QuestionKind::Integer(rules)
            }
            "single_choice" => {
                let options = self.options(t, what)?;
                QuestionKind::SingleChoice(ChoiceRules {
                    options,
                    min_selected: 1,
                    max_selected: 1,
                })
            }
            "multi_choice" => {
                let options = self.options(t, what)?;
                let n = options.len() as u32;
                let min = self.count(t, "min_selected", what);
                let max = self.count(t, "max_selected", what);
                self.min_max(t, ("min_selected", min), ("max_selected", max), what);
                for (key, value) in [("min_selected", min), ("max_selected", max)] {
                    if let Some(v) = value
                        && v > n
                    {
                        let span = t.get(key).map(|n| n.span()).unwrap_or(t.span.clone());
                        self.err(
                            &span,
                            format!("{what}: `{key}` ({v}) is more than the {n} options"),
                        );
                    }
                }
                if max == Some(0) {
                    let span = t
                        .get("max_selected")
                        .map(|n| n.span())
                        .unwrap_or(t.span.clone());
                    self.err(&span, format!("{what}: `max_selected` must be at least 1"));
                }
                QuestionKind::MultiChoice(ChoiceRules {
                    options,
                    min_selected: min.unwrap_or(u32::from(required)),
                    max_selected: max.unwrap_or(n),
                })
            }
            "yes_no" => QuestionKind::YesNo,
            "date" => {
                let not_after_today = self.boolean(t, "not_after_today", what).unwrap_or(false);
                let explicit = self
                    .integer(t, "warn_if_younger_than_years", what, 1, 50)
                    .map(|v| v as u32);
                let use_campaign = self.boolean(t, "warn_min_age", what).unwrap_or(false);
                let years = match (explicit, use_campaign) {
                    (Some(_), true) => {
                        self.err(&t.span, format!("{what}: use either `warn_if_younger_than_years` or `warn_min_age`, not both"));
                        explicit
                    }
                    (None, true) => {
                        if self.min_age_years.is_none() {
                            let span = t
                                .get("warn_min_age")
                                .map(|n| n.span())
                                .unwrap_or(t.span.clone());
                            self.err(&span, format!("{what}: `warn_min_age = true` needs `min_age_years` in [campaign]"));
                        }
                        self.min_age_years.filter(|y| *y > 0)
                    }
                    (explicit, false) => explicit,
                };
                QuestionKind::Date(DateRules {
                    not_after_today,
                    warn_if_younger_than_years: years,
                })
            }
            "email" => QuestionKind::Email,
            "phone" => QuestionKind::Phone,
            "contact" => QuestionKind::Contact,
            "url" => {
                let hosts = self
                    .string_list(t, "allowed_hosts", what)
                    .unwrap_or_default();
                let mut allowed_hosts = Vec::new();
                for (host, span) in hosts {
                    let host = host.to_ascii_lowercase();
                    let ok = host.contains('.')
                        && host.split('.').all(|l| {
                            !l.is_empty()
                                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        });
                    if !ok {
                        self.err(&span, format!("{what}: `{host}` in `allowed_hosts` is not a host name like \"youtube.com\""));
                    }
                    allowed_hosts.push(host);
                }
                QuestionKind::Url(UrlRules { allowed_hosts })
            }
            "file" => QuestionKind::File(self.file_rules(t, what)?),
            "group" => QuestionKind::Group(self.group_rules(t, what)?),
            _ => return None,
        };
        Some(kind)
    }

    fn options(&mut self, t: &TableRef<'_>, what: &str) -> Option<Vec<ChoiceOption>> {
        let Some(node) = t.get("options") else {
            self.err(&t.span, format!("{what}: missing `options` (a list of {{ id = \"…\", label = {{ id = \"…\", en = \"…\" }} }})"));
            return None;
        };
        let Node::Array(items) = node.get_ref() else {
            let got = node.get_ref().type_name();
            self.err(
                &node.span(),
                format!("{what}: `options` must be a list, not {got}"),
            );
            return None;
        };
        if items.is_empty() {
            self.err(&node.span(), format!("{what}: `options` is empty"));
            return None;
        }
        let mut options: Vec<ChoiceOption> = Vec::new();
        let mut ok = true;
        for item in items {
            let Some(ot) = self.table(item, &format!("{what}: an option")) else {
                ok = false;
                continue;
            };
            let inner = format!("{what}: option");
            self.unknown_keys(&ot, &["id", "label"], &inner);
            let id = self.id(&ot, &inner);
            let label = self.text(&ot, "label", &inner, true, false);
            if let Some(id) = &id
                && options.iter().any(|o| &o.id == id)
            {
                self.err(&ot.span, format!("{what}: duplicate option id `{id}`"));
            }
            match (id, label) {
                (Some(id), Some(label)) => options.push(ChoiceOption { id, label }),
                _ => ok = false,
            }
        }
        ok.then_some(options)
    }

    fn file_rules(&mut self, t: &TableRef<'_>, what: &str) -> Option<FileRules> {
        let mut kinds = Vec::new();
        for (name, span) in self.string_list(t, "kinds", what).unwrap_or_default() {
            match FileKind::parse(&name) {
                Some(kind) if !kinds.contains(&kind) => kinds.push(kind),
                Some(_) => {}
                None => self.err(
                    &span,
                    format!(
                        "{what}: unknown file kind `{name}` (use document, photo, video or audio)"
                    ),
                ),
            }
        }
        if t.get("kinds").is_none() {
            kinds.push(FileKind::Document);
        }
        let mut mime_types = Vec::new();
        for (mime, span) in self.string_list(t, "mime_types", what).unwrap_or_default() {
            let mime = mime.to_ascii_lowercase();
            if !KNOWN_MIME_TYPES.contains(&mime.as_str())
                && !MIME_WILDCARDS.contains(&mime.as_str())
            {
                self.err(&span, format!("{what}: unknown MIME type `{mime}` (for example application/pdf, image/jpeg, video/mp4, image/*)"));
            }
            mime_types.push(mime);
        }
        let max_size_mb = match self.float(t, "max_size_mb", what) {
            Some(v) if v > 0.0 && v <= 2000.0 => v,
            Some(v) => {
                let span = t
                    .get("max_size_mb")
                    .map(|n| n.span())
                    .unwrap_or(t.span.clone());
                self.err(
                    &span,
                    format!("{what}: `max_size_mb` ({v}) must be more than 0 and at most 2000"),
                );
                DEFAULT_MAX_SIZE_MB
            }
            None => DEFAULT_MAX_SIZE_MB,
        };
        let min_count = self.integer(t, "min_count", what, 1, 100).map(|v| v as u32);
        let max_count = self.integer(t, "max_count", what, 1, 100).map(|v| v as u32);
        self.min_max(t, ("min_count", min_count), ("max_count", max_count), what);
        let min_count = min_count.unwrap_or(1);
        Some(FileRules {
            kinds,
            mime_types,
            max_size_mb,
            min_count,
            max_count: max_count.unwrap_or(min_count),
        })
    }

    fn group_rules(&mut self, t: &TableRef<'_>, what: &str) -> Option<GroupRules> {
        let min_items = self.integer(t, "min_items", what, 0, 100).map(|v| v as u16);
        let max_items = self.integer(t, "max_items", what, 1, 100).map(|v| v as u16);
        self.min_max(t, ("min_items", min_items), ("max_items", max_items), what);
        let item_label = self.text(t, "item_label", what, true, false);
        let mut members = Vec::new();
        match t.get("questions").map(|n| (n, n.get_ref())) {
            Some((_, Node::Array(items))) if !items.is_empty() => {
                for item in items {
                    let top_level = self.top_level_count;
                    if let Some(member) = self.question(item, true) {
                        members.push(member);
                    }
                    debug_assert_eq!(top_level, self.top_level_count);
                }
            }
            Some((node, _)) => self.err(
                &node.span(),
                format!("{what}: a group needs at least one member question"),
            ),
            None => self.err(
                &t.span,
                format!(
                    "{what}: a group needs member questions ([[sections.questions.questions]])"
                ),
            ),
        }
        Some(GroupRules {
            min_items: min_items.unwrap_or(0),
            max_items: max_items.unwrap_or(10).max(min_items.unwrap_or(0)),
            item_label: item_label?,
            members,
        })
    }

    fn condition(&mut self, node: &Spanned<Node>, what: &str, before: usize) -> Option<Condition> {
        let what = format!("{what}: show_if");
        let t = self.table(node, &what)?;
        self.unknown_keys(&t, &["question", "equals", "any_of"], &what);
        let question = self.string(&t, "question", &what, true);
        let test = match (t.get("equals"), t.get("any_of")) {
            (Some(_), Some(_)) | (None, None) => {
                self.err(
                    &t.span,
                    format!("{what}: give exactly one of `equals` or `any_of`"),
                );
                None
            }
            (Some(value), None) => match value.get_ref() {
                Node::String(s) => Some(ConditionTest::Equals(s.trim().to_owned())),
                Node::Boolean(b) => Some(ConditionTest::Is(*b)),
                other => {
                    let got = other.type_name();
                    self.err(
                        &value.span(),
                        format!("{what}: `equals` must be an option id or true/false, not {got}"),
                    );
                    None
                }
            },
            (None, Some(_)) => {
                let ids = self.string_list(&t, "any_of", &what)?;
                Some(ConditionTest::AnyOf(
                    ids.into_iter().map(|(s, _)| s).collect(),
                ))
            }
        };
        let line = self.line(&t.span);
        let condition = Condition {
            question: question?,
            test: test?,
        };
        self.pending.push(PendingCondition {
            line,
            owner: what,
            before,
            question: condition.question.clone(),
            test: condition.test.clone(),
        });
        Some(condition)
    }

    /// Conditions are checked once every question is known, so that a reference to a later
    /// question is reported as "later" rather than "unknown".
    fn check_conditions(&mut self) {
        for p in std::mem::take(&mut self.pending) {
            let Some(seen) = self.questions.get(&p.question) else {
                self.err_line(
                    p.line,
                    format!("{}: refers to unknown question `{}`", p.owner, p.question),
                );
                continue;
            };
            let Some(order) = seen.order else {
                self.err_line(p.line, format!("{}: `{}` is inside a group; conditions may only refer to questions outside groups", p.owner, p.question));
                continue;
            };
            if order >= p.before {
                self.err_line(p.line, format!("{}: `{}` comes later (line {}); conditions may only refer to an earlier question", p.owner, p.question, seen.line));
                continue;
            }
            let message = match (seen.type_name.as_deref(), &p.test) {
                (None, _) => None,
                (Some("single_choice"), ConditionTest::Equals(id)) => (!seen.options.contains(id))
                    .then(|| format!("`{}` has no option `{id}`", p.question)),
                (Some("single_choice"), ConditionTest::AnyOf(ids)) => ids
                    .iter()
                    .find(|id| !seen.options.contains(id))
                    .map(|id| format!("`{}` has no option `{id}`", p.question)),
                (Some("single_choice"), ConditionTest::Is(_)) => Some(format!(
                    "`{}` is a single_choice question: compare it with an option id",
                    p.question
                )),
                (Some("yes_no"), ConditionTest::Is(_)) => None,
                (Some("yes_no"), _) => Some(format!(
                    "`{}` is a yes_no question: use `equals = true` or `equals = false`",
                    p.question
                )),
                (Some(other), _) => Some(format!(
                    "`{}` is a {other} question; conditions may only refer to single_choice or yes_no questions",
                    p.question
                )),
            };
            if let Some(message) = message {
                self.err_line(p.line, format!("{}: {message}", p.owner));
            }
        }
    }
}

/// `2025-06-03T23:59:00`, `2025-06-03 23:59`, or a date alone (the end of that day, 23:59).
fn parse_deadline(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
            return Some(dt);
        }
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(date.and_time(NaiveTime::from_hms_opt(23, 59, 0)?))
}
