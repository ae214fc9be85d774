//! Transmission chains: walks source links and contacts from a case to the
//! whole cluster, then lets the core build (and redact) the graph.

use std::collections::{HashMap, HashSet, VecDeque};

use cordon_core::chain::{self, Chain, ChainCase, ChainContact};
use cordon_core::jurisdiction::NodePath;
use uuid::Uuid;

use crate::Store;
use crate::cases::case_by_id;
use crate::contacts::{contacts_naming, contacts_of};
use crate::error::Result;
use crate::exec;

/// The most cases a chain walk visits.
const MAX_CASES: usize = 2000;

impl Store {
    /// The transmission chain of the cluster containing `case_id`, as seen
    /// from `viewer` (nodes outside it are redacted).
    pub async fn chain(&self, case_id: Uuid, viewer: &NodePath) -> Result<Chain> {
        self.read(async |c| {
            let mut cases: HashMap<Uuid, ChainCase> = HashMap::new();
            let mut contacts: HashMap<Uuid, ChainContact> = HashMap::new();
            let mut queue = VecDeque::from([case_id]);
            let mut seen = HashSet::new();
            while let Some(id) = queue.pop_front() {
                if !seen.insert(id) || seen.len() > MAX_CASES {
                    continue;
                }
                let Some(case) = case_by_id(c, id).await? else { continue };
                if let Some(source) = case.source_case_id {
                    queue.push_back(source);
                }
                let children: Vec<Uuid> =
                    exec!(c, sqlx::query_scalar("SELECT id FROM cases WHERE source_case_id = $1").bind(id), fetch_all)?;
                queue.extend(children);
                for k in contacts_of(c, id).await? {
                    if let Some(became) = k.became_case_id {
                        queue.push_back(became);
                    }
                    contacts.insert(
                        k.id,
                        ChainContact {
                            id: k.id,
                            case_id: k.case_id,
                            person_id: k.person_id,
                            path: k.person_path,
                            became_case_id: k.became_case_id,
                        },
                    );
                }
                for k in contacts_naming(c, case.person_id).await? {
                    queue.push_back(k.case_id);
                }
                cases.insert(
                    id,
                    ChainCase {
                        id,
                        person_id: case.person_id,
                        status: case.status,
                        path: case.unit_path,
                        source_case_id: case.source_case_id,
                    },
                );
            }
            let mut cases: Vec<ChainCase> = cases.into_values().collect();
            cases.sort_by_key(|c| c.id);
            let mut contacts: Vec<ChainContact> = contacts.into_values().collect();
            contacts.sort_by_key(|c| c.id);
            Ok(chain::build(&cases, &contacts, viewer))
        })
        .await
    }
}
