//! serde for [`Value`] (feature `serde`): `Serialize` and `Deserialize` without going through
//! JSON text, conversions to and from `serde_json::Value`, and [`to_value`] / [`from_value`].
//!
//! Nesting: every path here refuses values nested deeper than [`MAX_NESTING`] (128, what
//! [`Value::parse`] accepts) with an error instead of recursing without bound.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, Serializer};

use super::number::{finite, from_i128, from_u128};
use super::{Map, Number, Value, MAX_NESTING};

fn too_deep() -> String {
    format!("nested more than {MAX_NESTING} levels deep")
}

// ---------------------------------------------------------------------------------------------
// Serialize

/// Written as the format's null, booleans, numbers (see [`Number`]'s `Serialize`), strings,
/// sequences and maps, members in order. A value nested deeper than [`MAX_NESTING`] is an error
/// (serializers recurse).
///
/// # Examples
/// ```
/// use airflow_trigger::json;
/// let v = json!({"b": [1, 2.5, null], "a": "x"});
/// assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"b":[1,2.5,null],"a":"x"}"#);
/// ```
impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Nested { v: self, depth: 0 }.serialize(s)
    }
}

/// An object as a map, members in order.
impl Serialize for Map {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_map(self, 0, s)
    }
}

/// A value and how many containers hold it.
struct Nested<'a> {
    v: &'a Value,
    depth: usize,
}

impl Serialize for Nested<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.v {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => n.serialize(s),
            Value::String(t) => s.serialize_str(t),
            Value::Array(a) => {
                if self.depth >= MAX_NESTING {
                    return Err(ser::Error::custom(too_deep()));
                }
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for v in a {
                    seq.serialize_element(&Nested { v, depth: self.depth + 1 })?;
                }
                seq.end()
            }
            Value::Object(m) => serialize_map(m, self.depth, s),
        }
    }
}

fn serialize_map<S: Serializer>(m: &Map, depth: usize, s: S) -> Result<S::Ok, S::Error> {
    if depth >= MAX_NESTING {
        return Err(ser::Error::custom(too_deep()));
    }
    let mut map = s.serialize_map(Some(m.len()))?;
    for (k, v) in m.iter() {
        map.serialize_entry(k, &Nested { v, depth: depth + 1 })?;
    }
    map.end()
}

// ---------------------------------------------------------------------------------------------
// Deserialize

/// Read directly from any self-describing format (no JSON text in between): integers stay
/// integers (`1` and `1.0` differ; a format's `u128`/`i128` are kept exactly), members keep their
/// order, and a repeated key keeps its first place and its last value (as [`Value::parse`] and
/// `JSON.parse` do). Refused: NaN and the infinities (JSON has none), and nesting deeper than
/// [`MAX_NESTING`].
///
/// The format decides what a number is before this sees it: serde_json's reader (without its
/// `arbitrary_precision` feature) hands over an integer beyond 64 bits as an approximate `f64`,
/// and refuses `1e400` and nesting deeper than 127. [`Value::parse`] keeps such numbers exactly.
///
/// # Examples
/// ```
/// use airflow_trigger::json::Value;
/// let v: Value = serde_json::from_str(r#"{"z": 1, "a": [1.0, 18446744073709551615], "z": 2}"#).unwrap();
/// assert_eq!(v.to_string(), r#"{"z":2,"a":[1.0,18446744073709551615]}"#);
/// assert_eq!(v["a"][0].as_u64(), None, "1.0 stays a float");
/// ```
impl<'de> de::Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        Seed { depth: 0 }.deserialize(d)
    }
}

/// An object (anything else is an error).
impl<'de> de::Deserialize<'de> for Map {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Map, D::Error> {
        let mut v = (Seed { depth: 0 }).deserialize(d)?;
        match v.as_object_mut() {
            Some(m) => Ok(std::mem::take(m)),
            None => Err(de::Error::invalid_type(unexpected(&v), &"a JSON object")),
        }
    }
}

fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => de::Unexpected::Float(n.as_f64()),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

