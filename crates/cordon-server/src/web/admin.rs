//! The administrator's pages: users (list, create, deactivate and
//! reactivate), the jurisdiction import (the same CSV as `cordon import
//! jurisdictions`, parsed by `cordon_store::jurisdiction_csv`, or a GeoJSON
//! `FeatureCollection` whose geometries become the map boundaries), the case
//! definitions (the rule edited as JSON, errors shown at the field) and the
//! operational settings.
//!
//! Each action is authorised as in the API (`ManageUsers`,
//! `ManageJurisdictions`, `ManageConfiguration` at the administrator's anchor).

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use cordon_core::definition::{CaseDefinition, Criterion};
use cordon_core::policy::Action;
use cordon_core::refusal::Record;
use cordon_core::settings::Settings;
use cordon_core::user::{Role, User, UserInput};
use cordon_store::StoreError;
use cordon_store::jurisdiction_csv;
use serde::Deserialize;
use uuid::Uuid;

use super::{Chrome, FieldErrors, FormData, Lang, Notes, Shown, Viewer, WebResult, render, render_with, see_other};
use crate::error::ApiError;
use crate::state::AppState;

/// The largest CSV accepted for an import.
const MAX_CSV: usize = 8 * 1024 * 1024;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(|| async { see_other("/admin/users") }))
        .route("/admin/users", get(users).post(create_user))
        .route("/admin/users/{id}/active", post(set_active))
        .route("/admin/jurisdictions", get(jurisdictions).post(import).layer(axum::extract::DefaultBodyLimit::max(MAX_CSV + 64 * 1024)))
        .route("/admin/definitions", get(definitions).post(save_definition))
        .route("/admin/definitions/{code}", get(definition))
        .route("/admin/settings", get(settings).post(save_settings))
}

/// A user as the list shows them.
#[derive(Debug, Clone)]
pub struct UserRow {
    /// Id.
    pub id: String,
    /// Sign-in name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: &'static str,
    /// Anchor code.
    pub node: String,
    /// Whether the user may sign in.
    pub active: bool,
    /// Whether this is the administrator looking (who cannot deactivate themselves).
    pub is_self: bool,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    t: Lang,
    c: Chrome,
    rows: Vec<UserRow>,
    roles: Vec<(&'static str, &'static str, bool)>,
    v: FormData,
    errors: FieldErrors,
    flash: Option<&'static str>,
}

impl UsersPage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&["username", "display_name", "role", "node_code", "password", "phone"])
    }
}

#[derive(Debug, Deserialize)]
struct FlashQuery {
    #[serde(default)]
    done: Option<String>,
}

fn as_admin(viewer: &Viewer, action: Action) -> WebResult<()> {
    viewer.may(action, &viewer.user.node_path)
}

async fn users_page(
    state: &AppState,
    viewer: &Viewer,
    v: FormData,
    errors: FieldErrors,
    flash: Option<&'static str>,
) -> WebResult<UsersPage> {
    let t = viewer.lang;
    let users: Vec<User> = state.store.users_under(&viewer.user.node_path, None).await?;
    let rows = users
        .into_iter()
        .map(|u| UserRow {
            id: u.id.to_string(),
            username: u.username,
            display_name: u.display_name,
            role: t.role(u.role),
            node: u.node_path.code().to_owned(),
            active: u.active,
            is_self: u.id == viewer.user.id,
        })
        .collect();
    let chosen = v.get("role").to_owned();
    let roles = Role::ALL.into_iter().map(|r| (r.as_str(), t.role(r), chosen == r.as_str())).collect();
    Ok(UsersPage { t, c: viewer.chrome(), rows, roles, v, errors, flash })
}

async fn users(State(state): State<AppState>, viewer: Viewer, Query(q): Query<FlashQuery>) -> WebResult<Response> {
    as_admin(&viewer, Action::ManageUsers)?;
    let flash = match q.done.as_deref() {
        Some("created") => Some(viewer.lang.get("admin_user_created")),
        Some("changed") => Some(viewer.lang.get("admin_user_changed")),
        _ => None,
    };
    render(&users_page(&state, &viewer, FormData::default(), FieldErrors::none(), flash).await?)
}

