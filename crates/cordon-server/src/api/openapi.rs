//! What the generated OpenAPI document needs before clients can trust it:
//! the two ways to sign in (a bearer token, the session cookie) declared as
//! security schemes and required everywhere but where an operation says
//! otherwise, and a description on every answer (OpenAPI requires one; the
//! annotations name the body, this names what the status means), and an
//! operation id used by two handlers made unique.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{OpenApi, RefOr};

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
