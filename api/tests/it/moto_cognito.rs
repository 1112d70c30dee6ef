//! Access tokens issued by a real Cognito user-pool implementation (moto server, password
//! login), verified through its JWKS URL. Skipped when PIIFLOW_MOTO_URL is not set
//! (`scripts/with-moto` sets it; the README's test command runs this).

use api::auth::{JwksSource, JwtConfig, JwtVerifier};
use serde_json::{Value, json};

async fn cognito(moto: &str, action: &str, body: Value) -> Value {
    let response = reqwest::Client::new()
        .post(moto)
        .header("X-Amz-Target", format!("AWSCognitoIdentityProviderService.{action}"))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=0",
        )
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{action}: {status} {text}");
    serde_json::from_str(&text).unwrap()
}

/// Creates a pool, a client and a user, logs in with the password; returns (pool id, client id, access token, id token).
async fn login(moto: &str) -> (String, String, String, String) {
    let pool = cognito(
        moto,
        "CreateUserPool",
        json!({"PoolName": format!("piiflow-{}", uuid::Uuid::new_v4())}),
    )
    .await;
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    let client = cognito(
        moto,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "auditor", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
    )
    .await;
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_string();
    cognito(
        moto,
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": "auditor1", "MessageAction": "SUPPRESS"}),
    )
    .await;
    cognito(
        moto,
        "AdminSetUserPassword",
        json!({"UserPoolId": pool_id, "Username": "auditor1", "Password": "Str0ng!Passw0rd", "Permanent": true}),
    )
    .await;
    let auth = cognito(
        moto,
        "InitiateAuth",
        json!({"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "auditor1", "PASSWORD": "Str0ng!Passw0rd"}}),
    )
    .await;
    let result = &auth["AuthenticationResult"];
    (
        pool_id,
        client_id,
        result["AccessToken"].as_str().unwrap().to_string(),
        result["IdToken"].as_str().unwrap().to_string(),
    )
}

fn issuer_of(token: &str) -> String {
    let payload = token.split('.').nth(1).unwrap();
    let bytes = data_encoding::BASE64URL_NOPAD
        .decode(payload.as_bytes())
        .unwrap();
    let claims: Value = serde_json::from_slice(&bytes).unwrap();
    claims["iss"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn tokens_from_a_cognito_pool_verify_through_its_jwks_url() {
    let Ok(moto) = std::env::var("PIIFLOW_MOTO_URL") else {
        eprintln!("skipped: PIIFLOW_MOTO_URL not set");
        return;
    };
    let (pool_id, client_id, access, id_token) = login(&moto).await;
    let issuer = issuer_of(&access);
    assert!(issuer.ends_with(&pool_id), "{issuer}");
    let jwks = format!("{moto}/{pool_id}/.well-known/jwks.json");
    let mut config = JwtConfig::new(JwksSource::Url(jwks.clone()), issuer.clone());
    config.allowed_client_ids = Some([client_id.clone()].into_iter().collect());
    let verifier = JwtVerifier::new(config).unwrap();

    let principal = verifier.verify(&access).await.unwrap();
    assert_eq!(principal.client_id, client_id);
    assert_eq!(principal.username.as_deref(), Some("auditor1"));
    // Password logins carry no resource-server scopes: such a user reaches no pii/* route.
    assert!(!principal.has_scope("pii/reidentify"));

    assert!(
        verifier.verify(&id_token).await.is_err(),
        "an ID token is not an access token"
    );

    let mut wrong_issuer = JwtConfig::new(JwksSource::Url(jwks.clone()), format!("{issuer}x"));
    wrong_issuer.allowed_client_ids = Some([client_id.clone()].into_iter().collect());
    assert!(
        JwtVerifier::new(wrong_issuer)
            .unwrap()
            .verify(&access)
            .await
            .is_err()
    );

    let mut other_client = JwtConfig::new(JwksSource::Url(jwks), issuer);
    other_client.allowed_client_ids = Some(["someone-else".to_string()].into_iter().collect());
    assert!(
        JwtVerifier::new(other_client)
            .unwrap()
            .verify(&access)
            .await
            .is_err()
    );
}
