use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// piiflow: find personal data, mask it, replace it with reversible vault tokens.
#[derive(Debug, Parser)]
#[command(name = "piiflow", version, about, long_about = None)]
pub struct Cli {
    /// State directory (keyring, vault, audit trail). Default: $PIIFLOW_HOME or ./.piiflow
    #[arg(long, global = true, value_name = "DIR")]
    pub home: Option<PathBuf>,

    /// Log verbosity for diagnostics on stderr (never includes personal data).
    #[arg(long, global = true, default_value = "warn", value_name = "LEVEL")]
    pub log: String,

    /// Send anonymize, reidentify, erase, audit and documents to this deployed API instead
    /// of the local engine, with the token of `piiflow login` or $PIIFLOW_TOKEN.
    #[arg(long, global = true, env = "PIIFLOW_API", value_name = "URL")]
    pub api: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Detect, mask and tokenize a file, a directory or stdin (`-`).
    Anonymize(AnonymizeArgs),
    /// Print the entities found in a file or stdin as JSON (character offsets).
    Detect(DetectArgs),
    /// Reverse tokens: given on the command line, or every token in a file or stdin.
    Reidentify(ReidentifyArgs),
    /// Crypto-shred a token: its original can never be recovered afterwards.
    Erase(EraseArgs),
    /// Manage the local keyring.
    Keys(KeysArgs),
    /// Read the re-identification audit trail.
    Audit(AuditArgs),
    /// Run a Step Functions definition locally (documents by default) on a file.
    Run(RunArgs),
    /// List local executions, or describe one (status, output, error) by id.
    Executions(ExecutionsArgs),
    /// Serve the HTTP API (anonymize, documents, reidentify, audit) on the local engine.
    Serve(ServeArgs),
    /// Mint a development access token trusted by `serve --dev-auth` (printed on stdout).
    Token(TokenArgs),
    /// Score detection against labeled JSONL (precision, recall, F1 per type).
    Eval(EvalArgs),
    /// Sign in to a deployed piiflow (browser, or --client-credentials for machines).
    Login(crate::commands::login::LoginArgs),
    /// Revoke the stored refresh token and delete the credentials file.
    Logout(crate::commands::login::LogoutArgs),
    /// Anonymize documents through a deployed API (--api): start a run, wait, download.
    Documents(crate::remote::DocumentsArgs),
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Labeled examples: one `{"text", "spans": [{"start", "end", "type"}]}` per line,
    /// offsets in Unicode characters.
    pub gold: PathBuf,

    /// Built-in policy name or policy file whose detection settings are scored.
    #[arg(long, default_value = "default")]
    pub policy: String,

    /// Minimum detection score (overrides the policy's).
    #[arg(long, value_parser = parse_threshold)]
    pub threshold: Option<f32>,

    /// Print the scores as JSON instead of a table.
    #[arg(long)]
    pub json: bool,

    /// Also print every miss and false alarm (with the text: use on test data only).
    #[arg(long)]
    pub show_errors: bool,
}

fn parse_threshold(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(t) if (0.0..=1.0).contains(&t) => Ok(t),
        _ => Err(format!("{s:?} is not a score between 0 and 1")),
    }
}

/// Scopes a token or API key may carry.
const SCOPES: [&str; 2] = [api::auth::SCOPE_ANONYMIZE, api::auth::SCOPE_REIDENTIFY];

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (printed on stderr).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Exact `iss` of accepted access tokens (e.g. the Cognito user pool URL).
    #[arg(long, requires_all = ["jwks_url", "client_id"], conflicts_with = "dev_auth")]
    pub issuer: Option<String>,

    /// Where the issuer publishes its signing keys: https (plain http on loopback only).
    /// Fetched again every hour; redirects are not followed.
    #[arg(long, requires = "issuer")]
    pub jwks_url: Option<String>,

    /// Accept tokens of these app clients only (repeatable; required with --issuer: a user
    /// pool serves many clients).
    #[arg(long, requires = "issuer")]
    pub client_id: Vec<String>,

    /// Trust tokens from `piiflow token` (loopback addresses only).
    #[arg(long)]
    pub dev_auth: bool,

    /// Accept API keys from `piiflow keys api-key create` (x-api-key header or cookie).
    #[arg(long)]
    pub api_keys: bool,

    /// Also accept `?api_key=` (it ends up in logs and browser history: avoid).
    #[arg(long, requires = "api_keys")]
    pub allow_api_key_query: bool,

    /// `POST /v1/documents` reads `file://` sources only from here (repeatable; symlinks and
    /// `..` are resolved first). Default: `<home>/documents`, created if missing.
    #[arg(long = "documents-root", value_name = "DIR")]
    pub documents_root: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Scopes to grant (repeatable).
    #[arg(long, required = true, value_parser = SCOPES)]
    pub scope: Vec<String>,

    /// Lifetime in seconds (at most a day).
    #[arg(long, default_value_t = 900, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub ttl: u64,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A document (path or file://); for `--definition records` a JSON record; for
    /// `--definition jobs` a directory (every file under it) or a manifest (a JSON array of
    /// `{"Key"}` relative to its directory).
    pub input: String,

    /// `documents`, `records`, `jobs`, or the path of an ASL definition (its input is the
    /// file's JSON).
    #[arg(long, default_value = "documents")]
    pub definition: String,

    #[arg(long, default_value = "default")]
    pub policy: String,

    /// Execution name; default is derived from the input, so a rerun is idempotent.
    #[arg(long)]
    pub name: Option<String>,

    /// Print the execution history (Step Functions style events) on stderr.
    #[arg(long)]
    pub history: bool,

    /// Print the whole execution description as JSON instead of the result.
    #[arg(long)]
    pub json: bool,

    /// Documents larger than this many bytes run as a Map over chunks of about this size.
    #[arg(long, default_value_t = service::DEFAULT_CHUNK_BYTES, value_parser = clap::value_parser!(u64).range(1024..))]
    pub chunk_bytes: u64,
}