async fn create_user(State(state): State<AppState>, viewer: Viewer, v: FormData) -> WebResult<Response> {
    as_admin(&viewer, Action::ManageUsers)?;
    let mut errors = FieldErrors::none();
    let role = Role::parse(v.get("role"));
    if role.is_none() {
        errors.key("role", "reason_choose");
    }
    let input = UserInput {
        username: v.get("username").to_owned(),
        display_name: v.get("display_name").to_owned(),
        role: role.unwrap_or(Role::Reporter),
        node_code: v.get("node_code").to_owned(),
        password: v.get("password").to_owned(),
        phone: v.opt("phone").map(str::to_owned),
    };
    if let Err(invalid) = input.check() {
        errors.extend(invalid.errors);
    }
    if input.node_code.is_empty() {
        errors.key("node_code", "reason_required");
    }
    if errors.is_empty() {
        match create(&state, &viewer, &input).await {
            Ok(()) => return Ok(see_other("/admin/users?done=created")),
            Err(e) => errors.absorb(e)?,
        }
    }
    let mut v = v;
    v.set("password", "");
    let page = users_page(&state, &viewer, v, errors, None).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

async fn create(state: &AppState, viewer: &Viewer, input: &UserInput) -> Result<(), ApiError> {
    crate::actions::users::create(state, &viewer.user, input).await.map(|_| ())
}

async fn set_active(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, v: FormData) -> WebResult<Response> {
    let active = v.get("active") == "true";
    match crate::actions::users::set_active(&state, &viewer.user, id, active).await {
        Ok(_) => Ok(see_other("/admin/users?done=changed")),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "admin_jurisdictions.html")]
struct JurisdictionsPage {
    t: Lang,
    c: Chrome,
    levels: Vec<(String, usize)>,
    summary: Option<String>,
    errors: FieldErrors,
    csv: String,
}

async fn jurisdictions_page(
    state: &AppState,
    viewer: &Viewer,
    summary: Option<String>,
    errors: FieldErrors,
    csv: String,
) -> WebResult<JurisdictionsPage> {
    let levels = state.store.levels().await?;
    let nodes = state.store.subtree(&viewer.user.node_path, None).await?;
    let counted = levels
        .iter()
        .enumerate()
        .map(|(depth, name)| (name.clone(), nodes.iter().filter(|n| usize::try_from(n.level) == Ok(depth)).count()))
        .collect();
    Ok(JurisdictionsPage { t: viewer.lang, c: viewer.chrome(), levels: counted, summary, errors, csv })
}

async fn jurisdictions(State(state): State<AppState>, viewer: Viewer) -> WebResult<Response> {
    as_admin(&viewer, Action::ManageJurisdictions)?;
    render(&jurisdictions_page(&state, &viewer, None, FieldErrors::none(), String::new()).await?)
}

/// Reads the uploaded file (or the pasted text) from the multipart form.
async fn csv_of(mut form: Multipart) -> Result<String, &'static str> {
    let mut file = String::new();
    let mut pasted = String::new();
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or("").to_owned();
        let bytes = field.bytes().await.map_err(|_| "admin_import_unreadable")?;
        if bytes.len() > MAX_CSV {
            return Err("admin_import_too_large");
        }
        let text = String::from_utf8(bytes.to_vec()).map_err(|_| "admin_import_not_utf8")?;
        match name.as_str() {
            "file" => file = text,
            "csv" => pasted = text,
            _ => {}
        }
    }
    let text = if file.trim().is_empty() { pasted } else { file };
    Ok(text.trim_start_matches('\u{feff}').to_owned())
}

