//! Dev auth mints tokens for anyone who can reach the server, so it must not be reachable
//! from other machines.

use std::net::SocketAddr;

use super::AuthError;

/// Ok for 127.0.0.0/8 and ::1; an error naming the address otherwise (0.0.0.0 included).
pub fn ensure_loopback(addr: &SocketAddr) -> Result<(), AuthError> {
    let ip = addr.ip();
    let loopback = ip.is_loopback()
        || matches!(ip, std::net::IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()));
    if loopback {
        Ok(())
    } else {
        Err(AuthError::NotLoopback(*addr))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_passes() {
        for ok in [
            "127.0.0.1:8080",
            "127.1.2.3:1",
            "[::1]:80",
            "[::ffff:127.0.0.1]:80",
        ] {
            assert!(ensure_loopback(&ok.parse().unwrap()).is_ok(), "{ok}");
        }
        for bad in ["0.0.0.0:8080", "[::]:80", "192.168.1.10:80", "10.0.0.1:80"] {
            let err = ensure_loopback(&bad.parse().unwrap()).unwrap_err();
            assert!(err.to_string().contains("loopback"), "{bad}");
        }
    }
}
