//! The web app's guards, driven in-process: sign-in, lock-out, time-outs, CSRF, roles and
//! the audit of person pages.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use qiaolink::auth::Role;
use tower::ServiceExt;

use crate::helpers::{TestApp, fixture};

pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookie: Option<String>,
    pub html: String,
}

impl Page {
    /// The CSRF token the page's forms carry.
    pub fn csrf(&self) -> String {
        let at = self.html.find("name=\"_csrf\" value=\"").expect("the page has a form") + 20;
        self.html[at..at + 64].to_string()
    }
}

/// A browser of one's own: it keeps the session cookie.
pub struct WebClient<'a> {
    app: &'a TestApp,
    cookie: Option<String>,
}

impl<'a> WebClient<'a> {
    pub fn new(app: &'a TestApp) -> WebClient<'a> {
        WebClient { app, cookie: None }
    }

    pub async fn request(&mut self, method: Method, path: &str, form: Option<&[(&str, &str)]>) -> Page {
        let mut req = Request::builder().method(method).uri(path).header(header::HOST, "localhost");
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c);
        }
        let body = match form {
            Some(fields) => {
                req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                let mut s = form_urlencoded::Serializer::new(String::new());
                for (k, v) in fields {
                    s.append_pair(k, v);
                }
                Body::from(s.finish())
            }
            None => Body::empty(),
        };
        let response = self.app.router.clone().oneshot(req.body(body).unwrap()).await.unwrap();
        let status = response.status();
        let header_text = |name| {
            response
                .headers()
                .get(name)
                .map(|v: &header::HeaderValue| v.to_str().unwrap().to_string())
        };
        let location = header_text(header::LOCATION);
        let set_cookie = header_text(header::SET_COOKIE);
        if let Some(c) = &set_cookie {
            let pair = c.split(';').next().unwrap().to_string();
            self.cookie = if pair.ends_with('=') { None } else { Some(pair) };
        }
        let html = String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        Page {
            status,
            location,
            set_cookie,
            html,
        }
    }

    /// A download's bytes.
    pub async fn get_bytes(&mut self, path: &str) -> Vec<u8> {
        let mut req = Request::builder().method(Method::GET).uri(path).header(header::HOST, "localhost");
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c);
        }
        let response = self.app.router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        response.into_body().collect().await.unwrap().to_bytes().to_vec()
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.request(Method::GET, path, None).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.request(Method::POST, path, Some(form)).await
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        self.post("/login", &[("email", email), ("password", password), ("next", "/")])
            .await
    }
}

pub async fn user(app: &TestApp, email: &str, role: Role) -> String {
    let password = format!("{email}-secret");
    qiaolink::cli::add_user(&app.config, email, Some("Test"), role, &password)
        .await
        .unwrap();
    password
}

