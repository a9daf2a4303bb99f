//! Search: one interface, two backends. Meilisearch when `MEILI_URL` is set (production,
//! several app instances), an embedded tantivy index otherwise. Both index the same
//! documents (`document`) with the same settings (`search-config/settings.json`) and are
//! asked the same token queries (`names::query_variants`), so they give the same answers.

pub mod document;
pub mod embedded;
pub mod meili;
pub mod settings;
pub mod worker;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use document::{EntityType, SearchDocument};

/// The filters an engine applies, as (field, any of these values).
pub type FilterSet = Vec<(&'static str, Vec<String>)>;

/// A search as the engines receive it: token variants, any of which may match.
#[derive(Clone, Debug, Default)]
pub struct EngineQuery {
    /// Each variant is a list of tokens that must all match (the last may be a prefix).
    /// Empty: every document (filtered).
    pub variants: Vec<Vec<String>>,
    pub filters: FilterSet,
    pub limit: usize,
    pub offset: usize,
    /// Let one token of each variant go unmatched (asked only when nothing matched them all).
    pub relax: bool,
    /// Count facets over every match.
    pub facets: bool,
}

/// Facet name -> value -> count.
pub type Facets = BTreeMap<String, BTreeMap<String, u64>>;

#[derive(Clone, Debug, Default)]
pub struct EngineResult {
    pub hits: Vec<SearchDocument>,
    pub total: usize,
    pub facets: Facets,
}

/// The facets every search counts.
pub const FACETS: &[&str] = &["type", "country", "kind", "status", "hometown", "talent_fields"];

/// A search backend failed or cannot be reached.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SearchError(pub String);

impl From<anyhow::Error> for SearchError {
    fn from(e: anyhow::Error) -> SearchError {
        SearchError(format!("{e:#}"))
    }
}

/// The one interface to the search backends.
pub enum SearchIndex {
    Embedded(embedded::EmbeddedIndex),
    Meili(meili::MeiliIndex),
}

impl SearchIndex {
    /// The backend the configuration asks for.
    pub async fn open(config: &crate::config::Config) -> anyhow::Result<SearchIndex> {
        match &config.meili_url {
            Some(url) => Ok(SearchIndex::Meili(
                meili::MeiliIndex::connect(url, config.meili_master_key.as_deref(), &config.meili_index).await?,
            )),
            None => Ok(SearchIndex::Embedded(embedded::EmbeddedIndex::open(
                &config.data_dir.join("search"),
            )?)),
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            SearchIndex::Embedded(_) => "embedded",
            SearchIndex::Meili(_) => "meilisearch",
        }
    }

    pub async fn upsert(&self, docs: Vec<SearchDocument>) -> Result<(), SearchError> {
        if docs.is_empty() {
            return Ok(());
        }
        match self {
            SearchIndex::Embedded(e) => e.upsert(docs).await,
            SearchIndex::Meili(m) => m.upsert(docs).await,
        }
    }

    pub async fn delete(&self, doc_ids: Vec<String>) -> Result<(), SearchError> {
        if doc_ids.is_empty() {
            return Ok(());
        }
        match self {
            SearchIndex::Embedded(e) => e.delete(doc_ids).await,
            SearchIndex::Meili(m) => m.delete(doc_ids).await,
        }
    }

    /// Documents that match every token of a variant; when none does, documents that match
    /// all but one token of the query as typed (readings are too loose to relax).
    pub async fn search(&self, query: &EngineQuery) -> Result<EngineResult, SearchError> {
        let strict = EngineQuery {
            relax: false,
            ..query.clone()
        };
        let result = self.search_once(&strict).await?;
        let typed = query.variants.first().filter(|v| v.len() > 1);
        match typed {
            Some(typed) if result.total == 0 && query.relax => {
                let relaxed = EngineQuery {
                    variants: vec![typed.clone()],
                    relax: true,
                    ..query.clone()
                };
                self.search_once(&relaxed).await
            }
            _ => Ok(result),
        }
    }

    async fn search_once(&self, query: &EngineQuery) -> Result<EngineResult, SearchError> {
        match self {
            SearchIndex::Embedded(e) => e.search(query).await,
            SearchIndex::Meili(m) => m.search(query).await,
        }
    }

    /// Starts building a fresh index beside the live one.
    pub async fn begin_rebuild(&self) -> Result<Rebuild, SearchError> {
        match self {
            SearchIndex::Embedded(e) => Ok(Rebuild::Embedded(e.begin_rebuild().await?)),
            SearchIndex::Meili(m) => Ok(Rebuild::Meili(m.begin_rebuild().await?)),
        }
    }

    /// How many documents the index holds.
    pub async fn count(&self) -> Result<u64, SearchError> {
        match self {
            SearchIndex::Embedded(e) => e.count().await,
            SearchIndex::Meili(m) => m.count().await,
        }
    }
}

/// A fresh index being filled; `finish` swaps it in for the live one.
pub enum Rebuild {
    Embedded(embedded::Rebuild),
    Meili(meili::Rebuild),
}

impl Rebuild {
    pub async fn add(&mut self, docs: Vec<SearchDocument>) -> Result<(), SearchError> {
        match self {
            Rebuild::Embedded(r) => r.add(docs).await,
            Rebuild::Meili(r) => r.add(docs).await,
        }
    }

    pub async fn finish(self, index: &SearchIndex) -> Result<(), SearchError> {
        match (self, index) {
            (Rebuild::Embedded(r), SearchIndex::Embedded(e)) => e.finish_rebuild(r).await,
            (Rebuild::Meili(r), SearchIndex::Meili(m)) => m.finish_rebuild(r).await,
            _ => Err(SearchError("the rebuild belongs to another backend".into())),
        }
    }
}

/// A hit as the API answers it.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Hit {
    #[serde(rename = "type")]
    pub record_type: String,
    pub id: uuid::Uuid,
    pub external_id: Option<String>,
    pub display_name: String,
    pub country: String,
    pub city: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    /// The name or spelling that matched, and how.
    pub matched: Option<Matched>,
}

#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Matched {
    /// The name as written on the record.
    pub name: String,
    /// `as_written`, `reading` (pinyin, Cantonese or another spelling of the same name) or `hometown`.
    pub how: String,
}
