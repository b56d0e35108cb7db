//! Fitting texts into Telegram's limits: the one place that decides how a long text is cut.
//!
//! Telegram counts a text's length in UTF-16 code units of the text *after* entity parsing:
//! what the person sees, with the tags removed and `&lt;` read as `<`. That is what we measure
//! (exactly, not the raw HTML, which would waste up to half a message on tags and entities): a
//! part "fits" when its visible text has at most `limit` UTF-16 code units.
//!
//! A text over the limit is cut into parts, each cut at the last line end that fits, else at the
//! last space, else between two characters (never inside a tag, an entity or a surrogate pair).
//! The whitespace at a cut (the line end or space, with any blanks around it) is dropped:
//! Telegram trims it anyway, and a part of whitespace alone would be refused. A tag open at a
//! cut is closed at the end of the part and opened again, with the same attributes, at the
//! start of the next, so every part is balanced HTML on its own.
//!
//! Pure: no I/O. [`super::TelegramClient`] sends what these functions produce.

/// Most UTF-16 code units in a message text (`sendMessage`, `editMessageText`).
pub const TEXT_LIMIT: usize = 4096;
/// Most UTF-16 code units in a caption of a document or photo.
pub const CAPTION_LIMIT: usize = 1024;
/// Most characters in the text of an answer to a button press (a plain-text notification),
/// counted here in UTF-16 code units: the stricter reading.
pub const CALLBACK_ANSWER_LIMIT: usize = 200;
/// Most **bytes** in a button's `callback_data`.
pub const CALLBACK_DATA_BYTES: usize = 64;

/// The text parts of a message: each fits [`TEXT_LIMIT`].
pub fn text_parts(html: &str) -> Vec<String> {
    split_html(html, TEXT_LIMIT)
}

/// A caption and what does not fit in it: the first part fits [`CAPTION_LIMIT`] (it goes with
/// the file), the others fit [`TEXT_LIMIT`] (they follow as texts).
pub fn caption_parts(html: &str) -> Vec<String> {
    split_html_first(html, CAPTION_LIMIT, TEXT_LIMIT)
}

/// Splits `html` into parts whose visible text has at most `limit` UTF-16 code units.
pub fn split_html(html: &str, limit: usize) -> Vec<String> {
    split_html_first(html, limit, limit)
}

/// Like [`split_html`], with a different limit for the first part. A limit below 2 is taken
/// as 2, so that any character (an emoji is 2 code units) fits in a part.
pub fn split_html_first(html: &str, first_limit: usize, limit: usize) -> Vec<String> {
    let first_limit = first_limit.max(2);
    let limit = limit.max(2);
    let atoms = atoms(html);
    let total: usize = atoms.iter().map(Atom::width).sum();
    if total <= first_limit {
        return vec![html.to_owned()];
    }
    let mut parts = Vec::new();
    // Tags open where the current part starts: (opening tag as written, name).
    let mut open: Vec<(&str, &str)> = Vec::new();
    let mut start = 0;
    loop {
        start = skip_blank(&atoms, start, &mut open);
        if start >= atoms.len() {
            break;
        }
        let limit = if parts.is_empty() { first_limit } else { limit };
        let (content_end, next_start) = next_cut(&atoms, start, limit);
        let content = atoms.get(start..content_end).unwrap_or_default();
        // Whitespace before a cut is dropped too (Telegram would trim it).
        let solid_end = content
            .iter()
            .rposition(|atom| matches!(atom, Atom::Visible { ch, .. } if !ch.is_whitespace()))
            .map_or(0, |index| index.saturating_add(1));
        let mut part = Emitter::default();
        for (raw, name) in &open {
            part.open(raw, name);
        }
        let mut blank = true;
        for (index, atom) in content.iter().enumerate() {
            match atom {
                Atom::Visible { raw, ch } => {
                    if index >= solid_end && next_start < atoms.len() {
                        continue;
                    }
                    blank &= ch.is_whitespace();
                    part.text(raw);
                }
                Atom::Open { raw, name } => {
                    open.push((raw, name));
                    part.open(raw, name);
                }
                Atom::Close { raw, name } => {
                    if let Some(index) = open.iter().rposition(|(_, open)| open == name) {
                        open.remove(index);
                    }
                    part.close(raw, name);
                }
            }
        }
        for (_, name) in open.iter().rev() {
            part.close(&format!("</{name}>"), name);
        }
        if !blank {
            parts.push(part.finish());
        }
        start = next_start;
    }
    if parts.is_empty() {
        // Nothing visible at all: sent as it is (Telegram will say why it refuses it).
        return vec![html.to_owned()];
    }
    parts
}

/// Skips the whitespace at the start of a part (Telegram would trim it), keeping track of the
/// tags opened and closed on the way; returns where the part's text starts.
fn skip_blank<'a>(
    atoms: &[Atom<'a>],
    mut start: usize,
    open: &mut Vec<(&'a str, &'a str)>,
) -> usize {
    while let Some(atom) = atoms.get(start) {
        match *atom {
            Atom::Visible { ch, .. } if !ch.is_whitespace() => break,
            Atom::Visible { .. } => {}
            Atom::Open { raw, name } => open.push((raw, name)),
            Atom::Close { name, .. } => {
                if let Some(index) = open.iter().rposition(|(_, open)| *open == name) {
                    open.remove(index);
                }
            }
        }
        start = start.saturating_add(1);
    }
    start
}

