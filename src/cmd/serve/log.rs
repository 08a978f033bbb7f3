//! The server's log on standard error: one line per event, as text (`[serve] …`) or, with
//! `--log-format json`, one JSON object per line for a log collector.
//!
//! A request's line has its time, id, method, route, status and duration, and nothing else:
//! never the path's query, a header, a token or a form's text (a patient's details). The
//! health probes (`/healthz`, `/readyz`) are not logged.

use std::time::Duration;

use serde_json::json;

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Log {
    pub json: bool,
}

/// How serious a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Log {
    /// A message about the server itself.
    pub fn say(&self, level: Level, message: &str) {
        if self.json {
            let line = json!({ "time": now(), "level": level.name(), "message": message });
            eprintln!("{line}");
        } else if level == Level::Info {
            eprintln!("[serve] {message}");
        } else {
            eprintln!("[serve] {}: {message}", level.name().to_uppercase());
        }
    }

    pub fn info(&self, message: &str) {
        self.say(Level::Info, message);
    }

    pub fn warn(&self, message: &str) {
        self.say(Level::Warning, message);
    }

    pub fn error(&self, message: &str) {
        self.say(Level::Error, message);
    }

    /// One answered request.
    pub fn request(&self, id: u64, method: &str, route: &str, status: u16, took: Duration) {
        if self.json {
            let line = json!({
                "time": now(),
                "level": "info",
                "request": id,
                "method": method,
                "route": route,
                "status": status,
                "duration-ms": (took.as_secs_f64() * 1e4).round() / 10.0,
            });
            eprintln!("{line}");
        } else {
            eprintln!(
                "[serve] req={id} {method} {route} {status} {}ms",
                took.as_millis()
            );
        }
    }
}
