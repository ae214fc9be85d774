//! Reading the reference input layouts into series.
//!
//! Three layouts are understood, as in `shared/ref/data`:
//! * surveillance counts `unit,period_index,year,period,count,population[,date]`
//!   (one or many units; text quoted; `NA` for a missing count) → [`parse_series`];
//! * EpiEstim incidence `t,[date,]I` → [`parse_incidence`];
//! * a discrete serial-interval distribution `k,w` → [`parse_si_distr`].
//!
//! Columns are found by header name, so extra columns are ignored. Every error
//! is a [`StatsError::Parse`] at the 1-based line and column of the offending
//! field. Writing the output layouts lives in [`crate::report`].

use std::collections::HashMap;
use std::io::Read;

use crate::csv_text::{Field, Record, read_records};
use crate::date::CivilDate;
use crate::error::StatsError;
use crate::series::Series;

/// Reads all of `reader` as UTF-8 text.
///
/// # Errors
/// [`StatsError::Io`] if reading fails or the bytes are not UTF-8.
pub fn read_text(mut reader: impl Read) -> Result<String, StatsError> {
    let mut text = String::new();
    reader.read_to_string(&mut text).map_err(|e| StatsError::Io(e.to_string()))?;
    Ok(text)
}

/// Column positions found in a header line.
struct Header<'a> {
    record: &'a Record,
    names: Vec<String>,
}

impl<'a> Header<'a> {
    fn new(record: &'a Record) -> Self {
        Self { record, names: record.fields.iter().map(|f| f.text.trim().to_string()).collect() }
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    fn require(&self, name: &str) -> Result<usize, StatsError> {
        self.find(name).ok_or_else(|| StatsError::Parse {
            line: self.record.line,
            column: 1,
            message: format!("header has no `{name}` column (found: {})", self.names.join(",")),
        })
    }
}

fn field<'r>(record: &'r Record, index: usize, name: &str, width: usize) -> Result<&'r Field, StatsError> {
    if record.fields.len() != width {
        let (line, column) = record.fields.last().map_or((record.line, 1), |f| (f.line, f.column));
        return Err(StatsError::Parse {
            line,
            column,
            message: format!("expected {width} fields as in the header, found {}", record.fields.len()),
        });
    }
    record.fields.get(index).ok_or_else(|| StatsError::Parse { line: record.line, column: 1, message: format!("missing `{name}` field") })
}

fn number(f: &Field, name: &str, allow_na: bool) -> Result<f64, StatsError> {
    let text = f.text.trim();
    if allow_na && (text == "NA" || text.is_empty()) {
        return Ok(f64::NAN);
    }
    if f.quoted {
        return Err(f.error(format!("`{name}` must be an unquoted number, found \"{text}\"")));
    }
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(f.error(format!("`{name}` must be a finite number, found `{text}`"))),
    }
}

fn integer<T: std::str::FromStr>(f: &Field, name: &str) -> Result<T, StatsError> {
    f.text.trim().parse::<T>().map_err(|_| f.error(format!("`{name}` must be a whole number, found `{}`", f.text)))
}

fn date(f: &Field) -> Result<CivilDate, StatsError> {
    CivilDate::parse_iso(f.text.trim()).map_err(|e| f.error(e.to_string()))
}

/// One parsed data row, before grouping by unit.
struct Row {
    index: usize,
    year: i32,
    period: u32,
    count: f64,
    population: f64,
    date: Option<CivilDate>,
    at: Field,
}

