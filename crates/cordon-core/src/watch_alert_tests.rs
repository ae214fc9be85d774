//! Tests of the crossing rule on constructed series (a population of
//! 100,000, so that the 7-day incidence equals the 7-day sum) and of the
//! daily figures against [`figures_on`] on the real JHU series.

use super::*;
use crate::abroad::read;
use crate::watch::Thresholds;
use jiff::civil::date;

const JHU_FILE: &str = include_str!("../tests/ref/owid/jhu_full_data_neighbours.csv");
const SOURCE: &str = "JHU CSSE via Our World in Data";

/// Day `i` of the constructed series (2021-01-01 is day 0).
fn day(i: i64) -> Date {
    date(2021, 1, 1).checked_add(jiff::Span::new().days(i)).unwrap()
}

/// A series of daily new cases from 2021-01-01, 100,000 residents.
fn series(new_cases: &[f64]) -> Vec<DailyRow> {
    let mut total = 0.0;
    (0_i64..)
        .zip(new_cases)
        .map(|(i, n)| {
            total += n;
            DailyRow {
                location: "Mongolia".into(),
                iso_code: Some("MNG".into()),
                date: day(i),
                new_cases: Some(*n),
                new_deaths: Some(0.0),
                total_cases: Some(total),
                total_deaths: Some(0.0),
                population: Some(100_000.0),
            }
        })
        .collect()
}

/// 1 a day for two weeks, 10 a day for two (the 7-day sum reaches 52 on
/// day 18), 1 a day for two (below again from day 30), 10 a day for two
/// (52 again on day 46).
fn twice_up() -> Vec<DailyRow> {
    let mut cases = Vec::new();
    for level in [1.0, 10.0, 1.0, 10.0] {
        cases.extend([level; 14]);
    }
    series(&cases)
}

fn entry(per_100k_7d: f64, growth: Option<f64>) -> Watched {
    Watched {
        location: "Mongolia".into(),
        population: None,
        thresholds: Thresholds { per_100k_7d, growth_week_on_week: growth },
        set_by: Uuid::nil(),
        set_at: Timestamp::UNIX_EPOCH,
    }
}

fn ids() -> impl FnMut() -> Uuid {
    let mut n = 0_u128;
    move || {
        n += 1;
        Uuid::from_u128(n)
    }
}

#[test]
fn a_rise_above_the_threshold_raises_one_alert_while_it_stays_above() {
    let rows = series(&[&[1.0; 14][..], &[10.0; 28][..]].concat());
    let found = crossings(&rows, &entry(50.0, None));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].day, found[0].value, found[0].since, found[0].until), (day(18), 52.0, day(0), day(41)));

    let alerts = raise(&rows, &entry(50.0, None), SOURCE, &[], Timestamp::UNIX_EPOCH, ids());
    assert_eq!(alerts.len(), 1);
    let alert = &alerts[0];
    assert_eq!((alert.day, alert.measure, alert.threshold), (day(18), Measure::Per100k7d, 50.0));
    assert_eq!((alert.figure.value, alert.figure.counted, alert.figure.as_of), (52.0, Counted::Cases, day(18)));
    assert_eq!(alert.figure.place, "Mongolia");
}

#[test]
fn falling_back_below_and_rising_again_is_a_second_crossing() {
    let found = crossings(&twice_up(), &entry(50.0, None));
    let days: Vec<(Date, Date, Date)> = found.iter().map(|c| (c.day, c.since, c.until)).collect();
    assert_eq!(days, [(day(18), day(0), day(29)), (day(46), day(30), day(55))]);
}

#[test]
fn a_crossing_already_raised_is_not_raised_again() {
    let rows = twice_up();
    let watched = entry(50.0, None);
    let first = raise(&rows, &watched, SOURCE, &[], Timestamp::UNIX_EPOCH, ids());
    assert_eq!(first.iter().map(|a| a.day).collect::<Vec<_>>(), [day(18), day(46)]);
    let stored: Vec<(Measure, Date)> = first.iter().map(|a| (a.measure, a.day)).collect();
    assert!(raise(&rows, &watched, SOURCE, &stored, Timestamp::UNIX_EPOCH, ids()).is_empty(), "importing again raises nothing");

    // A later file revises the first rise a day earlier: still the same crossing.
    let revised =
        raise(&rows, &watched, SOURCE, &[(Measure::Per100k7d, day(19)), (Measure::Per100k7d, day(46))], Timestamp::UNIX_EPOCH, ids());
    assert!(revised.is_empty(), "{revised:?}");
    // Only the first was raised before the series went on: the second is new.
    let later = raise(&rows, &watched, SOURCE, &[(Measure::Per100k7d, day(18))], Timestamp::UNIX_EPOCH, ids());
    assert_eq!(later.iter().map(|a| a.day).collect::<Vec<_>>(), [day(46)]);
    // An alert of another measure is another crossing.
    assert_eq!(raise(&rows, &watched, SOURCE, &[(Measure::GrowthWeekOnWeek, day(18))], Timestamp::UNIX_EPOCH, ids()).len(), 2);
}

