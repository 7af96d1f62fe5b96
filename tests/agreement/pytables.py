"""`_sre.unicode_tolower` and `_sre.unicode_iscased` of every code point, as JSON (for
tests/diff_pyregex.rs)."""
import json
import sys

import _sre

json.load(sys.stdin)
n = 0x110000
json.dump({"lower": [_sre.unicode_tolower(c) for c in range(n)], "cased": [_sre.unicode_iscased(c) for c in range(n)]}, sys.stdout)
