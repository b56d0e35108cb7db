//! The staff questionnaire: questions, answers, summaries, submitting.

use super::*;
use crate::domain::InnovationState;

pub fn state_name(lang: Lang, state: InnovationState) -> &'static str {
    match (lang, state) {
        (Lang::Id, InnovationState::Draft) => "draf",
        (Lang::Id, InnovationState::Submitted) => "dikirim",
        (Lang::Id, InnovationState::Returned) => "dikembalikan untuk diperbaiki",
        (Lang::Id, InnovationState::Approved) => "disetujui",
        (Lang::Id, InnovationState::Selected) => "terpilih untuk KIPP",
        (Lang::En, InnovationState::Draft) => "draft",
        (Lang::En, InnovationState::Submitted) => "submitted",
        (Lang::En, InnovationState::Returned) => "sent back for changes",
        (Lang::En, InnovationState::Approved) => "approved",
        (Lang::En, InnovationState::Selected) => "selected for KIPP",
    }
}

pub fn untitled(lang: Lang) -> &'static str {
    pick_static(lang, "(belum berjudul)", "(no title yet)")
}

pub fn position(
    lang: Lang,
    section: usize,
    sections: usize,
    question: usize,
    questions: usize,
) -> String {
    match lang {
        Lang::Id => format!("Bagian {section}/{sections} · Pertanyaan {question}/{questions}"),
        Lang::En => format!("Part {section}/{sections} · Question {question}/{questions}"),
    }
}

/// The line above a question: where it stands in bold (see [`position`]), then its section's
/// title from the dialog file, if any.
pub fn question_heading(position: &str, section_title: Option<&str>) -> Html {
    let mut heading = html!("<b>{}</b>", esc(position));
    if let Some(title) = section_title {
        heading.push(&html!(" · {}", esc(title)));
    }
    heading
}

/// A section's introduction from the dialog file, shown above its first question.
pub fn section_intro(intro: &str) -> Html {
    html!("<i>{}</i>", esc(intro))
}

/// A question as asked: the group item it belongs to (label and number, if any), the prompt
/// from the dialog file in bold, and the optional mark.
pub fn question_prompt(
    lang: Lang,
    item: Option<(&str, u16)>,
    prompt: &str,
    required: bool,
) -> Html {
    let mut text = Html::empty();
    if let Some((label, number)) = item {
        text.push(&html!("<i>{}</i>\n", esc(&item_heading(label, number))));
    }
    text.push(&html!("<b>{}</b>", esc(prompt)));
    if !required {
        text.push(&html!(" {}", optional_mark(lang)));
    }
    text
}

/// A group item's name and number, e.g. "Anggota tim 2": plain text (a button label, or a part
/// of a text that escapes it).
pub fn item_heading(label: &str, number: u16) -> String {
    format!("{label} {number}")
}

pub fn optional_mark(lang: Lang) -> Html {
    pick(lang, "(opsional)", "(optional)")
}

pub fn multi_message_hint(lang: Lang) -> Html {
    pick(
        lang,
        "Jawaban panjang boleh dikirim dalam beberapa pesan; tekan <b>Selesai</b> jika sudah. Tips: tulis dulu di dokumen (Word, Google Docs), lalu salin dan tempel di sini.",
        "A long answer may come in several messages; press <b>Done</b> when finished. Tip: write it in a document first (Word, Google Docs), then copy and paste it here.",
    )
}

pub fn file_hint(lang: Lang, kinds: &str, max_mb: f64, min: u32, max: u32) -> Html {
    let count = if min == max {
        format!("{min}")
    } else {
        format!("{min}–{max}")
    };
    match lang {
        Lang::Id => html!("Kirim {kinds}; maksimal {max_mb} MB per file, {count} file."),
        Lang::En => html!("Send {kinds}; at most {max_mb} MB per file, {count} file(s)."),
    }
}

