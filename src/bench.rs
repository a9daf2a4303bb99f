//! Load benchmarks against a running server: search as you type with many clients, how
//! soon a write becomes searchable under steady writes, and the load test, a realistic mix
//! of requests at a fixed rate ([`load`], [`MIX`]). Figures go to BENCHMARKS.md.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use rand::seq::SliceRandom;
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

/// What one request of the load test does. The shares are in [`MIX`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// `POST /api/v1/search` with `"facets": false`: a stored person's name typed letter by
    /// letter (Chinese names character by character), sixteen officers at once.
    Typing,
    /// A person's or an organization's record: the person's page (`/people/{id}`, two in
    /// five), the API's person (one in five), the organization's page and the API's
    /// organization (one in five each).
    PageView,
    /// `GET /api/v1/people`, 20 a page: by country, by country and status, by hometown, and
    /// the members of an organization, about a quarter each.
    List,
    /// In turn: a new person (`POST /api/v1/people`), a change to one of them (`PATCH`), an
    /// interaction with one of them (`POST /api/v1/interactions`). Removed at the end.
    Write,
    /// `POST /api/v1/events/{id}/check-in` with a guest's door code, on an event made for
    /// the run (removed at the end).
    CheckIn,
}

/// The mix of the load test, in shares of a hundred: a working day of an office, with a
/// door desk open. Each run of a hundred requests holds exactly these shares, in a random
/// order. BENCHMARKS.md shows the same table.
pub const MIX: [(Kind, u32); 5] = [
    (Kind::Typing, 55),
    (Kind::PageView, 20),
    (Kind::List, 10),
    (Kind::Write, 10),
    (Kind::CheckIn, 5),
];

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Typing => "search as you type",
            Kind::PageView => "page view",
            Kind::List => "list",
            Kind::Write => "write",
            Kind::CheckIn => "check-in",
        }
    }

    fn index(self) -> usize {
        MIX.iter().position(|(k, _)| *k == self).expect("every kind is in the mix")
    }
}

/// Requests waiting for an answer at most; one more is not sent and counts as an error, so
/// a server that stops answering cannot exhaust the load generator's sockets.
const MAX_IN_FLIGHT: usize = 2000;
/// Different error messages kept per kind.
const ERRORS_KEPT: usize = 5;
/// Officers typing at once.
const TYPISTS: usize = 16;
/// Marks what the load test makes (people's tag, interactions' summary, the user's e-mail
/// and the event's name), so that the end of a run finds all of it, what a request the
/// generator gave up waiting for made included, and what an interrupted run left.
const MARK: &str = "qiaolink-load-test";
const EVENT_NAME: &str = "qiaolink load test";
/// A request not answered within this long counts as an error.
const TIMEOUT: Duration = Duration::from_secs(10);

/// One kind's figures in a load test.
pub struct KindFigures {
    pub kind: Kind,
    /// Its share of the requests in this run, in percent.
    pub share: u32,
    pub summary: Summary,
    /// The first few different errors, as "what: why", and how often each came.
    pub first_errors: Vec<(String, usize)>,
}

/// The figures of a load test: per kind and overall. Latencies run from the moment each
/// request was due, so time spent waiting behind a slow answer is counted.
pub struct LoadReport {
    pub rate: f64,
    pub seconds: f64,
    /// Requests due.
    pub scheduled: usize,
    pub kinds: Vec<KindFigures>,
    pub overall: Summary,
    /// How late the generator itself sent requests (ms): p99 and max. Large values mean the
    /// machine could not even send at the rate.
    pub send_lag_p99: f64,
    pub send_lag_max: f64,
    /// Requests in flight at most.
    pub max_in_flight: usize,
    /// The share of this machine's CPU time that was busy while the requests ran (Linux):
    /// everything counted, so it says how close to full the machine was when the server,
    /// its database and the generator share it.
    pub machine_busy: Option<f64>,
    /// Why some of what the run made could not be removed, if so.
    pub left_behind: Option<String>,
}

impl LoadReport {
    pub fn errors(&self) -> usize {
        self.overall.errors
    }
}

