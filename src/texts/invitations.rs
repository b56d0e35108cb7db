//! The bureau's invitation links.

use super::*;

pub fn invite_choose_role(lang: Lang) -> Html {
    pick(
        lang,
        "Undangan untuk peran apa?",
        "Which role is the invitation for?",
    )
}

pub fn invite_choose_unit(lang: Lang, role: Role) -> Html {
    match lang {
        Lang::Id => html!("Unit mana untuk {}?", role_name(lang, role)),
        Lang::En => html!("Which unit is the {} in?", role_name(lang, role)),
    }
}

pub fn invite_needs_units(lang: Lang) -> Html {
    pick(
        lang,
        "Belum ada unit kerja. Tambahkan dulu dengan <code>/units add KODE Nama unit</code>.",
        "There are no work units yet. Add one first with <code>/units add CODE Unit name</code>.",
    )
}

pub fn invite_usage(lang: Lang) -> Html {
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
) -> Html {
    let unit = unit.map(esc).unwrap_or_else(|| "—".into());
    match lang {
        Lang::Id => html!(
            "Undangan untuk <b>{}</b>, unit {unit}, berlaku {uses}× sampai {expires}.\nKirimkan tautan ini kepada orangnya; ia cukup membukanya dan menekan Start:\n{}",
            role_name(lang, role),
            esc(link)
        ),
        Lang::En => html!(
            "Invitation for <b>{}</b>, unit {unit}, valid for {uses} use(s) until {expires}.\nSend this link to the person; they open it and press Start:\n{}",
            role_name(lang, role),
            esc(link)
        ),
    }
}

pub fn invitations_list(lang: Lang, lines: &[Html]) -> Html {
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
    html!("{header}\n{}", Html::join(lines, "\n"))
}

pub fn invitation_line(
    lang: Lang,
    id: i64,
    role: Role,
    unit: Option<&str>,
    uses: u32,
    max_uses: u32,
    expires: &str,
) -> Html {
    let unit = unit.map(esc).unwrap_or_else(|| "—".into());
    match lang {
        Lang::Id => html!(
            "#{id} · {} · {unit} · dipakai {uses}/{max_uses} · sampai {expires}",
            role_name(lang, role)
        ),
        Lang::En => html!(
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

pub fn invitation_revoked_ok(lang: Lang, id: i64) -> Html {
    match lang {
        Lang::Id => html!("Undangan #{id} dicabut; tautannya tidak bisa dipakai lagi."),
        Lang::En => html!("Invitation #{id} revoked; its link can no longer be used."),
    }
}
