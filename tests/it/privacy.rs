//! Personal data: consent per purpose decides who is invited; a person's copy of everything
//! held about them; erasure that leaves no trace in the database, the index or an export.

use axum::http::StatusCode;
use diesel_async::RunQueryDsl;
use qiaolink::auth::Role;
use serde_json::json;

use crate::helpers::{TestApp, write_file};

const PEOPLE: &str = r#"{"type":"organization","external_id":"o-ts","name_zh":"美國台山同鄉會","kind":"hometown_association","country":"US","hometowns":["台山"]}
{"type":"person","external_id":"yes","name_zh":"甄美華","name_latin":"Mei Wah Yan","country":"US","email":"meiwah.yan@example.org","phone":"+1 415 555 0199","memberships":[{"organization":"o-ts","role":"president"}],"consent":{"status":"granted","date":"2025-03-01","purposes":["events","newsletter"]}}
{"type":"person","external_id":"news-only","name_zh":"梅國強","country":"US","memberships":[{"organization":"o-ts","role":"member"}],"consent":{"status":"granted","date":"2025-03-01","purposes":["newsletter"]}}
{"type":"person","external_id":"unknown","name_zh":"伍少芬","country":"US","memberships":[{"organization":"o-ts","role":"member"}]}
{"type":"person","external_id":"other","name_zh":"關德輝","country":"US","memberships":[{"organization":"o-ts","role":"member"}],"consent":{"status":"granted","date":"2025-03-01","purposes":["events"]}}
{"type":"interaction","external_id":"i-own","kind":"call","date":"2026-04-01","summary":"Asked about the scholarship","people":["yes"]}
{"type":"interaction","external_id":"i-shared","kind":"meeting","date":"2026-04-02","summary":"Board meeting of the association","people":["yes","other"],"organizations":["o-ts"]}
"#;

async fn people() -> (TestApp, String, String) {
    let app = TestApp::new().await;
    let (_dir, file) = write_file("people.jsonl", PEOPLE.as_bytes());
    assert!(app.import(&[file], true).await.stored);
    app.sync_search().await;
    let officer = app.token(Role::Officer).await;
    let admin = app.token(Role::Admin).await;
    (app, officer, admin)
}

async fn id_of(app: &TestApp, token: &str, external_id: &str) -> String {
    let got = app.get(&format!("/api/v1/people?external_id={external_id}"), token).await;
    got.body["items"][0]["id"].as_str().unwrap_or_else(|| panic!("{external_id}: {}", got.body)).to_string()
}

