//! The situation abroad through the API, on both databases: the locations
//! imported, a location's series, and its figures on a day, each with what
//! it is and its label.

use cordon_core::abroad;
use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(figures_abroad_say_what_they_are);

const FILE: &str = "date,location,new_cases,new_deaths,total_cases,total_deaths\n\
    2021-01-01,Mongolia,10.0,,1000.0,1.0\n2021-01-02,Mongolia,20.0,,1020.0,1.0\n2021-01-03,Mongolia,-5.0,,1015.0,1.0\n\
    2021-01-04,Mongolia,5.0,,1020.0,1.0\n2021-01-05,Mongolia,5.0,,1025.0,1.0\n2021-01-06,Mongolia,5.0,,1030.0,1.0\n\
    2021-01-07,Mongolia,10.0,1.0,1040.0,2.0\n";

async fn figures_abroad_say_what_they_are(app: &TestApp) {
    let (layout, rows) = abroad::read(FILE).unwrap();
    app.state.store.import_abroad(&rows, abroad::source(layout), app.clock_now()).await.unwrap();

    assert_eq!(app.list("reporter_u1", "/abroad").await.1, serde_json::json!(["Mongolia"]));
    let (status, series) = app.get("worker_c1", "/abroad/Mongolia").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((series["days"].as_array().unwrap().len(), series["source"].as_str()), (7, Some("JHU CSSE via Our World in Data")));
    assert_eq!(series["days"][2]["new_cases"], -5.0);

    let (status, figures) = app.get("p1_officer", "/abroad/Mongolia/figures?date=2021-01-07").await;
    assert_eq!(status, StatusCode::OK, "{figures}");
    let figure = |counted: &str, measure: &str| {
        figures.as_array().unwrap().iter().find(|f| f["counted"] == counted && f["measure"] == measure).cloned().unwrap()
    };
    let week = figure("cases", "sum_7d");
    assert_eq!((week["value"].as_f64(), &week["period"]["from"]), (Some(50.0), &serde_json::json!("2021-01-01")));
    assert_eq!(
        week["label"],
        "50 cases in the 7 days 2021-01-01 to 2021-01-07 (7-day sum), Mongolia, as of 2021-01-07 — source: JHU CSSE via Our World in Data"
    );
    assert_eq!(figure("deaths", "cumulative")["value"], 2.0);
    let (_, revised) = app.get("p1_officer", "/abroad/Mongolia/figures?date=2021-01-03").await;
    assert!(revised.to_string().contains("(new: a correction, the total was revised down)"), "{revised}");

    let (status, problem) = app.get("p1_officer", "/abroad/Russia/figures?date=2021-01-07").await;
    assert_eq!((status, &problem["code"]), (StatusCode::NOT_FOUND, &serde_json::json!("not_found")));
    let (status, problem) = app.get("p1_officer", "/abroad/Mongolia/figures?date=07.01.2021").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    let (status, none) = app.get("p1_officer", "/abroad/Mongolia/figures?date=2020-01-01").await;
    assert_eq!((status, none), (StatusCode::OK, serde_json::json!([])), "a day the series does not hold has no figures");
}
