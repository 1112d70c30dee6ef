//! The ingest starter function. See lambdas/ingest/src/lib.rs.

use lambda_runtime::{Error, LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_common::init_tracing();
    let starter = lambda_ingest::handler_from_env().await?;
    lambda_runtime::run(service_fn(
        |event: LambdaEvent<lambda_ingest::SqsEvent>| async {
            Ok::<_, Error>(starter.handle(event.payload).await)
        },
    ))
    .await
}
