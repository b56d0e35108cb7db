//! For the tests that throw generated input at the bot (`hostile`, `command_fuzz`): the seed
//! (fixed by default, another one by hand through an environment variable), a run on its own
//! runtime whose threads log into memory, and every panic on those threads recorded.

use std::{
    future::Future,
    sync::{Arc, Mutex, OnceLock},
};

/// The seed of a generated run: `var` from the environment when set, else `default`, so CI
/// always runs the same input and a failure is replayed with `var=<seed>`.
pub fn seed(var: &str, default: u64) -> u64 {
    match std::env::var(var) {
        Ok(raw) => raw
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{var}={raw:?} is not a seed (a whole number)")),
        Err(_) => default,
    }
}

/// Every log line of one run's threads, in memory.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.lock().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<u8>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn dispatch(&self, filter: &str) -> tracing::Dispatch {
        let logs = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_ansi(false)
            .with_writer(move || logs.clone())
            .finish();
        tracing::Dispatch::new(subscriber)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.lock()).into_owned()
    }

    /// How many bytes were logged so far: a mark for [`Logs::since`].
    pub fn mark(&self) -> usize {
        self.lock().len()
    }

    /// What was logged after `mark`.
    pub fn since(&self, mark: usize) -> String {
        let bytes = self.lock();
        String::from_utf8_lossy(bytes.get(mark..).unwrap_or_default()).into_owned()
    }
}

/// Error-level lines (at most `limit`).
pub fn errors(logs: &str, limit: usize) -> Vec<&str> {
    logs.lines()
        .filter(|line| line.contains(" ERROR "))
        .take(limit)
        .collect()
}

/// Every panic since the hook was installed, with the name of the thread it happened on.
fn recorded() -> &'static Mutex<Vec<(String, String)>> {
    static PANICS: OnceLock<Mutex<Vec<(String, String)>>> = OnceLock::new();
    PANICS.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let thread = std::thread::current().name().unwrap_or("").to_owned();
            if let Some(panics) = PANICS.get() {
                panics
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push((thread, info.to_string()));
            }
            previous(info);
        }));
        Mutex::new(Vec::new())
    })
}

/// Panics on the threads whose name starts with `prefix`: the run's runtime (`{prefix}-bot`)
/// and the test's own thread (named after the test, `{prefix}::…`).
pub fn panics_on(prefix: &str) -> Vec<String> {
    recorded()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .filter(|(thread, _)| thread.starts_with(prefix))
        .map(|(_, panic)| panic.clone())
        .collect()
}

/// Runs `body` on a two-thread runtime named `{prefix}-bot` whose logs (at `filter`) go to
/// memory. A failure writes the logs to a temporary file named after the prefix and the seed,
/// then goes on; a panic on the run's threads fails the run. Returns the logs.
pub fn run<F, Fut>(prefix: &str, filter: &str, seed: u64, body: F) -> String
where
    F: FnOnce(Logs) -> Fut,
    Fut: Future<Output = ()>,
{
    let _ = recorded();
    let logs = Logs::default();
    let dispatch = logs.dispatch(filter);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(format!("{prefix}-bot"))
        .enable_all()
        .on_thread_start({
            let dispatch = dispatch.clone();
            // The guard is kept for the thread's lifetime: its logs go to this run's capture.
            move || std::mem::forget(tracing::dispatcher::set_default(&dispatch))
        })
        .build()
        .expect("a runtime");
    let outcome = {
        let _default = tracing::dispatcher::set_default(&dispatch);
        let body = body(logs.clone());
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            runtime.block_on(body);
        }));
        drop(runtime);
        outcome
    };
    if let Err(failure) = outcome {
        // The bot's side of the story, for whoever reads the failure.
        let path = std::env::temp_dir().join(format!("kipp-{prefix}-{seed}.log"));
        let _ = std::fs::write(&path, logs.text());
        eprintln!("the bot's logs of this run: {}", path.display());
        std::panic::resume_unwind(failure);
    }
    let panics = panics_on(prefix);
    assert!(panics.is_empty(), "seed {seed}: panics: {panics:#?}");
    logs.text()
}
