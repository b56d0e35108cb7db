//! Hostile input: ten thousand generated updates thrown at the running bot, from real people of
//! two units, the bureau, strangers, groups, channels and other bots.
//!
//! The updates go out in rounds in which every chat gets at most one update, so each reply can
//! be traced to the update that caused it while hundreds of chats are handled at once. After
//! every round: every human in a private chat got an answer, a group got exactly the
//! private-chat hint, nobody else got anything, and a button naming another unit's innovation
//! was refused. At the end: the bot still answers, no message carried one unit's data to the
//! other or any data to a stranger, the database holds only what the real people may write, the
//! evidence folder holds only hash-named files, and the token is in no log line.
//!
//! The generator is seeded: a fixed seed by default, so every run is the same; the seed is
//! printed and in every failure message, and `HOSTILE_SEED=<seed>` runs another one.

use std::{
    collections::{HashMap, HashSet},
    path::Path,
    time::{Duration, Instant},
};

use kipp_bot::{
    bot::{callbacks::Action, texts},
    dialog::{Dialog, Question, QuestionKind},
    domain::{Lang, Role},
    storage::Unit,
};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::IndexedRandom};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::sqlite::SqlitePool;

use crate::{
    capture,
    fake_telegram::{Fault, Sent, TgUser},
    helpers::{BUREAU_ID, TOKEN, TestApp, both, drain},
    questionnaire::{Staff, kipp2025},
};

/// Updates thrown at the bot, not counting the setup.
const UPDATES: usize = 10_000;
/// Updates per round (each to a different chat).
const ROUND: usize = 90;
const STRANGERS: i64 = 400;
const GROUPS: i64 = 60;
const CHANNELS: i64 = 10;
const BOTS: i64 = 10;
/// Server errors injected into the bot's replies (each retried).
const SEND_FAULTS: usize = 2;

/// The seed of CI's runs; `HOSTILE_SEED=<seed>` runs another one.
const DEFAULT_SEED: u64 = 20_250_603;

#[test]
fn ten_thousand_hostile_updates_reach_no_data_and_break_nothing() {
    let seed = capture::seed("HOSTILE_SEED", DEFAULT_SEED);
    println!("hostile input seed: {seed} (HOSTILE_SEED={seed} replays this run)");
    let started = Instant::now();
    let logs = capture::run(
        "hostile",
        "debug,kipp_bot=trace,teloxide=trace,teloxide_core=trace,reqwest=trace",
        seed,
        |_| hostile_run(seed),
    );
    assert!(
        logs.contains("kipp-bot is running") && logs.contains("retrying Telegram call"),
        "seed {seed}: the bot's logs were captured, from its handlers too"
    );
    let errors = capture::errors(&logs, 3);
    assert!(
        errors.is_empty(),
        "seed {seed}: errors were logged: {errors:#?}"
    );
    let secret = TOKEN.split_once(':').expect("a bot token").1;
    let leaked: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains(secret))
        .take(3)
        .collect();
    assert!(
        leaked.is_empty(),
        "seed {seed}: the token is in the logs: {leaked:#?}"
    );
    println!(
        "hostile input: {} log lines checked for the token; {:.1} s in all",
        logs.lines().count(),
        started.elapsed().as_secs_f64()
    );
}

// ---- the world ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Staff { unit: usize },
    Coordinator { unit: usize },
    Bureau,
    Stranger,
}

