"""Reproduce a stored request: `errordeck-cli show --as django-test ID` and
`show --as curl ID`, run for real against the test site.

    ERRORDECK_CLI=/path/to/errordeck-cli /usr/bin/python3 -m unittest tests/integration/python/test_reproduce.py -v

A POST that fails in the real test site (errordeck_test_site, /signup/) is
written by the ReportFileHandler and imported by errordeck-cli, whose default
scrubbing masks the posted password. The Django TestCase it prints runs under
Django's own test runner in a fresh interpreter and must raise the same
exception; the curl command it prints runs against the site served by wsgiref
on 127.0.0.1 and must fail the same way. Both replays are written by the same
handler, so the request the site saw the second time is compared with the
first: method, query, form fields (the password as the <scrubbed>
placeholder), headers and cookies (masked by default scrubbing, so also
placeholders).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CLI = os.environ.get("ERRORDECK_CLI")
PASSWORD = "hunter2-do-not-store"

PREAMBLE = r"""
import json, sys
sys.path.insert(0, %(here)r)
import errordeck_test_site as site
site.configure(report_path=sys.argv[1])
"""

# The first request, as a browser would send it.
DRIVE = PREAMBLE + r"""
client = site.make_client()
client.cookies["theme"] = "dark"
response = client.post("/signup/?ref=mail", {"username": "alice", "password": %(password)r,
                       "tags": ["a", "b"]}, HTTP_HOST=site.HOST, HTTP_USER_AGENT="Repro/1.0",
                       HTTP_X_NOTE="it's \"here\"")
assert response.status_code == 500, response.status_code
"""

# The printed TestCase, run as `manage.py test` would run it.
RUN_TEST = PREAMBLE + r"""
import unittest
from django.test.runner import DiscoverRunner
code = open(sys.argv[2], encoding="utf-8").read()
namespace = {}
exec(compile(code, "reproduce_test.py", "exec"), namespace)
runner = DiscoverRunner(verbosity=0)
runner.setup_test_environment()
old = runner.setup_databases()
result = unittest.TestResult()
unittest.defaultTestLoader.loadTestsFromTestCase(namespace["ReproduceTest"]).run(result)
runner.teardown_databases(old)
runner.teardown_test_environment()
json.dump({"run": result.testsRun, "errors": [t for _, t in result.errors],
           "failures": [t for _, t in result.failures]}, open(sys.argv[3], "w"))
"""

# The site behind a real HTTP server, and the printed curl command sent to it
# (its URL names shop.example.com: --connect-to points that at the server).
RUN_CURL = PREAMBLE + r"""
import subprocess, threading
from wsgiref.simple_server import make_server, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
threading.Thread(target=server.serve_forever, daemon=True).start()
command = open(sys.argv[2], encoding="utf-8").read().strip()
command += " --connect-to %%s:80:127.0.0.1:%%d -sS -o /dev/null -w '%%%%{http_code}'" %% (site.HOST, server.server_port)
done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60)
server.shutdown()
json.dump({"rc": done.returncode, "status": done.stdout, "stderr": done.stderr}, open(sys.argv[3], "w"))
"""


def run_child(script, *args):
    done = subprocess.run([sys.executable, "-c", script % {"here": HERE, "password": PASSWORD}] + list(args),
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise AssertionError("child failed:\n" + done.stderr[-4000:])


def read_reports(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def cli(*args):
    done = subprocess.run([CLI] + list(args), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise AssertionError("errordeck-cli %s exited %d:\n%s" % (" ".join(args), done.returncode, done.stderr))
    return done.stdout


def values(query_dict, key):
    """A record's QueryDict value as a list, however the handler wrote it."""
    v = query_dict.get(key)
    return v if isinstance(v, list) else [v]


@unittest.skipUnless(CLI, "ERRORDECK_CLI is not set (CTest sets it to the errordeck-cli it built)")
class ReproduceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="errordeck-reproduce-")
        first = os.path.join(cls.tmp, "first.jsonl")
        run_child(DRIVE, first)
        db = os.path.join(cls.tmp, "db.sqlite3")
        cli("import", "--db", db, first)
        rows = json.loads(cli("list", "--db", db, "--all", "--json", "--limit", "0", "--query", "path:/signup/"))
        cls.original = [r for r in read_reports(first) if r.get("request")][0]
        cls.test_code = cli("show", "--db", db, "--as", "django-test", str(rows[0]["id"]))
        cls.curl = cli("show", "--db", db, "--as", "curl", str(rows[0]["id"]))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def assertSameRequest(self, seen):
        first = self.original["request"]
        self.assertEqual(seen["method"], "POST")
        self.assertEqual(seen["path"], "/signup/")
        self.assertEqual(values(seen["GET"], "ref"), ["mail"])
        self.assertEqual(values(seen["POST"], "username"), ["alice"])
        self.assertEqual(values(seen["POST"], "tags"), ["a", "b"])
        self.assertEqual(values(seen["POST"], "password"), ["<scrubbed>"])
        # Default scrubbing masks every cookie value: it comes back as the placeholder.
        self.assertEqual(seen["COOKIES"].get("theme"), "<scrubbed>")
        for header in ("HTTP_USER_AGENT", "HTTP_X_NOTE"):
            self.assertEqual(seen["META"][header], first["META"][header])

    def test_the_printed_output_holds_no_secret(self):
        for text in (self.test_code, self.curl):
            self.assertNotIn(PASSWORD, text)
            self.assertIn("<scrubbed>", text)

    def replay(self, script, name, printed):
        """Runs `script` in a fresh interpreter on the printed text saved as a
        file; returns its outcome and the request the site saw."""
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(printed)
        result = path + ".result.json"
        run_child(script, path + ".jsonl", path, result)
        with open(result, encoding="utf-8") as fh:
            outcome = json.load(fh)
        return outcome, [r for r in read_reports(path + ".jsonl") if r.get("request")][0]["request"]

    def test_django_test_raises_the_same_exception(self):
        outcome, seen = self.replay(RUN_TEST, "reproduce_test.py", self.test_code)
        self.assertEqual(outcome["run"], 1)
        self.assertEqual(len(outcome["errors"]), 1, outcome)
        self.assertIn("RuntimeError: signup failed", outcome["errors"][0])
        self.assertSameRequest(seen)

    def test_curl_fails_the_same_way(self):
        outcome, seen = self.replay(RUN_CURL, "curl.sh", self.curl)
        self.assertEqual((outcome["rc"], outcome["status"]), (0, "500"), outcome)
        self.assertSameRequest(seen)

if __name__ == "__main__":
    unittest.main()
