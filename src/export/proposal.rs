//! The proposal draft of one innovation, in SINOVIK's order: title, status and whether it is
//! ready for SINOVIK; the sections before the narratives (the profile); SINOVIK's narrative
//! boxes in the form's order (`[[boxes]]`), each with its text, its words against the box's
//! limits and its supporting file; then every other visible section in file order (metrics and
//! other groups as tables, files as lists); the evidence list, what is still missing and what
//! blocks SINOVIK. Built once as [`Block`]s, rendered as Markdown or DOCX.

use std::collections::HashSet;
use std::io::{Seek, Write};

use chrono::{NaiveDateTime, Timelike};

use crate::dialog::{Dialog, NarrativeBox, Question, QuestionKind, Section, TextRules};
use crate::domain::Lang;
use crate::domain::answer::{format_date, format_number};
use crate::export::ExportError;
use crate::export::model::InnovationRecord;
use crate::export::texts::{Txt, kind_label, state_shown};
use crate::export::view::{Layout, View, display};

/// Markdown text of the proposal draft.
pub fn proposal_markdown(rec: &InnovationRecord, dialog: &Dialog, lang: Lang) -> String {
    let layout = Layout::new(dialog);
    render_markdown(&blocks(&View::new(rec, &layout, lang), &layout, lang))
}

/// The proposal draft as a Word document.
pub fn write_proposal_docx<W>(
    rec: &InnovationRecord,
    dialog: &Dialog,
    lang: Lang,
    out: W,
) -> Result<(), ExportError>
where
    W: Write + Seek,
{
    let layout = Layout::new(dialog);
    write_docx(&blocks(&View::new(rec, &layout, lang), &layout, lang), out)
}

/// One piece of the draft.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Title(String),
    Subtitle(String),
    /// A line of the header: "Unit: PUSDATIN — Pusat Data dan Informasi".
    Meta {
        label: String,
        value: String,
    },
    Section(String),
    Question(String),
    Paragraph(String),
    WordCount {
        text: String,
        over: bool,
    },
    Field {
        label: String,
        value: String,
    },
    /// "(belum diisi)"
    Placeholder(String),
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    List {
        ordered: bool,
        items: Vec<String>,
    },
}

