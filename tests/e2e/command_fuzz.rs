//! The command fuzzer: every command the bot knows (the table in `src/bot/commands.rs`), unknown
//! ones, `/cmd@bot` forms and odd casing, from every role and from strangers, with generated
//! arguments (empty, thousands of characters, every Unicode class, numbers at the edges of
//! i64/u32/u16, impossible dates, unknown unit codes, @names, `#` ids, HTML-looking text, and
//! combinations), and forged button presses (valid-looking actions with hostile ids, other
//! people's innovations, random and over-long data).
//!
//! The updates go out in rounds in which every chat gets at most one update, so each reply is
//! traced to the update that caused it. After every round: every message was answered and every
//! press answered once, nothing panicked and nothing was logged at error level, nobody was told
//! that something went wrong, Telegram refused nothing the bot sent, and strangers got only the
//! polite sentence. At the end: every command was sent from every role and by strangers, no
//! unit's data reached the other unit, and everyone still gets `/help`.
//!
//! The seed is fixed, so CI runs the same updates every time; `KIPP_FUZZ_SEED=<n>` runs another
//! seed, and every failure names the seed that replays it.

use std::{
    collections::{HashMap, HashSet},
    fmt,
    hash::{Hash, Hasher},
    time::{Duration, Instant},
};

use kipp_bot::{
    bot::{
        callbacks::{Action, BroadcastStep, Step},
        commands::COMMANDS,
        texts,
    },
    domain::{Lang, Role, Transition},
    export::Format,
    storage::Unit,
};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::IndexedRandom, seq::SliceRandom};
use sqlx::sqlite::SqlitePool;

use crate::{
    capture,
    fake_telegram::{BOT_USERNAME, Sent, TgUser, check_html, plain, visible_length},
    helpers::{BUREAU_ID, TOKEN, TestApp, both, drain},
    questionnaire::Staff,
};

/// The seed of CI's runs.
const DEFAULT_SEED: u64 = 0x4B49_5050;
/// Generated updates, not counting the setup and the final `/help`s.
const UPDATES: usize = 3_000;
/// Strangers writing in each round, besides every registered person.
const STRANGERS_PER_ROUND: usize = 4;
const FIRST_STRANGER: i64 = 900_000;
const STRANGER_POOL: i64 = 200;
const THREADS: &str = "command_fuzz";

#[test]
fn every_command_from_every_role_with_generated_arguments() {
    let seed = capture::seed("KIPP_FUZZ_SEED", DEFAULT_SEED);
    println!("command fuzz seed: {seed} (KIPP_FUZZ_SEED={seed} replays this run)");
    let started = Instant::now();
    let logs = capture::run(THREADS, "info,kipp_bot=debug", seed, |logs| {
        fuzz_run(seed, logs)
    });
    let tag = replay(seed);
    let errors = capture::errors(&logs, 3);
    assert!(errors.is_empty(), "{tag}: errors were logged: {errors:#?}");
    let secret = TOKEN.split_once(':').expect("a bot token").1;
    assert!(
        !logs.contains(secret),
        "{tag}: the bot token is in the logs"
    );
    println!(
        "command fuzz: {:.1} s in all, {} log lines",
        started.elapsed().as_secs_f64(),
        logs.lines().count()
    );
}

fn replay(seed: u64) -> String {
    format!(
        "seed {seed} (KIPP_FUZZ_SEED={seed} cargo test --test e2e command_fuzz::every replays it)"
    )
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

    fn role(self) -> &'static str {
        match self {
            Who::Staff { .. } => "staff",
            Who::Coordinator { .. } => "coordinator",
            Who::Bureau => "bureau",
            Who::Stranger => "stranger",
        }
    }
}

#[derive(Debug, Clone)]
struct Actor {
    user: TgUser,
    who: Who,
}

