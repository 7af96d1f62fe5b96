//! JSON values, parsed and written by the crate itself: a fraction of serde_json's code in the
//! wasm module (no serde visitors, no B-tree, no float formatting). Objects keep their members in
//! the order written (a conf reaches Airflow as the caller wrote it, a DAG's Params in the DAG's
//! order); numbers keep the text they were written with (`1.0`, `1e3`, a 30-digit integer).
//!
//! # Examples
//! ```
//! use airflow_trigger::json::Value;
//! use airflow_trigger::json;
//!
//! let v = Value::parse(r#"{"b": [1, 2.50], "a": null}"#).unwrap();
//! assert_eq!(v["b"][1].as_f64(), Some(2.5));
//! assert_eq!(v.to_string(), r#"{"b":[1,2.50],"a":null}"#);
//! assert_eq!(v, json!({"a": null, "b": [1, 2.5]}));
//! ```

mod macros;
mod number;
mod parse;
#[cfg(feature = "serde")]
mod serde_impl;
mod write;

use std::fmt;
use std::ops::Index;

pub use number::Number;
pub use parse::ParseError;
#[cfg(feature = "serde")]
pub(crate) use serde_impl::to_value_for;
#[cfg(feature = "serde")]
pub use serde_impl::{from_value, to_value};
pub(crate) use write::string as write_string;
pub(crate) use write::value as write_value;

/// Deepest nesting the crate accepts in a value (the JSON reader's limit, and what the crate
/// checks in a value built in Rust before it copies or compares it recursively).
///
/// # Examples
/// ```
/// use airflow_trigger::json::{Value, MAX_NESTING};
/// let nested = |n: usize| "[".repeat(n) + &"]".repeat(n);
/// assert!(Value::parse(&nested(MAX_NESTING)).is_ok());
/// assert!(Value::parse(&nested(MAX_NESTING + 1)).is_err());
/// ```
pub const MAX_NESTING: usize = parse::MAX_NESTING;

/// Whether `v` is nested deeper than `limit` (`[]` is depth 1), found without recursion.
///
/// # Examples
/// ```
/// use airflow_trigger::json::{deeper_than, Value};
/// let v = Value::parse("[[1], {}]").unwrap();
/// assert!(!deeper_than(&v, 2));
/// assert!(deeper_than(&v, 1));
/// ```
pub fn deeper_than(v: &Value, limit: usize) -> bool {
    let mut stack = vec![(v, 0usize)];
    while let Some((v, depth)) = stack.pop() {
        if matches!(v, Value::Array(_) | Value::Object(_)) && depth >= limit {
            return true;
        }
        match v {
            Value::Array(a) => stack.extend(a.iter().map(|x| (x, depth + 1))),
            Value::Object(m) => stack.extend(m.values().map(|x| (x, depth + 1))),
            _ => {}
        }
    }
    false
}

/// An object's JSON text from borrowed members (no copy of the values first).
pub(crate) fn object_text(members: &[(&str, &Value)]) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write::string(&mut out, k);
        out.push(':');
        write::value(&mut out, v);
    }
    out.push('}');
    out
}

/// A JSON value.
///
/// # Examples
/// ```
/// use airflow_trigger::json::Value;
/// let v = Value::parse(r#"{"n": 1.50, "tags": ["etl"]}"#).unwrap();
/// match &v["n"] {
///     Value::Number(n) => assert_eq!(n.to_string(), "1.50"),
///     other => panic!("not a number: {other}"),
/// }
/// assert!(matches!(&v["tags"], Value::Array(a) if a.len() == 1));
/// assert_eq!(Value::default(), Value::Null);
/// ```
#[derive(Default)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, with its source text.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

static NULL: Value = Value::Null;

impl Value {
    /// Parses JSON text (RFC 8259; duplicate keys: the last wins, as in Python and JS).
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json::Value;
    /// assert!(Value::parse("[1,").unwrap_err().to_string().contains("line 1"));
    /// ```
    pub fn parse(text: &str) -> Result<Value, ParseError> {
        parse::parse(text, MAX_NESTING)
    }

