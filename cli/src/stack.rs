//! The outputs of a deployed piiflow stack that `piiflow login --stack` needs.

use crate::login::LoginError;

/// Where to sign in and which API to call, from the stack's outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginOutputs {
    /// The hosted UI's base URL (the `TokenUrl` output without `/oauth2/token`).
    pub domain: String,
    /// `AuditorWebClientId`: the public code + PKCE client for people.
    pub web_client_id: String,
    /// `ApiUrl`.
    pub api_url: String,
}

impl LoginOutputs {
    /// Picks the three outputs from a stack's (key, value) pairs.
    #[cfg_attr(not(feature = "aws"), allow(dead_code))]
    pub fn from_pairs<'a>(
        stack: &str,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, LoginError> {
        let mut token_url = None;
        let mut web_client_id = None;
        let mut api_url = None;
        for (key, value) in pairs {
            match key {
                "TokenUrl" => token_url = Some(value.to_string()),
                "AuditorWebClientId" => web_client_id = Some(value.to_string()),
                "ApiUrl" => api_url = Some(value.to_string()),
                _ => {}
            }
        }
        let missing = |name: &str| {
            LoginError::Config(format!(
                "stack {stack} has no {name} output: is it a piiflow stack (infra/template.yaml)?"
            ))
        };
        let token_url = token_url.ok_or_else(|| missing("TokenUrl"))?;
        let domain = token_url
            .strip_suffix("/oauth2/token")
            .ok_or_else(|| {
                LoginError::Config(format!(
                    "stack {stack}: TokenUrl {token_url:?} does not end in /oauth2/token"
                ))
            })?
            .to_string();
        Ok(Self {
            domain,
            web_client_id: web_client_id.ok_or_else(|| missing("AuditorWebClientId"))?,
            api_url: api_url.ok_or_else(|| missing("ApiUrl"))?,
        })
    }
}

/// Reads the outputs with CloudFormation's DescribeStacks.
#[cfg(feature = "aws")]
pub async fn login_outputs(stack: &str) -> Result<LoginOutputs, LoginError> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_cloudformation::Client::new(&config);
    let described = client
        .describe_stacks()
        .stack_name(stack)
        .send()
        .await
        .map_err(|e| {
            LoginError::Config(format!(
                "describing stack {stack}: {}",
                aws_sdk_cloudformation::error::DisplayErrorContext(&e)
            ))
        })?;
    let found = described
        .stacks()
        .first()
        .ok_or_else(|| LoginError::Config(format!("stack {stack} does not exist")))?;
    LoginOutputs::from_pairs(
        stack,
        found
            .outputs()
            .iter()
            .filter_map(|o| Some((o.output_key()?, o.output_value()?))),
    )
}

#[cfg(not(feature = "aws"))]
pub async fn login_outputs(stack: &str) -> Result<LoginOutputs, LoginError> {
    Err(LoginError::Config(format!(
        "--stack {stack}: this piiflow was built without the `aws` feature; pass --domain and \
         --client-id (the stack's TokenUrl without /oauth2/token, and AuditorWebClientId)"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_login_outputs() {
        let got = LoginOutputs::from_pairs(
            "piiflow",
            [
                ("ApiUrl", "https://abc.execute-api.eu-west-1.amazonaws.com"),
                (
                    "TokenUrl",
                    "https://px.auth.eu-west-1.amazoncognito.com/oauth2/token",
                ),
                ("AuditorWebClientId", "web123"),
                ("VaultTable", "t"),
            ],
        )
        .unwrap();
        assert_eq!(got.domain, "https://px.auth.eu-west-1.amazoncognito.com");
        assert_eq!(got.web_client_id, "web123");
        assert_eq!(
            got.api_url,
            "https://abc.execute-api.eu-west-1.amazonaws.com"
        );
    }

    #[test]
    fn a_stack_without_the_outputs_is_named() {
        let err = LoginOutputs::from_pairs("other", [("ApiUrl", "x")]).unwrap_err();
        assert!(err.to_string().contains("no TokenUrl output"), "{err}");
    }
}
