"""Generates (Params, conf) cases, deterministically, for the agreement test with Airflow:

    python3 tests/agreement/generate.py N SEED > cases.json

N realistic mixed cases (realistic Params with valid, invalid and generic values), then 400
cases for each category where Python's semantics differ from ECMAScript's or the spec's, aimed
at the differences, never away from them:

- pattern: `pattern`/`patternProperties` with Python `re` semantics (`$` before a final newline,
  Unicode `\d \w \s \b`, inline and scoped flags, `{,n}`, named groups and backreferences,
  lookbehind, atomic groups, possessive quantifiers, patterns only one side compiles);
- regex-format: `format: "regex"` on Python and ECMAScript syntax;
- unique: `uniqueItems` on arrays mixing booleans, numbers, strings, nulls, nested arrays and
  objects (python-jsonschema's sort-then-neighbours blind spots and its fallback);
- pendulum: `format: "date-time"` values in the forms pendulum reads (Airflow 2 accepts them);
- time: `format: "time"` at the edges (23:59:60, 24:00:00, one digit, Unicode digits);
- numbers: `1` against `1.0` and `true`, integers beyond 2^53 and 2^64, floats near them,
  `multipleOf`, `enum` and `const`;
- schema: what python-jsonschema does before it validates: `check_schema` against the draft's
  metaschema, unreached subschemas included (`$defs`, `then` without `if`, `contentSchema`; bad
  patterns, types, counts, anchors, ids), and the draft its `validator_for` picks from `$schema`
  (draft-03/04/06, 2019-09, URI spellings) with keywords that differ between drafts, and a
  custom metaschema's `$vocabulary`, which it ignores;
- drafts: drafts 3, 4, 6 and 2019-09 and a nested `$schema` where they differ (DRAFT_TWISTS).

Each case: {"category", "params": {name: {"schema": {...}, "default": value}?}, "conf": {...}}; a
Param without "default" has none. Nothing is left out: a Param without a default whose schema
accepts null may be left out of conf (the REST API serves it as `value: null`, the one listed
exception, which the tests count by name).
"""
import json
import random
import sys

GENERIC = [None, True, False, 0, 1, -1, 2.5, 10**12, "", "x", "2024-01-01", [], [1, "a"], {}, {"a": 1}]

