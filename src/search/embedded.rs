//! The embedded search index (tantivy), used when no Meilisearch server is configured: the
//! quickstart and the tests run on it. It lives under `QIAOLINK_DATA_DIR/search`, one
//! directory per build; the file `CURRENT` names the live one, so a rebuild is swapped in
//! whole. One process owns it: deployments with several app instances use Meilisearch.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::indexer::NoMergePolicy;
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::settings::Settings;
use super::{EngineQuery, EngineResult, FACETS, SearchDocument, SearchError};

const SEARCHABLE: [&str; 3] = ["written", "derived", "place_keys"];
/// The first letters of each word of the searchable fields, as terms of their own: the last
/// word as one types is then one posting list, not a union over every term it begins.
const PREFIXES: [&str; 3] = ["written_prefixes", "derived_prefixes", "place_keys_prefixes"];
/// The longest prefix kept; a longer word as typed is looked up by a prefix query instead.
const MAX_PREFIX: usize = 16;
const WRITER_HEAP: usize = 64 * 1024 * 1024;

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    doc: Field,
    filter: Field,
    facets: Field,
    searchable: [Field; 3],
    prefixes: [Field; 3],
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let keys = TextFieldIndexing::default()
        .set_tokenizer("keys")
        .set_index_option(IndexRecordOption::WithFreqs);
    let id = b.add_text_field("id", STRING | STORED);
    let doc = b.add_text_field("doc", STORED);
    let filter = b.add_text_field("filter", STRING);
    let facets = b.add_facet_field("facets", FacetOptions::default());
    // A hometown match counts the same however many hometowns an organization serves.
    let searchable = SEARCHABLE.map(|name| {
        let indexing = if name == "place_keys" {
            keys.clone().set_fieldnorms(false)
        } else {
            keys.clone()
        };
        b.add_text_field(name, TextOptions::default().set_indexing_options(indexing))
    });
    let prefix_indexing = TextFieldIndexing::default()
        .set_tokenizer("keys")
        .set_index_option(IndexRecordOption::Basic)
        .set_fieldnorms(false);
    let prefixes = PREFIXES.map(|name| b.add_text_field(name, TextOptions::default().set_indexing_options(prefix_indexing.clone())));
    (
        b.build(),
        Fields {
            id,
            doc,
            filter,
            facets,
            searchable,
            prefixes,
        },
    )
}

/// An open index: its reader for searches and its writer for updates.
struct Live {
    index: Index,
    reader: IndexReader,
    /// Opened on first write: a process that only reads or rebuilds (`qiaolink reindex`
    /// beside a running server) never takes the live index's writer lock.
    writer: Mutex<Option<IndexWriter>>,
    fields: Fields,
}

impl Live {
    fn open(dir: &Path) -> anyhow::Result<Live> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let index = match Index::open_in_dir(dir) {
            Ok(index) if index.schema() == schema => index,
            Ok(_) => return Err(anyhow::Error::new(OlderIndex)),
            Err(_) => Index::create_in_dir(dir, schema)?,
        };
        index
            .tokenizers()
            .register("keys", TextAnalyzer::builder(WhitespaceTokenizer::default()).build());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Live {
            index,
            reader,
            writer: Mutex::new(None),
            fields,
        })
    }

    fn with_writer<R>(&self, f: impl FnOnce(&mut IndexWriter) -> anyhow::Result<R>) -> anyhow::Result<R> {
        let mut slot = self.writer.lock().map_err(|_| anyhow::anyhow!("the index writer was poisoned"))?;
        if slot.is_none() {
            *slot = Some(self.index.writer(WRITER_HEAP)?);
        }
        f(slot.as_mut().expect("opened above"))
    }

    fn to_tantivy(&self, doc: &SearchDocument) -> anyhow::Result<TantivyDocument> {
        let f = self.fields;
        let mut t = TantivyDocument::default();
        t.add_text(f.id, &doc.id);
        t.add_text(f.doc, serde_json::to_string(doc)?);
        for (name, value) in filter_values(doc) {
            t.add_text(f.filter, format!("{name}:{value}"));
            if FACETS.contains(&name) {
                t.add_facet(f.facets, Facet::from_path([name, value.as_str()]));
            }
        }
        for ((field, prefixes), tokens) in f
            .searchable
            .iter()
            .zip(f.prefixes)
            .zip([&doc.written, &doc.derived, &doc.place_keys])
        {
            t.add_text(*field, tokens.join(" "));
            t.add_text(prefixes, word_prefixes(tokens).join(" "));
        }
        Ok(t)
    }

    fn write(&self, upserts: &[SearchDocument], deletes: &[String]) -> anyhow::Result<()> {
        self.with_writer(|writer| {
            for id in deletes.iter().chain(upserts.iter().map(|d| &d.id)) {
                writer.delete_term(Term::from_field_text(self.fields.id, id));
            }
            for doc in upserts {
                writer.add_document(self.to_tantivy(doc)?)?;
            }
            writer.commit()?;
            Ok(())
        })?;
        self.reader.reload()?;
        Ok(())
    }
}

