//! Reading records out of files: JSON Lines, CSV (UTF-8 with or without BOM, or GB18030
//! as Chinese Excel writes it), Excel workbooks, and folders or .zip files of them. Each
//! record comes with where it was found, so a problem can be reported by line or row.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{Report, accept, readable};
use crate::records::{InteractionInput, MembershipRow, OrganizationInput, PersonInput, RecordType};

/// Where a record was found: a line of a text file, or a row of a sheet.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", sheet {sheet}")?;
        }
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        Ok(())
    }
}

/// A record as read, or a line or row that could not be read as a record at all.
pub type Item = Result<(Position, Map<String, Value>), (Position, String)>;

/// One readable unit of an import.
#[derive(Clone, Debug)]
pub enum Source {
    Jsonl(PathBuf),
    Csv(PathBuf),
    Xlsx(PathBuf),
    /// An entry of a .zip file.
    Zipped {
        archive: PathBuf,
        entry: String,
    },
}

/// Expands the paths given (files, folders, .zip files) into sources.
pub fn sources(paths: &[PathBuf]) -> Result<Vec<Source>, String> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| format!("cannot read the folder {}: {e}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && kind_of(p).is_some())
                .collect();
            entries.sort();
            if entries.is_empty() {
                return Err(format!("the folder {} has no .jsonl, .csv or .xlsx files", path.display()));
            }
            out.extend(entries.iter().filter_map(|p| source_for(p)));
            continue;
        }
        if !path.exists() {
            return Err(format!("there is no file {}", path.display()));
        }
        match extension(path).as_str() {
            "zip" => {
                let file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
                let archive = zip::ZipArchive::new(file).map_err(|e| format!("{} is not a readable .zip file: {e}", path.display()))?;
                let names = zip_entries(&archive);
                if names.is_empty() {
                    return Err(format!("{} holds no .jsonl, .csv or .xlsx files", path.display()));
                }
                out.extend(names.into_iter().map(|entry| Source::Zipped {
                    archive: path.clone(),
                    entry,
                }));
            }
            _ => out.push(source_for(path).ok_or_else(|| {
                format!(
                    "{} is not a file qiaolink can import: use .jsonl, .csv, .xlsx, a folder or a .zip",
                    path.display()
                )
            })?),
        }
    }
    Ok(out)
}

fn extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase()
}

fn kind_of(path: &Path) -> Option<&'static str> {
    match extension(path).as_str() {
        "jsonl" | "ndjson" => Some("jsonl"),
        "csv" => Some("csv"),
        "xlsx" => Some("xlsx"),
        _ => None,
    }
}

/// The entries of a .zip file that can be imported, in name order.
fn zip_entries<R: Read + Seek>(archive: &zip::ZipArchive<R>) -> Vec<String> {
    let mut names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok())
        .filter(|n| kind_of(Path::new(n.as_ref())).is_some())
        .map(|n| n.into_owned())
        .collect();
    names.sort();
    names
}

