//! The pages of the watch abroad, on both databases: the command's
//! `/abroad` with each watched location's labelled figures on its latest
//! day (in the page's language), its badge and its line, and the alerts;
//! the board's panel; and the administrator's upload and watch-list editor,
//! with a bad line named by line and column and a file over the limit told
//! so.

use cordon_core::abroad;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::web::{Browser, get_in_korean, location};

on_both_backends!(
    the_command_reads_the_situation_abroad_and_the_board_points_to_it,
    an_administrator_uploads_a_file_and_keeps_the_watch_list
);

const JHU_FILE: &str = include_str!("../../../cordon-core/tests/ref/owid/jhu_full_data_neighbours.csv");

/// The part of a page from `needle` to the end of its section.
fn section<'a>(html: &'a str, needle: &str) -> &'a str {
    let start = html.find(needle).unwrap_or_else(|| panic!("no {needle} in the page"));
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

async fn the_command_reads_the_situation_abroad_and_the_board_points_to_it(app: &TestApp) {
    let b = Browser::signed_in(app, "nation_officer").await;
    let (status, _, html) = b.get("/abroad").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"abroad-none\""), "nothing watched yet");

    let (layout, rows) = abroad::read(JHU_FILE).unwrap();
    app.state.store.import_abroad(&rows, abroad::source(layout), app.clock_now()).await.unwrap();
    for (location, population, threshold) in [("Japan", 126_476_458, 20.0), ("Mongolia", 3_278_292, 1000.0)] {
        let body = json!({"population": population, "thresholds": {"per_100k_7d": threshold}});
        let (status, _) = app.call("admin", reqwest::Method::PUT, &format!("/abroad/watch/{location}"), Some(body)).await;
        assert_eq!(status, StatusCode::OK);
    }

    let (status, _, html) = b.get("/abroad").await;
    assert_eq!(status, StatusCode::OK);
    let japan = section(&html, "data-location=\"Japan\"");
    assert!(html.contains("id=\"loc-japan\" data-location=\"Japan\""));
    assert!(japan.contains("data-crossed") && japan.contains("7-day incidence at or above its threshold"), "{japan}");
    assert!(japan.contains("Latest data: 2021-01-07"), "as of its own day, not today");
    for says in [
        "new cases on 2021-01-07 (new)",
        "(7-day sum)",
        "(7-day incidence), Japan, as of 2021-01-07",
        "(week on week)",
        "(doubling time)",
        "deaths in the 7 days",
    ] {
        assert!(japan.contains(says), "{says} missing from {japan}");
    }
    assert!(!japan.contains("(cumulative)"), "the page lists what the watch compares");
    assert!(japan.contains("<svg") && japan.contains("<path d=\"M") && japan.contains("stroke-dasharray"), "the line with its threshold");
    let mongolia = section(&html, "data-location=\"Mongolia\"");
    assert!(!mongolia.contains("data-crossed"), "Mongolia stays below its threshold");
    let alerts = section(&html, "id=\"abroad-alerts\"");
    assert!(alerts.contains("href=\"#loc-japan\"") && alerts.contains("(7-day incidence), Japan"), "{alerts}");

    let (_, korean) = get_in_korean(&b, "/abroad").await;
    assert!(korean.contains("해외 상황") && korean.contains("2021-01-07 기준 — 출처: JHU CSSE via Our World in Data"), "labels in Korean");

    let (_, _, board) = b.get("/board").await;
    assert!(board.contains("href=\"/abroad\""), "the command's navigation leads to the page");
    let panel = section(&board, "id=\"board-abroad\"");
    assert!(panel.contains("href=\"/abroad#loc-japan\"") && !panel.contains("Mongolia"), "{panel}");

    let reporter = Browser::signed_in(app, "reporter_u1").await;
    assert_eq!(reporter.get("/admin/abroad").await.0, StatusCode::FORBIDDEN);
}

async fn an_administrator_uploads_a_file_and_keeps_the_watch_list(app: &TestApp) {
    let officer = Browser::signed_in(app, "nation_officer").await;
    assert_eq!(officer.get("/admin/abroad").await.0, StatusCode::FORBIDDEN);
    assert_eq!(officer.post_file("/admin/abroad/import", "file", "n.csv", JHU_FILE.as_bytes()).await.0, StatusCode::FORBIDDEN);
    assert!(app.state.store.abroad_locations().await.unwrap().is_empty());

    let b = Browser::signed_in(app, "admin").await;
    let (status, _, html) = b.get("/admin/abroad").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("enctype=\"multipart/form-data\"") && html.contains("href=\"/admin/abroad\""));

    let (status, _, html) = b.post_file("/admin/abroad/import", "file", "full_data.csv", JHU_FILE.as_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Import finished: 1008 days added, 0 revised, 0 unchanged; 0 alerts raised"), "{html}");
    let (_, _, again) = b.post_file("/admin/abroad/import", "file", "full_data.csv", JHU_FILE.as_bytes()).await;
    assert!(again.contains("0 days added, 0 revised, 1008 unchanged"), "importing again stores nothing twice");

    let bad =
        "date,location,new_cases,new_deaths,total_cases,total_deaths\n2021-01-08,Mongolia,4,0,1250,1\n2021-01-09,Mongolia,x,0,1250,1\n";
    let (status, _, html) = b.post_file("/admin/abroad/import", "file", "bad.csv", bad.as_bytes()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"file-error\"") && html.contains("line 3, column 3 (new_cases)"), "{html}");
    let (status, _, html) = b.post_file("/admin/abroad/import", "file", "big.csv", &vec![b'x'; 16 * 1024 * 1024 + 1]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("larger than 16 MiB"), "{html}");
    assert_eq!(app.state.store.abroad_series("Mongolia").await.unwrap().unwrap().0.len(), 304, "nothing of the bad files was imported");

    // The editor: each wrong field named next to it, then an entry saved and removed.
    let (status, _, html) = b.post("/admin/abroad/watch", &[("location", "Japan"), ("population", ""), ("per_100k_7d", "-1")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"per_100k_7d-error\"") && html.contains("must be greater than 0"), "{html}");
    assert!(html.contains("id=\"population-error\"") && html.contains("gives no population"), "{html}");
    let (status, headers, _) =
        b.post("/admin/abroad/watch", &[("location", "Japan"), ("population", "126,476,458"), ("per_100k_7d", "20")]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/admin/abroad?done=watched"));
    let (_, _, html) = b.get("/admin/abroad?done=watched").await;
    let row = section(&html, "data-location=\"Japan\"");
    assert!(row.contains("126,476,458") && row.contains("at least 20 cases per 100,000 in 7 days"), "{row}");
    assert_eq!(app.list("admin", "/abroad/alerts").await.1.as_array().unwrap().len(), 1, "saving the entry raised the crossing");

    b.post("/lang", &[("lang", "ko"), ("next", "/admin/abroad")]).await;
    let (_, _, korean) = b.post_file("/admin/abroad/import", "file", "bad.csv", bad.as_bytes()).await;
    assert!(korean.contains("3행 3열(new_cases)") && korean.contains("숫자가 아닙니다"), "{korean}");

    let (status, headers, _) = b.post("/admin/abroad/remove", &[("location", "Japan")]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/admin/abroad?done=removed"));
    assert!(app.state.store.watch_list().await.unwrap().is_empty());
}
