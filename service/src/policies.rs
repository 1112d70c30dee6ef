//! Which policy names a remote caller may use: built-in ones only. Resolving any other
//! name may read a file, and a request or an event must not be able to point a server or
//! a function at its own disk.

use std::sync::Arc;

use mask::Policy;

use crate::{Engine, EngineCache, EngineError};

/// `name` when it is a built-in policy, else an error listing the built-in names. The name
/// itself is not echoed: it comes from the caller and could be anything.
pub fn builtin_policy(name: &str) -> Result<Policy, EngineError> {
    Policy::builtin(name).ok_or_else(|| {
        let known: Vec<_> = Policy::builtin_names().collect();
        EngineError::UnknownPolicy {
            available: known.join(", "),
        }
    })
}

/// The engine for `policy` (the cache's default when `None`), when it names a built-in
/// policy.
pub fn builtin_engine(
    engines: &EngineCache,
    policy: Option<&str>,
) -> Result<Arc<Engine>, EngineError> {
    let name = policy.unwrap_or(engines.default_policy());
    builtin_policy(name)?;
    engines.get(Some(name))
}