impl std::fmt::Display for LoadReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} requests due at {:.0}/s for {:.0} s; latency from when each was due",
            self.scheduled, self.rate, self.seconds
        )?;
        writeln!(f, "| kind | share | requests | errors | ok/s | p50 ms | p90 ms | p99 ms | max ms |")?;
        writeln!(f, "|---|---|---|---|---|---|---|---|---|")?;
        let row = |f: &mut std::fmt::Formatter<'_>, name: &str, share: String, s: &Summary| {
            writeln!(
                f,
                "| {name} | {share} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
                s.count + s.errors,
                s.errors,
                s.per_second,
                s.p50,
                s.p90,
                s.p99,
                s.max
            )
        };
        for k in self.kinds.iter().filter(|k| k.share > 0) {
            row(f, k.kind.name(), format!("{}%", k.share), &k.summary)?;
        }
        row(f, "all", "100%".into(), &self.overall)?;
        writeln!(
            f,
            "sent late by the generator: p99 {:.1} ms, max {:.1} ms; requests in flight at most: {}",
            self.send_lag_p99, self.send_lag_max, self.max_in_flight
        )?;
        if let Some(busy) = self.machine_busy {
            writeln!(f, "this machine's CPU busy meanwhile: {:.0}%", busy * 100.0)?;
        }
        if let Some(why) = &self.left_behind {
            writeln!(f, "removing what the run made failed: {why}")?;
        }
        for k in self.kinds.iter().filter(|k| !k.first_errors.is_empty()) {
            writeln!(f, "errors, {} (the first different ones, and how often each came):", k.kind.name())?;
            for (e, times) in &k.first_errors {
                writeln!(f, "  {times} × {e}")?;
            }
        }
        Ok(())
    }
}

/// What the load test works on, drawn from the database before the clock starts.
struct Fixture {
    /// Names to type, and the letters typed so far by each typist.
    names: Vec<Vec<String>>,
    typists: Vec<std::sync::Mutex<(usize, usize)>>,
    people: Vec<uuid::Uuid>,
    organizations: Vec<uuid::Uuid>,
    /// Query strings for the lists.
    lists: Vec<String>,
    /// Names, countries and cities for new people.
    new_people: Vec<Value>,
    event: uuid::Uuid,
    door_codes: Vec<String>,
    /// The web session's cookie.
    cookie: String,
    /// People made by the run, to change and to log interactions with.
    created_people: std::sync::Mutex<Vec<String>>,
    counters: [AtomicUsize; 5],
}

/// The prefixes one types on the way to a name: Latin names from the second letter,
/// Chinese names character by character, never ending on a space.
fn prefixes(name: &str) -> Vec<String> {
    let name = name.trim();
    let chars: Vec<char> = name.chars().collect();
    let start = if name.starts_with(|c: char| c.is_ascii()) { 2 } else { 1 };
    (start..=chars.len())
        .filter(|&n| !chars[n - 1].is_whitespace())
        .map(|n| chars[..n].iter().collect())
        .collect()
}

