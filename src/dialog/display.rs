//! How a stored answer reads to a person: it needs the question (option labels, the unit after a
//! number), so it lives with the questionnaire, not with the answer type in `domain`.

use crate::{
    dialog::{Question, QuestionKind},
    domain::{
        AnswerValue, Lang,
        answer::{format_date, format_number},
    },
};

impl AnswerValue {
    /// A human rendering for summaries and confirmations: option labels rather than ids,
    /// numbers and dates in the language's notation, the question's unit after a number.
    pub fn display(&self, lang: Lang, question: &Question) -> String {
        match self {
            Self::Text { text } => text.clone(),
            Self::Number { value } => with_unit(format_number(*value, lang), question, lang),
            Self::Integer { value } => {
                with_unit(format_number(*value as f64, lang), question, lang)
            }
            Self::Choice { option } => question.option_label(option, lang).to_owned(),
            Self::Choices { options } => options
                .iter()
                .map(|o| question.option_label(o, lang))
                .collect::<Vec<_>>()
                .join(", "),
            Self::YesNo { value } => match (value, lang) {
                (true, Lang::Id) => "Ya",
                (false, Lang::Id) => "Tidak",
                (true, Lang::En) => "Yes",
                (false, Lang::En) => "No",
            }
            .to_owned(),
            Self::Date { date } => format_date(*date, lang),
            Self::Email { email } => email.clone(),
            Self::Phone { phone } => phone.clone(),
            Self::Url { url } => url.clone(),
            Self::Contact {
                name,
                phone: Some(phone),
            } => format!("{name} ({phone})"),
            Self::Contact { name, phone: None } => name.clone(),
        }
    }
}

fn with_unit(number: String, question: &Question, lang: Lang) -> String {
    let unit = match &question.kind {
        QuestionKind::Number(rules) => rules.unit.as_ref(),
        QuestionKind::Integer(rules) => rules.unit.as_ref(),
        _ => None,
    };
    match unit {
        Some(unit) if unit.get(lang) == "%" => format!("{number}%"),
        Some(unit) => format!("{number} {}", unit.get(lang)),
        None => number,
    }
}
