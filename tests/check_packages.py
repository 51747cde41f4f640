#!/usr/bin/python3
"""dev.sh's package list covers everything the build and the tests use.

    /usr/bin/python3 tests/check_packages.py SOURCE_DIR BUILD_DIR

dev.sh installs with --no-install-recommends, so on a fresh Debian machine
only the base system (Essential and required packages), the listed packages
and what their Depends / Pre-Depends pull in are there. This test works out
that set the way apt would (`apt-get -s install --no-install-recommends`
against an empty dpkg status, alternatives resolved as apt resolves them;
without apt's package lists, the wider `apt-cache depends --recurse` with
Recommends and Suggests left out), collects the files a configured and built
build folder used, maps each to the Debian package that owns it (dpkg -S),
and fails naming every file whose package a fresh machine would not have.

The files:
- every `*_DIR` in CMakeCache.txt that holds a package's CMake config, and
  the programs the cache names (compilers, binutils, cmake, ninja, pkg-config);
- every system header in `ninja -t deps` (the headers the compiler read);
- every absolute library path the link lines name (build.ninja);
- what the tests run: /usr/bin/python3 and each module the test and benchmark
  Python files import, openssl, dovecot, node, npm, PostgreSQL's initdb and postgres,
  D-Bus and gnome-keyring-daemon, xvfb-run and Xvfb (TEST_PROGRAMS below), and the
  libraries loaded with dlopen (libsecret, TEST_LIBRARIES).

A build folder configured with -DERRORDECK_WITH_UI=OFF is checked against
`dev.sh packages --cli`, and must use no Qt Widgets, Gui, Charts, Svg or
OpenGL file at all.

apt reads only the local package lists, so no network is needed; its answer
is cached in BUILD_DIR/package-check/.
"""
import ast
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

# Programs the tests start by name, besides /usr/bin/python3 (tst_imap runs dovecot, tst_smtp runs
# openssl, tst_sentry_node runs node, dev.sh runs npm ci for it, tst_pg_connection runs PostgreSQL's
# initdb and postgres by their full path, outside PATH); with the UI, also what
# docs/screenshots are made under (xvfb-run, which starts Xvfb and runs xauth).
# tests/support/with_secret_service.sh runs dbus-run-session, dbus-send and gnome-keyring-daemon.
TEST_PROGRAMS = ["openssl", "dovecot", "node", "npm",
                 "/usr/lib/postgresql/15/bin/initdb", "/usr/lib/postgresql/15/bin/postgres",
                 "dbus-run-session", "dbus-send", "gnome-keyring-daemon"]
# Libraries loaded at run time, which no link line names: qtkeychain dlopens libsecret.
TEST_LIBRARIES = ["libsecret-1.so.0"]
UI_PROGRAMS = ["xvfb-run", "Xvfb", "xauth"]
# Tools include(CTest) looks up for dashboards (ctest -D), which the tests never use.
DASHBOARD_ONLY = {"MEMORYCHECK_COMMAND", "COVERAGE_COMMAND", "GITCOMMAND", "HGCOMMAND",
                  "SVNCOMMAND", "CVSCOMMAND", "P4COMMAND", "BZRCOMMAND"}
# Programs the build runs that CMakeCache.txt names outside CMAKE_*.
BUILD_TOOLS = {"PKG_CONFIG_EXECUTABLE"}
# Files whose imports are what the tests and benchmarks need from Python.
PYTHON_GLOBS = ["tests/*.py", "tests/support/*.py", "tests/integration/python/*.py", "tests/data/*.py", "bench/*.py"]
# Qt modules a UI-less build must not touch.
UI_ONLY = re.compile(r"/(Qt6?(Widgets|Gui|Charts|Svg|OpenGL|OpenGLWidgets))([/.]|Tools|Private|$)")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def read_cache(build):
    cache = {}
    for line in (build / "CMakeCache.txt").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.+-]+):([A-Z]+)=(.*)$", line)
        if m:
            cache[m.group(1)] = (m.group(2), m.group(3))
    return cache


def outside(path, roots):
    return not any(path == r or path.startswith(r + "/") for r in roots)


def cache_files(cache, roots):
    """Package config files behind *_DIR, and the programs the cache names."""
    files = set()
    for name, (_kind, value) in cache.items():
        if (name in DASHBOARD_ONLY or not value.startswith("/") or value.endswith("-NOTFOUND")
                or not outside(value, roots)):
            continue
        p = Path(value)
        if name.endswith("_DIR") and p.is_dir():
            # Only a folder with a package's config file (Qt6Core_DIR); include
            # folders like ZLIB_INCLUDE_DIR are covered by the headers read.
            files.update(str(f) for f in p.iterdir()
                         if f.name.endswith(("Config.cmake", "-config.cmake")))
        elif (name.startswith("CMAKE_") or name in BUILD_TOOLS) and p.is_file():
            # The compilers, binutils, cmake, ninja. Libraries the cache names
            # count only when a link line uses them (link_files): find modules
            # also cache what they found but nobody links (FindOpenGL's libEGL).
            files.add(value)
    return files


