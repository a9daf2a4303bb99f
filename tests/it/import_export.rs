//! Import and export in the interchange format: upserts, bad lines, strict mode,
//! encodings, formula guards, and round trips through every format.

use std::path::PathBuf;

use qiaolink::auth::Role;
use qiaolink::import::Report;

use crate::helpers::{TestApp, fixture, write_file};

fn counts(report: &Report, ty: &str) -> (u64, u64, u64, u64) {
    let c = report.counts.get(ty).cloned().unwrap_or_default();
    (c.created, c.updated, c.unchanged, c.rejected)
}

#[tokio::test]
async fn importing_twice_changes_nothing_the_second_time() {
    let app = TestApp::new().await;
    let first = app.import(&[fixture("small.jsonl")], false).await;
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    assert_eq!(counts(&first, "organization"), (3, 0, 0, 0));
    assert_eq!(counts(&first, "person"), (4, 0, 0, 0));
    assert_eq!(counts(&first, "interaction"), (1, 0, 0, 0));
    // References resolve whatever the order of lines: a parent after its child, an
    // organization after the person who belongs to it.
    assert_eq!(app.db.count("SELECT count(*) FROM organizations c JOIN organizations p ON c.parent_id = p.id WHERE c.external_id = 'org-ningyung-sf' AND p.external_id = 'org-ccba-sf'").await, 1);
    assert_eq!(app.db.count("SELECT count(*) FROM memberships").await, 3);
    assert_eq!(app.db.count("SELECT count(*) FROM interaction_people").await, 2);
    assert_eq!(
        app.db
            .count("SELECT count(*) FROM people WHERE external_id = 'p-4' AND hometown_place_id = 'xinhui:司前'")
            .await,
        1
    );
    let outbox = app.db.count("SELECT count(*) FROM search_outbox").await;
    assert_eq!(outbox, 7);

    let second = app.import(&[fixture("small.jsonl")], false).await;
    assert_eq!(counts(&second, "organization"), (0, 0, 3, 0));
    assert_eq!(counts(&second, "person"), (0, 0, 4, 0));
    assert_eq!(counts(&second, "interaction"), (0, 0, 1, 0));
    assert_eq!(
        app.db.count("SELECT count(*) FROM search_outbox").await,
        outbox,
        "no index work for unchanged records"
    );
    assert_eq!(app.db.count("SELECT count(*) FROM memberships").await, 3);
}

#[tokio::test]
async fn a_changed_record_updates_only_the_fields_it_names() {
    let app = TestApp::new().await;
    app.import(&[fixture("small.jsonl")], false).await;
    let (_dir, path) = write_file(
        "update.jsonl",
        "{\"type\":\"person\",\"external_id\":\"p-2\",\"city\":\"Boston\",\"memberships\":[]}\n".as_bytes(),
    );
    let report = app.import(&[path], false).await;
    assert_eq!(counts(&report, "person"), (0, 1, 0, 0));
    assert_eq!(
        app.db
            .count("SELECT count(*) FROM people WHERE external_id = 'p-2' AND city = 'Boston' AND name_zh = '譚美玲' AND birth_year = 1968")
            .await,
        1
    );
    assert_eq!(
        app.db
            .count("SELECT count(*) FROM memberships m JOIN people p ON p.id = m.person_id WHERE p.external_id = 'p-2'")
            .await,
        0
    );
}

#[tokio::test]
async fn broken_lines_are_reported_by_line_and_field_and_the_good_records_stored_whole() {
    let app = TestApp::new().await;
    let report = app.import(&[fixture("broken.jsonl")], false).await;
    let mut problems: Vec<(u64, Option<String>)> = report.errors.iter().map(|e| (e.at.line.unwrap(), e.field.clone())).collect();
    problems.sort();
    assert_eq!(
        problems,
        vec![
            (3, Some("country".into())),
            (4, None),
            (5, Some("memberships[0].organization".into())),
            (6, Some("birth_year".into())),
            (7, Some("kind".into())),
            (8, Some("date".into())),
        ]
    );
    let unknown = report
        .warnings
        .iter()
        .find(|w| w.field.as_deref() == Some("favourite_food"))
        .expect("unknown field reported");
    assert_eq!(unknown.at.line, Some(6));
    assert!(report.errors.iter().any(|e| e.message.contains("two-letter country code")));
    assert!(report.stored);
    assert_eq!(app.db.count("SELECT count(*) FROM organizations").await, 1);
    assert_eq!(app.db.count("SELECT count(*) FROM people").await, 1);
    assert_eq!(app.db.count("SELECT count(*) FROM interactions").await, 1);
    assert_eq!(app.db.count("SELECT count(*) FROM interaction_organizations").await, 1);
    assert_eq!(app.db.count("SELECT count(*) FROM import_runs").await, 1);
}

