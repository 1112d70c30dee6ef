/// An event this trigger cannot answer safely. Cognito fails the sign-in when the trigger
/// fails, so a malformed event never yields a token (fail closed).
#[derive(Debug, thiserror::Error)]
pub enum TriggerError {
    #[error("the event is not a JSON object with `request` and `response` objects")]
    NotAnEvent,
    #[error("`request.groupConfiguration.groupsToOverride` is not a list of group names")]
    BadGroups,
    #[error("`response.claimsAndScopeOverrideDetails` is not an object")]
    BadResponse,
}

impl From<TriggerError> for lambda_runtime::Diagnostic {
    fn from(err: TriggerError) -> Self {
        Self {
            error_type: "Pii.InvalidEvent".into(),
            error_message: err.to_string(),
        }
    }
}
