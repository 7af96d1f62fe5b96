"""Python's own answers for tests/diff_formats.rs: reads [[format, string], ...] and writes
whether python-jsonschema's FormatChecker() (what Airflow's Param validation uses, with the
checkers this venv's packages enable) accepts each string."""
import json
import sys
import warnings

from jsonschema import FormatChecker

warnings.simplefilter("ignore")
checker = FormatChecker()
json.dump([checker.conforms(s, f) for f, s in json.load(sys.stdin)], sys.stdout)
