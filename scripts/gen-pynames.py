"""Writes src/schema/pynames.bin: the character names `\\N{name}` reads in a Python 3.11 pattern
(`re` calls `unicodedata.lookup`), from the Python that runs Airflow (Unicode 14.0):

    .airflow/venv-3.3.2/bin/python scripts/gen-pynames.py /usr/share/perl/5.36.0/unicore/Name.pl

Every name `unicodedata.name` gives, except the two families `lookup` computes (`HANGUL SYLLABLE
…` and `CJK UNIFIED IDEOGRAPH-…`, in src/schema/pynames.rs), and every formal alias that
`unicodedata.lookup` accepts. Python has no API that lists its aliases: the candidates are read
from a Unicode 14 name list (Perl 5.36's `Name.pl`) and kept only when this Python's `lookup`
gives the same single character. `tests/diff_pyregex.rs` checks the table against the same
Python on every name, every alias candidate and their variants.

Format (little-endian): u32 word count, then each word as a length byte and ASCII bytes
(most frequent first); u32 CJK range count and each range as two u32; u32 entry count, then
each entry in code point order: varint gap from the previous entry's code point, varint token
count, varint tokens. Token 0 is the code point in upper-case hex (at least 4 digits), joined
to the previous word; token k > 0 is word k - 1, after a space unless it is the first.
"""
import collections
import struct
import sys
import unicodedata

assert unicodedata.unidata_version == "14.0.0", unicodedata.unidata_version

ALGORITHMIC = ("HANGUL SYLLABLE ", "CJK UNIFIED IDEOGRAPH-")


def varint(v):
    out = bytearray()
    while True:
        b, v = v & 0x7F, v >> 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def perl_names(path):
    text = open(path, encoding="ascii").read()
    body = text.split("return <<'END';\n", 1)[1].split("\nEND\n", 1)[0]
    for block in body.strip("\n").split("\n\n"):
        code, name = block.split("\n")
        if " " not in code:
            yield int(code, 16), name


entries = []  # (code point, name)
cjk = []
for c in range(0x110000):
    name = unicodedata.name(chr(c), None)
    if name is None:
        continue
    if name.startswith(ALGORITHMIC[1]):
        if cjk and cjk[-1][1] == c - 1:
            cjk[-1][1] = c
        else:
            cjk.append([c, c])
        continue
    if name.startswith(ALGORITHMIC[0]):
        continue
    entries.append((c, name))

aliases = 0
for c, name in perl_names(sys.argv[1]):
    try:
        found = unicodedata.lookup(name)
    except KeyError:
        continue
    if found == chr(c) and unicodedata.name(found, None) != name and not name.startswith(ALGORITHMIC):
        entries.append((c, name))
        aliases += 1
entries.sort()


def tokens(c, name):
    out = []
    for hexlen in (4, 5, 6):
        suffix = "-" + format(c, "0%dX" % hexlen)
        if name.endswith(suffix) and len(format(c, "X")) <= hexlen and format(c, "04X") == suffix[1:]:
            return name[: -len(suffix) + 1].split(" "), True
    return name.split(" "), False


counts = collections.Counter()
split = []
for c, name in entries:
    words, hexed = tokens(c, name)
    split.append((c, words, hexed))
    counts.update(words)
words = [w for w, _ in counts.most_common()]
index = {w: i + 1 for i, w in enumerate(words)}

out = bytearray(struct.pack("<I", len(words)))
for w in words:
    b = w.encode("ascii")
    out += bytes([len(b)]) + b
out += struct.pack("<I", len(cjk))
for a, b in cjk:
    out += struct.pack("<II", a, b)
out += struct.pack("<I", len(split))
prev = 0
for c, ws, hexed in split:
    toks = [index[w] for w in ws] + ([0] if hexed else [])
    out += varint(c - prev) + varint(len(toks)) + b"".join(varint(t) for t in toks)
    prev = c
sys.stdout.buffer.write(bytes(out))
print(f"{len(entries)} names ({aliases} aliases), {len(words)} words, {len(cjk)} CJK ranges, {len(out)} bytes",
      file=sys.stderr)
