//! `cordon bench ingest`: a loopback load generator for the report intake.
//!
//! It signs in to a running cordon (a device token, so no cookie and no
//! form token), lists residents the user may report on (`GET /persons`, up
//! to `--residents`), then has `--clients` concurrent clients post fever
//! reports (`POST /api/v1/reports`, each with a fresh id) for `--duration`
//! seconds. Without `--rate` each client posts again as soon as it is
//! answered (closed loop: the most the server takes); with `--rate R` the
//! reports leave on a fixed schedule of R per second in total (open loop),
//! and each latency counts from the report's scheduled time, so a server
//! that falls behind shows it in the latencies instead of slowing the load.
//! It prints reports per second, p50/p99/max latency and errors; `--json`
//! prints one object.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use reqwest::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

/// Flags of `cordon bench ingest`.
#[derive(Debug, Clone, Args)]
pub struct IngestArgs {
    /// Base URL of the running cordon (loopback), e.g. `http://127.0.0.1:8080`.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// Concurrent clients, each with one report in flight.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub clients: u32,
    /// Seconds to post for.
    #[arg(long, default_value_t = 10.0, value_parser = positive)]
    pub duration: f64,
    /// Reports per second in total, sent on a fixed schedule (open loop);
    /// without it every client posts again as soon as it is answered.
    #[arg(long, value_parser = positive)]
    pub rate: Option<f64>,
    /// The user to sign in as (one who may file reports: a reporter, a
    /// health worker or a command officer).
    #[arg(long, default_value = "command")]
    pub user: String,
    /// Their password.
    #[arg(long, env = "CORDON_BENCH_PASSWORD", default_value = "cordon-demo")]
    pub password: String,
    /// How many residents to spread the reports over (at most).
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub residents: u32,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

fn positive(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!("{text:?} is not a positive number")),
    }
}

/// A resident and the code of their unit: what a report names.
#[derive(Debug, Clone)]
struct Resident {
    id: Uuid,
    unit_code: String,
}

/// What one run measured.
#[derive(Debug, Serialize)]
pub struct Outcome {
    /// The server measured.
    pub url: String,
    /// Concurrent clients.
    pub clients: u32,
    /// Seconds of posting asked for.
    pub duration_s: f64,
    /// The fixed rate asked for (reports/s), if any.
    pub rate: Option<f64>,
    /// Reports answered 200 or 201.
    pub reports: u64,
    /// Reports stored (201) among them.
    pub created: u64,
    /// Requests that failed or were answered otherwise.
    pub errors: u64,
    /// Answered reports per second of the run.
    pub per_second: f64,
    /// Median latency (ms).
    pub p50_ms: f64,
    /// 99th percentile latency (ms).
    pub p99_ms: f64,
    /// Slowest (ms).
    pub max_ms: f64,
    /// Mean latency (ms).
    pub mean_ms: f64,
    /// Seconds from the first report sent to the last answered.
    pub elapsed_s: f64,
    /// The first error seen, if any.
    pub first_error: Option<String>,
}

/// What one client saw.
#[derive(Debug, Default)]
struct Tally {
    latencies_us: Vec<u64>,
    created: u64,
    errors: u64,
    first_error: Option<String>,
}

/// Runs `cordon bench ingest`.
pub async fn run(args: IngestArgs) -> anyhow::Result<()> {
    let outcome = measure(&args).await?;
    if args.json {
        println!("{}", serde_json::to_string(&outcome)?);
    } else {
        print_text(&outcome);
    }
    Ok(())
}

fn print_text(o: &Outcome) {
    let load = o.rate.map_or_else(|| "as fast as answered".to_owned(), |r| format!("at {r} reports/s"));
    println!("{} clients for {} s against {} ({load})", o.clients, o.duration_s, o.url);
    println!("  {} reports answered ({} stored) in {:.2} s: {:.0} reports/s", o.reports, o.created, o.elapsed_s, o.per_second);
    println!("  latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, mean {:.2} ms", o.p50_ms, o.p99_ms, o.max_ms, o.mean_ms);
    println!("  errors {}", o.errors);
    if let Some(e) = &o.first_error {
        println!("  first error: {e}");
    }
}

