//! Every reply text, in Indonesian (the default) and English, in one place. Tests assert
//! against these same functions. Texts are HTML: user-supplied parts are escaped by the caller
//! through [`esc`].

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::{
    domain::{Lang, Role},
    policy::{Act, Refusal},
};

/// Escapes user-supplied text for Telegram's HTML parse mode (`&`, `<`, `>`).
pub fn esc(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            c => escaped.push(c),
        }
    }
    escaped
}

fn pick(lang: Lang, id: &str, en: &str) -> String {
    match lang {
        Lang::Id => id.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// The language Telegram reports for someone not registered yet.
pub fn lang_of_stranger(language_code: Option<&str>) -> Lang {
    match language_code {
        Some(code) if code.starts_with("en") => Lang::En,
        _ => Lang::Id,
    }
}

pub fn role_name(lang: Lang, role: Role) -> &'static str {
    match (lang, role) {
        (Lang::Id, Role::Staff) => "Staf unit",
        (Lang::Id, Role::Coordinator) => "Koordinator unit",
        (Lang::Id, Role::Bureau) => "Biro HOKH",
        (Lang::En, Role::Staff) => "Unit staff",
        (Lang::En, Role::Coordinator) => "Unit coordinator",
        (Lang::En, Role::Bureau) => "Bureau (Biro HOKH)",
    }
}

pub fn local_time(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%d-%m-%Y %H:%M %Z")
        .to_string()
}

// ---- access -------------------------------------------------------------------------------

pub fn stranger(lang: Lang) -> String {
    pick(
        lang,
        "Maaf, bot ini hanya untuk staf Perpustakaan Nasional yang diundang. Untuk ikut, minta tautan undangan kepada koordinator KIPP unit Anda atau Biro HOKH.",
        "Sorry, this bot is only for invited staff of the National Library (Perpusnas). To join, ask your unit's KIPP coordinator or the Bureau (Biro HOKH) for an invitation link.",
    )
}

pub fn private_chat_only(lang: Lang) -> String {
    pick(
        lang,
        "Saya hanya melayani lewat chat pribadi. Buka chat dengan saya dan ketik /start.",
        "I only work in a private chat. Open a chat with me and send /start.",
    )
}

pub fn not_allowed(lang: Lang, command: &str) -> String {
    let command = &shorten(command, 40);
    match lang {
        Lang::Id => format!(
            "Perintah /{} tidak tersedia untuk peran Anda. Ketik /help untuk melihat perintah Anda.",
            esc(command)
        ),
        Lang::En => format!(
            "The command /{} is not available for your role. Send /help to see your commands.",
            esc(command)
        ),
    }
}

pub fn unknown_command(lang: Lang, command: &str) -> String {
    // A typed name can be as long as a whole message.
    let command = &shorten(command, 40);
    match lang {
        Lang::Id => format!(
            "Perintah /{} tidak dikenal. Ketik /help untuk melihat perintah yang tersedia.",
            esc(command)
        ),
        Lang::En => format!(
            "Unknown command /{}. Send /help to see the available commands.",
            esc(command)
        ),
    }
}

pub fn nothing_pending(lang: Lang) -> String {
    pick(
        lang,
        "Tidak ada pertanyaan yang sedang menunggu jawaban. Ketik /help untuk melihat apa yang bisa saya bantu.",
        "No question is waiting for an answer. Send /help to see what I can do.",
    )
}

pub fn edited_message_ignored(lang: Lang) -> String {
    pick(
        lang,
        "Pesan yang diedit tidak mengubah jawaban yang sudah tersimpan. Untuk mengubah jawaban, buka /review lalu pilih pertanyaannya.",
        "Editing a message does not change a saved answer. To change an answer, open /review and pick the question.",
    )
}

pub fn internal_error(lang: Lang) -> String {
    pick(
        lang,
        "Maaf, ada gangguan sementara. Jawaban yang sudah saya konfirmasi tetap aman; silakan coba lagi sebentar lagi.",
        "Sorry, something went wrong on my side. Answers I have confirmed are safe; please try again in a moment.",
    )
}

/// A caught panic: this one message was set aside; everything confirmed before is safe.
pub fn update_failed(lang: Lang) -> String {
    pick(
        lang,
        "Maaf, pesan atau tombol terakhir Anda tidak dapat saya proses karena kesalahan di pihak saya, dan sudah saya catat untuk tim teknis. Jawaban yang sudah saya konfirmasi tetap aman. Silakan lanjutkan, misalnya dengan /review atau /help.",
        "Sorry, I could not handle your last message or button because of an error on my side; it has been logged for the technical team. Answers I have confirmed are safe. Please carry on, e.g. with /review or /help.",
    )
}

pub fn stale_button(lang: Lang) -> String {
    pick(
        lang,
        "Tombol ini sudah tidak berlaku.",
        "This button is no longer valid.",
    )
}

// ---- registration -------------------------------------------------------------------------

pub fn registered(lang: Lang, name: &str, role: Role, unit: Option<&str>) -> String {
    let unit = unit.map(esc);
    match lang {
        Lang::Id => format!(
            "Selamat datang, {}! Anda terdaftar sebagai <b>{}</b>{}.\nKetik /help untuk melihat perintah Anda.",
            esc(name),
            role_name(lang, role),
            unit.map(|u| format!(" di unit <b>{u}</b>"))
                .unwrap_or_default()
        ),
        Lang::En => format!(
            "Welcome, {}! You are registered as <b>{}</b>{}.\nSend /help to see your commands.",
            esc(name),
            role_name(lang, role),
            unit.map(|u| format!(" in unit <b>{u}</b>"))
                .unwrap_or_default()
        ),
    }
}

pub fn welcome_back(lang: Lang, name: &str, role: Role) -> String {
    match lang {
        Lang::Id => format!(
            "Halo lagi, {}. Anda terdaftar sebagai <b>{}</b>. Ketik /help untuk melihat perintah Anda.",
            esc(name),
            role_name(lang, role)
        ),
        Lang::En => format!(
            "Hello again, {}. You are registered as <b>{}</b>. Send /help to see your commands.",
            esc(name),
            role_name(lang, role)
        ),
    }
}

pub fn invitation_unknown(lang: Lang) -> String {
    pick(
        lang,
        "Tautan undangan ini tidak dikenal. Periksa kembali tautannya, atau minta undangan baru kepada Biro HOKH.",
        "This invitation link is not known. Check the link, or ask the Bureau (Biro HOKH) for a new invitation.",
    )
}

pub fn invitation_expired(lang: Lang) -> String {
    pick(
        lang,
        "Undangan ini sudah kedaluwarsa. Minta undangan baru kepada Biro HOKH atau koordinator unit Anda.",
        "This invitation has expired. Ask the Bureau (Biro HOKH) or your unit coordinator for a new one.",
    )
}

pub fn invitation_used_up(lang: Lang) -> String {
    pick(
        lang,
        "Undangan ini sudah dipakai sampai batasnya. Minta undangan baru kepada Biro HOKH atau koordinator unit Anda.",
        "This invitation has already been used as many times as allowed. Ask the Bureau (Biro HOKH) or your unit coordinator for a new one.",
    )
}

pub fn invitation_revoked(lang: Lang) -> String {
    pick(
        lang,
        "Undangan ini sudah dicabut. Minta undangan baru kepada Biro HOKH.",
        "This invitation has been revoked. Ask the Bureau (Biro HOKH) for a new one.",
    )
}

// ---- everyone -------------------------------------------------------------------------------

pub fn help(lang: Lang, role: Role, commands: &[(&str, &str)]) -> String {
    let header = match lang {
        Lang::Id => format!("Perintah untuk <b>{}</b>:", role_name(lang, role)),
        Lang::En => format!("Commands for <b>{}</b>:", role_name(lang, role)),
    };
    let lines: Vec<String> = commands
        .iter()
        .map(|(name, description)| format!("/{name} — {}", esc(description)))
        .collect();
    format!("{header}\n{}", lines.join("\n"))
}

pub fn whoami(
    lang: Lang,
    name: &str,
    telegram_id: i64,
    role: Role,
    unit: Option<(&str, &str)>,
) -> String {
    let unit = unit
        .map(|(code, name)| format!("{} — {}", esc(code), esc(name)))
        .unwrap_or_else(|| "—".into());
    match lang {
        Lang::Id => format!(
            "Nama: {}\nID Telegram: <code>{telegram_id}</code>\nPeran: {}\nUnit: {unit}\nBahasa: Indonesia",
            esc(name),
            role_name(lang, role)
        ),
        Lang::En => format!(
            "Name: {}\nTelegram id: <code>{telegram_id}</code>\nRole: {}\nUnit: {unit}\nLanguage: English",
            esc(name),
            role_name(lang, role)
        ),
    }
}

pub fn choose_language(lang: Lang) -> String {
    pick(lang, "Pilih bahasa:", "Choose a language:")
}

pub fn language_set(lang: Lang) -> String {
    pick(
        lang,
        "Baik, saya akan berbahasa Indonesia.",
        "Fine, I will speak English.",
    )
}

// ---- bureau: units ------------------------------------------------------------------------

pub fn units_list(lang: Lang, units: &[(String, String)]) -> String {
    let usage = units_usage(lang);
    if units.is_empty() {
        return format!(
            "{}\n\n{usage}",
            pick(
                lang,
                "Belum ada unit kerja.",
                "There are no work units yet."
            )
        );
    }
    let lines: Vec<String> = units
        .iter()
        .map(|(code, name)| format!("• <code>{}</code> — {}", esc(code), esc(name)))
        .collect();
    let header = pick(lang, "Unit kerja:", "Work units:");
    format!("{header}\n{}\n\n{usage}", lines.join("\n"))
}

pub fn units_usage(lang: Lang) -> String {
    pick(
        lang,
        "Menambah unit: <code>/units add KODE Nama unit</code>, misalnya <code>/units add PUSDATIN Pusat Data dan Informasi</code>",
        "To add a unit: <code>/units add CODE Unit name</code>, e.g. <code>/units add PUSDATIN Pusat Data dan Informasi</code>",
    )
}

pub fn unit_added(lang: Lang, code: &str, name: &str) -> String {
    match lang {
        Lang::Id => format!(
            "Unit <code>{}</code> — {} ditambahkan.",
            esc(code),
            esc(name)
        ),
        Lang::En => format!("Unit <code>{}</code> — {} added.", esc(code), esc(name)),
    }
}

pub fn unit_exists(lang: Lang, code: &str) -> String {
    match lang {
        Lang::Id => format!("Unit dengan kode <code>{}</code> sudah ada.", esc(code)),
        Lang::En => format!(
            "A unit with code <code>{}</code> already exists.",
            esc(code)
        ),
    }
}

pub fn unit_unknown(lang: Lang, code: &str) -> String {
    // What was typed for a code can be as long as a whole message.
    let code = &shorten(code, 40);
    match lang {
        Lang::Id => format!(
            "Unit <code>{}</code> tidak ditemukan. Lihat daftar unit dengan /units.",
            esc(code)
        ),
        Lang::En => format!(
            "Unit <code>{}</code> was not found. See the units with /units.",
            esc(code)
        ),
    }
}

pub fn bad_unit_input(lang: Lang) -> String {
    pick(
        lang,
        "Kode unit 2–24 huruf, angka, '-' atau '_', dan nama unit 2–120 karakter. Contoh: <code>/units add UPT-ACEH UPT Perpustakaan Proklamator Bung Hatta</code>",
        "A unit code is 2–24 letters, digits, '-' or '_', and a unit name is 2–120 characters. Example: <code>/units add UPT-ACEH UPT Perpustakaan Proklamator Bung Hatta</code>",
    )
}

// ---- bureau: invitations ------------------------------------------------------------------

pub fn invite_choose_role(lang: Lang) -> String {
    pick(
        lang,
        "Undangan untuk peran apa?",
        "Which role is the invitation for?",
    )
}

pub fn invite_choose_unit(lang: Lang, role: Role) -> String {
    match lang {
        Lang::Id => format!("Unit mana untuk {}?", role_name(lang, role)),
        Lang::En => format!("Which unit is the {} in?", role_name(lang, role)),
    }
}

pub fn invite_needs_units(lang: Lang) -> String {
    pick(
        lang,
        "Belum ada unit kerja. Tambahkan dulu dengan <code>/units add KODE Nama unit</code>.",
        "There are no work units yet. Add one first with <code>/units add CODE Unit name</code>.",
    )
}

pub fn invite_usage(lang: Lang) -> String {
    pick(
        lang,
        "Format: <code>/invite PERAN KODE_UNIT [jumlah_pakai] [masa_berlaku]</code>, misalnya <code>/invite staff PUSDATIN 5 7d</code>. Peran: staff, coordinator, bureau (tanpa unit). Atau ketik /invite saja dan pilih dengan tombol.",
        "Format: <code>/invite ROLE UNIT_CODE [uses] [lifetime]</code>, e.g. <code>/invite staff PUSDATIN 5 7d</code>. Roles: staff, coordinator, bureau (no unit). Or send just /invite and choose with the buttons.",
    )
}

pub fn invitation_created(
    lang: Lang,
    link: &str,
    role: Role,
    unit: Option<&str>,
    uses: u32,
    expires: &str,
) -> String {
    let unit = unit.map(esc).unwrap_or_else(|| "—".into());
    match lang {
        Lang::Id => format!(
            "Undangan untuk <b>{}</b>, unit {unit}, berlaku {uses}× sampai {expires}.\nKirimkan tautan ini kepada orangnya; ia cukup membukanya dan menekan Start:\n{}",
            role_name(lang, role),
            esc(link)
        ),
        Lang::En => format!(
            "Invitation for <b>{}</b>, unit {unit}, valid for {uses} use(s) until {expires}.\nSend this link to the person; they open it and press Start:\n{}",
            role_name(lang, role),
            esc(link)
        ),
    }
}

pub fn invitations_list(lang: Lang, lines: &[String]) -> String {
    if lines.is_empty() {
        return pick(
            lang,
            "Tidak ada undangan yang masih berlaku.",
            "There are no open invitations.",
        );
    }
    let header = pick(
        lang,
        "Undangan yang masih berlaku (tekan untuk mencabut):",
        "Open invitations (tap to revoke):",
    );
    format!("{header}\n{}", lines.join("\n"))
}

pub fn invitation_line(
    lang: Lang,
    id: i64,
    role: Role,
    unit: Option<&str>,
    uses: u32,
    max_uses: u32,
    expires: &str,
) -> String {
    let unit = unit.map(esc).unwrap_or_else(|| "—".into());
    match lang {
        Lang::Id => format!(
            "#{id} · {} · {unit} · dipakai {uses}/{max_uses} · sampai {expires}",
            role_name(lang, role)
        ),
        Lang::En => format!(
            "#{id} · {} · {unit} · used {uses}/{max_uses} · until {expires}",
            role_name(lang, role)
        ),
    }
}

pub fn revoke_button(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Id => format!("Cabut #{id}"),
        Lang::En => format!("Revoke #{id}"),
    }
}