type SampledPerson = (
    uuid::Uuid,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Draws names, records and filters from the database, signs a web session in, and makes
/// the event whose guests are checked in.
async fn prepare(database_url: &str, http: &reqwest::Client, url: &str, token: &str, guests: usize, seed: u64) -> anyhow::Result<Fixture> {
    use crate::schema::{memberships, organizations};
    let mut conn = crate::db::connect(database_url).await?;
    let random = || diesel::dsl::sql::<diesel::sql_types::Double>("random()");
    let sampled: Vec<SampledPerson> = people::table
        .select((
            people::id,
            people::name_zh,
            people::name_latin,
            people::country,
            people::city,
            people::status,
            people::hometown_place_id,
        ))
        .order(random())
        .limit(5000)
        .load(&mut conn)
        .await?;
    anyhow::ensure!(sampled.len() >= 20, "the database holds {} people: load some first", sampled.len());
    let organizations: Vec<uuid::Uuid> = organizations::table
        .select(organizations::id)
        .order(random())
        .limit(500)
        .load(&mut conn)
        .await?;
    anyhow::ensure!(!organizations.is_empty(), "the database holds no organizations: load some first");
    // Organizations with members, for the members lists.
    let with_members: Vec<uuid::Uuid> = memberships::table
        .select(memberships::organization_id)
        .distinct()
        .limit(200)
        .load(&mut conn)
        .await?;
    let invited: Vec<uuid::Uuid> = people::table
        .filter(people::consent_status.eq("granted"))
        .filter(
            people::consent_purposes
                .contains(vec!["events".to_string()])
                .or(people::consent_purposes.eq(Vec::<String>::new())),
        )
        .select(people::id)
        .order(random())
        .limit(guests as i64)
        .load(&mut conn)
        .await?;
    anyhow::ensure!(!invited.is_empty(), "no one in the database consents to event invitations");

    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut names = Vec::new();
    let mut lists = Vec::new();
    let mut new_people = Vec::new();
    for (i, (_, zh, latin, country, city, status, hometown)) in sampled.iter().enumerate() {
        let name = match (zh, latin, rng.random_bool(0.5)) {
            (Some(zh), _, true) | (Some(zh), None, _) => zh.clone(),
            (_, Some(latin), _) => latin.clone(),
            (None, None, _) => continue,
        };
        let typed = prefixes(&name);
        if !typed.is_empty() {
            names.push(typed);
        }
        let list = match i % 4 {
            0 => Some(format!("country={country}")),
            1 => status.as_ref().map(|s| format!("country={country}&status={s}")),
            2 => hometown.as_ref().map(|h| format!("hometown={h}")),
            _ => with_members
                .get(i / 4 % with_members.len().max(1))
                .map(|o| format!("organization={o}")),
        };
        lists.extend(list.map(|l| format!("{l}&limit=20")));
        if new_people.len() < 500 {
            new_people.push(json!({
                "name_zh": zh, "name_latin": latin, "country": country, "city": city, "tags": [MARK],
            }));
        }
    }

    anyhow::ensure!(!names.is_empty(), "the people drawn have no names to type");

    // A staff user of the run's own, signed in as a browser is: the web pages need a session.
    // The address is new on every run; the user is removed at the end.
    let email = format!("{MARK}-{:016x}@bench.invalid", rand::rng().random::<u64>());
    let password = hex::encode(rand::rng().random::<[u8; 16]>());
    crate::auth::accounts::create_user(
        &mut conn,
        &crate::auth::Actor::cli(),
        &email,
        Some("Load test"),
        crate::auth::Role::Officer,
        &password,
    )
    .await
    .map_err(|e| anyhow::anyhow!("cannot make the load test's user: {e}"))?;
    let seated = sign_in_and_seat(http, url, token, (&email, &password), &invited).await;
    let (cookie, event, mut door_codes) = match seated {
        Ok(ready) => ready,
        Err(e) => {
            remove_event_and_user(&mut conn).await?;
            return Err(e);
        }
    };
    door_codes.shuffle(&mut rng);
    names.shuffle(&mut rng);
    lists.shuffle(&mut rng);

    Ok(Fixture {
        typists: (0..TYPISTS).map(|t| std::sync::Mutex::new((t % names.len().max(1), 0))).collect(),
        names,
        people: sampled.iter().map(|p| p.0).collect(),
        organizations,
        lists,
        new_people,
        event,
        door_codes,
        cookie,
        created_people: Default::default(),
        counters: Default::default(),
    })
}

/// Signs the run's user in and makes the event with its guests: the session cookie, the
/// event and the guests' door codes.
async fn sign_in_and_seat(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    (email, password): (&str, &str),
    invited: &[uuid::Uuid],
) -> anyhow::Result<(String, uuid::Uuid, Vec<String>)> {
    let login = http
        .post(format!("{url}/login"))
        .form(&[("email", email), ("password", password), ("next", "/")])
        .send()
        .await?;
    let cookie = login
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| pair.starts_with(&format!("{}=", crate::web::session::SESSION_COOKIE)))
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("signing in answered {} without a session", login.status()))?;

    let made = http
        .post(format!("{url}/api/v1/events"))
        .bearer_auth(token)
        .json(&json!({
            "name_zh": "压力测试茶话会", "name_en": EVENT_NAME, "kind": "tea_party",
            "starts_on": chrono::Utc::now().date_naive().to_string(), "venue": "江门",
        }))
        .send()
        .await?;
    anyhow::ensure!(made.status().is_success(), "making the event: {}", made.text().await?);
    let made: Value = made.json().await?;
    let id: uuid::Uuid = made["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("the event came back without an id"))?;
    for chunk in invited.chunks(500) {
        let added = http
            .post(format!("{url}/api/v1/events/{id}/guests"))
            .bearer_auth(token)
            .json(&json!({ "people": chunk }))
            .send()
            .await?;
        anyhow::ensure!(added.status().is_success(), "adding guests: {}", added.text().await?);
    }
    let mut door_codes = Vec::new();
    loop {
        let page: Value = http
            .get(format!(
                "{url}/api/v1/events/{id}/invitations?limit=500&offset={}",
                door_codes.len()
            ))
            .bearer_auth(token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let items = page["items"].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            break;
        }
        door_codes.extend(items.iter().filter_map(|g| g["door_code"].as_str().map(str::to_string)));
    }
    anyhow::ensure!(!door_codes.is_empty(), "the event has no guests to check in");
    Ok((cookie, id, door_codes))
}

