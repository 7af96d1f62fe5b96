//! The JSON reader: RFC 8259, iterative over nesting (deep input cannot overflow the stack), with
//! errors that give the line and column.

use std::fmt;

use super::{Map, Number, Value};

/// Why JSON text could not be read, and where.
///
/// # Examples
/// ```
/// let e = airflow_trigger::json::Value::parse("{\"a\": tru}").unwrap_err();
/// assert_eq!(e.to_string(), "expected a value at line 1, column 7");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    what: &'static str,
    line: usize,
    column: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::from(self.what);
        out.push_str(" at line ");
        super::number::write_u64(&mut out, self.line as u64);
        out.push_str(", column ");
        super::number::write_u64(&mut out, self.column as u64);
        f.write_str(&out)
    }
}

impl std::error::Error for ParseError {}

enum Frame {
    Array(Vec<Value>),
    Object(Vec<(String, Value)>, String),
}

struct Reader<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn error(&self, what: &'static str) -> ParseError {
        let before = &self.b[..self.i.min(self.b.len())];
        let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
        let start = before.iter().rposition(|&c| c == b'\n').map_or(0, |p| p + 1);
        let column = std::str::from_utf8(&before[start..]).map_or(before.len() - start, |s| s.chars().count()) + 1;
        ParseError { what, line, column }
    }

    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8, what: &'static str) -> Result<(), ParseError> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    /// A member's key and its colon.
    fn key(&mut self) -> Result<String, ParseError> {
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a key in quotes"));
        }
        let key = self.string()?;
        self.eat(b':', "expected ':'")?;
        Ok(key)
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value, ParseError> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.i += 1; // the opening quote
        let mut out = String::new();
        loop {
            let start = self.i;
            while self.i < self.b.len() && !matches!(self.b[self.i], b'"' | b'\\' | 0..=0x1f) {
                self.i += 1;
            }
            // The input is a &str and the run stops at ASCII bytes: always a char boundary.
            let run = self.s.get(start..self.i).ok_or_else(|| self.error("invalid UTF-8"))?;
            if out.is_empty() && self.b.get(self.i) == Some(&b'"') {
                // Most strings have no escapes: one allocation of the right size.
                self.i += 1;
                return Ok(run.to_owned());
            }
            out.push_str(run);
            match self.b.get(self.i) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let c = match self.b.get(self.i + 1) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.i += 2;
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) && self.b[self.i..].starts_with(b"\\u") {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    self.i = save;
                                    hi
                                }
                            } else {
                                hi
                            };
                            // A lone surrogate cannot be a Rust string; replacing it (U+FFFD) would
                            // change what the text says ("\ud800" and "\ud801" would compare equal).
                            let Some(c) = char::from_u32(code) else {
                                return Err(
                                    self.error("a lone surrogate escape (half of a UTF-16 pair) cannot be read")
                                );
                            };
                            out.push(c);
                            continue;
                        }
                        _ => {
                            self.i += 1;
                            return Err(self.error("invalid escape"));
                        }
                    };
                    out.push(c);
                    self.i += 2;
                }
                Some(_) => return Err(self.error("control character in a string (escape it)")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self.b.get(self.i..self.i + 4).ok_or_else(|| self.error("invalid \\u escape"))?;
        let mut n = 0;
        for &d in digits {
            n = n * 16 + (d as char).to_digit(16).ok_or_else(|| self.error("invalid \\u escape"))?;
        }
        self.i += 4;
        Ok(n)
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        // Integers of up to 19 digits (most numbers in a conf) are read in one pass, no text kept.
        let b = &self.b[self.i..];
        let negative = b[0] == b'-';
        let start = negative as usize;
        let (mut j, mut n) = (start, 0u64);
        while j < b.len() && j - start < 19 && b[j].is_ascii_digit() {
            n = n * 10 + (b[j] - b'0') as u64;
            j += 1;
        }
        let leading_zero = b.get(start) == Some(&b'0') && j > start + 1;
        if j > start && !leading_zero && !matches!(b.get(j), Some(b'0'..=b'9' | b'.' | b'e' | b'E')) {
            if let Some(number) = Number::integer(negative, n) {
                self.i += j;
                return Ok(Value::Number(number));
            }
        }
        let len = number_len(&self.b[self.i..]).ok_or_else(|| self.error("invalid number"))?;
        // ASCII only, so the slice is valid UTF-8.
        let text = std::str::from_utf8(&self.b[self.i..self.i + len]).unwrap_or("0");
        self.i += len;
        Ok(Value::Number(Number::from_text(text)))
    }
}

/// The length of the JSON number at the start of `b`, if one is there.
pub(crate) fn number_len(b: &[u8]) -> Option<usize> {
    let mut i = (b.first() == Some(&b'-')) as usize;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return None,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return None;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    Some(i)
}

/// Deeper input is refused: values are dropped recursively, and a wasm stack is 1 MB.
pub(crate) const MAX_NESTING: usize = 128;