pub fn invitation_revoked_ok(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Id => format!("Undangan #{id} dicabut; tautannya tidak bisa dipakai lagi."),
        Lang::En => format!("Invitation #{id} revoked; its link can no longer be used."),
    }
}

// ---- bureau: people -------------------------------------------------------------------------

pub fn user_usage(lang: Lang) -> String {
    pick(
        lang,
        "Format:\n<code>/user ID role PERAN [KODE_UNIT]</code> — ubah peran/unit\n<code>/user ID unit KODE_UNIT</code> — pindah unit\n<code>/user ID deactivate</code> — nonaktifkan\n<code>/user ID activate</code> — aktifkan lagi\nID adalah ID Telegram (lihat /users) atau @username. Contoh: <code>/user 123456789 role coordinator PUSDATIN</code>",
        "Format:\n<code>/user ID role ROLE [UNIT_CODE]</code> — change role/unit\n<code>/user ID unit UNIT_CODE</code> — move to another unit\n<code>/user ID deactivate</code> — deactivate\n<code>/user ID activate</code> — activate again\nID is the Telegram id (see /users) or @username. Example: <code>/user 123456789 role coordinator PUSDATIN</code>",
    )
}

pub fn users_list(lang: Lang, lines: &[String]) -> String {
    if lines.is_empty() {
        return pick(lang, "Belum ada pengguna.", "There are no users yet.");
    }
    let header = pick(lang, "Pengguna:", "Users:");
    format!("{header}\n{}\n\n{}", lines.join("\n"), user_usage(lang))
}

