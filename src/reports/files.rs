//! Reports as tables in the reader's language, written as CSV or Excel (one sheet per
//! section, numbers as numbers and dates as dates). The PDF is the page printed.

use chrono::{Datelike, NaiveDate};

use super::{CountryReport, Headline};
use crate::error::{AppError, AppResult};
use crate::web::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
    Pdf,
}

impl Format {
    pub fn parse(text: Option<&str>) -> AppResult<Format> {
        match text.unwrap_or("json") {
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            "pdf" => Ok(Format::Pdf),
            other => Err(AppError::invalid("format", format!("\"{other}\" is not json, csv, xlsx or pdf"))),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }
}

pub enum Cell {
    Text(String),
    Number(i64),
    Date(Option<NaiveDate>),
}

/// One section of a report.
pub struct Table {
    /// The sheet's name: short, the same in both languages.
    pub sheet: &'static str,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// "president 黃志明; secretary_general 譚大文" with the roles in the reader's words.
pub fn bearers(stored: &str, lang: Lang) -> String {
    stored
        .split("; ")
        .filter(|s| !s.is_empty())
        .map(|s| match s.split_once(' ') {
            Some((role, name)) => format!("{} {name}", lang.label("role", role)),
            None => s.to_string(),
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn counts(sheet: &'static str, title: &str, label: &str, rows: &[super::Count], lang: Lang, group: Option<&str>) -> Table {
    Table {
        sheet,
        title: lang.t(title).to_string(),
        columns: vec![lang.t(label).to_string(), lang.t("report.count").to_string()],
        rows: rows
            .iter()
            .map(|c| {
                let label = match group {
                    Some(g) => lang.label(g, &c.label),
                    None => c.label.clone(),
                };
                vec![text(label), Cell::Number(c.count)]
            })
            .collect(),
    }
}

fn orgs(sheet: &'static str, title: &str, list: &[super::OrgRow], lang: Lang) -> Table {
    Table {
        sheet,
        title: lang.t(title).to_string(),
        columns: [
            "field.name",
            "field.kind",
            "field.city",
            "field.liaison_status",
            "org.bearers",
            "org.last_contact",
        ]
        .iter()
        .map(|k| lang.t(k).to_string())
        .collect(),
        rows: list
            .iter()
            .map(|o| {
                vec![
                    text(&o.name),
                    text(lang.label("kind", &o.kind)),
                    text(o.city.clone().unwrap_or_default()),
                    text(lang.label("liaison", &o.liaison_status)),
                    text(bearers(&o.bearers, lang)),
                    Cell::Date(o.last_contact),
                ]
            })
            .collect(),
    }
}

/// The country report as tables, in the order of the page.
pub fn country_tables(r: &CountryReport, lang: Lang) -> Vec<Table> {
    let h = &r.headline;
    let mut tables = vec![Table {
        sheet: "summary",
        title: format!("{} {} ({} – {})", lang.t("report.title"), r.country, r.period.from, r.period.to),
        columns: vec![lang.t("report.figure").to_string(), lang.t("report.count").to_string()],
        rows: [
            ("report.organizations", h.organizations),
            ("report.active_organizations", h.active_organizations),
            ("report.people", h.people),
            ("report.high_level_talents", h.high_level_talents),
            ("report.interactions", h.interactions),
            ("report.event_guests", h.event_guests),
        ]
        .iter()
        .map(|(k, v)| vec![text(lang.t(k)), Cell::Number(*v)])
        .chain(std::iter::once(vec![text(lang.t("org.last_contact")), Cell::Date(h.last_contact)]))
        .collect(),
    }];
    tables.push(Table {
        sheet: "kinds",
        title: lang.t("report.by_kind").to_string(),
        columns: ["field.kind", "report.count", "liaison.active", "liaison.dormant"]
            .iter()
            .map(|k| lang.t(k).to_string())
            .collect(),
        rows: r
            .organizations_by_kind
            .iter()
            .map(|k| {
                vec![
                    text(lang.label("kind", &k.kind)),
                    Cell::Number(k.total),
                    Cell::Number(k.active),
                    Cell::Number(k.dormant),
                ]
            })
            .collect(),
    });
    tables.push(orgs("organizations", "report.organization_list", &r.organizations, lang));
    tables.push(orgs("youth_trade", "report.youth_and_trade", &r.youth_and_trade, lang));
    tables.push(counts(
        "status",
        "report.by_status",
        "field.status",
        &r.people_by_status,
        lang,
        Some("status"),
    ));
    tables.push(counts(
        "county",
        "report.by_county",
        "field.hometown",
        &r.people_by_county,
        lang,
        None,
    ));
    tables.push(counts("town", "report.by_town", "field.hometown", &r.people_by_town, lang, None));
    tables.push(counts(
        "talent",
        "report.by_talent",
        "field.talent_fields",
        &r.people_by_talent_field,
        lang,
        None,
    ));
    tables.push(Table {
        sheet: "talents",
        title: lang.t("report.talents").to_string(),
        columns: vec![lang.t("field.name").to_string(), lang.t("report.detail").to_string()],
        rows: r.high_level_talents.iter().map(|p| vec![text(&p.name), text(&p.detail)]).collect(),
    });
    tables.push(counts(
        "months",
        "report.by_month",
        "report.month",
        &r.interactions_by_month,
        lang,
        None,
    ));
    tables.push(Table {
        sheet: "not_contacted",
        title: lang.t("report.not_contacted").to_string(),
        columns: ["report.what", "field.name", "org.last_contact", "report.months"]
            .iter()
            .map(|k| lang.t(k).to_string())
            .collect(),
        rows: r
            .not_contacted
            .iter()
            .map(|q| {
                vec![
                    text(lang.label("type", &q.kind)),
                    text(&q.name),
                    Cell::Date(q.last_contact),
                    Cell::Number(q.months),
                ]
            })
            .collect(),
    });
    tables.push(Table {
        sheet: "events",
        title: lang.t("report.events").to_string(),
        columns: ["nav.events", "field.starts_on", "event.invited", "event.accepted", "report.came"]
            .iter()
            .map(|k| lang.t(k).to_string())
            .collect(),
        rows: r
            .events
            .iter()
            .map(|e| {
                vec![
                    text(&e.event),
                    Cell::Date(Some(e.starts_on)),
                    Cell::Number(e.invited),
                    Cell::Number(e.accepted),
                    Cell::Number(e.came),
                ]
            })
            .collect(),
    });
    tables.push(Table {
        sheet: "follow_ups",
        title: lang.t("home.follow_ups").to_string(),
        columns: ["field.follow_up", "home.who", "field.summary"]
            .iter()
            .map(|k| lang.t(k).to_string())
            .collect(),
        rows: r
            .follow_ups
            .iter()
            .map(|f| vec![Cell::Date(Some(f.follow_up)), text(&f.with), text(&f.summary)])
            .collect(),
    });
    tables
}

/// The overview as one table.
pub fn overview_table(rows: &[Headline], lang: Lang) -> Table {
    Table {
        sheet: "countries",
        title: lang.t("report.overview").to_string(),
        columns: [
            "field.country",
            "report.organizations",
            "report.active_organizations",
            "report.people",
            "report.high_level_talents",
            "report.interactions",
            "org.last_contact",
            "report.event_guests",
        ]
        .iter()
        .map(|k| lang.t(k).to_string())
        .collect(),
        rows: rows
            .iter()
            .map(|h| {
                vec![
                    text(&h.country),
                    Cell::Number(h.organizations),
                    Cell::Number(h.active_organizations),
                    Cell::Number(h.people),
                    Cell::Number(h.high_level_talents),
                    Cell::Number(h.interactions),
                    Cell::Date(h.last_contact),
                    Cell::Number(h.event_guests),
                ]
            })
            .collect(),
    }
}

/// All sections in one CSV: each section's title, its header and rows, then a blank line.
pub fn csv(tables: &[Table]) -> AppResult<Vec<u8>> {
    let mut out = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    let cell = |c: &Cell| match c {
        Cell::Text(s) => crate::export::guard_formula(s),
        Cell::Number(n) => n.to_string(),
        Cell::Date(d) => d.map(|d| d.to_string()).unwrap_or_default(),
    };
    for (i, t) in tables.iter().enumerate() {
        if tables.len() > 1 {
            if i > 0 {
                out.write_record([""]).map_err(anyhow::Error::from)?;
            }
            out.write_record([t.title.as_str()]).map_err(anyhow::Error::from)?;
        }
        out.write_record(&t.columns).map_err(anyhow::Error::from)?;
        for row in &t.rows {
            out.write_record(row.iter().map(cell)).map_err(anyhow::Error::from)?;
        }
    }
    out.into_inner().map_err(|e| anyhow::anyhow!("{e}").into())
}

/// One sheet per section, with a title row, bold headers, real numbers and dates.
pub fn xlsx(tables: &[Table]) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| AppError::from(anyhow::Error::from(e));
    let mut book = Workbook::new();
    let bold = CellFormat::new().set_bold();
    let date = CellFormat::new().set_num_format("yyyy-mm-dd");
    for t in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(t.sheet).map_err(err)?;
        sheet.write_string_with_format(0, 0, &t.title, &bold).map_err(err)?;
        for (c, name) in t.columns.iter().enumerate() {
            sheet.write_string_with_format(1, c as u16, name, &bold).map_err(err)?;
            sheet.set_column_width(c as u16, if c == 0 { 28 } else { 16 }).map_err(err)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            let r = r as u32 + 2;
            for (c, value) in row.iter().enumerate() {
                let c = c as u16;
                match value {
                    Cell::Text(s) => sheet.write_string(r, c, crate::export::guard_formula(s)).map(|_| ()),
                    Cell::Number(n) => sheet.write_number(r, c, *n as f64).map(|_| ()),
                    Cell::Date(Some(d)) => {
                        let day = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).map_err(err)?;
                        sheet.write_datetime_with_format(r, c, &day, &date).map(|_| ())
                    }
                    Cell::Date(None) => Ok(()),
                }
                .map_err(err)?;
            }
        }
    }
    book.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearers_read_in_the_readers_language() {
        assert_eq!(
            bearers("president 黃志明; secretary_general 譚大文", Lang::Zh),
            "会长 黃志明；秘书长 譚大文"
        );
        assert_eq!(bearers("", Lang::En), "");
    }

    #[test]
    fn excel_keeps_numbers_and_dates() {
        use calamine::{Data, Reader, Xlsx};
        let table = Table {
            sheet: "summary",
            title: "Report".into(),
            columns: vec!["figure".into(), "count".into()],
            rows: vec![
                vec![Cell::Text("people".into()), Cell::Number(42)],
                vec![Cell::Text("last".into()), Cell::Date(NaiveDate::from_ymd_opt(2026, 3, 5))],
            ],
        };
        let bytes = xlsx(&[table]).unwrap();
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("summary").unwrap();
        assert_eq!(range.get_value((2, 1)), Some(&Data::Float(42.0)));
        assert!(
            matches!(range.get_value((3, 1)), Some(Data::DateTime(_))),
            "{:?}",
            range.get_value((3, 1))
        );
    }
}
