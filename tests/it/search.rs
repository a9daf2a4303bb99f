//! The search conformance suite: the same searches and expected answers for every
//! backend. It runs on the embedded index always, and on Meilisearch when MEILI_URL is set.

use qiaolink::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, fixture};

/// A search and what must come back.
struct Case {
    why: &'static str,
    q: &'static str,
    record_type: Option<&'static str>,
    filters: Value,
    /// Every one of these within the first `within` hits.
    expect: &'static [&'static str],
    within: usize,
    /// None of these anywhere in the hits.
    exclude: &'static [&'static str],
}

fn case(why: &'static str, q: &'static str, expect: &'static [&'static str]) -> Case {
    Case { why, q, record_type: None, filters: json!({}), expect, within: 10, exclude: &[] }
}

fn cases() -> Vec<Case> {
    vec![
        case("Chinese name as written", "黃志明", &["s-01"]),
        case("simplified query, traditional record", "黄志明", &["s-01"]),
        case("a surname naive converters get wrong", "余坤焯", &["s-11"]),
        case("Cantonese romanization of a record with only its Chinese name", "Tam Chun Hon", &["s-04"]),
        case("pinyin of a record written in Cantonese", "Huang Zhiming", &["s-01"]),
        case("Latin name in another case and hyphenation", "cheung hoi kei", &["s-06"]),
        case("given name joined", "Wong Chiming", &["s-01"]),
        case("surname last, hyphen capitalised", "Chi-Ming Wong", &["s-01"]),
        case("Taishanese spelling for the Cantonese one", "Tam Fan Chui", &["s-05"]),
        case("Taishanese spelling found from the Chinese surname", "梅家傑", &["s-14"]),
        case("compound surname split", "Sze To Wai Man", &["s-07"]),
        case("compound surname typed in Chinese, as one types", "司徒蔚", &["s-10"]),
        case("married name found by the woman's own surname and given name", "方安生", &["s-08"]),
        case("one spelling, two surnames", "Wong Siu Ling", &["s-02", "s-03"]),
        case("Vietnamese name typed without diacritics", "Lam Tinh Thu", &["s-12"]),
        case("Spanish double surname", "Erasmo Wong", &["s-13"]),
        case("a typo in a long word", "Cornelus Lee", &["s-09"]),
        case("the first letters of a rare name", "Corne", &["s-09"]),
        case("an association by its English name", "Ning Yung", &["o-ningyung"]),
        case("an association in simplified characters", "宁阳会馆", &["o-ningyung"]),
        case("an association by its abbreviation", "LKTYA", &["o-lung-kong"]),
        Case { record_type: Some("organization"), ..case("organizations of a county by its old spelling", "Hoiping", &["o-hoiping-toronto"]) },
        Case { record_type: Some("person"), ..case("people of a county, a town's people included", "Toisan", &["s-01", "s-04", "s-05", "s-11", "s-14", "s-15"]) },
        Case { filters: json!({"country": ["HK"]}), exclude: &["s-03", "s-01"], ..case("a filter removes the same spelling elsewhere", "Wong", &["s-02"]) },
        Case { filters: json!({"hometown": ["Kaiping"]}), exclude: &["s-01", "s-04"], ..case("a hometown filter in any spelling", "", &["s-02", "s-07", "s-10", "s-13"]) },
        Case { record_type: Some("person"), filters: json!({"country": ["US"]}), exclude: &["s-16"], ..case("Taishanese Ong is 鄧 too", "Ong", &["s-15"]) },
    ]
}

/// Runs every case; returns what failed, in words.
async fn failures(app: &TestApp, token: &str) -> Vec<String> {
    let mut failed = Vec::new();
    for c in cases() {
        let body = json!({"q": c.q, "type": c.record_type, "filters": c.filters, "limit": 50});
        let r = app.post("/api/v1/search", token, body).await;
        if r.status != 200 {
            failed.push(format!("{}: {:?} answered {} {}", c.why, c.q, r.status, r.body));
            continue;
        }
        let ids: Vec<&str> = r.body["hits"].as_array().unwrap().iter().map(|h| h["external_id"].as_str().unwrap_or("")).collect();
        for e in c.expect {
            match ids.iter().position(|i| i == e) {
                Some(rank) if rank < c.within => {}
                Some(rank) => failed.push(format!("{}: {:?} ranks {e} at {}", c.why, c.q, rank + 1)),
                None => failed.push(format!("{}: {:?} misses {e} (got {:?})", c.why, c.q, &ids[..ids.len().min(10)])),
            }
        }
        for x in c.exclude {
            if ids.contains(x) {
                failed.push(format!("{}: {:?} returns {x}, which the filter should remove", c.why, c.q));
            }
        }
    }
    failed
}

