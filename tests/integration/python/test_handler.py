"""Tests of errordeck_django.ReportFileHandler on a real Django site.

    /usr/bin/python3 -m unittest discover -s tests/integration/python -v    # from the repository root

(/usr/bin/python3: Debian's python3 with python3-django, Django 3.2.)

The site (errordeck_test_site) logs through both Django's AdminEmailHandler
and ReportFileHandler, so every report line can be checked against the mail
Django itself sent for the same record.
"""

import json
import logging
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import errordeck_test_site as site  # noqa: E402

TMP = tempfile.mkdtemp(prefix="errordeck-test-")
SITE_REPORTS = os.path.join(TMP, "site.jsonl")

site.configure(report_path=SITE_REPORTS)

import errordeck_django  # noqa: E402
from django.core import mail  # noqa: E402

REQUIRED = ("format", "event_id", "timestamp", "level", "logger", "message")
ISO_WITH_OFFSET = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$")
MASK = "********************"

# Start of the scripts test_handler runs in a fresh interpreter.
CHILD_PREAMBLE = (
    "import json, re, sys\n"
    "sys.path.insert(0, %r)\n"
    "import errordeck_test_site as site\n" % os.path.dirname(os.path.abspath(__file__)))


def tearDownModule():
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


def flat_frames(exc):
    """The frames of an exception report, its causes' first, in the order
    Django prints them ("most recent call last", innermost cause first)."""
    chain = []
    while exc:
        chain.append(exc)
        exc = exc["cause"]
    return [f for e in reversed(chain) for f in e["frames"]]


def mail_frames(body):
    """(filename, lineno, function) of each frame of Django's text report."""
    return [(m.group(1), int(m.group(2)), m.group(3)) for m in re.finditer(
        r'^  File "([^"]*)", line (\d+), in (\S+)$', body, re.M)]


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


class SiteRun:
    """Send every scenario once; keep the lines and mails each one produced."""

    results = None

    @classmethod
    def get(cls):
        if cls.results is None:
            client = site.make_client()
            cls.results = {}
            for scenario in site.SCENARIOS:
                lines_before = len(read_lines(SITE_REPORTS))
                mails_before = len(mail.outbox)
                response = scenario.send(client)
                cls.results[scenario.kind] = (
                    scenario, response,
                    read_lines(SITE_REPORTS)[lines_before:],
                    list(mail.outbox[mails_before:]))
        return cls.results