struct World {
    units: [Unit; 2],
    /// Innovation ids per unit (0: ALFA, 1: BRAVO).
    innovations: [Vec<i64>; 2],
    /// In each unit's innovation titles: must never reach the other unit.
    markers: [&'static str; 2],
    /// What a stranger must never see: titles, people's and units' names.
    secrets: Vec<&'static str>,
}

impl World {
    fn all_innovations(&self) -> Vec<i64> {
        self.innovations.iter().flatten().copied().collect()
    }
}

const ALFA_PEOPLE: [i64; 3] = [7101, 7102, 7103];
const BRAVO_PEOPLE: [i64; 2] = [7201, 7203];

async fn set_up(app: &TestApp) -> (World, Vec<Actor>) {
    let units: [Unit; 2] = [
        app.add_unit("ALFA", "Unit Alfa Rahasia").await,
        app.add_unit("BRAVO", "Unit <Bravo> & Co").await,
    ];
    let markers = ["ALFA-RAHASIA", "BRAVO-RAHASIA"];
    app.bureau().await;
    let mut actors = vec![Actor {
        user: TgUser::new(BUREAU_ID, "Bu Rina"),
        who: Who::Bureau,
    }];
    let mut innovations: [Vec<i64>; 2] = [Vec::new(), Vec::new()];
    for (id, name, unit) in [
        (7101, "Alfa <Satu>", 0),
        (7102, "Alfa & Dua", 0),
        (7201, "Bravo Satu", 1),
    ] {
        let mut staff = Staff::register(app, id, name, &units[unit]).await;
        staff.say("/new").await;
        staff
            .say(&format!("{} {id} Layanan Perpustakaan", markers[unit]))
            .await;
        let own = app
            .storage
            .innovations(Some(units[unit].id))
            .await
            .expect("innovations")
            .into_iter()
            .map(|innovation| innovation.id)
            .max()
            .expect("the new innovation");
        innovations[unit].push(own);
        actors.push(Actor {
            user: staff.user.clone(),
            who: Who::Staff { unit },
        });
    }
    // 7102's innovation waits for review, so approve, send back and select have something to do.
    let author = app
        .storage
        .user_by_telegram_id(7102)
        .await
        .expect("storage")
        .expect("registered");
    let submitted = app
        .storage
        .change_innovation_state(
            innovations[0][1],
            Transition::Submit,
            author.id,
            Some("Siap <b>dinilai</b> & dicek"),
            kipp_bot::clock::Clock::now(&app.clock),
        )
        .await
        .expect("storage");
    assert!(submitted);
    for (id, unit) in [(7103, 0), (7203, 1)] {
        let user = TgUser::new(id, &format!("Koordinator {id}"));
        app.register(&user, Role::Coordinator, Some(&units[unit]))
            .await;
        actors.push(Actor {
            user,
            who: Who::Coordinator { unit },
        });
    }
    // An agency of realistic size: dozens of units with long names, invitations for each.
    for n in 0..40 {
        let unit = app
            .add_unit(
                &format!("UPT-{n:02}"),
                &format!(
                    "Unit Pelaksana Teknis Perpustakaan Daerah dan Layanan Keliling Wilayah \
                     Nomor {n:02} <Barat> & Sekitarnya"
                ),
            )
            .await;
        app.invitation(Role::Staff, Some(&unit), 5, "7d").await;
        app.invitation(Role::Coordinator, Some(&unit), 1, "30d")
            .await;
    }
    let world = World {
        units,
        innovations,
        markers,
        secrets: vec![
            "RAHASIA",
            "Layanan Perpustakaan",
            "Unit Alfa",
            "Bravo",
            "ALFA",
            "BRAVO",
            "Satu",
            "Dua",
            "Rina",
            "Koordinator",
        ],
    };
    (world, actors)
}

fn stranger(id: i64) -> Actor {
    let names = [
        "<b>Orang</b> & Co",
        "\u{202e}nimda",
        "👩🏽‍💻",
        "مرحبا",
        "e\u{301}\u{302}",
        "\u{200b}",
        "Alfa Satu",
    ];
    let codes = [
        None,
        Some("id"),
        Some("en"),
        Some("en-US"),
        Some("zz"),
        Some("<b>"),
        Some(""),
    ];
    let n = usize::try_from(id % 7).unwrap_or(0);
    Actor {
        user: TgUser {
            id,
            first_name: names[n].to_owned(),
            username: (id % 3 != 0).then(|| format!("stranger{id}")),
            language_code: codes[n].map(str::to_owned),
        },
        who: Who::Stranger,
    }
}

// ---- generated input -----------------------------------------------------------------------------

/// One hostile value or Unicode class each.
const PIECES: &[&str] = &[
    // numbers at the edges of i64, u32, u16, and numbers that are not numbers
    "0",
    "-1",
    "-0",
    "+1",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "4294967295",
    "4294967296",
    "65535",
    "65536",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "1.5",
    "0x1F",
    "1_000",
    "١٢٣",
    "１２３",
    "²",
    "Ⅻ",
    // dates and times that do not exist, and the ends of the calendar
    "2025-02-30",
    "31/04/2025",
    "9999-12-31",
    "0000-01-01",
    "2025-13-01",
    "2024-02-29",
    "29-02-2025",
    "+262143-12-31",
    "-0001-01-01",
    "99999-01-01",
    "2026-06-03",
    "03-06-2026",
    "2026-06-03T23:59",
    "24:00",
    "23:60",
    "23:59",
    "00:00",
    "99:99",
    // unit codes, roles, lifetimes, formats, states
    "ALFA",
    "bravo",
    "NOPE",
    "A",
    "ÄLFA",
    "XXXXXXXXXXXXXXXXXXXXXXXXX",
    "staff",
    "COORDINATOR",
    "bureau",
    "god",
    "7d",
    "0d",
    "367d",
    "99999999999999999999d",
    "-1d",
    "xlsx",
    "PDF",
    "draft",
    "deleted",
    // people and ids
    "@user7101",
    "@USER5001",
    "@",
    "@@",
    "@nobody",
    "#1",
    "#",
    "##2",
    "#-1",
    "#99999999999999999999",
    // HTML-looking text
    "<b>",
    "</b>",
    "<b>tebal</b>",
    "&amp;",
    "&",
    "&lt",
    "&#0;",
    "&bogus;",
    "<a href=\"tg://user?id=5001\">x</a>",
    "<script>alert(1)</script>",
    "<",
    ">",
    "\"'`",
    // combining marks, right-to-left text and overrides, zero-width characters
    "e\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}",
    "Z\u{336}\u{337}\u{338}\u{334}\u{335}",
    "مرحبا بالعالم",
    "שלום עולם",
    "\u{202e}fdp.exe\u{202c}",
    "\u{202d}\u{202e}\u{2066}\u{2067}\u{2068}\u{2069}",
    "\u{200f}\u{200e}",
    "\u{200b}",
    "\u{200c}\u{200d}",
    "\u{2060}\u{feff}",
    // emoji: skin tones, ZWJ sequences, flags, keycaps; other astral characters
    "👍🏽",
    "👩🏽‍💻",
    "👨‍👩‍👧‍👦",
    "🏳️‍🌈",
    "🇮🇩",
    "1️⃣",
    "𝕂𝕀ℙℙ",
    "𠜎𠜱",
    "\u{10ffff}",
    "\u{e000}",
    "\u{fffd}\u{fffe}\u{ffff}",
    // NUL and control characters
    "\u{0}",
    "a\u{0}b",
    "\u{1}\u{7}\u{8}\u{1b}[31m",
    "\u{7f}\u{85}",
    "\u{2028}\u{2029}",
    "\r\n",
    "\t",
    // the usual suspects
    "'; DROP TABLE users; --",
    "%s%n{0}",
    "../../etc/passwd",
];

const SEPARATORS: &[&str] = &[" ", " ", " ", "  ", "\n", "\t", "\u{a0}", "\u{3000}", ""];

fn piece(rng: &mut StdRng) -> &'static str {
    PIECES.choose(rng).expect("pieces")
}

fn random_unicode(rng: &mut StdRng, len: usize) -> String {
    (0..len)
        .filter_map(|_| {
            let code = match rng.random_range(0..10) {
                0..=3 => rng.random_range(0..0x80),
                4..=6 => rng.random_range(0x80..0x1_0000),
                _ => rng.random_range(0x1_0000..0x11_0000),
            };
            char::from_u32(code)
        })
        .collect()
}

/// Thousands of characters; now and then more than Telegram itself would deliver.
fn huge(rng: &mut StdRng) -> String {
    let long = rng.random_bool(0.2);
    let chars = if long {
        rng.random_range(4_097..12_000)
    } else {
        rng.random_range(1_000..4_000)
    };
    match rng.random_range(0..7) {
        0 => "x".repeat(chars),
        1 => "9".repeat(chars),
        2 => "👩🏽‍💻".repeat(chars / 8),
        3 => "<b>&amp;".repeat(chars / 8),
        4 => "e\u{301}".repeat(chars / 2),
        5 => random_unicode(rng, chars),
        _ => {
            let mut text = String::new();
            while text.chars().count() < chars {
                text.push_str(piece(rng));
                text.push(' ');
            }
            text
        }
    }
}

