//! One directive's page. Officers who oversee it (its scope lies in their
//! subtree) see every version with its days in force, the revocation if
//! any, the coverage per node (the scope, then each child: units that
//! acknowledged and not yet, as a table and a bar), a lecture order's
//! lecture coverage against its target, and, when they may direct its
//! scope, the buttons and forms to remind, amend and revoke. Users it is
//! addressed to see its text and the acknowledge button (not the officer
//! who issued it, who knows it).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use cordon_core::directive::{Amendment, Directive, Version};
use cordon_core::policy::{self, Action};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Deserialize;
use uuid::Uuid;

use super::terms::{TermsForm, absorb, filled, read_terms, terms_form};
use crate::actions::directives as action;
use crate::state::AppState;
use crate::web::widgets::directive_text::{Reach, Standing, kind_label, percent, period, summary, text_of};
use crate::web::widgets::names::Names;
use crate::web::{Chrome, FieldErrors, FormData, Lang, Notes, Viewer, WebResult, local_time, render, render_with, see_other};

/// One line of the coverage table: the scope, or one of its children.
#[derive(Debug, Clone)]
pub struct CoverageLine {
    /// The node's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Acknowledged and addressed units.
    pub reach: Reach,
    /// Units that have not acknowledged.
    pub pending: u32,
}

/// A lecture order's lectures against its target.
#[derive(Debug, Clone)]
pub struct LectureLine {
    /// Units with attendance, of the scope's units.
    pub text: String,
    /// The share reached, 0 to 100.
    pub percent: u32,
    /// The share to reach, 0 to 100.
    pub target: u32,
    /// Whether it is reached.
    pub met: bool,
}

/// A version as the page shows it.
#[derive(Debug, Clone)]
pub struct VersionView {
    /// 1 for the directive as issued.
    pub number: u32,
    /// Whether it is the latest.
    pub latest: bool,
    /// The measure: kind and one line.
    pub measure: String,
    /// Days in force.
    pub period: String,
    /// Review day.
    pub review_on: String,
    /// English text.
    pub text_en: String,
    /// Korean text.
    pub text_ko: String,
    /// Why it was amended.
    pub change_reason: Option<String>,
    /// Who issued it, and when.
    pub issued: String,
    /// What prompted it, in words.
    pub evidence: Vec<String>,
    /// The alerts it cites: link and label.
    pub alerts: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "directive.html")]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent flags the template tests one by one: past review, the coverage shown, the forms, the acknowledge button"
)]
pub(super) struct DirectivePage {
    t: Lang,
    c: Chrome,
    id: String,
    title: String,
    standing: Standing,
    standing_label: &'static str,
    past_review: bool,
    scope: String,
    text: String,
    period: String,
    review_on: String,
    revoked: Option<String>,
    oversees: bool,
    can_direct: bool,
    acknowledged: Option<String>,
    can_acknowledge: bool,
    coverage: Vec<CoverageLine>,
    lectures: Option<LectureLine>,
    versions: Vec<VersionView>,
    flash: Option<String>,
    problems: Vec<String>,
    f: Option<TermsForm>,
    revoke_v: FormData,
    revoke_errors: FieldErrors,
}

impl DirectivePage {
    fn revoke_error(&self, name: &str) -> Option<String> {
        self.revoke_errors.get(name).map(|n| self.t.reason(&n))
    }

    fn revoke_other_errors(&self) -> Vec<String> {
        self.revoke_errors.other(&["from", "reason"]).iter().map(|n: &Notes| self.t.reason(n)).collect()
    }
}

/// What the page shows besides the directive: a flash, refused forms.
#[derive(Default)]
struct Shown {
    flash: Option<String>,
    problems: Vec<String>,
    amend: Option<(FormData, FieldErrors)>,
    revoke: Option<(FormData, FieldErrors)>,
}