/// Signs in, finds residents and runs the load.
pub async fn measure(args: &IngestArgs) -> anyhow::Result<Outcome> {
    let base = args.url.trim_end_matches('/').to_owned();
    let clients = usize::try_from(args.clients)?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .tcp_nodelay(true)
        .timeout(Duration::from_mins(1))
        .build()
        .context("building the HTTP client")?;
    let token = sign_in(&http, &base, args).await?;
    let residents = Arc::new(residents(&http, &base, &token, usize::try_from(args.residents)?).await?);
    let endpoint = Arc::new(format!("{base}/api/v1/reports"));
    let auth = Arc::new(format!("Bearer {token}"));
    let start = Instant::now() + Duration::from_millis(20);
    let deadline = start + Duration::from_secs_f64(args.duration);
    let next = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::with_capacity(clients);
    for client in 0..clients {
        let load = Load {
            http: http.clone(),
            endpoint: Arc::clone(&endpoint),
            auth: Arc::clone(&auth),
            residents: Arc::clone(&residents),
            next: Arc::clone(&next),
            rate: args.rate,
            start,
            deadline,
        };
        tasks.push(tokio::spawn(async move { load.client(client).await }));
    }
    let mut tallies = Vec::with_capacity(clients);
    for task in tasks {
        tallies.push(task.await.context("a client stopped")?);
    }
    let elapsed = start.elapsed().as_secs_f64();
    Ok(summarise(args, &base, tallies, elapsed))
}

/// Signs in for a device token.
async fn sign_in(http: &reqwest::Client, base: &str, args: &IngestArgs) -> anyhow::Result<String> {
    let body = json!({ "username": args.user, "password": args.password, "device": "cordon bench ingest" });
    let answer = http.post(format!("{base}/api/v1/tokens")).json(&body).send().await.with_context(|| format!("reaching {base}"))?;
    let status = answer.status();
    let body: Value = answer.json().await.unwrap_or(Value::Null);
    if status != StatusCode::CREATED {
        bail!("signing in as {:?} at {base}: HTTP {status}: {body}", args.user);
    }
    body["token"].as_str().map(str::to_owned).context("the sign-in answer holds no token")
}

