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
    Case {
        why,
        q,
        record_type: None,
        filters: json!({}),
        expect,
        within: 10,
        exclude: &[],
    }
}

fn cases() -> Vec<Case> {
    vec![
        case("Chinese name as written", "黃志明", &["s-01"]),
        case("simplified query, traditional record", "黄志明", &["s-01"]),
        case("a surname naive converters get wrong", "余坤焯", &["s-11"]),
        case(
            "Cantonese romanization of a record with only its Chinese name",
            "Tam Chun Hon",
            &["s-04"],
        ),
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
        Case {
            record_type: Some("organization"),
            ..case("organizations of a county by its old spelling", "Hoiping", &["o-hoiping-toronto"])
        },
        Case {
            record_type: Some("person"),
            ..case(
                "people of a county, a town's people included",
                "Toisan",
                &["s-01", "s-04", "s-05", "s-11", "s-14", "s-15"],
            )
        },
        Case {
            filters: json!({"country": ["HK"]}),
            exclude: &["s-03", "s-01"],
            ..case("a filter removes the same spelling elsewhere", "Wong", &["s-02"])
        },
        Case {
            filters: json!({"hometown": ["Kaiping"]}),
            exclude: &["s-01", "s-04"],
            ..case("a hometown filter in any spelling", "", &["s-02", "s-07", "s-10", "s-13"])
        },
        Case {
            record_type: Some("person"),
            filters: json!({"country": ["US"]}),
            exclude: &["s-16"],
            ..case("Taishanese Ong is 鄧 too", "Ong", &["s-15"])
        },
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
        let ids: Vec<&str> = r.body["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["external_id"].as_str().unwrap_or(""))
            .collect();
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
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n{}",
        failed.len(),
        cases().len(),
        failed.join("\n")
    );
}

#[tokio::test]
async fn conformance_on_meilisearch() {
    let Some(app) = TestApp::with_meilisearch().await else {
        println!("skipped: MEILI_URL is not set, so the suite did not run against Meilisearch");
        return;
    };
    let token = loaded(&app).await;
    let failed = failures(&app, &token).await;
    assert!(
        failed.is_empty(),
        "{} of {} cases failed on Meilisearch:\n{}",
        failed.len(),
        cases().len(),
        failed.join("\n")
    );
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
    let r = app
        .post("/api/v1/search", &token, json!({"q": "Wong Toisan", "type": "person"}))
        .await;
    let hit = &r.body["hits"][0];
    assert_eq!(hit["external_id"], "s-01", "{}", r.body);
    assert_eq!(hit["matched"]["how"], "as_written", "the hometown word does not make it a reading");
    let r = app.post("/api/v1/search", &token, json!({"q": "Wong", "type": "person"})).await;
    let facets = &r.body["facets"]["country"];
    assert_eq!(facets["US"], 3, "{}", r.body);
    assert_eq!(facets["HK"], 1);
    assert_eq!(r.body["total"], 6);
    assert!(r.body["took_ms"].is_number());
    let typing = app
        .post("/api/v1/search", &token, json!({"q": "Wong", "type": "person", "facets": false}))
        .await;
    assert_eq!(typing.body["hits"], r.body["hits"], "the same hits without facet counts");
    assert_eq!(typing.body["total"], 6);
    assert!(typing.body["facets"].as_object().unwrap().is_empty());
}

#[tokio::test]
async fn writes_reach_the_index_through_the_outbox_and_deletes_leave_it() {
    let app = TestApp::new().await;
    let token = loaded(&app).await;
    let officer = app.token(Role::Officer).await;
    let created = app
        .post(
            "/api/v1/people",
            &officer,
            json!({"external_id": "s-new", "name_zh": "甄迪兆", "country": "US"}),
        )
        .await;
    let id = created.body["id"].as_str().unwrap().to_string();
    let find = |q: &'static str| {
        let app = &app;
        let token = token.clone();
        async move {
            app.post("/api/v1/search", &token, json!({"q": q})).await.body["total"]
                .as_u64()
                .unwrap()
        }
    };
    assert_eq!(find("甄迪兆").await, 0, "not searchable before the worker runs");
    app.sync_search().await;
    assert_eq!(find("甄迪兆").await, 1);
    assert_eq!(find("Yan Tik Shiu").await, 1, "found by its Cantonese reading");
    app.patch(&format!("/api/v1/people/{id}"), &officer, json!({"name_zh": "甄美玲"}))
        .await;
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
    let r = app
        .post("/api/v1/search", &token, json!({"q": "x", "filters": {"hometown": ["Atlantis"]}}))
        .await;
    assert_eq!(r.status, 422);
    let r = app.post("/api/v1/search", &token, json!({"q": 5})).await;
    assert_eq!(r.status, 400);
    let r = app
        .send(
            axum::http::Method::POST,
            "/api/v1/search",
            None,
            Some(json!({"q": "x"}).to_string().into()),
        )
        .await;
    assert_eq!(r.status, 401);
}

