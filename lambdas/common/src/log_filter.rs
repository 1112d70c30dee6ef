//! The functions' log filter. At `trace` the Lambda runtime logs whole events and the SDK
//! logs request and response bodies (vault items, documents), so those crates are capped at
//! `info` whatever `RUST_LOG` (the stack's `LogLevel`) asks for.

use tracing_subscriber::EnvFilter;

/// Crates (by target prefix, which is how the filter matches) that never log below `info`.
pub const CAPPED: [&str; 8] = [
    "lambda_runtime",
    "lambda_http",
    "aws_",
    "hyper",
    "h2",
    "reqwest",
    "rustls",
    "tower",
];

/// `rust_log` (default `info`) with the capped crates at `info`. A directive of the caller's
/// that is more specific than a cap (`lambda_runtime::layers=trace`), or that selects spans
/// (`[request]=trace`, which would reach any crate inside the span), is left out.
pub fn log_filter(rust_log: Option<&str>) -> EnvFilter {
    let kept: Vec<&str> = rust_log
        .unwrap_or("info")
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty() && !d.contains('['))
        .filter(|d| {
            let target = d.split('=').next().unwrap_or(d);
            !CAPPED.iter().any(|cap| target.starts_with(cap))
        })
        .collect();
    let caps = CAPPED.iter().map(|cap| format!("{cap}=info"));
    let directives: Vec<String> = kept.iter().map(|d| d.to_string()).chain(caps).collect();
    EnvFilter::try_new(directives.join(",")).unwrap_or_else(|_| {
        EnvFilter::new(CAPPED.map(|cap| format!("{cap}=info")).join(",") + ",info")
    })
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing::Level;
    use tracing_subscriber::layer::SubscriberExt;

    use super::*;

    /// Records the target of every event the filter lets through.
    struct Seen(Arc<Mutex<Vec<String>>>);

    impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Seen {
        fn on_event(&self, e: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
            self.0
                .lock()
                .unwrap()
                .push(e.metadata().target().to_string());
        }
    }

    /// The targets of the trace-level events that pass `rust_log`.
    fn passed(rust_log: &str) -> Vec<String> {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let subscriber = tracing_subscriber::registry()
            .with(log_filter(Some(rust_log)))
            .with(Seen(seen.clone()));
        tracing::subscriber::with_default(subscriber, || {
            let span = tracing::span!(Level::TRACE, "request");
            let _in = span.enter();
            tracing::event!(target: "lambda_runtime::layers::trace", Level::TRACE, "raw event");
            tracing::event!(target: "lambda_runtime_api_client", Level::DEBUG, "raw event");
            tracing::event!(target: "aws_smithy_runtime::client", Level::TRACE, "body");
            tracing::event!(target: "aws_sdk_dynamodb", Level::DEBUG, "body");
            tracing::event!(target: "hyper_util::client", Level::TRACE, "bytes");
            tracing::event!(target: "lambda_runtime", Level::INFO, "started");
            tracing::event!(target: "lambda_reidentify", Level::TRACE, "ours");
        });
        seen.lock().unwrap().clone()
    }

    #[test]
    fn runtime_and_sdk_stay_at_info_whatever_rust_log_says() {
        for rust_log in [
            "trace",
            "trace,lambda_runtime=trace,aws_smithy_runtime=trace",
            "trace,lambda_runtime::layers=trace,aws_sdk_dynamodb=debug",
            "trace,[request]=trace",
            "aws=trace,lambda=trace,trace",
        ] {
            let seen = passed(rust_log);
            assert_eq!(
                seen,
                vec!["lambda_runtime", "lambda_reidentify"],
                "{rust_log}"
            );
        }
        // Our own crates follow RUST_LOG.
        assert_eq!(passed("info"), vec!["lambda_runtime"]);
    }
}
