//! `piiflow token`: a development access token from the same key `serve --dev-auth` trusts,
//! for `curl -H "Authorization: Bearer $(piiflow token --scope pii/anonymize)"`.

use std::time::Duration;

use anyhow::Result;

use crate::args::TokenArgs;
use crate::commands::serve::load_dev_auth;
use service::Home;

pub fn run(home: &Home, args: TokenArgs) -> Result<()> {
    let dev = load_dev_auth(home)?;
    let scopes: Vec<&str> = args.scope.iter().map(String::as_str).collect();
    println!("{}", dev.mint(&scopes, Duration::from_secs(args.ttl))?);
    Ok(())
}