pub fn user_line(
    lang: Lang,
    name: &str,
    telegram_id: i64,
    role: Role,
    unit: Option<&str>,
    active: bool,
) -> String {
    let status = match (active, lang) {
        (true, _) => "",
        (false, Lang::Id) => " · <i>nonaktif</i>",
        (false, Lang::En) => " · <i>inactive</i>",
    };
    format!(
        "• {} · <code>{telegram_id}</code> · {} · {}{status}",
        esc(if name.is_empty() { "?" } else { name }),
        role_name(lang, role),
        esc(unit.unwrap_or("—"))
    )
}

pub fn user_unknown(lang: Lang, handle: &str) -> String {
    let handle = &shorten(handle, 40);
    match lang {
        Lang::Id => format!(
            "Pengguna {} tidak ditemukan. Lihat daftar dengan /users.",
            esc(handle)
        ),
        Lang::En => format!(
            "User {} was not found. See the list with /users.",
            esc(handle)
        ),
    }
}

pub fn user_updated(
    lang: Lang,
    name: &str,
    role: Role,
    unit: Option<&str>,
    active: bool,
) -> String {
    let unit = esc(unit.unwrap_or("—"));
    match lang {
        Lang::Id => format!(
            "{} sekarang: {} · unit {unit} · {}.",
            esc(name),
            role_name(lang, role),
            if active { "aktif" } else { "nonaktif" }
        ),
        Lang::En => format!(
            "{} is now: {} · unit {unit} · {}.",
            esc(name),
            role_name(lang, role),
            if active { "active" } else { "inactive" }
        ),
    }
}

pub fn your_role_changed(lang: Lang, role: Role, unit: Option<&str>) -> String {
    let unit = esc(unit.unwrap_or("—"));
    match lang {
        Lang::Id => format!(
            "Peran Anda diubah oleh Biro HOKH menjadi <b>{}</b> (unit {unit}). Ketik /help untuk melihat perintah Anda.",
            role_name(lang, role)
        ),
        Lang::En => format!(
            "The Bureau changed your role to <b>{}</b> (unit {unit}). Send /help to see your commands.",
            role_name(lang, role)
        ),
    }
}

pub fn cannot_change_self(lang: Lang) -> String {
    pick(
        lang,
        "Anda tidak bisa mengubah peran atau menonaktifkan diri sendiri; minta anggota Biro HOKH lain.",
        "You cannot change your own role or deactivate yourself; ask another Bureau member.",
    )
}

// ---- the questionnaire -------------------------------------------------------------------------

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

fn pick_static(lang: Lang, id: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
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

pub fn item_heading(label: &str, number: u16) -> String {
    format!("{} {number}", esc(label))
}

pub fn optional_mark(lang: Lang) -> &'static str {
    pick_static(lang, "(opsional)", "(optional)")
}

pub fn multi_message_hint(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Jawaban panjang boleh dikirim dalam beberapa pesan; tekan <b>Selesai</b> jika sudah.",
        "A long answer may come in several messages; press <b>Done</b> when finished.",
    )
}

pub fn file_hint(lang: Lang, kinds: &str, max_mb: f64, min: u32, max: u32) -> String {
    let count = if min == max {
        format!("{min}")
    } else {
        format!("{min}–{max}")
    };
    match lang {
        Lang::Id => format!("Kirim {kinds}; maksimal {max_mb} MB per file, {count} file."),
        Lang::En => format!("Send {kinds}; at most {max_mb} MB per file, {count} file(s)."),
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

pub fn multi_choice_hint(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Pilih satu atau lebih, lalu tekan <b>Selesai</b>.",
        "Pick one or more, then press <b>Done</b>.",
    )
}

pub fn contact_hint(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Tekan tombol di bawah untuk membagikan kontak dari buku telepon, atau ketik nama dan nomornya, misalnya: Budi Santoso, 0812-3456-7890.",
        "Press the button below to share a contact from your phone book, or type the name and number, e.g.: Budi Santoso, 0812-3456-7890.",
    )
}

pub fn share_contact_button(lang: Lang) -> &'static str {
    pick_static(lang, "📱 Bagikan kontak", "📱 Share a contact")
}

pub fn current_answer(lang: Lang, value: &str) -> String {
    match lang {
        Lang::Id => format!("Jawaban tersimpan: <i>{}</i>", esc(&shorten(value, 300))),
        Lang::En => format!("Saved answer: <i>{}</i>", esc(&shorten(value, 300))),
    }
}

pub fn saved(lang: Lang, value: &str) -> String {
    match lang {
        Lang::Id => format!("✅ Tersimpan: {}", esc(&shorten(value, 120))),
        Lang::En => format!("✅ Saved: {}", esc(&shorten(value, 120))),
    }
}

pub fn draft_part_saved(lang: Lang, words: usize, max_words: Option<u32>) -> String {
    let limit = max_words.map(|max| format!("/{max}")).unwrap_or_default();
    match lang {
        Lang::Id => format!(
            "📝 Bagian teks tersimpan — sejauh ini {words}{limit} kata. Kirim lanjutannya, atau tekan <b>Selesai</b>."
        ),
        Lang::En => format!(
            "📝 Part saved — {words}{limit} words so far. Send the next part, or press <b>Done</b>."
        ),
    }
}

pub fn draft_cleared(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "🗑 Draf teks dihapus. Kirim jawabannya dari awal.",
        "🗑 Draft cleared. Send the answer again from the start.",
    )
}

pub fn file_saved(lang: Lang, count: u32, max: u32) -> String {
    match lang {
        Lang::Id => format!("📎 File tersimpan ({count}/{max})."),
        Lang::En => format!("📎 File saved ({count}/{max})."),
    }
}

pub fn file_duplicate(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "File yang sama sudah tersimpan untuk pertanyaan ini.",
        "The same file is already saved for this question.",
    )
}

pub fn file_not_downloadable(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "File ini tidak bisa diambil dari Telegram (file lebih dari 20 MB tidak dapat diunduh bot). Kecilkan filenya, atau unggah ke Google Drive dan kirim tautannya.",
        "This file cannot be fetched from Telegram (bots cannot download files over 20 MB). Make it smaller, or upload it to Google Drive and send the link.",
    )
}

