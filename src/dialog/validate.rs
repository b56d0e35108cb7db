//! Turning what a person sent into an [`AnswerValue`] for a question, or a [`Rejection`] that
//! says, in one friendly sentence, what is expected. Pure: `today` is passed in.

use chrono::{Datelike, Months, NaiveDate};

use crate::dialog::engine::{AnswerKey, Progress};
use crate::dialog::model::{
    AgeRule, ChoiceRules, DateRules, Dialog, FileKind, FileRules, IntegerRules, MinAge,
    NumberRules, Question, QuestionKind, Text, TextRules,
};
use crate::domain::answer::{format_date, format_number};
use crate::domain::{
    AnswerValue, DateError, Email, EmailError, HttpUrl, Lang, Number, NumberError, PhoneError,
    PhoneNumber, UrlError, parse_date,
};

/// What arrived from the person.
#[derive(Debug, Clone, PartialEq)]
pub enum Input<'a> {
    /// A typed message. For a multi-message text question: all parts joined with "\n\n".
    Text(&'a str),
    /// An inline button: the option id (or "yes"/"no").
    Choice(&'a str),
    /// The option ids ticked on a multi-choice keyboard.
    Choices(Vec<String>),
    YesNo(bool),
    /// A shared Telegram contact.
    Contact {
        phone: &'a str,
        first_name: &'a str,
        last_name: Option<&'a str>,
    },
    File(FileMeta),
    /// Anything else Telegram can carry: "sticker", "voice", "location", "video_note",
    /// "animation", "poll", "dice", "venue", "game"…
    Other(&'static str),
}

/// What Telegram tells about a file before it is downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileMeta {
    pub kind: FileKind,
    pub mime: Option<String>,
    /// Bytes.
    pub size: Option<u64>,
    pub name: Option<String>,
}

/// An accepted answer. `value` is `None` for files: the caller stores the file itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    pub value: Option<AnswerValue>,
    pub warnings: Vec<Warning>,
}

/// What a question asks for, to name it in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Text,
    Number,
    Integer,
    Choice,
    Choices,
    YesNo,
    Date,
    Email,
    Phone,
    Url,
    Contact,
    File,
}

/// What arrived instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    Text,
    Button,
    Contact,
    File(FileKind),
    Other(&'static str),
}

/// Why an input was not accepted. `message` gives the sentence to show.
#[derive(Debug, Clone, PartialEq)]
pub enum Rejection {
    Empty {
        expected: Expected,
    },
    WrongInput {
        expected: Expected,
        received: Received,
    },
    TooFewWords {
        count: usize,
        min: u32,
    },
    TooManyWords {
        count: usize,
        max: u32,
    },
    /// Over a box's limit, counted with the box's other answers (`others` words).
    BoxTooManyWords {
        title: Text,
        count: usize,
        max: u32,
        others: usize,
    },
    /// Below a box's minimum, on the answer that completes the box (`parts` questions).
    BoxTooFewWords {
        title: Text,
        count: usize,
        min: u32,
        parts: usize,
    },
    TooFewChars {
        count: usize,
        min: u32,
    },
    TooManyChars {
        count: usize,
        max: u32,
    },
    Number(NumberError),
    Integer(NumberError),
    BelowMin {
        min: f64,
        unit: Option<Text>,
    },
    AboveMax {
        max: f64,
        unit: Option<Text>,
    },
    UnknownOption {
        count: usize,
    },
    TooFewSelected {
        count: usize,
        min: u32,
    },
    TooManySelected {
        count: usize,
        max: u32,
    },
    NotYesNo,
    Date(DateError),
    DateInFuture {
        today: NaiveDate,
    },
    Email(EmailError),
    Phone(PhoneError),
    Url {
        error: UrlError,
        allowed_hosts: Vec<String>,
    },
    ContactIncomplete,
    FileKindNotAllowed {
        kind: FileKind,
        allowed: Vec<FileKind>,
    },
    FileTypeNotAllowed {
        mime: String,
        allowed: Vec<String>,
    },
    FileTooLarge {
        size: u64,
        max_mb: f64,
    },
    TooManyFiles {
        max: u32,
    },
    /// A group is not answered itself: its members are.
    NotAnswerable,
}