/// `max` levels at most: [`MAX_NESTING`], or one more for an options object that holds a conf
/// (the conf's own 128 levels count from the conf).
pub(crate) fn parse(text: &str, max: usize) -> Result<Value, ParseError> {
    let mut r = Reader { s: text, b: text.as_bytes(), i: 0 };
    let mut stack: Vec<Frame> = Vec::new();
    let mut value;
    'value: loop {
        // Read one value; containers push a frame and start over with their first element.
        value = match r.peek() {
            None => return Err(r.error("expected a value")),
            Some(b'{' | b'[') if stack.len() == max => {
                return Err(r.error("nested more than 128 levels deep"));
            }
            Some(b'{') => {
                r.i += 1;
                if r.peek() == Some(b'}') {
                    r.i += 1;
                    Value::Object(Map::new())
                } else {
                    stack.push(Frame::Object(Vec::new(), r.key()?));
                    continue 'value;
                }
            }
            Some(b'[') => {
                r.i += 1;
                if r.peek() == Some(b']') {
                    r.i += 1;
                    Value::Array(Vec::new())
                } else {
                    stack.push(Frame::Array(Vec::new()));
                    continue 'value;
                }
            }
            Some(b'"') => Value::String(r.string()?),
            Some(b't') => r.literal("true", Value::Bool(true))?,
            Some(b'f') => r.literal("false", Value::Bool(false))?,
            Some(b'n') => r.literal("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => r.number()?,
            Some(_) => return Err(r.error("expected a value")),
        };
        // Hand the value to the enclosing containers, closing those that end here.
        loop {
            match stack.last_mut() {
                None => {
                    if r.peek().is_some() {
                        return Err(r.error("unexpected text after the value"));
                    }
                    return Ok(value);
                }
                Some(Frame::Array(items)) => {
                    items.push(value);
                    match r.peek() {
                        Some(b',') => {
                            r.i += 1;
                            continue 'value;
                        }
                        Some(b']') => {
                            r.i += 1;
                            value = Value::Array(std::mem::take(items));
                            stack.pop();
                        }
                        _ => return Err(r.error("expected ',' or ']'")),
                    }
                }
                Some(Frame::Object(members, key)) => {
                    members.push((std::mem::take(key), value));
                    match r.peek() {
                        Some(b',') => {
                            r.i += 1;
                            *key = r.key()?;
                            continue 'value;
                        }
                        Some(b'}') => {
                            r.i += 1;
                            value = Value::Object(Map::from_members(std::mem::take(members)));
                            stack.pop();
                        }
                        _ => return Err(r.error("expected ',' or '}'")),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Number, Value, MAX_NESTING};

    fn parse(text: &str) -> Result<Value, super::ParseError> {
        super::parse(text, MAX_NESTING)
    }

    #[test]
    fn errors_say_what_and_where() {
        for (text, want) in [
            ("", "expected a value at line 1, column 1"),
            ("[1,]", "expected a value at line 1, column 4"),
            ("{\n  \"a\" 1}", "expected ':' at line 2, column 7"),
            ("{\"a\":1 \"b\":2}", "expected ',' or '}' at line 1, column 8"),
            ("[01]", "expected ',' or ']' at line 1, column 3"),
            ("[1.]", "invalid number at line 1, column 2"),
            ("\"a\u{1}\"", "control character in a string (escape it) at line 1, column 3"),
            ("\"\\x\"", "invalid escape at line 1, column 3"),
            ("{} x", "unexpected text after the value at line 1, column 4"),
            ("{1:2}", "expected a key in quotes at line 1, column 2"),
            ("\"abc", "unterminated string at line 1, column 5"),
        ] {
            assert_eq!(parse(text).unwrap_err().to_string(), want, "{text:?}");
        }
    }

    #[test]
    fn integers_read_in_one_pass_equal_the_general_reading() {
        for text in [
            "0",
            "-0",
            "7",
            "-7",
            "1234567890123456789",
            "-1234567890123456789",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "9999999999999999999",
            "18446744073709551615",
            "18446744073709551616",
            "12345678901234567890",
            "1.5",
            "-0.0",
            "1e3",
            "10E-2",
        ] {
            let Ok(Value::Number(ref read)) = parse(text) else { panic!("{text}") };
            let general = Number::from_text(text);
            let facts = |n: &Number| (n.as_u64(), n.as_i64(), n.as_f64().to_bits(), n.is_f64(), n.to_string());
            assert_eq!(facts(read), facts(&general), "{text}");
        }
        for bad in ["-", "01", "-01", "1.", "--1", "1e"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn strings_and_deep_nesting() {
        assert_eq!(parse(r#""\ud83d\ude00 \u00e9""#).unwrap(), Value::String("😀 é".into()));
        assert!(parse(r#""\ud800""#).is_err());
        assert!(parse(r#""\udc00\ud800""#).is_err());
        let deep = |n: usize| "[".repeat(n) + &"]".repeat(n);
        assert!(parse(&deep(MAX_NESTING)).is_ok());
        let err = parse(&deep(100_000)).unwrap_err().to_string();
        assert_eq!(err, "nested more than 128 levels deep at line 1, column 129");
    }
}