class SiteReportsTest(unittest.TestCase):
    """Each request to the site: the report line(s) against Django's mail."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.results = SiteRun.get()

    def test_every_request_gives_the_expected_lines_and_mails(self):
        for kind, (scenario, response, lines, mails) in self.results.items():
            with self.subTest(kind=kind):
                self.assertEqual(response.status_code, scenario.status)
                self.assertEqual(len(lines), scenario.records)
                self.assertEqual(len(mails), scenario.mails)
                for rec in lines:
                    check_shape(self, rec)

    def test_error_lines_match_the_admin_mails(self):
        """For every ERROR record Django mailed the admins: same exception
        type, same request, same frames in the same order."""
        checked = 0
        for kind, (scenario, response, lines, mails) in self.results.items():
            admin_mails = [m for m in mails if "ops@example.com" in m.to]
            errors = [r for r in lines if r["level"] == "ERROR"]
            if not admin_mails:
                self.assertEqual(errors, [], kind)
                continue
            with self.subTest(kind=kind):
                self.assertEqual(len(admin_mails), 1)
                self.assertEqual(len(errors), 1)
                msg, rec = admin_mails[0], errors[0]
                # Subject: "[Shop] ERROR (EXTERNAL IP): <record message>".
                self.assertTrue(msg.subject.endswith(rec["message"][:40]) or
                                rec["message"][:40] in msg.subject, msg.subject)
                self.assertIn(rec["level"], msg.subject)
                body = msg.body
                frames = mail_frames(body)
                if scenario.exception and rec["exception"]:
                    self.assertEqual(rec["exception"]["type"], scenario.exception)
                    match = re.search(r"^Exception Type: (\S+)(?: at (.*))?$", body, re.M)
                    self.assertIsNotNone(match, body[:500])
                    self.assertEqual(match.group(1), rec["exception"]["type"])
                    if rec["request"]:
                        self.assertEqual(match.group(2), rec["request"]["path"])
                    # As many frames as the mail's traceback, the same ones.
                    ours = flat_frames(rec["exception"])
                    self.assertEqual(len(frames), len(ours))
                    self.assertEqual(frames, [(f["filename"], f["lineno"], f["function"])
                                              for f in ours])
                else:
                    # DisallowedHost, SuspiciousOperation and logger.error()
                    # without exc_info: Django has no traceback either.
                    self.assertIsNone(rec["exception"])
                    self.assertEqual(frames, [])
                    self.assertNotIn("Exception Type:", body)
                if rec["request"]:
                    url = re.search(r"^Request URL: (.*)$", body, re.M).group(1)
                    self.assertEqual(url, rec["request"]["url"])
                    method = re.search(r"^Request Method: (.*)$", body, re.M).group(1)
                    self.assertEqual(method, rec["request"]["method"])
                    self.assertEqual(rec["request"]["remote_addr"], scenario.remote_addr)
                # The HTML attachment (include_html=True) is there too.
                self.assertEqual(msg.alternatives[0][1], "text/html")
                checked += 1
        self.assertGreaterEqual(checked, 15)

    def test_404_lines_match_the_broken_link_mails(self):
        checked = 0
        for kind, (scenario, response, lines, mails) in self.results.items():
            if scenario.status != 404:
                continue
            with self.subTest(kind=kind):
                (rec,) = lines
                self.assertEqual(rec["level"], "WARNING")
                self.assertEqual(rec["logger"], "django.request")
                self.assertEqual(rec["status_code"], 404)
                self.assertIsNone(rec["exception"])
                self.assertTrue(rec["message"].startswith("Not Found: "))
                self.assertEqual(rec["request"]["META"].get("HTTP_REFERER"),
                                 scenario.referer)
                for msg in mails:
                    self.assertEqual(msg.to, ["web@example.com"])
                    self.assertIn("link on shop.example.com", msg.subject)
                    fields = dict(re.findall(r"^([\w ]+): (.*)$", msg.body, re.M))
                    self.assertEqual(fields["Requested URL"], rec["request"]["full_path"])
                    self.assertEqual(fields["Referrer"], scenario.referer)
                    self.assertEqual(fields["IP address"], rec["request"]["remote_addr"])
                    checked += 1
        self.assertGreaterEqual(checked, 3)

    def line(self, kind, level="ERROR"):
        lines = [r for r in self.results[kind][2] if r["level"] == level]
        self.assertEqual(len(lines), 1, kind)
        return lines[0]

    def view_frame(self, rec, function):
        frames = [f for f in flat_frames(rec["exception"]) if f["function"] == function]
        self.assertTrue(frames, function)
        return frames[-1]

    def test_frame_details(self):
        rec = self.line("zero")
        frame = self.view_frame(rec, "view_zero")
        self.assertTrue(frame["in_app"])
        self.assertEqual(frame["module"], "errordeck_test_site")
        self.assertEqual(frame["filename"], site.__file__.replace(".pyc", ".py"))
        self.assertEqual(frame["context_line"].strip(),
                         "return HttpResponse(str(amount / count))")
        self.assertEqual(len(frame["pre_context"]), 7)
        self.assertEqual(frame["vars"], {
            "request": "<WSGIRequest: GET '/orders/597/total/'>",
            "oid": "597", "amount": "5970", "count": "0"})
        django_frames = [f for f in flat_frames(rec["exception"])
                         if "/django/" in f["filename"]]
        self.assertTrue(django_frames)
        self.assertFalse(any(f["in_app"] for f in django_frames))
        self.assertEqual(rec["exception"]["module"], "builtins")
        self.assertEqual(rec["exception"]["value"], "division by zero")
        self.assertEqual(rec["message"], "Internal Server Error: /orders/597/total/")
        self.assertEqual(rec["status_code"], 500)

        keyerror = self.line("keyerror")
        functions = [f["function"] for f in keyerror["exception"]["frames"]]
        self.assertEqual(functions[-3:], ["view_keyerror", "_helper_mid", "_helper_lookup"])
        self.assertEqual(keyerror["exception"]["frames"][-1]["vars"]["key"], "'kiwi'")
        self.assertEqual(keyerror["request"]["GET"], {"item": ["kiwi"]})
        self.assertEqual(keyerror["request"]["full_path"], "/api/items/?item=kiwi")

    def test_sensitive_variables_are_masked(self):
        rec = self.line("sensitive_vars")
        frame = self.view_frame(rec, "view_sensitive_vars")
        self.assertEqual(frame["vars"]["password"], repr(MASK))
        self.assertEqual(frame["vars"]["card"], repr(MASK))
        self.assertEqual(frame["vars"]["username"], "'bob'")
        wrapper = self.view_frame(rec, "sensitive_variables_wrapper")
        self.assertEqual(wrapper["vars"]["func_args"], repr(MASK))
        self.assertEqual(wrapper["vars"]["func_kwargs"], repr(MASK))
        self.assertNotIn(site.CARD_IN_VARIABLE, json.dumps(rec))

    def test_sensitive_post_parameters_are_masked(self):
        rec = self.line("sensitive_post")
        self.assertEqual(rec["request"]["POST"], {
            "password": [MASK], "card_number": [MASK], "name": ["Carol"]})
        scenario = self.results["sensitive_post"][0]
        text = json.dumps(rec, ensure_ascii=False)
        for secret in scenario.secrets:
            self.assertNotIn(secret, text)
        # Without the decorator Django masks nothing (ErrorDeck's importer
        # scrubs those): the report has what the mail has.
        plain = self.line("plain_post")
        self.assertEqual(plain["request"]["POST"]["password"], ["pw-plain-1234"])

    def test_settings_secrets_are_masked(self):
        for kind, (scenario, response, lines, mails) in self.results.items():
            for rec in lines:
                text = json.dumps(rec, ensure_ascii=False)
                for secret in site.SETTINGS_SECRETS:
                    self.assertNotIn(secret, text, kind)
        settings = self.line("zero")["settings"]
        self.assertEqual(settings["SECRET_KEY"], MASK)
        self.assertIn("'API_KEY': '%s'" % MASK, settings["PAYMENTS"])
        self.assertIn("'PASSWORD': '%s'" % MASK, settings["DATABASES"])
        self.assertEqual(settings["DEBUG"], "False")

    def test_explicit_chain(self):
        exc = self.line("chain")["exception"]
        self.assertEqual(exc["type"], "RuntimeError")
        self.assertTrue(exc["cause_explicit"])
        cause = exc["cause"]
        self.assertEqual((cause["type"], cause["value"]),
                         ("ConnectionError", "gateway timeout after 30s"))
        self.assertFalse(cause["cause_explicit"])
        self.assertIsNone(cause["cause"])
        self.assertEqual([f["function"] for f in cause["frames"]], ["view_chain"])
        self.assertEqual(exc["frames"][-1]["function"], "view_chain")
        body = self.results["chain"][3][0].body
        self.assertIn("was the direct cause of the following exception", body)

    def test_implicit_chain(self):
        exc = self.line("implicit_chain")["exception"]
        self.assertEqual(exc["type"], "ZeroDivisionError")
        self.assertFalse(exc["cause_explicit"])
        self.assertEqual(exc["cause"]["type"], "KeyError")
        self.assertEqual(exc["cause"]["value"], "'missing'")
        body = self.results["implicit_chain"][3][0].body
        self.assertIn("During handling of the above exception", body)

    def test_database_error_chain_splits_frames_per_exception(self):
        exc = self.line("db")["exception"]
        self.assertEqual((exc["type"], exc["module"]), ("OperationalError", "django.db.utils"))
        self.assertTrue(exc["cause_explicit"])
        self.assertEqual((exc["cause"]["type"], exc["cause"]["module"]),
                         ("OperationalError", "sqlite3"))
        # The sqlite3 error's own traceback, and the Django wrapper's.
        self.assertEqual([f["function"] for f in exc["cause"]["frames"]],
                         ["_execute", "execute"])
        self.assertEqual(exc["frames"][-1]["function"], "execute")
        self.assertEqual(exc["frames"][-3]["function"], "__exit__")

    def test_unicode(self):
        rec = self.line("unicode")
        self.assertEqual(rec["exception"]["value"],
                         "Zahlung für Größe ✓ fehlgeschlagen — 注文 №42")
        with open(SITE_REPORTS, encoding="utf-8") as fh:
            self.assertIn("Größe ✓", fh.read())  # UTF-8, not \u escapes

    def test_long_values_are_trimmed_like_django_does(self):
        rec = self.line("long")
        self.assertEqual(len(rec["exception"]["value"]), 5004)  # the value is whole
        inner = [f for f in rec["exception"]["frames"] if f["function"] == "inner"][0]
        self.assertTrue(inner["vars"]["exc"].startswith("AssertionError('xxx"))
        self.assertRegex(inner["vars"]["exc"], r"… <trimmed \d+ bytes string>$")

    def test_recursion_error(self):
        rec = self.line("recursion")
        frames = rec["exception"]["frames"]
        self.assertGreater(len(frames), 100)
        self.assertEqual(frames[-1]["function"], "_recurse")
        self.assertEqual(frames[3]["vars"], {"n": "0"})

    def test_broken_repr_does_not_lose_the_report(self):
        frame = self.view_frame(self.line("broken_repr"), "view_broken_repr")
        self.assertIn("repr exploded", frame["vars"]["thing"])

    def test_suspicious_operation(self):
        sec = self.line("suspicious")
        self.assertEqual(sec["logger"], "django.security.SuspiciousOperation")
        self.assertEqual(sec["message"], "tampered signature")
        self.assertEqual(sec["status_code"], 400)
        bad = self.line("suspicious", "WARNING")
        self.assertEqual((bad["logger"], bad["message"], bad["status_code"]),
                         ("django.request", "Bad Request: /webhooks/verify/", 400))

    def test_disallowed_host_reports_the_host_sent(self):
        rec = self.line("disallowed_host")
        self.assertEqual(rec["logger"], "django.security.DisallowedHost")
        self.assertEqual(rec["request"]["host"], "evil.example.net")
        self.assertEqual(rec["request"]["url"], "http://evil.example.net/ok/")

    def test_logger_error_without_exception(self):
        rec = self.line("log_error")
        self.assertEqual(rec["logger"], "shop.payments")
        self.assertEqual(rec["message"], "Webhook evt_1 rejected: bad signature")
        self.assertEqual(rec["status_code"], 400)
        self.assertIsNone(rec["exception"])
        self.assertIsNone(rec["request"])
        # JSON values as they are, others as repr(); status_code is top-level.
        self.assertEqual(rec["extra"], {"event_type": "charge.refunded",
                                        "amount": "Decimal('12.50')", "attempt": 3})

    def test_logger_exception(self):
        rec = self.line("log_exception")
        self.assertIsNone(rec["status_code"])
        exc = rec["exception"]
        self.assertEqual(exc["type"], "ValueError")
        self.assertEqual([f["function"] for f in exc["frames"]], ["view_log_exception"])

    def test_crlf_path(self):
        rec = self.line("crlf_path", "WARNING")
        self.assertEqual(rec["request"]["path"], "/orders/1/total/\r\nBcc: victim@example.net/")
        self.assertEqual(rec["request"]["full_path"],
                         "/orders/1/total/%0D%0ABcc:%20victim@example.net/")
        with open(SITE_REPORTS, "rb") as fh:
            for raw in fh.read().split(b"\n")[:-1]:
                self.assertNotIn(b"\r", raw)

    def test_request_fields(self):
        req = self.line("plain_post")["request"]
        self.assertEqual(req["method"], "POST")
        self.assertEqual(req["scheme"], "http")
        self.assertEqual(req["host"], "shop.example.com")
        self.assertEqual(req["url"], "http://shop.example.com/signup/")
        self.assertEqual(req["user"], "[unable to retrieve the current user]")
        self.assertEqual(req["COOKIES"], {"sessionid": site.SESSION_COOKIE})
        self.assertEqual(req["META"]["REQUEST_METHOD"], "POST")
        self.assertEqual(req["FILES"], {})


class HandlerFailureTest(unittest.TestCase):
    """A handler that cannot write never breaks the site."""

    def setUp(self):
        self.loggers = [logging.getLogger("django"), logging.getLogger("shop")]
        self.saved = [list(lg.handlers) for lg in self.loggers]

    def tearDown(self):
        for lg, handlers in zip(self.loggers, self.saved):
            lg.handlers[:] = handlers

    def add(self, handler):
        calls = []
        handler.handleError = lambda record: calls.append(
            (record, sys.exc_info()[1]))
        for lg in self.loggers:
            lg.addHandler(handler)
        return calls

    def test_unwritable_path(self):
        not_a_dir = os.path.join(TMP, "plain-file")
        with open(not_a_dir, "w") as fh:
            fh.write("x")
        handler = errordeck_django.ReportFileHandler(
            os.path.join(not_a_dir, "reports.jsonl"))
        calls = self.add(handler)
        lines_before = len(read_lines(SITE_REPORTS))
        mails_before = len(mail.outbox)

        client = site.make_client()
        response = client.get("/orders/3/total/", HTTP_HOST=site.HOST)
        self.assertEqual(response.status_code, 500)
        response = client.get("/webhooks/log/", HTTP_HOST=site.HOST)
        self.assertEqual(response.status_code, 200)

        self.assertEqual(len(calls), 2)
        self.assertIsInstance(calls[0][1], OSError)
        # The other handlers went on as usual.
        self.assertEqual(len(mail.outbox) - mails_before, 2)
        self.assertEqual(len(read_lines(SITE_REPORTS)) - lines_before, 2)

    def test_default_handle_error_swallows(self):
        handler = errordeck_django.ReportFileHandler(
            os.path.join(TMP, "no", "such", "dir", "reports.jsonl"))
        logger = logging.getLogger("errordeck.test.swallow")
        logger.propagate = False
        logger.addHandler(handler)
        saved = logging.raiseExceptions
        logging.raiseExceptions = False  # as in production; keep stderr clean
        try:
            logger.error("boom")  # must not raise
        finally:
            logging.raiseExceptions = saved
            logger.removeHandler(handler)

    def test_broken_reporter_still_writes_a_line(self):
        path = os.path.join(TMP, "broken-reporter.jsonl")
        handler = errordeck_django.ReportFileHandler(
            path, reporter_class="errordeck_test_site.ExplodingReporter")
        logger = logging.getLogger("errordeck.test.broken")
        logger.propagate = False
        logger.addHandler(handler)
        try:
            try:
                raise KeyError("abc")
            except KeyError:
                logger.exception("failed")
        finally:
            logger.removeHandler(handler)
            handler.close()
        (rec,) = read_lines(path)
        self.assertEqual(rec["exception"]["type"], "KeyError")
        self.assertEqual(rec["exception"]["frames"], [])
        self.assertTrue(any("reporter exploded" in e for e in rec["handler_errors"]))
        self.assertEqual(rec["message"], "failed")


# ----------------------------------------------------------------------
# Concurrency and rotation
# ----------------------------------------------------------------------

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


class ConcurrencyTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="concurrency-", dir=TMP)
        self.path = os.path.join(self.dir, "reports.jsonl")

    def check_all(self, expected):
        """Every line valid; each (worker, seq) exactly once."""
        seen = []
        for path in all_report_files(self.path):
            for rec in read_lines(path):
                check_shape(self, rec)
                seen.append((rec["extra"]["worker"], rec["extra"]["seq"]))
        self.assertEqual(len(seen), len(expected))
        self.assertEqual(sorted(seen), sorted(expected))

    def test_threads(self):
        # Lines of 5-20 KB: far above PIPE_BUF, so only the lock keeps them whole.
        threads = [threading.Thread(target=site.log_records,
                                    args=(self.path, "t%d" % i, 60, "p" * 5000))
                   for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.check_all([("t%d" % i, s) for i in range(12) for s in range(60)])

    def test_threads_share_one_handler(self):
        handler = errordeck_django.ReportFileHandler(self.path)
        logger = logging.getLogger("errordeck.test.shared")
        logger.propagate = False
        logger.addHandler(handler)

        def work(worker):
            for seq in range(100):
                try:
                    1 / 0
                except ZeroDivisionError:
                    logger.exception("shared", extra={"worker": worker, "seq": seq,
                                                      "pad": "z" * 3000})
        try:
            threads = [threading.Thread(target=work, args=("s%d" % i,))
                       for i in range(10)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            logger.removeHandler(handler)
            handler.close()
        self.check_all([("s%d" % i, s) for i in range(10) for s in range(100)])

    def run_processes(self, count, per_process, payload, **rotation):
        ctx = multiprocessing.get_context("spawn")
        procs = [ctx.Process(target=site.log_records,
                             args=(self.path, "p%d" % i, per_process, payload),
                             kwargs=rotation)
                 for i in range(count)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
            self.assertEqual(p.exitcode, 0)
        return [("p%d" % i, s) for i in range(count) for s in range(per_process)]

    def test_processes(self):
        expected = self.run_processes(6, 80, "q" * 6000)
        self.check_all(expected)
        self.assertEqual(all_report_files(self.path), [self.path])

    def test_fork_after_open(self):
        """A pre-forking server that logged before forking: the child must
        not keep the parent's descriptor (flock would not exclude the two)."""
        handler = errordeck_django.ReportFileHandler(self.path)
        logger = logging.getLogger("errordeck.test.fork")
        logger.propagate = False
        logger.addHandler(handler)
        try:
            logger.error("parent", extra={"worker": "parent", "seq": 0})
            parent_fd = handler._fd
            pid = os.fork()
            if pid == 0:  # child: report through os._exit's status
                ok = False
                try:
                    for seq in range(20):
                        logger.error("child", extra={"worker": "child", "seq": seq})
                    ok = handler._fd_pid == os.getpid()
                finally:
                    os._exit(0 if ok else 1)
            for seq in range(1, 21):
                logger.error("parent", extra={"worker": "parent", "seq": seq})
            _, status = os.waitpid(pid, 0)
            self.assertEqual(status, 0)
            self.assertEqual(handler._fd, parent_fd)
        finally:
            logger.removeHandler(handler)
            handler.close()
        self.check_all([("parent", s) for s in range(21)] +
                       [("child", s) for s in range(20)])

    def test_processes_with_rotation(self):
        # backupCount large enough that nothing is dropped: every record must
        # be in exactly one of the files, and no file may pass maxBytes.
        max_bytes = 150000
        expected = self.run_processes(5, 80, "r" * 4000,
                                      maxBytes=max_bytes, backupCount=500)
        files = all_report_files(self.path)
        self.assertGreater(len(files), 5)
        for path in files:
            self.assertLessEqual(os.path.getsize(path), max_bytes, path)
        self.check_all(expected)


class RotationTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="rotation-", dir=TMP)
        self.path = os.path.join(self.dir, "reports.jsonl")

    def test_rotation_keeps_backup_count_files(self):
        max_bytes = 40000
        site.log_records(self.path, "r", 120, "s" * 2000, maxBytes=max_bytes, backupCount=3)
        files = all_report_files(self.path)
        self.assertEqual([os.path.basename(p) for p in files],
                         ["reports.jsonl.3", "reports.jsonl.2", "reports.jsonl.1",
                          "reports.jsonl"])
        seqs = []
        for path in files:
            self.assertLessEqual(os.path.getsize(path), max_bytes)
            for rec in read_lines(path):
                check_shape(self, rec)
                seqs.append(rec["extra"]["seq"])
        # The newest records, in order, none missing since the oldest kept.
        self.assertEqual(seqs, list(range(seqs[0], 120)))
        self.assertGreater(seqs[0], 0)

    def test_no_rotation_without_backup_count(self):
        site.log_records(self.path, "n", 30, "s" * 2000, maxBytes=10000, backupCount=0)
        self.assertEqual(all_report_files(self.path), [self.path])
        self.assertEqual(len(read_lines(self.path)), 30)

    def test_single_line_larger_than_max_bytes(self):
        site.log_records(self.path, "big", 3, "b" * 30000, maxBytes=10000, backupCount=5)
        files = all_report_files(self.path)
        self.assertEqual(len(files), 3)
        self.assertEqual([len(read_lines(p)) for p in files], [1, 1, 1])

    def test_file_moved_away_is_reopened(self):
        handler = errordeck_django.ReportFileHandler(self.path)
        logger = logging.getLogger("errordeck.test.moved")
        logger.propagate = False
        logger.addHandler(handler)
        try:
            logger.error("one")
            os.rename(self.path, self.path + ".old")  # e.g. logrotate
            logger.error("two")
        finally:
            logger.removeHandler(handler)
            handler.close()
        self.assertEqual([r["message"] for r in read_lines(self.path + ".old")], ["one"])
        self.assertEqual([r["message"] for r in read_lines(self.path)], ["two"])