    /// [`Value::parse`] of options that hold a conf: one level more, so that the conf itself
    /// may nest [`MAX_NESTING`] levels (`TriggerOptions` checks it).
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]
    pub(crate) fn parse_options(text: &str) -> Result<Value, ParseError> {
        parse::parse(text, MAX_NESTING + 1)
    }

    /// [`Value::parse`] of an answer of Airflow's: it echoes a conf (or an event's `extra`, a
    /// Param's value) up to three levels down (a list of runs, a run, its conf), and a conf may
    /// nest [`MAX_NESTING`] levels of its own.
    pub(crate) fn parse_answer(text: &str) -> Result<Value, ParseError> {
        parse::parse(text, MAX_NESTING + 3)
    }

    /// The member `key` of an object, or element `key` of an array.
    ///
    /// # Examples
    /// ```
    /// let v = airflow_trigger::json!({"a": [true]});
    /// assert_eq!(v.get("a").and_then(|a| a.get(0)), Some(&airflow_trigger::json!(true)));
    /// ```
    pub fn get<I: Key>(&self, key: I) -> Option<&Value> {
        key.find(self)
    }

    /// The string, if this is one.
    ///
    /// # Examples
    /// ```
    /// let v = airflow_trigger::json!({"day": "2024-01-01", "n": 1});
    /// assert_eq!(v["day"].as_str(), Some("2024-01-01"));
    /// assert_eq!(v["n"].as_str(), None);
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json;
    /// assert_eq!(json!(true).as_bool(), Some(true));
    /// assert_eq!(json!("true").as_bool(), None);
    /// ```
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The members, if this is an object.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json;
    /// let v = json!({"b": 1, "a": 2});
    /// let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    /// assert_eq!(keys, ["b", "a"]);
    /// assert!(json!([1]).as_object().is_none());
    /// ```
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The members, mutably, if this is an object.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json;
    /// let mut v = json!({"day": "2024-01-01"});
    /// v.as_object_mut().unwrap().insert("retries".into(), json!(3));
    /// assert_eq!(v.to_string(), r#"{"day":"2024-01-01","retries":3}"#);
    /// assert!(json!(null).as_object_mut().is_none());
    /// ```
    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json;
    /// assert_eq!(json!([1, 2, 3]).as_array().map(Vec::len), Some(3));
    /// assert!(json!({"a": [1]}).as_array().is_none());
    /// ```
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The number as a `u64`, if it is a non-negative integer written without fraction or exponent.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json::Value;
    /// assert_eq!(Value::parse("42").unwrap().as_u64(), Some(42));
    /// assert_eq!(Value::parse("42.0").unwrap().as_u64(), None);
    /// assert_eq!(Value::parse("-1").unwrap().as_u64(), None);
    /// ```
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The number as an `i64`, if it is an integer written without fraction or exponent.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json::Value;
    /// assert_eq!(Value::parse("-7").unwrap().as_i64(), Some(-7));
    /// assert_eq!(Value::parse("1e2").unwrap().as_i64(), None);
    /// assert_eq!(Value::parse("9223372036854775808").unwrap().as_i64(), None);
    /// ```
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// The number as an `f64`.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json::Value;
    /// assert_eq!(Value::parse("1e2").unwrap().as_f64(), Some(100.0));
    /// assert_eq!(Value::parse("3").unwrap().as_f64(), Some(3.0));
    /// assert_eq!(Value::parse(r#""3""#).unwrap().as_f64(), None);
    /// ```
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(n.as_f64()),
            _ => None,
        }
    }

    /// Whether this is `null`.
    ///
    /// # Examples
    /// ```
    /// let v = airflow_trigger::json!({"end": null});
    /// assert!(v["end"].is_null());
    /// assert!(v["missing"].is_null()); // indexing gives `null` for an absent member
    /// assert!(!v.is_null());
    /// ```
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether this is a string.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json;
    /// assert!(json!("2024-01-01").is_string());
    /// assert!(!json!(20240101).is_string());
    /// ```
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    /// Whether this is an object.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json;
    /// assert!(json!({}).is_object());
    /// assert!(!json!([{}]).is_object());
    /// ```
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// Whether this is an array.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json;
    /// assert!(json!([]).is_array());
    /// assert!(!json!({"a": []}).is_array());
    /// ```
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    /// Takes the value out, leaving `null`.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json;
    /// let mut run = json!({"conf": {"day": 1}});
    /// let conf = run.as_object_mut().unwrap().get_mut("conf").unwrap().take();
    /// assert_eq!(conf, json!({"day": 1}));
    /// assert_eq!(run, json!({"conf": null}));
    /// ```
    pub fn take(&mut self) -> Value {
        std::mem::take(self)
    }
}

/// Compact JSON text, as `JSON.stringify` writes it.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json_string())
    }
}

