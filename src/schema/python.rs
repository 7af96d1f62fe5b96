//! python-jsonschema's `uniqueItems` (its `_utils.uniq`), which Airflow's modes follow: the items
//! are sorted with Python's `<` (booleans at the top level replaced by objects that compare with
//! nothing) and only neighbours are compared with jsonschema's `equal`; when the sort raises
//! `TypeError` (mixed types, `None`, objects, top-level booleans), every pair is compared. The
//! sort path has blind spots: `[[1], [true], [1]]` sorts unchanged (`[1] == [True]` in Python)
//! and is reported unique.

use std::cmp::Ordering;

use super::json::{compare, equal_by, equal_counted, first_duplicate};
use crate::json::Value;

/// Python's `==` on what `json.loads` gives (booleans are the integers 0 and 1).
fn py_eq(a: &Value, b: &Value, budget: &mut u64) -> Result<bool, ()> {
    equal_by(
        a,
        b,
        budget,
        |a, b| if numeric(a) && numeric(b) { compare_numeric(a, b) == Ordering::Equal } else { a == b },
    )
}

/// A number or a boolean (Python's `bool` is an `int`).
fn numeric(v: &Value) -> bool {
    matches!(v, Value::Number(_) | Value::Bool(_))
}

fn compare_numeric(a: &Value, b: &Value) -> Ordering {
    let as_num = |v: &Value| match v {
        Value::Number(n) => n.clone(),
        Value::Bool(b) => crate::json::Number::from(*b as i64),
        _ => crate::json::Number::from(0i64),
    };
    compare(&as_num(a), &as_num(b))
}

/// Python's `a < b`; `Err(None)` for its `TypeError`, `Err(Some(()))` when the budget ran out.
/// `top`: the items themselves, where booleans are `unbool`'s objects.
fn py_lt(a: &Value, b: &Value, top: bool, budget: &mut u64) -> Result<bool, Option<()>> {
    *budget = budget.checked_sub(1).ok_or(Some(()))?;
    match (a, b) {
        (Value::Bool(_), _) | (_, Value::Bool(_)) if top => Err(None),
        (Value::String(x), Value::String(y)) => Ok(x < y),
        (Value::Array(x), Value::Array(y)) => {
            // The first items that are not `==` decide; else the shorter list is smaller.
            for (p, q) in x.iter().zip(y) {
                if !py_eq(p, q, budget).map_err(Some)? {
                    return py_lt(p, q, false, budget);
                }
            }
            Ok(x.len() < y.len())
        }
        _ if numeric(a) && numeric(b) => Ok(compare_numeric(a, b) == Ordering::Less),
        _ => Err(None),
    }
}

/// A stable merge sort of `idx` by `lt`, stopping at its first error.
fn sort(items: &[Value], idx: &mut Vec<usize>, budget: &mut u64) -> Result<(), Option<()>> {
    let n = idx.len();
    let mut buf = idx.clone();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let (mid, end) = ((start + width).min(n), (start + 2 * width).min(n));
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                // Take the right one only when it is smaller: stable.
                if py_lt(&items[idx[j]], &items[idx[i]], true, budget)? {
                    buf[k] = idx[j];
                    j += 1;
                } else {
                    buf[k] = idx[i];
                    i += 1;
                }
                k += 1;
            }
            buf[k..k + mid - i].copy_from_slice(&idx[i..mid]);
            k += mid - i;
            buf[k..k + end - j].copy_from_slice(&idx[j..end]);
            start = end;
        }
        std::mem::swap(idx, &mut buf);
        width *= 2;
    }
    Ok(())
}

/// A pair `(i, j)` of items python-jsonschema's `uniq` finds equal (`j < i`), `None` when it
/// finds the items unique; `Err` when the budget ran out.
pub(crate) fn duplicate(items: &[Value], budget: &mut u64) -> Result<Option<(usize, usize)>, ()> {
    let mut idx: Vec<usize> = (0..items.len()).collect();
    match sort(items, &mut idx, budget) {
        Ok(()) => {
            for w in idx.windows(2) {
                if equal_counted(&items[w[0]], &items[w[1]], budget)? {
                    return Ok(Some((w[0].max(w[1]), w[0].min(w[1]))));
                }
            }
            Ok(None)
        }
        Err(Some(())) => Err(()),
        // TypeError: every pair (jsonschema's `equal`), as the spec has it.
        Err(None) => first_duplicate(items, budget),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn uniq(v: Value) -> bool {
        duplicate(v.as_array().unwrap(), &mut u64::MAX.clone()).unwrap().is_none()
    }

    /// Python 3.11 with python-jsonschema 4.26: `jsonschema._utils.uniq(json.loads(text))`.
    #[test]
    fn answers_as_python() {
        assert!(uniq(json!([[1], [true], [1]])));
        assert!(!uniq(json!([[1], [1], [true]])));
        assert!(!uniq(json!([1, true, 1])));
        assert!(uniq(json!([1, true])));
        assert!(!uniq(json!([1, 1.0])));
        assert!(!uniq(json!([{"a": 1}, {"a": 1}])));
        assert!(uniq(json!([[{"a": 1}], [{"a": 2}]])) == uniq(json!([[{"a": 1}], [{"a": 2}]])));
        assert!(!uniq(json!(["a", "b", "a"])));
        assert!(!uniq(json!([null, null])));
        assert!(uniq(json!([[0], [false], [0.0]])));
    }
}
