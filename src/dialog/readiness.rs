//! Whether an innovation could be filed on SINOVIK as it stands: every narrative box written,
//! within its word limit and above its floor; every required document uploaded; and old enough
//! (the minimum age of its kelompok, counted as the questionnaire counts it). One rule, used by
//! the exports ("Siap SINOVIK") and the bureau's digest. Pure: no I/O, no clock.

use chrono::NaiveDate;

use crate::dialog::engine::{AnswerKey, Missing, MissingKind, Progress};
use crate::dialog::model::{Dialog, QuestionKind, Text};
use crate::dialog::validate::{Input, Warning};
use crate::domain::{AnswerValue, Lang};

/// What stands between an innovation and SINOVIK; ready when there is nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Readiness {
    /// In SINOVIK's order: the boxes, then the documents, then the age.
    pub blockers: Vec<Blocker>,
}

impl Readiness {
    pub fn is_ready(&self) -> bool {
        self.blockers.is_empty()
    }
}

/// One reason an innovation is not ready for SINOVIK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocker {
    /// Some visible parts of a box have no answer (`parts` of them; `of` visible in all).
    BoxUnwritten {
        title: Text,
        parts: usize,
        of: usize,
    },
    /// Over the box's `max_words`.
    BoxTooLong { title: Text, words: usize, max: u32 },
    /// Under the box's `min_words`.
    BoxTooShort { title: Text, words: usize, min: u32 },
    /// A required document is missing or short of its count (group items included).
    Document(Missing),
    /// The date the minimum age is counted from has no answer.
    StartDateMissing { label: Text },
    /// Younger than the minimum: `months_running` whole months on `counted_to` (the national
    /// close; `None`: the day of the check), `group` naming the kelompok whose minimum it is.
    TooYoung {
        years: u32,
        months_running: u32,
        counted_to: Option<NaiveDate>,
        group: Option<Text>,
    },
}

impl Blocker {
    /// A short sentence, for a spreadsheet cell or one line of a digest (plain text).
    pub fn message(&self, dialog: &Dialog, lang: Lang) -> String {
        match (self, lang) {
            (Self::BoxUnwritten { title, parts, of }, Lang::Id) if parts == of => {
                format!("{} belum diisi", title.id)
            }
            (Self::BoxUnwritten { title, parts, of }, Lang::En) if parts == of => {
                format!("{}: not written yet", title.en)
            }
            (Self::BoxUnwritten { title, parts, of }, Lang::Id) => {
                format!("{}: {parts} dari {of} bagian belum diisi", title.id)
            }
            (Self::BoxUnwritten { title, parts, of }, Lang::En) => {
                format!("{}: {parts} of {of} parts not written yet", title.en)
            }
            (Self::BoxTooLong { title, words, max }, Lang::Id) => {
                format!("{} {words}/{max} kata, melebihi batas", title.id)
            }
            (Self::BoxTooLong { title, words, max }, Lang::En) => {
                format!("{} {words}/{max} words, over the limit", title.en)
            }
            (Self::BoxTooShort { title, words, min }, Lang::Id) => {
                format!("{} {words} kata, minimal {min}", title.id)
            }
            (Self::BoxTooShort { title, words, min }, Lang::En) => {
                format!("{} {words} words, at least {min}", title.en)
            }
            (Self::Document(missing), lang) => missing.message(dialog, lang),
            (Self::StartDateMissing { label }, Lang::Id) => format!("{} belum diisi", label.id),
            (Self::StartDateMissing { label }, Lang::En) => {
                format!("{}: not answered yet", label.en)
            }
            (
                Self::TooYoung {
                    years,
                    months_running,
                    counted_to,
                    group,
                },
                lang,
            ) => too_young(
                *years,
                *months_running,
                counted_to.is_some(),
                group.as_ref(),
                lang,
            ),
        }
    }
}

fn too_young(years: u32, months: u32, at_close: bool, group: Option<&Text>, lang: Lang) -> String {
    let group = group
        .map(|g| format!(" ({})", g.get(lang)))
        .unwrap_or_default();
    match (at_close, lang) {
        (true, Lang::Id) => format!(
            "umur inovasi {months} bulan saat penutupan nasional, minimal {years} tahun{group}"
        ),
        (false, Lang::Id) => {
            format!("umur inovasi {months} bulan, minimal {years} tahun{group}")
        }
        (true, Lang::En) => {
            format!("running {months} months at the national close, at least {years} years{group}")
        }
        (false, Lang::En) => format!("running {months} months, at least {years} years{group}"),
    }
}

