//! Presigned URLs of the local server, what S3's presigning is on AWS: `piiflow serve`
//! hands out a URL to `PUT` one new document under the incoming directory, or to `GET` one
//! run's result, and serves it at `/local/objects/{area}` without a bearer token. The URL
//! is the credential: an HMAC-SHA256 over the method, the area, the path and the expiry,
//! under a key drawn when the server starts (so every URL dies with the server), compared
//! in constant time.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::hmac;
use data_encoding::{BASE64URL_NOPAD, HEXLOWER};
use service::{PRESIGNED_TTL, PresignedRequest, ServiceError, UploadTicket};

/// Where a signed URL reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// New documents: `PUT` only.
    Incoming,
    /// Results of runs: `GET` only.
    Results,
}

impl Area {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Incoming => "incoming",
            Self::Results => "results",
        }
    }

    fn method(self) -> &'static str {
        match self {
            Self::Incoming => "PUT",
            Self::Results => "GET",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "incoming" => Some(Self::Incoming),
            "results" => Some(Self::Results),
            _ => None,
        }
    }
}

/// Why a signed URL is refused. Every kind but `NotFound` is answered 403 alike, as S3
/// answers a bad or expired signature, so a caller learns nothing from which it was.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignedUrlError {
    #[error("the URL is not signed for this request")]
    BadSignature,
    #[error("the URL has expired")]
    Expired,
    #[error("no such object")]
    NotFound,
    #[error("the object cannot be stored")]
    Storage,
}

/// The query of a signed URL, as received.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SignedQuery {
    pub path: Option<String>,
    pub expires: Option<String>,
    pub signature: Option<String>,
}

/// Signs and checks the local server's object URLs.
pub struct SignedUrls {
    key: hmac::Key,
    base: OnceLock<String>,
    /// The directory uploads go to (in a documents root, so a run may read them).
    incoming: PathBuf,
    /// The directory results are written under (the home's `objects`).
    results: PathBuf,
}