/// Accepted, but worth telling the person.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// The start date is younger than the minimum age: `months_running` whole months on
    /// `counted_to` (the national close; `None`: today), `group` naming the kelompok whose
    /// minimum it is.
    YoungerThanMinimum {
        years: u32,
        months_running: u32,
        counted_to: Option<NaiveDate>,
        group: Option<Text>,
    },
    /// A file of a type the form does not take (SINOVIK: PDF only); `wanted` are MIME types.
    FileTypeForForm { wanted: Vec<String> },
    /// A file larger than the form takes (SINOVIK: 2 MB per box).
    FileSizeForForm { size: u64, max_mb: f64 },
    /// A single `.` or `,` followed by three digits was read as a thousands separator.
    NumberReadAsThousands { value: f64 },
}

const BYTES_PER_MB: f64 = 1_048_576.0;

mod messages;
pub use messages::file_type_name;

impl Dialog {
    /// Checks an input against a question, given the innovation's other answers in `progress`
    /// (a box's limit counts the box's other answers; the minimum age depends on the
    /// kelompok). Files are checked (kind, type, size) but not stored; use
    /// [`Dialog::check_file_slot`] for the count.
    pub fn validate(
        &self,
        question: &Question,
        input: &Input<'_>,
        progress: &Progress,
        today: NaiveDate,
    ) -> Result<Accepted, Rejection> {
        let value = match &question.kind {
            QuestionKind::Text(rules) => {
                let value = text_answer(rules, input)?;
                self.check_box(question, &value, progress)?;
                value
            }
            QuestionKind::Number(rules) => return number_answer(rules, input),
            QuestionKind::Integer(rules) => integer_answer(rules, input)?,
            QuestionKind::SingleChoice(rules) => single_choice_answer(rules, input)?,
            QuestionKind::MultiChoice(rules) => multi_choice_answer(rules, input)?,
            QuestionKind::YesNo => yes_no_answer(input)?,
            QuestionKind::Date(rules) => {
                let minimum = self.minimum_age(rules, progress, today);
                return date_answer(rules, input, today, minimum);
            }
            QuestionKind::Email => email_answer(input)?,
            QuestionKind::Phone => phone_answer(input)?,
            QuestionKind::Url(rules) => url_answer(&rules.allowed_hosts, input)?,
            QuestionKind::Contact => contact_answer(input)?,
            QuestionKind::File(rules) => {
                return Ok(Accepted {
                    value: None,
                    warnings: check_file(rules, input)?,
                });
            }
            QuestionKind::Group(_) => return Err(Rejection::NotAnswerable),
        };
        Ok(Accepted {
            value: Some(value),
            warnings: Vec::new(),
        })
    }

    /// The most words the answer to `question` may have now: its own `max_words`, or what its
    /// box leaves after the box's other answers, whichever is less.
    pub fn word_limit(&self, question: &Question, progress: &Progress) -> Option<u32> {
        let own = match &question.kind {
            QuestionKind::Text(rules) => rules.max_words,
            _ => return None,
        };
        let room = self.box_of(&question.id).and_then(|b| {
            let others = self.box_words_except(b, &question.id, progress).words;
            let others = u32::try_from(others).unwrap_or(u32::MAX);
            b.max_words.map(|max| max.saturating_sub(others))
        });
        match (own, room) {
            (Some(own), Some(room)) => Some(own.min(room)),
            (own, room) => own.or(room),
        }
    }

