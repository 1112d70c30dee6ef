//! A small closed-loop load generator for `POST /v1/anonymize`: `concurrency` workers each
//! send the same record back to back until the time or request budget runs out, then it
//! prints throughput, latency percentiles and the error count. Driven by `scripts/load-api`.
//!
//! cargo run --release -p cli --example load -- --url http://127.0.0.1:8080 --token T \
//!     --record fixtures/records/customer.json [--seconds 10] [--requests 50000] [--concurrency 32]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

struct Options {
    url: String,
    token: String,
    record: String,
    seconds: u64,
    requests: usize,
    concurrency: usize,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        url: String::new(),
        token: String::new(),
        record: String::new(),
        seconds: 10,
        requests: 50_000,
        concurrency: 32,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let num = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag}: not a number"))
        };
        match flag.as_str() {
            "--url" => o.url = value,
            "--token" => o.token = value,
            "--record" => o.record = value,
            "--seconds" => o.seconds = num(&value)?,
            "--requests" => o.requests = num(&value)? as usize,
            "--concurrency" => o.concurrency = num(&value)?.max(1) as usize,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    if o.url.is_empty() || o.token.is_empty() || o.record.is_empty() {
        return Err("--url, --token and --record are required".into());
    }
    Ok(o)
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    errors: usize,
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let o = options()?;
    let record: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&o.record).map_err(|e| format!("{}: {e}", o.record))?,
    )
    .map_err(|e| format!("{}: {e}", o.record))?;
    let body = Arc::new(serde_json::to_vec(&serde_json::json!({ "record": record })).unwrap());
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(o.concurrency)
        .build()
        .map_err(|e| e.to_string())?;
    let endpoint = Arc::new(format!("{}/v1/anonymize", o.url.trim_end_matches('/')));
    let auth = Arc::new(format!("Bearer {}", o.token));
    // Shared budget: each worker claims a request before sending it.
    let claimed = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(o.seconds);

    let mut workers = Vec::with_capacity(o.concurrency);
    for _ in 0..o.concurrency {
        let (client, endpoint, auth, body, claimed) = (
            client.clone(),
            endpoint.clone(),
            auth.clone(),
            body.clone(),
            claimed.clone(),
        );
        let budget = o.requests;
        workers.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            while Instant::now() < deadline && claimed.fetch_add(1, Ordering::Relaxed) < budget {
                let sent = Instant::now();
                let response = client
                    .post(endpoint.as_str())
                    .header("authorization", auth.as_str())
                    .header("content-type", "application/json")
                    .body(body.as_ref().clone())
                    .send()
                    .await;
                // Read the whole body: the request is not done until the answer arrived.
                let ok = match response {
                    Ok(r) => r.status().is_success() & r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                tally.latencies_us.push(sent.elapsed().as_micros() as u64);
                tally.errors += usize::from(!ok);
            }
            tally
        }));
    }
    let mut all = Tally::default();
    for w in workers {
        let t = w.await.map_err(|e| e.to_string())?;
        all.latencies_us.extend(t.latencies_us);
        all.errors += t.errors;
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.latencies_us.sort_unstable();
    let pct = |p: f64| {
        let v = &all.latencies_us;
        if v.is_empty() {
            0.0
        } else {
            v[((v.len() - 1) as f64 * p).round() as usize] as f64 / 1000.0
        }
    };
    let n = all.latencies_us.len();
    println!(
        "requests:    {n} in {elapsed:.2} s, concurrency {}",
        o.concurrency
    );
    println!("throughput:  {:.0} requests/s", n as f64 / elapsed);
    println!(
        "latency:     p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(0.50),
        pct(0.99),
        pct(1.0)
    );
    println!("errors:      {}", all.errors);
    if all.errors > 0 {
        return Err(format!("{} requests failed", all.errors));
    }
    Ok(())
}
