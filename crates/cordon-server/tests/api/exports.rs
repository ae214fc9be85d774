//! Exports through the API, on both databases: line lists as CSV that read
//! back row for row, scoped to the caller's subtree and refused to roles
//! that may not export personal data; a list longer than a batch read once
//! each row; parameters that are wrong named in the problem; cases as a FHIR
//! bundle that `fhir.resources` validates; the tree as GeoJSON whose figures
//! say what they are; and every export audited.

use std::collections::HashSet;

use cordon_core::export::Line;
use cordon_store::audit::AuditFilter;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    line_lists_hold_the_subtree_and_read_back,
    exports_are_for_commands_within_their_subtree,
    bad_parameters_are_named,
    a_list_longer_than_a_batch_gives_each_row_once,
    cases_export_as_a_fhir_bundle_that_validates,
    a_bundle_longer_than_a_batch_holds_each_case_once_and_each_person_once,
    the_tree_exports_as_geojson_with_labelled_figures,
    the_download_page_offers_each_export_to_commands_without_javascript,
    the_openapi_document_describes_the_exports,
);

/// A CSV export as read back: status, content type, disposition, header, rows.
struct Csv {
    status: StatusCode,
    content_type: String,
    disposition: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    body: String,
}

impl Csv {
    fn column(&self, name: &str) -> Vec<&str> {
        let i = self.header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
        self.rows.iter().map(|r| r[i].as_str()).collect()
    }
}

async fn export(app: &TestApp, user: &str, path: &str) -> Csv {
    let response = app.http.get(app.url(path)).bearer_auth(&app.seed.tokens[user]).send().await.unwrap();
    let status = response.status();
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    let body = response.text().await.unwrap();
    let (mut head, mut rows) = (Vec::new(), Vec::new());
    if status == StatusCode::OK {
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        head = reader.headers().unwrap().iter().map(str::to_owned).collect();
        rows = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    }
    Csv { status, content_type, disposition, header: head, rows, body }
}

/// A case in U1 confirmed by a positive sample and isolated, with two
/// contacts in U2 under quarantine, and a case in U3 (P2). Returns the two
/// case ids.
async fn two_provinces(app: &TestApp) -> (String, String) {
    let case = app.case_in("reporter_u1", "U1", "Kim Mi-ok").await;
    let investigation = json!({
        "sample": {"kind": "nasal_swab", "taken_on": "2026-11-23", "result": "positive"},
        "isolation": {"place": "home"}
    });
    let (status, recorded) =
        app.call("worker_c1", reqwest::Method::PUT, &format!("/cases/{case}/investigation"), Some(investigation)).await;
    assert_eq!(status, StatusCode::OK, "{recorded}");
    app.list_contacts("worker_c1", &case, "U2", "Contact", 2).await;
    let other = app.case_in("reporter_u3", "U3", "Yoo Na-rae").await;
    (case, other)
}