impl Dialog {
    /// What blocks these answers from SINOVIK. `today` is the day the age is counted to when the
    /// questionnaire has no national close (as when the date was answered).
    pub fn readiness(&self, progress: &Progress, today: NaiveDate) -> Readiness {
        let mut blockers = Vec::new();
        for counted in self.box_counts(progress) {
            let title = counted.narrative_box.title.clone();
            let visible = counted.answered.saturating_add(counted.unanswered);
            if visible == 0 {
                // Every part hidden (by a show_if): the box is not asked of this innovation.
                continue;
            }
            if counted.unanswered > 0 {
                blockers.push(Blocker::BoxUnwritten {
                    title,
                    parts: counted.unanswered,
                    of: visible,
                });
            } else if let (Some(max), Some(_)) =
                (counted.narrative_box.max_words, counted.over_by())
            {
                blockers.push(Blocker::BoxTooLong {
                    title,
                    words: counted.words,
                    max,
                });
            } else if let (Some(min), Some(_)) =
                (counted.narrative_box.min_words, counted.under_by())
            {
                blockers.push(Blocker::BoxTooShort {
                    title,
                    words: counted.words,
                    min,
                });
            }
        }
        blockers.extend(
            self.missing(progress)
                .into_iter()
                .filter(|m| matches!(m.what, MissingKind::Files { .. }))
                .map(Blocker::Document),
        );
        blockers.extend(self.age_blockers(progress, today));
        Readiness { blockers }
    }

