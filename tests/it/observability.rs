//! What operators see: Prometheus metrics and JSON logs, and that no personal data or
//! search reaches the log.

use serde_json::{Value, json};

use crate::helpers::{TestApp, free_port, qiaolink_command, wait_until_up};
use qiaolink::auth::Role;

#[tokio::test]
async fn metrics_count_requests_by_route_and_report_queues_and_the_pool() {
    let app = TestApp::new().await;
    let officer = app.token(Role::Officer).await;
    let created = app
        .post("/api/v1/people", &officer, json!({"name_zh": "黃志明", "country": "US"}))
        .await;
    let id = created.body["id"].as_str().unwrap().to_string();
    app.get(&format!("/api/v1/people/{id}"), &officer).await;
    app.get("/no/such/page", &officer).await;
    let report = app
        .send(
            axum::http::Method::POST,
            "/api/v1/imports?filename=people.jsonl",
            Some(&officer),
            Some(r#"{"type":"person","name_zh":"譚振漢","country":"CA"}"#.into()),
        )
        .await;
    assert_eq!(report.body["stored"], true, "{}", report.body);

    let r = app.send(axum::http::Method::GET, "/metrics", None, None).await;
    assert_eq!(r.status, 200);
    let text = String::from_utf8(r.bytes).unwrap();
    let value = |series: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')))
            .unwrap_or_else(|| panic!("no series {series} in\n{text}"))
            .parse()
            .unwrap()
    };
    // Counters are per process and other tests run beside this one: at least ours.
    assert!(value(r#"qiaolink_http_requests_total{method="POST",route="/api/v1/people",status="201"}"#) >= 1.0);
    assert!(value(r#"qiaolink_http_requests_total{method="GET",route="/api/v1/people/{id}",status="200"}"#) >= 1.0);
    assert!(value(r#"qiaolink_http_requests_total{method="GET",route="unmatched",status="404"}"#) >= 1.0);
    assert!(!text.contains(&id), "a record id made a series of its own");
    assert!(value(r#"qiaolink_http_request_duration_seconds_count{method="GET",route="/api/v1/people/{id}"}"#) >= 1.0);
    assert!(text.contains(r#"qiaolink_http_request_duration_seconds_bucket{le="0.001",method="GET",route="/api/v1/people/{id}"}"#)
        || text.contains(r#"qiaolink_http_request_duration_seconds_bucket{method="GET",route="/api/v1/people/{id}",le="0.001"}"#));
    assert!(value(r#"qiaolink_imports_total{outcome="stored"}"#) >= 1.0);
    assert!(value(r#"qiaolink_import_records_total{record_type="person",outcome="created"}"#) >= 1.0);
    // Read from this app's database at scrape time: exactly its two people await the index.
    assert_eq!(value("qiaolink_search_outbox_pending"), 2.0);
    assert!(value("qiaolink_search_sync_lag_seconds") >= 0.0);
    assert_eq!(value("qiaolink_mail_outbox_pending"), 0.0);
    assert_eq!(value("qiaolink_db_pool_max"), app.config.db_pool_size as f64);
    app.sync_search().await;
    let text = String::from_utf8(app.send(axum::http::Method::GET, "/metrics", None, None).await.bytes).unwrap();
    assert!(text.contains("\nqiaolink_search_outbox_pending 0\n"), "{text}");
    assert!(text.contains("qiaolink_search_index_updates_total{outcome=\"applied\"}"));
}

/// The real program at its most talkative log level, fed personal data through every
/// door: none of it may appear in a log line, and every request leaves one JSON line
/// with its id.
#[tokio::test]
async fn no_name_e_mail_phone_or_search_reaches_the_log() {
    let app = TestApp::new().await;
    let admin = app.token(Role::Admin).await;
    let data = tempfile::tempdir().unwrap();
    let log_path = data.path().join("server.log");
    let port = free_port();
    let mut server = qiaolink_command(&app.db.url, data.path())
        .args(["serve"])
        .env("QIAOLINK_LISTEN", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "debug")
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    wait_until_up(&base).await;

    let secrets = [
        "鄺瀚霖",
        "Kwong Hon Lam",
        "Quillonvexmoor",
        "quillon.vexmoor@example.net",
        "4155550199",
        "555-0199",
        "Zephyrine",
        "xylo-search",
    ];
    let http = reqwest::Client::new();
    let call = |method: reqwest::Method, path: &str, body: Option<Value>| {
        let mut req = http.request(method, format!("{base}{path}")).bearer_auth(&admin);
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send()
    };
    let person = json!({
        "name_zh": "鄺瀚霖", "name_latin": "Kwong Hon Lam", "other_names": ["Quillonvexmoor"],
        "email": "quillon.vexmoor@example.net", "phone": "+1 415 555-0199", "country": "US",
    });
    let created: Value = call(reqwest::Method::POST, "/api/v1/people", Some(person.clone()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().expect("created").to_string();
    // The same e-mail again, an invalid phone, a search, a filter in the query string.
    call(reqwest::Method::POST, "/api/v1/people", Some(person)).await.unwrap();
    call(
        reqwest::Method::PATCH,
        &format!("/api/v1/people/{id}"),
        Some(json!({"phone": "Zephyrine 4155550199x"})),
    )
    .await
    .unwrap();
    call(reqwest::Method::POST, "/api/v1/search", Some(json!({"q": "xylo-search Quillonvexmoor"})))
        .await
        .unwrap();
    call(reqwest::Method::GET, "/api/v1/people?external_id=xylo-search", None).await.unwrap();
    call(reqwest::Method::GET, &format!("/search?q=Zephyrine+{}", "quillon.vexmoor@example.net"), None)
        .await
        .unwrap();
    http.post(format!("{base}/api/v1/imports?filename=people.csv"))
        .bearer_auth(&admin)
        .body("name_zh,name_latin,email,country\n鄺瀚霖,Zephyrine Quillonvexmoor,bad@@example.net,US\n")
        .send()
        .await
        .unwrap();
    call(reqwest::Method::GET, &format!("/api/v1/people/{id}/data"), None).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await; // the workers' turn
    let _ = server.kill();
    let _ = server.wait();

    let log = std::fs::read_to_string(&log_path).unwrap();
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut requests = 0;
    for line in &lines {
        for secret in secrets {
            assert!(!line.contains(secret), "\"{secret}\" reached the log:\n{line}");
        }
        let Ok(entry) = serde_json::from_str::<Value>(line) else {
            // The one plain line is the banner for whoever starts the program by hand.
            assert!(line.starts_with("qiaolink is serving on"), "not a JSON log line:\n{line}");
            continue;
        };
        if entry["fields"]["message"] == "finished processing request" {
            requests += 1;
            assert!(entry["span"]["request_id"].as_str().is_some_and(|id| id.len() == 36), "{line}");
            assert!(entry["span"]["route"].is_string(), "{line}");
        }
    }
    assert!(requests >= 9, "each request leaves a line: {requests} in\n{log}");
}
