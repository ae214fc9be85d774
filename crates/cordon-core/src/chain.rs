//! Transmission chains as a graph: cases and contacts as nodes, "infected"
//! and "exposed" as edges.
//!
//! The graph is built from what the store found around a case; nodes outside
//! the viewer's jurisdiction are kept (so the shape of the chain is honest)
//! but carry nothing but their kind.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::case::CaseStatus;
use crate::jurisdiction::NodePath;

/// A case in the chain, as the store found it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainCase {
    /// The case.
    pub id: Uuid,
    /// Its person.
    pub person_id: Uuid,
    /// Its classification.
    pub status: CaseStatus,
    /// Where it was reported.
    pub path: NodePath,
    /// The case it came from, when known.
    pub source_case_id: Option<Uuid>,
}

/// A contact in the chain, as the store found it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainContact {
    /// The contact record.
    pub id: Uuid,
    /// The case they were exposed to.
    pub case_id: Uuid,
    /// The contact person.
    pub person_id: Uuid,
    /// Where they live.
    pub path: NodePath,
    /// The case they became, if any.
    pub became_case_id: Option<Uuid>,
}

/// Kind of graph node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChainNodeKind {
    /// A case.
    Case,
    /// A contact who has not become a case.
    Contact,
}

/// A node of the chain graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ChainNode {
    /// The case id or the contact record id.
    pub id: Uuid,
    /// Case or contact.
    pub kind: ChainNodeKind,
    /// The person (absent outside your jurisdiction).
    pub person_id: Option<Uuid>,
    /// The case's classification (cases only; absent outside your jurisdiction).
    pub status: Option<CaseStatus>,
    /// Where (absent outside your jurisdiction).
    pub path: Option<NodePath>,
    /// Whether the node lies outside your jurisdiction and is redacted.
    pub redacted: bool,
}

/// Kind of graph edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChainEdgeKind {
    /// The source case infected the target case.
    Infected,
    /// The target contact was exposed to the source case.
    Exposed,
}

/// An edge of the chain graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChainEdge {
    /// From (a case).
    pub from: Uuid,
    /// To (a case or a contact).
    pub to: Uuid,
    /// What the edge means.
    pub kind: ChainEdgeKind,
}

/// A transmission chain.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Chain {
    /// Cases and contacts.
    pub nodes: Vec<ChainNode>,
    /// Infections and exposures.
    pub edges: Vec<ChainEdge>,
}

/// Builds the graph for a viewer anchored at `viewer`. A contact who became a
/// case appears as that case, linked by an "infected" edge.
#[must_use]
pub fn build(cases: &[ChainCase], contacts: &[ChainContact], viewer: &NodePath) -> Chain {
    let mut chain = Chain::default();
    let mut case_ids: Vec<Uuid> = cases.iter().map(|c| c.id).collect();
    case_ids.sort();
    for c in cases {
        let visible = viewer.contains(&c.path);
        chain.nodes.push(ChainNode {
            id: c.id,
            kind: ChainNodeKind::Case,
            person_id: visible.then_some(c.person_id),
            status: visible.then_some(c.status),
            path: visible.then(|| c.path.clone()),
            redacted: !visible,
        });
        if let Some(source) = c.source_case_id.filter(|s| case_ids.binary_search(s).is_ok()) {
            chain.edges.push(ChainEdge { from: source, to: c.id, kind: ChainEdgeKind::Infected });
        }
    }
    for k in contacts {
        if let Some(became) = k.became_case_id {
            let known = chain.edges.iter().any(|e| e.from == k.case_id && e.to == became);
            if !known && case_ids.binary_search(&became).is_ok() {
                chain.edges.push(ChainEdge { from: k.case_id, to: became, kind: ChainEdgeKind::Infected });
            }
            continue;
        }
        let visible = viewer.contains(&k.path);
        chain.nodes.push(ChainNode {
            id: k.id,
            kind: ChainNodeKind::Contact,
            person_id: visible.then_some(k.person_id),
            status: None,
            path: visible.then(|| k.path.clone()),
            redacted: !visible,
        });
        chain.edges.push(ChainEdge { from: k.case_id, to: k.id, kind: ChainEdgeKind::Exposed });
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_who_became_a_case_is_an_infection_and_others_are_redacted_outside() {
        let p1 = NodePath::root("KR").child("P1");
        let p2 = NodePath::root("KR").child("P2");
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let cases = [
            ChainCase { id: a, person_id: Uuid::from_u128(10), status: CaseStatus::Confirmed, path: p1.clone(), source_case_id: None },
            ChainCase { id: b, person_id: Uuid::from_u128(11), status: CaseStatus::Suspected, path: p1.clone(), source_case_id: Some(a) },
        ];
        let contacts = [
            ChainContact { id: Uuid::from_u128(20), case_id: a, person_id: Uuid::from_u128(11), path: p1.clone(), became_case_id: Some(b) },
            ChainContact { id: Uuid::from_u128(21), case_id: a, person_id: Uuid::from_u128(12), path: p2.clone(), became_case_id: None },
        ];
        let chain = build(&cases, &contacts, &p1);
        assert_eq!(chain.nodes.len(), 3);
        assert_eq!(chain.edges.iter().filter(|e| e.kind == ChainEdgeKind::Infected).count(), 1, "one infection edge, not two");
        let outside = chain.nodes.iter().find(|n| n.id == Uuid::from_u128(21)).unwrap();
        assert!(outside.redacted && outside.person_id.is_none() && outside.path.is_none());
    }
}
