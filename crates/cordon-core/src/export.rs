//! Line lists for export: cases, symptom reports, contacts and isolation or
//! quarantine orders of a subtree, one row each, with the person fields a
//! follow-up team needs (name, sex, birth year, phone, address) and where
//! they are (unit code, name and path).
//!
//! The store loads the rows in keyset-ordered batches ([`lines`] holds one
//! type per list); this module names the lists, checks the filters an export
//! is asked with, and writes batches as CSV ([`csv_chunk`]): a documented,
//! stable header (see docs/EXPORTS.md) written once, then the rows. The
//! server streams each chunk as it is written and `cordon export` writes it
//! to a file, so an export of a million rows takes the memory of one batch.

pub mod lines;

use std::fmt::Write;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::refusal::{Reason, Unit};
use crate::validation::{Invalid, Problems};

pub use lines::{CaseLine, ContactLine, InvestigationTask, Line, OrderLine, PersonFields, Place, ReportLine};

/// The rows a store query reads per batch: small enough that a batch's
/// memory does not matter, large enough that the queries' cost does not.
pub const BATCH: i64 = 1000;

/// Which line list an export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineList {
    /// Cases with their classification, investigation, sample and contacts.
    Cases,
    /// Symptom reports.
    Reports,
    /// Contacts of cases, with their quarantine order.
    Contacts,
    /// Isolation and quarantine orders.
    Orders,
}

impl LineList {
    /// Every list, in the order the download page shows them.
    pub const ALL: [LineList; 4] = [LineList::Cases, LineList::Reports, LineList::Contacts, LineList::Orders];

    /// The list's name (`cases`), as the API paths and the CLI name it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            LineList::Cases => "cases",
            LineList::Reports => "reports",
            LineList::Contacts => "contacts",
            LineList::Orders => "orders",
        }
    }

    /// Parses a list's name.
    #[must_use]
    pub fn parse(s: &str) -> Option<LineList> {
        LineList::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The CSV header of the list.
    #[must_use]
    pub fn header(self) -> &'static [&'static str] {
        match self {
            LineList::Cases => CaseLine::HEADER,
            LineList::Reports => ReportLine::HEADER,
            LineList::Contacts => ContactLine::HEADER,
            LineList::Orders => OrderLine::HEADER,
        }
    }

    /// What the `from`/`to` days of an export select in this list.
    #[must_use]
    pub fn days_select(self) -> &'static str {
        match self {
            LineList::Cases => "the day the case was opened (local)",
            LineList::Reports => "the report day (local)",
            LineList::Contacts => "the day of last exposure",
            LineList::Orders => "orders in force on any of the days",
        }
    }

    /// The file name an export of this list is offered under (see [`file_name`]).
    #[must_use]
    pub fn file_name(self, node_code: &str, filter: &ExportFilter, extension: &str) -> String {
        file_name(self.as_str(), node_code, filter, extension)
    }
}

/// The file name an export is offered under: what it holds, the node and
/// the days, `cases_P1_from_2026-11-01_to_2026-11-30.csv`; characters other
/// than letters, digits, `-` and `.` in the code become `_`.
#[must_use]
pub fn file_name(what: &str, node_code: &str, filter: &ExportFilter, extension: &str) -> String {
    let code: String = node_code.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' }).collect();
    let mut name = format!("{what}_{code}");
    if let Some(from) = filter.from {
        let _ = write!(name, "_from_{from}");
    }
    if let Some(to) = filter.to {
        let _ = write!(name, "_to_{to}");
    }
    let _ = write!(name, ".{extension}");
    name
}

/// The filters an export is asked with (beside the subtree).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ExportFilter {
    /// First day (see [`LineList::days_select`]).
    pub from: Option<Date>,
    /// Last day.
    pub to: Option<Date>,
    /// Only cases of this classification (the case list only).
    pub status: Option<crate::case::CaseStatus>,
}

impl ExportFilter {
    /// Checks the days: `to` may not come before `from`.
    pub fn check(self) -> Result<ExportFilter, Invalid> {
        let mut p = Problems::default();
        if let (Some(from), Some(to)) = (self.from, self.to)
            && to < from
        {
            p.add("to", Reason::NotBefore { day: from });
        }
        p.finish(self)
    }
}

/// The format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Comma-separated values, one row per record.
    Csv,
    /// A FHIR R4 JSON bundle.
    Fhir,
    /// A GeoJSON feature collection.
    Geojson,
}

/// What an export was, as its audit record keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    /// What was exported: a line list's name, or `jurisdictions`.
    pub list: &'static str,
    /// In which format.
    pub format: ExportFormat,
    /// The code of the node whose subtree it holds.
    pub node: String,
    /// That node's path.
    pub path: String,
    /// The days and classification asked for.
    pub filter: ExportFilter,
    /// How many levels below the node (maps of the tree).
    pub depth: Option<i64>,
    /// The day of the figures (maps of the tree).
    pub date: Option<Date>,
    /// Through what: `api` (the server, including its download page) or
    /// `cli` (`cordon export`).
    pub via: &'static str,
}

