//! `piiflow login` and `piiflow logout`: tokens for the remote commands, from the hosted UI
//! in the browser (authorization code + PKCE) or, for machines, client credentials.

use std::io::Write;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;

use crate::login::{
    CallbackListener, Credentials, CredentialsFile, Grant, LoginError, Pkce, TokenClaims,
    TokenEndpoint, TokenResponse, authorize_url, open_browser, printable, random_state,
    redirect_uri,
};
use service::Home;

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The hosted UI's base URL, e.g. https://PREFIX.auth.REGION.amazoncognito.com.
    #[arg(long, required_unless_present = "stack")]
    pub domain: Option<String>,

    /// The app client: the stack's AuditorWebClientId for people.
    #[arg(long, required_unless_present = "stack")]
    pub client_id: Option<String>,

    /// Read the domain, the client id and the API URL from this CloudFormation stack's
    /// outputs (AWS credentials and region from the environment).
    #[arg(long, value_name = "NAME")]
    pub stack: Option<String>,

    /// Space-separated scopes to ask for. Default: every scope the app client allows.
    #[arg(long)]
    pub scope: Option<String>,

    /// Local port of the callback; the app client must allow http://localhost:PORT/callback.
    #[arg(long, default_value_t = 8765)]
    pub port: u16,

    /// Print the sign-in URL on stderr instead of opening a browser.
    #[arg(long)]
    pub no_browser: bool,

    /// Seconds to wait for the sign-in in the browser.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,

    /// Also print the access token on stdout (it grants what its scopes say: keep it secret).
    #[arg(long)]
    pub print_token: bool,

    /// Log in as a machine (app client with a secret) instead of a person.
    #[arg(long, requires = "client_secret_env")]
    pub client_credentials: bool,

    /// The environment variable holding the client secret (never a flag: it would show in
    /// the process list). Kept by name to renew the token.
    #[arg(long, value_name = "VAR", requires = "client_credentials")]
    pub client_secret_env: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {}

/// Where login finds its endpoints: flags, or a stack's outputs.
struct Target {
    domain: String,
    client_id: String,
    api: Option<String>,
}

pub async fn login(home: &Home, args: LoginArgs) -> Result<()> {
    let target = target(&args).await?;
    let http = http_client()?;
    let endpoint = TokenEndpoint::new(http, &target.domain);
    let file = CredentialsFile::in_home(home.root());
    let creds = if args.client_credentials {
        let var = args.client_secret_env.clone().expect("required by clap");
        let secret = std::env::var(&var).map_err(|_| LoginError::MissingSecret(var.clone()))?;
        let tokens = endpoint
            .client_credentials(&target.client_id, &secret, args.scope.as_deref())
            .await?;
        stored(&target, &args, Grant::ClientCredentials, Some(var), tokens)
    } else {
        let tokens = browser_login(&endpoint, &target, &args).await?;
        stored(&target, &args, Grant::AuthorizationCode, None, tokens)
    };
    file.save(&creds)?;
    report(&creds, &file, args.print_token)
}

/// The authorization code flow: listen, send the browser to /authorize, check the callback,
/// exchange the code with the PKCE verifier.
async fn browser_login(
    endpoint: &TokenEndpoint,
    target: &Target,
    args: &LoginArgs,
) -> Result<TokenResponse, LoginError> {
    let listener = CallbackListener::bind(args.port).await?;
    let redirect = redirect_uri(listener.port());
    let pkce = Pkce::new();
    let state = random_state();
    let url = authorize_url(
        &target.domain,
        &target.client_id,
        &redirect,
        args.scope.as_deref(),
        &state,
        &pkce.challenge,
    )?;
    if args.no_browser || !open_browser(url.as_str()) {
        eprintln!("Open this URL in a browser to sign in:\n{url}");
    } else {
        eprintln!("A browser has been opened to sign in. If it did not open, visit:\n{url}");
    }
    eprintln!("Waiting for the sign-in on {redirect} ...");
    let code = listener
        .wait_for_code(&state, Duration::from_secs(args.timeout))
        .await?;
    endpoint
        .exchange_code(&target.client_id, &code, &redirect, &pkce.verifier)
        .await
}

