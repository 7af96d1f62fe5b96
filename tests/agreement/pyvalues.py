"""Python's own answers for tests/diff_python.rs: reads {"uniq": [json text, ...], "compare":
[[json text, json text], ...]} and writes python-jsonschema's `uniq` of each array and Python's
order (-1, 0, 1) of each pair of numbers, each read by `json.loads` as Airflow reads a conf."""
import json
import sys

from jsonschema._utils import uniq

case = json.load(sys.stdin)
out = {
    "uniq": [uniq(json.loads(t)) for t in case["uniq"]],
    "compare": [(lambda a, b: (a > b) - (a < b))(json.loads(a), json.loads(b)) for a, b in case["compare"]],
}
json.dump(out, sys.stdout)
