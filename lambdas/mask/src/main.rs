//! The mask function (a Step Functions task). See lambdas/mask/src/lib.rs.

use lambda_runtime::{Error, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_common::init_tracing();
    let handler = lambda_mask::handler_from_env().await?;
    lambda_runtime::run(service_fn(|event| handler.invoke(event))).await
}