fn version_view(t: Lang, names: &Names, zone: &TimeZone, v: &Version, latest: bool) -> VersionView {
    let e = &v.terms.evidence;
    let evidence = e
        .note
        .iter()
        .cloned()
        .chain(e.figures_abroad.iter().map(|f| t.fill("directive_evidence_figure", f)))
        .chain(e.alert_level_ids.iter().map(|id| t.fill("directive_evidence_level_id", id)))
        .collect();
    VersionView {
        number: v.number,
        latest,
        measure: format!("{}: {}", kind_label(t, v.terms.measure.kind()), summary(t, &v.terms.measure)),
        period: period(t, v),
        review_on: v.terms.review_on.to_string(),
        text_en: v.terms.text.en.clone(),
        text_ko: v.terms.text.ko.clone(),
        change_reason: v.change_reason.clone(),
        issued: format!("{} · {}", names.get(v.issued_by), local_time(v.issued_at, zone)),
        evidence,
        alerts: e.alert_ids.iter().map(|id| (format!("/alerts/{id}"), t.fill("directive_evidence_alert", &id.to_string()[..8]))).collect(),
    }
}

/// The coverage lines of a directive and, for a lecture order, its lectures.
async fn reach(state: &AppState, viewer: &Viewer, d: &Directive) -> WebResult<(Vec<CoverageLine>, Option<LectureLine>)> {
    let t = viewer.lang;
    let reached = action::coverage(state, &viewer.user, d.id).await?;
    let mut names = state.store.node_names_by_code(reached.acknowledged.iter().map(|c| c.path.code().to_owned())).await?;
    let lines = reached
        .acknowledged
        .iter()
        .map(|c| CoverageLine {
            code: c.path.code().to_owned(),
            name: names.remove(c.path.code()).unwrap_or_default(),
            reach: Reach::of(t, c),
            pending: c.pending(),
        })
        .collect();
    let lectures = reached.lectures.map(|l| LectureLine {
        text: t.fill("directive_lectures_units", l.coverage.covered).replacen("{}", &l.coverage.units.to_string(), 1),
        percent: percent(l.coverage.share()),
        target: percent(l.target),
        met: l.met,
    });
    Ok((lines, lectures))
}

/// The page of directive `id` as the viewer may see it.
async fn view(state: &AppState, viewer: &Viewer, id: Uuid, shown: Shown) -> WebResult<DirectivePage> {
    let t = viewer.lang;
    let d = action::visible(state, &viewer.user, id).await?;
    let settings = state.store.settings().await?;
    let (today, zone) = (settings.local_date(state.now()), settings.zone());
    let oversees = policy::authorise(&viewer.user, Action::Read, &d.scope_path).is_ok();
    let can_direct = d.revoked.is_none() && viewer.may(Action::IssueDirectives, &d.scope_path).is_ok();
    let standing = Standing::of(&d, today);
    let addressed = d.scope_path.contains(&viewer.user.node_path);
    let acknowledged = if addressed { state.store.acknowledged_at(viewer.user.node_id, &[d.id]).await?.remove(&d.id) } else { None };
    let people = d.versions.iter().map(|v| v.issued_by).chain(d.revoked.iter().map(|r| r.by)).chain([d.scope_id]);
    let names = Names::of(state, people).await?;
    let Some(shown_version) = d.version_on(today).or_else(|| d.current()) else {
        return Err(crate::error::ApiError::not_found(cordon_core::refusal::Record::Directive, &id).into());
    };
    let (coverage, lectures) = if oversees { reach(state, viewer, &d).await? } else { (Vec::new(), None) };
    let latest = d.current().map(|v| v.number);
    let versions = if oversees {
        d.versions.iter().rev().map(|v| version_view(t, &names, &zone, v, Some(v.number) == latest)).collect()
    } else {
        Vec::new()
    };
    let f = match (can_direct, shown.amend) {
        (false, _) => None,
        (true, Some((v, errors))) => Some(terms_form(state, t, &d.scope_path, ("amend", true), v, errors).await?),
        (true, None) => Some(terms_form(state, t, &d.scope_path, ("amend", true), amend_defaults(&d, today), FieldErrors::none()).await?),
    };
    let (revoke_v, revoke_errors) = shown.revoke.unwrap_or_else(|| (revoke_defaults(today), FieldErrors::none()));
    Ok(DirectivePage {
        t,
        c: viewer.chrome(),
        id: d.id.to_string(),
        title: format!("{}: {}", kind_label(t, shown_version.terms.measure.kind()), summary(t, &shown_version.terms.measure)),
        standing,
        standing_label: standing.label(t),
        past_review: d.past_review(today),
        scope: format!("{} ({})", names.get(d.scope_id), d.scope_path.code()),
        text: text_of(t, shown_version).to_owned(),
        period: period(t, shown_version),
        review_on: shown_version.terms.review_on.to_string(),
        revoked: d.revoked.as_ref().map(|r| {
            let by = format!("{} · {}", names.get(r.by), local_time(r.at, &zone));
            t.fill("directive_revoked_from", r.from) + &format!(" — {} ({by})", r.reason)
        }),
        oversees,
        can_direct,
        acknowledged: acknowledged.map(|at| local_time(at, &zone)),
        can_acknowledge: addressed
            && acknowledged.is_none()
            && matches!(standing, Standing::InForce | Standing::Upcoming)
            && d.versions.first().is_none_or(|v| v.issued_by != viewer.user.id),
        coverage,
        lectures,
        versions,
        flash: shown.flash,
        problems: shown.problems,
        f,
        revoke_v,
        revoke_errors,
    })
}

