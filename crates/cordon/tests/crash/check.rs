//! What the crash loop left in the database, read with plain SQL after the
//! last kill: every acknowledged report stored exactly once, nothing else
//! stored, and nothing half-written.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

/// The database, whichever it is.
enum Pool {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// Runs the same query on either database and collects its rows as `$row`.
macro_rules! rows {
    ($pool:expr, $row:ty, $sql:expr) => {
        match $pool {
            Pool::Sqlite(p) => sqlx::query_as::<_, $row>($sql).fetch_all(p).await.unwrap(),
            Pool::Postgres(p) => sqlx::query_as::<_, $row>($sql).fetch_all(p).await.unwrap(),
        }
    };
}

/// How many times each key occurs.
fn tally<K: std::hash::Hash + Eq>(keys: impl IntoIterator<Item = K>) -> HashMap<K, usize> {
    let mut counts = HashMap::new();
    for key in keys {
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}

/// Checks the database at `db` against the `acknowledged` report ids and
/// answers how many of them were found, each stored once and whole.
pub async fn check(db: &str, acknowledged: &[Uuid]) -> usize {
    let pool = if db.starts_with("sqlite:") {
        Pool::Sqlite(sqlx::SqlitePool::connect(db).await.unwrap())
    } else {
        Pool::Postgres(sqlx::PgPool::connect(db).await.unwrap())
    };
    let reports = rows!(&pool, (Uuid, Option<Uuid>), "SELECT id, case_id FROM reports");
    let cases = rows!(&pool, (Uuid, Uuid), "SELECT id, person_id FROM cases");
    let audit = rows!(&pool, (String, String), "SELECT action, entity_id FROM audit");
    let events = rows!(&pool, (String, Uuid), "SELECT kind, entity_id FROM events");
    let tasks = rows!(&pool, (Uuid, Option<Uuid>), "SELECT id, case_id FROM tasks WHERE kind = 'investigation'");
    let escalations = rows!(&pool, (Option<Uuid>,), "SELECT task_id FROM escalations");
    match pool {
        Pool::Sqlite(p) => p.close().await,
        Pool::Postgres(p) => p.close().await,
    }

    let acknowledged_set: HashSet<Uuid> = acknowledged.iter().copied().collect();
    assert_eq!(acknowledged_set.len(), acknowledged.len(), "each id was acknowledged once by the client that sent it");
    let stored = tally(reports.iter().map(|(id, _)| *id));
    for id in acknowledged {
        assert_eq!(stored.get(id), Some(&1), "acknowledged report {id} is stored exactly once");
    }
    let strays: Vec<_> = stored.keys().filter(|id| !acknowledged_set.contains(id)).collect();
    assert!(strays.is_empty(), "reports stored that no client saw acknowledged (every id was resent until answered): {strays:?}");

    let audited = tally(audit.iter().map(|(action, id)| (action.as_str(), id.clone())));
    let emitted = tally(events.iter().map(|(kind, id)| (kind.as_str(), *id)));
    let case_ids: HashSet<Uuid> = cases.iter().map(|(id, _)| *id).collect();
    for (id, case_id) in &reports {
        assert_eq!(audited.get(&("report.create", id.to_string())), Some(&1), "report {id} has its audit record");
        assert_eq!(emitted.get(&("report_received", *id)), Some(&1), "report {id} has its event");
        let case_id = case_id.unwrap_or_else(|| panic!("fever report {id} opened or joined a case"));
        assert!(case_ids.contains(&case_id), "report {id}'s case {case_id} is stored");
    }

    let people = tally(cases.iter().map(|(_, person)| *person));
    assert!(people.values().all(|&n| n == 1), "one case per resident, whichever report came first: {people:?}");
    let task_of_case: HashMap<Uuid, Uuid> = tasks.iter().filter_map(|(task, case)| case.map(|c| (c, *task))).collect();
    assert_eq!(task_of_case.len(), tasks.len(), "one investigation task per case");
    let escalated = tally(escalations.iter().filter_map(|(task,)| *task));
    for case in &case_ids {
        assert_eq!(audited.get(&("case.open", case.to_string())), Some(&1), "case {case} has its audit record");
        assert_eq!(emitted.get(&("case_opened", *case)), Some(&1), "case {case} has its event");
        let task = task_of_case.get(case).unwrap_or_else(|| panic!("case {case} has its investigation task"));
        assert_eq!(audited.get(&("task.assign", task.to_string())), Some(&1), "task {task} has its audit record");
        assert_eq!(escalated.get(task), Some(&1), "task {task}, with nobody on call, was escalated once");
    }
    let joins: usize = audit.iter().filter(|(action, _)| action == "case.update").count();
    assert_eq!(joins, reports.len() - cases.len(), "every report after a case's first joined it, with its audit record");
    acknowledged.len()
}
