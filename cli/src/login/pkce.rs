use data_encoding::BASE64URL_NOPAD;
use sha2::{Digest, Sha256};

/// RFC 7636 proof key: the verifier stays here, the S256 challenge goes to /authorize.
pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

impl Pkce {
    pub fn new() -> Self {
        // 32 random bytes give the 43-character verifier RFC 7636 recommends.
        let verifier = random_url_safe(32);
        let challenge = BASE64URL_NOPAD.encode(&Sha256::digest(verifier.as_bytes()));
        Self {
            verifier,
            challenge,
        }
    }
}

/// The `state` that ties the callback to this login (CSRF protection).
pub fn random_state() -> String {
    random_url_safe(24)
}

fn random_url_safe(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the OS random number generator");
    BASE64URL_NOPAD.encode(&buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_is_the_s256_of_the_verifier() {
        let p = Pkce::new();
        assert_eq!(p.verifier.len(), 43);
        assert!(
            p.verifier
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        let again = BASE64URL_NOPAD.encode(&Sha256::digest(p.verifier.as_bytes()));
        assert_eq!(p.challenge, again);
        assert_ne!(p.challenge, p.verifier);
    }

    #[test]
    fn appendix_b_of_rfc_7636() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = BASE64URL_NOPAD.encode(&Sha256::digest(verifier.as_bytes()));
        assert_eq!(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn states_differ() {
        assert_ne!(random_state(), random_state());
    }
}