pub fn file_download_failed(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Maaf, file belum berhasil diambil dari Telegram dan belum tersimpan. Silakan kirim ulang file tersebut.",
        "Sorry, the file could not be fetched from Telegram and was not saved. Please send it again.",
    )
}

pub fn files_needed(lang: Lang, have: u32, need: u32) -> String {
    match lang {
        Lang::Id => format!("Baru {have} file; pertanyaan ini memerlukan minimal {need} file."),
        Lang::En => format!("Only {have} file(s) so far; this question needs at least {need}."),
    }
}

pub fn required_cannot_skip(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Pertanyaan ini wajib dijawab dan tidak bisa dilewati.",
        "This question is required and cannot be skipped.",
    )
}

pub fn add_another(lang: Lang, item_label: &str, items: u16) -> String {
    match lang {
        Lang::Id => format!(
            "Sudah ada {items} {}. Tambah {} lagi?",
            esc(item_label),
            esc(item_label)
        ),
        Lang::En => format!(
            "There are {items} {} so far. Add another {}?",
            esc(item_label),
            esc(item_label)
        ),
    }
}

pub fn all_answered(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "🎉 Semua pertanyaan wajib sudah terjawab. Periksa ringkasannya dengan /review, lalu kirim dengan /submit.",
        "🎉 Every required question is answered. Check the summary with /review, then send it with /submit.",
    )
}

pub fn paused(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "⏸ Dijeda. Semua jawaban sudah tersimpan; lanjutkan kapan saja lewat /list.",
        "⏸ Paused. Every answer is saved; carry on any time from /list.",
    )
}

pub fn question_changed(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Kuesioner telah diperbarui; kita lanjut dari pertanyaan berikut.",
        "The questionnaire has been updated; let us go on from the next question.",
    )
}

pub fn cap_reached(lang: Lang, cap: u32) -> String {
    match lang {
        Lang::Id => format!(
            "Batas {cap} inovasi untuk seluruh Perpusnas sudah tercapai, jadi inovasi baru belum bisa dibuat. Hubungi Biro HOKH jika perlu."
        ),
        Lang::En => format!(
            "The agency-wide limit of {cap} innovations has been reached, so no new innovation can be started. Contact the Bureau (Biro HOKH) if needed."
        ),
    }
}

pub fn innovation_started(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Id => format!(
            "Inovasi baru #{id} dibuat. Kita mulai; jawaban tersimpan setiap kali Anda menjawab."
        ),
        Lang::En => {
            format!("New innovation #{id} started. Let us begin; each answer is saved as you go.")
        }
    }
}

pub fn no_unit(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Akun Anda belum terhubung dengan unit kerja. Minta Biro HOKH mengatur unit Anda.",
        "Your account is not linked to a work unit yet. Ask the Bureau (Biro HOKH) to set your unit.",
    )
}

pub fn list_header(lang: Lang, scope: &str) -> String {
    match lang {
        Lang::Id => format!("Inovasi {}:", esc(scope)),
        Lang::En => format!("Innovations of {}:", esc(scope)),
    }
}

pub fn all_units(lang: Lang) -> &'static str {
    pick_static(lang, "semua unit", "all units")
}

pub fn list_empty(lang: Lang, can_create: bool) -> String {
    let base = pick(lang, "Belum ada inovasi.", "No innovations yet.");
    if can_create {
        format!(
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
) -> String {
    format!(
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

pub fn choose_innovation(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Inovasi yang mana? Pilih di bawah, atau tulis nomornya, misalnya /review 3.",
        "Which innovation? Choose below, or type its number, e.g. /review 3.",
    )
}

/// Why the [policy](crate::policy) refused `act` on innovation `id`, as a sentence.
pub fn refusal(lang: Lang, act: Act, refusal: Refusal, id: i64, bureau: bool) -> String {
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

pub fn button_not_allowed(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Tombol ini tidak tersedia untuk peran Anda. Ketik /help untuk melihat perintah Anda.",
        "This button is not available for your role. Send /help to see your commands.",
    )
}

/// `/reopen` of an innovation the bureau selected for KIPP: who can, and how.
pub fn reopen_selected(lang: Lang, id: i64, bureau: bool) -> String {
    match (lang, bureau) {
        (Lang::Id, false) => format!(
            "Inovasi #{id} sudah dipilih Biro HOKH untuk KIPP, jadi tidak bisa dibuka kembali dari unit. Hanya Biro HOKH yang dapat membatalkan pilihan itu (<code>/unselect {id}</code>) lalu membukanya kembali; hubungi Biro HOKH bila ada yang perlu diubah."
        ),
        (Lang::En, false) => format!(
            "Innovation #{id} has been selected by the Bureau for KIPP, so it cannot be reopened by the unit. Only the Bureau can take the selection back (<code>/unselect {id}</code>) and then reopen it; contact the Bureau if something needs changing."
        ),
        (Lang::Id, true) => format!(
            "Inovasi #{id} sedang dipilih untuk KIPP. Batalkan dulu pilihannya dengan <code>/unselect {id}</code> (selama tenggat pemilihan belum lewat), lalu <code>/reopen {id}</code>."
        ),
        (Lang::En, true) => format!(
            "Innovation #{id} is selected for KIPP. First take the selection back with <code>/unselect {id}</code> (while the selection deadline has not passed), then <code>/reopen {id}</code>."
        ),
    }
}

pub fn innovation_not_found(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Inovasi itu tidak ada atau bukan milik unit Anda. Lihat daftar dengan /list.",
        "That innovation does not exist or is not your unit's. See the list with /list.",
    )
}

pub fn read_only(lang: Lang, state: InnovationState) -> String {
    match lang {
        Lang::Id => format!(
            "Inovasi ini berstatus <b>{}</b> dan tidak bisa diubah. Koordinator unit atau Biro HOKH dapat membukanya kembali (/reopen).",
            state_name(lang, state)
        ),
        Lang::En => format!(
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
) -> String {
    match lang {
        Lang::Id => format!(
            "<b>Ringkasan inovasi #{id}: {}</b>\nStatus: {} · {percent}% lengkap",
            esc(title),
            state_name(lang, state)
        ),
        Lang::En => format!(
            "<b>Summary of innovation #{id}: {}</b>\nState: {} · {percent}% complete",
            esc(title),
            state_name(lang, state)
        ),
    }
}

pub fn review_files(lang: Lang, count: u32) -> String {
    match lang {
        Lang::Id => format!("📎 {count} file"),
        Lang::En => format!("📎 {count} file(s)"),
    }
}

pub fn not_answered(lang: Lang) -> &'static str {
    pick_static(lang, "belum diisi", "not answered")
}

pub fn edit_hint(lang: Lang) -> &'static str {
    pick_static(
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

pub fn file_removed(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "🗑 File dihapus dari bukti.",
        "🗑 File removed from the evidence.",
    )
}

pub fn missing_list(lang: Lang, items: &[String]) -> String {
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
    format!("{header}\n{}", lines.join("\n"))
}

pub fn cannot_submit(lang: Lang, items: &[String]) -> String {
    let intro = pick(
        lang,
        "Belum bisa dikirim: masih ada yang wajib belum lengkap.",
        "It cannot be submitted yet: required items are missing.",
    );
    format!("{intro}\n{}", missing_list(lang, items))
}

pub fn submitted(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Id => format!(
            "📤 Inovasi #{id} terkirim. Sekarang hanya bisa dibaca sampai koordinator atau Biro HOKH membukanya kembali."
        ),
        Lang::En => format!(
            "📤 Innovation #{id} submitted. It is read-only now until a coordinator or the Bureau reopens it."
        ),
    }
}

pub fn submitted_notice(lang: Lang, id: i64, title: &str, by: &str) -> String {
    match lang {
        Lang::Id => format!(
            "📥 Inovasi #{id} <b>{}</b> dikirim oleh {} dan menunggu tinjauan.",
            esc(title),
            esc(by)
        ),
        Lang::En => format!(
            "📥 Innovation #{id} <b>{}</b> was submitted by {} and awaits review.",
            esc(title),
            esc(by)
        ),
    }
}

pub fn reopened(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Id => format!("🔓 Inovasi #{id} dibuka kembali sebagai draf."),
        Lang::En => format!("🔓 Innovation #{id} reopened as a draft."),
    }
}

pub fn reopen_usage(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Format: <code>/reopen NOMOR</code>, misalnya <code>/reopen 3</code>. Hanya inovasi yang sudah dikirim yang bisa dibuka kembali.",
        "Format: <code>/reopen NUMBER</code>, e.g. <code>/reopen 3</code>. Only submitted innovations can be reopened.",
    )
}

