use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Html;
use axum::routing::get;
use subtle::ConstantTimeEq;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::LoginError;
use super::error::printable;

/// The redirect URI the app client must allow for `port`. Cognito requires `localhost`
/// for plain-HTTP callbacks; the listener is on 127.0.0.1 only.
pub fn redirect_uri(port: u16) -> String {
    format!("http://localhost:{port}/callback")
}

type Outcome = Result<String, LoginError>;

#[derive(Clone)]
struct Pending {
    state: Arc<String>,
    done: Arc<Mutex<Option<oneshot::Sender<Outcome>>>>,
}

/// The loopback listener that receives the authorization code.
pub struct CallbackListener {
    listener: TcpListener,
    port: u16,
}

impl CallbackListener {
    /// Binds 127.0.0.1:`port` before the browser is sent anywhere, so a busy port is
    /// reported at once.
    pub async fn bind(port: u16) -> Result<Self, LoginError> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let listener = TcpListener::bind(addr).await.map_err(|e| match e.kind() {
            std::io::ErrorKind::AddrInUse => LoginError::PortInUse { port },
            _ => LoginError::Io {
                path: format!("127.0.0.1:{port}").into(),
                source: e,
            },
        })?;
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(port);
        Ok(Self { listener, port })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves `/callback` until the first callback arrives (or `timeout`), and returns its
    /// code when the state matches `expected_state`. A wrong state ends the login: the code
    /// may be an attacker's, so it is never exchanged.
    pub async fn wait_for_code(
        self,
        expected_state: &str,
        timeout: Duration,
    ) -> Result<String, LoginError> {
        let (tx, rx) = oneshot::channel();
        let pending = Pending {
            state: Arc::new(expected_state.to_string()),
            done: Arc::new(Mutex::new(Some(tx))),
        };
        let finished = pending.done.clone();
        let app = Router::new()
            .route("/callback", get(callback))
            .with_state(pending);
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            axum::serve(self.listener, app)
                .with_graceful_shutdown(async {
                    let _ = stop_rx.await;
                })
                .await
        });
        let outcome = match tokio::time::timeout(timeout, rx).await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(_)) => Err(LoginError::NoCode),
            Err(_) => Err(LoginError::Timeout(timeout.as_secs())),
        };
        drop(finished);
        let _ = stop_tx.send(());
        // The page has been answered; waiting lets the browser receive it before exit.
        let _ = tokio::time::timeout(Duration::from_secs(2), server).await;
        outcome
    }
}

async fn callback(
    State(pending): State<Pending>,
    Query(params): Query<HashMap<String, String>>,
) -> (StatusCode, Html<String>) {
    let outcome = judge(&pending.state, &params);
    let page = match &outcome {
        Ok(_) => (
            StatusCode::OK,
            page(
                "Signed in to piiflow",
                "You can close this tab and return to the terminal.",
            ),
        ),
        Err(e) => (
            StatusCode::BAD_REQUEST,
            page("piiflow sign-in failed", &html_escape(&e.to_string())),
        ),
    };
    if let Some(tx) = pending.done.lock().expect("callback lock").take() {
        let _ = tx.send(outcome);
    }
    page
}

/// The code, if the callback is the answer to this login.
fn judge(expected_state: &str, params: &HashMap<String, String>) -> Outcome {
    let state_ok = params
        .get("state")
        .is_some_and(|s| bool::from(s.as_bytes().ct_eq(expected_state.as_bytes())));
    if !state_ok {
        return Err(LoginError::StateMismatch);
    }
    if let Some(error) = params.get("error") {
        return Err(LoginError::Denied {
            error: printable(error, 80),
            description: params.get("error_description").map(|d| printable(d, 300)),
        });
    }
    match params.get("code") {
        Some(code) if !code.is_empty() => Ok(code.clone()),
        _ => Err(LoginError::NoCode),
    }
}

fn page(title: &str, body_html: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><h1>{title}</h1><p>{body_html}</p></body></html>"
    ))
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn judges_callbacks() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("code", "c1"), ("state", "s")], "ok c1"),
            (&[("code", "c1"), ("state", "t")], "state"),
            (&[("code", "c1")], "state"),
            (&[("error", "access_denied"), ("state", "s")], "denied"),
            (&[("error", "access_denied"), ("state", "x")], "state"),
            (&[("state", "s")], "nocode"),
            (&[("code", ""), ("state", "s")], "nocode"),
        ];
        for (given, expected) in cases {
            let got = match judge("s", &params(given)) {
                Ok(code) => format!("ok {code}"),
                Err(LoginError::StateMismatch) => "state".into(),
                Err(LoginError::Denied { .. }) => "denied".into(),
                Err(LoginError::NoCode) => "nocode".into(),
                Err(e) => format!("other {e}"),
            };
            assert_eq!(&got, expected, "{given:?}");
        }
    }

    #[test]
    fn error_pages_escape_what_the_callback_said() {
        assert_eq!(html_escape("<b>&\""), "&lt;b&gt;&amp;&quot;");
    }
}
