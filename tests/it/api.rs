//! The JSON API: create, read, change, delete, with validation that names the field,
//! and every write with its audit and outbox rows.

use axum::http::StatusCode;
use qiaolink::auth::Role;
use serde_json::json;

use crate::helpers::{TestApp, fixture};

#[tokio::test]
async fn a_person_is_created_read_changed_and_deleted() {
    let app = TestApp::new().await;
    let officer = app.token(Role::Officer).await;
    let org = app
        .post(
            "/api/v1/organizations",
            &officer,
            json!({"name_zh": "寧陽會館", "kind": "hometown_association", "country": "us", "hometowns": ["Toisan"]}),
        )
        .await;
    assert_eq!(org.status, StatusCode::CREATED, "{}", org.body);
    let org_id = org.body["id"].as_str().unwrap().to_string();

    let created = app
        .post(
            "/api/v1/people",
            &officer,
            json!({"external_id": "p-9", "name_zh": "黃志明", "name_latin": "David Wong Chi-ming", "country": "US", "hometown": "台山 斗山",
                   "memberships": [{"organization": org_id, "role": "president", "since": "2019"}]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["hometown_place"], "taishan:斗山");
    assert_eq!(created.body["memberships"][0]["organization_name"], "寧陽會館");
    let id = created.body["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/people/{id}");

    let changed = app
        .patch(&path, &officer, json!({"city": "Oakland", "occupation": "engineer"}))
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["city"], "Oakland");
    assert_eq!(changed.body["name_zh"], "黃志明", "fields not sent are left alone");
    assert_eq!(changed.body["memberships"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.db
            .count(&format!(
                "SELECT count(*) FROM audit_log WHERE action = 'update' AND entity_id = '{id}' AND detail->'fields' ? 'city'"
            ))
            .await,
        1
    );

    let same_key = app
        .post(
            "/api/v1/people",
            &officer,
            json!({"external_id": "p-9", "name_zh": "王", "country": "US"}),
        )
        .await;
    assert_eq!(same_key.status, StatusCode::CONFLICT);

    assert_eq!(app.delete(&path, &officer).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&path, &officer).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.db.count("SELECT count(*) FROM memberships").await, 0);
    // Created, updated, deleted: each write left its index update.
    assert_eq!(
        app.db
            .count(&format!("SELECT count(*) FROM search_outbox WHERE entity_id = '{id}'"))
            .await,
        3
    );
    assert_eq!(
        app.db
            .count(&format!(
                "SELECT count(*) FROM audit_log WHERE entity_id = '{id}' AND action IN ('create','update','delete')"
            ))
            .await,
        3
    );
}

#[tokio::test]
async fn validation_errors_name_every_field_and_store_nothing() {
    let app = TestApp::new().await;
    let officer = app.token(Role::Officer).await;
    let r = app
        .post(
            "/api/v1/people",
            &officer,
            json!({"name_zh": "黃志明", "country": "USA", "birth_year": "about 1950", "email": "not-an-address"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["error"]["code"], "invalid");
    let fields: Vec<&str> = r.body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["birth_year", "country", "email"]);

    let no_name = app.post("/api/v1/people", &officer, json!({"country": "US"})).await;
    assert_eq!(no_name.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_name.body["error"]["fields"][0]["field"], "name_zh");

    let bad_json = app
        .send(axum::http::Method::POST, "/api/v1/people", Some(&officer), Some("{not json".into()))
        .await;
    assert_eq!(bad_json.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_json.body["error"]["code"], "bad_request");

    let missing_org = app
        .post(
            "/api/v1/people",
            &officer,
            json!({"name_zh": "黃志明", "country": "US", "memberships": [{"organization": "nowhere", "role": "member"}]}),
        )
        .await;
    assert_eq!(missing_org.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing_org.body["error"]["fields"][0]["field"], "memberships[0].organization");

    assert_eq!(app.db.count("SELECT count(*) FROM people").await, 0);
    assert_eq!(app.db.count("SELECT count(*) FROM audit_log WHERE entity_type = 'person'").await, 0);
    assert_eq!(app.db.count("SELECT count(*) FROM search_outbox").await, 0);
}

#[tokio::test]
async fn lists_filter_by_country_hometown_organization_and_page() {
    let app = TestApp::new().await;
    app.import(&[fixture("small.jsonl")], false).await;
    let viewer = app.token(Role::Viewer).await;
    let us = app.get("/api/v1/people?country=us", &viewer).await.body;
    assert_eq!(us["total"], 2);
    // A county finds the people of its towns, whatever spelling the filter uses.
    for q in ["taishan", "Hoisan", "%E8%87%BA%E5%B1%B1"] {
        let r = app.get(&format!("/api/v1/people?hometown={q}"), &viewer).await;
        let mut ids: Vec<String> = r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["external_id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        assert_eq!(ids, ["p-1", "p-2"], "hometown={q}");
    }
    let orgs = app.get("/api/v1/organizations?hometown=xinhui", &viewer).await.body;
    assert_eq!(orgs["items"][0]["external_id"], "org-kongchow-lima");
    let ningyung = app.get("/api/v1/organizations?external_id=org-ningyung-sf", &viewer).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let members = app.get(&format!("/api/v1/people?organization={ningyung}"), &viewer).await.body;
    assert_eq!(members["total"], 2);
    let page = app.get("/api/v1/people?limit=1&offset=1", &viewer).await.body;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["total"], 4);
    assert_eq!(
        app.get("/api/v1/people?limit=0", &viewer).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.get("/api/v1/people?hometown=Atlantis", &viewer).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn interactions_and_memberships_have_their_own_routes() {
    let app = TestApp::new().await;
    app.import(&[fixture("small.jsonl")], false).await;
    let officer = app.token(Role::Officer).await;
    let p3 = app.get("/api/v1/people?external_id=p-3", &officer).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let org = app.get("/api/v1/organizations?external_id=org-ccba-sf", &officer).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let m = app
        .post(
            "/api/v1/memberships",
            &officer,
            json!({"person_id": p3, "organization_id": org, "role": "honorary", "since": "2020"}),
        )
        .await;
    assert_eq!(m.status, StatusCode::CREATED, "{}", m.body);
    let mid = m.body["id"].as_str().unwrap().to_string();
    let changed = app
        .patch(&format!("/api/v1/memberships/{mid}"), &officer, json!({"role": "vice_president"}))
        .await;
    assert_eq!(changed.body["role"], "vice_president");
    assert_eq!(
        app.delete(&format!("/api/v1/memberships/{mid}"), &officer).await.status,
        StatusCode::NO_CONTENT
    );

    let i = app
        .post(
            "/api/v1/interactions",
            &officer,
            json!({"date": "2024-05-02", "kind": "visit", "summary": "Visited the hall", "people": [p3], "follow_up": "2024-06-01"}),
        )
        .await;
    assert_eq!(i.status, StatusCode::CREATED, "{}", i.body);
    assert_eq!(i.body["person_ids"][0], p3.as_str());
    let due = app.get("/api/v1/interactions?follow_up_by=2024-12-31", &officer).await.body;
    assert_eq!(due["total"], 2);
    let mine = app.get(&format!("/api/v1/interactions?person={p3}"), &officer).await.body;
    assert_eq!(mine["total"], 1);
    let bad = app.post("/api/v1/interactions", &officer, json!({"kind": "visit"})).await;
    let fields: Vec<&str> = bad.body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["date", "summary"]);
}

#[tokio::test]
async fn health_readiness_metrics_and_the_openapi_document() {
    let app = TestApp::new().await;
    let r = app.send(axum::http::Method::GET, "/healthz", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let ready = app.send(axum::http::Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    assert_eq!(ready.body["migrations"], "current");
    assert_eq!(ready.body["search"]["backend"], "embedded");
    let metrics = app.send(axum::http::Method::GET, "/metrics", None, None).await;
    assert!(String::from_utf8_lossy(&metrics.bytes).contains("qiaolink_search_sync_lag_seconds"));
    let doc = app.send(axum::http::Method::GET, "/api/openapi.json", None, None).await.body;
    for path in [
        "/api/v1/people",
        "/api/v1/people/{id}",
        "/api/v1/organizations",
        "/api/v1/memberships",
        "/api/v1/interactions",
        "/api/v1/imports",
        "/api/v1/exports",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    assert!(doc["components"]["securitySchemes"].get("bearer").is_some());
}
