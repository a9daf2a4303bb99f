//! An officer's day in a real headless Chromium (Debian's `chromium` and `chromium-driver`),
//! driving the real server on a real database. Screenshots are kept as test output in
//! `target/browser-screenshots/`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use qiaolink::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, free_port, write_file};
use crate::web::user;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const PATIENCE: Duration = Duration::from_secs(15);

/// A chromedriver of the test's own, stopped when the test ends.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromedriver() -> Driver {
    assert!(
        Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists(),
        "Chromium and ChromeDriver are not installed: run the tests with ./dev test, which installs Debian's chromium and chromium-driver"
    );
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < PATIENCE, "chromedriver did not start listening");
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver { child, port }
}

async fn browser(driver: &Driver) -> Client {
    let caps = json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            // As root in a container, with no network beyond loopback: no sandbox, no
            // background connections, no first-run screens.
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-quic", "--no-first-run", "--window-size=1280,1000", "--lang=zh-CN"]
        }
    });
    let Value::Object(caps) = caps else { unreachable!() };
    ClientBuilder::rustls()
        .unwrap()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session starts")
}

/// Serves the app on a free port, with the search worker running as in production.
async fn serve(app: &TestApp) -> String {
    format!("http://{}", app.serve_with_search_sync().await)
}

struct Session {
    client: Client,
    base: String,
}

impl Session {
    async fn open(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
    }

