"""`idna.encode` verdicts (python-jsonschema's `idn-hostname`), for tests/diff_formats.rs. Input:
JSON `null` for every code point c (surrogates left out) in two labels, `a{c}b` and `{c}`,
answered as one string of "1" (encodes) and "0" (raises), two characters per code point; or a
list of strings, answered as a list of booleans."""
import json
import sys

import idna


def ok(s):
    try:
        idna.encode(s)
        return True
    except (idna.IDNAError, UnicodeError):
        return False


cases = json.load(sys.stdin)
if cases is None:
    out = []
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        ch = chr(c)
        out.append("1" if ok("a" + ch + "b") else "0")
        out.append("1" if ok(ch) else "0")
    json.dump("".join(out), sys.stdout)
else:
    json.dump([ok(s) for s in cases], sys.stdout)
