//! Turning what a person sent into an [`AnswerValue`] for a question, or a [`Rejection`] that
//! says, in one friendly sentence, what is expected. Pure: `today` is passed in.

use chrono::{Datelike, Months, NaiveDate};

use crate::dialog::model::{
    ChoiceRules, DateRules, Dialog, FileKind, FileRules, IntegerRules, NumberRules, Question,
    QuestionKind, Text, TextRules,
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
    /// The start date is younger than the campaign's minimum age.
    YoungerThanMinimum { years: u32, months_running: u32 },
    /// A single `.` or `,` followed by three digits was read as a thousands separator.
    NumberReadAsThousands { value: f64 },
}

const BYTES_PER_MB: f64 = 1_048_576.0;

impl Dialog {
    /// Checks an input against a question. Files are checked (kind, type, size) but not
    /// stored; use [`Dialog::check_file_slot`] for the count.
    pub fn validate(
        &self,
        question: &Question,
        input: &Input<'_>,
        today: NaiveDate,
    ) -> Result<Accepted, Rejection> {
        let value = match &question.kind {
            QuestionKind::Text(rules) => text_answer(rules, input)?,
            QuestionKind::Number(rules) => return number_answer(rules, input),
            QuestionKind::Integer(rules) => integer_answer(rules, input)?,
            QuestionKind::SingleChoice(rules) => single_choice_answer(rules, input)?,
            QuestionKind::MultiChoice(rules) => multi_choice_answer(rules, input)?,
            QuestionKind::YesNo => yes_no_answer(input)?,
            QuestionKind::Date(rules) => return date_answer(rules, input, today),
            QuestionKind::Email => email_answer(input)?,
            QuestionKind::Phone => phone_answer(input)?,
            QuestionKind::Url(rules) => url_answer(&rules.allowed_hosts, input)?,
            QuestionKind::Contact => contact_answer(input)?,
            QuestionKind::File(rules) => {
                check_file(rules, input)?;
                return Ok(Accepted {
                    value: None,
                    warnings: Vec::new(),
                });
            }
            QuestionKind::Group(_) => return Err(Rejection::NotAnswerable),
        };
        Ok(Accepted {
            value: Some(value),
            warnings: Vec::new(),
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

fn date_answer(
    rules: &DateRules,
    input: &Input<'_>,
    today: NaiveDate,
) -> Result<Accepted, Rejection> {
    let date = parse_date(typed(Expected::Date, input)?).map_err(Rejection::Date)?;
    if rules.not_after_today && date > today {
        return Err(Rejection::DateInFuture { today });
    }
    let mut warnings = Vec::new();
    if let Some(years) = rules.warn_if_younger_than_years
        && let Some(months) = years.checked_mul(12)
        && let Some(old_enough_on) = date.checked_add_months(Months::new(months))
        && today < old_enough_on
    {
        warnings.push(Warning::YoungerThanMinimum {
            years,
            months_running: months_between(date, today),
        });
    }
    Ok(Accepted {
        value: Some(AnswerValue::Date { date }),
        warnings,
    })
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

fn check_file(rules: &FileRules, input: &Input<'_>) -> Result<(), Rejection> {
    let Input::File(meta) = input else {
        return Err(wrong(Expected::File, input));
    };
    if !rules.kinds.contains(&meta.kind) {
        return Err(Rejection::FileKindNotAllowed {
            kind: meta.kind,
            allowed: rules.kinds.clone(),
        });
    }
    // Telegram photos are always JPEG and carry no MIME type: allowing the kind allows them.
    if meta.kind != FileKind::Photo && !rules.mime_types.is_empty() {
        let mime = meta
            .mime
            .as_deref()
            .map(str::to_ascii_lowercase)
            .or_else(|| meta.name.as_deref().and_then(guess_mime).map(str::to_owned));
        if let Some(mime) = mime
            && !mime_allowed(&mime, &rules.mime_types)
        {
            return Err(Rejection::FileTypeNotAllowed {
                mime,
                allowed: rules.mime_types.clone(),
            });
        }
    }
    if let Some(size) = meta.size
        && size as f64 > rules.max_size_mb * BYTES_PER_MB
    {
        return Err(Rejection::FileTooLarge {
            size,
            max_mb: rules.max_size_mb,
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

fn pick(lang: Lang, id: String, en: String) -> String {
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}

impl Expected {
    fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Text, Lang::Id) => "teks",
            (Self::Text, Lang::En) => "text",
            (Self::Number, Lang::Id) => "angka",
            (Self::Number, Lang::En) => "a number",
            (Self::Integer, Lang::Id) => "bilangan bulat",
            (Self::Integer, Lang::En) => "a whole number",
            (Self::Choice | Self::Choices, Lang::Id) => "pilihan",
            (Self::Choice | Self::Choices, Lang::En) => "a choice",
            (Self::YesNo, Lang::Id) => "jawaban ya atau tidak",
            (Self::YesNo, Lang::En) => "a yes or no",
            (Self::Date, Lang::Id) => "tanggal",
            (Self::Date, Lang::En) => "a date",
            (Self::Email, Lang::Id) => "alamat e-mail",
            (Self::Email, Lang::En) => "an e-mail address",
            (Self::Phone, Lang::Id) => "nomor telepon",
            (Self::Phone, Lang::En) => "a phone number",
            (Self::Url, Lang::Id) => "tautan",
            (Self::Url, Lang::En) => "a link",
            (Self::Contact, Lang::Id) => "kontak",
            (Self::Contact, Lang::En) => "a contact",
            (Self::File, Lang::Id) => "file",
            (Self::File, Lang::En) => "a file",
        }
    }

    /// What to send, with an example.
    fn example(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Text, Lang::Id) => "Ketik jawaban Anda sebagai pesan teks.",
            (Self::Text, Lang::En) => "Please type your answer as a text message.",
            (Self::Number, Lang::Id) => "Masukkan angka, misalnya 45.",
            (Self::Number, Lang::En) => "Please enter a number, e.g. 45.",
            (Self::Integer, Lang::Id) => "Masukkan bilangan bulat, misalnya 120.",
            (Self::Integer, Lang::En) => "Please enter a whole number, e.g. 120.",
            (Self::Choice, Lang::Id) => {
                "Ketuk salah satu tombol, atau ketik nomor pilihannya, misalnya 2."
            }
            (Self::Choice, Lang::En) => {
                "Tap one of the buttons, or type the option's number, e.g. 2."
            }
            (Self::Choices, Lang::Id) => {
                "Ketuk tombol pilihan, atau ketik nomor-nomornya dipisah koma, misalnya 1, 3."
            }
            (Self::Choices, Lang::En) => {
                "Tap the options, or type their numbers separated by commas, e.g. 1, 3."
            }
            (Self::YesNo, Lang::Id) => "Ketuk Ya atau Tidak, atau ketik ya/tidak.",
            (Self::YesNo, Lang::En) => "Tap Yes or No, or type yes/no.",
            (Self::Date, Lang::Id) => "Masukkan tanggal, misalnya 1 Maret 2024 atau 01/03/2024.",
            (Self::Date, Lang::En) => {
                "Please enter a date, e.g. 1 March 2024 or 01/03/2024 (day first)."
            }
            (Self::Email, Lang::Id) => "Masukkan alamat e-mail, misalnya nama@perpusnas.go.id.",
            (Self::Email, Lang::En) => "Please enter an e-mail address, e.g. name@perpusnas.go.id.",
            (Self::Phone, Lang::Id) => {
                "Masukkan nomor telepon, misalnya 0812-3456-7890 atau (021) 1234567."
            }
            (Self::Phone, Lang::En) => {
                "Please enter a phone number, e.g. 0812-3456-7890 or (021) 1234567."
            }
            (Self::Url, Lang::Id) => "Kirim tautan lengkap, misalnya https://youtu.be/abc123.",
            (Self::Url, Lang::En) => "Please send the full link, e.g. https://youtu.be/abc123.",
            (Self::Contact, Lang::Id) => {
                "Bagikan kontak, atau ketik nama dan nomor, misalnya: Budi Santoso, 0812-3456-7890."
            }
            (Self::Contact, Lang::En) => {
                "Share a contact, or type a name and number, e.g.: Budi Santoso, 0812-3456-7890."
            }
            (Self::File, Lang::Id) => "Kirim file melalui ikon klip (📎).",
            (Self::File, Lang::En) => "Please send the file with the paperclip icon (📎).",
        }
    }
}

impl Received {
    fn name(self, lang: Lang) -> String {
        let (id, en) = match self {
            Self::Text => ("teks", "text"),
            Self::Button => ("tombol", "a button"),
            Self::Contact => ("kontak", "a contact"),
            Self::File(kind) => return kind_name(kind, lang).to_owned(),
            Self::Other("sticker") => ("stiker", "a sticker"),
            Self::Other("voice") => ("pesan suara", "a voice message"),
            Self::Other("video_note") => ("pesan video", "a video message"),
            Self::Other("location" | "venue") => ("lokasi", "a location"),
            Self::Other("animation") => ("GIF", "a GIF"),
            Self::Other("poll") => ("polling", "a poll"),
            Self::Other("dice") => ("dadu", "a dice"),
            Self::Other(_) => ("jenis pesan ini", "this kind of message"),
        };
        pick(lang, id.to_owned(), en.to_owned())
    }
}

fn kind_name(kind: FileKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (FileKind::Document, Lang::Id) => "dokumen",
        (FileKind::Document, Lang::En) => "a document",
        (FileKind::Photo, Lang::Id) => "foto",
        (FileKind::Photo, Lang::En) => "a photo",
        (FileKind::Video, Lang::Id) => "video",
        (FileKind::Video, Lang::En) => "a video",
        (FileKind::Audio, Lang::Id) => "audio",
        (FileKind::Audio, Lang::En) => "an audio file",
    }
}

fn mime_name(mime: &str) -> String {
    match mime {
        "application/pdf" => "PDF",
        "application/msword"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "Word",
        "application/vnd.ms-excel"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "Excel",
        "application/vnd.ms-powerpoint"
        | "application/vnd.openxmlformats-officedocument.presentationml.presentation" => {
            "PowerPoint"
        }
        "image/jpeg" => "JPG",
        "image/png" => "PNG",
        "image/*" => "gambar/image",
        "video/*" | "video/mp4" => "MP4",
        "application/zip" => "ZIP",
        other => return other.rsplit('/').next().unwrap_or(other).to_uppercase(),
    }
    .to_owned()
}

fn join_or(items: &[String], lang: Lang) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!(
            "{} {} {last}",
            rest.join(", "),
            pick(lang, "atau".into(), "or".into())
        ),
    }
}

fn with_unit(value: f64, unit: &Option<Text>, lang: Lang) -> String {
    let number = format_number(value, lang);
    match unit.as_ref().map(|u| u.get(lang)) {
        Some("%") => format!("{number}%"),
        Some(unit) => format!("{number} {unit}"),
        None => number,
    }
}

fn mb(value: f64, lang: Lang) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    let text = format!("{rounded:.1}");
    match lang {
        Lang::Id => text.replace('.', ","),
        Lang::En => text,
    }
}

