use anyhow::Result;
use deidentify::FileKeyring;

use crate::args::{KeysArgs, KeysCommand};
use crate::home::Home;

pub fn run(home: &Home, args: KeysArgs) -> Result<()> {
    let path = home.keyring();
    match args.command {
        KeysCommand::Init => {
            home.ensure()?;
            FileKeyring::create(&path)?;
            println!("created {} (mode 0600): token key v1, data key v1", path.display());
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
            println!("token key versions: {token:?} (current v{})", token.last().copied().unwrap_or(0));
            println!("data key versions:  {data:?} (current v{})", data.last().copied().unwrap_or(0));
        }
    }
    Ok(())
}
