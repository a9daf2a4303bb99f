//! The load test in short: the real server on a TCP port, a few hundred demo people, the
//! mix of `qiaolink bench load` at a modest rate. Every request must be answered well, and
//! what the run made must be gone after it.

use std::time::Duration;

use qiaolink::auth::Role;
use qiaolink::bench::MIX;

use crate::helpers::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mix_at_a_steady_rate_is_answered_without_errors() {
    let app = TestApp::new().await;
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.jsonl");
    qiaolink::cli::write_demo(&demo, 300, 5).unwrap();
    assert!(app.import(&[demo], true).await.stored);
    app.sync_search().await;
    let token = app.token(Role::Officer).await;
    let before = counts(&app).await;

    // As `qiaolink serve` does: a real listener, and the client's address for the pages.
    let address = app.serve_with_search_sync().await;

    let report = qiaolink::bench::load(
        &app.config.database_url,
        &format!("http://{address}"),
        &token,
        40.0,
        Duration::from_secs(5),
        3,
        None,
    )
    .await
    .unwrap();
    println!("{report}");

    assert_eq!(report.scheduled, 200);
    assert_eq!(report.errors(), 0, "{report}");
    assert_eq!(report.overall.count, 200, "every request answered: {report}");
    // Every kind was exercised, in its share.
    for (kind, share) in MIX {
        let figures = report.kinds.iter().find(|k| k.kind == kind).unwrap();
        assert_eq!(figures.summary.count, 2 * share as usize, "{}: {report}", kind.name());
    }
    assert!(report.left_behind.is_none(), "{report}");
    // The people, interactions, event and user it made are gone; its check-ins and page
    // views left their audit rows, as they would.
    assert_eq!(counts(&app).await, before, "{report}");
}

async fn counts(app: &TestApp) -> [i64; 5] {
    [
        app.db.count("SELECT count(*) FROM people").await,
        app.db.count("SELECT count(*) FROM interactions").await,
        app.db.count("SELECT count(*) FROM events").await,
        app.db.count("SELECT count(*) FROM invitations").await,
        app.db.count("SELECT count(*) FROM users").await,
    ]
}