// ---- review and selection ----------------------------------------------------------------------

pub fn last_change(lang: Lang, actor: &str, at: &str) -> String {
    match lang {
        Lang::Id => format!(" · oleh {} {}", esc(actor), esc(at)),
        Lang::En => format!(" · by {} {}", esc(actor), esc(at)),
    }
}

pub fn history_header(lang: Lang) -> &'static str {
    pick_static(lang, "Riwayat status:", "State history:")
}

pub fn history_line(
    lang: Lang,
    at: &str,
    actor: &str,
    to: InnovationState,
    comment: Option<&str>,
) -> String {
    let mut line = format!("• {} · {} · {}", esc(at), state_name(lang, to), esc(actor));
    if let Some(comment) = comment.filter(|c| !c.trim().is_empty()) {
        line.push_str(&format!(
            "\n  <i>{}</i>",
            esc(&shorten(&one_line(comment), 300))
        ));
    }
    line
}

pub fn review_panel(lang: Lang, id: i64, state: InnovationState) -> String {
    match lang {
        Lang::Id => format!(
            "<b>Tinjauan inovasi #{id}</b> · status: <b>{}</b>",
            state_name(lang, state)
        ),
        Lang::En => format!(
            "<b>Review of innovation #{id}</b> · state: <b>{}</b>",
            state_name(lang, state)
        ),
    }
}

pub fn selection_count(lang: Lang, selected: u32, cap: u32) -> String {
    match lang {
        Lang::Id => format!("Terpilih untuk KIPP: {selected} dari maksimal {cap}."),
        Lang::En => format!("Selected for KIPP: {selected} of at most {cap}."),
    }
}

pub fn button_approve(lang: Lang) -> &'static str {
    pick_static(lang, "✅ Setujui", "✅ Approve")
}

pub fn button_send_back(lang: Lang) -> &'static str {
    pick_static(lang, "↩️ Kembalikan", "↩️ Send back")
}

pub fn button_select(lang: Lang) -> &'static str {
    pick_static(lang, "⭐ Pilih untuk KIPP", "⭐ Select for KIPP")
}

pub fn button_unselect(lang: Lang) -> &'static str {
    pick_static(lang, "✖️ Batalkan pilihan", "✖️ Take back the selection")
}

pub fn button_proposal(lang: Lang) -> &'static str {
    pick_static(lang, "📄 Draf proposal", "📄 Proposal draft")
}

pub fn button_comment(label: &str) -> String {
    format!("💬 {}", shorten(label, 40))
}

pub fn button_send_comments(lang: Lang, count: usize) -> String {
    match lang {
        Lang::Id => format!("📨 Kirim ke unit ({count} komentar)"),
        Lang::En => format!("📨 Send to the unit ({count} comment(s))"),
    }
}

pub fn button_cancel_send_back(lang: Lang) -> &'static str {
    pick_static(lang, "✖️ Batal", "✖️ Cancel")
}

pub fn button_fix(label: &str) -> String {
    format!("✏️ {}", shorten(label, 40))
}

pub fn review_not_allowed(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Hanya koordinator unit ini dan Biro HOKH yang dapat meninjau inovasi.",
        "Only this unit's coordinator and the Bureau can review innovations.",
    )
}

pub fn not_reviewable(lang: Lang, state: InnovationState) -> String {
    match lang {
        Lang::Id => format!(
            "Inovasi ini berstatus <b>{}</b>: hanya inovasi yang sudah dikirim yang bisa disetujui atau dikembalikan.",
            state_name(lang, state)
        ),
        Lang::En => format!(
            "This innovation is <b>{}</b>: only submitted innovations can be approved or sent back.",
            state_name(lang, state)
        ),
    }
}

pub fn send_back_compose(lang: Lang, id: i64, drafted: &[(String, String)]) -> String {
    let intro = match lang {
        Lang::Id => format!(
            "↩️ <b>Mengembalikan inovasi #{id}</b>\nPilih pertanyaan yang perlu diperbaiki, lalu tulis komentarnya. Ulangi untuk pertanyaan lain, lalu tekan <b>Kirim ke unit</b>."
        ),
        Lang::En => format!(
            "↩️ <b>Sending innovation #{id} back</b>\nPick a question that needs work, then type your comment. Repeat for other questions, then press <b>Send to the unit</b>."
        ),
    };
    if drafted.is_empty() {
        return intro;
    }
    let header = pick(lang, "Komentar sejauh ini:", "Comments so far:");
    let lines: Vec<String> = drafted
        .iter()
        .map(|(label, comment)| format!("• <b>{}</b>: {}", esc(label), comment_line(comment)))
        .collect();
    format!("{intro}\n\n{header}\n{}", lines.join("\n"))
}

pub fn write_comment_for(lang: Lang, label: &str) -> String {
    match lang {
        Lang::Id => format!(
            "💬 Tulis komentar untuk <b>{}</b> dalam satu pesan, misalnya: tambahkan data sebelum/sesudah.",
            esc(label)
        ),
        Lang::En => format!(
            "💬 Type your comment on <b>{}</b> in one message, e.g.: add before/after figures.",
            esc(label)
        ),
    }
}

pub fn comment_saved(lang: Lang, label: &str) -> String {
    match lang {
        Lang::Id => format!("💬 Komentar untuk <b>{}</b> disimpan.", esc(label)),
        Lang::En => format!("💬 Comment on <b>{}</b> saved.", esc(label)),
    }
}

pub fn no_comments_yet(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Belum ada komentar. Pilih pertanyaan dan tulis komentarnya dulu.",
        "No comment yet. Pick a question and type your comment first.",
    )
}

pub fn send_back_cancelled(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Pengembalian dibatalkan; komentar yang belum dikirim dihapus.",
        "Send-back cancelled; the unsent comments were dropped.",
    )
}

pub fn sent_back_ok(lang: Lang, id: i64, count: usize) -> String {
    match lang {
        Lang::Id => format!(
            "↩️ Inovasi #{id} dikembalikan ke unit dengan {count} komentar. Anda akan diberi tahu saat dikirim ulang."
        ),
        Lang::En => format!(
            "↩️ Innovation #{id} sent back to the unit with {count} comment(s). You will be told when it is resubmitted."
        ),
    }
}

pub fn sent_back_notice(
    lang: Lang,
    id: i64,
    title: &str,
    reviewer: &str,
    comments: &[(String, String)],
) -> String {
    let lines: Vec<String> = comments
        .iter()
        .map(|(label, comment)| format!("• <b>{}</b>: {}", esc(label), comment_line(comment)))
        .collect();
    match lang {
        Lang::Id => format!(
            "↩️ Inovasi #{id} <b>{}</b> dikembalikan oleh {} untuk diperbaiki:\n{}\n\nTekan tombol untuk memperbaiki jawaban, lalu kirim ulang dengan /submit {id}.",
            esc(title),
            esc(reviewer),
            lines.join("\n")
        ),
        Lang::En => format!(
            "↩️ Innovation #{id} <b>{}</b> was sent back by {} for changes:\n{}\n\nPress a button to fix an answer, then resubmit with /submit {id}.",
            esc(title),
            esc(reviewer),
            lines.join("\n")
        ),
    }
}

