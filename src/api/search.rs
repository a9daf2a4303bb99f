//! `POST /api/v1/search`: one box for people and organizations, in any script or spelling.
//! The query travels in the body, so names never land in access logs.

use axum::Json;
use serde::{Deserialize, Serialize};

use super::{JsonObject, State};
use crate::auth::{CurrentUser, Permission};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::names;
use crate::places::Places;
use crate::search::{EngineQuery, Facets, FilterSet, Hit, Matched, SearchDocument, SearchIndex};

#[derive(Clone, Deserialize, utoipa::ToSchema)]
pub struct SearchRequest {
    /// What was typed: a name in any script or spelling, an association, a place.
    #[serde(default)]
    pub q: String,
    /// `person` or `organization`; both when absent.
    #[serde(rename = "type")]
    pub record_type: Option<String>,
    #[serde(default)]
    pub filters: SearchFilters,
    /// At most 100; 20 when absent.
    pub limit: Option<usize>,
    /// Count facets (the default). Set false while the user is still typing: counting reads
    /// every match, which is most of the cost of a broad search.
    pub facets: Option<bool>,
    pub offset: Option<usize>,
}

#[derive(Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct SearchFilters {
    /// ISO 3166-1 alpha-2 codes.
    #[serde(default)]
    pub country: Vec<String>,
    /// Organization kinds.
    #[serde(default)]
    pub kind: Vec<String>,
    /// Places at any level (id or any written form): a county includes its towns.
    #[serde(default)]
    pub hometown: Vec<String>,
    /// Person statuses.
    #[serde(default)]
    pub status: Vec<String>,
    #[serde(default)]
    pub talent_field: Vec<String>,
    /// Members of these organizations (ids).
    #[serde(default)]
    pub organization: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SearchResponse {
    pub hits: Vec<Hit>,
    pub total: usize,
    #[schema(value_type = Object)]
    pub facets: Facets,
    pub took_ms: u64,
}

fn filters(request: &SearchRequest) -> AppResult<FilterSet> {
    let f = &request.filters;
    let mut set: FilterSet = Vec::new();
    match request.record_type.as_deref() {
        None | Some("") => {}
        Some(t @ ("person" | "organization")) => set.push(("type", vec![t.to_string()])),
        Some(_) => return Err(AppError::invalid("type", "should be person or organization")),
    }
    let mut push = |name: &'static str, values: Vec<String>| {
        if !values.is_empty() {
            set.push((name, values));
        }
    };
    push("country", f.country.iter().map(|c| c.trim().to_uppercase()).collect());
    push("kind", f.kind.clone());
    push("status", f.status.clone());
    push("talent_fields", f.talent_field.clone());
    push("organizations", f.organization.clone());
    let hometowns = f
        .hometown
        .iter()
        .map(|h| {
            Places::get()
                .lookup(h)
                .ok_or_else(|| AppError::invalid("filters.hometown", format!("\"{h}\" is not a place we know")))
        })
        .collect::<AppResult<Vec<String>>>()?;
    push("hometown", hometowns);
    Ok(set)
}

/// Which of the record's names the query matched, and whether as written or by a reading.
fn matched(doc: &SearchDocument, variants: &[Vec<String>]) -> Option<Matched> {
    let hits = |keys: &[String], tokens: &[String]| {
        tokens
            .iter()
            .enumerate()
            .filter(|(i, t)| keys.iter().any(|k| k == *t || (i + 1 == tokens.len() && k.starts_with(t.as_str()))))
            .count()
    };
    let mut best: Option<(usize, Matched)> = None;
    for name in &doc.names {
        let keys = names::name_keys(&[name.as_str()]);
        for tokens in variants.iter().filter(|v| !v.is_empty()) {
            let written = hits(&keys.written, tokens);
            let all: Vec<String> = keys.written.iter().chain(keys.derived.iter()).cloned().collect();
            let any = hits(&all, tokens);
            // Words that named the hometown ("Wong Toisan") say nothing of how the name matched.
            let place_words = tokens.iter().filter(|t| doc.place_keys.contains(t) && !all.contains(t)).count();
            let how = if written + place_words >= tokens.len() {
                "as_written"
            } else {
                "reading"
            };
            // More words matched wins; on a tie, a name matched as written.
            let score = any * 2 + usize::from(how == "as_written");
            if any > 0 && best.as_ref().is_none_or(|(n, _)| score > *n) {
                best = Some((
                    score,
                    Matched {
                        name: name.clone(),
                        how: how.into(),
                    },
                ));
            }
        }
    }
    match best {
        Some((_, m)) => Some(m),
        None if variants.iter().any(|v| v.iter().any(|t| doc.place_keys.contains(t))) => {
            let place = doc
                .hometown
                .first()
                .and_then(|id| Places::get().by_id(id))
                .map(|p| p.name_simplified.clone());
            place.map(|name| Matched {
                name,
                how: "hometown".into(),
            })
        }
        None => None,
    }
}

#[utoipa::path(post, path = "/api/v1/search", tag = "search", request_body = SearchRequest,
    responses((status = 200, body = SearchResponse), (status = 503, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn search(app: State, CurrentUser(actor): CurrentUser, JsonObject(body): JsonObject) -> AppResult<Json<SearchResponse>> {
    actor.require(Permission::ReadDirectory)?;
    let request: SearchRequest = serde_json::from_value(serde_json::Value::Object(body))
        .map_err(|e| AppError::BadRequest(format!("the search request is not right: {e}")))?;
    Ok(Json(run(&app.search, &request).await?))
}

/// One search, as the API and the search page ask it.
pub async fn run(index: &SearchIndex, request: &SearchRequest) -> AppResult<SearchResponse> {
    let started = std::time::Instant::now();
    let limit = request.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(AppError::invalid("limit", "should be between 1 and 100"));
    }
    let variants = names::query_variants(&request.q);
    let query = EngineQuery {
        variants: variants.clone(),
        filters: filters(request)?,
        limit,
        offset: request.offset.unwrap_or(0),
        relax: true,
        facets: request.facets.unwrap_or(true),
    };
    let result = index.search(&query).await.map_err(|e| AppError::SearchUnavailable(e.0))?;
    let hits = result
        .hits
        .iter()
        .map(|doc| Hit {
            record_type: doc.record_type.clone(),
            id: doc.record_id,
            external_id: doc.external_id.clone(),
            display_name: doc.display_name.clone(),
            country: doc.country.clone(),
            city: doc.city.clone(),
            kind: doc.kind.clone(),
            status: doc.status.clone(),
            matched: matched(doc, &variants),
        })
        .collect();
    Ok(SearchResponse {
        hits,
        total: result.total,
        facets: result.facets,
        took_ms: started.elapsed().as_millis() as u64,
    })
}