fn hostile_arg(rng: &mut StdRng) -> String {
    match rng.random_range(0..20) {
        0 => String::new(),
        1 => huge(rng),
        2..=4 => {
            let len = rng.random_range(1..40);
            random_unicode(rng, len)
        }
        5..=10 => piece(rng).to_owned(),
        _ => {
            let count = rng.random_range(2..6);
            let mut text = String::new();
            for n in 0..count {
                if n > 0 {
                    text.push_str(SEPARATORS.choose(rng).expect("separators"));
                }
                text.push_str(piece(rng));
            }
            text
        }
    }
}

/// One of `options`; now and then a hostile piece, or one word of thousands of characters.
fn pick(rng: &mut StdRng, options: &[&str]) -> String {
    let roll = rng.random_range(0..100);
    if roll < 5 {
        let letter = *["x", "9", "é", "😀", "&"].choose(rng).expect("letters");
        letter.repeat(rng.random_range(3_000..4_090))
    } else if roll < 30 {
        piece(rng).to_owned()
    } else {
        (*options.choose(rng).expect("options")).to_owned()
    }
}

/// `N`, `#N`, another unit's innovation, an edge number or worse.
fn innovation_ref(rng: &mut StdRng, world: &World) -> String {
    let id = *world.all_innovations().choose(rng).expect("innovations");
    match rng.random_range(0..6) {
        0 => id.to_string(),
        1 => format!("#{id}"),
        2 => format!(" ##{id} "),
        3 => format!("{id} {}", piece(rng)),
        4 => format!("{id}{}", piece(rng)),
        _ => piece(rng).to_owned(),
    }
}

fn code(rng: &mut StdRng) -> String {
    pick(
        rng,
        &[
            "ALFA",
            "alfa",
            "BRAVO",
            "NOPE",
            "A",
            "ÄLFA",
            "ALFA;",
            "UPT-ACEH_2",
            "<b>X</b>",
        ],
    )
}

fn date(rng: &mut StdRng) -> String {
    pick(
        rng,
        &[
            "2025-02-30",
            "31/04/2025",
            "9999-12-31",
            "0000-01-01",
            "2026-06-03",
            "03-06-2026",
            "2025-13-01",
            "+262143-12-31",
            "-0001-01-01",
            "99999-12-31",
            "2026-06-03T23:59",
            "1/1/1",
        ],
    )
}

fn time(rng: &mut StdRng) -> String {
    pick(
        rng,
        &[
            "23:59", "00:00", "24:00", "23:60", "99:99", "-1:00", "7:5", "12h", "",
        ],
    )
}

/// `/user HANDLE ACTION …`. Real people only meet actions that cannot succeed, so the roles and
/// units the checks rely on stay as they were set up.
fn user_args(rng: &mut StdRng) -> String {
    if rng.random_bool(0.5) {
        let handle = pick(
            rng,
            &[
                "@nobody",
                "@",
                "0",
                "-1",
                "9223372036854775807",
                "9223372036854775808",
                "@user",
                "1e3",
                "@<b>",
                "@user9999",
            ],
        );
        let action = pick(
            rng,
            &[
                "role staff ALFA",
                "role coordinator BRAVO",
                "role bureau",
                "unit ALFA",
                "deactivate",
                "activate",
                "nonaktifkan",
                "ROLE STAFF alfa",
                "delete",
                "",
            ],
        );
        return format!("{handle} {action}");
    }
    let handle = pick(
        rng,
        &[
            "7101",
            "@user7101",
            "@USER7203",
            "5001",
            " 7102 ",
            "#7101",
            "@user5001",
        ],
    );
    let action = pick(
        rng,
        &[
            "role god",
            "role staff NOPE",
            "unit NOPE",
            "unit ÄLFA",
            "unit",
            "role",
            "activate",
            "aktifkan",
            "deactivate now",
            "unit <b>",
            "role bureau extra words",
        ],
    );
    // A piece in the action could be a real role or unit: only the fixed actions reach people.
    let action = if PIECES.contains(&action.as_str()) {
        "role god".to_owned()
    } else {
        action
    };
    format!("{handle} {action}")
}

fn args_for(rng: &mut StdRng, command: &str, world: &World) -> String {
    if rng.random_bool(0.2) {
        return String::new();
    }
    if rng.random_bool(0.3) {
        // Anything at all, except for `/user`, where it could change the people the checks
        // know (`/user 7101 role bureau`).
        return if command == "user" {
            user_args(rng)
        } else {
            hostile_arg(rng)
        };
    }
    match command {
        "start" => {
            let token: String = (0..24)
                .map(|_| {
                    *b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                        .choose(rng)
                        .expect("a") as char
                })
                .collect();
            match rng.random_range(0..5) {
                0 => token,
                1 => format!("{token}x"),
                2 => token.chars().skip(1).collect(),
                3 => format!("{token} {}", piece(rng)),
                _ => format!("{}{token}", piece(rng)),
            }
        }
        "lang" => pick(
            rng,
            &[
                "en",
                "id",
                "EN",
                " english ",
                "fr",
                "en id",
                "ID\u{200b}",
                "Inggris",
            ],
        ),
        "review" | "submit" | "reopen" | "select" | "unselect" | "proposal" => {
            innovation_ref(rng, world)
        }
        "deadline" => match rng.random_range(0..6) {
            0 => format!("{} {}", date(rng), time(rng)),
            1 => date(rng),
            2 => format!("{} {} {}", code(rng), date(rng), time(rng)),
            3 => format!(
                "{} {}",
                code(rng),
                pick(rng, &["clear", "HAPUS", "umum", "clear now"])
            ),
            4 => format!("{} {}", code(rng), piece(rng)),
            _ => format!("{} {}", piece(rng), piece(rng)),
        },
        "units" => {
            let verb = pick(rng, &["add", "ADD", "add", "list", "addALFA"]);
            let name = if rng.random_bool(0.2) {
                huge(rng)
            } else {
                hostile_arg(rng)
            };
            format!("{verb} {} {name}", code(rng))
        }
        "invite" => {
            let parts = [
                pick(
                    rng,
                    &[
                        "staff",
                        "coordinator",
                        "bureau",
                        "STAFF",
                        "koordinator",
                        "god",
                    ],
                ),
                code(rng),
                pick(
                    rng,
                    &["1", "500", "501", "0", "-1", "4294967296", "65536", "1.5"],
                ),
                pick(
                    rng,
                    &[
                        "7d",
                        "0d",
                        "366d",
                        "367d",
                        "12h",
                        "30m",
                        "99999999999999999999d",
                        "7",
                    ],
                ),
                pick(rng, &["extra", ""]),
            ];
            let keep = rng.random_range(1..=parts.len());
            parts[..keep].join(" ")
        }
        "user" => user_args(rng),
        "export" => format!(
            "{} {}",
            pick(rng, &["xlsx", "csv", "json", "zip", "XLSX", "pdf", ""]),
            pick(
                rng,
                &[
                    "draft",
                    "submitted",
                    "returned",
                    "approved",
                    "selected",
                    "DRAFT",
                    "deleted",
                    ""
                ]
            )
        ),
        _ => hostile_arg(rng),
    }
}

