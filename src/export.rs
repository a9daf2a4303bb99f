//! Exports in the interchange format: JSON Lines, CSV (a folder or .zip of one file per
//! type) and Excel (one sheet per type). Rows are read from the database a page at a
//! time, so memory stays flat. Cells that a spreadsheet would run as a formula (starting
//! with =, +, - or @) are written with a leading apostrophe; import takes it off again.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::models::{Interaction, Organization, Person};
use crate::records::{InteractionRecord, MembershipOut, OrganizationRecord, PersonRecord, RecordType};
use crate::schema::{interaction_organizations, interaction_people, interactions, memberships, organizations, people};

const PAGE: i64 = 5000;

/// Which records to export.
#[derive(Clone, Debug)]
pub struct Filter {
    pub types: Vec<RecordType>,
    pub country: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        match text.trim().trim_start_matches('.').to_lowercase().as_str() {
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "csv" | "zip" => Some(Format::Csv),
            "xlsx" | "excel" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// The columns of each type in CSV and Excel: the format's fields, with consent as its
/// three columns and memberships as rows of their own.
pub fn columns(ty: RecordType) -> &'static [&'static str] {
    static COLUMNS: std::sync::LazyLock<Vec<Vec<&'static str>>> = std::sync::LazyLock::new(|| {
        RecordType::ALL
            .iter()
            .map(|t| {
                t.fields()
                    .iter()
                    .copied()
                    .filter(|f| !matches!(*f, "type" | "consent" | "memberships"))
                    .collect()
            })
            .collect()
    });
    let i = RecordType::ALL.iter().position(|t| *t == ty).expect("every type is in ALL");
    &COLUMNS[i]
}

/// Where records go.
pub trait Sink: Send {
    fn record(&mut self, ty: RecordType, record: &Value) -> anyhow::Result<()>;
    fn finish(self: Box<Self>) -> anyhow::Result<()>;
}

/// Opens the sink for a destination: `.jsonl`, `.xlsx`, `.zip` (CSV files), a `.csv` file
/// (one type only) or a folder (CSV files).
pub fn sink_for(path: &Path, filter: &Filter) -> anyhow::Result<Box<dyn Sink>> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    Ok(match ext.as_str() {
        "jsonl" | "ndjson" => Box::new(JsonlSink(BufWriter::new(File::create(path)?))),
        "xlsx" => Box::new(XlsxSink::new(path.to_path_buf())?),
        "zip" => Box::new(CsvSink::new(CsvTarget::Zip(path.to_path_buf()))?),
        "csv" => {
            let [ty] = filter.types.as_slice() else {
                anyhow::bail!("a .csv file holds one type of record: give --type, or export to a .zip or a folder");
            };
            Box::new(CsvSink::new(CsvTarget::File(path.to_path_buf(), *ty))?)
        }
        "" => {
            std::fs::create_dir_all(path)?;
            Box::new(CsvSink::new(CsvTarget::Folder(path.to_path_buf()))?)
        }
        other => anyhow::bail!("cannot export to .{other}: use .jsonl, .csv, .zip, .xlsx or a folder"),
    })
}

/// Writes every record the filter selects; returns the count per type.
pub async fn write(conn: &mut AsyncPgConnection, filter: &Filter, sink: &mut dyn Sink) -> anyhow::Result<BTreeMap<String, u64>> {
    let mut counts = BTreeMap::new();
    let wants = |t| filter.types.contains(&t);
    if wants(RecordType::Organization) {
        counts.insert("organization".into(), organizations_out(conn, filter, sink).await?);
    }
    if wants(RecordType::Person) || wants(RecordType::Membership) {
        let (p, m) = people_out(conn, filter, sink).await?;
        if wants(RecordType::Person) {
            counts.insert("person".into(), p);
        }
        if wants(RecordType::Membership) {
            counts.insert("membership".into(), m);
        }
    }
    if wants(RecordType::Interaction) {
        counts.insert("interaction".into(), interactions_out(conn, filter, sink).await?);
    }
    Ok(counts)
}

/// A record's key in the file: its external_id, or its id when it has none, so that
/// references survive a re-import.
fn key(external_id: &Option<String>, id: Uuid) -> String {
    external_id.clone().unwrap_or_else(|| id.to_string())
}

