//! One engine per policy name, built on first use: callers name a policy per call (a state,
//! a request), and building an engine compiles its detector.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{Engine, EngineError};

type Factory = dyn Fn(&str) -> Result<Engine, EngineError> + Send + Sync;

pub struct EngineCache {
    default_policy: String,
    factory: Box<Factory>,
    engines: Mutex<HashMap<String, Arc<Engine>>>,
}

impl EngineCache {
    /// `factory` builds the engine for a policy name; it decides which names exist (built-in
    /// names only for remote callers, files too for the local CLI).
    pub fn new(
        default_policy: impl Into<String>,
        factory: impl Fn(&str) -> Result<Engine, EngineError> + Send + Sync + 'static,
    ) -> Self {
        Self {
            default_policy: default_policy.into(),
            factory: Box::new(factory),
            engines: Mutex::new(HashMap::new()),
        }
    }

    pub fn default_policy(&self) -> &str {
        &self.default_policy
    }

    /// The engine for `policy`, or for the default policy when `None`.
    pub fn get(&self, policy: Option<&str>) -> Result<Arc<Engine>, EngineError> {
        let name = policy.unwrap_or(&self.default_policy);
        if let Some(engine) = self.lock().get(name) {
            return Ok(engine.clone());
        }
        // Built outside the lock: compiling a detector takes milliseconds, and two threads
        // racing for one policy just build it twice.
        let engine = Arc::new((self.factory)(name)?);
        Ok(self
            .lock()
            .entry(name.to_string())
            .or_insert(engine)
            .clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Engine>>> {
        self.engines.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use mask::Policy;

    use super::*;
    use deidentify::{Deidentifier, SqliteVault, StaticKeyring};

    fn cache(built: Arc<AtomicUsize>) -> EngineCache {
        let vault = Arc::new(SqliteVault::open_in_memory().unwrap());
        let keyring = Arc::new(StaticKeyring::generate().unwrap());
        let deidentifier = Arc::new(Deidentifier::new(keyring, vault));
        EngineCache::new("default", move |name| {
            built.fetch_add(1, Ordering::SeqCst);
            let policy = Policy::builtin(name)
                .ok_or_else(|| EngineError::InvalidInput(format!("no policy {name}")))?;
            Engine::new(policy, deidentifier.clone(), None)
        })
    }

    #[test]
    fn builds_each_policy_once_and_reports_unknown_ones() {
        let built = Arc::new(AtomicUsize::new(0));
        let engines = cache(built.clone());
        let a = engines.get(None).unwrap();
        let b = engines.get(Some("default")).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        engines.get(Some("redact")).unwrap();
        assert_eq!(built.load(Ordering::SeqCst), 2);
        assert!(engines.get(Some("nope")).is_err());
        assert_eq!(engines.default_policy(), "default");
    }
}
