"""Checks that every public item of the crate's API has a runnable example in its doc comment
(the project's style: "docs with an example on every public item"):

    python3 scripts/check-examples.py

Lists `file:line: kind name` for each public fn, struct, enum, trait, type, const, static, mod
and exported macro whose doc has no code block, prints the count, and exits 1 if there is any.

What counts as public: items of a public module (the crate root, `pub mod json`), items whose
name a `pub use` re-exports, and inherent methods of those. Left out: `pub(crate)` items,
`#[cfg(test)]` items and modules, `#[doc(hidden)]` items (the `__test` module and what is in
it), `src/wasm/` (the npm package's JS boundary), `src/bin/` (the `airflow-trigger` command: a
program, not API), trait impl methods (documented on the trait),
enum variants and struct fields (`missing_docs` asks for a doc there, not an example). A doc
that delegates explicitly with "See [`X`]" counts as having one (X's own is checked in turn).
A source-level check: a name re-exported anywhere counts as public.
"""
import glob
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
# src/bin/: the command line is a program, not library API.
SKIP_DIRS = ("src/wasm/", "src/bin/")

ITEM = re.compile(
    r"^(?P<indent>\s*)pub\s+"
    r"(?:(?P<fnq>(?:(?:const|async|unsafe)\s+)*(?:extern\s+\"[^\"]*\"\s+)?)fn\s+(?P<fn>\w+)"
    r"|(?P<kind>struct|enum|trait|type|const|static|mod|union)\s+(?:mut\s+)?(?P<name>\w+))"
)
MACRO = re.compile(r"^\s*macro_rules!\s+(\w+)")
PUB_USE = re.compile(r"^\s*pub\s+use\s+([^;]*);", re.S | re.M)
IMPL = re.compile(r"^\s*(?:unsafe\s+)?impl\b(.*)$")


def rel(path):
    return os.path.relpath(path, ROOT).replace(os.sep, "/")


def block_end(lines, i):
    """The index of the line that closes the block opened at line `i` (brace counting, ignoring
    braces in strings, chars and comments well enough for this crate's sources)."""
    depth, opened = 0, False
    for j in range(i, len(lines)):
        code = strip_literals(lines[j])
        depth += code.count("{") - code.count("}")
        opened = opened or "{" in code
        if opened and depth <= 0:
            return j
        if not opened and code.rstrip().endswith(";"):
            return j
    return len(lines) - 1


def strip_literals(line):
    """The line's code without strings, chars and comments (enough to count braces)."""
    if line.lstrip().startswith("//"):
        return ""
    line = re.sub(r'r#*"[^"]*"#*', '""', line)
    line = re.sub(r'"(?:\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(?:\\.|[^'\\])'", "''", line)
    return re.sub(r"//.*", "", line)


def strip_generics(text):
    """`impl`'s text without its leading `<...>` (nested brackets included)."""
    text = text.lstrip()
    if not text.startswith("<"):
        return text
    depth = 0
    for i, c in enumerate(text):
        depth += {"<": 1, ">": -1}.get(c, 0)
        if depth == 0:
            return text[i + 1 :]
    return text


def attributes_and_docs(lines, i):
    """The attribute lines and `///` lines above line `i`."""
    attrs, docs = [], []
    j = i - 1
    while j >= 0:
        s = lines[j].strip()
        if s.startswith("///"):
            docs.append(s)
        elif s.startswith("#["):
            attrs.append(s)
        elif s.endswith("]") and not s.startswith("//"):
            # The end of a multi-line attribute: take it whole.
            k = j
            while k >= 0 and not lines[k].strip().startswith("#["):
                k -= 1
            attrs.append(" ".join(x.strip() for x in lines[k : j + 1]))
            j = k
        elif s.startswith("//") and not s.startswith("//!"):
            pass
        else:
            break
        j -= 1
    return attrs, list(reversed(docs))


def has_example(doc_lines):
    text = "\n".join(doc_lines)
    return "```" in text or "See [`" in text


def module_file(path, name):
    base = os.path.dirname(path)
    if not (path.endswith("/lib.rs") or path.endswith("/mod.rs")):
        base = os.path.join(base, os.path.splitext(os.path.basename(path))[0])
    for candidate in (os.path.join(base, name + ".rs"), os.path.join(base, name, "mod.rs")):
        if os.path.exists(candidate):
            return candidate
    return None


