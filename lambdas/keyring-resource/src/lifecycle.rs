//! Create, update and delete of the keyring parameter.
//!
//! - **Create** makes a keyring (token key 1, data key 1) under `DataKeyId` and stores it,
//!   base64 JSON, as a SecureString. If the parameter already exists (a stack re-created
//!   over a retained parameter) it is kept, not replaced: the tokens already issued must
//!   keep joining.
//! - **Update** never makes a new keyring. A new `ParameterName` gets a copy of the old
//!   parameter's keyring.
//! - **Delete** leaves the parameter. Deleting it would make every token irreversible and
//!   every vault item unreadable; an administrator deletes it on purpose after the vault
//!   (`aws ssm delete-parameter`), as `infra/teardown` says.

use aws_sdk_ssm::types::ParameterType;
use deidentify::WrappedKeyring;
use deidentify::aws::KmsKeyring;

use crate::error::{KeyringResourceError, KeyringResourceErrorKind as Kind};
use crate::event::{CustomResourceEvent, KeyringProperties, RequestType};

pub struct KeyringParameter {
    pub kms: aws_sdk_kms::Client,
    pub ssm: aws_sdk_ssm::Client,
}

/// What the resource answers: its physical id (the parameter name) and whether this request
/// made the keyring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub physical_resource_id: String,
    pub created_keyring: bool,
}

fn properties(v: &serde_json::Value) -> Result<KeyringProperties, KeyringResourceError> {
    serde_json::from_value(v.clone()).map_err(|e| {
        KeyringResourceError::new(
            Kind::InvalidEvent,
            format!("ResourceProperties need DataKeyId and ParameterName: {e}"),
        )
    })
}

impl KeyringParameter {
    pub async fn apply(
        &self,
        event: &CustomResourceEvent,
    ) -> Result<Outcome, KeyringResourceError> {
        match event.request_type {
            RequestType::Delete => Ok(Outcome {
                physical_resource_id: event
                    .physical_resource_id
                    .clone()
                    .unwrap_or_else(|| event.logical_resource_id.clone()),
                created_keyring: false,
            }),
            RequestType::Create => {
                let props = properties(&event.resource_properties)?;
                self.ensure(&props, None).await
            }
            RequestType::Update => {
                let props = properties(&event.resource_properties)?;
                let old = event
                    .old_resource_properties
                    .as_ref()
                    .map(properties)
                    .transpose()?;
                let from = old
                    .map(|o| o.parameter_name)
                    .filter(|n| *n != props.parameter_name);
                self.ensure(&props, from.as_deref()).await
            }
        }
    }

    /// The parameter exists afterwards; a keyring is made only when there is none to keep.
    async fn ensure(
        &self,
        props: &KeyringProperties,
        copy_from: Option<&str>,
    ) -> Result<Outcome, KeyringResourceError> {
        let name = &props.parameter_name;
        let existing = self.read(name).await?;
        let outcome = |created| Outcome {
            physical_resource_id: name.clone(),
            created_keyring: created,
        };
        if let Some(value) = existing {
            check_keyring(name, &value)?;
            return Ok(outcome(false));
        }
        if let Some(old) = copy_from
            && let Some(value) = self.read(old).await?
        {
            check_keyring(old, &value)?;
            self.write(name, value).await?;
            return Ok(outcome(false));
        }
        let wrapped = KmsKeyring::generate(&self.kms, &props.data_key_id)
            .await
            .map_err(|e| {
                KeyringResourceError::new(Kind::Kms, format!("generating the keyring: {e}"))
            })?;
        let value = data_encoding::BASE64.encode(wrapped.to_json().as_bytes());
        self.write(name, value).await?;
        Ok(outcome(true))
    }

    async fn read(&self, name: &str) -> Result<Option<String>, KeyringResourceError> {
        match self
            .ssm
            .get_parameter()
            .name(name)
            .with_decryption(true)
            .send()
            .await
        {
            Ok(out) => Ok(out.parameter.and_then(|p| p.value)),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_parameter_not_found()) =>
            {
                Ok(None)
            }
            Err(e) => Err(KeyringResourceError::new(
                Kind::Ssm,
                format!(
                    "reading parameter {name}: {}",
                    aws_sdk_ssm::error::DisplayErrorContext(&e)
                ),
            )),
        }
    }

    /// Never overwrites: two racing creates keep the first keyring.
    async fn write(&self, name: &str, value: String) -> Result<(), KeyringResourceError> {
        self.ssm
            .put_parameter()
            .name(name)
            .value(value)
            .r#type(ParameterType::SecureString)
            .overwrite(false)
            .description("piiflow vault keyring (KMS-wrapped keys; base64 JSON)")
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                KeyringResourceError::new(
                    Kind::Ssm,
                    format!(
                        "writing parameter {name}: {}",
                        aws_sdk_ssm::error::DisplayErrorContext(&e)
                    ),
                )
            })
    }
}

fn check_keyring(name: &str, value: &str) -> Result<WrappedKeyring, KeyringResourceError> {
    lambda_common::config::parse_keyring(value).map_err(|_| {
        KeyringResourceError::new(
            Kind::NotAKeyring,
            format!("parameter {name} exists but holds no piiflow keyring; not replacing it"),
        )
    })
}
