//! Deadlines, status, reminders, digests and broadcasts.

use super::*;
use crate::domain::InnovationState;

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

pub fn reminder_header(lang: Lang, deadline: &str, left: &str) -> Html {
    match lang {
        Lang::Id => html!("⏰ <b>Pengingat KIPP</b>: tenggat {deadline} — tinggal {left} lagi."),
        Lang::En => html!("⏰ <b>KIPP reminder</b>: the deadline is {deadline} — {left} left."),
    }
}

pub fn reminder_innovation(lang: Lang, id: i64, title: &str, missing: &[String]) -> Html {
    let shown: Vec<String> = missing
        .iter()
        .take(8)
        .map(|item| format!("• {}", esc(item)))
        .collect();
    let more = missing.len().saturating_sub(shown.len());
    let more = match (more, lang) {
        (0, _) => Html::empty(),
        (n, Lang::Id) => html!("\n• … dan {n} lainnya"),
        (n, Lang::En) => html!("\n• … and {n} more"),
    };
    match lang {
        Lang::Id => html!(
            "Inovasi #{id} <b>{}</b> belum lengkap:\n{}{more}",
            esc(title),
            shown.join("\n")
        ),
        Lang::En => html!(
            "Innovation #{id} <b>{}</b> is not complete yet:\n{}{more}",
            esc(title),
            shown.join("\n")
        ),
    }
}

pub fn reminder_nothing_started(lang: Lang, unit: &str) -> Html {
    match lang {
        Lang::Id => html!(
            "Unit <b>{}</b> belum memulai inovasi apa pun. Mulai sekarang dengan /new.",
            esc(unit)
        ),
        Lang::En => html!(
            "Unit <b>{}</b> has not started any innovation yet. Start one now with /new.",
            esc(unit)
        ),
    }
}

pub fn deadline_line(lang: Lang, deadline: Option<&str>, days: Option<i64>) -> Html {
    match (deadline, days, lang) {
        (None, _, Lang::Id) => Html::markup("Tenggat belum ditetapkan."),
        (None, _, Lang::En) => Html::markup("No deadline has been set."),
        (Some(at), Some(days), Lang::Id) if days < 0 => html!("Tenggat {at} sudah lewat."),
        (Some(at), Some(days), Lang::En) if days < 0 => html!("The deadline {at} has passed."),
        (Some(at), Some(days), Lang::Id) => html!("Tenggat: {at} — {days} hari lagi."),
        (Some(at), Some(days), Lang::En) => html!("Deadline: {at} — {days} day(s) left."),
        (Some(at), None, Lang::Id) => html!("Tenggat: {at}."),
        (Some(at), None, Lang::En) => html!("Deadline: {at}."),
    }
}

/// `/status` for the bureau: one scope's deadline line (see [`deadline_line`]), under its name.
pub fn scoped_deadline(scope: &str, line: &Html) -> Html {
    html!("<b>{}</b>: {line}", esc(scope))
}

pub fn deadline_usage(lang: Lang) -> Html {
    pick(
        lang,
        "Format:\n• <code>/deadline units 2026-05-24 23:59</code> — tenggat unit (pengingat staf mengarah ke sini; setelahnya draf masih bisa dikirim tetapi ditandai terlambat)\n• <code>/deadline close 2026-06-03 23:59</code> — penutupan nasional SINOVIK (batas pemilihan oleh Biro HOKH)\n• <code>/deadline PUSDATIN 2026-05-20 16:00</code> — tenggat satu unit, menggantikan tenggat unit (<code>/deadline PUSDATIN hapus</code> mengembalikannya)\n• <code>/deadline units hapus</code> atau <code>/deadline close hapus</code> — kembali ke tanggal di berkas dialog\n<code>/deadline 2026-05-24 23:59</code> tanpa kata kunci berarti tenggat unit. Waktu dalam zona waktu bot.",
        "Format:\n• <code>/deadline units 2026-05-24 23:59</code> — the units' deadline (staff reminders aim at it; after it a draft can still be submitted but is flagged late)\n• <code>/deadline close 2026-06-03 23:59</code> — SINOVIK's national close (the end of the Bureau's selection)\n• <code>/deadline PUSDATIN 2026-05-20 16:00</code> — one unit's own deadline instead of the units' deadline (<code>/deadline PUSDATIN clear</code> undoes it)\n• <code>/deadline units clear</code> or <code>/deadline close clear</code> — back to the date in the dialog file\n<code>/deadline 2026-05-24 23:59</code> without a keyword means the units' deadline. Times are in the bot's time zone.",
    )
}