impl Value {
    /// Compact JSON text (what `to_string` gives, without `fmt`).
    ///
    /// # Examples
    /// ```
    /// let v = airflow_trigger::json!({"a": [1, "x"], "b": null});
    /// assert_eq!(v.to_json_string(), r#"{"a":[1,"x"],"b":null}"#);
    /// assert_eq!(v.to_json_string(), v.to_string());
    /// ```
    pub fn to_json_string(&self) -> String {
        let mut out = String::new();
        write::value(&mut out, self);
        out
    }
}

/// What [`Value::get`] and indexing accept: a key or an index.
///
/// # Examples
/// ```
/// use airflow_trigger::json;
/// use airflow_trigger::json::Key;
/// let v = json!({"runs": ["r1", "r2"]});
/// let field = String::from("runs");
/// assert_eq!(v[&field][1], "r2");
/// assert_eq!(Key::find(0usize, &v["runs"]), Some(&json!("r1")));
/// assert_eq!(Key::find("runs", &v["runs"]), None); // a key finds nothing in an array
/// ```
pub trait Key {
    /// The value at this key or index.
    fn find(self, v: &Value) -> Option<&Value>;
}

impl Key for &str {
    fn find(self, v: &Value) -> Option<&Value> {
        v.as_object()?.get(self)
    }
}

impl Key for &String {
    fn find(self, v: &Value) -> Option<&Value> {
        v.as_object()?.get(self)
    }
}

impl Key for usize {
    fn find(self, v: &Value) -> Option<&Value> {
        v.as_array()?.get(self)
    }
}

/// `value["key"]` and `value[0]`: `null` when absent, as in serde_json.
impl<I: Key> Index<I> for Value {
    type Output = Value;
    fn index(&self, key: I) -> &Value {
        key.find(self).unwrap_or(&NULL)
    }
}

/// A JSON object: members in the order they were written (as `JSON.parse` keeps them); objects
/// of more than `SMALL` members also keep a sorted index for lookups by binary search.
///
/// # Examples
/// ```
/// use airflow_trigger::json;
/// use airflow_trigger::json::{Map, Value};
/// let mut m = Map::new();
/// m.insert("b".into(), json!(1));
/// m.insert("a".into(), json!(2));
/// assert_eq!(Value::Object(m.clone()).to_string(), r#"{"b":1,"a":2}"#); // order written
/// assert_eq!(Value::from(m), json!({"a": 2, "b": 1})); // equal in any order
/// ```
#[derive(Default)]
pub struct Map {
    entries: Vec<(String, Value)>,
    /// Positions in `entries`, sorted by key; empty while the object is small.
    sorted: Vec<u32>,
}

/// Up to this many members a linear scan beats building and searching an index.
const SMALL: usize = 12;

/// Objects are equal when they have the same members, in any order.
impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k).is_some_and(|w| v == w))
    }
}

impl Clone for Map {
    fn clone(&self) -> Map {
        // Value's clone is iterative: a member may be nested deeper than the stack.
        let entries = self.entries.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        Map { entries, sorted: self.sorted.clone() }
    }
}

/// Debug shows the JSON text (written without recursion).
impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let members: Vec<(&str, &Value)> = self.iter().map(|(k, v)| (k.as_str(), v)).collect();
        f.write_str(&object_text(&members))
    }
}

impl Map {
    /// An empty object.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json::{Map, Value};
    /// let m = Map::new();
    /// assert!(m.is_empty());
    /// assert_eq!(Value::Object(m).to_string(), "{}");
    /// ```
    pub fn new() -> Map {
        Map::default()
    }

    /// Where `key` is in `entries`; else where its position would go in `sorted`.
    fn position(&self, key: &str) -> Result<usize, usize> {
        if self.sorted.is_empty() {
            return self.entries.iter().position(|(k, _)| k == key).ok_or(0);
        }
        let found = self.sorted.binary_search_by(|&i| self.entries[i as usize].0.as_str().cmp(key));
        found.map(|i| self.sorted[i] as usize)
    }

