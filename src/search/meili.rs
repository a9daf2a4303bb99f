//! The Meilisearch backend, used when `MEILI_URL` is set. The live index is `qiaolink`; a
//! rebuild fills `qiaolink_rebuild_<time>` with the same settings and swaps it in whole.
//! Every request has a deadline, so a server that hangs becomes an error, not a stuck app.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use meilisearch_sdk::client::{Client, SwapIndexes};
use meilisearch_sdk::errors::{Error as SdkError, ErrorCode, MeilisearchError};
use meilisearch_sdk::request::{HttpClient, Method};
use meilisearch_sdk::reqwest::ReqwestClient;
use meilisearch_sdk::search::{FederatedMultiSearchResponse, FederationOptions, MatchingStrategies, MergeFacets, SearchQuery};
use meilisearch_sdk::task_info::TaskInfo;
use meilisearch_sdk::tasks::Task;

use super::settings::Settings;
use super::{EngineQuery, EngineResult, FACETS, Facets, FilterSet, SearchDocument, SearchError};

const PRIMARY_KEY: &str = "id";
/// A search answers in milliseconds; a server slower than this is in trouble.
const SEARCH_TIMEOUT: Duration = Duration::from_secs(5);
/// Requests that only enqueue a task (a batch upload included) or read metadata.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Indexing tasks: a bulk batch, or new settings that reindex every document.
const TASK_TIMEOUT: Duration = Duration::from_secs(600);
const TASK_POLL: Duration = Duration::from_millis(100);

/// The SDK client and the deadlines around its requests. The SDK builds its own
/// `reqwest::Client` and takes no timeouts, so each request runs under `tokio::time::timeout`.
#[derive(Clone)]
struct Server {
    client: Client,
    /// The client's HTTP side, to send the settings document exactly as it is written.
    http: ReqwestClient,
    url: String,
}

impl Server {
    fn new(url: &str, key: Option<&str>) -> anyhow::Result<Server> {
        if let Some(key) = key {
            check_key(key)?;
        }
        // The SDK wants the host without a trailing slash.
        let url = url.trim_end_matches('/').to_string();
        let http = ReqwestClient::new(key).map_err(|e| anyhow::anyhow!("cannot set up a client for the search server at {url}: {e}"))?;
        let client = Client::new_with_client(url.clone(), key, http.clone());
        Ok(Server { client, http, url })
    }

    /// One request, given up after `limit`.
    async fn call<T>(&self, what: &str, limit: Duration, request: impl Future<Output = Result<T, SdkError>>) -> Result<T, SearchError> {
        self.timed(what, limit, request).await?.map_err(|e| self.failure(what, &e))
    }

    /// One request, given up after `limit`; the server's own error is left to the caller.
    async fn timed<T>(
        &self,
        what: &str,
        limit: Duration,
        request: impl Future<Output = Result<T, SdkError>>,
    ) -> Result<Result<T, SdkError>, SearchError> {
        tokio::time::timeout(limit, request).await.map_err(|_| {
            SearchError(format!(
                "the search server at {} did not answer within {} s (trying to {what})",
                self.url,
                limit.as_secs()
            ))
        })
    }

    /// Enqueues a task and waits for it; a failed task is an error.
    async fn run(&self, what: &str, request: impl Future<Output = Result<TaskInfo, SdkError>>) -> Result<(), SearchError> {
        let task = self.call(what, REQUEST_TIMEOUT, request).await?;
        self.finish(what, task).await?.map_err(|e| self.task_failed(what, &e))
    }

    /// Waits for a task to end; the inner error is why the task failed.
    async fn finish(&self, what: &str, task: TaskInfo) -> Result<Result<(), MeilisearchError>, SearchError> {
        let uid = task.task_uid;
        // The SDK counts only its sleeps against the timeout, so bound the polling requests too.
        let wait = self.client.wait_for_task(task, Some(TASK_POLL), Some(TASK_TIMEOUT));
        match tokio::time::timeout(TASK_TIMEOUT, wait).await.unwrap_or(Err(SdkError::Timeout)) {
            Ok(Task::Succeeded { .. }) => Ok(Ok(())),
            Ok(Task::Failed { content }) => Ok(Err(content.error)),
            Ok(Task::Enqueued { .. } | Task::Processing { .. }) | Err(SdkError::Timeout) => Err(SearchError(format!(
                "the search server at {} did not finish task {uid} (to {what}) within {} s; it may still complete",
                self.url,
                TASK_TIMEOUT.as_secs()
            ))),
            Err(e) => Err(self.failure(what, &e)),
        }
    }

