//! Events: guest lists built once per person, invitation states, mail in the guest's
//! language, the RSVP page, and check-in with capacity kept by the database.

use axum::http::StatusCode;
use qiaolink::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, write_file};
use crate::web::WebClient;

/// Taishan associations across the Americas and one in Europe, a Kaiping one, and their
/// office bearers.
pub const WORLD: &str = r#"{"type":"organization","external_id":"o-ts-us","name_zh":"美國台山同鄉會","kind":"hometown_association","country":"US","hometowns":["台山"]}
{"type":"organization","external_id":"o-ts-pe","name_zh":"秘魯台山會館","name_en":"Sociedad Toyshan","kind":"hometown_association","country":"PE","hometowns":["Toisan"]}
{"type":"organization","external_id":"o-ts-gb","name_zh":"英國台山同鄉會","kind":"hometown_association","country":"GB","hometowns":["台山"]}
{"type":"organization","external_id":"o-kp-ca","name_zh":"加拿大開平同鄉會","kind":"hometown_association","country":"CA","hometowns":["开平"]}
{"type":"person","external_id":"a","name_zh":"黃志明","name_latin":"David Wong","country":"US","languages":["yue","en"],"email":"a@example.org","memberships":[{"organization":"o-ts-us","role":"president"}],"consent":{"status":"granted","date":"2026-01-05","purposes":["events","newsletter"]}}
{"type":"person","external_id":"b","name_zh":"伍嬋芝","country":"US","email":"b@example.org","memberships":[{"organization":"o-ts-us","role":"member"}],"consent":{"status":"granted","date":"2026-01-05","purposes":["events","newsletter"]}}
{"type":"person","external_id":"c","name_zh":"關麗華","name_latin":"Rosa Kuan","country":"PE","languages":["es"],"email":"c@example.org","memberships":[{"organization":"o-ts-pe","role":"president"}],"consent":{"status":"granted","date":"2026-01-05","purposes":["events","newsletter"]}}
{"type":"person","external_id":"d","name_zh":"司徒明","country":"CA","email":"d@example.org","memberships":[{"organization":"o-kp-ca","role":"president"}],"consent":{"status":"granted","date":"2026-01-05","purposes":["events","newsletter"]}}
{"type":"person","external_id":"e","name_zh":"梅源","country":"GB","email":"e@example.org","memberships":[{"organization":"o-ts-gb","role":"president"}],"consent":{"status":"granted","date":"2026-01-05","purposes":["events","newsletter"]}}
{"type":"person","external_id":"f","name_zh":"譚大文","name_latin":"Tom Hom","country":"US","memberships":[{"organization":"o-ts-us","role":"secretary_general"}],"consent":{"status":"granted","date":"2026-01-05","purposes":["events","newsletter"]}}
"#;

async fn world() -> (TestApp, String) {
    let app = TestApp::new().await;
    let (_dir, file) = write_file("world.jsonl", WORLD.as_bytes());
    app.import(&[file], true).await;
    app.sync_search().await;
    let token = app.token(Role::Officer).await;
    (app, token)
}

