use proptest::prelude::*;

use super::*;

/// Tags Telegram's HTML parse mode knows.
const KNOWN: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-spoiler",
    "span",
];

/// Each visible character with the opening tags (as written) around it.
fn styled(html: &str) -> Vec<(char, Vec<String>)> {
    let mut open: Vec<String> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for atom in atoms(html) {
        match atom {
            Atom::Visible { ch, .. } => out.push((ch, open.clone())),
            Atom::Open { raw, name } => {
                open.push(raw.to_owned());
                names.push(name.to_owned());
            }
            Atom::Close { name, .. } => {
                if names.last().map(String::as_str) == Some(name) {
                    names.pop();
                    open.pop();
                }
            }
        }
    }
    out
}

/// Known tags only, properly nested, all closed.
fn balanced(html: &str) -> Result<(), String> {
    let mut stack = Vec::new();
    for atom in atoms(html) {
        match atom {
            Atom::Visible { .. } => {}
            Atom::Open { name, .. } => {
                if !KNOWN.contains(&name) {
                    return Err(format!("unknown tag {name}"));
                }
                stack.push(name);
            }
            Atom::Close { name, .. } => {
                if stack.pop() != Some(name) {
                    return Err(format!("unexpected </{name}>"));
                }
            }
        }
    }
    match stack.pop() {
        Some(name) => Err(format!("<{name}> not closed")),
        None => Ok(()),
    }
}

/// The parts, read one after the other, are the original: same characters with the same
/// formatting, in order; only whitespace at the cuts may be missing.
fn reassembles(original: &str, parts: &[String]) -> bool {
    let whole = styled(original);
    let parts: Vec<Vec<(char, Vec<String>)>> = parts.iter().map(|part| styled(part)).collect();
    fn from(whole: &[(char, Vec<String>)], parts: &[Vec<(char, Vec<String>)>]) -> bool {
        let Some((part, rest)) = parts.split_first() else {
            return whole.iter().all(|(ch, _)| ch.is_whitespace());
        };
        let mut skip = 0;
        loop {
            let Some(tail) = whole.get(skip..) else {
                return false;
            };
            if tail.starts_with(part) && from(tail.get(part.len()..).unwrap_or_default(), rest) {
                return true;
            }
            match tail.first() {
                Some((ch, _)) if ch.is_whitespace() => skip += 1,
                _ => return false,
            }
        }
    }
    from(&whole, &parts)
}

fn check(html: &str, first_limit: usize, limit: usize) -> Vec<String> {
    let parts = split_html_first(html, first_limit, limit);
    for (index, part) in parts.iter().enumerate() {
        let allowed = if index == 0 { first_limit } else { limit };
        assert!(
            visible_len(part) <= allowed.max(2),
            "part {index} too long: {part:?}"
        );
    }
    parts
}

#[test]
fn a_text_that_fits_is_sent_as_it_is() {
    let html = "<b>Halo</b> &amp; selamat datang 👋";
    assert_eq!(text_parts(html), vec![html.to_owned()]);
    assert_eq!(split_html("", 10), vec![String::new()]);
}

#[test]
fn length_is_the_visible_text_in_utf16() {
    assert_eq!(visible_len("<b>a&amp;b</b>"), 3);
    assert_eq!(visible_len("😀"), 2);
    assert_eq!(visible_len("&#128512;&#x1F4E3;"), 4);
    assert_eq!(visible_len("مكتبة"), 5);
    assert_eq!(visible_len("a & b < c"), 9, "a lone & or < is text");
    assert_eq!(
        visible_text("<a href=\"x?a=1&amp;b\">tautan</a> &quot;ok&quot;"),
        "tautan \"ok\""
    );
}

#[test]
fn cuts_at_the_last_line_end_that_fits() {
    let parts = check("satu dua\ntiga empat\nlima", 20, 20);
    assert_eq!(parts, ["satu dua\ntiga empat", "lima"]);
}

#[test]
fn cuts_at_a_space_when_a_line_is_too_long() {
    let parts = check("satu dua tiga empat lima", 10, 10);
    assert_eq!(parts, ["satu dua", "tiga empat", "lima"]);
}