/// Odd casing: `/hElP`.
fn odd_case(name: &str) -> String {
    name.chars()
        .enumerate()
        .map(|(n, c)| {
            if n % 2 == 1 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

/// Commands the bot does not know, and things that only look like commands.
fn unknown_commands() -> Vec<String> {
    let mut unknown: Vec<String> = [
        "/nonsense",
        "/",
        "/ help",
        "//help",
        "/help/",
        "/help,",
        "/start_",
        "/<b>",
        "/élan",
        "/😀",
        "/help@",
        "/@kipp_test_bot",
        "/help@other_bot",
        "/help@kipp_test_bot@x",
        "/\u{200b}help",
        "/help\u{200b}",
        "/ｈｅｌｐ",
        "/start\u{0}",
        "/x_y_z_1",
        "/users_list",
    ]
    .map(str::to_owned)
    .to_vec();
    unknown.push(format!("/{}", "a".repeat(4095)));
    unknown.push(format!("/{}", "a".repeat(5000)));
    unknown.push(format!("/help@{}", "b".repeat(3000)));
    unknown
}

/// Every command the bot knows, each in some form (`/name`, `/name@bot`, odd casing), and the
/// unknown ones, shuffled: one person's next commands.
fn command_round(rng: &mut StdRng) -> Vec<String> {
    let mut forms: Vec<String> = COMMANDS
        .iter()
        .map(|info| match rng.random_range(0..4) {
            0 => format!("/{}", info.name),
            1 => format!("/{}@{BOT_USERNAME}", info.name),
            2 => format!("/{}", odd_case(info.name)),
            _ => format!("/{}@{}", info.name.to_uppercase(), odd_case(BOT_USERNAME)),
        })
        .collect();
    forms.extend(unknown_commands());
    forms.shuffle(rng);
    forms
}

/// The command a form names, as the bot reads it (`None`: not addressed to this bot).
fn command_name(form: &str) -> Option<String> {
    let head = form.strip_prefix('/')?;
    let (name, addressee) = head.split_once('@').unwrap_or((head, ""));
    (addressee.is_empty() || addressee.eq_ignore_ascii_case(BOT_USERNAME))
        .then(|| name.to_ascii_lowercase())
}

const IDS: &[i64] = &[
    i64::MIN,
    i64::MIN + 1,
    -1,
    0,
    1,
    2,
    3,
    7,
    1_000_000,
    i64::MAX,
];
const SMALL: &[u16] = &[0, 1, 2, 5, 40, 255, u16::MAX - 1, u16::MAX];

fn any_id(rng: &mut StdRng, world: &World) -> i64 {
    if rng.random_bool(0.5) {
        *world.all_innovations().choose(rng).expect("innovations")
    } else {
        *IDS.choose(rng).expect("ids")
    }
}

fn small(rng: &mut StdRng) -> u16 {
    *SMALL.choose(rng).expect("small")
}

fn any_step(rng: &mut StdRng) -> Step {
    match rng.random_range(0..10) {
        0 => Step::Choose(small(rng)),
        1 => match rng.random_range(0..3) {
            0 => Step::Tick(small(rng)),
            1 => Step::Untick(small(rng)),
            _ => Step::Toggle(small(rng)),
        },
        2 => Step::Done,
        3 => Step::Yes,
        4 => Step::No,
        5 => Step::Skip,
        6 => Step::Back,
        7 => Step::Pause,
        8 => Step::ClearDraft,
        _ => Step::AddAnother(rng.random_bool(0.5)),
    }
}

/// A well-formed action with ids that may name nothing, or someone else's innovation.
fn any_action(rng: &mut StdRng, world: &World, unit_ids: &[i64]) -> Action {
    let id = any_id(rng, world);
    let role = *[Role::Staff, Role::Coordinator, Role::Bureau]
        .choose(rng)
        .expect("roles");
    match rng.random_range(0..20) {
        0 => Action::SetLanguage(if rng.random_bool(0.5) {
            Lang::En
        } else {
            Lang::Id
        }),
        1 => Action::InviteRole(role),
        2 => Action::InviteUnit {
            role,
            unit_id: if rng.random_bool(0.5) {
                *unit_ids.choose(rng).expect("units")
            } else {
                id
            },
        },
        3 => Action::RevokeInvitation(*IDS.choose(rng).expect("ids")),
        4 => Action::Step {
            innovation: id,
            question: small(rng),
            item: small(rng),
            step: any_step(rng),
        },
        5 => Action::Resume(id),
        6 => Action::Review(id),
        7 => Action::Edit {
            innovation: id,
            question: small(rng),
            item: small(rng),
        },
        8 => Action::RemoveFile {
            innovation: id,
            evidence: *IDS.choose(rng).expect("ids"),
        },
        9 => Action::Submit(id),
        10 => Action::Broadcast {
            id: *IDS.choose(rng).expect("ids"),
            step: match rng.random_range(0..8) {
                0 => BroadcastStep::Everyone,
                1 => BroadcastStep::PickUnits,
                2 => BroadcastStep::ToggleUnit(*IDS.choose(rng).expect("ids")),
                3 => BroadcastStep::UnitsDone,
                4 => BroadcastStep::Incomplete,
                5 => BroadcastStep::Coordinators,
                6 => BroadcastStep::Send,
                _ => BroadcastStep::Cancel,
            },
        },
        11 => Action::Approve(id),
        12 => Action::SendBack(id),
        13 => Action::CommentOn {
            innovation: id,
            question: small(rng),
            item: small(rng),
        },
        14 => Action::SendComments(id),
        15 => Action::CancelSendBack(id),
        16 => Action::Select(id),
        17 => Action::Unselect(id),
        18 => Action::Export(*Format::ALL.choose(rng).expect("formats")),
        _ => Action::Proposal(id),
    }
}

/// Forged button data: well-formed actions with hostile ids, malformed ones, random and
/// over-long data.
fn forged_data(rng: &mut StdRng, world: &World, unit_ids: &[i64]) -> String {
    const PREFIXES: &[&str] = &[
        "v",
        "r",
        "s",
        "ap",
        "sb",
        "sc",
        "cc",
        "sel",
        "uns",
        "pr",
        "rev",
        "b",
        "x",
        "e",
        "cq",
        "d",
        "lang",
        "inv:r",
        "inv:u:staff",
        "ex",
        "b:1",
        "d:1:0:0",
    ];
    const BAD_NUMBERS: &[&str] = &[
        "",
        "-0",
        "+1",
        " 1",
        "1 ",
        "99999999999999999999",
        "-9223372036854775809",
        "1e3",
        "0x1",
        "1.0",
        "١",
        "65536",
        "1:2:3:4:5:6",
        "c65536",
        "t-1",
        "a2",
    ];
    match rng.random_range(0..10) {
        0..=4 => any_action(rng, world, unit_ids).encode(),
        5 => format!(
            "{}:{}",
            PREFIXES.choose(rng).expect("prefixes"),
            BAD_NUMBERS.choose(rng).expect("numbers")
        ),
        6 => {
            let mut data = random_unicode(rng, 32);
            while data.len() > 64 {
                data.pop();
            }
            data
        }
        7 => match rng.random_range(0..3) {
            0 => format!(
                "{}:{}",
                any_action(rng, world, unit_ids).encode(),
                "9".repeat(rng.random_range(64..300))
            ),
            1 => format!("v:{}", "9".repeat(rng.random_range(62..300))),
            _ => {
                let len = rng.random_range(65..300);
                random_unicode(rng, len)
            }
        },
        _ => hostile_arg(rng).chars().take(80).collect(),
    }
}

// ---- one round -----------------------------------------------------------------------------------

/// One generated update and what it must get.
struct Fuzzed {
    chat: i64,
    who: Who,
    press: bool,
    what: String,
}

impl fmt::Display for Fuzzed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.what.chars().take(160).collect();
        let more = if self.what.chars().count() > 160 {
            format!(" … ({} chars)", self.what.chars().count())
        } else {
            String::new()
        };
        let kind = if self.press { "pressed" } else { "sent" };
        write!(f, "{:?} {} {kind} {shown:?}{more}", self.who, self.chat)
    }
}

/// The last keyboard a person saw: the message it is under and its buttons' data.
type Keyboard = (i64, Vec<String>);

struct Fuzzer<'a> {
    app: &'a TestApp,
    world: &'a World,
    unit_ids: Vec<i64>,
    rng: StdRng,
    /// Per person (strangers share key 0): the commands still to send in this cycle.
    queues: HashMap<i64, Vec<String>>,
    keyboards: HashMap<i64, Keyboard>,
    /// People the bot just asked to type a text (an announcement, a comment).
    asked_for_text: HashSet<i64>,
    /// (role, command) pairs sent, for the coverage check.
    covered: HashSet<(&'static str, String)>,
    commands: usize,
    presses: usize,
}

impl Fuzzer<'_> {
    fn next_command(&mut self, actor: &Actor) -> String {
        let key = if actor.who == Who::Stranger {
            0
        } else {
            actor.user.id
        };
        let queue = self.queues.entry(key).or_default();
        if queue.is_empty() {
            *queue = command_round(&mut self.rng);
        }
        let form = queue.pop().expect("a command");
        let name = command_name(&form);
        let args = args_for(&mut self.rng, name.as_deref().unwrap_or(""), self.world);
        if let Some(name) = name
            && COMMANDS.iter().any(|info| info.name == name)
        {
            self.covered.insert((actor.who.role(), name));
        }
        if args.is_empty() {
            form
        } else {
            let separator = *[" ", " ", " ", "\n", "  ", "\u{a0}"]
                .choose(&mut self.rng)
                .expect("separators");
            format!("{form}{separator}{args}")
        }
    }

    /// One update from `actor` in their private chat.
    fn send(&mut self, actor: &Actor) -> Fuzzed {
        let fake = &self.app.fake;
        let chat = actor.user.id;
        let roll = self.rng.random_range(0..100);
        let real_button = self
            .keyboards
            .get(&chat)
            .and_then(|(under, buttons)| Some((*under, buttons.choose(&mut self.rng)?.clone())));
        let asked_for_text = self.asked_for_text.remove(&chat);
        let (press, what) = match (roll, real_button) {
            // The bot asked for a text (an announcement, a comment): mostly, a hostile one.
            (0..=69, _) if asked_for_text => {
                let text = if self.rng.random_bool(0.3) {
                    huge(&mut self.rng)
                } else {
                    hostile_arg(&mut self.rng)
                };
                let text = non_empty(text);
                fake.send_text(&actor.user, &text);
                (false, text)
            }
            // A button the bot really showed: it leads into deeper flows (broadcasts,
            // send-backs, the questionnaire), where the next hostile input lands.
            (0..=19, Some((under, data))) => {
                press_button(self.app, &actor.user, under, &data);
                (true, data)
            }
            (0..=39, _) => {
                let data = forged_data(&mut self.rng, self.world, &self.unit_ids);
                let under = *[-5, 0, 1, 99_999, i64::from(i32::MAX)]
                    .choose(&mut self.rng)
                    .expect("ids");
                press_button(self.app, &actor.user, under, &data);
                (true, data)
            }
            (40..=54, _) => {
                // Plain text: an answer, a broadcast's text, a reviewer's comment.
                let text = hostile_arg(&mut self.rng);
                let text = non_empty(text);
                fake.send_text(&actor.user, &text);
                (false, text)
            }
            _ => {
                let text = self.next_command(actor);
                fake.send_text(&actor.user, &text);
                self.commands += 1;
                (false, text)
            }
        };
        self.presses += usize::from(press);
        Fuzzed {
            chat,
            who: actor.who,
            press,
            what,
        }
    }
}

