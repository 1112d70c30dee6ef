//! The functions' environment (infra/template.yaml) as typed configuration.
//!
//! Read through a lookup function rather than `std::env` directly so tests need not mutate
//! the process environment (which is shared between parallel tests).

use std::path::PathBuf;

use deidentify::WrappedKeyring;
use service::S3StoreConfig;

use crate::LambdaError;

/// Where the vault and its keys live.
#[derive(Debug, Clone)]
pub enum VaultConfig {
    /// DynamoDB table + a KMS-wrapped keyring (what the template deploys).
    Aws {
        table: String,
        keyring: WrappedKeyring,
    },
    /// DynamoDB table + the KMS-wrapped keyring kept in an SSM SecureString parameter (what
    /// the keyring custom resource makes), read at cold start.
    AwsParameter {
        table: String,
        parameter: String,
        data_key_id: Option<String>,
    },
    /// The embedded SQLite vault and file keyring of `piiflow` under this directory: for
    /// running the binaries on a laptop (cargo lambda watch, cold-start measurement).
    Local { home: PathBuf },
}

/// Where the audit trail lives.
#[derive(Debug, Clone)]
pub enum AuditConfig {
    Aws { table: String },
    Local { home: PathBuf },
}

/// Detect, mask and deidentify.
#[derive(Debug, Clone)]
pub struct StepConfig {
    /// `POLICY`: used when the state names none.
    pub default_policy: String,
    pub documents: S3StoreConfig,
    /// Only deidentify holds a vault; detect and mask run without keys.
    pub vault: Option<VaultConfig>,
}

#[derive(Debug, Clone)]
pub struct ReidentifyConfig {
    pub vault: VaultConfig,
    pub audit: AuditConfig,
    pub callers: CallerConfig,
}

/// Whose access tokens the reidentify function accepts: it verifies the caller's token
/// itself rather than trusting whoever may invoke it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerConfig {
    /// `CALLER_ISSUER`: the exact `iss` (the Cognito user pool URL).
    pub issuer: String,
    /// `CALLER_JWKS_URL`; default `<issuer>/.well-known/jwks.json`.
    pub jwks_url: String,
    /// `CALLER_CLIENT_IDS`: the app clients whose tokens count (comma-separated, required).
    pub client_ids: std::collections::BTreeSet<String>,
}

impl CallerConfig {
    pub fn from_lookup(env: Lookup) -> Result<Self, LambdaError> {
        let issuer = env("CALLER_ISSUER").ok_or_else(|| {
            LambdaError::Config(
                "CALLER_ISSUER is not set: the function verifies every caller's token".into(),
            )
        })?;
        let jwks_url = env("CALLER_JWKS_URL")
            .unwrap_or_else(|| format!("{}/.well-known/jwks.json", issuer.trim_end_matches('/')));
        let client_ids: std::collections::BTreeSet<String> = env("CALLER_CLIENT_IDS")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        if client_ids.is_empty() {
            return Err(LambdaError::Config(
                "CALLER_CLIENT_IDS is not set: name the app clients allowed to reveal".into(),
            ));
        }
        Ok(Self {
            issuer,
            jwks_url,
            client_ids,
        })
    }
}

#[derive(Debug, Clone)]
pub struct ApiConfig {
    pub default_policy: String,
    pub vault: VaultConfig,
    /// `DOCUMENT_BUCKET`: the only bucket document sources may name (unset: any).
    pub document_bucket: Option<String>,
    /// `DOCUMENT_PREFIX`: where jobs may read (unset: anywhere in the bucket).
    pub document_prefix: Option<String>,
    /// `DOCUMENTS_STATE_MACHINE_ARN`: runs `POST /v1/documents`.
    pub documents_state_machine: String,
    /// `RECORDS_STATE_MACHINE_ARN`, optional.
    pub records_state_machine: Option<String>,
    /// `JOBS_STATE_MACHINE_ARN`, optional: runs `POST /v1/jobs`.
    pub jobs_state_machine: Option<String>,
    /// `REIDENTIFY_FUNCTION`: does re-identification, erasure and the audit listing.
    pub reidentify_function: String,
}

pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A fixed set of variables, for tests that must not touch the process environment.
pub fn lookup_from(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: std::collections::HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k| map.get(k).cloned()
}

/// The process environment, empty values counting as unset.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn or_default(env: Lookup, name: &str, default: &str) -> String {
    env(name).unwrap_or_else(|| default.to_string())
}

fn documents(env: Lookup, default_output: &str) -> Result<S3StoreConfig, LambdaError> {
    Ok(S3StoreConfig {
        bucket: env("DOCUMENT_BUCKET"),
        output_prefix: or_default(env, "OUTPUT_PREFIX", default_output),
        work_prefix: or_default(env, "WORK_PREFIX", "work/"),
        file_dir: env("PIIFLOW_FILE_DOCUMENTS").map(PathBuf::from),
        chunk_bytes: match env("CHUNK_BYTES") {
            None => service::DEFAULT_CHUNK_BYTES,
            Some(s) => s.parse::<u64>().map_err(|_| {
                LambdaError::Config("CHUNK_BYTES must be a whole number of bytes".into())
            })?,
        },
    })
}

