//! Country reports checked against a small world counted by hand, on screen, in JSON, in
//! Excel (read back), in CSV and in the PDF's text.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use qiaolink::auth::Role;
use serde_json::Value;

use crate::helpers::{TestApp, write_file};

/// The United States: three organizations (one dormant youth society, one trade office),
/// six people, two recent interactions and an old one; Peru: one person.
fn world() -> String {
    let day = |ago: i64| (Utc::now().date_naive() - Duration::days(ago)).to_string();
    format!(
        r#"{{"type":"organization","external_id":"o1","name_zh":"美國台山同鄉會","kind":"hometown_association","country":"US","city":"New York","hometowns":["台山"]}}
{{"type":"organization","external_id":"o2","name_zh":"美國五邑青年會","kind":"youth_society","country":"US","liaison_status":"dormant"}}
{{"type":"organization","external_id":"o3","name_en":"Jiangmen Trade Office USA","kind":"trade_office","country":"US"}}
{{"type":"person","external_id":"p1","name_zh":"黃志明","country":"US","status":"foreign_citizen_of_chinese_origin","hometown":"台山 斗山","talent_fields":["semiconductors"],"high_level_talent":true,"memberships":[{{"organization":"o1","role":"president"}}]}}
{{"type":"person","external_id":"p2","name_zh":"伍嬋芝","country":"US","status":"foreign_citizen_of_chinese_origin","hometown":"台山"}}
{{"type":"person","external_id":"p3","name_zh":"關麗華","country":"US","status":"foreign_citizen_of_chinese_origin","hometown":"开平","talent_fields":["semiconductors"]}}
{{"type":"person","external_id":"p4","name_zh":"司徒明","country":"US","status":"overseas_chinese","hometown":"Toisan","talent_fields":["fintech"]}}
{{"type":"person","external_id":"p5","name_zh":"梅源","country":"US","status":"overseas_chinese"}}
{{"type":"person","external_id":"p6","name_zh":"譚大文","country":"US","status":"student_abroad","hometown":"恩平"}}
{{"type":"person","external_id":"p7","name_zh":"陳秀蘭","country":"PE","status":"overseas_chinese"}}
{{"type":"interaction","external_id":"i1","date":"{}","kind":"visit","summary":"Visit","people":["p1"],"organizations":["o1"]}}
{{"type":"interaction","external_id":"i2","date":"{}","kind":"call","summary":"Call","people":["p3"]}}
{{"type":"interaction","external_id":"i3","date":"{}","kind":"meeting","summary":"Old meeting","organizations":["o2"]}}
"#,
        day(10),
        day(40),
        day(800)
    )
}

async fn setup() -> TestApp {
    let app = TestApp::new().await;
    let (_dir, file) = write_file("world.jsonl", world().as_bytes());
    let report = app.import(&[file], true).await;
    assert!(report.stored && report.rejected() == 0, "{:?}", report.errors);
    app
}

fn period() -> String {
    let today = Utc::now().date_naive();
    format!("period=custom&from={}&to={today}", today - Duration::days(365))
}

fn count(list: &Value, label: &str) -> i64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["label"] == label)
        .map(|c| c["count"].as_i64().unwrap())
        .unwrap_or(0)
}