async fn line_lists_hold_the_subtree_and_read_back(app: &TestApp) {
    let (case, other) = two_provinces(app).await;

    let cases = export(app, "p1_officer", "/exports/cases.csv").await;
    assert_eq!(cases.status, StatusCode::OK, "{}", cases.body);
    assert_eq!(cases.content_type, "text/csv; charset=utf-8");
    assert_eq!(cases.disposition, "attachment; filename=\"cases_P1.csv\"");
    assert_eq!(cases.header, cordon_core::export::CaseLine::HEADER);
    assert_eq!(cases.column("case_id"), [case.as_str()], "only the province's case");
    assert_eq!(cases.column("classification"), ["confirmed"]);
    assert_eq!(cases.column("lab_result"), ["positive"]);
    assert_eq!(cases.column("full_name"), ["Kim Mi-ok"]);
    assert_eq!(cases.column("unit_code"), ["U1"]);
    assert_eq!(cases.column("contacts_listed"), ["2"]);
    assert_eq!(cases.column("investigation_status"), ["assigned"]);
    let everywhere = export(app, "nation_officer", "/exports/cases.csv").await;
    let ids: HashSet<&str> = everywhere.column("case_id").into_iter().collect();
    assert_eq!(ids, HashSet::from([case.as_str(), other.as_str()]));

    let reports = export(app, "p1_officer", "/exports/reports.csv").await;
    assert_eq!((reports.column("case_id"), reports.column("symptoms")), (vec![case.as_str()], vec!["fever"]));
    assert_eq!(reports.column("temperature_c"), ["38.8"]);
    let contacts = export(app, "p1_officer", "/exports/contacts.csv").await;
    let mut names = contacts.column("full_name");
    names.sort_unstable();
    assert_eq!(names, ["Contact 000", "Contact 001"]);
    assert_eq!(contacts.rows.len(), 2);
    assert!(contacts.column("order_status").iter().all(|s| *s == "active"));
    assert!(contacts.column("case_id").iter().all(|c| *c == case));
    let orders = export(app, "p1_officer", "/exports/orders.csv").await;
    let mut kinds = orders.column("kind");
    kinds.sort_unstable();
    assert_eq!(kinds, ["isolation", "quarantine", "quarantine"]);
    let none = export(app, "p2_officer", "/exports/orders.csv").await;
    assert_eq!((none.status, none.rows.len(), none.header.len()), (StatusCode::OK, 0, cordon_core::export::OrderLine::HEADER.len()));

    let audit = app.state.store.audit_log(&AuditFilter { entity: Some("export".into()), ..AuditFilter::default() }, 100).await.unwrap();
    let by_p1: Vec<&Value> =
        audit.iter().filter(|r| r.actor_id == Some(app.seed.user("p1_officer").id)).filter_map(|r| r.after.as_ref()).collect();
    assert_eq!(by_p1.len(), 4, "each export is audited");
    assert!(by_p1.iter().any(|a| a["list"] == "cases" && a["node"] == "P1" && a["format"] == "csv" && a["via"] == "api"), "{by_p1:?}");
}

async fn exports_are_for_commands_within_their_subtree(app: &TestApp) {
    two_provinces(app).await;
    let outside = export(app, "p1_officer", "/exports/cases.csv?under=P2").await;
    assert_eq!(outside.status, StatusCode::FORBIDDEN);
    assert_eq!(outside.content_type, "application/problem+json");
    let problem: Value = serde_json::from_str(&outside.body).unwrap();
    assert_eq!((&problem["code"], &problem["errors"][0]["field"]), (&json!("outside_jurisdiction"), &json!("under")));
    for (user, list) in [("worker_c1", "cases"), ("reporter_u1", "reports"), ("worker_p1", "contacts")] {
        let refused = export(app, user, &format!("/exports/{list}.csv")).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{user}");
        assert_eq!(serde_json::from_str::<Value>(&refused.body).unwrap()["code"], "role_forbids");
    }
    let refused = app.get("worker_c1", "/exports/cases.fhir.json").await;
    assert_eq!(refused.0, StatusCode::FORBIDDEN);
    let admin = export(app, "admin", "/exports/cases.csv").await;
    assert_eq!((admin.status, admin.rows.len()), (StatusCode::OK, 2), "administrators read every list below them");
    let p2 = export(app, "p2_officer", "/exports/cases.csv").await;
    assert_eq!(p2.column("full_name"), ["Yoo Na-rae"]);
    let c1 = export(app, "p1_officer", "/exports/cases.csv?under=C1").await;
    assert_eq!((c1.rows.len(), c1.disposition.as_str()), (1, "attachment; filename=\"cases_C1.csv\""));
}

