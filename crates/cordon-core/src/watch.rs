//! The watch on neighbouring countries: the locations abroad a command
//! watches, each with an optional population and the thresholds whose
//! crossing raises an alert ([`crate::watch_alert`]).
//!
//! Administrators keep the list: [`set`] puts a location on it or changes
//! its entry, [`remove`] takes it off. A location can be watched only once
//! its series is imported (`cordon import owid`, or the upload page), and
//! only if its population is known, from the file or from the entry, since
//! the incidence per 100,000 needs it. The population an administrator
//! gives counts only where the file has none.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::policy::{self, Action, Denied};
use crate::refusal::{Reason, Record, Unit};
use crate::user::User;
use crate::validation::{Invalid, Problems};

/// The largest population an entry may give.
pub const MAX_POPULATION: i64 = 2_000_000_000;

/// The longest location name accepted.
pub const MAX_LOCATION: usize = 200;

/// The figures whose crossing raises an alert, each the least value that
/// counts as crossed (cases only).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// 7-day incidence: new cases in 7 days per 100,000 residents, at least.
    pub per_100k_7d: f64,
    /// Week-on-week growth of the 7-day sum (this week's over last week's,
    /// 1.5 = +50%), at least; none when only the incidence is watched.
    #[serde(default)]
    pub growth_week_on_week: Option<f64>,
}

/// A location put on the watch list or changed, as submitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WatchInput {
    /// Residents, for the incidence per 100,000 where the file gives none
    /// (1 to 2,000,000,000).
    #[serde(default)]
    pub population: Option<i64>,
    /// The thresholds.
    pub thresholds: Thresholds,
}

/// A location on the watch list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Watched {
    /// The location, as the imported file names it.
    pub location: String,
    /// Residents, as an administrator gave them (used where the file has none).
    pub population: Option<i64>,
    /// The thresholds.
    pub thresholds: Thresholds,
    /// Who last set the entry.
    pub set_by: Uuid,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub set_at: Timestamp,
}

/// What the store knows of a location's imported series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    /// Whether any row of the file gives the location's population.
    pub has_population: bool,
}

/// Why a change to the watch list was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refused {
    /// A field is wrong.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The user may not change the watch list.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// The location is not on the watch list.
    #[error("{0} is not on the watch list")]
    NotWatched(String),
}

impl Refused {
    /// The refusal as a code with parameters.
    #[must_use]
    pub fn reason(&self) -> Reason {
        match self {
            Refused::Invalid(i) => Reason::Invalid { fields: i.errors.len() },
            Refused::Denied(d) => Reason::from(d),
            Refused::NotWatched(location) => Reason::NotFound { record: Record::WatchedLocation, key: location.clone() },
        }
    }
}

/// Whether `user` may change the watch list and import series from
/// abroad: administrators, at their anchor.
pub fn may_keep(user: &User) -> Result<(), Denied> {
    policy::authorise(user, Action::ManageConfiguration, &user.node_path)
}

impl WatchInput {
    /// Checks the fields: population 1 to [`MAX_POPULATION`], thresholds
    /// above 0 (and finite).
    pub fn check(&self) -> Result<(), Invalid> {
        let mut problems = Problems::default();
        if let Some(p) = self.population
            && !(1..=MAX_POPULATION).contains(&p)
        {
            let max = MAX_POPULATION as f64;
            problems.add("population", Reason::Between { min: 1.0, max, unit: Unit::Number });
        }
        let positive = |problems: &mut Problems, field: &str, value: f64| {
            if !value.is_finite() {
                problems.add(field, Reason::NotNumber);
            } else if value <= 0.0 {
                problems.add(field, Reason::NotPositive);
            }
        };
        positive(&mut problems, "thresholds.per_100k_7d", self.thresholds.per_100k_7d);
        if let Some(growth) = self.thresholds.growth_week_on_week {
            positive(&mut problems, "thresholds.growth_week_on_week", growth);
        }
        problems.finish(())
    }
}

/// Decides on `admin` putting `location` on the watch list (or changing its
/// entry) as `input` says: they must keep the list, the fields must be
/// right, the location's series must be imported (`imported`, as loaded),
/// and its population known from the file or the input.
pub fn set(admin: &User, location: &str, input: &WatchInput, imported: Option<Imported>, now: Timestamp) -> Result<Watched, Refused> {
    may_keep(admin)?;
    let mut problems = Problems::default();
    let location = problems.text("location", location, MAX_LOCATION);
    if let Err(invalid) = input.check() {
        for e in invalid.errors {
            problems.add(e.field, e.reason);
        }
    }
    if !location.is_empty() {
        match imported {
            None => problems.add("location", Reason::NotImported { location: location.clone() }),
            Some(i) if !i.has_population && input.population.is_none() => {
                problems.add("population", Reason::PopulationUnknown { location: location.clone() });
            }
            Some(_) => {}
        }
    }
    problems.finish(())?;
    Ok(Watched { location, population: input.population, thresholds: input.thresholds, set_by: admin.id, set_at: now })
}