#[test]
fn growth_has_its_own_threshold() {
    let rows = twice_up();
    let found = crossings(&rows, &entry(1000.0, Some(1.5)));
    // The 7-day sum is 16 on day 14 against 7 a week before.
    let growth: Vec<Date> = found.iter().filter(|c| c.measure == Measure::GrowthWeekOnWeek).map(|c| c.day).collect();
    assert_eq!(growth[0], day(14));
    assert_eq!(found.iter().filter(|c| c.measure == Measure::Per100k7d).count(), 0);
    let alert = &raise(&rows, &entry(1000.0, Some(1.5)), SOURCE, &[], Timestamp::UNIX_EPOCH, ids())[0];
    assert_eq!((alert.measure, alert.figure.measure), (Measure::GrowthWeekOnWeek, Measure::GrowthWeekOnWeek));
    assert!((alert.figure.value - 16.0 / 7.0).abs() < 1e-12);
}

#[test]
fn without_a_population_there_is_no_incidence_to_cross() {
    let mut rows = twice_up();
    for row in &mut rows {
        row.population = None;
    }
    assert!(crossings(&rows, &entry(50.0, None)).is_empty());
    let given = Watched { population: Some(100_000), ..entry(50.0, None) };
    assert_eq!(crossings(&rows, &given).len(), 2, "the entry's population counts where the file has none");
    let mut file_wins = twice_up();
    for row in &mut file_wins {
        row.population = Some(1_000_000.0);
    }
    assert!(crossings(&file_wins, &given).is_empty(), "the file's population comes first");
}

#[test]
fn the_daily_figures_are_those_figures_on_gives_on_the_real_series() {
    let (_, rows) = read(JHU_FILE).unwrap();
    let japan: Vec<DailyRow> = rows.into_iter().filter(|r| r.location == "Japan").collect();
    let days = daily(&japan, Some(126_476_458));
    for d in &days {
        let figures = figures_on(&japan, d.date, Some(126_476_458.0), SOURCE);
        let of = |m: Measure| figures.iter().find(|f| f.counted == Counted::Cases && f.measure == m).map(|f| f.value);
        assert_eq!((d.per_100k_7d, d.growth_week_on_week), (of(Measure::Per100k7d), of(Measure::GrowthWeekOnWeek)), "{}", d.date);
    }
    let last = days.last().unwrap();
    assert_eq!(last.date, date(2021, 1, 7));
    assert!((24.0..25.0).contains(&last.per_100k_7d.unwrap()), "{last:?}");
}

#[test]
fn the_incidence_as_of_a_day_is_its_latest_within_a_fortnight() {
    let rows = twice_up();
    let watched = entry(50.0, None);
    assert_eq!(incidence_as_of(&rows, &watched, day(18)), Some(52.0));
    assert_eq!(incidence_as_of(&rows, &watched, day(55)), Some(70.0));
    assert_eq!(incidence_as_of(&rows, &watched, day(55 + CURRENT_DAYS)), Some(70.0), "the latest day, 14 days old");
    assert_eq!(incidence_as_of(&rows, &watched, day(56 + CURRENT_DAYS)), None, "too old to count");
    assert_eq!(incidence_as_of(&rows, &watched, date(2020, 12, 31)), None, "before the series");
}

#[test]
fn the_standing_says_which_thresholds_are_crossed_on_the_latest_day() {
    let rows = twice_up();
    let s = standing(&rows, &entry(50.0, Some(1.5)), SOURCE).unwrap();
    assert_eq!(s.day, day(55));
    assert_eq!(s.above, [Measure::Per100k7d]);
    assert!(s.figures.iter().any(|f| f.measure == Measure::Per100k7d && (f.value - 70.0).abs() < 1e-9));
    assert!(standing(&rows, &entry(71.0, None), SOURCE).unwrap().above.is_empty());
    assert!(standing(&[], &entry(1.0, None), SOURCE).is_none());
}