#[derive(Debug, Args)]
pub struct ExecutionsArgs {
    pub id: Option<String>,
    #[arg(long)]
    pub history: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Decide by file extension (.json, .jsonl/.ndjson, anything else is text).
    Auto,
    Text,
    Json,
    Jsonl,
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// A file, a directory (every file below it), or `-` for stdin.
    #[arg(default_value = "-")]
    pub input: PathBuf,

    #[arg(long, value_enum, default_value = "auto")]
    pub format: InputFormat,

    /// Built-in policy name (default, redact, tokenize-all) or a .json/.toml policy file.
    #[arg(long, default_value = "default")]
    pub policy: String,
}

#[derive(Debug, Args)]
pub struct AnonymizeArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output file (or directory when the input is a directory). Default: stdout.
    #[arg(long, short)]
    pub out: Option<PathBuf>,

    /// Print the summary (counts per type and action) as JSON on stderr.
    #[arg(long)]
    pub summary: bool,

    /// Hide the progress bar even on a terminal.
    #[arg(long)]
    pub quiet: bool,

    /// Worker threads for the records or text of a file (the output keeps the input's
    /// order). Default: one per core available.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

#[derive(Debug, Args)]
pub struct DetectArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Worker threads for the chunks of a text or the lines of a JSONL file (the output
    /// keeps the input's order). Default: one per core available.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

#[derive(Debug, Args)]
pub struct ReidentifyArgs {
    /// Tokens to reverse. Without tokens, reads text or JSON with tokens from --file.
    pub tokens: Vec<String>,

    /// A file (or `-` for stdin) whose tokens are all reversed in place.
    #[arg(long, conflicts_with = "tokens")]
    pub file: Option<PathBuf>,

    #[arg(long, value_enum, default_value = "auto")]
    pub format: InputFormat,

    /// Why the originals are needed. Required; recorded in the audit trail.
    #[arg(long)]
    pub reason: String,

    /// Who is asking, for the audit trail. Default: $USER.
    #[arg(long)]
    pub principal: Option<String>,
}

#[derive(Debug, Args)]
pub struct EraseArgs {
    pub token: String,

    /// Why the token is erased. Required; recorded in the audit trail.
    #[arg(long)]
    pub reason: String,

    #[arg(long)]
    pub principal: Option<String>,
}

#[derive(Debug, Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    pub command: KeysCommand,
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create the keyring (0600, keys from the OS RNG). Fails if one exists.
    Init,
    /// Add a new data key version (new vault items use it; old ones still open).
    Rotate {
        /// Rotate the token key instead: FUTURE TOKENS CHANGE, joins with old tokens break.
        #[arg(long)]
        token_key: bool,
    },
    /// List key versions (never the keys).
    ShowVersions,
    /// Manage API keys for `serve --api-keys`.
    #[command(subcommand)]
    ApiKey(ApiKeyCommand),
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Create a key and print it once on stdout (only its hash is stored).
    Create {
        #[arg(long)]
        name: String,
        /// Scopes to grant (repeatable).
        #[arg(long, required = true, value_parser = SCOPES)]
        scope: Vec<String>,
    },
    /// List keys: id, name, scopes, creation time, state (never the keys).
    List,
    /// Revoke a key by id; it stops working at once.
    Revoke { key_id: String },
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[arg(long)]
    pub token: Option<String>,
    #[arg(long)]
    pub principal: Option<String>,
    /// Only records at or after this RFC 3339 instant.
    #[arg(long)]
    pub since: Option<String>,
    /// Only records before this RFC 3339 instant.
    #[arg(long)]
    pub until: Option<String>,
    /// Records per page (at most 1000).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub limit: u64,
    /// Continue where a previous page ended (printed on stderr after a full page).
    #[arg(long)]
    pub cursor: Option<String>,
    /// Follow the cursors to the end of the trail.
    #[arg(long)]
    pub all: bool,
}