/// Sets the embedded index down or up.
fn outage(app: &TestApp, down: bool) {
    match &*app.app.search {
        qiaolink::search::SearchIndex::Embedded(e) => e.simulate_outage(down),
        qiaolink::search::SearchIndex::Meili(_) => unreachable!("these tests run on the embedded index"),
    }
}

#[tokio::test]
async fn while_search_is_down_writes_succeed_search_says_so_and_the_index_catches_up() {
    let app = TestApp::new().await;
    let token = loaded(&app).await;
    let officer = app.token(Role::Officer).await;
    outage(&app, true);
    let created = app
        .post("/api/v1/people", &officer, json!({"name_zh": "甄迪兆", "country": "US"}))
        .await;
    assert_eq!(created.status, 201, "writes do not depend on the index");
    let r = app.post("/api/v1/search", &token, json!({"q": "甄迪兆"})).await;
    assert_eq!(r.status, 503);
    assert_eq!(r.body["error"]["code"], "search_unavailable");
    let mut conn = app.db.conn().await;
    assert!(qiaolink::search::worker::drain_once(&mut conn, &app.app.search).await.is_err());
    assert_eq!(
        app.db
            .count("SELECT count(*) FROM search_outbox WHERE attempts = 1 AND last_error IS NOT NULL")
            .await,
        1,
        "kept for a retry"
    );
    outage(&app, false);
    // The retry is due after the backoff; make it due now.
    app.db.execute("UPDATE search_outbox SET next_attempt_at = now()").await;
    app.sync_search().await;
    let r = app.post("/api/v1/search", &token, json!({"q": "甄迪兆"})).await;
    assert_eq!(r.body["total"], 1);
}