impl Who {
    fn unit(self) -> Option<usize> {
        match self {
            Who::Staff { unit } | Who::Coordinator { unit } => Some(unit),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
struct Actor {
    user: TgUser,
    who: Who,
    /// The innovation a staff member is working on.
    own: Option<i64>,
}

/// What the generator knows and what the checks need.
struct World {
    dialog: Dialog,
    /// Questions as buttons count them: top-level questions, then each group's members.
    questions: Vec<Question>,
    question_count: u16,
    /// Button indexes of the file questions.
    file_questions: Vec<u16>,
    /// Innovation ids per unit (index 0: ALFA, 1: BRAVO).
    innovations: [Vec<i64>; 2],
    /// The title marker of each unit's innovations: it must never reach the other unit.
    markers: [&'static str; 2],
}

impl World {
    fn unit_of(&self, innovation: i64) -> Option<usize> {
        (0..2).find(|&unit| self.innovations[unit].contains(&innovation))
    }
}

/// What must follow an update, checked when its round is over.
#[derive(Debug)]
enum Expect {
    /// A human in a private chat: at least one new message in that chat.
    Reply { chat: i64, what: String },
    /// A human in a group: exactly the private-chat hint.
    GroupHint { chat: i64, lang: Lang },
    /// A bot or a channel: nothing, ever.
    Silence { chat: i64 },
    /// A button press: answered; refused when it names another unit's innovation.
    Press {
        chat: i64,
        data: String,
        cross_unit: bool,
        stranger: bool,
    },
}

impl Expect {
    fn chat(&self) -> i64 {
        match self {
            Expect::Reply { chat, .. }
            | Expect::GroupHint { chat, .. }
            | Expect::Silence { chat }
            | Expect::Press { chat, .. } => *chat,
        }
    }
}

// ---- generators ------------------------------------------------------------------------------

fn random_unicode(rng: &mut StdRng, len: usize) -> String {
    (0..len)
        .filter_map(|_| {
            let plane = rng.random_range(0..10);
            let code = match plane {
                0..=3 => rng.random_range(0..0x80),
                4..=6 => rng.random_range(0x80..0x1_0000),
                _ => rng.random_range(0x1_0000..0x11_0000),
            };
            char::from_u32(code)
        })
        .collect()
}

fn hostile_text(rng: &mut StdRng) -> String {
    const FIXED: &[&str] = &[
        "",
        " ",
        " \n\t\r ",
        "\u{0}",
        "NUL\u{0}in\u{0}the\u{0}middle",
        "\u{1}\u{2}\u{7}\u{8}\u{1b}[31mred\u{1b}[0m\u{7f}\u{85}\u{2028}\u{2029}",
        "\u{202e}gnp.exe \u{202d}\u{200f}مرحبا بالعالم\u{200e} שלום עולם",
        "e\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}\u{308}\u{309}\u{30a}\u{30b}\u{30c}",
        "👨‍👩‍👧‍👦🏳️‍🌈👩🏽‍💻🧑‍🤝‍🧑🏿 🇮🇩 1️⃣ #️⃣",
        "\u{feff}\u{fffd}\u{fffe}\u{ffff}\u{10ffff}\u{e000}",
        "\u{200b}\u{200c}\u{200d}\u{2060}",
        "<b>tebal</b>",
        "</code>",
        "<code>",
        "&amp;",
        "&",
        "&lt",
        "&#0;&#x110000;&bogus;",
        "<",
        ">",
        "<a href=\"javascript:alert(1)\">klik</a>",
        "<a href=\"tg://user?id=5001\">bureau</a>",
        "<script>alert(1)</script>",
        "<tg-spoiler>rahasia</tg-spoiler><pre><code class=\"language-rust\">x</code></pre>",
        "*tebal* _miring_ `kode` ```blok``` [tautan](http://evil.example) ~coret~ ||spoiler||",
        "\\*escaped\\* \\_ \\` %s %n {0} {{}} ${PATH} $(reboot) `rm -rf /`",
        "'; DROP TABLE answers; --",
        "\" OR 1=1 --",
        "ya",
        "Tidak",
        "1",
        "0",
        "-1",
        "99",
        "4, 9, 10",
        "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17",
        "1e309",
        "NaN",
        "-0",
        "99999999999999999999999999",
        "0,001",
        "1.000.000,5",
        "31 Februari 2024",
        "29/02/2023",
        "1 Januari 99999",
        "0812 3456 7890",
        "+62 000",
        "a@b.go.id",
        "@",
        "https://youtu.be/dQw4w9WgXcQ",
        "javascript:alert(1)",
        "http://[::1]:80/",
        "lanjut",
        "tambah",
    ];
    match rng.random_range(0..100) {
        0..=1 => {
            // 100 KB: a long answer pasted many times over.
            let mut text = String::with_capacity(100 * 1024);
            while text.len() < 100 * 1024 {
                text.push_str("kata <b>&amp; ");
            }
            text
        }
        2 => "x".repeat(rng.random_range(4000..9000)),
        3 => "\n".repeat(rng.random_range(100..5000)),
        4 => "🧑‍🤝‍🧑".repeat(rng.random_range(500..1500)),
        5..=19 => {
            let len = rng.random_range(1..200);
            random_unicode(rng, len)
        }
        20..=29 => {
            // Several hostile pieces in one message.
            let count = rng.random_range(2..6);
            (0..count)
                .map(|_| *FIXED.choose(rng).expect("not empty"))
                .collect::<Vec<_>>()
                .join(" ")
        }
        _ => (*FIXED.choose(rng).expect("not empty")).to_owned(),
    }
}

const COMMANDS: &[&str] = &[
    "start",
    "help",
    "whoami",
    "lang",
    "new",
    "list",
    "review",
    "submit",
    "reopen",
    "status",
    "digest",
    "cancel",
    "deadline",
    "broadcast",
    "units",
    "invite",
    "invitations",
    "users",
    "user",
    "nonsense",
    "HELP",
    "whoami@kipp_test_bot",
    "help@another_bot",
    "",
    "/",
    "start@kipp_test_bot",
];

fn command_args(rng: &mut StdRng, world: &World) -> String {
    let all: Vec<i64> = world.innovations.iter().flatten().copied().collect();
    match rng.random_range(0..12) {
        0..=2 => String::new(),
        3..=4 => all.choose(rng).expect("innovations").to_string(),
        5 => [
            "-1",
            "0",
            "99999999999999999999",
            "9223372036854775807",
            "1.5",
            "#1",
        ]
        .choose(rng)
        .expect("not empty")
        .to_string(),
        6 => "add EVIL <b>Unit</b> &amp;".into(),
        7 => "staff ALFA 500 7d".into(),
        8 => "en".into(),
        9 => "5001 deactivate".into(),
        10 => "../../etc/passwd".into(),
        _ => hostile_text(rng).chars().take(300).collect(),
    }
}

fn hostile_command(rng: &mut StdRng, world: &World, who: Who) -> String {
    loop {
        let name = *COMMANDS.choose(rng).expect("not empty");
        let args = command_args(rng, world);
        let bare = name.split('@').next().unwrap_or("").to_lowercase();
        // The real people keep to what cannot change the set of data the checks expect:
        // no new innovations, no units, roles, deadlines or broadcasts.
        let changes_data = match who {
            Who::Staff { .. } => bare == "new",
            Who::Bureau => {
                matches!(bare.as_str(), "user" | "deadline" | "broadcast")
                    || (bare == "units" && !args.is_empty())
            }
            _ => false,
        };
        if changes_data {
            continue;
        }
        let name = name.trim_start_matches('/');
        return if args.is_empty() {
            format!("/{name}")
        } else {
            format!("/{name} {args}")
        };
    }
}

const STEPS: &[&str] = &[
    "ok", "y", "n", "s", "b", "p", "x", "a1", "a0", "c0", "c1", "c7", "c8", "c65535", "t0", "t3",
    "t16", "t17", "t99", "zz", "",
];

/// Forged button data; `true` when it names an innovation of another unit than the presser's.
fn forged_data(rng: &mut StdRng, world: &World, actor: &Actor) -> (String, bool) {
    let other_unit = actor.who.unit().map(|unit| 1 - unit);
    let q = |rng: &mut StdRng| rng.random_range(0..world.question_count + 3);
    let item = |rng: &mut StdRng| *[0u32, 0, 0, 1, 2, 9, 10, 65535].choose(rng).expect("items");
    let step = |rng: &mut StdRng| *STEPS.choose(rng).expect("steps");
    let with_id = |rng: &mut StdRng, id: i64| -> String {
        match rng.random_range(0..6) {
            0 => format!("v:{id}"),
            1 => format!("r:{id}"),
            2 => format!("s:{id}"),
            3 => format!("e:{id}:{}:{}", q(rng), item(rng)),
            4 => format!("x:{id}:{}", rng.random_range(-1..20)),
            _ => format!("d:{id}:{}:{}:{}", q(rng), item(rng), step(rng)),
        }
    };
    let roll = rng.random_range(0..10);
    if let Some(other) = other_unit
        && roll < 4
    {
        let id = *world.innovations[other].choose(rng).expect("innovations");
        return (with_id(rng, id), true);
    }
    if let Some(own) = actor.own
        && roll < 7
    {
        // Often to a file question: the uploads are where names and sizes are hostile.
        if rng.random_bool(0.3) {
            let file = world.file_questions.choose(rng).expect("file questions");
            return (format!("e:{own}:{file}:0"), false);
        }
        return (with_id(rng, own), false);
    }
    if actor.who == Who::Stranger && roll < 5 {
        let all: Vec<i64> = world.innovations.iter().flatten().copied().collect();
        let id = *all.choose(rng).expect("innovations");
        return (with_id(rng, id), false);
    }
    let garbage = [
        String::new(),
        "💥".into(),
        "v:".into(),
        "v:-1".into(),
        "v:0".into(),
        "v:99999999999999999999999".into(),
        "v:9223372036854775807".into(),
        "s:-9223372036854775808".into(),
        "e:1:65536:0".into(),
        "e:1:-1:0".into(),
        "d:1:2:3".into(),
        "d:1:2:3:c-1".into(),
        "x:1".into(),
        "lang:xx".into(),
        "lang:en".into(),
        "lang:id".into(),
        "lang:".into(),
        "inv:r:god".into(),
        "inv:r:staff".into(),
        "inv:u:staff:-1".into(),
        "inv:u:bureau:1".into(),
        "inv:u:coordinator:99999999".into(),
        "rev:-1".into(),
        "rev:0".into(),
        "rev:99999999999999999999".into(),
        "b:1:s".into(),
        "b:-1:t5".into(),
        "b:0:x".into(),
        "b:1:t-9".into(),
        ":::::".into(),
        "v:1\u{0}".into(),
        "v: 1".into(),
        "v:+1".into(),
        "v:0x1".into(),
        "<b>v:1</b>".into(),
        "v:1".repeat(30),
        "d:".repeat(40),
    ];
    match rng.random_range(0..4) {
        0 => (hostile_text(rng).chars().take(100).collect(), false),
        _ => (garbage.choose(rng).expect("garbage").clone(), false),
    }
}

fn bureau_may_press(data: &str) -> bool {
    // Broadcast buttons and invitations for other roles would change what the checks expect.
    !(data.starts_with("b:") || data.starts_with("rev:"))
}

fn pdf(rng: &mut StdRng) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n% hostile\n".to_vec();
    let extra = rng.random_range(0..200);
    bytes.extend((0..extra).map(|_| rng.random::<u8>()));
    bytes
}

const FILE_NAMES: &[&str] = &[
    "../../etc/passwd",
    "..\\..\\Windows\\system32\\config\\SAM",
    "C:\\Windows\\..\\boot.ini",
    "/etc/shadow",
    "evil\u{0}.pdf",
    "line\nbreak.pdf",
    "carriage\rreturn.pdf",
    "SK Kepala.pdf",
    "",
    ".pdf",
    ".",
    "..",
    "%2e%2e%2f%2e%2e%2fpasswd.pdf",
    "<b>bold</b>.pdf",
    "&amp;.pdf",
    "\u{202e}fdp.exe",
    "CON.pdf",
    "laporan.PDF",
    "arsip.tar.gz",
    "foto.jpg",
    "tanpa_ekstensi",
    "a.p\u{0}df",
];

const MIME_TYPES: &[&str] = &[
    "application/pdf",
    "application/pdf",
    "text/html",
    "application/x-msdownload",
    "",
    "image/jpeg",
    "image/png",
    "video/mp4",
    "application/pdf; charset=<script>",
    "../../",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
];

/// Sends some file, media or other non-text message from `user` to the private chat.
fn send_media(app: &TestApp, rng: &mut StdRng, user: &TgUser) -> String {
    let fake = &app.fake;
    match rng.random_range(0..16) {
        0..=3 => {
            let name = FILE_NAMES.choose(rng).expect("names").to_string();
            let name = if rng.random_bool(0.1) {
                format!("{}.pdf", "a".repeat(rng.random_range(200..400)))
            } else {
                name
            };
            let mime = *MIME_TYPES.choose(rng).expect("mimes");
            let bytes = match rng.random_range(0..4) {
                0 => Vec::new(),
                1 => (0..rng.random_range(1..300))
                    .map(|_| rng.random())
                    .collect(),
                _ => pdf(rng),
            };
            fake.send_document(user, &bytes, &name, mime);
            format!("document {name:?} {mime:?} {} bytes", bytes.len())
        }
        4..=5 => {
            // Declared sizes that do not match the file: zero, huge, past 2^32, Telegram's 2^52.
            let bytes = pdf(rng);
            let (file_id, unique_id) = fake.add_file(&bytes, "pdf");
            let size: u64 = *[
                0,
                1,
                10 * 1024 * 1024 + 1,
                2_000_000_000,
                u64::from(u32::MAX),
                u64::from(u32::MAX) + 1,
                5_000_000_000,
                1 << 52,
            ]
            .choose(rng)
            .expect("sizes");
            let file_id = if rng.random_bool(0.2) {
                "NO-SUCH-FILE".to_owned()
            } else {
                file_id
            };
            fake.send_raw_message(
                user,
                json!({ "document": { "file_id": file_id, "file_unique_id": unique_id,
                    "file_name": "besar.pdf", "mime_type": "application/pdf", "file_size": size } }),
            );
            format!("document declaring {size} bytes")
        }
        6..=7 => {
            let bytes = match rng.random_range(0..3) {
                0 => Vec::new(),
                _ => (0..rng.random_range(1..300))
                    .map(|_| rng.random())
                    .collect(),
            };
            let group = rng.random_bool(0.3).then_some("album-hostile");
            fake.send_photo(user, &bytes, group);
            format!("photo of {} bytes", bytes.len())
        }
        8 => {
            fake.send_raw_message(
                user,
                json!({ "sticker": { "file_id": "STK", "file_unique_id": "STKU", "type": "regular",
                    "width": 512, "height": 512, "is_animated": false, "is_video": false } }),
            );
            "sticker".into()
        }
        9 => {
            fake.send_raw_message(
                user,
                json!({ "location": { "latitude": rng.random_range(-90.0..90.0),
                    "longitude": rng.random_range(-180.0..180.0) } }),
            );
            "location".into()
        }
        10..=11 => {
            let phone: String = match rng.random_range(0..4) {
                0 => "+62 813-1111-2222".into(),
                1 => String::new(),
                2 => "<b>0812</b>&".into(),
                _ => hostile_text(rng).chars().take(64).collect(),
            };
            let first: String = hostile_text(rng).chars().take(64).collect();
            let first = if first.is_empty() { "X".into() } else { first };
            fake.send_raw_message(
                user,
                json!({ "contact": { "phone_number": phone, "first_name": first,
                    "last_name": "<i>Lestari</i> &", "user_id": rng.random_range(1..1_000_000_i64) } }),
            );
            "contact".into()
        }
        12 => {
            fake.send_raw_message(
                user,
                json!({ "venue": {
                    "location": { "latitude": -6.2, "longitude": 106.8 },
                    "title": "<b>Perpusnas</b>", "address": "Jl. Medan Merdeka Selatan & 11" } }),
            );
            "venue".into()
        }
        13 => {
            fake.send_raw_message(
                user,
                json!({ "voice": { "file_id": "VOICE", "file_unique_id": "VOICEU", "duration": 3 } }),
            );
            "voice".into()
        }
        14 if rng.random_bool(0.5) => {
            fake.send_raw_message(
                user,
                json!({ "dice": { "emoji": "🎲", "value": rng.random_range(1..7) } }),
            );
            "dice".into()
        }
        14 => {
            fake.send_raw_message(
                user,
                json!({ "video_note": { "file_id": "VN", "file_unique_id": "VNU", "length": 240,
                    "duration": 2 } }),
            );
            "video note".into()
        }
        _ => {
            let bytes: Vec<u8> = (0..rng.random_range(1..200))
                .map(|_| rng.random())
                .collect();
            let (file_id, unique_id) = fake.add_file(&bytes, "mp4");
            fake.send_raw_message(
                user,
                json!({ "video": { "file_id": file_id, "file_unique_id": unique_id,
                    "width": 640, "height": 480, "duration": 5,
                    "mime_type": *["video/mp4", "video/x-evil", "text/html"].choose(rng).expect("m"),
                    "file_size": bytes.len(), "file_name": "../video.mp4" } }),
            );
            "video".into()
        }
    }
}

/// A pressed button under a message the presser never got, or never could have got.
fn forged_press(app: &TestApp, user: &TgUser, message_id: i64, data: &str) {
    let on = Sent {
        method: "sendmessage".into(),
        chat_id: user.id,
        message_id,
        text: String::new(),
        buttons: Vec::new(),
        request_contact: false,
        document: None,
        at: std::time::Instant::now(),
    };
    app.fake.press(user, &on, data);
}

/// The last keyboard the bot showed a person: the message it is under, and its buttons' data.
type Keyboard = (i64, Vec<String>);

/// A button of the person's last keyboard they may press without changing what the checks
/// expect: none naming an innovation other than their own (the sealed ones stay untouched).
fn real_button(rng: &mut StdRng, actor: &Actor, keyboard: Option<&Keyboard>) -> Option<String> {
    let (_, buttons) = keyboard?;
    let allowed: Vec<&String> = buttons
        .iter()
        .filter(|data| {
            let mut fields = data.split(':');
            let kind = fields.next().unwrap_or("");
            let id = fields.next().and_then(|id| id.parse::<i64>().ok());
            let names_other = matches!(kind, "v" | "r" | "s" | "e" | "x" | "d")
                && id.is_some()
                && id != actor.own;
            !names_other && (actor.who != Who::Bureau || bureau_may_press(data))
        })
        .collect();
    // Half the time a button that moves on (Done, Skip, Yes, No more), as people mostly do.
    let forward: Vec<&String> = allowed
        .iter()
        .copied()
        .filter(|data| {
            [":ok", ":s", ":y", ":a0"]
                .iter()
                .any(|end| data.ends_with(end))
        })
        .collect();
    let pool = if !forward.is_empty() && rng.random_bool(0.5) {
        forward
    } else {
        allowed
    };
    pool.choose(rng).map(|data| (*data).clone())
}

/// An answer that fits the question the person's last keyboard belongs to, so the staff get
/// past questions to the files and the later parts; files keep their hostile names.
fn fitting_answer(
    app: &TestApp,
    rng: &mut StdRng,
    world: &World,
    actor: &Actor,
    keyboard: Option<&Keyboard>,
) -> Option<String> {
    let (_, buttons) = keyboard?;
    let index: usize = buttons
        .iter()
        .find_map(|data| data.strip_prefix("d:")?.split(':').nth(1)?.parse().ok())?;
    let question = world.questions.get(index)?;
    let text = match &question.kind {
        QuestionKind::File(_) => {
            let name = *FILE_NAMES.choose(rng).expect("names");
            app.fake
                .send_document(&actor.user, &pdf(rng), name, "application/pdf");
            return Some(format!("a PDF named {name:?} for {}", question.id));
        }
        QuestionKind::Text(_) => "Jawaban <b>uji</b> & lengkap untuk pertanyaan ini.",
        QuestionKind::Number(_) => "1.200",
        QuestionKind::Integer(_) => "12",
        QuestionKind::SingleChoice(_) => "1",
        QuestionKind::MultiChoice(_) => "1, 3",
        QuestionKind::YesNo | QuestionKind::Group(_) => "ya",
        QuestionKind::Date(_) => "1 Maret 2020",
        QuestionKind::Email => "humas@perpusnas.go.id",
        QuestionKind::Phone => "0812 3456 7890",
        QuestionKind::Url(_) => "https://youtu.be/dQw4w9WgXcQ",
        QuestionKind::Contact => "Budi <Santoso>, 0812-3456-7890",
    };
    app.fake.send_text(&actor.user, text);
    Some(format!("{text:?} for {}", question.id))
}

/// One update from a person in their private chat.
fn private_update(
    app: &TestApp,
    rng: &mut StdRng,
    world: &World,
    actor: &Actor,
    keyboard: Option<&Keyboard>,
) -> Expect {
    let chat = actor.user.id;
    let stranger = actor.who == Who::Stranger;
    // Now and then a real button, as a person would press it: it moves the questionnaire on,
    // so the hostile input meets every kind of question.
    if rng.random_bool(0.3)
        && let Some(data) = real_button(rng, actor, keyboard)
    {
        let under = keyboard.map_or(0, |(message_id, _)| *message_id);
        forged_press(app, &actor.user, under, &data);
        return Expect::Press {
            chat,
            data,
            cross_unit: false,
            stranger,
        };
    }
    if rng.random_bool(0.3)
        && let Some(what) = fitting_answer(app, rng, world, actor, keyboard)
    {
        return Expect::Reply { chat, what };
    }
    match rng.random_range(0..100) {
        0..=29 => {
            let text = hostile_text(rng);
            let what = format!("text of {} bytes", text.len());
            app.fake.send_text(&actor.user, &text);
            Expect::Reply { chat, what }
        }
        30..=44 => {
            let text = hostile_command(rng, world, actor.who);
            app.fake.send_text(&actor.user, &text);
            Expect::Reply {
                chat,
                what: format!("command {:?}", text.chars().take(80).collect::<String>()),
            }
        }
        45..=69 => {
            let (data, cross_unit) = loop {
                let forged = forged_data(rng, world, actor);
                if actor.who != Who::Bureau || bureau_may_press(&forged.0) {
                    break forged;
                }
            };
            forged_press(app, &actor.user, rng.random_range(-5..100_000), &data);
            Expect::Press {
                chat,
                data,
                cross_unit: cross_unit && !matches!(actor.who, Who::Bureau),
                stranger,
            }
        }
        70..=89 => {
            let what = send_media(app, rng, &actor.user);
            Expect::Reply { chat, what }
        }
        _ => {
            let text = hostile_text(rng);
            app.fake
                .send_edited_text(&actor.user, rng.random_range(1..100_000), &text);
            Expect::Reply {
                chat,
                what: "an edited message".into(),
            }
        }
    }
}

fn stranger_user(id: i64) -> TgUser {
    let codes: [Option<&str>; 7] = [
        None,
        Some("id"),
        Some("en"),
        Some("en-US"),
        Some("zz"),
        Some("<b>"),
        Some(""),
    ];
    TgUser {
        id,
        first_name: format!("<b>Orang</b> & {id}"),
        username: (id % 3 != 0).then(|| format!("stranger{id}")),
        language_code: codes[(id % 7) as usize].map(str::to_owned),
    }
}

/// A message in a group, a supergroup or a channel, or from another bot.
fn elsewhere_update(
    app: &TestApp,
    rng: &mut StdRng,
    world: &World,
    senders: &[Actor],
    used: &HashSet<i64>,
) -> Option<Expect> {
    let text = if rng.random_bool(0.3) {
        hostile_command(rng, world, Who::Stranger)
    } else {
        hostile_text(rng)
    };
    match rng.random_range(0..10) {
        0..=6 => {
            let chat = if rng.random_bool(0.5) {
                -1000 - rng.random_range(0..GROUPS)
            } else {
                -100_000_000_000 - rng.random_range(0..GROUPS)
            };
            if used.contains(&chat) {
                return None;
            }
            let kind = if chat > -100_000 {
                "group"
            } else {
                "supergroup"
            };
            let sender = senders.choose(rng).expect("senders");
            let mut message = json!({
                "chat": { "id": chat, "type": kind, "title": "<b>Grup</b> & KIPP" },
                "text": text,
            });
            if rng.random_bool(0.2) {
                message = json!({
                    "chat": { "id": chat, "type": kind, "title": "Grup" },
                    "sticker": { "file_id": "STK", "file_unique_id": "STKU", "type": "regular",
                        "width": 512, "height": 512, "is_animated": false, "is_video": false },
                });
            }
            app.fake.send_raw_message(&sender.user, message);
            let lang = texts::lang_of_stranger(sender.user.language_code.as_deref());
            Some(Expect::GroupHint { chat, lang })
        }
        7..=8 => {
            let chat = -100_900_000_000 - rng.random_range(0..CHANNELS);
            if used.contains(&chat) {
                return None;
            }
            let channel = json!({ "id": chat, "type": "channel", "title": "Kanal <i>berita</i>" });
            app.fake.send_raw_message(
                &senders[0].user,
                json!({ "chat": channel, "sender_chat": channel, "from": null, "text": text }),
            );
            Some(Expect::Silence { chat })
        }
        _ => {
            let chat = 8_000_000 + rng.random_range(0..BOTS);
            if used.contains(&chat) {
                return None;
            }
            let bot = TgUser::new(chat, "Spam");
            app.fake.send_raw_message(
                &bot,
                json!({ "from": { "id": chat, "is_bot": true, "first_name": "Spam",
                    "username": format!("spam{chat}_bot") }, "text": text }),
            );
            Some(Expect::Silence { chat })
        }
    }
}

// ---- the run ---------------------------------------------------------------------------------

async fn hostile_run(seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let app = TestApp::spawn().await;
    let db_url = format!("sqlite://{}", app.data_dir().join("kipp.db").display());
    let db = SqlitePool::connect(&db_url)
        .await
        .expect("the test's own pool");
    let (world, actors) = set_up(&app).await;
    let sealed_before = answers(&db, &sealed_innovations(&db).await).await;

    // A few failures on the way: the retries and errors are logged, without the token.
    app.fake
        .inject("sendMessage", Fault::ServerError, SEND_FAULTS);
    app.fake.inject("getFile", Fault::ServerError, 3);
    app.fake.inject("download", Fault::ServerError, 2);

    let hostile_started = Instant::now();
    let presses_before = app.fake.calls("answerCallbackQuery").len();
    let real: Vec<&Actor> = actors.iter().filter(|a| a.who != Who::Stranger).collect();
    let talkers: Vec<&Actor> = real
        .iter()
        .copied()
        .filter(|a| !sealed_ids().contains(&a.user.id))
        .collect();
    let mut senders: Vec<Actor> = real.iter().map(|a| (*a).clone()).collect();
    senders.extend((0..20).map(|n| Actor {
        user: stranger_user(900_000 + n),
        who: Who::Stranger,
        own: None,
    }));
    let mut sent_updates = 0usize;
    let mut presses = 0usize;
    let mut stranger_presses = 0usize;
    let mut round_number = 0usize;
    let mut keyboards: HashMap<i64, Keyboard> = HashMap::new();
    while sent_updates < UPDATES {
        round_number += 1;
        let answered_before = app.fake.calls("answerCallbackQuery").len();
        let mut expects: Vec<Expect> = Vec::new();
        let mut used: HashSet<i64> = HashSet::new();
        for actor in &talkers {
            if rng.random_bool(0.8) {
                used.insert(actor.user.id);
                let keyboard = keyboards.get(&actor.user.id);
                expects.push(private_update(&app, &mut rng, &world, actor, keyboard));
            }
        }
        while expects.len() < ROUND {
            if rng.random_bool(0.7) {
                let id = 900_000 + rng.random_range(0..STRANGERS);
                if !used.insert(id) {
                    continue;
                }
                let actor = Actor {
                    user: stranger_user(id),
                    who: Who::Stranger,
                    own: None,
                };
                expects.push(private_update(&app, &mut rng, &world, &actor, None));
            } else if let Some(expect) = elsewhere_update(&app, &mut rng, &world, &senders, &used) {
                used.insert(expect.chat());
                expects.push(expect);
            }
        }
        sent_updates += expects.len();
        settle(&app, &db, seed).await;

        let mut round_presses = 0;
        for expect in &expects {
            let new = drain(&app, expect.chat()).await;
            check_round(expect, &new, seed, round_number);
            if let Some(last) = new.iter().rev().find(|sent| !sent.buttons.is_empty()) {
                keyboards.insert(expect.chat(), (last.message_id, last.button_data()));
            }
            if let Expect::Press { stranger, .. } = expect {
                round_presses += 1;
                presses += 1;
                stranger_presses += usize::from(*stranger);
            }
        }
        let answered = app.fake.calls("answerCallbackQuery").len() - answered_before;
        assert_eq!(
            answered, round_presses,
            "seed {seed}, round {round_number}: every button press is answered once"
        );
    }
    let hostile_time = hostile_started.elapsed();

    // Still alive, and still right.
    let bureau = TgUser::new(BUREAU_ID, "Bu Rina");
    drain(&app, BUREAU_ID).await;
    let who = app.say(&bureau, "/whoami").await;
    assert!(
        who.text.contains(&BUREAU_ID.to_string()),
        "seed {seed}: /whoami after the storm: {}",
        who.text
    );
    settle(&app, &db, seed).await;

    check_all_sent(&app, &world, &actors, seed);
    check_callback_answers(&app, presses_before, presses, stranger_presses, seed);
    check_database(&app, &db, &world, &actors, seed).await;
    let sealed_after = answers(&db, &sealed_innovations(&db).await).await;
    assert_eq!(
        sealed_before, sealed_after,
        "seed {seed}: innovations nobody worked on are unchanged"
    );
    check_evidence_folder(&app.data_dir(), seed);

    let (answers, files): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM answers), (SELECT count(*) FROM evidence_files)",
    )
    .fetch_one(&db)
    .await
    .expect("counts");
    println!(
        "hostile input: {sent_updates} updates in {round_number} rounds ({presses} button presses) \
         handled in {:.1} s; {} messages sent; the staff's answers: {answers}, files: {files} \
         ({} downloads asked for)",
        hostile_time.as_secs_f64(),
        app.fake.all_sent().len(),
        app.fake.calls("getFile").len(),
    );
}

/// The people who own the innovations nobody touches during the storm.
fn sealed_ids() -> [i64; 2] {
    [7109, 7209]
}

async fn set_up(app: &TestApp) -> (World, Vec<Actor>) {
    let units: [Unit; 2] = [
        app.add_unit("ALFA", "Unit Alfa").await,
        app.add_unit("BRAVO", "Unit <Bravo> & Co").await,
    ];
    let markers = ["ALFA-RAHASIA", "BRAVO-RAHASIA"];
    app.bureau().await;
    let mut actors = vec![Actor {
        user: TgUser::new(BUREAU_ID, "Bu Rina"),
        who: Who::Bureau,
        own: None,
    }];
    let mut innovations: [Vec<i64>; 2] = [Vec::new(), Vec::new()];
    // Per unit: a sealed innovation (its author never writes again), then staff at work.
    let people: [(i64, &str, usize, u8); 6] = [
        (7109, "Arsip Alfa", 0, 0),
        (7209, "Arsip Bravo", 1, 0),
        (7101, "Alfa <Satu>", 0, 1),
        (7102, "Alfa & Dua", 0, 2),
        (7201, "Bravo Satu", 1, 1),
        (7202, "Bravo Dua", 1, 2),
    ];
    for (id, name, unit, n) in people {
        let mut staff = Staff::register(app, id, name, &units[unit]).await;
        let started = staff.say("/new").await;
        let title = format!("{} {n} Layanan Perpustakaan {name}", markers[unit]);
        staff.say(&title).await;
        if n == 2 {
            // Further along: past the single choice.
            staff.press("Umum").await;
        }
        let own = app
            .storage
            .innovations(Some(units[unit].id))
            .await
            .expect("innovations")
            .into_iter()
            .map(|innovation| innovation.id)
            .max()
            .expect("the new innovation");
        assert!(started.text.contains(&own.to_string()), "{}", started.text);
        innovations[unit].push(own);
        actors.push(Actor {
            user: staff.user.clone(),
            who: Who::Staff { unit },
            own: Some(own),
        });
    }
    for (id, unit) in [(7103, 0), (7203, 1)] {
        let user = TgUser::new(id, &format!("Koordinator {id}"));
        app.register(&user, Role::Coordinator, Some(&units[unit]))
            .await;
        actors.push(Actor {
            user,
            who: Who::Coordinator { unit },
            own: None,
        });
    }
    let dialog = kipp2025();
    let questions: Vec<Question> = dialog
        .sections()
        .iter()
        .flat_map(|section| &section.questions)
        .flat_map(|question| std::iter::once(question).chain(question.members()))
        .cloned()
        .collect();
    let file_questions = (0..questions.len() as u16)
        .filter(|&index| questions[usize::from(index)].is_file())
        .collect();
    let world = World {
        dialog,
        question_count: questions.len() as u16,
        questions,
        file_questions,
        innovations,
        markers,
    };
    (world, actors)
}

/// Waits until the bot confirmed every update and finished handling it.
async fn settle(app: &TestApp, db: &SqlitePool, seed: u64) {
    app.fake.wait_until_consumed().await;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (left,): (i64,) = sqlx::query_as("SELECT count(*) FROM inbox")
            .fetch_one(db)
            .await
            .expect("the inbox");
        if left == 0 {
            return;
        }
        if Instant::now() > deadline {
            let stuck: Vec<(i64, String)> =
                sqlx::query_as("SELECT update_id, substr(payload, 1, 600) FROM inbox LIMIT 5")
                    .fetch_all(db)
                    .await
                    .unwrap_or_default();
            panic!("seed {seed}: {left} updates were never finished, e.g. {stuck:#?}");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn check_round(expect: &Expect, new: &[Sent], seed: u64, round: usize) {
    let context = format!("seed {seed}, round {round}: {expect:?}");
    match expect {
        Expect::Reply { what, .. } => {
            assert!(!new.is_empty(), "{context}: no answer to {what}");
        }
        Expect::GroupHint { lang, .. } => {
            let texts: Vec<&str> = new.iter().map(|sent| sent.text.as_str()).collect();
            assert_eq!(
                texts,
                [texts::private_chat_only(*lang).as_str()],
                "{context}"
            );
        }
        Expect::Silence { .. } => {
            assert!(new.is_empty(), "{context}: answered {new:?}");
        }
        Expect::Press {
            cross_unit: true,
            data,
            ..
        } => {
            let refusals: Vec<String> = [Lang::Id, Lang::En]
                .into_iter()
                .flat_map(|lang| {
                    [
                        texts::innovation_not_found(lang),
                        texts::stale_button(lang),
                        // A button of another role (a coordinator pressing a staff-only one).
                        texts::button_not_allowed(lang),
                    ]
                })
                .map(texts::Html::into_string)
                .collect();
            // A button that does not even parse is refused in the button's own answer.
            let parses = Action::parse(data).is_some();
            assert_eq!(new.len(), usize::from(parses), "{context}: {new:?}");
            for sent in new {
                assert!(
                    refusals.contains(&sent.text) && sent.buttons.is_empty(),
                    "{context}: another unit's innovation was not refused: {}",
                    sent.text
                );
            }
        }
        Expect::Press { .. } => {}
    }
}

/// Every message ever sent: strangers got only fixed sentences, and no unit's data reached
/// a person of the other unit.
fn check_all_sent(app: &TestApp, world: &World, actors: &[Actor], seed: u64) {
    let mut stranger_texts: HashSet<String> = HashSet::new();
    for text in [
        texts::stranger as fn(Lang) -> texts::Html,
        texts::invitation_unknown,
        texts::invitation_expired,
        texts::invitation_used_up,
        texts::invitation_revoked,
    ] {
        stranger_texts.extend(both(text));
    }
    let people: HashMap<i64, Who> = actors.iter().map(|a| (a.user.id, a.who)).collect();
    let sent = app.fake.all_sent();
    // Hostile input is handled, not failed on: nobody is told something went wrong.
    let internal = both(texts::internal_error);
    let failed: Vec<&Sent> = sent.iter().filter(|s| internal.contains(&s.text)).collect();
    assert!(
        failed.is_empty(),
        "seed {seed}: {} internal errors, e.g. to {:?}",
        failed.len(),
        failed.first().map(|s| s.chat_id)
    );
    for message in &sent {
        let Some(who) = people.get(&message.chat_id).copied() else {
            if message.chat_id < 0 {
                let hints = both(texts::private_chat_only);
                assert!(
                    hints.contains(&message.text),
                    "seed {seed}: a group got more than the hint: {message:?}"
                );
                continue;
            }
            assert!(
                (900_000..900_000 + STRANGERS).contains(&message.chat_id),
                "seed {seed}: a message to a chat nobody wrote from: {message:?}"
            );
            assert!(
                stranger_texts.contains(&message.text) && message.buttons.is_empty(),
                "seed {seed}: a stranger got more than the polite sentence: {message:?}"
            );
            continue;
        };
        let Some(unit) = who.unit() else { continue };
        let other = 1 - unit;
        let everything = std::iter::once(message.text.as_str())
            .chain(message.buttons.iter().flatten().map(|b| b.text.as_str()));
        for text in everything {
            assert!(
                !text.contains(world.markers[other]),
                "seed {seed}: {} data reached {who:?} {}: {text}",
                world.markers[other],
                message.chat_id
            );
        }
        for data in message.button_data() {
            let mut fields = data.split(':');
            let kind = fields.next().unwrap_or("");
            let id = fields.next().and_then(|id| id.parse::<i64>().ok());
            if matches!(kind, "v" | "r" | "s" | "e" | "x" | "d")
                && let Some(id) = id
            {
                assert_ne!(
                    world.unit_of(id),
                    Some(other),
                    "seed {seed}: a button for another unit's innovation reached {who:?}: {data}"
                );
            }
        }
    }
    // Sends refused by the fake Telegram (HTML it could not parse, too long) are errors.
    for method in [
        "sendMessage",
        "editMessageText",
        "sendDocument",
        "sendPhoto",
    ] {
        let calls = app.fake.calls(method).len();
        let accepted = sent
            .iter()
            .filter(|s| s.method == method.to_ascii_lowercase())
            .count();
        let injected = if method == "sendMessage" {
            SEND_FAULTS
        } else {
            0
        };
        assert_eq!(
            calls,
            accepted + injected,
            "seed {seed}: {} {method} calls were refused by Telegram",
            calls - accepted - injected
        );
    }
}

fn check_callback_answers(
    app: &TestApp,
    before: usize,
    presses: usize,
    stranger_presses: usize,
    seed: u64,
) {
    let answers = app.fake.calls("answerCallbackQuery").split_off(before);
    assert_eq!(answers.len(), presses, "seed {seed}: every press answered");
    let strangers = both(texts::stranger);
    let to_strangers = answers
        .iter()
        .filter(|call| {
            call.body["text"]
                .as_str()
                .is_some_and(|text| strangers.iter().any(|s| s == text))
        })
        .count();
    assert_eq!(
        to_strangers, stranger_presses,
        "seed {seed}: strangers' presses get the polite sentence, and only theirs"
    );
}

async fn sealed_innovations(db: &SqlitePool) -> Vec<i64> {
    let sealed = sealed_ids();
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT i.id FROM innovations i JOIN users u ON u.id = i.created_by
         WHERE u.telegram_id IN (?1, ?2) ORDER BY i.id",
    )
    .bind(sealed[0])
    .bind(sealed[1])
    .fetch_all(db)
    .await
    .expect("innovations");
    rows.into_iter().map(|(id,)| id).collect()
}

type AnswerRow = (i64, String, i64, String, i64);

async fn answers(db: &SqlitePool, innovations: &[i64]) -> Vec<AnswerRow> {
    let all: Vec<AnswerRow> = sqlx::query_as(
        "SELECT innovation_id, question_id, item, value, answered_by FROM answers
         ORDER BY innovation_id, question_id, item",
    )
    .fetch_all(db)
    .await
    .expect("answers");
    all.into_iter()
        .filter(|row| innovations.contains(&row.0))
        .collect()
}

async fn check_database(
    app: &TestApp,
    db: &SqlitePool,
    world: &World,
    actors: &[Actor],
    seed: u64,
) {
    // People: exactly the real ones, with the roles they were given.
    let users: Vec<(i64, i64, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT u.id, u.telegram_id, u.role, n.code, u.active FROM users u
         LEFT JOIN units n ON n.id = u.unit_id ORDER BY u.telegram_id",
    )
    .fetch_all(db)
    .await
    .expect("users");
    let mut expected: Vec<i64> = actors.iter().map(|a| a.user.id).collect();
    expected.sort_unstable();
    let found: Vec<i64> = users.iter().map(|u| u.1).collect();
    assert_eq!(found, expected, "seed {seed}: nobody else got in");
    let codes = ["ALFA", "BRAVO"];
    let mut unit_of_user: HashMap<i64, Option<usize>> = HashMap::new();
    let mut staff_users: HashSet<i64> = HashSet::new();
    for (id, telegram_id, role, code, active) in &users {
        let actor = actors
            .iter()
            .find(|a| a.user.id == *telegram_id)
            .expect("an actor");
        let (want_role, want_unit) = match actor.who {
            Who::Staff { unit } => ("staff", Some(unit)),
            Who::Coordinator { unit } => ("coordinator", Some(unit)),
            Who::Bureau => ("bureau", None),
            Who::Stranger => unreachable!("strangers are not registered"),
        };
        assert_eq!(role, want_role, "seed {seed}: role of {telegram_id}");
        assert_eq!(
            code.as_deref(),
            want_unit.map(|u| codes[u]),
            "seed {seed}: unit of {telegram_id}"
        );
        assert_eq!(*active, 1, "seed {seed}: {telegram_id} is still active");
        unit_of_user.insert(*id, want_unit);
        if want_role == "staff" {
            staff_users.insert(*id);
        }
    }

    // Innovations: exactly the ones set up, in their units.
    let innovations: Vec<(i64, String)> = sqlx::query_as(
        "SELECT i.id, n.code FROM innovations i JOIN units n ON n.id = i.unit_id ORDER BY i.id",
    )
    .fetch_all(db)
    .await
    .expect("innovations");
    let mut expected: Vec<(i64, String)> = (0..2)
        .flat_map(|unit| {
            world.innovations[unit]
                .iter()
                .map(move |id| (*id, codes[unit].to_owned()))
        })
        .collect();
    expected.sort_unstable();
    assert_eq!(innovations, expected, "seed {seed}: no stray innovations");

    // Answers: by staff of the innovation's own unit, to questions that exist, at items that
    // can exist.
    let mut max_items: HashMap<&str, u16> = HashMap::new();
    for question in world.dialog.sections().iter().flat_map(|s| &s.questions) {
        if let QuestionKind::Group(rules) = &question.kind {
            for member in &rules.members {
                max_items.insert(member.id.as_str(), rules.max_items);
            }
        }
    }
    let all: Vec<i64> = world.innovations.iter().flatten().copied().collect();
    for (innovation, question, item, value, by) in answers(db, &all).await {
        let row = format!("innovation {innovation} {question}[{item}] by {by}: {value:.80}");
        assert!(
            staff_users.contains(&by)
                && unit_of_user.get(&by).copied().flatten() == world.unit_of(innovation),
            "seed {seed}: an answer by someone outside the unit: {row}"
        );
        assert!(
            world.dialog.question(&question).is_some(),
            "seed {seed}: an answer to no question: {row}"
        );
        let item_ok = match max_items.get(question.as_str()) {
            Some(max) => item >= 0 && item < i64::from(*max),
            None => item == 0,
        };
        assert!(
            item_ok,
            "seed {seed}: an answer at an impossible item: {row}"
        );
    }
    let orphans: (i64,) = sqlx::query_as(
        "SELECT count(*) FROM answers WHERE innovation_id NOT IN (SELECT id FROM innovations)",
    )
    .fetch_one(db)
    .await
    .expect("answers");
    assert_eq!(orphans.0, 0, "seed {seed}: answers without an innovation");

    // Evidence: in the uploader's unit, at a file question, named by its hash, on disk.
    let evidence: Vec<(i64, i64, String, i64, String, String, i64)> = sqlx::query_as(
        "SELECT id, innovation_id, question_id, item, stored_path, sha256, uploaded_by
         FROM evidence_files",
    )
    .fetch_all(db)
    .await
    .expect("evidence");
    let evidence_dir = app.data_dir().join("evidence");
    for (id, innovation, question, item, path, sha, by) in evidence {
        let row = format!("evidence {id}: innovation {innovation} {question}[{item}] {path}");
        assert!(
            staff_users.contains(&by)
                && unit_of_user.get(&by).copied().flatten() == world.unit_of(innovation),
            "seed {seed}: evidence from outside the unit: {row}"
        );
        assert!(
            world
                .dialog
                .question(&question)
                .is_some_and(|q| q.is_file())
                && item == 0,
            "seed {seed}: evidence at no file question: {row}"
        );
        assert!(
            is_hash_path(&path) && path.contains(&sha),
            "seed {seed}: evidence not named by its hash: {row}"
        );
        let bytes = std::fs::read(evidence_dir.join(&path))
            .unwrap_or_else(|e| panic!("seed {seed}: {row}: {e}"));
        assert_eq!(
            hex::encode(Sha256::digest(&bytes)),
            sha,
            "seed {seed}: {row}"
        );
    }
}

/// `ab/ab…(64 hex)[.ext]`
fn is_hash_path(path: &str) -> bool {
    let Some((folder, name)) = path.split_once('/') else {
        return false;
    };
    let (hash, extension) = name.split_once('.').unwrap_or((name, ""));
    hash.len() == 64
        && hash.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'))
        && hash.starts_with(folder)
        && extension.len() <= 8
        && extension
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// Nothing but the database and hash-named evidence files in the data folder.
fn check_evidence_folder(data_dir: &Path, seed: u64) {
    for entry in std::fs::read_dir(data_dir).expect("data dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            name == "evidence" || name.starts_with("kipp.db"),
            "seed {seed}: unexpected file in the data folder: {name:?}"
        );
    }
    let evidence = data_dir.join("evidence");
    let Ok(folders) = std::fs::read_dir(&evidence) else {
        return;
    };
    for folder in folders {
        let folder = folder.expect("entry");
        let name = folder.file_name().to_string_lossy().into_owned();
        if name == "tmp" {
            let left: Vec<_> = std::fs::read_dir(folder.path())
                .expect("tmp")
                .map(|e| e.expect("entry").file_name())
                .collect();
            assert!(left.is_empty(), "seed {seed}: partial files left: {left:?}");
            continue;
        }
        for file in std::fs::read_dir(folder.path()).expect("folder") {
            let file = file
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            assert!(
                is_hash_path(&format!("{name}/{file}")),
                "seed {seed}: an evidence file not named by its hash: {name}/{file}"
            );
        }
    }
}
