//! A fresh database per test, cloned from a migrated template, and the app driven
//! in-process.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use http_body_util::BodyExt;
use qiaolink::App;
use qiaolink::auth::Role;
use qiaolink::config::Config;
use serde_json::Value;
use tower::ServiceExt;

/// A PostgreSQL database that may create databases; `./dev test` sets it.
fn admin_url() -> String {
    std::env::var("QIAOLINK_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn url_for(db: &str) -> String {
    let admin = admin_url();
    let (base, _) = admin.rsplit_once('/').expect("the admin URL names a database");
    format!("{base}/{db}")
}

/// The template's name changes with the migrations and the reference data.
fn template_name() -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = walk(&root.join("migrations"));
    files.push(root.join("domain/places.csv"));
    files.sort();
    for f in files {
        std::fs::read(&f).unwrap().hash(&mut hasher);
    }
    format!("qiaolink_tpl_{:x}", hasher.finish())
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

async fn admin() -> AsyncPgConnection {
    AsyncPgConnection::establish(&admin_url())
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL for tests is not reachable ({e}); run the tests with ./dev test"))
}

/// Creates the template once; an advisory lock keeps parallel test processes in line.
async fn ensure_template() -> String {
    let name = template_name();
    let mut conn = admin().await;
    diesel::sql_query("SELECT pg_advisory_lock(727274)")
        .execute(&mut conn)
        .await
        .unwrap();
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let exists: Count = diesel::sql_query(format!("SELECT count(*) AS n FROM pg_database WHERE datname = '{name}'"))
        .get_result(&mut conn)
        .await
        .unwrap();
    if exists.n == 0 {
        let building = format!("{name}_building");
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {building}"))
            .execute(&mut conn)
            .await
            .unwrap();
        diesel::sql_query(format!("CREATE DATABASE {building}"))
            .execute(&mut conn)
            .await
            .unwrap();
        qiaolink::db::migrate(&url_for(&building))
            .await
            .expect("migrations apply to a new database");
        diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    diesel::sql_query("SELECT pg_advisory_unlock(727274)")
        .execute(&mut conn)
        .await
        .unwrap();
    name
}

/// A database of one's own, dropped at the end of the test.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let template = ensure_template().await;
        let name = format!("qiaolink_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = admin().await;
        diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .execute(&mut conn)
            .await
            .unwrap();
        TestDb { url: url_for(&name), name }
    }

    pub async fn conn(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.url).await.unwrap()
    }

    /// A single number from SQL, for checking what was stored.
    pub async fn count(&self, sql: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.conn().await;
        let row: Count = diesel::sql_query(format!("SELECT ({sql})::bigint AS n"))
            .get_result(&mut conn)
            .await
            .unwrap();
        row.n
    }
}

impl TestDb {
    /// Runs a statement, for arranging a situation.
    pub async fn execute(&self, sql: &str) {
        let mut conn = self.conn().await;
        diesel::sql_query(sql).execute(&mut conn).await.unwrap();
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs outside async code; a small runtime of its own does the work.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let mut conn = admin().await;
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await;
            });
        })
        .join();
    }
}

/// The service on a fresh database, driven in-process.
pub struct TestApp {
    pub db: TestDb,
    pub config: Config,
    pub router: Router,
    pub app: Arc<App>,
    _data_dir: tempfile::TempDir,
}

