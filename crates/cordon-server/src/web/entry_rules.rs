//! The entry rules: what happens to arrivals by origin country, how long
//! entry quarantine lasts, and which points of entry are closed when. Anyone
//! signed in may read them (the border officer works by them).
//!
//! The country rules and the quarantine days are part of the settings: an
//! administrator changes one piece of the settings in force and saves them
//! through `actions::settings::save`, as `PUT /settings` does. Closures are
//! border directives: a command officer closes a point of entry by issuing
//! one (`actions::directives::issue`, as `POST /directives` does) and reopens
//! it by revoking it, so the arrivals check and this page read one source.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use cordon_core::border::closure_texts;
use cordon_core::directive::{DirectiveInput, Evidence, Measure, Terms};
use cordon_core::jurisdiction::FacilityKind;
use cordon_core::policy::Action;
use cordon_core::refusal::Record;
use cordon_core::settings::{CountryRule, EntryRule, Settings};
use jiff::civil::Date;
use uuid::Uuid;

use super::form::PageQuery;
use super::widgets::quarantine::{ClosureLine, all_facilities, closure_lines, rule_label};
use super::widgets::{choice, name_of};
use super::{Chrome, FieldErrors, FormData, Lang, Notes, Viewer, WebResult, render, render_with, see_other};
use crate::actions::directives;
use crate::actions::settings::save as save_settings;
use crate::error::ApiError;
use crate::state::AppState;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/entry-rules", get(rules))
        .route("/entry-rules/default", post(save_default))
        .route("/entry-rules/countries", post(add_country))
        .route("/entry-rules/countries/remove", post(remove_country))
        .route("/entry-rules/closures", post(close_point_of_entry))
        .route("/entry-rules/closures/reopen", post(reopen_point_of_entry))
}

/// The fields of the forms, shown next to their errors.
const FIELDS: [&str; 8] =
    ["default_entry_rule", "entry_quarantine_days", "country", "rule", "point_of_entry_code", "from", "to", "review_on"];

const RULES: [EntryRule; 3] = [EntryRule::FacilityQuarantine, EntryRule::HomeQuarantine, EntryRule::NoQuarantine];