pub fn reviewer_comment(lang: Lang, author: &str, comment: &str) -> String {
    match lang {
        Lang::Id => format!(
            "💬 <i>Catatan peninjau ({}): {}</i>",
            esc(author),
            comment_line(comment)
        ),
        Lang::En => format!(
            "💬 <i>Reviewer's note ({}): {}</i>",
            esc(author),
            comment_line(comment)
        ),
    }
}

/// A reviewer's comment on one line (long listings are split at line ends, never inside a
/// tag) and never longer than a comment may be typed.
fn comment_line(comment: &str) -> String {
    esc(&shorten(&one_line(comment), MAX_COMMENT_CHARS))
}

/// The longest comment a reviewer may type on one question: the most Telegram lets anyone type
/// in one message (longer texts only come from forged updates). Long lists of comments go out
/// in several messages.
pub const MAX_COMMENT_CHARS: usize = 4096;

pub fn comment_too_long(lang: Lang, count: usize) -> String {
    match lang {
        Lang::Id => format!(
            "❗ Komentar terlalu panjang ({count} karakter, paling banyak {MAX_COMMENT_CHARS}). Persingkat, lalu kirim lagi."
        ),
        Lang::En => format!(
            "❗ That comment is too long ({count} characters, at most {MAX_COMMENT_CHARS}). Shorten it and send it again."
        ),
    }
}

pub fn resubmitted_notice(lang: Lang, id: i64, title: &str, by: &str) -> String {
    match lang {
        Lang::Id => format!(
            "🔁 Inovasi #{id} <b>{}</b> yang Anda kembalikan sudah diperbaiki dan dikirim ulang oleh {}. Tinjau dengan /review {id}.",
            esc(title),
            esc(by)
        ),
        Lang::En => format!(
            "🔁 Innovation #{id} <b>{}</b>, which you sent back, was fixed and resubmitted by {}. Review it with /review {id}.",
            esc(title),
            esc(by)
        ),
    }
}

pub fn approved_ok(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Id => format!("✅ Inovasi #{id} disetujui."),
        Lang::En => format!("✅ Innovation #{id} approved."),
    }
}

pub fn approved_notice(lang: Lang, id: i64, title: &str, by: &str) -> String {
    match lang {
        Lang::Id => format!(
            "✅ Inovasi #{id} <b>{}</b> disetujui oleh {}.",
            esc(title),
            esc(by)
        ),
        Lang::En => format!(
            "✅ Innovation #{id} <b>{}</b> was approved by {}.",
            esc(title),
            esc(by)
        ),
    }
}

pub fn selected_ok(lang: Lang, id: i64, selected: u32, cap: u32) -> String {
    match lang {
        Lang::Id => {
            format!("⭐ Inovasi #{id} terpilih untuk KIPP ({selected} dari maksimal {cap}).")
        }
        Lang::En => format!("⭐ Innovation #{id} selected for KIPP ({selected} of at most {cap})."),
    }
}

pub fn unselected_ok(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Id => format!("Pilihan inovasi #{id} dibatalkan; statusnya kembali disetujui."),
        Lang::En => format!("Innovation #{id} is no longer selected; it is approved again."),
    }
}

pub fn select_cap_reached(lang: Lang, cap: u32) -> String {
    match lang {
        Lang::Id => format!(
            "❗ Sudah {cap} inovasi terpilih, batas maksimal KIPP untuk Perpusnas ({cap}). Batalkan pilihan lain dulu (/unselect NOMOR)."
        ),
        Lang::En => format!(
            "❗ {cap} innovations are already selected, the KIPP limit for Perpusnas ({cap}). Take back another selection first (/unselect NUMBER)."
        ),
    }
}

pub fn select_not_approved(lang: Lang, state: InnovationState) -> String {
    match lang {
        Lang::Id => format!(
            "Inovasi ini berstatus <b>{}</b>: hanya inovasi yang disetujui yang bisa dipilih, dan hanya yang terpilih yang bisa dibatalkan.",
            state_name(lang, state)
        ),
        Lang::En => format!(
            "This innovation is <b>{}</b>: only approved innovations can be selected, and only selected ones taken back.",
            state_name(lang, state)
        ),
    }
}

pub fn selection_closed(lang: Lang, deadline: &str) -> String {
    match lang {
        Lang::Id => format!(
            "Batas waktu ({}) sudah lewat: pilihan untuk KIPP tidak bisa diubah lagi.",
            esc(deadline)
        ),
        Lang::En => format!(
            "The deadline ({}) has passed: the KIPP selection can no longer be changed.",
            esc(deadline)
        ),
    }
}

pub fn select_usage(lang: Lang, command: &str) -> String {
    match lang {
        Lang::Id => {
            format!("Format: <code>/{command} NOMOR</code>, misalnya <code>/{command} 3</code>.")
        }
        Lang::En => {
            format!("Format: <code>/{command} NUMBER</code>, e.g. <code>/{command} 3</code>.")
        }
    }
}

// ---- exports -----------------------------------------------------------------------------------

pub fn export_choose(lang: Lang, scope: &str) -> String {
    match lang {
        Lang::Id => format!(
            "Ekspor data inovasi {} (hanya baca). Pilih format:",
            esc(scope)
        ),
        Lang::En => format!(
            "Export the innovations of {} (read-only). Choose a format:",
            esc(scope)
        ),
    }
}

pub fn export_button(lang: Lang, format: crate::export::Format) -> &'static str {
    use crate::export::Format;
    match format {
        Format::Xlsx => "📊 Excel (XLSX)",
        Format::Csv => "🧾 CSV (ZIP)",
        Format::Json => "🔧 JSON",
        Format::Zip => pick_static(lang, "📦 Arsip bukti (ZIP)", "📦 Evidence archive (ZIP)"),
    }
}

pub fn export_usage(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Format: <code>/export [xlsx|csv|json|zip] [status]</code>, misalnya <code>/export xlsx approved</code>, atau /export saja untuk memilih dengan tombol.",
        "Format: <code>/export [xlsx|csv|json|zip] [state]</code>, e.g. <code>/export xlsx approved</code>, or just /export to choose with buttons.",
    )
}

pub fn export_working(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "⏳ Menyiapkan file ekspor…",
        "⏳ Preparing the export…",
    )
}

pub fn export_caption(lang: Lang, scope: &str, count: usize) -> String {
    match lang {
        Lang::Id => format!("Ekspor {}: {count} inovasi.", esc(scope)),
        Lang::En => format!("Export of {}: {count} innovation(s).", esc(scope)),
    }
}

pub fn export_too_large(lang: Lang, path: &str, megabytes: u64) -> String {
    match lang {
        Lang::Id => format!(
            "📦 File ekspor berukuran {megabytes} MB, melebihi batas Telegram 50 MB, jadi tidak bisa dikirim lewat chat. File tersimpan di server:\n<code>{}</code>\nMinta admin server mengambilnya.",
            esc(path)
        ),
        Lang::En => format!(
            "📦 The export is {megabytes} MB, over Telegram's 50 MB limit, so it cannot be sent in the chat. It is saved on the server:\n<code>{}</code>\nAsk the server admin to fetch it.",
            esc(path)
        ),
    }
}

pub fn proposal_usage(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Format: <code>/proposal NOMOR</code>, misalnya <code>/proposal 3</code>.",
        "Format: <code>/proposal NUMBER</code>, e.g. <code>/proposal 3</code>.",
    )
}