# (schema, valid values, invalid values)
TEMPLATES = [
    ({"type": "integer"}, [0, 5, -3, 3.0], [1.5, "5", True, None]),
    ({"type": "integer", "minimum": 1, "maximum": 10}, [1, 10, 5], [0, 11, -1, 5.5]),
    ({"type": "number", "exclusiveMinimum": 0}, [0.1, 1, 100], [0, -0.5]),
    ({"type": "number", "exclusiveMaximum": 100.5, "maximum": 100}, [100, 99.9], [100.2, 101]),
    ({"type": "number", "multipleOf": 0.5}, [1.5, 2, 0], [1.2, 0.3]),
    ({"type": "number", "multipleOf": 0.1}, [0.5, 1, 0.2], [0.3, 0.7, 0.15]),
    ({"type": "integer", "multipleOf": 5}, [10, 0, -5], [7, 2.5]),
    ({"type": "string"}, ["", "hello", "ünïcode"], [1, None, ["a"]]),
    ({"type": "string", "minLength": 3, "maxLength": 8}, ["abc", "abcdefgh", "äöü"], ["ab", "abcdefghi", ""]),
    ({"type": "string", "pattern": "^[a-z]+$"}, ["abc", "z"], ["Abc", "ab1", ""]),
    ({"type": "string", "pattern": "^\\d{4}-\\d{2}$"}, ["2024-01", "0000-00"], ["2024-1", "x2024-01", "2024-012"]),
    ({"type": "string", "pattern": "etl"}, ["my_etl_job", "etl"], ["ETL", "e-t-l"]),
    ({"enum": ["fast", "safe", "slow"]}, ["fast", "slow"], ["Fast", "", 1]),
    ({"type": "string", "enum": ["a", "b"]}, ["a"], ["c", 1]),
    ({"enum": [1, 2, 3, None]}, [1, 3, None, 2.0], [4, "1", True]),
    ({"const": "fixed"}, ["fixed"], ["other", None]),
    ({"type": "boolean"}, [True, False], [0, "true", None]),
    ({"type": ["null", "string"]}, [None, "x"], [1, False]),
    ({"type": ["null", "integer"], "minimum": 0}, [None, 0, 7], [-1, "1"]),
    ({"type": "string", "format": "date"}, ["2024-01-01", "2024-02-29"], ["2024-02-30", "2024-1-01", "01/02/2024", "2024-01-01T00:00:00", "20240101"]),
    ({"type": "string", "format": "date-time"}, ["2024-01-01T00:00:00Z", "2024-01-01T10:00:00+02:00", "2024-01-01t10:00:00z", "2024-01-01T10:00:00.123Z"],
     ["2024-01-01", "2024-01-01 10:00:00Z", "2024-01-01T10:00:00", "2024-13-01T00:00:00Z", "yesterday", "2024-01-01T23:59:60Z"]),
    ({"type": "string", "format": "date-time", "minLength": 25}, ["2024-01-01T00:00:00.000+00:00"], ["2024-01-01T00:00:00Z", "2024-01-01", "tomorrow"]),
    ({"type": "string", "format": "time"}, ["10:00:00", "1:2:3", "23:59:59"], ["10:00", "10:00:00Z", "25:00:00", "10:00:00.5", "noon"]),
    ({"type": "string", "format": "email"}, ["a@b.c", "x@", "@"], ["plain", ""]),
    ({"type": "string", "format": "uuid"}, ["2eb8aa08-aa98-11ea-b4aa-73b441d16380", "2EB8AA08-AA98-11EA-B4AA-73B441D16380"],
     ["2eb8aa08aa9811eab4aa73b441d16380", "not-a-uuid", "2eb8aa08-aa98-11ea-b4aa-73b441d1638"]),
    ({"type": "string", "format": "ipv4"}, ["192.168.0.1", "0.0.0.0"], ["256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4.5"]),
    ({"type": "string", "format": "ipv6"}, ["::1", "fe80::1", "2001:db8::8a2e:370:7334", "::ffff:192.168.0.1"], ["fe80::1%eth0", ":::1", "12345::", "1.2.3.4"]),
    ({"type": "string", "format": "duration"}, ["P1D", "PT1H", "P1Y2M3DT4H5M6S", "P1W", "P1.5D", "-P1D", "P1Y2D"], ["P", "PT", "1 day", "P1M2W", "p1d", ""]),
    ({"type": "string", "format": "regex"}, ["^a+$", "[a-z]{2,}", "x|y"], ["(", "[a-", "*a"]),
    ({"type": "string", "format": "uri"}, ["https://example.com", "not a uri"], [1]),
    ({"type": "array", "items": {"type": "string"}}, [[], ["a", "b"]], [[1], "a", [None]]),
    ({"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 3, "uniqueItems": True}, [[1], [1, 2, 3]], [[], [1, 1], [1, 2, 3, 4], [1, "2"]]),
    ({"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}, "required": ["a"]},
     [{"a": 1}, {"a": 1, "b": "x", "c": None}], [{}, {"a": "1"}, {"a": 1, "b": 2}, []]),
    ({"type": "object", "additionalProperties": {"type": "number"}}, [{}, {"x": 1.5}], [{"x": "1"}, {"x": None}]),
    ({"type": "object", "properties": {"name": {"type": "string", "minLength": 1}, "tags": {"type": "array", "items": {"type": "string"}}},
      "required": ["name"], "additionalProperties": False}, [{"name": "n"}, {"name": "n", "tags": ["a"]}], [{"name": ""}, {"name": "n", "x": 1}, {"tags": []}]),
    ({"anyOf": [{"type": "integer"}, {"type": "string", "format": "date"}]}, [1, "2024-01-01"], ["2024-13-01", 1.5, None]),
    ({"oneOf": [{"type": "integer", "multipleOf": 2}, {"type": "integer", "multipleOf": 3}]}, [2, 3, 4], [6, 5, "2"]),
    ({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": False}, [["a", 1], ["a"], []], [["a", 1, 2], [1, "a"]]),
    ({"type": "object", "properties": {"x": {"type": "number"}}, "dependentRequired": {"x": ["y"]}}, [{"x": 1, "y": 2}, {}], [{"x": 1}]),
    ({"not": {"type": "null"}}, [1, "a", []], [None]),
    ({"if": {"type": "integer"}, "then": {"minimum": 0}, "else": {"type": "string"}}, [1, "a"], [-1, None, 1.5]),
    ({"type": "object", "minProperties": 1, "maxProperties": 2}, [{"a": 1}, {"a": 1, "b": 2}], [{}, {"a": 1, "b": 2, "c": 3}]),
    ({"type": "object", "properties": {"when": {"type": "string", "format": "date"}, "retries": {"type": "integer", "minimum": 0}},
      "additionalProperties": {"type": "string"}}, [{"when": "2024-01-01", "retries": 0, "note": "x"}], [{"when": "2024-01-32"}, {"retries": -1}, {"note": 5}]),
    ({}, [1, "x", None, {"a": [1]}], []),
    ({"type": "string", "maxLength": 0}, [""], ["a"]),
    ({"type": "array", "contains": {"type": "integer"}, "minContains": 2}, [[1, 2], [1, "a", 2]], [[1], ["a"], []]),
]



PY_PATTERNS = [
    "^\\d+$", "^\\d{4}-\\d{2}-\\d{2}$", "^\\w+$", "^[\\w.-]+@[\\w.-]+$", "abc$", "^abc\\Z", "^\\s*$", "\\bjob\\b",
    "(?i)^etl_", "(?i:daily)_run", "^a{,3}$", "^x{2,}$", "(?P<q>['\"]).*(?P=q)", "^(?P<y>\\d{4})-(?P=y)$", "(?s)^a.b$",
    "(?m)^b$", "(?x) ^ \\d+ # digits\n $", "(?a)^\\w+$", "(?<=\\$)\\d+", "(?<!-)\\b\\d+$", "^(?>a+)b", "^a++b",
    "^(a)?(?(1)b|c)$", "^[^\\W\\d_]+$", "^\\D+$", "^[\\u00e9]+$", "^\\x41", "\\101", "[[:alpha:]]", "^.{3}$",
    "^Straße$", "(?i)^STRASSE$", "(?i)^straße$", "^\\S+$", "^[a-z]+(?:_[a-z]+)*$", "^(dev|prod|staging)$",
    "^s3://[a-z0-9.-]+/.*$", "^\\p{L}+$", "(?<name>x)", "a{3,1}", "^\\N{DIGIT ONE}$", "(", "^[a-", "(?i)^k$",
    "(?i)^[a-z]+$", "^\\w+\\Z", "\\B", "^(?:(\\d)\\1)+$", "(?i)^ſ$", "x*+x", "^[^a]$", "(?i)[^a]", "^\\W$",
]
STRINGS = [
    "123", "١٢٣", "１２３", "abc", "abc\n", "ABC", "héllo", "日本", "a_b", "x@y.z", "job", "my job", "etl_daily",
    "ETL_daily", "daily_run", "DAILY_run", "Daily_run", "aa", "aaaa", "xx", "x", "'a'", "\"a'", "2024-2024", "2024-2025",
    "a\nb", "b", "a\nb\nc", " ", "", "$5", "-5", "5", "aab", "ab", "c", "é", "ée", "Straße", "STRASSE", "STRAßE",
    "ſ", "s", "K", "k", "\u212a", "s3://bucket/key", "dev", "prod", "Dev", "2024-01-01", "2024-01-01\n", "1", "1\n",
    "٣\n", "1122", "112", "A", "\u00a0", "\u2028", "\u0085", "日本\n", "a\u0301", "Ⅻ", "²", "a-1",
]
REGEXES = [
    "^a+$", "(?i)abc", "a{,3}", "\\p{L}", "(?<x>a)", "(?P<x>a)(?P=x)", "[[:alpha:]]", "(?<=a+)b", "(?<=ab)c", "a**",
    "a{3,1}", "(?u)x", "(?L)x", "(?au)x", "\\d+$", "x(?i)", "\\", "[", "(", ")", "\\q", "\\c", "\\u00e9",
    "\\U0001F600", "\\x4", "(?#comment)", "(?x)a b", "a{1,2}{3}", "a*?+", "a*+", "(?>a)", "(?(1)a|b)",
    "(a)(?(1)a|b)", "\\0", "\\400", "\\8", "[z-a]", "[\\d-z]", "(?P<1>a)", "(?P<a>a)(?P<a>b)", "\\N{DIGIT ONE}",
    "\\N{NO SUCH}", "{", "x{", "}", "]", "*", "+a", "a|*", "(?=a)*", "\\b*", "\\k<x>", "(?<x>a)\\k<x>", "[]a]",
    "[^]]", "\\/", "\\-", "a{,}", "x{2}{3}", "(?s:.)", "(?-i:a)", "(?i-i:a)", "(?t)a", "\\Z", "\\z", "\\A$",
]
STAMPS_FIXED = [
    "2024-01-01T10:00:00Z", "2024-01-01t10:00:00z", "2024-01-01T10:00:00", "2024-01-01 10:00:00", "2024-001T10:00:00Z",
    "2024-W01-1T10:00:00Z", "2024W011T10:00", "20240101T100000", "2024-01-01T10", "2024-01T10:00", "2024-01-01",
    "10:00:00", "2024-01-01T23:59:60Z", "1998-12-31T23:59:60Z", "2024-02-30T10:00:00Z", "2024-01-01T10:00:00+24:00",
    "2024-01-01T10:00:00+0230", "2024-01-01T10:00:00.123456789Z", "2024-366T00:00", "2023-366T00:00", "2020-W53-7T00:00",
    "2021-W53-1T00:00", "2024-W00-1T00:00", "0000-01-01T00:00:00Z", "2024-01-01T10:00:00Z\n", "yesterday", "P1D",
    "2024-01-01T10:00:00+01:", "20240101T10:00:00", "2024-01-01T1000", "2024-01-01T10:00+00:99",
]
TIMES = [
    "10:00:00", "1:2:3", "23:59:59", "23:59:60", "23:59:61", "24:00:00", "00:00:00", "10:00", "10:00:00Z", "10:00:00.5",
    "10:00:00+01:00", "٢:00:00", "1٣:00:00", "٢٣:00:00", "23:5:9", "0:0:0", "10:00:00\n", " 10:00:00", "010:00:00",
    "10:60:00", "6:7:8", "19:59:9", "20:00:00", "29:00:00",
]
NUMBER_SCHEMAS = [
    {"type": "integer"}, {"type": "number"}, {"type": "integer", "minimum": 1}, {"maximum": 9007199254740992},
    {"minimum": 9007199254740993}, {"exclusiveMaximum": 1e20}, {"maximum": 100000000000000000000},
    {"minimum": 18446744073709551616}, {"exclusiveMinimum": 1.8446744073709552e19}, {"multipleOf": 0.1},
    {"multipleOf": 3}, {"multipleOf": 1e-5}, {"multipleOf": 2.5}, {"multipleOf": 10**30}, {"enum": [1, 2.5, True]},
    {"enum": [0, False]}, {"const": 1}, {"const": 1.0}, {"const": True}, {"const": 10**20}, {"const": 1e20},
    {"enum": [[1], [True]]}, {"const": {"a": 1}}, {"type": "integer", "maximum": 2**63}, {"exclusiveMaximum": 0},
]
NUMBERS = [
    0, 1, 1.0, True, False, -0.0, 2.5, 0.1, 0.3, 0.30000000000000004, 3, 9, 9.0, 2**53, 2**53 + 1, float(2**53),
    10**20, 1e20, 10**20 + 1, 2**64, float(2**64), 2**64 + 1, 10**30, 1e30, 2**63, 2**63 - 1, -(2**63), 1e308, 1e-5,
    3e-5, 7.5, [1], [True], [1.0], {"a": 1}, {"a": 1.0}, {"a": True}, "1", None,
]


def mixed_value(rng, depth=0):
    r = rng.random()
    if r < 0.3:
        return rng.choice([0, 1, 1.0, 2, True, False, 0.0, -1, 2**64])
    if r < 0.4:
        return rng.choice(["a", "b", "", "1"])
    if r < 0.45:
        return None
    if r < 0.8 and depth < 2:
        return [mixed_value(rng, depth + 1) for _ in range(rng.randrange(3))]
    if depth < 2:
        return {rng.choice("ab"): mixed_value(rng, depth + 1)}
    return rng.choice([1, True, "a"])


def stamp(rng):
    if rng.random() < 0.4:
        return rng.choice(STAMPS_FIXED)
    year = rng.choice(["2024", "2023", "2020", "2026", "0001", "9999", "2021"])
    date = rng.choice([
        f"{year}-{rng.choice(['01', '02', '12', '13'])}-{rng.choice(['01', '29', '30', '31'])}",
        f"{year}{rng.choice(['01', '02', '12'])}{rng.choice(['01', '29', '31'])}",
        f"{year}-{rng.choice(['001', '365', '366', '000'])}", f"{year}{rng.choice(['001', '366'])}",
        f"{year}-W{rng.choice(['01', '52', '53', '00'])}{rng.choice(['', '-1', '-7', '-0'])}",
        f"{year}W{rng.choice(['01', '52', '53'])}{rng.choice(['', '1', '7'])}", f"{year}-01",
    ])
    sep = rng.choice(["T", "T", " ", "t"])
    time = rng.choice(["10", "10:00", "10:00:00", "1000", "100000", "10:00:00.5", "100000,25", "23:59:60", "24:00"])
    zone = rng.choice(["", "Z", "+02", "+0230", "+02:30", "-00:00", "+24:00", "z"])
    return date + sep + time + zone


SCHEMA_TWISTS = [
    lambda r: {"$defs": {"d": {"pattern": r.choice(["[", "(?i)a", "a{,2}", "(", "\\p{L}", "^a$", "(?<x>a)", "\\Z"])}}},
    lambda r: {"$defs": {"d": {"patternProperties": {r.choice(["[", "^a", "(?P<n>x)"]): {}}}}},
    lambda r: {"$defs": {"d": {"type": r.choice(["integr", "string", ["string", "null"], ["string", "string"], 5, []])}}},
    lambda r: {"$defs": {"d": {"minLength": r.choice([-1, 0, 1.5, 2.0, "3", True])}}},
    lambda r: {"then": {"maxLength": r.choice([-1, 2, "x"])}},
    lambda r: {"contentSchema": {"type": r.choice(["integr", "integer"])}},
    lambda r: {"$anchor": r.choice(["ok", "1bad", "a\n", "a b", "_x.y-z"])},
    lambda r: {"$id": r.choice(["urn:x", "http://e.test/x#frag", "http://e.test/x#", "http://e.test/x"])},
    lambda r: {"required": r.choice([["a"], ["a", "a"], [], [1]])},
    lambda r: {"type": r.choice([[], ["string"], ["string", "string"], "str"])},
    lambda r: {"minimum": r.choice(["1", 1, None])},
    lambda r: {"items": r.choice([[{"type": "string"}], {"type": "string"}, True])},
    lambda r: {"format": r.choice([5, "date", None])},
    lambda r: {"additionalProperties": r.choice(["no", False, {}])},
    lambda r: {"enum": r.choice([[], ["a"], "a", ["a", "a"]])},
    lambda r: {"$schema": r.choice([
        "http://json-schema.org/draft-04/schema#", "http://json-schema.org/draft-06/schema#", "http://json-schema.org/draft-03/schema#",
        "http://json-schema.org/draft-07/schema#", "http://json-schema.org/draft-07/schema", "HTTP://json-schema.org/draft-07/schema",
        "https://json-schema.org/draft-07/schema#", "http://json-schema.org/draft-07/schema?", "https://json-schema.org/draft/2019-09/schema",
        "https://json-schema.org/draft/2020-12/schema", "urn:unknown", 7,
    ]), **r.choice([{"const": "a"}, {"prefixItems": [{"type": "integer"}]}, {"if": {"minLength": 2}, "then": {"maxLength": 3}},
                     {"contains": {"type": "integer"}}, {"propertyNames": {"maxLength": 1}}, {"exclusiveMaximum": True, "maximum": 3},
                     {"items": [{"type": "integer"}], "additionalItems": False}, {"dependentRequired": {"a": ["b"]}}])},
    # A nested `$schema` switches the draft for that subschema (python-jsonschema's `descend`).
    lambda r: {**r.choice([{}, {"$schema": "http://json-schema.org/draft-07/schema#"}]), "properties": {"x": {"$schema": r.choice([
        "http://json-schema.org/draft-07/schema#", "https://json-schema.org/draft/2020-12/schema", "http://json-schema.org/draft-04/schema#",
        "https://json-schema.org/draft/2019-09/schema", "urn:unknown", " http://json-schema.org/draft-07/schema#",
    ]), **r.choice([{"prefixItems": [{"type": "integer"}]}, {"items": [{"type": "integer"}]}, {"const": 1},
                     {"dependencies": {"a": ["b"]}}, {"dependentRequired": {"a": ["b"]}}, {"unevaluatedProperties": False, "properties": {"a": {}}}])}}},
    lambda r: {"$schema": "urn:meta", "$defs": {"m": {"$id": "urn:meta", "$vocabulary": {
        "https://json-schema.org/draft/2020-12/vocab/core": True,
        **({"https://json-schema.org/draft/2020-12/vocab/validation": True} if r.random() < 0.5 else {})}}}, "maxLength": 2},
]
D3 = "http://json-schema.org/draft-03/schema#"
D4 = "http://json-schema.org/draft-04/schema#"
D6 = "http://json-schema.org/draft-06/schema#"
D7 = "http://json-schema.org/draft-07/schema#"
D2019 = "https://json-schema.org/draft/2019-09/schema"
D2020 = "https://json-schema.org/draft/2020-12/schema"
# The drafts python-jsonschema reads besides 7 and 2020-12, and the places where they differ:
# each draft's own keywords (the others ignored), draft 3's `type` schemas, "any", `disallow`,
# `extends`, `required` in a property, `divisibleBy` and string `dependencies`; boolean
# `exclusiveMaximum` and `1.0` not an integer in drafts 3 and 4; `id` against `$id`; `$ref`
# hiding its siblings before 2019-09; 2019-09's `$recursiveRef`, `unevaluated*`, `items` arrays;
# a nested `$schema` (the draft switches there; `$ref` across the switch); `$schema` spellings
# `urlsplit` rewrites or refuses; what python-jsonschema only raises when it gets there (an
# unresolvable `$ref`, a subschema that is not a schema); percent-encoded `$ref` fragments and
# `$ref`s to the metaschemas of those drafts.
def full_only(name, twist):
    """A twist only the full module follows (the browser's default module, budgeted, does not):
    its cases carry `fullOnly`, which the JS test counts by name for the default module only."""
    twist.full_only = name
    return twist


DRAFT_TWISTS = [
    lambda r: {"$schema": D3, "type": r.choice([["string", {"type": "integer", "minimum": 3}], "any", ["integer", "null"],
                                                 [{"type": "array", "items": {"type": "string"}}, "boolean"], "integer", ["integr", "string"],
                                                 ["string", "integr"], "number"])},
    lambda r: {"$schema": D3, "disallow": r.choice(["string", ["integer", "null"], [{"type": "object", "properties": {"a": {"type": "integer"}}}], "any", ["integr"]])},
    lambda r: {"$schema": D3, "type": "object", "properties": {"a": {"type": "integer", "required": r.choice([True, False])},
                                                               "b": {"required": True, "type": "string"}},
               "dependencies": r.choice([{"a": "b"}, {"a": ["b"]}, {"a": {"required": ["x"]}}, {"a": {"properties": {"b": {"required": True}}}}])},
    lambda r: {"$schema": D3, **r.choice([{"extends": {"type": "integer"}}, {"extends": [{"minimum": 2}, {"maximum": 5}]},
                                          {"divisibleBy": r.choice([2, 0.5, 3])}, {"maximum": 3, "exclusiveMaximum": r.choice([True, False])},
                                          {"minimum": 1, "exclusiveMinimum": True}, {"required": ["a"]}, {"allOf": [{"type": "string"}]},
                                          {"enum": [1, "a", [1]]}, {"minProperties": 2}, {"not": {"type": "integer"}}])},
    lambda r: {"$schema": D4, **r.choice([{"type": "integer"}, {"type": ["integer", "string"]}, {"maximum": 3, "exclusiveMaximum": r.choice([True, False])},
                                          {"minimum": 3, "exclusiveMinimum": True}, {"const": "a"}, {"contains": {"type": "integer"}},
                                          {"propertyNames": {"maxLength": 1}}, {"if": {"type": "string"}, "then": {"maxLength": 1}},
                                          {"definitions": {"d": {"type": "integer"}}, "$ref": "#/definitions/d", "type": "string"},
                                          {"id": "http://e.test/s", "definitions": {"d": {"id": "#d", "type": "integer"}}, "properties": {"x": {"$ref": "#d"}}},
                                          {"multipleOf": 0.5}, {"items": [{"type": "integer"}], "additionalItems": False}])},
    lambda r: {"$schema": D6, **r.choice([{"if": {"type": "string"}, "then": {"maxLength": 1}}, {"const": 1}, {"contains": {"const": 1}},
                                          {"exclusiveMaximum": 3}, {"type": "integer"}, {"propertyNames": {"pattern": "^a"}},
                                          {"definitions": {"d": {"type": "integer"}}, "$ref": "#/definitions/d", "minimum": 5},
                                          {"$id": "http://e.test/s", "definitions": {"d": {"$id": "#d", "type": "integer"}}, "properties": {"x": {"$ref": "#d"}}},
                                          {"dependentRequired": {"a": ["b"]}}, {"dependencies": {"a": ["b"]}}])},
    lambda r: {"$schema": D2019, **r.choice([
        {"$recursiveAnchor": True, "type": ["object", "integer"], "additionalProperties": {"$recursiveRef": "#"}},
        {"$defs": {"t": {"$recursiveAnchor": True, "type": "object", "properties": {"x": {"$recursiveRef": "#"}}}}, "$ref": "#/$defs/t"},
        {"items": [{"type": "integer"}], "additionalItems": r.choice([False, {"type": "string"}])},
        {"items": [{"type": "integer"}], "unevaluatedItems": False}, {"prefixItems": [{"type": "integer"}], "items": False},
        {"properties": {"a": {}}, "unevaluatedProperties": False}, {"allOf": [{"properties": {"a": {}}}], "unevaluatedProperties": False},
        {"if": {"properties": {"ab": {}}}, "then": {"properties": {"b": {}}}, "unevaluatedProperties": False},
        {"dependentRequired": {"ab": ["x"]}}, {"dependencies": {"ab": ["x"]}}, {"contains": {"type": "integer"}, "minContains": 2},
        {"$defs": {"d": {"$anchor": "dd", "type": "integer"}}, "$ref": "#dd", "minimum": 2},
        {"$dynamicRef": "#x", "$defs": {"x": {"$dynamicAnchor": "x", "type": "integer"}}}])},
    lambda r: {**r.choice([{}, {"$schema": D7}, {"$schema": D2020}]), "$defs": {"two": {"prefixItems": [{"type": "integer"}], "items": False}},
               "definitions": {"old": {"type": "integer"}},
               "properties": {"x": {"$schema": r.choice([D4, D6, D7, D2019, D2020, D3]), **r.choice([
                   {"$ref": "#/$defs/two", "type": "string"}, {"$ref": "#/definitions/old", "maxLength": 1}, {"not": {"$ref": "#/definitions/old", "type": "string"}},
                   {"type": "integer"}, {"maximum": 3, "exclusiveMaximum": True}, {"items": [{"type": "integer"}], "additionalItems": False},
                   {"contains": {"$ref": "#/definitions/old", "type": "string"}}, {"if": {"$ref": "#/definitions/old", "type": "string"}, "then": False},
                   {"properties": {"y": {"$ref": "#/$defs/two"}}}])}}},
    lambda r: {"properties": {"x": {"$ref": r.choice(["#/$defs/missing", "http://e.test/nowhere", "#nope", "#/$defs/ok"])}},
               "$defs": {"ok": {"type": "integer"}}, **r.choice([{}, {"$schema": D7}, {"$schema": D4}])},
    lambda r: {"$schema": D7, "properties": {"x": {"$schema": D2020, **r.choice([{"items": [{"type": "integer"}]}, {"not": 5}, {"additionalProperties": "no"},
                                                                              {"items": {"type": "integer"}}, {"dependentSchemas": {"a": []}}])}}},
    lambda r: {"$schema": r.choice([" " + D4, "\t" + D7, "http://json-schema.org/draft-0\n4/schema#", "HTTP://json-schema.org/draft-04/schema",
                                    "http://json-schema.org/draft-04/schema?", "http://json-schema.org/draft-04/schema?#", "http://[json-schema.org/draft-04/schema",
                                    "http://json-schema.org]/x", "\x00" + D6, "https://json-schema.org/draft/2019-09/schema#", "http://json-schema.org/draft-06/schema#x"]),
               **r.choice([{"type": "integer"}, {"maximum": 3, "exclusiveMaximum": True}, {"if": {"type": "string"}, "then": {"maxLength": 1}}])},
    lambda r: {"$defs": {"a b": {"type": "integer"}, "a%b": {"type": "string"}, "c/d": {"type": "array"}, "é": {"type": "null"}},
               "properties": {"x": {"$ref": r.choice(["#/$defs/a%20b", "#/$defs/a%25b", "#/$defs/c~1d", "#/$defs/c%2Fd", "#/$defs/%C3%A9", "#/$defs/a b"])}}},
    lambda r: {"properties": {"x": {"$ref": r.choice(["http://json-schema.org/draft-04/schema#", "http://json-schema.org/draft-06/schema#",
                                                       "https://json-schema.org/draft/2019-09/schema", "http://json-schema.org/draft-03/schema#",
                                                       "http://json-schema.org/draft-04/schema#/definitions/positiveInteger"])}}},
]
DRAFT_TWISTS += [
    # A percent-encoded anchor (Python's resolver decodes pointers only); bracketed hosts.
    lambda r: ({"$defs": {"f": {"$anchor": "foo", "type": "integer"}, "g": {"$anchor": "fo_6F", "type": "string"}},
                "properties": {"x": {"$ref": r.choice(["#foo", "#fo%6F", "#fo%256F", "#/$defs/f", "#/%24defs/f", "#fo_6F"])}}},
               [{"x": 1}, {"x": "s"}, {"x": None}, {}]),
    lambda r: ({"$schema": r.choice(["http://[::1]/s", "http://[1.2.3.4]/s", "http://[v1.x]/s", "http://[vz.x]/s", "http://[fe80::1%eth0]/s",
                                     "http://[fe80::1%]/s", "http://[::1%a%b]/s", "http://[zzz]/s", "http://[::1]x/s", "http://[::1/s",
                                     "http://[::ffff:1.2.3.4]/s", "http://[1:2:3:4:5:6:7:8:9]/s", "http://[v1.]/s"]),
                "type": "integer"}, [1, 5, "s"]),
    # 2019-09's $recursiveRef through resources with and without $recursiveAnchor.
    lambda r: ({"$schema": D2019, "$id": "http://e.test/root", "$recursiveAnchor": r.choice([True, False]), "type": ["object", "integer"],
               "properties": {"x": {"$ref": "mid"}},
               "$defs": {"mid": {"$id": "mid", "$recursiveAnchor": r.choice([True, False]), "type": ["object", "integer", "string"],
                                 "properties": {"x": {"$ref": "leaf"}}},
                         "leaf": {"$id": "leaf", "$recursiveAnchor": True, "type": ["object", "integer", "array"],
                                  "additionalProperties": {"$recursiveRef": "#"}}}},
               [{"x": {"x": {"a": 1}}}, {"x": {"x": {"a": "s"}}}, {"x": {"x": {"a": [1]}}}, {"x": {"x": {"a": {"b": "s"}}}},
                {"x": {"x": {"a": {"b": [1]}}}}, {"x": {"x": {"a": {"b": 1}}}}, {"x": 1}]),
    # An id in a subschema with its own $schema: Python's descend moves the base by the reaching draft's rule.
    lambda r: ({**r.choice([{}, {"$schema": D4}, {"$schema": D7}]), "$defs": {"d": {"type": "integer"}}, "definitions": {"d": {"type": "string"}},
                "properties": {"x": {"$schema": r.choice([D4, D6, D2019, D2020]), **r.choice([{"id": "http://e.test/n"}, {"$id": "http://e.test/n"}, {}]),
                                     "definitions": {"d": {"type": "array"}}, "$defs": {"d": {"type": "null"}},
                                     "properties": {"y": {"$ref": r.choice(["#/definitions/d", "#/$defs/d", "http://e.test/n#/definitions/d"])}}}}},
               [{"x": {"y": v}} for v in (1, "s", [1], None)]),
]
DRAFT_TWISTS += [
    # 2019-09's unevaluated* as python-jsonschema's legacy walk reads them (an object
    # additionalProperties marks the keys named like its keywords; `items: true` raises).
    lambda r: ({"$schema": D2019, **r.choice([{"additionalProperties": {"type": "string"}}, {"allOf": [{"additionalProperties": {"minimum": 0}}]},
                                              {"allOf": [{"unevaluatedProperties": {"type": "integer"}}]}, {"properties": {"type": {}}},
                                              {"patternProperties": {"^t": {}}}, {"dependentSchemas": {"a": {"properties": {"b": {}}}}},
                                              {"anyOf": [{"properties": {"a": {}}}, {"required": ["zz"]}]}, {"$ref": "#/$defs/p", "$defs": {"p": {"properties": {"a": {}}}}}]),
                "unevaluatedProperties": r.choice([False, {"type": "integer"}])},
               [{"a": "x"}, {"a": 1}, {"type": 1}, {"minimum": 1}, {"a": 1, "b": 2}, {"t": "x"}, {}, 1]),
    lambda r: ({"$schema": D2019, **r.choice([{"items": True}, {"items": False}, {"items": True, "additionalItems": False}, {"items": [{}]},
                                              {"items": {}}, {"contains": {"type": "integer"}}, {"allOf": [{"items": [{}, {}]}]},
                                              {"if": {"items": [{}]}, "then": {"items": [{}, {}]}}]),
                "unevaluatedItems": r.choice([False, {"type": "integer"}])},
               [[], [1], [1, "a"], ["a", "b", "c"], [1, 2, 3], "x"]),
    # Where Python's registry looks for ids: not under $defs before 2019-09, nor under
    # additionalProperties in draft 4; a `#name` id beside a `$ref` is still an anchor.
    lambda r: ({"$schema": r.choice([D3, D4, D6, D7, D2019, D2020]),
                **r.choice([{"$defs": {"a": {"id": "http://x/a.json", "$id": "http://x/a.json", "type": "integer"}}},
                            {"definitions": {"a": {"id": "http://x/a.json", "$id": "http://x/a.json", "type": "integer"}}},
                            {"additionalProperties": {"id": "http://x/a.json", "$id": "http://x/a.json", "type": "integer"}},
                            {"definitions": {"a": {"$id": "#a", "id": "#a", "$ref": "#/definitions/b", "type": "integer"}, "b": {}}}]),
                "properties": {"p": {"$ref": r.choice(["http://x/a.json", "#a"])}}},
               [{"p": 1}, {"p": "s"}, {"q": 1}, {}]),
    # An `$id` inside `not`, `if` or `contains`: Python keeps the resolver it had there.
    lambda r: ({"$schema": r.choice([D2019, D2020, D7]), "definitions": {"c": {"$id": "http://y/c.json", "type": "string"}},
                **r.choice([{"not": {"$id": "http://y/", "$ref": "c.json"}}, {"if": {"$id": "http://y/", "$ref": "c.json"}, "then": False},
                            {"contains": {"$id": "http://y/", "$ref": "c.json"}}, {"allOf": [{"$id": "http://y/", "$ref": "c.json"}]},
                            {"not": {"$id": "http://y/", "properties": {"a": {"$ref": "c.json"}}}}])},
               [1, "s", ["s"], [1], {"a": 1}, {"a": "s"}]),
]
# A malformed keyword value where python-jsonschema's check_schema does not look (under an
# unknown keyword reached by `$ref`, in a subschema with its own `$schema`): Python runs the
# keyword on it, comparing as Python does (`len(s) < 1.5`, True as 1), iterating what it is
# given (`required: "ab"`, `enum: "abc"`, `anyOf: ""`), or raising for the instances it looks at.
MALFORMED = {
    "minLength": ["x", 1.5, -1, True, False, None, [1], {"a": 1}, 2.0], "maxLength": [1.5, -1, -0.5, True, "x", None, 0.5],
    "minItems": [1.5, True, "x", -2], "maxItems": [0.5, -1, False, [1]], "minProperties": [1.5, True, "x"], "maxProperties": [0.5, -1, None],
    "minimum": ["x", True, None, [1]], "maximum": ["x", False, {"a": 1}], "exclusiveMinimum": [True, "x"], "exclusiveMaximum": [False, None],
    "multipleOf": [0, -2, -0.5, True, False, "x", 0.0], "pattern": [5, None, ["a"]],
    "required": ["a", "ab", {"a": 1}, [5], [["a"]], 5, None, True, ["a", None]], "enum": ["abc", {"a": 1}, 5, None, "", True],
    "type": [5, ["string", 5], "foo", ["integer", "any"], "any", None, {"type": "string"}, ["string", {"a": 1}]],
    "allOf": [5, "", "ab", {}, {"a": 1}, [], None], "anyOf": [5, "", "ab", {}, [], True], "oneOf": ["", [], {}, 5],
    "prefixItems": [5, "", {}, None, True], "properties": [5, [], "x", None], "patternProperties": [5, ["a"]], "dependentSchemas": [5, "x", []],
}
MALFORMED_VALUES = [{}, {"a": 1}, {"a": "s"}, {"a": "ab"}, {"a": {"a": 1}}, {"a": []}, {"a": [1, 2]}, {"a": 1.5}, {"a": {}}, {"a": None}, {"a": True}, {"a": -3}]


def malformed(r):
    key = r.choice(sorted(MALFORMED))
    bad = {key: r.choice(MALFORMED[key])}
    if r.random() < 0.3:
        bad["type"] = r.choice(["string", "array", "object", "number"])
    where = r.random()
    if where < 0.6:
        schema = {"properties": {"a": {"$ref": "#/foo"}}, "foo": bad}
    elif where < 0.8:
        schema = {"$schema": D4, "properties": {"a": {"$schema": D2020, **bad}}} if key not in ("exclusiveMinimum", "exclusiveMaximum") else {"properties": {"a": {"$ref": "#/foo"}}, "foo": bad}
    else:
        schema = {"properties": {"a": {"anyOf": [{"$ref": "#/foo"}, {"type": "integer"}]}}, "foo": bad}
    return schema, MALFORMED_VALUES


# The third review's reproducers: where python-jsonschema's `is_valid` (in `not`, `if`,
# `contains`) stops at the first error in the schema's order, a raise after it is never reached;
# malformed values of more keywords; a single object as draft 3's type; ids urljoin refuses.
REVIEW3 = [
    ({"not": {"$ref": "#/x"}, "x": {"maxLength": 0, "pattern": 5}}, ["ab", "", 1]),
    ({"not": {"$ref": "#/x"}, "x": {"pattern": 5, "maxLength": 0}}, ["ab", "", 1]),
    ({"if": {"$ref": "#/x"}, "then": {"type": "string"}, "x": {"const": 1, "type": "foo"}}, ["ab", 1]),
    ({"not": {"contains": {"$ref": "#/x"}}, "x": {"maxLength": 0, "pattern": 5}}, [["ab"], [""], [1]]),
    ({"anyOf": [{"$ref": "#/x"}, True], "x": {"maxLength": 0, "pattern": 5}}, ["ab", ""]),
    ({"oneOf": [True, {"$ref": "#/x"}, {"type": "foo"}], "x": {"maxLength": 0}}, ["ab", ""]),
    ({"$ref": "#/x", "x": {"divisibleBy": 0}}, [5, "ab"]),
    ({"$ref": "#/x", "x": {"dependentRequired": 5}}, ["ab", {"a": 1}]),
    ({"$ref": "#/x", "x": {"$schema": D7, "dependencies": 5}}, ["ab", {"a": 1}]),
    ({"$ref": "#/x", "x": {"format": []}}, ["ab", 1]),
    ({"$ref": "#/x", "x": {"format": 5}}, ["ab", 1]),
    ({"$ref": "#/x", "x": {"uniqueItems": 1}}, [[1, 1], [1, 2]]),
    ({"$ref": "#/x", "x": {"uniqueItems": ""}}, [[1, 1]]),
    ({"$ref": "#/x", "x": {"additionalProperties": 5}}, [{"a": 1}, {}]),
    ({"$ref": "#/x", "x": {"additionalProperties": 0}}, [{"a": 1}, {}]),
    ({"$ref": "#/x", "x": {"$schema": D7, "items": [True], "additionalItems": None}}, [[1], [1, 2]]),
    ({"$ref": "#/x", "x": {"prefixItems": "ab"}}, ["ab", [], [1]]),
    ({"$ref": "#/x", "x": {"$schema": D3, "extends": 5}}, ["ab"]),
    ({"$ref": "#/x", "x": {"$schema": D3, "extends": ""}}, ["ab"]),
    ({"$ref": "#/x", "x": {"$schema": D3, "type": {}}}, ["ab"]),
    ({"$ref": "#/x", "x": {"$schema": D3, "type": {"string": 1}}}, ["ab", 1]),
    ({"$ref": "#/x", "x": {"$schema": D3, "disallow": {}}}, ["ab"]),
    ({"$ref": "#/x", "x": {"$schema": D3, "disallow": {"a": 1}}}, ["ab"]),
    ({"$ref": "#/x", "x": {"$schema": D4, "items": "ab"}}, [[], [1]]),
    ({"$ref": "#/x", "x": {"$schema": D3, "properties": {"a": 1}}}, [{}, {"a": 1}, "s"]),
    ({"$id": "urn:r", "properties": {"a": {"$id": "http://a\uff03b/"}}}, [{"a": 1}, "s"]),
    ({"$id": "urn:r", "$defs": {"a": {"$id": "http://a]/"}}}, ["s"]),
    ({"$id": "urn:r", "properties": {"a": {"$id": "http://[01.2.3.4]/"}}}, [{"a": 1}, "s"]),
    # Where `is_valid` stops: `contains` at the first match in drafts 6 and 7, past maxContains
    # in 2020-12; `properties` in the schema's order.
    ({"$schema": D7, "contains": {"$ref": "#/foo"}, "foo": {"anyOf": [{"type": "integer"}, {"pattern": 5}]}}, [[1, "s"], ["s", 1], [1], ["s"]]),
    ({"contains": {"$ref": "#/foo"}, "foo": {"anyOf": [{"type": "integer"}, {"pattern": 5}]}}, [[1, "s"], [1]]),
    ({"contains": {"$ref": "#/foo"}, "maxContains": 1, "foo": {"anyOf": [{"type": "integer"}, {"pattern": 5}]}}, [[1, 2, "s"], [1, "s"]]),
    ({"not": {"properties": {"b": {"$ref": "#/foo"}, "a": {"type": "string"}}}, "foo": {"pattern": 5}}, [{"a": 1, "b": "s"}, {"b": "s", "a": 1}]),
    ({"not": {"properties": {"a": {"type": "string"}, "b": {"$ref": "#/foo"}}}, "foo": {"pattern": 5}}, [{"a": 1, "b": "s"}, {"b": "s", "a": 1}]),
]
DRAFT_TWISTS += [full_only("malformed keyword", lambda r, c=c: c) for c in REVIEW3]
# The fourth review's: an unresolvable `$dynamicRef` raises only where it is reached,
# `$recursiveRef` runs at its place in the schema's order, 2019-09's walk ends at an object
# `items`.
REVIEW4 = [
    ({"dependentSchemas": {"a": {"$dynamicRef": r}}}, [1, {"a": 1}, {}]) for r in ["#/nope", "#nope", "http://localhost/zz"]
] + [
    ({"not": {"$ref": "#/$defs/d0"}, "$defs": {"d0": {"properties": {"a": {"$dynamicRef": "#/nope"}}}}}, [1, {"a": 1}]),
    ({"anyOf": [{"$id": "http://localhost/s/r", "$dynamicRef": "#/nope"}, True]}, [1]),
    ({"$schema": D2019, "type": "object", "properties": {"a": {"not": {"$recursiveRef": "#", "$ref": "y"}}}}, [{"a": 5}, {"a": {}}]),
    ({"$schema": D2019, "if": {"$recursiveRef": "#", "not": {}}}, [[], 1]),
    ({"$schema": D2019, "unevaluatedItems": False, "items": {}, "anyOf": [True, {"$ref": "#/nope"}]}, [[], [1]]),
    ({"$schema": D2019, "unevaluatedItems": False, "items": [True], "additionalItems": False, "anyOf": [True, {"$ref": "#/nope"}]}, [[], [1], [1, 2]]),
]
DRAFT_TWISTS += [full_only("unevaluated* walk", lambda r, c=c: c) for c in REVIEW4]
DRAFT_TWISTS += [full_only("malformed keyword", twist) for twist in [
    malformed, malformed, malformed, malformed, malformed, malformed,
    lambda r: ({"$schema": D3, "extends": {"$schema": D6, "properties": {"q": {"required": True}}}}, [{}, {"q": 1}, 1]),
    lambda r: ({"$ref": "http://json-schema.org/draft-03/schema#/properties/type"}, ["x", ["x"], [{"a": 1}], 1]),
]]
DRAFT_TWISTS += [
    # A pointer `$ref` into an unknown keyword: Python's pointer walk moves no base there.
    lambda r: ({"$ref": r.choice(["#/foo", "#/foo/bar", "#/properties/p/foo"]), "foo": {"$id": "http://x/y/", "$ref": "b", "bar": {"$id": "http://x/y/", "$ref": "b"}},
                "properties": {"p": {"foo": {"$id": "http://x/y/", "$ref": "b"}}}, "$defs": {"b": {"$id": "http://x/y/b", "type": "string"}}},
               ["s", 1]),
    # A draft 4/6/7 id with a fragment is registered with it (the full module only).
    full_only("an id keeps its fragment", lambda r: ({"$schema": r.choice([D6, D7]), "definitions": {"b": {"$id": r.choice(["http://x/b#frag", "http://x/b#", "http://x/b"]), "type": "integer"}},
                "properties": {"x": {"$ref": r.choice(["http://x/b", "http://x/b#frag"])}}}, [{"x": 1}, {"x": "s"}, {}])),
    # Array indices in a pointer, as Python's int() reads them.
    lambda r: ({"$defs": {"l": [{"type": "integer"}, {"type": "string"}]},
                "properties": {"x": {"$ref": "#/$defs/l/" + r.choice(["-1", "-0", " 0", "0 ", "1_0", "01", "+0", "2", "-3", "0x1", "1__0"])}}},
               [{"x": 1}, {"x": "s"}, {}]),
]
# referencing's dynamic scope for $dynamicRef/$recursiveRef: only the base URIs its `$ref` lookups
# pushed, never an empty one (a root without `$id`).
DRAFT_TWISTS += [
    lambda r: ({"$dynamicAnchor": "node", "$ref": "http://x/tree", "properties": {"v": {"type": "integer"}},
                                  "$defs": {"t": {"$id": "http://x/tree", "$dynamicAnchor": "node", "type": "object",
                                                  "properties": {"v": {"type": "number"}, "kids": {"type": "array", "items": {"$dynamicRef": "#node"}}}}}},
                                 [{"v": 1, "kids": [{"v": 1.5}]}, {"v": 1, "kids": [{"v": 1}]}]),
    lambda r: ({"$schema": D2019, "$id": "http://x/root", "$recursiveAnchor": True,
                                  "properties": {"r": {"type": "string"}, "a": {"$id": "http://x/a", "$recursiveAnchor": True,
                                                                                "properties": {"r": {"type": "integer"}, "b": {"$recursiveRef": "#"}}}}},
                                 [{"a": {"b": {"r": 1}}}, {"a": {"b": {"r": "s"}}}]),
    # (A 2020-12 tree with its own $id at the root, and a $recursiveRef chain whose root has none.)
    lambda r: ({**r.choice([{}, {"$id": "http://x/root"}]), "$dynamicAnchor": "node", "$ref": "http://x/tree", "properties": {"v": {"type": "integer"}},
                "$defs": {"t": {"$id": "http://x/tree", "$dynamicAnchor": "node", "type": "object",
                                "properties": {"v": {"type": "number"}, "kids": {"type": "array", "items": {"$dynamicRef": "#node"}}}}}},
               [{"v": 1, "kids": [{"v": 1.5}]}, {"v": 1, "kids": [{"v": 1}]}, {"v": 1, "kids": [{"v": 1, "kids": [{"v": 2.5}]}]}]),
    lambda r: ({"$schema": D2019, "$recursiveAnchor": True, "type": ["object", "integer"], "properties": {"x": {"$ref": "http://x/m"}},
                "$defs": {"m": {"$id": "http://x/m", "$recursiveAnchor": r.choice([True, False]), "type": ["object", "string"],
                                "properties": {"x": {"$ref": "http://x/l"}}},
                          "l": {"$id": "http://x/l", "$recursiveAnchor": True, "type": ["object", "array"], "additionalProperties": {"$recursiveRef": "#"}}}},
               [{"x": {"x": {"a": 1}}}, {"x": {"x": {"a": "s"}}}, {"x": {"x": {"a": [1]}}}, {"x": {"x": {"a": {"b": 1}}}}]),
]
# python-jsonschema's unevaluated* walk (2019-09 `_legacy_keywords`, 2020-12 `_utils`): keyword
# names read whatever a subschema's draft (and 2019-09's `additionalProperties` schema's own keys
# taken as property names), `$ref`s resolved with the resolver it started with (a subschema's
# `$id` does not move it), `if` and `contains` tried with that resolver, subschemas tried with
# the walk's class, `items: true` in 2019-09 raising, `prefixItems` by its len().
WALK_VALUES = [{}, {"p": 1}, {"a": 1}, {"type": 1}, {"a": 1, "p": "s"}, {"q": 1}, [], [1], [1, "s"], ["s", 1, 2], [[1]], {"a": "s", "type": 2}]
DRAFT_TWISTS += [full_only("unevaluated* walk", twist) for twist in [
    lambda r: ({"unevaluatedProperties": False, "allOf": [{"$id": "http://x/sub/", "$ref": r.choice(["a", "http://x/sub/a", "#/$defs/a"])}],
                "$defs": {"a": {"$id": "http://x/sub/a", "properties": {"p": True}}}}, WALK_VALUES),
    lambda r: ({"$schema": D2019, "unevaluatedProperties": False, **r.choice([{"allOf": [{"$schema": D7, "properties": {"a": True}}]},
                                                                              {"$ref": "http://json-schema.org/draft-07/schema#"},
                                                                              {"allOf": [{"$schema": D7, "$ref": "#/$defs/p", "properties": {"a": True}}]},
                                                                              {"additionalProperties": {"type": "integer"}}, {"additionalProperties": True}]),
                "$defs": {"p": {"properties": {"p": True}}}}, WALK_VALUES),
    lambda r: ({"$schema": r.choice([D2019, D2020]), r.choice(["unevaluatedProperties", "unevaluatedItems"]): r.choice([False, {"type": "integer"}]),
                **r.choice([{"if": {"$id": "http://x/i", "$ref": "#/$defs/t"}, "then": {"properties": {"a": True}}},
                            {"anyOf": [{"$id": "http://x/q/", "properties": {"q": {"$ref": "c"}}}, {"properties": {"p": True}}]},
                            {"dependentSchemas": {"a": {"properties": {"p": True}}}},
                            {"oneOf": [{"prefixItems": [True]}, {"items": True}], "contains": {"type": "string"}},
                            {"allOf": [{"items": r.choice([True, [True], {"type": "integer"}]), **r.choice([{}, {"additionalItems": False}])}]},
                            {"allOf": [{"prefixItems": r.choice(["ab", [True], {"x": 1}])}]},
                            {"allOf": [{"patternProperties": {"^t": True, "^a": {"type": "string"}}}]},
                            {"$ref": "#/$defs/t", "properties": {"a": True}}]),
                "$defs": {"t": {"type": ["object", "array"], "properties": {"type": True}}, "c": {"type": "integer"}}}, WALK_VALUES),
    lambda r: ({"$schema": D2019, "$recursiveAnchor": True, "unevaluatedProperties": False, "properties": {"a": True},
                "anyOf": [{"$ref": "http://x/n"}, True], "$defs": {"n": {"$id": "http://x/n", "$recursiveAnchor": r.choice([True, False]),
                                                                      "properties": {"p": True}, "allOf": [{"$recursiveRef": "#"}]}}},
               WALK_VALUES),
]]
# referencing's registry crawl, which the first lookup its registry cannot answer runs (an anchor,
# a URI other than the root's and the metaschemas'), raises on some shapes check_schema lets by:
# draft 7's dependencies mixing a schema and a list, draft 3's extends as an object, a boolean in
# a nested draft 3 or 4, a nested 2019-09 `$anchor` Python cannot hash, a nested `$schema` that is
# not a string; a pointer from the root never crawls.
CRAWL_REFS = ["#foo", "#/definitions/a", "http://x/a", "a", "#/properties/x", "http://json-schema.org/draft-07/schema#"]
DRAFT_TWISTS += [full_only("registry crawl", twist) for twist in [
    lambda r: ({"$schema": D7, "definitions": {"a": r.choice([{"$id": "#foo", "type": "integer"}, {"$id": "http://x/a", "type": "integer"}])},
                "properties": {"x": {"$ref": r.choice(CRAWL_REFS)}},
                "dependencies": r.choice([{"x": {"required": ["y"]}, "z": ["x"]}, {"z": ["x"], "x": {"required": ["y"]}}, {"x": {"required": ["y"]}}])},
               [{"x": 1, "y": 1}, {"x": "s", "y": 1}, {"x": 1}]),
    lambda r: ({"$schema": r.choice([D2020, D7]), "definitions": {"a": {"$id": "http://x/a", "type": "integer"}, "b": {"$id": "#foo", "$anchor": "foo", "type": "integer"}},
                "properties": {"x": {"$ref": r.choice(CRAWL_REFS)},
                               "w": r.choice([{"$schema": D3, "extends": {"type": "string"}}, {"$schema": D3, "extends": [{"type": "string"}]},
                                              {"$schema": D4, "properties": {"q": True}}, {"$schema": D4, "not": False}, {"$schema": D3, "properties": {"q": False}},
                                              {"$schema": D2019, "$anchor": ["x"]}, {"$schema": D2019, "items": "ab"}, {"$schema": D6, "$id": 5, "$ref": "#"},
                                              {"$schema": 5}, {"properties": {"q": {"$schema": None}}}, {"$schema": D4, "additionalProperties": True}])}},
               [{"x": 1}, {"x": "s"}, {"x": 1, "w": "s"}, {"w": 1}, {}]),
]]
# The dynamic scope a `$ref` pushes is the resolver's base URI, which an id under `not`/`if`/
# `contains` does not move (`evolve(...).is_valid`); a base URI no resource has (an id where the
# crawl does not look, e.g. draft 7's dependencies after a list) raises when the scope is searched.
SCOPE_KW = ["if", "not", "contains"]
DRAFT_TWISTS += [full_only("dynamic scope", twist) for twist in [
    lambda r: ({"$schema": D2019, **r.choice([{}, {"$id": "http://localhost/r"}]), "$recursiveAnchor": True, "type": ["array", "integer"],
                "items": {r.choice(SCOPE_KW): {"$id": "http://localhost/a/", "$recursiveAnchor": True,
                                               **r.choice([{"$recursiveRef": "#"}, {"$recursiveRef": "#", "type": "array"},
                                                           {"$ref": "#/$defs/x", "$defs": {"x": {"$recursiveRef": "#"}}}])}}},
               [[[{}]], [[1]], [{}], [[[]]], [1], [["s"]]]),
    lambda r: ({**r.choice([{}, {"$id": "http://localhost/r"}]), "$dynamicAnchor": "n", "type": ["array", "integer"],
                "$defs": {"b": {"$id": "http://localhost/b", "$dynamicAnchor": "n", "type": "integer"}},
                "items": {r.choice(SCOPE_KW): {"$id": "http://localhost/a/", **r.choice([
                    {"$dynamicAnchor": "n", "$dynamicRef": "#n", "type": "object"},
                    {"$dynamicAnchor": "n", "$ref": "#/$defs/x", "$defs": {"x": {"$dynamicRef": "#n"}}},
                    {"$ref": "b", "$dynamicRef": "#n"}])}}},
               [[[{}]], [[1]], [{}], [1], [[[1]]], ["s"]]),
    lambda r: ({"$schema": D2019, "$id": "http://localhost/r", "$recursiveAnchor": r.choice([True, False]),
                "$defs": {"t": r.choice([{"$schema": D2019, "$recursiveRef": "#"}, {"$recursiveRef": "#", "type": "integer"}])},
                "properties": {"x": {"$schema": D7, "dependencies": {**r.choice([{"a": ["b"]}, {}]),
                                                                      "c": {"$id": "http://localhost/u/", "allOf": [{"$ref": "http://localhost/r#/$defs/t"}]}}}}},
               [{"x": {"c": 1}}, {"x": {"a": 1}}, 1, {"x": {"c": 1, "a": 1}}]),
    lambda r: ({"$id": "http://localhost/r", "$dynamicAnchor": "n", "$defs": {"t": {"$schema": D2020, "$dynamicRef": "#n"}},
                "properties": {"x": {"$schema": D7, "dependencies": {**r.choice([{"a": ["b"]}, {}]),
                                                                      "c": {"$id": "http://localhost/u/", "allOf": [{"$ref": "http://localhost/r#/$defs/t"}]}}}}},
               [{"x": {"c": 1}}, {"x": {"a": 1}}, 1]),
]]
# One id (or anchor) given to two subschemas: a lookup finds the one referencing's crawl files
# last (a stack: the first listed of a keyword, a descendant before its ancestor, `$defs` and
# `properties` before `allOf`/`anyOf` before `not`/`if`). Only shapes whose order is fixed: two
# keywords of one kind (`$defs` and `properties`) are crawled in a frozenset's order, which
# changes with PYTHONHASHSEED, and so does Airflow's verdict.
DUP = "http://localhost/d"
DUP_PLACES = [lambda v: {"$defs": {"a": v}}, lambda v: {"$defs": {"n": {"$defs": {"m": v}}}}, lambda v: {"anyOf": [v, True]},
              lambda v: {"anyOf": [True, v]}, lambda v: {"allOf": [{"anyOf": [v, True]}]}, lambda v: {"not": {"not": v}}]
# (keyword, kind): two places of one kind under different keywords have no fixed order.
DUP_KEYS = [("$defs", 2), ("$defs", 2), ("anyOf", 1), ("anyOf", 1), ("allOf", 1), ("not", 0)]
def dup_twist(r):
    i, j = r.sample(range(len(DUP_PLACES)), 2)
    while DUP_KEYS[i][1] == DUP_KEYS[j][1] and DUP_KEYS[i][0] != DUP_KEYS[j][0]:
        i, j = r.sample(range(len(DUP_PLACES)), 2)
    first, second = DUP_PLACES[i]({"$id": DUP, "type": "integer"}), DUP_PLACES[j]({"$id": DUP, "type": "string"})
    for k, v in second.items():
        first[k] = first[k] + v if isinstance(v, list) and k in first else ({**first[k], **v} if k in first else v)
    return ({**first, "properties": {"x": {"$ref": DUP}}}, [{"x": 1}, {"x": "s"}])
DRAFT_TWISTS += [full_only("duplicate ids", twist) for twist in [
    dup_twist, dup_twist,
    lambda r: ({"$defs": {"a": {"$id": DUP, "type": "integer", "$defs": {"b": r.choice([{"$id": DUP, "type": "string"},
                                                                                          {"$id": "http://localhost/e", "$defs": {"c": {"$id": DUP, "type": "string"}}}])}}},
                "properties": {"x": {"$ref": DUP}}}, [{"x": 1}, {"x": "s"}]),
    lambda r: (r.choice([{"$defs": {"a": {"$anchor": "n", "type": "integer"}, "b": {"$anchor": "n", "type": "string"}}},
                         {"$defs": {"a": {"$anchor": "n", "type": "integer", "$defs": {"b": {"$anchor": "n", "type": "string"}}}}},
                         {"anyOf": [{"$anchor": "n", "type": "integer"}, True], "$defs": {"b": {"$anchor": "n", "type": "string"}}},
                         {"$schema": D7, "definitions": {"a": {"$id": "#n", "type": "integer"}, "b": {"$id": "#n", "type": "string"}}},
                         {"$schema": D7, "items": [{"$id": "#n", "type": "integer"}], "definitions": {"b": {"$id": "#n", "type": "string"}}}])
               | {"properties": {"x": {"$ref": "#n"}}}, [{"x": 1}, {"x": "s"}]),
    lambda r: (r.choice([{"$schema": D7, "items": {"$id": DUP, "type": "integer"}, "definitions": {"b": {"$id": DUP, "type": "string"}}},
                         {"$schema": D7, "dependencies": {"z": {"$id": DUP, "type": "integer"}}, "items": {"$id": DUP, "type": "string"}}])
               | {"properties": {"x": {"$ref": DUP}}}, [{"x": 1}, {"x": "s"}, [1]]),
    lambda r: ({"$id": "http://localhost/r", "$defs": {"a": {r.choice(["$anchor", "$dynamicAnchor"]): "n", "type": "integer"},
                                                       "b": {r.choice(["$anchor", "$dynamicAnchor"]): "n", "type": "string"}},
                "properties": {"x": {r.choice(["$dynamicRef", "$ref"]): "#n"}}}, [{"x": 1}, {"x": "s"}]),
    lambda r: ({"$schema": D2019, "$defs": {"a": {"$id": DUP, "$recursiveAnchor": r.choice([True, False]), "type": ["integer", "object"], "properties": {"y": {"$recursiveRef": "#"}}},
                                            "b": {"$id": DUP, "$recursiveAnchor": r.choice([True, False]), "type": ["string", "object"], "properties": {"y": {"$recursiveRef": "#"}}}},
                "properties": {"x": {"$ref": DUP}}}, [{"x": 1}, {"x": "s"}, {"x": {"y": 1}}, {"x": {"y": "s"}}]),
]]
# The fifth review's: the dynamic scope grows only where a lookup asks for another URI than
# the base (compared as URIs, not as resources), and a `$ref` to a `$dynamicAnchor`'s name is
# resolved in the dynamic scope (referencing's DynamicAnchor.resolve).
REVIEW5 = [
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/a", "$ref": "b", "$defs": {"b": {"$id": "b", "$defs": {"meta": {"$dynamicAnchor": "meta", "type": "string"}, "x": {"$id": "x", "$defs": {"m": {"$dynamicAnchor": "meta", "type": "number"}}, "$dynamicRef": "#meta"}}, "$ref": "#/$defs/x"}}}, [1, "s", None]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/a", "$ref": "b", "$defs": {"b": {"$id": "b", "$ref": "a#/$defs/b/$defs/y", "$defs": {"meta": {"$dynamicAnchor": "meta", "type": "string"}, "y": {"properties": {"v": {"$id": "q", "$defs": {"m": {"$dynamicAnchor": "meta", "type": "number"}}, "$dynamicRef": "#meta"}}}}}}}, [{"v": 1}, {"v": "s"}]),
    ({"$schema": "https://json-schema.org/draft/2019-09/schema", "$id": "http://localhost/a", "$ref": "b", "$defs": {"b": {"$id": "b", "$recursiveAnchor": True, "type": ["string", "object"], "properties": {"w": {"$recursiveRef": "#"}}, "$ref": "#/$defs/x", "$defs": {"x": {"$id": "x", "$recursiveAnchor": True, "properties": {"v": {"$recursiveRef": "#"}}, "type": ["number", "object"]}}}}}, [{"v": 1}, {"v": "s"}, {"v": {"v": 1}}, {"v": {"v": "s"}}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$defs": {"x": {"properties": {"a": True}}}, "allOf": [{"$id": "s", "$ref": "#/$defs/x", "$defs": {"x": {"properties": {"b": True}}}}], "unevaluatedProperties": False}, [{"a": 1}, {"b": 1}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": {"x": {"properties": {"a": True}}}, "allOf": [{"$id": "s", "$ref": "#/$defs/x", "$defs": {"x": {"properties": {"b": True}}}}], "unevaluatedProperties": False}, [{"a": 1}, {"b": 1}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$defs": {"x": {"$id": "http://localhost/x", "properties": {"a": True}}, "y": {"$id": "http://localhost/d/x", "properties": {"b": True}}}, "anyOf": [{"$id": "d/s", "$ref": "x"}], "unevaluatedProperties": False}, [{"a": 1}, {"b": 1}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$dynamicAnchor": "m", "type": ["object", "string"], "properties": {"k": {"$ref": "t"}}, "$defs": {"t": {"$id": "t", "$dynamicAnchor": "m", "type": ["object", "number"], "properties": {"z": {"$ref": "#m"}}}}}, [{"k": {"z": 1}}, {"k": {"z": "s"}}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$defs": {"x": {"properties": {"a": True}}}, "if": {"$id": "s", "$ref": "#/$defs/x", "$defs": {"x": {"properties": {"b": True}}}}, "unevaluatedProperties": False}, [{"a": 1}, {"b": 1}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$defs": {"x": {"properties": {"a": True}}}, "if": True, "then": {"$id": "s", "$ref": "#/$defs/x", "$defs": {"x": {"properties": {"b": True}}}}, "unevaluatedProperties": False}, [{"a": 1}, {"b": 1}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$defs": {"x": {"prefixItems": [True]}}, "allOf": [{"$id": "s", "$ref": "#/$defs/x", "$defs": {"x": {"prefixItems": [True, True]}}}], "unevaluatedItems": False}, [[1], [1, 2]]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$defs": {"x": {"properties": {"a": True}}}, "dependentSchemas": {"q": {"$id": "s", "$ref": "#/$defs/x", "$defs": {"x": {"properties": {"b": True}}}}}, "unevaluatedProperties": False}, [{"q": 1, "a": 1}, {"q": 1, "b": 1}]),
]
# ... and the base URI a lookup gives its target (the looked-up URI, moved by the ids its
# pointer walk passes), `oneOf`'s branches after the first that passes tried with
# `evolve(...).is_valid` (their own ids not moving the base), a relative root id's dynamic
# anchors filed where `registry.anchor(root id, name)` does not find them.
REVIEW5 += [
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$defs": {"x": {"type": "string"}, "hold": {"not": {"$id": "http://localhost/n", "$ref": "#/$defs/x", "$defs": {"x": {"type": "number"}}}}}, "properties": {"k": {"$ref": "#/$defs/hold/not"}}}, [{"k": 1}, {"k": "s"}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$defs": {"x": {"type": "string"}, "hold": {"if": {"$id": "http://localhost/n", "$anchor": "a", "$ref": "#/$defs/x", "$defs": {"x": {"type": "number"}}}}}, "properties": {"k": {"$ref": "n#a"}}}, [{"k": 1}, {"k": "s"}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "r/a.json", "$dynamicAnchor": "m", "type": ["object", "string"], "properties": {"k": {"$ref": "http://localhost/d/y"}}, "$defs": {"y": {"$id": "http://localhost/d/y", "$dynamicAnchor": "m", "type": ["object", "number"], "properties": {"v": {"$dynamicRef": "#m"}}}}}, [{"k": {"v": 1}}, {"k": {"v": "s"}}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "properties": {"a": {"$id": "x", "$dynamicAnchor": "m", "type": ["object", "string"], "$ref": "http://localhost/d/y"}}, "$defs": {"y": {"$id": "http://localhost/d/y", "$dynamicAnchor": "m", "type": ["object", "number"], "properties": {"v": {"$dynamicRef": "#m"}}}, "dx": {"$id": "http://localhost/d/x", "$dynamicAnchor": "m", "type": ["object", "boolean"]}}}, [{"a": {"v": 1}}, {"a": {"v": "s"}}, {"a": {"v": True}}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$defs": {"x": {"type": "number"}}, "oneOf": [True, {"$id": "s", "allOf": [{"$ref": "#/$defs/x"}], "$defs": {"x": {"type": "string"}}}]}, [1, "s"]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "oneOf": [True, {"$id": "s", "allOf": [{"$ref": "#/$defs/x"}], "$defs": {"x": {"type": "string"}}}]}, [1, "s"]),
    ({"$schema": "https://json-schema.org/draft/2019-09/schema", "$id": "http://localhost/r", "$defs": {"x": {"type": "number"}}, "oneOf": [True, {"$id": "s", "allOf": [{"$ref": "#/$defs/x"}], "$defs": {"x": {"type": "string"}}}]}, [1, "s"]),
    ({"$schema": "https://json-schema.org/draft/2019-09/schema", "$id": "http://localhost/r", "oneOf": [True, {"$id": "s", "allOf": [{"$ref": "#/$defs/x"}], "$defs": {"x": {"type": "string"}}}]}, [1, "s"]),
    ({"$schema": "http://json-schema.org/draft-07/schema#", "$id": "http://localhost/r", "definitions": {"x": {"type": "number"}}, "oneOf": [True, {"$id": "s", "allOf": [{"$ref": "#/definitions/x"}], "definitions": {"x": {"type": "string"}}}]}, [1, "s"]),
    ({"$schema": "http://json-schema.org/draft-07/schema#", "$id": "http://localhost/r", "oneOf": [True, {"$id": "s", "allOf": [{"$ref": "#/definitions/x"}], "definitions": {"x": {"type": "string"}}}]}, [1, "s"]),
    ({"$schema": "http://json-schema.org/draft-04/schema#", "id": "http://localhost/r", "$defs": {"x": {"type": "string"}}, "definitions": {"t": {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/t", "$ref": "#/$defs/x", "$defs": {"x": {"type": "number"}}}}, "properties": {"k": {"$ref": "http://localhost/t"}}}, [{"k": 1}, {"k": "s"}]),
    ({"$schema": "http://json-schema.org/draft-04/schema#", "id": "http://localhost/r", "$defs": {"x": {"type": "string"}}, "properties": {"k": {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/t", "$ref": "#/$defs/x", "$defs": {"x": {"type": "number"}}}}}, [{"k": 1}, {"k": "s"}]),
    ({"$schema": "http://json-schema.org/draft-07/schema#", "$id": "http://localhost/r", "definitions": {"t": {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/t", "$ref": "#a", "$defs": {"x": {"$anchor": "a", "type": "number"}}}, "y": {"$id": "#a", "type": "string"}}, "properties": {"k": {"$ref": "http://localhost/t"}}}, [{"k": 1}, {"k": "s"}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$defs": {"x": {"type": "string"}}, "properties": {"k": {"$ref": "http://localhost/n"}, "j": {"not": {"$id": "http://localhost/n", "$ref": "#/$defs/x", "$defs": {"x": {"type": "number"}}}}}}, [{"k": 1}, {"k": "s"}, {"j": 1}, {"j": "s"}, {"j": [1]}, {"j": ["s"]}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$defs": {"x": {"type": "string"}, "hold": {"not": {"$id": "http://localhost/n", "$ref": "#/$defs/x", "$defs": {"x": {"type": "number"}}}}}, "properties": {"k": {"$ref": "http://localhost/n"}}}, [{"k": 1}, {"k": "s"}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$defs": {"x": {"type": "string"}}, "properties": {"k": {"$ref": "http://localhost/n"}, "j": {"if": {"$id": "http://localhost/n", "$ref": "#/$defs/x", "$defs": {"x": {"type": "number"}}}}}}, [{"k": 1}, {"k": "s"}, {"j": 1}, {"j": "s"}, {"j": [1]}, {"j": ["s"]}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$defs": {"x": {"type": "string"}, "hold": {"if": {"$id": "http://localhost/n", "$ref": "#/$defs/x", "$defs": {"x": {"type": "number"}}}}}, "properties": {"k": {"$ref": "http://localhost/n"}}}, [{"k": 1}, {"k": "s"}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$defs": {"x": {"type": "string"}}, "properties": {"k": {"$ref": "http://localhost/n"}, "j": {"contains": {"$id": "http://localhost/n", "$ref": "#/$defs/x", "$defs": {"x": {"type": "number"}}}}}}, [{"k": 1}, {"k": "s"}, {"j": 1}, {"j": "s"}, {"j": [1]}, {"j": ["s"]}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$defs": {"x": {"type": "string"}, "hold": {"contains": {"$id": "http://localhost/n", "$ref": "#/$defs/x", "$defs": {"x": {"type": "number"}}}}}, "properties": {"k": {"$ref": "http://localhost/n"}}}, [{"k": 1}, {"k": "s"}]),
]
# ... and the registry a resolver carries once a lookup has crawled it (a subschema repeating the
# root's id then replaces the root), `$recursiveRef`'s search looking each URI of the dynamic
# scope up again from where it is (a relative one joins the current base).
REVIEW5 += [
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$ref": "#x", "$defs": {"x": {"$anchor": "x", "$ref": "#/$defs/n"}, "n": {"type": "number"}, "d": {"$id": "http://localhost/r", "$defs": {"n": {"type": "string"}}}}}, [1, "s"]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$ref": "other", "$defs": {"o": {"$id": "other", "$ref": "r#/$defs/n"}, "n": {"type": "number"}, "d": {"$id": "http://localhost/r", "$defs": {"n": {"type": "string"}}}}}, [1, "s"]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "type": ["number", "string", "object"], "properties": {"k": {"$ref": "#x"}}, "$defs": {"x": {"$anchor": "x", "properties": {"z": {"$ref": "r"}}}, "d": {"$id": "http://localhost/r", "type": "string"}}}, [{"k": {"z": 1}}, {"k": {"z": "s"}}, {"k": {"z": {}}}]),
    ({"$schema": "http://json-schema.org/draft-07/schema#", "$id": "http://localhost/r", "allOf": [{"$ref": "#x"}], "definitions": {"x": {"$id": "#x", "allOf": [{"$ref": "#/definitions/n"}]}, "n": {"type": "number"}, "d": {"$id": "http://localhost/r", "definitions": {"n": {"type": "string"}}}}}, [1, "s"]),
    ({"$schema": "https://json-schema.org/draft/2019-09/schema", "properties": {"a": {"$id": "x", "$recursiveAnchor": True, "type": ["object", "string"], "$ref": "http://localhost/d/y"}}, "$defs": {"y": {"$id": "http://localhost/d/y", "$recursiveAnchor": True, "type": ["object", "number", "string", "boolean"], "properties": {"v": {"$recursiveRef": "#"}}}, "dx": {"$id": "http://localhost/d/x", "$recursiveAnchor": True, "type": ["object", "boolean"]}}}, [{"a": {"v": 1}}, {"a": {"v": "s"}}, {"a": {"v": True}}]),
    ({"$schema": "https://json-schema.org/draft/2019-09/schema", "properties": {"a": {"$id": "x", "$recursiveAnchor": True, "type": ["object", "string"], "$ref": "http://localhost/d/y"}}, "$defs": {"y": {"$id": "http://localhost/d/y", "$recursiveAnchor": True, "type": ["object", "number", "string", "boolean"], "properties": {"v": {"$recursiveRef": "#"}}}}}, [{"a": {"v": 1}}, {"a": {"v": "s"}}]),
    ({"$schema": "https://json-schema.org/draft/2019-09/schema", "$id": "r/a.json", "$recursiveAnchor": True, "type": ["object", "string"], "properties": {"k": {"$ref": "http://localhost/d/y"}}, "$defs": {"y": {"$id": "http://localhost/d/y", "$recursiveAnchor": True, "type": ["object", "number"], "properties": {"v": {"$recursiveRef": "#"}}}}}, [{"k": {"v": 1}}, {"k": {"v": "s"}}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "#x", "$defs": {"x": {"$anchor": "x", "$ref": "#/$defs/n"}, "n": {"type": "number"}, "d": {"$id": "#", "$defs": {"n": {"type": "string"}}}}}, [1, "s"]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "#x", "$defs": {"x": {"$anchor": "x", "$ref": "#/$defs/n"}, "n": {"type": "number"}, "d": {"$id": "", "$defs": {"n": {"type": "string"}}}}}, [1, "s"]),
    ({"$schema": "http://json-schema.org/draft-07/schema#", "allOf": [{"$ref": "#x"}], "definitions": {"x": {"$id": "#x", "allOf": [{"$ref": "#/definitions/n"}]}, "n": {"type": "number"}, "d": {"$id": "", "definitions": {"n": {"type": "string"}}}}}, [1, "s"]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "r/a.json", "$ref": "#m", "$defs": {"m": {"$anchor": "m", "type": "number"}}}, [1, "s"]),
    ({"$schema": "http://json-schema.org/draft-04/schema#", "id": "http://localhost/r", "allOf": [{"$ref": "#x"}], "definitions": {"x": {"id": "#x", "allOf": [{"$ref": "#/definitions/n"}]}, "n": {"type": "number"}, "d": {"id": "http://localhost/r", "definitions": {"n": {"type": "string"}}}}}, [1, "s"]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$dynamicAnchor": "m", "type": ["object", "string"], "properties": {"k": {"$id": "http://localhost/c", "$schema": "http://json-schema.org/draft-04/schema#", "properties": {"g": {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "http://localhost/t"}}}}, "$defs": {"t": {"$id": "http://localhost/t", "$dynamicAnchor": "m", "type": ["object", "number"], "properties": {"v": {"$dynamicRef": "#m"}}}}}, [{"k": {"g": {"v": 1}}}, {"k": {"g": {"v": "s"}}}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$dynamicAnchor": "m", "type": ["object", "string"], "properties": {"k": {"id": "http://localhost/c", "$schema": "http://json-schema.org/draft-04/schema#", "properties": {"g": {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "http://localhost/t"}}}}, "$defs": {"t": {"$id": "http://localhost/t", "$dynamicAnchor": "m", "type": ["object", "number"], "properties": {"v": {"$dynamicRef": "#m"}}}}}, [{"k": {"g": {"v": 1}}}, {"k": {"g": {"v": "s"}}}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$dynamicAnchor": "m", "type": ["object", "string"], "properties": {"k": {"$id": "http://localhost/c", "id": "http://localhost/c2", "$schema": "http://json-schema.org/draft-04/schema#", "properties": {"g": {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "http://localhost/t"}}}}, "$defs": {"t": {"$id": "http://localhost/t", "$dynamicAnchor": "m", "type": ["object", "number"], "properties": {"v": {"$dynamicRef": "#m"}}}}}, [{"k": {"g": {"v": 1}}}, {"k": {"g": {"v": "s"}}}]),
    ({"$schema": "http://json-schema.org/draft-04/schema#", "id": "http://localhost/r", "type": ["object", "string"], "properties": {"k": {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/c", "properties": {"g": {"$ref": "http://localhost/t"}}}}, "definitions": {"t": {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/t", "$dynamicAnchor": "m", "type": ["object", "number"], "properties": {"v": {"$dynamicRef": "#m"}}}}}, [{"k": {"g": {"v": 1}}}, {"k": {"g": {"v": "s"}}}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "r/a.json", "properties": {"k": {"$id": "c", "$ref": "http://localhost/t"}}, "$defs": {"t": {"$id": "http://localhost/t", "$dynamicAnchor": "m", "type": ["object", "number"], "properties": {"v": {"$dynamicRef": "#m"}}}}}, [{"k": {"v": 1}}, {"k": {"v": "s"}}]),
    ({"$schema": "https://json-schema.org/draft/2019-09/schema", "$id": "r/a.json", "properties": {"k": {"$id": "c", "$recursiveAnchor": True, "$ref": "http://localhost/t"}}, "$defs": {"t": {"$id": "http://localhost/t", "$recursiveAnchor": True, "type": ["object", "number"], "properties": {"v": {"$recursiveRef": "#"}}}}}, [{"k": {"v": 1}}, {"k": {"v": "s"}}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "a.json", "properties": {"k": {"$id": "c", "$ref": "http://localhost/t"}}, "$defs": {"t": {"$id": "http://localhost/t", "$dynamicAnchor": "m", "type": ["object", "number"], "properties": {"v": {"$dynamicRef": "#m"}}}}}, [{"k": {"v": 1}}, {"k": {"v": "s"}}]),
    ({"$schema": "https://json-schema.org/draft/2019-09/schema", "$id": "a.json", "properties": {"k": {"$id": "c", "$recursiveAnchor": True, "$ref": "http://localhost/t"}}, "$defs": {"t": {"$id": "http://localhost/t", "$recursiveAnchor": True, "type": ["object", "number"], "properties": {"v": {"$recursiveRef": "#"}}}}}, [{"k": {"v": 1}}, {"k": {"v": "s"}}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$dynamicAnchor": "m", "type": ["object", "array"], "properties": {"k": {"not": {"not": {"$id": "inner", "$dynamicAnchor": "m", "$ref": "http://localhost/t"}}}}, "$defs": {"t": {"$id": "http://localhost/t", "$dynamicAnchor": "m", "type": ["object", "number"], "properties": {"v": {"$dynamicRef": "#m"}}}}}, [{"k": {"v": 1}}, {"k": {"v": "s"}}, {"k": [{"v": 1}]}, {"k": [{"v": "s"}]}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$dynamicAnchor": "m", "type": ["object", "array"], "properties": {"k": {"if": {"$id": "inner", "$dynamicAnchor": "m", "$ref": "http://localhost/t"}, "then": True, "else": True}}, "$defs": {"t": {"$id": "http://localhost/t", "$dynamicAnchor": "m", "type": ["object", "number"], "properties": {"v": {"$dynamicRef": "#m"}}}}}, [{"k": {"v": 1}}, {"k": {"v": "s"}}, {"k": [{"v": 1}]}, {"k": [{"v": "s"}]}]),
    ({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "http://localhost/r", "$dynamicAnchor": "m", "type": ["object", "array"], "properties": {"k": {"contains": {"$id": "inner", "$dynamicAnchor": "m", "$ref": "http://localhost/t"}}}, "$defs": {"t": {"$id": "http://localhost/t", "$dynamicAnchor": "m", "type": ["object", "number"], "properties": {"v": {"$dynamicRef": "#m"}}}}}, [{"k": {"v": 1}}, {"k": {"v": "s"}}, {"k": [{"v": 1}]}, {"k": [{"v": "s"}]}]),
]
DRAFT_TWISTS += [full_only("dynamic scope", lambda r: r.choice(REVIEW5)) for _ in range(10)]
# The sixth review's reproducers: a plain `$anchor` beside a relative `$id` (the lookup's base
# stays); a dynamic winner handed the looked-up URI joined with its id; a nested `$schema` that
# `referencing` reads and `validator_for` does not; a `$ref` to a dynamic anchor run in the
# schema's keyword order (before `type`: the recursion Python meets first).
REVIEW6 = [
    ({"$id": "http://localhost/root", "$defs": {"X": {"$id": "sub/", "$anchor": "A", "$ref": "t.json"}, "t1": {"$id": "http://localhost/sub/t.json", "const": "one"}, "t2": {"$id": "http://localhost/sub/sub/t.json", "const": "two"}}, "$ref": "sub/#A"}, ["one", "two"]),
    ({"$id": "http://localhost/root", "$ref": "o/", "$defs": {"t1": {"$id": "http://localhost/o/t.json", "const": "o"}, "t2": {"$id": "http://localhost/o/i/o/t.json", "const": "oio"}, "outer": {"$id": "o/", "$dynamicAnchor": "A", "if": {"type": "object"}, "then": {"properties": {"v": {"$ref": "i/"}}}, "else": {"$ref": "t.json"}, "$defs": {"inner": {"$id": "i/", "$dynamicAnchor": "A", "$dynamicRef": "#A"}}}}}, [{"v": "o"}, {"v": "oio"}]),
    ({"$id": "http://localhost/root", "$defs": {"X": {"$schema": "http://json-schema.org/draft-04/schema##", "$id": "http://localhost/x", "id": "http://localhost/x", "definitions": {"k": {"$id": "a/", "id": "b/", "allOf": [{"$ref": "t.json"}]}}}, "ta": {"$id": "http://localhost/a/t.json", "const": "a"}, "tb": {"$id": "http://localhost/b/t.json", "const": "b"}}, "$ref": "x#/definitions/k"}, ["a", "b"]),
    ({"$id": "http://localhost/root", "$defs": {"X": {"$schema": "HTTP://json-schema.org/draft-04/schema#", "$id": "http://localhost/x", "id": "http://localhost/x", "definitions": {"k": {"$id": "a/", "id": "b/", "allOf": [{"$ref": "t.json"}]}}}, "ta": {"$id": "http://localhost/a/t.json", "const": "a"}, "tb": {"$id": "http://localhost/b/t.json", "const": "b"}}, "$ref": "x#/definitions/k"}, ["a", "b"]),
    ({"$dynamicAnchor": "n", "not": {"$ref": "#n", "type": "array"}}, [{}, 1]),
    ({"$dynamicAnchor": "n", "not": {"type": "array", "$ref": "#n"}}, [{}, []]),
    ({"$dynamicAnchor": "n", "properties": {"p": {"type": ["integer"]}, "q": {"$id": "http://localhost/a", "anyOf": [{"type": ["number", "integer", "array"]}, {"type": ["string", "None", "integer"]}]}}, "not": {"$id": "d/e", "$dynamicAnchor": "n", "$ref": "#n", "type": ["array"]}, "$schema": "https://json-schema.org/draft/2020-12/schema"}, [{}, {"p": 1}]),
]
# The root's id given again below (seed-stable shapes): a lookup the first registry cannot
# resolve that the crawled one can, and a `$recursiveRef` after a crawling lookup.
REVIEW6 += [
    ({"$schema": "http://json-schema.org/draft-07/schema#", "if": {"$id": "", "type": "object", "definitions": {"n": {"type": "object"}}}, "definitions": {"k3": {"$id": "", "type": "null", "definitions": {"n": {"type": "null"}}, "$schema": "http://json-schema.org/draft-06/schema#"}, "trig": {"$id": "#t", "allOf": [{"$ref": "#/definitions/n"}]}}, "properties": {"go": {"allOf": [{"$ref": "#t"}]}}}, [{"go": {}}, {"go": None}, {"go": 1}]),
    ({"$schema": "https://json-schema.org/draft/2019-09/schema", "$id": "r", "items": {"$id": "r", "type": "boolean"}, "$defs": {"k3": {"$id": "r", "type": "string"}, "trig": {"$anchor": "t", "allOf": [{"$recursiveRef": "#"}]}}, "then": {"$id": "r", "type": "object", "$recursiveAnchor": True}, "properties": {"go": {"$ref": "#t"}}}, [{"go": {}}, {"go": 1}, {"go": "s"}]),
]
DRAFT_TWISTS += [full_only("dynamic scope", lambda r: r.choice(REVIEW6)) for _ in range(6)]
# The seventh review's reproducers: a nested `$schema` read otherwise by `referencing` where it
# files anchors; a `$recursiveRef` never reached whose `#` cannot be resolved; a relative root
# id that `$recursiveRef`'s lookups join again and again; `int()` of a pointer's array index.
REVIEW7 = [
    ({'anyOf': [{'$ref': '#meta'}, {'$dynamicAnchor': 'meta', '$schema': 'http://json-schema.org/draft-07/schema?', 'type': 'integer'}]}, [1]),
    ({'anyOf': [{'$ref': '#meta'}, {'$dynamicAnchor': 'meta', '$schema': 'http://json-schema.org/draft-07/schema##', 'type': 'integer'}]}, [1]),
    ({'$schema': 'http://json-schema.org/draft-07/schema#', 'anyOf': [{'$ref': '#meta'}, {'$anchor': 'meta', '$schema': 'HTTPS://json-schema.org/draft/2020-12/schema', 'type': 'integer'}]}, [1]),
    ({'$schema': 'http://json-schema.org/draft-04/schema#', 'anyOf': [{'$ref': '#meta'}, {'$id': '#meta', '$schema': 'http://json-schema.org/draft-07/schema##', 'type': 'integer'}]}, [1]),
    ({'$id': '../up', '$schema': 'HTTP://json-schema.org/draft-07/schema#', 'anyOf': [{'$ref': '../up#meta'}, {'allOf': [{'$dynamicAnchor': 'meta', '$schema': 'https://json-schema.org/draft/2020-12/schema?'}]}]}, [{}]),
    ({'$schema': 'https://json-schema.org/draft/2019-09/schema', '$id': 'r/', 'properties': {'a': {'$recursiveRef': '#'}}, '$defs': {'d0': {'$id': 'd3.json', '$recursiveAnchor': True, '$recursiveRef': '#'}}}, [1]),
    ({'$schema': 'https://json-schema.org/draft/2019-09/schema', '$id': 'root/', '$recursiveAnchor': True, 'properties': {'a': {'$recursiveRef': '#'}}}, [{'a': {'a': {'a': {}}}}]),
    ({'prefixItems': [{'type': 'integer'}, {'type': 'string'}], '$ref': '#/prefixItems/١'}, ['s']),
    ({'$defs': {'a': {'anyOf': [{'type': 'integer'}, {'type': 'string'}]}}, '$ref': '#/$defs/a/anyOf/１'}, ['s']),
    ({'$schema': 'https://json-schema.org/draft/2019-09/schema', '$id': 'root/', '$recursiveAnchor': True, 'properties': {'a': {'$recursiveRef': '#'}}}, [{'a': {}}, {'a': {'a': {}}}, {'a': {'a': {'a': {}}}}]),
    ({'$defs': {'a': {'anyOf': [{'type': 'integer'}, {'type': 'string'}]}}, '$ref': '#/$defs/a/anyOf/\x1c1'}, ['s']),
    ({'$defs': {'a': {'anyOf': [{'type': 'integer'}, {'type': 'string'}]}}, '$ref': '#/$defs/a/anyOf/\x0b1\u3000'}, ['s']),
]
DRAFT_TWISTS += [full_only("dynamic scope", lambda r: r.choice(REVIEW7)) for _ in range(6)]
# Python's urljoin, as referencing joins ids and refs: no dot-segment removal in an absolute URI,
# empty segments dropped when merging, `;params`, a relative root id joined with itself by the
# registry's crawl (subschemas filed under `a/a/…` while `$ref`s resolve against `a/b`).
DRAFT_TWISTS += [
    lambda r: ({"$defs": {"b": {"$id": r.choice(["http://x/a/../b", "http://x/b", "HTTP://x/b", "http://x/./b", "http://x//b", "http://x/b?"]), "type": "integer"}},
                "properties": {"x": {"$ref": r.choice(["http://x/b", "http://x/a/../b", "http://x/./b", "http://x/b?", "http://x//b"])}}}, [{"x": 1}, {"x": "s"}]),
    lambda r: ({**r.choice([{"$id": "a/b"}, {"$id": "a/b#"}, {"$id": "http://x/a/b"}, {"$id": "/a/b"}, {}, {"$id": "HTTP://x/a/b?"}]),
                "$defs": {"d": {"$id": r.choice(["d", "a/d", "../d", "x/../d", "./d"]), "type": "integer"}},
                "properties": {"x": {"$ref": r.choice(["d", "a/d", "a/a/d", "http://x/a/d", "../d", "#/$defs/d"])}}}, [{"x": 1}, {"x": "s"}]),
    lambda r: ({"$id": r.choice(["http://x/a//b/c", "http://x/a;p/c;q", "http://x/a/b/"]), "$defs": {"d": {"$id": r.choice(["d", "../d", "e/../d", ";d"]), "type": "integer"}},
                "properties": {"x": {"$ref": r.choice(["d", "http://x/a/b/d", "http://x/a/d", "http://x/d", ";d", "http://x/a//b/d"])}}}, [{"x": 1}, {"x": "s"}]),
]
DRAFT_VALUES = [1, 1.0, 3, 3.0, 5, 100.0, 2.5, 2**64, -1, 0, "a", "ab", "", None, True, [], [1], [1, "a"], [1, 2, 3], ["a", 1.0],
                {}, {"a": 1}, {"a": 1.0}, {"a": 1, "b": "x"}, {"a": "x"}, {"ab": 1, "b": 2}, {"x": 1}, {"x": 1.0}, {"x": "a"},
                {"x": [1]}, {"x": [1, 2]}, {"x": [1, "a"]}, {"x": {"x": {"x": 1}}}, {"x": {"x": {"x": "a"}}}, {"x": {"a": 1}},
                {"x": {"type": "integer"}}, {"x": {"type": 5}}, {"x": {"exclusiveMaximum": True}}, {"x": {"minimum": -1}}, {"x": 5},
                {"x": {"y": [1, 2]}}, {"x": {"y": [1]}}, {"x": {"y": None}}, {"x": {"y": "s"}}, {"x": {"y": 1}},
                {"x": {"x": {"a": {"b": "s"}}}}, {"x": {"x": {"a": {"b": [1]}}}}, {"x": {"x": {"a": 1}}}]

SCHEMA_VALUES = ["a", "abc", "", "a\n", 1, 2.5, None, True, [], [1], ["a", 1], {}, {"a": 1}, {"ab": 1, "b": 2},
                 {"x": ["a"]}, {"x": [1]}, {"x": 2}, {"x": {"a": 1}}, {"x": {"a": 1, "b": 2}}]


def category_case(cat, rng):
    full = None
    default = lambda vals: {"default": rng.choice(vals)} if rng.random() < 0.5 else {}
    if cat == "pattern":
        p = rng.choice(PY_PATTERNS)
        if rng.random() < 0.75:
            param = {"schema": {"type": "string", "pattern": p}}
            value = rng.choice(STRINGS)
        else:
            param = {"schema": {"type": "object", "patternProperties": {p: {"type": "integer"}}, "additionalProperties": False}}
            value = {rng.choice(STRINGS): rng.choice([1, "x"]) for _ in range(rng.randrange(1, 3))}
    elif cat == "regex-format":
        param = {"schema": {"type": "string", "format": "regex"}}
        value = rng.choice(REGEXES)
    elif cat == "unique":
        param = {"schema": {"type": "array", "uniqueItems": True}}
        value = [mixed_value(rng) for _ in range(rng.randrange(5))]
    elif cat == "pendulum":
        param = {"schema": rng.choice([
            {"type": "string", "format": "date-time"}, {"type": ["string", "null"], "format": "date-time"},
            {"type": "string", "format": "date-time", "minLength": 20},
            {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]},
            {"type": "string", "format": "date-time", "pattern": "^2024"},
            # Where python-jsonschema's best_match decides which schema is blamed.
            {"oneOf": [{"format": "date-time"}, {"type": "string", "maxLength": 3}]},
            {"type": "string", "format": "date-time", "allOf": [{"maxLength": 5}]},
            {"anyOf": [{"format": "date-time"}, {"maxLength": 3}]},
            {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "maxLength": 3}]},
            {"allOf": [{"format": "date-time"}], "minLength": 30},
            {"$defs": {"dt": {"type": "string", "format": "date-time"}}, "$ref": "#/$defs/dt"},
            {"type": "string", "format": "date-time", "not": {"pattern": "^1"}},
            {"anyOf": [{"type": "integer"}, {"type": "string", "format": "date-time", "minLength": 25}]},
        ])}
        value = stamp(rng)
    elif cat == "time":
        param = {"schema": {"type": "string", "format": "time"}}
        value = rng.choice(TIMES)
    elif cat == "drafts":
        make = rng.choice(DRAFT_TWISTS)
        full = getattr(make, "full_only", None)
        twist = make(rng)
        # A twist may bring the values that reach its edge; most put it under "x".
        schema, values = twist if isinstance(twist, tuple) else (twist, None)
        param = {"schema": schema}
        if values:
            value = rng.choice(values)
        else:
            value = rng.choice(DRAFT_VALUES) if rng.random() < 0.5 else {"x": rng.choice(DRAFT_VALUES)}
    elif cat == "schema":
        param = {"schema": {**rng.choice([{}, {"type": ["string", "array", "object", "integer", "null"]}]), **rng.choice(SCHEMA_TWISTS)(rng)}}
        value = rng.choice(SCHEMA_VALUES)
    else:
        param = {"schema": rng.choice(NUMBER_SCHEMAS)}
        value = rng.choice(NUMBERS)
    params, conf = {"p0": param}, {}
    if rng.random() < 0.9:
        conf["p0"] = value
    else:
        param.update(default([value]))
    case = {"category": cat, "params": params, "conf": conf}
    if cat == "drafts" and full:
        case["fullOnly"] = full
    return case


# (drafts twice: its twists are many.)
CATEGORIES = ["pattern", "regex-format", "unique", "pendulum", "time", "numbers", "schema", "drafts", "drafts"]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 20261130)
    per_category = int(sys.argv[3]) if len(sys.argv) > 3 else 400
    cases = []
    for i in range(n):
        params, conf = {}, {}
        for j in range(rng.choice([1, 1, 1, 2, 3])):
            schema, valid, invalid = rng.choice(TEMPLATES)
            name = f"p{j}"
            param = {"schema": schema}
            if rng.random() < 0.7 and valid:
                param["default"] = rng.choice(valid)
            params[name] = param
            r = rng.random()
            if r < 0.4 and valid:
                conf[name] = rng.choice(valid)
            elif r < 0.8 and invalid:
                conf[name] = rng.choice(invalid)
            elif r < 0.9:
                pass  # left out: the default applies, or "No value passed"
            else:
                conf[name] = rng.choice(GENERIC)
        if rng.random() < 0.2:
            conf["not_a_param"] = rng.choice(GENERIC)
        cases.append({"category": "realistic", "params": params, "conf": conf})
    for cat in CATEGORIES:
        cases += [category_case(cat, rng) for _ in range(per_category)]
    json.dump(cases, sys.stdout)


if __name__ == "__main__":
    main()
