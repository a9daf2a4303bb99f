//! Scores search relevance on a query set (the format of the development set: `q`,
//! `type`, `filters`, `relevant`, `must_rank_within` or `min_recall_at`, `must_exclude`)
//! against a running server, and prints the figures by category.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
struct Query {
    category: String,
    q: String,
    #[serde(rename = "type")]
    record_type: Option<String>,
    #[serde(default)]
    filters: Value,
    relevant: Vec<String>,
    must_rank_within: Option<usize>,
    min_recall_at: Option<usize>,
    #[serde(default)]
    must_exclude: Vec<String>,
}

/// The figures of one category (or of all).
#[derive(Default, Clone)]
pub struct Figures {
    known_items: usize,
    successes: usize,
    reciprocal_ranks: f64,
    set_queries: usize,
    recall_sum: f64,
    latencies_ms: Vec<f64>,
    pub failures: Vec<String>,
}

impl Figures {
    pub fn success_at_10(&self) -> Option<f64> {
        (self.known_items > 0).then(|| self.successes as f64 / self.known_items as f64)
    }
    pub fn mrr(&self) -> Option<f64> {
        (self.known_items > 0).then(|| self.reciprocal_ranks / self.known_items as f64)
    }
    pub fn recall_at_50(&self) -> Option<f64> {
        (self.set_queries > 0).then(|| self.recall_sum / self.set_queries as f64)
    }
    fn percentile(&self, p: f64) -> f64 {
        let mut l = self.latencies_ms.clone();
        l.sort_by(|a, b| a.total_cmp(b));
        l.get(((l.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or(0.0)
    }
}

/// Runs every query of the file against `base_url` and returns figures per category,
/// with the key `all` for the whole set.
pub async fn score(base_url: &str, token: &str, queries: &Path) -> anyhow::Result<BTreeMap<String, Figures>> {
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).build()?;
    let text = std::fs::read_to_string(queries)?;
    let mut figures: BTreeMap<String, Figures> = BTreeMap::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let query: Query = serde_json::from_str(line).map_err(|e| anyhow::anyhow!("{}, line {}: {e}", queries.display(), n + 1))?;
        let body = json!({"q": query.q, "type": query.record_type, "filters": if query.filters.is_null() { json!({}) } else { query.filters.clone() }, "limit": 50});
        let started = Instant::now();
        let response = client
            .post(format!("{base_url}/api/v1/search"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await?;
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        let status = response.status();
        let answer: Value = response.json().await?;
        if !status.is_success() {
            anyhow::bail!("the search for {:?} answered {status}: {answer}", query.q);
        }
        let ids: Vec<String> = answer["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|h| h["external_id"].as_str().map(str::to_string))
            .collect();
        for key in [query.category.clone(), "all".to_string()] {
            record(figures.entry(key).or_default(), &query, &ids, elapsed);
        }
    }
    Ok(figures)
}

fn record(f: &mut Figures, query: &Query, ids: &[String], elapsed: f64) {
    f.latencies_ms.push(elapsed);
    let rank_of = |id: &String| ids.iter().position(|i| i == id);
    let excluded = query.must_exclude.iter().any(|x| ids.contains(x));
    if let Some(within) = query.must_rank_within {
        f.known_items += 1;
        let all_within = query.relevant.iter().all(|r| rank_of(r).is_some_and(|p| p < within));
        if all_within && !excluded {
            f.successes += 1;
        } else {
            f.failures.push(format!(
                "{:?}: wanted {:?} within {within}, got {:?}",
                query.q,
                query.relevant,
                &ids[..ids.len().min(5)]
            ));
        }
        let first = query.relevant.iter().filter_map(rank_of).min();
        f.reciprocal_ranks += first.map(|p| 1.0 / (p + 1) as f64).unwrap_or(0.0);
    }
    if let Some(at) = query.min_recall_at {
        f.set_queries += 1;
        let top: Vec<&String> = ids.iter().take(at).collect();
        let wanted = query.relevant.len().min(at).max(1);
        let found = query.relevant.iter().filter(|r| top.contains(r)).count().min(wanted);
        f.recall_sum += found as f64 / wanted as f64;
        if found < wanted {
            f.failures
                .push(format!("{:?}: found {found} of {wanted} in the first {at}", query.q));
        }
    }
}

/// The figures as a table, as written in docs/search-quality.md.
pub fn table(figures: &BTreeMap<String, Figures>) -> String {
    let pct = |v: Option<f64>| v.map(|x| format!("{x:.3}")).unwrap_or_else(|| "–".into());
    let mut out = String::from("| category | queries | success@10 | MRR | recall@50 | p50 ms | p95 ms |\n|---|---|---|---|---|---|---|\n");
    let mut rows: Vec<(&String, &Figures)> = figures.iter().filter(|(k, _)| *k != "all").collect();
    rows.extend(figures.get_key_value("all"));
    for (name, f) in rows {
        out.push_str(&format!(
            "| {name} | {} | {} | {} | {} | {:.1} | {:.1} |\n",
            f.latencies_ms.len(),
            pct(f.success_at_10()),
            pct(f.mrr()),
            pct(f.recall_at_50()),
            f.percentile(0.5),
            f.percentile(0.95)
        ));
    }
    out
}
