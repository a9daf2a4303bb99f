//! Load benchmarks against a running server: search as you type with many clients, and
//! how soon a write becomes searchable under steady writes. Figures go to BENCHMARKS.md.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use rand::{RngExt, SeedableRng};
use serde_json::{Value, json};

use crate::schema::people;

/// Latencies in milliseconds, summarised.
pub struct Summary {
    pub count: usize,
    pub errors: usize,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
    pub per_second: f64,
}

impl Summary {
    fn of(mut ms: Vec<f64>, errors: usize, elapsed: Duration) -> Summary {
        ms.sort_by(|a, b| a.total_cmp(b));
        let at = |p: f64| {
            ms.get(((ms.len() as f64 * p).ceil() as usize).saturating_sub(1))
                .copied()
                .unwrap_or(0.0)
        };
        Summary {
            count: ms.len(),
            errors,
            p50: at(0.50),
            p90: at(0.90),
            p99: at(0.99),
            max: ms.last().copied().unwrap_or(0.0),
            per_second: ms.len() as f64 / elapsed.as_secs_f64().max(1e-9),
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} requests, {} errors, {:.0}/s; p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            self.count, self.errors, self.per_second, self.p50, self.p90, self.p99, self.max
        )
    }
}

/// What officers type: whole names in Chinese or Latin letters, the first letters of a
/// name, a surname with a country filter. Drawn from the stored people.
pub async fn sample_queries(database_url: &str, how_many: i64, seed: u64) -> anyhow::Result<Vec<Value>> {
    let mut conn = crate::db::connect(database_url).await?;
    let rows: Vec<(Option<String>, Option<String>, String)> = people::table
        .select((people::name_zh, people::name_latin, people::country))
        .order(diesel::dsl::sql::<diesel::sql_types::Double>("random()"))
        .limit(how_many)
        .load(&mut conn)
        .await?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(rows.len());
    for (zh, latin, country) in rows {
        let q = match (zh, latin, rng.random_range(0..4)) {
            (Some(zh), _, 0) => json!({"q": zh}),
            (_, Some(latin), 1) => json!({"q": latin}),
            (_, Some(latin), 2) => json!({"q": latin.chars().take(rng.random_range(3..7)).collect::<String>()}),
            (_, Some(latin), _) => {
                let surname = latin.split_whitespace().last().unwrap_or("Wong").to_string();
                json!({"q": surname, "filters": {"country": [country]}})
            }
            (Some(zh), None, _) => json!({"q": zh.chars().take(2).collect::<String>()}),
            (None, None, _) => continue,
        };
        out.push(q);
    }
    Ok(out)
}

/// Sends `total` searches from `clients` concurrent clients.
pub async fn search_load(url: &str, token: &str, queries: Vec<Value>, clients: usize, total: usize) -> anyhow::Result<Summary> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(clients)
        .build()?;
    let queries = Arc::new(queries);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (http, queries, next, url, token) = (http.clone(), queries.clone(), next.clone(), url.to_string(), token.to_string());
        tasks.push(tokio::spawn(async move {
            let mut ms = Vec::new();
            let mut errors = 0;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    return (ms, errors);
                }
                let body = &queries[i % queries.len()];
                let t = Instant::now();
                match http
                    .post(format!("{url}/api/v1/search"))
                    .bearer_auth(&token)
                    .json(body)
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        ms.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    _ => errors += 1,
                }
            }
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (ms, e) = t.await?;
        all.extend(ms);
        errors += e;
    }
    Ok(Summary::of(all, errors, started.elapsed()))
}

/// Creates a person every `interval` for `duration` and measures, for each, the time until
/// a search finds them.
pub async fn freshness(url: &str, token: &str, interval: Duration, duration: Duration) -> anyhow::Result<Summary> {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?;
    let started = Instant::now();
    let mut waits = Vec::new();
    let mut errors = 0;
    let mut n = 0u64;
    let mut ticker = tokio::time::interval(interval);
    let run_id: u32 = rand::rng().random();
    let mut pending: Vec<tokio::task::JoinHandle<Option<f64>>> = Vec::new();
    let mut created_ids: Vec<String> = Vec::new();
    while started.elapsed() < duration {
        ticker.tick().await;
        n += 1;
        // A name no one else has: a Latin word made of the run and the count.
        let word = format!("zq{run_id:x}x{n}");
        let created = http
            .post(format!("{url}/api/v1/people"))
            .bearer_auth(token)
            .json(&json!({"name_latin": format!("Bench {word}"), "country": "US", "tags": ["benchmark"]}))
            .send()
            .await?;
        if !created.status().is_success() {
            errors += 1;
            continue;
        }
        let written = Instant::now();
        let body: Value = created.json().await?;
        created_ids.extend(body["id"].as_str().map(str::to_string));
        let (http, url, token) = (http.clone(), url.to_string(), token.to_string());
        pending.push(tokio::spawn(async move {
            while written.elapsed() < Duration::from_secs(30) {
                let r = http
                    .post(format!("{url}/api/v1/search"))
                    .bearer_auth(&token)
                    .json(&json!({"q": word, "limit": 1}))
                    .send()
                    .await
                    .ok()?;
                let v: Value = r.json().await.ok()?;
                if v["total"].as_u64().unwrap_or(0) > 0 {
                    return Some(written.elapsed().as_secs_f64() * 1000.0);
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            None
        }));
    }
    let elapsed = started.elapsed();
    for p in pending {
        match p.await? {
            Some(ms) => waits.push(ms),
            None => errors += 1,
        }
    }
    // Leave the database as it was.
    for id in created_ids {
        http.delete(format!("{url}/api/v1/people/{id}")).bearer_auth(token).send().await?;
    }
    Ok(Summary::of(waits, errors, elapsed))
}

/// Times the reports overview and the country reports of the largest countries, as an
/// officer reads them (every section), over `rounds` rounds.
pub async fn reports(database_url: &str, rounds: usize) -> anyhow::Result<(Summary, Summary)> {
    let mut conn = crate::db::connect(database_url).await?;
    let period = crate::reports::Period::parse(None, None, None, chrono::Utc::now().date_naive())?;
    let (mut overview_ms, mut country_ms) = (Vec::new(), Vec::new());
    let started = Instant::now();
    let mut largest = Vec::new();
    for _ in 0..rounds.max(1) {
        let t = Instant::now();
        let rows = crate::reports::overview(&mut conn, period).await?;
        overview_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        largest = rows.iter().take(5).map(|h| h.country.clone()).collect();
    }
    let overview = Summary::of(overview_ms, 0, started.elapsed());
    let started = Instant::now();
    for _ in 0..rounds.max(1) {
        for code in &largest {
            let t = Instant::now();
            crate::reports::country(&mut conn, code, period, crate::auth::Role::Officer).await?;
            country_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    Ok((overview, Summary::of(country_ms, 0, started.elapsed())))
}
