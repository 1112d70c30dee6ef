//! One engine per built-in policy, built on first use: a state or request names its policy.

use std::sync::Arc;

use deidentify::{Engine, EngineCache, EngineError};
use mask::Policy;

use crate::LambdaError;
use crate::stores::Vault;

pub struct Engines {
    cache: Arc<EngineCache>,
}

impl Engines {
    /// Only built-in policy names: `Policy::resolve` also reads files, and an event must
    /// not be able to point the function at its own disk.
    pub fn new(vault: Vault, default_policy: impl Into<String>) -> Self {
        let cache = EngineCache::new(default_policy, move |name| {
            let policy = Policy::builtin(name)
                .ok_or_else(|| EngineError::InvalidInput(unknown_policy_message()))?;
            Engine::new(policy, vault.deidentifier.clone(), vault.hash_key.clone())
        });
        Self {
            cache: Arc::new(cache),
        }
    }

    pub fn cache(&self) -> Arc<EngineCache> {
        self.cache.clone()
    }

    pub fn get(&self, policy: Option<&str>) -> Result<Arc<Engine>, LambdaError> {
        let name = policy.unwrap_or(self.cache.default_policy());
        // Checked before the cache so the caller learns the names, which the engine's
        // error (kept generic, it could quote anything) would not tell.
        if Policy::builtin(name).is_none() {
            return Err(LambdaError::InvalidInput(unknown_policy_message()));
        }
        Ok(self.cache.get(Some(name))?)
    }
}

fn unknown_policy_message() -> String {
    let known: Vec<_> = Policy::builtin_names().collect();
    format!("unknown policy; available: {}", known.join(", "))
}
