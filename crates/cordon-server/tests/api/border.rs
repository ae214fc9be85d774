//! The border on both databases: closures an earlier cordon kept in its
//! settings become border directives when the store opens, and from then on
//! the arrivals check reads them from there.

use cordon_core::border;
use cordon_store::Store;
use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(closures_kept_in_the_settings_become_border_directives);

/// Writes the settings as an earlier cordon kept them, with closures.
async fn write_old_settings(url: &str, settings: &serde_json::Value) {
    let text = settings.to_string();
    if url.starts_with("sqlite") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::query("UPDATE settings SET value = $1 WHERE key = 'operations'").bind(text).execute(&pool).await.unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::query("UPDATE settings SET value = $1::jsonb WHERE key = 'operations'").bind(text).execute(&pool).await.unwrap();
        pool.close().await;
    }
}

async fn closures_kept_in_the_settings_become_border_directives(app: &TestApp) {
    app.add_border_post().await;
    let mut settings = app.get("admin", "/settings").await.1;
    settings["entry_rules"] = json!([{"country": "JP", "rule": "home_quarantine"}]);
    let (status, _) = app.call("admin", reqwest::Method::PUT, "/settings", Some(settings.clone())).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    settings["entry_closures"] = json!([
        {"point_of_entry_code": "POE-1", "from": "2026-11-20", "to": "2026-12-31"},
        {"point_of_entry_code": "GONE", "from": "2026-11-20", "to": "2026-12-31"},
    ]);
    write_old_settings(app.database_url(), &settings).await;

    let store = Store::open(app.database_url()).await.unwrap();
    let kept = store.settings().await.unwrap();
    assert_eq!(kept.entry_rules.len(), 1, "the rest of the settings stays");
    let directives = store.border_directives().await.unwrap();
    assert_eq!(directives.len(), 1, "the closure of an unknown point of entry is dropped");
    let admin = app.seed.user("admin");
    assert_eq!(directives[0].versions[0].issued_by, admin.id, "issued by the administrator who saved the settings");
    let closures = border::closures(&directives, jiff::civil::date(2026, 11, 23));
    assert_eq!((closures[0].point_of_entry_code.as_str(), closures[0].to), ("POE-1", Some(jiff::civil::date(2026, 12, 31))));

    let again = Store::open(app.database_url()).await.unwrap();
    assert_eq!(again.border_directives().await.unwrap().len(), 1, "moved once");
}
