//! What residents say: rumours and community feedback logged by unit heads
//! and workers, counted by area, category and week, and answered with a
//! counter-message.

use jiff::Timestamp;
use jiff::civil::{Date, ISOWeekDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::directive::Texts;
use crate::jurisdiction::{Node, NodePath};
use crate::policy::{self, Action, Denied, NodeRefused};
use crate::refusal::{Reason, Unit};
use crate::user::User;
use crate::validation::{Invalid, Problems};

/// What kind of thing was said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// "It is just a cold."
    Harmless,
    /// "We eat garlic, so we don't get infected."
    FalseRemedy,
    /// Distrust of the measures or of those who order them.
    Distrust,
    /// Fear.
    Fear,
    /// Anything else.
    Other,
}

impl Category {
    /// Every category, in the order the pages list them.
    pub const ALL: [Category; 5] = [Category::Harmless, Category::FalseRemedy, Category::Distrust, Category::Fear, Category::Other];
}

/// A rumour as logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RumourInput {
    /// Client identifier; sending it again is safe.
    pub id: Uuid,
    /// The unit where it was heard.
    pub unit_code: String,
    /// What was said, in the words heard.
    #[schema(max_length = 1000)]
    pub text: String,
    /// What kind of thing it is.
    pub category: Category,
    /// The day it was heard.
    pub heard_on: Date,
    /// How many people said it.
    pub people: u32,
}

impl RumourInput {
    /// Checks the fields: text, a day within the last 30 days and not after
    /// today, and at least one person.
    pub fn check(&self, today: Date) -> Result<String, Invalid> {
        let mut p = Problems::default();
        let text = p.text("text", &self.text, 1000);
        if self.heard_on > today {
            p.add("heard_on", Reason::AfterToday { today });
        } else if (today - self.heard_on).get_days() > 30 {
            p.add("heard_on", Reason::TooOld { days: 30 });
        }
        if !(1..=100_000).contains(&self.people) {
            p.add("people", Reason::Between { min: 1.0, max: 100_000.0, unit: Unit::Number });
        }
        p.finish(text)
    }
}

/// The ISO week a day falls in, as its Monday: the key rumours are counted by.
#[must_use]
pub fn week_of(day: Date) -> Date {
    let week = ISOWeekDate::from(day);
    week.first_of_week().map_or(day, Date::from)
}

/// A logged rumour, with the command's counter-message once attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Rumour {
    /// Identifier.
    pub id: Uuid,
    /// The unit where it was heard.
    pub unit_id: Uuid,
    /// That unit's path.
    pub unit_path: NodePath,
    /// What was said.
    pub text: String,
    /// Its category.
    pub category: Category,
    /// The day it was heard.
    pub heard_on: Date,
    /// The Monday of that week.
    pub week: Date,
    /// How many people said it.
    pub people: u32,
    /// Who logged it.
    pub logged_by: Uuid,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub logged_at: Timestamp,
    /// The command's answer, in each language.
    pub answer: Option<Texts>,
}

/// Decides on logging a rumour: the unit named must be one `user` records
/// for, and the fields must hold.
pub fn decide(user: &User, unit: Option<&Node>, input: &RumourInput, today: Date, now: Timestamp) -> Result<Rumour, NodeRefused> {
    let unit = policy::named_node(user, Action::RecordCommunity, ("unit_code", &input.unit_code), unit)?;
    let text = input.check(today)?;
    Ok(Rumour {
        id: input.id,
        unit_id: unit.id,
        unit_path: unit.path.clone(),
        text,
        category: input.category,
        heard_on: input.heard_on,
        week: week_of(input.heard_on),
        people: input.people,
        logged_by: user.id,
        logged_at: now,
        answer: None,
    })
}

/// Decides on the command's counter-message to a rumour: a command officer
/// over the rumour's unit, with the text in each language.
pub fn answer(officer: &User, rumour: &Rumour, texts: &Texts) -> Result<Rumour, AnswerRefused> {
    policy::authorise(officer, Action::IssueDirectives, &rumour.unit_path)?;
    let mut p = Problems::default();
    let en = p.text("en", &texts.en, 2000);
    let ko = p.text("ko", &texts.ko, 2000);
    p.finish(Rumour { answer: Some(Texts { en, ko }), ..rumour.clone() }).map_err(AnswerRefused::from)
}

/// Why a counter-message is not attached.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnswerRefused {
    /// A text is missing or too long.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The officer does not direct that area.
    #[error(transparent)]
    Denied(#[from] Denied),
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_rumour_is_heard_recently_by_someone() {
        let today = date(2026, 12, 7);
        let input = RumourInput {
            id: Uuid::nil(),
            unit_code: "U1".into(),
            text: "We eat garlic, so we don't get infected".into(),
            category: Category::FalseRemedy,
            heard_on: date(2026, 12, 8),
            people: 0,
        };
        let fields: Vec<String> = input.check(today).unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["heard_on", "people"]);
        let good = RumourInput { heard_on: today, people: 4, ..input };
        assert_eq!(good.check(today).unwrap(), "We eat garlic, so we don't get infected");
    }

    #[test]
    fn rumours_are_counted_by_the_monday_of_their_week() {
        assert_eq!(week_of(date(2026, 12, 7)), date(2026, 12, 7));
        assert_eq!(week_of(date(2026, 12, 13)), date(2026, 12, 7));
        assert_eq!(week_of(date(2027, 1, 1)), date(2026, 12, 28));
    }
}
