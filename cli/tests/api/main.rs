//! The HTTP API end to end: the real `piiflow serve` binary on 127.0.0.1, called over HTTP.

mod anonymize;
mod auth;
mod documents;
mod jobs;
mod reidentify;
mod server;
