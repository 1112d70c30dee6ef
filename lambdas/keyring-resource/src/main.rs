//! The keyring custom resource function. See lambdas/keyring-resource/src/lib.rs.

use lambda_runtime::{Error, LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_common::init_tracing();
    let resource = lambda_keyring_resource::handler_from_env().await?;
    let http = reqwest::Client::new();
    lambda_runtime::run(service_fn(|event: LambdaEvent<_>| {
        lambda_keyring_resource::handle(&resource, &http, event.payload)
    }))
    .await
}
