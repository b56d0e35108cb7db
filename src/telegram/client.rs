//! The one Bot API client for everything kipp-bot sends (teloxide's `Bot` is only handed to the
//! dispatcher, which calls `getMe` with it when it starts).
//!
//! Why not teloxide's `Bot` (teloxide-core 0.13, `src/net/request.rs`): after any 5xx it sleeps a
//! fixed 10 seconds and then returns the error, without trying again; a 429 comes back as
//! `RequestError::RetryAfter` and is not retried either (only the `throttle` adaptor, a feature
//! this project does not enable, waits it out, inside the call). Here a reply retries 5xx and
//! network errors after [`Backoff::CALL`] (a quarter second, half a second) and waits out a
//! 429's `retry_after`; the outbox instead gets a 429 handed back at once
//! ([`RetryPolicy::wait_on_rate_limit`] off, [`TelegramError::RateLimited`]) so that it pauses
//! all its sending, not only the one message. The token is in every request URL: no error or
//! log line here carries a URL (`reqwest::Error::without_url`), and [`TelegramClient`]'s `Debug`
//! shows only the API address. (teloxide redacts it too, by rewriting URLs that look like a
//! token; dropping the URL holds whatever the token looks like.)
//!
//! Request bodies are small typed structs, one per method, serialized as Telegram expects.

use std::time::Duration;

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::{Value, value::RawValue};
use teloxide::types::{BotCommand, File as TgFile, Me, Message};
use url::Url;

use super::{Backoff, Keyboard, split};
use crate::{config::BotToken, texts::Html};

const PUBLIC_API: &str = "https://api.telegram.org";

#[allow(clippy::expect_used, reason = "a constant that is a valid URL")]
fn public_api() -> Url {
    Url::parse(PUBLIC_API).expect("constant URL")
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum TelegramError {
    /// Telegram refused the call; retrying the same call will not help.
    #[error("Telegram refused {method}: {code} {description}")]
    Refused {
        method: &'static str,
        code: u16,
        description: String,
    },
    /// The person blocked the bot or deleted their account: stop writing to them.
    #[error("the chat is unreachable: {0}")]
    Unreachable(String),
    /// Telegram asked to slow down (429) and the caller handles waiting.
    #[error("Telegram asks to wait {retry_after:?} before {method}")]
    RateLimited {
        method: &'static str,
        retry_after: Duration,
    },
    /// Retries were exhausted on a temporary failure (429, 5xx, timeout).
    #[error("Telegram is unavailable for {method}: {detail}")]
    Unavailable {
        method: &'static str,
        detail: String,
    },
    #[error("unexpected answer to {method}: {detail}")]
    Decode {
        method: &'static str,
        detail: String,
    },
}

impl TelegramError {
    pub fn is_unreachable(&self) -> bool {
        matches!(self, TelegramError::Unreachable(_))
    }
}

/// How hard to try before giving up on a call.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    /// Longest `retry_after` we are willing to wait inside one call.
    pub max_retry_after: Duration,
    /// Wait out a 429 inside the call (replies), or hand it back as `RateLimited` at once
    /// (the outbox, which pauses all its sending instead).
    pub wait_on_rate_limit: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            max_retry_after: Duration::from_secs(120),
            wait_on_rate_limit: true,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SendOptions {
    pub keyboard: Option<Keyboard>,
    /// Ask the phone to show a "share contact" button instead of an inline keyboard.
    pub request_contact: Option<String>,
    pub remove_keyboard: bool,
}

#[derive(Deserialize)]
struct Envelope {
    ok: bool,
    /// Kept as text and read once into the method's own type (no JSON tree in between).
    result: Option<Box<RawValue>>,
    error_code: Option<u16>,
    description: Option<String>,
    parameters: Option<ResponseParameters>,
}

#[derive(Deserialize)]
struct ResponseParameters {
    retry_after: Option<u64>,
}

enum Attempt {
    /// The answer's `result` (none: the call's answer is `true`).
    Done(Option<Box<RawValue>>),
    Retry {
        after: Duration,
        detail: String,
        rate_limited: bool,
    },
    Fail(TelegramError),
}

/// A Bot API client for the calls kipp-bot makes. Cheap to clone.
#[derive(Clone)]
pub struct TelegramClient {
    http: reqwest::Client,
    api: Url,
    token: BotToken,
    policy: RetryPolicy,
}

impl std::fmt::Debug for TelegramClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TelegramClient")
            .field("api", &self.api.as_str())
            .finish_non_exhaustive()
    }
}

