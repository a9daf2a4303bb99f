//! Imports in the interchange format: one transaction per import, so a file is stored
//! as one unit (every valid record, or with `strict` nothing when any record is
//! invalid) and a killed import leaves nothing half-stored. Types are read in the order
//! that lets references resolve: organizations, people, memberships, interactions.

mod read;

pub use read::{Position, Source, check_bytes, sources};

use std::collections::BTreeMap;

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::audit;
use crate::auth::Actor;
use crate::error::FieldError;
use crate::models::ImportRun;
use crate::records::{MembershipRow, OrganizationInput, Parsed, RecordType};
use crate::store::{self, Kind, Mode, Outcome};

const BATCH: usize = 2000;
/// Warnings beyond this many are counted, not listed.
const MAX_WARNINGS: usize = 1000;

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Store nothing when any record is invalid.
    pub strict: bool,
    /// Check everything, store nothing.
    pub dry_run: bool,
}

/// Counts of what happened to the records of one type.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
}

/// One problem with one record: where, which field, what.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[schema(value_type = Object)]
    pub at: Position,
    /// `file, line N` or `file, sheet S, row N`, ready to show.
    pub location: String,
    pub field: Option<String>,
    pub message: String,
}

#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Report {
    /// Whether the valid records were stored (false for a dry run, or a strict import
    /// that found an invalid record).
    pub stored: bool,
    pub dry_run: bool,
    pub strict: bool,
    pub counts: BTreeMap<String, Counts>,
    /// Every rejected record, with the reason.
    pub errors: Vec<Problem>,
    /// Things stored differently from how they were written, or left out (unknown fields,
    /// places we do not know).
    pub warnings: Vec<Problem>,
    pub warnings_not_listed: u64,
}

impl Report {
    pub fn rejected(&self) -> u64 {
        self.counts.values().map(|c| c.rejected).sum()
    }

    /// Adds what another part of the same import found.
    fn merge(&mut self, other: Report) {
        for (ty, c) in other.counts {
            let mine = self.counts.entry(ty).or_default();
            mine.created += c.created;
            mine.updated += c.updated;
            mine.unchanged += c.unchanged;
            mine.rejected += c.rejected;
        }
        self.errors.extend(other.errors);
        let room = MAX_WARNINGS.saturating_sub(self.warnings.len());
        self.warnings_not_listed += other.warnings_not_listed + other.warnings.len().saturating_sub(room) as u64;
        self.warnings.extend(other.warnings.into_iter().take(room));
    }

    /// Problems in the order of the file, whichever pass found them.
    fn sort(&mut self) {
        let key = |p: &Problem| (p.at.file.clone(), p.at.sheet.clone(), p.at.line.or(p.at.row));
        self.errors.sort_by_key(key);
        self.warnings.sort_by_key(key);
    }

    fn count(&mut self, ty: RecordType) -> &mut Counts {
        self.counts.entry(ty.as_str().to_string()).or_default()
    }

    fn problem(at: &Position, field: Option<String>, message: String) -> Problem {
        Problem {
            location: at.to_string(),
            at: at.clone(),
            field,
            message,
        }
    }

    fn reject(&mut self, ty: RecordType, at: &Position, errors: Vec<FieldError>) {
        self.count(ty).rejected += 1;
        for e in errors {
            self.errors.push(Report::problem(at, Some(e.field), e.message));
        }
    }

    fn unreadable(&mut self, at: &Position, message: String) {
        self.counts.entry("unreadable".into()).or_default().rejected += 1;
        self.errors.push(Report::problem(at, None, message));
    }

    fn warn(&mut self, at: &Position, warnings: Vec<FieldError>) {
        for w in warnings {
            if self.warnings.len() < MAX_WARNINGS {
                self.warnings.push(Report::problem(at, Some(w.field), w.message));
            } else {
                self.warnings_not_listed += 1;
            }
        }
    }

    fn outcome(&mut self, ty: RecordType, at: &Position, outcome: Outcome) {
        let counts = self.count(ty);
        match outcome {
            Outcome::Created { .. } => counts.created += 1,
            Outcome::Updated { .. } => counts.updated += 1,
            Outcome::Unchanged { .. } => counts.unchanged += 1,
            Outcome::Rejected { errors } => self.reject(ty, at, errors),
        }
    }
}

/// Told how far the import has come.
pub trait Progress: Send + Sync {
    /// A new pass over a source begins.
    fn begin(&self, label: &str, total_bytes: u64);
    /// Bytes read so far in this pass.
    fn at(&self, bytes: u64);
}