/// "Tenggat unit" / "Units' deadline": the date units hand in by.
pub fn units_deadline_name(lang: Lang) -> &'static str {
    pick_static(lang, "Tenggat unit", "Units' deadline")
}

/// "Penutupan nasional SINOVIK": the national close, until which the bureau selects.
pub fn national_close_name(lang: Lang) -> &'static str {
    pick_static(lang, "Penutupan nasional SINOVIK", "SINOVIK national close")
}

/// One date with its countdown: "<b>Tenggat unit</b>: 24-05-2026 23:59 — 3 hari lagi."
pub fn countdown_line(lang: Lang, name: &str, at: Option<&str>, days: Option<i64>) -> Html {
    let name = esc(name);
    match (at, days, lang) {
        (None, _, Lang::Id) => html!("<b>{name}</b>: belum ditetapkan."),
        (None, _, Lang::En) => html!("<b>{name}</b>: not set."),
        (Some(at), Some(days), Lang::Id) if days < 0 => {
            html!("<b>{name}</b>: {at} — sudah lewat.")
        }
        (Some(at), Some(days), Lang::En) if days < 0 => html!("<b>{name}</b>: {at} — passed."),
        (Some(at), Some(days), Lang::Id) => html!("<b>{name}</b>: {at} — {days} hari lagi."),
        (Some(at), Some(days), Lang::En) => html!("<b>{name}</b>: {at} — {days} day(s) left."),
        (Some(at), None, _) => html!("<b>{name}</b>: {at}."),
    }
}

/// A campaign date set (`Some`) or back to the dialog file's (`None` when the file has none).
pub fn campaign_date_set(lang: Lang, name: &str, at: Option<&str>, reset: bool) -> Html {
    let name = esc(name);
    match (lang, at, reset) {
        (Lang::Id, Some(at), false) => html!("{name} ditetapkan: {at}."),
        (Lang::En, Some(at), false) => html!("{name} set: {at}."),
        (Lang::Id, Some(at), true) => html!("{name} kembali ke tanggal berkas dialog: {at}."),
        (Lang::En, Some(at), true) => html!("{name} is the dialog file's again: {at}."),
        (Lang::Id, None, _) => html!("{name} tidak lagi ditetapkan."),
        (Lang::En, None, _) => html!("{name} is no longer set."),
    }
}

pub fn deadline_after_close(lang: Lang, close: &str) -> Html {
    match lang {
        Lang::Id => html!(
            "❗ Tenggat unit harus sebelum penutupan nasional SINOVIK ({close}), agar Biro HOKH sempat meninjau. Pilih tanggal yang lebih awal, atau ubah dulu penutupannya: <code>/deadline close 2026-06-03 23:59</code>."
        ),
        Lang::En => html!(
            "❗ A units' deadline must come before SINOVIK's national close ({close}), so that the Bureau has time to review. Choose an earlier date, or move the close first: <code>/deadline close 2026-06-03 23:59</code>."
        ),
    }
}

pub fn close_before_units(lang: Lang, units: &str) -> Html {
    match lang {
        Lang::Id => html!(
            "❗ Penutupan nasional tidak boleh sebelum tenggat unit ({units}). Majukan dulu tenggat unit, misalnya <code>/deadline units 2026-05-24 23:59</code>."
        ),
        Lang::En => html!(
            "❗ The national close cannot come before the units' deadline ({units}). Move the units' deadline first, e.g. <code>/deadline units 2026-05-24 23:59</code>."
        ),
    }
}

/// " · ⏰ terlambat": after an innovation handed in after its unit's deadline.
pub fn late_mark(lang: Lang) -> &'static str {
    pick_static(lang, " · ⏰ terlambat", " · ⏰ late")
}

/// For reviewers: when the innovation was first handed in, after its unit's deadline.
pub fn late_note(lang: Lang, at: &str) -> Html {
    match lang {
        Lang::Id => html!("⏰ <b>Terlambat</b>: pertama dikirim {at}, setelah tenggat unit."),
        Lang::En => html!("⏰ <b>Late</b>: first handed in {at}, after the unit's deadline."),
    }
}