/// Every ASCII beginning of two letters or more (up to `MAX_PREFIX`) of each word, once; words
/// split as the `keys` tokenizer splits them. The prefix clause only looks up ASCII tokens.
fn word_prefixes(values: &[String]) -> Vec<&str> {
    let mut out = BTreeSet::new();
    for word in values.iter().flat_map(|v| v.split(|c: char| c.is_ascii_whitespace())) {
        let ascii = word.bytes().take_while(u8::is_ascii).count();
        for len in 2..=ascii.min(MAX_PREFIX) {
            out.insert(&word[..len]);
        }
    }
    out.into_iter().collect()
}

/// A new index directory's name: the time it was made.
fn fresh_name() -> String {
    format!("index-{}", chrono::Utc::now().format("%Y%m%d%H%M%S%3f"))
}

/// The index directory was written with another schema, by an earlier version.
#[derive(Debug, thiserror::Error)]
#[error("the search index was built by an earlier version")]
struct OlderIndex;

/// The values a document can be filtered and faceted by.
fn filter_values(doc: &SearchDocument) -> Vec<(&'static str, String)> {
    let mut out = vec![("type", doc.record_type.clone()), ("country", doc.country.clone())];
    out.extend(doc.kind.iter().map(|k| ("kind", k.clone())));
    out.extend(doc.status.iter().map(|s| ("status", s.clone())));
    out.extend(doc.hometown.iter().map(|h| ("hometown", h.clone())));
    out.extend(doc.talent_fields.iter().map(|t| ("talent_fields", t.clone())));
    out.extend(doc.organizations.iter().map(|o| ("organizations", o.clone())));
    out.push(("high_level_talent", doc.high_level_talent.to_string()));
    out
}

pub struct EmbeddedIndex {
    /// While set, every call fails as an unreachable server would: for fault tests and drills.
    outage: std::sync::atomic::AtomicBool,
    root: PathBuf,
    current_name: RwLock<String>,
    live: RwLock<Arc<Live>>,
}

/// A fresh index directory being filled.
pub struct Rebuild {
    name: String,
    live: Live,
}

impl EmbeddedIndex {
    pub fn open(root: &Path) -> anyhow::Result<EmbeddedIndex> {
        std::fs::create_dir_all(root)?;
        let current = std::fs::read_to_string(root.join("CURRENT"))
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let name = match current {
            Some(name) => name,
            None => {
                let name = "index-0".to_string();
                std::fs::write(root.join("CURRENT"), &name)?;
                name
            }
        };
        let (name, live) = match Live::open(&root.join(&name)) {
            Ok(live) => (name, live),
            // Set aside for an empty one, which the service rebuilds from the database as it
            // starts (as it does a lost index).
            Err(e) if e.is::<OlderIndex>() => {
                tracing::warn!("the search index was built by an earlier version: it is rebuilt from the database");
                let fresh = fresh_name();
                let live = Live::open(&root.join(&fresh))?;
                std::fs::write(root.join("CURRENT"), &fresh)?;
                let _ = std::fs::remove_dir_all(root.join(&name));
                (fresh, live)
            }
            Err(e) => anyhow::bail!("cannot open the search index in {}: {e}", root.display()),
        };
        Ok(EmbeddedIndex {
            outage: Default::default(),
            root: root.to_path_buf(),
            current_name: RwLock::new(name),
            live: RwLock::new(Arc::new(live)),
        })
    }