/// Decides on `admin` taking `location` off the watch list; `entry` is its
/// entry as loaded. Returns the entry removed.
pub fn remove(admin: &User, location: &str, entry: Option<Watched>) -> Result<Watched, Refused> {
    may_keep(admin)?;
    entry.ok_or_else(|| Refused::NotWatched(location.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jurisdiction::{Node, NodePath};
    use crate::user::Role;

    fn user(role: Role) -> User {
        let node = Node {
            id: Uuid::nil(),
            code: "KR".into(),
            name: "Korea".into(),
            level: 0,
            parent_id: None,
            population: 1,
            path: NodePath::root("KR"),
        };
        User::anchored(Uuid::nil(), "u", "U", role, &node)
    }

    fn input(population: Option<i64>, per_100k_7d: f64, growth: Option<f64>) -> WatchInput {
        WatchInput { population, thresholds: Thresholds { per_100k_7d, growth_week_on_week: growth } }
    }

    const WITH_POPULATION: Option<Imported> = Some(Imported { has_population: true });
    const WITHOUT_POPULATION: Option<Imported> = Some(Imported { has_population: false });

    fn fields(refused: &Refused) -> Vec<(String, String)> {
        match refused {
            Refused::Invalid(i) => i.errors.iter().map(|e| (e.field.clone(), e.reason.code().to_owned())).collect(),
            other => panic!("not a field error: {other:?}"),
        }
    }

    #[test]
    fn an_administrator_watches_an_imported_location() {
        let now = Timestamp::UNIX_EPOCH;
        let watched =
            set(&user(Role::Administrator), " Mongolia ", &input(Some(3_278_292), 50.0, Some(1.5)), WITHOUT_POPULATION, now).unwrap();
        assert_eq!((watched.location.as_str(), watched.population), ("Mongolia", Some(3_278_292)));
        assert_eq!(watched.thresholds.growth_week_on_week, Some(1.5));
        let from_file = set(&user(Role::Administrator), "Japan", &input(None, 50.0, None), WITH_POPULATION, now).unwrap();
        assert_eq!(from_file.population, None);
    }

    #[test]
    fn only_administrators_keep_the_list() {
        for role in [Role::CommandOfficer, Role::HealthWorker, Role::Reporter, Role::BorderOfficer] {
            let refused = set(&user(role), "Japan", &input(None, 50.0, None), WITH_POPULATION, Timestamp::UNIX_EPOCH).unwrap_err();
            assert!(matches!(refused, Refused::Denied(Denied::RoleForbids { .. })), "{role:?}");
            assert!(matches!(remove(&user(role), "Japan", None), Err(Refused::Denied(_))));
        }
    }

    #[test]
    fn each_wrong_field_is_named() {
        let admin = user(Role::Administrator);
        let refused = set(&admin, "Japan", &input(Some(0), 0.0, Some(-1.0)), WITH_POPULATION, Timestamp::UNIX_EPOCH).unwrap_err();
        assert_eq!(
            fields(&refused),
            [
                ("population".into(), "between".into()),
                ("thresholds.per_100k_7d".into(), "not_positive".into()),
                ("thresholds.growth_week_on_week".into(), "not_positive".into())
            ]
        );
        let too_many = set(&admin, "Japan", &input(Some(MAX_POPULATION + 1), f64::NAN, None), WITH_POPULATION, Timestamp::UNIX_EPOCH);
        assert_eq!(
            fields(&too_many.unwrap_err()),
            [("population".into(), "between".into()), ("thresholds.per_100k_7d".into(), "not_number".into())]
        );
        let never = set(&admin, "Atlantis", &input(Some(10), 1.0, None), None, Timestamp::UNIX_EPOCH).unwrap_err();
        assert_eq!(fields(&never), [("location".into(), "not_imported".into())]);
        let unknown = set(&admin, "Japan", &input(None, 1.0, None), WITHOUT_POPULATION, Timestamp::UNIX_EPOCH).unwrap_err();
        assert_eq!(fields(&unknown), [("population".into(), "population_unknown".into())]);
        let blank = set(&admin, "  ", &input(Some(10), 1.0, None), None, Timestamp::UNIX_EPOCH).unwrap_err();
        assert_eq!(fields(&blank), [("location".into(), "empty".into())]);
        assert!(set(&admin, "Japan", &input(Some(MAX_POPULATION), 0.001, None), WITHOUT_POPULATION, Timestamp::UNIX_EPOCH).is_ok());
    }

    #[test]
    fn removing_what_is_not_watched_is_not_found() {
        let refused = remove(&user(Role::Administrator), "Japan", None).unwrap_err();
        assert_eq!(refused.reason(), Reason::NotFound { record: Record::WatchedLocation, key: "Japan".into() });
    }
}
