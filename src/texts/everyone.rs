//! What every registered person sees: help, whoami, language.

use super::*;

pub fn help(lang: Lang, role: Role, commands: &[(&str, &str)]) -> Html {
    let header = match lang {
        Lang::Id => html!("Perintah untuk <b>{}</b>:", role_name(lang, role)),
        Lang::En => html!("Commands for <b>{}</b>:", role_name(lang, role)),
    };
    let lines: Vec<String> = commands
        .iter()
        .map(|(name, description)| format!("/{name} — {}", esc(description)))
        .collect();
    html!("{header}\n{}", lines.join("\n"))
}

pub fn whoami(
    lang: Lang,
    name: &str,
    telegram_id: i64,
    role: Role,
    unit: Option<(&str, &str)>,
) -> Html {
    let unit = unit
        .map(|(code, name)| format!("{} — {}", esc(code), esc(name)))
        .unwrap_or_else(|| "—".into());
    match lang {
        Lang::Id => html!(
            "Nama: {}\nID Telegram: <code>{telegram_id}</code>\nPeran: {}\nUnit: {unit}\nBahasa: Indonesia",
            esc(name),
            role_name(lang, role)
        ),
        Lang::En => html!(
            "Name: {}\nTelegram id: <code>{telegram_id}</code>\nRole: {}\nUnit: {unit}\nLanguage: English",
            esc(name),
            role_name(lang, role)
        ),
    }
}

pub fn choose_language(lang: Lang) -> Html {
    pick(lang, "Pilih bahasa:", "Choose a language:")
}

pub fn language_set(lang: Lang) -> Html {
    pick(
        lang,
        "Baik, saya akan berbahasa Indonesia.",
        "Fine, I will speak English.",
    )
}
