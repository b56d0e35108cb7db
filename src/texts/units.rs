//! The bureau's work units.

use super::*;

pub fn units_list(lang: Lang, units: &[(String, String)]) -> Html {
    let usage = units_usage(lang);
    if units.is_empty() {
        return html!(
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
    html!("{header}\n{}\n\n{usage}", lines.join("\n"))
}

pub fn units_usage(lang: Lang) -> Html {
    pick(
        lang,
        "Menambah unit: <code>/units add KODE Nama unit</code>, misalnya <code>/units add PUSDATIN Pusat Data dan Informasi</code>",
        "To add a unit: <code>/units add CODE Unit name</code>, e.g. <code>/units add PUSDATIN Pusat Data dan Informasi</code>",
    )
}

pub fn unit_added(lang: Lang, code: &str, name: &str) -> Html {
    match lang {
        Lang::Id => html!(
            "Unit <code>{}</code> — {} ditambahkan.",
            esc(code),
            esc(name)
        ),
        Lang::En => html!("Unit <code>{}</code> — {} added.", esc(code), esc(name)),
    }
}

pub fn unit_exists(lang: Lang, code: &str) -> Html {
    match lang {
        Lang::Id => html!("Unit dengan kode <code>{}</code> sudah ada.", esc(code)),
        Lang::En => html!(
            "A unit with code <code>{}</code> already exists.",
            esc(code)
        ),
    }
}

pub fn unit_unknown(lang: Lang, code: &str) -> Html {
    // What was typed for a code can be as long as a whole message.
    let code = &shorten(code, 40);
    match lang {
        Lang::Id => html!(
            "Unit <code>{}</code> tidak ditemukan. Lihat daftar unit dengan /units.",
            esc(code)
        ),
        Lang::En => html!(
            "Unit <code>{}</code> was not found. See the units with /units.",
            esc(code)
        ),
    }
}

pub fn bad_unit_input(lang: Lang) -> Html {
    pick(
        lang,
        "Kode unit 2–24 huruf, angka, '-' atau '_', dan nama unit 2–120 karakter. Contoh: <code>/units add UPT-ACEH UPT Perpustakaan Proklamator Bung Hatta</code>",
        "A unit code is 2–24 letters, digits, '-' or '_', and a unit name is 2–120 characters. Example: <code>/units add UPT-ACEH UPT Perpustakaan Proklamator Bung Hatta</code>",
    )
}
