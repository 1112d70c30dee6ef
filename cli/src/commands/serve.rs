//! `piiflow serve`: the HTTP API on the embedded engine.

use std::collections::BTreeSet;
use std::os::unix::fs::DirBuilderExt;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use api::auth::{DevAuth, JwksSource, JwtConfig, SqliteApiKeyStore};
use api::{AuthConfig, ServeConfig, Server};

use crate::args::ServeArgs;
use service::{DocumentRoots, Home};

pub async fn run(home: &Home, args: ServeArgs) -> Result<()> {
    let config = config(home, &args)?;
    let dev = config.dev_auth.clone();
    let (backend, urls) = crate::backend::open(home, documents_roots(home, &args)?)?;
    let server = Server::bind_with(
        config,
        Arc::new(backend),
        api::signed_objects_router(urls.clone()),
    )
    .await?;
    let addr = server.local_addr()?;
    urls.set_base(addr);
    // On stderr so stdout stays clean; tests and scripts read the port from this line
    // (with `--addr 127.0.0.1:0` the OS picks it).
    eprintln!("piiflow API listening on http://{addr}");
    if let Some(dev) = dev {
        eprintln!(
            "dev auth: issuer {}, JWKS http://{addr}/.well-known/jwks.json",
            dev.issuer()
        );
        eprintln!("dev auth: mint tokens with `piiflow token --scope pii/anonymize`");
    }
    server.run().await?;
    eprintln!("piiflow API stopped");
    Ok(())
}

fn config(home: &Home, args: &ServeArgs) -> Result<ServeConfig> {
    let mut auth = AuthConfig {
        api_key_query_param: args.allow_api_key_query,
        ..Default::default()
    };
    let mut dev_auth = None;
    if args.dev_auth {
        // Checked again by `Server::bind`; here so the key is not created for nothing.
        api::auth::ensure_loopback(&args.addr).map_err(|e| anyhow::anyhow!("{e}"))?;
        dev_auth = Some(Arc::new(load_dev_auth(home)?));
    }
    if let (Some(issuer), Some(jwks_url)) = (&args.issuer, &args.jwks_url) {
        let mut jwt = JwtConfig::new(JwksSource::Url(jwks_url.clone()), issuer.clone());
        if !args.client_id.is_empty() {
            jwt.allowed_client_ids = Some(args.client_id.iter().cloned().collect::<BTreeSet<_>>());
        }
        auth.jwt = Some(jwt);
    }
    if args.api_keys {
        home.ensure()
            .with_context(|| format!("creating {}", home.root().display()))?;
        let store = SqliteApiKeyStore::open(home.api_keys())
            .with_context(|| format!("opening {}", home.api_keys().display()))?;
        auth.api_keys = Some(Arc::new(store));
    }
    if auth.jwt.is_none() && auth.api_keys.is_none() && dev_auth.is_none() {
        bail!("no way to authenticate: give --dev-auth, --api-keys, or --issuer with --jwks-url");
    }
    Ok(ServeConfig {
        addr: args.addr,
        auth,
        dev_auth,
        ..Default::default()
    })
}

/// The directories `file://` sources must really lie in.
fn documents_roots(home: &Home, args: &ServeArgs) -> Result<DocumentRoots> {
    let dirs = if args.documents_root.is_empty() {
        let default = home.root().join("documents");
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&default)
            .with_context(|| format!("creating {}", default.display()))?;
        vec![default]
    } else {
        args.documents_root.clone()
    };
    DocumentRoots::new(dirs).map_err(|e| anyhow::anyhow!("--documents-root: {e}"))
}

/// The dev issuer's key, shared by `serve --dev-auth` and `token` so minted tokens verify.
pub fn load_dev_auth(home: &Home) -> Result<DevAuth> {
    home.ensure()
        .with_context(|| format!("creating {}", home.root().display()))?;
    let path = home.dev_auth_key();
    DevAuth::load_or_create(&path).with_context(|| format!("dev auth key {}", path.display()))
}
