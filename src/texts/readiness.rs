//! The bureau digest's part on SINOVIK: which approved innovations are ready, and what blocks
//! the others (the blocker sentences come from `Blocker::message`).

use super::*;

/// The part: a heading with the counts, one line per blocked innovation, "and N more".
pub fn digest_sinovik(
    lang: Lang,
    ready: usize,
    blocked: usize,
    lines: &[Html],
    more: usize,
) -> Html {
    let mut text = match lang {
        Lang::Id => {
            html!("<b>Siap SINOVIK</b> (disetujui/terpilih): {ready} siap, {blocked} terkendala.")
        }
        Lang::En => {
            html!("<b>SINOVIK-ready</b> (approved/selected): {ready} ready, {blocked} blocked.")
        }
    };
    for line in lines {
        text.push_text("\n");
        text.push(line);
    }
    if more > 0 {
        text.push_text("\n");
        text.push_text(&match lang {
            Lang::Id => format!("… dan {more} lainnya (lihat kolom Kendala SINOVIK di /export)"),
            Lang::En => format!("… and {more} more (see the SINOVIK blockers column in /export)"),
        });
    }
    text
}

/// "• #12 LAYAR KACA: Ringkasan 212/200 kata, melebihi batas; … (+2)"
pub fn digest_sinovik_line(
    lang: Lang,
    id: i64,
    title: &str,
    blockers: &[String],
    max_blockers: usize,
) -> Html {
    let shown: Vec<String> = blockers.iter().take(max_blockers).map(|b| esc(b)).collect();
    let mut line = format!("• #{id} {}: {}", esc(&shorten(title, 40)), shown.join("; "));
    let more = blockers.len().saturating_sub(max_blockers);
    if more > 0 {
        line.push_str(&match lang {
            Lang::Id => format!(" (+{more} lagi)"),
            Lang::En => format!(" (+{more} more)"),
        });
    }
    html!("{line}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_names_three_blockers_and_counts_the_rest() {
        let blockers: Vec<String> = ["a <b>", "b", "c", "d", "e"].map(String::from).to_vec();
        assert_eq!(
            digest_sinovik_line(Lang::Id, 12, "LAYAR & KACA", &blockers, 3),
            "• #12 LAYAR &amp; KACA: a &lt;b&gt;; b; c (+2 lagi)"
        );
        assert_eq!(
            digest_sinovik_line(Lang::En, 3, "X", &blockers[..1], 3),
            "• #3 X: a &lt;b&gt;"
        );
    }

    #[test]
    fn the_part_counts_and_caps() {
        let lines = vec![digest_sinovik_line(Lang::Id, 1, "A", &["x".to_owned()], 3)];
        let text = digest_sinovik(Lang::Id, 2, 5, &lines, 4);
        assert_eq!(
            text,
            "<b>Siap SINOVIK</b> (disetujui/terpilih): 2 siap, 5 terkendala.\n• #1 A: x\n… dan 4 lainnya (lihat kolom Kendala SINOVIK di /export)"
        );
        assert!(
            !digest_sinovik(Lang::En, 1, 0, &[], 0)
                .as_str()
                .contains('\n')
        );
    }
}
