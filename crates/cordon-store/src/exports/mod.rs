//! Exports of the line lists (CSV) and of the cases as FHIR bundles, read
//! in keyset batches so that an export of any size is served in the memory
//! of one batch, and the audit record every export leaves.
//!
//! [`Store::line_list`] opens a [`LineListReader`]; each
//! [`LineListReader::next_chunk`] reads one batch (one query, [`BATCH`]
//! rows, see [`rows`]) and gives it written as CSV, the header before the
//! first. [`Store::fhir_bundle`] opens a [`FhirReader`] that does the same
//! for a FHIR bundle of cases (`fhir`). The server streams the chunks as
//! they come; `cordon export` writes them to a file or standard output.

mod fhir;
mod rows;

use cordon_core::export::{BATCH, CaseLine, ContactLine, ExportFilter, Exported, Line, LineList, OrderLine, ReportLine, csv_chunk};
use cordon_core::jurisdiction::NodePath;
use jiff::Timestamp;
use uuid::Uuid;

pub use fhir::FhirReader;

use crate::Store;
use crate::db::{micros, subtree};
use crate::error::{Result, StoreError};
use rows::{CaseLineRow, ContactLineRow, OrderLineRow, Param, ReportLineRow};

/// Reads a line list batch by batch, each written as CSV.
#[derive(Debug)]
pub struct LineListReader {
    store: Store,
    list: LineList,
    params: Vec<Param>,
    after: Option<Uuid>,
    header_written: bool,
    done: bool,
    rows: u64,
}

impl LineListReader {
    /// The next batch as CSV (the header before the first batch, alone when
    /// the list is empty); `None` once the list is read.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>> {
        if self.done {
            return Ok(None);
        }
        let (chunk, read, last) = match self.list {
            LineList::Cases => self.batch::<CaseLineRow, CaseLine>(rows::CASES, "c.id", |l| l.case.id).await?,
            LineList::Reports => self.batch::<ReportLineRow, ReportLine>(rows::REPORTS, "r.id", |l| l.report.id).await?,
            LineList::Contacts => {
                let select = format!("{}{}", rows::CONTACTS, rows::CONTACTS_WHERE);
                self.batch::<ContactLineRow, ContactLine>(&select, "k.id", |l| l.contact.id).await?
            }
            LineList::Orders => self.batch::<OrderLineRow, OrderLine>(rows::ORDERS, "o.id", |l| l.order.id).await?,
        };
        self.header_written = true;
        self.rows += read as u64;
        self.done = i64::try_from(read).unwrap_or(i64::MAX) < BATCH;
        self.after = last.or(self.after);
        Ok(Some(chunk))
    }

    /// How many rows were read so far.
    #[must_use]
    pub fn rows(&self) -> u64 {
        self.rows
    }

    async fn batch<R, L>(&self, select: &str, key: &str, id: impl Fn(&L) -> Uuid) -> Result<(Vec<u8>, usize, Option<Uuid>)>
    where
        R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
        L: Line + TryFrom<R, Error = StoreError>,
    {
        let rows: Vec<R> = self.store.rows_past(select, key, &self.params, self.after, BATCH).await?;
        let lines = rows.into_iter().map(L::try_from).collect::<Result<Vec<L>>>()?;
        let chunk = csv_chunk(&lines, !self.header_written).map_err(|e| StoreError::Export(e.to_string()))?;
        Ok((chunk, lines.len(), lines.last().map(id)))
    }
}

impl Store {
    /// Opens the line list `list` of the subtree at `path`, with `filter`
    /// (checked by the caller): the days select the rows as
    /// [`LineList::days_select`] says, case days in the authority's time zone.
    pub async fn line_list(&self, list: LineList, path: &NodePath, filter: &ExportFilter) -> Result<LineListReader> {
        let day = |d: Option<jiff::civil::Date>| Param::Text(d.map(|d| d.to_string()));
        let mut params = vec![Param::Text(Some(subtree(path)))];
        match list {
            LineList::Cases => {
                let (from, until) = self.opened_between(filter).await?;
                params.extend([Param::Int(from), Param::Int(until), Param::Text(filter.status.map(|s| s.as_str().to_owned()))]);
            }
            LineList::Reports | LineList::Contacts | LineList::Orders => params.extend([day(filter.from), day(filter.to)]),
        }
        Ok(LineListReader { store: self.clone(), list, params, after: None, header_written: false, done: false, rows: 0 })
    }

    /// The instants (µs) from the start of the filter's first day to the
    /// start of the day after its last, in the authority's time zone.
    pub(crate) async fn opened_between(&self, filter: &ExportFilter) -> Result<(Option<i64>, Option<i64>)> {
        if filter.from.is_none() && filter.to.is_none() {
            return Ok((None, None));
        }
        let settings = self.settings().await?;
        let from = filter.from.map(|d| micros(settings.local_instant(d, 0)));
        let until = filter.to.and_then(|d| d.tomorrow().ok()).map(|d| micros(settings.local_instant(d, 0)));
        Ok((from, until))
    }

    /// Writes the audit record of an export: who (`None`: an operator at the
    /// command line), which list and format, of which node, with which filter.
    pub async fn record_export(&self, actor: Option<Uuid>, exported: &Exported, now: Timestamp) -> Result<()> {
        let action = format!("export.{}", exported.list);
        self.write(async |tx| tx.audit(now, actor, &action, &exported.node, None::<&()>, Some(exported)).await).await
    }
}
