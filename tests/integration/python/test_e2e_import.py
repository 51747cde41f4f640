"""End to end: the Django handler's output, imported by errordeck-cli, against
what Django itself mailed for the same requests.

    ERRORDECK_CLI=/path/to/errordeck-cli /usr/bin/python3 -m unittest discover -s tests/integration/python -v

(CTest sets ERRORDECK_CLI; without it these tests are skipped, and only then.)

The real test site (errordeck_test_site) is driven through every failure kind
with django.test.Client in a fresh interpreter: Django is configured once per
process and handler_support.py configures it its own way. There both Django's
AdminEmailHandler (locmem backend, mail.outbox) and ErrorDeck's
ReportFileHandler are in LOGGING. The handler's file is imported with
`errordeck-cli import --json`, read back with `list --all --json --limit 0`
and `show --json ID`, and compared request for request with the mails:
exception type, request path, the traceback frames in order, and for the 404s
that BrokenLinkEmailsMiddleware mailed, the path and the referer.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CLI = os.environ.get("ERRORDECK_CLI")

# Runs in a fresh interpreter: argv[1] the report file, argv[2] where to put
# what each request did (its report lines' event ids and the mails sent).
DRIVE_SITE = r"""
import json, sys
sys.path.insert(0, %(here)r)
import errordeck_test_site as site

reports, result = sys.argv[1], sys.argv[2]
site.configure(report_path=reports)
from django.core import mail


def lines():
    try:
        with open(reports, encoding="utf-8") as fh:
            return [json.loads(l) for l in fh.read().splitlines() if l.strip()]
    except FileNotFoundError:
        return []


client = site.make_client()
runs = []
for scenario in site.SCENARIOS:
    lines_before, mails_before = len(lines()), len(mail.outbox)
    response = scenario.send(client)
    runs.append({
        "kind": scenario.kind,
        "status": response.status_code,
        "expected_status": scenario.status,
        "exception": scenario.exception,
        "referer": scenario.referer,
        "event_ids": [r["event_id"] for r in lines()[lines_before:]],
        "mails": [{"to": list(m.to), "subject": m.subject, "body": m.body}
                  for m in mail.outbox[mails_before:]],
    })
with open(result, "w", encoding="utf-8") as fh:
    json.dump(runs, fh)
"""


def mail_frames(body):
    """(filename, lineno, function) of each frame of Django's text report."""
    return [(m.group(1), int(m.group(2)), m.group(3)) for m in re.finditer(
        r'^  File "([^"]*)", line (\d+), in (\S+)$', body, re.M)]


def stored_frames(record):
    """The frames of a stored record over its exception chain, oldest cause
    first: the order of Django's "most recent call last" traceback."""
    chain = []
    exc = record.get("exception")
    while exc:
        chain.append(exc)
        exc = exc.get("cause")
    return [(f["filename"], f["lineno"], f["function"])
            for e in reversed(chain) for f in e["frames"]]


def cli(*args):
    proc = subprocess.run([CLI] + list(args), capture_output=True, text=True, timeout=300)
    return proc


