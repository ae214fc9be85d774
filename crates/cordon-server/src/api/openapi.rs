//! What the generated OpenAPI document needs before clients can trust it:
//! the two ways to sign in (a bearer token, the session cookie) declared as
//! security schemes and required everywhere but where an operation says
//! otherwise, and a description on every answer (OpenAPI requires one; the
//! annotations name the body, this names what the status means), an
//! operation id used by two handlers made unique, and every refusal the API
//! can answer listed on each operation with the problem+json schema (by what
//! the operation takes and whether it needs sign-in), the paging parameters
//! given their range.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};

use cordon_store::paging::MAX_LIMIT;

use crate::api::paging::DEFAULT_LIMIT;

use crate::auth::SESSION_COOKIE;

/// What a status means, for the answers whose annotation gives no description.
#[must_use]
pub fn status_description(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "Created",
        "202" => "Accepted",
        "204" => "Done; nothing to return",
        "303" => "See other",
        "400" => "The request could not be read: a parameter or the body is malformed (problem+json naming it)",
        "401" => "Not signed in, or the token expired or was revoked (problem+json)",
        "403" => "Not allowed for this user here (problem+json with the reason's code)",
        "404" => "No such record, or none the user may see (problem+json)",
        "409" => "Conflicts with what is stored (problem+json with the reason's code)",
        "413" => "The body is too large (problem+json)",
        "415" => "The body's content type is not accepted (problem+json)",
        "422" => "Some fields are invalid (problem+json naming each field, with a code and parameters)",
        "429" => "Too many attempts; try again after Retry-After seconds (problem+json)",
        _ => "See the body",
    }
}

/// Declares the security schemes and fills in missing answer descriptions.
pub fn complete(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some("A device token from POST /tokens")).build(),
        ),
    );
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(SESSION_COOKIE, "The browser session from POST /session"))),
    );
    doc.security =
        Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new()), SecurityRequirement::new("session", Vec::<String>::new())]);
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for item in doc.paths.paths.values() {
        for op in [&item.get, &item.post, &item.put, &item.delete, &item.patch].into_iter().flatten() {
            if let Some(id) = &op.operation_id {
                *seen.entry(id.clone()).or_default() += 1;
            }
        }
    }
    for (path, item) in &mut doc.paths.paths {
        let ops = [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("delete", &mut item.delete),
            ("patch", &mut item.patch),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            // Handlers in different modules share names (`list`, `set`): an
            // id used twice becomes the method and the path, unique by construction.
            if op.operation_id.as_ref().is_some_and(|id| seen.get(id).copied().unwrap_or(0) > 1) {
                let words: Vec<&str> = path.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
                op.operation_id = Some(format!("{method}_{}", words.join("_")));
            }
            refusals(op, method, path.contains('{'));
            for (status, answer) in &mut op.responses.responses {
                if let RefOr::T(response) = answer
                    && response.description.is_empty()
                {
                    status_description(status).clone_into(&mut response.description);
                }
            }
        }
    }
}

/// The media type of every refusal.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Whether an operation is open to everyone (`security: [{}]`).
fn is_public(op: &Operation) -> bool {
    op.security.as_ref().is_some_and(|reqs| {
        reqs.iter().any(|r| serde_json::to_value(r).is_ok_and(|v| v.as_object().is_some_and(serde_json::Map::is_empty)))
    })
}

/// The refusals an operation can answer, by what it takes: 400 for a
/// parameter or body that does not parse, 401 and 403 where sign-in is
/// needed, 404 for a record named in the path or a parameter, 409 for a
/// change that conflicts with what is stored, 413, 415 and 422 for a body.
fn expected_refusals(op: &Operation, method: &str, in_path: bool) -> Vec<&'static str> {
    let body = op.request_body.is_some();
    let params = op.parameters.as_ref().is_some_and(|p| !p.is_empty()) || in_path;
    let write = method != "get";
    let public = is_public(op);
    let mut statuses = Vec::new();
    if body || params {
        statuses.push("400");
    }
    if !public || body {
        statuses.push("401");
    }
    if !public {
        statuses.push("403");
    }
    if params || body && !public {
        statuses.push("404");
    }
    if write && !public {
        statuses.push("409");
    }
    if body {
        statuses.extend(["413", "415"]);
    }
    if body || params {
        statuses.push("422");
    }
    statuses
}

/// Lists the refusals an operation can answer, each as problem+json (the
/// annotations' own `application/json` problems moved there), and states
/// the range of its `limit`.
fn refusals(op: &mut Operation, method: &str, in_path: bool) {
    let problem = || RefOr::Ref(Ref::from_schema_name("Problem"));
    for status in expected_refusals(op, method, in_path) {
        op.responses.responses.entry(status.to_owned()).or_insert_with(|| {
            let content = ContentBuilder::new().schema(Some(problem())).build();
            RefOr::T(ResponseBuilder::new().description(status_description(status)).content(PROBLEM_JSON, content).build())
        });
    }
    for (status, answer) in &mut op.responses.responses {
        if let RefOr::T(response) = answer
            && status.starts_with('4')
            && let Some(content) = response.content.shift_remove("application/json")
        {
            response.content.insert(PROBLEM_JSON.to_owned(), content);
        }
    }
    for parameter in op.parameters.iter_mut().flatten() {
        if let RefOr::T(p) = parameter
            && p.parameter_in == ParameterIn::Query
            && p.name == "limit"
            && let Some(RefOr::T(Schema::Object(schema))) = &mut p.schema
            && schema.maximum.is_none()
        {
            schema.minimum = Some(utoipa::Number::Int(1));
            schema.maximum = Some(utoipa::Number::Int(isize::try_from(MAX_LIMIT).unwrap_or(isize::MAX)));
            schema.default = Some(serde_json::json!(DEFAULT_LIMIT));
        }
    }
}