    /// A text answer inside a box: the box's limit counts its other visible answers, and its
    /// minimum is checked on the answer that completes the box.
    fn check_box(
        &self,
        question: &Question,
        value: &AnswerValue,
        progress: &Progress,
    ) -> Result<(), Rejection> {
        let (Some(b), AnswerValue::Text { text }) = (self.box_of(&question.id), value) else {
            return Ok(());
        };
        let others = self.box_words_except(b, &question.id, progress);
        let count = others.words.saturating_add(text.split_whitespace().count());
        if let Some(max) = b.max_words
            && count > max as usize
        {
            return Err(Rejection::BoxTooManyWords {
                title: b.title.clone(),
                count,
                max,
                others: others.words,
            });
        }
        if let Some(min) = b.min_words
            && others.unanswered == 0
            && count < min as usize
        {
            return Err(Rejection::BoxTooFewWords {
                title: b.title.clone(),
                count,
                min,
                parts: others.answered.saturating_add(1),
            });
        }
        Ok(())
    }

    /// The minimum age a date answer is held to, and the date it is counted to.
    fn minimum_age(
        &self,
        rules: &DateRules,
        progress: &Progress,
        today: NaiveDate,
    ) -> Option<Minimum> {
        let counted_to = self.campaign().national_close.map(|close| close.date());
        let (years, group) = match rules.min_age? {
            AgeRule::Years(years) => (years, None),
            AgeRule::Campaign => {
                let min_age = self.campaign().min_age_years.as_ref()?;
                // The question whose answer picks the minimum (the kelompok), if any.
                let chooser = match min_age {
                    MinAge::PerOption { question, .. } => Some(question.as_str()),
                    MinAge::Years(_) => None,
                };
                let chosen = chooser.and_then(|id| {
                    if !self.is_visible(id, progress) {
                        return None;
                    }
                    match progress.answer(&AnswerKey::new(id))? {
                        AnswerValue::Choice { option } => Some(option.as_str()),
                        _ => None,
                    }
                });
                let (years, option) = min_age.for_choice(chosen);
                let group = chooser
                    .zip(option)
                    .and_then(|(id, option)| {
                        self.question(id)?.options().iter().find(|o| o.id == option)
                    })
                    .map(|o| o.label.clone());
                (years, group)
            }
        };
        (years > 0).then(|| Minimum {
            years,
            group,
            counted_to: counted_to.unwrap_or(today),
            at_close: counted_to.is_some(),
        })
    }

    /// Whether the innovation is younger than its minimum age, with the kelompok it has now: the
    /// warning of the first visible, answered date question with a minimum age (`None`: old
    /// enough, or no start date yet). For the exports' "ready for SINOVIK".
    pub fn age_shortfall(&self, progress: &Progress, today: NaiveDate) -> Option<Warning> {
        self.sections()
            .iter()
            .flat_map(|section| &section.questions)
            .filter(|question| self.is_visible(&question.id, progress))
            .find_map(|question| {
                let QuestionKind::Date(rules) = &question.kind else {
                    return None;
                };
                let Some(AnswerValue::Date { date }) =
                    progress.answer(&AnswerKey::new(question.id.as_str()))
                else {
                    return None;
                };
                self.minimum_age(rules, progress, today)?.shortfall(*date)
            })
    }

    /// Whether one more file may be added to a file question that already has `have` files.
    pub fn check_file_slot(&self, question: &Question, have: u32) -> Result<(), Rejection> {
        match &question.kind {
            QuestionKind::File(rules) if have >= rules.max_count => Err(Rejection::TooManyFiles {
                max: rules.max_count,
            }),
            QuestionKind::File(_) => Ok(()),
            _ => Err(Rejection::NotAnswerable),
        }
    }
}

fn received(input: &Input<'_>) -> Received {
    match input {
        Input::Text(_) => Received::Text,
        Input::Choice(_) | Input::Choices(_) | Input::YesNo(_) => Received::Button,
        Input::Contact { .. } => Received::Contact,
        Input::File(meta) => Received::File(meta.kind),
        Input::Other(kind) => Received::Other(kind),
    }
}

