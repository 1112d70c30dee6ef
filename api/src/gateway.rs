//! What the API gateway in front of the server says about a request: its own request id
//! and the client's address. On Lambda there is no socket peer (`ConnectInfo` is never
//! set) and the `x-request-id` header is the client's to choose, so the audit trail takes
//! both from here when the gateway is present.

use std::net::IpAddr;

/// A request extension set by the Lambda adapter from API Gateway's `requestContext`
/// (after dropping any copy that did not come from there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayContext {
    /// `requestContext.requestId`.
    pub request_id: String,
    /// `requestContext.http.sourceIp`.
    pub source_ip: Option<IpAddr>,
}
