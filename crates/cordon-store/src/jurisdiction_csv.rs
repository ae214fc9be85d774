//! Reading the jurisdiction CSV (`code,name,parent_code,population`, header
//! required, any column order, parents before children) into import rows,
//! shared by `cordon import jurisdictions` and the administrator's upload
//! page. Every error names the line and column; [`locate`] does the same for
//! the errors [`crate::Store::import_nodes`] returns (`line N: field`).

use cordon_core::jurisdiction::NodeInput;

use crate::jurisdictions::ImportRow;

/// Column positions (1-based) of the known fields.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    code: usize,
    name: usize,
    parent_code: usize,
    population: Option<usize>,
}

/// Turns `line N: field` into `line N, column C (field): reason`.
#[must_use]
pub fn locate(field: &str, reason: &str, columns: &Columns) -> String {
    let (line, field) = field.split_once(": ").unwrap_or(("", field));
    let column = match field {
        "code" => Some(columns.code),
        "name" => Some(columns.name),
        "parent_code" => Some(columns.parent_code),
        "population" => columns.population,
        _ => None,
    };
    match column {
        Some(c) => format!("{line}, column {c} ({field}): {reason}"),
        None => format!("{line}: {field}: {reason}"),
    }
}

/// Parses the CSV text into import rows, or says where it is wrong.
pub fn parse(text: &str) -> Result<(Vec<ImportRow>, Columns), String> {
    // With CRLF line ends (browsers send form text that way) the csv crate
    // reports each record one line early; plain LF keeps the numbers right.
    // A byte-order mark (spreadsheets write one) is not part of the first column's name.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("line 1, column 1: cannot read the header: {e}"))?.clone();
    let find = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let need = |name: &str| {
        find(name).ok_or_else(|| format!("line 1: the header has no {name:?} column (expected code,name,parent_code,population)"))
    };
    let (code, name, parent) = (need("code")?, need("name")?, need("parent_code")?);
    let population = find("population");
    let columns = Columns { code: code + 1, name: name + 1, parent_code: parent + 1, population: population.map(|p| p + 1) };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| record_error(&e))?;
        let line = record.position().map_or(0, csv::Position::line);
        let get = |i: usize| record.get(i).unwrap_or("").to_owned();
        let population = match population {
            Some(i) if !get(i).is_empty() => get(i)
                .parse::<i64>()
                .map_err(|_| format!("line {line}, column {} (population): {:?} is not a whole number", i + 1, get(i)))?,
            _ => 0,
        };
        let parent_code = Some(get(parent)).filter(|p| !p.is_empty());
        let node = NodeInput { code: get(code), name: get(name), parent_code, population };
        if let Err(invalid) = node.check()
            && let Some(e) = invalid.errors.first()
        {
            return Err(locate(&format!("line {line}: {}", e.field), &e.reason.to_string(), &columns));
        }
        rows.push(ImportRow { line, node });
    }
    if rows.is_empty() {
        return Err("line 1: the file has a header but no rows".into());
    }
    Ok((rows, columns))
}

/// A record the csv reader refused, at its line and the first column that
/// is missing or one too many.
fn record_error(e: &csv::Error) -> String {
    let line = e.position().map_or(0, csv::Position::line);
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            let column = expected_len.min(len) + 1;
            format!("line {line}, column {column}: the record has {len} fields where the header has {expected_len}")
        }
        _ => format!("line {line}, column 1: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_file_parses_in_order() {
        let (rows, _) = parse("code,name,parent_code,population\nKR,Korea,,100\nP1,North,KR,60\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[1].line, rows[1].node.parent_code.as_deref()), (3, Some("KR")));
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let err = parse("name,code,parent_code,population\nKorea,KR,,100\nNorth,P1,KR,lots\n").unwrap_err();
        assert_eq!(err, "line 3, column 4 (population): \"lots\" is not a whole number");
        let err = parse("code,name,parent_code\nK/R,Korea,\n").unwrap_err();
        assert!(err.starts_with("line 2, column 1 (code):"), "{err}");
        let err = parse("code,name,parent_code,population\r\nKR,Korea,,100\r\nP1,North,KR,lots\r\n").unwrap_err();
        assert!(err.starts_with("line 3, column 4"), "CRLF files count lines too: {err}");
        let err = parse("code,name\nKR,Korea\n").unwrap_err();
        assert!(err.contains("parent_code"), "{err}");
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_header() {
        let (rows, _) = parse("\u{feff}code,name,parent_code\nKR,Korea,\n").unwrap();
        assert_eq!(rows[0].node.code, "KR");
    }

    #[test]
    fn a_record_with_too_few_or_too_many_fields_names_its_line_and_column() {
        // Found by the importers' fuzzing (crates/cordon/tests/fuzz): these named no column.
        let err = parse("code,name,parent_code,population\nKR,Korea,,100\nP1,North\n").unwrap_err();
        assert_eq!(err, "line 3, column 3: the record has 2 fields where the header has 4");
        let err = parse("code,name,parent_code\nKR,Korea,,100,extra\n").unwrap_err();
        assert_eq!(err, "line 2, column 4: the record has 5 fields where the header has 3");
    }
}
