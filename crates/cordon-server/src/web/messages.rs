//! The message catalogue: every text the pages show, in English and Korean.
//!
//! A page asks its [`Lang`] for a key (`t.get("nav_board")`), found in one
//! of the catalogue's tables (`messages_table.rs`, and one per page group
//! that has many, such as `messages/directives_table.rs`); texts with a
//! value to fill in hold `{}` (`t.fill("queue_waiting", 3)`). The language
//! comes from the `cordon_lang` cookie (set by the switch on every page), else
//! from `Accept-Language`, else English. Refusals are translated from their
//! code and parameters ([`Lang::refusal`]; the Korean of refusals is kept
//! apart, in the `reasons` submodule).

use axum::http::{HeaderMap, header};
use axum_extra::extract::cookie::CookieJar;
use cordon_core::alert::AlertStatus;
use cordon_core::case::{CaseStatus, Outcome};
use cordon_core::daily::Timeliness;
use cordon_core::detection::{DetectionMethod, Syndrome};
use cordon_core::escalation::EscalationKind;
use cordon_core::figure::Language;
use cordon_core::person::Sex;
use cordon_core::report::{ReportStatus, Symptom};
use cordon_core::task::{TaskKind, TaskStatus};
use cordon_core::user::Role;

mod reasons;

use super::form::{Notes, Shown};
use cordon_core::refusal::Reason;

/// Name of the language cookie.
pub const LANG_COOKIE: &str = "cordon_lang";

/// A language pages can be shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Korean.
    Ko,
}

impl Lang {
    /// Every language, in the order the switch shows them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ko];