    /// The member `key`.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json;
    /// let v = json!({"day": "2024-01-01"});
    /// let m = v.as_object().unwrap();
    /// assert_eq!(m.get("day"), Some(&json!("2024-01-01")));
    /// assert_eq!(m.get("Day"), None);
    /// ```
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).ok().map(|at| &self.entries[at].1)
    }

    /// The member `key`, mutably.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json;
    /// let mut v = json!({"retries": 1});
    /// *v.as_object_mut().unwrap().get_mut("retries").unwrap() = json!(5);
    /// assert_eq!(v, json!({"retries": 5}));
    /// assert!(v.as_object_mut().unwrap().get_mut("day").is_none());
    /// ```
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        let at = self.position(key).ok()?;
        Some(&mut self.entries[at].1)
    }

    /// Whether `key` is a member.
    ///
    /// # Examples
    /// ```
    /// let v = airflow_trigger::json!({"end": null});
    /// let m = v.as_object().unwrap();
    /// assert!(m.contains_key("end")); // a member even though it is null
    /// assert!(!m.contains_key("start"));
    /// ```
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Sets `key` (a new key goes last), returning the value it replaced.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json;
    /// use airflow_trigger::json::{Map, Value};
    /// let mut m = Map::new();
    /// assert_eq!(m.insert("a".into(), json!(1)), None);
    /// assert_eq!(m.insert("b".into(), json!(2)), None);
    /// assert_eq!(m.insert("a".into(), json!(3)), Some(json!(1))); // keeps its place
    /// assert_eq!(Value::Object(m).to_string(), r#"{"a":3,"b":2}"#);
    /// ```
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.position(&key) {
            Ok(at) => Some(std::mem::replace(&mut self.entries[at].1, value)),
            Err(i) => {
                self.push_new(i, key, value);
                None
            }
        }
    }

    /// Appends a member whose key is absent; `i` is its place in `sorted`.
    fn push_new(&mut self, i: usize, key: String, value: Value) {
        self.entries.push((key, value));
        if !self.sorted.is_empty() {
            self.sorted.insert(i, self.entries.len() as u32 - 1);
        } else if self.entries.len() > SMALL {
            self.sorted = sorted_positions(&self.entries);
        }
    }

    /// The member `key`, inserted as `default()` first when absent.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json;
    /// use airflow_trigger::json::{Map, Value};
    /// let mut m = Map::new();
    /// for tag in ["etl", "daily"] {
    ///     if let Value::Array(tags) = m.get_or_insert_with("tags", || json!([])) {
    ///         tags.push(json!(tag));
    ///     }
    /// }
    /// assert_eq!(Value::Object(m), json!({"tags": ["etl", "daily"]}));
    /// ```
    pub fn get_or_insert_with(&mut self, key: &str, default: impl FnOnce() -> Value) -> &mut Value {
        let at = match self.position(key) {
            Ok(at) => at,
            Err(i) => {
                self.push_new(i, key.to_string(), default());
                self.entries.len() - 1
            }
        };
        &mut self.entries[at].1
    }

    /// Removes `key`, returning its value.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json;
    /// let mut v = json!({"a": 1, "secret": "x", "b": 2});
    /// assert_eq!(v.as_object_mut().unwrap().remove("secret"), Some(json!("x")));
    /// assert_eq!(v.as_object_mut().unwrap().remove("secret"), None);
    /// assert_eq!(v.to_string(), r#"{"a":1,"b":2}"#);
    /// ```
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let at = self.position(key).ok()? as u32;
        self.sorted.retain(|&p| p != at);
        for p in &mut self.sorted {
            if *p > at {
                *p -= 1;
            }
        }
        Some(self.entries.remove(at as usize).1)
    }

    /// How many members.
    ///
    /// # Examples
    /// ```
    /// let v = airflow_trigger::json::Value::parse(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
    /// assert_eq!(v.as_object().unwrap().len(), 2); // a repeated key counts once
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no members.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json;
    /// assert!(json!({}).as_object().unwrap().is_empty());
    /// assert!(!json!({"a": null}).as_object().unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The members in order.
    ///
    /// # Examples
    /// ```
    /// let v = airflow_trigger::json!({"b": 1, "a": 2});
    /// let members: Vec<String> = v.as_object().unwrap().iter().map(|(k, v)| format!("{k}={v}")).collect();
    /// assert_eq!(members, ["b=1", "a=2"]);
    /// ```
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&String, &Value)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The members in order, values mutable.
    ///
    /// # Examples
    /// ```
    /// use airflow_trigger::json;
    /// let mut v = json!({"a": 1, "b": "x"});
    /// for (_, value) in v.as_object_mut().unwrap().iter_mut() {
    ///     *value = json!([value.take()]);
    /// }
    /// assert_eq!(v, json!({"a": [1], "b": ["x"]}));
    /// ```
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&String, &mut Value)> {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    /// The keys in order.
    ///
    /// # Examples
    /// ```
    /// let v = airflow_trigger::json!({"z": 1, "a": 2, "m": 3});
    /// let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    /// assert_eq!(keys, ["z", "a", "m"]);
    /// ```
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values in order.
    ///
    /// # Examples
    /// ```
    /// let v = airflow_trigger::json!({"a": 1, "b": 2, "c": 4});
    /// let sum: u64 = v.as_object().unwrap().values().filter_map(|x| x.as_u64()).sum();
    /// assert_eq!(sum, 7);
    /// ```
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Builds from members in input order; a repeated key keeps its first place and its last
    /// value, as `JSON.parse` does.
    pub(crate) fn from_members(members: Vec<(String, Value)>) -> Map {
        if members.len() <= SMALL {
            let unique = members.iter().enumerate().all(|(i, (k, _))| members[..i].iter().all(|(e, _)| e != k));
            if unique {
                return Map { entries: members, sorted: Vec::new() };
            }
            let mut map = Map { entries: Vec::with_capacity(members.len()), sorted: Vec::new() };
            for (k, v) in members {
                map.insert(k, v);
            }
            return map;
        }
        let order = sorted_positions(&members);
        let key = |i: u32| members[i as usize].0.as_str();
        if order.windows(2).all(|w| key(w[0]) != key(w[1])) {
            // No repeated key (the usual case): the members and their order as they are.
            return Map { entries: members, sorted: order };
        }
        // For each run of equal keys: the first position takes the last value; the rest go.
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < order.len() {
            let mut j = i + 1;
            while j < order.len() && key(order[j]) == key(order[i]) {
                j += 1;
            }
            runs.push((i, j));
            i = j;
        }
        let mut slots: Vec<Option<(String, Value)>> = members.into_iter().map(Some).collect();
        for &(i, j) in runs.iter().filter(|(i, j)| j - i > 1) {
            let last = slots[order[j - 1] as usize].take().map(|(_, v)| v);
            for &dropped in &order[i + 1..j - 1] {
                slots[dropped as usize] = None;
            }
            if let (Some(entry), Some(v)) = (slots[order[i] as usize].as_mut(), last) {
                entry.1 = v;
            }
        }
        // Positions after dropping the duplicates.
        let mut new_pos = vec![0u32; slots.len()];
        let mut entries = Vec::with_capacity(slots.len());
        for (old, slot) in slots.into_iter().enumerate() {
            if let Some(entry) = slot {
                new_pos[old] = entries.len() as u32;
                entries.push(entry);
            }
        }
        let sorted = runs.iter().map(|&(i, _)| new_pos[order[i] as usize]).collect();
        Map { entries, sorted }
    }
}

