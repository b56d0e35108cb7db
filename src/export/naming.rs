//! Safe, readable names inside the evidence archive: ASCII only, no path separators, no `..`,
//! no control characters, bounded length. `PUSDATIN/012-layar-kaca/01-dasar-hukum-sk-kepala.pdf`.

/// Longest file name inside an innovation's folder, extension included.
pub(crate) const MAX_FILE_NAME: usize = 80;
const MAX_LABEL_SLUG: usize = 30;
const MAX_TITLE_SLUG: usize = 40;
const MAX_UNIT_SLUG: usize = 40;

/// Lower-case ASCII words joined by `-`: accents folded (`é` → `e`), everything else a separator.
pub(crate) fn slug(text: &str, max: usize) -> String {
    let words = join_words(text, |c| c.is_ascii_alphanumeric());
    cut(words.to_ascii_lowercase(), max)
}

/// A unit code as a folder name: case kept, `[A-Za-z0-9_-]` only.
pub(crate) fn unit_folder(code: &str) -> String {
    let words = join_words(code, |c| c.is_ascii_alphanumeric() || c == '_');
    let folder = cut(words, MAX_UNIT_SLUG);
    if folder.is_empty() {
        "UNIT".to_owned()
    } else {
        folder
    }
}

/// The runs of characters that `keep` accepts, joined by single `-`.
fn join_words(text: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in ascii_fold(text).chars() {
        if keep(c) {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

/// `012-layar-kaca`; the id keeps folders unique whatever the titles.
pub(crate) fn innovation_folder(id: i64, title: &str) -> String {
    let title = slug(title, MAX_TITLE_SLUG);
    if title.is_empty() {
        format!("{id:03}")
    } else {
        format!("{id:03}-{title}")
    }
}

/// `01-dasar-hukum-sk-sk-kepala.pdf`: number, question label (with the item for group members),
/// the original name's stem, and an extension from the original name or the MIME type.
pub(crate) fn evidence_file_name(
    number: usize,
    label: &str,
    original_name: Option<&str>,
    mime_type: Option<&str>,
    kind: &str,
) -> String {
    let original = original_name.map(last_component).unwrap_or_default();
    let (stem, ext) = split_extension(original);
    let ext = ext
        .or_else(|| mime_type.and_then(extension_for_mime))
        .unwrap_or(match kind {
            "photo" => "jpg",
            "video" => "mp4",
            _ => "bin",
        })
        .to_ascii_lowercase();
    let mut name = format!("{number:02}");
    let label = slug(label, MAX_LABEL_SLUG);
    if !label.is_empty() {
        name.push('-');
        name.push_str(&label);
    }
    let room = MAX_FILE_NAME.saturating_sub(name.len().saturating_add(2).saturating_add(ext.len()));
    let stem = slug(stem, room);
    if !stem.is_empty() {
        name.push('-');
        name.push_str(&stem);
    }
    name.push('.');
    name.push_str(&ext);
    name
}

/// A name for a file the caller adds at the archive root: the file name part only, with
/// anything but `[A-Za-z0-9._-]` replaced, no leading dot.
pub(crate) fn root_file_name(name: &str) -> String {
    let base = last_component(name);
    let mut out: String = ascii_fold(base)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    while out.starts_with('.') {
        out.remove(0);
    }
    let out = cut_keep_end(out, MAX_FILE_NAME);
    if out.is_empty() {
        "file".to_owned()
    } else {
        out
    }
}

/// Whether a file of this extension is already compressed (so it is stored, not deflated).
pub(crate) fn is_precompressed(file_name: &str) -> bool {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e)
        .unwrap_or_default();
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "jpg"
            | "jpeg"
            | "png"
            | "gif"
            | "webp"
            | "heic"
            | "heif"
            | "mp4"
            | "m4v"
            | "mov"
            | "webm"
            | "mkv"
            | "avi"
            | "3gp"
            | "mp3"
            | "m4a"
            | "aac"
            | "ogg"
            | "oga"
            | "opus"
            | "pdf"
            | "zip"
            | "gz"
            | "7z"
            | "rar"
            | "xz"
            | "bz2"
            | "docx"
            | "xlsx"
            | "pptx"
            | "odt"
            | "ods"
            | "odp"
    )
}

/// The part after the last `/` or `\`: `../../etc/passwd` → `passwd`.
fn last_component(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or_default()
}

/// `SK Kepala.PDF` → (`SK Kepala`, Some(`PDF`)); an extension is 1–8 ASCII letters or digits.
fn split_extension(name: &str) -> (&str, Option<&str>) {
    match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.trim_matches('.').is_empty()
                && (1..=8).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            (stem, Some(ext))
        }
        _ => (name, None),
    }
}

