//! Review, send back with comments, approval and selection.

use super::*;
use crate::domain::InnovationState;

pub fn last_change(lang: Lang, actor: &str, at: &str) -> Html {
    match lang {
        Lang::Id => html!(" · oleh {} {}", esc(actor), esc(at)),
        Lang::En => html!(" · by {} {}", esc(actor), esc(at)),
    }
}

pub fn history_header(lang: Lang) -> Html {
    pick(lang, "Riwayat status:", "State history:")
}

pub fn history_line(
    lang: Lang,
    at: &str,
    actor: &str,
    to: InnovationState,
    comment: Option<&str>,
) -> Html {
    let mut line = html!("• {} · {} · {}", esc(at), state_name(lang, to), esc(actor));
    if let Some(comment) = comment.filter(|c| !c.trim().is_empty()) {
        line.push(&html!(
            "\n  <i>{}</i>",
            esc(&shorten(&one_line(comment), 300))
        ));
    }
    line
}

pub fn review_panel(lang: Lang, id: i64, state: InnovationState) -> Html {
    match lang {
        Lang::Id => html!(
            "<b>Tinjauan inovasi #{id}</b> · status: <b>{}</b>",
            state_name(lang, state)
        ),
        Lang::En => html!(
            "<b>Review of innovation #{id}</b> · state: <b>{}</b>",
            state_name(lang, state)
        ),
    }
}

pub fn selection_count(lang: Lang, selected: u32, cap: u32) -> Html {
    match lang {
        Lang::Id => html!("Terpilih untuk KIPP: {selected} dari maksimal {cap}."),
        Lang::En => html!("Selected for KIPP: {selected} of at most {cap}."),
    }
}

