//! The API on Lambda: `api::router` behind API Gateway's authorizer, the HTTP API's JWT
//! authorizer (payload 2.0) or the private REST API's Cognito authorizer (payload 1.0).
//!
//! The gateway verifies the token; lambda_http leaves its claims in the request context.
//! This layer copies them into the `AuthorizerJwt` extension the router trusts (only with
//! `trust_lambda_authorizer`), so the router re-checks the route's scope itself.

use std::sync::Arc;

use api::auth::{Authenticator, AuthorizerJwt};
use api::{ApiLimits, AuthConfig, GatewayContext, PiiBackend};
use axum::Router;
use axum::extract::Request;
use axum::middleware::{Next, from_fn};
use axum::response::Response;
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;

use lambda_common::LambdaError;

/// The router with the Lambda authorizer trusted. No bearer verification, no API keys:
/// a request without authorizer claims gets 401.
pub fn app(backend: Arc<dyn PiiBackend>) -> Result<Router, LambdaError> {
    let auth = Authenticator::new(&AuthConfig {
        trust_lambda_authorizer: true,
        ..Default::default()
    })
    .map_err(|e| LambdaError::Config(format!("authenticator: {e}")))?;
    Ok(
        api::router(backend, Arc::new(auth), ApiLimits::default())
            .layer(from_fn(authorizer_claims)),
    )
}

async fn authorizer_claims(mut req: Request, next: Next) -> Response {
    // Any client-supplied copy is dropped first; only the gateway's context counts.
    req.extensions_mut().remove::<AuthorizerJwt>();
    req.extensions_mut().remove::<GatewayContext>();
    if let Some(jwt) = authorizer_jwt(req.extensions()) {
        req.extensions_mut().insert(jwt);
    }
    if let Some(gateway) = gateway_context(req.extensions()) {
        req.extensions_mut().insert(gateway);
    }
    next.run(req).await
}

/// `requestContext.requestId` and the caller's address: `http.sourceIp` of an HTTP API
/// event, `identity.sourceIp` of a REST API event.
pub fn gateway_context(extensions: &axum::http::Extensions) -> Option<GatewayContext> {
    let (request_id, source_ip) = match extensions.request_context_ref()? {
        RequestContext::ApiGatewayV2(ctx) => (&ctx.request_id, &ctx.http.source_ip),
        RequestContext::ApiGatewayV1(ctx) => (&ctx.request_id, &ctx.identity.source_ip),
        _ => return None,
    };
    Some(GatewayContext {
        request_id: request_id.clone().filter(|id| !id.is_empty())?,
        source_ip: source_ip.as_deref().and_then(|ip| ip.parse().ok()),
    })
}

/// The verified token's claims and scopes: `requestContext.authorizer.jwt` of an HTTP API
/// (payload 2.0) event, or `requestContext.authorizer.claims` of a REST API event behind a
/// Cognito authorizer, whose scopes are the access token's `scope` claim.
pub fn authorizer_jwt(extensions: &axum::http::Extensions) -> Option<AuthorizerJwt> {
    match extensions.request_context_ref()? {
        RequestContext::ApiGatewayV2(ctx) => {
            let jwt = ctx.authorizer.as_ref()?.jwt.as_ref()?;
            Some(AuthorizerJwt {
                claims: jwt
                    .claims
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                    .collect(),
                scopes: jwt.scopes.clone(),
            })
        }
        RequestContext::ApiGatewayV1(ctx) => {
            let claims = ctx.authorizer.fields.get("claims")?.as_object()?;
            let scopes = claims
                .get("scope")
                .and_then(serde_json::Value::as_str)
                .map(|s| s.split_whitespace().map(str::to_string).collect());
            Some(AuthorizerJwt {
                claims: claims.clone().into_iter().collect(),
                scopes,
            })
        }
        _ => None,
    }
}
