//! Exports and proposal drafts.

use super::*;

pub fn export_choose(lang: Lang, scope: &str) -> Html {
    match lang {
        Lang::Id => html!(
            "Ekspor data inovasi {} (hanya baca). Pilih format:",
            esc(scope)
        ),
        Lang::En => html!(
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

pub fn export_usage(lang: Lang) -> Html {
    pick(
        lang,
        "Format: <code>/export [xlsx|csv|json|zip] [status]</code>, misalnya <code>/export xlsx approved</code>, atau /export saja untuk memilih dengan tombol.",
        "Format: <code>/export [xlsx|csv|json|zip] [state]</code>, e.g. <code>/export xlsx approved</code>, or just /export to choose with buttons.",
    )
}

pub fn export_working(lang: Lang) -> Html {
    pick(
        lang,
        "⏳ Menyiapkan file ekspor…",
        "⏳ Preparing the export…",
    )
}

pub fn export_caption(lang: Lang, scope: &str, count: usize) -> Html {
    match lang {
        Lang::Id => html!("Ekspor {}: {count} inovasi.", esc(scope)),
        Lang::En => html!("Export of {}: {count} innovation(s).", esc(scope)),
    }
}

pub fn export_too_large(lang: Lang, path: &str, megabytes: u64) -> Html {
    match lang {
        Lang::Id => html!(
            "📦 File ekspor berukuran {megabytes} MB, melebihi batas Telegram 50 MB, jadi tidak bisa dikirim lewat chat. File tersimpan di server:\n<code>{}</code>\nMinta admin server mengambilnya.",
            esc(path)
        ),
        Lang::En => html!(
            "📦 The export is {megabytes} MB, over Telegram's 50 MB limit, so it cannot be sent in the chat. It is saved on the server:\n<code>{}</code>\nAsk the server admin to fetch it.",
            esc(path)
        ),
    }
}

pub fn proposal_usage(lang: Lang) -> Html {
    pick(
        lang,
        "Format: <code>/proposal NOMOR</code>, misalnya <code>/proposal 3</code>.",
        "Format: <code>/proposal NUMBER</code>, e.g. <code>/proposal 3</code>.",
    )
}

pub fn proposal_caption(lang: Lang, id: i64) -> Html {
    match lang {
        Lang::Id => html!("📄 Draf proposal inovasi #{id}"),
        Lang::En => html!("📄 Proposal draft of innovation #{id}"),
    }
}

pub fn unexpected_input(lang: Lang) -> Html {
    pick(
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

/// At most `max` characters, with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}