/// Positions of `entries` ordered by key (equal keys by position): a bottom-up merge sort,
/// about half the comparisons of a heapsort, and every object of more than `SMALL` members
/// that is parsed goes through it.
fn sorted_positions(entries: &[(String, Value)]) -> Vec<u32> {
    let n = entries.len();
    let key = |i: u32| entries[i as usize].0.as_str();
    let (mut from, mut to): (Vec<u32>, Vec<u32>) = ((0..n as u32).collect(), vec![0; n]);
    let mut width = 1;
    while width < n {
        for lo in (0..n).step_by(2 * width) {
            let (mid, hi) = ((lo + width).min(n), (lo + 2 * width).min(n));
            let (mut i, mut j) = (lo, mid);
            for slot in &mut to[lo..hi] {
                // Ties take the left run first: stable.
                if j >= hi || (i < mid && key(from[i]) <= key(from[j])) {
                    *slot = from[i];
                    i += 1;
                } else {
                    *slot = from[j];
                    j += 1;
                }
            }
        }
        std::mem::swap(&mut from, &mut to);
        width *= 2;
    }
    from
}

/// Heapsort: O(n log n) without the standard library's sort, a few KB smaller in the wasm module.
pub(crate) fn heap_sort<T>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let sift = |v: &mut [T], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !less(&v[root], &v[child]) {
            break;
        }
        v.swap(root, child);
        root = child;
    };
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift(v, i, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter =
        std::iter::Map<std::slice::Iter<'a, (String, Value)>, fn(&'a (String, Value)) -> (&'a String, &'a Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<T: IntoIterator<Item = (String, Value)>>(iter: T) -> Map {
        Map::from_members(iter.into_iter().collect())
    }
}