#[tokio::test]
async fn a_strict_import_with_a_bad_record_stores_nothing() {
    let app = TestApp::new().await;
    let report = app.import(&[fixture("broken.jsonl")], true).await;
    assert!(!report.stored);
    assert_eq!(report.errors.len(), 6);
    for table in [
        "organizations",
        "people",
        "interactions",
        "memberships",
        "search_outbox",
        "audit_log",
        "import_runs",
    ] {
        assert_eq!(app.db.count(&format!("SELECT count(*) FROM {table}")).await, 0, "{table}");
    }
    let clean = app.import(&[fixture("small.jsonl")], true).await;
    assert!(clean.stored);
    assert_eq!(app.db.count("SELECT count(*) FROM people").await, 4);
}

#[tokio::test]
async fn csv_in_gb18030_or_with_a_bom_and_rows_reported_by_line() {
    let app = TestApp::new().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("organizations.csv"),
        "\u{feff}external_id,name_zh,kind,country,hometowns\norg-1,開平同鄉會,hometown_association,CA,Hoiping;赤坎\n",
    )
    .unwrap();
    let people = "external_id,name_zh,name_latin,country,hometown,languages,high_level_talent\n\
                  p-1,司徒美華,Soohoo Mei Wah,US,開平赤坎,yue;en,是\n\
                  p-2,余國強,Yee Kwok Keung,XX,台山,yue,否\n";
    let (encoded, _, _) = encoding_rs::GB18030.encode(people);
    std::fs::write(dir.path().join("people.csv"), &encoded).unwrap();
    std::fs::write(
        dir.path().join("memberships.csv"),
        "person,organization,role,since\np-1,org-1,secretary_general,2021\np-1,org-9,member,\n",
    )
    .unwrap();
    let report = app.import(&[dir.path().to_path_buf()], false).await;
    assert_eq!(counts(&report, "person"), (1, 0, 0, 1));
    assert_eq!(counts(&report, "membership"), (1, 0, 0, 1));
    let bad = report.errors.iter().find(|e| e.field.as_deref() == Some("country")).unwrap();
    assert_eq!((bad.at.file.as_str(), bad.at.line), ("people.csv", Some(3)));
    let missing = report.errors.iter().find(|e| e.field.as_deref() == Some("organization")).unwrap();
    assert_eq!(missing.at.line, Some(3));
    assert_eq!(
        app.db.count("SELECT count(*) FROM people WHERE name_zh = '司徒美華' AND hometown_place_id = 'kaiping:赤坎' AND high_level_talent AND languages = '{yue,en}'").await,
        1
    );
}

async fn export_jsonl(app: &TestApp) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("all.jsonl");
    qiaolink::cli::export(&app.config, None, None, &path).await.unwrap();
    let mut lines: Vec<String> = std::fs::read_to_string(&path).unwrap().lines().map(str::to_string).collect();
    lines.sort();
    lines
}