    /// The visible top-level date questions held to a minimum age: unanswered, or younger.
    fn age_blockers(&self, progress: &Progress, today: NaiveDate) -> Vec<Blocker> {
        let mut blockers = Vec::new();
        let dated =
            self.sections().iter().flat_map(|s| &s.questions).filter(
                |q| matches!(&q.kind, QuestionKind::Date(rules) if rules.min_age.is_some()),
            );
        for question in dated {
            if !self.is_visible(&question.id, progress) {
                continue;
            }
            let date = match progress.answer(&AnswerKey::new(question.id.as_str())) {
                Some(AnswerValue::Date { date }) => *date,
                Some(_) => continue,
                None => {
                    blockers.push(Blocker::StartDateMissing {
                        label: question.label.clone(),
                    });
                    continue;
                }
            };
            // The stored date is checked again as if it were typed now: the same rule (the
            // kelompok's minimum, counted to the national close) that warned when it was.
            let typed = date.format("%Y-%m-%d").to_string();
            let Ok(accepted) = self.validate(question, &Input::Text(&typed), progress, today)
            else {
                continue;
            };
            blockers.extend(accepted.warnings.into_iter().filter_map(|w| match w {
                Warning::YoungerThanMinimum {
                    years,
                    months_running,
                    counted_to,
                    group,
                } => Some(Blocker::TooYoung {
                    years,
                    months_running,
                    counted_to,
                    group,
                }),
                _ => None,
            }));
        }
        blockers
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests may panic")]
mod tests {
    use super::*;

    const KIPP: &str = include_str!("../../dialogs/kipp2025.toml");

    fn kipp() -> Dialog {
        Dialog::from_toml_str(KIPP).unwrap_or_else(|e| panic!("{e}"))
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 5, 20).unwrap()
    }

    fn words(n: usize) -> String {
        vec!["kata"; n].join(" ")
    }

    fn text(s: &str) -> AnswerValue {
        AnswerValue::Text { text: s.into() }
    }

    /// Every visible box at its floor plus ten, every required document uploaded, Umum and
    /// started long ago: ready.
    fn ready(d: &Dialog) -> Progress {
        let mut p = Progress::new();
        let set =
            |p: &mut Progress, id: &str, v: AnswerValue| d.record_answer(p, AnswerKey::new(id), v);
        set(
            &mut p,
            "kelompok",
            AnswerValue::Choice {
                option: "umum".into(),
            },
        );
        set(
            &mut p,
            "tanggal_mulai",
            AnswerValue::Date {
                date: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            },
        );
        for b in d.boxes() {
            let share = b.min_words.unwrap_or(1) as usize / b.questions.len() + 10;
            for q in &b.questions {
                set(&mut p, q, text(&words(share)));
            }
        }
        for m in d.missing(&p) {
            if let MissingKind::Files { need, have } = m.what {
                for _ in have..need {
                    d.record_file(&mut p, m.key.clone());
                }
            }
        }
        p
    }

    #[test]
    fn a_complete_umum_innovation_is_ready() {
        let d = kipp();
        let p = ready(&d);
        assert_eq!(d.readiness(&p, today()).blockers, vec![]);
        assert!(d.readiness(&p, today()).is_ready());
    }

    #[test]
    fn an_empty_draft_names_every_box_the_documents_and_the_start_date() {
        let d = kipp();
        let r = d.readiness(&Progress::new(), today());
        assert!(!r.is_ready());
        let messages: Vec<String> = r.blockers.iter().map(|b| b.message(&d, Lang::Id)).collect();
        assert_eq!(
            messages.first().map(String::as_str),
            Some("Ringkasan belum diisi")
        );
        assert!(messages.contains(&"Dasar hukum (SK) belum diunggah".to_owned()));
        assert!(messages.contains(&"Tanggal mulai inovasi belum diisi".to_owned()));
        let boxes = r
            .blockers
            .iter()
            .filter(|b| matches!(b, Blocker::BoxUnwritten { .. }))
            .count();
        assert_eq!(boxes, d.boxes().len());
    }

    #[test]
    fn a_box_over_its_limit_or_under_its_floor_blocks() {
        let d = kipp();
        let mut p = ready(&d);
        d.record_answer(&mut p, AnswerKey::new("signifikansi"), text(&words(640)));
        d.record_answer(&mut p, AnswerKey::new("ringkasan"), text("6"));
        let r = d.readiness(&p, today());
        let messages: Vec<String> = r.blockers.iter().map(|b| b.message(&d, Lang::Id)).collect();
        assert_eq!(
            messages,
            vec![
                "Ringkasan 1 kata, minimal 30".to_owned(),
                "Signifikansi 640/600 kata, melebihi batas".to_owned(),
            ]
        );
        assert_eq!(
            r.blockers
                .iter()
                .map(|b| b.message(&d, Lang::En))
                .collect::<Vec<_>>(),
            vec![
                "Summary 1 words, at least 30".to_owned(),
                "Significance 640/600 words, over the limit".to_owned(),
            ]
        );
    }

    #[test]
    fn a_box_of_several_parts_counts_them_together() {
        let d = kipp();
        let mut p = ready(&d);
        // 170 + 170 + 170 = 510 over the one 500-word Keberlanjutan box.
        for id in [
            "keberlanjutan_institusional",
            "keberlanjutan_manajerial",
            "keberlanjutan_sosial",
        ] {
            d.record_answer(&mut p, AnswerKey::new(id), text(&words(170)));
        }
        let r = d.readiness(&p, today());
        assert!(matches!(
            r.blockers.as_slice(),
            [Blocker::BoxTooLong {
                words: 510,
                max: 500,
                ..
            }]
        ));
        p.clear_answer(&AnswerKey::new("keberlanjutan_sosial"));
        let r = d.readiness(&p, today());
        assert_eq!(
            r.blockers
                .iter()
                .map(|b| b.message(&d, Lang::Id))
                .collect::<Vec<_>>(),
            vec!["Strategi Keberlanjutan: 1 dari 3 bagian belum diisi".to_owned()]
        );
    }

    #[test]
    fn a_missing_required_document_blocks() {
        let d = kipp();
        let mut p = ready(&d);
        p.set_file_count(AnswerKey::new("dasar_hukum"), 0);
        let r = d.readiness(&p, today());
        assert_eq!(
            r.blockers
                .iter()
                .map(|b| b.message(&d, Lang::En))
                .collect::<Vec<_>>(),
            vec!["Legal basis (decree): not uploaded yet".to_owned()]
        );
        // An optional box attachment is not required.
        assert_eq!(p.files(&AnswerKey::new("lampiran_ringkasan")), 0);
    }

    #[test]
    fn the_minimum_age_is_the_kelompoks_counted_to_the_national_close() {
        let d = kipp();
        let mut p = ready(&d);
        // 1 June 2024 → 3 June 2025 (the close): 12 months, under Umum's 2 years.
        d.record_answer(
            &mut p,
            AnswerKey::new("tanggal_mulai"),
            AnswerValue::Date {
                date: NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(),
            },
        );
        let r = d.readiness(&p, today());
        assert_eq!(
            r.blockers
                .iter()
                .map(|b| b.message(&d, Lang::Id))
                .collect::<Vec<_>>(),
            vec![
                "umur inovasi 12 bulan saat penutupan nasional, minimal 2 tahun (Umum)".to_owned()
            ]
        );
        // Replikasi needs one year: met at the close. Its own section then asks for a
        // statement of replication, a required document.
        d.record_answer(
            &mut p,
            AnswerKey::new("kelompok"),
            AnswerValue::Choice {
                option: "replikasi".into(),
            },
        );
        let r = d.readiness(&p, today());
        assert!(
            !r.blockers
                .iter()
                .any(|b| matches!(b, Blocker::TooYoung { .. })),
            "{r:?}"
        );
    }
}
