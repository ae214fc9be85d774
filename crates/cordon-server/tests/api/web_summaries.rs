//! The pages of the summaries, on both databases: the situation report and
//! its print and public variants, Rt under the epidemic curve, and response
//! times on the board, every number inside a figure's label.

use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::web::Browser;

on_both_backends!(the_command_reads_the_situation_report_rt_and_response_times);

async fn the_command_reads_the_situation_report_rt_and_response_times(app: &TestApp) {
    for day in 0..3 {
        for i in 0..6 {
            let person = app.resident("reporter_u1", "U1", &format!("Resident {day}-{i}")).await;
            let (_, intake) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.9)).await;
            if i == 0 && day == 0 {
                let task = intake["task"]["id"].as_str().unwrap();
                let (status, acked) = app.post("worker_c1", &format!("/tasks/{task}/acknowledge"), json!({})).await;
                assert_eq!(status, StatusCode::OK, "{acked}");
            }
        }
        app.clock.advance(SignedDuration::from_hours(24));
    }
    let officer = Browser::signed_in(app, "p1_officer").await;

    let (status, _, html) = officer.get("/sitrep?node=P1").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    for section in ["at_home", "orders", "rt", "completeness", "response_times", "abroad", "alerts", "measures", "curve", "areas"] {
        assert!(html.contains(&format!("data-section=\"{section}\"")), "{section}");
    }
    assert!(html.contains("18 suspected cases in total since"), "{html}");
    assert!(html.contains("reproduction number (Rt) estimated at"), "Rt in the report");
    let (status, _, print) = officer.get("/sitrep/print?node=P1").await;
    assert!(status == StatusCode::OK && print.contains("sitrep-print"));

    let anonymous = Browser::new(app);
    let (status, _, public) = anonymous.get("/public/sitrep?node=P1").await;
    assert_eq!(status, StatusCode::OK, "{public}");
    assert!(public.contains("data-public-note") && !public.contains("Resident 0-0"), "{public}");

    let (status, _, curve) = officer.get("/curve?node=P1&days=7").await;
    assert_eq!(status, StatusCode::OK);
    assert!(curve.contains("class=\"rt-chart\"") && curve.contains("serial interval mean 4.7 days"), "Rt is drawn and labelled");

    let (status, _, board) = officer.get("/board/live?node=P1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(board.contains("data-responses") && board.contains("time from report to acknowledgement: median"), "{board}");
}
