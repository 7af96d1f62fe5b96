"""urljoin(base, url) for each [base, url] pair read as JSON: the joined URI, or null where
Python raises ValueError (tests/diff_urljoin.rs)."""
import json
import sys
from urllib.parse import urljoin


def join(base, url):
    try:
        return urljoin(base, url)
    except ValueError:
        return None


json.dump([join(b, u) for b, u in json.load(sys.stdin)], sys.stdout)