pub fn file_kind_name(lang: Lang, kind: &str) -> &'static str {
    match (lang, kind) {
        (Lang::Id, "document") => "dokumen (sebagai file)",
        (Lang::Id, "photo") => "foto",
        (Lang::Id, "video") => "video",
        (Lang::Id, _) => "audio",
        (Lang::En, "document") => "a document (as a file)",
        (Lang::En, "photo") => "photos",
        (Lang::En, "video") => "a video",
        (Lang::En, _) => "audio",
    }
}

pub fn multi_choice_hint(lang: Lang) -> Html {
    pick(
        lang,
        "Pilih satu atau lebih, lalu tekan <b>Selesai</b>.",
        "Pick one or more, then press <b>Done</b>.",
    )
}

pub fn contact_hint(lang: Lang) -> Html {
    pick(
        lang,
        "Tekan tombol di bawah untuk membagikan kontak dari buku telepon, atau ketik nama dan nomornya, misalnya: Budi Santoso, 0812-3456-7890.",
        "Press the button below to share a contact from your phone book, or type the name and number, e.g.: Budi Santoso, 0812-3456-7890.",
    )
}

pub fn share_contact_button(lang: Lang) -> &'static str {
    pick_static(lang, "📱 Bagikan kontak", "📱 Share a contact")
}

pub fn current_answer(lang: Lang, value: &str) -> Html {
    match lang {
        Lang::Id => html!("Jawaban tersimpan: <i>{}</i>", esc(&shorten(value, 300))),
        Lang::En => html!("Saved answer: <i>{}</i>", esc(&shorten(value, 300))),
    }
}

pub fn saved(lang: Lang, value: &str) -> Html {
    match lang {
        Lang::Id => html!("✅ Tersimpan: {}", esc(&shorten(value, 120))),
        Lang::En => html!("✅ Saved: {}", esc(&shorten(value, 120))),
    }
}

/// An answer saved, with the warnings the dialog file's checks gave about it (plain text).
pub fn saved_notice(lang: Lang, value: &str, warnings: &[String]) -> Html {
    with_warnings(saved(lang, value), warnings)
}

/// A notice followed by a "⚠️" line per warning (plain text, escaped here).
pub fn with_warnings(mut notice: Html, warnings: &[String]) -> Html {
    for warning in warnings {
        notice.push(&html!("\n⚠️ {}", esc(warning)));
    }
    notice
}

/// Something that went wrong, marked as such above the question shown again.
pub fn problem(text: &Html) -> Html {
    html!("❗ {text}")
}

/// The notice a [conversation step](crate::dialog::step) comes back with, above the question
/// shown next.
pub fn step_notice(lang: Lang, notice: &crate::dialog::Notice) -> Html {
    use crate::dialog::Notice;
    match notice {
        Notice::Rejected(rejection) => html!("❗ {}", esc(&rejection.message(lang))),
        Notice::DraftPartSaved { words, max_words } => draft_part_saved(lang, *words, *max_words),
        Notice::DraftCleared => draft_cleared(lang).to_owned(),
        Notice::DraftTooLong {
            words,
            max_words,
            box_title,
        } => draft_too_long(
            lang,
            *words,
            *max_words,
            box_title.as_ref().map(|title| title.get(lang)),
        ),
        Notice::RequiredCannotSkip => html!("❗ {}", required_cannot_skip(lang)),
        Notice::FilesNeeded { have, need } => html!("❗ {}", files_needed(lang, *have, *need)),
        Notice::QuestionChanged => question_changed(lang).to_owned(),
    }
}

pub fn draft_part_saved(lang: Lang, words: usize, max_words: Option<u32>) -> Html {
    let limit = max_words.map(|max| format!("/{max}")).unwrap_or_default();
    match lang {
        Lang::Id => html!(
            "📝 Bagian teks tersimpan — sejauh ini {words}{limit} kata. Kirim lanjutannya, atau tekan <b>Selesai</b>."
        ),
        Lang::En => html!(
            "📝 Part saved — {words}{limit} words so far. Send the next part, or press <b>Done</b>."
        ),
    }
}