def header_files(ninja, build, roots):
    out = run([ninja, "-C", str(build), "-t", "deps"], check=True).stdout
    headers = {line.strip() for line in out.splitlines() if line.startswith("    /")}
    return {h for h in headers if outside(h, roots)}


def link_files(build, roots):
    files = set()
    for line in (build / "build.ninja").read_text().splitlines():
        if line.strip().startswith("LINK_LIBRARIES ="):
            for token in line.split("=", 1)[1].split():
                if token.startswith("/") and outside(token, roots) and os.path.isfile(token):
                    files.add(token)
    return files


def python_files(source):
    """/usr/bin/python3 and the file of every module the Python test files import."""
    names = set()
    local = set()
    for pattern in PYTHON_GLOBS:
        for f in source.glob(pattern):
            local.add(f.stem)
            for node in ast.walk(ast.parse(f.read_text(), str(f))):
                if isinstance(node, ast.Import):
                    names.update(a.name for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names.add(node.module)
    local.add("errordeck_django")  # packaging/python, put on sys.path by the tests
    wanted = sorted(n for n in names if n.split(".")[0] not in local)
    # A module without __file__ is built into the interpreter.
    script = ("import importlib, sys\n"
              "for n in sys.argv[1:]:\n"
              "    m = importlib.import_module(n)\n"
              "    f = getattr(m, '__file__', None)\n"
              "    if f: print(f)\n")
    out = run(["/usr/bin/python3", "-c", script] + wanted, cwd="/")
    if out.returncode != 0:
        sys.exit("check_packages: /usr/bin/python3 cannot import what the tests import:\n" + out.stderr)
    return {"/usr/bin/python3"} | set(out.stdout.split())


def program_files(programs):
    files = set()
    path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    for prog in programs:
        if prog.startswith("/"):
            files.add(prog if os.access(prog, os.X_OK) else "<missing program %s>" % prog)
            continue
        found = next((os.path.join(d, prog) for d in path.split(":")
                      if os.access(os.path.join(d, prog), os.X_OK)), None)
        if not found:
            files.add("<missing program %s>" % prog)
        else:
            files.add(found)
    return files


def library_files(names):
    """The file the dynamic loader finds for each soname (ldconfig's cache)."""
    out = run(["/sbin/ldconfig", "-p"]).stdout
    found = {}
    for line in out.splitlines():
        m = re.match(r"^\s*(\S+) \(([^)]*)\) => (\S+)$", line)
        if m and m.group(1) in names:
            found.setdefault(m.group(1), m.group(3))
    return {found.get(n, "<missing library %s>" % n) for n in names}


def owners(paths):
    """{path: set of packages} by dpkg -S; a path dpkg does not know maps to an empty set."""
    result = {}

    def ask(candidates):
        if not candidates:
            return {}
        out = run(["dpkg-query", "-S"] + sorted(candidates)).stdout
        found = {}
        for line in out.splitlines():
            if line.startswith("diversion ") or ": " not in line:
                continue
            pkgs, path = line.split(": ", 1)
            found.setdefault(path, set()).update(p.strip().split(":")[0] for p in pkgs.split(","))
        return found

    first = ask(p for p in paths if p.startswith("/"))
    # Not found as named: the file behind a symlink (/usr/bin/c++ is an
    # alternative), or the /lib spelling of a merged-/usr path dpkg recorded.
    retry = {}
    for p in paths:
        if p in first or not p.startswith("/"):
            continue
        real = os.path.realpath(p)
        for alt in (real, re.sub(r"^/usr/(lib|bin|sbin)/", r"/\1/", real),
                    re.sub(r"^/usr/(lib|bin|sbin)/", r"/\1/", p)):
            retry.setdefault(alt, p)
    second = ask(retry)
    for p in paths:
        result[p] = first.get(p, set())
    for alt, p in retry.items():
        result[p] = result[p] | second.get(alt, set())
    return result


def base_system():
    """What every Debian installation has: the Essential and the required packages."""
    out = run(["dpkg-query", "-W", "-f", "${Package} ${Essential} ${Priority}\\n"], check=True).stdout
    return {line.split()[0] for line in out.splitlines() if " yes " in line or line.endswith(" required")}


def simulated_install(packages, work):
    """The packages apt installs on a machine that has none yet: `apt-get -s` against an
    empty dpkg status, --no-install-recommends as dev.sh does. None without apt's lists."""
    empty = work / "empty-status"
    empty.write_text("")
    out = run(["apt-get", "-s", "-o", "Dir::State::status=%s" % empty, "-o", "Debug::NoLocking=1",
               "install", "--no-install-recommends"] + sorted(packages))
    if out.returncode != 0:
        return None
    return {line.split()[1].split(":")[0] for line in out.stdout.splitlines() if line.startswith("Inst ")}


def depends_closure(packages):
    """The packages and everything their Depends/Pre-Depends name, every alternative
    included (apt-cache reads dpkg's status too, so this works without apt's lists)."""
    out = run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
               "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances"] + sorted(packages))
    if out.returncode != 0:
        sys.exit("check_packages: apt-cache depends failed:\n" + out.stderr)
    # Every package apt-cache visited starts a line; <virtual> names start one too.
    return {line.strip("<>").split(":")[0] for line in out.stdout.splitlines()
            if line and not line.startswith(" ")}