#[tokio::test]
async fn export_then_import_into_an_empty_database_gives_the_same_records_in_every_format() {
    let source = TestApp::new().await;
    source.import(&[fixture("small.jsonl")], false).await;
    let officer = source.token(Role::Officer).await;
    // A record without external_id still round-trips, under its id.
    source
        .post(
            "/api/v1/people",
            &officer,
            serde_json::json!({"name_latin": "=HYPERLINK(\"x\")", "country": "CA", "notes": "-2 guests"}),
        )
        .await;
    let expected = export_jsonl(&source).await;
    assert_eq!(expected.len(), 3 + 5 + 1);

    let dir = tempfile::tempdir().unwrap();
    for file in ["all.jsonl", "all.xlsx", "all.zip", "csv-folder"] {
        let path: PathBuf = dir.path().join(file);
        qiaolink::cli::export(&source.config, None, None, &path).await.unwrap();
        let target = TestApp::new().await;
        let report = target.import(&[path.clone()], true).await;
        assert!(
            report.errors.is_empty() && report.warnings.is_empty(),
            "{file}: {:?} {:?}",
            report.errors,
            report.warnings
        );
        assert_eq!(export_jsonl(&target).await, expected, "{file}");
    }
}

#[tokio::test]
async fn spreadsheet_cells_never_start_a_formula() {
    let app = TestApp::new().await;
    let officer = app.token(Role::Officer).await;
    app.post(
        "/api/v1/people",
        &officer,
        serde_json::json!({"external_id": "p-x", "name_latin": "=cmd|' /C calc'!A0", "country": "US", "phone": "+1 555 0100"}),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.csv");
    qiaolink::cli::export(&app.config, Some("person"), None, &path).await.unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("'=cmd"), "{text}");
    assert!(text.contains("'+1 555 0100"));
    assert!(
        !text
            .lines()
            .skip(1)
            .any(|l| l.split(',').any(|cell| cell.trim_matches('"').starts_with('=')))
    );

    let xlsx = dir.path().join("all.xlsx");
    qiaolink::cli::export(&app.config, None, None, &xlsx).await.unwrap();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range("people").unwrap();
    let cells: Vec<String> = sheet.rows().nth(1).unwrap().iter().map(|c| c.to_string()).collect();
    assert!(cells.iter().any(|c| c == "'=cmd|' /C calc'!A0"));
}

#[tokio::test]
async fn the_import_api_reports_like_the_command_and_a_dry_run_stores_nothing() {
    let app = TestApp::new().await;
    let officer = app.token(Role::Officer).await;
    let body = std::fs::read(fixture("broken.jsonl")).unwrap();
    let r = app
        .send(
            axum::http::Method::POST,
            "/api/v1/imports?filename=broken.jsonl&dry_run=true",
            Some(&officer),
            Some(body.clone().into()),
        )
        .await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["stored"], false);
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 6);
    assert_eq!(app.db.count("SELECT count(*) FROM people").await, 0);
    let r = app
        .send(
            axum::http::Method::POST,
            "/api/v1/imports?filename=broken.jsonl",
            Some(&officer),
            Some(body.into()),
        )
        .await;
    assert_eq!(r.body["stored"], true);
    assert_eq!(r.body["errors"][0]["location"], "broken.jsonl, line 3");
    assert_eq!(app.db.count("SELECT count(*) FROM people").await, 1);
    let viewer = app.token(Role::Viewer).await;
    let r = app
        .send(
            axum::http::Method::POST,
            "/api/v1/imports?filename=x.jsonl",
            Some(&viewer),
            Some("{}".into()),
        )
        .await;
    assert_eq!(r.status, axum::http::StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_demo_set_imports_whole_and_a_second_import_changes_nothing() {
    let app = TestApp::new().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.jsonl");
    let written = qiaolink::cli::write_demo(&path, 5000, 7).unwrap();
    let first = app.import(&[path.clone()], true).await;
    assert!(first.errors.is_empty(), "{:?}", &first.errors[..first.errors.len().min(5)]);
    assert_eq!(counts(&first, "person").0, written.people as u64);
    assert_eq!(counts(&first, "organization").0, written.organizations as u64);
    assert_eq!(counts(&first, "interaction").0, written.interactions as u64);
    let unresolved = app
        .db
        .count("SELECT count(*) FROM people WHERE hometown IS NOT NULL AND hometown_place_id IS NULL")
        .await;
    assert_eq!(unresolved, 0, "every demo hometown is an attested form");
    let second = app.import(&[path], true).await;
    assert_eq!(counts(&second, "person"), (0, 0, written.people as u64, 0));
    assert_eq!(counts(&second, "organization"), (0, 0, written.organizations as u64, 0));
}