class ConfigurationTest(unittest.TestCase):

    def run_child(self, code):
        """Run code in a fresh interpreter (its own logging and Django
        configuration); return what it printed as JSON."""
        import subprocess

        proc = subprocess.run([sys.executable, "-c", code], cwd=TMP,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def test_readme_logging_snippet(self):
        """The LOGGING of packaging/python/README.md, as documented, on the
        test site: 500s and 404s are mailed and reported."""
        out = os.path.join(TMP, "readme.jsonl")
        readme = os.path.join(site.REPO, "packaging", "python", "README.md")
        result = self.run_child(CHILD_PREAMBLE + """
text = open(%(readme)r, encoding="utf-8").read()
section = text.split("## Send reports from your Django site", 1)[1]
code = re.search(r"```python\\n(.*?)```", section, re.S).group(1)
namespace = {}
exec(code, namespace)
LOGGING = namespace["LOGGING"]
assert LOGGING["handlers"]["errordeck"]["filename"] == "/var/log/mysite/errordeck.jsonl"
LOGGING["handlers"]["errordeck"]["filename"] = %(out)r
LOGGING["loggers"]["shop"] = LOGGING["loggers"].pop("mysite")
site.configure(logging_config=LOGGING)
client = site.make_client()
statuses = [
    client.get("/orders/5/total/", HTTP_HOST=site.HOST).status_code,
    client.get("/products/14/", HTTP_HOST=site.HOST,
               HTTP_REFERER="https://shop.example.com/docs/").status_code,
    client.get("/webhooks/log/", HTTP_HOST=site.HOST).status_code,
]
from django.core import mail
print(json.dumps({"statuses": statuses, "subjects": [m.subject for m in mail.outbox]}))
""" % {"readme": readme, "out": out})
        self.assertEqual(result["statuses"], [500, 404, 200])
        self.assertEqual(len(result["subjects"]), 3)
        recs = read_lines(out)
        self.assertEqual([(r["logger"], r["level"], r["status_code"]) for r in recs], [
            ("django.request", "ERROR", 500),
            ("django.request", "WARNING", 404),
            ("shop.payments", "ERROR", 400)])
        self.assertEqual(recs[0]["exception"]["type"], "ZeroDivisionError")
        for rec in recs:
            check_shape(self, rec)

    def test_dictconfig_options(self):
        out = os.path.join(TMP, "dictconfig.jsonl")
        result = self.run_child(CHILD_PREAMBLE + """
import logging, logging.config
site.configure(report_path=None)
logging.config.dictConfig({
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"errordeck": {
        "class": "errordeck_django.ReportFileHandler",
        "filename": %(out)r, "maxBytes": 1000000, "backupCount": 2,
        "site": "shop-staging", "max_var_length": 10, "level": "WARNING"}},
    "loggers": {"cfg": {"handlers": ["errordeck"], "propagate": False}},
})
logger = logging.getLogger("cfg")
handler = logger.handlers[0]
logger.info("ignored")
def fail(big):
    raise ValueError("x")
try:
    fail("y" * 100)
except ValueError:
    logger.warning("kept %%s", "this", exc_info=True)
print(json.dumps({"level": handler.level, "maxBytes": handler.maxBytes,
                  "backupCount": handler.backupCount}))
""" % {"out": out})
        self.assertEqual(result, {"level": logging.WARNING, "maxBytes": 1000000,
                                  "backupCount": 2})
        (rec,) = read_lines(out)
        check_shape(self, rec)
        self.assertEqual(rec["site"], "shop-staging")
        self.assertEqual(rec["message"], "kept this")
        self.assertIsNone(rec["request"])
        big = rec["exception"]["frames"][-1]["vars"]["big"]
        self.assertEqual(big, "'yyyyyyyyy… <trimmed 102 bytes string>")

    def test_site_configuration_uses_the_handler(self):
        handlers = [h for h in logging.getLogger("django").handlers]
        kinds = sorted(type(h).__name__ for h in handlers)
        self.assertEqual(kinds, ["AdminEmailHandler", "ReportFileHandler"])
        self.assertTrue([h for h in handlers if getattr(h, "include_html", False)])

    def test_file_mode(self):
        path = os.path.join(TMP, "mode.jsonl")
        handler = errordeck_django.ReportFileHandler(path)
        saved = os.umask(0o022)
        try:
            handler.handle(logging.makeLogRecord({"msg": "x", "levelname": "ERROR",
                                                  "levelno": 40}))
        finally:
            os.umask(saved)
            handler.close()
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o640)


if __name__ == "__main__":
    unittest.main()
