//! Task handlers and the registry that maps a FunctionName/Resource to one.

use crate::error::TaskError;
use async_trait::async_trait;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

#[async_trait]
pub trait TaskHandler: Send + Sync {
    async fn invoke(&self, payload: Value) -> Result<Value, TaskError>;
}

/// Lets a closure returning a future serve as a handler in tests and small tools.
pub struct FnHandler<F>(pub F);

#[async_trait]
impl<F, Fut> TaskHandler for FnHandler<F>
where
    F: Fn(Value) -> Fut + Send + Sync,
    Fut: std::future::Future<Output = Result<Value, TaskError>> + Send,
{
    async fn invoke(&self, payload: Value) -> Result<Value, TaskError> {
        (self.0)(payload).await
    }
}

#[derive(Default, Clone)]
pub struct TaskRegistry {
    handlers: HashMap<String, Arc<dyn TaskHandler>>,
}

impl TaskRegistry {
    pub fn new() -> Self {
        TaskRegistry::default()
    }

    pub fn register(
        &mut self,
        name: impl Into<String>,
        handler: Arc<dyn TaskHandler>,
    ) -> &mut Self {
        self.handlers.insert(name.into(), handler);
        self
    }

    pub fn with(mut self, name: impl Into<String>, handler: Arc<dyn TaskHandler>) -> Self {
        self.register(name, handler);
        self
    }

    /// Exact name first, then the function name inside a Lambda ARN
    /// (`arn:aws:lambda:region:account:function:NAME[:qualifier]`), so one registry serves
    /// definitions substituted with either names or ARNs.
    pub fn resolve(&self, target: &str) -> Option<Arc<dyn TaskHandler>> {
        if let Some(h) = self.handlers.get(target) {
            return Some(h.clone());
        }
        let parts: Vec<&str> = target.split(':').collect();
        if parts.len() >= 7 && parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function" {
            return self.handlers.get(parts[6]).cloned();
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[tokio::test]
    async fn resolves_names_and_lambda_arns() {
        let reg = TaskRegistry::new().with(
            "detect",
            Arc::new(FnHandler(|v: Value| async move { Ok(json!({"got": v})) })),
        );
        let h = reg
            .resolve("arn:aws:lambda:eu-west-1:123456789012:function:detect:live")
            .unwrap();
        assert_eq!(h.invoke(json!(1)).await.unwrap(), json!({"got": 1}));
        assert!(reg.resolve("detect").is_some());
        assert!(reg.resolve("mask").is_none());
        assert!(
            reg.resolve("arn:aws:lambda:eu-west-1:1:layer:detect")
                .is_none()
        );
    }
}
