use anyhow::Result;
use deidentify::FileKeyring;

use api::auth::{ApiKeyStore, SqliteApiKeyStore, create_api_key};

use crate::args::{ApiKeyCommand, KeysArgs, KeysCommand};
use service::Home;

pub async fn run(home: &Home, args: KeysArgs) -> Result<()> {
    let path = home.keyring();
    match args.command {
        KeysCommand::ApiKey(command) => return api_key(home, command).await,
        KeysCommand::Init => {
            home.ensure()?;
            FileKeyring::create(&path)?;
            println!(
                "created {} (mode 0600): token key v1, data key v1",
                path.display()
            );
        }
        KeysCommand::Rotate { token_key: false } => {
            let v = FileKeyring::rotate_data_key(&path)?;
            println!("data key v{v} is now current; older versions still decrypt existing items");
        }
        KeysCommand::Rotate { token_key: true } => {
            let v = FileKeyring::rotate_token_key(&path)?;
            println!("token key v{v} is now current: values tokenized from now on get NEW tokens");
        }
        KeysCommand::ShowVersions => {
            let keyring = FileKeyring::open(&path)?;
            let (token, data) = keyring.versions();
            println!("keyring: {}", path.display());
            println!(
                "token key versions: {token:?} (current v{})",
                token.last().copied().unwrap_or(0)
            );
            println!(
                "data key versions:  {data:?} (current v{})",
                data.last().copied().unwrap_or(0)
            );
        }
    }
    Ok(())
}

/// `piiflow keys api-key ...`: keys for `serve --api-keys`, stored hashed in the home dir.
pub async fn api_key(home: &Home, command: ApiKeyCommand) -> Result<()> {
    home.ensure()?;
    let store = SqliteApiKeyStore::open(home.api_keys())?;
    match command {
        ApiKeyCommand::Create { name, scope } => {
            let key = create_api_key(&store, &name, &scope).await?;
            // stdout carries the key alone so it can be captured; it is never shown again.
            eprintln!(
                "created API key {} ({name}): store it now, it cannot be shown again",
                key.key_id
            );
            println!("{}", key.plaintext.expose());
        }
        ApiKeyCommand::List => {
            for k in store.list().await? {
                let created = k
                    .created_at
                    .format(&time::format_description::well_known::Rfc3339)?;
                let state = if k.revoked { "revoked" } else { "active" };
                println!(
                    "{}\t{}\t{}\t{created}\t{state}",
                    k.key_id,
                    k.name,
                    k.scopes.join(" ")
                );
            }
        }
        ApiKeyCommand::Revoke { key_id } => {
            if !store.revoke(&key_id).await? {
                anyhow::bail!("no API key {key_id}");
            }
            println!("revoked {key_id}");
        }
    }
    Ok(())
}
