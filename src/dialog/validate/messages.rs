//! The sentences of validation: what a question asks for, why an answer was refused (with an
//! example), and what an accepted answer is warned about.

use super::*;

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

/// A MIME type as people name it: "PDF", "Word", "JPG".
pub fn file_type_name(mime: &str) -> String {
    mime_name(mime)
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
                format!("Teks terlalu pendek: {count} kata, minimal {min}. Tambahkan penjelasan seperti contoh di bawah, lalu kirim lagi."),
                format!("The text is too short: {count} words, at least {min}. Please add detail as in the example below and send it again."),
            ),
            Self::BoxTooManyWords { title, count, max, others: 0 } => pick(
                l,
                format!("Kotak {} terlalu panjang: {count} kata, maksimal {max}. Ringkas lalu kirim lagi.", title.get(l)),
                format!("The {} box is too long: {count} words, at most {max}. Please shorten it and send it again.", title.get(l)),
            ),
            Self::BoxTooManyWords { title, count, max, others } => {
                let room = (*max as usize).saturating_sub(*others);
                pick(
                    l,
                    format!("Kotak {} terlalu panjang: {count} kata bersama bagian lainnya ({others} kata), maksimal {max} untuk seluruh kotak. Bagian ini paling banyak {room} kata; ringkas lalu kirim lagi.", title.get(l)),
                    format!("The {} box is too long: {count} words with its other parts ({others} words), at most {max} for the whole box. This part can take at most {room} words; please shorten it and send it again.", title.get(l)),
                )
            }
            Self::BoxTooFewWords { title, count, min, parts: 1 } => pick(
                l,
                format!("Jawaban ini terlalu singkat untuk kotak {}: {count} kata, minimal {min}. Tulis beberapa kalimat utuh seperti contoh di bawah, lalu kirim lagi.", title.get(l)),
                format!("This is too short for the {} box: {count} words, at least {min}. Please write a few full sentences as in the example below and send it again.", title.get(l)),
            ),
            Self::BoxTooFewWords { title, count, min, parts } => pick(
                l,
                format!("Kotak {} baru {count} kata untuk {parts} bagiannya, minimal {min}. Tambahkan penjelasan seperti contoh di bawah, lalu kirim lagi.", title.get(l)),
                format!("The {} box has only {count} words over its {parts} parts, at least {min}. Please add detail as in the example below and send it again.", title.get(l)),
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
                counted_to,
                group,
            } => {
                let when = counted_to.map(|date| format_date(date, lang));
                let group = group.as_ref().map(|g| g.get(lang));
                let (running_id, running_en) = match &when {
                    Some(date) => (
                        format!(
                            "pada penutupan nasional ({date}) inovasi ini baru berjalan {months_running} bulan"
                        ),
                        format!(
                            "at the national close ({date}) this innovation will have been running for {months_running} months"
                        ),
                    ),
                    None => (
                        format!("inovasi ini baru berjalan {months_running} bulan"),
                        format!("this innovation has been running for {months_running} months"),
                    ),
                };
                let (rule_id, rule_en) = match group {
                    Some(group) => (
                        format!("KIPP mensyaratkan minimal {years} tahun untuk kelompok {group}"),
                        format!("KIPP requires at least {years} years for the {group} group"),
                    ),
                    None => (
                        format!("KIPP biasanya mensyaratkan minimal {years} tahun"),
                        format!("KIPP usually requires at least {years} years"),
                    ),
                };
                pick(
                    lang,
                    format!("Catatan: {running_id}, sedangkan {rule_id}. Jawaban tetap disimpan."),
                    format!("Note: {running_en}, while {rule_en}. The answer is saved."),
                )
            }
            Self::FileTypeForForm { wanted } => {
                let mut names: Vec<String> = wanted.iter().map(|m| mime_name(m)).collect();
                names.dedup();
                let names = join_or(&names, lang);
                pick(
                    lang,
                    format!(
                        "Catatan: SINOVIK hanya menerima file {names}. File ini tetap disimpan, tetapi sebelum diunggah ke SINOVIK ubah dulu menjadi {names} (misalnya Cetak → Simpan sebagai PDF), atau kirim versi {names}-nya di sini."
                    ),
                    format!(
                        "Note: SINOVIK takes {names} files only. This file is saved, but convert it to {names} before uploading it to SINOVIK (e.g. Print → Save as PDF), or send the {names} version here."
                    ),
                )
            }
            Self::FileSizeForForm { size, max_mb } => {
                let size = mb(*size as f64 / BYTES_PER_MB, lang);
                let max = format_number(*max_mb, lang);
                pick(
                    lang,
                    format!(
                        "Catatan: file ini {size} MB, sedangkan SINOVIK menerima paling besar {max} MB per kotak. File tetap disimpan; sebelum diunggah ke SINOVIK, kompres PDF-nya (misalnya dengan fitur kompres PDF) atau kurangi halamannya, atau kirim versi yang lebih kecil di sini."
                    ),
                    format!(
                        "Note: this file is {size} MB, while SINOVIK takes at most {max} MB per box. The file is saved; before uploading it to SINOVIK, compress the PDF (e.g. with a PDF compressor) or cut pages, or send a smaller version here."
                    ),
                )
            }
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
