//! The OpenAPI 3 document, generated from the handlers' annotations and the model types.
//!
//! Served at `/openapi.json`; `/docs` is Swagger UI from `utoipa-swagger-ui` with its
//! `vendored` feature, which embeds the Swagger UI files from a crate instead of downloading
//! them in a build script, so builds work offline and the page needs no CDN.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::config::ApiLimits;
use crate::error::{ErrorBody, ErrorDetail};
use crate::model::{
    AnonymizeRequest, AnonymizeResponse, AuditEntry, AuditPage, BatchItemResult, BatchRequest,
    BatchResponse, DocumentRequest, DocumentStarted, DocumentState, DocumentStatus, EraseResponse,
    JobCounts, JobRequest, JobSource, JobStarted, JobStatus, ReidentifyRequest, ReidentifyResponse,
    TokenValue, UploadRequest, UploadTicket, WireEntity,
};
use crate::openapi_constraints::constrain;
use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "piiflow",
        description = "Find, mask and tokenize personal data; reverse tokens with an audited reason."
    ),
    paths(
        routes::anonymize::anonymize,
        routes::anonymize::anonymize_batch,
        routes::documents::start_document,
        routes::documents::get_document,
        routes::documents::upload_document,
        routes::jobs::start_job,
        routes::jobs::get_job,
        routes::reidentify::reidentify,
        routes::reidentify::erase_token,
        routes::audit::audit,
    ),
    components(schemas(
        AnonymizeRequest, AnonymizeResponse, WireEntity, BatchRequest, BatchResponse,
        BatchItemResult, DocumentRequest, DocumentStarted, DocumentState, DocumentStatus,
        UploadRequest, UploadTicket, JobRequest, JobSource, JobStarted, JobStatus, JobCounts,
        ReidentifyRequest, ReidentifyResponse, TokenValue, EraseResponse, AuditPage,
        AuditEntry, ErrorBody, ErrorDetail,
    )),
    modifiers(&SecuritySchemes),
    tags(
        (name = "anonymize", description = "Scope pii/anonymize"),
        (name = "documents", description = "Scope pii/anonymize"),
        (name = "jobs", description = "Scope pii/anonymize"),
        (name = "reidentify", description = "Scope pii/reidentify (auditors)"),
    )
)]
pub struct ApiDoc;

/// `bearer`: Cognito (or dev) access token; `api_key`: the `x-api-key` header.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "RS256 access token with scope pii/anonymize or pii/reidentify",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("x-api-key"))),
        );
    }
}

/// The document `/openapi.json` serves for a server with these limits: the generated one
/// with every constraint the handlers enforce declared (`openapi_constraints`).
pub fn openapi_document(limits: &ApiLimits) -> serde_json::Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    constrain(&mut doc, limits);
    doc
}

/// The document of a server with the default limits.
pub fn openapi_json() -> serde_json::Value {
    openapi_document(&ApiLimits::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_documented_with_security() {
        let doc = openapi_json();
        let paths = doc["paths"].as_object().unwrap();
        for (path, method) in [
            ("/v1/anonymize", "post"),
            ("/v1/anonymize/batch", "post"),
            ("/v1/documents", "post"),
            ("/v1/documents/{id}", "get"),
            ("/v1/documents/uploads", "post"),
            ("/v1/jobs", "post"),
            ("/v1/jobs/{id}", "get"),
            ("/v1/reidentify", "post"),
            ("/v1/tokens/{token}", "delete"),
            ("/v1/audit", "get"),
        ] {
            let op = &paths[path][method];
            assert!(op.is_object(), "{method} {path} missing");
            assert!(op["security"].is_array(), "{method} {path} has no security");
        }
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(schemes["bearer"]["scheme"], "bearer");
        assert_eq!(schemes["api_key"]["name"], "x-api-key");
        let reid = &doc["components"]["schemas"]["ReidentifyRequest"];
        assert!(
            reid["required"]
                .as_array()
                .unwrap()
                .contains(&"reason".into())
        );
    }

    #[test]
    fn the_constraints_the_handlers_enforce_are_declared() {
        let limits = ApiLimits {
            max_batch_items: 7,
            max_reason_chars: 9,
            ..ApiLimits::default()
        };
        let doc = openapi_document(&limits);
        let schemas = &doc["components"]["schemas"];
        let items = &schemas["BatchRequest"]["properties"]["items"];
        assert_eq!(
            (items["minItems"].as_u64(), items["maxItems"].as_u64()),
            (Some(1), Some(7))
        );
        assert_eq!(
            schemas["ReidentifyRequest"]["properties"]["reason"]["maxLength"],
            9
        );
        assert_eq!(
            schemas["ReidentifyRequest"]["oneOf"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
        assert_eq!(
            schemas["AnonymizeRequest"]["oneOf"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        let source = schemas["DocumentRequest"]["properties"]["source"]["pattern"]
            .as_str()
            .unwrap();
        assert!(source.contains("s3") && source.contains("file"));
        let audit = doc["paths"]["/v1/audit"]["get"]["parameters"]
            .as_array()
            .unwrap();
        let since = audit.iter().find(|p| p["name"] == "since").unwrap();
        assert_eq!(since["schema"]["format"], "date-time");
        let erase = &doc["paths"]["/v1/tokens/{token}"]["delete"];
        let pattern = erase["parameters"][0]["schema"]["pattern"]
            .as_str()
            .unwrap();
        let token = format!("EMAIL_{}", "A".repeat(32));
        assert!(
            pattern.contains("EMAIL") && pattern.ends_with("_[A-Z2-7]{32}$"),
            "{pattern} {token}"
        );
        assert!(erase["responses"]["429"].is_object());
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let params = op.get("parameters");
                assert!(
                    params.is_none_or(|p| p.is_array()),
                    "{method} {path}: {params:?}"
                );
            }
        }
        assert!(erase["responses"]["401"]["content"].is_object());
    }

    #[test]
    fn the_file_name_pattern_declared_is_the_rule_validate_enforces() {
        let doc = openapi_json();
        let file_name = &doc["components"]["schemas"]["UploadRequest"]["properties"]["file_name"];
        let pattern = regex::Regex::new(file_name["pattern"].as_str().unwrap()).unwrap();
        let max = file_name["maxLength"].as_u64().unwrap() as usize;
        for name in [
            "a",
            "report.txt",
            "a-b_c.tar.gz",
            "",
            ".",
            "..",
            "../x",
            "a/b",
            "a\\b",
            "a..b",
            ".hidden",
            "trailing.",
            "two  spaces",
            "é.txt",
            "nul\0",
            &"x".repeat(200),
            &"x".repeat(201),
        ] {
            let declared = pattern.is_match(name) && name.chars().count() <= max;
            let enforced = crate::UploadRequest {
                file_name: name.into(),
            }
            .validate()
            .is_ok();
            assert_eq!(declared, enforced, "{name:?}");
        }
    }
}
