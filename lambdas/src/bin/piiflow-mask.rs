//! The mask function (Step Functions task). See lambdas/src/handlers.rs.

use lambda_runtime::{Error, service_fn};
use lambdas::Step;

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambdas::init_tracing();
    let handler = lambdas::step_from_env(Step::Mask).await?;
    lambda_runtime::run(service_fn(|event| handler.invoke(event))).await
}
