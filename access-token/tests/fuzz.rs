//! Fuzzing credential parsing by property tests: arbitrary strings and JWT-shaped strings
//! (three base64url parts of arbitrary JSON or bytes) are refused with an error, never a
//! panic, and never accepted. Ignored in the normal run; `PIIFLOW_FUZZ_CASES` sets the
//! case count (default 100,000):
//! `PIIFLOW_FUZZ_CASES=1000000 cargo test --release -p access-token --test fuzz -- --ignored`.

use std::collections::BTreeSet;

use access_token::{JwksSource, JwtConfig, JwtVerifier};
use data_encoding::BASE64URL_NOPAD;
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PIIFLOW_FUZZ_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(100_000),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A verifier whose JWKS holds one RS256 key, so a token naming `k1` reaches signature
/// checking.
fn verifier() -> JwtVerifier {
    let set = serde_json::from_value(serde_json::json!({"keys": [{
        "kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig", "e": "AQAB",
        "n": "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw"
    }]}))
    .unwrap();
    let mut config = JwtConfig::new(JwksSource::Static(set), "https://issuer.example/pool");
    config.allowed_client_ids = Some(BTreeSet::from(["c".to_string()]));
    JwtVerifier::new(config).unwrap()
}

fn part() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300).prop_map(|b| BASE64URL_NOPAD.encode(&b)),
        prop_oneof![
            Just(r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#.to_string()),
            Just(r#"{"alg":"none","kid":"k1"}"#.to_string()),
            Just(r#"{"alg":"HS256","kid":"k1"}"#.to_string()),
            r#"\{"alg":"RS256","kid":".{0,8}"\}"#,
            r#"\{"sub":".{0,8}","exp":[0-9]{1,12},"iss":".{0,30}","client_id":"c","token_use":"access"\}"#,
        ]
        .prop_map(|json| BASE64URL_NOPAD.encode(json.as_bytes())),
        ".{0,40}",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    #[ignore = "fuzzing: run with --ignored"]
    fn arbitrary_strings_are_refused(token in ".{0,600}") {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        prop_assert!(rt.block_on(verifier().verify(&token)).is_err());
    }

    #[test]
    #[ignore = "fuzzing: run with --ignored"]
    fn jwt_shaped_strings_are_refused(header in part(), claims in part(), signature in part()) {
        let token = format!("{header}.{claims}.{signature}");
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        prop_assert!(rt.block_on(verifier().verify(&token)).is_err());
    }
}