async fn organizations_out(conn: &mut AsyncPgConnection, filter: &Filter, sink: &mut dyn Sink) -> anyhow::Result<u64> {
    let mut after = Uuid::nil();
    let mut count = 0;
    loop {
        let mut query = organizations::table
            .filter(organizations::id.gt(after))
            .order(organizations::id)
            .limit(PAGE)
            .into_boxed();
        if let Some(c) = &filter.country {
            query = query.filter(organizations::country.eq(c));
        }
        let page: Vec<Organization> = query.select(Organization::as_select()).load(conn).await?;
        let Some(last) = page.last() else { return Ok(count) };
        after = last.id;
        let parent_ids: Vec<Uuid> = page.iter().filter_map(|o| o.parent_id).collect();
        let parents: HashMap<Uuid, String> = organizations::table
            .filter(organizations::id.eq_any(&parent_ids))
            .select((organizations::id, organizations::external_id))
            .load::<(Uuid, Option<String>)>(conn)
            .await?
            .into_iter()
            .map(|(id, ext)| (id, key(&ext, id)))
            .collect();
        for mut org in page {
            let parent = org.parent_id.and_then(|p| parents.get(&p).cloned());
            org.external_id = Some(key(&org.external_id, org.id));
            sink.record(
                RecordType::Organization,
                &serde_json::to_value(OrganizationRecord::from_row(org, parent))?,
            )?;
            count += 1;
        }
    }
}

async fn people_out(conn: &mut AsyncPgConnection, filter: &Filter, sink: &mut dyn Sink) -> anyhow::Result<(u64, u64)> {
    let mut after = Uuid::nil();
    let (mut people_count, mut membership_count) = (0, 0);
    let write_people = filter.types.contains(&RecordType::Person);
    let write_memberships = filter.types.contains(&RecordType::Membership);
    loop {
        let mut query = people::table
            .filter(people::id.gt(after))
            .order(people::id)
            .limit(PAGE)
            .into_boxed();
        if let Some(c) = &filter.country {
            query = query.filter(people::country.eq(c));
        }
        let page: Vec<Person> = query.select(Person::as_select()).load(conn).await?;
        let Some(last) = page.last() else {
            return Ok((people_count, membership_count));
        };
        after = last.id;
        let ids: Vec<Uuid> = page.iter().map(|p| p.id).collect();
        let rows: Vec<(Uuid, String, Option<String>, Option<String>, Uuid, Option<String>)> = memberships::table
            .inner_join(organizations::table)
            .filter(memberships::person_id.eq_any(&ids))
            .order((memberships::person_id, memberships::created_at, memberships::id))
            .select((
                memberships::person_id,
                memberships::role,
                memberships::since,
                memberships::until,
                organizations::id,
                organizations::external_id,
            ))
            .load(conn)
            .await?;
        let mut by_person: HashMap<Uuid, Vec<MembershipOut>> = HashMap::new();
        for (person, role, since, until, org_id, org_ext) in rows {
            by_person.entry(person).or_default().push(MembershipOut {
                id: None,
                organization: Some(key(&org_ext, org_id)),
                organization_id: None,
                organization_name: None,
                role,
                since,
                until,
            });
        }
        for mut person in page {
            let list = by_person.remove(&person.id).unwrap_or_default();
            person.external_id = Some(key(&person.external_id, person.id));
            let person_key = person.external_id.clone();
            if write_memberships {
                for m in &list {
                    let row = serde_json::json!({
                        "type": "membership", "person": person_key, "organization": m.organization,
                        "role": m.role, "since": m.since, "until": m.until,
                    });
                    sink.record(RecordType::Membership, &row)?;
                    membership_count += 1;
                }
            }
            if write_people {
                sink.record(RecordType::Person, &serde_json::to_value(PersonRecord::from_row(person, list))?)?;
                people_count += 1;
            }
        }
    }
}

