//! The summaries of a node through the API, on both databases: the board's
//! counts, the curve, Rt and response times, each number a labelled figure.

use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    the_board_and_the_curve_are_figures,
    response_times_are_measured_from_the_report,
    rt_is_an_estimate_with_its_interval,
    a_situation_report_and_its_public_variant,
);

/// Fails on any number in `json` that is not part of a figure: a figure's
/// `value`, or its `interval`'s bounds and level.
pub fn assert_no_bare_numbers(json: &Value, path: &str) {
    match json {
        Value::Number(n) => panic!("a bare number {n} at {path}"),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| assert_no_bare_numbers(v, &format!("{path}[{i}]"))),
        Value::Object(map) => {
            let is_figure = ["measure", "counted", "period", "place", "source", "as_of", "label"].iter().all(|k| map.contains_key(*k));
            for (key, value) in map {
                match (is_figure, key.as_str()) {
                    (true, "value") => assert!(value.is_number(), "{path}.value"),
                    (true, "interval" | "suppressed_below") => {}
                    _ => assert_no_bare_numbers(value, &format!("{path}.{key}")),
                }
            }
        }
        _ => {}
    }
}

fn find<'a>(figures: &'a Value, counted: &str, measure: &str) -> &'a Value {
    figures
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["counted"] == counted && f["measure"] == measure)
        .unwrap_or_else(|| panic!("no {counted} {measure} in {figures}"))
}

