//! The checker's part for SINOVIK's boxes (`[[boxes]]`) and the per-option minimum age: both
//! name questions, so they are resolved once every question of the file is known.

use super::*;

impl Checker {
    /// `min_age_years = 2`, or `{ umum = 2, replikasi = 1 }` (resolved once every question
    /// is known, see [`Self::resolve_min_age`]).
    pub(super) fn min_age(&mut self, node: &Spanned<Node>, what: &str) -> Option<MinAge> {
        let what = format!("{what}: `min_age_years`");
        match node.get_ref() {
            Node::Integer(v) if (0..=50).contains(v) => Some(MinAge::Years(*v as u32)),
            Node::Integer(v) => {
                self.err(
                    &node.span(),
                    format!("{what} = {v} is out of range (0 to 50)"),
                );
                None
            }
            Node::Table(entries) => {
                let mut years = Vec::new();
                for (option, value) in entries {
                    match value.get_ref() {
                        Node::Integer(v) if (0..=50).contains(v) => {
                            years.push((option.clone(), *v as u32));
                        }
                        other => {
                            let got = match other {
                                Node::Integer(v) => v.to_string(),
                                other => other.type_name().to_owned(),
                            };
                            self.err(
                                &value.span(),
                                format!("{what}: `{option}` must be a whole number of years from 0 to 50, not {got}"),
                            );
                        }
                    }
                }
                if entries.is_empty() {
                    self.err(
                        &node.span(),
                        format!("{what} is an empty table; give the years per option, e.g. {{ umum = 2, replikasi = 1 }}"),
                    );
                }
                let line = self.line(&node.span());
                self.pending_min_age = Some(PendingMinAge { line, years });
                None
            }
            other => {
                let got = other.type_name();
                self.err(
                    &node.span(),
                    format!("{what} must be a whole number of years, or years per option like {{ umum = 2, replikasi = 1 }}, not {got}"),
                );
                None
            }
        }
    }

    /// The per-option minimum belongs to the first single_choice question outside groups that
    /// has every option named.
    pub(super) fn resolve_min_age(&mut self, pending: PendingMinAge) -> Option<MinAge> {
        let PendingMinAge { line, years } = pending;
        if years.is_empty() {
            return None;
        }
        let mut candidates: Vec<(usize, String)> = self
            .questions
            .iter()
            .filter_map(|(id, seen)| {
                let order = seen.order?;
                let fits = seen.type_name.as_deref() == Some("single_choice")
                    && years
                        .iter()
                        .all(|(option, _)| seen.options.contains(option));
                fits.then(|| (order, id.clone()))
            })
            .collect();
        candidates.sort();
        match candidates.into_iter().next() {
            Some((_, question)) => Some(MinAge::PerOption { question, years }),
            None => {
                let options: Vec<String> = years.iter().map(|(o, _)| format!("`{o}`")).collect();
                self.err_line(
                    line,
                    format!(
                        "[campaign]: `min_age_years`: no single_choice question outside groups has the options {}",
                        options.join(", ")
                    ),
                );
                None
            }
        }
    }

    pub(super) fn boxes(&mut self, node: &Spanned<Node>) -> Vec<NarrativeBox> {
        let Node::Array(items) = node.get_ref() else {
            let got = node.get_ref().type_name();
            self.err(
                &node.span(),
                format!("`boxes` must be [[boxes]] tables, not {got}"),
            );
            return Vec::new();
        };
        let mut boxes = Vec::new();
        // Question id -> the box that holds it (as a question or as its attachment).
        let mut used: HashMap<String, String> = HashMap::new();
        let mut ids: HashMap<String, usize> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(b) = self.narrative_box(item, i.saturating_add(1), &mut used, &mut ids) {
                boxes.push(b);
            }
        }
        boxes
    }

    fn narrative_box(
        &mut self,
        node: &Spanned<Node>,
        number: usize,
        used: &mut HashMap<String, String>,
        ids: &mut HashMap<String, usize>,
    ) -> Option<NarrativeBox> {
        let mut what = format!("box {number}");
        let t = self.table(node, &what)?;
        let id = self.id(&t, &what);
        if let Some(id) = &id {
            what = format!("box `{id}`");
            let line = self.line(&t.span);
            if let Some(first) = ids.insert(id.clone(), line) {
                self.err(
                    &t.span,
                    format!("{what}: duplicate box id (first used on line {first})"),
                );
            }
        }
        self.unknown_keys(
            &t,
            &[
                "id",
                "title",
                "questions",
                "max_words",
                "min_words",
                "attachment",
            ],
            &what,
        );
        let owner = id.clone().unwrap_or_else(|| number.to_string());
        let title = self.text(&t, "title", &what, true, false);
        let max_words = self.count(&t, "max_words", &what);
        let min_words = self.count(&t, "min_words", &what);
        self.min_max(
            &t,
            ("min_words", min_words),
            ("max_words", max_words),
            &what,
        );
        if t.get("questions").is_none() {
            self.err(
                &t.span,
                format!("{what}: missing `questions` (its text questions, e.g. [\"ringkasan\"])"),
            );
        }
        let mut questions: Vec<String> = Vec::new();
        for (question, span) in self.string_list(&t, "questions", &what).unwrap_or_default() {
            if questions.contains(&question) {
                self.err(&span, format!("{what}: `{question}` is listed twice"));
                continue;
            }
            if let Some(problem) = self.box_member_problem(&question, "text") {
                self.err(&span, format!("{what}: {problem}"));
            } else if let Some(other) = used.insert(question.clone(), owner.clone()) {
                self.err(
                    &span,
                    format!("{what}: `{question}` is already in box `{other}`"),
                );
            }
            questions.push(question);
        }
        let attachment = self.string(&t, "attachment", &what, false);
        if let Some(file) = &attachment {
            let span = t
                .get("attachment")
                .map(|n| n.span())
                .unwrap_or(t.span.clone());
            if let Some(problem) = self.box_member_problem(file, "file") {
                self.err(&span, format!("{what}: `attachment`: {problem}"));
            } else if let Some(other) = used.insert(file.clone(), owner.clone()) {
                self.err(
                    &span,
                    format!("{what}: `attachment`: `{file}` is already used by box `{other}`"),
                );
            }
        }
        Some(NarrativeBox {
            id: id?,
            title: title?,
            questions,
            max_words,
            min_words,
            attachment,
        })
    }

    /// Why a question cannot be in a box as a `wanted` question (text, or file for the
    /// attachment); `None` when it can.
    fn box_member_problem(&self, question: &str, wanted: &str) -> Option<String> {
        let Some(seen) = self.questions.get(question) else {
            return Some(format!("unknown question `{question}`"));
        };
        if seen.order.is_none() {
            return Some(format!(
                "`{question}` is inside a group; a box takes questions outside groups"
            ));
        }
        match seen.type_name.as_deref() {
            Some(found) if found != wanted => Some(format!(
                "`{question}` is a {found} question, not a {wanted} question"
            )),
            _ => None,
        }
    }
}
