//! The checks of `[campaign]` that are new with the two deadlines and the split of the cap
//! (issue 11): its dates, `max_selected_per_group`, and (once every question is known) that the
//! groups are options of the group question.

use super::*;

impl Checker {
    /// A local date-time of [campaign] (`key` names it in the message).
    pub(super) fn deadline(
        &mut self,
        node: &Spanned<Node>,
        key: &str,
        what: &str,
    ) -> Option<NaiveDateTime> {
        let text = match node.get_ref() {
            Node::String(s) | Node::Datetime(s) => s.clone(),
            other => other.type_name().to_owned(),
        };
        let parsed = parse_deadline(&text);
        if parsed.is_none() {
            self.err(
                &node.span(),
                format!("{what}: `{key}` \"{text}\" is not a local date-time like \"2025-06-03T23:59:00\""),
            );
        }
        parsed
    }

    /// `max_selected_per_group = { umum = 10, replikasi = 5 }`: each share at least 1, together
    /// at most the cap. Whether the keys are options of the group question is checked once
    /// every question is known ([`Checker::check_group_split`]).
    pub(super) fn group_split(
        &mut self,
        t: &TableRef<'_>,
        cap: u32,
        what: &str,
    ) -> Vec<(String, u32)> {
        let key = "max_selected_per_group";
        let Some(node) = t.get(key) else {
            return Vec::new();
        };
        let Some(split) = TableRef::of(node) else {
            let got = node.get_ref().type_name();
            self.err(
                &node.span(),
                format!(
                    "{what}: `{key}` must be a table like {{ umum = 10, replikasi = 5 }}, not {got}"
                ),
            );
            return Vec::new();
        };
        let mut shares = Vec::new();
        let mut total: u32 = 0;
        for (group, share) in split.keys() {
            match share.get_ref() {
                Node::Integer(v) if *v >= 1 && *v <= i64::from(cap) => {
                    let v = u32::try_from(*v).unwrap_or(cap);
                    total = total.saturating_add(v);
                    self.pending_groups
                        .push((self.line(&share.span()), group.to_owned()));
                    shares.push((group.to_owned(), v));
                }
                other => {
                    let got = match other {
                        Node::Integer(v) => v.to_string(),
                        other => other.type_name().to_owned(),
                    };
                    self.err(
                        &share.span(),
                        format!("{what}: `{key}.{group}` must be a whole number from 1 to the cap {cap}, not {got}"),
                    );
                }
            }
        }
        if total > cap {
            self.err(
                &node.span(),
                format!("{what}: the shares in `{key}` add up to {total}, more than `max_innovations` = {cap}"),
            );
        }
        shares
    }

    /// The groups of `max_selected_per_group` must be options of the group question.
    pub(in crate::dialog::model) fn check_group_split(&mut self) {
        let groups = std::mem::take(&mut self.pending_groups);
        if groups.is_empty() {
            return;
        }
        let options = match self.questions.get(GROUP_QUESTION) {
            Some(seen) if seen.type_name.as_deref() == Some("single_choice") => {
                seen.options.clone()
            }
            _ => {
                if let Some((line, _)) = groups.first() {
                    self.err_line(*line, format!("[campaign]: `max_selected_per_group` needs a single_choice question `{GROUP_QUESTION}` whose options are the groups"));
                }
                return;
            }
        };
        for (line, group) in groups {
            if !options.contains(&group) {
                self.err_line(line, format!("[campaign]: `max_selected_per_group` names `{group}`, which is not an option of `{GROUP_QUESTION}` ({})", options.join(", ")));
            }
        }
    }
}