#[test]
fn cuts_between_characters_when_a_word_is_too_long() {
    let parts = check("😀😀😀😀😀", 4, 4);
    assert_eq!(parts, ["😀😀", "😀😀", "😀"]);
    let parts = check("abcdefg", 3, 3);
    assert_eq!(parts, ["abc", "def", "g"]);
}

#[test]
fn never_cuts_an_entity_or_a_tag() {
    let parts = check("&amp;&amp;&amp;&amp;", 3, 3);
    assert_eq!(parts, ["&amp;&amp;&amp;", "&amp;"]);
    let parts = check("ab<a href=\"https://x.id/a b\">cd</a>", 3, 3);
    assert_eq!(
        parts,
        [
            "ab<a href=\"https://x.id/a b\">c</a>",
            "<a href=\"https://x.id/a b\">d</a>"
        ]
    );
}

#[test]
fn open_tags_are_closed_and_reopened_with_their_attributes() {
    let html = "<blockquote><b>satu\n<i>dua</i> tiga</b></blockquote>\n<a href=\"https://perpusnas.go.id\">empat lima</a>";
    let parts = check(html, 8, 8);
    assert_eq!(
        parts,
        [
            "<blockquote><b>satu</b></blockquote>",
            "<blockquote><b><i>dua</i> tiga</b></blockquote>",
            "<a href=\"https://perpusnas.go.id\">empat</a>",
            "<a href=\"https://perpusnas.go.id\">lima</a>",
        ]
    );
    for part in &parts {
        balanced(part).unwrap();
    }
    assert!(reassembles(html, &parts));
}

#[test]
fn a_tag_opened_at_a_cut_starts_the_next_part() {
    let parts = check("abcd\n<b>efgh</b>", 5, 5);
    assert_eq!(parts, ["abcd", "<b>efgh</b>"]);
    let parts = check("abcd<b>\nefgh</b>", 5, 5);
    assert_eq!(parts, ["abcd", "<b>efgh</b>"]);
    let parts = check("<b>abcd\n</b>efgh", 5, 5);
    assert_eq!(parts, ["<b>abcd</b>", "efgh"]);
}

#[test]
fn blank_stretches_longer_than_a_part_are_left_out() {
    let html = format!("awal{}akhir", "\n".repeat(30));
    let parts = check(&html, 10, 10);
    assert_eq!(parts, ["awal", "akhir"]);
    assert!(reassembles(&html, &parts));
}

#[test]
fn a_caption_takes_the_first_part_and_texts_the_rest() {
    let html = format!("<b>Grafik</b>\n{}", "kata ".repeat(400));
    let parts = caption_parts(&html);
    assert!(parts.len() >= 2);
    assert!(visible_len(&parts[0]) <= CAPTION_LIMIT);
    assert!(parts[0].starts_with("<b>Grafik</b>"));
    for part in &parts[1..] {
        assert!(visible_len(part) <= TEXT_LIMIT);
    }
    assert!(reassembles(&html, &parts));
}

#[test]
fn a_long_message_fills_its_parts() {
    let line = "Inovasi layanan perpustakaan keliling 📚 untuk warga desa — مكتبة\n";
    let html = line.repeat(200);
    let parts = text_parts(&html);
    assert_eq!(parts.len(), 4);
    for part in &parts[..3] {
        let length = visible_len(part);
        assert!(length <= TEXT_LIMIT && length > TEXT_LIMIT - 80, "{length}");
    }
    assert!(reassembles(&html, &parts));
}

#[test]
fn callback_answers_are_cut_with_an_ellipsis() {
    assert_eq!(cut_plain("Tersimpan", CALLBACK_ANSWER_LIMIT), "Tersimpan");
    let long = "😀".repeat(150);
    let cut = cut_plain(&long, CALLBACK_ANSWER_LIMIT);
    assert!(cut.encode_utf16().count() <= CALLBACK_ANSWER_LIMIT);
    assert!(cut.ends_with('…'));
    assert_eq!(cut.chars().count(), 99 + 1);
    assert_eq!(cut_plain("abcdef", 4), "abc…");
}

// ---- properties -----------------------------------------------------------------------------

/// A fixed seed, so a failure repeats; `PROPTEST_RNG_SEED` chooses another.
fn config() -> ProptestConfig {
    crate::test_support::proptest_config(256)
}

#[derive(Debug, Clone)]
enum Node {
    Text(String),
    Tag(&'static str, &'static str, Vec<Node>),
}