    /// Follows a rebuild swapped in by another process (`qiaolink reindex`).
    pub fn follow_current(&self) -> anyhow::Result<()> {
        let Ok(name) = std::fs::read_to_string(self.root.join("CURRENT")) else {
            return Ok(());
        };
        let name = name.trim();
        if *self.current_name.read().expect("the index lock is never poisoned") == name {
            return Ok(());
        }
        let live = Live::open(&self.root.join(name))?;
        *self.live.write().expect("the index lock is never poisoned") = Arc::new(live);
        *self.current_name.write().expect("the index lock is never poisoned") = name.to_string();
        Ok(())
    }

    /// Makes the index behave as if it were down (true) or back (false).
    pub fn simulate_outage(&self, down: bool) {
        self.outage.store(down, std::sync::atomic::Ordering::SeqCst);
    }

    fn available(&self) -> Result<(), SearchError> {
        if self.outage.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(SearchError("the search index is unavailable (simulated outage)".into()));
        }
        Ok(())
    }

    fn live(&self) -> Arc<Live> {
        self.live.read().expect("the index lock is never poisoned").clone()
    }

    pub async fn upsert(&self, docs: Vec<SearchDocument>) -> Result<(), SearchError> {
        self.available()?;
        let live = self.live();
        Ok(tokio::task::spawn_blocking(move || live.write(&docs, &[]))
            .await
            .map_err(|e| SearchError(e.to_string()))??)
    }

    pub async fn delete(&self, ids: Vec<String>) -> Result<(), SearchError> {
        self.available()?;
        let live = self.live();
        Ok(tokio::task::spawn_blocking(move || live.write(&[], &ids))
            .await
            .map_err(|e| SearchError(e.to_string()))??)
    }

    pub async fn count(&self) -> Result<u64, SearchError> {
        Ok(self.live().reader.searcher().num_docs())
    }

    pub async fn search(&self, query: &EngineQuery) -> Result<EngineResult, SearchError> {
        self.available()?;
        let live = self.live();
        let query = query.clone();
        Ok(tokio::task::spawn_blocking(move || search(&live, &query))
            .await
            .map_err(|e| SearchError(e.to_string()))??)
    }

    pub async fn begin_rebuild(&self) -> Result<Rebuild, SearchError> {
        let name = fresh_name();
        let live = Live::open(&self.root.join(&name))?;
        // No merges while it fills: the one merge at the end would race them for the same
        // segments and fail.
        live.with_writer(|w| {
            w.set_merge_policy(Box::new(NoMergePolicy));
            Ok(())
        })?;
        Ok(Rebuild { name, live })
    }

    /// Makes the rebuilt index the live one, and removes the old directories.
    pub async fn finish_rebuild(&self, rebuild: Rebuild) -> Result<(), SearchError> {
        let live = &rebuild.live;
        // One segment answers faster than the several that bulk indexing leaves behind.
        live.with_writer(|w| {
            w.commit()?;
            let segments = live.index.searchable_segment_ids()?;
            if segments.len() > 1 {
                w.merge(&segments).wait()?;
            }
            Ok(())
        })?;
        // Let go of the writer: the process that serves the index opens its own.
        let writer = live
            .writer
            .lock()
            .map_err(|_| SearchError("the index writer was poisoned".into()))?
            .take();
        if let Some(writer) = writer {
            writer.wait_merging_threads().map_err(anyhow::Error::from)?;
        }
        rebuild.live.reader.reload().map_err(anyhow::Error::from)?;
        let tmp = self.root.join("CURRENT.new");
        std::fs::write(&tmp, &rebuild.name).map_err(anyhow::Error::from)?;
        std::fs::rename(&tmp, self.root.join("CURRENT")).map_err(anyhow::Error::from)?;
        let name = rebuild.name.clone();
        *self.live.write().expect("the index lock is never poisoned") = Arc::new(rebuild.live);
        *self.current_name.write().expect("the index lock is never poisoned") = name.clone();
        for entry in std::fs::read_dir(&self.root).map_err(anyhow::Error::from)?.flatten() {
            let file = entry.file_name().to_string_lossy().to_string();
            if file.starts_with("index-") && file != name {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        Ok(())
    }
}

impl Rebuild {
    pub async fn add(&mut self, docs: Vec<SearchDocument>) -> Result<(), SearchError> {
        let live = &self.live;
        live.with_writer(|writer| {
            for doc in &docs {
                writer.add_document(live.to_tantivy(doc)?)?;
            }
            Ok(())
        })?;
        Ok(())
    }
}

/// How a token may match besides exactly.
#[derive(Clone, Copy)]
struct Looseness {
    /// Typed by a person, so it may carry typos (readings computed from characters do not).
    typed: bool,
    /// The last word, still being typed: its first letters match.
    last: bool,
}

/// The clauses for one token: an exact match in each searchable field, weighted by field;
/// a near match where the settings allow typos; a prefix for the last token as one types.
fn token_query(fields: &Fields, settings: &Settings, token: &str, how: Looseness) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for ((field, prefixes), name) in fields.searchable.iter().zip(fields.prefixes).zip(SEARCHABLE) {
        let weight = settings.weight(name);
        let term = Term::from_field_text(*field, token);
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(
                Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                weight,
            )),
        ));
        let typos = if how.typed { settings.typos_allowed(name, token) } else { 0 };
        if typos > 0 {
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(FuzzyTermQuery::new(term.clone(), typos, true)),
                    weight * 0.5,
                )),
            ));
        }
        // One letter would expand to a good part of the dictionary.
        if how.typed && how.last && token.is_ascii() && token.len() >= 2 {
            // Scored alike either way: a constant, as a prefix query scores.
            let prefix: Box<dyn Query> = if token.len() <= MAX_PREFIX {
                let term = Term::from_field_text(prefixes, token);
                Box::new(ConstScoreQuery::new(Box::new(TermQuery::new(term, IndexRecordOption::Basic)), 1.0))
            } else {
                Box::new(FuzzyTermQuery::new_prefix(term, 0, true))
            };
            clauses.push((Occur::Should, Box::new(BoostQuery::new(prefix, weight * 0.6))));
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Every token of a variant must match; with `relax`, all but one.
fn variant_query(fields: &Fields, settings: &Settings, tokens: &[String], typed: bool, relax: bool) -> Box<dyn Query> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            (
                if relax { Occur::Should } else { Occur::Must },
                token_query(
                    fields,
                    settings,
                    t,
                    Looseness {
                        typed,
                        last: i + 1 == tokens.len(),
                    },
                ),
            )
        })
        .collect();
    if relax && tokens.len() > 1 {
        Box::new(BooleanQuery::with_minimum_required_clauses(clauses, tokens.len() - 1))
    } else {
        Box::new(BooleanQuery::new(clauses))
    }
}