async fn loaded(app: &TestApp) -> String {
    let report = app.import(&[fixture("search.jsonl")], true).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    app.sync_search().await;
    app.token(Role::Viewer).await
}

#[tokio::test]
async fn conformance_on_the_embedded_index() {
    let app = TestApp::new().await;
    let token = loaded(&app).await;
    let failed = failures(&app, &token).await;
    assert!(failed.is_empty(), "{} of {} cases failed:\n{}", failed.len(), cases().len(), failed.join("\n"));
}

#[tokio::test]
async fn conformance_on_meilisearch() {
    let Some(app) = TestApp::with_meilisearch().await else {
        println!("skipped: MEILI_URL is not set, so the suite did not run against Meilisearch");
        return;
    };
    let token = loaded(&app).await;
    let failed = failures(&app, &token).await;
    assert!(failed.is_empty(), "{} of {} cases failed on Meilisearch:\n{}", failed.len(), cases().len(), failed.join("\n"));
}

#[tokio::test]
async fn hits_say_which_name_matched_and_facets_count_the_matches() {
    let app = TestApp::new().await;
    let token = loaded(&app).await;
    let r = app.post("/api/v1/search", &token, json!({"q": "Huang Zhiming"})).await;
    let hit = &r.body["hits"][0];
    assert_eq!(hit["external_id"], "s-01");
    assert_eq!(hit["matched"]["name"], "黃志明");
    assert_eq!(hit["matched"]["how"], "reading");
    let r = app.post("/api/v1/search", &token, json!({"q": "Wong", "type": "person"})).await;
    let facets = &r.body["facets"]["country"];
    assert_eq!(facets["US"], 3, "{}", r.body);
    assert_eq!(facets["HK"], 1);
    assert_eq!(r.body["total"], 6);
    assert!(r.body["took_ms"].is_number());
}

#[tokio::test]
async fn writes_reach_the_index_through_the_outbox_and_deletes_leave_it() {
    let app = TestApp::new().await;
    let token = loaded(&app).await;
    let officer = app.token(Role::Officer).await;
    let created = app.post("/api/v1/people", &officer, json!({"external_id": "s-new", "name_zh": "甄迪兆", "country": "US"})).await;
    let id = created.body["id"].as_str().unwrap().to_string();
    let find = |q: &'static str| {
        let app = &app;
        let token = token.clone();
        async move { app.post("/api/v1/search", &token, json!({"q": q})).await.body["total"].as_u64().unwrap() }
    };
    assert_eq!(find("甄迪兆").await, 0, "not searchable before the worker runs");
    app.sync_search().await;
    assert_eq!(find("甄迪兆").await, 1);
    assert_eq!(find("Yan Tik Shiu").await, 1, "found by its Cantonese reading");
    app.patch(&format!("/api/v1/people/{id}"), &officer, json!({"name_zh": "甄美玲"})).await;
    app.sync_search().await;
    assert_eq!(find("甄迪兆").await, 0);
    assert_eq!(find("甄美玲").await, 1);
    app.delete(&format!("/api/v1/people/{id}"), &officer).await;
    app.sync_search().await;
    assert_eq!(find("甄美玲").await, 0);
    assert_eq!(app.db.count("SELECT count(*) FROM search_outbox").await, 0);
}

#[tokio::test]
async fn bad_search_requests_are_answered_clearly() {
    let app = TestApp::new().await;
    let token = app.token(Role::Viewer).await;
    let r = app.post("/api/v1/search", &token, json!({"q": "x", "type": "people"})).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["error"]["fields"][0]["field"], "type");
    let r = app.post("/api/v1/search", &token, json!({"q": "x", "filters": {"hometown": ["Atlantis"]}})).await;
    assert_eq!(r.status, 422);
    let r = app.post("/api/v1/search", &token, json!({"q": 5})).await;
    assert_eq!(r.status, 400);
    let r = app.send(axum::http::Method::POST, "/api/v1/search", None, Some(json!({"q": "x"}).to_string().into())).await;
    assert_eq!(r.status, 401);
}
