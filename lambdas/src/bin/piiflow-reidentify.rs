//! The reidentify function: audited re-identification. See lambdas/src/reidentify.rs.

use lambda_runtime::{Error, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambdas::init_tracing();
    let handler = lambdas::reidentify_from_env().await?;
    lambda_runtime::run(service_fn(|event| handler.invoke(event))).await
}
