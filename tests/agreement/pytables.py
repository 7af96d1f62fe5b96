"""`_sre.unicode_tolower` of every code point, as a JSON list (for tests/diff_pyregex.rs)."""
import json
import sys

import _sre

json.load(sys.stdin)
json.dump([_sre.unicode_tolower(c) for c in range(0x110000)], sys.stdout)
