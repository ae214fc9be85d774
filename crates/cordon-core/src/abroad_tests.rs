//! Tests of the reader of Our World in Data files, on the real JHU series
//! of Japan, Mongolia and South Korea (2020-01-22..2021-01-07, copied from
//! OWID's repository into `tests/ref/owid/`).

use super::*;
use jiff::civil::date;

const JHU_FILE: &str = include_str!("../tests/ref/owid/jhu_full_data_neighbours.csv");

/// The file's own `weekly_*` and `biweekly_*` columns, by location, in file order.
fn published(column: &str) -> HashMap<String, Vec<Option<f64>>> {
    let mut reader = csv::Reader::from_reader(JHU_FILE.as_bytes());
    let at = reader.headers().unwrap().iter().position(|h| h == column).unwrap();
    let mut by_location: HashMap<String, Vec<Option<f64>>> = HashMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        by_location.entry(record[1].to_owned()).or_default().push(record[at].parse::<f64>().ok());
    }
    by_location
}

fn series(rows: &[DailyRow], location: &str, value: impl Fn(&DailyRow) -> Option<f64>) -> Vec<Option<f64>> {
    rows.iter().filter(|r| r.location == location).map(value).collect()
}

#[test]
fn the_jhu_layout_is_read_row_by_row() {
    let (layout, rows) = read(JHU_FILE).unwrap();
    assert_eq!(layout, Layout::JhuFullData);
    let count = |name: &str| rows.iter().filter(|r| r.location == name).count();
    assert_eq!((count("Japan"), count("Mongolia"), count("South Korea")), (352, 304, 352));
    let first = &rows[0];
    assert_eq!((first.location.as_str(), first.date, first.new_cases, first.total_cases), ("Japan", date(2020, 1, 22), None, Some(2.0)));
    let korea_last = rows.iter().rfind(|r| r.location == "South Korea").unwrap();
    assert_eq!(korea_last.date, date(2021, 1, 7));
    assert!(korea_last.total_cases.unwrap() > 60_000.0 && korea_last.population.is_none());
}

#[test]
fn seven_and_fourteen_day_sums_match_what_owid_published() {
    let (_, rows) = read(JHU_FILE).unwrap();
    for (column, days, value) in [
        ("weekly_cases", 7, (|r: &DailyRow| r.new_cases) as fn(&DailyRow) -> Option<f64>),
        ("weekly_deaths", 7, |r: &DailyRow| r.new_deaths),
        ("biweekly_cases", 14, |r: &DailyRow| r.new_cases),
        ("biweekly_deaths", 14, |r: &DailyRow| r.new_deaths),
    ] {
        for (location, expected) in published(column) {
            let first = rows.iter().find(|r| r.location == location).unwrap();
            let ours = rolling_sum(&series(&rows, &location, value), days, began_before(first));
            assert_eq!(ours.len(), expected.len());
            for (i, (a, b)) in ours.iter().zip(&expected).enumerate() {
                assert_eq!(*a, *b, "{location} {column} row {i}");
            }
        }
    }
}

#[test]
fn the_main_layout_is_recognised_by_its_header_with_population() {
    let text = "iso_code,continent,location,date,total_cases,new_cases,new_cases_smoothed,total_deaths,new_deaths,population\n\
                MNG,Asia,Mongolia,2021-01-07,1242.0,-3.0,5.1,1.0,,3278292.0\n";
    let (layout, rows) = read(text).unwrap();
    assert_eq!(layout, Layout::OwidMain);
    assert_eq!(rows[0].iso_code.as_deref(), Some("MNG"));
    assert_eq!((rows[0].new_cases, rows[0].new_deaths, rows[0].population), (Some(-3.0), None, Some(3_278_292.0)));
}