fn build_query(fields: &Fields, query: &EngineQuery, relax: bool) -> Box<dyn Query> {
    let settings = Settings::get();
    let text: Box<dyn Query> = if query.variants.iter().all(|v| v.is_empty()) {
        Box::new(AllQuery)
    } else {
        // The query as typed counts more than its readings.
        let variants: Vec<(Occur, Box<dyn Query>)> = query
            .variants
            .iter()
            .filter(|v| !v.is_empty())
            .enumerate()
            .map(|(i, v)| {
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        variant_query(fields, settings, v, i == 0, relax),
                        1.0 / (1.0 + i as f32),
                    )) as Box<dyn Query>,
                )
            })
            .collect();
        Box::new(BooleanQuery::new(variants))
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
    for (name, values) in &query.filters {
        let any: Vec<(Occur, Box<dyn Query>)> = values
            .iter()
            .map(|v| {
                let term = Term::from_field_text(fields.filter, &format!("{name}:{v}"));
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                )
            })
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn search(live: &Live, query: &EngineQuery) -> anyhow::Result<EngineResult> {
    let searcher = live.reader.searcher();
    let fields = live.fields;
    let mut facet_collector = FacetCollector::for_field("facets");
    for f in FACETS {
        facet_collector.add_facet(Facet::from_path([*f]));
    }
    let limit = query.limit.max(1);
    let q = build_query(&fields, query, query.relax);
    let top = TopDocs::with_limit(limit).and_offset(query.offset).order_by_score();
    // Counting facets reads every match: skipped when the caller does not want them.
    let (top, total, counts) = if query.facets {
        let (top, total, counts) = searcher.search(&*q, &(top, Count, facet_collector))?;
        (top, total, Some(counts))
    } else {
        let (top, total) = searcher.search(&*q, &(top, Count))?;
        (top, total, None)
    };
    let mut hits = Vec::with_capacity(top.len());
    for (_, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        if let Some(json) = doc.get_first(fields.doc).and_then(|v| v.as_str()) {
            hits.push(serde_json::from_str(json)?);
        }
    }
    let mut facets = BTreeMap::new();
    for counts in counts.iter() {
        for f in FACETS {
            let values: BTreeMap<String, u64> = counts
                .get(&format!("/{f}"))
                .filter_map(|(facet, n)| facet.to_path().last().map(|v| (v.to_string(), n)))
                .collect();
            facets.insert(f.to_string(), values);
        }
    }
    Ok(EngineResult {
        hits,
        total: total.min(Settings::get().pagination.max_total_hits),
        facets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_the_ascii_beginnings_of_each_word_as_the_tokenizer_splits_them() {
        let values = vec![
            "wong chi-ming".to_string(),
            "wong ab中cd x".to_string(),
            "台山\u{3000}hoisan".to_string(),
        ];
        let got = word_prefixes(&values);
        for p in ["wo", "won", "wong", "ch", "chi", "chi-", "chi-m", "chi-ming", "ab"] {
            assert!(got.contains(&p), "{p} in {got:?}");
        }
        assert_eq!(got.iter().filter(|p| **p == "wong").count(), 1, "once each");
        assert!(!got.iter().any(|p| p.len() < 2 || !p.is_ascii()), "{got:?}");
        // The ideographic space is no ASCII whitespace: the tokenizer keeps "台山\u{3000}hoisan"
        // one word, which starts with no ASCII letter.
        assert!(!got.iter().any(|p| p.starts_with('h')), "{got:?}");
        let long = vec!["a".repeat(40)];
        assert_eq!(word_prefixes(&long).len(), MAX_PREFIX - 1, "2 to MAX_PREFIX letters");
    }

    #[test]
    fn an_index_built_with_another_schema_is_set_aside_for_an_empty_one() {
        let root = tempfile::tempdir().unwrap();
        let old = root.path().join("index-old");
        std::fs::create_dir_all(&old).unwrap();
        let mut b = Schema::builder();
        let id = b.add_text_field("id", STRING | STORED);
        let index = Index::create_in_dir(&old, b.build()).unwrap();
        let mut writer: IndexWriter = index.writer(15_000_000).unwrap();
        let mut doc = TantivyDocument::default();
        doc.add_text(id, "person:1");
        writer.add_document(doc).unwrap();
        writer.commit().unwrap();
        drop(writer);
        std::fs::write(root.path().join("CURRENT"), "index-old").unwrap();

        let opened = EmbeddedIndex::open(root.path()).unwrap();
        assert_eq!(opened.live().reader.searcher().num_docs(), 0);
        let current = std::fs::read_to_string(root.path().join("CURRENT")).unwrap();
        assert_ne!(current.trim(), "index-old");
        assert!(!old.exists(), "the old directory is removed");
        // Opened again, the new one is kept.
        drop(opened);
        EmbeddedIndex::open(root.path()).unwrap();
        assert_eq!(std::fs::read_to_string(root.path().join("CURRENT")).unwrap(), current);
    }
}