fn extension_for_mime(mime: &str) -> Option<&'static str> {
    let mime = mime.split(';').next().unwrap_or_default().trim();
    Some(match mime.to_ascii_lowercase().as_str() {
        "application/pdf" => "pdf",
        "application/msword" => "doc",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.ms-excel" => "xls",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "application/vnd.ms-powerpoint" => "ppt",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => "pptx",
        "application/zip" => "zip",
        "text/plain" => "txt",
        "text/csv" => "csv",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/heic" => "heic",
        "video/mp4" => "mp4",
        "video/quicktime" => "mov",
        "video/webm" => "webm",
        "audio/mpeg" => "mp3",
        "audio/ogg" => "ogg",
        "audio/mp4" => "m4a",
        _ => return None,
    })
}

/// Latin letters with diacritics as plain ASCII (`é` → `e`, `ß` → `ss`); other non-ASCII
/// characters become spaces (separators).
fn ascii_fold(text: &str) -> String {
    // A small table is enough: Indonesian uses the plain alphabet, and names borrowed from
    // European languages use these letters. Other scripts become separators.
    const TABLE: &[(&str, &str)] = &[
        ("àáâãäåāăą", "a"),
        ("ÀÁÂÃÄÅĀĂĄ", "A"),
        ("çćĉċč", "c"),
        ("ÇĆĈĊČ", "C"),
        ("ďđ", "d"),
        ("ĎĐ", "D"),
        ("èéêëēĕėęě", "e"),
        ("ÈÉÊËĒĔĖĘĚ", "E"),
        ("ĝğġģ", "g"),
        ("ĜĞĠĢ", "G"),
        ("ìíîïĩīĭįı", "i"),
        ("ÌÍÎÏĨĪĬĮİ", "I"),
        ("ñńņňŉ", "n"),
        ("ÑŃŅŇ", "N"),
        ("òóôõöøōŏő", "o"),
        ("ÒÓÔÕÖØŌŎŐ", "O"),
        ("śŝşš", "s"),
        ("ŚŜŞŠ", "S"),
        ("ţťŧ", "t"),
        ("ŢŤŦ", "T"),
        ("ùúûüũūŭůűų", "u"),
        ("ÙÚÛÜŨŪŬŮŰŲ", "U"),
        ("ýÿŷ", "y"),
        ("ÝŸŶ", "Y"),
        ("źżž", "z"),
        ("ŹŻŽ", "Z"),
        ("ß", "ss"),
        ("æ", "ae"),
        ("Æ", "AE"),
        ("œ", "oe"),
        ("Œ", "OE"),
    ];
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let folded = TABLE
            .iter()
            .find(|(from, _)| from.contains(c))
            .map_or(" ", |(_, to)| to);
        out.push_str(folded);
    }
    out
}

/// At most `max` bytes, never cut inside a character.
fn truncated(mut text: String, max: usize) -> String {
    while text.len() > max {
        text.pop();
    }
    text
}

/// At most `max` bytes (the text is ASCII), without a trailing `-`.
fn cut(text: String, max: usize) -> String {
    let mut text = truncated(text, max);
    while text.ends_with('-') {
        text.pop();
    }
    text
}

/// At most `max` bytes of ASCII, keeping the extension at the end.
fn cut_keep_end(text: String, max: usize) -> String {
    if text.len() <= max {
        return text;
    }
    match text.rsplit_once('.') {
        Some((stem, ext)) if ext.len() < max / 2 => {
            let room = max.saturating_sub(ext.len()).saturating_sub(1);
            format!("{}.{ext}", truncated(stem.to_owned(), room))
        }
        _ => truncated(text, max),
    }
}
