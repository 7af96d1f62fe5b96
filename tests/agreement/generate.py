"""Generates (Params, conf) cases from realistic Airflow Params, deterministically.

    python3 tests/agreement/generate.py N SEED > cases.json

Each case: {"params": {name: {"schema": {...}, "default": value}?}, "conf": {...}}; a Param
without "default" has none. Values are drawn from valid, invalid and generic candidates.
Known divergences are avoided on purpose (see README): no Param without a default whose schema
accepts null and is left out of conf; no non-ASCII digits or trailing newlines for patterns.
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


def accepts_null(schema, valid):
    return None in valid or schema.get("type") in (None,) and not schema


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2400
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 20261124)
    cases = []
    for i in range(n):
        params, conf = {}, {}
        for j in range(rng.choice([1, 1, 1, 2, 3])):
            schema, valid, invalid = rng.choice(TEMPLATES)
            name = f"p{j}"
            param = {"schema": schema}
            has_default = rng.random() < 0.7 and valid
            if has_default:
                param["default"] = rng.choice(valid)
            params[name] = param
            r = rng.random()
            if r < 0.4 and valid:
                conf[name] = rng.choice(valid)
            elif r < 0.8 and invalid:
                conf[name] = rng.choice(invalid)
            elif r < 0.9:
                # Left out: the default applies, or "No value passed". Not when the schema takes
                # null and there is no default (the details endpoint cannot tell that apart).
                if not has_default and (None in valid or not schema):
                    conf[name] = rng.choice(valid)
            else:
                conf[name] = rng.choice(GENERIC)
        if rng.random() < 0.2:
            conf["not_a_param"] = rng.choice(GENERIC)
        cases.append({"params": params, "conf": conf})
    json.dump(cases, sys.stdout)


if __name__ == "__main__":
    main()
