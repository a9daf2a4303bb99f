//! Typed settings, read from the environment (and a `.env` file when present).

use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything the service reads from its environment, each documented in the README.
#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: PostgreSQL connection string.
    pub database_url: String,
    /// `QIAOLINK_LISTEN`: address to serve on.
    pub listen: SocketAddr,
    /// `QIAOLINK_DATA_DIR`: the embedded search index and other local state.
    pub data_dir: PathBuf,
    /// `MEILI_URL`: when set, search runs on that Meilisearch server.
    pub meili_url: Option<String>,
    /// `MEILI_MASTER_KEY`: the key for `MEILI_URL`.
    pub meili_master_key: Option<String>,
    /// `MEILI_INDEX`: the Meilisearch index name, so several deployments can share a server.
    pub meili_index: String,
    /// `QIAOLINK_DB_POOL`: connections kept open to PostgreSQL.
    pub db_pool_size: usize,
    /// How long web sessions last.
    pub sessions: SessionConfig,
    /// How large and how long one request may be.
    pub limits: Limits,
    /// `QIAOLINK_PUBLIC_URL`: the address guests reach qiaolink at, for RSVP links in mail
    /// (default `http://` and the listen address).
    pub public_url: String,
    /// `QIAOLINK_OFFICE_NAME`: who signs the invitations.
    pub office_name: String,
    /// `SMTP_URL`: the mail server, e.g. `smtp://user:password@mail.example.org:587?tls=required`.
    /// When unset, invitation mails are written as files into `QIAOLINK_DATA_DIR/mail`.
    pub smtp_url: Option<String>,
    /// `MAIL_FROM`: the sender of invitations, e.g. `Overseas Affairs Office <invite@example.org>`.
    pub mail_from: String,
}

#[derive(Clone, Debug)]
pub struct SessionConfig {
    /// `QIAOLINK_SESSION_IDLE_MINUTES` (30): a session unused this long ends.
    pub idle: chrono::Duration,
    /// `QIAOLINK_SESSION_MAX_HOURS` (12): a session ends this long after log-in, used or not.
    pub absolute: chrono::Duration,
    /// `QIAOLINK_SECURE_COOKIES` (false): set true when the service is reached over HTTPS,
    /// so browsers send the session cookie over HTTPS only.
    pub secure_cookies: bool,
}

impl Default for SessionConfig {
    fn default() -> SessionConfig {
        SessionConfig {
            idle: chrono::Duration::minutes(30),
            absolute: chrono::Duration::hours(12),
            secure_cookies: false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Limits {
    /// `QIAOLINK_MAX_UPLOAD_MB` (512): the largest import file.
    pub upload_bytes: u64,
    /// The largest body of any other request (forms and JSON).
    pub body_bytes: u64,
    /// `QIAOLINK_REQUEST_TIMEOUT_SECONDS` (60): a request still unanswered after this is stopped.
    pub request_timeout: std::time::Duration,
    /// `QIAOLINK_UPLOAD_TIMEOUT_SECONDS` (1800): the same for imports, sending included.
    pub upload_timeout: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            upload_bytes: 512 * 1024 * 1024,
            body_bytes: 4 * 1024 * 1024,
            request_timeout: std::time::Duration::from_secs(60),
            upload_timeout: std::time::Duration::from_secs(1800),
        }
    }
}

impl Config {
    pub fn from_env() -> anyhow::Result<Config> {
        let database_url = std::env::var("DATABASE_URL").map_err(|_| {
            anyhow::anyhow!("DATABASE_URL is not set: give the PostgreSQL connection string, e.g. postgres://user@localhost/qiaolink")
        })?;
        let listen: SocketAddr = env_or("QIAOLINK_LISTEN", "127.0.0.1:8080")
            .parse()
            .map_err(|e| anyhow::anyhow!("QIAOLINK_LISTEN is not an address like 127.0.0.1:8080: {e}"))?;
        let db_pool_size = env_or("QIAOLINK_DB_POOL", "16")
            .parse()
            .map_err(|e| anyhow::anyhow!("QIAOLINK_DB_POOL is not a number: {e}"))?;
        Ok(Config {
            database_url,
            listen,
            data_dir: PathBuf::from(env_or("QIAOLINK_DATA_DIR", "./data")),
            meili_url: non_empty_env("MEILI_URL"),
            meili_master_key: non_empty_env("MEILI_MASTER_KEY"),
            meili_index: env_or("MEILI_INDEX", "qiaolink"),
            db_pool_size,
            public_url: env_or("QIAOLINK_PUBLIC_URL", &format!("http://{listen}")),
            office_name: env_or("QIAOLINK_OFFICE_NAME", "qiaolink"),
            smtp_url: non_empty_env("SMTP_URL"),
            mail_from: env_or("MAIL_FROM", "qiaolink <invitations@localhost>"),
            limits: Limits {
                upload_bytes: number("QIAOLINK_MAX_UPLOAD_MB", 512)? as u64 * 1024 * 1024,
                request_timeout: std::time::Duration::from_secs(number("QIAOLINK_REQUEST_TIMEOUT_SECONDS", 60)? as u64),
                upload_timeout: std::time::Duration::from_secs(number("QIAOLINK_UPLOAD_TIMEOUT_SECONDS", 1800)? as u64),
                ..Limits::default()
            },
            sessions: SessionConfig {
                idle: chrono::Duration::minutes(number("QIAOLINK_SESSION_IDLE_MINUTES", 30)?),
                absolute: chrono::Duration::hours(number("QIAOLINK_SESSION_MAX_HOURS", 12)?),
                secure_cookies: matches!(env_or("QIAOLINK_SECURE_COOKIES", "false").as_str(), "true" | "1" | "yes"),
            },
        })
    }
}

fn number(name: &str, default: i64) -> anyhow::Result<i64> {
    match non_empty_env(name) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| anyhow::anyhow!("{name} should be a whole number above zero, not \"{v}\"")),
    }
}

fn env_or(name: &str, default: &str) -> String {
    non_empty_env(name).unwrap_or_else(|| default.to_string())
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}
