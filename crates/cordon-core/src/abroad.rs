//! The situation abroad: daily per-country series in Our World in Data's
//! layouts, read from CSV text, and the figures OWID derives from them.
//!
//! Two layouts are recognised by their header: JHU's `full_data.csv`
//! (`date,location,new_cases,new_deaths,total_cases,total_deaths,...`) and
//! OWID's main `owid-covid-data.csv` (`iso_code,continent,location,date,
//! total_cases,new_cases,...,population,...`). Columns are found by name, so
//! extra or reordered columns do not matter. Every problem names its line and
//! column. The 7-day and 14-day sums follow OWID's own definition: the sum of
//! the last 7 (14) daily values, a missing day counting as 0, the first value
//! on the 7th (14th) day of a location's series.

use std::collections::HashMap;

use jiff::civil::Date;

use crate::figure::{Counted, Figure, Measure, Period};

/// Which of Our World in Data's layouts a file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// JHU CSSE's data as OWID published it (`jhu/full_data.csv`).
    JhuFullData,
    /// OWID's main file (`owid-covid-data.csv`), with `iso_code` and `population`.
    OwidMain,
}

/// One location's numbers on one day; `None` where the file left the field empty.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyRow {
    /// The country or area, as the file names it ("South Korea").
    pub location: String,
    /// ISO 3166-1 alpha-3 code (main layout only; OWID's own codes such as
    /// `OWID_WRL` for aggregates).
    pub iso_code: Option<String>,
    /// The day.
    pub date: Date,
    /// Cases reported that day (negative when a total was revised down).
    pub new_cases: Option<f64>,
    /// Deaths reported that day.
    pub new_deaths: Option<f64>,
    /// Cases reported so far.
    pub total_cases: Option<f64>,
    /// Deaths reported so far.
    pub total_deaths: Option<f64>,
    /// Residents (main layout only).
    pub population: Option<f64>,
}

/// What is wrong at a place of the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The header is neither layout: the columns that are missing.
    #[error("the header is not an Our World in Data layout: it lacks {0}")]
    UnknownLayout(String),
    /// A field that should be a number.
    #[error("{value:?} is not a number")]
    NotANumber {
        /// The text found.
        value: String,
    },
    /// A field that should be a day (YYYY-MM-DD).
    #[error("{value:?} is not a date (YYYY-MM-DD)")]
    NotADate {
        /// The text found.
        value: String,
    },
    /// A required field is empty.
    #[error("is empty")]
    Empty,
    /// The CSV itself cannot be read (unbalanced quotes, a short row, not UTF-8).
    #[error("{0}")]
    Csv(String),
}

/// A problem at line `line`, column `column` (both from 1), in the column named `field`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column} ({field}): {problem}")]
pub struct ReadError {
    /// Line of the file, from 1 (the header is line 1).
    pub line: u64,
    /// Column, from 1.
    pub column: usize,
    /// The column's name in the header ("" when unknown).
    pub field: String,
    /// What is wrong.
    pub problem: Problem,
}

/// Where each column this reader uses sits in a file's header.
struct Columns {
    layout: Layout,
    at: HashMap<&'static str, usize>,
}

const JHU: [&str; 6] = ["date", "location", "new_cases", "new_deaths", "total_cases", "total_deaths"];
const MAIN: [&str; 8] = ["iso_code", "location", "date", "total_cases", "new_cases", "total_deaths", "new_deaths", "population"];