fn read_entry<R: Read + Seek>(archive: &mut zip::ZipArchive<R>, entry: &str) -> zip::result::ZipResult<Vec<u8>> {
    let mut bytes = Vec::new();
    archive.by_name(entry)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn source_for(path: &Path) -> Option<Source> {
    match kind_of(path)? {
        "jsonl" => Some(Source::Jsonl(path.to_path_buf())),
        "csv" => Some(Source::Csv(path.to_path_buf())),
        _ => Some(Source::Xlsx(path.to_path_buf())),
    }
}

/// The record type a CSV file holds, from its name (people.csv, organizations.csv ...).
fn csv_type(name: &str) -> Option<RecordType> {
    let stem = Path::new(name).file_stem()?.to_str()?.to_lowercase();
    RecordType::ALL
        .into_iter()
        .find(|t| stem == t.plural() || stem.ends_with(&format!("_{}", t.plural())) || stem.ends_with(&format!("-{}", t.plural())))
}

impl Source {
    pub fn name(&self) -> String {
        match self {
            Source::Jsonl(p) | Source::Csv(p) | Source::Xlsx(p) => file_name(p),
            Source::Zipped { archive, entry } => format!("{}:{entry}", file_name(archive)),
        }
    }

    /// Whether memberships can come as rows of their own (CSV and Excel); JSON Lines
    /// nests them in the person.
    pub fn has_membership_rows(&self) -> bool {
        match self {
            Source::Jsonl(_) => false,
            Source::Zipped { entry, .. } => kind_of(Path::new(entry)) != Some("jsonl"),
            _ => true,
        }
    }

    /// Size in bytes, for the progress bar.
    pub fn size(&self) -> u64 {
        match self {
            Source::Jsonl(p) | Source::Csv(p) | Source::Xlsx(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            Source::Zipped { .. } => 0,
        }
    }

    /// The records of one type in this source. `structural` asks for the lines that are
    /// no record at all (bad JSON, unknown type) too: the importer asks once per source.
    pub fn records(&self, ty: RecordType, structural: bool) -> Result<Box<dyn Iterator<Item = (u64, Item)> + Send>, String> {
        let name = self.name();
        match self {
            Source::Jsonl(path) => Ok(Box::new(jsonl(open(path)?, name, ty, structural))),
            Source::Csv(path) => csv_records(open(path)?, csv_type(&name), name, ty, structural),
            Source::Xlsx(path) => xlsx_records(&std::fs::read(path).map_err(|e| format!("cannot read {name}: {e}"))?, name, ty),
            Source::Zipped { archive, entry } => {
                let file = File::open(archive).map_err(|e| format!("cannot open {}: {e}", archive.display()))?;
                let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("cannot read {name}: {e}"))?;
                let bytes = read_entry(&mut zip, entry).map_err(|e| format!("cannot read {name}: {e}"))?;
                in_memory(entry, bytes, name, ty, structural)
            }
        }
    }
}

/// The records of one type in a file held in memory (an entry of a .zip, an upload), read
/// as its name (`entry`) says: JSON Lines, CSV of the type the name gives, else Excel.
fn in_memory(
    entry: &str,
    bytes: Vec<u8>,
    name: String,
    ty: RecordType,
    structural: bool,
) -> Result<Box<dyn Iterator<Item = (u64, Item)> + Send>, String> {
    match kind_of(Path::new(entry)) {
        Some("jsonl") => Ok(Box::new(jsonl(Box::new(std::io::Cursor::new(bytes)), name, ty, structural))),
        Some("csv") => csv_records(Box::new(std::io::Cursor::new(bytes)), csv_type(entry), name, ty, structural),
        _ => xlsx_records(&bytes, name, ty),
    }
}

/// What an import finds in a file before it meets the stored data. The file comes as an
/// upload does, by its name (the extension tells the format, a CSV's name its type) and its
/// bytes; a .zip is read entry by entry. Every record is read in the passes of an import and
/// checked by the same rules: the report holds the rejected records with their errors, and
/// the warnings. Whether a valid record would be created, updated or left unchanged, and
/// whether the records it names exist, only the stored data tell. An error is for the file
/// as a whole, as [`sources`] and [`Source::records`] give it.
pub fn check_bytes(name: &str, bytes: &[u8]) -> Result<Report, String> {
    let mut files: Vec<(String, String, Vec<u8>)> = Vec::new();
    match extension(Path::new(name)).as_str() {
        "zip" => {
            let mut archive =
                zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("{name} is not a readable .zip file: {e}"))?;
            let entries = zip_entries(&archive);
            if entries.is_empty() {
                return Err(format!("{name} holds no .jsonl, .csv or .xlsx files"));
            }
            for entry in entries {
                let label = format!("{name}:{entry}");
                let bytes = read_entry(&mut archive, &entry).map_err(|e| format!("cannot read {label}: {e}"))?;
                files.push((entry, label, bytes));
            }
        }
        _ if kind_of(Path::new(name)).is_some() => files.push((name.to_string(), name.to_string(), bytes.to_vec())),
        _ => {
            return Err(format!(
                "{name} is not a file qiaolink can import: use .jsonl, .csv, .xlsx, a folder or a .zip"
            ));
        }
    }
    let mut report = Report::default();
    for ty in RecordType::ALL {
        for (entry, label, bytes) in &files {
            // As in an import: JSON Lines nests memberships in the person, and only the first
            // pass reports the lines that are no record at all.
            if ty == RecordType::Membership && kind_of(Path::new(entry)) == Some("jsonl") {
                continue;
            }
            let structural = ty == RecordType::Organization;
            for (_, item) in in_memory(entry, bytes.clone(), label.clone(), ty, structural)? {
                let Some((at, map)) = readable(&mut report, item) else { continue };
                match ty {
                    RecordType::Organization => _ = accept(&mut report, ty, &at, OrganizationInput::parse(&map)),
                    RecordType::Person => _ = accept(&mut report, ty, &at, PersonInput::parse(&map)),
                    RecordType::Membership => _ = accept(&mut report, ty, &at, MembershipRow::parse(&map)),
                    RecordType::Interaction => _ = accept(&mut report, ty, &at, InteractionInput::parse(&map)),
                }
            }
        }
    }
    report.sort();
    Ok(report)
}

