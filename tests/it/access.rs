//! Every /api/v1 route needs a token, and each role gets only what the matrix allows.

use axum::http::{Method, StatusCode};
use qiaolink::auth::Role;
use serde_json::json;

use crate::helpers::{TestApp, fixture};

#[tokio::test]
async fn requests_without_a_valid_token_get_401_in_the_contract_shape() {
    let app = TestApp::new().await;
    for path in [
        "/api/v1/people",
        "/api/v1/organizations",
        "/api/v1/interactions",
        "/api/v1/memberships",
        "/api/v1/exports",
        "/api/v1/places",
    ] {
        let r = app.send(Method::GET, path, None, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(r.body["error"]["code"], "unauthenticated", "{path}");
        assert!(r.body["error"]["message"].as_str().unwrap().len() > 10);
    }
    let r = app.send(Method::GET, "/api/v1/people", Some("qlk_not-a-real-token"), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_viewer_reads_but_never_writes_or_exports() {
    let app = TestApp::new().await;
    app.import(&[fixture("small.jsonl")], false).await;
    let viewer = app.token(Role::Viewer).await;
    assert_eq!(app.get("/api/v1/people", &viewer).await.status, StatusCode::OK);
    let r = app
        .post("/api/v1/people", &viewer, json!({"name_zh": "黃志明", "country": "US"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.body["error"]["code"], "forbidden");
    assert_eq!(app.get("/api/v1/exports", &viewer).await.status, StatusCode::FORBIDDEN);
    let id = app.get("/api/v1/people?external_id=p-1", &viewer).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        app.delete(&format!("/api/v1/people/{id}"), &viewer).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.db.count("SELECT count(*) FROM people").await, 4, "nothing was deleted");
}

#[tokio::test]
async fn contact_details_are_left_out_for_roles_that_may_not_see_them() {
    let app = TestApp::new().await;
    app.import(&[fixture("small.jsonl")], false).await;
    let officer = app.token(Role::Officer).await;
    let id = app.get("/api/v1/people?external_id=p-1", &officer).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/people/{id}");

    let full = app.get(&path, &officer).await.body;
    assert_eq!(full["email"], "dwong@example.org");
    assert_eq!(full["consent"]["status"], "granted");

    let viewer = app.get(&path, &app.token(Role::Viewer).await).await.body;
    assert!(viewer.get("email").is_none() && viewer.get("phone").is_none() && viewer.get("consent").is_none());
    assert_eq!(viewer["hometown"], "台山 斗山");

    let staff_token = app.token(Role::EventStaff).await;
    let staff = app.get(&path, &staff_token).await.body;
    assert_eq!(staff["name_zh"], "黃志明");
    assert!(staff.get("email").is_none() && staff.get("hometown").is_none() && staff.get("talent_fields").is_none());
    assert_eq!(staff["memberships"][0]["organization_name"], "寧陽會館");
    assert_eq!(app.get("/api/v1/interactions", &staff_token).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn reading_a_full_record_and_exporting_are_audited_without_personal_data() {
    let app = TestApp::new().await;
    app.import(&[fixture("small.jsonl")], false).await;
    let officer = app.token(Role::Officer).await;
    let id = app.get("/api/v1/people?external_id=p-1", &officer).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.get(&format!("/api/v1/people/{id}"), &officer).await;
    assert_eq!(
        app.db
            .count(&format!(
                "SELECT count(*) FROM audit_log WHERE action = 'read' AND entity_id = '{id}' AND actor_label = 'token:test officer'"
            ))
            .await,
        1
    );

    let admin = app.token(Role::Admin).await;
    let r = app.get("/api/v1/exports?format=jsonl&country=US", &admin).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(app.db.count("SELECT count(*) FROM audit_log WHERE action = 'export'").await, 1);
    assert_eq!(
        app.db
            .count("SELECT count(*) FROM audit_log WHERE detail::text LIKE '%黃%' OR detail::text LIKE '%example.org%'")
            .await,
        0
    );
}
