//! What the handlers enforce, declared in the OpenAPI document: the request bodies and
//! parameters get the exact limits, patterns, formats and `oneOf`s that `validate` and the
//! extractors check, and every operation lists the error statuses it can answer. A client
//! generated from the document sends only requests the server accepts (Schemathesis checks
//! this against the running server, `scripts/schemathesis`).

use serde_json::{Value, json};

use crate::config::ApiLimits;

/// `<TYPE>_<32 base32 characters>`, TYPE one of the entity types.
pub fn token_pattern() -> String {
    let types: Vec<&str> = detect::EntityType::ALL.iter().map(|t| t.as_str()).collect();
    format!("^({})_[A-Z2-7]{{32}}$", types.join("|"))
}

/// `s3://` or `file://` followed by something.
const SOURCE_PATTERN: &str = "^(s3|file)://.+$";
/// One character that is not White_Space (what `str::trim` removes), spelled out: `\\S`
/// means a different set in each regex dialect.
const NOT_BLANK: &str = "[^\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";
/// Ids of runs and jobs (`GET .../{id}`): what the handlers accept.
const MAX_ID_LEN: usize = 256;

/// An optional field: `null` is the same as leaving it out.
fn optional(mut schema: Value) -> Value {
    let ty = schema["type"].clone();
    schema["type"] = match ty {
        Value::Array(mut types) => {
            types.push("null".into());
            Value::Array(types)
        }
        Value::String(t) => json!([t, "null"]),
        _ => return schema,
    };
    if let Some(names) = schema.get_mut("enum").and_then(Value::as_array_mut) {
        names.push(Value::Null);
    }
    schema
}

fn policy() -> Value {
    let names: Vec<&str> = mask::Policy::builtin_names().collect();
    optional(json!({"type": "string", "enum": names,
                    "description": "A built-in policy; the server's default when absent."}))
}

/// Any JSON value but null: the record to work on.
fn record() -> Value {
    json!({"type": ["object", "array", "string", "number", "boolean"],
           "description": "A JSON record, nested at most 64 levels."})
}

/// "Exactly one of" branches: each field counts as given when present and not null.
fn one_of(given: &[(&str, &Value)]) -> Value {
    Value::Array(
        given
            .iter()
            .map(|(field, schema)| json!({"required": [field], "properties": {*field: schema}}))
            .collect(),
    )
}

fn request_schemas(limits: &ApiLimits) -> Vec<(&'static str, Value)> {
    let token = json!({"type": "string", "pattern": token_pattern()});
    let reference = json!({"type": "string", "pattern": SOURCE_PATTERN, "maxLength": 4096});
    let text = json!({"type": "string"});
    let tokens = json!({"type": "array", "items": token, "minItems": 1,
                        "maxItems": reidentify::MAX_TOKENS_PER_CALL});
    vec![
        (
            "AnonymizeRequest",
            json!({
                "description": "One text or one JSON record to anonymize: exactly one of `text` and `record`.",
                "type": "object",
                "properties": {"text": optional(text.clone()), "record": {}, "policy": policy()},
                "additionalProperties": false,
                "oneOf": one_of(&[("text", &text), ("record", &record())]),
            }),
        ),
        (
            "BatchRequest",
            json!({
                "description": "Items anonymized one by one; an item that fails fails alone.",
                "type": "object",
                "properties": {"items": {
                    "type": "array",
                    // Each item is checked on its own: one without text or record, or with
                    // an unknown policy, gets its error in its result, not a 400.
                    "items": {
                        "type": "object",
                        "properties": {
                            "text": optional(text.clone()),
                            "record": {},
                            "policy": {"type": ["string", "null"]},
                        },
                        "additionalProperties": false,
                    },
                    "minItems": 1,
                    "maxItems": limits.max_batch_items,
                }},
                "required": ["items"],
                "additionalProperties": false,
            }),
        ),
        (
            "DocumentRequest",
            json!({
                "description": "A document by reference: `s3://bucket/key`, or locally a `file://` path below the server's documents root. `destination` only on AWS (the local server writes under its home).",
                "type": "object",
                "properties": {"source": reference, "destination": optional(reference.clone()), "policy": policy()},
                "required": ["source"],
                "additionalProperties": false,
            }),
        ),
        (
            "UploadRequest",
            json!({
                "description": "The file name of a document to upload; its key is `<incoming prefix><uuid>/<file_name>`.",
                "type": "object",
                "properties": {"file_name": {
                    "type": "string", "minLength": 1,
                    "maxLength": service::MAX_FILE_NAME_CHARS,
                    "pattern": service::FILE_NAME_PATTERN,
                    "description": "Letters, digits, `_` and `-` in words joined by single dots: one path segment, never `..`.",
                }},
                "required": ["file_name"],
                "additionalProperties": false,
            }),
        ),
        (
            "JobRequest",
            json!({
                "description": "Every object under a prefix, or every key of a manifest.",
                "type": "object",
                "properties": {
                    "source": {"oneOf": [
                        reference,
                        // Other keys beside `manifest` are ignored.
                        {"type": "object", "properties": {"manifest": reference},
                         "required": ["manifest"]},
                    ]},
                    "policy": policy(),
                },
                "required": ["source"],
                "additionalProperties": false,
            }),
        ),
        (
            "ReidentifyRequest",
            json!({
                "description": "Tokens, a text or a record (exactly one), with the reason the audit trail records.",
                "type": "object",
                "properties": {
                    "tokens": optional(tokens.clone()),
                    "text": optional(text.clone()),
                    "record": {},
                    "reason": {"type": "string", "minLength": 1,
                               "maxLength": limits.max_reason_chars, "pattern": NOT_BLANK,
                               "description": "Why the originals are needed; not blank."},
                },
                "required": ["reason"],
                "additionalProperties": false,
                "oneOf": one_of(&[("tokens", &tokens), ("text", &text), ("record", &record())]),
            }),
        ),
    ]
}