impl TelegramClient {
    pub fn new(token: BotToken, api_url: Option<Url>) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .tcp_nodelay(true)
            .build()
            .unwrap_or_default();
        let api = api_url.unwrap_or_else(public_api);
        Self {
            http,
            api,
            token,
            policy: RetryPolicy::default(),
        }
    }

    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// A client whose calls give up after `timeout` (a stalled answer counts as a failure).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5).min(timeout))
            .timeout(timeout)
            .tcp_nodelay(true)
            .build()
            .unwrap_or_default();
        self
    }

    pub fn api_url(&self) -> &Url {
        &self.api
    }

    fn method_url(&self, method: &str) -> Url {
        let mut url = self.api.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty();
            segments.push(&format!("bot{}", self.token.expose_secret()));
            segments.push(method);
        }
        url
    }

    fn file_url(&self, file_path: &str) -> Url {
        let mut url = self.api.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty();
            segments.push("file");
            segments.push(&format!("bot{}", self.token.expose_secret()));
            segments.extend(file_path.split('/'));
        }
        url
    }

    /// Calls a method with a JSON body, retrying what Telegram says can be retried.
    pub async fn call<B, T>(&self, method: &'static str, body: &B) -> Result<T, TelegramError>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let value = self
            .with_retries(method, || async {
                let response = self
                    .http
                    .post(self.method_url(method))
                    .json(body)
                    .send()
                    .await;
                interpret(method, response).await
            })
            .await?;
        decode(method, value.as_deref())
    }

    async fn with_retries<F, Fut>(
        &self,
        method: &'static str,
        attempt: F,
    ) -> Result<Option<Box<RawValue>>, TelegramError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Attempt>,
    {
        let mut tries: u32 = 0;
        loop {
            tries = tries.saturating_add(1);
            match attempt().await {
                Attempt::Done(value) => return Ok(value),
                Attempt::Fail(error) => return Err(error),
                Attempt::Retry {
                    after,
                    detail,
                    rate_limited,
                } => {
                    if rate_limited && !self.policy.wait_on_rate_limit {
                        return Err(TelegramError::RateLimited {
                            method,
                            retry_after: after,
                        });
                    }
                    if tries >= self.policy.max_attempts || after > self.policy.max_retry_after {
                        if rate_limited {
                            return Err(TelegramError::RateLimited {
                                method,
                                retry_after: after,
                            });
                        }
                        return Err(TelegramError::Unavailable { method, detail });
                    }
                    tracing::debug!(method, tries, ?after, %detail, "retrying Telegram call");
                    tokio::time::sleep(after).await;
                }
            }
        }
    }

    pub async fn get_me(&self) -> Result<Me, TelegramError> {
        self.call("getMe", &NoParameters {}).await
    }

    /// Makes sure no webhook is set, so that `getUpdates` is answered.
    pub async fn delete_webhook(&self) -> Result<(), TelegramError> {
        self.call::<_, Value>("deleteWebhook", &NoParameters {})
            .await
            .map(drop)
    }

    /// One long poll: the updates after `offset` (as raw JSON, for the listener to store as
    /// received), waiting up to `timeout` for one to arrive.
    pub async fn get_updates(
        &self,
        offset: i64,
        timeout: Duration,
    ) -> Result<Vec<Box<RawValue>>, TelegramError> {
        let body = GetUpdates {
            offset,
            timeout: timeout.as_secs(),
            allowed_updates: ALLOWED_UPDATES,
        };
        self.call("getUpdates", &body).await
    }

    /// Sends a text; one over [`split::TEXT_LIMIT`] goes out as several messages, in order
    /// (see [`split`]), with the keyboard (or other reply markup) under the last one. Returns the
    /// last message. If a part fails, the error is returned and the parts after it are not sent.
    pub async fn send_text(
        &self,
        chat_id: i64,
        html: &Html,
        options: SendOptions,
    ) -> Result<Message, TelegramError> {
        let parts = split::text_parts(html.as_str());
        self.send_parts(chat_id, &parts, options).await
    }

    /// Sends parts that already fit (from [`split`]) one after the other, the markup under the
    /// last; returns the last message.
    async fn send_parts(
        &self,
        chat_id: i64,
        parts: &[String],
        options: SendOptions,
    ) -> Result<Message, TelegramError> {
        let Some((last, first)) = parts.split_last() else {
            return self.send_one_text(chat_id, "", &options).await;
        };
        for part in first {
            self.send_one_text(chat_id, part, &SendOptions::default())
                .await?;
        }
        self.send_one_text(chat_id, last, &options).await
    }

    /// One `sendMessage`, with the text as given.
    async fn send_one_text(
        &self,
        chat_id: i64,
        html: &str,
        options: &SendOptions,
    ) -> Result<Message, TelegramError> {
        let body = SendMessage {
            chat_id,
            text: html,
            parse_mode: HTML,
            link_preview_options: NO_LINK_PREVIEW,
            reply_markup: reply_markup(options),
        };
        self.call("sendMessage", &body).await
    }

    /// Edits a message's text; "message is not modified" counts as success. A text that no
    /// longer fits one message: the message becomes its first part, and the other parts follow
    /// as new messages, the keyboard under the last one.
    pub async fn edit_text(
        &self,
        chat_id: i64,
        message_id: i32,
        html: &Html,
        keyboard: Option<Keyboard>,
    ) -> Result<(), TelegramError> {
        let parts = split::text_parts(html.as_str());
        let (first, rest) = match parts.split_first() {
            Some((first, rest)) if !rest.is_empty() => (first.as_str(), rest),
            _ => (html.as_str(), &[][..]),
        };
        let edit_keyboard = if rest.is_empty() {
            keyboard.clone()
        } else {
            None
        };
        let body = EditMessageText {
            chat_id,
            message_id,
            text: first,
            parse_mode: HTML,
            link_preview_options: NO_LINK_PREVIEW,
            reply_markup: edit_keyboard.as_ref(),
        };
        match self.call::<_, Value>("editMessageText", &body).await {
            Ok(_) => {}
            Err(TelegramError::Refused { description, .. })
                if description.contains("message is not modified") => {}
            Err(error) => return Err(error),
        }
        if !rest.is_empty() {
            let options = SendOptions {
                keyboard,
                ..SendOptions::default()
            };
            self.send_parts(chat_id, rest, options).await?;
        }
        Ok(())
    }

    /// Answers a button press; a notification text is cut to Telegram's 200 characters.
    pub async fn answer_callback(
        &self,
        callback_id: &str,
        text: Option<&str>,
    ) -> Result<(), TelegramError> {
        let body = AnswerCallbackQuery {
            callback_query_id: callback_id,
            text: text.map(|text| split::cut_plain(text, split::CALLBACK_ANSWER_LIMIT)),
        };
        self.call::<_, Value>("answerCallbackQuery", &body)
            .await
            .map(drop)
    }

    /// Sets the command menu one chat sees (`chat_id`), or everyone's default menu (`None`).
    pub async fn set_commands(
        &self,
        chat_id: Option<i64>,
        language_code: Option<&str>,
        commands: &[BotCommand],
    ) -> Result<(), TelegramError> {
        let scope = match chat_id {
            Some(chat_id) => CommandScope::Chat { chat_id },
            None => CommandScope::Default,
        };
        let body = SetMyCommands {
            commands,
            scope,
            language_code,
        };
        self.call::<_, Value>("setMyCommands", &body)
            .await
            .map(drop)
    }

    pub async fn delete_commands(&self, chat_id: i64) -> Result<(), TelegramError> {
        let body = DeleteMyCommands {
            scope: CommandScope::Chat { chat_id },
        };
        self.call::<_, Value>("deleteMyCommands", &body)
            .await
            .map(drop)
    }

    pub async fn get_file(&self, file_id: &str) -> Result<TgFile, TelegramError> {
        self.call("getFile", &GetFile { file_id }).await
    }

    /// Downloads a file's bytes (after `getFile`). With a local Bot API server, `file_path` may be
    /// an absolute path on the same machine; then the file is read directly.
    pub async fn download(&self, file_path: &str) -> Result<reqwest::Response, TelegramError> {
        let url = self.file_url(file_path);
        let mut tries: u32 = 0;
        loop {
            tries = tries.saturating_add(1);
            let outcome = self.http.get(url.clone()).send().await;
            let retry_detail = match outcome {
                Ok(response) if response.status().is_success() => return Ok(response),
                Ok(response) if response.status().is_server_error() || response.status() == 429 => {
                    format!("HTTP {}", response.status().as_u16())
                }
                Ok(response) => {
                    return Err(TelegramError::Refused {
                        method: "download",
                        code: response.status().as_u16(),
                        description: "file download refused".into(),
                    });
                }
                Err(error) => error.without_url().to_string(),
            };
            if tries >= self.policy.max_attempts {
                return Err(TelegramError::Unavailable {
                    method: "download",
                    detail: retry_detail,
                });
            }
            tokio::time::sleep(Backoff::CALL.delay(tries)).await;
        }
    }

    /// Sends a file from memory as a document. A caption over [`split::CAPTION_LIMIT`]: the
    /// file goes with the caption's first part, the rest follows as texts. Returns the file's
    /// message.
    pub async fn send_document(
        &self,
        chat_id: i64,
        file_name: &str,
        bytes: Vec<u8>,
        caption_html: Option<&Html>,
    ) -> Result<Message, TelegramError> {
        self.send_captioned(
            "sendDocument",
            "document",
            chat_id,
            file_name,
            bytes,
            caption_html,
        )
        .await
    }

    /// Sends a photo; a long caption as with [`Self::send_document`].
    pub async fn send_photo(
        &self,
        chat_id: i64,
        file_name: &str,
        bytes: Vec<u8>,
        caption_html: Option<&Html>,
    ) -> Result<Message, TelegramError> {
        self.send_captioned(
            "sendPhoto",
            "photo",
            chat_id,
            file_name,
            bytes,
            caption_html,
        )
        .await
    }

    async fn send_captioned(
        &self,
        method: &'static str,
        field: &'static str,
        chat_id: i64,
        file_name: &str,
        bytes: Vec<u8>,
        caption_html: Option<&Html>,
    ) -> Result<Message, TelegramError> {
        let parts = caption_html
            .map(|caption| split::caption_parts(caption.as_str()))
            .unwrap_or_default();
        let Some((caption, rest)) = parts.split_first() else {
            return self
                .send_file(method, field, chat_id, file_name, bytes, None)
                .await;
        };
        let sent = self
            .send_file(method, field, chat_id, file_name, bytes, Some(caption))
            .await?;
        if !rest.is_empty() {
            self.send_parts(chat_id, rest, SendOptions::default())
                .await?;
        }
        Ok(sent)
    }

    async fn send_file(
        &self,
        method: &'static str,
        field: &'static str,
        chat_id: i64,
        file_name: &str,
        bytes: Vec<u8>,
        caption_html: Option<&str>,
    ) -> Result<Message, TelegramError> {
        let value = self
            .with_retries(method, || async {
                let part =
                    reqwest::multipart::Part::bytes(bytes.clone()).file_name(file_name.to_owned());
                let mut form = reqwest::multipart::Form::new()
                    .text("chat_id", chat_id.to_string())
                    .part(field, part);
                if let Some(caption) = caption_html {
                    form = form
                        .text("caption", caption.to_owned())
                        .text("parse_mode", "HTML");
                }
                let response = self
                    .http
                    .post(self.method_url(method))
                    .multipart(form)
                    .send()
                    .await;
                interpret(method, response).await
            })
            .await?;
        decode(method, value.as_deref())
    }
}