fn stored(
    target: &Target,
    args: &LoginArgs,
    grant: Grant,
    client_secret_env: Option<String>,
    tokens: TokenResponse,
) -> Credentials {
    let mut creds = Credentials {
        domain: target.domain.trim_end_matches('/').to_string(),
        client_id: target.client_id.clone(),
        grant,
        client_secret_env,
        scope: args.scope.clone(),
        access_token: String::new(),
        id_token: None,
        refresh_token: None,
        expires_at: 0,
        api: target.api.clone(),
    };
    creds.absorb(tokens);
    creds
}

/// Who is logged in and with which scopes, from the tokens' claims.
fn report(creds: &Credentials, file: &CredentialsFile, print_token: bool) -> Result<()> {
    let access = TokenClaims::decode(&creds.access_token).unwrap_or_default();
    let claims = creds
        .id_token
        .as_deref()
        .and_then(TokenClaims::decode)
        .unwrap_or_default()
        .merged(Some(access.clone()));
    // The claims came over the network: nothing in them may drive the terminal.
    let who = claims
        .who()
        .map_or_else(|| "(no name in the tokens)".into(), |w| printable(&w, 200));
    let scopes: Vec<String> = access.scopes().iter().map(|s| printable(s, 200)).collect();
    let groups: Vec<String> = claims.groups.iter().map(|g| printable(g, 200)).collect();
    eprintln!("Logged in as {who} at {}", creds.domain);
    if !groups.is_empty() {
        eprintln!("Groups: {}", groups.join(", "));
    }
    if scopes.is_empty() {
        eprintln!("Scopes: (none in the access token)");
    } else {
        eprintln!("Scopes: {}", scopes.join(" "));
    }
    if let Ok(at) = time::OffsetDateTime::from_unix_timestamp(creds.expires_at)
        && let Ok(at) = at.format(&time::format_description::well_known::Rfc3339)
    {
        eprintln!("Access token valid until {at}");
    }
    eprintln!("Tokens saved in {}", file.path().display());
    if let Some(api) = &creds.api {
        eprintln!("API: {api} (pass --api {api} or export PIIFLOW_API={api})");
    }
    if print_token {
        let mut out = std::io::stdout();
        writeln!(out, "{}", creds.access_token)?;
    }
    Ok(())
}

pub async fn logout(home: &Home, _args: LogoutArgs) -> Result<()> {
    let file = CredentialsFile::in_home(home.root());
    if !file.exists() {
        eprintln!("Not logged in: {} does not exist", file.path().display());
        return Ok(());
    }
    // A corrupt or loose file is deleted all the same: logging out must always be possible.
    let revoked = match file.load() {
        Ok(creds) => revoke(&creds).await,
        Err(e) => {
            eprintln!("piiflow: {e}; deleting it without revoking");
            Ok(())
        }
    };
    file.delete()?;
    eprintln!("Logged out: deleted {}", file.path().display());
    revoked.context("the refresh token could not be revoked; it stays valid until it expires")
}

async fn revoke(creds: &Credentials) -> Result<(), LoginError> {
    let Some(refresh) = &creds.refresh_token else {
        // Client-credentials tokens have nothing to revoke: they expire on their own.
        return Ok(());
    };
    let secret = match (&creds.grant, &creds.client_secret_env) {
        (Grant::ClientCredentials, Some(var)) => std::env::var(var).ok(),
        _ => None,
    };
    TokenEndpoint::new(http_client()?, &creds.domain)
        .revoke(&creds.client_id, secret.as_deref(), refresh)
        .await?;
    eprintln!("Revoked the refresh token at {}", creds.domain);
    Ok(())
}

pub fn http_client() -> Result<reqwest::Client, LoginError> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(120))
        .user_agent(concat!("piiflow/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| LoginError::Config(format!("HTTP client: {e}")))
}

async fn target(args: &LoginArgs) -> Result<Target> {
    if let Some(stack) = &args.stack {
        if args.client_credentials && args.client_id.is_none() {
            anyhow::bail!(
                "--client-credentials with --stack needs --client-id: the stack's \
                 PipelineClientId or AuditorClientId output"
            );
        }
        let outputs = crate::stack::login_outputs(stack).await?;
        return Ok(Target {
            domain: args.domain.clone().unwrap_or(outputs.domain),
            client_id: args.client_id.clone().unwrap_or(outputs.web_client_id),
            api: Some(outputs.api_url),
        });
    }
    Ok(Target {
        domain: args.domain.clone().expect("required by clap"),
        client_id: args.client_id.clone().expect("required by clap"),
        api: None,
    })
}
