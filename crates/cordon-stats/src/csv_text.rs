//! The CSV dialect of the reference files: reading fields with their positions,
//! and writing cells the way R's `write.csv` did.
//!
//! Reading is a small hand-written RFC 4180 reader so that every field knows its
//! 1-based line and character column; [`crate::table`] turns those fields into
//! series and reports errors at the exact spot. Writing follows the reference
//! conventions: text in double quotes (embedded quotes doubled), numbers as the
//! shortest of `%.15g`/`%.16g`/`%.17g` that reads back exactly, `NA` for missing,
//! `NaN`/`Inf`/`-Inf` where the arithmetic produced them, booleans as `1`/`0`/`NA`.

use std::fmt::Write as _;

use crate::error::StatsError;

/// One field of a CSV record, with where it starts in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The field's content, unquoted.
    pub text: String,
    /// Whether the field was written in double quotes.
    pub quoted: bool,
    /// 1-based line where the field starts.
    pub line: usize,
    /// 1-based character column where the field starts.
    pub column: usize,
}

impl Field {
    /// A parse error located at this field.
    #[must_use]
    pub fn error(&self, message: impl Into<String>) -> StatsError {
        StatsError::Parse { line: self.line, column: self.column, message: message.into() }
    }
}

/// One CSV record: its fields and the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The fields, in order.
    pub fields: Vec<Field>,
    /// 1-based line where the record starts.
    pub line: usize,
}

/// Splits CSV text into records. Blank lines are skipped; `\r\n` is accepted;
/// a leading byte-order mark is not part of the first field.
///
/// # Errors
/// [`StatsError::Parse`] for an unterminated quoted field or text after a closing quote.
pub fn read_records(text: &str) -> Result<Vec<Record>, StatsError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut cursor = Cursor { chars: text.chars().peekable(), line: 1, column: 1 };
    loop {
        cursor.skip_blank_lines();
        if cursor.chars.peek().is_none() {
            return Ok(records);
        }
        let record_line = cursor.line;
        let mut fields = Vec::new();
        loop {
            fields.push(cursor.field()?);
            match cursor.chars.next() {
                Some(',') => cursor.column += 1,
                Some(_) => {
                    cursor.line += 1;
                    cursor.column = 1;
                    break;
                }
                None => break,
            }
        }
        records.push(Record { fields, line: record_line });
    }
}

/// Where the reader is in the text.
struct Cursor<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    column: usize,
}

impl Cursor<'_> {
    /// Skips blank lines between records.
    fn skip_blank_lines(&mut self) {
        while let Some(&c) = self.chars.peek() {
            if c == '\n' {
                self.chars.next();
                self.line += 1;
                self.column = 1;
            } else if c == '\r' {
                self.chars.next();
                self.column += 1;
            } else {
                break;
            }
        }
    }

    /// One field, up to (not including) the comma or line end after it.
    fn field(&mut self) -> Result<Field, StatsError> {
        let (start_line, start_column) = (self.line, self.column);
        let quoted = self.chars.peek() == Some(&'"');
        let mut value = if quoted { self.quoted(start_line, start_column)? } else { String::new() };
        while let Some(&c) = self.chars.peek() {
            if c == ',' || c == '\n' {
                break;
            }
            if c == '\r' {
                self.chars.next();
                self.column += 1;
                continue;
            }
            if quoted {
                return Err(StatsError::Parse {
                    line: self.line,
                    column: self.column,
                    message: format!("unexpected `{c}` after a closing quote"),
                });
            }
            value.push(c);
            self.chars.next();
            self.column += 1;
        }
        Ok(Field { text: value, quoted, line: start_line, column: start_column })
    }

    /// The value of a quoted field, from its opening quote to its closing one.
    fn quoted(&mut self, start_line: usize, start_column: usize) -> Result<String, StatsError> {
        let mut value = String::new();
        self.chars.next();
        self.column += 1;
        loop {
            match self.chars.next() {
                None => {
                    return Err(StatsError::Parse {
                        line: start_line,
                        column: start_column,
                        message: "quoted field is never closed".into(),
                    });
                }
                Some('"') if self.chars.peek() == Some(&'"') => {
                    self.chars.next();
                    self.column += 2;
                    value.push('"');
                }
                Some('"') => {
                    self.column += 1;
                    return Ok(value);
                }
                Some('\n') => {
                    self.line += 1;
                    self.column = 1;
                    value.push('\n');
                }
                Some(c) => {
                    self.column += 1;
                    value.push(c);
                }
            }
        }
    }
}

