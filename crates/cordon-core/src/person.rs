//! Residents: the people reports, cases and orders are about.
//!
//! A field worker must find a person again, so a new person that looks like an
//! existing one (same name, birth year and unit) is flagged as a probable
//! duplicate and the existing record is offered instead.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::jurisdiction::{Node, NodePath};
use crate::policy::{self, Action, NodeRefused};
use crate::refusal::{Reason, Unit};
use crate::user::User;
use crate::validation::{Invalid, Problems};

/// Sex as recorded by the field worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Other or not stated.
    Other,
}

impl Sex {
    /// Stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::Other => "other",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Sex::Female, Sex::Male, Sex::Other].into_iter().find(|x| x.as_str() == s)
    }
}

/// A resident known to cordon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    /// Stable identifier.
    pub id: Uuid,
    /// Full name as written locally.
    pub full_name: String,
    /// Sex.
    pub sex: Sex,
    /// Year of birth.
    pub birth_year: i32,
    /// The unit the person lives in.
    pub unit_id: Uuid,
    /// That unit's path.
    pub unit_path: NodePath,
    /// Phone number.
    pub phone: Option<String>,
    /// Address within the unit (house, flat).
    pub address: Option<String>,
    /// National identity or travel document number.
    pub document_number: Option<String>,
}

/// A resident to be registered, as submitted.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// Full name.
    #[schema(max_length = 200)]
    pub full_name: String,
    /// Sex.
    pub sex: Sex,
    /// Year of birth.
    pub birth_year: i32,
    /// Code of the unit the person lives in.
    pub unit_code: String,
    /// Phone number.
    #[serde(default)]
    #[schema(max_length = 40)]
    pub phone: Option<String>,
    /// Address within the unit.
    #[serde(default)]
    #[schema(max_length = 300)]
    pub address: Option<String>,
    /// National identity or travel document number.
    #[serde(default)]
    #[schema(max_length = 64)]
    pub document_number: Option<String>,
    /// Register even though a probable duplicate exists.
    #[serde(default)]
    pub confirm_new: bool,
}

/// A validated person ready to store (the unit is resolved by the caller).
#[derive(Debug, Clone, PartialEq)]
pub struct PersonDraft {
    /// Full name, trimmed.
    pub full_name: String,
    /// Sex.
    pub sex: Sex,
    /// Year of birth.
    pub birth_year: i32,
    /// Phone.
    pub phone: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Document number.
    pub document_number: Option<String>,
}

impl PersonInput {
    /// Validates the input against the current year.
    pub fn parse(&self, current_year: i32) -> Result<PersonDraft, Invalid> {
        let mut p = Problems::default();
        let full_name = p.text("full_name", &self.full_name, 200);
        if self.birth_year < 1900 || self.birth_year > current_year {
            p.add("birth_year", Reason::Between { min: 1900.0, max: f64::from(current_year), unit: Unit::Number });
        }
        let phone = p.optional_text("phone", self.phone.as_deref(), 40);
        let address = p.optional_text("address", self.address.as_deref(), 300);
        let document_number = p.optional_text("document_number", self.document_number.as_deref(), 64);
        p.finish(PersonDraft { full_name, sex: self.sex, birth_year: self.birth_year, phone, address, document_number })
    }
}

/// The key under which probable duplicates are found: the name folded to
/// lower case with white space and punctuation removed ("Ha-eun" = "ha eun").
pub fn name_key(full_name: &str) -> String {
    full_name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Whether `draft` in `unit_id` is probably the same resident as `existing`:
/// same folded name, same birth year, same unit.
#[must_use]
pub fn is_probable_duplicate(draft: &PersonDraft, unit_id: Uuid, existing: &Person) -> bool {
    existing.unit_id == unit_id && existing.birth_year == draft.birth_year && name_key(&existing.full_name) == name_key(&draft.full_name)
}

/// Checks the unit a resident is registered in, as loaded by its code
/// `unit_code` (`None` when no node has it): it must exist and `registrar`
/// must be allowed to register residents there.
pub fn unit_for<'a>(registrar: &User, unit_code: &str, unit: Option<&'a Node>) -> Result<&'a Node, NodeRefused> {
    policy::named_node(registrar, Action::RegisterPerson, ("unit_code", unit_code), unit)
}