async fn bad_parameters_are_named(app: &TestApp) {
    two_provinces(app).await;
    for (path, status, field) in [
        ("/exports/cases.csv?under=NOWHERE", StatusCode::UNPROCESSABLE_ENTITY, "under"),
        ("/exports/reports.csv?from=2026-13-01", StatusCode::BAD_REQUEST, "from"),
        ("/exports/contacts.csv?from=2026-11-20&to=2026-11-01", StatusCode::UNPROCESSABLE_ENTITY, "to"),
        ("/exports/cases.csv?status=maybe", StatusCode::BAD_REQUEST, "status"),
        ("/exports/orders.csv?status=active", StatusCode::BAD_REQUEST, "status"),
        ("/exports/cases.fhir.json?to=tomorrow", StatusCode::BAD_REQUEST, "to"),
        ("/exports/jurisdictions.geojson?depth=4", StatusCode::UNPROCESSABLE_ENTITY, "depth"),
        ("/exports/jurisdictions.geojson?node=NOWHERE", StatusCode::UNPROCESSABLE_ENTITY, "node"),
        ("/exports/jurisdictions.geojson?date=23.11.2026", StatusCode::BAD_REQUEST, "date"),
    ] {
        let answer = export(app, "p1_officer", path).await;
        assert_eq!(answer.status, status, "{path}: {}", answer.body);
        assert_eq!(answer.content_type, "application/problem+json", "{path}");
        let problem: Value = serde_json::from_str(&answer.body).unwrap();
        assert!(problem["errors"].as_array().unwrap().iter().any(|e| e["field"] == field), "{path}: {problem}");
    }
    // The days select: reports of today only, none from tomorrow.
    assert_eq!(export(app, "p1_officer", "/exports/reports.csv?from=2026-11-23&to=2026-11-23").await.rows.len(), 1);
    assert_eq!(export(app, "p1_officer", "/exports/reports.csv?from=2026-11-24").await.rows.len(), 0);
    assert_eq!(export(app, "p1_officer", "/exports/cases.csv?to=2026-11-22").await.rows.len(), 0);
    assert_eq!(export(app, "p1_officer", "/exports/cases.csv?from=2026-11-23&status=confirmed").await.rows.len(), 1);
    assert_eq!(export(app, "p1_officer", "/exports/cases.csv?status=suspected").await.rows.len(), 0);
    assert_eq!(export(app, "p1_officer", "/exports/orders.csv?from=2026-12-31").await.rows.len(), 0, "no order runs that long");
    assert_eq!(export(app, "p1_officer", "/exports/contacts.csv?to=2026-11-19").await.rows.len(), 0);
}

/// Copies the one report there is `n` times with new ids, straight in SQL.
async fn copy_the_report(app: &TestApp, n: i64) {
    let (id, url) = (
        if app.state.store.backend() == cordon_store::Backend::Sqlite { "randomblob(16)" } else { "gen_random_uuid()" },
        app.database_url(),
    );
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
         INSERT INTO reports (id, person_id, unit_id, unit_path, reporter_id, symptoms, temperature_c, onset_date, note, received_at, report_date, case_id) \
         SELECT {id}, r.person_id, r.unit_id, r.unit_path, r.reporter_id, r.symptoms, r.temperature_c, r.onset_date, 'copy ' || n.i, r.received_at + n.i, r.report_date, NULL \
         FROM reports r, n"
    );
    if url.starts_with("sqlite") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await.unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await.unwrap();
        pool.close().await;
    }
}

async fn a_list_longer_than_a_batch_gives_each_row_once(app: &TestApp) {
    app.case_in("reporter_u1", "U1", "Kim Mi-ok").await;
    copy_the_report(app, 2_345).await;
    let reports = export(app, "p1_officer", "/exports/reports.csv").await;
    assert_eq!(reports.status, StatusCode::OK);
    assert_eq!(reports.rows.len(), 2_346, "three batches of up to 1,000 and the last");
    let ids: HashSet<&str> = reports.column("report_id").into_iter().collect();
    assert_eq!(ids.len(), 2_346, "no row twice");
    let notes: HashSet<&str> = reports.column("note").into_iter().collect();
    assert!((1..=2_345).all(|i| notes.contains(format!("copy {i}").as_str())), "no row skipped");
    assert_eq!(reports.body.matches("report_id,received_at").count(), 1, "the header once");
    assert_eq!(export(app, "p2_officer", "/exports/reports.csv").await.rows.len(), 0);
}