async fn import(State(state): State<AppState>, viewer: Viewer, form: Multipart) -> WebResult<Response> {
    as_admin(&viewer, Action::ManageJurisdictions)?;
    let t = viewer.lang;
    let mut errors = FieldErrors::none();
    let text = match csv_of(form).await {
        Ok(text) => text,
        Err(key) => {
            errors.key("csv", key);
            String::new()
        }
    };
    if errors.is_empty() && text.trim().is_empty() {
        errors.key("csv", "admin_import_empty");
    }
    if errors.is_empty() {
        match import_text(&state, &viewer, &text).await? {
            Ok(s) => {
                let summary = format!(
                    "{} {} · {} {} · {} {} · {} {}",
                    s.created,
                    t.get("admin_import_created"),
                    s.updated,
                    t.get("admin_import_updated"),
                    s.unchanged,
                    t.get("admin_import_unchanged"),
                    s.boundaries,
                    t.get("admin_import_boundaries")
                );
                return render(&jurisdictions_page(&state, &viewer, Some(summary), FieldErrors::none(), String::new()).await?);
            }
            Err(messages) => {
                for m in messages {
                    errors.add("csv", Shown::Text(m));
                }
            }
        }
    }
    let keep = if text.len() <= 64 * 1024 { text } else { String::new() };
    let page = jurisdictions_page(&state, &viewer, None, errors, keep).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// What an import did.
struct Imported {
    created: usize,
    updated: usize,
    unchanged: usize,
    boundaries: usize,
}

/// Imports a CSV file, or a GeoJSON `FeatureCollection` (text starting with
/// `{`) whose features' geometries become the nodes' boundaries. The inner
/// `Err` lists what is wrong with the file, each naming where.
async fn import_text(state: &AppState, viewer: &Viewer, text: &str) -> WebResult<Result<Imported, Vec<String>>> {
    let actor = Some(viewer.user.id);
    let now = state.now();
    if text.trim_start().starts_with('{') {
        let features = match cordon_store::boundaries::parse_feature_collection(text) {
            Ok(f) => f,
            Err(message) => return Ok(Err(vec![message])),
        };
        let rows: Vec<_> = features.iter().map(|f| f.row.clone()).collect();
        let s = match state.store.import_nodes(actor, &rows, now).await {
            Ok(s) => s,
            Err(StoreError::Invalid(invalid)) => {
                return Ok(Err(invalid.errors.iter().map(|e| cordon_store::boundaries::locate(&e.field, &e.reason.to_string())).collect()));
            }
            Err(e) => return Err(e.into()),
        };
        let shapes: Vec<(String, Option<String>)> =
            features.into_iter().filter_map(|f| f.boundary.map(|b| (f.row.node.code.trim().to_owned(), Some(b)))).collect();
        let boundaries = if shapes.is_empty() {
            0
        } else {
            match state.store.set_boundaries(actor, &shapes, now).await {
                Ok(n) => n,
                Err(StoreError::Invalid(invalid)) => {
                    return Ok(Err(invalid.errors.into_iter().map(|e| format!("{}: {}", e.field, e.reason)).collect()));
                }
                Err(e) => return Err(e.into()),
            }
        };
        return Ok(Ok(Imported { created: s.created, updated: s.updated, unchanged: s.unchanged, boundaries }));
    }
    let (rows, columns) = match jurisdiction_csv::parse(text) {
        Ok(parsed) => parsed,
        Err(message) => return Ok(Err(vec![message])),
    };
    match state.store.import_nodes(actor, &rows, now).await {
        Ok(s) => Ok(Ok(Imported { created: s.created, updated: s.updated, unchanged: s.unchanged, boundaries: 0 })),
        Err(StoreError::Invalid(invalid)) => {
            Ok(Err(invalid.errors.iter().map(|e| jurisdiction_csv::locate(&e.field, &e.reason.to_string(), &columns)).collect()))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "admin_definitions.html")]
struct DefinitionsPage {
    t: Lang,
    c: Chrome,
    rows: Vec<(String, String, bool)>,
    flash: Option<&'static str>,
}

async fn definitions(State(state): State<AppState>, viewer: Viewer, Query(q): Query<FlashQuery>) -> WebResult<Response> {
    as_admin(&viewer, Action::ManageConfiguration)?;
    let rows = state.store.definitions().await?.into_iter().map(|d| (d.code, d.name, d.active)).collect();
    let flash = q.done.as_deref().map(|_| viewer.lang.get("admin_saved"));
    render(&DefinitionsPage { t: viewer.lang, c: viewer.chrome(), rows, flash })
}

#[derive(Template)]
#[template(path = "admin_definition.html")]
struct DefinitionPage {
    t: Lang,
    c: Chrome,
    is_new: bool,
    v: FormData,
    errors: FieldErrors,
    symptoms: Vec<&'static str>,
}

impl DefinitionPage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&["code", "name", "rule"])
    }
}

fn definition_form(d: &CaseDefinition) -> FormData {
    let mut v = FormData::default();
    v.set("code", d.code.clone());
    v.set("name", d.name.clone());
    v.set("rule", serde_json::to_string_pretty(&d.rule).unwrap_or_default());
    if d.active {
        v.set("active", "on");
    }
    v
}

fn definition_page(viewer: &Viewer, is_new: bool, v: FormData, errors: FieldErrors) -> DefinitionPage {
    let symptoms = cordon_core::report::Symptom::ALL.iter().map(|s| s.as_str()).collect();
    DefinitionPage { t: viewer.lang, c: viewer.chrome(), is_new, v, errors, symptoms }
}

async fn definition(State(state): State<AppState>, viewer: Viewer, Path(code): Path<String>) -> WebResult<Response> {
    as_admin(&viewer, Action::ManageConfiguration)?;
    if code == "new" {
        let mut d = CaseDefinition::default_suspected();
        d.code = String::new();
        d.name = String::new();
        return render(&definition_page(&viewer, true, definition_form(&d), FieldErrors::none()));
    }
    let d = state
        .store
        .definitions()
        .await?
        .into_iter()
        .find(|d| d.code == code)
        .ok_or_else(|| ApiError::not_found(Record::CaseDefinition, &code))?;
    render(&definition_page(&viewer, false, definition_form(&d), FieldErrors::none()))
}