fn file_name(p: &Path) -> String {
    p.file_name().and_then(|n| n.to_str()).unwrap_or("file").to_string()
}

fn open(path: &Path) -> Result<Box<dyn Read + Send>, String> {
    Ok(Box::new(
        File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?,
    ))
}

/// JSON Lines, streamed: only the lines of the wanted type are parsed in full. The
/// number that comes with each item is the bytes read so far.
fn jsonl(reader: Box<dyn Read + Send>, file: String, ty: RecordType, structural: bool) -> impl Iterator<Item = (u64, Item)> {
    #[derive(serde::Deserialize)]
    struct TypeOnly<'a> {
        #[serde(rename = "type", borrow)]
        record_type: Option<std::borrow::Cow<'a, str>>,
    }
    let mut lines = BufReader::with_capacity(1 << 20, reader);
    let mut buf = Vec::new();
    let mut number = 0u64;
    let mut bytes = 0u64;
    let mut failed = false;
    std::iter::from_fn(move || {
        loop {
            if failed {
                return None;
            }
            buf.clear();
            let read = lines.read_until(b'\n', &mut buf);
            number += 1;
            let pos = || Position {
                file: file.clone(),
                line: Some(number),
                sheet: None,
                row: None,
            };
            let read = match read {
                Ok(0) => return None,
                Ok(n) => n,
                Err(e) => {
                    // Reading on after the file failed would fail again: every pass reports it
                    // once, at the line it reached, and ends there.
                    failed = true;
                    return Some((bytes, Err((pos(), format!("cannot be read: {e}")))));
                }
            };
            bytes += read as u64;
            // Like a line that is no JSON, a line that is no text is reported in the pass that
            // asks for such lines, not once for every type of record.
            let Ok(text) = std::str::from_utf8(&buf) else {
                if structural {
                    return Some((
                        bytes,
                        Err((pos(), "cannot be read: it is not UTF-8 text (save the file as UTF-8)".into())),
                    ));
                }
                continue;
            };
            let line = text.trim_start_matches('\u{feff}').trim();
            if line.is_empty() {
                continue;
            }
            let declared = match serde_json::from_str::<TypeOnly>(line) {
                Ok(t) => t.record_type.map(|t| t.into_owned()),
                Err(e) => {
                    if structural {
                        return Some((bytes, Err((pos(), format!("is not valid JSON ({e})")))));
                    }
                    continue;
                }
            };
            match declared.as_deref().and_then(RecordType::parse) {
                Some(t) if t == ty => {
                    return Some(match serde_json::from_str::<Map<String, Value>>(line) {
                        Ok(map) => (bytes, Ok((pos(), map))),
                        Err(e) => (bytes, Err((pos(), format!("is not valid JSON ({e})")))),
                    });
                }
                Some(RecordType::Membership) if structural => {
                    return Some((
                        bytes,
                        Err((
                            pos(),
                            "a membership line: in JSON Lines, list memberships inside the person record".into(),
                        )),
                    ));
                }
                Some(_) => continue,
                None if structural => {
                    let message = match declared {
                        Some(t) => format!("has type \"{t}\": it should be organization, person or interaction"),
                        None => "has no \"type\": it should say organization, person or interaction".into(),
                    };
                    return Some((bytes, Err((pos(), message))));
                }
                None => continue,
            }
        }
    })
}

/// Decides the text encoding of a CSV: UTF-8 (a BOM is dropped), else GB18030, which
/// is what Excel on a Chinese Windows writes.
fn decoded(mut reader: Box<dyn Read + Send>) -> Result<Box<dyn Read + Send>, String> {
    let mut head = vec![0u8; 64 * 1024];
    let mut filled = 0;
    while filled < head.len() {
        match reader.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) => return Err(format!("cannot be read: {e}")),
        }
    }
    head.truncate(filled);
    let utf8 = match std::str::from_utf8(&head) {
        Ok(_) => true,
        // A character cut at the end of the sample is still UTF-8.
        Err(e) => e.error_len().is_none(),
    };
    let chained = std::io::Cursor::new(head).chain(reader);
    let encoding = if utf8 { encoding_rs::UTF_8 } else { encoding_rs::GB18030 };
    Ok(Box::new(
        encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(Some(encoding))
            .bom_override(true)
            .build(chained),
    ))
}