pub(crate) fn blocks(view: &View<'_>, layout: &Layout<'_>, lang: Lang) -> Vec<Block> {
    let rec = view.rec;
    let t = |txt: Txt| txt.get(lang).to_owned();
    let title = match rec.title.trim() {
        "" => t(Txt::Untitled),
        title => title.to_owned(),
    };
    let mut out = vec![
        Block::Title(title),
        Block::Subtitle(format!(
            "{} {}",
            t(Txt::ProposalDraft),
            layout.dialog.campaign().name.get(lang)
        )),
        Block::Meta {
            label: t(Txt::Unit),
            value: format!("{} — {}", rec.unit_code, rec.unit_name),
        },
        Block::Meta {
            label: t(Txt::State),
            value: format!(
                "{} · {}% {}",
                state_shown(&rec.state, rec.late, lang),
                rec.percent_complete,
                t(Txt::Complete)
            ),
        },
    ];
    if let Some(deadline) = rec.deadline {
        out.push(Block::Meta {
            label: t(Txt::Deadline),
            value: format_datetime(deadline, lang),
        });
    }
    out.push(Block::Meta {
        label: t(Txt::LastChange),
        value: format!(
            "{} {} {}",
            format_datetime(rec.updated_at, lang),
            t(Txt::By),
            rec.updated_by
        ),
    });

    out.push(Block::Meta {
        label: t(Txt::SinovikReady),
        value: match rec.sinovik_blockers.len() {
            0 => t(Txt::Yes),
            n => format!("{} ({n} {})", t(Txt::NotYet), t(Txt::BlockerCount)),
        },
    });

    // SINOVIK's order: the sections before the narratives (the innovation's profile), the
    // boxes in the form's order, then every other section in file order.
    let dialog = layout.dialog;
    let in_boxes: HashSet<&str> = dialog
        .boxes()
        .iter()
        .flat_map(|b| b.questions.iter().chain(&b.attachment))
        .map(String::as_str)
        .collect();
    let first_box_section = dialog
        .sections()
        .iter()
        .position(|s| s.questions.iter().any(|q| in_boxes.contains(q.id.as_str())))
        .unwrap_or(usize::MAX);
    let (profile, rest) = dialog
        .sections()
        .split_at(first_box_section.min(dialog.sections().len()));
    let section_blocks = |sections: &[Section], out: &mut Vec<Block>| {
        for section in sections {
            let questions: Vec<&Question> = section
                .questions
                .iter()
                .filter(|q| !in_boxes.contains(q.id.as_str()) && view.is_visible(layout, &q.id))
                .collect();
            if questions.is_empty() {
                continue;
            }
            out.push(Block::Section(section.title.get(lang).to_owned()));
            for q in questions {
                question_blocks(view, dialog, q, lang, out);
            }
        }
    };
    section_blocks(profile, &mut out);
    for narrative_box in dialog.boxes() {
        box_blocks(view, layout, narrative_box, lang, &mut out);
    }
    section_blocks(rest, &mut out);

    out.push(Block::Section(t(Txt::EvidenceList)));
    if view.evidence.is_empty() {
        out.push(Block::Placeholder(t(Txt::NoEvidence)));
    } else {
        let items = view
            .evidence
            .iter()
            .map(|e| {
                let r = e.record;
                let mut line = format!(
                    "{}: {}",
                    e.file_name,
                    layout.label(&r.question_id, r.item, lang)
                );
                if let Some(name) = r.original_name.as_deref().filter(|n| !n.is_empty()) {
                    line.push_str(&format!(" — {name}"));
                }
                line.push_str(&format!(
                    " ({}, {})",
                    kind_label(&r.kind, lang),
                    human_size(r.size_bytes, lang)
                ));
                line
            })
            .collect();
        out.push(Block::List {
            ordered: true,
            items,
        });
    }

    out.push(Block::Section(t(Txt::MissingList)));
    if rec.missing.is_empty() {
        out.push(Block::Placeholder(t(Txt::NothingMissing)));
    } else {
        out.push(Block::List {
            ordered: false,
            items: rec.missing.clone(),
        });
    }
    if !rec.sinovik_blockers.is_empty() {
        out.push(Block::Section(t(Txt::SinovikBlockers)));
        out.push(Block::List {
            ordered: false,
            items: rec.sinovik_blockers.clone(),
        });
    }
    out
}

/// One SINOVIK box: its text (a box of several prompts: each part under its label, with its
/// own count), its words against the box's limits, and its supporting file.
fn box_blocks(
    view: &View<'_>,
    layout: &Layout<'_>,
    narrative_box: &NarrativeBox,
    lang: Lang,
    out: &mut Vec<Block>,
) {
    let dialog = layout.dialog;
    let parts: Vec<&Question> = narrative_box
        .questions
        .iter()
        .filter(|id| view.is_visible(layout, id))
        .filter_map(|id| dialog.question(id))
        .collect();
    if parts.is_empty() {
        // Every part hidden by a show_if: the box is not asked of this innovation.
        return;
    }
    out.push(Block::Section(narrative_box.title.get(lang).to_owned()));
    let mut texts = Vec::new();
    for q in &parts {
        let text = view
            .value(&q.id, 0)
            .map(|value| display(value, Some(q), lang));
        if parts.len() > 1 {
            out.push(Block::Question(q.label.get(lang).to_owned()));
        }
        match &text {
            Some(text) => {
                out.extend(paragraphs(text).map(Block::Paragraph));
                if parts.len() > 1
                    && let QuestionKind::Text(rules) = &q.kind
                    && (rules.max_words.is_some() || rules.min_words.is_some())
                {
                    out.push(word_count(text, (rules.max_words, rules.min_words), lang));
                }
            }
            None => out.push(Block::Placeholder(format!(
                "({})",
                Txt::NotAnswered.get(lang)
            ))),
        }
        texts.extend(text);
    }
    let limits = (narrative_box.max_words, narrative_box.min_words);
    let count = word_count(&texts.join("\n\n"), limits, lang);
    out.push(match (parts.len(), count) {
        (1, count) => count,
        (_, Block::WordCount { text, over }) => Block::WordCount {
            text: format!("{}: {text}", Txt::BoxTotal.get(lang)),
            over,
        },
        (_, other) => other,
    });
    if let Some(file) = narrative_box
        .attachment
        .as_deref()
        .filter(|id| view.is_visible(layout, id))
        .and_then(|id| dialog.question(id))
    {
        question_blocks(view, dialog, file, lang, out);
    }
}