/// Reads one value inside `depth` containers.
#[derive(Clone, Copy)]
struct Seed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(Number::from(n)))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(Number::from(n)))
    }

    fn visit_i128<E: de::Error>(self, n: i128) -> Result<Value, E> {
        Ok(Value::Number(from_i128(n)))
    }

    fn visit_u128<E: de::Error>(self, n: u128) -> Result<Value, E> {
        Ok(Value::Number(from_u128(n)))
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        finite(f).map(Value::Number)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        if self.depth >= MAX_NESTING {
            return Err(de::Error::custom(too_deep()));
        }
        let inner = Seed { depth: self.depth + 1 };
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element_seed(inner)? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        if self.depth >= MAX_NESTING {
            return Err(de::Error::custom(too_deep()));
        }
        let inner = Seed { depth: self.depth + 1 };
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(inner)?;
            members.push((k, v));
        }
        Ok(Value::Object(Map::from_members(members)))
    }
}

// ---------------------------------------------------------------------------------------------
// serde_json::Value

/// From a `serde_json::Value`, without loss and without recursion (any depth): integers stay
/// integers, floats stay floats (`1.0` is written `1.0`), members keep serde_json's order (the
/// order written with serde_json's `preserve_order` feature, sorted by key without it). With
/// serde_json's `arbitrary_precision` feature, a number's text is kept as serde_json holds it.
///
/// # Examples
/// ```
/// use airflow_trigger::json::Value;
/// let v = Value::from(serde_json::json!({"n": 1, "f": 1.0, "big": u64::MAX}));
/// assert_eq!(v["f"].to_string(), "1.0");
/// assert_eq!(v["big"].as_u64(), Some(u64::MAX));
/// ```
impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Value {
        enum Open {
            Array(std::vec::IntoIter<serde_json::Value>, Vec<Value>),
            Object(serde_json::map::IntoIter, Vec<(String, Value)>),
        }
        let mut stack: Vec<Open> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        let mut current = v;
        loop {
            // Open the current value, or convert it if it is a leaf. Containers are taken apart
            // element by element, so serde_json's recursive drop never sees a deep value.
            let mut done = match current {
                serde_json::Value::Array(a) => {
                    stack.push(Open::Array(a.into_iter(), Vec::new()));
                    None
                }
                serde_json::Value::Object(m) => {
                    stack.push(Open::Object(m.into_iter(), Vec::new()));
                    None
                }
                serde_json::Value::Null => Some(Value::Null),
                serde_json::Value::Bool(b) => Some(Value::Bool(b)),
                serde_json::Value::Number(n) => Some(from_serde_json_number(&n)),
                serde_json::Value::String(s) => Some(Value::String(s)),
            };
            // Attach what is done to its container, closing the containers that are used up,
            // until a container has a next element.
            current = loop {
                if let Some(v) = done.take() {
                    match stack.last_mut() {
                        None => return v,
                        Some(Open::Array(_, built)) => built.push(v),
                        Some(Open::Object(_, built)) => {
                            built.push((keys.pop().expect("a member's key is pushed with it"), v))
                        }
                    }
                }
                let next = match stack.last_mut().expect("a container is open") {
                    Open::Array(items, _) => items.next(),
                    Open::Object(members, _) => members.next().map(|(k, v)| {
                        keys.push(k);
                        v
                    }),
                };
                match next {
                    Some(child) => break child,
                    None => {
                        done = Some(match stack.pop().expect("a container is open") {
                            Open::Array(_, built) => Value::Array(built),
                            Open::Object(_, built) => Value::Object(Map::from_members(built)),
                        })
                    }
                }
            };
        }
    }
}

fn from_serde_json_number(n: &serde_json::Number) -> Value {
    if let Some(u) = n.as_u64() {
        return Value::Number(Number::from(u));
    }
    if let Some(i) = n.as_i64() {
        return Value::Number(Number::from(i));
    }
    // A float: serde_json writes it with a `.` or an exponent (`1.0`, `1e300`), so it stays a
    // float; with `arbitrary_precision`, this is the number's own text.
    Number::parse(&n.to_string()).or_else(|| n.as_f64().and_then(Number::from_f64)).map_or(Value::Null, Value::Number)
}

/// Into a `serde_json::Value`, which holds less than [`Value`]: see the `TryFrom<&Value>` impl.
impl TryFrom<Value> for serde_json::Value {
    type Error = crate::Error;
    fn try_from(v: Value) -> crate::Result<serde_json::Value> {
        serde_json::Value::try_from(&v)
    }
}