impl Extend<(String, Value)> for Map {
    fn extend<T: IntoIterator<Item = (String, Value)>>(&mut self, iter: T) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

/// Conversion into a [`Value`], used by [`json!`](crate::json!) for interpolated expressions.
///
/// # Examples
/// ```
/// use airflow_trigger::json;
/// use airflow_trigger::json::{ToJson, Value};
/// struct Day(u32);
/// impl ToJson for Day {
///     fn to_json(&self) -> Value {
///         json!(format!("2024-01-{:02}", self.0))
///     }
/// }
/// assert_eq!(json!({"day": Day(5), "n": [1u8, 2]}), json!({"day": "2024-01-05", "n": [1, 2]}));
/// ```
pub trait ToJson {
    /// This as a JSON value.
    fn to_json(&self) -> Value;
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl ToJson for Map {
    fn to_json(&self) -> Value {
        Value::Object(self.clone())
    }
}

impl ToJson for Number {
    fn to_json(&self) -> Value {
        Value::Number(self.clone())
    }
}

impl ToJson for str {
    fn to_json(&self) -> Value {
        Value::String(self.to_string())
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

macro_rules! int_to_json {
    ($wide:ty: $($t:ty),*) => {$(
        impl ToJson for $t {
            fn to_json(&self) -> Value {
                Value::Number(Number::from(*self as $wide))
            }
        }
        impl From<$t> for Value {
            fn from(n: $t) -> Value {
                Value::Number(Number::from(n as $wide))
            }
        }
    )*};
}
int_to_json!(u64: u8, u16, u32, u64, usize);
int_to_json!(i64: i8, i16, i32, i64);

impl ToJson for f64 {
    fn to_json(&self) -> Value {
        Number::from_f64(*self).map_or(Value::Null, Value::Number)
    }
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        self.as_slice().to_json()
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToJson::to_json)
    }
}

impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<String> for Value {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == Some(other.as_str())
    }
}

impl PartialEq<bool> for Value {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}

macro_rules! int_eq {
    ($($t:ty),*) => {$(
        impl PartialEq<$t> for Value {
            fn eq(&self, other: &$t) -> bool {
                matches!(self, Value::Number(n) if n.as_i128() == Some(*other as i128))
            }
        }
    )*};
}
int_eq!(u8, u16, u32, u64, usize, i32, i64);

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<Map> for Value {
    fn from(m: Map) -> Value {
        Value::Object(m)
    }
}

/// Any vector of things that become values.
///
/// # Examples
/// ```
/// use airflow_trigger::json::Value;
/// assert_eq!(Value::from(vec![1, 2]).to_string(), "[1,2]");
/// assert_eq!(Value::from(vec![Some("a"), None]).to_string(), r#"["a",null]"#);
/// ```
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(a: Vec<T>) -> Value {
        Value::Array(a.into_iter().map(Into::into).collect())
    }
}

/// `None` is `null`.
///
/// # Examples
/// ```
/// use airflow_trigger::json::Value;
/// assert_eq!(Value::from(None::<i64>), Value::Null);
/// assert_eq!(Value::from(Some(2.5)).to_string(), "2.5");
/// ```
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(o: Option<T>) -> Value {
        o.map_or(Value::Null, Into::into)
    }
}

/// NaN and the infinities, which JSON cannot write, become `null` (as in serde_json).
///
/// # Examples
/// ```
/// use airflow_trigger::json::Value;
/// assert_eq!(Value::from(0.5).to_string(), "0.5");
/// assert_eq!(Value::from(f64::NAN), Value::Null);
/// ```
impl From<f64> for Value {
    fn from(f: f64) -> Value {
        f.to_json()
    }
}

impl From<f32> for Value {
    fn from(f: f32) -> Value {
        // Through its shortest decimal text: 0.1f32 is 0.1, not 0.10000000149011612.
        f.to_string().parse::<f64>().map_or(Value::Null, |d| d.to_json())
    }
}

/// JSON text, as [`Value::parse`] reads it.
///
/// # Examples
/// ```
/// use airflow_trigger::json::Value;
/// let v: Value = r#"{"day": "2024-01-01"}"#.parse().unwrap();
/// assert_eq!(v["day"], "2024-01-01");
/// assert!("{".parse::<Value>().is_err());
/// ```
impl std::str::FromStr for Value {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Value, ParseError> {
        Value::parse(s)
    }
}

/// Cloned without recursion: a value nested 100,000 deep, built in Rust, would overflow the stack
/// in the derived clone.
impl Clone for Value {
    fn clone(&self) -> Value {
        clone_at(self, 0)
    }
}

/// Recursion this deep is cheap on any stack; deeper values are cloned with an explicit stack.
pub(crate) const RECURSION_LIMIT: usize = 64;

