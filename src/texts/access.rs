//! Who may do what: refusals and their reasons.

use super::*;

pub fn stranger(lang: Lang) -> Html {
    pick(
        lang,
        "Maaf, bot ini hanya untuk staf Perpustakaan Nasional yang diundang. Untuk ikut, minta tautan undangan kepada koordinator KIPP unit Anda atau Biro HOKH.",
        "Sorry, this bot is only for invited staff of the National Library (Perpusnas). To join, ask your unit's KIPP coordinator or the Bureau (Biro HOKH) for an invitation link.",
    )
}

pub fn private_chat_only(lang: Lang) -> Html {
    pick(
        lang,
        "Saya hanya melayani lewat chat pribadi. Buka chat dengan saya dan ketik /start.",
        "I only work in a private chat. Open a chat with me and send /start.",
    )
}

pub fn not_allowed(lang: Lang, command: &str) -> Html {
    let command = &shorten(command, 40);
    match lang {
        Lang::Id => html!(
            "Perintah /{} tidak tersedia untuk peran Anda. Ketik /help untuk melihat perintah Anda.",
            esc(command)
        ),
        Lang::En => html!(
            "The command /{} is not available for your role. Send /help to see your commands.",
            esc(command)
        ),
    }
}

pub fn unknown_command(lang: Lang, command: &str) -> Html {
    // A typed name can be as long as a whole message.
    let command = &shorten(command, 40);
    match lang {
        Lang::Id => html!(
            "Perintah /{} tidak dikenal. Ketik /help untuk melihat perintah yang tersedia.",
            esc(command)
        ),
        Lang::En => html!(
            "Unknown command /{}. Send /help to see the available commands.",
            esc(command)
        ),
    }
}

pub fn nothing_pending(lang: Lang) -> Html {
    pick(
        lang,
        "Tidak ada pertanyaan yang sedang menunggu jawaban. Ketik /help untuk melihat apa yang bisa saya bantu.",
        "No question is waiting for an answer. Send /help to see what I can do.",
    )
}

pub fn edited_message_ignored(lang: Lang) -> Html {
    pick(
        lang,
        "Pesan yang diedit tidak mengubah jawaban yang sudah tersimpan. Untuk mengubah jawaban, buka /review lalu pilih pertanyaannya.",
        "Editing a message does not change a saved answer. To change an answer, open /review and pick the question.",
    )
}

pub fn internal_error(lang: Lang) -> Html {
    pick(
        lang,
        "Maaf, ada gangguan sementara. Jawaban yang sudah saya konfirmasi tetap aman; silakan coba lagi sebentar lagi.",
        "Sorry, something went wrong on my side. Answers I have confirmed are safe; please try again in a moment.",
    )
}

/// A caught panic: this one message was set aside; everything confirmed before is safe.
pub fn update_failed(lang: Lang) -> Html {
    pick(
        lang,
        "Maaf, pesan atau tombol terakhir Anda tidak dapat saya proses karena kesalahan di pihak saya, dan sudah saya catat untuk tim teknis. Jawaban yang sudah saya konfirmasi tetap aman. Silakan lanjutkan, misalnya dengan /review atau /help.",
        "Sorry, I could not handle your last message or button because of an error on my side; it has been logged for the technical team. Answers I have confirmed are safe. Please carry on, e.g. with /review or /help.",
    )
}

pub fn stale_button(lang: Lang) -> Html {
    pick(
        lang,
        "Tombol ini sudah tidak berlaku.",
        "This button is no longer valid.",
    )
}