/// Parses the surveillance layout `unit,period_index,year,period,count,population[,date]`
/// into one [`Series`] per unit, in order of first appearance.
///
/// `freq` is the number of periods per year; `None` infers it: 52 for weekly
/// date series, 365 for daily ones, otherwise the largest `period` label.
///
/// # Errors
/// [`StatsError::Parse`] at the offending field: a missing column, a malformed
/// number or date, a negative or fractional count, or `period_index` values of a
/// unit that are not exactly `1..n`.
pub fn parse_series(text: &str, freq: Option<usize>) -> Result<Vec<Series>, StatsError> {
    let records = read_records(text)?;
    let Some((head, body)) = records.split_first() else {
        return Err(StatsError::Parse { line: 1, column: 1, message: "the file is empty".into() });
    };
    let header = Header::new(head);
    let width = head.fields.len();
    let cols = ["unit", "period_index", "year", "period", "count", "population"]
        .map(|name| header.require(name))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let date_col = header.find("date");
    let mut order: Vec<String> = Vec::new();
    let mut units: HashMap<String, Vec<Row>> = HashMap::new();
    for record in body {
        let unit = field(record, cols[0], "unit", width)?.text.clone();
        let at = field(record, cols[1], "period_index", width)?.clone();
        let index: usize = integer(&at, "period_index")?;
        let year = integer(field(record, cols[2], "year", width)?, "year")?;
        let period = integer(field(record, cols[3], "period", width)?, "period")?;
        let count_field = field(record, cols[4], "count", width)?;
        let count = number(count_field, "count", true)?;
        if !count.is_nan() && (count < 0.0 || count.fract() != 0.0) {
            return Err(count_field.error(format!("`count` must be a non-negative whole number, found `{}`", count_field.text)));
        }
        let population = number(field(record, cols[5], "population", width)?, "population", false)?;
        let date = date_col.map(|c| field(record, c, "date", width).and_then(date)).transpose()?;
        if !units.contains_key(&unit) {
            order.push(unit.clone());
        }
        units.entry(unit).or_default().push(Row { index, year, period, count, population, date, at });
    }
    let mut out = Vec::with_capacity(order.len());
    for name in order {
        let mut rows = units.remove(&name).unwrap_or_default();
        rows.sort_by_key(|r| r.index);
        for (i, row) in rows.iter().enumerate() {
            if row.index != i + 1 {
                return Err(row.at.error(format!(
                    "unit `{name}`: period_index {} found where {} was expected (indices must be 1..n without gaps or repeats)",
                    row.index,
                    i + 1
                )));
            }
        }
        let dates = if date_col.is_some() { Some(rows.iter().filter_map(|r| r.date).collect::<Vec<_>>()) } else { None };
        if let Some(d) = &dates
            && let Some(pos) = d.windows(2).position(|w| w[1] <= w[0])
        {
            return Err(rows[pos + 1].at.error(format!("unit `{name}`: dates must increase with period_index")));
        }
        let inferred = infer_freq(&rows, dates.as_deref());
        let series = Series {
            unit: name,
            counts: rows.iter().map(|r| r.count).collect(),
            population: rows.iter().map(|r| r.population).collect(),
            year: rows.iter().map(|r| r.year).collect(),
            period: rows.iter().map(|r| r.period).collect(),
            dates,
            freq: freq.unwrap_or(inferred),
        };
        series.validate()?;
        out.push(series);
    }
    if out.is_empty() {
        return Err(StatsError::Parse { line: head.line, column: 1, message: "the file has a header but no data rows".into() });
    }
    Ok(out)
}

fn infer_freq(rows: &[Row], dates: Option<&[CivilDate]>) -> usize {
    if let Some([a, b, ..]) = dates {
        match b.days_since_epoch() - a.days_since_epoch() {
            7 => return 52,
            1 => return 365,
            _ => {}
        }
    }
    rows.iter().map(|r| r.period as usize).max().unwrap_or(1).max(1)
}

/// Daily incidence for EpiEstim: counts `I` for days `t = 1..T`, with optional dates.
#[derive(Debug, Clone, PartialEq)]
pub struct Incidence {
    /// Day numbers as given in the `t` column.
    pub t: Vec<i64>,
    /// Dates, when the file has a `date` column.
    pub dates: Option<Vec<CivilDate>>,
    /// Incidence per day; a missing value (`NA`) is read as 0, as EpiEstim does.
    pub counts: Vec<f64>,
}

/// Parses the incidence layout `t,[date,]I`.
///
/// # Errors
/// [`StatsError::Parse`] at the offending field (missing column, bad number,
/// negative count, or `t` not increasing by one).
pub fn parse_incidence(text: &str) -> Result<Incidence, StatsError> {
    let records = read_records(text)?;
    let Some((head, body)) = records.split_first() else {
        return Err(StatsError::Parse { line: 1, column: 1, message: "the file is empty".into() });
    };
    let header = Header::new(head);
    let width = head.fields.len();
    let t_col = header.require("t")?;
    let i_col = header.require("I")?;
    let date_col = header.find("date");
    let mut inc = Incidence { t: Vec::new(), dates: date_col.map(|_| Vec::new()), counts: Vec::new() };
    for record in body {
        let tf = field(record, t_col, "t", width)?;
        let t: i64 = integer(tf, "t")?;
        if let Some(&prev) = inc.t.last()
            && prev.checked_add(1) != Some(t)
        {
            return Err(tf.error(format!("`t` must increase by 1, found {t} after {prev}")));
        }
        let f = field(record, i_col, "I", width)?;
        let count = number(f, "I", true)?;
        if count < 0.0 {
            return Err(f.error(format!("incidence must not be negative, found `{}`", f.text)));
        }
        inc.t.push(t);
        inc.counts.push(if count.is_nan() { 0.0 } else { count });
        if let (Some(c), Some(dates)) = (date_col, inc.dates.as_mut()) {
            dates.push(date(field(record, c, "date", width)?)?);
        }
    }
    if inc.counts.is_empty() {
        return Err(StatsError::Parse { line: head.line, column: 1, message: "the file has a header but no data rows".into() });
    }
    Ok(inc)
}

