use serde_json::{Map, Value, json};

use crate::TriggerError;

/// The Cognito group whose members may re-identify.
pub const AUDITORS_GROUP: &str = "auditors";
/// The scope that guards re-identification, erasure and the audit trail.
pub const REIDENTIFY_SCOPE: &str = "pii/reidentify";

/// The event with its response telling Cognito to suppress `pii/reidentify` from the
/// access token, unless the user is in the auditors group. The rest of the event, and
/// anything another writer put in the response, is returned as it came.
pub fn restrict_reidentify(mut event: Value) -> Result<Value, TriggerError> {
    let auditor = groups(&event)?.iter().any(|g| g == AUDITORS_GROUP);
    // The decision and the trigger source only: user names are e-mail addresses.
    tracing::info!(
        auditor,
        trigger = event["triggerSource"].as_str().unwrap_or("unknown"),
        "pre token generation"
    );
    if auditor {
        return Ok(event);
    }
    let response = event
        .get_mut("response")
        .and_then(Value::as_object_mut)
        .ok_or(TriggerError::NotAnEvent)?;
    let details = response
        .entry("claimsAndScopeOverrideDetails")
        .or_insert(Value::Null);
    if details.is_null() {
        *details = json!({});
    }
    let details = details.as_object_mut().ok_or(TriggerError::BadResponse)?;
    let access = object_entry(details, "accessTokenGeneration")?;
    let suppress = access
        .entry("scopesToSuppress")
        .or_insert_with(|| json!([]));
    if suppress.is_null() {
        *suppress = json!([]);
    }
    let list = suppress.as_array_mut().ok_or(TriggerError::BadResponse)?;
    if !list.iter().any(|s| s == REIDENTIFY_SCOPE) {
        list.push(json!(REIDENTIFY_SCOPE));
    }
    // A scope added elsewhere in the response would undo the suppression.
    if let Some(add) = access.get_mut("scopesToAdd").and_then(Value::as_array_mut) {
        add.retain(|s| s != REIDENTIFY_SCOPE);
    }
    Ok(event)
}

/// The user's groups as Cognito sends them (absent or null: none).
fn groups(event: &Value) -> Result<Vec<String>, TriggerError> {
    let request = event
        .get("request")
        .filter(|r| r.is_object())
        .ok_or(TriggerError::NotAnEvent)?;
    if !event.get("response").is_some_and(Value::is_object) {
        return Err(TriggerError::NotAnEvent);
    }
    match request
        .get("groupConfiguration")
        .and_then(|g| g.get("groupsToOverride"))
    {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|g| {
                g.as_str()
                    .map(str::to_string)
                    .ok_or(TriggerError::BadGroups)
            })
            .collect(),
        Some(_) => Err(TriggerError::BadGroups),
    }
}

fn object_entry<'a>(
    map: &'a mut Map<String, Value>,
    key: &str,
) -> Result<&'a mut Map<String, Value>, TriggerError> {
    let entry = map.entry(key).or_insert(Value::Null);
    if entry.is_null() {
        *entry = json!({});
    }
    entry.as_object_mut().ok_or(TriggerError::BadResponse)
}