/// Telegram delivers no empty message; one of only (Unicode) spaces it does.
fn non_empty(text: String) -> String {
    if text.is_empty() {
        "\u{3000}".into()
    } else {
        text
    }
}

/// A press of `data` under message `under` of the person's chat (a message they may never have
/// got).
fn press_button(app: &TestApp, user: &TgUser, under: i64, data: &str) {
    let on = Sent {
        method: "sendmessage".into(),
        chat_id: user.id,
        message_id: under,
        text: String::new(),
        buttons: Vec::new(),
        request_contact: false,
        document: None,
        at: Instant::now(),
    };
    app.fake.press(user, &on, data);
}

/// Waits until the bot confirmed every update and finished handling it; a panic on the bot's
/// threads fails at once, with the round that caused it.
async fn settle(app: &TestApp, db: &SqlitePool, context: &dyn Fn() -> String) {
    app.fake.wait_until_consumed().await;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let panics = capture::panics_on(THREADS);
        assert!(panics.is_empty(), "{}: panics: {panics:#?}", context());
        let (left,): (i64,) = sqlx::query_as("SELECT count(*) FROM inbox")
            .fetch_one(db)
            .await
            .expect("the inbox");
        if left == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{}: {left} updates were never finished",
            context()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Sends that answer the person, as opposed to an edit, or an announcement the outbox delivers
/// whenever it is due.
fn is_reply(sent: &Sent) -> bool {
    let announcement = [Lang::Id, Lang::En].into_iter().any(|lang| {
        sent.text
            .starts_with(texts::broadcast_message(lang, "").as_str())
    });
    sent.method != "editmessagetext" && !announcement
}

/// The bot's calls Telegram refused after the first `from` (HTML it could not parse, too long,
/// bad buttons), each with what was wrong.
fn refused(app: &TestApp, from: usize) -> Vec<String> {
    app.fake
        .refused()
        .iter()
        .skip(from)
        .map(|call| {
            let text = call.body["text"]
                .as_str()
                .or_else(|| call.body["caption"].as_str())
                .unwrap_or("");
            format!(
                "{} to {}: {} characters shown, HTML {:?}: {:?}",
                call.method,
                call.body["chat_id"],
                visible_length(text),
                check_html(text),
                text.chars().take(300).collect::<String>()
            )
        })
        .collect()
}

struct Checks {
    stranger_texts: HashSet<String>,
    internal: [String; 2],
    stale: [String; 2],
}

impl Checks {
    fn new() -> Self {
        let mut stranger_texts = HashSet::new();
        for text in [
            texts::stranger as fn(Lang) -> texts::Html,
            texts::invitation_unknown,
            texts::invitation_expired,
            texts::invitation_used_up,
            texts::invitation_revoked,
        ] {
            stranger_texts.extend(both(text));
        }
        Self {
            stranger_texts,
            internal: both(texts::internal_error),
            stale: both(texts::stale_button),
        }
    }

    /// Whether the bot asks for a text: an announcement's, or a comment on a question.
    fn asks_for_text(&self, sent: &Sent) -> bool {
        [Lang::Id, Lang::En].into_iter().any(|lang| {
            let comment = texts::write_comment_for(lang, "");
            let comment = comment.as_str().split("<b>").next().unwrap_or("");
            sent.text == texts::broadcast_ask_text(lang) || sent.text.starts_with(comment)
        })
    }

    fn check(&self, world: &World, update: &Fuzzed, new: &[Sent], context: &str) {
        for sent in new {
            assert!(
                !self.internal.contains(&sent.text),
                "{context}: {update}: the person was told something went wrong"
            );
        }
        if !update.press {
            assert!(
                new.iter().any(is_reply),
                "{context}: {update}: no answer; got {new:?}"
            );
        }
        if update.who == Who::Stranger {
            for sent in new {
                let leaked = world.secrets.iter().find(|s| sent.text.contains(**s));
                assert!(
                    self.stranger_texts.contains(&sent.text)
                        && sent.buttons.is_empty()
                        && sent.document.is_none()
                        && leaked.is_none(),
                    "{context}: {update}: a stranger got more than the polite sentence: {sent:?}"
                );
            }
        }
    }
}

// ---- the run -------------------------------------------------------------------------------------

async fn fuzz_run(seed: u64, logs: capture::Logs) {
    let tag = replay(seed);
    let app = TestApp::spawn().await;
    let db = SqlitePool::connect(&format!(
        "sqlite://{}",
        app.data_dir().join("kipp.db").display()
    ))
    .await
    .expect("the test's own pool");
    let (world, actors) = set_up(&app).await;
    settle(&app, &db, &|| format!("{tag}, setting up")).await;
    for actor in &actors {
        drain(&app, actor.user.id).await;
    }
    let checks = Checks::new();
    let mut fuzzer = Fuzzer {
        app: &app,
        world: &world,
        unit_ids: world.units.iter().map(|unit| unit.id).collect(),
        rng: StdRng::seed_from_u64(seed),
        queues: HashMap::new(),
        keyboards: HashMap::new(),
        asked_for_text: HashSet::new(),
        covered: HashSet::new(),
        commands: 0,
        presses: 0,
    };
    let fuzz_started = Instant::now();
    let mut updates = 0usize;
    let mut rounds = 0usize;
    let mut log_mark = logs.mark();
    // Of everything generated: equal on every run of a seed.
    let mut fingerprint = std::hash::DefaultHasher::new();
    while updates < UPDATES {
        rounds += 1;
        let answers_before = app.fake.calls("answerCallbackQuery").len();
        let refused_before = app.fake.refused().len();
        let mut round: Vec<Fuzzed> = actors.iter().map(|actor| fuzzer.send(actor)).collect();
        let mut strangers = HashSet::new();
        while strangers.len() < STRANGERS_PER_ROUND {
            let id = FIRST_STRANGER + fuzzer.rng.random_range(0..STRANGER_POOL);
            if strangers.insert(id) {
                round.push(fuzzer.send(&stranger(id)));
            }
        }
        updates += round.len();
        for update in &round {
            update.what.hash(&mut fingerprint);
        }
        let context = |round: &[Fuzzed]| {
            let updates: Vec<String> = round.iter().map(|u| format!("  {u}")).collect();
            format!(
                "{tag}, round {rounds}; the round's updates:\n{}\n",
                updates.join("\n")
            )
        };
        settle(&app, &db, &|| context(&round)).await;

        let new_logs = logs.since(log_mark);
        log_mark += new_logs.len();
        let errors = capture::errors(&new_logs, 3);
        assert!(
            errors.is_empty(),
            "{}errors were logged: {errors:#?}",
            context(&round)
        );
        let refused = refused(&app, refused_before);
        assert!(
            refused.is_empty(),
            "{}Telegram refused the bot's sends: {refused:#?}",
            context(&round)
        );
        let mut stranger_presses = 0;
        for update in &round {
            let new = drain(&app, update.chat).await;
            checks.check(&world, update, &new, &format!("{tag}, round {rounds}"));
            if new.iter().any(|sent| checks.asks_for_text(sent)) {
                fuzzer.asked_for_text.insert(update.chat);
            }
            if let Some(last) = new.iter().rev().find(|sent| !sent.buttons.is_empty()) {
                fuzzer
                    .keyboards
                    .insert(update.chat, (last.message_id, last.button_data()));
            }
            stranger_presses += usize::from(update.press && update.who == Who::Stranger);
        }
        let answers = app
            .fake
            .calls("answerCallbackQuery")
            .split_off(answers_before);
        let presses = round.iter().filter(|u| u.press).count();
        assert_eq!(
            answers.len(),
            presses,
            "{}every button press is answered once",
            context(&round)
        );
        let mut to_strangers = 0;
        for answer in &answers {
            let text = answer.body["text"].as_str().unwrap_or("");
            assert!(
                !checks.internal.iter().any(|t| t == text),
                "{}a press was answered with an internal error",
                context(&round)
            );
            if checks.stranger_texts.contains(text) {
                to_strangers += 1;
            } else {
                assert!(
                    text.is_empty() || checks.stale.iter().any(|t| t == text),
                    "{}a press was answered with {text:?}",
                    context(&round)
                );
            }
        }
        assert_eq!(
            to_strangers,
            stranger_presses,
            "{}strangers' presses get the polite sentence, and only theirs",
            context(&round)
        );
    }
    let fuzz_time = fuzz_started.elapsed();

    // Every command was sent from every role and by strangers.
    let covered = &fuzzer.covered;
    let missing: Vec<String> = ["staff", "coordinator", "bureau", "stranger"]
        .into_iter()
        .flat_map(|role| {
            COMMANDS
                .iter()
                .filter(move |info| !covered.contains(&(role, info.name.to_owned())))
                .map(move |info| format!("/{} from {role}", info.name))
        })
        .collect();
    assert!(missing.is_empty(), "{tag}: never sent: {missing:?}");

    // Still alive: everyone gets `/help` right after.
    for actor in actors.iter().cloned().chain([stranger(FIRST_STRANGER)]) {
        app.fake.send_text(&actor.user, "/help");
        settle(&app, &db, &|| format!("{tag}, /help from {:?}", actor.who)).await;
        let new = drain(&app, actor.user.id).await;
        let helped = if actor.who == Who::Stranger {
            new.iter()
                .any(|sent| checks.stranger_texts.contains(&sent.text))
        } else {
            new.iter()
                .any(|sent| sent.text.contains("/help") && sent.text.contains("/whoami"))
        };
        assert!(
            helped,
            "{tag}: /help from {:?} after the run: {new:?}",
            actor.who
        );
    }

    check_all_sent(&app, &world, &actors, &checks, &tag);
    let refused = refused(&app, 0);
    assert!(
        refused.is_empty(),
        "{tag}: Telegram refused the bot's sends: {refused:#?}"
    );
    println!(
        "command fuzz: {updates} updates in {rounds} rounds ({} commands, {} button presses, \
         the rest plain text) handled in {:.1} s; {} messages sent; input fingerprint {:016x}",
        fuzzer.commands,
        fuzzer.presses,
        fuzz_time.as_secs_f64(),
        app.fake.all_sent().len(),
        fingerprint.finish(),
    );
}

/// Everything ever sent, the outbox's deliveries included: no internal error, strangers got only
/// the polite sentences, and no unit's titles reached the other unit's people.
fn check_all_sent(app: &TestApp, world: &World, actors: &[Actor], checks: &Checks, tag: &str) {
    let units: HashMap<i64, Option<usize>> = actors
        .iter()
        .map(|actor| (actor.user.id, actor.who.unit()))
        .collect();
    for (people, unit) in [(&ALFA_PEOPLE[..], 0), (&BRAVO_PEOPLE[..], 1)] {
        for id in people {
            assert_eq!(units.get(id), Some(&Some(unit)), "{tag}: the cast");
        }
    }
    for sent in app.fake.all_sent() {
        assert!(
            !checks.internal.contains(&sent.text),
            "{tag}: an internal error reached {}",
            sent.chat_id
        );
        match units.get(&sent.chat_id) {
            None => assert!(
                checks.stranger_texts.contains(&sent.text) && sent.buttons.is_empty(),
                "{tag}: a stranger got more than the polite sentence: {sent:?}"
            ),
            Some(Some(unit)) => {
                let other = world.markers[1 - unit];
                let everything = std::iter::once(sent.text.as_str())
                    .chain(sent.buttons.iter().flatten().map(|b| b.text.as_str()));
                for text in everything {
                    assert!(
                        !text.contains(other),
                        "{tag}: {other} data reached {}: {text}",
                        sent.chat_id
                    );
                }
            }
            Some(None) => {}
        }
    }
}

// ---- what the fuzzer found, replayed on purpose ------------------------------------------------

/// Inputs the fuzzer found to break a reply (too long for one message), each sent on purpose:
/// every one is answered, Telegram refuses nothing, and nobody is told something went wrong.
#[tokio::test]
async fn the_fuzzers_findings_are_answered() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("ALFA", "Unit Alfa").await;
    let bureau = app.bureau().await;
    app.register(&TgUser::new(7101, "Alfa Satu"), Role::Staff, Some(&unit))
        .await;
    let long_word = "x".repeat(4_090);
    for text in [
        format!("/{}", "a".repeat(4_095)),
        format!("/user {long_word} role"),
        format!("/user 7101 unit {}", "y".repeat(4_080)),
        format!("/deadline {long_word}"),
        format!("/deadline {} 2026-06-03", "z".repeat(4_070)),
    ] {
        let reply = app.say(&bureau, &text).await;
        assert!(reply.text.chars().count() < 4_096, "{}", reply.text);
    }
    let refused = app.fake.refused();
    assert!(refused.is_empty(), "{refused:#?}");
}