async fn interactions_out(conn: &mut AsyncPgConnection, filter: &Filter, sink: &mut dyn Sink) -> anyhow::Result<u64> {
    let mut after = Uuid::nil();
    let mut count = 0;
    loop {
        let mut query = interactions::table
            .filter(interactions::id.gt(after))
            .order(interactions::id)
            .limit(PAGE)
            .into_boxed();
        if let Some(c) = filter.country.clone() {
            // Interactions with someone or some organization of that country.
            let with_people = interaction_people::table
                .inner_join(people::table)
                .filter(people::country.eq(c.clone()))
                .select(interaction_people::interaction_id);
            let with_orgs = interaction_organizations::table
                .inner_join(organizations::table)
                .filter(organizations::country.eq(c))
                .select(interaction_organizations::interaction_id);
            query = query.filter(interactions::id.eq_any(with_people).or(interactions::id.eq_any(with_orgs)));
        }
        let page: Vec<Interaction> = query.select(Interaction::as_select()).load(conn).await?;
        let Some(last) = page.last() else { return Ok(count) };
        after = last.id;
        let ids: Vec<Uuid> = page.iter().map(|i| i.id).collect();
        let mut linked_people: HashMap<Uuid, Vec<String>> = HashMap::new();
        for (i, pid, ext) in interaction_people::table
            .inner_join(people::table)
            .filter(interaction_people::interaction_id.eq_any(&ids))
            .select((interaction_people::interaction_id, people::id, people::external_id))
            .load::<(Uuid, Uuid, Option<String>)>(conn)
            .await?
        {
            linked_people.entry(i).or_default().push(key(&ext, pid));
        }
        let mut linked_orgs: HashMap<Uuid, Vec<String>> = HashMap::new();
        for (i, oid, ext) in interaction_organizations::table
            .inner_join(organizations::table)
            .filter(interaction_organizations::interaction_id.eq_any(&ids))
            .select((
                interaction_organizations::interaction_id,
                organizations::id,
                organizations::external_id,
            ))
            .load::<(Uuid, Uuid, Option<String>)>(conn)
            .await?
        {
            linked_orgs.entry(i).or_default().push(key(&ext, oid));
        }
        for mut row in page {
            let mut p = linked_people.remove(&row.id).unwrap_or_default();
            let mut o = linked_orgs.remove(&row.id).unwrap_or_default();
            p.sort();
            o.sort();
            row.external_id = Some(key(&row.external_id, row.id));
            sink.record(
                RecordType::Interaction,
                &serde_json::to_value(InteractionRecord::from_row(row, p, o))?,
            )?;
            count += 1;
        }
    }
}

struct JsonlSink<W: Write + Send>(W);

impl<W: Write + Send> Sink for JsonlSink<W> {
    fn record(&mut self, ty: RecordType, record: &Value) -> anyhow::Result<()> {
        // JSON Lines nests memberships in their person.
        if ty == RecordType::Membership {
            return Ok(());
        }
        serde_json::to_writer(&mut self.0, record)?;
        self.0.write_all(b"\n")?;
        Ok(())
    }
    fn finish(mut self: Box<Self>) -> anyhow::Result<()> {
        self.0.flush()?;
        Ok(())
    }
}

/// A record as the cells of its CSV row or sheet row.
fn cells(ty: RecordType, record: &Value) -> Vec<Cell> {
    let empty = Map::new();
    let map = record.as_object().unwrap_or(&empty);
    let consent = map.get("consent").and_then(Value::as_object);
    columns(ty)
        .iter()
        .map(|col| {
            let value = match col.strip_prefix("consent_") {
                Some(part) if ty == RecordType::Person => consent.and_then(|c| c.get(if part == "status" { "status" } else { part })),
                _ => map.get(*col),
            };
            match value {
                None | Some(Value::Null) => Cell::Empty,
                Some(Value::Number(n)) => n.as_f64().map(Cell::Number).unwrap_or(Cell::Empty),
                Some(Value::Bool(b)) => Cell::Bool(*b),
                Some(Value::String(s)) => Cell::Text(guard_formula(s)),
                Some(Value::Array(items)) => Cell::Text(guard_formula(
                    &items
                        .iter()
                        .map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
                        .collect::<Vec<_>>()
                        .join(";"),
                )),
                Some(other) => Cell::Text(guard_formula(&other.to_string())),
            }
        })
        .collect()
}

enum Cell {
    Empty,
    Number(f64),
    Bool(bool),
    Text(String),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Number(n) => n.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Text(s) => s.clone(),
        }
    }
}

