//! The terms of a directive as a form: the inputs the issue and amend forms
//! share (the kind with one fieldset per kind, the days, the texts, the
//! evidence), read back into the core's [`Terms`], and the core's refusals,
//! named `terms.*`, put back next to the inputs they are about.
//!
//! One form serves every kind: the fields of the other kinds are sent too
//! and ignored here (the page script hides their fieldsets).

use cordon_core::directive::{Audience, Evidence, Measure, Setting, Terms, Texts};
use cordon_core::jurisdiction::FacilityKind;
use cordon_core::refusal::Reason;
use cordon_store::alerts::AlertFilter;
use jiff::civil::Date;
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;
use crate::web::widgets::directive_text::{KINDS, audience_label, kind_label, setting_label};
use crate::web::widgets::quarantine::all_facilities;
use crate::web::widgets::{choice, name_of};
use crate::web::{FieldErrors, FormData, Lang, Notes};

/// The inputs of the issue and amend forms: shown next to their errors, the
/// others at the top of the form.
pub const FIELDS: [&str; 24] = [
    "scope_code",
    "kind",
    "max_people",
    "setting",
    "masks",
    "hand_washing",
    "distance_m",
    "between",
    "topic",
    "audience",
    "by",
    "coverage_target",
    "point_of_entry_code",
    "border_open",
    "starts_on",
    "ends_on",
    "review_on",
    "text_en",
    "text_ko",
    "evidence_note",
    "figures_abroad",
    "alert_ids",
    "alert_level_ids",
    "reason",
];

/// The input a field of the core's refusals is about: `terms.measure.max_people`
/// → `max_people`, `terms.text.en` → `text_en`, the measure itself → `kind`.
#[must_use]
pub fn input_for(field: &str) -> String {
    let f = field.strip_prefix("terms.").unwrap_or(field);
    if f == "measure" {
        return "kind".into();
    }
    f.strip_prefix("measure.").unwrap_or(f).replace('.', "_")
}

/// Puts a refusal of the issue or amend action next to the inputs it is
/// about; `Err` when it is not about the input (the database failed, ...).
pub fn absorb(errors: &mut FieldErrors, error: ApiError) -> Result<(), ApiError> {
    match error {
        ApiError::Invalid(invalid) => {
            for e in invalid.errors {
                errors.add(input_for(&e.field), e.reason);
            }
            Ok(())
        }
        other => errors.absorb(other),
    }
}

/// One option of a select or a checkbox list: value, label, chosen.
pub type Choice = (String, String, bool);

/// The terms part of a form, with what was typed and the problems found.
pub struct TermsForm {
    /// The language of the labels and errors.
    pub t: Lang,
    /// Prefix of the inputs' ids (`issue`, `amend`).
    pub prefix: &'static str,
    /// What the form holds.
    pub v: FormData,
    /// The problems, by input.
    pub errors: FieldErrors,
    /// The kind chosen.
    pub kind: String,
    /// Whether the kind is fixed (an amendment keeps it): only its fieldset is shown.
    pub fixed_kind: bool,
    /// The kinds to choose from.
    pub kinds: Vec<Choice>,
    /// Indoors, outdoors, both.
    pub settings: Vec<Choice>,
    /// Who lectures are for.
    pub audiences: Vec<Choice>,
    /// The points of entry in the officer's area.
    pub points_of_entry: Vec<Choice>,
    /// Alerts of the area that may be cited.
    pub alerts: Vec<Choice>,
    /// Alert levels of the area that may be cited.
    pub alert_levels: Vec<Choice>,
}

impl TermsForm {
    /// The id of an input.
    #[must_use]
    pub fn id(&self, name: &str) -> String {
        format!("{}-{name}", self.prefix)
    }

    /// What the input holds.
    #[must_use]
    pub fn value(&self, name: &str) -> &str {
        self.v.get(name)
    }

    /// Whether the checkbox or radio `name` holds `value`.
    #[must_use]
    pub fn holds(&self, name: &str, value: &str) -> bool {
        self.v.has(name, value)
    }

    /// The problems with an input, in words.
    #[must_use]
    pub fn error(&self, name: &str) -> Option<String> {
        self.errors.get(name).map(|notes| self.t.reason(&notes))
    }