pub struct NoProgress;
impl Progress for NoProgress {
    fn begin(&self, _: &str, _: u64) {}
    fn at(&self, _: u64) {}
}

/// Rolls the transaction back while keeping the report.
#[derive(Debug)]
enum Abort {
    Keep(Box<Report>),
    Db(diesel::result::Error),
    Source(String),
}

impl From<diesel::result::Error> for Abort {
    fn from(e: diesel::result::Error) -> Abort {
        Abort::Db(e)
    }
}

/// Runs an import. Errors are for the import as a whole (a file that cannot be opened,
/// the database gone); problems with records are in the report.
/// Records written by an import from which the tables' statistics are refreshed.
const ANALYZE_AFTER: u64 = 10_000;

pub async fn run(
    conn: &mut AsyncPgConnection,
    sources: &[Source],
    actor: &Actor,
    options: &Options,
    progress: &dyn Progress,
) -> anyhow::Result<Report> {
    let result = conn
        .transaction::<Report, Abort, _>(async move |conn| {
            let mut report = Report {
                dry_run: options.dry_run,
                strict: options.strict,
                ..Report::default()
            };
            import_all(conn, sources, &mut report, progress).await?;
            report.sort();
            let keep = !options.dry_run && !(options.strict && !report.errors.is_empty());
            report.stored = keep;
            if !keep {
                return Err(Abort::Keep(Box::new(report)));
            }
            record_run(conn, sources, actor, options, &report).await?;
            Ok(report)
        })
        .await;
    let outcome = match result {
        Ok(report) => {
            // After a large import the planner's statistics are stale until autovacuum
            // comes round; reports and lists planned on them can be a hundred times slower.
            let written: u64 = report.counts.values().map(|c| c.created + c.updated).sum();
            if written >= ANALYZE_AFTER {
                diesel::sql_query(
                    "ANALYZE organizations, people, memberships, interactions, interaction_people, interaction_organizations",
                )
                .execute(conn)
                .await?;
            }
            Ok(report)
        }
        Err(Abort::Keep(report)) => Ok(*report),
        Err(Abort::Db(e)) => Err(anyhow::anyhow!("the import was rolled back, nothing was stored: {e}")),
        Err(Abort::Source(message)) => Err(anyhow::anyhow!("{message}; nothing was stored")),
    };
    match &outcome {
        Ok(report) => crate::metrics::import_done(report),
        Err(_) => crate::metrics::import_failed(),
    }
    outcome
}

async fn record_run(
    conn: &mut AsyncPgConnection,
    sources: &[Source],
    actor: &Actor,
    options: &Options,
    report: &Report,
) -> Result<(), Abort> {
    let names: Vec<String> = sources.iter().map(Source::name).collect();
    let summary = serde_json::json!({ "counts": report.counts, "errors": report.errors.len() });
    let run = ImportRun {
        id: uuid::Uuid::new_v4(),
        started_at: chrono::Utc::now(),
        finished_at: Some(chrono::Utc::now()),
        actor_label: actor.label.clone(),
        source: names.join(", "),
        strict: options.strict,
        dry_run: options.dry_run,
        summary: summary.clone(),
    };
    diesel::insert_into(crate::schema::import_runs::table)
        .values(&run)
        .execute(conn)
        .await?;
    audit::record(conn, actor, "import", "import_run", Some(run.id), summary).await?;
    Ok(())
}

async fn import_all(conn: &mut AsyncPgConnection, sources: &[Source], report: &mut Report, progress: &dyn Progress) -> Result<(), Abort> {
    // Organizations are kept together so that a parent may come after its children.
    let mut organizations: Vec<(Position, OrganizationInput)> = Vec::new();
    for source in sources {
        for item in pass(source, RecordType::Organization, true, progress)? {
            let Some((at, map)) = readable(report, item) else { continue };
            let parsed = OrganizationInput::parse(&map);
            if let Some(input) = accept(report, RecordType::Organization, &at, parsed) {
                organizations.push((at, input));
            }
        }
    }
    let (positions, inputs): (Vec<Position>, Vec<(Mode, OrganizationInput)>) =
        organizations.into_iter().map(|(at, input)| (at, (Mode::Upsert, input))).unzip();
    for (at, outcome) in positions.iter().zip(store::organizations::save(conn, inputs).await?) {
        report.outcome(RecordType::Organization, at, outcome);
    }

    for source in sources {
        stream::<store::People>(conn, source, report, progress).await?;
    }
    for source in sources.iter().filter(|s| s.has_membership_rows()) {
        let mut batch: Vec<(Position, MembershipRow)> = Vec::new();
        for item in pass(source, RecordType::Membership, false, progress)? {
            let Some((at, map)) = readable(report, item) else { continue };
            if let Some(Some(row)) = accept(report, RecordType::Membership, &at, MembershipRow::parse(&map)) {
                batch.push((at, row));
            }
            if batch.len() >= BATCH {
                save_memberships(conn, std::mem::take(&mut batch), report).await?;
            }
        }
        save_memberships(conn, batch, report).await?;
    }
    for source in sources {
        stream::<store::Interactions>(conn, source, report, progress).await?;
    }
    Ok(())
}