#[derive(Template)]
#[template(path = "entry_rules.html")]
struct RulesPage {
    t: Lang,
    c: Chrome,
    can_edit: bool,
    can_close: bool,
    flash: Option<&'static str>,
    default_rules: Vec<(String, &'static str, bool)>,
    rules: Vec<(String, &'static str, bool)>,
    quarantine_days: String,
    countries: Vec<(String, &'static str)>,
    closures: Vec<ClosureLine>,
    points_of_entry: Vec<(String, String, bool)>,
    v: FormData,
    errors: FieldErrors,
}

impl RulesPage {
    fn other_errors(&self) -> Vec<Notes> {
        self.errors.other(&FIELDS)
    }
}

fn options(t: Lang, chosen: &str) -> Vec<(String, &'static str, bool)> {
    RULES.iter().map(|r| (name_of(r), rule_label(t, *r), name_of(r) == chosen)).collect()
}

async fn rules_page(state: &AppState, viewer: &Viewer, settings: &Settings, v: FormData, errors: FieldErrors) -> WebResult<RulesPage> {
    let t = viewer.lang;
    let default_rule = v.opt("default_entry_rule").map_or_else(|| name_of(&settings.default_entry_rule), str::to_owned);
    let quarantine_days = v.opt("entry_quarantine_days").map_or_else(|| settings.entry_quarantine_days.to_string(), str::to_owned);
    let chosen_poe = v.get("point_of_entry_code").to_owned();
    let points_of_entry: Vec<(String, String, bool)> = all_facilities(state)
        .await?
        .into_iter()
        .filter(|f| f.kind == FacilityKind::PointOfEntry && viewer.may(Action::IssueDirectives, &f.node_path).is_ok())
        .map(|f| (f.code.clone(), format!("{} ({})", f.name, f.code), f.code == chosen_poe))
        .collect();
    let today = settings.local_date(state.now());
    Ok(RulesPage {
        t,
        c: viewer.chrome(),
        can_edit: viewer.may(Action::ManageConfiguration, &viewer.user.node_path).is_ok(),
        can_close: !points_of_entry.is_empty(),
        flash: None,
        default_rules: options(t, &default_rule),
        rules: options(t, v.get("rule")),
        quarantine_days,
        countries: settings.entry_rules.iter().map(|r| (r.country.clone(), rule_label(t, r.rule))).collect(),
        closures: closure_lines(state, t, today).await?,
        points_of_entry,
        v,
        errors,
    })
}

async fn rules(State(state): State<AppState>, viewer: Viewer, Query(q): Query<PageQuery>) -> WebResult<Response> {
    let settings = state.store.settings().await?;
    let mut page = rules_page(&state, &viewer, &settings, FormData::default(), FieldErrors::none()).await?;
    page.flash = q.done.as_deref().map(|done| match done {
        "closed" => viewer.lang.get("border_flash_closed"),
        "reopened" => viewer.lang.get("border_flash_reopened"),
        _ => viewer.lang.get("quarantine_flash_rules_saved"),
    });
    render(&page)
}

/// Applies `change` to the settings in force and saves them, or shows the
/// page again with the problems found (by `change` or by the settings' checks).
async fn change(
    state: &AppState,
    viewer: &Viewer,
    v: FormData,
    change: impl FnOnce(&mut Settings, &mut FieldErrors),
) -> WebResult<Response> {
    viewer.may(Action::ManageConfiguration, &viewer.user.node_path)?;
    let mut settings = state.store.settings().await?;
    let mut errors = FieldErrors::none();
    change(&mut settings, &mut errors);
    if errors.is_empty() {
        match save_settings(state, &viewer.user, &settings).await {
            Ok(_) => return Ok(see_other("/entry-rules?done=saved")),
            Err(e) => errors.absorb(e)?,
        }
    }
    let current = state.store.settings().await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &rules_page(state, viewer, &current, v, errors).await?)
}

async fn save_default(State(state): State<AppState>, viewer: Viewer, v: FormData) -> WebResult<Response> {
    let rule = choice::<EntryRule>(v.get("default_entry_rule"));
    let days = v.get("entry_quarantine_days").parse::<i16>().ok();
    change(&state, &viewer, v.clone(), |s, errors| {
        match rule {
            Some(rule) => s.default_entry_rule = rule,
            None => errors.key("default_entry_rule", "reason_choose"),
        }
        match days {
            Some(days) => s.entry_quarantine_days = days,
            None => errors.key("entry_quarantine_days", "reason_whole_number"),
        }
    })
    .await
}

/// A country code as the settings keep it (upper case), if it looks like one.
fn country_code(text: &str) -> Option<String> {
    let code = text.trim().to_ascii_uppercase();
    (code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase())).then_some(code)
}

async fn add_country(State(state): State<AppState>, viewer: Viewer, v: FormData) -> WebResult<Response> {
    let country = country_code(v.get("country"));
    let rule = choice::<EntryRule>(v.get("rule"));
    change(&state, &viewer, v.clone(), |s, errors| match (country, rule) {
        (Some(country), Some(rule)) => {
            s.entry_rules.retain(|r| r.country != country);
            s.entry_rules.push(CountryRule { country, rule });
            s.entry_rules.sort_by(|a, b| a.country.cmp(&b.country));
        }
        (country, rule) => {
            if country.is_none() {
                errors.key("country", "quarantine_reason_country");
            }
            if rule.is_none() {
                errors.key("rule", "reason_choose");
            }
        }
    })
    .await
}

async fn remove_country(State(state): State<AppState>, viewer: Viewer, v: FormData) -> WebResult<Response> {
    let country = v.get("country").to_owned();
    change(&state, &viewer, FormData::default(), |s, _| s.entry_rules.retain(|r| r.country != country)).await
}

/// Closes a point of entry: issues a border directive over the point of
/// entry's area, with words made from the form.
async fn close_point_of_entry(State(state): State<AppState>, viewer: Viewer, v: FormData) -> WebResult<Response> {
    let code = v.get("point_of_entry_code").trim().to_owned();
    let facility = all_facilities(&state).await?.into_iter().find(|f| f.kind == FacilityKind::PointOfEntry && f.code == code);
    let mut errors = FieldErrors::none();
    let day = |field: &str, errors: &mut FieldErrors| match v.get(field).trim() {
        "" => None,
        text => text.parse::<Date>().map_err(|_| errors.key(field, "reason_date")).ok(),
    };
    let (from, to, review_on) = (day("from", &mut errors), day("to", &mut errors), day("review_on", &mut errors));
    if from.is_none() && errors.get("from").is_none() {
        errors.key("from", "reason_required");
    }
    let scope = match &facility {
        Some(f) => state.store.node(f.node_id).await?,
        None => None,
    };
    if scope.is_none() {
        errors.key("point_of_entry_code", "reason_choose");
    }
    if let (Some(scope), Some(from), true) = (scope, from, errors.is_empty()) {
        let review_on = review_on.or(to).unwrap_or(from.saturating_add(jiff::Span::new().days(14)));
        let terms = Terms {
            measure: Measure::Border { point_of_entry_code: code.clone(), open: false },
            starts_on: from,
            ends_on: to,
            review_on,
            text: closure_texts(&code, from, to),
            evidence: Evidence::default(),
        };
        match directives::issue(&state, &viewer.user, &DirectiveInput::new(Uuid::new_v4(), &scope.code, terms)).await {
            Ok(_) => return Ok(see_other("/entry-rules?done=closed")),
            Err(e) => errors.absorb_renamed(
                e,
                &[
                    ("terms.starts_on", "from"),
                    ("terms.ends_on", "to"),
                    ("terms.review_on", "review_on"),
                    ("scope_code", "point_of_entry_code"),
                ],
            )?,
        }
    }
    let settings = state.store.settings().await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &rules_page(&state, &viewer, &settings, v, errors).await?)
}

/// Reopens a point of entry: revokes the border directive that closes it,
/// from today.
async fn reopen_point_of_entry(State(state): State<AppState>, viewer: Viewer, v: FormData) -> WebResult<Response> {
    let id = v.get("directive_id").parse::<Uuid>().map_err(|_| ApiError::not_found(Record::Directive, &v.get("directive_id")))?;
    let today = state.store.settings().await?.local_date(state.now());
    directives::revoke(&state, &viewer.user, id, today, viewer.lang.get("border_reopened_reason")).await?;
    Ok(see_other("/entry-rules?done=reopened"))
}
