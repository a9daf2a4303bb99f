//! What the `qiaolink` command does, kept in the library so tests can drive it too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::auth::{Actor, Role, accounts};
use crate::config::Config;
use crate::import::{self, Options, Progress, Report};
use crate::{App, db, demo, export, router, search};

pub async fn serve(config: Config, with_worker: bool) -> anyhow::Result<()> {
    let listen = config.listen;
    let app = App::new(config).await?;
    {
        let mut conn = app.pool.get().await?;
        if !db::migrations_current(&mut conn).await.unwrap_or(false) {
            anyhow::bail!("the database is not migrated: run `qiaolink migrate` first");
        }
    }
    if with_worker {
        start_search_sync(&app).await?;
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
    tracing::info!(%listen, "serving");
    eprintln!("qiaolink is serving on http://{listen}");
    crate::server::run(listener, router::build(app), shutdown_signal()).await;
    Ok(())
}

/// Runs the workers in the background.
async fn start_search_sync(app: &crate::app::AppState) -> anyhow::Result<()> {
    build_index_if_empty(app).await?;
    tokio::spawn(search::worker::run(app.pool.clone(), app.search.clone()));
    tokio::spawn(crate::duplicates::run(app.pool.clone()));
    tokio::spawn(crate::events::mail::run(app.pool.clone(), app.mailer.clone(), app.config.clone()));
    Ok(())
}

/// Builds the search index in the background when it is empty and the database is not
/// (a new search server, a restored database).
async fn build_index_if_empty(app: &crate::app::AppState) -> anyhow::Result<()> {
    let records = {
        let mut conn = app.pool.get().await?;
        count_records(&mut conn).await?
    };
    // A search server that is down must not keep the service from starting: the worker
    // catches up when it answers.
    let indexed = app.search.count().await;
    if let Err(e) = &indexed {
        tracing::warn!(error = %e, "cannot count the search index; not building it now");
    }
    if records > 0 && matches!(indexed, Ok(0)) {
        let app = app.clone();
        tokio::spawn(async move {
            tracing::info!(records, "building the search index");
            match search::worker::reindex(&app.config.database_url, &app.search).await {
                Ok(n) => tracing::info!(documents = n, "search index built"),
                Err(e) => tracing::error!(error = %e, "building the search index failed"),
            }
        });
    }
    Ok(())
}

async fn count_records(conn: &mut diesel_async::AsyncPgConnection) -> anyhow::Result<i64> {
    use diesel::QueryDsl;
    let people: i64 = crate::schema::people::table.count().get_result(conn).await?;
    let orgs: i64 = crate::schema::organizations::table.count().get_result(conn).await?;
    Ok(people + orgs)
}

/// The sync worker alone, for deployments that run it apart from the web servers.
pub async fn worker(config: Config) -> anyhow::Result<()> {
    let app = App::new(config).await?;
    eprintln!(
        "qiaolink workers running: search sync ({}), duplicate detection and invitation mail; health and metrics on http://{} when it is free",
        app.search.backend(),
        app.config.listen
    );
    build_index_if_empty(&app).await?;
    // The port answers liveness probes and metrics scrapes, nothing else. On a machine
    // where `serve` holds the same address, the workers run without it.
    let health = async {
        match tokio::net::TcpListener::bind(app.config.listen).await {
            Ok(listener) => crate::server::run(listener, router::worker(app.clone()), std::future::pending()).await,
            Err(e) => {
                tracing::warn!(listen = %app.config.listen, error = %e, "no health and metrics port for the workers");
                std::future::pending().await
            }
        }
    };
    tokio::select! {
        () = health => {},
        _ = search::worker::run(app.pool.clone(), app.search.clone()) => {},
        _ = crate::duplicates::run(app.pool.clone()) => {},
        _ = crate::events::mail::run(app.pool.clone(), app.mailer.clone(), app.config.clone()) => {},
        _ = shutdown_signal() => {},
    }
    Ok(())
}

/// Rebuilds the search index from the database and swaps it in.
pub async fn reindex(config: Config) -> anyhow::Result<u64> {
    let index = search::SearchIndex::open(&config).await?;
    search::worker::reindex(&config.database_url, &index).await
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// A progress bar on the terminal.
struct Bar(indicatif::ProgressBar);

impl Progress for Bar {
    fn begin(&self, label: &str, total_bytes: u64) {
        self.0.reset();
        self.0.set_length(total_bytes.max(1));
        self.0.set_message(label.to_string());
    }
    fn at(&self, bytes: u64) {
        self.0.set_position(bytes);
    }
}

pub async fn import(config: &Config, files: &[PathBuf], strict: bool, dry_run: bool, show_progress: bool) -> anyhow::Result<Report> {
    let sources = import::sources(files).map_err(|e| anyhow::anyhow!(e))?;
    let mut conn = db::connect(&config.database_url).await?;
    let options = Options { strict, dry_run };
    let actor = Actor::cli();
    if show_progress {
        let bar = indicatif::ProgressBar::new(1).with_style(
            indicatif::ProgressStyle::with_template("{msg:30} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        let progress = Bar(bar);
        let report = import::run(&mut conn, &sources, &actor, &options, &progress).await;
        progress.0.finish_and_clear();
        report
    } else {
        import::run(&mut conn, &sources, &actor, &options, &import::NoProgress).await
    }
}

/// The import report as a clerk reads it.
pub fn report_text(report: &Report) -> String {
    let mut out = String::new();
    for (ty, c) in &report.counts {
        out.push_str(&format!(
            "{ty:<13} created {:>7}  updated {:>7}  unchanged {:>7}  rejected {:>7}\n",
            c.created, c.updated, c.unchanged, c.rejected
        ));
    }
    for e in &report.errors {
        match &e.field {
            Some(field) => out.push_str(&format!("rejected: {}: {field}: {}\n", e.location, e.message)),
            None => out.push_str(&format!("rejected: {}: {}\n", e.location, e.message)),
        }
    }
    for w in &report.warnings {
        out.push_str(&format!(
            "warning: {}: {}: {}\n",
            w.location,
            w.field.as_deref().unwrap_or(""),
            w.message
        ));
    }
    if report.warnings_not_listed > 0 {
        out.push_str(&format!("warning: {} more warnings not listed\n", report.warnings_not_listed));
    }
    out.push_str(match (report.stored, report.dry_run) {
        (_, true) => "dry run: nothing was stored\n",
        (true, _) => "stored\n",
        (false, _) => "nothing was stored: the import is strict and some records are invalid\n",
    });
    out
}

pub async fn export(
    config: &Config,
    record_type: Option<&str>,
    country: Option<&str>,
    file: &Path,
) -> anyhow::Result<BTreeMap<String, u64>> {
    let filter = crate::api::exports::filter(record_type, country).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut conn = db::connect(&config.database_url).await?;
    let mut sink = export::sink_for(file, &filter)?;
    let counts = export::write(&mut conn, &filter, sink.as_mut()).await?;
    sink.finish()?;
    let detail = serde_json::json!({ "file": file.file_name().and_then(|n| n.to_str()), "types": filter.types, "country": filter.country, "counts": counts });
    crate::audit::record(&mut conn, &Actor::cli(), "export", "export", None, detail).await?;
    Ok(counts)
}

/// Drains the duplicate queue; returns how many people were compared and how many pairs are open.
pub async fn find_duplicates(config: &Config, everyone: bool) -> anyhow::Result<(usize, i64)> {
    use crate::schema::duplicate_candidates as dc;
    let mut conn = db::connect(&config.database_url).await?;
    if everyone {
        diesel::sql_query("INSERT INTO duplicate_queue (person_id) SELECT id FROM people ON CONFLICT DO NOTHING")
            .execute(&mut conn)
            .await?;
    }
    let compared = crate::duplicates::scan_all(&mut conn).await?;
    let open = dc::table.filter(dc::status.eq("open")).count().get_result(&mut conn).await?;
    Ok((compared, open))
}

/// Precision and recall of the open candidate pairs against known pairs, at several thresholds.
pub async fn evaluate_duplicates(config: &Config, path: &Path) -> anyhow::Result<String> {
    use crate::duplicates::eval::{KnownPair, report};
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let known: Vec<KnownPair> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .with_context(|| format!("{} is not a list of pairs", path.display()))?;
    let mut conn = db::connect(&config.database_url).await?;
    let proposed = crate::duplicates::eval::proposed(&mut conn).await?;
    Ok(report(&known, &proposed, &[0.5, 0.6, 0.7, 0.8]))
}

pub fn prompt_password() -> anyhow::Result<String> {
    let first = rpassword::prompt_password("password: ")?;
    let second = rpassword::prompt_password("again: ")?;
    if first != second {
        anyhow::bail!("the two passwords differ");
    }
    Ok(first)
}

pub async fn add_user(config: &Config, email: &str, name: Option<&str>, role: Role, password: &str) -> anyhow::Result<Uuid> {
    let mut conn = db::connect(&config.database_url).await?;
    accounts::create_user(&mut conn, &Actor::cli(), email, name, role, password)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Creates an API token and returns it; only its hash is kept.
pub async fn create_token(config: &Config, name: &str, role: Role) -> anyhow::Result<String> {
    let mut conn = db::connect(&config.database_url).await?;
    let (_, token) = accounts::create_token(&mut conn, &Actor::cli(), name, role)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(token)
}

pub fn write_demo(out: &Path, people: usize, seed: u64) -> anyhow::Result<demo::DemoCounts> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::io::BufWriter::new(std::fs::File::create(out)?);
    let counts = demo::write_demo(&mut file, &demo::DemoSize::with_people(people), seed)?;
    std::io::Write::flush(&mut file)?;
    Ok(counts)
}
