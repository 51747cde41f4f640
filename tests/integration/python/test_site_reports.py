"""ReportFileHandler on a real Django site: every request of the test site,
its report line(s) against the mail Django's AdminEmailHandler sent for the
same record (frames, chains, masking, the request), as handler_support says.
"""

import json
import re
import unittest

from handler_support import MASK, SITE_REPORTS, check_shape, read_lines, site
from django.core import mail


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



if __name__ == "__main__":
    unittest.main()