/// Up to `most` residents the signed-in user may report on.
async fn residents(http: &reqwest::Client, base: &str, token: &str, most: usize) -> anyhow::Result<Vec<Resident>> {
    let mut found = Vec::new();
    let mut cursor: Option<String> = None;
    while found.len() < most {
        let limit = (most - found.len()).min(500);
        let mut params = vec![("limit", limit.to_string())];
        if let Some(c) = &cursor {
            params.push(("cursor", c.clone()));
        }
        let list = reqwest::Url::parse_with_params(&format!("{base}/api/v1/persons"), &params).context("the --url is not a URL")?;
        let answer = http.get(list).bearer_auth(token).send().await.context("listing residents")?;
        let status = answer.status();
        let page: Value = answer.json().await.unwrap_or(Value::Null);
        if status != StatusCode::OK {
            bail!("listing residents: HTTP {status}: {page}");
        }
        for person in page["items"].as_array().into_iter().flatten() {
            let id = person["id"].as_str().and_then(|s| s.parse().ok());
            let unit = person["unit_path"].as_str().and_then(|p| p.trim_end_matches('/').rsplit('/').next());
            if let (Some(id), Some(unit)) = (id, unit) {
                found.push(Resident { id, unit_code: unit.to_owned() });
            }
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    if found.is_empty() {
        bail!("no residents to report on in the signed-in user's jurisdiction (run `cordon demo`, or register residents first)");
    }
    Ok(found)
}

/// What every client shares.
struct Load {
    http: reqwest::Client,
    endpoint: Arc<String>,
    auth: Arc<String>,
    residents: Arc<Vec<Resident>>,
    next: Arc<AtomicU64>,
    rate: Option<f64>,
    start: Instant,
    deadline: Instant,
}

impl Load {
    /// One client's loop until the deadline.
    async fn client(self, client: usize) -> Tally {
        let mut tally = Tally::default();
        let mut turn = client;
        loop {
            let sent = match self.rate {
                None => {
                    let now = Instant::now();
                    if now < self.start {
                        tokio::time::sleep_until(self.start.into()).await;
                    }
                    Instant::now()
                }
                Some(rate) => {
                    // The k-th report of the whole run leaves at start + k / rate.
                    let k = self.next.fetch_add(1, Ordering::Relaxed);
                    #[expect(clippy::cast_precision_loss, reason = "report counts stay far below 2^52")]
                    let at = self.start + Duration::from_secs_f64(k as f64 / rate);
                    if at >= self.deadline {
                        break;
                    }
                    tokio::time::sleep_until(at.into()).await;
                    at
                }
            };
            if self.rate.is_none() && sent >= self.deadline {
                break;
            }
            let resident = &self.residents[turn % self.residents.len()];
            turn = turn.wrapping_add(7919);
            self.post(resident, sent, &mut tally).await;
        }
        tally
    }

    /// Posts one fever report and records how it went.
    async fn post(&self, resident: &Resident, sent: Instant, tally: &mut Tally) {
        let body = json!({
            "id": Uuid::new_v4(),
            "person_id": resident.id,
            "unit_code": resident.unit_code,
            "symptoms": ["fever"],
            "temperature_c": 38.6,
        });
        let answer =
            self.http.post(self.endpoint.as_str()).header(reqwest::header::AUTHORIZATION, self.auth.as_str()).json(&body).send().await;
        let failure = match answer {
            Ok(answer) => {
                let status = answer.status();
                let text = answer.text().await.unwrap_or_default();
                if status == StatusCode::CREATED || status == StatusCode::OK {
                    tally.created += u64::from(status == StatusCode::CREATED);
                    None
                } else {
                    Some(format!("HTTP {status}: {}", text.chars().take(300).collect::<String>()))
                }
            }
            Err(e) => Some(format!("{e:#}")),
        };
        match failure {
            None => tally.latencies_us.push(u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX)),
            Some(e) => {
                tally.errors += 1;
                tally.first_error.get_or_insert(e);
            }
        }
    }
}

/// Merges the clients' tallies.
#[expect(clippy::cast_precision_loss, reason = "counts and microseconds stay far below 2^52")]
fn summarise(args: &IngestArgs, base: &str, tallies: Vec<Tally>, elapsed: f64) -> Outcome {
    let mut latencies = Vec::new();
    let (mut created, mut errors, mut first_error) = (0, 0, None);
    for t in tallies {
        latencies.extend(t.latencies_us);
        created += t.created;
        errors += t.errors;
        first_error = first_error.or(t.first_error);
    }
    latencies.sort_unstable();
    let ms = |us: u64| us as f64 / 1000.0;
    let quantile = |q: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a rank within the list's length")]
        let rank = ((q * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len());
        ms(latencies[rank - 1])
    };
    let reports = latencies.len() as u64;
    let mean = if latencies.is_empty() { 0.0 } else { ms(latencies.iter().sum::<u64>()) / latencies.len() as f64 };
    Outcome {
        url: base.to_owned(),
        clients: args.clients,
        duration_s: args.duration,
        rate: args.rate,
        reports,
        created,
        errors,
        per_second: if elapsed > 0.0 { reports as f64 / elapsed } else { 0.0 },
        p50_ms: quantile(0.50),
        p99_ms: quantile(0.99),
        max_ms: latencies.last().copied().map_or(0.0, ms),
        mean_ms: mean,
        elapsed_s: elapsed,
        first_error,
    }
}
