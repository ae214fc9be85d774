//! Paging through the lists of orders, handovers and arrivals: every row
//! once, in order, with the filter kept by the `next` and `prev` links.

use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::web::{Browser, location};

on_both_backends!(
    the_orders_list_pages_through_every_order_once_and_keeps_its_filter,
    the_handover_queue_narrows_to_a_node_and_pages,
    the_arrivals_list_pages_newest_first,
);

/// The address of the link marked `rel` (`next`, `prev`) in a page.
fn rel_link(page: &str, rel: &str) -> Option<String> {
    let end = page.find(&format!(r#"" rel="{rel}">"#))?;
    let start = page[..end].rfind(r#"href=""#)? + r#"href=""#.len();
    Some(page[start..end].replace("&amp;", "&").replace("&#38;", "&"))
}

/// The values of the `data-{attr}` attributes of a page, in order.
fn ids_in(page: &str, attr: &str) -> Vec<String> {
    page.split(&format!(r#"data-{attr}=""#)).skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_owned).collect()
}

/// The "51–100 of 4,212" line under a list.
fn range_of(page: &str) -> &str {
    page.split("<p data-range>").nth(1).and_then(|rest| rest.split("</p>").next()).unwrap_or("")
}

/// Follows the `next` links from `start`, returning each page's rows (the
/// `data-{attr}` ids) and checking each link keeps `kept`.
async fn walk(b: &Browser, start: &str, attr: &str, kept: &[&str]) -> Vec<(String, Vec<String>)> {
    let mut pages = Vec::new();
    let mut next = Some(start.to_owned());
    while let Some(path) = next.take() {
        let (status, _, page) = b.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        next = rel_link(&page, "next");
        if let Some(link) = &next {
            assert!(kept.iter().all(|k| link.contains(k)), "the next link keeps {kept:?}: {link}");
        }
        pages.push((page.clone(), ids_in(&page, attr)));
        assert!(pages.len() <= 10, "the pages end");
    }
    pages
}

async fn the_orders_list_pages_through_every_order_once_and_keeps_its_filter(app: &TestApp) {
    let case = app.case_in("reporter_u1", "U1", "Index Passenger").await;
    let listed = app.list_contacts("worker_c1", &case, "U1", "Passenger", 120).await;
    app.list_contacts("worker_c1", &case, "U3", "Visitor", 3).await;
    let mut expected: std::collections::HashSet<String> = listed.iter().map(|l| l["order"]["id"].as_str().unwrap().to_owned()).collect();
    for l in &listed[..5] {
        let order = l["order"]["id"].as_str().unwrap();
        let (status, body) =
            app.post("p1_officer", &format!("/orders/{order}/release"), serde_json::json!({"reason": "negative test"})).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{body}");
        expected.remove(order);
    }

    let b = Browser::signed_in(app, "p1_officer").await;
    let pages = walk(&b, "/orders?node=C1&status=active", "order", &["node=C1", "status=active"]).await;
    let sizes: Vec<usize> = pages.iter().map(|(_, ids)| ids.len()).collect();
    assert_eq!(sizes, [50, 50, 15], "pages of 50");
    assert_eq!(range_of(&pages[0].0), "1–50 of 115");
    assert_eq!(range_of(&pages[1].0), "51–100 of 115");
    assert_eq!(range_of(&pages[2].0), "101–115 of 115");
    let seen: Vec<String> = pages.iter().flat_map(|(_, ids)| ids.clone()).collect();
    let unique: std::collections::HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "no order is shown twice");
    assert_eq!(unique, expected, "every active order of C1 is shown, and no other");

    // Back from the last page to the middle one, and on to the first.
    let previous = rel_link(&pages[2].0, "prev").expect("the last page links back");
    assert!(previous.contains("node=C1") && previous.contains("status=active"), "{previous}");
    let (_, _, middle) = b.get(&previous).await;
    assert_eq!(ids_in(&middle, "order"), pages[1].1);
    assert_eq!(range_of(&middle), "51–100 of 115");
    let (_, _, first) = b.get(&rel_link(&middle, "prev").expect("and back again")).await;
    assert_eq!(ids_in(&first, "order"), pages[0].1);
    assert!(rel_link(&first, "prev").is_none(), "the first page has no previous page");

    let (_, _, released) = b.get("/orders?node=P1&status=released").await;
    assert_eq!((ids_in(&released, "order").len(), range_of(&released)), (5, "1–5 of 5"));
    assert!(rel_link(&released, "next").is_none());
    let (status, _, body) = b.get("/orders?cursor=a.nonsense").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("<h1>") && body.contains("cursor"), "{body}");
}

async fn the_handover_queue_narrows_to_a_node_and_pages(app: &TestApp) {
    let p1_case = app.case_in("reporter_u1", "U1", "Index Driver").await;
    let to_p2 = app.list_contacts("worker_c1", &p1_case, "U3", "Traveller", 60).await;
    let p2_case = app.case_in("reporter_u3", "U3", "Index Host").await;
    let to_p1 = app.list_contacts("worker_c2", &p2_case, "U1", "Guest", 2).await;
    let handover = |l: &serde_json::Value| l["handover"]["id"].as_str().expect("handed over").to_owned();

    let nation = Browser::signed_in(app, "nation_officer").await;
    let (status, _, page) = nation.get("/handovers?node=P1").await;
    assert_eq!(status, StatusCode::OK);
    let mut shown = ids_in(&page, "handover");
    shown.sort();
    let mut expected: Vec<String> = to_p1.iter().map(handover).collect();
    expected.sort();
    assert_eq!(shown, expected, "only the handovers received in P1");
    assert_eq!(range_of(&page), "1–2 of 2");

    let pages = walk(&nation, "/handovers?node=P2", "handover", &["node=P2"]).await;
    assert_eq!(pages.iter().map(|(_, ids)| ids.len()).collect::<Vec<_>>(), [50, 10]);
    assert_eq!((range_of(&pages[0].0), range_of(&pages[1].0)), ("1–50 of 60", "51–60 of 60"));
    assert!(pages[1].0.contains("60 waiting to be taken on."), "the whole queue is counted, not the page");
    let mut seen: Vec<String> = pages.iter().flat_map(|(_, ids)| ids.clone()).collect();
    seen.sort();
    let mut expected: Vec<String> = to_p2.iter().map(handover).collect();
    expected.sort();
    assert_eq!(seen, expected, "every handover into P2 once");

    let (_, _, board) = nation.get("/board?node=P2").await;
    for link in ["/orders?node=P2", "/handovers?node=P2", "/arrivals?node=P2"] {
        assert!(board.contains(&format!(r#"href="{link}""#)), "the board links {link}");
    }

    let p2 = Browser::signed_in(app, "p2_officer").await;
    let (status, headers, body) = p2.get("/handovers?node=P1").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "P1 is outside P2's subtree");
    assert!(headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").starts_with("text/html") && body.contains("<h1>"));
    let (_, _, page) = p2.get("/handovers?node=C2").await;
    let first = ids_in(&page, "handover").into_iter().next().expect("C2's queue");
    let accept = format!("/handovers/{first}/accept?node=C2");
    assert!(page.contains(&format!(r#"action="{accept}""#)), "{page}");
    let (status, headers, _) = p2.post(&accept, &[]).await;
    assert_eq!((status, location(&headers)), (StatusCode::SEE_OTHER, "/handovers?node=C2&done=accepted"), "back to C2's queue");
}

async fn the_arrivals_list_pages_newest_first(app: &TestApp) {
    app.add_border_post().await;
    let b = Browser::signed_in(app, "border_p1").await;
    let mut registered = Vec::new();
    for i in 0..55 {
        let id = Uuid::new_v4().to_string();
        let (name, document) = (format!("Traveller {i:03}"), format!("JP{i:07}"));
        let form = [
            ("id", id.as_str()),
            ("point_of_entry_code", "POE-1"),
            ("person.full_name", name.as_str()),
            ("person.sex", "female"),
            ("person.birth_year", "1991"),
            ("person.unit_code", "U2"),
            ("travel_document", document.as_str()),
            ("origin_country", "JP"),
            ("arrived_on", "2026-11-23"),
            ("temperature_c", "36.6"),
        ];
        let (status, _, page) = b.post("/arrivals", &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
        registered.push(id);
        app.clock.advance(jiff::SignedDuration::from_secs(30));
    }
    let pages = walk(&b, "/arrivals", "arrival", &["node=P1"]).await;
    assert_eq!(pages.iter().map(|(_, ids)| ids.len()).collect::<Vec<_>>(), [50, 5]);
    assert_eq!((range_of(&pages[0].0), range_of(&pages[1].0)), ("1–50 of 55", "51–55 of 55"));
    let seen: Vec<String> = pages.iter().flat_map(|(_, ids)| ids.clone()).collect();
    registered.reverse();
    assert_eq!(seen, registered, "newest first, each once");
    assert!(pages[1].0.contains(r#"id="entry-rules""#), "the entry rules stay under the list");
}