/// The bureau's digest: innovations first handed in after their unit's deadline.
pub fn digest_late(lang: Lang, ids: &[i64]) -> Html {
    let ids: Vec<String> = ids.iter().map(|id| format!("#{id}")).collect();
    match lang {
        Lang::Id => html!("⏰ Dikirim setelah tenggat unit: {}", ids.join(", ")),
        Lang::En => html!("⏰ Handed in after the units' deadline: {}", ids.join(", ")),
    }
}

/// The bureau's digest: how many of the KIPP slots are taken (per group, `(label, selected,
/// cap)`, when the cap is split) and how many approved innovations wait.
pub fn selection_slots(
    lang: Lang,
    selected: u32,
    cap: u32,
    groups: &[(String, u32, u32)],
    waiting: u32,
) -> Html {
    let split = if groups.is_empty() {
        String::new()
    } else {
        let shares: Vec<String> = groups
            .iter()
            .map(|(label, selected, cap)| format!("{} {selected}/{cap}", esc(label)))
            .collect();
        format!(" ({})", shares.join(" · "))
    };
    match lang {
        Lang::Id => html!(
            "⭐ Slot KIPP: {selected} dari {cap} terpilih{split} · {waiting} disetujui menunggu dipilih"
        ),
        Lang::En => {
            html!("⭐ KIPP slots: {selected} of {cap} selected{split} · {waiting} approved waiting")
        }
    }
}

pub fn deadline_set(lang: Lang, scope: &str, at: &str) -> Html {
    match lang {
        Lang::Id => html!("Tenggat {} ditetapkan: {at}.", esc(scope)),
        Lang::En => html!("Deadline for {} set: {at}.", esc(scope)),
    }
}

pub fn deadline_cleared(lang: Lang, unit: &str) -> Html {
    match lang {
        Lang::Id => html!("Unit {} kembali memakai tenggat unit umum.", esc(unit)),
        Lang::En => html!("Unit {} follows the units' deadline again.", esc(unit)),
    }
}

pub fn everyone(lang: Lang) -> &'static str {
    pick_static(lang, "semua unit", "every unit")
}

pub fn digest_title(lang: Lang, scope: &str, date: &str) -> Html {
    match lang {
        Lang::Id => html!("📊 <b>Ringkasan KIPP {}</b> — {date}", esc(scope)),
        Lang::En => html!("📊 <b>KIPP digest for {}</b> — {date}", esc(scope)),
    }
}