fn clone_at(v: &Value, depth: usize) -> Value {
    match v {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Number(n) => Value::Number(n.clone()),
        Value::String(s) => Value::String(s.clone()),
        _ if depth >= RECURSION_LIMIT => v.clone_iterative(),
        Value::Array(a) => Value::Array(a.iter().map(|x| clone_at(x, depth + 1)).collect()),
        Value::Object(m) => Value::Object(Map {
            entries: m.entries.iter().map(|(k, x)| (k.clone(), clone_at(x, depth + 1))).collect(),
            sorted: m.sorted.clone(),
        }),
    }
}

impl Value {
    fn clone_iterative(&self) -> Value {
        // Each open container: its source's remaining items and what is built so far.
        enum Open<'a> {
            Array(std::slice::Iter<'a, Value>, Vec<Value>),
            Object(std::slice::Iter<'a, (String, Value)>, Vec<(String, Value)>, Vec<u32>),
        }
        fn leaf(v: &Value) -> Option<Value> {
            Some(match v {
                Value::Null => Value::Null,
                Value::Bool(b) => Value::Bool(*b),
                Value::Number(n) => Value::Number(n.clone()),
                Value::String(s) => Value::String(s.clone()),
                _ => return None,
            })
        }
        fn open(v: &Value) -> Open<'_> {
            match v {
                Value::Array(a) => Open::Array(a.iter(), Vec::with_capacity(a.len())),
                Value::Object(m) => Open::Object(m.entries.iter(), Vec::with_capacity(m.len()), m.sorted.clone()),
                // Only containers are opened (no panic path: its message and location are payload).
                _ => Open::Array([].iter(), Vec::new()),
            }
        }
        if let Some(v) = leaf(self) {
            return v;
        }
        let mut stack = vec![open(self)];
        let mut keys: Vec<String> = Vec::new();
        loop {
            // The stack holds the value being cloned until it returns (never `None`).
            let Some(top) = stack.last_mut() else { return Value::Null };
            let next = match top {
                Open::Array(items, _) => items.next(),
                Open::Object(members, _, _) => members.next().map(|(k, v)| {
                    keys.push(k.clone());
                    v
                }),
            };
            let done = match next {
                Some(v) => match leaf(v) {
                    Some(copy) => copy,
                    None => {
                        stack.push(open(v));
                        continue;
                    }
                },
                None => match stack.pop() {
                    Some(Open::Array(_, built)) => Value::Array(built),
                    Some(Open::Object(_, entries, sorted)) => Value::Object(Map { entries, sorted }),
                    None => return Value::Null,
                },
            };
            match stack.last_mut() {
                None => return done,
                Some(Open::Array(_, built)) => built.push(done),
                Some(Open::Object(_, built, _)) => {
                    // A member's key was pushed when it was opened.
                    let key = keys.pop().unwrap_or_default();
                    built.push((key, done));
                }
            }
        }
    }
}

/// Compared without recursion; numbers by value (`1 == 1.0`), objects in any order.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        let mut stack = vec![(self, other)];
        while let Some(pair) = stack.pop() {
            match pair {
                (Value::Null, Value::Null) => {}
                (Value::Bool(a), Value::Bool(b)) if a == b => {}
                (Value::Number(a), Value::Number(b)) if a == b => {}
                (Value::String(a), Value::String(b)) if a == b => {}
                (Value::Array(a), Value::Array(b)) if a.len() == b.len() => stack.extend(a.iter().zip(b)),
                (Value::Object(a), Value::Object(b)) if a.len() == b.len() => {
                    for (k, v) in a.iter() {
                        match b.get(k) {
                            Some(w) => stack.push((v, w)),
                            None => return false,
                        }
                    }
                }
                _ => return false,
            }
        }
        true
    }
}

/// Debug shows the JSON text (written without recursion).
impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json_string())
    }
}

/// Dropped without recursion: a value nested 100,000 deep, built in Rust, would overflow the
/// stack in the derived drop.
impl Drop for Value {
    fn drop(&mut self) {
        // Nested containers are moved out to a list before this value's own (now shallow) drop:
        // no recursion deeper than one level, and nothing allocated for a value whose children
        // are all scalars or empty.
        let mut stack = Vec::new();
        self.take_nested(&mut stack);
        while let Some(mut v) = stack.pop() {
            v.take_nested(&mut stack);
        }
    }
}

impl Value {
    /// Moves the children that hold other values out to `stack` (leaving `null` in their place).
    fn take_nested(&mut self, stack: &mut Vec<Value>) {
        let nested = |v: &Value| match v {
            Value::Array(a) => !a.is_empty(),
            Value::Object(m) => !m.is_empty(),
            _ => false,
        };
        match self {
            Value::Array(a) => stack.extend(a.iter_mut().filter(|v| nested(v)).map(std::mem::take)),
            Value::Object(m) => {
                stack.extend(m.entries.iter_mut().map(|(_, v)| v).filter(|v| nested(v)).map(std::mem::take))
            }
            _ => {}
        }
    }
}

