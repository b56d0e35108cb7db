//! Texts longer than Telegram allows reach the person whole: in several messages, in order,
//! each within the limit (the fake Telegram refuses anything longer, in UTF-16 code units of the
//! visible text, as Telegram does), with the keyboard under the last one.

use std::time::Duration;

use chrono::Duration as Span;
use kipp_bot::{
    bot::texts,
    clock::Clock,
    dialog::{Conversation, Dialog, Progress, Question, QuestionKind},
    domain::{AnswerValue, InviteToken, Lang, Role, Transition},
    storage::{CommentTarget, ConversationWrite, Created, Unit, UserProfile},
};

use crate::{
    fake_telegram::{Fault, Sent, TgUser, plain, visible_length},
    helpers::{TestApp, token_of},
    questionnaire::kipp2025,
};

const LIMIT: usize = 4096;

/// Words in Indonesian, Arabic and emoji (astral characters count 2 in UTF-16).
const WORDS: &[&str] = &[
    "Perpustakaan",
    "keliling",
    "📚",
    "melayani",
    "warga",
    "desa",
    "مكتبة",
    "وطنية",
    "dengan",
    "layanan",
    "digital",
    "👩‍💻",
    "pemustaka",
    "meningkat",
    "😀",
    "literasi",
    "masyarakat",
    "terpencil",
];

fn utf16(text: &str) -> usize {
    text.encode_utf16().count()
}

