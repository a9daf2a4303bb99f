//! Prometheus metrics. Each process counts what it does itself (requests, imports, mail,
//! index updates); the queues, the sync lag and the pool are read at scrape time, so any
//! instance reports them.

use std::sync::LazyLock;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use diesel_async::RunQueryDsl;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::db::DbPool;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    /// The route as written in the route table (`/api/v1/people/{id}`), never the path
    /// itself: paths carry ids and RSVP tokens, and would make a series per record.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Outcome {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RecordOutcome {
    record_type: String,
    outcome: &'static str,
}

type FloatGauge = Gauge<f64, AtomicU64>;

struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    imports: Family<Outcome, Counter>,
    import_records: Family<RecordOutcome, Counter>,
    mail: Family<Outcome, Counter>,
    index_updates: Family<Outcome, Counter>,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("qiaolink");
    let requests = Family::<RequestLabels, Counter>::default();
    registry.register("http_requests", "HTTP requests answered, by route and status", requests.clone());
    // 1 ms to about 16 s.
    let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| Histogram::new(exponential_buckets(0.001, 2.0, 15)));
    registry.register("http_request_duration_seconds", "Time to answer an HTTP request, by route", latency.clone());
    let imports = Family::<Outcome, Counter>::default();
    registry.register(
        "imports",
        "Imports run by this process: stored, not_stored (dry run or strict with errors) or failed",
        imports.clone(),
    );
    let import_records = Family::<RecordOutcome, Counter>::default();
    registry.register(
        "import_records",
        "Records read by imports, by type and outcome (created, updated, unchanged, rejected)",
        import_records.clone(),
    );
    let mail = Family::<Outcome, Counter>::default();
    registry.register(
        "mail",
        "Invitation mails handled by this process: sent, failed (retried later) or withheld (no consent)",
        mail.clone(),
    );
    let index_updates = Family::<Outcome, Counter>::default();
    registry.register(
        "search_index_updates",
        "Outbox rows applied to the search index by this process (applied), or kept for a retry (failed)",
        index_updates.clone(),
    );
    Metrics {
        registry,
        requests,
        latency,
        imports,
        import_records,
        mail,
        index_updates,
    }
});

/// Counts and times every request by its route; a path no route matches counts as `unmatched`.
pub async fn track(req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let started = Instant::now();
    let response = next.run(req).await;
    let m = &*METRICS;
    m.latency
        .get_or_create(&RouteLabels {
            method: method.clone(),
            route: route.clone(),
        })
        .observe(started.elapsed().as_secs_f64());
    m.requests
        .get_or_create(&RequestLabels {
            method,
            route,
            status: response.status().as_u16(),
        })
        .inc();
    response
}

/// An import finished: whether it stored anything, and what became of each record.
pub fn import_done(report: &crate::import::Report) {
    let m = &*METRICS;
    let outcome = if report.stored { "stored" } else { "not_stored" };
    m.imports.get_or_create(&Outcome { outcome }).inc();
    for (record_type, counts) in &report.counts {
        for (outcome, n) in [
            ("created", counts.created),
            ("updated", counts.updated),
            ("unchanged", counts.unchanged),
            ("rejected", counts.rejected),
        ] {
            m.import_records
                .get_or_create(&RecordOutcome {
                    record_type: record_type.clone(),
                    outcome,
                })
                .inc_by(n);
        }
    }
}

/// An import stopped on an error and stored nothing.
pub fn import_failed() {
    METRICS.imports.get_or_create(&Outcome { outcome: "failed" }).inc();
}

/// `sent`, `failed` or `withheld`.
pub fn mail(outcome: &'static str) {
    METRICS.mail.get_or_create(&Outcome { outcome }).inc();
}

/// `applied` (with how many rows) or `failed`.
pub fn index_updates(outcome: &'static str, rows: usize) {
    METRICS.index_updates.get_or_create(&Outcome { outcome }).inc_by(rows as u64);
}

struct Queues {
    search: i64,
    lag: f64,
    mail: i64,
    duplicates: i64,
}

#[derive(diesel::QueryableByName)]
struct OtherQueues {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    mail: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    duplicates: i64,
}

/// The metrics in Prometheus' text format: this process's counters, then the queues and
/// the pool as they are now (read per scrape, so apps sharing a process never mix them up).
/// Queues read as -1 when the database does not answer.
pub async fn render(pool: &DbPool) -> String {
    let queues = read_queues(pool).await.unwrap_or(Queues {
        search: -1,
        lag: -1.0,
        mail: -1,
        duplicates: -1,
    });
    let status = pool.status();
    let mut now = Registry::with_prefix("qiaolink");
    let mut gauge = |name: &str, help: &str, value: i64| {
        let g: Gauge = Gauge::default();
        g.set(value);
        now.register(name, help, g);
    };
    gauge("search_outbox_pending", "Index updates not yet applied", queues.search);
    gauge("mail_outbox_pending", "Invitation mails waiting to be sent", queues.mail);
    gauge("duplicates_queue_pending", "People waiting to be compared for duplicates", queues.duplicates);
    gauge("db_pool_max", "Most database connections the pool may open", status.max_size as i64);
    gauge("db_pool_connections", "Database connections the pool holds", status.size as i64);
    gauge("db_pool_available", "Idle database connections in the pool", status.available as i64);
    gauge("db_pool_waiting", "Requests waiting for a database connection", status.waiting as i64);
    let lag = FloatGauge::default();
    lag.set(queues.lag);
    now.register("search_sync_lag_seconds", "Age of the oldest index update not yet applied", lag);
    let mut text = String::new();
    let encode = prometheus_client::encoding::prometheus_text::encode;
    encode(&mut text, &METRICS.registry).expect("writing to a String cannot fail");
    encode(&mut text, &now).expect("writing to a String cannot fail");
    text
}

pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

async fn read_queues(pool: &DbPool) -> anyhow::Result<Queues> {
    let (search, lag) = crate::search::worker::lag(pool).await?;
    let mut conn = pool.get().await?;
    let other: OtherQueues =
        diesel::sql_query("SELECT (SELECT count(*) FROM mail_outbox) AS mail, (SELECT count(*) FROM duplicate_queue) AS duplicates")
            .get_result(&mut conn)
            .await?;
    Ok(Queues {
        search,
        lag,
        mail: other.mail,
        duplicates: other.duplicates,
    })
}