pub fn proposal_caption(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Id => format!("📄 Draf proposal inovasi #{id}"),
        Lang::En => format!("📄 Proposal draft of innovation #{id}"),
    }
}

pub fn unexpected_input(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Saya belum bisa membaca pesan jenis ini. Ketik /help untuk melihat perintah.",
        "I cannot read this kind of message. Send /help to see the commands.",
    )
}

pub fn button_back(lang: Lang) -> &'static str {
    pick_static(lang, "⬅️ Kembali", "⬅️ Back")
}

pub fn button_skip(lang: Lang) -> &'static str {
    pick_static(lang, "⏭ Lewati", "⏭ Skip")
}

pub fn button_pause(lang: Lang) -> &'static str {
    pick_static(lang, "⏸ Jeda", "⏸ Pause")
}

pub fn button_done(lang: Lang) -> &'static str {
    pick_static(lang, "✔️ Selesai", "✔️ Done")
}

pub fn button_restart_text(lang: Lang) -> &'static str {
    pick_static(lang, "🗑 Ulangi teks", "🗑 Start the text again")
}

pub fn button_yes(lang: Lang) -> &'static str {
    pick_static(lang, "Ya", "Yes")
}

pub fn button_no(lang: Lang) -> &'static str {
    pick_static(lang, "Tidak", "No")
}

pub fn button_add_more(lang: Lang) -> &'static str {
    pick_static(lang, "➕ Ya, tambah", "➕ Yes, add one")
}

pub fn button_no_more(lang: Lang) -> &'static str {
    pick_static(lang, "➡️ Tidak, lanjut", "➡️ No, go on")
}

pub fn button_review(lang: Lang) -> &'static str {
    pick_static(lang, "📋 Periksa", "📋 Review")
}

/// Every run of whitespace, line breaks included, as one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters, with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

// ---- deadlines, reminders, digests, broadcasts ---------------------------------------------------

/// "3 hari", "5 jam", "20 menit" (rounded down; at least a minute).
pub fn time_left(lang: Lang, left: chrono::Duration) -> String {
    let minutes = left.num_minutes().max(1);
    let (amount, unit_id, unit_en) = if minutes >= 24 * 60 {
        (minutes / (24 * 60), "hari", "day(s)")
    } else if minutes >= 60 {
        (minutes / 60, "jam", "hour(s)")
    } else {
        (minutes, "menit", "minute(s)")
    };
    match lang {
        Lang::Id => format!("{amount} {unit_id}"),
        Lang::En => format!("{amount} {unit_en}"),
    }
}

pub fn reminder_header(lang: Lang, deadline: &str, left: &str) -> String {
    match lang {
        Lang::Id => format!("⏰ <b>Pengingat KIPP</b>: tenggat {deadline} — tinggal {left} lagi."),
        Lang::En => format!("⏰ <b>KIPP reminder</b>: the deadline is {deadline} — {left} left."),
    }
}

pub fn reminder_innovation(lang: Lang, id: i64, title: &str, missing: &[String]) -> String {
    let shown: Vec<String> = missing
        .iter()
        .take(8)
        .map(|item| format!("• {}", esc(item)))
        .collect();
    let more = missing.len().saturating_sub(shown.len());
    let more = match (more, lang) {
        (0, _) => String::new(),
        (n, Lang::Id) => format!("\n• … dan {n} lainnya"),
        (n, Lang::En) => format!("\n• … and {n} more"),
    };
    match lang {
        Lang::Id => format!(
            "Inovasi #{id} <b>{}</b> belum lengkap:\n{}{more}",
            esc(title),
            shown.join("\n")
        ),
        Lang::En => format!(
            "Innovation #{id} <b>{}</b> is not complete yet:\n{}{more}",
            esc(title),
            shown.join("\n")
        ),
    }
}

pub fn reminder_nothing_started(lang: Lang, unit: &str) -> String {
    match lang {
        Lang::Id => format!(
            "Unit <b>{}</b> belum memulai inovasi apa pun. Mulai sekarang dengan /new.",
            esc(unit)
        ),
        Lang::En => format!(
            "Unit <b>{}</b> has not started any innovation yet. Start one now with /new.",
            esc(unit)
        ),
    }
}

pub fn deadline_line(lang: Lang, deadline: Option<&str>, days: Option<i64>) -> String {
    match (deadline, days, lang) {
        (None, _, Lang::Id) => "Tenggat belum ditetapkan.".into(),
        (None, _, Lang::En) => "No deadline has been set.".into(),
        (Some(at), Some(days), Lang::Id) if days < 0 => format!("Tenggat {at} sudah lewat."),
        (Some(at), Some(days), Lang::En) if days < 0 => format!("The deadline {at} has passed."),
        (Some(at), Some(days), Lang::Id) => format!("Tenggat: {at} — {days} hari lagi."),
        (Some(at), Some(days), Lang::En) => format!("Deadline: {at} — {days} day(s) left."),
        (Some(at), None, Lang::Id) => format!("Tenggat: {at}."),
        (Some(at), None, Lang::En) => format!("Deadline: {at}."),
    }
}

pub fn deadline_usage(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Format: <code>/deadline 2026-06-03 23:59</code> untuk semua unit, atau <code>/deadline PUSDATIN 2026-06-10 16:00</code> untuk satu unit (<code>/deadline PUSDATIN hapus</code> mengembalikan ke tenggat umum). Waktu dalam zona waktu bot.",
        "Format: <code>/deadline 2026-06-03 23:59</code> for every unit, or <code>/deadline PUSDATIN 2026-06-10 16:00</code> for one unit (<code>/deadline PUSDATIN clear</code> goes back to the general deadline). Times are in the bot's time zone.",
    )
}

pub fn deadline_set(lang: Lang, scope: &str, at: &str) -> String {
    match lang {
        Lang::Id => format!("Tenggat {} ditetapkan: {at}.", esc(scope)),
        Lang::En => format!("Deadline for {} set: {at}.", esc(scope)),
    }
}

pub fn deadline_cleared(lang: Lang, unit: &str) -> String {
    match lang {
        Lang::Id => format!("Unit {} kembali memakai tenggat umum.", esc(unit)),
        Lang::En => format!("Unit {} follows the general deadline again.", esc(unit)),
    }
}

pub fn everyone(lang: Lang) -> &'static str {
    pick_static(lang, "semua unit", "every unit")
}

pub fn digest_title(lang: Lang, scope: &str, date: &str) -> String {
    match lang {
        Lang::Id => format!("📊 <b>Ringkasan KIPP {}</b> — {date}", esc(scope)),
        Lang::En => format!("📊 <b>KIPP digest for {}</b> — {date}", esc(scope)),
    }
}

pub fn digest_counts(lang: Lang, draft: u32, complete: u32, submitted: u32) -> String {
    match lang {
        Lang::Id => {
            format!("Draf: {draft} · Lengkap (belum dikirim): {complete} · Dikirim: {submitted}")
        }
        Lang::En => {
            format!("Draft: {draft} · Complete (not sent): {complete} · Submitted: {submitted}")
        }
    }
}

pub fn digest_innovation(
    lang: Lang,
    id: i64,
    title: &str,
    state: InnovationState,
    percent: u8,
    missing: &[String],
) -> String {
    let mut line = format!(
        "• #{id} <b>{}</b> — {} · {percent}%",
        esc(&shorten(title, 60)),
        state_name(lang, state)
    );
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(3).map(|m| esc(m)).collect();
        let more = missing.len().saturating_sub(3);
        let label = match lang {
            Lang::Id => "kurang",
            Lang::En => "missing",
        };
        line.push_str(&format!("\n   {label}: {}", shown.join("; ")));
        if more > 0 {
            line.push_str(&format!(" (+{more})"));
        }
    }
    line
}