fn question_blocks(
    view: &View<'_>,
    dialog: &Dialog,
    q: &Question,
    lang: Lang,
    out: &mut Vec<Block>,
) {
    let label = q.label.get(lang).to_owned();
    let not_answered = || Block::Placeholder(format!("({})", Txt::NotAnswered.get(lang)));
    match &q.kind {
        QuestionKind::Text(rules) if is_narrative(rules) => {
            out.push(Block::Question(label));
            match view.value(&q.id, 0) {
                Some(value) => {
                    let text = display(value, Some(q), lang);
                    out.extend(paragraphs(&text).map(Block::Paragraph));
                    out.push(word_count(&text, word_limits(dialog, q, rules), lang));
                }
                None => out.push(not_answered()),
            }
        }
        QuestionKind::Group(_) => {
            out.push(Block::Question(label));
            let items = view.items(q);
            if items.is_empty() {
                out.push(not_answered());
                return;
            }
            let header = std::iter::once(Txt::No.get(lang).to_owned())
                .chain(q.members().iter().map(|m| m.label.get(lang).to_owned()))
                .collect();
            let rows = items
                .iter()
                .map(|&item| {
                    std::iter::once(u32::from(item).saturating_add(1).to_string())
                        .chain(q.members().iter().map(|m| member_cell(view, m, item, lang)))
                        .collect()
                })
                .collect();
            out.push(Block::Table { header, rows });
        }
        QuestionKind::File(_) => {
            let files: Vec<String> = view
                .files(&q.id, 0)
                .map(|e| file_line(e.record.original_name.as_deref(), &e.file_name))
                .collect();
            out.push(Block::Field {
                label,
                value: String::new(),
            });
            if files.is_empty() {
                out.push(Block::Placeholder(format!(
                    "({})",
                    Txt::NotUploaded.get(lang)
                )));
            } else {
                out.push(Block::List {
                    ordered: false,
                    items: files,
                });
            }
        }
        _ => match view.value(&q.id, 0) {
            Some(value) => out.push(Block::Field {
                label,
                value: display(value, Some(q), lang),
            }),
            None => out.push(Block::Field {
                label,
                value: format!("({})", Txt::NotAnswered.get(lang)),
            }),
        },
    }
}

fn member_cell(view: &View<'_>, m: &Question, item: u16, lang: Lang) -> String {
    if m.is_file() {
        return view
            .files(&m.id, item)
            .map(|e| file_line(e.record.original_name.as_deref(), &e.file_name))
            .collect::<Vec<_>>()
            .join(", ");
    }
    view.value(&m.id, item)
        .map(|v| display(v, Some(m), lang))
        .unwrap_or_default()
}

/// "SK Kepala.pdf (01-dasar-hukum-sk-sk-kepala.pdf)", or the archive name alone.
fn file_line(original: Option<&str>, file_name: &str) -> String {
    match original.filter(|n| !n.trim().is_empty()) {
        Some(name) => format!("{name} ({file_name})"),
        None => file_name.to_owned(),
    }
}

/// A long text answer: one with a word limit, or one written over several messages.
fn is_narrative(rules: &TextRules) -> bool {
    rules.max_words.is_some() || rules.min_words.is_some() || rules.multi_message
}

