//! Serving the router on a TCP socket (the local `piiflow serve`).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;

use crate::auth::ensure_loopback;
use crate::backend::PiiBackend;
use crate::config::ServeConfig;
use crate::error::ApiError;
use crate::router::build_router;

/// A bound, not yet running server: `local_addr` tells the port when binding to port 0.
pub struct Server {
    listener: TcpListener,
    router: Router,
}

impl Server {
    /// Checks the configuration, builds the router and binds the socket. Dev auth on a
    /// non-loopback address is refused here, before anything listens.
    pub async fn bind(config: ServeConfig, backend: Arc<dyn PiiBackend>) -> Result<Self, ApiError> {
        Self::bind_with(config, backend, Router::new()).await
    }

    /// [`Server::bind`] with `extra` routes beside the API's (the local server's signed
    /// object URLs), outside its authentication and body limit.
    pub async fn bind_with(
        config: ServeConfig,
        backend: Arc<dyn PiiBackend>,
        extra: Router,
    ) -> Result<Self, ApiError> {
        if config.dev_auth.is_some() {
            ensure_loopback(&config.addr).map_err(|e| ApiError::Config(e.to_string()))?;
        }
        let router = extra.merge(build_router(&config, backend)?);
        let listener = TcpListener::bind(config.addr).await?;
        Ok(Self { listener, router })
    }

    pub fn local_addr(&self) -> Result<SocketAddr, ApiError> {
        Ok(self.listener.local_addr()?)
    }

    /// Serves until Ctrl-C / SIGTERM.
    pub async fn run(self) -> Result<(), ApiError> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ApiError> {
        tracing::info!(addr = ?self.listener.local_addr().ok(), "piiflow API listening");
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await?;
        Ok(())
    }
}

/// Binds `config.addr` and serves until Ctrl-C / SIGTERM.
pub async fn serve(config: ServeConfig, backend: Arc<dyn PiiBackend>) -> Result<(), ApiError> {
    Server::bind(config, backend).await?.run().await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