/// A value in an output table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// R's `NA`.
    Na,
    /// A number; NaN and infinities print as `NaN`, `Inf`, `-Inf`.
    Num(f64),
    /// Text, written in double quotes.
    Text(String),
}

impl Cell {
    /// `NA` for `None`, else the number.
    #[must_use]
    pub fn opt(value: Option<f64>) -> Self {
        value.map_or(Self::Na, Self::Num)
    }

    /// A count: `NA` when it is missing (NaN), else the number.
    #[must_use]
    pub fn count(value: f64) -> Self {
        if value.is_nan() { Self::Na } else { Self::Num(value) }
    }

    /// A boolean as `1`/`0`, `NA` for `None`.
    #[must_use]
    pub fn flag(value: Option<bool>) -> Self {
        value.map_or(Self::Na, |b| Self::Num(if b { 1.0 } else { 0.0 }))
    }

    /// An index or other whole number.
    #[must_use]
    pub fn index(value: usize) -> Self {
        // Indices here are far below 2^53, so the conversion is exact.
        Self::Num(value as f64)
    }

    /// Appends the cell's CSV text to `out`.
    pub fn write_to(&self, out: &mut String) {
        match self {
            Self::Na => out.push_str("NA"),
            Self::Num(x) => out.push_str(&format_number(*x)),
            Self::Text(t) => {
                out.push('"');
                out.push_str(&t.replace('"', "\"\""));
                out.push('"');
            }
        }
    }
}

/// Formats a number as the reference files do: the shortest of `%.15g`, `%.16g`
/// and `%.17g` that reads back as the same double, with C's `%g` layout
/// (`1e-05`, `1.0448635907603513e+21`), and `NaN`, `Inf`, `-Inf`.
#[must_use]
pub fn format_number(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Inf".into() } else { "-Inf".into() };
    }
    if x == 0.0 {
        return "0".into();
    }
    // Rust's LowerExp prints the shortest round-tripping digits, e.g. "1.2345e-7".
    let sci = format!("{x:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    // For ≤ 15 significant digits %.15g reproduces them exactly (DBL_DIG = 15);
    // 16 and 17 digits need %.16g and %.17g.
    let precision = i32::try_from(digits.len()).unwrap_or(17).max(15);
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if exponent < -4 || exponent >= precision {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exponent < 0 { '-' } else { '+' });
        let _ = write!(out, "{:02}", exponent.unsigned_abs());
    } else if exponent < 0 {
        out.push_str("0.");
        for _ in 0..(-exponent - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let int_len = usize::try_from(exponent).unwrap_or(0) + 1;
        if digits.len() <= int_len {
            out.push_str(&digits);
            for _ in digits.len()..int_len {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    }
    out
}

/// Writes a header line and rows of cells as CSV text ending in `\n`.
#[must_use]
pub fn write_table(header: &[&str], rows: impl IntoIterator<Item = Vec<Cell>>) -> String {
    let mut out = header.join(",");
    out.push('\n');
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            cell.write_to(&mut out);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[expect(clippy::unreadable_literal, reason = "each number is written digit for digit as the R text beside it")]
    fn numbers_print_like_r() {
        let cases = [
            (1.0, "1"),
            (1289.0, "1289"),
            (0.1, "0.1"),
            (1e-5, "1e-05"),
            (-2.549796618995697e-05, "-2.549796618995697e-05"),
            (1.0448635907603513e21, "1.0448635907603513e+21"),
            (2.220446049250313e-16, "2.220446049250313e-16"),
            (0.052274685256381785, "0.052274685256381785"),
            (951.383146009828, "951.383146009828"),
            (1e15, "1e+15"),
            (123456789012345.0, "123456789012345"),
            (0.0001, "0.0001"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Inf"),
        ];
        for (x, text) in cases {
            assert_eq!(format_number(x), text);
        }
    }

    #[test]
    fn fields_know_their_line_and_column() {
        let records = read_records("a,b\n\"x, y\",2\r\n\n3,\"q\"\"\"\n").unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(records[1].fields[0].text, "x, y");
        assert_eq!(records[1].fields[1].column, 8);
        assert_eq!(records[2].line, 4);
        assert_eq!(records[2].fields[1].text, "q\"");
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_field() {
        let records = read_records("\u{feff}k,w\n0,1\n").unwrap();
        assert_eq!((records[0].fields[0].text.as_str(), records[0].fields[0].column), ("k", 1));
    }

    #[test]
    fn unclosed_quote_is_an_error_at_its_start() {
        let err = read_records("a\n\"abc\n").unwrap_err();
        assert_eq!(err, StatsError::Parse { line: 2, column: 1, message: "quoted field is never closed".into() });
    }
}