    /// The attributes that mark an input as wrong and point to its error.
    #[must_use]
    pub fn aria(&self, name: &str) -> String {
        if self.errors.get(name).is_some() {
            format!(r#" aria-invalid="true" aria-describedby="{}-error""#, self.id(name))
        } else {
            String::new()
        }
    }

    /// Whether the fieldset of `kind` is shown.
    #[must_use]
    pub fn shows(&self, kind: &str) -> bool {
        !self.fixed_kind || self.kind == kind
    }

    /// The kind's name.
    #[must_use]
    pub fn kind_label(&self) -> &'static str {
        kind_label(self.t, &self.kind)
    }

    /// The problems not next to an input, in words.
    #[must_use]
    pub fn other(&self) -> Vec<String> {
        self.errors.other(&FIELDS).iter().map(|n: &Notes| self.t.reason(n)).collect()
    }
}

/// The options of a `snake_case` enum.
fn choices<T: serde::Serialize + Copy>(all: &[T], chosen: &str, label: impl Fn(T) -> &'static str) -> Vec<Choice> {
    all.iter().map(|x| (name_of(x), label(*x).to_owned(), name_of(x) == chosen)).collect()
}

/// The terms form for an officer working at `area`, holding `v`.
pub async fn terms_form(
    state: &AppState,
    t: Lang,
    area: &cordon_core::jurisdiction::NodePath,
    (prefix, fixed_kind): (&'static str, bool),
    v: FormData,
    errors: FieldErrors,
) -> crate::web::WebResult<TermsForm> {
    let kind = v.get("kind").to_owned();
    let points_of_entry = all_facilities(state)
        .await?
        .into_iter()
        .filter(|f| f.kind == FacilityKind::PointOfEntry && area.contains(&f.node_path))
        .map(|f| (f.code.clone(), format!("{} ({})", f.name, f.code), v.get("point_of_entry_code") == f.code))
        .collect();
    let filter = AlertFilter { status: None, syndrome: None, since: None };
    let alerts = state
        .store
        .alerts_under(area, &filter, 40)
        .await?
        .into_iter()
        .filter(|a| a.status != cordon_core::alert::AlertStatus::Discarded)
        .take(20)
        .map(|a| {
            let label = format!("{} · {} · {} · {}", t.syndrome(a.syndrome), a.node_path.code(), a.period_end, t.alert_status(a.status));
            let id = a.id.to_string();
            let chosen = v.has("alert_ids", &id);
            (id, label, chosen)
        })
        .collect();
    let alert_levels = state
        .store
        .alert_levels_under(area)
        .await?
        .into_iter()
        .filter(|l| l.level > 0)
        .take(20)
        .map(|l| {
            let id = l.id.to_string();
            let chosen = v.has("alert_level_ids", &id);
            (id, t.fill("directive_evidence_level", l.level) + &format!(" · {}", l.node_path.code()), chosen)
        })
        .collect();
    Ok(TermsForm {
        t,
        prefix,
        fixed_kind,
        kinds: KINDS.iter().map(|k| ((*k).to_owned(), kind_label(t, k).to_owned(), *k == kind)).collect(),
        settings: choices(&[Setting::Any, Setting::Indoor, Setting::Outdoor], v.get("setting"), |s| setting_label(t, s)),
        audiences: choices(&[Audience::Residents, Audience::HealthWorkers, Audience::Everyone], v.get("audience"), |a| {
            audience_label(t, a)
        }),
        points_of_entry,
        alerts,
        alert_levels,
        kind,
        v,
        errors,
    })
}

/// A blank issue form: a new id, a gathering limit for `scope` from today,
/// to be looked at again in a week.
#[must_use]
pub fn blank(today: Date, scope: &str) -> FormData {
    let week = today.checked_add(jiff::Span::new().days(7)).unwrap_or(today);
    let pairs = [
        ("id", Uuid::new_v4().to_string()),
        ("scope_code", scope.to_owned()),
        ("kind", "gathering_limit".into()),
        ("setting", "any".into()),
        ("audience", "residents".into()),
        ("border_open", "closed".into()),
        ("coverage_target", "80".into()),
        ("starts_on", today.to_string()),
        ("review_on", week.to_string()),
    ];
    form_of(pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())))
}

/// A form holding these name/value pairs.
fn form_of(pairs: impl IntoIterator<Item = (String, String)>) -> FormData {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        out.append_pair(&k, &v);
    }
    FormData::parse(out.finish().as_bytes())
}

