//! The HTTP API function (API Gateway HTTP API, payload 2.0). See lambdas/src/api_lambda.rs.

use lambda_http::Error;

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambdas::init_tracing();
    let app = lambdas::api_from_env().await?;
    lambda_http::run(app).await
}