@unittest.skipUnless(CLI, "ERRORDECK_CLI is not set (CTest sets it to the errordeck-cli it built)")
class EndToEndImportTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="errordeck-e2e-")
        cls.reports_file = os.path.join(cls.tmp, "site.jsonl")
        cls.db = os.path.join(cls.tmp, "e2e.sqlite3")
        result_file = os.path.join(cls.tmp, "runs.json")
        drive = subprocess.run(
            [sys.executable, "-c", DRIVE_SITE % {"here": HERE}, cls.reports_file, result_file],
            capture_output=True, text=True, timeout=600)
        if drive.returncode != 0:
            raise AssertionError("driving the test site failed:\n" + drive.stderr[-4000:])
        with open(result_file, encoding="utf-8") as fh:
            cls.runs = json.load(fh)

        imported = cli("import", "--db", cls.db, "--json", cls.reports_file)
        if imported.returncode != 0:
            raise AssertionError("errordeck-cli import exited %d:\n%s\n%s" % (
                imported.returncode, imported.stdout, imported.stderr))
        cls.summary = json.loads(imported.stdout)

        listed = cli("list", "--db", cls.db, "--all", "--json", "--limit", "0")
        if listed.returncode != 0:
            raise AssertionError("errordeck-cli list failed:\n" + listed.stderr)
        cls.rows = json.loads(listed.stdout)
        cls.stored = {}
        for row in cls.rows:
            shown = cli("show", "--db", cls.db, "--json", str(row["id"]))
            if shown.returncode != 0:
                raise AssertionError("errordeck-cli show %s failed:\n%s" % (row["id"], shown.stderr))
            cls.stored[row["event_id"]] = json.loads(shown.stdout)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def stored_of(self, run, level=None, status=None):
        """The stored reports of one request's report lines."""
        found = [self.stored[e] for e in run["event_ids"] if e in self.stored]
        if level:
            found = [s for s in found if s["level"] == level]
        if status:
            found = [s for s in found if s["status_code"] == status]
        return found

    def test_the_site_behaved_and_every_line_was_imported(self):
        lines = sum(len(r["event_ids"]) for r in self.runs)
        self.assertGreaterEqual(lines, 25)
        for run in self.runs:
            self.assertEqual(run["status"], run["expected_status"], run["kind"])
        s = self.summary
        self.assertEqual(s["rejected"], 0, s["problems"])
        self.assertEqual(s["problems"], [])
        self.assertIsNone(s["fatal"])
        # Filters may drop (404-ignore rules); nothing else may go missing.
        self.assertEqual(s["stored"] + s["dropped"] + s["duplicates"], lines)
        self.assertEqual(s["duplicates"], 0)
        self.assertEqual(len(self.rows), s["stored"])
        self.assertEqual(len(self.stored), s["stored"])

    def test_error_reports_match_the_admin_mails(self):
        """For every mail to ADMINS: a stored ERROR report of the same request
        with the same exception type, path and traceback frames, in order."""
        checked = 0
        for run in self.runs:
            admin_mails = [m for m in run["mails"] if "ops@example.com" in m["to"]]
            if not admin_mails:
                continue
            with self.subTest(kind=run["kind"]):
                self.assertEqual(len(admin_mails), 1)
                body, subject = admin_mails[0]["body"], admin_mails[0]["subject"]
                errors = self.stored_of(run, level="ERROR")
                self.assertEqual(len(errors), 1, "%s: stored %r" % (run["kind"], errors))
                shown = errors[0]
                record = shown["record"]
                self.assertIn(shown["message"][:40], subject)
                frames = mail_frames(body)
                match = re.search(r"^Exception Type: (\S+)(?: at (.*))?$", body, re.M)
                if match:
                    self.assertEqual(shown["exception_type"], match.group(1))
                    self.assertEqual(record["exception"]["type"], match.group(1))
                    self.assertEqual(run["exception"], match.group(1))
                    if match.group(2) is not None:
                        self.assertEqual(shown["path"], match.group(2))
                        self.assertEqual(record["request"]["path"], match.group(2))
                    ours = stored_frames(record)
                    self.assertGreater(len(ours), 0)
                    self.assertEqual(len(ours), len(frames))
                    self.assertEqual(ours, frames)
                    self.assertEqual(shown["frames"], len(frames))
                else:
                    # No traceback in the mail (DisallowedHost, a logger.error()
                    # without exc_info): none stored either.
                    self.assertEqual(frames, [])
                    self.assertIsNone(record.get("exception"))
                    self.assertIsNone(shown["exception_type"])
                url = re.search(r"^Request URL: (.*)$", body, re.M)
                if record.get("request"):
                    self.assertIsNotNone(url, body[:400])
                    self.assertEqual(url.group(1), record["request"]["url"])
                    method = re.search(r"^Request Method: (.*)$", body, re.M).group(1)
                    self.assertEqual(shown["method"], method)
                checked += 1
        self.assertGreaterEqual(checked, 15)

    def test_every_mailed_404_is_stored_with_its_path_and_referer(self):
        checked = 0
        for run in self.runs:
            broken = [m for m in run["mails"] if "web@example.com" in m["to"]]
            if run["expected_status"] != 404 or not broken:
                continue
            with self.subTest(kind=run["kind"]):
                (msg,) = broken
                self.assertRegex(msg["subject"], r"Broken (INTERNAL )?link on ")
                fields = dict(re.findall(r"^([\w ]+): (.*)$", msg["body"], re.M))
                stored = self.stored_of(run, status=404)
                self.assertEqual(len(stored), 1, run["kind"])
                record = stored[0]["record"]
                self.assertEqual(record["request"]["full_path"], fields["Requested URL"])
                self.assertEqual(stored[0]["path"], record["request"]["path"])
                self.assertEqual(fields["Requested URL"].split("?")[0], stored[0]["path"])
                self.assertEqual(record["request"]["META"].get("HTTP_REFERER"), fields["Referrer"])
                self.assertEqual(fields["Referrer"], run["referer"])
                checked += 1
        self.assertGreaterEqual(checked, 3)


if __name__ == "__main__":
    unittest.main()