/// The first message after `user` pressed `data` under `on`.
async fn press_for_reply(app: &TestApp, user: &TgUser, on: &Sent, data: &str) -> Sent {
    app.fake.press(user, on, data);
    app.fake.next_message(user.id).await
}

/// Messages to `chat` up to and including the first one with buttons.
async fn until_buttons(app: &TestApp, chat: i64) -> Vec<Sent> {
    let mut messages = Vec::new();
    loop {
        let sent = app.fake.next_message(chat).await;
        let done = !sent.buttons.is_empty();
        messages.push(sent);
        if done {
            return messages;
        }
    }
}

fn data_starting(messages: &[Sent], prefix: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for data in messages.iter().flat_map(Sent::button_data) {
        if data.starts_with(prefix) && !found.contains(&data) {
            found.push(data);
        }
    }
    found
}

/// Reviewer's comments of the longest length, over several lines, three on one question:
/// the reviewer's list of drafts, the unit's notice and the question all still reach people.
#[tokio::test]
async fn the_longest_comments_many_of_them_reach_the_unit() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("ALFA", "Unit Alfa").await;
    let coordinator = TgUser::new(7103, "Koordinator");
    app.register(&coordinator, Role::Coordinator, Some(&unit))
        .await;
    let mut staff = Staff::register(&app, 7101, "Alfa Satu", &unit).await;
    staff.say("/new").await;
    staff.say("Judul inovasi uji").await;
    let id = app.storage.innovations(None).await.unwrap()[0].id;
    let author = app
        .storage
        .user_by_telegram_id(7101)
        .await
        .unwrap()
        .unwrap();
    let now = kipp_bot::clock::Clock::now(&app.clock);
    assert!(
        app.storage
            .change_innovation_state(id, Transition::Submit, author.id, None, now)
            .await
            .unwrap()
    );

    app.fake.send_text(&coordinator, &format!("/review {id}"));
    let mut panel = until_buttons(&app, coordinator.id).await;
    while data_starting(&panel, "sb:").is_empty() {
        panel = until_buttons(&app, coordinator.id).await;
    }
    let panel = panel.pop().unwrap();
    app.fake.press(&coordinator, &panel, &format!("sb:{id}"));
    let questions = data_starting(&until_buttons(&app, coordinator.id).await, "cq:");
    let comment = |n: usize| -> String {
        format!(
            "Komentar {n}:\n{}",
            "perbaiki <data> & sumbernya.\n".repeat(40)
        )
        .chars()
        .take(texts::MAX_COMMENT_CHARS)
        .collect()
    };
    let plan = [0, 0, 0, 1, 2, 3, 4, 5];
    let mut last_compose = Vec::new();
    for (n, question) in plan.into_iter().enumerate() {
        let ask = press_for_reply(&app, &coordinator, &panel, &questions[question]).await;
        if n == 0 {
            let too_long = "x".repeat(texts::MAX_COMMENT_CHARS + 1);
            let refused = app.say(&coordinator, &too_long).await;
            let expected = texts::comment_too_long(Lang::Id, texts::MAX_COMMENT_CHARS + 1);
            assert_eq!(refused.text, expected);
            let again = app.say(&coordinator, "\u{3000}").await;
            assert_eq!(again.text, ask.text, "a blank comment is asked for again");
        }
        let saved = app.say(&coordinator, &comment(n)).await;
        assert!(saved.text.starts_with("💬"), "{}", saved.text);
        last_compose = until_buttons(&app, coordinator.id).await;
    }
    assert!(last_compose.len() > 1, "the drafts went out in parts");

    app.fake.press(&coordinator, &panel, &format!("sc:{id}"));
    let notice = until_buttons(&app, 7101).await;
    assert!(notice.len() > 1, "the notice went out in parts");
    let all: String = notice.iter().map(|sent| sent.text.as_str()).collect();
    for n in 0..plan.len() {
        assert!(
            all.contains(&format!("Komentar {n}:")),
            "comment {n} is in the notice"
        );
    }
    let fix = data_starting(&notice, "e:");
    let question = press_for_reply(&app, &staff.user, &notice[notice.len() - 1], &fix[0]).await;
    for n in 1..3 {
        let note = texts::reviewer_comment(Lang::Id, "Koordinator", &comment(n));
        assert!(
            question.text.contains(note.as_str()),
            "the latest two comments are shown"
        );
    }
    assert!(!question.text.contains("Komentar 0:"));
    let refused = app.fake.refused();
    assert!(refused.is_empty(), "{refused:#?}");
    let internal = both(texts::internal_error);
    assert!(
        app.fake
            .all_sent()
            .iter()
            .all(|sent| !internal.contains(&sent.text))
    );
}