impl Columns {
    fn of(header: &csv::StringRecord) -> Result<Columns, ReadError> {
        let find = |names: &[&'static str]| -> Result<HashMap<&'static str, usize>, Vec<&'static str>> {
            let mut at = HashMap::new();
            let mut missing = Vec::new();
            for name in names {
                match header.iter().position(|h| h.trim() == *name) {
                    Some(i) => {
                        at.insert(*name, i);
                    }
                    None => missing.push(*name),
                }
            }
            if missing.is_empty() { Ok(at) } else { Err(missing) }
        };
        let main = header.iter().any(|h| h.trim() == "iso_code");
        let (layout, names): (Layout, &[&'static str]) = if main { (Layout::OwidMain, &MAIN) } else { (Layout::JhuFullData, &JHU) };
        match find(names) {
            Ok(at) => Ok(Columns { layout, at }),
            Err(missing) => {
                Err(ReadError { line: 1, column: 1, field: String::new(), problem: Problem::UnknownLayout(missing.join(", ")) })
            }
        }
    }
}

/// Reads the rows of an Our World in Data file, in file order, and the
/// layout it is in; or the first problem, with its line and column.
pub fn read(text: &str) -> Result<(Layout, Vec<DailyRow>), ReadError> {
    // A byte-order mark (spreadsheets write one) is not part of the first
    // column's name. With CRLF line ends the csv crate reports each record
    // one line early; plain LF keeps the numbers right.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = if text.contains("\r\n") { std::borrow::Cow::Owned(text.replace("\r\n", "\n")) } else { text.into() };
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| csv_error(&e, 1))?.clone();
    let columns = Columns::of(&header)?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&e, 0))?;
        let line = record.position().map_or(0, csv::Position::line);
        rows.push(row(&columns, &header, &record, line)?);
    }
    Ok((columns.layout, rows))
}

fn csv_error(e: &csv::Error, fallback_line: u64) -> ReadError {
    let line = e.position().map_or(fallback_line, csv::Position::line);
    ReadError { line, column: 1, field: String::new(), problem: Problem::Csv(e.to_string()) }
}

fn row(columns: &Columns, header: &csv::StringRecord, record: &csv::StringRecord, line: u64) -> Result<DailyRow, ReadError> {
    let place = |name: &'static str| columns.at.get(name).copied();
    let error = |i: usize, problem: Problem| ReadError { line, column: i + 1, field: header.get(i).unwrap_or("").to_owned(), problem };
    let text = |name: &'static str| place(name).map(|i| (i, record.get(i).unwrap_or("").trim()));
    let number = |name: &'static str| -> Result<Option<f64>, ReadError> {
        match text(name) {
            None | Some((_, "")) => Ok(None),
            Some((i, value)) => value
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| error(i, Problem::NotANumber { value: value.to_owned() })),
        }
    };
    let (date_at, date_text) = text("date").unwrap_or((0, ""));
    let date = match date_text {
        "" => return Err(error(date_at, Problem::Empty)),
        value => value.parse::<Date>().map_err(|_| error(date_at, Problem::NotADate { value: value.to_owned() }))?,
    };
    let (location_at, location) = text("location").unwrap_or((0, ""));
    if location.is_empty() {
        return Err(error(location_at, Problem::Empty));
    }
    Ok(DailyRow {
        location: location.to_owned(),
        iso_code: text("iso_code").map(|(_, code)| code.to_owned()).filter(|code| !code.is_empty()),
        date,
        new_cases: number("new_cases")?,
        new_deaths: number("new_deaths")?,
        total_cases: number("total_cases")?,
        total_deaths: number("total_deaths")?,
        population: number("population")?,
    })
}

/// The sum of the last `days` daily values at each day of one location's
/// series (in date order), as OWID computes `weekly_*` (`days` 7) and
/// `biweekly_*` (14): a missing day counts as 0, and the first sum is on
/// the `days`-th day of the series (before it, `None`).
///
/// OWID's series begins the day before its first published row when that
/// row already has a daily count (the count is the difference from the
/// previous day's total, a row OWID leaves out when its total is 0):
/// `began_before` says so, and the window counts that day as 0.
#[must_use]
pub fn rolling_sum(daily: &[Option<f64>], days: usize, began_before: bool) -> Vec<Option<f64>> {
    let lead = usize::from(began_before);
    (0..daily.len())
        .map(|i| {
            let filled = i + 1 + lead;
            (days > 0 && filled >= days).then(|| daily[(i + 1).saturating_sub(days)..=i].iter().map(|v| v.unwrap_or(0.0)).sum())
        })
        .collect()
}