async fn event(app: &TestApp, token: &str, extra: Value) -> String {
    let mut body = json!({ "name_zh": "新春海外侨胞茶话会", "name_en": "New-Year Overseas Tea Party", "kind": "tea_party", "starts_on": "2027-02-01", "venue": "江门" });
    body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    let made = app.post("/api/v1/events", token, body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    made.body["id"].as_str().unwrap().to_string()
}

async fn person(app: &TestApp, external_id: &str) -> String {
    let found = app
        .get(&format!("/api/v1/people?external_id={external_id}"), &app.token(Role::Admin).await)
        .await;
    found.body["items"][0]["id"].as_str().unwrap().to_string()
}

async fn guests(app: &TestApp, token: &str, event: &str) -> Vec<Value> {
    app.get(&format!("/api/v1/events/{event}/invitations"), token).await.body["items"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn an_event_needs_a_name_and_a_date_said_clearly() {
    let (app, token) = world().await;
    let bad = app
        .post("/api/v1/events", &token, json!({ "kind": "party", "starts_on": "next week" }))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = bad.body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"kind") && fields.contains(&"starts_on") && fields.contains(&"name_zh"),
        "{fields:?}"
    );
    let viewer = app.token(Role::Viewer).await;
    let refused = app
        .post("/api/v1/events", &viewer, json!({ "name_en": "x", "starts_on": "2027-01-01" }))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn presidents_of_taishan_associations_in_the_americas_are_invited_once() {
    let (app, token) = world().await;
    let id = event(&app, &token, json!({})).await;
    let added = app
        .post(
            &format!("/api/v1/events/{id}/guests"),
            &token,
            json!({
                "search": { "q": "", "type": "organization",
                            "filters": { "kind": ["hometown_association"], "hometown": ["Toisan"], "country": ["US", "CA", "PE", "BR", "MX"] } },
                "roles": ["president"]
            }),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert_eq!(added.body["added"], 2, "the presidents in the US and Peru: {}", added.body);
    let list = guests(&app, &token, &id).await;
    let names: Vec<&str> = list.iter().map(|g| g["name_zh"].as_str().unwrap()).collect();
    assert!(names.contains(&"黃志明") && names.contains(&"關麗華"), "{names:?}");

    // The same person again, another way: still one invitation, with both reasons.
    let wong = person(&app, "a").await;
    let again = app
        .post(
            &format!("/api/v1/events/{id}/guests"),
            &token,
            json!({ "people": [wong], "organizations": [], "roles": [] }),
        )
        .await;
    assert_eq!(again.body["added"], 0);
    assert_eq!(again.body["already_invited"], 1);
    assert_eq!(again.body["guests"], 2);
    let list = guests(&app, &token, &id).await;
    let wong_guest = list.iter().find(|g| g["name_zh"] == "黃志明").unwrap();
    assert_eq!(wong_guest["reasons"].as_array().unwrap().len(), 2, "{wong_guest}");
    assert_eq!(wong_guest["language"], "zh-Hant");
    assert_eq!(app.db.count("SELECT count(*) FROM invitations").await, 2);
}

#[tokio::test]
async fn invitations_go_out_by_mail_in_the_guests_language_once() {
    let (app, token) = world().await;
    let id = event(&app, &token, json!({})).await;
    let people: Vec<String> = futures_people(&app, &["a", "c", "f"]).await;
    app.post(&format!("/api/v1/events/{id}/guests"), &token, json!({ "people": people }))
        .await;
    let sent = app.post(&format!("/api/v1/events/{id}/send"), &token, json!({})).await;
    assert_eq!(sent.body["sent"], 3, "{}", sent.body);
    // Sending happens in the background: nothing was mailed inside the request.
    assert!(app.app.mailer.captured().is_empty());
    assert_eq!(app.db.count("SELECT count(*) FROM mail_outbox").await, 2, "f has no e-mail address");

    let mut conn = app.db.conn().await;
    let n = qiaolink::events::mail::deliver_all(&mut conn, &app.app.mailer, &app.config)
        .await
        .unwrap();
    assert_eq!(n, 2);
    let mails = app.app.mailer.captured();
    let to_wong = mails.iter().find(|m| m.to == "a@example.org").unwrap();
    assert!(to_wong.subject.starts_with("邀請函"), "{}", to_wong.subject);
    assert!(to_wong.body.starts_with("尊敬的黃志明"), "{}", to_wong.body);
    let to_rosa = mails.iter().find(|m| m.to == "c@example.org").unwrap();
    assert!(
        to_rosa.subject.starts_with("Invitación: New-Year Overseas Tea Party"),
        "{}",
        to_rosa.subject
    );
    assert!(to_rosa.body.starts_with("Estimado/a Rosa Kuan"));
    let token_of_rosa: String = {
        let list = guests(&app, &token, &id).await;
        let code = list.iter().find(|g| g["name_zh"] == "關麗華").unwrap()["door_code"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(to_rosa.body.contains(&code));
        let at = to_rosa.body.find("/rsvp/").unwrap() + 6;
        to_rosa.body[at..at + 32].to_string()
    };
    assert!(
        token_of_rosa
            .to_uppercase()
            .starts_with(&list_code(&app, &token, &id, "關麗華").await)
    );

    // Sending again sends nothing: no guest gets two copies.
    assert_eq!(
        app.post(&format!("/api/v1/events/{id}/send"), &token, json!({})).await.body["sent"],
        0
    );
    qiaolink::events::mail::deliver_all(&mut conn, &app.app.mailer, &app.config)
        .await
        .unwrap();
    assert_eq!(app.app.mailer.captured().len(), 2);
}

async fn futures_people(app: &TestApp, ids: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for id in ids {
        out.push(person(app, id).await);
    }
    out
}

async fn list_code(app: &TestApp, token: &str, event: &str, name: &str) -> String {
    let list = guests(app, token, event).await;
    list.iter().find(|g| g["name_zh"] == name).unwrap()["door_code"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn each_state_change_follows_the_rules() {
    let (app, token) = world().await;
    let id = event(&app, &token, json!({})).await;
    let people = futures_people(&app, &["a"]).await;
    app.post(&format!("/api/v1/events/{id}/guests"), &token, json!({ "people": people }))
        .await;
    let invitation = guests(&app, &token, &id).await[0]["id"].as_str().unwrap().to_string();
    let step = |action: &'static str| {
        let path = format!("/api/v1/invitations/{invitation}/{action}");
        let app = &app;
        let token = token.clone();
        async move { app.post(&path, &token, json!({})).await }
    };
    assert_eq!(step("send").await.body["state"], "sent");
    let twice = step("send").await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.body["error"]["message"], "an invitation that is sent cannot be sent");
    assert_eq!(step("accept").await.body["state"], "accepted");
    assert_eq!(step("decline").await.body["state"], "declined");
    assert_eq!(step("cancel").await.body["state"], "cancelled");
    assert_eq!(step("accept").await.status, StatusCode::CONFLICT);
    assert_eq!(step("restore").await.body["state"], "draft");
    assert_eq!(step("teleport").await.status, StatusCode::NOT_FOUND);
    let audited = app
        .db
        .count("SELECT count(*) FROM audit_log WHERE entity_type = 'invitation'")
        .await;
    assert_eq!(audited, 5, "every move that happened is audited");
}

#[tokio::test]
async fn quotas_hold_invitations_back_when_full() {
    let (app, token) = world().await;
    let id = event(&app, &token, json!({ "quotas": [{ "country": "US", "quota": 1 }] })).await;
    let people = futures_people(&app, &["a", "b", "c"]).await;
    app.post(&format!("/api/v1/events/{id}/guests"), &token, json!({ "people": people }))
        .await;
    let sent = app.post(&format!("/api/v1/events/{id}/send"), &token, json!({})).await;
    assert_eq!(sent.body["sent"], 2, "{}", sent.body);
    let held = sent.body["held_back"].as_array().unwrap();
    assert_eq!(held.len(), 1);
    assert!(held[0].as_str().unwrap().contains("quota"), "{held:?}");
}

#[tokio::test]
async fn the_guest_answers_on_their_page_until_registration_closes() {
    let (app, token) = world().await;
    let id = event(&app, &token, json!({})).await;
    let people = futures_people(&app, &["c"]).await;
    app.post(&format!("/api/v1/events/{id}/guests"), &token, json!({ "people": people }))
        .await;
    app.post(&format!("/api/v1/events/{id}/send"), &token, json!({})).await;
    let rsvp: String = diesel_token(&app).await;
    let mut guest = WebClient::new(&app);

    let page = guest.get(&format!("/rsvp/{rsvp}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains("lang=\"es\"") && page.html.contains("¿Podrá asistir?"),
        "{}",
        page.html
    );
    assert!(page.html.contains("<svg"), "the QR code is on the page");
    let english = guest.get(&format!("/rsvp/{rsvp}?lang=en")).await;
    assert!(english.html.contains("Will you come?"));

    let too_many = guest
        .post(
            &format!("/rsvp/{rsvp}"),
            &[("answer", "accept"), ("party_size", "3"), ("lang", "es")],
        )
        .await;
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_many.html.contains("El grupo es mayor"));
    let yes = guest
        .post(
            &format!("/rsvp/{rsvp}"),
            &[
                ("answer", "accept"),
                ("dietary", "vegetariano"),
                ("arrival_date", "2027-01-30"),
                ("lang", "es"),
            ],
        )
        .await;
    assert_eq!(yes.status, StatusCode::OK, "{}", yes.html);
    assert!(yes.html.contains("¡Gracias!"));
    let list = guests(&app, &token, &id).await;
    assert_eq!(list[0]["state"], "accepted");
    assert_eq!(list[0]["dietary"], "vegetariano");
    assert_eq!(list[0]["arrival_date"], "2027-01-30");
    // A change of mind is fine while registration is open.
    guest.post(&format!("/rsvp/{rsvp}"), &[("answer", "decline"), ("lang", "es")]).await;
    assert_eq!(guests(&app, &token, &id).await[0]["state"], "declined");

    app.patch(&format!("/api/v1/events/{id}"), &token, json!({ "status": "closed" }))
        .await;
    let late = guest.post(&format!("/rsvp/{rsvp}"), &[("answer", "accept"), ("lang", "es")]).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.html.contains("La inscripción está cerrada"));
    assert_eq!(guests(&app, &token, &id).await[0]["state"], "declined");

    // A wrong link reveals nothing.
    let wrong = guest.get("/rsvp/0123456789abcdef0123456789abcdef").await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert!(wrong.html.contains("找不到这份邀请") && !wrong.html.contains("茶话会"));
}

async fn diesel_token(app: &TestApp) -> String {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use qiaolink::schema::invitations;
    let mut conn = app.db.conn().await;
    invitations::table.select(invitations::token).first(&mut conn).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_desks_checking_in_at_once_never_overbook() {
    let (app, token) = world().await;
    let id = event(&app, &token, json!({ "capacity": 3 })).await;
    let people = futures_people(&app, &["a", "b", "c", "d", "e", "f"]).await;
    app.post(&format!("/api/v1/events/{id}/guests"), &token, json!({ "people": people }))
        .await;
    let codes: Vec<String> = guests(&app, &token, &id)
        .await
        .iter()
        .map(|g| g["door_code"].as_str().unwrap().to_string())
        .collect();
    let desk = app.token(Role::EventStaff).await;
    // Six guests at two desks at the same moment, for three places.
    let attempts = codes.iter().map(|code| {
        let path = format!("/api/v1/events/{id}/check-in");
        let (app, desk, code) = (&app, desk.clone(), code.clone());
        async move { app.post(&path, &desk, json!({ "code": code })).await }
    });
    let results = futures_join(attempts).await;
    let admitted = results.iter().filter(|r| r.status == StatusCode::OK).count();
    let full: Vec<_> = results.iter().filter(|r| r.status == StatusCode::CONFLICT).collect();
    assert_eq!(admitted, 3, "{:?}", results.iter().map(|r| r.body.to_string()).collect::<Vec<_>>());
    assert_eq!(full.len(), 3);
    assert!(full[0].body["error"]["message"].as_str().unwrap().starts_with("the event is full"));
    assert_eq!(
        app.db
            .count("SELECT count(*) FROM invitations WHERE checked_in_at IS NOT NULL")
            .await,
        3
    );

    // Scanning someone already in says when they came, and admits no one new.
    let in_already = results.iter().position(|r| r.status == StatusCode::OK).unwrap();
    let again = app
        .post(
            &format!("/api/v1/events/{id}/check-in"),
            &desk,
            json!({ "code": codes[in_already].to_lowercase() }),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.body["already_at"].is_string());
    assert_eq!(again.body["arrived"], 3);
    let wrong = app
        .post(&format!("/api/v1/events/{id}/check-in"), &desk, json!({ "code": "ZZZZ" }))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let viewer = app.token(Role::Viewer).await;
    assert_eq!(
        app.post(&format!("/api/v1/events/{id}/check-in"), &viewer, json!({ "code": codes[0] }))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

/// Runs the requests at the same time, each on a connection of its own.
async fn futures_join<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    futures::future::join_all(futures).await
}

#[tokio::test]
async fn the_event_team_builds_and_sends_a_guest_list_from_the_pages() {
    let (app, _) = world().await;
    let password = crate::web::user(&app, "team@example.org", Role::Officer).await;
    let mut web = WebClient::new(&app);
    web.sign_in("team@example.org", &password).await;
    let page = web.get("/events").await;
    let csrf = page.csrf();
    let bad = web
        .post(
            "/events",
            &[
                ("_csrf", &csrf),
                ("name_zh", "茶话会"),
                ("kind", "tea_party"),
                ("status", "planning"),
                ("starts_on", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.html.contains("此项必填") && bad.html.contains("value=\"茶话会\""),
        "{}",
        bad.html
    );
    let made = web
        .post(
            "/events",
            &[
                ("_csrf", &csrf),
                ("name_zh", "新春茶话会"),
                ("kind", "tea_party"),
                ("status", "inviting"),
                ("starts_on", "2027-02-01"),
                ("capacity", "700"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.html);
    let event = made.location.unwrap();

    // "Every president of a Taishan association in the Americas", in one form.
    let added = web
        .post(
            &format!("{event}/guests"),
            &[
                ("_csrf", &csrf),
                ("target", "organization"),
                ("q", ""),
                ("country", "US CA PE BR"),
                ("kind", "hometown_association"),
                ("hometown", "台山"),
                ("role", "president"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.html);
    let page = web.get(added.location.as_deref().unwrap()).await;
    assert!(page.html.contains("新加入 2 人"), "{}", page.html);
    assert!(
        page.html.contains("美國台山同鄉會 · 会长") && page.html.contains("秘魯台山會館 · 会长"),
        "{}",
        page.html
    );
    assert!(
        !page.html.contains("司徒明") && !page.html.contains("梅源"),
        "Kaiping and Britain are not asked for"
    );

    let sent = web.post(&format!("{event}/send"), &[("_csrf", &csrf)]).await;
    let page = web.get(sent.location.as_deref().unwrap()).await;
    assert!(page.html.contains("已发出 2 份邀请"), "{}", page.html);
    let at = page.html.find("/letter\"").expect("each guest has a printable letter");
    let letter_path = &page.html[page.html[..at].rfind("/invitations/").unwrap()..at + 7];
    let letter = web.get(letter_path).await;
    assert!(
        (letter.html.contains("尊敬的") || letter.html.contains("Estimado/a Rosa Kuan"))
            && letter.html.contains("<svg")
            && letter.html.contains("/rsvp/"),
        "{}",
        letter.html
    );
    let csv = web.get(&format!("{event}/guests.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.html.starts_with("name_zh,name_latin,country,state") && csv.html.contains("黃志明,David Wong,US,sent"),
        "{}",
        csv.html
    );
    assert_eq!(
        app.db
            .count("SELECT count(*) FROM audit_log WHERE action = 'export' AND entity_type = 'event'")
            .await,
        1
    );

    // Badges and letters print to PDF with the Chinese names in them.
    let badges = web.get_bytes(&format!("{event}/badges.pdf")).await;
    assert!(badges.starts_with(b"%PDF"), "not a PDF");
    keep("badges.pdf", &badges);
    let text = pdf_text(&badges);
    assert!(
        text.contains("黃志明") && text.contains("David Wong") && text.contains("關麗華"),
        "{text}"
    );
    let letters_pdf = web.get_bytes(&format!("{event}/letters.pdf")).await;
    keep("letters.pdf", &letters_pdf);
    let letters = pdf_text(&letters_pdf);
    assert!(
        letters.contains("尊敬的黃志明") && letters.contains("Estimado/a Rosa Kuan"),
        "{letters}"
    );

    // The desk sees the check-in page but not the tools to change the list; a viewer neither.
    let desk_password = crate::web::user(&app, "desk@example.org", Role::EventStaff).await;
    let mut desk = WebClient::new(&app);
    desk.sign_in("desk@example.org", &desk_password).await;
    let page = desk.get(&event).await;
    assert!(!page.html.contains("add-guests") && page.html.contains("open-checkin"));
    assert_eq!(desk.get(&format!("{event}/checkin")).await.status, StatusCode::OK);
    let viewer_password = crate::web::user(&app, "viewer@example.org", Role::Viewer).await;
    let mut viewer = WebClient::new(&app);
    viewer.sign_in("viewer@example.org", &viewer_password).await;
    assert_eq!(viewer.get(&format!("{event}/checkin")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(viewer.get(&format!("{event}/guests.csv")).await.status, StatusCode::FORBIDDEN);
}

/// The text of a PDF, as poppler's pdftotext reads it (installed by ./dev test).
pub fn pdf_text(pdf: &[u8]) -> String {
    let (_dir, path) = write_file("out.pdf", pdf);
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext is installed (Debian's poppler-utils; ./dev test installs it)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Keeps a file the test made as test output, beside the browser screenshots.
fn keep(name: &str, bytes: &[u8]) {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}
