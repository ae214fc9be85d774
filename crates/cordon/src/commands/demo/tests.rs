//! The demo built through the store: every table filled, the same history
//! for the same seed whatever the hour, and opened again from its record.

use super::*;
use cordon_store::audit::Table;

async fn empty_store(dir: &tempfile::TempDir, name: &str) -> Store {
    Store::open(&format!("sqlite://{}", dir.path().join(name).display())).await.unwrap()
}

fn small(days: u32, seed: u64) -> Plan {
    Plan { seed, scale: ScaleArg::Small, days, speed: 60.0 }
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_demo_fills_every_table_through_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = empty_store(&dir, "demo.db").await;
    store.set_bulk_loading(true).await.unwrap();
    let (live, built) = build(&store, &small(40, 2), Timestamp::now()).await.unwrap();
    store.set_bulk_loading(false).await.unwrap();
    let tables = [
        Table::Reports,
        Table::DailyReports,
        Table::Cases,
        Table::Tasks,
        Table::Persons,
        Table::Escalations,
        Table::Audit,
        Table::Users,
        Table::Nodes,
        Table::Shifts,
    ];
    for table in tables {
        assert!(store.count(table).await.unwrap() > 0, "{table:?} is empty");
    }
    let fed = live.feeder.fed;
    assert_eq!(u64::try_from(store.count(Table::Reports).await.unwrap()), Ok(fed.reports));
    assert_eq!(u64::try_from(store.count(Table::Shifts).await.unwrap()), Ok(built.shifts));
    assert_eq!(usize::try_from(store.count(Table::Nodes).await.unwrap()), Ok(live.world.country.areas.len()));
    assert!(fed.acknowledged > 0 && fed.confirmed > 0 && fed.discarded > 0 && fed.escalated > 0 && fed.silent > 0, "{fed:?}");
    assert!(fed.contacts > 0 && fed.visits > 0 && fed.arrivals > 0, "{fed:?}");
    let root = store.root_node().await.unwrap().unwrap();
    // The watch abroad: the real neighbours' series, watched, Japan above its
    // threshold; their 2021 days too old to count for today's alert levels.
    let watched: Vec<String> = store.watch_list().await.unwrap().into_iter().map(|w| w.location).collect();
    assert_eq!(watched, ["Japan", "Mongolia", "South Korea"]);
    let alerts = store.abroad_alerts(10).await.unwrap();
    assert!(alerts.iter().any(|a| a.location == "Japan") && alerts.iter().all(|a| a.location != "Mongolia"), "{alerts:?}");
    assert_eq!(store.neighbours_incidence(jiff::civil::date(2026, 1, 1)).await.unwrap(), None);
    // The measures: issued as directives, acknowledged by most units, some
    // late or never (escalated), gatherings refused under the limit, rumours.
    assert!(live.sim.measures_from().is_some_and(|d| d < 40), "the outbreak calls for measures within 40 days");
    assert_eq!(fed.directives, 4, "{fed:?}");
    assert!(fed.unacknowledged > 0 && fed.gatherings > fed.gatherings_refused && fed.gatherings_refused > 0, "{fed:?}");
    assert!(fed.rumours > 0, "{fed:?}");
    let issued = store.directives_under(&root.path, 10).await.unwrap();
    let coverage = store.directive_coverage(&issued[0]).await.unwrap();
    assert!(coverage[0].acknowledged > coverage[0].units / 2 && coverage[0].pending() > 0, "{coverage:?}");
    assert!(!store.gathering_clusters(&root.path, 5).await.unwrap().is_empty(), "investigations name gatherings");
    assert_eq!(store.boundaries_under(&root.path, Some(4)).await.unwrap().len(), live.world.country.units.len());
    // The quarantine side: orders, contacts handed over, arrivals, investigations.
    let all = cordon_store::orders::OrderFilter { path: root.path.clone(), in_force: false, status: None };
    let first = cordon_store::paging::PageRequest::first(10);
    assert!(store.orders_page(&all, &first).await.unwrap().total > 0);
    assert!(store.arrivals_page(&root.path, &cordon_store::paging::PageRequest::first(10)).await.unwrap().total > 0);
    assert!(store.handovers_page(&root.path, &cordon_store::paging::PageRequest::first(10)).await.unwrap().total > 0);
    let confirmed = store.cases_under(&root.path, Some(cordon_core::case::CaseStatus::Confirmed), 1).await.unwrap();
    assert!(store.investigation(confirmed[0].id).await.unwrap().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_seed_gives_the_same_history_at_any_hour_of_any_day() {
    let dir = tempfile::tempdir().unwrap();
    let mut histories = Vec::new();
    // 08:30 and 23:50 in Seoul on one day, and a morning two weeks later.
    for (i, now) in ["2026-12-06T23:30:00Z", "2026-12-07T14:50:00Z", "2026-12-21T00:05:00Z"].into_iter().enumerate() {
        let store = empty_store(&dir, &format!("d{i}.db")).await;
        let (live, built) = build(&store, &small(21, 3), at(now)).await.unwrap();
        assert_eq!(
            u64::try_from(store.count(Table::Reports).await.unwrap()),
            Ok(live.feeder.fed.reports),
            "today's reports are stored too"
        );
        histories.push((built.history, built.totals));
        store.close().await;
    }
    assert!(histories[0].0.reports > 0, "{:?}", histories[0]);
    assert_eq!(format!("{:?}", histories[0]), format!("{:?}", histories[1]), "the hour changes nothing");
    assert_eq!(format!("{:?}", histories[0]), format!("{:?}", histories[2]), "nor does the date");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_demo_is_recorded_and_opened_again_with_its_staff_and_outbreak() {
    let dir = tempfile::tempdir().unwrap();
    let store = empty_store(&dir, "demo.db").await;
    let now = at("2026-12-06T03:00:00Z");
    let built = build_and_record(&store, &small(14, 4), now).await.unwrap();
    let record = DemoRecord::load(&store).await.unwrap().expect("the finished demo is recorded");
    assert_eq!((record.seed, record.scale.as_str(), record.days), (4, "small", 14));
    let later = at("2026-12-08T05:00:00Z");
    let reopened = reopen::reopen(&store, &record, later, 60.0).await.unwrap();
    assert_eq!(reopened.world.accounts.len(), built.world.accounts.len(), "every account is found again");
    assert_eq!(reopened.world.heads.len(), built.world.heads.len());
    assert_eq!(reopened.world.entries.len(), built.world.entries.len());
    assert_eq!(reopened.sim.day(), 17, "the outbreak is simulated up to the new today (day 16) and stepped into it");
    assert!(reopened.rostered_until >= jiff::civil::date(2026, 12, 9), "the rosters built ahead are found");
}