impl Node {
    fn render(&self, out: &mut String) {
        match self {
            Node::Text(text) => out.push_str(text),
            Node::Tag(open, name, children) => {
                out.push_str(open);
                for child in children {
                    child.render(out);
                }
                out.push_str(&format!("</{name}>"));
            }
        }
    }
}

fn render(nodes: &[Node]) -> String {
    let mut out = String::new();
    for node in nodes {
        node.render(&mut out);
    }
    out
}

fn text() -> impl Strategy<Value = Node> {
    let words = prop::sample::select(vec![
        "Perpustakaan",
        "nasional",
        "inovasi",
        "layanan",
        "😀",
        "📚👩‍💻",
        "مكتبة",
        "وطنية",
        "é",
        "&lt;",
        "&gt;",
        "&amp;",
        "&quot;",
        "&#128512;",
        "&#x1F4E3;",
        " ",
        " ",
        "  ",
        "\n",
        "\n",
        "\n\n",
        "sangatpanjangsekalikatainitanpaspasi",
        "1.234,5",
    ]);
    prop::collection::vec(words, 0..24).prop_map(|words| Node::Text(words.concat()))
}

fn tag() -> impl Strategy<Value = (&'static str, &'static str)> {
    prop::sample::select(vec![
        ("<b>", "b"),
        ("<strong>", "strong"),
        ("<i>", "i"),
        ("<em>", "em"),
        ("<u>", "u"),
        ("<ins>", "ins"),
        ("<s>", "s"),
        ("<strike>", "strike"),
        ("<del>", "del"),
        ("<a href=\"https://perpusnas.go.id/cari?q=a&amp;b=2\">", "a"),
        ("<a href='tg://user?id=5001'>", "a"),
        ("<code>", "code"),
        ("<pre>", "pre"),
        ("<code class=\"language-rust\">", "code"),
        ("<blockquote>", "blockquote"),
        ("<blockquote expandable>", "blockquote"),
        ("<tg-spoiler>", "tg-spoiler"),
        ("<span class=\"tg-spoiler\">", "span"),
    ])
}

fn document() -> impl Strategy<Value = String> {
    let node = text().prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            2 => (tag(), prop::collection::vec(inner.clone(), 0..6))
                .prop_map(|((open, name), children)| Node::Tag(open, name, children)),
            1 => inner,
        ]
    });
    prop::collection::vec(node, 0..8).prop_map(|nodes| render(&nodes))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parts_fit_are_balanced_and_reassemble(
        html in document(),
        limit in 2usize..300,
        first_limit in 2usize..300,
    ) {
        prop_assert!(balanced(&html).is_ok());
        let parts = split_html_first(&html, first_limit, limit);
        prop_assert!(!parts.is_empty());
        for (index, part) in parts.iter().enumerate() {
            let allowed = if index == 0 { first_limit } else { limit };
            prop_assert!(visible_len(part) <= allowed || parts.len() == 1 && part == &html,
                "part {} over {}: {:?}", index, allowed, part);
            prop_assert!(balanced(part).is_ok(), "{:?}: {:?}", balanced(part), part);
            if parts.len() > 1 {
                prop_assert!(!visible_text(part).trim().is_empty(), "blank part {:?}", part);
            }
        }
        prop_assert!(reassembles(&html, &parts), "{:?} -> {:?}", html, parts);
    }

    #[test]
    fn any_text_is_cut_within_the_limit_without_losing_characters(
        raw in "\\PC{0,400}",
        limit in 2usize..120,
    ) {
        let parts = split_html(&raw, limit);
        let fits_whole = visible_len(&raw) <= limit;
        for part in &parts {
            prop_assert!(fits_whole || visible_len(part) <= limit);
        }
        let solid = |s: &str| -> String {
            visible_text(s).chars().filter(|c| !c.is_whitespace()).collect()
        };
        let joined: String = parts.iter().map(|part| solid(part)).collect();
        prop_assert_eq!(joined, solid(&raw));
    }

    #[test]
    fn plain_cuts_fit(raw in "\\PC{0,300}", limit in 1usize..250) {
        let cut = cut_plain(&raw, limit);
        prop_assert!(cut.encode_utf16().count() <= limit.max(1));
        if raw.encode_utf16().count() <= limit {
            prop_assert_eq!(cut, raw);
        }
    }
}