    fn failure(&self, what: &str, e: &SdkError) -> SearchError {
        match e {
            SdkError::HttpError(http) if http.is_connect() => SearchError(format!(
                "cannot reach the search server at {} (to {what}): {}",
                self.url,
                with_causes(e)
            )),
            _ => SearchError(format!("the search server at {} could not {what}: {}", self.url, with_causes(e))),
        }
    }

    fn task_failed(&self, what: &str, e: &MeilisearchError) -> SearchError {
        SearchError(format!("the search server at {} could not {what}: the task failed: {e}", self.url))
    }

    /// Creates the live index unless it exists. Another app instance may be creating it at
    /// the same moment, so "already exists" is success too.
    async fn ensure_index(&self, uid: &str) -> Result<(), SearchError> {
        let lookup = format!("look up the index {uid}");
        match self.timed(&lookup, REQUEST_TIMEOUT, self.client.get_raw_index(uid)).await? {
            Ok(_) => Ok(()),
            Err(SdkError::Meilisearch(e)) if e.error_code == ErrorCode::IndexNotFound => {
                let what = format!("create the index {uid}");
                let task = self
                    .call(&what, REQUEST_TIMEOUT, self.client.create_index(uid, Some(PRIMARY_KEY)))
                    .await?;
                match self.finish(&what, task).await? {
                    Err(e) if e.error_code != ErrorCode::IndexAlreadyExists => Err(self.task_failed(&what, &e)),
                    _ => Ok(()),
                }
            }
            Err(e) => Err(self.failure(&lookup, &e)),
        }
    }

    /// Sends `search-config/settings.json` untouched (PATCH, as the SDK's `set_settings` does):
    /// the SDK's `Settings` struct would silently drop any field it does not know.
    async fn apply_settings(&self, uid: &str) -> Result<(), SearchError> {
        let url = format!("{}/indexes/{uid}/settings", self.url);
        let request = self.http.request::<(), serde_json::Value, TaskInfo>(
            &url,
            Method::Patch {
                query: (),
                body: Settings::json(),
            },
            202,
        );
        self.run(&format!("apply the settings to the index {uid}"), request).await
    }

    async fn add_documents(&self, uid: &str, docs: &[SearchDocument]) -> Result<(), SearchError> {
        let index = self.client.index(uid);
        self.run(
            &format!("index {} documents into {uid}", docs.len()),
            index.add_or_replace(docs, None),
        )
        .await
    }
}

/// The SDK puts the key in a header and panics when it cannot; say so instead (without the key).
fn check_key(key: &str) -> anyhow::Result<()> {
    if key.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b)) {
        Ok(())
    } else {
        anyhow::bail!("the Meilisearch key holds characters an HTTP header cannot carry (a stray newline?)")
    }
}

/// An error with its causes: the SDK's message alone omits them ("connection refused" …).
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// The live index `qiaolink` on a Meilisearch server.
pub struct MeiliIndex {
    server: Server,
    /// The live index (`MEILI_INDEX`).
    uid: String,
    /// Set once the index exists with our settings; until then every call tries again, so
    /// the service starts and takes writes while the search server is down.
    prepared: tokio::sync::OnceCell<()>,
}

/// A fresh index being filled.
pub struct Rebuild {
    server: Server,
    uid: String,
}

