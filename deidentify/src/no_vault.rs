//! A vault that refuses every call, for engines that only detect or mask: they want a
//! deidentifier, and holding no table is what least privilege asks of them.

use crate::{PutOutcome, VaultError, VaultItem, VaultStore};

/// Every call fails with [`VaultError::Storage`] naming `who` has no vault.
pub struct NoVault {
    who: &'static str,
}

impl NoVault {
    /// `who` completes "… has no vault" in the error, e.g. "this function".
    pub fn new(who: &'static str) -> Self {
        Self { who }
    }

    fn refused(&self) -> VaultError {
        VaultError::Storage(format!("{} has no vault", self.who))
    }
}

#[async_trait::async_trait]
impl VaultStore for NoVault {
    async fn put_if_absent(&self, _: Vec<VaultItem>) -> Result<Vec<PutOutcome>, VaultError> {
        Err(self.refused())
    }

    async fn get_many(&self, _: &[String]) -> Result<Vec<Option<VaultItem>>, VaultError> {
        Err(self.refused())
    }

    async fn erase(&self, _: &str) -> Result<bool, VaultError> {
        Err(self.refused())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_call_is_refused_with_who_holds_no_vault() {
        let vault = NoVault::new("piiflow detect");
        let message = vault.get_many(&["T".into()]).await.unwrap_err().to_string();
        assert!(message.contains("piiflow detect has no vault"), "{message}");
        assert!(vault.erase("T").await.is_err());
        assert!(vault.put_if_absent(Vec::new()).await.is_err());
    }
}