/// Done on a long text over its limit: what was sent stays, with how far over it is. In a
/// SINOVIK box of several parts, the limit is what the box's other parts left.
pub fn draft_too_long(lang: Lang, words: usize, max_words: u32, box_title: Option<&str>) -> Html {
    let over = words.saturating_sub(usize::try_from(max_words).unwrap_or(usize::MAX));
    let clear = super::button_restart_text(lang);
    let limit = match (lang, box_title) {
        (Lang::Id, Some(title)) => format!(
            "dari {max_words} kata yang masih tersisa di kotak {}",
            esc(title)
        ),
        (Lang::En, Some(title)) => format!("the {max_words} words the {} box has left", esc(title)),
        (Lang::Id, None) => format!("dari batas {max_words} kata"),
        (Lang::En, None) => format!("the limit of {max_words} words"),
    };
    match lang {
        Lang::Id => html!(
            "❗ Teks ini {words} kata, <b>{over} kata lebih</b> {limit}. Yang sudah Anda kirim tetap tersimpan. Tekan <b>{clear}</b> lalu kirim versi yang lebih ringkas (paling mudah: ringkas di dokumen, lalu tempel di sini)."
        ),
        Lang::En => html!(
            "❗ This text is {words} words, <b>{over} words over</b> {limit}. What you sent is kept. Press <b>{clear}</b> and send a shorter version (easiest: shorten it in a document, then paste it here)."
        ),
    }
}

pub fn draft_cleared(lang: Lang) -> Html {
    pick(
        lang,
        "🗑 Draf teks dihapus. Kirim jawabannya dari awal.",
        "🗑 Draft cleared. Send the answer again from the start.",
    )
}

pub fn file_saved(lang: Lang, count: u32, max: u32) -> Html {
    match lang {
        Lang::Id => html!("📎 File tersimpan ({count}/{max})."),
        Lang::En => html!("📎 File saved ({count}/{max})."),
    }
}

pub fn file_duplicate(lang: Lang) -> Html {
    pick(
        lang,
        "File yang sama sudah tersimpan untuk pertanyaan ini.",
        "The same file is already saved for this question.",
    )
}

pub fn file_not_downloadable(lang: Lang) -> Html {
    pick(
        lang,
        "File ini tidak bisa diambil dari Telegram (file lebih dari 20 MB tidak dapat diunduh bot). Kecilkan filenya, atau unggah ke Google Drive dan kirim tautannya.",
        "This file cannot be fetched from Telegram (bots cannot download files over 20 MB). Make it smaller, or upload it to Google Drive and send the link.",
    )
}

pub fn file_download_failed(lang: Lang) -> Html {
    pick(
        lang,
        "Maaf, file belum berhasil diambil dari Telegram dan belum tersimpan. Silakan kirim ulang file tersebut.",
        "Sorry, the file could not be fetched from Telegram and was not saved. Please send it again.",
    )
}

pub fn files_needed(lang: Lang, have: u32, need: u32) -> Html {
    match lang {
        Lang::Id => html!("Baru {have} file; pertanyaan ini memerlukan minimal {need} file."),
        Lang::En => html!("Only {have} file(s) so far; this question needs at least {need}."),
    }
}

pub fn required_cannot_skip(lang: Lang) -> Html {
    pick(
        lang,
        "Pertanyaan ini wajib dijawab dan tidak bisa dilewati.",
        "This question is required and cannot be skipped.",
    )
}

pub fn add_another(lang: Lang, item_label: &str, items: u16) -> Html {
    match lang {
        Lang::Id => html!(
            "Sudah ada {items} {}. Tambah {} lagi?",
            esc(item_label),
            esc(item_label)
        ),
        Lang::En => html!(
            "There are {items} {} so far. Add another {}?",
            esc(item_label),
            esc(item_label)
        ),
    }
}

pub fn all_answered(lang: Lang) -> Html {
    pick(
        lang,
        "🎉 Semua pertanyaan wajib sudah terjawab. Periksa ringkasannya dengan /review, lalu kirim dengan /submit.",
        "🎉 Every required question is answered. Check the summary with /review, then send it with /submit.",
    )
}