/// `by_name` is the type the file's name gives, if any.
fn csv_records(
    reader: Box<dyn Read + Send>,
    by_name: Option<RecordType>,
    file: String,
    ty: RecordType,
    structural: bool,
) -> Result<Box<dyn Iterator<Item = (u64, Item)> + Send>, String> {
    if by_name.is_some_and(|t| t != ty) {
        return Ok(Box::new(std::iter::empty()));
    }
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(decoded(reader)?);
    let headers: Vec<String> = csv
        .headers()
        .map_err(|e| format!("{file}: the header row cannot be read: {e}"))?
        .iter()
        .enumerate()
        .map(|(i, h)| match h.trim().trim_start_matches('\u{feff}').to_lowercase() {
            // What is written under no header is reported by its column, like any unknown field.
            h if h.is_empty() => format!("column {}", i + 1),
            h => h,
        })
        .collect();
    let has_type_column = headers.iter().any(|h| h == "type");
    if by_name.is_none() && !has_type_column {
        return Err(format!(
            "{file}: cannot tell which records it holds: name it organizations.csv, people.csv, memberships.csv or interactions.csv, or add a type column"
        ));
    }
    let mut records = csv.into_records();
    Ok(Box::new(std::iter::from_fn(move || {
        loop {
            let record = records.next()?;
            let bytes = records.reader().position().byte();
            let (line, record) = match record {
                Ok(r) => (r.position().map(|p| p.line()).unwrap_or(0), r),
                Err(e) => {
                    let line = e.position().map(|p| p.line());
                    let pos = Position {
                        file: file.clone(),
                        line,
                        sheet: None,
                        row: None,
                    };
                    return Some((bytes, Err((pos, format!("cannot be read as CSV: {e}")))));
                }
            };
            let pos = Position {
                file: file.clone(),
                line: Some(line),
                sheet: None,
                row: None,
            };
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            if record.len() != headers.len() {
                if !structural {
                    continue;
                }
                return Some((
                    bytes,
                    Err((pos, format!("has {} cells but the header has {}", record.len(), headers.len()))),
                ));
            }
            let mut map = Map::new();
            for (h, cell) in headers.iter().zip(record.iter()) {
                let cell = unescape_cell(cell.trim());
                if !cell.is_empty() {
                    map.insert(h.clone(), Value::String(cell.to_string()));
                }
            }
            if has_type_column && by_name.is_none() {
                match map.get("type").and_then(|v| v.as_str()).and_then(RecordType::parse) {
                    Some(t) if t == ty => {}
                    Some(_) => continue,
                    None if structural => {
                        return Some((
                            bytes,
                            Err((
                                pos,
                                "has no known type: it should say organization, person, membership or interaction".into(),
                            )),
                        ));
                    }
                    None => continue,
                }
            }
            return Some((bytes, Ok((pos, map))));
        }
    })))
}

/// Undoes the export's guard against spreadsheet formulas ('=SUM(...) -> =SUM(...)).
fn unescape_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

fn xlsx_records(bytes: &[u8], file: String, ty: RecordType) -> Result<Box<dyn Iterator<Item = (u64, Item)> + Send>, String> {
    use calamine::Data;
    // The workbook reader does not check all of its arithmetic (a column named with too many
    // letters overflows it): a file sent in must never take the process down.
    let read = std::panic::catch_unwind(|| xlsx_cells(bytes, &file, ty))
        .unwrap_or_else(|_| Err(format!("{file} is not a readable Excel workbook")))?;
    let Some((sheet, mut rows)) = read else {
        return Ok(Box::new(std::iter::empty()));
    };
    let Some((_, header)) = rows.pop_first() else {
        return Ok(Box::new(std::iter::empty()));
    };
    let headers: BTreeMap<u32, String> = header
        .into_iter()
        .map(|(column, cell)| (column, cell.to_string().trim().to_lowercase()))
        .filter(|(_, h)| !h.is_empty())
        .collect();
    let mut items = Vec::new();
    for (row, cells) in rows {
        let mut map = Map::new();
        for (column, cell) in cells {
            // What is written under no header is reported by its column, like any unknown field.
            let h = match headers.get(&column) {
                Some(h) => h.clone(),
                None => format!("column {}", column_letters(column)),
            };
            let value = match cell {
                Data::Empty => continue,
                Data::String(s) => Value::String(unescape_cell(s.trim()).to_string()),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Value::from(f as i64),
                Data::Float(f) => Value::from(f),
                Data::Int(n) => Value::from(n),
                Data::Bool(b) => Value::Bool(b),
                Data::DateTime(d) => match d.as_datetime() {
                    Some(dt) => Value::String(dt.date().format("%Y-%m-%d").to_string()),
                    None => Value::String(d.to_string()),
                },
                Data::DateTimeIso(s) | Data::DurationIso(s) => Value::String(s.chars().take(10).collect()),
                Data::Error(e) => Value::String(format!("#{e:?}")),
            };
            if value.as_str().is_none_or(|s| !s.is_empty()) {
                map.insert(h, value);
            }
        }
        if map.is_empty() {
            continue;
        }
        // Rows are numbered as Excel shows them, from 1 (the reader counts from 0).
        let pos = Position {
            file: file.clone(),
            line: None,
            sheet: Some(sheet.clone()),
            row: Some(u64::from(row) + 1),
        };
        items.push((0, Ok((pos, map))));
    }
    Ok(Box::new(items.into_iter()))
}

