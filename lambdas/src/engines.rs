//! One engine per policy, built on first use: a state may name its policy.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use deidentify::{Engine, EngineError};
use mask::Policy;

use crate::LambdaError;
use crate::stores::Vault;

pub struct Engines {
    vault: Vault,
    default_policy: String,
    cache: Mutex<HashMap<String, Arc<Engine>>>,
}

impl Engines {
    pub fn new(vault: Vault, default_policy: impl Into<String>) -> Self {
        Self {
            vault,
            default_policy: default_policy.into(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// Only built-in policy names: `Policy::resolve` also reads files, and an event must
    /// not be able to point the function at its own disk.
    pub fn get(&self, policy: Option<&str>) -> Result<Arc<Engine>, LambdaError> {
        let name = policy.unwrap_or(&self.default_policy);
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(engine) = cache.get(name) {
            return Ok(engine.clone());
        }
        let Some(policy) = Policy::builtin(name) else {
            let known: Vec<_> = Policy::builtin_names().collect();
            return Err(LambdaError::InvalidInput(format!(
                "unknown policy; available: {}",
                known.join(", ")
            )));
        };
        let engine = Engine::new(
            policy,
            self.vault.deidentifier.clone(),
            self.vault.hash_key.clone(),
        )
        .map_err(|e: EngineError| e)?;
        let engine = Arc::new(engine);
        cache.insert(name.to_string(), engine.clone());
        Ok(engine)
    }
}