impl MeiliIndex {
    /// Connects, creates the index `uid` (primary key `id`) when missing, applies the settings,
    /// waits for the tasks. A server that is down is not an error here: the calls that need
    /// it fail (and the outbox keeps the writes) until it answers.
    pub async fn connect(url: &str, master_key: Option<&str>, uid: &str) -> anyhow::Result<MeiliIndex> {
        let index = MeiliIndex {
            server: Server::new(url, master_key)?,
            uid: uid.to_string(),
            prepared: tokio::sync::OnceCell::new(),
        };
        if let Err(e) = index.prepare().await {
            tracing::warn!(error = %e, "the search server is not ready; searches fail until it is");
        }
        Ok(index)
    }

    async fn prepare(&self) -> Result<(), SearchError> {
        self.prepared
            .get_or_try_init(|| async {
                self.server
                    .call("report its health", SEARCH_TIMEOUT, self.server.client.health())
                    .await?;
                self.server.ensure_index(&self.uid).await?;
                self.server.apply_settings(&self.uid).await
            })
            .await
            .map(|_| ())
    }

    pub async fn upsert(&self, docs: Vec<SearchDocument>) -> Result<(), SearchError> {
        self.prepare().await?;
        self.server.add_documents(&self.uid, &docs).await
    }

    pub async fn delete(&self, doc_ids: Vec<String>) -> Result<(), SearchError> {
        self.prepare().await?;
        let index = self.server.client.index(&self.uid);
        self.server
            .run(&format!("delete {} documents", doc_ids.len()), index.delete_documents(&doc_ids))
            .await
    }

    pub async fn count(&self) -> Result<u64, SearchError> {
        self.prepare().await?;
        let index = self.server.client.index(&self.uid);
        let stats = self.server.call("count the documents", SEARCH_TIMEOUT, index.get_stats()).await?;
        Ok(stats.number_of_documents as u64)
    }

    pub async fn search(&self, query: &EngineQuery) -> Result<EngineResult, SearchError> {
        self.prepare().await?;
        // The nearest Meilisearch has to the embedded relaxation: embedded lets any one
        // token go unmatched, while `last` drops tokens from the end of the query, one
        // after another, possibly down to the first.
        let strategy = if query.relax {
            MatchingStrategies::LAST
        } else {
            MatchingStrategies::ALL
        };
        self.federated(query, strategy).await
    }

    /// One federated multi-search: a query per variant, the earlier variants weighing more.
    async fn federated(&self, query: &EngineQuery, strategy: MatchingStrategies) -> Result<EngineResult, SearchError> {
        let index = self.server.client.index(&self.uid);
        let filter = filter_expression(&query.filters);
        let texts = search_texts(&query.variants);
        let mut multi = self.server.client.multi_search();
        for (position, text) in texts.iter().enumerate() {
            let mut search = SearchQuery::new(&index);
            search.with_query(text).with_matching_strategy(strategy.clone());
            if let Some(filter) = &filter {
                search.with_filter(filter);
            }
            multi.with_search_query_and_weight(search.build(), weight(position));
        }
        let federated = multi.with_federation(federation(query, &self.uid));
        let response: FederatedMultiSearchResponse<SearchDocument> =
            self.server.call("search", SEARCH_TIMEOUT, federated.execute()).await?;
        Ok(EngineResult {
            hits: response.hits.into_iter().map(|hit| hit.result).collect(),
            total: response.estimated_total_hits.min(Settings::get().pagination.max_total_hits),
            facets: if query.facets {
                facets_from(response.facet_distribution)
            } else {
                Default::default()
            },
        })
    }

    /// A fresh index `qiaolink_rebuild_<time>` with the same settings.
    pub async fn begin_rebuild(&self) -> Result<Rebuild, SearchError> {
        self.prepare().await?;
        let uid = format!("{}_rebuild_{}", self.uid, chrono::Utc::now().format("%Y%m%d%H%M%S%3f"));
        let server = &self.server;
        server
            .run(
                &format!("create the index {uid}"),
                server.client.create_index(&uid, Some(PRIMARY_KEY)),
            )
            .await?;
        server.apply_settings(&uid).await?;
        Ok(Rebuild {
            server: server.clone(),
            uid,
        })
    }