pub fn paused(lang: Lang) -> Html {
    pick(
        lang,
        "⏸ Dijeda. Semua jawaban sudah tersimpan; lanjutkan kapan saja lewat /list.",
        "⏸ Paused. Every answer is saved; carry on any time from /list.",
    )
}

pub fn question_changed(lang: Lang) -> Html {
    pick(
        lang,
        "Kuesioner telah diperbarui; kita lanjut dari pertanyaan berikut.",
        "The questionnaire has been updated; let us go on from the next question.",
    )
}

pub fn innovation_started(lang: Lang, id: i64) -> Html {
    match lang {
        Lang::Id => html!(
            "Inovasi baru #{id} dibuat. Kita mulai; jawaban tersimpan setiap kali Anda menjawab."
        ),
        Lang::En => {
            html!("New innovation #{id} started. Let us begin; each answer is saved as you go.")
        }
    }
}

pub fn no_unit(lang: Lang) -> Html {
    pick(
        lang,
        "Akun Anda belum terhubung dengan unit kerja. Minta Biro HOKH mengatur unit Anda.",
        "Your account is not linked to a work unit yet. Ask the Bureau (Biro HOKH) to set your unit.",
    )
}

pub fn list_header(lang: Lang, scope: &str) -> Html {
    match lang {
        Lang::Id => html!("Inovasi {}:", esc(scope)),
        Lang::En => html!("Innovations of {}:", esc(scope)),
    }
}

pub fn all_units(lang: Lang) -> &'static str {
    pick_static(lang, "semua unit", "all units")
}

pub fn list_empty(lang: Lang, can_create: bool) -> Html {
    let base = pick(lang, "Belum ada inovasi.", "No innovations yet.");
    if can_create {
        html!(
            "{base} {}",
            pick(lang, "Mulai dengan /new.", "Start one with /new.")
        )
    } else {
        base
    }
}

pub fn list_line(
    lang: Lang,
    id: i64,
    unit: &str,
    title: &str,
    state: InnovationState,
    percent: u8,
) -> Html {
    html!(
        "#{id} · <b>{}</b> · {} · {} · {percent}%",
        esc(&shorten(title, 80)),
        esc(unit),
        state_name(lang, state)
    )
}

pub fn resume_button(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Id => format!("▶️ Lanjutkan #{id}"),
        Lang::En => format!("▶️ Continue #{id}"),
    }
}

pub fn view_button(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Id => format!("👁 Lihat #{id}"),
        Lang::En => format!("👁 View #{id}"),
    }
}

pub fn submit_button(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Id => format!("📤 Kirim #{id}"),
        Lang::En => format!("📤 Submit #{id}"),
    }
}

pub fn choose_innovation(lang: Lang) -> Html {
    pick(
        lang,
        "Inovasi yang mana? Pilih di bawah, atau tulis nomornya, misalnya /review 3.",
        "Which innovation? Choose below, or type its number, e.g. /review 3.",
    )
}

/// Why the [policy](crate::policy) refused `act` on innovation `id`, as a sentence.
pub fn refusal(lang: Lang, act: Act, refusal: Refusal, id: i64, bureau: bool) -> Html {
    match (refusal, act) {
        (Refusal::Selected, _) => reopen_selected(lang, id, bureau),
        (Refusal::State(state), Act::Answer | Act::Submit) => read_only(lang, state),
        (Refusal::State(_), Act::Reopen) => reopen_usage(lang).to_owned(),
        (Refusal::State(state), _) => not_reviewable(lang, state),
        (Refusal::Role, Act::Review | Act::Reopen) => review_not_allowed(lang).to_owned(),
        (Refusal::Role, Act::Select) => not_allowed(lang, "select"),
        (Refusal::Hidden, _) | (Refusal::Role, _) => innovation_not_found(lang).to_owned(),
    }
}

