//! Faults the service must survive: PostgreSQL restarting under load, the process killed
//! in the middle of an import, clients that send too much or too slowly. (The search
//! backend down is in `search.rs`.)

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::Method;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{TestApp, free_port, qiaolink_command, test_config};
use qiaolink::auth::Role;
use qiaolink::config::Limits;

/// A PostgreSQL server of the test's own, so it can be restarted without disturbing the
/// other tests.
struct PrivateCluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

impl PrivateCluster {
    fn start() -> PrivateCluster {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL's server programs are installed")
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|p| p.join("initdb").exists())
            .max()
            .expect("initdb is installed");
        let dir = tempfile::tempdir().unwrap();
        let cluster = PrivateCluster { bin, dir, port: free_port() };
        if is_root() {
            // PostgreSQL refuses to run as root.
            run(Command::new("chown").args(["-R", "postgres"]).arg(cluster.dir.path()));
        }
        run(cluster
            .as_owner("initdb")
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "-D"])
            .arg(cluster.data()));
        cluster.pg_ctl("start");
        cluster
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    fn as_owner(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    /// `start`, `restart` or `stop`; waits until it is done.
    fn pg_ctl(&self, action: &str) {
        let options = format!("-p {} -k {} -c listen_addresses=127.0.0.1", self.port, self.dir.path().display());
        run(self
            .as_owner("pg_ctl")
            .args(["-D"])
            .arg(self.data())
            .args(["-l"])
            .arg(self.dir.path().join("server.log"))
            .args(["-w", "-m", "fast", "-o", &options, action]));
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let _ = self
            .as_owner("pg_ctl")
            .args(["-D"])
            .arg(self.data())
            .args(["-m", "immediate", "stop"])
            .output();
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false)
}

