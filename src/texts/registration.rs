//! Invitations used, welcomes, strangers.

use super::*;

pub fn registered(lang: Lang, name: &str, role: Role, unit: Option<&str>) -> Html {
    let unit = unit.map(esc);
    match lang {
        Lang::Id => html!(
            "Selamat datang, {}! Anda terdaftar sebagai <b>{}</b>{}.\nKetik /help untuk melihat perintah Anda.",
            esc(name),
            role_name(lang, role),
            unit.map(|u| format!(" di unit <b>{u}</b>"))
                .unwrap_or_default()
        ),
        Lang::En => html!(
            "Welcome, {}! You are registered as <b>{}</b>{}.\nSend /help to see your commands.",
            esc(name),
            role_name(lang, role),
            unit.map(|u| format!(" in unit <b>{u}</b>"))
                .unwrap_or_default()
        ),
    }
}

pub fn welcome_back(lang: Lang, name: &str, role: Role) -> Html {
    match lang {
        Lang::Id => html!(
            "Halo lagi, {}. Anda terdaftar sebagai <b>{}</b>. Ketik /help untuk melihat perintah Anda.",
            esc(name),
            role_name(lang, role)
        ),
        Lang::En => html!(
            "Hello again, {}. You are registered as <b>{}</b>. Send /help to see your commands.",
            esc(name),
            role_name(lang, role)
        ),
    }
}

pub fn invitation_unknown(lang: Lang) -> Html {
    pick(
        lang,
        "Tautan undangan ini tidak dikenal. Periksa kembali tautannya, atau minta undangan baru kepada Biro HOKH.",
        "This invitation link is not known. Check the link, or ask the Bureau (Biro HOKH) for a new invitation.",
    )
}

pub fn invitation_expired(lang: Lang) -> Html {
    pick(
        lang,
        "Undangan ini sudah kedaluwarsa. Minta undangan baru kepada Biro HOKH atau koordinator unit Anda.",
        "This invitation has expired. Ask the Bureau (Biro HOKH) or your unit coordinator for a new one.",
    )
}

pub fn invitation_used_up(lang: Lang) -> Html {
    pick(
        lang,
        "Undangan ini sudah dipakai sampai batasnya. Minta undangan baru kepada Biro HOKH atau koordinator unit Anda.",
        "This invitation has already been used as many times as allowed. Ask the Bureau (Biro HOKH) or your unit coordinator for a new one.",
    )
}

pub fn invitation_revoked(lang: Lang) -> Html {
    pick(
        lang,
        "Undangan ini sudah dicabut. Minta undangan baru kepada Biro HOKH.",
        "This invitation has been revoked. Ask the Bureau (Biro HOKH) for a new one.",
    )
}