async fn save_definition(State(state): State<AppState>, viewer: Viewer, v: FormData) -> WebResult<Response> {
    as_admin(&viewer, Action::ManageConfiguration)?;
    let is_new = v.get("is_new") == "true";
    let mut errors = FieldErrors::none();
    let rule = match crate::extract::parse_json::<Criterion>(v.get("rule").as_bytes()) {
        Ok(rule) => Some(rule),
        Err(e) => {
            let reason = e.reason();
            let problem = e.problem();
            if problem.errors.is_empty() {
                errors.add("rule", reason);
            }
            for fe in problem.errors {
                errors.add(format!("rule.{}", fe.field), fe.reason);
            }
            None
        }
    };
    if let Some(rule) = rule {
        let d = CaseDefinition { code: v.get("code").to_owned(), name: v.get("name").to_owned(), rule, active: v.ticked("active") };
        match crate::actions::settings::save_definition(&state, &viewer.user, &d.code, &d).await {
            Ok(_) => return Ok(see_other("/admin/definitions?done=saved")),
            Err(e) => errors.absorb(e)?,
        }
    }
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &definition_page(&viewer, is_new, v, errors))
}

#[derive(Template)]
#[template(path = "admin_settings.html")]
struct SettingsPage {
    t: Lang,
    c: Chrome,
    v: FormData,
    errors: FieldErrors,
    flash: Option<&'static str>,
}

impl SettingsPage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&[
            "time_zone",
            "investigation_deadline_minutes",
            "escalation_deadline_minutes",
            "daily_report_due_hour",
            "silent_unit_hour",
        ])
    }

    fn fields(&self) -> Vec<(&'static str, &'static str)> {
        ["time_zone", "investigation_deadline_minutes", "escalation_deadline_minutes", "daily_report_due_hour", "silent_unit_hour"]
            .into_iter()
            .map(|f| (f, self.t.get(&format!("setting_{f}"))))
            .collect()
    }
}

const SETTING_FIELDS: [&str; 4] =
    ["investigation_deadline_minutes", "escalation_deadline_minutes", "daily_report_due_hour", "silent_unit_hour"];

fn settings_form(s: &Settings) -> FormData {
    let mut v = FormData::default();
    v.set("time_zone", s.time_zone.clone());
    v.set("investigation_deadline_minutes", s.investigation_deadline_minutes.to_string());
    v.set("escalation_deadline_minutes", s.escalation_deadline_minutes.to_string());
    v.set("daily_report_due_hour", s.daily_report_due_hour.to_string());
    v.set("silent_unit_hour", s.silent_unit_hour.to_string());
    v
}

async fn settings(State(state): State<AppState>, viewer: Viewer, Query(q): Query<FlashQuery>) -> WebResult<Response> {
    as_admin(&viewer, Action::ManageConfiguration)?;
    let s = state.store.settings().await?;
    let flash = q.done.as_deref().map(|_| viewer.lang.get("admin_saved"));
    render(&SettingsPage { t: viewer.lang, c: viewer.chrome(), v: settings_form(&s), errors: FieldErrors::none(), flash })
}

async fn save_settings(State(state): State<AppState>, viewer: Viewer, v: FormData) -> WebResult<Response> {
    as_admin(&viewer, Action::ManageConfiguration)?;
    let t = viewer.lang;
    let mut errors = FieldErrors::none();
    let mut numbers = [0i64; 4];
    for (slot, field) in numbers.iter_mut().zip(SETTING_FIELDS) {
        match v.get(field).parse::<i64>() {
            Ok(n) => *slot = n,
            Err(_) => errors.key(field, "reason_whole_number"),
        }
    }
    let hour = |n: i64| i8::try_from(n).unwrap_or(i8::MAX);
    // Settings this page does not show stay as they are.
    let mut s = state.store.settings().await?;
    s.time_zone = v.get("time_zone").to_owned();
    s.investigation_deadline_minutes = numbers[0];
    s.escalation_deadline_minutes = numbers[1];
    s.daily_report_due_hour = hour(numbers[2]);
    s.silent_unit_hour = hour(numbers[3]);
    if errors.is_empty() {
        match crate::actions::settings::save(&state, &viewer.user, &s).await {
            Ok(_) => return Ok(see_other("/admin/settings?done=saved")),
            Err(e) => errors.absorb(e)?,
        }
    }
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &SettingsPage { t, c: viewer.chrome(), v, errors, flash: None })
}