/// Random interleavings of creates, updates, deletes, memberships and index outages,
/// then the index must hold exactly what the database holds.
#[tokio::test]
async fn after_any_interleaving_of_writes_and_failures_the_index_equals_the_database() {
    use rand::{RngExt, SeedableRng};
    let surnames = ["黃", "陳", "譚", "司徒", "余", "梅", "甄", "鄺"];
    let given = ["志明", "美玲", "國強", "進漢", "嘉欣", "少芬"];
    for seed in 0..3u64 {
        let app = TestApp::new().await;
        let officer = app.token(Role::Officer).await;
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let org = app
            .post(
                "/api/v1/organizations",
                &officer,
                json!({"name_zh": "寧陽會館", "kind": "hometown_association", "country": "US"}),
            )
            .await;
        let org_id = org.body["id"].as_str().unwrap().to_string();
        let mut people: Vec<String> = Vec::new();
        let mut conn = app.db.conn().await;
        for _ in 0..60 {
            let name = format!(
                "{}{}",
                surnames[rng.random_range(0..surnames.len())],
                given[rng.random_range(0..given.len())]
            );
            match rng.random_range(0..10) {
                0..=3 => {
                    let r = app
                        .post("/api/v1/people", &officer, json!({"name_zh": name, "country": "CA"}))
                        .await;
                    people.push(r.body["id"].as_str().unwrap().to_string());
                }
                4 | 5 if !people.is_empty() => {
                    let id = &people[rng.random_range(0..people.len())];
                    app.patch(&format!("/api/v1/people/{id}"), &officer, json!({"name_zh": name})).await;
                }
                6 if !people.is_empty() => {
                    let id = people.swap_remove(rng.random_range(0..people.len()));
                    app.delete(&format!("/api/v1/people/{id}"), &officer).await;
                }
                7 if !people.is_empty() => {
                    let id = &people[rng.random_range(0..people.len())];
                    app.post(
                        "/api/v1/memberships",
                        &officer,
                        json!({"person_id": id, "organization_id": org_id, "role": "member"}),
                    )
                    .await;
                }
                8 => outage(&app, rng.random_bool(0.5)),
                _ => {
                    let _ = qiaolink::search::worker::drain_once(&mut conn, &app.app.search).await;
                }
            }
        }
        outage(&app, false);
        app.db.execute("UPDATE search_outbox SET next_attempt_at = now()").await;
        app.sync_search().await;

        let viewer = app.token(Role::Viewer).await;
        let r = app
            .post("/api/v1/search", &viewer, json!({"q": "", "type": "person", "limit": 100}))
            .await;
        let mut indexed: Vec<(String, String)> = r.body["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["id"].as_str().unwrap().to_string(),
                    h["display_name"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        indexed.sort();
        let mut stored: Vec<(String, String)> = Vec::new();
        for id in &people {
            let p = app.get(&format!("/api/v1/people/{id}"), &officer).await;
            stored.push((id.clone(), p.body["name_zh"].as_str().unwrap().to_string()));
        }
        stored.sort();
        assert_eq!(indexed, stored, "seed {seed}");
        let members = app
            .post(
                "/api/v1/search",
                &viewer,
                json!({"q": "", "filters": {"organization": [org_id.clone()]}, "limit": 100}),
            )
            .await;
        let db_members = app
            .db
            .count(&format!(
                "SELECT count(DISTINCT person_id) FROM memberships WHERE organization_id = '{org_id}'"
            ))
            .await;
        assert_eq!(members.body["total"].as_i64().unwrap(), db_members, "seed {seed}");
    }
}

#[tokio::test]
async fn reindex_builds_a_fresh_index_from_the_database_and_clears_the_updates_it_covers() {
    let app = TestApp::new().await;
    app.import(&[fixture("search.jsonl")], true).await;
    assert!(app.db.count("SELECT count(*) FROM search_outbox").await > 0);
    let built = qiaolink::search::worker::reindex(&app.db.url, &app.app.search).await.unwrap();
    assert_eq!(
        built as i64,
        app.db
            .count("SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM organizations)")
            .await
    );
    assert_eq!(app.db.count("SELECT count(*) FROM search_outbox").await, 0);
    let token = app.token(Role::Viewer).await;
    let r = app.post("/api/v1/search", &token, json!({"q": "Tam Chun Hon"})).await;
    assert_eq!(r.body["hits"][0]["external_id"], "s-04");
    // Writes after the rebuild reach the new index through the outbox as before.
    let officer = app.token(Role::Officer).await;
    app.post("/api/v1/people", &officer, json!({"name_zh": "甄迪兆", "country": "US"}))
        .await;
    app.sync_search().await;
    assert_eq!(app.post("/api/v1/search", &token, json!({"q": "甄迪兆"})).await.body["total"], 1);
}

#[tokio::test]
async fn with_the_search_server_down_the_service_starts_takes_writes_and_keeps_them_for_the_index() {
    let app = TestApp::with_unreachable_meilisearch().await;
    let officer = app.token(Role::Officer).await;
    let created = app
        .post("/api/v1/people", &officer, json!({"name_zh": "黃志明", "country": "US"}))
        .await;
    assert_eq!(created.status, 201);
    let r = app.post("/api/v1/search", &officer, json!({"q": "黃志明"})).await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body["error"]["message"].as_str().unwrap().contains("search is unavailable"));
    let mut conn = app.db.conn().await;
    assert!(qiaolink::search::worker::drain_once(&mut conn, &app.app.search).await.is_err());
    assert_eq!(app.db.count("SELECT count(*) FROM search_outbox WHERE attempts = 1").await, 1);
    let ready = app.send(axum::http::Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.body["search"]["backend"], "meilisearch");
    assert_eq!(ready.body["search"]["pending"], 1);
}