    /// The language's code (`en`, `ko`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// The language's own name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ko => "한국어",
        }
    }

    /// Parses a code such as `ko` or `ko-KR`.
    #[must_use]
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "ko" => Some(Lang::Ko),
            _ => None,
        }
    }

    /// The language of a request: the cookie, else the first known language
    /// of `Accept-Language` (by quality), else English.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        if let Some(lang) = CookieJar::from_headers(headers).get(LANG_COOKIE).and_then(|c| Lang::parse(c.value())) {
            return lang;
        }
        let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let mut ranked: Vec<(f32, Lang)> = accept
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let lang = Lang::parse(pieces.next()?)?;
                let q = pieces.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
                Some((q, lang))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map(|(_, l)| *l).unwrap_or_default()
    }

    /// The text for `key`; the key itself when the catalogue lacks it (a
    /// unit test makes sure every key the templates use exists).
    pub fn get(&self, key: &str) -> &'static str {
        let found = TABLES.iter().find_map(|table| table.binary_search_by(|(k, _, _)| (*k).cmp(key)).ok().map(|i| table[i]));
        let Some((_, en, ko)) = found else {
            tracing::warn!(key, "message missing from the catalogue");
            return "?";
        };
        match self {
            Lang::En => en,
            Lang::Ko => ko,
        }
    }

    /// The text for `key` with `{}` replaced by `value`.
    pub fn fill(&self, key: &str, value: impl std::fmt::Display) -> String {
        self.get(key).replacen("{}", &value.to_string(), 1)
    }

    /// A refusal in this language, from its code and parameters.
    #[must_use]
    pub fn refusal(&self, reason: &Reason) -> String {
        match self {
            Lang::En => reason.to_string(),
            Lang::Ko => reasons::korean(reason),
        }
    }

    /// The problems shown at one place of a form, in this language: each
    /// refusal and page message translated, a part of the field named before
    /// its problem (`rule.count: ...`), several joined by `; `.
    pub fn reason(&self, notes: &impl std::borrow::Borrow<Notes>) -> String {
        let said: Vec<String> = notes
            .borrow()
            .0
            .iter()
            .map(|note| {
                let text = match &note.shown {
                    Shown::Refusal(reason) => self.refusal(reason),
                    Shown::Key(key) => self.get(key).to_owned(),
                    Shown::Text(text) => text.clone(),
                };
                match &note.part {
                    Some(part) => format!("{part}: {text}"),
                    None => text,
                }
            })
            .collect();
        said.join("; ")
    }

    /// The language figure labels are written in.
    #[must_use]
    pub fn language(self) -> Language {
        match self {
            Lang::En => Language::English,
            Lang::Ko => Language::Korean,
        }
    }

    /// An alert status.
    #[must_use]
    pub fn alert_status(&self, s: AlertStatus) -> &'static str {
        self.get(match s {
            AlertStatus::New => "alert_status_new",
            AlertStatus::UnderReview => "alert_status_under_review",
            AlertStatus::Verified => "alert_status_verified",
            AlertStatus::Discarded => "alert_status_discarded",
        })
    }

    /// A syndrome counted by outbreak detection.
    #[must_use]
    pub fn syndrome(&self, s: Syndrome) -> &'static str {
        self.get(match s {
            Syndrome::Fever => "alert_syndrome_fever",
            Syndrome::Respiratory => "alert_syndrome_respiratory",
            Syndrome::Gastrointestinal => "alert_syndrome_gastrointestinal",
            Syndrome::SuspectedCase => "alert_syndrome_suspected_case",
        })
    }

    /// An outbreak detection method.
    #[must_use]
    pub fn detection_method(&self, m: DetectionMethod) -> &'static str {
        self.get(match m {
            DetectionMethod::EarsC1 => "alert_method_ears_c1",
            DetectionMethod::EarsC2 => "alert_method_ears_c2",
            DetectionMethod::EarsC3 => "alert_method_ears_c3",
            DetectionMethod::FarringtonFlexible => "alert_method_farrington_flexible",
        })
    }

    /// A role's name.
    #[must_use]
    pub fn role(&self, role: Role) -> &'static str {
        self.get(match role {
            Role::Reporter => "role_reporter",
            Role::HealthWorker => "role_health_worker",
            Role::BorderOfficer => "role_border_officer",
            Role::CommandOfficer => "role_command_officer",
            Role::Administrator => "role_administrator",
        })
    }

    /// A symptom's name.
    #[must_use]
    pub fn symptom(&self, s: Symptom) -> &'static str {
        self.get(match s {
            Symptom::Fever => "symptom_fever",
            Symptom::Cough => "symptom_cough",
            Symptom::SoreThroat => "symptom_sore_throat",
            Symptom::RunnyNose => "symptom_runny_nose",
            Symptom::ShortnessOfBreath => "symptom_shortness_of_breath",
            Symptom::LossOfTasteOrSmell => "symptom_loss_of_taste_or_smell",
            Symptom::Diarrhoea => "symptom_diarrhoea",
            Symptom::Vomiting => "symptom_vomiting",
            Symptom::Headache => "symptom_headache",
            Symptom::MusclePain => "symptom_muscle_pain",
            Symptom::Fatigue => "symptom_fatigue",
            Symptom::Rash => "symptom_rash",
        })
    }

    /// Where a report stands.
    #[must_use]
    pub fn report_status(&self, s: ReportStatus) -> &'static str {
        self.get(match s {
            ReportStatus::Received => "report_status_received",
            ReportStatus::CaseOpened => "report_status_case_opened",
            ReportStatus::WorkerOnTheWay => "report_status_worker_on_the_way",
            ReportStatus::Closed => "report_status_closed",
        })
    }

    /// A case classification.
    #[must_use]
    pub fn case_status(&self, s: CaseStatus) -> &'static str {
        self.get(match s {
            CaseStatus::Suspected => "case_suspected",
            CaseStatus::Probable => "case_probable",
            CaseStatus::Confirmed => "case_confirmed",
            CaseStatus::Discarded => "case_discarded",
        })
    }

    /// A case outcome.
    #[must_use]
    pub fn outcome(&self, o: Outcome) -> &'static str {
        self.get(match o {
            Outcome::Recovered => "outcome_recovered",
            Outcome::Died => "outcome_died",
        })
    }

    /// A task status.
    #[must_use]
    pub fn task_status(&self, s: TaskStatus) -> &'static str {
        self.get(match s {
            TaskStatus::Assigned => "task_assigned",
            TaskStatus::Acknowledged => "task_acknowledged",
            TaskStatus::Done => "task_done",
            TaskStatus::Overdue => "task_overdue",
            TaskStatus::Escalated => "task_escalated",
        })
    }

    /// A task kind.
    #[must_use]
    pub fn task_kind(&self, k: TaskKind) -> &'static str {
        self.get(match k {
            TaskKind::Investigation => "task_kind_investigation",
            TaskKind::FollowUp => "task_kind_follow_up",
        })
    }

    /// Why something was escalated.
    #[must_use]
    pub fn escalation_kind(&self, k: EscalationKind) -> &'static str {
        self.get(match k {
            EscalationKind::TaskOverdue => "escalation_task_overdue",
            EscalationKind::NobodyOnCall => "escalation_nobody_on_call",
            EscalationKind::UnitSilent => "escalation_unit_silent",
            EscalationKind::DirectiveUnacknowledged => "escalation_directive_unacknowledged",
        })
    }

    /// A unit's daily-report standing.
    #[must_use]
    pub fn timeliness(&self, t: Timeliness) -> &'static str {
        self.get(match t {
            Timeliness::OnTime => "daily_on_time",
            Timeliness::Late => "daily_late",
            Timeliness::Pending => "daily_pending",
            Timeliness::Silent => "daily_silent",
        })
    }

    /// A sex.
    #[must_use]
    pub fn sex(&self, s: Sex) -> &'static str {
        self.get(match s {
            Sex::Female => "sex_female",
            Sex::Male => "sex_male",
            Sex::Other => "sex_other",
        })
    }
}