/// Removes load tests' events (their invitations go with them) and users (and sessions).
async fn remove_event_and_user(conn: &mut diesel_async::AsyncPgConnection) -> anyhow::Result<()> {
    use crate::schema::{events, users};
    diesel::delete(events::table.filter(events::name_en.eq(EVENT_NAME)))
        .execute(conn)
        .await?;
    diesel::delete(users::table.filter(users::email.like(format!("{MARK}-%@bench.invalid"))))
        .execute(conn)
        .await?;
    Ok(())
}

/// The method, address and body of the next request of a kind. The label names the
/// request in error messages, without ids.
enum Call {
    Get(&'static str, String),
    Web(&'static str, String),
    Post(&'static str, String, Value),
    Patch(&'static str, String, Value),
}

impl Fixture {
    fn next(&self, kind: Kind, rng: &mut rand::rngs::StdRng) -> Call {
        let n = self.counters[kind.index()].fetch_add(1, Ordering::Relaxed);
        match kind {
            Kind::Typing => {
                let mut typist = self.typists[n % TYPISTS].lock().expect("a typist");
                let (name, letters) = *typist;
                let typed = &self.names[name];
                let q = typed[letters].clone();
                *typist = if letters + 1 < typed.len() {
                    (name, letters + 1)
                } else {
                    ((name + TYPISTS) % self.names.len(), 0)
                };
                Call::Post("search", "/api/v1/search".into(), json!({ "q": q, "facets": false, "limit": 20 }))
            }
            Kind::PageView => {
                let person = self.people[rng.random_range(0..self.people.len())];
                let organization = self.organizations[rng.random_range(0..self.organizations.len())];
                match n % 5 {
                    0 | 1 => Call::Web("page /people/{id}", format!("/people/{person}")),
                    2 => Call::Get("GET /api/v1/people/{id}", format!("/api/v1/people/{person}")),
                    3 => Call::Web("page /organizations/{id}", format!("/organizations/{organization}")),
                    _ => Call::Get("GET /api/v1/organizations/{id}", format!("/api/v1/organizations/{organization}")),
                }
            }
            Kind::List => Call::Get(
                "GET /api/v1/people?…",
                format!("/api/v1/people?{}", self.lists[n % self.lists.len()]),
            ),
            Kind::Write => {
                let created = {
                    let created = self.created_people.lock().expect("created people");
                    (!created.is_empty()).then(|| created[rng.random_range(0..created.len())].clone())
                };
                match (n % 3, created) {
                    (1, Some(id)) => Call::Patch(
                        "PATCH /api/v1/people/{id}",
                        format!("/api/v1/people/{id}"),
                        json!({ "occupation": "engineer", "notes": format!("load test change {n}") }),
                    ),
                    (2, Some(id)) => Call::Post(
                        "POST /api/v1/interactions",
                        "/api/v1/interactions".into(),
                        json!({
                            "date": chrono::Utc::now().date_naive().to_string(), "kind": "call",
                            "summary": format!("[{MARK}] call {n}"), "people": [id],
                        }),
                    ),
                    _ => Call::Post(
                        "POST /api/v1/people",
                        "/api/v1/people".into(),
                        self.new_people[n % self.new_people.len()].clone(),
                    ),
                }
            }
            Kind::CheckIn => Call::Post(
                "POST /api/v1/events/{id}/check-in",
                format!("/api/v1/events/{}/check-in", self.event),
                json!({ "code": self.door_codes[n % self.door_codes.len()] }),
            ),
        }
    }

    /// Sends one request and reads the whole answer; keeps the ids of what it made.
    async fn send(&self, http: &reqwest::Client, url: &str, token: &str, call: Call) -> Result<(), String> {
        let (label, request) = match call {
            Call::Get(label, path) => (label, http.get(format!("{url}{path}")).bearer_auth(token)),
            Call::Web(label, path) => (
                label,
                http.get(format!("{url}{path}")).header(reqwest::header::COOKIE, &self.cookie),
            ),
            Call::Post(label, path, body) => (label, http.post(format!("{url}{path}")).bearer_auth(token).json(&body)),
            Call::Patch(label, path, body) => (label, http.patch(format!("{url}{path}")).bearer_auth(token).json(&body)),
        };
        let response = request.send().await.map_err(|e| format!("{label}: {}", transport_error(e)))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| format!("{label}: reading the answer: {}", transport_error(e)))?;
        if !status.is_success() {
            let text = String::from_utf8_lossy(&bytes);
            return Err(format!("{label}: {status} {}", text.chars().take(200).collect::<String>()));
        }
        if label == "POST /api/v1/people" {
            let id = serde_json::from_slice::<Value>(&bytes)
                .ok()
                .and_then(|v| v["id"].as_str().map(str::to_string))
                .ok_or_else(|| format!("{label}: the answer has no id"))?;
            self.created_people.lock().expect("created people").push(id);
        }
        Ok(())
    }
}

/// Removes what load tests made: interactions and people through the API (so that the
/// search index and the audit log follow), then the event and the user.
async fn clean_up(database_url: &str, http: &reqwest::Client, url: &str, token: &str) -> anyhow::Result<()> {
    use crate::schema::interactions;
    let mut conn = crate::db::connect(database_url).await?;
    let interactions: Vec<uuid::Uuid> = interactions::table
        .filter(interactions::summary.like(format!("[{MARK}] %")))
        .select(interactions::id)
        .load(&mut conn)
        .await?;
    let people: Vec<uuid::Uuid> = people::table
        .filter(people::tags.contains(vec![MARK.to_string()]))
        .select(people::id)
        .load(&mut conn)
        .await?;
    // Interactions first: a person's deletion would leave them without anyone.
    let batches = [
        interactions
            .iter()
            .map(|id| format!("{url}/api/v1/interactions/{id}"))
            .collect::<Vec<_>>(),
        people.iter().map(|id| format!("{url}/api/v1/people/{id}")).collect(),
    ];
    for batch in batches {
        for chunk in batch.chunks(8) {
            let mut deletes = tokio::task::JoinSet::new();
            for path in chunk {
                let request = http.delete(path).bearer_auth(token).send();
                deletes.spawn(async move { request.await.and_then(|r| r.error_for_status()) });
            }
            while let Some(done) = deletes.join_next().await {
                done??;
            }
        }
    }
    remove_event_and_user(&mut conn).await
}

/// What went wrong on the way, with its causes, without the address (the label says it).
fn transport_error(e: reqwest::Error) -> String {
    if e.is_timeout() {
        return format!("no answer within {} s", TIMEOUT.as_secs());
    }
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Busy and total CPU time of this machine so far, from `/proc/stat` (Linux).
fn cpu_times() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    let total: u64 = fields.iter().take(8).sum();
    let idle = fields.get(3)? + fields.get(4)?;
    Some((total - idle, total))
}

/// The load test: requests of the [`MIX`] due at fixed times, `rate` a second for
/// `duration`, each sent when due whether or not earlier ones were answered (an open loop),
/// and timed from when it was due. Draws its names and records from the database at
/// `database_url`, which the server at `url` serves; `token` must be an officer's or an
/// admin's. What it makes is removed at the end, with what earlier runs may have left: run
/// one at a time against a database. With `only`, every request is of that kind, to see
/// what one kind costs.
pub async fn load(
    database_url: &str,
    url: &str,
    token: &str,
    rate: f64,
    duration: Duration,
    seed: u64,
    only: Option<Kind>,
) -> anyhow::Result<LoadReport> {
    anyhow::ensure!(
        rate > 0.0 && rate.is_finite(),
        "the rate must be a positive number of requests a second"
    );
    let url = url.trim_end_matches('/').to_string();
    let http = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let scheduled = (rate * duration.as_secs_f64()).round() as usize;
    let share = |kind: Kind| match only {
        Some(k) => 100 * u32::from(k == kind),
        None => MIX.iter().find(|(k, _)| *k == kind).map_or(0, |(_, s)| *s),
    };
    let guests = (scheduled as f64 * f64::from(share(Kind::CheckIn)) / 100.0 * 1.1).ceil() as usize + 20;
    let fixture = Arc::new(prepare(database_url, &http, &url, token, guests, seed).await?);

    // The order of kinds: each hundred holds the mix exactly, shuffled.
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed ^ 0x10ad);
    let mut hundred: Vec<Kind> = MIX.iter().flat_map(|(k, _)| std::iter::repeat_n(*k, share(*k) as usize)).collect();
    let mut kinds = Vec::with_capacity(scheduled);
    while kinds.len() < scheduled {
        hundred.shuffle(&mut rng);
        kinds.extend(hundred.iter().copied().take(scheduled - kinds.len()));
    }

    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<(Kind, Result<f64, String>)>();
    let in_flight = Arc::new(AtomicUsize::new(0));
    let mut max_in_flight = 0;
    let mut lags = Vec::with_capacity(scheduled);
    let interval = Duration::from_secs_f64(1.0 / rate);
    let cpu_before = cpu_times();
    let started = tokio::time::Instant::now();
    for (i, kind) in kinds.into_iter().enumerate() {
        let due = started + interval.mul_f64(i as f64);
        tokio::time::sleep_until(due).await;
        lags.push(due.elapsed().as_secs_f64() * 1000.0);
        let call = fixture.next(kind, &mut rng);
        let now_in_flight = in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        max_in_flight = max_in_flight.max(now_in_flight);
        if now_in_flight > MAX_IN_FLIGHT {
            in_flight.fetch_sub(1, Ordering::Relaxed);
            let _ = done_tx.send((kind, Err(format!("not sent: {MAX_IN_FLIGHT} requests already waiting"))));
            continue;
        }
        let (fixture, http, url, token, done_tx, in_flight) = (
            fixture.clone(),
            http.clone(),
            url.clone(),
            token.to_string(),
            done_tx.clone(),
            in_flight.clone(),
        );
        tokio::spawn(async move {
            let outcome = fixture.send(&http, &url, &token, call).await;
            let ms = due.elapsed().as_secs_f64() * 1000.0;
            in_flight.fetch_sub(1, Ordering::Relaxed);
            let _ = done_tx.send((kind, outcome.map(|()| ms)));
        });
    }
    drop(done_tx);
    let mut ms: Vec<Vec<f64>> = vec![Vec::new(); MIX.len()];
    let mut errors: Vec<Vec<String>> = vec![Vec::new(); MIX.len()];
    while let Some((kind, outcome)) = done_rx.recv().await {
        match outcome {
            Ok(t) => ms[kind.index()].push(t),
            Err(e) => errors[kind.index()].push(e),
        }
    }
    let elapsed = started.elapsed();
    let machine_busy = cpu_before
        .zip(cpu_times())
        .map(|((busy0, total0), (busy1, total1))| (busy1 - busy0) as f64 / (total1 - total0).max(1) as f64);
    let cleaned = clean_up(database_url, &http, &url, token).await;

    let all_ms: Vec<f64> = ms.iter().flatten().copied().collect();
    let all_errors = errors.iter().map(Vec::len).sum();
    let kinds = MIX
        .iter()
        .zip(ms.into_iter().zip(errors))
        .map(|((kind, _), (ms, errors))| KindFigures {
            kind: *kind,
            share: share(*kind),
            summary: Summary::of(ms, errors.len(), elapsed),
            first_errors: errors.into_iter().fold(Vec::new(), |mut kept: Vec<(String, usize)>, e| {
                if let Some(at) = kept.iter().position(|(k, _)| *k == e) {
                    kept[at].1 += 1;
                } else if kept.len() < ERRORS_KEPT {
                    kept.push((e, 1));
                }
                kept
            }),
        })
        .collect();
    let lag = Summary::of(lags, 0, elapsed);
    Ok(LoadReport {
        rate,
        seconds: duration.as_secs_f64(),
        scheduled,
        kinds,
        overall: Summary::of(all_ms, all_errors, elapsed),
        send_lag_p99: lag.p99,
        send_lag_max: lag.max,
        max_in_flight,
        machine_busy,
        left_behind: cleaned.err().map(|e| format!("{e:#}")),
    })
}
