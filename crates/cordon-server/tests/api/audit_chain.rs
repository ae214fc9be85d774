//! The audit chain seen by an administrator: `GET /audit/verify` and the
//! audit page say intact up to the head; after a row is deleted directly in
//! the database, both name the record where the chain breaks. Others are
//! refused.

use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::web::Browser;

on_both_backends!(the_chain_is_verified_for_administrators_and_a_deleted_record_is_named);

/// Runs one statement on the test's database behind the server's back.
async fn tamper(app: &TestApp, sql: &'static str) {
    let url = app.database_url();
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::raw_sql(sql).execute(&pool).await.unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::raw_sql(sql).execute(&pool).await.unwrap();
        pool.close().await;
    }
}

async fn the_chain_is_verified_for_administrators_and_a_deleted_record_is_named(app: &TestApp) {
    app.case_in("reporter_u1", "U1", "Kim Mi-ok").await;
    // Signing in is audited: both browsers first, so the head stays put below.
    let admin = Browser::signed_in(app, "admin").await;
    let officer = Browser::signed_in(app, "nation_officer").await;
    let (status, report) = app.get("admin", "/audit/verify").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["intact"], true, "{report}");
    let head = report["head_seq"].as_i64().unwrap();
    assert!(head > 5, "the seed and the case were audited: {report}");
    assert_eq!(report["records"].as_i64(), Some(head));
    assert_eq!(report["head_hash"].as_str().unwrap().len(), 64);
    for user in ["nation_officer", "p1_officer", "reporter_u1"] {
        let (status, body) = app.get(user, "/audit/verify").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user}: {body}");
    }

    let (status, _, html) = admin.get("/admin/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("data-intact=\"true\" data-seq=\"{head}\"")), "{html}");
    assert!(html.contains(&format!("Audit chain intact up to seq {head}")));
    assert!(html.contains(report["head_hash"].as_str().unwrap()));
    assert_eq!(officer.get("/admin/audit").await.0, StatusCode::FORBIDDEN);

    tamper(app, "DELETE FROM audit WHERE seq = 3").await;
    let (_, report) = app.get("admin", "/audit/verify").await;
    assert_eq!(report["intact"], false, "{report}");
    assert_eq!(report["fault"]["seq"], 4);
    assert_eq!(report["fault"]["breach"]["kind"], "record_missing");
    assert_eq!(report["fault"]["breach"]["previous_seq"], 2);
    assert_eq!(report["intact_up_to"], 2);
    let (_, _, html) = admin.get("/admin/audit").await;
    assert!(html.contains("data-intact=\"false\" data-seq=\"4\""), "{html}");
    assert!(html.contains("Audit chain broken at seq 4: records before this one were removed"), "{html}");
}
