"""`\\N{name}` as Python's `re` reads it (for tests/diff_pyregex.rs). Input: JSON `null` for every
name `unicodedata.name` gives, as [[name, code point], ...]; or a list of candidate names, for
each the code point `re.compile('\\N{' + name + '}')` matches, or null when `re` refuses it."""
import json
import re
import sys
import unicodedata

candidates = json.load(sys.stdin)
if candidates is None:
    out = []
    for c in range(0x110000):
        name = unicodedata.name(chr(c), None)
        if name is not None:
            out.append([name, c])
else:
    out = []
    for name in candidates:
        try:
            parsed = list(re._parser.parse("\\N{" + name + "}"))
        except re.error:
            out.append(None)
            continue
        assert len(parsed) == 1 and parsed[0][0] == re._constants.LITERAL, parsed
        out.append(parsed[0][1])
json.dump(out, sys.stdout)