impl Rejection {
    /// One friendly sentence (sometimes two) naming the limit and giving an example.
    pub fn message(&self, lang: Lang) -> String {
        let l = lang;
        match self {
            Self::Empty { expected } => pick(
                l,
                format!("Jawaban masih kosong. {}", expected.example(l)),
                format!("The answer is empty. {}", expected.example(l)),
            ),
            Self::WrongInput { expected, received } => pick(
                l,
                format!("Pertanyaan ini meminta {}, bukan {}. {}", expected.name(l), received.name(l), expected.example(l)),
                format!("This question asks for {}, not {}. {}", expected.name(l), received.name(l), expected.example(l)),
            ),
            Self::TooManyWords { count, max } => pick(
                l,
                format!("Teks terlalu panjang: {count} kata, maksimal {max}. Ringkas lalu kirim lagi."),
                format!("The text is too long: {count} words, at most {max}. Please shorten it and send it again."),
            ),
            Self::TooFewWords { count, min } => pick(
                l,
                format!("Teks terlalu pendek: {count} kata, minimal {min}. Tambahkan penjelasan lalu kirim lagi."),
                format!("The text is too short: {count} words, at least {min}. Please add some detail and send it again."),
            ),
            Self::TooManyChars { count, max } => pick(
                l,
                format!("Teks terlalu panjang: {count} karakter, maksimal {max}."),
                format!("The text is too long: {count} characters, at most {max}."),
            ),
            Self::TooFewChars { count, min } => pick(
                l,
                format!("Teks terlalu pendek: {count} karakter, minimal {min}."),
                format!("The text is too short: {count} characters, at least {min}."),
            ),
            Self::Number(error) | Self::Integer(error) => {
                let expected = if matches!(self, Self::Number(_)) { Expected::Number } else { Expected::Integer };
                match error {
                    NumberError::BadGrouping => pick(
                        l,
                        "Penulisan angka tidak dikenali; tulis misalnya 1.234,5 atau 1234,5.".into(),
                        "The number's separators are not clear; write e.g. 1,234.5 or 1234.5.".into(),
                    ),
                    NumberError::TooManyDigits => pick(
                        l,
                        "Angka terlalu panjang: maksimal 15 digit, misalnya 1.500.000.".into(),
                        "The number is too long: at most 15 digits, e.g. 1,500,000.".into(),
                    ),
                    NumberError::NotWhole => pick(
                        l,
                        "Masukkan bilangan bulat tanpa desimal, misalnya 120.".into(),
                        "Please enter a whole number without decimals, e.g. 120.".into(),
                    ),
                    NumberError::Empty | NumberError::NotANumber => expected.example(l).to_owned(),
                }
            }
            Self::BelowMin { min, unit } => pick(
                l,
                format!("Nilai terlalu kecil: minimal {}.", with_unit(*min, unit, l)),
                format!("The value is too small: at least {}.", with_unit(*min, unit, l)),
            ),
            Self::AboveMax { max, unit } => pick(
                l,
                format!("Nilai terlalu besar: maksimal {}.", with_unit(*max, unit, l)),
                format!("The value is too large: at most {}.", with_unit(*max, unit, l)),
            ),
            Self::UnknownOption { count } => pick(
                l,
                format!("Pilihan itu tidak ada. Ketuk salah satu tombol atau ketik nomornya (1–{count})."),
                format!("That option does not exist. Tap one of the buttons or type its number (1–{count})."),
            ),
            Self::TooFewSelected { count, min } => pick(
                l,
                format!("Pilih minimal {min} (baru {count} dipilih)."),
                format!("Please choose at least {min} ({count} chosen so far)."),
            ),
            Self::TooManySelected { count, max } => pick(
                l,
                format!("Pilih paling banyak {max} ({count} dipilih)."),
                format!("Please choose at most {max} ({count} chosen)."),
            ),
            Self::NotYesNo => Expected::YesNo.example(l).to_owned(),
            Self::Date(error) => match error {
                DateError::TwoDigitYear => pick(
                    l,
                    "Tulis tahun dengan empat angka, misalnya 01/03/2024.".into(),
                    "Please write the year with four digits, e.g. 01/03/2024.".into(),
                ),
                DateError::YearOutOfRange => pick(
                    l,
                    "Tahun harus antara 1900 dan 2100, misalnya 1 Maret 2024.".into(),
                    "The year must be between 1900 and 2100, e.g. 1 March 2024.".into(),
                ),
                DateError::InvalidDate => pick(
                    l,
                    "Tanggal itu tidak ada di kalender; periksa hari dan bulannya, misalnya 28 Februari 2024.".into(),
                    "That day does not exist; please check the day and month, e.g. 28 February 2024.".into(),
                ),
                DateError::Empty | DateError::Unrecognised => pick(
                    l,
                    format!("Tanggal tidak dikenali. {}", Expected::Date.example(l)),
                    format!("The date was not recognised. {}", Expected::Date.example(l)),
                ),
            },
            Self::DateInFuture { today } => pick(
                l,
                format!("Tanggal tidak boleh melewati hari ini ({}).", format_date(*today, l)),
                format!("The date cannot be after today ({}).", format_date(*today, l)),
            ),
            Self::Email(_) => pick(
                l,
                "Alamat e-mail tidak valid. Contoh: nama@perpusnas.go.id.".into(),
                "That e-mail address is not valid. Example: name@perpusnas.go.id.".into(),
            ),
            Self::Phone(error) => match error {
                PhoneError::MissingPrefix => pick(
                    l,
                    "Awali nomor dengan 0 atau +62, misalnya 0812-3456-7890.".into(),
                    "Please start the number with 0 or +62, e.g. 0812-3456-7890.".into(),
                ),
                PhoneError::NotIndonesian => pick(
                    l,
                    "Masukkan nomor Indonesia (+62), misalnya 0812-3456-7890.".into(),
                    "Please enter an Indonesian (+62) number, e.g. 0812-3456-7890.".into(),
                ),
                PhoneError::TooShort => pick(
                    l,
                    "Nomor telepon terlalu pendek. Contoh: 0812-3456-7890 atau (021) 1234567.".into(),
                    "The phone number is too short. Example: 0812-3456-7890 or (021) 1234567.".into(),
                ),
                PhoneError::TooLong => pick(
                    l,
                    "Nomor telepon terlalu panjang. Contoh: 0812-3456-7890 atau (021) 1234567.".into(),
                    "The phone number is too long. Example: 0812-3456-7890 or (021) 1234567.".into(),
                ),
                PhoneError::Empty | PhoneError::InvalidCharacters => pick(
                    l,
                    "Nomor telepon hanya boleh berisi angka, spasi, tanda -, + dan kurung, misalnya 0812-3456-7890.".into(),
                    "A phone number may only hold digits, spaces, -, + and brackets, e.g. 0812-3456-7890.".into(),
                ),
            },
            Self::Url { error, allowed_hosts } => {
                let hosts = join_or(allowed_hosts, l);
                match error {
                    UrlError::HostNotAllowed { host } => pick(
                        l,
                        format!("Tautan dari {host} tidak diterima; gunakan {hosts}, misalnya https://youtu.be/abc123."),
                        format!("Links to {host} are not accepted; please use {hosts}, e.g. https://youtu.be/abc123."),
                    ),
                    UrlError::NotHttp => pick(
                        l,
                        "Tautan harus diawali https:// atau http://, misalnya https://youtu.be/abc123.".into(),
                        "The link must start with https:// or http://, e.g. https://youtu.be/abc123.".into(),
                    ),
                    UrlError::Empty | UrlError::Invalid => pick(
                        l,
                        format!("Tautan tidak valid. {}", Expected::Url.example(l)),
                        format!("That link is not valid. {}", Expected::Url.example(l)),
                    ),
                }
            }
            Self::ContactIncomplete => pick(
                l,
                format!("Nama dan nomor telepon belum lengkap. {}", Expected::Contact.example(l)),
                format!("Both a name and a phone number are needed. {}", Expected::Contact.example(l)),
            ),
            Self::FileKindNotAllowed { kind, allowed } => {
                let allowed: Vec<String> = allowed.iter().map(|k| kind_name(*k, l).to_owned()).collect();
                let hint = if *kind == FileKind::Photo && !allowed.is_empty() {
                    pick(l, " Kirim sebagai file (📎 → File).".into(), " Send it as a file (📎 → File).".into())
                } else {
                    String::new()
                };
                pick(
                    l,
                    format!("Pertanyaan ini meminta {}, bukan {}.{hint}", join_or(&allowed, l), kind_name(*kind, l)),
                    format!("This question asks for {}, not {}.{hint}", join_or(&allowed, l), kind_name(*kind, l)),
                )
            }
            Self::FileTypeNotAllowed { mime, allowed } => {
                let mut names: Vec<String> = allowed.iter().map(|m| mime_name(m)).collect();
                names.dedup();
                pick(
                    l,
                    format!("Jenis file ini ({}) tidak diterima; kirim file {}.", mime_name(mime), join_or(&names, l)),
                    format!("This file type ({}) is not accepted; please send {}.", mime_name(mime), join_or(&names, l)),
                )
            }
            Self::FileTooLarge { size, max_mb } => {
                let size = mb(*size as f64 / BYTES_PER_MB, l);
                let max = format_number(*max_mb, l);
                pick(
                    l,
                    format!("File terlalu besar ({size} MB); maksimal {max} MB. Kompres atau pecah filenya lalu kirim lagi."),
                    format!("The file is too large ({size} MB); at most {max} MB. Please compress or split it and send it again."),
                )
            }
            Self::TooManyFiles { max } => pick(
                l,
                format!("Sudah ada {max} file, jumlah maksimal untuk pertanyaan ini. Tekan Lanjut untuk meneruskan."),
                format!("There are already {max} files, the most this question takes. Press Next to go on."),
            ),
            Self::NotAnswerable => pick(
                l,
                "Bagian ini diisi lewat pertanyaan-pertanyaan berikutnya.".into(),
                "This part is filled in through the questions that follow.".into(),
            ),
        }
    }
}

impl Warning {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::YoungerThanMinimum {
                years,
                months_running,
            } => pick(
                lang,
                format!(
                    "Catatan: inovasi ini baru berjalan {months_running} bulan, sedangkan KIPP biasanya mensyaratkan minimal {years} tahun. Jawaban tetap disimpan."
                ),
                format!(
                    "Note: this innovation has been running for {months_running} months, while KIPP usually requires at least {years} years. The answer is saved."
                ),
            ),
            Self::NumberReadAsThousands { value } => pick(
                lang,
                format!(
                    "Catatan: angka dibaca sebagai {value} (titik atau koma dianggap pemisah ribuan). Jika maksudnya pecahan, kirim ulang, misalnya 1,25."
                ),
                format!(
                    "Note: the number was read as {value} (the dot or comma taken as a thousands separator). If you meant a fraction, send it again, e.g. 1.25."
                ),
            ),
        }
    }
}