    /// Swaps the rebuilt index with the live one in one step, then deletes the old documents
    /// (which the swap left under the rebuild's name).
    pub async fn finish_rebuild(&self, rebuild: Rebuild) -> Result<(), SearchError> {
        let server = &self.server;
        let swap = SwapIndexes {
            indexes: (self.uid.clone(), rebuild.uid.clone()),
            rename: None,
        };
        server
            .run(
                &format!("swap the index {} in for {}", rebuild.uid, self.uid),
                server.client.swap_indexes([&swap]),
            )
            .await?;
        let what = format!("delete the replaced index, now named {} (the rebuilt one is live)", rebuild.uid);
        server.run(&what, server.client.delete_index(&rebuild.uid)).await
    }
}

impl Rebuild {
    pub async fn add(&mut self, docs: Vec<SearchDocument>) -> Result<(), SearchError> {
        if docs.is_empty() {
            return Ok(());
        }
        self.server.add_documents(&self.uid, &docs).await
    }
}

/// Each filter as `field IN ["v1", "v2"]`, all of them required; `None` without filters.
fn filter_expression(filters: &FilterSet) -> Option<String> {
    if filters.is_empty() {
        return None;
    }
    let conditions: Vec<String> = filters
        .iter()
        .map(|(field, values)| format!("{field} IN [{}]", values.iter().map(|v| quote(v)).collect::<Vec<_>>().join(", ")))
        .collect();
    Some(conditions.join(" AND "))
}

