//! Reading records out of files: JSON Lines, CSV (UTF-8 with or without BOM, or GB18030
//! as Chinese Excel writes it), Excel workbooks, and folders or .zip files of them. Each
//! record comes with where it was found, so a problem can be reported by line or row.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::records::RecordType;

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
                let mut names: Vec<String> = archive
                    .file_names()
                    .filter_map(|n| n.ok())
                    .filter(|n| kind_of(Path::new(n.as_ref())).is_some())
                    .map(|n| n.into_owned())
                    .collect();
                names.sort();
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
                let mut bytes = Vec::new();
                zip.by_name(entry)
                    .and_then(|mut f| Ok(f.read_to_end(&mut bytes)?))
                    .map_err(|e| format!("cannot read {name}: {e}"))?;
                match kind_of(Path::new(entry)) {
                    Some("jsonl") => Ok(Box::new(jsonl(Box::new(std::io::Cursor::new(bytes)), name, ty, structural))),
                    Some("csv") => csv_records(Box::new(std::io::Cursor::new(bytes)), csv_type(entry), name, ty, structural),
                    _ => xlsx_records(&bytes, name, ty),
                }
            }
        }
    }
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
    let mut buf = String::new();
    let mut number = 0u64;
    let mut bytes = 0u64;
    std::iter::from_fn(move || {
        loop {
            buf.clear();
            let read = match lines.read_line(&mut buf) {
                Ok(0) => return None,
                Ok(n) => n,
                Err(e) => {
                    number += 1;
                    let pos = Position {
                        file: file.clone(),
                        line: Some(number),
                        sheet: None,
                        row: None,
                    };
                    return Some((bytes, Err((pos, format!("cannot be read: {e}")))));
                }
            };
            bytes += read as u64;
            number += 1;
            let line = buf.trim_start_matches('\u{feff}').trim();
            if line.is_empty() {
                continue;
            }
            let pos = || Position {
                file: file.clone(),
                line: Some(number),
                sheet: None,
                row: None,
            };
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
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
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
    use calamine::{Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(|e| format!("{file} is not a readable Excel workbook: {e}"))?;
    let Some(sheet) = workbook.sheet_names().into_iter().find(|s| RecordType::parse(s) == Some(ty)) else {
        return Ok(Box::new(std::iter::empty()));
    };
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| format!("{file}, sheet {sheet}: cannot be read: {e}"))?;
    let mut rows = range.rows();
    let headers: Vec<String> = match rows.next() {
        Some(h) => h.iter().map(|c| c.to_string().trim().to_lowercase()).collect(),
        None => return Ok(Box::new(std::iter::empty())),
    };
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut items = Vec::new();
    for (i, row) in rows.enumerate() {
        let mut map = Map::new();
        for (h, cell) in headers.iter().zip(row) {
            let value = match cell {
                Data::Empty => continue,
                Data::String(s) => Value::String(unescape_cell(s.trim()).to_string()),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Value::from(*f as i64),
                Data::Float(f) => Value::from(*f),
                Data::Int(n) => Value::from(*n),
                Data::Bool(b) => Value::Bool(*b),
                Data::DateTime(d) => match d.as_datetime() {
                    Some(dt) => Value::String(dt.date().format("%Y-%m-%d").to_string()),
                    None => Value::String(d.to_string()),
                },
                Data::DateTimeIso(s) | Data::DurationIso(s) => Value::String(s.chars().take(10).collect()),
                Data::Error(e) => Value::String(format!("#{e:?}")),
            };
            if !h.is_empty() && value.as_str().is_none_or(|s| !s.is_empty()) {
                map.insert(h.clone(), value);
            }
        }
        if map.is_empty() {
            continue;
        }
        // Rows are numbered as Excel shows them: the header is row 1.
        let pos = Position {
            file: file.clone(),
            line: None,
            sheet: Some(sheet.clone()),
            row: Some(first_row as u64 + i as u64 + 2),
        };
        items.push((0, Ok((pos, map))));
    }
    Ok(Box::new(items.into_iter()))
}
