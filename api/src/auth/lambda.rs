//! Principals from API Gateway (HTTP API) JWT authorizer claims.
//!
//! On AWS the gateway has already verified the token and the route scope; the Lambda
//! re-checks the scope from these claims (defence in depth). The shapes here are plain serde
//! so the lambda_http wiring only has to hand over `requestContext.authorizer.jwt`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::{AuthError, AuthMethod, Identity};
use access_token::split_scopes;

/// `requestContext.authorizer.jwt`: `claims` (API Gateway renders every value as a string)
/// and `scopes` (present when the route requires scopes).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct AuthorizerJwt {
    #[serde(default)]
    pub claims: BTreeMap<String, Value>,
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
}

/// Builds the principal from authorizer claims. Requires `sub`; refuses ID tokens; scopes are
/// the union of `scopes` and the `scope` claim.
pub fn principal_from_authorizer(jwt: &AuthorizerJwt) -> Result<Identity, AuthError> {
    let claim = |name: &str| jwt.claims.get(name).and_then(claim_string);
    let sub = claim("sub").ok_or_else(|| AuthError::MissingClaim("sub".into()))?;
    if let Some(use_) = claim("token_use")
        && use_ != "access"
    {
        return Err(AuthError::WrongTokenUse(use_));
    }
    let client_id = claim("client_id")
        .or_else(|| claim("aud"))
        .ok_or_else(|| AuthError::MissingClaim("client_id".into()))?;
    let mut scopes = jwt.scopes.clone().unwrap_or_default();
    for s in claim("scope")
        .as_deref()
        .map(split_scopes)
        .unwrap_or_default()
    {
        if !scopes.contains(&s) {
            scopes.push(s);
        }
    }
    Ok(Identity {
        sub,
        client_id,
        username: claim("username").or_else(|| claim("cognito:username")),
        scopes,
        via: AuthMethod::LambdaAuthorizer,
    })
}

/// Same, from the raw JSON of an event's `requestContext` (or of the whole event).
pub fn principal_from_request_context(value: &Value) -> Result<Identity, AuthError> {
    let ctx = value.get("requestContext").unwrap_or(value);
    let jwt = ctx
        .pointer("/authorizer/jwt")
        .ok_or(AuthError::MissingCredentials)?;
    let jwt: AuthorizerJwt = serde_json::from_value(jwt.clone())
        .map_err(|e| AuthError::Malformed(format!("authorizer claims: {e}")))?;
    principal_from_authorizer(&jwt)
}

fn claim_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event() -> Value {
        json!({
            "version": "2.0",
            "requestContext": {
                "authorizer": {"jwt": {
                    "claims": {
                        "sub": "client-123",
                        "client_id": "client-123",
                        "token_use": "access",
                        "scope": "pii/anonymize pii/reidentify",
                        "iss": "https://cognito-idp.eu-west-1.amazonaws.com/pool",
                        "exp": "1700000000"
                    },
                    "scopes": ["pii/reidentify"]
                }}
            }
        })
    }

    #[test]
    fn claims_become_a_principal() {
        let p = principal_from_request_context(&event()).unwrap();
        assert_eq!(p.sub, "client-123");
        assert_eq!(p.client_id, "client-123");
        assert_eq!(p.via, AuthMethod::LambdaAuthorizer);
        assert_eq!(p.scopes, vec!["pii/reidentify", "pii/anonymize"]);
        // requestContext alone works too
        let ctx = event()["requestContext"].clone();
        assert_eq!(principal_from_request_context(&ctx).unwrap(), p);
    }

    #[test]
    fn id_tokens_and_missing_authorizer_are_refused() {
        let mut e = event();
        e["requestContext"]["authorizer"]["jwt"]["claims"]["token_use"] = json!("id");
        assert!(matches!(
            principal_from_request_context(&e),
            Err(AuthError::WrongTokenUse(_))
        ));
        assert!(matches!(
            principal_from_request_context(&json!({"requestContext": {}})),
            Err(AuthError::MissingCredentials)
        ));
        let mut e = event();
        e["requestContext"]["authorizer"]["jwt"]["claims"]
            .as_object_mut()
            .unwrap()
            .remove("sub");
        assert!(matches!(
            principal_from_request_context(&e),
            Err(AuthError::MissingClaim(_))
        ));
    }
}
