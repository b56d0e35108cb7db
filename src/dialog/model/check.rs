//! The checker: reads the spanned TOML tree of a dialog file and builds the model, collecting
//! every problem with its line instead of stopping at the first.

use super::*;

mod boxes;
mod campaign;

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
            "warn_mime_types",
            "warn_max_size_mb",
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

/// `min_age_years = { umum = 2, … }` as read, resolved once every question is known.
struct PendingMinAge {
    line: usize,
    years: Vec<(String, u32)>,
}

pub(super) struct Checker {
    lines: LineIndex,
    pub(super) errors: Vec<DialogError>,
    questions: HashMap<String, Seen>,
    sections_seen: HashMap<String, usize>,
    top_level_count: usize,
    pending: Vec<PendingCondition>,
    /// Whether [campaign] has a `min_age_years` (for `warn_min_age = true`).
    min_age_set: bool,
    pending_min_age: Option<PendingMinAge>,
    /// The groups named in `max_selected_per_group`, with their lines.
    pending_groups: Vec<(usize, String)>,
}

fn is_valid_id(id: &str) -> bool {
    id.len() <= 40
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Checker {
    pub(super) fn new(lines: LineIndex) -> Self {
        Self {
            lines,
            errors: Vec::new(),
            questions: HashMap::new(),
            sections_seen: HashMap::new(),
            top_level_count: 0,
            pending: Vec::new(),
            min_age_set: false,
            pending_min_age: None,
            pending_groups: Vec::new(),
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

    pub(super) fn document(
        &mut self,
        doc: &Spanned<Node>,
    ) -> Option<(Campaign, Vec<Section>, Vec<NarrativeBox>)> {
        let root = TableRef::of(doc)?;
        self.unknown_keys(&root, &["campaign", "sections", "boxes"], "top level");
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
        // Boxes and the per-option minimum age name questions: read once all are known.
        let boxes = root.get("boxes").map(|n| self.boxes(n)).unwrap_or_default();
        let min_age = self
            .pending_min_age
            .take()
            .map(|pending| self.resolve_min_age(pending));
        let mut campaign = campaign?;
        if let Some(min_age) = min_age {
            campaign.min_age_years = min_age;
        }
        Some((campaign, sections, boxes))
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
                "max_selected_per_group",
                "national_close",
                "default_deadline",
                "units_deadline",
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
        // `default_deadline` is the old name of `national_close`: old files still load.
        let national_close = match (t.get("national_close"), t.get("default_deadline")) {
            (Some(_), Some(old)) => {
                self.err(
                    &old.span(),
                    format!("{what}: `default_deadline` is the old name of `national_close`; keep one of them"),
                );
                None
            }
            (Some(node), None) => self.deadline(node, "national_close", what),
            (None, Some(node)) => self.deadline(node, "default_deadline", what),
            (None, None) => None,
        };
        let units_deadline = t
            .get("units_deadline")
            .and_then(|node| self.deadline(node, "units_deadline", what));
        if let (Some(units), Some(close), Some(node)) =
            (units_deadline, national_close, t.get("units_deadline"))
            && units > close
        {
            self.err(
                &node.span(),
                format!("{what}: `units_deadline` ({units}) must not be after the national close ({close})"),
            );
        }
        let max_selected_per_group =
            self.group_split(&t, max_innovations.unwrap_or(DEFAULT_MAX_INNOVATIONS), what);
        let min_age_years = t.get("min_age_years").and_then(|n| self.min_age(n, what));
        self.min_age_set = t.get("min_age_years").is_some();
        Some(Campaign {
            id: id?,
            name: name?,
            max_innovations: max_innovations?,
            max_selected_per_group,
            national_close,
            units_deadline,
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
                    .map(|v| AgeRule::Years(v as u32));
                let use_campaign = self.boolean(t, "warn_min_age", what).unwrap_or(false);
                let min_age = match (explicit, use_campaign) {
                    (Some(_), true) => {
                        self.err(&t.span, format!("{what}: use either `warn_if_younger_than_years` or `warn_min_age`, not both"));
                        explicit
                    }
                    (None, true) => {
                        if !self.min_age_set {
                            let span = t
                                .get("warn_min_age")
                                .map(|n| n.span())
                                .unwrap_or(t.span.clone());
                            self.err(&span, format!("{what}: `warn_min_age = true` needs `min_age_years` in [campaign]"));
                        }
                        Some(AgeRule::Campaign)
                    }
                    (explicit, false) => explicit,
                };
                QuestionKind::Date(DateRules {
                    not_after_today,
                    min_age,
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
        let mut warn_mime_types = Vec::new();
        for (mime, span) in self
            .string_list(t, "warn_mime_types", what)
            .unwrap_or_default()
        {
            let mime = mime.to_ascii_lowercase();
            if !KNOWN_MIME_TYPES.contains(&mime.as_str())
                && !MIME_WILDCARDS.contains(&mime.as_str())
            {
                self.err(&span, format!("{what}: unknown MIME type `{mime}` in `warn_mime_types` (for example application/pdf)"));
            }
            warn_mime_types.push(mime);
        }
        let warn_max_size_mb = match self.float(t, "warn_max_size_mb", what) {
            Some(v) if v > 0.0 && v < max_size_mb => Some(v),
            Some(v) => {
                let span = t
                    .get("warn_max_size_mb")
                    .map(|n| n.span())
                    .unwrap_or(t.span.clone());
                self.err(
                    &span,
                    format!("{what}: `warn_max_size_mb` ({v}) must be more than 0 and below `max_size_mb` ({max_size_mb}), or no file could be warned about"),
                );
                None
            }
            None => None,
        };
        Some(FileRules {
            kinds,
            mime_types,
            max_size_mb,
            min_count,
            max_count: max_count.unwrap_or(min_count),
            warn_mime_types,
            warn_max_size_mb,
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
    pub(super) fn check_conditions(&mut self) {
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
