use std::time::Duration;

use kipp_bot::{
    bot::texts,
    domain::{Lang, Role},
};
use serde_json::json;

use crate::{fake_telegram::TgUser, helpers::TestApp};

#[tokio::test]
async fn strangers_get_one_polite_sentence_and_nothing_else() {
    let app = TestApp::spawn().await;
    let stranger = TgUser::new(999, "Stranger");
    for text in ["hello", "/start", "/units", "/invite staff X", "/whoami"] {
        let reply = app.say(&stranger, text).await;
        assert_eq!(reply.text, texts::stranger(Lang::Id), "for {text:?}");
        assert!(reply.buttons.is_empty());
    }
    let english = TgUser::new(998, "Visitor").english();
    assert_eq!(
        app.say(&english, "/help").await.text,
        texts::stranger(Lang::En)
    );
    // A forged button press reaches nothing either.
    let fake_message = app.say(&stranger, "hi").await;
    app.fake.press(&stranger, &fake_message, "rev:1");
    app.fake.wait_until_consumed().await;
    app.fake
        .assert_quiet(stranger.id, Duration::from_millis(300))
        .await;
    let answers = app.fake.calls("answerCallbackQuery");
    assert_eq!(
        answers.last().unwrap().body["text"],
        json!(texts::stranger(Lang::Id).as_str())
    );
    assert!(
        app.storage
            .user_by_telegram_id(999)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn bureau_commands_check_the_role_on_every_call() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let staff = TgUser::new(401, "Staf");
    let coordinator = TgUser::new(402, "Koor");
    app.register(&staff, Role::Staff, Some(&unit)).await;
    app.register(&coordinator, Role::Coordinator, Some(&unit))
        .await;
    for user in [&staff, &coordinator] {
        for command in ["units", "invite", "invitations", "users", "user"] {
            let reply = app.say(user, &format!("/{command}")).await;
            assert_eq!(reply.text, texts::not_allowed(Lang::Id, command));
        }
    }
    // A forged bureau button from staff is refused too.
    let any = app.say(&staff, "/help").await;
    app.fake.press(&staff, &any, "inv:r:bureau");
    let refused = app.fake.next_message(staff.id).await;
    assert_eq!(refused.text, texts::button_not_allowed(Lang::Id));
    assert!(
        app.storage
            .open_invitations(kipp_bot::clock::Clock::now(&app.clock))
            .await
            .unwrap()
            .iter()
            .all(|i| i.role != Role::Bureau)
    );

    // Promote the coordinator to bureau: the next call already has the new rights.
    let bureau = app.bureau().await;
    let reply = app.say(&bureau, "/user 402 role bureau").await;
    assert!(reply.text.contains("Biro HOKH"), "{}", reply.text);
    let note = app.fake.next_message(coordinator.id).await;
    assert_eq!(
        note.text,
        texts::your_role_changed(Lang::Id, Role::Bureau, None)
    );
    let units = app.say(&coordinator, "/units").await;
    assert!(units.text.contains("PUSDATIN"));

    // Deactivate the staff member: from now on they are a stranger.
    app.say(&bureau, "/user 401 deactivate").await;
    assert_eq!(
        app.say(&staff, "/help").await.text,
        texts::stranger(Lang::Id)
    );
    // And the bureau cannot lock itself out.
    let reply = app
        .say(&bureau, &format!("/user {} deactivate", bureau.id))
        .await;
    assert_eq!(reply.text, texts::cannot_change_self(Lang::Id));
}

#[tokio::test]
async fn units_are_managed_by_the_bureau() {
    let app = TestApp::spawn().await;
    let bureau = app.bureau().await;
    let empty = app.say(&bureau, "/units").await;
    assert!(empty.text.contains(texts::units_usage(Lang::Id).as_str()));
    let added = app
        .say(
            &bureau,
            "/units add upt-bung-hatta UPT Perpustakaan Proklamator Bung Hatta",
        )
        .await;
    assert_eq!(
        added.text,
        texts::unit_added(
            Lang::Id,
            "UPT-BUNG-HATTA",
            "UPT Perpustakaan Proklamator Bung Hatta"
        )
    );
    let again = app.say(&bureau, "/units add UPT-BUNG-HATTA Lagi").await;
    assert_eq!(again.text, texts::unit_exists(Lang::Id, "UPT-BUNG-HATTA"));
    let bad = app.say(&bureau, "/units add !! <b>x</b>").await;
    assert_eq!(bad.text, texts::bad_unit_input(Lang::Id));
    let list = app.say(&bureau, "/units").await;
    assert!(list.text.contains("UPT-BUNG-HATTA"));
}

#[tokio::test]
async fn language_switches_and_user_text_is_escaped() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat <Data> & Informasi").await;
    let user = TgUser::new(501, "<b>Ani</b> & co");
    let welcome = app.register(&user, Role::Staff, Some(&unit)).await;
    // The fake server refuses unparsable HTML, so arriving at all proves the escaping.
    assert!(welcome.text.contains("&lt;b&gt;Ani&lt;/b&gt; &amp; co"));

    let choose = app.say(&user, "/lang").await;
    let english = choose.button("English").expect("language buttons").clone();
    app.fake.press(&user, &choose, &english.data);
    let confirmed = app.fake.next_message(user.id).await;
    assert_eq!(confirmed.text, texts::language_set(Lang::En));
    let help = app.say(&user, "/help").await;
    assert!(help.text.starts_with("Commands for"), "{}", help.text);
    // The menu follows the language.
    let menu = app.fake.calls("setMyCommands").last().unwrap().body.clone();
    assert_eq!(menu["scope"]["chat_id"], json!(501));
    assert!(
        menu["commands"][1]["description"]
            .as_str()
            .unwrap()
            .contains("available")
    );

    assert_eq!(
        app.say(&user, "/lang id").await.text,
        texts::language_set(Lang::Id)
    );
    assert_eq!(
        app.say(&user, "/nonsense").await.text,
        texts::unknown_command(Lang::Id, "nonsense")
    );
}

#[tokio::test]
async fn group_messages_are_pointed_to_a_private_chat() {
    let app = TestApp::spawn().await;
    let user = TgUser::new(601, "Grup");
    app.fake.send_raw_message(
        &user,
        json!({ "chat": { "id": -100123, "type": "supergroup", "title": "KIPP" }, "text": "/help" }),
    );
    let reply = app.fake.next_message(-100123).await;
    assert_eq!(reply.text, texts::private_chat_only(Lang::Id));
}