impl StepConfig {
    /// `with_vault` for deidentify: it fails here, at cold start, when the vault is unset.
    pub fn from_lookup(
        env: Lookup,
        default_output: &str,
        with_vault: bool,
    ) -> Result<Self, LambdaError> {
        Ok(Self {
            default_policy: or_default(env, "POLICY", "default"),
            documents: documents(env, default_output)?,
            vault: with_vault
                .then(|| VaultConfig::from_lookup(env))
                .transpose()?,
        })
    }
}

impl VaultConfig {
    /// `VAULT_TABLE` + `KEYRING_CIPHERTEXT` or `KEYRING_PARAMETER` (+ `DATA_KEY_ID`), else
    /// `PIIFLOW_HOME`. A non-empty `KEYRING_CIPHERTEXT` wins: it is the administrator's
    /// explicit keyring.
    pub fn from_lookup(env: Lookup) -> Result<Self, LambdaError> {
        let ciphertext = env("KEYRING_CIPHERTEXT").filter(|t| !t.trim().is_empty());
        match (env("VAULT_TABLE"), env("PIIFLOW_HOME")) {
            (Some(table), _) if ciphertext.is_none() && env("KEYRING_PARAMETER").is_some() => {
                Ok(VaultConfig::AwsParameter {
                    table,
                    parameter: env("KEYRING_PARAMETER").unwrap_or_default(),
                    data_key_id: env("DATA_KEY_ID"),
                })
            }
            (Some(table), _) => {
                let text = ciphertext.ok_or_else(|| {
                    LambdaError::Config(
                        "VAULT_TABLE is set but neither KEYRING_CIPHERTEXT nor KEYRING_PARAMETER is"
                            .into(),
                    )
                })?;
                let mut keyring = parse_keyring(&text)?;
                // The stack's key is authoritative: Decrypt is pinned to it, so a keyring
                // wrapped under some other key is refused rather than silently used.
                if let Some(id) = env("DATA_KEY_ID") {
                    keyring.kms_key_id = id;
                }
                Ok(VaultConfig::Aws { table, keyring })
            }
            (None, Some(home)) => Ok(VaultConfig::Local { home: home.into() }),
            (None, None) => Err(LambdaError::Config(
                "set VAULT_TABLE and KEYRING_CIPHERTEXT (AWS) or PIIFLOW_HOME (embedded)".into(),
            )),
        }
    }
}

/// `KEYRING_CIPHERTEXT`: the `WrappedKeyring` JSON, or that JSON in base64 (CloudFormation
/// parameters are easier to pass as one base64 word).
pub fn parse_keyring(text: &str) -> Result<WrappedKeyring, LambdaError> {
    let text = text.trim();
    let json = if text.starts_with('{') {
        text.to_string()
    } else {
        let bytes = data_encoding::BASE64.decode(text.as_bytes()).map_err(|_| {
            LambdaError::Config("KEYRING_CIPHERTEXT is neither keyring JSON nor base64".into())
        })?;
        String::from_utf8(bytes).map_err(|_| {
            LambdaError::Config("KEYRING_CIPHERTEXT base64 does not hold UTF-8 JSON".into())
        })?
    };
    // The parse error names a position, not content: safe to show.
    WrappedKeyring::from_json(&json)
        .map_err(|e| LambdaError::Config(format!("KEYRING_CIPHERTEXT: {e}")))
}

impl ReidentifyConfig {
    pub fn from_lookup(env: Lookup) -> Result<Self, LambdaError> {
        let vault = VaultConfig::from_lookup(env)?;
        let audit = match (&vault, env("AUDIT_TABLE")) {
            (_, Some(table)) => AuditConfig::Aws { table },
            (VaultConfig::Local { home }, None) => AuditConfig::Local { home: home.clone() },
            // Never fall back to a local trail next to a real vault: that would hide the
            // audit records from the auditors.
            (VaultConfig::Aws { .. } | VaultConfig::AwsParameter { .. }, None) => {
                return Err(LambdaError::Config("AUDIT_TABLE is not set".into()));
            }
        };
        Ok(Self {
            vault,
            audit,
            callers: CallerConfig::from_lookup(env)?,
        })
    }
}