async fn new_event(app: &TestApp, token: &str) -> String {
    let body = json!({ "name_zh": "新春茶话会", "kind": "tea_party", "starts_on": "2027-02-01", "venue": "江门" });
    let made = app.post("/api/v1/events", token, body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    made.body["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn only_people_who_consented_to_event_invitations_are_invited() {
    let (app, officer, _) = people().await;
    let event = new_event(&app, &officer).await;
    let org = app.get("/api/v1/organizations", &officer).await.body["items"][0]["id"].clone();
    let added = app.post(&format!("/api/v1/events/{event}/guests"), &officer, json!({ "organizations": [org] })).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert_eq!((added.body["added"].as_u64(), added.body["without_consent"].as_u64()), (Some(2), Some(2)), "{}", added.body);

    // Withdrawing is as easy as granting, and both are kept with how and by whom.
    let yes = id_of(&app, &officer, "yes").await;
    let withdraw = json!({ "status": "withdrawn", "purposes": ["events"], "source": "e-mail of 2026-11-02" });
    let done = app.post(&format!("/api/v1/people/{yes}/consent"), &officer, withdraw).await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.body);
    let unknown = id_of(&app, &officer, "unknown").await;
    let grant = json!({ "status": "granted", "purposes": ["events"], "date": "2026-11-01", "source": "consent form at the forum" });
    assert_eq!(app.post(&format!("/api/v1/people/{unknown}/consent"), &officer, grant).await.status, StatusCode::NO_CONTENT);

    let second = new_event(&app, &officer).await;
    let added = app.post(&format!("/api/v1/events/{second}/guests"), &officer, json!({ "organizations": [org] })).await;
    let invited: Vec<String> = app.get(&format!("/api/v1/events/{second}/invitations"), &officer).await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["person_id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(added.body["added"], 2, "{}", added.body);
    assert!(invited.contains(&unknown) && !invited.contains(&yes), "{invited:?}");

    let history = app.get(&format!("/api/v1/people/{yes}/consent"), &officer).await;
    let events = history.body.as_array().unwrap();
    assert_eq!(events.len(), 2, "{}", history.body);
    assert_eq!(events[0]["source"], "record");
    assert_eq!(events[1]["status"], "withdrawn");
    assert_eq!(events[1]["source"], "e-mail of 2026-11-02");
    let person = app.get(&format!("/api/v1/people/{yes}"), &officer).await.body;
    assert_eq!(person["consent"]["purposes"], json!(["newsletter"]), "{person}");

    let bad = app.post(&format!("/api/v1/people/{yes}/consent"), &officer, json!({ "status": "maybe", "purposes": ["events"], "source": "x" })).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let viewer = app.token(Role::Viewer).await;
    assert_eq!(app.get(&format!("/api/v1/people/{yes}/consent"), &viewer).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_person_gets_a_copy_of_everything_held_about_them() {
    let (app, officer, admin) = people().await;
    let yes = id_of(&app, &officer, "yes").await;
    let event = new_event(&app, &officer).await;
    app.post(&format!("/api/v1/events/{event}/guests"), &officer, json!({ "people": [yes] })).await;
    app.get(&format!("/api/v1/people/{yes}"), &officer).await;

    assert_eq!(app.get(&format!("/api/v1/people/{yes}/data"), &officer).await.status, StatusCode::FORBIDDEN);
    let copy = app.get(&format!("/api/v1/people/{yes}/data"), &admin).await;
    assert_eq!(copy.status, StatusCode::OK, "{}", copy.body);
    let data = &copy.body;
    assert_eq!(data["person"]["email"], "meiwah.yan@example.org");
    assert_eq!(data["memberships"][0]["organization"], "美國台山同鄉會");
    assert_eq!(data["interactions"].as_array().unwrap().len(), 2);
    assert_eq!(data["invitations"][0]["event"], "新春茶话会");
    assert_eq!(data["consent"][0]["purposes"], json!(["events", "newsletter"]));
    // who read it: the officer's read, and this copy itself
    let actions: Vec<&str> = data["access_log"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"read") && actions.contains(&"subject access export"), "{actions:?}");

    let pdf = app.get(&format!("/api/v1/people/{yes}/data?format=pdf"), &admin).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.bytes.starts_with(b"%PDF"));
}

/// Tables holding a text, anywhere in any row.
async fn traces(app: &TestApp, text: &str) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let mut conn = app.db.conn().await;
    let tables: Vec<Name> = diesel::sql_query("SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public'")
        .load(&mut conn)
        .await
        .unwrap();
    let mut found = Vec::new();
    for t in tables {
        let n = app
            .db
            .count(&format!("SELECT count(*) FROM {} t WHERE to_jsonb(t)::text LIKE '%{text}%'", t.name))
            .await;
        if n > 0 {
            found.push(t.name);
        }
    }
    found
}

#[tokio::test]
async fn erasure_leaves_no_trace_in_the_database_the_index_or_an_export() {
    let (app, officer, admin) = people().await;
    let yes = id_of(&app, &officer, "yes").await;
    let event = new_event(&app, &officer).await;
    app.post(&format!("/api/v1/events/{event}/guests"), &officer, json!({ "people": [yes] })).await;
    app.post(&format!("/api/v1/events/{event}/send"), &officer, json!({})).await;
    for text in ["甄美華", "meiwah.yan@example.org", "555 0199", "scholarship"] {
        assert!(!traces(&app, text).await.is_empty(), "{text} is stored before");
    }

    let refused = app.post(&format!("/api/v1/people/{yes}/erase"), &officer, json!({ "reason": "request" })).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let no_reason = app.post(&format!("/api/v1/people/{yes}/erase"), &admin, json!({ "reason": " " })).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let erased = app.post(&format!("/api/v1/people/{yes}/erase"), &admin, json!({ "reason": "letter of 2026-11-20, ref. 118" })).await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.body);
    assert_eq!(erased.body["counts"]["interactions"], 1, "{}", erased.body);
    assert_eq!(erased.body["counts"]["shared_interactions_kept"], 1);

    for text in ["甄美華", "Mei Wah Yan", "meiwah.yan@example.org", "555 0199", "scholarship", yes.as_str()] {
        let left = traces(&app, text).await;
        // the id survives only in the search outbox, as the instruction to remove the document
        assert!(left.iter().all(|t| t == "search_outbox" && text == yes), "{text} is left in {left:?}");
    }
    assert_eq!(app.db.count("SELECT count(*) FROM interactions").await, 1);
    assert_eq!(app.db.count("SELECT count(*) FROM erasures WHERE reason LIKE 'letter%'").await, 1);
    assert_eq!(app.db.count("SELECT count(*) FROM audit_log WHERE action = 'erase'").await, 1);

    app.sync_search().await;
    let hits = app.post("/api/v1/search", &officer, json!({ "q": "甄美華" })).await;
    assert!(hits.body["hits"].as_array().unwrap().iter().all(|h| h["id"] != yes.as_str()), "{}", hits.body);
    let export = app.get("/api/v1/exports", &admin).await;
    assert_eq!(export.status, StatusCode::OK);
    let text = String::from_utf8_lossy(&export.bytes);
    assert!(!text.contains("甄美華") && !text.contains("meiwah"), "the export still has the person");
    assert_eq!(app.get(&format!("/api/v1/people/{yes}"), &officer).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_bulk_export_of_personal_data_waits_for_an_admins_approval() {
    let (app, officer, admin) = people().await;
    let refused = app.get("/api/v1/exports?type=person&country=US", &officer).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body["error"]["message"].as_str().unwrap().contains("approval"), "{}", refused.body);
    // organizations alone are no personal data
    assert_eq!(app.get("/api/v1/exports?type=organization", &officer).await.status, StatusCode::OK);

    let asked = app
        .post("/api/v1/export-requests", &officer, json!({ "type": "person", "country": "US", "purpose": "guest list for the consulate" }))
        .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
    let id = asked.body["id"].as_str().unwrap().to_string();
    let early = app.get(&format!("/api/v1/exports?type=person&country=US&approval={id}"), &officer).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "not approved yet");
    assert_eq!(app.post(&format!("/api/v1/export-requests/{id}/approve"), &officer, json!({})).await.status, StatusCode::FORBIDDEN);
    let pending = app.get("/api/v1/export-requests", &admin).await;
    assert_eq!(pending.body[0]["status"], "pending", "{}", pending.body);
    assert_eq!(app.post(&format!("/api/v1/export-requests/{id}/approve"), &admin, json!({})).await.status, StatusCode::NO_CONTENT);

    let other_filters = app.get(&format!("/api/v1/exports?type=person&approval={id}"), &officer).await;
    assert_eq!(other_filters.status, StatusCode::CONFLICT);
    let export = app.get(&format!("/api/v1/exports?type=person&country=US&approval={id}"), &officer).await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&export.bytes).contains("meiwah.yan@example.org"));
    let again = app.get(&format!("/api/v1/exports?type=person&country=US&approval={id}"), &officer).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "an approval serves once");
    // the organizations' export and the approved one
    for (action, n) in [("request export", 1), ("approved", 1), ("export", 2)] {
        assert_eq!(app.db.count(&format!("SELECT count(*) FROM audit_log WHERE action = '{action}'")).await, n, "{action}");
    }
}