async fn save_memberships(conn: &mut AsyncPgConnection, batch: Vec<(Position, MembershipRow)>, report: &mut Report) -> Result<(), Abort> {
    let (positions, rows): (Vec<Position>, Vec<MembershipRow>) = batch.into_iter().unzip();
    for (at, outcome) in positions.iter().zip(store::memberships::add(conn, rows).await?) {
        report.outcome(RecordType::Membership, at, outcome);
    }
    Ok(())
}

/// A batch of checked records, with what checking them found.
struct Chunk<T> {
    items: Vec<(Position, T)>,
    report: Report,
    bytes: u64,
}

impl<T> Chunk<T> {
    fn new() -> Chunk<T> {
        Chunk {
            items: Vec::with_capacity(BATCH),
            report: Report::default(),
            bytes: 0,
        }
    }
}

/// Reads one kind of record from a source in batches and saves each batch. Reading and
/// checking run on a thread of their own, a batch ahead, so that the two cores share the
/// work with the database instead of taking turns.
async fn stream<K: Kind>(conn: &mut AsyncPgConnection, source: &Source, report: &mut Report, progress: &dyn Progress) -> Result<(), Abort>
where
    K::Input: 'static,
{
    progress.begin(&format!("{} · {}", source.name(), K::TYPE.plural()), source.size());
    let items = source.records(K::TYPE, false).map_err(Abort::Source)?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Chunk<K::Input>>(2);
    let reader = tokio::task::spawn_blocking(move || {
        let mut chunk = Chunk::new();
        for (bytes, item) in items {
            chunk.bytes = bytes;
            let Some((at, map)) = readable(&mut chunk.report, item) else {
                continue;
            };
            if let Some(input) = accept(&mut chunk.report, K::TYPE, &at, K::parse(&map)) {
                chunk.items.push((at, input));
            }
            // A closed channel means the import stopped on the database side.
            if chunk.items.len() >= BATCH && tx.blocking_send(std::mem::replace(&mut chunk, Chunk::new())).is_err() {
                return;
            }
        }
        let _ = tx.blocking_send(chunk);
    });
    while let Some(chunk) = rx.recv().await {
        report.merge(chunk.report);
        progress.at(chunk.bytes);
        let (positions, inputs): (Vec<Position>, Vec<(Mode, K::Input)>) =
            chunk.items.into_iter().map(|(at, input)| (at, (Mode::Upsert, input))).unzip();
        for (at, outcome) in positions.iter().zip(K::save(conn, inputs).await?) {
            report.outcome(K::TYPE, at, outcome);
        }
    }
    reader
        .await
        .map_err(|e| Abort::Source(format!("reading {} failed: {e}", source.name())))?;
    Ok(())
}

/// The records of one type in a source, telling `progress` how far the reading is.
fn pass<'p>(
    source: &Source,
    ty: RecordType,
    structural: bool,
    progress: &'p dyn Progress,
) -> Result<impl Iterator<Item = read::Item> + 'p, Abort> {
    progress.begin(&format!("{} · {}", source.name(), ty.plural()), source.size());
    let items = source.records(ty, structural).map_err(Abort::Source)?;
    Ok(items.map(move |(bytes, item)| {
        progress.at(bytes);
        item
    }))
}

/// A readable record; a line that is no record at all goes to the report.
fn readable(report: &mut Report, item: read::Item) -> Option<(Position, Map<String, Value>)> {
    match item {
        Ok(record) => Some(record),
        Err((at, message)) => {
            report.unreadable(&at, message);
            None
        }
    }
}

/// The record's input when it is valid; otherwise the record goes to the report.
fn accept<T>(report: &mut Report, ty: RecordType, at: &Position, parsed: Parsed<T>) -> Option<T> {
    report.warn(at, parsed.warnings);
    if parsed.errors.is_empty() {
        Some(parsed.input)
    } else {
        report.reject(ty, at, parsed.errors);
        None
    }
}