/// Every message: key, English, Korean; one table per area, each sorted by key.
const TABLES: [&[(&str, &str, &str)]; 7] = [
    &include!("messages_table.rs"),
    &include!("messages/directives_table.rs"),
    &include!("messages/summaries_table.rs"),
    &include!("messages/abroad_table.rs"),
    &include!("messages/exports_table.rs"),
    &include!("messages/account_table.rs"),
    &include!("messages/audit_table.rs"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_sorted_and_complete() {
        for table in TABLES {
            for pair in table.windows(2) {
                assert!(pair[0].0 < pair[1].0, "keys out of order or repeated: {} / {}", pair[0].0, pair[1].0);
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (key, en, ko) in TABLES.iter().flat_map(|t| t.iter()) {
            assert!(seen.insert(*key), "{key} is in two tables");
            assert!(!en.is_empty() && !ko.is_empty(), "{key} lacks a text");
            assert_eq!(en.matches("{}").count(), ko.matches("{}").count(), "{key}: placeholders differ");
        }
    }

    #[test]
    fn every_key_a_template_or_module_uses_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = Vec::new();
        for dir in ["templates", "src/web"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    for inner in std::fs::read_dir(&path).unwrap() {
                        sources.push(inner.unwrap().path());
                    }
                } else {
                    sources.push(path);
                }
            }
        }
        let keys: std::collections::HashSet<&str> = TABLES.iter().flat_map(|t| t.iter()).map(|(k, _, _)| *k).collect();
        let texts: Vec<(&std::path::PathBuf, String)> = sources
            .iter()
            .filter(|p| p.file_name().is_some_and(|n| !n.to_string_lossy().ends_with("_table.rs")))
            .map(|p| (p, std::fs::read_to_string(p).unwrap()))
            .collect();
        // The names of the templates' inputs are form fields: `v.get("note")`
        // reads one. A form macro's input is named by the first quoted
        // argument of its call (`{% call f::input(t, errors, v, "note", ...) %}`).
        let html = || texts.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "html"));
        let fields: std::collections::HashSet<&str> = html()
            .flat_map(|(_, text)| text.split("name=\"").skip(1).filter_map(|piece| piece.split('"').next()))
            .chain(
                html().flat_map(|(_, text)| text.split("{% call ").skip(1).filter_map(|call| call.split("%}").next()?.split('"').nth(1))),
            )
            .collect();
        let mut missing = Vec::new();
        for (path, text) in &texts {
            for call in ["get(\"", "fill(\""] {
                for piece in text.split(call).skip(1) {
                    let key = piece.split('"').next().unwrap_or("");
                    let looks_like_key = !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit());
                    if looks_like_key && !keys.contains(key) && !fields.contains(key) && !NOT_MESSAGES.contains(&key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys missing from the catalogue: {missing:#?}");
    }

    /// Arguments of `get("...")` calls that are neither messages nor the
    /// name of an input in a template: form fields whose inputs the
    /// templates name in a loop (settings, arrivals), and `GeoJSON`'s.
    const NOT_MESSAGES: &[&str] = &["time_zone", "facility_code", "travel_document", "origin_country", "coordinates", "type"];

    #[test]
    fn the_language_follows_the_cookie_then_accept_language() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, "fr;q=0.9, ko-KR;q=0.8, en;q=0.5".parse().unwrap());
        assert_eq!(Lang::from_headers(&h), Lang::Ko);
        h.insert(header::COOKIE, "cordon_lang=en".parse().unwrap());
        assert_eq!(Lang::from_headers(&h), Lang::En);
        assert_eq!(Lang::from_headers(&HeaderMap::new()), Lang::En);
    }
}
