//! The watch on neighbouring countries through the API, on both databases:
//! administrators keep the list and import files, everyone signed in reads
//! it; crossing a threshold raises one alert per crossing, whatever the
//! re-imports; and the alert-level rules hear of it.

use std::fmt::Write as _;

use cordon_core::abroad;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    the_watch_list_is_kept_by_administrators_and_read_by_all,
    an_import_raises_each_crossing_once_and_feeds_the_alert_level,
    a_bad_file_names_its_line_and_column_and_imports_nothing,
    the_openapi_document_describes_the_watch,
);

const JHU_FILE: &str = include_str!("../../../cordon-core/tests/ref/owid/jhu_full_data_neighbours.csv");

fn fields(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors.iter().map(|e| (e["field"].as_str().unwrap_or("").to_owned(), e["code"].as_str().unwrap_or("").to_owned())).collect()
        })
        .unwrap_or_default()
}

async fn put(app: &TestApp, user: &str, location: &str, body: Value) -> (StatusCode, Value) {
    app.call(user, Method::PUT, &format!("/abroad/watch/{location}"), Some(body)).await
}

/// Sends `text` as a `text/csv` body to `/abroad/import` as `user`.
pub(crate) async fn import_csv(app: &TestApp, user: &str, text: &str) -> (StatusCode, Value) {
    let r = app
        .http
        .post(app.url("/abroad/import"))
        .bearer_auth(&app.seed.tokens[user])
        .header("content-type", "text/csv; charset=utf-8")
        .body(text.to_owned())
        .send()
        .await
        .unwrap();
    let (status, content_type) = (r.status(), r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()));
    let body: Value = r.json().await.unwrap();
    if !status.is_success() {
        assert_eq!(content_type.as_deref(), Some("application/problem+json"), "{body}");
    }
    (status, body)
}

async fn the_watch_list_is_kept_by_administrators_and_read_by_all(app: &TestApp) {
    let (layout, rows) = abroad::read(JHU_FILE).unwrap();
    app.state.store.import_abroad(&rows, abroad::source(layout), app.clock_now()).await.unwrap();
    let japan = json!({"population": 126_476_458, "thresholds": {"per_100k_7d": 20.0}});

    let (status, problem) = put(app, "nation_officer", "Japan", japan.clone()).await;
    assert_eq!((status, &problem["code"]), (StatusCode::FORBIDDEN, &json!("role_forbids")), "{problem}");
    let (status, problem) =
        put(app, "admin", "Japan", json!({"population": 0, "thresholds": {"per_100k_7d": -1.0, "growth_week_on_week": 0.0}})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        fields(&problem),
        [
            ("population".into(), "between".into()),
            ("thresholds.per_100k_7d".into(), "not_positive".into()),
            ("thresholds.growth_week_on_week".into(), "not_positive".into())
        ]
    );
    let (status, problem) = put(app, "admin", "Atlantis", japan.clone()).await;
    assert_eq!((status, fields(&problem)), (StatusCode::UNPROCESSABLE_ENTITY, vec![("location".into(), "not_imported".into())]));
    let (status, problem) = put(app, "admin", "Japan", json!({"thresholds": {"per_100k_7d": 20.0}})).await;
    assert_eq!((status, fields(&problem)), (StatusCode::UNPROCESSABLE_ENTITY, vec![("population".into(), "population_unknown".into())]));
    let (status, problem) = put(app, "admin", "Japan", json!({"population": 5, "thresholds": {"per_100k": 20.0}})).await;
    assert_eq!((status, fields(&problem)[0].0.as_str()), (StatusCode::BAD_REQUEST, "thresholds.per_100k"), "{problem}");
    assert!(app.list("admin", "/abroad/watch").await.1.as_array().unwrap().is_empty(), "nothing refused was stored");

    // Japan's 7-day incidence first reached 20 per 100,000 in the winter of 2020-21.
    let (status, set) = put(app, "admin", "Japan", japan.clone()).await;
    assert_eq!(status, StatusCode::OK, "{set}");
    assert_eq!(set["entry"]["population"], 126_476_458);
    let raised = set["raised"].as_array().unwrap();
    assert_eq!(raised.len(), 1, "{set}");
    assert_eq!((raised[0]["measure"].as_str(), raised[0]["figure"]["measure"].as_str()), (Some("per_100k_7d"), Some("per_100k_7d")));
    assert!(raised[0]["figure"]["label"].as_str().unwrap().contains("(7-day incidence), Japan, as of "), "{set}");
    let (_, again) = put(app, "admin", "Japan", japan.clone()).await;
    assert_eq!(again["raised"], json!([]), "setting the same entry again raises nothing");

    let (status, list) = app.list("reporter_u1", "/abroad/watch").await;
    assert_eq!(status, StatusCode::OK);
    let entry = &list[0];
    assert_eq!(
        (entry["location"].as_str(), entry["latest_day"].as_str(), &entry["above_threshold"]),
        (Some("Japan"), Some("2021-01-07"), &json!(true))
    );
    let figures = entry["figures"].as_array().unwrap();
    assert!(
        figures.iter().all(|f| f["label"].is_string() && f["measure"].is_string() && f["as_of"] == "2021-01-07"),
        "labelled figures only"
    );
    let incidence = figures.iter().find(|f| f["counted"] == "cases" && f["measure"] == "per_100k_7d").unwrap();
    assert!((24.0..25.0).contains(&incidence["value"].as_f64().unwrap()), "the entry's population counts where the file has none");
    assert_eq!(entry["crossed"], json!(["per_100k_7d"]));

    let (status, alerts) = app.list("p2_officer", "/abroad/alerts").await;
    assert_eq!((status, alerts.as_array().unwrap().len()), (StatusCode::OK, 1));
    assert!(alerts[0]["figure"]["label"].is_string());
    assert_eq!(app.list("p2_officer", "/abroad/alerts?limit=0").await.0, StatusCode::BAD_REQUEST);

    // Every change is audited and announced to the whole country.
    let seen = app.state.store.events_since(&app.node("U3").await.path, 0, 1000).await.unwrap();
    let kinds: Vec<&str> = seen.iter().map(|e| e.kind.as_str()).filter(|k| k.contains("abroad") || k.contains("watch")).collect();
    assert_eq!(kinds, ["watch_changed", "abroad_alert_raised", "watch_changed"]);

    let (status, _) = app.call("p1_officer", Method::DELETE, "/abroad/watch/Japan", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, problem) = app.call("admin", Method::DELETE, "/abroad/watch/Mongolia", None).await;
    assert_eq!((status, &problem["code"]), (StatusCode::NOT_FOUND, &json!("not_found")));
    let (status, removed) = app.call("admin", Method::DELETE, "/abroad/watch/Japan", None).await;
    assert_eq!((status, removed["location"].as_str()), (StatusCode::OK, Some("Japan")));
    assert_eq!(app.list("admin", "/abroad/watch").await.1, json!([]));
    assert_eq!(app.list("admin", "/abroad/alerts").await.1.as_array().unwrap().len(), 1, "the alerts stay");
    let audit = app.list("admin", "/audit?entity=watch").await;
    assert!(audit.1.to_string().contains("watch.remove"), "{}", audit.1);
}

