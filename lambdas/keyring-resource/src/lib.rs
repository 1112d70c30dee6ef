//! The keyring custom resource: during a deploy it makes the vault keyring once (KMS
//! `GenerateDataKeyWithoutPlaintext`, the keys never in clear here) and keeps it, wrapped,
//! in an SSM SecureString parameter the functions read. An update never makes a new one (a
//! new token key would break joins); a delete leaves the parameter (see [`lifecycle`]).

mod error;
mod event;
mod lifecycle;
mod respond;

pub use error::{KeyringResourceError, KeyringResourceErrorKind};
pub use event::{CustomResourceEvent, CustomResourceResponse, KeyringProperties, RequestType};
pub use lifecycle::{KeyringParameter, Outcome};
pub use respond::{handle, respond};

/// The handler over the SDK clients the Lambda environment gives.
pub async fn handler_from_env() -> Result<KeyringParameter, lambda_runtime::Error> {
    let sdk = aws_config::load_from_env().await;
    Ok(KeyringParameter {
        kms: aws_sdk_kms::Client::new(&sdk),
        ssm: aws_sdk_ssm::Client::new(&sdk),
    })
}