/// The amend form pre-filled with `terms`, to take effect on `from`.
#[must_use]
pub fn filled(terms: &Terms, from: Date) -> FormData {
    let mut pairs: Vec<(String, String)> = vec![("kind".into(), terms.measure.kind().into())];
    let mut put = |k: &str, v: String| pairs.push((k.to_owned(), v));
    match &terms.measure {
        Measure::GatheringLimit { max_people, setting } => {
            put("max_people", max_people.to_string());
            put("setting", name_of(setting));
        }
        Measure::Hygiene { masks, hand_washing, distance_m } => {
            for (name, on) in [("masks", masks), ("hand_washing", hand_washing)] {
                if *on {
                    put(name, "on".into());
                }
            }
            put("distance_m", distance_m.map(|d| d.to_string()).unwrap_or_default());
        }
        Measure::MovementRestriction { between } => put("between", between.join(", ")),
        Measure::LectureOrder { topic, audience, by, coverage_target } => {
            put("topic", topic.clone());
            put("audience", name_of(audience));
            put("by", by.max(&from).to_string());
            put("coverage_target", crate::web::widgets::directive_text::percent(*coverage_target).to_string());
        }
        Measure::Border { point_of_entry_code, open } => {
            put("point_of_entry_code", point_of_entry_code.clone());
            put("border_open", if *open { "open" } else { "closed" }.into());
        }
        Measure::FreeText => {}
    }
    put("starts_on", from.to_string());
    put("ends_on", terms.ends_on.map(|d| d.max(from).to_string()).unwrap_or_default());
    put("review_on", terms.review_on.max(from).to_string());
    put("text_en", terms.text.en.clone());
    put("text_ko", terms.text.ko.clone());
    put("evidence_note", terms.evidence.note.clone().unwrap_or_default());
    put("figures_abroad", terms.evidence.figures_abroad.join("\n"));
    for id in &terms.evidence.alert_ids {
        put("alert_ids", id.to_string());
    }
    for id in &terms.evidence.alert_level_ids {
        put("alert_level_ids", id.to_string());
    }
    form_of(pairs)
}

/// A day typed in `name`; a problem when it is not one.
fn day(v: &FormData, name: &str, errors: &mut FieldErrors) -> Option<Date> {
    let day = v.get(name).parse::<Date>().ok();
    if day.is_none() {
        errors.key(name.to_owned(), "reason_date");
    }
    day
}

/// A decimal typed in `name` ("1.5" or "1,5"), `Ok(None)` when blank.
fn decimal(v: &FormData, name: &str, errors: &mut FieldErrors) -> Result<Option<f64>, ()> {
    let Some(text) = v.opt(name) else { return Ok(None) };
    match text.replace(',', ".").parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Some(x)),
        _ => {
            errors.key(name.to_owned(), "reason_number");
            Err(())
        }
    }
}

/// The ids ticked in `name`; a problem for any that is not an id.
fn ids(v: &FormData, name: &str, errors: &mut FieldErrors) -> Vec<Uuid> {
    let mut out = Vec::new();
    for value in v.all(name) {
        match value.trim().parse::<Uuid>() {
            Ok(id) => out.push(id),
            Err(_) => errors.add(name.to_owned(), Reason::NotUuid { value: value.chars().take(60).collect() }),
        }
    }
    out
}