/// (max, min) words of an answer: its own, or its box's when it is the box's only question.
fn word_limits(dialog: &Dialog, q: &Question, rules: &TextRules) -> (Option<u32>, Option<u32>) {
    match dialog.box_of(&q.id) {
        Some(b) if b.questions.len() == 1 => (
            rules.max_words.or(b.max_words),
            rules.min_words.or(b.min_words),
        ),
        _ => (rules.max_words, rules.min_words),
    }
}

/// Words are counted between spaces and line breaks, as the bot counts them.
pub(crate) fn count_words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// "212/200 kata — melebihi batas", "180/200 kata", "95 kata".
fn word_count(text: &str, (max_words, min_words): (Option<u32>, Option<u32>), lang: Lang) -> Block {
    let n = count_words(text);
    let words = Txt::Words.get(lang);
    let mut line = match max_words {
        Some(max) => format!("{n}/{max} {words}"),
        None => format!("{n} {words}"),
    };
    let over = max_words.is_some_and(|max| n > max as usize);
    if over {
        line.push_str(&format!(" — {}", Txt::OverLimit.get(lang)));
    }
    if let Some(min) = min_words.filter(|&min| n < min as usize) {
        line.push_str(&format!(" — {} {min}", Txt::UnderMinimum.get(lang)));
    }
    Block::WordCount { text: line, over }
}

/// Non-empty lines of a narrative, each a paragraph.
fn paragraphs(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
}

/// "3 Juni 2025, 23.59" / "3 June 2025, 23:59"
fn format_datetime(t: NaiveDateTime, lang: Lang) -> String {
    let sep = match lang {
        Lang::Id => '.',
        Lang::En => ':',
    };
    format!(
        "{}, {:02}{sep}{:02}",
        format_date(t.date(), lang),
        t.hour(),
        t.minute()
    )
}

/// "1,2 MB", "340 KB", "0 byte".
pub(crate) fn human_size(bytes: u64, lang: Lang) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    let (value, unit) = if b < KB {
        return match lang {
            Lang::Id => format!("{bytes} byte"),
            Lang::En if bytes == 1 => "1 byte".to_owned(),
            Lang::En => format!("{bytes} bytes"),
        };
    } else if b < KB * KB {
        (b / KB, "KB")
    } else if b < KB * KB * KB {
        (b / KB / KB, "MB")
    } else {
        (b / KB / KB / KB, "GB")
    };
    let rounded = (value * 10.0).round() / 10.0;
    format!("{} {unit}", format_number(rounded, lang))
}

// --- Markdown -----------------------------------------------------------------------------

pub(crate) fn render_markdown(blocks: &[Block]) -> String {
    let mut md = String::new();
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Title(t) => md.push_str(&format!("# {}\n\n", inline(t))),
            Block::Subtitle(t) => md.push_str(&format!("_{}_\n\n", inline(t))),
            Block::Meta { label, value } => {
                md.push_str(&format!("- **{}:** {}\n", inline(label), inline(value)));
                if !matches!(blocks.get(i.saturating_add(1)), Some(Block::Meta { .. })) {
                    md.push('\n');
                }
            }
            Block::Section(t) => md.push_str(&format!("## {}\n\n", inline(t))),
            Block::Question(t) => md.push_str(&format!("### {}\n\n", inline(t))),
            Block::Paragraph(t) => md.push_str(&format!("{}\n\n", line_start(t))),
            Block::WordCount { text, over } => {
                if *over {
                    md.push_str(&format!("**_({text})_**\n\n"));
                } else {
                    md.push_str(&format!("_({text})_\n\n"));
                }
            }
            Block::Field { label, value } if value.is_empty() => {
                md.push_str(&format!("**{}:**\n\n", inline(label)));
            }
            Block::Field { label, value } => {
                md.push_str(&format!("**{}:** {}\n\n", inline(label), inline(value)));
            }
            Block::Placeholder(t) => md.push_str(&format!("_{}_\n\n", inline(t))),
            Block::Table { header, rows } => {
                md.push_str(&table_row(header));
                md.push_str(&format!("|{}\n", "---|".repeat(header.len())));
                for row in rows {
                    md.push_str(&table_row(row));
                }
                md.push('\n');
            }
            Block::List { ordered, items } => {
                for (n, item) in items.iter().enumerate() {
                    if *ordered {
                        md.push_str(&format!("{}. {}\n", n.saturating_add(1), inline(item)));
                    } else {
                        md.push_str(&format!("- {}\n", inline(item)));
                    }
                }
                md.push('\n');
            }
        }
    }
    md
}