fn wrong(expected: Expected, input: &Input<'_>) -> Rejection {
    Rejection::WrongInput {
        expected,
        received: received(input),
    }
}

/// The typed text, trimmed and not empty.
fn typed<'a>(expected: Expected, input: &Input<'a>) -> Result<&'a str, Rejection> {
    match input {
        Input::Text(text) if text.trim().is_empty() => Err(Rejection::Empty { expected }),
        Input::Text(text) => Ok(text.trim()),
        other => Err(wrong(expected, other)),
    }
}

fn text_answer(rules: &TextRules, input: &Input<'_>) -> Result<AnswerValue, Rejection> {
    let text = typed(Expected::Text, input)?;
    let words = text.split_whitespace().count();
    let chars = text.chars().count();
    if let Some(max) = rules.max_words
        && words > max as usize
    {
        return Err(Rejection::TooManyWords { count: words, max });
    }
    if let Some(min) = rules.min_words
        && words < min as usize
    {
        return Err(Rejection::TooFewWords { count: words, min });
    }
    if let Some(max) = rules.max_chars
        && chars > max as usize
    {
        return Err(Rejection::TooManyChars { count: chars, max });
    }
    if let Some(min) = rules.min_chars
        && chars < min as usize
    {
        return Err(Rejection::TooFewChars { count: chars, min });
    }
    Ok(AnswerValue::Text {
        text: text.to_owned(),
    })
}

fn check_range(
    value: f64,
    min: Option<f64>,
    max: Option<f64>,
    unit: &Option<Text>,
) -> Result<(), Rejection> {
    if let Some(min) = min
        && value < min
    {
        return Err(Rejection::BelowMin {
            min,
            unit: unit.clone(),
        });
    }
    if let Some(max) = max
        && value > max
    {
        return Err(Rejection::AboveMax {
            max,
            unit: unit.clone(),
        });
    }
    Ok(())
}

fn thousands_warning(number: &Number) -> Vec<Warning> {
    if number.read_as_thousands() {
        vec![Warning::NumberReadAsThousands {
            value: number.value(),
        }]
    } else {
        Vec::new()
    }
}

fn number_answer(rules: &NumberRules, input: &Input<'_>) -> Result<Accepted, Rejection> {
    let text = typed(Expected::Number, input)?;
    let number = Number::parse(text).map_err(Rejection::Number)?;
    check_range(number.value(), rules.min, rules.max, &rules.unit)?;
    Ok(Accepted {
        value: Some(AnswerValue::Number {
            value: number.value(),
        }),
        warnings: thousands_warning(&number),
    })
}

fn integer_answer(rules: &IntegerRules, input: &Input<'_>) -> Result<AnswerValue, Rejection> {
    let text = typed(Expected::Integer, input)?;
    let number = Number::parse(text).map_err(Rejection::Integer)?;
    let value = number
        .as_integer()
        .ok_or(Rejection::Integer(NumberError::NotWhole))?;
    check_range(
        value as f64,
        rules.min.map(|v| v as f64),
        rules.max.map(|v| v as f64),
        &rules.unit,
    )?;
    Ok(AnswerValue::Integer { value })
}

/// Option by number (1-based), id, or label in either language; case-insensitive.
fn find_option(rules: &ChoiceRules, typed: &str) -> Option<usize> {
    let typed = typed
        .trim()
        .trim_end_matches(['.', ')'])
        .trim()
        .to_lowercase();
    if let Ok(n) = typed.parse::<usize>() {
        return n
            .checked_sub(1)
            .filter(|index| *index < rules.options.len());
    }
    rules.options.iter().position(|o| {
        o.id == typed || o.label.id.to_lowercase() == typed || o.label.en.to_lowercase() == typed
    })
}