fn run(command: &mut Command) {
    let out = command.output().unwrap();
    assert!(out.status.success(), "{command:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// What one request under load came to.
struct Outcome {
    status: u16,
    code: String,
    took: Duration,
    created: Option<String>,
}

#[tokio::test]
async fn postgres_restarted_under_load_no_request_hangs_and_the_pool_recovers() {
    // What the pool and the handlers log is shown when the test fails.
    let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("warn").try_init();
    let cluster = tokio::task::spawn_blocking(PrivateCluster::start).await.unwrap();
    let mut conn = qiaolink::db::connect(&cluster.url("postgres")).await.unwrap();
    diesel_async::RunQueryDsl::execute(diesel::sql_query("CREATE DATABASE qiaolink"), &mut conn)
        .await
        .unwrap();
    drop(conn);
    let url = cluster.url("qiaolink");
    qiaolink::db::migrate(&url).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    let config = test_config(&url, data.path(), None);
    let officer = qiaolink::cli::create_token(&config, "load", Role::Officer).await.unwrap();
    let app = qiaolink::App::with_mailer(config, qiaolink::events::mail::Mailer::capture())
        .await
        .unwrap();
    let router = qiaolink::router::build(app.clone());

    let started = Instant::now();
    let restart_at = Duration::from_secs(2);
    let stop_at = Duration::from_secs(9);
    let mut clients = Vec::new();
    for client in 0..6 {
        let (router, officer) = (router.clone(), officer.clone());
        clients.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            let mut n = 0;
            while started.elapsed() < stop_at {
                n += 1;
                let (method, path, body) = if n % 2 == 0 {
                    let person = json!({"name_zh": "黃志明", "country": "US", "external_id": format!("load-{client}-{n}")});
                    (Method::POST, "/api/v1/people".to_string(), Some(person.to_string()))
                } else {
                    (Method::GET, "/api/v1/people?country=US&limit=5".to_string(), None)
                };
                let req = axum::http::Request::builder()
                    .method(method)
                    .uri(path)
                    .header("authorization", format!("Bearer {officer}"))
                    .header("content-type", "application/json");
                let body = body.map(axum::body::Body::from).unwrap_or_else(axum::body::Body::empty);
                let req = req.body(body).unwrap();
                let t = Instant::now();
                // Far beyond any limit the pool sets: reaching it means a request hung.
                let response = tokio::time::timeout(Duration::from_secs(30), tower::ServiceExt::oneshot(router.clone(), req))
                    .await
                    .expect("a request hung while PostgreSQL restarted")
                    .unwrap();
                let status = response.status().as_u16();
                let bytes = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
                let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
                outcomes.push(Outcome {
                    status,
                    code: body["error"]["code"].as_str().unwrap_or("").to_string(),
                    took: t.elapsed(),
                    created: (status == 201).then(|| body["id"].as_str().unwrap().to_string()),
                });
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            outcomes
        }));
    }
    tokio::time::sleep(restart_at).await;
    let cluster = Arc::new(cluster);
    let restarting = cluster.clone();
    tokio::task::spawn_blocking(move || restarting.pg_ctl("restart")).await.unwrap();
    let restarted = started.elapsed();
    let mut outcomes = Vec::new();
    for c in clients {
        outcomes.extend(c.await.unwrap());
    }

    let slowest = outcomes.iter().map(|o| o.took).max().unwrap();
    assert!(slowest < Duration::from_secs(20), "a request took {slowest:?}");
    for o in &outcomes {
        assert!(
            (200..300).contains(&o.status) || (o.status == 503 && o.code == "unavailable"),
            "a request failed with {} {} instead of succeeding or saying the database is unavailable",
            o.status,
            o.code
        );
    }
    let failed = outcomes.iter().filter(|o| o.status == 503).count();
    let ok = outcomes.len() - failed;
    eprintln!("PostgreSQL restarted after {restarted:?}: {ok} requests answered, {failed} told the database was unavailable, slowest {slowest:?}");
    assert!(ok > 50, "{ok} requests succeeded");
    assert!(failed > 0, "no request met the restart: the test did not test it");
    // Once the server is back, the pool hands out working connections again: the last
    // second of requests all succeeded.
    assert!(stop_at > restarted + Duration::from_secs(3), "the restart took too long to leave time to recover");
    let mut tail: Vec<&Outcome> = outcomes.iter().rev().take(30).collect();
    tail.retain(|o| o.status >= 300);
    assert!(tail.is_empty(), "requests still failing after the restart: {}", tail.len());
    // Every write that was answered 201 is stored.
    let created: Vec<&String> = outcomes.iter().filter_map(|o| o.created.as_ref()).collect();
    let mut conn = qiaolink::db::connect(&url).await.unwrap();
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let ids: Vec<uuid::Uuid> = created.iter().map(|id| id.parse().unwrap()).collect();
    let stored: Count = diesel_async::RunQueryDsl::get_result(
        diesel::sql_query("SELECT count(*) AS n FROM people WHERE id = ANY($1)").bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(&ids),
        &mut conn,
    )
    .await
    .unwrap();
    assert_eq!(stored.n as usize, ids.len(), "a write answered 201 was lost");
    drop(app);
}