fn table_row(cells: &[String]) -> String {
    let cells: Vec<String> = cells
        .iter()
        .map(|c| inline(c).replace('|', "\\|"))
        .collect();
    format!("| {} |\n", cells.join(" | "))
}

/// One line of text: line breaks become spaces.
fn inline(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A paragraph that starts like a Markdown heading, quote, list or table is escaped so it
/// stays a paragraph.
fn line_start(text: &str) -> String {
    let starts_block = text.starts_with(['#', '>', '-', '+', '*', '=', '|', '`'])
        || text
            .split_once(['.', ')'])
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    if starts_block {
        format!("\\{text}")
    } else {
        text.to_owned()
    }
}

// --- DOCX ---------------------------------------------------------------------------------

pub(crate) fn write_docx<W>(blocks: &[Block], out: W) -> Result<(), ExportError>
where
    W: Write + Seek,
{
    use docx_rs::{Docx, Paragraph, Run, Style, StyleType, Table, TableCell, TableRow};

    let mut docx = Docx::new()
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .bold()
                .size(40),
        )
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("Heading 1")
                .bold()
                .size(30)
                .color("1F4E79")
                .outline_lvl(0),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("Heading 2")
                .bold()
                .size(24)
                .outline_lvl(1),
        );
    let text = |s: &str| Run::new().add_text(xml_safe(s));
    for block in blocks {
        docx = match block {
            Block::Title(t) => docx.add_paragraph(Paragraph::new().style("Title").add_run(text(t))),
            Block::Subtitle(t) => docx.add_paragraph(Paragraph::new().add_run(text(t).italic())),
            Block::Meta { label, value } | Block::Field { label, value } => docx.add_paragraph(
                Paragraph::new()
                    .add_run(text(&format!("{label}: ")).bold())
                    .add_run(text(value)),
            ),
            Block::Section(t) => {
                docx.add_paragraph(Paragraph::new().style("Heading1").add_run(text(t)))
            }
            Block::Question(t) => {
                docx.add_paragraph(Paragraph::new().style("Heading2").add_run(text(t)))
            }
            Block::Paragraph(t) => docx.add_paragraph(Paragraph::new().add_run(text(t))),
            Block::WordCount { text: t, over } => {
                let run = text(&format!("({t})")).italic();
                let run = if *over {
                    run.bold().color("C00000")
                } else {
                    run.color("595959")
                };
                docx.add_paragraph(Paragraph::new().add_run(run))
            }
            Block::Placeholder(t) => {
                docx.add_paragraph(Paragraph::new().add_run(text(t).italic().color("808080")))
            }
            Block::Table { header, rows } => {
                let cell = |s: &str, bold: bool| {
                    let run = if bold { text(s).bold() } else { text(s) };
                    TableCell::new().add_paragraph(Paragraph::new().add_run(run))
                };
                let mut table_rows = vec![TableRow::new(
                    header.iter().map(|h| cell(h, true)).collect(),
                )];
                table_rows.extend(
                    rows.iter()
                        .map(|r| TableRow::new(r.iter().map(|c| cell(c, false)).collect())),
                );
                docx.add_table(Table::new(table_rows))
                    .add_paragraph(Paragraph::new())
            }
            Block::List { ordered, items } => {
                for (n, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}. ", n.saturating_add(1))
                    } else {
                        "• ".to_owned()
                    };
                    docx = docx
                        .add_paragraph(Paragraph::new().add_run(text(&format!("{marker}{item}"))));
                }
                docx
            }
        };
    }
    docx.pack(out).map_err(|e| ExportError::Docx(Box::new(e)))?;
    Ok(())
}

/// XML 1.0 cannot hold most control characters: drop them (tabs and line breaks become
/// spaces; paragraphs are split before this).
fn xml_safe(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}
