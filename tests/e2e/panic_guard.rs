//! A panic in one handler stops nothing: the sender is told, everyone else is served at once, and
//! a restart does not replay the update that panicked.

use std::time::Duration;

use kipp_bot::{
    bot::texts,
    domain::{Lang, Role},
};

use crate::{fake_telegram::TgUser, helpers::TestApp};

const TRIGGER: &str = "💥 test panic";

#[tokio::test]
async fn a_panicking_handler_is_contained_and_not_replayed() {
    let mut app = TestApp::spawn_with(&[("KIPP_TEST_PANIC_TEXT", TRIGGER)]).await;
    let unit = app.add_unit("PUSDATIN", "Pusat Data dan Informasi").await;
    let ana = TgUser::new(9101, "Ana");
    let budi = TgUser::new(9102, "Budi").english();
    app.register(&ana, Role::Staff, Some(&unit)).await;
    app.register(&budi, Role::Coordinator, Some(&unit)).await;

    let poison = app.fake.send_text(&ana, TRIGGER);
    let answer = app.fake.next_message(ana.id).await;
    assert_eq!(answer.text, texts::update_failed(Lang::Id));

    // The next person is served at once: the dispatcher did not die with the panicking worker.
    app.fake.send_text(&budi, "/whoami");
    let next = app
        .fake
        .try_next_message(budi.id, Duration::from_secs(1))
        .await
        .expect("the next person is answered within a second");
    assert!(next.text.contains("9102"), "{}", next.text);
    // And the sender too: their chat's worker lives on.
    let again = app.say(&ana, "/whoami").await;
    assert!(again.text.contains("9101"), "{}", again.text);

    let quarantined = app.storage.quarantined_updates().await.unwrap();
    assert_eq!(quarantined.len(), 1);
    assert_eq!(quarantined[0].update_id, poison);
    let failure = quarantined[0].failure.clone().unwrap_or_default();
    assert!(failure.starts_with("panicked"), "{failure}");

    // A crash-like stop and a restart: the poison update is not handled again. Updates left in
    // the inbox are replayed before anything new is fetched, so the first thing Ana receives
    // after the restart is the answer to her new message, not a second apology.
    app.crash().await;
    app.start().await;
    let after = app.say(&ana, "/whoami").await;
    assert!(after.text.contains("9101"), "{}", after.text);
    assert_eq!(app.storage.quarantined_updates().await.unwrap().len(), 1);
    let apologies = app
        .fake
        .sent_to(ana.id)
        .iter()
        .filter(|sent| sent.text == texts::update_failed(Lang::Id))
        .count();
    assert_eq!(
        apologies, 1,
        "the poison update was handled again after the restart"
    );
}

#[tokio::test]
async fn an_update_that_keeps_failing_is_quarantined_after_its_replays() {
    let mut app = TestApp::spawn().await;
    // Stopped, so that the bot's own start-up replay does not race with the claims below.
    app.stop().await;
    let storage = &app.storage;
    let now = kipp_bot::clock::Clock::now(&app.clock);
    // Far above the fake's update ids, so the running bot never fetches it itself.
    let id = 900_000_000;
    let fresh = storage
        .store_inbox(&[(id, "{\"update_id\":900000000}".into())], now)
        .await
        .unwrap();
    assert_eq!(fresh, vec![id]);
    // Stored again (Telegram sent it once more): not handed out twice.
    let again = storage
        .store_inbox(&[(id, "{\"update_id\":900000000}".into())], now)
        .await
        .unwrap();
    assert!(again.is_empty());
    // Two restarts replay it; it never finishes (as if it took the process down each time).
    for _ in 0..kipp_bot::storage::MAX_REPLAYS {
        let claimed = storage.claim_pending_inbox(now).await.unwrap();
        assert!(claimed.pending.iter().any(|update| update.update_id == id));
        assert_eq!(claimed.next_offset, Some(id + 1));
    }
    // The third restart sets it aside, and still confirms its offset to Telegram.
    let claimed = storage.claim_pending_inbox(now).await.unwrap();
    assert!(claimed.pending.iter().all(|update| update.update_id != id));
    assert_eq!(claimed.next_offset, Some(id + 1));
    let quarantined = storage.quarantined_updates().await.unwrap();
    assert_eq!(quarantined.len(), 1);
    assert_eq!(quarantined[0].attempts, kipp_bot::storage::MAX_REPLAYS);
    // Finishing a quarantined update keeps it for reading.
    storage.finish_update(id).await.unwrap();
    assert_eq!(storage.quarantined_updates().await.unwrap().len(), 1);
}
