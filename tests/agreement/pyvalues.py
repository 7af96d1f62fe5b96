"""Python's own answers for tests/diff_python.rs: reads {"uniq": [json text, ...], "compare":
[[json text, json text], ...]} and writes python-jsonschema's `uniq` of each array and Python's
order (-1, 0, 1) of each pair of numbers, each read by `json.loads` as Airflow reads a conf."""
import datetime
import json
import sys

from jsonschema._utils import uniq
from pendulum.parsing import parse_iso8601


def airflow2_datetime(text):
    """What Airflow 2.11.2's Param._warn_if_not_rfc3339_dt keeps: a pendulum datetime (and then
    timezone.is_naive calls utcoffset(), which raises for offsets of 24 hours or more)."""
    try:
        value = parse_iso8601(text)
    except Exception:
        return False
    if not isinstance(value, datetime.datetime):
        return False
    try:
        value.utcoffset()
    except Exception:
        return False
    return True


case = json.load(sys.stdin)
out = {
    "uniq": [uniq(json.loads(t)) for t in case["uniq"]],
    "pendulum": [airflow2_datetime(t) for t in case.get("pendulum", [])],
    "compare": [(lambda a, b: (a > b) - (a < b))(json.loads(a), json.loads(b)) for a, b in case["compare"]],
}
json.dump(out, sys.stdout)