pub fn button_not_allowed(lang: Lang) -> Html {
    pick(
        lang,
        "Tombol ini tidak tersedia untuk peran Anda. Ketik /help untuk melihat perintah Anda.",
        "This button is not available for your role. Send /help to see your commands.",
    )
}

/// `/reopen` of an innovation the bureau selected for KIPP: who can, and how.
pub fn reopen_selected(lang: Lang, id: i64, bureau: bool) -> Html {
    match (lang, bureau) {
        (Lang::Id, false) => html!(
            "Inovasi #{id} sudah dipilih Biro HOKH untuk KIPP, jadi tidak bisa dibuka kembali dari unit. Hanya Biro HOKH yang dapat membatalkan pilihan itu (<code>/unselect {id}</code>) lalu membukanya kembali; hubungi Biro HOKH bila ada yang perlu diubah."
        ),
        (Lang::En, false) => html!(
            "Innovation #{id} has been selected by the Bureau for KIPP, so it cannot be reopened by the unit. Only the Bureau can take the selection back (<code>/unselect {id}</code>) and then reopen it; contact the Bureau if something needs changing."
        ),
        (Lang::Id, true) => html!(
            "Inovasi #{id} sedang dipilih untuk KIPP. Batalkan dulu pilihannya dengan <code>/unselect {id}</code> (selama tenggat pemilihan belum lewat), lalu <code>/reopen {id}</code>."
        ),
        (Lang::En, true) => html!(
            "Innovation #{id} is selected for KIPP. First take the selection back with <code>/unselect {id}</code> (while the selection deadline has not passed), then <code>/reopen {id}</code>."
        ),
    }
}

pub fn innovation_not_found(lang: Lang) -> Html {
    pick(
        lang,
        "Inovasi itu tidak ada atau bukan milik unit Anda. Lihat daftar dengan /list.",
        "That innovation does not exist or is not your unit's. See the list with /list.",
    )
}

pub fn read_only(lang: Lang, state: InnovationState) -> Html {
    match lang {
        Lang::Id => html!(
            "Inovasi ini berstatus <b>{}</b> dan tidak bisa diubah. Koordinator unit atau Biro HOKH dapat membukanya kembali (/reopen).",
            state_name(lang, state)
        ),
        Lang::En => html!(
            "This innovation is <b>{}</b> and cannot be changed. The unit coordinator or the Bureau can reopen it (/reopen).",
            state_name(lang, state)
        ),
    }
}

pub fn review_header(
    lang: Lang,
    id: i64,
    title: &str,
    state: InnovationState,
    percent: u8,
) -> Html {
    match lang {
        Lang::Id => html!(
            "<b>Ringkasan inovasi #{id}: {}</b>\nStatus: {} · {percent}% lengkap",
            esc(title),
            state_name(lang, state)
        ),
        Lang::En => html!(
            "<b>Summary of innovation #{id}: {}</b>\nState: {} · {percent}% complete",
            esc(title),
            state_name(lang, state)
        ),
    }
}

/// The summary's first message: its header, and how to change answers when that is allowed.
pub fn review_intro(
    lang: Lang,
    id: i64,
    title: &str,
    state: InnovationState,
    percent: u8,
    editable: bool,
) -> Html {
    let hint = if editable {
        edit_hint(lang)
    } else {
        Html::empty()
    };
    html!("{}\n{hint}", review_header(lang, id, title, state, percent))
}

/// A section of the summary: its number and its title from the dialog file.
pub fn review_section_heading(number: usize, title: &str) -> Html {
    html!("<b>{number}. {}</b>", esc(title))
}

/// One question in the summary: a mark (✅ ❌ ➖), its label, and its answer as shown.
pub fn review_entry(mark: &str, label: &str, value: &Html) -> Html {
    html!("{} {}: {value}", esc(mark), esc(label))
}

/// A saved answer in the summary, cut short.
pub fn review_answer(value: &str) -> Html {
    Html::text(&shorten(value, 90))
}