def fresh_machine(packages, build):
    """The packages a fresh machine has after dev.sh: the base system and the listed
    packages with their Depends. Cached in BUILD_DIR/package-check/ by input."""
    wanted = set(packages) | base_system()
    stamp = []
    for f in ("/var/lib/dpkg/status", "/var/cache/apt/pkgcache.bin"):
        try:
            stamp.append("%s %d" % (f, os.stat(f).st_mtime_ns))
        except OSError:
            pass
    key = hashlib.sha256("\n".join(sorted(wanted) + stamp).encode()).hexdigest()
    work = build / "package-check"
    work.mkdir(exist_ok=True)
    cache = work / "fresh-machine.txt"
    if cache.exists():
        lines = cache.read_text().split("\n", 2)
        if lines[0] == key:
            return lines[1], set(lines[2].split())
    names = simulated_install(wanted, work)
    how = "apt-get -s on an empty system"
    if names is None:
        names = depends_closure(wanted)
        how = "apt-cache depends --recurse (no apt lists for a simulated install)"
    names |= wanted
    cache.write_text("%s\n%s\n%s\n" % (key, how, "\n".join(sorted(names))))
    return how, names


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, build = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    roots = [str(source), str(build)]
    cache = read_cache(build)
    if "Ninja" not in cache.get("CMAKE_GENERATOR", ("", ""))[1]:
        print("check_packages reads `ninja -t deps`: configure %s with -G Ninja, as dev.sh does" % build)
        return 77  # CTest's SKIP_RETURN_CODE
    with_ui = cache.get("ERRORDECK_WITH_UI", ("BOOL", "ON"))[1].upper() not in ("OFF", "0", "FALSE", "NO")
    listing = run([str(source / "dev.sh"), "packages"] + ([] if with_ui else ["--cli"]), check=True)
    listed = set(listing.stdout.split())
    how, deps = fresh_machine(listed, build)

    used = {}  # file -> why it is used
    for f in cache_files(cache, roots):
        used.setdefault(f, "CMakeCache.txt")
    headers = header_files(cache["CMAKE_MAKE_PROGRAM"][1], build, roots)
    if not headers:
        sys.exit("check_packages: `ninja -t deps` lists no headers: build %s first" % build)
    for f in headers:
        used.setdefault(f, "a header the build read")
    for f in link_files(build, roots):
        used.setdefault(f, "a library the build links")
    if cache.get("BUILD_TESTING", ("BOOL", "OFF"))[1].upper() in ("ON", "1", "TRUE", "YES"):
        for f in python_files(source):
            used.setdefault(f, "Python the tests run")
        for f in program_files(TEST_PROGRAMS + (UI_PROGRAMS if with_ui else [])):
            used.setdefault(f, "a program the tests run")
        for f in library_files(TEST_LIBRARIES):
            used.setdefault(f, "a library loaded at run time")

    problems = []
    ui_files = [] if with_ui else [f for f in sorted(used) if UI_ONLY.search(f)]
    if ui_files:
        problems.append("a UI-less build must not use Qt's UI modules, but uses %d of their files: %s%s"
                        % (len(ui_files), "; ".join("%s (%s)" % (f, used[f]) for f in ui_files[:3]),
                           " and %d more" % (len(ui_files) - 3) if len(ui_files) > 3 else ""))
    owner = owners(list(used))
    missing = {}  # the owning packages -> the files that need them
    for f in sorted(used):
        pkgs = owner.get(f, set())
        if not pkgs:
            problems.append("%s (%s): no Debian package owns it" % (f, used[f]))
        elif not pkgs & deps:
            missing.setdefault(", ".join(sorted(pkgs)), []).append(f)
    for pkgs, files in sorted(missing.items()):
        examples = "; ".join("%s (%s)" % (f, used[f]) for f in files[:3])
        more = " and %d more" % (len(files) - 3) if len(files) > 3 else ""
        problems.append("%s, which `dev.sh packages%s` does not pull in, owns %d used files: %s%s"
                        % (pkgs, "" if with_ui else " --cli", len(files), examples, more))
    print("checked %d files (%d headers) against %d listed packages: %d on a fresh machine, by %s%s"
          % (len(used), len(headers), len(listed), len(deps), how, "" if with_ui else "; a UI-less build"))
    if problems:
        print("FAIL: dev.sh's package list does not match what this build uses:")
        for p in problems:
            print("  " + p)
        return 1
    print("ok: every file comes from a listed package or its Depends")
    return 0


if __name__ == "__main__":
    sys.exit(main())
