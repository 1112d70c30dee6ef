//! Integration tests over real HTTP on loopback: a JWKS server, the API router with a fake
//! backend, and a reqwest client. One binary (see `support`) to keep link time down.

mod api_keys;
mod dev_auth;
mod jwt;
mod moto_cognito;
mod routes;
mod support;