/// A column as Excel names it (0 → A, 26 → AA).
fn column_letters(column: u32) -> String {
    let mut n = u64::from(column) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        n -= 1;
        letters.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    letters.iter().rev().map(|&b| char::from(b)).collect()
}

/// The cells of a row, by column.
type Row = BTreeMap<u32, calamine::Data>;

/// The sheet that holds the records of type `ty` (none when the workbook has no such sheet),
/// and its cells that are not empty, by row. Read cell by cell: a sheet read as one range
/// takes memory for every cell between the first and the last, and two cells far apart (or a
/// position that overflows) would ask for more than any machine has.
fn xlsx_cells(bytes: &[u8], file: &str, ty: RecordType) -> Result<Option<(String, BTreeMap<u32, Row>)>, String> {
    use calamine::{Data, DataRef, Reader, Xlsx, XlsxError};
    let mut workbook: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| format!("{file} is not a readable Excel workbook: {e}"))?;
    let Some(sheet) = workbook.sheet_names().into_iter().find(|s| RecordType::parse(s) == Some(ty)) else {
        return Ok(None);
    };
    let unreadable = |e: XlsxError| format!("{file}, sheet {sheet}: cannot be read: {e}");
    let mut cells = match workbook.worksheet_cells_reader(&sheet) {
        Ok(cells) => cells,
        // A chart sheet or the like: no rows, as a range of it would have.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Some((sheet, BTreeMap::new()))),
        Err(e) => return Err(unreadable(e)),
    };
    let mut rows: BTreeMap<u32, Row> = BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        if *cell.get_value() != DataRef::Empty {
            let (row, column) = cell.get_position();
            rows.entry(row).or_default().insert(column, Data::from(cell.get_value().clone()));
        }
    }
    Ok(Some((sheet, rows)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checking_bytes_reports_what_an_import_would() {
        let jsonl = concat!(
            "{\"type\":\"person\",\"external_id\":\"p-1\",\"name_zh\":\"黃志明\",\"country\":\"US\"}\n",
            "this line is not JSON\n",
            "{\"type\":\"person\",\"external_id\":\"p-2\",\"name_zh\":\"梅源\",\"country\":\"USA\"}\n",
        );
        let report = check_bytes("people.jsonl", jsonl.as_bytes()).unwrap();
        let found: Vec<(Option<u64>, Option<&str>)> = report.errors.iter().map(|p| (p.at.line, p.field.as_deref())).collect();
        assert_eq!(found, [(Some(2), None), (Some(3), Some("country"))]);
        assert_eq!(report.rejected(), 2);

        let csv = "person,organization,role\np-1,org-1,president\np-2,,chief\n";
        let report = check_bytes("memberships.csv", csv.as_bytes()).unwrap();
        assert_eq!(report.rejected(), 1);
        assert!(
            report.errors.iter().all(|p| p.location == "memberships.csv, line 3"),
            "{:?}",
            report.errors
        );

        assert!(check_bytes("people.txt", b"").unwrap_err().contains("people.txt"));
        assert!(check_bytes("people.zip", b"PK").unwrap_err().contains("people.zip"));
    }

    #[test]
    fn a_cell_under_no_header_is_reported_by_its_column() {
        // Found by fuzzing: the warning named an empty field.
        let csv = "external_id,,name_latin,country\np-1,x,Tom Hom,US\n";
        let report = check_bytes("people.csv", csv.as_bytes()).unwrap();
        let found: Vec<Option<&str>> = report.warnings.iter().map(|p| p.field.as_deref()).collect();
        assert_eq!(found, [Some("column 2")]);
        assert_eq!(report.rejected(), 0);
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(16383), "XFD");
    }

    #[test]
    fn a_line_that_is_no_text_is_reported_once() {
        // Found by fuzzing: it was reported again in the pass of every record type.
        let mut jsonl = b"{\"type\":\"person\",\"external_id\":\"p-1\",\"name_zh\":\"\xe9\xbb".to_vec();
        jsonl.extend_from_slice(b"\"}\n{\"type\":\"person\",\"external_id\":\"p-2\",\"name_latin\":\"Tom Hom\",\"country\":\"US\"}\n");
        let report = check_bytes("people.jsonl", &jsonl).unwrap();
        let found: Vec<(Option<u64>, &str)> = report.errors.iter().map(|p| (p.at.line, p.message.as_str())).collect();
        assert_eq!(found, [(Some(1), "cannot be read: it is not UTF-8 text (save the file as UTF-8)")]);
        assert_eq!(report.rejected(), 1);
        let people: Vec<Item> = jsonl_items(&jsonl, RecordType::Person);
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].as_ref().unwrap().0.line, Some(2));
    }

    fn jsonl_items(bytes: &[u8], ty: RecordType) -> Vec<Item> {
        jsonl(Box::new(std::io::Cursor::new(bytes.to_vec())), "people.jsonl".into(), ty, false)
            .map(|(_, item)| item)
            .collect()
    }

    /// A workbook with one sheet named `sheet`, whose rows are given as `<row>` XML.
    fn workbook(sheet: &str, rows: &str) -> Vec<u8> {
        use std::io::Write;
        let parts = [
            (
                "_rels/.rels",
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
            ),
            (
                "xl/workbook.xml",
                format!(
                    r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
                ),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
            ),
            (
                "xl/worksheets/sheet1.xml",
                format!(r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#),
            ),
        ];
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, text) in parts {
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn inline(at: &str, text: &str) -> String {
        format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
    }

    fn people(bytes: &[u8]) -> Result<Vec<Item>, String> {
        Ok(xlsx_records(bytes, "people.xlsx".into(), RecordType::Person)?
            .map(|(_, item)| item)
            .collect())
    }

    #[test]
    fn sheet_rows_are_numbered_as_excel_shows_them() {
        let rows = format!(
            r#"<row r="2">{}{}</row><row r="3">{}<c r="D3"><v>1950</v></c></row><row r="5">{}{}</row>"#,
            inline("C2", "External_ID"),
            inline("D2", "birth_year"),
            inline("C3", "p-1"),
            inline("C5", "p-2"),
            inline("AB5", "no header"),
        );
        let items = people(&workbook("People", &rows)).unwrap();
        let read: Vec<(Option<u64>, Value)> = items
            .into_iter()
            .map(|item| {
                let (at, map) = item.unwrap();
                assert_eq!(at.sheet.as_deref(), Some("People"));
                (at.row, Value::Object(map))
            })
            .collect();
        assert_eq!(
            read,
            [
                (Some(3), serde_json::json!({"external_id": "p-1", "birth_year": 1950})),
                (Some(5), serde_json::json!({"external_id": "p-2", "column AB": "no header"})),
            ]
        );
    }

    #[test]
    fn cells_far_apart_take_no_memory_for_the_cells_between() {
        // The first and the last cell of a sheet: read as one range, 16384 × 1048576 cells.
        let rows = format!(
            r#"<row r="1">{}</row><row r="1048576">{}</row>"#,
            inline("A1", "external_id"),
            inline("XFD1048576", "far away")
        );
        let items = people(&workbook("people", &rows)).unwrap();
        let (at, map) = items[0].as_ref().unwrap();
        assert_eq!((items.len(), at.row), (1, Some(1_048_576)));
        assert_eq!(Value::Object(map.clone()), serde_json::json!({"column XFD": "far away"}));
    }

    #[test]
    fn a_column_past_any_number_is_an_unreadable_workbook_not_a_crash() {
        // Found by fuzzing: the reader's column arithmetic overflowed and panicked.
        let rows = format!(
            r#"<row r="1">{}</row>"#,
            inline("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1", "x")
        );
        let read = people(&workbook("people", &rows));
        assert!(
            read.as_ref().map_or_else(|e| e.contains("people.xlsx"), |items| items.is_empty()),
            "{read:?}"
        );
    }
}