/// The deepest a jurisdiction map export reaches below its node.
pub const MAX_DEPTH: i64 = 3;

/// Checks the levels a map export asks for below its node: 1 to [`MAX_DEPTH`]
/// (1 when not given).
pub fn check_depth(depth: Option<i64>) -> Result<i64, Invalid> {
    let depth = depth.unwrap_or(1);
    let mut p = Problems::default();
    if !(1..=MAX_DEPTH).contains(&depth) {
        p.add("depth", Reason::Between { min: 1.0, max: MAX_DEPTH as f64, unit: Unit::Number });
    }
    p.finish(depth)
}

/// Writes `rows` as CSV, after the list's header when `header` is set. A
/// field that could start a formula in a spreadsheet (`=`, `+`, `-`, `@`)
/// is written as text, quoted with a leading `'`.
pub fn csv_chunk<L: Line>(rows: &[L], header: bool) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::with_capacity(rows.len() * 160 + 512));
    if header {
        writer.write_record(L::HEADER)?;
    }
    let mut record = Vec::with_capacity(L::HEADER.len());
    for row in rows {
        record.clear();
        row.record(&mut record);
        for field in &record {
            writer.write_field(defused(field).as_ref())?;
        }
        writer.write_record(None::<&[u8]>)?;
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// A field as written to the CSV: free text that a spreadsheet would read as
/// a formula (`=`, `+`, `-`, `@` first) gets a leading `'`; numbers and
/// dates never start with one of those but `-`, and a negative number
/// stays as it is.
fn defused(field: &str) -> std::borrow::Cow<'_, str> {
    let risky = field.starts_with(['=', '+', '@', '\t', '\r']) || (field.starts_with('-') && field.parse::<f64>().is_err());
    if risky { std::borrow::Cow::Owned(format!("'{field}")) } else { std::borrow::Cow::Borrowed(field) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn lists_read_back_their_names() {
        for list in LineList::ALL {
            assert_eq!(LineList::parse(list.as_str()), Some(list));
            assert!(!list.header().is_empty());
            assert_eq!(serde_json::to_value(list).unwrap(), list.as_str());
        }
        assert_eq!(LineList::parse("persons"), None);
    }

    #[test]
    fn days_in_the_wrong_order_are_refused_on_to() {
        let bad = ExportFilter { from: Some(date(2026, 11, 20)), to: Some(date(2026, 11, 1)), status: None };
        let invalid = bad.check().unwrap_err();
        assert_eq!(invalid.errors[0].field, "to");
        let good = ExportFilter { from: Some(date(2026, 11, 1)), to: Some(date(2026, 11, 1)), status: None };
        assert_eq!(good.check(), Ok(good));
    }

    #[test]
    fn the_depth_is_one_to_three() {
        assert_eq!(check_depth(None), Ok(1));
        assert_eq!(check_depth(Some(3)), Ok(3));
        for bad in [0, 4, -1] {
            assert_eq!(check_depth(Some(bad)).unwrap_err().errors[0].field, "depth");
        }
    }

    #[test]
    fn file_names_say_the_list_node_and_days() {
        let filter = ExportFilter { from: Some(date(2026, 11, 1)), to: None, status: None };
        assert_eq!(LineList::Cases.file_name("P1", &filter, "csv"), "cases_P1_from_2026-11-01.csv");
        assert_eq!(LineList::Orders.file_name("a/b\"c", &ExportFilter::default(), "csv"), "orders_a_b_c.csv");
    }

    #[test]
    fn a_chunk_reads_back_as_the_header_and_one_record_per_row() {
        let rows = [OneColumn("a,b"), OneColumn("=1"), OneColumn("")];
        let text = csv_chunk(&rows, true).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_slice());
        assert_eq!(reader.headers().unwrap(), vec!["value", "length"]);
        let records: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
        assert_eq!(records, [vec!["a,b", "3"], vec!["'=1", "2"], vec!["", "0"]]);
        assert!(!csv_chunk(&rows, false).unwrap().starts_with(b"value"));
    }

    struct OneColumn(&'static str);

    impl Line for OneColumn {
        const HEADER: &'static [&'static str] = &["value", "length"];
        fn record(&self, out: &mut Vec<String>) {
            out.extend([self.0.to_owned(), self.0.len().to_string()]);
        }
    }

    #[test]
    fn formulas_are_written_as_text_and_numbers_as_numbers() {
        assert_eq!(defused("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defused("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defused("-1.5"), "-1.5");
        assert_eq!(defused("-x"), "'-x");
        assert_eq!(defused("Kim"), "Kim");
    }
}
