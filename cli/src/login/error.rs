use std::path::PathBuf;

use crate::exit;

/// What can go wrong while signing in, refreshing or reading the stored tokens.
/// No variant carries a token or a secret.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error(
        "port {port} on 127.0.0.1 is in use: free it, or pass --port N with a port whose \
         http://localhost:N/callback the app client allows"
    )]
    PortInUse { port: u16 },
    #[error(
        "the callback's state does not match this login: refused, no code was exchanged; \
         run piiflow login again"
    )]
    StateMismatch,
    #[error("the sign-in was refused: {error}{}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Denied {
        error: String,
        description: Option<String>,
    },
    #[error("the callback carried no authorization code")]
    NoCode,
    #[error("no sign-in within {0} seconds: run piiflow login again")]
    Timeout(u64),
    #[error("{url} answered {status}: {error}{}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Endpoint {
        url: String,
        status: u16,
        error: String,
        description: Option<String>,
    },
    #[error("{url} answered with a body that is not a token response: {reason}")]
    InvalidResponse { url: String, reason: String },
    #[error("cannot reach {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("the session has expired (the refresh token was refused): run piiflow login")]
    SessionExpired,
    #[error("not logged in ({} does not exist): run piiflow login", path.display())]
    NotLoggedIn { path: PathBuf },
    #[error(
        "{} can be read by others (mode {mode:03o}): it holds tokens; run chmod 600 on it, \
         or piiflow logout and log in again", path.display()
    )]
    LoosePermissions { path: PathBuf, mode: u32 },
    #[error("{} is not a piiflow credentials file ({reason}): run piiflow login again", path.display())]
    CorruptCredentials { path: PathBuf, reason: String },
    #[error("environment variable {0} is not set: it must hold the client secret")]
    MissingSecret(String),
    #[error("{0}")]
    Config(String),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl LoginError {
    /// The sysexits code a script can branch on.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::PortInUse { .. } | Self::Unreachable { .. } => exit::UNAVAILABLE,
            Self::Timeout(_) => exit::TEMP_FAIL,
            Self::StateMismatch
            | Self::Denied { .. }
            | Self::SessionExpired
            | Self::NotLoggedIn { .. }
            | Self::LoosePermissions { .. } => exit::NO_PERMISSION,
            Self::Endpoint { status, .. } if *status >= 500 => exit::UNAVAILABLE,
            Self::Endpoint { .. } | Self::NoCode | Self::InvalidResponse { .. } => exit::PROTOCOL,
            Self::CorruptCredentials { .. } => exit::DATA_ERROR,
            Self::MissingSecret(_) | Self::Config(_) => exit::CONFIG,
            Self::Io { .. } => exit::IO_ERROR,
        }
    }
}

/// Text that came from the network, safe to print on a terminal.
pub(crate) fn printable(s: &str, max_chars: usize) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .take(max_chars)
        .collect()
}