def inner_docs(path):
    docs = []
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if s.startswith("//!"):
            docs.append(s)
        elif s and not s.startswith("//") and not s.startswith("#!["):
            break
    return docs


def hidden(attrs):
    return any(re.search(r"cfg\(\s*test\s*\)", a) or "doc(hidden)" in a.replace(" ", "") for a in attrs)


def main():
    files = sorted(f for f in glob.glob(os.path.join(ROOT, "src", "**", "*.rs"), recursive=True))
    files = [f for f in files if not rel(f).startswith(SKIP_DIRS)]
    sources = {f: open(f, encoding="utf-8").read().split("\n") for f in files}

    # Public module files: the crate root and the `pub mod`s of public modules.
    public_files, todo = set(), [os.path.join(ROOT, "src", "lib.rs")]
    while todo:
        f = todo.pop()
        if f in public_files or f not in sources:
            continue
        public_files.add(f)
        lines = sources[f]
        for i, line in enumerate(lines):
            m = ITEM.match(line)
            if m and m.group("kind") == "mod" and not m.group("indent") and line.rstrip().endswith(";"):
                attrs, _ = attributes_and_docs(lines, i)
                target = module_file(f, m.group("name"))
                if target and not hidden(attrs):
                    todo.append(target)

    # Names a `pub use` re-exports (the item's own name, and its alias if any).
    reexported = set()
    for f, lines in sources.items():
        for use in PUB_USE.findall("\n".join(lines)):
            for leaf in re.split(r"[{},]", use):
                m = re.match(r"^\s*(?:[\w:]*::)?(\w+)(?:\s+as\s+(\w+))?\s*$", leaf)
                if m:
                    reexported.update(n for n in m.groups() if n)

    public_types = set(reexported)
    for f in public_files:
        for line in sources[f]:
            m = ITEM.match(line)
            if m and not m.group("indent") and m.group("kind") in ("struct", "enum", "trait", "type", "union"):
                public_types.add(m.group("name"))

    missing, checked = [], 0
    for f in files:
        lines = sources[f]
        skip_until = -1
        enclosing = []  # (end line, opener line) of the blocks around the current line
        for i, line in enumerate(lines):
            while enclosing and enclosing[-1][0] < i:
                enclosing.pop()
            if i <= skip_until:
                continue
            stripped = line.strip()
            opener = re.match(r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:unsafe\s+)?(?:impl\b|mod\s+\w+\s*\{|trait\s)", line)
            if opener and not stripped.endswith(";"):
                attrs, _ = attributes_and_docs(lines, i)
                end = block_end(lines, i)
                if hidden(attrs):
                    skip_until = end
                    continue
                enclosing.append((end, line))
            m = ITEM.match(line)
            mac = MACRO.match(line)
            if not (m or mac):
                continue
            attrs, docs = attributes_and_docs(lines, i)
            if hidden(attrs):
                # The whole item goes, a module's body with it.
                if m and m.group("kind") == "mod" and not stripped.endswith(";"):
                    skip_until = block_end(lines, i)
                continue
            if mac:
                if not any("macro_export" in a for a in attrs):
                    continue
                kind, name = "macro", mac.group(1)
            else:
                kind = "fn" if m.group("fn") else m.group("kind")
                name = m.group("fn") or m.group("name")
                if m.group("fnq") and "async" in m.group("fnq"):
                    kind = "async fn"
                if m.group("indent"):
                    # A method (or an item in an inline module): public with its impl's type.
                    outer = enclosing[-1][1] if enclosing else ""
                    im = IMPL.match(outer)
                    if not im:
                        continue
                    head = strip_generics(im.group(1)).split("{")[0]
                    if re.search(r"\bfor\b", head):
                        continue  # a trait impl: documented on the trait
                    type_name = re.match(r"\s*(?:[\w:]+::)?(\w+)", head)
                    if not type_name or type_name.group(1) not in public_types:
                        continue
                elif f not in public_files and name not in reexported:
                    continue  # `pub` in a private module, and not re-exported: not in the API
                if kind == "mod" and stripped.endswith(";"):
                    target = module_file(f, name)
                    if target:
                        docs = docs + inner_docs(target)
            checked += 1
            if not has_example(docs):
                missing.append(f"{rel(f)}:{i + 1}: {kind} {name}")

    for m in missing:
        print(m)
    print(f"{len(missing)} of {checked} public items without an example", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
