//! Bearer token verification end to end.

use std::time::Duration;

use data_encoding::BASE64URL_NOPAD;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn valid_token_is_accepted() {
    let h = Harness::start().await;
    let res = h.anonymize_with(&token("pii/anonymize")).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["text"], "mail [EMAIL]");
    assert_eq!(body["entities"][0]["type"], "EMAIL");
    assert_eq!(h.jwks.fetches(), 1);
}

#[tokio::test]
async fn no_credentials_is_unauthorized() {
    let h = Harness::start().await;
    let res = h
        .client
        .post(h.url("/v1/anonymize"))
        .json(&json!({"text": "x"}))
        .send()
        .await
        .unwrap();
    assert_unauthorized(res).await;
}

#[tokio::test]
async fn expired_token_is_refused_beyond_the_leeway() {
    let h = Harness::start().await;
    let mut c = claims("pii/anonymize");
    c["exp"] = json!(now() - 120);
    assert_unauthorized(h.anonymize_with(&sign(&c, KEY_1, KID_1)).await).await;
    // Within the 30 s leeway: accepted (the margin is 25 s, not a timing race).
    c["exp"] = json!(now() - 5);
    assert_eq!(
        h.anonymize_with(&sign(&c, KEY_1, KID_1)).await.status(),
        200
    );
}

#[tokio::test]
async fn not_yet_valid_token_is_refused() {
    let h = Harness::start().await;
    let mut c = claims("pii/anonymize");
    c["nbf"] = json!(now() + 300);
    assert_unauthorized(h.anonymize_with(&sign(&c, KEY_1, KID_1)).await).await;
}

#[tokio::test]
async fn wrong_or_missing_issuer_is_refused() {
    let h = Harness::start().await;
    let mut c = claims("pii/anonymize");
    c["iss"] = json!("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_OTHER");
    assert_unauthorized(h.anonymize_with(&sign(&c, KEY_1, KID_1)).await).await;
    // A prefix is not the issuer.
    c["iss"] = json!(format!("{ISSUER}x"));
    assert_unauthorized(h.anonymize_with(&sign(&c, KEY_1, KID_1)).await).await;
    c.as_object_mut().unwrap().remove("iss");
    assert_unauthorized(h.anonymize_with(&sign(&c, KEY_1, KID_1)).await).await;
}

#[tokio::test]
async fn id_token_is_refused() {
    let h = Harness::start().await;
    let mut c = claims("pii/anonymize");
    c["token_use"] = json!("id");
    c["aud"] = json!(CLIENT);
    assert_unauthorized(h.anonymize_with(&sign(&c, KEY_1, KID_1)).await).await;
    c.as_object_mut().unwrap().remove("token_use");
    assert_unauthorized(h.anonymize_with(&sign(&c, KEY_1, KID_1)).await).await;
}

#[tokio::test]
async fn unknown_client_is_refused() {
    let h = Harness::start().await;
    let mut c = claims("pii/anonymize");
    c["client_id"] = json!("client-b");
    assert_unauthorized(h.anonymize_with(&sign(&c, KEY_1, KID_1)).await).await;
}

#[tokio::test]
async fn missing_scope_is_forbidden_like_api_gateway() {
    let h = Harness::start().await;
    let res = h.anonymize_with(&token("openid profile")).await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        res.headers()["www-authenticate"],
        "Bearer scope=\"pii/anonymize\" error=\"insufficient_scope\" \
         error_description=\"expected scopes: [pii/anonymize]\""
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, json!({"message": "Forbidden"}));
}

