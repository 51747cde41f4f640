#!/usr/bin/env python3
"""The layer rules of docs/architecture.md, checked on every #include.

    check_layers.py SOURCE_DIR [QT_INCLUDE_DIR]

Fails (exit status 1, one line per offence) on:
  - a Qt Widgets, Gui, Charts, Svg or OpenGL header in core/ (core is QtCore only);
  - <sqlite3.h> or "store/sqlite/..." outside core/store/ (SQL belongs to the store);
  - <libpq-fe.h> or "store/postgres/..." outside core/store/ (likewise);
  - <qt6keychain/...> outside keychain/ (KeychainPasswords is the one user);
  - core/ including a header of ui/, cli/, keychain/ or app/, and cli/ including ui/;
  - a core layer including a layer above it, in the order of core/CMakeLists.txt:
        base <- model <- store, mail <- filters <- import, send <- imap <- watch
    where mail (parsing e-mails) needs neither the store nor the filters;
  - an include cycle between folders (core/<layer>, ui/<folder>, cli, keychain, app).
A quoted include is resolved as the compiler does: next to the including
file, then in core/, ui/, cli/, keychain/. Standard library only.
"""
import fnmatch
import os
import re
import sys

SCANNED = ["core", "ui", "cli", "keychain", "app"]
INCLUDE_ROOTS = ["core", "ui", "cli", "keychain"]

# What each core layer may include besides itself (docs/architecture.md).
CORE_MAY_INCLUDE = {
    "base": set(),
    "model": {"base"},
    "store": {"base", "model"},
    "mail": {"base", "model"},
    "filters": {"base", "model", "store", "mail"},
    "import": {"base", "model", "store", "filters", "mail"},
    "send": {"base", "model", "store", "filters", "mail"},
    "imap": {"base", "model", "store", "filters", "mail", "import"},
    "watch": {"base", "model", "store", "filters", "mail", "import", "send", "imap"},
    "sentry": {"base", "model", "mail"},
    "receive": {"base", "model", "store", "filters", "mail", "import", "sentry"},
    "alert": {"base", "model", "store", "filters", "mail", "send"},
}
# Qt modules core must not use: it builds and runs without a display (errordeck-cli on servers).
NOT_IN_CORE = {"QtWidgets", "QtGui", "QtCharts", "QtSvg", "QtSvgWidgets", "QtOpenGL", "QtOpenGLWidgets"}

# TEMPORARY exceptions: includes that break a rule today and that other work of
# issue 12 removes. Each entry is (including file, included name), both
# fnmatch patterns. The lead empties this list at the merge; do not add to it.
TEMPORARY_EXCEPTIONS = []

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def folder_of(path):
    """core/store/Database.h -> core/store; cli/Cli.cpp -> cli."""
    parts = path.split("/")
    if parts[0] in ("core", "ui") and len(parts) > 2:
        return parts[0] + "/" + parts[1]
    return parts[0]


def excepted(src, name):
    return any(fnmatch.fnmatch(src, f) and fnmatch.fnmatch(name, n) for f, n in TEMPORARY_EXCEPTIONS)


def qt_modules(qt_include):
    """Header name -> Qt module (QColor -> QtGui), from the installed headers."""
    modules = {}
    if not qt_include or not os.path.isdir(os.path.join(qt_include, "QtGui")):
        # Without the map <QColor> would pass as an unknown header.
        sys.exit(f"check_layers: no Qt headers at {qt_include} (QtGui/ missing)")
    for module in os.listdir(qt_include):
        d = os.path.join(qt_include, module)
        if module.startswith("Qt") and os.path.isdir(d):
            for f in os.listdir(d):
                modules.setdefault(f, module)
    return modules


def resolve(root, src, name):
    for base in [os.path.dirname(src)] + INCLUDE_ROOTS:
        rel = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(os.path.join(root, rel)):
            return rel
    return None


def sources(root):
    for top in SCANNED:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for f in sorted(filenames):
                if f.endswith((".h", ".hpp", ".cpp")):
                    full = os.path.join(dirpath, f)
                    yield os.path.relpath(full, root).replace(os.sep, "/"), full


def offences_of(src, kind, name, target, qt):
    """The rules one include breaks (empty when it breaks none)."""
    out = []
    top = src.split("/")[0]
    if top == "core" and kind == "<":
        module = name.split("/")[0] if "/" in name else qt.get(name)
        if module in NOT_IN_CORE:
            out.append(f"{module} in core")
    base_name = name.split("/")[-1]
    if not src.startswith("core/store/") and (base_name == "sqlite3.h" or name.startswith("store/sqlite/")):
        out.append("SQLite outside core/store")
    if not src.startswith("core/store/") and (base_name == "libpq-fe.h" or name.startswith("store/postgres/")):
        out.append("PostgreSQL outside core/store")
    if name.startswith("qt6keychain/") and top != "keychain":
        out.append("qtkeychain outside keychain/ (KeychainPasswords is the one user)")
    if target:
        to = target.split("/")[0]
        if top == "core" and to in ("ui", "cli", "keychain", "app"):
            out.append(f"core includes {to}/")
        if top == "cli" and to == "ui":
            out.append("cli includes ui/")
        if top == "core" and to == "core":
            a, b = src.split("/")[1], target.split("/")[1]
            if a != b and a in CORE_MAY_INCLUDE and b not in CORE_MAY_INCLUDE[a]:
                out.append(f"core/{a} includes core/{b}, a layer above it or beside it")
    return out


def cycles(edges):
    """Strongly connected components with more than one folder (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def check(root, qt_include):
    qt = qt_modules(qt_include)
    problems, edges, why = [], {}, {}
    for src, full in sources(root):
        with open(full, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for m in INCLUDE.finditer(text):
            kind, name = m.group(1), m.group(2)
            line = text.count("\n", 0, m.start()) + 1
            target = resolve(root, src, name) if kind == '"' else None
            if excepted(src, name):
                continue
            for rule in offences_of(src, kind, name, target, qt):
                problems.append(f"{src}:{line}: #include {kind}{name}{'>' if kind == '<' else kind}: {rule}")
            if target:
                a, b = folder_of(src), folder_of(target)
                if a != b:
                    edges.setdefault(a, set()).add(b)
                    why.setdefault((a, b), f"{src}:{line} includes {name}")
    for comp in cycles(edges):
        links = [why[(a, b)] for a in comp for b in comp if (a, b) in why]
        problems.append(f"include cycle between {', '.join(comp)}: " + "; ".join(links))
    return problems


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = argv[1]
    qt_include = argv[2] if len(argv) > 2 else "/usr/include/x86_64-linux-gnu/qt6"
    problems = check(root, qt_include)
    for p in problems:
        print(p)
    if problems:
        print(f"check_layers: {len(problems)} forbidden include(s); the rules are in docs/architecture.md", file=sys.stderr)
        return 1
    print("check_layers: every include keeps to the layers")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
