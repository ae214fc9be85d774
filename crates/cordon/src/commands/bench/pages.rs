//! `cordon bench pages`: times every command page and summary endpoint,
//! as the national command (`command`) and as a province's command officer
//! (`command.<province code>`), each at their own node, over several rounds,
//! and prints p50, p95 and max per page (a table, or `--json`).
//!
//! With `--database` it serves that database itself on a loopback port
//! (background jobs held off); with `--url` it asks a running server, so
//! that the server's memory can be watched on its own (docs/PERFORMANCE.md).
//! Times are taken by the client on loopback: the server's time plus the
//! loopback round trip.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use cordon_server::{Application, Config};
use serde::Serialize;
use serde_json::{Value, json};

use super::super::demo::setup::{CHIEF, DEMO_PASSWORD, command_officer};

/// The pages and endpoints timed, each at the user's own node.
const PAGES: [&str; 19] = [
    "/board",
    "/board/live",
    "/curve",
    "/map",
    "/sitrep",
    "/alerts",
    "/orders",
    "/escalations",
    "/api/v1/summary/board",
    "/api/v1/summary/curve",
    "/api/v1/summary/rt",
    "/api/v1/summary/response-times",
    "/api/v1/summary/map",
    "/api/v1/sitrep",
    "/api/v1/alerts?limit=50",
    "/api/v1/reports?limit=50",
    "/api/v1/cases?limit=50",
    "/api/v1/tasks?limit=50",
    "/api/v1/orders?limit=50",
];

/// `cordon bench pages`.
#[derive(Debug, Clone, Args)]
pub struct PagesArgs {
    /// Serve this database on a loopback port and time it.
    #[arg(long, conflicts_with = "url", required_unless_present = "url")]
    pub database: Option<String>,
    /// Time a running server instead (e.g. `http://127.0.0.1:8080`).
    #[arg(long)]
    pub url: Option<String>,
    /// Rounds over every page (the first is a warm-up and not counted).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(2..=1000))]
    pub rounds: u32,
    /// The province whose command officer is timed (default: the first province).
    #[arg(long)]
    pub province: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// One page's times.
#[derive(Debug, Serialize)]
struct Timing {
    user: String,
    page: String,
    status: u16,
    p50_ms: f64,
    p95_ms: f64,
    max_ms: f64,
}

/// The `q` quantile (nearest rank) of sorted times, in milliseconds.
fn quantile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    #[expect(clippy::cast_precision_loss, clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a few rounds")]
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1000.0
}

async fn sign_in(http: &reqwest::Client, base: &str, user: &str) -> anyhow::Result<String> {
    let r = http
        .post(format!("{base}/api/v1/tokens"))
        .json(&json!({"username": user, "password": DEMO_PASSWORD, "device": "cordon bench pages"}))
        .send()
        .await
        .with_context(|| format!("signing in as {user} at {base}"))?;
    if !r.status().is_success() {
        bail!("signing in as {user}: {} (is this a `cordon bench data` or demo database?)", r.status());
    }
    let body: Value = r.json().await?;
    body["token"].as_str().map(str::to_owned).context("no token in the sign-in answer")
}

/// The first province's code, as the national command sees the tree.
async fn first_province(http: &reqwest::Client, base: &str, token: &str) -> anyhow::Result<String> {
    let body: Value = http.get(format!("{base}/api/v1/nodes?level=1&limit=1")).bearer_auth(token).send().await?.json().await?;
    body["items"][0]["code"].as_str().map(str::to_owned).context("no province in the tree")
}

/// Times every page for one user over `rounds` rounds (the first not counted).
async fn time_user(http: &reqwest::Client, base: &str, user: &str, token: &str, rounds: u32) -> anyhow::Result<Vec<Timing>> {
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); PAGES.len()];
    let mut statuses = vec![0_u16; PAGES.len()];
    for round in 0..rounds {
        for (i, page) in PAGES.iter().enumerate() {
            let started = Instant::now();
            let r = http.get(format!("{base}{page}")).bearer_auth(token).send().await?;
            statuses[i] = r.status().as_u16();
            r.bytes().await?;
            if round > 0 {
                times[i].push(started.elapsed());
            }
        }
    }
    Ok(PAGES
        .iter()
        .zip(times)
        .zip(statuses)
        .map(|((page, mut t), status)| {
            t.sort();
            Timing {
                user: user.to_owned(),
                page: (*page).to_owned(),
                status,
                p50_ms: quantile(&t, 0.5),
                p95_ms: quantile(&t, 0.95),
                max_ms: t.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
            }
        })
        .collect())
}

/// Serves `database` on a loopback port; the sender stops it.
async fn serve(database: &str) -> anyhow::Result<(String, tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<()>)> {
    let store = cordon_store::Store::open(database).await.with_context(|| format!("opening {database}"))?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let config = Config {
        listen: listener.local_addr()?,
        secure_cookies: false,
        job_interval: Some(Duration::from_hours(24)),
        notify_webhook: None,
        public_url: None,
        trusted_proxies: Vec::new(),
        metrics_token: None,
    };
    let app = Application::on(listener, &config, store.clone(), std::sync::Arc::new(cordon_server::clock::SystemClock));
    let base = format!("http://{}", app.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        if let Err(error) = app.run(async move { stopped.await.unwrap_or_default() }).await {
            tracing::error!(%error, "the benchmarked server failed");
        }
        store.close().await;
    });
    Ok((base, stop, task))
}

fn print_table(timings: &[Timing]) {
    println!("{:<26} {:<34} {:>6} {:>9} {:>9} {:>9}", "user", "page", "status", "p50 ms", "p95 ms", "max ms");
    for t in timings {
        println!("{:<26} {:<34} {:>6} {:>9.1} {:>9.1} {:>9.1}", t.user, t.page, t.status, t.p50_ms, t.p95_ms, t.max_ms);
    }
}

/// `cordon bench pages`.
pub async fn run(args: PagesArgs) -> anyhow::Result<()> {
    super::super::init_logging(super::super::LogFormat::Text);
    let (base, server) = match (&args.url, &args.database) {
        (Some(url), _) => (url.trim_end_matches('/').to_owned(), None),
        (None, Some(database)) => {
            let (base, stop, task) = serve(database).await?;
            (base, Some((stop, task)))
        }
        (None, None) => bail!("give --database or --url"),
    };
    let http = reqwest::Client::builder().timeout(Duration::from_mins(5)).build()?;
    let chief = sign_in(&http, &base, CHIEF).await?;
    let province = match &args.province {
        Some(code) => code.clone(),
        None => first_province(&http, &base, &chief).await?,
    };
    let officer_name = command_officer(&province);
    let officer = sign_in(&http, &base, &officer_name).await?;
    let mut timings = time_user(&http, &base, CHIEF, &chief, args.rounds).await?;
    timings.extend(time_user(&http, &base, &officer_name, &officer, args.rounds).await?);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&timings)?);
    } else {
        print_table(&timings);
    }
    if let Some((stop, task)) = server {
        let _ = stop.send(());
        let _ = task.await;
    }
    if let Some(bad) = timings.iter().find(|t| t.status >= 400) {
        bail!("{} answered {} for {}", bad.page, bad.status, bad.user);
    }
    Ok(())
}