/// The amend form of `d`: its latest terms, to take effect on the first day
/// an amendment may (today, and after the latest version's start).
fn amend_defaults(d: &Directive, today: Date) -> FormData {
    let Some(current) = d.current() else { return FormData::default() };
    let from = today.max(current.terms.starts_on.tomorrow().unwrap_or(current.terms.starts_on));
    filled(&current.terms, from)
}

/// The revoke form: from today.
fn revoke_defaults(today: Date) -> FormData {
    let mut v = FormData::default();
    v.set("from", today.to_string());
    v
}

#[derive(Debug, Deserialize)]
pub(super) struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    users: Option<usize>,
}

/// The directive's page.
pub(super) async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Uuid>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let t = viewer.lang;
    let flash = match q.done.as_deref() {
        Some("issued") => Some(t.get("directive_flash_issued").to_owned()),
        Some("amended") => Some(t.get("directive_flash_amended").to_owned()),
        Some("revoked") => Some(t.get("directive_flash_revoked").to_owned()),
        Some("acknowledged") => Some(t.get("directive_flash_acknowledged").to_owned()),
        Some("reminded") => Some(t.fill("directive_flash_reminded", q.users.unwrap_or(0))),
        _ => None,
    };
    render(&view(&state, &viewer, id, Shown { flash, ..Shown::default() }).await?)
}

/// Sends the directive again to the units that have not acknowledged it.
pub(super) async fn remind(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>) -> WebResult<Response> {
    let mut errors = FieldErrors::none();
    match action::remind(&state, &viewer.user, id).await {
        Ok(users) => return Ok(see_other(&format!("/directives/{id}?done=reminded&users={users}"))),
        Err(e) => errors.absorb(e)?,
    }
    let problems = errors.other(&[]).iter().map(|n| viewer.lang.reason(n)).collect();
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &view(&state, &viewer, id, Shown { problems, ..Shown::default() }).await?)
}

/// Amends the directive: new terms from a day, for a reason.
pub(super) async fn amend(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, v: FormData) -> WebResult<Response> {
    let mut errors = FieldErrors::none();
    if v.opt("reason").is_none() {
        errors.key("reason", "reason_required");
    }
    if let (Some(terms), true) = (read_terms(&v, &mut errors), errors.is_empty()) {
        match action::amend(&state, &viewer.user, id, &Amendment::new(terms, v.get("reason"))).await {
            Ok(_) => return Ok(see_other(&format!("/directives/{id}?done=amended"))),
            Err(e) => absorb(&mut errors, e)?,
        }
    }
    let page = view(&state, &viewer, id, Shown { amend: Some((v, errors)), ..Shown::default() }).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// Revokes the directive from a day, for a reason.
pub(super) async fn revoke(State(state): State<AppState>, viewer: Viewer, Path(id): Path<Uuid>, v: FormData) -> WebResult<Response> {
    let mut errors = FieldErrors::none();
    let from = v.get("from").parse::<Date>().ok();
    if from.is_none() {
        errors.key("from", "reason_date");
    }
    if v.opt("reason").is_none() {
        errors.key("reason", "reason_required");
    }
    if let (Some(from), true) = (from, errors.is_empty()) {
        match action::revoke(&state, &viewer.user, id, from, v.get("reason")).await {
            Ok(_) => return Ok(see_other(&format!("/directives/{id}?done=revoked"))),
            Err(e) => errors.absorb(e)?,
        }
    }
    let page = view(&state, &viewer, id, Shown { revoke: Some((v, errors)), ..Shown::default() }).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
