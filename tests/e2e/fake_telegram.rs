//! A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests.
//!
//! It speaks the real HTTP protocol (JSON, form and multipart bodies; any method-name casing),
//! hands out updates through `getUpdates` with Telegram's offset semantics, records every call
//! the bot makes, serves files for `getFile` + download, and checks what Telegram checks: HTML
//! that parses, and the length limits (in UTF-16 code units of the visible text: 4096 for a
//! message, 1024 for a caption, 200 for a button press's answer; 64 bytes of callback data).
//! Faults can be injected per method.

#![allow(dead_code)]

use std::{
    collections::{HashMap, VecDeque},
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    Router,
    body::Bytes,
    extract::{FromRequest, Multipart, Path, Request, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::{Value, json};
use tokio::sync::Notify;

pub const BOT_ID: i64 = 777_000_111;
pub const BOT_USERNAME: &str = "kipp_test_bot";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 500 with a Bot API error body.
    ServerError,
    /// No answer for this long, then a 500 (the caller should have given up by then).
    Stall(Duration),
    /// HTTP 429 with `parameters.retry_after`.
    RetryAfter(u64),
    /// HTTP 403: the person blocked the bot.
    Blocked,
}

/// A message the bot sent (or edited, or a document it sent).
#[derive(Debug, Clone)]
pub struct Sent {
    pub method: String,
    pub chat_id: i64,
    pub message_id: i64,
    pub text: String,
    pub buttons: Vec<Vec<Button>>,
    pub request_contact: bool,
    pub document: Option<(String, Vec<u8>)>,
    /// When the fake accepted it.
    pub at: Instant,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub text: String,
    pub data: String,
}

impl Sent {
    pub fn button(&self, label_part: &str) -> Option<&Button> {
        self.buttons
            .iter()
            .flatten()
            .find(|button| button.text.contains(label_part))
    }

    pub fn button_data(&self) -> Vec<String> {
        self.buttons
            .iter()
            .flatten()
            .map(|b| b.data.clone())
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub body: Value,
    pub at: Instant,
}

#[derive(Debug, Clone)]
struct StoredFile {
    file_id: String,
    unique_id: String,
    path: String,
    bytes: Vec<u8>,
}

#[derive(Default)]
struct Inner {
    next_update_id: i64,
    pending: VecDeque<Value>,
    next_message_id: i64,
    calls: Vec<Call>,
    /// Calls answered 400 Bad Request (HTML that does not parse, too long, bad buttons).
    refused: Vec<Call>,
    sent: Vec<Sent>,
    /// Per chat: messages the test has not read yet, and who waits for them.
    unread: HashMap<i64, VecDeque<Sent>>,
    waiters: HashMap<i64, Arc<Notify>>,
    /// Per chat: when the person sent the first update the bot has not answered yet (for reply
    /// latency: the wait a person sees, wherever the update waited, here or in the bot).
    waiting_since: HashMap<i64, Instant>,
    latencies: Vec<Duration>,
    /// Telegram's limits, when enforced: (messages per second overall, interval per chat).
    limits: Option<(usize, Duration)>,
    recent_sends: VecDeque<Instant>,
    last_send_to: HashMap<i64, Instant>,
    limit_violations: u64,
    /// Random faults: (share of calls, generator state), and how many were injected.
    chaos: Option<(f64, u64)>,
    chaos_injected: u64,
    files: HashMap<String, StoredFile>,
    faults: HashMap<String, VecDeque<Fault>>,
    get_updates_calls: u64,
    /// Chats whose person blocked the bot: every send to them answers 403.
    blocked: std::collections::HashSet<i64>,
    /// Texts of `answerCallbackQuery` calls (the notification a button press shows).
    callback_answers: Vec<String>,
    /// Faults for calls whose text (or caption) contains a needle: (method, needle, fault).
    text_faults: VecDeque<(String, String, Fault)>,
}

struct Shared {
    token: String,
    inner: Mutex<Inner>,
    new_update: Notify,
}

impl Inner {
    /// A random fault for this call, when chaos is on (xorshift: no extra dependency).
    fn chaos_fault(&mut self) -> Option<Fault> {
        let (share, state) = self.chaos.as_mut()?;
        let mut next = || {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            *state
        };
        if (next() % 10_000) as f64 >= *share * 10_000.0 {
            return None;
        }
        self.chaos_injected += 1;
        Some(match next() % 3 {
            0 => Fault::RetryAfter(1),
            1 => Fault::ServerError,
            _ => Fault::Stall(Duration::from_secs(2)),
        })
    }

    fn waiter(&mut self, chat_id: i64) -> Arc<Notify> {
        self.waiters.entry(chat_id).or_default().clone()
    }

    /// Records a message the bot sent; the caller wakes the chat's waiter after unlocking.
    fn record_sent(&mut self, sent: Sent) -> Arc<Notify> {
        let chat_id = sent.chat_id;
        if let Some(sent_at) = self.waiting_since.remove(&chat_id) {
            self.latencies.push(sent_at.elapsed());
        }
        self.sent.push(sent.clone());
        self.unread.entry(chat_id).or_default().push_back(sent);
        self.waiter(chat_id)
    }

    /// Telegram's flood limits: false (and counted) when this send would break them.
    fn within_limits(&mut self, chat_id: i64) -> bool {
        let Some((per_second, per_chat)) = self.limits else {
            return true;
        };
        let now = Instant::now();
        while self
            .recent_sends
            .front()
            .is_some_and(|at| now.duration_since(*at) >= Duration::from_secs(1))
        {
            self.recent_sends.pop_front();
        }
        let chat_ok = self
            .last_send_to
            .get(&chat_id)
            .is_none_or(|at| now.duration_since(*at) >= per_chat);
        if self.recent_sends.len() >= per_second || !chat_ok {
            self.limit_violations += 1;
            return false;
        }
        self.recent_sends.push_back(now);
        self.last_send_to.insert(chat_id, now);
        true
    }
}

#[derive(Clone)]
pub struct FakeTelegram {
    pub url: String,
    shared: Arc<Shared>,
    server: Arc<tokio::task::JoinHandle<()>>,
}

impl Drop for Shared {
    fn drop(&mut self) {}
}

/// A Telegram user the tests write as.
#[derive(Debug, Clone)]
pub struct TgUser {
    pub id: i64,
    pub first_name: String,
    pub username: Option<String>,
    pub language_code: Option<String>,
}

impl TgUser {
    pub fn new(id: i64, first_name: &str) -> Self {
        Self {
            id,
            first_name: first_name.into(),
            username: Some(format!("user{id}")),
            language_code: Some("id".into()),
        }
    }

    pub fn english(mut self) -> Self {
        self.language_code = Some("en".into());
        self
    }

    fn json(&self) -> Value {
        json!({
            "id": self.id,
            "is_bot": false,
            "first_name": self.first_name,
            "username": self.username,
            "language_code": self.language_code,
        })
    }

    fn private_chat(&self) -> Value {
        json!({ "id": self.id, "type": "private", "first_name": self.first_name })
    }
}

impl FakeTelegram {
    pub async fn start(token: &str) -> Self {
        let shared = Arc::new(Shared {
            token: token.to_owned(),
            inner: Mutex::new(Inner {
                next_update_id: 1,
                next_message_id: 1,
                ..Inner::default()
            }),
            new_update: Notify::new(),
        });
        let router = Router::new()
            .route("/{bot}/{method}", post(api).get(api))
            .route("/file/{bot}/{*path}", get(download))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let address: SocketAddr = listener.local_addr().expect("address");
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self {
            url: format!("http://{address}"),
            shared,
            server: Arc::new(server),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.shared.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn push_update(&self, build: impl FnOnce(&mut Inner) -> Value) -> i64 {
        let id = {
            let mut inner = self.lock();
            let id = inner.next_update_id;
            inner.next_update_id += 1;
            let mut update = build(&mut inner);
            update["update_id"] = json!(id);
            if let Some(chat) = chat_of(&update) {
                inner.waiting_since.entry(chat).or_insert_with(Instant::now);
            }
            inner.pending.push_back(update);
            id
        };
        self.shared.new_update.notify_waiters();
        id
    }

    fn next_message_id(inner: &mut Inner) -> i64 {
        let id = inner.next_message_id;
        inner.next_message_id += 1;
        id
    }

    pub fn send_text(&self, from: &TgUser, text: &str) -> i64 {
        let from_json = from.json();
        let chat = from.private_chat();
        let mut message = json!({ "date": now(), "chat": chat, "from": from_json, "text": text });
        if text.starts_with('/') {
            let length = text
                .split_whitespace()
                .next()
                .unwrap_or("")
                .encode_utf16()
                .count();
            message["entities"] = json!([{ "type": "bot_command", "offset": 0, "length": length }]);
        }
        self.push_message(message)
    }

    /// Any message body (sticker, location, group message...): `chat`, `from`, `date` are filled
    /// in when absent.
    pub fn send_raw_message(&self, from: &TgUser, mut message: Value) -> i64 {
        if message.get("chat").is_none() {
            message["chat"] = from.private_chat();
        }
        if message.get("from").is_none() {
            message["from"] = from.json();
        }
        message["date"] = json!(now());
        self.push_message(message)
    }

    fn push_message(&self, mut message: Value) -> i64 {
        self.push_update(|inner| {
            message["message_id"] = json!(Self::next_message_id(inner));
            json!({ "message": message })
        })
    }

    pub fn send_edited_text(&self, from: &TgUser, message_id: i64, text: &str) -> i64 {
        let message = json!({
            "message_id": message_id, "date": now(), "edit_date": now(),
            "chat": from.private_chat(), "from": from.json(), "text": text,
        });
        self.push_update(|_| json!({ "edited_message": message }))
    }

    /// Presses an inline button (`data`) under one of the bot's messages.
    pub fn press(&self, from: &TgUser, on: &Sent, data: &str) -> i64 {
        let message = json!({
            "message_id": on.message_id, "date": now(),
            "chat": { "id": on.chat_id, "type": "private", "first_name": from.first_name },
            "from": { "id": BOT_ID, "is_bot": true, "first_name": "KIPP", "username": BOT_USERNAME },
            "text": "…",
        });
        let from_json = from.json();
        self.push_update(|inner| {
            let id = Self::next_message_id(inner);
            json!({ "callback_query": {
                "id": format!("cb{id}"), "from": from_json, "message": message,
                "chat_instance": "ci", "data": data,
            }})
        })
    }

    /// Registers a file that the user then sends; returns (file_id, file_unique_id).
    pub fn add_file(&self, bytes: &[u8], extension: &str) -> (String, String) {
        let mut inner = self.lock();
        let n = inner.files.len() + 1;
        let file_id = format!("FILE{n}x{}", bytes.len());
        let unique_id = format!("U{n}");
        inner.files.insert(
            file_id.clone(),
            StoredFile {
                file_id: file_id.clone(),
                unique_id: unique_id.clone(),
                path: format!("documents/file_{n}.{extension}"),
                bytes: bytes.to_vec(),
            },
        );
        (file_id, unique_id)
    }

    pub fn send_document(&self, from: &TgUser, bytes: &[u8], name: &str, mime: &str) -> i64 {
        let extension = name.rsplit('.').next().unwrap_or("bin");
        let (file_id, unique_id) = self.add_file(bytes, extension);
        self.send_raw_message(
            from,
            json!({ "document": {
                "file_id": file_id, "file_unique_id": unique_id, "file_name": name,
                "mime_type": mime, "file_size": bytes.len(),
            }}),
        )
    }

    pub fn send_photo(&self, from: &TgUser, bytes: &[u8], media_group: Option<&str>) -> i64 {
        let (file_id, unique_id) = self.add_file(bytes, "jpg");
        let mut message = json!({ "photo": [
            { "file_id": format!("{file_id}s"), "file_unique_id": format!("{unique_id}s"),
              "width": 90, "height": 90, "file_size": 100 },
            { "file_id": file_id, "file_unique_id": unique_id,
              "width": 1280, "height": 960, "file_size": bytes.len() },
        ]});
        if let Some(group) = media_group {
            message["media_group_id"] = json!(group);
        }
        // The small thumbnail is never downloaded; register a copy so getFile works for it too.
        let thumb_id = format!("{}s", message["photo"][1]["file_id"].as_str().unwrap_or(""));
        {
            let mut inner = self.lock();
            if let Some(original) = inner.files.values().find(|f| f.bytes == bytes).cloned() {
                inner.files.insert(
                    thumb_id.clone(),
                    StoredFile {
                        file_id: thumb_id,
                        ..original
                    },
                );
            }
        }
        self.send_raw_message(from, message)
    }

    pub fn block_chat(&self, chat_id: i64) {
        self.lock().blocked.insert(chat_id);
    }

    /// Messages sent to a chat so far (read or not).
    pub fn sent_to(&self, chat_id: i64) -> Vec<Sent> {
        self.lock()
            .sent
            .iter()
            .filter(|sent| sent.chat_id == chat_id)
            .cloned()
            .collect()
    }

    pub fn inject(&self, method: &str, fault: Fault, times: usize) {
        let mut inner = self.lock();
        let queue = inner.faults.entry(method.to_ascii_lowercase()).or_default();
        for _ in 0..times {
            queue.push_back(fault);
        }
    }

    /// Answers the next `times` calls of `method` whose text or caption contains `needle` with
    /// `fault` (e.g. to fail the second part of a long message, whatever else is sent).
    pub fn inject_on_text(&self, method: &str, needle: &str, fault: Fault, times: usize) {
        let mut inner = self.lock();
        for _ in 0..times {
            inner
                .text_faults
                .push_back((method.to_ascii_lowercase(), needle.to_owned(), fault));
        }
    }

    /// Waits for the next message the bot sends to `chat_id` that the test has not read yet.
    pub async fn next_message(&self, chat_id: i64) -> Sent {
        self.try_next_message(chat_id, Duration::from_secs(60))
            .await
            .unwrap_or_else(|| panic!("the bot sent nothing to chat {chat_id}"))
    }

    pub async fn try_next_message(&self, chat_id: i64, wait: Duration) -> Option<Sent> {
        let deadline = Instant::now() + wait;
        let waiter = self.lock().waiter(chat_id);
        loop {
            let notified = waiter.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(sent) = self
                .lock()
                .unread
                .get_mut(&chat_id)
                .and_then(VecDeque::pop_front)
            {
                return Some(sent);
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            let _ = tokio::time::timeout(left, notified).await;
        }
    }

    /// Enforces Telegram's flood limits on every send: over the limit, a 429.
    pub fn enforce_limits(&self, per_second: usize, per_chat: Duration) {
        self.lock().limits = Some((per_second, per_chat));
    }

    /// Answers a share of all calls (getUpdates included) with a random fault: 429 with
    /// retry_after, 500, or a 2-second stall then 500.
    pub fn set_chaos(&self, share: f64, seed: u64) {
        self.lock().chaos = Some((share, seed.max(1)));
    }

    pub fn stop_chaos(&self) {
        self.lock().chaos = None;
    }

    pub fn chaos_injected(&self) -> u64 {
        self.lock().chaos_injected
    }

    pub fn limit_violations(&self) -> u64 {
        self.lock().limit_violations
    }

    /// Reply latencies measured so far (the person's update → the bot's next message to that chat).
    pub fn take_latencies(&self) -> Vec<Duration> {
        std::mem::take(&mut self.lock().latencies)
    }

    /// Asserts that nothing more arrives for `chat_id` within a short quiet period.
    pub async fn assert_quiet(&self, chat_id: i64, wait: Duration) {
        if let Some(sent) = self.try_next_message(chat_id, wait).await {
            panic!("unexpected message to {chat_id}: {}", sent.text);
        }
    }

    /// Waits until every update handed to the bot has been confirmed and its replies sent.
    pub async fn wait_until_consumed(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.lock().pending.is_empty() {
            assert!(
                Instant::now() < deadline,
                "the bot stopped fetching updates"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn calls(&self, method: &str) -> Vec<Call> {
        let method = method.to_ascii_lowercase();
        self.lock()
            .calls
            .iter()
            .filter(|call| call.method == method)
            .cloned()
            .collect()
    }

    pub fn callback_answers(&self) -> Vec<String> {
        self.lock().callback_answers.clone()
    }

    /// Calls answered 400 Bad Request, in order.
    pub fn refused(&self) -> Vec<Call> {
        self.lock().refused.clone()
    }

    pub fn all_sent(&self) -> Vec<Sent> {
        self.lock().sent.clone()
    }

    pub fn get_updates_calls(&self) -> u64 {
        self.lock().get_updates_calls
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn ok(result: Value) -> Response {
    (
        StatusCode::OK,
        axum::Json(json!({ "ok": true, "result": result })),
    )
        .into_response()
}

fn error(code: u16, description: &str) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
    (
        status,
        axum::Json(json!({ "ok": false, "error_code": code, "description": description })),
    )
        .into_response()
}

fn fault_response(fault: Fault) -> Response {
    match fault {
        Fault::ServerError | Fault::Stall(_) => error(500, "Internal Server Error"),
        Fault::Blocked => error(403, "Forbidden: bot was blocked by the user"),
        Fault::RetryAfter(seconds) => (
            StatusCode::TOO_MANY_REQUESTS,
            axum::Json(json!({
                "ok": false, "error_code": 429,
                "description": format!("Too Many Requests: retry after {seconds}"),
                "parameters": { "retry_after": seconds },
            })),
        )
            .into_response(),
    }
}

/// Reads a JSON, form or multipart body into one JSON object (files become `{ name, bytes }`).
async fn read_body(request: Request) -> Value {
    let query: Vec<(String, String)> = request
        .uri()
        .query()
        .map(url_decode_pairs)
        .unwrap_or_default();
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let mut body = json!({});
    for (key, value) in query {
        body[key] = parse_scalar(&value);
    }
    if content_type.starts_with("multipart/form-data") {
        let Ok(mut multipart) = Multipart::from_request(request, &()).await else {
            return body;
        };
        while let Ok(Some(field)) = multipart.next_field().await {
            let name = field.name().unwrap_or("").to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let bytes = field.bytes().await.unwrap_or_default();
            body[name] = match file_name {
                Some(file_name) => json!({ "file_name": file_name, "bytes": bytes.to_vec() }),
                None => parse_scalar(&String::from_utf8_lossy(&bytes)),
            };
        }
        return body;
    }
    let bytes: Bytes = axum::body::to_bytes(request.into_body(), 64 * 1024 * 1024)
        .await
        .unwrap_or_default();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        for (key, value) in url_decode_pairs(&String::from_utf8_lossy(&bytes)) {
            body[key] = parse_scalar(&value);
        }
    } else if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&bytes) {
        for (key, value) in map {
            body[key] = value;
        }
    }
    body
}

fn url_decode_pairs(raw: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Form fields carry JSON (reply_markup) or numbers as strings.
fn parse_scalar(raw: &str) -> Value {
    serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_owned()))
}

async fn api(
    State(shared): State<Arc<Shared>>,
    Path((bot, method)): Path<(String, String)>,
    request: Request,
) -> Response {
    if bot.strip_prefix("bot") != Some(shared.token.as_str()) {
        return error(401, "Unauthorized");
    }
    let method = method.to_ascii_lowercase();
    let body = read_body(request).await;
    if method == "getupdates" {
        return get_updates(&shared, &body).await;
    }
    let fault = {
        let mut inner = shared.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.calls.push(Call {
            method: method.clone(),
            body: body.clone(),
            at: Instant::now(),
        });
        let chat = body["chat_id"].as_i64();
        let blocked =
            method.starts_with("send") && chat.is_some_and(|c| inner.blocked.contains(&c));
        if blocked {
            Some(Fault::Blocked)
        } else if method.starts_with("send") && !inner.within_limits(chat.unwrap_or(0)) {
            Some(Fault::RetryAfter(1))
        } else if let Some(index) = inner.text_faults.iter().position(|(m, needle, _)| {
            *m == method
                && [&body["text"], &body["caption"]]
                    .iter()
                    .any(|text| text.as_str().is_some_and(|t| t.contains(needle.as_str())))
        }) {
            inner.text_faults.remove(index).map(|(_, _, fault)| fault)
        } else if let Some(fault) = inner.faults.get_mut(&method).and_then(VecDeque::pop_front) {
            Some(fault)
        } else {
            inner.chaos_fault()
        }
    };
    if let Some(fault) = fault {
        if let Fault::Stall(time) = fault {
            tokio::time::sleep(time).await;
        }
        return fault_response(fault);
    }
    let (response, waiter) = handle(&shared, &method, &body);
    if response.status() == StatusCode::BAD_REQUEST {
        let mut inner = shared.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.refused.push(Call {
            method: method.clone(),
            body: body.clone(),
            at: Instant::now(),
        });
    }
    if let Some(waiter) = waiter {
        waiter.notify_one();
    }
    response
}

async fn get_updates(shared: &Shared, body: &Value) -> Response {
    let offset = body["offset"].as_i64().unwrap_or(0);
    let limit = body["limit"].as_u64().unwrap_or(100).clamp(1, 100) as usize;
    let timeout = body["timeout"].as_u64().unwrap_or(0).min(50);
    let deadline = Instant::now() + Duration::from_secs(timeout);
    loop {
        let notified = shared.new_update.notified();
        {
            let mut inner = shared.inner.lock().unwrap_or_else(|p| p.into_inner());
            inner.get_updates_calls += 1;
            if let Some(fault) = inner
                .faults
                .get_mut("getupdates")
                .and_then(VecDeque::pop_front)
            {
                return fault_response(fault);
            }
            // Telegram forgets updates below the offset: they are confirmed.
            while inner
                .pending
                .front()
                .is_some_and(|u| u["update_id"].as_i64().unwrap_or(0) < offset)
            {
                inner.pending.pop_front();
            }
            let batch: Vec<Value> = inner.pending.iter().take(limit).cloned().collect();
            if !batch.is_empty() {
                return ok(Value::Array(batch));
            }
        }
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            return ok(json!([]));
        };
        if tokio::time::timeout(left, notified).await.is_err() {
            return ok(json!([]));
        }
    }
}

/// The private chat an update comes from (messages and button presses).
fn chat_of(update: &Value) -> Option<i64> {
    update["message"]["chat"]["id"]
        .as_i64()
        .or_else(|| update["callback_query"]["from"]["id"].as_i64())
        .or_else(|| update["edited_message"]["chat"]["id"].as_i64())
}

fn bot_user() -> Value {
    json!({ "id": BOT_ID, "is_bot": true, "first_name": "KIPP", "username": BOT_USERNAME })
}

fn handle(shared: &Shared, method: &str, body: &Value) -> (Response, Option<Arc<Notify>>) {
    let mut waiter = None;
    let response = handle_method(shared, method, body, &mut waiter);
    (response, waiter)
}

fn handle_method(
    shared: &Shared,
    method: &str,
    body: &Value,
    waiter: &mut Option<Arc<Notify>>,
) -> Response {
    match method {
        "getme" => {
            let mut me = bot_user();
            me["can_join_groups"] = json!(true);
            me["can_read_all_group_messages"] = json!(false);
            me["supports_inline_queries"] = json!(false);
            me["has_main_web_app"] = json!(false);
            ok(me)
        }
        "getwebhookinfo" => {
            ok(json!({ "url": "", "has_custom_certificate": false, "pending_update_count": 0 }))
        }
        "deletewebhook" | "setmycommands" | "deletemycommands" | "answercallbackquery" => {
            if method == "setmycommands"
                && let Some(problem) = check_commands(body)
            {
                return error(400, &problem);
            }
            if method == "answercallbackquery"
                && let Some(text) = body["text"].as_str()
            {
                if text.encode_utf16().count() > CALLBACK_ANSWER_LIMIT {
                    return error(400, "Bad Request: MESSAGE_TOO_LONG");
                }
                let mut inner = shared.inner.lock().unwrap_or_else(|p| p.into_inner());
                inner.callback_answers.push(text.to_owned());
            }
            ok(json!(true))
        }
        "sendmessage" | "editmessagetext" => {
            let text = body["text"].as_str().unwrap_or("").to_owned();
            if let Some(problem) = check_text(&text, body["parse_mode"].as_str()) {
                return error(400, &problem);
            }
            let Some((buttons, request_contact)) = read_markup(&body["reply_markup"]) else {
                return error(400, "Bad Request: BUTTON_DATA_INVALID");
            };
            let chat_id = body["chat_id"].as_i64().unwrap_or(0);
            let mut inner = shared.inner.lock().unwrap_or_else(|p| p.into_inner());
            let message_id = match method {
                "editmessagetext" => body["message_id"].as_i64().unwrap_or(0),
                _ => FakeTelegram::next_message_id(&mut inner),
            };
            *waiter = Some(inner.record_sent(Sent {
                method: method.to_owned(),
                chat_id,
                message_id,
                text: text.clone(),
                buttons,
                request_contact,
                document: None,
                at: Instant::now(),
            }));
            ok(json!({
                "message_id": message_id, "date": now(), "from": bot_user(),
                "chat": { "id": chat_id, "type": "private", "first_name": "User" },
                "text": text,
            }))
        }
        "senddocument" | "sendphoto" => {
            let field = if method == "senddocument" {
                "document"
            } else {
                "photo"
            };
            let chat_id = body["chat_id"].as_i64().unwrap_or(0);
            let file_name = body[field]["file_name"]
                .as_str()
                .unwrap_or("file")
                .to_owned();
            let bytes: Vec<u8> = body[field]["bytes"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|b| b.as_u64().map(|b| b as u8))
                        .collect()
                })
                .unwrap_or_default();
            if bytes.is_empty() {
                return error(400, "Bad Request: file must be non-empty");
            }
            let caption = body["caption"].as_str().unwrap_or("").to_owned();
            if let Some(problem) =
                check_text_allow_empty(&caption, body["parse_mode"].as_str(), CAPTION_LIMIT)
            {
                return error(400, &problem);
            }
            let mut inner = shared.inner.lock().unwrap_or_else(|p| p.into_inner());
            let message_id = FakeTelegram::next_message_id(&mut inner);
            *waiter = Some(inner.record_sent(Sent {
                method: method.to_owned(),
                chat_id,
                message_id,
                text: caption,
                buttons: Vec::new(),
                request_contact: false,
                document: Some((file_name.clone(), bytes.clone())),
                at: Instant::now(),
            }));
            let file = json!({ "file_id": format!("SENT{message_id}"), "file_unique_id": format!("S{message_id}"),
                "file_name": file_name, "file_size": bytes.len() });
            let mut message = json!({
                "message_id": message_id, "date": now(), "from": bot_user(),
                "chat": { "id": chat_id, "type": "private", "first_name": "User" },
            });
            if method == "senddocument" {
                message["document"] = file;
            } else {
                message["photo"] = json!([{ "file_id": format!("SENT{message_id}"), "file_unique_id": format!("S{message_id}"), "width": 800, "height": 600 }]);
            }
            ok(message)
        }
        "getfile" => {
            let file_id = body["file_id"].as_str().unwrap_or("");
            let inner = shared.inner.lock().unwrap_or_else(|p| p.into_inner());
            match inner.files.get(file_id) {
                Some(file) => ok(json!({
                    "file_id": file.file_id, "file_unique_id": file.unique_id,
                    "file_size": file.bytes.len(), "file_path": file.path,
                })),
                None => error(400, "Bad Request: invalid file_id"),
            }
        }
        _ => error(404, "Not Found: method not found"),
    }
}

async fn download(
    State(shared): State<Arc<Shared>>,
    Path((bot, path)): Path<(String, String)>,
) -> Response {
    if bot.strip_prefix("bot") != Some(shared.token.as_str()) {
        return error(401, "Unauthorized");
    }
    let fault = {
        let mut inner = shared.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner
            .faults
            .get_mut("download")
            .and_then(VecDeque::pop_front)
    };
    if let Some(fault) = fault {
        return fault_response(fault);
    }
    let inner = shared.inner.lock().unwrap_or_else(|p| p.into_inner());
    match inner.files.values().find(|file| file.path == path) {
        Some(file) => (StatusCode::OK, file.bytes.clone()).into_response(),
        None => error(404, "Not Found"),
    }
}

fn read_markup(markup: &Value) -> Option<(Vec<Vec<Button>>, bool)> {
    let markup = match markup {
        Value::String(raw) => serde_json::from_str(raw).ok()?,
        other => other.clone(),
    };
    let mut rows = Vec::new();
    for row in markup["inline_keyboard"].as_array().into_iter().flatten() {
        let mut buttons = Vec::new();
        for button in row.as_array().into_iter().flatten() {
            let data = button["callback_data"].as_str().unwrap_or("").to_owned();
            if button.get("callback_data").is_some()
                && (data.is_empty() || data.len() > CALLBACK_DATA_BYTES)
            {
                return None;
            }
            buttons.push(Button {
                text: button["text"].as_str().unwrap_or("").to_owned(),
                data,
            });
        }
        rows.push(buttons);
    }
    let request_contact = markup["keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().into_iter().flatten())
        .any(|button| button["request_contact"].as_bool() == Some(true));
    Some((rows, request_contact))
}

fn check_commands(body: &Value) -> Option<String> {
    let commands = body["commands"].as_array()?;
    if commands.len() > 100 {
        return Some("Bad Request: too many commands".into());
    }
    for command in commands {
        let name = command["command"].as_str().unwrap_or("");
        let description = command["description"].as_str().unwrap_or("");
        let name_ok = (1..=32).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !name_ok || description.is_empty() || description.chars().count() > 256 {
            return Some("Bad Request: BOT_COMMAND_INVALID".into());
        }
    }
    None
}

/// Telegram's limits, in UTF-16 code units of the visible text (after parsing the HTML).
pub const TEXT_LIMIT: usize = 4096;
pub const CAPTION_LIMIT: usize = 1024;
pub const CALLBACK_ANSWER_LIMIT: usize = 200;
pub const CALLBACK_DATA_BYTES: usize = 64;

fn check_text(text: &str, parse_mode: Option<&str>) -> Option<String> {
    let html = parse_mode.is_some_and(|mode| mode.eq_ignore_ascii_case("html"));
    let visible = if html { plain(text) } else { text.to_owned() };
    if visible.trim().is_empty() {
        return Some("Bad Request: message text is empty".into());
    }
    check_text_allow_empty(text, parse_mode, TEXT_LIMIT)
}

fn check_text_allow_empty(text: &str, parse_mode: Option<&str>, limit: usize) -> Option<String> {
    if parse_mode.is_some_and(|mode| mode.eq_ignore_ascii_case("html")) {
        if let Err(problem) = check_html(text) {
            return Some(format!("Bad Request: can't parse entities: {problem}"));
        }
        if visible_length(text) > limit {
            return Some(too_long(limit));
        }
    } else if text.encode_utf16().count() > limit {
        return Some(too_long(limit));
    }
    None
}

fn too_long(limit: usize) -> String {
    if limit == CAPTION_LIMIT {
        "Bad Request: message caption is too long".into()
    } else {
        "Bad Request: message is too long".into()
    }
}

const TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "code",
    "pre",
    "a",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
];

/// Telegram's HTML rules: only known tags, properly nested; `<`, `>`, `&` escaped elsewhere.
pub fn check_html(text: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(position) = rest.find(['<', '&', '>']) {
        let (_, tail) = rest.split_at(position);
        if tail.starts_with('>') {
            return Err("unexpected '>'".into());
        }
        if tail.starts_with('&') {
            let end = tail.find(';').ok_or("unterminated entity")?;
            let entity = &tail[1..end];
            let known = matches!(entity, "lt" | "gt" | "amp" | "quot")
                || entity.strip_prefix('#').is_some_and(|n| {
                    n.parse::<u32>().is_ok()
                        || n.strip_prefix('x')
                            .is_some_and(|h| u32::from_str_radix(h, 16).is_ok())
                });
            if !known {
                return Err(format!("unknown entity &{entity};"));
            }
            rest = &tail[end + 1..];
            continue;
        }
        let end = tail.find('>').ok_or("unclosed tag")?;
        let tag = &tail[1..end];
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(open) if open == name.trim() => {}
                _ => return Err(format!("unexpected end tag {name}")),
            }
        } else {
            let name = tag.split_whitespace().next().unwrap_or("");
            if !TAGS.contains(&name) {
                return Err(format!("unsupported start tag \"{name}\""));
            }
            stack.push(name.to_owned());
        }
        rest = &tail[end + 1..];
    }
    if let Some(open) = stack.pop() {
        return Err(format!("unclosed tag {open}"));
    }
    Ok(())
}

/// Text length as Telegram counts it after parsing HTML (UTF-16 units).
pub fn visible_length(html: &str) -> usize {
    plain(html).encode_utf16().count()
}

/// The text a person sees: tags removed, entities (named and numeric) decoded.
pub fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        let mut taken = c.len_utf8();
        match c {
            '<' => taken = rest.find('>').map_or(rest.len(), |end| end + 1),
            '&' => match rest
                .find(';')
                .and_then(|end| Some((end, decode(&rest[1..end])?)))
            {
                Some((end, decoded)) => {
                    out.push(decoded);
                    taken = end + 1;
                }
                None => out.push('&'),
            },
            c => out.push(c),
        }
        rest = &rest[taken..];
    }
    out
}

fn decode(entity: &str) -> Option<char> {
    Some(match entity {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        _ => {
            let number = entity.strip_prefix('#')?;
            let code = match number.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
}