#[tokio::test]
async fn anonymize_scope_cannot_reidentify() {
    let h = Harness::start().await;
    let t = token("pii/anonymize");
    let res = h
        .client
        .post(h.url("/v1/reidentify"))
        .bearer_auth(&t)
        .json(&json!({"tokens": ["EMAIL_AAAA"], "reason": "case 1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(
        res.headers()["www-authenticate"],
        "Bearer scope=\"pii/reidentify\" error=\"insufficient_scope\" \
         error_description=\"expected scopes: [pii/reidentify]\""
    );
    for (method, path) in [("DELETE", "/v1/tokens/EMAIL_AAAA"), ("GET", "/v1/audit")] {
        let res = h
            .client
            .request(method.parse().unwrap(), h.url(path))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{method} {path}");
    }
    assert!(h.backend.contexts.lock().unwrap().is_empty());
}

#[tokio::test]
async fn alg_none_is_refused() {
    let h = Harness::start().await;
    let header = BASE64URL_NOPAD.encode(br#"{"alg":"none","typ":"JWT","kid":"key-1"}"#);
    let payload = BASE64URL_NOPAD.encode(claims("pii/anonymize").to_string().as_bytes());
    for t in [
        format!("{header}.{payload}."),
        format!("{header}.{payload}.AAAA"),
    ] {
        assert_unauthorized(h.anonymize_with(&t).await).await;
    }
    let header = BASE64URL_NOPAD.encode(br#"{"alg":"None","typ":"JWT","kid":"key-1"}"#);
    assert_unauthorized(h.anonymize_with(&format!("{header}.{payload}.")).await).await;
}

#[tokio::test]
async fn hs256_with_the_public_key_as_secret_is_refused() {
    let h = Harness::start().await;
    let c = claims("pii/anonymize");
    let t = sign_with(
        &c,
        Algorithm::HS256,
        &EncodingKey::from_secret(KEY_1_PUBLIC),
        KID_1,
    );
    assert_unauthorized(h.anonymize_with(&t).await).await;
}

#[tokio::test]
async fn other_asymmetric_algorithms_are_refused() {
    let h = Harness::start().await;
    let c = claims("pii/anonymize");
    // Properly signed by the trusted key, but RS384: the algorithm alone disqualifies it.
    let key = EncodingKey::from_rsa_pem(KEY_1).unwrap();
    for alg in [Algorithm::RS384, Algorithm::PS256] {
        let t = sign_with(&c, alg, &key, KID_1);
        assert_unauthorized(h.anonymize_with(&t).await).await;
    }
    let header = BASE64URL_NOPAD.encode(br#"{"alg":"ES256","typ":"JWT","kid":"key-1"}"#);
    let payload = BASE64URL_NOPAD.encode(c.to_string().as_bytes());
    let sig = BASE64URL_NOPAD.encode(&[7u8; 64]);
    assert_unauthorized(h.anonymize_with(&format!("{header}.{payload}.{sig}")).await).await;
}

#[tokio::test]
async fn tampered_tokens_are_refused() {
    let h = Harness::start().await;
    let t = token("pii/anonymize");
    let parts: Vec<&str> = t.split('.').collect();
    // Flip one character in the middle of the signature.
    let mut sig: Vec<char> = parts[2].chars().collect();
    let mid = sig.len() / 2;
    sig[mid] = if sig[mid] == 'A' { 'B' } else { 'A' };
    let tampered_sig = format!(
        "{}.{}.{}",
        parts[0],
        parts[1],
        sig.iter().collect::<String>()
    );
    assert_unauthorized(h.anonymize_with(&tampered_sig).await).await;
    // Swap in a payload with more scopes, keep the old signature.
    let greedy = BASE64URL_NOPAD.encode(
        claims("pii/anonymize pii/reidentify")
            .to_string()
            .as_bytes(),
    );
    let tampered_payload = format!("{}.{}.{}", parts[0], greedy, parts[2]);
    assert_unauthorized(h.anonymize_with(&tampered_payload).await).await;
    // Signed by a key the JWKS does not vouch for, under a trusted kid.
    assert_unauthorized(
        h.anonymize_with(&sign(&claims("pii/anonymize"), KEY_2, KID_1))
            .await,
    )
    .await;
    // The untouched token still works.
    assert_eq!(h.anonymize_with(&t).await.status(), 200);
}

#[tokio::test]
async fn unknown_kid_triggers_a_refetch_after_rotation() {
    let h = Harness::start_with(Options {
        min_refetch_interval: Duration::ZERO,
        ..Default::default()
    })
    .await;
    assert_eq!(
        h.anonymize_with(&token("pii/anonymize")).await.status(),
        200
    );
    assert_eq!(h.jwks.fetches(), 1);

    // The issuer rotates: key 2 in, key 1 out.
    h.jwks.set_keys(vec![jwk(KEY_2, KID_2)]);
    let t2 = sign(&claims("pii/anonymize"), KEY_2, KID_2);
    assert_eq!(h.anonymize_with(&t2).await.status(), 200);
    assert_eq!(h.jwks.fetches(), 2);
    // Cached now: no further fetch.
    assert_eq!(h.anonymize_with(&t2).await.status(), 200);
    assert_eq!(h.jwks.fetches(), 2);

    // Key 1 is gone from the refreshed set.
    assert_unauthorized(h.anonymize_with(&token("pii/anonymize")).await).await;
    assert_eq!(h.jwks.fetches(), 3);
}

#[tokio::test]
async fn refetches_are_rate_limited() {
    let h = Harness::start_with(Options {
        min_refetch_interval: Duration::from_secs(3600),
        ..Default::default()
    })
    .await;
    assert_eq!(
        h.anonymize_with(&token("pii/anonymize")).await.status(),
        200
    );
    assert_eq!(h.jwks.fetches(), 1);

    h.jwks.set_keys(vec![jwk(KEY_1, KID_1), jwk(KEY_2, KID_2)]);
    let t2 = sign(&claims("pii/anonymize"), KEY_2, KID_2);
    assert_unauthorized(h.anonymize_with(&t2).await).await;
    for kid in ["made-up-1", "made-up-2", "made-up-3"] {
        let t = sign(&claims("pii/anonymize"), KEY_1, kid);
        assert_unauthorized(h.anonymize_with(&t).await).await;
    }
    assert_eq!(h.jwks.fetches(), 1, "unknown kids must not hammer the JWKS");
    // Known keys keep working meanwhile.
    assert_eq!(
        h.anonymize_with(&token("pii/anonymize")).await.status(),
        200
    );
}

#[tokio::test]
async fn token_without_kid_is_refused() {
    let h = Harness::start().await;
    let key = EncodingKey::from_rsa_pem(KEY_1).unwrap();
    let t = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(Algorithm::RS256),
        &claims("pii/anonymize"),
        &key,
    )
    .unwrap();
    assert_unauthorized(h.anonymize_with(&t).await).await;
}

#[tokio::test]
async fn a_key_withdrawn_from_the_jwks_stops_verifying_once_the_set_is_refreshed() {
    // Keys are trusted for `jwks_max_age`; zero makes every verification refresh the set,
    // which is what an hour does to a long-running server.
    let h = Harness::start_with(Options {
        min_refetch_interval: Duration::ZERO,
        jwks_max_age: Duration::ZERO,
        ..Default::default()
    })
    .await;
    let t1 = token("pii/anonymize");
    assert_eq!(h.anonymize_with(&t1).await.status(), 200);
    // The issuer withdraws key 1 (compromised) and publishes key 2: key 1 is refused at
    // once, though its kid was cached and no unknown kid asked for a refetch.
    h.jwks.set_keys(vec![jwk(KEY_2, KID_2)]);
    assert_unauthorized(h.anonymize_with(&t1).await).await;
    let t2 = sign(&claims("pii/anonymize"), KEY_2, KID_2);
    assert_eq!(h.anonymize_with(&t2).await.status(), 200);
    assert_eq!(h.jwks.fetches(), 3);
}

#[tokio::test]
async fn within_the_max_age_known_keys_need_no_fetch() {
    let h = Harness::start().await;
    let t1 = token("pii/anonymize");
    assert_eq!(h.anonymize_with(&t1).await.status(), 200);
    h.jwks.set_keys(vec![jwk(KEY_2, KID_2)]);
    assert_eq!(h.anonymize_with(&t1).await.status(), 200);
    assert_eq!(h.jwks.fetches(), 1);
}
