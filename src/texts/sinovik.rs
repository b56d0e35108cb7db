//! What the questionnaire says about SINOVIK's form: a narrative box's shared word limit, the
//! form's file rule, and a questionnaire file that changed under a draft.

use super::*;
use crate::domain::answer::format_number;

/// Under a box's question: the box's limits over all its parts, and the words used so far.
pub fn box_hint(
    lang: Lang,
    title: &str,
    parts: usize,
    max_words: Option<u32>,
    min_words: Option<u32>,
    used: usize,
) -> Html {
    let title = esc(title);
    let limits = match (min_words, max_words, lang) {
        (Some(min), Some(max), Lang::Id) => format!("{min}–{max} kata"),
        (Some(min), Some(max), Lang::En) => format!("{min}–{max} words"),
        (None, Some(max), Lang::Id) => format!("maksimal {max} kata"),
        (None, Some(max), Lang::En) => format!("at most {max} words"),
        (Some(min), None, Lang::Id) => format!("minimal {min} kata"),
        (Some(min), None, Lang::En) => format!("at least {min} words"),
        (None, None, Lang::Id) => "tanpa batas kata".to_owned(),
        (None, None, Lang::En) => "no word limit".to_owned(),
    };
    match (parts, lang) {
        (0 | 1, Lang::Id) => html!("📦 Kotak SINOVIK <b>{title}</b>: {limits}."),
        (0 | 1, Lang::En) => html!("📦 SINOVIK box <b>{title}</b>: {limits}."),
        (_, Lang::Id) => html!(
            "📦 Kotak SINOVIK <b>{title}</b> terdiri atas {parts} bagian: {limits} untuk semua bagian bersama; sudah terpakai {used} kata."
        ),
        (_, Lang::En) => html!(
            "📦 SINOVIK box <b>{title}</b> has {parts} parts: {limits} for all parts together; {used} words used so far."
        ),
    }
}

/// Under an upload whose files go into SINOVIK: its rule, said up front.
pub fn form_file_rule(lang: Lang, types: &[String], max_mb: Option<f64>) -> Html {
    let types = esc(&types.join("/"));
    let size = max_mb.map(|mb| format_number(mb, lang));
    match (types.is_empty(), size, lang) {
        (false, Some(mb), Lang::Id) => html!(
            "📌 Aturan SINOVIK: file {types}, paling besar {mb} MB per kotak. File lain tetap disimpan, dengan catatan apa yang perlu diubah."
        ),
        (false, Some(mb), Lang::En) => html!(
            "📌 SINOVIK's rule: {types} files of at most {mb} MB per box. Other files are still saved, with a note on what to change."
        ),
        (false, None, Lang::Id) => html!(
            "📌 Aturan SINOVIK: file {types}. File lain tetap disimpan, dengan catatan apa yang perlu diubah."
        ),
        (false, None, Lang::En) => html!(
            "📌 SINOVIK's rule: {types} files. Other files are still saved, with a note on what to change."
        ),
        (true, Some(mb), Lang::Id) => html!(
            "📌 Aturan SINOVIK: paling besar {mb} MB per kotak. File yang lebih besar tetap disimpan, dengan catatan apa yang perlu diubah."
        ),
        (true, Some(mb), Lang::En) => html!(
            "📌 SINOVIK's rule: at most {mb} MB per box. Larger files are still saved, with a note on what to change."
        ),
        (true, None, _) => Html::empty(),
    }
}

/// Most items listed when the questionnaire changed; the rest are counted.
const UPDATE_ITEMS: usize = 12;

/// The first time a draft started on an older questionnaire file is shown: its answers are
/// kept, and this is what it lacks now.
pub fn questionnaire_updated(lang: Lang, missing: &[String]) -> Html {
    let intro = pick(
        lang,
        "🆕 Kuesioner KIPP telah diperbarui. Semua jawaban Anda untuk pertanyaan yang masih ada tetap tersimpan.",
        "🆕 The KIPP questionnaire has been updated. All your answers to questions that still exist are kept.",
    );
    if missing.is_empty() {
        let done = pick(
            lang,
            "Tidak ada yang wajib yang kurang.",
            "Nothing required is missing.",
        );
        return html!("{intro}\n{done}");
    }
    let header = pick(
        lang,
        "Yang sekarang masih perlu dilengkapi:",
        "What it still needs now:",
    );
    let mut lines: Vec<String> = missing
        .iter()
        .take(UPDATE_ITEMS)
        .map(|item| format!("• {}", esc(item)))
        .collect();
    let rest = missing.len().saturating_sub(UPDATE_ITEMS);
    if rest > 0 {
        lines.push(match lang {
            Lang::Id => format!("• … dan {rest} lainnya (lihat /review)"),
            Lang::En => format!("• … and {rest} more (see /review)"),
        });
    }
    html!("{intro}\n{header}\n{}", lines.join("\n"))
}
