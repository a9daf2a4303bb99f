//! The search page: one box, results as one types, facets to narrow them.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::context::{Chrome, SignedIn};
use super::forms::url_encode;
use super::render;
use crate::api::search::{SearchFilters, SearchRequest, SearchResponse, run};
use crate::app::AppState;
use crate::auth::Permission;
use crate::error::{AppError, AppResult};
use crate::places::Places;

const PAGE_SIZE: usize = 20;
/// Hometown levels too broad to narrow by: every record is in Guangdong and Jiangmen.
const BROAD_LEVELS: &[&str] = &["province", "prefecture-level city", "cultural region"];

/// The filters, as the page's address carries them: one value each.
const FILTERS: &[(&str, &str)] = &[
    // (parameter, facet)
    ("type", "type"),
    ("country", "country"),
    ("kind", "kind"),
    ("status", "status"),
    ("hometown", "hometown"),
    ("talent_field", "talent_fields"),
];

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(rename = "type")]
    record_type: Option<String>,
    country: Option<String>,
    kind: Option<String>,
    status: Option<String>,
    hometown: Option<String>,
    talent_field: Option<String>,
    offset: Option<usize>,
    /// Only the results, for the page's script to put in place while one types.
    partial: Option<String>,
}

impl SearchQuery {
    fn filter(&self, param: &str) -> Option<&str> {
        match param {
            "type" => self.record_type.as_deref(),
            "country" => self.country.as_deref(),
            "kind" => self.kind.as_deref(),
            "status" => self.status.as_deref(),
            "hometown" => self.hometown.as_deref(),
            "talent_field" => self.talent_field.as_deref(),
            _ => None,
        }
        .filter(|v| !v.is_empty())
    }

    /// This search's address with one filter set to `value`, or cleared when None.
    fn href_with(&self, param: &str, value: Option<&str>) -> String {
        let mut parts = vec![format!("q={}", url_encode(&self.q))];
        for (p, _) in FILTERS {
            let v = if *p == param { value } else { self.filter(p) };
            if let Some(v) = v {
                parts.push(format!("{p}={}", url_encode(v)));
            }
        }
        format!("/search?{}", parts.join("&"))
    }

    fn request(&self) -> SearchRequest {
        let one = |param: &str| self.filter(param).map(|v| vec![v.to_string()]).unwrap_or_default();
        SearchRequest {
            q: self.q.clone(),
            record_type: self.filter("type").map(str::to_string),
            filters: SearchFilters {
                country: one("country"),
                kind: one("kind"),
                hometown: one("hometown"),
                status: one("status"),
                talent_field: one("talent_field"),
                organization: Vec::new(),
            },
            limit: Some(PAGE_SIZE),
            facets: Some(true),
            offset: self.offset,
        }
    }
}

pub struct FacetValue {
    pub label: String,
    pub count: u64,
    pub href: String,
    pub selected: bool,
}

pub struct FacetGroup {
    pub title: String,
    pub values: Vec<FacetValue>,
}

pub struct HitView {
    pub href: String,
    pub name: String,
    pub what: String,
    pub place: String,
    /// Which name or spelling matched, and how, in words.
    pub matched: Option<String>,
}

/// What the results part of the page shows.
pub struct Results {
    pub q: String,
    pub searched: bool,
    pub hits: Vec<HitView>,
    pub total: usize,
    pub facets: Vec<FacetGroup>,
    pub more: Option<String>,
    pub problem: Option<String>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchView {
    c: Chrome,
    r: Results,
    hidden: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "search_results.html")]
struct ResultsView {
    c: Chrome,
    r: Results,
}

pub async fn page(State(app): State<AppState>, who: SignedIn, Query(q): Query<SearchQuery>) -> AppResult<Response> {
    who.require(Permission::ReadDirectory)?;
    let searched = !q.q.trim().is_empty() || FILTERS.iter().any(|(p, _)| q.filter(p).is_some());
    let mut r = Results {
        q: q.q.clone(),
        searched,
        hits: Vec::new(),
        total: 0,
        facets: Vec::new(),
        more: None,
        problem: None,
    };
    if searched {
        match run(&app.search, &q.request()).await {
            Ok(found) => fill(&mut r, &q, found, &who.c),
            // A filter that is not right, or search being down, is said on the page.
            Err(e @ (AppError::Invalid(_) | AppError::SearchUnavailable(_))) => {
                r.problem = Some(who.c.lang.message(&e.page()));
            }
            Err(e) => return Err(e),
        }
    }
    if q.partial.is_some() {
        return Ok(render(&ResultsView { c: who.c, r }));
    }
    let hidden = FILTERS
        .iter()
        .filter_map(|(p, _)| q.filter(p).map(|v| (*p, v.to_string())))
        .collect();
    Ok(render(&SearchView { c: who.c, r, hidden }))
}

fn fill(r: &mut Results, q: &SearchQuery, found: SearchResponse, c: &Chrome) {
    let offset = q.offset.unwrap_or(0);
    r.total = found.total;
    if offset + PAGE_SIZE < found.total {
        r.more = Some(format!("{}&offset={}", q.href_with("", None), offset + PAGE_SIZE));
    }
    r.hits = found
        .hits
        .into_iter()
        .map(|h| HitView {
            href: match h.record_type.as_str() {
                "organization" => format!("/organizations/{}", h.id),
                _ => format!("/people/{}", h.id),
            },
            what: match (&h.kind, &h.status) {
                (Some(kind), _) => c.label("kind", kind),
                (None, Some(status)) => c.label("status", status),
                (None, None) => c.label("type", &h.record_type),
            },
            place: [Some(h.country.clone()), h.city.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
            matched: h.matched.map(|m| format!("{} {}", c.t(&format!("matched.{}", m.how)), m.name)),
            name: h.display_name,
        })
        .collect();
    let places = Places::get();
    for (param, facet) in FILTERS {
        let Some(counts) = found.facets.get(*facet) else { continue };
        let chosen = q.filter(param);
        let mut values: Vec<FacetValue> = counts
            .iter()
            .filter(|(value, _)| *param != "hometown" || places.by_id(value).is_some_and(|p| !BROAD_LEVELS.contains(&p.level.as_str())))
            .map(|(value, count)| {
                let selected = chosen == Some(value.as_str())
                    || (*param == "hometown" && chosen.and_then(|h| places.lookup(h)).as_deref() == Some(value.as_str()));
                FacetValue {
                    label: match *param {
                        "hometown" => places.by_id(value).map_or(value.clone(), |p| match c.lang {
                            super::Lang::Zh => p.name_simplified.clone(),
                            super::Lang::En => p.pinyin.clone().unwrap_or_else(|| p.name_simplified.clone()),
                        }),
                        "type" | "kind" | "status" => c.label(if *param == "type" { "type" } else { param }, value),
                        _ => value.clone(),
                    },
                    count: *count,
                    href: q.href_with(param, if selected { None } else { Some(value) }),
                    selected,
                }
            })
            .collect();
        values.sort_by(|a, b| b.selected.cmp(&a.selected).then(b.count.cmp(&a.count)).then(a.label.cmp(&b.label)));
        values.truncate(12);
        if !values.is_empty() {
            r.facets.push(FacetGroup {
                title: c.t(&format!("facet.{param}")).to_string(),
                values,
            });
        }
    }
}
