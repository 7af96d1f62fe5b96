//! The JSON writer: compact, as `JSON.stringify` writes (non-ASCII characters as they are).

use super::Value;

/// Writes `v`: recursively for the first levels, then with an explicit stack (a value built in
/// Rust may be nested deeper than the stack).
pub(crate) fn value(out: &mut String, v: &Value) {
    value_at(out, v, 0)
}

fn value_at(out: &mut String, v: &Value, depth: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => n.write(out),
        Value::String(s) => string(out, s),
        _ if depth >= super::RECURSION_LIMIT => value_iterative(out, v),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                value_at(out, item, depth + 1);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(out, k);
                out.push(':');
                value_at(out, item, depth + 1);
            }
            out.push('}');
        }
    }
}

fn value_iterative(out: &mut String, v: &Value) {
    enum Open<'a> {
        Array(std::slice::Iter<'a, Value>),
        Object(std::slice::Iter<'a, (String, Value)>),
    }
    let mut stack: Vec<(Open, bool)> = Vec::new();
    let mut next = Some(v);
    loop {
        if let Some(v) = next.take() {
            match v {
                Value::Array(items) => {
                    out.push('[');
                    stack.push((Open::Array(items.iter()), true));
                }
                Value::Object(map) => {
                    out.push('{');
                    stack.push((Open::Object(map.entries.iter()), true));
                }
                scalar => value_at(out, scalar, 0),
            }
        }
        let Some((open, first)) = stack.last_mut() else { return };
        let item = match open {
            Open::Array(items) => items.next().map(|item| (None, item)),
            Open::Object(members) => members.next().map(|(k, item)| (Some(k), item)),
        };
        match item {
            Some((key, item)) => {
                if !std::mem::take(first) {
                    out.push(',');
                }
                if let Some(k) = key {
                    string(out, k);
                    out.push(':');
                }
                next = Some(item);
            }
            None => {
                out.push(if matches!(open, Open::Array(_)) { ']' } else { '}' });
                stack.pop();
            }
        }
    }
}

/// `s` as a JSON string literal.
pub(crate) fn string(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    if !bytes.iter().any(|&b| b == b'"' || b == b'\\' || b < 0x20) {
        // Most strings need no escape: the quotes and the text in one reserve and one copy
        // (pushed piece by piece, each went through several calls in the size-optimized module).
        // SAFETY: a quote, whole UTF-8 text and a quote are appended: the String stays UTF-8.
        unsafe {
            let v = out.as_mut_vec();
            v.reserve(bytes.len() + 2);
            let len = v.len();
            let p = v.as_mut_ptr().add(len);
            p.write(b'"');
            core::ptr::copy_nonoverlapping(bytes.as_ptr(), p.add(1), bytes.len());
            p.add(bytes.len() + 1).write(b'"');
            v.set_len(len + bytes.len() + 2);
        }
        return;
    }
    out.reserve(s.len() + 2);
    out.push('"');
    let mut start = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        // Only ASCII bytes need escaping, so runs between them are whole characters.
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(crate::text::cut(s, start, i));
        start = i + 1;
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(crate::text::tail(s, start));
    out.push('"');
}

#[cfg(test)]
mod tests {
    #[test]
    fn strings_escape_as_json_stringify_does() {
        let mut out = String::new();
        super::string(&mut out, "a\"b\\c\nd\re\tf\u{8}\u{c}\u{1}\u{1f} é😀/");
        assert_eq!(out, r#""a\"b\\c\nd\re\tf\b\f\u0001\u001f é😀/""#);
    }

    #[test]
    fn strings_without_escapes_are_appended_whole() {
        let mut out = String::from("[");
        for s in ["", "plain", "é😀 / ~", &"x".repeat(1000)] {
            super::string(&mut out, s);
            out.push(',');
        }
        let want = format!("[\"\",\"plain\",\"é😀 / ~\",\"{}\",", "x".repeat(1000));
        assert_eq!(out, want);
    }
}