/// Response fields that echo a caller's record hold any JSON value.
fn any_record(schemas: &mut Value) {
    for name in ["AnonymizeResponse", "ReidentifyResponse"] {
        if let Some(props) = schemas[name]["properties"].as_object_mut()
            && props.contains_key("record")
        {
            props.insert(
                "record".into(),
                json!({"description": "The record, as given, with its values replaced."}),
            );
        }
    }
}

fn error_response(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}})
}

fn gateway_response(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GatewayMessage"}}}})
}

/// Declares every constraint the server enforces in `doc` (the generated document).
pub fn constrain(doc: &mut Value, limits: &ApiLimits) {
    let schemas = &mut doc["components"]["schemas"];
    for (name, schema) in request_schemas(limits) {
        schemas[name] = schema;
    }
    any_record(schemas);
    schemas["GatewayMessage"] = json!({
        "description": "401 and 403, as API Gateway answers them.",
        "type": "object",
        "properties": {"message": {"type": "string"}},
        "required": ["message"],
    });
    let id = json!({"type": "string", "minLength": 1, "maxLength": MAX_ID_LEN});
    let token = json!({"type": "string", "pattern": token_pattern()});
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            for param in op
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                let name = param["name"].as_str().unwrap_or_default().to_string();
                param["schema"] = match name.as_str() {
                    "id" => id.clone(),
                    "token" => token.clone(),
                    "since" | "until" => json!({"type": "string", "format": "date-time"}),
                    "limit" => {
                        json!({"type": "integer", "minimum": 1, "maximum": service::MAX_AUDIT_PAGE})
                    }
                    "subject" => json!({"type": "string"}),
                    "cursor" => json!({"type": "string", "format": "audit-cursor",
                                        "description": "`next_cursor` of the previous page, unchanged."}),
                    _ => continue,
                };
                param["required"] = json!(param["in"] == "path");
            }
            let responses = &mut op["responses"];
            // The run a POST started is read back by id (Schemathesis follows these links).
            for (started, get) in [("/v1/documents", "get_document"), ("/v1/jobs", "get_job")] {
                if path == started && method == "post" {
                    for code in ["200", "202"] {
                        if responses.get(code).is_some() {
                            responses[code]["links"] = json!({
                                "status": {"operationId": get, "parameters": {"id": "$response.body#/id"}},
                            });
                        }
                    }
                }
            }
            let mut add = |status: &str, response: Value| {
                if responses.get(status).is_none() {
                    responses[status] = response;
                }
            };
            add("400", error_response("Invalid input"));
            add("401", gateway_response("No valid credentials"));
            add("403", gateway_response("Missing scope"));
            if method == "post" {
                add("413", error_response("Body over the limit"));
                add("415", error_response("Not application/json"));
            }
            if path.contains('{') {
                add("404", error_response("Not found"));
            }
            add("429", error_response("Throttled: retry later"));
            add("500", error_response("Internal error"));
            add("503", error_response("A dependency is unavailable"));
            // 401 and 403 bodies are API Gateway's, not ErrorBody.
            for status in ["401", "403"] {
                if responses[status].get("content").is_none() {
                    let description = responses[status]["description"].clone();
                    responses[status] = gateway_response(description.as_str().unwrap_or_default());
                }
            }
        }
    }
}