fn single_choice_answer(rules: &ChoiceRules, input: &Input<'_>) -> Result<AnswerValue, Rejection> {
    let unknown = || Rejection::UnknownOption {
        count: rules.options.len(),
    };
    let index = match input {
        Input::Choice(id) => rules
            .options
            .iter()
            .position(|o| o.id == *id)
            .ok_or_else(unknown)?,
        Input::Text(_) => {
            find_option(rules, typed(Expected::Choice, input)?).ok_or_else(unknown)?
        }
        other => return Err(wrong(Expected::Choice, other)),
    };
    let option = rules.options.get(index).ok_or_else(unknown)?;
    Ok(AnswerValue::Choice {
        option: option.id.clone(),
    })
}

fn multi_choice_answer(rules: &ChoiceRules, input: &Input<'_>) -> Result<AnswerValue, Rejection> {
    let unknown = || Rejection::UnknownOption {
        count: rules.options.len(),
    };
    let mut picked: Vec<usize> = match input {
        Input::Choices(ids) => ids
            .iter()
            .map(|id| {
                rules
                    .options
                    .iter()
                    .position(|o| &o.id == id)
                    .ok_or_else(unknown)
            })
            .collect::<Result<_, _>>()?,
        Input::Choice(id) => vec![
            rules
                .options
                .iter()
                .position(|o| o.id == *id)
                .ok_or_else(unknown)?,
        ],
        Input::Text(_) => {
            let text = typed(Expected::Choices, input)?;
            let all_numbers = text
                .split_whitespace()
                .all(|w| w.trim_matches([',', ';', '.']).parse::<usize>().is_ok());
            let parts: Vec<&str> = if all_numbers {
                text.split([',', ';', ' ', '\n']).collect()
            } else {
                text.split([',', ';', '\n']).collect()
            };
            parts
                .into_iter()
                .filter(|p| !p.trim().is_empty())
                .map(|p| find_option(rules, p).ok_or_else(unknown))
                .collect::<Result<_, _>>()?
        }
        other => return Err(wrong(Expected::Choices, other)),
    };
    picked.sort_unstable();
    picked.dedup();
    let count = picked.len();
    if count < rules.min_selected as usize {
        return Err(Rejection::TooFewSelected {
            count,
            min: rules.min_selected,
        });
    }
    if count > rules.max_selected as usize {
        return Err(Rejection::TooManySelected {
            count,
            max: rules.max_selected,
        });
    }
    let options = picked
        .into_iter()
        .map(|i| {
            rules
                .options
                .get(i)
                .map(|o| o.id.clone())
                .ok_or_else(unknown)
        })
        .collect::<Result<_, _>>()?;
    Ok(AnswerValue::Choices { options })
}

const YES_WORDS: [&str; 12] = [
    "ya", "iya", "y", "yes", "yep", "yup", "ok", "oke", "sudah", "siap", "benar", "true",
];
const NO_WORDS: [&str; 13] = [
    "tidak", "tdk", "t", "no", "n", "nope", "nggak", "ngga", "gak", "enggak", "belum", "bukan",
    "false",
];

fn yes_no_word(text: &str) -> Option<bool> {
    let word = text.trim().trim_end_matches(['.', '!']).to_lowercase();
    if YES_WORDS.contains(&word.as_str()) {
        Some(true)
    } else if NO_WORDS.contains(&word.as_str()) {
        Some(false)
    } else {
        None
    }
}

fn yes_no_answer(input: &Input<'_>) -> Result<AnswerValue, Rejection> {
    let value = match input {
        Input::YesNo(value) => *value,
        Input::Choice(word) => yes_no_word(word).ok_or(Rejection::NotYesNo)?,
        Input::Text(_) => yes_no_word(typed(Expected::YesNo, input)?).ok_or(Rejection::NotYesNo)?,
        other => return Err(wrong(Expected::YesNo, other)),
    };
    Ok(AnswerValue::YesNo { value })
}