async fn cases_export_as_a_fhir_bundle_that_validates(app: &TestApp) {
    let (case, _) = two_provinces(app).await;
    let probable = app.case_in("reporter_u1", "U1", "Park Ji-hoon").await;
    let (status, body) = app.post("worker_c1", &format!("/cases/{probable}/classification"), json!({"status": "probable"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let response = app.http.get(app.url("/exports/cases.fhir.json")).bearer_auth(&app.seed.tokens["nation_officer"]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/fhir+json");
    let text = response.text().await.unwrap();
    let bundle: Value = serde_json::from_str(&text).unwrap();
    let resources = |kind: &str| -> Vec<Value> {
        bundle["entry"].as_array().unwrap().iter().map(|e| e["resource"].clone()).filter(|r| r["resourceType"] == kind).collect()
    };
    assert_eq!(resources("Condition").len(), 3);
    assert_eq!(resources("Patient").len(), 3);
    assert_eq!(resources("RelatedPerson").len(), 2);
    assert_eq!(resources("Task").len(), 3, "each case's investigation");
    let confirmed = resources("Condition").into_iter().find(|c| c["id"] == json!(case)).unwrap();
    assert_eq!(confirmed["verificationStatus"]["coding"][0]["code"], "confirmed");
    let second = resources("Condition").into_iter().find(|c| c["id"] == json!(probable)).unwrap();
    assert_eq!(
        (&second["verificationStatus"]["coding"][0]["code"], &second["verificationStatus"]["text"]),
        (&json!("provisional"), &json!("probable"))
    );
    crate::fhir::validate(&text, &["Patient", "Condition", "Observation", "Task", "RelatedPerson"]);

    let p2 = app.get("p2_officer", "/exports/cases.fhir.json").await.1;
    assert_eq!(p2["entry"].as_array().unwrap().iter().filter(|e| e["resource"]["resourceType"] == "Condition").count(), 1);
    let none = app.get("p1_officer", "/exports/cases.fhir.json?status=discarded").await.1;
    assert_eq!((&none["resourceType"], &none["entry"]), (&json!("Bundle"), &json!([])));
}

async fn a_bundle_longer_than_a_batch_holds_each_case_once_and_each_person_once(app: &TestApp) {
    let person = app.resident("reporter_u1", "U1", "Han Seo-yeon").await;
    let (_, first) = app.report("reporter_u1", "U1", person, &["fever"], Some(38.9)).await;
    let first = first["case"]["id"].as_str().unwrap().to_owned();
    let (status, body) = app.post("worker_c1", &format!("/cases/{first}/classification"), json!({"status": "discarded"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, again) = app.report("reporter_u1", "U1", person, &["cough"], Some(38.2)).await;
    assert_ne!(again["case"]["id"], json!(first), "a second case of the same person");
    for i in 0..205 {
        app.case_in("reporter_u1", "U1", &format!("Resident {i:03}")).await;
    }
    let text = app.http.get(app.url("/exports/cases.fhir.json")).bearer_auth(&app.seed.tokens["p1_officer"]).send().await.unwrap();
    let text = text.text().await.unwrap();
    let bundle: Value = serde_json::from_str(&text).unwrap();
    let entries = bundle["entry"].as_array().unwrap();
    let count = |kind: &str| entries.iter().filter(|e| e["resource"]["resourceType"] == kind).count();
    assert_eq!((count("Condition"), count("Patient")), (207, 206), "two batches of cases; the person with two cases is one Patient");
    let urls: HashSet<&str> = entries.iter().map(|e| e["fullUrl"].as_str().unwrap()).collect();
    assert_eq!(urls.len(), entries.len());
    crate::fhir::validate(&text, &["Patient", "Condition", "Observation", "Task"]);
}

async fn the_tree_exports_as_geojson_with_labelled_figures(app: &TestApp) {
    two_provinces(app).await;
    let square = r#"{"type":"Polygon","coordinates":[[[126,37],[127,37],[127,38],[126,38],[126,37]]]}"#;
    app.state.store.set_boundaries(None, &[("P1".into(), Some(square.into()))], app.clock_now()).await.unwrap();
    let (status, level) = app.post("p1_officer", "/alert-levels", json!({"node_code": "C1", "level": 2})).await;
    assert_eq!(status, StatusCode::CREATED, "{level}");

    let response = app
        .http
        .get(app.url("/exports/jurisdictions.geojson?node=KR&depth=2"))
        .bearer_auth(&app.seed.tokens["nation_officer"])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/geo+json");
    let collection: Value = response.json().await.unwrap();
    assert_eq!(collection["type"], "FeatureCollection");
    let features = collection["features"].as_array().unwrap();
    let codes: Vec<&str> = features.iter().map(|f| f["properties"]["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["P1", "C1", "P2", "C2"], "two levels below the nation, in path order");
    let feature = |code: &str| features.iter().find(|f| f["properties"]["code"] == code).unwrap();
    assert_eq!(feature("P1")["geometry"]["type"], "Polygon");
    assert_eq!(feature("P2")["geometry"], Value::Null);
    for f in features {
        assert_eq!(f["type"], "Feature");
        let figures = f["properties"]["figures"].as_object().unwrap();
        assert!(figures.len() >= 7, "{f}");
        for (name, figure) in figures {
            assert!(figure["measure"].is_string() && figure["label"].is_string() && figure["value"].is_number(), "{name}: {figure}");
        }
    }
    let p1 = &feature("P1")["properties"];
    assert_eq!(
        (p1["figures"]["symptom_reports_7d"]["value"].as_f64(), p1["figures"]["confirmed_cases"]["value"].as_f64()),
        (Some(1.0), Some(1.0))
    );
    assert_eq!(p1["figures"]["symptom_reports_per_100k_7d"]["value"].as_f64(), Some(100.0), "1 report, 1,000 residents");
    assert_eq!(p1["figures"]["symptom_reports_7d"]["measure"], "sum_7d");
    assert_eq!((p1["level"].as_i64(), p1["path"].as_str(), p1["population"].as_i64()), (Some(1), Some("/KR/P1/"), Some(1000)));
    let level = &feature("C1")["properties"]["figures"]["alert_level"];
    assert_eq!((level["value"].as_f64(), &level["measure"], &level["counted"]), (Some(2.0), &json!("current"), &json!("alert_level")));
    assert!(feature("C1")["properties"]["alert_level_set_at"].is_string());
    assert_eq!(feature("P1")["properties"]["figures"]["alert_level"]["value"], 0.0, "none was set at P1");

    let store = &app.state.store;
    let (kr, reads) = (app.node("KR").await, store.reads_made());
    let areas = store.map_figures(&kr, 3, jiff::civil::date(2026, 11, 23)).await.unwrap();
    assert_eq!((areas.len(), store.reads_made() - reads), (6, 1), "three levels of areas from one read, not one per area");

    let (status, before) = app.get("p1_officer", "/exports/jurisdictions.geojson?date=2026-11-22").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(before["features"][0]["properties"]["figures"]["cases"]["value"], 0.0, "nothing was opened by the day before");
    assert_eq!(before["features"][0]["properties"]["figures"]["alert_level"]["value"], 0.0, "C1's level was set later");
    let (status, problem) = app.get("p1_officer", "/exports/jurisdictions.geojson?node=P2").await;
    assert_eq!((status, &problem["errors"][0]["field"]), (StatusCode::FORBIDDEN, &json!("node")));
    let (status, unit) = app.get("reporter_u1", "/exports/jurisdictions.geojson").await;
    assert_eq!((status, &unit["features"]), (StatusCode::OK, &json!([])), "aggregates of one's own subtree: a unit has no areas below it");
}

async fn the_download_page_offers_each_export_to_commands_without_javascript(app: &TestApp) {
    two_provinces(app).await;
    let officer = crate::web::Browser::signed_in(app, "p1_officer").await;
    let (_, _, board) = officer.get("/board").await;
    assert!(board.contains("href=\"/exports\""), "the command navigation links the page");
    let (status, _, page) = officer.get("/exports").await;
    assert_eq!(status, StatusCode::OK);
    for action in ["cases.csv", "reports.csv", "contacts.csv", "orders.csv", "cases.fhir.json", "jurisdictions.geojson"] {
        assert!(page.contains(&format!("action=\"/exports/{action}\"")), "{action}");
    }
    assert!(page.contains("method=\"get\"") && !page.contains("<script>"), "plain forms");
    assert!(page.contains("value=\"P1\""), "the forms start at the viewer's node");
    // A form submitted as it stands: the empty fields are no filter.
    let (status, headers, body) = officer.get("/exports/cases.csv?under=P1&from=&to=&status=").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(body.lines().count(), 2, "the header and the province's case");
    let (status, headers, _) = officer.get("/exports/cases.fhir.json?under=P1&from=2026-11-23&to=&status=confirmed").await;
    assert_eq!(
        (status, &headers["content-type"]),
        (StatusCode::OK, &"application/fhir+json".parse::<reqwest::header::HeaderValue>().unwrap())
    );
    let (status, headers, _) = officer.get("/exports/jurisdictions.geojson?node=P1&depth=2&date=").await;
    assert_eq!((status, headers["content-type"].to_str().unwrap()), (StatusCode::OK, "application/geo+json"));
    let (status, _, error) = officer.get("/exports/reports.csv?under=P1&from=2026-13-01").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error.contains("from: &#34;2026-13-01&#34; is not a day (YYYY-MM-DD)"), "the error page names the field: {error}");
    let (status, _, _) = officer.get("/exports/reports.csv?under=P2").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = officer.get("/exports/persons.csv").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    officer.post("/lang", &[("lang", "ko"), ("next", "/exports")]).await;
    let (_, _, korean) = officer.get("/exports").await;
    assert!(korean.contains("사례 (CSV)") && korean.contains("CSV 내려받기"), "the page in Korean");

    let worker = crate::web::Browser::signed_in(app, "worker_c1").await;
    assert_eq!(worker.get("/exports").await.0, StatusCode::FORBIDDEN);
    assert_eq!(worker.get("/exports/cases.csv").await.0, StatusCode::FORBIDDEN);
}

async fn the_openapi_document_describes_the_exports(app: &TestApp) {
    let doc: Value = app.http.get(app.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["tags"].as_array().unwrap().iter().any(|t| t["name"] == "exports"));
    for (path, params, kind) in [
        ("/exports/cases.csv", &["under", "from", "to", "status"][..], "text/csv"),
        ("/exports/reports.csv", &["under", "from", "to"][..], "text/csv"),
        ("/exports/contacts.csv", &["under", "from", "to"][..], "text/csv"),
        ("/exports/orders.csv", &["under", "from", "to"][..], "text/csv"),
        ("/exports/cases.fhir.json", &["under", "from", "to", "status"][..], "application/fhir+json"),
        ("/exports/jurisdictions.geojson", &["node", "depth", "date"][..], "application/geo+json"),
    ] {
        let get = &doc["paths"][path]["get"];
        assert_eq!(get["tags"], json!(["exports"]), "{path}");
        let named: Vec<(&str, &str)> =
            get["parameters"].as_array().unwrap().iter().map(|p| (p["name"].as_str().unwrap(), p["in"].as_str().unwrap())).collect();
        assert_eq!(named, params.iter().map(|p| (*p, "query")).collect::<Vec<_>>(), "{path}");
        assert!(get["responses"]["200"]["content"][kind].is_object(), "{path}: {}", get["responses"]["200"]);
        for status in ["400", "403", "422"] {
            assert!(get["responses"][status]["content"]["application/problem+json"].is_object(), "{path} {status}");
        }
    }
}