impl SignedUrls {
    /// A fresh random key; uploads under `incoming` (created on the first upload), results
    /// read from under `results`.
    pub fn new(incoming: PathBuf, results: PathBuf) -> Result<Self, ServiceError> {
        let mut secret = zeroize::Zeroizing::new([0u8; 32]);
        getrandom::fill(&mut *secret)
            .map_err(|_| ServiceError::Internal("no randomness for the URL key".into()))?;
        Ok(Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, &*secret),
            base: OnceLock::new(),
            incoming,
            results,
        })
    }

    /// The server's address, once bound: URLs point there (loopback for an unspecified
    /// address).
    pub fn set_base(&self, addr: SocketAddr) {
        let mut addr = addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        let _ = self.base.set(format!("http://{addr}"));
    }

    pub fn incoming(&self) -> &Path {
        &self.incoming
    }

    /// A presigned `PUT` of a new document named `file_name` (already checked): key
    /// `incoming/<uuid>/<file_name>`.
    pub fn upload(&self, file_name: &str) -> Result<UploadTicket, ServiceError> {
        let id = uuid::Uuid::new_v4();
        let path = format!("{id}/{file_name}");
        let source = format!("file://{}", self.incoming.join(&path).display());
        let request = self.sign(Area::Incoming, &path, SystemTime::now() + PRESIGNED_TTL)?;
        Ok(UploadTicket::new(
            format!("incoming/{path}"),
            source,
            request,
        ))
    }

    /// A presigned `GET` of the result file `result` (a `file://` reference under the
    /// results directory).
    pub fn download(&self, result: &str) -> Result<PresignedRequest, ServiceError> {
        let outside = || ServiceError::Internal("a result outside the results directory".into());
        let path = result.strip_prefix("file://").ok_or_else(outside)?;
        let real = std::fs::canonicalize(path).map_err(|_| outside())?;
        let root = std::fs::canonicalize(&self.results).map_err(|_| outside())?;
        let relative = real.strip_prefix(&root).map_err(|_| outside())?;
        let relative = relative.to_str().ok_or_else(outside)?;
        self.sign(Area::Results, relative, SystemTime::now() + PRESIGNED_TTL)
    }

    fn sign(
        &self,
        area: Area,
        path: &str,
        expires: SystemTime,
    ) -> Result<PresignedRequest, ServiceError> {
        let base = self
            .base
            .get()
            .ok_or_else(|| ServiceError::Unavailable("the server is not listening yet".into()))?;
        let expires_secs = expires
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let tag = hmac::sign(&self.key, &message(area, path, expires_secs));
        let url = format!(
            "{base}/local/objects/{}?path={}&expires={expires_secs}&signature={}",
            area.as_str(),
            BASE64URL_NOPAD.encode(path.as_bytes()),
            HEXLOWER.encode(tag.as_ref()),
        );
        Ok(PresignedRequest::new(
            url,
            area.method(),
            BTreeMap::new(),
            UNIX_EPOCH + Duration::from_secs(expires_secs),
        ))
    }

    /// The path a request with `method` on `area` and `query` may use, once its signature
    /// (first, in constant time) and its expiry are good. Nothing on disk is looked at
    /// before the signature holds.
    pub fn verify(
        &self,
        method: &str,
        area: &str,
        query: &SignedQuery,
        now: SystemTime,
    ) -> Result<(Area, String), SignedUrlError> {
        let area = Area::parse(area).ok_or(SignedUrlError::BadSignature)?;
        if method != area.method() {
            return Err(SignedUrlError::BadSignature);
        }
        let path = query
            .path
            .as_deref()
            .and_then(|p| BASE64URL_NOPAD.decode(p.as_bytes()).ok())
            .and_then(|p| String::from_utf8(p).ok())
            .ok_or(SignedUrlError::BadSignature)?;
        let expires: u64 = query
            .expires
            .as_deref()
            .and_then(|e| e.parse().ok())
            .ok_or(SignedUrlError::BadSignature)?;
        let signature = query
            .signature
            .as_deref()
            .and_then(|s| HEXLOWER.decode(s.as_bytes()).ok())
            .ok_or(SignedUrlError::BadSignature)?;
        hmac::verify(&self.key, &message(area, &path, expires), &signature)
            .map_err(|_| SignedUrlError::BadSignature)?;
        let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        if now > expires {
            return Err(SignedUrlError::Expired);
        }
        Ok((area, path))
    }

    /// Where an upload of the verified `path` is written: `<incoming>/<uuid>/<name>`, its
    /// directories created owner-only and really inside the incoming directory.
    pub fn upload_target(&self, path: &str) -> Result<PathBuf, SignedUrlError> {
        let relative = plain_relative(path).ok_or(SignedUrlError::BadSignature)?;
        let parent = relative.parent().ok_or(SignedUrlError::BadSignature)?;
        let name = relative.file_name().ok_or(SignedUrlError::BadSignature)?;
        let dir = self.incoming.join(parent);
        {
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&dir)
                .map_err(|_| SignedUrlError::Storage)?;
        }
        let real_dir = std::fs::canonicalize(&dir).map_err(|_| SignedUrlError::Storage)?;
        let real_incoming =
            std::fs::canonicalize(&self.incoming).map_err(|_| SignedUrlError::Storage)?;
        if !real_dir.starts_with(&real_incoming) {
            return Err(SignedUrlError::Storage);
        }
        Ok(real_dir.join(name))
    }

    /// The result file of the verified `path`, if it really lies in the results directory.
    pub fn result_file(&self, path: &str) -> Result<PathBuf, SignedUrlError> {
        let relative = plain_relative(path).ok_or(SignedUrlError::BadSignature)?;
        let real = std::fs::canonicalize(self.results.join(relative))
            .map_err(|_| SignedUrlError::NotFound)?;
        let root = std::fs::canonicalize(&self.results).map_err(|_| SignedUrlError::NotFound)?;
        if !real.starts_with(&root) || !real.is_file() {
            return Err(SignedUrlError::NotFound);
        }
        Ok(real)
    }
}

/// What the key signs: each part with its length, so no two requests sign alike.
fn message(area: Area, path: &str, expires: u64) -> Vec<u8> {
    let mut m = Vec::new();
    for part in [area.method(), area.as_str(), &expires.to_string(), path] {
        m.extend_from_slice(&(part.len() as u64).to_be_bytes());
        m.extend_from_slice(part.as_bytes());
    }
    m
}