    /// Waits until an element matching `css` shows `text`; returns that element.
    async fn find_text(&self, css: &str, text: &str) -> fantoccini::elements::Element {
        let started = Instant::now();
        loop {
            for element in self.client.find_all(Locator::Css(css)).await.unwrap() {
                if element.text().await.unwrap_or_default().contains(text) {
                    return element;
                }
            }
            if started.elapsed() > PATIENCE {
                self.shot("failed").await;
                panic!("no {css} showing \"{text}\" on {}", self.client.current_url().await.unwrap());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn type_into(&self, css: &str, text: &str) {
        self.find(css).await.send_keys(text).await.unwrap();
    }

    async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap();
    }

    async fn sign_in(&self, email: &str, password: &str) {
        self.open("/").await;
        self.type_into("input[name=email]", email).await;
        self.type_into("input[name=password]", password).await;
        self.click("button[type=submit]").await;
        self.find("nav.menu").await;
    }

    async fn shot(&self, name: &str) {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        if let Ok(png) = self.client.screenshot().await {
            std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
        }
    }
}

const PEOPLE: &str = r#"{"type":"organization","external_id":"org-ningyung","name_zh":"寧陽會館","name_en":"Ning Yung Benevolent Association","kind":"hometown_association","country":"US","city":"San Francisco","hometowns":["台山"]}
{"type":"person","external_id":"p-wong","name_zh":"黃志明","name_latin":"David Wong","country":"US","city":"San Francisco","hometown":"台山","email":"dwong@example.org","memberships":[{"organization":"org-ningyung","role":"president","since":"2019"}]}
{"type":"person","external_id":"p-wang","name_zh":"王美玲","country":"CA","city":"Vancouver","hometown":"开平"}
{"type":"person","external_id":"p-lee","name_zh":"李大卫","name_latin":"David Lee","country":"US"}
"#;

const UPLOAD: &str = r#"{"type":"person","external_id":"up-1","name_zh":"伍嬋芝","country":"US","hometown":"台山"}
{"type":"person","external_id":"up-2","name_zh":"梅源","country":"USA"}
{"type":"person","external_id":"up-3","name_zh":"關麗華","country":"PE","city":"Lima"}
"#;

#[tokio::test]
async fn an_officer_finds_a_person_logs_a_visit_imports_a_file_and_a_viewer_is_refused() {
    let app = TestApp::new().await;
    let (_dir, data) = write_file("contacts.jsonl", PEOPLE.as_bytes());
    app.import(&[data], true).await;
    app.sync_search().await;
    let officer = user(&app, "officer@example.org", Role::Officer).await;
    let viewer = user(&app, "viewer@example.org", Role::Viewer).await;
    let base = serve(&app).await;
    let driver = chromedriver();
    let web = Session {
        client: browser(&driver).await,
        base,
    };

    // Sign in, then search "Wong": people written 黃 and 王 both come up.
    web.sign_in("officer@example.org", &officer).await;
    web.open("/search").await;
    web.type_into("#q", "Wong").await;
    web.find_text(".hit-name", "黃志明").await;
    let wang = web.find_text(".hit", "王美玲").await;
    assert!(
        wang.text().await.unwrap().contains("按读音匹配"),
        "the hit says it matched by reading"
    );
    let hits = web.client.find_all(Locator::Css(".hit-name")).await.unwrap();
    for hit in hits {
        assert!(!hit.text().await.unwrap().contains("李大卫"), "Lee is not Wong");
    }
    web.shot("1-search-wong").await;
    // The same page on a phone.
    web.client.set_window_size(390, 844).await.unwrap();
    web.shot("1-search-wong-phone").await;
    web.client.set_window_size(1280, 1000).await.unwrap();

    // Open the person and log a visit; first with a mistake, which keeps what was typed.
    web.find_text(".hit-link", "黃志明").await.click().await.unwrap();
    web.find_text("#person-name", "黃志明").await;
    web.find_text("#memberships", "寧陽會館").await;
    web.click("#timeline summary").await;
    web.find("#f-kind").await.select_by_value("meeting").await.unwrap();
    web.type_into("#f-summary", "在台山会见黄先生，商量寻根之旅").await;
    web.client
        .execute("document.getElementById('f-date').value = '';", vec![])
        .await
        .unwrap();
    web.click("#log-save").await;
    web.find_text(".field.invalid .error", "此项必填").await;
    let kept = web.find("#f-summary").await.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(kept, "在台山会见黄先生，商量寻根之旅");
    web.client
        .execute("document.getElementById('f-date').value = '2026-11-20';", vec![])
        .await
        .unwrap();
    web.click("#log-save").await;
    web.find_text(".timeline .summary", "商量寻根之旅").await;
    web.find_text(".timeline .badge", "会见").await;
    web.shot("2-person-timeline").await;

    // One click to English; the choice stays with the user.
    web.click("#lang-switch").await;
    web.find_text("#timeline h2", "Interactions").await;
    web.find("html[lang=en]").await;
    web.shot("3-person-english").await;

    // Upload a file with one bad line and read the report.
    let (_upload_dir, upload) = write_file("people.jsonl", UPLOAD.as_bytes());
    web.open("/import").await;
    web.find("#import-file").await.send_keys(upload.to_str().unwrap()).await.unwrap();
    web.click("#import-submit").await;
    web.find_text("#report-status", "The valid records were stored").await;
    let problem = web.find_text("#import-errors", "line 2").await.text().await.unwrap();
    assert!(problem.contains("two-letter country code"), "{problem}");
    web.shot("4-import-report").await;
    assert_eq!(app.db.count("SELECT count(*) FROM people WHERE external_id LIKE 'up-%'").await, 2);

    // A viewer is not offered the admin pages, and is refused when opening one anyway.
    web.click("#logout").await;
    web.sign_in("viewer@example.org", &viewer).await;
    assert!(web.client.find(Locator::Css("a[href='/admin/users']")).await.is_err());
    web.open("/admin/users").await;
    web.find_text("h1", "无权访问").await;
    web.find_text(".problem", "无权管理用户和 API 令牌").await;
    web.shot("5-viewer-refused").await;

    web.client.close().await.unwrap();
}

#[tokio::test]
async fn a_guest_answers_in_their_language_and_is_checked_in_at_the_door() {
    let app = TestApp::new().await;
    let (_dir, data) = write_file("world.jsonl", crate::events::WORLD.as_bytes());
    app.import(&[data], true).await;
    app.sync_search().await;
    let officer = app.token(Role::Officer).await;
    let made = app
        .post("/api/v1/events", &officer, json!({ "name_zh": "新春茶话会", "name_en": "New-Year Tea Party", "kind": "tea_party", "starts_on": "2027-02-01", "capacity": 700 }))
        .await;
    let event = made.body["id"].as_str().unwrap().to_string();
    let rosa = app.get("/api/v1/people?external_id=c", &officer).await.body["items"][0]["id"].clone();
    app.post(&format!("/api/v1/events/{event}/guests"), &officer, json!({ "people": [rosa] }))
        .await;
    app.post(&format!("/api/v1/events/{event}/send"), &officer, json!({})).await;
    let guest = app.get(&format!("/api/v1/events/{event}/invitations"), &officer).await.body["items"][0].clone();
    let code = guest["door_code"].as_str().unwrap().to_string();
    let mut conn = app.db.conn().await;
    qiaolink::events::mail::deliver_all(&mut conn, &app.app.mailer, &app.config)
        .await
        .unwrap();
    let mail = app.app.mailer.captured().remove(0);
    let link = mail.body.lines().find(|l| l.contains("/rsvp/")).unwrap().trim().to_string();
    let rsvp_path = &link[link.find("/rsvp/").unwrap()..];

    let desk_password = user(&app, "desk@example.org", Role::EventStaff).await;
    let base = serve(&app).await;
    let driver = chromedriver();
    let web = Session {
        client: browser(&driver).await,
        base,
    };

    // The guest opens the link from the mail: Spanish, as her languages say.
    web.client.set_window_size(390, 844).await.unwrap();
    web.open(rsvp_path).await;
    web.find("html[lang=es]").await;
    web.find_text("h1", "New-Year Tea Party").await;
    web.click("#answer-accept").await;
    web.type_into("input[name=dietary]", "vegetariano").await;
    web.click("#rsvp-save").await;
    web.find_text("#rsvp-message", "¡Gracias!").await;
    web.find_text("#door-code", &code).await;
    web.shot("6-rsvp-spanish-phone").await;

    // At the door, event staff type the code from her invitation.
    web.sign_in("desk@example.org", &desk_password).await;
    web.open(&format!("/events/{event}/checkin")).await;
    web.type_into("#code", &code.to_lowercase()).await;
    web.click("#checkin-submit").await;
    web.find_text("#checkin-result", "關麗華").await;
    web.find_text("#arrived", "1").await;
    // Found by another spelling of her name, already in.
    web.type_into("#name-q", "Kuan").await;
    web.click("form.bigsearch button").await;
    web.find_text("#found", "已签到").await;
    web.shot("7-checkin-phone").await;
    web.client.set_window_size(1280, 1000).await.unwrap();
    web.open(&format!("/events/{event}")).await;
    web.find_text("#tally", "1 / 700").await;
    web.shot("8-event-dashboard").await;
    web.client.close().await.unwrap();
}

#[tokio::test]
async fn the_country_report_draws_its_charts_and_offers_its_files() {
    let app = TestApp::new().await;
    let (_dir, data) = write_file("world.jsonl", crate::events::WORLD.as_bytes());
    app.import(&[data], true).await;
    let password = user(&app, "officer@example.org", Role::Officer).await;
    let base = serve(&app).await;
    let driver = chromedriver();
    let web = Session {
        client: browser(&driver).await,
        base,
    };
    web.sign_in("officer@example.org", &password).await;
    web.open("/reports").await;
    web.find_text("#overview", "US").await;
    web.find_text("#overview a", "PE").await.click().await.unwrap();
    web.find_text("#report-title", "PE").await;
    // Bars for organization kinds and statuses are drawn, one per row of the data.
    let bars = web.client.find_all(Locator::Css("svg.chart rect")).await.unwrap();
    assert!(bars.len() >= 2, "{} bars", bars.len());
    let first = &bars[0];
    let width: f64 = first.attr("width").await.unwrap().unwrap().parse().unwrap();
    assert!(width > 0.0);
    web.find("#pdf-zh").await;
    web.find("#pdf-en").await;
    web.shot("9-country-report").await;
    web.client.close().await.unwrap();
}