impl ApiConfig {
    pub fn from_lookup(env: Lookup) -> Result<Self, LambdaError> {
        let required =
            |name: &str| env(name).ok_or_else(|| LambdaError::Config(format!("{name} is not set")));
        Ok(Self {
            default_policy: or_default(env, "POLICY", "default"),
            vault: VaultConfig::from_lookup(env)?,
            document_bucket: env("DOCUMENT_BUCKET"),
            document_prefix: env("DOCUMENT_PREFIX"),
            documents_state_machine: required("DOCUMENTS_STATE_MACHINE_ARN")?,
            records_state_machine: env("RECORDS_STATE_MACHINE_ARN"),
            jobs_state_machine: env("JOBS_STATE_MACHINE_ARN"),
            reidentify_function: required("REIDENTIFY_FUNCTION")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::lookup_from as env;

    const KEYRING: &str = r#"{"kms_key_id":"alias/x","token_keys":[{"version":1,"ciphertext_b64":"AA=="}],"data_keys":[{"version":1,"ciphertext_b64":"AA=="}]}"#;

    #[test]
    fn step_defaults() {
        let c = StepConfig::from_lookup(&env(&[]), "work/", false).unwrap();
        assert_eq!(c.default_policy, "default");
        assert_eq!(c.documents.output_prefix, "work/");
        assert!(c.vault.is_none() && c.documents.file_dir.is_none());
    }

    #[test]
    fn deidentify_needs_a_vault() {
        let e = StepConfig::from_lookup(&env(&[]), "results/", true).unwrap_err();
        assert!(e.to_string().contains("VAULT_TABLE"), "{e}");
        let e = VaultConfig::from_lookup(&env(&[("VAULT_TABLE", "v")])).unwrap_err();
        assert!(e.to_string().contains("KEYRING_CIPHERTEXT"), "{e}");
    }

    #[test]
    fn the_keyring_comes_from_its_parameter_unless_a_ciphertext_is_given() {
        let from_parameter = VaultConfig::from_lookup(&env(&[
            ("VAULT_TABLE", "v"),
            ("KEYRING_PARAMETER", "/stack/keyring"),
            ("KEYRING_CIPHERTEXT", " "),
            ("DATA_KEY_ID", "arn:k"),
        ]))
        .unwrap();
        assert!(
            matches!(&from_parameter, VaultConfig::AwsParameter { table, parameter, data_key_id }
                if table == "v" && parameter == "/stack/keyring" && data_key_id.as_deref() == Some("arn:k")),
            "{from_parameter:?}"
        );
        let explicit = VaultConfig::from_lookup(&env(&[
            ("VAULT_TABLE", "v"),
            ("KEYRING_PARAMETER", "/stack/keyring"),
            ("KEYRING_CIPHERTEXT", KEYRING),
        ]))
        .unwrap();
        assert!(matches!(explicit, VaultConfig::Aws { .. }), "{explicit:?}");
        let e = ReidentifyConfig::from_lookup(&env(&[
            ("VAULT_TABLE", "v"),
            ("KEYRING_PARAMETER", "/stack/keyring"),
        ]))
        .unwrap_err();
        assert!(e.to_string().contains("AUDIT_TABLE"), "{e}");
    }

    #[test]
    fn keyring_as_json_or_base64_and_data_key_wins() {
        let b64 = data_encoding::BASE64.encode(KEYRING.as_bytes());
        for text in [KEYRING.to_string(), b64] {
            let c = VaultConfig::from_lookup(&env(&[
                ("VAULT_TABLE", "v"),
                ("KEYRING_CIPHERTEXT", &text),
                ("DATA_KEY_ID", "arn:aws:kms:eu-west-1:1:key/k"),
            ]))
            .unwrap();
            let VaultConfig::Aws { table, keyring } = c else {
                panic!("aws expected")
            };
            assert_eq!(table, "v");
            assert_eq!(keyring.kms_key_id, "arn:aws:kms:eu-west-1:1:key/k");
        }
        assert!(parse_keyring("not base64!").is_err());
    }

    #[test]
    fn reidentify_on_aws_requires_the_audit_table() {
        let e = ReidentifyConfig::from_lookup(&env(&[
            ("VAULT_TABLE", "v"),
            ("KEYRING_CIPHERTEXT", KEYRING),
        ]))
        .unwrap_err();
        assert!(e.to_string().contains("AUDIT_TABLE"), "{e}");
        let c = ReidentifyConfig::from_lookup(&env(&[
            ("PIIFLOW_HOME", "/tmp/h"),
            ("CALLER_ISSUER", "https://issuer.example/pool"),
            ("CALLER_CLIENT_IDS", "a, b"),
        ]))
        .unwrap();
        assert!(matches!(c.audit, AuditConfig::Local { .. }));
        assert_eq!(
            c.callers.jwks_url,
            "https://issuer.example/pool/.well-known/jwks.json"
        );
        assert_eq!(c.callers.client_ids.len(), 2);
    }

    #[test]
    fn reidentify_needs_whose_tokens_to_accept() {
        let e = ReidentifyConfig::from_lookup(&env(&[("PIIFLOW_HOME", "/tmp/h")])).unwrap_err();
        assert!(e.to_string().contains("CALLER_ISSUER"), "{e}");
        let e = ReidentifyConfig::from_lookup(&env(&[
            ("PIIFLOW_HOME", "/tmp/h"),
            ("CALLER_ISSUER", "https://issuer.example/pool"),
        ]))
        .unwrap_err();
        assert!(e.to_string().contains("CALLER_CLIENT_IDS"), "{e}");
    }
}