fn reply_markup(options: &SendOptions) -> Option<ReplyMarkup<'_>> {
    if let Some(keyboard) = &options.keyboard {
        return Some(ReplyMarkup::Inline(keyboard));
    }
    if let Some(label) = &options.request_contact {
        return Some(ReplyMarkup::Contact(ContactKeyboard {
            keyboard: [[ContactButton {
                text: label,
                request_contact: true,
            }]],
            resize_keyboard: true,
            one_time_keyboard: true,
        }));
    }
    options.remove_keyboard.then_some(ReplyMarkup::Remove {
        remove_keyboard: true,
    })
}

/// The wait before trying a call again after a network error (no answer, or a cut-off one).
/// Every try of a call waits the same: a call gives up after [`RetryPolicy::max_attempts`] tries,
/// a few seconds at most, and the outbox then backs off between its rounds.
const NETWORK_RETRY: Duration = Backoff::CALL.delay(1);
/// The wait before trying a call again after a 5xx (or a 429 without `retry_after`).
const SERVER_RETRY: Duration = Backoff::CALL.delay(2);

/// A call's `result` read as the method's type.
fn decode<T: DeserializeOwned>(
    method: &'static str,
    result: Option<&RawValue>,
) -> Result<T, TelegramError> {
    let text = result.map_or("true", RawValue::get);
    serde_json::from_str(text).map_err(|error| TelegramError::Decode {
        method,
        detail: error.to_string(),
    })
}