/// Where the part starting at `start` ends: (end of its atoms, where the next part starts).
/// The two differ by the line end or space dropped at the cut.
fn next_cut(atoms: &[Atom<'_>], start: usize, limit: usize) -> (usize, usize) {
    let mut used = 0usize;
    let mut seen_text = false;
    let mut last_newline = None;
    let mut last_space = None;
    for (index, atom) in atoms.iter().enumerate().skip(start) {
        let Atom::Visible { ch, .. } = atom else {
            continue;
        };
        let width = ch.len_utf16();
        let overflows = used.saturating_add(width) > limit;
        // A separator is a good cut when text precedes it in this part; the one that would
        // overflow is the best of all (the part is then full).
        if seen_text && *ch == '\n' {
            last_newline = Some(index);
        } else if seen_text && *ch == ' ' {
            last_space = Some(index);
        }
        if overflows {
            return match last_newline.or(last_space) {
                Some(separator) => (separator, separator.saturating_add(1)),
                // One word longer than the limit: cut between two characters.
                None if index > start => (index, index),
                // Cannot happen with a limit of at least 2; take the character anyway.
                None => (index.saturating_add(1), index.saturating_add(1)),
            };
        }
        used = used.saturating_add(width);
        seen_text |= !ch.is_whitespace();
    }
    (atoms.len(), atoms.len())
}

/// Builds one part; an opening tag followed directly by its closing tag is left out, so a
/// part neither ends with tags opened for nothing nor starts with tags closed at once.
#[derive(Default)]
struct Emitter {
    pieces: Vec<(Piece, String)>,
}

#[derive(PartialEq)]
enum Piece {
    Text,
    Open(String),
    Close,
}

impl Emitter {
    fn text(&mut self, raw: &str) {
        match self.pieces.last_mut() {
            Some((Piece::Text, text)) => text.push_str(raw),
            _ => self.pieces.push((Piece::Text, raw.to_owned())),
        }
    }

    fn open(&mut self, raw: &str, name: &str) {
        self.pieces
            .push((Piece::Open(name.to_owned()), raw.to_owned()));
    }

    fn close(&mut self, raw: &str, name: &str) {
        if matches!(self.pieces.last(), Some((Piece::Open(open), _)) if open == name) {
            self.pieces.pop();
        } else {
            self.pieces.push((Piece::Close, raw.to_owned()));
        }
    }

    fn finish(self) -> String {
        self.pieces.into_iter().map(|(_, raw)| raw).collect()
    }
}

/// The smallest pieces of an HTML text: one visible character (a character or an entity), or
/// a tag.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Atom<'a> {
    Visible { raw: &'a str, ch: char },
    Open { raw: &'a str, name: &'a str },
    Close { raw: &'a str, name: &'a str },
}

impl Atom<'_> {
    fn width(&self) -> usize {
        match self {
            Atom::Visible { ch, .. } => ch.len_utf16(),
            _ => 0,
        }
    }
}

fn atoms(html: &str) -> Vec<Atom<'_>> {
    let mut atoms = Vec::new();
    let mut rest = html;
    while let Some(first) = rest.chars().next() {
        let found = match first {
            '<' => tag(rest),
            '&' => entity(rest),
            _ => None,
        };
        let (atom, length) = found.unwrap_or_else(|| {
            let length = first.len_utf8();
            let raw = rest.get(..length).unwrap_or_default();
            (Atom::Visible { raw, ch: first }, length)
        });
        atoms.push(atom);
        match rest.get(length..) {
            Some(tail) => rest = tail,
            None => break,
        }
    }
    atoms
}

/// A tag at the start of `rest` (`<b>`, `</b>`, `<a href="…">`); `None` for a lone `<`.
fn tag(rest: &str) -> Option<(Atom<'_>, usize)> {
    let mut quote = None;
    let mut end = None;
    for (index, c) in rest.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => {
                end = Some(index);
                break;
            }
            (None, '<') => return None,
            _ => {}
        }
    }
    let end = end?;
    let raw = rest.get(..=end)?;
    let inner = rest.get(1..end)?;
    let is_name = |name: &str| {
        name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let atom = match inner.strip_prefix('/') {
        Some(name) => {
            let name = name.trim();
            is_name(name).then_some(Atom::Close { raw, name })?
        }
        None => {
            let name = inner
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or_default();
            is_name(name).then_some(Atom::Open { raw, name })?
        }
    };
    Some((atom, raw.len()))
}

/// An entity at the start of `rest` (`&lt;`, `&#128512;`, `&#x1F600;`); `None` for a lone `&`.
fn entity(rest: &str) -> Option<(Atom<'_>, usize)> {
    let end = rest.char_indices().take(12).find(|(_, c)| *c == ';')?.0;
    let raw = rest.get(..=end)?;
    let name = rest.get(1..end)?;
    let ch = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((Atom::Visible { raw, ch }, raw.len()))
}

/// The text a person sees: tags removed, entities decoded.
pub fn visible_text(html: &str) -> String {
    atoms(html)
        .into_iter()
        .filter_map(|atom| match atom {
            Atom::Visible { ch, .. } => Some(ch),
            _ => None,
        })
        .collect()
}

/// The length Telegram counts: UTF-16 code units of the visible text.
pub fn visible_len(html: &str) -> usize {
    atoms(html).iter().map(Atom::width).sum()
}

/// Cuts a plain text (not HTML) to at most `limit` UTF-16 code units, between two characters,
/// ending with "…" when something was cut.
pub fn cut_plain(text: &str, limit: usize) -> String {
    if text.encode_utf16().count() <= limit {
        return text.to_owned();
    }
    let room = limit.saturating_sub('…'.len_utf16());
    let mut used = 0usize;
    let mut out = String::new();
    for c in text.chars() {
        used = used.saturating_add(c.len_utf16());
        if used > room {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
#[allow(
    clippy::arithmetic_side_effects,
    clippy::string_slice,
    reason = "tests may panic"
)]
mod tests;