/// The measure of the kind chosen, from its fieldset (the others ignored).
fn measure(v: &FormData, errors: &mut FieldErrors) -> Option<Measure> {
    let mut chosen = |name: &str| {
        let c = v.get(name).to_owned();
        if c.is_empty() {
            errors.key(name.to_owned(), "reason_choose");
        }
        c
    };
    match v.get("kind") {
        "gathering_limit" => {
            let setting = choice::<Setting>(&chosen("setting"));
            let max_people = v.get("max_people").parse::<u32>().ok();
            if max_people.is_none() {
                errors.key("max_people", "reason_whole_number");
            }
            Some(Measure::GatheringLimit { max_people: max_people?, setting: setting? })
        }
        "hygiene" => {
            let distance_m = decimal(v, "distance_m", errors).ok()?;
            Some(Measure::Hygiene { masks: v.ticked("masks"), hand_washing: v.ticked("hand_washing"), distance_m })
        }
        "movement_restriction" => {
            let between = v.get("between").split([',', ';', ' ', '\n', '\r', '\t']).filter(|c| !c.is_empty()).map(str::to_owned).collect();
            Some(Measure::MovementRestriction { between })
        }
        "lecture_order" => {
            let audience = choice::<Audience>(&chosen("audience"));
            let by = day(v, "by", errors);
            let share = match decimal(v, "coverage_target", errors) {
                Ok(Some(p)) if (0.0..=100.0).contains(&p) => Some(p / 100.0),
                Ok(_) => {
                    errors.key("coverage_target", "directive_reason_percent");
                    None
                }
                Err(()) => None,
            };
            Some(Measure::LectureOrder { topic: v.get("topic").to_owned(), audience: audience?, by: by?, coverage_target: share? })
        }
        "border" => {
            let open = match v.get("border_open") {
                "open" => Some(true),
                "closed" => Some(false),
                _ => None,
            };
            if open.is_none() {
                errors.key("border_open", "reason_choose");
            }
            Some(Measure::Border { point_of_entry_code: v.get("point_of_entry_code").to_owned(), open: open? })
        }
        "free_text" => Some(Measure::FreeText),
        _ => {
            errors.key("kind", "reason_choose");
            None
        }
    }
}

/// The terms the form holds, or `None` with the problems the page itself
/// finds (a number or a day that is not one, a choice not made); the core
/// checks the rest when the action is called.
pub fn read_terms(v: &FormData, errors: &mut FieldErrors) -> Option<Terms> {
    let measure = measure(v, errors);
    let starts_on = day(v, "starts_on", errors);
    let ends_on = if v.opt("ends_on").is_some() { Some(day(v, "ends_on", errors)) } else { None };
    let review_on = day(v, "review_on", errors);
    let evidence = Evidence {
        alert_ids: ids(v, "alert_ids", errors),
        alert_level_ids: ids(v, "alert_level_ids", errors),
        figures_abroad: v.get("figures_abroad").lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect(),
        note: v.opt("evidence_note").map(str::to_owned),
    };
    let ends_on = match ends_on {
        Some(None) => return None,
        Some(Some(day)) => Some(day),
        None => None,
    };
    Some(Terms {
        measure: measure?,
        starts_on: starts_on?,
        ends_on,
        review_on: review_on?,
        text: Texts { en: v.get("text_en").to_owned(), ko: v.get("text_ko").to_owned() },
        evidence,
    })
    .filter(|_| errors.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cores_fields_land_on_the_forms_inputs() {
        assert_eq!(input_for("terms.measure.max_people"), "max_people");
        assert_eq!(input_for("terms.text.ko"), "text_ko");
        assert_eq!(input_for("terms.evidence.note"), "evidence_note");
        assert_eq!(input_for("terms.measure"), "kind");
        assert_eq!(input_for("terms.measure.kind"), "kind");
        assert_eq!(input_for("terms.review_on"), "review_on");
        assert_eq!(input_for("scope_code"), "scope_code");
        for field in FIELDS {
            assert_eq!(input_for(field), field, "an input's own name stays");
        }
    }

    #[test]
    fn a_form_reads_back_into_the_terms_it_was_filled_with() {
        let today: Date = "2026-11-23".parse().unwrap();
        let terms = Terms {
            measure: Measure::LectureOrder {
                topic: "masks".into(),
                audience: Audience::Residents,
                by: "2026-11-30".parse().unwrap(),
                coverage_target: 0.75,
            },
            starts_on: today,
            ends_on: None,
            review_on: "2026-11-27".parse().unwrap(),
            text: Texts { en: "Hold lectures".into(), ko: "강연을 여세요".into() },
            evidence: Evidence { figures_abroad: vec!["Japan 120/100k".into()], note: Some("cluster".into()), ..Evidence::default() },
        };
        let mut errors = FieldErrors::none();
        assert_eq!(read_terms(&filled(&terms, today), &mut errors), Some(terms));
        assert!(errors.is_empty());
    }

    #[test]
    fn what_the_page_cannot_read_is_said_at_its_input() {
        let v = FormData::parse(b"kind=gathering_limit&max_people=ten&setting=any&starts_on=soon&review_on=2026-11-30");
        let mut errors = FieldErrors::none();
        assert_eq!(read_terms(&v, &mut errors), None);
        assert!(errors.get("max_people").is_some() && errors.get("starts_on").is_some());
        assert!(errors.get("review_on").is_none());
    }
}