async fn interpret(
    method: &'static str,
    response: Result<reqwest::Response, reqwest::Error>,
) -> Attempt {
    let response = match response {
        Ok(response) => response,
        // `without_url`: the URL holds the token.
        Err(error) => {
            return Attempt::Retry {
                after: NETWORK_RETRY,
                detail: error.without_url().to_string(),
                rate_limited: false,
            };
        }
    };
    let status = response.status();
    let text = match response.text().await {
        Ok(text) => text,
        Err(error) => {
            return Attempt::Retry {
                after: NETWORK_RETRY,
                detail: error.without_url().to_string(),
                rate_limited: false,
            };
        }
    };
    let envelope: Option<Envelope> = serde_json::from_str(&text).ok();
    match envelope {
        Some(Envelope {
            ok: true, result, ..
        }) => Attempt::Done(result),
        Some(envelope) => {
            let code = envelope.error_code.unwrap_or(status.as_u16());
            let description = envelope.description.unwrap_or_default();
            if let Some(seconds) = envelope.parameters.and_then(|p| p.retry_after) {
                return Attempt::Retry {
                    after: Duration::from_secs(seconds.max(1)),
                    detail: format!("429 retry after {seconds}s"),
                    rate_limited: true,
                };
            }
            if code == 429 || code >= 500 {
                return Attempt::Retry {
                    after: SERVER_RETRY,
                    detail: format!("{code} {description}"),
                    rate_limited: code == 429,
                };
            }
            if code == 403 || description.contains("chat not found") {
                return Attempt::Fail(TelegramError::Unreachable(description));
            }
            Attempt::Fail(TelegramError::Refused {
                method,
                code,
                description,
            })
        }
        None if status.is_server_error() || status.as_u16() == 429 => Attempt::Retry {
            after: SERVER_RETRY,
            detail: format!("HTTP {}", status.as_u16()),
            rate_limited: status.as_u16() == 429,
        },
        None => Attempt::Fail(TelegramError::Decode {
            method,
            detail: format!(
                "HTTP {} with a body that is not a Bot API answer",
                status.as_u16()
            ),
        }),
    }
}