/// A spreadsheet runs a cell that starts with =, +, - or @ as a formula; an apostrophe
/// in front makes it text.
pub fn guard_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

enum CsvTarget {
    File(PathBuf, RecordType),
    Folder(PathBuf),
    Zip(PathBuf),
}

struct CsvSink {
    target: CsvTarget,
    dir: PathBuf,
    _scratch: Option<tempfile::TempDir>,
    writers: HashMap<RecordType, csv::Writer<File>>,
}

impl CsvSink {
    fn new(target: CsvTarget) -> anyhow::Result<CsvSink> {
        let (dir, scratch) = match &target {
            CsvTarget::Folder(dir) => (dir.clone(), None),
            _ => {
                let scratch = tempfile::tempdir()?;
                (scratch.path().to_path_buf(), Some(scratch))
            }
        };
        Ok(CsvSink {
            target,
            dir,
            _scratch: scratch,
            writers: HashMap::new(),
        })
    }

    fn path(&self, ty: RecordType) -> PathBuf {
        match &self.target {
            CsvTarget::File(path, _) => path.clone(),
            _ => self.dir.join(format!("{}.csv", ty.plural())),
        }
    }
}

impl Sink for CsvSink {
    fn record(&mut self, ty: RecordType, record: &Value) -> anyhow::Result<()> {
        if let CsvTarget::File(_, only) = self.target {
            if ty != only {
                return Ok(());
            }
        }
        if !self.writers.contains_key(&ty) {
            let mut w = csv::Writer::from_writer(File::create(self.path(ty))?);
            w.write_record(columns(ty))?;
            self.writers.insert(ty, w);
        }
        let row: Vec<String> = cells(ty, record).iter().map(Cell::text).collect();
        self.writers.get_mut(&ty).expect("writer opened above").write_record(&row)?;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> anyhow::Result<()> {
        for (_, mut w) in self.writers.drain() {
            w.flush()?;
        }
        if let CsvTarget::Zip(path) = &self.target {
            let mut zip = zip::ZipWriter::new(File::create(path)?);
            let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            for ty in RecordType::ALL {
                let file = self.dir.join(format!("{}.csv", ty.plural()));
                if file.exists() {
                    zip.start_file(format!("{}.csv", ty.plural()), options)?;
                    std::io::copy(&mut File::open(&file)?, &mut zip)?;
                }
            }
            zip.finish()?;
        }
        Ok(())
    }
}

struct XlsxSink {
    path: PathBuf,
    workbook: rust_xlsxwriter::Workbook,
    sheets: HashMap<RecordType, (usize, u32)>,
}

impl XlsxSink {
    fn new(path: PathBuf) -> anyhow::Result<XlsxSink> {
        Ok(XlsxSink {
            path,
            workbook: rust_xlsxwriter::Workbook::new(),
            sheets: HashMap::new(),
        })
    }
}

impl Sink for XlsxSink {
    fn record(&mut self, ty: RecordType, record: &Value) -> anyhow::Result<()> {
        if !self.sheets.contains_key(&ty) {
            let index = self.sheets.len();
            let sheet = self.workbook.add_worksheet_with_constant_memory()?;
            sheet.set_name(ty.plural())?;
            for (c, name) in columns(ty).iter().enumerate() {
                sheet.write_string(0, c as u16, *name)?;
            }
            self.sheets.insert(ty, (index, 0));
        }
        let (index, row) = self.sheets.get_mut(&ty).expect("sheet added above");
        *row += 1;
        let sheet = self.workbook.worksheet_from_index(*index)?;
        for (c, cell) in cells(ty, record).into_iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Empty => {}
                Cell::Number(n) => {
                    sheet.write_number(*row, c, n)?;
                }
                Cell::Bool(b) => {
                    sheet.write_boolean(*row, c, b)?;
                }
                Cell::Text(s) => {
                    sheet.write_string(*row, c, s)?;
                }
            }
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> anyhow::Result<()> {
        if self.sheets.is_empty() {
            self.workbook.add_worksheet().set_name("organizations")?;
        }
        self.workbook.save(&self.path)?;
        Ok(())
    }
}