#[tokio::test]
async fn the_country_report_counts_what_a_person_would_count() {
    let app = setup().await;
    let token = app.token(Role::Officer).await;
    let r = app.get(&format!("/api/v1/reports/countries/us?{}", period()), &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = r.body;
    let h = &r["headline"];
    assert_eq!(
        (h["organizations"].as_i64(), h["active_organizations"].as_i64()),
        (Some(3), Some(2))
    );
    assert_eq!((h["people"].as_i64(), h["high_level_talents"].as_i64()), (Some(6), Some(1)));
    assert_eq!(
        h["interactions"], 2,
        "i1 counts once though it has a person and an organization; i3 is too old"
    );
    assert_eq!(count(&r["people_by_status"], "foreign_citizen_of_chinese_origin"), 3);
    assert_eq!(count(&r["people_by_status"], "overseas_chinese"), 2);
    assert_eq!(count(&r["people_by_county"], "台山"), 3, "{}", r["people_by_county"]);
    assert_eq!(count(&r["people_by_county"], "开平"), 1);
    assert_eq!(count(&r["people_by_town"], "斗山"), 1);
    assert_eq!(count(&r["people_by_talent_field"], "semiconductors"), 2);
    assert_eq!(r["high_level_talents"][0]["name"], "黃志明");
    assert_eq!(r["youth_and_trade"].as_array().unwrap().len(), 2);
    let bearers = r["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "美國台山同鄉會")
        .unwrap()["bearers"]
        .clone();
    assert_eq!(bearers, "president 黃志明");
    let months = r["interactions_by_month"].as_array().unwrap();
    assert_eq!(months.len(), 24);
    assert_eq!(months.iter().map(|m| m["count"].as_i64().unwrap()).sum::<i64>(), 2);
    let quiet: Vec<&str> = r["not_contacted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert!(
        quiet.contains(&"美國五邑青年會") && quiet.contains(&"Jiangmen Trade Office USA"),
        "{quiet:?}"
    );
    assert!(!quiet.contains(&"美國台山同鄉會"), "contacted ten days ago");
    let youth = r["not_contacted"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"] == "美國五邑青年會")
        .unwrap();
    assert_eq!(youth["months"], 24);

    let overview = app.get(&format!("/api/v1/reports/countries?{}", period()), &token).await.body;
    let rows = overview["countries"].as_array().unwrap();
    assert_eq!(rows[0]["country"], "US");
    assert_eq!(rows.iter().find(|c| c["country"] == "PE").unwrap()["people"], 1);
    let bad = app.get("/api/v1/reports/countries/USA", &token).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn excel_csv_and_pdf_carry_the_same_figures() {
    use calamine::{Data, Reader, Xlsx};
    let app = setup().await;
    let token = app.token(Role::Officer).await;
    let xlsx = app
        .get(&format!("/api/v1/reports/countries/US?format=xlsx&lang=zh&{}", period()), &token)
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.bytes)).unwrap();
    assert!(book.sheet_names().len() >= 10, "one sheet per section: {:?}", book.sheet_names());
    let summary = book.worksheet_range("summary").unwrap();
    assert_eq!(summary.get_value((2, 0)), Some(&Data::String("社团".into())));
    assert_eq!(summary.get_value((2, 1)), Some(&Data::Float(3.0)));
    let status = book.worksheet_range("status").unwrap();
    let rows: Vec<_> = status.rows().collect();
    assert!(
        rows.iter()
            .any(|r| r[0] == Data::String("外籍华人".into()) && r[1] == Data::Float(3.0)),
        "{rows:?}"
    );

    let csv = app
        .get(&format!("/api/v1/reports/countries/US?format=csv&lang=en&{}", period()), &token)
        .await;
    let text = String::from_utf8(csv.bytes).unwrap();
    assert!(
        text.contains("Organizations,3") && text.contains("Foreign citizen of Chinese origin,3"),
        "{text}"
    );

    let pdf = app
        .get(&format!("/api/v1/reports/countries/US?format=pdf&lang=zh&{}", period()), &token)
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.bytes.starts_with(b"%PDF"));
    let text = crate::events::pdf_text(&pdf.bytes);
    assert!(
        text.contains("联络报告") && text.contains("社团类型") && text.contains("黃志明") && text.contains("台山"),
        "{text}"
    );
    let english = crate::events::pdf_text(
        &app.get(&format!("/api/v1/reports/countries/US?format=pdf&lang=en&{}", period()), &token)
            .await
            .bytes,
    );
    assert!(
        english.contains("Liaison report") && english.contains("Organizations by kind"),
        "{english}"
    );
    assert_eq!(
        app.db
            .count("SELECT count(*) FROM audit_log WHERE action = 'export' AND entity_type = 'report'")
            .await,
        4
    );
}

#[tokio::test]
async fn reports_show_only_what_the_role_may_read() {
    let app = setup().await;
    let viewer = app.token(Role::Viewer).await;
    assert_eq!(app.get("/api/v1/reports/countries/US", &viewer).await.status, StatusCode::OK);
    let refused = app.get("/api/v1/reports/countries/US?format=xlsx", &viewer).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "viewers do not export");
    let desk = app.token(Role::EventStaff).await;
    let r = app.get("/api/v1/reports/countries/US", &desk).await.body;
    assert!(r["people_by_status"].as_array().unwrap().is_empty() && r["high_level_talents"].as_array().unwrap().is_empty());
    assert!(r["not_contacted"].as_array().unwrap().is_empty());
    assert!(r["left_out"].as_array().unwrap().iter().any(|s| s == "people"));
    assert_eq!(r["headline"]["organizations"], 3);
}