// Request bodies, one per method. Optional fields are left out when `None`, as Telegram expects.

const HTML: &str = "HTML";
const NO_LINK_PREVIEW: LinkPreviewOptions = LinkPreviewOptions { is_disabled: true };
/// The updates the bot handles; others are not fetched at all.
const ALLOWED_UPDATES: &[&str] = &["message", "edited_message", "callback_query"];

/// `getMe`, `deleteWebhook`: an empty object.
#[derive(Serialize)]
struct NoParameters {}

#[derive(Serialize)]
struct GetUpdates {
    offset: i64,
    timeout: u64,
    allowed_updates: &'static [&'static str],
}

#[derive(Serialize)]
struct LinkPreviewOptions {
    is_disabled: bool,
}

#[derive(Serialize)]
struct SendMessage<'a> {
    chat_id: i64,
    text: &'a str,
    parse_mode: &'static str,
    link_preview_options: LinkPreviewOptions,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_markup: Option<ReplyMarkup<'a>>,
}

#[derive(Serialize)]
struct EditMessageText<'a> {
    chat_id: i64,
    message_id: i32,
    text: &'a str,
    parse_mode: &'static str,
    link_preview_options: LinkPreviewOptions,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_markup: Option<&'a Keyboard>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ReplyMarkup<'a> {
    Inline(&'a Keyboard),
    Contact(ContactKeyboard<'a>),
    Remove { remove_keyboard: bool },
}

/// A one-button keyboard under the text field that shares the person's phone number.
#[derive(Serialize)]
struct ContactKeyboard<'a> {
    keyboard: [[ContactButton<'a>; 1]; 1],
    resize_keyboard: bool,
    one_time_keyboard: bool,
}

#[derive(Serialize)]
struct ContactButton<'a> {
    text: &'a str,
    request_contact: bool,
}

#[derive(Serialize)]
struct AnswerCallbackQuery<'a> {
    callback_query_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum CommandScope {
    Default,
    Chat { chat_id: i64 },
}

#[derive(Serialize)]
struct SetMyCommands<'a> {
    commands: &'a [BotCommand],
    scope: CommandScope,
    #[serde(skip_serializing_if = "Option::is_none")]
    language_code: Option<&'a str>,
}

#[derive(Serialize)]
struct DeleteMyCommands {
    scope: CommandScope,
}

#[derive(Serialize)]
struct GetFile<'a> {
    file_id: &'a str,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::telegram::Button;

    fn body(value: impl Serialize) -> Value {
        serde_json::to_value(value).unwrap()
    }

    fn keyboard() -> Keyboard {
        Keyboard::new([[Button::callback("Ya", "yes")]])
    }

    // The typed bodies are exactly the JSON the client used to build by hand.

    #[test]
    fn send_message_bodies() {
        let no_markup = SendOptions::default();
        let plain = SendMessage {
            chat_id: 7,
            text: "<b>Halo</b>",
            parse_mode: HTML,
            link_preview_options: NO_LINK_PREVIEW,
            reply_markup: reply_markup(&no_markup),
        };
        assert_eq!(
            body(plain),
            json!({
                "chat_id": 7,
                "text": "<b>Halo</b>",
                "parse_mode": "HTML",
                "link_preview_options": { "is_disabled": true },
            })
        );
        let keyboard = keyboard();
        let options = SendOptions {
            keyboard: Some(keyboard.clone()),
            ..SendOptions::default()
        };
        assert_eq!(body(reply_markup(&options)), json!(keyboard));
        let contact = SendOptions {
            request_contact: Some("Kirim nomor".into()),
            ..SendOptions::default()
        };
        assert_eq!(
            body(reply_markup(&contact)),
            json!({
                "keyboard": [[{ "text": "Kirim nomor", "request_contact": true }]],
                "resize_keyboard": true,
                "one_time_keyboard": true,
            })
        );
        let remove = SendOptions {
            remove_keyboard: true,
            ..SendOptions::default()
        };
        assert_eq!(
            body(reply_markup(&remove)),
            json!({ "remove_keyboard": true })
        );
    }

    #[test]
    fn edit_message_text_body() {
        let keyboard = keyboard();
        let edit = EditMessageText {
            chat_id: -5,
            message_id: 42,
            text: "teks",
            parse_mode: HTML,
            link_preview_options: NO_LINK_PREVIEW,
            reply_markup: Some(&keyboard),
        };
        assert_eq!(
            body(edit),
            json!({
                "chat_id": -5,
                "message_id": 42,
                "text": "teks",
                "parse_mode": "HTML",
                "link_preview_options": { "is_disabled": true },
                "reply_markup": keyboard,
            })
        );
    }

    #[test]
    fn other_bodies() {
        assert_eq!(body(NoParameters {}), json!({}));
        assert_eq!(
            body(GetUpdates {
                offset: 12,
                timeout: 10,
                allowed_updates: ALLOWED_UPDATES,
            }),
            json!({
                "offset": 12,
                "timeout": 10,
                "allowed_updates": ["message", "edited_message", "callback_query"],
            })
        );
        assert_eq!(
            body(AnswerCallbackQuery {
                callback_query_id: "cb",
                text: None,
            }),
            json!({ "callback_query_id": "cb" })
        );
        assert_eq!(
            body(AnswerCallbackQuery {
                callback_query_id: "cb",
                text: Some("ok".into()),
            }),
            json!({ "callback_query_id": "cb", "text": "ok" })
        );
        let commands = [BotCommand::new("start", "Mulai")];
        assert_eq!(
            body(SetMyCommands {
                commands: &commands,
                scope: CommandScope::Default,
                language_code: None,
            }),
            json!({ "commands": commands, "scope": { "type": "default" } })
        );
        assert_eq!(
            body(SetMyCommands {
                commands: &commands,
                scope: CommandScope::Chat { chat_id: 9 },
                language_code: Some("en"),
            }),
            json!({
                "commands": commands,
                "scope": { "type": "chat", "chat_id": 9 },
                "language_code": "en",
            })
        );
        assert_eq!(
            body(DeleteMyCommands {
                scope: CommandScope::Chat { chat_id: 9 },
            }),
            json!({ "scope": { "type": "chat", "chat_id": 9 } })
        );
        assert_eq!(body(GetFile { file_id: "f1" }), json!({ "file_id": "f1" }));
    }

    #[test]
    fn retry_waits_are_the_ones_before() {
        assert_eq!(NETWORK_RETRY, Duration::from_millis(250));
        assert_eq!(SERVER_RETRY, Duration::from_millis(500));
    }
}