/// A series of `days` days ending on the test clock's day (2026-11-23),
/// with `before` new cases a day, then `after` a day for the last `last` days.
fn testland(days: i64, before: u32, after: u32, last: i64) -> String {
    let end = jiff::civil::date(2026, 11, 23);
    let mut text = String::from("date,location,new_cases,new_deaths,total_cases,total_deaths\n");
    let mut total = 0;
    for i in (0..days).rev() {
        let day = end.checked_sub(jiff::Span::new().days(i)).unwrap();
        let new = if i < last { after } else { before };
        total += new;
        writeln!(text, "{day},Testland,{new},0,{total},0").unwrap();
    }
    text
}

async fn neighbours_reason(app: &TestApp) -> Option<Value> {
    let (status, r) = app.get("nation_officer", "/alert-levels/KR/recommendation").await;
    assert_eq!(status, StatusCode::OK, "{r}");
    r["recommendation"]["reasons"].as_array().unwrap().iter().find(|w| w["signal"] == "neighbours").cloned()
}

async fn an_import_raises_each_crossing_once_and_feeds_the_alert_level(app: &TestApp) {
    // 1 case a day among 100,000 residents: 7 per 100,000 a week.
    let (status, done) = import_csv(app, "admin", &testland(30, 1, 1, 0)).await;
    assert_eq!((status, &done["added"], &done["alerts_raised"]), (StatusCode::OK, &json!(30), &json!(0)), "{done}");
    let (status, _) = put(app, "admin", "Testland", json!({"population": 100_000, "thresholds": {"per_100k_7d": 50.0}})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, signals) = app.get("nation_officer", "/alert-levels/KR/recommendation").await;
    assert!((signals["signals"]["neighbours_7d_per_100k"].as_f64().unwrap() - 7.0).abs() < 1e-9, "{signals}");
    assert_eq!(neighbours_reason(app).await, None);

    // The last five days run at 20 a day: 2 + 100 = 102 per 100,000 today.
    let later = testland(30, 1, 20, 5);
    let (status, done) = import_csv(app, "admin", &later).await;
    assert_eq!(
        (status, &done["revised"], &done["unchanged"], &done["alerts_raised"]),
        (StatusCode::OK, &json!(5), &json!(25), &json!(1)),
        "{done}"
    );
    let (_, again) = import_csv(app, "admin", &later).await;
    assert_eq!((&again["unchanged"], &again["alerts_raised"]), (&json!(30), &json!(0)), "importing again raises nothing");

    let (_, alerts) = app.list("nation_officer", "/abroad/alerts").await;
    assert_eq!(alerts.as_array().unwrap().len(), 1, "{alerts}");
    assert_eq!((alerts[0]["location"].as_str(), alerts[0]["threshold"].as_f64()), (Some("Testland"), Some(50.0)));
    let why = neighbours_reason(app).await.expect("a neighbour above the level-2 threshold calls for a measure");
    assert!((why["per_100k"].as_f64().unwrap() - 102.0).abs() < 1e-9, "{why}");

    // Changing the threshold does not raise the same crossing again.
    let (_, set) = put(app, "admin", "Testland", json!({"population": 100_000, "thresholds": {"per_100k_7d": 40.0}})).await;
    assert_eq!(set["raised"], json!([]));

    // A fortnight on, the latest day is too old to count.
    app.clock.advance(jiff::SignedDuration::from_hours(24 * 15));
    assert_eq!(neighbours_reason(app).await, None);
}