/// Parses a serial-interval distribution `k,w` into `w_0, w_1, …`.
///
/// # Errors
/// [`StatsError::Parse`] when `k` does not run 0, 1, 2, … or a `w` is not a
/// non-negative number.
pub fn parse_si_distr(text: &str) -> Result<Vec<f64>, StatsError> {
    let records = read_records(text)?;
    let Some((head, body)) = records.split_first() else {
        return Err(StatsError::Parse { line: 1, column: 1, message: "the file is empty".into() });
    };
    let header = Header::new(head);
    let width = head.fields.len();
    let k_col = header.require("k")?;
    let w_col = header.require("w")?;
    let mut w = Vec::with_capacity(body.len());
    for record in body {
        let kf = field(record, k_col, "k", width)?;
        let k: usize = integer(kf, "k")?;
        if k != w.len() {
            return Err(kf.error(format!("`k` must run 0, 1, 2, …; found {k} where {} was expected", w.len())));
        }
        let f = field(record, w_col, "w", width)?;
        let value = number(f, "w", false)?;
        if value < 0.0 {
            return Err(f.error(format!("`w` must not be negative, found `{}`", f.text)));
        }
        w.push(value);
    }
    if w.is_empty() {
        return Err(StatsError::Parse { line: head.line, column: 1, message: "the file has a header but no data rows".into() });
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_UNITS: &str = "unit,period_index,year,period,count,population\n\
        \"a, b\",1,2001,1,3,0.5\n\"c\",1,2001,1,NA,0.5\n\"a, b\",2,2001,2,4,0.5\n\"c\",2,2001,2,0,0.5\n";

    #[test]
    fn units_are_grouped_in_order_of_appearance() {
        let series = parse_series(TWO_UNITS, None).unwrap();
        assert_eq!(series.len(), 2);
        assert_eq!(series[0].unit, "a, b");
        assert_eq!(series[0].counts, vec![3.0, 4.0]);
        assert!(series[1].counts[0].is_nan());
        assert_eq!(series[1].freq, 2);
    }

    #[test]
    fn a_day_after_the_largest_is_refused_not_overflowed() {
        // Found by the importers' fuzzing (crates/cordon/tests/fuzz): `prev + 1` overflowed.
        let err = parse_incidence("t,I\n9223372036854775807,1\n2,0\n").unwrap_err();
        assert!(matches!(err, StatsError::Parse { line: 3, column: 1, .. }), "{err}");
    }

    #[test]
    fn a_bad_count_is_reported_at_its_line_and_column() {
        let text = "unit,period_index,year,period,count,population\n\"a\",1,2001,1,x3,1\n";
        let err = parse_series(text, None).unwrap_err();
        assert!(matches!(err, StatsError::Parse { line: 2, column: 14, .. }), "{err}");
    }

    #[test]
    fn a_gap_in_period_index_is_an_error() {
        let text = "unit,period_index,year,period,count,population\n\"a\",1,2001,1,3,1\n\"a\",3,2001,3,3,1\n";
        let err = parse_series(text, None).unwrap_err();
        assert!(matches!(err, StatsError::Parse { line: 3, column: 5, .. }), "{err}");
    }

    #[test]
    fn a_short_row_is_an_error() {
        let text = "unit,period_index,year,period,count,population\n\"a\",1,2001,1,3\n";
        assert!(matches!(parse_series(text, None), Err(StatsError::Parse { line: 2, .. })));
    }

    #[test]
    fn incidence_with_dates_parses() {
        let inc = parse_incidence("t,date,I\n1,\"2009-04-27\",1\n2,\"2009-04-28\",NA\n").unwrap();
        assert_eq!(inc.counts, vec![1.0, 0.0]);
        assert_eq!(inc.dates.unwrap()[1].to_string(), "2009-04-28");
    }

    #[test]
    fn si_distribution_must_start_at_zero() {
        let err = parse_si_distr("k,w\n1,0.5\n").unwrap_err();
        assert!(matches!(err, StatsError::Parse { line: 2, column: 1, .. }));
    }
}