/// `count` words, starting at word `salt`.
fn words(count: usize, salt: usize) -> String {
    (0..count)
        .map(|n| WORDS[(n * 7 + salt) % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// A text of exactly `units` UTF-16 code units.
fn text_of(units: usize, salt: usize) -> String {
    let mut text = String::new();
    for n in 0.. {
        let word = WORDS[(n * 7 + salt) % WORDS.len()];
        let gap = usize::from(!text.is_empty());
        if utf16(&text) + gap + utf16(word) > units {
            break;
        }
        if gap == 1 {
            text.push(' ');
        }
        text.push_str(word);
    }
    while utf16(&text) < units {
        text.push('a');
    }
    text
}

/// Whitespace runs as one space: a cut drops the line end or space it falls on.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the parts say, read one after the other.
fn joined(parts: &[Sent]) -> String {
    squash(
        &parts
            .iter()
            .map(|part| plain(&part.text))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

fn assert_within_limit(parts: &[Sent]) {
    for part in parts {
        let length = visible_length(&part.text);
        assert!(length <= LIMIT, "a part of {length} UTF-16 code units");
        assert!(!plain(&part.text).trim().is_empty(), "an empty part");
    }
}

/// Reads the bot's messages to `chat` until they hold as much text as `expected_html`, and
/// asserts they hold exactly it, in order, each within the limit.
async fn receive_whole(app: &TestApp, chat: i64, expected_html: &str) -> Vec<Sent> {
    let expected = squash(&plain(expected_html));
    let mut parts = Vec::new();
    while joined(&parts).chars().count() < expected.chars().count() {
        assert!(parts.len() < 500, "the text never completes");
        parts.push(app.fake.next_message(chat).await);
    }
    assert!(joined(&parts) == expected, "the parts differ from the text");
    assert_within_limit(&parts);
    parts
}

/// Reads the bot's messages to `chat` until one carries a keyboard.
async fn until_keyboard(app: &TestApp, chat: i64) -> Vec<Sent> {
    let mut parts = Vec::new();
    loop {
        assert!(parts.len() < 500, "no keyboard came");
        let sent = app.fake.next_message(chat).await;
        let done = !sent.buttons.is_empty();
        parts.push(sent);
        if done {
            return parts;
        }
    }
}

fn assert_keyboard_on_last(parts: &[Sent]) {
    let (last, first) = parts.split_last().expect("parts");
    assert!(!last.buttons.is_empty(), "the last part has the keyboard");
    assert!(first.iter().all(|part| part.buttons.is_empty()));
}

/// Asserts that `needles` appear in `haystack` in this order.
fn assert_in_order(haystack: &str, needles: &[String]) {
    let mut from = 0;
    for needle in needles {
        let needle = squash(needle);
        match haystack.get(from..).and_then(|rest| rest.find(&needle)) {
            Some(at) => from += at + needle.len(),
            None => panic!("missing or out of order: {needle}"),
        }
    }
}

async fn user_id(app: &TestApp, telegram_id: i64) -> i64 {
    app.storage
        .user_by_telegram_id(telegram_id)
        .await
        .unwrap()
        .expect("registered")
        .id
}

/// A draft innovation made straight through the storage, with these text answers.
async fn innovation(app: &TestApp, unit: &Unit, author: i64, answers: &[(String, String)]) -> i64 {
    let now = app.clock.now();
    let created = app
        .storage
        .create_innovation(
            unit.id,
            author,
            kipp2025().version(),
            None,
            |id| Conversation::at(id, kipp2025().first_missing(&Progress::default())),
            now,
        )
        .await
        .unwrap();
    let Created::Innovation(id) = created else {
        panic!("created");
    };
    for (question, text) in answers {
        let value = AnswerValue::Text { text: text.clone() };
        app.storage
            .save_answer(
                id,
                question,
                0,
                &value,
                ConversationWrite {
                    user_id: author,
                    state: None,
                    update_id: None,
                },
                now,
            )
            .await
            .unwrap();
    }
    id
}

/// The most words a narrative may have: its own `max_words`, or its share of its box's.
fn word_limit(dialog: &Dialog, question: &Question) -> Option<u32> {
    let QuestionKind::Text(rules) = &question.kind else {
        return None;
    };
    rules.max_words.or_else(|| {
        let b = dialog.box_of(&question.id)?;
        Some(b.max_words? / u32::try_from(b.questions.len()).ok()?.max(1))
    })
}

/// Every text question of the dialog outside groups answered at its limit: narratives with
/// exactly their word limit (a box's shared among its questions), the title with `max_chars`
/// characters.
fn answers_at_their_limits() -> Vec<(String, String)> {
    let dialog = kipp2025();
    let mut answers = Vec::new();
    for (n, question) in dialog
        .sections()
        .iter()
        .flat_map(|section| &section.questions)
        .enumerate()
    {
        let QuestionKind::Text(rules) = &question.kind else {
            continue;
        };
        let text = match (word_limit(&dialog, question), rules.max_chars) {
            (Some(max_words), _) => words(max_words as usize, n),
            (None, Some(max_chars)) => {
                let mut title = format!("Inovasi 📚 مكتبة {}", words(40, n));
                while title.chars().count() > max_chars as usize {
                    title.pop();
                }
                title.trim_end().to_owned()
            }
            (None, None) => continue,
        };
        answers.push((question.id.clone(), text));
    }
    answers
}

/// The narrative answers that /review shows (not those behind a `show_if`).
fn narratives(answers: &[(String, String)]) -> Vec<(String, String)> {
    let dialog = kipp2025();
    let shown = |id: &str| {
        dialog.sections().iter().any(|section| {
            section.show_if.is_none()
                && section
                    .questions
                    .iter()
                    .any(|q| q.id == id && q.show_if.is_none() && word_limit(&dialog, q).is_some())
        })
    };
    answers
        .iter()
        .filter(|(id, _)| shown(id))
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_send_back_with_many_long_comments_arrives_whole_with_its_buttons_last() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let rina = TgUser::new(3001, "Rina");
    app.register(&rina, Role::Staff, Some(&unit)).await;
    let dedi = TgUser::new(3002, "Pak Dedi");
    app.register(&dedi, Role::Coordinator, Some(&unit)).await;
    let answers = answers_at_their_limits();
    let author = user_id(&app, rina.id).await;
    let id = innovation(&app, &unit, author, &answers).await;
    app.storage
        .change_innovation_state(id, Transition::Submit, author, None, app.clock.now())
        .await
        .unwrap();

    // The coordinator types five long comments (each near a message's own limit).
    app.fake.send_text(&dedi, &format!("/review {id}"));
    let panel = until_keyboard(&app, dedi.id).await;
    let mut last = panel.last().unwrap().clone();
    while last.button("Kembalikan").is_none() {
        last = until_keyboard(&app, dedi.id).await.pop().unwrap();
    }
    app.fake
        .press(&dedi, &last, &last.button("Kembalikan").unwrap().data);
    let mut compose = until_keyboard(&app, dedi.id).await;
    let labels = [
        "Ringkasan",
        "Latar belakang dan tujuan",
        "Kebaruan",
        "Implementasi",
        "Signifikansi",
    ];
    let mut comments = Vec::new();
    for (n, label) in labels.iter().enumerate() {
        let under = compose.last().unwrap();
        let button = under
            .button(&format!("💬 {label}"))
            .unwrap_or_else(|| panic!("no button for {label}"))
            .clone();
        app.fake.press(&dedi, under, &button.data);
        let ask = app.fake.next_message(dedi.id).await;
        assert_eq!(ask.text, texts::write_comment_for(Lang::Id, label));
        let comment = text_of(3_000 + n * 200, n);
        app.fake.send_text(&dedi, &comment);
        let saved = app.fake.next_message(dedi.id).await;
        assert_eq!(saved.text, texts::comment_saved(Lang::Id, label));
        comments.push(((*label).to_owned(), comment));
        // The compose message, with every comment so far, grows past one message.
        let expected = texts::send_back_compose(Lang::Id, id, &comments);
        compose = receive_whole(&app, dedi.id, expected.as_str()).await;
        assert_keyboard_on_last(&compose);
    }
    assert!(compose.len() >= 4, "{} parts", compose.len());
    let under = compose.last().unwrap();
    app.fake.press(
        &dedi,
        under,
        &under.button("Kirim ke unit (5").unwrap().data,
    );
    let sent = app.fake.next_message(dedi.id).await;
    assert_eq!(sent.text, texts::sent_back_ok(Lang::Id, id, 5));

    // The staff member gets the whole notice, in order, the buttons under the last part.
    let title = &answers.iter().find(|(q, _)| q == "judul").unwrap().1;
    let expected = texts::sent_back_notice(Lang::Id, id, title, "Pak Dedi", &comments);
    let notice = receive_whole(&app, rina.id, expected.as_str()).await;
    assert!(notice.len() >= 4, "{} parts", notice.len());
    assert_keyboard_on_last(&notice);
    let fix: Vec<String> = notice
        .last()
        .unwrap()
        .buttons
        .iter()
        .flatten()
        .map(|b| b.text.clone())
        .collect();
    for label in labels {
        assert!(fix.contains(&texts::button_fix(label)), "{fix:?}");
    }
    // The buttons work from the last part.
    let last = notice.last().unwrap();
    app.fake
        .press(&rina, last, &last.button("Signifikansi").unwrap().data);
    let question = app.fake.next_message(rina.id).await;
    let prompt = kipp2025()
        .question("signifikansi")
        .unwrap()
        .prompt
        .get(Lang::Id)
        .to_owned();
    assert!(question.text.contains(&prompt), "{}", question.text);
}

#[tokio::test]
async fn a_broadcast_of_4096_characters_and_its_header_arrives_whole_once_through_failures() {
    let app = TestApp::spawn_with(&[("PER_CHAT_INTERVAL_MS", "200")]).await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data").await;
    let people = app.add_people(40_000, 6, Role::Staff, Some(&unit)).await;
    let bureau = app.bureau().await;
    // 4096 UTF-16 code units, the most a person can type in one message; it ends with a word
    // no other message has, so the fake can fail the part that carries it.
    let marker = "PENUTUP-UNIK";
    let body = format!("{} {marker}", text_of(LIMIT - 1 - marker.len(), 3));
    assert_eq!(utf16(&body), LIMIT);

    app.say(&bureau, "/broadcast").await;
    let audience = app.say(&bureau, &body).await;
    app.fake
        .press(&bureau, &audience, &audience.button("Semua").unwrap().data);
    let expected = texts::broadcast_preview(Lang::Id, &body, people.len() + 1);
    let preview = receive_whole(&app, bureau.id, expected.as_str()).await;
    assert!(preview.len() >= 2);
    assert_keyboard_on_last(&preview);

    // The part with the end of the text fails: first a 429, then 500s until the client gives
    // up and the outbox retries the row later. The first part must not be sent again.
    app.fake
        .inject_on_text("sendMessage", marker, Fault::RetryAfter(1), 1);
    app.fake
        .inject_on_text("sendMessage", marker, Fault::ServerError, 3);
    let send = preview.last().unwrap();
    app.fake
        .press(&bureau, send, &send.button("Kirim").unwrap().data);
    let message = texts::broadcast_message(Lang::Id, &body);
    let received = |person: &TgUser| -> Vec<Sent> {
        app.fake
            .sent_to(person.id)
            .into_iter()
            .filter(|sent| sent.method == "sendmessage")
            .collect()
    };
    let whole = |parts: &[Sent]| joined(parts) == squash(&plain(message.as_str()));
    // The row whose part failed three times waits for its retry, due once the clock moves on.
    let report = 'waiting: {
        for _ in 0..200 {
            app.clock.advance(Span::minutes(1));
            app.run_scheduler().await;
            if let Some(report) = app
                .fake
                .sent_to(bureau.id)
                .into_iter()
                .find(|sent| sent.text.starts_with("✅ Pengumuman #1 selesai"))
            {
                break 'waiting report;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the broadcast never finished");
    };
    assert!(
        report.text.contains("7 terkirim, 0 gagal"),
        "{}",
        report.text
    );
    assert_eq!(
        app.fake
            .calls("sendMessage")
            .iter()
            .filter(|call| call.body["text"]
                .as_str()
                .is_some_and(|t| t.contains(marker)))
            .count(),
        // the preview, 7 recipients, one 429 and three 500s
        1 + 7 + 1 + 3
    );
    for person in &people {
        let parts = received(person);
        assert!(parts.len() >= 2, "{} parts", parts.len());
        assert!(
            whole(&parts),
            "{} got: {:?}",
            person.id,
            parts.iter().map(|p| &p.text).collect::<Vec<_>>()
        );
        assert_within_limit(&parts);
    }
}

#[tokio::test]
async fn a_review_summary_with_every_narrative_at_its_word_limit_arrives_whole() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let rina = TgUser::new(3101, "Rina");
    app.register(&rina, Role::Staff, Some(&unit)).await;
    let dedi = TgUser::new(3102, "Pak Dedi");
    app.register(&dedi, Role::Coordinator, Some(&unit)).await;
    let answers = answers_at_their_limits();
    let narratives = narratives(&answers);
    assert!(narratives.len() >= 12, "{}", narratives.len());
    let author = user_id(&app, rina.id).await;
    let reviewer = user_id(&app, dedi.id).await;
    let id = innovation(&app, &unit, author, &answers).await;
    let now = app.clock.now();
    app.storage
        .change_innovation_state(id, Transition::Submit, author, None, now)
        .await
        .unwrap();
    // Sent back with a long comment on every narrative: /review shows each beside its answer.
    let mut comments = Vec::new();
    for (n, (question, _)) in narratives.iter().enumerate() {
        let target = CommentTarget {
            innovation_id: id,
            question_id: question.clone(),
            item: 0,
        };
        app.storage
            .pick_comment_target(reviewer, &target, now)
            .await
            .unwrap();
        let comment = words(250, n);
        app.storage
            .add_review_comment(reviewer, &comment, None, now)
            .await
            .unwrap();
        comments.push(comment);
    }
    app.storage.send_back(id, reviewer, now).await.unwrap();
    app.clock.advance(Span::minutes(1));

    app.fake.send_text(&rina, &format!("/review {id}"));
    let mut messages = Vec::new();
    loop {
        let sent = app.fake.next_message(rina.id).await;
        let last = sent.text.starts_with("Yang belum lengkap");
        messages.push(sent);
        if last {
            break;
        }
    }
    assert_within_limit(&messages);
    // Each section is one text: its parts have no keyboard but the last.
    let mut sections: Vec<Vec<Sent>> = Vec::new();
    // The header first, the list of what is missing last, the sections between.
    for message in &messages[1..messages.len() - 1] {
        let starts_section = plain(&message.text)
            .split_once(". ")
            .is_some_and(|(number, _)| number.parse::<u32>().is_ok());
        match sections.last_mut() {
            Some(section) if !starts_section => section.push(message.clone()),
            _ => sections.push(vec![message.clone()]),
        }
    }
    let longest = sections.iter().map(Vec::len).max().unwrap_or(0);
    assert!(
        longest >= 3,
        "the narrative section needs several messages: {longest}"
    );
    for section in &sections {
        if section.iter().any(|part| !part.buttons.is_empty()) {
            assert_keyboard_on_last(section);
        }
    }
    // Every answer (shortened as /review shows it) and every comment, in order.
    let dialog = kipp2025();
    let mut needles = Vec::new();
    for ((question, answer), comment) in narratives.iter().zip(&comments) {
        let label = dialog.question(question).unwrap().label.get(Lang::Id);
        needles.push(format!("✅ {label}: {}", texts::shorten(answer, 90)));
        needles.push(plain(
            texts::reviewer_comment(Lang::Id, "Pak Dedi", comment).as_str(),
        ));
    }
    assert_in_order(&joined(&messages), &needles);
}

#[tokio::test]
async fn users_lists_two_thousand_people_in_several_messages() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let names = [
        "Siti Rahmawati 👩‍💻",
        "محمد عبد الله",
        "Budi Santoso",
        "Dewi 📚 Lestari",
    ];
    let link = app.invitation(Role::Staff, Some(&unit), 2_000, "7d").await;
    let token = InviteToken::parse(token_of(&link)).unwrap();
    for n in 0..2_000i64 {
        let profile = UserProfile {
            telegram_id: 100_000 + n,
            display_name: format!("{} {n}", names[n as usize % names.len()]),
            username: None,
        };
        app.storage
            .register_with_invitation(&token, &profile, Lang::Id, app.clock.now())
            .await
            .unwrap()
            .expect("the invitation has room");
    }
    let bureau = app.bureau().await;

    app.fake.send_text(&bureau, "/users");
    let lines: Vec<texts::Html> = app
        .storage
        .users(None)
        .await
        .unwrap()
        .iter()
        .map(|person| {
            texts::user_line(
                Lang::Id,
                &person.display_name,
                person.telegram_id,
                person.role,
                person.unit.as_ref().map(|unit| unit.code.as_str()),
                person.active,
            )
        })
        .collect();
    assert_eq!(lines.len(), 2_001);
    let expected = texts::users_list(Lang::Id, &lines);
    let parts = receive_whole(&app, bureau.id, expected.as_str()).await;
    assert!(parts.len() >= 20, "{} parts", parts.len());
    // Cut at line ends: each part holds whole lines.
    for part in &parts[..parts.len() - 1] {
        let text = plain(&part.text);
        let first = text.lines().next().unwrap_or("");
        assert!(
            first.starts_with("• ") || first.starts_with("Pengguna"),
            "{first}"
        );
    }
}

#[tokio::test]
async fn list_shows_five_hundred_innovations_with_the_buttons_last() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let rina = TgUser::new(3301, "Rina");
    app.register(&rina, Role::Staff, Some(&unit)).await;
    let author = user_id(&app, rina.id).await;
    let mut titles = Vec::new();
    for n in 0..500 {
        let title = format!("Inovasi {n} 📚 مكتبة {}", words(6, n));
        innovation(&app, &unit, author, &[("judul".into(), title.clone())]).await;
        titles.push(title);
    }
    let bureau = app.bureau().await;

    app.fake.send_text(&bureau, "/list");
    let parts = until_keyboard(&app, bureau.id).await;
    assert_within_limit(&parts);
    assert_keyboard_on_last(&parts);
    assert!(parts.len() >= 5, "{} parts", parts.len());
    let mut needles = vec![plain(
        texts::list_header(Lang::Id, texts::all_units(Lang::Id)).as_str(),
    )];
    needles.extend(
        titles
            .iter()
            .enumerate()
            .map(|(n, title)| format!("#{} · {} · PUSDATIN", n + 1, texts::shorten(title, 80))),
    );
    assert_in_order(&joined(&parts), &needles);
    assert!(parts.last().unwrap().button("#1").is_some());
}

/// The paths no handler needs today, through the real client against the fake: a document with
/// a long caption, an edit that no longer fits, a long answer to a button press.
#[tokio::test]
async fn the_client_cuts_captions_edits_and_button_answers() {
    use kipp_bot::{
        config::BotToken,
        telegram::{Button, Keyboard, SendOptions, TelegramClient},
    };

    let fake = crate::fake_telegram::FakeTelegram::start(crate::helpers::TOKEN).await;
    let client = TelegramClient::new(
        BotToken::parse(crate::helpers::TOKEN).unwrap(),
        Some(url::Url::parse(&fake.url).unwrap()),
    );
    let chat = 4001;

    // A caption over 1024: the file with the first part, the rest as texts after it.
    let caption = format!("<b>Ekspor KIPP</b>\n{}", text_of(3_000, 1));
    let sent = client
        .send_document(
            chat,
            "kipp.xlsx",
            b"PK data".to_vec(),
            Some(&markup(&caption)),
        )
        .await
        .unwrap();
    assert!(sent.document().is_some());
    let file = fake.next_message(chat).await;
    assert!(file.document.is_some());
    assert!(
        visible_length(&file.text) <= 1024,
        "{}",
        visible_length(&file.text)
    );
    let mut parts = vec![file];
    while joined(&parts).chars().count() < squash(&plain(&caption)).chars().count() {
        parts.push(fake.next_message(chat).await);
    }
    assert_eq!(joined(&parts), squash(&plain(&caption)));
    assert!(parts.len() >= 2);

    // An edit that no longer fits: the message becomes the first part, the others follow, the
    // keyboard under the last.
    let short = client
        .send_text(chat, &markup("Sebentar…"), SendOptions::default())
        .await
        .unwrap();
    fake.next_message(chat).await;
    let long = format!("<i>Hasil</i>\n{}", text_of(9_000, 2));
    let keyboard = Keyboard::new([[Button::callback("OK", "v:1")]]);
    client
        .edit_text(chat, short.id.0, &markup(&long), Some(keyboard))
        .await
        .unwrap();
    let edited = fake.next_message(chat).await;
    assert_eq!(edited.method, "editmessagetext");
    assert_eq!(edited.message_id, i64::from(short.id.0));
    let mut parts = vec![edited];
    while joined(&parts).chars().count() < squash(&plain(&long)).chars().count() {
        parts.push(fake.next_message(chat).await);
    }
    assert_eq!(joined(&parts), squash(&plain(&long)));
    assert!(parts.len() >= 3);
    assert_within_limit(&parts);
    assert_keyboard_on_last(&parts);

    // A button answer over 200 characters is cut with an ellipsis (the fake refuses more).
    let answer = text_of(500, 3);
    client.answer_callback("cb1", Some(&answer)).await.unwrap();
    let answered = fake.callback_answers();
    let cut = answered.last().unwrap();
    assert!(utf16(cut) <= 200 && cut.ends_with('…'), "{cut}");
    assert!(answer.starts_with(cut.trim_end_matches('…')));
}

/// Markup written here by hand, as the client gets it from the outbox (the only way to hand it
/// markup that was not made by the texts).
fn markup(html: &str) -> texts::Html {
    texts::Html::from_outbox(html.to_owned())
}