/// Whether a location's series began the day before its first row (see
/// [`rolling_sum`]): its first row already has a count of new cases.
#[must_use]
pub fn began_before(first: &DailyRow) -> bool {
    first.new_cases.is_some()
}

/// Days for a 7-day sum to double when it grows by `growth` a week
/// (this week's sum over last week's): 7 · ln 2 / ln(growth), for growth
/// above 1 only (a sum that does not grow never doubles).
#[must_use]
pub fn doubling_days(growth: f64) -> Option<f64> {
    (growth.is_finite() && growth > 1.0).then(|| 7.0 * std::f64::consts::LN_2 / growth.ln())
}

/// Who counted the figures of a file in `layout`.
#[must_use]
pub fn source(layout: Layout) -> &'static str {
    match layout {
        Layout::JhuFullData => "JHU CSSE via Our World in Data",
        Layout::OwidMain => "Our World in Data",
    }
}

/// The labelled figures of one location on `day`, for cases and deaths:
/// the day's new count, the cumulative total since the series began, the
/// 7-day sum and average, the 7-day incidence per 100,000 when the
/// population is known (the file's for the day, else `population`, set by
/// an administrator on the watch list), and the week-on-week growth of the
/// 7-day sum with its doubling time when it grows. `rows` is the location's
/// series in date order; nothing for a day the series does not hold.
#[must_use]
pub fn figures_on(rows: &[DailyRow], day: Date, population: Option<f64>, source: &str) -> Vec<Figure> {
    let Some(at) = rows.iter().position(|r| r.date == day) else { return Vec::new() };
    let (Some(first), row) = (rows.first(), &rows[at]) else { return Vec::new() };
    let week_from = day.checked_sub(jiff::Span::new().days(6)).unwrap_or(day);
    let before = began_before(first);
    let population = row.population.or(population).filter(|p| *p > 0.0);
    let mut figures = Vec::new();
    for (counted, new, total) in [
        (
            Counted::Cases,
            (|r: &DailyRow| r.new_cases) as fn(&DailyRow) -> Option<f64>,
            (|r: &DailyRow| r.total_cases) as fn(&DailyRow) -> Option<f64>,
        ),
        (Counted::Deaths, |r: &DailyRow| r.new_deaths, |r: &DailyRow| r.total_deaths),
    ] {
        let figure = |value, measure, from| Figure {
            value,
            measure,
            counted,
            period: Period { from, to: day },
            place: row.location.clone(),
            source: source.to_owned(),
            as_of: day,
            interval: None,
        };
        if let Some(value) = new(row) {
            figures.push(figure(value, Measure::New, day));
        }
        if let Some(value) = total(row) {
            figures.push(figure(value, Measure::Cumulative, first.date));
        }
        let daily: Vec<Option<f64>> = rows[..=at].iter().map(new).collect();
        let sums = rolling_sum(&daily, 7, before);
        if let Some(sum) = sums[at] {
            figures.push(figure(sum, Measure::Sum7d, week_from));
            figures.push(figure(sum / 7.0, Measure::Average7d, week_from));
            if let Some(population) = population {
                figures.push(figure(sum * 100_000.0 / population, Measure::Per100k7d, week_from));
            }
            let earlier = at.checked_sub(7).and_then(|i| sums[i]).filter(|s| *s > 0.0);
            let fortnight_from = day.checked_sub(jiff::Span::new().days(13)).unwrap_or(day);
            if let Some(growth) = earlier.map(|earlier| sum / earlier) {
                figures.push(figure(growth, Measure::GrowthWeekOnWeek, fortnight_from));
                if let Some(days) = doubling_days(growth) {
                    figures.push(figure(days, Measure::DoublingDays, fortnight_from));
                }
            }
        }
    }
    figures
}

#[cfg(test)]
#[path = "abroad_tests.rs"]
mod tests;
