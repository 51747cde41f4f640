"""What the ReportFileHandler tests share (test_site_reports, test_report_file,
test_handler_config): one temporary folder, the test site configured once for
the whole run (Django's settings can be configured only once in a process),
and the checks of a report line.

    /usr/bin/python3 -m unittest discover -s tests/integration/python -v    # from the repository root

(/usr/bin/python3: Debian's python3 with python3-django, Django 3.2.)

The site (errordeck_test_site) logs through both Django's AdminEmailHandler
and ReportFileHandler, so every report line can be checked against the mail
Django itself sent for the same record.
"""

import atexit
import json
import logging
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import errordeck_test_site as site  # noqa: E402

TMP = tempfile.mkdtemp(prefix="errordeck-test-")
SITE_REPORTS = os.path.join(TMP, "site.jsonl")

site.configure(report_path=SITE_REPORTS)

REQUIRED = ("format", "event_id", "timestamp", "level", "logger", "message")
ISO_WITH_OFFSET = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$")
MASK = "********************"

# Start of the scripts the tests run in a fresh interpreter.
CHILD_PREAMBLE = (
    "import json, re, sys\n"
    "sys.path.insert(0, %r)\n"
    "import errordeck_test_site as site\n" % os.path.dirname(os.path.abspath(__file__)))


@atexit.register
def _clean_up():
    # After the last test module, not after each: they share TMP and the site.
    logging.getLogger("django").handlers[:] = []
    logging.getLogger("shop").handlers[:] = []
    shutil.rmtree(TMP, ignore_errors=True)


def read_lines(path):
    """All lines of path, each parsed as JSON (failing the test if not)."""
    if not os.path.exists(path):
        return []
    with open(path, "rb") as fh:
        raw = fh.read()
    if raw and not raw.endswith(b"\n"):
        raise AssertionError("%s does not end with a newline" % path)
    return [json.loads(line.decode("utf-8")) for line in raw.splitlines()]


def check_shape(test, rec):
    """The fields every report line must have, with the right types."""
    for key in REQUIRED:
        test.assertIn(key, rec)
    test.assertEqual(rec["format"], "errordeck/1")
    test.assertRegex(rec["event_id"], r"^[0-9a-f]{32}$")
    test.assertRegex(rec["timestamp"], ISO_WITH_OFFSET)
    test.assertIn(rec["level"], ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
    test.assertIsInstance(rec["message"], str)
    test.assertNotIn("handler_errors", rec)
    env = rec["environment"]
    for key in ("hostname", "django_version", "python_version",
                "python_executable", "server_time"):
        test.assertIsInstance(env[key], str)
    test.assertRegex(env["server_time"], ISO_WITH_OFFSET)
    test.assertTrue(all(isinstance(v, str) for v in rec["settings"].values()))
    test.assertIsInstance(rec["extra"], dict)
    exc = rec.get("exception")
    while exc:
        for key in ("type", "module", "value", "frames", "cause", "cause_explicit"):
            test.assertIn(key, exc)
        for frame in exc["frames"]:
            test.assertEqual(set(frame), {
                "filename", "module", "function", "lineno", "pre_context_lineno",
                "pre_context", "context_line", "post_context", "in_app", "vars"})
            test.assertIsInstance(frame["lineno"], int)
            test.assertEqual(frame["pre_context_lineno"] + len(frame["pre_context"]),
                             frame["lineno"])
            test.assertTrue(all(isinstance(v, str) for v in frame["vars"].values()))
        exc = exc["cause"]
    req = rec.get("request")
    if req:
        for key in ("method", "scheme", "host", "path", "full_path", "url",
                    "remote_addr", "user", "GET", "POST", "FILES", "COOKIES", "META"):
            test.assertIn(key, req)
        for key in ("GET", "POST", "FILES"):
            for values in req[key].values():
                test.assertIsInstance(values, list)
                test.assertTrue(all(isinstance(v, str) for v in values))
        test.assertTrue(all(isinstance(v, str) for v in req["COOKIES"].values()))
        test.assertTrue(all(isinstance(v, str) for v in req["META"].values()))


def all_report_files(path):
    """path and its rotated copies, oldest first."""
    directory, base = os.path.split(path)
    rotated = []
    for name in os.listdir(directory):
        match = re.match(re.escape(base) + r"\.(\d+)$", name)
        if match:
            rotated.append((int(match.group(1)), os.path.join(directory, name)))
    return [p for _, p in sorted(rotated, reverse=True)] + (
        [path] if os.path.exists(path) else [])