/// A reviewer's comment under its question in the summary.
pub fn review_comment_line(lang: Lang, author: &str, comment: &str) -> Html {
    html!("    {}", reviewer_comment(lang, author, comment))
}

/// An uploaded file under its question in the summary.
pub fn review_file_line(name: &str) -> Html {
    html!("    📄 {}", esc(&shorten(name, 60)))
}

/// The list of innovations under its header.
pub fn list_text(lang: Lang, scope: &str, lines: &[Html]) -> Html {
    html!("{}\n{}", list_header(lang, scope), Html::join(lines, "\n"))
}

pub fn review_files(lang: Lang, count: u32) -> Html {
    match lang {
        Lang::Id => html!("📎 {count} file"),
        Lang::En => html!("📎 {count} file(s)"),
    }
}

pub fn not_answered(lang: Lang) -> &'static str {
    pick_static(lang, "belum diisi", "not answered")
}

pub fn edit_hint(lang: Lang) -> Html {
    pick(
        lang,
        "Tekan tombol untuk mengubah jawaban atau menghapus file.",
        "Press a button to change an answer or remove a file.",
    )
}

pub fn add_item_button(lang: Lang, item_label: &str) -> String {
    match lang {
        Lang::Id => format!("➕ Tambah {item_label}"),
        Lang::En => format!("➕ Add {item_label}"),
    }
}

pub fn remove_file_button(name: &str) -> String {
    format!("🗑 {}", shorten(name, 40))
}

pub fn file_removed(lang: Lang) -> Html {
    pick(
        lang,
        "🗑 File dihapus dari bukti.",
        "🗑 File removed from the evidence.",
    )
}

pub fn missing_list(lang: Lang, items: &[String]) -> Html {
    if items.is_empty() {
        return pick(
            lang,
            "✅ Semua yang wajib sudah lengkap.",
            "✅ Everything required is there.",
        );
    }
    let header = pick(lang, "Yang belum lengkap:", "Still missing:");
    let lines: Vec<String> = items
        .iter()
        .map(|item| format!("• {}", esc(item)))
        .collect();
    html!("{header}\n{}", lines.join("\n"))
}

pub fn cannot_submit(lang: Lang, items: &[String]) -> Html {
    let intro = pick(
        lang,
        "Belum bisa dikirim: masih ada yang wajib belum lengkap.",
        "It cannot be submitted yet: required items are missing.",
    );
    html!("{intro}\n{}", missing_list(lang, items))
}

pub fn submitted(lang: Lang, id: i64) -> Html {
    match lang {
        Lang::Id => html!(
            "📤 Inovasi #{id} terkirim. Sekarang hanya bisa dibaca sampai koordinator atau Biro HOKH membukanya kembali."
        ),
        Lang::En => html!(
            "📤 Innovation #{id} submitted. It is read-only now until a coordinator or the Bureau reopens it."
        ),
    }
}

pub fn submitted_notice(lang: Lang, id: i64, title: &str, by: &str) -> Html {
    match lang {
        Lang::Id => html!(
            "📥 Inovasi #{id} <b>{}</b> dikirim oleh {} dan menunggu tinjauan.",
            esc(title),
            esc(by)
        ),
        Lang::En => html!(
            "📥 Innovation #{id} <b>{}</b> was submitted by {} and awaits review.",
            esc(title),
            esc(by)
        ),
    }
}

pub fn reopened(lang: Lang, id: i64) -> Html {
    match lang {
        Lang::Id => html!("🔓 Inovasi #{id} dibuka kembali sebagai draf."),
        Lang::En => html!("🔓 Innovation #{id} reopened as a draft."),
    }
}

pub fn reopen_usage(lang: Lang) -> Html {
    pick(
        lang,
        "Format: <code>/reopen NOMOR</code>, misalnya <code>/reopen 3</code>. Hanya inovasi yang sudah dikirim yang bisa dibuka kembali.",
        "Format: <code>/reopen NUMBER</code>, e.g. <code>/reopen 3</code>. Only submitted innovations can be reopened.",
    )
}
