//! The bureau's list of people and their roles.

use super::*;

pub fn user_usage(lang: Lang) -> Html {
    pick(
        lang,
        "Format:\n<code>/user ID role PERAN [KODE_UNIT]</code> — ubah peran/unit\n<code>/user ID unit KODE_UNIT</code> — pindah unit\n<code>/user ID deactivate</code> — nonaktifkan\n<code>/user ID activate</code> — aktifkan lagi\nID adalah ID Telegram (lihat /users) atau @username. Contoh: <code>/user 123456789 role coordinator PUSDATIN</code>",
        "Format:\n<code>/user ID role ROLE [UNIT_CODE]</code> — change role/unit\n<code>/user ID unit UNIT_CODE</code> — move to another unit\n<code>/user ID deactivate</code> — deactivate\n<code>/user ID activate</code> — activate again\nID is the Telegram id (see /users) or @username. Example: <code>/user 123456789 role coordinator PUSDATIN</code>",
    )
}

pub fn users_list(lang: Lang, lines: &[Html]) -> Html {
    if lines.is_empty() {
        return pick(lang, "Belum ada pengguna.", "There are no users yet.");
    }
    let header = pick(lang, "Pengguna:", "Users:");
    html!(
        "{header}\n{}\n\n{}",
        Html::join(lines, "\n"),
        user_usage(lang)
    )
}

pub fn user_line(
    lang: Lang,
    name: &str,
    telegram_id: i64,
    role: Role,
    unit: Option<&str>,
    active: bool,
) -> Html {
    let status = match (active, lang) {
        (true, _) => "",
        (false, Lang::Id) => " · <i>nonaktif</i>",
        (false, Lang::En) => " · <i>inactive</i>",
    };
    html!(
        "• {} · <code>{telegram_id}</code> · {} · {}{status}",
        esc(if name.is_empty() { "?" } else { name }),
        role_name(lang, role),
        esc(unit.unwrap_or("—"))
    )
}

pub fn user_unknown(lang: Lang, handle: &str) -> Html {
    let handle = &shorten(handle, 40);
    match lang {
        Lang::Id => html!(
            "Pengguna {} tidak ditemukan. Lihat daftar dengan /users.",
            esc(handle)
        ),
        Lang::En => html!(
            "User {} was not found. See the list with /users.",
            esc(handle)
        ),
    }
}

pub fn user_updated(lang: Lang, name: &str, role: Role, unit: Option<&str>, active: bool) -> Html {
    let unit = esc(unit.unwrap_or("—"));
    match lang {
        Lang::Id => html!(
            "{} sekarang: {} · unit {unit} · {}.",
            esc(name),
            role_name(lang, role),
            if active { "aktif" } else { "nonaktif" }
        ),
        Lang::En => html!(
            "{} is now: {} · unit {unit} · {}.",
            esc(name),
            role_name(lang, role),
            if active { "active" } else { "inactive" }
        ),
    }
}

pub fn your_role_changed(lang: Lang, role: Role, unit: Option<&str>) -> Html {
    let unit = esc(unit.unwrap_or("—"));
    match lang {
        Lang::Id => html!(
            "Peran Anda diubah oleh Biro HOKH menjadi <b>{}</b> (unit {unit}). Ketik /help untuk melihat perintah Anda.",
            role_name(lang, role)
        ),
        Lang::En => html!(
            "The Bureau changed your role to <b>{}</b> (unit {unit}). Send /help to see your commands.",
            role_name(lang, role)
        ),
    }
}

pub fn cannot_change_self(lang: Lang) -> Html {
    pick(
        lang,
        "Anda tidak bisa mengubah peran atau menonaktifkan diri sendiri; minta anggota Biro HOKH lain.",
        "You cannot change your own role or deactivate yourself; ask another Bureau member.",
    )
}