/// Into a `serde_json::Value` (serde_json without its `arbitrary_precision` feature holds
/// integers of 64 bits and finite `f64`s only).
///
/// - Integers from -2^63 to 2^64-1 are kept exactly, as integers. `-0` (an integer, `0`, as
///   Python reads it) becomes `0`.
/// - Numbers with a fraction or an exponent become the `f64` the crate reads too (the nearest
///   one, as serde_json's own parser reads the same text): their value is kept, their text is
///   serde_json's (`2.50` is `2.5`, `1e3` is `1000.0`, `-0.0` stays `-0.0`), and digits beyond an
///   `f64`'s precision are lost, as in `serde_json::from_str`.
/// - Fails, with an `INVALID_ARGUMENT` error that gives the number and its JSON Pointer: an
///   integer beyond 64 bits (`18446744073709551616`, `-9223372036854775809`; serde_json's parser
///   would make it an approximate float), a number beyond an `f64`'s range (`1e400`; serde_json's
///   parser refuses it too), and a value nested deeper than [`MAX_NESTING`] (serde_json's
///   values drop and compare recursively).
///
/// Members keep their order with serde_json's `preserve_order` feature; without it serde_json
/// sorts them by key.
///
/// # Examples
/// ```
/// use airflow_trigger::json::Value;
/// let v = airflow_trigger::json!({"n": [1, 2.5, -0]});
/// assert_eq!(serde_json::Value::try_from(&v).unwrap(), serde_json::json!({"n": [1, 2.5, 0]}));
/// let big = Value::parse(r#"{"n": [18446744073709551616]}"#).unwrap();
/// let err = serde_json::Value::try_from(&big).unwrap_err();
/// assert_eq!(err.code(), airflow_trigger::ErrorCode::InvalidArgument);
/// assert!(err.message().contains("18446744073709551616 at /n/0"), "{err}");
/// ```
impl TryFrom<&Value> for serde_json::Value {
    type Error = crate::Error;
    fn try_from(v: &Value) -> crate::Result<serde_json::Value> {
        if super::deeper_than(v, MAX_NESTING) {
            return Err(crate::Error::invalid_argument("value", too_deep()));
        }
        let mut path = Vec::new();
        // At most MAX_NESTING levels of recursion, checked above.
        to_serde_json(v, &mut path).map_err(|problem| crate::Error::invalid_argument("value", problem))
    }
}

fn to_serde_json<'a>(v: &'a Value, path: &mut Vec<PathToken<'a>>) -> Result<serde_json::Value, String> {
    Ok(match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Number(n) => serde_json::Value::Number(
            to_serde_json_number(n).map_err(|problem| format!("{n} at {} {problem}", pointer(path)))?,
        ),
        Value::Array(a) => {
            let mut out = Vec::with_capacity(a.len());
            for (i, x) in a.iter().enumerate() {
                path.push(PathToken::Index(i));
                out.push(to_serde_json(x, path)?);
                path.pop();
            }
            serde_json::Value::Array(out)
        }
        Value::Object(m) => {
            let mut out = serde_json::Map::new();
            for (k, x) in m.iter() {
                path.push(PathToken::Key(k));
                out.insert(k.clone(), to_serde_json(x, path)?);
                path.pop();
            }
            serde_json::Value::Object(out)
        }
    })
}

enum PathToken<'a> {
    Key(&'a str),
    Index(usize),
}