#[tokio::test]
async fn an_import_killed_midway_leaves_nothing_and_running_it_again_completes_it() {
    let app = TestApp::new().await;
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("demo.jsonl");
    let written = qiaolink::cli::write_demo(&file, 4000, 3).unwrap();
    let mut import = qiaolink_command(&app.db.url, data.path())
        .arg("import")
        .arg(&file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once it is writing people: its transaction then holds a lock on the table.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let writing = app
            .db
            .count(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
                 WHERE c.relname = 'people' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()",
            )
            .await;
        if writing > 0 {
            break;
        }
        assert!(import.try_wait().unwrap().is_none(), "the import finished before it could be killed");
        assert!(Instant::now() < deadline, "the import never started writing");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    import.kill().unwrap();
    import.wait().unwrap();
    // PostgreSQL notices the broken connection and rolls its transaction back.
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.db.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()").await > 0 {
        assert!(Instant::now() < deadline, "the killed import's session lingers");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let tables = [
        "organizations", "organization_hometowns", "people", "memberships", "interactions", "interaction_people",
        "person_keys", "duplicate_queue", "consent_events", "import_runs", "search_outbox", "audit_log",
    ];
    for table in tables {
        assert_eq!(app.db.count(&format!("SELECT count(*) FROM {table}")).await, 0, "{table} holds a part of the killed import");
    }

    let report = app.import(&[file], false).await;
    assert!(report.stored);
    assert_eq!(report.counts["person"].created as usize, written.people);
    assert_eq!(app.db.count("SELECT count(*) FROM people").await as usize, written.people);
    assert_eq!(app.db.count("SELECT count(*) FROM organizations").await as usize, written.organizations);
}

fn limits(upload_bytes: u64, body_bytes: u64, timeout: Duration) -> Limits {
    Limits {
        upload_bytes,
        body_bytes,
        request_timeout: timeout,
        upload_timeout: timeout,
    }
}

#[tokio::test]
async fn an_upload_over_the_limit_is_refused_with_413_in_words_and_nothing_is_stored() {
    let app = TestApp::with_limits(limits(64 * 1024, 16 * 1024, Duration::from_secs(30))).await;
    let officer = app.token(Role::Officer).await;
    let line = r#"{"type":"person","name_zh":"黃志明","country":"US"}"#;
    let big: String = std::iter::repeat_n(format!("{line}\n"), 2000).collect();
    // With its length declared: refused before it is read.
    let r = app
        .send(Method::POST, "/api/v1/imports?filename=people.jsonl", Some(&officer), Some(big.clone().into()))
        .await;
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(r.body["error"]["code"], "too_large");
    assert_eq!(
        r.body["error"]["message"],
        "the upload is too large: the limit is 64 KB; split the file into smaller ones"
    );
    // Streamed without a length: cut off at the limit.
    let chunks: Vec<Result<String, std::io::Error>> = big.lines().map(|l| Ok(format!("{l}\n"))).collect();
    let streamed = axum::body::Body::from_stream(futures::stream::iter(chunks));
    let r = app
        .send(Method::POST, "/api/v1/imports?filename=people.jsonl", Some(&officer), Some(streamed))
        .await;
    assert_eq!(r.status, 413, "{}", String::from_utf8_lossy(&r.bytes));
    assert_eq!(r.body["error"]["code"], "too_large");
    assert_eq!(app.db.count("SELECT count(*) FROM people").await, 0);
    // Other requests have a smaller allowance than imports.
    let notes = "x".repeat(20 * 1024);
    let r = app
        .post("/api/v1/people", &officer, json!({"name_zh": "黃志明", "country": "US", "notes": notes}))
        .await;
    assert_eq!(r.status, 413);
    // Under the limits all is as before.
    let small: String = std::iter::repeat_n(format!("{line}\n"), 10).collect();
    let r = app
        .send(Method::POST, "/api/v1/imports?filename=people.jsonl", Some(&officer), Some(small.into()))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(app.db.count("SELECT count(*) FROM people").await, 10);
}

/// The real server on a real socket: a client that stops half-way is cut off.
#[tokio::test]
async fn slow_clients_are_cut_off_with_a_clear_answer_or_a_closed_connection() {
    let app = TestApp::with_limits(limits(1024 * 1024, 64 * 1024, Duration::from_secs(2))).await;
    let officer = app.token(Role::Officer).await;
    let address = app.serve().await;

    // A body that never arrives in full: the request is stopped at its time limit.
    let mut slow = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /api/v1/imports?filename=people.jsonl HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {officer}\r\n\
         content-length: 1000\r\n\r\n{{\"type\":\"person\","
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    let t = Instant::now();
    let answer = read_answer(&mut slow, Duration::from_secs(15)).await;
    assert!(t.elapsed() < Duration::from_secs(6), "answered after {:?}", t.elapsed());
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("took longer than 2 seconds"), "{answer}");

    // Headers that never end: the connection is closed.
    let mut silent = tokio::net::TcpStream::connect(address).await.unwrap();
    silent.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n").await.unwrap();
    let t = Instant::now();
    let answer = read_answer(&mut silent, qiaolink::server::HEADER_TIMEOUT + Duration::from_secs(10)).await;
    let took = t.elapsed();
    assert!(
        took >= qiaolink::server::HEADER_TIMEOUT - Duration::from_secs(1) && took < qiaolink::server::HEADER_TIMEOUT + Duration::from_secs(5),
        "closed after {took:?}: {answer}"
    );
    // And the server goes on answering others.
    let r = reqwest::get(format!("http://{address}/healthz")).await.unwrap();
    assert_eq!(r.status(), 200);
}

/// Reads until the server closes the connection or `wait` passes; what was read.
async fn read_answer(stream: &mut tokio::net::TcpStream, wait: Duration) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server neither answered nor closed within {wait:?}"),
        }
        if out.windows(4).any(|w| w == b"\r\n\r\n") && out.ends_with(b"}") {
            break;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
