//! `piiflow login --stack` (feature `aws`) against moto server's CloudFormation, where
//! `PIIFLOW_MOTO_URL` is set (`scripts/with-moto`): the stack's outputs point the login at
//! the stand-in hosted UI.

use aws_config::BehaviorVersion;
use aws_sdk_cloudformation::config::Credentials;
use serde_json::{Value, json};

use crate::cli::{PendingLogin, code, credentials, free_port, piiflow, run, stderr};
use crate::idp::{Behavior, Idp, WEB_CLIENT};

fn moto_url() -> Option<String> {
    let url = std::env::var("PIIFLOW_MOTO_URL").ok();
    if url.is_none() {
        println!("skipped: PIIFLOW_MOTO_URL not set");
    }
    url
}

async fn create_stack(moto: &str, name: &str, outputs: Value) {
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(moto)
        .region("us-east-1")
        .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
        .load()
        .await;
    let template = json!({
        "Resources": {"Marker": {"Type": "AWS::S3::Bucket"}},
        "Outputs": outputs,
    });
    aws_sdk_cloudformation::Client::new(&config)
        .create_stack()
        .stack_name(name)
        .template_body(template.to_string())
        .send()
        .await
        .unwrap();
}

fn with_moto_env(cmd: &mut std::process::Command, moto: &str) {
    cmd.env("AWS_ENDPOINT_URL", moto)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_PROFILE");
}

#[tokio::test]
async fn login_reads_the_domain_client_and_api_from_the_stack_outputs() {
    let Some(moto) = moto_url() else { return };
    let idp = Idp::start(Behavior::Normal).await;
    let name = format!("piiflow-login-{}", uuid::Uuid::new_v4().simple());
    let api = "https://abc123.execute-api.us-east-1.amazonaws.com";
    create_stack(
        &moto,
        &name,
        json!({
            "TokenUrl": {"Value": format!("{}/oauth2/token", idp.base)},
            "AuditorWebClientId": {"Value": WEB_CLIENT},
            "ApiUrl": {"Value": api},
        }),
    )
    .await;
    let home = tempfile::tempdir().unwrap();
    let mut cmd = piiflow(home.path());
    cmd.args(["login", "--stack", &name, "--no-browser", "--timeout", "60"])
        .args(["--port", &free_port().to_string()]);
    with_moto_env(&mut cmd, &moto);
    let login = PendingLogin::start(cmd);
    assert!(
        login
            .url
            .starts_with(&format!("{}/oauth2/authorize?", idp.base)),
        "{}",
        login.url
    );
    reqwest::get(&login.url).await.unwrap();
    let (exit, _, err) = login.finish();
    assert_eq!(exit, 0, "{err}");
    assert!(err.contains(&format!("API: {api}")), "{err}");
    let stored: Value =
        serde_json::from_slice(&std::fs::read(credentials(home.path())).unwrap()).unwrap();
    assert_eq!(stored["domain"], idp.base.as_str());
    assert_eq!(stored["client_id"], WEB_CLIENT);
    assert_eq!(stored["api"], api);
}

#[tokio::test]
async fn a_missing_or_foreign_stack_is_named() {
    let Some(moto) = moto_url() else { return };
    let foreign = format!("not-piiflow-{}", uuid::Uuid::new_v4().simple());
    create_stack(&moto, &foreign, json!({"BucketName": {"Value": "x"}})).await;
    let cases = [
        (
            format!("absent-{}", uuid::Uuid::new_v4().simple()),
            "describing stack",
        ),
        (foreign, "has no TokenUrl output"),
    ];
    for (name, expected) in cases {
        let home = tempfile::tempdir().unwrap();
        let mut cmd = piiflow(home.path());
        cmd.args(["login", "--stack", &name, "--no-browser"]);
        with_moto_env(&mut cmd, &moto);
        let out = run(&mut cmd);
        assert_eq!(code(&out), 78, "{}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{}", stderr(&out));
        assert!(!credentials(home.path()).exists());
    }
}
