//! The cases of a subtree as a FHIR bundle, read in batches of
//! [`FHIR_BATCH`] cases ordered by person and then case (so that a person
//! with several cases is written as one `Patient`, see
//! `cordon_core::fhir`): per batch one query for the cases, one for their
//! reports and one for their contacts.

use std::collections::HashMap;

use cordon_core::export::{CaseLine, ContactLine, ExportFilter};
use cordon_core::fhir::{BundleWriter, CaseRecord};
use cordon_core::jurisdiction::NodePath;
use cordon_core::report::Report;
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use super::rows::{self, CaseLineRow, ContactLineRow, Param};
use crate::db::subtree;
use crate::error::Result;
use crate::reports::{REPORT_COLUMNS, ReportRow};
use crate::views::{placeholders, rows_for};
use crate::{Store, exec};

/// Cases per batch of a bundle (each comes with its reports and contacts).
pub const FHIR_BATCH: i64 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Opening,
    Entries,
    Closing,
    Done,
}

/// Reads a FHIR bundle of cases batch by batch, each written as JSON text.
#[derive(Debug)]
pub struct FhirReader {
    store: Store,
    params: Vec<Param>,
    after: Option<(Uuid, Uuid)>,
    writer: BundleWriter,
    stage: Stage,
    id: Uuid,
    at: Timestamp,
    cases: u64,
}

impl FhirReader {
    /// The next piece of the bundle: its opening with the entries of the
    /// first batch of cases, the entries of each next batch, its end; `None`
    /// once it is all written.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>> {
        match self.stage {
            Stage::Opening => {
                self.stage = Stage::Entries;
                let mut chunk = BundleWriter::open(self.id, self.at);
                chunk.extend(self.entries().await?);
                Ok(Some(chunk))
            }
            Stage::Entries => Ok(Some(self.entries().await?)),
            Stage::Closing => {
                self.stage = Stage::Done;
                Ok(Some(BundleWriter::close().to_vec()))
            }
            Stage::Done => Ok(None),
        }
    }

    /// The entries of the next batch of cases; the last batch (shorter than
    /// [`FHIR_BATCH`]) leaves only the bundle's end to write.
    async fn entries(&mut self) -> Result<Vec<u8>> {
        let records = self.store.case_records(&self.params, self.after, FHIR_BATCH).await?;
        if i64::try_from(records.len()).unwrap_or(i64::MAX) < FHIR_BATCH {
            self.stage = Stage::Closing;
        }
        self.after = records.last().map(|r| (r.line.case.person_id, r.line.case.id)).or(self.after);
        self.cases += records.len() as u64;
        Ok(self.writer.entries(&records))
    }

    /// How many cases were written so far.
    #[must_use]
    pub fn cases(&self) -> u64 {
        self.cases
    }
}

impl Store {
    /// Opens the FHIR bundle (with id `id`, made at `at`) of the cases of
    /// the subtree at `path` that `filter` selects, as the case line list
    /// selects them.
    pub async fn fhir_bundle(&self, path: &NodePath, filter: &ExportFilter, id: Uuid, at: Timestamp) -> Result<FhirReader> {
        let (from, until) = self.opened_between(filter).await?;
        let params = vec![
            Param::Text(Some(subtree(path))),
            Param::Int(from),
            Param::Int(until),
            Param::Text(filter.status.map(|s| s.as_str().to_owned())),
        ];
        Ok(FhirReader {
            store: self.clone(),
            params,
            after: None,
            writer: BundleWriter::default(),
            stage: Stage::Opening,
            id,
            at,
            cases: 0,
        })
    }

    /// Up to `limit` cases past the (person, case) `after`, ordered by
    /// person then case, each with its reports and contacts: three queries.
    async fn case_records(&self, params: &[Param], after: Option<(Uuid, Uuid)>, limit: i64) -> Result<Vec<CaseRecord>> {
        let n = params.len();
        let past = if after.is_some() {
            format!(" AND (c.person_id > ${p} OR (c.person_id = ${p} AND c.id > ${i}))", p = n + 2, i = n + 3)
        } else {
            String::new()
        };
        let sql = format!("{}{past} ORDER BY c.person_id, c.id LIMIT ${}", rows::CASES, n + 1);
        let found: Vec<CaseLineRow> = self
            .read(async |c| {
                Ok(exec!(
                    c,
                    {
                        let mut q = sqlx::query_as(AssertSqlSafe(sql.as_str()));
                        for param in params {
                            q = match param {
                                Param::Text(text) => q.bind(text.clone()),
                                Param::Int(number) => q.bind(*number),
                            };
                        }
                        q = q.bind(limit);
                        match after {
                            Some((person, case)) => q.bind(person).bind(case),
                            None => q,
                        }
                    },
                    fetch_all
                )?)
            })
            .await?;
        let lines = found.into_iter().map(CaseLine::try_from).collect::<Result<Vec<_>>>()?;
        if lines.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<Uuid> = lines.iter().map(|l| l.case.id).collect();
        let marks = placeholders(1, ids.len());
        let reports: Vec<ReportRow> =
            rows_for(self, &format!("SELECT {REPORT_COLUMNS} FROM reports WHERE case_id IN ({marks}) ORDER BY received_at, id"), &ids)
                .await?;
        let mut reports_of: HashMap<Uuid, Vec<Report>> = HashMap::new();
        for report in reports {
            let report = Report::try_from(report)?;
            if let Some(case) = report.case_id {
                reports_of.entry(case).or_default().push(report);
            }
        }
        let contacts: Vec<ContactLineRow> =
            rows_for(self, &format!("{} WHERE k.case_id IN ({marks}) ORDER BY k.listed_at, k.id", rows::CONTACTS), &ids).await?;
        let mut contacts_of: HashMap<Uuid, Vec<ContactLine>> = HashMap::new();
        for contact in contacts {
            let contact = ContactLine::try_from(contact)?;
            contacts_of.entry(contact.contact.case_id).or_default().push(contact);
        }
        Ok(lines
            .into_iter()
            .map(|line| {
                let id = line.case.id;
                CaseRecord {
                    reports: reports_of.remove(&id).unwrap_or_default(),
                    contacts: contacts_of.remove(&id).unwrap_or_default(),
                    line,
                }
            })
            .collect())
    }
}