/// A new resident of `unit` as `draft` describes them, under the id `id`.
#[must_use]
pub fn register(id: Uuid, draft: &PersonDraft, unit: &Node) -> Person {
    Person {
        id,
        full_name: draft.full_name.clone(),
        sex: draft.sex,
        birth_year: draft.birth_year,
        unit_id: unit.id,
        unit_path: unit.path.clone(),
        phone: draft.phone.clone(),
        address: draft.address.clone(),
        document_number: draft.document_number.clone(),
    }
}

/// Registers `draft` in `unit` under `id`, unless some of `namesakes` (the
/// unit's residents with the same folded name) are probable duplicates and
/// the registrar has not confirmed a new person: those are then returned to
/// offer instead.
pub fn register_unless_duplicate(
    id: Uuid,
    draft: &PersonDraft,
    unit: &Node,
    namesakes: Vec<Person>,
    confirm_new: bool,
) -> Result<Person, Vec<Person>> {
    let duplicates: Vec<Person> = namesakes.into_iter().filter(|p| is_probable_duplicate(draft, unit.id, p)).collect();
    if duplicates.is_empty() || confirm_new { Ok(register(id, draft, unit)) } else { Err(duplicates) }
}

/// The first of `namesakes` (the unit's residents with the same folded
/// name) who is probably the person `draft` describes, or else `draft`
/// registered in `unit` under `id`. The flag says whether the person is new.
#[must_use]
pub fn find_or_register(id: Uuid, draft: &PersonDraft, unit: &Node, namesakes: Vec<Person>) -> (Person, bool) {
    match namesakes.into_iter().find(|p| is_probable_duplicate(draft, unit.id, p)) {
        Some(known) => (known, false),
        None => (register(id, draft, unit), true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_ignore_case_and_spacing() {
        let unit = Uuid::from_u128(1);
        let existing = Person {
            id: Uuid::from_u128(2),
            full_name: "Kim Min Jun".into(),
            sex: Sex::Male,
            birth_year: 1980,
            unit_id: unit,
            unit_path: NodePath::root("u"),
            phone: None,
            address: None,
            document_number: None,
        };
        let draft = PersonDraft {
            full_name: "kim  minjun".into(),
            sex: Sex::Male,
            birth_year: 1980,
            phone: None,
            address: None,
            document_number: None,
        };
        assert!(is_probable_duplicate(&draft, unit, &existing));
        assert!(!is_probable_duplicate(&PersonDraft { birth_year: 1981, ..draft.clone() }, unit, &existing));
        assert!(!is_probable_duplicate(&draft, Uuid::from_u128(3), &existing));
    }

    #[test]
    fn a_probable_duplicate_is_offered_unless_a_new_person_is_confirmed() {
        let unit = Node {
            id: Uuid::from_u128(1),
            code: "u".into(),
            name: "U".into(),
            level: 0,
            parent_id: None,
            population: 0,
            path: NodePath::root("u"),
        };
        let draft = PersonDraft {
            full_name: "Kim Min Jun".into(),
            sex: Sex::Male,
            birth_year: 1980,
            phone: None,
            address: None,
            document_number: None,
        };
        let existing = register(Uuid::from_u128(2), &draft, &unit);
        let offered = register_unless_duplicate(Uuid::from_u128(3), &draft, &unit, vec![existing.clone()], false);
        assert_eq!(offered, Err(vec![existing.clone()]));
        let confirmed = register_unless_duplicate(Uuid::from_u128(3), &draft, &unit, vec![existing], true).unwrap();
        assert_eq!((confirmed.id, confirmed.unit_path), (Uuid::from_u128(3), unit.path));
    }
}