/// `path` as a relative path of plain names only (no root, `.`, `..` or empty part).
fn plain_relative(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    let plain = !path.is_empty()
        && !path.contains('\0')
        && p.components().all(|c| matches!(c, Component::Normal(_)))
        // `components` skips an inner `.` and empty parts: the spelling is checked too.
        && !path.split('/').any(|part| matches!(part, "" | "." | ".."));
    plain.then(|| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(dir: &Path) -> SignedUrls {
        let urls = SignedUrls::new(dir.join("incoming"), dir.join("objects")).unwrap();
        urls.set_base("127.0.0.1:8080".parse().unwrap());
        urls
    }

    fn query_of(url: &str) -> (String, SignedQuery) {
        let (path, query) = url.split_once('?').unwrap();
        let area = path.rsplit('/').next().unwrap().to_string();
        let mut q = SignedQuery::default();
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').unwrap();
            let v = Some(v.to_string());
            match k {
                "path" => q.path = v,
                "expires" => q.expires = v,
                "signature" => q.signature = v,
                _ => panic!("{k}"),
            }
        }
        (area, q)
    }

    #[test]
    fn an_upload_url_verifies_for_its_put_only_until_it_expires() {
        let dir = tempfile::tempdir().unwrap();
        let urls = urls(dir.path());
        let ticket = urls.upload("report.txt").unwrap();
        assert!(ticket.key.starts_with("incoming/") && ticket.key.ends_with("/report.txt"));
        assert_eq!(ticket.method, "PUT");
        let (area, q) = query_of(&ticket.url);
        let now = SystemTime::now();
        let (_, path) = urls.verify("PUT", &area, &q, now).unwrap();
        assert!(path.ends_with("/report.txt"));
        assert_eq!(
            urls.verify("GET", &area, &q, now),
            Err(SignedUrlError::BadSignature)
        );
        assert_eq!(
            urls.verify("PUT", "results", &q, now),
            Err(SignedUrlError::BadSignature)
        );
        let later = now + PRESIGNED_TTL + Duration::from_secs(2);
        assert_eq!(
            urls.verify("PUT", &area, &q, later),
            Err(SignedUrlError::Expired)
        );
    }

    #[test]
    fn a_tampered_url_or_another_servers_url_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let urls = urls(dir.path());
        let (area, q) = query_of(&urls.upload("a.txt").unwrap().url);
        let now = SystemTime::now();
        let flip = |s: &str| {
            let mut b = s.as_bytes().to_vec();
            let last = b.len() - 1;
            b[last] = if b[last] == b'0' { b'1' } else { b'0' };
            String::from_utf8(b).unwrap()
        };
        let mut cases = Vec::new();
        let mut t = q.clone();
        t.signature = t.signature.as_deref().map(flip);
        cases.push(t);
        let mut t = q.clone();
        t.expires = Some((t.expires.unwrap().parse::<u64>().unwrap() + 3600).to_string());
        cases.push(t);
        let mut t = q.clone();
        t.path = Some(BASE64URL_NOPAD.encode(b"../../keyring.json"));
        cases.push(t);
        let mut t = q.clone();
        t.signature = None;
        cases.push(t);
        let mut t = q.clone();
        t.signature = Some("zz".into());
        cases.push(t);
        for t in cases {
            assert_eq!(
                urls.verify("PUT", &area, &t, now),
                Err(SignedUrlError::BadSignature),
                "{t:?}"
            );
        }
        let other = self::urls(dir.path());
        assert_eq!(
            other.verify("PUT", &area, &q, now),
            Err(SignedUrlError::BadSignature)
        );
    }

    #[test]
    fn only_plain_relative_paths_reach_the_disk() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "a/./b",
            "a\0b",
        ] {
            assert!(plain_relative(bad).is_none(), "{bad:?}");
        }
        assert!(plain_relative("0f/a.txt").is_some());
    }

    #[test]
    fn an_upload_target_stays_in_the_incoming_directory_even_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let urls = urls(dir.path());
        let target = urls.upload_target("u1/a.txt").unwrap();
        let incoming = std::fs::canonicalize(dir.path().join("incoming")).unwrap();
        assert_eq!(target, incoming.join("u1/a.txt"));
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), incoming.join("u2")).unwrap();
        assert_eq!(urls.upload_target("u2/a.txt"), Err(SignedUrlError::Storage));
    }
}