/// Under [`selection_count`] when the cap is split by group: the innovation's group.
pub fn group_selection_count(lang: Lang, group: &str, selected: u32, cap: u32) -> Html {
    match lang {
        Lang::Id => html!("Kelompok {}: {selected} dari maksimal {cap}.", esc(group)),
        Lang::En => html!("Group {}: {selected} of at most {cap}.", esc(group)),
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

pub fn review_not_allowed(lang: Lang) -> Html {
    pick(
        lang,
        "Hanya koordinator unit ini dan Biro HOKH yang dapat meninjau inovasi.",
        "Only this unit's coordinator and the Bureau can review innovations.",
    )
}

pub fn not_reviewable(lang: Lang, state: InnovationState) -> Html {
    match lang {
        Lang::Id => html!(
            "Inovasi ini berstatus <b>{}</b>: hanya inovasi yang sudah dikirim yang bisa disetujui atau dikembalikan.",
            state_name(lang, state)
        ),
        Lang::En => html!(
            "This innovation is <b>{}</b>: only submitted innovations can be approved or sent back.",
            state_name(lang, state)
        ),
    }
}

pub fn send_back_compose(lang: Lang, id: i64, drafted: &[(String, String)]) -> Html {
    let intro = match lang {
        Lang::Id => html!(
            "↩️ <b>Mengembalikan inovasi #{id}</b>\nPilih pertanyaan yang perlu diperbaiki, lalu tulis komentarnya. Ulangi untuk pertanyaan lain, lalu tekan <b>Kirim ke unit</b>."
        ),
        Lang::En => html!(
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
    html!("{intro}\n\n{header}\n{}", lines.join("\n"))
}

pub fn write_comment_for(lang: Lang, label: &str) -> Html {
    match lang {
        Lang::Id => html!(
            "💬 Tulis komentar untuk <b>{}</b> dalam satu pesan, misalnya: tambahkan data sebelum/sesudah.",
            esc(label)
        ),
        Lang::En => html!(
            "💬 Type your comment on <b>{}</b> in one message, e.g.: add before/after figures.",
            esc(label)
        ),
    }
}

pub fn comment_saved(lang: Lang, label: &str) -> Html {
    match lang {
        Lang::Id => html!("💬 Komentar untuk <b>{}</b> disimpan.", esc(label)),
        Lang::En => html!("💬 Comment on <b>{}</b> saved.", esc(label)),
    }
}

pub fn no_comments_yet(lang: Lang) -> Html {
    pick(
        lang,
        "Belum ada komentar. Pilih pertanyaan dan tulis komentarnya dulu.",
        "No comment yet. Pick a question and type your comment first.",
    )
}

pub fn send_back_cancelled(lang: Lang) -> Html {
    pick(
        lang,
        "Pengembalian dibatalkan; komentar yang belum dikirim dihapus.",
        "Send-back cancelled; the unsent comments were dropped.",
    )
}

pub fn sent_back_ok(lang: Lang, id: i64, count: usize) -> Html {
    match lang {
        Lang::Id => html!(
            "↩️ Inovasi #{id} dikembalikan ke unit dengan {count} komentar. Anda akan diberi tahu saat dikirim ulang."
        ),
        Lang::En => html!(
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
) -> Html {
    let lines: Vec<String> = comments
        .iter()
        .map(|(label, comment)| format!("• <b>{}</b>: {}", esc(label), comment_line(comment)))
        .collect();
    match lang {
        Lang::Id => html!(
            "↩️ Inovasi #{id} <b>{}</b> dikembalikan oleh {} untuk diperbaiki:\n{}\n\nTekan tombol untuk memperbaiki jawaban, lalu kirim ulang dengan /submit {id}.",
            esc(title),
            esc(reviewer),
            lines.join("\n")
        ),
        Lang::En => html!(
            "↩️ Innovation #{id} <b>{}</b> was sent back by {} for changes:\n{}\n\nPress a button to fix an answer, then resubmit with /submit {id}.",
            esc(title),
            esc(reviewer),
            lines.join("\n")
        ),
    }
}

pub fn reviewer_comment(lang: Lang, author: &str, comment: &str) -> Html {
    match lang {
        Lang::Id => html!(
            "💬 <i>Catatan peninjau ({}): {}</i>",
            esc(author),
            comment_line(comment)
        ),
        Lang::En => html!(
            "💬 <i>Reviewer's note ({}): {}</i>",
            esc(author),
            comment_line(comment)
        ),
    }
}

/// The longest comment a reviewer may type on one question: the most Telegram lets anyone type
/// in one message (longer texts only come from forged updates). Long lists of comments go out
/// in several messages.
pub const MAX_COMMENT_CHARS: usize = 4096;

pub fn comment_too_long(lang: Lang, count: usize) -> Html {
    match lang {
        Lang::Id => html!(
            "❗ Komentar terlalu panjang ({count} karakter, paling banyak {MAX_COMMENT_CHARS}). Persingkat, lalu kirim lagi."
        ),
        Lang::En => html!(
            "❗ That comment is too long ({count} characters, at most {MAX_COMMENT_CHARS}). Shorten it and send it again."
        ),
    }
}

pub fn resubmitted_notice(lang: Lang, id: i64, title: &str, by: &str) -> Html {
    match lang {
        Lang::Id => html!(
            "🔁 Inovasi #{id} <b>{}</b> yang Anda kembalikan sudah diperbaiki dan dikirim ulang oleh {}. Tinjau dengan /review {id}.",
            esc(title),
            esc(by)
        ),
        Lang::En => html!(
            "🔁 Innovation #{id} <b>{}</b>, which you sent back, was fixed and resubmitted by {}. Review it with /review {id}.",
            esc(title),
            esc(by)
        ),
    }
}

pub fn approved_ok(lang: Lang, id: i64) -> Html {
    match lang {
        Lang::Id => html!("✅ Inovasi #{id} disetujui."),
        Lang::En => html!("✅ Innovation #{id} approved."),
    }
}

pub fn approved_notice(lang: Lang, id: i64, title: &str, by: &str) -> Html {
    match lang {
        Lang::Id => html!(
            "✅ Inovasi #{id} <b>{}</b> disetujui oleh {}.",
            esc(title),
            esc(by)
        ),
        Lang::En => html!(
            "✅ Innovation #{id} <b>{}</b> was approved by {}.",
            esc(title),
            esc(by)
        ),
    }
}

pub fn selected_ok(lang: Lang, id: i64, selected: u32, cap: u32) -> Html {
    match lang {
        Lang::Id => {
            html!("⭐ Inovasi #{id} terpilih untuk KIPP ({selected} dari maksimal {cap}).")
        }
        Lang::En => html!("⭐ Innovation #{id} selected for KIPP ({selected} of at most {cap})."),
    }
}

pub fn unselected_ok(lang: Lang, id: i64) -> Html {
    match lang {
        Lang::Id => html!("Pilihan inovasi #{id} dibatalkan; statusnya kembali disetujui."),
        Lang::En => html!("Innovation #{id} is no longer selected; it is approved again."),
    }
}

pub fn select_cap_reached(lang: Lang, cap: u32) -> Html {
    match lang {
        Lang::Id => html!(
            "❗ Sudah {cap} inovasi terpilih, batas maksimal KIPP untuk Perpusnas ({cap}). Batalkan pilihan lain dulu (/unselect NOMOR)."
        ),
        Lang::En => html!(
            "❗ {cap} innovations are already selected, the KIPP limit for Perpusnas ({cap}). Take back another selection first (/unselect NUMBER)."
        ),
    }
}

/// The group's share of the selection is full (the cap split by kelompok).
pub fn select_group_full(lang: Lang, group: &str, cap: u32) -> Html {
    let group = esc(group);
    match lang {
        Lang::Id => html!(
            "❗ Kelompok <b>{group}</b> sudah mencapai batasnya: {cap} inovasi terpilih. Batalkan pilihan lain di kelompok ini dulu (/unselect NOMOR)."
        ),
        Lang::En => html!(
            "❗ The <b>{group}</b> group has reached its limit: {cap} innovations selected. Take back another selection in this group first (/unselect NUMBER)."
        ),
    }
}

pub fn select_not_approved(lang: Lang, state: InnovationState) -> Html {
    match lang {
        Lang::Id => html!(
            "Inovasi ini berstatus <b>{}</b>: hanya inovasi yang disetujui yang bisa dipilih, dan hanya yang terpilih yang bisa dibatalkan.",
            state_name(lang, state)
        ),
        Lang::En => html!(
            "This innovation is <b>{}</b>: only approved innovations can be selected, and only selected ones taken back.",
            state_name(lang, state)
        ),
    }
}

pub fn selection_closed(lang: Lang, deadline: &str) -> Html {
    match lang {
        Lang::Id => html!(
            "Batas waktu (penutupan nasional SINOVIK, {}) sudah lewat: pilihan untuk KIPP tidak bisa diubah lagi.",
            esc(deadline)
        ),
        Lang::En => html!(
            "The deadline (SINOVIK's national close, {}) has passed: the KIPP selection can no longer be changed.",
            esc(deadline)
        ),
    }
}

pub fn select_usage(lang: Lang, command: &str) -> Html {
    match lang {
        Lang::Id => {
            html!("Format: <code>/{command} NOMOR</code>, misalnya <code>/{command} 3</code>.")
        }
        Lang::En => {
            html!("Format: <code>/{command} NUMBER</code>, e.g. <code>/{command} 3</code>.")
        }
    }
}