/// Whole months from `from` to `to` (0 when `to` is earlier).
#[allow(
    clippy::arithmetic_side_effects,
    reason = "chrono years lie within ±262_143, so twelve times their difference fits an i32 many times over"
)]
fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let months = (to.year() - from.year()) * 12 + to.month() as i32
        - from.month() as i32
        - i32::from(to.day() < from.day());
    months.max(0) as u32
}

/// The minimum age a start date is held to.
struct Minimum {
    years: u32,
    group: Option<Text>,
    /// The national close, or today.
    counted_to: NaiveDate,
    at_close: bool,
}

fn date_answer(
    rules: &DateRules,
    input: &Input<'_>,
    today: NaiveDate,
    minimum: Option<Minimum>,
) -> Result<Accepted, Rejection> {
    let date = parse_date(typed(Expected::Date, input)?).map_err(Rejection::Date)?;
    if rules.not_after_today && date > today {
        return Err(Rejection::DateInFuture { today });
    }
    Ok(Accepted {
        value: Some(AnswerValue::Date { date }),
        warnings: minimum
            .and_then(|m| m.shortfall(date))
            .into_iter()
            .collect(),
    })
}

impl Minimum {
    /// The warning for an innovation started on `start`, if it is too young.
    fn shortfall(self, start: NaiveDate) -> Option<Warning> {
        let months = self.years.checked_mul(12)?;
        let old_enough_on = start.checked_add_months(Months::new(months))?;
        (self.counted_to < old_enough_on).then(|| Warning::YoungerThanMinimum {
            years: self.years,
            months_running: months_between(start, self.counted_to),
            counted_to: self.at_close.then_some(self.counted_to),
            group: self.group,
        })
    }
}

fn email_answer(input: &Input<'_>) -> Result<AnswerValue, Rejection> {
    let email = Email::parse(typed(Expected::Email, input)?).map_err(Rejection::Email)?;
    Ok(AnswerValue::Email {
        email: email.into_string(),
    })
}

fn phone_answer(input: &Input<'_>) -> Result<AnswerValue, Rejection> {
    let raw = match input {
        Input::Contact { phone, .. } => phone,
        other => typed(Expected::Phone, other)?,
    };
    let phone = PhoneNumber::parse(raw).map_err(Rejection::Phone)?;
    Ok(AnswerValue::Phone {
        phone: phone.into_string(),
    })
}

fn url_answer(allowed_hosts: &[String], input: &Input<'_>) -> Result<AnswerValue, Rejection> {
    let text = typed(Expected::Url, input)?;
    let reject = |error| Rejection::Url {
        error,
        allowed_hosts: allowed_hosts.to_vec(),
    };
    let url = match HttpUrl::parse(text, allowed_hosts) {
        Ok(url) => url,
        // "Ini videonya: https://youtu.be/abc": take the first link in the message.
        Err(UrlError::Invalid) if text.contains(char::is_whitespace) => {
            let link = text
                .split_whitespace()
                .find(|w| w.starts_with("http://") || w.starts_with("https://"))
                .ok_or_else(|| reject(UrlError::Invalid))?;
            HttpUrl::parse(link, allowed_hosts).map_err(reject)?
        }
        Err(error) => return Err(reject(error)),
    };
    Ok(AnswerValue::Url {
        url: url.into_string(),
    })
}

fn is_phone_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | '(' | ')' | ' ')
}