async fn a_bad_file_names_its_line_and_column_and_imports_nothing(app: &TestApp) {
    let bad = "date,location,new_cases,new_deaths,total_cases,total_deaths\n2021-01-01,Mongolia,1,0,1,0\n2021-01-02,Mongolia,x,0,1,0\n";
    let (status, _) = import_csv(app, "nation_officer", bad).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, problem) = import_csv(app, "admin", bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let error = &problem["errors"][0];
    assert_eq!((error["field"].as_str(), error["code"].as_str()), (Some("body"), Some("file_line")));
    assert_eq!(error["params"], json!({"line": 3, "column": 3, "name": "new_cases", "problem": "\"x\" is not a number"}));
    assert_eq!(error["reason"], "line 3, column 3 (new_cases): \"x\" is not a number");
    assert_eq!(app.list("admin", "/abroad").await.1, json!([]), "nothing was imported");

    let (status, problem) = import_csv(app, "admin", "a,b\n1,2\n").await;
    assert_eq!((status, &problem["errors"][0]["params"]["line"]), (StatusCode::UNPROCESSABLE_ENTITY, &json!(1)));
    let r = app.http.post(app.url("/abroad/import")).bearer_auth(&app.seed.tokens["admin"]).json(&json!({})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "a JSON body is not a file");
    let huge = "x".repeat(16 * 1024 * 1024 + 1);
    let (status, problem) = import_csv(app, "admin", &huge).await;
    assert_eq!((status, &problem["code"]), (StatusCode::PAYLOAD_TOO_LARGE, &json!("too_large")), "{problem}");
}

async fn the_openapi_document_describes_the_watch(app: &TestApp) {
    let doc: Value = app.http.get(app.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    let problem = json!({"$ref": "#/components/schemas/Problem"});
    for (path, method, refusals) in [
        ("/abroad/import", "post", &["400", "403", "422"][..]),
        ("/abroad/watch", "get", &[][..]),
        ("/abroad/watch/{location}", "put", &["400", "403", "422"][..]),
        ("/abroad/watch/{location}", "delete", &["403", "404"][..]),
        ("/abroad/alerts", "get", &["400"][..]),
        ("/abroad/{location}/figures", "get", &["400", "404"][..]),
    ] {
        let operation = &doc["paths"][path][method];
        assert_eq!(operation["tags"], json!(["abroad"]), "{method} {path}");
        for status in refusals {
            let content = &operation["responses"][status]["content"];
            let body = content["application/problem+json"]["schema"].clone();
            let body = if body.is_null() { content["application/json"]["schema"].clone() } else { body };
            assert_eq!(body, problem, "{method} {path} {status}: {content}");
        }
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let expected = if parameter["name"] == "location" { "path" } else { "query" };
            assert_eq!(parameter["in"], expected, "{method} {path}: {parameter}");
        }
    }
    assert_eq!(doc["paths"]["/abroad/import"]["post"]["requestBody"]["content"]["text/csv"]["schema"]["type"], "string");
}
