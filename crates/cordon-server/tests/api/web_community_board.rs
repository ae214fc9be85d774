//! The community measures where they meet the rest: an investigation names
//! a registered gathering as exposure (checked in the transaction, on the
//! page and through the API) and the gathering shows on the board as a
//! cluster; an officer sets an alert level against the rules'
//! recommendation and reads its history, the board and the map show it; and
//! the store reads these pages added, on both databases.

use cordon_core::rumour::Category;
use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::web::{Browser, get_in_korean, location};
use crate::web_community::register_gathering;

on_both_backends!(
    an_investigation_names_a_gathering_and_the_board_shows_the_cluster,
    an_officer_sets_the_level_and_reads_its_history_on_the_board_and_the_map,
    the_store_reads_behind_the_community_pages,
);

/// Records `case`'s investigation through the API with these fields.
async fn investigate(app: &TestApp, case: &str, body: serde_json::Value) -> (StatusCode, serde_json::Value) {
    app.call("worker_c1", Method::PUT, &format!("/cases/{case}/investigation"), Some(body)).await
}

async fn an_investigation_names_a_gathering_and_the_board_shows_the_cluster(app: &TestApp) {
    let wedding = register_gathering(app, "reporter_u1", "U1", "Village hall", 9).await;
    let elsewhere = register_gathering(app, "reporter_u3", "U3", "Harbour market", 30).await;
    let first = app.case_in("reporter_u1", "U1", "Kang Min-ji").await;
    let second = app.case_in("reporter_u1", "U1", "Kang Ha-eun").await;

    let b = Browser::signed_in(app, "worker_c1").await;
    let path = format!("/cases/{first}/investigation");
    let (_, _, page) = b.get(&path).await;
    assert!(page.contains(&format!(r#"<option value="{wedding}">2026-11-23 18:00 · U1 · Village hall · wedding (9)</option>"#)), "{page}");
    assert!(!page.contains("Harbour market"), "another province's gatherings are not offered");
    let (status, _, page) = b.post(&path, &[("gathering_id", elsewhere.as_str())]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="gathering_id-error""#) && page.contains("not found"), "{page}");
    let (status, headers, _) = b.post(&path, &[("exposure_history", "wedding on Saturday"), ("gathering_id", wedding.as_str())]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, format!("/cases/{first}?saved=1").as_str()));
    let (_, _, page) = b.get(&path).await;
    assert!(page.contains(&format!(r#"<option value="{wedding}" selected>"#)), "the record names it: {page}");

    let (status, problem) = investigate(app, &second, json!({"gathering_id": elsewhere})).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("gathering_id")), "{problem}");
    assert_eq!(problem["errors"][0]["code"], "not_found");
    let (status, _) = investigate(app, &second, json!({"gathering_id": Uuid::new_v4()})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown gathering");
    let (status, recorded) = investigate(app, &second, json!({"gathering_id": wedding})).await;
    assert_eq!((status, recorded["investigation"]["gathering_id"].as_str()), (StatusCode::OK, Some(wedding.as_str())), "{recorded}");
    let (_, read) = app.get("worker_c1", &format!("/cases/{second}/investigation")).await;
    assert_eq!(read["gathering_id"].as_str(), Some(wedding.as_str()));

    let clusters = app.state.store.gathering_clusters(&app.node("P1").await.path, 10).await.unwrap();
    assert_eq!(clusters.iter().map(|c| (c.gathering.id.to_string(), c.cases)).collect::<Vec<_>>(), [(wedding.clone(), 2)]);
    assert!(app.state.store.gathering_clusters(&app.node("P2").await.path, 10).await.unwrap().is_empty());
    let (_, _, board) = Browser::signed_in(app, "p1_officer").await.get("/board").await;
    let panel = board.split(r#"id="board-clusters""#).nth(1).unwrap().split("</section>").next().unwrap();
    assert!(
        panel.contains(&format!(r#"href="/gatherings/{wedding}""#)) && panel.contains("Village hall") && panel.contains("2 case(s)"),
        "{panel}"
    );
    let (_, _, theirs) = Browser::signed_in(app, "p2_officer").await.get("/board").await;
    assert!(!theirs.contains("Village hall"), "P2's board shows only its own clusters");

    // Recorded again without a gathering, the case leaves the cluster.
    let (status, _) = investigate(app, &second, json!({"exposure_history": "at home"})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.state.store.gathering_clusters(&app.node("P1").await.path, 10).await.unwrap()[0].cases, 1);
    let doc: serde_json::Value = app.http.get(app.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    let input = &doc["components"]["schemas"]["InvestigationInput"]["properties"];
    assert!(input["gathering_id"].is_object(), "the API documents the field: {input}");
}

async fn an_officer_sets_the_level_and_reads_its_history_on_the_board_and_the_map(app: &TestApp) {
    let b = Browser::signed_in(app, "p1_officer").await;
    let (status, _, page) = b.get("/alert-levels").await;
    assert_eq!(status, StatusCode::OK);
    let recommended = page.split(r#"id="level-recommendation""#).nth(1).unwrap().split("</section>").next().unwrap();
    assert!(recommended.contains("1 · Caution") && recommended.contains("100% of units did not file yesterday"), "{recommended}");
    assert!(page.contains(r#"<option value="1" selected>1 · Caution</option>"#), "the form proposes the recommendation: {page}");

    let (status, _, refused) = b.post("/alert-levels", &[("node_code", "P1"), ("level", "7"), ("note", "too high")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.contains(r#"id="level-error""#) && refused.contains("too high"), "{refused}");
    assert!(app.state.store.alert_level_history(&app.node("P1").await.path, 10).await.unwrap().is_empty(), "nothing stored");
    assert_eq!(b.post("/alert-levels", &[("node_code", "P2"), ("level", "1")]).await.0, StatusCode::FORBIDDEN);
    let worker = Browser::signed_in(app, "worker_c1").await;
    let (status, _, read) = worker.get("/alert-levels").await;
    assert!(status == StatusCode::OK && !read.contains(r#"id="level-form""#), "a worker reads, without the form");
    assert_eq!(worker.post("/alert-levels", &[("node_code", "C1"), ("level", "1")]).await.0, StatusCode::FORBIDDEN);

    let (status, headers, _) = b.post("/alert-levels", &[("node_code", "P1"), ("level", "2"), ("note", "wedding cluster")]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/alert-levels?node=P1&done=set"));
    let (_, _, page) = b.get("/alert-levels?node=P1&done=set").await;
    let current = page.split(r#"id="level-current""#).nth(1).unwrap().split("</section>").next().unwrap();
    assert!(
        current.contains(r#"data-level="2">2 · Alert"#) && current.contains("p1_officer") && current.contains("wedding cluster"),
        "{current}"
    );
    let history = page.split(r#"id="level-history""#).nth(1).unwrap();
    assert!(history.contains("2 · Alert") && history.contains("1 · Caution") && history.contains("2026-11-23"), "{history}");
    let (_, korean) = get_in_korean(&b, "/alert-levels?node=P1").await;
    assert!(korean.contains("2 · 경계") && korean.contains("어제 일일 보고를 내지 않았습니다"), "{korean}");
    let (_, _, child) = b.get("/alert-levels?node=C1").await;
    assert!(child.contains(r#"data-level="0">0 · Normal"#), "C1 has no level of its own");
    assert_eq!(b.get("/alert-levels?node=KR").await.0, StatusCode::FORBIDDEN);

    let nation = Browser::signed_in(app, "nation_officer").await;
    let (_, _, map) = nation.get("/map").await;
    assert!(map.contains(r#"<g class="level-badge" data-level="2">"#) && map.contains(r#"id="level-legend""#), "{map}");
    let (_, _, levels) = nation.get("/alert-levels").await;
    assert!(levels.contains(r#"<tr data-node="P1">"#) && levels.contains(r#"data-level="2">2 · Alert"#), "{levels}");
    let board_level = |board: String| board.split(r#"id="board-level""#).nth(1).unwrap().split("</section>").next().unwrap().to_owned();
    let level = board_level(b.get("/board").await.2);
    assert!(level.contains("2 · Alert") && !level.contains("data-recommended"), "the rules hold the level in force: {level}");

    // Lowered below what the rules call for, the board says what they recommend.
    b.post("/alert-levels", &[("node_code", "P1"), ("level", "0"), ("note", "lifting")]).await;
    let level = board_level(b.get("/board").await.2);
    assert!(level.contains("0 · Normal") && level.contains("The rules now recommend 1 · Caution:"), "{level}");
    assert!(level.contains("100% of units did not file yesterday"), "with the reasons: {level}");
    assert_eq!(app.state.store.alert_level_history(&app.node("P1").await.path, 10).await.unwrap().len(), 2);
}

async fn the_store_reads_behind_the_community_pages(app: &TestApp) {
    let store = &app.state.store;
    let today = store.settings().await.unwrap().local_date(app.clock_now());
    let schedule = |node: &str, topic: &str| {
        json!({"id": Uuid::new_v4(), "node_code": node, "venue": "Hall", "topic": topic, "speaker": "Dr Han",
            "starts_at": today.at(14, 0, 0, 0), "capacity": 40, "audience": "everyone"})
    };
    let mut ids = Vec::new();
    for (node, topic) in [("P1", "masks"), ("D1", "masks"), ("U2", "masks"), ("D2", "masks")] {
        let user = if node == "D2" { "worker_c2" } else { "worker_p1" };
        let (status, lecture) = app.post(user, "/lectures", schedule(node, topic)).await;
        assert_eq!(status, StatusCode::CREATED, "{lecture}");
        ids.push(lecture["id"].as_str().unwrap().parse::<Uuid>().unwrap());
    }
    let u1 = app.node("U1").await.path;
    let over: Vec<Uuid> = store.lectures_over(&u1, today, 10).await.unwrap().into_iter().map(|l| l.id).collect();
    assert_eq!(over.len(), 2, "P1's and D1's serve U1; U2's and D2's do not");
    assert!(over.contains(&ids[0]) && over.contains(&ids[1]));
    assert_eq!(store.lecture(ids[2]).await.unwrap().unwrap().node_path.code(), "U2");
    for (unit, attended) in [("U1", 12), ("U2", 7)] {
        let (status, body) =
            app.post("worker_c1", &format!("/lectures/{}/attendance", ids[0]), json!({"unit_code": unit, "attended": attended})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let attendance = store.lecture_attendance(ids[0], &app.node("P1").await.path).await.unwrap();
    assert_eq!(attendance.iter().map(|a| (a.unit_path.code(), a.attended)).collect::<Vec<_>>(), [("U1", 12), ("U2", 7)]);
    assert_eq!(store.lecture_attendance(ids[0], &u1).await.unwrap().len(), 1, "kept to the subtree asked for");
    let kr = app.node("KR").await;
    let by_child = store.lecture_coverage_by_child(kr.id, "masks", today).await.unwrap();
    let shown: Vec<(&str, u32, u32)> = by_child.iter().map(|c| (c.code.as_str(), c.coverage.covered, c.coverage.units)).collect();
    assert_eq!(shown, [("P1", 2, 2), ("P2", 0, 1)]);

    for (user, unit, category, people) in
        [("reporter_u1", "U1", "fear", 3), ("worker_c1", "U2", "fear", 2), ("reporter_u3", "U3", "distrust", 4)]
    {
        let body = json!({"id": Uuid::new_v4(), "unit_code": unit, "text": "Something heard", "category": category, "heard_on": today, "people": people});
        assert_eq!(app.post(user, "/rumours", body).await.0, StatusCode::CREATED);
    }
    let areas = store.rumour_counts_by_area(kr.id, cordon_core::rumour::week_of(today)).await.unwrap();
    let shown: Vec<(&str, Category, i64, i64)> = areas.iter().map(|a| (a.code.as_str(), a.category, a.rumours, a.people)).collect();
    assert_eq!(shown, [("P1", Category::Fear, 2, 5), ("P2", Category::Distrust, 1, 4)]);
    let week = store.rumours_of_week(&kr.path, cordon_core::rumour::week_of(today), 10).await.unwrap();
    assert_eq!(store.rumour(week[0].id).await.unwrap().as_ref(), Some(&week[0]));
    assert!(store.rumour(Uuid::new_v4()).await.unwrap().is_none());
}