/// "Budi Santoso, 0812-3456-7890" or "0812-3456-7890 Budi Santoso".
fn split_typed_contact(text: &str) -> Option<(String, PhoneNumber)> {
    let tail_start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_phone_char(*c))
        .last()
        .map_or(text.len(), |(i, _)| i);
    let head_end = text
        .char_indices()
        .find(|(_, c)| !is_phone_char(*c))
        .map_or(text.len(), |(i, _)| i);
    // Both cut points come from `char_indices`, so the checked splits always succeed.
    let name_then_phone = text.split_at_checked(tail_start);
    let phone_then_name = text
        .split_at_checked(head_end)
        .map(|(phone, name)| (name, phone));
    [name_then_phone, phone_then_name]
        .into_iter()
        .flatten()
        .find_map(|(name, phone)| {
            let phone = phone.trim_start_matches(['.', '-', ' ']);
            let name = name.trim().trim_matches([',', ':', ';', '-', '/']).trim();
            let phone = PhoneNumber::parse(phone).ok()?;
            name.chars()
                .any(char::is_alphabetic)
                .then(|| (name.to_owned(), phone))
        })
}

fn contact_answer(input: &Input<'_>) -> Result<AnswerValue, Rejection> {
    match input {
        Input::Contact {
            phone,
            first_name,
            last_name,
        } => {
            let name = [Some(*first_name), *last_name]
                .into_iter()
                .flatten()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if name.is_empty() {
                return Err(Rejection::ContactIncomplete);
            }
            let phone = PhoneNumber::parse(phone).map_err(Rejection::Phone)?;
            Ok(AnswerValue::Contact {
                name,
                phone: Some(phone.into_string()),
            })
        }
        Input::Text(_) => {
            let text = typed(Expected::Contact, input)?;
            let (name, phone) = split_typed_contact(text).ok_or(Rejection::ContactIncomplete)?;
            Ok(AnswerValue::Contact {
                name,
                phone: Some(phone.into_string()),
            })
        }
        other => Err(wrong(Expected::Contact, other)),
    }
}

fn guess_mime(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "zip" => "application/zip",
        _ => return None,
    })
}

fn mime_allowed(mime: &str, allowed: &[String]) -> bool {
    allowed.iter().any(|a| match a.strip_suffix("/*") {
        Some(family) => mime.split('/').next() == Some(family),
        None => a == mime,
    })
}

fn check_file(rules: &FileRules, input: &Input<'_>) -> Result<Vec<Warning>, Rejection> {
    let Input::File(meta) = input else {
        return Err(wrong(Expected::File, input));
    };
    if !rules.kinds.contains(&meta.kind) {
        return Err(Rejection::FileKindNotAllowed {
            kind: meta.kind,
            allowed: rules.kinds.clone(),
        });
    }
    // Telegram photos are always JPEG and carry no MIME type.
    let mime = if meta.kind == FileKind::Photo {
        Some("image/jpeg".to_owned())
    } else {
        meta.mime
            .as_deref()
            .map(str::to_ascii_lowercase)
            .or_else(|| meta.name.as_deref().and_then(guess_mime).map(str::to_owned))
    };
    // Allowing the photo kind allows photos, whatever `mime_types` says.
    if meta.kind != FileKind::Photo
        && !rules.mime_types.is_empty()
        && let Some(mime) = &mime
        && !mime_allowed(mime, &rules.mime_types)
    {
        return Err(Rejection::FileTypeNotAllowed {
            mime: mime.clone(),
            allowed: rules.mime_types.clone(),
        });
    }
    if let Some(size) = meta.size
        && size as f64 > rules.max_size_mb * BYTES_PER_MB
    {
        return Err(Rejection::FileTooLarge {
            size,
            max_mb: rules.max_size_mb,
        });
    }
    // What the form takes: accepted all the same, with a warning that says what to do.
    let mut warnings = Vec::new();
    if !rules.warn_mime_types.is_empty()
        && !mime
            .as_deref()
            .is_some_and(|mime| mime_allowed(mime, &rules.warn_mime_types))
    {
        warnings.push(Warning::FileTypeForForm {
            wanted: rules.warn_mime_types.clone(),
        });
    }
    if let (Some(size), Some(max_mb)) = (meta.size, rules.warn_max_size_mb)
        && size as f64 > max_mb * BYTES_PER_MB
    {
        warnings.push(Warning::FileSizeForForm { size, max_mb });
    }
    Ok(warnings)
}