/// A string value in a filter: in double quotes, with `\` and `"` escaped as Meilisearch's
/// filter parser unescapes them.
fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A variant as Meilisearch's `q`: plain words, so that no token is read as a phrase (`"`)
/// or as an exclusion (a leading `-`).
fn query_text(tokens: &[String]) -> String {
    tokens
        .iter()
        .map(|t| t.replace('"', ""))
        .map(|t| t.trim_start_matches('-').to_string())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One `q` per variant with words; with none, one empty `q`: every document.
fn search_texts(variants: &[Vec<String>]) -> Vec<String> {
    let texts: Vec<String> = variants.iter().map(|v| query_text(v)).filter(|t| !t.is_empty()).collect();
    if texts.is_empty() { vec![String::new()] } else { texts }
}

/// The query as typed weighs most, its readings less, and none weighs nothing.
fn weight(position: usize) -> f32 {
    (1.0 - 0.2 * position as f32).max(0.2)
}

fn federation(query: &EngineQuery, uid: &str) -> FederationOptions {
    let facets = HashMap::from([(uid.to_string(), FACETS.iter().map(|f| f.to_string()).collect())]);
    FederationOptions {
        offset: Some(query.offset),
        limit: Some(query.limit),
        // Facets are counted once per index over the documents any query matched. Merged,
        // they come back as one `facetDistribution`; the per-index form would not fit the
        // SDK's response type.
        facets_by_index: query.facets.then_some(facets),
        merge_facets: query.facets.then(MergeFacets::default),
        ..FederationOptions::default()
    }
}

/// The merged distribution as `Facets`, with every facet of `FACETS` present, as embedded gives it.
fn facets_from(distribution: Option<HashMap<String, HashMap<String, usize>>>) -> Facets {
    let mut distribution = distribution.unwrap_or_default();
    FACETS
        .iter()
        .map(|facet| {
            let values = distribution
                .remove(*facet)
                .unwrap_or_default()
                .into_iter()
                .map(|(value, n)| (value, n as u64))
                .collect();
            (facet.to_string(), values)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(list: &[(&'static str, &[&str])]) -> FilterSet {
        list.iter()
            .map(|(field, values)| (*field, values.iter().map(|v| v.to_string()).collect()))
            .collect()
    }

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn no_filters_no_expression() {
        assert_eq!(filter_expression(&Vec::new()), None);
    }

    #[test]
    fn one_field_quotes_each_value() {
        let f = filters(&[("country", &["CA", "US"])]);
        assert_eq!(filter_expression(&f).as_deref(), Some(r#"country IN ["CA", "US"]"#));
    }

    #[test]
    fn several_fields_are_all_required() {
        let f = filters(&[
            ("type", &["person"]),
            ("status", &["华侨", "外籍华人"]),
            ("high_level_talent", &["true"]),
        ]);
        assert_eq!(
            filter_expression(&f).as_deref(),
            Some(r#"type IN ["person"] AND status IN ["华侨", "外籍华人"] AND high_level_talent IN ["true"]"#)
        );
    }

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(quote(r#"the "Toisan" club"#), r#""the \"Toisan\" club""#);
        assert_eq!(quote(r"a\b"), r#""a\\b""#);
        assert_eq!(quote(r#"end\""#), r#""end\\\"""#);
        let f = filters(&[("kind", &[r#"say "hi" AND x"#])]);
        assert_eq!(filter_expression(&f).as_deref(), Some(r#"kind IN ["say \"hi\" AND x"]"#));
    }

    #[test]
    fn a_field_with_no_values_matches_nothing() {
        assert_eq!(filter_expression(&filters(&[("kind", &[])])).as_deref(), Some("kind IN []"));
    }

    #[test]
    fn query_words_carry_no_operators() {
        assert_eq!(query_text(&words(&["-chan", "\"tai\"", "shan"])), "chan tai shan");
        assert_eq!(query_text(&words(&["wong-kar", "--", "\""])), "wong-kar");
    }

    #[test]
    fn one_text_per_variant_or_one_empty_for_everything() {
        assert_eq!(
            search_texts(&[words(&["chan", "tai"]), Vec::new(), words(&["陈"])]),
            vec!["chan tai".to_string(), "陈".to_string()]
        );
        assert_eq!(search_texts(&[]), vec![String::new()]);
        assert_eq!(search_texts(&[Vec::new()]), vec![String::new()]);
    }

    #[test]
    fn earlier_variants_weigh_more() {
        let weights: Vec<f32> = (0..7).map(weight).collect();
        assert!(weights.windows(2).all(|w| w[0] >= w[1]));
        assert_eq!(weights[0], 1.0);
        assert!(weights.iter().all(|w| *w > 0.0));
    }

    #[test]
    fn facets_list_every_facet_and_only_those() {
        let distribution = HashMap::from([
            ("country".to_string(), HashMap::from([("CA".to_string(), 3), ("US".to_string(), 1)])),
            ("organizations".to_string(), HashMap::from([("x".to_string(), 2)])),
        ]);
        let facets = facets_from(Some(distribution));
        assert_eq!(facets.keys().map(String::as_str).collect::<Vec<_>>(), {
            let mut names = FACETS.to_vec();
            names.sort();
            names
        });
        assert_eq!(facets["country"].get("CA"), Some(&3));
        assert_eq!(facets["country"].get("US"), Some(&1));
        assert!(facets["type"].is_empty());
    }

    #[test]
    fn no_distribution_gives_empty_facets() {
        let facets = facets_from(None);
        assert_eq!(facets.len(), FACETS.len());
        assert!(facets.values().all(|values| values.is_empty()));
    }

    #[test]
    fn facets_are_requested_for_the_index_and_merged() {
        let options = federation(
            &EngineQuery {
                limit: 20,
                offset: 40,
                facets: true,
                ..EngineQuery::default()
            },
            "contacts",
        );
        let json = serde_json::to_value(&options).expect("serializes");
        assert_eq!(json["limit"], 20);
        assert_eq!(json["offset"], 40);
        assert_eq!(json["facetsByIndex"]["contacts"].as_array().map(Vec::len), Some(FACETS.len()));
        assert_eq!(json["mergeFacets"], serde_json::json!({}));
    }

    #[test]
    fn facets_are_not_requested_when_not_wanted() {
        let options = federation(
            &EngineQuery {
                limit: 20,
                ..EngineQuery::default()
            },
            "contacts",
        );
        let json = serde_json::to_value(&options).expect("serializes");
        assert!(json.get("facetsByIndex").is_none_or(|v| v.is_null()), "{json}");
    }

    #[test]
    fn keys_that_cannot_be_sent_are_refused() {
        assert!(check_key("0123456789abcdef-KEY_ok").is_ok());
        assert!(check_key("masterKey\n").is_err());
    }
}