#[tokio::test]
async fn pages_ask_to_sign_in_and_come_back_after() {
    let app = TestApp::new().await;
    let password = user(&app, "officer@example.org", Role::Officer).await;
    let mut web = WebClient::new(&app);
    let page = web.get("/search?q=Wong").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/login?next=%2Fsearch"));
    let signed = web
        .post(
            "/login",
            &[("email", "OFFICER@example.org"), ("password", &password), ("next", "/search")],
        )
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.html);
    assert_eq!(signed.location.as_deref(), Some("/search"));
    let cookie = signed.set_cookie.unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert_eq!(web.get("/").await.status, StatusCode::OK);
    assert_eq!(app.db.count("SELECT count(*) FROM audit_log WHERE action = 'login'").await, 1);

    // Signing out ends the session in the database, not only in the browser.
    let home = web.get("/").await;
    let cookie_before = web.cookie.clone();
    web.post("/logout", &[("_csrf", &home.csrf())]).await;
    assert_eq!(app.db.count("SELECT count(*) FROM sessions").await, 0);
    web.cookie = cookie_before;
    assert_eq!(web.get("/").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_repeated_failures_make_one_wait() {
    let app = TestApp::new().await;
    let password = user(&app, "officer@example.org", Role::Officer).await;
    let mut web = WebClient::new(&app);
    for _ in 0..4 {
        let page = web.sign_in("officer@example.org", "not the password").await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert!(page.html.contains("电子邮件或密码不对"), "{}", page.html);
    }
    let fifth = web.sign_in("officer@example.org", "not the password").await;
    assert!(fifth.html.contains("分钟后再试"), "{}", fifth.html);
    // Even the right password waits now.
    let locked = web.sign_in("officer@example.org", &password).await;
    assert_eq!(locked.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.db.count("SELECT count(*) FROM sessions").await, 0);
    // An unknown e-mail gets the same answer as a wrong password.
    let unknown = web.sign_in("nobody@example.org", "whatever it is").await;
    assert!(unknown.html.contains("电子邮件或密码不对"));
    // When the wait is over, the right password works and the count starts again.
    app.db.execute("UPDATE users SET locked_until = now() - interval '1 second'").await;
    assert_eq!(web.sign_in("officer@example.org", &password).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.db.count("SELECT failed_logins FROM users").await, 0);
}

#[tokio::test]
async fn sessions_end_when_idle_too_long_or_too_old() {
    let app = TestApp::new().await;
    let password = user(&app, "officer@example.org", Role::Officer).await;
    let mut web = WebClient::new(&app);
    web.sign_in("officer@example.org", &password).await;
    app.db
        .execute("UPDATE sessions SET last_seen_at = now() - interval '31 minutes'")
        .await;
    let page = web.get("/").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let login = web.get(page.location.as_deref().unwrap()).await;
    assert!(login.html.contains("登录已过期"), "{}", login.html);
    assert_eq!(app.db.count("SELECT count(*) FROM sessions").await, 0);

    web.sign_in("officer@example.org", &password).await;
    app.db.execute("UPDATE sessions SET created_at = now() - interval '13 hours'").await;
    assert_eq!(web.get("/").await.status, StatusCode::SEE_OTHER);

    // A disabled user is out at the next click.
    web.sign_in("officer@example.org", &password).await;
    app.db.execute("UPDATE users SET disabled = true").await;
    assert_eq!(web.get("/").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn forms_without_the_session_token_or_from_another_site_are_refused() {
    let app = TestApp::new().await;
    let password = user(&app, "officer@example.org", Role::Officer).await;
    let mut web = WebClient::new(&app);
    web.sign_in("officer@example.org", &password).await;
    let form = [("name_zh", "黃志明"), ("country", "US")];
    let refused = web.post("/people", &form).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.html.contains("此表单已过期"), "{}", refused.html);
    let wrong = web
        .post(
            "/people",
            &[("_csrf", "0".repeat(64).as_str()), ("name_zh", "黃志明"), ("country", "US")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.db.count("SELECT count(*) FROM people").await, 0);

    let token = web.get("/people/new").await.csrf();
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/people")
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::COOKIE, web.cookie.clone().unwrap())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    req = req.header("x-csrf-token", token.as_str());
    let response = app
        .router
        .clone()
        .oneshot(req.body(Body::from("name_zh=x&country=US")).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let stored = web
        .post("/people", &[("_csrf", &token), ("name_zh", "黃志明"), ("country", "US")])
        .await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.html);
    assert_eq!(app.db.count("SELECT count(*) FROM people").await, 1);
}

#[tokio::test]
async fn a_form_with_mistakes_comes_back_with_everything_typed_and_the_messages() {
    let app = TestApp::new().await;
    let password = user(&app, "officer@example.org", Role::Officer).await;
    let mut web = WebClient::new(&app);
    web.sign_in("officer@example.org", &password).await;
    let token = web.get("/people/new").await.csrf();
    let page = web
        .post(
            "/people",
            &[
                ("_csrf", &token),
                ("name_zh", "黃志明"),
                ("country", "USA"),
                ("birth_year", "nineteen"),
                ("city", "San Francisco"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("「USA」不是两个字母的国家代码"), "{}", page.html);
    assert!(page.html.contains("应为整数"), "{}", page.html);
    for typed in ["value=\"黃志明\"", "value=\"USA\"", "value=\"nineteen\"", "value=\"San Francisco\""] {
        assert!(page.html.contains(typed), "{typed} was lost");
    }
    assert_eq!(app.db.count("SELECT count(*) FROM people").await, 0);
}

#[tokio::test]
async fn each_role_gets_only_what_it_may_see_and_person_pages_are_audited() {
    let app = TestApp::new().await;
    app.import(&[fixture("small.jsonl")], false).await;
    let viewer_password = user(&app, "viewer@example.org", Role::Viewer).await;
    let staff_password = user(&app, "desk@example.org", Role::EventStaff).await;
    let person = app.db.count("SELECT 1 FROM people WHERE external_id = 'p-1'").await;
    assert_eq!(person, 1);
    let id = {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        use qiaolink::schema::people;
        let mut conn = app.db.conn().await;
        people::table
            .filter(people::external_id.eq("p-1"))
            .select(people::id)
            .first::<uuid::Uuid>(&mut conn)
            .await
            .unwrap()
    };

    let mut viewer = WebClient::new(&app);
    viewer.sign_in("viewer@example.org", &viewer_password).await;
    let page = viewer.get(&format!("/people/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("黃志明") && page.html.contains("台山"));
    assert!(!page.html.contains("dwong@example.org"), "contact details shown to a viewer");
    assert!(page.html.contains("contact-masked"));
    assert!(
        !page.html.contains("/edit\"") && !page.html.contains("log-form"),
        "a viewer is offered edits"
    );
    assert!(!page.html.contains("/admin/users"));
    let refused = viewer.get("/admin/users").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.html.contains("无权管理用户和 API 令牌"), "{}", refused.html);
    assert_eq!(viewer.get("/import").await.status, StatusCode::FORBIDDEN);
    let read = app
        .db
        .count(&format!(
            "SELECT count(*) FROM audit_log WHERE action = 'read' AND entity_id = '{id}'"
        ))
        .await;
    assert_eq!(read, 1);

    // The event desk sees who a guest is, and nothing more.
    let mut desk = WebClient::new(&app);
    desk.sign_in("desk@example.org", &staff_password).await;
    let page = desk.get(&format!("/people/{id}")).await;
    assert!(page.html.contains("黃志明"));
    assert!(!page.html.contains("台山") && !page.html.contains("timeline"), "{}", page.html);
}

#[tokio::test]
async fn the_language_switch_is_remembered_for_the_user() {
    let app = TestApp::new().await;
    let password = user(&app, "officer@example.org", Role::Officer).await;
    let mut web = WebClient::new(&app);
    web.sign_in("officer@example.org", &password).await;
    let home = web.get("/").await;
    assert!(home.html.contains("lang=\"zh-CN\"") && home.html.contains("待跟进"));
    web.post("/lang", &[("_csrf", &home.csrf()), ("lang", "en"), ("back", "/search")])
        .await;
    // A new session, as on another day or another computer.
    let mut again = WebClient::new(&app);
    again.sign_in("officer@example.org", &password).await;
    let home = again.get("/").await;
    assert!(
        home.html.contains("lang=\"en\"") && home.html.contains("Follow-ups due"),
        "{}",
        home.html
    );
}

#[tokio::test]
async fn admins_manage_users_and_tokens_from_the_pages() {
    let app = TestApp::new().await;
    let password = user(&app, "admin@example.org", Role::Admin).await;
    let mut web = WebClient::new(&app);
    web.sign_in("admin@example.org", &password).await;
    let token = web.get("/admin/users").await.csrf();
    let short = web
        .post(
            "/admin/users",
            &[
                ("_csrf", &token),
                ("email", "new@example.org"),
                ("role", "viewer"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.html.contains("至少需要 10 个字符") && short.html.contains("new@example.org"));
    let made = web
        .post(
            "/admin/users",
            &[
                ("_csrf", &token),
                ("email", "new@example.org"),
                ("role", "viewer"),
                ("password", "a long password"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);

    let page = web
        .post(
            "/admin/tokens",
            &[("_csrf", &token), ("name", "sign-up script"), ("role", "officer")],
        )
        .await;
    let at = page.html.find("qlk_").expect("the new token is shown once");
    let api_token = &page.html[at..at + 68];
    assert_eq!(app.get("/api/v1/people", api_token).await.status, StatusCode::OK);
    assert!(!web.get("/admin/tokens").await.html.contains(api_token), "a token is shown twice");
    let id = app.db.count("SELECT count(*) FROM api_tokens").await;
    assert_eq!(id, 1);

    let audit = web.get("/admin/audit?action=create&entity_type=user").await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(audit.html.contains("admin@example.org"), "the audit log names who acted");
    let bad = web.get("/admin/audit?from=yesterday").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("「yesterday」不是 YYYY-MM-DD 格式的日期"), "{}", bad.html);
}

async fn person_id(app: &TestApp, external_id: &str) -> uuid::Uuid {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use qiaolink::schema::people;
    let mut conn = app.db.conn().await;
    people::table
        .filter(people::external_id.eq(external_id))
        .select(people::id)
        .first(&mut conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn officers_log_change_and_remove_interactions_and_memberships_from_the_person_page() {
    let app = TestApp::new().await;
    app.import(&[fixture("small.jsonl")], false).await;
    let password = user(&app, "officer@example.org", Role::Officer).await;
    let mut web = WebClient::new(&app);
    web.sign_in("officer@example.org", &password).await;
    let id = person_id(&app, "p-1").await;
    let page = web.get(&format!("/people/{id}")).await;
    let token = page.csrf();
    let before = app.db.count("SELECT count(*) FROM interactions").await;

    let logged = web
        .post(
            &format!("/people/{id}/interactions"),
            &[
                ("_csrf", &token),
                ("date", "2026-11-20"),
                ("kind", "call"),
                ("summary", "Called about the tea party"),
                ("follow_up", "2026-12-01"),
            ],
        )
        .await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.html);
    let page = web.get(&format!("/people/{id}")).await;
    assert!(page.html.contains("Called about the tea party") && page.html.contains("2026-12-01"));
    let entry: uuid::Uuid = {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        use qiaolink::schema::{interaction_people, interactions};
        let mut conn = app.db.conn().await;
        interactions::table
            .inner_join(interaction_people::table)
            .filter(interactions::summary.eq("Called about the tea party"))
            .filter(interaction_people::person_id.eq(id))
            .select(interactions::id)
            .first(&mut conn)
            .await
            .unwrap()
    };

    // Changing it keeps it linked to the person; its own address leads back to the person.
    let form = web.get(&format!("/interactions/{entry}/edit")).await;
    assert!(form.html.contains("Called about the tea party"));
    let changed = web
        .post(
            &format!("/interactions/{entry}"),
            &[
                ("_csrf", &token),
                ("date", "2026-11-21"),
                ("kind", "call"),
                ("summary", "Called twice about the tea party"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.html);
    let back = web.get(changed.location.as_deref().unwrap()).await;
    assert_eq!(back.location.as_deref(), Some(format!("/people/{id}#timeline").as_str()));
    let page = web.get(&format!("/people/{id}")).await;
    assert!(page.html.contains("Called twice about the tea party") && !page.html.contains("2026-12-01"));

    // A membership names its organization as officers know it: by name.
    let unknown = web
        .post(
            &format!("/people/{id}/memberships"),
            &[("_csrf", &token), ("organization", "No Such Hall"), ("role", "member")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.html.contains("找不到组织「No Such Hall」") && unknown.html.contains("value=\"No Such Hall\""));
    let added = web
        .post(
            &format!("/people/{id}/memberships"),
            &[
                ("_csrf", &token),
                ("organization", "中華會館"),
                ("role", "director"),
                ("since", "2021"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.html);
    assert_eq!(
        app.db
            .count(&format!("SELECT count(*) FROM memberships WHERE person_id = '{id}'"))
            .await,
        2
    );

    let removed = web
        .post(
            &format!("/interactions/{entry}/delete"),
            &[("_csrf", &token), ("back", &format!("/people/{id}"))],
        )
        .await;
    assert_eq!(removed.location.as_deref(), Some(format!("/people/{id}").as_str()));
    assert_eq!(app.db.count("SELECT count(*) FROM interactions").await, before);
    let audited = app
        .db
        .count("SELECT count(*) FROM audit_log WHERE entity_type IN ('interaction', 'membership') AND actor_kind = 'user'")
        .await;
    assert_eq!(audited, 4, "create, update and delete of the interaction, and the new membership");
}

/// One man on two lists: his Chinese name on one, its reading on the other, and two phones.
const ONE_MAN_TWICE: &str = r#"{"type":"person","external_id":"x1","name_zh":"黃志明","birth_year":1961,"country":"US","city":"San Francisco","phone":"+1 415 555 0101"}
{"type":"person","external_id":"x2","name_latin":"Wong Chi Ming","birth_year":1961,"country":"US","city":"San Francisco","email":"w@example.org","phone":"+1 415 555 0199"}
"#;

#[tokio::test]
async fn clerks_merge_duplicates_side_by_side_undo_a_merge_and_set_a_pair_apart() {
    let app = TestApp::new().await;
    let (_dir, file) = crate::helpers::write_file("lists.jsonl", ONE_MAN_TWICE.as_bytes());
    assert!(app.import(&[file], true).await.stored);
    qiaolink::duplicates::scan_all(&mut app.db.conn().await).await.unwrap();
    let (x1, x2) = (person_id(&app, "x1").await.to_string(), person_id(&app, "x2").await.to_string());
    let password = user(&app, "officer@example.org", Role::Officer).await;
    let mut web = WebClient::new(&app);
    web.sign_in("officer@example.org", &password).await;

    let page = web.get("/duplicates").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("href=\"/duplicates\""), "the menu leads to the page");
    assert!(page.html.contains("黃志明") && page.html.contains("Wong Chi Ming"), "{}", page.html);
    assert!(page.html.contains("外文名是中文名的读音"), "the evidence is said in words");
    assert!(page.html.contains("w@example.org"), "an officer sees contact details");
    // The two phones differ: the clerk picks one.
    assert!(page.html.contains(&format!("name=\"phone\" value=\"{x2}\"")), "{}", page.html);
    assert_eq!(
        app.db
            .count("SELECT count(*) FROM audit_log WHERE action = 'read' AND entity_type = 'duplicates'")
            .await,
        1
    );

    let token = page.csrf();
    let merged = web
        .post(
            "/duplicates/merge",
            &[
                ("_csrf", &token),
                ("a", &x1),
                ("b", &x2),
                ("offset", "0"),
                ("keep", &x1),
                ("phone", &x2),
            ],
        )
        .await;
    assert_eq!(merged.status, StatusCode::SEE_OTHER, "{}", merged.html);
    assert_eq!(app.db.count("SELECT count(*) FROM people").await, 1);
    // x1 stays, with the phone chosen from x2 and what it lacked filled from it.
    let kept = "SELECT count(*) FROM people WHERE external_id = 'x1' AND phone = '+1 415 555 0199' \
                AND name_latin = 'Wong Chi Ming' AND email = 'w@example.org'";
    assert_eq!(app.db.count(kept).await, 1);

    let after = web.get(merged.location.as_deref().unwrap()).await;
    assert!(
        after.html.contains("id=\"merged\"") && after.html.contains("id=\"no-pairs\""),
        "{}",
        after.html
    );
    let at = after.html.find("name=\"merge\" value=\"").expect("the merge can be undone") + 20;
    let merge_id = after.html[at..at + 36].to_string();
    let undone = web.post("/duplicates/undo", &[("_csrf", &token), ("merge", &merge_id)]).await;
    assert_eq!(undone.status, StatusCode::SEE_OTHER, "{}", undone.html);
    assert_eq!(app.db.count("SELECT count(*) FROM people").await, 2);
    let again = web.post("/duplicates/undo", &[("_csrf", &token), ("merge", &merge_id)]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.html.contains("这次合并已经撤销"), "{}", again.html);
    let back = web.get(undone.location.as_deref().unwrap()).await;
    assert!(
        back.html.contains("id=\"undone\"") && !back.html.contains(&merge_id),
        "{}",
        back.html
    );

    // Found again, the pair is set apart and not proposed any more.
    qiaolink::duplicates::scan_all(&mut app.db.conn().await).await.unwrap();
    assert!(web.get("/duplicates").await.html.contains("Wong Chi Ming"));
    let dismissed = web
        .post("/duplicates/dismiss", &[("_csrf", &token), ("a", &x1), ("b", &x2), ("keep", &x1)])
        .await;
    assert_eq!(dismissed.status, StatusCode::SEE_OTHER, "{}", dismissed.html);
    assert!(web.get("/duplicates").await.html.contains("id=\"no-pairs\""));

    // Viewers may not merge records, nor see the page in their menu.
    let viewer_password = user(&app, "viewer@example.org", Role::Viewer).await;
    let mut viewer = WebClient::new(&app);
    viewer.sign_in("viewer@example.org", &viewer_password).await;
    assert_eq!(viewer.get("/duplicates").await.status, StatusCode::FORBIDDEN);
    let home = viewer.get("/").await;
    assert!(!home.html.contains("href=\"/duplicates\""));
    let refused = viewer
        .post("/duplicates/undo", &[("_csrf", &home.csrf()), ("merge", &merge_id)])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

const CONSENTING: &str = r#"{"type":"organization","external_id":"o-ts","name_zh":"美國台山同鄉會","kind":"hometown_association","country":"US"}
{"type":"person","external_id":"mw","name_zh":"甄美華","country":"US","email":"meiwah.yan@example.org","memberships":[{"organization":"o-ts","role":"president"}],"consent":{"status":"granted","date":"2025-03-01","purposes":["events","newsletter"]}}
{"type":"interaction","external_id":"i-own","kind":"call","date":"2026-04-01","summary":"Asked about the scholarship","people":["mw"]}
"#;

#[tokio::test]
async fn officers_record_consent_and_admins_answer_data_requests_from_the_person_page() {
    let app = TestApp::new().await;
    let (_dir, file) = crate::helpers::write_file("consent.jsonl", CONSENTING.as_bytes());
    assert!(app.import(&[file], true).await.stored);
    let id = person_id(&app, "mw").await;
    let (person, consent, erase) = (
        format!("/people/{id}"),
        format!("/people/{id}/consent"),
        format!("/people/{id}/erase"),
    );

    // Officers see the consent held and how it came, and record a withdrawal.
    let password = user(&app, "officer@example.org", Role::Officer).await;
    let mut officer = WebClient::new(&app);
    officer.sign_in("officer@example.org", &password).await;
    let page = officer.get(&person).await;
    assert!(
        page.html.contains("id=\"consent\"") && page.html.contains("id=\"consent-history\""),
        "{}",
        page.html
    );
    assert!(
        page.html.contains("活动邀请, 通讯") && page.html.contains("2025-03-01"),
        "{}",
        page.html
    );
    assert!(!page.html.contains("id=\"data-rights\""), "only admins answer data requests");
    let token = page.csrf();
    let today = chrono::Utc::now().date_naive().to_string();
    let withdraw = |source: &'static str| {
        vec![
            ("_csrf", token.as_str()),
            ("status", "withdrawn"),
            ("purpose", "events"),
            ("date", today.as_str()),
            ("source", source),
        ]
    };
    let unsaid = officer.post(&consent, &withdraw("")).await;
    assert_eq!(unsaid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unsaid.html.contains("请说明本人如何表示同意或撤回"), "{}", unsaid.html);
    let recorded = officer.post(&consent, &withdraw("e-mail")).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.html);
    let page = officer.get(recorded.location.as_deref().unwrap()).await;
    assert!(
        page.html.contains("id=\"consent-notice\"") && page.html.contains("电子邮件"),
        "{}",
        page.html
    );
    assert_eq!(
        app.db.count("SELECT count(*) FROM consent_events WHERE status = 'withdrawn'").await,
        1
    );
    let newsletter_only = format!("SELECT count(*) FROM people WHERE id = '{id}' AND consent_purposes = '{{newsletter}}'");
    assert_eq!(app.db.count(&newsletter_only).await, 1);
    assert_eq!(officer.get(&format!("/people/{id}/data.json")).await.status, StatusCode::FORBIDDEN);
    let refused = officer
        .post(&erase, &[("_csrf", &token), ("reason", "asked"), ("understood", "on")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Viewers see no consent, and may not change it.
    let password = user(&app, "viewer@example.org", Role::Viewer).await;
    let mut viewer = WebClient::new(&app);
    viewer.sign_in("viewer@example.org", &password).await;
    let page = viewer.get(&person).await;
    assert!(!page.html.contains("id=\"consent\""), "{}", page.html);
    let token = page.csrf();
    let form = [
        ("_csrf", token.as_str()),
        ("status", "granted"),
        ("purpose", "events"),
        ("source", "e-mail"),
    ];
    let refused = viewer.post(&consent, &form).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Admins hand over a copy of everything, then erase the person.
    let password = user(&app, "admin@example.org", Role::Admin).await;
    let mut admin = WebClient::new(&app);
    admin.sign_in("admin@example.org", &password).await;
    let page = admin.get(&person).await;
    assert!(page.html.contains(&format!("/people/{id}/data.json")), "{}", page.html);
    let json = String::from_utf8(admin.get_bytes(&format!("/people/{id}/data.json")).await).unwrap();
    assert!(json.contains("meiwah.yan@example.org"), "{json}");
    assert!(admin.get_bytes(&format!("/people/{id}/data.pdf")).await.starts_with(b"%PDF"));
    let token = page.csrf();
    let unticked = admin.post(&erase, &[("_csrf", &token), ("reason", "request by e-mail")]).await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unticked.html.contains("id=\"erase-not-understood\""), "{}", unticked.html);
    assert_eq!(app.db.count("SELECT count(*) FROM people").await, 1);
    let erased = admin
        .post(
            &erase,
            &[
                ("_csrf", &token),
                ("reason", "request by e-mail of 2026-11-20"),
                ("understood", "on"),
            ],
        )
        .await;
    assert_eq!(erased.status, StatusCode::SEE_OTHER, "{}", erased.html);
    let home = admin.get(erased.location.as_deref().unwrap()).await;
    assert!(home.html.contains("已删除此人：社团关系 1 条、联络记录 1 条"), "{}", home.html);
    assert_eq!(app.db.count("SELECT count(*) FROM people").await, 0);
    assert_eq!(app.db.count("SELECT count(*) FROM erasures").await, 1);
}
