use chrono::Duration;
use kipp_bot::{
    bot::texts,
    domain::{Lang, Role},
};

use crate::{
    fake_telegram::TgUser,
    helpers::{TestApp, token_of},
};

#[tokio::test]
async fn invitation_registers_with_role_and_unit_and_survives_restart() {
    let mut app = TestApp::spawn().await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let siti = TgUser::new(101, "Siti");
    let welcome = app.register(&siti, Role::Staff, Some(&unit)).await;
    assert_eq!(
        welcome.text,
        texts::registered(
            Lang::Id,
            "Siti",
            Role::Staff,
            Some("Pusat Data dan Informasi")
        )
    );
    // The person's menu is set for their chat, with staff commands only.
    let menus = app.fake.calls("setMyCommands");
    let siti_menu = menus
        .iter()
        .rev()
        .find(|call| call.body["scope"]["chat_id"] == 101)
        .expect("a menu for Siti's chat");
    let names: Vec<&str> = siti_menu.body["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["command"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"help") && !names.contains(&"invite"),
        "{names:?}"
    );

    app.restart().await;
    let whoami = app.say(&siti, "/whoami").await;
    assert_eq!(
        whoami.text,
        texts::whoami(
            Lang::Id,
            "Siti",
            101,
            Role::Staff,
            Some(("PUSDATIN", "Pusat Data dan Informasi"))
        )
    );
    let user = app.storage.user_by_telegram_id(101).await.unwrap().unwrap();
    assert_eq!(user.role, Role::Staff);
    assert_eq!(user.unit.unwrap().code, "PUSDATIN");
}

#[tokio::test]
async fn expired_used_up_revoked_and_unknown_invitations_are_refused() {
    let app = TestApp::spawn().await;
    let unit = app.add_unit("UPT-ACEH", "UPT Aceh").await;

    // Expired: made with a one-hour lifetime, used two hours later.
    let expiring = app.invitation(Role::Staff, Some(&unit), 1, "1h").await;
    app.clock.advance(Duration::hours(2));
    let late = TgUser::new(201, "Late");
    let reply = app
        .say(&late, &format!("/start {}", token_of(&expiring)))
        .await;
    assert_eq!(reply.text, texts::invitation_expired(Lang::Id));

    // Used up: one place, two people.
    let single = app.invitation(Role::Staff, Some(&unit), 1, "7d").await;
    let first = TgUser::new(202, "First");
    let second = TgUser::new(203, "Second");
    app.say(&first, &format!("/start {}", token_of(&single)))
        .await;
    let reply = app
        .say(&second, &format!("/start {}", token_of(&single)))
        .await;
    assert_eq!(reply.text, texts::invitation_used_up(Lang::Id));

    // Revoked through the bot's /invitations button.
    let revocable = app
        .invitation(Role::Coordinator, Some(&unit), 3, "7d")
        .await;
    let bureau = app.bureau().await;
    let list = app.say(&bureau, "/invitations").await;
    let revoke = list
        .buttons
        .iter()
        .flatten()
        .next()
        .expect("a revoke button")
        .clone();
    app.fake.press(&bureau, &list, &revoke.data);
    let confirmation = app.fake.next_message(bureau.id).await;
    assert!(confirmation.text.contains('#'), "{}", confirmation.text);
    let third = TgUser::new(204, "Third").english();
    let reply = app
        .say(&third, &format!("/start {}", token_of(&revocable)))
        .await;
    assert_eq!(reply.text, texts::invitation_revoked(Lang::En));

    // Unknown token, and a payload that is not a token at all.
    let reply = app.say(&third, "/start AAAAAAAAAAAAAAAAAAAAAAAA").await;
    assert_eq!(reply.text, texts::invitation_unknown(Lang::En));
    let reply = app.say(&third, "/start <script>").await;
    assert_eq!(reply.text, texts::invitation_unknown(Lang::En));

    // None of the refused people exist, and the used-up one counts one use.
    for id in [201, 203, 204] {
        assert!(app.storage.user_by_telegram_id(id).await.unwrap().is_none());
    }
    assert!(
        app.storage
            .user_by_telegram_id(202)
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn bureau_invites_from_the_bot_with_buttons_and_with_arguments() {
    let app = TestApp::spawn().await;
    app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let bureau = app.bureau().await;

    let roles = app.say(&bureau, "/invite").await;
    let coordinator = roles.button("Koordinator").expect("role buttons").clone();
    app.fake.press(&bureau, &roles, &coordinator.data);
    let units = app.fake.next_message(bureau.id).await;
    let pusdatin = units.button("PUSDATIN").expect("unit buttons").clone();
    app.fake.press(&bureau, &units, &pusdatin.data);
    let created = app.fake.next_message(bureau.id).await;
    let link = created
        .text
        .split_whitespace()
        .find(|word| word.starts_with("https://t.me/"))
        .expect("a deep link")
        .to_owned();
    let budi = TgUser::new(301, "Budi");
    app.say(&budi, &format!("/start {}", token_of(&link))).await;
    let budi_user = app.storage.user_by_telegram_id(301).await.unwrap().unwrap();
    assert_eq!(budi_user.role, Role::Coordinator);

    let typed = app.say(&bureau, "/invite staff pusdatin 5 3d").await;
    assert!(
        typed.text.contains("https://t.me/kipp_test_bot?start="),
        "{}",
        typed.text
    );
    let bad = app.say(&bureau, "/invite staff NOPE").await;
    assert_eq!(bad.text, texts::unit_unknown(Lang::Id, "NOPE"));
    let bad = app.say(&bureau, "/invite wizard").await;
    assert_eq!(bad.text, texts::invite_usage(Lang::Id));
}

#[tokio::test]
async fn a_bureau_admins_first_start_greets_them_by_name() {
    let app = TestApp::spawn().await;
    // Made a bureau member from BUREAU_ADMINS before Telegram ever told the bot their name.
    let admin = TgUser::new(crate::helpers::BUREAU_ID, "Bu Rina");
    let greeting = app.say(&admin, "/start").await;
    assert_eq!(
        greeting.text,
        texts::welcome_back(Lang::Id, "Bu Rina", Role::Bureau)
    );
}