pub fn digest_counts(lang: Lang, draft: u32, complete: u32, submitted: u32) -> Html {
    match lang {
        Lang::Id => {
            html!("Draf: {draft} · Lengkap (belum dikirim): {complete} · Dikirim: {submitted}")
        }
        Lang::En => {
            html!("Draft: {draft} · Complete (not sent): {complete} · Submitted: {submitted}")
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
) -> Html {
    let mut line = html!(
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
        line.push(&html!("\n   {label}: {}", shown.join("; ")));
        if more > 0 {
            line.push_text(&format!(" (+{more})"));
        }
    }
    line
}

pub fn digest_stale(lang: Lang, id: i64, by: &str, days: i64) -> Html {
    match lang {
        Lang::Id => html!(
            "• #{id} tidak disentuh {days} hari (terakhir oleh {})",
            esc(by)
        ),
        Lang::En => html!("• #{id} untouched for {days} days (last by {})", esc(by)),
    }
}

pub fn digest_stale_header(lang: Lang, days: u32) -> Html {
    match lang {
        Lang::Id => html!("Draf yang tidak disentuh ≥ {days} hari:"),
        Lang::En => html!("Drafts untouched for ≥ {days} days:"),
    }
}

/// The digest's drafts nobody touched lately, under their header.
pub fn digest_stale_section(lang: Lang, days: u32, lines: &[Html]) -> Html {
    html!(
        "{}\n{}",
        digest_stale_header(lang, days),
        Html::join(lines, "\n")
    )
}

pub fn digest_nothing(lang: Lang) -> Html {
    pick(lang, "Belum ada inovasi.", "No innovations yet.")
}

pub fn digest_unit_line(
    lang: Lang,
    unit: &str,
    draft: u32,
    complete: u32,
    submitted: u32,
    percent: u8,
) -> Html {
    match lang {
        Lang::Id => html!(
            "• <b>{}</b>: {draft} draf · {complete} lengkap · {submitted} dikirim · rata-rata {percent}%",
            esc(unit)
        ),
        Lang::En => html!(
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
            empty: "Belum ada data inovasi dari unit kerja.".into(),
        },
        Lang::En => ChartLabels {
            title: format!("KIPP progress per unit, {date}{left}"),
            draft: "Draft".into(),
            complete: "Complete".into(),
            submitted: "Submitted".into(),
            percent_axis: "Average completion (%)".into(),
            empty: "No innovation data from the work units yet.".into(),
        },
    }
}

pub fn broadcast_ask_text(lang: Lang) -> Html {
    pick(
        lang,
        "📣 Tulis isi pengumuman dalam satu pesan. Ketik /cancel untuk batal.",
        "📣 Write the announcement in one message. Send /cancel to give up.",
    )
}

/// The longest announcement (a rule of the use case, named here for the sentence about it).
pub use crate::app::MAX_BROADCAST_CHARS;

pub fn broadcast_too_long(lang: Lang, count: usize) -> Html {
    match lang {
        Lang::Id => html!(
            "❗ Pengumuman terlalu panjang ({count} karakter, paling banyak {MAX_BROADCAST_CHARS}). Persingkat, lalu kirim lagi, atau ketik /cancel untuk batal."
        ),
        Lang::En => html!(
            "❗ The announcement is too long ({count} characters, at most {MAX_BROADCAST_CHARS}). Shorten it and send it again, or send /cancel to give up."
        ),
    }
}

pub fn broadcast_choose_audience(lang: Lang) -> Html {
    pick(lang, "Kirim ke siapa?", "Who should receive it?")
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

pub fn broadcast_choose_units(lang: Lang) -> Html {
    pick(
        lang,
        "Pilih unit (tekan lagi untuk membatalkan pilihan), lalu tekan Selesai.",
        "Pick the units (press again to unpick), then press Done.",
    )
}

pub fn broadcast_preview(lang: Lang, body: &str, recipients: usize) -> Html {
    match lang {
        Lang::Id => html!(
            "Pratinjau pengumuman:\n\n{}\n\n<b>Penerima: {recipients} orang.</b> Kirim sekarang?",
            esc(body)
        ),
        Lang::En => html!(
            "Preview:\n\n{}\n\n<b>Recipients: {recipients}.</b> Send now?",
            esc(body)
        ),
    }
}

pub fn broadcast_no_recipients(lang: Lang) -> Html {
    pick(
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

pub fn broadcast_cancelled(lang: Lang) -> Html {
    pick(lang, "Pengumuman dibatalkan.", "Announcement cancelled.")
}

pub fn broadcast_progress(
    lang: Lang,
    id: i64,
    counts: crate::storage::DeliveryCounts,
    total: i64,
) -> Html {
    let done = counts
        .sent
        .saturating_add(counts.failed)
        .saturating_add(counts.blocked);
    match lang {
        Lang::Id => html!(
            "📣 Pengumuman #{id}: {done}/{total} diproses — {} terkirim, {} gagal, {} memblokir bot.",
            counts.sent,
            counts.failed,
            counts.blocked
        ),
        Lang::En => html!(
            "📣 Announcement #{id}: {done}/{total} processed — {} delivered, {} failed, {} blocked the bot.",
            counts.sent,
            counts.failed,
            counts.blocked
        ),
    }
}

pub fn broadcast_report(lang: Lang, id: i64, counts: crate::storage::DeliveryCounts) -> Html {
    match lang {
        Lang::Id => html!(
            "✅ Pengumuman #{id} selesai: {} terkirim, {} gagal, {} memblokir bot.",
            counts.sent,
            counts.failed,
            counts.blocked
        ),
        Lang::En => html!(
            "✅ Announcement #{id} finished: {} delivered, {} failed, {} blocked the bot.",
            counts.sent,
            counts.failed,
            counts.blocked
        ),
    }
}

pub fn cancelled(lang: Lang) -> Html {
    pick(lang, "Dibatalkan.", "Cancelled.")
}

/// What a broadcast recipient sees: the bureau's text, escaped, under a short header.
pub fn broadcast_message(lang: Lang, body: &str) -> Html {
    let header = pick(
        lang,
        "📣 <b>Pengumuman Biro HOKH</b>",
        "📣 <b>Announcement from the Bureau</b>",
    );
    html!("{header}\n\n{}", esc(body))
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
    /// Shown instead of rows when no unit has data yet.
    pub empty: String,
}