/// The JSON Pointer of `path` (`""` is written as `/`, the root, for messages).
fn pointer(path: &[PathToken<'_>]) -> String {
    if path.is_empty() {
        return "/".into();
    }
    let mut out = String::new();
    for t in path {
        out.push('/');
        match t {
            PathToken::Key(k) => out.push_str(&crate::schema::uri::escape_token(k)),
            PathToken::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

fn to_serde_json_number(n: &Number) -> Result<serde_json::Number, &'static str> {
    if let Some(u) = n.as_u64() {
        return Ok(u.into());
    }
    if let Some(i) = n.as_i64() {
        return Ok(i.into());
    }
    if n.is_integer_text() {
        return Err("is an integer beyond 64 bits, which serde_json::Value cannot hold exactly");
    }
    serde_json::Number::from_f64(n.as_f64()).ok_or("is beyond the range of an f64, which serde_json::Value cannot hold")
}

// ---------------------------------------------------------------------------------------------
// to_value / from_value

/// Any `T: Serialize` as a [`Value`], built directly (no JSON text in between): struct fields
/// and map entries in the order they are serialized, integers as integers (`u128`/`i128`
/// exactly), `f32`s by their shortest decimal (`0.1f32` is `0.1`), `None` and `()` as `null`, enums
/// as serde_json writes them (`"Unit"`, `{"Variant": ...}`). Map keys may be strings, chars,
/// integers or booleans (written as text, as serde_json does); a repeated key keeps its first
/// place and its last value.
///
/// # Errors
/// `INVALID_ARGUMENT` for the field `value`, with the JSON Pointer of what failed: a NaN or
/// infinite float, a map key of another kind, nesting deeper than [`MAX_NESTING`], or an error
/// of `T`'s own `Serialize`.
///
/// # Examples
/// ```
/// use airflow_trigger::json::{self, to_value};
/// #[derive(serde::Serialize)]
/// struct Etl { day: &'static str, retries: u8, ratio: f64 }
/// let v = to_value(&Etl { day: "2024-01-01", retries: 3, ratio: 0.5 }).unwrap();
/// assert_eq!(v.to_string(), r#"{"day":"2024-01-01","retries":3,"ratio":0.5}"#);
/// let err = to_value(&Etl { day: "x", retries: 0, ratio: f64::NAN }).unwrap_err();
/// assert_eq!(err.to_string(), "value: NaN is not a JSON number (at /ratio)");
/// ```
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> crate::Result<Value> {
    to_value_for("value", value)
}

/// [`to_value`] with errors about `field`.
pub(crate) fn to_value_for<T: Serialize + ?Sized>(field: &str, value: &T) -> crate::Result<Value> {
    value.serialize(ValueSerializer { depth: 0 }).map_err(|e| {
        let problem = if e.path.is_empty() {
            e.message
        } else {
            let mut at = String::new();
            for token in e.path.iter().rev() {
                at.push('/');
                at.push_str(&crate::schema::uri::escape_token(token));
            }
            format!("{} (at {at})", e.message)
        };
        crate::Error::invalid_argument(field, problem)
    })
}

/// A [`Value`] as any `T: DeserializeOwned`, through `serde_json::Value` (so with its limits:
/// see `TryFrom<&Value> for serde_json::Value`).
///
/// # Errors
/// `INVALID_ARGUMENT` for the field `value`: a number serde_json cannot hold, or `T` refusing
/// the value (serde_json's message, e.g. ``missing field `day` ``).
///
/// # Examples
/// ```
/// use airflow_trigger::json::{from_value, Value};
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct Etl { day: String, retries: u8 }
/// let run = airflow_trigger::parse_dag_run(
///     r#"{"dag_id":"etl","dag_run_id":"r1","state":"queued","conf":{"day":"2024-01-01","retries":3}}"#,
/// ).unwrap();
/// let conf: Etl = from_value(&run.conf).unwrap();
/// assert_eq!(conf, Etl { day: "2024-01-01".into(), retries: 3 });
/// assert!(from_value::<Etl>(&airflow_trigger::json!({"day": 1})).is_err());
/// ```
pub fn from_value<T: serde::de::DeserializeOwned>(value: &Value) -> crate::Result<T> {
    let v = serde_json::Value::try_from(value)?;
    serde_json::from_value(v).map_err(|e| crate::Error::invalid_argument("value", e))
}

/// What failed while serializing, and where (path tokens innermost first).
#[derive(Debug)]
struct SerError {
    message: String,
    path: Vec<String>,
}

impl SerError {
    fn new(message: impl Into<String>) -> SerError {
        SerError { message: message.into(), path: Vec::new() }
    }

    fn at(mut self, token: impl fmt::Display) -> SerError {
        self.path.push(token.to_string());
        self
    }
}

impl fmt::Display for SerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SerError {}

impl ser::Error for SerError {
    fn custom<T: fmt::Display>(msg: T) -> SerError {
        SerError::new(msg.to_string())
    }
}

/// Builds a [`Value`]; `depth` is how many containers hold the value being built.
#[derive(Clone, Copy)]
struct ValueSerializer {
    depth: usize,
}

impl ValueSerializer {
    /// The depth of a container's children, if a container may open here.
    fn open(self) -> Result<usize, SerError> {
        if self.depth >= MAX_NESTING {
            Err(SerError::new(too_deep()))
        } else {
            Ok(self.depth + 1)
        }
    }
}

fn float(f: f64) -> Result<Value, SerError> {
    Number::from_f64(f).map(Value::Number).ok_or_else(|| {
        SerError::new(if f.is_nan() { "NaN is not a JSON number" } else { "an infinite float is not a JSON number" })
    })
}

impl Serializer for ValueSerializer {
    type Ok = Value;
    type Error = SerError;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = VariantBuilder<SeqBuilder>;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = VariantBuilder<MapBuilder>;

    fn serialize_bool(self, v: bool) -> Result<Value, SerError> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, SerError> {
        Ok(Value::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, SerError> {
        Ok(Value::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, SerError> {
        Ok(Value::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, SerError> {
        Ok(Value::from(v))
    }
    fn serialize_i128(self, v: i128) -> Result<Value, SerError> {
        Ok(Value::Number(from_i128(v)))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, SerError> {
        Ok(Value::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, SerError> {
        Ok(Value::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, SerError> {
        Ok(Value::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, SerError> {
        Ok(Value::from(v))
    }
    fn serialize_u128(self, v: u128) -> Result<Value, SerError> {
        Ok(Value::Number(from_u128(v)))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, SerError> {
        float(v as f64)?;
        Ok(Value::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, SerError> {
        float(v)
    }
    fn serialize_char(self, v: char) -> Result<Value, SerError> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, SerError> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, SerError> {
        self.open()?;
        Ok(Value::Array(v.iter().map(|&b| Value::from(b)).collect()))
    }
    fn serialize_none(self) -> Result<Value, SerError> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, SerError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, SerError> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, SerError> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value, SerError> {
        Ok(Value::String(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Value, SerError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, SerError> {
        let depth = self.open()?;
        let inner = value.serialize(ValueSerializer { depth }).map_err(|e| e.at(variant))?;
        Ok(Value::Object(Map::from_members(vec![(variant.to_string(), inner)])))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, SerError> {
        let depth = self.open()?;
        Ok(SeqBuilder { items: Vec::with_capacity(len.unwrap_or(0).min(4096)), depth })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqBuilder, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder<SeqBuilder>, SerError> {
        let depth = self.open()?;
        let inner = ValueSerializer { depth }.serialize_seq(Some(len)).map_err(|e| e.at(variant))?;
        Ok(VariantBuilder { variant, inner })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, SerError> {
        let depth = self.open()?;
        Ok(MapBuilder { members: Vec::with_capacity(len.unwrap_or(0).min(4096)), key: None, depth })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<MapBuilder, SerError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder<MapBuilder>, SerError> {
        let depth = self.open()?;
        let inner = ValueSerializer { depth }.serialize_map(Some(len)).map_err(|e| e.at(variant))?;
        Ok(VariantBuilder { variant, inner })
    }
}

struct SeqBuilder {
    items: Vec<Value>,
    depth: usize,
}

impl SerializeSeq for SeqBuilder {
    type Ok = Value;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        let v = value.serialize(ValueSerializer { depth: self.depth }).map_err(|e| e.at(self.items.len()))?;
        self.items.push(v);
        Ok(())
    }
    fn end(self) -> Result<Value, SerError> {
        Ok(Value::Array(self.items))
    }
}

impl ser::SerializeTuple for SeqBuilder {
    type Ok = Value;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, SerError> {
        SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Value;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, SerError> {
        SerializeSeq::end(self)
    }
}

struct MapBuilder {
    members: Vec<(String, Value)>,
    key: Option<String>,
    depth: usize,
}

impl MapBuilder {
    fn member<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<(), SerError> {
        match value.serialize(ValueSerializer { depth: self.depth }) {
            Ok(v) => {
                self.members.push((key, v));
                Ok(())
            }
            Err(e) => Err(e.at(key)),
        }
    }
}

impl SerializeMap for MapBuilder {
    type Ok = Value;
    type Error = SerError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerError> {
        self.key = Some(key.serialize(KeySerializer)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        let key = self.key.take().ok_or_else(|| SerError::new("a map value was serialized before its key"))?;
        self.member(key, value)
    }
    fn end(self) -> Result<Value, SerError> {
        Ok(Value::Object(Map::from_members(self.members)))
    }
}

impl ser::SerializeStruct for MapBuilder {
    type Ok = Value;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), SerError> {
        self.member(key.to_string(), value)
    }
    fn end(self) -> Result<Value, SerError> {
        SerializeMap::end(self)
    }
}

/// `{variant: inner}`.
struct VariantBuilder<B> {
    variant: &'static str,
    inner: B,
}

impl<B> VariantBuilder<B> {
    fn wrap(variant: &'static str, inner: Value) -> Value {
        Value::Object(Map::from_members(vec![(variant.to_string(), inner)]))
    }
}

impl ser::SerializeTupleVariant for VariantBuilder<SeqBuilder> {
    type Ok = Value;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        SerializeSeq::serialize_element(&mut self.inner, value).map_err(|e| e.at(self.variant))
    }
    fn end(self) -> Result<Value, SerError> {
        Ok(Self::wrap(self.variant, SerializeSeq::end(self.inner)?))
    }
}

impl ser::SerializeStructVariant for VariantBuilder<MapBuilder> {
    type Ok = Value;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), SerError> {
        self.inner.member(key.to_string(), value).map_err(|e| e.at(self.variant))
    }
    fn end(self) -> Result<Value, SerError> {
        Ok(Self::wrap(self.variant, SerializeMap::end(self.inner)?))
    }
}

/// Map keys: JSON object keys are strings; integers, chars and booleans are written as text.
struct KeySerializer;

fn bad_key() -> SerError {
    SerError::new("a map key must be a string, an integer, a char or a boolean (JSON object keys are strings)")
}

impl Serializer for KeySerializer {
    type Ok = String;
    type Error = SerError;
    type SerializeSeq = ser::Impossible<String, SerError>;
    type SerializeTuple = ser::Impossible<String, SerError>;
    type SerializeTupleStruct = ser::Impossible<String, SerError>;
    type SerializeTupleVariant = ser::Impossible<String, SerError>;
    type SerializeMap = ser::Impossible<String, SerError>;
    type SerializeStruct = ser::Impossible<String, SerError>;
    type SerializeStructVariant = ser::Impossible<String, SerError>;

    fn serialize_bool(self, v: bool) -> Result<String, SerError> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, SerError> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, SerError> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, SerError> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, SerError> {
        Ok(v.to_string())
    }
    fn serialize_i128(self, v: i128) -> Result<String, SerError> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, SerError> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, SerError> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, SerError> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, SerError> {
        Ok(v.to_string())
    }
    fn serialize_u128(self, v: u128) -> Result<String, SerError> {
        Ok(v.to_string())
    }
    fn serialize_f32(self, _v: f32) -> Result<String, SerError> {
        Err(bad_key())
    }
    fn serialize_f64(self, _v: f64) -> Result<String, SerError> {
        Err(bad_key())
    }
    fn serialize_char(self, v: char) -> Result<String, SerError> {
        Ok(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<String, SerError> {
        Ok(v.to_string())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<String, SerError> {
        Err(bad_key())
    }
    fn serialize_none(self) -> Result<String, SerError> {
        Err(bad_key())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<String, SerError> {
        Err(bad_key())
    }
    fn serialize_unit(self) -> Result<String, SerError> {
        Err(bad_key())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<String, SerError> {
        Err(bad_key())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String, SerError> {
        Ok(variant.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String, SerError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<String, SerError> {
        Err(bad_key())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, SerError> {
        Err(bad_key())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, SerError> {
        Err(bad_key())
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeTupleStruct, SerError> {
        Err(bad_key())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, SerError> {
        Err(bad_key())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, SerError> {
        Err(bad_key())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct, SerError> {
        Err(bad_key())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, SerError> {
        Err(bad_key())
    }
}