#[test]
fn every_problem_names_its_line_and_column() {
    let header = "date,location,new_cases,new_deaths,total_cases,total_deaths\n";
    let bad_number = format!("{header}2020-01-22,Japan,1.0,,2.0,\n2020-01-23,Japan,two,,2.0,\n");
    let e = read(&bad_number).unwrap_err();
    assert_eq!((e.line, e.column, e.field.as_str()), (3, 3, "new_cases"));
    assert_eq!(e.problem, Problem::NotANumber { value: "two".into() });
    assert_eq!(e.to_string(), r#"line 3, column 3 (new_cases): "two" is not a number"#);
    let bad_date = format!("{header}22/01/2020,Japan,,,2.0,\n");
    assert_eq!(read(&bad_date).unwrap_err().problem, Problem::NotADate { value: "22/01/2020".into() });
    let no_location = format!("{header}2020-01-22,,,,2.0,\n");
    let e = read(&no_location).unwrap_err();
    assert_eq!((e.line, e.column, e.problem), (2, 2, Problem::Empty));
    let short = format!("{header}2020-01-22,Japan,1.0\n");
    assert_eq!(read(&short).unwrap_err().line, 2, "a short row");
    let unknown = read("day,country,cases\n2020-01-22,Japan,1\n").unwrap_err();
    assert_eq!(unknown.line, 1);
    assert!(matches!(unknown.problem, Problem::UnknownLayout(ref missing) if missing.contains("date") && missing.contains("new_cases")));
    assert!(read(&format!("{header}2020-01-22,Japan,inf,,2.0,\n")).is_err(), "numbers are finite");
}

#[test]
fn rolling_sums_count_a_missing_day_as_zero_and_start_when_the_first_window_is_full() {
    let daily = [Some(1.0), None, Some(2.0), Some(-1.0)];
    assert_eq!(rolling_sum(&daily, 2, false), vec![None, Some(1.0), Some(2.0), Some(1.0)]);
    assert_eq!(rolling_sum(&daily, 2, true), vec![Some(1.0), Some(1.0), Some(2.0), Some(1.0)], "the day before counts as 0");
    assert_eq!(rolling_sum(&daily, 5, false), vec![None; 4]);
    assert!(rolling_sum(&daily, 0, false).iter().all(Option::is_none));
}

#[test]
fn the_figures_of_a_day_say_what_they_are() {
    let (layout, rows) = read(JHU_FILE).unwrap();
    let korea: Vec<DailyRow> = rows.into_iter().filter(|r| r.location == "South Korea").collect();
    let figures = figures_on(&korea, date(2021, 1, 7), Some(51_269_183.0), source(layout));
    let find = |counted, measure| figures.iter().find(|f| f.counted == counted && f.measure == measure).unwrap();
    let total = find(Counted::Cases, Measure::Cumulative);
    assert_eq!((total.value, total.period.from), (korea.last().unwrap().total_cases.unwrap(), date(2020, 1, 22)));
    let week = find(Counted::Cases, Measure::Sum7d);
    assert_eq!(week.period.from, date(2021, 1, 1));
    let published: f64 = korea[korea.len() - 7..].iter().filter_map(|r| r.new_cases).sum();
    assert_eq!(week.value, published);
    let incidence = find(Counted::Cases, Measure::Per100k7d);
    assert!((incidence.value - published * 100_000.0 / 51_269_183.0).abs() < 1e-9);
    assert!(find(Counted::Deaths, Measure::New).label().contains("new deaths on 2021-01-07 (new), South Korea"));
    let without = figures_on(&korea, date(2021, 1, 7), None, source(layout));
    assert!(without.iter().all(|f| f.measure != Measure::Per100k7d), "no incidence without a population");
    assert!(figures_on(&korea, date(2019, 1, 1), None, "x").is_empty(), "a day the series does not hold");
    let (_, rows) = read(JHU_FILE).unwrap();
    let mongolia: Vec<DailyRow> = rows.into_iter().filter(|r| r.location == "Mongolia").collect();
    let first_week = figures_on(&mongolia, date(2020, 3, 15), None, "x");
    let sum = first_week.iter().find(|f| f.measure == Measure::Sum7d).unwrap();
    assert_eq!(
        (sum.value, sum.period.from),
        (1.0, date(2020, 3, 9)),
        "the 7 days are calendar days, the day before the first row among them"
    );
}

#[test]
fn growth_is_this_week_over_last_and_doubling_follows_from_it() {
    assert_eq!(doubling_days(2.0), Some(7.0));
    assert!((doubling_days(1.25).unwrap() - 7.0 * 2f64.ln() / 1.25f64.ln()).abs() < 1e-12);
    assert_eq!(doubling_days(1.0), None);
    assert_eq!(doubling_days(0.8), None, "a falling count never doubles");
    let (_, rows) = read(JHU_FILE).unwrap();
    let japan: Vec<DailyRow> = rows.into_iter().filter(|r| r.location == "Japan").collect();
    let figures = figures_on(&japan, date(2021, 1, 7), None, "x");
    let growth = figures.iter().find(|f| f.counted == Counted::Cases && f.measure == Measure::GrowthWeekOnWeek).unwrap();
    let week = |to: usize| japan[to - 6..=to].iter().filter_map(|r| r.new_cases).sum::<f64>();
    let last = japan.len() - 1;
    assert!((growth.value - week(last) / week(last - 7)).abs() < 1e-12);
    assert_eq!(growth.period.from, date(2020, 12, 25));
    let doubling = figures.iter().find(|f| f.counted == Counted::Cases && f.measure == Measure::DoublingDays).unwrap();
    assert!(
        growth.value > 1.0 && (doubling.value - doubling_days(growth.value).unwrap()).abs() < 1e-12,
        "Japan's cases grew in the first week of 2021"
    );
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_header() {
    let (layout, rows) = read("\u{feff}date,location,new_cases,new_deaths,total_cases,total_deaths\n2020-01-22,Japan,1,,2,\n").unwrap();
    assert_eq!((layout, rows.len()), (Layout::JhuFullData, 1));
}

#[test]
fn a_crlf_file_names_the_same_line_as_its_lf_twin() {
    // Found by the importers' fuzzing (crates/cordon/tests/fuzz): with CRLF
    // line ends every error named the line before.
    let text = "date,location,new_cases,new_deaths,total_cases,total_deaths\r\n2020-01-22,Japan,two,,2.0,\r\n";
    let e = read(text).unwrap_err();
    assert_eq!((e.line, e.column, e.field.as_str()), (2, 3, "new_cases"));
}