pub fn digest_stale(lang: Lang, id: i64, by: &str, days: i64) -> String {
    match lang {
        Lang::Id => format!(
            "• #{id} tidak disentuh {days} hari (terakhir oleh {})",
            esc(by)
        ),
        Lang::En => format!("• #{id} untouched for {days} days (last by {})", esc(by)),
    }
}

pub fn digest_stale_header(lang: Lang, days: u32) -> String {
    match lang {
        Lang::Id => format!("Draf yang tidak disentuh ≥ {days} hari:"),
        Lang::En => format!("Drafts untouched for ≥ {days} days:"),
    }
}

pub fn digest_nothing(lang: Lang) -> &'static str {
    pick_static(lang, "Belum ada inovasi.", "No innovations yet.")
}

pub fn digest_unit_line(
    lang: Lang,
    unit: &str,
    draft: u32,
    complete: u32,
    submitted: u32,
    percent: u8,
) -> String {
    match lang {
        Lang::Id => format!(
            "• <b>{}</b>: {draft} draf · {complete} lengkap · {submitted} dikirim · rata-rata {percent}%",
            esc(unit)
        ),
        Lang::En => format!(
            "• <b>{}</b>: {draft} draft · {complete} complete · {submitted} submitted · average {percent}%",
            esc(unit)
        ),
    }
}

pub fn chart_labels(lang: Lang, date: &str, days: Option<i64>) -> ChartLabels {
    let left = match (days, lang) {
        (Some(days), Lang::Id) if days >= 0 => format!(" — {days} hari menuju tenggat"),
        (Some(days), Lang::En) if days >= 0 => format!(" — {days} day(s) to the deadline"),
        _ => String::new(),
    };
    match lang {
        Lang::Id => ChartLabels {
            title: format!("Kemajuan KIPP per unit, {date}{left}"),
            draft: "Draf".into(),
            complete: "Lengkap".into(),
            submitted: "Dikirim".into(),
            percent_axis: "Rata-rata kelengkapan (%)".into(),
        },
        Lang::En => ChartLabels {
            title: format!("KIPP progress per unit, {date}{left}"),
            draft: "Draft".into(),
            complete: "Complete".into(),
            submitted: "Submitted".into(),
            percent_axis: "Average completion (%)".into(),
        },
    }
}

pub fn broadcast_ask_text(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "📣 Tulis isi pengumuman dalam satu pesan. Ketik /cancel untuk batal.",
        "📣 Write the announcement in one message. Send /cancel to give up.",
    )
}

/// The longest announcement, in characters as Telegram counts them (UTF-16 units): the most
/// Telegram lets anyone type in one message. With its heading it may need two messages; the
/// client and the outbox send it in parts (see `telegram::split`).
pub const MAX_BROADCAST_CHARS: usize = 4096;

pub fn broadcast_too_long(lang: Lang, count: usize) -> String {
    match lang {
        Lang::Id => format!(
            "❗ Pengumuman terlalu panjang ({count} karakter, paling banyak {MAX_BROADCAST_CHARS}). Persingkat, lalu kirim lagi, atau ketik /cancel untuk batal."
        ),
        Lang::En => format!(
            "❗ The announcement is too long ({count} characters, at most {MAX_BROADCAST_CHARS}). Shorten it and send it again, or send /cancel to give up."
        ),
    }
}

pub fn broadcast_choose_audience(lang: Lang) -> &'static str {
    pick_static(lang, "Kirim ke siapa?", "Who should receive it?")
}

pub fn audience_everyone(lang: Lang) -> &'static str {
    pick_static(lang, "👥 Semua pengguna", "👥 Everyone")
}

pub fn audience_units(lang: Lang) -> &'static str {
    pick_static(lang, "🏢 Unit tertentu…", "🏢 Some units…")
}

pub fn audience_incomplete(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "⏳ Staf yang inovasinya belum lengkap",
        "⏳ Staff with incomplete innovations",
    )
}

pub fn audience_coordinators(lang: Lang) -> &'static str {
    pick_static(lang, "🧭 Koordinator", "🧭 Coordinators")
}

pub fn broadcast_choose_units(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Pilih unit (tekan lagi untuk membatalkan pilihan), lalu tekan Selesai.",
        "Pick the units (press again to unpick), then press Done.",
    )
}

pub fn broadcast_preview(lang: Lang, body: &str, recipients: usize) -> String {
    match lang {
        Lang::Id => format!(
            "Pratinjau pengumuman:\n\n{}\n\n<b>Penerima: {recipients} orang.</b> Kirim sekarang?",
            esc(body)
        ),
        Lang::En => format!(
            "Preview:\n\n{}\n\n<b>Recipients: {recipients}.</b> Send now?",
            esc(body)
        ),
    }
}

pub fn broadcast_no_recipients(lang: Lang) -> &'static str {
    pick_static(
        lang,
        "Tidak ada penerima untuk pilihan ini. Pilih penerima lain.",
        "Nobody matches this choice. Choose other recipients.",
    )
}

pub fn button_send(lang: Lang) -> &'static str {
    pick_static(lang, "📤 Kirim", "📤 Send")
}

pub fn button_cancel(lang: Lang) -> &'static str {
    pick_static(lang, "✖️ Batal", "✖️ Cancel")
}

pub fn broadcast_cancelled(lang: Lang) -> &'static str {
    pick_static(lang, "Pengumuman dibatalkan.", "Announcement cancelled.")
}

pub fn broadcast_progress(
    lang: Lang,
    id: i64,
    counts: crate::storage::DeliveryCounts,
    total: i64,
) -> String {
    let done = counts
        .sent
        .saturating_add(counts.failed)
        .saturating_add(counts.blocked);
    match lang {
        Lang::Id => format!(
            "📣 Pengumuman #{id}: {done}/{total} diproses — {} terkirim, {} gagal, {} memblokir bot.",
            counts.sent, counts.failed, counts.blocked
        ),
        Lang::En => format!(
            "📣 Announcement #{id}: {done}/{total} processed — {} delivered, {} failed, {} blocked the bot.",
            counts.sent, counts.failed, counts.blocked
        ),
    }
}

pub fn broadcast_report(lang: Lang, id: i64, counts: crate::storage::DeliveryCounts) -> String {
    match lang {
        Lang::Id => format!(
            "✅ Pengumuman #{id} selesai: {} terkirim, {} gagal, {} memblokir bot.",
            counts.sent, counts.failed, counts.blocked
        ),
        Lang::En => format!(
            "✅ Announcement #{id} finished: {} delivered, {} failed, {} blocked the bot.",
            counts.sent, counts.failed, counts.blocked
        ),
    }
}

pub fn cancelled(lang: Lang) -> &'static str {
    pick_static(lang, "Dibatalkan.", "Cancelled.")
}

/// What a broadcast recipient sees: the bureau's text, escaped, under a short header.
pub fn broadcast_message(lang: Lang, body: &str) -> String {
    let header = pick_static(
        lang,
        "📣 <b>Pengumuman Biro HOKH</b>",
        "📣 <b>Announcement from the Bureau</b>",
    );
    format!("{header}\n\n{}", esc(body))
}

/// Texts drawn on the chart, in the caller's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartLabels {
    /// First line(s) of the image; carries the date and the days left.
    pub title: String,
    /// Legend and column header for the draft count.
    pub draft: String,
    /// Legend and column header for the complete count.
    pub complete: String,
    /// Legend and column header for the submitted count.
    pub submitted: String,
    /// Legend entry and axis caption for the percent bars.
    pub percent_axis: String,
}
