//! The HTTP API function (API Gateway HTTP API, payload 2.0). See lambdas/api/src/lib.rs.

use lambda_http::Error;

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_common::init_tracing();
    let app = lambda_api::app_from_env().await?;
    lambda_http::run(app).await
}
