use crate::exit;

/// Why a call to the deployed API failed. No variant carries a token or request data.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("the API refused the credentials (401 Unauthorized): run piiflow login{}", hint.as_deref().unwrap_or_default())]
    Unauthorized { hint: Option<String> },
    #[error(
        "this login lacks the scope {scope} (403 Forbidden): log in as someone who holds it \
         (pii/reidentify is for the auditors group)"
    )]
    Forbidden { scope: String },
    #[error("the API answered {status} {code}: {message}{}", request_id.as_deref().map(|r| format!(" (request {r})")).unwrap_or_default())]
    Api {
        status: u16,
        code: String,
        message: String,
        request_id: Option<String>,
    },
    #[error("the API is still busy after {attempts} attempts ({status}): try again later")]
    Throttled { status: u16, attempts: u32 },
    #[error("cannot reach the API at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("the API answered {status} with a body that is not what was expected: {reason}")]
    InvalidResponse { status: u16, reason: String },
    #[error("--api {0:?} is not an http(s) URL")]
    BadUrl(String),
    #[error(
        "policy {name:?} is not built in ({builtin}): with --api, only built-in policies \
         (the API applies its own)"
    )]
    NotBuiltinPolicy { name: String, builtin: String },
}

impl RemoteError {
    /// The same codes as the local commands give for the same kind of failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Unauthorized { .. } | Self::Forbidden { .. } => exit::NO_PERMISSION,
            Self::Api { code, status, .. } => match code.as_str() {
                "invalid_input" | "conflict" | "payload_too_large" | "unsupported_media_type" => {
                    exit::DATA_ERROR
                }
                "not_found" => exit::NO_INPUT,
                "unavailable" => exit::UNAVAILABLE,
                "internal" => exit::SOFTWARE,
                _ if *status == 413 || *status == 400 => exit::DATA_ERROR,
                _ if *status >= 500 => exit::UNAVAILABLE,
                _ => exit::PROTOCOL,
            },
            Self::Throttled { status: 429, .. } => exit::TEMP_FAIL,
            Self::Throttled { .. } | Self::Unreachable { .. } => exit::UNAVAILABLE,
            Self::InvalidResponse { .. } => exit::PROTOCOL,
            Self::BadUrl(_) | Self::NotBuiltinPolicy { .. } => exit::CONFIG,
        }
    }
}