async fn the_board_and_the_curve_are_figures(app: &TestApp) {
    for name in ["Ahn", "Baek", "Choi"] {
        app.case_in("reporter_u1", "U1", name).await;
    }
    let (status, board) = app.get("p1_officer", "/summary/board?node=P1").await;
    assert_eq!(status, StatusCode::OK, "{board}");
    assert_no_bare_numbers(&board, "board");
    let reports = find(&board, "symptom_reports", "new");
    assert_eq!((reports["value"].as_f64(), reports["place"].as_str()), (Some(3.0), Some("P1 name")), "{reports}");
    assert_eq!(reports["label"], "3 new symptom reports on 2026-11-23 (new), P1 name, as of 2026-11-23 — source: cordon");
    assert_eq!(find(&board, "suspected_cases", "cumulative")["value"], 3.0);
    assert_eq!(find(&board, "open_tasks", "current")["value"], 3.0);
    let (_, korean) = app.get("p1_officer", "/summary/board?node=P1&lang=ko").await;
    assert!(
        find(&korean, "symptom_reports", "new")["label"].as_str().unwrap().starts_with("2026-11-23 신규 증상 신고 3건 (신규)"),
        "{korean}"
    );

    let (status, curve) = app.get("p1_officer", "/summary/curve?node=P1&from=2026-11-20").await;
    assert_eq!(status, StatusCode::OK, "{curve}");
    assert_no_bare_numbers(&curve, "curve");
    assert_eq!(curve.as_array().unwrap().len(), 4, "every day from the 20th to today");
    assert_eq!(find(&curve[3]["figures"], "suspected_cases", "new")["value"], 3.0);
    assert_eq!(find(&curve[0]["figures"], "symptom_reports", "new")["value"], 0.0, "a day without reports is a zero, not a gap");

    let (status, map) = app.get("p1_officer", "/summary/map?node=C1").await;
    assert_eq!(status, StatusCode::OK, "{map}");
    assert_no_bare_numbers(&map, "map");
    assert_eq!(map[0]["code"], "D1");
    assert_eq!(find(&map[0]["figures"], "symptom_reports", "sum_7d")["value"], 3.0);
    assert_eq!(find(&map[0]["figures"], "symptom_reports", "per_100k_7d")["value"], 300.0, "3 reports among 1,000 residents");

    let (status, problem) = app.get("p2_officer", "/summary/board?node=P1").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    let (status, problem) = app.get("p1_officer", "/summary/curve?node=P1&from=2020-01-01").await;
    assert_eq!((status, &problem["errors"][0]["field"]), (StatusCode::BAD_REQUEST, &json!("from")), "{problem}");
    let (status, _) = app.get("p1_officer", "/summary/board?node=P1&lang=fr").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn response_times_are_measured_from_the_report(app: &TestApp) {
    let mut tasks = Vec::new();
    for name in ["Ahn", "Baek", "Choi"] {
        let person = app.resident("reporter_u1", "U1", name).await;
        let (_, intake) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.9)).await;
        tasks.push(intake["task"]["id"].as_str().unwrap().to_owned());
    }
    app.clock.advance(SignedDuration::from_mins(30));
    let (status, _) = app.post("worker_c1", &format!("/tasks/{}/acknowledge", tasks[0]), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    app.clock.advance(SignedDuration::from_mins(30));
    app.post("worker_c1", &format!("/tasks/{}/complete", tasks[0]), json!({"note": "seen"})).await;
    app.clock.advance(SignedDuration::from_mins(120));
    let (status, late) = app.post("worker_c1", &format!("/tasks/{}/acknowledge", tasks[1]), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{late}");
    assert_eq!(late["acknowledged_in_time"], false, "{late}");

    let (status, times) = app.get("p1_officer", "/summary/response-times?node=P1").await;
    assert_eq!(status, StatusCode::OK, "{times}");
    assert_no_bare_numbers(&times, "response_times");
    let week = &times["last_7_days"]["figures"];
    assert_eq!(find(week, "hours_to_acknowledge", "median")["value"], 1.75, "half an hour and three hours");
    assert_eq!(find(week, "hours_to_first_visit", "median")["value"], 1.0);
    let share = find(week, "tasks_acknowledged_in_time", "share");
    assert!((share["value"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9, "{share}");
    assert!(share["label"].as_str().unwrap().starts_with("33.3% of investigations acknowledged in time"), "{share}");
    assert_eq!(times["weeks"].as_array().unwrap().len(), 4);
    let c1 = times["children"].as_array().unwrap().iter().find(|c| c["code"] == "C1").unwrap();
    assert_eq!(find(&c1["figures"], "hours_to_acknowledge", "p90")["value"], 2.75);
    assert_eq!(times["filing"].as_array().unwrap().len(), 4);
}

async fn rt_is_an_estimate_with_its_interval(app: &TestApp) {
    let (_, none) = app.get("p1_officer", "/summary/rt?node=P1").await;
    assert_eq!(none, json!([]), "no cases, no estimate");
    for day in 0..3 {
        for i in 0..6 {
            app.case_in("reporter_u1", "U1", &format!("Resident {day}-{i}")).await;
        }
        app.clock.advance(SignedDuration::from_hours(24));
    }
    let (status, rt) = app.get("p1_officer", "/summary/rt?node=P1").await;
    assert_eq!(status, StatusCode::OK, "{rt}");
    assert_no_bare_numbers(&rt, "rt");
    let last = rt.as_array().unwrap().last().unwrap_or_else(|| panic!("an estimate once 12 cases fall in a window: {rt}"));
    assert_eq!((&last["measure"], &last["counted"]), (&json!("estimate"), &json!("reproduction_number")));
    assert!(last["interval"]["lower"].as_f64().unwrap() < last["value"].as_f64().unwrap());
    assert_eq!(last["interval"]["level"], 0.95);
    let label = last["label"].as_str().unwrap();
    assert!(label.contains("(95% interval") && label.contains("serial interval mean 4.7 days, sd 2.9 days, 7-day windows"), "{label}");
}

async fn a_situation_report_and_its_public_variant(app: &TestApp) {
    for name in ["Ahn", "Baek", "Choi"] {
        app.case_in("reporter_u1", "U1", name).await;
    }
    let (status, report) = app.get("p1_officer", "/sitrep?node=P1").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_no_bare_numbers(&report, "sitrep");
    let at_home = &report["sections"][0]["rows"][0]["figures"];
    assert_eq!(find(at_home, "suspected_cases", "sum_7d")["value"], 3.0);
    assert!(find(at_home, "suspected_cases", "per_100k_7d")["label"].as_str().unwrap().contains("per 100,000"));

    let public = app.http.get(app.url("/public/sitrep?node=P1")).send().await.unwrap();
    assert_eq!(public.status(), StatusCode::OK, "no sign-in needed");
    let public: Value = public.json().await.unwrap();
    assert_no_bare_numbers(&public, "public");
    let suppressed = find(&public["sections"][0]["rows"][0]["figures"], "suspected_cases", "sum_7d");
    assert_eq!((suppressed.get("value"), &suppressed["suppressed_below"]), (None, &json!(5)), "{suppressed}");
    assert!(suppressed["label"].as_str().unwrap().starts_with("fewer than 5 suspected cases"), "{suppressed}");
    assert!(!public.to_string().contains("Ahn"), "no personal data");

    let csv = app.http.get(app.url("/public/sitrep.csv?node=P1&lang=ko")).send().await.unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("section,about,measure,counted,period_from,period_to,place,source,as_of,value,"), "{text}");
    assert!(text.contains("5명 미만"), "{text}");
    let unknown = app.http.get(app.url("/public/sitrep?node=NOPE")).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let (status, _) = app.get("p2_officer", "/sitrep?node=P1").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