pub struct Response {
    pub status: StatusCode,
    pub body: Value,
    pub bytes: Vec<u8>,
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_search(None).await
    }

    /// The app searching on the Meilisearch server of MEILI_URL (an index of its own),
    /// or None when no server is given.
    pub async fn with_meilisearch() -> Option<TestApp> {
        let url = std::env::var("MEILI_URL").ok().filter(|u| !u.is_empty())?;
        Some(TestApp::with_search(Some(url)).await)
    }

    /// The app configured for a Meilisearch server that does not answer (a closed port).
    pub async fn with_unreachable_meilisearch() -> TestApp {
        TestApp::with_search(Some(format!("http://127.0.0.1:{}", free_port()))).await
    }

    async fn with_search(meili_url: Option<String>) -> TestApp {
        TestApp::with_config(meili_url, |_| {}).await
    }

    /// The app with request limits of its own.
    pub async fn with_limits(limits: qiaolink::config::Limits) -> TestApp {
        TestApp::with_config(None, |c| c.limits = limits).await
    }

    async fn with_config(meili_url: Option<String>, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let db = TestDb::new().await;
        let data_dir = tempfile::tempdir().unwrap();
        let mut config = test_config(&db.url, data_dir.path(), meili_url);
        adjust(&mut config);
        let app: Arc<App> = App::with_mailer(config.clone(), qiaolink::events::mail::Mailer::capture())
            .await
            .unwrap();
        let router = qiaolink::router::build(app.clone());
        TestApp {
            db,
            config,
            router,
            app,
            _data_dir: data_dir,
        }
    }

    /// Serves the app on a free port of the loopback, as `qiaolink serve` does (no workers).
    pub async fn serve(&self) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(qiaolink::server::run(listener, self.router.clone(), std::future::pending()));
        address
    }

    /// Serves the app as [`TestApp::serve`] does, with the search worker running as in
    /// production, so that writes reach the index on their own.
    pub async fn serve_with_search_sync(&self) -> std::net::SocketAddr {
        let address = self.serve().await;
        tokio::spawn(qiaolink::search::worker::run(self.app.pool.clone(), self.app.search.clone()));
        address
    }

    /// Applies the whole search outbox to the index, as the worker would.
    pub async fn sync_search(&self) {
        let mut conn = self.db.conn().await;
        while qiaolink::search::worker::drain_once(&mut conn, &self.app.search).await.unwrap() > 0 {}
    }

    pub async fn token(&self, role: Role) -> String {
        qiaolink::cli::create_token(&self.config, &format!("test {}", role.as_str()), role)
            .await
            .unwrap()
    }

    pub async fn send(&self, method: Method, path: &str, token: Option<&str>, body: Option<Body>) -> Response {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let has_body = body.is_some();
        if has_body {
            req = req.header("content-type", "application/json");
        }
        let response = self
            .router
            .clone()
            .oneshot(req.body(body.unwrap_or_else(Body::empty)).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes().to_vec();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Response { status, body, bytes }
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.send(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Response {
        self.send(Method::POST, path, Some(token), Some(Body::from(body.to_string()))).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Response {
        self.send(Method::PATCH, path, Some(token), Some(Body::from(body.to_string())))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.send(Method::DELETE, path, Some(token), None).await
    }

    /// Imports files through the command-line path.
    pub async fn import(&self, files: &[PathBuf], strict: bool) -> qiaolink::import::Report {
        qiaolink::cli::import(&self.config, files, strict, false, false).await.unwrap()
    }
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Writes a file into a fresh folder and returns its path (the folder lives as long as the guard).
pub fn write_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// The `qiaolink` program itself, set up for a test database and a data folder.
pub fn qiaolink_command(database_url: &str, data_dir: &std::path::Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_qiaolink"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("QIAOLINK_DATA_DIR", data_dir)
        .current_dir(data_dir);
    command
}

/// A free port on the loopback interface.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Waits until a server answers `GET /healthz`.
pub async fn wait_until_up(base: &str) {
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("{base}/healthz")).await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the server at {base} did not come up");
}

/// The settings of a test app: a small pool, captured mail, a search index of its own.
pub fn test_config(database_url: &str, data_dir: &std::path::Path, meili_url: Option<String>) -> Config {
    Config {
        database_url: database_url.to_string(),
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.to_path_buf(),
        meili_master_key: std::env::var("MEILI_MASTER_KEY").ok().filter(|_| meili_url.is_some()),
        meili_url,
        meili_index: format!("qiaolink_test_{}", uuid::Uuid::new_v4().simple()),
        db_pool_size: 4,
        sessions: Default::default(),
        limits: Default::default(),
        public_url: "http://127.0.0.1".into(),
        office_name: "Test Office".into(),
        smtp_url: None,
        mail_from: "Test Office <office@example.org>".into(),
    }
}