/// `s` as a JSON string literal, for messages (cheaper in wasm than `{:?}`, and unambiguous).
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::new();
    write_string(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn round_trips_keep_number_text_and_member_order() {
        let text = r#"{"z":[1,-0,1.0,1e3,-2.5E-3,123456789012345678901234567890],"a":"\u00e9\n\"","m":{}}"#;
        let v = Value::parse(text).unwrap();
        assert_eq!(v.to_string(), r#"{"z":[1,-0,1.0,1e3,-2.5E-3,123456789012345678901234567890],"a":"é\n\"","m":{}}"#);
        assert_eq!(Value::parse(&v.to_string()).unwrap(), v);
        assert_eq!(
            v,
            Value::parse(r#"{"m":{},"a":"é\n\"","z":[1,-0,1.0,1e3,-2.5E-3,123456789012345678901234567890]}"#).unwrap(),
            "order aside"
        );
    }

    #[test]
    fn the_macro_builds_what_parse_reads() {
        let n = 3u64;
        let names = vec!["x", "y"];
        let v = json!({"a": [1, -2, 2.5, true, null, {"b": n}], "names": names, "s": format!("{n}!")});
        assert_eq!(v, Value::parse(r#"{"a":[1,-2,2.5,true,null,{"b":3}],"names":["x","y"],"s":"3!"}"#).unwrap());
        assert_eq!(json!([]), Value::Array(vec![]));
        assert_eq!(json!({}), Value::Object(Map::new()));
    }

    #[test]
    fn objects_of_any_order_and_size_keep_order_and_find_keys() {
        let mut keys: Vec<String> = (0..500).map(|i| format!("k{}", (i * 7919) % 500)).collect();
        keys.extend(["k3".to_string(), "k3".to_string()]);
        let members: Vec<(String, Value)> = keys.iter().enumerate().map(|(i, k)| (k.clone(), Value::from(i))).collect();
        let mut map = Map::from_members(members);
        assert_eq!(map.len(), 500);
        assert!(map.keys().zip(&keys).all(|(a, b)| a == b), "first places kept");
        assert_eq!(map.get("k3"), Some(&Value::from(501usize)), "the last duplicate's value wins");
        assert!((0..500).all(|i| map.contains_key(&format!("k{i}"))));
        assert_eq!(map.remove("k0"), Some(Value::from(0usize)));
        assert!(map.get("k0").is_none() && map.get("k499").is_some() && map.len() == 499);
        map.insert("new".into(), Value::Null);
        assert_eq!(map.keys().last().map(String::as_str), Some("new"));
        assert_eq!(map.get("k1"), Some(&Value::from(keys.iter().position(|k| k == "k1").unwrap())));
    }

    #[test]
    fn small_objects_grow_an_index_and_keep_finding_keys() {
        let mut map = Map::new();
        for i in (0..40).rev() {
            assert!(map.insert(format!("k{i}"), Value::from(i)).is_none());
            assert!((i..40).all(|j| map.get(&format!("k{j}")) == Some(&Value::from(j))), "after k{i}");
        }
        assert_eq!(map.insert("k7".into(), Value::Null), Some(Value::from(7)));
        for i in 0..35 {
            assert!(map.remove(&format!("k{i}")).is_some());
            assert!(map.get(&format!("k{i}")).is_none() && map.get("k39") == Some(&Value::from(39)));
        }
        assert_eq!(map.keys().map(String::as_str).collect::<Vec<_>>(), ["k39", "k38", "k37", "k36", "k35"]);
        *map.get_or_insert_with("z", || Value::Null) = Value::from(1);
        assert_eq!(map.get("z"), Some(&Value::from(1)));
    }

    #[test]
    fn duplicate_keys_keep_the_last() {
        let v = Value::parse(r#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(v, json!({"a": 3, "b": 2}));
    }

    #[test]
    fn indexing_and_access() {
        let v = json!({"a": [10, "s"], "t": true});
        assert_eq!(v["a"][0].as_u64(), Some(10));
        assert_eq!(v["a"][1].as_str(), Some("s"));
        assert!(v["missing"]["deeper"].is_null());
        assert_eq!(v.get("t").and_then(Value::as_bool), Some(true));
    }
}
