//! Paging of the API's long lists (`GET /orders`, `/arrivals`, `/handovers`):
//! `limit` and `cursor`, the whole list's size in `X-Total-Count`, the next
//! page in `X-Next-Cursor` and `Link`, and a bad parameter refused naming it.

use std::collections::HashSet;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    the_order_list_is_read_page_by_page_through_its_cursor,
    handovers_and_arrivals_are_paged_the_same_way,
    a_bad_limit_or_cursor_is_refused_naming_the_parameter,
    a_list_without_a_keyset_is_read_page_by_page_by_position,
);

/// A GET as `token`'s user at an address under the server, with the headers.
async fn fetch(app: &TestApp, token: &str, path: &str) -> (StatusCode, HeaderMap, Value) {
    let r = app.http.get(format!("http://{}{path}", app.addr)).bearer_auth(token).send().await.unwrap();
    let (status, headers) = (r.status(), r.headers().clone());
    (status, headers, r.json().await.unwrap())
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Reads every page of `path` (an `/api/v1` address with a `limit`) by its
/// `X-Next-Cursor`, checking the total on each; returns the pages.
async fn every_page(app: &TestApp, token: &str, path: &str, total: usize) -> Vec<Vec<Value>> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let address = match &cursor {
            Some(c) => format!("{path}&cursor={c}"),
            None => path.to_owned(),
        };
        let (status, headers, body) = fetch(app, token, &address).await;
        assert_eq!(status, StatusCode::OK, "{address}: {body}");
        assert_eq!(header(&headers, "x-total-count"), Some(total.to_string().as_str()), "{address}");
        pages.push(body["items"].as_array().unwrap().clone());
        cursor = header(&headers, "x-next-cursor").map(str::to_owned);
        assert_eq!(body["next_cursor"].as_str(), cursor.as_deref(), "{address}: the body's next_cursor is the header's");
        let link = header(&headers, "link").unwrap_or("");
        assert_eq!(cursor.is_some(), link.contains(r#"rel="next""#), "Link and X-Next-Cursor agree: {link}");
        if cursor.is_none() {
            return pages;
        }
        assert!(pages.len() <= total, "the pages end");
    }
}

fn ids(pages: &[Vec<Value>]) -> Vec<String> {
    pages.iter().flatten().map(|v| v["id"].as_str().unwrap().to_owned()).collect()
}

async fn the_order_list_is_read_page_by_page_through_its_cursor(app: &TestApp) {
    let case = app.case_in("reporter_u1", "U1", "Index Cook").await;
    let listed = app.list_contacts("worker_c1", &case, "U1", "Diner", 30).await;
    app.list_contacts("worker_c1", &case, "U3", "Visitor", 2).await;
    for l in &listed[..3] {
        let order = l["order"]["id"].as_str().unwrap();
        let (status, body) = app.post("p1_officer", &format!("/orders/{order}/release"), json!({"reason": "tested negative"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let token = &app.seed.tokens["p1_officer"];

    let pages = every_page(app, token, "/api/v1/orders?under=P1&status=active&limit=8", 27).await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [8, 8, 8, 3]);
    let seen = ids(&pages);
    let expected: HashSet<String> = listed[3..].iter().map(|l| l["order"]["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(seen.len(), 27);
    assert_eq!(seen.iter().cloned().collect::<HashSet<_>>(), expected, "each active order of P1 once");
    let ends: Vec<&str> = pages.iter().flatten().map(|o| o["ends_on"].as_str().unwrap()).collect();
    assert!(ends.windows(2).all(|w| w[0] <= w[1]), "orders in force come by last day, soonest first: {ends:?}");
    assert!(ends.first() < ends.last(), "the contacts' orders end on different days");

    // The Link header leads to the same next page, with the other parameters kept.
    let (_, headers, first) = fetch(app, token, "/api/v1/orders?under=P1&status=active&limit=8").await;
    let link = header(&headers, "link").unwrap();
    let next = link.split('<').nth(1).and_then(|l| l.split('>').next()).unwrap();
    assert!(next.starts_with("/api/v1/orders?") && next.contains("under=P1") && next.contains("status=active") && next.contains("limit=8"));
    let (_, headers, second) = fetch(app, token, next).await;
    assert_eq!(second["items"], Value::Array(pages[1].clone()));
    assert!(header(&headers, "link").unwrap().contains(r#"rel="prev""#));
    assert_eq!(first["items"], Value::Array(pages[0].clone()));

    let released = every_page(app, token, "/api/v1/orders?under=P1&status=released&limit=2", 3).await;
    assert_eq!(released.iter().map(Vec::len).collect::<Vec<_>>(), [2, 1]);
    // All of P1's orders (the visitors in U3 are P2's): in force and released.
    let everything = every_page(app, token, "/api/v1/orders?limit=500", 30).await;
    let ends: Vec<&str> = everything.iter().flatten().map(|o| o["ends_on"].as_str().unwrap()).collect();
    assert!(ends.windows(2).all(|w| w[0] >= w[1]), "a list with ended orders comes latest end first: {ends:?}");
}

async fn handovers_and_arrivals_are_paged_the_same_way(app: &TestApp) {
    let case = app.case_in("reporter_u1", "U1", "Index Singer").await;
    let listed = app.list_contacts("worker_c1", &case, "U3", "Chorister", 7).await;
    let p2 = &app.seed.tokens["p2_officer"];
    let pages = every_page(app, p2, "/api/v1/handovers?limit=3", 7).await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 1]);
    let mut seen = ids(&pages);
    seen.sort();
    let mut expected: Vec<String> = listed.iter().map(|l| l["handover"]["id"].as_str().unwrap().to_owned()).collect();
    expected.sort();
    assert_eq!(seen, expected);
    assert_eq!(every_page(app, p2, "/api/v1/handovers?under=U3&limit=10", 7).await.len(), 1);
    let (status, _, problem) = fetch(app, p2, "/api/v1/handovers?under=U1").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "node");

    let border = app.add_border_post().await;
    for i in 0..5 {
        let arrival = json!({
            "id": Uuid::new_v4(), "point_of_entry_code": "POE-1",
            "person": {"full_name": format!("Arrival {i}"), "sex": "male", "birth_year": 1979, "unit_code": "U1"},
            "travel_document": format!("K{i:07}"), "origin_country": "JP", "arrived_on": "2026-11-23", "temperature_c": 36.5
        });
        let r = app.http.post(app.url("/arrivals")).bearer_auth(&border).json(&arrival).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        app.clock.advance(jiff::SignedDuration::from_secs(60));
    }
    let pages = every_page(app, &app.seed.tokens["p1_officer"], "/api/v1/arrivals?limit=2", 5).await;
    let names: Vec<String> = pages.iter().flatten().map(|a| a["travel_document"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, ["K0000004", "K0000003", "K0000002", "K0000001", "K0000000"], "newest first, each once");
}

/// Every list of the API (the nation officer may read each).
const LISTS: [&str; 18] = [
    "orders",
    "arrivals",
    "handovers",
    "cases",
    "reports",
    "persons",
    "tasks",
    "alerts",
    "escalations",
    "events",
    "directives",
    "gatherings",
    "lectures",
    "rumours",
    "alert-levels",
    "nodes",
    "facilities",
    "users",
];

async fn a_bad_limit_or_cursor_is_refused_naming_the_parameter(app: &TestApp) {
    let token = &app.seed.tokens["nation_officer"];
    for list in LISTS {
        for (query, field) in
            [("limit=0", "limit"), ("limit=501", "limit"), ("limit=-1", "limit"), ("limit=ten", "limit"), ("cursor=a.b.c", "cursor")]
        {
            let path = format!("/api/v1/{list}?{query}");
            let r = app.http.get(format!("http://{}{path}", app.addr)).bearer_auth(token).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{path}");
            assert_eq!(header(r.headers(), "content-type"), Some("application/problem+json"), "{path}");
            let problem: Value = r.json().await.unwrap();
            assert_eq!(problem["errors"][0]["field"], field, "{path}: {problem}");
        }
        let (status, _, page) = fetch(app, token, &format!("/api/v1/{list}?limit=500")).await;
        assert_eq!(status, StatusCode::OK, "{list}: the largest page is allowed: {page}");
        assert!(page["items"].is_array() && page.as_object().unwrap().contains_key("next_cursor"), "{list}: one shape: {page}");
    }
    // A cursor of another list's kind (a day where a time is kept) is refused too.
    let (status, _, problem) = fetch(app, token, &format!("/api/v1/handovers?cursor=a.2026-12-07.{}", Uuid::nil().simple())).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("cursor")));
}

/// The node list (read whole, cut by position) gives every node once over
/// its pages, in the order of the list read in one page.
async fn a_list_without_a_keyset_is_read_page_by_page_by_position(app: &TestApp) {
    let token = &app.seed.tokens["nation_officer"];
    let (status, _, whole) = fetch(app, token, "/api/v1/nodes?limit=500").await;
    assert_eq!((status, &whole["next_cursor"]), (StatusCode::OK, &Value::Null), "{whole}");
    let whole = whole["items"].as_array().unwrap().clone();
    assert!(whole.len() > 4, "the seeded tree has more nodes than a page of 2");
    let (mut seen, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let address = cursor.as_ref().map_or_else(|| "/api/v1/nodes?limit=2".to_owned(), |c| format!("/api/v1/nodes?limit=2&cursor={c}"));
        let (status, _, page) = fetch(app, token, &address).await;
        assert_eq!(status, StatusCode::OK, "{address}: {page}");
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2, "{address}");
        seen.extend(items.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(seen.len() <= whole.len(), "no page repeats a node");
    }
    assert_eq!(seen, whole);
}