/// An announcement as long as Telegram lets one be typed is refused with the limit named; the
/// longest allowed one fits its preview and its delivery.
#[tokio::test]
async fn the_longest_announcement_fits_its_preview_and_its_delivery() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("ALFA", "Unit Alfa").await;
    let coordinator = TgUser::new(7103, "Koordinator");
    app.register(&coordinator, Role::Coordinator, Some(&unit))
        .await;
    let bureau = app.bureau().await;
    app.say(&bureau, "/broadcast").await;
    // Longer than anyone can type in Telegram (only a forged update carries it): refused.
    let too_long = "&".repeat(texts::MAX_BROADCAST_CHARS + 1);
    let refused = app.say(&bureau, &too_long).await;
    assert_eq!(
        refused.text,
        texts::broadcast_too_long(Lang::Id, texts::MAX_BROADCAST_CHARS + 1)
    );
    // The longest one Telegram lets a person type goes out whole, in as many parts as it needs.
    let longest = "<b>&".repeat(texts::MAX_BROADCAST_CHARS / 4);
    let audience = app.say(&bureau, &longest).await;
    let coordinators = data_starting(std::slice::from_ref(&audience), "b:")
        .into_iter()
        .find(|data| data.ends_with(":c"))
        .expect("a button for the coordinators");
    app.fake.press(&bureau, &audience, &coordinators);
    // The preview needs two messages; its buttons are under the last.
    let preview = until_buttons(&app, bureau.id).await;
    let send = data_starting(&preview, "b:")
        .into_iter()
        .find(|data| data.ends_with(":s"))
        .expect("a send button");
    app.fake
        .press(&bureau, preview.last().expect("a preview"), &send);
    let squeeze = |text: &str| -> String { text.chars().filter(|c| !c.is_whitespace()).collect() };
    let expected = squeeze(&plain(
        texts::broadcast_message(Lang::Id, &longest).as_str(),
    ));
    let mut delivered = String::new();
    while delivered.len() < expected.len() {
        let part = app.fake.next_message(coordinator.id).await;
        delivered.push_str(&squeeze(&plain(&part.text)));
    }
    assert_eq!(delivered, expected);
    let refused = app.fake.refused();
    assert!(refused.is_empty(), "{refused:#?}");
}
